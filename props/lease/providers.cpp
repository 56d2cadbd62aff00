// Tests of the memory-provider part of include/netkit/model/lease.hpp (and
// the restart of include/netkit/model/queue_ops.hpp it relies on) against
// lease.md §7 (QL-MP-01…10), §8 (QL-DMA-01/02) and §10 (QL-TX-01), plus the
// buffer ownership of zero-copy areas (softnic.md SN-RX-03): every buffer is
// in exactly one of free list / kernel / user, and none is touched after the
// area is unmapped.
//
// Providers are opened by the model's consumers (io_uring zero-copy receive,
// devmem bind-rx). Those look up the DMA device first (QL-MP-09), so the
// checks behind that lookup for leased physical and unleased virtual queues
// are also driven through a bare lease::provider_open on a copy of the state.
#include <lease/bench.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace lease_test;

const core::profile_traits& newest = core::profiles::newest::traits;
const core::profile_traits& linux_7_1_0 = core::profiles::linux_7_1_0::traits;
const core::profile_traits& v7_jan2026 = core::profiles::v7_jan2026::traits;

softnic_config without_queue_management() {
    softnic_config c = softnic_config::hwnic();
    c.queue_management = false;
    return c;
}

std::uint32_t count_owned(const zero_copy_area& a, buffer_owner owner) {
    return static_cast<std::uint32_t>(
        std::count_if(a.buffers.begin(), a.buffers.end(), [owner](const buffer& b) { return b.owner == owner; }));
}

// ------------------------------------------------------------ QL-MP-01/02

// QL-MP-01: the named device must have queue-management operations; the
// check comes before the index check (QL-MP-02).
TEST(provider_open, a_device_without_queue_management_operations_is_eopnotsupp_QL_MP_01) {
    bench b(newest, without_queue_management());
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.zcrx_nic(0)), (refusal{errno_code::not_supported, ""}));
    EXPECT_TRUE(b.w == before);

    EXPECT_EQ(refusal_of(open_bare(b.w, b.nic, 0).outcome), (refusal{errno_code::not_supported, ""}));
    EXPECT_EQ(refusal_of(open_bare(b.w, b.nic, 99).outcome), (refusal{errno_code::not_supported, ""}));
    // lo has no queue-management operations either.
    const device* lo = b.w.find(world::initial_netns(), 1);
    ASSERT_NE(lo, nullptr);
    EXPECT_EQ(refusal_of(open_bare(b.w, lo->handle, 0).outcome), (refusal{errno_code::not_supported, ""}));
}

// QL-MP-02: an index at or above real rx — also an allocated but inactive
// one — is ERANGE, before the generic checks of QL-MP-06.
TEST(provider_open, an_index_at_or_above_real_rx_is_erange_QL_MP_02) {
    bench b;
    const refusal out_of_range{errno_code::out_of_range, "rx queue index out of range"};
    EXPECT_EQ(refusal_of(open_bare(b.w, b.nic, 4).outcome), out_of_range);
    must_ok(b.w.ethtool_set_channels(b.nic, links::channel_counts{{}, {}, 2, {}}));
    EXPECT_EQ(refusal_of(open_bare(b.w, b.nic, 2).outcome), out_of_range);
    EXPECT_EQ(refusal_of(open_bare(b.w, b.nic, 3).outcome), out_of_range);
    // The range check precedes "tcp-data-split is disabled".
    must_ok(b.w.ethtool_set_rings(b.nic, softnic::ring_request{tcp_data_split::disabled, {}, {}, {}}));
    EXPECT_EQ(refusal_of(open_bare(b.w, b.nic, 2).outcome), out_of_range);
    EXPECT_EQ(refusal_of(open_bare(b.w, b.nic, 1).outcome),
              (refusal{errno_code::invalid, "tcp-data-split is disabled"}));
}

// ----------------------------------------------------------------- QL-MP-03

// QL-MP-03: a bare open on a leased physical queue is EBUSY with the
// profile's text, before the generic checks; the model's consumers fail
// earlier at the DMA lookup with EOPNOTSUPP (QL-MP-09, QL-DMA-01).
TEST(provider_open, a_leased_physical_queue_is_ebusy_rx_queue_leased_to_a_virtual_netdev_QL_MP_03) {
    for (const auto* profile : {&newest, &linux_7_1_0}) {
        bench b(*profile);
        b.lease(2);
        EXPECT_EQ(refusal_of(open_bare(b.w, b.nic, 2).outcome),
                  (refusal{errno_code::busy, "rx queue leased to a virtual netdev"}))
            << profile->name;
        // Before the generic checks: a non-zero hds-thresh is reported only
        // for an unleased queue.
        must_ok(b.w.ethtool_set_rings(b.nic, softnic::ring_request{{}, 64, {}, {}}));
        EXPECT_EQ(refusal_of(open_bare(b.w, b.nic, 2).outcome),
                  (refusal{errno_code::busy, "rx queue leased to a virtual netdev"}));
        EXPECT_EQ(refusal_of(open_bare(b.w, b.nic, 1).outcome), (refusal{errno_code::invalid, "hds-thresh is not zero"}));
        const world before = b.w;
        EXPECT_EQ(refusal_of(b.zcrx_nic(2)), (refusal{errno_code::not_supported, ""}));
        EXPECT_EQ(refusal_of(b.w.bind_rx(root, b.nic_index(), {2}, 5)),
                  (refusal{errno_code::not_supported, "Device doesn't support DMA"}));
        EXPECT_TRUE(b.w == before);
    }
}

