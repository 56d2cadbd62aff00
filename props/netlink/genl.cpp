// Tests of include/netkit/netlink/genl.hpp: generic netlink requests as
// bytes against the world — the genlmsghdr, the controller resolving and
// dumping families, the dispatcher's EOPNOTSUPP / EPERM before any
// attribute is parsed, and the netdev family's queue-create, queue-get do
// and dump and bind-rx — with replies decoded from their bytes by a small
// decoder written here on attribute_reader (not by the code under test),
// and refusals checked as errno, extack and offsets, on the wire where the
// offsets matter.
#include <lease/bench.hpp>

#include <netkit/netlink/genl.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace lease_test;
namespace genl = netkit::netlink::genl;
namespace nl = netkit::netlink;
using lease::queue_create_request;
using lease::queue_info;
using nl::attribute;
using nl::handled;
using uapi::queue_type;

constexpr std::uint32_t base = nl::netdev::attributes_offset;  // 20: nlmsghdr + genlmsghdr
constexpr std::uint16_t netdev_id = 0x13;
constexpr std::uint16_t nlctrl_id = 0x10;
constexpr std::uint32_t port = 4242;
constexpr std::uint16_t multi = 0x2;
constexpr std::uint16_t nested_flag = 0x8000;

// ------------------------------------------------------------------ decoder

// One received message, split by hand: the header, the genlmsghdr and the
// top-level attributes (spans into the message's bytes, which the caller
// keeps alive).
struct decoded {
    nl::message_header header;
    std::uint8_t command = 0;
    std::uint8_t version = 0;
    std::uint16_t reserved = 0;
    std::vector<attribute> attributes;
    std::vector<std::uint16_t> raw_types;  // nla_type with flags, in order
    std::size_t leftover = 0;
};

std::vector<attribute> read_all(std::span<const std::uint8_t> bytes, std::uint32_t offset,
                                std::vector<std::uint16_t>* raw_types = nullptr, std::size_t* leftover = nullptr) {
    std::vector<attribute> out;
    nl::attribute_reader reader(bytes, offset);
    while (auto a = reader.next()) {
        if (raw_types != nullptr) {
            raw_types->push_back(nl::load_u16(bytes.data() + (a->offset - offset) + 2));
        }
        out.push_back(*a);
    }
    if (leftover != nullptr) {
        *leftover = reader.leftover();
    }
    return out;
}

decoded decode(const std::vector<std::uint8_t>& bytes) {
    decoded out;
    const auto messages = nl::split_messages(bytes);
    EXPECT_EQ(messages.size(), 1U);
    if (messages.empty()) {
        return out;
    }
    const auto& m = messages.front();
    EXPECT_EQ(m.header.length, bytes.size());
    out.header = m.header;
    if (m.payload.size() < 4) {
        ADD_FAILURE() << "no genlmsghdr";
        return out;
    }
    out.command = m.payload[0];
    out.version = m.payload[1];
    out.reserved = nl::load_u16(m.payload.data() + 2);
    out.attributes = read_all(m.payload.subspan(4), base, &out.raw_types, &out.leftover);
    return out;
}

std::vector<attribute> children(const attribute& a) { return read_all(a.payload, a.payload_offset()); }

const attribute* find(const std::vector<attribute>& list, std::uint16_t id) {
    const attribute* out = nullptr;
    for (const auto& a : list) {
        if (a.id == id) {
            out = &a;
        }
    }
    return out;
}

std::uint32_t u32(const attribute& a) {
    EXPECT_EQ(a.payload.size(), 4U) << "attribute " << a.id;
    return a.payload.size() >= 4 ? nl::load_u32(a.payload.data()) : 0;
}

std::string text(const attribute& a) {
    std::string s(a.payload.begin(), a.payload.end());
    EXPECT_FALSE(s.empty());
    EXPECT_EQ(s.back(), '\0') << "strings are sent with their NUL";
    if (!s.empty() && s.back() == '\0') {
        s.pop_back();
    }
    return s;
}

std::vector<std::uint16_t> ids_of(const std::vector<attribute>& list) {
    std::vector<std::uint16_t> out;
    for (const auto& a : list) {
        out.push_back(a.id);
    }
    return out;
}

// A queue-get reply turned back into the model's queue_info; `all_flagged`
// says whether every nest carried NLA_F_NESTED.
struct decoded_queue {
    queue_info info;
    std::vector<std::uint16_t> order;
    bool all_flagged = true;
};

decoded_queue decode_queue(const std::vector<std::uint8_t>& bytes) {
    decoded_queue out;
    const decoded d = decode(bytes);
    EXPECT_EQ(d.command, 10);
    EXPECT_EQ(d.version, 1);
    EXPECT_EQ(d.leftover, 0U);
    out.order = ids_of(d.attributes);
    for (std::size_t i = 0; i < d.attributes.size(); ++i) {
        const attribute& a = d.attributes[i];
        switch (a.id) {
            case 1: out.info.id = u32(a); break;
            case 2: out.info.ifindex = static_cast<std::int32_t>(u32(a)); break;
            case 3: out.info.type = static_cast<queue_type>(u32(a)); break;
            case 4: out.info.napi_id = u32(a); break;
            case 5: out.info.dmabuf = u32(a); break;
            case 6:
                out.info.io_uring = true;
                out.all_flagged = out.all_flagged && a.nested_flag;
                EXPECT_TRUE(a.payload.empty());
                break;
            case 7:
                out.info.xsk = true;
                out.all_flagged = out.all_flagged && a.nested_flag;
                EXPECT_TRUE(a.payload.empty());
                break;
            case 8: {
                out.all_flagged = out.all_flagged && a.nested_flag;
                lease::lease_report report;
                const auto inner = children(a);
                EXPECT_EQ(ids_of(inner).front(), 2) << "lease.queue comes first";
                if (const auto* q = find(inner, 2)) {
                    out.all_flagged = out.all_flagged && q->nested_flag;
                    const auto qa = children(*q);
                    EXPECT_EQ(ids_of(qa), (std::vector<std::uint16_t>{1, 3}));
                    if (const auto* id = find(qa, 1)) {
                        report.queue = u32(*id);
                    }
                    if (const auto* type = find(qa, 3)) {
                        EXPECT_EQ(u32(*type), 0U) << "leases are RX";
                    }
                }
                if (const auto* ifindex = find(inner, 1)) {
                    report.ifindex = static_cast<std::int32_t>(u32(*ifindex));
                }
                if (const auto* ns = find(inner, 3)) {
                    report.netns_id = static_cast<std::int32_t>(u32(*ns));
                }
                out.info.lease = report;
                break;
            }
            default: ADD_FAILURE() << "unexpected queue attribute " << a.id;
        }
    }
    return out;
}

