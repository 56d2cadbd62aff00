// Tests of include/netkit/check/invariants.hpp: every invariant of the
// catalogue holds on a reachable world that uses every kind of object (a
// started cross-netns pair with opts programs, netkit and tcx links, a
// single device, a veth pair, a deleted pair with a defunct link), and
// fails — with its own ID — on a copy of that world's state broken by hand
// in exactly the way it forbids. The step invariants get the same
// treatment with pairs of states. The stateful properties that run the
// catalogue over random operation sequences are in stateful.cpp.
#include "check/broken_world.hpp"

#include <netkit/check/invariants.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace netkit;
using namespace netkit::check;
using model::requests::attr;
using uapi::bpf_attach_type;
using uapi::netkit_attr;

const model::caller root = model::world::root();

using check_test::incremental_agrees;
using check_test::reports;

std::int32_t load(model::world& w, uapi::action verdict = uapi::action::pass) {
    return w.load_program(model::bpf::program_spec{"p", model::returns(verdict), nullptr,
                                                   uapi::bpf_program_type::traffic_classifier, false});
}

core::status attach(model::world& w, const model::caller& c, std::int32_t ifindex, bpf_attach_type type,
                    std::int32_t fd) {
    model::bpf::attach_args a;
    a.target_ifindex = ifindex;
    a.type = type;
    a.program_fd = fd;
    return w.prog_attach(c, a);
}

core::status detach(model::world& w, const model::caller& c, std::int32_t ifindex, bpf_attach_type type,
                    std::int32_t fd) {
    model::bpf::detach_args a;
    a.target_ifindex = ifindex;
    a.type = type;
    a.program_fd = fd;
    return w.prog_detach(c, a);
}

std::int32_t link(model::world& w, const model::caller& c, std::int32_t ifindex, bpf_attach_type type,
                  std::int32_t fd) {
    auto r = w.link_create(c, model::bpf::link_create_args{fd, ifindex, type, {}, 0, 0});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : core::to_string(r.failure()));
    return r.ok() ? r.value() : -1;
}

core::link_id link_of(const model::world& w, std::int32_t fd) {
    return core::link_id{w.state().descriptors.at(fd).object};
}

// A world that reaches every kind of object the catalogue talks about.
struct reachable {
    model::world w;
    core::netns_handle pod;
    core::device_handle primary, peer, single, veth_a, veth_b, gone_primary, gone_peer;
    std::int32_t opts_fd = -1;        // a program attached as opts to the primary's netkit point
    std::int32_t peer_link_fd = -1;   // a netkit link on the peer side
    std::int32_t tcx_link_fd = -1;    // a tcx link on the peer (in pod)
    std::int32_t dead_link_fd = -1;   // a link of the deleted pair: defunct

    reachable() {
        pod = w.create_netns("pod");
        auto pair = w.new_link(root, model::requests::create_netkit("nk1", {attr(netkit_attr::mode, 0)}));
        EXPECT_TRUE(pair.ok());
        primary = pair.value().device;
        peer = *pair.value().peer;
        EXPECT_TRUE(w.move(peer, pod).ok());
        EXPECT_TRUE(w.open(primary).ok());
        EXPECT_TRUE(w.open(peer).ok());

        auto one = w.new_link(root, model::requests::create_netkit(
                                        "nks", {attr(netkit_attr::mode, 1), attr(netkit_attr::pairing, 1)}));
        EXPECT_TRUE(one.ok());
        single = one.value().device;

        model::link_request veth;
        veth.message_flags = static_cast<std::uint16_t>(uapi::new_flag::create) |
                             static_cast<std::uint16_t>(uapi::new_flag::exclusive);
        veth.linkinfo = model::link_info{std::string(uapi::veth_link_kind), std::nullopt};
        auto v = w.new_link(root, veth);
        EXPECT_TRUE(v.ok());
        veth_a = v.value().device;
        veth_b = *v.value().peer;

        const std::int32_t p = w.at(primary).ifindex;
        opts_fd = load(w, uapi::action::next);
        EXPECT_TRUE(attach(w, root, p, bpf_attach_type::netkit_primary, opts_fd).ok());
        peer_link_fd = link(w, root, p, bpf_attach_type::netkit_peer, load(w));
        tcx_link_fd = link(w, model::world::root(pod), w.at(peer).ifindex, bpf_attach_type::tcx_ingress, load(w));

        auto gone = w.new_link(root, model::requests::create_netkit("nkg", {}));
        EXPECT_TRUE(gone.ok());
        gone_primary = gone.value().device;
        gone_peer = *gone.value().peer;
        dead_link_fd = link(w, root, w.at(gone_primary).ifindex, bpf_attach_type::netkit_primary, load(w));
        model::delete_request del;
        del.index = w.at(gone_primary).ifindex;
        EXPECT_TRUE(w.delete_link(root, del).ok());

        (void)w.transmit(primary, model::ethernet_frame(w.at(peer).mac, w.at(primary).mac, 0x0800));
    }

