// Tests of the netlink codec (include/netkit/netlink/attributes.hpp,
// message.hpp, policy.hpp) on their own: encoding is the exact inverse of
// decoding for random attribute trees and message batches, and every class
// of malformed input — truncated header, a length past the buffer, an
// attribute too short for its header, a misaligned attribute, a nest whose
// child overflows it, a scalar of the wrong size, unknown and duplicate
// attributes under strict and liberal parsing, a nest without NLA_F_NESTED —
// gets the kernel's answer without a read outside the buffer (the suites
// run under ASan and UBSan; each malformed input sits in a vector of its
// exact size).
#include <netkit/netlink/attributes.hpp>
#include <netkit/netlink/message.hpp>
#include <netkit/netlink/policy.hpp>
#include <netkit/uapi/netlink.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace {

namespace nl = netkit::netlink;
using netkit::core::errno_code;
using nl::parse_mode;
using nl::policy_entry;
using nl::policy_kind;

// ------------------------------------------------------------ round trips

struct tree {
    std::uint16_t id = 1;
    bool nest = false;
    bool flagged = false;  // NLA_F_NESTED on a nest
    std::vector<std::uint8_t> payload;
    std::vector<tree> children;

    friend bool operator==(const tree&, const tree&) = default;
};

rc::Gen<tree> trees(int depth) {
    return rc::gen::exec([depth] {
        tree t;
        t.id = *rc::gen::inRange<std::uint16_t>(1, 200);
        t.nest = depth > 0 && *rc::gen::inRange(0, 3) == 0;
        if (t.nest) {
            t.flagged = *rc::gen::arbitrary<bool>();
            t.children = *rc::gen::container<std::vector<tree>>(*rc::gen::inRange(0, 5), trees(depth - 1));
        } else {
            t.payload = *rc::gen::container<std::vector<std::uint8_t>>(*rc::gen::inRange(0, 21),
                                                                      rc::gen::arbitrary<std::uint8_t>());
        }
        return t;
    });
}

void write(nl::attribute_writer& w, const tree& t) {
    if (t.nest) {
        const auto start = w.begin_nest(t.id, t.flagged);
        for (const auto& c : t.children) {
            write(w, c);
        }
        w.end_nest(start);
    } else {
        w.put(t.id, t.payload);
    }
}

// Reads `bytes` back with the shape of `expected` (which attributes are
// nests is the writer's knowledge, not the stream's). Checks alignment and
// offsets on the way.
std::vector<tree> read(std::span<const std::uint8_t> bytes, std::uint32_t base, const std::vector<tree>& expected) {
    std::vector<tree> out;
    nl::attribute_reader r(bytes, base);
    std::size_t i = 0;
    while (auto a = r.next()) {
        RC_ASSERT(a->offset % 4 == 0);
        RC_ASSERT(i < expected.size());
        tree t;
        t.id = a->id;
        t.nest = expected[i].nest;
        t.flagged = a->nested_flag;
        if (t.nest) {
            t.children = read(a->payload, a->payload_offset(), expected[i].children);
        } else {
            t.payload.assign(a->payload.begin(), a->payload.end());
        }
        out.push_back(std::move(t));
        ++i;
    }
    RC_ASSERT(r.leftover() == 0U);
    return out;
}

// NL-ATTR-01, NL-ATTR-02, NL-ATTR-05: written trees read back identically —
// ids, NLA_F_NESTED, payloads, nesting — every attribute 4-aligned.
RC_GTEST_PROP(netlink_codec, attribute_trees_round_trip, ()) {
    const auto top = *rc::gen::container<std::vector<tree>>(*rc::gen::inRange(0, 6), trees(3));
    nl::attribute_writer w;
    for (const auto& t : top) {
        write(w, t);
    }
    RC_ASSERT(w.bytes().size() % 4 == 0U);
    RC_ASSERT(read(w.bytes(), 20, top) == top);
}

