// RX queue leasing (lease.md): queue-create with every check in its order,
// netkit's queue-creation hook, queue-get (do and dump) with lease
// reporting, memory providers through a lease and their consumers (io_uring
// zero-copy areas, devmem bindings), DMA-device lookup, AF_XDP pool
// registration, sockets and netkit's XSK hooks, and devmem TX.
//
// Functions over world_state that assume a scratch copy (model/world.hpp
// commits them only on success, so a refused operation changes nothing).
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/result.hpp>
#include <netkit/model/caller.hpp>
#include <netkit/model/device.hpp>
#include <netkit/model/links.hpp>
#include <netkit/model/queue_ops.hpp>
#include <netkit/model/queues.hpp>
#include <netkit/model/softnic.hpp>
#include <netkit/model/unconfirmed.hpp>
#include <netkit/model/world_state.hpp>
#include <netkit/uapi/netdev.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netkit::model::lease {

using core::errno_code;
using core::fail;

// --------------------------------------------------------------- requests

// A queue-create request as the netdev family carries it (QL-UAPI-04…06):
// every attribute may be absent, and values are the raw wire integers, so a
// structured request can express everything a netlink message can except
// malformed bytes (which the netlink front end refuses first).
struct queue_id_request {
    std::optional<std::uint32_t> id;
    std::optional<std::uint32_t> type;

    friend bool operator==(const queue_id_request&, const queue_id_request&) = default;
};

struct lease_request {
    std::optional<std::uint32_t> ifindex;  // the lessor P
    std::optional<queue_id_request> queue;
    std::optional<std::int32_t> netns_id;

    friend bool operator==(const lease_request&, const lease_request&) = default;
};

struct queue_create_request {
    std::optional<std::uint32_t> ifindex;  // the lessee V
    std::optional<std::uint32_t> type;
    std::optional<lease_request> lease;

    friend bool operator==(const queue_create_request&, const queue_create_request&) = default;

    // The usual request: lease P's RX queue q onto V.
    static queue_create_request rx(std::int32_t lessee, std::int32_t lessor, std::uint32_t q,
                                   std::optional<std::int32_t> netns_id = std::nullopt) {
        return queue_create_request{
            static_cast<std::uint32_t>(lessee), 0,
            lease_request{static_cast<std::uint32_t>(lessor), queue_id_request{q, 0}, netns_id}};
    }
};

// Attribute paths for bad-attribute and missing-attribute reports.
namespace path {
inline constexpr auto q = [](uapi::queue_attr a) { return static_cast<std::uint16_t>(a); };
inline constexpr auto l = [](uapi::lease_attr a) { return static_cast<std::uint16_t>(a); };
inline const core::attribute_path ifindex{q(uapi::queue_attr::ifindex)};
inline const core::attribute_path type{q(uapi::queue_attr::type)};
inline const core::attribute_path lease{q(uapi::queue_attr::lease)};
inline const core::attribute_path lease_ifindex{q(uapi::queue_attr::lease), l(uapi::lease_attr::ifindex)};
inline const core::attribute_path lease_queue{q(uapi::queue_attr::lease), l(uapi::lease_attr::queue)};
inline const core::attribute_path lease_netns_id{q(uapi::queue_attr::lease), l(uapi::lease_attr::netns_id)};
inline const core::attribute_path lease_queue_id{q(uapi::queue_attr::lease), l(uapi::lease_attr::queue),
                                                 q(uapi::queue_attr::id)};
inline const core::attribute_path lease_queue_type{q(uapi::queue_attr::lease), l(uapi::lease_attr::queue),
                                                   q(uapi::queue_attr::type)};
}  // namespace path

// ------------------------------------------------------------ capabilities

// Whether the device has queue-management operations (netkit; a softnic
// unless configured without).
inline bool has_queue_management(const device& d) {
    return d.netkit.has_value() || (d.nic && d.nic->config.queue_management);
}

// QL-CAN-01.
inline core::status can_create_queue(const device& v) {
    if (v.physical()) {
        return fail(errno_code::invalid, "Device is not a virtual device");
    }
    if (!v.netkit) {
        return fail(errno_code::invalid, "Device does not support queue creation");
    }
    if (v.real_rx_queues < 1 || v.real_tx_queues < 1) {
        return fail(errno_code::invalid, "Device must have at least one real queue");
    }
    return core::ok();
}

