// The software NIC (softnic.md): a physical device — it has a parent bus
// device — with queues, channels, rings, XDP, RSS, queue restarts with
// call-order modes, fault injection, a receive path (wire injection, RSS,
// rings, NAPI poll into the stack, a memory provider's area or an AF_XDP
// socket) and a transmit path (wire log or a linked peer NIC).
//
// Like the rest of the model these are functions over world_state that
// assume a scratch copy: model/world.hpp commits them only on success.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/result.hpp>
#include <netkit/model/caller.hpp>
#include <netkit/model/device.hpp>
#include <netkit/model/links.hpp>
#include <netkit/model/queue_ops.hpp>
#include <netkit/model/queues.hpp>
#include <netkit/model/rss.hpp>
#include <netkit/model/unconfirmed.hpp>
#include <netkit/model/world_state.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netkit::model::softnic {

using core::errno_code;
using core::fail;

// ETHTOOL_A_CHANNELS_* and ETHTOOL_A_RINGS_* ids, for bad-attribute paths.
namespace ethtool_attr {
inline constexpr std::uint16_t rx_count = 6;
inline constexpr std::uint16_t tx_count = 7;
inline constexpr std::uint16_t other_count = 8;
inline constexpr std::uint16_t combined_count = 9;
inline constexpr std::uint16_t rings_rx = 6;
inline constexpr std::uint16_t rings_tx = 9;
inline constexpr std::uint16_t rings_tcp_data_split = 11;
inline constexpr std::uint16_t rings_hds_thresh = 17;
}  // namespace ethtool_attr

inline constexpr std::uint32_t hds_thresh_max = 1024;
inline constexpr std::uint32_t ring_size_max = 4096;
inline constexpr std::uint32_t napi_id_base = 8192;  // napi ids start above the per-cpu range

// What creating a softnic takes (SN-GEN-02/04).
struct spec {
    std::uint32_t ports = 1;
    std::uint32_t queues = 1;
    softnic_config config = softnic_config::nsim();

    friend bool operator==(const spec&, const spec&) = default;
};

// SN-GEN-02: one device per port, "eth%d", random MAC, down, in `ns`.
inline core::result<std::vector<core::device_handle>> create(world_state& w, core::netns_handle ns, const spec& s) {
    if (s.ports == 0 || s.queues == 0 || s.queues > 1024 || s.config.ring_size == 0 ||
        s.config.rss_table_size == 0 || s.config.napi_budget == 0) {
        return fail(errno_code::invalid);
    }
    if (!w.namespaces.contains(ns)) {
        return fail(errno_code::no_entry);
    }
    const std::uint32_t bus = w.next_softnic++;
    std::vector<core::device_handle> out;
    for (std::uint32_t port = 0; port < s.ports; ++port) {
        device d;
        d.kind = device_kind::softnic;
        d.netns = ns;
        d.has_parent = true;                       // SN-GEN-01
        d.mac = state::random_mac(w);
        d.no_arp = false;
        d.mtu = 1500;
        d.min_mtu = 68;
        d.max_mtu = 65535;                         // SN-GEN-06
        d.tx_queue_length = 1000;
        d.rx_queues = d.tx_queues = d.real_rx_queues = d.real_tx_queues = s.queues;  // SN-Q-01
        d.xdp_features = static_cast<uapi::xdp_feature>(s.config.xsk_capable ? unconfirmed::softnic_xsk_xdp_features
                                                                              : unconfirmed::softnic_xdp_features);
        softnic_state nic;
        nic.bus_id = bus;
        nic.port = port;
        nic.config = s.config;
        nic.indirection = rss::default_table(s.config.rss_table_size, s.queues);
        d.nic = std::move(nic);
        auto handle = state::register_device(w, std::move(d), "eth%d", 0);
        if (!handle) {
            return handle.failure();
        }
        device& registered = state::device_of(w, handle.value());
        registered.nic->napi_base = napi_id_base + handle.value().value() * 1024;
        out.push_back(handle.value());
    }
    return out;
}

inline core::result<device*> nic_device(world_state& w, core::device_handle h) {
    auto it = w.devices.find(h);
    if (it == w.devices.end() || it->second.state != registration::registered) {
        return fail(errno_code::no_device);
    }
    if (!it->second.nic) {
        return fail(errno_code::not_supported);
    }
    return &it->second;
}

