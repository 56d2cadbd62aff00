// Tests of include/netkit/model/softnic.hpp (with the restart of
// queue_ops.hpp and the open/close/MTU hooks of links.hpp) through the
// world: identity and configuration (softnic.md §1), queues (§2), the
// receive path (§3), ethtool channels (§5), queue restarts and fault
// injection (§6), header-data split and rings (§7), XDP (§8), AF_XDP (§9),
// memory providers and DMA (§10) and transmit (§11). RSS (§4) is in
// rss.cpp. Test names are sentences; comments cite the rules each test
// asserts, and "[unconfirmed]" marks expectations of (unconfirmed) rules.
#include <lease/fixture.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace lease_test;
using softnic::rx_end;

// ----------------------------------------------------------------- helpers

// Runs `operation` on `w`, expects a refusal and that the world is exactly
// as before (a refused operation changes nothing), and returns the error.
template <class Operation>
core::error refused(world& w, Operation&& operation) {
    const world before = w;
    auto outcome = operation(w);
    EXPECT_FALSE(outcome.ok()) << "expected a refusal";
    EXPECT_TRUE(w == before) << "a refused operation changed the world";
    return outcome.ok() ? core::error{} : outcome.failure();
}

links::channel_counts combined_channels(std::uint32_t combined) {
    links::channel_counts counts;
    counts.combined = combined;
    return counts;
}

// The legacy ioctl carries every count (SN-CH-08).
links::channel_counts ioctl_channels(std::uint32_t combined, std::uint32_t rx = 0, std::uint32_t tx = 0,
                                     std::uint32_t other = 0) {
    links::channel_counts counts;
    counts.combined = combined;
    counts.rx = rx;
    counts.tx = tx;
    counts.other = other;
    return counts;
}

softnic::ring_request rings_split(tcp_data_split split) {
    softnic::ring_request r;
    r.data_split = split;
    return r;
}

softnic::ring_request rings_thresh(std::uint32_t thresh) {
    softnic::ring_request r;
    r.hds_thresh = thresh;
    return r;
}

softnic::ring_request rings_rx(std::uint32_t size) {
    softnic::ring_request r;
    r.rx = size;
    return r;
}

// A frame RSS does not hash: it always reaches queue 0 (SN-RSS-04).
frame non_ip(std::size_t payload = 46) {
    return ethernet_frame(broadcast_mac, mac_address{0x02, 0, 0, 0, 0, 9}, 0x88b5, payload);
}

// An IPv4 frame (all-zero addresses, protocol 0: hashed as a 2-tuple).
frame ipv4(std::size_t payload = 46) {
    return ethernet_frame(mac_address{0x02, 0, 0, 0, 0, 1}, mac_address{0x02, 0, 0, 0, 0, 9}, 0x0800, payload);
}

// Steers every IP frame to queue `q` with a user-configured table.
void steer_to(world& w, core::device_handle nic, std::uint32_t q) {
    must_ok(w.set_rss_indirection(nic, std::vector<std::uint32_t>(w.at(nic).nic->config.rss_table_size, q)),
            "set_rss_indirection");
}

core::device_handle up_nic(world& w, std::uint32_t queues, softnic_config config = softnic_config::nsim()) {
    const auto nic = add_nic(w, queues, config);
    must_ok(w.open(nic), "open");
    return nic;
}

// A hwnic with tcp-data-split enabled (SN-HDS-04), so providers can open.
core::device_handle provider_ready_nic(world& w, std::uint32_t queues, bool up = true) {
    const auto nic = add_nic(w, queues, softnic_config::hwnic());
    enable_data_split(w, nic);
    if (up) {
        must_ok(w.open(nic), "open");
    }
    return nic;
}

// A NIC with a DMA device but whose page pools cannot carry providers.
softnic_config dma_without_providers() {
    softnic_config c;
    c.dma_capable = true;
    return c;
}

xdp_program xdp(xdp_verdict verdict, bool multi_buffer = false) { return xdp_program{verdict, multi_buffer}; }

lease::xsk_options xsk(xsk_mode mode) {
    lease::xsk_options o;
    o.mode = mode;
    return o;
}

const rx_queue& rxq(const world& w, core::device_handle h, std::uint32_t q) { return w.at(h).rxq.at(q); }

// ------------------------------------------------------ identity (§1)

// SN-GEN-01: the softnic has a parent bus device: it is physical, lends
// queues, and can never receive one (no queue-create hook, QL-CAN-01).
TEST(softnic_identity, a_softnic_is_physical_lends_queues_and_never_receives_them) {
    world w;
    const auto nic = add_nic(w, 4);
    const auto other = add_nic(w, 4);
    EXPECT_TRUE(w.at(nic).physical());
    EXPECT_TRUE(w.at(nic).has_parent);
    const auto single = add_single(w, 2);
    EXPECT_EQ(must(lease_queue(w, root, single, nic, 1)), 1U);
    const auto e = refused(w, [&](world& x) { return lease_queue(x, root, nic, other, 0); });
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(e.message, "Device is not a virtual device");
}

// SN-GEN-02: one device per port, named from "eth%d", random unicast MACs,
// in the netns it was created for, administratively down.
TEST(softnic_identity, creation_makes_one_down_device_per_port_named_eth_with_a_random_mac) {
    world w;
    const auto ns = w.create_netns("lab");
    const auto ports = must(w.create_softnic(softnic::spec{3, 2, softnic_config::nsim()}, ns));
    ASSERT_EQ(ports.size(), 3U);
    std::set<mac_address> macs;
    for (std::size_t i = 0; i < ports.size(); ++i) {
        const device& d = w.at(ports[i]);
        EXPECT_EQ(d.name, "eth" + std::to_string(i));
        EXPECT_EQ(d.kind, device_kind::softnic);
        EXPECT_EQ(d.netns, ns);
        EXPECT_EQ(w.find(ns, d.ifindex), &d);
        EXPECT_FALSE(d.up);
        EXPECT_FALSE(d.carrier);
        EXPECT_TRUE(is_valid_unicast(d.mac));
        EXPECT_EQ(d.mac_type, mac_assignment::random);
        EXPECT_EQ(d.nic->bus_id, w.at(ports[0]).nic->bus_id);  // one NIC, several ports
        EXPECT_EQ(d.nic->port, i);
        macs.insert(d.mac);
    }
    EXPECT_EQ(macs.size(), 3U);
    EXPECT_EQ(w.find(world::initial_netns(), "eth0"), nullptr);
}

// SN-GEN-02: creation needs at least one port and one queue.
TEST(softnic_identity, creation_needs_a_port_and_a_queue) {
    world w;
    const softnic::spec no_port{0, 1, softnic_config::nsim()};
    const softnic::spec no_queue{1, 0, softnic_config::nsim()};
    for (const auto& spec : {no_port, no_queue}) {
        const auto e = refused(w, [&](world& x) { return x.create_softnic(spec); });
        EXPECT_EQ(e.code, errno_code::invalid);
    }
}

// SN-GEN-02: RTM_NEWLINK cannot create a softnic: EOPNOTSUPP.
TEST(softnic_identity, rtm_newlink_cannot_create_a_softnic) {
    world w;
    link_request r;
    r.message_flags = static_cast<std::uint16_t>(static_cast<std::uint16_t>(uapi::new_flag::create) |
                                                 static_cast<std::uint16_t>(uapi::new_flag::exclusive));
    r.attributes.ifname = "eth7";
    r.linkinfo = link_info{std::string("softnic"), std::nullopt};
    const auto e = refused(w, [&](world& x) { return x.new_link(root, r); });
    EXPECT_EQ(e.code, errno_code::not_supported);
}

// SN-GEN-03: removing the NIC unregisters every port with the physical
// teardown (QL-LIFE-08): providers uninstalled, lessees deleted.
TEST(softnic_identity, removing_the_nic_unregisters_every_port_with_the_physical_teardown) {
    world w;
    const auto ports = must(w.create_softnic(softnic::spec{2, 4, softnic_config::hwnic()}));
    const auto nic = ports[0];
    enable_data_split(w, nic);
    must_ok(w.open(nic));
    const auto single = add_single(w, 2);
    must_ok(w.open(single));
    ASSERT_EQ(must(lease_queue(w, root, single, nic, 2)), 1U);
    const auto area = must(w.zcrx_register(root, ifindex(w, single), 1));
    ASSERT_TRUE(rxq(w, nic, 2).provider.has_value());
    const auto nic_index = ifindex(w, nic);
    const auto single_index = ifindex(w, single);
    const auto port1_index = ifindex(w, ports[1]);

    must_ok(w.remove_softnic(w.at(nic).nic->bus_id));
    EXPECT_EQ(w.find(world::initial_netns(), nic_index), nullptr);
    EXPECT_EQ(w.find(world::initial_netns(), port1_index), nullptr);
    EXPECT_NE(w.at(nic).state, registration::registered);
    EXPECT_NE(w.at(ports[1]).state, registration::registered);
    EXPECT_FALSE(w.at(nic).up);
    EXPECT_FALSE(w.at(nic).rxq[2].provider.has_value());  // uninstalled (QL-LIFE-08 step 2)
    EXPECT_FALSE(w.area(area)->installed);
    EXPECT_EQ(w.find(world::initial_netns(), single_index), nullptr);  // the lessee went too (QL-LIFE-09)
    EXPECT_EQ(w.at(nic).lease_refs, 0U);
    // Nothing left to remove.
    const auto e = refused(w, [&](world& x) { return x.remove_softnic(x.at(nic).nic->bus_id); });
    EXPECT_EQ(e.code, errno_code::no_device);
}

