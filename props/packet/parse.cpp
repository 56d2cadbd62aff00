// Tests of include/netkit/packet/parse.hpp: known frames of every header
// type, every truncation point of valid frames (a named reason, never a read
// outside the frame: these tests run under ASan with every frame in an
// allocation of exactly its size), the burst paths (scalar rows, portable
// fast path, AVX2 fast path) against `parse` on random and mutated frames,
// and the RSS fields against the model's own parser, model/rss.hpp
// `parse_flow` (SN-RSS-03/04). Test names are sentences; comments cite the
// rules.
#include <netkit/model/rss.hpp>
#include <netkit/packet/parse.hpp>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace {

using namespace netkit;
using packet::flow_type;
using packet::l3_kind;
using packet::l4_kind;
using packet::malformed;
using bytes = std::vector<std::uint8_t>;

// ------------------------------------------------------------ frame builder

// A frame described by its headers; `build` fills every length field so
// the frame is consistent and has no padding: each strict prefix of it is
// truncated somewhere.
struct frame_spec {
    std::vector<std::uint16_t> tags;  // TPIDs, outermost first
    int family = 4;                   // 4, 6, or 0 for ARP
    std::uint8_t protocol = packet::protocol_tcp;
    std::size_t ipv4_option_words = 0;
    std::uint16_t ipv4_fragment = 0;          // flags/fragment-offset field
    std::vector<std::uint8_t> extensions;     // IPv6 extension header types, in order
    std::size_t extension_units = 0;          // extra 8-byte units per extension header
    std::uint16_t ipv6_fragment_offset = 0;   // in 8-byte units
    std::size_t tcp_option_words = 0;
    std::size_t payload = 0;
    std::array<std::uint8_t, 16> source{};
    std::array<std::uint8_t, 16> destination{};
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
};

void put16(bytes& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v & 0xff));
}

void set16(bytes& b, std::size_t at, std::size_t v) {
    b[at] = static_cast<std::uint8_t>((v >> 8) & 0xff);
    b[at + 1] = static_cast<std::uint8_t>(v & 0xff);
}

void transport(bytes& b, const frame_spec& s) {
    if (s.protocol == packet::protocol_tcp) {
        put16(b, s.source_port);
        put16(b, s.destination_port);
        b.resize(b.size() + 8, 0);
        b.push_back(static_cast<std::uint8_t>((5 + s.tcp_option_words) << 4));
        b.resize(b.size() + 7 + 4 * s.tcp_option_words, 0);
    } else if (s.protocol == packet::protocol_udp) {
        put16(b, s.source_port);
        put16(b, s.destination_port);
        put16(b, static_cast<std::uint16_t>(8 + s.payload));
        put16(b, 0);
    }
    b.resize(b.size() + s.payload, 0x5a);
}

