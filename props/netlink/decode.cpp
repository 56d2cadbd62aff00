// Tests of include/netkit/netlink/decode.hpp and journal.hpp: requests and
// replies of the rtnetlink and generic-netlink front ends decoded into
// named trees (header, flags, fixed headers, every attribute with its value
// and nesting), extended acknowledgements with the POLICY nest and the
// offending or missing attribute named from the request, NLMSG_DONE,
// the controller's indexed nests; hostile bytes decoded without a crash;
// the structural diff (a changed, missing, extra or re-flagged attribute,
// attribute order and port ids); the text and JSON printers; and the world
// journal (format, parse errors, replay equal to the world it was saved
// from, a scenario continued from another socket in another netns).
#include "lease/fixture.hpp"

#include <netkit/netlink/decode.hpp>
#include <netkit/netlink/journal.hpp>
#include <netkit/netlink/socket.hpp>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace lease_test;
namespace nl = netkit::netlink;
namespace dec = netkit::netlink::decode;
namespace jr = netkit::netlink::journal;

constexpr auto route = uapi::netlink_protocol::route;
constexpr auto generic = uapi::netlink_protocol::generic;
constexpr std::uint16_t netdev_id = 0x13;

std::uint16_t f(uapi::message_flag x) { return static_cast<std::uint16_t>(x); }
const std::uint16_t request_ack = f(uapi::message_flag::request) | f(uapi::message_flag::acknowledge);

dec::context in(uapi::netlink_protocol p, const dec::message* request = nullptr) {
    dec::context c;
    c.protocol = p;
    c.netdev_family_id = netdev_id;
    c.request = request;
    return c;
}

// The node at a path of names, or nullptr.
const dec::node* at(const std::vector<dec::node>& nodes, std::initializer_list<std::string_view> path) {
    const std::vector<dec::node>* level = &nodes;
    const dec::node* found = nullptr;
    for (const auto name : path) {
        found = nullptr;
        for (const auto& n : *level) {
            if (n.name == name) {
                found = &n;
                break;
            }
        }
        if (found == nullptr) {
            return nullptr;
        }
        level = &found->children;
    }
    return found;
}

std::vector<std::uint8_t> pair_request(std::uint32_t seq, uapi::mode mode = uapi::mode::l3) {
    return nl::rtnetlink::encode_link_request(static_cast<std::uint16_t>(uapi::rtm::new_link), request_ack, seq,
                                              model::requests::netkit_pair("nk0", "nk1", 2, std::nullopt, mode));
}

std::vector<std::uint8_t> get_link(std::int32_t index, std::uint32_t seq) {
    nl::rtnetlink::get_request g;
    g.index = index;
    return nl::rtnetlink::encode_get_request(f(uapi::message_flag::request), seq, g);
}

// ------------------------------------------------------------------ tables

// NL-RT-04, NL-GENL-03, NL-ND-01, NL-EXT-02, NL-EXT-06: the decoder's name
// tables agree with the ids and names of the model's uapi/ headers.
TEST(netlink_decode, the_name_tables_agree_with_the_uapi_headers) {
    using dec::attribute_set;
    auto name_of = [](attribute_set set, std::uint16_t id) {
        const auto* s = dec::find_spec(set, id);
        return s == nullptr ? std::string_view{} : s->name;
    };
    for (const auto a : {uapi::ifla::address, uapi::ifla::broadcast, uapi::ifla::ifname, uapi::ifla::mtu,
                         uapi::ifla::link, uapi::ifla::txqlen, uapi::ifla::operstate, uapi::ifla::linkinfo,
                         uapi::ifla::net_ns_pid, uapi::ifla::group, uapi::ifla::net_ns_fd, uapi::ifla::ext_mask,
                         uapi::ifla::num_tx_queues, uapi::ifla::num_rx_queues, uapi::ifla::link_netnsid,
                         uapi::ifla::target_netnsid}) {
        EXPECT_EQ(name_of(attribute_set::link, static_cast<std::uint16_t>(a)), uapi::name(a));
    }
    for (std::uint16_t id = 1; id <= 5; ++id) {
        EXPECT_EQ(name_of(attribute_set::link_info, id), uapi::name(static_cast<uapi::ifla_info>(id)));
    }
    for (std::uint16_t id = 1; id <= static_cast<std::uint16_t>(uapi::netkit_attr_max); ++id) {
        EXPECT_EQ(name_of(attribute_set::netkit, id), uapi::name(static_cast<uapi::netkit_attr>(id)));
    }
    EXPECT_EQ(name_of(attribute_set::veth, 1), uapi::name(uapi::veth_attr::peer));
    for (std::uint16_t id = 1; id <= 7; ++id) {
        EXPECT_EQ(name_of(attribute_set::control, id), uapi::name(static_cast<uapi::genl_control_attr>(id)));
    }
    for (std::uint16_t id = 1; id <= 2; ++id) {
        EXPECT_EQ(name_of(attribute_set::control_operation, id),
                  uapi::name(static_cast<uapi::genl_control_operation_attr>(id)));
        EXPECT_EQ(name_of(attribute_set::control_group, id),
                  uapi::name(static_cast<uapi::genl_control_group_attr>(id)));
    }
    for (std::uint16_t id = 1; id <= static_cast<std::uint16_t>(uapi::queue_attr_max); ++id) {
        EXPECT_EQ(name_of(attribute_set::queue, id), uapi::name(static_cast<uapi::queue_attr>(id)));
    }
    for (std::uint16_t id = 1; id <= static_cast<std::uint16_t>(uapi::lease_attr_max); ++id) {
        EXPECT_EQ(name_of(attribute_set::lease, id), uapi::name(static_cast<uapi::lease_attr>(id)));
    }
    for (std::uint16_t id = 1; id <= 4; ++id) {
        EXPECT_EQ(name_of(attribute_set::dmabuf, id), uapi::name(static_cast<uapi::dmabuf_attr>(id)));
    }
    for (std::uint16_t id = 1; id <= static_cast<std::uint16_t>(uapi::error_attr_max); ++id) {
        EXPECT_EQ(name_of(attribute_set::extended_ack, id), uapi::name(static_cast<uapi::error_attr>(id)));
    }
    for (std::uint16_t id = 1; id <= 7; ++id) {
        EXPECT_EQ(name_of(attribute_set::policy, id), uapi::name(static_cast<uapi::policy_type_attr>(id)));
    }
    // The IFLA table has no gaps: every id up to its last one is named.
    for (std::uint16_t id = 0; id < dec::tables::link.size(); ++id) {
        EXPECT_EQ(dec::tables::link[id].id, id);
    }
}

