// The explorer over the model's world (check/explorer.hpp): states are
// model::world values, transitions the operations of check/operations.hpp
// drawn from a finite alphabet (`world_scope`), plus any user control-plane
// routines (check/user_check.hpp). Every new state runs the invariant
// catalogue (INV-…), every transition the step invariants (INV-ST-…) and,
// for a routine, the routine's own verdict.
//
// Canonical keys and symmetry reduction. A state's key is a 128-bit hash of
// its canonical form: the world with
//   * device handles, netns handles, program ids, link ids and consumer
//     (zero-copy area / AF_XDP socket) ids renamed to their rank among the
//     live ones, netns names derived from that rank, and ifindexes renamed
//     to their rank inside their netns;
//   * randomly assigned MAC addresses renamed to their order of first
//     appearance (a random address only ever equals itself);
//   * freed devices nothing refers to (the model keeps them as tombstones)
//     left out;
//   * the id allocators (next_device, next_program, …, a netns's
//     last_ifindex) and the random generator's state left out (the model
//     draws random numbers only for MAC addresses, which are renamed; a
//     collision of two random addresses is assumed away, as the kernel's
//     eth_random_addr does).
// Two worlds that differ only by such an order-preserving renaming behave
// the same under an alphabet that names objects by position (every
// operation of check/operations.hpp resolves "the k-th device in ifindex
// order", "the n-th netns" …), so one representative is explored. The
// exception is an operation that carries an absolute ifindex (a program's
// REDIRECT target): `world_scope::validate` refuses symmetry reduction for
// an alphabet with one. Descriptors keep their numbers (the kernel hands
// out the lowest free one, which is already canonical). The reduction is
// measured by exploring the same scope with `symmetry = false` (keys then
// cover every field, as model::hash_value does).
//
// 128 bits of hash stand for the canonical form (hash compaction, as SPIN's
// -DHC): two distinct canonical forms share a key with probability about
// n²/2¹²⁹ for n states — under 10⁻²⁵ for the bounds used here.
#pragma once

#include <netkit/check/explorer.hpp>
#include <netkit/check/invariants.hpp>
#include <netkit/check/operations.hpp>
#include <netkit/model/world.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace netkit::check {

// ------------------------------------------------------------------ steps

// A call of the `routine`-th user routine with `argument` (user_check.hpp).
struct routine_call {
    std::uint16_t routine = 0;
    std::uint8_t argument = 0;

    friend bool operator==(const routine_call&, const routine_call&) = default;
};

// One step of a trace: an operation of the alphabet or a routine call.
using step = std::variant<operation, routine_call>;

// What a routine reports about its own run: its postconditions, checked by
// the routine itself against the world it leaves.
struct routine_verdict {
    bool ok = true;
    std::string message;

    static routine_verdict pass() { return {}; }
    static routine_verdict fail(std::string why) { return {false, std::move(why)}; }
};

// A user's control-plane routine: a function over the world's operations.
struct routine {
    std::string name;
    std::function<routine_verdict(model::world&, std::uint8_t argument)> run;
    std::uint8_t arguments = 1;  // called with 0 … arguments − 1
};

// ------------------------------------------------------------------ scope

struct world_scope {
    core::profile_id profile = core::profile_id::newest;
    std::vector<operation> setup;     // applied first; each must apply (else `validate` says which)
    std::vector<operation> alphabet;  // the environment's operations
    std::vector<routine> routines;
    bool symmetry = true;

    // Why the scope cannot be explored as given, if it cannot.
    std::optional<std::string> validate() const {
        if (symmetry) {
            for (const auto& op : alphabet) {
                if (const auto* load = std::get_if<load_program>(&op); load != nullptr && load->redirect) {
                    return "symmetry reduction renames ifindexes, but `" + to_string(op) +
                           "` names an absolute ifindex: set symmetry = false";
                }
            }
        }
        model::world w(core::traits_of(profile));
        for (const auto& op : setup) {
            const auto result = apply(w, op);
            if (result.kind != outcome_kind::applied) {
                return "setup step `" + to_string(op) + "` did not apply: " + to_string(result);
            }
        }
        return std::nullopt;
    }
};

