// Tests of include/netkit/model/bpf.hpp through the world: target resolution
// (MP-07…13), the syscall-level checks (MP-14…17), program attach/detach/
// query on netkit devices (MP-19…21, MP-36, MP-47…51), links (MP-54…60),
// device unregistration (MP-61/62), the tcx ingress hook (MP-64), and the
// scenarios of scenarios.md §1 and §4 that need a device. The ordering
// engine itself is tested in props/model/mprog.cpp.
#include <netkit/model/world.hpp>

#include "test_world.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace netkit;
using namespace netkit::model;
using core::errno_code;
using uapi::bpf_attach_flag;
using uapi::bpf_attach_type;
using uapi::netkit_attr;
using requests::attr;

const caller root = world::root();

// "tc3": built with += because GCC 12 at -O3 warns falsely (-Wrestrict, PR
// 105651) on `"literal" + std::to_string(i)`.
std::string numbered(const char* prefix, int i) {
    std::string name = prefix;
    name += std::to_string(i);
    return name;
}

struct fixture {
    test_world w;
    core::device_handle primary;
    core::device_handle peer;
    std::int32_t p = 0;  // the primary's ifindex
    std::int32_t q = 0;  // the peer's

    explicit fixture(std::uint32_t mode = 0) {
        auto out = w.new_link(root, requests::create_netkit("nk1", {attr(netkit_attr::mode, mode)}));
        EXPECT_TRUE(out.ok());
        primary = out.value().device;
        peer = *out.value().peer;
        p = w.at(primary).ifindex;
        q = w.at(peer).ifindex;
    }

    std::int32_t program(std::string name, script behaviour = returns(uapi::action::next)) {
        return w.load_program(bpf::program_spec{std::move(name), std::move(behaviour), nullptr,
                                                uapi::bpf_program_type::traffic_classifier, false});
    }

    core::result<std::int32_t> link(std::int32_t program_fd, bpf_attach_type type = bpf_attach_type::netkit_primary,
                                    bpf_attach_flag flags = {}, std::uint32_t relative = 0,
                                    std::int32_t ifindex = -1) {
        return w.link_create(root, bpf::link_create_args{program_fd, ifindex < 0 ? p : ifindex, type, flags, relative, 0});
    }

    core::status attach(std::int32_t program_fd, bpf_attach_type type = bpf_attach_type::netkit_primary,
                        bpf_attach_flag flags = {}, std::uint32_t relative = 0, std::int32_t ifindex = -1) {
        bpf::attach_args a;
        a.target_ifindex = ifindex < 0 ? p : ifindex;
        a.type = type;
        a.program_fd = program_fd;
        a.flags = flags;
        a.relative = relative;
        return w.prog_attach(root, a);
    }

    mprog::query_reply query(bpf_attach_type type = bpf_attach_type::netkit_primary, std::int32_t ifindex = -1) {
        bpf::query_args a;
        a.target_ifindex = ifindex < 0 ? p : ifindex;
        a.type = type;
        return w.prog_query(root, a);
    }

    std::uint32_t count(bpf_attach_type type = bpf_attach_type::netkit_primary) {
        bpf::query_args a;
        a.target_ifindex = p;
        a.type = type;
        a.request.count = 0;  // header only (MP-48)
        auto r = w.prog_query(root, a);
        EXPECT_TRUE(r.status.ok());
        return r.written ? r.written->count : 0;
    }

    void up_both() {
        ASSERT_TRUE(w.open(primary).ok());
        ASSERT_TRUE(w.open(peer).ok());
    }

    frame ipv4_to_peer() const { return ethernet_frame(w.at(peer).mac, w.at(primary).mac, 0x0800); }
};

// SC-NK-006 / SC-NK-119: MP-47, MP-48, MP-51
TEST(bpf_query, a_fresh_pair_has_nothing_attached_on_either_side_SC_NK_006_119) {
    fixture f(0);
    for (auto type : {bpf_attach_type::netkit_primary, bpf_attach_type::netkit_peer}) {
        auto r = f.query(type);
        ASSERT_TRUE(r.status.ok());
        EXPECT_EQ(r.written->count, 0U);
        EXPECT_EQ(r.written->revision, 1U);
        EXPECT_TRUE(r.written->program_ids.empty());
    }
}