// QL-MP-03, profile v7-jan2026 (README §4 row 15): "peered".
TEST(provider_open, a_leased_physical_queue_says_peered_under_v7_jan2026_QL_MP_03) {
    bench b(v7_jan2026);
    b.lease(1);
    EXPECT_EQ(refusal_of(open_bare(b.w, b.nic, 1).outcome),
              (refusal{errno_code::busy, "rx queue peered to a virtual netdev"}));
    EXPECT_EQ(refusal_of(b.zcrx_nic(1)), (refusal{errno_code::not_supported, ""}));
}

// ----------------------------------------------------------------- QL-MP-04

// QL-MP-04, QL-MP-07: an open on a leased virtual queue works on (P, q):
// the parameters are stored on P's queue only and that queue restarts.
TEST(provider_open, through_a_lease_the_provider_lands_on_the_physical_queue_which_restarts_QL_MP_04) {
    bench b;
    const std::uint32_t k = b.lease(2);
    const rx_queue physical_before = b.nic_rxq(2);
    const rx_queue other_before = b.nic_rxq(1);
    const auto id = must(b.zcrx_guest(k));
    ASSERT_TRUE(b.nic_rxq(2).provider.has_value());
    EXPECT_EQ(*b.nic_rxq(2).provider, (provider_params{provider_kind::io_uring, id}));
    EXPECT_FALSE(b.guest_rxq(k).provider.has_value());  // QL-MP-07
    EXPECT_EQ(b.nic_rxq(2).page_pool_generation, physical_before.page_pool_generation + 1);
    EXPECT_EQ(b.nic_rxq(2).napi_generation, physical_before.napi_generation + 1);  // restart mode 0
    EXPECT_TRUE(b.nic_rxq(1) == other_before);
    const zero_copy_area* area = b.w.area(id);
    ASSERT_NE(area, nullptr);
    EXPECT_EQ(area->device, b.pair.guest);
    EXPECT_EQ(area->queues, std::vector<std::uint32_t>{k});
    EXPECT_TRUE(area->installed);
    // The lease itself is untouched.
    EXPECT_EQ(b.nic_rxq(2).lease, (queue_ref{b.pair.guest, k}));
}

// QL-MP-04, QL-MP-06: the generic checks run on the resolved (physical)
// device: its hds-thresh refuses the open named on the guest.
TEST(provider_open, the_generic_checks_of_a_proxied_open_look_at_the_physical_device_QL_MP_04) {
    bench b;
    const std::uint32_t k = b.lease(1);
    must_ok(b.w.ethtool_set_rings(b.nic, softnic::ring_request{{}, 128, {}, {}}));
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.zcrx_guest(k)), (refusal{errno_code::invalid, "hds-thresh is not zero"}));
    EXPECT_TRUE(b.w == before);
}

// ----------------------------------------------------------------- QL-MP-05

// [unconfirmed] QL-MP-05: a bare open on an unleased netkit queue runs the
// generic checks on netkit itself, which has no tcp-data-split: EINVAL
// "tcp-data-split is disabled" (README §4 row 16, newest and linux-7.1.0).
TEST(provider_open, an_unleased_netkit_queue_fails_the_generic_checks_unconfirmed_QL_MP_05) {
    for (const auto* profile : {&newest, &linux_7_1_0}) {
        bench b(*profile);
        b.lease(1);
        EXPECT_EQ(refusal_of(open_bare(b.w, b.pair.guest, 0).outcome),
                  (refusal{errno_code::invalid, "tcp-data-split is disabled"}))
            << profile->name;
        const auto single = add_single(b.w, 2);
        EXPECT_EQ(refusal_of(open_bare(b.w, single, 0).outcome),
                  (refusal{errno_code::invalid, "tcp-data-split is disabled"}));
    }
}

// QL-MP-05, profile v7-jan2026: EBUSY "rx queue is mapped to a virtual
// netdev"; QL-MP-09: a consumer fails earlier with EOPNOTSUPP in every
// profile.
TEST(provider_open, an_unleased_netkit_queue_is_mapped_under_v7_jan2026_and_consumers_fail_at_dma_QL_MP_05) {
    bench v7(v7_jan2026);
    EXPECT_EQ(refusal_of(open_bare(v7.w, v7.pair.guest, 0).outcome),
              (refusal{errno_code::busy, "rx queue is mapped to a virtual netdev"}));
    for (const auto* profile : {&newest, &linux_7_1_0, &v7_jan2026}) {
        bench b(*profile);
        const world before = b.w;
        EXPECT_EQ(refusal_of(b.zcrx_guest(0)), (refusal{errno_code::not_supported, ""})) << profile->name;
        EXPECT_TRUE(b.w == before);
    }
}

// ----------------------------------------------------------------- QL-MP-06

