// Tests of include/netkit/core/fsm.hpp: the run-time step agrees with a naive
// reading of the table, refusals leave the state alone, guards select rows,
// and verification finds each kind of broken table.
#include "core/fsm_tables.hpp"

#include <netkit/core/fsm.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

using namespace netkit;
using namespace netkit::test;
using core::enum_from_index;
using core::errno_code;
using core::fsm::outcome;

template <class Table>
struct guard_mask {
    std::uint32_t bits;
    bool operator()(typename Table::guard_type g) const { return (bits >> core::enum_index(g)) & 1U; }
};

// The dense table's rows follow a formula; recompute one without the table.
void expect_dense_row(std::size_t s, std::size_t e) {
    const auto& r = dense::step(enum_from_index<dense_state>(s), enum_from_index<dense_event>(e));
    if (dense_refuses(s, e)) {
        RC_ASSERT(r.kind == outcome::refusal);
        RC_ASSERT(r.to == enum_from_index<dense_state>(s));
        RC_ASSERT(r.error == dense_error(s));
    } else {
        RC_ASSERT(r.kind == outcome::transition);
        RC_ASSERT(r.to == enum_from_index<dense_state>(dense_target(s, e)));
    }
}

TEST(fsm, stepping_agrees_with_a_naive_interpretation_of_the_table) {
    const bool ok = rc::check("step(s, e, guards) returns the row a linear scan of the table picks", [] {
        const auto s = *rc::gen::inRange<std::size_t>(0, toy_queue::state_count);
        const auto e = *rc::gen::inRange<std::size_t>(0, toy_queue::event_count);
        const guard_mask<toy_queue> holds{*rc::gen::inRange<std::uint32_t>(0, 4)};
        const auto state = enum_from_index<toy_state>(s);
        const auto event = enum_from_index<toy_event>(e);
        const auto* naive = core::fsm::naive_step<toy_queue>(state, event, holds);
        RC_ASSERT(naive != nullptr);
        RC_ASSERT(&toy_queue::step(state, event, holds) == naive);
    });
    EXPECT_TRUE(ok);
}

TEST(fsm, a_dense_50_by_50_table_steps_as_its_formula_says) {
    const bool ok = rc::check("every (state, event) of the dense table", [] {
        const auto s = *rc::gen::inRange<std::size_t>(0, 50);
        const auto e = *rc::gen::inRange<std::size_t>(0, 50);
        expect_dense_row(s, e);
        const auto state = enum_from_index<dense_state>(s);
        const auto event = enum_from_index<dense_event>(e);
        RC_ASSERT(&dense::step(state, event) == core::fsm::naive_step<dense>(state, event, [](auto) { return false; }));
    });
    EXPECT_TRUE(ok);
}

TEST(fsm, a_machine_follows_the_naive_interpretation_over_event_sequences) {
    const bool ok = rc::check("a random event sequence, with random guard masks", [] {
        const auto events = *rc::gen::container<std::vector<std::pair<std::size_t, std::uint32_t>>>(
            rc::gen::pair(rc::gen::inRange<std::size_t>(0, toy_queue::event_count),
                          rc::gen::inRange<std::uint32_t>(0, 4)));
        core::fsm::machine<toy_queue> machine;
        toy_state reference = toy_queue::initial;
        for (const auto& [e, bits] : events) {
            const guard_mask<toy_queue> holds{bits};
            const auto event = enum_from_index<toy_event>(e);
            const auto* expected = core::fsm::naive_step<toy_queue>(reference, event, holds);
            RC_ASSERT(expected != nullptr);
            const auto& got = machine.fire(event, holds);
            RC_ASSERT(&got == expected);
            reference = expected->to;
            RC_ASSERT(machine.state() == reference);
        }
    });
    EXPECT_TRUE(ok);
}

TEST(fsm, a_refused_event_leaves_the_state_unchanged) {
    const bool ok = rc::check("refusal rows never move the machine", [] {
        const auto s = *rc::gen::inRange<std::size_t>(0, toy_queue::state_count);
        const auto e = *rc::gen::inRange<std::size_t>(0, toy_queue::event_count);
        core::fsm::machine<toy_queue> machine{enum_from_index<toy_state>(s)};
        const auto& r = machine.fire(enum_from_index<toy_event>(e));
        if (r.refused()) {
            RC_ASSERT(machine.state() == enum_from_index<toy_state>(s));
            RC_ASSERT(r.error != errno_code{});
        }
    });
    EXPECT_TRUE(ok);
}

