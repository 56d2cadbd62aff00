// Capture files: reading classic pcap (either byte order, microsecond or
// nanosecond timestamps) and pcapng (section header, interface description,
// enhanced, simple and obsolete packet blocks; every other block skipped),
// and writing classic pcap. Used by the netlink tool (link type 253,
// LINKTYPE_NETLINK, as nlmon captures) and by the packet path's replay tool
// (link type 1, Ethernet).
//
// Hostile input is expected: every length is checked against what is left,
// a malformed file gives an error naming the byte offset, and nothing is
// read outside the buffer.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/result.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace netkit::io {

inline constexpr std::uint32_t linktype_ethernet = 1;   // LINKTYPE_ETHERNET
inline constexpr std::uint32_t linktype_netlink = 253;  // LINKTYPE_NETLINK

// LINKTYPE_NETLINK's 16-byte pseudo-header: packet type (big-endian; nlmon
// writes PACKET_USER 6 for messages to user space and PACKET_KERNEL 7 for
// messages to the kernel), ARPHRD_NETLINK (824), then the netlink protocol
// in the last two bytes (big-endian).
inline constexpr std::size_t netlink_pseudo_header_size = 16;
inline constexpr std::uint16_t packet_to_user = 6;    // PACKET_USER
inline constexpr std::uint16_t packet_to_kernel = 7;  // PACKET_KERNEL
inline constexpr std::uint16_t arphrd_netlink = 824;  // ARPHRD_NETLINK

struct packet {
    std::uint32_t link_type = linktype_ethernet;
    std::uint64_t timestamp_ns = 0;
    std::uint32_t original_length = 0;
    std::vector<std::uint8_t> data;

    friend bool operator==(const packet&, const packet&) = default;
};

namespace pcap_detail {

class cursor {
  public:
    explicit cursor(std::span<const std::uint8_t> bytes) noexcept : bytes_(bytes) {}
    std::size_t at() const noexcept { return at_; }
    std::size_t left() const noexcept { return bytes_.size() - at_; }
    void seek(std::size_t to) noexcept { at_ = to <= bytes_.size() ? to : bytes_.size(); }
    bool big_endian = false;

    std::uint16_t u16(std::size_t offset) const noexcept {
        const std::uint8_t* p = bytes_.data() + offset;
        return big_endian ? static_cast<std::uint16_t>((p[0] << 8) | p[1]) : static_cast<std::uint16_t>(p[0] | (p[1] << 8));
    }
    std::uint32_t u32(std::size_t offset) const noexcept {
        const std::uint8_t* p = bytes_.data() + offset;
        return big_endian ? (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3]
                          : std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
                                (std::uint32_t{p[3]} << 24);
    }
    std::span<const std::uint8_t> bytes(std::size_t offset, std::size_t n) const noexcept {
        return bytes_.subspan(offset, n);
    }

