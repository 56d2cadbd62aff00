// The two RX queue state machines of queue leasing as checked fsm tables
// (lease.md §14 QL-PSM, §15 QL-VSM): one physical queue i of a lessor P
// (`physical_queue_table`) and one queue k of a netkit lessee V
// (`virtual_queue_table`), i.e. what netdev_queue_busy, __net_mp_open_rxq,
// xsk_reg_pool_at_qid / xp_assign_dev, netkit_queue_create, netkit_xsk and
// the unlease in netkit_uninit decide for one queue. Every row cites the rule
// it implements: the rows the spec tables list carry their own ID, and the
// pairs those tables leave open are decided from the rest of lease.md and
// cite the rule they follow from (a comment says so where the reading is
// ours). The tables describe the default profile `newest`; profile
// differences stay in the operations that read core::profile_traits
// (QL-PSM-26 under v7-jan2026 keeps the provider, QL-ETH-02 under
// v7-jan2026 uses one busy message, QL-CAN-03's order).
//
// What an event means. An event is the part of an operation that reaches this
// queue: checks of the request and of the device that come first and do not
// depend on the queue (QL-CRT-01…16 for queue-create, the device checks of
// QL-MP-01/06, SN-CH-03…05's maxima and RSS checks, SN-XDP-01's
// tcp-data-split check, a name clash on a netns move) are the operation's
// preconditions and refuse before either machine is stepped. Conditions the
// spec tables write as guards and that outside the queue decide between
// outcomes are guards here (`physical_queue_guard`, `virtual_queue_guard`):
// the model evaluates them and passes them to step(); the guarded rows of a
// pair are tried in table order, which is the kernel's check order. An
// operation that concerns both ends of a lease (queue-create, anything on a
// leased virtual queue) steps both machines and succeeds only if both
// accept; `physical_counterpart` names the physical event of a virtual one.
// The physical machine also answers events "on (V, k)" in states without a
// lease: such an event finds no lease to i, so it gets what an unleased
// virtual queue gets (V0's answer) and queue i is unchanged.
//
// States outside the spec's lists (model-defined):
//   * physical `gone` (P7): P has unregistered (QL-PSM-28's "gone"). Kept as
//     a state rather than an end of the machine so that the operations that
//     can still name the queue get an answer: every lookup of P (and of its
//     lessees, deleted with it, QL-LIFE-09) fails with ENODEV; closing a
//     provider or an AF_XDP socket still succeeds as a no-op (QL-MP-08,
//     QL-XSK-14).
//   * virtual `not_created`: before V exists. Queue 0 starts in V0 and
//     queues 1… in V1 when V is created (QL-VSM-01, NK-CRT-14), so a
//     common initial state is what makes both reachable.
//
// One decision the spec leaves open: a copy-mode AF_XDP pool registered on a
// queue that already has a memory provider (P2, P5, including the copy
// fallback of a zero-copy bind). A literal reading of QL-XSK-06 registers the
// pool next to the provider, which QL-INV-06 ("at most one owner") forbids
// and no state represents. The tables refuse it with EBUSY (no extack: bind(2)
// has none) and cite QL-INV-06. Rows resting on (unconfirmed) rules
// (QL-MP-05, SN-CH-05's boundary, QL-XSK-06's copy fallback, QL-XSK-14) read
// their choice from model/unconfirmed.hpp.
#pragma once

#include <netkit/core/config.hpp>
#include <netkit/core/enum.hpp>
#include <netkit/core/errno.hpp>
#include <netkit/core/fixed_string.hpp>
#include <netkit/core/fsm.hpp>
#include <netkit/core/fsm_dot.hpp>
#include <netkit/model/unconfirmed.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

