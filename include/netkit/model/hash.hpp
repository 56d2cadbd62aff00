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
