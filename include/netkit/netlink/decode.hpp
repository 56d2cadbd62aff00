// Netlink messages decoded for people and tools, in the spirit of the
// kernel's ynl tool: a message becomes a tree — its nlmsghdr, the fixed part
// of its payload (ifinfomsg, genlmsghdr, the nlmsgerr of an acknowledgement
// with the request it copies, the status of NLMSG_DONE) and every attribute
// with its name, decoded value and nesting — that prints as text or JSON and
// compares with another tree attribute by attribute (nk_netlink --compare,
// docs/netlink-tool.md).
//
// The vocabulary is data: one table per attribute set of the uapi headers
// (<linux/if_link.h> IFLA_*, IFLA_INFO_*, IFLA_NETKIT_*, VETH_INFO_*;
// <linux/genetlink.h> CTRL_ATTR_*; <linux/netdev.h> NETDEV_A_QUEUE_*,
// NETDEV_A_LEASE_*, NETDEV_A_DMABUF_*; <linux/netlink.h> NLMSGERR_ATTR_*,
// NL_POLICY_TYPE_ATTR_*). The tables name more ids than the model uses,
// because a real kernel's replies carry them; `emitted_by_model` marks the
// ones the model writes (netlink.md NL-RT-13, NL-GENL-03, NL-ND-05,
// NL-EXT-02), so a comparison can leave the others out. The ids the uapi/
// headers define are checked against these tables by props/netlink/decode.cpp.
//
// Hostile bytes are expected: nothing is read outside the span given, a
// short header or a length that runs past the end is a `problem` recorded on
// the message or the attribute, and decoding goes on with what is there.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/netlink/attributes.hpp>
#include <netkit/netlink/message.hpp>
#include <netkit/uapi/netdev.hpp>
#include <netkit/uapi/netkit.hpp>
#include <netkit/uapi/netlink.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netkit::netlink::decode {

// How an attribute's payload is read. `uint` is the kernel's variable-width
// unsigned (4 or 8 bytes); `interface_info` is the layout of
// IFLA_NETKIT_PEER_INFO and VETH_INFO_PEER (an ifinfomsg, then IFLA_*,
// NL-RT-07); `indexed_nests` is a nest of nests numbered 1, 2, … (CTRL_ATTR_OPS).
enum class value_type : std::uint8_t {
    unknown,
    u8,
    u16,
    u32,
    u64,
    uint,
    s32,
    s64,
    string,
    binary,
    hardware_address,
    padding,
    nest,
    indexed_nests,
    interface_info,
};

constexpr std::string_view name(value_type t) noexcept {
    switch (t) {
        case value_type::unknown: return "unknown";
        case value_type::u8: return "u8";
        case value_type::u16: return "u16";
        case value_type::u32: return "u32";
        case value_type::u64: return "u64";
        case value_type::uint: return "uint";
        case value_type::s32: return "s32";
        case value_type::s64: return "s64";
        case value_type::string: return "string";
        case value_type::binary: return "binary";
        case value_type::hardware_address: return "hardware-address";
        case value_type::padding: return "pad";
        case value_type::nest: return "nest";
        case value_type::indexed_nests: return "indexed-nests";
        case value_type::interface_info: return "ifinfomsg+attributes";
    }
    return "unknown";
}

// The attribute sets the decoder knows. `link_info_data` is IFLA_INFO_DATA,
// whose set follows IFLA_INFO_KIND ("netkit" or "veth"); `none` is a set the
// decoder has no table for (its nests are shown as anonymous attributes).
enum class attribute_set : std::uint8_t {
    none,
    link,
    link_info,
    link_info_data,
    netkit,
    veth,
    control,
    control_operation,
    control_group,
    queue,
    lease,
    queue_id,
    dmabuf,
    extended_ack,
    policy,
};

// Named values an attribute or field can carry.
enum class symbols : std::uint8_t {
    none,
    netkit_action,
    netkit_mode,
    netkit_scrub,
    netkit_pairing,
    queue_type,
    policy_attribute_type,
    operstate,
    operation_flags,
};

struct attribute_spec {
    std::uint16_t id = 0;
    std::string_view name;
    value_type type = value_type::unknown;
    attribute_set children = attribute_set::none;  // for nests: the set of what they hold
    symbols symbol = symbols::none;
    bool emitted_by_model = false;
};

