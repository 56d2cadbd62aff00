// The invariant catalogue: what must hold of every world the model can
// reach, as functions over a `model::world_state` that return the
// violations they find, each named by a stable ID (INV-NK-… for devices,
// INV-MP-… for BPF attachment, INV-NS-… for namespaces) and citing the
// rules it follows from (device.md NK-PAIR-04/15, NK-STATE-03/04, NK-OPEN-01…04,
// NK-DEL-01/06, NK-ENV-02…04/09; mprog.md MP-04/05/06/24/46/55/58/59/61).
// The functions take the state rather than the world so that tests can
// break a copy of a reachable state by hand and show that each invariant
// notices (world exposes its state read-only); the `world` overload is a
// thin wrapper. A second set (INV-ST-…) compares the worlds before and
// after one operation of check/operations.hpp: revisions only grow and move
// with their slots (MP-03, MP-52, MP-53), refusals change nothing (MP-20,
// NK-PAIR-01, unless the kernel keeps part, NK-CHG-06), a transmit moves
// exactly one frame through the sender's counters (NK-XMIT-10/13/17), and
// ids are never reused (MP-05). `run_checked` applies a sequence and checks
// both after every step; the stateful property test and the world_ops fuzz
// target share it, so a fuzz crash and a property failure read the same.
//
// Between steps the catalogue is checked incrementally: each invariant says
// what it reads (`invariant::reads`, bits of check/changes.hpp), those about
// one device at a time have a form for one device (`invariant::at`), and
// `check_world(state, changes)` re-runs only what a step could have broken.
#pragma once

#include <netkit/check/changes.hpp>
#include <netkit/check/operations.hpp>
#include <netkit/model/world.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace netkit::check {

struct violation {
    std::string id;  // "INV-NK-01"
    std::string message;

    friend bool operator==(const violation&, const violation&) = default;
};

using violations = std::vector<violation>;

inline std::string to_string(const violations& found) {
    std::string out;
    for (const auto& v : found) {
        out += v.id;
        out += ": ";
        out += v.message;
        out += "\n";
    }
    return out;
}

namespace detail {

using model::device;
using model::world_state;

inline std::string describe(const world_state& s, core::device_handle h) {
    const auto it = s.devices.find(h);
    std::string out = "device #" + std::to_string(h.value());
    if (it == s.devices.end()) {
        return out + " (absent)";
    }
    const device& d = it->second;
    out += " '" + d.name + "' (ifindex " + std::to_string(d.ifindex) + ", netns " +
           std::to_string(d.netns.value()) + ", " + std::string(core::enum_name(d.state)) + ")";
    return out;
}

inline const device* find_device(const world_state& s, core::device_handle h) {
    const auto it = s.devices.find(h);
    return it == s.devices.end() ? nullptr : &it->second;
}

// The devices by handle value (handles are small and dense, below
// next_device): constant-time lookups for the invariants that follow every
// netns listing to its device. Null where no device has the handle.
inline std::vector<const device*> devices_by_handle(const world_state& s) {
    std::vector<const device*> out;
    for (const auto& [h, d] : s.devices) {
        if (h.value() >= out.size()) {
            out.resize(h.value() + 1, nullptr);
        }
        out[h.value()] = &d;
    }
    return out;
}

inline const device* lookup(const std::vector<const device*>& by_handle, core::device_handle h) {
    return h.value() < by_handle.size() ? by_handle[h.value()] : nullptr;
}

// The other end of a pair (netkit or veth), if the device has one.
inline std::optional<core::device_handle> other_end(const device& d) {
    if (d.nic) {
        return d.nic->linked_peer;  // softnic.md SN-Q-03/04
    }
    return d.netkit ? d.netkit->peer : d.veth_peer;
}

// The form of an invariant that is about one device at a time: what it
// finds at device `h`, reading only that device, the groups
// reads::neighbour of the devices it names (check::for_each_named) and the
// tables in the invariant's `reads`.
using device_check = void (*)(const world_state&, core::device_handle, const device&, violations&);

inline violations each_device(const world_state& s, device_check at) {
    violations out;
    for (const auto& [h, d] : s.devices) {
        at(s, h, d, out);
    }
    return out;
}

// Every attach point of a device, named for messages.
template <class Visitor>
void for_each_point(const device& d, Visitor&& visit) {
    if (d.netkit) {
        visit("netkit", d.netkit->bundle, uapi::bpf_link_type::netkit);
    }
    visit("tcx ingress", d.tcx_ingress, uapi::bpf_link_type::tcx);
}

}  // namespace detail

// ------------------------------------------------------------ devices

// INV-NK-01 (NK-PAIR-15, NK-DEL-01): a.peer = b ⇔ b.peer = a for netkit;
// both ends are registered or neither is; a device that is gone has no peer.
inline void netkit_peer_symmetry_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                    violations& out) {
    if (!d.netkit || !d.netkit->peer) {
        return;
    }
    const auto* p = detail::find_device(s, *d.netkit->peer);
    if (p == nullptr || !p->netkit || p->netkit->peer != h) {
        out.push_back({"INV-NK-01", detail::describe(s, h) + " names " + detail::describe(s, *d.netkit->peer) +
                                        " as its netkit peer, which does not name it back"});
        return;
    }
    if (!d.visible()) {
        out.push_back({"INV-NK-01", detail::describe(s, h) + " is gone but still has a peer (NK-DEL-01)"});
    } else if (!p->visible()) {
        out.push_back({"INV-NK-01", detail::describe(s, h) + " is registered but its peer " +
                                        detail::describe(s, *d.netkit->peer) + " is not"});
    }
}

inline violations netkit_peer_symmetry(const model::world_state& s) {
    return detail::each_device(s, netkit_peer_symmetry_at);
}

// INV-NK-02 (NK-ENV-07): the same symmetry for veth pairs, which keep their
// pointers after deletion, so only agreement and joint registration count.
inline void veth_peer_symmetry_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                  violations& out) {
    if (!d.veth_peer) {
        return;
    }
    const auto* p = detail::find_device(s, *d.veth_peer);
    if (p == nullptr || p->veth_peer != h) {
        out.push_back({"INV-NK-02", detail::describe(s, h) + " names " + detail::describe(s, *d.veth_peer) +
                                        " as its veth peer, which does not name it back"});
    } else if (d.visible() != p->visible()) {
        out.push_back({"INV-NK-02", detail::describe(s, h) + " and its veth peer " +
                                        detail::describe(s, *d.veth_peer) + " are not registered together"});
    }
}

inline violations veth_peer_symmetry(const model::world_state& s) {
    return detail::each_device(s, veth_peer_symmetry_at);
}

// INV-NK-03 (NK-STATE-04, NK-SGL-01, NK-PAIR-15): a registered pair device
// has a peer and exactly one of the two is primary; a single device is
// primary and has no peer.
inline void one_primary_per_pair_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                    violations& out) {
    if (!d.netkit || !d.visible()) {
        return;
    }
    if (d.netkit->single()) {
        if (!d.netkit->primary || d.netkit->peer) {
            out.push_back({"INV-NK-03", detail::describe(s, h) + " is single but not a primary without peer"});
        }
        return;
    }
    if (!d.netkit->peer) {
        out.push_back({"INV-NK-03", detail::describe(s, h) + " is a registered pair device without a peer"});
        return;
    }
    const auto* p = detail::find_device(s, *d.netkit->peer);
    if (p != nullptr && p->netkit && p->netkit->primary == d.netkit->primary) {
        out.push_back({"INV-NK-03", detail::describe(s, h) + " and its peer are both " +
                                        (d.netkit->primary ? "primary" : "non-primary")});
    }
}

inline violations one_primary_per_pair(const model::world_state& s) {
    return detail::each_device(s, one_primary_per_pair_at);
}

// INV-NK-04 (NK-OPEN-01…04, NK-DEL-01): a registered device has carrier iff
// it is up and, for a pair (netkit or veth), its other end is up too; a
// device that is gone is down without carrier.
inline void carrier_follows_up_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                  violations& out) {
    if (!d.visible()) {
        if (d.up || d.carrier) {
            out.push_back({"INV-NK-04", detail::describe(s, h) + " is gone but up or with carrier"});
        }
        return;
    }
    bool expected = d.up;
    const bool paired_kind = (d.netkit && !d.netkit->single()) || d.kind == model::device_kind::veth;
    if (const auto other = detail::other_end(d)) {
        const auto* p = detail::find_device(s, *other);
        expected = expected && p != nullptr && p->up;
    } else if (paired_kind) {
        expected = false;
    }
    // QL-NKQC-04: in profile v7-jan2026 a queue-create on a running
    // netkit device turns its carrier on whatever its peer's state.
    const bool toggled = s.profile.carrier_toggle_on_queue_create && d.netkit && d.up && d.carrier &&
                         d.real_rx_queues > 1;
    if (d.carrier != expected && !toggled) {
        out.push_back({"INV-NK-04", detail::describe(s, h) + (d.carrier ? " has" : " lacks") +
                                        " carrier with up=" + (d.up ? "true" : "false")});
    }
}

