// The receive path of the software NIC as one pipeline (issue 6): frames from
// the wire at a NIC port → RSS queue (softnic.md SN-RSS-07) → ring (SN-RX-01/
// 02) → NAPI poll (SN-RX-03): XDP, an AF_XDP socket through a lease (lease.md
// QL-XSK-11/12), the zero-copy area of a memory provider (QL-MP-07), or the
// stack → optionally up the stack into a netkit device's transmit
// (device.md NK-XMIT-01…17) → its peer; a single device drops (NK-XMIT-14).
// Every frame ends in exactly one `frame_outcome`: delivered to a named
// endpoint, dropped with a named reason, or redirected.
//
// Three implementations, one answer (props/packet/path.cpp checks outcomes
// and the whole world for equality on every input, malformed frames
// included):
// - `receive_scalar`, the reference: the model's own API one frame at a
//   time — world.inject, world.poll until the frame is processed,
//   world.transmit — each call on a scratch copy of the world.
// - `receive_per_frame`, the plain per-frame path: per frame, find the
//   port, parse, hash, select the queue, deliver in place.
// - `receive_burst`: parse_burst + hash_burst + the indirection table for
//   the whole burst (struct of arrays), then delivery in arrival order, in
//   place (delivery is stateful: rings, buffers, counters, the programs'
//   observations, the backlog). A burst checks once whether the port is in
//   its common state (up, no XDP verdict but PASS, every active ring empty,
//   no memory provider); then every frame goes straight to the stack and
//   the NIC's counters move once per burst.
//
// Frames already on a ring before a burst (left there by the harness without
// a poll) are processed first, in FIFO order, as the poll finds them, and are
// accounted as `carried` outcomes. The stack's transmit is run after the
// poll's batch in the reference and right after each frame in the others;
// the two orders commute because the NIC's receive side and the netkit
// transmit touch disjoint state (the tests check that the worlds are equal).
#pragma once

#include <netkit/core/enum.hpp>
#include <netkit/core/ids.hpp>
#include <netkit/core/invariant.hpp>
#include <netkit/model/frame.hpp>
#include <netkit/model/softnic.hpp>
#include <netkit/model/transmit.hpp>
#include <netkit/model/world.hpp>
#include <netkit/model/world_state.hpp>
#include <netkit/packet/parse.hpp>
#include <netkit/packet/toeplitz.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace netkit::packet {

// Where frames arrive and where the stack sends them.
struct path_config {
    core::device_handle port;                       // the NIC port (SN-RX-01)
    std::optional<core::device_handle> forward_to;  // the netkit device "up the stack" frames are sent on

    friend bool operator==(const path_config&, const path_config&) = default;
};

NETKIT_ENUM(outcome_kind, std::uint8_t, delivered, dropped, redirected)

// The endpoints a frame is delivered to: an AF_XDP socket's ring
// (QL-XSK-11), a buffer of a zero-copy area (QL-MP-07), the local stack
// (no forwarding configured), the netkit peer's receive backlog
// (NK-XMIT-10).
NETKIT_ENUM(endpoint, std::uint8_t, none, af_xdp_socket, zero_copy_buffer, stack, netkit_peer)

// Why a frame was dropped. NIC: no_port (the port is not a NIC), device_down
// (SN-RX-01), ring_full (SN-RX-02), no_buffer (no free buffer, or the area is
// gone or unmapped), xsk_rejected (QL-XSK-11), xsk_too_large (QL-XSK-12),
// xdp_verdict (a verdict other than PASS consumed it, SN-RX-03; counted as
// received). Stack: no_route (the forwarding device is gone or not netkit).
// netkit: one per model::drop_reason (NK-XMIT-02, -11, -13, -14).
NETKIT_ENUM(drop_reason, std::uint8_t, none, no_port, device_down, ring_full, no_buffer, xsk_rejected, xsk_too_large,
            xdp_verdict, no_route, netkit_no_peer, netkit_peer_down, netkit_too_short, netkit_zero_copy_orphan_failed,
            netkit_verdict_drop, netkit_backlog_full, netkit_redirect_target_missing, netkit_recursion_limit,
            netkit_ingress_program)

