// Tests of the AF_XDP part of include/netkit/model/lease.hpp (pool
// registration, sockets, netkit's ndo_bpf / ndo_xsk_wakeup) and of the
// AF_XDP receive path of include/netkit/model/softnic.hpp against lease.md
// §9 (QL-XSK-01…14), device.md NK-UAPI-10 / NK-SGL-03 (feature
// advertisement) and softnic.md SN-XSK-01…03.
#include <lease/bench.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {

using namespace lease_test;

const core::profile_traits& newest = core::profiles::newest::traits;
const core::profile_traits& linux_7_1_0 = core::profiles::linux_7_1_0::traits;
const core::profile_traits& v7_jan2026 = core::profiles::v7_jan2026::traits;

using xsk_bench = single_bench;

// ndo_bpf(XDP_SETUP_XSK_POOL) of the named device on a copy of the state:
// the checks of QL-XSK-08 that the socket bind cannot reach on its own.
core::status pool_setup_on_copy(const world& w, core::device_handle h, std::uint32_t queue, bool enable,
                                world_state* out = nullptr) {
    world_state s = w.state();
    auto outcome = lease::detail::pool_setup(s, queue_ref{h, queue}, enable);
    if (out != nullptr) {
        *out = std::move(s);
    }
    return outcome;
}

const refusal ebusy{errno_code::busy, ""};
const refusal einval{errno_code::invalid, ""};
const refusal eopnotsupp{errno_code::not_supported, ""};

// ------------------------------------------------------- registration

// QL-XSK-01: an id at or above max(real rx, real tx) is EINVAL — on the
// NIC, after a channel shrink, and on a netkit device whose real rx grows
// with every lease.
TEST(xsk_pool, an_id_at_or_above_the_real_queue_counts_is_einval_QL_XSK_01) {
    xsk_bench b;
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.xsk_nic(4)), einval);
    EXPECT_EQ(refusal_of(b.xsk_guest(1)), einval);
    EXPECT_EQ(refusal_of(b.xsk_single(1)), einval);
    EXPECT_TRUE(b.w == before);
    must_ok(b.w.ethtool_set_channels(b.nic, links::channel_counts{{}, {}, 2, {}}));
    EXPECT_EQ(refusal_of(b.xsk_nic(2)), einval);
    const std::uint32_t k = b.lease(1);
    EXPECT_EQ(k, 1u);
    EXPECT_TRUE(b.xsk_guest(k).ok());
    EXPECT_EQ(refusal_of(b.xsk_guest(2)), einval);
}

// QL-XSK-02: on a physical device a leased queue is EBUSY; on a virtual
// device the registration follows the lease to (P, q).
TEST(xsk_pool, a_leased_physical_queue_is_ebusy_and_a_leased_virtual_one_redirects_QL_XSK_02) {
    xsk_bench b;
    const std::uint32_t k = b.lease(3);
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.xsk_nic(3)), ebusy);
    EXPECT_TRUE(b.w == before);
    const auto id = must(b.xsk_guest(k));
    EXPECT_EQ(b.nic_rxq(3).xsk_pool, id);
    EXPECT_FALSE(b.guest_rxq(k).xsk_pool.has_value());
    EXPECT_FALSE(b.w.at(b.pair.guest).txq[0].xsk_pool.has_value());
    EXPECT_EQ(b.w.socket(id)->bound, (queue_ref{b.pair.guest, k}));
}

// QL-XSK-03, QL-XSK-06: a pool already at the resolved index is EBUSY — a
// second socket through the same lease reaches it at P; a second socket on
// the same device and id is refused before registration.
TEST(xsk_pool, an_occupied_resolved_queue_is_ebusy_QL_XSK_03) {
    xsk_bench b;
    const std::uint32_t k = b.lease(2);
    must(b.xsk_guest(k));
    must(b.xsk_nic(1));
    must(b.xsk_guest(0));
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.xsk_guest(k)), ebusy);
    EXPECT_EQ(refusal_of(b.xsk_nic(1)), ebusy);
    EXPECT_EQ(refusal_of(b.xsk_guest(0)), ebusy);
    EXPECT_EQ(refusal_of(b.xsk_guest(k, xsk_mode::zero_copy_or_copy)), ebusy);
    EXPECT_TRUE(b.w == before);
}