  private:
    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
};

inline core::error malformed(const std::string& what, std::size_t offset) {
    return core::fail(core::errno_code::invalid, what + " at byte " + std::to_string(offset));
}

inline core::result<std::vector<packet>> read_classic(std::span<const std::uint8_t> bytes) {
    cursor c(bytes);
    const std::uint32_t magic = std::uint32_t{bytes[0]} | (std::uint32_t{bytes[1]} << 8) |
                                (std::uint32_t{bytes[2]} << 16) | (std::uint32_t{bytes[3]} << 24);
    bool nanoseconds = false;
    switch (magic) {
        case 0xa1b2c3d4: break;
        case 0xd4c3b2a1: c.big_endian = true; break;
        case 0xa1b23c4d: nanoseconds = true; break;
        case 0x4d3cb2a1: c.big_endian = true; nanoseconds = true; break;
        default: return malformed("not a pcap file", 0);
    }
    if (bytes.size() < 24) {
        return malformed("truncated pcap file header", 0);
    }
    const std::uint32_t snap = c.u32(16);
    const std::uint32_t link_type = c.u32(20) & 0x0fffffffU;
    std::vector<packet> out;
    c.seek(24);
    while (c.left() > 0) {
        const std::size_t record = c.at();
        if (c.left() < 16) {
            return malformed("truncated record header", record);
        }
        const std::uint32_t seconds = c.u32(record);
        const std::uint32_t fraction = c.u32(record + 4);
        const std::uint32_t captured = c.u32(record + 8);
        const std::uint32_t original = c.u32(record + 12);
        if (captured > c.left() - 16) {
            return malformed("record longer than the file", record);
        }
        if (snap != 0 && captured > snap && captured > 262144) {
            return malformed("record longer than the snapshot length", record);
        }
        packet p;
        p.link_type = link_type;
        p.timestamp_ns = std::uint64_t{seconds} * 1000000000ULL + (nanoseconds ? fraction : std::uint64_t{fraction} * 1000ULL);
        p.original_length = original;
        const auto data = c.bytes(record + 16, captured);
        p.data.assign(data.begin(), data.end());
        out.push_back(std::move(p));
        c.seek(record + 16 + captured);
    }
    return out;
}

struct interface {
    std::uint32_t link_type = 0;
    std::uint64_t units_per_second = 1000000;  // if_tsresol default: microseconds
};

inline core::result<std::vector<packet>> read_ng(std::span<const std::uint8_t> bytes) {
    cursor c(bytes);
    std::vector<packet> out;
    std::vector<interface> interfaces;
    bool in_section = false;
    while (c.left() > 0) {
        const std::size_t block = c.at();
        if (c.left() < 12) {
            return malformed("truncated block", block);
        }
        // The section header block fixes the byte order of what follows.
        const std::uint32_t raw_type = std::uint32_t{bytes[block]} | (std::uint32_t{bytes[block + 1]} << 8) |
                                       (std::uint32_t{bytes[block + 2]} << 16) | (std::uint32_t{bytes[block + 3]} << 24);
        if (raw_type == 0x0a0d0d0a) {
            const std::uint8_t* m = bytes.data() + block + 8;
            if (m[0] == 0x4d && m[1] == 0x3c && m[2] == 0x2b && m[3] == 0x1a) {
                c.big_endian = false;
            } else if (m[0] == 0x1a && m[1] == 0x2b && m[2] == 0x3c && m[3] == 0x4d) {
                c.big_endian = true;
            } else {
                return malformed("bad byte-order magic", block + 8);
            }
            interfaces.clear();
            in_section = true;
        } else if (!in_section) {
            return malformed("pcapng block before a section header", block);
        }
        const std::uint32_t type = c.u32(block);
        const std::uint32_t length = c.u32(block + 4);
        if (length < 12 || length % 4 != 0 || length > c.left()) {
            return malformed("bad block length", block + 4);
        }
        if (c.u32(block + length - 4) != length) {
            return malformed("block lengths disagree", block + length - 4);
        }
        const std::size_t body = block + 8;
        const std::size_t body_length = length - 12;
        switch (type) {
            case 0x00000001: {  // interface description
                if (body_length < 8) {
                    return malformed("truncated interface description", body);
                }
                interface i;
                i.link_type = c.u16(body);
                // Options: look for if_tsresol (9).
                std::size_t o = body + 8;
                const std::size_t end = body + body_length;
                while (end - o >= 4) {
                    const std::uint16_t code = c.u16(o);
                    const std::uint16_t option_length = c.u16(o + 2);
                    if (code == 0 || option_length > end - o - 4) {
                        break;
                    }
                    if (code == 9 && option_length >= 1) {
                        const std::uint8_t r = bytes[o + 4];
                        const std::uint8_t exponent = r & 0x7f;
                        std::uint64_t units = 1;
                        for (std::uint8_t k = 0; k < exponent && units < (1ULL << 62) / 10; ++k) {
                            units *= (r & 0x80) ? 2 : 10;
                        }
                        i.units_per_second = units;
                    }
                    o += 4 + ((option_length + 3U) & ~3U);
                }
                interfaces.push_back(i);
                break;
            }
            case 0x00000006:    // enhanced packet
            case 0x00000002: {  // obsolete packet
                if (body_length < 20) {
                    return malformed("truncated packet block", body);
                }
                const std::uint32_t index = type == 6 ? c.u32(body) : c.u16(body);
                if (index >= interfaces.size()) {
                    return malformed("packet names an unknown interface", body);
                }
                const std::uint64_t ticks = (std::uint64_t{c.u32(body + 4)} << 32) | c.u32(body + 8);
                const std::uint32_t captured = c.u32(body + 12);
                if (captured > body_length - 20) {
                    return malformed("packet data longer than its block", body + 12);
                }
                packet p;
                p.link_type = interfaces[index].link_type;
                const std::uint64_t units = interfaces[index].units_per_second;
                p.timestamp_ns = units == 0 ? 0 : (ticks / units) * 1000000000ULL + (ticks % units) * 1000000000ULL / units;
                p.original_length = c.u32(body + 16);
                const auto data = c.bytes(body + 20, captured);
                p.data.assign(data.begin(), data.end());
                out.push_back(std::move(p));
                break;
            }
            case 0x00000003: {  // simple packet
                if (body_length < 4 || interfaces.empty()) {
                    return malformed("bad simple packet block", body);
                }
                packet p;
                p.link_type = interfaces[0].link_type;
                p.original_length = c.u32(body);
                const std::size_t captured = std::min<std::size_t>(p.original_length, body_length - 4);
                const auto data = c.bytes(body + 4, captured);
                p.data.assign(data.begin(), data.end());
                out.push_back(std::move(p));
                break;
            }
            default: break;  // section header handled above; others skipped
        }
        c.seek(block + length);
    }
    return out;
}

}  // namespace pcap_detail