struct frame_outcome {
    outcome_kind kind = outcome_kind::dropped;
    endpoint where = endpoint::none;         // delivered
    drop_reason reason = drop_reason::none;  // dropped
    bool forwarded = false;                  // went through the netkit device's transmit
    std::uint32_t length = 0;
    std::uint32_t queue = 0;     // the RX queue RSS chose (SN-RSS-07); 0 for no_port
    std::uint32_t consumer = 0;  // AF_XDP socket, zero-copy area or devmem binding id
    std::uint32_t buffer = 0;    // the area's buffer (zero_copy_buffer)
    std::int32_t verdict = 0;    // the netkit verdict (forwarded)
    std::uint32_t programs_run = 0;
    std::optional<core::device_handle> device;       // netkit_peer: the peer; redirected: the target (nullopt: freed)
    std::optional<core::device_handle> received_by;  // redirected: the device whose stack took the frame
    std::optional<std::int32_t> ingress_verdict;     // the receiver's tcx ingress programs (MP-64)

    friend bool operator==(const frame_outcome&, const frame_outcome&) = default;
};

// The frame reached the NIC's stack hand-off (rx_end::stack), forwarded or not.
constexpr bool reached_stack(const frame_outcome& o) noexcept {
    return o.where == endpoint::stack || o.forwarded || o.reason == drop_reason::no_route;
}

// What the NIC counts in rx_packets / rx_bytes (SN-RX-03): every frame it
// handed to a consumer, to XDP or to the stack.
constexpr bool counted_received(const frame_outcome& o) noexcept {
    return reached_stack(o) || o.where == endpoint::af_xdp_socket || o.where == endpoint::zero_copy_buffer ||
           o.reason == drop_reason::xdp_verdict;
}

// What the NIC counts in rx_dropped (SN-RX-01/02, QL-XSK-11, no buffer).
constexpr bool counted_nic_drop(const frame_outcome& o) noexcept {
    return o.reason == drop_reason::device_down || o.reason == drop_reason::ring_full ||
           o.reason == drop_reason::no_buffer || o.reason == drop_reason::xsk_rejected;
}

constexpr bool is_netkit_drop(drop_reason r) noexcept { return r >= drop_reason::netkit_no_peer; }

inline std::string to_string(const frame_outcome& o) {
    std::string out{core::enum_name(o.kind)};
    if (o.kind == outcome_kind::delivered) {
        out += " to ";
        out += core::enum_name(o.where);
    } else if (o.kind == outcome_kind::dropped) {
        out += " (";
        out += core::enum_name(o.reason);
        out += ")";
    }
    out += " queue " + std::to_string(o.queue) + " length " + std::to_string(o.length);
    if (o.where == endpoint::af_xdp_socket || o.where == endpoint::zero_copy_buffer || o.consumer != 0) {
        out += " consumer " + std::to_string(o.consumer) + " buffer " + std::to_string(o.buffer);
    }
    if (o.forwarded) {
        out += " verdict " + std::to_string(o.verdict) + " programs " + std::to_string(o.programs_run);
    }
    if (o.device) {
        out += " device " + std::to_string(o.device->value());
    }
    if (o.received_by) {
        out += " received_by " + std::to_string(o.received_by->value());
    }
    if (o.ingress_verdict) {
        out += " ingress " + std::to_string(*o.ingress_verdict);
    }
    return out;
}

// What a run of the path produced: one outcome per input frame, in input
// order, and the outcomes of frames that were on a ring before, in the
// order they were processed.
struct receive_result {
    std::vector<frame_outcome> frames;
    std::vector<frame_outcome> carried;

    friend bool operator==(const receive_result&, const receive_result&) = default;
};