namespace netkit::model {

// lease.md QL-PSM-01, plus `gone` (see above). Spec labels: P0 … P6, P7.
NETKIT_ENUM(physical_queue_state, std::uint8_t,
            inactive,     // P0: i >= real rx
            free,         // P1: active; no lease, provider or pool
            mp_direct,    // P2: provider opened on (P, i)
            xsk_direct,   // P3: AF_XDP pool registered on (P, i)
            leased,       // P4: leased to (V, k); no provider, no pool
            leased_mp,    // P5: leased; provider opened through (V, k)
            leased_xsk,   // P6: leased; pool registered through (V, k)
            gone)         // P7: P has unregistered (model-defined)

// "on_virtual" events name (V, k), the virtual queue leased to i. AF_XDP binds
// come in the three modes of the model's socket (copy; zero-copy with copy
// fallback; zero-copy forced by XDP_ZEROCOPY).
NETKIT_ENUM(physical_queue_event, std::uint8_t,
            channels_grow,    // ethtool channel set after which i < real rx
            channels_shrink,  // ethtool channel set after which i >= real rx
            queue_create,     // queue-create naming (P, i) as the lessor queue
            provider_open_on_physical, provider_close_on_physical,
            provider_open_on_virtual, provider_close_on_virtual,
            af_xdp_copy_bind_on_physical, af_xdp_zero_copy_bind_on_physical,
            af_xdp_forced_zero_copy_bind_on_physical, af_xdp_unbind_on_physical,
            af_xdp_copy_bind_on_virtual, af_xdp_zero_copy_bind_on_virtual,
            af_xdp_forced_zero_copy_bind_on_virtual, af_xdp_unbind_on_virtual,
            xdp_attach,           // an XDP program attached to P
            lessee_unregistered,  // V (holding the lease on i, if any) unregisters
            lessor_unregistered,  // P unregisters
            link_down, link_up,   // P closed / opened
            netns_move)           // P moved to another netns

NETKIT_ENUM(physical_queue_guard, std::uint8_t,
            lessee_is_pair,         // V is a device of a pair (QL-XSK-08, QL-VSM-09)
            no_zero_copy_support,   // P lacks ndo_bpf/ndo_xdp_xmit/ndo_xsk_wakeup or
                                    // the full XSK feature set (QL-XSK-06/08, SN-XSK-01)
            provider_on_device,     // some queue of P has a memory provider (QL-PSM-21/23/24)
            last_active_after_set)  // the channel set leaves i as P's highest active queue

// lease.md QL-VSM-01, plus `not_created` (see above). Spec labels: V0 … V3.
NETKIT_ENUM(virtual_queue_state, std::uint8_t,
            not_created,  // V does not exist yet (model-defined)
            base,         // V0: k = 0
            unallocated,  // V1: real rx <= k < allocated rx
            leased,       // V2: 1 <= k < real rx, leased
            dead)         // V3: V has unregistered

NETKIT_ENUM(virtual_queue_event, std::uint8_t,
            device_created,  // V registered (RTM_NEWLINK) with allocated rx > k
            queue_create,    // queue-create on V
            provider_open, provider_close,
            af_xdp_copy_bind, af_xdp_zero_copy_bind, af_xdp_forced_zero_copy_bind, af_xdp_unbind,
            channels_set,  // ethtool channel set on V
            link_down, link_up, netns_move,
            unregistered)  // V unregisters (any cause, QL-LIFE-02)

NETKIT_ENUM(virtual_queue_guard, std::uint8_t,
            base_queue,               // k = 0
            other_lessor,             // V's queues lease from a device other than the request's P
            pair_primary,             // V is the primary of a pair
            no_unallocated_queue,     // real rx = allocated rx
            lower_index_unallocated,  // k > real rx: queue-create makes a lower index
            pair_device)              // V is a device of a pair (not single)

namespace detail::queue_fsm {

using core::errno_code;
using core::fsm::refuse;
using core::fsm::row;
using P = physical_queue_state;
using PE = physical_queue_event;
using PG = physical_queue_guard;
using V = virtual_queue_state;
using VE = virtual_queue_event;
using VG = virtual_queue_guard;

// Exact extack texts (lease.md, softnic.md).
inline constexpr core::fixed_string busy_provider = "Device queue in use by memory provider";    // QL-CAN-03
inline constexpr core::fixed_string busy_af_xdp = "Device queue in use by AF_XDP";               // QL-CAN-03
inline constexpr core::fixed_string busy_leasing = "Device queue in use due to queue leasing";   // QL-CAN-03
inline constexpr core::fixed_string channels_provider =                                         // SN-CH-05
    "requested channel counts are too low for existing memory provider setting (%d)";
inline constexpr core::fixed_string provider_index = "rx queue index out of range";              // QL-MP-02
inline constexpr core::fixed_string provider_leased = "rx queue leased to a virtual netdev";     // QL-MP-03
inline constexpr core::fixed_string provider_bound = "designated queue already memory provider bound";  // QL-MP-06
inline constexpr core::fixed_string provider_af_xdp = "designated queue already in use by AF_XDP";      // QL-MP-06
inline constexpr core::fixed_string xdp_provider = "unable to install XDP to device using memory provider";  // SN-XDP-01
inline constexpr core::fixed_string not_peer = "netkit can only lease against the peer device";    // QL-NKQC-01
inline constexpr core::fixed_string queue_limit = "netkit maximum queue limit reached";            // QL-NKQC-02
inline constexpr core::fixed_string other_device = "Leasing queues from different devices not supported";  // QL-CRT-19

// Rows resting on (unconfirmed) rules take their choice from
// model/unconfirmed.hpp: `choose` is the first row when the best guess holds,
// the second for its alternative.
template <bool Guess, class IfGuess, class IfAlternative>
using choose = std::conditional_t<Guess, IfGuess, IfAlternative>;

inline constexpr bool at_boundary_refused = unconfirmed::provider_channel_check_refuses_equal;      // SN-CH-05
inline constexpr bool falls_back = unconfirmed::zero_copy_failure_falls_back_to_copy;             // QL-XSK-06
inline constexpr bool unregister_clears_pool = unconfirmed::unregister_clears_pool_through_lease;  // QL-XSK-14

// QL-MP-05: a bare provider open on an unleased netkit queue.
template <auto From, auto Event, core::fixed_string Rule>
using refuse_unleased_provider =
    choose<unconfirmed::unleased_virtual_provider_runs_generic_checks,
           typename refuse<From, Event, errno_code::invalid, "tcp-data-split is disabled">::template rule<Rule>,
           typename refuse<From, Event, errno_code::not_supported,
                           "rx queue belongs to a virtual netdev">::template rule<Rule>>;

// clang-format off
using physical_table = core::fsm::guarded_table<PG, P::free,
    // ---- P0 INACTIVE -------------------------------------------------------
    row<P::inactive, PE::channels_grow, P::free>::rule<"QL-PSM-02">,
    row<P::inactive, PE::channels_shrink, P::inactive>::rule<"SN-CH-07">,
    refuse<P::inactive, PE::queue_create, errno_code::out_of_range>::rule<"QL-PSM-11">,
    refuse<P::inactive, PE::provider_open_on_physical, errno_code::out_of_range, provider_index>::rule<"QL-MP-02">,
    row<P::inactive, PE::provider_close_on_physical, P::inactive>::rule<"QL-MP-08">,
    refuse_unleased_provider<P::inactive, PE::provider_open_on_virtual, "QL-MP-05">,
    row<P::inactive, PE::provider_close_on_virtual, P::inactive>::rule<"QL-MP-08">,
    // i >= real rx = real tx (SN-CH-07), so i >= max(real rx, real tx).
    refuse<P::inactive, PE::af_xdp_copy_bind_on_physical, errno_code::invalid>::rule<"QL-XSK-01">,
    refuse<P::inactive, PE::af_xdp_zero_copy_bind_on_physical, errno_code::invalid>::rule<"QL-XSK-01">,
    refuse<P::inactive, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::invalid>::rule<"QL-XSK-01">,
    row<P::inactive, PE::af_xdp_unbind_on_physical, P::inactive>::rule<"QL-XSK-05">,
    row<P::inactive, PE::af_xdp_copy_bind_on_virtual, P::inactive>::rule<"QL-XSK-02">,
    choose<falls_back, row<P::inactive, PE::af_xdp_zero_copy_bind_on_virtual, P::inactive>::rule<"QL-VSM-07">,
                       refuse<P::inactive, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::not_supported>::rule<"QL-VSM-07">>,
    refuse<P::inactive, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::not_supported>::rule<"QL-VSM-07">,
    row<P::inactive, PE::af_xdp_unbind_on_virtual, P::inactive>::rule<"QL-XSK-05">,
    refuse<P::inactive, PE::xdp_attach, errno_code::busy, xdp_provider>::when<PG::provider_on_device>::rule<"QL-PSM-24">,
    row<P::inactive, PE::xdp_attach, P::inactive>::rule<"SN-XDP-01">,
    row<P::inactive, PE::lessee_unregistered, P::inactive>::rule<"QL-LIFE-05">,
    row<P::inactive, PE::lessor_unregistered, P::gone>::rule<"QL-LIFE-08">,
    row<P::inactive, PE::link_down, P::inactive>::rule<"SN-Q-04">,
    row<P::inactive, PE::link_up, P::inactive>::rule<"SN-Q-03">,
    row<P::inactive, PE::netns_move, P::inactive>::rule<"NK-ENV-09">,

