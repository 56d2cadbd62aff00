// Tests of include/netkit/model/queue_fsm.hpp: the physical and virtual RX
// queue machines of lease.md §14 and §15. Every row of both tables is stepped
// through the run-time machine; the spec's rows are then checked one rule at
// a time against expectations transcribed from lease.md (not read back from
// the table), followed by the pairs the spec tables leave open; the two
// machines composed keep a lease symmetric (QL-INV-01); and the checked-in
// diagrams in docs/fsm/ equal what the tables produce.
#include <netkit/model/queue_fsm.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstddef>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#ifndef NETKIT_SOURCE_ROOT
#error "props/model/queue_fsm.cpp needs -DNETKIT_SOURCE_ROOT=\"<repository root>\" to find docs/fsm/"
#endif

namespace {

using namespace netkit;
using core::errno_code;
using P = model::physical_queue_state;
using PE = model::physical_queue_event;
using PG = model::physical_queue_guard;
using V = model::virtual_queue_state;
using VE = model::virtual_queue_event;
using VG = model::virtual_queue_guard;
using physical = model::physical_queue_table;
using virtual_ = model::virtual_queue_table;

// The guards that hold: exactly one, or none.
template <class Table>
struct holds_only {
    std::optional<typename Table::guard_type> guard;
    bool operator()(typename Table::guard_type g) const { return guard.has_value() && *guard == g; }
};

// One expected step, written from the spec.
template <class Table>
struct expectation {
    typename Table::state_type from;
    typename Table::event_type event;
    std::optional<typename Table::guard_type> guard;
    bool refused;
    typename Table::state_type to;
    errno_code error;
    std::string_view message;
    std::string_view rule;
};

template <class Table>
testing::AssertionResult steps_as(const expectation<Table>& e) {
    core::fsm::machine<Table> machine{e.from};
    const auto& r = machine.fire(e.event, holds_only<Table>{e.guard});
    std::ostringstream where;
    where << core::enum_name(e.from) << " --" << core::enum_name(e.event);
    if (e.guard) {
        where << " [" << core::enum_name(*e.guard) << "]";
    }
    where << "--> ";
    if (r.refused() != e.refused) {
        return testing::AssertionFailure() << where.str() << (r.refused() ? "refused" : "moved")
                                           << ", expected the opposite";
    }
    if (machine.state() != e.to) {
        return testing::AssertionFailure() << where.str() << core::enum_name(machine.state()) << ", expected "
                                           << core::enum_name(e.to);
    }
    if (r.error != e.error) {
        return testing::AssertionFailure() << where.str() << core::kernel_name(r.error) << ", expected "
                                           << core::kernel_name(e.error);
    }
    if (r.message() != e.message) {
        return testing::AssertionFailure() << where.str() << "extack \"" << r.message() << "\", expected \""
                                           << e.message << "\"";
    }
    if (r.rule() != e.rule) {
        return testing::AssertionFailure() << where.str() << "cites " << r.rule() << ", expected " << e.rule;
    }
    return testing::AssertionSuccess();
}

testing::AssertionResult moves(P from, PE event, P to, std::string_view rule, std::optional<PG> guard = {}) {
    return steps_as<physical>({from, event, guard, false, to, errno_code{}, "", rule});
}
testing::AssertionResult refuses(P from, PE event, errno_code error, std::string_view message, std::string_view rule,
                                 std::optional<PG> guard = {}) {
    return steps_as<physical>({from, event, guard, true, from, error, message, rule});
}
testing::AssertionResult moves(V from, VE event, V to, std::string_view rule, std::optional<VG> guard = {}) {
    return steps_as<virtual_>({from, event, guard, false, to, errno_code{}, "", rule});
}
testing::AssertionResult refuses(V from, VE event, errno_code error, std::string_view message, std::string_view rule,
                                 std::optional<VG> guard = {}) {
    return steps_as<virtual_>({from, event, guard, true, from, error, message, rule});
}

constexpr std::string_view busy_provider = "Device queue in use by memory provider";
constexpr std::string_view busy_af_xdp = "Device queue in use by AF_XDP";
constexpr std::string_view busy_leasing = "Device queue in use due to queue leasing";
constexpr std::string_view channels_provider =
    "requested channel counts are too low for existing memory provider setting (%d)";
constexpr std::string_view xdp_provider = "unable to install XDP to device using memory provider";

constexpr P leased_states[] = {P::leased, P::leased_mp, P::leased_xsk};
constexpr P unleased_states[] = {P::inactive, P::free, P::mp_direct, P::xsk_direct};

// ---- every row -------------------------------------------------------------

template <class Table>
void expect_every_row_steps_as_written() {
    for (const auto& r : Table::rows) {
        const auto guard = r.guarded() ? std::optional{core::enum_from_index<typename Table::guard_type>(
                                             static_cast<std::size_t>(r.guard))}
                                       : std::nullopt;
        core::fsm::machine<Table> machine{r.from};
        const auto& got = machine.fire(r.event, holds_only<Table>{guard});
        SCOPED_TRACE(std::string(core::enum_name(r.from)) + " --" + std::string(core::enum_name(r.event)) + "--> (" +
                     std::string(r.rule()) + ")");
        EXPECT_EQ(&got, &r);
        EXPECT_EQ(machine.state(), r.refused() ? r.from : r.to);
        EXPECT_EQ(got.error, r.error);
        EXPECT_EQ(got.message(), r.message());
        EXPECT_EQ(r.refused(), r.error != errno_code{});
        if (!r.refused()) {
            EXPECT_EQ(r.message(), "");
        }
        EXPECT_FALSE(r.rule().empty());
    }
}

TEST(queue_fsm, every_physical_row_steps_to_its_target_with_its_errno_and_extack) {
    expect_every_row_steps_as_written<physical>();
}

TEST(queue_fsm, every_virtual_row_steps_to_its_target_with_its_errno_and_extack) {
    expect_every_row_steps_as_written<virtual_>();
}

// Unguarded, every pair still has a row (the totality static_assert, observed
// at run time) and the guards of a pair never change the answer when none holds.
TEST(queue_fsm, both_tables_answer_every_state_and_event_without_guards) {
    for (std::size_t s = 0; s < physical::state_count; ++s) {
        for (std::size_t e = 0; e < physical::event_count; ++e) {
            const auto* r = core::fsm::naive_step<physical>(core::enum_from_index<P>(s), core::enum_from_index<PE>(e),
                                                            holds_only<physical>{});
            ASSERT_NE(r, nullptr);
            EXPECT_FALSE(r->guarded());
        }
    }
    for (std::size_t s = 0; s < virtual_::state_count; ++s) {
        for (std::size_t e = 0; e < virtual_::event_count; ++e) {
            const auto* r = core::fsm::naive_step<virtual_>(core::enum_from_index<V>(s), core::enum_from_index<VE>(e),
                                                            holds_only<virtual_>{});
            ASSERT_NE(r, nullptr);
            EXPECT_FALSE(r->guarded());
        }
    }
}

// "QL-PSM-07" from ("QL-PSM-", 7), built by appending only (gcc 12 -O3 warns
// falsely on a literal prepended to a std::string).
std::string rule_id(std::string_view prefix, int n) {
    std::string id(prefix);
    if (n < 10) {
        id += '0';
    }
    id += std::to_string(n);
    return id;
}

// QL-PSM-01 QL-VSM-01: states; every other rule of the two spec tables is a row.
TEST(queue_fsm, every_rule_of_the_spec_tables_is_cited_by_a_row) {
    std::set<std::string, std::less<>> cited;
    for (const auto& r : physical::rows) {
        cited.emplace(r.rule());
    }
    for (const auto& r : virtual_::rows) {
        cited.emplace(r.rule());
    }
    for (int n = 2; n <= 30; ++n) {
        EXPECT_TRUE(cited.count(rule_id("QL-PSM-", n))) << rule_id("QL-PSM-", n);
    }
    for (int n = 2; n <= 12; ++n) {
        EXPECT_TRUE(cited.count(rule_id("QL-VSM-", n))) << rule_id("QL-VSM-", n);
    }
    EXPECT_EQ(physical::state_count, 8U);  // P0 … P6 and gone
    EXPECT_EQ(virtual_::state_count, 5U);  // V0 … V3 and not_created
}

// ---- physical queue: the rows of lease.md §14 ------------------------------

// QL-PSM-02
TEST(physical_queue, growing_channels_over_an_inactive_queue_makes_it_free) {
    EXPECT_TRUE(moves(P::inactive, PE::channels_grow, P::free, "QL-PSM-02"));
}

// QL-PSM-03
TEST(physical_queue, shrinking_channels_below_a_free_queue_makes_it_inactive) {
    EXPECT_TRUE(moves(P::free, PE::channels_shrink, P::inactive, "QL-PSM-03"));
}

// QL-PSM-04 QL-PSM-05 SN-CH-05: the provider check fires before the busy check.
TEST(physical_queue, shrinking_channels_over_a_provider_fails_with_the_provider_message) {
    EXPECT_TRUE(refuses(P::mp_direct, PE::channels_shrink, errno_code::invalid, channels_provider, "QL-PSM-04"));
    EXPECT_TRUE(refuses(P::leased_mp, PE::channels_shrink, errno_code::invalid, channels_provider, "QL-PSM-05"));
}

// QL-PSM-06 QL-ETH-02 QL-CAN-03
TEST(physical_queue, shrinking_channels_over_a_pool_or_lease_fails_with_the_queue_busy_message) {
    EXPECT_TRUE(refuses(P::xsk_direct, PE::channels_shrink, errno_code::invalid, busy_af_xdp, "QL-PSM-06"));
    EXPECT_TRUE(refuses(P::leased, PE::channels_shrink, errno_code::invalid, busy_leasing, "QL-PSM-06"));
    EXPECT_TRUE(refuses(P::leased_xsk, PE::channels_shrink, errno_code::invalid, busy_af_xdp, "QL-PSM-06"));
}

// QL-PSM-07 QL-CRT-21
TEST(physical_queue, queue_create_leases_a_free_queue) {
    EXPECT_TRUE(moves(P::free, PE::queue_create, P::leased, "QL-PSM-07"));
}

// QL-PSM-08 QL-PSM-09 QL-PSM-10 QL-CRT-18: queue_busy's order, AF_XDP first.
TEST(physical_queue, queue_create_on_a_busy_queue_fails_with_ebusy_and_the_queue_busy_message) {
    EXPECT_TRUE(refuses(P::mp_direct, PE::queue_create, errno_code::busy, busy_provider, "QL-PSM-08"));
    EXPECT_TRUE(refuses(P::xsk_direct, PE::queue_create, errno_code::busy, busy_af_xdp, "QL-PSM-09"));
    EXPECT_TRUE(refuses(P::leased, PE::queue_create, errno_code::busy, busy_leasing, "QL-PSM-10"));
    EXPECT_TRUE(refuses(P::leased_mp, PE::queue_create, errno_code::busy, busy_leasing, "QL-PSM-10"));
    EXPECT_TRUE(refuses(P::leased_xsk, PE::queue_create, errno_code::busy, busy_af_xdp, "QL-PSM-10"));
}

// QL-PSM-11 QL-CRT-17: bad attribute lease.queue.id, no extack text.
TEST(physical_queue, queue_create_on_an_inactive_queue_fails_with_erange) {
    EXPECT_TRUE(refuses(P::inactive, PE::queue_create, errno_code::out_of_range, "", "QL-PSM-11"));
}

// QL-PSM-12
TEST(physical_queue, a_provider_opened_on_a_free_queue_is_direct) {
    EXPECT_TRUE(moves(P::free, PE::provider_open_on_physical, P::mp_direct, "QL-PSM-12"));
}

// QL-PSM-13 QL-MP-03
TEST(physical_queue, a_leased_physical_queue_refuses_a_direct_memory_provider) {
    for (auto state : leased_states) {
        EXPECT_TRUE(refuses(state, PE::provider_open_on_physical, errno_code::busy,
                            "rx queue leased to a virtual netdev", "QL-PSM-13"));
    }
}

// QL-PSM-14 QL-MP-04
TEST(physical_queue, a_provider_opened_through_the_lease_sits_on_the_physical_queue) {
    EXPECT_TRUE(moves(P::leased, PE::provider_open_on_virtual, P::leased_mp, "QL-PSM-14"));
}

// QL-PSM-15 QL-PSM-16 QL-MP-06
TEST(physical_queue, a_second_provider_or_a_provider_over_a_pool_through_the_lease_is_refused) {
    EXPECT_TRUE(refuses(P::leased_mp, PE::provider_open_on_virtual, errno_code::exists,
                        "designated queue already memory provider bound", "QL-PSM-15"));
    EXPECT_TRUE(refuses(P::leased_xsk, PE::provider_open_on_virtual, errno_code::busy,
                        "designated queue already in use by AF_XDP", "QL-PSM-16"));
}

// QL-PSM-17 QL-MP-08
TEST(physical_queue, closing_the_provider_through_the_lease_keeps_the_lease) {
    EXPECT_TRUE(moves(P::leased_mp, PE::provider_close_on_virtual, P::leased, "QL-PSM-17"));
}

// QL-PSM-18
TEST(physical_queue, an_af_xdp_bind_on_a_free_queue_registers_a_direct_pool) {
    EXPECT_TRUE(moves(P::free, PE::af_xdp_copy_bind_on_physical, P::xsk_direct, "QL-PSM-18"));
    EXPECT_TRUE(moves(P::free, PE::af_xdp_zero_copy_bind_on_physical, P::xsk_direct, "QL-PSM-18"));
    EXPECT_TRUE(moves(P::free, PE::af_xdp_forced_zero_copy_bind_on_physical, P::xsk_direct, "QL-PSM-18"));
}

// QL-PSM-19 QL-XSK-02
TEST(physical_queue, a_leased_physical_queue_refuses_a_direct_af_xdp_bind_in_every_mode) {
    for (auto state : leased_states) {
        for (auto event : {PE::af_xdp_copy_bind_on_physical, PE::af_xdp_zero_copy_bind_on_physical,
                           PE::af_xdp_forced_zero_copy_bind_on_physical}) {
            EXPECT_TRUE(refuses(state, event, errno_code::busy, "", "QL-PSM-19"));
        }
    }
}

// QL-PSM-20 QL-XSK-08
TEST(physical_queue, a_zero_copy_bind_through_a_single_lessee_registers_the_pool_at_the_physical_queue) {
    EXPECT_TRUE(moves(P::leased, PE::af_xdp_zero_copy_bind_on_virtual, P::leased_xsk, "QL-PSM-20"));
    EXPECT_TRUE(moves(P::leased, PE::af_xdp_forced_zero_copy_bind_on_virtual, P::leased_xsk, "QL-PSM-20"));
}

// QL-PSM-21 [unconfirmed]: not forced falls back to copy mode.
TEST(physical_queue, a_zero_copy_bind_through_the_lease_while_the_lessor_has_a_provider_unconfirmed) {
    EXPECT_TRUE(refuses(P::leased, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::busy, "", "QL-PSM-21",
                        PG::provider_on_device));
    EXPECT_TRUE(moves(P::leased, PE::af_xdp_zero_copy_bind_on_virtual, P::leased_xsk, "QL-PSM-21",
                      PG::provider_on_device));
}

// QL-PSM-22 QL-XSK-13
TEST(physical_queue, unbinding_through_the_lease_clears_the_pool_at_the_physical_queue) {
    EXPECT_TRUE(moves(P::leased_xsk, PE::af_xdp_unbind_on_virtual, P::leased, "QL-PSM-22"));
}

// QL-PSM-23 QL-XSK-06
TEST(physical_queue, a_direct_zero_copy_bind_while_the_device_has_a_provider_is_forced_ebusy_or_copy) {
    EXPECT_TRUE(refuses(P::free, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::busy, "", "QL-PSM-23",
                        PG::provider_on_device));
    EXPECT_TRUE(moves(P::free, PE::af_xdp_zero_copy_bind_on_physical, P::xsk_direct, "QL-PSM-23",
                      PG::provider_on_device));
    EXPECT_TRUE(refuses(P::mp_direct, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::busy, "", "QL-PSM-23"));
}

// QL-PSM-24 SN-XDP-01
TEST(physical_queue, xdp_attach_fails_while_any_queue_of_the_device_has_a_provider) {
    EXPECT_TRUE(refuses(P::mp_direct, PE::xdp_attach, errno_code::busy, xdp_provider, "QL-PSM-24"));
    EXPECT_TRUE(refuses(P::leased_mp, PE::xdp_attach, errno_code::busy, xdp_provider, "QL-PSM-24"));
    for (auto state : {P::inactive, P::free, P::xsk_direct, P::leased, P::leased_xsk}) {
        EXPECT_TRUE(refuses(state, PE::xdp_attach, errno_code::busy, xdp_provider, "QL-PSM-24", PG::provider_on_device));
        EXPECT_TRUE(moves(state, PE::xdp_attach, state, "SN-XDP-01"));
    }
}

// QL-PSM-25 QL-PSM-26 QL-LIFE-05 QL-LIFE-06
TEST(physical_queue, the_lessee_unregistering_frees_a_leased_queue_and_its_provider) {
    EXPECT_TRUE(moves(P::leased, PE::lessee_unregistered, P::free, "QL-PSM-25"));
    EXPECT_TRUE(moves(P::leased_mp, PE::lessee_unregistered, P::free, "QL-PSM-26"));
}

// QL-PSM-27 QL-XSK-14 [unconfirmed]
TEST(physical_queue, the_lessee_unregistering_clears_its_pool_at_the_physical_queue_unconfirmed) {
    EXPECT_TRUE(moves(P::leased_xsk, PE::lessee_unregistered, P::free, "QL-PSM-27"));
}

// QL-PSM-28 QL-LIFE-08 QL-LIFE-09
TEST(physical_queue, the_lessor_unregistering_ends_every_queue_state_in_gone) {
    for (auto state : leased_states) {
        EXPECT_TRUE(moves(state, PE::lessor_unregistered, P::gone, "QL-PSM-28"));
    }
    for (auto state : unleased_states) {
        EXPECT_TRUE(moves(state, PE::lessor_unregistered, P::gone, "QL-LIFE-08"));
    }
}

// QL-PSM-29 QL-PSM-30 QL-LIFE-03 QL-NS-02
TEST(physical_queue, link_changes_and_netns_moves_of_the_lessor_keep_the_lease) {
    for (auto state : leased_states) {
        EXPECT_TRUE(moves(state, PE::link_down, state, "QL-PSM-29"));
        EXPECT_TRUE(moves(state, PE::link_up, state, "QL-PSM-29"));
        EXPECT_TRUE(moves(state, PE::netns_move, state, "QL-PSM-30"));
    }
}

// ---- physical queue: pairs the spec table leaves open ----------------------

// QL-ETH-04 QL-LIFE-03
TEST(physical_queue, a_channel_set_that_keeps_the_queue_changes_nothing) {
    for (auto state : {P::free, P::mp_direct, P::xsk_direct, P::leased, P::leased_mp, P::leased_xsk}) {
        EXPECT_TRUE(moves(state, PE::channels_grow, state, "QL-ETH-04"));
    }
    EXPECT_TRUE(moves(P::inactive, PE::channels_shrink, P::inactive, "SN-CH-07"));
}

// SN-CH-05 [unconfirmed]: C <= M also refuses C = M, which keeps the provider's queue.
TEST(physical_queue, a_channel_set_leaving_a_provider_queue_last_is_refused_unconfirmed) {
    for (auto state : {P::mp_direct, P::leased_mp}) {
        EXPECT_TRUE(refuses(state, PE::channels_grow, errno_code::invalid, channels_provider, "SN-CH-05",
                            PG::last_active_after_set));
    }
    EXPECT_TRUE(moves(P::free, PE::channels_grow, P::free, "QL-ETH-04", PG::last_active_after_set));
}

// QL-MP-02 QL-MP-06 QL-MP-08
TEST(physical_queue, a_direct_provider_open_checks_the_index_then_the_queue) {
    EXPECT_TRUE(refuses(P::inactive, PE::provider_open_on_physical, errno_code::out_of_range,
                        "rx queue index out of range", "QL-MP-02"));
    EXPECT_TRUE(refuses(P::mp_direct, PE::provider_open_on_physical, errno_code::exists,
                        "designated queue already memory provider bound", "QL-MP-06"));
    EXPECT_TRUE(refuses(P::xsk_direct, PE::provider_open_on_physical, errno_code::busy,
                        "designated queue already in use by AF_XDP", "QL-MP-06"));
    EXPECT_TRUE(moves(P::mp_direct, PE::provider_close_on_physical, P::free, "QL-MP-08"));
    // Closing where no direct provider is (or through a lease) is a silent no-op.
    for (auto state : {P::inactive, P::free, P::xsk_direct, P::leased, P::leased_mp, P::leased_xsk}) {
        EXPECT_TRUE(moves(state, PE::provider_close_on_physical, state, "QL-MP-08"));
    }
}

// QL-XSK-01 QL-XSK-06 QL-XSK-13 QL-XSK-05
TEST(physical_queue, direct_af_xdp_binds_check_the_index_then_an_existing_pool) {
    for (auto event : {PE::af_xdp_copy_bind_on_physical, PE::af_xdp_zero_copy_bind_on_physical,
                       PE::af_xdp_forced_zero_copy_bind_on_physical}) {
        EXPECT_TRUE(refuses(P::inactive, event, errno_code::invalid, "", "QL-XSK-01"));
        EXPECT_TRUE(refuses(P::xsk_direct, event, errno_code::busy, "", "QL-XSK-06"));
    }
    EXPECT_TRUE(moves(P::xsk_direct, PE::af_xdp_unbind_on_physical, P::free, "QL-XSK-13"));
    for (auto state : {P::inactive, P::free, P::mp_direct, P::leased, P::leased_mp, P::leased_xsk}) {
        EXPECT_TRUE(moves(state, PE::af_xdp_unbind_on_physical, state, "QL-XSK-05"));
    }
}

// SN-XSK-01: a device without zero-copy support still takes a copy-mode pool.
TEST(physical_queue, a_device_without_zero_copy_support_refuses_only_forced_zero_copy) {
    EXPECT_TRUE(refuses(P::free, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::not_supported, "",
                        "SN-XSK-01", PG::no_zero_copy_support));
    EXPECT_TRUE(moves(P::free, PE::af_xdp_zero_copy_bind_on_physical, P::xsk_direct, "SN-XSK-01",
                      PG::no_zero_copy_support));
    EXPECT_TRUE(refuses(P::mp_direct, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::not_supported, "",
                        "SN-XSK-01", PG::no_zero_copy_support));
}

// QL-INV-06: the model's decision for a pool next to a provider (see queue_fsm.hpp).
TEST(physical_queue, a_copy_mode_pool_is_not_registered_next_to_a_provider) {
    EXPECT_TRUE(refuses(P::mp_direct, PE::af_xdp_copy_bind_on_physical, errno_code::busy, "", "QL-INV-06"));
    EXPECT_TRUE(refuses(P::mp_direct, PE::af_xdp_zero_copy_bind_on_physical, errno_code::busy, "", "QL-INV-06"));
    EXPECT_TRUE(refuses(P::leased_mp, PE::af_xdp_copy_bind_on_virtual, errno_code::busy, "", "QL-INV-06"));
    EXPECT_TRUE(refuses(P::leased_mp, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::busy, "", "QL-INV-06"));
    EXPECT_TRUE(refuses(P::leased_mp, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::busy, "", "QL-PSM-21"));
}

// QL-XSK-08 QL-VSM-09: netkit's checks in order — pair, P's support, P's providers.
TEST(physical_queue, a_forced_zero_copy_bind_through_the_lease_follows_netkit_check_order) {
    EXPECT_TRUE(refuses(P::leased, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::not_supported, "",
                        "QL-VSM-09", PG::lessee_is_pair));
    EXPECT_TRUE(refuses(P::leased, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::not_supported, "",
                        "QL-XSK-08", PG::no_zero_copy_support));
    const auto all = [](PG) { return true; };
    const auto& first = physical::step(P::leased, PE::af_xdp_forced_zero_copy_bind_on_virtual, all);
    EXPECT_EQ(first.rule(), "QL-VSM-09");
    const auto& not_pair = physical::step(P::leased, PE::af_xdp_forced_zero_copy_bind_on_virtual,
                                          [](PG g) { return g != PG::lessee_is_pair; });
    EXPECT_EQ(not_pair.rule(), "QL-XSK-08");
    EXPECT_TRUE(moves(P::leased, PE::af_xdp_zero_copy_bind_on_virtual, P::leased_xsk, "QL-VSM-09", PG::lessee_is_pair));
    EXPECT_TRUE(moves(P::leased, PE::af_xdp_copy_bind_on_virtual, P::leased_xsk, "QL-XSK-04"));
}

// QL-XSK-03: a pool already at the physical queue refuses a second one through the lease.
TEST(physical_queue, a_second_pool_through_the_lease_is_refused) {
    for (auto event : {PE::af_xdp_copy_bind_on_virtual, PE::af_xdp_zero_copy_bind_on_virtual,
                       PE::af_xdp_forced_zero_copy_bind_on_virtual}) {
        EXPECT_TRUE(refuses(P::leased_xsk, event, errno_code::busy, "", "QL-XSK-03"));
    }
}

// QL-VSM-07 QL-MP-05 QL-XSK-02 QL-XSK-05 QL-LIFE-05 [unconfirmed]: without a lease,
// an event on (V, k) does not reach the queue and gets an unleased virtual queue's answer.
TEST(physical_queue, virtual_side_events_without_a_lease_get_the_unleased_virtual_answer_unconfirmed) {
    for (auto state : unleased_states) {
        EXPECT_TRUE(refuses(state, PE::provider_open_on_virtual, errno_code::invalid, "tcp-data-split is disabled",
                            "QL-MP-05"));
        EXPECT_TRUE(moves(state, PE::provider_close_on_virtual, state, "QL-MP-08"));
        EXPECT_TRUE(moves(state, PE::af_xdp_copy_bind_on_virtual, state, "QL-XSK-02"));
        EXPECT_TRUE(moves(state, PE::af_xdp_zero_copy_bind_on_virtual, state, "QL-VSM-07"));
        EXPECT_TRUE(refuses(state, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::not_supported, "",
                            "QL-VSM-07"));
        EXPECT_TRUE(moves(state, PE::af_xdp_unbind_on_virtual, state, "QL-XSK-05"));
        EXPECT_TRUE(moves(state, PE::lessee_unregistered, state, "QL-LIFE-05"));
    }
}

// QL-PSM-28 QL-CRT-14 QL-LIFE-09 QL-MP-08 QL-XSK-14: after P is gone every lookup
// fails with ENODEV and closing a consumer is a no-op.
TEST(physical_queue, a_gone_queue_answers_enodev_except_to_closes) {
    const std::set<PE> no_ops{PE::provider_close_on_physical, PE::provider_close_on_virtual,
                              PE::af_xdp_unbind_on_physical, PE::af_xdp_unbind_on_virtual, PE::lessee_unregistered};
    for (std::size_t e = 0; e < physical::event_count; ++e) {
        const auto event = core::enum_from_index<PE>(e);
        model::physical_queue_machine machine{P::gone};
        const auto& r = machine.fire(event);
        EXPECT_EQ(machine.state(), P::gone) << core::enum_name(event);
        EXPECT_EQ(r.refused(), no_ops.count(event) == 0) << core::enum_name(event);
        if (r.refused()) {
            EXPECT_EQ(r.error, errno_code::no_device) << core::enum_name(event);
        }
    }
    EXPECT_TRUE(refuses(P::gone, PE::queue_create, errno_code::no_device, "", "QL-CRT-14"));
}

// SN-Q-03 SN-Q-04 SN-MP-03 NK-ENV-09: link changes and moves keep unleased queues as they are.
TEST(physical_queue, link_changes_and_netns_moves_keep_an_unleased_queue) {
    for (auto state : unleased_states) {
        EXPECT_TRUE(moves(state, PE::netns_move, state, "NK-ENV-09"));
    }
    EXPECT_TRUE(moves(P::mp_direct, PE::link_down, P::mp_direct, "SN-MP-03"));
    EXPECT_TRUE(moves(P::free, PE::link_down, P::free, "SN-Q-04"));
    EXPECT_TRUE(moves(P::free, PE::link_up, P::free, "SN-Q-03"));
}

// ---- virtual queue: the rows of lease.md §15 -------------------------------

// QL-VSM-01 NK-CRT-14: queue 0 is the base queue; the others start unallocated.
TEST(virtual_queue, creating_the_device_makes_queue_zero_base_and_the_rest_unallocated) {
    EXPECT_TRUE(moves(V::not_created, VE::device_created, V::base, "QL-VSM-01", VG::base_queue));
    EXPECT_TRUE(moves(V::not_created, VE::device_created, V::unallocated, "NK-CRT-14"));
}

// QL-VSM-02 QL-NKQC-02 QL-NKQC-03
TEST(virtual_queue, queue_create_leases_the_next_unallocated_queue) {
    EXPECT_TRUE(moves(V::unallocated, VE::queue_create, V::leased, "QL-VSM-02"));
    EXPECT_TRUE(moves(V::unallocated, VE::queue_create, V::unallocated, "QL-NKQC-03", VG::lower_index_unallocated));
}

// QL-VSM-03 QL-NKQC-05
TEST(virtual_queue, queue_create_without_an_unallocated_queue_fails_with_the_limit_message) {
    for (auto state : {V::base, V::leased}) {
        EXPECT_TRUE(refuses(state, VE::queue_create, errno_code::invalid, "netkit maximum queue limit reached",
                            "QL-VSM-03", VG::no_unallocated_queue));
    }
}

// QL-VSM-04 QL-NKQC-01
TEST(virtual_queue, queue_create_on_a_pair_primary_fails_with_eopnotsupp) {
    for (auto state : {V::base, V::unallocated}) {
        EXPECT_TRUE(refuses(state, VE::queue_create, errno_code::not_supported,
                            "netkit can only lease against the peer device", "QL-VSM-04", VG::pair_primary));
    }
}

// QL-VSM-05 QL-MP-05 [unconfirmed]
TEST(virtual_queue, a_provider_open_on_queue_zero_fails_unconfirmed) {
    EXPECT_TRUE(refuses(V::base, VE::provider_open, errno_code::invalid, "tcp-data-split is disabled", "QL-VSM-05"));
}

// QL-VSM-06 QL-MP-04
TEST(virtual_queue, a_provider_open_on_a_leased_queue_is_proxied) {
    EXPECT_TRUE(moves(V::leased, VE::provider_open, V::leased, "QL-VSM-06"));
    EXPECT_EQ(model::physical_counterpart(VE::provider_open), PE::provider_open_on_virtual);
}

// QL-VSM-07 QL-XSK-08
TEST(virtual_queue, zero_copy_on_queue_zero_is_eopnotsupp_when_forced_and_copy_otherwise) {
    EXPECT_TRUE(refuses(V::base, VE::af_xdp_forced_zero_copy_bind, errno_code::not_supported, "", "QL-VSM-07"));
    EXPECT_TRUE(moves(V::base, VE::af_xdp_zero_copy_bind, V::base, "QL-VSM-07"));
    EXPECT_TRUE(moves(V::base, VE::af_xdp_copy_bind, V::base, "QL-XSK-06"));
}

// QL-VSM-08
TEST(virtual_queue, a_zero_copy_bind_on_a_leased_queue_of_a_single_device_is_proxied) {
    EXPECT_TRUE(moves(V::leased, VE::af_xdp_zero_copy_bind, V::leased, "QL-VSM-08"));
    EXPECT_TRUE(moves(V::leased, VE::af_xdp_forced_zero_copy_bind, V::leased, "QL-VSM-08"));
    EXPECT_EQ(model::physical_counterpart(VE::af_xdp_forced_zero_copy_bind),
              PE::af_xdp_forced_zero_copy_bind_on_virtual);
}

// QL-VSM-09
TEST(virtual_queue, a_zero_copy_bind_on_a_leased_queue_of_a_pair_is_eopnotsupp_when_forced) {
    EXPECT_TRUE(refuses(V::leased, VE::af_xdp_forced_zero_copy_bind, errno_code::not_supported, "", "QL-VSM-09",
                        VG::pair_device));
    EXPECT_TRUE(moves(V::leased, VE::af_xdp_zero_copy_bind, V::leased, "QL-VSM-09", VG::pair_device));
}

// QL-VSM-10 QL-ETH-05 NK-RT-06
TEST(virtual_queue, channel_set_on_netkit_fails_with_eopnotsupp_in_every_live_state) {
    for (auto state : {V::base, V::unallocated, V::leased}) {
        EXPECT_TRUE(refuses(state, VE::channels_set, errno_code::not_supported, "", "QL-VSM-10"));
    }
}

// QL-VSM-11 QL-NS-01
TEST(virtual_queue, link_changes_and_netns_moves_of_the_lessee_keep_the_lease) {
    for (auto event : {VE::link_down, VE::link_up, VE::netns_move}) {
        EXPECT_TRUE(moves(V::leased, event, V::leased, "QL-VSM-11"));
        EXPECT_EQ(model::physical_counterpart(event), std::nullopt);
    }
}

// QL-VSM-12 QL-LIFE-04
TEST(virtual_queue, every_live_queue_dies_with_its_device) {
    EXPECT_TRUE(moves(V::leased, VE::unregistered, V::dead, "QL-VSM-12"));
    EXPECT_TRUE(moves(V::base, VE::unregistered, V::dead, "QL-LIFE-04"));
    EXPECT_TRUE(moves(V::unallocated, VE::unregistered, V::dead, "QL-LIFE-04"));
    EXPECT_EQ(model::physical_counterpart(VE::unregistered), PE::lessee_unregistered);
}

// ---- virtual queue: pairs the spec table leaves open -----------------------

// QL-CRT-19
TEST(virtual_queue, queue_create_from_a_second_lessor_fails_in_every_live_state) {
    for (auto state : {V::base, V::unallocated, V::leased}) {
        EXPECT_TRUE(refuses(state, VE::queue_create, errno_code::not_supported,
                            "Leasing queues from different devices not supported", "QL-CRT-19", VG::other_lessor));
    }
    EXPECT_TRUE(moves(V::base, VE::queue_create, V::base, "QL-NKQC-03"));
    EXPECT_TRUE(moves(V::leased, VE::queue_create, V::leased, "QL-NKQC-03"));
}

// QL-MP-02 QL-XSK-01 QL-MP-08 QL-XSK-05
TEST(virtual_queue, an_unallocated_queue_refuses_providers_and_pools_by_index) {
    EXPECT_TRUE(refuses(V::unallocated, VE::provider_open, errno_code::out_of_range, "rx queue index out of range",
                        "QL-MP-02"));
    for (auto event : {VE::af_xdp_copy_bind, VE::af_xdp_zero_copy_bind, VE::af_xdp_forced_zero_copy_bind}) {
        EXPECT_TRUE(refuses(V::unallocated, event, errno_code::invalid, "", "QL-XSK-01"));
    }
    EXPECT_TRUE(moves(V::unallocated, VE::provider_close, V::unallocated, "QL-MP-08"));
    EXPECT_TRUE(moves(V::unallocated, VE::af_xdp_unbind, V::unallocated, "QL-XSK-05"));
}

// NK-ENV-04 NK-CRT-12 QL-CRT-11 NK-DEL-06 NK-DEL-07
TEST(virtual_queue, before_creation_and_after_death_lookups_fail_with_enodev) {
    for (auto state : {V::not_created, V::dead}) {
        for (auto event : {VE::queue_create, VE::provider_open, VE::af_xdp_copy_bind, VE::af_xdp_zero_copy_bind,
                           VE::af_xdp_forced_zero_copy_bind, VE::channels_set, VE::link_down, VE::link_up,
                           VE::netns_move, VE::unregistered}) {
            const auto& r = virtual_::step(state, event);
            EXPECT_TRUE(r.refused()) << core::enum_name(state) << " " << core::enum_name(event);
            EXPECT_EQ(r.error, errno_code::no_device) << core::enum_name(state) << " " << core::enum_name(event);
        }
        EXPECT_TRUE(virtual_::step(state, VE::provider_close).to == state);
        EXPECT_FALSE(virtual_::step(state, VE::af_xdp_unbind).refused());
    }
    EXPECT_TRUE(refuses(V::not_created, VE::queue_create, errno_code::no_device, "", "QL-CRT-11"));
    EXPECT_TRUE(moves(V::dead, VE::device_created, V::dead, "NK-DEL-06"));
    for (auto state : {V::base, V::unallocated, V::leased}) {
        EXPECT_TRUE(refuses(state, VE::device_created, errno_code::exists, "", "NK-ENV-04"));
    }
}

// ---- the two machines together ---------------------------------------------

// One lease, k of V on i of P, with no guards holding: an operation on V steps
// V and, when it reaches the lease, P with the counterpart event; it succeeds
// only if both accept. P-side events step P alone; P unregistering deletes V.
struct lease_pair {
    V v = V::unallocated;
    P p = P::free;

