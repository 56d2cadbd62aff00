// Tests of queue-get do and dump (include/netkit/model/lease.hpp) against
// lease.md §6 (QL-GET-01…07), the network-namespace moves of §13
// (QL-NS-01…04) and the visibility invariant QL-INV-09: a reply never names
// a device its caller cannot reach — lease nests exist only on the physical
// side, and name the lessee with a netns-id whenever it lives elsewhere.
#include "lease/fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace lease_test;
using lease::queue_create_request;
using lease::queue_info;
using uapi::queue_type;

// A netkit pair whose ends both have `rx` allocated RX queues, its guest
// (the peer) moved into a fresh netns `ns` that knows the initial netns as
// id 0, both ends up; and a NIC in the initial netns, up.
struct env {
    world w;
    netkit_pair pair;
    core::device_handle nic;
    caller guest_caller = world::root();

    explicit env(std::uint32_t rx = 3, std::uint32_t queues = 3, softnic_config config = softnic_config::nsim(),
                 const core::profile_traits& profile = core::profiles::newest::traits)
        : w(profile) {
        link_request r = requests::netkit_pair("nk%d", "nk%d", rx);
        r.attributes.num_rx_queues = rx;
        const auto created = must(w.new_link(root, r), "new_link");
        pair = netkit_pair{created.device, created.peer.value_or(core::device_handle{}), world::initial_netns()};
        nic = add_up_nic(w, queues, config);
        pair.ns = w.create_netns("NS");
        must_ok(w.assign_netns_id(pair.ns, world::initial_netns(), 0), "assign_netns_id");
        must_ok(w.move(pair.guest, pair.ns), "move guest");
        must_ok(w.open(pair.guest), "open guest");
        must_ok(w.open(pair.host), "open host");
        guest_caller = world::root(pair.ns);
        if (config.mp_capable) {
            enable_data_split(w, nic);
        }
    }

    std::int32_t guest() const { return ifindex(w, pair.guest); }
    std::int32_t nic_index() const { return ifindex(w, nic); }

    std::uint32_t lease(std::uint32_t q) {
        return must(lease_to_guest(w, pair, nic, q), "queue-create");
    }
    queue_info get_nic(std::uint32_t q, queue_type type = queue_type::rx) {
        return must(w.queue_get(root, nic_index(), q, type), "queue-get nic");
    }
    queue_info get_guest(std::uint32_t k, queue_type type = queue_type::rx) {
        return must(w.queue_get(guest_caller, guest(), k, type), "queue-get guest");
    }
};

// ------------------------------------------------------------ QL-GET-01

// QL-GET-01: the device is resolved in the caller's netns: an unknown
// ifindex, or one that lives in another netns, is ENODEV.
TEST(queue_get_general, the_device_is_resolved_in_the_callers_netns) {
    env e;
    EXPECT_EQ(e.w.queue_get(root, 99999, 0).code(), errno_code::no_device);
    ASSERT_EQ(e.w.find(world::initial_netns(), e.guest()), nullptr);
    EXPECT_EQ(e.w.queue_get(root, e.guest(), 0).code(), errno_code::no_device);
    ASSERT_EQ(e.w.find(e.pair.ns, e.nic_index()), nullptr);
    EXPECT_EQ(e.w.queue_get(e.guest_caller, e.nic_index(), 0).code(), errno_code::no_device);
    EXPECT_TRUE(e.w.queue_get(e.guest_caller, e.guest(), 0).ok());
}

// QL-GET-01, SN-Q-05: a device that is down is ENOENT — checked before the
// queue index.
TEST(queue_get_general, a_device_that_is_down_is_enoent_before_the_index_check) {
    env e;
    e.w.close_device(e.nic);
    EXPECT_EQ(e.w.queue_get(root, e.nic_index(), 0).code(), errno_code::no_entry);
    EXPECT_EQ(e.w.queue_get(root, e.nic_index(), 99).code(), errno_code::no_entry);
    e.w.close_device(e.pair.guest);
    EXPECT_EQ(e.w.queue_get(e.guest_caller, e.guest(), 0).code(), errno_code::no_entry);
}

