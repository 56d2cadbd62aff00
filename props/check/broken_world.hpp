// Assertions shared by the broken-world tests of the invariant catalogue
// (invariants.cpp, lease_invariants.cpp).
#pragma once

#include <netkit/check/invariants.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>

namespace check_test {

// `found` holds a violation with ID `id`.
inline ::testing::AssertionResult reports(const netkit::check::violations& found, std::string_view id) {
    const bool hit = std::any_of(found.begin(), found.end(),
                                 [id](const netkit::check::violation& v) { return v.id == id; });
    if (hit) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "expected " << id << ", got:\n"
                                         << (found.empty() ? "(nothing)\n" : netkit::check::to_string(found));
}

// The catalogue re-run on what breaking `broken` out of the clean state
// changed (check_world with a change_set, as run_checked does after each
// step) finds exactly what the whole catalogue finds.
inline ::testing::AssertionResult incremental_agrees(const netkit::model::world_state& clean,
                                                     const netkit::model::world_state& broken) {
    const auto whole = netkit::check::check_world(broken);
    const auto since = netkit::check::check_world_since(clean, broken);
    if (since == whole) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "the whole catalogue finds:\n"
                                         << netkit::check::to_string(whole) << "after the change set:\n"
                                         << netkit::check::to_string(since);
}

}  // namespace check_test