namespace detail {

// Calls f(name, field) for the `k`-th field of `t` (in `fields` order).
template <class T, class F>
void with_field(T& t, std::size_t k, F&& f) {
    std::size_t i = 0;
    T::fields(t, [&](std::string_view name, auto& field) {
        if (i++ == k) {
            f(name, field);
        }
    });
}

template <class T>
std::size_t field_count() {
    T probe{};
    std::size_t n = 0;
    T::fields(probe, [&n](std::string_view, auto&) { ++n; });
    return n;
}

template <class F, class Bound>
std::vector<F> choices_of(std::string_view name, Bound& bound);

// Every value of a struct with `fields`: the product of its fields' choices.
template <class T, class Bound>
std::vector<T> product_of(Bound& bound) {
    std::vector<T> values{T{}};
    for (std::size_t k = 0; k < field_count<T>(); ++k) {
        std::vector<T> grown;
        for (const T& t : values) {
            T probe = t;
            with_field(probe, k, [&](std::string_view name, auto& field) {
                using F = std::decay_t<decltype(field)>;
                for (const F& c : choices_of<F>(name, bound)) {
                    T copy = t;
                    with_field(copy, k, [&c](std::string_view, auto& target) {
                        if constexpr (std::is_same_v<std::decay_t<decltype(target)>, F>) {
                            target = c;
                        }
                    });
                    grown.push_back(std::move(copy));
                }
            });
        }
        values = std::move(grown);
    }
    return values;
}

template <class F, class Bound>
std::vector<F> choices_of(std::string_view name, Bound& bound) {
    std::vector<F> out;
    if constexpr (std::is_same_v<F, bool>) {
        out = bound(name) == 0 ? std::vector<F>{false} : std::vector<F>{false, true};
    } else if constexpr (std::is_same_v<F, std::uint8_t>) {
        for (int v = 0; v < bound(name); ++v) {
            out.push_back(static_cast<std::uint8_t>(v));
        }
    } else if constexpr (core::reflected_enum<F>) {
        for (std::size_t v = 0; v < core::enum_count<F>; ++v) {
            out.push_back(core::enum_from_index<F>(v));
        }
    } else if constexpr (is_optional<F>::value) {
        out.push_back(std::nullopt);
        if (bound(name) > 0) {
            for (auto& v : choices_of<typename F::value_type>(name, bound)) {
                out.push_back(std::move(v));
            }
        }
    } else {
        out = product_of<F>(bound);
    }
    return out;
}

}  // namespace detail

// Every value of T with its byte fields in [0, bound(field name)), its enums
// over all their values, bools both ways (only false when the bound is 0), optionals absent and then (unless
// bound(name) is 0) each value, nested structs field by field: the
// cartesian product, for building alphabets. A bound of 1 pins a byte at 0.
template <class T, class Bound>
std::vector<operation> enumerate_operations(Bound bound) {
    const auto values = detail::product_of<T>(bound);
    return std::vector<operation>(values.begin(), values.end());
}

// The lease scope: the world of `lease_prefix()` (a NIC with 3 queues, a
// pair whose peer leases queue 1 from netns 1, a single device leasing
// queue 2), and what consumers, the lessee's owner and the administrator do
// to it: io_uring zero-copy receivers, devmem bindings, AF_XDP sockets in
// every mode, their exits, queue-create, channel changes, and deleting
// devices and namespaces — on every device and queue the world has.
inline world_scope lease_scope(core::profile_id profile = core::profile_id::newest) {
    world_scope s;
    s.profile = profile;
    s.setup = lease_prefix();
    auto bound = [](std::string_view field) -> int {
        if (field == "netns") {
            return 2;
        }
        if (field == "index") {
            return 4;
        }
        if (field == "queue") {
            return 3;
        }
        if (field == "consumer" || field == "socket") {
            return 2;
        }
        if (field == "combined") {
            return 4;
        }
        return field == "ioctl" ? 0 : 1;
    };
    auto add = [&s](std::vector<operation> ops) { s.alphabet.insert(s.alphabet.end(), ops.begin(), ops.end()); };
    add(enumerate_operations<zcrx_open>(bound));
    add(enumerate_operations<bind_rx>([&](std::string_view f) { return f == "second_queue" ? 0 : bound(f); }));
    add(enumerate_operations<consumer_close>(bound));
    add(enumerate_operations<xsk_bind>(bound));
    add(enumerate_operations<xsk_close>(bound));
    add(enumerate_operations<delete_device>(bound));
    add(enumerate_operations<delete_netns>(bound));
    add(enumerate_operations<set_channels>(bound));
    // queue-create from every lessee position against the NIC, each queue,
    // with and without the netns id.
    for (const auto& lessee : detail::product_of<device_ref>(bound)) {
        for (std::uint8_t q = 0; q < 4; ++q) {
            for (const bool netns_id : {false, true}) {
                s.alphabet.push_back(queue_create{lessee, device_ref{0, 0}, q, false, netns_id});
            }
        }
    }
    return s;
}

