// What one operation changed in a world: which tables, which scalars, which
// devices and which groups of device fields. `run_checked` uses it to
// re-check only what an operation could have broken. An invariant that
// held before the step, and whose inputs the step left alone, still holds
// after it (check/invariants.hpp `check_world_since`). The step invariants
// use it to visit only the devices that changed.
//
// Computing it is cheap because of structural sharing (core/cow_map.hpp).
// Tables the operation did not write are shared with the state before, and
// so are the devices it did not write. The difference is one pass over the
// two device tables, comparing pointers first.
//
// Completeness: `changes_between(a, b).touched == 0` exactly when a == b.
// Every field of model::world_state is compared here: each table and each
// scalar. A field added to world_state or model::device must be added here
// too, in the group of the invariants that read it. The change_set test of
// props/check/stateful.cpp checks both directions against operator== over
// random runs.
#pragma once

#include <netkit/core/ids.hpp>
#include <netkit/model/world_state.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace netkit::check {

// The parts of a world an invariant reads, and the parts an operation
// changed, as bits of one mask.
namespace reads {
inline constexpr std::uint32_t namespaces = 1U << 0;
inline constexpr std::uint32_t programs = 1U << 1;
inline constexpr std::uint32_t links = 1U << 2;
inline constexpr std::uint32_t descriptors = 1U << 3;
inline constexpr std::uint32_t processes = 1U << 4;
inline constexpr std::uint32_t areas = 1U << 5;
inline constexpr std::uint32_t sockets = 1U << 6;
inline constexpr std::uint32_t hazards = 1U << 7;
// The id allocators, the random state and the backlog.
inline constexpr std::uint32_t scalars = 1U << 8;
inline constexpr std::uint32_t profile = 1U << 14;
// Groups of device fields. A device that was added or removed sets all of
// them.
//   registration: handle, kind, name, ifindex, netns, state, has_parent,
//                 present
//   up:           up, carrier
//   bpf:          whether it is netkit, its netkit attach point, tcx ingress
//   queues:       counts of queues, who owns each queue (lease, provider,
//                 AF_XDP pool, zero-copy), lease references and holders;
//                 not the frames waiting in a ring
//   leases:       the lease of each RX queue, the number of RX and TX queues
//                 allocated and real, lease references (a subset of queues)
//   pairing:      whether it is netkit and its netkit settings but the
//                 attach point (peer, primary, mode, pairing, policies,
//                 requested headroom), its veth peer, whether it is a NIC
//                 and the device its port is linked to, the needed headroom
//                 and tailroom
//   any:          any field at all, counters included
inline constexpr std::uint32_t device_registration = 1U << 9;
inline constexpr std::uint32_t device_up = 1U << 10;
inline constexpr std::uint32_t device_bpf = 1U << 11;
inline constexpr std::uint32_t device_queues = 1U << 12;
inline constexpr std::uint32_t device_any = 1U << 13;
inline constexpr std::uint32_t device_pairing = 1U << 15;
inline constexpr std::uint32_t device_leases = 1U << 16;
inline constexpr std::uint32_t device_groups =
    device_registration | device_up | device_bpf | device_queues | device_pairing | device_leases | device_any;
// What the invariants about one device at a time read of the devices it
// names (check/invariants.hpp): their registration, up state, pairing
// settings and queues.
inline constexpr std::uint32_t neighbour = device_registration | device_up | device_pairing | device_queues;
}  // namespace reads

// Calls f(handle) for every device `d` names: its netkit peer, its veth
// peer, the NIC port it is linked to, and the other end of each lease of
// one of its RX queues (a handle may come more than once).
template <class F>
void for_each_named(const model::device& d, F&& f) {
    if (d.netkit && d.netkit->peer) {
        f(*d.netkit->peer);
    }
    if (d.veth_peer) {
        f(*d.veth_peer);
    }
    if (d.nic && d.nic->linked_peer) {
        f(*d.nic->linked_peer);
    }
    for (const auto& q : d.rxq) {
        if (q.lease) {
            f(q.lease->device);
        }
    }
}

struct change_set {
    std::uint32_t touched = 0;  // bits of `reads`
    // Devices present on both sides whose content differs, and devices that
    // only one side has, in handle order.
    std::vector<core::device_handle> changed;
    std::vector<core::device_handle> added;
    std::vector<core::device_handle> removed;
    // Namespaces after the step that are new or differ, in handle order;
    // those among them that are new or whose netns ids differ.
    std::vector<core::netns_handle> namespaces_changed;
    std::vector<core::netns_handle> netns_ids_changed;
    // Devices whose listing by ifindex in some netns was added, removed or
    // changed (sorted, unique).
    std::vector<core::device_handle> relisted;
    // The devices that the removed devices, and the devices that changed in
    // reads::neighbour, named before the step (for_each_named; unordered,
    // with repeats). In a state where peers and leases name each other
    // back, these are the devices that name them.
    std::vector<core::device_handle> named;
    // By handle value: the groups (bits of `reads`) in which each device
    // changed; every group for one added or removed; 0 for one unchanged.
    std::vector<std::uint32_t> groups;

