// Tests of include/netkit/netlink/rtnetlink.hpp: rtnetlink link messages as
// bytes — RTM_NEWLINK creation and changelink, RTM_SETLINK, RTM_DELLINK,
// RTM_GETLINK do and dump — against the world, checking the replies byte by
// byte or decoded, the errno, extack message, NLMSGERR offsets and policy
// TLV of every refusal, the liberal policies of the top level, link info,
// netkit data and peer table in message order, and that a refused request
// changes nothing. Offsets are counted from the request's nlmsghdr; the
// attributes of a link message start at 32 (nlmsghdr 16 + ifinfomsg 16).
#include <netkit/model/hash.hpp>
#include <netkit/model/world.hpp>
#include <netkit/netlink/rtnetlink.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace netkit;
using namespace netkit::model;
namespace nl = netkit::netlink;
namespace rt = netkit::netlink::rtnetlink;
using core::errno_code;
using requests::attr;
using uapi::ifla;
using uapi::netkit_attr;

const caller root = world::root();
constexpr std::uint32_t port = 4242;  // the socket's port id; requests carry nlmsg_pid 0

constexpr std::uint16_t bits(uapi::message_flag f) { return static_cast<std::uint16_t>(f); }
constexpr std::uint16_t bits(uapi::new_flag f) { return static_cast<std::uint16_t>(f); }
constexpr std::uint16_t bits(uapi::get_flag f) { return static_cast<std::uint16_t>(f); }
constexpr std::uint16_t request_ack = bits(uapi::message_flag::request) | bits(uapi::message_flag::acknowledge);
constexpr std::uint16_t multi = bits(uapi::message_flag::multipart);

constexpr std::uint16_t type(uapi::rtm t) { return static_cast<std::uint16_t>(t); }
constexpr std::uint16_t id(ifla a) { return static_cast<std::uint16_t>(a); }
constexpr std::uint16_t id(netkit_attr a) { return static_cast<std::uint16_t>(a); }
constexpr std::uint16_t linkinfo = 18;
constexpr std::uint16_t info_kind = 1;
constexpr std::uint16_t info_data = 2;

std::uint32_t u(uapi::mode m) { return static_cast<std::uint32_t>(m); }
std::uint32_t u(uapi::action a) { return static_cast<std::uint32_t>(a); }
std::uint32_t u(uapi::pairing p) { return static_cast<std::uint32_t>(p); }

// Offsets encode_link_request gives a create_netkit("nk1", data) request:
// IFNAME "nk1" at 32, LINKINFO at 40 {KIND "netkit" at 44, DATA at 56 {the
// first data attribute at 60; a u32 or u8 attribute takes 8 bytes}}.
constexpr std::uint32_t at_ifname = 32;
constexpr std::uint32_t at_linkinfo = 40;
constexpr std::uint32_t at_data = 56;
constexpr std::uint32_t at_first_data = 60;
constexpr std::uint32_t at_second_data = 68;

nl::message_view only_message(const std::vector<std::uint8_t>& bytes) {
    const auto messages = nl::split_messages(bytes);
    EXPECT_EQ(messages.size(), 1U);
    return messages.at(0);
}

nl::handled send(world& w, const std::vector<std::uint8_t>& bytes, const caller& c = root) {
    return rt::handle(w, c, only_message(bytes), port);
}

std::vector<std::uint8_t> new_link(const link_request& r, std::uint32_t seq = 1, bool flag_nests = true) {
    return rt::encode_link_request(type(uapi::rtm::new_link), request_ack, seq, r, flag_nests);
}

// Sends `bytes`; expects a refusal with no reply and an unchanged world.
nl::acknowledgement refused(world& w, const std::vector<std::uint8_t>& bytes, const caller& c = root) {
    const world before = w;
    const auto h = send(w, bytes, c);
    EXPECT_TRUE(h.replies.empty());
    EXPECT_EQ(w, before) << "a refused request changed the world";
    EXPECT_TRUE(h.ack.has_value());
    if (!h.ack) {
        return {};
    }
    EXPECT_TRUE(h.ack->failed);
    return *h.ack;
}

// Sends `bytes`; expects success with no reply.
nl::acknowledgement accepted(world& w, const std::vector<std::uint8_t>& bytes, const caller& c = root) {
    const auto h = send(w, bytes, c);
    EXPECT_TRUE(h.replies.empty());
    EXPECT_TRUE(h.ack.has_value());
    if (!h.ack) {
        return {};
    }
    EXPECT_FALSE(h.ack->failed) << core::kernel_name(h.ack->error) << ": " << h.ack->message;
    return *h.ack;
}

// The extended-ack TLVs of the acknowledgement the socket would send
// (NETLINK_EXT_ACK and NETLINK_CAP_ACK on, so they start right after the
// copied 16-byte header: 16 + 4 + 16).
struct ack_tlvs {
    std::vector<std::uint16_t> order;
    std::map<std::uint16_t, std::vector<std::uint8_t>> payload;
    std::map<std::uint16_t, std::uint64_t> policy;  // NL_POLICY_TYPE_ATTR_* inside NLMSGERR_ATTR_POLICY
    std::uint16_t policy_raw_type = 0;
};

ack_tlvs tlvs_of(const std::vector<std::uint8_t>& request, const nl::acknowledgement& ack) {
    const auto bytes = nl::acknowledge(only_message(request), ack, nl::socket_options{true, true, {}}, port);
    ack_tlvs out;
    nl::attribute_reader reader(std::span<const std::uint8_t>(bytes).subspan(36), 36);
    while (auto a = reader.next()) {
        out.order.push_back(a->id);
        out.payload[a->id] = std::vector<std::uint8_t>(a->payload.begin(), a->payload.end());
        if (a->id == static_cast<std::uint16_t>(uapi::error_attr::policy)) {
            out.policy_raw_type = nl::load_u16(bytes.data() + a->offset + 2);
            nl::attribute_reader inner(a->payload, a->payload_offset());
            while (auto p = inner.next()) {
                out.policy[p->id] =
                    p->payload.size() == 8 ? nl::load_u64(p->payload.data()) : nl::load_u32(p->payload.data());
            }
        }
    }
    return out;
}

// The header offset of the last attribute at `path` (IFLA ids from the top;
// a descent into IFLA_NETKIT_PEER_INFO skips its ifinfomsg), found by
// walking the bytes independently of the front end's parse.
std::optional<std::uint32_t> offset_in(const std::vector<std::uint8_t>& message,
                                       std::initializer_list<std::uint16_t> path) {
    std::span<const std::uint8_t> level = std::span<const std::uint8_t>(message).subspan(32);
    std::uint32_t base = 32;
    std::size_t depth = 0;
    for (const auto want : path) {
        std::optional<nl::attribute> found;
        nl::attribute_reader reader(level, base);
        while (auto a = reader.next()) {
            if (a->id == want) {
                found = a;
            }
        }
        if (!found) {
            return std::nullopt;
        }
        if (++depth == path.size()) {
            return found->offset;
        }
        const std::uint32_t skip = depth == 3 ? 16 : 0;
        level = found->payload.subspan(skip);
        base = found->payload_offset() + skip;
    }
    return std::nullopt;
}

// The attribute ids of a reply's top level, in order, with their raw types.
std::vector<std::uint16_t> raw_types(std::span<const std::uint8_t> payload, std::uint32_t base) {
    std::vector<std::uint16_t> out;
    nl::attribute_reader reader(payload, base);
    while (auto a = reader.next()) {
        out.push_back(static_cast<std::uint16_t>(a->id | (a->nested_flag ? uapi::attribute_flag_nested : 0)));
    }
    return out;
}