bytes build(const frame_spec& s) {
    bytes b{0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
    for (std::size_t t = 0; t < s.tags.size(); ++t) {
        put16(b, s.tags[t]);
        put16(b, static_cast<std::uint16_t>(0x2000 | (100 + t)));  // priority 1, VLAN 100 + t
    }
    if (s.family == 0) {
        put16(b, 0x0806);
        b.resize(b.size() + 28, 0x11);
        return b;
    }
    const std::size_t ip = b.size() + 2;
    if (s.family == 4) {
        put16(b, packet::ether_type_ipv4);
        b.push_back(static_cast<std::uint8_t>(0x40 | (5 + s.ipv4_option_words)));
        b.push_back(0);
        put16(b, 0);  // total length, below
        put16(b, 0x1234);
        put16(b, s.ipv4_fragment);
        b.push_back(64);
        b.push_back(s.protocol);
        put16(b, 0);
        b.insert(b.end(), s.source.begin(), s.source.begin() + 4);
        b.insert(b.end(), s.destination.begin(), s.destination.begin() + 4);
        b.resize(b.size() + 4 * s.ipv4_option_words, 1);  // NOP options
        transport(b, s);
        set16(b, ip + 2, b.size() - ip);
        return b;
    }
    put16(b, packet::ether_type_ipv6);
    b.insert(b.end(), {0x60, 0, 0, 0});
    put16(b, 0);  // payload length, below
    b.push_back(s.extensions.empty() ? s.protocol : s.extensions.front());
    b.push_back(64);
    b.insert(b.end(), s.source.begin(), s.source.end());
    b.insert(b.end(), s.destination.begin(), s.destination.end());
    for (std::size_t e = 0; e < s.extensions.size(); ++e) {
        const std::uint8_t next = e + 1 < s.extensions.size() ? s.extensions[e + 1] : s.protocol;
        const std::uint8_t type = s.extensions[e];
        if (type == packet::protocol_fragment) {
            b.push_back(next);
            b.push_back(0);
            put16(b, static_cast<std::uint16_t>((s.ipv6_fragment_offset << 3) | 1));  // more fragments
            b.insert(b.end(), {0, 0, 0, 9});
        } else if (type == packet::protocol_authentication) {
            const std::size_t length = 8 * (1 + s.extension_units) + 4;  // (len + 2) * 4 bytes
            b.push_back(next);
            b.push_back(static_cast<std::uint8_t>(length / 4 - 2));
            b.resize(b.size() + length - 2, 0);
        } else {
            b.push_back(next);
            b.push_back(static_cast<std::uint8_t>(s.extension_units));
            b.resize(b.size() + 6 + 8 * s.extension_units, 1);  // PadN-ish filler
        }
    }
    transport(b, s);
    set16(b, ip + 4, b.size() - ip - 40);
    return b;
}

std::array<std::uint8_t, 16> v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return {a, b, c, d};
}

std::array<std::uint8_t, 16> v6(std::uint8_t tail) {
    return {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, tail};
}

frame_spec tcp4() {
    frame_spec s;
    s.source = v4(66, 9, 149, 187);
    s.destination = v4(161, 142, 100, 80);
    s.source_port = 2794;
    s.destination_port = 1766;
    s.payload = 10;
    return s;
}

frame_spec over_ipv6(frame_spec s) {
    s.family = 6;
    s.source = v6(7);
    s.destination = v6(1);
    return s;
}

frame_spec with(frame_spec s, std::uint8_t protocol) {
    s.protocol = protocol;
    return s;
}

// A frame parsed from an allocation of exactly its size, so that ASan
// reports any read past its end.
packet::parsed parse_exact(const bytes& frame) {
    const auto copy = std::make_unique<std::uint8_t[]>(frame.size() + (frame.empty() ? 1 : 0));
    std::copy(frame.begin(), frame.end(), copy.get());
    return packet::parse(std::span<const std::uint8_t>(copy.get(), frame.size()));
}

