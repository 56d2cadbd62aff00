// The kernel state the model holds, as plain data: namespaces, devices, BPF
// objects, descriptors, processes, and the profile. Operations live in
// model/links.hpp, model/bpf.hpp and model/transmit.hpp as functions over
// this state; model/world.hpp wraps it as the value users hold.
//
// Determinism: every container is ordered and every "random" choice (a
// random MAC, NK-PAIR-05/11) comes from a counter in the state, so two
// worlds that saw the same operations are equal, and equal worlds hash
// equal — which is what the explorer and the shrinker rely on.
//
// Sharing: the tables are core::cow_map, so copies of a world share every
// table until one of them writes it; a copy costs a reference count per
// table and a refused operation's scratch copy (model/world.hpp) duplicates
// only the tables it touched.
#pragma once

#include <netkit/core/cow_map.hpp>
#include <netkit/core/errno.hpp>
#include <netkit/core/ids.hpp>
#include <netkit/core/invariant.hpp>
#include <netkit/core/kernel_profile.hpp>
#include <netkit/core/result.hpp>
#include <netkit/model/device.hpp>
#include <netkit/model/netns.hpp>
#include <netkit/model/program.hpp>
#include <netkit/model/unconfirmed.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netkit::model {

struct world_state {
    core::profile_traits profile = core::profiles::newest::traits;
    core::cow_map<core::netns_handle, netns> namespaces;
    core::cow_map<core::device_handle, device> devices;
    core::cow_map<core::program_id, program> programs;
    core::cow_map<core::link_id, bpf_link> links;
    core::cow_map<std::int32_t, descriptor> descriptors;
    core::cow_map<std::int32_t, core::netns_handle> processes;  // pid → netns (IFLA_NET_NS_PID)
    std::uint32_t next_netns = 1;
    std::uint32_t next_device = 1;
    std::uint32_t next_program = 1;
    std::uint32_t next_link = 1;
    std::uint64_t random_state = 0x6e65746b69742d6dULL;
    // Fault model: how many more frames the local receive backlog accepts
    // (NK-XMIT-11); nullopt = unlimited.
    std::optional<std::uint64_t> backlog_capacity;
    // Consumers of queues (lease.md §7–§9) and what went wrong (hazards).
    core::cow_map<std::uint32_t, zero_copy_area> areas;
    core::cow_map<std::uint32_t, xsk_socket> sockets;
    std::uint32_t next_consumer = 1;
    std::uint32_t next_softnic = 1;
    std::vector<hazard> hazards;

    friend bool operator==(const world_state&, const world_state&) = default;
};

