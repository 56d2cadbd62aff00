// Compile-time proof that the uapi/ constants equal the kernel's, wherever
// the installed uapi headers define them (netlink.md NL-GEN-03; device.md
// NK-UAPI-01…10, mprog.md MP-01…04, lease.md QL-UAPI-01…05, netlink.md
// NL-FLAG, NL-ERR, NL-EXT, NL-ATTR, NL-RT, NL-GENL, NL-ND; errno values of
// README §3.4). Opt-in and not part of any other header: it pulls in the
// Linux uapi headers, which the rest of the library never needs.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/uapi/bpf.hpp>
#include <netkit/uapi/netdev.hpp>
#include <netkit/uapi/netkit.hpp>
#include <netkit/uapi/netlink.hpp>

#include <cerrno>
#include <type_traits>

#if __has_include(<sys/socket.h>)
#include <sys/socket.h>
#endif
#if __has_include(<linux/version.h>)
#include <linux/version.h>
#endif
#if __has_include(<linux/netlink.h>)
#include <linux/netlink.h>
#endif
#if __has_include(<linux/rtnetlink.h>)
#include <linux/rtnetlink.h>
#endif
#if __has_include(<linux/if.h>)
#include <linux/if.h>
#endif
#if __has_include(<linux/if_link.h>)
#include <linux/if_link.h>
#endif
#if __has_include(<linux/if_arp.h>)
#include <linux/if_arp.h>
#endif
#if __has_include(<linux/if_ether.h>)
#include <linux/if_ether.h>
#endif
#if __has_include(<linux/netdevice.h>)
#include <linux/netdevice.h>
#endif
#if __has_include(<linux/veth.h>)
#include <linux/veth.h>
#endif
#if __has_include(<linux/genetlink.h>)
#include <linux/genetlink.h>
#endif
#if __has_include(<linux/bpf.h>)
#include <linux/bpf.h>
#endif
#if __has_include(<linux/netdev.h>)
#include <linux/netdev.h>
#endif

namespace netkit::uapi::system_check {

// System constants come as macros, unnamed-enum enumerators of several
// types, and our scoped enums; compare them all as plain numbers.
template <class T>
constexpr long long number(T value) noexcept {
    if constexpr (std::is_enum_v<T>) {
        return static_cast<long long>(static_cast<std::underlying_type_t<T>>(value));
    } else {
        return static_cast<long long>(value);
    }
}

template <class Ours, class Theirs>
constexpr bool same(Ours ours, Theirs theirs) noexcept {
    return number(ours) == number(theirs);
}

// For maximum ids: a newer kernel may have appended to the set.
template <class Theirs, class Ours>
constexpr bool at_least(Theirs theirs, Ours ours) noexcept {
    return number(theirs) >= number(ours);
}

}  // namespace netkit::uapi::system_check

