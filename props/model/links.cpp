// Tests of include/netkit/model/links.hpp through the world: netkit creation
// (device.md §4–§7), changelink and other runtime changes (§8), the
// link-info dump (§9), open/close/carrier (§11) and deletion (§13), plus the
// environment rules of §3 they rely on. Test names cite rule and scenario
// IDs; the scenario tables are in ../shared/spec/scenarios.md.
#include <netkit/model/hash.hpp>
#include <netkit/model/world.hpp>

#include "test_world.hpp"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>
#include <vector>

namespace {

using namespace netkit;
using namespace netkit::model;
using core::errno_code;
using uapi::netkit_attr;
using requests::attr;

const caller root = world::root();

std::uint32_t u(uapi::mode m) { return static_cast<std::uint32_t>(m); }
std::uint32_t u(uapi::action a) { return static_cast<std::uint32_t>(a); }
std::uint32_t u(uapi::scrub s) { return static_cast<std::uint32_t>(s); }
std::uint32_t u(uapi::pairing p) { return static_cast<std::uint32_t>(p); }

struct pair_handles {
    core::device_handle primary;
    core::device_handle peer;
};

pair_handles create_pair(test_world& w, std::vector<netkit_attribute> data, std::optional<std::string> name = "nk1") {
    auto r = w.new_link(root, requests::create_netkit(std::move(name), std::move(data)));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : core::to_string(r.failure()));
    return {r.value().device, *r.value().peer};
}

pair_handles l2_pair(test_world& w, std::optional<std::string> name = "nk1") {
    return create_pair(w, {attr(netkit_attr::mode, u(uapi::mode::l2))}, std::move(name));
}

core::error create_error(test_world& w, link_request r) {
    const test_world before = w;
    auto result = w.new_link(root, r);
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(w, before) << "a refused creation changed the world";
    return result.ok() ? core::error{} : result.failure();
}

// ------------------------------------------------------------ creation

// SC-NK-001: NK-CRT-12, NK-DRV-02, NK-DRV-07, NK-PAIR-01, NK-PAIR-11, NK-PAIR-17, NK-ENV-04
TEST(netkit_create, a_named_primary_gets_an_automatically_named_peer_nk0_SC_NK_001) {
    test_world w;
    auto p = create_pair(w, {attr(netkit_attr::policy, u(uapi::action::pass)),
                             attr(netkit_attr::peer_policy, u(uapi::action::pass)),
                             attr(netkit_attr::scrub, u(uapi::scrub::standard)),
                             attr(netkit_attr::peer_scrub, u(uapi::scrub::standard)),
                             attr(netkit_attr::mode, u(uapi::mode::l2))});
    EXPECT_EQ(w.at(p.primary).name, "nk1");
    EXPECT_EQ(w.at(p.peer).name, "nk0");
    EXPECT_TRUE(w.at(p.primary).netkit->primary);
    EXPECT_FALSE(w.at(p.peer).netkit->primary);
    EXPECT_EQ(w.at(p.primary).netkit->peer, p.peer);  // NK-PAIR-15
    EXPECT_EQ(w.at(p.peer).netkit->peer, p.primary);
}

// NK-PAIR-04 (SC-NK-001 variant with HEADROOM 32, TAILROOM 8)
TEST(netkit_create, headroom_and_tailroom_apply_to_both_devices) {
    test_world w;
    auto p = create_pair(w, {attr(netkit_attr::headroom, 32), attr(netkit_attr::tailroom, 8)});
    for (auto h : {p.primary, p.peer}) {
        EXPECT_EQ(w.at(h).needed_headroom, 32);
        EXPECT_EQ(w.at(h).needed_tailroom, 8);
    }
}

// SC-NK-101: NK-DRV-01, NK-UAPI-02, NK-UAPI-04, NK-PAIR-05, NK-PAIR-09, NK-PAIR-10, NK-PAIR-14, NK-STATE-01
TEST(netkit_create, without_data_an_l3_pair_with_defaults_is_created_SC_NK_101) {
    test_world w;
    auto r = w.new_link(root, requests::create_netkit(std::nullopt, {}, false));
    ASSERT_TRUE(r.ok());
    const device& primary = w.at(r.value().device);
    const device& peer = w.at(*r.value().peer);
    for (const device* d : {&primary, &peer}) {
        EXPECT_EQ(d->netkit->mode, uapi::mode::l3);
        EXPECT_EQ(d->netkit->policy, uapi::action::pass);
        EXPECT_EQ(d->netkit->scrub, uapi::scrub::standard);
        EXPECT_FALSE(d->up);
        EXPECT_FALSE(d->carrier);
        EXPECT_TRUE(is_zero(d->mac));
        EXPECT_TRUE(d->no_arp);
        EXPECT_EQ(d->netkit->bundle.revision(), 1U);  // MP-03
    }
    EXPECT_EQ(peer.name, "nk0");
    EXPECT_EQ(primary.name, "nk1");
}

// SC-NK-018 / SC-NK-056: NK-PAIR-17, NK-ENV-03, NK-DRV-03, NK-PAIR-02, NK-CRT-13
TEST(netkit_create, the_peer_registers_first_and_gets_the_lower_ifindex_SC_NK_056) {
    test_world w;
    link_request r = requests::create_netkit(std::nullopt, {attr(netkit_attr::mode, u(uapi::mode::l2))});
    r.attributes.num_rx_queues = 2;
    auto out = w.new_link(root, r);
    ASSERT_TRUE(out.ok());
    const device& primary = w.at(out.value().device);
    const device& peer = w.at(*out.value().peer);
    EXPECT_LT(peer.ifindex, primary.ifindex);
    EXPECT_NE(peer.ifindex, primary.ifindex);  // SC-NK-018
    EXPECT_EQ(primary.rx_queues, 2U);
    EXPECT_EQ(peer.rx_queues, 2U);  // the peer uses the top-level table
    EXPECT_EQ(primary.real_rx_queues, 1U);  // NK-UAPI-08, NK-CRT-14
    EXPECT_EQ(w.devices_in(world::initial_netns()).size(), 3U);  // lo + 2
}

// NK-ENV-02
TEST(environment, every_netns_has_lo_at_ifindex_1_which_cannot_be_deleted_or_moved) {
    test_world w;
    auto ns = w.create_netns("foo");
    for (auto n : {world::initial_netns(), ns}) {
        const device* lo = w.find(n, 1);
        ASSERT_NE(lo, nullptr);
        EXPECT_EQ(lo->name, "lo");
        EXPECT_EQ(lo->kind, device_kind::loopback);
    }
    auto del = w.delete_link(root, delete_request{1, std::nullopt, std::nullopt});
    EXPECT_EQ(del.code(), errno_code::not_supported);
    EXPECT_EQ(w.move(w.find(ns, 1)->handle, world::initial_netns()).code(), errno_code::invalid);
}

// NK-ENV-03 [unconfirmed]: automatic indexes continue after the last assigned one.
TEST(environment, automatic_ifindexes_continue_after_the_last_one_assigned_unconfirmed) {
    test_world w;
    auto first = l2_pair(w, "a");
    ASSERT_TRUE(w.delete_link(root, delete_request{0, std::string("a"), std::nullopt}).ok());
    auto second = l2_pair(w, "b");
    EXPECT_GT(w.at(second.peer).ifindex, 3);  // not the freed 2 and 3
    (void)first;
}

// NK-ENV-04 / NK-PAIR-08
TEST(netkit_create, a_name_that_exists_fails_with_eexist_and_leaves_nothing_behind) {
    test_world w;
    l2_pair(w, "nk1");
    peer_info info;
    info.attributes.ifname = "nk0";  // taken by the first pair's peer
    auto e = create_error(w, requests::create_netkit(std::string("other"), {requests::peer(info)}));
    EXPECT_EQ(e.code, errno_code::exists);
    // A template name never clashes: it takes the lowest free number.
    auto out = w.new_link(root, requests::create_netkit(std::string("other"), {}));
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(w.at(*out.value().peer).name, "nk2");
}