    // ---- P1 FREE -----------------------------------------------------------
    row<P::free, PE::channels_grow, P::free>::rule<"QL-ETH-04">,
    row<P::free, PE::channels_shrink, P::inactive>::rule<"QL-PSM-03">,
    row<P::free, PE::queue_create, P::leased>::rule<"QL-PSM-07">,
    row<P::free, PE::provider_open_on_physical, P::mp_direct>::rule<"QL-PSM-12">,
    row<P::free, PE::provider_close_on_physical, P::free>::rule<"QL-MP-08">,
    refuse_unleased_provider<P::free, PE::provider_open_on_virtual, "QL-MP-05">,
    row<P::free, PE::provider_close_on_virtual, P::free>::rule<"QL-MP-08">,
    row<P::free, PE::af_xdp_copy_bind_on_physical, P::xsk_direct>::rule<"QL-PSM-18">,
    choose<falls_back, row<P::free, PE::af_xdp_zero_copy_bind_on_physical, P::xsk_direct>::when<PG::no_zero_copy_support>::rule<"SN-XSK-01">,
                       refuse<P::free, PE::af_xdp_zero_copy_bind_on_physical, errno_code::not_supported>::when<PG::no_zero_copy_support>::rule<"SN-XSK-01">>,
    choose<falls_back, row<P::free, PE::af_xdp_zero_copy_bind_on_physical, P::xsk_direct>::when<PG::provider_on_device>::rule<"QL-PSM-23">,
                       refuse<P::free, PE::af_xdp_zero_copy_bind_on_physical, errno_code::busy>::when<PG::provider_on_device>::rule<"QL-PSM-23">>,
    row<P::free, PE::af_xdp_zero_copy_bind_on_physical, P::xsk_direct>::rule<"QL-PSM-18">,
    refuse<P::free, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::not_supported>::when<PG::no_zero_copy_support>::rule<"SN-XSK-01">,
    refuse<P::free, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::busy>::when<PG::provider_on_device>::rule<"QL-PSM-23">,
    row<P::free, PE::af_xdp_forced_zero_copy_bind_on_physical, P::xsk_direct>::rule<"QL-PSM-18">,
    row<P::free, PE::af_xdp_unbind_on_physical, P::free>::rule<"QL-XSK-05">,
    row<P::free, PE::af_xdp_copy_bind_on_virtual, P::free>::rule<"QL-XSK-02">,
    choose<falls_back, row<P::free, PE::af_xdp_zero_copy_bind_on_virtual, P::free>::rule<"QL-VSM-07">,
                       refuse<P::free, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::not_supported>::rule<"QL-VSM-07">>,
    refuse<P::free, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::not_supported>::rule<"QL-VSM-07">,
    row<P::free, PE::af_xdp_unbind_on_virtual, P::free>::rule<"QL-XSK-05">,
    refuse<P::free, PE::xdp_attach, errno_code::busy, xdp_provider>::when<PG::provider_on_device>::rule<"QL-PSM-24">,
    row<P::free, PE::xdp_attach, P::free>::rule<"SN-XDP-01">,
    row<P::free, PE::lessee_unregistered, P::free>::rule<"QL-LIFE-05">,
    row<P::free, PE::lessor_unregistered, P::gone>::rule<"QL-LIFE-08">,
    row<P::free, PE::link_down, P::free>::rule<"SN-Q-04">,
    row<P::free, PE::link_up, P::free>::rule<"SN-Q-03">,
    row<P::free, PE::netns_move, P::free>::rule<"NK-ENV-09">,

    // ---- P2 MP_DIRECT ------------------------------------------------------
    choose<at_boundary_refused, refuse<P::mp_direct, PE::channels_grow, errno_code::invalid, channels_provider>::when<PG::last_active_after_set>::rule<"SN-CH-05">,
                                row<P::mp_direct, PE::channels_grow, P::mp_direct>::when<PG::last_active_after_set>::rule<"SN-CH-05">>,
    row<P::mp_direct, PE::channels_grow, P::mp_direct>::rule<"QL-ETH-04">,
    refuse<P::mp_direct, PE::channels_shrink, errno_code::invalid, channels_provider>::rule<"QL-PSM-04">,
    refuse<P::mp_direct, PE::queue_create, errno_code::busy, busy_provider>::rule<"QL-PSM-08">,
    refuse<P::mp_direct, PE::provider_open_on_physical, errno_code::exists, provider_bound>::rule<"QL-MP-06">,
    row<P::mp_direct, PE::provider_close_on_physical, P::free>::rule<"QL-MP-08">,
    refuse_unleased_provider<P::mp_direct, PE::provider_open_on_virtual, "QL-MP-05">,
    row<P::mp_direct, PE::provider_close_on_virtual, P::mp_direct>::rule<"QL-MP-08">,
    // A pool next to the provider: see the file comment.
    refuse<P::mp_direct, PE::af_xdp_copy_bind_on_physical, errno_code::busy>::rule<"QL-INV-06">,
    choose<falls_back, refuse<P::mp_direct, PE::af_xdp_zero_copy_bind_on_physical, errno_code::busy>::when<PG::no_zero_copy_support>::rule<"QL-INV-06">,
                       refuse<P::mp_direct, PE::af_xdp_zero_copy_bind_on_physical, errno_code::not_supported>::when<PG::no_zero_copy_support>::rule<"SN-XSK-01">>,
    choose<falls_back, refuse<P::mp_direct, PE::af_xdp_zero_copy_bind_on_physical, errno_code::busy>::rule<"QL-INV-06">,
                       refuse<P::mp_direct, PE::af_xdp_zero_copy_bind_on_physical, errno_code::busy>::rule<"QL-PSM-23">>,
    refuse<P::mp_direct, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::not_supported>::when<PG::no_zero_copy_support>::rule<"SN-XSK-01">,
    refuse<P::mp_direct, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::busy>::rule<"QL-PSM-23">,
    row<P::mp_direct, PE::af_xdp_unbind_on_physical, P::mp_direct>::rule<"QL-XSK-05">,
    row<P::mp_direct, PE::af_xdp_copy_bind_on_virtual, P::mp_direct>::rule<"QL-XSK-02">,
    choose<falls_back, row<P::mp_direct, PE::af_xdp_zero_copy_bind_on_virtual, P::mp_direct>::rule<"QL-VSM-07">,
                       refuse<P::mp_direct, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::not_supported>::rule<"QL-VSM-07">>,
    refuse<P::mp_direct, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::not_supported>::rule<"QL-VSM-07">,
    row<P::mp_direct, PE::af_xdp_unbind_on_virtual, P::mp_direct>::rule<"QL-XSK-05">,
    refuse<P::mp_direct, PE::xdp_attach, errno_code::busy, xdp_provider>::rule<"QL-PSM-24">,
    row<P::mp_direct, PE::lessee_unregistered, P::mp_direct>::rule<"QL-LIFE-05">,
    row<P::mp_direct, PE::lessor_unregistered, P::gone>::rule<"QL-LIFE-08">,
    row<P::mp_direct, PE::link_down, P::mp_direct>::rule<"SN-MP-03">,
    row<P::mp_direct, PE::link_up, P::mp_direct>::rule<"SN-MP-03">,
    row<P::mp_direct, PE::netns_move, P::mp_direct>::rule<"NK-ENV-09">,

