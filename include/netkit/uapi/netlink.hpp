// The netlink wire numbers the front end parses and emits: socket protocols
// and options, nlmsghdr/nlattr sizes and alignment, NLM_F_* flags, NLMSG_*
// control messages, extended-ack TLV ids, attribute type bits, the policy
// description ids of NLMSGERR_ATTR_POLICY (netlink.md NL-GEN, NL-HDR,
// NL-FLAG, NL-ERR, NL-EXT, NL-ATTR), and the rtnetlink link vocabulary:
// RTM_* types, ifinfomsg, IFF_* flags, IFLA_* and IFLA_INFO_* ids,
// ARPHRD_*, AF_UNSPEC and VETH_INFO_PEER (NL-RT-01…13, device.md NK-ENV-07).
// Mirrors <linux/netlink.h>, <linux/rtnetlink.h>, <linux/if_link.h>,
// <linux/if.h>, <linux/if_arp.h>, <linux/veth.h> and <sys/socket.h>. Kernel
// names are translated; each one is written next to its value, `name()`
// returns it for printers, and uapi/check_system.hpp compares the values with
// the system headers.
#pragma once

#include <cstdint>
#include <string_view>

namespace netkit::uapi {

// ---------------------------------------------------------------------------
// Sockets (NL-GEN-01, NL-ERR-02, NL-EXT-01)

// The socket(2) protocol argument of the two front ends.
enum class netlink_protocol : std::int32_t {
    route = 0,     // NETLINK_ROUTE
    generic = 16,  // NETLINK_GENERIC
};

constexpr std::string_view name(netlink_protocol value) noexcept {
    switch (value) {
        case netlink_protocol::route: return "NETLINK_ROUTE";
        case netlink_protocol::generic: return "NETLINK_GENERIC";
    }
    return "unknown";
}

// setsockopt(SOL_NETLINK) options that change what an acknowledgement carries.
enum class netlink_socket_option : std::int32_t {
    capped_ack = 10,    // NETLINK_CAP_ACK: error acks copy only the request header
    extended_ack = 11,  // NETLINK_EXT_ACK: acks carry error_attr TLVs
};

constexpr std::string_view name(netlink_socket_option value) noexcept {
    switch (value) {
        case netlink_socket_option::capped_ack: return "NETLINK_CAP_ACK";
        case netlink_socket_option::extended_ack: return "NETLINK_EXT_ACK";
    }
    return "unknown";
}

// ---------------------------------------------------------------------------
// Message header (NL-HDR-01, NL-HDR-02, NL-HDR-04)

// struct nlmsghdr: u32 len, u16 type, u16 flags, u32 seq, u32 pid.
inline constexpr std::uint32_t message_header_size = 16;  // NLMSG_HDRLEN
inline constexpr std::uint32_t message_alignment = 4;     // NLMSG_ALIGNTO

// NLMSG_ALIGN: where the next message of a batch starts.
constexpr std::uint32_t message_align(std::uint32_t length) noexcept {
    return (length + message_alignment - 1) & ~(message_alignment - 1);
}

// NLMSG_MIN_TYPE: types below it are control messages and never executed.
inline constexpr std::uint16_t min_request_type = 0x10;

// NL-ERR-01.
enum class control_message : std::uint16_t {
    noop = 1,     // NLMSG_NOOP
    error = 2,    // NLMSG_ERROR: an acknowledgement or an error
    done = 3,     // NLMSG_DONE: end of a dump
    overrun = 4,  // NLMSG_OVERRUN
};

constexpr std::string_view name(control_message value) noexcept {
    switch (value) {
        case control_message::noop: return "NLMSG_NOOP";
        case control_message::error: return "NLMSG_ERROR";
        case control_message::done: return "NLMSG_DONE";
        case control_message::overrun: return "NLMSG_OVERRUN";
    }
    return "unknown";
}

// NL-ERR-02: struct nlmsgerr = s32 error + the request's nlmsghdr.
inline constexpr std::uint32_t error_message_size = 20;

// ---------------------------------------------------------------------------
// nlmsg_flags (NL-FLAG-01…04, NL-ERR-03)
//
// Bits 0x100…0x800 mean different things in GET requests, NEW requests and
// acknowledgements, so each reading has its own type; all of them are read
// from and written to the same u16 field.

// The low bits, meaningful in every message.
enum class message_flag : std::uint16_t {
    request = 0x1,            // NLM_F_REQUEST
    multipart = 0x2,          // NLM_F_MULTI: one message of a dump
    acknowledge = 0x4,        // NLM_F_ACK
    echo = 0x8,               // NLM_F_ECHO
    dump_interrupted = 0x10,  // NLM_F_DUMP_INTR
    dump_filtered = 0x20,     // NLM_F_DUMP_FILTERED
};

// Modifiers of GET requests. rtnetlink treats either dump bit as a dump,
// generic netlink only both (NL-FLAG-02).
enum class get_flag : std::uint16_t {
    root = 0x100,    // NLM_F_ROOT
    match = 0x200,   // NLM_F_MATCH
    atomic = 0x400,  // NLM_F_ATOMIC
    dump = 0x300,    // NLM_F_DUMP = root | match
};

// Modifiers of NEW requests (NL-FLAG-03).
enum class new_flag : std::uint16_t {
    replace = 0x100,    // NLM_F_REPLACE
    exclusive = 0x200,  // NLM_F_EXCL
    create = 0x400,     // NLM_F_CREATE
    append = 0x800,     // NLM_F_APPEND
};

// Flags of an NLMSG_ERROR acknowledgement (NL-ERR-03).
enum class ack_flag : std::uint16_t {
    capped = 0x100,             // NLM_F_CAPPED: only the request header was copied
    extended_ack_tlvs = 0x200,  // NLM_F_ACK_TLVS
};

constexpr message_flag operator|(message_flag a, message_flag b) noexcept {
    return static_cast<message_flag>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}
constexpr message_flag operator&(message_flag a, message_flag b) noexcept {
    return static_cast<message_flag>(static_cast<std::uint16_t>(a) & static_cast<std::uint16_t>(b));
}
constexpr message_flag operator~(message_flag a) noexcept {
    return static_cast<message_flag>(static_cast<std::uint16_t>(~static_cast<std::uint16_t>(a)));
}
// True when every bit of `bits` is set in `set`.
constexpr bool contains(message_flag set, message_flag bits) noexcept { return (set & bits) == bits; }

constexpr get_flag operator|(get_flag a, get_flag b) noexcept {
    return static_cast<get_flag>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}
constexpr get_flag operator&(get_flag a, get_flag b) noexcept {
    return static_cast<get_flag>(static_cast<std::uint16_t>(a) & static_cast<std::uint16_t>(b));
}
constexpr get_flag operator~(get_flag a) noexcept {
    return static_cast<get_flag>(static_cast<std::uint16_t>(~static_cast<std::uint16_t>(a)));
}
constexpr bool contains(get_flag set, get_flag bits) noexcept { return (set & bits) == bits; }

constexpr new_flag operator|(new_flag a, new_flag b) noexcept {
    return static_cast<new_flag>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}
constexpr new_flag operator&(new_flag a, new_flag b) noexcept {
    return static_cast<new_flag>(static_cast<std::uint16_t>(a) & static_cast<std::uint16_t>(b));
}
constexpr new_flag operator~(new_flag a) noexcept {
    return static_cast<new_flag>(static_cast<std::uint16_t>(~static_cast<std::uint16_t>(a)));
}
constexpr bool contains(new_flag set, new_flag bits) noexcept { return (set & bits) == bits; }

constexpr ack_flag operator|(ack_flag a, ack_flag b) noexcept {
    return static_cast<ack_flag>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}
constexpr ack_flag operator&(ack_flag a, ack_flag b) noexcept {
    return static_cast<ack_flag>(static_cast<std::uint16_t>(a) & static_cast<std::uint16_t>(b));
}
constexpr ack_flag operator~(ack_flag a) noexcept {
    return static_cast<ack_flag>(static_cast<std::uint16_t>(~static_cast<std::uint16_t>(a)));
}
constexpr bool contains(ack_flag set, ack_flag bits) noexcept { return (set & bits) == bits; }

// Names single bits (and NLM_F_DUMP); other combinations are "unknown".
constexpr std::string_view name(message_flag value) noexcept {
    switch (value) {
        case message_flag::request: return "NLM_F_REQUEST";
        case message_flag::multipart: return "NLM_F_MULTI";
        case message_flag::acknowledge: return "NLM_F_ACK";
        case message_flag::echo: return "NLM_F_ECHO";
        case message_flag::dump_interrupted: return "NLM_F_DUMP_INTR";
        case message_flag::dump_filtered: return "NLM_F_DUMP_FILTERED";
    }
    return "unknown";
}

constexpr std::string_view name(get_flag value) noexcept {
    switch (value) {
        case get_flag::root: return "NLM_F_ROOT";
        case get_flag::match: return "NLM_F_MATCH";
        case get_flag::atomic: return "NLM_F_ATOMIC";
        case get_flag::dump: return "NLM_F_DUMP";
    }
    return "unknown";
}

constexpr std::string_view name(new_flag value) noexcept {
    switch (value) {
        case new_flag::replace: return "NLM_F_REPLACE";
        case new_flag::exclusive: return "NLM_F_EXCL";
        case new_flag::create: return "NLM_F_CREATE";
        case new_flag::append: return "NLM_F_APPEND";
    }
    return "unknown";
}

constexpr std::string_view name(ack_flag value) noexcept {
    switch (value) {
        case ack_flag::capped: return "NLM_F_CAPPED";
        case ack_flag::extended_ack_tlvs: return "NLM_F_ACK_TLVS";
    }
    return "unknown";
}

// ---------------------------------------------------------------------------
// Extended acknowledgements (NL-EXT-02…06)

// TLVs after the nlmsgerr of an acknowledgement, emitted in the order
// message, offset, policy, missing_type, missing_nest.
enum class error_attr : std::uint16_t {
    unused = 0,        // NLMSGERR_ATTR_UNUSED
    message = 1,       // NLMSGERR_ATTR_MSG (NUL-terminated string)
    offset = 2,        // NLMSGERR_ATTR_OFFS (u32, from the request's nlmsghdr)
    cookie = 3,        // NLMSGERR_ATTR_COOKIE (never emitted by the model)
    policy = 4,        // NLMSGERR_ATTR_POLICY (nest of policy_type_attr)
    missing_type = 5,  // NLMSGERR_ATTR_MISS_TYPE (u32)
    missing_nest = 6,  // NLMSGERR_ATTR_MISS_NEST (u32 offset)
};

inline constexpr error_attr error_attr_max = error_attr::missing_nest;  // NLMSGERR_ATTR_MAX

constexpr std::string_view name(error_attr value) noexcept {
    switch (value) {
        case error_attr::unused: return "NLMSGERR_ATTR_UNUSED";
        case error_attr::message: return "NLMSGERR_ATTR_MSG";
        case error_attr::offset: return "NLMSGERR_ATTR_OFFS";
        case error_attr::cookie: return "NLMSGERR_ATTR_COOKIE";
        case error_attr::policy: return "NLMSGERR_ATTR_POLICY";
        case error_attr::missing_type: return "NLMSGERR_ATTR_MISS_TYPE";
        case error_attr::missing_nest: return "NLMSGERR_ATTR_MISS_NEST";
    }
    return "unknown";
}

// NL-EXT-06. Attributes inside NLMSGERR_ATTR_POLICY (enum
// netlink_policy_type_attr), up to the last one the model emits; min_length
// is never emitted but keeps the ids contiguous.
enum class policy_type_attr : std::uint16_t {
    unspec = 0,              // NL_POLICY_TYPE_ATTR_UNSPEC
    type = 1,                // NL_POLICY_TYPE_ATTR_TYPE (u32, an attribute_type)
    min_value_signed = 2,    // NL_POLICY_TYPE_ATTR_MIN_VALUE_S (s64)
    max_value_signed = 3,    // NL_POLICY_TYPE_ATTR_MAX_VALUE_S (s64)
    min_value_unsigned = 4,  // NL_POLICY_TYPE_ATTR_MIN_VALUE_U (u64)
    max_value_unsigned = 5,  // NL_POLICY_TYPE_ATTR_MAX_VALUE_U (u64)
    min_length = 6,          // NL_POLICY_TYPE_ATTR_MIN_LENGTH (u32)
    max_length = 7,          // NL_POLICY_TYPE_ATTR_MAX_LENGTH (u32)
};

constexpr std::string_view name(policy_type_attr value) noexcept {
    switch (value) {
        case policy_type_attr::unspec: return "NL_POLICY_TYPE_ATTR_UNSPEC";
        case policy_type_attr::type: return "NL_POLICY_TYPE_ATTR_TYPE";
        case policy_type_attr::min_value_signed: return "NL_POLICY_TYPE_ATTR_MIN_VALUE_S";
        case policy_type_attr::max_value_signed: return "NL_POLICY_TYPE_ATTR_MAX_VALUE_S";
        case policy_type_attr::min_value_unsigned: return "NL_POLICY_TYPE_ATTR_MIN_VALUE_U";
        case policy_type_attr::max_value_unsigned: return "NL_POLICY_TYPE_ATTR_MAX_VALUE_U";
        case policy_type_attr::min_length: return "NL_POLICY_TYPE_ATTR_MIN_LENGTH";
        case policy_type_attr::max_length: return "NL_POLICY_TYPE_ATTR_MAX_LENGTH";
    }
    return "unknown";
}

// NL-EXT-06, NL-POL-03. The value of policy_type_attr::type (enum
// netlink_attribute_type). The spec emits u8, u16, u32, s32, binary, string
// and nested; the rest keep the ids contiguous and describe every
// fixed-size scalar a policy can name.
enum class attribute_type : std::uint32_t {
    invalid = 0,        // NL_ATTR_TYPE_INVALID
    flag = 1,           // NL_ATTR_TYPE_FLAG
    u8 = 2,             // NL_ATTR_TYPE_U8
    u16 = 3,            // NL_ATTR_TYPE_U16
    u32 = 4,            // NL_ATTR_TYPE_U32
    u64 = 5,            // NL_ATTR_TYPE_U64
    s8 = 6,             // NL_ATTR_TYPE_S8
    s16 = 7,            // NL_ATTR_TYPE_S16
    s32 = 8,            // NL_ATTR_TYPE_S32
    s64 = 9,            // NL_ATTR_TYPE_S64
    binary = 10,        // NL_ATTR_TYPE_BINARY
    string = 11,        // NL_ATTR_TYPE_STRING
    nul_string = 12,    // NL_ATTR_TYPE_NUL_STRING
    nested = 13,        // NL_ATTR_TYPE_NESTED
    nested_array = 14,  // NL_ATTR_TYPE_NESTED_ARRAY
    bitfield32 = 15,    // NL_ATTR_TYPE_BITFIELD32
};

constexpr std::string_view name(attribute_type value) noexcept {
    switch (value) {
        case attribute_type::invalid: return "NL_ATTR_TYPE_INVALID";
        case attribute_type::flag: return "NL_ATTR_TYPE_FLAG";
        case attribute_type::u8: return "NL_ATTR_TYPE_U8";
        case attribute_type::u16: return "NL_ATTR_TYPE_U16";
        case attribute_type::u32: return "NL_ATTR_TYPE_U32";
        case attribute_type::u64: return "NL_ATTR_TYPE_U64";
        case attribute_type::s8: return "NL_ATTR_TYPE_S8";
        case attribute_type::s16: return "NL_ATTR_TYPE_S16";
        case attribute_type::s32: return "NL_ATTR_TYPE_S32";
        case attribute_type::s64: return "NL_ATTR_TYPE_S64";
        case attribute_type::binary: return "NL_ATTR_TYPE_BINARY";
        case attribute_type::string: return "NL_ATTR_TYPE_STRING";
        case attribute_type::nul_string: return "NL_ATTR_TYPE_NUL_STRING";
        case attribute_type::nested: return "NL_ATTR_TYPE_NESTED";
        case attribute_type::nested_array: return "NL_ATTR_TYPE_NESTED_ARRAY";
        case attribute_type::bitfield32: return "NL_ATTR_TYPE_BITFIELD32";
    }
    return "unknown";
}

// ---------------------------------------------------------------------------
// Attributes (NL-ATTR-01, NL-ATTR-02)

// struct nlattr: u16 len (header + payload, no padding), u16 type.
inline constexpr std::uint32_t attribute_header_size = 4;  // NLA_HDRLEN
inline constexpr std::uint32_t attribute_alignment = 4;    // NLA_ALIGNTO

// NLA_ALIGN: where the next attribute starts.
constexpr std::uint32_t attribute_align(std::uint32_t length) noexcept {
    return (length + attribute_alignment - 1) & ~(attribute_alignment - 1);
}

// The top two bits of nla_type are flags, the rest is the id. They combine
// with ids of many enums, so they are plain numbers rather than a flag type.
inline constexpr std::uint16_t attribute_flag_nested = 0x8000;              // NLA_F_NESTED
inline constexpr std::uint16_t attribute_flag_network_byte_order = 0x4000;  // NLA_F_NET_BYTEORDER
inline constexpr std::uint16_t attribute_type_mask = 0x3fff;                // NLA_TYPE_MASK

// ---------------------------------------------------------------------------
// rtnetlink links (NL-RT-01…13)

// NL-RT-01.
enum class rtm : std::uint16_t {
    new_link = 16,     // RTM_NEWLINK; also the type of every link reply
    delete_link = 17,  // RTM_DELLINK
    get_link = 18,     // RTM_GETLINK
    set_link = 19,     // RTM_SETLINK
};

inline constexpr rtm rtm_base = rtm::new_link;  // RTM_BASE

constexpr std::string_view name(rtm value) noexcept {
    switch (value) {
        case rtm::new_link: return "RTM_NEWLINK";
        case rtm::delete_link: return "RTM_DELLINK";
        case rtm::get_link: return "RTM_GETLINK";
        case rtm::set_link: return "RTM_SETLINK";
    }
    return "unknown";
}

// NL-RT-02: struct ifinfomsg {u8 family, u8 pad, u16 type, s32 index,
// u32 flags, u32 change}. Also the head of IFLA_NETKIT_PEER_INFO (NL-RT-07).
inline constexpr std::uint32_t interface_info_message_size = 16;

// NL-RT-02: ifi_family of every link message.
inline constexpr std::uint8_t address_family_unspecified = 0;  // AF_UNSPEC

// NL-RT-02, NL-RT-13: ifi_type.
enum class hardware_type : std::uint16_t {
    ethernet = 1,    // ARPHRD_ETHER
    loopback = 772,  // ARPHRD_LOOPBACK
};

constexpr std::string_view name(hardware_type value) noexcept {
    switch (value) {
        case hardware_type::ethernet: return "ARPHRD_ETHER";
        case hardware_type::loopback: return "ARPHRD_LOOPBACK";
    }
    return "unknown";
}

// NL-RT-03: ifi_flags / ifi_change bits the model reads or reports. up and
// no_arp are configured; running and lower_up are reported while the device
// is up with carrier.
enum class interface_flag : std::uint32_t {
    up = 0x1,            // IFF_UP
    broadcast = 0x2,     // IFF_BROADCAST
    running = 0x40,      // IFF_RUNNING
    no_arp = 0x80,       // IFF_NOARP
    multicast = 0x1000,  // IFF_MULTICAST
    lower_up = 0x10000,  // IFF_LOWER_UP
};

constexpr interface_flag operator|(interface_flag a, interface_flag b) noexcept {
    return static_cast<interface_flag>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
constexpr interface_flag operator&(interface_flag a, interface_flag b) noexcept {
    return static_cast<interface_flag>(static_cast<std::uint32_t>(a) & static_cast<std::uint32_t>(b));
}
constexpr interface_flag operator~(interface_flag a) noexcept {
    return static_cast<interface_flag>(~static_cast<std::uint32_t>(a));
}
// True when every bit of `bits` is set in `set`.
constexpr bool contains(interface_flag set, interface_flag bits) noexcept { return (set & bits) == bits; }

// Names single bits; a combination is "unknown" (printers split sets into bits).
constexpr std::string_view name(interface_flag value) noexcept {
    switch (value) {
        case interface_flag::up: return "IFF_UP";
        case interface_flag::broadcast: return "IFF_BROADCAST";
        case interface_flag::running: return "IFF_RUNNING";
        case interface_flag::no_arp: return "IFF_NOARP";
        case interface_flag::multicast: return "IFF_MULTICAST";
        case interface_flag::lower_up: return "IFF_LOWER_UP";
    }
    return "unknown";
}

// NL-RT-04, NL-RT-05. Top-level link attributes the model reads or emits;
// ids it does not know are ignored (liberal parsing, NL-POL-02).
enum class ifla : std::uint16_t {
    unspec = 0,           // IFLA_UNSPEC
    address = 1,          // IFLA_ADDRESS (binary, at most 32 bytes)
    broadcast = 2,        // IFLA_BROADCAST (binary, at most 32 bytes)
    ifname = 3,           // IFLA_IFNAME (string, at most 15 characters)
    mtu = 4,              // IFLA_MTU (u32)
    link = 5,             // IFLA_LINK (u32)
    txqlen = 13,          // IFLA_TXQLEN (u32)
    operstate = 16,       // IFLA_OPERSTATE (u8)
    linkinfo = 18,        // IFLA_LINKINFO (nest of ifla_info)
    net_ns_pid = 19,      // IFLA_NET_NS_PID (u32)
    group = 27,           // IFLA_GROUP (u32)
    net_ns_fd = 28,       // IFLA_NET_NS_FD (u32)
    ext_mask = 29,        // IFLA_EXT_MASK (u32)
    num_tx_queues = 31,   // IFLA_NUM_TX_QUEUES (u32)
    num_rx_queues = 32,   // IFLA_NUM_RX_QUEUES (u32)
    link_netnsid = 37,    // IFLA_LINK_NETNSID (s32)
    target_netnsid = 46,  // IFLA_TARGET_NETNSID, alias of IFLA_IF_NETNSID (s32)
};

constexpr std::string_view name(ifla value) noexcept {
    switch (value) {
        case ifla::unspec: return "IFLA_UNSPEC";
        case ifla::address: return "IFLA_ADDRESS";
        case ifla::broadcast: return "IFLA_BROADCAST";
        case ifla::ifname: return "IFLA_IFNAME";
        case ifla::mtu: return "IFLA_MTU";
        case ifla::link: return "IFLA_LINK";
        case ifla::txqlen: return "IFLA_TXQLEN";
        case ifla::operstate: return "IFLA_OPERSTATE";
        case ifla::linkinfo: return "IFLA_LINKINFO";
        case ifla::net_ns_pid: return "IFLA_NET_NS_PID";
        case ifla::group: return "IFLA_GROUP";
        case ifla::net_ns_fd: return "IFLA_NET_NS_FD";
        case ifla::ext_mask: return "IFLA_EXT_MASK";
        case ifla::num_tx_queues: return "IFLA_NUM_TX_QUEUES";
        case ifla::num_rx_queues: return "IFLA_NUM_RX_QUEUES";
        case ifla::link_netnsid: return "IFLA_LINK_NETNSID";
        case ifla::target_netnsid: return "IFLA_TARGET_NETNSID";
    }
    return "unknown";
}

// NL-RT-05: length limits of IFLA_IFNAME and IFLA_ADDRESS / IFLA_BROADCAST.
inline constexpr std::uint32_t interface_name_size = 16;  // IFNAMSIZ, including the NUL
inline constexpr std::uint32_t interface_name_max_length = interface_name_size - 1;
inline constexpr std::uint32_t hardware_address_max_size = 32;  // MAX_ADDR_LEN

// NL-RT-04, NL-RT-06. Inside IFLA_LINKINFO.
enum class ifla_info : std::uint16_t {
    unspec = 0,      // IFLA_INFO_UNSPEC
    kind = 1,        // IFLA_INFO_KIND (string, e.g. "netkit")
    data = 2,        // IFLA_INFO_DATA (nest; netkit_attr for kind "netkit")
    xstats = 3,      // IFLA_INFO_XSTATS
    slave_kind = 4,  // IFLA_INFO_SLAVE_KIND
    slave_data = 5,  // IFLA_INFO_SLAVE_DATA
};

constexpr std::string_view name(ifla_info value) noexcept {
    switch (value) {
        case ifla_info::unspec: return "IFLA_INFO_UNSPEC";
        case ifla_info::kind: return "IFLA_INFO_KIND";
        case ifla_info::data: return "IFLA_INFO_DATA";
        case ifla_info::xstats: return "IFLA_INFO_XSTATS";
        case ifla_info::slave_kind: return "IFLA_INFO_SLAVE_KIND";
        case ifla_info::slave_data: return "IFLA_INFO_SLAVE_DATA";
    }
    return "unknown";
}

// device.md NK-ENV-07: the veth-like negative-control kind. Its peer
// attribute has the layout of IFLA_NETKIT_PEER_INFO (NL-RT-07).
inline constexpr std::string_view veth_link_kind = "veth";

enum class veth_attr : std::uint16_t {
    unspec = 0,  // VETH_INFO_UNSPEC
    peer = 1,    // VETH_INFO_PEER
};

constexpr std::string_view name(veth_attr value) noexcept {
    switch (value) {
        case veth_attr::unspec: return "VETH_INFO_UNSPEC";
        case veth_attr::peer: return "VETH_INFO_PEER";
    }
    return "unknown";
}

}  // namespace netkit::uapi
