// Hashing of the world, so worlds can key hash sets (the explorer's visited
// states, the shrinker's memo). Equal worlds hash equal: every field that
// operator== compares is mixed in, except program callables, which compare
// by identity and are hashed by address.
#pragma once

#include <netkit/model/world.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>

namespace netkit::model {

namespace hash_detail {

class hasher {
  public:
    // FNV-1a over the bytes of each scalar, with a final avalanche.
    template <class T>
        requires(std::is_arithmetic_v<T> || std::is_enum_v<T>)
    void add(T value) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(&value);
        for (std::size_t i = 0; i < sizeof(T); ++i) {
            state_ = (state_ ^ bytes[i]) * 0x100000001b3ULL;
        }
    }
    void add(const std::string& text) {
        add(text.size());
        for (char c : text) {
            add(c);
        }
    }
    template <class Tag, class Rep>
    void add(core::strong_id<Tag, Rep> id) {
        add(id.value());
    }
    template <class T>
    void add(const std::optional<T>& value) {
        add(value.has_value());
        if (value) {
            add(*value);
        }
    }
    template <std::size_t N>
    void add(const std::array<std::uint8_t, N>& bytes) {
        for (auto b : bytes) {
            add(b);
        }
    }
    void add(const mprog::attach_point& point) { add(mprog::hash_value(point)); }
    void add(const queue_ref& q) {
        add(q.device);
        add(q.index);
    }

    std::size_t value() const {
        std::uint64_t z = state_;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return static_cast<std::size_t>(z ^ (z >> 31));
    }

  private:
    std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

inline void add_device(hasher& h, const device& d) {
    h.add(d.handle);
    h.add(d.kind);
    h.add(d.name);
    h.add(d.ifindex);
    h.add(d.netns);
    h.add(d.mac);
    h.add(d.mac_type);
    h.add(d.up);
    h.add(d.no_arp);
    h.add(d.carrier);
    h.add(d.mtu);
    h.add(d.needed_headroom);
    h.add(d.needed_tailroom);
    h.add(d.rx_queues);
    h.add(d.real_rx_queues);
    h.add(d.tx_queues);
    h.add(d.counters.tx_packets);
    h.add(d.counters.tx_bytes);
    h.add(d.counters.rx_packets);
    h.add(d.counters.rx_bytes);
    h.add(d.counters.tx_dropped);
    h.add(d.counters.rx_dropped);
    h.add(d.xdp_features);
    h.add(d.state);
    h.add(d.holders);
    h.add(d.veth_peer);
    h.add(d.tcx_ingress);
    h.add(d.netkit.has_value());
    if (d.netkit) {
        h.add(d.netkit->peer);
        h.add(d.netkit->policy);
        h.add(d.netkit->scrub);
        h.add(d.netkit->mode);
        h.add(d.netkit->pairing);
        h.add(d.netkit->primary);
        h.add(d.netkit->headroom);
        h.add(d.netkit->bundle);
    }
    h.add(d.present);
    h.add(d.real_tx_queues);
    h.add(d.lease_refs);
    for (const auto& q : d.rxq) {
        h.add(q.lease);
        h.add(q.provider.has_value());
        if (q.provider) {
            h.add(q.provider->kind);
            h.add(q.provider->consumer);
        }
        h.add(q.xsk_pool);
        h.add(q.zero_copy);
        h.add(q.ring.size());
        h.add(q.napi_generation);
        h.add(q.page_pool_generation);
    }
    for (const auto& q : d.txq) {
        h.add(q.xsk_pool);
    }
    h.add(d.nic.has_value());
    if (d.nic) {
        const softnic_state& n = *d.nic;
        h.add(n.bus_id);
        h.add(n.port);
        h.add(n.data_split);
        h.add(n.hds_thresh);
        h.add(n.rx_ring_size);
        h.add(n.tx_ring_size);
        h.add(n.xdp.has_value());
        if (n.xdp) {
            h.add(n.xdp->verdict);
            h.add(n.xdp->multi_buffer);
        }
        h.add(n.key);
        for (const auto entry : n.indirection) {
            h.add(entry);
        }
        h.add(n.indirection_user_configured);
        h.add(n.restart_mode);
        for (const auto& [point, fault] : n.armed_faults) {
            h.add(point);
            h.add(fault.error);
            h.add(fault.remaining);
        }
        h.add(n.lost.size());
        h.add(n.linked_peer);
        h.add(n.wire_log.size());
    }
}

}  // namespace hash_detail

inline std::size_t hash_value(const world_state& w) {
    hash_detail::hasher h;
    h.add(w.profile.id);
    for (const auto& [handle, n] : w.namespaces) {
        h.add(handle);
        h.add(n.name);
        h.add(n.last_ifindex);
        for (const auto& [other, id] : n.ids) {
            h.add(other);
            h.add(id);
        }
    }
    for (const auto& [handle, d] : w.devices) {
        hash_detail::add_device(h, d);
    }
    for (const auto& [id, p] : w.programs) {
        h.add(id);
        h.add(p.type);
        h.add(p.offloaded);
        h.add(p.name);
        h.add(p.references);
        h.add(p.observed.runs);
        h.add(p.behaviour.verdict);
        h.add(reinterpret_cast<std::uintptr_t>(p.function.get()));
    }
    for (const auto& [id, l] : w.links) {
        h.add(id);
        h.add(l.attach_type);
        h.add(l.device);
        h.add(l.program);
        h.add(l.descriptors);
    }
    for (const auto& [fd, d] : w.descriptors) {
        h.add(fd);
        h.add(d.kind);
        h.add(d.object);
    }
    for (const auto& [pid, ns] : w.processes) {
        h.add(pid);
        h.add(ns);
    }
    for (const auto& [id, a] : w.areas) {
        h.add(id);
        h.add(a.kind);
        h.add(a.device);
        h.add(a.installed);
        h.add(a.mapped);
        h.add(a.holds_device);
        for (const auto q : a.queues) {
            h.add(q);
        }
        for (const auto& b : a.buffers) {
            h.add(b.owner);
            h.add(b.length);
        }
    }
    for (const auto& [id, socket] : w.sockets) {
        h.add(id);
        h.add(socket.bound);
        h.add(socket.zero_copy);
        h.add(socket.rx_ring.size());
        h.add(socket.rx_dropped);
    }
    for (const auto& hz : w.hazards) {
        h.add(hz.kind);
        h.add(hz.device);
        h.add(hz.queue);
        h.add(hz.consumer);
    }
    h.add(w.next_consumer);
    h.add(w.next_softnic);
    h.add(w.next_device);
    h.add(w.next_program);
    h.add(w.next_link);
    h.add(w.random_state);
    h.add(w.backlog_capacity);
    return h.value();
}

inline std::size_t hash_value(const world& w) { return hash_value(w.state()); }

}  // namespace netkit::model

template <>
struct std::hash<netkit::model::world> {
    std::size_t operator()(const netkit::model::world& w) const { return netkit::model::hash_value(w); }
};