// QL-GET-01: an id at or above the real count of the requested type is
// EINVAL — RX and TX counted separately, inactive allocated queues
// included.
TEST(queue_get_general, an_id_at_or_above_the_real_count_of_its_type_is_einval) {
    env e(3, 4);
    EXPECT_EQ(e.lease(1), 1U);
    EXPECT_TRUE(e.w.queue_get(e.guest_caller, e.guest(), 1, queue_type::rx).ok());
    EXPECT_EQ(e.w.queue_get(e.guest_caller, e.guest(), 1, queue_type::tx).code(), errno_code::invalid);
    EXPECT_EQ(e.w.queue_get(e.guest_caller, e.guest(), 2, queue_type::rx).code(), errno_code::invalid);
    EXPECT_TRUE(e.w.queue_get(e.guest_caller, e.guest(), 0, queue_type::tx).ok());
    links::channel_counts two;
    two.combined = 2;
    ASSERT_TRUE(e.w.ethtool_set_channels(e.nic, two).ok());
    EXPECT_TRUE(e.w.queue_get(root, e.nic_index(), 1, queue_type::rx).ok());
    EXPECT_EQ(e.w.queue_get(root, e.nic_index(), 2, queue_type::rx).code(), errno_code::invalid);
    EXPECT_EQ(e.w.queue_get(root, e.nic_index(), 3, queue_type::tx).code(), errno_code::invalid);
}

// QL-GET-01: a dump lists the caller's netns only, devices in ifindex order
// with those that are down skipped; per device its active RX queues and
// then its active TX queues, in index order (netdev_nl_queue_dump_one).
TEST(queue_get_general, a_dump_skips_down_devices_and_lists_rx_then_tx_in_ifindex_order) {
    env e(3, 2);
    EXPECT_EQ(e.lease(1), 1U);
    const auto down = add_nic(e.w, 2);  // created down
    const auto second = add_up_nic(e.w, 3);
    using entry = std::tuple<std::int32_t, queue_type, std::uint32_t>;
    std::vector<entry> seen;
    for (const auto& q : e.w.queue_dump(root)) {
        seen.emplace_back(q.ifindex, q.type, q.id);
    }
    const std::int32_t host = ifindex(e.w, e.pair.host);
    std::vector<entry> expected{{1, queue_type::rx, 0}, {1, queue_type::tx, 0},
                                {host, queue_type::rx, 0}, {host, queue_type::tx, 0}};
    for (const auto nic : {e.nic, second}) {
        const device& d = e.w.at(nic);
        for (std::uint32_t i = 0; i < d.real_rx_queues; ++i) {
            expected.emplace_back(d.ifindex, queue_type::rx, i);
        }
        for (std::uint32_t i = 0; i < d.real_tx_queues; ++i) {
            expected.emplace_back(d.ifindex, queue_type::tx, i);
        }
    }
    std::stable_sort(expected.begin(), expected.end(), [](const entry& a, const entry& b) {
        return std::get<0>(a) < std::get<0>(b);  // queue order kept per device
    });
    ASSERT_LT(ifindex(e.w, e.nic), ifindex(e.w, second));
    EXPECT_EQ(seen, expected);
    for (const auto& [index, type, id] : seen) {
        EXPECT_NE(index, ifindex(e.w, down));
    }
    // From NS: lo and the guest (2 RX, 1 TX) only.
    std::vector<entry> inside;
    for (const auto& q : e.w.queue_dump(e.guest_caller)) {
        inside.emplace_back(q.ifindex, q.type, q.id);
    }
    const std::int32_t guest = e.guest();
    EXPECT_EQ(inside, (std::vector<entry>{{1, queue_type::rx, 0},
                                          {1, queue_type::tx, 0},
                                          {guest, queue_type::rx, 0},
                                          {guest, queue_type::rx, 1},
                                          {guest, queue_type::tx, 0}}));
    // Each dump entry equals the corresponding do reply.
    for (const auto& q : e.w.queue_dump(root)) {
        EXPECT_EQ(must(e.w.queue_get(root, q.ifindex, q.id, q.type)), q);
    }
}