// A CTRL_CMD_NEWFAMILY reply.
struct decoded_family {
    std::vector<std::uint16_t> order;
    std::uint16_t id = 0;
    std::string name;
    std::uint32_t version = 0;
    std::uint32_t header_size = 99;
    std::uint32_t max_attribute = 99;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> operations;  // {id, flags}
    std::vector<std::pair<std::string, std::uint32_t>> groups;        // {name, id}
    bool nests_unflagged = true;
};

decoded_family decode_family(const std::vector<std::uint8_t>& bytes) {
    decoded_family out;
    const decoded d = decode(bytes);
    EXPECT_EQ(d.header.type, nlctrl_id);
    EXPECT_EQ(d.command, 1) << "CTRL_CMD_NEWFAMILY";
    EXPECT_EQ(d.version, 2) << "nlctrl's version";
    out.order = ids_of(d.attributes);
    for (const auto& a : d.attributes) {
        switch (a.id) {
            case 1:
                EXPECT_EQ(a.payload.size(), 2U);
                out.id = nl::load_u16(a.payload.data());
                break;
            case 2: out.name = text(a); break;
            case 3: out.version = u32(a); break;
            case 4: out.header_size = u32(a); break;
            case 5: out.max_attribute = u32(a); break;
            case 6: {
                out.nests_unflagged = out.nests_unflagged && !a.nested_flag;
                std::uint16_t expected_index = 1;
                for (const auto& op : children(a)) {
                    EXPECT_EQ(op.id, expected_index++);
                    out.nests_unflagged = out.nests_unflagged && !op.nested_flag;
                    const auto fields = children(op);
                    EXPECT_EQ(ids_of(fields), (std::vector<std::uint16_t>{1, 2}));
                    out.operations.emplace_back(u32(*find(fields, 1)), u32(*find(fields, 2)));
                }
                break;
            }
            case 7: {
                out.nests_unflagged = out.nests_unflagged && !a.nested_flag;
                std::uint16_t expected_index = 1;
                for (const auto& group : children(a)) {
                    EXPECT_EQ(group.id, expected_index++);
                    out.nests_unflagged = out.nests_unflagged && !group.nested_flag;
                    const auto fields = children(group);
                    EXPECT_EQ(ids_of(fields), (std::vector<std::uint16_t>{2, 1})) << "id, then name";
                    out.groups.emplace_back(text(*find(fields, 1)), u32(*find(fields, 2)));
                }
                break;
            }
            default: ADD_FAILURE() << "unexpected controller attribute " << a.id;
        }
    }
    return out;
}

// An NLMSG_ERROR on the wire (extended acks on): error, flags and TLVs.
struct decoded_ack {
    std::int32_t error = 1;
    std::uint16_t flags = 0;
    std::map<std::uint16_t, attribute> tlvs;
    std::vector<std::uint16_t> order;
    std::vector<std::uint16_t> raw_types;
    std::vector<std::uint8_t> bytes;  // owns what the spans point into
};

// ----------------------------------------------------------------- sending

// A generic-netlink socket of `c` on `port`: each request is one message.
struct client {
    world& w;
    caller c = root;
    genl::families f{};

    struct exchange {
        std::vector<std::uint8_t> request;
        handled outcome;

        const nl::acknowledgement& ack() const {
            static const nl::acknowledgement none;
            EXPECT_TRUE(outcome.ack.has_value());
            return outcome.ack ? *outcome.ack : none;
        }
        // The acknowledgement as a socket with NETLINK_EXT_ACK puts it.
        decoded_ack wire_ack() const {
            decoded_ack out;
            const auto messages = nl::split_messages(request);
            out.bytes = nl::acknowledge(messages.front(), ack(), nl::socket_options{true, false, {}}, port);
            const auto m = nl::split_messages(out.bytes).front();
            EXPECT_EQ(m.header.type, 2);
            out.flags = m.header.flags;
            out.error = static_cast<std::int32_t>(nl::load_u32(m.payload.data()));
            const std::size_t copied = out.error != 0 ? nl::align4(static_cast<std::uint32_t>(request.size())) : 16;
            const std::size_t at = 16 + 4 + copied;
            const std::span<const std::uint8_t> rest(out.bytes.data() + at, out.bytes.size() - at);
            for (const auto& a : read_all(rest, static_cast<std::uint32_t>(at), &out.raw_types)) {
                out.order.push_back(a.id);
                out.tlvs[a.id] = a;
            }
            return out;
        }
    };

    exchange send(std::vector<std::uint8_t> bytes) {
        exchange out{std::move(bytes), {}};
        const auto messages = nl::split_messages(out.request);
        EXPECT_EQ(messages.size(), 1U);
        out.outcome = genl::handle(w, c, messages.front(), port, f);
        return out;
    }
    // Sends and expects a refusal that left the world as it was.
    nl::acknowledgement refused(std::vector<std::uint8_t> bytes) {
        const world before = w;
        const auto e = send(std::move(bytes));
        EXPECT_TRUE(e.outcome.replies.empty());
        EXPECT_TRUE(w == before) << "a refused request changed the world";
        const auto ack = e.ack();
        EXPECT_TRUE(ack.failed);
        return ack;
    }
};

struct refusal_t {
    errno_code code{};
    std::string message;
    std::optional<std::uint32_t> offset;
    std::optional<std::uint16_t> missing_type;
    std::optional<std::uint32_t> missing_nest;

    friend bool operator==(const refusal_t&, const refusal_t&) = default;
    friend std::ostream& operator<<(std::ostream& out, const refusal_t& r) {
        out << core::kernel_name(r.code) << " \"" << r.message << "\"";
        if (r.offset) {
            out << " offset " << *r.offset;
        }
        if (r.missing_type) {
            out << " missing " << *r.missing_type;
        }
        if (r.missing_nest) {
            out << " in nest at " << *r.missing_nest;
        }
        return out;
    }
};

refusal_t refusal(const nl::acknowledgement& a) {
    return refusal_t{a.error, a.message, a.offset, a.missing_type, a.missing_nest_offset};
}
refusal_t plain(errno_code code, std::string message = {}) { return refusal_t{code, std::move(message), {}, {}, {}}; }
refusal_t at(errno_code code, std::string message, std::uint32_t offset) {
    return refusal_t{code, std::move(message), offset, {}, {}};
}
refusal_t missing(std::uint16_t type, std::optional<std::uint32_t> nest = std::nullopt) {
    return refusal_t{errno_code::invalid, {}, {}, type, nest};
}

// A message with the given payload bytes after the nlmsghdr (no genlmsghdr
// unless the payload holds one).
std::vector<std::uint8_t> raw(std::uint16_t type, std::uint16_t flags, std::vector<std::uint8_t> payload) {
    nl::message_builder b(type, flags, 7, 0);
    b.append(payload);
    auto bytes = b.finish();
    const auto length = static_cast<std::uint32_t>(16 + payload.size());  // unpadded, as a sender may write it
    for (int i = 0; i < 4; ++i) {
        bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(length >> (8 * i));
    }
    return bytes;
}