inline violations carrier_follows_up(const model::world_state& s) {
    return detail::each_device(s, carrier_follows_up_at);
}

// INV-NK-05 (NK-STATE-03): both ends of a netkit pair have the same mode
// and pairing.
inline void mode_and_pairing_shared_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                       violations& out) {
    if (!d.netkit || !d.netkit->peer) {
        return;
    }
    const auto* p = detail::find_device(s, *d.netkit->peer);
    if (p == nullptr || !p->netkit) {
        return;  // INV-NK-01's business
    }
    if (p->netkit->mode != d.netkit->mode || p->netkit->pairing != d.netkit->pairing) {
        out.push_back({"INV-NK-05", detail::describe(s, h) + " and its peer differ in mode or pairing"});
    }
}

inline violations mode_and_pairing_shared(const model::world_state& s) {
    return detail::each_device(s, mode_and_pairing_shared_at);
}

// INV-NK-06 (NK-DRV-08, NK-RT-02, NK-XMIT-16): an L3 netkit device has the
// all-zero address; nothing can give it another.
inline void l3_has_no_address_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                 violations& out) {
    if (d.netkit && d.netkit->mode == uapi::mode::l3 && !model::is_zero(d.mac)) {
        out.push_back({"INV-NK-06", detail::describe(s, h) + " is L3 but has a MAC address"});
    }
}

inline violations l3_has_no_address(const model::world_state& s) {
    return detail::each_device(s, l3_has_no_address_at);
}

// INV-NK-07 (NK-PAIR-04, NK-RT-05): a pair device needs the larger of the
// two ends' requested headrooms and both ends need the same tailroom; a
// single device needs what it requested.
inline void headroom_shared_at(const model::world_state& s, core::device_handle h, const model::device& d,
                               violations& out) {
    if (!d.netkit || !d.visible()) {
        return;
    }
    std::int32_t wanted = d.netkit->headroom;
    if (d.netkit->peer) {
        const auto* p = detail::find_device(s, *d.netkit->peer);
        if (p == nullptr || !p->netkit) {
            return;  // INV-NK-01's business
        }
        wanted = std::max(wanted, p->netkit->headroom);
        if (p->needed_tailroom != d.needed_tailroom) {
            out.push_back({"INV-NK-07", detail::describe(s, h) + " and its peer need different tailrooms"});
        }
    }
    if (static_cast<std::int32_t>(d.needed_headroom) != wanted) {
        out.push_back({"INV-NK-07", detail::describe(s, h) + " needs headroom " +
                                        std::to_string(d.needed_headroom) + ", not the requested " +
                                        std::to_string(wanted)});
    }
}

inline violations headroom_shared(const model::world_state& s) { return detail::each_device(s, headroom_shared_at); }

// INV-NK-08 (SN-TX-02, SN-Q-03, SN-Q-04): linked software NIC ports name
// each other.
inline void linked_ports_symmetry_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                     violations& out) {
    if (!d.nic || !d.nic->linked_peer) {
        return;
    }
    const auto* p = detail::find_device(s, *d.nic->linked_peer);
    if (p == nullptr || !p->nic || p->nic->linked_peer != h) {
        out.push_back({"INV-NK-08", detail::describe(s, h) + " is linked to " +
                                        detail::describe(s, *d.nic->linked_peer) + ", which is not linked back"});
    }
}

inline violations linked_ports_symmetry(const model::world_state& s) {
    return detail::each_device(s, linked_ports_symmetry_at);
}

// ------------------------------------------------------------------ BPF

namespace detail {
// What slot_array_violations checks, without building messages.
inline bool slot_array_ok(std::span<const model::mprog::slot> slots) {
    if (slots.size() > model::mprog::capacity) {
        return false;
    }
    for (std::size_t i = 0; i < slots.size(); ++i) {
        for (std::size_t j = i + 1; j < slots.size(); ++j) {
            if (slots[i].program == slots[j].program || (slots[i].link_owned() && slots[i].link == slots[j].link)) {
                return false;
            }
        }
    }
    return true;
}
}  // namespace detail

// The slot-array half of INV-MP-01, on its own because attach_point can
// only be built through the engine, whose commit already refuses a
// malformed array: this is what a test can feed a broken array to.
inline violations slot_array_violations(std::string_view where, std::span<const model::mprog::slot> slots) {
    violations out;
    if (slots.size() > model::mprog::capacity) {
        out.push_back({"INV-MP-01", std::string(where) + " holds " + std::to_string(slots.size()) +
                                        " programs, more than " + std::to_string(model::mprog::capacity)});
    }
    for (std::size_t i = 0; i < slots.size(); ++i) {
        for (std::size_t j = i + 1; j < slots.size(); ++j) {
            if (slots[i].program == slots[j].program) {
                out.push_back({"INV-MP-01", std::string(where) + " holds program " +
                                                std::to_string(slots[i].program.value()) + " twice"});
            }
            if (slots[i].link_owned() && slots[i].link == slots[j].link) {
                out.push_back({"INV-MP-01", std::string(where) + " has link " +
                                                std::to_string(slots[i].link.value()) + " in two slots"});
            }
        }
    }
    return out;
}

// INV-MP-01 (MP-04, MP-24): at most 63 programs per attach point, none twice.
inline void attach_point_capacity_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                     violations& out) {
    detail::for_each_point(d, [&](std::string_view kind, const model::mprog::attach_point& point, auto) {
        if (detail::slot_array_ok(point.slots())) {
            return;  // the description below is built only for a broken array
        }
        const auto found = slot_array_violations(std::string(kind) + " point of " + detail::describe(s, h),
                                                 point.slots());
        out.insert(out.end(), found.begin(), found.end());
    });
}

inline violations attach_point_capacity(const model::world_state& s) {
    return detail::each_device(s, attach_point_capacity_at);
}

// INV-MP-02 (MP-05, MP-46): every slot's program is a live program.
inline void slots_hold_live_programs_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                        violations& out) {
    detail::for_each_point(d, [&](std::string_view kind, const model::mprog::attach_point& point, auto) {
        for (const auto& slot : point.slots()) {
            if (!s.programs.contains(slot.program)) {
                out.push_back({"INV-MP-02", std::string(kind) + " point of " + detail::describe(s, h) +
                                                " holds freed program " + std::to_string(slot.program.value())});
            }
        }
    });
}

inline violations slots_hold_live_programs(const model::world_state& s) {
    return detail::each_device(s, slots_hold_live_programs_at);
}

// INV-MP-03 (MP-61, NK-DEL-04/06, MP-64): a link that is not defunct
// refers to a registered device, and a device that is gone holds no
// attachments.
inline violations links_on_registered_devices(const model::world_state& s) {
    violations out;
    for (const auto& [id, link] : s.links) {
        if (link.defunct()) {
            continue;
        }
        const auto* d = detail::find_device(s, *link.device);
        if (d == nullptr || !d->visible()) {
            out.push_back({"INV-MP-03", "link " + std::to_string(id.value()) + " is not defunct but refers to " +
                                            detail::describe(s, *link.device)});
        }
    }
    for (const auto& entry : s.devices) {
        // Named copies: clang 14 cannot capture structured bindings in lambdas.
        const core::device_handle h = entry.first;
        const model::device& d = entry.second;
        if (d.visible()) {
            continue;
        }
        detail::for_each_point(d, [&](std::string_view kind, const model::mprog::attach_point& point, auto) {
            if (point.count() != 0) {
                out.push_back({"INV-MP-03", std::string(kind) + " point of " + detail::describe(s, h) +
                                                " still holds " + std::to_string(point.count()) + " program(s)"});
            }
        });
    }
    return out;
}