// ------------------------------------------------------------------ requests

// NL-HDR-01, NL-FLAG-03, NL-RT-02, NL-RT-06, NL-RT-07: a netkit creation
// request decodes to its header, flags named for a NEW request, the
// ifinfomsg fields and the nested link info down to the peer's IFLA_*.
TEST(netlink_decode, a_netkit_creation_request_decodes_to_named_nested_attributes) {
    const auto bytes = pair_request(7);
    const auto m = dec::decode_message(bytes, in(route));
    EXPECT_TRUE(m.problems.empty());
    EXPECT_EQ(m.type_name, "RTM_NEWLINK");
    EXPECT_EQ(m.header.sequence, 7U);
    EXPECT_EQ(dec::join(m.flag_names, "|"), "NLM_F_REQUEST|NLM_F_ACK|NLM_F_EXCL|NLM_F_CREATE");
    ASSERT_NE(at(m.body, {"ifi_index"}), nullptr);
    EXPECT_EQ(*at(m.body, {"ifi_index"})->signed_value, 0);
    ASSERT_NE(at(m.body, {"IFLA_IFNAME"}), nullptr);
    EXPECT_EQ(*at(m.body, {"IFLA_IFNAME"})->text, "nk0");
    const auto* mode = at(m.body, {"IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_NETKIT_MODE"});
    ASSERT_NE(mode, nullptr);
    EXPECT_EQ(*mode->unsigned_value, 1U);
    EXPECT_EQ(mode->symbol, "NETKIT_L3");
    const auto* peer_name = at(m.body, {"IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_NETKIT_PEER_INFO", "IFLA_IFNAME"});
    ASSERT_NE(peer_name, nullptr);
    EXPECT_EQ(*peer_name->text, "nk1");
    const auto* peer_queues =
        at(m.body, {"IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_NETKIT_PEER_INFO", "IFLA_NUM_RX_QUEUES"});
    ASSERT_NE(peer_queues, nullptr);
    EXPECT_EQ(*peer_queues->unsigned_value, 2U);
    // Offsets count from the nlmsghdr (NL-EXT-03): IFLA_IFNAME follows the
    // 16-byte header and the 16-byte ifinfomsg.
    EXPECT_EQ(at(m.body, {"IFLA_IFNAME"})->offset, 32U);
}

// NL-GENL-01, NL-ND-02: a queue-create request names the netdev command
// and its lease nest.
TEST(netlink_decode, a_queue_create_request_names_the_command_and_the_lease_nest) {
    const auto bytes = nl::genl::encode_queue_create(
        netdev_id, model::lease::queue_create_request::rx(5, 2, 1, 0), 3, request_ack);
    const auto m = dec::decode_message(bytes, in(generic));
    EXPECT_EQ(m.type_name, "NETDEV_CMD_QUEUE_CREATE");
    EXPECT_EQ(m.family, "netdev");
    const auto* queue = at(m.body, {"NETDEV_A_QUEUE_LEASE", "NETDEV_A_LEASE_QUEUE", "NETDEV_A_QUEUE_ID"});
    ASSERT_NE(queue, nullptr);
    EXPECT_EQ(*queue->unsigned_value, 1U);
    const auto* netns = at(m.body, {"NETDEV_A_QUEUE_LEASE", "NETDEV_A_LEASE_NETNS_ID"});
    ASSERT_NE(netns, nullptr);
    EXPECT_EQ(*netns->signed_value, 0);
    EXPECT_EQ(at(m.body, {"NETDEV_A_QUEUE_LEASE"})->type_flags, uapi::attribute_flag_nested);
}

