// A frame on its way through a device, with the socket-buffer metadata the
// netkit transmit path reads, scrubs or hands to programs (device.md
// NK-XMIT-01…17, mprog.md MP-63): the bytes (Ethernet header first), mark,
// priority, packet type, protocol, timestamp, and the per-packet state the
// generic scrub clears (NK-XMIT-03). What a program may change is exactly
// what mprog.md MP-63 lists; everything else is read-only to it.
#pragma once

#include <netkit/core/config.hpp>
#include <netkit/core/enum.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace netkit::model {

// PACKET_HOST … PACKET_OTHERHOST, in the kernel's numeric order.
NETKIT_ENUM(packet_type, std::uint8_t, host, broadcast, multicast, other_host)

using mac_address = std::array<std::uint8_t, 6>;

inline constexpr mac_address zero_mac{};
inline constexpr mac_address broadcast_mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

constexpr bool is_multicast(const mac_address& mac) noexcept { return (mac[0] & 0x01) != 0; }
constexpr bool is_zero(const mac_address& mac) noexcept { return mac == zero_mac; }
// is_valid_ether_addr: neither all-zero nor multicast (NK-CRT-06, NK-RT-02).
constexpr bool is_valid_unicast(const mac_address& mac) noexcept { return !is_zero(mac) && !is_multicast(mac); }

struct frame {
    std::vector<std::uint8_t> bytes;  // from the Ethernet header on
    std::uint32_t mark = 0;
    std::uint32_t priority = 0;
    packet_type type = packet_type::host;
    std::uint16_t protocol = 0;  // skb->protocol, host order (0x0800 for IPv4)
    std::uint64_t timestamp = 0;
    bool timestamp_is_delivery_time = false;  // kept across netns (NK-XMIT-05)

    // State the generic scrub clears before programs run (NK-XMIT-03).
    std::int32_t input_ifindex = 0;
    bool ignore_df = false;
    bool has_route = false;
    bool has_extensions = false;
    bool has_conntrack = false;
    bool nf_trace = false;
    bool offload_forward_mark = false;
    bool ipvs_property = false;
    bool skip_egress_hooks = false;  // set by netkit (NK-XMIT-04)

    // Zero-copy fragments whose orphaning fails (NK-XMIT-02 (d)), and how
    // many leading bytes can be made linear (NK-XMIT-02 (c)); both are fault
    // models: an ordinary frame is fully linear and has no such fragments.
    bool unorphanable_zero_copy_fragments = false;
    std::optional<std::uint32_t> linear_limit;

    friend bool operator==(const frame&, const frame&) = default;

    std::uint32_t length() const noexcept { return static_cast<std::uint32_t>(bytes.size()); }

    mac_address destination() const noexcept {
        mac_address out{};
        for (std::size_t i = 0; i < out.size() && i < bytes.size(); ++i) {
            out[i] = bytes[i];
        }
        return out;
    }
};

// An Ethernet frame: destination, source, EtherType, then the payload.
inline frame ethernet_frame(const mac_address& destination, const mac_address& source, std::uint16_t ether_type,
                            std::size_t payload_size = 46) {
    frame f;
    f.bytes.reserve(14 + payload_size);
    f.bytes.insert(f.bytes.end(), destination.begin(), destination.end());
    f.bytes.insert(f.bytes.end(), source.begin(), source.end());
    f.bytes.push_back(static_cast<std::uint8_t>(ether_type >> 8));
    f.bytes.push_back(static_cast<std::uint8_t>(ether_type & 0xff));
    f.bytes.resize(14 + payload_size, 0);
    if (ether_type == 0x0800 && payload_size >= 20) {
        f.bytes[14] = 0x45;  // IPv4, 20-byte header
    }
    f.protocol = ether_type;
    return f;
}

}  // namespace netkit::model