// SN-GEN-03: removing one port or the whole NIC (every port of `bus_id`).
inline core::status remove_port(world_state& w, core::device_handle h) {
    auto d = nic_device(w, h);
    if (!d) {
        return d.failure();
    }
    links::unregister_batch(w, {h});
    return core::ok();
}

inline core::status remove(world_state& w, std::uint32_t bus_id) {
    std::vector<core::device_handle> ports;
    for (const auto& [handle, d] : std::as_const(w.devices)) {
        if (d.nic && d.nic->bus_id == bus_id && d.state == registration::registered) {
            ports.push_back(handle);
        }
    }
    if (ports.empty()) {
        return fail(errno_code::no_device);
    }
    links::unregister_batch(w, ports);
    return core::ok();
}

// netif_device_detach: the device stays registered but is not present
// (QL-CAN-02 "Lease device has been removed from the system").
inline core::status set_present(world_state& w, core::device_handle h, bool present) {
    auto d = nic_device(w, h);
    if (!d) {
        return d.failure();
    }
    d.value()->present = present;
    return core::ok();
}

// --------------------------------------------------------------- channels

struct channel_info {
    std::uint32_t max_rx = 0;
    std::uint32_t max_tx = 0;
    std::uint32_t max_other = 0;
    std::uint32_t max_combined = 0;
    std::uint32_t rx = 0;
    std::uint32_t tx = 0;
    std::uint32_t other = 0;
    std::uint32_t combined = 0;

    friend bool operator==(const channel_info&, const channel_info&) = default;
};

// SN-CH-01.
inline core::result<channel_info> get_channels(const world_state& w, core::device_handle h) {
    const device& d = state::device_of(w, h);
    if (!d.nic) {
        return fail(errno_code::not_supported);
    }
    channel_info out;
    out.max_combined = d.rx_queues;
    out.combined = d.real_rx_queues;
    return out;
}

// Which path a channel change came through: ethtool netlink (with extack)
// or the legacy ioctl (SN-CH-08, QL-ETH-03).
NETKIT_ENUM(channel_path, std::uint8_t, netlink, ioctl)

namespace detail {

// QL-ETH-02 / QL-ETH-03: the busy-queue check of a shrink.
inline core::status check_busy_queues(const world_state& w, const device& d, const channel_info& now,
                                      const channel_info& next, channel_path path) {
    auto refused = [path](const core::error& busy) {
        return fail(errno_code::invalid, path == channel_path::netlink ? busy.message : std::string{});
    };
    if (path == channel_path::ioctl || w.profile.busy_scan == core::ethtool_busy_scan::one_range) {
        const std::uint32_t from = next.combined + std::min(next.rx, next.tx);
        const std::uint32_t to = now.combined + std::max(now.rx, now.tx);
        for (std::uint32_t i = from; i < to; ++i) {
            if (auto busy = queue_ops::queue_busy(w, d, i, false, false)) {
                if (path == channel_path::ioctl) {
                    return fail(errno_code::invalid);
                }
                return fail(errno_code::invalid,
                            "requested channel counts are too low due to busy queues (AF_XDP or queue leasing)");
            }
        }
        return core::ok();
    }
    for (std::uint32_t i = next.combined + next.rx; i < now.combined + now.rx; ++i) {
        if (auto busy = queue_ops::queue_busy(w, d, i, false)) {
            return refused(*busy);
        }
    }
    for (std::uint32_t i = next.combined + next.tx; i < now.combined + now.tx; ++i) {
        if (auto busy = queue_ops::queue_busy(w, d, i, true)) {
            return refused(*busy);
        }
    }
    return core::ok();
}

inline void rebuild_default_table(device& d) {
    if (!d.nic->indirection_user_configured) {
        d.nic->indirection = rss::default_table(d.nic->config.rss_table_size, d.real_rx_queues);
    }
}

}  // namespace detail