// NK-CRT-19 / NL-RT-14
TEST(netkit_create, a_caller_without_cap_net_admin_in_its_netns_gets_eperm) {
    test_world w;
    const test_world before = w;
    auto r = w.new_link(caller::unprivileged_in(world::initial_netns()), requests::create_netkit("nk1", {}));
    EXPECT_EQ(r.code(), errno_code::not_permitted);
    EXPECT_EQ(r.failure().message, "");
    EXPECT_EQ(w, before);
}

// NK-CRT-01
TEST(netkit_create, an_ifname_longer_than_15_bytes_fails_policy_validation_with_erange) {
    test_world w;
    auto e = create_error(w, requests::create_netkit(std::string(16, 'x'), {}));
    EXPECT_EQ(e.code, errno_code::out_of_range);
    EXPECT_EQ(e.message, "Attribute failed policy validation");
    EXPECT_EQ(e.bad_attribute, attribute_paths::top(uapi::ifla::ifname));
}

// SC-NK-108: NK-CRT-03, NK-CRT-04, NK-CRT-02
TEST(netkit_create, attributes_are_checked_in_message_order_SC_NK_108) {
    test_world w;
    auto primary_first =
        create_error(w, requests::create_netkit("nk1", {attr(netkit_attr::primary, 1), attr(netkit_attr::mode, 2)}));
    EXPECT_EQ(primary_first.code, errno_code::invalid);
    EXPECT_EQ(primary_first.message, "Primary attribute is read-only");
    EXPECT_EQ(primary_first.bad_attribute, attribute_paths::data(netkit_attr::primary));
    auto mode_first =
        create_error(w, requests::create_netkit("nk1", {attr(netkit_attr::mode, 2), attr(netkit_attr::primary, 1)}));
    EXPECT_EQ(mode_first.code, errno_code::out_of_range);
    EXPECT_EQ(mode_first.message, "integer out of range");
    EXPECT_EQ(mode_first.bad_attribute, attribute_paths::data(netkit_attr::mode));
}

// SC-NK-107: NK-CRT-04
TEST(netkit_create, mode_pairing_or_scrub_above_1_fails_with_erange_SC_NK_107) {
    test_world w;
    for (auto id : {netkit_attr::mode, netkit_attr::pairing, netkit_attr::scrub, netkit_attr::peer_scrub}) {
        auto e = create_error(w, requests::create_netkit("nk1", {attr(id, 2)}));
        EXPECT_EQ(e.code, errno_code::out_of_range);
        EXPECT_EQ(e.bad_attribute, attribute_paths::data(id));
    }
}

// NK-CRT-04 under profile orig-2023
TEST(netkit_create, an_invalid_mode_is_the_drivers_einval_under_orig_2023) {
    test_world w = test_world::with_profile<core::profiles::orig_2023>();
    auto e = create_error(w, requests::create_netkit("nk1", {attr(netkit_attr::mode, 2)}));
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(e.message, "Provided device mode can only be L2 or L3");
}

// SC-NK-109: NK-CRT-06, NK-DRV-08
TEST(netkit_create, l3_refuses_a_mac_but_an_invalid_mac_fails_validation_first_SC_NK_109) {
    test_world w;
    link_request valid = requests::create_netkit("nk1", {});
    valid.attributes.address = std::vector<std::uint8_t>{0x02, 1, 2, 3, 4, 5};
    EXPECT_EQ(create_error(w, valid).code, errno_code::not_supported);
    link_request short_mac = valid;
    short_mac.attributes.address = std::vector<std::uint8_t>{0x02, 1, 2, 3, 4};
    EXPECT_EQ(create_error(w, short_mac).code, errno_code::invalid);
    link_request multicast = valid;
    multicast.attributes.address = std::vector<std::uint8_t>{0x01, 1, 2, 3, 4, 5};
    EXPECT_EQ(create_error(w, multicast).code, errno_code::address_unavailable);
    link_request zero = valid;
    zero.attributes.address = std::vector<std::uint8_t>(6, 0);
    EXPECT_EQ(create_error(w, zero).code, errno_code::address_unavailable);
}