namespace state {

inline constexpr core::netns_handle initial_netns{0};

inline netns& namespace_of(world_state& w, core::netns_handle h) {
    auto it = w.namespaces.find(h);
    core::expects(it != w.namespaces.end(), "unknown netns handle");
    return it->second;
}
inline const netns& namespace_of(const world_state& w, core::netns_handle h) {
    auto it = w.namespaces.find(h);
    core::expects(it != w.namespaces.end(), "unknown netns handle");
    return it->second;
}

inline device& device_of(world_state& w, core::device_handle h) {
    auto it = w.devices.find(h);
    core::expects(it != w.devices.end(), "unknown device handle");
    return it->second;
}
inline const device& device_of(const world_state& w, core::device_handle h) {
    auto it = w.devices.find(h);
    core::expects(it != w.devices.end(), "unknown device handle");
    return it->second;
}

inline const device* find_by_index(const world_state& w, core::netns_handle ns, std::int32_t ifindex) {
    const auto& n = namespace_of(w, ns);
    auto it = n.by_index.find(ifindex);
    return it == n.by_index.end() ? nullptr : &device_of(w, it->second);
}

inline const device* find_by_name(const world_state& w, core::netns_handle ns, std::string_view name) {
    const auto& n = namespace_of(w, ns);
    auto it = n.by_name.find(std::string(name));
    return it == n.by_name.end() ? nullptr : &device_of(w, it->second);
}

// splitmix64: deterministic, well mixed.
inline std::uint64_t next_random(world_state& w) {
    std::uint64_t z = (w.random_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// eth_random_addr: random bytes, unicast, locally administered.
inline mac_address random_mac(world_state& w) {
    const std::uint64_t bits = next_random(w);
    mac_address mac{};
    for (std::size_t i = 0; i < mac.size(); ++i) {
        mac[i] = static_cast<std::uint8_t>(bits >> (8 * i));
    }
    mac[0] = static_cast<std::uint8_t>((mac[0] & 0xfe) | 0x02);
    return mac;
}

// NK-ENV-03: the next free index after the last one assigned in the netns,
// cyclic, wrapping to 1.
inline std::int32_t next_free_ifindex(const netns& n) {
    std::int32_t candidate = unconfirmed::ifindex_continues_after_last ? n.last_ifindex : 0;
    for (;;) {
        candidate = candidate >= 0x7fffffff ? 1 : candidate + 1;
        if (!n.by_index.contains(candidate)) {
            return candidate;
        }
    }
}

// Whether the kernel accepts `name` as a device name (dev_valid_name): not
// empty, shorter than IFNAMSIZ (16), not "." or "..", and without '/', ':'
// or white space.
inline bool valid_device_name(std::string_view name) {
    if (name.empty() || name.size() >= 16 || name == "." || name == "..") {
        return false;
    }
    return std::none_of(name.begin(), name.end(), [](char c) {
        return c == '/' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
    });
}

// NK-ENV-04: a name with "%d" takes the lowest unused number in the netns.
inline std::string expand_name(const netns& n, std::string_view pattern) {
    const auto at = pattern.find("%d");
    if (at == std::string_view::npos) {
        return std::string(pattern);
    }
    for (std::uint32_t number = 0;; ++number) {
        std::string candidate = std::string(pattern.substr(0, at)) + std::to_string(number) +
                                std::string(pattern.substr(at + 2));
        if (!n.by_name.contains(candidate)) {
            return candidate;
        }
    }
}

// register_netdevice for the model: name and ifindex in the device's netns.
// `requested_ifindex` 0 = automatic. Errors: EEXIST (name, NK-ENV-04), EBUSY
// (index taken, NK-ENV-03 / NK-PAIR-08).
inline core::result<core::device_handle> register_device(world_state& w, device d, std::string_view name_pattern,
                                                        std::int32_t requested_ifindex) {
    netns& n = namespace_of(w, d.netns);
    d.name = expand_name(n, name_pattern);
    if (n.by_name.contains(d.name)) {
        return core::fail(core::errno_code::exists);
    }
    if (requested_ifindex > 0 && n.by_index.contains(requested_ifindex)) {
        return core::fail(unconfirmed::ifindex_taken_error);
    }
    d.ifindex = requested_ifindex > 0 ? requested_ifindex : next_free_ifindex(n);
    n.last_ifindex = d.ifindex;
    d.handle = core::device_handle{w.next_device++};
    d.rxq.resize(d.rx_queues);
    d.txq.resize(d.tx_queues);
    d.state = registration::registered;
    n.by_index.emplace(d.ifindex, d.handle);
    n.by_name.emplace(d.name, d.handle);
    const auto handle = d.handle;
    w.devices.emplace(handle, std::move(d));
    return handle;
}

// Removes the device from its netns' lookups; it stays in `devices` as
// unregistering until nobody holds it (NK-DEL-07), then freed.
inline void unlist_device(world_state& w, core::device_handle h) {
    device& d = device_of(w, h);
    netns& n = namespace_of(w, d.netns);
    n.by_index.erase(d.ifindex);
    n.by_name.erase(d.name);
    d.state = d.holders == 0 ? registration::freed : registration::unregistering;
}

inline core::netns_handle create_netns(world_state& w, std::string name) {
    const core::netns_handle h{w.next_netns++};
    netns n;
    n.handle = h;
    n.name = std::move(name);
    w.namespaces.emplace(h, std::move(n));
    // NK-ENV-02: every netns has "lo" at ifindex 1.
    device lo;
    lo.kind = device_kind::loopback;
    lo.netns = h;
    lo.mtu = 65536;
    lo.max_mtu = 0x7fffffff;
    lo.no_arp = true;
    lo.up = true;
    lo.carrier = true;
    lo.xdp_features = uapi::xdp_feature{};
    (void)register_device(w, std::move(lo), "lo", 1);
    return h;
}

inline world_state make_world(const core::profile_traits& profile) {
    world_state w;
    w.profile = profile;
    w.next_netns = 0;
    (void)create_netns(w, "init");
    // Descriptors 0, 1 and 2 are ordinary files (MP-06).
    for (std::int32_t fd = 0; fd < 3; ++fd) {
        w.descriptors.emplace(fd, descriptor{descriptor_kind::file, 0});
    }
    return w;
}

inline std::int32_t lowest_free_descriptor(const world_state& w) {
    std::int32_t fd = 0;
    while (w.descriptors.contains(fd)) {
        ++fd;
    }
    return fd;
}

}  // namespace state

}  // namespace netkit::model