namespace tables {

using vt = value_type;
using as = attribute_set;
using sy = symbols;

// <linux/if_link.h> IFLA_*, in id order with no gaps (0 … 69). The model
// emits the NL-RT-13 set: IFNAME, TXQLEN, MTU, NUM_TX/RX_QUEUES, ADDRESS,
// BROADCAST, LINK, LINK_NETNSID, LINKINFO.
inline constexpr std::array<attribute_spec, 70> link{{
    {0, "IFLA_UNSPEC", vt::unknown, as::none, sy::none, false},
    {1, "IFLA_ADDRESS", vt::hardware_address, as::none, sy::none, true},
    {2, "IFLA_BROADCAST", vt::hardware_address, as::none, sy::none, true},
    {3, "IFLA_IFNAME", vt::string, as::none, sy::none, true},
    {4, "IFLA_MTU", vt::u32, as::none, sy::none, true},
    {5, "IFLA_LINK", vt::s32, as::none, sy::none, true},
    {6, "IFLA_QDISC", vt::string, as::none, sy::none, false},
    {7, "IFLA_STATS", vt::binary, as::none, sy::none, false},
    {8, "IFLA_COST", vt::binary, as::none, sy::none, false},
    {9, "IFLA_PRIORITY", vt::binary, as::none, sy::none, false},
    {10, "IFLA_MASTER", vt::u32, as::none, sy::none, false},
    {11, "IFLA_WIRELESS", vt::binary, as::none, sy::none, false},
    {12, "IFLA_PROTINFO", vt::nest, as::none, sy::none, false},
    {13, "IFLA_TXQLEN", vt::u32, as::none, sy::none, true},
    {14, "IFLA_MAP", vt::binary, as::none, sy::none, false},
    {15, "IFLA_WEIGHT", vt::u32, as::none, sy::none, false},
    {16, "IFLA_OPERSTATE", vt::u8, as::none, sy::operstate, false},
    {17, "IFLA_LINKMODE", vt::u8, as::none, sy::none, false},
    {18, "IFLA_LINKINFO", vt::nest, as::link_info, sy::none, true},
    {19, "IFLA_NET_NS_PID", vt::u32, as::none, sy::none, false},
    {20, "IFLA_IFALIAS", vt::string, as::none, sy::none, false},
    {21, "IFLA_NUM_VF", vt::u32, as::none, sy::none, false},
    {22, "IFLA_VFINFO_LIST", vt::nest, as::none, sy::none, false},
    {23, "IFLA_STATS64", vt::binary, as::none, sy::none, false},
    {24, "IFLA_VF_PORTS", vt::nest, as::none, sy::none, false},
    {25, "IFLA_PORT_SELF", vt::nest, as::none, sy::none, false},
    {26, "IFLA_AF_SPEC", vt::nest, as::none, sy::none, false},
    {27, "IFLA_GROUP", vt::u32, as::none, sy::none, false},
    {28, "IFLA_NET_NS_FD", vt::u32, as::none, sy::none, false},
    {29, "IFLA_EXT_MASK", vt::u32, as::none, sy::none, false},
    {30, "IFLA_PROMISCUITY", vt::u32, as::none, sy::none, false},
    {31, "IFLA_NUM_TX_QUEUES", vt::u32, as::none, sy::none, true},
    {32, "IFLA_NUM_RX_QUEUES", vt::u32, as::none, sy::none, true},
    {33, "IFLA_CARRIER", vt::u8, as::none, sy::none, false},
    {34, "IFLA_PHYS_PORT_ID", vt::binary, as::none, sy::none, false},
    {35, "IFLA_CARRIER_CHANGES", vt::u32, as::none, sy::none, false},
    {36, "IFLA_PHYS_SWITCH_ID", vt::binary, as::none, sy::none, false},
    {37, "IFLA_LINK_NETNSID", vt::s32, as::none, sy::none, true},
    {38, "IFLA_PHYS_PORT_NAME", vt::string, as::none, sy::none, false},
    {39, "IFLA_PROTO_DOWN", vt::u8, as::none, sy::none, false},
    {40, "IFLA_GSO_MAX_SEGS", vt::u32, as::none, sy::none, false},
    {41, "IFLA_GSO_MAX_SIZE", vt::u32, as::none, sy::none, false},
    {42, "IFLA_PAD", vt::padding, as::none, sy::none, false},
    {43, "IFLA_XDP", vt::nest, as::none, sy::none, false},
    {44, "IFLA_EVENT", vt::u32, as::none, sy::none, false},
    {45, "IFLA_NEW_NETNSID", vt::s32, as::none, sy::none, false},
    {46, "IFLA_TARGET_NETNSID", vt::s32, as::none, sy::none, false},
    {47, "IFLA_CARRIER_UP_COUNT", vt::u32, as::none, sy::none, false},
    {48, "IFLA_CARRIER_DOWN_COUNT", vt::u32, as::none, sy::none, false},
    {49, "IFLA_NEW_IFINDEX", vt::s32, as::none, sy::none, false},
    {50, "IFLA_MIN_MTU", vt::u32, as::none, sy::none, false},
    {51, "IFLA_MAX_MTU", vt::u32, as::none, sy::none, false},
    {52, "IFLA_PROP_LIST", vt::nest, as::none, sy::none, false},
    {53, "IFLA_ALT_IFNAME", vt::string, as::none, sy::none, false},
    {54, "IFLA_PERM_ADDRESS", vt::hardware_address, as::none, sy::none, false},
    {55, "IFLA_PROTO_DOWN_REASON", vt::nest, as::none, sy::none, false},
    {56, "IFLA_PARENT_DEV_NAME", vt::string, as::none, sy::none, false},
    {57, "IFLA_PARENT_DEV_BUS_NAME", vt::string, as::none, sy::none, false},
    {58, "IFLA_GRO_MAX_SIZE", vt::u32, as::none, sy::none, false},
    {59, "IFLA_TSO_MAX_SIZE", vt::u32, as::none, sy::none, false},
    {60, "IFLA_TSO_MAX_SEGS", vt::u32, as::none, sy::none, false},
    {61, "IFLA_ALLMULTI", vt::u32, as::none, sy::none, false},
    {62, "IFLA_DEVLINK_PORT", vt::nest, as::none, sy::none, false},
    {63, "IFLA_GSO_IPV4_MAX_SIZE", vt::u32, as::none, sy::none, false},
    {64, "IFLA_GRO_IPV4_MAX_SIZE", vt::u32, as::none, sy::none, false},
    {65, "IFLA_DPLL_PIN", vt::nest, as::none, sy::none, false},
    {66, "IFLA_MAX_PACING_OFFLOAD_HORIZON", vt::uint, as::none, sy::none, false},
    {67, "IFLA_NETNS_IMMUTABLE", vt::u8, as::none, sy::none, false},
    {68, "IFLA_HEADROOM", vt::u16, as::none, sy::none, false},
    {69, "IFLA_TAILROOM", vt::u16, as::none, sy::none, false},
}};

inline constexpr std::array<attribute_spec, 5> link_info{{
    {1, "IFLA_INFO_KIND", vt::string, as::none, sy::none, true},
    {2, "IFLA_INFO_DATA", vt::nest, as::link_info_data, sy::none, true},
    {3, "IFLA_INFO_XSTATS", vt::binary, as::none, sy::none, false},
    {4, "IFLA_INFO_SLAVE_KIND", vt::string, as::none, sy::none, false},
    {5, "IFLA_INFO_SLAVE_DATA", vt::nest, as::none, sy::none, false},
}};

// device.md NK-UAPI-05/06, NK-DUMP-01: the model's link dump carries every
// id but PEER_INFO.
inline constexpr std::array<attribute_spec, 10> netkit{{
    {1, "IFLA_NETKIT_PEER_INFO", vt::interface_info, as::link, sy::none, false},
    {2, "IFLA_NETKIT_PRIMARY", vt::u8, as::none, sy::none, true},
    {3, "IFLA_NETKIT_POLICY", vt::u32, as::none, sy::netkit_action, true},
    {4, "IFLA_NETKIT_PEER_POLICY", vt::u32, as::none, sy::netkit_action, true},
    {5, "IFLA_NETKIT_MODE", vt::u32, as::none, sy::netkit_mode, true},
    {6, "IFLA_NETKIT_SCRUB", vt::u32, as::none, sy::netkit_scrub, true},
    {7, "IFLA_NETKIT_PEER_SCRUB", vt::u32, as::none, sy::netkit_scrub, true},
    {8, "IFLA_NETKIT_HEADROOM", vt::u16, as::none, sy::none, true},
    {9, "IFLA_NETKIT_TAILROOM", vt::u16, as::none, sy::none, true},
    {10, "IFLA_NETKIT_PAIRING", vt::u32, as::none, sy::netkit_pairing, true},
}};

inline constexpr std::array<attribute_spec, 1> veth{{
    {1, "VETH_INFO_PEER", vt::interface_info, as::link, sy::none, false},
}};

// <linux/genetlink.h>; POLICY, OP_POLICY and OP belong to policy dumps,
// which the model does not implement.
inline constexpr std::array<attribute_spec, 10> control{{
    {1, "CTRL_ATTR_FAMILY_ID", vt::u16, as::none, sy::none, true},
    {2, "CTRL_ATTR_FAMILY_NAME", vt::string, as::none, sy::none, true},
    {3, "CTRL_ATTR_VERSION", vt::u32, as::none, sy::none, true},
    {4, "CTRL_ATTR_HDRSIZE", vt::u32, as::none, sy::none, true},
    {5, "CTRL_ATTR_MAXATTR", vt::u32, as::none, sy::none, true},
    {6, "CTRL_ATTR_OPS", vt::indexed_nests, as::control_operation, sy::none, true},
    {7, "CTRL_ATTR_MCAST_GROUPS", vt::indexed_nests, as::control_group, sy::none, true},
    {8, "CTRL_ATTR_POLICY", vt::nest, as::none, sy::none, false},
    {9, "CTRL_ATTR_OP_POLICY", vt::nest, as::none, sy::none, false},
    {10, "CTRL_ATTR_OP", vt::u32, as::none, sy::none, false},
}};

inline constexpr std::array<attribute_spec, 2> control_operation{{
    {1, "CTRL_ATTR_OP_ID", vt::u32, as::none, sy::none, true},
    {2, "CTRL_ATTR_OP_FLAGS", vt::u32, as::none, sy::operation_flags, true},
}};

inline constexpr std::array<attribute_spec, 2> control_group{{
    {1, "CTRL_ATTR_MCAST_GRP_NAME", vt::string, as::none, sy::none, true},
    {2, "CTRL_ATTR_MCAST_GRP_ID", vt::u32, as::none, sy::none, true},
}};

// lease.md QL-UAPI-04/05, netlink.md NL-ND-05/06.
inline constexpr std::array<attribute_spec, 8> queue{{
    {1, "NETDEV_A_QUEUE_ID", vt::u32, as::none, sy::none, true},
    {2, "NETDEV_A_QUEUE_IFINDEX", vt::u32, as::none, sy::none, true},
    {3, "NETDEV_A_QUEUE_TYPE", vt::u32, as::none, sy::queue_type, true},
    {4, "NETDEV_A_QUEUE_NAPI_ID", vt::u32, as::none, sy::none, true},
    {5, "NETDEV_A_QUEUE_DMABUF", vt::u32, as::none, sy::none, true},
    {6, "NETDEV_A_QUEUE_IO_URING", vt::nest, as::none, sy::none, true},
    {7, "NETDEV_A_QUEUE_XSK", vt::nest, as::none, sy::none, true},
    {8, "NETDEV_A_QUEUE_LEASE", vt::nest, as::lease, sy::none, true},
}};

inline constexpr std::array<attribute_spec, 3> lease{{
    {1, "NETDEV_A_LEASE_IFINDEX", vt::u32, as::none, sy::none, true},
    {2, "NETDEV_A_LEASE_QUEUE", vt::nest, as::queue_id, sy::none, true},
    {3, "NETDEV_A_LEASE_NETNS_ID", vt::s32, as::none, sy::none, true},
}};

// The queue-id subset of the queue set, inside lease and dmabuf nests.
inline constexpr std::array<attribute_spec, 2> queue_id{{
    {1, "NETDEV_A_QUEUE_ID", vt::u32, as::none, sy::none, true},
    {3, "NETDEV_A_QUEUE_TYPE", vt::u32, as::none, sy::queue_type, true},
}};

inline constexpr std::array<attribute_spec, 4> dmabuf{{
    {1, "NETDEV_A_DMABUF_IFINDEX", vt::u32, as::none, sy::none, true},
    {2, "NETDEV_A_DMABUF_QUEUES", vt::nest, as::queue_id, sy::none, true},
    {3, "NETDEV_A_DMABUF_FD", vt::u32, as::none, sy::none, true},
    {4, "NETDEV_A_DMABUF_ID", vt::u32, as::none, sy::none, true},
}};

// NL-EXT-02: COOKIE is never emitted by the model (NL-EXT-05).
inline constexpr std::array<attribute_spec, 6> extended_ack{{
    {1, "NLMSGERR_ATTR_MSG", vt::string, as::none, sy::none, true},
    {2, "NLMSGERR_ATTR_OFFS", vt::u32, as::none, sy::none, true},
    {3, "NLMSGERR_ATTR_COOKIE", vt::binary, as::none, sy::none, false},
    {4, "NLMSGERR_ATTR_POLICY", vt::nest, as::policy, sy::none, true},
    {5, "NLMSGERR_ATTR_MISS_TYPE", vt::u32, as::none, sy::none, true},
    {6, "NLMSGERR_ATTR_MISS_NEST", vt::u32, as::none, sy::none, true},
}};

// NL-EXT-06: enum netlink_policy_type_attr; the model emits TYPE, the value
// limits and MAX_LENGTH.
inline constexpr std::array<attribute_spec, 12> policy{{
    {1, "NL_POLICY_TYPE_ATTR_TYPE", vt::u32, as::none, sy::policy_attribute_type, true},
    {2, "NL_POLICY_TYPE_ATTR_MIN_VALUE_S", vt::s64, as::none, sy::none, true},
    {3, "NL_POLICY_TYPE_ATTR_MAX_VALUE_S", vt::s64, as::none, sy::none, true},
    {4, "NL_POLICY_TYPE_ATTR_MIN_VALUE_U", vt::u64, as::none, sy::none, true},
    {5, "NL_POLICY_TYPE_ATTR_MAX_VALUE_U", vt::u64, as::none, sy::none, true},
    {6, "NL_POLICY_TYPE_ATTR_MIN_LENGTH", vt::u32, as::none, sy::none, false},
    {7, "NL_POLICY_TYPE_ATTR_MAX_LENGTH", vt::u32, as::none, sy::none, true},
    {8, "NL_POLICY_TYPE_ATTR_POLICY_IDX", vt::u32, as::none, sy::none, false},
    {9, "NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE", vt::u32, as::none, sy::none, false},
    {10, "NL_POLICY_TYPE_ATTR_BITFIELD32_MASK", vt::u32, as::none, sy::none, false},
    {11, "NL_POLICY_TYPE_ATTR_PAD", vt::padding, as::none, sy::none, false},
    {12, "NL_POLICY_TYPE_ATTR_MASK", vt::u64, as::none, sy::none, false},
}};

// One name per value, for the words the tables above do not cover.
struct named_value {
    std::uint64_t value;
    std::string_view name;
};

// <linux/rtnetlink.h>: the link messages the model implements and the other
// families a capture of `ip` commonly holds.
inline constexpr std::array<named_value, 16> route_types{{
    {16, "RTM_NEWLINK"},  {17, "RTM_DELLINK"},  {18, "RTM_GETLINK"},  {19, "RTM_SETLINK"},
    {20, "RTM_NEWADDR"},  {21, "RTM_DELADDR"},  {22, "RTM_GETADDR"},  {24, "RTM_NEWROUTE"},
    {25, "RTM_DELROUTE"}, {26, "RTM_GETROUTE"}, {28, "RTM_NEWNEIGH"}, {29, "RTM_DELNEIGH"},
    {30, "RTM_GETNEIGH"}, {88, "RTM_NEWNSID"},  {89, "RTM_DELNSID"},  {90, "RTM_GETNSID"},
}};

inline constexpr std::array<named_value, 11> control_commands{{
    {0, "CTRL_CMD_UNSPEC"},
    {1, "CTRL_CMD_NEWFAMILY"},
    {2, "CTRL_CMD_DELFAMILY"},
    {3, "CTRL_CMD_GETFAMILY"},
    {4, "CTRL_CMD_NEWOPS"},
    {5, "CTRL_CMD_DELOPS"},
    {6, "CTRL_CMD_GETOPS"},
    {7, "CTRL_CMD_NEWMCAST_GRP"},
    {8, "CTRL_CMD_DELMCAST_GRP"},
    {9, "CTRL_CMD_GETMCAST_GRP"},
    {10, "CTRL_CMD_GETPOLICY"},
}};

// <linux/if.h> IFF_* (NL-RT-03 names the ones the model sets).
inline constexpr std::array<named_value, 19> interface_flags{{
    {0x1, "IFF_UP"},          {0x2, "IFF_BROADCAST"},    {0x4, "IFF_DEBUG"},     {0x8, "IFF_LOOPBACK"},
    {0x10, "IFF_POINTOPOINT"}, {0x20, "IFF_NOTRAILERS"},  {0x40, "IFF_RUNNING"},  {0x80, "IFF_NOARP"},
    {0x100, "IFF_PROMISC"},   {0x200, "IFF_ALLMULTI"},   {0x400, "IFF_MASTER"},  {0x800, "IFF_SLAVE"},
    {0x1000, "IFF_MULTICAST"}, {0x2000, "IFF_PORTSEL"},   {0x4000, "IFF_AUTOMEDIA"}, {0x8000, "IFF_DYNAMIC"},
    {0x10000, "IFF_LOWER_UP"}, {0x20000, "IFF_DORMANT"}, {0x40000, "IFF_ECHO"},
}};

inline constexpr std::array<named_value, 5> hardware_types{{
    {1, "ARPHRD_ETHER"},
    {772, "ARPHRD_LOOPBACK"},
    {776, "ARPHRD_SIT"},
    {824, "ARPHRD_NETLINK"},
    {0xfffe, "ARPHRD_NONE"},
}};

// RFC 2863 operational states (IF_OPER_*).
inline constexpr std::array<named_value, 7> operstates{{
    {0, "IF_OPER_UNKNOWN"}, {1, "IF_OPER_NOTPRESENT"}, {2, "IF_OPER_DOWN"}, {3, "IF_OPER_LOWERLAYERDOWN"},
    {4, "IF_OPER_TESTING"}, {5, "IF_OPER_DORMANT"},    {6, "IF_OPER_UP"},
}};

template <std::size_t N>
constexpr const attribute_spec* find(const std::array<attribute_spec, N>& set, std::uint16_t id) noexcept {
    for (const auto& s : set) {
        if (s.id == id) {
            return &s;
        }
    }
    return nullptr;
}

template <std::size_t N>
constexpr std::string_view find(const std::array<named_value, N>& values, std::uint64_t value) noexcept {
    for (const auto& v : values) {
        if (v.value == value) {
            return v.name;
        }
    }
    return {};
}

}  // namespace tables