// QL-INV-06, QL-XSK-06: the model refuses a pool on a queue that already
// has a memory provider (directly or through a lease) with EBUSY, so the
// queue keeps one owner. The spec's literal QL-XSK-06 would register a
// copy-mode pool next to the provider; the model follows QL-INV-06.
TEST(xsk_pool, a_queue_with_a_memory_provider_takes_no_pool_QL_INV_06) {
    xsk_bench b;
    const std::uint32_t k = b.lease(2);
    must(b.zcrx_nic(1));
    must(b.zcrx_guest(k));
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.xsk_nic(1)), ebusy);
    EXPECT_EQ(refusal_of(b.xsk_guest(k)), ebusy);
    EXPECT_TRUE(b.w == before);
}

// QL-XSK-04: the pool is stored on the resolved device's RX slot and, where
// the index is below its real tx, on its TX slot.
TEST(xsk_pool, the_pool_is_stored_on_the_resolved_rx_and_tx_slots_QL_XSK_04) {
    xsk_bench b;
    const std::uint32_t k = b.lease(3);  // the guest has one real TX queue
    const auto on_nic = must(b.xsk_nic(1));
    const auto through = must(b.xsk_guest(k));
    const auto on_guest = must(b.xsk_guest(0));
    const device& nic = b.w.at(b.nic);
    EXPECT_EQ(nic.rxq[1].xsk_pool, on_nic);
    EXPECT_EQ(nic.txq[1].xsk_pool, on_nic);
    EXPECT_EQ(nic.rxq[3].xsk_pool, through);
    EXPECT_EQ(nic.txq[3].xsk_pool, through);
    const device& guest = b.w.at(b.pair.guest);
    EXPECT_EQ(guest.rxq[0].xsk_pool, on_guest);
    EXPECT_EQ(guest.txq[0].xsk_pool, on_guest);
    EXPECT_FALSE(guest.rxq[k].xsk_pool.has_value());
    for (const std::uint32_t q : {0u, 2u}) {
        EXPECT_FALSE(nic.rxq[q].xsk_pool.has_value());
        EXPECT_FALSE(nic.txq[q].xsk_pool.has_value());
    }
}

// QL-XSK-05, QL-XSK-13: clearing uses the same resolution and empties both
// slots; an invalid resolution (a leased physical queue) is ignored.
TEST(xsk_pool, clearing_follows_the_lease_and_ignores_an_invalid_resolution_QL_XSK_05) {
    xsk_bench b;
    const std::uint32_t k = b.lease(3);
    const auto through = must(b.xsk_guest(k));
    const auto direct = must(b.xsk_nic(0));
    {
        world_state s = b.w.state();
        queue_ops::clear_pool(s, queue_ref{b.nic, 3});  // leased physical: invalid
        EXPECT_TRUE(s == b.w.state());
    }
    must_ok(b.w.xsk_close(through));
    EXPECT_FALSE(b.nic_rxq(3).xsk_pool.has_value());
    EXPECT_FALSE(b.w.at(b.nic).txq[3].xsk_pool.has_value());
    EXPECT_EQ(b.nic_rxq(3).lease, (queue_ref{b.pair.guest, k}));  // QL-LIFE-03
    must_ok(b.w.xsk_close(direct));
    EXPECT_FALSE(b.nic_rxq(0).xsk_pool.has_value());
    EXPECT_FALSE(b.w.at(b.nic).txq[0].xsk_pool.has_value());
    EXPECT_EQ(b.w.socket(direct), nullptr);
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.w.xsk_close(direct)), (refusal{errno_code::bad_descriptor, ""}));
    EXPECT_TRUE(b.w == before);
}

// ---------------------------------------------------------------- binding

// QL-XSK-06, SN-XSK-02: copy mode is done after registration; zero-copy on
// a capable NIC sets the queue up for zero-copy.
TEST(xsk_bind, copy_mode_stops_after_registration_and_zero_copy_reaches_the_driver_QL_XSK_06) {
    xsk_bench b;
    const auto copy = must(b.xsk_nic(0));
    EXPECT_FALSE(b.w.socket(copy)->zero_copy);
    EXPECT_FALSE(b.nic_rxq(0).zero_copy);
    for (const auto mode : {xsk_mode::zero_copy_or_copy, xsk_mode::zero_copy_forced}) {
        const std::uint32_t q = mode == xsk_mode::zero_copy_forced ? 2 : 1;
        const auto id = must(b.xsk_nic(q, mode));
        EXPECT_TRUE(b.w.socket(id)->zero_copy);
        EXPECT_TRUE(b.nic_rxq(q).zero_copy);
    }
}