link_request l2_pair_request(std::string name = "nk1", std::string peer = "nk1p") {
    return requests::netkit_pair(std::move(name), std::move(peer));
}

void create(world& w, const link_request& r) { (void)accepted(w, new_link(r)); }

// ------------------------------------------------------------ RTM_NEWLINK

// NL-RT-01, NL-RT-02, NL-RT-09, NL-RT-07, NL-FLAG-03, NL-FLAG-04, NK-CRT-12, NK-DRV-07
TEST(rtnetlink_newlink, a_pair_created_over_the_wire_exists_and_is_acknowledged_without_a_reply) {
    world w;
    const auto h = send(w, new_link(l2_pair_request()));
    EXPECT_TRUE(h.replies.empty());
    ASSERT_TRUE(h.ack.has_value());
    EXPECT_FALSE(h.ack->failed);
    EXPECT_TRUE(h.ack->message.empty());
    const device* primary = w.find(world::initial_netns(), "nk1");
    const device* peer = w.find(world::initial_netns(), "nk1p");
    ASSERT_NE(primary, nullptr);
    ASSERT_NE(peer, nullptr);
    EXPECT_TRUE(primary->netkit->primary);
    EXPECT_EQ(primary->netkit->mode, uapi::mode::l2);
    EXPECT_EQ(primary->netkit->peer, peer->handle);
}

// NL-RT-07, NL-POL-01, NK-CRT-02: IFLA_LINKINFO, IFLA_INFO_DATA and PEER_INFO
// are accepted with or without NLA_F_NESTED.
TEST(rtnetlink_newlink, nests_are_accepted_with_and_without_nla_f_nested) {
    for (const bool flagged : {true, false}) {
        world w;
        (void)accepted(w, new_link(l2_pair_request(), 1, flagged));
        EXPECT_NE(w.find(world::initial_netns(), "nk1p"), nullptr) << flagged;
    }
}

// NL-RT-02: a link message needs a whole ifinfomsg (16 + 16 bytes).
TEST(rtnetlink_newlink, a_message_shorter_than_header_and_ifinfomsg_is_einval_for_every_link_type) {
    for (const auto t : {uapi::rtm::new_link, uapi::rtm::set_link, uapi::rtm::delete_link, uapi::rtm::get_link}) {
        world w;
        nl::message_builder b(type(t), request_ack, 7, 0);
        for (int i = 0; i < 12; ++i) {
            b.bytes().push_back(0);
        }
        const auto ack = refused(w, b.finish());
        EXPECT_EQ(ack.error, errno_code::invalid) << static_cast<int>(t);
        EXPECT_FALSE(ack.offset.has_value());
    }
}

// NL-RT-14, NK-CRT-19: permission before the payload is read — even a
// message without an ifinfomsg is EPERM, with no extack; GET is exempt.
TEST(rtnetlink_permission, non_get_requests_from_a_caller_without_net_admin_are_eperm_before_parsing) {
    world w;
    const caller user = caller::unprivileged_in(world::initial_netns());
    for (const auto t : {uapi::rtm::new_link, uapi::rtm::set_link, uapi::rtm::delete_link}) {
        const auto ack = refused(w, nl::message_builder(type(t), request_ack, 1, 0).finish(), user);
        EXPECT_EQ(ack.error, errno_code::not_permitted);
        EXPECT_TRUE(ack.message.empty());
        EXPECT_FALSE(ack.offset.has_value());
        const auto full = refused(w, new_link(l2_pair_request()), user);
        EXPECT_EQ(full.error, errno_code::not_permitted);
    }
    const auto h = send(w, rt::encode_get_request(request_ack, 2, rt::get_request{1, {}, {}}), user);
    ASSERT_EQ(h.replies.size(), 1U);
    EXPECT_FALSE(h.ack->failed);
}

// NL-RT-14: a caller that is admin only in another netns is still refused.
TEST(rtnetlink_permission, net_admin_over_another_netns_does_not_allow_requests_in_ones_own) {
    world w;
    const auto guest = w.create_netns("guest");
    const caller c{world::initial_netns(), false, std::vector<core::netns_handle>{guest}};
    const auto ack = refused(w, new_link(l2_pair_request()), c);
    EXPECT_EQ(ack.error, errno_code::not_permitted);
}

// NK-CRT-01, NL-RT-05, NL-ATTR-04, NL-POL-03, NL-POL-07, NL-EXT-02, NL-EXT-03, NL-EXT-06
TEST(rtnetlink_policy, a_sixteen_character_ifname_is_erange_at_the_name_with_its_policy) {
    world w;
    const auto bytes = new_link(requests::create_netkit("abcdefghijklmnop", {}));
    const auto ack = refused(w, bytes);
    EXPECT_EQ(ack.error, errno_code::out_of_range);
    EXPECT_EQ(ack.message, "Attribute failed policy validation");
    EXPECT_EQ(ack.offset, at_ifname);
    const auto t = tlvs_of(bytes, ack);
    EXPECT_EQ(t.order, (std::vector<std::uint16_t>{1, 2, 4}));  // MSG, OFFS, POLICY
    EXPECT_EQ(t.policy_raw_type, 0x8004);
    EXPECT_EQ(t.policy, (std::map<std::uint16_t, std::uint64_t>{{7, 15}, {1, 11}}));  // MAX_LENGTH 15, TYPE string
    EXPECT_EQ(nl::load_u32(t.payload.at(2).data()), at_ifname);
}

// NL-ATTR-04: the NUL does not count, so fifteen characters pass.
TEST(rtnetlink_policy, a_fifteen_character_ifname_with_its_nul_is_accepted) {
    world w;
    create(w, requests::create_netkit("abcdefghijklmno", {}));
    EXPECT_NE(w.find(world::initial_netns(), "abcdefghijklmno"), nullptr);
}

// NL-RT-05, NL-POL-03, NL-EXT-06: IFLA_ADDRESS at most 32 bytes (binary).
TEST(rtnetlink_policy, a_33_byte_address_is_erange_with_a_binary_policy_of_32) {
    world w;
    auto r = requests::create_netkit("nk1", {attr(netkit_attr::mode, u(uapi::mode::l2))});
    r.attributes.address = std::vector<std::uint8_t>(33, 0x02);
    const auto bytes = new_link(r);
    const auto ack = refused(w, bytes);
    EXPECT_EQ(ack.error, errno_code::out_of_range);
    EXPECT_EQ(ack.message, "Attribute failed policy validation");
    EXPECT_EQ(ack.offset, offset_in(bytes, {id(ifla::address)}));
    EXPECT_EQ(tlvs_of(bytes, ack).policy, (std::map<std::uint16_t, std::uint64_t>{{7, 32}, {1, 10}}));
}