// SC-NK-110: NK-CRT-16, NK-PAIR-02, NK-PAIR-05
TEST(netkit_create, an_l2_top_level_mac_goes_to_the_primary_and_the_peer_gets_a_random_one_SC_NK_110) {
    test_world w;
    link_request r = requests::create_netkit("nk1", {attr(netkit_attr::mode, u(uapi::mode::l2))});
    r.attributes.address = std::vector<std::uint8_t>{0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
    auto out = w.new_link(root, r);
    ASSERT_TRUE(out.ok());
    const device& primary = w.at(out.value().device);
    const device& peer = w.at(*out.value().peer);
    EXPECT_EQ(primary.mac, (mac_address{0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee}));
    EXPECT_EQ(primary.mac_type, mac_assignment::set_by_user);
    EXPECT_NE(peer.mac, primary.mac);
    EXPECT_TRUE(is_valid_unicast(peer.mac));
    EXPECT_EQ(peer.mac_type, mac_assignment::random);
    EXPECT_FALSE(peer.no_arp);  // NK-PAIR-09: L2 clears IFF_NOARP
}

// NK-PAIR-11 / NK-PAIR-05: L2 without any MAC: both random and distinct.
TEST(netkit_create, l2_devices_without_a_mac_get_distinct_random_unicast_addresses) {
    test_world w;
    auto p = l2_pair(w);
    EXPECT_TRUE(is_valid_unicast(w.at(p.primary).mac));
    EXPECT_TRUE(is_valid_unicast(w.at(p.peer).mac));
    EXPECT_NE(w.at(p.primary).mac, w.at(p.peer).mac);
    EXPECT_EQ(w.at(p.primary).mac[0] & 0x02, 0x02);  // locally administered
}

// SC-NK-111: NK-CRT-13, NK-CRT-14
TEST(netkit_create, queue_counts_are_checked_generically_then_by_netkit_SC_NK_111) {
    test_world w;
    link_request tx2 = requests::create_netkit("nk1", {});
    tx2.attributes.num_tx_queues = 2;
    EXPECT_EQ(create_error(w, tx2).code, errno_code::not_supported);
    link_request rx1025 = requests::create_netkit("nk1", {});
    rx1025.attributes.num_rx_queues = 1025;
    EXPECT_EQ(create_error(w, rx1025).code, errno_code::not_supported);
    link_request rx5000 = requests::create_netkit("nk1", {});
    rx5000.attributes.num_rx_queues = 5000;
    auto e = create_error(w, rx5000);
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(e.message, "Invalid number of receive queues");
    link_request tx0 = requests::create_netkit("nk1", {});
    tx0.attributes.num_tx_queues = 0;
    EXPECT_EQ(create_error(w, tx0).message, "Invalid number of transmit queues");
}

// NK-CRT-14 under orig-2023: no netkit limit, real = allocated.
TEST(netkit_create, the_2023_profiles_have_no_netkit_queue_limit_and_all_queues_real) {
    test_world w = test_world::with_profile<core::profiles::orig_2023>();
    link_request r = requests::create_netkit("nk1", {});
    r.attributes.num_rx_queues = 2000;
    auto out = w.new_link(root, r);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(w.at(out.value().device).real_rx_queues, 2000U);
}

// NK-CRT-15
TEST(netkit_create, an_mtu_outside_68_to_65535_is_refused_with_its_message) {
    test_world w;
    link_request small = requests::create_netkit("nk1", {});
    small.attributes.mtu = 67;
    EXPECT_EQ(create_error(w, small).message, "mtu less than device minimum");
    link_request big = requests::create_netkit("nk1", {});
    big.attributes.mtu = 65536;
    EXPECT_EQ(create_error(w, big).message, "mtu greater than device maximum");
}

// NK-CRT-23 / NK-CRT-07
TEST(netkit_create, a_negative_ifindex_is_refused_at_top_level_and_in_peer_info) {
    test_world w;
    link_request top = requests::create_netkit("nk1", {});
    top.header.index = -1;
    EXPECT_EQ(create_error(w, top).message, "ifindex can't be negative");
    peer_info info;
    info.header.index = -5;
    auto peer = create_error(w, requests::create_netkit("nk1", {requests::peer(info)}));
    EXPECT_EQ(peer.code, errno_code::invalid);
    EXPECT_EQ(peer.message, "ifindex can't be negative");
}

// NK-CRT-08
TEST(netkit_create, an_invalid_peer_mac_is_refused_before_the_driver_runs) {
    test_world w;
    peer_info info;
    info.attributes.address = std::vector<std::uint8_t>{0x01, 0, 0, 0, 0, 1};
    auto e = create_error(w, requests::create_netkit(
                                 "nk1", {attr(netkit_attr::mode, u(uapi::mode::l2)), requests::peer(info)}));
    EXPECT_EQ(e.code, errno_code::address_unavailable);
}

// NK-CRT-12 / NK-CRT-24 / NL-FLAG-03
TEST(netkit_create, an_existing_name_with_excl_is_eexist_and_with_replace_eopnotsupp) {
    test_world w;
    l2_pair(w, "nk1");
    EXPECT_EQ(create_error(w, requests::create_netkit("nk1", {})).code, errno_code::exists);
    link_request replace = requests::create_netkit("nk1", {});
    replace.message_flags = static_cast<std::uint16_t>(uapi::new_flag::create) |
                            static_cast<std::uint16_t>(uapi::new_flag::replace);
    EXPECT_EQ(create_error(w, replace).code, errno_code::not_supported);
    link_request no_create = requests::create_netkit("absent", {});
    no_create.message_flags = 0;
    EXPECT_EQ(create_error(w, no_create).code, errno_code::no_device);
}

// NK-CRT-09 / NK-CRT-11 / NK-CRT-17
TEST(netkit_create, peer_info_names_the_peer_netns_and_the_primary_stays_in_the_target) {
    test_world w;
    auto pod = w.create_netns("pod");
    w.add_process(4242, pod);
    peer_info info;
    info.attributes.net_ns_pid = 4242;
    info.attributes.ifname = "eth0";
    auto out = w.new_link(root, requests::create_netkit("nk1", {requests::peer(info)}));
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(w.at(*out.value().peer).netns, pod);
    EXPECT_EQ(w.at(*out.value().peer).name, "eth0");
    EXPECT_EQ(w.at(out.value().device).netns, world::initial_netns());
}

// NK-CRT-11 (derived): PEER_INFO without a netns puts the peer in the caller's netns.
TEST(netkit_create, a_top_level_netns_moves_only_the_primary_when_peer_info_is_present) {
    test_world w;
    auto ns = w.create_netns("other");
    const std::int32_t fd = w.open_netns(ns);
    link_request r = requests::create_netkit("nk1", {requests::peer(peer_info{})});
    r.attributes.net_ns_fd = static_cast<std::uint32_t>(fd);
    auto out = w.new_link(root, r);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(w.at(out.value().device).netns, ns);
    EXPECT_EQ(w.at(*out.value().peer).netns, world::initial_netns());
}

// NK-CRT-09: without PEER_INFO, a top-level netns puts both devices there.
TEST(netkit_create, a_top_level_netns_without_peer_info_places_both_devices) {
    test_world w;
    auto ns = w.create_netns("other");
    w.add_process(7, ns);
    link_request r = requests::create_netkit("nk1", {});
    r.attributes.net_ns_pid = 7;
    auto out = w.new_link(root, r);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(w.at(out.value().device).netns, ns);
    EXPECT_EQ(w.at(*out.value().peer).netns, ns);
}

// NK-CRT-10 / NK-CRT-20 / NK-CRT-21
TEST(netkit_create, netns_lookup_failures_and_permissions) {
    test_world w;
    auto ns = w.create_netns("other");
    link_request pid = requests::create_netkit("nk1", {});
    pid.attributes.net_ns_pid = 99;
    EXPECT_EQ(create_error(w, pid).code, errno_code::no_such_process);
    link_request bad_fd = requests::create_netkit("nk1", {});
    bad_fd.attributes.net_ns_fd = 77;
    EXPECT_EQ(create_error(w, bad_fd).code, errno_code::bad_descriptor);
    link_request file_fd = requests::create_netkit("nk1", {});
    file_fd.attributes.net_ns_fd = 0;  // an ordinary file
    EXPECT_EQ(create_error(w, file_fd).code, errno_code::invalid);
    link_request unknown_id = requests::create_netkit("nk1", {});
    unknown_id.attributes.target_netnsid = 3;
    EXPECT_EQ(create_error(w, unknown_id).code, errno_code::invalid);
    // A caller admin only in its own netns may not create into another one.
    w.add_process(5, ns);
    link_request other = requests::create_netkit("nk1", {});
    other.attributes.net_ns_pid = 5;
    const test_world before = w;
    auto r = w.new_link(caller::contained_in(world::initial_netns()), other);
    EXPECT_EQ(r.code(), errno_code::not_permitted);
    EXPECT_EQ(w, before);
}

// NK-CRT-22
TEST(netkit_create, link_netnsid_is_looked_up_in_the_target_netns_table) {
    test_world w;
    auto a = w.create_netns("a");
    auto b = w.create_netns("b");
    ASSERT_TRUE(w.assign_netns_id(world::initial_netns(), b, 5).ok());
    link_request r = requests::create_netkit("nk1", {});
    r.attributes.link_netnsid = 5;
    auto out = w.new_link(root, r);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(w.at(*out.value().peer).netns, b);  // NK-CRT-11
    // With a target netns whose table lacks the id: EINVAL with its message.
    w.add_process(9, a);
    link_request r2 = requests::create_netkit("nk2", {});
    r2.attributes.net_ns_pid = 9;
    r2.attributes.link_netnsid = 5;
    auto e = create_error(w, r2);
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(e.message, "Unknown network namespace id");
}

// NK-DRV-04 / NK-DRV-05
TEST(netkit_create, policies_other_than_pass_or_drop_are_refused_with_the_attribute_named) {
    test_world w;
    auto e = create_error(w, requests::create_netkit("nk1", {attr(netkit_attr::policy, 7)}));
    EXPECT_EQ(e.code, errno_code::invalid);
    EXPECT_EQ(e.message, "Provided default xmit policy not supported");
    EXPECT_EQ(e.bad_attribute, attribute_paths::data(netkit_attr::policy));
    auto p = create_error(w, requests::create_netkit("nk1", {attr(netkit_attr::peer_policy, 1)}));
    EXPECT_EQ(p.bad_attribute, attribute_paths::data(netkit_attr::peer_policy));
}

// NK-DRV-02 (read order: POLICY before PEER_POLICY whatever the message order)
TEST(netkit_create, policy_is_read_before_peer_policy_whatever_the_message_order) {
    test_world w;
    auto e = create_error(w, requests::create_netkit(
                                 "nk1", {attr(netkit_attr::peer_policy, 9), attr(netkit_attr::policy, 9)}));
    EXPECT_EQ(e.bad_attribute, attribute_paths::data(netkit_attr::policy));
}

// NK-DRV-06 / NK-PAIR-07 / NK-PAIR-12
TEST(netkit_create, each_side_gets_its_own_policy_and_scrub) {
    test_world w;
    auto p = create_pair(w, {attr(netkit_attr::policy, u(uapi::action::drop)),
                             attr(netkit_attr::peer_policy, u(uapi::action::pass)),
                             attr(netkit_attr::scrub, u(uapi::scrub::none)),
                             attr(netkit_attr::peer_scrub, u(uapi::scrub::standard))});
    EXPECT_EQ(w.at(p.primary).netkit->policy, uapi::action::drop);
    EXPECT_EQ(w.at(p.peer).netkit->policy, uapi::action::pass);
    EXPECT_EQ(w.at(p.primary).netkit->scrub, uapi::scrub::none);
    EXPECT_EQ(w.at(p.peer).netkit->scrub, uapi::scrub::standard);
}

// NK-PAIR-06
TEST(netkit_create, the_peer_requests_its_ifindex_only_when_the_primary_requests_one) {
    test_world w;
    peer_info info;
    info.header.index = 40;
    link_request both = requests::create_netkit("nk1", {requests::peer(info)});
    both.header.index = 50;
    auto out = w.new_link(root, both);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(w.at(out.value().device).ifindex, 50);
    EXPECT_EQ(w.at(*out.value().peer).ifindex, 40);
    link_request peer_only = requests::create_netkit("nk9", {requests::peer(info)});
    auto out2 = w.new_link(root, peer_only);
    ASSERT_TRUE(out2.ok());
    EXPECT_NE(w.at(*out2.value().peer).ifindex, 40);
}

// NK-PAIR-08 [unconfirmed]: a requested ifindex that is taken fails with EBUSY.
TEST(netkit_create, a_requested_ifindex_that_is_taken_fails_with_ebusy_unconfirmed) {
    test_world w;
    peer_info info;
    info.header.index = 1;  // lo's
    link_request r = requests::create_netkit("nk1", {requests::peer(info)});
    r.header.index = 50;  // free, and makes the peer request its own index (NK-PAIR-06)
    EXPECT_EQ(create_error(w, r).code, unconfirmed::ifindex_taken_error);
    // A top-level index that exists is found by the lookup first (NK-CRT-12).
    link_request top = requests::create_netkit("nk1", {});
    top.header.index = 1;
    EXPECT_EQ(create_error(w, top).code, errno_code::exists);
}

// NK-PAIR-10 / NK-PAIR-16
TEST(netkit_create, the_request_flags_apply_to_the_primary_and_the_peer_starts_down) {
    test_world w;
    peer_info info;
    info.header.flags = static_cast<std::uint32_t>(uapi::interface_flag::up);
    info.header.change = info.header.flags;
    link_request r = requests::create_netkit("nk1", {requests::peer(info)});
    r.header.flags = static_cast<std::uint32_t>(uapi::interface_flag::up);
    r.header.change = r.header.flags;
    auto out = w.new_link(root, r);
    ASSERT_TRUE(out.ok());
    EXPECT_TRUE(w.at(out.value().device).up);
    EXPECT_FALSE(w.at(*out.value().peer).up);
    EXPECT_FALSE(w.at(out.value().device).carrier);  // NK-OPEN-02: peer down
}

// NK-PAIR-03 / NK-FEAT-01 / NK-FEAT-03
TEST(netkit_create, devices_are_ethernet_with_standard_mtu_limits_and_tso_65536) {
    test_world w;
    auto p = l2_pair(w);
    for (auto h : {p.primary, p.peer}) {
        EXPECT_EQ(w.at(h).mtu, 1500U);
        EXPECT_EQ(w.at(h).min_mtu, 68U);
        EXPECT_EQ(w.at(h).max_mtu, 65535U);
        EXPECT_EQ(w.at(h).tso_max_size, 65536U);
        EXPECT_FALSE(w.at(h).physical());  // NK-ENV-06
    }
}

// ---------------------------------------------------------- single mode

// SC-NK-102: NK-SGL-01, NK-SGL-02, NK-DUMP-03, NK-SGL-03
TEST(netkit_single, pairing_single_creates_one_primary_device_SC_NK_102) {
    test_world w;
    auto out = w.new_link(root, requests::create_netkit("nk", {attr(netkit_attr::pairing, u(uapi::pairing::single))}));
    ASSERT_TRUE(out.ok());
    EXPECT_FALSE(out.value().peer.has_value());
    const device& d = w.at(out.value().device);
    EXPECT_TRUE(d.netkit->primary);
    EXPECT_FALSE(d.netkit->peer.has_value());
    EXPECT_EQ(d.netkit->policy, uapi::action::pass);
    EXPECT_EQ(d.xdp_features, uapi::single_device_xdp_features);
    auto dump = w.get_link(root, d.ifindex);
    ASSERT_TRUE(dump.ok());
    ASSERT_TRUE(dump.value().netkit.has_value());
    EXPECT_EQ(dump.value().netkit->pairing, 1U);
    EXPECT_TRUE(dump.value().netkit->primary);
    EXPECT_FALSE(dump.value().netkit->scrub.has_value());
    EXPECT_FALSE(dump.value().netkit->peer_policy.has_value());
    EXPECT_EQ(dump.value().link, 0);  // NK-DUMP-04 / NK-OPEN-05
}

// SC-NK-103 / SC-NK-104 / SC-NK-105 / SC-NK-106: NK-DRV-09, NK-DRV-04, NK-DRV-05, NK-DRV-10
TEST(netkit_single, single_mode_refuses_peer_settings_and_non_pass_policy_SC_NK_103_to_106) {
    test_world w;
    const auto single = attr(netkit_attr::pairing, u(uapi::pairing::single));
    EXPECT_EQ(create_error(w, requests::create_netkit("nk", {single, requests::peer(peer_info{})})).code,
              errno_code::not_supported);
    EXPECT_EQ(create_error(w, requests::create_netkit("nk", {single, attr(netkit_attr::scrub, 1)})).code,
              errno_code::not_supported);
    EXPECT_EQ(create_error(w, requests::create_netkit("nk", {single, attr(netkit_attr::policy, 2)})).code,
              errno_code::not_supported);
    auto seven = create_error(w, requests::create_netkit("nk", {single, attr(netkit_attr::policy, 7)}));
    EXPECT_EQ(seven.code, errno_code::invalid);
    EXPECT_EQ(seven.message, "Provided default xmit policy not supported");
    EXPECT_EQ(create_error(w, requests::create_netkit("nk", {single, attr(netkit_attr::peer_policy, 0)})).code,
              errno_code::not_supported);
    EXPECT_EQ(create_error(w, requests::create_netkit("nk", {single, attr(netkit_attr::peer_policy, 5)})).code,
              errno_code::invalid);
    // NK-DRV-10: these are accepted.
    link_request ok = requests::create_netkit(
        "nk", {single, attr(netkit_attr::policy, 0), attr(netkit_attr::mode, u(uapi::mode::l2)),
               attr(netkit_attr::headroom, 16), attr(netkit_attr::tailroom, 4)});
    ok.attributes.mtu = 9000;
    ok.attributes.num_rx_queues = 4;
    ok.attributes.address = std::vector<std::uint8_t>{0x02, 0, 0, 0, 0, 7};
    EXPECT_TRUE(w.new_link(root, ok).ok());
}

// SC-NK-104 under v7-jan2026: NK-DRV-09 does not check SCRUB there.
TEST(netkit_single, v7_jan2026_silently_accepts_scrub_in_single_mode) {
    test_world w = test_world::with_profile<core::profiles::v7_jan2026>();
    auto out = w.new_link(root, requests::create_netkit("nk", {attr(netkit_attr::pairing, 1), attr(netkit_attr::scrub, 1)}));
    ASSERT_TRUE(out.ok());
    auto dump = w.get_link(root, w.at(out.value().device).ifindex);
    ASSERT_TRUE(dump.value().netkit->scrub.has_value());  // NK-DUMP-03 (v7-jan2026)
}

// SC-NK-062 / NK-SGL-04
TEST(netkit_single, numrxqueues_2_single_has_2_allocated_and_1_real_rx_queue_SC_NK_062) {
    test_world w;
    link_request r = requests::create_netkit("nk", {attr(netkit_attr::pairing, 1)});
    r.attributes.num_rx_queues = 2;
    auto out = w.new_link(root, r);
    ASSERT_TRUE(out.ok());
    const device& d = w.at(out.value().device);
    EXPECT_EQ(d.name, "nk");
    EXPECT_EQ(d.rx_queues, 2U);
    EXPECT_EQ(d.real_rx_queues, 1U);
    auto ns = w.create_netns("container");
    ASSERT_TRUE(w.move(d.handle, ns).ok());
    ASSERT_TRUE(w.open(out.value().device).ok());
    EXPECT_TRUE(w.at(out.value().device).carrier);  // NK-OPEN-01
}

// NK-SGL-03 under v7-jan2026 (profile row 6)
TEST(netkit_single, v7_jan2026_gives_every_netkit_device_the_af_xdp_features) {
    test_world w = test_world::with_profile<core::profiles::v7_jan2026>();
    auto p = l2_pair(w);
    EXPECT_EQ(w.at(p.primary).xdp_features, uapi::af_xdp_feature_set);
}

// ----------------------------------------------------------- changelink

// SC-NK-112: NK-CHG-01, NK-CHG-02
TEST(netkit_change, changelink_on_the_peer_is_eacces_but_setlink_ignores_linkinfo_SC_NK_112) {
    test_world w;
    auto p = l2_pair(w);
    const test_world before = w;
    auto r = w.new_link(root, requests::change_netkit("nk0", {attr(netkit_attr::policy, 2)}));
    EXPECT_EQ(r.code(), errno_code::access_denied);
    EXPECT_EQ(r.failure().message, "netkit link settings can be changed only through the primary device");
    EXPECT_EQ(w, before);
    // RTM_SETLINK with the same content: success, nothing changes.
    link_request set = requests::change_netkit("nk0", {attr(netkit_attr::policy, 2), attr(netkit_attr::primary, 1)});
    EXPECT_TRUE(w.set_link(root, set).ok());
    EXPECT_EQ(w.at(p.peer).netkit->policy, uapi::action::pass);
}

// SC-NK-113: NK-CHG-03
TEST(netkit_change, creation_only_attributes_are_named_in_the_eacces_message_SC_NK_113) {
    test_world w;
    l2_pair(w);
    const std::pair<netkit_attr, std::string> cases[] = {
        {netkit_attr::mode, "operating mode"},   {netkit_attr::scrub, "scrubbing"},
        {netkit_attr::peer_scrub, "peer scrubbing"}, {netkit_attr::headroom, "headroom"},
        {netkit_attr::tailroom, "tailroom"},     {netkit_attr::pairing, "pairing"},
    };
    for (const auto& [id, what] : cases) {
        auto r = w.new_link(root, requests::change_netkit("nk1", {attr(id, 0)}));
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.code(), errno_code::access_denied);
        EXPECT_EQ(r.failure().message, "netkit link " + what + " cannot be changed after device creation");
        EXPECT_EQ(r.failure().bad_attribute, attribute_paths::data(id));
    }
    auto peer = w.new_link(root, requests::change_netkit("nk1", {requests::peer(peer_info{})}));
    EXPECT_EQ(peer.failure().message, "netkit link peer info cannot be changed after device creation");
}