// NL-HDR-01, NL-HDR-02, NL-HDR-03: a batch of built messages splits back
// into the same headers and payloads, in order.
RC_GTEST_PROP(netlink_codec, message_batches_round_trip, ()) {
    struct sent {
        std::uint16_t type;
        std::uint16_t flags;
        std::uint32_t sequence;
        std::uint32_t port;
        std::vector<std::uint8_t> payload;
    };
    const auto count = *rc::gen::inRange(1, 6);
    std::vector<sent> messages;
    std::vector<std::uint8_t> batch;
    for (int i = 0; i < count; ++i) {
        sent s{*rc::gen::arbitrary<std::uint16_t>(), *rc::gen::arbitrary<std::uint16_t>(),
               *rc::gen::arbitrary<std::uint32_t>(), *rc::gen::arbitrary<std::uint32_t>(),
               *rc::gen::container<std::vector<std::uint8_t>>(*rc::gen::inRange(0, 40),
                                                             rc::gen::arbitrary<std::uint8_t>())};
        nl::message_builder b(s.type, s.flags, s.sequence, s.port);
        b.append(s.payload);
        const auto bytes = b.finish();  // nlmsg_len includes the payload's padding
        s.payload.resize(netkit::uapi::message_align(static_cast<std::uint32_t>(s.payload.size())), 0);
        RC_ASSERT(bytes.size() == 16 + s.payload.size());
        batch.insert(batch.end(), bytes.begin(), bytes.end());
        messages.push_back(std::move(s));
    }
    const auto split = nl::split_messages(batch);
    RC_ASSERT(split.size() == messages.size());
    for (std::size_t i = 0; i < split.size(); ++i) {
        RC_ASSERT(split[i].header.type == messages[i].type);
        RC_ASSERT(split[i].header.flags == messages[i].flags);
        RC_ASSERT(split[i].header.sequence == messages[i].sequence);
        RC_ASSERT(split[i].header.port == messages[i].port);
        RC_ASSERT(std::vector<std::uint8_t>(split[i].payload.begin(), split[i].payload.end()) == messages[i].payload);
    }
}

// ------------------------------------------------------------ malformed

// A small policy: 1 u32, 2 a nest of {1 u16, 2 string ≤ 8}, 3 binary.
constexpr std::array<policy_entry, 3> inner_entries{{
    {},
    {policy_kind::u16, {}, {}, 0, 0, nullptr, {}},
    {policy_kind::string, {}, {}, 8, 0, nullptr, {}},
}};
constexpr nl::policy_set inner{2, inner_entries};
constexpr std::array<policy_entry, 4> outer_entries{{
    {},
    {policy_kind::u32, {}, {}, 0, 0, nullptr, {}},
    {policy_kind::nested, {}, {}, 0, 0, &inner, {}},
    {policy_kind::binary, {}, {}, 0, 0, nullptr, {}},
}};
constexpr nl::policy_set outer{3, outer_entries};

struct outcome {
    std::optional<errno_code> code;
    std::string message;
    std::optional<std::uint32_t> offset;
    std::optional<std::string> warning;
};

outcome parse(const std::vector<std::uint8_t>& bytes, parse_mode mode) {
    nl::wire_error e;
    const auto r = nl::parse(bytes, 0, outer, mode, &e);
    if (r.ok()) {
        return outcome{std::nullopt, {}, std::nullopt, r.value().warning};
    }
    return outcome{e.error.code, e.error.message, e.offset, std::nullopt};
}

std::vector<std::uint8_t> u32_attribute(std::uint16_t id, std::uint32_t v) {
    nl::attribute_writer w;
    w.put_u32(id, v);
    return w.bytes();
}

// NL-HDR-02: fewer than 16 bytes are no message; a length below 16 or past
// the buffer ends the batch there, and what came before stays.
TEST(netlink_codec, truncated_headers_and_lengths_past_the_buffer_end_the_batch) {
    nl::message_builder b(16, 1, 7, 0);
    b.append_u32(42);
    const auto one = b.finish();
    for (std::size_t n = 0; n < one.size(); ++n) {
        const std::vector<std::uint8_t> cut(one.begin(), one.begin() + static_cast<std::ptrdiff_t>(n));
        EXPECT_TRUE(nl::split_messages(cut).empty()) << n << " bytes";
    }
    auto batch = one;
    auto past = one;
    past[0] = 0xff;  // nlmsg_len 255 in a 20-byte message
    batch.insert(batch.end(), past.begin(), past.end());
    const auto split = nl::split_messages(batch);
    ASSERT_EQ(split.size(), 1U);
    EXPECT_EQ(split[0].header.sequence, 7U);
}

