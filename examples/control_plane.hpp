// A small container control plane, the kind a CNI plugin or runtime has:
// "give this container a hardware RX queue" = lease a free queue of the
// host's NIC onto the container's netkit peer (queue-create, lease.md §4).
// Two versions: `forgetful` looks only for queues without a lease; `careful`
// also asks queue-get whether a memory provider (io_uring zero-copy receive,
// devmem) or an AF_XDP pool already sits on the queue (QL-CRT-15,
// QL-PSM-13/14: queue-create refuses such a queue with EBUSY) and whether
// the peer has a virtual queue left (QL-NKQC-02).
//
// The control plane's contract, which its routine checks after running: it
// either leases a queue (and the lease is there) or honestly answers that
// none is free; an unexpected refusal from the kernel is a control-plane bug.
// examples/control_plane_check.cpp and fuzz/user_check.cpp check both
// versions against the model.
#pragma once

#include <netkit/check/user_check.hpp>
#include <netkit/model/world.hpp>

#include <cstdint>
#include <iterator>
#include <optional>
#include <string>

namespace control_plane {

using namespace netkit;

// The world the control plane manages: eth0 (4 RX queues, up, header-data
// split on) in the host netns, a container netns (1) that names the host as
// netns id 0, and a netkit pair whose peer (3 RX queues) is the container's
// interface.
inline std::vector<check::operation> setup() {
    check::create_lessee pair;
    pair.rx_queues = 2;
    pair.peer_netns = 1;
    pair.up = true;
    std::vector<check::operation> out{check::create_netns{}};
    const auto nic = check::started_hwnic();
    out.insert(out.end(), nic.begin(), nic.end());
    const check::operation rest[] = {pair, check::set_up{check::device_ref{1, 1}, true, false},
                                     check::assign_netns_id{1, 0}};
    out.insert(out.end(), std::begin(rest), std::end(rest));
    return out;
}

// What else happens on the host: applications open io_uring zero-copy
// receivers and AF_XDP sockets on eth0's queues and exit.
inline std::vector<check::operation> environment() {
    std::vector<check::operation> out;
    for (std::uint8_t q = 0; q < 4; ++q) {
        out.push_back(check::zcrx_open{check::device_ref{0, 1}, q, false});
        out.push_back(check::xsk_bind{check::device_ref{0, 1}, q, model::xsk_mode::copy});
    }
    out.push_back(check::consumer_close{0});
    out.push_back(check::xsk_close{0});
    return out;
}

struct handles {
    core::device_handle nic;
    core::device_handle peer;
    core::netns_handle container;
};

inline std::optional<handles> find(const model::world& w) {
    std::optional<handles> out;
    const auto namespaces = check::namespaces_of(w.state());
    if (namespaces.size() < 2) {
        return out;
    }
    const auto nic = w.find(model::world::initial_netns(), "eth0");
    if (nic == nullptr) {
        return out;
    }
    for (const auto h : w.devices_in(namespaces[1])) {
        if (w.at(h).is_netkit()) {
            out = handles{nic->handle, h, namespaces[1]};
        }
    }
    return out;
}

// The routine both versions share; `careful` decides what it looks at.
inline check::routine_verdict lease_for_container(model::world& w, bool careful) {
    const auto h = find(w);
    if (!h) {
        return check::routine_verdict::pass();  // nothing to manage
    }
    const model::caller host = model::world::root();
    const model::caller inside = model::world::root(h->container);
    // Copies, not references: every operation may replace the world's state.
    const std::int32_t nic_ifindex = w.at(h->nic).ifindex;
    const std::uint32_t nic_queues = w.at(h->nic).real_rx_queues;
    const std::int32_t peer_ifindex = w.at(h->peer).ifindex;
    if (careful && w.at(h->peer).real_rx_queues >= w.at(h->peer).rx_queues) {
        return check::routine_verdict::pass();  // the container has no spare virtual queue: "none free"
    }
    for (std::uint32_t q = 1; q < nic_queues; ++q) {
        const auto info = w.queue_get(host, nic_ifindex, q);
        if (!info.ok() || info.value().lease) {
            continue;
        }
        if (careful && (info.value().io_uring || info.value().dmabuf || info.value().xsk)) {
            continue;
        }
        const auto leased = w.queue_create(
            inside, model::lease::queue_create_request::rx(peer_ifindex, nic_ifindex, q, 0));
        if (!leased.ok()) {
            return check::routine_verdict::fail("queue-create of eth0 queue " + std::to_string(q) +
                                                " refused: " + core::to_string(leased.failure()));
        }
        if (!w.at(h->nic).rxq[q].lease) {
            return check::routine_verdict::fail("queue-create succeeded but eth0 queue " + std::to_string(q) +
                                                " is not leased");
        }
        return check::routine_verdict::pass();
    }
    return check::routine_verdict::pass();  // none free
}

inline check::world_scope scope(bool careful, core::profile_id profile = core::profile_id::newest) {
    check::world_scope s;
    s.profile = profile;
    s.setup = setup();
    s.alphabet = environment();
    s.routines.push_back(check::routine{careful ? "careful_lease" : "forgetful_lease",
                                        [careful](model::world& w, std::uint8_t) {
                                            return lease_for_container(w, careful);
                                        },
                                        1});
    return s;
}

}  // namespace control_plane