// QL-CAN-02.
inline core::status can_lease_queue(const device& p) {
    if (!p.physical()) {
        return fail(errno_code::invalid, "Lease device is a virtual device");
    }
    if (!p.present) {
        return fail(errno_code::invalid, "Lease device has been removed from the system");
    }
    if (!has_queue_management(p)) {
        return fail(errno_code::invalid, "Lease device does not support queue management operations");
    }
    return core::ok();
}

// QL-NKQC-01…05: netkit's queue-creation hook; returns the new index.
inline core::result<std::uint32_t> netkit_create_queue(world_state& w, core::device_handle h) {
    device& v = state::device_of(w, h);
    const bool core_message = w.profile.create_failure == core::queue_create_failure_message::core_message;
    auto refuse = [core_message](core::error e) {
        return core_message ? fail(e.code, "Device is unable to create a new queue") : e;
    };
    if (v.netkit->primary && !v.netkit->single()) {
        return refuse(fail(errno_code::not_supported, "netkit can only lease against the peer device"));
    }
    if (v.real_rx_queues + 1 > v.rx_queues) {
        return refuse(fail(errno_code::invalid, "netkit maximum queue limit reached"));
    }
    // QL-NKQC-04: profile v7-jan2026 turns the carrier of a running device
    // off before and on after the resize, so it ends with carrier even when
    // its peer is down; newest does not touch it.
    if (w.profile.carrier_toggle_on_queue_create && v.up) {
        v.carrier = true;
    }
    return v.real_rx_queues++;
}

namespace detail {

inline core::error out_of_range(core::attribute_path where) {
    return fail(errno_code::out_of_range, "integer out of range").at(where);
}

// QL-CRT-02: the range checks of the netdev policies (structured requests
// are validated in attribute order: ifindex, type, lease {ifindex, queue
// {id, type}, netns-id}).
inline core::status validate_ranges(const world_state& w, const queue_create_request& r) {
    if (r.ifindex && *r.ifindex < 1) {
        return out_of_range(path::ifindex);
    }
    if (r.type && *r.type > 1) {
        return out_of_range(path::type);
    }
    if (r.lease) {
        if (r.lease->ifindex && *r.lease->ifindex < 1) {
            return out_of_range(path::lease_ifindex);
        }
        if (r.lease->queue && r.lease->queue->type && *r.lease->queue->type > 1) {
            return out_of_range(path::lease_queue_type);
        }
        if (r.lease->netns_id && *r.lease->netns_id < 0 &&
            w.profile.netns_id == core::lease_netns_id::accepted) {
            return out_of_range(path::lease_netns_id);
        }
    }
    return core::ok();
}

inline const device* lookup(const world_state& w, core::netns_handle ns, std::uint32_t ifindex) {
    if (ifindex > 0x7fffffffU) {
        return nullptr;
    }
    return state::find_by_index(w, ns, static_cast<std::int32_t>(ifindex));
}

}  // namespace detail