// NL-POL-01, NL-POL-03, NL-EXT-06: liberal — a short u32 is ERANGE "Attribute
// failed policy validation" with the u32's limits; a long one is read from
// its leading bytes.
TEST(rtnetlink_policy, a_short_top_level_u32_is_erange_and_a_long_one_uses_its_leading_bytes) {
    {
        world w;
        nl::attribute_writer a;
        a.put_string(id(ifla::ifname), "nk1");
        a.put(id(ifla::mtu), std::vector<std::uint8_t>{0xdc, 0x05});
        nl::message_builder b(type(uapi::rtm::set_link), request_ack, 3, 0);
        b.append(std::vector<std::uint8_t>(16, 0));
        b.append(a.bytes());
        const auto bytes = b.finish();
        const auto ack = refused(w, bytes);
        EXPECT_EQ(ack.error, errno_code::out_of_range);
        EXPECT_EQ(ack.message, "Attribute failed policy validation");
        EXPECT_EQ(ack.offset, 40U);
        EXPECT_EQ(tlvs_of(bytes, ack).policy,
                  (std::map<std::uint16_t, std::uint64_t>{{4, 0}, {5, 0xffffffffU}, {1, 4}}));
    }
    {
        world w;
        create(w, requests::create_netkit("nk1", {}));
        nl::attribute_writer a;
        a.put_string(id(ifla::ifname), "nk1");
        a.put(id(ifla::mtu), std::vector<std::uint8_t>{0x28, 0x23, 0, 0, 0xff, 0xff, 0xff, 0xff});  // 9000, junk
        nl::message_builder b(type(uapi::rtm::set_link), request_ack, 3, 0);
        b.append(std::vector<std::uint8_t>(16, 0));
        b.append(a.bytes());
        (void)accepted(w, b.finish());
        EXPECT_EQ(w.find(world::initial_netns(), "nk1")->mtu, 9000U);
    }
}

// NL-POL-01, NL-POL-02, NK-CRT-02: unknown ids at the top level, in the
// link info and in the netkit data are ignored; ids above IFLA_NETKIT_MAX
// are not data.
TEST(rtnetlink_policy, unknown_attribute_ids_at_every_level_are_ignored) {
    world w;
    nl::attribute_writer a;
    a.put_u32(0, 1);
    a.put_string(id(ifla::ifname), "nk1");
    a.put_u32(300, 7);
    const auto info = a.begin_nest(linkinfo, false);
    a.put_string(info_kind, "netkit");
    a.put_u32(3, 0);  // IFLA_INFO_XSTATS: no policy entry
    a.put_u32(9, 0);
    const auto data = a.begin_nest(info_data, false);
    a.put_u32(0, 5);
    a.put_u32(id(netkit_attr::mode), u(uapi::mode::l2));
    a.put_u32(11, 99);
    a.put_u32(40, 99);
    a.end_nest(data);
    a.end_nest(info);
    nl::message_builder b(type(uapi::rtm::new_link),
                          request_ack | bits(uapi::new_flag::create) | bits(uapi::new_flag::exclusive), 1, 0);
    b.append(std::vector<std::uint8_t>(16, 0));
    b.append(a.bytes());
    const auto ack = accepted(w, b.finish());
    EXPECT_TRUE(ack.message.empty());
    ASSERT_NE(w.find(world::initial_netns(), "nk1"), nullptr);
    EXPECT_EQ(w.find(world::initial_netns(), "nk1")->netkit->mode, uapi::mode::l2);
}

// NL-RT-05, NL-POL-03, NL-EXT-06: a nest of 1…3 bytes is too short for an
// attribute header — IFLA_LINKINFO at the top level, IFLA_INFO_DATA inside
// it — and is ERANGE at the nest with the policy {TYPE nested}.
TEST(rtnetlink_policy, a_nest_too_short_for_an_attribute_is_erange_at_the_nest) {
    for (const bool inner : {false, true}) {
        world w;
        nl::attribute_writer a;
        a.put_string(id(ifla::ifname), "nk1");
        if (inner) {
            const auto info = a.begin_nest(linkinfo);
            a.put_string(info_kind, "netkit");
            a.put(info_data | uapi::attribute_flag_nested, std::vector<std::uint8_t>{0, 0});
            a.end_nest(info);
        } else {
            a.put(linkinfo | uapi::attribute_flag_nested, std::vector<std::uint8_t>{0, 0});
        }
        nl::message_builder b(type(uapi::rtm::new_link), request_ack | bits(uapi::new_flag::create), 1, 0);
        b.append(std::vector<std::uint8_t>(16, 0));
        b.append(a.bytes());
        const auto bytes = b.finish();
        const auto ack = refused(w, bytes);
        EXPECT_EQ(ack.error, errno_code::out_of_range) << inner;
        EXPECT_EQ(ack.message, "Attribute failed policy validation") << inner;
        EXPECT_EQ(ack.offset, inner ? at_data : at_linkinfo);
        EXPECT_EQ(tlvs_of(bytes, ack).policy, (std::map<std::uint16_t, std::uint64_t>{{1, 13}})) << inner;
    }
}

// NK-CRT-03, NL-POL-06, NL-EXT-06: PRIMARY is rejected with its message, at
// its offset, and no POLICY TLV.
TEST(rtnetlink_netkit_data, primary_is_einval_read_only_at_its_offset_without_a_policy_tlv) {
    world w;
    const auto bytes = new_link(requests::create_netkit("nk1", {attr(netkit_attr::primary, 1)}));
    const auto ack = refused(w, bytes);
    EXPECT_EQ(ack.error, errno_code::invalid);
    EXPECT_EQ(ack.message, "Primary attribute is read-only");
    EXPECT_EQ(ack.offset, at_first_data);
    const auto t = tlvs_of(bytes, ack);
    EXPECT_EQ(t.order, (std::vector<std::uint16_t>{1, 2}));
}

// NK-CRT-04, NL-POL-04, NL-EXT-06: MODE 2 → {MIN_VALUE_U 0, MAX_VALUE_U 1,
// TYPE u32}; SCRUB, PEER_SCRUB and PAIRING have the same maximum.
TEST(rtnetlink_netkit_data, enum_values_above_one_are_erange_out_of_range_with_the_policy_0_to_1) {
    for (const auto which : {netkit_attr::mode, netkit_attr::scrub, netkit_attr::peer_scrub, netkit_attr::pairing}) {
        world w;
        const auto bytes = new_link(requests::create_netkit("nk1", {attr(which, 2)}));
        const auto ack = refused(w, bytes);
        EXPECT_EQ(ack.error, errno_code::out_of_range) << id(which);
        EXPECT_EQ(ack.message, "integer out of range");
        EXPECT_EQ(ack.offset, at_first_data);
        const auto t = tlvs_of(bytes, ack);
        EXPECT_EQ(t.order, (std::vector<std::uint16_t>{1, 2, 4}));
        EXPECT_EQ(t.policy, (std::map<std::uint16_t, std::uint64_t>{{4, 0}, {5, 1}, {1, 4}}));
    }
}

// NK-CRT-03, NK-CRT-04: one step in message order — the first attribute
// that fails decides.
TEST(rtnetlink_netkit_data, mode_2_then_primary_is_erange_and_primary_then_mode_2_is_einval) {
    world w;
    const auto mode_then_primary = std::vector{attr(netkit_attr::mode, 2), attr(netkit_attr::primary, 1)};
    const auto mode_first = refused(w, new_link(requests::create_netkit("nk1", mode_then_primary)));
    EXPECT_EQ(mode_first.error, errno_code::out_of_range);
    EXPECT_EQ(mode_first.offset, at_first_data);
    const auto primary_then_mode = std::vector{attr(netkit_attr::primary, 1), attr(netkit_attr::mode, 2)};
    const auto primary_first = refused(w, new_link(requests::create_netkit("nk1", primary_then_mode)));
    EXPECT_EQ(primary_first.error, errno_code::invalid);
    EXPECT_EQ(primary_first.message, "Primary attribute is read-only");
    EXPECT_EQ(primary_first.offset, at_first_data);
}