// A generic request with hand-written attributes.
std::vector<std::uint8_t> request_with(std::uint16_t family, std::uint8_t command, const nl::attribute_writer& a,
                                       std::uint16_t flags = genl::request_flags) {
    return genl::encode_message(family, flags, 7, 0, command, 1, a.bytes());
}

// queue-get do of (ifindex, id) on the default netdev id.
std::vector<std::uint8_t> get(std::int32_t ifindex, std::uint32_t id, std::uint32_t sequence = 1,
                              queue_type type = queue_type::rx) {
    return genl::encode_queue_get(netdev_id, genl::queue_get_request::of(ifindex, id, type), sequence);
}

// The bench of props/lease with both netkit ends up, for queue-get.
struct up_bench : bench {
    up_bench() {
        must_ok(w.open(pair.guest), "open guest");
        must_ok(w.open(pair.host), "open host");
    }
};

// ------------------------------------------------------------ genlmsghdr

// NL-GENL-01: nlmsghdr + genlmsghdr is the minimum, for every family.
TEST(genl_header, a_message_shorter_than_the_genlmsghdr_is_einval) {
    world w;
    client cl{w};
    for (const std::uint16_t family : {netdev_id, nlctrl_id}) {
        EXPECT_EQ(refusal(cl.refused(raw(family, genl::request_flags, {}))), plain(errno_code::invalid));
        EXPECT_EQ(refusal(cl.refused(raw(family, genl::request_flags, {10, 1}))), plain(errno_code::invalid));
        EXPECT_EQ(refusal(cl.refused(raw(family, genl::dump_flags, {10, 1, 0}))), plain(errno_code::invalid));
    }
}

// NL-GENL-02: the family is found by nlmsg_type before anything else.
TEST(genl_header, an_unknown_family_id_is_enoent_even_without_a_genlmsghdr) {
    world w;
    client cl{w};
    for (const std::uint16_t family : {0x11, 0x12, 0x14, 0x3fff}) {
        EXPECT_EQ(refusal(cl.refused(raw(static_cast<std::uint16_t>(family), genl::request_flags, {}))),
                  plain(errno_code::no_entry));
        EXPECT_EQ(refusal(cl.refused(genl::encode_queue_get(static_cast<std::uint16_t>(family),
                                                            genl::queue_get_request::of(1, 0), 1))),
                  plain(errno_code::no_entry));
    }
}

// ------------------------------------------------------------ controller

// NL-GENL-03, NL-GENL-04, NL-ND-01, QL-UAPI-01, QL-UAPI-02, QL-UAPI-06,
// NL-GENL-05: netdev resolved by name — id 0x13, version 1, no header,
// queue-get (do, dump, policy = 0xe), bind-rx and queue-create (admin-perm,
// do, policy = 0xb), groups mgmt and page-pool.
TEST(genl_control, getfamily_by_name_describes_the_netdev_family) {
    world w;
    client cl{w};
    const auto e = cl.send(genl::encode_get_family("netdev", 31));
    ASSERT_EQ(e.outcome.replies.size(), 1U);
    ASSERT_TRUE(e.outcome.ack.has_value());
    EXPECT_FALSE(e.outcome.ack->failed);
    const decoded d = decode(e.outcome.replies[0]);
    EXPECT_EQ(d.header.flags, 0) << "a do reply (NL-ERR-05)";
    EXPECT_EQ(d.header.sequence, 31U);
    EXPECT_EQ(d.header.port, port);
    EXPECT_EQ(d.reserved, 0);
    const auto f = decode_family(e.outcome.replies[0]);
    EXPECT_EQ(f.order, (std::vector<std::uint16_t>{2, 1, 3, 4, 5, 6, 7}));
    EXPECT_EQ(f.id, netdev_id);
    EXPECT_EQ(f.name, "netdev");
    EXPECT_EQ(f.version, 1U);
    EXPECT_EQ(f.header_size, 0U);
    EXPECT_EQ(f.max_attribute, 0U) << "per-operation policies only";
    EXPECT_EQ(f.operations, (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{10, 0xe}, {13, 0xb}, {16, 0xb}}));
    EXPECT_EQ(f.groups, (std::vector<std::pair<std::string, std::uint32_t>>{{"mgmt", 2}, {"page-pool", 3}}));
    EXPECT_TRUE(f.nests_unflagged) << "the controller writes its nests without NLA_F_NESTED";
}

// NL-GENL-03, NL-GENL-02: by id; nlctrl resolves itself by name and by id.
TEST(genl_control, getfamily_by_id_and_nlctrl_itself) {
    world w;
    client cl{w};
    const auto by_id = cl.send(genl::encode_get_family(std::uint16_t{netdev_id}, 1));
    ASSERT_EQ(by_id.outcome.replies.size(), 1U);
    const auto by_name = cl.send(genl::encode_get_family("netdev", 1));
    ASSERT_EQ(by_name.outcome.replies.size(), 1U);
    EXPECT_EQ(by_id.outcome.replies[0], by_name.outcome.replies[0]);

    for (const auto& request : {genl::encode_get_family("nlctrl", 2), genl::encode_get_family(nlctrl_id, 2)}) {
        const auto e = cl.send(request);
        ASSERT_EQ(e.outcome.replies.size(), 1U);
        const auto f = decode_family(e.outcome.replies[0]);
        EXPECT_EQ(f.id, nlctrl_id);
        EXPECT_EQ(f.name, "nlctrl");
        EXPECT_EQ(f.version, 2U);
        EXPECT_EQ(f.header_size, 0U);
        EXPECT_EQ(f.operations, (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{3, 0xe}}));
        EXPECT_EQ(f.groups, (std::vector<std::pair<std::string, std::uint32_t>>{{"notify", 0x10}}));
    }
}

// NL-GENL-03: unknown family → ENOENT; neither attribute → EINVAL; with
// both, the name decides.
TEST(genl_control, getfamily_refuses_unknown_families_and_requests_naming_none) {
    world w;
    client cl{w};
    EXPECT_EQ(refusal(cl.refused(genl::encode_get_family("nope", 1))), plain(errno_code::no_entry));
    EXPECT_EQ(refusal(cl.refused(genl::encode_get_family("NETDEV", 1))), plain(errno_code::no_entry));
    EXPECT_EQ(refusal(cl.refused(genl::encode_get_family(std::uint16_t{0x11}, 1))), plain(errno_code::no_entry));
    nl::attribute_writer none;
    EXPECT_EQ(refusal(cl.refused(request_with(nlctrl_id, 3, none))), plain(errno_code::invalid));

    nl::attribute_writer both;
    both.put_u16(1, nlctrl_id);
    both.put_string(2, "netdev");
    const auto e = cl.send(request_with(nlctrl_id, 3, both));
    ASSERT_EQ(e.outcome.replies.size(), 1U);
    EXPECT_EQ(decode_family(e.outcome.replies[0]).id, netdev_id);
    nl::attribute_writer known_id_unknown_name;
    known_id_unknown_name.put_u16(1, netdev_id);
    known_id_unknown_name.put_string(2, "nope");
    EXPECT_EQ(refusal(cl.refused(request_with(nlctrl_id, 3, known_id_unknown_name))), plain(errno_code::no_entry));
}