namespace detail {

// Makes the key to world::data_path (model/world.hpp): the batched path
// runs its data-path steps on the world's state in place.
struct path_access {
    static model::data_path_key key() noexcept { return model::data_path_key{}; }
};

inline frame_outcome dropped(drop_reason reason, std::uint32_t queue, std::uint32_t length) {
    frame_outcome o;
    o.kind = outcome_kind::dropped;
    o.reason = reason;
    o.queue = queue;
    o.length = length;
    return o;
}

inline frame_outcome delivered(endpoint where, std::uint32_t queue, std::uint32_t length) {
    frame_outcome o;
    o.kind = outcome_kind::delivered;
    o.where = where;
    o.queue = queue;
    o.length = length;
    return o;
}

// The NIC's part of the outcome (SN-RX-01…03).
inline frame_outcome from_nic(const model::softnic::rx_outcome& r, std::uint32_t length) {
    using model::softnic::rx_end;
    frame_outcome o;
    switch (r.end) {
        case rx_end::stack: o = delivered(endpoint::stack, r.queue, length); break;
        case rx_end::zero_copy: o = delivered(endpoint::zero_copy_buffer, r.queue, length); break;
        case rx_end::af_xdp: o = delivered(endpoint::af_xdp_socket, r.queue, length); break;
        case rx_end::xdp_consumed: o = dropped(drop_reason::xdp_verdict, r.queue, length); break;
        case rx_end::dropped_device_down: o = dropped(drop_reason::device_down, r.queue, length); break;
        case rx_end::dropped_ring_full: o = dropped(drop_reason::ring_full, r.queue, length); break;
        case rx_end::dropped_no_buffer: o = dropped(drop_reason::no_buffer, r.queue, length); break;
        case rx_end::dropped_xsk_rejected: o = dropped(drop_reason::xsk_rejected, r.queue, length); break;
        case rx_end::dropped_xsk_too_large: o = dropped(drop_reason::xsk_too_large, r.queue, length); break;
        case rx_end::queued: core::expects(false, "a processed frame is no longer queued"); break;
    }
    o.consumer = r.consumer;
    o.buffer = r.buffer;
    return o;
}

static_assert(core::enum_count<model::drop_reason> == 10, "every netkit drop reason has a path drop reason");

constexpr drop_reason netkit_reason(model::drop_reason r) noexcept {
    switch (r) {
        case model::drop_reason::none: break;
        case model::drop_reason::no_peer: return drop_reason::netkit_no_peer;
        case model::drop_reason::peer_down: return drop_reason::netkit_peer_down;
        case model::drop_reason::too_short: return drop_reason::netkit_too_short;
        case model::drop_reason::zero_copy_orphan_failed: return drop_reason::netkit_zero_copy_orphan_failed;
        case model::drop_reason::verdict_drop: return drop_reason::netkit_verdict_drop;
        case model::drop_reason::backlog_full: return drop_reason::netkit_backlog_full;
        case model::drop_reason::redirect_target_missing: return drop_reason::netkit_redirect_target_missing;
        case model::drop_reason::recursion_limit: return drop_reason::netkit_recursion_limit;
        case model::drop_reason::ingress_program: return drop_reason::netkit_ingress_program;
    }
    return drop_reason::netkit_verdict_drop;
}

// The netkit transmit's part (NK-XMIT-10…14) of a frame that reached the stack.
inline void from_transmit(const model::transmit_result& r, frame_outcome& o) {
    o.forwarded = true;
    o.where = endpoint::none;
    o.verdict = r.verdict;
    o.programs_run = r.programs_run;
    if (r.status == model::transmit_status::dropped) {
        o.kind = outcome_kind::dropped;
        o.reason = netkit_reason(r.reason);
        return;
    }
    if (r.verdict == static_cast<std::int32_t>(uapi::action::redirect)) {
        o.kind = outcome_kind::redirected;
        o.device = r.redirected_to;
        if (r.delivered) {
            o.received_by = r.delivered->device;
            o.ingress_verdict = r.delivered->ingress_verdict;
        }
        return;
    }
    core::expects(r.delivered.has_value(), "a frame sent with NEXT or PASS is delivered to the peer");
    o.kind = outcome_kind::delivered;
    o.where = endpoint::netkit_peer;
    o.device = r.delivered->device;
    o.ingress_verdict = r.delivered->ingress_verdict;
}

// The stack routes to the forwarding device only while it is registered
// and is netkit.
inline bool routable(const model::world_state& w, core::device_handle h) {
    const auto it = w.devices.find(h);
    return it != w.devices.end() && it->second.visible() && it->second.is_netkit();
}

// A frame the NIC handed to the stack: forwarded, or kept by the stack.
template <class Make>
void forward(model::world_state& w, const path_config& c, bool route, Make&& make, frame_outcome& o) {
    if (!c.forward_to) {
        return;
    }
    if (!route) {
        o = dropped(drop_reason::no_route, o.queue, o.length);
        return;
    }
    from_transmit(model::transmit(w, *c.forward_to, make()), o);
}

// Everything after RSS for one frame on RX queue `queue` of the NIC `port`
// (handle `h`): the ring's admission, then the polls that reach it — the
// frames already on the ring first, as carried outcomes — and the stack's
// forwarding. `make()` builds the frame as the model stores it; it is called
// at most once per frame, and only where a frame is kept or transmitted.
template <class Make>
void deliver(model::world_state& w, model::device& port, core::device_handle h, const path_config& c, bool route,
             std::uint32_t queue, std::uint32_t length, Make&& make, frame_outcome& out,
             std::vector<frame_outcome>& carried) {
    if (auto refused = model::softnic::drop_before_ring(port, queue, port.counters.rx_dropped)) {
        out = from_nic(*refused, length);
        return;
    }
    auto& ring = port.rxq[queue].ring;
    if (ring.empty()) {
        // Queued and polled at once: the poll finds this frame alone.
        out = from_nic(model::softnic::process_frame(w, port, h, queue, length, make), length);
        if (out.where == endpoint::stack) {
            forward(w, c, route, make, out);
        }
        return;
    }
    ring.push_back(make());
    while (!ring.empty()) {
        model::frame f = std::move(ring.front());
        ring.erase(ring.begin());
        const bool own = ring.empty();  // the frame pushed last is this one
        const std::uint32_t taken_length = f.length();
        auto take = [&f]() -> model::frame { return std::move(f); };
        frame_outcome o = from_nic(model::softnic::process_frame(w, port, h, queue, taken_length, take), taken_length);
        if (o.where == endpoint::stack) {
            forward(w, c, route, take, o);
        }
        if (own) {
            out = o;
        } else {
            carried.push_back(o);
        }
    }
}

}  // namespace detail