// NK-CRT-05, NK-CRT-03, NL-EXT-06: a short u32 or u16, or a PEER_INFO
// shorter than an ifinfomsg, is ERANGE at that attribute; PEER_INFO's entry
// has no type, so no POLICY TLV — and the short attribute fails before a
// later out-of-range one.
TEST(rtnetlink_netkit_data, short_attributes_are_erange_policy_validation_in_message_order) {
    struct case_t {
        std::uint16_t attribute;
        std::vector<std::uint8_t> payload;
        std::map<std::uint16_t, std::uint64_t> policy;
    };
    for (const auto& c : std::vector<case_t>{
             {id(netkit_attr::policy), {0, 0}, {{4, 0}, {5, 0xffffffffU}, {1, 4}}},
             {id(netkit_attr::headroom), {1}, {{4, 0}, {5, 0xffff}, {1, 3}}},
             {id(netkit_attr::peer_info), std::vector<std::uint8_t>(8, 0), {}},
         }) {
        world w;
        nl::attribute_writer a;
        a.put_string(id(ifla::ifname), "nk1");
        const auto info = a.begin_nest(linkinfo);
        a.put_string(info_kind, "netkit");
        const auto data = a.begin_nest(info_data);
        a.put(c.attribute, c.payload);
        a.put_u32(id(netkit_attr::mode), 7);
        a.end_nest(data);
        a.end_nest(info);
        nl::message_builder b(type(uapi::rtm::new_link), request_ack | bits(uapi::new_flag::create), 1, 0);
        b.append(std::vector<std::uint8_t>(16, 0));
        b.append(a.bytes());
        const auto bytes = b.finish();
        const auto ack = refused(w, bytes);
        EXPECT_EQ(ack.error, errno_code::out_of_range) << c.attribute;
        EXPECT_EQ(ack.message, "Attribute failed policy validation") << c.attribute;
        EXPECT_EQ(ack.offset, at_first_data) << c.attribute;
        EXPECT_EQ(tlvs_of(bytes, ack).policy, c.policy) << c.attribute;
    }
}

// NK-CRT-02: liberal — a longer scalar is accepted and its leading bytes
// are the value.
TEST(rtnetlink_netkit_data, a_long_mode_is_read_from_its_leading_bytes) {
    world w;
    nl::attribute_writer a;
    a.put_string(id(ifla::ifname), "nk1");
    const auto info = a.begin_nest(linkinfo);
    a.put_string(info_kind, "netkit");
    const auto data = a.begin_nest(info_data);
    a.put(id(netkit_attr::mode), std::vector<std::uint8_t>{0, 0, 0, 0, 9, 9, 9, 9});
    a.end_nest(data);
    a.end_nest(info);
    nl::message_builder b(type(uapi::rtm::new_link), request_ack | bits(uapi::new_flag::create), 1, 0);
    b.append(std::vector<std::uint8_t>(16, 0));
    b.append(a.bytes());
    (void)accepted(w, b.finish());
    EXPECT_EQ(w.find(world::initial_netns(), "nk1")->netkit->mode, uapi::mode::l2);
}

// NL-ATTR-06: the last of a repeated attribute wins, at every level.
TEST(rtnetlink_netkit_data, the_last_occurrence_of_a_repeated_attribute_wins) {
    world w;
    auto r = requests::create_netkit("first", {attr(netkit_attr::mode, u(uapi::mode::l3)),
                                               attr(netkit_attr::mode, u(uapi::mode::l2))});
    auto bytes = new_link(r);
    // Append a second IFLA_IFNAME after IFLA_LINKINFO.
    nl::attribute_writer extra;
    extra.put_string(id(ifla::ifname), "second");
    bytes.insert(bytes.end(), extra.bytes().begin(), extra.bytes().end());
    bytes[0] = static_cast<std::uint8_t>(bytes.size());
    (void)accepted(w, bytes);
    const device* d = w.find(world::initial_netns(), "second");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->netkit->mode, uapi::mode::l2);
    EXPECT_EQ(w.find(world::initial_netns(), "first"), nullptr);
}

// Profile row 2 (orig-2023), NK-CRT-04: MODE has no policy maximum; the
// driver refuses it with EINVAL at MODE, and no POLICY TLV (an error raised
// after parsing, NL-EXT-06).
TEST(rtnetlink_netkit_data, under_orig_2023_mode_2_is_the_drivers_einval_without_a_policy_tlv) {
    world w = world::with_profile<core::profiles::orig_2023>();
    const auto bytes = new_link(requests::create_netkit("nk1", {attr(netkit_attr::mode, 2)}));
    const auto ack = refused(w, bytes);
    EXPECT_EQ(ack.error, errno_code::invalid);
    EXPECT_EQ(ack.message, "Provided device mode can only be L2 or L3");
    EXPECT_EQ(ack.offset, at_first_data);
    EXPECT_EQ(tlvs_of(bytes, ack).order, (std::vector<std::uint16_t>{1, 2}));
}

// Profile row 3 (orig-2023), NK-DRV-02: SCRUB is above that kernel's
// IFLA_NETKIT_MAX and ignored, even out of range.
TEST(rtnetlink_netkit_data, under_orig_2023_scrub_is_an_unknown_id_and_ignored) {
    world w = world::with_profile<core::profiles::orig_2023>();
    (void)accepted(w, new_link(requests::create_netkit("nk1", {attr(netkit_attr::scrub, 7)})));
    EXPECT_NE(w.find(world::initial_netns(), "nk1"), nullptr);
}

// NK-CRT-07, NL-RT-07: the peer's IFLA_* table is parsed with the generic
// link policy; offsets point inside PEER_INFO, after its ifinfomsg.
TEST(rtnetlink_peer, a_sixteen_character_peer_name_is_erange_at_the_peers_ifname) {
    world w;
    const auto bytes = new_link(l2_pair_request("nk1", "abcdefghijklmnop"));
    const auto ack = refused(w, bytes);
    EXPECT_EQ(ack.error, errno_code::out_of_range);
    EXPECT_EQ(ack.message, "Attribute failed policy validation");
    // MODE at 60, PEER_INFO at 68, its ifinfomsg at 72…88, the peer's IFNAME at 88.
    EXPECT_EQ(ack.offset, 88U);
    EXPECT_EQ(ack.offset, offset_in(bytes, {linkinfo, info_data, id(netkit_attr::peer_info), id(ifla::ifname)}));
    EXPECT_EQ(tlvs_of(bytes, ack).policy, (std::map<std::uint16_t, std::uint64_t>{{7, 15}, {1, 11}}));
}

// NK-CRT-06, NK-CRT-07: a bad top-level MAC and a negative peer ifindex
// come before the peer's nested parse.
TEST(rtnetlink_peer, the_checks_before_the_peer_parse_win_over_a_malformed_peer_table) {
    world w;
    auto bad_mac = l2_pair_request("nk1", "abcdefghijklmnop");
    bad_mac.attributes.address = std::vector<std::uint8_t>{0x01, 0, 0, 0, 0, 1};  // multicast
    const auto mac_ack = refused(w, new_link(bad_mac));
    EXPECT_EQ(mac_ack.error, errno_code::address_unavailable);
    EXPECT_FALSE(mac_ack.offset.has_value());

    auto negative = l2_pair_request("nk1", "abcdefghijklmnop");
    for (auto& a : *negative.linkinfo->data) {
        if (a.peer) {
            a.peer->header.index = -3;
        }
    }
    const auto index_ack = refused(w, new_link(negative));
    EXPECT_EQ(index_ack.error, errno_code::invalid);
    EXPECT_EQ(index_ack.message, "ifindex can't be negative");
    EXPECT_FALSE(index_ack.offset.has_value());
}