    static constexpr bool leased(P state) {
        return state == P::leased || state == P::leased_mp || state == P::leased_xsk;
    }

    bool on_virtual(VE event) {
        const auto& vr = virtual_::step(v, event);
        if (vr.refused()) {
            return false;
        }
        const auto counterpart = model::physical_counterpart(event);
        const bool reaches_lease = v == V::leased || (event == VE::queue_create && vr.to == V::leased);
        if (counterpart && reaches_lease) {
            const auto& pr = physical::step(p, *counterpart);
            if (pr.refused()) {
                return false;
            }
            p = pr.to;
        }
        v = vr.to;
        return true;
    }

    bool on_physical(PE event) {
        const auto& pr = physical::step(p, event);
        if (pr.refused()) {
            return false;
        }
        if (event == PE::lessor_unregistered && leased(p)) {
            v = virtual_::step(v, VE::unregistered).to;  // QL-LIFE-09
        }
        p = pr.to;
        return true;
    }
};

// The physical events an operation on P itself produces.
constexpr PE physical_only[] = {PE::channels_grow,
                                PE::channels_shrink,
                                PE::provider_open_on_physical,
                                PE::provider_close_on_physical,
                                PE::af_xdp_copy_bind_on_physical,
                                PE::af_xdp_zero_copy_bind_on_physical,
                                PE::af_xdp_forced_zero_copy_bind_on_physical,
                                PE::af_xdp_unbind_on_physical,
                                PE::xdp_attach,
                                PE::lessor_unregistered,
                                PE::link_down,
                                PE::link_up,
                                PE::netns_move};

// QL-INV-01 QL-INV-08 QL-LIFE-01 QL-LIFE-03
TEST(queue_fsm, composed_machines_keep_a_lease_symmetric_over_any_event_sequence) {
    const bool ok = rc::check("V is LEASED exactly when P is P4, P5 or P6", [] {
        const auto steps = *rc::gen::container<std::vector<std::pair<bool, std::size_t>>>(
            rc::gen::pair(rc::gen::arbitrary<bool>(), rc::gen::inRange<std::size_t>(0, 64)));
        lease_pair pair;
        for (const auto& [virtual_side, pick] : steps) {
            const P before_p = pair.p;
            const V before_v = pair.v;
            bool applied = false;
            if (virtual_side) {
                applied = pair.on_virtual(core::enum_from_index<VE>(pick % virtual_::event_count));
            } else {
                applied = pair.on_physical(physical_only[pick % std::size(physical_only)]);
            }
            if (!applied) {
                RC_ASSERT(pair.p == before_p);  // refused means unchanged
                RC_ASSERT(pair.v == before_v);
            }
            RC_ASSERT((pair.v == V::leased) == lease_pair::leased(pair.p));
            // Only an unregistration ends a lease, of V or of P (which deletes V).
            if (before_v == V::leased && pair.v != V::leased) {
                const bool by_unregistration =
                    virtual_side ? core::enum_from_index<VE>(pick % virtual_::event_count) == VE::unregistered
                                 : physical_only[pick % std::size(physical_only)] == PE::lessor_unregistered;
                RC_ASSERT(by_unregistration);
            }
            RC_ASSERT(pair.v != V::leased || pair.p != P::gone);
        }
    });
    EXPECT_TRUE(ok);
}

// QL-CRT-21 QL-MP-04 QL-PSM-14 QL-PSM-17 QL-PSM-25
TEST(queue_fsm, a_lease_with_a_provider_through_it_ends_free_when_the_lessee_goes) {
    lease_pair pair;
    EXPECT_TRUE(pair.on_virtual(VE::queue_create));
    EXPECT_EQ(pair.v, V::leased);
    EXPECT_EQ(pair.p, P::leased);
    EXPECT_TRUE(pair.on_virtual(VE::provider_open));
    EXPECT_EQ(pair.p, P::leased_mp);
    EXPECT_FALSE(pair.on_physical(PE::channels_shrink));  // QL-PSM-05
    EXPECT_FALSE(pair.on_virtual(VE::provider_open));     // QL-PSM-15
    EXPECT_TRUE(pair.on_virtual(VE::provider_close));
    EXPECT_EQ(pair.p, P::leased);
    EXPECT_TRUE(pair.on_virtual(VE::unregistered));
    EXPECT_EQ(pair.v, V::dead);
    EXPECT_EQ(pair.p, P::free);
}

// ---- diagrams --------------------------------------------------------------

std::string read_source_file(const std::string& relative) {
    std::ifstream in(std::string(NETKIT_SOURCE_ROOT) + "/" + relative, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(queue_fsm, the_checked_in_diagrams_are_what_the_tables_produce) {
    EXPECT_EQ(read_source_file("docs/fsm/physical_queue.dot"), model::physical_queue_dot())
        << "regenerate with: fsm_docs docs/fsm";
    EXPECT_EQ(read_source_file("docs/fsm/virtual_queue.dot"), model::virtual_queue_dot())
        << "regenerate with: fsm_docs docs/fsm";
}

// The node line of a state: two spaces, the quoted name, a semicolon.
std::string node_line(std::string_view name) {
    std::string line = "  \"";
    line += name;
    line += "\";";
    return line;
}

TEST(queue_fsm, every_state_is_a_node_of_its_diagram) {
    const std::string physical_dot = model::physical_queue_dot();
    for (auto name : core::enum_names_of<P>) {
        EXPECT_NE(physical_dot.find(node_line(name)), std::string::npos) << name;
    }
    const std::string virtual_dot = model::virtual_queue_dot();
    for (auto name : core::enum_names_of<V>) {
        EXPECT_NE(virtual_dot.find(node_line(name)), std::string::npos) << name;
    }
    EXPECT_NE(physical_dot.find("start -> \"free\";"), std::string::npos);
    EXPECT_NE(virtual_dot.find("start -> \"not_created\";"), std::string::npos);
}

}  // namespace
