// Link requests as values: what an RTM_NEWLINK / RTM_SETLINK / RTM_DELLINK
// carries once its bytes are decoded (netlink.md NL-RT-02…11), so the typed
// API, the typed façade and the netlink front end all reach the same
// implementation.
//
// The netkit IFLA_INFO_DATA attributes are kept in message order, because
// the kernel checks them one at a time in that order (device.md NK-CRT-03):
// {MODE 2, PRIMARY 1} fails with ERANGE, {PRIMARY 1, MODE 2} with EINVAL.
// Lengths cannot be short in a typed request; the netlink front end checks
// them (NK-CRT-05) while decoding and calls check_netkit_attribute() on each
// attribute as it goes, so the order of the two kinds of checks is kept.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/kernel_profile.hpp>
#include <netkit/core/result.hpp>
#include <netkit/uapi/netkit.hpp>
#include <netkit/uapi/netlink.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netkit::model {

// struct ifinfomsg (NL-RT-02).
struct interface_header {
    std::uint8_t family = 0;
    std::uint16_t type = 0;
    std::int32_t index = 0;
    std::uint32_t flags = 0;
    std::uint32_t change = 0;

    friend bool operator==(const interface_header&, const interface_header&) = default;
};

// The generic IFLA_* attributes the model reads (NL-RT-04/05), as one table:
// the top level of a request, or the attributes nested in PEER_INFO.
struct link_attributes {
    std::optional<std::string> ifname;
    std::optional<std::vector<std::uint8_t>> address;
    std::optional<std::uint32_t> mtu;
    std::optional<std::uint32_t> num_tx_queues;
    std::optional<std::uint32_t> num_rx_queues;
    std::optional<std::uint32_t> tx_queue_length;
    std::optional<std::uint32_t> net_ns_pid;
    std::optional<std::uint32_t> net_ns_fd;
    std::optional<std::int32_t> target_netnsid;
    std::optional<std::int32_t> link_netnsid;

    friend bool operator==(const link_attributes&, const link_attributes&) = default;
};

// IFLA_NETKIT_PEER_INFO: an ifinfomsg followed by nested IFLA_* (NL-RT-07).
struct peer_info {
    interface_header header;
    link_attributes attributes;

    friend bool operator==(const peer_info&, const peer_info&) = default;
};

// One IFLA_NETKIT_* attribute of IFLA_INFO_DATA. `value` holds PRIMARY (u8),
// HEADROOM / TAILROOM (u16) and the u32 attributes; `peer` holds PEER_INFO.
struct netkit_attribute {
    uapi::netkit_attr id = uapi::netkit_attr::unspec;
    std::uint32_t value = 0;
    std::optional<peer_info> peer;

    friend bool operator==(const netkit_attribute&, const netkit_attribute&) = default;
};

struct link_info {
    std::optional<std::string> kind;
    // nullopt: no IFLA_INFO_DATA at all (different from an empty one).
    std::optional<std::vector<netkit_attribute>> data;

    friend bool operator==(const link_info&, const link_info&) = default;
};

// RTM_NEWLINK and RTM_SETLINK.
struct link_request {
    std::uint16_t message_flags = 0;  // NLM_F_CREATE / NLM_F_EXCL / NLM_F_REPLACE
    interface_header header;
    link_attributes attributes;
    std::optional<link_info> linkinfo;

    friend bool operator==(const link_request&, const link_request&) = default;
};

// RTM_DELLINK: the device by index, else by name (NL-RT-11).
struct delete_request {
    std::int32_t index = 0;
    std::optional<std::string> ifname;
    std::optional<std::int32_t> target_netnsid;

    friend bool operator==(const delete_request&, const delete_request&) = default;
};

namespace attribute_paths {

inline core::attribute_path top(uapi::ifla id) { return {static_cast<std::uint16_t>(id)}; }

inline core::attribute_path data(uapi::netkit_attr id) {
    return {static_cast<std::uint16_t>(uapi::ifla::linkinfo), static_cast<std::uint16_t>(uapi::ifla_info::data),
            static_cast<std::uint16_t>(id)};
}

inline core::attribute_path peer(uapi::ifla id) {
    return {static_cast<std::uint16_t>(uapi::ifla::linkinfo), static_cast<std::uint16_t>(uapi::ifla_info::data),
            static_cast<std::uint16_t>(uapi::netkit_attr::peer_info), static_cast<std::uint16_t>(id)};
}

}  // namespace attribute_paths

inline constexpr std::string_view policy_failed_message = "Attribute failed policy validation";

