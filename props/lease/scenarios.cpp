// The RX queue leasing scenarios SC-QL-001 … SC-QL-064 of scenarios.md §5,
// one test each, named after the scenario and citing the rules it lists.
// Notation as in scenarios.md: nsim(q=N) is an up software NIC with preset
// nsim, hw(q=N) one with preset hwnic, tcp-data-split enabled and
// hds-thresh 0; nk(rxq=R) a netkit pair created with top-level
// IFLA_NUM_RX_QUEUES R, mode L2 and PASS policies, whose guest (the peer)
// is moved into a netns NS that knows the initial netns as id 0 and set
// up, the host (primary) up. "create from NS" is a queue-create by a caller
// in NS with lease netns-id 0. Every scenario also checks the lease
// invariants of lease.md §16 at its end (tests may check more than the
// scenario states, never less).
#include "lease/fixture.hpp"
#include "lease/invariants.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace lease_test;
using lease::queue_create_request;
using lease::queue_info;
using requests::attr;
using uapi::netkit_attr;
using uapi::queue_type;

std::uint32_t u(uapi::mode m) { return static_cast<std::uint32_t>(m); }
std::uint32_t u(uapi::action a) { return static_cast<std::uint32_t>(a); }

// nk(rxq=R). With `into_netns` false the guest stays in the initial netns;
// with `up` false neither end is brought up.
netkit_pair nk(test_world& w, std::uint32_t rxq, uapi::mode mode = uapi::mode::l2, bool into_netns = true,
               bool up = true) {
    link_request r = requests::create_netkit(std::nullopt, {attr(netkit_attr::mode, u(mode)),
                                                            attr(netkit_attr::policy, u(uapi::action::pass)),
                                                            attr(netkit_attr::peer_policy, u(uapi::action::pass))});
    r.attributes.num_rx_queues = rxq;
    const auto created = must(w.new_link(root, r), "new_link nk");
    netkit_pair p{created.device, created.peer.value_or(core::device_handle{}), world::initial_netns()};
    if (into_netns) {
        p.ns = w.create_netns("NS" + std::to_string(w.state().next_netns));
        must_ok(w.assign_netns_id(p.ns, world::initial_netns(), 0), "assign_netns_id");
        must_ok(w.move(p.guest, p.ns), "move guest");
    }
    if (up) {
        must_ok(w.open(p.guest), "open guest");
        must_ok(w.open(p.host), "open host");
    }
    return p;
}

core::device_handle nsim(test_world& w, std::uint32_t queues) { return add_up_nic(w, queues); }
core::device_handle hw(test_world& w, std::uint32_t queues) { return add_hw_nic(w, queues); }

std::uint32_t bus_of(const test_world& w, core::device_handle nic) { return w.at(nic).nic->bus_id; }
bool gone(const test_world& w, core::device_handle h) { return w.at(h).state != registration::registered; }
caller in_guest_netns(const test_world& w, const netkit_pair& p) { return world::root(w.at(p.guest).netns); }

queue_info get(test_world& w, core::device_handle h, std::uint32_t q) {
    return must(w.queue_get(world::root(w.at(h).netns), ifindex(w, h), q), "queue-get");
}

links::channel_counts combined(std::uint32_t n) {
    links::channel_counts c;
    c.combined = n;
    return c;
}

// An IPv4 frame (RSS hashes it, SN-RSS-04) and an indirection table that
// sends every hashed frame to queue q.
frame ipv4_frame() { return ethernet_frame(mac_address{0x02, 0, 0, 0, 0, 1}, mac_address{0x02, 0, 0, 0, 0, 2}, 0x0800); }
void steer_to(test_world& w, core::device_handle nic, std::uint32_t q) {
    must_ok(w.set_rss_indirection(nic, std::vector<std::uint32_t>(128, q)), "set_rss_indirection");
}

void expect_lease_invariants(const test_world& w) {
    const auto found = invariants::all(w.state());
    std::string text;
    for (const auto& v : found) {
        text += v + "\n";
    }
    EXPECT_TRUE(found.empty()) << text;
}

// ----------------------------------------------------- nk_qlease.py (nsim)

// SC-QL-001: QL-CRT-22, QL-GET-03, QL-PSM-07
TEST(lease_scenarios, create_from_ns_and_the_nsim_queue_reports_the_lease_SC_QL_001) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    const rx_queue free_queue = w.at(nic).rxq[1];
    EXPECT_FALSE(free_queue.lease || free_queue.provider || free_queue.xsk_pool);  // P1 FREE
    const auto id = must(lease_to_guest(w, p, nic, 1), "queue-create");
    EXPECT_EQ(id, 1U);
    const queue_info q = get(w, nic, 1);
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->ifindex, ifindex(w, p.guest));
    EXPECT_EQ(q.lease->queue, id);
    const rx_queue& leased = w.at(nic).rxq[1];  // P4 LEASED
    EXPECT_TRUE(leased.lease.has_value());
    EXPECT_FALSE(leased.provider.has_value());
    EXPECT_FALSE(leased.xsk_pool.has_value());
    expect_lease_invariants(w);
}

// SC-QL-002: QL-LIFE-09, QL-PSM-28, NK-DEL-08
TEST(lease_scenarios, removing_the_nsim_removes_the_leasing_netkit_pair_SC_QL_002) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    const auto host_index = ifindex(w, p.host);
    const auto guest_index = ifindex(w, p.guest);
    ASSERT_TRUE(w.remove_softnic(bus_of(w, nic)).ok());
    EXPECT_TRUE(gone(w, nic));
    EXPECT_TRUE(gone(w, p.host));
    EXPECT_TRUE(gone(w, p.guest));
    EXPECT_EQ(w.find(world::initial_netns(), host_index), nullptr);
    EXPECT_EQ(w.find(p.ns, guest_index), nullptr);
    EXPECT_EQ(w.at(nic).lease_refs, 0U);
    expect_lease_invariants(w);
}

// SC-QL-003: QL-CAN-03, QL-CRT-18, QL-PSM-10
TEST(lease_scenarios, leasing_the_same_queue_twice_is_ebusy_SC_QL_003) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 3);
    EXPECT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    const test_world before = w;
    const auto second = lease_to_guest(w, p, nic, 1);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.failure().code, errno_code::busy);
    EXPECT_EQ(second.failure().message, "Device queue in use due to queue leasing");
    EXPECT_TRUE(w == before);
    expect_lease_invariants(w);
}

// SC-QL-004: QL-CAN-02, QL-CRT-15
TEST(lease_scenarios, a_netkit_guest_in_the_host_netns_cannot_be_the_lessor_SC_QL_004) {
    test_world w;
    (void)nsim(w, 2);
    const auto p = nk(w, 2);
    const auto other = nk(w, 2, uapi::mode::l2, false);
    const auto err = create_refused(w, in_guest_netns(w, p),
                                    queue_create_request::rx(ifindex(w, p.guest), ifindex(w, other.guest), 1, 0));
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.message, "Lease device is a virtual device");
}

// SC-QL-005: QL-CAN-01, QL-CRT-12
TEST(lease_scenarios, a_physical_device_cannot_be_the_lessee_SC_QL_005) {
    test_world w;
    const auto a = nsim(w, 2);
    const auto b = nsim(w, 2);
    const auto err = create_refused(w, root, queue_create_request::rx(ifindex(w, a), ifindex(w, b), 0));
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.message, "Device is not a virtual device");
}

// SC-QL-006: QL-CRT-19
TEST(lease_scenarios, a_second_lessor_for_the_same_guest_is_eopnotsupp_SC_QL_006) {
    test_world w;
    const auto a = nsim(w, 2);
    const auto b = nsim(w, 2);
    const auto p = nk(w, 3);
    EXPECT_EQ(must(lease_to_guest(w, p, a, 1)), 1U);
    const test_world before = w;
    const auto second = lease_to_guest(w, p, b, 1);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.failure().code, errno_code::not_supported);
    EXPECT_EQ(second.failure().message, "Leasing queues from different devices not supported");
    EXPECT_TRUE(w == before);
}