// SC-NK-007 / SC-NK-009: MP-54, MP-55, MP-47, MP-50, MP-52, MP-03, MP-13, MP-51
TEST(bpf_links, links_on_each_side_have_their_own_revision_SC_NK_007_009) {
    fixture f(0);
    const auto tc1 = f.program("tc1");
    const auto tc2 = f.program("tc2");
    auto link1 = f.link(tc1);
    ASSERT_TRUE(link1.ok());
    auto r = f.query();
    EXPECT_EQ(r.written->count, 1U);
    EXPECT_EQ(r.written->revision, 2U);
    ASSERT_EQ(r.written->program_ids.size(), 1U);
    EXPECT_EQ(r.written->program_ids[0], f.w.program_at(tc1)->id.value());
    auto info = f.w.link_info(link1.value());
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(r.written->link_ids[0], info.value().id.value());
    EXPECT_EQ(f.count(bpf_attach_type::netkit_peer), 0U);
    auto link2 = f.link(tc2, bpf_attach_type::netkit_peer);
    ASSERT_TRUE(link2.ok());
    auto peer = f.query(bpf_attach_type::netkit_peer);
    EXPECT_EQ(peer.written->count, 1U);
    EXPECT_EQ(peer.written->revision, 2U);
    // MP-55 / MP-60: a PEER link refers to the peer device.
    EXPECT_EQ(f.w.link_info(link2.value()).value().ifindex, f.q);
    EXPECT_EQ(f.w.link_info(link2.value()).value().attach_type, bpf_attach_type::netkit_peer);
    EXPECT_EQ(f.w.link_info(link1.value()).value().type, uapi::bpf_link_type::netkit);
}

// SC-NK-008 / SC-NK-010: NK-XMIT-09, NK-XMIT-10, MP-13
TEST(bpf_links, primary_programs_run_on_primary_transmit_and_peer_programs_on_peer_transmit_SC_NK_008_010) {
    fixture f(0);
    f.up_both();
    const auto tc1 = f.program("tc1");
    const auto tc2 = f.program("tc2");
    ASSERT_TRUE(f.link(tc1).ok());
    auto sent = f.w.transmit(f.primary, f.ipv4_to_peer());
    EXPECT_EQ(sent.status, transmit_status::sent);
    EXPECT_TRUE(f.w.program_at(tc1)->observed.ran());
    EXPECT_FALSE(f.w.program_at(tc2)->observed.ran());
    ASSERT_TRUE(f.link(tc2, bpf_attach_type::netkit_peer).ok());
    auto reply = f.w.transmit(f.peer, ethernet_frame(f.w.at(f.primary).mac, f.w.at(f.peer).mac, 0x0800));
    EXPECT_EQ(reply.status, transmit_status::sent);
    EXPECT_EQ(f.w.program_at(tc2)->observed.runs, 1U);
    EXPECT_EQ(f.w.program_at(tc1)->observed.runs, 1U);
}

// SC-NK-011: MP-59, MP-47
TEST(bpf_links, closing_the_last_link_descriptor_releases_the_link_SC_NK_011) {
    fixture f(0);
    const auto tc1 = f.program("tc1");
    const auto tc2 = f.program("tc2");
    auto link1 = f.link(tc1);
    auto link2 = f.link(tc2, bpf_attach_type::netkit_peer);
    ASSERT_TRUE(link1.ok() && link2.ok());
    ASSERT_TRUE(f.w.close(link1.value()).ok());
    ASSERT_TRUE(f.w.close(link2.value()).ok());
    EXPECT_EQ(f.count(), 0U);
    EXPECT_EQ(f.count(bpf_attach_type::netkit_peer), 0U);
}

// SC-NK-012 / SC-NK-021: MP-63, NK-XMIT-16
TEST(bpf_links, programs_see_an_ipv4_frame_with_an_ethernet_header_in_l2_and_l3_SC_NK_012) {
    for (std::uint32_t mode : {0U, 1U}) {
        fixture f(mode);
        f.up_both();
        const auto tc1 = f.program("tc1");
        ASSERT_TRUE(f.link(tc1).ok());
        auto r = f.query();
        EXPECT_EQ(r.written->revision, 2U);
        (void)f.w.transmit(f.primary, f.ipv4_to_peer());
        EXPECT_TRUE(f.w.program_at(tc1)->observed.saw_ipv4_ethernet) << "mode " << mode;
    }
}