// SN-CH-02…08 and lease.md QL-ETH-01…05 (netkit: EOPNOTSUPP, NK-RT-06).
inline core::status set_channels(world_state& w, core::device_handle h, const links::channel_counts& request,
                                 channel_path path = channel_path::netlink) {
    const device& d = state::device_of(w, h);
    if (!d.nic) {
        return links::ethtool_set_channels(w, h, request);
    }
    const channel_info now = get_channels(w, h).value();
    channel_info next = now;
    next.rx = request.rx.value_or(now.rx);
    next.tx = request.tx.value_or(now.tx);
    next.other = request.other.value_or(now.other);
    next.combined = request.combined.value_or(now.combined);
    const bool netlink = path == channel_path::netlink;
    if (next == now) {
        return core::ok();  // SN-CH-02 (the ioctl compares with the current counts too)
    }
    auto at = [netlink](core::error e, std::uint16_t attribute) {
        return netlink ? std::move(e).at({attribute}) : core::fail(e.code);
    };
    const char* too_many = "requested channel count exceeds maximum";
    if (next.rx > now.max_rx) {
        return at(fail(errno_code::invalid, too_many), ethtool_attr::rx_count);  // SN-CH-03
    }
    if (next.tx > now.max_tx) {
        return at(fail(errno_code::invalid, too_many), ethtool_attr::tx_count);
    }
    if (next.other > now.max_other) {
        return at(fail(errno_code::invalid, too_many), ethtool_attr::other_count);
    }
    if (next.combined > now.max_combined) {
        return at(fail(errno_code::invalid, too_many), ethtool_attr::combined_count);
    }
    if (next.combined == 0 && (next.rx == 0 || next.tx == 0)) {  // SN-CH-04
        if (!netlink) {
            return fail(errno_code::invalid);
        }
        auto e = fail(errno_code::invalid,
                      "requested channel counts would result in no RX or TX channel being configured");
        return request.combined ? std::move(e).at({ethtool_attr::combined_count}) : e;
    }
    // SN-CH-05: RSS table, then memory providers.
    const std::uint32_t channels = next.combined + next.rx;
    if (d.nic->indirection_user_configured && !d.nic->indirection.empty()) {
        const std::uint32_t highest = *std::max_element(d.nic->indirection.begin(), d.nic->indirection.end());
        if (channels <= highest) {
            return netlink ? fail(errno_code::invalid,
                                  "requested channel counts are too low for existing indirection table (" +
                                      std::to_string(highest) + ")")
                           : fail(errno_code::invalid);
        }
    }
    std::uint32_t provider_bound = 0;
    for (std::uint32_t i = 0; i < d.real_rx_queues; ++i) {
        if (d.has_provider(i)) {
            provider_bound = i + 1;
        }
    }
    const bool provider_refused = unconfirmed::provider_channel_check_refuses_equal ? channels <= provider_bound
                                                                                    : channels < provider_bound;
    if (provider_bound > 0 && provider_refused) {
        return netlink ? fail(errno_code::invalid,
                              "requested channel counts are too low for existing memory provider setting (" +
                                  std::to_string(provider_bound) + ")")
                       : fail(errno_code::invalid);
    }
    // SN-CH-06 / QL-ETH-02.
    if (auto busy = detail::check_busy_queues(w, d, now, next, path); !busy) {
        return busy;
    }
    // SN-CH-07: real rx = real tx = combined.
    device& m = state::device_of(w, h);
    m.real_rx_queues = m.real_tx_queues = next.combined;
    detail::rebuild_default_table(m);
    return core::ok();
}

// ------------------------------------------------------------------ rings

struct ring_info {
    tcp_data_split data_split = tcp_data_split::enabled;  // reported (SN-HDS-02)
    tcp_data_split configured = tcp_data_split::unknown;
    std::uint32_t hds_thresh = 0;
    std::uint32_t hds_thresh_max = softnic::hds_thresh_max;  // qualified: the bare name is this member (SN-HDS-02)
    std::uint32_t rx = 512;
    std::uint32_t tx = 512;
    std::uint32_t rx_max = ring_size_max;
    std::uint32_t tx_max = ring_size_max;

    friend bool operator==(const ring_info&, const ring_info&) = default;
};

struct ring_request {
    std::optional<tcp_data_split> data_split;
    std::optional<std::uint32_t> hds_thresh;
    std::optional<std::uint32_t> rx;
    std::optional<std::uint32_t> tx;