// The entry for `id` in `set`, or nullptr.
constexpr const attribute_spec* find_spec(attribute_set set, std::uint16_t id) noexcept {
    switch (set) {
        case attribute_set::link: return tables::find(tables::link, id);
        case attribute_set::link_info: return tables::find(tables::link_info, id);
        case attribute_set::netkit: return tables::find(tables::netkit, id);
        case attribute_set::veth: return tables::find(tables::veth, id);
        case attribute_set::control: return tables::find(tables::control, id);
        case attribute_set::control_operation: return tables::find(tables::control_operation, id);
        case attribute_set::control_group: return tables::find(tables::control_group, id);
        case attribute_set::queue: return tables::find(tables::queue, id);
        case attribute_set::lease: return tables::find(tables::lease, id);
        case attribute_set::queue_id: return tables::find(tables::queue_id, id);
        case attribute_set::dmabuf: return tables::find(tables::dmabuf, id);
        case attribute_set::extended_ack: return tables::find(tables::extended_ack, id);
        case attribute_set::policy: return tables::find(tables::policy, id);
        case attribute_set::none:
        case attribute_set::link_info_data: return nullptr;
    }
    return nullptr;
}

// ------------------------------------------------------------------ the tree

// One attribute, or one field of a fixed header (ifinfomsg, genlmsghdr,
// nlmsgerr). Exactly one of the value members is set when the payload
// decoded; `payload` always holds the bytes, so two nodes compare by bytes.
struct node {
    std::string name;
    bool field = false;                  // a member of a fixed header, not an nlattr
    std::uint16_t id = 0;                // nla_type & NLA_TYPE_MASK (attributes)
    std::uint16_t type_flags = 0;        // NLA_F_NESTED | NLA_F_NET_BYTEORDER as sent
    std::uint32_t offset = 0;            // of the nlattr header or the field, from the message's nlmsghdr
                                         // (under an acknowledgement's "request": from the copied header)
    value_type type = value_type::unknown;
    std::optional<std::uint64_t> unsigned_value;
    std::optional<std::int64_t> signed_value;
    std::optional<std::string> text;     // strings, up to the first NUL
    bool hexadecimal = false;            // a flag word: printed in hex
    std::string symbol;                  // "NETKIT_L3", "EINVAL", "IFF_UP|IFF_RUNNING", an attribute path, …
    std::string problem;                 // what did not decode
    bool emitted_by_model = false;       // the model writes this attribute in its replies
    attribute_set children_set = attribute_set::none;
    std::vector<std::uint8_t> payload;
    std::vector<node> children;

    friend bool operator==(const node&, const node&) = default;
};

struct message {
    uapi::netlink_protocol protocol = uapi::netlink_protocol::route;
    message_header header;
    std::string type_name;               // RTM_*, NLMSG_*, CTRL_CMD_*, NETDEV_CMD_*
    std::string family;                  // generic netlink: "nlctrl", "netdev", or the id in hex
    std::vector<std::string> flag_names; // NLM_F_* for the message's kind, then leftover bits in hex
    attribute_set top_set = attribute_set::none;
    std::vector<node> body;              // fixed-header fields, then attributes
    std::vector<std::string> problems;
    std::vector<std::uint8_t> bytes;     // the whole message as received

    friend bool operator==(const message&, const message&) = default;
};

// What the decoder needs beyond the bytes: the socket's protocol (type 16 is
// RTM_NEWLINK on NETLINK_ROUTE and nlctrl on NETLINK_GENERIC), the netdev
// family's dynamic id (NL-GENL-05) and, for an acknowledgement, the request
// it answers, so NLMSGERR_ATTR_OFFS / MISS_TYPE / MISS_NEST can be named
// even when the acknowledgement copies only the request header
// (NETLINK_CAP_ACK or a success).
struct context {
    uapi::netlink_protocol protocol = uapi::netlink_protocol::route;
    std::uint16_t netdev_family_id = uapi::genl_first_dynamic_id;
    const message* request = nullptr;
};

// ------------------------------------------------------------------ helpers

inline std::string hex(std::span<const std::uint8_t> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const std::uint8_t b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0xf]);
    }
    return out;
}