// QL-XSK-06, SN-XSK-01: a forced zero-copy bind on a device without the
// AF_XDP operations fails and leaves no pool behind.
TEST(xsk_bind, forced_zero_copy_without_driver_support_is_eopnotsupp_QL_XSK_06) {
    xsk_bench b(newest, softnic_config::nsim());
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.xsk_nic(0, xsk_mode::zero_copy_forced)), eopnotsupp);
    EXPECT_TRUE(b.w == before);
}

// [unconfirmed] QL-XSK-06, SN-XSK-01: without XDP_ZEROCOPY the failed
// zero-copy setup falls back to copy mode and keeps the pool.
TEST(xsk_bind, unforced_zero_copy_without_driver_support_falls_back_to_copy_unconfirmed_QL_XSK_06) {
    xsk_bench b(newest, softnic_config::nsim());
    const auto id = must(b.xsk_nic(0, xsk_mode::zero_copy_or_copy));
    EXPECT_FALSE(b.w.socket(id)->zero_copy);
    EXPECT_EQ(b.nic_rxq(0).xsk_pool, id);
    EXPECT_FALSE(b.nic_rxq(0).zero_copy);
}

// QL-XSK-06 (forced part), QL-PSM-23: a memory provider on any queue of the
// named device refuses a forced zero-copy bind, leaving nothing behind.
TEST(xsk_bind, a_provider_anywhere_on_the_device_refuses_forced_zero_copy_QL_XSK_06) {
    xsk_bench b;
    must(b.zcrx_nic(3));
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.xsk_nic(0, xsk_mode::zero_copy_forced)), ebusy);
    EXPECT_TRUE(b.w == before);
}

// [unconfirmed] QL-XSK-06, QL-PSM-23: the same bind without XDP_ZEROCOPY
// falls back to copy mode; the queue becomes pool-bound (P3, copy).
TEST(xsk_bind, a_provider_anywhere_makes_unforced_zero_copy_fall_back_unconfirmed_QL_XSK_06) {
    xsk_bench b;
    must(b.zcrx_nic(3));
    const auto id = must(b.xsk_nic(0, xsk_mode::zero_copy_or_copy));
    EXPECT_FALSE(b.w.socket(id)->zero_copy);
    EXPECT_EQ(b.nic_rxq(0).xsk_pool, id);
    EXPECT_FALSE(b.nic_rxq(0).zero_copy);
}

// ------------------------------------------------------------ netkit ndo_bpf

// QL-XSK-07: native XDP cannot be attached to netkit: EOPNOTSUPP under
// newest and linux-7.1.0.
TEST(netkit_ndo_bpf, xdp_setup_prog_is_eopnotsupp_QL_XSK_07) {
    for (const auto* profile : {&newest, &linux_7_1_0}) {
        xsk_bench b(*profile);
        const world before = b.w;
        for (const auto h : {b.pair.host, b.pair.guest, b.single}) {
            EXPECT_EQ(refusal_of(b.w.attach_xdp(h, xdp_program{})), eopnotsupp) << profile->name;
        }
        EXPECT_TRUE(b.w == before);
    }
}

// [unconfirmed] QL-XSK-07, profile v7-jan2026 (README §4 row 7): EPERM.
TEST(netkit_ndo_bpf, xdp_setup_prog_is_eperm_under_v7_jan2026_unconfirmed_QL_XSK_07) {
    xsk_bench b(v7_jan2026);
    for (const auto h : {b.pair.host, b.pair.guest, b.single}) {
        EXPECT_EQ(refusal_of(b.w.attach_xdp(h, xdp_program{})), (refusal{errno_code::not_permitted, ""}));
    }
}