// SC-NK-108 (changelink variant): the pre-checks apply before changelink.
TEST(netkit_change, primary_in_a_changelink_fails_the_pre_check) {
    test_world w;
    l2_pair(w);
    auto r = w.new_link(root, requests::change_netkit("nk1", {attr(netkit_attr::primary, 1)}));
    EXPECT_EQ(r.code(), errno_code::invalid);
    EXPECT_EQ(r.failure().message, "Primary attribute is read-only");
}

// SC-NK-114 (state part): NK-CHG-04, NK-CHG-05
TEST(netkit_change, policy_and_peer_policy_change_through_the_primary) {
    test_world w;
    auto p = l2_pair(w);
    ASSERT_TRUE(w.new_link(root, requests::change_netkit("nk1", {attr(netkit_attr::policy, 2)})).ok());
    EXPECT_EQ(w.at(p.primary).netkit->policy, uapi::action::drop);
    ASSERT_TRUE(w.new_link(root, requests::change_netkit("nk1", {attr(netkit_attr::peer_policy, 2)})).ok());
    EXPECT_EQ(w.at(p.peer).netkit->policy, uapi::action::drop);
    auto bad = w.new_link(root, requests::change_netkit("nk1", {attr(netkit_attr::policy, 3)}));
    EXPECT_EQ(bad.code(), errno_code::invalid);
    EXPECT_EQ(bad.failure().message, "Provided default xmit policy not supported");
}

