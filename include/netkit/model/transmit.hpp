// Transmit of one frame on a netkit device (device.md §10, NK-XMIT-01…17):
// the drop conditions, the generic scrub, the cross-netns timestamp and
// mark/priority scrub, the packet type computed against the peer, the
// programs of the active array run with skb->dev = the peer, and the
// verdict's consequences — delivery into the peer's receive backlog (where
// the peer's tcx ingress programs run, MP-64), redirect, or drop — with the
// per-device counters the kernel keeps.
//
// This is the scalar reference of the packet path: the vectorized path of
// path/ must agree with it frame for frame.
#pragma once

#include <netkit/core/config.hpp>
#include <netkit/core/enum.hpp>
#include <netkit/core/ids.hpp>
#include <netkit/model/frame.hpp>
#include <netkit/model/program.hpp>
#include <netkit/model/world_state.hpp>

#include <cstdint>
#include <optional>

namespace netkit::model {

NETKIT_ENUM(transmit_status, std::uint8_t, sent, dropped)

// Why a frame was dropped; `none` when it was not.
NETKIT_ENUM(drop_reason, std::uint8_t, none, no_peer, peer_down, too_short, zero_copy_orphan_failed, verdict_drop,
            backlog_full, redirect_target_missing, recursion_limit, ingress_program)

struct delivery {
    core::device_handle device;
    struct frame frame;                       // as the receiving stack gets it
    std::optional<std::int32_t> ingress_verdict;  // of the receiver's tcx ingress programs

    friend bool operator==(const delivery&, const delivery&) = default;
};

struct transmit_result {
    transmit_status status = transmit_status::dropped;
    drop_reason reason = drop_reason::none;
    std::int32_t verdict = 0;
    std::uint32_t programs_run = 0;
    std::optional<delivery> delivered;
    std::optional<redirect_target> redirect;
    std::optional<core::device_handle> redirected_to;

