// RapidCheck for user checks (check/user_check.hpp): random step sequences
// over a scope, shrunk by RapidCheck to a minimal failing one, returned as a
// trace. Needs RapidCheck (librapidcheck-dev); nothing else in netkit-model
// includes this header.
#pragma once

#include <netkit/check/trace.hpp>
#include <netkit/check/user_check.hpp>

#include <rapidcheck.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace netkit::check {

// Runs RapidCheck on `scope` (its RC_PARAMS apply: max_success, seed …);
// the shrunk counterexample as a trace, or nullopt when every case passed.
inline std::optional<trace> check_randomly(const world_scope& scope, const std::string& description) {
    const auto all = steps_of(scope);
    std::optional<trace> last_failure;
    if (all.empty()) {
        return last_failure;
    }
    const bool passed = rc::check(description, [&] {
        const auto picks = *rc::gen::container<std::vector<std::size_t>>(
            rc::gen::inRange<std::size_t>(0, all.size()));
        std::vector<step> chosen;
        for (const auto i : picks) {
            chosen.push_back(all[i]);
        }
        trace t = trace_from(scope, chosen, "rapidcheck");
        const replay_report r = replay(t, scope.routines);
        if (!r.found.empty()) {
            t.found = r.found;
            t.expect = r.found.front().id;
            t.steps.resize(r.steps.size());
            // RapidCheck accepts each smaller failing case while shrinking,
            // so the last failure recorded is the minimal one it reports.
            last_failure = t;
        }
        RC_ASSERT(r.found.empty());
    });
    if (passed) {
        last_failure.reset();
    }
    return last_failure;
}

}  // namespace netkit::check
