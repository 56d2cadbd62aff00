// Tests of include/netkit/netlink/socket.hpp and message.hpp: a netlink
// socket over the world — batches, what is and is not executed, replies
// addressed to the request, acknowledgements with and without NLM_F_ACK,
// NETLINK_CAP_ACK and NETLINK_EXT_ACK, extended-ack TLVs for missing
// attributes, and replies that do not fit the reply buffer.
#include "lease/fixture.hpp"

#include <netkit/netlink/socket.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {

using namespace lease_test;
namespace nl = netkit::netlink;
using nl::message_view;

// Decoded NLMSG_ERROR: error, copied header, whether the request followed,
// the flags, and the TLVs.
struct error_reply {
    nl::message_header header;
    std::int32_t error = 0;
    nl::message_header copied;
    std::size_t copied_bytes = 0;  // request bytes copied (16 when capped)
    std::vector<nl::attribute> tlvs;
};

error_reply as_error(const std::vector<std::uint8_t>& bytes, std::size_t request_size) {
    error_reply out;
    const auto messages = nl::split_messages(bytes);
    EXPECT_EQ(messages.size(), 1U);
    out.header = messages[0].header;
    EXPECT_EQ(out.header.type, static_cast<std::uint16_t>(uapi::control_message::error));
    const auto& p = messages[0].payload;
    out.error = static_cast<std::int32_t>(nl::load_u32(p.data()));
    out.copied = nl::read_header(p.data() + 4);
    const bool capped = (out.header.flags & static_cast<std::uint16_t>(uapi::ack_flag::capped)) != 0;
    out.copied_bytes = capped ? 16 : request_size;
    const std::size_t tlv_start = 4 + nl::align4(static_cast<std::uint32_t>(out.copied_bytes));
    nl::attribute_reader r(p.subspan(std::min(tlv_start, p.size())), 0);
    while (auto a = r.next()) {
        out.tlvs.push_back(*a);
    }
    return out;
}

// A GETFAMILY "netdev" request on a generic socket: valid and small.
std::vector<std::uint8_t> get_family(std::uint16_t flags, std::uint32_t seq) {
    return nl::genl::encode_get_family("netdev", seq, flags);
}

std::uint16_t f(uapi::message_flag x) { return static_cast<std::uint16_t>(x); }

// NL-GEN-01, NL-HDR-05, NL-GENL-07: replies carry the request's sequence
// number and the socket's port id.
TEST(netlink_socket, replies_echo_the_sequence_number_and_carry_the_socket_port) {
    world w;
    nl::socket s(w, uapi::netlink_protocol::generic, root, 4242);
    const auto replies = s.exchange(get_family(f(uapi::message_flag::request), 77));
    ASSERT_EQ(replies.size(), 1U);  // no NLM_F_ACK: no acknowledgement after success
    const auto m = nl::split_messages(replies[0]);
    ASSERT_EQ(m.size(), 1U);
    EXPECT_EQ(m[0].header.sequence, 77U);
    EXPECT_EQ(m[0].header.port, 4242U);
}

// NL-FLAG-04, NL-ERR-02, NL-ERR-03: with NLM_F_ACK a success is followed by
// an NLMSG_ERROR with error 0 and only the request header (NLM_F_CAPPED).
TEST(netlink_socket, a_success_with_nlm_f_ack_is_acknowledged_with_error_0_and_the_header) {
    world w;
    nl::socket s(w, uapi::netlink_protocol::generic, root, 7);
    const auto request = get_family(f(uapi::message_flag::request) | f(uapi::message_flag::acknowledge), 5);
    const auto replies = s.exchange(request);
    ASSERT_EQ(replies.size(), 2U);
    const auto ack = as_error(replies[1], request.size());
    EXPECT_EQ(ack.error, 0);
    EXPECT_EQ(ack.copied.sequence, 5U);
    EXPECT_EQ(ack.copied_bytes, 16U);
    EXPECT_EQ(replies[1].size(), 36U);  // 16 + 4 + 16
    EXPECT_EQ(ack.header.port, 7U);
}