// SN-GEN-03: removing one port leaves the other ports of the NIC.
TEST(softnic_identity, removing_one_port_leaves_the_others) {
    world w;
    const auto ports = must(w.create_softnic(softnic::spec{2, 2, softnic_config::nsim()}));
    must_ok(w.remove_softnic_port(ports[1]));
    EXPECT_NE(w.at(ports[1]).state, registration::registered);
    EXPECT_EQ(w.at(ports[0]).state, registration::registered);
    EXPECT_NE(w.find(world::initial_netns(), "eth0"), nullptr);
    EXPECT_EQ(w.find(world::initial_netns(), "eth1"), nullptr);
    const auto e = refused(w, [&](world& x) { return x.remove_softnic_port(ports[1]); });
    EXPECT_EQ(e.code, errno_code::no_device);
}

// SN-GEN-04: the configuration defaults: ring 256, no provider, DMA or
// AF_XDP zero-copy support, no rx page size, RSS table 128 with the
// Microsoft key, NAPI budget 64.
TEST(softnic_identity, the_configuration_defaults_are_as_specified) {
    const softnic_config c;
    EXPECT_EQ(c.ring_size, 256U);
    EXPECT_FALSE(c.mp_capable);
    EXPECT_FALSE(c.dma_capable);
    EXPECT_FALSE(c.xsk_capable);
    EXPECT_FALSE(c.rx_page_size_supported);
    EXPECT_EQ(c.rss_table_size, 128U);
    EXPECT_EQ(c.napi_budget, 64U);
    world w;
    const auto nic = add_nic(w, 2);
    EXPECT_EQ(w.at(nic).nic->config, c);
    EXPECT_EQ(w.at(nic).nic->key, microsoft_rss_key);
    EXPECT_EQ(w.at(nic).nic->indirection.size(), 128U);
}

// SN-GEN-04: ring size, NAPI budget and table size are per device and
// fixed at creation; the configured values govern the data path.
TEST(softnic_identity, configured_ring_size_budget_and_table_size_govern_the_device) {
    world w;
    softnic_config c;
    c.ring_size = 3;
    c.napi_budget = 2;
    c.rss_table_size = 8;
    const auto nic = up_nic(w, 2, c);
    EXPECT_EQ(w.at(nic).nic->indirection.size(), 8U);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(must(w.inject(nic, non_ip())).end, rx_end::queued);
    }
    EXPECT_EQ(must(w.inject(nic, non_ip())).end, rx_end::dropped_ring_full);
    EXPECT_EQ(must(w.poll(nic, 0)).size(), 2U);
    EXPECT_EQ(must(w.poll(nic, 0)).size(), 1U);
}

// SN-GEN-04: rx_page_size_supported decides whether a provider may ask
// for an rx page size (QL-MP-06).
TEST(softnic_identity, rx_page_size_support_is_a_creation_option) {
    world w;
    const auto nic = provider_ready_nic(w, 2);
    lease::provider_options page_size;
    page_size.rx_page_size = true;
    const auto e = refused(w, [&](world& x) { return x.zcrx_register(root, ifindex(x, nic), 0, 64, page_size); });
    EXPECT_EQ(e.code, errno_code::not_supported);
    EXPECT_EQ(e.message, "device does not support: rx_page_size");

    softnic_config c = softnic_config::hwnic();
    c.rx_page_size_supported = true;
    const auto capable = add_nic(w, 2, c);
    enable_data_split(w, capable);
    must_ok(w.open(capable));
    EXPECT_TRUE(w.zcrx_register(root, ifindex(w, capable), 0, 64, page_size).ok());
}

// SN-GEN-05: preset nsim has no provider, DMA or AF_XDP zero-copy support;
// preset hwnic has all three.
TEST(softnic_identity, the_nsim_and_hwnic_presets) {
    const auto nsim = softnic_config::nsim();
    EXPECT_FALSE(nsim.mp_capable || nsim.dma_capable || nsim.xsk_capable);
    const auto hw = softnic_config::hwnic();
    EXPECT_TRUE(hw.mp_capable && hw.dma_capable && hw.xsk_capable);
    softnic_config rest = hw;
    rest.mp_capable = rest.dma_capable = rest.xsk_capable = false;
    EXPECT_EQ(rest, nsim);  // nothing else differs
}

// SN-GEN-06: an Ethernet device with MTU maximum 65535 and driver name
// "softnic", whose MAC can be changed while it is up.
TEST(softnic_identity, mtu_maximum_driver_name_and_live_mac_change) {
    world w;
    const auto nic = up_nic(w, 1);
    EXPECT_EQ(w.at(nic).max_mtu, 65535U);
    must_ok(w.set_mtu(nic, 65535));
    EXPECT_EQ(w.at(nic).mtu, 65535U);
    const auto e = refused(w, [&](world& x) { return x.set_mtu(nic, 65536); });
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(e.message, "mtu greater than device maximum");
    EXPECT_EQ(must(w.ethtool_driver_name(nic)), "softnic");
    const std::vector<std::uint8_t> mac{0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    must_ok(w.set_mac(nic, mac));
    EXPECT_EQ(w.at(nic).mac, (mac_address{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}));
    EXPECT_TRUE(w.at(nic).up);
}

// SN-GEN-06: xdp_features 17 (BASIC | HW_OFFLOAD) without xsk_capable, 31
// with it (adds REDIRECT | NDO_XMIT | XSK_ZEROCOPY). [unconfirmed]
TEST(softnic_identity, xdp_features_are_17_and_31_with_xsk_capable) {
    world w;
    const auto nsim = add_nic(w, 1);
    const auto hw = add_nic(w, 1, softnic_config::hwnic());
    softnic_config only_xsk;
    only_xsk.xsk_capable = true;
    const auto xsk_only = add_nic(w, 1, only_xsk);
    EXPECT_EQ(static_cast<std::uint32_t>(w.at(nsim).xdp_features), 17U);
    EXPECT_EQ(static_cast<std::uint32_t>(w.at(hw).xdp_features), 31U);
    EXPECT_EQ(static_cast<std::uint32_t>(w.at(xsk_only).xdp_features), 31U);
    EXPECT_EQ(w.at(nsim).xdp_features, uapi::xdp_feature::basic | uapi::xdp_feature::hardware_offload);
    EXPECT_TRUE(uapi::contains(w.at(hw).xdp_features, uapi::af_xdp_feature_set | uapi::xdp_feature::redirect_target));
}

// SN-GEN-07: queue-management operations are present (restarts work, the
// queue can be lent), there is no queue-create hook, the DMA device is
// the parent, and ndo_bpf takes XDP programs even without xsk_capable.
TEST(softnic_identity, queue_operations_and_ndo_bpf_are_present_without_a_queue_create_hook) {
    world w;
    const auto nsim = up_nic(w, 2);
    must_ok(w.queue_reset(nsim, 1, 0));
    must_ok(w.attach_xdp(nsim, xdp(xdp_verdict::pass)));
    const auto e = refused(w, [&](world& x) { return lease_queue(x, root, nsim, nsim, 0); });
    EXPECT_EQ(e.message, "Device is not a virtual device");
    const auto hw = add_nic(w, 2, softnic_config::hwnic());
    EXPECT_EQ(w.dma_device(hw, 0), w.at(hw).nic->bus_id);
    EXPECT_EQ(w.dma_device(hw, 1), w.at(hw).nic->bus_id);
}

// SN-GEN-07 / SN-RST-01: without queue-management operations (the
// model's switch) a restart is EOPNOTSUPP and the queue cannot be lent.
TEST(softnic_identity, without_queue_management_operations_nothing_restarts_or_is_lent) {
    world w;
    softnic_config c;
    c.queue_management = false;
    const auto nic = up_nic(w, 2, c);
    const auto e = refused(w, [&](world& x) { return x.queue_reset(nic, 0, 0); });
    EXPECT_EQ(e.code, errno_code::not_supported);
    const auto single = add_single(w, 2);
    const auto l = refused(w, [&](world& x) { return lease_queue(x, root, single, nic, 0); });
    EXPECT_EQ(l.message, "Lease device does not support queue management operations");
}

// -------------------------------------------------------------- queues (§2)

// SN-Q-01, SN-CH-01: N queues give N allocated and N real RX and TX queues,
// i.e. N combined channels.
TEST(softnic_queues, n_queues_are_n_allocated_and_n_real_in_each_direction) {
    world w;
    const auto nic = add_nic(w, 6);
    const device& d = w.at(nic);
    EXPECT_EQ(d.rx_queues, 6U);
    EXPECT_EQ(d.tx_queues, 6U);
    EXPECT_EQ(d.real_rx_queues, 6U);
    EXPECT_EQ(d.real_tx_queues, 6U);
    EXPECT_EQ(d.rxq.size(), 6U);
    EXPECT_EQ(d.txq.size(), 6U);
    EXPECT_EQ(must(w.ethtool_get_channels(nic)).combined, 6U);
}

// SN-Q-02, SN-RX-01, SN-RX-04: every allocated RX queue has a ring of
// ring_size, active or not: a linked peer can still fill the ring of a
// queue above real rx, but nothing is ever delivered from it.
TEST(softnic_queues, inactive_queues_keep_their_ring_but_never_deliver) {
    world w;
    const auto a = up_nic(w, 4);
    const auto b = up_nic(w, 4);
    must_ok(w.link_softnics(a, b));
    must_ok(w.ethtool_set_channels(b, combined_channels(2)));
    const auto out = must(w.softnic_transmit(a, non_ip(), 3));
    EXPECT_EQ(out.end, rx_end::queued);
    EXPECT_EQ(out.queue, 3U);
    EXPECT_EQ(rxq(w, b, 3).ring.size(), 1U);
    const auto e = refused(w, [&](world& x) { return x.poll(b, 3); });
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(w.at(b).counters.rx_packets, 0U);
}

// SN-Q-02: NAPI instances exist only while the device is up: a poll of a
// down device is refused; queue-get reports napi-ids only when up.
TEST(softnic_queues, napi_instances_exist_only_while_up) {
    world w;
    const auto nic = add_nic(w, 2);
    const auto e = refused(w, [&](world& x) { return x.poll(nic, 0); });
    EXPECT_EQ(e.code, errno_code::network_down);
    must_ok(w.open(nic));
    EXPECT_TRUE(w.poll(nic, 0).ok());
    for (std::uint32_t q = 0; q < 2; ++q) {
        EXPECT_TRUE(must(w.queue_get(root, ifindex(w, nic), q)).napi_id.has_value());
    }
}

// SN-Q-03: an unlinked softnic turns its carrier on at open.
TEST(softnic_queues, opening_an_unlinked_softnic_turns_the_carrier_on) {
    world w;
    const auto nic = add_nic(w, 1);
    EXPECT_FALSE(w.at(nic).carrier);
    must_ok(w.open(nic));
    EXPECT_TRUE(w.at(nic).up);
    EXPECT_TRUE(w.at(nic).carrier);
}

// SN-Q-03, SN-Q-04, SN-TX-02: linked softnics get carrier only when both
// run; closing either takes it from both.
TEST(softnic_queues, linked_softnics_have_carrier_only_while_both_run) {
    world w;
    const auto a = add_nic(w, 1);
    const auto b = add_nic(w, 1);
    must_ok(w.link_softnics(a, b));
    must_ok(w.open(a));
    EXPECT_FALSE(w.at(a).carrier);
    must_ok(w.open(b));
    EXPECT_TRUE(w.at(a).carrier);
    EXPECT_TRUE(w.at(b).carrier);
    w.close_device(b);
    EXPECT_FALSE(w.at(a).carrier);
    EXPECT_FALSE(w.at(b).carrier);
    EXPECT_TRUE(w.at(a).up);
    must_ok(w.open(b));
    EXPECT_TRUE(w.at(a).carrier && w.at(b).carrier);
    w.close_device(a);
    EXPECT_FALSE(w.at(a).carrier || w.at(b).carrier);
}

// SN-Q-04: close turns the carrier off; frames in the rings stay and are
// delivered after the next open.
TEST(softnic_queues, close_keeps_the_frames_in_the_rings) {
    world w;
    const auto nic = up_nic(w, 2);
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(must(w.inject(nic, non_ip())).end, rx_end::queued);
    }
    w.close_device(nic);
    EXPECT_FALSE(w.at(nic).carrier);
    EXPECT_EQ(rxq(w, nic, 0).ring.size(), 3U);
    must_ok(w.open(nic));
    const auto out = must(w.poll(nic, 0));
    ASSERT_EQ(out.size(), 3U);
    EXPECT_EQ(out[0].end, rx_end::stack);
    EXPECT_EQ(w.at(nic).counters.rx_packets, 3U);
}