// SC-NK-115: NK-CHG-04, NK-CHG-05
TEST(netkit_change, single_devices_refuse_any_policy_change_SC_NK_115) {
    test_world w;
    ASSERT_TRUE(w.new_link(root, requests::create_netkit("nk", {attr(netkit_attr::pairing, 1)})).ok());
    EXPECT_EQ(w.new_link(root, requests::change_netkit("nk", {attr(netkit_attr::policy, 0)})).code(),
              errno_code::not_supported);
    EXPECT_EQ(w.new_link(root, requests::change_netkit("nk", {attr(netkit_attr::peer_policy, 0)})).code(),
              errno_code::not_supported);
}

// NK-CHG-06
TEST(netkit_change, a_failing_peer_policy_keeps_the_policy_change_made_before_it) {
    test_world w;
    auto p = l2_pair(w);
    auto r = w.new_link(root, requests::change_netkit("nk1", {attr(netkit_attr::policy, 2),
                                                               attr(netkit_attr::peer_policy, 9)}));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.failure().partly_applied);
    EXPECT_EQ(w.at(p.primary).netkit->policy, uapi::action::drop);
    EXPECT_EQ(w.at(p.peer).netkit->policy, uapi::action::pass);
}

// NK-CHG-07
TEST(netkit_change, generic_attributes_are_applied_after_a_successful_changelink) {
    test_world w;
    auto p = l2_pair(w);
    link_request r = requests::change_netkit("nk1", {attr(netkit_attr::policy, 2)});
    r.attributes.mtu = 9000;
    ASSERT_TRUE(w.new_link(root, r).ok());
    EXPECT_EQ(w.at(p.primary).mtu, 9000U);
    link_request refused = requests::change_netkit("nk1", {attr(netkit_attr::mode, 0)});
    refused.attributes.mtu = 1400;
    EXPECT_FALSE(w.new_link(root, refused).ok());
    EXPECT_EQ(w.at(p.primary).mtu, 9000U);
}

// NK-CHG-08
TEST(netkit_change, data_without_a_matching_kind_is_eopnotsupp) {
    test_world w;
    l2_pair(w);
    link_request no_kind = requests::change_netkit("nk1", {attr(netkit_attr::policy, 0)});
    no_kind.linkinfo->kind.reset();
    EXPECT_EQ(w.new_link(root, no_kind).code(), errno_code::not_supported);
    link_request veth_kind = requests::change_netkit("nk1", {attr(netkit_attr::policy, 0)});
    veth_kind.linkinfo->kind = "veth";
    EXPECT_EQ(w.new_link(root, veth_kind).code(), errno_code::not_supported);
}

// -------------------------------------------------------- runtime changes

// SC-NK-133: NK-RT-01
TEST(netkit_runtime, an_mtu_change_leaves_the_other_device_alone_SC_NK_133) {
    test_world w;
    auto p = l2_pair(w);
    ASSERT_TRUE(w.set_mtu(p.primary, 9000).ok());
    EXPECT_EQ(w.at(p.peer).mtu, 1500U);
    EXPECT_EQ(w.set_mtu(p.primary, 67).code(), errno_code::invalid);
    EXPECT_EQ(w.set_mtu(p.primary, 65536).code(), errno_code::invalid);
}

// SC-NK-002 / SC-NK-003: NK-RT-02, NK-FEAT-02
TEST(netkit_runtime, l3_refuses_a_mac_change_and_l2_accepts_it_while_up_SC_NK_002_003) {
    test_world w;
    auto l3 = create_pair(w, {}, "l3");
    EXPECT_EQ(w.set_mac(l3.primary, {0xee, 0xff, 0xbb, 0xcc, 0xaa, 0xdd}).code(), errno_code::not_supported);
    auto l2 = l2_pair(w, "l2");
    ASSERT_TRUE(w.open(l2.primary).ok());
    ASSERT_TRUE(w.set_mac(l2.primary, {0xee, 0xff, 0xbb, 0xcc, 0xaa, 0xdd}).ok());
    EXPECT_EQ(w.at(l2.primary).mac, (mac_address{0xee, 0xff, 0xbb, 0xcc, 0xaa, 0xdd}));
    EXPECT_EQ(w.set_mac(l2.primary, {0x01, 0, 0, 0, 0, 1}).code(), errno_code::address_unavailable);
    EXPECT_EQ(w.set_mac(l2.primary, {0, 0, 0, 0, 0, 0}).code(), errno_code::address_unavailable);
}

// NK-RT-02 under orig-2023 (profile row 1)
TEST(netkit_runtime, orig_2023_refuses_every_mac_with_its_message) {
    test_world w = test_world::with_profile<core::profiles::orig_2023>();
    auto p = l2_pair(w);
    auto r = w.set_mac(p.primary, {0x02, 1, 2, 3, 4, 5});
    EXPECT_EQ(r.code(), errno_code::not_supported);
    EXPECT_EQ(r.failure().message, "Setting Ethernet address is not supported");
}