// ------------------------------------------------------------ QL-GET-02

// QL-GET-02, SN-Q-02, SN-Q-05: an RX reply carries id, type, ifindex and
// napi-id (the NIC's RX queues have NAPI instances while up); a plain queue
// nothing else. A TX reply carries id, type and ifindex — napi-id only for a
// queue with a NAPI instance, which the NIC's TX queues do not have.
TEST(queue_get_contents, plain_rx_and_tx_replies) {
    env e;
    const queue_info rx = e.get_nic(2);
    EXPECT_EQ(rx.id, 2U);
    EXPECT_EQ(rx.type, queue_type::rx);
    EXPECT_EQ(rx.ifindex, e.nic_index());
    EXPECT_TRUE(rx.napi_id.has_value());
    EXPECT_FALSE(rx.lease.has_value());
    EXPECT_FALSE(rx.dmabuf.has_value());
    EXPECT_FALSE(rx.io_uring);
    EXPECT_FALSE(rx.xsk);
    const queue_info tx = e.get_nic(1, queue_type::tx);
    EXPECT_EQ(tx.id, 1U);
    EXPECT_EQ(tx.type, queue_type::tx);
    EXPECT_EQ(tx.ifindex, e.nic_index());
    EXPECT_FALSE(tx.napi_id.has_value());
    EXPECT_FALSE(tx.lease.has_value());
    EXPECT_FALSE(tx.dmabuf.has_value());
    EXPECT_FALSE(tx.io_uring);
    EXPECT_FALSE(tx.xsk);
    EXPECT_NE(e.get_nic(0).napi_id, e.get_nic(1).napi_id);
}

// QL-GET-02: provider information — the dmabuf binding id, or an (empty)
// io-uring nest — and an xsk nest when an AF_XDP pool is registered, on RX
// and TX replies.
TEST(queue_get_contents, provider_and_xsk_attributes) {
    env e(3, 4, softnic_config::hwnic());
    const auto area = must(e.w.zcrx_register(root, e.nic_index(), 1), "zcrx");
    const auto binding = must(e.w.bind_rx(root, e.nic_index(), {2}, 5), "bind_rx");
    ASSERT_TRUE(e.w.xsk_bind(root, e.nic_index(), 3).ok());
    const queue_info io_uring = e.get_nic(1);
    EXPECT_TRUE(io_uring.io_uring);
    EXPECT_FALSE(io_uring.dmabuf.has_value());
    EXPECT_FALSE(io_uring.xsk);
    const queue_info dmabuf = e.get_nic(2);
    EXPECT_EQ(dmabuf.dmabuf, std::optional<std::uint32_t>{binding});
    EXPECT_FALSE(dmabuf.io_uring);
    const queue_info xsk = e.get_nic(3);
    EXPECT_TRUE(xsk.xsk);
    EXPECT_FALSE(xsk.io_uring);
    EXPECT_FALSE(xsk.dmabuf.has_value());
    EXPECT_TRUE(e.get_nic(3, queue_type::tx).xsk);
    EXPECT_FALSE(e.get_nic(1, queue_type::tx).xsk);
    EXPECT_FALSE(e.get_nic(1, queue_type::tx).io_uring);  // providers are RX only
    // QL-MP-10: the io-uring nest goes with the receiver.
    ASSERT_TRUE(e.w.consumer_close(area).ok());
    EXPECT_FALSE(e.get_nic(1).io_uring);
}

// ------------------------------------------------------------ QL-GET-03

