// The queue operations that teardown needs and every other lease operation
// builds on: following a lease (QL-MODEL-05), queue_busy (QL-CAN-03), the
// queue restart of the software NIC (softnic.md SN-RST-01…06), provider
// uninstall (QL-LIFE-06/08), AF_XDP pool clearing (QL-XSK-05) and the unlease
// loop (QL-LIFE-05). model/links.hpp calls these from device teardown;
// model/lease.hpp and model/softnic.hpp build the user-facing operations.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/result.hpp>
#include <netkit/model/device.hpp>
#include <netkit/model/queues.hpp>
#include <netkit/model/unconfirmed.hpp>
#include <netkit/model/world_state.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace netkit::model::queue_ops {

using core::errno_code;
using core::fail;

// QL-MODEL-05: from (dev, i) to the queue that holds provider and pool state.
// A leased queue of a virtual device leads to its lessor's queue; an unleased
// queue is itself; a leased queue of a physical device is "invalid" (nullopt).
inline std::optional<queue_ref> resolve_rx(const world_state& w, queue_ref q) {
    const device& d = state::device_of(w, q.device);
    if (!d.leased(q.index)) {
        return q;
    }
    if (d.physical()) {
        return std::nullopt;
    }
    return d.rxq[q.index].lease;
}

inline rx_queue& rx_at(world_state& w, queue_ref q) { return state::device_of(w, q.device).rxq.at(q.index); }

// QL-CAN-03: the message of the first reason the queue is busy, or nullopt.
// `with_extack` false: internal callers get the verdict without a message
// (QL-CAN-04).
inline std::optional<core::error> queue_busy(const world_state& w, const device& d, std::uint32_t i, bool tx,
                                             bool with_extack = true) {
    auto busy = [with_extack](std::string_view message) {
        return fail(errno_code::busy, with_extack ? message : std::string_view{});
    };
    const bool old_order = w.profile.busy_order == core::queue_busy_order::leased_first;
    const bool leased = !tx && d.leased(i);
    if (old_order && leased) {
        return busy("Lease device queue is already leased");
    }
    const bool pool = i < d.real_rx_queues ? (i < d.rxq.size() && d.rxq[i].xsk_pool.has_value())
                                           : (i < d.txq.size() && d.txq[i].xsk_pool.has_value());
    if (pool) {
        return busy(old_order ? unconfirmed::busy_xsk_message_v7 : "Device queue in use by AF_XDP");
    }
    if (tx) {
        return std::nullopt;
    }
    if (!old_order && leased) {
        return busy("Device queue in use due to queue leasing");
    }
    if (d.has_provider(i)) {
        return busy(old_order ? unconfirmed::busy_provider_message_v7 : "Device queue in use by memory provider");
    }
    return std::nullopt;
}

// Whether any active RX queue of the device carries a memory provider.
inline bool any_provider(const device& d) {
    for (std::uint32_t i = 0; i < d.real_rx_queues; ++i) {
        if (d.has_provider(i)) {
            return true;
        }
    }
    return false;
}

// -------------------------------------------------------------- restart

// SN-RST-06: consumes one armed failure of `point`, if any.
inline std::optional<errno_code> take_fault(softnic_state& nic, fault_point point) {
    const auto it = nic.armed_faults.find(point);
    if (it == nic.armed_faults.end()) {
        return std::nullopt;
    }
    const errno_code error = it->second.error;
    if (--it->second.remaining == 0) {
        nic.armed_faults.erase(it);
    }
    return error;
}

// SN-RST-01…03: restart RX queue i of a device with its current parameters
// (provider or none). A device without queue-memory operations (netkit,
// veth, lo) cannot restart a queue. A failure caused by an armed fault has
// consumed it (and may have lost the queue): that part stays, so the error
// says it was partly applied and the world keeps the consumption.
inline core::error fault_failure(errno_code code) { return fail(code).after_partial_change(); }