// QL-MP-06: the generic checks in their order, each failure hiding the
// later ones (state prepared directly so that all six fail at once).
TEST(provider_open, the_generic_checks_run_in_order_QL_MP_06) {
    bench b;
    world_state s = b.w.state();
    {
        device& d = s.devices.at(b.nic);
        d.nic->data_split = tcp_data_split::disabled;
        d.nic->hds_thresh = 64;
        d.nic->xdp = xdp_program{xdp_verdict::pass, true};
        d.rxq[0].provider = provider_params{provider_kind::dmabuf, 77};
        d.rxq[0].xsk_pool = 78;
    }
    const lease::provider_options page_size{true};
    auto open = [&](const world_state& state) {
        world_state copy = state;
        return refusal_of(lease::provider_open(copy, queue_ref{b.nic, 0}, provider_params{provider_kind::io_uring, 1},
                                               page_size));
    };
    EXPECT_EQ(open(s), (refusal{errno_code::invalid, "tcp-data-split is disabled"}));
    s.devices.at(b.nic).nic->data_split = tcp_data_split::enabled;
    EXPECT_EQ(open(s), (refusal{errno_code::invalid, "hds-thresh is not zero"}));
    s.devices.at(b.nic).nic->hds_thresh = 0;
    EXPECT_EQ(open(s),
              (refusal{errno_code::exists, "unable to custom memory provider to device with XDP program attached"}));
    s.devices.at(b.nic).nic->xdp.reset();
    EXPECT_EQ(open(s), (refusal{errno_code::not_supported, "device does not support: rx_page_size"}));
    s.devices.at(b.nic).nic->config.rx_page_size_supported = true;
    EXPECT_EQ(open(s), (refusal{errno_code::exists, "designated queue already memory provider bound"}));
    s.devices.at(b.nic).rxq[0].provider.reset();
    EXPECT_EQ(open(s), (refusal{errno_code::busy, "designated queue already in use by AF_XDP"}));
    s.devices.at(b.nic).rxq[0].xsk_pool.reset();
    EXPECT_EQ(open(s), refusal{});
}

// QL-MP-06 through the world, one check at a time; every refusal leaves
// the world unchanged. SN-HDS-04: a fresh NIC's tcp-data-split is unknown.
TEST(provider_open, each_generic_check_refuses_a_receiver_on_its_own_QL_MP_06) {
    {
        world w;
        const auto nic = add_nic(w, 2, softnic_config::hwnic());
        const world before = w;
        EXPECT_EQ(refusal_of(w.zcrx_register(root, ifindex(w, nic), 0)),
                  (refusal{errno_code::invalid, "tcp-data-split is disabled"}));
        EXPECT_TRUE(w == before);
        must_ok(w.ethtool_set_rings(nic, softnic::ring_request{tcp_data_split::disabled, {}, {}, {}}));
        EXPECT_EQ(refusal_of(w.zcrx_register(root, ifindex(w, nic), 0)),
                  (refusal{errno_code::invalid, "tcp-data-split is disabled"}));
    }
    {
        bench b;
        must_ok(b.w.ethtool_set_rings(b.nic, softnic::ring_request{{}, 1, {}, {}}));
        const world before = b.w;
        EXPECT_EQ(refusal_of(b.zcrx_nic(0)), (refusal{errno_code::invalid, "hds-thresh is not zero"}));
        EXPECT_TRUE(b.w == before);
    }
    {
        bench b;  // SN-XDP-03 (a multi-buffer program: data split is enabled)
        must_ok(b.w.attach_xdp(b.nic, xdp_program{xdp_verdict::pass, true}));
        const world before = b.w;
        EXPECT_EQ(refusal_of(b.zcrx_nic(0)),
                  (refusal{errno_code::exists, "unable to custom memory provider to device with XDP program attached"}));
        EXPECT_TRUE(b.w == before);
    }
    {
        bench b;
        const world before = b.w;
        EXPECT_EQ(refusal_of(b.w.zcrx_register(root, b.nic_index(), 0, 64, lease::provider_options{true})),
                  (refusal{errno_code::not_supported, "device does not support: rx_page_size"}));
        EXPECT_TRUE(b.w == before);
        softnic_config c = softnic_config::hwnic();
        c.rx_page_size_supported = true;
        bench supported(newest, c);
        EXPECT_TRUE(supported.w.zcrx_register(root, supported.nic_index(), 0, 64, lease::provider_options{true}).ok());
    }
    {
        bench b;
        must(b.zcrx_nic(1));
        const world before = b.w;
        EXPECT_EQ(refusal_of(b.zcrx_nic(1)),
                  (refusal{errno_code::exists, "designated queue already memory provider bound"}));
        EXPECT_TRUE(b.w == before);
    }
    {
        bench b;
        must(b.xsk_nic(1));
        const world before = b.w;
        EXPECT_EQ(refusal_of(b.zcrx_nic(1)), (refusal{errno_code::busy, "designated queue already in use by AF_XDP"}));
        EXPECT_TRUE(b.w == before);
    }
}

// ----------------------------------------------------------------- QL-MP-07

// QL-MP-07, SN-RST-05, SN-MP-02: on a running NIC the install swaps the
// queue's memory; on a NIC that is down it is stored without a swap and
// survives the open (SN-MP-03).
TEST(provider_open, install_restarts_the_queue_only_while_the_nic_is_running_QL_MP_07) {
    bench up;
    const auto generation = up.nic_rxq(0).page_pool_generation;
    must(up.zcrx_nic(0));
    EXPECT_EQ(up.nic_rxq(0).page_pool_generation, generation + 1);

    bench down(newest, softnic_config::hwnic(), false);
    const auto id = must(down.zcrx_nic(0));
    EXPECT_EQ(down.nic_rxq(0).page_pool_generation, 0u);
    EXPECT_EQ(down.nic_rxq(0).provider, (provider_params{provider_kind::io_uring, id}));
    must_ok(down.w.open(down.nic));
    EXPECT_EQ(down.nic_rxq(0).provider, (provider_params{provider_kind::io_uring, id}));
}