// QL-GET-03, QL-GET-07, QL-UAPI-07: a leased physical queue carries the
// lease nest {queue {id = k, type rx}, ifindex = V's ifindex, netns-id}; the
// other queues, and every TX queue, carry none.
TEST(queue_get_physical, a_leased_physical_queue_names_the_lessee) {
    env e(3, 3);
    EXPECT_EQ(e.lease(2), 1U);
    const queue_info q = e.get_nic(2);
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->ifindex, e.guest());
    EXPECT_EQ(q.lease->queue, 1U);
    EXPECT_TRUE(q.lease->netns_id.has_value());
    EXPECT_TRUE(q.napi_id.has_value());
    for (const std::uint32_t other : {0U, 1U}) {
        EXPECT_FALSE(e.get_nic(other).lease.has_value()) << other;
    }
    for (std::uint32_t i = 0; i < 3; ++i) {
        EXPECT_FALSE(e.get_nic(i, queue_type::tx).lease.has_value()) << i;
    }
}

// QL-GET-03, NK-ENV-05 [unconfirmed]: the netns-id is the id of V's netns in
// P's netns id table, allocated on demand by the first reply that needs it
// (the lowest unused value: the unconfirmed allocation order) and kept
// afterwards; absent when V is in P's netns.
TEST(queue_get_physical, the_netns_id_is_allocated_on_demand_in_the_lessors_table) {
    env e(3, 3);
    const auto other = e.w.create_netns("other");
    ASSERT_TRUE(e.w.assign_netns_id(world::initial_netns(), other, 0).ok());  // 0 is taken
    EXPECT_EQ(e.lease(1), 1U);
    const netns& init = e.w.namespace_at(world::initial_netns());
    ASSERT_FALSE(init.id_of(e.pair.ns).has_value());
    EXPECT_EQ(e.get_nic(1).lease->netns_id, std::optional<std::int32_t>{1});
    EXPECT_EQ(e.w.namespace_at(world::initial_netns()).id_of(e.pair.ns), std::optional<std::int32_t>{1});
    EXPECT_EQ(e.get_nic(1).lease->netns_id, std::optional<std::int32_t>{1});
    // The lessee's table is not touched: the id is P's name for V's netns.
    EXPECT_EQ(e.w.namespace_at(e.pair.ns).ids.size(), 1U);

    // Same netns: no netns-id, nothing allocated.
    const auto single = add_single(e.w, 2);
    ASSERT_TRUE(e.w.queue_create(root, queue_create_request::rx(ifindex(e.w, single), e.nic_index(), 2)).ok());
    const auto ids_before = e.w.namespace_at(world::initial_netns()).ids;
    const queue_info same = e.get_nic(2);
    ASSERT_TRUE(same.lease.has_value());
    EXPECT_EQ(same.lease->ifindex, ifindex(e.w, single));
    EXPECT_EQ(same.lease->queue, 1U);
    EXPECT_FALSE(same.lease->netns_id.has_value());
    EXPECT_EQ(e.w.namespace_at(world::initial_netns()).ids, ids_before);
}

// QL-GET-03, NK-ENV-05 [unconfirmed]: a dump allocates the netns-id the same
// way (the first id of an empty table is 0).
TEST(queue_get_physical, a_dump_allocates_the_netns_id_too) {
    env e(3, 3);
    EXPECT_EQ(e.lease(1), 1U);
    ASSERT_FALSE(e.w.namespace_at(world::initial_netns()).id_of(e.pair.ns).has_value());
    bool found = false;
    for (const auto& q : e.w.queue_dump(root)) {
        if (q.ifindex == e.nic_index() && q.type == queue_type::rx && q.id == 1) {
            ASSERT_TRUE(q.lease.has_value());
            EXPECT_EQ(q.lease->netns_id, std::optional<std::int32_t>{0});
            found = true;
        }
    }
    EXPECT_TRUE(found);
    EXPECT_EQ(e.w.namespace_at(world::initial_netns()).id_of(e.pair.ns), std::optional<std::int32_t>{0});
}

// ------------------------------------------------------- QL-GET-04…07