// SN-Q-05: queue-get on a down softnic is ENOENT.
TEST(softnic_queues, queue_get_on_a_down_softnic_is_enoent) {
    world w;
    const auto nic = add_nic(w, 2);
    const auto e = refused(w, [&](world& x) { return x.queue_get(root, ifindex(x, nic), 0); });
    EXPECT_EQ(e.code, errno_code::no_entry);
}

// SN-Q-05, SN-RST-03: while up every RX queue reports a napi-id of its own,
// the same for a queue index across restarts in every mode. [unconfirmed]
TEST(softnic_queues, napi_ids_are_per_queue_and_stable_across_restarts) {
    world w;
    const auto nic = up_nic(w, 3);
    std::vector<std::uint32_t> ids;
    for (std::uint32_t q = 0; q < 3; ++q) {
        const auto id = must(w.queue_get(root, ifindex(w, nic), q)).napi_id;
        ASSERT_TRUE(id.has_value());
        ids.push_back(*id);
    }
    EXPECT_EQ(std::set<std::uint32_t>(ids.begin(), ids.end()).size(), 3U);
    for (std::uint32_t mode = 0; mode < 4; ++mode) {
        must_ok(w.queue_reset(nic, 1, mode));
        EXPECT_EQ(must(w.queue_get(root, ifindex(w, nic), 1)).napi_id, ids[1]) << "mode " << mode;
    }
    w.close_device(nic);
    must_ok(w.open(nic));
    EXPECT_EQ(must(w.queue_get(root, ifindex(w, nic), 1)).napi_id, ids[1]);
}

// ------------------------------------------------------ receive path (§3)

// SN-RX-01: a frame for a device that is down is dropped and counted in
// the receiver's rx_dropped — from the wire and from a linked peer.
TEST(softnic_receive, frames_for_a_down_device_are_dropped) {
    world w;
    const auto nic = add_nic(w, 2);
    const auto out = must(w.inject(nic, non_ip()));
    EXPECT_EQ(out.end, rx_end::dropped_device_down);
    EXPECT_EQ(w.at(nic).counters.rx_dropped, 1U);
    EXPECT_TRUE(rxq(w, nic, 0).ring.empty());

    const auto sender = up_nic(w, 2);
    must_ok(w.link_softnics(sender, nic));
    EXPECT_EQ(must(w.softnic_transmit(sender, non_ip(), 1)).end, rx_end::dropped_device_down);
    EXPECT_EQ(w.at(nic).counters.rx_dropped, 2U);
    EXPECT_TRUE(rxq(w, nic, 1).ring.empty());
}

// SN-RX-01, SN-TX-02: a frame from a linked peer lands on the receiver's
// queue (sender's TX queue index) mod (receiver's allocated RX count).
TEST(softnic_receive, a_linked_peer_frame_lands_on_tx_queue_mod_allocated_rx) {
    world w;
    const auto a = up_nic(w, 8);
    const auto b = up_nic(w, 3);
    must_ok(w.link_softnics(a, b));
    for (std::uint32_t tx = 0; tx < 8; ++tx) {
        const auto out = must(w.softnic_transmit(a, ipv4(), tx));
        EXPECT_EQ(out.end, rx_end::queued);
        EXPECT_EQ(out.queue, tx % 3);
    }
    EXPECT_EQ(rxq(w, b, 0).ring.size(), 3U);
    EXPECT_EQ(rxq(w, b, 1).ring.size(), 3U);
    EXPECT_EQ(rxq(w, b, 2).ring.size(), 2U);
    EXPECT_EQ(w.at(a).counters.tx_packets, 8U);
    // And back: b's TX queue 2 reaches a's queue 2.
    EXPECT_EQ(must(w.softnic_transmit(b, ipv4(), 2)).queue, 2U);
}

// SN-RX-02: a wire frame arriving at a full ring (ring_size = 256 frames)
// is dropped and counted in the receiver's rx_dropped; the 256th fits.
TEST(softnic_receive, a_full_ring_drops_wire_frames_on_the_receiver) {
    world w;
    const auto nic = up_nic(w, 1);
    for (int i = 0; i < 256; ++i) {
        ASSERT_EQ(must(w.inject(nic, non_ip())).end, rx_end::queued) << i;
    }
    const auto out = must(w.inject(nic, non_ip()));
    EXPECT_EQ(out.end, rx_end::dropped_ring_full);
    EXPECT_EQ(rxq(w, nic, 0).ring.size(), 256U);
    EXPECT_EQ(w.at(nic).counters.rx_dropped, 1U);
}

// SN-RX-02, SN-TX-02: a frame from a linked peer that meets a full ring is
// counted in the sender's tx_dropped.
TEST(softnic_receive, a_full_ring_drops_peer_frames_on_the_sender) {
    world w;
    softnic_config small;
    small.ring_size = 2;
    const auto a = up_nic(w, 1);
    const auto b = up_nic(w, 1, small);
    must_ok(w.link_softnics(a, b));
    EXPECT_EQ(must(w.softnic_transmit(a, non_ip())).end, rx_end::queued);
    EXPECT_EQ(must(w.softnic_transmit(a, non_ip())).end, rx_end::queued);
    EXPECT_EQ(must(w.softnic_transmit(a, non_ip())).end, rx_end::dropped_ring_full);
    EXPECT_EQ(w.at(a).counters.tx_dropped, 1U);
    EXPECT_EQ(w.at(b).counters.rx_dropped, 0U);
    EXPECT_EQ(w.at(a).counters.tx_packets, 2U);
}

// SN-RX-03: a poll takes at most the NAPI budget (64) of frames, oldest
// first; the rest stay for the next poll. rx_packets / rx_bytes count what
// was delivered.
TEST(softnic_receive, a_poll_takes_up_to_the_budget_in_fifo_order) {
    world w;
    const auto nic = up_nic(w, 2);
    std::uint64_t first_64 = 0;
    for (std::size_t i = 0; i < 70; ++i) {
        const frame f = non_ip(46 + i);
        if (i < 64) {
            first_64 += f.length();
        }
        ASSERT_EQ(must(w.inject(nic, f)).end, rx_end::queued);
    }
    const auto first = must(w.poll(nic, 0));
    ASSERT_EQ(first.size(), 64U);
    for (const auto& o : first) {
        EXPECT_EQ(o.end, rx_end::stack);
        EXPECT_EQ(o.queue, 0U);
    }
    EXPECT_EQ(w.at(nic).counters.rx_packets, 64U);
    EXPECT_EQ(w.at(nic).counters.rx_bytes, first_64);
    ASSERT_EQ(rxq(w, nic, 0).ring.size(), 6U);
    EXPECT_EQ(rxq(w, nic, 0).ring.front(), non_ip(46 + 64));  // the oldest left
    EXPECT_EQ(must(w.poll(nic, 0)).size(), 6U);
    EXPECT_EQ(w.at(nic).counters.rx_packets, 70U);
    EXPECT_TRUE(must(w.poll(nic, 0)).empty());
}

// SN-RX-03: an XDP verdict other than PASS consumes the frame and counts it
// as received; PASS hands it to the stack.
TEST(softnic_receive, xdp_verdicts_other_than_pass_consume_the_frame) {
    for (auto verdict : {xdp_verdict::aborted, xdp_verdict::drop, xdp_verdict::tx, xdp_verdict::pass}) {
        world w;
        const auto nic = up_nic(w, 1);
        must_ok(w.attach_xdp(nic, xdp(verdict)));
        const frame f = non_ip(100);
        ASSERT_EQ(must(w.inject(nic, f)).end, rx_end::queued);
        const auto out = must(w.poll(nic, 0));
        ASSERT_EQ(out.size(), 1U);
        EXPECT_EQ(out[0].end, verdict == xdp_verdict::pass ? rx_end::stack : rx_end::xdp_consumed);
        EXPECT_EQ(w.at(nic).counters.rx_packets, 1U);
        EXPECT_EQ(w.at(nic).counters.rx_bytes, f.length());
    }
}