    bool empty() const noexcept { return touched == 0; }
    std::uint32_t device_groups(core::device_handle h) const noexcept {
        return h.value() < groups.size() ? groups[h.value()] : 0U;
    }
    bool device_dirty(core::device_handle h) const noexcept { return device_groups(h) != 0; }
    bool netns_changed(core::netns_handle h) const noexcept {
        return std::binary_search(namespaces_changed.begin(), namespaces_changed.end(), h);
    }
    bool ids_changed(core::netns_handle h) const noexcept {
        return std::binary_search(netns_ids_changed.begin(), netns_ids_changed.end(), h);
    }
    bool device_relisted(core::device_handle h) const noexcept {
        return std::binary_search(relisted.begin(), relisted.end(), h);
    }
    void clear() {
        touched = 0;
        changed.clear();
        added.clear();
        removed.clear();
        namespaces_changed.clear();
        netns_ids_changed.clear();
        relisted.clear();
        named.clear();
        groups.clear();
    }
};

namespace detail {

inline bool leases_equal(const std::vector<model::rx_queue>& a, const std::vector<model::rx_queue>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].lease != b[i].lease) {
            return false;
        }
    }
    return true;
}

inline bool queue_owners_equal(const std::vector<model::rx_queue>& a, const std::vector<model::rx_queue>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].lease != b[i].lease || a[i].provider != b[i].provider || a[i].xsk_pool != b[i].xsk_pool ||
            a[i].zero_copy != b[i].zero_copy) {
            return false;
        }
    }
    return true;
}

// The groups in which two versions of one device differ; 0 if they are equal.
inline std::uint32_t device_changes(const model::device& a, const model::device& b) {
    std::uint32_t out = 0;
    if (a.handle != b.handle || a.kind != b.kind || a.name != b.name || a.ifindex != b.ifindex ||
        a.netns != b.netns || a.state != b.state || a.has_parent != b.has_parent || a.present != b.present) {
        out |= reads::device_registration;
    }
    if (a.up != b.up || a.carrier != b.carrier) {
        out |= reads::device_up;
    }
    if (a.netkit.has_value() != b.netkit.has_value() || (a.netkit && a.netkit->bundle != b.netkit->bundle) ||
        a.tcx_ingress != b.tcx_ingress) {
        out |= reads::device_bpf;
    }
    const bool netkit_settings_differ =
        a.netkit.has_value() != b.netkit.has_value() ||
        (a.netkit && (a.netkit->peer != b.netkit->peer || a.netkit->policy != b.netkit->policy ||
                      a.netkit->scrub != b.netkit->scrub || a.netkit->mode != b.netkit->mode ||
                      a.netkit->pairing != b.netkit->pairing || a.netkit->primary != b.netkit->primary ||
                      a.netkit->headroom != b.netkit->headroom));
    const bool nic_link_differs =
        a.nic.has_value() != b.nic.has_value() || (a.nic && a.nic->linked_peer != b.nic->linked_peer);
    if (netkit_settings_differ || nic_link_differs || a.veth_peer != b.veth_peer ||
        a.needed_headroom != b.needed_headroom || a.needed_tailroom != b.needed_tailroom) {
        out |= reads::device_pairing;
    }
    const bool counts_differ = a.real_rx_queues != b.real_rx_queues || a.real_tx_queues != b.real_tx_queues ||
                               a.rx_queues != b.rx_queues || a.tx_queues != b.tx_queues ||
                               a.lease_refs != b.lease_refs || a.txq.size() != b.txq.size();
    if (counts_differ || !leases_equal(a.rxq, b.rxq)) {
        out |= reads::device_leases | reads::device_queues;
    } else if (a.holders != b.holders || a.txq != b.txq || !queue_owners_equal(a.rxq, b.rxq)) {
        out |= reads::device_queues;
    }
    if (out != 0 || !(a == b)) {
        out |= reads::device_any;
    }
    return out;
}

inline void mark(change_set& c, core::device_handle h, std::uint32_t groups) {
    if (h.value() >= c.groups.size()) {
        c.groups.resize(h.value() + 1, 0U);
    }
    c.groups[h.value()] = groups;
    c.touched |= groups;
}