// INV-MP-04 (MP-55, MP-58, MP-59, MP-64): every link-owned slot's link
// exists, is not defunct, names this device, has the point's link type and
// holds the slot's program; every live link owns exactly one such slot.
inline violations link_slots_point_back(const model::world_state& s) {
    violations out;
    std::map<core::link_id, std::size_t> owned;
    for (const auto& entry : s.devices) {
        // Named copies: clang 14 cannot capture structured bindings in lambdas.
        const core::device_handle h = entry.first;
        const model::device& d = entry.second;
        detail::for_each_point(d, [&](std::string_view kind, const model::mprog::attach_point& point,
                                      uapi::bpf_link_type type) {
            for (const auto& slot : point.slots()) {
                if (!slot.link_owned()) {
                    continue;
                }
                ++owned[slot.link];
                // Built only when a violation is reported: the checks run after every step.
                auto where = [&] { return std::string(kind) + " point of " + detail::describe(s, h); };
                const auto it = s.links.find(slot.link);
                if (it == s.links.end()) {
                    out.push_back({"INV-MP-04", where() + " has a slot of released link " +
                                                    std::to_string(slot.link.value())});
                    continue;
                }
                const model::bpf_link& link = it->second;
                if (link.device != h || link.type != type || link.program != slot.program) {
                    out.push_back({"INV-MP-04", where() + " has a slot of link " + std::to_string(slot.link.value()) +
                                                    " that does not point back at it with the slot's program"});
                }
            }
        });
    }
    for (const auto& [id, link] : s.links) {
        const std::size_t slots = owned.contains(id) ? owned.at(id) : 0;
        if (!link.defunct() && slots != 1) {
            out.push_back({"INV-MP-04", "live link " + std::to_string(id.value()) + " owns " +
                                            std::to_string(slots) + " slots instead of 1"});
        }
    }
    return out;
}

// INV-MP-05 (MP-46, MP-59): a program's reference count is its program
// descriptors + the opts slots holding it + the links (live or defunct)
// holding it, and a registered program has at least one.
inline violations program_reference_counts(const model::world_state& s) {
    violations out;
    std::map<core::program_id, std::uint64_t> expected;
    for (const auto& [fd, d] : s.descriptors) {
        if (d.kind == model::descriptor_kind::program) {
            ++expected[core::program_id{d.object}];
        }
    }
    for (const auto& entry : s.devices) {
        const model::device& d = entry.second;
        detail::for_each_point(d, [&](std::string_view, const model::mprog::attach_point& point, auto) {
            for (const auto& slot : point.slots()) {
                if (!slot.link_owned()) {
                    ++expected[slot.program];
                }
            }
        });
    }
    for (const auto& [id, link] : s.links) {
        ++expected[link.program];
    }
    for (const auto& [id, p] : s.programs) {
        const std::uint64_t want = expected.contains(id) ? expected.at(id) : 0;
        if (p.references != want || p.references == 0) {
            out.push_back({"INV-MP-05", "program " + std::to_string(id.value()) + " has " +
                                            std::to_string(p.references) + " references, but " +
                                            std::to_string(want) + " holders"});
        }
    }
    return out;
}

// INV-MP-06 (MP-06, MP-59): program and link descriptors name live objects,
// and a link's descriptor count is the number of its descriptors (a link
// whose last descriptor closed is released).
inline violations descriptors_name_live_objects(const model::world_state& s) {
    violations out;
    std::map<core::link_id, std::uint32_t> counted;
    for (const auto& [fd, d] : s.descriptors) {
        if (d.kind == model::descriptor_kind::program && !s.programs.contains(core::program_id{d.object})) {
            out.push_back({"INV-MP-06", "descriptor " + std::to_string(fd) + " names freed program " +
                                            std::to_string(d.object)});
        }
        if (d.kind == model::descriptor_kind::link) {
            ++counted[core::link_id{d.object}];
            if (!s.links.contains(core::link_id{d.object})) {
                out.push_back({"INV-MP-06", "descriptor " + std::to_string(fd) + " names released link " +
                                                std::to_string(d.object)});
            }
        }
    }
    for (const auto& [id, link] : s.links) {
        const std::uint32_t want = counted.contains(id) ? counted.at(id) : 0;
        if (link.descriptors != want || want == 0) {
            out.push_back({"INV-MP-06", "link " + std::to_string(id.value()) + " counts " +
                                            std::to_string(link.descriptors) + " descriptors, " +
                                            std::to_string(want) + " are open"});
        }
    }
    return out;
}

// INV-MP-07 (MP-05): ids and handles are below their allocators' next
// value and non-zero where 0 means "none", so none can be handed out twice.
inline violations ids_below_counters(const model::world_state& s) {
    violations out;
    for (const auto& [id, p] : s.programs) {
        if (id.value() == 0 || id.value() >= s.next_program || p.id != id) {
            out.push_back({"INV-MP-07", "program id " + std::to_string(id.value()) + " is not below " +
                                            std::to_string(s.next_program) + " or disagrees with its key"});
        }
    }
    for (const auto& [id, l] : s.links) {
        if (id.value() == 0 || id.value() >= s.next_link || l.id != id) {
            out.push_back({"INV-MP-07", "link id " + std::to_string(id.value()) + " is not below " +
                                            std::to_string(s.next_link) + " or disagrees with its key"});
        }
    }
    for (const auto& [h, d] : s.devices) {
        if (h.value() == 0 || h.value() >= s.next_device || d.handle != h) {
            out.push_back({"INV-MP-07", detail::describe(s, h) + " has a handle not below " +
                                            std::to_string(s.next_device) + " or disagreeing with its key"});
        }
    }
    for (const auto& [h, n] : s.namespaces) {
        if (h.value() >= s.next_netns || n.handle != h) {
            out.push_back({"INV-MP-07", "netns " + std::to_string(h.value()) + " has a handle not below " +
                                            std::to_string(s.next_netns) + " or disagreeing with its key"});
        }
    }
    return out;
}

// ---------------------------------------------------------- namespaces

namespace detail {

// INV-NS-01 in netns `ns`; `find(h)` is the device with handle h, or null.
template <class Find>
void netns_maps_in(const world_state& s, core::netns_handle ns, const model::netns& n, Find&& find,
                   violations& out) {
    // Built only when a violation is reported: the checks run after every step.
    auto where = [id = ns.value()] { return "netns " + std::to_string(id); };
    for (const auto& [ifindex, h] : n.by_index) {
        const device* d = find(h);
        if (d == nullptr || !d->visible() || d->netns != ns || d->ifindex != ifindex) {
            out.push_back({"INV-NS-01", where() + " maps ifindex " + std::to_string(ifindex) + " to " +
                                            describe(s, h)});
        }
    }
    for (const auto& [name, h] : n.by_name) {
        const device* d = find(h);
        if (d == nullptr || !d->visible() || d->netns != ns || d->name != name) {
            out.push_back({"INV-NS-01", where() + " maps name '" + name + "' to " + describe(s, h)});
        }
    }
    if (n.by_index.size() != n.by_name.size()) {
        out.push_back({"INV-NS-01", where() + " lists " + std::to_string(n.by_index.size()) + " ifindexes but " +
                                        std::to_string(n.by_name.size()) + " names"});
    }
}

}  // namespace detail

// INV-NS-01 (NK-ENV-03, NK-ENV-04): each netns maps an ifindex and a name
// to a registered device of that netns that has exactly that ifindex and
// name, and both maps list the same devices.
inline violations netns_maps_match_devices(const model::world_state& s) {
    violations out;
    const auto by_handle = detail::devices_by_handle(s);
    auto find = [&by_handle](core::device_handle h) { return detail::lookup(by_handle, h); };
    for (const auto& [ns, n] : s.namespaces) {
        detail::netns_maps_in(s, ns, n, find, out);
    }
    return out;
}

// The same after a step that made `changes`, from a state where it held:
// only the namespaces that changed or list a device whose registration
// changed (a removed device counts as changed).
inline violations netns_maps_match_devices(const model::world_state& s, const change_set& changes) {
    violations out;
    auto find = [&s](core::device_handle h) { return detail::find_device(s, h); };
    auto registration_changed = [&changes](core::device_handle h) {
        return (changes.device_groups(h) & reads::device_registration) != 0;
    };
    for (const auto& [ns, n] : s.namespaces) {
        const bool affected =
            changes.netns_changed(ns) ||
            std::any_of(n.by_index.begin(), n.by_index.end(),
                        [&](const auto& entry) { return registration_changed(entry.second); }) ||
            std::any_of(n.by_name.begin(), n.by_name.end(),
                        [&](const auto& entry) { return registration_changed(entry.second); });
        if (affected) {
            detail::netns_maps_in(s, ns, n, find, out);
        }
    }
    return out;
}