// SC-QL-007: QL-CRT-17, QL-PSM-11
TEST(lease_scenarios, a_queue_beyond_the_nsim_queues_is_erange_SC_QL_007) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    const auto err = create_refused(w, in_guest_netns(w, p),
                                    queue_create_request::rx(ifindex(w, p.guest), ifindex(w, nic), 2, 0));
    EXPECT_EQ(err.code, errno_code::out_of_range);
    EXPECT_EQ(err.bad_attribute, std::optional<core::attribute_path>{lease::path::lease_queue_id});
    EXPECT_EQ(w.at(nic).rxq.size(), 2U);  // P0 stays P0: nothing to lease
}

// SC-QL-008: QL-ETH-02, SN-CH-06, QL-PSM-06
TEST(lease_scenarios, shrinking_channels_over_a_leased_queue_is_einval_SC_QL_008) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    const test_world before = w;
    const auto shrink = w.ethtool_set_channels(nic, combined(1));
    ASSERT_FALSE(shrink.ok());
    EXPECT_EQ(shrink.failure().code, errno_code::invalid);
    EXPECT_EQ(shrink.failure().message, "Device queue in use due to queue leasing");
    EXPECT_TRUE(w == before);
    EXPECT_EQ(w.at(nic).real_rx_queues, 2U);
    EXPECT_EQ(w.at(nic).rxq[1].lease, (queue_ref{p.guest, 1}));
}

// SC-QL-009: QL-CRT-24, QL-CAN-02
TEST(lease_scenarios, a_guest_cannot_lease_its_own_queue_SC_QL_009) {
    test_world w;
    (void)nsim(w, 2);
    const auto p = nk(w, 2, uapi::mode::l2, false);
    const auto guest = ifindex(w, p.guest);
    const auto err = create_refused(w, root, queue_create_request::rx(guest, guest, 0));
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.message, "Lease device is a virtual device");
}

// SC-QL-010: QL-CAN-01, NK-ENV-07
TEST(lease_scenarios, a_veth_cannot_create_queues_SC_QL_010) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto ns = w.create_netns("NS");
    ASSERT_TRUE(w.assign_netns_id(ns, world::initial_netns(), 0).ok());
    link_request veth;
    veth.message_flags = 0x600;
    veth.attributes.ifname = "v0";
    veth.linkinfo = link_info{std::string(uapi::veth_link_kind), std::nullopt};
    const auto v = must(w.new_link(world::root(ns), veth), "new_link veth");
    EXPECT_EQ(w.at(v.device).kind, device_kind::veth);
    EXPECT_FALSE(w.at(v.device).physical());
    const auto err = create_refused(w, world::root(ns),
                                    queue_create_request::rx(ifindex(w, v.device), ifindex(w, nic), 1, 0));
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.message, "Device does not support queue creation");
}

// SC-QL-011: QL-CRT-04
TEST(lease_scenarios, a_tx_queue_type_is_einval_SC_QL_011) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    auto r = queue_create_request::rx(ifindex(w, p.guest), ifindex(w, nic), 1, 0);
    r.type = static_cast<std::uint32_t>(queue_type::tx);
    const auto err = create_refused(w, in_guest_netns(w, p), r);
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.bad_attribute, std::optional<core::attribute_path>{lease::path::type});
}

// SC-QL-012: QL-NKQC-01, QL-VSM-04
TEST(lease_scenarios, the_netkit_host_cannot_lease_SC_QL_012) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    ASSERT_EQ(w.at(p.host).rx_queues, 2U);
    const auto err = create_refused(w, root, queue_create_request::rx(ifindex(w, p.host), ifindex(w, nic), 1));
    EXPECT_EQ(err.code, errno_code::not_supported);
    EXPECT_EQ(err.message, "netkit can only lease against the peer device");
}

// SC-QL-013: QL-NKQC-02, QL-NKQC-05, QL-VSM-03
TEST(lease_scenarios, a_guest_with_one_rx_queue_has_no_spare_queue_SC_QL_013) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 1);
    const test_world before = w;
    const auto r = lease_to_guest(w, p, nic, 1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.failure().code, errno_code::invalid);
    EXPECT_EQ(r.failure().message, "netkit maximum queue limit reached");
    EXPECT_TRUE(w == before);
    EXPECT_EQ(w.at(p.guest).real_rx_queues, 1U);
}

// SC-QL-014: QL-LIFE-03, QL-PSM-29, QL-GET-01
TEST(lease_scenarios, the_lease_survives_nsim_down_and_up_SC_QL_014) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    const auto id = must(lease_to_guest(w, p, nic, 1));
    w.close_device(nic);
    EXPECT_EQ(w.queue_get(root, ifindex(w, nic), 1).code(), errno_code::no_entry);
    EXPECT_EQ(w.at(nic).rxq[1].lease, (queue_ref{p.guest, id}));
    ASSERT_TRUE(w.open(nic).ok());
    const queue_info q = get(w, nic, 1);
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->queue, id);
    EXPECT_EQ(q.lease->ifindex, ifindex(w, p.guest));
    expect_lease_invariants(w);
}

// SC-QL-015: QL-GET-04, QL-GET-07
TEST(lease_scenarios, guest_queues_show_no_lease_nest_inside_ns_SC_QL_015) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    const auto id = must(lease_to_guest(w, p, nic, 1));
    for (const std::uint32_t k : {id, 0U}) {
        const auto q = must(w.queue_get(in_guest_netns(w, p), ifindex(w, p.guest), k));
        EXPECT_FALSE(q.lease.has_value()) << "guest queue " << k;
    }
}

// SC-QL-016: QL-LIFE-02, QL-LIFE-05, QL-PSM-25
TEST(lease_scenarios, deleting_the_host_unleases_the_nsim_queue_SC_QL_016) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    ASSERT_TRUE(w.delete_link(root, delete_request{ifindex(w, p.host), std::nullopt, std::nullopt}).ok());
    EXPECT_TRUE(gone(w, p.guest));
    EXPECT_FALSE(get(w, nic, 1).lease.has_value());
    EXPECT_FALSE(w.at(nic).rxq[1].lease.has_value());  // P4 → P1
    EXPECT_EQ(w.at(nic).lease_refs, 0U);
    expect_lease_invariants(w);
}

// SC-QL-017: QL-NKQC-03, QL-GET-03, QL-INV-03
TEST(lease_scenarios, two_leases_get_ids_1_and_2_SC_QL_017) {
    test_world w;
    const auto nic = nsim(w, 3);
    const auto p = nk(w, 4);
    EXPECT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    EXPECT_EQ(must(lease_to_guest(w, p, nic, 2)), 2U);
    for (const std::uint32_t q : {1U, 2U}) {
        const queue_info info = get(w, nic, q);
        ASSERT_TRUE(info.lease.has_value());
        EXPECT_EQ(info.lease->ifindex, ifindex(w, p.guest));
        EXPECT_EQ(info.lease->queue, q);
    }
    // QL-INV-03: exactly 1 … real rx − 1 leased, all from the one NIC.
    const device& guest = w.at(p.guest);
    EXPECT_EQ(guest.real_rx_queues, 3U);
    EXPECT_FALSE(guest.leased(0));
    for (std::uint32_t k = 1; k < guest.real_rx_queues; ++k) {
        ASSERT_TRUE(guest.leased(k));
        EXPECT_EQ(guest.rxq[k].lease->device, nic);
    }
    EXPECT_TRUE(invariants::lessee_queues(w.state()).empty());
}

// SC-QL-018: QL-CRT-09
TEST(lease_scenarios, a_tx_lease_queue_type_is_einval_SC_QL_018) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    auto r = queue_create_request::rx(ifindex(w, p.guest), ifindex(w, nic), 1, 0);
    r.lease->queue->type = static_cast<std::uint32_t>(queue_type::tx);
    const auto err = create_refused(w, in_guest_netns(w, p), r);
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.bad_attribute, std::optional<core::attribute_path>{lease::path::lease_queue_type});
}