TEST(fsm, a_guarded_row_applies_only_while_its_guard_holds) {
    const auto& unguarded = toy_queue::step(toy_state::leased, toy_event::open_provider);
    EXPECT_EQ(unguarded.kind, outcome::transition);
    EXPECT_EQ(unguarded.to, toy_state::leased_provider);

    const auto& forced = toy_queue::step(toy_state::leased, toy_event::open_provider,
                                         [](toy_guard g) { return g == toy_guard::forced; });
    EXPECT_EQ(forced.kind, outcome::refusal);
    EXPECT_EQ(forced.error, errno_code::busy);
    EXPECT_EQ(forced.message(), "forced");
    EXPECT_EQ(forced.to, toy_state::leased);

    // A guard that belongs to another pair changes nothing here.
    const auto& other = toy_queue::step(toy_state::leased, toy_event::open_provider,
                                        [](toy_guard g) { return g == toy_guard::has_key; });
    EXPECT_EQ(&other, &unguarded);
}

TEST(fsm, rows_carry_their_errno_message_and_rule) {
    const auto& busy = toy_queue::step(toy_state::provider, toy_event::lease);
    EXPECT_EQ(busy.error, errno_code::busy);
    EXPECT_EQ(busy.message(), "Device queue in use by memory provider");
    const auto& lease = toy_queue::step(toy_state::free, toy_event::lease);
    EXPECT_EQ(lease.rule(), "T-2");
    EXPECT_EQ(lease.message(), "");
}

TEST(fsm, steps_are_usable_in_constant_expressions) {
    static_assert(toy_queue::step(toy_state::inactive, toy_event::grow).to == toy_state::free);
    static_assert(dense::step(dense_state::s01, dense_event::e03).to == dense_state::s17);
    constexpr auto final_state = [] {
        core::fsm::machine<toy_queue> m;
        (void)m.fire(toy_event::grow);
        (void)m.fire(toy_event::lease);
        (void)m.fire(toy_event::open_provider);
        return m.state();
    }();
    EXPECT_EQ(final_state, toy_state::leased_provider);
}

// Broken tables are built here without `verified`, so the analysis can be
// inspected at run time; the compile-fail suite checks the static_assert.
NETKIT_ENUM(two_state, unsigned char, a, b)
NETKIT_ENUM(one_event, unsigned char, go)

using core::fsm::refuse;
using core::fsm::row;

TEST(fsm, verification_reports_a_duplicate_row) {
    using broken = core::fsm::table<two_state::a, row<two_state::a, one_event::go, two_state::b>,
                                    refuse<two_state::a, one_event::go, errno_code::busy>,
                                    refuse<two_state::b, one_event::go, errno_code::busy>>;
    constexpr auto found = broken::analyze();
    EXPECT_TRUE(found.duplicate);
    EXPECT_EQ(found.duplicate_first, 0U);
    EXPECT_EQ(found.duplicate_second, 1U);
    EXPECT_FALSE(found.incomplete);
    EXPECT_FALSE(found.unreachable);
}

TEST(fsm, verification_reports_an_unreachable_state) {
    using broken = core::fsm::table<two_state::a, refuse<two_state::a, one_event::go, errno_code::busy>,
                                    row<two_state::b, one_event::go, two_state::a>>;
    constexpr auto found = broken::analyze();
    EXPECT_TRUE(found.unreachable);
    EXPECT_EQ(found.unreachable_state, core::enum_index(two_state::b));
    EXPECT_FALSE(found.duplicate);
    EXPECT_FALSE(found.incomplete);
}

TEST(fsm, verification_reports_a_missing_pair) {
    using broken = core::fsm::table<two_state::a, row<two_state::a, one_event::go, two_state::b>>;
    constexpr auto found = broken::analyze();
    EXPECT_TRUE(found.incomplete);
    EXPECT_EQ(found.missing_state, core::enum_index(two_state::b));
    EXPECT_EQ(found.missing_event, 0U);
}

TEST(fsm, verification_reports_a_row_outside_its_enumeration) {
    using broken = core::fsm::table<two_state::a, row<two_state::a, one_event::go, static_cast<two_state>(7)>>;
    constexpr auto found = broken::analyze();
    EXPECT_FALSE(found.rows_in_range);
    EXPECT_EQ(found.bad_row, 0U);
}

NETKIT_ENUM(only_guard, unsigned char, maybe)

TEST(fsm, a_guarded_pair_still_needs_an_unguarded_row) {
    using broken = core::fsm::guarded_table<only_guard, two_state::a, row<two_state::a, one_event::go, two_state::b>,
                                            row<two_state::b, one_event::go, two_state::a>::when<only_guard::maybe>>;
    constexpr auto found = broken::analyze();
    EXPECT_TRUE(found.incomplete);
    EXPECT_EQ(found.missing_state, core::enum_index(two_state::b));
}

TEST(fsm, verified_tables_pass_every_check) {
    constexpr auto toy = toy_queue::analyze();
    EXPECT_TRUE(toy.rows_in_range && !toy.duplicate && !toy.unreachable && !toy.incomplete);
    constexpr auto big = dense::analyze();
    EXPECT_TRUE(big.rows_in_range && !big.duplicate && !big.unreachable && !big.incomplete);
    EXPECT_EQ(dense::row_count, 2500U);
}

}  // namespace
