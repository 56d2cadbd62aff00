// rtnetlink link operations over the world state: RTM_NEWLINK (creation of
// netkit pairs and single devices, veth pairs, and changelink on an existing
// device), RTM_SETLINK, RTM_DELLINK and RTM_GETLINK, plus the generic
// changes they are made of (open/close, MTU, MAC, netns moves, rx headroom)
// and namespace deletion.
//
// Creation follows device.md §4–§7 step by step, in the spec's processing
// order (NK-CRT-19, -01, -02…05, -06, -07, -08, -09, -10, -17/20/21, -22,
// -11, -23, -12/24, -13, -14, -15, -16, then NK-DRV, NK-PAIR or NK-SGL); the
// first failing step decides the error. These functions assume they run on
// a scratch copy: world::new_link commits only on success, so a refused
// request changes nothing (NK-PAIR-01: "leaves no device behind").
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/result.hpp>
#include <netkit/model/bpf.hpp>
#include <netkit/model/caller.hpp>
#include <netkit/model/link_request.hpp>
#include <netkit/model/queue_ops.hpp>
#include <netkit/model/unconfirmed.hpp>
#include <netkit/model/world_state.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netkit::model::links {

using core::errno_code;
using core::fail;

// What RTM_NEWLINK did.
struct new_link_outcome {
    bool created = false;
    core::device_handle device;                // the primary, or the changed device
    std::optional<core::device_handle> peer;  // created peer, if any

    friend bool operator==(const new_link_outcome&, const new_link_outcome&) = default;
};

namespace detail {

inline bool has_flag(std::uint16_t flags, uapi::new_flag bit) { return (flags & static_cast<std::uint16_t>(bit)) != 0; }

// NK-CRT-06 / NK-CRT-08 / NK-RT-02: length 6, neither zero nor multicast.
inline core::result<mac_address> validate_mac(const std::vector<std::uint8_t>& bytes) {
    if (bytes.size() != uapi::ethernet_address_size) {
        return fail(errno_code::invalid);
    }
    mac_address mac{};
    std::copy(bytes.begin(), bytes.end(), mac.begin());
    if (!is_valid_unicast(mac)) {
        return fail(errno_code::address_unavailable);
    }
    return mac;
}

// NK-CRT-10: a netns named by pid or descriptor (pid first, as the kernel
// reads IFLA_NET_NS_PID before IFLA_NET_NS_FD).
inline core::result<std::optional<core::netns_handle>> netns_by_pid_or_fd(const world_state& w,
                                                                          const link_attributes& a) {
    if (a.net_ns_pid) {
        const auto it = w.processes.find(static_cast<std::int32_t>(*a.net_ns_pid));
        if (it == w.processes.end() || !w.namespaces.contains(it->second)) {
            return fail(errno_code::no_such_process);
        }
        return std::optional<core::netns_handle>{it->second};
    }
    if (a.net_ns_fd) {
        const auto it = w.descriptors.find(static_cast<std::int32_t>(*a.net_ns_fd));
        if (it == w.descriptors.end()) {
            return fail(errno_code::bad_descriptor);
        }
        const core::netns_handle h{it->second.object};
        if (it->second.kind != descriptor_kind::netns || !w.namespaces.contains(h)) {
            return fail(errno_code::invalid);
        }
        return std::optional<core::netns_handle>{h};
    }
    return std::optional<core::netns_handle>{};
}

inline const netkit_attribute* last_of(const std::vector<netkit_attribute>& data, uapi::netkit_attr id) {
    const netkit_attribute* found = nullptr;
    for (const auto& a : data) {
        if (a.id == id) {
            found = &a;  // NL-ATTR-06: the last occurrence wins
        }
    }
    return found;
}

// NK-CRT-13: the generic queue-count check.
inline core::status check_queue_counts(const link_attributes& a) {
    const std::uint32_t tx = a.num_tx_queues.value_or(1);
    const std::uint32_t rx = a.num_rx_queues.value_or(1);
    if (tx < 1 || tx > 4096) {
        return fail(errno_code::invalid, "Invalid number of transmit queues");
    }
    if (rx < 1 || rx > 4096) {
        return fail(errno_code::invalid, "Invalid number of receive queues");
    }
    return core::ok();
}

// NK-CRT-14: netkit's allocator limits (none in the 2023-era profiles).
inline core::status check_netkit_queue_limits(const world_state& w, const link_attributes& a) {
    if (w.profile.rx_queues == core::rx_queue_model::unlimited_all_real) {
        return core::ok();
    }
    if (a.num_tx_queues.value_or(1) > uapi::max_tx_queues || a.num_rx_queues.value_or(1) > uapi::max_rx_queues) {
        return fail(errno_code::not_supported);
    }
    return core::ok();
}

// NK-CRT-15.
inline core::status check_mtu(const link_attributes& a, std::uint32_t min_mtu, std::uint32_t max_mtu) {
    if (a.mtu && *a.mtu < min_mtu) {
        return fail(errno_code::invalid, "mtu less than device minimum");
    }
    if (a.mtu && *a.mtu > max_mtu) {
        return fail(errno_code::invalid, "mtu greater than device maximum");
    }
    return core::ok();
}

// The driver's reading of IFLA_INFO_DATA (NK-DRV-01…06).
struct netkit_settings {
    uapi::mode mode = uapi::default_mode;
    uapi::pairing pairing = uapi::default_pairing;
    uapi::action policy = uapi::default_policy;
    uapi::action peer_policy = uapi::default_policy;
    uapi::scrub scrub = uapi::default_scrub;
    uapi::scrub peer_scrub = uapi::default_scrub;
    std::uint16_t headroom = 0;
    std::uint16_t tailroom = 0;
    const peer_info* peer = nullptr;
    bool seen_scrub = false;
    bool seen_peer = false;
};

inline bool valid_policy(std::uint32_t value) {
    return value == static_cast<std::uint32_t>(uapi::action::pass) ||
           value == static_cast<std::uint32_t>(uapi::action::drop);
}

// NK-DRV-02 read order: MODE; PEER_INFO; SCRUB; PEER_SCRUB; POLICY;
// PEER_POLICY; HEADROOM; TAILROOM; PAIRING. Only POLICY and PEER_POLICY can
// fail here (NK-DRV-04/05); the profile decides which attributes exist.
inline core::result<netkit_settings> read_netkit_data(const world_state& w, const link_info& info) {
    netkit_settings s;
    if (!info.data) {
        return s;
    }
    const auto& data = *info.data;
    using uapi::netkit_attr;
    const bool extended = w.profile.scrub_and_room_attributes;
    const bool has_single_mode = w.profile.single != core::single_mode::absent;
    if (const auto* a = last_of(data, netkit_attr::mode)) {
        s.mode = static_cast<uapi::mode>(a->value);
    }
    if (const auto* a = last_of(data, netkit_attr::peer_info)) {
        s.peer = a->peer ? &*a->peer : nullptr;
        s.seen_peer = true;
    }
    if (extended) {
        if (const auto* a = last_of(data, netkit_attr::scrub)) {
            s.scrub = static_cast<uapi::scrub>(a->value);
            s.seen_scrub = true;
        }
        if (const auto* a = last_of(data, netkit_attr::peer_scrub)) {
            s.peer_scrub = static_cast<uapi::scrub>(a->value);
            s.seen_peer = true;
        }
    }
    if (const auto* a = last_of(data, netkit_attr::policy)) {
        if (!valid_policy(a->value)) {
            return fail(errno_code::invalid, "Provided default xmit policy not supported")
                .at(attribute_paths::data(netkit_attr::policy));
        }
        s.policy = static_cast<uapi::action>(a->value);
    }
    if (const auto* a = last_of(data, netkit_attr::peer_policy)) {
        if (!valid_policy(a->value)) {
            return fail(errno_code::invalid, "Provided default xmit policy not supported")
                .at(attribute_paths::data(netkit_attr::peer_policy));
        }
        s.peer_policy = static_cast<uapi::action>(a->value);
        s.seen_peer = true;
    }
    if (extended) {
        if (const auto* a = last_of(data, netkit_attr::headroom)) {
            s.headroom = static_cast<std::uint16_t>(a->value);
        }
        if (const auto* a = last_of(data, netkit_attr::tailroom)) {
            s.tailroom = static_cast<std::uint16_t>(a->value);
        }
    }
    if (has_single_mode) {
        if (const auto* a = last_of(data, netkit_attr::pairing)) {
            s.pairing = static_cast<uapi::pairing>(a->value);
        }
    }
    return s;
}

// NK-PAIR-09 / NK-PAIR-14 / NK-FEAT-01/02: a freshly set-up netkit device.
inline device new_netkit_device(const world_state& w, core::netns_handle ns, const link_attributes& table,
                                const netkit_settings& s) {
    device d;
    d.kind = device_kind::netkit;
    d.netns = ns;
    d.no_arp = s.mode != uapi::mode::l2;
    d.up = false;
    d.carrier = false;
    d.tx_queues = table.num_tx_queues.value_or(1);
    d.rx_queues = table.num_rx_queues.value_or(1);
    if (w.profile.rx_queues == core::rx_queue_model::unlimited_all_real) {
        d.real_tx_queues = d.tx_queues;
        d.real_rx_queues = d.rx_queues;
    } else {
        d.real_tx_queues = uapi::initial_real_tx_queues;
        d.real_rx_queues = uapi::initial_real_rx_queues;
    }
    if (table.mtu) {
        d.mtu = *table.mtu;
    }
    d.tx_queue_length = table.tx_queue_length.value_or(0);
    if (s.headroom > 0) {
        d.needed_headroom = s.headroom;  // NK-PAIR-04
    }
    if (s.tailroom > 0) {
        d.needed_tailroom = s.tailroom;
    }
    return d;
}

// NK-PAIR-07 / NK-PAIR-12 / NK-SGL-02: the private state of a new device,
// with a fresh bundle (revision 1).
inline netkit_state private_state(const netkit_settings& s, bool primary, uapi::action policy, uapi::scrub scrub,
                                  uapi::pairing pairing) {
    netkit_state k;
    k.primary = primary;
    k.policy = policy;
    k.scrub = scrub;
    k.mode = s.mode;
    k.pairing = pairing;
    k.headroom = s.headroom;
    return k;
}

inline uapi::xdp_feature netkit_xdp_features(const world_state& w, bool single) {
    switch (w.profile.xsk_features) {
        case core::xsk_features_on::every_device: return uapi::af_xdp_feature_set;
        case core::xsk_features_on::single_devices:
            return single ? uapi::single_device_xdp_features : uapi::pair_device_xdp_features;
        case core::xsk_features_on::none: return uapi::xdp_feature{};
    }
    return uapi::xdp_feature{};
}

}  // namespace detail