// SC-QL-019: QL-CRT-13
TEST(lease_scenarios, an_unknown_netns_id_is_enonet_SC_QL_019) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    const auto err = create_refused(w, in_guest_netns(w, p),
                                    queue_create_request::rx(ifindex(w, p.guest), ifindex(w, nic), 1, 999));
    EXPECT_EQ(err.code, errno_code::no_network);
}

// SC-QL-020: QL-CRT-14
TEST(lease_scenarios, an_unknown_lessor_ifindex_is_enodev_SC_QL_020) {
    test_world w;
    (void)nsim(w, 2);
    const auto p = nk(w, 2);
    const auto err =
        create_refused(w, in_guest_netns(w, p), queue_create_request::rx(ifindex(w, p.guest), 99999, 1, 0));
    EXPECT_EQ(err.code, errno_code::no_device);
}

// SC-QL-021: QL-LIFE-09
TEST(lease_scenarios, removing_the_nsim_removes_every_leasing_pair_SC_QL_021) {
    test_world w;
    const auto nic = nsim(w, 3);
    const auto a = nk(w, 2);
    const auto b = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, a, nic, 1)), 1U);
    ASSERT_EQ(must(lease_to_guest(w, b, nic, 2)), 1U);
    ASSERT_TRUE(w.remove_softnic(bus_of(w, nic)).ok());
    for (const auto h : {a.host, a.guest, b.host, b.guest}) {
        EXPECT_TRUE(gone(w, h));
    }
    expect_lease_invariants(w);
}

// SC-QL-022: QL-LIFE-09, NK-DEL-05
TEST(lease_scenarios, removing_the_nsim_removes_a_leasing_single_device_SC_QL_022) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto single = add_single(w, 2);
    const auto bystander = add_single(w, 2);
    ASSERT_EQ(must(lease_queue(w, root, single, nic, 1)), 1U);
    ASSERT_TRUE(w.remove_softnic(bus_of(w, nic)).ok());
    EXPECT_TRUE(gone(w, single));
    EXPECT_FALSE(gone(w, bystander));  // only the lessee goes
}

// SC-QL-023: QL-LIFE-03, QL-VSM-11
TEST(lease_scenarios, the_lease_survives_guest_down_and_up_SC_QL_023) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    const auto id = must(lease_to_guest(w, p, nic, 1));
    w.close_device(p.guest);
    EXPECT_EQ(w.at(p.guest).rxq[id].lease, (queue_ref{nic, 1}));
    ASSERT_TRUE(w.open(p.guest).ok());
    EXPECT_EQ(w.at(p.guest).rxq[id].lease, (queue_ref{nic, 1}));
    const queue_info q = get(w, nic, 1);
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->queue, id);
}

// SC-QL-024: QL-GET-03, QL-GET-07
TEST(lease_scenarios, only_the_leased_nsim_queue_has_a_lease_nest_SC_QL_024) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    EXPECT_FALSE(get(w, nic, 0).lease.has_value());
    EXPECT_TRUE(get(w, nic, 1).lease.has_value());
}

// SC-QL-025: QL-GET-03, QL-CRT-14
TEST(lease_scenarios, a_same_netns_lease_has_no_netns_id_SC_QL_025) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto single = add_single(w, 2);
    EXPECT_EQ(must(lease_queue(w, root, single, nic, 1)), 1U);
    const queue_info q = get(w, nic, 1);
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->ifindex, ifindex(w, single));
    EXPECT_EQ(q.lease->queue, 1U);
    EXPECT_FALSE(q.lease->netns_id.has_value());
}

// SC-QL-026: QL-ETH-02, QL-LIFE-05, QL-PSM-03
TEST(lease_scenarios, the_shrink_succeeds_once_the_lease_is_gone_SC_QL_026) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    const auto refused = w.ethtool_set_channels(nic, combined(1));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.failure().code, errno_code::invalid);
    ASSERT_TRUE(w.delete_link(root, delete_request{ifindex(w, p.host), std::nullopt, std::nullopt}).ok());
    EXPECT_TRUE(w.ethtool_set_channels(nic, combined(1)).ok());
    EXPECT_EQ(w.at(nic).real_rx_queues, 1U);  // queue 1: P1 → P0
    EXPECT_EQ(w.queue_get(root, ifindex(w, nic), 1).code(), errno_code::invalid);
    expect_lease_invariants(w);
}

// SC-QL-027: QL-CRT-17, QL-GET-03
TEST(lease_scenarios, nsim_queue_0_can_be_leased_SC_QL_027) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    EXPECT_EQ(must(lease_to_guest(w, p, nic, 0)), 1U);
    const queue_info q = get(w, nic, 0);
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->queue, 1U);
    EXPECT_EQ(q.lease->ifindex, ifindex(w, p.guest));
}

// SC-QL-028: QL-LIFE-05, QL-PSM-25, QL-PSM-07
TEST(lease_scenarios, a_released_queue_can_be_leased_again_SC_QL_028) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto first = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, first, nic, 1)), 1U);
    ASSERT_TRUE(w.delete_link(root, delete_request{ifindex(w, first.host), std::nullopt, std::nullopt}).ok());
    EXPECT_FALSE(get(w, nic, 1).lease.has_value());
    const auto second = nk(w, 2);
    EXPECT_EQ(must(lease_to_guest(w, second, nic, 1)), 1U);
    const queue_info q = get(w, nic, 1);
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->ifindex, ifindex(w, second.guest));
    expect_lease_invariants(w);
}

// SC-QL-029: QL-CAN-03, QL-INV-06
TEST(lease_scenarios, two_guests_cannot_share_a_queue_SC_QL_029) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto a = nk(w, 2);
    const auto b = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, a, nic, 1)), 1U);
    const auto second = lease_to_guest(w, b, nic, 1);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.failure().code, errno_code::busy);
    EXPECT_EQ(second.failure().message, "Device queue in use due to queue leasing");
    EXPECT_EQ(w.at(nic).rxq[1].lease, (queue_ref{a.guest, 1}));
    EXPECT_FALSE(w.at(b.guest).leased(1));
    EXPECT_TRUE(invariants::one_owner(w.state()).empty());
}

// SC-QL-030: QL-CRT-22, QL-NKQC-01
TEST(lease_scenarios, an_l3_guest_can_lease_SC_QL_030) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2, uapi::mode::l3);
    ASSERT_EQ(w.at(p.guest).netkit->mode, uapi::mode::l3);
    EXPECT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
}

// SC-QL-031: QL-CAN-03
TEST(lease_scenarios, a_single_device_cannot_lease_a_queue_twice_SC_QL_031) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto single = add_single(w, 3);
    EXPECT_EQ(must(lease_queue(w, root, single, nic, 1)), 1U);
    const auto err = create_refused(w, root, queue_create_request::rx(ifindex(w, single), ifindex(w, nic), 1));
    EXPECT_EQ(err.code, errno_code::busy);
    EXPECT_EQ(err.message, "Device queue in use due to queue leasing");
}

// SC-QL-032: QL-CRT-19
TEST(lease_scenarios, a_single_device_keeps_one_lessor_SC_QL_032) {
    test_world w;
    const auto a = nsim(w, 2);
    const auto b = nsim(w, 2);
    const auto single = add_single(w, 3);
    EXPECT_EQ(must(lease_queue(w, root, single, a, 1)), 1U);
    const auto err = create_refused(w, root, queue_create_request::rx(ifindex(w, single), ifindex(w, b), 1));
    EXPECT_EQ(err.code, errno_code::not_supported);
    EXPECT_EQ(err.message, "Leasing queues from different devices not supported");
}

