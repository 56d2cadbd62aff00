// The explorer (check/explorer.hpp) over the world (check/explore_world.hpp):
// it finds the 7.1.0 … 7.1.4 teardown-ordering bug (QL-LIFE-06,
// CVE-2026-74285; INV-QL-10) with a shortest trace, proves its absence
// under the newest profile up to the bound, and its symmetry reduction is
// sound (states it folds together have folded successors) and effective.
#include <netkit/check/explore_world.hpp>
#include <netkit/check/trace.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace {

using namespace netkit;
using namespace netkit::check;

TEST(explorer, finds_the_linux_7_1_0_teardown_bug_with_a_shortest_trace) {  // QL-LIFE-06
    const auto scope = lease_scope(core::profile_id::linux_7_1_0);
    const auto report = explore_world(scope, {3, 1U << 20});
    ASSERT_TRUE(report.found.has_value());
    EXPECT_EQ(report.found->front().id, "INV-QL-10") << to_string(*report.found);
    EXPECT_FALSE(report.complete);
    // A receiver on a leased queue, then the lessee goes: two steps.
    ASSERT_EQ(report.trace.size(), 2U);
    EXPECT_TRUE(std::holds_alternative<zcrx_open>(std::get<operation>(report.trace[0])));
    // Nothing shorter fails: the same scope one step less deep is clean.
    const auto shallower = explore_world(scope, {1, 1U << 20});
    EXPECT_FALSE(shallower.found.has_value());
    EXPECT_TRUE(shallower.complete);
    // The trace replays to the same violation.
    const trace t = trace_of(scope, report);
    EXPECT_EQ(t.expect, "INV-QL-10");
    EXPECT_TRUE(replay(t).matches(t)) << to_string(replay(t));
}

TEST(explorer, proves_the_bug_absent_under_newest_up_to_the_bound) {  // QL-LIFE-06
    const auto report = explore_world(lease_scope(core::profile_id::newest), {2, 1U << 20});
    EXPECT_FALSE(report.found.has_value()) << to_string(*report.found);
    EXPECT_TRUE(report.complete);
    EXPECT_EQ(report.depth_reached, 2U);
    EXPECT_GT(report.states, 100U);
    EXPECT_GE(report.transitions, report.states - 1);
}

TEST(explorer, finds_it_in_the_lifecycle_scope_too_and_not_under_newest) {
    const auto buggy = explore_world(lifecycle_scope(core::profile_id::linux_7_1_0), {4, 1U << 20});
    ASSERT_TRUE(buggy.found.has_value());
    EXPECT_EQ(buggy.found->front().id, "INV-QL-10");
    const auto fixed = explore_world(lifecycle_scope(core::profile_id::newest), {4, 1U << 20});
    EXPECT_FALSE(fixed.found.has_value());
    EXPECT_TRUE(fixed.complete);
}

TEST(explorer, symmetry_reduction_folds_states_that_differ_by_renaming) {
    auto with = lifecycle_scope();
    auto without = with;
    without.symmetry = false;
    const auto folded = explore_world(with, {4, 1U << 20});
    const auto plain = explore_world(without, {4, 1U << 20});
    EXPECT_TRUE(folded.complete && plain.complete);
    EXPECT_LT(folded.states, plain.states);
    EXPECT_EQ(folded.depth_reached, plain.depth_reached);
}

TEST(explorer, canonical_keys_ignore_history_but_not_structure) {
    auto scope = lifecycle_scope();
    model::world a;
    for (const auto& op : scope.setup) {
        ASSERT_EQ(apply(a, op).kind, outcome_kind::applied);
    }
    model::world b = a;
    create_lessee single;
    single.single = true;
    single.up = true;
    ASSERT_EQ(apply(b, single).kind, outcome_kind::applied);
    EXPECT_NE(canonical_key(a.state()), canonical_key(b.state()));  // a device more
    ASSERT_EQ(apply(b, delete_device{device_ref{0, 2}}).kind, outcome_kind::applied);
    EXPECT_EQ(canonical_key(a.state()), canonical_key(b.state()));  // back, with a tombstone and new ids
    EXPECT_NE(canonical_key(a.state(), false), canonical_key(b.state(), false));
    model::world c = a;
    ASSERT_EQ(apply(c, create_netns{}).kind, outcome_kind::applied);
    EXPECT_NE(canonical_key(a.state()), canonical_key(c.state()));
    ASSERT_EQ(apply(c, delete_netns{1}).kind, outcome_kind::applied);
    EXPECT_EQ(canonical_key(a.state()), canonical_key(c.state()));
    // Different structure: the MTU differs.
    model::world d = a;
    ASSERT_EQ(apply(d, set_mtu{device_ref{0, 1}, mtu_choice::jumbo}).kind, outcome_kind::applied);
    EXPECT_NE(canonical_key(a.state()), canonical_key(d.state()));
}