// QL-MP-07, SN-RST-02, SN-RST-06: a failing restart clears the parameters
// again and returns its error — observed on the operation's own state and
// through the world, which keeps nothing but the consumed fault.
TEST(provider_open, a_failing_restart_clears_the_parameters_again_QL_MP_07) {
    for (const auto point : {fault_point::mem_alloc, fault_point::queue_stop, fault_point::queue_start}) {
        bench b;
        const std::uint32_t k = b.lease(3);
        must_ok(b.w.arm_fault(b.nic, point, errno_code::out_of_memory));
        const rx_queue queue_before = b.nic_rxq(3);
        // Directly on P and through the lease.
        for (const queue_ref named : {queue_ref{b.nic, 0}, queue_ref{b.pair.guest, k}}) {
            world_state s = b.w.state();
            const auto outcome = lease::provider_open(s, named, provider_params{provider_kind::io_uring, 5});
            EXPECT_EQ(refusal_of(outcome), (refusal{errno_code::out_of_memory, ""})) << core::enum_name(point);
            const queue_ref physical = named.device == b.nic ? named : queue_ref{b.nic, 3};
            EXPECT_FALSE(s.devices.at(b.nic).rxq[physical.index].provider.has_value());
            EXPECT_EQ(s.devices.at(b.nic).rxq[physical.index].page_pool_generation,
                      b.nic_rxq(physical.index).page_pool_generation);
            EXPECT_FALSE(s.devices.at(b.pair.guest).rxq[k].provider.has_value());
        }
        // Through the world: the refusal keeps only the consumed fault
        // (a partly applied error); the queue is as before.
        world expected = b.w;
        must_ok(expected.arm_fault(b.nic, point, errno_code::out_of_memory, 0));
        const auto outcome = b.zcrx_guest(k);
        EXPECT_EQ(refusal_of(outcome), (refusal{errno_code::out_of_memory, ""}));
        EXPECT_TRUE(!outcome.ok() && outcome.failure().partly_applied);
        EXPECT_TRUE(b.w == expected);
        EXPECT_TRUE(b.nic_rxq(3) == queue_before);
    }
}

// QL-MP-07, SN-MP-01: a NIC whose page pools cannot carry a provider fails
// the restart's binding check with ENODATA, up or down.
TEST(provider_open, a_nic_without_provider_capable_page_pools_is_enodata_QL_MP_07) {
    softnic_config c = softnic_config::hwnic();
    c.mp_capable = false;
    for (const bool up : {true, false}) {
        bench b(newest, c, up);
        const world before = b.w;
        EXPECT_EQ(refusal_of(b.zcrx_nic(0)), (refusal{errno_code::no_data, ""}));
        EXPECT_TRUE(b.w == before);
    }
}

// ----------------------------------------------------------------- QL-MP-08

// QL-MP-08: closing clears the parameters and restarts the physical queue;
// the receiver drops its device reference (QL-MP-09).
TEST(provider_close, closing_clears_the_parameters_and_restarts_the_physical_queue_QL_MP_08) {
    bench b;
    const std::uint32_t k = b.lease(1);
    const auto direct = must(b.zcrx_nic(0));
    const auto through = must(b.zcrx_guest(k));
    EXPECT_EQ(b.w.at(b.pair.guest).holders, 1u);
    EXPECT_EQ(b.w.at(b.nic).holders, 1u);
    const auto g0 = b.nic_rxq(0).page_pool_generation;
    const auto g1 = b.nic_rxq(1).page_pool_generation;
    must_ok(b.w.consumer_close(through));
    EXPECT_FALSE(b.nic_rxq(1).provider.has_value());
    EXPECT_EQ(b.nic_rxq(1).page_pool_generation, g1 + 1);
    EXPECT_EQ(b.nic_rxq(1).lease, (queue_ref{b.pair.guest, k}));
    EXPECT_EQ(b.w.at(b.pair.guest).holders, 0u);
    EXPECT_FALSE(b.w.area(through)->installed);
    EXPECT_FALSE(b.w.area(through)->mapped);
    must_ok(b.w.consumer_close(direct));
    EXPECT_FALSE(b.nic_rxq(0).provider.has_value());
    EXPECT_EQ(b.nic_rxq(0).page_pool_generation, g0 + 1);
    EXPECT_EQ(b.w.at(b.nic).holders, 0u);
    // A second exit is refused: the area is gone from the user's view.
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.w.consumer_close(direct)), (refusal{errno_code::bad_descriptor, ""}));
    EXPECT_TRUE(b.w == before);
}

// QL-MP-08: errors of the close restart (ENETDOWN and others) are tolerated;
// the parameters are cleared anyway.
TEST(provider_close, a_failing_restart_on_close_is_tolerated_QL_MP_08) {
    for (const auto error : {errno_code::network_down, errno_code::out_of_memory}) {
        bench b;
        const std::uint32_t k = b.lease(2);
        const auto id = must(b.zcrx_guest(k));
        must_ok(b.w.arm_fault(b.nic, fault_point::queue_stop, error));
        const auto generation = b.nic_rxq(2).page_pool_generation;
        must_ok(b.w.consumer_close(id));
        EXPECT_FALSE(b.nic_rxq(2).provider.has_value());
        EXPECT_EQ(b.nic_rxq(2).page_pool_generation, generation);  // nothing was swapped
        EXPECT_TRUE(b.w.state().hazards.empty());
    }
}