    // ---- P3 XSK_DIRECT -----------------------------------------------------
    row<P::xsk_direct, PE::channels_grow, P::xsk_direct>::rule<"QL-ETH-04">,
    refuse<P::xsk_direct, PE::channels_shrink, errno_code::invalid, busy_af_xdp>::rule<"QL-PSM-06">,
    refuse<P::xsk_direct, PE::queue_create, errno_code::busy, busy_af_xdp>::rule<"QL-PSM-09">,
    refuse<P::xsk_direct, PE::provider_open_on_physical, errno_code::busy, provider_af_xdp>::rule<"QL-MP-06">,
    row<P::xsk_direct, PE::provider_close_on_physical, P::xsk_direct>::rule<"QL-MP-08">,
    refuse_unleased_provider<P::xsk_direct, PE::provider_open_on_virtual, "QL-MP-05">,
    row<P::xsk_direct, PE::provider_close_on_virtual, P::xsk_direct>::rule<"QL-MP-08">,
    refuse<P::xsk_direct, PE::af_xdp_copy_bind_on_physical, errno_code::busy>::rule<"QL-XSK-06">,
    refuse<P::xsk_direct, PE::af_xdp_zero_copy_bind_on_physical, errno_code::busy>::rule<"QL-XSK-06">,
    refuse<P::xsk_direct, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::busy>::rule<"QL-XSK-06">,
    row<P::xsk_direct, PE::af_xdp_unbind_on_physical, P::free>::rule<"QL-XSK-13">,
    row<P::xsk_direct, PE::af_xdp_copy_bind_on_virtual, P::xsk_direct>::rule<"QL-XSK-02">,
    choose<falls_back, row<P::xsk_direct, PE::af_xdp_zero_copy_bind_on_virtual, P::xsk_direct>::rule<"QL-VSM-07">,
                       refuse<P::xsk_direct, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::not_supported>::rule<"QL-VSM-07">>,
    refuse<P::xsk_direct, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::not_supported>::rule<"QL-VSM-07">,
    row<P::xsk_direct, PE::af_xdp_unbind_on_virtual, P::xsk_direct>::rule<"QL-XSK-05">,
    refuse<P::xsk_direct, PE::xdp_attach, errno_code::busy, xdp_provider>::when<PG::provider_on_device>::rule<"QL-PSM-24">,
    row<P::xsk_direct, PE::xdp_attach, P::xsk_direct>::rule<"SN-XDP-01">,
    row<P::xsk_direct, PE::lessee_unregistered, P::xsk_direct>::rule<"QL-LIFE-05">,
    row<P::xsk_direct, PE::lessor_unregistered, P::gone>::rule<"QL-LIFE-08">,
    row<P::xsk_direct, PE::link_down, P::xsk_direct>::rule<"SN-Q-04">,
    row<P::xsk_direct, PE::link_up, P::xsk_direct>::rule<"SN-Q-03">,
    row<P::xsk_direct, PE::netns_move, P::xsk_direct>::rule<"NK-ENV-09">,