// NK-CRT-07 with a well-formed peer table: the model's own check.
TEST(rtnetlink_peer, a_negative_peer_ifindex_is_einval_ifindex_cant_be_negative) {
    world w;
    auto r = l2_pair_request();
    for (auto& a : *r.linkinfo->data) {
        if (a.peer) {
            a.peer->header.index = -1;
        }
    }
    const auto ack = refused(w, new_link(r));
    EXPECT_EQ(ack.error, errno_code::invalid);
    EXPECT_EQ(ack.message, "ifindex can't be negative");
}

// NK-DRV-04, NL-POL-07: a refusal of the model that names an attribute gets
// that attribute's offset (and no POLICY: an error raised after parsing).
TEST(rtnetlink_model_errors, an_invalid_policy_value_is_einval_at_the_policy_attribute) {
    world w;
    const auto bytes = new_link(
        requests::create_netkit("nk1", {attr(netkit_attr::mode, u(uapi::mode::l2)), attr(netkit_attr::policy, 5)}));
    const auto ack = refused(w, bytes);
    EXPECT_EQ(ack.error, errno_code::invalid);
    EXPECT_EQ(ack.message, "Provided default xmit policy not supported");
    EXPECT_EQ(ack.offset, at_second_data);
    EXPECT_EQ(tlvs_of(bytes, ack).order, (std::vector<std::uint16_t>{1, 2}));
}

// NK-DRV-09, NK-SGL-01: a model refusal without an attribute has no offset.
TEST(rtnetlink_model_errors, a_single_device_with_a_peer_policy_is_eopnotsupp_without_extack) {
    world w;
    const auto ack = refused(w, new_link(requests::create_netkit(
                                    "nk1", {attr(netkit_attr::pairing, u(uapi::pairing::single)),
                                            attr(netkit_attr::peer_policy, u(uapi::action::drop))})));
    EXPECT_EQ(ack.error, errno_code::not_supported);
    EXPECT_TRUE(ack.message.empty());
    EXPECT_FALSE(ack.offset.has_value());
}

// NL-FLAG-03, NK-CRT-12, NK-CRT-24: existing device — EXCL → EEXIST, else
// REPLACE → EOPNOTSUPP; no device and no CREATE → ENODEV; REPLACE is
// ignored when a device is created.
TEST(rtnetlink_flags, create_excl_replace_follow_the_link_creation_flags) {
    world w;
    create(w, l2_pair_request());
    EXPECT_EQ(refused(w, new_link(l2_pair_request())).error, errno_code::exists);

    auto replace = requests::change_netkit("nk1", {});
    replace.message_flags = bits(uapi::new_flag::replace);
    EXPECT_EQ(refused(w, new_link(replace)).error, errno_code::not_supported);

    auto no_create = requests::change_netkit("nk9", {});
    EXPECT_EQ(refused(w, new_link(no_create)).error, errno_code::no_device);

    auto create_replace = requests::create_netkit("nk9", {});
    create_replace.message_flags = bits(uapi::new_flag::create) | bits(uapi::new_flag::replace);
    (void)accepted(w, new_link(create_replace));
    EXPECT_NE(w.find(world::initial_netns(), "nk9"), nullptr);
}

// NL-RT-06: creating an unknown kind is EOPNOTSUPP; its data is not parsed.
TEST(rtnetlink_flags, an_unknown_kind_is_eopnotsupp_and_its_data_is_not_validated) {
    world w;
    link_request r = requests::create_netkit("x0", {attr(netkit_attr::primary, 1)});
    r.linkinfo->kind = "bogus";
    const auto ack = refused(w, new_link(r));
    EXPECT_EQ(ack.error, errno_code::not_supported);
    EXPECT_TRUE(ack.message.empty());
}

// NK-CHG-01, NK-CHG-04, NL-RT-09: RTM_NEWLINK without CREATE on the primary
// runs changelink.
TEST(rtnetlink_changelink, newlink_on_an_existing_primary_changes_its_policy) {
    world w;
    create(w, l2_pair_request());
    (void)accepted(w, new_link(requests::change_netkit("nk1", {attr(netkit_attr::policy, u(uapi::action::drop))})));
    EXPECT_EQ(w.find(world::initial_netns(), "nk1")->netkit->policy, uapi::action::drop);
}

// NK-CHG-03, NL-POL-07: a creation-only attribute is EACCES at its offset.
TEST(rtnetlink_changelink, mode_on_an_existing_device_is_eacces_at_the_mode_attribute) {
    world w;
    create(w, l2_pair_request());
    const auto bytes = new_link(requests::change_netkit("nk1", {attr(netkit_attr::policy, 0),
                                                                attr(netkit_attr::mode, u(uapi::mode::l2))}));
    const auto ack = refused(w, bytes);
    EXPECT_EQ(ack.error, errno_code::access_denied);
    EXPECT_EQ(ack.message, "netkit link operating mode cannot be changed after device creation");
    EXPECT_EQ(ack.offset, at_second_data);
}

// NK-CHG-02: through the peer, whatever the attributes.
TEST(rtnetlink_changelink, changes_through_the_peer_are_eacces_without_an_offset) {
    world w;
    create(w, l2_pair_request());
    const auto ack = refused(w, new_link(requests::change_netkit("nk1p", {attr(netkit_attr::policy, 0)})));
    EXPECT_EQ(ack.error, errno_code::access_denied);
    EXPECT_EQ(ack.message, "netkit link settings can be changed only through the primary device");
    EXPECT_FALSE(ack.offset.has_value());
}

// NK-CHG-08: data of another kind for an existing netkit device.
TEST(rtnetlink_changelink, data_of_another_kind_on_a_netkit_device_is_eopnotsupp) {
    world w;
    create(w, l2_pair_request());
    auto r = requests::change_netkit("nk1", {});
    r.linkinfo->kind = "veth";
    EXPECT_EQ(refused(w, new_link(r)).error, errno_code::not_supported);
}

// ------------------------------------------------------------ RTM_SETLINK

// NL-RT-10, NK-CHG-01: IFLA_LINKINFO is ignored — even PRIMARY, MODE 5 and
// a short attribute in its data are neither checked nor applied.
TEST(rtnetlink_setlink, setlink_ignores_link_info_and_applies_the_generic_attributes) {
    world w;
    create(w, l2_pair_request());
    auto r = requests::change_netkit("nk1", {attr(netkit_attr::primary, 1), attr(netkit_attr::mode, 5),
                                             model::netkit_attribute{netkit_attr::peer_info, 0, std::nullopt}});
    r.attributes.mtu = 9000;
    const auto ack = accepted(w, rt::encode_link_request(type(uapi::rtm::set_link), request_ack, 5, r));
    EXPECT_TRUE(ack.message.empty());
    const device* d = w.find(world::initial_netns(), "nk1");
    EXPECT_EQ(d->mtu, 9000U);
    EXPECT_EQ(d->netkit->mode, uapi::mode::l2);
}