// The lifecycle scope: a started NIC (4 queues, header-data split on) and
// what an orchestrator does around it — namespaces come and go, netkit
// pairs and single devices are created and deleted in them, they lease NIC
// queues and a receiver opens on the leased queue. Creation order and
// reused names are what symmetry reduction folds here.
inline world_scope lifecycle_scope(core::profile_id profile = core::profile_id::newest) {
    world_scope s;
    s.profile = profile;
    s.setup = started_hwnic();
    s.alphabet.push_back(create_netns{});
    s.alphabet.push_back(delete_netns{1});
    for (const bool single : {false, true}) {
        create_lessee l;
        l.single = single;
        l.rx_queues = 1;
        l.up = true;
        s.alphabet.push_back(l);
        if (!single) {
            l.peer_netns = 1;
            s.alphabet.push_back(l);
        }
    }
    for (std::uint8_t ns = 0; ns < 2; ++ns) {
        for (std::uint8_t index = 2; index < 4; ++index) {
            s.alphabet.push_back(delete_device{device_ref{ns, index}});
            s.alphabet.push_back(queue_create{device_ref{ns, index}, device_ref{0, 0}, 1, false, ns != 0});
            s.alphabet.push_back(zcrx_open{device_ref{ns, index}, 1, false});
        }
    }
    s.alphabet.push_back(consumer_close{0});
    return s;
}

// ------------------------------------------------------------- canonical key

using world_key = std::array<std::uint64_t, 2>;

namespace detail {

// Two independent 64-bit streams (FNV-1a and a multiply-rotate), one 128-bit key.
class key_hasher {
  public:
    void add(std::uint64_t v) {
        a_ = (a_ ^ v) * 0x100000001b3ULL;
        b_ = rotate((b_ + v) * 0x9e3779b97f4a7c15ULL, 29) ^ 0xd6e8feb86659fd93ULL;
    }
    void add_signed(std::int64_t v) { add(static_cast<std::uint64_t>(v)); }
    template <class E>
        requires std::is_enum_v<E>
    void add_enum(E e) {
        add(static_cast<std::uint64_t>(e));
    }
    void add_bytes(const std::uint8_t* p, std::size_t n) {
        add(n);
        std::uint64_t word = 0;
        for (std::size_t i = 0; i < n; ++i) {
            word = (word << 8) | p[i];
            if (i % 8 == 7) {
                add(word);
                word = 0;
            }
        }
        add(word);
    }
    void add_text(std::string_view text) {
        add_bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    }
    world_key value() const {
        auto fin = [](std::uint64_t z) {
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            return z ^ (z >> 31);
        };
        world_key k{fin(a_), fin(b_ ^ 0x5bd1e995ULL)};
        if (k == world_key{0, 0}) {
            k[1] = 1;  // {0, 0} is the explorer's empty key
        }
        return k;
    }

  private:
    static std::uint64_t rotate(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
    std::uint64_t a_ = 0xcbf29ce484222325ULL;
    std::uint64_t b_ = 0x243f6a8885a308d3ULL;
};

// Rank renaming of one id space: rank of a live id, or a marker for a
// dangling one (an id no live object has keeps its value, flagged).
class renaming {
  public:
    void enroll(std::uint64_t id) { ranks_.emplace(id, 0); }
    bool contains(std::uint64_t id) const { return ranks_.contains(id); }
    void freeze() {
        std::uint64_t r = 0;
        for (auto& [id, rank] : ranks_) {
            rank = r++;
        }
    }
    std::uint64_t operator()(std::uint64_t id) const {
        const auto it = ranks_.find(id);
        return it == ranks_.end() ? (0x8000000000000000ULL | id) : it->second;
    }