// SC-QL-033: QL-GET-03
TEST(lease_scenarios, a_cross_netns_lease_nest_carries_the_netns_id_SC_QL_033) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    const queue_info q = get(w, nic, 1);
    ASSERT_TRUE(q.lease.has_value());
    ASSERT_TRUE(q.lease->netns_id.has_value());
    EXPECT_EQ(w.namespace_at(world::initial_netns()).by_id(*q.lease->netns_id), std::optional{p.ns});
}

// SC-QL-034: QL-NS-04, QL-LIFE-02, NK-DEL-03
TEST(lease_scenarios, deleting_the_guest_netns_ends_the_lease_and_the_host_SC_QL_034) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    const auto host_index = ifindex(w, p.host);
    ASSERT_TRUE(w.delete_netns(p.ns).ok());
    EXPECT_FALSE(get(w, nic, 1).lease.has_value());
    EXPECT_TRUE(gone(w, p.host));
    EXPECT_TRUE(gone(w, p.guest));
    EXPECT_EQ(w.find(world::initial_netns(), host_index), nullptr);
    expect_lease_invariants(w);
}

// SC-QL-035: QL-NS-01
TEST(lease_scenarios, moving_the_guest_keeps_the_lease_and_its_id_SC_QL_035) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    const auto id = must(lease_to_guest(w, p, nic, 1));
    const auto ns2 = w.create_netns("NS2");
    ASSERT_TRUE(w.move(p.guest, ns2).ok());
    EXPECT_EQ(w.at(p.guest).rxq[id].lease, (queue_ref{nic, 1}));
    const queue_info q = get(w, nic, 1);
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->queue, id);
    EXPECT_EQ(q.lease->ifindex, ifindex(w, p.guest));
    ASSERT_TRUE(q.lease->netns_id.has_value());
    EXPECT_EQ(w.namespace_at(world::initial_netns()).by_id(*q.lease->netns_id), std::optional{ns2});
}

// SC-QL-036: SN-CH-02, QL-ETH-04
TEST(lease_scenarios, setting_the_same_channel_count_keeps_the_lease_SC_QL_036) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    const test_world before = w;
    EXPECT_TRUE(w.ethtool_set_channels(nic, combined(2)).ok());
    EXPECT_TRUE(w == before);  // a no-op set changes nothing
    EXPECT_TRUE(get(w, nic, 1).lease.has_value());
}

// SC-QL-037: QL-LIFE-02, QL-LIFE-05
TEST(lease_scenarios, deleting_one_of_two_pairs_ends_only_its_lease_SC_QL_037) {
    test_world w;
    const auto nic = nsim(w, 3);
    const auto a = nk(w, 2);
    const auto b = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, a, nic, 1)), 1U);
    ASSERT_EQ(must(lease_to_guest(w, b, nic, 2)), 1U);
    ASSERT_TRUE(w.delete_link(root, delete_request{ifindex(w, a.host), std::nullopt, std::nullopt}).ok());
    EXPECT_FALSE(get(w, nic, 1).lease.has_value());
    const queue_info kept = get(w, nic, 2);
    ASSERT_TRUE(kept.lease.has_value());
    EXPECT_EQ(kept.lease->ifindex, ifindex(w, b.guest));
    EXPECT_EQ(w.at(nic).lease_refs, 1U);
    expect_lease_invariants(w);
}

// SC-QL-038: QL-DMA-01, QL-DMA-02, SN-DMA-01
TEST(lease_scenarios, devmem_on_a_leased_nsim_queue_is_eopnotsupp_SC_QL_038) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    EXPECT_EQ(w.dma_device(nic, 0), std::nullopt);  // nsim: no DMA device
    EXPECT_EQ(w.dma_device(nic, 1), std::nullopt);  // leased physical queue: none
    const test_world before = w;
    const auto bound = w.bind_rx(root, ifindex(w, nic), {0, 1}, 5);
    ASSERT_FALSE(bound.ok());
    EXPECT_EQ(bound.failure().code, errno_code::not_supported);
    EXPECT_EQ(bound.failure().message, "Device doesn't support DMA");
    EXPECT_TRUE(w == before);

    // The same on a DMA-capable NIC: queue 0 has the NIC's DMA device, the
    // leased queue 1 none — a mismatch, reported for (current 1, previous 0).
    test_world h;
    const auto hwnic = hw(h, 2);
    const auto q = nk(h, 2);
    ASSERT_EQ(must(lease_to_guest(h, q, hwnic, 1)), 1U);
    EXPECT_TRUE(h.dma_device(hwnic, 0).has_value());
    EXPECT_EQ(h.dma_device(hwnic, 1), std::nullopt);
    EXPECT_EQ(h.dma_device(q.guest, 1), h.dma_device(hwnic, 0));  // through the lease
    const auto mismatch = h.bind_rx(root, ifindex(h, hwnic), {0, 1}, 5);
    ASSERT_FALSE(mismatch.ok());
    EXPECT_EQ(mismatch.failure().code, errno_code::not_supported);
    EXPECT_EQ(mismatch.failure().message, "DMA device mismatch between queue 1 and 0 (multi-PF device?)");
}

// SC-QL-039: QL-ETH-02, QL-ETH-04, QL-PSM-06
TEST(lease_scenarios, shrinking_stops_at_the_leased_queue_SC_QL_039) {
    test_world w;
    const auto nic = nsim(w, 4);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    EXPECT_TRUE(w.ethtool_set_channels(nic, combined(3)).ok());
    EXPECT_TRUE(get(w, nic, 1).lease.has_value());
    EXPECT_TRUE(w.ethtool_set_channels(nic, combined(2)).ok());
    EXPECT_TRUE(get(w, nic, 1).lease.has_value());
    const auto last = w.ethtool_set_channels(nic, combined(1));
    ASSERT_FALSE(last.ok());
    EXPECT_EQ(last.failure().code, errno_code::invalid);
    EXPECT_EQ(last.failure().message, "Device queue in use due to queue leasing");
    EXPECT_EQ(w.at(nic).real_rx_queues, 2U);
    EXPECT_TRUE(get(w, nic, 1).lease.has_value());
    expect_lease_invariants(w);
}

// SC-QL-040: QL-ETH-05, QL-VSM-10, NK-RT-06
TEST(lease_scenarios, netkit_channels_cannot_be_set_SC_QL_040) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    const test_world before = w;
    for (const auto h : {p.host, p.guest}) {
        EXPECT_EQ(w.ethtool_set_channels(h, combined(1)).code(), errno_code::not_supported);
        EXPECT_EQ(w.ethtool_set_channels(h, combined(2)).code(), errno_code::not_supported);
    }
    EXPECT_TRUE(w == before);
    EXPECT_TRUE(get(w, nic, 1).lease.has_value());
}

// SC-QL-041: QL-CRT-23, QL-GET-01
TEST(lease_scenarios, a_lease_created_while_everything_is_down_shows_after_up_SC_QL_041) {
    test_world w;
    const auto nic = add_nic(w, 2);
    const auto p = nk(w, 2, uapi::mode::l2, true, false);
    ASSERT_FALSE(w.at(nic).up || w.at(p.guest).up || w.at(p.host).up);
    EXPECT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    EXPECT_EQ(w.queue_get(root, ifindex(w, nic), 1).code(), errno_code::no_entry);
    ASSERT_TRUE(w.open(nic).ok());
    ASSERT_TRUE(w.open(p.guest).ok());
    ASSERT_TRUE(w.open(p.host).ok());
    const queue_info q = get(w, nic, 1);
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->queue, 1U);
    EXPECT_EQ(q.lease->ifindex, ifindex(w, p.guest));
}

// SC-QL-042: QL-NKQC-02, QL-VSM-03
TEST(lease_scenarios, a_third_lease_exceeds_the_guests_queues_SC_QL_042) {
    test_world w;
    const auto nic = nsim(w, 4);
    const auto p = nk(w, 3);
    EXPECT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    EXPECT_EQ(must(lease_to_guest(w, p, nic, 2)), 2U);
    const auto third = lease_to_guest(w, p, nic, 3);
    ASSERT_FALSE(third.ok());
    EXPECT_EQ(third.failure().code, errno_code::invalid);
    EXPECT_EQ(third.failure().message, "netkit maximum queue limit reached");
    EXPECT_TRUE(get(w, nic, 1).lease.has_value());
    EXPECT_TRUE(get(w, nic, 2).lease.has_value());
    EXPECT_FALSE(get(w, nic, 3).lease.has_value());
}