// ---------------------------------------------------------------- open/close

// NK-OPEN-01…04 (and the generic behaviour of other kinds).
inline core::status open_device(world_state& w, core::device_handle h) {
    device& d = state::device_of(w, h);
    if (d.up) {
        return core::ok();
    }
    if (d.netkit) {
        if (d.netkit->single()) {
            d.up = true;
            d.carrier = true;  // NK-OPEN-01
            return core::ok();
        }
        if (!d.netkit->peer) {
            return fail(errno_code::not_connected);  // NK-OPEN-02
        }
        d.up = true;
        device& peer = state::device_of(w, *d.netkit->peer);
        if (peer.up) {
            d.carrier = true;
            peer.carrier = true;
        }
        return core::ok();
    }
    d.up = true;
    if (d.nic && d.nic->linked_peer) {  // softnic.md SN-Q-03
        device& peer = state::device_of(w, *d.nic->linked_peer);
        if (peer.up) {
            d.carrier = true;
            peer.carrier = true;
        }
        return core::ok();
    }
    if (d.veth_peer) {
        device& peer = state::device_of(w, *d.veth_peer);
        if (peer.up) {
            d.carrier = true;
            peer.carrier = true;
        }
        return core::ok();
    }
    d.carrier = true;
    return core::ok();
}

// NK-OPEN-03: closing either end takes the carrier of both.
inline void close_device(world_state& w, core::device_handle h) {
    device& d = state::device_of(w, h);
    d.up = false;
    d.carrier = false;
    std::optional<core::device_handle> other = d.netkit ? d.netkit->peer : d.veth_peer;
    if (d.nic) {
        other = d.nic->linked_peer;  // SN-Q-04
    }
    if (other) {
        state::device_of(w, *other).carrier = false;
    }
}

// NL-RT-03: (ifi_flags & ifi_change) | (current & ~ifi_change), or ifi_flags
// when ifi_change is 0; IFF_UP opens or closes, IFF_NOARP is stored.
inline core::status apply_flags(world_state& w, core::device_handle h, std::uint32_t flags, std::uint32_t change) {
    if (flags == 0 && change == 0) {
        return core::ok();  // the request carries no flags
    }
    device& d = state::device_of(w, h);
    const std::uint32_t up_bit = static_cast<std::uint32_t>(uapi::interface_flag::up);
    const std::uint32_t noarp_bit = static_cast<std::uint32_t>(uapi::interface_flag::no_arp);
    const std::uint32_t current = (d.up ? up_bit : 0U) | (d.no_arp ? noarp_bit : 0U);
    const std::uint32_t wanted = change == 0 ? flags : ((flags & change) | (current & ~change));
    d.no_arp = (wanted & noarp_bit) != 0;
    if ((wanted & up_bit) != 0 && !d.up) {
        return open_device(w, h);
    }
    if ((wanted & up_bit) == 0 && d.up) {
        close_device(w, h);
    }
    return core::ok();
}