// QL-CRT-01…25: queue-create. Returns the new queue's index on V.
inline core::result<std::uint32_t> queue_create(world_state& w, const caller& c, const queue_create_request& r) {
    if (!w.profile.leasing) {
        return fail(errno_code::not_supported);  // no such command in this kernel
    }
    if (!c.net_admin_init) {
        return fail(errno_code::not_permitted);  // QL-CRT-01
    }
    if (auto valid = detail::validate_ranges(w, r); !valid) {  // QL-CRT-02
        return valid.failure();
    }
    using uapi::queue_attr;
    if (!r.ifindex) {  // QL-CRT-03
        return fail(errno_code::invalid).missing_at(path::q(queue_attr::ifindex));
    }
    if (!r.type) {
        return fail(errno_code::invalid).missing_at(path::q(queue_attr::type));
    }
    if (!r.lease) {
        return fail(errno_code::invalid).missing_at(path::q(queue_attr::lease));
    }
    if (*r.type != static_cast<std::uint32_t>(uapi::queue_type::rx)) {  // QL-CRT-04
        return fail(errno_code::invalid).at(path::type);
    }
    const lease_request& l = *r.lease;  // QL-CRT-05
    if (!l.ifindex) {                   // QL-CRT-06
        return fail(errno_code::invalid).missing_at(path::l(uapi::lease_attr::ifindex), path::lease);
    }
    if (!l.queue) {
        return fail(errno_code::invalid).missing_at(path::l(uapi::lease_attr::queue), path::lease);
    }
    if (l.netns_id) {  // QL-CRT-07
        if (w.profile.netns_id != core::lease_netns_id::accepted) {
            return fail(errno_code::invalid).at(path::lease_netns_id);
        }
        if (!c.net_admin_init) {
            return fail(errno_code::not_permitted);
        }
    }
    if (!l.queue->id) {  // QL-CRT-08
        return fail(errno_code::invalid).missing_at(path::q(queue_attr::id), path::lease_queue);
    }
    if (!l.queue->type) {
        return fail(errno_code::invalid).missing_at(path::q(queue_attr::type), path::lease_queue);
    }
    if (*l.queue->type != static_cast<std::uint32_t>(uapi::queue_type::rx)) {  // QL-CRT-09
        return fail(errno_code::invalid).at(path::lease_queue_type);
    }
    if (w.profile.same_ifindex_check && *r.ifindex == *l.ifindex) {  // QL-CRT-24 (v7-jan2026)
        return fail(errno_code::invalid, "Lease ifindex cannot be the same as queue creation ifindex");
    }
    // QL-CRT-10: the reply is allocated (cannot fail in the model).
    const device* v = detail::lookup(w, c.netns, *r.ifindex);  // QL-CRT-11
    if (v == nullptr) {
        return fail(errno_code::no_device);
    }
    if (auto can = can_create_queue(*v); !can) {  // QL-CRT-12
        return can.failure();
    }
    core::netns_handle lessor_ns = c.netns;
    if (l.netns_id) {  // QL-CRT-13
        const auto resolved = state::namespace_of(w, c.netns).by_id(*l.netns_id);
        if (!resolved) {
            return fail(errno_code::no_network);
        }
        lessor_ns = *resolved;
    }
    const device* p = detail::lookup(w, lessor_ns, *l.ifindex);  // QL-CRT-14
    if (p == nullptr) {
        return fail(errno_code::no_device);
    }
    if (auto can = can_lease_queue(*p); !can) {  // QL-CRT-15
        return can.failure();
    }
    // QL-CRT-16: P is still registered and in the resolved netns (always so
    // in a sequential model).
    const std::uint32_t q = *l.queue->id;
    if (q >= p->real_rx_queues) {  // QL-CRT-17
        return fail(errno_code::out_of_range).at(path::lease_queue_id);
    }
    if (auto busy = queue_ops::queue_busy(w, *p, q, false)) {  // QL-CRT-18
        return *busy;
    }
    const std::uint32_t top = v->real_rx_queues - 1;  // QL-CRT-19
    if (v->leased(top) && v->rxq[top].lease->device != p->handle) {
        return fail(errno_code::not_supported, "Leasing queues from different devices not supported");
    }
    const core::device_handle vh = v->handle;
    const core::device_handle ph = p->handle;
    auto k = netkit_create_queue(w, vh);  // QL-CRT-20
    if (!k) {
        return k.failure();
    }
    // QL-CRT-21: link both ends, take the reference on P.
    state::device_of(w, vh).rxq.at(k.value()).lease = queue_ref{ph, q};
    state::device_of(w, ph).rxq.at(q).lease = queue_ref{vh, k.value()};
    ++state::device_of(w, ph).lease_refs;
    return k.value();  // QL-CRT-22
}

// --------------------------------------------------------------- queue-get

// The lease nest of a physical queue's reply (QL-GET-03).
struct lease_report {
    std::int32_t ifindex = 0;  // V's ifindex
    std::uint32_t queue = 0;   // k
    std::optional<std::int32_t> netns_id;

    friend bool operator==(const lease_report&, const lease_report&) = default;
};

// One queue-get reply (QL-GET-02), attributes in reply order.
struct queue_info {
    std::uint32_t id = 0;
    uapi::queue_type type = uapi::queue_type::rx;
    std::int32_t ifindex = 0;
    std::optional<std::uint32_t> napi_id;
    std::optional<lease_report> lease;
    std::optional<std::uint32_t> dmabuf;  // binding id
    bool io_uring = false;                // an empty io-uring nest
    bool xsk = false;                     // an empty xsk nest

    friend bool operator==(const queue_info&, const queue_info&) = default;
};

