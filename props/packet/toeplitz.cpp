// Tests of include/netkit/packet/toeplitz.hpp: the table and carry-less
// formulations against the scalar reference model::rss::toeplitz (SN-RSS-02)
// for every tuple size and random keys, the published Microsoft verification
// suite (SN-RSS-08 and the rest of the table), and whole bursts of random
// and mutated frames against the model's select_queue reading of the same
// frames (SN-RSS-03/04/07). Test names are sentences; comments cite the rules.
#include <netkit/model/rss.hpp>
#include <netkit/packet/toeplitz.hpp>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace {

using namespace netkit;
using bytes = std::vector<std::uint8_t>;

const packet::toeplitz_key& microsoft() {
    static const auto key = std::make_unique<packet::toeplitz_key>(model::microsoft_rss_key);
    return *key;
}

model::rss_key random_key() {
    const auto random = *rc::gen::container<bytes>(40, rc::gen::arbitrary<std::uint8_t>());
    model::rss_key key{};
    std::copy(random.begin(), random.end(), key.begin());
    return key;
}

// Every formulation on one input.
struct all_hashes {
    std::uint32_t reference;
    std::uint32_t table;
    std::uint32_t clmul;
    std::uint32_t chosen;
    bool agree() const { return table == reference && clmul == reference && chosen == reference; }
};

all_hashes hash_all(const packet::toeplitz_key& key, const bytes& input) {
    return {model::rss::toeplitz(key.key(), input), packet::toeplitz_table(key, input),
            packet::toeplitz_clmul(key, input), packet::toeplitz(key, input)};
}

// ------------------------------------------------------------- SN-RSS-02

// SN-RSS-02: a single set bit selects the key window starting at it, in
// every formulation and at every bit of the longest input.
TEST(packet_toeplitz, a_single_input_bit_selects_its_key_window_SN_RSS_02) {
    for (std::size_t size : {8U, 12U, 32U, 36U}) {
        for (std::size_t bit = 0; bit < size * 8; ++bit) {
            bytes input(size, 0);
            input[bit / 8] = static_cast<std::uint8_t>(0x80U >> (bit % 8));
            const auto h = hash_all(microsoft(), input);
            EXPECT_TRUE(h.agree()) << "size " << size << " bit " << bit << std::hex << " reference " << h.reference
                                   << " table " << h.table << " clmul " << h.clmul;
        }
    }
    EXPECT_EQ(packet::toeplitz(microsoft(), bytes{0x80}), 0x6d5a56daU);
    EXPECT_EQ(packet::toeplitz(microsoft(), bytes{}), 0U);
}

// SN-RSS-02: every formulation equals the scalar reference for every input
// size up to 36 bytes and any key.
RC_GTEST_PROP(packet_toeplitz, every_formulation_equals_the_scalar_reference_SN_RSS_02, ()) {
    const auto size = *rc::gen::element<std::size_t>(8, 12, 32, 36, 0, 1, 4, 13, 20, 35);
    const auto input = *rc::gen::container<bytes>(size, rc::gen::arbitrary<std::uint8_t>());
    const bool default_key = *rc::gen::arbitrary<bool>();
    const auto key = std::make_unique<packet::toeplitz_key>(default_key ? model::microsoft_rss_key : random_key());
    const auto h = hash_all(*key, input);
    RC_ASSERT(h.table == h.reference);
    RC_ASSERT(h.clmul == h.reference);
    RC_ASSERT(h.chosen == h.reference);
}

// SN-RSS-02: the nibble-shuffle formulation (32 rows at a time, the rest
// carry-less) equals the scalar reference row by row, for each tuple size,
// any key and any row count, rows packed or spaced.
template <std::size_t Bytes>
void rows_equal_the_reference(const model::rss_key& raw_key) {
    const auto key = std::make_unique<packet::toeplitz_key>(raw_key);
    const auto count = *rc::gen::inRange<std::size_t>(0, 100);
    const auto stride = Bytes + *rc::gen::element<std::size_t>(0, 0, 4, 36);
    const auto data = *rc::gen::container<bytes>(count * stride, rc::gen::arbitrary<std::uint8_t>());
    std::vector<std::uint32_t> out(count);
    packet::toeplitz_rows<Bytes>(*key, data.data(), stride, count, out.data());
    for (std::size_t i = 0; i < count; ++i) {
        RC_ASSERT(out[i] == model::rss::toeplitz(raw_key, std::span(data).subspan(i * stride, Bytes)));
    }
}