// SC-QL-043: SN-CH-07, QL-PSM-02, QL-ETH-04
TEST(lease_scenarios, growing_channels_keeps_the_lease_and_adds_a_free_queue_SC_QL_043) {
    test_world w;
    const auto nic = nsim(w, 3);
    const auto p = nk(w, 2);
    ASSERT_TRUE(w.ethtool_set_channels(nic, combined(2)).ok());
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 1)), 1U);
    EXPECT_TRUE(w.ethtool_set_channels(nic, combined(3)).ok());
    EXPECT_EQ(w.at(nic).real_rx_queues, 3U);
    EXPECT_EQ(w.at(nic).real_tx_queues, 3U);
    EXPECT_TRUE(get(w, nic, 1).lease.has_value());
    EXPECT_FALSE(get(w, nic, 2).lease.has_value());  // P0 → P1
}

// SC-QL-044: QL-CRT-22, QL-GET-03
TEST(lease_scenarios, guests_in_two_netns_each_get_id_1_SC_QL_044) {
    test_world w;
    const auto nic = nsim(w, 3);
    const auto a = nk(w, 2);
    const auto b = nk(w, 2);
    ASSERT_NE(a.ns, b.ns);
    EXPECT_EQ(must(lease_to_guest(w, a, nic, 1)), 1U);
    EXPECT_EQ(must(lease_to_guest(w, b, nic, 2)), 1U);
    const queue_info qa = get(w, nic, 1);
    const queue_info qb = get(w, nic, 2);
    ASSERT_TRUE(qa.lease && qb.lease);
    EXPECT_EQ(qa.lease->ifindex, ifindex(w, a.guest));
    EXPECT_EQ(qb.lease->ifindex, ifindex(w, b.guest));
    EXPECT_EQ(qa.lease->queue, 1U);
    EXPECT_EQ(qb.lease->queue, 1U);
    ASSERT_TRUE(qa.lease->netns_id && qb.lease->netns_id);
    EXPECT_NE(qa.lease->netns_id, qb.lease->netns_id);
}

// SC-QL-045: QL-NS-04
TEST(lease_scenarios, deleting_the_second_netns_removes_only_its_lease_SC_QL_045) {
    test_world w;
    const auto nic = nsim(w, 3);
    const auto a = nk(w, 2);
    const auto b = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, a, nic, 1)), 1U);
    ASSERT_EQ(must(lease_to_guest(w, b, nic, 2)), 1U);
    ASSERT_TRUE(w.delete_netns(b.ns).ok());
    EXPECT_TRUE(gone(w, b.host));
    EXPECT_FALSE(get(w, nic, 2).lease.has_value());
    EXPECT_FALSE(gone(w, a.host));
    const queue_info kept = get(w, nic, 1);
    ASSERT_TRUE(kept.lease.has_value());
    EXPECT_EQ(kept.lease->ifindex, ifindex(w, a.guest));
    expect_lease_invariants(w);
}

// SC-QL-046: QL-NS-02
TEST(lease_scenarios, the_lease_is_visible_from_the_nsims_new_netns_SC_QL_046) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2);
    const auto id = must(lease_to_guest(w, p, nic, 1));
    const auto ns2 = w.create_netns("phys");
    ASSERT_TRUE(w.move(nic, ns2).ok());
    ASSERT_TRUE(w.open(nic).ok());
    const auto q = must(w.queue_get(world::root(ns2), ifindex(w, nic), 1));
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->queue, id);
    EXPECT_EQ(q.lease->ifindex, ifindex(w, p.guest));
    ASSERT_TRUE(q.lease->netns_id.has_value());
    EXPECT_EQ(w.namespace_at(ns2).by_id(*q.lease->netns_id), std::optional{p.ns});
}

// ---------------------------------------------- nk_qlease.py (hardware)

// SC-QL-047: QL-MP-04, QL-MP-09, SN-MP-02, SN-DMA-01, SN-RX-03
TEST(lease_scenarios, io_uring_zero_copy_receive_through_the_lease_SC_QL_047) {
    test_world w;
    const std::uint32_t n = 4;
    const auto nic = hw(w, n);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, n - 1)), 1U);
    EXPECT_TRUE(w.dma_device(nic, 0).has_value());  // SN-DMA-01
    const auto area = must(w.zcrx_register(in_guest_netns(w, p), ifindex(w, p.guest), 1), "zcrx");
    EXPECT_EQ(w.at(nic).rxq[n - 1].provider, (provider_params{provider_kind::io_uring, area}));
    EXPECT_FALSE(w.at(p.guest).rxq[1].provider.has_value());
    steer_to(w, nic, n - 1);
    const auto in = must(w.inject(nic, ipv4_frame()), "inject");
    EXPECT_EQ(in.queue, n - 1);
    const auto polled = must(w.poll(nic, n - 1), "poll");
    ASSERT_EQ(polled.size(), 1U);
    EXPECT_EQ(polled[0].end, softnic::rx_end::zero_copy);
    EXPECT_EQ(polled[0].consumer, area);
    EXPECT_EQ(must(w.consumer_receive(area, 8)).size(), 1U);
    expect_lease_invariants(w);
}

// SC-QL-048: QL-GET-03
TEST(lease_scenarios, the_leased_hw_queue_reports_the_guest_SC_QL_048) {
    test_world w;
    const auto nic = hw(w, 4);
    const auto p = nk(w, 2);
    const auto id = must(lease_to_guest(w, p, nic, 3));
    const queue_info q = get(w, nic, 3);
    EXPECT_EQ(q.type, queue_type::rx);
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->ifindex, ifindex(w, p.guest));
    EXPECT_EQ(q.lease->queue, id);
    EXPECT_TRUE(q.lease->netns_id.has_value());
}

// SC-QL-049: QL-PSM-24, SN-XDP-01, QL-MP-08, QL-MP-10
TEST(lease_scenarios, xdp_cannot_attach_while_a_provider_is_installed_through_the_lease_SC_QL_049) {
    test_world w;
    const auto nic = hw(w, 4);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 3)), 1U);
    const auto area = must(w.zcrx_register(in_guest_netns(w, p), ifindex(w, p.guest), 1), "zcrx");
    EXPECT_TRUE(get(w, nic, 3).io_uring);
    const test_world before = w;
    const auto attached = w.attach_xdp(nic, xdp_program{xdp_verdict::pass, true});
    ASSERT_FALSE(attached.ok());
    EXPECT_EQ(attached.failure().code, errno_code::busy);
    EXPECT_EQ(attached.failure().message, "unable to install XDP to device using memory provider");
    EXPECT_TRUE(w == before);
    ASSERT_TRUE(w.consumer_close(area).ok());
    EXPECT_FALSE(get(w, nic, 3).io_uring);
    EXPECT_FALSE(w.at(nic).rxq[3].provider.has_value());
    EXPECT_TRUE(get(w, nic, 3).lease.has_value());  // P5 → P4
    expect_lease_invariants(w);
}

// SC-QL-050: QL-MP-09, QL-DMA-01, QL-MP-05, QL-VSM-05
TEST(lease_scenarios, zcrx_on_netkit_queue_0_is_eopnotsupp_in_every_profile_SC_QL_050) {
    for (const auto& profile : {core::profiles::newest::traits, core::profiles::v7_jan2026::traits}) {
        test_world w(profile);
        const auto nic = hw(w, 4);
        const auto p = nk(w, 2, uapi::mode::l2, profile.netns_id == core::lease_netns_id::accepted);
        ASSERT_EQ(must(lease_to_guest(w, p, nic, 3)), 1U);
        EXPECT_EQ(w.dma_device(p.guest, 0), std::nullopt);
        const test_world before = w;
        const auto r = w.zcrx_register(in_guest_netns(w, p), ifindex(w, p.guest), 0);
        EXPECT_EQ(r.code(), errno_code::not_supported) << profile.name;
        EXPECT_TRUE(w == before);
        EXPECT_FALSE(w.at(p.guest).rxq[0].provider.has_value());
    }
}