namespace detail {

inline std::optional<std::uint32_t> napi_id(const device& d, std::uint32_t i) {
    if (d.nic && d.up) {  // SN-Q-05; netkit queues have none (QL-GET-06)
        const std::uint32_t renumbered =
            unconfirmed::napi_id_stable_across_restarts ? 0U : 64U * d.rxq.at(i).napi_generation;
        return d.nic->napi_base + i + renumbered;
    }
    return std::nullopt;
}

inline void fill_provider(const rx_queue& q, queue_info& out) {
    if (q.provider) {
        if (q.provider->kind == provider_kind::dmabuf) {
            out.dmabuf = q.provider->consumer;
        } else {
            out.io_uring = true;
        }
    }
    out.xsk = q.xsk_pool.has_value();
}

inline queue_info describe(world_state& w, const device& d, std::uint32_t i, uapi::queue_type type) {
    queue_info out;
    out.id = i;
    out.type = type;
    out.ifindex = d.ifindex;
    if (type == uapi::queue_type::tx) {
        // No napi-id: only RX queues have NAPI instances (softnic.md SN-Q-02).
        out.xsk = d.txq.at(i).xsk_pool.has_value();
        return out;
    }
    out.napi_id = napi_id(d, i);
    const rx_queue& q = d.rxq.at(i);
    if (q.lease && d.physical()) {  // QL-GET-03
        const device& v = state::device_of(std::as_const(w), q.lease->device);
        lease_report report{v.ifindex, q.lease->index, std::nullopt};
        if (v.netns != d.netns) {
            // An id already assigned is read without writing the netns.
            const auto known = state::namespace_of(std::as_const(w), d.netns).id_of(v.netns);
            report.netns_id = known ? *known : state::namespace_of(w, d.netns).id_for(v.netns);
        }
        out.lease = report;
    }
    if (q.lease && !d.physical()) {  // QL-GET-04/05
        if (w.profile.virtual_queue_get == core::virtual_queue_report::physical_provider_and_xsk) {
            fill_provider(state::device_of(std::as_const(w), q.lease->device).rxq.at(q.lease->index), out);
        }
        return out;
    }
    fill_provider(q, out);
    return out;
}

}  // namespace detail

// QL-GET-01/02: queue-get do. May allocate a netns id in the device's netns.
inline core::result<queue_info> queue_get(world_state& w, const caller& c, std::int32_t ifindex, std::uint32_t id,
                                          uapi::queue_type type) {
    const device* d = state::find_by_index(w, c.netns, ifindex);
    if (d == nullptr) {
        return fail(errno_code::no_device);
    }
    if (!d->up) {
        return fail(errno_code::no_entry);
    }
    const std::uint32_t real = type == uapi::queue_type::rx ? d->real_rx_queues : d->real_tx_queues;
    if (id >= real) {
        return fail(errno_code::invalid);
    }
    return detail::describe(w, *d, id, type);
}

// QL-GET-01: the dump of the caller's netns: devices in ifindex order,
// those that are down skipped; RX queues, then TX queues.
inline std::vector<queue_info> queue_dump(world_state& w, const caller& c) {
    std::vector<queue_info> out;
    std::vector<core::device_handle> devices;
    for (const auto& [index, handle] : state::namespace_of(std::as_const(w), c.netns).by_index) {
        devices.push_back(handle);
    }
    for (const auto h : devices) {
        // Read through const: only a netns id allocation writes (describe).
        const device& d = state::device_of(std::as_const(w), h);
        if (!d.up) {
            continue;
        }
        for (std::uint32_t i = 0; i < d.real_rx_queues; ++i) {
            out.push_back(detail::describe(w, d, i, uapi::queue_type::rx));
        }
        for (std::uint32_t i = 0; i < d.real_tx_queues; ++i) {
            out.push_back(detail::describe(w, d, i, uapi::queue_type::tx));
        }
    }
    return out;
}

// ------------------------------------------------------ memory providers

// QL-DMA-01: the DMA device of (dev, i) — the softnic's bus id — or none.
inline std::optional<std::uint32_t> dma_device(const world_state& w, queue_ref q, uapi::queue_type type) {
    const device& d = state::device_of(w, q.device);
    auto own = [](const device& x) -> std::optional<std::uint32_t> {
        if (x.nic && x.nic->config.dma_capable) {
            return x.nic->bus_id;  // SN-DMA-01: the parent
        }
        return std::nullopt;
    };
    if (type == uapi::queue_type::tx || !d.leased(q.index)) {
        return own(d);
    }
    if (d.physical()) {
        return std::nullopt;
    }
    return own(state::device_of(w, d.rxq[q.index].lease->device));
}

// Whether the requested rx page size (QL-MP-06) is asked for.
struct provider_options {
    bool rx_page_size = false;

    friend bool operator==(const provider_options&, const provider_options&) = default;
};