// ------------------------------------------------------------ reference

// The reference: exactly the model, one frame at a time, through the
// world's public operations (each on a scratch copy of the world).
inline receive_result receive_scalar(model::world& w, const path_config& c, std::span<const model::frame> frames) {
    using model::softnic::rx_end;
    receive_result out;
    out.frames.reserve(frames.size());
    for (const model::frame& f : frames) {
        auto injected = w.inject(c.port, f);
        if (!injected) {
            out.frames.push_back(detail::dropped(drop_reason::no_port, 0, f.length()));
            continue;
        }
        const model::softnic::rx_outcome arrived = injected.value();
        if (arrived.end != rx_end::queued) {
            out.frames.push_back(detail::from_nic(arrived, f.length()));
            continue;
        }
        // The ring ends with this frame; the polls take the ones before it first.
        const std::vector<model::frame> ring = w.at(c.port).rxq[arrived.queue].ring;
        std::size_t next = 0;
        while (next < ring.size()) {
            auto polled = w.poll(c.port, arrived.queue);
            core::expects(polled.ok() && !polled.value().empty(), "the queue of a queued frame polls");
            for (const auto& r : polled.value()) {
                const model::frame& taken = ring[next++];
                frame_outcome o = detail::from_nic(r, taken.length());
                if (r.end == rx_end::stack && c.forward_to) {
                    if (detail::routable(w.state(), *c.forward_to)) {
                        detail::from_transmit(w.transmit(*c.forward_to, taken), o);
                    } else {
                        o = detail::dropped(drop_reason::no_route, o.queue, o.length);
                    }
                }
                (next == ring.size() ? out.frames : out.carried).push_back(o);
            }
        }
    }
    return out;
}

// ---------------------------------------------------------------- bursts

// A burst and its workspace: the frames (views of their bytes, and the model
// frames when the caller has them), the parsed columns, hashes, queues and
// outcomes, and the Toeplitz key derived from the port's key (rebuilt only
// when that key changes). Reused from burst to burst.
template <std::size_t Capacity = 256>
struct rx_burst {
    static_assert(Capacity >= 1 && Capacity <= 256, "a burst holds 1 to 256 frames");
    static constexpr std::size_t capacity = Capacity;

    std::size_t size = 0;
    std::array<frame_view, Capacity> views{};
    const model::frame* frames = nullptr;  // the frames `views` show, or null: bare bytes, default metadata
    burst<Capacity> parsed;
    std::array<std::uint32_t, Capacity> hash{};
    std::array<bool, Capacity> hashed{};
    std::array<std::uint32_t, Capacity> queue{};
    std::array<frame_outcome, Capacity> outcome{};
    std::vector<frame_outcome> carried;
    std::unique_ptr<toeplitz_key> key;

    void load(std::span<const model::frame> in) {
        core::expects(in.size() <= Capacity, "a burst is given at most its capacity of frames");
        size = in.size();
        frames = in.data();
        for (std::size_t i = 0; i < size; ++i) {
            views[i] = in[i].bytes;
        }
    }