    friend bool operator==(const ring_request&, const ring_request&) = default;
};

// SN-HDS-02.
inline core::result<ring_info> get_rings(const world_state& w, core::device_handle h) {
    const device& d = state::device_of(w, h);
    if (!d.nic) {
        return fail(errno_code::not_supported);
    }
    ring_info out;
    out.configured = d.nic->data_split;
    out.data_split = d.nic->data_split == tcp_data_split::unknown ? tcp_data_split::enabled : d.nic->data_split;
    out.hds_thresh = d.nic->hds_thresh;
    out.rx = d.nic->rx_ring_size;
    out.tx = d.nic->tx_ring_size;
    return out;
}

// SN-HDS-03.
inline core::status set_rings(world_state& w, core::device_handle h, const ring_request& r) {
    device& d = state::device_of(w, h);
    if (!d.nic) {
        return fail(errno_code::not_supported);
    }
    softnic_state& nic = *d.nic;
    const tcp_data_split split = r.data_split.value_or(nic.data_split);
    const std::uint32_t thresh = r.hds_thresh.value_or(nic.hds_thresh);
    const std::uint32_t rx = r.rx.value_or(nic.rx_ring_size);
    const std::uint32_t tx = r.tx.value_or(nic.tx_ring_size);
    if (split == nic.data_split && thresh == nic.hds_thresh && rx == nic.rx_ring_size && tx == nic.tx_ring_size) {
        return core::ok();
    }
    if (split == tcp_data_split::enabled && nic.xdp && !nic.xdp->multi_buffer) {
        return fail(errno_code::invalid, "tcp-data-split can not be enabled with single buffer XDP")
            .at({ethtool_attr::rings_tcp_data_split});
    }
    if (queue_ops::any_provider(d)) {
        if (split != tcp_data_split::enabled) {
            return fail(errno_code::invalid, "can't disable tcp-data-split while device has memory provider enabled")
                .at({ethtool_attr::rings_tcp_data_split});
        }
        if (thresh != 0) {
            return fail(errno_code::invalid, "can't set non-zero hds_thresh while device is memory provider enabled")
                .at({ethtool_attr::rings_hds_thresh});
        }
    }
    if (rx > ring_size_max || tx > ring_size_max || thresh > hds_thresh_max) {
        const std::uint16_t attribute = rx > ring_size_max   ? ethtool_attr::rings_rx
                                        : tx > ring_size_max ? ethtool_attr::rings_tx
                                                             : ethtool_attr::rings_hds_thresh;
        return fail(errno_code::invalid, "requested ring size exceeds maximum").at({attribute});
    }
    nic.data_split = split;
    nic.hds_thresh = thresh;
    nic.rx_ring_size = rx;
    nic.tx_ring_size = tx;
    return core::ok();
}

// -------------------------------------------------------------------- XDP

// SN-XDP-01 on a softnic; netkit refuses native XDP (lease.md QL-XSK-07);
// the other virtual kinds have no XDP in the model. nullopt detaches.
inline core::status attach_xdp(world_state& w, core::device_handle h, std::optional<xdp_program> program) {
    device& d = state::device_of(w, h);
    if (d.netkit) {
        switch (w.profile.xdp_setup) {
            case core::netkit_xdp_setup::not_permitted: return fail(errno_code::not_permitted);
            case core::netkit_xdp_setup::not_supported:
            case core::netkit_xdp_setup::no_ndo_bpf: return fail(errno_code::not_supported);
        }
    }
    if (!d.nic) {
        return fail(errno_code::not_supported);
    }
    if (!program) {
        d.nic->xdp.reset();
        return core::ok();
    }
    if (d.nic->data_split == tcp_data_split::enabled && !program->multi_buffer) {
        return fail(errno_code::busy, "unable to install XDP to device using tcp-data-split");
    }
    if (queue_ops::any_provider(d)) {
        return fail(errno_code::busy, "unable to install XDP to device using memory provider");  // QL-PSM-24
    }
    d.nic->xdp = *program;
    return core::ok();
}

// ----------------------------------------------------------------- restart