namespace detail {

// QL-MP-06 on the resolved device.
inline core::status generic_provider_checks(const device& d, std::uint32_t i, const provider_options& o) {
    const tcp_data_split split = d.nic ? d.nic->data_split : tcp_data_split::unknown;
    if (split != tcp_data_split::enabled) {
        return fail(errno_code::invalid, "tcp-data-split is disabled");
    }
    if (d.nic->hds_thresh != 0) {
        return fail(errno_code::invalid, "hds-thresh is not zero");
    }
    if (d.nic->xdp) {
        return fail(errno_code::exists, "unable to custom memory provider to device with XDP program attached");
    }
    if (o.rx_page_size && !d.nic->config.rx_page_size_supported) {
        return fail(errno_code::not_supported, "device does not support: rx_page_size");
    }
    if (d.rxq[i].provider) {
        return fail(errno_code::exists, "designated queue already memory provider bound");
    }
    if (d.rxq[i].xsk_pool) {
        return fail(errno_code::busy, "designated queue already in use by AF_XDP");
    }
    return core::ok();
}

}  // namespace detail

// QL-MP-01…07: install `params` on the queue (device, i) names.
inline core::status provider_open(world_state& w, queue_ref named, const provider_params& params,
                                  const provider_options& options = {}) {
    const device& d = state::device_of(w, named.device);
    if (!has_queue_management(d)) {
        return fail(errno_code::not_supported);  // QL-MP-01
    }
    if (named.index >= d.real_rx_queues) {
        return fail(errno_code::out_of_range, "rx queue index out of range");  // QL-MP-02
    }
    queue_ref target = named;
    if (d.leased(named.index)) {
        if (d.physical()) {  // QL-MP-03
            return fail(errno_code::busy, w.profile.leased_provider == core::leased_provider_message::peered
                                              ? "rx queue peered to a virtual netdev"
                                              : "rx queue leased to a virtual netdev");
        }
        target = *d.rxq[named.index].lease;  // QL-MP-04
    } else if (!d.physical()) {  // QL-MP-05
        if (w.profile.virtual_provider == core::virtual_provider_check::mapped_to_virtual) {
            return fail(errno_code::busy, "rx queue is mapped to a virtual netdev");
        }
        if (!unconfirmed::unleased_virtual_provider_runs_generic_checks) {
            return fail(errno_code::not_supported, "rx queue belongs to a virtual netdev");
        }
    }
    if (auto checks = detail::generic_provider_checks(state::device_of(w, target.device), target.index, options);
        !checks) {
        return checks;
    }
    queue_ops::rx_at(w, target).provider = params;  // QL-MP-07
    if (auto restarted = queue_ops::restart_queue(w, target.device, target.index); !restarted) {
        queue_ops::rx_at(w, target).provider.reset();
        return restarted;
    }
    return core::ok();
}

// QL-MP-08: close; every invalid resolution or mismatch is a silent no-op.
inline void provider_close(world_state& w, queue_ref named, const provider_params& params) {
    const device& d = state::device_of(w, named.device);
    if (named.index >= d.rxq.size() || named.index >= d.real_rx_queues) {
        return;
    }
    const auto target = queue_ops::resolve_rx(w, named);
    if (!target) {
        return;
    }
    const device& t = state::device_of(w, target->device);
    if (t.state == registration::freed || t.rxq.at(target->index).provider != params) {
        return;
    }
    queue_ops::clear_provider_and_restart(w, *target);  // ENETDOWN tolerated
    queue_ops::uninstall_hook(w, *target, params);
    queue_ops::refresh_installed(w, params.consumer);
}

// -------------------------------------------------------------- consumers

// QL-MP-09: register an io_uring zero-copy receiver on (ifindex, queue)
// with `buffers` buffers. Returns the area id.
inline core::result<std::uint32_t> zcrx_register(world_state& w, const caller& c, std::int32_t ifindex,
                                                 std::uint32_t queue, std::uint32_t buffers = 64,
                                                 const provider_options& options = {}) {
    const device* d = state::find_by_index(w, c.netns, ifindex);
    if (d == nullptr) {
        return fail(errno_code::no_device);
    }
    // The DMA lookup comes first, also for an index out of range (an
    // unleased queue: the device's own DMA device); the range is the
    // provider open's QL-MP-02.
    if (!dma_device(w, queue_ref{d->handle, queue}, uapi::queue_type::rx)) {
        return fail(errno_code::not_supported);
    }
    const std::uint32_t id = w.next_consumer;
    const core::device_handle h = d->handle;
    if (auto opened = provider_open(w, queue_ref{h, queue}, provider_params{provider_kind::io_uring, id}, options);
        !opened) {
        return opened.failure();
    }
    ++w.next_consumer;
    zero_copy_area area;
    area.id = id;
    area.kind = provider_kind::io_uring;
    area.device = h;
    area.queues = {queue};
    area.installed = true;
    area.holds_device = true;
    area.buffers.resize(buffers);
    links::hold_device(w, h);  // the receiver holds the named device (NK-DEL-07)
    w.areas.emplace(id, std::move(area));
    return id;
}