// ------------------------------------------------------------- small changes

// NK-RT-01 (netkit has no MTU hook: the other end is untouched).
inline core::status set_mtu(world_state& w, core::device_handle h, std::uint32_t mtu) {
    device& d = state::device_of(w, h);
    if (mtu < d.min_mtu) {
        return fail(errno_code::invalid, "mtu less than device minimum");
    }
    if (mtu > d.max_mtu) {
        return fail(errno_code::invalid, "mtu greater than device maximum");
    }
    // softnic.md SN-XDP-02: the NIC's MTU hook refuses large frames while a
    // single-buffer XDP program is attached.
    if (d.nic && d.nic->xdp && !d.nic->xdp->multi_buffer && mtu > 4000) {
        return fail(errno_code::busy);
    }
    d.mtu = mtu;
    return core::ok();
}

// NK-RT-02.
inline core::status set_mac(world_state& w, core::device_handle h, const std::vector<std::uint8_t>& bytes) {
    device& d = state::device_of(w, h);
    if (d.netkit) {
        if (w.profile.mac == core::mac_setting::refused_always) {
            return fail(errno_code::not_supported, "Setting Ethernet address is not supported");
        }
        if (d.netkit->mode != uapi::mode::l2) {
            return fail(errno_code::not_supported);
        }
    }
    if (d.kind == device_kind::loopback) {
        return fail(errno_code::not_supported);
    }
    if (bytes.size() != uapi::ethernet_address_size) {
        return fail(errno_code::invalid);
    }
    mac_address mac{};
    std::copy(bytes.begin(), bytes.end(), mac.begin());
    if (!is_valid_unicast(mac)) {
        return fail(errno_code::address_unavailable);
    }
    d.mac = mac;
    d.mac_type = mac_assignment::set_by_user;
    return core::ok();
}

// NK-RT-05.
inline void set_rx_headroom(world_state& w, core::device_handle h, std::int32_t requested) {
    device& d = state::device_of(w, h);
    core::expects(d.netkit.has_value(), "set_rx_headroom on a device without it");
    const std::int32_t value = requested < 0 ? static_cast<std::int32_t>(uapi::skb_headroom_pad) : requested;
    d.netkit->headroom = value;
    if (d.netkit->peer) {
        device& peer = state::device_of(w, *d.netkit->peer);
        const std::int32_t both = std::max(value, peer.netkit->headroom);
        d.needed_headroom = static_cast<std::uint16_t>(both);
        peer.needed_headroom = static_cast<std::uint16_t>(both);
    } else {
        d.needed_headroom = static_cast<std::uint16_t>(value);
    }
}

// NK-ENV-09 / NK-RT-03: keep the ifindex if free there, else a new one; a
// name that exists there fails with EEXIST; all state travels along.
inline core::status move_device(world_state& w, core::device_handle h, core::netns_handle to) {
    device& d = state::device_of(w, h);
    if (d.kind == device_kind::loopback) {
        return fail(errno_code::invalid);  // NK-ENV-02
    }
    if (d.netns == to) {
        return core::ok();
    }
    netns& target = state::namespace_of(w, to);
    if (target.by_name.contains(d.name)) {
        return fail(unconfirmed::move_name_clash_error);
    }
    netns& source = state::namespace_of(w, d.netns);
    source.by_index.erase(d.ifindex);
    source.by_name.erase(d.name);
    if (!unconfirmed::move_keeps_free_ifindex || target.by_index.contains(d.ifindex)) {
        d.ifindex = state::next_free_ifindex(target);
        target.last_ifindex = d.ifindex;
    }
    d.netns = to;
    target.by_index.emplace(d.ifindex, h);
    target.by_name.emplace(d.name, h);
    // Moving takes the device down (the kernel closes it around the move).
    if (d.up) {
        close_device(w, h);
    }
    return core::ok();
}

// ------------------------------------------------------------ ethtool, rx-mode

// NK-FEAT-04: the only ethtool operation netkit implements.
inline core::result<std::string> ethtool_driver_name(const world_state& w, core::device_handle h) {
    const device& d = state::device_of(w, h);
    switch (d.kind) {
        case device_kind::netkit: return std::string(uapi::driver_name);
        case device_kind::veth: return std::string("veth");
        case device_kind::softnic: return std::string("softnic");
        case device_kind::loopback: return fail(errno_code::not_supported);
    }
    return fail(errno_code::not_supported);
}

// An ethtool channel-set request: only the counts given change.
struct channel_counts {
    std::optional<std::uint32_t> rx;
    std::optional<std::uint32_t> tx;
    std::optional<std::uint32_t> combined;
    std::optional<std::uint32_t> other;

    friend bool operator==(const channel_counts&, const channel_counts&) = default;
};

// NK-RT-06: netkit has no channel configuration; its queue counts change
// only through queue-create. (The software NIC's channels arrive with the
// lease model.)
inline core::status ethtool_set_channels(world_state& w, core::device_handle h, const channel_counts&) {
    (void)state::device_of(w, h);  // the device must exist
    return fail(errno_code::not_supported);
}

// NK-FEAT-05: changing the receive mode (promiscuity, multicast lists) of a
// netkit device has no effect on its state.
inline core::status set_rx_mode(world_state& w, core::device_handle h, bool promiscuous) {
    (void)state::device_of(w, h);
    (void)promiscuous;
    return core::ok();
}

// NK-DEL-07: a holder (an io_uring zero-copy receiver, an AF_XDP socket)
// delays the free of an unregistered device, not its disappearance.
inline void hold_device(world_state& w, core::device_handle h) { ++state::device_of(w, h).holders; }

inline void release_device_hold(world_state& w, core::device_handle h) {
    device& d = state::device_of(w, h);
    core::expects(d.holders > 0, "device hold released twice");
    if (--d.holders == 0 && d.state == registration::unregistering) {
        d.state = registration::freed;
    }
}

// ------------------------------------------------------------------ deletion