// QL-GET-04, QL-GET-06, QL-GET-07: a virtual device's queues never carry a
// lease nest — neither the leased queue nor queue 0, from the guest's own
// netns or next to the NIC — and netkit queues have no napi-id.
TEST(queue_get_virtual, virtual_queues_never_carry_a_lease_nest_or_napi_id) {
    env e(3, 3);
    EXPECT_EQ(e.lease(1), 1U);
    for (const std::uint32_t k : {0U, 1U}) {
        const queue_info q = e.get_guest(k);
        EXPECT_EQ(q.id, k);
        EXPECT_EQ(q.ifindex, e.guest());
        EXPECT_FALSE(q.lease.has_value()) << k;
        EXPECT_FALSE(q.napi_id.has_value()) << k;
    }
    EXPECT_FALSE(e.get_guest(0, queue_type::tx).napi_id.has_value());
    const queue_info host = must(e.w.queue_get(root, ifindex(e.w, e.pair.host), 0));
    EXPECT_FALSE(host.lease.has_value());
    EXPECT_FALSE(host.napi_id.has_value());
    // A single device next to the NIC: same.
    const auto single = add_single(e.w, 2);
    ASSERT_TRUE(e.w.open(single).ok());
    ASSERT_TRUE(e.w.queue_create(root, queue_create_request::rx(ifindex(e.w, single), e.nic_index(), 2)).ok());
    const queue_info s = must(e.w.queue_get(root, ifindex(e.w, single), 1));
    EXPECT_FALSE(s.lease.has_value());
    EXPECT_FALSE(s.napi_id.has_value());
}

// QL-GET-05: a leased virtual queue reports the provider and xsk attributes
// of the physical queue (io-uring, dmabuf, xsk); its queue 0 reports its own
// (none).
TEST(queue_get_virtual, a_leased_virtual_queue_reports_the_physical_provider_and_pool) {
    env e(4, 4, softnic_config::hwnic());
    EXPECT_EQ(e.lease(1), 1U);
    EXPECT_EQ(e.lease(2), 2U);
    EXPECT_EQ(e.lease(3), 3U);
    ASSERT_TRUE(e.w.zcrx_register(e.guest_caller, e.guest(), 1).ok());
    const auto binding = must(e.w.bind_rx(e.guest_caller, e.guest(), {2}, 5), "bind_rx");
    ASSERT_TRUE(e.w.xsk_bind(e.guest_caller, e.guest(), 3).ok());
    EXPECT_TRUE(e.get_guest(1).io_uring);
    EXPECT_EQ(e.get_guest(2).dmabuf, std::optional<std::uint32_t>{binding});
    EXPECT_TRUE(e.get_guest(3).xsk);
    const queue_info zero = e.get_guest(0);
    EXPECT_FALSE(zero.io_uring);
    EXPECT_FALSE(zero.dmabuf.has_value());
    EXPECT_FALSE(zero.xsk);
    // The state itself sits on the physical queues (QL-MP-07).
    EXPECT_TRUE(e.get_nic(1).io_uring);
    EXPECT_EQ(e.get_nic(2).dmabuf, std::optional<std::uint32_t>{binding});
    EXPECT_TRUE(e.get_nic(3).xsk);
}

// QL-GET-05 (profile row 17, v7-jan2026): a leased virtual queue reports
// only its own id, type and ifindex.
TEST(queue_get_virtual, v7_jan2026_reports_only_the_virtual_queues_own_attributes) {
    world w(core::profiles::v7_jan2026::traits);
    const auto nic = add_up_nic(w, 3, softnic_config::hwnic());
    enable_data_split(w, nic);
    const auto single = add_single(w, 3);
    ASSERT_TRUE(w.open(single).ok());
    const auto v = ifindex(w, single);
    ASSERT_EQ(must(w.queue_create(root, queue_create_request::rx(v, ifindex(w, nic), 1))), 1U);
    ASSERT_EQ(must(w.queue_create(root, queue_create_request::rx(v, ifindex(w, nic), 2))), 2U);
    ASSERT_TRUE(w.zcrx_register(root, v, 1).ok());
    ASSERT_TRUE(w.xsk_bind(root, v, 2).ok());
    for (const std::uint32_t k : {1U, 2U}) {
        const queue_info q = must(w.queue_get(root, v, k));
        EXPECT_EQ(q.id, k);
        EXPECT_EQ(q.type, queue_type::rx);
        EXPECT_EQ(q.ifindex, v);
        EXPECT_FALSE(q.napi_id.has_value());
        EXPECT_FALSE(q.lease.has_value());
        EXPECT_FALSE(q.io_uring);
        EXPECT_FALSE(q.dmabuf.has_value());
        EXPECT_FALSE(q.xsk);
    }
    EXPECT_TRUE(must(w.queue_get(root, ifindex(w, nic), 1)).io_uring);
    EXPECT_TRUE(must(w.queue_get(root, ifindex(w, nic), 2)).xsk);
}