RC_GTEST_PROP(packet_toeplitz, the_nibble_shuffle_rows_equal_the_scalar_reference_SN_RSS_02, ()) {
    const auto raw_key = *rc::gen::arbitrary<bool>() ? model::microsoft_rss_key : random_key();
    switch (*rc::gen::inRange(0, 4)) {
        case 0: rows_equal_the_reference<8>(raw_key); break;
        case 1: rows_equal_the_reference<12>(raw_key); break;
        case 2: rows_equal_the_reference<32>(raw_key); break;
        default: rows_equal_the_reference<36>(raw_key); break;
    }
}

// The nibble-shuffle path runs here (otherwise the property above would
// only test the carry-less path).
TEST(packet_toeplitz, the_nibble_shuffle_path_is_available_on_the_test_machine) {
#if defined(__x86_64__)
    EXPECT_TRUE(packet::avx2_hash_available());
#else
    GTEST_SKIP() << "not x86-64";
#endif
}

// The carry-less path runs here (the suite would otherwise only test the
// table path twice).
TEST(packet_toeplitz, the_carry_less_path_is_available_on_the_test_machine) {
#if defined(__x86_64__)
    EXPECT_TRUE(packet::pclmul_available());
#else
    GTEST_SKIP() << "not x86-64";
#endif
}

// ------------------------------------------------------ Microsoft suite

// Microsoft, "Verifying the RSS Hash Calculation" (Windows driver docs,
// Receive Side Scaling), with the key of SN-RSS-01: destination address and
// port, source address and port, the hash over the addresses alone and the
// hash with the TCP ports. The input order is source ‖ destination
// (SN-RSS-03). Each value was checked against the published table.
struct ipv4_row {
    packet::ipv4_address destination;
    std::uint16_t destination_port;
    packet::ipv4_address source;
    std::uint16_t source_port;
    std::uint32_t addresses_only;
    std::uint32_t with_ports;
};

constexpr std::array<ipv4_row, 5> microsoft_ipv4{{
    {{161, 142, 100, 80}, 1766, {66, 9, 149, 187}, 2794, 0x323e8fc2, 0x51ccc178},
    {{65, 69, 140, 83}, 4739, {199, 92, 111, 2}, 14230, 0xd718262a, 0xc626b0ea},
    {{12, 22, 207, 184}, 38024, {24, 19, 198, 95}, 12898, 0xd2d0a5de, 0x5c2b394a},
    {{209, 142, 163, 6}, 2217, {38, 27, 205, 30}, 48228, 0x82989176, 0xafc7327f},
    {{202, 188, 127, 2}, 1303, {153, 39, 163, 191}, 44251, 0x5d1809c5, 0x10e828a2},
}};

// The IPv6 rows, addresses written out: 3ffe:2501:200:3::1,
// 3ffe:2501:200:1fff::7; ff02::1, 3ffe:501:8::260:97ff:fe40:efab;
// fe80::200:f8ff:fe21:67cf, 3ffe:1900:4545:3:200:f8ff:fe21:67cf.
struct ipv6_row {
    packet::ipv6_address destination;
    std::uint16_t destination_port;
    packet::ipv6_address source;
    std::uint16_t source_port;
    std::uint32_t addresses_only;
    std::uint32_t with_ports;
};

constexpr std::array<ipv6_row, 3> microsoft_ipv6{{
    {{0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0x01},
     1766,
     {0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x07},
     2794,
     0x2cc18cd5,
     0x40207d3d},
    {{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01},
     4739,
     {0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0x00, 0x00, 0x02, 0x60, 0x97, 0xff, 0xfe, 0x40, 0xef, 0xab},
     14230,
     0x0f0c461c,
     0xdde51bbf},
    {{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf},
     38024,
     {0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf},
     44251,
     0x4b61e985,
     0x02d1feef},
}};

