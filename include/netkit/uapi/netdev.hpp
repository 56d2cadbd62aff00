// The generic-netlink numbers of the "netdev" family and of the generic
// netlink controller ("nlctrl") that resolves it: family name, version and
// multicast groups, command ids, the queue, lease and dmabuf attribute sets,
// the queue-type enum (lease.md QL-UAPI-01…08, netlink.md NL-ND-01…06), and
// the genlmsghdr size, controller commands, CTRL_ATTR_* ids and operation
// flags (netlink.md NL-GENL-01…05). Mirrors <linux/netdev.h> (generated from
// Documentation/netlink/specs/netdev.yaml) and <linux/genetlink.h>. Kernel
// names are translated; each one is written next to its value, `name()`
// returns it for printers, and uapi/check_system.hpp compares the values with
// the system headers.
#pragma once

#include <cstdint>
#include <string_view>

namespace netkit::uapi {

// ---------------------------------------------------------------------------
// Generic netlink framing and the controller family (NL-GENL-*)

// NL-GENL-01: struct genlmsghdr {u8 cmd, u8 version, u16 reserved}.
inline constexpr std::uint32_t genl_header_size = 4;  // GENL_HDRLEN

// NL-GENL-02, NL-GENL-05. The controller's id is fixed; 0x11 and 0x12 are
// reserved for other fixed families, so the first id handed out by name is
// 0x13 (the model's default netdev id; clients must still resolve by name).
inline constexpr std::uint16_t genl_id_control = 0x10;        // GENL_ID_CTRL
inline constexpr std::uint16_t genl_id_vfs_dquot = 0x11;      // GENL_ID_VFS_DQUOT
inline constexpr std::uint16_t genl_id_pmcraid = 0x12;        // GENL_ID_PMCRAID
inline constexpr std::uint16_t genl_first_dynamic_id = 0x13;  // GENL_START_ALLOC (kernel-internal)
inline constexpr std::string_view genl_control_family_name = "nlctrl";

// NL-ATTR-04: a family name is at most 15 characters plus its NUL.
inline constexpr std::uint32_t genl_family_name_size = 16;  // GENL_NAMSIZ
inline constexpr std::uint32_t genl_family_name_max_length = genl_family_name_size - 1;

// NL-GENL-03. Controller commands (genlmsghdr.cmd with nlmsg_type 0x10).
enum class genl_control_command : std::uint8_t {
    unspec = 0,         // CTRL_CMD_UNSPEC
    new_family = 1,     // CTRL_CMD_NEWFAMILY: the reply to get_family
    delete_family = 2,  // CTRL_CMD_DELFAMILY
    get_family = 3,     // CTRL_CMD_GETFAMILY
};

constexpr std::string_view name(genl_control_command value) noexcept {
    switch (value) {
        case genl_control_command::unspec: return "CTRL_CMD_UNSPEC";
        case genl_control_command::new_family: return "CTRL_CMD_NEWFAMILY";
        case genl_control_command::delete_family: return "CTRL_CMD_DELFAMILY";
        case genl_control_command::get_family: return "CTRL_CMD_GETFAMILY";
    }
    return "unknown";
}

// NL-GENL-03. Top-level attributes of controller messages; the kernel has
// more (policy dumps) that the model never emits.
enum class genl_control_attr : std::uint16_t {
    unspec = 0,            // CTRL_ATTR_UNSPEC
    family_id = 1,         // CTRL_ATTR_FAMILY_ID (u16)
    family_name = 2,       // CTRL_ATTR_FAMILY_NAME (string)
    version = 3,           // CTRL_ATTR_VERSION (u32)
    header_size = 4,       // CTRL_ATTR_HDRSIZE (u32, 0 for netdev)
    max_attr = 5,          // CTRL_ATTR_MAXATTR (u32)
    operations = 6,        // CTRL_ATTR_OPS (nest of nests)
    multicast_groups = 7,  // CTRL_ATTR_MCAST_GROUPS (nest of nests)
};

constexpr std::string_view name(genl_control_attr value) noexcept {
    switch (value) {
        case genl_control_attr::unspec: return "CTRL_ATTR_UNSPEC";
        case genl_control_attr::family_id: return "CTRL_ATTR_FAMILY_ID";
        case genl_control_attr::family_name: return "CTRL_ATTR_FAMILY_NAME";
        case genl_control_attr::version: return "CTRL_ATTR_VERSION";
        case genl_control_attr::header_size: return "CTRL_ATTR_HDRSIZE";
        case genl_control_attr::max_attr: return "CTRL_ATTR_MAXATTR";
        case genl_control_attr::operations: return "CTRL_ATTR_OPS";
        case genl_control_attr::multicast_groups: return "CTRL_ATTR_MCAST_GROUPS";
    }
    return "unknown";
}

// NL-GENL-03. Inside each nest of CTRL_ATTR_OPS.
enum class genl_control_operation_attr : std::uint16_t {
    unspec = 0,  // CTRL_ATTR_OP_UNSPEC
    id = 1,      // CTRL_ATTR_OP_ID (u32, the command)
    flags = 2,   // CTRL_ATTR_OP_FLAGS (u32, genl_operation_flag bits)
};

constexpr std::string_view name(genl_control_operation_attr value) noexcept {
    switch (value) {
        case genl_control_operation_attr::unspec: return "CTRL_ATTR_OP_UNSPEC";
        case genl_control_operation_attr::id: return "CTRL_ATTR_OP_ID";
        case genl_control_operation_attr::flags: return "CTRL_ATTR_OP_FLAGS";
    }
    return "unknown";
}

// NL-GENL-03. Inside each nest of CTRL_ATTR_MCAST_GROUPS.
enum class genl_control_group_attr : std::uint16_t {
    unspec = 0,  // CTRL_ATTR_MCAST_GRP_UNSPEC
    name = 1,    // CTRL_ATTR_MCAST_GRP_NAME (string)
    id = 2,      // CTRL_ATTR_MCAST_GRP_ID (u32)
};

constexpr std::string_view name(genl_control_group_attr value) noexcept {
    switch (value) {
        case genl_control_group_attr::unspec: return "CTRL_ATTR_MCAST_GRP_UNSPEC";
        case genl_control_group_attr::name: return "CTRL_ATTR_MCAST_GRP_NAME";
        case genl_control_group_attr::id: return "CTRL_ATTR_MCAST_GRP_ID";
    }
    return "unknown";
}

// NL-GENL-04. Bits of CTRL_ATTR_OP_FLAGS. admin_permission is checked
// against CAP_NET_ADMIN in the initial user namespace before parsing
// (NL-GENL-06, lease.md QL-CRT-01); the user-namespace variant against the
// namespace owning the socket's netns.
enum class genl_operation_flag : std::uint32_t {
    admin_permission = 0x1,                  // GENL_ADMIN_PERM
    supports_do = 0x2,                       // GENL_CMD_CAP_DO
    supports_dump = 0x4,                     // GENL_CMD_CAP_DUMP
    has_policy = 0x8,                        // GENL_CMD_CAP_HASPOL
    user_namespace_admin_permission = 0x10,  // GENL_UNS_ADMIN_PERM
};

constexpr genl_operation_flag operator|(genl_operation_flag a, genl_operation_flag b) noexcept {
    return static_cast<genl_operation_flag>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
constexpr genl_operation_flag operator&(genl_operation_flag a, genl_operation_flag b) noexcept {
    return static_cast<genl_operation_flag>(static_cast<std::uint32_t>(a) & static_cast<std::uint32_t>(b));
}
constexpr genl_operation_flag operator~(genl_operation_flag a) noexcept {
    return static_cast<genl_operation_flag>(~static_cast<std::uint32_t>(a));
}
// True when every bit of `bits` is set in `set`.
constexpr bool contains(genl_operation_flag set, genl_operation_flag bits) noexcept {
    return (set & bits) == bits;
}

// Names single bits; a combination is "unknown" (printers split sets into bits).
constexpr std::string_view name(genl_operation_flag value) noexcept {
    switch (value) {
        case genl_operation_flag::admin_permission: return "GENL_ADMIN_PERM";
        case genl_operation_flag::supports_do: return "GENL_CMD_CAP_DO";
        case genl_operation_flag::supports_dump: return "GENL_CMD_CAP_DUMP";
        case genl_operation_flag::has_policy: return "GENL_CMD_CAP_HASPOL";
        case genl_operation_flag::user_namespace_admin_permission: return "GENL_UNS_ADMIN_PERM";
    }
    return "unknown";
}

// ---------------------------------------------------------------------------
// The netdev family (QL-UAPI-*, NL-ND-*)

// QL-UAPI-01, NL-ND-01. The numeric family id is dynamic (NL-GENL-05).
inline constexpr std::string_view netdev_family_name = "netdev";         // NETDEV_FAMILY_NAME
inline constexpr std::uint8_t netdev_family_version = 1;                 // NETDEV_FAMILY_VERSION
inline constexpr std::string_view netdev_group_management = "mgmt";      // NETDEV_MCGRP_MGMT
inline constexpr std::string_view netdev_group_page_pool = "page-pool";  // NETDEV_MCGRP_PAGE_POOL

// QL-UAPI-02. All ids up to queue-create, so a dispatcher can tell an
// unimplemented command (EOPNOTSUPP, NL-GENL-06) from an unknown one.
enum class netdev_command : std::uint8_t {
    device_get = 1,                     // NETDEV_CMD_DEV_GET
    device_add_notification = 2,        // NETDEV_CMD_DEV_ADD_NTF
    device_delete_notification = 3,     // NETDEV_CMD_DEV_DEL_NTF
    device_change_notification = 4,     // NETDEV_CMD_DEV_CHANGE_NTF
    page_pool_get = 5,                  // NETDEV_CMD_PAGE_POOL_GET
    page_pool_add_notification = 6,     // NETDEV_CMD_PAGE_POOL_ADD_NTF
    page_pool_delete_notification = 7,  // NETDEV_CMD_PAGE_POOL_DEL_NTF
    page_pool_change_notification = 8,  // NETDEV_CMD_PAGE_POOL_CHANGE_NTF
    page_pool_stats_get = 9,            // NETDEV_CMD_PAGE_POOL_STATS_GET
    queue_get = 10,                     // NETDEV_CMD_QUEUE_GET
    napi_get = 11,                      // NETDEV_CMD_NAPI_GET
    queue_stats_get = 12,               // NETDEV_CMD_QSTATS_GET
    bind_rx = 13,                       // NETDEV_CMD_BIND_RX
    napi_set = 14,                      // NETDEV_CMD_NAPI_SET
    bind_tx = 15,                       // NETDEV_CMD_BIND_TX
    queue_create = 16,                  // NETDEV_CMD_QUEUE_CREATE
};

inline constexpr netdev_command netdev_command_max = netdev_command::queue_create;  // NETDEV_CMD_MAX

constexpr std::string_view name(netdev_command value) noexcept {
    switch (value) {
        case netdev_command::device_get: return "NETDEV_CMD_DEV_GET";
        case netdev_command::device_add_notification: return "NETDEV_CMD_DEV_ADD_NTF";
        case netdev_command::device_delete_notification: return "NETDEV_CMD_DEV_DEL_NTF";
        case netdev_command::device_change_notification: return "NETDEV_CMD_DEV_CHANGE_NTF";
        case netdev_command::page_pool_get: return "NETDEV_CMD_PAGE_POOL_GET";
        case netdev_command::page_pool_add_notification: return "NETDEV_CMD_PAGE_POOL_ADD_NTF";
        case netdev_command::page_pool_delete_notification: return "NETDEV_CMD_PAGE_POOL_DEL_NTF";
        case netdev_command::page_pool_change_notification: return "NETDEV_CMD_PAGE_POOL_CHANGE_NTF";
        case netdev_command::page_pool_stats_get: return "NETDEV_CMD_PAGE_POOL_STATS_GET";
        case netdev_command::queue_get: return "NETDEV_CMD_QUEUE_GET";
        case netdev_command::napi_get: return "NETDEV_CMD_NAPI_GET";
        case netdev_command::queue_stats_get: return "NETDEV_CMD_QSTATS_GET";
        case netdev_command::bind_rx: return "NETDEV_CMD_BIND_RX";
        case netdev_command::napi_set: return "NETDEV_CMD_NAPI_SET";
        case netdev_command::bind_tx: return "NETDEV_CMD_BIND_TX";
        case netdev_command::queue_create: return "NETDEV_CMD_QUEUE_CREATE";
    }
    return "unknown";
}

// QL-UAPI-03. Policies cap the wire value at 1 (QL-CRT-02).
enum class queue_type : std::uint32_t {
    rx = 0,  // NETDEV_QUEUE_TYPE_RX
    tx = 1,  // NETDEV_QUEUE_TYPE_TX
};

constexpr std::string_view name(queue_type value) noexcept {
    switch (value) {
        case queue_type::rx: return "NETDEV_QUEUE_TYPE_RX";
        case queue_type::tx: return "NETDEV_QUEUE_TYPE_TX";
    }
    return "unknown";
}

// QL-UAPI-04, NL-ND-02…05. The queue attribute set; its subset {id, type} is
// the "queue-id" nest used inside lease and dmabuf requests. Payload types:
// id, ifindex (minimum 1), type (maximum 1), napi_id, dmabuf: u32;
// io_uring, xsk: empty nests; lease: nest of lease_attr.
enum class queue_attr : std::uint16_t {
    id = 1,        // NETDEV_A_QUEUE_ID
    ifindex = 2,   // NETDEV_A_QUEUE_IFINDEX
    type = 3,      // NETDEV_A_QUEUE_TYPE
    napi_id = 4,   // NETDEV_A_QUEUE_NAPI_ID
    dmabuf = 5,    // NETDEV_A_QUEUE_DMABUF (reply only)
    io_uring = 6,  // NETDEV_A_QUEUE_IO_URING (reply only)
    xsk = 7,       // NETDEV_A_QUEUE_XSK: an AF_XDP pool is on the queue
    lease = 8,     // NETDEV_A_QUEUE_LEASE
};

// NETDEV_A_QUEUE_MAX: strict parsing refuses ids above it (QL-CRT-02).
inline constexpr queue_attr queue_attr_max = queue_attr::lease;

constexpr std::string_view name(queue_attr value) noexcept {
    switch (value) {
        case queue_attr::id: return "NETDEV_A_QUEUE_ID";
        case queue_attr::ifindex: return "NETDEV_A_QUEUE_IFINDEX";
        case queue_attr::type: return "NETDEV_A_QUEUE_TYPE";
        case queue_attr::napi_id: return "NETDEV_A_QUEUE_NAPI_ID";
        case queue_attr::dmabuf: return "NETDEV_A_QUEUE_DMABUF";
        case queue_attr::io_uring: return "NETDEV_A_QUEUE_IO_URING";
        case queue_attr::xsk: return "NETDEV_A_QUEUE_XSK";
        case queue_attr::lease: return "NETDEV_A_QUEUE_LEASE";
    }
    return "unknown";
}

// QL-UAPI-05. ifindex names the lessor in a request and the lessee in a
// reply; netns_id is relative to the requesting or reporting netns.
// Payload types: ifindex u32 (minimum 1), queue nest of {queue_attr::id,
// queue_attr::type}, netns_id s32 (minimum 0; no minimum in v7-jan2026).
enum class lease_attr : std::uint16_t {
    ifindex = 1,   // NETDEV_A_LEASE_IFINDEX
    queue = 2,     // NETDEV_A_LEASE_QUEUE
    netns_id = 3,  // NETDEV_A_LEASE_NETNS_ID
};

inline constexpr lease_attr lease_attr_max = lease_attr::netns_id;  // NETDEV_A_LEASE_MAX

constexpr std::string_view name(lease_attr value) noexcept {
    switch (value) {
        case lease_attr::ifindex: return "NETDEV_A_LEASE_IFINDEX";
        case lease_attr::queue: return "NETDEV_A_LEASE_QUEUE";
        case lease_attr::netns_id: return "NETDEV_A_LEASE_NETNS_ID";
    }
    return "unknown";
}

// NL-ND-06 (bind-rx, optional). queues repeats once per queue as a
// {queue_attr::id, queue_attr::type} nest. No max constant: newer kernels
// extend this set beyond what the spec names.
enum class dmabuf_attr : std::uint16_t {
    ifindex = 1,  // NETDEV_A_DMABUF_IFINDEX
    queues = 2,   // NETDEV_A_DMABUF_QUEUES
    fd = 3,       // NETDEV_A_DMABUF_FD
    id = 4,       // NETDEV_A_DMABUF_ID (reply)
};

constexpr std::string_view name(dmabuf_attr value) noexcept {
    switch (value) {
        case dmabuf_attr::ifindex: return "NETDEV_A_DMABUF_IFINDEX";
        case dmabuf_attr::queues: return "NETDEV_A_DMABUF_QUEUES";
        case dmabuf_attr::fd: return "NETDEV_A_DMABUF_FD";
        case dmabuf_attr::id: return "NETDEV_A_DMABUF_ID";
    }
    return "unknown";
}

}  // namespace netkit::uapi