// Macros are tested with #ifdef. Enumerators cannot be, so each group of
// them is guarded by a macro from the same header version (IFLA_NETKIT_MAX,
// NETDEV_FAMILY_NAME, NETDEV_MCGRP_PAGE_POOL) or by LINUX_VERSION_CODE with
// the first release that is known to carry the whole group; where the exact
// release is uncertain the guard names a later one, so an older header skips
// a check rather than failing to compile. Maximum ids are compared with >=
// because later kernels append to sets the model freezes at Linux 7.1.
namespace netkit::uapi::system_check {

// ---------------------------------------------------------------------------
// errno (README §3.4)

#ifdef EPERM
static_assert(same(core::errno_code::not_permitted, EPERM));
#endif
#ifdef ENOENT
static_assert(same(core::errno_code::no_entry, ENOENT));
#endif
#ifdef ESRCH
static_assert(same(core::errno_code::no_such_process, ESRCH));
#endif
#ifdef ENXIO
static_assert(same(core::errno_code::no_such_device_or_address, ENXIO));
#endif
#ifdef EBADF
static_assert(same(core::errno_code::bad_descriptor, EBADF));
#endif
#ifdef ENOMEM
static_assert(same(core::errno_code::out_of_memory, ENOMEM));
#endif
#ifdef EACCES
static_assert(same(core::errno_code::access_denied, EACCES));
#endif
#ifdef EBUSY
static_assert(same(core::errno_code::busy, EBUSY));
#endif
#ifdef EEXIST
static_assert(same(core::errno_code::exists, EEXIST));
#endif
#ifdef ENODEV
static_assert(same(core::errno_code::no_device, ENODEV));
#endif
#ifdef EINVAL
static_assert(same(core::errno_code::invalid, EINVAL));
#endif
#ifdef ENOSPC
static_assert(same(core::errno_code::no_space, ENOSPC));
#endif
#ifdef ERANGE
static_assert(same(core::errno_code::out_of_range, ERANGE));
#endif
#ifdef ENODATA
static_assert(same(core::errno_code::no_data, ENODATA));
#endif
#ifdef ENONET
static_assert(same(core::errno_code::no_network, ENONET));
#endif
#ifdef ENOLINK
static_assert(same(core::errno_code::link_severed, ENOLINK));
#endif
#ifdef EMSGSIZE
static_assert(same(core::errno_code::message_too_long, EMSGSIZE));
#endif
#ifdef EOPNOTSUPP
static_assert(same(core::errno_code::not_supported, EOPNOTSUPP));
#endif
#ifdef EADDRNOTAVAIL
static_assert(same(core::errno_code::address_unavailable, EADDRNOTAVAIL));
#endif
#ifdef ENETDOWN
static_assert(same(core::errno_code::network_down, ENETDOWN));
#endif
#ifdef ENOTCONN
static_assert(same(core::errno_code::not_connected, ENOTCONN));
#endif
#ifdef ESTALE
static_assert(same(core::errno_code::stale, ESTALE));
#endif

// ---------------------------------------------------------------------------
// <linux/netlink.h> (NL-GEN-01, NL-HDR, NL-FLAG, NL-ERR, NL-EXT, NL-ATTR)

#ifdef NETLINK_ROUTE
static_assert(same(netlink_protocol::route, NETLINK_ROUTE));
static_assert(same(netlink_protocol::generic, NETLINK_GENERIC));
#endif
#ifdef NETLINK_CAP_ACK
static_assert(same(netlink_socket_option::capped_ack, NETLINK_CAP_ACK));
#endif
#ifdef NETLINK_EXT_ACK
static_assert(same(netlink_socket_option::extended_ack, NETLINK_EXT_ACK));
#endif

#ifdef NLMSG_HDRLEN
static_assert(message_header_size == sizeof(struct nlmsghdr));
static_assert(same(message_header_size, NLMSG_HDRLEN));
static_assert(same(message_alignment, NLMSG_ALIGNTO));
static_assert(same(message_align(0), NLMSG_ALIGN(0)));
static_assert(same(message_align(17), NLMSG_ALIGN(17)));
static_assert(same(message_align(20), NLMSG_ALIGN(20)));
static_assert(same(min_request_type, NLMSG_MIN_TYPE));
static_assert(same(control_message::noop, NLMSG_NOOP));
static_assert(same(control_message::error, NLMSG_ERROR));
static_assert(same(control_message::done, NLMSG_DONE));
static_assert(same(control_message::overrun, NLMSG_OVERRUN));
static_assert(error_message_size == sizeof(struct nlmsgerr));
#endif

#ifdef NLM_F_REQUEST
static_assert(same(message_flag::request, NLM_F_REQUEST));
static_assert(same(message_flag::multipart, NLM_F_MULTI));
static_assert(same(message_flag::acknowledge, NLM_F_ACK));
static_assert(same(message_flag::echo, NLM_F_ECHO));
static_assert(same(get_flag::root, NLM_F_ROOT));
static_assert(same(get_flag::match, NLM_F_MATCH));
static_assert(same(get_flag::atomic, NLM_F_ATOMIC));
static_assert(same(get_flag::dump, NLM_F_DUMP));
static_assert(same(new_flag::replace, NLM_F_REPLACE));
static_assert(same(new_flag::exclusive, NLM_F_EXCL));
static_assert(same(new_flag::create, NLM_F_CREATE));
static_assert(same(new_flag::append, NLM_F_APPEND));
#endif
#ifdef NLM_F_DUMP_INTR
static_assert(same(message_flag::dump_interrupted, NLM_F_DUMP_INTR));
#endif
#ifdef NLM_F_DUMP_FILTERED
static_assert(same(message_flag::dump_filtered, NLM_F_DUMP_FILTERED));
#endif
#ifdef NLM_F_CAPPED
static_assert(same(ack_flag::capped, NLM_F_CAPPED));
#endif
#ifdef NLM_F_ACK_TLVS
static_assert(same(ack_flag::extended_ack_tlvs, NLM_F_ACK_TLVS));
#endif

#ifdef NLA_HDRLEN
// NLA_HDRLEN itself is not compared: its expansion mixes size_t with a
// negative int and trips -Wsign-conversion; the sizeof check says the same.
static_assert(attribute_header_size == sizeof(struct nlattr));
static_assert(same(attribute_alignment, NLA_ALIGNTO));
static_assert(same(attribute_align(0), NLA_ALIGN(0)));
static_assert(same(attribute_align(5), NLA_ALIGN(5)));
static_assert(same(attribute_align(8), NLA_ALIGN(8)));
#endif
#ifdef NLA_F_NESTED
static_assert(same(attribute_flag_nested, NLA_F_NESTED));
static_assert(same(attribute_flag_network_byte_order, NLA_F_NET_BYTEORDER));
// The kernel's mask is an int with the high bits set; only nla_type's 16 count.
static_assert(same(attribute_type_mask, NLA_TYPE_MASK & 0xffff));
#endif

#if defined(NLMSG_HDRLEN) && defined(LINUX_VERSION_CODE) && defined(KERNEL_VERSION)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 0, 0)
// MISS_TYPE and MISS_NEST arrived last, in 6.0.
static_assert(same(error_attr::unused, NLMSGERR_ATTR_UNUSED));
static_assert(same(error_attr::message, NLMSGERR_ATTR_MSG));
static_assert(same(error_attr::offset, NLMSGERR_ATTR_OFFS));
static_assert(same(error_attr::cookie, NLMSGERR_ATTR_COOKIE));
static_assert(same(error_attr::policy, NLMSGERR_ATTR_POLICY));
static_assert(same(error_attr::missing_type, NLMSGERR_ATTR_MISS_TYPE));
static_assert(same(error_attr::missing_nest, NLMSGERR_ATTR_MISS_NEST));
static_assert(at_least(NLMSGERR_ATTR_MAX, error_attr_max));
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
// Policy descriptions were added in 5.7.
static_assert(same(policy_type_attr::unspec, NL_POLICY_TYPE_ATTR_UNSPEC));
static_assert(same(policy_type_attr::type, NL_POLICY_TYPE_ATTR_TYPE));
static_assert(same(policy_type_attr::min_value_signed, NL_POLICY_TYPE_ATTR_MIN_VALUE_S));
static_assert(same(policy_type_attr::max_value_signed, NL_POLICY_TYPE_ATTR_MAX_VALUE_S));
static_assert(same(policy_type_attr::min_value_unsigned, NL_POLICY_TYPE_ATTR_MIN_VALUE_U));
static_assert(same(policy_type_attr::max_value_unsigned, NL_POLICY_TYPE_ATTR_MAX_VALUE_U));
static_assert(same(policy_type_attr::min_length, NL_POLICY_TYPE_ATTR_MIN_LENGTH));
static_assert(same(policy_type_attr::max_length, NL_POLICY_TYPE_ATTR_MAX_LENGTH));
static_assert(same(attribute_type::invalid, NL_ATTR_TYPE_INVALID));
static_assert(same(attribute_type::flag, NL_ATTR_TYPE_FLAG));
static_assert(same(attribute_type::u8, NL_ATTR_TYPE_U8));
static_assert(same(attribute_type::u16, NL_ATTR_TYPE_U16));
static_assert(same(attribute_type::u32, NL_ATTR_TYPE_U32));
static_assert(same(attribute_type::u64, NL_ATTR_TYPE_U64));
static_assert(same(attribute_type::s8, NL_ATTR_TYPE_S8));
static_assert(same(attribute_type::s16, NL_ATTR_TYPE_S16));
static_assert(same(attribute_type::s32, NL_ATTR_TYPE_S32));
static_assert(same(attribute_type::s64, NL_ATTR_TYPE_S64));
static_assert(same(attribute_type::binary, NL_ATTR_TYPE_BINARY));
static_assert(same(attribute_type::string, NL_ATTR_TYPE_STRING));
static_assert(same(attribute_type::nul_string, NL_ATTR_TYPE_NUL_STRING));
static_assert(same(attribute_type::nested, NL_ATTR_TYPE_NESTED));
static_assert(same(attribute_type::nested_array, NL_ATTR_TYPE_NESTED_ARRAY));
static_assert(same(attribute_type::bitfield32, NL_ATTR_TYPE_BITFIELD32));
#endif
#endif

// ---------------------------------------------------------------------------
// <linux/rtnetlink.h>, <linux/if_link.h>, <linux/if.h>, <linux/if_arp.h>,
// <linux/netdevice.h>, <linux/veth.h>, <sys/socket.h> (NL-RT-01…13)

#ifdef RTM_NEWLINK
static_assert(same(rtm::new_link, RTM_NEWLINK));
static_assert(same(rtm::delete_link, RTM_DELLINK));
static_assert(same(rtm::get_link, RTM_GETLINK));
static_assert(same(rtm::set_link, RTM_SETLINK));
static_assert(same(rtm_base, RTM_BASE));
static_assert(interface_info_message_size == sizeof(struct ifinfomsg));
#endif
#ifdef AF_UNSPEC
static_assert(same(address_family_unspecified, AF_UNSPEC));
#endif
#ifdef ARPHRD_ETHER
static_assert(same(hardware_type::ethernet, ARPHRD_ETHER));
#endif
#ifdef ARPHRD_LOOPBACK
static_assert(same(hardware_type::loopback, ARPHRD_LOOPBACK));
#endif

#ifdef IFF_UP
static_assert(same(interface_flag::up, IFF_UP));
#endif
#ifdef IFF_BROADCAST
static_assert(same(interface_flag::broadcast, IFF_BROADCAST));
#endif
#ifdef IFF_RUNNING
static_assert(same(interface_flag::running, IFF_RUNNING));
#endif
#ifdef IFF_NOARP
static_assert(same(interface_flag::no_arp, IFF_NOARP));
#endif
#ifdef IFF_MULTICAST
static_assert(same(interface_flag::multicast, IFF_MULTICAST));
#endif
#ifdef IFF_LOWER_UP
static_assert(same(interface_flag::lower_up, IFF_LOWER_UP));
#endif
#ifdef IFNAMSIZ
static_assert(same(interface_name_size, IFNAMSIZ));
#endif
#ifdef MAX_ADDR_LEN
static_assert(same(hardware_address_max_size, MAX_ADDR_LEN));
#endif

#if defined(IFLA_MAX) && defined(LINUX_VERSION_CODE) && defined(KERNEL_VERSION)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 20, 0)
// IFLA_TARGET_NETNSID, the newest id below, is an enumerator since 4.20.
static_assert(same(ifla::unspec, IFLA_UNSPEC));
static_assert(same(ifla::address, IFLA_ADDRESS));
static_assert(same(ifla::broadcast, IFLA_BROADCAST));
static_assert(same(ifla::ifname, IFLA_IFNAME));
static_assert(same(ifla::mtu, IFLA_MTU));
static_assert(same(ifla::link, IFLA_LINK));
static_assert(same(ifla::txqlen, IFLA_TXQLEN));
static_assert(same(ifla::operstate, IFLA_OPERSTATE));
static_assert(same(ifla::linkinfo, IFLA_LINKINFO));
static_assert(same(ifla::net_ns_pid, IFLA_NET_NS_PID));
static_assert(same(ifla::group, IFLA_GROUP));
static_assert(same(ifla::net_ns_fd, IFLA_NET_NS_FD));
static_assert(same(ifla::ext_mask, IFLA_EXT_MASK));
static_assert(same(ifla::num_tx_queues, IFLA_NUM_TX_QUEUES));
static_assert(same(ifla::num_rx_queues, IFLA_NUM_RX_QUEUES));
static_assert(same(ifla::link_netnsid, IFLA_LINK_NETNSID));
static_assert(same(ifla::target_netnsid, IFLA_TARGET_NETNSID));
static_assert(same(ifla::target_netnsid, IFLA_IF_NETNSID));
static_assert(same(ifla_info::unspec, IFLA_INFO_UNSPEC));
static_assert(same(ifla_info::kind, IFLA_INFO_KIND));
static_assert(same(ifla_info::data, IFLA_INFO_DATA));
static_assert(same(ifla_info::xstats, IFLA_INFO_XSTATS));
static_assert(same(ifla_info::slave_kind, IFLA_INFO_SLAVE_KIND));
static_assert(same(ifla_info::slave_data, IFLA_INFO_SLAVE_DATA));
#endif
#endif

#ifdef VETH_INFO_MAX
static_assert(same(veth_attr::unspec, VETH_INFO_UNSPEC));
static_assert(same(veth_attr::peer, VETH_INFO_PEER));
#endif

// ---------------------------------------------------------------------------
// netkit in <linux/if_link.h>, Ethernet sizes (NK-UAPI-01…09)

#ifdef IFLA_NETKIT_MAX
// The 6.7 set: netkit as first released.
static_assert(same(action::next, NETKIT_NEXT));
static_assert(same(action::pass, NETKIT_PASS));
static_assert(same(action::drop, NETKIT_DROP));
static_assert(same(action::redirect, NETKIT_REDIRECT));
static_assert(same(mode::l2, NETKIT_L2));
static_assert(same(mode::l3, NETKIT_L3));
static_assert(same(netkit_attr::unspec, IFLA_NETKIT_UNSPEC));
static_assert(same(netkit_attr::peer_info, IFLA_NETKIT_PEER_INFO));
static_assert(same(netkit_attr::primary, IFLA_NETKIT_PRIMARY));
static_assert(same(netkit_attr::policy, IFLA_NETKIT_POLICY));
static_assert(same(netkit_attr::peer_policy, IFLA_NETKIT_PEER_POLICY));
static_assert(same(netkit_attr::mode, IFLA_NETKIT_MODE));
#if defined(LINUX_VERSION_CODE) && defined(KERNEL_VERSION)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
// Scrubbing and head/tailroom (README profile row 3); both present from 6.14 on.
static_assert(same(scrub::none, NETKIT_SCRUB_NONE));
static_assert(same(scrub::standard, NETKIT_SCRUB_DEFAULT));
static_assert(same(netkit_attr::scrub, IFLA_NETKIT_SCRUB));
static_assert(same(netkit_attr::peer_scrub, IFLA_NETKIT_PEER_SCRUB));
static_assert(same(netkit_attr::headroom, IFLA_NETKIT_HEADROOM));
static_assert(same(netkit_attr::tailroom, IFLA_NETKIT_TAILROOM));
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 1, 0)
// Single mode is part of the newest profile (README §4).
static_assert(same(pairing::pair, NETKIT_DEVICE_PAIR));
static_assert(same(pairing::single, NETKIT_DEVICE_SINGLE));
static_assert(same(netkit_attr::pairing, IFLA_NETKIT_PAIRING));
static_assert(at_least(IFLA_NETKIT_MAX, netkit_attr_max));
#endif
#endif
#endif