// NL-RT-03, NL-RT-10, NK-OPEN-02: flags and change bring both ends up.
TEST(rtnetlink_setlink, iff_up_through_setlink_opens_the_device) {
    world w;
    create(w, l2_pair_request());
    for (const std::string name : {"nk1p", "nk1"}) {
        link_request r;
        r.attributes.ifname = name;
        r.header.flags = static_cast<std::uint32_t>(uapi::interface_flag::up);
        r.header.change = static_cast<std::uint32_t>(uapi::interface_flag::up);
        (void)accepted(w, rt::encode_link_request(type(uapi::rtm::set_link), request_ack, 6, r));
    }
    EXPECT_TRUE(w.find(world::initial_netns(), "nk1")->carrier);
}

// NL-RT-10, NL-RT-08: an unknown device is ENODEV; neither index nor name is EINVAL.
TEST(rtnetlink_setlink, setlink_needs_an_existing_device_named_by_index_or_name) {
    world w;
    link_request unknown;
    unknown.attributes.ifname = "ghost";
    unknown.attributes.mtu = 1400;
    EXPECT_EQ(refused(w, rt::encode_link_request(type(uapi::rtm::set_link), request_ack, 1, unknown)).error,
              errno_code::no_device);
    link_request unnamed;
    unnamed.attributes.mtu = 1400;
    EXPECT_EQ(refused(w, rt::encode_link_request(type(uapi::rtm::set_link), request_ack, 1, unnamed)).error,
              errno_code::invalid);
}

// NL-RT-10, NK-CRT-20: a move to an unknown netns id is EINVAL.
TEST(rtnetlink_setlink, setlink_to_an_unknown_target_netnsid_is_einval) {
    world w;
    create(w, l2_pair_request());
    link_request r;
    r.attributes.ifname = "nk1";
    r.attributes.target_netnsid = 42;
    EXPECT_EQ(refused(w, rt::encode_link_request(type(uapi::rtm::set_link), request_ack, 1, r)).error,
              errno_code::invalid);
}

// ------------------------------------------------------------ RTM_DELLINK

// NL-RT-11, NK-DEL-01, NK-DEL-02: deleting the peer by name removes both.
TEST(rtnetlink_dellink, deleting_the_peer_by_name_removes_both_devices) {
    world w;
    create(w, l2_pair_request());
    (void)accepted(w, rt::encode_delete_request(request_ack, 9, delete_request{0, "nk1p", {}}));
    EXPECT_EQ(w.find(world::initial_netns(), "nk1"), nullptr);
    EXPECT_EQ(w.find(world::initial_netns(), "nk1p"), nullptr);
}

// NL-RT-11, NK-ENV-02: ENODEV, EINVAL, EOPNOTSUPP for lo.
TEST(rtnetlink_dellink, dellink_refusals_name_the_device_problem) {
    world w;
    EXPECT_EQ(refused(w, rt::encode_delete_request(request_ack, 1, delete_request{0, "ghost", {}})).error,
              errno_code::no_device);
    EXPECT_EQ(refused(w, rt::encode_delete_request(request_ack, 1, delete_request{0, {}, {}})).error,
              errno_code::invalid);
    EXPECT_EQ(refused(w, rt::encode_delete_request(request_ack, 1, delete_request{1, {}, {}})).error,
              errno_code::not_supported);
}

// NL-RT-08: DELLINK in a netns named by IFLA_TARGET_NETNSID.
TEST(rtnetlink_dellink, dellink_by_target_netnsid_deletes_in_that_netns_and_checks_permission) {
    world w;
    const auto guest = w.create_netns("guest");
    ASSERT_TRUE(w.assign_netns_id(world::initial_netns(), guest, 3).ok());
    auto r = requests::netkit_pair("nk1", "g0", 1, w.open_netns(guest));
    create(w, r);
    const caller admin_here_only{world::initial_netns(), false,
                                 std::vector<core::netns_handle>{world::initial_netns()}};
    EXPECT_EQ(refused(w, rt::encode_delete_request(request_ack, 1, delete_request{0, "g0", 3}), admin_here_only).error,
              errno_code::access_denied);
    EXPECT_EQ(refused(w, rt::encode_delete_request(request_ack, 1, delete_request{0, "g0", 4})).error,
              errno_code::invalid);
    (void)accepted(w, rt::encode_delete_request(request_ack, 1, delete_request{0, "g0", 3}));
    EXPECT_EQ(w.find(guest, "g0"), nullptr);
    EXPECT_EQ(w.find(world::initial_netns(), "nk1"), nullptr);
}

// ------------------------------------------------------------ RTM_GETLINK

// NL-RT-12, NL-RT-13, NL-ERR-05, NL-HDR-05, NL-FLAG-04, NK-DUMP-01, NK-DUMP-02, NK-DUMP-04
TEST(rtnetlink_getlink, get_by_name_answers_one_newlink_without_multi_echoing_seq_and_port) {
    world w;
    create(w, l2_pair_request());
    const auto h = send(w, rt::encode_get_request(request_ack, 0x1234, rt::get_request{0, "nk1", {}}));
    ASSERT_EQ(h.replies.size(), 1U);
    ASSERT_TRUE(h.ack.has_value());
    EXPECT_FALSE(h.ack->failed);
    const auto reply = only_message(h.replies[0]);
    EXPECT_EQ(reply.header.type, type(uapi::rtm::new_link));
    EXPECT_EQ(reply.header.flags, 0);
    EXPECT_EQ(reply.header.sequence, 0x1234U);
    EXPECT_EQ(reply.header.port, port);
    EXPECT_EQ(reply.header.length, h.replies[0].size());
    const auto decoded = rt::decode_link_reply(reply);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, w.get_link(root, 0, "nk1").value());
    const device* primary = w.find(world::initial_netns(), "nk1");
    const device* peer = w.find(world::initial_netns(), "nk1p");
    EXPECT_EQ(decoded->index, primary->ifindex);
    EXPECT_EQ(decoded->name, "nk1");
    EXPECT_EQ(decoded->link, peer->ifindex);
    EXPECT_FALSE(decoded->link_netnsid.has_value());
    EXPECT_EQ(decoded->kind, "netkit");
    ASSERT_TRUE(decoded->netkit.has_value());
    EXPECT_TRUE(decoded->netkit->primary);
    EXPECT_EQ(decoded->netkit->mode, u(uapi::mode::l2));
    EXPECT_EQ(decoded->netkit->peer_policy, u(uapi::action::pass));
}

