// Tests of include/netkit/netlink/{attributes,policy,netdev}.hpp: the
// queue-create request on the wire — the strict policy validation of
// lease.md QL-CRT-02 in message order, depth first, with the kernel's
// errno, extack and offending attribute's byte offset, the NLA_F_NESTED
// rule of QL-UAPI-08, and the model's later refusals mapped back to
// offsets (bad attribute) and nests (missing attribute).
#include "lease/fixture.hpp"

#include <netkit/netlink/netdev.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {

using namespace lease_test;
using netkit::netlink::attribute_writer;
using netkit::netlink::wire_error;
namespace nd = netkit::netlink::netdev;
using model::lease::queue_create_request;

constexpr std::uint32_t base = nd::attributes_offset;  // nlmsghdr + genlmsghdr

struct setup {
    world w;
    core::device_handle nic = add_nic(w, 2);
    core::device_handle single = add_single(w, 3);

    queue_create_request request(std::uint32_t q = 1) const {
        return queue_create_request::rx(ifindex(w, single), ifindex(w, nic), q);
    }
    // Sends `bytes`; expects a refusal and that the world did not change.
    wire_error refused(const std::vector<std::uint8_t>& bytes, const caller& c = root) {
        const world before = w;
        wire_error e;
        const auto r = nd::queue_create(w, c, bytes, base, &e);
        EXPECT_FALSE(r.ok());
        EXPECT_EQ(w, before);
        return e;
    }
};

// Offsets of the attributes encode_queue_create writes for a full request:
// ifindex at +0, type at +8, lease at +16 {ifindex +20, queue +28 {id +32,
// type +40}, netns-id +48 when present}.
constexpr std::uint32_t at_ifindex = base + 0;
constexpr std::uint32_t at_type = base + 8;
constexpr std::uint32_t at_lease = base + 16;
constexpr std::uint32_t at_lease_ifindex = base + 20;
constexpr std::uint32_t at_lease_queue = base + 28;
constexpr std::uint32_t at_lease_queue_type = base + 40;
constexpr std::uint32_t at_lease_netns_id = base + 48;

// QL-UAPI-06, NL-ND-02, NL-ND-03, NL-ATTR-01
TEST(queue_create_wire, a_well_formed_request_leases_and_answers_the_new_queue_id) {
    setup s;
    const auto bytes = nd::encode_queue_create(s.request());
    EXPECT_EQ(bytes.size(), 48U);  // 8 + 8 + (4 + 8 + (4 + 8 + 8)): every attribute 4-aligned
    const auto r = nd::queue_create(s.w, root, bytes, base);
    ASSERT_TRUE(r.ok()) << core::to_string(r.failure());
    EXPECT_EQ(r.value(), 1U);
    EXPECT_TRUE(s.w.at(s.nic).rxq[1].lease.has_value());
}

// QL-UAPI-08, NL-POL-05, NL-POL-07
TEST(queue_create_wire, a_lease_nest_without_nla_f_nested_is_einval_at_the_nest) {
    setup s;
    const auto e = s.refused(nd::encode_queue_create(s.request(), false));
    EXPECT_EQ(e.error.code, errno_code::invalid);
    EXPECT_EQ(e.error.message, "NLA_F_NESTED is missing");
    EXPECT_EQ(e.offset, at_lease);
    ASSERT_TRUE(e.policy.has_value());  // NL-EXT-06: {TYPE nested}
    EXPECT_EQ(e.policy->kind, netkit::netlink::policy_kind::nested);
}

// QL-UAPI-08, QL-CRT-02: the inner lease.queue nest needs the flag too.
TEST(queue_create_wire, an_unflagged_lease_queue_nest_inside_a_flagged_lease_is_einval_at_the_inner_nest) {
    setup s;
    attribute_writer w;
    w.put_u32(2, s.request().ifindex.value());
    w.put_u32(3, 0);
    const auto lease = w.begin_nest(8, true);
    w.put_u32(1, s.request().lease->ifindex.value());
    const auto queue = w.begin_nest(2, false);
    w.put_u32(1, 1);
    w.put_u32(3, 0);
    w.end_nest(queue);
    w.end_nest(lease);
    const auto e = s.refused(w.bytes());
    EXPECT_EQ(e.error.message, "NLA_F_NESTED is missing");
    EXPECT_EQ(e.offset, at_lease_queue);
}

// QL-CRT-02, NL-POL-05: NLA_F_NESTED on a scalar.
TEST(queue_create_wire, nla_f_nested_on_a_scalar_is_einval_not_expected) {
    setup s;
    auto bytes = nd::encode_queue_create(s.request());
    bytes[3] |= 0x80;  // the ifindex attribute's type: set NLA_F_NESTED
    const auto e = s.refused(bytes);
    EXPECT_EQ(e.error.code, errno_code::invalid);
    EXPECT_EQ(e.error.message, "NLA_F_NESTED not expected");
    EXPECT_EQ(e.offset, at_ifindex);
}