// Reads a classic pcap or a pcapng file.
inline core::result<std::vector<packet>> read_capture(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 4) {
        return pcap_detail::malformed("not a capture file", 0);
    }
    if (bytes[0] == 0x0a && bytes[1] == 0x0d && bytes[2] == 0x0d && bytes[3] == 0x0a) {
        return pcap_detail::read_ng(bytes);
    }
    return pcap_detail::read_classic(bytes);
}

// Writes a classic pcap file (little-endian, nanosecond timestamps unless
// `microseconds`), one link type for all packets.
inline std::vector<std::uint8_t> write_pcap(std::span<const packet> packets, std::uint32_t link_type,
                                            bool microseconds = false, std::uint32_t snap_length = 262144) {
    std::vector<std::uint8_t> out;
    auto u16 = [&out](std::uint16_t v) {
        out.push_back(static_cast<std::uint8_t>(v));
        out.push_back(static_cast<std::uint8_t>(v >> 8));
    };
    auto u32 = [&out](std::uint32_t v) {
        for (int i = 0; i < 4; ++i) {
            out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
        }
    };
    u32(microseconds ? 0xa1b2c3d4U : 0xa1b23c4dU);
    u16(2);
    u16(4);
    u32(0);
    u32(0);
    u32(snap_length);
    u32(link_type);
    for (const auto& p : packets) {
        const std::uint64_t seconds = p.timestamp_ns / 1000000000ULL;
        const std::uint64_t fraction = p.timestamp_ns % 1000000000ULL;
        u32(static_cast<std::uint32_t>(seconds));
        u32(static_cast<std::uint32_t>(microseconds ? fraction / 1000ULL : fraction));
        const auto captured = static_cast<std::uint32_t>(std::min<std::size_t>(p.data.size(), snap_length));
        u32(captured);
        u32(std::max<std::uint32_t>(p.original_length, static_cast<std::uint32_t>(p.data.size())));
        out.insert(out.end(), p.data.begin(), p.data.begin() + captured);
    }
    return out;
}

// LINKTYPE_NETLINK: the pseudo-header for a message of `protocol` going to
// the kernel (a request) or to user space (a reply).
inline std::vector<std::uint8_t> netlink_pseudo_header(bool to_kernel, std::uint16_t protocol) {
    std::vector<std::uint8_t> h(netlink_pseudo_header_size, 0);
    const std::uint16_t direction = to_kernel ? packet_to_kernel : packet_to_user;
    h[0] = static_cast<std::uint8_t>(direction >> 8);
    h[1] = static_cast<std::uint8_t>(direction);
    h[2] = static_cast<std::uint8_t>(arphrd_netlink >> 8);
    h[3] = static_cast<std::uint8_t>(arphrd_netlink & 0xff);
    h[14] = static_cast<std::uint8_t>(protocol >> 8);
    h[15] = static_cast<std::uint8_t>(protocol);
    return h;
}

// A netlink packet of a capture, split into its pseudo-header fields.
struct netlink_record {
    bool to_kernel = false;
    std::uint16_t protocol = 0;
    std::span<const std::uint8_t> messages;
};

inline std::optional<netlink_record> as_netlink(const packet& p) {
    if (p.link_type != linktype_netlink || p.data.size() < netlink_pseudo_header_size) {
        return std::nullopt;
    }
    netlink_record r;
    const auto direction = static_cast<std::uint16_t>((p.data[0] << 8) | p.data[1]);
    r.to_kernel = direction == packet_to_kernel;
    r.protocol = static_cast<std::uint16_t>((p.data[14] << 8) | p.data[15]);
    r.messages = std::span<const std::uint8_t>(p.data).subspan(netlink_pseudo_header_size);
    return r;
}

}  // namespace netkit::io