inline std::string hex_number(std::uint64_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    do {
        out.insert(out.begin(), digits[v & 0xf]);
        v >>= 4;
    } while (v != 0);
    return "0x" + out;
}

// Names the bits of `flags` from `names`; bits without a name in hex.
template <std::size_t N>
std::vector<std::string> bit_names(std::uint64_t flags, const std::array<tables::named_value, N>& names) {
    std::vector<std::string> out;
    std::uint64_t left = flags;
    for (const auto& n : names) {
        if ((left & n.value) == n.value && n.value != 0) {
            out.emplace_back(n.name);
            left &= ~n.value;
        }
    }
    if (left != 0) {
        out.push_back(hex_number(left));
    }
    return out;
}

inline std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        out += i == 0 ? "" : separator;
        out += parts[i];
    }
    return out;
}

// How the bits 0x100…0x800 of nlmsg_flags read (NL-FLAG-01…03, NL-ERR-03).
enum class flag_reading : std::uint8_t { plain, get, create, remove, acknowledgement };

inline std::vector<std::string> flag_names(std::uint16_t flags, flag_reading reading) {
    using tables::named_value;
    static constexpr std::array<named_value, 6> low{{
        {0x1, "NLM_F_REQUEST"}, {0x2, "NLM_F_MULTI"}, {0x4, "NLM_F_ACK"},
        {0x8, "NLM_F_ECHO"}, {0x10, "NLM_F_DUMP_INTR"}, {0x20, "NLM_F_DUMP_FILTERED"},
    }};
    static constexpr std::array<named_value, 4> get{{
        {0x300, "NLM_F_DUMP"}, {0x100, "NLM_F_ROOT"}, {0x200, "NLM_F_MATCH"}, {0x400, "NLM_F_ATOMIC"},
    }};
    static constexpr std::array<named_value, 4> create{{
        {0x100, "NLM_F_REPLACE"}, {0x200, "NLM_F_EXCL"}, {0x400, "NLM_F_CREATE"}, {0x800, "NLM_F_APPEND"},
    }};
    static constexpr std::array<named_value, 2> remove{{{0x100, "NLM_F_NONREC"}, {0x200, "NLM_F_BULK"}}};
    static constexpr std::array<named_value, 2> ack{{{0x100, "NLM_F_CAPPED"}, {0x200, "NLM_F_ACK_TLVS"}}};
    std::vector<std::string> out;
    const std::uint16_t high = flags & 0xff00U;
    for (const auto& n : low) {
        if ((flags & n.value) != 0) {
            out.emplace_back(n.name);
        }
    }
    std::vector<std::string> rest;
    switch (reading) {
        case flag_reading::get: rest = bit_names(high, get); break;
        case flag_reading::create: rest = bit_names(high, create); break;
        case flag_reading::remove: rest = bit_names(high, remove); break;
        case flag_reading::acknowledgement: rest = bit_names(high, ack); break;
        case flag_reading::plain:
            if (high != 0) {
                rest.push_back(hex_number(high));
            }
            break;
    }
    const std::uint16_t unknown_low = flags & 0x00c0U;
    if (unknown_low != 0) {
        rest.push_back(hex_number(unknown_low));
    }
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
}

inline flag_reading reading_for(uapi::netlink_protocol protocol, const message_header& h) {
    using uapi::control_message;
    if (h.type == static_cast<std::uint16_t>(control_message::error) ||
        h.type == static_cast<std::uint16_t>(control_message::done)) {
        return flag_reading::acknowledgement;
    }
    if (!h.has(uapi::message_flag::request) || h.type < uapi::min_request_type) {
        return flag_reading::plain;
    }
    if (protocol == uapi::netlink_protocol::generic) {
        return (h.flags & 0x300U) != 0 ? flag_reading::get : flag_reading::create;
    }
    switch ((h.type - 16U) % 4U) {  // RTM_NEW*, RTM_DEL*, RTM_GET*, RTM_SET* (NL-RT-01)
        case 1: return flag_reading::remove;
        case 2: return flag_reading::get;
        default: return flag_reading::create;
    }
}

inline std::string errno_symbol(std::int64_t value) {
    if (value == 0) {
        return {};
    }
    if (value < -4095 || value > 4095) {
        return "not an errno";
    }
    if (const auto code = core::errno_from_value(static_cast<int>(value))) {
        return std::string(core::kernel_name(*code));
    }
    return "errno " + std::to_string(value < 0 ? -value : value);
}

inline std::string symbol_for(symbols s, std::uint64_t v) {
    switch (s) {
        case symbols::none: return {};
        case symbols::netkit_action: {
            const auto a = static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
            const auto n = uapi::name(static_cast<uapi::action>(a));
            return n == "unknown" ? std::string{} : std::string(n);
        }
        case symbols::netkit_mode:
            return v <= 1 ? std::string(uapi::name(static_cast<uapi::mode>(v))) : std::string{};
        case symbols::netkit_scrub:
            return v <= 1 ? std::string(uapi::name(static_cast<uapi::scrub>(v))) : std::string{};
        case symbols::netkit_pairing:
            return v <= 1 ? std::string(uapi::name(static_cast<uapi::pairing>(v))) : std::string{};
        case symbols::queue_type:
            return v <= 1 ? std::string(uapi::name(static_cast<uapi::queue_type>(v))) : std::string{};
        case symbols::policy_attribute_type:
            return v <= 15 ? std::string(uapi::name(static_cast<uapi::attribute_type>(v))) : std::string{};
        case symbols::operstate: return std::string(tables::find(tables::operstates, v));
        case symbols::operation_flags: {
            static constexpr std::array<tables::named_value, 5> names{{
                {0x1, "GENL_ADMIN_PERM"}, {0x2, "GENL_CMD_CAP_DO"}, {0x4, "GENL_CMD_CAP_DUMP"},
                {0x8, "GENL_CMD_CAP_HASPOL"}, {0x10, "GENL_UNS_ADMIN_PERM"},
            }};
            return join(bit_names(v, names), "|");
        }
    }
    return {};
}

// The name of a message type, without looking at its payload (a generic
// message's command is in the payload; this gives the family).
inline std::string type_name_of(uapi::netlink_protocol protocol, std::uint16_t type, std::uint16_t netdev_family_id) {
    if (type < uapi::min_request_type) {
        const auto n = uapi::name(static_cast<uapi::control_message>(type));
        return n == "unknown" ? "NLMSG type " + std::to_string(type) : std::string(n);
    }
    if (protocol == uapi::netlink_protocol::route) {
        const auto n = tables::find(tables::route_types, type);
        return n.empty() ? "RTM type " + std::to_string(type) : std::string(n);
    }
    if (type == uapi::genl_id_control) {
        return std::string(uapi::genl_control_family_name);
    }
    if (type == netdev_family_id) {
        return std::string(uapi::netdev_family_name);
    }
    return "genl family " + hex_number(type);
}

namespace detail {

inline std::uint64_t read_integer(std::span<const std::uint8_t> p, bool big_endian) noexcept {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < p.size() && i < 8; ++i) {
        const std::size_t shift = big_endian ? 8 * (p.size() - 1 - i) : 8 * i;
        v |= std::uint64_t{p[i]} << shift;
    }
    return v;
}

constexpr std::size_t width_of(value_type t) noexcept {
    switch (t) {
        case value_type::u8: return 1;
        case value_type::u16: return 2;
        case value_type::u32:
        case value_type::s32: return 4;
        case value_type::u64:
        case value_type::s64: return 8;
        default: return 0;
    }
}

constexpr bool is_integer(value_type t) noexcept {
    return width_of(t) != 0 || t == value_type::uint;
}

constexpr bool is_signed(value_type t) noexcept { return t == value_type::s32 || t == value_type::s64; }

// Reads n.payload as n.type; a width that differs from the type's is read
// anyway when it is 1, 2, 4 or 8 bytes, and noted as a problem.
inline void read_value(node& n, bool big_endian) {
    const std::size_t size = n.payload.size();
    if (is_integer(n.type)) {
        const std::size_t want = width_of(n.type);
        const bool usable = size == 1 || size == 2 || size == 4 || size == 8;
        if (n.type == value_type::uint ? (size != 4 && size != 8) : size != want) {
            n.problem = std::string(name(n.type)) + " expected (" +
                        (n.type == value_type::uint ? std::string("4 or 8") : std::to_string(want)) + " bytes), " +
                        std::to_string(size) + " present";
        }
        if (!usable) {
            return;
        }
        const std::uint64_t raw = read_integer(n.payload, big_endian);
        if (is_signed(n.type)) {
            const unsigned bits = static_cast<unsigned>(size * 8);
            const std::uint64_t sign = std::uint64_t{1} << (bits - 1);
            const std::uint64_t extended = bits == 64 ? raw : ((raw ^ sign) - sign);
            n.signed_value = static_cast<std::int64_t>(extended);
        } else {
            n.unsigned_value = raw;
        }
        return;
    }
    if (n.type == value_type::string) {
        const auto nul = std::find(n.payload.begin(), n.payload.end(), std::uint8_t{0});
        n.text = std::string(n.payload.begin(), nul);
        if (nul == n.payload.end() && !n.payload.empty()) {
            n.problem = "not NUL-terminated";
        }
    }
}