// SC-NK-022: NK-XMIT-16 (an ARP request is not IPv4)
TEST(bpf_links, in_l2_the_program_runs_on_the_arp_request_but_sees_no_ipv4_SC_NK_022) {
    fixture f(0);
    f.up_both();
    const auto tc1 = f.program("tc1");
    ASSERT_TRUE(f.link(tc1).ok());
    (void)f.w.transmit(f.primary, ethernet_frame(broadcast_mac, f.w.at(f.primary).mac, 0x0806));
    EXPECT_TRUE(f.w.program_at(tc1)->observed.ran());
    EXPECT_FALSE(f.w.program_at(tc1)->observed.saw_ipv4_ethernet);
}

// SC-NK-013 / SC-NK-014: MP-26, MP-29, MP-34, MP-35, NK-XMIT-09
TEST(bpf_links, a_link_before_a_relative_program_goes_in_front_and_both_run_SC_NK_013_014) {
    fixture f(0);
    f.up_both();
    const auto tc1 = f.program("tc1");
    const auto tc2 = f.program("tc2");
    auto link1 = f.link(tc1);
    auto link2 = f.link(tc2, bpf_attach_type::netkit_primary, bpf_attach_flag::before, static_cast<std::uint32_t>(tc1));
    ASSERT_TRUE(link1.ok() && link2.ok());
    auto r = f.query();
    EXPECT_EQ(r.written->count, 2U);
    EXPECT_EQ(r.written->revision, 3U);
    EXPECT_EQ(r.written->program_ids,
              (std::vector<std::uint32_t>{f.w.program_at(tc2)->id.value(), f.w.program_at(tc1)->id.value()}));
    auto sent = f.w.transmit(f.primary, f.ipv4_to_peer());
    EXPECT_EQ(sent.status, transmit_status::sent);
    EXPECT_EQ(sent.programs_run, 2U);
}

// SC-NK-015 / SC-NK-016 / SC-NK-017: MP-19, MP-32, MP-29, MP-34, MP-36, MP-41, MP-46
TEST(bpf_opts, opts_attach_before_and_detach_by_descriptor_SC_NK_015_to_017) {
    for (std::uint32_t mode : {0U, 1U}) {
        for (auto type : {bpf_attach_type::netkit_primary, bpf_attach_type::netkit_peer}) {
            fixture f(mode);
            const auto tc1 = f.program("tc1");
            const auto tc2 = f.program("tc2");
            ASSERT_TRUE(f.attach(tc1, type).ok());
            auto one = f.query(type);
            EXPECT_EQ(one.written->count, 1U);
            EXPECT_EQ(one.written->revision, 2U);
            EXPECT_EQ(one.written->link_ids, (std::vector<std::uint32_t>{0}));
            ASSERT_TRUE(f.attach(tc2, type, bpf_attach_flag::before, static_cast<std::uint32_t>(tc1)).ok());
            auto two = f.query(type);
            EXPECT_EQ(two.written->revision, 3U);
            EXPECT_EQ(two.written->program_ids.front(), f.w.program_at(tc2)->id.value());
            bpf::detach_args d;
            d.target_ifindex = f.p;
            d.type = type;
            d.program_fd = tc2;
            ASSERT_TRUE(f.w.prog_detach(root, d).ok());
            EXPECT_EQ(f.count(type), 1U);
            d.program_fd = tc1;
            ASSERT_TRUE(f.w.prog_detach(root, d).ok());
            EXPECT_EQ(f.count(type), 0U);
        }
    }
}

// SC-NK-019 / SC-NK-020: MP-10, MP-54
TEST(bpf_dev_fetch, bpf_management_through_the_peer_is_eacces_SC_NK_019_020) {
    fixture f(1);
    for (auto type : {bpf_attach_type::netkit_primary, bpf_attach_type::netkit_peer}) {
        EXPECT_EQ(f.query(type, f.q).status.code(), errno_code::access_denied);
    }
    const auto tc1 = f.program("tc1");
    ASSERT_TRUE(f.link(tc1).ok());
    const auto tc2 = f.program("tc2");
    EXPECT_EQ(f.link(tc2, bpf_attach_type::netkit_peer, {}, 0, f.q).code(), errno_code::access_denied);
    EXPECT_EQ(f.link(tc2, bpf_attach_type::netkit_primary, {}, 0, f.q).code(), errno_code::access_denied);
    EXPECT_EQ(f.count(), 1U);
    EXPECT_EQ(f.count(bpf_attach_type::netkit_peer), 0U);
}