// ------------------------------------------------------------------ replies

// NL-RT-12, NL-RT-13, NL-ATTR-05: a link reply decodes with its flags and
// link info; the model emits IFLA_LINKINFO and IFLA_INFO_DATA without
// NLA_F_NESTED, and the decoder shows it.
TEST(netlink_decode, a_link_reply_shows_the_netkit_data_and_the_unflagged_nests) {
    world w;
    nl::socket s(w, route, root, 77);
    ASSERT_EQ(s.exchange(pair_request(1, uapi::mode::l2)).size(), 1U);
    const auto index = w.find(world::initial_netns(), "nk0")->ifindex;
    const auto replies = s.exchange(get_link(index, 2));
    ASSERT_EQ(replies.size(), 1U);
    const auto m = dec::decode_message(replies[0], in(route));
    EXPECT_EQ(m.type_name, "RTM_NEWLINK");
    EXPECT_EQ(m.header.port, 77U);
    EXPECT_TRUE(m.flag_names.empty());
    const auto* info = at(m.body, {"IFLA_LINKINFO"});
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->type_flags, 0);
    const auto* mode = at(m.body, {"IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_NETKIT_MODE"});
    ASSERT_NE(mode, nullptr);
    EXPECT_EQ(mode->symbol, "NETKIT_L2");
    const auto* primary = at(m.body, {"IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_NETKIT_PRIMARY"});
    ASSERT_NE(primary, nullptr);
    EXPECT_EQ(*primary->unsigned_value, 1U);
    EXPECT_EQ(*at(m.body, {"ifi_index"})->signed_value, index);
    EXPECT_EQ(at(m.body, {"IFLA_ADDRESS"})->type, dec::value_type::hardware_address);
}

// NL-ERR-02, NL-ERR-03, NL-EXT-03, NL-EXT-06, NL-POL-04: an error
// acknowledgement decodes to the errno name, the copied request with its
// attributes, and the extended-ack TLVs: the message, the offset named as
// the request's attribute, and the POLICY nest of the offending entry.
TEST(netlink_decode, an_extended_error_names_the_errno_the_offending_attribute_and_its_policy) {
    world w;
    nl::socket s(w, generic, root, 1, nl::socket_options{true, false, {}});
    const auto request = nl::genl::encode_queue_create(
        netdev_id, model::lease::queue_create_request::rx(0, 2, 1), 4, request_ack);
    const auto replies = s.exchange(request);
    ASSERT_EQ(replies.size(), 1U);
    const auto m = dec::decode_message(replies[0], in(generic));
    EXPECT_EQ(m.type_name, "NLMSG_ERROR");
    EXPECT_EQ(dec::join(m.flag_names, "|"), "NLM_F_ACK_TLVS");
    EXPECT_EQ(*at(m.body, {"error"})->signed_value, -34);
    EXPECT_EQ(at(m.body, {"error"})->symbol, "ERANGE");
    EXPECT_EQ(at(m.body, {"request", "nlmsg_type"})->symbol, "NETDEV_CMD_QUEUE_CREATE");
    ASSERT_NE(at(m.body, {"request", "NETDEV_A_QUEUE_IFINDEX"}), nullptr);
    EXPECT_EQ(*at(m.body, {"NLMSGERR_ATTR_MSG"})->text, "integer out of range");
    EXPECT_EQ(*at(m.body, {"NLMSGERR_ATTR_OFFS"})->unsigned_value, 20U);
    EXPECT_EQ(at(m.body, {"NLMSGERR_ATTR_OFFS"})->symbol, "NETDEV_A_QUEUE_IFINDEX");
    const auto* policy = at(m.body, {"NLMSGERR_ATTR_POLICY"});
    ASSERT_NE(policy, nullptr);
    EXPECT_EQ(policy->type_flags, uapi::attribute_flag_nested);
    ASSERT_EQ(policy->children.size(), 3U);
    EXPECT_EQ(policy->children[0].name, "NL_POLICY_TYPE_ATTR_MIN_VALUE_U");
    EXPECT_EQ(*policy->children[0].unsigned_value, 1U);
    EXPECT_EQ(*policy->children[1].unsigned_value, 4294967295U);
    EXPECT_EQ(policy->children[2].symbol, "NL_ATTR_TYPE_U32");
}