inline core::result<zero_copy_area*> live_area(world_state& w, std::uint32_t id) {
    auto it = w.areas.find(id);
    if (it == w.areas.end() || !it->second.mapped) {
        return fail(errno_code::bad_descriptor);
    }
    return &it->second;
}

// The receiver exits: its provider is closed through the same (device,
// queue), the area is unmapped and the device reference dropped.
inline core::status consumer_close(world_state& w, std::uint32_t id) {
    auto found = live_area(w, id);
    if (!found) {
        return found.failure();
    }
    const zero_copy_area area = *found.value();
    for (const auto q : area.queues) {
        provider_close(w, queue_ref{area.device, q}, provider_params{area.kind, id});
    }
    zero_copy_area& a = w.areas.at(id);
    a.installed = queue_ops::provider_installed_anywhere(w, id);
    a.mapped = false;
    for (auto& b : a.buffers) {
        b = buffer{};
    }
    if (a.holds_device) {
        a.holds_device = false;
        links::release_device_hold(w, a.device);
    }
    return core::ok();
}

// The user takes up to `count` filled buffers from the ring (kernel → user);
// returns their indexes.
inline core::result<std::vector<std::uint32_t>> consumer_receive(world_state& w, std::uint32_t id,
                                                                 std::uint32_t count) {
    auto found = live_area(w, id);
    if (!found) {
        return found.failure();
    }
    std::vector<std::uint32_t> out;
    auto& buffers = found.value()->buffers;
    for (std::uint32_t b = 0; b < buffers.size() && out.size() < count; ++b) {
        if (buffers[b].owner == buffer_owner::kernel) {
            buffers[b].owner = buffer_owner::user;
            out.push_back(b);
        }
    }
    return out;
}

// The user gives buffer `b` back (user → free list).
inline core::status consumer_refill(world_state& w, std::uint32_t id, std::uint32_t b) {
    auto found = live_area(w, id);
    if (!found) {
        return found.failure();
    }
    auto& buffers = found.value()->buffers;
    if (b >= buffers.size() || buffers[b].owner != buffer_owner::user) {
        return fail(errno_code::invalid);
    }
    buffers[b] = buffer{};
    return core::ok();
}

// QL-DMA-02: devmem BIND_RX on (ifindex, queues, dmabuf fd). Returns the
// binding id.
inline core::result<std::uint32_t> bind_rx(world_state& w, const caller& c, std::int32_t ifindex,
                                           const std::vector<std::uint32_t>& requested, std::int32_t dmabuf_fd,
                                           std::uint32_t buffers = 64) {
    // The queues are a set (the kernel collects them in a bitmap): walked in
    // ascending order, each once, so "the previous queue" of the mismatch
    // message is the next lower selected index.
    std::vector<std::uint32_t> queues = requested;
    std::sort(queues.begin(), queues.end());
    queues.erase(std::unique(queues.begin(), queues.end()), queues.end());
    if (!c.net_admin_init) {
        return fail(errno_code::not_permitted);
    }
    const device* d = state::find_by_index(w, c.netns, ifindex);
    if (d == nullptr) {
        return fail(errno_code::no_device);
    }
    if (queues.empty()) {
        return fail(errno_code::invalid);
    }
    const core::device_handle h = d->handle;
    std::optional<std::uint32_t> common;
    for (std::size_t n = 0; n < queues.size(); ++n) {
        if (queues[n] >= d->real_rx_queues) {
            return fail(errno_code::out_of_range, "rx queue index out of range");
        }
        const auto dma = dma_device(w, queue_ref{h, queues[n]}, uapi::queue_type::rx);
        if (n > 0 && dma != common) {
            return fail(errno_code::not_supported, "DMA device mismatch between queue " + std::to_string(queues[n]) +
                                                       " and " + std::to_string(queues[n - 1]) +
                                                       " (multi-PF device?)");
        }
        common = dma;
    }
    if (!common) {
        return fail(errno_code::not_supported, "Device doesn't support DMA");
    }
    if (dmabuf_fd < 0) {
        return fail(errno_code::bad_descriptor);
    }
    const std::uint32_t id = w.next_consumer++;
    for (std::size_t n = 0; n < queues.size(); ++n) {
        const provider_params params{provider_kind::dmabuf, id};
        if (auto opened = provider_open(w, queue_ref{h, queues[n]}, params); !opened) {
            // Undo the queues already bound. Usually the scratch world is
            // simply discarded; a failure that consumed an injected fault is
            // kept (partly applied), so the undo must be explicit.
            for (std::size_t m = 0; m < n; ++m) {
                provider_close(w, queue_ref{h, queues[m]}, params);
            }
            return opened.failure();
        }
    }
    zero_copy_area area;
    area.id = id;
    area.kind = provider_kind::dmabuf;
    area.device = h;
    area.queues = queues;
    area.installed = true;
    area.buffers.resize(buffers);
    w.areas.emplace(id, std::move(area));
    return id;
}