// QL-GET-07: unleased queues on either side have no lease nest, also after a
// lease has ended.
TEST(queue_get_virtual, unleased_queues_have_no_lease_nest) {
    env e(3, 3);
    for (std::uint32_t i = 0; i < 3; ++i) {
        EXPECT_FALSE(e.get_nic(i).lease.has_value());
    }
    EXPECT_FALSE(e.get_guest(0).lease.has_value());
    EXPECT_EQ(e.lease(1), 1U);
    ASSERT_TRUE(e.w.delete_link(root, delete_request{ifindex(e.w, e.pair.host), std::nullopt, std::nullopt}).ok());
    EXPECT_FALSE(e.get_nic(1).lease.has_value());
}

// ---------------------------------------------------------- QL-NS-01…04

// QL-NS-01: moving the lessee keeps the lease and its virtual queue id;
// queue-get on P reports V's new netns-id, or none once V is in P's netns.
TEST(queue_get_netns, moving_the_lessee_keeps_the_lease_and_updates_the_netns_id) {
    env e(3, 3);
    EXPECT_EQ(e.lease(1), 1U);
    const auto first = e.get_nic(1).lease->netns_id;
    ASSERT_TRUE(first.has_value());
    const auto ns2 = e.w.create_netns("NS2");
    ASSERT_TRUE(e.w.move(e.pair.guest, ns2).ok());
    EXPECT_EQ(e.w.at(e.pair.guest).rxq[1].lease, (queue_ref{e.nic, 1}));
    const queue_info moved = e.get_nic(1);
    ASSERT_TRUE(moved.lease.has_value());
    EXPECT_EQ(moved.lease->queue, 1U);
    EXPECT_EQ(moved.lease->ifindex, ifindex(e.w, e.pair.guest));
    ASSERT_TRUE(moved.lease->netns_id.has_value());
    EXPECT_NE(moved.lease->netns_id, first);
    EXPECT_EQ(e.w.namespace_at(world::initial_netns()).by_id(*moved.lease->netns_id), std::optional{ns2});

    ASSERT_TRUE(e.w.move(e.pair.guest, world::initial_netns()).ok());
    const queue_info home = e.get_nic(1);
    ASSERT_TRUE(home.lease.has_value());
    EXPECT_EQ(home.lease->queue, 1U);
    EXPECT_EQ(home.lease->ifindex, ifindex(e.w, e.pair.guest));
    EXPECT_FALSE(home.lease->netns_id.has_value());
}