// NL-ERR-02 (NETLINK_CAP_ACK), NL-EXT-03: a capped error copies only the
// header; given the request, the decoder still names the offset.
TEST(netlink_decode, a_capped_error_names_the_offset_from_the_request_it_answers) {
    world w;
    nl::socket s(w, generic, root, 1, nl::socket_options{true, true, {}});
    const auto request = nl::genl::encode_queue_create(
        netdev_id, model::lease::queue_create_request::rx(0, 2, 1), 4, request_ack);
    const auto replies = s.exchange(request);
    ASSERT_EQ(replies.size(), 1U);
    const auto alone = dec::decode_message(replies[0], in(generic));
    EXPECT_EQ(at(alone.body, {"request"})->children.size(), 5U);  // the nlmsghdr fields only
    EXPECT_TRUE(at(alone.body, {"NLMSGERR_ATTR_OFFS"})->symbol.empty());
    const auto decoded_request = dec::decode_message(request, in(generic));
    const auto named = dec::decode_message(replies[0], in(generic, &decoded_request));
    EXPECT_EQ(at(named.body, {"NLMSGERR_ATTR_OFFS"})->symbol, "NETDEV_A_QUEUE_IFINDEX");
}

// NL-EXT-04: MISS_TYPE is named in the set of the nest MISS_NEST points at.
TEST(netlink_decode, a_missing_attribute_is_named_within_its_nest) {
    world w;
    const auto nic = add_nic(w, 2);
    const auto single = add_single(w, 3);
    auto r = model::lease::queue_create_request::rx(ifindex(w, single), ifindex(w, nic), 1);
    r.lease->ifindex.reset();
    const auto request = nl::genl::encode_queue_create(netdev_id, r, 3, request_ack);
    nl::socket s(w, generic, root, 1, nl::socket_options{true, false, {}});
    const auto m = dec::decode_message(s.exchange(request).at(0), in(generic));
    EXPECT_EQ(at(m.body, {"error"})->symbol, "EINVAL");
    EXPECT_EQ(at(m.body, {"NLMSGERR_ATTR_MISS_TYPE"})->symbol, "NETDEV_A_LEASE_IFINDEX in NETDEV_A_QUEUE_LEASE");
    EXPECT_EQ(at(m.body, {"NLMSGERR_ATTR_MISS_NEST"})->symbol, "NETDEV_A_QUEUE_LEASE");
}

// NL-ND-04, NL-EXT-04: a missing top-level attribute is named in the
// request's own set.
TEST(netlink_decode, a_missing_top_level_attribute_is_named_in_the_request_set) {
    world w;
    nl::genl::queue_get_request q;
    q.ifindex = 1;
    q.type = 0;
    const auto request = nl::genl::encode_queue_get(netdev_id, q, 5);
    nl::socket s(w, generic, root, 1, nl::socket_options{true, false, {}});
    const auto m = dec::decode_message(s.exchange(request).at(0), in(generic));
    EXPECT_EQ(at(m.body, {"NLMSGERR_ATTR_MISS_TYPE"})->symbol, "NETDEV_A_QUEUE_ID");
}

// NL-ERR-04: NLMSG_DONE carries the dump's status, named as an errno.
TEST(netlink_decode, nlmsg_done_carries_a_named_status) {
    const auto request = nl::genl::encode_dump_families(9);
    const auto view = nl::split_messages(request).at(0);
    const auto m = dec::decode_message(nl::done(view, 3, -19), in(generic));
    EXPECT_EQ(m.type_name, "NLMSG_DONE");
    EXPECT_EQ(dec::join(m.flag_names, "|"), "NLM_F_MULTI");
    EXPECT_EQ(*at(m.body, {"status"})->signed_value, -19);
    EXPECT_EQ(at(m.body, {"status"})->symbol, "ENODEV");
}

// NL-GENL-03, NL-GENL-04, NL-GENL-05: the controller's answer decodes with
// its operations and groups as numbered nests, operation ids named as the
// described family's commands and flags as GENL_* bits; the announced id
// of "netdev" can be read back.
TEST(netlink_decode, the_controller_reply_names_operations_flags_and_groups) {
    world w;
    nl::socket s(w, generic, root, 1);
    const auto replies = s.exchange(nl::genl::encode_get_family("netdev", 1));
    ASSERT_EQ(replies.size(), 1U);
    const auto m = dec::decode_message(replies[0], in(generic));
    EXPECT_EQ(m.type_name, "CTRL_CMD_NEWFAMILY");
    EXPECT_EQ(m.family, "nlctrl");
    EXPECT_EQ(dec::announced_family_id(m, "netdev"), std::optional<std::uint16_t>{netdev_id});
    EXPECT_EQ(dec::announced_family_id(m, "nlctrl"), std::nullopt);
    const auto* ops = at(m.body, {"CTRL_ATTR_OPS"});
    ASSERT_NE(ops, nullptr);
    ASSERT_FALSE(ops->children.empty());
    EXPECT_EQ(ops->children[0].name, "#1");
    const auto* first_id = at(ops->children, {"#1", "CTRL_ATTR_OP_ID"});
    ASSERT_NE(first_id, nullptr);
    EXPECT_EQ(first_id->symbol, "NETDEV_CMD_QUEUE_GET");
    const auto* first_flags = at(ops->children, {"#1", "CTRL_ATTR_OP_FLAGS"});
    EXPECT_EQ(first_flags->symbol, "GENL_CMD_CAP_DO|GENL_CMD_CAP_DUMP|GENL_CMD_CAP_HASPOL");
    const auto* group = at(m.body, {"CTRL_ATTR_MCAST_GROUPS", "#1", "CTRL_ATTR_MCAST_GRP_NAME"});
    ASSERT_NE(group, nullptr);
    EXPECT_EQ(*group->text, "mgmt");
}