// QL-XSK-08: netkit's XDP_SETUP_XSK_POOL checks in their order: pair
// device, index range, lease, P's operations, P's features (enabling only),
// P's providers (enabling only), then P's own setup.
TEST(netkit_ndo_bpf, xsk_pool_setup_checks_run_in_order_QL_XSK_08) {
    // Pair devices refuse first, even for an index out of range.
    xsk_bench b;
    const std::uint32_t guest_k = b.lease(0);
    EXPECT_EQ(refusal_of(pool_setup_on_copy(b.w, b.pair.guest, guest_k, true)), eopnotsupp);
    EXPECT_EQ(refusal_of(pool_setup_on_copy(b.w, b.pair.guest, 9, true)), eopnotsupp);
    EXPECT_EQ(refusal_of(pool_setup_on_copy(b.w, b.pair.host, 0, true)), eopnotsupp);
    // Single device: range, then lease.
    const std::uint32_t k = b.lease_single(2);
    EXPECT_EQ(refusal_of(pool_setup_on_copy(b.w, b.single, 2, true)), einval);
    EXPECT_EQ(refusal_of(pool_setup_on_copy(b.w, b.single, 0, true)), eopnotsupp);
    // P's features (the NIC's advertisement trimmed on a copy), enabling only.
    {
        world trimmed = b.w;
        world_state s = trimmed.state();
        s.devices.at(b.nic).xdp_features = uapi::xdp_feature::basic;
        world_state after_enable = s;
        EXPECT_EQ(refusal_of(lease::detail::pool_setup(after_enable, queue_ref{b.single, k}, true)), eopnotsupp);
        world_state after_disable = s;
        EXPECT_EQ(refusal_of(lease::detail::pool_setup(after_disable, queue_ref{b.single, k}, false)), refusal{});
    }
    // A provider on another queue of P: EBUSY when enabling, not forwarded.
    must(b.zcrx_nic(3));
    world_state s;
    EXPECT_EQ(refusal_of(pool_setup_on_copy(b.w, b.single, k, true, &s)), ebusy);
    EXPECT_FALSE(s.devices.at(b.nic).rxq[2].zero_copy);
    EXPECT_EQ(refusal_of(pool_setup_on_copy(b.w, b.single, k, false)), refusal{});
    // Without providers the command reaches P with q.
    xsk_bench clean;
    const std::uint32_t k2 = clean.lease_single(1);
    EXPECT_EQ(refusal_of(pool_setup_on_copy(clean.w, clean.single, k2, true, &s)), refusal{});
    EXPECT_TRUE(s.devices.at(clean.nic).rxq[1].zero_copy);
    EXPECT_FALSE(s.devices.at(clean.single).rxq[k2].zero_copy);
}

// QL-XSK-08: P without ndo_bpf pool setup / ndo_xdp_xmit / ndo_xsk_wakeup
// (an nsim NIC) is EOPNOTSUPP, enabling or disabling.
TEST(netkit_ndo_bpf, a_lessor_without_af_xdp_operations_is_eopnotsupp_QL_XSK_08) {
    xsk_bench b(newest, softnic_config::nsim());
    const std::uint32_t k = b.lease_single(1);
    EXPECT_EQ(refusal_of(pool_setup_on_copy(b.w, b.single, k, true)), eopnotsupp);
    EXPECT_EQ(refusal_of(pool_setup_on_copy(b.w, b.single, k, false)), eopnotsupp);
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.xsk_single(k, xsk_mode::zero_copy_forced)), eopnotsupp);
    EXPECT_TRUE(b.w == before);
}

// QL-XSK-08, QL-XSK-06: through the socket bind — a single device's leased
// queue gets zero-copy at P; a pair device's does not.
TEST(netkit_ndo_bpf, a_forced_zero_copy_bind_is_proxied_for_single_devices_only_QL_XSK_08) {
    xsk_bench b;
    const std::uint32_t ks = b.lease_single(1);
    const std::uint32_t kg = b.lease(2);
    const auto id = must(b.xsk_single(ks, xsk_mode::zero_copy_forced));
    EXPECT_TRUE(b.w.socket(id)->zero_copy);
    EXPECT_TRUE(b.nic_rxq(1).zero_copy);
    EXPECT_EQ(b.nic_rxq(1).xsk_pool, id);
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.xsk_guest(kg, xsk_mode::zero_copy_forced)), eopnotsupp);
    EXPECT_TRUE(b.w == before);
}