    void load(std::span<const frame_view> in) {
        core::expects(in.size() <= Capacity, "a burst is given at most its capacity of frames");
        size = in.size();
        frames = nullptr;
        for (std::size_t i = 0; i < size; ++i) {
            views[i] = in[i];
        }
    }

    // Frame i as the model stores it.
    model::frame materialize(std::size_t i) const {
        if (frames != nullptr) {
            return frames[i];
        }
        model::frame f;
        f.bytes.assign(views[i].begin(), views[i].end());
        return f;
    }

    const toeplitz_key& key_for(const model::rss_key& k) {
        if (!key || key->key() != k) {
            key = std::make_unique<toeplitz_key>(k);
        }
        return *key;
    }

    std::span<const frame_outcome> outcomes() const noexcept { return std::span(outcome).first(size); }

    receive_result result() const {
        const auto first = outcomes();
        return receive_result{std::vector<frame_outcome>(first.begin(), first.end()), carried};
    }
};

namespace detail {

// SN-RSS-07 with the table size known per burst: a power of two (the
// default 128) takes a mask instead of a division.
struct table_lookup {
    const std::uint32_t* entries = nullptr;
    std::uint32_t size = 0;
    std::uint32_t mask = 0;
    bool power_of_two = false;
    std::uint32_t real_rx = 1;

    explicit table_lookup(const model::device& port) noexcept
        : entries(port.nic->indirection.data()),
          size(static_cast<std::uint32_t>(port.nic->indirection.size())),
          mask(size - 1),
          power_of_two(size != 0 && (size & (size - 1)) == 0),
          real_rx(port.real_rx_queues) {}

    std::uint32_t queue(bool hashed, std::uint32_t hash) const noexcept {
        std::uint32_t q = 0;
        if (hashed && size != 0) {
            q = entries[power_of_two ? hash & mask : hash % size];
        }
        return q < real_rx ? q : 0;  // as model::softnic::inject_to_queue
    }
};

// The common state of a port, in which every frame goes straight to the
// stack: up, no XDP program other than PASS, and on every active queue an
// empty ring and no memory provider. RSS never selects another queue
// (SN-RX-04), so the queues' choice does not matter.
inline bool straight_to_stack(const model::device& port) noexcept {
    if (!port.up || (port.nic->xdp && port.nic->xdp->verdict != model::xdp_verdict::pass)) {
        return false;
    }
    for (std::uint32_t q = 0; q < port.real_rx_queues && q < port.rxq.size(); ++q) {
        if (!port.rxq[q].ring.empty() || port.rxq[q].provider) {
            return false;
        }
    }
    return true;
}

}  // namespace detail

// The batched path: RSS for the whole burst, then delivery in arrival order.
template <std::size_t Capacity>
std::span<const frame_outcome> receive_burst(model::world& world, const path_config& c, rx_burst<Capacity>& b) {
    b.carried.clear();
    return world.data_path(detail::path_access::key(), [&](model::world_state& w) {
        auto found = model::softnic::nic_device(w, c.port);
        if (!found) {
            for (std::size_t i = 0; i < b.size; ++i) {
                b.queue[i] = 0;
                b.outcome[i] = detail::dropped(drop_reason::no_port, 0, static_cast<std::uint32_t>(b.views[i].size()));
            }
            return b.outcomes();
        }
        model::device& port = *found.value();
        const std::span<const frame_view> views(b.views.data(), b.size);
        for (const frame_view v : views) {
            __builtin_prefetch(v.data());  // frames from DRAM arrive while the first ones parse
        }
        parse_burst(views, b.parsed);
        hash_burst(b.key_for(port.nic->key), port.nic->fields, b.parsed, std::span(b.hash), std::span(b.hashed));
        const detail::table_lookup table(port);
        for (std::size_t i = 0; i < b.size; ++i) {
            b.queue[i] = table.queue(b.hashed[i], b.hash[i]);
        }
        const bool route = c.forward_to && detail::routable(w, *c.forward_to);
        if (detail::straight_to_stack(port)) {
            // Checked once for the burst: every frame is admitted to an
            // empty ring and polled at once to the stack (SN-RX-01…03), and
            // nothing the stack's transmit does changes that.
            // Each outcome is a copy of one prototype plus two fields: built
            // in a temporary and copied, it stalled on store forwarding (two
            // thirds of the burst's delivery time, measured with perf).
            const frame_outcome prototype = detail::delivered(endpoint::stack, 0, 0);
            std::uint64_t received_bytes = 0;
            for (std::size_t i = 0; i < b.size; ++i) {
                const auto length = static_cast<std::uint32_t>(views[i].size());
                frame_outcome& o = b.outcome[i];
                o = prototype;
                o.queue = b.queue[i];
                o.length = length;
                received_bytes += length;
            }
            port.counters.rx_packets += b.size;
            port.counters.rx_bytes += received_bytes;
            if (c.forward_to) {
                for (std::size_t i = 0; i < b.size; ++i) {
                    detail::forward(w, c, route, [&b, i] { return b.materialize(i); }, b.outcome[i]);
                }
            }
            return b.outcomes();
        }
        for (std::size_t i = 0; i < b.size; ++i) {
            detail::deliver(w, port, c.port, c, route, b.queue[i], static_cast<std::uint32_t>(views[i].size()),
                            [&b, i] { return b.materialize(i); }, b.outcome[i], b.carried);
        }
        return b.outcomes();
    });
}