// ------------------------------------------------------------------ hostile bytes

// NL-HDR-02, NL-ATTR-03: short headers, lying lengths and attribute
// streams with leftover bytes are decoded as far as they go and reported.
TEST(netlink_decode, truncated_and_lying_messages_are_reported_not_trusted) {
    auto bytes = pair_request(1);
    const auto short_header = dec::decode_message(std::span<const std::uint8_t>(bytes).first(10), in(route));
    EXPECT_EQ(short_header.type_name, "(truncated)");
    EXPECT_FALSE(short_header.problems.empty());
    const auto cut = dec::decode_message(std::span<const std::uint8_t>(bytes).first(40), in(route));
    ASSERT_FALSE(cut.problems.empty());
    EXPECT_NE(cut.problems[0].find("runs past"), std::string::npos);
    auto tail = bytes;
    tail.push_back(0);  // nlmsg_len still says the old size: the byte is not part of the message
    tail[0] = static_cast<std::uint8_t>(tail.size());
    const auto leftover = dec::decode_message(tail, in(route));
    const auto* rest = at(leftover.body, {"leftover"});
    ASSERT_NE(rest, nullptr);
    EXPECT_EQ(rest->payload.size(), 1U);
    EXPECT_FALSE(rest->problem.empty());
}

// NL-HDR-02, NL-HDR-03: check_framing finds where a buffer stops being whole
// messages, with the byte offset.
TEST(netlink_decode, check_framing_reports_the_offset_of_the_first_broken_message) {
    auto batch = pair_request(1);
    const auto second = pair_request(2);
    batch.insert(batch.end(), second.begin(), second.end());
    EXPECT_FALSE(dec::check_framing(batch));
    EXPECT_EQ(dec::decode_stream(batch, in(route)).messages.size(), 2U);
    auto cut = batch;
    cut.resize(batch.size() - 3);
    const auto e = dec::check_framing(cut);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->offset, second.size());
    auto tiny = batch;
    tiny[second.size()] = 8;
    tiny[second.size() + 1] = 0;
    ASSERT_TRUE(dec::check_framing(tiny));
    EXPECT_NE(dec::check_framing(tiny)->what.find("shorter"), std::string::npos);
}

// Any bytes decode without a crash or an out-of-bounds read (the suites run
// under ASan and UBSan), print, and compare equal to themselves.
RC_GTEST_PROP(netlink_decode, any_bytes_decode_print_and_equal_themselves, ()) {
    const auto protocol = *rc::gen::element(route, generic);
    auto bytes = *rc::gen::container<std::vector<std::uint8_t>>(rc::gen::arbitrary<std::uint8_t>());
    if (*rc::gen::arbitrary<bool>() && bytes.size() >= 4) {
        // Mostly well-framed: the length field says the truth.
        const auto n = static_cast<std::uint32_t>(bytes.size());
        for (int i = 0; i < 4; ++i) {
            bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
        }
    }
    const auto m = dec::decode_message(bytes, in(protocol));
    (void)dec::to_text(m);
    (void)dec::to_json(m);
    RC_ASSERT(dec::diff(m, m).empty());
}

// Valid requests and replies with a few bytes overwritten: decoded without
// a crash, printed, equal to themselves; the untouched ones compare equal to
// their bytes' decoding again.
RC_GTEST_PROP(netlink_decode, corrupted_valid_messages_decode_safely, ()) {
    world w;
    nl::socket s(w, route, root, 1, nl::socket_options{true, false, {}});
    std::vector<std::pair<uapi::netlink_protocol, std::vector<std::uint8_t>>> samples;
    samples.emplace_back(route, pair_request(1));
    samples.emplace_back(route, s.exchange(pair_request(1)).at(0));
    samples.emplace_back(route, s.exchange(pair_request(2)).at(0));  // EEXIST, the request copied
    samples.emplace_back(route, s.exchange(get_link(w.find(world::initial_netns(), "nk0")->ifindex, 3)).at(0));
    nl::socket g(w, generic, root, 1, nl::socket_options{true, false, {}});
    samples.emplace_back(generic, g.exchange(nl::genl::encode_get_family("netdev", 4)).at(0));
    samples.emplace_back(generic, g.exchange(nl::genl::encode_queue_create(
                                                 netdev_id, model::lease::queue_create_request::rx(0, 2, 1), 5,
                                                 request_ack)).at(0));
    const auto& [protocol, original] = *rc::gen::elementOf(samples);
    auto bytes = original;
    const auto flips = *rc::gen::inRange(0, 6);
    for (int i = 0; i < flips; ++i) {
        bytes[*rc::gen::inRange<std::size_t>(0, bytes.size())] = *rc::gen::arbitrary<std::uint8_t>();
    }
    if (*rc::gen::arbitrary<bool>()) {
        bytes.resize(*rc::gen::inRange<std::size_t>(0, bytes.size() + 1));
    }
    const auto m = dec::decode_message(bytes, in(protocol));
    RC_ASSERT(!dec::to_text(m).empty());
    RC_ASSERT(!dec::to_json(m).empty());
    RC_ASSERT(dec::diff(m, m).empty());
    const auto again = dec::decode_message(original, in(protocol));
    RC_ASSERT(dec::diff(dec::decode_message(original, in(protocol)), again).empty());
}

