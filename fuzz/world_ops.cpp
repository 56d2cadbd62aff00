// Fuzz target: operation sequences against the world (issue 3, "Tests").
// The input bytes are decoded by check::decode_operations — the decoder the
// stateful property test uses — applied one by one with check::run_checked,
// and the invariant catalogue is checked after every operation and the step
// invariants between operations. Any violation prints the invariant, the
// operation sequence with each outcome, and aborts, so the crash input
// replays as a readable sequence.
//
// Reported model deviations that are not fixed yet are let through, so the
// fuzzer keeps looking past them; NETKIT_FUZZ_STRICT=1 in the environment
// turns that off. They are the same as in props/check/stateful.cpp.
#include <netkit/check/invariants.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>

namespace {

using netkit::check::violation;

//  - delete_netns unlists the namespace's lo without closing it (INV-NK-04);
//  - … and without releasing lo's tcx ingress attachments (INV-MP-03).
bool known_model_deviation(const violation& v) {
    const bool freed_loopback =
        v.message.find("'lo' (") != std::string::npos && v.message.find("freed)") != std::string::npos;
    return freed_loopback && (v.id == "INV-NK-04" || v.id == "INV-MP-03");
}

netkit::check::tolerance tolerated() {
    static const bool strict = [] {
        const char* value = std::getenv("NETKIT_FUZZ_STRICT");
        return value != nullptr && std::strcmp(value, "1") == 0;
    }();
    return strict ? nullptr : known_model_deviation;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto ops = netkit::check::decode_operations(std::span<const std::uint8_t>(data, size));
    netkit::model::world w;
    const auto report = netkit::check::run_checked(w, ops, tolerated());
    if (!report.ok()) {
        std::fprintf(stderr, "world_ops: invariant violated\n%s", netkit::check::to_string(report).c_str());
        std::fflush(stderr);
        std::abort();
    }
    return 0;
}