// QL-MP-08: invalid resolutions, a provider mismatch and a queue without a
// provider are silent no-ops.
TEST(provider_close, invalid_resolutions_and_mismatches_are_silent_no_ops_QL_MP_08) {
    bench b;
    const std::uint32_t k = b.lease(2);
    const auto id = must(b.zcrx_guest(k));
    const provider_params mine{provider_kind::io_uring, id};
    auto close_on_copy = [&](queue_ref named, provider_params params) {
        world_state s = b.w.state();
        lease::provider_close(s, named, params);
        return s == b.w.state();
    };
    EXPECT_TRUE(close_on_copy(queue_ref{b.nic, 2}, mine));           // leased physical queue: invalid
    EXPECT_TRUE(close_on_copy(queue_ref{b.pair.guest, 7}, mine));    // beyond the allocated queues
    EXPECT_TRUE(close_on_copy(queue_ref{b.nic, 9}, mine));           // beyond the allocated queues
    EXPECT_TRUE(close_on_copy(queue_ref{b.pair.guest, k}, provider_params{provider_kind::io_uring, id + 1}));
    EXPECT_TRUE(close_on_copy(queue_ref{b.pair.guest, k}, provider_params{provider_kind::dmabuf, id}));
    EXPECT_TRUE(close_on_copy(queue_ref{b.nic, 0}, mine));           // no provider there
    EXPECT_TRUE(close_on_copy(queue_ref{b.pair.guest, 0}, mine));    // unleased virtual queue, no provider
    EXPECT_FALSE(close_on_copy(queue_ref{b.pair.guest, k}, mine));   // the real thing does something
}

// QL-MP-08, QL-MP-09, NK-DEL-07: a receiver on a guest queue keeps the
// deleted guest unregistering; its exit after the lessee's teardown (which
// already cleaned the provider, QL-LIFE-06) is a silent no-op on the NIC
// and frees the guest.
TEST(provider_close, exit_after_the_lessee_is_gone_touches_nothing_and_frees_it_QL_MP_08) {
    bench b;
    const std::uint32_t k = b.lease(1);
    const auto id = must(b.zcrx_guest(k));
    must_ok(b.w.delete_link(root, delete_request{ifindex(b.w, b.pair.host), {}, {}}));
    EXPECT_EQ(b.w.at(b.pair.guest).state, registration::unregistering);
    EXPECT_EQ(b.w.at(b.pair.host).state, registration::freed);
    const rx_queue queue_after_teardown = b.nic_rxq(1);
    EXPECT_FALSE(queue_after_teardown.provider.has_value());
    must_ok(b.w.consumer_close(id));
    EXPECT_TRUE(b.nic_rxq(1) == queue_after_teardown);
    EXPECT_EQ(b.w.at(b.pair.guest).state, registration::freed);
    EXPECT_TRUE(b.w.state().hazards.empty());
}

// ----------------------------------------------------------------- QL-MP-09

// QL-MP-09, QL-DMA-01: the DMA lookup comes first: a NIC without a DMA
// device refuses even when a provider check would fail too; netkit queue 0
// and a leased physical queue have no DMA device.
TEST(zcrx, the_dma_lookup_comes_before_every_provider_check_QL_MP_09) {
    world w;
    const auto nsim = add_nic(w, 2);  // no DMA, tcp-data-split unknown
    const world before = w;
    EXPECT_EQ(refusal_of(w.zcrx_register(root, ifindex(w, nsim), 0)), (refusal{errno_code::not_supported, ""}));
    EXPECT_TRUE(w == before);

    bench b;
    b.lease(3);
    must_ok(b.w.ethtool_set_rings(b.nic, softnic::ring_request{tcp_data_split::disabled, {}, {}, {}}));
    const world before_b = b.w;
    EXPECT_EQ(refusal_of(b.zcrx_guest(0)), (refusal{errno_code::not_supported, ""}));
    EXPECT_EQ(refusal_of(b.zcrx_nic(3)), (refusal{errno_code::not_supported, ""}));
    // With a DMA device the provider checks are reached.
    EXPECT_EQ(refusal_of(b.zcrx_guest(1)), (refusal{errno_code::invalid, "tcp-data-split is disabled"}));
    EXPECT_TRUE(b.w == before_b);
}

// QL-MP-09, QL-MP-02, QL-DMA-01: an index out of range is no exception to
// the order: the DMA lookup answers for the device itself (a NIC: its
// parent; netkit: none), then the provider open refuses the range.
TEST(zcrx, an_index_out_of_range_meets_the_dma_lookup_then_the_range_check_QL_MP_09) {
    bench b;
    b.lease(1);
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.zcrx_nic(4)), (refusal{errno_code::out_of_range, "rx queue index out of range"}));
    EXPECT_EQ(refusal_of(b.zcrx_nic(40)), (refusal{errno_code::out_of_range, "rx queue index out of range"}));
    EXPECT_EQ(refusal_of(b.zcrx_guest(2)), (refusal{errno_code::not_supported, ""}));
    EXPECT_TRUE(b.w == before);
}

// QL-MP-09: the receiver holds the named device until it exits.
TEST(zcrx, the_receiver_holds_the_named_device_until_it_exits_QL_MP_09) {
    bench b;
    const std::uint32_t k = b.lease(1);
    const auto a = must(b.zcrx_guest(k));
    const auto c = must(b.zcrx_nic(0));
    EXPECT_EQ(b.w.at(b.pair.guest).holders, 1u);
    EXPECT_EQ(b.w.at(b.nic).holders, 1u);
    EXPECT_TRUE(b.w.area(a)->holds_device);
    must_ok(b.w.consumer_close(a));
    must_ok(b.w.consumer_close(c));
    EXPECT_EQ(b.w.at(b.pair.guest).holders, 0u);
    EXPECT_EQ(b.w.at(b.nic).holders, 0u);
}

// ----------------------------------------------------------------- QL-MP-10

