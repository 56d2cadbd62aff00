// Tests of include/netkit/model/transmit.hpp: the netkit transmit path of
// device.md §10 (NK-XMIT-01…17), one frame at a time, with counters.
#include <netkit/model/world.hpp>

#include "test_world.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <string>

namespace {

using namespace netkit;
using namespace netkit::model;
using uapi::bpf_attach_type;
using uapi::netkit_attr;
using requests::attr;

const caller root = world::root();

struct pair_fixture {
    test_world w;
    core::device_handle primary;
    core::device_handle peer;

    explicit pair_fixture(std::vector<netkit_attribute> data = {attr(netkit_attr::mode, 0)}) {
        auto out = w.new_link(root, requests::create_netkit("nk1", std::move(data)));
        EXPECT_TRUE(out.ok());
        primary = out.value().device;
        peer = *out.value().peer;
    }
    void up() {
        ASSERT_TRUE(w.open(primary).ok());
        ASSERT_TRUE(w.open(peer).ok());
    }
    std::int32_t attach(script s, bpf_attach_type type = bpf_attach_type::netkit_primary) {
        const auto fd = w.load_program(bpf::program_spec{"p", std::move(s), nullptr,
                                                         uapi::bpf_program_type::traffic_classifier, false});
        bpf::attach_args a;
        a.target_ifindex = w.at(primary).ifindex;
        a.type = type;
        a.program_fd = fd;
        EXPECT_TRUE(w.prog_attach(root, a).ok());
        return fd;
    }
    frame to_peer(std::size_t payload = 46) const {
        return ethernet_frame(w.at(peer).mac, w.at(primary).mac, 0x0800, payload);
    }
    void move_peer_away() {
        auto ns = w.create_netns("pod");
        ASSERT_TRUE(w.move(peer, ns).ok());
        up();
    }
};

// NK-XMIT-01 / NK-XMIT-10: default policy PASS delivers; counters on both ends.
TEST(transmit, pass_delivers_to_the_peer_and_counts_on_both_ends) {
    pair_fixture f;
    f.up();
    auto r = f.w.transmit(f.primary, f.to_peer(86));
    EXPECT_EQ(r.status, transmit_status::sent);
    EXPECT_EQ(r.verdict, 0);
    ASSERT_TRUE(r.delivered.has_value());
    EXPECT_EQ(r.delivered->device, f.peer);
    EXPECT_EQ(f.w.at(f.primary).counters.tx_packets, 1U);
    EXPECT_EQ(f.w.at(f.primary).counters.tx_bytes, 100U);
    EXPECT_EQ(f.w.at(f.peer).counters.rx_packets, 1U);
    EXPECT_EQ(f.w.at(f.peer).counters.rx_bytes, 100U);
    EXPECT_TRUE(r.delivered->frame.skip_egress_hooks);  // NK-XMIT-04
}

// SC-NK-121: NK-XMIT-14, NK-XMIT-02
TEST(transmit, a_single_device_drops_everything_SC_NK_121) {
    test_world w;
    auto out = w.new_link(root, requests::create_netkit("nk", {attr(netkit_attr::pairing, 1)}));
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE(w.open(out.value().device).ok());
    auto r = w.transmit(out.value().device, ethernet_frame(broadcast_mac, zero_mac, 0x0800));
    EXPECT_EQ(r.status, transmit_status::dropped);
    EXPECT_EQ(r.reason, drop_reason::no_peer);
    EXPECT_EQ(r.programs_run, 0U);
    EXPECT_EQ(w.at(out.value().device).counters.tx_dropped, 1U);
}

// SC-NK-122: NK-XMIT-02 (b), NK-XMIT-13 — only the peer's IFF_UP matters.
TEST(transmit, a_down_peer_drops_the_frame_SC_NK_122) {
    pair_fixture f;
    ASSERT_TRUE(f.w.open(f.primary).ok());
    auto r = f.w.transmit(f.primary, f.to_peer());
    EXPECT_EQ(r.reason, drop_reason::peer_down);
    EXPECT_EQ(f.w.at(f.primary).counters.tx_dropped, 1U);
    EXPECT_EQ(f.w.at(f.peer).counters.rx_packets, 0U);
    // The peer up without the primary up: carrier is not checked, the frame goes.
    pair_fixture g;
    ASSERT_TRUE(g.w.open(g.peer).ok());
    EXPECT_EQ(g.w.transmit(g.primary, g.to_peer()).status, transmit_status::sent);
}

// SC-NK-124: NK-XMIT-02 (c)
TEST(transmit, a_frame_shorter_than_the_ethernet_header_is_dropped_SC_NK_124) {
    pair_fixture f;
    f.up();
    frame tiny;
    tiny.bytes.assign(10, 0xaa);
    EXPECT_EQ(f.w.transmit(f.primary, tiny).reason, drop_reason::too_short);
    frame not_linear = f.to_peer();
    not_linear.linear_limit = 8;
    EXPECT_EQ(f.w.transmit(f.primary, not_linear).reason, drop_reason::too_short);
    frame zero_copy = f.to_peer();
    zero_copy.unorphanable_zero_copy_fragments = true;  // NK-XMIT-02 (d)
    EXPECT_EQ(f.w.transmit(f.primary, zero_copy).reason, drop_reason::zero_copy_orphan_failed);
    EXPECT_EQ(f.w.at(f.primary).counters.tx_dropped, 3U);
}

// NK-XMIT-03
TEST(transmit, the_generic_scrub_clears_per_packet_state_but_not_mark_or_priority) {
    pair_fixture f;
    f.up();
    frame in = f.to_peer();
    in.input_ifindex = 9;
    in.ignore_df = in.has_route = in.has_extensions = in.has_conntrack = in.nf_trace = true;
    in.offload_forward_mark = in.ipvs_property = true;
    in.mark = 7;
    in.priority = 3;
    in.timestamp = 1234;
    auto r = f.w.transmit(f.primary, in);
    ASSERT_TRUE(r.delivered);
    const frame& out = r.delivered->frame;
    EXPECT_EQ(out.input_ifindex, 0);
    EXPECT_FALSE(out.ignore_df || out.has_route || out.has_extensions || out.has_conntrack || out.nf_trace ||
                 out.offload_forward_mark || out.ipvs_property);
    EXPECT_EQ(out.mark, 7U);
    EXPECT_EQ(out.priority, 3U);
    EXPECT_EQ(out.timestamp, 1234U);  // same netns: NK-XMIT-05 does not apply
}

// NK-XMIT-05
TEST(transmit, crossing_netns_clears_the_timestamp_unless_it_is_a_delivery_time) {
    pair_fixture f;
    f.move_peer_away();
    frame stamped = f.to_peer();
    stamped.timestamp = 99;
    EXPECT_EQ(f.w.transmit(f.primary, stamped).delivered->frame.timestamp, 0U);
    stamped.timestamp_is_delivery_time = true;
    EXPECT_EQ(f.w.transmit(f.primary, stamped).delivered->frame.timestamp, 99U);
}

// SC-NK-026 / SC-NK-027 / SC-NK-134: NK-XMIT-06, NK-XMIT-08, NK-UAPI-04, NK-PAIR-04
TEST(transmit, scrub_default_clears_mark_and_priority_only_across_netns_SC_NK_026_027_134) {
    frame marked;
    {
        pair_fixture f;
        f.move_peer_away();
        const auto fd = f.attach(returns(uapi::action::pass));
        marked = f.to_peer();
        marked.mark = 42;
        marked.priority = 0xeb9f;
        (void)f.w.transmit(f.primary, marked);
        const auto& seen = f.w.program_at(fd)->observed;
        EXPECT_EQ(seen.mark, 0U);
        EXPECT_EQ(seen.priority, 0U);
        EXPECT_EQ(seen.dev_needed_headroom, 0);
        EXPECT_EQ(seen.dev_needed_tailroom, 0);
        EXPECT_EQ(seen.dev_ifindex, f.w.at(f.peer).ifindex);  // skb->dev = the peer
    }
    {
        pair_fixture f({attr(netkit_attr::mode, 0), attr(netkit_attr::scrub, 0), attr(netkit_attr::headroom, 32),
                        attr(netkit_attr::tailroom, 8)});
        f.move_peer_away();
        const auto fd = f.attach(returns(uapi::action::pass));
        (void)f.w.transmit(f.primary, marked);
        const auto& seen = f.w.program_at(fd)->observed;
        EXPECT_EQ(seen.mark, 42U);
        EXPECT_EQ(seen.priority, 0xeb9fU);
        EXPECT_EQ(seen.dev_needed_headroom, 32);
        EXPECT_EQ(seen.dev_needed_tailroom, 8);
    }
    {
        pair_fixture f;  // SC-NK-134: same netns, DEFAULT scrub
        f.up();
        frame seven = f.to_peer();
        seven.mark = 7;
        EXPECT_EQ(f.w.transmit(f.primary, seven).delivered->frame.mark, 7U);
    }
}

// NK-XMIT-07
TEST(transmit, the_packet_type_is_computed_against_the_peers_address) {
    pair_fixture f;
    f.up();
    EXPECT_EQ(f.w.transmit(f.primary, f.to_peer()).delivered->frame.type, packet_type::host);
    EXPECT_EQ(f.w.transmit(f.primary, ethernet_frame(broadcast_mac, zero_mac, 0x0800)).delivered->frame.type,
              packet_type::broadcast);
    EXPECT_EQ(f.w.transmit(f.primary, ethernet_frame({0x01, 0, 0x5e, 0, 0, 1}, zero_mac, 0x0800)).delivered->frame.type,
              packet_type::multicast);
    EXPECT_EQ(f.w.transmit(f.primary, ethernet_frame({0x02, 9, 9, 9, 9, 9}, zero_mac, 0x0800)).delivered->frame.type,
              packet_type::other_host);
    // L3: both addresses are zero, frames are for the host.
    pair_fixture l3({attr(netkit_attr::mode, 1)});
    l3.up();
    EXPECT_EQ(l3.w.transmit(l3.primary, ethernet_frame(zero_mac, zero_mac, 0x0800)).delivered->frame.type,
              packet_type::host);
}

// NK-XMIT-09 / SC-NK-126: with programs attached the policy is ignored.
TEST(transmit, programs_run_in_order_until_one_returns_other_than_next_SC_NK_126) {
    pair_fixture f({attr(netkit_attr::mode, 0), attr(netkit_attr::policy, 2)});
    f.up();
    const auto a = f.attach(returns(uapi::action::next));
    const auto b = f.attach(returns(uapi::action::next));
    auto all_next = f.w.transmit(f.primary, f.to_peer());
    EXPECT_EQ(all_next.status, transmit_status::sent);  // policy DROP ignored
    EXPECT_EQ(all_next.verdict, -1);
    EXPECT_EQ(all_next.programs_run, 2U);
    const auto c = f.attach(returns(uapi::action::drop));
    const auto d = f.attach(returns(uapi::action::pass));
    auto dropped = f.w.transmit(f.primary, f.to_peer());
    EXPECT_EQ(dropped.verdict, 2);
    EXPECT_EQ(dropped.programs_run, 3U);
    EXPECT_FALSE(f.w.program_at(d)->observed.ran());
    (void)a;
    (void)b;
    (void)c;
}

// SC-NK-114 / SC-NK-125: NK-XMIT-01, NK-XMIT-13
TEST(transmit, policy_drop_and_unknown_verdicts_drop_and_count_SC_NK_114_125) {
    pair_fixture f;
    f.up();
    ASSERT_TRUE(f.w.new_link(root, requests::change_netkit("nk1", {attr(netkit_attr::policy, 2)})).ok());
    EXPECT_EQ(f.w.transmit(f.primary, f.to_peer()).reason, drop_reason::verdict_drop);
    EXPECT_EQ(f.w.at(f.primary).counters.tx_dropped, 1U);
    pair_fixture g;
    g.up();
    g.attach([] {
        script s;
        s.verdict = 1;
        return s;
    }());
    EXPECT_EQ(g.w.transmit(g.primary, g.to_peer()).status, transmit_status::dropped);
    EXPECT_EQ(g.w.at(g.primary).counters.tx_dropped, 1U);
}

// NK-XMIT-10: a program-set protocol survives.
TEST(transmit, the_protocol_set_by_a_program_is_kept) {
    pair_fixture f;
    f.up();
    script s = returns(uapi::action::pass);
    s.set_protocol = 0x86dd;
    f.attach(s);
    EXPECT_EQ(f.w.transmit(f.primary, f.to_peer()).delivered->frame.protocol, 0x86dd);
}

// NK-XMIT-11
TEST(transmit, a_full_backlog_drops_and_counts_on_both_ends) {
    pair_fixture f;
    f.up();
    f.w.limit_backlog(0);
    auto r = f.w.transmit(f.primary, f.to_peer());
    EXPECT_EQ(r.reason, drop_reason::backlog_full);
    EXPECT_EQ(f.w.at(f.peer).counters.rx_dropped, 1U);
    EXPECT_EQ(f.w.at(f.primary).counters.tx_dropped, 1U);
    EXPECT_EQ(f.w.at(f.primary).counters.tx_packets, 0U);
    EXPECT_EQ(f.w.at(f.peer).counters.rx_packets, 0U);
}

// NK-XMIT-12 / SC-NK-057: redirect resolved in the peer's netns.
TEST(transmit, redirect_counts_on_the_sender_and_goes_where_the_program_said_SC_NK_057) {
    pair_fixture f;
    f.move_peer_away();
    // A second pair inside the pod: the target is named by its ifindex there.
    const auto pod = f.w.at(f.peer).netns;
    auto other = f.w.new_link(world::root(pod), requests::create_netkit("guest", {attr(netkit_attr::mode, 0)}));
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(f.w.open(other.value().device).ok());
    ASSERT_TRUE(f.w.open(*other.value().peer).ok());
    script s = returns(uapi::action::redirect);
    s.redirect = redirect_target{f.w.at(other.value().device).ifindex, redirect_mode::peer};
    f.attach(s);
    auto r = f.w.transmit(f.primary, f.to_peer(86));
    EXPECT_EQ(r.status, transmit_status::sent);
    EXPECT_EQ(r.redirected_to, other.value().device);
    ASSERT_TRUE(r.delivered.has_value());
    EXPECT_EQ(r.delivered->device, *other.value().peer);  // into the target's peer
    EXPECT_EQ(f.w.at(f.primary).counters.tx_packets, 1U);
    EXPECT_EQ(f.w.at(f.primary).counters.tx_bytes, 100U);  // the frame's length, as without a redirect
    EXPECT_EQ(f.w.at(f.peer).counters.rx_packets, 0U);  // no counters on netkit's own peer
    // A target that does not exist in the peer's netns: freed, still "sent".
    pair_fixture g;
    g.up();
    script missing = returns(uapi::action::redirect);
    missing.redirect = redirect_target{4242, redirect_mode::egress};
    g.attach(missing);
    auto lost = g.w.transmit(g.primary, g.to_peer());
    EXPECT_EQ(lost.status, transmit_status::sent);
    EXPECT_FALSE(lost.redirected_to.has_value());
}

// NK-XMIT-15: no MTU check against the peer.
TEST(transmit, frames_larger_than_the_peers_mtu_are_delivered) {
    pair_fixture f;
    f.up();
    ASSERT_TRUE(f.w.set_mtu(f.peer, 68).ok());
    EXPECT_EQ(f.w.transmit(f.primary, f.to_peer(1400)).status, transmit_status::sent);
}

// NK-XMIT-16 / NK-XMIT-17: L2 and L3 share the data path; stats count bytes.
TEST(transmit, every_frame_is_counted_exactly_once) {
    const bool ok = rc::check("sent + dropped == transmitted (NK-XMIT-17)", [] {
        const auto mode = *rc::gen::inRange<std::uint32_t>(0, 2);
        const auto how_many = *rc::gen::inRange<std::size_t>(0, 6);
        const auto verdicts = *rc::gen::container<std::vector<std::int32_t>>(how_many, rc::gen::inRange(-2, 9));
        const auto frames = *rc::gen::inRange(1, 20);
        const auto peer_up = *rc::gen::arbitrary<bool>();
        pair_fixture f({attr(netkit_attr::mode, mode)});
        ASSERT_TRUE(f.w.open(f.primary).ok());
        if (peer_up) {
            ASSERT_TRUE(f.w.open(f.peer).ok());
        }
        for (auto v : verdicts) {
            script s;
            s.verdict = v;
            f.attach(s);
        }
        std::uint64_t sent = 0;
        std::uint64_t dropped = 0;
        for (int i = 0; i < frames; ++i) {
            auto r = f.w.transmit(f.primary, f.to_peer());
            (r.status == transmit_status::sent ? sent : dropped) += 1;
        }
        const auto& c = f.w.at(f.primary).counters;
        RC_ASSERT(sent + dropped == static_cast<std::uint64_t>(frames));
        RC_ASSERT(c.tx_packets == sent);
        RC_ASSERT(c.tx_dropped == dropped);
        RC_ASSERT(f.w.at(f.peer).counters.rx_packets <= sent);
    });
    EXPECT_TRUE(ok);
}

}  // namespace