// SN-RSS-08 and the rest of the published IPv4 table, through the tuple
// functions and the scalar reference.
TEST(packet_toeplitz, the_microsoft_ipv4_verification_table_is_reproduced_SN_RSS_08) {
    for (const auto& row : microsoft_ipv4) {
        EXPECT_EQ(packet::hash_ipv4(microsoft(), row.source, row.destination), row.addresses_only);
        EXPECT_EQ(packet::hash_ipv4(microsoft(), row.source, row.destination, row.source_port, row.destination_port),
                  row.with_ports);
        bytes tuple(row.source.begin(), row.source.end());
        tuple.insert(tuple.end(), row.destination.begin(), row.destination.end());
        EXPECT_TRUE(hash_all(microsoft(), tuple).agree());
        EXPECT_EQ(model::rss::toeplitz(model::microsoft_rss_key, tuple), row.addresses_only);
        tuple.insert(tuple.end(), {static_cast<std::uint8_t>(row.source_port >> 8),
                                   static_cast<std::uint8_t>(row.source_port & 0xff),
                                   static_cast<std::uint8_t>(row.destination_port >> 8),
                                   static_cast<std::uint8_t>(row.destination_port & 0xff)});
        EXPECT_TRUE(hash_all(microsoft(), tuple).agree());
        EXPECT_EQ(model::rss::toeplitz(model::microsoft_rss_key, tuple), row.with_ports);
    }
}

// SN-RSS-02/03: the published IPv6 table.
TEST(packet_toeplitz, the_microsoft_ipv6_verification_table_is_reproduced_SN_RSS_03) {
    for (const auto& row : microsoft_ipv6) {
        EXPECT_EQ(packet::hash_ipv6(microsoft(), row.source, row.destination), row.addresses_only);
        EXPECT_EQ(packet::hash_ipv6(microsoft(), row.source, row.destination, row.source_port, row.destination_port),
                  row.with_ports);
        bytes tuple(row.source.begin(), row.source.end());
        tuple.insert(tuple.end(), row.destination.begin(), row.destination.end());
        EXPECT_EQ(model::rss::toeplitz(model::microsoft_rss_key, tuple), row.addresses_only);
        EXPECT_TRUE(hash_all(microsoft(), tuple).agree());
    }
}

// ---------------------------------------------------------------- frames

void put16(bytes& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v & 0xff));
}