inline node make_field(std::string name, value_type type, std::span<const std::uint8_t> bytes, std::uint32_t offset) {
    node n;
    n.name = std::move(name);
    n.field = true;
    n.type = type;
    n.offset = offset;
    n.payload.assign(bytes.begin(), bytes.end());
    read_value(n, false);
    return n;
}

// Depth-first search for the attribute whose header sits at `offset`; the
// path of names from the top, or nullopt.
inline bool path_to(const std::vector<node>& nodes, std::uint32_t offset, std::vector<const node*>& path) {
    for (const node& n : nodes) {
        if (!n.field && n.offset == offset) {
            path.push_back(&n);
            return true;
        }
        path.push_back(&n);
        if (path_to(n.children, offset, path)) {
            return true;
        }
        path.pop_back();
    }
    return false;
}

class decoder {
  public:
    // The attributes of `bytes`, whose first byte sits at `base` in the
    // message, read with `set`'s table.
    std::vector<node> attributes(std::span<const std::uint8_t> bytes, std::uint32_t base, attribute_set set,
                                 int depth = 0) {
        std::vector<node> out;
        attribute_set data_set = attribute_set::none;
        if (set == attribute_set::link_info) {
            data_set = link_info_data_set(bytes, base);
        }
        attribute_reader reader(bytes, base);
        while (auto a = reader.next()) {
            out.push_back(attribute_node(*a, set, data_set, depth));
        }
        if (reader.leftover() != 0) {
            const std::size_t at = bytes.size() - reader.leftover();
            node rest = make_field("leftover", value_type::binary, bytes.subspan(at),
                                   base + static_cast<std::uint32_t>(at));
            rest.problem = std::to_string(rest.payload.size()) + " bytes that do not form an attribute";
            out.push_back(std::move(rest));
        }
        return out;
    }

    std::vector<node> interface_header(std::span<const std::uint8_t> p, std::uint32_t base) {
        std::vector<node> out;
        out.push_back(make_field("ifi_family", value_type::u8, p.subspan(0, 1), base));
        if (p[0] == uapi::address_family_unspecified) {
            out.back().symbol = "AF_UNSPEC";
        }
        if (p[1] != 0) {
            out.push_back(make_field("ifi_pad", value_type::u8, p.subspan(1, 1), base + 1));
        }
        out.push_back(make_field("ifi_type", value_type::u16, p.subspan(2, 2), base + 2));
        out.back().symbol = std::string(tables::find(tables::hardware_types, *out.back().unsigned_value));
        out.push_back(make_field("ifi_index", value_type::s32, p.subspan(4, 4), base + 4));
        for (const auto& [field_name, at] : {std::pair{"ifi_flags", 8U}, std::pair{"ifi_change", 12U}}) {
            node f = make_field(field_name, value_type::u32, p.subspan(at, 4), base + at);
            f.hexadecimal = true;
            f.symbol = join(bit_names(*f.unsigned_value, tables::interface_flags), "|");
            out.push_back(std::move(f));
        }
        return out;
    }

  private:
    static constexpr int max_depth = 16;  // deeper nests are shown as bytes

    // IFLA_INFO_DATA's set follows IFLA_INFO_KIND wherever it sits.
    static attribute_set link_info_data_set(std::span<const std::uint8_t> bytes, std::uint32_t base) {
        attribute_reader scan(bytes, base);
        while (auto a = scan.next()) {
            if (a->id == static_cast<std::uint16_t>(uapi::ifla_info::kind)) {
                const auto nul = std::find(a->payload.begin(), a->payload.end(), std::uint8_t{0});
                const std::string kind(a->payload.begin(), nul);
                if (kind == uapi::link_kind) {
                    return attribute_set::netkit;
                }
                if (kind == uapi::veth_link_kind) {
                    return attribute_set::veth;
                }
            }
        }
        return attribute_set::none;
    }

    // A nest without a table: its contents as anonymous attributes when they
    // parse exactly, else bytes.
    std::vector<node> anonymous(std::span<const std::uint8_t> bytes, std::uint32_t base, int depth) {
        attribute_reader probe(bytes, base);
        std::size_t count = 0;
        while (probe.next()) {
            ++count;
        }
        if (count == 0 || probe.leftover() != 0) {
            return {};
        }
        return attributes(bytes, base, attribute_set::none, depth + 1);
    }

    node attribute_node(const attribute& a, attribute_set set, attribute_set data_set, int depth) {
        node n;
        n.id = a.id;
        n.type_flags = static_cast<std::uint16_t>((a.nested_flag ? uapi::attribute_flag_nested : 0U) |
                                                  (a.byte_order_flag ? uapi::attribute_flag_network_byte_order : 0U));
        n.offset = a.offset;
        n.payload.assign(a.payload.begin(), a.payload.end());
        const attribute_spec* spec = find_spec(set, a.id);
        if (spec != nullptr) {
            n.name = std::string(spec->name);
            n.type = spec->type;
            n.emitted_by_model = spec->emitted_by_model;
            n.children_set = spec->children == attribute_set::link_info_data ? data_set : spec->children;
        } else {
            n.name = "attribute " + std::to_string(a.id);
            n.type = a.nested_flag ? value_type::nest : value_type::unknown;
        }
        if (depth >= max_depth && (n.type == value_type::nest || n.type == value_type::indexed_nests ||
                                   n.type == value_type::interface_info)) {
            n.problem = "nested too deeply to decode";
            return n;
        }
        switch (n.type) {
            case value_type::nest:
                n.children = n.children_set == attribute_set::none
                                 ? anonymous(a.payload, a.payload_offset(), depth)
                                 : attributes(a.payload, a.payload_offset(), n.children_set, depth + 1);
                break;
            case value_type::indexed_nests: {
                attribute_reader items(a.payload, a.payload_offset());
                while (auto item = items.next()) {
                    node entry;
                    entry.name = "#" + std::to_string(item->id);
                    entry.id = item->id;
                    entry.type = value_type::nest;
                    entry.type_flags = static_cast<std::uint16_t>(item->nested_flag ? uapi::attribute_flag_nested : 0U);
                    entry.offset = item->offset;
                    entry.emitted_by_model = n.emitted_by_model;
                    entry.children_set = n.children_set;
                    entry.payload.assign(item->payload.begin(), item->payload.end());
                    entry.children = attributes(item->payload, item->payload_offset(), n.children_set, depth + 2);
                    n.children.push_back(std::move(entry));
                }
                if (items.leftover() != 0) {
                    n.problem = std::to_string(items.leftover()) + " bytes that do not form an attribute";
                }
                break;
            }
            case value_type::interface_info:
                if (a.payload.size() < uapi::interface_info_message_size) {
                    n.problem = "shorter than an ifinfomsg (" + std::to_string(a.payload.size()) + " of 16 bytes)";
                    break;
                }
                n.children = interface_header(a.payload, a.payload_offset());
                for (auto& c : attributes(a.payload.subspan(uapi::interface_info_message_size),
                                          a.payload_offset() + uapi::interface_info_message_size, attribute_set::link,
                                          depth + 1)) {
                    n.children.push_back(std::move(c));
                }
                break;
            default:
                read_value(n, a.byte_order_flag);
                if (spec != nullptr && n.unsigned_value) {
                    n.symbol = symbol_for(spec->symbol, *n.unsigned_value);
                    n.hexadecimal = spec->symbol == symbols::operation_flags;
                }
                break;
        }
        return n;
    }
};

inline std::string path_text(const std::vector<const node*>& path) {
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        out += i == 0 ? "" : " / ";
        out += path[i]->name;
    }
    return out;
}

// NLMSGERR_ATTR_OFFS / MISS_NEST name an attribute of the request,
// MISS_TYPE an id of the set the missing attribute belongs to.
inline void name_extended_ack(std::vector<node>& tlvs, const message* request) {
    if (request == nullptr) {
        return;
    }
    std::optional<std::uint32_t> nest_offset;
    for (const node& t : tlvs) {
        if (t.id == static_cast<std::uint16_t>(uapi::error_attr::missing_nest) && t.unsigned_value) {
            nest_offset = static_cast<std::uint32_t>(*t.unsigned_value);
        }
    }
    for (node& t : tlvs) {
        if (t.field || !t.unsigned_value) {
            continue;
        }
        const auto which = static_cast<uapi::error_attr>(t.id);
        if (which == uapi::error_attr::offset || which == uapi::error_attr::missing_nest) {
            std::vector<const node*> path;
            t.symbol = path_to(request->body, static_cast<std::uint32_t>(*t.unsigned_value), path)
                           ? path_text(path)
                           : std::string("no attribute of the request starts here");
        } else if (which == uapi::error_attr::missing_type) {
            attribute_set set = request->top_set;
            std::string where;
            if (nest_offset) {
                std::vector<const node*> path;
                if (!path_to(request->body, *nest_offset, path)) {
                    continue;
                }
                set = path.back()->children_set;
                where = " in " + path_text(path);
            }
            const attribute_spec* spec = find_spec(set, static_cast<std::uint16_t>(*t.unsigned_value));
            if (spec != nullptr) {
                t.symbol = std::string(spec->name) + where;
            }
        }
    }
}

}  // namespace detail

// ------------------------------------------------------------------ decoding