// NL-RT-13, NL-RT-02, NL-RT-04: ifinfomsg {family 0, ARPHRD_ETHER, index,
// flags, change 0} and the model's attribute order; NL-ATTR-05 [unconfirmed],
// NL-ATTR-02: IFLA_LINKINFO and IFLA_INFO_DATA without the NLA_F_NESTED bit;
// NK-DUMP-01: the data's order.
TEST(rtnetlink_getlink, the_reply_layout_has_unflagged_link_info_nests_unconfirmed) {
    world w;
    create(w, l2_pair_request());
    const auto index = w.find(world::initial_netns(), "nk1")->ifindex;
    const auto h = send(w, rt::encode_get_request(request_ack, 1, rt::get_request{index, {}, {}}));
    ASSERT_EQ(h.replies.size(), 1U);
    const auto& bytes = h.replies[0];
    const auto reply = only_message(bytes);
    EXPECT_EQ(reply.payload[0], 0);                     // AF_UNSPEC
    EXPECT_EQ(nl::load_u16(reply.payload.data() + 2), 1);  // ARPHRD_ETHER
    EXPECT_EQ(static_cast<std::int32_t>(nl::load_u32(reply.payload.data() + 4)), index);
    EXPECT_EQ(nl::load_u32(reply.payload.data() + 8), 0U);       // down, L2: no IFF_NOARP
    EXPECT_EQ(nl::load_u32(reply.payload.data() + 12), 0U);
    const auto top = raw_types(reply.payload.subspan(16), 32);
    EXPECT_EQ(top, (std::vector<std::uint16_t>{3, 13, 4, 31, 32, 1, 2, 5, 18}));
    const auto info_at = offset_in(bytes, {linkinfo});
    ASSERT_TRUE(info_at.has_value());
    const auto info = nl::attribute_reader(std::span<const std::uint8_t>(bytes).subspan(*info_at), *info_at).next();
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(raw_types(info->payload, info->payload_offset()), (std::vector<std::uint16_t>{1, 2}));
    const auto data_at = offset_in(bytes, {linkinfo, info_data});
    const auto data = nl::attribute_reader(std::span<const std::uint8_t>(bytes).subspan(*data_at), *data_at).next();
    EXPECT_EQ(raw_types(data->payload, data->payload_offset()),
              (std::vector<std::uint16_t>{2, 3, 5, 6, 8, 9, 10, 4, 7}));
}

// NL-RT-13: IFF_RUNNING and IFF_LOWER_UP are reported while up with carrier.
TEST(rtnetlink_getlink, an_up_pair_reports_running_and_lower_up) {
    world w;
    auto r = l2_pair_request();
    create(w, r);
    for (const std::string name : {"nk1p", "nk1"}) {
        link_request up;
        up.attributes.ifname = name;
        up.header.flags = up.header.change = static_cast<std::uint32_t>(uapi::interface_flag::up);
        (void)accepted(w, rt::encode_link_request(type(uapi::rtm::set_link), request_ack, 1, up));
    }
    const auto h = send(w, rt::encode_get_request(request_ack, 1, rt::get_request{0, "nk1", {}}));
    const auto decoded = rt::decode_link_reply(only_message(h.replies.at(0)));
    EXPECT_EQ(decoded->flags, 0x1U | 0x40U | 0x10000U);  // IFF_UP | IFF_RUNNING | IFF_LOWER_UP; L2: no IFF_NOARP
}

// NL-RT-12, NL-RT-08: unknown device ENODEV, neither index nor name EINVAL.
TEST(rtnetlink_getlink, get_of_an_unknown_device_is_enodev_and_of_nothing_einval) {
    world w;
    EXPECT_EQ(refused(w, rt::encode_get_request(request_ack, 1, rt::get_request{77, {}, {}})).error,
              errno_code::no_device);
    EXPECT_EQ(refused(w, rt::encode_get_request(request_ack, 1, rt::get_request{0, "ghost", {}})).error,
              errno_code::no_device);
    EXPECT_EQ(refused(w, rt::encode_get_request(request_ack, 1, rt::get_request{})).error, errno_code::invalid);
}

// NL-RT-12, NL-ERR-04, NL-ERR-01, NL-FLAG-01, NL-FLAG-02, NL-HDR-05: a dump is one NLM_F_MULTI
// RTM_NEWLINK per device in ifindex order, then NLMSG_DONE (NLM_F_MULTI,
// status 0) and no acknowledgement; either dump bit makes a dump.
TEST(rtnetlink_dump, a_dump_lists_every_device_with_multi_then_done) {
    for (const auto dump_bits : {bits(uapi::get_flag::dump), bits(uapi::get_flag::root), bits(uapi::get_flag::match)}) {
        world w;
        create(w, l2_pair_request());
        create(w, requests::netkit_single("s0"));
        const auto h = send(w, rt::encode_get_request(request_ack | dump_bits, 99, rt::get_request{}));
        EXPECT_FALSE(h.ack.has_value());
        const auto expected = w.dump_links(root);
        ASSERT_EQ(expected.size(), 4U);  // lo, nk1p, nk1, s0
        ASSERT_EQ(h.replies.size(), expected.size() + 1);
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const auto m = only_message(h.replies[i]);
            EXPECT_EQ(m.header.flags, multi);
            EXPECT_EQ(m.header.sequence, 99U);
            EXPECT_EQ(m.header.port, port);
            EXPECT_EQ(rt::decode_link_reply(m), expected[i]);
        }
        const auto last = only_message(h.replies.back());
        EXPECT_EQ(last.header.type, static_cast<std::uint16_t>(uapi::control_message::done));
        EXPECT_EQ(last.header.flags, multi);
        EXPECT_EQ(last.header.sequence, 99U);
        EXPECT_EQ(last.header.port, port);
        ASSERT_EQ(last.payload.size(), 4U);
        EXPECT_EQ(nl::load_u32(last.payload.data()), 0U);
    }
}

// NK-DUMP-03, NK-SGL-02, NL-RT-13: a single device's entry (LINK 0, PAIRING
// 1, no SCRUB, no PEER_*); lo is ARPHRD_LOOPBACK without LINKINFO.
TEST(rtnetlink_dump, single_devices_and_lo_are_reported_as_the_model_sees_them) {
    world w;
    create(w, requests::netkit_single("s0", 4));
    const auto h = send(w, rt::encode_get_request(request_ack | bits(uapi::get_flag::dump), 1, rt::get_request{}));
    ASSERT_EQ(h.replies.size(), 3U);
    const auto lo = rt::decode_link_reply(only_message(h.replies[0]));
    EXPECT_EQ(lo->type, 772);
    EXPECT_FALSE(lo->kind.has_value());
    EXPECT_FALSE(lo->link.has_value());
    const auto single = rt::decode_link_reply(only_message(h.replies[1]));
    EXPECT_EQ(single->rx_queues, 4U);
    EXPECT_EQ(single->link, 0);
    ASSERT_TRUE(single->netkit.has_value());
    EXPECT_EQ(single->netkit->pairing, 1U);
    EXPECT_FALSE(single->netkit->scrub.has_value());
    EXPECT_FALSE(single->netkit->peer_policy.has_value());
}

// NL-RT-08, NK-DUMP-04: a dump of the netns IFLA_TARGET_NETNSID names; the
// peer's LINK_NETNSID comes from the requester's table.
TEST(rtnetlink_dump, a_dump_with_target_netnsid_lists_that_netns) {
    world w;
    const auto guest = w.create_netns("guest");
    ASSERT_TRUE(w.assign_netns_id(world::initial_netns(), guest, 3).ok());
    create(w, requests::netkit_pair("nk1", "g0", 1, w.open_netns(guest)));
    const auto h = send(w, rt::encode_get_request(bits(uapi::message_flag::request) | bits(uapi::get_flag::dump), 5,
                                                  rt::get_request{0, {}, 3}));
    EXPECT_FALSE(h.ack.has_value());
    ASSERT_EQ(h.replies.size(), 3U);  // lo, g0, DONE
    const auto g0 = rt::decode_link_reply(only_message(h.replies[1]));
    EXPECT_EQ(g0->name, "g0");
    EXPECT_EQ(g0->link, w.find(world::initial_netns(), "nk1")->ifindex);
    ASSERT_TRUE(g0->link_netnsid.has_value());
    EXPECT_EQ(w.namespace_at(world::initial_netns()).by_id(*g0->link_netnsid), world::initial_netns());
    EXPECT_EQ(*g0, w.get_link(root, 0, "g0", 3).value());
}