// The plain per-frame path over the same burst: each frame on its own —
// find the port, parse, hash (the fastest single-frame formulation),
// select the queue, deliver in place.
template <std::size_t Capacity>
std::span<const frame_outcome> receive_per_frame(model::world& world, const path_config& c, rx_burst<Capacity>& b) {
    b.carried.clear();
    return world.data_path(detail::path_access::key(), [&](model::world_state& w) {
        for (std::size_t i = 0; i < b.size; ++i) {
            const frame_view bytes = b.views[i];
            const auto length = static_cast<std::uint32_t>(bytes.size());
            auto found = model::softnic::nic_device(w, c.port);
            if (!found) {
                b.queue[i] = 0;
                b.outcome[i] = detail::dropped(drop_reason::no_port, 0, length);
                continue;
            }
            model::device& port = *found.value();
            const rss_input input = input_of(port.nic->fields, parse(bytes));
            const bool hashed = input.length != 0;
            const std::uint32_t hash = hashed ? toeplitz(b.key_for(port.nic->key), input.tuple()) : 0;
            b.queue[i] = detail::table_lookup(port).queue(hashed, hash);
            const bool route = c.forward_to && detail::routable(w, *c.forward_to);
            detail::deliver(w, port, c.port, c, route, b.queue[i], length, [&b, i] { return b.materialize(i); },
                            b.outcome[i], b.carried);
        }
        return b.outcomes();
    });
}

// ------------------------------------------------------------ accounting

// Outcomes counted by kind, endpoint and reason, with what the devices'
// counters should have seen.
struct accounting {
    std::uint64_t outcomes = 0;  // burst frames + carried
    std::uint64_t carried = 0;
    std::array<std::uint64_t, core::enum_count<endpoint>> delivered{};
    std::array<std::uint64_t, core::enum_count<drop_reason>> dropped{};
    std::uint64_t redirected = 0;
    std::uint64_t redirect_freed = 0;  // REDIRECT without a resolvable target (NK-XMIT-12)
    std::uint64_t ill_formed = 0;      // an outcome that is not exactly one of the three kinds
    std::uint64_t received_packets = 0;  // NIC rx_packets / rx_bytes (SN-RX-03)
    std::uint64_t received_bytes = 0;
    std::uint64_t nic_dropped = 0;  // NIC rx_dropped
    std::uint64_t forwarded = 0;    // entered the netkit transmit
    std::uint64_t sent = 0;         // netkit tx_packets / tx_bytes (NK-XMIT-10, -12)
    std::uint64_t sent_bytes = 0;
    std::uint64_t netkit_dropped = 0;  // netkit tx_dropped (NK-XMIT-13)
    std::vector<std::uint64_t> per_queue;

    void add(const frame_outcome& o, bool was_carried) {
        ++outcomes;
        carried += was_carried ? 1 : 0;
        const bool delivered_ok = o.kind == outcome_kind::delivered && o.where != endpoint::none &&
                                  o.reason == drop_reason::none;
        const bool dropped_ok =
            o.kind == outcome_kind::dropped && o.where == endpoint::none && o.reason != drop_reason::none;
        const bool redirected_ok = o.kind == outcome_kind::redirected && o.forwarded && o.where == endpoint::none &&
                                   o.reason == drop_reason::none;
        if (delivered_ok) {
            ++delivered[core::enum_index(o.where)];
        } else if (dropped_ok) {
            ++dropped[core::enum_index(o.reason)];
        } else if (redirected_ok) {
            ++redirected;
            redirect_freed += o.device ? 0 : 1;
        } else {
            ++ill_formed;
        }
        if (counted_received(o)) {
            ++received_packets;
            received_bytes += o.length;
        }
        nic_dropped += counted_nic_drop(o) ? 1 : 0;
        if (o.forwarded) {
            ++forwarded;
            if (o.kind == outcome_kind::dropped) {
                ++netkit_dropped;
            } else {
                ++sent;
                sent_bytes += o.length;
            }
        }
        if (o.reason != drop_reason::no_port) {
            if (per_queue.size() <= o.queue) {
                per_queue.resize(o.queue + 1, 0);
            }
            ++per_queue[o.queue];
        }
    }