// SN-RX-03, SN-MP-02: without a program, a queue with a memory provider
// hands frames to the provider's consumer; other queues to the stack.
TEST(softnic_receive, a_provider_queue_hands_frames_to_its_consumer) {
    world w;
    const auto nic = provider_ready_nic(w, 2);
    const auto area = must(w.zcrx_register(root, ifindex(w, nic), 1, 4));
    steer_to(w, nic, 1);
    ASSERT_EQ(must(w.inject(nic, ipv4())).queue, 1U);
    ASSERT_EQ(must(w.inject(nic, non_ip())).queue, 0U);
    const auto out = must(w.poll(nic, 1));
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].end, rx_end::zero_copy);
    EXPECT_EQ(out[0].consumer, area);
    EXPECT_EQ(w.area(area)->buffers[out[0].buffer].owner, buffer_owner::kernel);
    EXPECT_EQ(must(w.poll(nic, 0))[0].end, rx_end::stack);
    EXPECT_EQ(w.at(nic).counters.rx_packets, 2U);
}

// SN-RX-03, SN-XSK-03: a redirect to an AF_XDP socket goes to the socket
// bound to the queue (QL-XSK-11); without a socket the frame is dropped.
TEST(softnic_receive, a_redirect_verdict_delivers_to_the_queues_af_xdp_socket) {
    world w;
    const auto nic = up_nic(w, 2);
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::redirect_xsk)));
    const auto socket = must(w.xsk_bind(root, ifindex(w, nic), 1));
    steer_to(w, nic, 1);
    const frame f = ipv4(64);
    ASSERT_EQ(must(w.inject(nic, f)).queue, 1U);
    ASSERT_EQ(must(w.inject(nic, non_ip())).queue, 0U);
    const auto on_1 = must(w.poll(nic, 1));
    ASSERT_EQ(on_1.size(), 1U);
    EXPECT_EQ(on_1[0].end, rx_end::af_xdp);
    EXPECT_EQ(on_1[0].consumer, socket);
    ASSERT_EQ(w.socket(socket)->rx_ring.size(), 1U);
    EXPECT_EQ(w.socket(socket)->rx_ring[0], f);
    const auto on_0 = must(w.poll(nic, 0));
    ASSERT_EQ(on_0.size(), 1U);
    EXPECT_EQ(on_0[0].end, rx_end::dropped_xsk_rejected);
    EXPECT_EQ(w.at(nic).counters.rx_dropped, 1U);
    EXPECT_EQ(w.at(nic).counters.rx_packets, 1U);
}

// SN-RX-04: a poll of a queue at or above real rx is refused.
TEST(softnic_receive, no_queue_at_or_above_real_rx_is_polled) {
    world w;
    const auto nic = up_nic(w, 4);
    must_ok(w.ethtool_set_channels(nic, combined_channels(2)));
    for (std::uint32_t q : {2U, 3U, 4U}) {
        const auto e = refused(w, [&](world& x) { return x.poll(nic, q); });
        EXPECT_EQ(e.code, errno_code::invalid) << q;
    }
}

// ------------------------------------------------------- channels (§5)

// SN-CH-01: max_combined = N, combined = current; rx, tx, other and their
// maxima are 0.
TEST(softnic_channels, get_reports_n_combined_and_nothing_else) {
    world w;
    const auto nic = add_nic(w, 5);
    softnic::channel_info expected;
    expected.max_combined = 5;
    expected.combined = 5;
    EXPECT_EQ(must(w.ethtool_get_channels(nic)), expected);
    must_ok(w.ethtool_set_channels(nic, combined_channels(2)));
    expected.combined = 2;
    EXPECT_EQ(must(w.ethtool_get_channels(nic)), expected);
}

// SN-CH-02: a request that changes no value succeeds and touches nothing,
// even with a lease and a provider on the last queues.
TEST(softnic_channels, a_request_that_changes_nothing_succeeds_without_effect) {
    world w;
    const auto nic = provider_ready_nic(w, 4);
    auto pair = add_pair(w, 2);
    ASSERT_TRUE(lease_to_guest(w, pair, nic, 3).ok());
    must(w.zcrx_register(root, ifindex(w, nic), 2));
    const world before = w;
    must_ok(w.ethtool_set_channels(nic, combined_channels(4)));
    must_ok(w.ethtool_set_channels(nic, links::channel_counts{}));
    must_ok(w.ethtool_set_channels(nic, ioctl_channels(4)));  // all counts given, all equal
    EXPECT_TRUE(w == before);
}

// SN-CH-03: a count above its maximum is EINVAL "requested channel count
// exceeds maximum", bad attribute = that count; rx, tx, other, combined.
TEST(softnic_channels, a_count_above_its_maximum_names_that_count) {
    world w;
    const auto nic = add_nic(w, 4);
    struct case_ {
        links::channel_counts request;
        std::uint16_t attribute;
    };
    links::channel_counts rx, tx, other, combined = combined_channels(5);
    rx.rx = 1;
    tx.tx = 1;
    other.other = 1;
    for (const auto& c : {case_{rx, softnic::ethtool_attr::rx_count}, case_{tx, softnic::ethtool_attr::tx_count},
                          case_{other, softnic::ethtool_attr::other_count},
                          case_{combined, softnic::ethtool_attr::combined_count}}) {
        const auto e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, c.request); });
        EXPECT_EQ(e.code, errno_code::invalid);
        EXPECT_EQ(e.message, "requested channel count exceeds maximum");
        EXPECT_EQ(e.bad_attribute, core::attribute_path{c.attribute});
    }
    // rx is checked before combined.
    links::channel_counts both = combined_channels(9);
    both.rx = 2;
    const auto e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, both); });
    EXPECT_EQ(e.bad_attribute, core::attribute_path{softnic::ethtool_attr::rx_count});
}

// SN-CH-04: combined 0 leaves no RX or TX channel: EINVAL with its
// message, bad attribute = combined (it was given).
TEST(softnic_channels, zero_combined_channels_is_refused) {
    world w;
    const auto nic = add_nic(w, 4);
    for (const auto& request : {combined_channels(0), ioctl_channels(0)}) {
        const auto e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, request); });
        EXPECT_EQ(e.code, errno_code::invalid);
        EXPECT_EQ(e.message, "requested channel counts would result in no RX or TX channel being configured");
        EXPECT_EQ(e.bad_attribute, core::attribute_path{softnic::ethtool_attr::combined_count});
    }
}

// SN-CH-05: a user-configured table whose highest entry m is ≥ the new
// count is EINVAL "…too low for existing indirection table (m)"; a count
// above m is fine. The default table never blocks a shrink.
TEST(softnic_channels, a_user_table_blocks_shrinking_below_its_highest_entry) {
    world w;
    const auto nic = add_nic(w, 4);
    must_ok(w.ethtool_set_channels(nic, combined_channels(1)));  // default table: rebuilt
    must_ok(w.ethtool_set_channels(nic, combined_channels(4)));
    std::vector<std::uint32_t> table(128, 0);
    table[10] = 2;
    must_ok(w.set_rss_indirection(nic, table));
    for (std::uint32_t c : {1U, 2U}) {
        const auto e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, combined_channels(c)); });
        EXPECT_EQ(e.code, errno_code::invalid);
        EXPECT_EQ(e.message, "requested channel counts are too low for existing indirection table (2)");
    }
    must_ok(w.ethtool_set_channels(nic, combined_channels(3)));
    EXPECT_EQ(w.at(nic).real_rx_queues, 3U);
}

// SN-CH-05: with a provider on queue 2 (M = 3) a shrink to fewer than M
// channels is EINVAL "…too low for existing memory provider setting (3)";
// the table check comes first.
TEST(softnic_channels, a_provider_blocks_shrinking_below_its_queue) {
    world w;
    const auto nic = provider_ready_nic(w, 4);
    must(w.zcrx_register(root, ifindex(w, nic), 2));
    for (std::uint32_t c : {1U, 2U}) {
        const auto e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, combined_channels(c)); });
        EXPECT_EQ(e.code, errno_code::invalid);
        EXPECT_EQ(e.message, "requested channel counts are too low for existing memory provider setting (3)");
    }
    std::vector<std::uint32_t> table(128, 3);
    must_ok(w.set_rss_indirection(nic, table));
    const auto e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, combined_channels(2)); });
    EXPECT_EQ(e.message, "requested channel counts are too low for existing indirection table (3)");
}

// SN-CH-05: the provider comparison refuses C = M as well, although such a
// count would keep the provider's queue. [unconfirmed]
TEST(softnic_channels, the_provider_check_also_refuses_a_count_equal_to_m) {
    world w;
    const auto nic = provider_ready_nic(w, 4);
    must(w.zcrx_register(root, ifindex(w, nic), 1));  // M = 2
    const auto e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, combined_channels(2)); });
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(e.message, "requested channel counts are too low for existing memory provider setting (2)");
    must_ok(w.ethtool_set_channels(nic, combined_channels(3)));
    EXPECT_TRUE(rxq(w, nic, 1).provider.has_value());
}

// SN-CH-05, SN-CH-06: a provider installed through a lease reports the
// provider message, not the lease (QL-ETH-01 order).
TEST(softnic_channels, a_provider_through_a_lease_reports_the_provider_check_first) {
    world w;
    const auto nic = provider_ready_nic(w, 4);
    const auto single = add_single(w, 2);
    ASSERT_EQ(must(lease_queue(w, root, single, nic, 3)), 1U);
    must(w.zcrx_register(root, ifindex(w, single), 1));
    const auto e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, combined_channels(3)); });
    EXPECT_EQ(e.message, "requested channel counts are too low for existing memory provider setting (4)");
}