// Every burst path over `frames` equals `parse` row by row.
::testing::AssertionResult bursts_agree(const std::vector<bytes>& frames) {
    std::vector<std::unique_ptr<std::uint8_t[]>> storage;
    std::vector<packet::frame_view> views;
    for (const auto& f : frames) {
        storage.push_back(std::make_unique<std::uint8_t[]>(f.size() + (f.empty() ? 1 : 0)));
        std::copy(f.begin(), f.end(), storage.back().get());
        views.emplace_back(storage.back().get(), f.size());
    }
    auto scalar = std::make_unique<packet::burst<256>>();
    auto portable = std::make_unique<packet::burst<256>>();
    auto avx2 = std::make_unique<packet::burst<256>>();
    auto chosen = std::make_unique<packet::burst<256>>();
    for (std::size_t first = 0; first < views.size(); first += 256) {
        const auto part = std::span(views).subspan(first, std::min<std::size_t>(256, views.size() - first));
        packet::parse_burst_scalar(part, *scalar);
        packet::parse_burst_portable(part, *portable);
        packet::parse_burst_avx2(part, *avx2);
        packet::parse_burst(part, *chosen);
        for (std::size_t i = 0; i < part.size(); ++i) {
            const auto expected = packet::parse(part[i]);
            for (const auto* b : {scalar.get(), portable.get(), avx2.get(), chosen.get()}) {
                if (b->at(i) != expected) {
                    return ::testing::AssertionFailure() << "frame " << first + i << " of " << frames.size()
                                                         << " differs from parse()";
                }
            }
            // The RSS tuple column holds the addresses and, for TCP/UDP
            // flows with ports in the frame, the ports (SN-RSS-03).
            for (const auto* b : {scalar.get(), portable.get(), avx2.get()}) {
                if (b->rss_ports[i] != (packet::is_transport_flow(expected.flow) && expected.has_ports)) {
                    return ::testing::AssertionFailure() << "rss_ports of frame " << first + i;
                }
                if (b->rss_ports[i]) {
                    const std::size_t at = expected.l3 == l3_kind::ipv6 ? 32 : 8;
                    const std::uint16_t sport = static_cast<std::uint16_t>((b->rss_tuple[i][at] << 8) | b->rss_tuple[i][at + 1]);
                    const std::uint16_t dport =
                        static_cast<std::uint16_t>((b->rss_tuple[i][at + 2] << 8) | b->rss_tuple[i][at + 3]);
                    if (sport != expected.source_port || dport != expected.destination_port) {
                        return ::testing::AssertionFailure() << "rss_tuple ports of frame " << first + i;
                    }
                }
            }
        }
    }
    return ::testing::AssertionSuccess();
}

// The SN-RSS-03/04 reading of a frame by the model's parser and by ours
// agree: same family, same flow type, same addresses, same ports.
::testing::AssertionResult agrees_with_model(const bytes& frame) {
    const auto ours = parse_exact(frame);
    const auto model = model::rss::parse_flow(frame);
    using family = model::rss::flow::family;
    if (model.ip == family::none) {
        if (ours.flow != flow_type::not_ip) {
            return ::testing::AssertionFailure() << "model: not IP; ours: " << static_cast<int>(ours.flow);
        }
        return ::testing::AssertionSuccess();
    }
    const bool v4 = model.ip == family::ipv4;
    if (ours.l3 != (v4 ? l3_kind::ipv4 : l3_kind::ipv6)) {
        return ::testing::AssertionFailure() << "family differs";
    }
    flow_type expected = v4 ? flow_type::other4 : flow_type::other6;
    if (!model.fragment && model.protocol == 6) {
        expected = v4 ? flow_type::tcp4 : flow_type::tcp6;
    } else if (!model.fragment && model.protocol == 17) {
        expected = v4 ? flow_type::udp4 : flow_type::udp6;
    }
    if (ours.flow != expected) {
        return ::testing::AssertionFailure() << "flow type " << static_cast<int>(ours.flow) << " expected "
                                             << static_cast<int>(expected);
    }
    const std::size_t width = v4 ? 4 : 16;
    bytes addresses(ours.source.begin(), ours.source.begin() + static_cast<std::ptrdiff_t>(width));
    addresses.insert(addresses.end(), ours.destination.begin(),
                     ours.destination.begin() + static_cast<std::ptrdiff_t>(width));
    if (addresses != model.addresses) {
        return ::testing::AssertionFailure() << "addresses differ";
    }
    const bool ports = packet::is_transport_flow(ours.flow) && ours.has_ports;
    if (ports != model.ports.has_value()) {
        return ::testing::AssertionFailure() << "ports present: ours " << ports << ", model "
                                             << model.ports.has_value();
    }
    if (ports) {
        const auto& p = *model.ports;
        if (ours.source_port != ((p[0] << 8) | p[1]) || ours.destination_port != ((p[2] << 8) | p[3])) {
            return ::testing::AssertionFailure() << "port values differ";
        }
    }
    return ::testing::AssertionSuccess();
}