    // ---- P4 LEASED ---------------------------------------------------------
    row<P::leased, PE::channels_grow, P::leased>::rule<"QL-ETH-04">,
    refuse<P::leased, PE::channels_shrink, errno_code::invalid, busy_leasing>::rule<"QL-PSM-06">,
    refuse<P::leased, PE::queue_create, errno_code::busy, busy_leasing>::rule<"QL-PSM-10">,
    refuse<P::leased, PE::provider_open_on_physical, errno_code::busy, provider_leased>::rule<"QL-PSM-13">,
    row<P::leased, PE::provider_close_on_physical, P::leased>::rule<"QL-MP-08">,
    row<P::leased, PE::provider_open_on_virtual, P::leased_mp>::rule<"QL-PSM-14">,
    row<P::leased, PE::provider_close_on_virtual, P::leased>::rule<"QL-MP-08">,
    refuse<P::leased, PE::af_xdp_copy_bind_on_physical, errno_code::busy>::rule<"QL-PSM-19">,
    refuse<P::leased, PE::af_xdp_zero_copy_bind_on_physical, errno_code::busy>::rule<"QL-PSM-19">,
    refuse<P::leased, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::busy>::rule<"QL-PSM-19">,
    row<P::leased, PE::af_xdp_unbind_on_physical, P::leased>::rule<"QL-XSK-05">,
    row<P::leased, PE::af_xdp_copy_bind_on_virtual, P::leased_xsk>::rule<"QL-XSK-04">,
    // QL-XSK-08's order: pair, P's operations and features, P's providers.
    choose<falls_back, row<P::leased, PE::af_xdp_zero_copy_bind_on_virtual, P::leased_xsk>::when<PG::lessee_is_pair>::rule<"QL-VSM-09">,
                       refuse<P::leased, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::not_supported>::when<PG::lessee_is_pair>::rule<"QL-VSM-09">>,
    choose<falls_back, row<P::leased, PE::af_xdp_zero_copy_bind_on_virtual, P::leased_xsk>::when<PG::no_zero_copy_support>::rule<"QL-XSK-08">,
                       refuse<P::leased, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::not_supported>::when<PG::no_zero_copy_support>::rule<"QL-XSK-08">>,
    choose<falls_back, row<P::leased, PE::af_xdp_zero_copy_bind_on_virtual, P::leased_xsk>::when<PG::provider_on_device>::rule<"QL-PSM-21">,
                       refuse<P::leased, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::busy>::when<PG::provider_on_device>::rule<"QL-PSM-21">>,
    row<P::leased, PE::af_xdp_zero_copy_bind_on_virtual, P::leased_xsk>::rule<"QL-PSM-20">,
    refuse<P::leased, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::not_supported>::when<PG::lessee_is_pair>::rule<"QL-VSM-09">,
    refuse<P::leased, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::not_supported>::when<PG::no_zero_copy_support>::rule<"QL-XSK-08">,
    refuse<P::leased, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::busy>::when<PG::provider_on_device>::rule<"QL-PSM-21">,
    row<P::leased, PE::af_xdp_forced_zero_copy_bind_on_virtual, P::leased_xsk>::rule<"QL-PSM-20">,
    row<P::leased, PE::af_xdp_unbind_on_virtual, P::leased>::rule<"QL-XSK-05">,
    refuse<P::leased, PE::xdp_attach, errno_code::busy, xdp_provider>::when<PG::provider_on_device>::rule<"QL-PSM-24">,
    row<P::leased, PE::xdp_attach, P::leased>::rule<"SN-XDP-01">,
    row<P::leased, PE::lessee_unregistered, P::free>::rule<"QL-PSM-25">,
    row<P::leased, PE::lessor_unregistered, P::gone>::rule<"QL-PSM-28">,
    row<P::leased, PE::link_down, P::leased>::rule<"QL-PSM-29">,
    row<P::leased, PE::link_up, P::leased>::rule<"QL-PSM-29">,
    row<P::leased, PE::netns_move, P::leased>::rule<"QL-PSM-30">,

    // ---- P5 LEASED_MP ------------------------------------------------------
    choose<at_boundary_refused, refuse<P::leased_mp, PE::channels_grow, errno_code::invalid, channels_provider>::when<PG::last_active_after_set>::rule<"SN-CH-05">,
                                row<P::leased_mp, PE::channels_grow, P::leased_mp>::when<PG::last_active_after_set>::rule<"SN-CH-05">>,
    row<P::leased_mp, PE::channels_grow, P::leased_mp>::rule<"QL-ETH-04">,
    refuse<P::leased_mp, PE::channels_shrink, errno_code::invalid, channels_provider>::rule<"QL-PSM-05">,
    refuse<P::leased_mp, PE::queue_create, errno_code::busy, busy_leasing>::rule<"QL-PSM-10">,
    refuse<P::leased_mp, PE::provider_open_on_physical, errno_code::busy, provider_leased>::rule<"QL-PSM-13">,
    row<P::leased_mp, PE::provider_close_on_physical, P::leased_mp>::rule<"QL-MP-08">,
    refuse<P::leased_mp, PE::provider_open_on_virtual, errno_code::exists, provider_bound>::rule<"QL-PSM-15">,
    row<P::leased_mp, PE::provider_close_on_virtual, P::leased>::rule<"QL-PSM-17">,
    refuse<P::leased_mp, PE::af_xdp_copy_bind_on_physical, errno_code::busy>::rule<"QL-PSM-19">,
    refuse<P::leased_mp, PE::af_xdp_zero_copy_bind_on_physical, errno_code::busy>::rule<"QL-PSM-19">,
    refuse<P::leased_mp, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::busy>::rule<"QL-PSM-19">,
    row<P::leased_mp, PE::af_xdp_unbind_on_physical, P::leased_mp>::rule<"QL-XSK-05">,
    // A pool next to the provider: see the file comment.
    refuse<P::leased_mp, PE::af_xdp_copy_bind_on_virtual, errno_code::busy>::rule<"QL-INV-06">,
    choose<falls_back, refuse<P::leased_mp, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::busy>::when<PG::lessee_is_pair>::rule<"QL-INV-06">,
                       refuse<P::leased_mp, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::not_supported>::when<PG::lessee_is_pair>::rule<"QL-VSM-09">>,
    choose<falls_back, refuse<P::leased_mp, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::busy>::when<PG::no_zero_copy_support>::rule<"QL-INV-06">,
                       refuse<P::leased_mp, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::not_supported>::when<PG::no_zero_copy_support>::rule<"QL-XSK-08">>,
    choose<falls_back, refuse<P::leased_mp, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::busy>::rule<"QL-INV-06">,
                       refuse<P::leased_mp, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::busy>::rule<"QL-PSM-21">>,
    refuse<P::leased_mp, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::not_supported>::when<PG::lessee_is_pair>::rule<"QL-VSM-09">,
    refuse<P::leased_mp, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::not_supported>::when<PG::no_zero_copy_support>::rule<"QL-XSK-08">,
    // The provider on i is "a provider on some queue of P".
    refuse<P::leased_mp, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::busy>::rule<"QL-PSM-21">,
    row<P::leased_mp, PE::af_xdp_unbind_on_virtual, P::leased_mp>::rule<"QL-XSK-05">,
    refuse<P::leased_mp, PE::xdp_attach, errno_code::busy, xdp_provider>::rule<"QL-PSM-24">,
    row<P::leased_mp, PE::lessee_unregistered, P::free>::rule<"QL-PSM-26">,
    row<P::leased_mp, PE::lessor_unregistered, P::gone>::rule<"QL-PSM-28">,
    row<P::leased_mp, PE::link_down, P::leased_mp>::rule<"QL-PSM-29">,
    row<P::leased_mp, PE::link_up, P::leased_mp>::rule<"QL-PSM-29">,
    row<P::leased_mp, PE::netns_move, P::leased_mp>::rule<"QL-PSM-30">,