// SN-RST-04: the harness's queue_reset.
inline core::status queue_reset(world_state& w, core::device_handle h, std::uint32_t queue, std::uint32_t mode) {
    auto d = nic_device(w, h);
    if (!d) {
        return d.failure();
    }
    if (queue >= d.value()->real_rx_queues) {
        return fail(errno_code::invalid);
    }
    d.value()->nic->restart_mode = mode;
    auto outcome = queue_ops::restart_queue(w, h, queue);
    state::device_of(w, h).nic->restart_mode = 0;
    return outcome;
}

// SN-RST-06: the next `times` calls of `point` fail with `error`.
inline core::status arm_fault(world_state& w, core::device_handle h, fault_point point, errno_code error,
                              std::uint32_t times = 1) {
    auto d = nic_device(w, h);
    if (!d) {
        return d.failure();
    }
    if (times == 0) {
        d.value()->nic->armed_faults.erase(point);
    } else {
        d.value()->nic->armed_faults[point] = armed_fault{error, times};
    }
    return core::ok();
}

// -------------------------------------------------------------------- RSS

NETKIT_ENUM(hash_function, std::uint8_t, toeplitz, xor_fold, crc32)

// SN-RSS-01.
inline core::status set_rss_key(world_state& w, core::device_handle h, const std::vector<std::uint8_t>& key) {
    auto d = nic_device(w, h);
    if (!d) {
        return d.failure();
    }
    if (key.size() != d.value()->nic->key.size()) {
        return fail(errno_code::invalid);
    }
    std::copy(key.begin(), key.end(), d.value()->nic->key.begin());
    return core::ok();
}

inline core::status set_hash_function(world_state& w, core::device_handle h, hash_function f) {
    auto d = nic_device(w, h);
    if (!d) {
        return d.failure();
    }
    return f == hash_function::toeplitz ? core::ok() : core::status(fail(errno_code::not_supported));
}

// SN-RSS-06: every entry < real rx; an empty table restores the default.
inline core::status set_indirection(world_state& w, core::device_handle h, const std::vector<std::uint32_t>& table) {
    auto d = nic_device(w, h);
    if (!d) {
        return d.failure();
    }
    device& dev = *d.value();
    if (table.empty()) {
        dev.nic->indirection_user_configured = false;
        detail::rebuild_default_table(dev);
        return core::ok();
    }
    for (const auto entry : table) {
        if (entry >= dev.real_rx_queues) {
            return fail(errno_code::invalid);
        }
    }
    dev.nic->indirection = table;
    dev.nic->indirection_user_configured = true;
    return core::ok();
}

inline core::status set_rss_fields(world_state& w, core::device_handle h, const rss_fields& fields) {
    auto d = nic_device(w, h);
    if (!d) {
        return d.failure();
    }
    d.value()->nic->fields = fields;
    return core::ok();
}

// ---------------------------------------------------------------- receive

// Where one frame ended (softnic.md SN-RX, lease.md QL-XSK-11).
NETKIT_ENUM(rx_end, std::uint8_t, queued, stack, zero_copy, af_xdp, xdp_consumed, dropped_device_down,
            dropped_ring_full, dropped_no_buffer, dropped_xsk_rejected, dropped_xsk_too_large)

struct rx_outcome {
    rx_end end = rx_end::stack;
    std::uint32_t queue = 0;
    std::uint32_t consumer = 0;  // area, binding or socket id
    std::uint32_t buffer = 0;    // the area's buffer index (zero_copy)

    friend bool operator==(const rx_outcome&, const rx_outcome&) = default;
};

// SN-RX-01/02: the drop a frame arriving at ring `queue` meets (device down,
// ring full; counted on `drop_counter`), or nullopt when the ring takes it.
inline std::optional<rx_outcome> drop_before_ring(device& d, std::uint32_t queue, std::uint64_t& drop_counter) {
    if (!d.up) {
        ++d.counters.rx_dropped;
        return rx_outcome{rx_end::dropped_device_down, queue};
    }
    if (d.rxq.at(queue).ring.size() >= d.nic->config.ring_size) {
        ++drop_counter;
        return rx_outcome{rx_end::dropped_ring_full, queue};
    }
    return std::nullopt;
}