// QL-CRT-02, NL-POL-03: a 2-byte ifindex is a length error, before its range.
TEST(queue_create_wire, a_short_or_long_scalar_is_einval_invalid_attribute_length) {
    setup s;
    for (const std::size_t size : {2U, 8U}) {
        attribute_writer w;
        const std::vector<std::uint8_t> value(size, 0);
        w.put(2, value);
        w.put_u32(3, 0);
        const auto e = s.refused(w.bytes());
        EXPECT_EQ(e.error.code, errno_code::invalid) << size;
        EXPECT_EQ(e.error.message, "invalid attribute length") << size;
        EXPECT_EQ(e.offset, base) << size;
    }
}

// QL-CRT-02, NL-POL-04, NL-EXT-06
TEST(queue_create_wire, values_outside_their_range_are_erange_integer_out_of_range_at_the_attribute) {
    struct case_t {
        queue_create_request request;
        std::uint32_t offset;
    };
    setup s;
    auto zero_ifindex = s.request();
    zero_ifindex.ifindex = 0;
    auto type_two = s.request();
    type_two.type = 2;
    auto zero_lessor = s.request();
    zero_lessor.lease->ifindex = 0;
    auto queue_type_two = s.request();
    queue_type_two.lease->queue->type = 2;
    auto negative_netns = s.request();
    negative_netns.lease->netns_id = -1;
    for (const auto& [request, offset] :
         std::vector<case_t>{{zero_ifindex, at_ifindex},
                             {type_two, at_type},
                             {zero_lessor, at_lease_ifindex},
                             {queue_type_two, at_lease_queue_type},
                             {negative_netns, at_lease_netns_id}}) {
        const auto e = s.refused(nd::encode_queue_create(request));
        EXPECT_EQ(e.error.code, errno_code::out_of_range) << offset;
        EXPECT_EQ(e.error.message, "integer out of range") << offset;
        EXPECT_EQ(e.offset, offset);
        EXPECT_TRUE(e.policy.has_value());
    }
}

// QL-CRT-02, QL-CRT-05: a negative netns-id is refused by the policy, before
// the missing type of QL-CRT-03 would be noticed (ERANGE, not EINVAL).
TEST(queue_create_wire, a_negative_netns_id_without_a_type_is_erange_from_the_policy) {
    setup s;
    auto request = s.request();
    request.type.reset();
    request.lease->netns_id = -1;
    const auto e = s.refused(nd::encode_queue_create(request));
    EXPECT_EQ(e.error.code, errno_code::out_of_range);
    EXPECT_FALSE(e.missing_type.has_value());
}

// QL-CRT-02, QL-UAPI-05: profile v7-jan2026 has no minimum, so the negative
// netns-id passes the policy and QL-CRT-07 refuses it with EINVAL.
TEST(queue_create_wire, under_v7_jan2026_a_negative_netns_id_passes_the_policy) {
    world w(core::profiles::v7_jan2026::traits);
    const auto nic = add_nic(w, 2);
    const auto single = add_single(w, 3);
    auto request = queue_create_request::rx(ifindex(w, single), ifindex(w, nic), 1, -1);
    wire_error e;
    const auto r = nd::queue_create(w, root, nd::encode_queue_create(request), base, &e);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(e.error.code, errno_code::invalid);
    EXPECT_EQ(e.offset, at_lease_netns_id);
}

// QL-CRT-02, NL-POL-02: unknown ids (0, above the maximum) and ids without a
// policy entry, at the top level and inside lease.queue.
TEST(queue_create_wire, unknown_and_unsupported_ids_are_einval_with_their_own_messages) {
    setup s;
    for (const std::uint16_t id : {0, 9, 0x3fff}) {
        attribute_writer w;
        w.put_u32(id, 1);
        const auto e = s.refused(w.bytes());
        EXPECT_EQ(e.error.message, "Unknown attribute type") << id;
        EXPECT_EQ(e.offset, base) << id;
        EXPECT_FALSE(e.policy.has_value());
    }
    for (const std::uint16_t id : {1, 4, 5, 6, 7}) {
        attribute_writer w;
        w.put_u32(id, 1);
        const auto e = s.refused(w.bytes());
        EXPECT_EQ(e.error.message, "Unsupported attribute") << id;
        EXPECT_EQ(e.error.code, errno_code::invalid);
    }
    attribute_writer w;
    const auto lease = w.begin_nest(8);
    const auto queue = w.begin_nest(2);
    w.put_u32(2, 1);  // inside lease.queue, id 2 has no entry
    w.end_nest(queue);
    w.end_nest(lease);
    const auto e = s.refused(w.bytes());
    EXPECT_EQ(e.error.message, "Unsupported attribute");
    EXPECT_EQ(e.offset, base + 8);
}

