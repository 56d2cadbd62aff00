// Tests of include/netkit/model/rss.hpp and the RSS operations of the
// software NIC (softnic.md §4, SN-RSS-01…08): the Toeplitz hash against an
// independent bit-by-bit reading of SN-RSS-02 and against the published
// Microsoft verification suite, the input tuples built from real frames,
// tuple selection per flow type, the indirection table and queue selection
// through wire injection. Test names are sentences; comments cite the rules.
#include <lease/fixture.hpp>

#include <netkit/model/rss.hpp>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace lease_test;
using bytes = std::vector<std::uint8_t>;

// ------------------------------------------------------------ frame builders

using ipv4_address = std::array<std::uint8_t, 4>;
using ipv6_address = std::array<std::uint8_t, 16>;

// Textual IPv6 ("3ffe:2501:200:3::1") to bytes; test data only, so a
// malformed literal is a test bug and fails loudly.
ipv6_address ipv6(std::string_view text) {
    std::vector<std::uint16_t> head;
    std::vector<std::uint16_t> tail;
    bool compressed = false;
    std::size_t at = 0;
    while (at < text.size()) {
        if (text.substr(at, 2) == "::") {
            EXPECT_FALSE(compressed) << "two '::' in " << text;
            compressed = true;
            at += 2;
            continue;
        }
        const std::size_t end = std::min(text.find(':', at), text.size());
        const auto group = static_cast<std::uint16_t>(std::stoul(std::string(text.substr(at, end - at)), nullptr, 16));
        (compressed ? tail : head).push_back(group);
        at = end;
        if (at < text.size() && text.substr(at, 2) != "::") {
            ++at;  // a single ':' separator
        }
    }
    EXPECT_LE(head.size() + tail.size(), 8U) << text;
    std::vector<std::uint16_t> groups = head;
    groups.resize(8 - tail.size(), 0);
    groups.insert(groups.end(), tail.begin(), tail.end());
    ipv6_address out{};
    for (std::size_t i = 0; i < 8; ++i) {
        out[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
        out[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xff);
    }
    return out;
}

constexpr std::uint8_t tcp = 6;
constexpr std::uint8_t udp = 17;
constexpr std::uint8_t icmp = 1;
constexpr std::uint8_t icmpv6 = 58;
constexpr std::uint8_t ipv6_fragment_header = 44;

void put16(bytes& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v & 0xff));
}