// INV-NS-02 (NK-ENV-09, NK-DEL-06): a registered device is listed in its
// own netns and in no other; a device that is gone is listed nowhere.
inline violations devices_listed_once(const model::world_state& s) {
    violations out;
    // One walk over every netns listing, by handle value (handles are small
    // and dense): how often each device is listed by index, and whether its
    // own netns lists it under its ifindex and under its name.
    struct seen {
        const model::device* device = nullptr;
        std::uint32_t listed = 0;
        std::uint8_t home = 0;  // bit 0: by index, bit 1: by name
    };
    std::vector<seen> by_handle;
    for (const auto& [h, d] : s.devices) {
        if (h.value() >= by_handle.size()) {
            by_handle.resize(h.value() + 1);
        }
        by_handle[h.value()].device = &d;
    }
    auto lookup = [&by_handle](core::device_handle h) -> seen* {
        return h.value() < by_handle.size() && by_handle[h.value()].device != nullptr ? &by_handle[h.value()]
                                                                                      : nullptr;
    };
    for (const auto& [ns, n] : s.namespaces) {
        for (const auto& [ifindex, h] : n.by_index) {
            seen* e = lookup(h);
            if (e == nullptr) {
                continue;  // INV-NS-01 reports a listing of no device
            }
            ++e->listed;
            if (e->device->netns == ns && e->device->ifindex == ifindex) {
                e->home |= 1;
            }
        }
        for (const auto& [name, h] : n.by_name) {
            seen* e = lookup(h);
            if (e != nullptr && e->device->netns == ns && e->device->name == name) {
                e->home |= 2;
            }
        }
    }
    for (const auto& [h, d] : s.devices) {
        const seen& e = by_handle[h.value()];
        if (!d.visible()) {
            if (e.listed != 0) {
                out.push_back({"INV-NS-02", detail::describe(s, h) + " is gone but listed " +
                                                std::to_string(e.listed) + " time(s)"});
            }
            continue;
        }
        const bool at_home = e.home == 3;
        if (!at_home || e.listed != 1) {
            out.push_back({"INV-NS-02", detail::describe(s, h) + " is listed " + std::to_string(e.listed) +
                                            " time(s)" + (at_home ? "" : ", not in its own netns")});
        }
    }
    return out;
}

// INV-NS-03 (NK-ENV-02, NL-RT-10): every netns has its loopback device at
// ifindex 1. It is created as "lo"; a rename changes only its name.
inline violations every_netns_has_loopback(const model::world_state& s) {
    violations out;
    for (const auto& [ns, n] : s.namespaces) {
        const auto it = n.by_index.find(1);
        const auto* lo = it == n.by_index.end() ? nullptr : detail::find_device(s, it->second);
        if (lo == nullptr || lo->kind != model::device_kind::loopback) {
            out.push_back({"INV-NS-03", "netns " + std::to_string(ns.value()) + " has no lo at ifindex 1"});
        }
    }
    return out;
}


// ---------------------------------------------------- queues and leases
// lease.md §16 (QL-INV-01…10) and the consumer rules of issue 4.

namespace detail {

inline std::string describe_queue(const world_state& s, model::queue_ref q) {
    return describe(s, q.device) + " rx " + std::to_string(q.index);
}

// Calls f(device handle, device, index, queue) for every allocated RX queue
// of every device that is not freed.
template <class F>
void for_each_rx_queue(const world_state& s, F&& f) {
    for (const auto& [h, d] : s.devices) {
        if (d.state == model::registration::freed) {
            continue;
        }
        for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
            f(h, d, i, d.rxq[i]);
        }
    }
}

}  // namespace detail

// INV-QL-01 (QL-INV-01, QL-INV-02, QL-MODEL-03): a lease names a live queue
// that names it back, and exactly one end has a parent.
inline void lease_symmetry_at(const model::world_state& s, core::device_handle h, const model::device& d,
                              violations& out) {
    if (d.state == model::registration::freed) {
        return;
    }
    for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
        const model::rx_queue& q = d.rxq[i];
        if (!q.lease) {
            continue;
        }
        const auto* other = detail::find_device(s, q.lease->device);
        const model::queue_ref here{h, i};
        if (other == nullptr || q.lease->index >= other->rxq.size() || other->rxq[q.lease->index].lease != here) {
            out.push_back({"INV-QL-01", detail::describe_queue(s, here) + " leases " +
                                            detail::describe_queue(s, *q.lease) + ", which does not lease it back"});
        } else if (other->physical() == d.physical()) {
            out.push_back({"INV-QL-01", detail::describe_queue(s, here) + " and its lease are both " +
                                            (d.physical() ? "physical" : "virtual")});
        }
    }
}

inline violations lease_symmetry(const model::world_state& s) { return detail::each_device(s, lease_symmetry_at); }

// INV-QL-02 (QL-INV-03, QL-CRT-19, QL-VSM-01): a virtual device's leased
// queues are exactly 1 … real rx − 1, all from one lessor; queue 0 never.
inline void lessee_queues_at(const model::world_state& s, core::device_handle h, const model::device& d,
                             violations& out) {
    if (d.physical() || d.state == model::registration::freed) {
        return;
    }
    std::optional<core::device_handle> lessor;
    for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
        const bool expected = d.state == model::registration::registered && i >= 1 && i < d.real_rx_queues;
        const auto& lease = d.rxq[i].lease;
        if (lease.has_value() != expected) {
            out.push_back({"INV-QL-02", detail::describe_queue(s, {h, i}) +
                                            (expected ? " is active but not leased" : " is leased")});
            continue;
        }
        if (lease && lessor && *lessor != lease->device) {
            out.push_back({"INV-QL-02", detail::describe(s, h) + " leases from two devices"});
        }
        if (lease) {
            lessor = lease->device;
        }
    }
}

inline violations lessee_queues(const model::world_state& s) { return detail::each_device(s, lessee_queues_at); }

// INV-QL-03 (QL-INV-04, QL-MP-07, QL-XSK-04): provider and pool state of a
// leased pair is stored on the physical queue only.
inline void leased_state_on_physical_side_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                             violations& out) {
    if (d.state == model::registration::freed) {
        return;
    }
    for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
        const model::rx_queue& q = d.rxq[i];
        if (!d.physical() && q.lease && (q.provider || q.xsk_pool)) {
            out.push_back({"INV-QL-03", detail::describe_queue(s, {h, i}) +
                                            " is a leased virtual queue with its own provider or pool"});
        }
    }
}

inline violations leased_state_on_physical_side(const model::world_state& s) {
    return detail::each_device(s, leased_state_on_physical_side_at);
}

// INV-QL-04 (QL-INV-05, QL-INV-08, QL-MODEL-04): a device's lease
// references equal its leased queues; no lease involves an unregistered
// device.
inline void lease_references_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                violations& out) {
    std::uint32_t leased = 0;
    for (const auto& q : d.rxq) {
        leased += q.lease.has_value() ? 1U : 0U;
    }
    const std::uint32_t expected = d.physical() ? leased : 0U;
    if (d.lease_refs != expected) {
        out.push_back({"INV-QL-04", detail::describe(s, h) + " holds " + std::to_string(d.lease_refs) +
                                        " lease reference(s) for " + std::to_string(expected) + " lease(s)"});
    }
    if (d.state != model::registration::registered && leased > 0) {
        out.push_back({"INV-QL-04", detail::describe(s, h) + " is unregistered but still leased"});
    }
}

inline violations lease_references(const model::world_state& s) { return detail::each_device(s, lease_references_at); }

// INV-QL-05 (QL-INV-06, QL-CAN-03, QL-MP-06, QL-XSK-03): a physical queue
// has at most one owner among lease, provider opened on it and pool
// registered on it; a leased one carries providers and pools only through
// the lease (nothing else can reach it: QL-MP-03, QL-XSK-02).
inline void one_owner_per_queue_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                   violations& out) {
    if (d.state == model::registration::freed) {
        return;
    }
    for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
        const model::rx_queue& q = d.rxq[i];
        if (d.physical() && !q.lease && q.provider && q.xsk_pool) {
            out.push_back({"INV-QL-05", detail::describe_queue(s, {h, i}) + " has both a provider and a pool"});
        }
        if (d.physical() && q.lease && q.provider && q.xsk_pool) {
            out.push_back({"INV-QL-05", detail::describe_queue(s, {h, i}) +
                                            " is leased and carries both a provider and a pool"});
        }
    }
}

inline violations one_owner_per_queue(const model::world_state& s) {
    return detail::each_device(s, one_owner_per_queue_at);
}

// INV-QL-06 (QL-INV-07, QL-ETH-02, SN-CH-05): a physical device's real rx is
// above every leased, provider-bound or pool-bound RX index.
inline void channels_cover_busy_queues_at(const model::world_state& s, core::device_handle h, const model::device& d,
                                          violations& out) {
    if (!d.physical() || d.state == model::registration::freed) {
        return;
    }
    for (std::uint32_t i = d.real_rx_queues; i < d.rxq.size(); ++i) {
        const auto& q = d.rxq[i];
        if (q.lease || q.provider || q.xsk_pool) {
            out.push_back({"INV-QL-06", detail::describe_queue(s, {h, i}) + " is busy beyond real rx " +
                                            std::to_string(d.real_rx_queues)});
        }
    }
}