#ifdef ETH_HLEN
static_assert(same(ethernet_header_size, ETH_HLEN));
static_assert(same(ethernet_address_size, ETH_ALEN));
static_assert(same(default_mtu, ETH_DATA_LEN));
#endif
#ifdef ETH_MIN_MTU
static_assert(same(min_mtu, ETH_MIN_MTU));
#endif
#ifdef ETH_MAX_MTU
static_assert(same(max_mtu, ETH_MAX_MTU));
#endif

// ---------------------------------------------------------------------------
// <linux/bpf.h> (MP-01, MP-02, MP-64)

#if __has_include(<linux/bpf.h>)
static_assert(same(bpf_program_type::traffic_classifier, BPF_PROG_TYPE_SCHED_CLS));
#if defined(LINUX_VERSION_CODE) && defined(KERNEL_VERSION)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 9, 0)
// BPF_LINK_DETACH, the newest command below, is from 5.9.
static_assert(same(bpf_command::program_attach, BPF_PROG_ATTACH));
static_assert(same(bpf_command::program_detach, BPF_PROG_DETACH));
static_assert(same(bpf_command::program_query, BPF_PROG_QUERY));
static_assert(same(bpf_command::link_create, BPF_LINK_CREATE));
static_assert(same(bpf_command::link_update, BPF_LINK_UPDATE));
static_assert(same(bpf_command::link_detach, BPF_LINK_DETACH));
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
// tcx and the mprog engine.
static_assert(same(bpf_attach_type::tcx_ingress, BPF_TCX_INGRESS));
static_assert(same(bpf_attach_type::tcx_egress, BPF_TCX_EGRESS));
static_assert(same(bpf_link_type::tcx, BPF_LINK_TYPE_TCX));
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
// netkit.
static_assert(same(bpf_attach_type::netkit_primary, BPF_NETKIT_PRIMARY));
static_assert(same(bpf_attach_type::netkit_peer, BPF_NETKIT_PEER));
static_assert(same(bpf_link_type::netkit, BPF_LINK_TYPE_NETKIT));
#endif
#endif
#endif