namespace detail {

// SN-RX-01/02: onto a ring, or dropped (counted on `drop_counter`).
inline rx_outcome enqueue(device& d, std::uint32_t queue, frame f, std::uint64_t& drop_counter) {
    if (auto dropped = drop_before_ring(d, queue, drop_counter)) {
        return *dropped;
    }
    d.rxq[queue].ring.push_back(std::move(f));
    return rx_outcome{rx_end::queued, queue};
}

}  // namespace detail

// SN-RX-01 after RSS: a frame from the wire onto RX queue `queue`, chosen by
// the caller (the packet path hashes whole bursts, packet/path.hpp); a queue
// at or above real rx takes queue 0, as `inject` does.
inline core::result<rx_outcome> inject_to_queue(world_state& w, core::device_handle h, std::uint32_t queue, frame f) {
    auto found = nic_device(w, h);
    if (!found) {
        return found.failure();
    }
    device& d = *found.value();
    return detail::enqueue(d, queue < d.real_rx_queues ? queue : 0, std::move(f), d.counters.rx_dropped);
}

// SN-RX-01: a frame from the wire, steered by RSS (SN-RSS-07).
inline core::result<rx_outcome> inject(world_state& w, core::device_handle h, frame f) {
    auto found = nic_device(w, h);
    if (!found) {
        return found.failure();
    }
    const std::uint32_t queue = rss::select_queue(*found.value()->nic, f.bytes);
    return inject_to_queue(w, h, queue, std::move(f));
}

// lease.md QL-XSK-11: may a frame received on (R, r) go to this socket?
inline core::status xsk_receive_check(const world_state& w, const xsk_socket& s, queue_ref received) {
    if (!s.bound) {
        return fail(errno_code::no_such_device_or_address);
    }
    if (*s.bound == received) {
        return core::ok();
    }
    const device& named = state::device_of(w, s.bound->device);
    if (named.leased(s.bound->index) && named.rxq[s.bound->index].lease == received) {
        return core::ok();
    }
    return fail(errno_code::invalid);
}

namespace detail {

// An AF_XDP socket whose pool sits on (h, q), directly or through a lease.
inline xsk_socket* socket_at(world_state& w, queue_ref q) {
    const auto& pool = state::device_of(w, q.device).rxq.at(q.index).xsk_pool;
    if (!pool) {
        return nullptr;
    }
    auto it = w.sockets.find(*pool);
    return it == w.sockets.end() ? nullptr : &it->second;
}

inline rx_outcome to_provider(world_state& w, device& d, std::uint32_t queue, std::uint32_t length,
                              const provider_params& params) {
    auto it = w.areas.find(params.consumer);
    if (it == w.areas.end()) {
        ++d.counters.rx_dropped;
        return rx_outcome{rx_end::dropped_no_buffer, queue, params.consumer};
    }
    zero_copy_area& area = it->second;
    if (!area.mapped) {
        // The NIC writes into memory its owner has already unmapped.
        w.hazards.push_back(hazard{hazard_kind::buffer_after_unmap, d.handle, queue, area.id});
        ++d.counters.rx_dropped;
        return rx_outcome{rx_end::dropped_no_buffer, queue, area.id};
    }
    for (std::uint32_t b = 0; b < area.buffers.size(); ++b) {
        if (area.buffers[b].owner == buffer_owner::free_list) {
            area.buffers[b] = buffer{buffer_owner::kernel, length};
            ++d.counters.rx_packets;
            d.counters.rx_bytes += length;
            return rx_outcome{rx_end::zero_copy, queue, area.id, b};
        }
    }
    ++d.counters.rx_dropped;
    return rx_outcome{rx_end::dropped_no_buffer, queue, area.id};
}

}  // namespace detail