// QL-MP-10: queue-get shows the io-uring nest on the physical queue while
// the provider is installed, and not after close; QL-GET-05: the leased
// guest queue reports the physical queue's provider.
TEST(zcrx, queue_get_shows_the_io_uring_nest_while_installed_QL_MP_10) {
    bench b;
    const std::uint32_t k = b.lease(2);
    must_ok(b.w.open(b.pair.guest));
    const auto id = must(b.zcrx_guest(k));
    EXPECT_TRUE(must(b.w.queue_get(root, b.nic_index(), 2)).io_uring);
    EXPECT_FALSE(must(b.w.queue_get(root, b.nic_index(), 1)).io_uring);
    EXPECT_TRUE(must(b.w.queue_get(b.guest_caller(), b.guest_index(), k)).io_uring);
    must_ok(b.w.consumer_close(id));
    EXPECT_FALSE(must(b.w.queue_get(root, b.nic_index(), 2)).io_uring);
    EXPECT_FALSE(must(b.w.queue_get(b.guest_caller(), b.guest_index(), k)).io_uring);
}

// ----------------------------------------------------------------- QL-DMA

// QL-DMA-01, SN-DMA-01: TX and unleased RX queues answer with the device's
// own DMA device (the NIC's parent) or none; a leased virtual queue with
// the lessor's; a leased physical queue with none.
TEST(dma_device, lookup_follows_the_lease_from_the_virtual_side_only_QL_DMA_01) {
    bench b;
    const std::uint32_t k = b.lease(2);
    const auto parent = b.w.at(b.nic).nic->bus_id;
    EXPECT_EQ(b.w.dma_device(b.nic, 0), parent);
    EXPECT_EQ(b.w.dma_device(b.nic, 2), std::nullopt);
    EXPECT_EQ(b.w.dma_device(b.nic, 2, uapi::queue_type::tx), parent);
    EXPECT_EQ(b.w.dma_device(b.pair.guest, k), parent);
    EXPECT_EQ(b.w.dma_device(b.pair.guest, 0), std::nullopt);
    EXPECT_EQ(b.w.dma_device(b.pair.guest, 0, uapi::queue_type::tx), std::nullopt);
    EXPECT_EQ(b.w.dma_device(b.pair.host, 0), std::nullopt);

    world w;
    const auto nsim = add_nic(w, 2);
    EXPECT_EQ(w.dma_device(nsim, 0), std::nullopt);
    // A second DMA-capable NIC has a DMA device of its own.
    const auto other = add_nic(b.w, 2, softnic_config::hwnic());
    EXPECT_NE(b.w.dma_device(other, 0), parent);
    EXPECT_TRUE(b.w.dma_device(other, 0).has_value());
}

// QL-DMA-02: all selected queues must share one DMA device; the queues are
// a set, walked in ascending order, and the message names the current
// queue first, then the previous one — here a leased and an unleased queue
// of the same device.
TEST(bind_rx, queues_with_different_dma_devices_are_a_mismatch_QL_DMA_02) {
    bench b;
    b.lease(2);  // guest queue 1
    const world before = b.w;
    const refusal one_after_zero{errno_code::not_supported,
                                 "DMA device mismatch between queue 1 and 0 (multi-PF device?)"};
    EXPECT_EQ(refusal_of(b.w.bind_rx(b.guest_caller(), b.guest_index(), {0, 1}, 5)), one_after_zero);
    EXPECT_EQ(refusal_of(b.w.bind_rx(b.guest_caller(), b.guest_index(), {1, 0}, 5)), one_after_zero);
    // On the NIC: queue 2 is leased (none), queues 0 and 3 are not.
    const refusal two_after_zero{errno_code::not_supported,
                                 "DMA device mismatch between queue 2 and 0 (multi-PF device?)"};
    EXPECT_EQ(refusal_of(b.w.bind_rx(root, b.nic_index(), {3, 2, 0}, 5)), two_after_zero);
    // Both checks come before the dmabuf descriptor.
    EXPECT_EQ(refusal_of(b.w.bind_rx(root, b.nic_index(), {2, 0}, -1)), two_after_zero);
    EXPECT_TRUE(b.w == before);
}

// QL-DMA-02: a queue named twice is one member of the set.
TEST(bind_rx, a_queue_named_twice_is_bound_once_QL_DMA_02) {
    bench b;
    const auto id = must(b.w.bind_rx(root, b.nic_index(), {3, 1, 3}, 5));
    EXPECT_EQ(b.w.area(id)->queues, (std::vector<std::uint32_t>{1, 3}));
    EXPECT_EQ(b.nic_rxq(1).provider, (provider_params{provider_kind::dmabuf, id}));
    EXPECT_EQ(b.nic_rxq(3).provider, (provider_params{provider_kind::dmabuf, id}));
}

// QL-DMA-02: a common DMA device of "none" is refused, before the dmabuf
// descriptor is looked at; with a DMA device a bad descriptor is EBADF.
TEST(bind_rx, no_common_dma_device_is_device_doesnt_support_dma_QL_DMA_02) {
    bench b;
    const std::uint32_t k = b.lease(2);
    const world before = b.w;
    const refusal no_dma{errno_code::not_supported, "Device doesn't support DMA"};
    EXPECT_EQ(refusal_of(b.w.bind_rx(b.guest_caller(), b.guest_index(), {0}, 5)), no_dma);
    EXPECT_EQ(refusal_of(b.w.bind_rx(b.guest_caller(), b.guest_index(), {0}, -1)), no_dma);
    EXPECT_EQ(refusal_of(b.w.bind_rx(b.guest_caller(), b.guest_index(), {k}, -1)),
              (refusal{errno_code::bad_descriptor, ""}));
    EXPECT_TRUE(b.w == before);
    const auto nsim = add_nic(b.w, 2);  // SC-QL-038's NIC
    const world before_nsim = b.w;
    EXPECT_EQ(refusal_of(b.w.bind_rx(root, ifindex(b.w, nsim), {0, 1}, 5)), no_dma);
    EXPECT_TRUE(b.w == before_nsim);
}

