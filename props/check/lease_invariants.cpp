// Tests of the lease invariants of include/netkit/check/invariants.hpp
// (INV-QL-01…10): each holds on a reachable world with leases, a provider
// through a lease, an AF_XDP socket and a devmem binding, and fails — with
// its own ID — on a copy of that world's state broken by hand in exactly
// the way it forbids.
#include "check/broken_world.hpp"

#include <netkit/check/invariants.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

namespace {

using namespace netkit;
using namespace netkit::check;
using model::queue_ref;

using check_test::incremental_agrees;
using check_test::reports;

// The lease prefix of the stateful property (a started hardware NIC, a pair
// with its peer in netns 1 leasing NIC queue 1, a single device leasing NIC
// queue 2), plus a receiver through the peer's lease, a copy-mode AF_XDP
// socket on the NIC's queue 0 and a devmem binding on NIC queue 3.
struct leased_world {
    model::world w;
    core::device_handle nic, peer, single;

    leased_world() {
        const auto report = run_checked(w, lease_prefix());
        EXPECT_TRUE(report.ok()) << to_string(report);
        nic = w.find(model::world::initial_netns(), "eth0")->handle;
        single = w.find(model::world::initial_netns(), "nks0")->handle;
        peer = w.state().devices.at(w.at(nic).rxq[1].lease->device).handle;
        const auto inside = model::world::root(w.at(peer).netns);
        EXPECT_TRUE(w.zcrx_register(inside, w.at(peer).ifindex, 1, 4).ok());
        EXPECT_TRUE(w.xsk_bind(model::world::root(), w.at(nic).ifindex, 0).ok());
        EXPECT_TRUE(w.bind_rx(model::world::root(), w.at(nic).ifindex, {3}, 5, 4).ok());
    }
    model::world_state copy() const { return w.state(); }
};

TEST(lease_invariants, all_hold_on_a_reachable_world_with_leases_providers_sockets_and_bindings) {
    leased_world l;
    EXPECT_TRUE(check_world(l.w).empty()) << to_string(check_world(l.w));
    EXPECT_EQ(l.w.at(l.nic).lease_refs, 2U);
}

// QL-INV-01, QL-INV-02
TEST(lease_invariants, a_one_sided_lease_or_a_lease_between_two_virtual_queues_breaks_INV_QL_01) {
    leased_world l;
    auto s = l.copy();
    s.devices.at(l.nic).rxq[1].lease.reset();
    EXPECT_TRUE(reports(lease_symmetry(s), "INV-QL-01"));
    auto t = l.copy();
    t.devices.at(l.nic).has_parent = false;
    EXPECT_TRUE(reports(lease_symmetry(t), "INV-QL-01"));
    EXPECT_TRUE(incremental_agrees(l.w.state(), s));
}

// QL-INV-03
TEST(lease_invariants, a_leased_queue_zero_or_an_unleased_active_queue_breaks_INV_QL_02) {
    leased_world l;
    auto s = l.copy();
    s.devices.at(l.single).rxq[0].lease = queue_ref{l.nic, 0};
    EXPECT_TRUE(reports(lessee_queues(s), "INV-QL-02"));
    auto t = l.copy();
    t.devices.at(l.single).real_rx_queues = 3;  // queue 2 active but not leased
    EXPECT_TRUE(reports(lessee_queues(t), "INV-QL-02"));
    EXPECT_TRUE(incremental_agrees(l.w.state(), s));
}

// QL-INV-04
TEST(lease_invariants, a_provider_stored_on_the_virtual_queue_breaks_INV_QL_03) {
    leased_world l;
    auto s = l.copy();
    s.devices.at(l.peer).rxq[1].provider = model::provider_params{model::provider_kind::io_uring, 1};
    EXPECT_TRUE(reports(leased_state_on_physical_side(s), "INV-QL-03"));
    EXPECT_TRUE(incremental_agrees(l.w.state(), s));
}

// QL-INV-05, QL-INV-08, QL-MODEL-04
TEST(lease_invariants, a_wrong_reference_count_or_a_lease_on_an_unregistered_device_breaks_INV_QL_04) {
    leased_world l;
    auto s = l.copy();
    s.devices.at(l.nic).lease_refs = 1;
    EXPECT_TRUE(reports(lease_references(s), "INV-QL-04"));
    auto t = l.copy();
    t.devices.at(l.single).state = model::registration::unregistering;
    EXPECT_TRUE(reports(lease_references(t), "INV-QL-04"));
    EXPECT_TRUE(incremental_agrees(l.w.state(), s));
}

// QL-INV-06
TEST(lease_invariants, a_queue_with_both_a_provider_and_a_pool_breaks_INV_QL_05) {
    leased_world l;
    auto s = l.copy();
    s.devices.at(l.nic).rxq[0].provider = model::provider_params{model::provider_kind::io_uring, 99};
    EXPECT_TRUE(reports(one_owner_per_queue(s), "INV-QL-05"));
    EXPECT_TRUE(incremental_agrees(l.w.state(), s));
}

// QL-INV-07
TEST(lease_invariants, channels_below_a_leased_queue_break_INV_QL_06) {
    leased_world l;
    auto s = l.copy();
    s.devices.at(l.nic).real_rx_queues = 2;  // queue 2 is leased to the single device
    EXPECT_TRUE(reports(channels_cover_busy_queues(s), "INV-QL-06"));
    EXPECT_TRUE(incremental_agrees(l.w.state(), s));
}

// QL-INV-09
TEST(lease_invariants, a_lease_nest_on_a_virtual_queue_breaks_INV_QL_07) {
    leased_world l;
    auto s = l.copy();
    // The peer's netns field says "initial netns" while the maps still list
    // it in its own: the NIC's reply then omits the netns-id and names an
    // ifindex that, read in the initial netns, is not the lessee.
    s.devices.at(l.peer).netns = model::world::initial_netns();
    EXPECT_TRUE(reports(queue_get_visibility(s), "INV-QL-07"));
    EXPECT_TRUE(incremental_agrees(l.w.state(), s));
}

// QL-MP-07, QL-MP-08, NK-DEL-07
TEST(lease_invariants, a_buffer_kept_by_an_unmapped_area_or_a_lost_hold_breaks_INV_QL_08) {
    leased_world l;
    auto s = l.copy();
    auto& area = s.areas.begin()->second;
    area.mapped = false;
    area.buffers[0].owner = model::buffer_owner::user;
    EXPECT_TRUE(reports(consumers_consistent(s), "INV-QL-08"));
    auto t = l.copy();
    t.devices.at(l.peer).holders = 0;
    EXPECT_TRUE(reports(consumers_consistent(t), "INV-QL-08"));
    auto u = l.copy();
    u.areas.begin()->second.installed = false;
    EXPECT_TRUE(reports(consumers_consistent(u), "INV-QL-08"));
    EXPECT_TRUE(incremental_agrees(l.w.state(), s));
}

// QL-XSK-04, QL-XSK-05
TEST(lease_invariants, a_pool_without_its_socket_breaks_INV_QL_09) {
    leased_world l;
    auto s = l.copy();
    s.sockets.clear();
    EXPECT_TRUE(reports(sockets_and_pools_agree(s), "INV-QL-09"));
    auto t = l.copy();
    t.devices.at(l.nic).rxq[0].xsk_pool.reset();
    t.devices.at(l.nic).txq[0].xsk_pool.reset();
    EXPECT_TRUE(reports(sockets_and_pools_agree(t), "INV-QL-09"));
    EXPECT_TRUE(incremental_agrees(l.w.state(), s));
}

// QL-LIFE-06
TEST(lease_invariants, a_recorded_hazard_breaks_INV_QL_10) {
    leased_world l;
    auto s = l.copy();
    s.hazards.push_back(model::hazard{model::hazard_kind::use_after_uninstall, l.nic, 1, 1});
    EXPECT_TRUE(reports(no_memory_hazards(s), "INV-QL-10"));
    EXPECT_TRUE(incremental_agrees(l.w.state(), s));
}

}  // namespace