// SC-QL-051: QL-MP-09, QL-DMA-01, QL-MP-03
TEST(lease_scenarios, zcrx_directly_on_the_leased_hw_queue_is_eopnotsupp_SC_QL_051) {
    test_world w;
    const auto nic = hw(w, 4);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 3)), 1U);
    EXPECT_EQ(w.dma_device(nic, 3), std::nullopt);
    const test_world before = w;
    const auto r = w.zcrx_register(root, ifindex(w, nic), 3);
    EXPECT_EQ(r.code(), errno_code::not_supported);
    EXPECT_NE(message_of(r), "rx queue leased to a virtual netdev");  // QL-MP-03 not reached
    EXPECT_TRUE(w == before);
    EXPECT_EQ(w.at(nic).rxq[3].lease, (queue_ref{p.guest, 1}));
    EXPECT_FALSE(w.at(nic).rxq[3].provider.has_value());
}

// SC-QL-052: QL-LIFE-06, QL-LIFE-07, NK-DEL-07
TEST(lease_scenarios, after_the_host_is_deleted_the_hw_queue_is_free_again_SC_QL_052) {
    test_world w;
    const auto nic = hw(w, 4);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 3)), 1U);
    const auto area = must(w.zcrx_register(in_guest_netns(w, p), ifindex(w, p.guest), 1), "zcrx");
    ASSERT_TRUE(w.delete_link(root, delete_request{ifindex(w, p.host), std::nullopt, std::nullopt}).ok());
    // The receiver still holds the guest: invisible, not yet freed.
    EXPECT_EQ(w.at(p.guest).state, registration::unregistering);
    EXPECT_EQ(w.at(p.host).state, registration::freed);
    // QL-LIFE-06 (newest): restart with cleared parameters, then uninstall —
    // no window in which the running queue used released memory.
    EXPECT_TRUE(w.state().hazards.empty());
    EXPECT_FALSE(get(w, nic, 3).io_uring);
    EXPECT_FALSE(get(w, nic, 3).lease.has_value());
    ASSERT_TRUE(w.consumer_close(area).ok());  // the receiver is killed 1 s later
    EXPECT_EQ(w.at(p.guest).state, registration::freed);
    EXPECT_FALSE(get(w, nic, 3).io_uring);
    const auto direct = w.zcrx_register(root, ifindex(w, nic), 3);
    ASSERT_TRUE(direct.ok()) << core::to_string(direct.failure());
    EXPECT_TRUE(get(w, nic, 3).io_uring);
    expect_lease_invariants(w);
}

// ------------------------------------------ client libraries and patches

// SC-QL-053: QL-GET-03, NL-ND-05, NL-RT-07
TEST(lease_scenarios, a_peer_with_4_rx_queues_via_peer_info_leases_and_is_reported_SC_QL_053) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = add_pair(w, 4, false);  // PEER_INFO carries IFLA_NUM_RX_QUEUES 4
    EXPECT_EQ(w.at(p.guest).rx_queues, 4U);
    EXPECT_EQ(w.at(p.host).rx_queues, 1U);
    const auto id = must(lease_queue(w, root, p.guest, nic, 1));
    const queue_info q = get(w, nic, 1);
    EXPECT_EQ(q.id, 1U);
    EXPECT_EQ(q.type, queue_type::rx);
    EXPECT_EQ(q.ifindex, ifindex(w, nic));
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->ifindex, ifindex(w, p.guest));
    EXPECT_EQ(q.lease->queue, id);
    EXPECT_FALSE(q.lease->netns_id.has_value());
}

// SC-QL-054: QL-CRT-13, QL-NKQC-01
TEST(lease_scenarios, an_unknown_netns_id_is_resolved_before_the_primary_check_SC_QL_054) {
    test_world w;
    link_request r = requests::create_netkit(std::nullopt, {attr(netkit_attr::mode, u(uapi::mode::l2))});
    r.attributes.num_rx_queues = 4;
    const auto created = must(w.new_link(root, r), "new_link");
    ASSERT_EQ(w.at(created.device).rx_queues, 4U);
    ASSERT_TRUE(w.at(created.device).netkit->primary);
    const auto err =
        create_refused(w, root, queue_create_request::rx(ifindex(w, created.device), 1, 1, 0x6f6f6f));
    EXPECT_EQ(err.code, errno_code::no_network);
}

// SC-QL-055: QL-CRT-22, NL-ND-02, NL-ND-03
TEST(lease_scenarios, the_patch_example_leases_queue_15_of_ifindex_4_onto_ifindex_8_SC_QL_055) {
    test_world w;
    link_request veth;  // ifindexes 2 and 3, so the NIC gets 4
    veth.message_flags = 0x600;
    veth.attributes.ifname = "va";
    veth.linkinfo = link_info{std::string(uapi::veth_link_kind), std::nullopt};
    ASSERT_TRUE(w.new_link(root, veth).ok());
    const auto nic = hw(w, 16);
    ASSERT_EQ(ifindex(w, nic), 4);
    peer_info info;
    info.header.index = 8;
    info.attributes.num_rx_queues = 2;
    link_request r = requests::create_netkit("nk1", {attr(netkit_attr::mode, u(uapi::mode::l2)), requests::peer(info)});
    r.header.index = 9;
    const auto created = must(w.new_link(root, r), "new_link");
    ASSERT_EQ(ifindex(w, *created.peer), 8);
    // NL-ND-02: cmd 16; IFINDEX (2) = 8, TYPE (3) = rx, LEASE (8) {IFINDEX
    // (1) = 4, QUEUE (2) {ID (1) = 15, TYPE (3) = rx}}.
    EXPECT_EQ(static_cast<int>(uapi::netdev_command::queue_create), 16);
    const auto request = queue_create_request::rx(8, 4, 15);
    EXPECT_EQ(request.ifindex, std::optional<std::uint32_t>{8U});
    EXPECT_EQ(request.type, std::optional<std::uint32_t>{0U});
    EXPECT_EQ(request.lease->ifindex, std::optional<std::uint32_t>{4U});
    EXPECT_EQ(request.lease->queue->id, std::optional<std::uint32_t>{15U});
    EXPECT_EQ(request.lease->queue->type, std::optional<std::uint32_t>{0U});
    EXPECT_EQ(lease::path::lease_queue_id, (core::attribute_path{8, 2, 1}));
    // NL-ND-03: the reply's NETDEV_A_QUEUE_ID (1) is the new queue.
    EXPECT_EQ(static_cast<int>(uapi::queue_attr::id), 1);
    EXPECT_EQ(must(w.queue_create(root, request)), 1U);
    EXPECT_EQ(w.at(nic).rxq[15].lease, (queue_ref{*created.peer, 1}));
}

// SC-QL-056: QL-LIFE-08, QL-LIFE-09, SN-GEN-03
TEST(lease_scenarios, removing_the_hw_device_removes_it_and_the_netkit_devices_SC_QL_056) {
    test_world w;
    const auto nic = hw(w, 4);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 3)), 1U);
    const auto area = must(w.zcrx_register(in_guest_netns(w, p), ifindex(w, p.guest), 1), "zcrx");
    const auto nic_index = ifindex(w, nic);
    ASSERT_TRUE(w.remove_softnic(bus_of(w, nic)).ok());
    EXPECT_EQ(w.find(world::initial_netns(), nic_index), nullptr);
    EXPECT_TRUE(gone(w, nic));
    EXPECT_TRUE(gone(w, p.host));
    EXPECT_TRUE(gone(w, p.guest));
    // QL-LIFE-08 (2): the provider installed through the lease is uninstalled
    // from the NIC's queue; nothing runs on the area's memory any more.
    EXPECT_FALSE(w.at(nic).rxq[3].provider.has_value());
    ASSERT_NE(w.area(area), nullptr);
    EXPECT_FALSE(w.area(area)->installed);
    EXPECT_TRUE(w.state().hazards.empty());
    EXPECT_EQ(w.at(nic).lease_refs, 0U);
    ASSERT_TRUE(w.consumer_close(area).ok());
    EXPECT_EQ(w.at(p.guest).state, registration::freed);
    expect_lease_invariants(w);
}