// NL-ATTR-04, NL-POL-03, NL-EXT-06: a family name is at most 15 characters
// (its NUL not counted); a longer one fails policy validation, at the name.
TEST(genl_control, a_family_name_longer_than_15_characters_fails_policy_validation) {
    world w;
    client cl{w};
    EXPECT_EQ(refusal(cl.refused(genl::encode_get_family("fifteen-chars-x", 1))), plain(errno_code::no_entry));
    const auto e = cl.send(genl::encode_get_family("sixteen-chars-xx", 1));
    EXPECT_EQ(refusal(e.ack()), at(errno_code::out_of_range, "Attribute failed policy validation", base));
    const auto wire = e.wire_ack();
    EXPECT_EQ(wire.error, -34);
    EXPECT_EQ(wire.order, (std::vector<std::uint16_t>{1, 2, 4}));
    ASSERT_TRUE(wire.tlvs.contains(4));
    EXPECT_EQ(wire.raw_types.back(), 0x8004);
    const auto policy = children(wire.tlvs.at(4));
    EXPECT_EQ(ids_of(policy), (std::vector<std::uint16_t>{7, 1}));
    EXPECT_EQ(u32(*find(policy, 7)), 15U) << "MAX_LENGTH";
    EXPECT_EQ(u32(*find(policy, 1)), 11U) << "NL_ATTR_TYPE_STRING";
}

// NL-ATTR-03, NL-POL-02: the controller's do request is parsed liberally —
// unknown ids are ignored, leftover bytes are a warning that a success
// returns and an error without a message of its own carries.
TEST(genl_control, getfamily_parses_liberally_and_keeps_the_leftover_warning) {
    world w;
    client cl{w};
    nl::attribute_writer extra;
    extra.put_u32(9, 1);
    extra.put_string(2, "netdev");
    extra.put_u32(0, 1);
    const auto ignored = cl.send(request_with(nlctrl_id, 3, extra));
    ASSERT_EQ(ignored.outcome.replies.size(), 1U);
    EXPECT_EQ(ignored.ack().message, "");

    auto trailing = genl::encode_get_family("netdev", 1);
    trailing.insert(trailing.end(), {0xff, 0xff, 0, 0});  // an attribute whose length runs past the end
    trailing[0] = static_cast<std::uint8_t>(trailing.size());
    const auto warned = cl.send(trailing);
    ASSERT_EQ(warned.outcome.replies.size(), 1U);
    EXPECT_FALSE(warned.ack().failed);
    EXPECT_EQ(warned.ack().message, "bytes leftover after parsing attributes");

    auto unknown = genl::encode_get_family("nope", 1);
    unknown.insert(unknown.end(), {0xff, 0xff, 0, 0});
    unknown[0] = static_cast<std::uint8_t>(unknown.size());
    EXPECT_EQ(refusal(cl.refused(unknown)), plain(errno_code::no_entry, "bytes leftover after parsing attributes"));
}

// NL-ERR-04, NL-FLAG-02, NL-GENL-03: the controller's dump lists every
// family in id order with NLM_F_MULTI and ends with NLMSG_DONE; no
// acknowledgement follows.
TEST(genl_control, the_family_dump_lists_nlctrl_and_netdev_then_done) {
    world w;
    client cl{w};
    const auto e = cl.send(genl::encode_dump_families(12));
    EXPECT_FALSE(e.outcome.ack.has_value());
    ASSERT_EQ(e.outcome.replies.size(), 3U);
    std::vector<std::uint16_t> ids;
    for (std::size_t i = 0; i < 2; ++i) {
        const decoded d = decode(e.outcome.replies[i]);
        EXPECT_EQ(d.header.flags, multi);
        EXPECT_EQ(d.header.sequence, 12U);
        EXPECT_EQ(d.header.port, port);
        ids.push_back(decode_family(e.outcome.replies[i]).id);
    }
    EXPECT_EQ(ids, (std::vector<std::uint16_t>{nlctrl_id, netdev_id}));
    const auto done = nl::split_messages(e.outcome.replies[2]).front();
    EXPECT_EQ(done.header.type, 3);
    EXPECT_EQ(done.header.flags, multi);
    EXPECT_EQ(done.header.sequence, 12U);
    EXPECT_EQ(nl::load_u32(done.payload.data()), 0U);

    // The dump's attributes are validated strictly, before it starts.
    nl::attribute_writer unknown;
    unknown.put_u32(9, 1);
    const auto bad = cl.send(request_with(nlctrl_id, 3, unknown, genl::dump_flags));
    EXPECT_TRUE(bad.outcome.replies.empty());
    EXPECT_EQ(refusal(bad.ack()), at(errno_code::invalid, "Unknown attribute type", base));
}

// NL-FLAG-02: a generic request is a dump only with both bits; one bit is
// a do.
TEST(genl_control, a_request_with_one_dump_bit_is_a_do) {
    world w;
    client cl{w};
    nl::attribute_writer none;
    for (const std::uint16_t bit : {std::uint16_t{0x100}, std::uint16_t{0x200}}) {
        const auto flags = static_cast<std::uint16_t>(genl::request_flags | bit);
        EXPECT_EQ(refusal(cl.refused(request_with(nlctrl_id, 3, none, flags))), plain(errno_code::invalid));
        EXPECT_EQ(refusal(cl.refused(request_with(netdev_id, 10, none, flags))), missing(1));
    }
}

// NL-GENL-05: the netdev id is the instance's choice; clients resolve it by
// name and use the answer.
TEST(genl_control, a_client_resolves_a_configured_netdev_id_and_uses_it) {
    up_bench b;
    client cl{b.w, root, genl::families{0x2a, 7, 8}};
    const auto resolved = cl.send(genl::encode_get_family("netdev", 1));
    ASSERT_EQ(resolved.outcome.replies.size(), 1U);
    const auto f = decode_family(resolved.outcome.replies[0]);
    EXPECT_EQ(f.id, 0x2a);
    EXPECT_EQ(f.groups, (std::vector<std::pair<std::string, std::uint32_t>>{{"mgmt", 7}, {"page-pool", 8}}));
    EXPECT_EQ(refusal(cl.refused(get(b.nic_index(), 0, 2))), plain(errno_code::no_entry));
    const auto got = cl.send(genl::encode_queue_get(f.id, genl::queue_get_request::of(b.nic_index(), 0), 3));
    ASSERT_EQ(got.outcome.replies.size(), 1U);
    EXPECT_EQ(decode(got.outcome.replies[0]).header.type, 0x2a) << "NL-GENL-07: the family's id";
}