// Valid frames of every shape the parser knows.
std::vector<frame_spec> catalogue() {
    std::vector<frame_spec> out;
    const frame_spec base = tcp4();
    for (std::uint8_t protocol : {packet::protocol_tcp, packet::protocol_udp, std::uint8_t{1}}) {
        out.push_back(with(base, protocol));
        out.push_back(with(over_ipv6(base), protocol == 1 ? std::uint8_t{58} : protocol));
    }
    auto options = base;
    options.ipv4_option_words = 3;
    options.tcp_option_words = 2;
    out.push_back(options);
    auto fragment = with(base, packet::protocol_udp);
    fragment.ipv4_fragment = 0x2000;
    out.push_back(fragment);
    for (auto tags : {std::vector<std::uint16_t>{packet::tpid_8021q},
                      std::vector<std::uint16_t>{packet::tpid_8021ad, packet::tpid_8021q}}) {
        auto tagged = base;
        tagged.tags = tags;
        out.push_back(tagged);
        tagged = over_ipv6(tagged);
        out.push_back(with(tagged, packet::protocol_udp));
    }
    auto chain = over_ipv6(base);
    chain.extensions = {packet::protocol_hop_by_hop, packet::protocol_routing, packet::protocol_destination_options,
                        packet::protocol_authentication};
    chain.extension_units = 1;
    out.push_back(chain);
    auto fragmented = over_ipv6(with(base, packet::protocol_udp));
    fragmented.extensions = {packet::protocol_hop_by_hop, packet::protocol_fragment};
    out.push_back(fragmented);
    return out;
}

// ------------------------------------------------------------ known frames

// SN-RSS-03/04: an IPv4 TCP frame yields its addresses and ports in network
// order and the tcp4 flow type.
TEST(packet_parse, an_ipv4_tcp_frame_yields_addresses_ports_and_the_tcp4_flow) {
    const auto p = parse_exact(build(tcp4()));
    EXPECT_EQ(p.problem, malformed::none);
    EXPECT_EQ(p.l3, l3_kind::ipv4);
    EXPECT_EQ(p.l4, l4_kind::tcp);
    EXPECT_EQ(p.flow, flow_type::tcp4);
    EXPECT_EQ(p.ether_type, packet::ether_type_ipv4);
    EXPECT_EQ(p.l3_offset, 14);
    EXPECT_EQ(p.l4_offset, 34);
    EXPECT_EQ(p.ip_protocol, packet::protocol_tcp);
    EXPECT_FALSE(p.fragment);
    EXPECT_TRUE(p.has_ports);
    EXPECT_EQ(p.source, v4(66, 9, 149, 187));
    EXPECT_EQ(p.destination, v4(161, 142, 100, 80));
    EXPECT_EQ(p.source_port, 2794);
    EXPECT_EQ(p.destination_port, 1766);
    EXPECT_EQ(p.vlan_count, 0);
}

// SN-RSS-04: UDP is its own flow type; other protocols are "other", without ports.
TEST(packet_parse, udp_and_other_protocols_get_their_flow_types) {
    const auto udp = parse_exact(build(with(tcp4(), packet::protocol_udp)));
    EXPECT_EQ(udp.problem, malformed::none);
    EXPECT_EQ(udp.l4, l4_kind::udp);
    EXPECT_EQ(udp.flow, flow_type::udp4);
    EXPECT_TRUE(udp.has_ports);
    const auto icmp = parse_exact(build(with(tcp4(), 1)));
    EXPECT_EQ(icmp.problem, malformed::none);
    EXPECT_EQ(icmp.l4, l4_kind::other);
    EXPECT_EQ(icmp.flow, flow_type::other4);
    EXPECT_FALSE(icmp.has_ports);
    EXPECT_EQ(icmp.ip_protocol, 1);
}

// IPv4 options: the transport header starts after IHL words, for every IHL.
TEST(packet_parse, ipv4_options_move_the_transport_header_by_the_header_length) {
    for (std::size_t words = 0; words <= 10; ++words) {
        auto s = tcp4();
        s.ipv4_option_words = words;
        const auto p = parse_exact(build(s));
        EXPECT_EQ(p.problem, malformed::none) << words;
        EXPECT_EQ(p.l4_offset, 34 + 4 * words);
        EXPECT_EQ(p.source_port, 2794);
        EXPECT_EQ(p.flow, flow_type::tcp4);
    }
}