#ifdef BPF_F_REPLACE
static_assert(same(bpf_attach_flag::replace, BPF_F_REPLACE));
#endif
#ifdef BPF_F_BEFORE
static_assert(same(bpf_attach_flag::before, BPF_F_BEFORE));
#endif
#ifdef BPF_F_AFTER
static_assert(same(bpf_attach_flag::after, BPF_F_AFTER));
#endif
#ifdef BPF_F_ID
static_assert(same(bpf_attach_flag::relative_id, BPF_F_ID));
#endif
#ifdef BPF_F_LINK
static_assert(same(bpf_attach_flag::relative_link, BPF_F_LINK));
#endif
#if defined(BPF_F_REPLACE) && defined(BPF_F_BEFORE) && defined(BPF_F_AFTER) && defined(BPF_F_ID) && \
    defined(BPF_F_LINK)
static_assert(same(mprog_allowed_attach_flags,
                   BPF_F_REPLACE | BPF_F_BEFORE | BPF_F_AFTER | BPF_F_ID | BPF_F_LINK));
#endif
#ifdef BPF_F_QUERY_EFFECTIVE
static_assert(same(bpf_query_flag::effective, BPF_F_QUERY_EFFECTIVE));
#endif

// ---------------------------------------------------------------------------
// <linux/genetlink.h> (NL-GENL-01…05, NL-ATTR-04)