// NL-ATTR-03: bytes that do not form an attribute — too short for a header,
// nla_len below 4, nla_len past the end — are leftover: an error when
// strict, a warning when liberal, and the attributes before them count.
TEST(netlink_codec, leftover_bytes_are_einval_when_strict_and_a_warning_when_liberal) {
    const auto good = u32_attribute(1, 5);
    std::vector<std::vector<std::uint8_t>> tails = {
        {0x08, 0x00},                    // shorter than a header
        {0x02, 0x00, 0x01, 0x00},        // nla_len 2 < 4
        {0x0c, 0x00, 0x01, 0x00, 1, 2},  // nla_len 12 past the end
    };
    for (const auto& tail : tails) {
        auto bytes = good;
        bytes.insert(bytes.end(), tail.begin(), tail.end());
        const auto strict = parse(bytes, parse_mode::strict);
        EXPECT_EQ(strict.code, errno_code::invalid);
        EXPECT_EQ(strict.message, "bytes leftover after parsing attributes");
        const auto liberal = parse(bytes, parse_mode::liberal);
        EXPECT_FALSE(liberal.code.has_value());
        EXPECT_EQ(liberal.warning, "bytes leftover after parsing attributes");
    }
}

// NL-ATTR-02: the next attribute starts at the aligned end of the previous
// one. One written at the unaligned end instead is read from the wrong
// place: here its header straddles the padding, so the stream no longer
// parses — strict refuses it, and nothing is read outside the buffer.
TEST(netlink_codec, an_attribute_placed_without_padding_is_misread_and_refused) {
    nl::attribute_writer w;
    w.put_u8(3, 0xaa);  // nla_len 5: three padding bytes follow
    auto aligned = w.bytes();
    const auto next = u32_attribute(1, 9);
    aligned.insert(aligned.end(), next.begin(), next.end());
    EXPECT_FALSE(parse(aligned, parse_mode::strict).code.has_value());

    std::vector<std::uint8_t> misaligned(w.bytes().begin(), w.bytes().begin() + 5);  // no padding
    misaligned.insert(misaligned.end(), next.begin(), next.end());
    const auto out = parse(misaligned, parse_mode::strict);
    EXPECT_TRUE(out.code.has_value());
}

// NL-ATTR-05, NL-POL-05: a nest whose child runs past the nest's end is
// refused at that level (the child cannot borrow the parent's siblings).
TEST(netlink_codec, a_child_overflowing_its_nest_is_refused) {
    nl::attribute_writer w;
    const auto nest = w.begin_nest(2, true);
    w.put_u16(1, 7);
    w.end_nest(nest);
    w.put(3, std::vector<std::uint8_t>(8, 0x11));  // a sibling the child would overflow into
    auto bytes = w.bytes();
    EXPECT_FALSE(parse(bytes, parse_mode::strict).code.has_value());
    bytes[4] = 0x10;  // the child's nla_len: 16, past the 8-byte nest payload
    const auto out = parse(bytes, parse_mode::strict);
    EXPECT_EQ(out.code, errno_code::invalid);
    EXPECT_EQ(out.message, "bytes leftover after parsing attributes");
}

// NL-POL-03: strict parsing wants a scalar's exact size (EINVAL "invalid
// attribute length" at it); liberal parsing refuses only a short one
// (ERANGE) and reads a long one's leading bytes.
TEST(netlink_codec, scalars_of_the_wrong_size) {
    nl::attribute_writer short_one;
    short_one.put_u16(1, 5);
    const auto s = parse(short_one.bytes(), parse_mode::strict);
    EXPECT_EQ(s.code, errno_code::invalid);
    EXPECT_EQ(s.message, "invalid attribute length");
    EXPECT_EQ(s.offset, 0U);
    EXPECT_EQ(parse(short_one.bytes(), parse_mode::liberal).code, errno_code::out_of_range);
    nl::attribute_writer long_one;
    long_one.put_u64(1, 5);
    EXPECT_EQ(parse(long_one.bytes(), parse_mode::strict).code, errno_code::invalid);
    EXPECT_FALSE(parse(long_one.bytes(), parse_mode::liberal).code.has_value());
}