inline violations channels_cover_busy_queues(const model::world_state& s) {
    return detail::each_device(s, channels_cover_busy_queues_at);
}

namespace detail {

inline bool any_lease(const world_state& s) {
    return std::any_of(s.devices.begin(), s.devices.end(),
                       [](const auto& entry) { return entry.second.lease_refs > 0; });
}

// INV-QL-07 for the dump of one netns, run on `copy`, a copy of `s` (a dump
// may allocate netns ids, but only in the dumping netns' own table, so one
// copy serves every netns).
inline void queue_get_visibility_in(model::world_state& copy, core::netns_handle ns, violations& out) {
    for (const auto& info : model::lease::queue_dump(copy, model::caller{ns, true, std::nullopt})) {
        if (!info.lease) {
            continue;
        }
        // Built only when a violation is reported: the checks run after every step.
        auto where = [id = ns.value()] { return "a queue-get reply in netns " + std::to_string(id); };
        const auto* d = model::state::find_by_index(copy, ns, info.ifindex);
        if (d == nullptr || !d->physical() || info.id >= d->rxq.size() || !d->rxq[info.id].lease) {
            out.push_back({"INV-QL-07", where() + " shows a lease nest that is not a physical queue's lease"});
            continue;
        }
        const auto& n_copy = model::state::namespace_of(copy, ns);
        const auto other = info.lease->netns_id ? n_copy.by_id(*info.lease->netns_id) : std::optional{ns};
        const auto* named = other && copy.namespaces.contains(*other)
                                ? model::state::find_by_index(copy, *other, info.lease->ifindex)
                                : nullptr;
        if (named == nullptr || named->handle != d->rxq[info.id].lease->device) {
            out.push_back({"INV-QL-07", where() + " names ifindex " + std::to_string(info.lease->ifindex) +
                                            (info.lease->netns_id ? " in netns id " +
                                                                        std::to_string(*info.lease->netns_id)
                                                                  : std::string(" without a netns-id")) +
                                            ", which is not the lessee seen from there"});
        }
    }
}

// Whether a step that made `changes` can have changed what INV-QL-07 finds
// in the dump of netns `ns`, which held before the step. Only lease nests
// are checked, so only devices with a leased RX queue matter: one that is
// new, changed its registration, up state or leases, or was listed anew,
// or whose lease's other end is gone, changed its registration or was
// listed anew. Or the netns is new or its netns ids changed. (A device
// without leases adds no nest; one that lost its leases or left the
// listing only removes nests, which were clean.)
inline bool queue_dump_affected(const world_state& s, core::netns_handle ns, const model::netns& n,
                                const change_set& changes) {
    if (changes.ids_changed(ns)) {
        return true;
    }
    constexpr std::uint32_t listed_reads = reads::device_registration | reads::device_up | reads::device_leases;
    for (const auto& [index, h] : n.by_index) {
        const device* d = find_device(s, h);
        if (d == nullptr) {
            return true;
        }
        bool leased = false;
        for (const auto& q : d->rxq) {
            if (!q.lease) {
                continue;
            }
            leased = true;
            const core::device_handle other = q.lease->device;
            if ((changes.device_groups(other) & reads::device_registration) != 0 ||
                changes.device_relisted(other) || find_device(s, other) == nullptr) {
                return true;
            }
        }
        if (leased && ((changes.device_groups(h) & listed_reads) != 0 || changes.device_relisted(h))) {
            return true;
        }
    }
    return false;
}

}  // namespace detail

// INV-QL-07 (QL-INV-09, QL-GET-03, QL-GET-04): what queue-get shows any
// caller names only what its netns can see: lease nests appear only on
// physical queues of that netns, and each one, read from there (ifindex in
// the netns its netns-id names, or in the caller's own without one), leads
// to the device that really holds the lease.
inline violations queue_get_visibility(const model::world_state& s) {
    violations out;
    if (!detail::any_lease(s)) {
        return out;
    }
    model::world_state copy = s;
    for (const auto& entry : s.namespaces) {
        detail::queue_get_visibility_in(copy, entry.first, out);
    }
    return out;
}

// The same after a step that made `changes`, from a state that broke no
// invariant: only the dumps that can have changed.
inline violations queue_get_visibility(const model::world_state& s, const change_set& changes) {
    violations out;
    if (!detail::any_lease(s)) {
        return out;
    }
    std::optional<model::world_state> copy;
    for (const auto& [ns, n] : s.namespaces) {
        if (!detail::queue_dump_affected(s, ns, n, changes)) {
            continue;
        }
        if (!copy) {
            copy.emplace(s);
        }
        detail::queue_get_visibility_in(*copy, ns, out);
    }
    return out;
}

// INV-QL-08 (QL-MP-07, QL-MP-08, NK-DEL-07): providers name their live
// consumers; a consumer is installed iff some queue carries it; each
// buffer is in exactly one place, and an unmapped area holds none; the
// holds of receivers are counted on their devices.
inline violations consumers_consistent(const model::world_state& s) {
    violations out;
    std::map<core::device_handle, std::uint32_t> holds;
    for (const auto& [id, area] : s.areas) {
        if (area.holds_device) {
            ++holds[area.device];
        }
        if (area.installed != model::queue_ops::provider_installed_anywhere(s, id)) {
            out.push_back({"INV-QL-08", "consumer " + std::to_string(id) + " says installed=" +
                                            (area.installed ? "true" : "false") + " but the queues disagree"});
        }
        for (const auto& b : area.buffers) {
            if (!area.mapped && b.owner != model::buffer_owner::free_list) {
                out.push_back({"INV-QL-08", "unmapped consumer " + std::to_string(id) + " still owns a buffer"});
                break;
            }
            if (b.owner == model::buffer_owner::free_list && b.length != 0) {
                out.push_back({"INV-QL-08", "consumer " + std::to_string(id) + " has a filled buffer on its free list"});
                break;
            }
        }
    }
    detail::for_each_rx_queue(s, [&](core::device_handle h, const model::device&, std::uint32_t i,
                                     const model::rx_queue& q) {
        if (!q.provider) {
            return;
        }
        const auto it = s.areas.find(q.provider->consumer);
        if (it == s.areas.end() || it->second.kind != q.provider->kind) {
            out.push_back({"INV-QL-08", detail::describe_queue(s, {h, i}) + " carries an unknown provider"});
        }
    });
    for (const auto& [h, d] : s.devices) {
        const auto it = holds.find(h);
        const std::uint32_t expected = it == holds.end() ? 0U : it->second;
        if (d.holders < expected) {
            out.push_back({"INV-QL-08", detail::describe(s, h) + " has fewer holders than the receivers holding it"});
        }
    }
    return out;
}

// INV-QL-09 (QL-XSK-04, QL-XSK-05, QL-XSK-13): every pool slot names a
// bound socket whose (resolved) queue it is, and every bound socket's
// pool is where its binding resolves.
inline violations sockets_and_pools_agree(const model::world_state& s) {
    violations out;
    std::map<std::uint32_t, std::uint32_t> slots;
    for (const auto& [h, d] : s.devices) {
        if (d.state == model::registration::freed) {
            continue;
        }
        for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
            if (const auto& pool = d.rxq[i].xsk_pool) {
                ++slots[*pool];
                const auto it = s.sockets.find(*pool);
                if (it == s.sockets.end() || !it->second.bound) {
                    out.push_back({"INV-QL-09", detail::describe_queue(s, {h, i}) + " holds the pool of socket " +
                                                    std::to_string(*pool) + ", which is not bound"});
                }
            }
        }
    }
    for (const auto& [id, socket] : s.sockets) {
        if (socket.bound && !slots.contains(id)) {
            bool on_tx_only = false;
            const auto* d = detail::find_device(s, socket.bound->device);
            if (d != nullptr && socket.bound->index >= d->real_rx_queues && socket.bound->index < d->txq.size()) {
                on_tx_only = d->txq[socket.bound->index].xsk_pool == id;
            }
            if (!on_tx_only) {
                out.push_back({"INV-QL-09", "socket " + std::to_string(id) + " is bound but its pool is nowhere"});
            }
        }
    }
    return out;
}

// INV-QL-10 (QL-LIFE-06, CVE-2026-74285): the NIC never ran on provider
// memory that had been handed back, nor wrote into an unmapped area.
inline violations no_memory_hazards(const model::world_state& s) {
    violations out;
    for (const auto& hz : s.hazards) {
        out.push_back({"INV-QL-10", std::string(hz.kind == model::hazard_kind::use_after_uninstall
                                                    ? "a running queue still used released provider memory: "
                                                    : "the NIC wrote into an unmapped area: ") +
                                        detail::describe_queue(s, {hz.device, hz.queue}) + ", consumer " +
                                        std::to_string(hz.consumer)});
    }
    return out;
}