// Every byte of a valid error acknowledgement flipped in turn: decoded,
// printed, never trusted beyond the buffer.
TEST(netlink_decode, every_corruption_of_an_error_acknowledgement_decodes_safely) {
    world w;
    nl::socket s(w, generic, root, 1, nl::socket_options{true, false, {}});
    const auto reply = s.exchange(nl::genl::encode_queue_create(
        netdev_id, model::lease::queue_create_request::rx(0, 2, 1), 4, request_ack)).at(0);
    for (std::size_t i = 0; i < reply.size(); ++i) {
        for (const std::uint8_t value : {std::uint8_t{0}, std::uint8_t{0xff}, std::uint8_t{0x80}, std::uint8_t{3}}) {
            auto bad = reply;
            bad[i] = value;
            const auto m = dec::decode_message(bad, in(generic));
            EXPECT_FALSE(dec::to_text(m).empty());
        }
    }
}

// ------------------------------------------------------------------ diff

dec::message link_reply(uapi::mode mode, std::uint32_t port = 1) {
    world w;
    nl::socket s(w, route, root, port);
    (void)s.exchange(pair_request(1, mode));
    return dec::decode_message(s.exchange(get_link(w.find(world::initial_netns(), "nk0")->ifindex, 2)).at(0),
                               in(route));
}

// NL-RT-13: one changed attribute is exactly one difference, named by its
// path from the message type.
TEST(netlink_decode, diff_reports_a_changed_attribute_by_its_path) {
    const auto model = link_reply(uapi::mode::l3);
    auto bytes = model.bytes;
    bytes[at(model.body, {"IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_NETKIT_MODE"})->offset + 4] = 0;
    const auto kernel = dec::decode_message(bytes, in(route));
    const auto d = dec::diff(kernel, model);
    ASSERT_EQ(d.size(), 1U);
    EXPECT_EQ(dec::to_string(d[0]),
              "RTM_NEWLINK / IFLA_LINKINFO / IFLA_INFO_DATA / IFLA_NETKIT_MODE: kernel 0 (NETKIT_L2), "
              "model 1 (NETKIT_L3)");
}

// NL-HDR-05: the port id is the socket's; a capture's socket is not the
// model's, so a comparison can leave it out.
TEST(netlink_decode, diff_can_ignore_the_port_id) {
    const auto kernel = link_reply(uapi::mode::l3, 4242);
    const auto model = link_reply(uapi::mode::l3, 1);
    const auto d = dec::diff(kernel, model);
    ASSERT_EQ(d.size(), 1U);
    EXPECT_EQ(d[0].path, "RTM_NEWLINK / nlmsg_pid");
    dec::diff_options o;
    o.ignore_port = true;
    EXPECT_TRUE(dec::diff(kernel, model, o).empty());
}

// NL-RT-13 (clients must not depend on the order): attributes match by id,
// so a reordered reply is no difference; a missing or extra attribute is
// "absent" on one side; ignore_unmodelled leaves out what the model never
// emits; a changed NLA_F_NESTED is reported (NL-ATTR-05).
TEST(netlink_decode, diff_matches_by_id_and_reports_absent_extra_and_reflagged_attributes) {
    auto model = link_reply(uapi::mode::l3);
    auto kernel = model;
    std::swap(kernel.body[5], kernel.body[6]);  // two attributes after the ifinfomsg fields
    EXPECT_TRUE(dec::diff(kernel, model).empty());

    dec::node promiscuity;
    promiscuity.name = "IFLA_PROMISCUITY";
    promiscuity.id = 30;
    promiscuity.type = dec::value_type::u32;
    promiscuity.unsigned_value = 0;
    promiscuity.payload = {0, 0, 0, 0};
    kernel.body.push_back(promiscuity);
    auto d = dec::diff(kernel, model);
    ASSERT_EQ(d.size(), 1U);
    EXPECT_EQ(dec::to_string(d[0]), "RTM_NEWLINK / IFLA_PROMISCUITY: kernel 0, model absent");
    dec::diff_options o;
    o.ignore_unmodelled = true;
    EXPECT_TRUE(dec::diff(kernel, model, o).empty());

    kernel = model;
    auto* info = const_cast<dec::node*>(at(kernel.body, {"IFLA_LINKINFO"}));
    info->type_flags = uapi::attribute_flag_nested;
    d = dec::diff(kernel, model);
    ASSERT_EQ(d.size(), 1U);
    EXPECT_EQ(dec::to_string(d[0]), "RTM_NEWLINK / IFLA_LINKINFO (nla_type flags): kernel NLA_F_NESTED, model none");

    kernel = model;
    const auto mtu =
        std::find_if(kernel.body.begin(), kernel.body.end(), [](const auto& n) { return n.name == "IFLA_MTU"; });
    kernel.body.erase(mtu);
    d = dec::diff(kernel, model);
    ASSERT_EQ(d.size(), 1U);
    EXPECT_EQ(dec::to_string(d[0]), "RTM_NEWLINK / IFLA_MTU: kernel absent, model 1500");
}