inline core::status restart_queue(world_state& w, core::device_handle h, std::uint32_t i) {
    device& d = state::device_of(w, h);
    if (!d.nic || !d.nic->config.queue_management) {
        return fail(errno_code::not_supported);  // SN-RST-01
    }
    softnic_state& nic = *d.nic;
    const std::uint32_t mode = nic.restart_mode;
    const bool running = d.up;
    // (1) allocate the new queue memory (SN-RST-03: mode checks happen in alloc).
    if (mode > 3) {
        return fail(errno_code::invalid);
    }
    if (mode == 1 && !running) {
        return fail(errno_code::network_down);
    }
    if (auto error = take_fault(nic, fault_point::mem_alloc)) {
        return fault_failure(*error);
    }
    // (2) a provider must be carried by a page pool of the new memory.
    if (d.rxq[i].provider && !nic.config.mp_capable) {
        return fail(errno_code::no_data);  // SN-MP-01
    }
    if (!running) {
        return core::ok();  // nothing swapped; the new memory is freed
    }
    // (3) stop the old queue, start the new one.
    if (auto error = take_fault(nic, fault_point::queue_stop)) {
        return fault_failure(*error);
    }
    if (auto error = take_fault(nic, fault_point::queue_start)) {
        if (auto again = take_fault(nic, fault_point::queue_start)) {
            nic.lost.push_back(lost_queue{i, *again});  // the old memory could not be started either
        }
        return fault_failure(*error);
    }
    // (4) the old memory is freed; the queue runs on new memory.
    ++d.rxq[i].page_pool_generation;
    if (mode != 1) {
        ++d.rxq[i].napi_generation;
    }
    return core::ok();
}

// ------------------------------------------------------------- providers

// Whether a consumer still has its provider on some queue.
inline bool provider_installed_anywhere(const world_state& w, std::uint32_t consumer) {
    for (const auto& [handle, d] : w.devices) {
        if (d.state == registration::freed) {
            continue;
        }
        for (const auto& q : d.rxq) {
            if (q.provider && q.provider->consumer == consumer) {
                return true;
            }
        }
    }
    return false;
}

// The provider's uninstall hook (page-pool memory returned to the
// consumer): the area no longer backs any queue the hook was called for.
// If the queue still runs on that memory — the device is up and the
// provider parameters are still set — the NIC may write into memory the
// consumer has already got back: the model records the hazard
// (QL-LIFE-06, CVE-2026-74285).
inline void uninstall_hook(world_state& w, queue_ref physical, const provider_params& params) {
    const device& d = state::device_of(w, physical.device);
    const rx_queue& q = d.rxq.at(physical.index);
    if (d.up && q.provider == params) {
        w.hazards.push_back(hazard{hazard_kind::use_after_uninstall, physical.device, physical.index, params.consumer});
    }
    if (auto it = w.areas.find(params.consumer); it != w.areas.end()) {
        for (auto& b : it->second.buffers) {
            if (b.owner == buffer_owner::kernel) {
                b.owner = buffer_owner::free_list;  // ring buffers return to the consumer
                b.length = 0;
            }
        }
    }
}

// Whether the consumer still backs some queue, after a provider change.
inline void refresh_installed(world_state& w, std::uint32_t consumer) {
    if (auto it = w.areas.find(consumer); it != w.areas.end()) {
        it->second.installed = provider_installed_anywhere(w, consumer);
    }
}

// Clears the provider of a physical queue and restarts it; ENETDOWN and other
// restart errors are tolerated here (close paths cannot fail).
inline void clear_provider_and_restart(world_state& w, queue_ref physical) {
    rx_at(w, physical).provider.reset();
    (void)restart_queue(w, physical.device, physical.index);
}

// QL-LIFE-06: provider cleanup on a leased physical queue while unleasing.
inline void cleanup_leased_provider(world_state& w, queue_ref physical) {
    const auto params = rx_at(w, physical).provider;
    if (!params) {
        return;
    }
    switch (w.profile.unlease_cleanup) {
        case core::unlease_provider_cleanup::none: return;  // stays installed (v7-jan2026)
        case core::unlease_provider_cleanup::restart_then_uninstall:
            clear_provider_and_restart(w, physical);
            uninstall_hook(w, physical, *params);
            break;
        case core::unlease_provider_cleanup::uninstall_then_restart:
            uninstall_hook(w, physical, *params);
            clear_provider_and_restart(w, physical);
            break;
    }
    refresh_installed(w, params->consumer);
}