  private:
    std::map<std::uint64_t, std::uint64_t> ranks_;
};

struct renamings {
    bool on = true;
    renaming devices, namespaces, programs, links, consumers;
    std::map<std::pair<std::uint64_t, std::int64_t>, std::uint64_t> ifindexes;  // (netns, ifindex) → rank
    std::map<model::mac_address, std::uint64_t> random_macs;

    std::uint64_t device(core::device_handle h) const { return on ? devices(h.value()) : h.value(); }
    // Whether the canonical form lists device `h` (tombstones are left out).
    bool lists(core::device_handle h) const { return !on || devices.contains(h.value()); }
    std::uint64_t netns(core::netns_handle h) const { return on ? namespaces(h.value()) : h.value(); }
    std::uint64_t program(core::program_id p) const { return on ? programs(p.value()) : p.value(); }
    std::uint64_t link(core::link_id l) const { return on ? links(l.value()) : l.value(); }
    std::uint64_t consumer(std::uint32_t c) const { return on ? consumers(c) : c; }
    std::int64_t ifindex(core::netns_handle ns, std::int32_t ifindex) const {
        if (!on) {
            return ifindex;
        }
        const auto it = ifindexes.find({ns.value(), ifindex});
        return it == ifindexes.end() ? -1 - static_cast<std::int64_t>(ifindex)
                                     : static_cast<std::int64_t>(it->second);
    }
};

inline renamings make_renamings(const model::world_state& s, bool on) {
    renamings r;
    r.on = on;
    if (!on) {
        return r;
    }
    // Freed devices nothing refers to any more are gone for every purpose
    // (the model keeps them only as tombstones): they are left out.
    std::set<std::uint64_t> referenced;
    for (const auto& [id, a] : s.areas) {
        referenced.insert(a.device.value());
    }
    for (const auto& [id, x] : s.sockets) {
        if (x.bound) {
            referenced.insert(x.bound->device.value());
        }
    }
    for (const auto& hz : s.hazards) {
        referenced.insert(hz.device.value());
    }
    for (const auto& [id, l] : s.links) {
        if (l.device) {
            referenced.insert(l.device->value());
        }
    }
    for (const auto& [h, d] : s.devices) {
        if (d.state != model::registration::freed) {
            if (d.netkit && d.netkit->peer) {
                referenced.insert(d.netkit->peer->value());
            }
            if (d.veth_peer) {
                referenced.insert(d.veth_peer->value());
            }
            for (const auto& q : d.rxq) {
                if (q.lease) {
                    referenced.insert(q.lease->device.value());
                }
            }
        }
    }
    for (const auto& [h, d] : s.devices) {
        if (d.state != model::registration::freed || referenced.contains(h.value())) {
            r.devices.enroll(h.value());
        }
    }
    for (const auto& [h, n] : s.namespaces) {
        r.namespaces.enroll(h.value());
        std::uint64_t rank = 0;
        for (const auto& [ifindex, dev] : n.by_index) {
            r.ifindexes.emplace(std::pair<std::uint64_t, std::int64_t>{h.value(), ifindex}, rank++);
        }
    }
    for (const auto& [id, p] : s.programs) {
        r.programs.enroll(id.value());
    }
    for (const auto& [id, l] : s.links) {
        r.links.enroll(id.value());
    }
    for (const auto& [id, a] : s.areas) {
        r.consumers.enroll(id);
    }
    for (const auto& [id, x] : s.sockets) {
        r.consumers.enroll(id);
    }
    r.devices.freeze();
    r.namespaces.freeze();
    r.programs.freeze();
    r.links.freeze();
    r.consumers.freeze();
    for (const auto& [h, d] : s.devices) {
        if (d.mac_type == model::mac_assignment::random && r.devices.contains(h.value())) {
            r.random_macs.emplace(d.mac, r.random_macs.size());
        }
    }
    return r;
}

inline void add_frame(key_hasher& k, const model::frame& f) {
    k.add_bytes(f.bytes.data(), f.bytes.size());
    k.add(f.mark);
    k.add(f.priority);
    k.add_enum(f.type);
    k.add(f.protocol);
    k.add(f.timestamp);
    k.add(f.timestamp_is_delivery_time);
    k.add_signed(f.input_ifindex);
}

inline void add_point(key_hasher& k, const renamings& r, const model::mprog::attach_point& p) {
    k.add(p.revision());
    k.add_enum(p.lifetime());
    k.add(p.slots().size());
    for (const auto& slot : p.slots()) {
        k.add(r.program(slot.program));
        k.add(slot.link == model::mprog::no_link ? ~0ULL : r.link(slot.link));
    }
}

inline void add_queue_ref(key_hasher& k, const renamings& r, const std::optional<model::queue_ref>& q) {
    k.add(q.has_value());
    if (q) {
        k.add(r.device(q->device));
        k.add(q->index);
    }
}

inline void add_device(key_hasher& k, const renamings& r, const model::device& d) {
    k.add(r.device(d.handle));
    k.add_enum(d.kind);
    k.add_text(d.name);
    k.add_signed(r.ifindex(d.netns, d.ifindex));
    k.add(r.netns(d.netns));
    if (r.on && d.mac_type == model::mac_assignment::random) {
        const auto it = r.random_macs.find(d.mac);
        k.add(0x7261ULL);
        k.add(it == r.random_macs.end() ? ~0ULL : it->second);
    } else {
        k.add_bytes(d.mac.data(), d.mac.size());
    }
    k.add_enum(d.mac_type);
    k.add(d.up);
    k.add(d.no_arp);
    k.add(d.carrier);
    k.add(d.mtu);
    k.add(d.min_mtu);
    k.add(d.max_mtu);
    k.add(d.needed_headroom);
    k.add(d.needed_tailroom);
    k.add(d.tx_queue_length);
    k.add(d.tx_queues);
    k.add(d.rx_queues);
    k.add(d.real_tx_queues);
    k.add(d.real_rx_queues);
    k.add(d.tso_max_size);
    k.add(d.counters.tx_packets);
    k.add(d.counters.tx_bytes);
    k.add(d.counters.rx_packets);
    k.add(d.counters.rx_bytes);
    k.add(d.counters.tx_dropped);
    k.add(d.counters.rx_dropped);
    k.add_enum(d.xdp_features);
    k.add_enum(d.state);
    k.add(d.has_parent);
    k.add(d.holders);
    k.add(d.present);
    k.add(d.lease_refs);
    k.add(d.veth_peer.has_value());
    if (d.veth_peer) {
        k.add(r.device(*d.veth_peer));
    }
    add_point(k, r, d.tcx_ingress);
    k.add(d.netkit.has_value());
    if (d.netkit) {
        const auto& n = *d.netkit;
        k.add(n.peer.has_value());
        if (n.peer) {
            k.add(r.device(*n.peer));
        }
        k.add_enum(n.policy);
        k.add_enum(n.scrub);
        k.add_enum(n.mode);
        k.add_enum(n.pairing);
        k.add(n.primary);
        k.add_signed(n.headroom);
        add_point(k, r, n.bundle);
    }
    k.add(d.rxq.size());
    for (const auto& q : d.rxq) {
        add_queue_ref(k, r, q.lease);
        k.add(q.provider.has_value());
        if (q.provider) {
            k.add_enum(q.provider->kind);
            k.add(r.consumer(q.provider->consumer));
        }
        k.add(q.xsk_pool.has_value());
        if (q.xsk_pool) {
            k.add(r.consumer(*q.xsk_pool));
        }
        k.add(q.zero_copy);
        k.add(q.ring.size());
        for (const auto& f : q.ring) {
            add_frame(k, f);
        }
        k.add(q.napi_generation);
        k.add(q.page_pool_generation);
    }
    k.add(d.txq.size());
    for (const auto& q : d.txq) {
        k.add(q.xsk_pool.has_value());
        if (q.xsk_pool) {
            k.add(r.consumer(*q.xsk_pool));
        }
    }
    k.add(d.nic.has_value());
    if (d.nic) {
        const auto& n = *d.nic;
        k.add(n.bus_id);
        k.add(n.port);
        k.add(n.config.ring_size);
        k.add(n.config.mp_capable);
        k.add(n.config.dma_capable);
        k.add(n.config.xsk_capable);
        k.add(n.config.rx_page_size_supported);
        k.add_enum(n.data_split);
        k.add(n.hds_thresh);
        k.add(n.rx_ring_size);
        k.add(n.tx_ring_size);
        k.add(n.xdp.has_value());
        if (n.xdp) {
            k.add_enum(n.xdp->verdict);
            k.add(n.xdp->multi_buffer);
        }
        k.add_bytes(n.key.data(), n.key.size());
        k.add_enum(n.fields.tcp4);
        k.add_enum(n.fields.udp4);
        k.add_enum(n.fields.other4);
        k.add_enum(n.fields.tcp6);
        k.add_enum(n.fields.udp6);
        k.add_enum(n.fields.other6);
        k.add(n.indirection.size());
        for (const auto e : n.indirection) {
            k.add(e);
        }
        k.add(n.indirection_user_configured);
        k.add(n.restart_mode);
        k.add(n.armed_faults.size());
        for (const auto& [point, fault] : n.armed_faults) {
            k.add_enum(point);
            k.add_enum(fault.error);
            k.add(fault.remaining);
        }
        k.add(n.lost.size());
        for (const auto& l : n.lost) {
            k.add(l.index);
            k.add_enum(l.error);
        }
        k.add(n.linked_peer.has_value());
        if (n.linked_peer) {
            k.add(r.device(*n.linked_peer));
        }
        k.add(n.wire_log.size());
        for (const auto& f : n.wire_log) {
            add_frame(k, f);
        }
        k.add(n.napi_base);
    }
}

}  // namespace detail

// The key of `s`: canonical (renamed) when `symmetry`, else over every field.
inline world_key canonical_key(const model::world_state& s, bool symmetry = true) {
    const detail::renamings r = detail::make_renamings(s, symmetry);
    detail::key_hasher k;
    k.add_enum(s.profile.id);
    k.add(s.namespaces.size());
    for (const auto& [h, n] : s.namespaces) {
        k.add(r.netns(h));
        if (symmetry) {
            k.add(h == model::state::initial_netns);  // the initial netns keeps its name
        } else {
            k.add_text(n.name);
            k.add_signed(n.last_ifindex);
        }
        k.add(n.ids.size());
        for (const auto& [other, id] : n.ids) {
            k.add(r.netns(other));
            k.add_signed(id);
        }
    }
    for (const auto& [h, d] : s.devices) {
        if (r.lists(h)) {
            detail::add_device(k, r, d);
        }
    }
    k.add(0xde5ULL);
    k.add(s.programs.size());
    for (const auto& [id, p] : s.programs) {
        k.add(r.program(id));
        k.add_enum(p.type);
        k.add(p.offloaded);
        k.add_text(p.name);
        k.add(p.references);
        k.add(p.observed.runs);
        k.add_signed(p.behaviour.verdict);
        k.add(reinterpret_cast<std::uintptr_t>(p.function.get()));
    }
    k.add(s.links.size());
    for (const auto& [id, l] : s.links) {
        k.add(r.link(id));
        k.add_enum(l.type);
        k.add_enum(l.attach_type);
        k.add(l.device.has_value());
        if (l.device) {
            k.add(r.device(*l.device));
        }
        k.add(r.program(l.program));
        k.add(l.descriptors);
    }
    k.add(s.descriptors.size());
    for (const auto& [fd, d] : s.descriptors) {
        k.add_signed(fd);
        k.add_enum(d.kind);
        switch (d.kind) {
            case model::descriptor_kind::program: k.add(r.program(core::program_id{d.object})); break;
            case model::descriptor_kind::link: k.add(r.link(core::link_id{d.object})); break;
            case model::descriptor_kind::netns: k.add(r.netns(core::netns_handle{d.object})); break;
            case model::descriptor_kind::file: k.add(d.object); break;
        }
    }
    k.add(s.processes.size());
    for (const auto& [pid, ns] : s.processes) {
        k.add_signed(pid);
        k.add(r.netns(ns));
    }
    k.add(s.areas.size());
    for (const auto& [id, a] : s.areas) {
        k.add(r.consumer(id));
        k.add_enum(a.kind);
        k.add(r.device(a.device));
        k.add(a.queues.size());
        for (const auto q : a.queues) {
            k.add(q);
        }
        k.add(a.installed);
        k.add(a.mapped);
        k.add(a.holds_device);
        k.add(a.buffers.size());
        for (const auto& b : a.buffers) {
            k.add_enum(b.owner);
            k.add(b.length);
        }
    }
    k.add(s.sockets.size());
    for (const auto& [id, x] : s.sockets) {
        k.add(r.consumer(id));
        detail::add_queue_ref(k, r, x.bound);
        k.add(x.zero_copy);
        k.add(x.frame_size);
        k.add(x.multi_buffer);
        k.add(x.rx_ring.size());
        for (const auto& f : x.rx_ring) {
            detail::add_frame(k, f);
        }
        k.add(x.rx_dropped);
    }
    k.add(s.hazards.size());
    for (const auto& hz : s.hazards) {
        k.add_enum(hz.kind);
        k.add(r.device(hz.device));
        k.add(hz.queue);
        k.add(r.consumer(hz.consumer));
    }
    if (!symmetry) {
        k.add(s.random_state);
    }
    k.add(s.backlog_capacity.has_value());
    if (s.backlog_capacity) {
        k.add(*s.backlog_capacity);
    }
    if (!symmetry) {
        k.add(s.next_netns);
        k.add(s.next_device);
        k.add(s.next_program);
        k.add(s.next_link);
        k.add(s.next_consumer);
        k.add(s.next_softnic);
    }
    return k.value();
}

// ------------------------------------------------------------------ system

// The explorer system of a scope. States are whole worlds; the setup runs
// once, in initial().
class world_system {
  public:
    using state = model::world;
    using label = step;
    using key = world_key;