// SC-NK-116: MP-11
TEST(bpf_dev_fetch, single_devices_have_no_bpf_attach_points_SC_NK_116) {
    test_world w;
    auto out = w.new_link(root, requests::create_netkit("nk", {attr(netkit_attr::pairing, 1)}));
    ASSERT_TRUE(out.ok());
    const std::int32_t index = w.at(out.value().device).ifindex;
    const auto tc = w.load_program(bpf::program_spec{"tc", {}, nullptr, uapi::bpf_program_type::traffic_classifier, false});
    bpf::attach_args a;
    a.target_ifindex = index;
    a.program_fd = tc;
    EXPECT_EQ(w.prog_attach(root, a).code(), errno_code::not_supported);
    bpf::query_args q;
    q.target_ifindex = index;
    EXPECT_EQ(w.prog_query(root, q).status.code(), errno_code::not_supported);
    EXPECT_EQ(w.link_create(root, bpf::link_create_args{tc, index, bpf_attach_type::netkit_primary, {}, 0, 0}).code(),
              errno_code::not_supported);
}

// SC-NK-117: MP-08, MP-09
TEST(bpf_dev_fetch, non_netkit_devices_are_enxio_and_unknown_ones_enodev_SC_NK_117) {
    fixture f(0);
    const auto tc = f.program("tc");
    EXPECT_EQ(f.attach(tc, bpf_attach_type::netkit_primary, {}, 0, 1).code(), errno_code::no_such_device_or_address);
    EXPECT_EQ(f.attach(tc, bpf_attach_type::netkit_primary, {}, 0, 999).code(), errno_code::no_device);
    EXPECT_EQ(f.attach(tc, bpf_attach_type::netkit_primary, {}, 0, 0).code(), errno_code::no_device);
}

// MP-07 / MP-14: an unknown attach type is EINVAL before the descriptor is looked at.
TEST(bpf_syscall, an_unknown_attach_type_is_einval_even_with_a_closed_descriptor) {
    fixture f(0);
    EXPECT_EQ(f.attach(99, static_cast<bpf_attach_type>(1)).code(), errno_code::invalid);
    EXPECT_EQ(f.attach(99).code(), errno_code::bad_descriptor);  // MP-06
    EXPECT_EQ(f.attach(0).code(), errno_code::invalid);          // descriptor 0 is a file
    const auto tc = f.program("tc");
    EXPECT_EQ(f.attach(tc, bpf_attach_type::netkit_primary, static_cast<bpf_attach_flag>(1)).code(),
              errno_code::invalid);  // MP-02
}

// MP-14 (3): only SCHED_CLS programs.
TEST(bpf_syscall, a_program_of_another_type_is_einval) {
    fixture f(0);
    const auto other = f.w.load_program(bpf::program_spec{"xdp", {}, nullptr, static_cast<uapi::bpf_program_type>(6), false});
    EXPECT_EQ(f.attach(other).code(), errno_code::invalid);
    EXPECT_EQ(f.link(other).code(), errno_code::invalid);  // MP-17
}

// MP-12: PEER of a primary without a peer is ENODEV (here: the peer's netns is gone).
TEST(bpf_dev_fetch, peer_attach_type_without_a_peer_is_enodev) {
    fixture f(0);
    // Transiently peerless primary: model it by clearing the link as a teardown would.
    world_state s = f.w.state();
    state::device_of(s, f.primary).netkit->peer.reset();
    caller c = root;
    EXPECT_EQ(bpf::dev_fetch(s, c, f.p, bpf_attach_type::netkit_peer).code(), errno_code::no_device);
    EXPECT_TRUE(bpf::dev_fetch(s, c, f.p, bpf_attach_type::netkit_primary).ok());
}