// ---------------------------------------------------------------- wakeup

// QL-XSK-09, SN-XSK-02, NK-FEAT-06: netkit's ndo_xsk_wakeup: index range,
// then lease, then P's wakeup; the NIC's own wakeup checks its range.
TEST(netkit_xsk_wakeup, range_then_lease_then_the_lessors_wakeup_QL_XSK_09) {
    xsk_bench b;
    const std::uint32_t k = b.lease_single(2);
    const std::uint32_t kg = b.lease(1);
    EXPECT_EQ(refusal_of(b.w.xsk_wakeup(b.single, 2)), einval);
    EXPECT_EQ(refusal_of(b.w.xsk_wakeup(b.single, 0)), eopnotsupp);
    EXPECT_EQ(refusal_of(b.w.xsk_wakeup(b.single, k)), refusal{});
    EXPECT_EQ(refusal_of(b.w.xsk_wakeup(b.pair.guest, kg)), refusal{});  // no feature re-check
    EXPECT_EQ(refusal_of(b.w.xsk_wakeup(b.nic, 4)), einval);
    EXPECT_EQ(refusal_of(b.w.xsk_wakeup(b.nic, 3)), refusal{});
    world w;
    const auto nsim = add_nic(w, 2);
    EXPECT_EQ(refusal_of(w.xsk_wakeup(nsim, 0)), eopnotsupp);  // SN-XSK-01
}

// ----------------------------------------------------- feature advertisement

// NK-UAPI-10, NK-SGL-03, QL-XSK-10: single devices advertise BASIC |
// REDIRECT | XSK_ZEROCOPY = 11, pair devices 0 (newest, linux-7.1.0).
TEST(xsk_features, only_single_devices_advertise_the_xsk_set_QL_XSK_10) {
    for (const auto* profile : {&newest, &linux_7_1_0}) {
        xsk_bench b(*profile);
        EXPECT_EQ(static_cast<std::uint32_t>(b.w.at(b.single).xdp_features), 11u) << profile->name;
        EXPECT_EQ(static_cast<std::uint32_t>(b.w.at(b.pair.host).xdp_features), 0u);
        EXPECT_EQ(static_cast<std::uint32_t>(b.w.at(b.pair.guest).xdp_features), 0u);
    }
}

// NK-SGL-03, QL-XSK-10, QL-XSK-08: profile v7-jan2026 advertises the set on
// every netkit device, yet pair devices still refuse pools.
TEST(xsk_features, v7_jan2026_advertises_on_every_device_but_pairs_refuse_pools_QL_XSK_10) {
    xsk_bench b(v7_jan2026);
    for (const auto h : {b.single, b.pair.host, b.pair.guest}) {
        EXPECT_EQ(static_cast<std::uint32_t>(b.w.at(h).xdp_features), 11u);
    }
    const std::uint32_t k = b.lease(1);
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.xsk_guest(k, xsk_mode::zero_copy_forced)), eopnotsupp);
    EXPECT_TRUE(b.w == before);
}

// ------------------------------------------------------------ receive check

// QL-XSK-11: the receive check through world::xsk_receive_check.
TEST(xsk_receive, a_socket_accepts_its_own_queue_and_its_leased_physical_queue_QL_XSK_11) {
    xsk_bench b;
    const std::uint32_t k = b.lease(2);
    const auto through = must(b.xsk_guest(k));
    const auto direct = must(b.xsk_nic(1));
    const auto on_zero = must(b.xsk_guest(0));
    const refusal accepted{};
    EXPECT_EQ(refusal_of(b.w.xsk_receive_check(through, b.nic, 2)), accepted);
    EXPECT_EQ(refusal_of(b.w.xsk_receive_check(through, b.pair.guest, k)), accepted);
    EXPECT_EQ(refusal_of(b.w.xsk_receive_check(through, b.nic, 1)), einval);
    EXPECT_EQ(refusal_of(b.w.xsk_receive_check(through, b.single, k)), einval);
    EXPECT_EQ(refusal_of(b.w.xsk_receive_check(direct, b.nic, 1)), accepted);
    EXPECT_EQ(refusal_of(b.w.xsk_receive_check(direct, b.nic, 2)), einval);
    // An unleased netkit queue accepts only itself.
    EXPECT_EQ(refusal_of(b.w.xsk_receive_check(on_zero, b.pair.guest, 0)), accepted);
    EXPECT_EQ(refusal_of(b.w.xsk_receive_check(on_zero, b.nic, 0)), einval);
    EXPECT_EQ(refusal_of(b.w.xsk_receive_check(on_zero, b.nic, 2)), einval);
}