// SN-RSS-04: an IPv4 fragment (more-fragments or an offset) has no ports
// and hashes as "other"; don't-fragment alone is not a fragment.
TEST(packet_parse, ipv4_fragments_have_no_ports_and_are_other_flows) {
    for (std::uint16_t field : {std::uint16_t{0x2000}, std::uint16_t{0x0001}, std::uint16_t{0x20b9}}) {
        auto s = tcp4();
        s.ipv4_fragment = field;
        const auto p = parse_exact(build(s));
        EXPECT_EQ(p.problem, malformed::none);
        EXPECT_TRUE(p.fragment) << field;
        EXPECT_EQ(p.l4, l4_kind::fragment);
        EXPECT_EQ(p.flow, flow_type::other4);
        EXPECT_FALSE(p.has_ports);
        EXPECT_EQ(p.ip_protocol, packet::protocol_tcp);
    }
    auto s = tcp4();
    s.ipv4_fragment = 0x4000;  // DF
    const auto p = parse_exact(build(s));
    EXPECT_FALSE(p.fragment);
    EXPECT_EQ(p.flow, flow_type::tcp4);
}

// 802.1Q and 802.1ad tags: up to two, outermost first; a third is refused.
TEST(packet_parse, vlan_tags_are_recorded_outermost_first_and_a_third_is_refused) {
    auto s = tcp4();
    s.tags = {packet::tpid_8021q};
    auto p = parse_exact(build(s));
    EXPECT_EQ(p.problem, malformed::none);
    EXPECT_EQ(p.vlan_count, 1);
    EXPECT_EQ(p.vlan_tpid[0], packet::tpid_8021q);
    EXPECT_EQ(p.vlan_id(0), 100);
    EXPECT_EQ(p.vlan_tci[0] >> 13, 1);
    EXPECT_EQ(p.l3_offset, 18);
    EXPECT_EQ(p.flow, flow_type::tcp4);
    s.tags = {packet::tpid_8021ad, packet::tpid_8021q};
    p = parse_exact(build(s));
    EXPECT_EQ(p.problem, malformed::none);
    EXPECT_EQ(p.vlan_count, 2);
    EXPECT_EQ(p.vlan_tpid[0], packet::tpid_8021ad);
    EXPECT_EQ(p.vlan_id(1), 101);
    EXPECT_EQ(p.l3_offset, 22);
    EXPECT_EQ(p.source_port, 2794);
    s.tags = {packet::tpid_8021ad, packet::tpid_8021q, packet::tpid_8021q};
    p = parse_exact(build(s));
    EXPECT_EQ(p.problem, malformed::too_many_vlan_tags);
    EXPECT_EQ(p.flow, flow_type::not_ip);  // as the model: not IP (SN-RSS-04)
}

// SN-RSS-03: IPv6 TCP and UDP directly after the fixed header.
TEST(packet_parse, ipv6_tcp_and_udp_frames_yield_their_tuples) {
    for (std::uint8_t protocol : {packet::protocol_tcp, packet::protocol_udp}) {
        const auto p = parse_exact(build(with(over_ipv6(tcp4()), protocol)));
        EXPECT_EQ(p.problem, malformed::none);
        EXPECT_EQ(p.l3, l3_kind::ipv6);
        EXPECT_EQ(p.l4_offset, 54);
        EXPECT_EQ(p.flow, protocol == packet::protocol_tcp ? flow_type::tcp6 : flow_type::udp6);
        EXPECT_EQ(p.source, v6(7));
        EXPECT_EQ(p.destination, v6(1));
        EXPECT_EQ(p.destination_port, 1766);
    }
}