// SN-CH-06: then the busy-queue check (QL-ETH-02): a leased queue or an
// AF_XDP pool in the removed range refuses with queue_busy's message.
TEST(softnic_channels, busy_queues_in_the_removed_range_refuse_a_shrink) {
    world w;
    const auto nic = up_nic(w, 4);
    auto pair = add_pair(w, 2);
    ASSERT_TRUE(lease_to_guest(w, pair, nic, 3).ok());
    auto e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, combined_channels(3)); });
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(e.message, "Device queue in use due to queue leasing");

    must(w.xsk_bind(root, ifindex(w, nic), 2));
    e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, combined_channels(2)); });
    EXPECT_EQ(e.message, "Device queue in use by AF_XDP");
    // Growing, or keeping every busy index, is fine (QL-ETH-04).
    must_ok(w.ethtool_set_channels(nic, combined_channels(4)));
}

// SN-CH-07: real rx = real tx = combined; removed queues become inactive
// and come back on growth; the default table follows (SN-RSS-05).
TEST(softnic_channels, applying_sets_real_rx_and_tx_and_rebuilds_the_default_table) {
    world w;
    const auto nic = up_nic(w, 4);
    must_ok(w.ethtool_set_channels(nic, combined_channels(2)));
    EXPECT_EQ(w.at(nic).real_rx_queues, 2U);
    EXPECT_EQ(w.at(nic).real_tx_queues, 2U);
    EXPECT_EQ(w.at(nic).rx_queues, 4U);
    EXPECT_EQ(w.at(nic).nic->indirection, rss::default_table(128, 2));
    const auto single = add_single(w, 2);
    const auto e = refused(w, [&](world& x) { return lease_queue(x, root, single, nic, 3); });
    EXPECT_EQ(e.code, errno_code::out_of_range);  // inactive (QL-PSM-03)
    const auto g = refused(w, [&](world& x) { return x.queue_get(root, ifindex(x, nic), 3); });
    EXPECT_EQ(g.code, errno_code::invalid);
    must_ok(w.ethtool_set_channels(nic, combined_channels(4)));
    EXPECT_EQ(w.at(nic).real_rx_queues, 4U);
    EXPECT_EQ(w.at(nic).real_tx_queues, 4U);
    EXPECT_EQ(must(lease_queue(w, root, single, nic, 3)), 1U);  // active again (QL-PSM-02)
}

// SN-CH-08: the ioctl path applies the maximum, no-channel, table and
// provider checks without extack (no message, no attribute).
TEST(softnic_channels, the_ioctl_path_refuses_without_extack) {
    world w;
    const auto nic = provider_ready_nic(w, 4);
    const auto ioctl = softnic::channel_path::ioctl;
    for (const auto& request : {ioctl_channels(4, 1, 0, 0), ioctl_channels(4, 0, 1, 0), ioctl_channels(4, 0, 0, 1),
                                ioctl_channels(5), ioctl_channels(0), ioctl_channels(0, 0, 0, 0)}) {
        const auto e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, request, ioctl); });
        EXPECT_EQ(e.code, errno_code::invalid);
        EXPECT_EQ(e.message, "");
        EXPECT_FALSE(e.bad_attribute.has_value());
    }
    std::vector<std::uint32_t> table(128, 0);
    table[0] = 2;
    must_ok(w.set_rss_indirection(nic, table));
    auto e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, ioctl_channels(2), ioctl); });
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(e.message, "");
    must_ok(w.set_rss_indirection(nic, {}));
    must(w.zcrx_register(root, ifindex(w, nic), 1));
    e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, ioctl_channels(1), ioctl); });
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(e.message, "");
}

// SN-CH-08: the ioctl busy check (QL-ETH-03) has no extack either; a
// shrink that passes is applied as SN-CH-07 says.
TEST(softnic_channels, the_ioctl_busy_check_is_silent_and_a_passing_shrink_applies) {
    world w;
    const auto nic = up_nic(w, 4);
    const auto ioctl = softnic::channel_path::ioctl;
    must(w.xsk_bind(root, ifindex(w, nic), 2));
    const auto e = refused(w, [&](world& x) { return x.ethtool_set_channels(nic, ioctl_channels(2), ioctl); });
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(e.message, "");
    EXPECT_FALSE(e.bad_attribute.has_value());
    must_ok(w.ethtool_set_channels(nic, ioctl_channels(3), ioctl));
    EXPECT_EQ(w.at(nic).real_rx_queues, 3U);
    EXPECT_EQ(w.at(nic).real_tx_queues, 3U);
    EXPECT_EQ(w.at(nic).nic->indirection, rss::default_table(128, 3));
}

// --------------------------------------------------------- restart (§6)

// SN-RST-01, SN-RST-02, SN-RST-05: a restart of a running queue swaps its
// memory: the page-pool and NAPI generations move, nothing else does.
TEST(softnic_restart, a_restart_on_a_running_device_swaps_the_queue_memory) {
    world w;
    const auto nic = up_nic(w, 2);
    must_ok(w.queue_reset(nic, 1, 0));
    EXPECT_EQ(rxq(w, nic, 1).page_pool_generation, 1U);
    EXPECT_EQ(rxq(w, nic, 1).napi_generation, 1U);
    EXPECT_EQ(rxq(w, nic, 0).page_pool_generation, 0U);
    EXPECT_TRUE(w.at(nic).nic->lost.empty());
}

// SN-RST-02, SN-RST-05: on a device that is not running nothing is swapped
// and the result is 0.
TEST(softnic_restart, a_restart_on_a_down_device_swaps_nothing) {
    world w;
    const auto nic = add_nic(w, 2);
    const world before = w;
    must_ok(w.queue_reset(nic, 0, 0));
    EXPECT_EQ(rxq(w, nic, 0).page_pool_generation, 0U);
    EXPECT_EQ(rxq(w, nic, 0).napi_generation, 0U);
    EXPECT_TRUE(w == before);
}

// SN-RST-03, SN-RST-05: modes 0, 2 and 3 replace NAPI and page pool, mode 1
// only the page pool; all leave the same observable queue state.
TEST(softnic_restart, modes_0_2_3_replace_the_napi_mode_1_only_the_pool) {
    std::optional<lease::queue_info> first;
    for (std::uint32_t mode = 0; mode < 4; ++mode) {
        world w;
        const auto nic = provider_ready_nic(w, 2);
        const auto area = must(w.zcrx_register(root, ifindex(w, nic), 1));
        const rx_queue start = rxq(w, nic, 1);
        must_ok(w.queue_reset(nic, 1, mode));
        EXPECT_EQ(rxq(w, nic, 1).page_pool_generation, start.page_pool_generation + 1) << mode;
        EXPECT_EQ(rxq(w, nic, 1).napi_generation, start.napi_generation + (mode == 1 ? 0 : 1)) << mode;
        EXPECT_EQ(rxq(w, nic, 1).provider, (provider_params{provider_kind::io_uring, area}));
        const auto info = must(w.queue_get(root, ifindex(w, nic), 1));
        if (!first) {
            first = info;
        }
        EXPECT_EQ(info, *first) << "mode " << mode;
    }
}

// SN-RST-03: mode 1 cannot allocate while the device is down (ENETDOWN);
// a mode above 3 fails in alloc with EINVAL, up or down.
TEST(softnic_restart, mode_1_needs_a_running_device_and_modes_above_3_are_invalid) {
    world w;
    const auto nic = add_nic(w, 2);
    auto e = refused(w, [&](world& x) { return x.queue_reset(nic, 0, 1); });
    EXPECT_EQ(e.code, errno_code::network_down);
    e = refused(w, [&](world& x) { return x.queue_reset(nic, 0, 4); });
    EXPECT_EQ(e.code, errno_code::invalid);
    must_ok(w.open(nic));
    e = refused(w, [&](world& x) { return x.queue_reset(nic, 0, 7); });
    EXPECT_EQ(e.code, errno_code::invalid);
    must_ok(w.queue_reset(nic, 0, 1));
}

// SN-RST-04: queue_reset restarts one RX queue: a queue at or above real rx
// is EINVAL; the mode reverts to 0 afterwards.
TEST(softnic_restart, queue_reset_checks_the_index_and_reverts_the_mode) {
    world w;
    const auto nic = provider_ready_nic(w, 4);
    must_ok(w.ethtool_set_channels(nic, combined_channels(2)));
    for (std::uint32_t q : {2U, 3U, 9U}) {
        const auto e = refused(w, [&](world& x) { return x.queue_reset(nic, q, 0); });
        EXPECT_EQ(e.code, errno_code::invalid) << q;
    }
    must_ok(w.queue_reset(nic, 1, 1));
    EXPECT_EQ(w.at(nic).nic->restart_mode, 0U);
    EXPECT_EQ(rxq(w, nic, 1).napi_generation, 0U);
    // The provider install restarts in mode 0 again: the NAPI is replaced.
    must(w.zcrx_register(root, ifindex(w, nic), 1));
    EXPECT_EQ(rxq(w, nic, 1).napi_generation, 1U);
    EXPECT_EQ(rxq(w, nic, 1).page_pool_generation, 2U);
}

// SN-RST-04, SN-RST-06: the restart's errors are returned by queue_reset;
// an armed fault fails exactly the next call of its operation.
TEST(softnic_restart, each_fault_point_fails_the_next_call_once) {
    for (auto point : {fault_point::mem_alloc, fault_point::queue_stop, fault_point::queue_start}) {
        world w;
        const auto nic = up_nic(w, 2);
        must_ok(w.arm_fault(nic, point, errno_code::out_of_memory));
        const auto first = w.queue_reset(nic, 1, 0);
        ASSERT_FALSE(first.ok()) << static_cast<int>(point);
        EXPECT_EQ(first.failure().code, errno_code::out_of_memory);
        EXPECT_EQ(rxq(w, nic, 1).page_pool_generation, 0U);
        EXPECT_EQ(rxq(w, nic, 1).napi_generation, 0U);
        EXPECT_TRUE(w.at(nic).nic->lost.empty());
        EXPECT_TRUE(w.at(nic).nic->armed_faults.empty()) << "the fault was not consumed";
        must_ok(w.queue_reset(nic, 1, 0), "the call after the fault");
        EXPECT_EQ(rxq(w, nic, 1).page_pool_generation, 1U);
    }
}