void ethernet_header(bytes& b, std::uint16_t ether_type) {
    const mac_address destination{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    const mac_address source{0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
    b.insert(b.end(), destination.begin(), destination.end());
    b.insert(b.end(), source.begin(), source.end());
    put16(b, ether_type);
}

// A transport header: TCP (20 bytes), UDP (8) or 8 opaque bytes, ports first
// where the protocol has them.
void transport_header(bytes& b, std::uint8_t protocol, std::uint16_t source_port, std::uint16_t destination_port) {
    if (protocol == tcp || protocol == udp) {
        put16(b, source_port);
        put16(b, destination_port);
        b.resize(b.size() + (protocol == tcp ? 16 : 4), 0);
        if (protocol == tcp) {
            b[b.size() - 8] = 0x50;  // data offset 5 words
        }
    } else {
        b.resize(b.size() + 8, 0);
    }
}

// Ethernet + IPv4 (20-byte header) + transport. `fragment` is the 16-bit
// flags/fragment-offset field (0x2000 = more fragments).
frame ipv4_frame(ipv4_address source, ipv4_address destination, std::uint8_t protocol,
                 std::uint16_t source_port = 0, std::uint16_t destination_port = 0, std::uint16_t fragment = 0) {
    frame f;
    ethernet_header(f.bytes, 0x0800);
    const std::size_t ip = f.bytes.size();
    f.bytes.push_back(0x45);
    f.bytes.push_back(0);
    put16(f.bytes, 0);  // total length, filled below
    put16(f.bytes, 0x1234);
    put16(f.bytes, fragment);
    f.bytes.push_back(64);
    f.bytes.push_back(protocol);
    put16(f.bytes, 0);  // checksum (RSS does not read it)
    f.bytes.insert(f.bytes.end(), source.begin(), source.end());
    f.bytes.insert(f.bytes.end(), destination.begin(), destination.end());
    transport_header(f.bytes, protocol, source_port, destination_port);
    const auto total = static_cast<std::uint16_t>(f.bytes.size() - ip);
    f.bytes[ip + 2] = static_cast<std::uint8_t>(total >> 8);
    f.bytes[ip + 3] = static_cast<std::uint8_t>(total & 0xff);
    f.protocol = 0x0800;
    return f;
}

// Ethernet + IPv6 (fixed header) [+ fragment header] + transport.
frame ipv6_frame(const ipv6_address& source, const ipv6_address& destination, std::uint8_t protocol,
                 std::uint16_t source_port = 0, std::uint16_t destination_port = 0, bool fragment = false) {
    frame f;
    ethernet_header(f.bytes, 0x86dd);
    const std::size_t ip = f.bytes.size();
    f.bytes.insert(f.bytes.end(), {0x60, 0, 0, 0});
    put16(f.bytes, 0);  // payload length, filled below
    f.bytes.push_back(fragment ? ipv6_fragment_header : protocol);
    f.bytes.push_back(64);
    f.bytes.insert(f.bytes.end(), source.begin(), source.end());
    f.bytes.insert(f.bytes.end(), destination.begin(), destination.end());
    if (fragment) {
        f.bytes.insert(f.bytes.end(), {protocol, 0, 0x00, 0x01, 0, 0, 0, 7});  // offset 0, more fragments
    }
    transport_header(f.bytes, protocol, source_port, destination_port);
    const auto payload = static_cast<std::uint16_t>(f.bytes.size() - ip - 40);
    f.bytes[ip + 4] = static_cast<std::uint8_t>(payload >> 8);
    f.bytes[ip + 5] = static_cast<std::uint8_t>(payload & 0xff);
    f.protocol = 0x86dd;
    return f;
}

frame arp_frame() {
    frame f = ethernet_frame(broadcast_mac, mac_address{0x02, 0, 0, 0, 0, 2}, 0x0806, 28);
    return f;
}

// The tuple the NIC hashes for a frame under the default fields.
std::optional<bytes> tuple_of(const frame& f, const rss_fields& fields = {}) {
    return rss::input_tuple(fields, rss::parse_flow(f.bytes));
}

std::uint32_t hash_of(const frame& f, const rss_key& key = microsoft_rss_key) {
    const auto tuple = tuple_of(f);
    EXPECT_TRUE(tuple.has_value());
    return tuple ? rss::toeplitz(key, *tuple) : 0;
}

// SN-RSS-02 read literally: key bit k is bit (7 - k mod 8) of key byte
// k / 8; for every set input bit j the 32 key bits j … j+31 are xored in.
std::uint32_t reference_toeplitz(const rss_key& key, const bytes& input) {
    auto key_bit = [&key](std::size_t k) -> std::uint32_t { return (key[k / 8] >> (7 - k % 8)) & 1U; };
    std::uint32_t result = 0;
    for (std::size_t j = 0; j < input.size() * 8; ++j) {
        if (((input[j / 8] >> (7 - j % 8)) & 1U) == 0) {
            continue;
        }
        std::uint32_t window = 0;
        for (std::size_t k = 0; k < 32; ++k) {
            window = (window << 1) | key_bit(j + k);
        }
        result ^= window;
    }
    return result;
}

links::channel_counts combined_channels(std::uint32_t combined) {
    links::channel_counts counts;
    counts.combined = combined;
    return counts;
}

// A NIC with `queues` queues, up.
core::device_handle up_nic(world& w, std::uint32_t queues, softnic_config config = softnic_config::nsim()) {
    const auto nic = add_nic(w, queues, config);
    must_ok(w.open(nic), "open");
    return nic;
}

std::uint32_t queue_of(world& w, core::device_handle nic, frame f) {
    const auto outcome = must(w.inject(nic, std::move(f)), "inject");
    EXPECT_EQ(outcome.end, softnic::rx_end::queued);
    return outcome.queue;
}

const ipv4_address rss08_destination{161, 142, 100, 80};
const ipv4_address rss08_source{66, 9, 149, 187};

// ------------------------------------------------------------- SN-RSS-01

// SN-RSS-01: the default key is the Microsoft verification key, 40 bytes.
TEST(softnic_rss, the_default_key_is_the_forty_byte_microsoft_verification_key) {
    world w;
    const auto nic = add_nic(w, 4);
    const bytes expected{0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
                         0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
                         0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa};
    const auto& key = w.at(nic).nic->key;
    EXPECT_EQ(bytes(key.begin(), key.end()), expected);
    EXPECT_EQ(key, microsoft_rss_key);
}

// SN-RSS-01: a key of another length is EINVAL and changes nothing; a
// 40-byte key is taken and steers by the new key.
TEST(softnic_rss, a_key_must_be_exactly_forty_bytes) {
    world w;
    const auto nic = up_nic(w, 4);
    for (std::size_t size : {0U, 39U, 41U, 52U}) {
        const world before = w;
        const auto s = w.set_rss_key(nic, bytes(size, 0x11));
        ASSERT_FALSE(s.ok()) << size;
        EXPECT_EQ(s.failure().code, errno_code::invalid);
        EXPECT_EQ(w, before);
    }
    bytes key(40);
    for (std::size_t i = 0; i < key.size(); ++i) {
        key[i] = static_cast<std::uint8_t>(0x9d * i + 7);
    }
    must_ok(w.set_rss_key(nic, key));
    rss_key stored{};
    std::copy(key.begin(), key.end(), stored.begin());
    EXPECT_EQ(w.at(nic).nic->key, stored);
    // The new key drives queue selection (SN-RSS-07).
    const frame f = ipv4_frame({10, 0, 0, 1}, {10, 0, 0, 2}, tcp, 1000, 2000);
    const std::uint32_t expected = w.at(nic).nic->indirection[hash_of(f, stored) % 128];
    EXPECT_EQ(queue_of(w, nic, f), expected);
}

// SN-RSS-01: Toeplitz is the only hash function; another is EOPNOTSUPP.
TEST(softnic_rss, only_the_toeplitz_hash_function_is_accepted) {
    world w;
    const auto nic = add_nic(w, 2);
    must_ok(w.set_rss_hash_function(nic, softnic::hash_function::toeplitz));
    for (auto f : {softnic::hash_function::xor_fold, softnic::hash_function::crc32}) {
        const world before = w;
        const auto s = w.set_rss_hash_function(nic, f);
        ASSERT_FALSE(s.ok());
        EXPECT_EQ(s.failure().code, errno_code::not_supported);
        EXPECT_EQ(w, before);
    }
}

// ------------------------------------------------------------- SN-RSS-02

// SN-RSS-02: one set bit selects one 32-bit window of the key: the first
// input bit the first four key bytes, the last bit of byte 0 key bits 7…38.
TEST(softnic_rss, a_single_input_bit_selects_the_key_window_starting_at_that_bit) {
    EXPECT_EQ(rss::toeplitz(microsoft_rss_key, bytes{0x80}), 0x6d5a56daU);
    EXPECT_EQ(rss::toeplitz(microsoft_rss_key, bytes{0x00, 0x80}), 0x5a56da25U);  // bit 8: key bytes 1…4
    // Bit 7: key bits 7…38 = (0x6d5a56da25 << 7) truncated to 32 bits.
    const std::uint64_t five = 0x6d5a56da25ULL;
    EXPECT_EQ(rss::toeplitz(microsoft_rss_key, bytes{0x01}), static_cast<std::uint32_t>(five >> 1));
    EXPECT_EQ(rss::toeplitz(microsoft_rss_key, bytes{}), 0U);
    EXPECT_EQ(rss::toeplitz(microsoft_rss_key, bytes(36, 0)), 0U);
}

// SN-RSS-02: the model's Toeplitz equals the literal reading of the rule for
// every input up to 36 bytes and every key.
RC_GTEST_PROP(softnic_rss, toeplitz_matches_the_bit_by_bit_definition_SN_RSS_02, ()) {
    const auto size = *rc::gen::inRange<std::size_t>(0, 37);
    const auto input = *rc::gen::container<bytes>(size, rc::gen::arbitrary<std::uint8_t>());
    const bool default_key = *rc::gen::arbitrary<bool>();
    rss_key key = microsoft_rss_key;
    if (!default_key) {
        const auto random = *rc::gen::container<bytes>(40, rc::gen::arbitrary<std::uint8_t>());
        std::copy(random.begin(), random.end(), key.begin());
    }
    RC_ASSERT(rss::toeplitz(key, input) == reference_toeplitz(key, input));
}

// SN-RSS-02 (sanity of the reference): Toeplitz is linear over GF(2): for
// inputs of equal length, hash(a xor b) = hash(a) xor hash(b).
RC_GTEST_PROP(softnic_rss, toeplitz_is_linear_in_its_input_SN_RSS_02, ()) {
    const auto size = *rc::gen::inRange<std::size_t>(0, 37);
    const auto a = *rc::gen::container<bytes>(size, rc::gen::arbitrary<std::uint8_t>());
    const auto b = *rc::gen::container<bytes>(size, rc::gen::arbitrary<std::uint8_t>());
    const auto random = *rc::gen::container<bytes>(40, rc::gen::arbitrary<std::uint8_t>());
    rss_key key{};
    std::copy(random.begin(), random.end(), key.begin());
    bytes both(size);
    for (std::size_t i = 0; i < size; ++i) {
        both[i] = static_cast<std::uint8_t>(a[i] ^ b[i]);
    }
    for (const rss_key& k : {key, microsoft_rss_key}) {
        RC_ASSERT(rss::toeplitz(k, both) == (rss::toeplitz(k, a) ^ rss::toeplitz(k, b)));
        RC_ASSERT(reference_toeplitz(k, both) == (reference_toeplitz(k, a) ^ reference_toeplitz(k, b)));
    }
}

// ------------------------------------------------------------- SN-RSS-03

// SN-RSS-03: IPv4 tuples are source ‖ destination address, then source ‖
// destination port, all in network byte order, taken from the frame.
TEST(softnic_rss, ipv4_tuples_are_source_then_destination_in_network_byte_order) {
    const frame f = ipv4_frame(rss08_source, rss08_destination, tcp, 2794, 1766);
    const auto flow = rss::parse_flow(f.bytes);
    EXPECT_EQ(flow.ip, rss::flow::family::ipv4);
    EXPECT_EQ(flow.protocol, tcp);
    EXPECT_EQ(flow.addresses, (bytes{66, 9, 149, 187, 161, 142, 100, 80}));
    ASSERT_TRUE(flow.ports.has_value());
    EXPECT_EQ(*flow.ports, (std::array<std::uint8_t, 4>{0x0a, 0xea, 0x06, 0xe6}));  // 2794, 1766
    EXPECT_EQ(tuple_of(f), (bytes{66, 9, 149, 187, 161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xe6}));
    rss_fields two;
    two.tcp4 = rss_tuple::two_tuple;
    EXPECT_EQ(tuple_of(f, two), (bytes{66, 9, 149, 187, 161, 142, 100, 80}));
}

// SN-RSS-03: IPv6 tuples: 16-byte source ‖ 16-byte destination [‖ ports].
TEST(softnic_rss, ipv6_tuples_are_thirty_two_address_bytes_then_the_ports) {
    const auto source = ipv6("3ffe:2501:200:1fff::7");
    const auto destination = ipv6("3ffe:2501:200:3::1");
    EXPECT_EQ(source, (ipv6_address{0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x07}));
    const frame f = ipv6_frame(source, destination, udp, 2794, 1766);
    bytes expected(source.begin(), source.end());
    expected.insert(expected.end(), destination.begin(), destination.end());
    rss_fields two;
    two.udp6 = rss_tuple::two_tuple;
    EXPECT_EQ(tuple_of(f, two), expected);
    expected.insert(expected.end(), {0x0a, 0xea, 0x06, 0xe6});
    EXPECT_EQ(tuple_of(f), expected);
    EXPECT_EQ(tuple_of(f)->size(), 36U);  // the longest input SN-RSS-02 allows
}

// ------------------------------------------------------------- SN-RSS-04

// SN-RSS-04: defaults — TCP and UDP over IPv4 and IPv6 hash the 4-tuple,
// other IP traffic the 2-tuple.
TEST(softnic_rss, tcp_and_udp_hash_four_tuples_other_ip_traffic_two_tuples) {
    const ipv4_address s4{10, 1, 2, 3};
    const ipv4_address d4{10, 4, 5, 6};
    const auto s6 = ipv6("2001:db8::1");
    const auto d6 = ipv6("2001:db8::2");
    EXPECT_EQ(tuple_of(ipv4_frame(s4, d4, tcp, 1, 2))->size(), 12U);
    EXPECT_EQ(tuple_of(ipv4_frame(s4, d4, udp, 1, 2))->size(), 12U);
    EXPECT_EQ(tuple_of(ipv4_frame(s4, d4, icmp))->size(), 8U);
    EXPECT_EQ(tuple_of(ipv6_frame(s6, d6, tcp, 1, 2))->size(), 36U);
    EXPECT_EQ(tuple_of(ipv6_frame(s6, d6, udp, 1, 2))->size(), 36U);
    EXPECT_EQ(tuple_of(ipv6_frame(s6, d6, icmpv6))->size(), 32U);
}

// SN-RSS-04: IP fragments hash the 2-tuple even when they carry TCP or UDP
// (IPv4: more-fragments flag or an offset; IPv6: a fragment header). The
// don't-fragment flag alone is not a fragment.
TEST(softnic_rss, ip_fragments_hash_the_two_tuple) {
    const ipv4_address s4{10, 1, 2, 3};
    const ipv4_address d4{10, 4, 5, 6};
    EXPECT_EQ(tuple_of(ipv4_frame(s4, d4, tcp, 1, 2, 0x2000))->size(), 8U);  // MF
    EXPECT_EQ(tuple_of(ipv4_frame(s4, d4, udp, 1, 2, 0x0010))->size(), 8U);  // offset 128
    EXPECT_EQ(tuple_of(ipv4_frame(s4, d4, tcp, 1, 2, 0x4000))->size(), 12U); // DF only
    EXPECT_EQ(tuple_of(ipv6_frame(ipv6("2001:db8::1"), ipv6("2001:db8::2"), udp, 1, 2, true))->size(), 32U);
}

// SN-RSS-04: a non-IP frame is not hashed and goes to queue 0, whatever the
// indirection table says.
TEST(softnic_rss, non_ip_frames_are_not_hashed_and_go_to_queue_0) {
    EXPECT_FALSE(tuple_of(arp_frame()).has_value());
    world w;
    const auto nic = up_nic(w, 4);
    must_ok(w.set_rss_indirection(nic, std::vector<std::uint32_t>(128, 3)));
    EXPECT_EQ(queue_of(w, nic, arp_frame()), 0U);
    EXPECT_EQ(queue_of(w, nic, ipv4_frame({1, 2, 3, 4}, {5, 6, 7, 8}, tcp, 1, 2)), 3U);
}

// SN-RSS-04: the tuple per flow type is configurable: TCP/IPv4 set to the
// 2-tuple steers by addresses only; "none" stops hashing (queue 0).
TEST(softnic_rss, the_tuple_per_flow_type_is_configurable) {
    world w;
    const auto nic = up_nic(w, 4);
    // Ports chosen so that the 4-tuple and the 2-tuple select different queues.
    const frame f = ipv4_frame(rss08_source, rss08_destination, tcp, 2794, 1766);
    EXPECT_EQ(queue_of(w, nic, f), 0U);  // 0x51ccc178: 120 mod 4
    rss_fields fields;
    fields.tcp4 = rss_tuple::two_tuple;
    must_ok(w.set_rss_fields(nic, fields));
    EXPECT_EQ(queue_of(w, nic, f), 2U);  // 0x323e8fc2: 66 mod 4
    fields.tcp4 = rss_tuple::none;
    must_ok(w.set_rss_fields(nic, fields));
    EXPECT_EQ(queue_of(w, nic, f), 0U);
    EXPECT_EQ(w.at(nic).nic->fields, fields);
}

// ------------------------------------------------------- SN-RSS-05 / 06

// SN-RSS-05: the default table has 128 entries, entry i = i mod real rx,
// and follows every change of real rx while not user-configured.
TEST(softnic_rss, the_default_table_is_i_mod_real_rx_and_follows_channel_changes) {
    world w;
    const auto nic = add_nic(w, 4);
    auto expect_default = [&](std::uint32_t real) {
        const auto& table = w.at(nic).nic->indirection;
        ASSERT_EQ(table.size(), 128U);
        for (std::uint32_t i = 0; i < table.size(); ++i) {
            EXPECT_EQ(table[i], i % real) << "entry " << i;
        }
        EXPECT_FALSE(w.at(nic).nic->indirection_user_configured);
    };
    expect_default(4);
    must_ok(w.ethtool_set_channels(nic, combined_channels(3)));
    expect_default(3);
    must_ok(w.ethtool_set_channels(nic, combined_channels(1)));
    expect_default(1);
    must_ok(w.ethtool_set_channels(nic, combined_channels(4)));
    expect_default(4);
}

// SN-RSS-05: the table size is configurable (SN-GEN-04) and the default
// rule applies to it.
TEST(softnic_rss, a_configured_table_size_gets_the_default_rule_too) {
    world w;
    softnic_config config;
    config.rss_table_size = 16;
    const auto nic = add_nic(w, 3, config);
    const auto& table = w.at(nic).nic->indirection;
    ASSERT_EQ(table.size(), 16U);
    for (std::uint32_t i = 0; i < 16; ++i) {
        EXPECT_EQ(table[i], i % 3);
    }
}

// SN-RSS-06: an entry ≥ real rx is EINVAL and changes nothing; a valid set
// marks the table user-configured, which channel changes no longer rebuild.
TEST(softnic_rss, a_table_with_an_entry_at_or_above_real_rx_is_refused) {
    world w;
    const auto nic = add_nic(w, 4);
    must_ok(w.ethtool_set_channels(nic, combined_channels(2)));
    std::vector<std::uint32_t> table(128, 1);
    table[77] = 2;  // == real rx
    const world before = w;
    const auto s = w.set_rss_indirection(nic, table);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.failure().code, errno_code::invalid);
    EXPECT_EQ(w, before);

    table[77] = 0;
    must_ok(w.set_rss_indirection(nic, table));
    EXPECT_TRUE(w.at(nic).nic->indirection_user_configured);
    EXPECT_EQ(w.at(nic).nic->indirection, table);
    must_ok(w.ethtool_set_channels(nic, combined_channels(4)));
    EXPECT_EQ(w.at(nic).nic->indirection, table);  // not rebuilt (SN-RSS-05)
}

// SN-RSS-06: a table of size 0 restores the default table and clears the
// mark, so the next channel change rebuilds it again (SN-RSS-05).
TEST(softnic_rss, an_empty_table_restores_the_default_and_clears_the_mark) {
    world w;
    const auto nic = add_nic(w, 4);
    must_ok(w.set_rss_indirection(nic, std::vector<std::uint32_t>(128, 3)));
    ASSERT_TRUE(w.at(nic).nic->indirection_user_configured);
    must_ok(w.set_rss_indirection(nic, {}));
    EXPECT_FALSE(w.at(nic).nic->indirection_user_configured);
    EXPECT_EQ(w.at(nic).nic->indirection, rss::default_table(128, 4));
    must_ok(w.ethtool_set_channels(nic, combined_channels(3)));
    EXPECT_EQ(w.at(nic).nic->indirection, rss::default_table(128, 3));
}

// ------------------------------------------------------- SN-RSS-07 / RX-04

// SN-RSS-07: an injected frame lands on table[hash mod table size], for
// many flows and a table that is not the default.
TEST(softnic_rss, an_injected_frame_lands_on_the_table_entry_its_hash_selects) {
    world w;
    const auto nic = up_nic(w, 8);
    std::vector<std::uint32_t> table(128);
    for (std::uint32_t i = 0; i < table.size(); ++i) {
        table[i] = (i * 5 + 3) % 8;
    }
    must_ok(w.set_rss_indirection(nic, table));
    for (std::uint16_t port = 1000; port < 1064; ++port) {
        const frame f = port % 2 == 0 ? ipv4_frame({192, 0, 2, 1}, {198, 51, 100, 7}, udp, port, 53)
                                      : ipv6_frame(ipv6("2001:db8::1"), ipv6("2001:db8:1::2"), tcp, port, 443);
        const std::uint32_t hash = hash_of(f);
        EXPECT_EQ(queue_of(w, nic, f), table[hash % 128]) << "port " << port;
        EXPECT_EQ(w.at(nic).rxq[table[hash % 128]].ring.back(), f);
    }
}

// SN-RX-04, SN-RSS-05: after a shrink, wire traffic reaches only queues
// below the new real rx.
TEST(softnic_rss, after_a_shrink_wire_traffic_reaches_only_the_remaining_queues) {
    world w;
    const auto nic = up_nic(w, 8);
    must_ok(w.ethtool_set_channels(nic, combined_channels(3)));
    std::vector<bool> seen(8, false);
    for (std::uint16_t port = 0; port < 200; ++port) {
        seen.at(queue_of(w, nic, ipv4_frame({10, 0, 0, 1}, {10, 0, 0, 2}, tcp, port, 80))) = true;
    }
    EXPECT_TRUE(seen[0] && seen[1] && seen[2]);
    for (std::uint32_t q = 3; q < 8; ++q) {
        EXPECT_FALSE(seen[q]) << q;
        EXPECT_TRUE(w.at(nic).rxq[q].ring.empty());
    }
}

// SN-RSS-05, SN-RSS-06, SN-RX-04: whatever sequence of channel changes and
// table sets (refused or not), every table entry is < real rx and wire
// traffic lands on a queue < real rx.
RC_GTEST_PROP(softnic_rss, the_table_only_ever_selects_queues_below_real_rx, ()) {
    world w;
    const std::uint32_t allocated = *rc::gen::inRange<std::uint32_t>(1, 9);
    const auto nic = up_nic(w, allocated);
    const int steps = *rc::gen::inRange(1, 25);
    for (int step = 0; step < steps; ++step) {
        switch (*rc::gen::inRange(0, 3)) {
            case 0: {
                const auto combined = *rc::gen::inRange<std::uint32_t>(0, allocated + 2);
                (void)w.ethtool_set_channels(nic, combined_channels(combined));
                break;
            }
            case 1: {
                const auto table = *rc::gen::container<std::vector<std::uint32_t>>(
                    128, rc::gen::inRange<std::uint32_t>(0, allocated + 1));
                (void)w.set_rss_indirection(nic, table);
                break;
            }
            default: (void)w.set_rss_indirection(nic, {}); break;
        }
        const std::uint32_t real = w.at(nic).real_rx_queues;
        RC_ASSERT(real >= 1U);
        RC_ASSERT(w.at(nic).nic->indirection.size() == 128U);
        for (const auto entry : w.at(nic).nic->indirection) {
            RC_ASSERT(entry < real);
        }
        for (int n = 0; n < 4; ++n) {
            const auto a = *rc::gen::arbitrary<std::array<std::uint8_t, 4>>();
            const auto b = *rc::gen::arbitrary<std::array<std::uint8_t, 4>>();
            const auto ports = *rc::gen::arbitrary<std::pair<std::uint16_t, std::uint16_t>>();
            const auto outcome = w.inject(nic, ipv4_frame(a, b, tcp, ports.first, ports.second));
            RC_ASSERT(outcome.ok());
            RC_ASSERT(outcome.value().queue < real);
        }
        (void)w.poll(nic, 0);  // keep rings from filling up
    }
}

// ------------------------------------------------------------- SN-RSS-08

// SN-RSS-08: the verification vector — destination 161.142.100.80:1766,
// source 66.9.149.187:2794, Microsoft key: 2-tuple 0x323e8fc2, 4-tuple
// 0x51ccc178; with the default 128-entry table and 4 real RX queues queue 2
// (66 mod 4) and queue 0 (120 mod 4).
TEST(softnic_rss, the_verification_vector_hashes_and_steers_as_specified) {
    const bytes two{66, 9, 149, 187, 161, 142, 100, 80};
    bytes four = two;
    four.insert(four.end(), {0x0a, 0xea, 0x06, 0xe6});
    EXPECT_EQ(rss::toeplitz(microsoft_rss_key, two), 0x323e8fc2U);
    EXPECT_EQ(rss::toeplitz(microsoft_rss_key, four), 0x51ccc178U);
    EXPECT_EQ(0x323e8fc2U % 128, 66U);
    EXPECT_EQ(0x51ccc178U % 128, 120U);

    world w;
    const auto nic = up_nic(w, 4);
    const frame with_ports = ipv4_frame(rss08_source, rss08_destination, tcp, 2794, 1766);
    const frame addresses_only = ipv4_frame(rss08_source, rss08_destination, icmp);
    EXPECT_EQ(hash_of(with_ports), 0x51ccc178U);
    EXPECT_EQ(hash_of(addresses_only), 0x323e8fc2U);
    EXPECT_EQ(queue_of(w, nic, addresses_only), 2U);
    EXPECT_EQ(queue_of(w, nic, with_ports), 0U);
}

// The published verification suite: Microsoft, "Verifying the RSS Hash
// Calculation" (Windows driver documentation, Receive Side Scaling), with
// the verification key of SN-RSS-01. Each row: destination address and
// port, source address and port, the hash over the addresses only and the
// hash with the TCP ports. Input order is source ‖ destination (SN-RSS-03).
struct ipv4_row {
    ipv4_address destination;
    std::uint16_t destination_port;
    ipv4_address source;
    std::uint16_t source_port;
    std::uint32_t addresses_only;
    std::uint32_t with_ports;
};

const std::array<ipv4_row, 5> microsoft_ipv4_table{{
    {{161, 142, 100, 80}, 1766, {66, 9, 149, 187}, 2794, 0x323e8fc2, 0x51ccc178},
    {{65, 69, 140, 83}, 4739, {199, 92, 111, 2}, 14230, 0xd718262a, 0xc626b0ea},
    {{12, 22, 207, 184}, 38024, {24, 19, 198, 95}, 12898, 0xd2d0a5de, 0x5c2b394a},
    {{209, 142, 163, 6}, 2217, {38, 27, 205, 30}, 48228, 0x82989176, 0xafc7327f},
    {{202, 188, 127, 2}, 1303, {153, 39, 163, 191}, 44251, 0x5d1809c5, 0x10e828a2},
}};

struct ipv6_row {
    std::string_view destination;
    std::uint16_t destination_port;
    std::string_view source;
    std::uint16_t source_port;
    std::uint32_t addresses_only;
    std::uint32_t with_ports;
};

const std::array<ipv6_row, 3> microsoft_ipv6_table{{
    {"3ffe:2501:200:3::1", 1766, "3ffe:2501:200:1fff::7", 2794, 0x2cc18cd5, 0x40207d3d},
    {"ff02::1", 4739, "3ffe:501:8::260:97ff:fe40:efab", 14230, 0x0f0c461c, 0xdde51bbf},
    {"fe80::200:f8ff:fe21:67cf", 38024, "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251, 0x4b61e985, 0x02d1feef},
}};

// SN-RSS-02, SN-RSS-03, SN-RSS-04, SN-RSS-08: every IPv4 row of the
// Microsoft suite, hashed from real frames (ICMP for the address-only
// column, TCP for the column with ports), through both the model and the
// literal reference.
TEST(softnic_rss, the_microsoft_ipv4_verification_suite_is_reproduced_from_frames) {
    for (const auto& row : microsoft_ipv4_table) {
        const frame plain = ipv4_frame(row.source, row.destination, icmp);
        const frame with_ports = ipv4_frame(row.source, row.destination, tcp, row.source_port, row.destination_port);
        EXPECT_EQ(hash_of(plain), row.addresses_only) << std::hex << row.addresses_only;
        EXPECT_EQ(hash_of(with_ports), row.with_ports) << std::hex << row.with_ports;
        EXPECT_EQ(reference_toeplitz(microsoft_rss_key, *tuple_of(with_ports)), row.with_ports);
        // UDP uses the same 4-tuple (SN-RSS-04).
        EXPECT_EQ(hash_of(ipv4_frame(row.source, row.destination, udp, row.source_port, row.destination_port)),
                  row.with_ports);
    }
}

// SN-RSS-02, SN-RSS-03, SN-RSS-04: every IPv6 row of the Microsoft suite,
// hashed from real frames (ICMPv6 without ports, TCP with ports).
TEST(softnic_rss, the_microsoft_ipv6_verification_suite_is_reproduced_from_frames) {
    for (const auto& row : microsoft_ipv6_table) {
        const auto source = ipv6(row.source);
        const auto destination = ipv6(row.destination);
        const frame plain = ipv6_frame(source, destination, icmpv6);
        const frame with_ports = ipv6_frame(source, destination, tcp, row.source_port, row.destination_port);
        EXPECT_EQ(hash_of(plain), row.addresses_only) << row.destination;
        EXPECT_EQ(hash_of(with_ports), row.with_ports) << row.destination;
        EXPECT_EQ(reference_toeplitz(microsoft_rss_key, *tuple_of(plain)), row.addresses_only);
        EXPECT_EQ(hash_of(ipv6_frame(source, destination, udp, row.source_port, row.destination_port)),
                  row.with_ports);
    }
}

// SN-RSS-07: the Microsoft rows steer through the default table of a
// 4-queue NIC to (hash mod 128) mod 4.
TEST(softnic_rss, the_microsoft_rows_steer_through_the_default_table) {
    world w;
    const auto nic = up_nic(w, 4);
    for (const auto& row : microsoft_ipv4_table) {
        EXPECT_EQ(queue_of(w, nic, ipv4_frame(row.source, row.destination, icmp)), row.addresses_only % 128 % 4);
        EXPECT_EQ(queue_of(w, nic, ipv4_frame(row.source, row.destination, tcp, row.source_port, row.destination_port)),
                  row.with_ports % 128 % 4);
    }
    for (const auto& row : microsoft_ipv6_table) {
        const auto source = ipv6(row.source);
        const auto destination = ipv6(row.destination);
        EXPECT_EQ(queue_of(w, nic, ipv6_frame(source, destination, icmpv6)), row.addresses_only % 128 % 4);
        EXPECT_EQ(queue_of(w, nic, ipv6_frame(source, destination, tcp, row.source_port, row.destination_port)),
                  row.with_ports % 128 % 4);
    }
}

}  // namespace