// NL-ERR-04 [unconfirmed], NL-RT-08: a dump whose IFLA_TARGET_NETNSID is
// unknown (EINVAL) or not administrable (EACCES) starts and fails — no
// entries, NLMSG_DONE with the negative errno, no acknowledgement.
TEST(rtnetlink_dump, a_dump_of_an_unusable_target_netns_ends_in_done_with_the_errno_unconfirmed) {
    world w;
    const auto guest = w.create_netns("guest");
    ASSERT_TRUE(w.assign_netns_id(world::initial_netns(), guest, 3).ok());
    const std::uint16_t dump = request_ack | bits(uapi::get_flag::dump);
    const caller here_only{world::initial_netns(), true, std::vector<core::netns_handle>{world::initial_netns()}};
    struct case_t {
        rt::get_request request;
        caller c;
        std::int32_t status;
    };
    const std::vector<case_t> cases{{{0, {}, 8}, root, -22}, {{0, {}, 3}, here_only, -13}};
    for (const auto& [request, c, status] : cases) {
        const world before = w;
        const auto h = send(w, rt::encode_get_request(dump, 31, request), c);
        EXPECT_EQ(w, before);
        EXPECT_FALSE(h.ack.has_value());
        ASSERT_EQ(h.replies.size(), 1U);
        const auto last = only_message(h.replies[0]);
        EXPECT_EQ(last.header.type, static_cast<std::uint16_t>(uapi::control_message::done));
        EXPECT_EQ(last.header.flags, multi);
        EXPECT_EQ(last.header.sequence, 31U);
        EXPECT_EQ(static_cast<std::int32_t>(nl::load_u32(last.payload.data())), status);
    }
}

// NL-ERR-04 [unconfirmed], NL-RT-02: a bad dump request (here an old-style
// 4-byte rtgenmsg instead of an ifinfomsg) is refused before the dump
// starts, with an NLMSG_ERROR and no DONE.
TEST(rtnetlink_dump, a_dump_request_without_an_ifinfomsg_is_an_einval_error_message_unconfirmed) {
    world w;
    nl::message_builder rtgenmsg(type(uapi::rtm::get_link), request_ack | bits(uapi::get_flag::dump), 1, 0);
    rtgenmsg.append(std::vector<std::uint8_t>{0, 0, 0, 0});
    EXPECT_EQ(refused(w, rtgenmsg.finish()).error, errno_code::invalid);
}

// ------------------------------------------------------ warnings, veth, misc

// NL-ATTR-03, NL-EXT-03: leftover bytes after the attributes are a warning
// on success, become the message of a later error that has none, and give
// way to a later error's own message.
TEST(rtnetlink_leftover, leftover_bytes_warn_on_success_and_fill_a_silent_error) {
    auto with_tail = [](std::vector<std::uint8_t> bytes) {
        bytes.insert(bytes.end(), {0xff, 0x00, 0x01, 0x00});  // nla_len 255 > what is left
        bytes[0] = static_cast<std::uint8_t>(bytes.size());
        return bytes;
    };
    world w;
    const auto ok = accepted(w, with_tail(new_link(requests::create_netkit("nk1", {}))));
    EXPECT_EQ(ok.message, "bytes leftover after parsing attributes");
    const auto created = with_tail(new_link(requests::create_netkit("nk1", {})));
    const auto exists = refused(w, created);
    EXPECT_EQ(exists.error, errno_code::exists);
    EXPECT_EQ(exists.message, "bytes leftover after parsing attributes");
    EXPECT_EQ(tlvs_of(created, exists).order, (std::vector<std::uint16_t>{1}));
    const auto own = refused(w, with_tail(new_link(requests::change_netkit("nk1", {attr(netkit_attr::mode, 0)}))));
    EXPECT_EQ(own.error, errno_code::access_denied);
    EXPECT_EQ(own.message, "netkit link operating mode cannot be changed after device creation");
}

// NK-ENV-07: the veth negative control over the wire — VETH_INFO_PEER has
// PEER_INFO's layout; the dump says kind "veth" with no data.
TEST(rtnetlink_veth, a_veth_pair_is_created_from_veth_info_peer_and_dumped_as_veth) {
    world w;
    auto r = l2_pair_request("v0", "v1");
    r.linkinfo->kind = "veth";
    r.linkinfo->data = std::vector<netkit_attribute>{r.linkinfo->data->back()};  // only the peer (id 1)
    (void)accepted(w, new_link(r));
    const auto h = send(w, rt::encode_get_request(request_ack, 1, rt::get_request{0, "v0", {}}));
    const auto v0 = rt::decode_link_reply(only_message(h.replies.at(0)));
    EXPECT_EQ(v0->kind, "veth");
    EXPECT_FALSE(v0->netkit.has_value());
    EXPECT_EQ(v0->link, w.find(world::initial_netns(), "v1")->ifindex);
}

// Model-defined: rtnetlink types other than the four link messages.
TEST(rtnetlink_misc, other_rtnetlink_types_are_eopnotsupp) {
    world w;
    nl::message_builder b(20, request_ack, 1, 0);  // RTM_NEWADDR
    b.append(std::vector<std::uint8_t>(16, 0));
    EXPECT_EQ(refused(w, b.finish()).error, errno_code::not_supported);
}

// NL-RT-02, NL-RT-07, NL-ATTR-01: the request encoder and the decoder are
// inverse for a full request (creation flags, ifinfomsg, top level, data in
// message order, the peer's header and table).
TEST(rtnetlink_codec, a_link_request_survives_encode_and_decode) {
    auto r = requests::netkit_pair("nk1", "nk1p", 3, 7);
    r.header.index = 40;
    r.header.flags = 1;
    r.header.change = 1;
    r.attributes.mtu = 1400;
    r.attributes.num_rx_queues = 2;
    r.attributes.link_netnsid = 2;
    r.attributes.address = std::vector<std::uint8_t>{2, 0, 0, 0, 0, 9};
    r.linkinfo->data->push_back(attr(netkit_attr::headroom, 64));
    r.linkinfo->data->push_back(attr(netkit_attr::policy, u(uapi::action::drop)));
    for (auto& a : *r.linkinfo->data) {
        if (a.peer) {
            a.peer->header.index = 41;
        }
    }
    const auto bytes = new_link(r);
    nl::wire_error e;
    const auto decoded = rt::decode_link_request(only_message(bytes), world().profile(), true, &e);
    ASSERT_TRUE(decoded.ok()) << e.error.message;
    EXPECT_EQ(decoded.value().request, r);
    EXPECT_FALSE(decoded.value().warning.has_value());
}

// NL-RT-13: the reply encoder and decoder are inverse.
TEST(rtnetlink_codec, a_link_dump_survives_encode_and_decode) {
    links::link_dump d;
    d.index = 12;
    d.flags = 0x10041;
    d.name = "nk7";
    d.mtu = 9000;
    d.tx_queues = 1;
    d.rx_queues = 8;
    d.address = {2, 1, 2, 3, 4, 5};
    d.broadcast = broadcast_mac;
    d.link = 11;
    d.link_netnsid = 0;
    d.kind = "netkit";
    d.netkit = links::netkit_dump{true, 2, 0, 1, 64, 16, 0, 0, 1};
    const auto bytes = rt::encode_link_reply(d, multi, 5, port);
    EXPECT_EQ(rt::decode_link_reply(only_message(bytes)), d);
}

}  // namespace