// unregister_netdevice_many for a batch (lease.md QL-LIFE-04 for a lessee,
// QL-LIFE-08 for a lessor): (1) every member is closed; (2) shutdown:
// providers on a member's own queues are uninstalled and its XDP program
// removed; (3) unregister notifications: AF_XDP sockets bound to a member
// are unbound (through the lease, before unleasing), and a physical member
// that is really going away has every netkit device leasing from it deleted
// in a batch of their own (QL-LIFE-09); (4) uninit: BPF release (MP-61) then
// unlease (QL-LIFE-05); (5) the member leaves its netns' lookups and is
// freed once nobody holds it (NK-DEL-07).
inline void delete_device(world_state& w, core::device_handle h);

inline void unregister_batch(world_state& w, const std::vector<core::device_handle>& batch) {
    std::vector<core::device_handle> members;
    for (const auto member : batch) {
        if (state::device_of(w, member).state == registration::registered &&
            std::find(members.begin(), members.end(), member) == members.end()) {
            members.push_back(member);
        }
    }
    for (const auto member : members) {
        close_device(w, member);
    }
    for (const auto member : members) {
        queue_ops::uninstall_own_providers(w, member);
        if (auto& nic = state::device_of(w, member).nic) {
            nic->xdp.reset();
        }
    }
    for (const auto member : members) {
        queue_ops::unbind_sockets(w, member);
        if (state::device_of(w, member).physical()) {
            std::vector<core::device_handle> lessees;
            for (const auto v : queue_ops::lessees_of(w, member)) {
                if (std::find(members.begin(), members.end(), v) == members.end()) {
                    lessees.push_back(v);
                }
            }
            for (const auto v : lessees) {
                if (state::device_of(w, v).state == registration::registered) {
                    delete_device(w, v);  // dellink: the pair peer goes too
                }
            }
        }
    }
    for (const auto member : members) {
        bpf::release_device(w, member);
        queue_ops::unlease_all(w, member);
    }
    for (const auto member : members) {
        device& m = state::device_of(w, member);
        core::expects(m.lease_refs == 0, "a lessor unregistered with leases outstanding");
        if (m.nic && m.nic->linked_peer) {
            state::device_of(w, *m.nic->linked_peer).nic->linked_peer.reset();
            m.nic->linked_peer.reset();
        }
        state::unlist_device(w, member);
    }
}

// NK-DEL-01…07 for every deletable kind: the device and, for pairs, its
// other end go away in one batch.
inline void delete_device(world_state& w, core::device_handle h) {
    std::vector<core::device_handle> batch{h};
    device& d = state::device_of(w, h);
    if (d.netkit) {
        const auto peer = d.netkit->peer;
        if (peer) {
            // Profile v7-jan2026 queues the peer without the "already queued"
            // guard; in one-request batches the difference is not observable.
            if (std::find(batch.begin(), batch.end(), *peer) == batch.end() || !w.profile.dellink_skips_queued_peer) {
                batch.push_back(*peer);
            }
        }
    } else if (d.veth_peer) {
        batch.push_back(*d.veth_peer);
    }
    unregister_batch(w, batch);
    // The pair link is forgotten once both ends are gone.
    for (const auto member : batch) {
        device& m = state::device_of(w, member);
        if (m.netkit) {
            m.netkit->peer.reset();
        }
    }
}

// NK-ENV-08: deletable devices are deleted as by RTM_DELLINK, physical
// devices go back to the initial netns, then the netns disappears (and
// from every id table).
inline core::status delete_netns(world_state& w, core::netns_handle h) {
    if (h == state::initial_netns) {
        return fail(errno_code::not_permitted);
    }
    if (!w.namespaces.contains(h)) {
        return fail(errno_code::no_entry);
    }
    std::vector<core::device_handle> members;
    for (const auto& [index, handle] : state::namespace_of(w, h).by_index) {
        members.push_back(handle);
    }
    for (const auto handle : members) {
        device& d = state::device_of(w, handle);
        if (d.state != registration::registered || d.netns != h) {
            continue;
        }
        if (d.kind == device_kind::netkit || d.kind == device_kind::veth) {
            delete_device(w, handle);
        } else if (d.physical() && unconfirmed::netns_deletion_returns_physical_devices) {
            // A name taken in the initial netns is replaced by "dev%d", as
            // the kernel's default_device_exit does.
            if (state::namespace_of(w, state::initial_netns).by_name.contains(d.name)) {
                netns& home = state::namespace_of(w, h);
                home.by_name.erase(d.name);
                d.name = state::expand_name(state::namespace_of(w, state::initial_netns), "dev%d");
                home.by_name.emplace(d.name, handle);
            }
            const auto moved = move_device(w, handle, state::initial_netns);
            core::expects(moved.ok(), "a physical device could not return to the initial netns");
        } else {
            // lo: closed, its sockets unbound and its attachments released
            // (MP-61, MP-64) before it is unregistered, like every device.
            unregister_batch(w, {handle});
        }
    }
    w.namespaces.erase(h);
    for (auto& [other, n] : w.namespaces) {
        n.ids.erase(h);
    }
    for (auto it = w.processes.begin(); it != w.processes.end();) {
        it = it->second == h ? w.processes.erase(it) : std::next(it);
    }
    return core::ok();
}

// ------------------------------------------------------------ RTM_SETLINK

// The generic part of a link change (NL-RT-10 and NK-CHG-07): netns move
// first, then MTU, address, name, flags.
inline core::status apply_generic_changes(world_state& w, core::device_handle h, const link_request& r,
                                          std::optional<core::netns_handle> move_to, bool rename) {
    // Not atomic, as in the kernel: a failing step leaves the earlier ones.
    bool changed = false;
    auto failed = [&changed](const core::status& s) {
        core::error e = s.failure();
        return changed ? core::status(std::move(e).after_partial_change()) : core::status(std::move(e));
    };
    if (move_to) {
        if (auto s = move_device(w, h, *move_to); !s) {
            return failed(s);
        }
        changed = true;
    }
    if (r.attributes.mtu) {
        if (auto s = set_mtu(w, h, *r.attributes.mtu); !s) {
            return failed(s);
        }
        changed = true;
    }
    if (r.attributes.address) {
        if (auto s = set_mac(w, h, *r.attributes.address); !s) {
            return failed(s);
        }
        changed = true;
    }
    if (rename && r.attributes.ifname && state::device_of(w, h).name != *r.attributes.ifname) {
        // The kernel checks the new name before looking for a clash.
        if (!state::valid_device_name(*r.attributes.ifname)) {
            return failed(fail(errno_code::invalid));
        }
        device& d = state::device_of(w, h);
        netns& n = state::namespace_of(w, d.netns);
        if (n.by_name.contains(*r.attributes.ifname)) {
            return failed(fail(errno_code::exists));
        }
        n.by_name.erase(d.name);
        d.name = *r.attributes.ifname;
        n.by_name.emplace(d.name, h);
        changed = true;
    }
    if (r.header.flags != 0 || r.header.change != 0) {
        if (auto s = apply_flags(w, h, r.header.flags, r.header.change); !s) {
            return failed(s);
        }
    }
    return core::ok();
}