// QL-NS-02, QL-PSM-30: moving the lessor keeps the lease; its ifindex may
// change (here it must: its index is taken in the new netns); queue-get from
// the new netns shows the same virtual queue id with a netns-id relative to
// the new netns.
TEST(queue_get_netns, moving_the_lessor_keeps_the_lease_seen_from_its_new_netns) {
    env e(3, 5);
    EXPECT_EQ(e.lease(4), 1U);
    const std::int32_t old_index = e.nic_index();
    const auto ns3 = e.w.create_netns("NS3");
    // Devices with other names in NS3 (ifindex 2, 3, …) up to the NIC's index.
    while (e.w.find(ns3, old_index) == nullptr) {
        ASSERT_TRUE(e.w.new_link(world::root(ns3), requests::netkit_single("s%d")).ok());
    }
    const auto moved = e.w.move(e.nic, ns3);
    ASSERT_TRUE(moved.ok()) << core::to_string(moved.failure());
    EXPECT_NE(e.nic_index(), old_index);
    EXPECT_EQ(e.w.queue_get(root, old_index, 4).code(), errno_code::no_device);
    ASSERT_TRUE(e.w.open(e.nic).ok());
    EXPECT_EQ(e.w.at(e.nic).rxq[4].lease, (queue_ref{e.pair.guest, 1}));
    const auto q = must(e.w.queue_get(world::root(ns3), e.nic_index(), 4));
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->queue, 1U);
    EXPECT_EQ(q.lease->ifindex, e.guest());
    ASSERT_TRUE(q.lease->netns_id.has_value());
    EXPECT_EQ(e.w.namespace_at(ns3).by_id(*q.lease->netns_id), std::optional{e.pair.ns});
}

// QL-NS-03, NK-ENV-08 [unconfirmed]: deleting the lessor's netns returns it
// to the initial netns and the lease survives.
TEST(queue_get_netns, deleting_the_lessors_netns_returns_it_with_its_lease_unconfirmed) {
    world w;
    const auto x = w.create_netns("X");
    const auto nic = add_up_nic(w, 3, softnic_config::nsim(), x);
    auto pair = add_pair(w, 3);  // guest in NS, which knows the initial netns as 0
    ASSERT_TRUE(w.assign_netns_id(pair.ns, x, 5).ok());
    ASSERT_EQ(must(lease_queue(w, world::root(pair.ns), pair.guest, nic, 2, 5)), 1U);
    ASSERT_TRUE(w.delete_netns(x).ok());
    ASSERT_EQ(w.at(nic).netns, world::initial_netns());
    EXPECT_EQ(w.at(nic).state, registration::registered);
    EXPECT_EQ(w.at(nic).rxq[2].lease, (queue_ref{pair.guest, 1}));
    EXPECT_EQ(w.at(pair.guest).rxq[1].lease, (queue_ref{nic, 2}));
    ASSERT_TRUE(w.open(nic).ok());
    const auto q = must(w.queue_get(root, ifindex(w, nic), 2));
    ASSERT_TRUE(q.lease.has_value());
    EXPECT_EQ(q.lease->ifindex, ifindex(w, pair.guest));
    EXPECT_EQ(q.lease->queue, 1U);
    ASSERT_TRUE(q.lease->netns_id.has_value());
    EXPECT_EQ(w.namespace_at(world::initial_netns()).by_id(*q.lease->netns_id), std::optional{pair.ns});
}

// QL-NS-04, QL-LIFE-02, QL-LIFE-05: deleting the lessee's netns deletes V and
// its pair peer, which unleases; another netkit device's lease on the same
// NIC is untouched.
TEST(queue_get_netns, deleting_the_lessees_netns_unleases_only_its_queues) {
    env e(3, 3);
    EXPECT_EQ(e.lease(1), 1U);
    const auto single = add_single(e.w, 2);
    ASSERT_TRUE(e.w.queue_create(root, queue_create_request::rx(ifindex(e.w, single), e.nic_index(), 2)).ok());
    ASSERT_EQ(e.w.at(e.nic).lease_refs, 2U);
    ASSERT_TRUE(e.w.delete_netns(e.pair.ns).ok());
    EXPECT_NE(e.w.at(e.pair.guest).state, registration::registered);
    EXPECT_NE(e.w.at(e.pair.host).state, registration::registered);
    EXPECT_FALSE(e.get_nic(1).lease.has_value());
    EXPECT_EQ(e.w.at(e.nic).lease_refs, 1U);
    const queue_info kept = e.get_nic(2);
    ASSERT_TRUE(kept.lease.has_value());
    EXPECT_EQ(kept.lease->ifindex, ifindex(e.w, single));
    EXPECT_EQ(e.w.at(single).rxq[1].lease, (queue_ref{e.nic, 2}));
}