// QL-DMA-02, QL-MP-04: a binding on two leased guest queues installs one
// dmabuf provider on each physical queue; queue-get reports the binding id.
TEST(bind_rx, a_binding_through_leases_installs_on_every_physical_queue_QL_DMA_02) {
    bench b;
    const std::uint32_t k1 = b.lease(3);
    const std::uint32_t k2 = b.lease(1);
    const auto id = must(b.w.bind_rx(b.guest_caller(), b.guest_index(), {k1, k2}, 5));
    EXPECT_EQ(b.nic_rxq(3).provider, (provider_params{provider_kind::dmabuf, id}));
    EXPECT_EQ(b.nic_rxq(1).provider, (provider_params{provider_kind::dmabuf, id}));
    EXPECT_FALSE(b.guest_rxq(k1).provider.has_value());
    EXPECT_FALSE(b.guest_rxq(k2).provider.has_value());
    EXPECT_EQ(must(b.w.queue_get(root, b.nic_index(), 3)).dmabuf, id);
    EXPECT_EQ(must(b.w.queue_get(root, b.nic_index(), 1)).dmabuf, id);
    // The binding's exit closes both.
    must_ok(b.w.consumer_close(id));
    EXPECT_FALSE(b.nic_rxq(3).provider.has_value());
    EXPECT_FALSE(b.nic_rxq(1).provider.has_value());
}

// QL-DMA-02: a failure on a later queue undoes the queues already bound.
TEST(bind_rx, a_failure_on_a_later_queue_undoes_the_earlier_ones_QL_DMA_02) {
    bench b;
    const std::uint32_t k1 = b.lease(3);
    const std::uint32_t k2 = b.lease(1);
    must(b.zcrx_guest(k2));
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.w.bind_rx(b.guest_caller(), b.guest_index(), {k1, k2}, 5)),
              (refusal{errno_code::exists, "designated queue already memory provider bound"}));
    EXPECT_TRUE(b.w == before);
    EXPECT_FALSE(b.nic_rxq(3).provider.has_value());
}

// ------------------------------------------------------------------ QL-TX-01

// QL-TX-01, NK-FEAT-06: netkit's netmem TX capability is "no DMA": a
// binding on it uses its DMA-capable lessor, recorded there.
TEST(bind_tx, a_netkit_binding_is_made_on_its_dma_capable_lessor_QL_TX_01) {
    bench b;
    b.lease(2);
    const auto id = must(b.w.bind_tx(b.guest_caller(), b.guest_index(), 5));
    ASSERT_NE(b.w.area(id), nullptr);
    EXPECT_EQ(b.w.area(id)->device, b.nic);
    EXPECT_EQ(b.w.area(id)->kind, provider_kind::dmabuf);
    // On the NIC itself the binding is made directly.
    const auto direct = must(b.w.bind_tx(root, b.nic_index(), 5));
    EXPECT_EQ(b.w.area(direct)->device, b.nic);
}

// QL-TX-01: without a present DMA-capable lessor a netkit binding fails;
// a device whose capability is "none" fails with its own text.
TEST(bind_tx, without_a_dma_capable_lessor_or_capability_the_binding_is_refused_QL_TX_01) {
    const refusal no_lessor{errno_code::not_supported, "No DMA-capable device found for netmem TX"};
    {
        bench b;  // no lease at all
        const world before = b.w;
        EXPECT_EQ(refusal_of(b.w.bind_tx(b.guest_caller(), b.guest_index(), 5)), no_lessor);
        EXPECT_TRUE(b.w == before);
    }
    {
        bench b(newest, softnic_config::nsim());  // a lessor without DMA
        b.lease(1);
        EXPECT_EQ(refusal_of(b.w.bind_tx(b.guest_caller(), b.guest_index(), 5)), no_lessor);
    }
    {
        bench b;  // a detached lessor is not "present"
        b.lease(1);
        must_ok(b.w.set_present(b.nic, false));
        EXPECT_EQ(refusal_of(b.w.bind_tx(b.guest_caller(), b.guest_index(), 5)), no_lessor);
    }
    {
        world w;  // lo: capability "none"
        EXPECT_EQ(refusal_of(w.bind_tx(root, 1, 5)),
                  (refusal{errno_code::not_supported, "Driver does not support netmem TX"}));
    }
}

// ------------------------------------------------------- buffer ownership