// One message: `bytes` starts at its nlmsghdr; bytes past nlmsg_len are not
// part of it. Never fails: what does not decode is listed in `problems`.
inline message decode_message(std::span<const std::uint8_t> bytes, const context& c = {}) {
    using uapi::control_message;
    message m;
    m.protocol = c.protocol;
    if (bytes.size() < uapi::message_header_size) {
        m.type_name = "(truncated)";
        m.bytes.assign(bytes.begin(), bytes.end());
        m.problems.push_back("shorter than an nlmsghdr (" + std::to_string(bytes.size()) + " of 16 bytes)");
        return m;
    }
    m.header = read_header(bytes.data());
    std::span<const std::uint8_t> whole = bytes;
    if (m.header.length < uapi::message_header_size) {
        m.problems.push_back("nlmsg_len " + std::to_string(m.header.length) + " is shorter than the header");
        whole = bytes.first(uapi::message_header_size);
    } else if (m.header.length > bytes.size()) {
        m.problems.push_back("nlmsg_len " + std::to_string(m.header.length) + " runs past the " +
                             std::to_string(bytes.size()) + " bytes present");
    } else {
        whole = bytes.first(m.header.length);
    }
    m.bytes.assign(whole.begin(), whole.end());
    m.type_name = type_name_of(c.protocol, m.header.type, c.netdev_family_id);
    m.flag_names = flag_names(m.header.flags, reading_for(c.protocol, m.header));
    const auto payload = whole.subspan(uapi::message_header_size);
    detail::decoder d;
    constexpr std::uint32_t at = uapi::message_header_size;

    if (m.header.type == static_cast<std::uint16_t>(control_message::error)) {
        if (payload.size() < 4) {
            m.problems.push_back("no room for the error code");
            return m;
        }
        node error = detail::make_field("error", value_type::s32, payload.first(4), at);
        error.symbol = errno_symbol(*error.signed_value);
        m.body.push_back(std::move(error));
        if (payload.size() < 4 + uapi::message_header_size) {
            m.problems.push_back("no room for the copied request header");
            return m;
        }
        // NL-ERR-02: the request's header, and its payload unless capped.
        const message_header copied = read_header(payload.data() + 4);
        const bool capped = (m.header.flags & static_cast<std::uint16_t>(uapi::ack_flag::capped)) != 0;
        std::size_t copy = uapi::message_header_size;
        if (!capped) {
            copy = std::clamp<std::size_t>(copied.length, uapi::message_header_size, payload.size() - 4);
            if (copied.length != copy) {
                m.problems.push_back("the copied request claims " + std::to_string(copied.length) + " bytes, " +
                                     std::to_string(copy) + " present");
            }
        }
        node request;
        request.name = "request";
        request.field = true;
        request.type = value_type::nest;
        request.offset = at + 4;
        request.payload.assign(payload.begin() + 4, payload.begin() + 4 + static_cast<std::ptrdiff_t>(copy));
        const auto h = payload.subspan(4, uapi::message_header_size);
        // Inside the copy, offsets count from the copied header, as they do
        // in the request (and in NLMSGERR_ATTR_OFFS, NL-EXT-03).
        request.children.push_back(detail::make_field("nlmsg_len", value_type::u32, h.subspan(0, 4), 0));
        node type = detail::make_field("nlmsg_type", value_type::u16, h.subspan(4, 2), 4);
        type.symbol = type_name_of(c.protocol, copied.type, c.netdev_family_id);
        request.children.push_back(std::move(type));
        node flags = detail::make_field("nlmsg_flags", value_type::u16, h.subspan(6, 2), 6);
        flags.hexadecimal = true;
        flags.symbol = join(flag_names(copied.flags, reading_for(c.protocol, copied)), "|");
        request.children.push_back(std::move(flags));
        request.children.push_back(detail::make_field("nlmsg_seq", value_type::u32, h.subspan(8, 4), 8));
        request.children.push_back(detail::make_field("nlmsg_pid", value_type::u32, h.subspan(12, 4), 12));
        std::optional<message> embedded;
        if (copy > uapi::message_header_size) {
            context inner = c;
            inner.request = nullptr;
            embedded = decode_message(payload.subspan(4, copy), inner);
            for (auto& n : embedded->body) {
                request.children.push_back(n);
            }
            request.children[1].symbol = embedded->type_name;
        }
        m.body.push_back(std::move(request));
        const std::size_t tlv_start = 4 + align4(static_cast<std::uint32_t>(copy));
        if (payload.size() > tlv_start) {
            auto tlvs = d.attributes(payload.subspan(tlv_start), at + static_cast<std::uint32_t>(tlv_start),
                                     attribute_set::extended_ack);
            if ((m.header.flags & static_cast<std::uint16_t>(uapi::ack_flag::extended_ack_tlvs)) == 0) {
                m.problems.push_back("extended-ack TLVs without NLM_F_ACK_TLVS");
            }
            detail::name_extended_ack(tlvs, c.request != nullptr ? c.request : (embedded ? &*embedded : nullptr));
            for (auto& t : tlvs) {
                m.body.push_back(std::move(t));
            }
        }
        return m;
    }
    if (m.header.type == static_cast<std::uint16_t>(control_message::done)) {
        if (payload.size() < 4) {
            if (!payload.empty()) {
                m.problems.push_back("NLMSG_DONE shorter than its status");
            }
            return m;
        }
        node status = detail::make_field("status", value_type::s32, payload.first(4), at);
        status.symbol = errno_symbol(*status.signed_value);
        m.body.push_back(std::move(status));
        if (payload.size() > 4) {
            auto tlvs = d.attributes(payload.subspan(4), at + 4, attribute_set::extended_ack);
            detail::name_extended_ack(tlvs, c.request);
            for (auto& t : tlvs) {
                m.body.push_back(std::move(t));
            }
        }
        return m;
    }
    if (m.header.type < uapi::min_request_type) {
        if (!payload.empty()) {
            m.body.push_back(detail::make_field("payload", value_type::binary, payload, at));
        }
        return m;
    }
    if (c.protocol == uapi::netlink_protocol::route) {
        const bool link = m.header.type >= static_cast<std::uint16_t>(uapi::rtm::new_link) &&
                          m.header.type <= static_cast<std::uint16_t>(uapi::rtm::set_link);
        if (!link) {
            if (!payload.empty()) {
                m.body.push_back(detail::make_field("payload", value_type::binary, payload, at));
            }
            return m;
        }
        if (payload.size() < uapi::interface_info_message_size) {
            m.problems.push_back("shorter than nlmsghdr + ifinfomsg (" + std::to_string(whole.size()) +
                                 " of 32 bytes)");
            if (!payload.empty()) {
                m.body.push_back(detail::make_field("payload", value_type::binary, payload, at));
            }
            return m;
        }
        m.top_set = attribute_set::link;
        m.body = d.interface_header(payload, at);
        for (auto& a : d.attributes(payload.subspan(uapi::interface_info_message_size),
                                    at + uapi::interface_info_message_size, attribute_set::link)) {
            m.body.push_back(std::move(a));
        }
        return m;
    }
    // Generic netlink (NL-GENL-01): genlmsghdr, then the family's attributes.
    m.family = m.type_name;
    if (payload.size() < uapi::genl_header_size) {
        m.problems.push_back("shorter than nlmsghdr + genlmsghdr (" + std::to_string(whole.size()) + " of 20 bytes)");
        return m;
    }
    const std::uint8_t command = payload[0];
    node cmd = detail::make_field("cmd", value_type::u8, payload.subspan(0, 1), at);
    std::string command_name;
    if (m.header.type == uapi::genl_id_control) {
        command_name = std::string(tables::find(tables::control_commands, command));
        m.top_set = attribute_set::control;
    } else if (m.header.type == c.netdev_family_id) {
        const auto n = uapi::name(static_cast<uapi::netdev_command>(command));
        command_name = n == "unknown" ? std::string{} : std::string(n);
        switch (static_cast<uapi::netdev_command>(command)) {
            case uapi::netdev_command::queue_get:
            case uapi::netdev_command::queue_create: m.top_set = attribute_set::queue; break;
            case uapi::netdev_command::bind_rx: m.top_set = attribute_set::dmabuf; break;
            default: break;
        }
    }
    cmd.symbol = command_name;
    m.type_name = command_name.empty() ? m.family + " cmd " + std::to_string(command) : command_name;
    m.body.push_back(std::move(cmd));
    m.body.push_back(detail::make_field("version", value_type::u8, payload.subspan(1, 1), at + 1));
    if (payload[2] != 0 || payload[3] != 0) {
        m.body.push_back(detail::make_field("reserved", value_type::u16, payload.subspan(2, 2), at + 2));
    }
    auto attributes = d.attributes(payload.subspan(uapi::genl_header_size), at + uapi::genl_header_size, m.top_set);
    // CTRL_ATTR_OP_ID names a command of the family the message describes.
    if (m.top_set == attribute_set::control) {
        std::string described;
        for (const node& a : attributes) {
            if (a.id == static_cast<std::uint16_t>(uapi::genl_control_attr::family_name) && a.text) {
                described = *a.text;
            }
        }
        for (node& a : attributes) {
            if (a.id != static_cast<std::uint16_t>(uapi::genl_control_attr::operations) || a.field) {
                continue;
            }
            for (node& op : a.children) {
                for (node& x : op.children) {
                    const auto op_id = static_cast<std::uint16_t>(uapi::genl_control_operation_attr::id);
                    if (x.id != op_id || !x.unsigned_value) {
                        continue;
                    }
                    if (described == uapi::genl_control_family_name) {
                        x.symbol = std::string(tables::find(tables::control_commands, *x.unsigned_value));
                    } else if (described == uapi::netdev_family_name && *x.unsigned_value <= 0xff) {
                        const auto n = uapi::name(static_cast<uapi::netdev_command>(*x.unsigned_value));
                        x.symbol = n == "unknown" ? std::string{} : std::string(n);
                    }
                }
            }
        }
    }
    for (auto& a : attributes) {
        m.body.push_back(std::move(a));
    }
    return m;
}

