// Fuzz target: leasing (issue 4). The world starts as check::lease_prefix()
// leaves it — a started hardware NIC, a pair with its peer in a second netns
// and a single device, each netkit device leasing one NIC queue — so the
// fuzzer spends its inputs on providers, AF_XDP, channel changes, faults,
// received frames and teardown rather than on building that set-up. The
// bytes decode with check::decode_operations (the same alphabet as
// world_ops and the stateful properties) and every step is checked with
// check::run_checked; a violation prints the sequence, writes its trace
// ($NETKIT_TRACE_DIR, check/trace.hpp) and aborts.

#include <netkit/check/invariants.hpp>
#include <netkit/check/user_check.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace netkit;
    // From a copy of the prefix world (built and checked once) rather than
    // replaying the prefix on every input.
    static const bool prefix_clean = [] {
        model::world w;
        return check::run_checked(w, check::lease_prefix()).ok();
    }();
    if (!prefix_clean) {
        std::fprintf(stderr, "lease_ops: the lease prefix itself breaks an invariant\n");
        std::abort();
    }
    const auto ops = check::decode_operations(std::span<const std::uint8_t>(data, size));
    model::world w = check::lease_prefix_world();
    const auto report = check::run_checked(w, ops);
    if (!report.ok()) {
        std::fprintf(stderr, "lease_ops: invariant violated after the lease prefix\n%s",
                     check::to_string(report).c_str());
        auto t = check::trace_of(core::profile_id::newest, report, "libfuzzer");
        const auto prefix = check::lease_prefix();
        t.steps.insert(t.steps.begin(), prefix.begin(), prefix.end());
        const auto path = check::save_trace(t, {}, "lease_ops-failure");
        std::fprintf(stderr, "trace: %s (replay: nk_trace replay %s)\n", path.c_str(), path.c_str());
        std::fflush(stderr);
        std::abort();
    }
    return 0;
}