// The netns a SETLINK moves the device to (NK-CRT-20/21 errors).
inline core::result<std::optional<core::netns_handle>> setlink_target(const world_state& w, const caller& c,
                                                                      const link_attributes& a) {
    auto named = detail::netns_by_pid_or_fd(w, a);
    if (!named) {
        return named.failure();
    }
    std::optional<core::netns_handle> target = named.value();
    if (!target && a.target_netnsid) {
        target = state::namespace_of(w, c.netns).by_id(*a.target_netnsid);
        if (!target) {
            return fail(errno_code::invalid);
        }
    }
    if (target && !c.net_admin_in(*target)) {
        return fail(errno_code::not_permitted);
    }
    return target;
}

inline core::status set_link(world_state& w, const caller& c, const link_request& r) {
    if (!c.net_admin_in(c.netns)) {
        return fail(errno_code::not_permitted);  // NL-RT-14
    }
    if (auto s = check_link_attributes(r.attributes, attribute_paths::top); !s) {
        return s;
    }
    auto target = setlink_target(w, c, r.attributes);
    if (!target) {
        return target.failure();
    }
    const device* d = nullptr;
    if (r.header.index > 0) {
        d = state::find_by_index(w, c.netns, r.header.index);
    } else if (r.attributes.ifname) {
        d = state::find_by_name(w, c.netns, *r.attributes.ifname);
    } else {
        return fail(errno_code::invalid);
    }
    if (d == nullptr) {
        return fail(errno_code::no_device);
    }
    // IFLA_LINKINFO is ignored by RTM_SETLINK (NK-CHG-01, NL-RT-10).
    return apply_generic_changes(w, d->handle, r, target.value(), r.header.index > 0);
}

// ------------------------------------------------------------ RTM_DELLINK

inline core::result<core::netns_handle> lookup_netns_for_get_or_delete(const world_state& w, const caller& c,
                                                                       std::optional<std::int32_t> target_netnsid) {
    if (!target_netnsid) {
        return c.netns;
    }
    const auto found = state::namespace_of(w, c.netns).by_id(*target_netnsid);
    if (!found) {
        return fail(errno_code::invalid);
    }
    if (!c.net_admin_in(*found)) {
        return fail(errno_code::access_denied);  // NL-RT-08
    }
    return *found;
}

inline core::status delete_link(world_state& w, const caller& c, const delete_request& r) {
    if (!c.net_admin_in(c.netns)) {
        return fail(errno_code::not_permitted);  // NL-RT-14
    }
    auto ns = lookup_netns_for_get_or_delete(w, c, r.target_netnsid);
    if (!ns) {
        return ns.failure();
    }
    const device* d = nullptr;
    if (r.index > 0) {
        d = state::find_by_index(w, ns.value(), r.index);
    } else if (r.ifname) {
        d = state::find_by_name(w, ns.value(), *r.ifname);
    } else {
        return fail(errno_code::invalid);
    }
    if (d == nullptr) {
        return fail(errno_code::no_device);
    }
    if (d->kind != device_kind::netkit && d->kind != device_kind::veth) {
        return fail(errno_code::not_supported);  // NK-ENV-02, NL-RT-11
    }
    delete_device(w, d->handle);
    return core::ok();
}

// ------------------------------------------------------------- changelink

// NK-CHG-02…06 on an existing netkit device.
inline core::status change_netkit(world_state& w, core::device_handle h, const std::vector<netkit_attribute>& data) {
    using uapi::netkit_attr;
    device& d = state::device_of(w, h);
    if (!d.netkit->primary) {
        return fail(errno_code::access_denied,
                    "netkit link settings can be changed only through the primary device");  // NK-CHG-02
    }
    struct immutable {
        netkit_attr id;
        const char* what;
    };
    static constexpr immutable immutables[] = {
        {netkit_attr::mode, "operating mode"}, {netkit_attr::scrub, "scrubbing"},
        {netkit_attr::peer_scrub, "peer scrubbing"}, {netkit_attr::peer_info, "peer info"},
        {netkit_attr::headroom, "headroom"},   {netkit_attr::tailroom, "tailroom"},
        {netkit_attr::pairing, "pairing"},
    };
    for (const auto& item : immutables) {
        if (detail::last_of(data, item.id) != nullptr) {
            return fail(errno_code::access_denied,
                        std::string("netkit link ") + item.what + " cannot be changed after device creation")
                .at(attribute_paths::data(item.id));  // NK-CHG-03
        }
    }
    if (const auto* a = detail::last_of(data, netkit_attr::policy)) {
        if (d.netkit->single()) {
            return fail(errno_code::not_supported);  // NK-CHG-04
        }
        if (!detail::valid_policy(a->value)) {
            return fail(errno_code::invalid, "Provided default xmit policy not supported")
                .at(attribute_paths::data(netkit_attr::policy));
        }
        d.netkit->policy = static_cast<uapi::action>(a->value);
    }
    if (const auto* a = detail::last_of(data, netkit_attr::peer_policy)) {
        if (d.netkit->single()) {
            return fail(errno_code::not_supported);  // NK-CHG-05
        }
        if (!detail::valid_policy(a->value)) {
            // NK-CHG-06: a POLICY change made above stays.
            auto e = fail(errno_code::invalid, "Provided default xmit policy not supported")
                         .at(attribute_paths::data(netkit_attr::peer_policy));
            return detail::last_of(data, netkit_attr::policy) != nullptr ? std::move(e).after_partial_change()
                                                                          : std::move(e);
        }
        if (d.netkit->peer) {
            state::device_of(w, *d.netkit->peer).netkit->policy = static_cast<uapi::action>(a->value);
        }
    }
    return core::ok();
}

// ------------------------------------------------------------- RTM_NEWLINK