    // ---- P6 LEASED_XSK -----------------------------------------------------
    row<P::leased_xsk, PE::channels_grow, P::leased_xsk>::rule<"QL-ETH-04">,
    refuse<P::leased_xsk, PE::channels_shrink, errno_code::invalid, busy_af_xdp>::rule<"QL-PSM-06">,
    refuse<P::leased_xsk, PE::queue_create, errno_code::busy, busy_af_xdp>::rule<"QL-PSM-10">,
    refuse<P::leased_xsk, PE::provider_open_on_physical, errno_code::busy, provider_leased>::rule<"QL-PSM-13">,
    row<P::leased_xsk, PE::provider_close_on_physical, P::leased_xsk>::rule<"QL-MP-08">,
    refuse<P::leased_xsk, PE::provider_open_on_virtual, errno_code::busy, provider_af_xdp>::rule<"QL-PSM-16">,
    row<P::leased_xsk, PE::provider_close_on_virtual, P::leased_xsk>::rule<"QL-MP-08">,
    refuse<P::leased_xsk, PE::af_xdp_copy_bind_on_physical, errno_code::busy>::rule<"QL-PSM-19">,
    refuse<P::leased_xsk, PE::af_xdp_zero_copy_bind_on_physical, errno_code::busy>::rule<"QL-PSM-19">,
    refuse<P::leased_xsk, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::busy>::rule<"QL-PSM-19">,
    row<P::leased_xsk, PE::af_xdp_unbind_on_physical, P::leased_xsk>::rule<"QL-XSK-05">,
    // The registration fails before any zero-copy step, so there is no fallback.
    refuse<P::leased_xsk, PE::af_xdp_copy_bind_on_virtual, errno_code::busy>::rule<"QL-XSK-03">,
    refuse<P::leased_xsk, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::busy>::rule<"QL-XSK-03">,
    refuse<P::leased_xsk, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::busy>::rule<"QL-XSK-03">,
    row<P::leased_xsk, PE::af_xdp_unbind_on_virtual, P::leased>::rule<"QL-PSM-22">,
    refuse<P::leased_xsk, PE::xdp_attach, errno_code::busy, xdp_provider>::when<PG::provider_on_device>::rule<"QL-PSM-24">,
    row<P::leased_xsk, PE::xdp_attach, P::leased_xsk>::rule<"SN-XDP-01">,
    choose<unregister_clears_pool, row<P::leased_xsk, PE::lessee_unregistered, P::free>::rule<"QL-PSM-27">,
                               row<P::leased_xsk, PE::lessee_unregistered, P::xsk_direct>::rule<"QL-PSM-27">>,
    row<P::leased_xsk, PE::lessor_unregistered, P::gone>::rule<"QL-PSM-28">,
    row<P::leased_xsk, PE::link_down, P::leased_xsk>::rule<"QL-PSM-29">,
    row<P::leased_xsk, PE::link_up, P::leased_xsk>::rule<"QL-PSM-29">,
    row<P::leased_xsk, PE::netns_move, P::leased_xsk>::rule<"QL-PSM-30">,

    // ---- P7 GONE (model-defined) -------------------------------------------
    // P and every lessee are unregistered: lookups fail; closes are no-ops.
    refuse<P::gone, PE::channels_grow, errno_code::no_device>::rule<"QL-PSM-28">,
    refuse<P::gone, PE::channels_shrink, errno_code::no_device>::rule<"QL-PSM-28">,
    refuse<P::gone, PE::queue_create, errno_code::no_device>::rule<"QL-CRT-14">,
    refuse<P::gone, PE::provider_open_on_physical, errno_code::no_device>::rule<"QL-PSM-28">,
    row<P::gone, PE::provider_close_on_physical, P::gone>::rule<"QL-MP-08">,
    refuse<P::gone, PE::provider_open_on_virtual, errno_code::no_device>::rule<"QL-LIFE-09">,
    row<P::gone, PE::provider_close_on_virtual, P::gone>::rule<"QL-MP-08">,
    refuse<P::gone, PE::af_xdp_copy_bind_on_physical, errno_code::no_device>::rule<"QL-PSM-28">,
    refuse<P::gone, PE::af_xdp_zero_copy_bind_on_physical, errno_code::no_device>::rule<"QL-PSM-28">,
    refuse<P::gone, PE::af_xdp_forced_zero_copy_bind_on_physical, errno_code::no_device>::rule<"QL-PSM-28">,
    row<P::gone, PE::af_xdp_unbind_on_physical, P::gone>::rule<"QL-XSK-14">,
    refuse<P::gone, PE::af_xdp_copy_bind_on_virtual, errno_code::no_device>::rule<"QL-LIFE-09">,
    refuse<P::gone, PE::af_xdp_zero_copy_bind_on_virtual, errno_code::no_device>::rule<"QL-LIFE-09">,
    refuse<P::gone, PE::af_xdp_forced_zero_copy_bind_on_virtual, errno_code::no_device>::rule<"QL-LIFE-09">,
    row<P::gone, PE::af_xdp_unbind_on_virtual, P::gone>::rule<"QL-XSK-14">,
    refuse<P::gone, PE::xdp_attach, errno_code::no_device>::rule<"QL-PSM-28">,
    row<P::gone, PE::lessee_unregistered, P::gone>::rule<"QL-LIFE-09">,
    refuse<P::gone, PE::lessor_unregistered, errno_code::no_device>::rule<"QL-PSM-28">,
    refuse<P::gone, PE::link_down, errno_code::no_device>::rule<"QL-PSM-28">,
    refuse<P::gone, PE::link_up, errno_code::no_device>::rule<"QL-PSM-28">,
    refuse<P::gone, PE::netns_move, errno_code::no_device>::rule<"QL-PSM-28">>;

using virtual_table = core::fsm::guarded_table<VG, V::not_created,
    // ---- not created (model-defined): V does not exist --------------------
    row<V::not_created, VE::device_created, V::base>::when<VG::base_queue>::rule<"QL-VSM-01">,
    row<V::not_created, VE::device_created, V::unallocated>::rule<"NK-CRT-14">,
    refuse<V::not_created, VE::queue_create, errno_code::no_device>::rule<"QL-CRT-11">,
    refuse<V::not_created, VE::provider_open, errno_code::no_device>::rule<"QL-VSM-01">,
    row<V::not_created, VE::provider_close, V::not_created>::rule<"QL-MP-08">,
    refuse<V::not_created, VE::af_xdp_copy_bind, errno_code::no_device>::rule<"QL-VSM-01">,
    refuse<V::not_created, VE::af_xdp_zero_copy_bind, errno_code::no_device>::rule<"QL-VSM-01">,
    refuse<V::not_created, VE::af_xdp_forced_zero_copy_bind, errno_code::no_device>::rule<"QL-VSM-01">,
    row<V::not_created, VE::af_xdp_unbind, V::not_created>::rule<"QL-XSK-05">,
    refuse<V::not_created, VE::channels_set, errno_code::no_device>::rule<"QL-VSM-01">,
    refuse<V::not_created, VE::link_down, errno_code::no_device>::rule<"NK-CRT-12">,
    refuse<V::not_created, VE::link_up, errno_code::no_device>::rule<"NK-CRT-12">,
    refuse<V::not_created, VE::netns_move, errno_code::no_device>::rule<"NK-CRT-12">,
    refuse<V::not_created, VE::unregistered, errno_code::no_device>::rule<"NK-CRT-12">,

