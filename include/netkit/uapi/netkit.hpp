// The netkit device's user-visible numbers: program verdicts, device mode,
// pairing and scrubbing enums, the IFLA_NETKIT_* attribute ids carried in
// IFLA_LINKINFO/IFLA_INFO_DATA, creation defaults, names, queue limits, the
// Ethernet sizes the device is set up with and the XDP feature bits it
// advertises (device.md NK-UAPI-01…10). Mirrors `enum netkit_action`,
// `enum netkit_mode`, `enum netkit_pairing`, `enum netkit_scrub` and the
// IFLA_NETKIT_* enum of <linux/if_link.h>, NETDEV_XDP_ACT_* of
// <linux/netdev.h>, ETH_* of <linux/if_ether.h>, and the constants of
// drivers/net/netkit.c that have no uapi header. Kernel names are translated;
// each one is written next to its value, `name()` returns it for printers,
// and uapi/check_system.hpp compares the values with the system headers.
#pragma once

#include <cstdint>
#include <string_view>

namespace netkit::uapi {

// NK-UAPI-01. Numerically equal to TCX_NEXT/PASS/DROP/REDIRECT and to
// TC_ACT_UNSPEC/OK/SHOT/REDIRECT, so a tc program keeps its meaning on netkit.
// pass and drop are also the only valid device policies.
enum class action : std::int32_t {
    next = -1,     // NETKIT_NEXT
    pass = 0,      // NETKIT_PASS
    drop = 2,      // NETKIT_DROP
    redirect = 7,  // NETKIT_REDIRECT
};

constexpr std::string_view name(action value) noexcept {
    switch (value) {
        case action::next: return "NETKIT_NEXT";
        case action::pass: return "NETKIT_PASS";
        case action::drop: return "NETKIT_DROP";
        case action::redirect: return "NETKIT_REDIRECT";
    }
    return "unknown";
}

// NK-UAPI-02. l3 devices carry no MAC address and keep IFF_NOARP.
enum class mode : std::uint32_t {
    l2 = 0,  // NETKIT_L2
    l3 = 1,  // NETKIT_L3
};

constexpr std::string_view name(mode value) noexcept {
    switch (value) {
        case mode::l2: return "NETKIT_L2";
        case mode::l3: return "NETKIT_L3";
    }
    return "unknown";
}

// NK-UAPI-03.
enum class pairing : std::uint32_t {
    pair = 0,    // NETKIT_DEVICE_PAIR
    single = 1,  // NETKIT_DEVICE_SINGLE
};

constexpr std::string_view name(pairing value) noexcept {
    switch (value) {
        case pairing::pair: return "NETKIT_DEVICE_PAIR";
        case pairing::single: return "NETKIT_DEVICE_SINGLE";
    }
    return "unknown";
}

// NK-UAPI-04. `standard` zeroes mark and priority before the programs run,
// and only when the two devices sit in different network namespaces
// (NK-XMIT-06); `none` lets the program read what the sender set.
enum class scrub : std::uint32_t {
    none = 0,      // NETKIT_SCRUB_NONE
    standard = 1,  // NETKIT_SCRUB_DEFAULT
};

constexpr std::string_view name(scrub value) noexcept {
    switch (value) {
        case scrub::none: return "NETKIT_SCRUB_NONE";
        case scrub::standard: return "NETKIT_SCRUB_DEFAULT";
    }
    return "unknown";
}

// NK-UAPI-05. Attribute ids inside IFLA_INFO_DATA of kind "netkit"; the
// payload types are in NK-UAPI-06 (peer_info: ifinfomsg + IFLA_*; primary: u8,
// read-only; policies, mode, scrubs, pairing: u32; headroom, tailroom: u16).
enum class netkit_attr : std::uint16_t {
    unspec = 0,       // IFLA_NETKIT_UNSPEC
    peer_info = 1,    // IFLA_NETKIT_PEER_INFO
    primary = 2,      // IFLA_NETKIT_PRIMARY
    policy = 3,       // IFLA_NETKIT_POLICY
    peer_policy = 4,  // IFLA_NETKIT_PEER_POLICY
    mode = 5,         // IFLA_NETKIT_MODE
    scrub = 6,        // IFLA_NETKIT_SCRUB
    peer_scrub = 7,   // IFLA_NETKIT_PEER_SCRUB
    headroom = 8,     // IFLA_NETKIT_HEADROOM
    tailroom = 9,     // IFLA_NETKIT_TAILROOM
    pairing = 10,     // IFLA_NETKIT_PAIRING
};

// IFLA_NETKIT_MAX: liberal parsing ignores ids above it (NK-CRT-02).
inline constexpr netkit_attr netkit_attr_max = netkit_attr::pairing;

constexpr std::string_view name(netkit_attr value) noexcept {
    switch (value) {
        case netkit_attr::unspec: return "IFLA_NETKIT_UNSPEC";
        case netkit_attr::peer_info: return "IFLA_NETKIT_PEER_INFO";
        case netkit_attr::primary: return "IFLA_NETKIT_PRIMARY";
        case netkit_attr::policy: return "IFLA_NETKIT_POLICY";
        case netkit_attr::peer_policy: return "IFLA_NETKIT_PEER_POLICY";
        case netkit_attr::mode: return "IFLA_NETKIT_MODE";
        case netkit_attr::scrub: return "IFLA_NETKIT_SCRUB";
        case netkit_attr::peer_scrub: return "IFLA_NETKIT_PEER_SCRUB";
        case netkit_attr::headroom: return "IFLA_NETKIT_HEADROOM";
        case netkit_attr::tailroom: return "IFLA_NETKIT_TAILROOM";
        case netkit_attr::pairing: return "IFLA_NETKIT_PAIRING";
    }
    return "unknown";
}

// NK-UAPI-06: PEER_INFO must hold at least the peer's ifinfomsg
// (sizeof(struct ifinfomsg), uapi/netlink.hpp interface_info_message_size).
inline constexpr std::uint32_t peer_info_min_length = 16;

// Creation defaults (NK-UAPI-01…04): what a request that omits the attribute gets.
inline constexpr mode default_mode = mode::l3;
inline constexpr pairing default_pairing = pairing::pair;
inline constexpr scrub default_scrub = scrub::standard;
inline constexpr action default_policy = action::pass;

// NK-UAPI-07.
inline constexpr std::string_view link_kind = "netkit";               // IFLA_INFO_KIND
inline constexpr std::string_view driver_name = "netkit";             // ethtool driver info
inline constexpr std::string_view module_alias = "rtnl-link-netkit";  // MODULE_ALIAS_RTNL_LINK
inline constexpr std::string_view default_name_template = "nk%d";     // both devices of a pair

// NK-UAPI-08. Limits on the allocated counts; whatever was allocated, a fresh
// device starts with one real TX and one real RX queue and grows its RX side
// only through queue creation (lease.md QL-NKQC). Profiles orig-2023 and
// intermediate start with real = allocated instead (README profile row 5).
inline constexpr std::uint32_t max_tx_queues = 1;     // NETKIT_NUM_TX_QUEUES_MAX
inline constexpr std::uint32_t max_rx_queues = 1024;  // NETKIT_NUM_RX_QUEUES_MAX
inline constexpr std::uint32_t initial_real_tx_queues = 1;
inline constexpr std::uint32_t initial_real_rx_queues = 1;

// NK-UAPI-09. Sizes in bytes.
inline constexpr std::uint32_t ethernet_header_size = 14;   // ETH_HLEN
inline constexpr std::uint32_t ethernet_address_size = 6;   // ETH_ALEN
inline constexpr std::uint32_t default_mtu = 1500;          // ETH_DATA_LEN
inline constexpr std::uint32_t min_mtu = 68;                // ETH_MIN_MTU
inline constexpr std::uint32_t max_mtu = 65535;             // ETH_MAX_MTU
inline constexpr std::uint32_t gso_max_size = 65536;        // GSO_MAX_SIZE (kernel-internal)
// NET_SKB_PAD (kernel-internal) is max(32, L1 cache line); the model fixes
// the x86-64 value so headroom arithmetic does not depend on the host.
inline constexpr std::uint32_t skb_headroom_pad = 64;

// NK-UAPI-10, softnic.md SN-GEN-06. Bits of a device's xdp_features (the
// netdev family's xdp-act flags). Only the bits the spec uses are listed.
enum class xdp_feature : std::uint32_t {
    basic = 1,              // NETDEV_XDP_ACT_BASIC: XDP_ABORTED/DROP/PASS/TX
    redirect = 2,           // NETDEV_XDP_ACT_REDIRECT: programs may return XDP_REDIRECT
    redirect_target = 4,    // NETDEV_XDP_ACT_NDO_XMIT: has ndo_xdp_xmit, accepts redirected frames
    af_xdp_zero_copy = 8,   // NETDEV_XDP_ACT_XSK_ZEROCOPY
    hardware_offload = 16,  // NETDEV_XDP_ACT_HW_OFFLOAD
};

constexpr xdp_feature operator|(xdp_feature a, xdp_feature b) noexcept {
    return static_cast<xdp_feature>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
constexpr xdp_feature operator&(xdp_feature a, xdp_feature b) noexcept {
    return static_cast<xdp_feature>(static_cast<std::uint32_t>(a) & static_cast<std::uint32_t>(b));
}
constexpr xdp_feature operator~(xdp_feature a) noexcept {
    return static_cast<xdp_feature>(~static_cast<std::uint32_t>(a));
}
// True when every bit of `bits` is set in `set`.
constexpr bool contains(xdp_feature set, xdp_feature bits) noexcept { return (set & bits) == bits; }

// Names single bits; a combination is "unknown" (printers split sets into bits).
constexpr std::string_view name(xdp_feature value) noexcept {
    switch (value) {
        case xdp_feature::basic: return "NETDEV_XDP_ACT_BASIC";
        case xdp_feature::redirect: return "NETDEV_XDP_ACT_REDIRECT";
        case xdp_feature::redirect_target: return "NETDEV_XDP_ACT_NDO_XMIT";
        case xdp_feature::af_xdp_zero_copy: return "NETDEV_XDP_ACT_XSK_ZEROCOPY";
        case xdp_feature::hardware_offload: return "NETDEV_XDP_ACT_HW_OFFLOAD";
    }
    return "unknown";
}

// NETDEV_XDP_ACT_XSK (kernel-internal): what a device must advertise for
// netkit to forward AF_XDP zero-copy pool setup to it (lease.md QL-XSK-08).
inline constexpr xdp_feature af_xdp_feature_set =
    xdp_feature::basic | xdp_feature::redirect | xdp_feature::af_xdp_zero_copy;

// NK-UAPI-10, NK-SGL-03: single devices advertise the AF_XDP set (= 11), pair
// devices nothing. Profile v7-jan2026 gives every netkit device the set
// (README profile row 6); the profile, not this header, decides that.
inline constexpr xdp_feature single_device_xdp_features = af_xdp_feature_set;
inline constexpr xdp_feature pair_device_xdp_features = xdp_feature{};

}  // namespace netkit::uapi