    explicit world_system(world_scope scope) : scope_(std::move(scope)) {}

    const world_scope& scope() const noexcept { return scope_; }

    state initial() const {
        model::world w(core::traits_of(scope_.profile));
        for (const auto& op : scope_.setup) {
            (void)apply(w, op);
        }
        return w;
    }
    key key_of(const state& w) const { return canonical_key(w.state(), scope_.symmetry); }
    std::size_t hash(const key& k) const { return static_cast<std::size_t>(k[0]); }

    template <class F>
    void for_each_successor(const state& from, F&& f) const {
        for (const auto& op : scope_.alphabet) {
            state to = from;
            const outcome result = apply(to, op);
            if (result.kind == outcome_kind::skipped) {
                continue;
            }
            last_outcome_ = result;
            f(label{op}, std::move(to));
        }
        for (std::size_t i = 0; i < scope_.routines.size(); ++i) {
            for (std::uint8_t a = 0; a < scope_.routines[i].arguments; ++a) {
                state to = from;
                last_verdict_ = scope_.routines[i].run(to, a);
                f(label{routine_call{static_cast<std::uint16_t>(i), a}}, std::move(to));
            }
        }
    }

    violations check_state(const state& w) const { return check_world(w.state()); }

    // Called by the explorer right after for_each_successor handed over
    // `after`, so the outcome / verdict of that transition is the last one.
    violations check_step(const state& before, const label& via, const state& after) const {
        if (const auto* op = std::get_if<operation>(&via)) {
            return check::check_step(before.state(), after.state(), *op, last_outcome_);
        }
        const auto& call = std::get<routine_call>(via);
        if (!last_verdict_.ok) {
            return {violation{"USER", scope_.routines[call.routine].name + "(" + std::to_string(call.argument) +
                                          "): " + last_verdict_.message}};
        }
        return {};
    }

  private:
    world_scope scope_;
    mutable outcome last_outcome_;
    mutable routine_verdict last_verdict_;
};

using world_report = explore_report<step>;

// Explores `scope` to `limits`. The scope must validate (a bug otherwise).
inline world_report explore_world(const world_scope& scope, explore_limits limits = {}) {
    const auto problem = scope.validate();
    core::expects(!problem.has_value(), "explore_world: the scope does not validate (call validate() first)");
    return explore(world_system(scope), world_key{0, 0}, limits);
}

}  // namespace netkit::check