// SN-RST-06: the armed errno is the one returned.
TEST(softnic_restart, the_armed_errno_is_returned) {
    world w;
    const auto nic = up_nic(w, 2);
    must_ok(w.arm_fault(nic, fault_point::queue_start, errno_code::busy));
    const auto s = w.queue_reset(nic, 0, 2);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.failure().code, errno_code::busy);
}

// SN-RST-02, SN-RST-06: stop and start are not called on a device that is
// not running, so their faults wait for a running restart; alloc is
// called either way.
TEST(softnic_restart, stop_and_start_faults_wait_for_a_running_device) {
    world w;
    const auto nic = add_nic(w, 2);
    must_ok(w.arm_fault(nic, fault_point::queue_start, errno_code::out_of_memory));
    must_ok(w.queue_reset(nic, 0, 0));
    must_ok(w.open(nic));
    const auto s = w.queue_reset(nic, 0, 0);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.failure().code, errno_code::out_of_memory);

    must_ok(w.arm_fault(nic, fault_point::mem_alloc, errno_code::busy));
    w.close_device(nic);
    const auto down = w.queue_reset(nic, 0, 0);
    ASSERT_FALSE(down.ok());
    EXPECT_EQ(down.failure().code, errno_code::busy);
}

// SN-RST-02: when the new queue does not start, the old memory is started
// again and the error returned; if that fails too, the queue is lost and
// the model records it.
TEST(softnic_restart, a_failed_start_restarts_the_old_memory_or_records_a_lost_queue) {
    world w;
    const auto nic = up_nic(w, 2);
    must_ok(w.arm_fault(nic, fault_point::queue_start, errno_code::out_of_memory, 2));
    const auto s = w.queue_reset(nic, 1, 0);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.failure().code, errno_code::out_of_memory);
    ASSERT_EQ(w.at(nic).nic->lost.size(), 1U);
    EXPECT_EQ(w.at(nic).nic->lost[0], (lost_queue{1, errno_code::out_of_memory}));
    EXPECT_EQ(rxq(w, nic, 1).page_pool_generation, 0U);
}

// SN-RST-02, SN-RST-06, QL-MP-07: a provider install whose restart fails
// returns the error and leaves no provider behind; the fault is used up.
TEST(softnic_restart, a_provider_install_whose_restart_fails_leaves_no_provider) {
    world w;
    const auto nic = provider_ready_nic(w, 2);
    must_ok(w.arm_fault(nic, fault_point::mem_alloc, errno_code::out_of_memory));
    const auto r = w.zcrx_register(root, ifindex(w, nic), 1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.failure().code, errno_code::out_of_memory);
    EXPECT_FALSE(rxq(w, nic, 1).provider.has_value());
    EXPECT_TRUE(w.state().areas.empty());
    // The fault was used up (SN-RST-06): the next install goes through.
    EXPECT_TRUE(w.at(nic).nic->armed_faults.empty());
    EXPECT_TRUE(w.zcrx_register(root, ifindex(w, nic), 1).ok());
    EXPECT_TRUE(rxq(w, nic, 1).provider.has_value());
}

// ------------------------------------------------- rings and HDS (§7)

// SN-HDS-01, SN-HDS-02: initially tcp-data-split is unknown (reported as
// enabled), hds-thresh 0 of 1024, rings 512 of 4096.
TEST(softnic_rings, initial_settings_and_their_report) {
    world w;
    const auto nic = add_nic(w, 1);
    const auto r = must(w.ethtool_get_rings(nic));
    EXPECT_EQ(r.configured, tcp_data_split::unknown);
    EXPECT_EQ(r.data_split, tcp_data_split::enabled);
    EXPECT_EQ(r.hds_thresh, 0U);
    EXPECT_EQ(r.hds_thresh_max, 1024U);
    EXPECT_EQ(r.rx, 512U);
    EXPECT_EQ(r.tx, 512U);
    EXPECT_EQ(r.rx_max, 4096U);
    EXPECT_EQ(r.tx_max, 4096U);
    EXPECT_EQ(static_cast<int>(tcp_data_split::unknown), 0);
    EXPECT_EQ(static_cast<int>(tcp_data_split::disabled), 1);
    EXPECT_EQ(static_cast<int>(tcp_data_split::enabled), 2);
}

// SN-HDS-02, SN-HDS-03: a set starts from the configuration: an unknown
// tcp-data-split stays unknown unless set; a set value is then reported.
TEST(softnic_rings, a_set_starts_from_the_configuration) {
    world w;
    const auto nic = add_nic(w, 1);
    must_ok(w.ethtool_set_rings(nic, rings_rx(1024)));
    auto r = must(w.ethtool_get_rings(nic));
    EXPECT_EQ(r.configured, tcp_data_split::unknown);
    EXPECT_EQ(r.data_split, tcp_data_split::enabled);
    EXPECT_EQ(r.rx, 1024U);
    EXPECT_EQ(r.tx, 512U);
    must_ok(w.ethtool_set_rings(nic, rings_split(tcp_data_split::disabled)));
    r = must(w.ethtool_get_rings(nic));
    EXPECT_EQ(r.configured, tcp_data_split::disabled);
    EXPECT_EQ(r.data_split, tcp_data_split::disabled);
    EXPECT_EQ(r.rx, 1024U);
    must_ok(w.ethtool_set_rings(nic, rings_thresh(1024)));
    EXPECT_EQ(must(w.ethtool_get_rings(nic)).hds_thresh, 1024U);
    must_ok(w.ethtool_set_rings(nic, rings_split(tcp_data_split::enabled)));
    EXPECT_EQ(must(w.ethtool_get_rings(nic)).configured, tcp_data_split::enabled);
}

// SN-HDS-03: a set that modifies nothing succeeds and changes nothing.
TEST(softnic_rings, a_set_that_modifies_nothing_succeeds) {
    world w;
    const auto nic = add_nic(w, 1);
    const world before = w;
    must_ok(w.ethtool_set_rings(nic, softnic::ring_request{}));
    must_ok(w.ethtool_set_rings(nic, rings_rx(512)));
    must_ok(w.ethtool_set_rings(nic, rings_split(tcp_data_split::unknown)));
    EXPECT_TRUE(w == before);
}

// SN-HDS-03: a ring size or hds-thresh above its maximum is EINVAL
// "requested ring size exceeds maximum".
TEST(softnic_rings, sizes_above_their_maximum_are_refused) {
    world w;
    const auto nic = add_nic(w, 1);
    softnic::ring_request tx;
    tx.tx = 4097;
    for (const auto& r : {rings_rx(4097), tx, rings_thresh(1025)}) {
        const auto e = refused(w, [&](world& x) { return x.ethtool_set_rings(nic, r); });
        EXPECT_EQ(e.code, errno_code::invalid);
        EXPECT_EQ(e.message, "requested ring size exceeds maximum");
    }
    must_ok(w.ethtool_set_rings(nic, rings_rx(4096)));
}

// SN-HDS-03: enabling tcp-data-split with a single-buffer XDP program is
// EINVAL, checked before the sizes; a multi-buffer program does not block,
// nor does a single-buffer one when the split is not the result.
TEST(softnic_rings, single_buffer_xdp_blocks_enabling_tcp_data_split) {
    world w;
    const auto nic = add_nic(w, 1);
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::pass)));
    auto r = rings_split(tcp_data_split::enabled);
    r.rx = 9000;
    for (const auto& request : {rings_split(tcp_data_split::enabled), r}) {
        const auto e = refused(w, [&](world& x) { return x.ethtool_set_rings(nic, request); });
        EXPECT_EQ(e.code, errno_code::invalid);
        EXPECT_EQ(e.message, "tcp-data-split can not be enabled with single buffer XDP");
    }
    must_ok(w.ethtool_set_rings(nic, rings_rx(1024)));  // stays unknown: allowed
    must_ok(w.ethtool_set_rings(nic, rings_split(tcp_data_split::disabled)));
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::pass, true)));
    must_ok(w.ethtool_set_rings(nic, rings_split(tcp_data_split::enabled)));
}

// SN-HDS-03: with a memory provider on any queue, tcp-data-split cannot be
// disabled and hds-thresh cannot become non-zero (in that order, before the
// size check); other ring changes are allowed.
TEST(softnic_rings, a_provider_pins_tcp_data_split_and_a_zero_hds_thresh) {
    world w;
    const auto nic = provider_ready_nic(w, 2);
    must(w.zcrx_register(root, ifindex(w, nic), 1));
    auto both = rings_split(tcp_data_split::disabled);
    both.hds_thresh = 64;
    for (const auto& request : {rings_split(tcp_data_split::disabled), rings_split(tcp_data_split::unknown), both}) {
        const auto e = refused(w, [&](world& x) { return x.ethtool_set_rings(nic, request); });
        EXPECT_EQ(e.code, errno_code::invalid);
        EXPECT_EQ(e.message, "can't disable tcp-data-split while device has memory provider enabled");
    }
    for (const auto& request : {rings_thresh(64), rings_thresh(2000)}) {
        const auto e = refused(w, [&](world& x) { return x.ethtool_set_rings(nic, request); });
        EXPECT_EQ(e.code, errno_code::invalid);
        EXPECT_EQ(e.message, "can't set non-zero hds_thresh while device is memory provider enabled");
    }
    const auto e = refused(w, [&](world& x) { return x.ethtool_set_rings(nic, rings_rx(5000)); });
    EXPECT_EQ(e.message, "requested ring size exceeds maximum");
    must_ok(w.ethtool_set_rings(nic, rings_rx(2048)));
    EXPECT_EQ(must(w.ethtool_get_rings(nic)).rx, 2048U);
}