// NK-CRT-01 / NK-CRT-07: the generic link policy on one attribute table
// (NL-RT-05): IFNAME at most 15 characters, ADDRESS at most 32 bytes.
// `path` turns an IFLA id into the offending attribute's path.
template <class PathOf>
core::status check_link_attributes(const link_attributes& a, PathOf path) {
    if (a.address && a.address->size() > uapi::hardware_address_max_size) {
        return core::fail(core::errno_code::out_of_range, policy_failed_message).at(path(uapi::ifla::address));
    }
    if (a.ifname && a.ifname->size() > uapi::interface_name_max_length) {
        return core::fail(core::errno_code::out_of_range, policy_failed_message).at(path(uapi::ifla::ifname));
    }
    return core::ok();
}

// NK-CRT-03 / NK-CRT-04: the netkit data policy on one attribute, applied in
// message order. PRIMARY is rejected; MODE, SCRUB, PEER_SCRUB, PAIRING have
// maximum 1 (profile orig-2023: an invalid MODE is the driver's EINVAL).
inline core::status check_netkit_attribute(const netkit_attribute& a, const core::profile_traits& profile) {
    using uapi::netkit_attr;
    switch (a.id) {
        case netkit_attr::primary:
            return core::fail(core::errno_code::invalid, "Primary attribute is read-only")
                .at(attribute_paths::data(a.id));
        case netkit_attr::mode:
            if (a.value > 1) {
                if (profile.mode_check == core::mode_range_check::driver_einval) {
                    return core::fail(core::errno_code::invalid, "Provided device mode can only be L2 or L3")
                        .at(attribute_paths::data(a.id));
                }
                return core::fail(core::errno_code::out_of_range, "integer out of range")
                    .at(attribute_paths::data(a.id));
            }
            return core::ok();
        case netkit_attr::scrub:
        case netkit_attr::peer_scrub:
        case netkit_attr::pairing:
            if (a.value > 1) {
                return core::fail(core::errno_code::out_of_range, "integer out of range")
                    .at(attribute_paths::data(a.id));
            }
            return core::ok();
        case netkit_attr::headroom:
        case netkit_attr::tailroom:
            if (a.value > 0xffff) {
                return core::fail(core::errno_code::out_of_range, policy_failed_message)
                    .at(attribute_paths::data(a.id));
            }
            return core::ok();
        default:
            return core::ok();
    }
}

// Builders for the common requests, so tests and users do not assemble
// attribute lists by hand.
namespace requests {

inline netkit_attribute attr(uapi::netkit_attr id, std::uint32_t value) { return netkit_attribute{id, value, {}}; }

inline netkit_attribute peer(peer_info info) {
    return netkit_attribute{uapi::netkit_attr::peer_info, 0, std::move(info)};
}

// RTM_NEWLINK with NLM_F_CREATE | NLM_F_EXCL, kind "netkit".
inline link_request create_netkit(std::optional<std::string> name, std::vector<netkit_attribute> data,
                                  bool with_data = true) {
    link_request r;
    r.message_flags = static_cast<std::uint16_t>(uapi::new_flag::create) | static_cast<std::uint16_t>(uapi::new_flag::exclusive);
    r.attributes.ifname = std::move(name);
    link_info info;
    info.kind = std::string(uapi::link_kind);
    if (with_data) {
        info.data = std::move(data);
    }
    r.linkinfo = std::move(info);
    return r;
}

// A pair whose peer has `peer_rx_queues` allocated RX queues (so it can
// lease peer_rx_queues − 1 queues, lease.md QL-NKQC-02), optionally placed
// in the netns a descriptor names and in a mode.
inline link_request netkit_pair(std::string primary, std::string peer_name, std::uint32_t peer_rx_queues = 1,
                                std::optional<std::uint32_t> peer_netns_fd = std::nullopt,
                                uapi::mode mode = uapi::mode::l2) {
    peer_info info;
    info.attributes.ifname = std::move(peer_name);
    info.attributes.num_rx_queues = peer_rx_queues;
    info.attributes.net_ns_fd = peer_netns_fd;
    return create_netkit(std::move(primary),
                         {attr(uapi::netkit_attr::mode, static_cast<std::uint32_t>(mode)), peer(std::move(info))});
}

// A single-mode device with `rx_queues` allocated RX queues (NK-SGL-04).
inline link_request netkit_single(std::string name, std::uint32_t rx_queues = 1) {
    link_request r = create_netkit(std::move(name), {attr(uapi::netkit_attr::pairing,
                                                         static_cast<std::uint32_t>(uapi::pairing::single))});
    r.attributes.num_rx_queues = rx_queues;
    return r;
}

// RTM_NEWLINK without CREATE/EXCL/REPLACE on an existing netkit device: changelink.
inline link_request change_netkit(std::string name, std::vector<netkit_attribute> data) {
    link_request r;
    r.attributes.ifname = std::move(name);
    r.linkinfo = link_info{std::string(uapi::link_kind), std::move(data)};
    return r;
}

}  // namespace requests

}  // namespace netkit::model