// Ethernet [+ tag] + IPv4/IPv6 + TCP/UDP/other, consistent lengths.
bytes frame_of(int family, std::uint8_t protocol, std::span<const std::uint8_t> source,
               std::span<const std::uint8_t> destination, std::uint16_t source_port, std::uint16_t destination_port,
               bool tagged = false) {
    bytes b{0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
    if (tagged) {
        put16(b, packet::tpid_8021q);
        put16(b, 7);
    }
    const std::size_t ip = b.size() + 2;
    put16(b, family == 4 ? packet::ether_type_ipv4 : packet::ether_type_ipv6);
    if (family == 4) {
        b.insert(b.end(), {0x45, 0, 0, 0, 0, 0, 0, 0, 64, protocol, 0, 0});
    } else {
        b.insert(b.end(), {0x60, 0, 0, 0, 0, 0, protocol, 64});
    }
    b.insert(b.end(), source.begin(), source.end());
    b.insert(b.end(), destination.begin(), destination.end());
    put16(b, source_port);
    put16(b, destination_port);
    b.resize(b.size() + (protocol == packet::protocol_tcp ? 16 : 4), 0);
    if (protocol == packet::protocol_tcp) {
        b[b.size() - 8] = 0x50;
    }
    const std::size_t length = family == 4 ? b.size() - ip : b.size() - ip - 40;
    b[ip + (family == 4 ? 2 : 4)] = static_cast<std::uint8_t>(length >> 8);
    b[ip + (family == 4 ? 3 : 5)] = static_cast<std::uint8_t>(length & 0xff);
    return b;
}

// What the model does with a frame: its hash, or not hashed (queue 0).
std::optional<std::uint32_t> model_hash(const model::rss_key& key, const model::rss_fields& fields, const bytes& f) {
    const auto tuple = model::rss::input_tuple(fields, model::rss::parse_flow(f));
    if (!tuple) {
        return std::nullopt;
    }
    return model::rss::toeplitz(key, *tuple);
}

// Every burst formulation over `frames` equals the model frame by frame.
::testing::AssertionResult burst_matches_model(const model::rss_key& raw_key, const model::rss_fields& fields,
                                               const std::vector<bytes>& frames) {
    const auto key = std::make_unique<packet::toeplitz_key>(raw_key);
    std::vector<packet::frame_view> views(frames.begin(), frames.end());
    auto parsed = std::make_unique<packet::burst<256>>();
    for (std::size_t first = 0; first < views.size(); first += 256) {
        const auto part = std::span(views).subspan(first, std::min<std::size_t>(256, views.size() - first));
        packet::parse_burst(part, *parsed);
        std::array<std::array<std::uint32_t, 256>, 3> hash{};
        std::array<std::array<bool, 256>, 3> hashed{};
        packet::hash_burst_table(*key, fields, *parsed, hash[0], hashed[0]);
        packet::hash_burst_clmul(*key, fields, *parsed, hash[1], hashed[1]);
        packet::hash_burst(*key, fields, *parsed, hash[2], hashed[2]);
        for (std::size_t i = 0; i < part.size(); ++i) {
            const auto expected = model_hash(raw_key, fields, frames[first + i]);
            const auto one = packet::input_of(fields, packet::parse(part[i]));
            if ((one.length != 0) != expected.has_value() ||
                (expected && packet::toeplitz(*key, one.tuple()) != *expected)) {
                return ::testing::AssertionFailure() << "input_of disagrees on frame " << first + i;
            }
            for (std::size_t v = 0; v < 3; ++v) {
                if (hashed[v][i] != expected.has_value() || (expected && hash[v][i] != *expected)) {
                    return ::testing::AssertionFailure()
                           << "formulation " << v << " on frame " << first + i << ": hashed " << hashed[v][i]
                           << " hash " << std::hex << hash[v][i] << ", model "
                           << (expected ? *expected : 0xdeadbeefU);
                }
            }
        }
    }
    return ::testing::AssertionSuccess();
}

// SN-RSS-03/04/08: the Microsoft rows built into real frames (TCP for the
// column with ports, ICMP for the address-only column) hash as published
// through parse_burst and hash_burst.
TEST(packet_toeplitz, microsoft_rows_hash_as_published_from_bursts_of_frames) {
    std::vector<bytes> frames;
    std::vector<std::uint32_t> expected;
    for (const auto& row : microsoft_ipv4) {
        frames.push_back(frame_of(4, packet::protocol_tcp, row.source, row.destination, row.source_port,
                                  row.destination_port));
        expected.push_back(row.with_ports);
        frames.push_back(frame_of(4, 1, row.source, row.destination, 0, 0, true));
        expected.push_back(row.addresses_only);
    }
    for (const auto& row : microsoft_ipv6) {
        frames.push_back(frame_of(6, packet::protocol_udp, row.source, row.destination, row.source_port,
                                  row.destination_port, true));
        expected.push_back(row.with_ports);
        frames.push_back(frame_of(6, 58, row.source, row.destination, 0, 0));
        expected.push_back(row.addresses_only);
    }
    std::vector<packet::frame_view> views(frames.begin(), frames.end());
    auto parsed = std::make_unique<packet::burst<32>>();
    packet::parse_burst(views, *parsed);
    std::array<std::uint32_t, 32> hash{};
    std::array<bool, 32> hashed{};
    packet::hash_burst(microsoft(), model::rss_fields{}, *parsed, hash, hashed);
    for (std::size_t i = 0; i < frames.size(); ++i) {
        EXPECT_TRUE(hashed[i]) << i;
        EXPECT_EQ(hash[i], expected[i]) << "frame " << i;
    }
    EXPECT_TRUE(burst_matches_model(model::microsoft_rss_key, model::rss_fields{}, frames));
}

// SN-RSS-04: a 4-tuple choice without ports in the frame hashes the
// addresses; a "none" choice and non-IP frames are not hashed.
TEST(packet_toeplitz, tuple_choices_follow_the_model_SN_RSS_04) {
    const auto& row = microsoft_ipv4[0];
    auto tcp = frame_of(4, packet::protocol_tcp, row.source, row.destination, row.source_port, row.destination_port);
    bytes cut(tcp.begin(), tcp.begin() + 36);  // 2 bytes of TCP: no ports
    bytes arp{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 2, 0x08, 0x06, 0, 1};
    model::rss_fields fields;
    EXPECT_TRUE(burst_matches_model(model::microsoft_rss_key, fields, {tcp, cut, arp}));
    fields.tcp4 = model::rss_tuple::two_tuple;
    EXPECT_TRUE(burst_matches_model(model::microsoft_rss_key, fields, {tcp, cut, arp}));
    fields.tcp4 = model::rss_tuple::none;
    EXPECT_TRUE(burst_matches_model(model::microsoft_rss_key, fields, {tcp, cut, arp}));
    const auto p = packet::parse(cut);
    EXPECT_EQ(packet::input_of(model::rss_fields{}, p).length, 8U);
    EXPECT_EQ(packet::toeplitz(microsoft(), packet::input_of(model::rss_fields{}, p).tuple()), row.addresses_only);
}

rc::Gen<model::rss_tuple> tuple_choices() {
    return rc::gen::element(model::rss_tuple::none, model::rss_tuple::two_tuple, model::rss_tuple::four_tuple);
}

// Random frames of the common shapes and others, some bytes overwritten,
// some cut short.
rc::Gen<bytes> random_frames() {
    return rc::gen::exec([] {
        const int family = *rc::gen::element(4, 6);
        const auto protocol = *rc::gen::element(packet::protocol_tcp, packet::protocol_udp, std::uint8_t{1},
                                                packet::protocol_fragment, packet::protocol_hop_by_hop);
        const auto addresses = *rc::gen::container<bytes>(32, rc::gen::arbitrary<std::uint8_t>());
        const std::size_t width = family == 4 ? 4 : 16;
        auto f = frame_of(family, protocol, std::span(addresses).first(width),
                          std::span(addresses).subspan(16, width), *rc::gen::arbitrary<std::uint16_t>(),
                          *rc::gen::arbitrary<std::uint16_t>(), *rc::gen::arbitrary<bool>());
        const auto mutations = *rc::gen::inRange(0, 3);
        for (int m = 0; m < mutations; ++m) {
            f[*rc::gen::inRange<std::size_t>(12, std::min<std::size_t>(f.size(), 60))] =
                *rc::gen::arbitrary<std::uint8_t>();
        }
        if (*rc::gen::inRange(0, 4) == 0) {
            f.resize(*rc::gen::inRange<std::size_t>(0, f.size() + 1));
        }
        return f;
    });
}

// SN-RSS-02/03/04/07: for any key, any tuple choices and any frames, the
// burst hashes (all formulations) are exactly what the model computes for
// each frame, "not hashed" included.
RC_GTEST_PROP(packet_toeplitz, burst_hashes_equal_the_model_on_random_frames_SN_RSS_04, ()) {
    model::rss_fields fields;
    fields.tcp4 = *tuple_choices();
    fields.udp4 = *tuple_choices();
    fields.other4 = *tuple_choices();
    fields.tcp6 = *tuple_choices();
    fields.udp6 = *tuple_choices();
    fields.other6 = *tuple_choices();
    const auto key = *rc::gen::arbitrary<bool>() ? model::microsoft_rss_key : random_key();
    const auto frames = *rc::gen::container<std::vector<bytes>>(*rc::gen::inRange(1, 300), random_frames());
    RC_ASSERT(burst_matches_model(key, fields, frames));
}

// SN-RSS-07: queue selection through the burst hash equals the model's
// select_queue for a NIC with a random table.
RC_GTEST_PROP(packet_toeplitz, queues_from_burst_hashes_equal_select_queue_SN_RSS_07, ()) {
    model::softnic_state nic;
    nic.key = random_key();
    nic.indirection = *rc::gen::container<std::vector<std::uint32_t>>(*rc::gen::inRange<std::size_t>(1, 129),
                                                                     rc::gen::inRange<std::uint32_t>(0, 8));
    const auto frames = *rc::gen::container<std::vector<bytes>>(*rc::gen::inRange(1, 64), random_frames());
    const auto key = std::make_unique<packet::toeplitz_key>(nic.key);
    std::vector<packet::frame_view> views(frames.begin(), frames.end());
    auto parsed = std::make_unique<packet::burst<64>>();
    packet::parse_burst(views, *parsed);
    std::array<std::uint32_t, 64> hash{};
    std::array<bool, 64> hashed{};
    packet::hash_burst(*key, nic.fields, *parsed, hash, hashed);
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const std::uint32_t queue = hashed[i] ? nic.indirection[hash[i] % nic.indirection.size()] : 0;
        RC_ASSERT(queue == model::rss::select_queue(nic, frames[i]));
    }
}

}  // namespace