// SN-HDS-04: a fresh softnic reports tcp-data-split enabled, but providers
// need the configuration enabled: it must be set explicitly first.
TEST(softnic_rings, providers_need_tcp_data_split_enabled_explicitly) {
    world w;
    const auto nic = up_nic(w, 2, softnic_config::hwnic());
    ASSERT_EQ(must(w.ethtool_get_rings(nic)).data_split, tcp_data_split::enabled);
    const auto e = refused(w, [&](world& x) { return x.zcrx_register(root, ifindex(x, nic), 0); });
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(e.message, "tcp-data-split is disabled");
    enable_data_split(w, nic);
    EXPECT_TRUE(w.zcrx_register(root, ifindex(w, nic), 0).ok());
}

// ------------------------------------------------------------ XDP (§8)

// SN-XDP-01: a single-buffer program on a device whose configured
// tcp-data-split is enabled is EBUSY; unknown or disabled, or a
// multi-buffer program, is fine.
TEST(softnic_xdp, single_buffer_programs_conflict_with_enabled_tcp_data_split) {
    world w;
    const auto nic = add_nic(w, 2);
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::pass)));  // unknown (reported enabled)
    must_ok(w.attach_xdp(nic, std::nullopt));
    enable_data_split(w, nic);
    const auto e = refused(w, [&](world& x) { return x.attach_xdp(nic, xdp(xdp_verdict::drop)); });
    EXPECT_EQ(e.code, errno_code::busy);
    EXPECT_EQ(e.message, "unable to install XDP to device using tcp-data-split");
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::drop, true)));
    must_ok(w.ethtool_set_rings(nic, rings_split(tcp_data_split::disabled)));
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::drop)));
}

// SN-XDP-01: any provider on the device is EBUSY; the tcp-data-split check
// comes first for a single-buffer program.
TEST(softnic_xdp, a_provider_on_any_queue_refuses_xdp) {
    world w;
    const auto nic = provider_ready_nic(w, 4);
    must(w.zcrx_register(root, ifindex(w, nic), 3));
    auto e = refused(w, [&](world& x) { return x.attach_xdp(nic, xdp(xdp_verdict::pass, true)); });
    EXPECT_EQ(e.code, errno_code::busy);
    EXPECT_EQ(e.message, "unable to install XDP to device using memory provider");
    e = refused(w, [&](world& x) { return x.attach_xdp(nic, xdp(xdp_verdict::pass)); });
    EXPECT_EQ(e.message, "unable to install XDP to device using tcp-data-split");
    must_ok(w.attach_xdp(nic, std::nullopt));  // detaching is always allowed
}

// SN-XDP-01: one program per device: attaching replaces, detaching
// removes (and is allowed with nothing attached).
TEST(softnic_xdp, one_program_per_device_replaced_by_the_next) {
    world w;
    const auto nic = add_nic(w, 1);
    must_ok(w.attach_xdp(nic, std::nullopt));
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::pass)));
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::drop, true)));
    EXPECT_EQ(w.at(nic).nic->xdp, xdp(xdp_verdict::drop, true));
    must_ok(w.attach_xdp(nic, std::nullopt));
    EXPECT_FALSE(w.at(nic).nic->xdp.has_value());
}

// SN-XDP-02: with a single-buffer program the MTU cannot go above 4000
// (EBUSY); a multi-buffer program or none does not limit it.
TEST(softnic_xdp, a_single_buffer_program_caps_the_mtu_at_4000) {
    world w;
    const auto nic = up_nic(w, 1);
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::pass)));
    const auto e = refused(w, [&](world& x) { return x.set_mtu(nic, 4001); });
    EXPECT_EQ(e.code, errno_code::busy);
    must_ok(w.set_mtu(nic, 4000));
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::pass, true)));
    must_ok(w.set_mtu(nic, 9000));
    must_ok(w.attach_xdp(nic, std::nullopt));
    must_ok(w.set_mtu(nic, 65535));
}

// SN-XDP-03: while a program is attached, a provider cannot be opened on
// any queue, directly or through a lease: EEXIST (QL-MP-06).
TEST(softnic_xdp, an_attached_program_refuses_memory_providers) {
    world w;
    const auto nic = provider_ready_nic(w, 4);
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::pass, true)));
    auto e = refused(w, [&](world& x) { return x.zcrx_register(root, ifindex(x, nic), 0); });
    EXPECT_EQ(e.code, errno_code::exists);
    EXPECT_EQ(e.message, "unable to custom memory provider to device with XDP program attached");
    e = refused(w, [&](world& x) { return x.bind_rx(root, ifindex(x, nic), {1, 2}, 5); });
    EXPECT_EQ(e.code, errno_code::exists);
    const auto single = add_single(w, 2);
    ASSERT_EQ(must(lease_queue(w, root, single, nic, 3)), 1U);
    e = refused(w, [&](world& x) { return x.zcrx_register(root, ifindex(x, single), 1); });
    EXPECT_EQ(e.code, errno_code::exists);
    must_ok(w.attach_xdp(nic, std::nullopt));
    EXPECT_TRUE(w.zcrx_register(root, ifindex(w, single), 1).ok());
}

// ---------------------------------------------------------- AF_XDP (§9)

// SN-XSK-01: without xsk_capable, netkit refuses to forward pool setup
// (EOPNOTSUPP) and a forced zero-copy bind on the NIC is EOPNOTSUPP; copy
// mode works, and an unforced zero-copy request falls back to copy.
TEST(softnic_xsk, without_xsk_capable_only_copy_mode_works) {
    world w;
    const auto nic = up_nic(w, 4);
    const auto single = add_single(w, 2);
    ASSERT_EQ(must(lease_queue(w, root, single, nic, 2)), 1U);
    const auto forced = xsk(xsk_mode::zero_copy_forced);
    auto e = refused(w, [&](world& x) { return x.xsk_bind(root, ifindex(x, single), 1, forced); });
    EXPECT_EQ(e.code, errno_code::not_supported);
    e = refused(w, [&](world& x) { return x.xsk_bind(root, ifindex(x, nic), 0, forced); });
    EXPECT_EQ(e.code, errno_code::not_supported);
    EXPECT_EQ(w.xsk_wakeup(nic, 0).code(), std::optional<errno_code>{errno_code::not_supported});
    const auto copy = must(w.xsk_bind(root, ifindex(w, nic), 0));
    EXPECT_FALSE(w.socket(copy)->zero_copy);
    const auto fallback = must(w.xsk_bind(root, ifindex(w, nic), 1, xsk(xsk_mode::zero_copy_or_copy)));
    EXPECT_FALSE(w.socket(fallback)->zero_copy);
    EXPECT_FALSE(rxq(w, nic, 1).zero_copy);
}

// SN-XSK-02: with xsk_capable, pool setup marks queue q zero-copy and
// clearing the pool unmarks it; directly and through a lease.
TEST(softnic_xsk, pool_setup_marks_and_clears_zero_copy_on_the_queue) {
    world w;
    const auto nic = up_nic(w, 4, softnic_config::hwnic());
    const auto direct = must(w.xsk_bind(root, ifindex(w, nic), 1, xsk(xsk_mode::zero_copy_forced)));
    EXPECT_TRUE(w.socket(direct)->zero_copy);
    EXPECT_TRUE(rxq(w, nic, 1).zero_copy);
    must_ok(w.xsk_close(direct));
    EXPECT_FALSE(rxq(w, nic, 1).zero_copy);

    const auto single = add_single(w, 2);
    ASSERT_EQ(must(lease_queue(w, root, single, nic, 3)), 1U);
    const auto leased = must(w.xsk_bind(root, ifindex(w, single), 1, xsk(xsk_mode::zero_copy_forced)));
    EXPECT_TRUE(rxq(w, nic, 3).zero_copy);
    EXPECT_EQ(rxq(w, nic, 3).xsk_pool, leased);
    must_ok(w.xsk_close(leased));
    EXPECT_FALSE(rxq(w, nic, 3).zero_copy);
}

// SN-XSK-02: pool setup and wakeup for q ≥ real rx are EINVAL; wakeup
// below it succeeds.
TEST(softnic_xsk, pool_setup_and_wakeup_refuse_queues_at_or_above_real_rx) {
    world w;
    const auto nic = up_nic(w, 4, softnic_config::hwnic());
    must_ok(w.ethtool_set_channels(nic, combined_channels(2)));
    for (std::uint32_t q : {2U, 3U}) {
        EXPECT_EQ(w.xsk_wakeup(nic, q).code(), std::optional<errno_code>{errno_code::invalid}) << q;
        world_state scratch = w.state();
        const auto setup = lease::detail::pool_setup(scratch, queue_ref{nic, q}, true);
        EXPECT_EQ(setup.code(), std::optional<errno_code>{errno_code::invalid}) << q;
        const auto forced = xsk(xsk_mode::zero_copy_forced);
        const auto e = refused(w, [&](world& x) { return x.xsk_bind(root, ifindex(x, nic), q, forced); });
        EXPECT_EQ(e.code, errno_code::invalid);
    }
    must_ok(w.xsk_wakeup(nic, 0));
    must_ok(w.xsk_wakeup(nic, 1));
}