// MP-15 / MP-16: capabilities for detach by position and for query.
TEST(bpf_syscall, detach_by_position_and_query_need_cap_net_admin) {
    fixture f(0);
    const auto tc = f.program("tc");
    ASSERT_TRUE(f.attach(tc).ok());
    const caller plain = caller::contained_in(world::initial_netns());
    bpf::detach_args d;
    d.target_ifindex = f.p;
    EXPECT_EQ(f.w.prog_detach(plain, d).code(), errno_code::not_permitted);
    bpf::query_args q;
    q.target_ifindex = f.p;
    EXPECT_EQ(f.w.prog_query(plain, q).status.code(), errno_code::not_permitted);
    q.request.query_flags = 2;
    EXPECT_EQ(f.w.prog_query(root, q).status.code(), errno_code::invalid);
    q.request.query_flags = 1;  // BPF_F_QUERY_EFFECTIVE passes the syscall, the engine refuses it
    EXPECT_EQ(f.w.prog_query(root, q).status.code(), errno_code::invalid);
    d.flags = static_cast<bpf_attach_flag>(1);
    EXPECT_EQ(f.w.prog_detach(root, d).code(), errno_code::invalid);
}

// MP-18 [unconfirmed]: no capability check on attach.
TEST(bpf_syscall, attach_needs_no_capability_unconfirmed) {
    fixture f(0);
    const auto tc = f.program("tc");
    bpf::attach_args a;
    a.target_ifindex = f.p;
    a.program_fd = tc;
    EXPECT_EQ(f.w.prog_attach(caller::contained_in(world::initial_netns()), a).ok(),
              !unconfirmed::bpf_attach_needs_capability);
}

// MP-21
TEST(bpf_opts, one_program_may_sit_on_both_sides_at_once) {
    fixture f(0);
    const auto tc = f.program("tc");
    ASSERT_TRUE(f.attach(tc).ok());
    ASSERT_TRUE(f.attach(tc, bpf_attach_type::netkit_peer).ok());
    EXPECT_EQ(f.count(), 1U);
    EXPECT_EQ(f.count(bpf_attach_type::netkit_peer), 1U);
}

// MP-20
TEST(bpf_opts, a_failed_attach_changes_nothing) {
    fixture f(0);
    const auto tc = f.program("tc");
    ASSERT_TRUE(f.attach(tc).ok());
    const test_world before = f.w;
    EXPECT_EQ(f.attach(tc).code(), errno_code::exists);
    EXPECT_EQ(f.w, before);
}

// SC-NK-035: MP-19, MP-06 (replace fd 0 is a file)
TEST(bpf_opts, replace_with_descriptor_0_is_einval_SC_NK_035) {
    fixture f(0);
    const auto tc1 = f.program("tc1");
    const auto tc2 = f.program("tc2");
    ASSERT_TRUE(f.attach(tc1).ok());
    bpf::attach_args a;
    a.target_ifindex = f.p;
    a.program_fd = tc2;
    a.flags = bpf_attach_flag::replace;
    a.relative = static_cast<std::uint32_t>(tc1);
    a.replace_fd = 0;
    EXPECT_EQ(f.w.prog_attach(root, a).code(), errno_code::invalid);
    a.replace_fd = tc1;
    a.relative = 0;
    ASSERT_TRUE(f.w.prog_attach(root, a).ok());
    EXPECT_EQ(f.query().written->program_ids, (std::vector<std::uint32_t>{f.w.program_at(tc2)->id.value()}));
}

// SC-NK-118 / SC-NK-048: MP-36, MP-39
TEST(bpf_opts, detach_when_nothing_was_ever_attached_is_enoent_SC_NK_118) {
    fixture f(0);
    const auto tc = f.program("tc");
    bpf::detach_args d;
    d.target_ifindex = f.p;
    d.program_fd = tc;
    EXPECT_EQ(f.w.prog_detach(root, d).code(), errno_code::no_entry);
    d.program_fd = 0;
    EXPECT_EQ(f.w.prog_detach(root, d).code(), errno_code::no_entry);
}

// SC-NK-120: MP-53, MP-23
TEST(bpf_revision, an_emptied_netkit_attach_point_reports_revision_1_but_keeps_counting_SC_NK_120) {
    fixture f(0);
    const auto tc = f.program("tc");
    ASSERT_TRUE(f.attach(tc).ok());
    bpf::detach_args d;
    d.target_ifindex = f.p;
    d.program_fd = tc;
    ASSERT_TRUE(f.w.prog_detach(root, d).ok());
    EXPECT_EQ(f.query().written->revision, 1U);
    bpf::attach_args a;
    a.target_ifindex = f.p;
    a.program_fd = tc;
    a.expected_revision = 1;
    EXPECT_EQ(f.w.prog_attach(root, a).code(), errno_code::stale);
    a.expected_revision = 3;
    EXPECT_TRUE(f.w.prog_attach(root, a).ok());
}