// ------------------------------------------------------------- QL-INV-09

// Every name a reply gives must resolve from the caller's netns: the queue's
// own device there, and a lease nest's lessee in the caller's netns (no
// netns-id) or in the netns the caller's table names by the netns-id — to a
// virtual device whose queue k leases this very queue back.
void expect_replies_visible(const world& w, core::netns_handle ns, const std::vector<queue_info>& replies) {
    for (const auto& q : replies) {
        const device* d = w.find(ns, q.ifindex);
        ASSERT_NE(d, nullptr) << "reply names ifindex " << q.ifindex << " invisible in the caller's netns";
        if (!q.lease) {
            continue;
        }
        EXPECT_TRUE(d->physical()) << "a lease nest on a virtual device's queue";
        core::netns_handle where = ns;
        if (q.lease->netns_id) {
            const auto named = w.namespace_at(ns).by_id(*q.lease->netns_id);
            ASSERT_TRUE(named.has_value()) << "netns-id unknown to the caller";
            where = *named;
            EXPECT_NE(where, ns);
        }
        const device* v = w.find(where, q.lease->ifindex);
        ASSERT_NE(v, nullptr) << "the lease nest's ifindex does not resolve";
        EXPECT_FALSE(v->physical());
        EXPECT_EQ(v->rxq.at(q.lease->queue).lease, (queue_ref{d->handle, q.id}));
    }
}

// QL-INV-09, QL-GET-03, QL-GET-04: with lessees in the NIC's netns and in
// other netns, and a second NIC in a third netns, no queue-get do or dump
// from any netns names a device the caller cannot reach.
TEST(queue_get_visibility, no_reply_names_a_device_invisible_to_its_caller) {
    env e(3, 4);
    EXPECT_EQ(e.lease(1), 1U);
    EXPECT_EQ(e.lease(2), 2U);
    const auto single = add_single(e.w, 2);
    ASSERT_TRUE(e.w.open(single).ok());
    ASSERT_TRUE(e.w.queue_create(root, queue_create_request::rx(ifindex(e.w, single), e.nic_index(), 3)).ok());
    // A second NIC in NS3, leased to a second guest in NS.
    const auto ns3 = e.w.create_netns("NS3");
    const auto nic3 = add_up_nic(e.w, 2, softnic_config::nsim(), ns3);
    ASSERT_TRUE(e.w.assign_netns_id(e.pair.ns, ns3, 3).ok());
    link_request r = requests::netkit_pair("nq%d", "nq%d", 2);
    const auto second = must(e.w.new_link(root, r), "second pair");
    ASSERT_TRUE(e.w.move(*second.peer, e.pair.ns).ok());
    ASSERT_TRUE(e.w.open(*second.peer).ok());
    ASSERT_TRUE(e.w.open(second.device).ok());
    ASSERT_TRUE(lease_queue(e.w, e.guest_caller, *second.peer, nic3, 0, 3).ok());

    for (const auto ns : {world::initial_netns(), e.pair.ns, ns3}) {
        const caller c = world::root(ns);
        const auto dump = e.w.queue_dump(c);
        EXPECT_FALSE(dump.empty());
        expect_replies_visible(e.w, ns, dump);
        std::vector<queue_info> done;
        for (const auto h : e.w.devices_in(ns)) {
            // Copies: every queue-get commits a new state (it may allocate ids).
            const std::int32_t index = e.w.at(h).ifindex;
            const std::uint32_t real = e.w.at(h).real_rx_queues;
            for (std::uint32_t i = 0; i < real; ++i) {
                done.push_back(must(e.w.queue_get(c, index, i)));
            }
        }
        expect_replies_visible(e.w, ns, done);
        if (ns == e.pair.ns) {
            for (const auto& q : done) {
                EXPECT_FALSE(q.lease.has_value()) << "a guest-side reply names a lessor";
            }
        }
    }
}

}  // namespace