namespace detail {

struct placement {
    core::netns_handle target;  // NK-CRT-17
    core::netns_handle peer;    // NK-CRT-11
};

// NK-CRT-09, -10, -17, -20, -21, -22, -11 in order.
inline core::result<placement> place(const world_state& w, const caller& c, const link_request& r,
                                     const peer_info* peer) {
    const link_attributes& top = r.attributes;
    // NK-CRT-09 / NK-CRT-10: the explicit peer netns.
    const link_attributes& peer_table = peer != nullptr ? peer->attributes : top;
    auto explicit_peer = netns_by_pid_or_fd(w, peer_table);
    if (!explicit_peer) {
        return explicit_peer.failure();
    }
    if (explicit_peer.value() && !c.net_admin_in(*explicit_peer.value())) {
        return fail(errno_code::not_permitted);
    }
    // NK-CRT-17 / -20 / -21: the target netns.
    core::netns_handle target = c.netns;
    auto named = netns_by_pid_or_fd(w, top);
    if (!named) {
        return named.failure();
    }
    if (named.value()) {
        target = *named.value();
    } else if (top.target_netnsid) {
        const auto found = state::namespace_of(w, c.netns).by_id(*top.target_netnsid);
        if (!found) {
            return fail(errno_code::invalid);
        }
        target = *found;
    }
    if (!c.net_admin_in(target)) {
        return fail(errno_code::not_permitted);
    }
    // NK-CRT-22: IFLA_LINK_NETNSID in the target's table.
    std::optional<core::netns_handle> link_netns;
    if (top.link_netnsid) {
        link_netns = state::namespace_of(w, target).by_id(*top.link_netnsid);
        if (!link_netns) {
            return fail(errno_code::invalid, "Unknown network namespace id");
        }
        if (!c.net_admin_in(*link_netns)) {
            return fail(errno_code::not_permitted);
        }
    }
    // NK-CRT-11.
    const core::netns_handle peer_ns = explicit_peer.value() ? *explicit_peer.value()
                                       : link_netns          ? *link_netns
                                                             : c.netns;
    return placement{target, peer_ns};
}

// NK-CRT-13…15 on one attribute table (primary before the driver, peer during
// its allocation, NK-CRT-18).
inline core::status check_allocation(const world_state& w, const link_attributes& table) {
    if (auto s = check_queue_counts(table); !s) {
        return s;
    }
    if (auto s = check_netkit_queue_limits(w, table); !s) {
        return s;
    }
    return check_mtu(table, uapi::min_mtu, uapi::max_mtu);
}

// NK-DRV-08 / NK-DRV-09.
inline core::status check_driver_rules(const world_state& w, const link_request& r, const netkit_settings& s) {
    const bool top_mac = r.attributes.address.has_value();
    const bool peer_mac = s.peer != nullptr ? s.peer->attributes.address.has_value() : top_mac;
    if (w.profile.mac == core::mac_setting::refused_always && (top_mac || peer_mac)) {
        return fail(errno_code::not_supported, "Setting Ethernet address is not supported");
    }
    if (s.mode != uapi::mode::l2 && (top_mac || peer_mac)) {
        return fail(errno_code::not_supported);
    }
    if (s.pairing == uapi::pairing::single) {
        const bool scrub_refused = w.profile.single == core::single_mode::scrub_refused && s.seen_scrub;
        if (s.peer != nullptr || s.seen_peer || scrub_refused || s.policy != uapi::action::pass) {
            return fail(errno_code::not_supported);
        }
    }
    return core::ok();
}

inline core::result<new_link_outcome> create_single(world_state& w, const link_request& r, const placement& p,
                                                    const netkit_settings& s) {
    // NK-SGL-01…03.
    device d = new_netkit_device(w, p.target, r.attributes, s);
    d.netkit = private_state(s, true, uapi::action::pass, uapi::scrub::standard, uapi::pairing::single);
    d.xdp_features = netkit_xdp_features(w, true);
    if (r.attributes.address) {
        d.mac = validate_mac(*r.attributes.address).value();
        d.mac_type = mac_assignment::set_by_user;
    } else if (s.mode == uapi::mode::l2) {
        d.mac = state::random_mac(w);
    }
    const std::string pattern = r.attributes.ifname.value_or(std::string(uapi::default_name_template));
    auto h = state::register_device(w, std::move(d), pattern, r.header.index);
    if (!h) {
        return h.failure();
    }
    if (auto st = apply_flags(w, h.value(), r.header.flags, r.header.change); !st) {
        delete_device(w, h.value());  // NK-PAIR-16 for single devices too
        return st.failure();
    }
    return new_link_outcome{true, h.value(), std::nullopt};
}

inline core::result<new_link_outcome> create_pair(world_state& w, const link_request& r, const placement& p,
                                                  const netkit_settings& s) {
    const link_attributes& peer_table = s.peer != nullptr ? s.peer->attributes : r.attributes;
    // NK-PAIR-02 (with NK-CRT-13…16 applied to the peer table).
    if (auto st = check_allocation(w, peer_table); !st) {
        return st.failure();
    }
    device peer = new_netkit_device(w, p.peer, peer_table, s);
    peer.tso_max_size = uapi::gso_max_size;  // NK-PAIR-03
    // NK-PAIR-05: only PEER_INFO's own address is used; otherwise random (L2).
    if (s.mode == uapi::mode::l2) {
        if (s.peer != nullptr && s.peer->attributes.address) {
            peer.mac = validate_mac(*s.peer->attributes.address).value();
            peer.mac_type = mac_assignment::set_by_user;
        } else {
            peer.mac = state::random_mac(w);
        }
    }
    // NK-PAIR-07.
    peer.netkit = private_state(s, false, s.peer_policy, s.peer_scrub, uapi::pairing::pair);
    peer.xdp_features = netkit_xdp_features(w, false);
    // NK-DRV-07 / NK-PAIR-06 / NK-PAIR-08.
    const std::string peer_pattern = s.peer != nullptr && s.peer->attributes.ifname
                                         ? *s.peer->attributes.ifname
                                         : std::string(uapi::default_name_template);
    const std::int32_t peer_index = s.peer != nullptr && r.header.index != 0 ? s.peer->header.index : 0;
    auto peer_handle = state::register_device(w, std::move(peer), peer_pattern, peer_index);
    if (!peer_handle) {
        return peer_handle.failure();
    }
    // NK-PAIR-10: the peer starts down whatever PEER_INFO's flags say.
    // NK-PAIR-11 / NK-PAIR-12.
    device primary = new_netkit_device(w, p.target, r.attributes, s);
    if (r.attributes.address) {
        primary.mac = validate_mac(*r.attributes.address).value();  // NK-CRT-16
        primary.mac_type = mac_assignment::set_by_user;
    } else if (s.mode == uapi::mode::l2) {
        primary.mac = state::random_mac(w);
    }
    primary.netkit = private_state(s, true, s.policy, s.scrub, uapi::pairing::pair);  // NK-PAIR-12
    primary.xdp_features = netkit_xdp_features(w, false);
    const std::string pattern = r.attributes.ifname.value_or(std::string(uapi::default_name_template));
    auto primary_handle = state::register_device(w, std::move(primary), pattern, r.header.index);
    if (!primary_handle) {
        return primary_handle.failure();  // NK-PAIR-13 (the caller's copy is discarded)
    }
    // NK-PAIR-15.
    state::device_of(w, primary_handle.value()).netkit->peer = peer_handle.value();
    state::device_of(w, peer_handle.value()).netkit->peer = primary_handle.value();
    // NK-PAIR-16.
    if (auto st = apply_flags(w, primary_handle.value(), r.header.flags, r.header.change); !st) {
        return st.failure();
    }
    return new_link_outcome{true, primary_handle.value(), peer_handle.value()};
}

// NK-ENV-07: the veth negative control.
// `peer` is VETH_INFO_PEER, found by new_link (same layout as PEER_INFO).
inline core::result<new_link_outcome> create_veth(world_state& w, const link_request& r, const placement& p,
                                                  const peer_info* peer) {
    const link_attributes& peer_table = peer != nullptr ? peer->attributes : r.attributes;
    if (auto st = check_queue_counts(peer_table); !st) {
        return st.failure();
    }
    // Addresses are validated as for netkit (NK-CRT-06/08) before anything
    // is registered.
    for (const link_attributes* table : {&r.attributes, &peer_table}) {
        if (table->address) {
            if (auto m = validate_mac(*table->address); !m) {
                return m.failure();
            }
        }
    }
    auto make = [&](core::netns_handle ns, const link_attributes& table) {
        device d;
        d.kind = device_kind::veth;
        d.netns = ns;
        d.no_arp = false;
        d.mtu = table.mtu.value_or(uapi::default_mtu);
        d.tx_queues = d.real_tx_queues = table.num_tx_queues.value_or(1);
        d.rx_queues = d.real_rx_queues = table.num_rx_queues.value_or(1);
        d.mac = table.address ? validate_mac(*table.address).value() : state::random_mac(w);
        return d;
    };
    auto peer_handle = state::register_device(w, make(p.peer, peer_table),
                                              peer != nullptr && peer->attributes.ifname ? *peer->attributes.ifname
                                                                                         : std::string("veth%d"),
                                              0);
    if (!peer_handle) {
        return peer_handle.failure();
    }
    auto handle = state::register_device(w, make(p.target, r.attributes),
                                         r.attributes.ifname.value_or("veth%d"), r.header.index);
    if (!handle) {
        return handle.failure();
    }
    state::device_of(w, handle.value()).veth_peer = peer_handle.value();
    state::device_of(w, peer_handle.value()).veth_peer = handle.value();
    if (auto st = apply_flags(w, handle.value(), r.header.flags, r.header.change); !st) {
        return st.failure();
    }
    return new_link_outcome{true, handle.value(), peer_handle.value()};
}

}  // namespace detail