    friend bool operator==(const transmit_result&, const transmit_result&) = default;
};

namespace transmit_detail {

// XMIT_RECURSION_LIMIT: redirects nest at most this deep.
inline constexpr std::uint32_t recursion_limit = 8;

inline bool looks_like_ipv4_ethernet(const frame& f) {
    return f.bytes.size() >= 34 && f.bytes[12] == 0x08 && f.bytes[13] == 0x00 && (f.bytes[14] >> 4) == 4;
}

// Runs one program with skb->dev = `dev` and records what it saw (MP-63).
inline std::int32_t run_program(world_state& w, core::program_id id, const device& dev, frame& f,
                                std::optional<redirect_target>& redirect) {
    auto it = w.programs.find(id);
    core::expects(it != w.programs.end(), "an attached program is not registered");
    program& p = it->second;
    program_observation& seen = p.observed;
    seen.runs += 1;
    seen.dev_ifindex = dev.ifindex;
    seen.mark = f.mark;
    seen.priority = f.priority;
    seen.type = f.type;
    seen.saw_ipv4_ethernet = looks_like_ipv4_ethernet(f);
    seen.dev_needed_headroom = dev.needed_headroom;
    seen.dev_needed_tailroom = dev.needed_tailroom;
    program_context context{f, dev.ifindex, dev.needed_headroom, dev.needed_tailroom, std::nullopt};
    const std::int32_t verdict = p.function ? (*p.function)(context) : p.behaviour(context);
    if (context.redirect) {
        redirect = context.redirect;
    }
    return verdict;
}

// The programs of an attach point in order; a value other than NEXT stops
// the run (NK-XMIT-09). Returns nullopt when nothing is attached.
inline std::optional<std::int32_t> run_attach_point(world_state& w, const mprog::attach_point& point,
                                                    const device& dev, frame& f,
                                                    std::optional<redirect_target>& redirect,
                                                    std::uint32_t& programs_run) {
    if (!point.active() || point.count() == 0) {
        return std::nullopt;
    }
    std::int32_t verdict = static_cast<std::int32_t>(uapi::action::next);
    for (const auto& slot : point.slots()) {
        verdict = run_program(w, slot.program, dev, f, redirect);
        ++programs_run;
        if (verdict != static_cast<std::int32_t>(uapi::action::next)) {
            break;
        }
    }
    return verdict;
}

// A frame arriving on `to` from the wire or a peer: counters, then the tcx
// ingress hook (MP-64), then the stack.
inline delivery receive(world_state& w, core::device_handle to, frame f, std::uint32_t length) {
    device& d = state::device_of(w, to);
    d.counters.rx_packets += 1;
    d.counters.rx_bytes += length;
    delivery out{to, f, std::nullopt};
    std::optional<redirect_target> ignored;
    std::uint32_t runs = 0;
    out.ingress_verdict = run_attach_point(w, state::device_of(w, to).tcx_ingress, state::device_of(w, to),
                                           out.frame, ignored, runs);
    return out;
}

}  // namespace transmit_detail

inline transmit_result transmit(world_state& w, core::device_handle h, frame f, std::uint32_t depth = 0);

namespace transmit_detail {

// NK-XMIT-12: the target ifindex is resolved in the netns of skb->dev (the
// peer). Its result is ignored by netkit; the model records where it went.
inline void execute_redirect(world_state& w, const device& via, frame f, std::uint32_t length,
                             transmit_result& out, std::uint32_t depth) {
    if (!out.redirect) {
        return;  // freed: no prepared target
    }
    const device* target = state::find_by_index(w, via.netns, out.redirect->ifindex);
    if (target == nullptr) {
        return;  // freed: no such device there
    }
    const core::device_handle target_handle = target->handle;
    out.redirected_to = target_handle;
    if (out.redirect->mode == redirect_mode::peer) {
        std::optional<core::device_handle> inner =
            target->netkit ? target->netkit->peer : target->veth_peer;
        if (inner) {
            out.delivered = receive(w, *inner, std::move(f), length);
        }
        return;
    }
    if (target->is_netkit()) {
        (void)transmit(w, target_handle, std::move(f), depth + 1);
        return;
    }
    device& t = state::device_of(w, target_handle);
    t.counters.tx_packets += 1;
    t.counters.tx_bytes += length;
    if (t.veth_peer && t.up) {
        out.delivered = receive(w, *t.veth_peer, std::move(f), length);
    }
}

}  // namespace transmit_detail

// Transmit `f` on netkit device `h` (NK-XMIT-01…17). `depth` counts nested
// redirects.
inline transmit_result transmit(world_state& w, core::device_handle h, frame f, std::uint32_t depth) {
    using uapi::action;
    transmit_result out;
    const std::uint32_t length = f.length();
    device& d = state::device_of(w, h);
    core::expects(d.is_netkit(), "netkit transmit on a device that is not netkit");
    auto drop = [&](drop_reason reason) {
        state::device_of(w, h).counters.tx_dropped += 1;  // NK-XMIT-13
        out.status = transmit_status::dropped;
        out.reason = reason;
        return out;
    };
    out.verdict = static_cast<std::int32_t>(d.netkit->policy);  // NK-XMIT-01
    if (depth >= transmit_detail::recursion_limit) {
        return drop(drop_reason::recursion_limit);
    }
    // NK-XMIT-02 (a)…(d); NK-XMIT-14: a single device never has a peer.
    if (!d.netkit->peer) {
        return drop(drop_reason::no_peer);
    }
    const core::device_handle peer_handle = *d.netkit->peer;
    const device& peer = state::device_of(w, peer_handle);
    if (!peer.up) {
        return drop(drop_reason::peer_down);
    }
    if (length < uapi::ethernet_header_size || (f.linear_limit && *f.linear_limit < uapi::ethernet_header_size)) {
        return drop(drop_reason::too_short);
    }
    if (f.unorphanable_zero_copy_fragments) {
        return drop(drop_reason::zero_copy_orphan_failed);
    }
    // NK-XMIT-03: the generic scrub; mark, priority and timestamp untouched.
    f.type = packet_type::host;
    f.input_ifindex = 0;
    f.ignore_df = false;
    f.has_route = false;
    f.has_extensions = false;
    f.has_conntrack = false;
    f.nf_trace = false;
    f.offload_forward_mark = false;
    f.ipvs_property = false;
    // NK-XMIT-04.
    f.skip_egress_hooks = true;
    // NK-XMIT-05 / NK-XMIT-06.
    if (d.netns != peer.netns) {
        if (!f.timestamp_is_delivery_time) {
            f.timestamp = 0;
        }
        if (d.netkit->scrub == uapi::scrub::standard) {
            f.mark = 0;
            f.priority = 0;
        }
    }
    // NK-XMIT-07: against the peer's address, once, before the programs.
    const mac_address destination = f.destination();
    if (destination == peer.mac) {
        f.type = packet_type::host;
    } else if (is_multicast(destination)) {
        f.type = destination == broadcast_mac ? packet_type::broadcast : packet_type::multicast;
    } else {
        f.type = packet_type::other_host;
    }
    // NK-XMIT-08 / NK-XMIT-09.
    if (auto verdict = transmit_detail::run_attach_point(w, d.netkit->bundle, peer, f, out.redirect,
                                                         out.programs_run)) {
        out.verdict = *verdict;
    }
    switch (out.verdict) {
        case static_cast<std::int32_t>(action::next):
        case static_cast<std::int32_t>(action::pass): {
            // NK-XMIT-10 / NK-XMIT-11.
            if (w.backlog_capacity) {
                if (*w.backlog_capacity == 0) {
                    state::device_of(w, peer_handle).counters.rx_dropped += 1;
                    return drop(drop_reason::backlog_full);
                }
                *w.backlog_capacity -= 1;
            }
            device& sender = state::device_of(w, h);
            sender.counters.tx_packets += 1;
            sender.counters.tx_bytes += length;
            out.delivered = transmit_detail::receive(w, peer_handle, std::move(f), length);
            out.status = transmit_status::sent;
            return out;
        }
        case static_cast<std::int32_t>(action::redirect): {
            // NK-XMIT-12.
            device& sender = state::device_of(w, h);
            sender.counters.tx_packets += 1;
            sender.counters.tx_bytes += length;
            out.status = transmit_status::sent;
            transmit_detail::execute_redirect(w, state::device_of(w, peer_handle), std::move(f), length, out, depth);
            return out;
        }
        default:
            // NK-XMIT-13: DROP and every other value.
            return drop(drop_reason::verdict_drop);
    }
}

}  // namespace netkit::model