inline message decode_message(const message_view& v, const context& c = {}) { return decode_message(v.whole, c); }

// A buffer of messages (what one sendmsg or recvmsg carries, NL-HDR-03):
// decoded while whole messages follow; `leftover` counts the bytes after
// the last one that do not form a message.
struct stream {
    std::vector<message> messages;
    std::size_t leftover = 0;
};

inline stream decode_stream(std::span<const std::uint8_t> bytes, const context& c = {}) {
    stream out;
    const auto views = split_messages(bytes);
    std::size_t end = 0;
    for (const auto& v : views) {
        out.messages.push_back(decode_message(v, c));
        end = static_cast<std::size_t>(v.whole.data() - bytes.data()) + uapi::message_align(v.header.length);
    }
    out.leftover = bytes.size() > end ? bytes.size() - end : 0;
    return out;
}

// NL-HDR-02/03 strictly: where a buffer stops being a sequence of whole
// messages (the socket stops silently there; a tool should say so).
struct framing_error {
    std::size_t offset = 0;
    std::string what;
};

inline std::optional<framing_error> check_framing(std::span<const std::uint8_t> bytes) {
    std::size_t at = 0;
    while (at < bytes.size()) {
        const std::size_t left = bytes.size() - at;
        if (left < uapi::message_header_size) {
            return framing_error{at, std::to_string(left) + " bytes left, too few for an nlmsghdr (16)"};
        }
        const std::uint32_t length = load_u32(bytes.data() + at);
        if (length < uapi::message_header_size) {
            return framing_error{at, "nlmsg_len " + std::to_string(length) + " is shorter than the 16-byte header"};
        }
        if (length > left) {
            return framing_error{at, "nlmsg_len " + std::to_string(length) + " runs past the end (" +
                                         std::to_string(left) + " bytes left)"};
        }
        at += std::min<std::size_t>(uapi::message_align(length), left);
    }
    return std::nullopt;
}

// The id a CTRL_CMD_NEWFAMILY message announces for `family_name`, so a
// tool can follow the dynamic netdev id of a real kernel (NL-GENL-05).
inline std::optional<std::uint16_t> announced_family_id(const message& m, std::string_view family_name) {
    if (m.protocol != uapi::netlink_protocol::generic || m.header.type != uapi::genl_id_control ||
        m.top_set != attribute_set::control) {
        return std::nullopt;
    }
    std::optional<std::uint16_t> id;
    bool named = false;
    for (const node& a : m.body) {
        if (a.field) {
            continue;
        }
        if (a.id == static_cast<std::uint16_t>(uapi::genl_control_attr::family_id) && a.unsigned_value) {
            id = static_cast<std::uint16_t>(*a.unsigned_value);
        }
        if (a.id == static_cast<std::uint16_t>(uapi::genl_control_attr::family_name) && a.text) {
            named = *a.text == family_name;
        }
    }
    return named ? id : std::nullopt;
}

// ------------------------------------------------------------------ printing

// The value as one line: numbers, quoted strings, MAC addresses, hex bytes.
inline std::string value_text(const node& n) {
    if (n.unsigned_value) {
        return n.hexadecimal ? hex_number(*n.unsigned_value) : std::to_string(*n.unsigned_value);
    }
    if (n.signed_value) {
        return std::to_string(*n.signed_value);
    }
    if (n.text) {
        std::string out = "\"";
        for (const char ch : *n.text) {
            const auto u = static_cast<unsigned char>(ch);
            if (ch == '"' || ch == '\\') {
                out += '\\';
                out += ch;
            } else if (u < 0x20 || u >= 0x7f) {
                static constexpr char digits[] = "0123456789abcdef";
                out += "\\x";
                out += digits[u >> 4];
                out += digits[u & 0xf];
            } else {
                out += ch;
            }
        }
        return out + "\"";
    }
    if (n.payload.empty()) {
        return "(empty)";
    }
    if (n.type == value_type::hardware_address) {
        std::string out;
        for (std::size_t i = 0; i < n.payload.size(); ++i) {
            out += i == 0 ? "" : ":";
            out += hex(std::span<const std::uint8_t>(&n.payload[i], 1));
        }
        return out;
    }
    return hex(n.payload);
}

// The value with its symbol: "1 (NETKIT_L3)", "-22 (EINVAL)".
inline std::string summary(const node& n) {
    const bool container = !n.children.empty() || n.type == value_type::nest ||
                           n.type == value_type::indexed_nests || n.type == value_type::interface_info;
    if (container && !n.children.empty()) {
        return "nest of " + std::to_string(n.children.size()) + (n.children.size() == 1 ? " entry" : " entries");
    }
    std::string out = value_text(n);
    if (!n.symbol.empty()) {
        out += " (" + n.symbol + ")";
    }
    return out;
}

inline std::string type_flag_text(std::uint16_t flags) {
    std::vector<std::string> out;
    if ((flags & uapi::attribute_flag_nested) != 0) {
        out.emplace_back("NLA_F_NESTED");
    }
    if ((flags & uapi::attribute_flag_network_byte_order) != 0) {
        out.emplace_back("NLA_F_NET_BYTEORDER");
    }
    return out.empty() ? std::string("none") : join(out, "|");
}

namespace detail {

inline void node_text(const node& n, std::string& out, int depth) {
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
    out += n.name;
    if (n.type_flags != 0) {
        out += " [" + type_flag_text(n.type_flags) + "]";
    }
    out += ":";
    if (n.children.empty()) {
        out += " " + value_text(n);
        if (!n.symbol.empty()) {
            out += " (" + n.symbol + ")";
        }
    }
    if (!n.problem.empty()) {
        out += "  ! " + n.problem;
    }
    out += "\n";
    for (const node& c : n.children) {
        node_text(c, out, depth + 1);
    }
}

}  // namespace detail

// The first line of a message: type, family, length, flags, seq, port.
inline std::string header_text(const message& m) {
    std::string out = m.type_name;
    if (!m.family.empty() && m.family != m.type_name) {
        out += " [" + m.family + " " + hex_number(m.header.type) + "]";
    }
    out += " len " + std::to_string(m.header.length);
    out += " flags " + (m.flag_names.empty() ? std::string("0") : join(m.flag_names, "|"));
    out += " seq " + std::to_string(m.header.sequence);
    out += " port " + std::to_string(m.header.port);
    return out;
}

inline std::string to_text(const message& m, int indent = 0) {
    std::string out(static_cast<std::size_t>(indent) * 2, ' ');
    out += header_text(m) + "\n";
    for (const auto& p : m.problems) {
        out.append(static_cast<std::size_t>(indent + 1) * 2, ' ');
        out += "! " + p + "\n";
    }
    for (const node& n : m.body) {
        detail::node_text(n, out, indent + 1);
    }
    return out;
}

inline std::string json_string(std::string_view s) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out = "\"";
    for (const char ch : s) {
        const auto u = static_cast<unsigned char>(ch);
        switch (ch) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                // Control bytes and bytes ≥ 0x80 as \u00XX: the output stays
                // valid JSON whatever the attribute held.
                if (u < 0x20 || u >= 0x7f) {
                    out += "\\u00";
                    out += digits[u >> 4];
                    out += digits[u & 0xf];
                } else {
                    out += ch;
                }
        }
    }
    return out + "\"";
}

namespace detail {

inline void node_json(const node& n, std::string& out) {
    out += "{\"name\":" + json_string(n.name);
    out += n.field ? ",\"kind\":\"field\"" : ",\"kind\":\"attribute\",\"id\":" + std::to_string(n.id);
    out += ",\"offset\":" + std::to_string(n.offset);
    out += ",\"type\":" + json_string(name(n.type));
    if (n.type_flags != 0) {
        out += ",\"nla_flags\":" + json_string(type_flag_text(n.type_flags));
    }
    if (n.unsigned_value) {
        out += ",\"value\":" + std::to_string(*n.unsigned_value);
    } else if (n.signed_value) {
        out += ",\"value\":" + std::to_string(*n.signed_value);
    } else if (n.text) {
        out += ",\"value\":" + json_string(*n.text);
    } else if (n.type == value_type::hardware_address && !n.payload.empty()) {
        out += ",\"value\":" + json_string(value_text(n));
    } else if (n.children.empty()) {
        out += ",\"hex\":" + json_string(hex(n.payload));
    }
    if (!n.symbol.empty()) {
        out += ",\"symbol\":" + json_string(n.symbol);
    }
    if (!n.problem.empty()) {
        out += ",\"problem\":" + json_string(n.problem);
    }
    if (!n.children.empty()) {
        out += ",\"children\":[";
        for (std::size_t i = 0; i < n.children.size(); ++i) {
            out += i == 0 ? "" : ",";
            node_json(n.children[i], out);
        }
        out += "]";
    }
    out += "}";
}

}  // namespace detail