    std::uint64_t delivered_total() const noexcept {
        std::uint64_t n = 0;
        for (const auto d : delivered) {
            n += d;
        }
        return n;
    }
    std::uint64_t dropped_total() const noexcept {
        std::uint64_t n = 0;
        for (const auto d : dropped) {
            n += d;
        }
        return n;
    }
    std::uint64_t at(endpoint e) const noexcept { return delivered[core::enum_index(e)]; }
    std::uint64_t at(drop_reason r) const noexcept { return dropped[core::enum_index(r)]; }

    friend bool operator==(const accounting&, const accounting&) = default;
};

inline accounting summarize(std::span<const frame_outcome> frames, std::span<const frame_outcome> carried) {
    accounting a;
    for (const auto& o : carried) {
        a.add(o, true);
    }
    for (const auto& o : frames) {
        a.add(o, false);
    }
    return a;
}

inline accounting summarize(const receive_result& r) { return summarize(r.frames, r.carried); }

namespace detail {

inline const model::device* find_device(const model::world_state& w, core::device_handle h) {
    const auto it = w.devices.find(h);
    return it == w.devices.end() ? nullptr : &it->second;
}

inline std::string counter_mismatch(const char* what, std::uint64_t before, std::uint64_t after,
                                    std::uint64_t expected) {
    return std::string(what) + ": changed by " + std::to_string(after - before) + ", outcomes say " +
           std::to_string(expected);
}

}  // namespace detail