// SN-RX-03 for one frame of `length` bytes taken off ring `queue` of NIC
// `d` (handle `h`): XDP, then the memory provider or the stack. `take()`
// yields the frame, called only when an AF_XDP socket keeps it, so a caller
// holding the bytes elsewhere builds no frame for the other ends.
template <class Take>
rx_outcome process_frame(world_state& w, device& d, core::device_handle h, std::uint32_t queue, std::uint32_t length,
                         Take&& take) {
    rx_queue& q = d.rxq[queue];
    if (d.nic->xdp && d.nic->xdp->verdict != xdp_verdict::pass) {
        if (d.nic->xdp->verdict == xdp_verdict::redirect_xsk) {
            xsk_socket* s = detail::socket_at(w, queue_ref{h, queue});
            if (s == nullptr || !xsk_receive_check(w, *s, queue_ref{h, queue})) {
                ++d.counters.rx_dropped;
                return rx_outcome{rx_end::dropped_xsk_rejected, queue, s ? s->id : 0};
            }
            if (length > s->frame_size && !s->multi_buffer) {  // QL-XSK-12
                ++s->rx_dropped;
                return rx_outcome{rx_end::dropped_xsk_too_large, queue, s->id};
            }
            ++d.counters.rx_packets;
            d.counters.rx_bytes += length;
            s->rx_ring.push_back(take());
            return rx_outcome{rx_end::af_xdp, queue, s->id};
        }
        ++d.counters.rx_packets;  // consumed by XDP: counted as received
        d.counters.rx_bytes += length;
        return rx_outcome{rx_end::xdp_consumed, queue};
    }
    if (const auto params = q.provider) {
        return detail::to_provider(w, d, queue, length, *params);
    }
    ++d.counters.rx_packets;
    d.counters.rx_bytes += length;
    return rx_outcome{rx_end::stack, queue};
}

// SN-RX-03: one NAPI poll of queue `queue`: up to the budget, FIFO.
inline core::result<std::vector<rx_outcome>> poll(world_state& w, core::device_handle h, std::uint32_t queue) {
    auto found = nic_device(w, h);
    if (!found) {
        return found.failure();
    }
    if (queue >= found.value()->real_rx_queues) {
        return fail(errno_code::invalid);  // SN-RX-04
    }
    if (!found.value()->up) {
        return fail(errno_code::network_down);  // no NAPI instance while down (SN-Q-02)
    }
    std::vector<rx_outcome> out;
    for (std::uint32_t n = 0; n < found.value()->nic->config.napi_budget; ++n) {
        device& d = state::device_of(w, h);
        rx_queue& q = d.rxq[queue];
        if (q.ring.empty()) {
            break;
        }
        frame f = std::move(q.ring.front());
        q.ring.erase(q.ring.begin());
        out.push_back(process_frame(w, d, h, queue, f.length(), [&f]() -> frame { return std::move(f); }));
    }
    return out;
}

// --------------------------------------------------------------- transmit

// SN-TX-02: link two NICs as peers (netdevsim's link_device).
inline core::status link_peers(world_state& w, core::device_handle a, core::device_handle b) {
    auto da = nic_device(w, a);
    auto db = nic_device(w, b);
    if (!da || !db) {
        return fail(errno_code::no_device);
    }
    if (a == b || da.value()->nic->linked_peer || db.value()->nic->linked_peer) {
        return fail(errno_code::busy);
    }
    da.value()->nic->linked_peer = b;
    db.value()->nic->linked_peer = a;
    return core::ok();
}

// SN-TX-01/02: transmit on TX queue `tx_queue`.
inline core::result<rx_outcome> transmit(world_state& w, core::device_handle h, frame f, std::uint32_t tx_queue = 0) {
    auto found = nic_device(w, h);
    if (!found) {
        return found.failure();
    }
    device& d = *found.value();
    if (!d.up) {
        ++d.counters.tx_dropped;
        return rx_outcome{rx_end::dropped_device_down};
    }
    const std::uint32_t length = f.length();
    if (!d.nic->linked_peer) {
        d.nic->wire_log.push_back(std::move(f));
        ++d.counters.tx_packets;
        d.counters.tx_bytes += length;
        return rx_outcome{rx_end::queued};
    }
    device& peer = state::device_of(w, *d.nic->linked_peer);
    const std::uint32_t queue = tx_queue % peer.rx_queues;
    auto outcome = detail::enqueue(peer, queue, std::move(f), d.counters.tx_dropped);
    if (outcome.end == rx_end::queued) {
        ++d.counters.tx_packets;
        d.counters.tx_bytes += length;
    }
    return outcome;
}

}  // namespace netkit::model::softnic