// SC-QL-057: QL-MP-04, QL-DMA-01, QL-DMA-02, QL-NS-01, NL-RT-07
TEST(lease_scenarios, zero_copy_and_devmem_through_a_moved_peer_SC_QL_057) {
    test_world w;
    const auto nic = hw(w, 16);
    // `ip link add type netkit peer numrxqueues 2`: PEER_INFO with 2 RX queues.
    const auto p = add_pair(w, 2, false);
    ASSERT_EQ(w.at(p.guest).name, "nk0");
    ASSERT_EQ(w.at(p.guest).rx_queues, 2U);
    ASSERT_EQ(must(lease_queue(w, root, p.guest, nic, 15)), 1U);
    const auto ns = w.create_netns("container");
    ASSERT_TRUE(w.move(p.guest, ns).ok());
    ASSERT_TRUE(w.open(p.guest).ok());
    ASSERT_TRUE(w.open(p.host).ok());
    EXPECT_EQ(w.at(p.guest).rxq[1].lease, (queue_ref{nic, 15}));  // QL-NS-01
    const caller inside = world::root(ns);
    const auto guest = ifindex(w, p.guest);
    EXPECT_EQ(w.dma_device(p.guest, 1), w.dma_device(nic, 0));  // QL-DMA-01 through the lease

    const auto area = must(w.zcrx_register(inside, guest, 1), "zcrx");
    steer_to(w, nic, 15);
    ASSERT_TRUE(w.inject(nic, ipv4_frame()).ok());
    const auto polled = must(w.poll(nic, 15), "poll");
    ASSERT_EQ(polled.size(), 1U);
    EXPECT_EQ(polled[0].end, softnic::rx_end::zero_copy);
    EXPECT_EQ(polled[0].consumer, area);
    ASSERT_TRUE(w.consumer_close(area).ok());

    const auto binding = w.bind_rx(inside, guest, {1}, 5);
    ASSERT_TRUE(binding.ok()) << core::to_string(binding.failure());
    EXPECT_EQ(w.at(nic).rxq[15].provider, (provider_params{provider_kind::dmabuf, binding.value()}));
    EXPECT_EQ(must(w.queue_get(inside, guest, 1)).dmabuf, std::optional<std::uint32_t>{binding.value()});
    expect_lease_invariants(w);
}

// SC-QL-058: QL-XSK-06, QL-XSK-08, QL-XSK-11, QL-PSM-20, SN-XSK-02
TEST(lease_scenarios, af_xdp_zero_copy_on_a_moved_single_device_SC_QL_058) {
    test_world w;
    const auto nic = hw(w, 16);
    const auto single = add_single(w, 2, "nk");
    ASSERT_EQ(must(lease_queue(w, root, single, nic, 15)), 1U);
    const auto ns = w.create_netns("container");
    ASSERT_TRUE(w.move(single, ns).ok());
    ASSERT_TRUE(w.open(single).ok());
    EXPECT_TRUE(w.at(single).carrier);
    const auto id = w.xsk_bind(world::root(ns), ifindex(w, single), 1, lease::xsk_options{xsk_mode::zero_copy_forced});
    ASSERT_TRUE(id.ok()) << core::to_string(id.failure());
    const auto* s = w.socket(id.value());
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->zero_copy);
    EXPECT_EQ(s->bound, (queue_ref{single, 1}));
    EXPECT_EQ(w.at(nic).rxq[15].xsk_pool, std::optional<std::uint32_t>{id.value()});  // P4 → P6
    EXPECT_TRUE(w.at(nic).rxq[15].zero_copy);                                          // SN-XSK-02
    EXPECT_FALSE(w.at(single).rxq[1].xsk_pool.has_value());
    EXPECT_TRUE(w.xsk_receive_check(id.value(), nic, 15).ok());  // QL-XSK-11
    // Frames arriving on hw queue 15 reach the socket.
    ASSERT_TRUE(w.attach_xdp(nic, xdp_program{xdp_verdict::redirect_xsk, true}).ok());
    steer_to(w, nic, 15);
    ASSERT_TRUE(w.inject(nic, ipv4_frame()).ok());
    const auto polled = must(w.poll(nic, 15), "poll");
    ASSERT_EQ(polled.size(), 1U);
    EXPECT_EQ(polled[0].end, softnic::rx_end::af_xdp);
    EXPECT_EQ(polled[0].consumer, id.value());
    EXPECT_EQ(w.socket(id.value())->rx_ring.size(), 1U);
    expect_lease_invariants(w);
}

// SC-QL-059: NK-CRT-14
TEST(lease_scenarios, netkit_allocation_refuses_1025_rx_queues_and_2_tx_queues_SC_QL_059) {
    test_world w;
    link_request rx = requests::create_netkit("nk", {});
    rx.attributes.num_rx_queues = 1025;
    const test_world before = w;
    EXPECT_EQ(w.new_link(root, rx).code(), errno_code::not_supported);
    link_request tx = requests::create_netkit("nk", {});
    tx.attributes.num_tx_queues = 2;
    EXPECT_EQ(w.new_link(root, tx).code(), errno_code::not_supported);
    EXPECT_TRUE(w == before);
    link_request ok = requests::create_netkit("nk", {});
    ok.attributes.num_rx_queues = 1024;
    EXPECT_TRUE(w.new_link(root, ok).ok());
}

// SC-QL-060: NK-DRV-09
TEST(lease_scenarios, single_mode_refuses_peer_info_peer_policy_and_policy_drop_SC_QL_060) {
    test_world w;
    const auto single = attr(netkit_attr::pairing, static_cast<std::uint32_t>(uapi::pairing::single));
    const test_world before = w;
    EXPECT_EQ(w.new_link(root, requests::create_netkit("nk", {single, requests::peer(peer_info{})})).code(),
              errno_code::not_supported);
    EXPECT_EQ(w.new_link(root, requests::create_netkit("nk", {single, attr(netkit_attr::peer_policy,
                                                                           u(uapi::action::pass))}))
                  .code(),
              errno_code::not_supported);
    EXPECT_EQ(w.new_link(root, requests::create_netkit("nk", {single, attr(netkit_attr::policy,
                                                                           u(uapi::action::drop))}))
                  .code(),
              errno_code::not_supported);
    EXPECT_TRUE(w == before);
}

// SC-QL-061: MP-11
TEST(lease_scenarios, bpf_attach_to_a_single_device_is_eopnotsupp_SC_QL_061) {
    test_world w;
    const auto single = add_single(w, 2);
    const auto tc = w.load_program(bpf::program_spec{"tc", {}, nullptr, uapi::bpf_program_type::traffic_classifier, false});
    for (const auto type : {uapi::bpf_attach_type::netkit_primary, uapi::bpf_attach_type::netkit_peer}) {
        bpf::attach_args a;
        a.target_ifindex = ifindex(w, single);
        a.type = type;
        a.program_fd = tc;
        EXPECT_EQ(w.prog_attach(root, a).code(), errno_code::not_supported);
    }
}