// [unconfirmed] QL-XSK-11, QL-XSK-14: a socket whose device went away is
// not bound (the unregister unbinds it): ENXIO.
TEST(xsk_receive, an_unbound_socket_is_enxio_unconfirmed_QL_XSK_11) {
    xsk_bench b;
    const std::uint32_t k = b.lease(3);
    const auto id = must(b.xsk_guest(k));
    must_ok(b.w.delete_link(root, delete_request{ifindex(b.w, b.pair.host), {}, {}}));
    ASSERT_NE(b.w.socket(id), nullptr);
    EXPECT_FALSE(b.w.socket(id)->bound.has_value());
    EXPECT_EQ(refusal_of(b.w.xsk_receive_check(id, b.nic, 3)),
              (refusal{errno_code::no_such_device_or_address, ""}));
}

// QL-XSK-11, SN-XSK-03, SN-RX-03: a redirect_xsk verdict on the NIC hands the
// frame to the socket whose pool sits on the queue — through a lease or
// directly — counted as received; a queue without a socket drops it.
TEST(xsk_receive, a_redirect_on_the_nic_reaches_the_socket_through_the_lease_QL_XSK_11) {
    xsk_bench b;
    const std::uint32_t k = b.lease_single(2);
    const auto through = must(b.xsk_single(k, xsk_mode::zero_copy_forced));
    const auto direct = must(b.xsk_nic(0));
    must_ok(b.w.attach_xdp(b.nic, xdp_program{xdp_verdict::redirect_xsk, true}));
    const auto packets = b.w.at(b.nic).counters.rx_packets;
    inject_to(b.w, b.nic, 2, 2);
    const auto out = must(b.w.poll(b.nic, 2));
    ASSERT_EQ(out.size(), 2u);
    for (const auto& o : out) {
        EXPECT_EQ(o.end, softnic::rx_end::af_xdp);
        EXPECT_EQ(o.consumer, through);
    }
    EXPECT_EQ(b.w.socket(through)->rx_ring.size(), 2u);
    EXPECT_EQ(b.w.at(b.nic).counters.rx_packets, packets + 2);

    inject_to(b.w, b.nic, 0, 1);
    const auto out0 = must(b.w.poll(b.nic, 0));
    ASSERT_EQ(out0.size(), 1u);
    EXPECT_EQ(out0[0].end, softnic::rx_end::af_xdp);
    EXPECT_EQ(b.w.socket(direct)->rx_ring.size(), 1u);

    const auto dropped = b.w.at(b.nic).counters.rx_dropped;
    inject_to(b.w, b.nic, 1, 1);
    const auto out1 = must(b.w.poll(b.nic, 1));
    ASSERT_EQ(out1.size(), 1u);
    EXPECT_EQ(out1[0].end, softnic::rx_end::dropped_xsk_rejected);
    EXPECT_EQ(b.w.at(b.nic).counters.rx_dropped, dropped + 1);
}

// QL-XSK-12: a frame larger than the socket's frame size is dropped and
// counted on the socket unless it supports multi-buffer.
TEST(xsk_receive, a_frame_larger_than_the_frame_size_is_dropped_without_multi_buffer_QL_XSK_12) {
    xsk_bench b;
    const std::uint32_t k1 = b.lease_single(1);
    const std::uint32_t k2 = b.lease_single(2);
    const auto small = must(b.xsk_single(k1, xsk_mode::copy, 128, false));
    const auto multi = must(b.xsk_single(k2, xsk_mode::copy, 128, true));
    must_ok(b.w.attach_xdp(b.nic, xdp_program{xdp_verdict::redirect_xsk, true}));
    inject_to(b.w, b.nic, 1, 1, 200);
    inject_to(b.w, b.nic, 1, 1, 128);
    const auto out = must(b.w.poll(b.nic, 1));
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].end, softnic::rx_end::dropped_xsk_too_large);
    EXPECT_EQ(out[1].end, softnic::rx_end::af_xdp);
    EXPECT_EQ(b.w.socket(small)->rx_dropped, 1u);
    EXPECT_EQ(b.w.socket(small)->rx_ring.size(), 1u);
    inject_to(b.w, b.nic, 2, 1, 200);
    const auto out2 = must(b.w.poll(b.nic, 2));
    ASSERT_EQ(out2.size(), 1u);
    EXPECT_EQ(out2[0].end, softnic::rx_end::af_xdp);
    EXPECT_EQ(b.w.socket(multi)->rx_dropped, 0u);
}