// SC-NK-004: NK-RT-03, NK-ENV-09, NK-OPEN-02
TEST(netkit_runtime, the_peer_moves_to_a_pod_netns_and_comes_up_SC_NK_004) {
    test_world w;
    auto p = l2_pair(w);
    auto foo = w.create_netns("foo");
    ASSERT_TRUE(w.move(p.peer, foo).ok());
    EXPECT_EQ(w.at(p.peer).netns, foo);
    EXPECT_TRUE(w.at(p.primary).netkit->primary);  // NK-STATE-04
    EXPECT_EQ(w.find(foo, "nk0")->handle, p.peer);
    EXPECT_EQ(w.find(world::initial_netns(), "nk0"), nullptr);
    ASSERT_TRUE(w.open(p.peer).ok());
    ASSERT_TRUE(w.open(p.primary).ok());
    EXPECT_TRUE(w.at(p.primary).carrier);
    EXPECT_TRUE(w.at(p.peer).carrier);
}

// NK-ENV-09 [unconfirmed]: the ifindex is kept when free, else a new one; a name clash is EEXIST.
TEST(environment, a_move_keeps_a_free_ifindex_and_refuses_a_name_clash_unconfirmed) {
    test_world w;
    auto p = l2_pair(w);
    auto ns = w.create_netns("x");
    const std::int32_t index = w.at(p.peer).ifindex;
    ASSERT_TRUE(w.move(p.peer, ns).ok());
    EXPECT_EQ(w.at(p.peer).ifindex, index);
    auto q = l2_pair(w, "other");  // its peer is named nk0 in the initial netns
    EXPECT_EQ(w.move(q.peer, ns).code(), unconfirmed::move_name_clash_error);
}

// SC-NK-132: NK-RT-05
TEST(netkit_runtime, a_headroom_reset_gives_both_sides_the_larger_of_the_pad_and_the_other_side_SC_NK_132) {
    test_world w;
    auto p = create_pair(w, {attr(netkit_attr::headroom, 32)});
    w.set_rx_headroom(p.primary, -1);
    EXPECT_EQ(w.at(p.primary).netkit->headroom, 64);
    EXPECT_EQ(w.at(p.primary).needed_headroom, 64);
    EXPECT_EQ(w.at(p.peer).needed_headroom, 64);
    w.set_rx_headroom(p.peer, 128);
    EXPECT_EQ(w.at(p.primary).needed_headroom, 128);
    EXPECT_EQ(w.at(p.peer).needed_headroom, 128);
}

// NK-RT-04
TEST(netkit_runtime, noarp_is_ordinary_flag_handling_after_creation) {
    test_world w;
    auto p = l2_pair(w);
    link_request set;
    set.header.index = w.at(p.primary).ifindex;
    set.header.flags = static_cast<std::uint32_t>(uapi::interface_flag::no_arp);
    set.header.change = set.header.flags;
    ASSERT_TRUE(w.set_link(root, set).ok());
    EXPECT_TRUE(w.at(p.primary).no_arp);
}

// ------------------------------------------------------- open and carrier

// SC-NK-123: NK-OPEN-02, NK-OPEN-04
TEST(netkit_open, a_pair_has_carrier_only_while_both_ends_are_up_SC_NK_123) {
    test_world w;
    auto p = l2_pair(w);
    ASSERT_TRUE(w.open(p.primary).ok());
    EXPECT_FALSE(w.at(p.primary).carrier);
    EXPECT_FALSE(w.at(p.peer).carrier);
    ASSERT_TRUE(w.open(p.peer).ok());
    EXPECT_TRUE(w.at(p.primary).carrier);
    EXPECT_TRUE(w.at(p.peer).carrier);
    w.close_device(p.peer);  // NK-OPEN-03
    EXPECT_FALSE(w.at(p.primary).carrier);
    EXPECT_FALSE(w.at(p.peer).carrier);
}

// NK-OPEN-05 / NK-DUMP-04
TEST(netkit_open, iflink_is_the_peers_ifindex) {
    test_world w;
    auto p = l2_pair(w);
    auto dump = w.get_link(root, w.at(p.primary).ifindex);
    ASSERT_TRUE(dump.ok());
    EXPECT_EQ(dump.value().link, w.at(p.peer).ifindex);
    EXPECT_FALSE(dump.value().link_netnsid.has_value());
}

// ----------------------------------------------------------------- dump

// NK-DUMP-01 / NK-DUMP-02
TEST(netkit_dump, the_dump_reports_this_sides_values_and_the_peers_as_peer_attributes) {
    test_world w;
    auto p = create_pair(w, {attr(netkit_attr::policy, 2), attr(netkit_attr::peer_policy, 0),
                             attr(netkit_attr::scrub, 0), attr(netkit_attr::peer_scrub, 1),
                             attr(netkit_attr::headroom, 48), attr(netkit_attr::mode, 0)});
    auto primary = w.get_link(root, w.at(p.primary).ifindex).value();
    ASSERT_TRUE(primary.netkit.has_value());
    EXPECT_EQ(primary.kind, "netkit");
    EXPECT_TRUE(primary.netkit->primary);
    EXPECT_EQ(primary.netkit->policy, 2U);
    EXPECT_EQ(primary.netkit->mode, 0U);
    EXPECT_EQ(primary.netkit->scrub, 0U);
    EXPECT_EQ(primary.netkit->headroom, 48);
    EXPECT_EQ(primary.netkit->pairing, 0U);
    EXPECT_EQ(primary.netkit->peer_policy, 0U);
    EXPECT_EQ(primary.netkit->peer_scrub, 1U);
    auto peer = w.get_link(root, w.at(p.peer).ifindex).value();
    EXPECT_FALSE(peer.netkit->primary);
    EXPECT_EQ(peer.netkit->policy, 0U);
    EXPECT_EQ(peer.netkit->peer_policy, 2U);  // the primary's, seen from the peer
    EXPECT_EQ(peer.netkit->peer_scrub, 0U);
}

// NK-DUMP-04 / NK-ENV-05
TEST(netkit_dump, a_peer_in_another_netns_is_reported_with_an_id_allocated_in_the_requesters_table) {
    test_world w;
    auto p = l2_pair(w);
    auto pod = w.create_netns("pod");
    ASSERT_TRUE(w.move(p.peer, pod).ok());
    auto dump = w.get_link(root, w.at(p.primary).ifindex).value();
    ASSERT_TRUE(dump.link_netnsid.has_value());
    EXPECT_EQ(*dump.link_netnsid, 0);
    EXPECT_EQ(w.namespace_at(world::initial_netns()).id_of(pod), 0);
    // From inside the pod, the primary's netns gets an id in the pod's table.
    auto from_pod = w.get_link(world::root(pod), w.at(p.peer).ifindex).value();
    EXPECT_EQ(from_pod.link_netnsid, 0);
    EXPECT_EQ(w.namespace_at(pod).id_of(world::initial_netns()), 0);
}

// NL-RT-13 flags: RUNNING and LOWER_UP only while up with carrier.
TEST(netkit_dump, running_and_lower_up_follow_the_carrier) {
    test_world w;
    auto p = l2_pair(w);
    ASSERT_TRUE(w.open(p.primary).ok());
    auto down_peer = w.get_link(root, w.at(p.primary).ifindex).value();
    EXPECT_EQ(down_peer.flags & 0x40U, 0U);
    ASSERT_TRUE(w.open(p.peer).ok());
    auto both = w.get_link(root, w.at(p.primary).ifindex).value();
    EXPECT_EQ(both.flags & 0x10041U, 0x10041U);
}

// ------------------------------------------------------------- deletion

// SC-NK-005: NK-DEL-01, NK-DEL-02, NK-DEL-06
TEST(netkit_delete, deleting_either_end_by_name_removes_both_SC_NK_005) {
    for (const char* victim : {"nk1", "nk0"}) {
        test_world w;
        auto p = l2_pair(w);
        ASSERT_TRUE(w.delete_link(root, delete_request{0, std::string(victim), std::nullopt}).ok());
        EXPECT_EQ(w.find(world::initial_netns(), "nk1"), nullptr);
        EXPECT_EQ(w.find(world::initial_netns(), "nk0"), nullptr);
        EXPECT_EQ(w.at(p.primary).state, registration::freed);
        EXPECT_EQ(w.at(p.peer).state, registration::freed);
        // NK-DEL-06: the names and indexes are free again.
        EXPECT_TRUE(w.new_link(root, requests::create_netkit("nk1", {})).ok());
    }
}