// NL-FLAG-04, NL-ERR-02: a failure is always answered, with the whole
// request copied — unless NETLINK_CAP_ACK, which copies only the header.
TEST(netlink_socket, a_failure_is_answered_with_the_request_copied_unless_capped) {
    world w;
    const auto request = nl::genl::encode_get_family("nosuchfamily", 9, f(uapi::message_flag::request));
    nl::socket s(w, uapi::netlink_protocol::generic, root, 1);
    auto replies = s.exchange(request);
    ASSERT_EQ(replies.size(), 1U);
    auto e = as_error(replies[0], request.size());
    EXPECT_EQ(e.error, -2);  // ENOENT
    EXPECT_EQ(e.copied_bytes, request.size());
    EXPECT_EQ(replies[0].size(), 20U + nl::align4(static_cast<std::uint32_t>(request.size())));
    nl::socket capped(w, uapi::netlink_protocol::generic, root, 1, nl::socket_options{false, true, {}});
    replies = capped.exchange(request);
    ASSERT_EQ(replies.size(), 1U);
    e = as_error(replies[0], request.size());
    EXPECT_EQ(e.copied_bytes, 16U);
    EXPECT_EQ(replies[0].size(), 36U);
}

// NL-EXT-01, NL-EXT-02, NL-EXT-04, NL-ERR-03: extended-ack TLVs only with
// NETLINK_EXT_ACK; a missing attribute reports its type (and its nest).
TEST(netlink_socket, extended_ack_tlvs_appear_only_when_enabled_and_name_the_missing_attribute) {
    world w;
    const auto nic = add_nic(w, 2);
    const auto single = add_single(w, 3);
    auto request_struct = model::lease::queue_create_request::rx(ifindex(w, single), ifindex(w, nic), 1);
    request_struct.lease->ifindex.reset();
    const auto request = nl::genl::encode_queue_create(nl::genl::families{}.netdev_id, request_struct, 3,
                                                       f(uapi::message_flag::request));
    nl::socket plain(w, uapi::netlink_protocol::generic, root, 1);
    const auto plain_replies = plain.exchange(request);  // the TLVs below point into these bytes
    auto e = as_error(plain_replies[0], request.size());
    EXPECT_EQ(e.error, -22);
    EXPECT_TRUE(e.tlvs.empty());
    EXPECT_EQ(e.header.flags & static_cast<std::uint16_t>(uapi::ack_flag::extended_ack_tlvs), 0);
    nl::socket extended(w, uapi::netlink_protocol::generic, root, 1, nl::socket_options{true, true, {}});
    const auto extended_replies = extended.exchange(request);
    e = as_error(extended_replies[0], request.size());
    EXPECT_NE(e.header.flags & static_cast<std::uint16_t>(uapi::ack_flag::extended_ack_tlvs), 0);
    ASSERT_EQ(e.tlvs.size(), 2U);  // no message: MISS_TYPE, MISS_NEST (NL-EXT-05: no cookie)
    EXPECT_EQ(e.tlvs[0].id, static_cast<std::uint16_t>(uapi::error_attr::missing_type));
    EXPECT_EQ(nl::read_u32(e.tlvs[0]), 1U);  // NETDEV_A_LEASE_IFINDEX
    EXPECT_EQ(e.tlvs[1].id, static_cast<std::uint16_t>(uapi::error_attr::missing_nest));
    EXPECT_EQ(nl::read_u32(e.tlvs[1]), 36U);  // the lease nest: 20 + ifindex 8 + type 8
}

// NL-HDR-03: a batch is processed in order; processing stops silently at a
// message whose length is impossible.
TEST(netlink_socket, a_batch_is_processed_in_order_and_stops_at_a_broken_length) {
    world w;
    nl::socket s(w, uapi::netlink_protocol::generic, root, 1);
    auto batch = get_family(f(uapi::message_flag::request), 1);
    const auto second = get_family(f(uapi::message_flag::request), 2);
    batch.insert(batch.end(), second.begin(), second.end());
    auto broken = get_family(f(uapi::message_flag::request), 3);
    broken[0] = 8;  // nlmsg_len 8 < 16
    batch.insert(batch.end(), broken.begin(), broken.end());
    const auto replies = s.exchange(batch);
    ASSERT_EQ(replies.size(), 2U);
    EXPECT_EQ(nl::split_messages(replies[0])[0].header.sequence, 1U);
    EXPECT_EQ(nl::split_messages(replies[1])[0].header.sequence, 2U);
}