// ------------------------------------------------------------ unbind, teardown

// QL-XSK-13: closing a zero-copy socket bound through a lease clears the
// pool at P and turns zero-copy off there (the disable reaches P); the
// lease stays (QL-LIFE-03).
TEST(xsk_unbind, closing_clears_the_pool_and_zero_copy_at_the_lessor_QL_XSK_13) {
    xsk_bench b;
    const std::uint32_t k = b.lease_single(3);
    const auto id = must(b.xsk_single(k, xsk_mode::zero_copy_forced));
    ASSERT_TRUE(b.nic_rxq(3).zero_copy);
    must_ok(b.w.xsk_close(id));
    EXPECT_FALSE(b.nic_rxq(3).xsk_pool.has_value());
    EXPECT_FALSE(b.w.at(b.nic).txq[3].xsk_pool.has_value());
    EXPECT_FALSE(b.nic_rxq(3).zero_copy);
    EXPECT_EQ(b.nic_rxq(3).lease, (queue_ref{b.single, k}));
    // The queue takes a new zero-copy socket.
    EXPECT_TRUE(b.xsk_single(k, xsk_mode::zero_copy_forced).ok());
}

// [unconfirmed] QL-XSK-14: when a netkit device unregisters, its sockets are
// unbound and the pool is cleared at the physical queue through the lease
// before unleasing; the socket can still be closed afterwards.
TEST(xsk_unbind, an_unregistering_lessee_unbinds_its_sockets_through_the_lease_unconfirmed_QL_XSK_14) {
    xsk_bench b;
    const std::uint32_t k = b.lease_single(1);
    const std::uint32_t kg = b.lease(2);
    const auto zc = must(b.xsk_single(k, xsk_mode::zero_copy_forced));
    const auto copy = must(b.xsk_guest(kg));
    must_ok(b.w.delete_link(root, delete_request{b.single_index(), {}, {}}));
    EXPECT_FALSE(b.w.socket(zc)->bound.has_value());
    EXPECT_FALSE(b.w.socket(zc)->zero_copy);
    EXPECT_FALSE(b.nic_rxq(1).xsk_pool.has_value());
    EXPECT_FALSE(b.nic_rxq(1).zero_copy);
    EXPECT_FALSE(b.nic_rxq(1).lease.has_value());
    // The guest's netns goes: its socket likewise.
    must_ok(b.w.delete_netns(b.pair.ns));
    EXPECT_FALSE(b.w.socket(copy)->bound.has_value());
    EXPECT_FALSE(b.nic_rxq(2).xsk_pool.has_value());
    EXPECT_FALSE(b.nic_rxq(2).lease.has_value());
    EXPECT_EQ(b.w.at(b.nic).lease_refs, 0u);
    const rx_queue q1 = b.nic_rxq(1);
    must_ok(b.w.xsk_close(zc));
    EXPECT_TRUE(b.nic_rxq(1) == q1);
    EXPECT_EQ(b.w.socket(zc), nullptr);
}

// [unconfirmed] QL-XSK-14: a NIC that goes away unbinds the sockets bound to
// it directly.
TEST(xsk_unbind, a_removed_nic_unbinds_its_own_sockets_unconfirmed_QL_XSK_14) {
    xsk_bench b;
    const auto id = must(b.xsk_nic(1, xsk_mode::zero_copy_forced));
    must_ok(b.w.remove_softnic_port(b.nic));
    EXPECT_FALSE(b.w.socket(id)->bound.has_value());
    EXPECT_FALSE(b.w.socket(id)->zero_copy);
    must_ok(b.w.xsk_close(id));
}

}  // namespace