// SN-RX-03: frames polled on a queue with a provider land in the
// consumer's buffers (free list → kernel); the user takes them (kernel →
// user) and gives them back (user → free list); every buffer is always in
// exactly one place and a full area drops.
TEST(zero_copy_area, buffers_move_between_free_list_kernel_and_user_SN_RX_03) {
    bench b;
    const std::uint32_t k = b.lease(2);
    const auto id = must(b.zcrx_guest(k, 4));
    auto conserved = [&] {
        const zero_copy_area& a = *b.w.area(id);
        return count_owned(a, buffer_owner::free_list) + count_owned(a, buffer_owner::kernel) +
               count_owned(a, buffer_owner::user);
    };
    inject_to(b.w, b.nic, 2, 3, 100);
    const auto outcomes = must(b.w.poll(b.nic, 2));
    ASSERT_EQ(outcomes.size(), 3u);
    for (std::uint32_t n = 0; n < 3; ++n) {
        EXPECT_EQ(outcomes[n].end, softnic::rx_end::zero_copy);
        EXPECT_EQ(outcomes[n].consumer, id);
        EXPECT_EQ(outcomes[n].buffer, n);
        EXPECT_EQ(b.w.area(id)->buffers[n], (buffer{buffer_owner::kernel, 100}));
    }
    EXPECT_EQ(count_owned(*b.w.area(id), buffer_owner::free_list), 1u);
    EXPECT_EQ(conserved(), 4u);

    EXPECT_EQ(must(b.w.consumer_receive(id, 2)), (std::vector<std::uint32_t>{0, 1}));
    EXPECT_EQ(count_owned(*b.w.area(id), buffer_owner::user), 2u);
    EXPECT_EQ(count_owned(*b.w.area(id), buffer_owner::kernel), 1u);
    EXPECT_EQ(conserved(), 4u);

    // Only a buffer the user holds can be given back.
    const world before = b.w;
    EXPECT_EQ(refusal_of(b.w.consumer_refill(id, 2)), (refusal{errno_code::invalid, ""}));
    EXPECT_EQ(refusal_of(b.w.consumer_refill(id, 3)), (refusal{errno_code::invalid, ""}));
    EXPECT_EQ(refusal_of(b.w.consumer_refill(id, 4)), (refusal{errno_code::invalid, ""}));
    EXPECT_TRUE(b.w == before);
    must_ok(b.w.consumer_refill(id, 0));
    EXPECT_EQ(b.w.area(id)->buffers[0], buffer{});
    EXPECT_EQ(conserved(), 4u);

    // Two free buffers (0 and 3) left: the third frame finds none.
    const auto rx_dropped = b.w.at(b.nic).counters.rx_dropped;
    inject_to(b.w, b.nic, 2, 3);
    const auto more = must(b.w.poll(b.nic, 2));
    ASSERT_EQ(more.size(), 3u);
    EXPECT_EQ(more[0].buffer, 0u);
    EXPECT_EQ(more[1].buffer, 3u);
    EXPECT_EQ(more[2].end, softnic::rx_end::dropped_no_buffer);
    EXPECT_EQ(b.w.at(b.nic).counters.rx_dropped, rx_dropped + 1);
    EXPECT_EQ(count_owned(*b.w.area(id), buffer_owner::free_list), 0u);
    EXPECT_EQ(conserved(), 4u);
}

// QL-MP-08, SN-RX-03: after the consumer exits (unmapping its area) the
// NIC never writes a buffer of it again: later frames on that queue go to
// the stack, the area stays as it was left and no hazard is recorded; the
// exited area refuses receive and refill.
TEST(zero_copy_area, no_buffer_is_touched_after_the_area_is_unmapped_QL_MP_08) {
    for (const auto* profile : {&newest, &linux_7_1_0}) {
        bench b(*profile);
        const std::uint32_t k = b.lease(1);
        const auto id = must(b.zcrx_guest(k, 2));
        inject_to(b.w, b.nic, 1, 2);
        must(b.w.poll(b.nic, 1));
        must(b.w.consumer_receive(id, 1));
        must_ok(b.w.consumer_close(id));
        const zero_copy_area closed = *b.w.area(id);
        EXPECT_FALSE(closed.mapped);
        for (const auto& buf : closed.buffers) {
            EXPECT_EQ(buf, buffer{});
        }
        inject_to(b.w, b.nic, 1, 3);
        const auto outcomes = must(b.w.poll(b.nic, 1));
        ASSERT_EQ(outcomes.size(), 3u);
        for (const auto& o : outcomes) {
            EXPECT_EQ(o.end, softnic::rx_end::stack);
        }
        EXPECT_TRUE(*b.w.area(id) == closed);
        EXPECT_TRUE(b.w.state().hazards.empty()) << profile->name;
        const world before = b.w;
        EXPECT_EQ(refusal_of(b.w.consumer_receive(id, 1)), (refusal{errno_code::bad_descriptor, ""}));
        EXPECT_EQ(refusal_of(b.w.consumer_refill(id, 0)), (refusal{errno_code::bad_descriptor, ""}));
        EXPECT_TRUE(b.w == before);
    }
}

// QL-LIFE-06 (newest): when the lessee goes away the uninstall hook hands
// the kernel's ring buffers back to the consumer's free list; buffers the
// user holds stay with the user; nothing is written afterwards.
TEST(zero_copy_area, unlease_returns_ring_buffers_and_keeps_user_buffers_QL_LIFE_06) {
    bench b;
    const std::uint32_t k = b.lease(3);
    const auto id = must(b.zcrx_guest(k, 4));
    inject_to(b.w, b.nic, 3, 3);
    must(b.w.poll(b.nic, 3));
    must(b.w.consumer_receive(id, 1));
    must_ok(b.w.delete_link(root, delete_request{ifindex(b.w, b.pair.host), {}, {}}));
    const zero_copy_area& a = *b.w.area(id);
    EXPECT_FALSE(a.installed);
    EXPECT_EQ(count_owned(a, buffer_owner::user), 1u);
    EXPECT_EQ(count_owned(a, buffer_owner::kernel), 0u);
    EXPECT_EQ(count_owned(a, buffer_owner::free_list), 3u);
    inject_to(b.w, b.nic, 3, 2);
    for (const auto& o : must(b.w.poll(b.nic, 3))) {
        EXPECT_EQ(o.end, softnic::rx_end::stack);
    }
    EXPECT_EQ(count_owned(*b.w.area(id), buffer_owner::free_list), 3u);
    EXPECT_TRUE(b.w.state().hazards.empty());
}

}  // namespace