// QL-LIFE-08 (2): a device going away uninstalls the providers on its own
// queues — including those installed through a lease. The device is closed
// by then, so no queue runs on the memory.
inline void uninstall_own_providers(world_state& w, core::device_handle h) {
    device& d = state::device_of(w, h);
    for (std::uint32_t i = 0; i < d.rxq.size(); ++i) {
        if (auto params = d.rxq[i].provider) {
            d.rxq[i].provider.reset();
            uninstall_hook(w, queue_ref{h, i}, *params);
            refresh_installed(w, params->consumer);
        }
    }
}

// ---------------------------------------------------------------- AF_XDP

// SN-XSK-02 / QL-XSK-08 disabling: the physical device forgets zero-copy.
inline void disable_zero_copy(world_state& w, queue_ref physical) {
    device& d = state::device_of(w, physical.device);
    if (d.nic && physical.index < d.rxq.size()) {
        d.rxq[physical.index].zero_copy = false;
    }
}

// QL-XSK-05: clear the pool registered at `id` on `dev`, through a lease if
// the RX queue is leased; an invalid resolution is ignored.
inline void clear_pool(world_state& w, queue_ref named) {
    device& d = state::device_of(w, named.device);
    queue_ref target = named;
    if (named.index < d.real_rx_queues) {
        auto resolved = resolve_rx(w, named);
        if (!resolved) {
            return;
        }
        target = *resolved;
    }
    device& t = state::device_of(w, target.device);
    if (target.index < t.real_rx_queues && target.index < t.rxq.size()) {
        t.rxq[target.index].xsk_pool.reset();
    }
    if (target.index < t.real_tx_queues && target.index < t.txq.size()) {
        t.txq[target.index].xsk_pool.reset();
    }
    disable_zero_copy(w, target);
}

// QL-XSK-13 / QL-XSK-14: unbind every socket bound to the device.
inline void unbind_sockets(world_state& w, core::device_handle h) {
    for (auto& [id, socket] : w.sockets) {
        if (socket.bound && socket.bound->device == h) {
            clear_pool(w, *socket.bound);
            socket.bound.reset();
            socket.zero_copy = false;
        }
    }
}

// ---------------------------------------------------------------- unlease

// QL-LIFE-05: for i = 1 … real rx − 1 in ascending order, provider cleanup,
// both ends cleared, the lessor's reference dropped.
inline void unlease_all(world_state& w, core::device_handle v) {
    const std::uint32_t real = state::device_of(w, v).real_rx_queues;
    for (std::uint32_t i = 1; i < real; ++i) {
        const auto lease = state::device_of(w, v).rxq.at(i).lease;
        if (!lease) {
            continue;
        }
        cleanup_leased_provider(w, *lease);
        rx_at(w, *lease).lease.reset();
        state::device_of(w, v).rxq.at(i).lease.reset();
        device& p = state::device_of(w, lease->device);
        core::expects(p.lease_refs > 0, "lessor reference count underflow");
        --p.lease_refs;
    }
}

// The netkit devices holding a lease on one of P's active RX queues, in
// queue order, each once (QL-LIFE-09).
inline std::vector<core::device_handle> lessees_of(const world_state& w, core::device_handle p) {
    std::vector<core::device_handle> out;
    const device& d = state::device_of(w, p);
    for (std::uint32_t i = 0; i < d.real_rx_queues && i < d.rxq.size(); ++i) {
        if (const auto& lease = d.rxq[i].lease) {
            if (std::find(out.begin(), out.end(), lease->device) == out.end()) {
                out.push_back(lease->device);
            }
        }
    }
    return out;
}

}  // namespace netkit::model::queue_ops