#ifdef GENL_ID_CTRL
static_assert(genl_header_size == sizeof(struct genlmsghdr));
static_assert(same(genl_header_size, GENL_HDRLEN));
static_assert(same(genl_id_control, GENL_ID_CTRL));
static_assert(same(genl_family_name_size, GENL_NAMSIZ));
static_assert(same(genl_operation_flag::admin_permission, GENL_ADMIN_PERM));
static_assert(same(genl_operation_flag::supports_do, GENL_CMD_CAP_DO));
static_assert(same(genl_operation_flag::supports_dump, GENL_CMD_CAP_DUMP));
static_assert(same(genl_operation_flag::has_policy, GENL_CMD_CAP_HASPOL));
#endif
#ifdef GENL_UNS_ADMIN_PERM
static_assert(same(genl_operation_flag::user_namespace_admin_permission, GENL_UNS_ADMIN_PERM));
#endif
#ifdef GENL_ID_PMCRAID
static_assert(same(genl_id_vfs_dquot, GENL_ID_VFS_DQUOT));
static_assert(same(genl_id_pmcraid, GENL_ID_PMCRAID));
#endif
#ifdef GENL_START_ALLOC
static_assert(same(genl_first_dynamic_id, GENL_START_ALLOC));
#endif
#ifdef CTRL_CMD_MAX
static_assert(same(genl_control_command::unspec, CTRL_CMD_UNSPEC));
static_assert(same(genl_control_command::new_family, CTRL_CMD_NEWFAMILY));
static_assert(same(genl_control_command::delete_family, CTRL_CMD_DELFAMILY));
static_assert(same(genl_control_command::get_family, CTRL_CMD_GETFAMILY));
#endif
#ifdef CTRL_ATTR_MAX
static_assert(same(genl_control_attr::unspec, CTRL_ATTR_UNSPEC));
static_assert(same(genl_control_attr::family_id, CTRL_ATTR_FAMILY_ID));
static_assert(same(genl_control_attr::family_name, CTRL_ATTR_FAMILY_NAME));
static_assert(same(genl_control_attr::version, CTRL_ATTR_VERSION));
static_assert(same(genl_control_attr::header_size, CTRL_ATTR_HDRSIZE));
static_assert(same(genl_control_attr::max_attr, CTRL_ATTR_MAXATTR));
static_assert(same(genl_control_attr::operations, CTRL_ATTR_OPS));
static_assert(same(genl_control_attr::multicast_groups, CTRL_ATTR_MCAST_GROUPS));
#endif
#ifdef CTRL_ATTR_OP_MAX
static_assert(same(genl_control_operation_attr::unspec, CTRL_ATTR_OP_UNSPEC));
static_assert(same(genl_control_operation_attr::id, CTRL_ATTR_OP_ID));
static_assert(same(genl_control_operation_attr::flags, CTRL_ATTR_OP_FLAGS));
#endif
#ifdef CTRL_ATTR_MCAST_GRP_MAX
static_assert(same(genl_control_group_attr::unspec, CTRL_ATTR_MCAST_GRP_UNSPEC));
static_assert(same(genl_control_group_attr::name, CTRL_ATTR_MCAST_GRP_NAME));
static_assert(same(genl_control_group_attr::id, CTRL_ATTR_MCAST_GRP_ID));
#endif