    // ---- V0 BASE -----------------------------------------------------------
    refuse<V::base, VE::device_created, errno_code::exists>::rule<"NK-ENV-04">,
    // QL-CRT-19, then the hook: QL-NKQC-01, QL-NKQC-02.
    refuse<V::base, VE::queue_create, errno_code::not_supported, other_device>::when<VG::other_lessor>::rule<"QL-CRT-19">,
    refuse<V::base, VE::queue_create, errno_code::not_supported, not_peer>::when<VG::pair_primary>::rule<"QL-VSM-04">,
    refuse<V::base, VE::queue_create, errno_code::invalid, queue_limit>::when<VG::no_unallocated_queue>::rule<"QL-VSM-03">,
    row<V::base, VE::queue_create, V::base>::rule<"QL-NKQC-03">,
    refuse_unleased_provider<V::base, VE::provider_open, "QL-VSM-05">,
    row<V::base, VE::provider_close, V::base>::rule<"QL-MP-08">,
    row<V::base, VE::af_xdp_copy_bind, V::base>::rule<"QL-XSK-06">,
    choose<falls_back, row<V::base, VE::af_xdp_zero_copy_bind, V::base>::rule<"QL-VSM-07">,
                       refuse<V::base, VE::af_xdp_zero_copy_bind, errno_code::not_supported>::rule<"QL-VSM-07">>,
    refuse<V::base, VE::af_xdp_forced_zero_copy_bind, errno_code::not_supported>::rule<"QL-VSM-07">,
    row<V::base, VE::af_xdp_unbind, V::base>::rule<"QL-XSK-13">,
    refuse<V::base, VE::channels_set, errno_code::not_supported>::rule<"QL-VSM-10">,
    row<V::base, VE::link_down, V::base>::rule<"QL-LIFE-03">,
    row<V::base, VE::link_up, V::base>::rule<"QL-LIFE-03">,
    row<V::base, VE::netns_move, V::base>::rule<"NK-ENV-09">,
    row<V::base, VE::unregistered, V::dead>::rule<"QL-LIFE-04">,

    // ---- V1 UNALLOCATED ----------------------------------------------------
    refuse<V::unallocated, VE::device_created, errno_code::exists>::rule<"NK-ENV-04">,
    refuse<V::unallocated, VE::queue_create, errno_code::not_supported, other_device>::when<VG::other_lessor>::rule<"QL-CRT-19">,
    refuse<V::unallocated, VE::queue_create, errno_code::not_supported, not_peer>::when<VG::pair_primary>::rule<"QL-VSM-04">,
    row<V::unallocated, VE::queue_create, V::unallocated>::when<VG::lower_index_unallocated>::rule<"QL-NKQC-03">,
    row<V::unallocated, VE::queue_create, V::leased>::rule<"QL-VSM-02">,
    refuse<V::unallocated, VE::provider_open, errno_code::out_of_range, provider_index>::rule<"QL-MP-02">,
    row<V::unallocated, VE::provider_close, V::unallocated>::rule<"QL-MP-08">,
    // k >= real rx >= 1 = real tx (NK-CRT-14), so k >= max(real rx, real tx).
    refuse<V::unallocated, VE::af_xdp_copy_bind, errno_code::invalid>::rule<"QL-XSK-01">,
    refuse<V::unallocated, VE::af_xdp_zero_copy_bind, errno_code::invalid>::rule<"QL-XSK-01">,
    refuse<V::unallocated, VE::af_xdp_forced_zero_copy_bind, errno_code::invalid>::rule<"QL-XSK-01">,
    row<V::unallocated, VE::af_xdp_unbind, V::unallocated>::rule<"QL-XSK-05">,
    refuse<V::unallocated, VE::channels_set, errno_code::not_supported>::rule<"QL-VSM-10">,
    row<V::unallocated, VE::link_down, V::unallocated>::rule<"QL-LIFE-03">,
    row<V::unallocated, VE::link_up, V::unallocated>::rule<"QL-LIFE-03">,
    row<V::unallocated, VE::netns_move, V::unallocated>::rule<"NK-ENV-09">,
    row<V::unallocated, VE::unregistered, V::dead>::rule<"QL-LIFE-04">,