// MP-53 / MP-64: tcx starts again at 1.
TEST(bpf_revision, an_emptied_tcx_attach_point_starts_again_at_revision_1) {
    fixture f(0);
    const auto tc = f.program("tc");
    ASSERT_TRUE(f.attach(tc, bpf_attach_type::tcx_ingress, {}, 0, f.q).ok());
    bpf::detach_args d;
    d.target_ifindex = f.q;
    d.type = bpf_attach_type::tcx_ingress;
    d.program_fd = tc;
    ASSERT_TRUE(f.w.prog_detach(root, d).ok());
    bpf::attach_args a;
    a.target_ifindex = f.q;
    a.type = bpf_attach_type::tcx_ingress;
    a.program_fd = tc;
    a.expected_revision = 1;
    EXPECT_TRUE(f.w.prog_attach(root, a).ok());
}

// SC-NK-050: MP-23, MP-54
TEST(bpf_links, a_stale_expected_revision_attaches_nothing_SC_NK_050) {
    fixture f(0);
    const auto tc1 = f.program("tc1");
    ASSERT_TRUE(f.link(tc1).ok());
    const auto tc2 = f.program("tc2");
    auto stale = f.w.link_create(root, bpf::link_create_args{tc2, f.p, bpf_attach_type::netkit_primary, {}, 0, 1});
    EXPECT_EQ(stale.code(), errno_code::stale);
    EXPECT_EQ(f.count(), 1U);
    EXPECT_TRUE(f.w.link_create(root, bpf::link_create_args{tc2, f.p, bpf_attach_type::netkit_primary, {}, 0, 2}).ok());
}

// SC-NK-049: MP-25, MP-29, MP-30, MP-35, MP-54
TEST(bpf_links, links_relative_to_links_by_id_and_by_descriptor_SC_NK_049) {
    fixture f(0);
    const auto tc1 = f.program("tc1");
    const auto tc2 = f.program("tc2");
    const auto tc3 = f.program("tc3");
    const auto tc4 = f.program("tc4");
    auto l1 = f.link(tc1);
    auto l2 = f.link(tc2);
    ASSERT_TRUE(l1.ok() && l2.ok());
    const auto id1 = f.w.link_info(l1.value()).value().id.value();
    ASSERT_TRUE(f.link(tc3, bpf_attach_type::netkit_primary,
                       bpf_attach_flag::before | bpf_attach_flag::relative_link | bpf_attach_flag::relative_id, id1)
                    .ok());
    ASSERT_TRUE(f.link(tc4, bpf_attach_type::netkit_primary, bpf_attach_flag::after | bpf_attach_flag::relative_link,
                       static_cast<std::uint32_t>(l2.value()))
                    .ok());
    auto r = f.query();
    auto id = [&](std::int32_t fd) { return f.w.program_at(fd)->id.value(); };
    EXPECT_EQ(r.written->program_ids, (std::vector<std::uint32_t>{id(tc3), id(tc1), id(tc2), id(tc4)}));
    EXPECT_EQ(r.written->revision, 5U);
}

// SC-NK-051: MP-56, MP-57, MP-58, MP-52
TEST(bpf_links, link_create_cannot_replace_and_update_keeps_id_and_position_SC_NK_051) {
    fixture f(0);
    const auto tc1 = f.program("tc1");
    const auto tc2 = f.program("tc2");
    const auto tc3 = f.program("tc3");
    auto l1 = f.link(tc1);
    auto l2 = f.link(tc2);
    ASSERT_TRUE(l1.ok() && l2.ok());
    const auto l2_id = f.w.link_info(l2.value()).value().id.value();
    EXPECT_EQ(f.link(tc3, bpf_attach_type::netkit_primary, bpf_attach_flag::replace, static_cast<std::uint32_t>(tc2)).code(),
              errno_code::no_entry);
    EXPECT_EQ(f.link(tc3, bpf_attach_type::netkit_primary, bpf_attach_flag::replace | bpf_attach_flag::relative_link,
                     static_cast<std::uint32_t>(l2.value()))
                  .code(),
              errno_code::no_entry);
    EXPECT_EQ(f.link(tc3, bpf_attach_type::netkit_primary,
                     bpf_attach_flag::replace | bpf_attach_flag::relative_link | bpf_attach_flag::after |
                         bpf_attach_flag::relative_id,
                     l2_id)
                  .code(),
              errno_code::no_entry);
    EXPECT_EQ(f.count(), 2U);
    ASSERT_TRUE(f.w.link_update(l2.value(), tc3).ok());
    auto r = f.query();
    EXPECT_EQ(r.written->revision, 4U);
    EXPECT_EQ(r.written->program_ids[1], f.w.program_at(tc3)->id.value());
    EXPECT_EQ(r.written->link_ids[1], l2_id);
    ASSERT_TRUE(f.w.link_update(l2.value(), tc3).ok());  // same program: no change
    EXPECT_EQ(f.query().written->revision, 4U);
    ASSERT_TRUE(f.w.link_detach(l2.value()).ok());
    EXPECT_EQ(f.count(), 1U);
    EXPECT_EQ(f.query().written->revision, 5U);
}

