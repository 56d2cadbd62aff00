// The bpf(2) numbers the multi-program ("mprog") attachment model speaks:
// the commands, attach types, link types, program type, attach and query
// flags, and the capacity of one attach point (mprog.md MP-01, MP-02, MP-04,
// MP-64). Mirrors `enum bpf_cmd`, `enum bpf_attach_type`,
// `enum bpf_link_type`, `enum bpf_prog_type` and the BPF_F_* flags of
// <linux/bpf.h>, plus BPF_MPROG_MAX of the kernel-internal
// <linux/bpf_mprog.h>. Kernel names are translated; each one is written next
// to its value, `name()` returns it for printers, and uapi/check_system.hpp
// compares the values with the system header.
#pragma once

#include <cstdint>
#include <string_view>

namespace netkit::uapi {

// MP-01. Only the commands the model implements; bpf(2) has many more.
enum class bpf_command : std::uint32_t {
    program_attach = 8,  // BPF_PROG_ATTACH
    program_detach = 9,  // BPF_PROG_DETACH
    program_query = 16,  // BPF_PROG_QUERY
    link_create = 28,    // BPF_LINK_CREATE
    link_update = 29,    // BPF_LINK_UPDATE
    link_detach = 34,    // BPF_LINK_DETACH
};

constexpr std::string_view name(bpf_command value) noexcept {
    switch (value) {
        case bpf_command::program_attach: return "BPF_PROG_ATTACH";
        case bpf_command::program_detach: return "BPF_PROG_DETACH";
        case bpf_command::program_query: return "BPF_PROG_QUERY";
        case bpf_command::link_create: return "BPF_LINK_CREATE";
        case bpf_command::link_update: return "BPF_LINK_UPDATE";
        case bpf_command::link_detach: return "BPF_LINK_DETACH";
    }
    return "unknown";
}

// MP-01, MP-14, MP-64. The four attach types that map to sched_cls programs
// and share the mprog engine.
enum class bpf_attach_type : std::uint32_t {
    tcx_ingress = 46,     // BPF_TCX_INGRESS
    tcx_egress = 47,      // BPF_TCX_EGRESS
    netkit_primary = 54,  // BPF_NETKIT_PRIMARY
    netkit_peer = 55,     // BPF_NETKIT_PEER
};

constexpr std::string_view name(bpf_attach_type value) noexcept {
    switch (value) {
        case bpf_attach_type::tcx_ingress: return "BPF_TCX_INGRESS";
        case bpf_attach_type::tcx_egress: return "BPF_TCX_EGRESS";
        case bpf_attach_type::netkit_primary: return "BPF_NETKIT_PRIMARY";
        case bpf_attach_type::netkit_peer: return "BPF_NETKIT_PEER";
    }
    return "unknown";
}

// MP-01, MP-05. tcx is not named by the spec; the tcx ingress hook of MP-64
// has links too, and this is the type their link info reports.
enum class bpf_link_type : std::uint32_t {
    tcx = 11,     // BPF_LINK_TYPE_TCX
    netkit = 13,  // BPF_LINK_TYPE_NETKIT
};

constexpr std::string_view name(bpf_link_type value) noexcept {
    switch (value) {
        case bpf_link_type::tcx: return "BPF_LINK_TYPE_TCX";
        case bpf_link_type::netkit: return "BPF_LINK_TYPE_NETKIT";
    }
    return "unknown";
}

// MP-01: the only program type netkit and tcx accept.
enum class bpf_program_type : std::uint32_t {
    traffic_classifier = 3,  // BPF_PROG_TYPE_SCHED_CLS
};

constexpr std::string_view name(bpf_program_type value) noexcept {
    switch (value) {
        case bpf_program_type::traffic_classifier: return "BPF_PROG_TYPE_SCHED_CLS";
    }
    return "unknown";
}

// MP-01, MP-25…27. attach_flags of BPF_PROG_ATTACH/DETACH and flags of
// BPF_LINK_CREATE. relative_id and relative_link say how the relative
// object (relative_fd / relative_id) is to be read: as an id instead of a
// descriptor, and as a link instead of a program.
enum class bpf_attach_flag : std::uint32_t {
    replace = 4,           // BPF_F_REPLACE
    before = 8,            // BPF_F_BEFORE
    after = 16,            // BPF_F_AFTER
    relative_id = 32,      // BPF_F_ID
    relative_link = 8192,  // BPF_F_LINK
};

constexpr bpf_attach_flag operator|(bpf_attach_flag a, bpf_attach_flag b) noexcept {
    return static_cast<bpf_attach_flag>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
constexpr bpf_attach_flag operator&(bpf_attach_flag a, bpf_attach_flag b) noexcept {
    return static_cast<bpf_attach_flag>(static_cast<std::uint32_t>(a) & static_cast<std::uint32_t>(b));
}
constexpr bpf_attach_flag operator~(bpf_attach_flag a) noexcept {
    return static_cast<bpf_attach_flag>(~static_cast<std::uint32_t>(a));
}
// True when every bit of `bits` is set in `set`.
constexpr bool contains(bpf_attach_flag set, bpf_attach_flag bits) noexcept { return (set & bits) == bits; }

// Names single bits; a combination is "unknown" (printers split sets into bits).
constexpr std::string_view name(bpf_attach_flag value) noexcept {
    switch (value) {
        case bpf_attach_flag::replace: return "BPF_F_REPLACE";
        case bpf_attach_flag::before: return "BPF_F_BEFORE";
        case bpf_attach_flag::after: return "BPF_F_AFTER";
        case bpf_attach_flag::relative_id: return "BPF_F_ID";
        case bpf_attach_flag::relative_link: return "BPF_F_LINK";
    }
    return "unknown";
}

// MP-02: BPF_PROG_ATTACH and BPF_PROG_DETACH refuse any other bit with EINVAL
// (= 8252); link creation hands its flags to the engine unfiltered.
inline constexpr bpf_attach_flag mprog_allowed_attach_flags =
    bpf_attach_flag::replace | bpf_attach_flag::before | bpf_attach_flag::after |
    bpf_attach_flag::relative_id | bpf_attach_flag::relative_link;

// MP-01, MP-16. query_flags of BPF_PROG_QUERY.
enum class bpf_query_flag : std::uint32_t {
    effective = 1,  // BPF_F_QUERY_EFFECTIVE
};

constexpr std::string_view name(bpf_query_flag value) noexcept {
    switch (value) {
        case bpf_query_flag::effective: return "BPF_F_QUERY_EFFECTIVE";
    }
    return "unknown";
}

// MP-04. BPF_MPROG_MAX (kernel-internal) sizes the program array including
// its terminating empty slot, so an attach point holds one program fewer;
// the 64th attach fails with ERANGE (MP-28).
inline constexpr std::uint32_t mprog_max = 64;
inline constexpr std::uint32_t mprog_capacity = mprog_max - 1;

}  // namespace netkit::uapi