// NL-HDR-04: a message without NLM_F_REQUEST, or of a control type, is not
// executed; it is acknowledged only when it asks.
TEST(netlink_socket, non_requests_are_not_executed_and_only_acknowledged_on_request) {
    world w;
    const world before = w;
    nl::socket s(w, uapi::netlink_protocol::route, root, 1);
    auto create = nl::rtnetlink::encode_link_request(static_cast<std::uint16_t>(uapi::rtm::new_link), 0, 1,
                                                     model::requests::netkit_single("nk0", 2));
    create[6] &= static_cast<std::uint8_t>(~0x01U);  // clear NLM_F_REQUEST
    EXPECT_TRUE(s.exchange(create).empty());
    create[6] |= 0x04;  // NLM_F_ACK
    const auto replies = s.exchange(create);
    ASSERT_EQ(replies.size(), 1U);
    EXPECT_EQ(as_error(replies[0], create.size()).error, 0);
    EXPECT_EQ(w, before);
    nl::message_builder noop(static_cast<std::uint16_t>(uapi::control_message::noop),
                             f(uapi::message_flag::request) | f(uapi::message_flag::acknowledge), 4, 0);
    const auto bytes = noop.finish();
    EXPECT_EQ(s.exchange(bytes).size(), 1U);
    EXPECT_EQ(w, before);
}

// NL-RT-09, NL-FLAG-03: the same bytes over a route socket create a device.
TEST(netlink_socket, rtnetlink_bytes_drive_the_world) {
    world w;
    nl::socket s(w, uapi::netlink_protocol::route, root, 1);
    const auto create = nl::rtnetlink::encode_link_request(
        static_cast<std::uint16_t>(uapi::rtm::new_link),
        f(uapi::message_flag::request) | f(uapi::message_flag::acknowledge), 1, model::requests::netkit_single("nk0", 2));
    const auto replies = s.exchange(create);
    ASSERT_EQ(replies.size(), 1U);
    EXPECT_EQ(as_error(replies[0], create.size()).error, 0);
    EXPECT_NE(w.find(world::initial_netns(), "nk0"), nullptr);
}

// NK-DUMP-05: a reply that does not fit the reply buffer fails with
// EMSGSIZE; in a dump, the entries before it stay and NLMSG_DONE carries
// the error.
TEST(netlink_socket, a_reply_larger_than_the_reply_buffer_is_emsgsize) {
    world w;
    (void)w.new_link(root, model::requests::netkit_single("nk0", 2));
    nl::socket_options small{true, false, std::size_t{100}};
    nl::socket s(w, uapi::netlink_protocol::route, root, 1, small);
    nl::rtnetlink::get_request get;
    get.index = w.find(world::initial_netns(), "nk0")->ifindex;
    const auto request = nl::rtnetlink::encode_get_request(f(uapi::message_flag::request), 8, get);
    auto replies = s.exchange(request);
    ASSERT_EQ(replies.size(), 1U);
    EXPECT_EQ(as_error(replies[0], request.size()).error, -90);
    const auto dump = nl::rtnetlink::encode_get_request(
        f(uapi::message_flag::request) | static_cast<std::uint16_t>(uapi::get_flag::dump), 9, {});
    replies = s.exchange(dump);
    ASSERT_FALSE(replies.empty());
    const auto last = nl::split_messages(replies.back());
    ASSERT_EQ(last.size(), 1U);
    EXPECT_EQ(last[0].header.type, static_cast<std::uint16_t>(uapi::control_message::done));
    EXPECT_EQ(static_cast<std::int32_t>(nl::load_u32(last[0].payload.data())), -90);
    // lo's reply fits (it has no link info); nk0's does not.
    EXPECT_EQ(replies.size(), 2U);
}

// NL-GEN-02: header fields are read in host (little-endian) order.
TEST(netlink_socket, header_fields_are_host_byte_order) {
    world w;
    nl::socket s(w, uapi::netlink_protocol::generic, root, 1);
    auto request = get_family(f(uapi::message_flag::request), 0);
    request[8] = 0x04;  // nlmsg_seq = 0x01020304, little-endian
    request[9] = 0x03;
    request[10] = 0x02;
    request[11] = 0x01;
    const auto replies = s.exchange(request);
    ASSERT_EQ(replies.size(), 1U);
    EXPECT_EQ(nl::split_messages(replies[0])[0].header.sequence, 0x01020304U);
}

// NL-FLAG-05: NLM_F_ECHO is ignored — no copy of the request comes back.
TEST(netlink_socket, nlm_f_echo_is_ignored) {
    world w;
    nl::socket s(w, uapi::netlink_protocol::route, root, 1);
    const auto create = nl::rtnetlink::encode_link_request(
        static_cast<std::uint16_t>(uapi::rtm::new_link),
        f(uapi::message_flag::request) | f(uapi::message_flag::echo), 1, model::requests::netkit_single("nk0", 2));
    EXPECT_TRUE(s.exchange(create).empty());
    EXPECT_NE(w.find(world::initial_netns(), "nk0"), nullptr);
}

}  // namespace