// Extension headers are walked to the transport header; the RSS flow type
// still follows the fixed header's next header, as the model's parser does
// (rss.hpp; SN-RSS-04 "other IPv6 traffic").
TEST(packet_parse, ipv6_extension_headers_are_walked_to_the_transport_header) {
    auto s = over_ipv6(tcp4());
    s.extensions = {packet::protocol_hop_by_hop, packet::protocol_routing, packet::protocol_destination_options,
                    packet::protocol_authentication};
    s.extension_units = 2;
    const auto p = parse_exact(build(s));
    EXPECT_EQ(p.problem, malformed::none);
    EXPECT_EQ(p.l4, l4_kind::tcp);
    EXPECT_EQ(p.ip_protocol, packet::protocol_tcp);
    EXPECT_EQ(p.l4_offset, 54 + 3 * 24 + 28);
    EXPECT_TRUE(p.has_ports);
    EXPECT_EQ(p.source_port, 2794);
    EXPECT_EQ(p.flow, flow_type::other6);
    EXPECT_TRUE(agrees_with_model(build(s)));
}

// SN-RSS-04: an IPv6 fragment header makes a fragment without ports.
TEST(packet_parse, an_ipv6_fragment_header_makes_a_fragment_without_ports) {
    for (auto chain : {std::vector<std::uint8_t>{packet::protocol_fragment},
                       std::vector<std::uint8_t>{packet::protocol_hop_by_hop, packet::protocol_fragment}}) {
        auto s = with(over_ipv6(tcp4()), packet::protocol_udp);
        s.extensions = chain;
        s.ipv6_fragment_offset = 0;
        const auto p = parse_exact(build(s));
        EXPECT_EQ(p.problem, malformed::none);
        EXPECT_TRUE(p.fragment);
        EXPECT_EQ(p.l4, l4_kind::fragment);
        EXPECT_EQ(p.ip_protocol, packet::protocol_udp);
        EXPECT_FALSE(p.has_ports);
        EXPECT_EQ(p.flow, flow_type::other6);
    }
}

// Bounds on the extension chain: at most 8 headers, hop-by-hop only first,
// and "no next header" ends it.
TEST(packet_parse, the_extension_chain_is_bounded_and_ordered) {
    auto s = over_ipv6(tcp4());
    s.extensions.assign(9, packet::protocol_destination_options);
    EXPECT_EQ(parse_exact(build(s)).problem, malformed::too_many_extension_headers);
    s.extensions.assign(8, packet::protocol_destination_options);
    EXPECT_EQ(parse_exact(build(s)).problem, malformed::none);
    s.extensions = {packet::protocol_routing, packet::protocol_hop_by_hop};
    EXPECT_EQ(parse_exact(build(s)).problem, malformed::misplaced_hop_by_hop);
    s.extensions = {packet::protocol_destination_options};
    s.protocol = packet::protocol_no_next_header;
    const auto p = parse_exact(build(s));
    EXPECT_EQ(p.problem, malformed::none);
    EXPECT_EQ(p.l4, l4_kind::none);
    EXPECT_EQ(p.ip_protocol, packet::protocol_no_next_header);
}

// SN-RSS-04: non-IP frames are not IP flows, and not malformed.
TEST(packet_parse, a_non_ip_frame_is_not_ip_and_not_malformed) {
    frame_spec s;
    s.family = 0;
    const auto p = parse_exact(build(s));
    EXPECT_EQ(p.problem, malformed::none);
    EXPECT_EQ(p.l3, l3_kind::none);
    EXPECT_EQ(p.flow, flow_type::not_ip);
    EXPECT_EQ(p.ether_type, 0x0806);
}

