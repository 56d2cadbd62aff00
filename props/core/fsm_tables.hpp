// Tables shared by the fsm tests, the fsm fuzz target and the fsm benchmark.
//
// `toy_queue` is a small guarded machine shaped like the physical rx-queue
// machine of lease.md §14 (the real one arrives with the lease model);
// `dense` is a 50-state x 50-event machine where every pair has a row,
// generated from a formula so the tests can recompute any row independently.
#pragma once

#include <netkit/core/fsm.hpp>

#include <cstddef>
#include <utility>

namespace netkit::test {

using core::errno_code;
using core::fsm::refuse;
using core::fsm::row;

NETKIT_ENUM(toy_state, unsigned char, inactive, free, provider, leased, leased_provider)
NETKIT_ENUM(toy_event, unsigned char, grow, shrink, lease, open_provider, close_provider, unlease)
NETKIT_ENUM(toy_guard, unsigned char, forced, has_key)

using toy_queue = core::fsm::guarded_table<toy_guard, toy_state::inactive,
    row<toy_state::inactive, toy_event::grow, toy_state::free>::rule<"T-1">,
    refuse<toy_state::inactive, toy_event::shrink, errno_code::invalid>,
    refuse<toy_state::inactive, toy_event::lease, errno_code::out_of_range>,
    refuse<toy_state::inactive, toy_event::open_provider, errno_code::invalid>,
    refuse<toy_state::inactive, toy_event::close_provider, errno_code::invalid>,
    refuse<toy_state::inactive, toy_event::unlease, errno_code::invalid>,
    refuse<toy_state::free, toy_event::grow, errno_code::exists>,
    row<toy_state::free, toy_event::shrink, toy_state::inactive>,
    row<toy_state::free, toy_event::lease, toy_state::leased>::rule<"T-2">,
    row<toy_state::free, toy_event::open_provider, toy_state::provider>,
    refuse<toy_state::free, toy_event::close_provider, errno_code::invalid>,
    refuse<toy_state::free, toy_event::unlease, errno_code::invalid>,
    refuse<toy_state::provider, toy_event::grow, errno_code::exists>,
    refuse<toy_state::provider, toy_event::shrink, errno_code::invalid, "provider in use">,
    refuse<toy_state::provider, toy_event::lease, errno_code::busy, "Device queue in use by memory provider">,
    refuse<toy_state::provider, toy_event::open_provider, errno_code::exists>,
    row<toy_state::provider, toy_event::close_provider, toy_state::free>,
    refuse<toy_state::provider, toy_event::unlease, errno_code::invalid>,
    refuse<toy_state::leased, toy_event::grow, errno_code::exists>,
    refuse<toy_state::leased, toy_event::shrink, errno_code::invalid>,
    refuse<toy_state::leased, toy_event::lease, errno_code::busy, "Device queue in use due to queue leasing">,
    row<toy_state::leased, toy_event::open_provider, toy_state::leased_provider>,
    refuse<toy_state::leased, toy_event::open_provider, errno_code::busy, "forced">::when<toy_guard::forced>,
    refuse<toy_state::leased, toy_event::close_provider, errno_code::invalid>,
    row<toy_state::leased, toy_event::unlease, toy_state::free>,
    refuse<toy_state::leased_provider, toy_event::grow, errno_code::exists>,
    refuse<toy_state::leased_provider, toy_event::shrink, errno_code::invalid>,
    refuse<toy_state::leased_provider, toy_event::lease, errno_code::busy>,
    refuse<toy_state::leased_provider, toy_event::open_provider, errno_code::exists>,
    row<toy_state::leased_provider, toy_event::close_provider, toy_state::leased>,
    row<toy_state::leased_provider, toy_event::unlease, toy_state::free>,
    row<toy_state::leased_provider, toy_event::unlease, toy_state::leased_provider>::when<toy_guard::has_key>>;
static_assert(core::fsm::verified<toy_queue>);

NETKIT_ENUM(dense_state, unsigned char, s00, s01, s02, s03, s04, s05, s06, s07, s08, s09, s10, s11, s12, s13, s14, s15, s16, s17, s18, s19, s20, s21, s22, s23, s24, s25, s26, s27, s28, s29, s30, s31, s32, s33, s34, s35, s36, s37, s38, s39, s40, s41, s42, s43, s44, s45, s46, s47, s48, s49)
NETKIT_ENUM(dense_event, unsigned char, e00, e01, e02, e03, e04, e05, e06, e07, e08, e09, e10, e11, e12, e13, e14, e15, e16, e17, e18, e19, e20, e21, e22, e23, e24, e25, e26, e27, e28, e29, e30, e31, e32, e33, e34, e35, e36, e37, e38, e39, e40, e41, e42, e43, e44, e45, e46, e47, e48, e49)

// The row of (s, e): a refusal when (s + e) % 5 == 0, else a transition to
// (7s + 3e + 1) % 50. Every state is reachable (s -> s+1 via e = 2 when
// (s + 2) % 5 != 0, and the formula covers the rest).
constexpr bool dense_refuses(std::size_t s, std::size_t e) { return (s + e) % 5 == 0; }
constexpr std::size_t dense_target(std::size_t s, std::size_t e) { return (7 * s + 3 * e + 1) % 50; }
constexpr errno_code dense_error(std::size_t s) { return s % 2 == 0 ? errno_code::busy : errno_code::invalid; }

template <std::size_t Cell>
struct dense_row_of {
    static constexpr std::size_t s = Cell / 50;
    static constexpr std::size_t e = Cell % 50;
    using type = std::conditional_t<
        dense_refuses(s, e),
        refuse<core::enum_from_index<dense_state>(s), core::enum_from_index<dense_event>(e), dense_error(s)>,
        row<core::enum_from_index<dense_state>(s), core::enum_from_index<dense_event>(e),
            core::enum_from_index<dense_state>(dense_target(s, e))>>;
};

template <class Cells>
struct dense_table_of;
template <std::size_t... Cells>
struct dense_table_of<std::index_sequence<Cells...>> {
    using type = core::fsm::table<dense_state::s00, typename dense_row_of<Cells>::type...>;
};

using dense = typename dense_table_of<std::make_index_sequence<2500>>::type;
static_assert(core::fsm::verified<dense>);

}  // namespace netkit::test