    model::world_state copy() const { return w.state(); }
};

// ------------------------------------------------------------- catalogue

TEST(invariant_catalogue, lists_each_invariant_once_with_the_rules_it_follows_from) {
    for (std::size_t i = 0; i < std::size(catalogue); ++i) {
        EXPECT_EQ(catalogue[i].id.rfind("INV-", 0), 0U) << catalogue[i].id;
        EXPECT_FALSE(catalogue[i].rules.empty()) << catalogue[i].id;
        EXPECT_FALSE(catalogue[i].statement.empty()) << catalogue[i].id;
        for (std::size_t j = 0; j < i; ++j) {
            EXPECT_NE(catalogue[i].id, catalogue[j].id);
        }
    }
}

TEST(invariant_catalogue, holds_on_a_reachable_world_with_pairs_links_singles_veths_and_a_deleted_pair) {
    reachable r;
    ASSERT_TRUE(r.w.state().links.at(link_of(r.w, r.dead_link_fd)).defunct());  // MP-61
    ASSERT_EQ(r.w.at(r.primary).counters.tx_packets, 1U);
    EXPECT_TRUE(check_world(r.w).empty()) << to_string(check_world(r.w));
    for (const auto& inv : catalogue) {
        EXPECT_TRUE(inv.check(r.w.state()).empty()) << inv.id;
    }
    EXPECT_TRUE(check_world(model::world{}).empty());
}

// ---------------------------------------------------------------- devices

