// Checking your own control plane against the model (check/user_check.hpp):
// a container runtime's "give this container a hardware queue" routine
// (examples/control_plane.hpp), checked with all three checkers while
// applications open io_uring zero-copy receivers and AF_XDP sockets on the
// same NIC.
//
//   forgetful  looks only for queues without a lease, and leases one that
//              already has a memory provider: queue-create says EBUSY
//              "Device queue in use by memory provider" — a bug the model
//              shows with a two-step trace;
//   careful    asks queue-get first and passes every check.
//
// Run without arguments it checks both and prints each failure's trace and
// the C++ test that replays it; `--trace-dir DIR` also writes the traces.
#include "control_plane.hpp"

#include <netkit/check/rapidcheck.hpp>
#include <netkit/check/trace.hpp>
#include <netkit/check/user_check.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace netkit;

int failures = 0;

void expect(bool ok, const std::string& what) {
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
    failures += ok ? 0 : 1;
}

// The libFuzzer checker's entry point, fed here by a plain random byte
// source (fuzz/user_check.cpp runs the same entry under libFuzzer).
std::optional<check::trace> random_bytes(const check::world_scope& scope, int inputs) {
    std::mt19937 random(7);
    for (int i = 0; i < inputs; ++i) {
        std::vector<std::uint8_t> bytes(1 + random() % 8);
        for (auto& b : bytes) {
            b = static_cast<std::uint8_t>(random());
        }
        if (auto found = check::check_bytes(scope, bytes)) {
            return found;
        }
    }
    return std::nullopt;
}

void show(const check::trace& t, const check::world_scope& scope, const char* trace_dir, const std::string& stem) {
    std::printf("%s", check::to_text(t, scope.routines).c_str());
    if (trace_dir != nullptr) {
        const std::string path = std::string(trace_dir) + "/" + stem + ".trace";
        expect(check::write_trace(path, t, scope.routines), "trace written to " + path);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const char* trace_dir = nullptr;
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--trace-dir" && i + 1 < argc) {
            trace_dir = argv[++i];
        } else {
            std::fprintf(stderr, "usage: control_plane_check [--trace-dir DIR]\n");
            return EXIT_FAILURE;
        }
    }

    const auto forgetful = control_plane::scope(false);
    const auto careful = control_plane::scope(true);
    expect(!forgetful.validate() && !careful.validate(), "the scopes' setup applies");

    // 1. The explorer: every interleaving up to 3 steps; the first failure is a shortest one.
    check::world_report report;
    const auto shortest = check::check_exhaustively(forgetful, {3, 1U << 20}, &report);
    expect(shortest.has_value(), "explorer: the forgetful control plane fails (" + std::to_string(report.states) +
                                     " states, " + std::to_string(report.transitions) + " transitions)");
    if (shortest) {
        const auto& s = *shortest;
        expect(s.steps.size() == forgetful.setup.size() + 2, "explorer: the trace is two steps after the setup");
        expect(s.expect == "USER", "explorer: the control plane's own contract broke");
        show(s, forgetful, trace_dir, "forgetful-explorer");
        std::printf("%s", check::to_cpp(s, "forgetful_control_plane", forgetful.routines).c_str());
        const auto again = check::replay(s, forgetful.routines);
        expect(again.matches(s), "the trace replays to the same failure");
    }
    const auto careful_report = check::check_exhaustively(careful, {3, 1U << 20}, &report);
    expect(!careful_report && report.complete,
           "explorer: the careful control plane passes every interleaving up to 3 steps (" +
               std::to_string(report.states) + " states)");

    // 2. RapidCheck: random sequences, shrunk to a minimal failing one.
    const auto minimal = check::check_randomly(forgetful, "forgetful control plane");
    expect(minimal.has_value(), "RapidCheck: the forgetful control plane fails");
    if (minimal) {
        // Shrinking ends in a local minimum: no single step can go. (The
        // shortest trace is the explorer's; RapidCheck may stop at another,
        // e.g. lease queue 1, zcrx_open queue 2, lease queue 2.)
        bool one_minimal = true;
        for (std::size_t i = forgetful.setup.size(); i < minimal->steps.size(); ++i) {
            check::trace without = *minimal;
            without.steps.erase(without.steps.begin() + static_cast<std::ptrdiff_t>(i));
            one_minimal = one_minimal && check::replay(without, forgetful.routines).found.empty();
        }
        expect(one_minimal, "RapidCheck: shrunk so that no single step can be dropped (" +
                                std::to_string(minimal->steps.size() - forgetful.setup.size()) +
                                " steps after the setup)");
        show(*minimal, forgetful, trace_dir, "forgetful-rapidcheck");
    }
    expect(!check::check_randomly(careful, "careful control plane"), "RapidCheck: the careful control plane passes");

    // 3. The fuzz entry point (bytes → steps).
    const auto fuzzed = random_bytes(forgetful, 2000);
    expect(fuzzed.has_value(), "byte inputs: the forgetful control plane fails");
    if (fuzzed) {
        show(*fuzzed, forgetful, trace_dir, "forgetful-bytes");
    }
    expect(!random_bytes(careful, 500), "byte inputs: the careful control plane passes");

    std::printf("%s\n", failures == 0 ? "control plane check behaves as expected" : "differences found");
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