// QL-TX-01: devmem BIND_TX. Returns the binding id (recorded on the lessor
// with the virtual device named).
inline core::result<std::uint32_t> bind_tx(world_state& w, const caller& c, std::int32_t ifindex,
                                           std::int32_t dmabuf_fd) {
    if (!c.net_admin_init) {
        return fail(errno_code::not_permitted);
    }
    const device* d = state::find_by_index(w, c.netns, ifindex);
    if (d == nullptr) {
        return fail(errno_code::no_device);
    }
    core::device_handle on = d->handle;
    if (d->netkit) {  // netmem TX capability "no DMA": walk the leases
        std::optional<core::device_handle> lessor;
        for (std::uint32_t i = 0; i < d->real_rx_queues && !lessor; ++i) {
            if (d->leased(i)) {
                const device& p = state::device_of(w, d->rxq[i].lease->device);
                if (p.present && p.nic && p.nic->config.dma_capable) {
                    lessor = p.handle;
                }
            }
        }
        if (!lessor) {
            return fail(errno_code::not_supported, "No DMA-capable device found for netmem TX");
        }
        on = *lessor;
    } else if (!d->nic || !d->nic->config.dma_capable) {
        return fail(errno_code::not_supported, "Driver does not support netmem TX");
    }
    if (dmabuf_fd < 0) {
        return fail(errno_code::bad_descriptor);
    }
    const std::uint32_t id = w.next_consumer++;
    zero_copy_area area;
    area.id = id;
    area.kind = provider_kind::dmabuf;
    area.device = on;
    area.installed = false;
    w.areas.emplace(id, std::move(area));
    return id;
}

// ------------------------------------------------------------------ AF_XDP

// Whether a device has ndo_bpf with pool setup, ndo_xdp_xmit and
// ndo_xsk_wakeup (softnic.md SN-XSK-01/02; netkit from the single-mode
// profiles on).
inline bool has_xsk_ops(const world_state& w, const device& d) {
    if (d.netkit) {
        return w.profile.xdp_setup != core::netkit_xdp_setup::no_ndo_bpf;
    }
    return d.nic && d.nic->config.xsk_capable;
}

namespace detail {

// SN-XSK-02: a softnic's pool setup.
inline core::status softnic_pool_setup(world_state& w, queue_ref q, bool enable) {
    device& d = state::device_of(w, q.device);
    if (!d.nic || !d.nic->config.xsk_capable) {
        return fail(errno_code::not_supported);
    }
    if (q.index >= d.real_rx_queues) {
        return fail(errno_code::invalid);
    }
    d.rxq[q.index].zero_copy = enable;
    return core::ok();
}

// QL-XSK-08: netkit's XDP_SETUP_XSK_POOL.
inline core::status netkit_pool_setup(world_state& w, queue_ref q, bool enable) {
    const device& v = state::device_of(w, q.device);
    if (!v.netkit->single()) {
        return fail(errno_code::not_supported);
    }
    if (q.index >= v.real_rx_queues) {
        return fail(errno_code::invalid);
    }
    if (!v.leased(q.index)) {
        return fail(errno_code::not_supported);
    }
    const queue_ref physical = *v.rxq[q.index].lease;
    const device& p = state::device_of(w, physical.device);
    if (!has_xsk_ops(w, p)) {
        return fail(errno_code::not_supported);
    }
    if (enable && !uapi::contains(p.xdp_features, uapi::af_xdp_feature_set)) {
        return fail(errno_code::not_supported);
    }
    if (enable && queue_ops::any_provider(p)) {
        return fail(errno_code::busy);
    }
    return softnic_pool_setup(w, physical, enable);
}

// ndo_bpf(XDP_SETUP_XSK_POOL) on the named device.
inline core::status pool_setup(world_state& w, queue_ref named, bool enable) {
    const device& d = state::device_of(w, named.device);
    if (d.netkit) {
        return netkit_pool_setup(w, named, enable);
    }
    return softnic_pool_setup(w, named, enable);
}

// QL-XSK-01…04: register the socket's pool at `named`.
inline core::status register_pool(world_state& w, queue_ref named, std::uint32_t socket) {
    const device& d = state::device_of(w, named.device);
    if (named.index >= std::max(d.real_rx_queues, d.real_tx_queues)) {
        return fail(errno_code::invalid);
    }
    queue_ref target = named;
    if (named.index < d.real_rx_queues) {
        const auto resolved = queue_ops::resolve_rx(w, named);
        if (!resolved) {
            return fail(errno_code::busy);
        }
        target = *resolved;
    }
    device& t = state::device_of(w, target.device);
    const bool rx_slot = target.index < t.real_rx_queues && target.index < t.rxq.size();
    const bool tx_slot = target.index < t.real_tx_queues && target.index < t.txq.size();
    if ((rx_slot && t.rxq[target.index].xsk_pool) || (tx_slot && t.txq[target.index].xsk_pool)) {
        return fail(errno_code::busy);
    }
    // QL-INV-06: a queue with a memory provider has its owner already.
    if (rx_slot && t.rxq[target.index].provider) {
        return fail(errno_code::busy);
    }
    if (rx_slot) {
        t.rxq[target.index].xsk_pool = socket;
    }
    if (tx_slot) {
        t.txq[target.index].xsk_pool = socket;
    }
    return core::ok();
}

}  // namespace detail