// ------------------------------------------------------------ catalogue

struct invariant {
    std::string_view id;
    std::string_view rules;
    std::string_view statement;
    violations (*check)(const model::world_state&);
    // What `check` reads, as bits of check::reads. For an invariant about
    // one device at a time (`at` is set): the tables it reads besides the
    // devices.
    std::uint32_t reads = ~0U;
    // The invariant at one device, for one that is about one device at a
    // time (`check` is then `at` over every device); nullptr otherwise.
    detail::device_check at = nullptr;
    // For an invariant that is not about one device at a time: what it
    // finds after a step that made the changes, from a state where it held,
    // when that is cheaper than `check`; nullptr to run `check`.
    violations (*since)(const model::world_state&, const change_set&) = nullptr;
};

namespace detail {
namespace r = check::reads;
inline constexpr std::uint32_t ns_reads = r::namespaces | r::device_registration;
}  // namespace detail

// The state invariants, in ID order; check_world runs them all.
inline constexpr invariant catalogue[] = {
    {"INV-NK-01", "NK-PAIR-15 NK-DEL-01", "netkit peers name each other", netkit_peer_symmetry, 0,
     netkit_peer_symmetry_at},
    {"INV-NK-02", "NK-ENV-07", "veth peers name each other", veth_peer_symmetry, 0, veth_peer_symmetry_at},
    {"INV-NK-03", "NK-STATE-04 NK-SGL-01", "exactly one primary per pair; a single device is primary",
     one_primary_per_pair, 0, one_primary_per_pair_at},
    {"INV-NK-04", "NK-OPEN-01 NK-OPEN-02 NK-OPEN-03 NK-OPEN-04", "carrier iff both ends are up",
     carrier_follows_up, reads::profile, carrier_follows_up_at},
    {"INV-NK-05", "NK-STATE-03", "both ends share mode and pairing", mode_and_pairing_shared, 0,
     mode_and_pairing_shared_at},
    {"INV-NK-06", "NK-DRV-08 NK-RT-02", "an L3 netkit device has no MAC address", l3_has_no_address, 0,
     l3_has_no_address_at},
    {"INV-NK-07", "NK-PAIR-04 NK-RT-05", "pair ends need the larger requested headroom and the same tailroom",
     headroom_shared, 0, headroom_shared_at},
    {"INV-NK-08", "SN-TX-02 SN-Q-03 SN-Q-04", "linked NIC ports name each other", linked_ports_symmetry, 0,
     linked_ports_symmetry_at},
    {"INV-MP-01", "MP-04 MP-24", "at most 63 programs per attach point, none twice", attach_point_capacity, 0,
     attach_point_capacity_at},
    {"INV-MP-02", "MP-05 MP-46", "every slot holds a live program", slots_hold_live_programs, reads::programs,
     slots_hold_live_programs_at},
    {"INV-MP-03", "MP-61 NK-DEL-06 MP-64", "live links and attachments only on registered devices",
     links_on_registered_devices, reads::links | reads::device_registration | reads::device_bpf},
    {"INV-MP-04", "MP-55 MP-58 MP-59", "link-owned slots and their links point at each other",
     link_slots_point_back, reads::links | reads::device_bpf},
    {"INV-MP-05", "MP-46 MP-59", "program references = descriptors + opts slots + links",
     program_reference_counts, reads::descriptors | reads::device_bpf | reads::links | reads::programs},
    {"INV-MP-06", "MP-06 MP-59", "descriptors name live objects; link descriptor counts match",
     descriptors_name_live_objects, reads::descriptors | reads::programs | reads::links},
    {"INV-MP-07", "MP-05", "ids are below their allocators", ids_below_counters,
     reads::programs | reads::links | reads::namespaces | reads::scalars | reads::device_registration},
    {"INV-NS-01", "NK-ENV-03 NK-ENV-04", "netns maps agree with the devices", netns_maps_match_devices,
     detail::ns_reads, nullptr, netns_maps_match_devices},
    {"INV-NS-02", "NK-ENV-09 NK-DEL-06", "registered devices are listed in exactly one netns", devices_listed_once,
     detail::ns_reads},
    {"INV-NS-03", "NK-ENV-02 NL-RT-10", "every netns has its loopback device at ifindex 1", every_netns_has_loopback,
     detail::ns_reads},
    {"INV-QL-01", "QL-INV-01 QL-INV-02 QL-MODEL-03", "leases are symmetric with one physical end", lease_symmetry,
     0, lease_symmetry_at},
    {"INV-QL-02", "QL-INV-03 QL-CRT-19", "a lessee leases exactly queues 1 … real rx − 1 from one lessor",
     lessee_queues, 0, lessee_queues_at},
    {"INV-QL-03", "QL-INV-04", "leased provider and pool state lives on the physical queue",
     leased_state_on_physical_side, 0, leased_state_on_physical_side_at},
    {"INV-QL-04", "QL-INV-05 QL-INV-08 QL-MODEL-04", "lease references = leased queues; no lease on the unregistered",
     lease_references, 0, lease_references_at},
    {"INV-QL-05", "QL-INV-06", "one owner per physical queue", one_owner_per_queue, 0, one_owner_per_queue_at},
    {"INV-QL-06", "QL-INV-07", "channels never orphan a busy queue", channels_cover_busy_queues, 0,
     channels_cover_busy_queues_at},
    {"INV-QL-07", "QL-INV-09", "queue-get names only visible devices", queue_get_visibility,
     reads::namespaces | reads::device_registration | reads::device_up | reads::device_leases | reads::profile,
     nullptr, queue_get_visibility},
    {"INV-QL-08", "QL-MP-07 QL-MP-08 NK-DEL-07", "consumers, buffers and holds are consistent",
     consumers_consistent, reads::areas | reads::device_queues | reads::device_registration},
    {"INV-QL-09", "QL-XSK-04 QL-XSK-05", "sockets and pools agree", sockets_and_pools_agree,
     reads::sockets | reads::device_queues | reads::device_registration},
    {"INV-QL-10", "QL-LIFE-06", "no use of released or unmapped provider memory", no_memory_hazards,
     reads::hazards},
};