// ---------------------------------------------------------------------------
// <linux/netdev.h> (QL-UAPI-01…05, NL-ND-01…06, NK-UAPI-10)
//
// The header is generated from the ynl spec: its *_MAX values are
// enumerators, only the family name and the group names are macros.

#ifdef NETDEV_FAMILY_NAME
// The 6.3 header: the family, device commands and xdp-act bits.
static_assert(netdev_family_name == NETDEV_FAMILY_NAME);
static_assert(same(netdev_family_version, NETDEV_FAMILY_VERSION));
static_assert(same(netdev_command::device_get, NETDEV_CMD_DEV_GET));
static_assert(same(netdev_command::device_add_notification, NETDEV_CMD_DEV_ADD_NTF));
static_assert(same(netdev_command::device_delete_notification, NETDEV_CMD_DEV_DEL_NTF));
static_assert(same(netdev_command::device_change_notification, NETDEV_CMD_DEV_CHANGE_NTF));
static_assert(same(xdp_feature::basic, NETDEV_XDP_ACT_BASIC));
static_assert(same(xdp_feature::redirect, NETDEV_XDP_ACT_REDIRECT));
static_assert(same(xdp_feature::redirect_target, NETDEV_XDP_ACT_NDO_XMIT));
static_assert(same(xdp_feature::af_xdp_zero_copy, NETDEV_XDP_ACT_XSK_ZEROCOPY));
static_assert(same(xdp_feature::hardware_offload, NETDEV_XDP_ACT_HW_OFFLOAD));
#ifdef NETDEV_MCGRP_MGMT
static_assert(netdev_group_management == NETDEV_MCGRP_MGMT);
#endif
#ifdef NETDEV_MCGRP_PAGE_POOL
// The page-pool group came with the page-pool commands.
static_assert(netdev_group_page_pool == NETDEV_MCGRP_PAGE_POOL);
static_assert(same(netdev_command::page_pool_get, NETDEV_CMD_PAGE_POOL_GET));
static_assert(same(netdev_command::page_pool_add_notification, NETDEV_CMD_PAGE_POOL_ADD_NTF));
static_assert(same(netdev_command::page_pool_delete_notification, NETDEV_CMD_PAGE_POOL_DEL_NTF));
static_assert(same(netdev_command::page_pool_change_notification, NETDEV_CMD_PAGE_POOL_CHANGE_NTF));
#endif
#if defined(LINUX_VERSION_CODE) && defined(KERNEL_VERSION)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
// Page-pool stats, queue and NAPI introspection.
static_assert(same(netdev_command::page_pool_stats_get, NETDEV_CMD_PAGE_POOL_STATS_GET));
static_assert(same(netdev_command::queue_get, NETDEV_CMD_QUEUE_GET));
static_assert(same(netdev_command::napi_get, NETDEV_CMD_NAPI_GET));
static_assert(same(queue_type::rx, NETDEV_QUEUE_TYPE_RX));
static_assert(same(queue_type::tx, NETDEV_QUEUE_TYPE_TX));
static_assert(same(queue_attr::id, NETDEV_A_QUEUE_ID));
static_assert(same(queue_attr::ifindex, NETDEV_A_QUEUE_IFINDEX));
static_assert(same(queue_attr::type, NETDEV_A_QUEUE_TYPE));
static_assert(same(queue_attr::napi_id, NETDEV_A_QUEUE_NAPI_ID));
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
static_assert(same(netdev_command::queue_stats_get, NETDEV_CMD_QSTATS_GET));
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
// devmem TCP receive.
static_assert(same(netdev_command::bind_rx, NETDEV_CMD_BIND_RX));
static_assert(same(queue_attr::dmabuf, NETDEV_A_QUEUE_DMABUF));
static_assert(same(dmabuf_attr::ifindex, NETDEV_A_DMABUF_IFINDEX));
static_assert(same(dmabuf_attr::queues, NETDEV_A_DMABUF_QUEUES));
static_assert(same(dmabuf_attr::fd, NETDEV_A_DMABUF_FD));
static_assert(same(dmabuf_attr::id, NETDEV_A_DMABUF_ID));
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
static_assert(same(netdev_command::napi_set, NETDEV_CMD_NAPI_SET));
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
static_assert(same(queue_attr::io_uring, NETDEV_A_QUEUE_IO_URING));
static_assert(same(queue_attr::xsk, NETDEV_A_QUEUE_XSK));
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
// devmem TCP transmit.
static_assert(same(netdev_command::bind_tx, NETDEV_CMD_BIND_TX));
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 1, 0)
// Queue leasing (README §4: the newest profile).
static_assert(same(netdev_command::queue_create, NETDEV_CMD_QUEUE_CREATE));
static_assert(same(queue_attr::lease, NETDEV_A_QUEUE_LEASE));
static_assert(same(lease_attr::ifindex, NETDEV_A_LEASE_IFINDEX));
static_assert(same(lease_attr::queue, NETDEV_A_LEASE_QUEUE));
static_assert(same(lease_attr::netns_id, NETDEV_A_LEASE_NETNS_ID));
static_assert(at_least(NETDEV_CMD_MAX, netdev_command_max));
static_assert(at_least(NETDEV_A_QUEUE_MAX, queue_attr_max));
static_assert(at_least(NETDEV_A_LEASE_MAX, lease_attr_max));
#endif
#endif
#endif

}  // namespace netkit::uapi::system_check