struct xsk_options {
    xsk_mode mode = xsk_mode::copy;
    std::uint32_t frame_size = 2048;
    bool multi_buffer = false;

    friend bool operator==(const xsk_options&, const xsk_options&) = default;
};

// QL-XSK-06: bind a new AF_XDP socket to (ifindex, queue). Returns its id.
inline core::result<std::uint32_t> xsk_bind(world_state& w, const caller& c, std::int32_t ifindex, std::uint32_t queue,
                                            const xsk_options& options = {}) {
    const device* d = state::find_by_index(w, c.netns, ifindex);
    if (d == nullptr) {
        return fail(errno_code::no_device);
    }
    const queue_ref named{d->handle, queue};
    const bool pool_here = (queue < d->real_rx_queues && queue < d->rxq.size() && d->rxq[queue].xsk_pool) ||
                           (queue < d->real_tx_queues && queue < d->txq.size() && d->txq[queue].xsk_pool);
    if (pool_here) {
        return fail(errno_code::busy);
    }
    const std::uint32_t id = w.next_consumer++;
    if (auto registered = detail::register_pool(w, named, id); !registered) {
        return registered.failure();
    }
    xsk_socket s;
    s.id = id;
    s.bound = named;
    s.frame_size = options.frame_size;
    s.multi_buffer = options.multi_buffer;
    if (options.mode != xsk_mode::copy) {
        core::status zero_copy = core::ok();
        const device& n = state::device_of(w, named.device);
        if (!has_xsk_ops(w, n)) {
            zero_copy = fail(errno_code::not_supported);
        } else if (queue_ops::any_provider(n)) {
            zero_copy = fail(errno_code::busy);
        } else {
            zero_copy = detail::pool_setup(w, named, true);
        }
        if (!zero_copy) {
            if (options.mode == xsk_mode::zero_copy_forced || !unconfirmed::zero_copy_failure_falls_back_to_copy) {
                return zero_copy.failure();  // the scratch world forgets the pool
            }
        } else {
            s.zero_copy = true;
        }
    }
    w.sockets.emplace(id, std::move(s));
    return id;
}

// QL-XSK-13: closing the socket clears its pool (and zero-copy at the NIC).
inline core::status xsk_close(world_state& w, std::uint32_t id) {
    auto it = w.sockets.find(id);
    if (it == w.sockets.end()) {
        return fail(errno_code::bad_descriptor);
    }
    if (it->second.bound) {
        queue_ops::clear_pool(w, *it->second.bound);
    }
    w.sockets.erase(id);
    return core::ok();
}

// QL-XSK-09 (netkit) and SN-XSK-02 (softnic): ndo_xsk_wakeup.
inline core::status xsk_wakeup(const world_state& w, core::device_handle h, std::uint32_t queue) {
    const device& d = state::device_of(w, h);
    if (!has_xsk_ops(w, d)) {
        return fail(errno_code::not_supported);
    }
    if (queue >= d.real_rx_queues) {
        return fail(errno_code::invalid);
    }
    if (d.netkit) {
        if (!d.leased(queue)) {
            return fail(errno_code::not_supported);
        }
        return xsk_wakeup(w, d.rxq[queue].lease->device, d.rxq[queue].lease->index);
    }
    return core::ok();
}

}  // namespace netkit::model::lease