    // ---- V2 LEASED: provider and AF_XDP events are proxied to (P, q) ------
    // Only a pair peer or a single device has leased queues (QL-NKQC-01), so
    // `pair_primary` never holds here.
    refuse<V::leased, VE::device_created, errno_code::exists>::rule<"NK-ENV-04">,
    refuse<V::leased, VE::queue_create, errno_code::not_supported, other_device>::when<VG::other_lessor>::rule<"QL-CRT-19">,
    refuse<V::leased, VE::queue_create, errno_code::invalid, queue_limit>::when<VG::no_unallocated_queue>::rule<"QL-VSM-03">,
    row<V::leased, VE::queue_create, V::leased>::rule<"QL-NKQC-03">,
    row<V::leased, VE::provider_open, V::leased>::rule<"QL-VSM-06">,
    row<V::leased, VE::provider_close, V::leased>::rule<"QL-MP-08">,
    row<V::leased, VE::af_xdp_copy_bind, V::leased>::rule<"QL-XSK-02">,
    choose<falls_back, row<V::leased, VE::af_xdp_zero_copy_bind, V::leased>::when<VG::pair_device>::rule<"QL-VSM-09">,
                       refuse<V::leased, VE::af_xdp_zero_copy_bind, errno_code::not_supported>::when<VG::pair_device>::rule<"QL-VSM-09">>,
    row<V::leased, VE::af_xdp_zero_copy_bind, V::leased>::rule<"QL-VSM-08">,
    refuse<V::leased, VE::af_xdp_forced_zero_copy_bind, errno_code::not_supported>::when<VG::pair_device>::rule<"QL-VSM-09">,
    row<V::leased, VE::af_xdp_forced_zero_copy_bind, V::leased>::rule<"QL-VSM-08">,
    row<V::leased, VE::af_xdp_unbind, V::leased>::rule<"QL-XSK-13">,
    refuse<V::leased, VE::channels_set, errno_code::not_supported>::rule<"QL-VSM-10">,
    row<V::leased, VE::link_down, V::leased>::rule<"QL-VSM-11">,
    row<V::leased, VE::link_up, V::leased>::rule<"QL-VSM-11">,
    row<V::leased, VE::netns_move, V::leased>::rule<"QL-VSM-11">,
    row<V::leased, VE::unregistered, V::dead>::rule<"QL-VSM-12">,

    // ---- V3 DEAD -----------------------------------------------------------
    // Invisible to lookups at once; a device created later under the same name
    // is another machine, this one stays dead.
    row<V::dead, VE::device_created, V::dead>::rule<"NK-DEL-06">,
    refuse<V::dead, VE::queue_create, errno_code::no_device>::rule<"QL-CRT-11">,
    refuse<V::dead, VE::provider_open, errno_code::no_device>::rule<"NK-DEL-07">,
    row<V::dead, VE::provider_close, V::dead>::rule<"QL-MP-08">,
    refuse<V::dead, VE::af_xdp_copy_bind, errno_code::no_device>::rule<"NK-DEL-07">,
    refuse<V::dead, VE::af_xdp_zero_copy_bind, errno_code::no_device>::rule<"NK-DEL-07">,
    refuse<V::dead, VE::af_xdp_forced_zero_copy_bind, errno_code::no_device>::rule<"NK-DEL-07">,
    row<V::dead, VE::af_xdp_unbind, V::dead>::rule<"QL-XSK-14">,
    refuse<V::dead, VE::channels_set, errno_code::no_device>::rule<"NK-DEL-07">,
    refuse<V::dead, VE::link_down, errno_code::no_device>::rule<"NK-DEL-07">,
    refuse<V::dead, VE::link_up, errno_code::no_device>::rule<"NK-DEL-07">,
    refuse<V::dead, VE::netns_move, errno_code::no_device>::rule<"NK-DEL-07">,
    refuse<V::dead, VE::unregistered, errno_code::no_device>::rule<"NK-DEL-07">>;
// clang-format on

}  // namespace detail::queue_fsm

// Deterministic, every state reachable from P1 (all queues are active at
// creation, SN-Q-01), every (state, event) pair a row or a refusal.
using physical_queue_table = detail::queue_fsm::physical_table;
static_assert(core::fsm::verified<physical_queue_table>);

// Same checks; the initial state is the one before V exists.
using virtual_queue_table = detail::queue_fsm::virtual_table;
static_assert(core::fsm::verified<virtual_queue_table>);

using physical_queue_machine = core::fsm::machine<physical_queue_table>;
using virtual_queue_machine = core::fsm::machine<virtual_queue_table>;

// The physical event the same operation is for the lessor's queue when it
// reaches a leased virtual queue (V2): provider and AF_XDP operations are
// proxied to (P, q) (QL-MP-04, QL-XSK-02, QL-XSK-13), queue-create leases q
// (QL-CRT-21), and V's unregistration unleases it (QL-LIFE-05). None for
// events that stay on V (QL-LIFE-03, QL-VSM-10).
constexpr std::optional<physical_queue_event> physical_counterpart(virtual_queue_event event) noexcept {
    switch (event) {
        case virtual_queue_event::queue_create:
            return physical_queue_event::queue_create;
        case virtual_queue_event::provider_open:
            return physical_queue_event::provider_open_on_virtual;
        case virtual_queue_event::provider_close:
            return physical_queue_event::provider_close_on_virtual;
        case virtual_queue_event::af_xdp_copy_bind:
            return physical_queue_event::af_xdp_copy_bind_on_virtual;
        case virtual_queue_event::af_xdp_zero_copy_bind:
            return physical_queue_event::af_xdp_zero_copy_bind_on_virtual;
        case virtual_queue_event::af_xdp_forced_zero_copy_bind:
            return physical_queue_event::af_xdp_forced_zero_copy_bind_on_virtual;
        case virtual_queue_event::af_xdp_unbind:
            return physical_queue_event::af_xdp_unbind_on_virtual;
        case virtual_queue_event::unregistered:
            return physical_queue_event::lessee_unregistered;
        case virtual_queue_event::device_created:
        case virtual_queue_event::channels_set:
        case virtual_queue_event::link_down:
        case virtual_queue_event::link_up:
        case virtual_queue_event::netns_move:
            break;
    }
    return std::nullopt;
}

// The diagrams in docs/fsm/, generated from the tables (tools/fsm_docs.cpp).
// Not constexpr: core::fsm::to_dot builds a std::string at run time.
inline std::string physical_queue_dot() {
    return core::fsm::to_dot<physical_queue_table>("physical RX queue (lease.md 14, QL-PSM)");
}

inline std::string virtual_queue_dot() {
    return core::fsm::to_dot<virtual_queue_table>("virtual RX queue (lease.md 15, QL-VSM)");
}

}  // namespace netkit::model