// Soundness of the reduction: every pair of reachable worlds with one
// canonical key (but different full keys) is a pair whose successors under
// every operation of the alphabet again share canonical keys, with the same
// outcome — they cannot be told apart by what the alphabet can do.
TEST(explorer, worlds_folded_together_have_folded_successors) {
    const auto scope = lifecycle_scope();
    world_system sys(scope);
    std::map<world_key, model::world> first_seen;
    std::vector<model::world> level{sys.initial()};
    std::size_t folded_pairs = 0;
    for (int depth = 0; depth < 4; ++depth) {
        std::vector<model::world> next;
        for (const auto& w : level) {
            sys.for_each_successor(w, [&](const step&, model::world&& to) {
                const auto k = canonical_key(to.state());
                const auto [it, fresh] = first_seen.try_emplace(k, to);
                if (fresh) {
                    next.push_back(std::move(to));
                    return;
                }
                if (canonical_key(it->second.state(), false) == canonical_key(to.state(), false)) {
                    return;
                }
                ++folded_pairs;
                for (const auto& op : scope.alphabet) {
                    model::world x = it->second;
                    model::world y = to;
                    const auto rx = apply(x, op);
                    const auto ry = apply(y, op);
                    ASSERT_EQ(rx, ry) << to_string(op);
                    ASSERT_EQ(canonical_key(x.state()), canonical_key(y.state())) << to_string(op);
                }
            });
        }
        level = std::move(next);
    }
    EXPECT_GT(folded_pairs, 10U);
}

TEST(explorer, a_state_bound_stops_the_search_incomplete) {
    const auto report = explore_world(lifecycle_scope(), {6, 50});
    EXPECT_TRUE(report.state_limit_hit);
    EXPECT_FALSE(report.complete);
    EXPECT_LE(report.states, 52U);
}

TEST(explorer, reports_rates_and_memory) {
    const auto report = explore_world(lifecycle_scope(), {3, 1U << 20});
    EXPECT_GT(report.seconds, 0.0);
    EXPECT_GT(report.states_per_second(), 0.0);
    EXPECT_GT(report.bytes_per_state(), static_cast<double>(sizeof(world_key)));
}

TEST(explorer, scopes_that_cannot_be_explored_say_why) {
    auto scope = lifecycle_scope();
    load_program redirecting;
    redirecting.redirect = redirect_spec{};
    scope.alphabet.push_back(redirecting);
    const auto problem = scope.validate();
    ASSERT_TRUE(problem.has_value());
    EXPECT_NE(problem->find("absolute ifindex"), std::string::npos) << *problem;
    scope.symmetry = false;
    EXPECT_FALSE(scope.validate().has_value());
    auto broken = lifecycle_scope();
    broken.setup.insert(broken.setup.begin(), delete_netns{0});  // the initial netns: EPERM
    const auto setup_problem = broken.validate();
    ASSERT_TRUE(setup_problem.has_value());
    EXPECT_NE(setup_problem->find("did not apply"), std::string::npos) << *setup_problem;
}

TEST(explorer, alphabets_are_cartesian_products_of_the_field_bounds) {
    const auto all = enumerate_operations<zcrx_open>([](std::string_view f) {
        return f == "netns" ? 2 : (f == "index" ? 4 : (f == "queue" ? 3 : 1));
    });
    EXPECT_EQ(all.size(), 2U * 4U * 3U * 2U);  // netns × index × queue × on_netkit
    const auto pinned = enumerate_operations<set_channels>([](std::string_view f) {
        return f == "ioctl" ? 0 : (f == "combined" ? 5 : 1);
    });
    EXPECT_EQ(pinned.size(), 5U);  // device {0, 0} only, ioctl false only
    const auto optional = enumerate_operations<bind_rx>([](std::string_view f) { return f == "queue" ? 2 : 1; });
    EXPECT_EQ(optional.size(), 2U * 2U);  // queue 0, 1 × second_queue absent, 0
}

// A toy system: a counter mod 7 with +1 and +3; violation at 5.
// A toy system: a counter mod 7 with +1 and +3; a violation at 5.
struct counter {
    using state = std::uint64_t;
    using label = int;
    using key = std::uint64_t;
    state initial() const { return 0; }
    key key_of(const state& s) const { return s; }
    std::size_t hash(const key& k) const { return static_cast<std::size_t>(k * 0x9e3779b97f4a7c15ULL); }
    template <class F>
    void for_each_successor(const state& s, F&& f) const {
        f(1, (s + 1) % 7);
        f(3, (s + 3) % 7);
    }
    violations check_state(const state& s) const {
        return s == 5 ? violations{{"FIVE", "reached 5"}} : violations{};
    }
    violations check_step(const state&, const label&, const state&) const { return {}; }
};

TEST(explorer, the_engine_explores_a_counter_exactly) {
    const auto r = explore(counter{}, ~0ULL, {10, 100});
    ASSERT_TRUE(r.found.has_value());
    EXPECT_EQ(r.trace.size(), 3U);  // 0 →3→ 3 →1→ 4 →1→ 5, or 3,3,… — three steps is the shortest
    int sum = 0;
    for (int s : r.trace) {
        sum += s;
    }
    EXPECT_EQ(sum % 7, 5);
}

}  // namespace
