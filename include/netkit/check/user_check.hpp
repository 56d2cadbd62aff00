// User checks: a control plane's own routines checked against the model by
// the three checkers, over one scope (check/explore_world.hpp):
//
//   * the explorer (`check_exhaustively`): every interleaving of the
//     environment's operations and the routines' calls up to a depth,
//     breadth-first, so the trace it returns is a shortest one;
//   * random sequences (`check_bytes`, the shape a libFuzzer target takes,
//     NETKIT_USER_CHECK_FUZZ_TARGET below; and check/rapidcheck.hpp's
//     `check_randomly` for RapidCheck with shrinking);
//
// each checking the invariant catalogue after every step, the step
// invariants after every environment operation, and each routine's verdict
// (its own postconditions: what the control plane promises its caller).
// Every failure comes back as a check::trace (check/trace.hpp) that replays
// with the same routines.
//
//   check::world_scope scope = …;            // setup, environment, symmetry
//   scope.routines.push_back({"lease_for_container", my_lease_routine, 1});
//   auto found = check::check_exhaustively(scope, {.max_depth = 3});
//   if (found) write_trace("cp.trace", *found, scope.routines);
//
// examples/control_plane_check.cpp checks a control plane that forgets to
// look for a memory provider before leasing, with all three.
#pragma once

#include <netkit/check/explore_world.hpp>
#include <netkit/check/trace.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace netkit::check {

// The steps a random checker draws from: the environment's operations, then
// every (routine, argument) call.
inline std::vector<step> steps_of(const world_scope& scope) {
    std::vector<step> out(scope.alphabet.begin(), scope.alphabet.end());
    for (std::size_t i = 0; i < scope.routines.size(); ++i) {
        for (std::uint8_t a = 0; a < scope.routines[i].arguments; ++a) {
            out.emplace_back(routine_call{static_cast<std::uint16_t>(i), a});
        }
    }
    return out;
}

// A shortest failing trace within `limits`, or nullopt when none exists up
// to the bound (see explore_report::complete for whether the bound was
// reached).
inline std::optional<trace> check_exhaustively(const world_scope& scope, explore_limits limits = {},
                                               world_report* report = nullptr) {
    world_report r = explore_world(scope, limits);
    std::optional<trace> out;
    if (r.found) {
        out = trace_of(scope, r, "explorer");
    }
    if (report != nullptr) {
        *report = std::move(r);
    }
    return out;
}

// The scope's setup followed by `chosen` steps.
inline trace trace_from(const world_scope& scope, std::span<const step> chosen, std::string source) {
    trace t;
    t.source = std::move(source);
    t.profile = scope.profile;
    for (const auto& op : scope.setup) {
        t.steps.emplace_back(op);
    }
    t.steps.insert(t.steps.end(), chosen.begin(), chosen.end());
    return t;
}

// Replays the setup and the steps `bytes` choose (one byte per step, modulo
// the number of steps); the trace up to the first violation, if any.
inline std::optional<trace> check_bytes(const world_scope& scope, std::span<const std::uint8_t> bytes,
                                        std::string source = "libfuzzer") {
    const auto all = steps_of(scope);
    if (all.empty()) {
        return std::nullopt;
    }
    std::vector<step> chosen;
    chosen.reserve(bytes.size());
    for (const auto b : bytes) {
        chosen.push_back(all[b % all.size()]);
    }
    trace t = trace_from(scope, chosen, std::move(source));
    const replay_report r = replay(t, scope.routines);
    if (r.found.empty()) {
        return std::nullopt;
    }
    t.found = r.found;
    t.expect = r.found.front().id;
    // Keep the steps up to the failing one.
    t.steps.resize(r.steps.size());
    return t;
}

// Where failing checkers put their traces: $NETKIT_TRACE_DIR, else the
// current directory. Returns the path written.
inline std::string save_trace(const trace& t, std::span<const routine> routines, const std::string& stem) {
    const char* dir = std::getenv("NETKIT_TRACE_DIR");
    std::string path = (dir != nullptr && *dir != '\0') ? std::string(dir) + "/" : std::string();
    path += stem + ".trace";
    (void)write_trace(path, t, routines);
    return path;
}

}  // namespace netkit::check

// A libFuzzer target checking `scope_expression` (a world_scope): on a
// failure it writes the trace (save_trace) and aborts, so libFuzzer keeps
// the input as well.
#define NETKIT_USER_CHECK_FUZZ_TARGET(scope_expression)                                                  \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {                  \
        static const ::netkit::check::world_scope scope = (scope_expression);                            \
        const auto found = ::netkit::check::check_bytes(scope, std::span<const std::uint8_t>(data, size)); \
        if (found) {                                                                                     \
            const auto path = ::netkit::check::save_trace(*found, scope.routines, "user-check-failure");  \
            std::fprintf(stderr, "user check failed; trace in %s\n%s", path.c_str(),                     \
                         ::netkit::check::to_text(*found, scope.routines).c_str());                      \
            std::abort();                                                                                \
        }                                                                                                \
        return 0;                                                                                        \
    }