// The handles of the entries in which two ifindex listings differ.
inline void relisted_between(const std::map<std::int32_t, core::device_handle>& was,
                             const std::map<std::int32_t, core::device_handle>& now, change_set& out) {
    auto a = was.begin();
    auto b = now.begin();
    while (a != was.end() || b != now.end()) {
        if (b == now.end() || (a != was.end() && a->first < b->first)) {
            out.relisted.push_back((a++)->second);
        } else if (a == was.end() || b->first < a->first) {
            out.relisted.push_back((b++)->second);
        } else {
            if (a->second != b->second) {
                out.relisted.push_back(a->second);
                out.relisted.push_back(b->second);
            }
            ++a;
            ++b;
        }
    }
}

inline void diff_namespaces(const model::world_state& before, const model::world_state& after, change_set& out) {
    if (before.namespaces.shares_with(after.namespaces)) {
        return;
    }
    static const std::map<std::int32_t, core::device_handle> none;
    auto a = before.namespaces.begin();
    auto b = after.namespaces.begin();
    const auto a_end = before.namespaces.end();
    const auto b_end = after.namespaces.end();
    while (a != a_end || b != b_end) {
        if (b == b_end || (a != a_end && a->first < b->first)) {
            out.touched |= reads::namespaces;  // removed
            relisted_between(a->second.by_index, none, out);
            ++a;
        } else if (a == a_end || b->first < a->first) {
            out.namespaces_changed.push_back(b->first);
            out.netns_ids_changed.push_back(b->first);
            out.touched |= reads::namespaces;
            relisted_between(none, b->second.by_index, out);
            ++b;
        } else {
            if (&a->second != &b->second && !(a->second == b->second)) {
                out.namespaces_changed.push_back(b->first);
                if (a->second.ids != b->second.ids) {
                    out.netns_ids_changed.push_back(b->first);
                }
                out.touched |= reads::namespaces;
                relisted_between(a->second.by_index, b->second.by_index, out);
            }
            ++a;
            ++b;
        }
    }
    std::sort(out.relisted.begin(), out.relisted.end());
    out.relisted.erase(std::unique(out.relisted.begin(), out.relisted.end()), out.relisted.end());
}

inline void diff_devices(const model::world_state& before, const model::world_state& after, change_set& out) {
    if (before.devices.shares_with(after.devices)) {
        return;
    }
    // Both tables are ordered by handle: one merge.
    auto a = before.devices.begin();
    auto b = after.devices.begin();
    const auto a_end = before.devices.end();
    const auto b_end = after.devices.end();
    while (a != a_end || b != b_end) {
        if (b == b_end || (a != a_end && a->first < b->first)) {
            out.removed.push_back(a->first);
            mark(out, a->first, reads::device_groups);
            for_each_named(a->second, [&out](core::device_handle h) { out.named.push_back(h); });
            ++a;
        } else if (a == a_end || b->first < a->first) {
            out.added.push_back(b->first);
            mark(out, b->first, reads::device_groups);
            ++b;
        } else {
            if (&a->second != &b->second) {  // a shared element is unchanged
                if (const std::uint32_t groups = device_changes(a->second, b->second); groups != 0) {
                    out.changed.push_back(b->first);
                    mark(out, b->first, groups);
                    if ((groups & reads::neighbour) != 0) {
                        for_each_named(a->second, [&out](core::device_handle h) { out.named.push_back(h); });
                    }
                }
            }
            ++a;
            ++b;
        }
    }
}

}  // namespace detail

// Fills `out` (cleared first, its buffers reused) with what changed from
// `before` to `after`.
inline void changes_between(const model::world_state& before, const model::world_state& after, change_set& out) {
    out.clear();
    auto table = [&out](const auto& was, const auto& now, std::uint32_t bit) {
        if (!was.shares_with(now) && !(was == now)) {
            out.touched |= bit;
        }
    };
    table(before.programs, after.programs, reads::programs);
    table(before.links, after.links, reads::links);
    table(before.descriptors, after.descriptors, reads::descriptors);
    table(before.processes, after.processes, reads::processes);
    table(before.areas, after.areas, reads::areas);
    table(before.sockets, after.sockets, reads::sockets);
    if (before.hazards != after.hazards) {
        out.touched |= reads::hazards;
    }
    if (before.profile != after.profile) {
        out.touched |= reads::profile;
    }
    if (before.next_netns != after.next_netns ||
        before.next_device != after.next_device || before.next_program != after.next_program ||
        before.next_link != after.next_link || before.random_state != after.random_state ||
        before.backlog_capacity != after.backlog_capacity || before.next_consumer != after.next_consumer ||
        before.next_softnic != after.next_softnic) {
        out.touched |= reads::scalars;
    }
    detail::diff_namespaces(before, after, out);
    detail::diff_devices(before, after, out);
}

inline change_set changes_between(const model::world_state& before, const model::world_state& after) {
    change_set out;
    changes_between(before, after, out);
    return out;
}

}  // namespace netkit::check