// SN-XSK-03: a redirect verdict on queue q offers the frame to the socket
// whose pool is at (softnic, q); a socket bound to a leased netkit queue
// accepts it through the lease (QL-XSK-11).
TEST(softnic_xsk, zero_copy_receive_offers_the_frame_as_softnic_queue_q) {
    world w;
    const auto nic = up_nic(w, 4, softnic_config::hwnic());
    const auto single = add_single(w, 2);
    must_ok(w.open(single));
    ASSERT_EQ(must(lease_queue(w, root, single, nic, 2)), 1U);
    const auto socket = must(w.xsk_bind(root, ifindex(w, single), 1, xsk(xsk_mode::zero_copy_forced)));
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::redirect_xsk)));
    steer_to(w, nic, 2);
    ASSERT_EQ(must(w.inject(nic, ipv4(80))).queue, 2U);
    const auto out = must(w.poll(nic, 2));
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].end, rx_end::af_xdp);
    EXPECT_EQ(out[0].consumer, socket);
    EXPECT_EQ(w.socket(socket)->rx_ring.size(), 1U);
    must_ok(w.xsk_receive_check(socket, nic, 2));
    EXPECT_EQ(w.xsk_receive_check(socket, nic, 1).code(), std::optional<errno_code>{errno_code::invalid});
    EXPECT_EQ(w.xsk_receive_check(socket, single, 0).code(), std::optional<errno_code>{errno_code::invalid});
}

// SN-XSK-03: a frame larger than the socket's frame size without
// multi-buffer support is dropped on the socket (QL-XSK-12).
TEST(softnic_xsk, an_oversized_frame_is_dropped_on_the_socket) {
    world w;
    const auto nic = up_nic(w, 2, softnic_config::hwnic());
    lease::xsk_options small = xsk(xsk_mode::zero_copy_forced);
    small.frame_size = 128;
    const auto socket = must(w.xsk_bind(root, ifindex(w, nic), 0, small));
    must_ok(w.attach_xdp(nic, xdp(xdp_verdict::redirect_xsk)));
    ASSERT_EQ(must(w.inject(nic, non_ip(200))).end, rx_end::queued);
    const auto out = must(w.poll(nic, 0));
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].end, rx_end::dropped_xsk_too_large);
    EXPECT_EQ(w.socket(socket)->rx_dropped, 1U);
    EXPECT_TRUE(w.socket(socket)->rx_ring.empty());
}

// ------------------------------------------------ providers and DMA (§10)

// SN-MP-01: without mp_capable no page pool carries a provider: every
// install fails in the restart's binding check with ENODATA, up or down,
// directly, through bind-rx and through a lease.
TEST(softnic_providers, without_mp_capable_every_install_fails_with_enodata) {
    for (bool up : {true, false}) {
        world w;
        const auto nic = add_nic(w, 4, dma_without_providers());
        enable_data_split(w, nic);
        if (up) {
            must_ok(w.open(nic));
        }
        auto e = refused(w, [&](world& x) { return x.zcrx_register(root, ifindex(x, nic), 1); });
        EXPECT_EQ(e.code, errno_code::no_data) << (up ? "up" : "down");
        e = refused(w, [&](world& x) { return x.bind_rx(root, ifindex(x, nic), {0, 1}, 5); });
        EXPECT_EQ(e.code, errno_code::no_data);
        const auto single = add_single(w, 2);
        ASSERT_EQ(must(lease_queue(w, root, single, nic, 3)), 1U);
        e = refused(w, [&](world& x) { return x.zcrx_register(root, ifindex(x, single), 1); });
        EXPECT_EQ(e.code, errno_code::no_data);
    }
}

// SN-MP-02, SN-RST-02, SN-RST-05: with mp_capable an install passes the
// binding check up or down; installed while down (nothing swapped), it
// takes effect at the next open.
TEST(softnic_providers, a_provider_installed_while_down_takes_effect_at_open) {
    world w;
    const auto nic = provider_ready_nic(w, 2, false);
    const auto area = must(w.zcrx_register(root, ifindex(w, nic), 1));
    EXPECT_EQ(rxq(w, nic, 1).provider, (provider_params{provider_kind::io_uring, area}));
    EXPECT_EQ(rxq(w, nic, 1).page_pool_generation, 0U);
    must_ok(w.open(nic));
    EXPECT_TRUE(must(w.queue_get(root, ifindex(w, nic), 1)).io_uring);
    steer_to(w, nic, 1);
    ASSERT_EQ(must(w.inject(nic, ipv4())).queue, 1U);
    const auto out = must(w.poll(nic, 1));
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].end, rx_end::zero_copy);
    EXPECT_EQ(out[0].consumer, area);
}

// SN-MP-02, SN-RST-05: installed while up, the queue is restarted onto a
// page pool carrying the provider.
TEST(softnic_providers, a_provider_installed_while_up_restarts_the_queue) {
    world w;
    const auto nic = provider_ready_nic(w, 2);
    const auto binding = must(w.bind_rx(root, ifindex(w, nic), {0, 1}, 5));
    for (std::uint32_t q = 0; q < 2; ++q) {
        EXPECT_EQ(rxq(w, nic, q).provider, (provider_params{provider_kind::dmabuf, binding}));
        EXPECT_EQ(rxq(w, nic, q).page_pool_generation, 1U);
        EXPECT_EQ(must(w.queue_get(root, ifindex(w, nic), q)).dmabuf, binding);
    }
}

// SN-MP-03, SN-Q-03, SN-Q-04: closing and reopening keeps the provider on
// its queue and frames keep reaching it.
TEST(softnic_providers, a_provider_survives_down_and_up) {
    world w;
    const auto nic = provider_ready_nic(w, 2);
    const auto area = must(w.zcrx_register(root, ifindex(w, nic), 0));
    w.close_device(nic);
    EXPECT_EQ(rxq(w, nic, 0).provider, (provider_params{provider_kind::io_uring, area}));
    EXPECT_EQ(must(w.inject(nic, non_ip())).end, rx_end::dropped_device_down);
    must_ok(w.open(nic));
    EXPECT_EQ(rxq(w, nic, 0).provider, (provider_params{provider_kind::io_uring, area}));
    EXPECT_TRUE(must(w.queue_get(root, ifindex(w, nic), 0)).io_uring);
    ASSERT_EQ(must(w.inject(nic, non_ip())).end, rx_end::queued);
    EXPECT_EQ(must(w.poll(nic, 0))[0].end, rx_end::zero_copy);
}

// SN-DMA-01: with dma_capable every queue's DMA device is the softnic's
// parent, one per softnic (shared by its ports, distinct between NICs).
TEST(softnic_providers, every_queue_of_a_dma_capable_nic_has_the_parent_as_dma_device) {
    world w;
    const auto ports = must(w.create_softnic(softnic::spec{2, 3, softnic_config::hwnic()}));
    const auto other = add_nic(w, 3, softnic_config::hwnic());
    const auto parent = w.at(ports[0]).nic->bus_id;
    for (const auto port : ports) {
        for (std::uint32_t q = 0; q < 3; ++q) {
            EXPECT_EQ(w.dma_device(port, q), parent);
            EXPECT_EQ(w.dma_device(port, q, uapi::queue_type::tx), parent);
        }
    }
    EXPECT_NE(w.dma_device(other, 0), parent);
    EXPECT_TRUE(w.dma_device(other, 0).has_value());
}

// SN-DMA-01: without dma_capable there is no DMA device: io_uring
// zero-copy and devmem binding fail with EOPNOTSUPP (before any provider
// check).
TEST(softnic_providers, without_dma_capable_zero_copy_and_devmem_are_eopnotsupp) {
    world w;
    const auto nic = up_nic(w, 2);
    EXPECT_FALSE(w.dma_device(nic, 0).has_value());
    auto e = refused(w, [&](world& x) { return x.zcrx_register(root, ifindex(x, nic), 0); });
    EXPECT_EQ(e.code, errno_code::not_supported);
    e = refused(w, [&](world& x) { return x.bind_rx(root, ifindex(x, nic), {0}, 5); });
    EXPECT_EQ(e.code, errno_code::not_supported);
    EXPECT_EQ(e.message, "Device doesn't support DMA");
    softnic_config mp_only;
    mp_only.mp_capable = true;
    const auto nodma = up_nic(w, 2, mp_only);
    enable_data_split(w, nodma);
    e = refused(w, [&](world& x) { return x.zcrx_register(root, ifindex(x, nodma), 0); });
    EXPECT_EQ(e.code, errno_code::not_supported);
}

// ------------------------------------------------------- transmit (§11)

// SN-TX-01: an unlinked softnic appends transmitted frames to its wire log
// and counts them in tx_packets / tx_bytes.
TEST(softnic_transmit, an_unlinked_softnic_appends_to_its_wire_log) {
    world w;
    const auto nic = up_nic(w, 2);
    const frame a = non_ip(50);
    const frame b = ipv4(70);
    must(w.softnic_transmit(nic, a));
    must(w.softnic_transmit(nic, b, 1));
    EXPECT_EQ(w.at(nic).nic->wire_log, (std::vector<frame>{a, b}));
    EXPECT_EQ(w.at(nic).counters.tx_packets, 2U);
    EXPECT_EQ(w.at(nic).counters.tx_bytes, std::uint64_t{a.length()} + b.length());
}

// SN-TX-02: a frame transmitted by one linked softnic is received by the
// other (not logged on the wire) and delivered by its poll.
TEST(softnic_transmit, a_linked_peer_receives_what_the_other_transmits) {
    world w;
    const auto a = up_nic(w, 2);
    const auto b = up_nic(w, 2);
    must_ok(w.link_softnics(a, b));
    const frame f = ipv4(90);
    const auto out = must(w.softnic_transmit(a, f, 1));
    EXPECT_EQ(out.end, rx_end::queued);
    EXPECT_TRUE(w.at(a).nic->wire_log.empty());
    EXPECT_EQ(w.at(a).counters.tx_packets, 1U);
    EXPECT_EQ(w.at(a).counters.tx_bytes, f.length());
    ASSERT_EQ(rxq(w, b, 1).ring.size(), 1U);
    EXPECT_EQ(rxq(w, b, 1).ring[0], f);
    EXPECT_EQ(must(w.poll(b, 1))[0].end, rx_end::stack);
    EXPECT_EQ(w.at(b).counters.rx_packets, 1U);
    EXPECT_EQ(w.at(b).counters.rx_bytes, f.length());
}

}  // namespace