// NL-ERR-02: messages of different types are one difference; sequences of
// different lengths name the message only one side sent.
TEST(netlink_decode, diff_of_sequences_names_types_and_missing_messages) {
    world w;
    nl::socket s(w, route, root, 1);
    const auto ack = dec::decode_message(s.exchange(pair_request(1)).at(0), in(route));
    const auto reply = link_reply(uapi::mode::l3);
    const auto d = dec::diff(std::vector<dec::message>{ack, reply}, std::vector<dec::message>{reply});
    ASSERT_EQ(d.size(), 2U);
    EXPECT_EQ(d[0].message, 0U);
    EXPECT_EQ(d[0].path, "NLMSG_ERROR / nlmsg_type");
    EXPECT_EQ(d[1].message, 1U);
    EXPECT_EQ(d[1].path, "RTM_NEWLINK");
    EXPECT_EQ(d[1].right, "sent no such message");
}

// ------------------------------------------------------------------ printers

TEST(netlink_decode, text_shows_one_line_per_attribute_indented_by_nesting) {
    const auto m = dec::decode_message(pair_request(3), in(route));
    const auto text = dec::to_text(m);
    EXPECT_EQ(text.rfind("RTM_NEWLINK len ", 0), 0U);
    EXPECT_NE(text.find("\n  IFLA_IFNAME: \"nk0\"\n"), std::string::npos);
    EXPECT_NE(text.find("\n  IFLA_LINKINFO [NLA_F_NESTED]:\n    IFLA_INFO_KIND: \"netkit\"\n"), std::string::npos);
    EXPECT_NE(text.find("\n      IFLA_NETKIT_MODE: 1 (NETKIT_L3)\n"), std::string::npos);
}

TEST(netlink_decode, json_escapes_every_byte_an_attribute_may_hold) {
    EXPECT_EQ(dec::json_string(std::string("a\"b\\c\n\x01\xff", 8)), "\"a\\\"b\\\\c\\n\\u0001\\u00ff\"");
    const auto json = dec::to_json(dec::decode_message(pair_request(3), in(route)));
    EXPECT_EQ(json.rfind("{\"protocol\":\"NETLINK_ROUTE\",\"type\":16,\"type_name\":\"RTM_NEWLINK\"", 0), 0U);
    EXPECT_NE(json.find("{\"name\":\"IFLA_NETKIT_MODE\",\"kind\":\"attribute\",\"id\":5,"), std::string::npos);
    EXPECT_NE(json.find("\"value\":1,\"symbol\":\"NETKIT_L3\""), std::string::npos);
}

// ------------------------------------------------------------------ journal

jr::request_step request_in(const std::string& netns, uapi::netlink_protocol p, std::vector<std::uint8_t> bytes) {
    jr::request_step r;
    r.socket.netns = netns;
    r.socket.protocol = p;
    r.socket.extended_ack = true;
    r.bytes = std::move(bytes);
    return r;
}

TEST(netlink_journal, a_journal_formats_and_parses_back_to_itself) {
    jr::journal j;
    j.profile = "linux-7.1.0";
    j.steps.push_back(jr::netns_step{"blue"});
    j.steps.push_back(jr::netns_id_step{"blue", "init", 0});
    j.steps.push_back(jr::nic_step{"init", 4, true});
    j.steps.push_back(request_in("blue", route, pair_request(1)));
    j.world_hash = 0x0123456789abcdefULL;
    const auto text = jr::format(j);
    auto back = jr::parse(text);
    ASSERT_TRUE(back.ok()) << back.failure().message;
    EXPECT_EQ(back.value(), j);
}