inline core::result<new_link_outcome> new_link(world_state& w, const caller& c, const link_request& r) {
    // NK-CRT-19 / NL-RT-14.
    if (!c.net_admin_in(c.netns)) {
        return fail(errno_code::not_permitted);
    }
    // NK-CRT-01.
    if (auto s = check_link_attributes(r.attributes, attribute_paths::top); !s) {
        return s.failure();
    }
    const bool netkit_kind = r.linkinfo && r.linkinfo->kind == uapi::link_kind;
    const peer_info* peer = nullptr;
    if (netkit_kind && r.linkinfo->data) {
        // NK-CRT-02…05: per attribute, in message order.
        for (const auto& a : *r.linkinfo->data) {
            if (auto s = check_netkit_attribute(a, w.profile); !s) {
                return s.failure();
            }
        }
        if (const auto* a = detail::last_of(*r.linkinfo->data, uapi::netkit_attr::peer_info); a != nullptr) {
            peer = a->peer ? &*a->peer : nullptr;
        }
    }
    const bool veth_kind = r.linkinfo && r.linkinfo->kind == uapi::veth_link_kind;
    if (veth_kind && r.linkinfo->data) {
        // VETH_INFO_PEER has the layout of PEER_INFO (NK-ENV-07) and names the peer's netns the same way.
        if (const auto* a = detail::last_of(*r.linkinfo->data, uapi::netkit_attr::peer_info); a != nullptr && a->peer) {
            peer = &*a->peer;
        }
    }
    if (netkit_kind) {
        // NK-CRT-06.
        if (r.attributes.address) {
            if (auto m = detail::validate_mac(*r.attributes.address); !m) {
                return m.failure();
            }
        }
        if (peer != nullptr) {
            // NK-CRT-07.
            if (peer->header.index < 0) {
                return fail(errno_code::invalid, "ifindex can't be negative");
            }
            if (auto s = check_link_attributes(peer->attributes, attribute_paths::peer); !s) {
                return s.failure();
            }
            // NK-CRT-08.
            if (peer->attributes.address) {
                if (auto m = detail::validate_mac(*peer->attributes.address); !m) {
                    return m.failure();
                }
            }
        }
    }
    // NK-CRT-09 … NK-CRT-11.
    auto placed = detail::place(w, c, r, peer);
    if (!placed) {
        return placed.failure();
    }
    // NK-CRT-23.
    if (r.header.index < 0) {
        return fail(errno_code::invalid, "ifindex can't be negative");
    }
    // NK-CRT-12 / NK-CRT-24.
    const bool create = detail::has_flag(r.message_flags, uapi::new_flag::create);
    const bool exclusive = detail::has_flag(r.message_flags, uapi::new_flag::exclusive);
    const core::netns_handle lookup_ns = create && exclusive ? placed.value().target : c.netns;
    const device* existing = nullptr;
    if (r.header.index > 0) {
        existing = state::find_by_index(w, lookup_ns, r.header.index);
    } else if (r.attributes.ifname) {
        existing = state::find_by_name(w, lookup_ns, *r.attributes.ifname);
    }
    if (existing != nullptr) {
        if (exclusive) {
            return fail(errno_code::exists);
        }
        if (detail::has_flag(r.message_flags, uapi::new_flag::replace)) {
            return fail(errno_code::not_supported);
        }
        const core::device_handle h = existing->handle;
        // NK-CHG-01 / NK-CHG-08: changelink needs data of the device's own kind.
        if (r.linkinfo && r.linkinfo->data) {
            if (!existing->is_netkit() || !netkit_kind) {
                return fail(errno_code::not_supported);
            }
            if (auto s = change_netkit(w, h, *r.linkinfo->data); !s) {
                return s.failure();
            }
        }
        // NK-CHG-07: the generic attributes afterwards (a netns move named by
        // IFLA_NET_NS_* is the target of this request).
        std::optional<core::netns_handle> move_to;
        if (placed.value().target != state::device_of(w, h).netns &&
            (r.attributes.net_ns_pid || r.attributes.net_ns_fd || r.attributes.target_netnsid)) {
            move_to = placed.value().target;
        }
        if (auto s = apply_generic_changes(w, h, r, move_to, r.header.index > 0); !s) {
            return s.failure();
        }
        return new_link_outcome{false, h, std::nullopt};
    }
    if (!create) {
        return fail(errno_code::no_device);
    }
    if (!r.linkinfo || !r.linkinfo->kind) {
        return fail(errno_code::not_supported);
    }
    if (*r.linkinfo->kind == uapi::veth_link_kind) {
        return detail::create_veth(w, r, placed.value(), peer);
    }
    if (!netkit_kind) {
        return fail(errno_code::not_supported);  // NL-RT-06: unknown kind
    }
    // NK-CRT-13 … NK-CRT-15 for the primary, before the driver (NK-CRT-18).
    if (auto s = detail::check_allocation(w, r.attributes); !s) {
        return s.failure();
    }
    // NK-DRV-01 … NK-DRV-10.
    auto settings = detail::read_netkit_data(w, *r.linkinfo);
    if (!settings) {
        return settings.failure();
    }
    if (auto s = detail::check_driver_rules(w, r, settings.value()); !s) {
        return s.failure();
    }
    if (settings.value().pairing == uapi::pairing::single) {
        return detail::create_single(w, r, placed.value(), settings.value());
    }
    return detail::create_pair(w, r, placed.value(), settings.value());
}

