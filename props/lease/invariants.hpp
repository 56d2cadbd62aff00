// The lease invariants of lease.md §16 (QL-INV-01…08) as predicates over
// world_state, for the lease tests: each returns the list of violations it
// finds (empty = holds), phrased so a failing test names the queue.
//
// QL-INV-09 (queue-get visibility) is a property of replies, not of the
// state, and QL-INV-10 (lock order) of a concurrent execution; neither is a
// predicate here. Hazards (QL-LIFE-06) are checked separately: a world with
// one is broken, but the profile linux-7.1.0 reaches such worlds on purpose.
#pragma once

#include <netkit/model/world.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace lease_test::invariants {

using namespace netkit;
using namespace netkit::model;
using violations = std::vector<std::string>;

inline std::string where(const world_state& s, core::device_handle h, std::uint32_t i) {
    const auto it = s.devices.find(h);
    const std::string name = it == s.devices.end() ? "?" : it->second.name;
    return name + "#" + std::to_string(h.value()) + " rxq " + std::to_string(i);
}

inline const device* find(const world_state& s, core::device_handle h) {
    const auto it = s.devices.find(h);
    return it == s.devices.end() ? nullptr : &it->second;
}

// QL-INV-01: a.lease = b ⇔ b.lease = a.
inline violations symmetry(const world_state& s) {
    violations out;
    for (const auto& [h, d] : s.devices) {
        for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
            const auto& lease = d.rxq[i].lease;
            if (!lease) {
                continue;
            }
            const device* other = find(s, lease->device);
            if (other == nullptr || lease->index >= other->rxq.size() ||
                other->rxq[lease->index].lease != queue_ref{h, i}) {
                out.push_back(where(s, h, i) + ": lease not returned by " + where(s, lease->device, lease->index));
            }
        }
    }
    return out;
}

// QL-INV-02: exactly one end of a lease has a parent.
inline violations one_physical_end(const world_state& s) {
    violations out;
    for (const auto& [h, d] : s.devices) {
        for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
            if (const auto& lease = d.rxq[i].lease) {
                const device* other = find(s, lease->device);
                if (other == nullptr || d.physical() == other->physical()) {
                    out.push_back(where(s, h, i) + ": both or neither end physical");
                }
            }
        }
    }
    return out;
}

// QL-INV-03: a registered virtual device's leased queues are exactly 1 …
// real rx − 1, all from one physical device; queue 0 is never leased.
inline violations lessee_queues(const world_state& s) {
    violations out;
    for (const auto& [h, d] : s.devices) {
        if (d.physical() || d.state != registration::registered) {
            continue;
        }
        std::optional<core::device_handle> lessor;
        for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
            const bool should = i >= 1 && i < d.real_rx_queues;
            const auto& lease = d.rxq[i].lease;
            if (lease.has_value() != should) {
                out.push_back(where(s, h, i) + (should ? ": active queue not leased" : ": leased outside 1…real−1"));
            }
            if (lease) {
                if (lessor && *lessor != lease->device) {
                    out.push_back(where(s, h, i) + ": leases from a second physical device");
                }
                lessor = lease->device;
            }
        }
    }
    return out;
}

// QL-INV-04: provider and pool state of a leased pair sits on the physical
// queue only.
inline violations state_on_physical_end(const world_state& s) {
    violations out;
    for (const auto& [h, d] : s.devices) {
        if (d.physical()) {
            continue;
        }
        for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
            const rx_queue& q = d.rxq[i];
            if (q.lease && (q.provider || q.xsk_pool || q.zero_copy)) {
                out.push_back(where(s, h, i) + ": provider or pool stored on the virtual end");
            }
        }
    }
    return out;
}

// QL-INV-05: a physical device's reference count equals its leased queues;
// once unregistered it is 0 and no lease names the device.
inline violations lessor_references(const world_state& s) {
    violations out;
    for (const auto& [h, d] : s.devices) {
        if (!d.physical()) {
            continue;
        }
        const auto leased = static_cast<std::uint32_t>(
            std::count_if(d.rxq.begin(), d.rxq.end(), [](const rx_queue& q) { return q.lease.has_value(); }));
        if (d.lease_refs != leased) {
            out.push_back(d.name + ": " + std::to_string(d.lease_refs) + " references for " + std::to_string(leased) +
                          " leased queues");
        }
        if (d.state != registration::registered && d.lease_refs != 0) {
            out.push_back(d.name + ": unregistered with lease references");
        }
    }
    return out;
}

// QL-INV-06: a physical queue has at most one owner among lease, direct
// provider and direct pool, and a leased queue carries a provider or a pool
// only through its lease (the consumer names the virtual end).
inline violations one_owner(const world_state& s) {
    violations out;
    for (const auto& [h, d] : s.devices) {
        if (!d.physical()) {
            continue;
        }
        for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
            const rx_queue& q = d.rxq[i];
            if (q.lease) {
                if (q.provider) {
                    const auto it = s.areas.find(q.provider->consumer);
                    const bool through = it != s.areas.end() && it->second.device == q.lease->device &&
                                         std::count(it->second.queues.begin(), it->second.queues.end(),
                                                    q.lease->index) == 1;
                    if (!through) {
                        out.push_back(where(s, h, i) + ": leased queue with a provider not opened through the lease");
                    }
                }
                if (q.xsk_pool) {
                    const auto it = s.sockets.find(*q.xsk_pool);
                    if (it == s.sockets.end() || it->second.bound != q.lease) {
                        out.push_back(where(s, h, i) + ": leased queue with a pool not bound through the lease");
                    }
                }
            } else if (q.provider && q.xsk_pool) {
                out.push_back(where(s, h, i) + ": direct provider and direct pool");
            }
        }
    }
    return out;
}

// QL-INV-07: real rx exceeds every index that is leased, carries a
// provider or a pool.
inline violations channels_keep_busy_queues(const world_state& s) {
    violations out;
    for (const auto& [h, d] : s.devices) {
        if (!d.physical() || d.state != registration::registered) {
            continue;
        }
        for (std::uint32_t i = d.real_rx_queues; i < d.rxq.size(); ++i) {
            const rx_queue& q = d.rxq[i];
            if (q.lease || q.provider || q.xsk_pool) {
                out.push_back(where(s, h, i) + ": busy queue at or above real rx");
            }
        }
    }
    return out;
}

// QL-INV-08: both ends of every lease are registered devices.
inline violations no_dangling_leases(const world_state& s) {
    violations out;
    for (const auto& [h, d] : s.devices) {
        for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
            if (const auto& lease = d.rxq[i].lease) {
                const device* other = find(s, lease->device);
                if (d.state != registration::registered || other == nullptr ||
                    other->state != registration::registered) {
                    out.push_back(where(s, h, i) + ": lease with an unregistered end");
                }
            }
        }
    }
    return out;
}

// Every predicate above, concatenated.
inline violations all(const world_state& s) {
    violations out;
    for (auto* check : {&symmetry, &one_physical_end, &lessee_queues, &state_on_physical_end, &lessor_references,
                        &one_owner, &channels_keep_busy_queues, &no_dangling_leases}) {
        for (auto& v : check(s)) {
            out.push_back(std::move(v));
        }
    }
    return out;
}

}  // namespace lease_test::invariants