// SC-QL-062: QL-XSK-08, QL-VSM-09
TEST(lease_scenarios, forced_zero_copy_on_a_pair_guests_leased_queue_is_eopnotsupp_SC_QL_062) {
    test_world w;
    const auto nic = hw(w, 4);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 3)), 1U);
    const test_world before = w;
    const auto r = w.xsk_bind(in_guest_netns(w, p), ifindex(w, p.guest), 1,
                              lease::xsk_options{xsk_mode::zero_copy_forced});
    EXPECT_EQ(r.code(), errno_code::not_supported);
    EXPECT_TRUE(w == before);
    EXPECT_FALSE(w.at(nic).rxq[3].xsk_pool.has_value());
}

// SC-QL-063: QL-XSK-08, QL-PSM-21
TEST(lease_scenarios, forced_zero_copy_is_ebusy_while_the_hw_device_has_a_provider_SC_QL_063) {
    test_world w;
    const auto nic = hw(w, 16);
    const auto single = add_single(w, 2);
    ASSERT_EQ(must(lease_queue(w, root, single, nic, 15)), 1U);
    ASSERT_TRUE(w.zcrx_register(root, ifindex(w, nic), 0).ok());  // a provider on another queue
    const test_world before = w;
    const auto r = w.xsk_bind(root, ifindex(w, single), 1, lease::xsk_options{xsk_mode::zero_copy_forced});
    EXPECT_EQ(r.code(), errno_code::busy);
    EXPECT_TRUE(w == before);  // P4 stays P4
    EXPECT_FALSE(w.at(nic).rxq[15].xsk_pool.has_value());
}

// SC-QL-064: QL-XSK-11
TEST(lease_scenarios, a_socket_on_a_leased_netkit_queue_accepts_only_its_hw_queue_SC_QL_064) {
    test_world w;
    const auto nic = hw(w, 4);
    const auto single = add_single(w, 2);
    ASSERT_EQ(must(lease_queue(w, root, single, nic, 2)), 1U);
    const auto id = must(w.xsk_bind(root, ifindex(w, single), 1, lease::xsk_options{xsk_mode::zero_copy_forced}));
    EXPECT_TRUE(w.xsk_receive_check(id, nic, 2).ok());
    for (const std::uint32_t other : {0U, 1U, 3U}) {
        EXPECT_EQ(w.xsk_receive_check(id, nic, other).code(), errno_code::invalid) << other;
    }
    EXPECT_TRUE(w.xsk_receive_check(id, single, 1).ok());  // R = D and r = d
}

// ---------------------------- the lease scenarios of the netkit table (§2)

// SC-NK-058: QL-CRT-13, QL-CRT-14, QL-CRT-22, QL-NKQC-01, QL-NKQC-03
TEST(lease_scenarios, queue_create_from_the_guest_netns_naming_hw_queue_n_minus_1_replies_1_SC_NK_058) {
    test_world w;
    const std::uint32_t n = 8;
    const auto nic = hw(w, n);
    const auto p = nk(w, 2);
    const auto id = w.queue_create(in_guest_netns(w, p),
                                   queue_create_request::rx(ifindex(w, p.guest), ifindex(w, nic), n - 1, 0));
    ASSERT_TRUE(id.ok()) << core::to_string(id.failure());
    EXPECT_EQ(id.value(), 1U);
    expect_lease_invariants(w);
}

// SC-NK-059: QL-GET-03
TEST(lease_scenarios, queue_get_on_the_physical_queue_names_guest_queue_1_with_a_netns_id_SC_NK_059) {
    test_world w;
    const std::uint32_t n = 8;
    const auto nic = hw(w, n);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, n - 1)), 1U);
    const queue_info q = get(w, nic, n - 1);
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->ifindex, ifindex(w, p.guest));
    EXPECT_EQ(q.lease->queue, 1U);
    EXPECT_TRUE(q.lease->netns_id.has_value());
}

// SC-NK-060: QL-MP-04, QL-MP-07, QL-MP-09, QL-MP-10, QL-PSM-24, SN-XDP-01, SN-RX-03
TEST(lease_scenarios, zero_copy_through_the_lease_blocks_xdp_until_the_receiver_exits_SC_NK_060) {
    test_world w;
    const std::uint32_t n = 4;
    const auto nic = hw(w, n);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, n - 1)), 1U);
    const auto area = must(w.zcrx_register(in_guest_netns(w, p), ifindex(w, p.guest), 1), "zcrx");
    steer_to(w, nic, n - 1);
    (void)must(w.inject(nic, ipv4_frame()), "inject");
    const auto polled = must(w.poll(nic, n - 1), "poll");
    ASSERT_EQ(polled.size(), 1U);
    EXPECT_EQ(polled[0].end, softnic::rx_end::zero_copy);
    EXPECT_TRUE(get(w, nic, n - 1).io_uring);
    const test_world before = w;
    const auto xdp = w.attach_xdp(nic, xdp_program{xdp_verdict::pass, true});
    EXPECT_EQ(xdp.code(), errno_code::busy);
    EXPECT_EQ(w, before);
    ASSERT_TRUE(w.consumer_close(area).ok());
    EXPECT_FALSE(get(w, nic, n - 1).io_uring);
    EXPECT_TRUE(w.attach_xdp(nic, xdp_program{xdp_verdict::pass, true}).ok());
}

// SC-NK-061: NK-DEL-07, QL-LIFE-04, QL-LIFE-06, QL-LIFE-07
TEST(lease_scenarios, deleting_the_host_completes_once_the_receiver_lets_go_SC_NK_061) {
    test_world w;
    const auto nic = hw(w, 4);
    const auto p = nk(w, 2);
    ASSERT_EQ(must(lease_to_guest(w, p, nic, 3)), 1U);
    const auto area = must(w.zcrx_register(in_guest_netns(w, p), ifindex(w, p.guest), 1), "zcrx");
    ASSERT_TRUE(w.delete_link(root, delete_request{ifindex(w, p.host), std::nullopt, std::nullopt}).ok());
    EXPECT_EQ(w.at(p.guest).state, registration::unregistering);
    EXPECT_FALSE(get(w, nic, 3).io_uring);
    ASSERT_TRUE(w.consumer_close(area).ok());
    EXPECT_EQ(w.at(p.guest).state, registration::freed);
    EXPECT_TRUE(w.zcrx_register(root, ifindex(w, nic), 3).ok());
    EXPECT_TRUE(w.state().hazards.empty());
}

// SC-NK-129: QL-NKQC-01
TEST(lease_scenarios, queue_create_on_a_pair_primary_is_eopnotsupp_SC_NK_129) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto p = nk(w, 2, uapi::mode::l2, false);
    const auto r = w.queue_create(root, queue_create_request::rx(ifindex(w, p.host), ifindex(w, nic), 1));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.failure().code, errno_code::not_supported);
    EXPECT_EQ(r.failure().message, "netkit can only lease against the peer device");
}

// SC-NK-130: QL-NKQC-02
TEST(lease_scenarios, queue_create_without_a_spare_queue_is_einval_SC_NK_130) {
    test_world w;
    const auto nic = nsim(w, 2);
    const auto single = add_single(w, 1);
    const auto r = w.queue_create(root, queue_create_request::rx(ifindex(w, single), ifindex(w, nic), 1));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.failure().code, errno_code::invalid);
    EXPECT_EQ(r.failure().message, "netkit maximum queue limit reached");
}

// SC-NK-131: QL-XSK-07, QL-XSK-08
TEST(lease_scenarios, pool_setup_on_a_pair_device_and_native_xdp_on_netkit_are_eopnotsupp_SC_NK_131) {
    test_world w;
    const auto nic = hw(w, 2);
    const auto p = nk(w, 2, uapi::mode::l2, false);
    ASSERT_EQ(must(lease_queue(w, root, p.guest, nic, 1)), 1U);
    lease::xsk_options forced;
    forced.mode = xsk_mode::zero_copy_forced;
    const auto bind = w.xsk_bind(root, ifindex(w, p.guest), 1, forced);
    ASSERT_FALSE(bind.ok());
    EXPECT_EQ(bind.failure().code, errno_code::not_supported);
    EXPECT_EQ(w.attach_xdp(p.host, xdp_program{}).code(), errno_code::not_supported);
}

}  // namespace