// ----------------------------------------------------------- RTM_GETLINK

// IFLA_INFO_DATA of a netkit device (NK-DUMP-01…03).
struct netkit_dump {
    bool primary = false;
    std::uint32_t policy = 0;
    std::uint32_t mode = 0;
    std::optional<std::uint32_t> scrub;
    std::uint16_t headroom = 0;
    std::uint16_t tailroom = 0;
    std::uint32_t pairing = 0;
    std::optional<std::uint32_t> peer_policy;
    std::optional<std::uint32_t> peer_scrub;

    friend bool operator==(const netkit_dump&, const netkit_dump&) = default;
};

// One RTM_NEWLINK reply as a value (NL-RT-13).
struct link_dump {
    std::int32_t index = 0;
    std::uint16_t type = 1;  // ARPHRD_ETHER, or ARPHRD_LOOPBACK for lo
    std::uint32_t flags = 0;
    std::string name;
    std::uint32_t tx_queue_length = 0;
    std::uint32_t mtu = 0;
    std::uint32_t tx_queues = 0;
    std::uint32_t rx_queues = 0;
    mac_address address{};
    mac_address broadcast{};
    std::optional<std::int32_t> link;
    std::optional<std::int32_t> link_netnsid;
    std::optional<std::string> kind;
    std::optional<netkit_dump> netkit;

    friend bool operator==(const link_dump&, const link_dump&) = default;
};

inline netkit_dump dump_netkit(const world_state& w, const device& d) {
    netkit_dump out;
    const netkit_state& k = *d.netkit;
    out.primary = k.primary;
    out.policy = static_cast<std::uint32_t>(k.policy);
    out.mode = static_cast<std::uint32_t>(k.mode);
    if (!k.single() || unconfirmed::single_dump_has_scrub(w.profile)) {
        out.scrub = static_cast<std::uint32_t>(k.scrub);
    }
    out.headroom = d.needed_headroom;
    out.tailroom = d.needed_tailroom;
    out.pairing = static_cast<std::uint32_t>(k.pairing);
    if (k.peer) {
        const device& peer = state::device_of(w, *k.peer);
        out.peer_policy = static_cast<std::uint32_t>(peer.netkit->policy);
        out.peer_scrub = static_cast<std::uint32_t>(peer.netkit->scrub);
    }
    return out;
}

// NL-RT-13 / NK-DUMP-04: `requester` is the netns of the requesting socket;
// its id table may gain entries (ids are allocated on demand).
inline link_dump dump_device(world_state& w, core::device_handle h, core::netns_handle requester) {
    const device& d = state::device_of(w, h);
    link_dump out;
    out.index = d.ifindex;
    out.type = d.kind == device_kind::loopback ? 772 : 1;
    const std::uint32_t up = static_cast<std::uint32_t>(uapi::interface_flag::up);
    out.flags = (d.up ? up : 0U) | (d.no_arp ? static_cast<std::uint32_t>(uapi::interface_flag::no_arp) : 0U);
    if (d.up && d.carrier) {
        out.flags |= static_cast<std::uint32_t>(uapi::interface_flag::running) |
                     static_cast<std::uint32_t>(uapi::interface_flag::lower_up);
    }
    out.name = d.name;
    out.tx_queue_length = d.tx_queue_length;
    out.mtu = d.mtu;
    out.tx_queues = d.tx_queues;
    out.rx_queues = d.rx_queues;
    out.address = d.mac;
    out.broadcast = d.kind == device_kind::loopback ? zero_mac : broadcast_mac;
    std::optional<core::device_handle> other = d.netkit ? d.netkit->peer : d.veth_peer;
    if (d.netkit || d.veth_peer) {
        out.link = other ? state::device_of(w, *other).ifindex : 0;  // NK-DUMP-04, NK-OPEN-05
        if (other) {
            const core::netns_handle other_ns = state::device_of(w, *other).netns;
            if (other_ns != d.netns) {
                out.link_netnsid = state::namespace_of(w, requester).id_for(other_ns);
            }
        }
    }
    if (d.netkit) {
        out.kind = std::string(uapi::link_kind);
        out.netkit = dump_netkit(w, d);
    } else if (d.kind == device_kind::veth) {
        out.kind = std::string(uapi::veth_link_kind);
    }
    return out;
}

// RTM_GETLINK do (NL-RT-12).
inline core::result<link_dump> get_link(world_state& w, const caller& c, std::int32_t index,
                                        std::optional<std::string> name,
                                        std::optional<std::int32_t> target_netnsid = std::nullopt) {
    auto ns = lookup_netns_for_get_or_delete(w, c, target_netnsid);
    if (!ns) {
        return ns.failure();
    }
    const device* d = nullptr;
    if (index > 0) {
        d = state::find_by_index(w, ns.value(), index);
    } else if (name) {
        d = state::find_by_name(w, ns.value(), *name);
    } else {
        return fail(errno_code::invalid);
    }
    if (d == nullptr) {
        return fail(errno_code::no_device);
    }
    return dump_device(w, d->handle, c.netns);
}

}  // namespace netkit::model::links