// ------------------------------------------------------------- dispatch

// NL-GENL-06: a command the model's family lacks, or a do/dump it does not
// offer, is EOPNOTSUPP — checked before the permission, so an unprivileged
// caller gets it too.
TEST(genl_dispatch, unknown_commands_and_do_dump_mismatches_are_eopnotsupp_before_eperm) {
    world w;
    for (const caller& c : {root, caller::unprivileged_in(world::initial_netns())}) {
        client cl{w, c};
        nl::attribute_writer none;
        for (const std::uint8_t command : {0, 1, 5, 11, 12, 14, 15, 17, 99}) {
            EXPECT_EQ(refusal(cl.refused(request_with(netdev_id, command, none))), plain(errno_code::not_supported))
                << int{command};
            EXPECT_EQ(refusal(cl.refused(request_with(netdev_id, command, none, genl::dump_flags))),
                      plain(errno_code::not_supported))
                << int{command};
        }
        EXPECT_EQ(refusal(cl.refused(request_with(netdev_id, 16, none, genl::dump_flags))),
                  plain(errno_code::not_supported));
        EXPECT_EQ(refusal(cl.refused(request_with(netdev_id, 13, none, genl::dump_flags))),
                  plain(errno_code::not_supported));
        for (const std::uint8_t command : {0, 1, 2, 10}) {
            EXPECT_EQ(refusal(cl.refused(request_with(nlctrl_id, command, none))), plain(errno_code::not_supported));
        }
    }
}

// NL-GENL-06, QL-CRT-01: admin-perm commands refuse a caller without
// CAP_NET_ADMIN in the initial user namespace before the attributes are
// looked at (no offset, no message); queue-get is open to everyone.
TEST(genl_dispatch, admin_perm_commands_need_cap_net_admin_before_any_attribute_is_parsed) {
    up_bench b;
    for (const caller& c : {caller::unprivileged_in(world::initial_netns()), caller::contained_in(b.pair.ns)}) {
        client cl{b.w, c};
        nl::attribute_writer garbage;
        garbage.put_u32(0, 1);
        garbage.put_u32(200, 1);
        EXPECT_EQ(refusal(cl.refused(request_with(netdev_id, 16, garbage))), plain(errno_code::not_permitted));
        EXPECT_EQ(refusal(cl.refused(request_with(netdev_id, 13, garbage))), plain(errno_code::not_permitted));
        EXPECT_EQ(refusal(cl.refused(genl::encode_queue_create(netdev_id, queue_create_request::rx(1, 2, 0), 1))),
                  plain(errno_code::not_permitted));
    }
    client unprivileged{b.w, caller::unprivileged_in(world::initial_netns())};
    const auto e = unprivileged.send(get(b.nic_index(), 0, 1));
    ASSERT_EQ(e.outcome.replies.size(), 1U);
    EXPECT_EQ(decode_queue(e.outcome.replies[0]).info.ifindex, b.nic_index());
}

// NL-GENL-06, README §4 (orig-2023 has no leasing): the kernel has no
// queue-create, so the controller does not list it and the dispatcher does
// not know it.
TEST(genl_dispatch, a_kernel_without_leasing_neither_lists_nor_accepts_queue_create) {
    world w(core::profiles::orig_2023::traits);
    client cl{w};
    const auto e = cl.send(genl::encode_get_family("netdev", 1));
    ASSERT_EQ(e.outcome.replies.size(), 1U);
    EXPECT_EQ(decode_family(e.outcome.replies[0]).operations,
              (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{10, 0xe}, {13, 0xb}}));
    EXPECT_EQ(refusal(cl.refused(genl::encode_queue_create(netdev_id, queue_create_request::rx(1, 2, 0), 1))),
              plain(errno_code::not_supported));
    client unprivileged{w, caller::unprivileged_in(world::initial_netns())};
    EXPECT_EQ(refusal(unprivileged.refused(genl::encode_queue_create(netdev_id, queue_create_request::rx(1, 2, 0), 1))),
              plain(errno_code::not_supported));
}

// ---------------------------------------------------------- queue-create

// SC-QL-055, NL-ND-02, NL-ND-03, NL-GENL-07, NL-ERR-05, QL-CRT-22,
// NL-FLAG-04, NL-HDR-05, NL-ERR-02, NL-ERR-03: a netkit peer with 2 RX queues leases queue 15 of hw(q=16);
// the reply is cmd 16 with NETDEV_A_QUEUE_ID 1, byte for byte, and the
// acknowledgement that follows it is error 0.
TEST(genl_queue_create, a_lease_of_queue_15_answers_id_1_byte_for_byte) {
    world w;
    const auto hw = add_hw_nic(w, 16);
    const auto pair = add_pair(w, 2, false);
    client cl{w};
    const auto request = queue_create_request::rx(ifindex(w, pair.guest), ifindex(w, hw), 15);
    const auto ack_flags = static_cast<std::uint16_t>(genl::request_flags | 0x4);
    const auto e = cl.send(genl::encode_queue_create(netdev_id, request, 77, ack_flags));
    ASSERT_EQ(e.outcome.replies.size(), 1U);
    // clang-format off
    const std::vector<std::uint8_t> expected{
        28,   0,    0, 0,  // nlmsg_len
        0x13, 0,           // the netdev family
        0,    0,           // flags: a do reply
        77,   0,    0, 0,  // the request's sequence
        0x92, 0x10, 0, 0,  // the socket's port (4242)
        16,   1,    0, 0,  // cmd queue-create, version 1, reserved
        8,    0,    1, 0,  // NETDEV_A_QUEUE_ID
        1,    0,    0, 0,  // = 1
    };
    // clang-format on
    EXPECT_EQ(e.outcome.replies[0], expected);
    EXPECT_EQ(w.at(hw).rxq[15].lease, (queue_ref{pair.guest, 1}));
    EXPECT_EQ(w.at(pair.guest).rxq[1].lease, (queue_ref{hw, 15}));

    const auto wire = e.wire_ack();
    EXPECT_EQ(wire.error, 0);
    EXPECT_EQ(wire.flags, 0x100) << "NLM_F_CAPPED: only the header is copied";
    EXPECT_TRUE(wire.tlvs.empty());
}

// SC-QL-054, QL-CRT-13, QL-NKQC-01: a netns-id the caller's netns does not
// know is ENONET, before the lessor lookup and the primary check.
TEST(genl_queue_create, an_unknown_netns_id_is_enonet_before_the_primary_check) {
    world w;
    const auto pair = add_pair(w, 4, false);
    client cl{w};
    const auto request = queue_create_request::rx(ifindex(w, pair.host), 1, 0, 0x6f6f6f);
    EXPECT_EQ(refusal(cl.refused(genl::encode_queue_create(netdev_id, request, 1))), plain(errno_code::no_network));
}

