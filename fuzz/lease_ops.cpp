// Fuzz target: leasing (issue 4). The world starts as check::lease_prefix()
// leaves it — a started hardware NIC, a pair with its peer in a second netns
// and a single device, each netkit device leasing one NIC queue — so the
// fuzzer spends its inputs on providers, AF_XDP, channel changes, faults,
// received frames and teardown rather than on building that set-up. The
// bytes decode with check::decode_operations (the same alphabet as
// world_ops and the stateful properties) and every step is checked with
// check::run_checked; a violation prints the sequence and aborts.

#include <netkit/check/invariants.hpp>
#include <netkit/check/user_check.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto ops = netkit::check::lease_prefix();
    const auto more = netkit::check::decode_operations(std::span<const std::uint8_t>(data, size));
    ops.insert(ops.end(), more.begin(), more.end());
    netkit::model::world w;
    const auto report = netkit::check::run_checked(w, ops);
    if (!report.ok()) {
        std::fprintf(stderr, "lease_ops: invariant violated\n%s", netkit::check::to_string(report).c_str());
        const auto path = netkit::check::save_trace(
            netkit::check::trace_of(netkit::core::profile_id::newest, report, "libfuzzer"), {}, "lease_ops-failure");
        std::fprintf(stderr, "trace: %s (replay: nk_trace replay %s)\n", path.c_str(), path.c_str());
        std::fflush(stderr);
        std::abort();
    }
    return 0;
}