inline std::string to_json(const message& m) {
    std::string out = "{\"protocol\":" + json_string(uapi::name(m.protocol));
    out += ",\"type\":" + std::to_string(m.header.type);
    out += ",\"type_name\":" + json_string(m.type_name);
    if (!m.family.empty()) {
        out += ",\"family\":" + json_string(m.family);
    }
    out += ",\"length\":" + std::to_string(m.header.length);
    out += ",\"flags\":" + std::to_string(m.header.flags);
    out += ",\"flag_names\":[";
    for (std::size_t i = 0; i < m.flag_names.size(); ++i) {
        out += i == 0 ? "" : ",";
        out += json_string(m.flag_names[i]);
    }
    out += "],\"sequence\":" + std::to_string(m.header.sequence);
    out += ",\"port\":" + std::to_string(m.header.port);
    out += ",\"body\":[";
    for (std::size_t i = 0; i < m.body.size(); ++i) {
        out += i == 0 ? "" : ",";
        detail::node_json(m.body[i], out);
    }
    out += "]";
    if (!m.problems.empty()) {
        out += ",\"problems\":[";
        for (std::size_t i = 0; i < m.problems.size(); ++i) {
            out += i == 0 ? "" : ",";
            out += json_string(m.problems[i]);
        }
        out += "]";
    }
    return out + "}";
}

inline std::string to_json(const std::vector<message>& messages) {
    std::string out = "[";
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (i != 0) {
            out += ',';
        }
        out += to_json(messages[i]);
    }
    return out + "]";
}

// ------------------------------------------------------------------ diff

// One difference between two trees: where, and each side's value ("absent"
// when a side lacks it). `message` is the index in a compared sequence.
struct difference {
    std::size_t message = 0;
    std::string path;  // "RTM_NEWLINK / IFLA_LINKINFO / IFLA_INFO_DATA / IFLA_NETKIT_MODE"
    std::string left;
    std::string right;

    friend bool operator==(const difference&, const difference&) = default;
};

struct diff_options {
    bool ignore_port = false;       // nlmsg_pid: a capture's socket is not the model's
    bool ignore_sequence = false;
    bool ignore_unmodelled = false; // attributes only the left side has and the model never emits
};

inline std::string to_string(const difference& d, std::string_view left_label = "kernel",
                             std::string_view right_label = "model") {
    return d.path + ": " + std::string(left_label) + " " + d.left + ", " + std::string(right_label) + " " + d.right;
}

namespace detail {

inline constexpr std::string_view absent = "absent";

// Attributes match by id and occurrence, fields by name, so attribute order
// (model-defined, NL-RT-13) does not count as a difference.
inline bool same_key(const node& a, const node& b) {
    return a.field == b.field && (a.field ? a.name == b.name : a.id == b.id);
}

inline std::string label(const node& n, std::size_t occurrence, std::size_t occurrences) {
    return occurrences > 1 ? n.name + "[" + std::to_string(occurrence) + "]" : n.name;
}

inline void diff_nodes(const std::vector<node>& left, const std::vector<node>& right, const std::string& prefix,
                       const diff_options& o, std::vector<difference>& out);

inline void diff_node(const node& l, const node& r, const std::string& path, const diff_options& o,
                      std::vector<difference>& out) {
    if (l.type_flags != r.type_flags) {
        out.push_back({0, path + " (nla_type flags)", type_flag_text(l.type_flags), type_flag_text(r.type_flags)});
    }
    if (!l.children.empty() || !r.children.empty()) {
        diff_nodes(l.children, r.children, path, o, out);
        return;
    }
    if (l.payload != r.payload) {
        std::string a = summary(l);
        std::string b = summary(r);
        if (a == b) {  // same reading, different bytes: show the bytes
            a = hex(l.payload) + " (" + std::to_string(l.payload.size()) + " bytes)";
            b = hex(r.payload) + " (" + std::to_string(r.payload.size()) + " bytes)";
        }
        out.push_back({0, path, a, b});
    }
}

inline void diff_nodes(const std::vector<node>& left, const std::vector<node>& right, const std::string& prefix,
                       const diff_options& o, std::vector<difference>& out) {
    auto occurrence_of = [](const std::vector<node>& all, std::size_t index) {
        std::size_t k = 0;
        for (std::size_t i = 0; i < index; ++i) {
            k += same_key(all[i], all[index]) ? 1 : 0;
        }
        return k;
    };
    auto count_of = [](const std::vector<node>& all, const node& n) {
        return static_cast<std::size_t>(
            std::count_if(all.begin(), all.end(), [&n](const node& x) { return same_key(x, n); }));
    };
    auto find = [&](const std::vector<node>& all, const node& n, std::size_t occurrence) -> const node* {
        std::size_t k = 0;
        for (const node& x : all) {
            if (same_key(x, n) && k++ == occurrence) {
                return &x;
            }
        }
        return nullptr;
    };
    for (std::size_t i = 0; i < left.size(); ++i) {
        const node& l = left[i];
        const std::size_t k = occurrence_of(left, i);
        const std::size_t count = std::max(count_of(left, l), count_of(right, l));
        const std::string path = prefix + " / " + label(l, k, count);
        if (const node* r = find(right, l, k)) {
            diff_node(l, *r, path, o, out);
        } else if (!(o.ignore_unmodelled && !l.field && !l.emitted_by_model)) {
            out.push_back({0, path, summary(l), std::string(absent)});
        }
    }
    for (std::size_t i = 0; i < right.size(); ++i) {
        const node& r = right[i];
        const std::size_t k = occurrence_of(right, i);
        if (find(left, r, k) == nullptr) {
            const std::size_t count = std::max(count_of(left, r), count_of(right, r));
            out.push_back({0, prefix + " / " + label(r, k, count), std::string(absent), summary(r)});
        }
    }
}

}  // namespace detail

// Every difference between two messages: the header (type first — messages
// of different types are not compared further — then flags, seq, port),
// the problems found while decoding, then the body attribute by attribute;
// nlmsg_len only when nothing else differs (it follows from the rest).
inline std::vector<difference> diff(const message& left, const message& right, const diff_options& o = {}) {
    std::vector<difference> out;
    const std::string& root = left.type_name;
    if (left.header.type != right.header.type || left.protocol != right.protocol || left.type_name != right.type_name) {
        out.push_back({0, root + " / nlmsg_type", left.type_name + " (" + std::to_string(left.header.type) + ")",
                       right.type_name + " (" + std::to_string(right.header.type) + ")"});
        return out;
    }
    if (left.header.flags != right.header.flags) {
        out.push_back({0, root + " / nlmsg_flags", join(left.flag_names, "|"), join(right.flag_names, "|")});
    }
    if (!o.ignore_sequence && left.header.sequence != right.header.sequence) {
        out.push_back({0, root + " / nlmsg_seq", std::to_string(left.header.sequence),
                       std::to_string(right.header.sequence)});
    }
    if (!o.ignore_port && left.header.port != right.header.port) {
        out.push_back({0, root + " / nlmsg_pid", std::to_string(left.header.port), std::to_string(right.header.port)});
    }
    if (left.problems != right.problems) {
        out.push_back({0, root + " / (decoding)", left.problems.empty() ? "none" : join(left.problems, "; "),
                       right.problems.empty() ? "none" : join(right.problems, "; ")});
    }
    detail::diff_nodes(left.body, right.body, root, o, out);
    if (!out.empty()) {
        return out;
    }
    // Nothing decoded differs: what is left is the length or the bytes no
    // node holds (attribute padding, bytes past the last attribute).
    if (left.header.length != right.header.length) {
        out.push_back(
            {0, root + " / nlmsg_len", std::to_string(left.header.length), std::to_string(right.header.length)});
        return out;
    }
    auto comparable = [&o](std::vector<std::uint8_t> bytes) {
        for (std::size_t i = 8; i < std::min<std::size_t>(bytes.size(), uapi::message_header_size); ++i) {
            if ((i < 12 && o.ignore_sequence) || (i >= 12 && o.ignore_port)) {
                bytes[i] = 0;
            }
        }
        return bytes;
    };
    if (comparable(left.bytes) != comparable(right.bytes)) {
        out.push_back({0, root + " / (padding)", hex(left.bytes), hex(right.bytes)});
    }
    return out;
}

// Two sequences message by message; a message only one side has is one
// difference naming its type.
inline std::vector<difference> diff(const std::vector<message>& left, const std::vector<message>& right,
                                    const diff_options& o = {}) {
    std::vector<difference> out;
    for (std::size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
        if (i < left.size() && i < right.size()) {
            for (auto d : diff(left[i], right[i], o)) {
                d.message = i;
                out.push_back(std::move(d));
            }
        } else if (i < left.size()) {
            out.push_back({i, left[i].type_name, "sent it (" + std::to_string(left[i].bytes.size()) + " bytes)",
                           "sent no such message"});
        } else {
            out.push_back({i, right[i].type_name, "sent no such message",
                           "sent it (" + std::to_string(right[i].bytes.size()) + " bytes)"});
        }
    }
    return out;
}

}  // namespace netkit::netlink::decode