// QL-UAPI-08, QL-CRT-02, QL-CRT-03, QL-CRT-06, NL-EXT-03, NL-EXT-04,
// NL-EXT-06, NL-POL-05: refusals carry the offsets of the request's bytes
// (the lease nest at 36, its queue nest at 48) and, on the wire, the TLVs
// in the kernel's order.
TEST(genl_queue_create, refusals_carry_offsets_and_tlvs_on_the_wire) {
    up_bench b;
    client cl{b.w, b.guest_caller()};  // the lessee's netns; netns-id 0 names the NIC's
    const auto request = queue_create_request::rx(b.guest_index(), b.nic_index(), 1, 0);

    const auto unflagged = cl.send(genl::encode_queue_create(netdev_id, request, 1, genl::request_flags, false));
    EXPECT_EQ(refusal(unflagged.ack()), at(errno_code::invalid, "NLA_F_NESTED is missing", base + 16));
    const auto wire = unflagged.wire_ack();
    EXPECT_EQ(wire.error, -22);
    EXPECT_EQ(wire.flags, 0x200) << "the whole request copied, TLVs follow";
    EXPECT_EQ(wire.order, (std::vector<std::uint16_t>{1, 2, 4}));
    EXPECT_EQ(u32(wire.tlvs.at(2)), base + 16);
    EXPECT_EQ(ids_of(children(wire.tlvs.at(4))), (std::vector<std::uint16_t>{1}));
    EXPECT_EQ(u32(*find(children(wire.tlvs.at(4)), 1)), 13U) << "NL_ATTR_TYPE_NESTED";

    auto no_type = request;
    no_type.type.reset();
    const auto e = cl.send(genl::encode_queue_create(netdev_id, no_type, 1));
    EXPECT_EQ(refusal(e.ack()), missing(3));
    EXPECT_EQ(e.wire_ack().order, (std::vector<std::uint16_t>{5}));

    auto no_queue = request;
    no_queue.lease->queue.reset();
    const auto nested = cl.send(genl::encode_queue_create(netdev_id, no_queue, 1));
    EXPECT_EQ(refusal(nested.ack()), missing(2, base + 16));
    const auto nested_wire = nested.wire_ack();
    EXPECT_EQ(nested_wire.order, (std::vector<std::uint16_t>{5, 6}));
    EXPECT_EQ(u32(nested_wire.tlvs.at(6)), base + 16);

    auto queue_out_of_range = request;
    queue_out_of_range.lease->queue->id = 4;
    EXPECT_EQ(refusal(cl.refused(genl::encode_queue_create(netdev_id, queue_out_of_range, 1))),
              at(errno_code::out_of_range, "", base + 32));
}

// ------------------------------------------------------------ queue-get

// SC-QL-053, QL-GET-03, NL-ND-05, QL-UAPI-07, NL-ND-02: a netkit peer with
// 4 RX queues leases queue 1 of nsim(q=2) through bytes; queue-get on the
// NIC's queue 1, through bytes, names the peer and the created queue.
TEST(genl_queue_get, a_lease_round_trip_reports_the_peer_and_the_created_queue) {
    world w;
    const auto nsim = add_up_nic(w, 2);
    const auto pair = add_pair(w, 4, false);
    client cl{w};
    const auto created = cl.send(
        genl::encode_queue_create(netdev_id, queue_create_request::rx(ifindex(w, pair.guest), ifindex(w, nsim), 1), 1));
    ASSERT_EQ(created.outcome.replies.size(), 1U);
    const auto k = u32(*find(decode(created.outcome.replies[0]).attributes, 1));
    EXPECT_EQ(k, 1U);

    const auto got = cl.send(get(ifindex(w, nsim), 1, 2));
    ASSERT_EQ(got.outcome.replies.size(), 1U);
    EXPECT_FALSE(got.ack().failed);
    const auto q = decode_queue(got.outcome.replies[0]);
    ASSERT_TRUE(q.info.lease.has_value());
    EXPECT_EQ(*q.info.lease, (lease::lease_report{ifindex(w, pair.guest), k, std::nullopt}));
    EXPECT_EQ(q.info, must(w.queue_get(root, ifindex(w, nsim), 1)));
}

// QL-GET-02, QL-GET-03, NL-ATTR-05 [unconfirmed]: a leased physical RX
// queue replies id, type, ifindex, napi-id, lease {queue {id, type},
// ifindex, netns-id}, then its provider (dmabuf); every nest flagged.
TEST(genl_queue_get, a_leased_physical_queue_replies_in_kernel_order_with_flagged_nests_unconfirmed) {
    up_bench b;
    const auto k = b.lease(2);
    const auto binding = must(b.w.bind_rx(b.guest_caller(), b.guest_index(), {k}, 5));
    client cl{b.w};
    const auto e = cl.send(get(b.nic_index(), 2, 1));
    ASSERT_EQ(e.outcome.replies.size(), 1U);
    const auto q = decode_queue(e.outcome.replies[0]);
    EXPECT_EQ(q.order, (std::vector<std::uint16_t>{1, 3, 2, 4, 8, 5}));
    EXPECT_TRUE(q.all_flagged);
    const decoded d = decode(e.outcome.replies[0]);
    EXPECT_EQ(d.raw_types[4], nested_flag | 8) << "NETDEV_A_QUEUE_LEASE | NLA_F_NESTED";
    ASSERT_TRUE(q.info.lease.has_value());
    EXPECT_EQ(q.info.lease->ifindex, b.guest_index());
    EXPECT_EQ(q.info.lease->queue, k);
    EXPECT_TRUE(q.info.lease->netns_id.has_value()) << "the guest lives in another netns";
    EXPECT_EQ(q.info.dmabuf, binding);
    EXPECT_EQ(q.info, must(b.w.queue_get(root, b.nic_index(), 2)));

    // An io_uring provider is an empty, flagged nest.
    const auto area = must(b.zcrx_nic(3));
    (void)area;
    const auto io = decode_queue(cl.send(get(b.nic_index(), 3, 2)).outcome.replies.at(0));
    EXPECT_EQ(io.order, (std::vector<std::uint16_t>{1, 3, 2, 4, 6}));
    EXPECT_TRUE(io.info.io_uring);
    EXPECT_TRUE(io.all_flagged);
}

// QL-GET-04, QL-GET-05, QL-GET-06, QL-GET-07: inside the guest's netns the
// leased queue has no lease nest (and no napi-id: netkit has none); it
// reports the physical queue's provider; queue 0 is bare.
TEST(genl_queue_get, the_virtual_side_never_shows_a_lease_nest) {
    up_bench b;
    const auto k = b.lease(1);
    const auto binding = must(b.w.bind_rx(b.guest_caller(), b.guest_index(), {k}, 5));
    client guest{b.w, b.guest_caller()};
    const auto leased = decode_queue(guest.send(get(b.guest_index(), k, 1)).outcome.replies.at(0));
    EXPECT_EQ(leased.order, (std::vector<std::uint16_t>{1, 3, 2, 5}));
    EXPECT_EQ(leased.info.dmabuf, binding);
    const auto bare = decode_queue(guest.send(get(b.guest_index(), 0, 2)).outcome.replies.at(0));
    EXPECT_EQ(bare.order, (std::vector<std::uint16_t>{1, 3, 2}));
}

