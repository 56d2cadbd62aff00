// BPF programs, links and the descriptors callers hold (mprog.md MP-05,
// MP-06, MP-63). A program is a user-supplied C++ callable or a scripted
// behaviour (data: comparable, printable, generatable), registered in the
// world with an id that is never reused. It runs on a frame with the
// metadata of mprog.md MP-63 and returns an action; the world keeps the
// observation record of its last run, so tests read what it saw.
#pragma once

#include <netkit/core/ids.hpp>
#include <netkit/model/frame.hpp>
#include <netkit/uapi/bpf.hpp>
#include <netkit/uapi/netkit.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netkit::model {

// bpf_redirect (egress), bpf_redirect_peer (into the target's peer) and
// bpf_redirect_neigh (egress after a neighbour lookup).
NETKIT_ENUM(redirect_mode, std::uint8_t, egress, peer, neighbour)

struct redirect_target {
    std::int32_t ifindex = 0;
    redirect_mode mode = redirect_mode::egress;

    friend bool operator==(const redirect_target&, const redirect_target&) = default;
};

// What a running program sees and may change (MP-63). skb->dev is the
// device the frame belongs to while the program runs (the peer, for netkit,
// NK-XMIT-08).
struct program_context {
    frame& skb;
    std::int32_t dev_ifindex = 0;
    std::uint16_t dev_needed_headroom = 0;
    std::uint16_t dev_needed_tailroom = 0;
    std::optional<redirect_target> redirect;
};

using program_function = std::function<std::int32_t(program_context&)>;

// A behaviour as data: optional writes, then the return value (MP-63).
struct script {
    std::int32_t verdict = static_cast<std::int32_t>(uapi::action::next);
    std::optional<std::uint32_t> set_mark;
    std::optional<std::uint32_t> set_priority;
    std::optional<packet_type> set_type;
    std::optional<std::uint16_t> set_protocol;
    std::vector<std::pair<std::uint8_t, std::uint8_t>> header_writes;  // (offset < 14, byte)
    std::optional<redirect_target> redirect;

    friend bool operator==(const script&, const script&) = default;

    std::int32_t operator()(program_context& context) const {
        if (set_mark) {
            context.skb.mark = *set_mark;
        }
        if (set_priority) {
            context.skb.priority = *set_priority;
        }
        if (set_type) {
            context.skb.type = *set_type;
        }
        if (set_protocol) {
            context.skb.protocol = *set_protocol;
        }
        for (const auto& [offset, value] : header_writes) {
            if (offset < 14 && offset < context.skb.bytes.size()) {
                context.skb.bytes[offset] = value;
            }
        }
        if (redirect) {
            context.redirect = redirect;
        }
        return verdict;
    }
};

inline script returns(uapi::action action) {
    script s;
    s.verdict = static_cast<std::int32_t>(action);
    return s;
}

// The observation record of a program's last run (MP-63).
struct program_observation {
    std::uint64_t runs = 0;
    std::int32_t dev_ifindex = 0;
    std::uint32_t mark = 0;
    std::uint32_t priority = 0;
    packet_type type = packet_type::host;
    bool saw_ipv4_ethernet = false;
    std::uint16_t dev_needed_headroom = 0;
    std::uint16_t dev_needed_tailroom = 0;

    bool ran() const noexcept { return runs > 0; }
    friend bool operator==(const program_observation&, const program_observation&) = default;
};

struct program {
    core::program_id id;
    uapi::bpf_program_type type = uapi::bpf_program_type::traffic_classifier;
    bool offloaded = false;
    std::string name;
    script behaviour;                                  // used when `function` is empty
    std::shared_ptr<const program_function> function;  // a user callable, compared by identity
    program_observation observed;
    std::uint32_t references = 0;  // descriptors + attachments; freed at 0 (MP-46)

    friend bool operator==(const program& a, const program& b) {
        return a.id == b.id && a.type == b.type && a.offloaded == b.offloaded && a.name == b.name &&
               a.behaviour == b.behaviour && a.function == b.function && a.observed == b.observed &&
               a.references == b.references;
    }
};

struct bpf_link {
    core::link_id id;
    uapi::bpf_link_type type = uapi::bpf_link_type::netkit;
    uapi::bpf_attach_type attach_type = uapi::bpf_attach_type::netkit_primary;
    std::optional<core::device_handle> device;  // none once defunct (MP-58, MP-61)
    core::program_id program;
    std::uint32_t descriptors = 0;  // released when the last one closes (MP-59)

    bool defunct() const noexcept { return !device.has_value(); }
    friend bool operator==(const bpf_link&, const bpf_link&) = default;
};

// What a descriptor refers to (MP-06). Descriptor 0 is an ordinary file in
// the selftests, so the table starts with 0, 1, 2 as plain files.
NETKIT_ENUM(descriptor_kind, std::uint8_t, file, program, link, netns)

struct descriptor {
    descriptor_kind kind = descriptor_kind::file;
    std::uint32_t object = 0;  // program id, link id or netns handle

    friend bool operator==(const descriptor&, const descriptor&) = default;
};

}  // namespace netkit::model