// SC-NK-128: MP-57
TEST(bpf_links, update_with_a_wrong_expected_old_program_is_eperm_SC_NK_128) {
    fixture f(0);
    const auto tc1 = f.program("tc1");
    const auto tc2 = f.program("tc2");
    auto l1 = f.link(tc1);
    ASSERT_TRUE(l1.ok());
    EXPECT_EQ(f.w.link_update(l1.value(), tc2, tc2).code(), errno_code::not_permitted);
    EXPECT_TRUE(f.w.link_update(l1.value(), tc2, tc1).ok());
}

// SC-NK-127 / SC-NK-054: MP-57, MP-58, MP-60, MP-61, MP-62, NK-DEL-04
TEST(bpf_links, deleting_the_device_makes_its_links_defunct_SC_NK_054_127) {
    fixture f(0);
    std::vector<std::int32_t> links;
    for (int i = 0; i < 4; ++i) {
        auto l = f.link(f.program(numbered("tc", i)), i % 2 == 0 ? bpf_attach_type::netkit_primary
                                                                          : bpf_attach_type::netkit_peer);
        ASSERT_TRUE(l.ok());
        links.push_back(l.value());
    }
    ASSERT_TRUE(f.w.delete_link(root, delete_request{f.p, std::nullopt, std::nullopt}).ok());
    for (auto l : links) {
        EXPECT_EQ(f.w.link_info(l).value().ifindex, 0);
    }
    EXPECT_EQ(f.w.link_update(links[0], f.program("new")).code(), errno_code::link_severed);
    EXPECT_TRUE(f.w.link_detach(links[0]).ok());
    EXPECT_TRUE(f.w.close(links[0]).ok());
}

// SC-NK-055: MP-61, MP-62 — opts programs lose their attachment reference.
TEST(bpf_opts, deleting_the_device_with_opts_programs_succeeds_and_releases_them_SC_NK_055) {
    fixture f(0);
    std::vector<std::int32_t> programs;
    for (int i = 0; i < 4; ++i) {
        programs.push_back(f.program(numbered("tc", i)));
        ASSERT_TRUE(f.attach(programs.back()).ok());
        EXPECT_EQ(f.w.program_at(programs.back())->references, 2U);
    }
    ASSERT_TRUE(f.w.delete_link(root, delete_request{f.p, std::nullopt, std::nullopt}).ok());
    for (auto fd : programs) {
        EXPECT_EQ(f.w.program_at(fd)->references, 1U);  // only the descriptor remains
    }
    const auto id = f.w.program_at(programs[0])->id;
    ASSERT_TRUE(f.w.close(programs[0]).ok());
    EXPECT_EQ(f.w.find_program(id), nullptr);  // freed: nothing holds it
}

