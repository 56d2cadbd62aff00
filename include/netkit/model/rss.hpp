// Receive-side scaling of the software NIC (softnic.md SN-RSS-01…08): the
// Toeplitz hash as the specification defines it, bit by bit, the input
// tuples in network byte order, and queue selection through the indirection
// table. This is the scalar reference; the packet path may compute the same
// values faster but must agree with it.
#pragma once

#include <netkit/model/frame.hpp>
#include <netkit/model/queues.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace netkit::model::rss {

// SN-RSS-02: for every set input bit j (most significant bit of byte 0
// first), xor in the 32 key bits starting at bit j. Inputs are at most 36
// bytes, so key bits j … j+31 always lie inside the 40-byte key.
constexpr std::uint32_t toeplitz(const rss_key& key, std::span<const std::uint8_t> input) noexcept {
    std::uint32_t result = 0;
    // window = key bits j … j+31; the next key byte enters from the right.
    std::uint32_t window = (std::uint32_t{key[0]} << 24) | (std::uint32_t{key[1]} << 16) |
                           (std::uint32_t{key[2]} << 8) | std::uint32_t{key[3]};
    for (std::size_t byte = 0; byte < input.size(); ++byte) {
        const std::uint8_t next = byte + 4 < key.size() ? key[byte + 4] : 0;
        for (int bit = 7; bit >= 0; --bit) {
            if ((input[byte] >> bit) & 1U) {
                result ^= window;
            }
            window = (window << 1) | ((next >> bit) & 1U);
        }
    }
    return result;
}

// The fields RSS reads from a frame.
struct flow {
    enum class family : std::uint8_t { none, ipv4, ipv6 };
    family ip = family::none;
    bool fragment = false;
    std::uint8_t protocol = 0;  // 6 TCP, 17 UDP
    std::vector<std::uint8_t> addresses;  // source ‖ destination, network order
    std::optional<std::array<std::uint8_t, 4>> ports;  // source ‖ destination
};

// A small scalar parser: Ethernet, up to two VLAN tags (802.1Q / 802.1ad),
// IPv4 (options skipped; fragments have no ports), IPv6 (TCP or UDP directly
// after the fixed header; other next headers hash the 2-tuple). Anything
// truncated or unknown is "not IP".
inline flow parse_flow(std::span<const std::uint8_t> bytes) {
    flow out;
    std::size_t at = 12;
    auto u16 = [&bytes](std::size_t i) { return static_cast<std::uint16_t>((bytes[i] << 8) | bytes[i + 1]); };
    if (bytes.size() < at + 2) {
        return out;
    }
    std::uint16_t type = u16(at);
    for (int tags = 0; tags < 2 && (type == 0x8100 || type == 0x88a8); ++tags) {
        at += 4;
        if (bytes.size() < at + 2) {
            return out;
        }
        type = u16(at);
    }
    at += 2;
    std::size_t l4 = 0;
    if (type == 0x0800) {
        if (bytes.size() < at + 20 || (bytes[at] >> 4) != 4) {
            return out;
        }
        const std::size_t header = std::size_t{bytes[at] & 0x0fU} * 4;
        if (header < 20 || bytes.size() < at + header) {
            return out;
        }
        out.ip = flow::family::ipv4;
        out.protocol = bytes[at + 9];
        out.fragment = (u16(at + 6) & 0x3fff) != 0;  // MF or a fragment offset
        out.addresses.assign(bytes.begin() + static_cast<std::ptrdiff_t>(at + 12),
                             bytes.begin() + static_cast<std::ptrdiff_t>(at + 20));
        l4 = at + header;
    } else if (type == 0x86dd) {
        if (bytes.size() < at + 40 || (bytes[at] >> 4) != 6) {
            return out;
        }
        out.ip = flow::family::ipv6;
        out.protocol = bytes[at + 6];
        out.fragment = out.protocol == 44;
        out.addresses.assign(bytes.begin() + static_cast<std::ptrdiff_t>(at + 8),
                             bytes.begin() + static_cast<std::ptrdiff_t>(at + 40));
        l4 = at + 40;
    } else {
        return out;
    }
    if (!out.fragment && (out.protocol == 6 || out.protocol == 17) && bytes.size() >= l4 + 4) {
        out.ports = std::array<std::uint8_t, 4>{bytes[l4], bytes[l4 + 1], bytes[l4 + 2], bytes[l4 + 3]};
    }
    return out;
}

// SN-RSS-03/04: the tuple this NIC hashes for the flow, or nullopt (not IP).
inline std::optional<std::vector<std::uint8_t>> input_tuple(const rss_fields& fields, const flow& f) {
    if (f.ip == flow::family::none) {
        return std::nullopt;
    }
    const bool v4 = f.ip == flow::family::ipv4;
    rss_tuple choice = v4 ? fields.other4 : fields.other6;
    if (!f.fragment && f.protocol == 6) {
        choice = v4 ? fields.tcp4 : fields.tcp6;
    } else if (!f.fragment && f.protocol == 17) {
        choice = v4 ? fields.udp4 : fields.udp6;
    }
    if (choice == rss_tuple::none) {
        return std::nullopt;
    }
    std::vector<std::uint8_t> tuple = f.addresses;
    if (choice == rss_tuple::four_tuple && f.ports) {
        tuple.insert(tuple.end(), f.ports->begin(), f.ports->end());
    }
    return tuple;
}

// SN-RSS-05: entry i = i mod real rx.
inline std::vector<std::uint32_t> default_table(std::uint32_t size, std::uint32_t real_rx) {
    std::vector<std::uint32_t> table(size);
    for (std::uint32_t i = 0; i < size; ++i) {
        table[i] = real_rx == 0 ? 0 : i % real_rx;
    }
    return table;
}

// SN-RSS-07 (and SN-RSS-04: non-IP to queue 0).
inline std::uint32_t select_queue(const softnic_state& nic, std::span<const std::uint8_t> bytes) {
    const auto tuple = input_tuple(nic.fields, parse_flow(bytes));
    if (!tuple || nic.indirection.empty()) {
        return 0;
    }
    const std::uint32_t hash = toeplitz(nic.key, *tuple);
    return nic.indirection[hash % nic.indirection.size()];
}

}  // namespace netkit::model::rss