inline violations check_world(const model::world_state& s) {
    violations out;
    for (const auto& inv : catalogue) {
        auto found = inv.check(s);
        out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
    return out;
}

namespace detail {

// The devices an invariant about one device at a time must look at again
// after `changes`, in handle order: those added or changed, and those that
// name a removed device or one that changed in reads::neighbour. In a state
// that broke no invariant, peers and leases name each other back
// (INV-NK-01, INV-NK-02, INV-NK-08, INV-QL-01 with INV-QL-04), so the latter
// are the devices the changed ones named before the step (change_set::named).
inline std::vector<std::pair<core::device_handle, const device*>> devices_to_recheck(const world_state& s,
                                                                                    const change_set& changes) {
    std::vector<core::device_handle> handles;
    handles.reserve(changes.changed.size() + changes.added.size() + changes.named.size());
    handles.insert(handles.end(), changes.changed.begin(), changes.changed.end());
    handles.insert(handles.end(), changes.added.begin(), changes.added.end());
    handles.insert(handles.end(), changes.named.begin(), changes.named.end());
    std::sort(handles.begin(), handles.end());
    handles.erase(std::unique(handles.begin(), handles.end()), handles.end());
    std::vector<std::pair<core::device_handle, const device*>> out;
    out.reserve(handles.size());
    for (const auto h : handles) {
        if (const device* d = find_device(s, h)) {
            out.emplace_back(h, d);
        }
    }
    return out;
}

}  // namespace detail

// The catalogue after a step that made `changes`, from a state that broke
// no invariant. Runs only what the step could have broken: an invariant
// whose `reads` the step touched runs whole (or its `since` form). One
// about a device at a time runs at detail::devices_to_recheck. Under that
// precondition the result is check_world(s), violation for violation and in
// the same order (the change_set test of props/check/stateful.cpp, and every
// broken-world test of invariants.cpp and lease_invariants.cpp).
inline violations check_world(const model::world_state& s, const change_set& changes) {
    violations out;
    if (changes.empty()) {
        return out;
    }
    std::vector<std::pair<core::device_handle, const model::device*>> again;
    bool listed = false;
    for (const auto& inv : catalogue) {
        const bool touched = (changes.touched & inv.reads) != 0;
        if (touched) {
            auto found = inv.since != nullptr && (changes.touched & reads::profile) == 0 ? inv.since(s, changes)
                                                                                          : inv.check(s);
            out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
        }
        if (touched || inv.at == nullptr) {
            continue;
        }
        if ((changes.touched & reads::device_any) == 0) {
            continue;  // no device changed
        }
        if (!listed) {
            again = detail::devices_to_recheck(s, changes);
            listed = true;
        }
        for (const auto& [h, d] : again) {
            inv.at(s, h, *d, out);
        }
    }
    return out;
}

// check_world(after), given that `before` broke no invariant.
inline violations check_world_since(const model::world_state& before, const model::world_state& after) {
    return check_world(after, changes_between(before, after));
}

inline violations check_world(const model::world& w) { return check_world(w.state()); }

// -------------------------------------------------------- between steps

namespace detail {

inline bool is_bpf_mutation(const operation& op) {
    return std::holds_alternative<prog_attach>(op) || std::holds_alternative<prog_detach>(op) ||
           std::holds_alternative<link_create>(op) || std::holds_alternative<link_update>(op) ||
           std::holds_alternative<link_detach>(op) || std::holds_alternative<close_descriptor>(op);
}

inline std::uint64_t tx_total(const model::device& d) { return d.counters.tx_packets + d.counters.tx_dropped; }

// MP-53: a tcx point that emptied restarts at 1.
inline bool tcx_restarted(const model::mprog::attach_point& after) {
    return after.releases_when_empty() && after.count() == 0 && after.revision() == model::mprog::initial_revision;
}

}  // namespace detail

// INV-ST-01 (MP-20, NK-PAIR-01, MP-52): a refused or skipped operation, and
// any query, leaves the world exactly as it was, unless the kernel keeps
// part of the request (NK-CHG-06, `partly_applied`).
inline violations refusals_change_nothing(const change_set& changes, const operation& op, const outcome& result) {
    const bool must_be_unchanged = (result.kind != outcome_kind::applied && !result.partly_applied) ||
                                   std::holds_alternative<prog_query>(op);
    if (must_be_unchanged && !changes.empty()) {
        return {{"INV-ST-01", "'" + to_string(op) + "' returned " + to_string(result) + " but changed the world"}};
    }
    return {};
}

inline violations refusals_change_nothing(const model::world_state& before, const model::world_state& after,
                                          const operation& op, const outcome& result) {
    return refusals_change_nothing(changes_between(before, after), op, result);
}

// INV-ST-02 / INV-ST-03 (MP-03, MP-52, MP-53, MP-61): revisions never go
// back, except that a tcx point restarts at 1 when it empties; an attach
// point's slots change only together with its revision while its device
// stays registered; a BPF operation moves at most one attach point, by
// exactly one (or a tcx restart), and nothing else moves any.
inline violations revisions_only_grow(const model::world_state& before, const model::world_state& after,
                                      const operation& op, const change_set& changes) {
    violations out;
    for (const core::device_handle h : changes.removed) {
        out.push_back({"INV-ST-02", detail::describe(before, h) + " vanished from the device table"});
    }
    const bool bpf = detail::is_bpf_mutation(op);
    std::size_t moved = 0;
    for (const core::device_handle h : changes.changed) {  // devices on both sides whose content differs
        const model::device& old_device = before.devices.at(h);
        const model::device* new_device = &after.devices.at(h);
        const bool stays = old_device.visible() && new_device->visible();
        auto compare = [&](std::string_view kind, const model::mprog::attach_point& was,
                           const model::mprog::attach_point& now) {
            // Built only when a violation is reported: the checks run after every step.
            auto where = [&] { return std::string(kind) + " point of " + detail::describe(after, h); };
            const bool restarted = detail::tcx_restarted(now);
            if (now.revision() < was.revision() && !restarted) {
                out.push_back({"INV-ST-02", where() + " went back from revision " + std::to_string(was.revision()) +
                                                " to " + std::to_string(now.revision())});
            }
            if (!stays) {
                return;  // MP-61: unregistration empties without counting a change
            }
            const bool slots_changed = was.slots() != now.slots();
            const bool revision_changed = was.revision() != now.revision();
            if (slots_changed && !revision_changed) {
                out.push_back({"INV-ST-03", where() + " changed its slots without a revision change (MP-52)"});
            }
            if (!revision_changed) {
                return;
            }
            ++moved;
            if (!bpf) {
                out.push_back({"INV-ST-03", where() + " moved its revision on '" + to_string(op) + "'"});
            } else if (now.revision() != was.revision() + 1 && !restarted) {
                out.push_back({"INV-ST-03", where() + " moved from revision " + std::to_string(was.revision()) +
                                                " to " + std::to_string(now.revision()) + ", not by one"});
            }
        };
        if (old_device.netkit && new_device->netkit) {
            compare("netkit", old_device.netkit->bundle, new_device->netkit->bundle);
        }
        compare("tcx ingress", old_device.tcx_ingress, new_device->tcx_ingress);
    }
    if (moved > 1) {
        out.push_back({"INV-ST-03", "'" + to_string(op) + "' moved " + std::to_string(moved) + " attach points"});
    }
    return out;
}

inline violations revisions_only_grow(const model::world_state& before, const model::world_state& after,
                                      const operation& op) {
    return revisions_only_grow(before, after, op, changes_between(before, after));
}

// INV-ST-04 (NK-XMIT-10, NK-XMIT-13, NK-XMIT-17): one transmit moves one
// frame through the sender: tx_packets + tx_dropped grows by exactly 1
// (tx_packets and tx_bytes by the frame when sent, tx_dropped when
// dropped) and no other device transmits — unless a program redirected the
// frame out of a netkit device (NK-XMIT-12), which transmits it again, at
// most recursion_limit times more.
inline violations transmit_conserves_frames(const model::world_state& before, const model::world_state& after,
                                            const outcome& result, const change_set& changes) {
    if (!result.transmitted) {
        return {};
    }
    violations out;
    const transmit_record& t = *result.transmitted;
    const auto* was = detail::find_device(before, t.sender);
    const auto* now = detail::find_device(after, t.sender);
    if (was == nullptr || now == nullptr) {
        return {{"INV-ST-04", "transmit on unknown " + detail::describe(before, t.sender)}};
    }
    // Every device's tx growth: unchanged devices have none, removed ones
    // are not counted.
    std::int64_t total = 0;
    for (const core::device_handle h : changes.changed) {
        total += static_cast<std::int64_t>(detail::tx_total(after.devices.at(h))) -
                 static_cast<std::int64_t>(detail::tx_total(before.devices.at(h)));
    }
    for (const core::device_handle h : changes.added) {
        total += static_cast<std::int64_t>(detail::tx_total(after.devices.at(h)));
    }
    const std::int64_t sender = static_cast<std::int64_t>(detail::tx_total(*now)) -
                                static_cast<std::int64_t>(detail::tx_total(*was));
    const auto& r = t.result;
    const bool egress_redirect = r.redirected_to && r.redirect && r.redirect->mode != model::redirect_mode::peer;
    const auto* target = egress_redirect ? detail::find_device(after, *r.redirected_to) : nullptr;
    const bool again = target != nullptr && target->is_netkit();
    // Built only when a violation is reported: the checks run after every step.
    auto what = [&] { return detail::describe(after, t.sender); };
    if (again) {
        const std::int64_t limit = model::transmit_detail::recursion_limit + 2;
        if (sender < 1 || total < 2 || total > limit) {
            out.push_back({"INV-ST-04", "a redirected transmit on " + what() + " moved the sender's tx by " +
                                            std::to_string(sender) + " and all tx by " + std::to_string(total)});
        }
        return out;
    }
    const std::int64_t side = egress_redirect && target != nullptr ? 1 : 0;  // the non-netkit target's tx
    if (sender != 1 || total != 1 + side) {
        out.push_back({"INV-ST-04", "a transmit on " + what() + " moved the sender's tx_packets + tx_dropped by " +
                                        std::to_string(sender) + " and all devices' by " + std::to_string(total)});
    }
    const bool sent = r.status == model::transmit_status::sent;
    const std::uint64_t packets = now->counters.tx_packets - was->counters.tx_packets;
    const std::uint64_t bytes = now->counters.tx_bytes - was->counters.tx_bytes;
    const std::uint64_t dropped = now->counters.tx_dropped - was->counters.tx_dropped;
    if (sent ? (packets != 1 || bytes != t.length || dropped != 0) : (packets != 0 || bytes != 0 || dropped != 1)) {
        out.push_back({"INV-ST-04", std::string(sent ? "a sent" : "a dropped") + " frame on " + what() +
                                        " moved tx_packets by " + std::to_string(packets) + ", tx_bytes by " +
                                        std::to_string(bytes) + ", tx_dropped by " + std::to_string(dropped)});
    }
    if (r.delivered) {
        const auto* rx_was = detail::find_device(before, r.delivered->device);
        const auto* rx_now = detail::find_device(after, r.delivered->device);
        if (rx_was == nullptr || rx_now == nullptr ||
            rx_now->counters.rx_packets < rx_was->counters.rx_packets + 1) {
            out.push_back({"INV-ST-04", "a frame delivered to " + detail::describe(after, r.delivered->device) +
                                            " was not counted in its rx_packets"});
        }
    }
    return out;
}

inline violations transmit_conserves_frames(const model::world_state& before, const model::world_state& after,
                                            const outcome& result) {
    if (!result.transmitted) {
        return {};
    }
    return transmit_conserves_frames(before, after, result, changes_between(before, after));
}

// INV-ST-05 (NK-STATE-02, NK-XMIT-17): counters never decrease, and only
// a transmit changes them.
inline violations counters_never_decrease(const model::world_state& before, const model::world_state& after,
                                          const operation& op, const change_set& changes) {
    violations out;
    const bool transmit = std::holds_alternative<transmit_frame>(op) || std::holds_alternative<receive>(op);
    // Gone devices: INV-ST-02 reports them; unchanged ones kept their counters.
    for (const core::device_handle h : changes.changed) {
        const auto& a = before.devices.at(h).counters;
        const auto& b = after.devices.at(h).counters;
        if (b.tx_packets < a.tx_packets || b.tx_bytes < a.tx_bytes || b.rx_packets < a.rx_packets ||
            b.rx_bytes < a.rx_bytes || b.tx_dropped < a.tx_dropped || b.rx_dropped < a.rx_dropped) {
            out.push_back({"INV-ST-05", "a counter of " + detail::describe(after, h) + " went down on '" +
                                            to_string(op) + "'"});
        } else if (!transmit && !(a == b)) {
            out.push_back({"INV-ST-05", "the counters of " + detail::describe(after, h) + " moved on '" +
                                            to_string(op) + "'"});
        }
    }
    return out;
}

inline violations counters_never_decrease(const model::world_state& before, const model::world_state& after,
                                          const operation& op) {
    return counters_never_decrease(before, after, op, changes_between(before, after));
}

// INV-ST-06 (MP-05): allocators only move forward and a new object takes an
// id no earlier world has seen.
inline violations ids_never_reused(const model::world_state& before, const model::world_state& after,
                                   const change_set& changes) {
    violations out;
    if (after.next_program < before.next_program || after.next_link < before.next_link ||
        after.next_device < before.next_device || after.next_netns < before.next_netns) {
        out.push_back({"INV-ST-06", "an id allocator went back"});
    }
    // New ids: the keys of `after` that `before` lacks. A table shared with
    // `before` has none.
    auto reused = [&out](const auto& was, const auto& now, std::uint32_t next, const char* what) {
        if (now.shares_with(was)) {
            return;
        }
        for (const auto& entry : now) {
            const auto id = entry.first.value();
            if (!was.contains(entry.first) && id < next) {
                out.push_back({"INV-ST-06", std::string(what) + std::to_string(id) + " was handed out again"});
            }
        }
    };
    reused(before.programs, after.programs, before.next_program, "program id ");
    reused(before.links, after.links, before.next_link, "link id ");
    for (const core::device_handle h : changes.added) {  // the devices `before` lacks
        if (h.value() < before.next_device) {
            out.push_back({"INV-ST-06", "device handle " + std::to_string(h.value()) + " was handed out again"});
        }
    }
    return out;
}

inline violations ids_never_reused(const model::world_state& before, const model::world_state& after) {
    return ids_never_reused(before, after, changes_between(before, after));
}

// The step invariants, given what the step changed (changes_between).
inline violations check_step(const model::world_state& before, const model::world_state& after,
                             const operation& op, const outcome& result, const change_set& changes) {
    violations out = refusals_change_nothing(changes, op, result);
    auto append = [&out](violations found) {
        out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    };
    append(revisions_only_grow(before, after, op, changes));
    append(transmit_conserves_frames(before, after, result, changes));
    append(counters_never_decrease(before, after, op, changes));
    append(ids_never_reused(before, after, changes));
    return out;
}

inline violations check_step(const model::world_state& before, const model::world_state& after,
                             const operation& op, const outcome& result) {
    return check_step(before, after, op, result, changes_between(before, after));
}

// ------------------------------------------------------------- runner

struct step_record {
    operation op;
    outcome result;

    friend bool operator==(const step_record&, const step_record&) = default;
};

// What run_checked saw: the steps it ran (the last one is the failing one
// when `found` is not empty) and the violations after it.
struct run_report {
    std::vector<step_record> steps;
    violations found;

    bool ok() const noexcept { return found.empty(); }
};

inline std::string to_string(const run_report& r) {
    std::string out;
    if (r.ok()) {
        out = "no violation after " + std::to_string(r.steps.size()) + " step(s)\n";
    } else if (r.steps.empty()) {
        out = "violation in the initial world\n";
    } else {
        out = "violation after step " + std::to_string(r.steps.size() - 1) + "\n";
    }
    out += to_string(r.found);
    out += "sequence:\n";
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        out += "  " + std::to_string(i) + ": " + to_string(r.steps[i].op) + "  -> " + to_string(r.steps[i].result) +
               "\n";
    }
    return out;
}