// Inconsistent headers get their own reasons.
TEST(packet_parse, inconsistent_headers_are_named) {
    auto frame = build(tcp4());
    frame[14] = 0x65;  // version 6 in an IPv4 EtherType
    EXPECT_EQ(parse_exact(frame).problem, malformed::bad_ipv4_version);
    frame[14] = 0x44;  // IHL 4
    EXPECT_EQ(parse_exact(frame).problem, malformed::bad_ipv4_header_length);
    frame = build(tcp4());
    set16(frame, 16, 19);  // total length below the header
    EXPECT_EQ(parse_exact(frame).problem, malformed::bad_ipv4_total_length);
    EXPECT_EQ(parse_exact(frame).source_port, 2794);  // ports are still read, as the model does
    frame = build(tcp4());
    frame[46] = 0x40;  // TCP data offset 4
    EXPECT_EQ(parse_exact(frame).problem, malformed::bad_tcp_data_offset);
    frame = build(over_ipv6(tcp4()));
    frame[14] = 0x40;
    EXPECT_EQ(parse_exact(frame).problem, malformed::bad_ipv6_version);
}

// The reference parser is usable at compile time.
constexpr std::array<std::uint8_t, 42> constant_udp_frame{
    0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00, 0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1,
    10, 0, 0, 2, 0x04, 0xd2, 0x16, 0x2e, 0, 8, 0, 0};
static_assert(packet::parse(constant_udp_frame).flow == flow_type::udp4);
static_assert(packet::parse(constant_udp_frame).destination_port == 5678);

// --------------------------------------------------------------- truncation

// Every strict prefix of a valid frame is malformed with a named reason,
// without reading past its end (ASan), and all burst paths agree on it.
TEST(packet_parse, every_truncation_point_of_a_valid_frame_names_a_reason) {
    std::vector<bytes> all;
    for (const auto& spec : catalogue()) {
        const auto frame = build(spec);
        ASSERT_EQ(parse_exact(frame).problem, malformed::none);
        for (std::size_t size = 0; size < frame.size(); ++size) {
            const bytes prefix(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(size));
            const auto p = parse_exact(prefix);
            EXPECT_NE(p.problem, malformed::none) << "prefix " << size << " of " << frame.size();
            EXPECT_TRUE(agrees_with_model(prefix)) << "prefix " << size;
            all.push_back(prefix);
        }
        all.push_back(frame);
    }
    EXPECT_TRUE(bursts_agree(all));
}

// Where a frame stops decides the reason, in header order.
TEST(packet_parse, the_reason_names_the_header_that_was_cut) {
    const auto frame = build(tcp4());
    auto cut = [&frame](std::size_t size) {
        return parse_exact(bytes(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(size))).problem;
    };
    EXPECT_EQ(cut(13), malformed::truncated_ethernet);
    EXPECT_EQ(cut(33), malformed::truncated_ipv4_header);
    EXPECT_EQ(cut(40), malformed::truncated_ip_payload);
    auto tagged = tcp4();
    tagged.tags = {packet::tpid_8021q};
    const auto with_tag = build(tagged);
    EXPECT_EQ(parse_exact(bytes(with_tag.begin(), with_tag.begin() + 17)).problem, malformed::truncated_vlan_tag);
    auto chain = over_ipv6(tcp4());
    chain.extensions = {packet::protocol_routing};
    const auto routed = build(chain);
    EXPECT_EQ(parse_exact(bytes(routed.begin(), routed.begin() + 50)).problem, malformed::truncated_ipv6_header);
    // A cut frame whose IP length still claims the whole packet is
    // truncated_ip_payload (the IP header comes first); with the length
    // field made consistent, the cut header itself is named.
    bytes short_routed(routed.begin(), routed.begin() + 60);
    EXPECT_EQ(parse_exact(short_routed).problem, malformed::truncated_ip_payload);
    set16(short_routed, 18, 60 - 54);
    EXPECT_EQ(parse_exact(short_routed).problem, malformed::truncated_extension_header);
    bytes short_tcp(frame.begin(), frame.begin() + 44);
    set16(short_tcp, 16, 44 - 14);
    EXPECT_EQ(parse_exact(short_tcp).problem, malformed::truncated_tcp_header);
    EXPECT_TRUE(parse_exact(short_tcp).has_ports);
    auto udp = with(tcp4(), packet::protocol_udp);
    udp.payload = 0;
    bytes short_udp = build(udp);
    short_udp.resize(40);
    set16(short_udp, 16, 40 - 14);
    EXPECT_EQ(parse_exact(short_udp).problem, malformed::truncated_udp_header);
}