// NK-DEL-03
TEST(netkit_delete, deleting_the_pods_netns_deletes_both_ends_wherever_the_other_is) {
    test_world w;
    auto p = l2_pair(w);
    auto pod = w.create_netns("pod");
    ASSERT_TRUE(w.move(p.peer, pod).ok());
    ASSERT_TRUE(w.delete_netns(pod).ok());
    EXPECT_EQ(w.find(world::initial_netns(), "nk1"), nullptr);
    EXPECT_EQ(w.at(p.primary).state, registration::freed);
}

// NK-DEL-05
TEST(netkit_delete, deleting_a_single_device_removes_only_it) {
    test_world w;
    l2_pair(w, "pair");
    ASSERT_TRUE(w.new_link(root, requests::create_netkit("single", {attr(netkit_attr::pairing, 1)})).ok());
    ASSERT_TRUE(w.delete_link(root, delete_request{0, std::string("single"), std::nullopt}).ok());
    EXPECT_NE(w.find(world::initial_netns(), "pair"), nullptr);
    EXPECT_NE(w.find(world::initial_netns(), "nk0"), nullptr);
}

// NK-ENV-08 [unconfirmed]: netns deletion deletes netkit and veth devices.
TEST(environment, deleting_a_netns_deletes_its_netkit_and_veth_devices_unconfirmed) {
    test_world w;
    auto ns = w.create_netns("doomed");
    link_request veth;
    veth.message_flags = 0x600;
    veth.attributes.ifname = "v0";
    veth.linkinfo = link_info{std::string("veth"), std::nullopt};
    ASSERT_TRUE(w.new_link(world::root(ns), veth).ok());
    ASSERT_TRUE(w.new_link(world::root(ns), requests::create_netkit("nk", {attr(netkit_attr::pairing, 1)})).ok());
    const auto count_before = w.state().devices.size();
    ASSERT_TRUE(w.delete_netns(ns).ok());
    EXPECT_FALSE(w.state().namespaces.contains(ns));
    std::size_t registered = 0;
    for (const auto& [h, d] : w.state().devices) {
        registered += d.state == registration::registered ? 1 : 0;
    }
    EXPECT_EQ(registered, 1U);  // only the initial lo
    EXPECT_EQ(w.state().devices.size(), count_before);
    EXPECT_TRUE(unconfirmed::netns_deletion_returns_physical_devices);
}

// NK-ENV-07: veth pairs as the negative control.
TEST(environment, veth_pairs_are_created_and_deleted_together) {
    test_world w;
    link_request veth;
    veth.message_flags = 0x600;
    veth.attributes.ifname = "va";
    peer_info info;
    info.attributes.ifname = "vb";
    veth.linkinfo = link_info{std::string("veth"), std::vector<netkit_attribute>{requests::peer(info)}};
    auto out = w.new_link(root, veth);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(w.at(*out.value().peer).name, "vb");
    EXPECT_EQ(w.at(out.value().device).kind, device_kind::veth);
    ASSERT_TRUE(w.delete_link(root, delete_request{0, std::string("vb"), std::nullopt}).ok());
    EXPECT_EQ(w.find(world::initial_netns(), "va"), nullptr);
}

// NL-RT-06: an unknown kind is EOPNOTSUPP.
TEST(netkit_create, an_unknown_kind_is_eopnotsupp) {
    test_world w;
    link_request r = requests::create_netkit("x", {});
    r.linkinfo->kind = "bond";
    EXPECT_EQ(create_error(w, r).code, errno_code::not_supported);
}

// The world as a value: copies compare equal and diverge independently.
TEST(world_value, copies_are_equal_and_independent) {
    test_world a;
    l2_pair(a);
    test_world b = a;
    EXPECT_EQ(a, b);
    ASSERT_TRUE(b.set_mtu(b.find(world::initial_netns(), "nk1")->handle, 2000).ok());
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find(world::initial_netns(), "nk1")->mtu, 1500U);
}

}  // namespace

namespace {

// The world is hashable: equal worlds hash equal, different ones (almost always) differ.
TEST(world_value, equal_worlds_hash_equal_and_a_change_changes_the_hash) {
    world a;
    auto out = a.new_link(root, requests::create_netkit("nk1", {attr(netkit_attr::mode, 0)}));
    ASSERT_TRUE(out.ok());
    world b = a;
    EXPECT_EQ(std::hash<world>{}(a), std::hash<world>{}(b));
    ASSERT_TRUE(b.open(out.value().device).ok());
    EXPECT_NE(std::hash<world>{}(a), std::hash<world>{}(b));
    std::unordered_set<world> seen{a, b, a};
    EXPECT_EQ(seen.size(), 2U);
}

// The world is a value over shared tables (core/cow_map.hpp): a copy taken
// before an operation keeps the state it had, and a refused operation
// leaves the world sharing every table with a copy taken before it.
TEST(world_value, copies_keep_their_state_and_a_refusal_shares_every_table) {
    world w;
    const world before = w;
    auto out = w.new_link(root, requests::create_netkit("nk1", {attr(netkit_attr::mode, 0)}));
    ASSERT_TRUE(out.ok());
    EXPECT_NE(w, before);
    EXPECT_EQ(before.devices_in(world::initial_netns()).size(), 1U);  // lo
    EXPECT_EQ(w.devices_in(world::initial_netns()).size(), 3U);       // lo and the pair
    EXPECT_EQ(before.find(world::initial_netns(), "nk1"), nullptr);

    const world after_create = w;
    EXPECT_FALSE(w.new_link(root, requests::create_netkit("nk1", {attr(netkit_attr::mode, 0)})).ok());  // EEXIST
    EXPECT_EQ(w, after_create);
    EXPECT_TRUE(w.state().devices.shares_with(after_create.state().devices));
    EXPECT_TRUE(w.state().namespaces.shares_with(after_create.state().namespaces));

    // Writing one device copies that device only: the others stay shared.
    ASSERT_TRUE(w.open(out.value().device).ok());
    EXPECT_FALSE(w.state().devices.shares_with(after_create.state().devices));
    const auto lo = w.find(world::initial_netns(), "lo")->handle;
    EXPECT_EQ(&w.at(lo), &after_create.at(lo));
    EXPECT_NE(&w.at(out.value().device), &after_create.at(out.value().device));
    EXPECT_FALSE(after_create.at(out.value().device).up);
}

}  // namespace