// NK-PAIR-15
TEST(invariant_nk_01, a_peer_that_does_not_name_the_device_back_is_reported_NK_PAIR_15) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.peer).netkit->peer = r.single;
    EXPECT_TRUE(reports(netkit_peer_symmetry(s), "INV-NK-01"));
    EXPECT_TRUE(reports(check_world(s), "INV-NK-01"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-DEL-01
TEST(invariant_nk_01, a_deleted_device_that_keeps_its_peer_is_reported_NK_DEL_01) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.gone_primary).netkit->peer = r.gone_peer;
    s.devices.at(r.gone_peer).netkit->peer = r.gone_primary;
    EXPECT_TRUE(reports(netkit_peer_symmetry(s), "INV-NK-01"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-ENV-07
TEST(invariant_nk_02, a_veth_peer_that_does_not_name_the_device_back_is_reported_NK_ENV_07) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.veth_a).veth_peer = r.primary;
    EXPECT_TRUE(reports(veth_peer_symmetry(s), "INV-NK-02"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-STATE-04
TEST(invariant_nk_03, a_pair_with_two_primaries_is_reported_NK_STATE_04) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.peer).netkit->primary = true;
    EXPECT_TRUE(reports(one_primary_per_pair(s), "INV-NK-03"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-SGL-01
TEST(invariant_nk_03, a_single_device_that_is_not_primary_is_reported_NK_SGL_01) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.single).netkit->primary = false;
    EXPECT_TRUE(reports(one_primary_per_pair(s), "INV-NK-03"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-OPEN-04
TEST(invariant_nk_04, carrier_with_the_peer_down_is_reported_NK_OPEN_04) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.peer).up = false;  // the primary keeps its carrier
    EXPECT_TRUE(reports(carrier_follows_up(s), "INV-NK-04"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-OPEN-01
TEST(invariant_nk_04, a_single_device_up_without_carrier_is_reported_NK_OPEN_01) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.single).up = true;
    EXPECT_TRUE(reports(carrier_follows_up(s), "INV-NK-04"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-DEL-01
TEST(invariant_nk_04, a_deleted_device_that_is_still_up_is_reported_NK_DEL_01) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.gone_peer).up = true;
    EXPECT_TRUE(reports(carrier_follows_up(s), "INV-NK-04"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-STATE-03
TEST(invariant_nk_05, ends_of_a_pair_with_different_modes_are_reported_NK_STATE_03) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.peer).netkit->mode = uapi::mode::l3;
    EXPECT_TRUE(reports(mode_and_pairing_shared(s), "INV-NK-05"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-DRV-08
TEST(invariant_nk_06, an_l3_device_with_a_mac_address_is_reported_NK_DRV_08) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.single).mac = model::mac_address{0x02, 0, 0, 0, 0, 1};
    EXPECT_TRUE(reports(l3_has_no_address(s), "INV-NK-06"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-PAIR-04
TEST(invariant_nk_07, pair_ends_needing_different_tailrooms_are_reported_NK_PAIR_04) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.peer).needed_tailroom = 8;
    EXPECT_TRUE(reports(headroom_shared(s), "INV-NK-07"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-RT-05
TEST(invariant_nk_07, a_needed_headroom_below_the_larger_request_is_reported_NK_RT_05) {
    reachable r;
    r.w.set_rx_headroom(r.peer, 96);
    ASSERT_TRUE(headroom_shared(r.w.state()).empty());
    ASSERT_EQ(r.w.at(r.primary).needed_headroom, 96U);
    auto s = r.copy();
    s.devices.at(r.primary).needed_headroom = 0;  // as if only its own request (0) counted
    EXPECT_TRUE(reports(headroom_shared(s), "INV-NK-07"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// SN-TX-02
TEST(invariant_nk_08, a_nic_port_linked_to_a_port_that_is_not_linked_back_is_reported_SN_TX_02) {
    model::world w;
    const auto ports = w.create_softnic(model::softnic::spec{2, 1, model::softnic_config::nsim()});
    ASSERT_TRUE(ports.ok());
    const core::device_handle a = ports.value()[0];
    const core::device_handle b = ports.value()[1];
    ASSERT_TRUE(w.link_softnics(a, b).ok());
    ASSERT_TRUE(w.open(a).ok());
    ASSERT_TRUE(w.open(b).ok());
    EXPECT_TRUE(w.at(a).carrier);  // SN-Q-03: both ends up
    EXPECT_TRUE(check_world(w).empty()) << to_string(check_world(w));
    auto s = w.state();
    s.devices.at(b).nic->linked_peer.reset();
    EXPECT_TRUE(reports(linked_ports_symmetry(s), "INV-NK-08"));
    EXPECT_TRUE(reports(check_world(s), "INV-NK-08"));
    EXPECT_TRUE(incremental_agrees(w.state(), s));
}

// -------------------------------------------------------------------- BPF

// MP-04, MP-24
TEST(invariant_mp_01, more_than_63_slots_or_a_program_twice_is_reported_MP_04_MP_24) {
    // attach_point's commit refuses such arrays (it aborts), so no world
    // can hold one; the slot check is tested on plain arrays.
    std::vector<model::mprog::slot> slots;
    for (std::uint32_t i = 1; i <= model::mprog::capacity; ++i) {
        slots.push_back({core::program_id{i}, core::link_id{0}});
    }
    EXPECT_TRUE(slot_array_violations("full", slots).empty());
    slots.push_back({core::program_id{100}, core::link_id{0}});
    EXPECT_TRUE(reports(slot_array_violations("over", slots), "INV-MP-01"));
    const std::vector<model::mprog::slot> twice{{core::program_id{1}, core::link_id{0}},
                                               {core::program_id{1}, core::link_id{0}}};
    EXPECT_TRUE(reports(slot_array_violations("twice", twice), "INV-MP-01"));
    const std::vector<model::mprog::slot> one_link{{core::program_id{1}, core::link_id{5}},
                                                  {core::program_id{2}, core::link_id{5}}};
    EXPECT_TRUE(reports(slot_array_violations("one link", one_link), "INV-MP-01"));
    reachable r;
    EXPECT_TRUE(attach_point_capacity(r.w.state()).empty());
}

// MP-46
TEST(invariant_mp_02, a_slot_holding_a_freed_program_is_reported_MP_46) {
    reachable r;
    auto s = r.copy();
    s.programs.erase(r.w.program_at(r.opts_fd)->id);
    EXPECT_TRUE(reports(slots_hold_live_programs(s), "INV-MP-02"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// MP-61
TEST(invariant_mp_03, a_live_link_on_a_deleted_device_is_reported_MP_61) {
    reachable r;
    auto s = r.copy();
    s.links.at(link_of(r.w, r.dead_link_fd)).device = r.gone_primary;
    EXPECT_TRUE(reports(links_on_registered_devices(s), "INV-MP-03"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-DEL-04
TEST(invariant_mp_03, programs_left_on_a_deleted_device_are_reported_NK_DEL_04) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.gone_primary).netkit->bundle = s.devices.at(r.primary).netkit->bundle;
    EXPECT_TRUE(reports(links_on_registered_devices(s), "INV-MP-03"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// MP-59
TEST(invariant_mp_04, a_slot_of_a_released_link_is_reported_MP_59) {
    reachable r;
    auto s = r.copy();
    s.links.erase(link_of(r.w, r.peer_link_fd));
    EXPECT_TRUE(reports(link_slots_point_back(s), "INV-MP-04"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// MP-55
TEST(invariant_mp_04, a_link_that_names_another_device_than_its_slot_is_reported_MP_55) {
    reachable r;
    auto s = r.copy();
    s.links.at(link_of(r.w, r.peer_link_fd)).device = r.primary;  // its slot is on the peer (MP-13)
    EXPECT_TRUE(reports(link_slots_point_back(s), "INV-MP-04"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// MP-57
TEST(invariant_mp_04, a_link_holding_another_program_than_its_slot_is_reported_MP_57) {
    reachable r;
    auto s = r.copy();
    s.links.at(link_of(r.w, r.tcx_link_fd)).program = r.w.program_at(r.opts_fd)->id;
    EXPECT_TRUE(reports(link_slots_point_back(s), "INV-MP-04"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// MP-46
TEST(invariant_mp_05, a_reference_count_off_by_one_is_reported_MP_46) {
    reachable r;
    auto s = r.copy();
    s.programs.at(r.w.program_at(r.opts_fd)->id).references += 1;
    EXPECT_TRUE(reports(program_reference_counts(s), "INV-MP-05"));
    auto t = r.copy();
    t.programs.at(r.w.program_at(r.opts_fd)->id).references -= 1;  // the opts slot's reference lost
    EXPECT_TRUE(reports(program_reference_counts(t), "INV-MP-05"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// MP-59
TEST(invariant_mp_06, a_link_descriptor_count_that_disagrees_is_reported_MP_59) {
    reachable r;
    auto s = r.copy();
    s.links.at(link_of(r.w, r.tcx_link_fd)).descriptors = 2;
    EXPECT_TRUE(reports(descriptors_name_live_objects(s), "INV-MP-06"));
    auto t = r.copy();
    t.descriptors.emplace(99, model::descriptor{model::descriptor_kind::link, 999});
    EXPECT_TRUE(reports(descriptors_name_live_objects(t), "INV-MP-06"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// MP-05
TEST(invariant_mp_07, an_id_at_or_above_its_allocator_is_reported_MP_05) {
    reachable r;
    auto s = r.copy();
    s.next_program = 1;
    EXPECT_TRUE(reports(ids_below_counters(s), "INV-MP-07"));
    auto t = r.copy();
    t.next_device = r.gone_peer.value();
    EXPECT_TRUE(reports(ids_below_counters(t), "INV-MP-07"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// ------------------------------------------------------------- namespaces

// NK-ENV-04
TEST(invariant_ns_01, a_name_map_entry_that_disagrees_with_the_device_is_reported_NK_ENV_04) {
    reachable r;
    auto s = r.copy();
    auto& init = s.namespaces.at(model::world::initial_netns());
    init.by_name.erase("nk1");
    init.by_name.emplace("nkx", r.primary);
    EXPECT_TRUE(reports(netns_maps_match_devices(s), "INV-NS-01"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-ENV-03
TEST(invariant_ns_01, a_device_whose_ifindex_moved_without_its_map_is_reported_NK_ENV_03) {
    reachable r;
    auto s = r.copy();
    s.devices.at(r.primary).ifindex = 42;
    EXPECT_TRUE(reports(netns_maps_match_devices(s), "INV-NS-01"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-ENV-09
TEST(invariant_ns_02, a_registered_device_missing_from_its_netns_is_reported_NK_ENV_09) {
    reachable r;
    auto s = r.copy();
    auto& pod = s.namespaces.at(r.pod);
    const auto& peer = s.devices.at(r.peer);
    pod.by_index.erase(peer.ifindex);
    pod.by_name.erase(peer.name);
    EXPECT_TRUE(reports(devices_listed_once(s), "INV-NS-02"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-ENV-09
TEST(invariant_ns_02, a_device_listed_in_two_namespaces_is_reported_NK_ENV_09) {
    reachable r;
    auto s = r.copy();
    auto& init = s.namespaces.at(model::world::initial_netns());
    init.by_index.emplace(77, r.peer);
    init.by_name.emplace("ghost", r.peer);
    EXPECT_TRUE(reports(devices_listed_once(s), "INV-NS-02"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NK-ENV-02
TEST(invariant_ns_03, a_netns_without_lo_is_reported_NK_ENV_02) {
    reachable r;
    auto s = r.copy();
    auto& pod = s.namespaces.at(r.pod);
    pod.by_index.erase(1);
    pod.by_name.erase("lo");
    EXPECT_TRUE(reports(every_netns_has_loopback(s), "INV-NS-03"));
    EXPECT_TRUE(incremental_agrees(r.w.state(), s));
}

// NL-RT-10: lo may be renamed; it stays the netns' loopback at ifindex 1.
TEST(invariant_ns_03, a_renamed_loopback_is_still_the_netns_loopback_NL_RT_10) {
    reachable r;
    model::link_request rename;
    rename.header.index = 1;
    rename.attributes.ifname = "lo0";
    ASSERT_TRUE(r.w.set_link(root, rename).ok());
    EXPECT_EQ(r.w.find(model::world::initial_netns(), "lo0")->ifindex, 1);
    EXPECT_TRUE(check_world(r.w).empty()) << to_string(check_world(r.w));
}

// ------------------------------------------------------------------ steps

// A pair whose primary has two loaded programs, nothing attached.
struct bpf_pair {
    model::world w;
    core::device_handle primary, peer;
    std::int32_t p = 0, q = 0, ifindex = 0;

    bpf_pair() {
        auto out = w.new_link(root, model::requests::create_netkit("nk1", {attr(netkit_attr::mode, 0)}));
        EXPECT_TRUE(out.ok());
        primary = out.value().device;
        peer = *out.value().peer;
        ifindex = w.at(primary).ifindex;
        p = load(w);
        q = load(w);
    }
};

// MP-20
TEST(invariant_st_01, a_refusal_or_skip_that_changed_the_world_is_reported_MP_20) {
    bpf_pair b;
    const auto before = b.w.state();
    ASSERT_TRUE(b.w.set_mtu(b.primary, 9000).ok());
    const operation op = set_mtu{};
    const auto refused = outcome::refused(core::fail(core::errno_code::invalid));
    EXPECT_TRUE(reports(refusals_change_nothing(before, b.w.state(), op, refused), "INV-ST-01"));
    EXPECT_TRUE(reports(refusals_change_nothing(before, b.w.state(), op, outcome::skipped()), "INV-ST-01"));
    EXPECT_TRUE(reports(refusals_change_nothing(before, b.w.state(), prog_query{}, outcome::applied()), "INV-ST-01"));
    // NK-CHG-06: a partly applied refusal may change the world.
    const auto partly = outcome::refused(core::fail(core::errno_code::invalid).after_partial_change());
    EXPECT_TRUE(refusals_change_nothing(before, b.w.state(), op, partly).empty());
    EXPECT_TRUE(refusals_change_nothing(before, before, op, refused).empty());
}

// MP-03
TEST(invariant_st_02, a_netkit_revision_that_goes_back_is_reported_MP_03) {
    bpf_pair b;
    ASSERT_TRUE(attach(b.w, root, b.ifindex, bpf_attach_type::netkit_primary, b.p).ok());
    const auto attached = b.w.state();  // revision 2
    ASSERT_TRUE(detach(b.w, root, b.ifindex, bpf_attach_type::netkit_primary, b.p).ok());
    const auto emptied = b.w.state();  // revision 3, empty (MP-53)
    EXPECT_TRUE(revisions_only_grow(attached, emptied, prog_detach{}).empty());
    EXPECT_TRUE(reports(revisions_only_grow(emptied, attached, prog_attach{}), "INV-ST-02"));
}

// MP-53
TEST(invariant_st_02, a_tcx_revision_back_to_1_only_when_empty_passes_and_otherwise_is_reported_MP_53) {
    bpf_pair b;
    ASSERT_TRUE(attach(b.w, root, b.ifindex, bpf_attach_type::tcx_ingress, b.p).ok());
    const auto one = b.w.state();  // tcx revision 2
    ASSERT_TRUE(attach(b.w, root, b.ifindex, bpf_attach_type::tcx_ingress, b.q).ok());
    const auto two = b.w.state();  // tcx revision 3
    EXPECT_TRUE(reports(revisions_only_grow(two, one, prog_detach{}), "INV-ST-02"));
    ASSERT_TRUE(detach(b.w, root, b.ifindex, bpf_attach_type::tcx_ingress, b.q).ok());
    const auto back_to_one = b.w.state();
    ASSERT_TRUE(detach(b.w, root, b.ifindex, bpf_attach_type::tcx_ingress, b.p).ok());
    ASSERT_EQ(b.w.at(b.primary).tcx_ingress.revision(), 1U);  // released and restarted
    EXPECT_TRUE(revisions_only_grow(back_to_one, b.w.state(), prog_detach{}).empty());
}

// MP-52
TEST(invariant_st_03, slots_that_change_without_the_revision_are_reported_MP_52) {
    bpf_pair with_p;
    bpf_pair with_q;
    ASSERT_TRUE(attach(with_p.w, root, with_p.ifindex, bpf_attach_type::netkit_primary, with_p.p).ok());
    ASSERT_TRUE(attach(with_q.w, root, with_q.ifindex, bpf_attach_type::netkit_primary, with_q.q).ok());
    EXPECT_TRUE(reports(revisions_only_grow(with_p.w.state(), with_q.w.state(), prog_attach{}), "INV-ST-03"));
}

// MP-52
TEST(invariant_st_03, a_revision_moved_by_a_non_bpf_operation_or_by_more_than_one_is_reported_MP_52) {
    bpf_pair b;
    const auto before = b.w.state();
    ASSERT_TRUE(attach(b.w, root, b.ifindex, bpf_attach_type::netkit_primary, b.p).ok());
    const auto once = b.w.state();
    EXPECT_TRUE(revisions_only_grow(before, once, prog_attach{}).empty());
    EXPECT_TRUE(reports(revisions_only_grow(before, once, set_up{}), "INV-ST-03"));
    ASSERT_TRUE(attach(b.w, root, b.ifindex, bpf_attach_type::netkit_primary, b.q).ok());
    EXPECT_TRUE(reports(revisions_only_grow(before, b.w.state(), prog_attach{}), "INV-ST-03"));
}

// MP-52
TEST(invariant_st_03, one_bpf_operation_that_moved_two_attach_points_is_reported_MP_52) {
    bpf_pair b;
    const auto before = b.w.state();
    ASSERT_TRUE(attach(b.w, root, b.ifindex, bpf_attach_type::netkit_primary, b.p).ok());
    ASSERT_TRUE(attach(b.w, root, b.ifindex, bpf_attach_type::netkit_peer, b.q).ok());
    EXPECT_TRUE(reports(revisions_only_grow(before, b.w.state(), prog_attach{}), "INV-ST-03"));
}

// NK-XMIT-17
TEST(invariant_st_04, a_transmit_that_counts_two_frames_at_the_sender_is_reported_NK_XMIT_17) {
    bpf_pair b;
    ASSERT_TRUE(b.w.open(b.primary).ok());
    ASSERT_TRUE(b.w.open(b.peer).ok());
    const auto before = b.w.state();
    model::world one = b.w;
    auto frame = [&] { return model::ethernet_frame(b.w.at(b.peer).mac, b.w.at(b.primary).mac, 0x0800); };
    outcome sent = outcome::applied();
    sent.transmitted = transmit_record{b.primary, 60, one.transmit(b.primary, frame())};
    EXPECT_TRUE(transmit_conserves_frames(before, one.state(), sent).empty());
    (void)one.transmit(b.primary, frame());
    EXPECT_TRUE(reports(transmit_conserves_frames(before, one.state(), sent), "INV-ST-04"));
}

// NK-XMIT-13
TEST(invariant_st_04, a_dropped_frame_counted_as_sent_is_reported_NK_XMIT_13) {
    bpf_pair b;  // both ends down: the frame is dropped (NK-XMIT-02)
    const auto before = b.w.state();
    model::world after = b.w;
    outcome dropped = outcome::applied();
    dropped.transmitted = transmit_record{
        b.primary, 60, after.transmit(b.primary, model::ethernet_frame(model::broadcast_mac, model::zero_mac, 0x0800))};
    ASSERT_EQ(dropped.transmitted->result.status, model::transmit_status::dropped);
    EXPECT_TRUE(transmit_conserves_frames(before, after.state(), dropped).empty());
    auto s = after.state();
    s.devices.at(b.primary).counters.tx_dropped -= 1;
    s.devices.at(b.primary).counters.tx_packets += 1;
    EXPECT_TRUE(reports(transmit_conserves_frames(before, s, dropped), "INV-ST-04"));
}

// NK-XMIT-17
TEST(invariant_st_05, counters_that_go_down_or_move_without_a_transmit_are_reported_NK_XMIT_17) {
    bpf_pair b;
    const auto before = b.w.state();
    (void)b.w.transmit(b.primary, model::ethernet_frame(model::broadcast_mac, model::zero_mac, 0x0800));
    const auto after = b.w.state();
    EXPECT_TRUE(counters_never_decrease(before, after, transmit_frame{}).empty());
    EXPECT_TRUE(reports(counters_never_decrease(after, before, transmit_frame{}), "INV-ST-05"));
    EXPECT_TRUE(reports(counters_never_decrease(before, after, set_mtu{}), "INV-ST-05"));
}

// MP-05
TEST(invariant_st_06, an_allocator_that_goes_back_or_an_id_handed_out_again_is_reported_MP_05) {
    bpf_pair b;
    ASSERT_TRUE(b.w.close(b.q).ok());  // program 2 freed; next_program stays 3
    const auto before = b.w.state();
    auto back = before;
    back.next_program -= 1;
    EXPECT_TRUE(reports(ids_never_reused(before, back), "INV-ST-06"));
    auto again = before;
    model::program reused;
    reused.id = core::program_id{2};
    reused.references = 1;
    again.programs.emplace(reused.id, reused);
    EXPECT_TRUE(reports(ids_never_reused(before, again), "INV-ST-06"));
    EXPECT_TRUE(ids_never_reused(before, before).empty());
}

// ----------------------------------------------------------------- runner

TEST(run_checked, runs_every_step_of_a_legal_sequence_and_reports_no_violation) {
    model::world w;
    create_pair pair;
    pair.peer_netns = 1;
    const std::vector<operation> ops{create_netns{}, pair, load_program{}, delete_device{device_ref{0, 1}}};
    const run_report report = run_checked(w, ops);
    EXPECT_TRUE(report.ok()) << to_string(report);
    EXPECT_EQ(report.steps.size(), ops.size());
}

TEST(run_checked, a_report_prints_the_violations_and_the_sequence_that_led_there) {
    run_report report;
    report.steps.push_back({create_netns{}, outcome::applied()});
    report.steps.push_back({delete_netns{1}, outcome::refused(core::fail(core::errno_code::not_permitted))});
    report.found.push_back({"INV-NS-03", "netns 1 has no lo at ifindex 1"});
    EXPECT_EQ(to_string(report),
              "violation after step 1\n"
              "INV-NS-03: netns 1 has no lo at ifindex 1\n"
              "sequence:\n"
              "  0: create_netns  -> ok\n"
              "  1: delete_netns netns=1  -> refused EPERM\n");
}

}  // namespace