// ------------------------------------------------------ random and hostile

// Random frames of the known shapes, then some bytes overwritten and the
// end cut at a random point.
rc::Gen<bytes> mutated_frames() {
    return rc::gen::exec([] {
        frame_spec s;
        s.family = *rc::gen::element(4, 4, 6, 6, 0);
        s.protocol = *rc::gen::element(packet::protocol_tcp, packet::protocol_udp, std::uint8_t{1},
                                       packet::protocol_no_next_header);
        const auto tags = *rc::gen::inRange(0, 4);
        for (int t = 0; t < tags; ++t) {
            s.tags.push_back(*rc::gen::element(packet::tpid_8021q, packet::tpid_8021ad));
        }
        s.ipv4_option_words = *rc::gen::inRange<std::size_t>(0, 11);
        s.ipv4_fragment = *rc::gen::element<std::uint16_t>(0, 0, 0x4000, 0x2000, 0x0010);
        const auto extensions = *rc::gen::inRange(0, 4);
        for (int e = 0; e < extensions; ++e) {
            s.extensions.push_back(*rc::gen::element(packet::protocol_hop_by_hop, packet::protocol_routing,
                                                     packet::protocol_destination_options, packet::protocol_fragment,
                                                     packet::protocol_authentication));
        }
        s.extension_units = *rc::gen::inRange<std::size_t>(0, 3);
        s.tcp_option_words = *rc::gen::inRange<std::size_t>(0, 11);
        s.payload = *rc::gen::inRange<std::size_t>(0, 40);
        s.source = *rc::gen::arbitrary<std::array<std::uint8_t, 16>>();
        s.destination = *rc::gen::arbitrary<std::array<std::uint8_t, 16>>();
        s.source_port = *rc::gen::arbitrary<std::uint16_t>();
        s.destination_port = *rc::gen::arbitrary<std::uint16_t>();
        bytes frame = build(s);
        const auto mutations = *rc::gen::inRange(0, 4);
        for (int m = 0; m < mutations && !frame.empty(); ++m) {
            const auto at = *rc::gen::inRange<std::size_t>(0, std::min<std::size_t>(frame.size(), 80));
            frame[at] = *rc::gen::arbitrary<std::uint8_t>();
        }
        if (*rc::gen::arbitrary<bool>()) {
            frame.resize(*rc::gen::inRange<std::size_t>(0, frame.size() + 1));
        }
        return frame;
    });
}

// The burst paths (scalar rows, portable and AVX2 fast paths) equal the
// reference parser on every frame, malformed ones included.
RC_GTEST_PROP(packet_parse, every_burst_path_equals_the_reference_parser_on_mutated_frames, ()) {
    const auto frames = *rc::gen::container<std::vector<bytes>>(*rc::gen::inRange(1, 300), mutated_frames());
    RC_ASSERT(bursts_agree(frames));
}

// Arbitrary bytes: a named reason or a complete parse, never a stray read.
RC_GTEST_PROP(packet_parse, arbitrary_bytes_are_parsed_within_the_frame, ()) {
    const auto frames = *rc::gen::container<std::vector<bytes>>(*rc::gen::inRange(1, 40),
                                                                rc::gen::arbitrary<bytes>());
    RC_ASSERT(bursts_agree(frames));
    for (const auto& f : frames) {
        RC_ASSERT(agrees_with_model(f));
    }
}

// SN-RSS-03/04: the flow type, addresses and ports the NIC hashes are the
// ones the model's parser finds, on every mutated frame.
RC_GTEST_PROP(packet_parse, the_rss_fields_agree_with_the_model_parser_SN_RSS_03_04, ()) {
    const auto frame = *mutated_frames();
    RC_ASSERT(agrees_with_model(frame));
}

}  // namespace