// Conservation of one run of the path: `before` and `after` are the world
// around it, `frames_in` its number of input frames and `a` the summary of
// its outcomes. Frames in (plus carried) = the sum of the outcomes, each
// outcome is exactly one kind, and the counters moved as the outcomes say:
// the NIC's rx counters and rings (SN-RX-01…03), the AF_XDP sockets' rings
// and drops (QL-XSK-12), the zero-copy areas' kernel-owned buffers
// (QL-MP-07), and the netkit device and its peer (NK-XMIT-10/11/13) —
// exactly when no frame was redirected, at least otherwise (a redirect may
// transmit on the same devices again, NK-XMIT-12). Returns every violated
// statement; empty means conserved.
inline std::vector<std::string> conservation_violations(const model::world_state& before,
                                                        const model::world_state& after, const path_config& c,
                                                        std::size_t frames_in, const accounting& a) {
    std::vector<std::string> out;
    auto expect_equal = [&out](const char* what, std::uint64_t b, std::uint64_t f, std::uint64_t expected) {
        if (f - b != expected || f < b) {
            out.push_back(detail::counter_mismatch(what, b, f, expected));
        }
    };
    auto expect_at_least = [&out](const char* what, std::uint64_t b, std::uint64_t f, std::uint64_t expected) {
        if (f < b || f - b < expected) {
            out.push_back(detail::counter_mismatch(what, b, f, expected) + " at least");
        }
    };
    if (a.outcomes != frames_in + a.carried) {
        out.push_back("outcomes " + std::to_string(a.outcomes) + " != frames in " + std::to_string(frames_in) +
                      " + carried " + std::to_string(a.carried));
    }
    if (a.ill_formed != 0) {
        out.push_back(std::to_string(a.ill_formed) + " outcomes are not exactly one of delivered/dropped/redirected");
    }
    if (a.delivered_total() + a.dropped_total() + a.redirected + a.ill_formed != a.outcomes) {
        out.push_back("delivered + dropped + redirected != outcomes");
    }
    const model::device* port_before = detail::find_device(before, c.port);
    const model::device* port_after = detail::find_device(after, c.port);
    if (port_before && port_after && port_before->nic && port_before->visible()) {
        expect_equal("NIC rx_packets", port_before->counters.rx_packets, port_after->counters.rx_packets,
                     a.received_packets);
        expect_equal("NIC rx_bytes", port_before->counters.rx_bytes, port_after->counters.rx_bytes, a.received_bytes);
        expect_equal("NIC rx_dropped", port_before->counters.rx_dropped, port_after->counters.rx_dropped,
                     a.nic_dropped);
        std::uint64_t ring_before = 0;
        std::uint64_t ring_after = 0;
        for (const auto& q : port_before->rxq) {
            ring_before += q.ring.size();
        }
        for (const auto& q : port_after->rxq) {
            ring_after += q.ring.size();
        }
        if (ring_before != ring_after + a.carried) {
            out.push_back("frames on the rings: " + std::to_string(ring_before) + " before, " +
                          std::to_string(ring_after) + " after, " + std::to_string(a.carried) + " carried");
        }
    } else if (a.at(drop_reason::no_port) != frames_in) {
        out.push_back("the port is not a NIC but not every frame was dropped with no_port");
    }
    std::uint64_t socket_ring_before = 0;
    std::uint64_t socket_ring_after = 0;
    std::uint64_t socket_drops_before = 0;
    std::uint64_t socket_drops_after = 0;
    for (const auto& [id, s] : before.sockets) {
        socket_ring_before += s.rx_ring.size();
        socket_drops_before += s.rx_dropped;
    }
    for (const auto& [id, s] : after.sockets) {
        socket_ring_after += s.rx_ring.size();
        socket_drops_after += s.rx_dropped;
    }
    expect_equal("AF_XDP rx rings", socket_ring_before, socket_ring_after, a.at(endpoint::af_xdp_socket));
    expect_equal("AF_XDP rx_dropped", socket_drops_before, socket_drops_after, a.at(drop_reason::xsk_too_large));
    auto kernel_buffers = [](const model::world_state& w) {
        std::uint64_t n = 0;
        for (const auto& [id, area] : w.areas) {
            for (const auto& buffer : area.buffers) {
                n += buffer.owner == model::buffer_owner::kernel ? 1 : 0;
            }
        }
        return n;
    };
    expect_equal("zero-copy buffers owned by the kernel", kernel_buffers(before), kernel_buffers(after),
                 a.at(endpoint::zero_copy_buffer));
    if (after.hazards.size() < before.hazards.size() ||
        after.hazards.size() - before.hazards.size() > a.at(drop_reason::no_buffer)) {
        out.push_back("hazards recorded beyond the no_buffer drops");
    }
    if (!c.forward_to) {
        if (a.forwarded != 0) {
            out.push_back("frames forwarded without a forwarding device");
        }
        return out;
    }
    const model::device* d_before = detail::find_device(before, *c.forward_to);
    const model::device* d_after = detail::find_device(after, *c.forward_to);
    if (!d_before || !d_after || !d_before->is_netkit()) {
        return out;
    }
    const bool exact = a.redirected == 0;
    auto check = [&](const char* what, std::uint64_t b, std::uint64_t f, std::uint64_t expected) {
        if (exact) {
            expect_equal(what, b, f, expected);
        } else {
            expect_at_least(what, b, f, expected);
        }
    };
    check("netkit tx_packets", d_before->counters.tx_packets, d_after->counters.tx_packets, a.sent);
    check("netkit tx_bytes", d_before->counters.tx_bytes, d_after->counters.tx_bytes, a.sent_bytes);
    check("netkit tx_dropped", d_before->counters.tx_dropped, d_after->counters.tx_dropped, a.netkit_dropped);
    if (d_before->netkit->peer) {
        const model::device* p_before = detail::find_device(before, *d_before->netkit->peer);
        const model::device* p_after = detail::find_device(after, *d_before->netkit->peer);
        if (p_before && p_after) {
            check("peer rx_packets", p_before->counters.rx_packets, p_after->counters.rx_packets,
                  a.at(endpoint::netkit_peer));
            check("peer rx_dropped", p_before->counters.rx_dropped, p_after->counters.rx_dropped,
                  a.at(drop_reason::netkit_backlog_full));
        }
    }
    if (exact && before.backlog_capacity && after.backlog_capacity) {
        expect_equal("backlog used", *after.backlog_capacity, *before.backlog_capacity, a.at(endpoint::netkit_peer));
    }
    return out;
}

inline bool conserved(const model::world_state& before, const model::world_state& after, const path_config& c,
                      std::size_t frames_in, const accounting& a) {
    return conservation_violations(before, after, c, frames_in, a).empty();
}

}  // namespace netkit::packet