// NL-POL-02: an id above the set's maximum (or 0) is refused when strict,
// at its offset, and skipped when liberal — at the top level and in a nest.
TEST(netlink_codec, unknown_ids_strict_and_liberal) {
    for (const std::uint16_t id : {std::uint16_t{0}, std::uint16_t{4}, std::uint16_t{77}}) {
        auto bytes = u32_attribute(1, 1);
        const auto unknown = u32_attribute(id, 1);
        bytes.insert(bytes.end(), unknown.begin(), unknown.end());
        const auto strict = parse(bytes, parse_mode::strict);
        EXPECT_EQ(strict.code, errno_code::invalid);
        EXPECT_EQ(strict.message, "Unknown attribute type");
        EXPECT_EQ(strict.offset, 8U);
        EXPECT_FALSE(parse(bytes, parse_mode::liberal).code.has_value());
    }
    nl::attribute_writer w;
    const auto nest = w.begin_nest(2, true);
    w.put_u32(9, 1);
    w.end_nest(nest);
    const auto in_nest = parse(w.bytes(), parse_mode::strict);
    EXPECT_EQ(in_nest.code, errno_code::invalid);
    EXPECT_EQ(in_nest.offset, 4U);
}

// NL-ATTR-06: a repeated attribute is validated each time and the last one
// is the one the table keeps.
TEST(netlink_codec, a_duplicate_is_validated_and_the_last_one_wins) {
    auto bytes = u32_attribute(1, 1);
    const auto again = u32_attribute(1, 2);
    bytes.insert(bytes.end(), again.begin(), again.end());
    const auto r = nl::parse(bytes, 0, outer, parse_mode::strict);
    ASSERT_TRUE(r.ok());
    const auto* a = r.value().top.find(1);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(nl::load_u32(a->payload.data()), 2U);
    EXPECT_EQ(a->offset, 8U);
    nl::attribute_writer bad;
    bad.put_u16(1, 3);  // a second, short copy: refused even though one was fine
    bytes.insert(bytes.end(), bad.bytes().begin(), bad.bytes().end());
    EXPECT_EQ(parse(bytes, parse_mode::strict).code, errno_code::invalid);
}

// NL-POL-05: strict parsing wants NLA_F_NESTED on a nest and refuses it on
// a scalar; liberal parsing takes either.
TEST(netlink_codec, nla_f_nested_is_required_on_nests_when_strict) {
    nl::attribute_writer w;
    const auto nest = w.begin_nest(2, false);
    w.put_u16(1, 7);
    w.end_nest(nest);
    const auto strict = parse(w.bytes(), parse_mode::strict);
    EXPECT_EQ(strict.code, errno_code::invalid);
    EXPECT_EQ(strict.message, "NLA_F_NESTED is missing");
    EXPECT_EQ(strict.offset, 0U);
    EXPECT_FALSE(parse(w.bytes(), parse_mode::liberal).code.has_value());
    nl::attribute_writer flagged_scalar;
    flagged_scalar.put_u32(static_cast<std::uint16_t>(1 | netkit::uapi::attribute_flag_nested), 1);
    EXPECT_EQ(parse(flagged_scalar.bytes(), parse_mode::strict).message, "NLA_F_NESTED not expected");
}

// Any bytes at all: the parser answers (ok or an error) and every
// attribute it keeps lies inside the buffer.
RC_GTEST_PROP(netlink_codec, any_bytes_parse_within_the_buffer, ()) {
    const auto bytes = *rc::gen::container<std::vector<std::uint8_t>>(rc::gen::arbitrary<std::uint8_t>());
    for (const auto mode : {parse_mode::strict, parse_mode::liberal}) {
        const auto r = nl::parse(bytes, 0, outer, mode);
        if (r.ok()) {
            for (const auto& [id, a] : r.value().top.attributes) {
                RC_ASSERT(a.payload_offset() + a.payload.size() <= bytes.size());
            }
        }
    }
}

}  // namespace