namespace {

// NK-CRT-18: the primary's NK-CRT-13…15 run before the driver, the peer's after it.
TEST(netkit_create, the_primarys_generic_checks_run_before_the_driver_and_the_peers_after) {
    test_world w;
    link_request primary_mtu = requests::create_netkit("nk1", {attr(netkit_attr::policy, 9)});
    primary_mtu.attributes.mtu = 10;
    EXPECT_EQ(create_error(w, primary_mtu).message, "mtu less than device minimum");
    peer_info info;
    info.attributes.mtu = 10;
    auto peer_mtu = create_error(w, requests::create_netkit("nk1", {requests::peer(info), attr(netkit_attr::policy, 9)}));
    EXPECT_EQ(peer_mtu.message, "Provided default xmit policy not supported");
    auto peer_only = create_error(w, requests::create_netkit("nk1", {requests::peer(info)}));
    EXPECT_EQ(peer_only.message, "mtu less than device minimum");
}

// NK-PAIR-13 / NK-CRT-12 (consequence): without NLM_F_EXCL a name that exists only in the
// target netns is not found by the lookup; the primary's registration then fails with
// EEXIST and the already registered peer is removed again.
TEST(netkit_create, a_failing_primary_registration_leaves_no_peer_behind) {
    test_world w;
    auto other = w.create_netns("other");
    ASSERT_TRUE(w.new_link(world::root(other), requests::create_netkit("taken", {attr(netkit_attr::pairing, 1)})).ok());
    w.add_process(11, other);
    link_request r = requests::create_netkit("taken", {});
    r.message_flags = static_cast<std::uint16_t>(uapi::new_flag::create);
    r.attributes.net_ns_pid = 11;
    auto e = create_error(w, r);
    EXPECT_EQ(e.code, errno_code::exists);
    EXPECT_EQ(w.find(other, "nk0"), nullptr);
}

// NK-STATE-02 / NK-ENV-01: the generic state a device carries, and the caller's netns.
TEST(netkit_state, a_device_carries_the_generic_state_the_spec_lists) {
    test_world w;
    auto ns = w.create_netns("ns");
    link_request r = requests::create_netkit("nk1", {attr(netkit_attr::mode, 0)});
    r.attributes.num_rx_queues = 3;
    auto out = w.new_link(world::root(ns), r);  // the caller's netns is where it lands
    ASSERT_TRUE(out.ok());
    const device& d = w.at(out.value().device);
    EXPECT_EQ(d.netns, ns);
    EXPECT_EQ(d.name, "nk1");
    EXPECT_GT(d.ifindex, 1);
    EXPECT_EQ(d.state, registration::registered);
    EXPECT_EQ(d.rx_queues, 3U);
    EXPECT_EQ(d.real_rx_queues, 1U);
    EXPECT_EQ(d.tx_queues, 1U);
    EXPECT_EQ(d.real_tx_queues, 1U);
    EXPECT_EQ(d.counters, device_counters{});
    EXPECT_FALSE(d.has_parent);
    EXPECT_EQ(d.xdp_features, uapi::xdp_feature{});
}

// NK-STATE-03: mode and pairing are shared by both ends and never change.
TEST(netkit_state, mode_and_pairing_are_shared_and_immutable) {
    test_world w;
    auto p = create_pair(w, {attr(netkit_attr::mode, 0)});
    EXPECT_EQ(w.at(p.primary).netkit->mode, w.at(p.peer).netkit->mode);
    EXPECT_EQ(w.at(p.primary).netkit->pairing, w.at(p.peer).netkit->pairing);
    EXPECT_FALSE(w.new_link(root, requests::change_netkit("nk1", {attr(netkit_attr::mode, 1)})).ok());
    EXPECT_FALSE(w.new_link(root, requests::change_netkit("nk1", {attr(netkit_attr::pairing, 1)})).ok());
    EXPECT_EQ(w.at(p.peer).netkit->mode, uapi::mode::l2);
    EXPECT_EQ(w.at(p.primary).netkit->pairing, uapi::pairing::pair);
}

}  // namespace

namespace {

// NK-FEAT-04 / NK-RT-06 / NK-FEAT-05
TEST(netkit_features, ethtool_offers_driver_information_only_and_rx_mode_is_a_no_op) {
    test_world w;
    auto p = create_pair(w, {attr(netkit_attr::mode, 0)});
    EXPECT_EQ(w.ethtool_driver_name(p.primary).value(), "netkit");
    const test_world before = w;
    EXPECT_EQ(w.ethtool_set_channels(p.primary, links::channel_counts{2, 0, 0, 0}).code(), errno_code::not_supported);
    EXPECT_TRUE(w.set_rx_mode(p.primary, true).ok());
    EXPECT_EQ(w, before);
}

// NK-DEL-07: deletion is immediate for lookups; the free waits for the last holder.
TEST(netkit_delete, a_held_device_disappears_at_once_and_is_freed_when_released) {
    test_world w;
    auto p = create_pair(w, {attr(netkit_attr::mode, 0)});
    w.hold(p.peer);
    ASSERT_TRUE(w.delete_link(root, delete_request{0, std::string("nk1"), std::nullopt}).ok());
    EXPECT_EQ(w.find(world::initial_netns(), "nk0"), nullptr);
    EXPECT_EQ(w.at(p.peer).state, registration::unregistering);
    EXPECT_EQ(w.at(p.primary).state, registration::freed);
    w.release_hold(p.peer);
    EXPECT_EQ(w.at(p.peer).state, registration::freed);
}

// NK-UAPI-11 (informative): the ynl names forward/blackhole are PASS/DROP.
TEST(netkit_features, the_ynl_policy_names_forward_and_blackhole_are_pass_and_drop_unconfirmed) {
    EXPECT_EQ(static_cast<int>(uapi::action::pass), 0);   // netkit-policy "forward"
    EXPECT_EQ(static_cast<int>(uapi::action::drop), 2);   // netkit-policy "blackhole"
    EXPECT_EQ(static_cast<int>(uapi::mode::l2), 0);
    EXPECT_EQ(static_cast<int>(uapi::scrub::standard), 1);  // netkit-scrub "default"
}

}  // namespace

namespace {

// NL-RT-12: a dump lists every device of the caller's netns, in ifindex order.
TEST(netkit_dump, a_dump_lists_the_callers_netns_in_ifindex_order) {
    test_world w;
    auto p = create_pair(w, {attr(netkit_attr::mode, 0)});
    auto pod = w.create_netns("pod");
    ASSERT_TRUE(w.move(p.peer, pod).ok());
    const auto host = w.dump_links(root);
    ASSERT_EQ(host.size(), 2U);
    EXPECT_EQ(host[0].name, "lo");
    EXPECT_EQ(host[1].name, "nk1");
    EXPECT_EQ(host[1].link_netnsid, 0);
    const auto inside = w.dump_links(world::root(pod));
    ASSERT_EQ(inside.size(), 2U);
    EXPECT_EQ(inside[1].name, "nk0");
}

// NL-RT-10: RTM_SETLINK by index renames; an existing name is EEXIST.
TEST(netkit_runtime, setlink_by_index_renames_and_refuses_a_taken_name) {
    test_world w;
    auto p = create_pair(w, {attr(netkit_attr::mode, 0)});
    link_request rename;
    rename.header.index = w.at(p.primary).ifindex;
    rename.attributes.ifname = "host0";
    ASSERT_TRUE(w.set_link(root, rename).ok());
    EXPECT_EQ(w.find(world::initial_netns(), "host0")->handle, p.primary);
    rename.attributes.ifname = "nk0";
    EXPECT_EQ(w.set_link(root, rename).code(), errno_code::exists);
}

// NL-RT-10: a new name the kernel does not accept as a device name (empty,
// "." or "..", or with '/', ':' or white space) is EINVAL, and the device
// keeps its name. Found by the netlink fuzzer: an empty IFLA_IFNAME renamed
// lo (fuzz/corpus/netlink/ee87d63130df1184).
TEST(netkit_runtime, setlink_refuses_a_name_the_kernel_does_not_accept_with_einval) {
    test_world w;
    auto p = create_pair(w, {attr(netkit_attr::mode, 0)});
    const std::string name = w.at(p.primary).name;
    link_request rename;
    rename.header.index = w.at(p.primary).ifindex;
    for (const char* bad : {"", ".", "..", "a/b", "a:b", "a b", "nk\t"}) {
        rename.attributes.ifname = bad;
        EXPECT_EQ(w.set_link(root, rename).code(), errno_code::invalid) << "'" << bad << "'";
        EXPECT_EQ(w.at(p.primary).name, name);
    }
    rename.attributes.ifname = "a.b-c_d";  // dots, dashes and underscores are fine
    EXPECT_TRUE(w.set_link(root, rename).ok());
}

// NK-CHG-07 / NL-RT-10: the generic changes are not atomic; an error after an
// applied step says so and keeps the step.
TEST(netkit_runtime, a_generic_change_failing_halfway_keeps_its_first_steps) {
    test_world w;
    auto p = create_pair(w, {});  // L3: the MAC change fails
    link_request r;
    r.header.index = w.at(p.primary).ifindex;
    r.attributes.mtu = 9000;
    r.attributes.address = std::vector<std::uint8_t>{0x02, 0, 0, 0, 0, 1};
    auto s = w.set_link(root, r);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), errno_code::not_supported);
    EXPECT_TRUE(s.failure().partly_applied);
    EXPECT_EQ(w.at(p.primary).mtu, 9000U);
    // Failing at the first step is a clean refusal.
    link_request only_mac = r;
    only_mac.attributes.mtu.reset();
    const test_world before = w;
    auto clean = w.set_link(root, only_mac);
    EXPECT_FALSE(clean.failure().partly_applied);
    EXPECT_EQ(w, before);
}

}  // namespace
