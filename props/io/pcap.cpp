// Tests of include/netkit/io/pcap.hpp: classic pcap written and read back in
// both timestamp resolutions, classic files of the other byte order,
// pcapng with a section of either byte order, interface timestamp
// resolutions and the three packet block kinds, LINKTYPE_NETLINK's
// pseudo-header, and hostile files (truncations, lying lengths, every byte
// flipped) answered with errors, never with a crash or an out-of-bounds
// read (the suites run under ASan and UBSan).
#include <netkit/io/pcap.hpp>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <vector>

namespace {

using namespace netkit;
using io::packet;

std::vector<packet> sample() {
    packet a;
    a.timestamp_ns = 1'700'000'000'123'456'789ULL;
    a.data = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    a.original_length = 15;
    packet b;
    b.timestamp_ns = 1'700'000'001'000'000'000ULL;
    b.data.assign(1500, 0xab);
    b.original_length = 1500;
    return {a, b};
}

TEST(pcap, a_written_file_reads_back_the_same_packets_with_nanosecond_timestamps) {
    const auto packets = sample();
    const auto bytes = io::write_pcap(packets, io::linktype_ethernet);
    const auto read = io::read_capture(bytes);
    ASSERT_TRUE(read.ok()) << core::to_string(read.failure());
    EXPECT_EQ(read.value(), packets);
}

TEST(pcap, microsecond_files_keep_microseconds) {
    const auto packets = sample();
    const auto read = io::read_capture(io::write_pcap(packets, io::linktype_ethernet, true)).value();
    ASSERT_EQ(read.size(), 2U);
    EXPECT_EQ(read[0].timestamp_ns, 1'700'000'000'123'456'000ULL);
    EXPECT_EQ(read[1].data, packets[1].data);
}

TEST(pcap, a_big_endian_classic_file_is_read) {
    const std::vector<std::uint8_t> bytes{
        0xa1, 0xb2, 0xc3, 0xd4, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 1,  // header
        0, 0, 0, 5, 0, 0, 0, 7, 0, 0, 0, 2, 0, 0, 0, 2, 0xde, 0xad};                               // one record
    const auto read = io::read_capture(bytes);
    ASSERT_TRUE(read.ok()) << core::to_string(read.failure());
    ASSERT_EQ(read.value().size(), 1U);
    EXPECT_EQ(read.value()[0].timestamp_ns, 5'000'007'000ULL);
    EXPECT_EQ(read.value()[0].data, (std::vector<std::uint8_t>{0xde, 0xad}));
}

// A little pcapng writer for the tests: blocks with both lengths.
struct ng {
    std::vector<std::uint8_t> out;
    bool big = false;
    void u16(std::uint16_t v) {
        if (big) {
            out.push_back(static_cast<std::uint8_t>(v >> 8));
            out.push_back(static_cast<std::uint8_t>(v));
        } else {
            out.push_back(static_cast<std::uint8_t>(v));
            out.push_back(static_cast<std::uint8_t>(v >> 8));
        }
    }
    void u32(std::uint32_t v) {
        if (big) {
            u16(static_cast<std::uint16_t>(v >> 16));
            u16(static_cast<std::uint16_t>(v));
        } else {
            u16(static_cast<std::uint16_t>(v));
            u16(static_cast<std::uint16_t>(v >> 16));
        }
    }
    void block(std::uint32_t type, const std::vector<std::uint8_t>& body) {
        const auto length = static_cast<std::uint32_t>(12 + ((body.size() + 3) & ~std::size_t{3}));
        u32(type);
        u32(length);
        out.insert(out.end(), body.begin(), body.end());
        while ((out.size() % 4) != 0) {
            out.push_back(0);
        }
        u32(length);
    }
    std::vector<std::uint8_t> body(const std::vector<std::uint32_t>& words, const std::vector<std::uint8_t>& tail) {
        ng b;
        b.big = big;
        for (auto w : words) {
            b.u32(w);
        }
        b.out.insert(b.out.end(), tail.begin(), tail.end());
        return b.out;
    }
    void section() {
        ng b;
        b.big = big;
        b.u32(0x1a2b3c4d);
        b.u16(1);
        b.u16(0);
        b.u32(0xffffffff);
        b.u32(0xffffffff);
        block(0x0a0d0d0a, b.out);
    }
    void interface(std::uint16_t link_type, std::optional<std::uint8_t> tsresol) {
        ng b;
        b.big = big;
        b.u16(link_type);
        b.u16(0);
        b.u32(65535);
        if (tsresol) {
            b.u16(9);
            b.u16(1);
            b.out.push_back(*tsresol);
            b.out.insert(b.out.end(), {0, 0, 0});
            b.u16(0);
            b.u16(0);
        }
        block(1, b.out);
    }
};

TEST(pcapng, enhanced_simple_and_obsolete_packet_blocks_are_read_in_either_byte_order) {
    for (const bool big : {false, true}) {
        ng f;
        f.big = big;
        f.section();
        f.interface(1, std::nullopt);             // microseconds
        f.interface(253, std::uint8_t{9});        // nanoseconds
        f.block(6, f.body({1, 0, 1'500'000'000, 3, 3}, {7, 8, 9}));  // interface 1: 1.5 s in ns
        f.block(6, f.body({0, 0, 2'000'001, 2, 2}, {1, 2}));          // interface 0: 2.000001 s
        f.block(3, f.body({2}, {5, 6}));                               // simple: interface 0
        f.block(0x00000bad, f.body({1, 2, 3}, {}));                    // unknown block: skipped
        const auto read = io::read_capture(f.out);
        ASSERT_TRUE(read.ok()) << core::to_string(read.failure());
        const auto& p = read.value();
        ASSERT_EQ(p.size(), 3U) << big;
        EXPECT_EQ(p[0].link_type, 253U);
        EXPECT_EQ(p[0].timestamp_ns, 1'500'000'000ULL);
        EXPECT_EQ(p[0].data, (std::vector<std::uint8_t>{7, 8, 9}));
        EXPECT_EQ(p[1].link_type, 1U);
        EXPECT_EQ(p[1].timestamp_ns, 2'000'001'000ULL);
        EXPECT_EQ(p[2].data, (std::vector<std::uint8_t>{5, 6}));
    }
}

TEST(pcapng, a_packet_naming_an_unknown_interface_or_a_block_before_the_section_is_an_error) {
    ng f;
    f.section();
    f.block(6, f.body({3, 0, 0, 1, 1}, {1}));
    EXPECT_FALSE(io::read_capture(f.out).ok());
    ng g;
    g.interface(1, std::nullopt);
    EXPECT_FALSE(io::read_capture(g.out).ok());
}

TEST(pcap, truncated_and_lying_files_are_errors_that_name_the_offset) {
    const auto good = io::write_pcap(sample(), io::linktype_ethernet);
    EXPECT_FALSE(io::read_capture({}).ok());
    EXPECT_FALSE(io::read_capture(std::vector<std::uint8_t>{1, 2, 3, 4, 5}).ok());
    auto truncated = good;
    truncated.resize(good.size() - 1);
    const auto e = io::read_capture(truncated);
    ASSERT_FALSE(e.ok());
    EXPECT_NE(e.failure().message.find("at byte 55"), std::string::npos) << e.failure().message;
    auto lying = good;
    lying[24 + 8] = 0xff;  // the first record's captured length
    lying[24 + 9] = 0xff;
    EXPECT_FALSE(io::read_capture(lying).ok());
}

RC_GTEST_PROP(pcap, any_corruption_of_a_valid_file_is_answered_without_a_crash, ()) {
    ng f;
    f.section();
    f.interface(253, std::uint8_t{9});
    f.block(6, f.body({0, 0, 1, 4, 4}, {1, 2, 3, 4}));
    auto bytes = *rc::gen::element(f.out, io::write_pcap(sample(), io::linktype_ethernet));
    const auto flips = *rc::gen::container<std::vector<std::pair<std::size_t, std::uint8_t>>>(
        rc::gen::pair(rc::gen::inRange<std::size_t>(0, bytes.size()), rc::gen::arbitrary<std::uint8_t>()));
    for (const auto& [at, value] : flips) {
        bytes[at] ^= value;
    }
    bytes.resize(*rc::gen::inRange<std::size_t>(0, bytes.size() + 1));
    (void)io::read_capture(bytes);
}

TEST(pcap_netlink, the_pseudo_header_carries_direction_and_protocol) {
    packet p;
    p.link_type = io::linktype_netlink;
    p.data = io::netlink_pseudo_header(true, 16);
    p.data.insert(p.data.end(), {0x14, 0, 0, 0});
    const auto r = io::as_netlink(p);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->to_kernel);
    EXPECT_EQ(r->protocol, 16);
    EXPECT_EQ(r->messages.size(), 4U);
    EXPECT_EQ(p.data[2], 0x03);  // ARPHRD_NETLINK 824, big-endian
    EXPECT_EQ(p.data[3], 0x38);
    p.link_type = io::linktype_ethernet;
    EXPECT_FALSE(io::as_netlink(p).has_value());
}

}  // namespace