// Violations a caller lets pass: known model deviations that were reported
// and not yet fixed, so that a test can look past them. nullptr: none.
using tolerance = bool (*)(const violation&);

namespace detail {

// Runs `ops` on `w`, appending to `report`, whose state so far broke
// nothing (`clean`) or only what `tolerated` excuses: run_checked's loop.
inline void continue_checked(model::world& w, run_report& report, bool clean, std::span<const operation> ops,
                             tolerance tolerated) {
    auto keep_untolerated = [tolerated](violations& found) {
        if (tolerated != nullptr) {
            std::erase_if(found, tolerated);
        }
    };
    // One buffer for the state before each step and one for the changes:
    // assigning into them reuses their storage.
    model::world_state before;
    change_set changes;
    report.steps.reserve(report.steps.size() + ops.size());
    for (const auto& op : ops) {
        before = w.state();
        const outcome result = apply(w, op);
        report.steps.push_back({op, result});
        changes_between(before, w.state(), changes);
        report.found = check_step(before, w.state(), op, result, changes);
        // The state invariants are a function of the state: a step that
        // left it as it was cannot break them.
        if (!changes.empty()) {
            auto state = clean ? check_world(w.state(), changes) : check_world(w);
            clean = state.empty();
            report.found.insert(report.found.end(), std::make_move_iterator(state.begin()),
                                std::make_move_iterator(state.end()));
        }
        keep_untolerated(report.found);
        if (!report.found.empty()) {
            return;
        }
    }
}

}  // namespace detail

// Applies `ops` in order, checking the catalogue after every step and the
// step invariants between steps; stops at the first violation that
// `tolerated` does not excuse. An initial world that already breaks the
// catalogue is reported with no steps.
//
// After a step from a state that broke no invariant, only what the step
// could have broken is checked again (check_world with a change_set); after
// a step from a state with tolerated violations, the whole catalogue.
inline run_report run_checked(model::world& w, std::span<const operation> ops, tolerance tolerated = nullptr) {
    run_report report;
    report.found = check_world(w);
    const bool clean = report.found.empty();  // breaks nothing, tolerated or not
    if (tolerated != nullptr) {
        std::erase_if(report.found, tolerated);
    }
    if (report.found.empty()) {
        detail::continue_checked(w, report, clean, ops, tolerated);
    }
    return report;
}

// A world after a fixed setup, checked once, for runs that all begin with
// the same operations (a property whose every case starts from the same
// prefix): each run starts from a copy, which shares every table.
struct checked_start {
    model::world world;
    run_report report;  // the setup's steps, and the first violation if any
    bool clean = true;  // the world breaks no invariant, tolerated or not
    tolerance tolerated = nullptr;
};

// Runs `setup` on `w` under run_checked's rules.
inline checked_start check_start(model::world w, std::span<const operation> setup, tolerance tolerated = nullptr) {
    checked_start out{std::move(w), {}, true, tolerated};
    out.report = run_checked(out.world, setup, tolerated);
    out.clean = out.report.ok() && check_world(out.world).empty();
    return out;
}

// run_checked of the setup followed by `ops`, without running the setup
// again: `w` becomes a copy of the start's world, then runs `ops`. The
// report is the one run_checked would give for the whole sequence (its
// steps begin with the setup's).
inline run_report run_checked(model::world& w, const checked_start& start, std::span<const operation> ops) {
    w = start.world;
    run_report report = start.report;
    if (report.ok()) {
        detail::continue_checked(w, report, start.clean, ops, start.tolerated);
    }
    return report;
}

}  // namespace netkit::check