// NL-ND-04, NL-EXT-04: id, type and ifindex are required, checked in that
// order; the acknowledgement names the first one missing (no nest).
TEST(genl_queue_get, missing_attributes_are_reported_id_then_type_then_ifindex) {
    up_bench b;
    client cl{b.w};
    EXPECT_EQ(refusal(cl.refused(genl::encode_queue_get(netdev_id, {}, 1))), missing(1));
    EXPECT_EQ(refusal(cl.refused(genl::encode_queue_get(netdev_id, {b.nic_index(), {}, {}}, 1))), missing(1));
    EXPECT_EQ(refusal(cl.refused(genl::encode_queue_get(netdev_id, {b.nic_index(), 0, {}}, 1))), missing(3));
    const auto e = cl.send(genl::encode_queue_get(netdev_id, {{}, 0, 0}, 1));
    EXPECT_EQ(refusal(e.ack()), missing(2));
    const auto wire = e.wire_ack();
    EXPECT_EQ(wire.order, (std::vector<std::uint16_t>{5}));
    EXPECT_EQ(u32(wire.tlvs.at(5)), 2U);
}

// NL-POL-01, NL-POL-02, NL-POL-03, NL-POL-04, NL-POL-07: queue-get do is
// parsed strictly against its own policy (max = type).
TEST(genl_queue_get, the_do_request_is_validated_strictly) {
    up_bench b;
    client cl{b.w};
    const auto ifindex = static_cast<std::uint32_t>(b.nic_index());
    // encode_queue_get writes ifindex at 20, type at 28, id at 36.
    EXPECT_EQ(refusal(cl.refused(genl::encode_queue_get(netdev_id, {ifindex, 0, 2}, 1))),
              at(errno_code::out_of_range, "integer out of range", base + 8));
    EXPECT_EQ(refusal(cl.refused(genl::encode_queue_get(netdev_id, {0U, 0, 0}, 1))),
              at(errno_code::out_of_range, "integer out of range", base));
    nl::attribute_writer lease;
    lease.put_u32(2, ifindex);
    lease.end_nest(lease.begin_nest(8, true));
    EXPECT_EQ(refusal(cl.refused(request_with(netdev_id, 10, lease))),
              at(errno_code::invalid, "Unknown attribute type", base + 8));
    nl::attribute_writer short_id;
    short_id.put_u16(1, 0);
    EXPECT_EQ(refusal(cl.refused(request_with(netdev_id, 10, short_id))),
              at(errno_code::invalid, "invalid attribute length", base));
}

// QL-GET-01: unknown device ENODEV, a device that is down ENOENT, an index
// at or above the real count EINVAL; TX queues are reported too.
TEST(genl_queue_get, the_model_refusals_come_back_as_errno) {
    up_bench b;
    const auto nsim = add_nic(b.w, 2);  // down
    client cl{b.w};
    EXPECT_EQ(refusal(cl.refused(get(999, 0, 1))), plain(errno_code::no_device));
    EXPECT_EQ(refusal(cl.refused(genl::encode_queue_get(netdev_id, {0x80000000U, 0, 0}, 1))),
              plain(errno_code::no_device));
    EXPECT_EQ(refusal(cl.refused(get(ifindex(b.w, nsim), 0, 1))), plain(errno_code::no_entry));
    EXPECT_EQ(refusal(cl.refused(get(b.nic_index(), 4, 1))), plain(errno_code::invalid));
    const auto tx = cl.send(get(b.nic_index(), 0, 1, queue_type::tx));
    ASSERT_EQ(tx.outcome.replies.size(), 1U);
    const auto q = decode_queue(tx.outcome.replies[0]);
    EXPECT_EQ(q.info.type, queue_type::tx);
    EXPECT_EQ(q.order, (std::vector<std::uint16_t>{1, 3, 2}));
}

// ------------------------------------------------------------ queue dump

std::vector<queue_info> decode_dump(const handled& h, std::uint32_t sequence, std::int32_t status = 0) {
    std::vector<queue_info> out;
    EXPECT_FALSE(h.ack.has_value()) << "a dump ends with NLMSG_DONE, not an acknowledgement";
    if (h.replies.empty()) {
        ADD_FAILURE() << "no NLMSG_DONE";
        return out;
    }
    for (std::size_t i = 0; i + 1 < h.replies.size(); ++i) {
        const decoded d = decode(h.replies[i]);
        EXPECT_EQ(d.header.type, netdev_id);
        EXPECT_EQ(d.header.flags, 0) << "netdev dump entries are built like do replies";
        EXPECT_EQ(d.header.sequence, sequence);
        EXPECT_EQ(d.header.port, port);
        out.push_back(decode_queue(h.replies[i]).info);
    }
    const auto done = nl::split_messages(h.replies.back()).front();
    EXPECT_EQ(done.header.type, 3);
    EXPECT_EQ(done.header.flags, multi);
    EXPECT_EQ(done.header.sequence, sequence);
    EXPECT_EQ(static_cast<std::int32_t>(nl::load_u32(done.payload.data())), status);
    return out;
}

// NL-ERR-04, NL-ND-04, QL-GET-01: the dump of the caller's netns: every
// queue of every device that is up (RX, then TX), entries with flags 0,
// NLMSG_DONE last, as the model's queue_dump.
TEST(genl_queue_dump, the_whole_netns_dump_matches_the_model_then_done) {
    up_bench b;
    b.lease(1);
    add_nic(b.w, 2);  // down: skipped
    world reference = b.w;
    const auto expected = reference.queue_dump(root);
    client cl{b.w};
    const auto e = cl.send(genl::encode_queue_dump(netdev_id, std::nullopt, 5));
    EXPECT_EQ(decode_dump(e.outcome, 5), expected);
    EXPECT_FALSE(expected.empty());
}

// NL-ND-04, QL-GET-01: NETDEV_A_QUEUE_IFINDEX restricts the dump to one
// device: its RX queues, then its TX queues.
TEST(genl_queue_dump, an_ifindex_restricts_the_dump_to_one_device) {
    up_bench b;
    const auto k = b.lease(3);
    client guest{b.w, b.guest_caller()};
    const auto e = guest.send(genl::encode_queue_dump(netdev_id, b.guest_index(), 6));
    const auto entries = decode_dump(e.outcome, 6);
    std::vector<std::pair<queue_type, std::uint32_t>> seen;
    for (const auto& q : entries) {
        EXPECT_EQ(q.ifindex, b.guest_index());
        EXPECT_FALSE(q.lease.has_value());
        seen.emplace_back(q.type, q.id);
    }
    const auto& guest_device = b.w.at(b.pair.guest);
    ASSERT_EQ(entries.size(), guest_device.real_rx_queues + guest_device.real_tx_queues);
    EXPECT_EQ(seen.front(), (std::pair{queue_type::rx, 0U}));
    EXPECT_EQ(seen[k], (std::pair{queue_type::rx, k}));
    EXPECT_EQ(seen.back(), (std::pair{queue_type::tx, guest_device.real_tx_queues - 1}));
}