TEST(netlink_journal, parse_errors_name_the_line) {
    auto bad = jr::parse("netkit-world 1\nprofile newest\nnetns blue\nnic blue many nsim\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.failure().message.rfind("line 4: ", 0), 0U);
    bad = jr::parse("netkit-world 1\nprofile nosuch\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.failure().message, "line 2: unknown profile 'nosuch'");
    bad = jr::parse("netkit-world 1\nprofile newest\nrequest protocol=route bytes=abc\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.failure().message.rfind("line 3: ", 0), 0U);
    bad = jr::parse("\x7f" "ELF garbage\n");
    ASSERT_FALSE(bad.ok());
    bad = jr::parse("netkit-world 1\nprofile newest\ncheck world-hash=0x0000000000000000\nnetns late\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.failure().message, "line 4: nothing may follow 'check'");
}

// NL-GEN-01, NK-ENV-05, QL-CRT-13, QL-CRT-22: a scenario saved after one
// socket's requests and continued from another socket in another netns ends
// in the same world as one run of all of it — the pair created over
// rtnetlink from the initial netns, the peer moved to "blue", a queue leased
// to it over generic netlink from inside "blue" with the initial netns named
// by id.
TEST(netlink_journal, a_replayed_journal_continues_the_same_world_from_another_netns) {
    jr::journal first;
    first.steps.push_back(jr::netns_step{"blue"});
    first.steps.push_back(jr::netns_id_step{"init", "blue", 1});
    first.steps.push_back(jr::netns_id_step{"blue", "init", 0});
    first.steps.push_back(jr::nic_step{"init", 4, true});
    model::link_request up;
    up.attributes.ifname = "eth0";
    up.header.flags = up.header.change = static_cast<std::uint32_t>(uapi::interface_flag::up);
    first.steps.push_back(request_in(
        "init", route,
        nl::rtnetlink::encode_link_request(static_cast<std::uint16_t>(uapi::rtm::set_link), request_ack, 1, up)));
    first.steps.push_back(request_in("init", route, pair_request(2, uapi::mode::l2)));
    model::link_request move;
    move.attributes.ifname = "nk1";
    move.attributes.target_netnsid = 1;
    first.steps.push_back(request_in(
        "init", route,
        nl::rtnetlink::encode_link_request(static_cast<std::uint16_t>(uapi::rtm::set_link), request_ack, 3, move)));
    auto saved = jr::replay(first);
    ASSERT_TRUE(saved.ok()) << saved.failure().message;
    first.world_hash = jr::world_hash(saved.value());

    auto loaded = jr::parse(jr::format(first));
    ASSERT_TRUE(loaded.ok());
    auto world_again = jr::replay(loaded.value());
    ASSERT_TRUE(world_again.ok());
    EXPECT_EQ(world_again.value(), saved.value());
    EXPECT_EQ(jr::world_hash(world_again.value()), *loaded.value().world_hash);

    // Second run: from "blue", lease eth0's queue 1 to nk1.
    model::world& w = world_again.value();
    const auto blue = *jr::find_netns(w, "blue");
    const auto* nk1 = w.find(blue, "nk1");
    ASSERT_NE(nk1, nullptr);
    const auto eth0 = w.find(world::initial_netns(), "eth0")->ifindex;
    const auto lease = request_in("blue", generic,
                                  nl::genl::encode_queue_create(
                                      netdev_id, model::lease::queue_create_request::rx(nk1->ifindex, eth0, 1, 0), 1,
                                      request_ack));
    auto replies = jr::apply(w, lease);
    ASSERT_TRUE(replies.ok());
    ASSERT_EQ(replies.value().size(), 2U);
    const auto created = dec::decode_message(replies.value()[0], in(generic));
    EXPECT_EQ(created.type_name, "NETDEV_CMD_QUEUE_CREATE");
    EXPECT_EQ(*at(created.body, {"NETDEV_A_QUEUE_ID"})->unsigned_value, 1U);

    jr::journal whole = loaded.value();
    whole.world_hash.reset();
    whole.steps.push_back(lease);
    auto direct = jr::replay(whole);
    ASSERT_TRUE(direct.ok());
    EXPECT_EQ(direct.value(), w);
    EXPECT_NE(jr::world_hash(direct.value()), *loaded.value().world_hash);
    EXPECT_TRUE(w.at(w.find(blue, "nk1")->handle).leased(1));
}

TEST(netlink_journal, a_step_naming_an_unknown_netns_fails_and_says_which) {
    model::world w;
    auto done = jr::apply(w, jr::nic_step{"nowhere", 2, false});
    ASSERT_FALSE(done.ok());
    EXPECT_EQ(done.failure().message, "no netns named 'nowhere'");
    done = jr::apply(w, jr::netns_step{"init"});
    ASSERT_FALSE(done.ok());
    EXPECT_EQ(done.failure().code, core::errno_code::exists);
    jr::journal j;
    j.steps.push_back(request_in("blue", route, pair_request(1)));
    auto replayed = jr::replay(j);
    ASSERT_FALSE(replayed.ok());
    EXPECT_EQ(replayed.failure().message, "step 1: no netns named 'blue'");
}

// NK-ENV-01: the caller a journal records is the one the socket uses: an
// unprivileged caller's creation is refused with EPERM (NL-RT-14) and
// changes nothing.
TEST(netlink_journal, the_recorded_caller_is_the_sockets_caller) {
    model::world w;
    auto r = request_in("init", route, pair_request(1));
    r.socket.caller = jr::caller_kind::unprivileged;
    const model::world before = w;
    auto replies = jr::apply(w, r);
    ASSERT_TRUE(replies.ok());
    const auto m = dec::decode_message(replies.value().at(0), in(route));
    EXPECT_EQ(at(m.body, {"error"})->symbol, "EPERM");
    EXPECT_EQ(w, before);
}

}  // namespace