// SC-NK-023 / SC-NK-024 / SC-NK-025: MP-64, MP-63, NK-XMIT-07, NK-XMIT-10, NK-RT-03
TEST(bpf_tcx, the_packet_type_set_by_the_netkit_program_survives_to_tcx_ingress_SC_NK_023_to_025) {
    for (std::uint32_t mode : {0U, 1U}) {
        fixture f(mode);
        f.up_both();
        script rewrite = returns(uapi::action::pass);
        rewrite.header_writes = {{0, 4}};
        rewrite.set_type = packet_type::multicast;
        const auto tc1 = f.program("nk", rewrite);
        const auto tc2 = f.program("tcx");
        ASSERT_TRUE(f.link(tc1).ok());
        ASSERT_TRUE(f.link(tc2, bpf_attach_type::tcx_ingress, {}, 0, f.q).ok());
        EXPECT_EQ(f.count(), 1U);
        auto sent = f.w.transmit(f.primary, f.ipv4_to_peer());
        ASSERT_EQ(sent.status, transmit_status::sent);
        EXPECT_EQ(f.w.program_at(tc1)->observed.type, packet_type::host);
        EXPECT_EQ(f.w.program_at(tc2)->observed.type, packet_type::multicast);
        EXPECT_EQ(sent.delivered->frame.bytes[0], 4);
        // SC-NK-025: still both run after the peer moves.
        auto foo = f.w.create_netns("foo");
        ASSERT_TRUE(f.w.move(f.peer, foo).ok());
        f.up_both();
        (void)f.w.transmit(f.primary, f.ipv4_to_peer());
        EXPECT_EQ(f.w.program_at(tc1)->observed.runs, 2U);
        EXPECT_EQ(f.w.program_at(tc2)->observed.runs, 2U);
    }
}

// SC-NK-045 through the world: MP-04, MP-28
TEST(bpf_opts, sixty_three_programs_fit_and_the_sixty_fourth_is_erange) {
    fixture f(0);
    for (int i = 0; i < 63; ++i) {
        ASSERT_TRUE(f.attach(f.program(numbered("p", i))).ok()) << i;
    }
    EXPECT_EQ(f.attach(f.program("extra")).code(), errno_code::out_of_range);
    EXPECT_EQ(f.count(), 63U);
    // MP-49: an 8-entry buffer gets 8 ids, ENOSPC, and the full count.
    auto r = f.query();
    EXPECT_EQ(r.status.code(), errno_code::no_space);
    EXPECT_EQ(r.written->count, 63U);
    EXPECT_EQ(r.written->program_ids.size(), 8U);
}

}  // namespace

namespace {

// MP-05: program and link ids are >= 1 and never reused.
TEST(bpf_objects, program_and_link_ids_are_never_reused) {
    fixture f(0);
    const auto a = f.program("a");
    const auto first = f.w.program_at(a)->id;
    EXPECT_GE(first.value(), 1U);
    ASSERT_TRUE(f.w.close(a).ok());
    const auto b = f.program("b");
    EXPECT_GT(f.w.program_at(b)->id.value(), first.value());
    auto l1 = f.link(b);
    ASSERT_TRUE(l1.ok());
    const auto link_id = f.w.link_info(l1.value()).value().id;
    ASSERT_TRUE(f.w.close(l1.value()).ok());
    auto l2 = f.link(b);
    ASSERT_TRUE(l2.ok());
    EXPECT_GT(f.w.link_info(l2.value()).value().id.value(), link_id.value());
}

// NK-OPEN-06: bpf_redirect_peer delivers straight into the target's peer.
TEST(bpf_objects, redirect_peer_uses_the_targets_peer_device) {
    fixture f(0);
    f.up_both();
    auto other = f.w.new_link(root, requests::create_netkit("nk9", {attr(netkit_attr::mode, 0)}));
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(f.w.open(*other.value().peer).ok());
    script s = returns(uapi::action::redirect);
    s.redirect = redirect_target{f.w.at(other.value().device).ifindex, redirect_mode::peer};
    ASSERT_TRUE(f.attach(f.program("r", s)).ok());
    auto r = f.w.transmit(f.primary, f.ipv4_to_peer());
    ASSERT_TRUE(r.delivered.has_value());
    EXPECT_EQ(r.delivered->device, *other.value().peer);
    // A single device has no peer to deliver into: the frame is freed.
    auto single = f.w.new_link(root, requests::create_netkit("solo", {attr(netkit_attr::pairing, 1)}));
    ASSERT_TRUE(single.ok());
    fixture g(0);
    g.up_both();
    auto solo = g.w.new_link(root, requests::create_netkit("solo", {attr(netkit_attr::pairing, 1)}));
    ASSERT_TRUE(solo.ok());
    script to_single = returns(uapi::action::redirect);
    to_single.redirect = redirect_target{g.w.at(solo.value().device).ifindex, redirect_mode::peer};
    ASSERT_TRUE(g.attach(g.program("r", to_single)).ok());
    auto freed = g.w.transmit(g.primary, g.ipv4_to_peer());
    EXPECT_EQ(freed.status, transmit_status::sent);
    EXPECT_FALSE(freed.delivered.has_value());
}

}  // namespace