// NL-ERR-04 [unconfirmed], QL-GET-01: a dump restricted to a device the
// caller's netns does not have starts and fails: no entries, NLMSG_DONE
// with -ENODEV; a device that is down gives an empty, successful dump.
TEST(genl_queue_dump, an_unknown_device_ends_the_dump_with_enodev_in_done_unconfirmed) {
    up_bench b;
    const auto nsim = add_nic(b.w, 2);  // down
    client guest{b.w, b.guest_caller()};
    const world before = b.w;
    ASSERT_EQ(b.w.find(b.pair.ns, 999), nullptr);
    const auto unknown = guest.send(genl::encode_queue_dump(netdev_id, 999U, 8));
    EXPECT_TRUE(decode_dump(unknown.outcome, 8, -19).empty());
    EXPECT_TRUE(b.w == before);
    client cl{b.w};
    const auto down = cl.send(genl::encode_queue_dump(netdev_id, ifindex(b.w, nsim), 9));
    EXPECT_TRUE(decode_dump(down.outcome, 9, 0).empty());
}

// NL-ERR-04, NL-POL-02, NL-POL-04: the dump's own policy (max = ifindex) is
// checked before the dump starts, so its failures are an NLMSG_ERROR.
TEST(genl_queue_dump, bad_dump_attributes_are_an_error_acknowledgement) {
    up_bench b;
    client cl{b.w};
    EXPECT_EQ(refusal(cl.refused(genl::encode_queue_dump(netdev_id, 0U, 1))),
              at(errno_code::out_of_range, "integer out of range", base));
    nl::attribute_writer id;
    id.put_u32(1, 0);
    EXPECT_EQ(refusal(cl.refused(request_with(netdev_id, 10, id, genl::dump_flags))),
              at(errno_code::invalid, "Unsupported attribute", base));
    nl::attribute_writer type;
    type.put_u32(3, 0);
    EXPECT_EQ(refusal(cl.refused(request_with(netdev_id, 10, type, genl::dump_flags))),
              at(errno_code::invalid, "Unknown attribute type", base));
}

// --------------------------------------------------------------- bind-rx

// NL-ND-06, QL-DMA-02, QL-DMA-01, SC-QL-057: devmem bind-rx on the guest's
// leased queue, from the guest's netns, through bytes: reply cmd 13 with
// NETDEV_A_DMABUF_ID; the physical queue then reports the binding.
TEST(genl_bind_rx, a_binding_through_a_lease_answers_its_id) {
    up_bench b;
    const auto k = b.lease(2);
    client guest{b.w, b.guest_caller()};
    const auto e = guest.send(genl::encode_bind_rx(netdev_id, genl::bind_rx_request::rx(b.guest_index(), {k}, 5), 1));
    ASSERT_EQ(e.outcome.replies.size(), 1U);
    EXPECT_FALSE(e.ack().failed);
    const decoded d = decode(e.outcome.replies[0]);
    EXPECT_EQ(d.command, 13);
    EXPECT_EQ(d.version, 1);
    EXPECT_EQ(ids_of(d.attributes), (std::vector<std::uint16_t>{4}));
    const auto id = u32(d.attributes[0]);
    ASSERT_NE(b.w.area(id), nullptr);
    EXPECT_EQ(b.nic_rxq(2).provider, (provider_params{provider_kind::dmabuf, id}));
    client cl{b.w};
    const auto q = decode_queue(cl.send(get(b.nic_index(), 2, 2)).outcome.replies.at(0));
    EXPECT_EQ(q.info.dmabuf, id);
}

// NL-ND-06, NL-EXT-04, NL-EXT-03, QL-DMA-02: ifindex, fd, queues required in
// that order; the device is looked up before the queue nests are read;
// each nest needs id and type (MISS_NEST = the nest) and type rx; the
// model's DMA checks follow.
TEST(genl_bind_rx, refusals_in_order_with_offsets) {
    up_bench b;
    client cl{b.w};
    const auto nic = b.nic_index();
    genl::bind_rx_request all_missing;
    EXPECT_EQ(refusal(cl.refused(genl::encode_bind_rx(netdev_id, all_missing, 1))), missing(1));
    auto no_fd = genl::bind_rx_request::rx(nic, {1}, 5);
    no_fd.fd.reset();
    EXPECT_EQ(refusal(cl.refused(genl::encode_bind_rx(netdev_id, no_fd, 1))), missing(3));
    auto no_queues = genl::bind_rx_request::rx(nic, {}, 5);
    EXPECT_EQ(refusal(cl.refused(genl::encode_bind_rx(netdev_id, no_queues, 1))), missing(2));

    // Offsets: ifindex 20, the first queues nest 28 {id 32, type 40}, the
    // second 48 {id 52, type 60}.
    auto untyped = genl::bind_rx_request::rx(nic, {0, 1}, 5);
    untyped.queues[1].type.reset();
    EXPECT_EQ(refusal(cl.refused(genl::encode_bind_rx(netdev_id, untyped, 1))), missing(3, 48));
    auto unknown_device = untyped;
    unknown_device.ifindex = 999;
    EXPECT_EQ(refusal(cl.refused(genl::encode_bind_rx(netdev_id, unknown_device, 1))), plain(errno_code::no_device));
    auto tx = genl::bind_rx_request::rx(nic, {0, 1}, 5);
    tx.queues[0].type = 1;
    EXPECT_EQ(refusal(cl.refused(genl::encode_bind_rx(netdev_id, tx, 1))), at(errno_code::invalid, "", 40));
    auto unflagged = genl::bind_rx_request::rx(nic, {0}, 5);
    auto bytes = genl::encode_bind_rx(netdev_id, unflagged, 1);
    bytes[28 + 3] &= 0x7f;  // the queues nest's type: clear NLA_F_NESTED
    EXPECT_EQ(refusal(cl.refused(bytes)), at(errno_code::invalid, "NLA_F_NESTED is missing", 28));

    client guest{b.w, b.guest_caller()};
    const auto unleased = genl::bind_rx_request::rx(b.guest_index(), {0}, 5);
    EXPECT_EQ(refusal(guest.refused(genl::encode_bind_rx(netdev_id, unleased, 1))),
              plain(errno_code::not_supported, "Device doesn't support DMA"));
}

}  // namespace
