// Fuzz target: operation sequences against the world (issue 3, "Tests").
// The input bytes are decoded by check::decode_operations — the decoder the
// stateful property test uses — applied one by one with check::run_checked,
// and the invariant catalogue is checked after every operation and the step
// invariants between operations. Any violation prints the invariant, the
// operation sequence with each outcome, and aborts, so the crash input
// replays as a readable sequence.

#include <netkit/check/invariants.hpp>
#include <netkit/check/user_check.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>


extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto ops = netkit::check::decode_operations(std::span<const std::uint8_t>(data, size));
    netkit::model::world w;
    const auto report = netkit::check::run_checked(w, ops);
    if (!report.ok()) {
        std::fprintf(stderr, "world_ops: invariant violated\n%s", netkit::check::to_string(report).c_str());
        const auto path = netkit::check::save_trace(
            netkit::check::trace_of(netkit::core::profile_id::newest, report, "libfuzzer"), {}, "world_ops-failure");
        std::fprintf(stderr, "trace: %s (replay: nk_trace replay %s)\n", path.c_str(), path.c_str());
        std::fflush(stderr);
        std::abort();
    }
    return 0;
}