// QL-CRT-02: the first failure in message order, depth first, wins.
TEST(queue_create_wire, the_first_bad_attribute_in_message_order_decides) {
    setup s;
    attribute_writer w;
    const auto lease = w.begin_nest(8);
    w.put_u32(1, 0);  // lease.ifindex 0: ERANGE, comes first
    w.end_nest(lease);
    w.put_u32(3, 7);  // type 7: ERANGE too, but later
    w.put_u32(5, 1);  // unsupported, later still
    const auto e = s.refused(w.bytes());
    EXPECT_EQ(e.error.code, errno_code::out_of_range);
    EXPECT_EQ(e.offset, base + 4);
}

// QL-CRT-02, NL-ATTR-03: bytes that do not form an attribute.
TEST(queue_create_wire, leftover_bytes_are_einval_in_strict_parsing) {
    setup s;
    auto bytes = nd::encode_queue_create(s.request());
    bytes.push_back(0x03);  // a 1-byte tail: shorter than an attribute header
    auto e = s.refused(bytes);
    EXPECT_EQ(e.error.code, errno_code::invalid);
    EXPECT_EQ(e.error.message, "bytes leftover after parsing attributes");
    auto lying = nd::encode_queue_create(s.request());
    lying[0] = 0xff;  // the first attribute claims 255 bytes
    e = s.refused(lying);
    EXPECT_EQ(e.error.message, "bytes leftover after parsing attributes");
}

// QL-CRT-03, QL-CRT-06, QL-CRT-08, NL-EXT-04: missing attributes name their
// type and, inside a nest, the nest's offset.
TEST(queue_create_wire, missing_attributes_report_their_type_and_nest_offset) {
    setup s;
    auto no_type = s.request();
    no_type.type.reset();
    auto e = s.refused(nd::encode_queue_create(no_type));
    EXPECT_EQ(e.missing_type, 3);
    EXPECT_FALSE(e.missing_nest_offset.has_value());
    auto no_lessor = s.request();
    no_lessor.lease->ifindex.reset();
    e = s.refused(nd::encode_queue_create(no_lessor));
    EXPECT_EQ(e.missing_type, 1);
    EXPECT_EQ(e.missing_nest_offset, at_lease);
    auto no_queue_id = s.request();
    no_queue_id.lease->queue->id.reset();
    e = s.refused(nd::encode_queue_create(no_queue_id));
    EXPECT_EQ(e.missing_type, 1);
    EXPECT_EQ(e.missing_nest_offset, at_lease_queue);
}

// QL-CRT-04, QL-CRT-17, NL-EXT-03: the model's bad attribute comes back as
// the offset of the attribute in the request.
TEST(queue_create_wire, later_refusals_name_the_offending_attribute_by_offset) {
    setup s;
    auto tx = s.request();
    tx.type = 1;
    auto e = s.refused(nd::encode_queue_create(tx));
    EXPECT_EQ(e.error.code, errno_code::invalid);
    EXPECT_EQ(e.offset, at_type);
    e = s.refused(nd::encode_queue_create(s.request(5)));
    EXPECT_EQ(e.error.code, errno_code::out_of_range);
    EXPECT_EQ(e.offset, base + 32);  // lease.queue.id
}

// QL-CRT-01: permission comes before the attributes are looked at.
TEST(queue_create_wire, an_unprivileged_caller_is_eperm_even_for_garbage) {
    setup s;
    const auto e = s.refused({0xff, 0xff, 0xff}, caller::unprivileged_in(world::initial_netns()));
    EXPECT_EQ(e.error.code, errno_code::not_permitted);
}

// NL-ATTR-06: the last occurrence of an id wins.
TEST(queue_create_wire, a_repeated_attribute_counts_once_with_its_last_value) {
    setup s;
    attribute_writer w;
    w.put_u32(2, 9999);  // an unknown device …
    for (const auto byte : nd::encode_queue_create(s.request())) {
        w.bytes().push_back(byte);  // … then the real request, whose ifindex wins
    }
    const auto r = nd::queue_create(s.w, root, w.bytes(), base);
    ASSERT_TRUE(r.ok()) << core::to_string(r.failure());
    EXPECT_EQ(r.value(), 1U);
}

// Decoding never reads outside the buffer: every prefix and every single-byte
// corruption of a valid request is answered (under ASan in CI).
TEST(queue_create_wire, every_prefix_and_every_byte_flip_is_answered_without_touching_the_world) {
    setup s;
    const auto bytes = nd::encode_queue_create(s.request());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const std::vector<std::uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
        world copy = s.w;
        (void)nd::queue_create(copy, root, prefix, base);
    }
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        for (const std::uint8_t flip : {0x01, 0x80, 0xff}) {
            auto corrupt = bytes;
            corrupt[i] ^= flip;
            world copy = s.w;
            (void)nd::queue_create(copy, root, corrupt, base);
        }
    }
    SUCCEED();
}

}  // namespace
