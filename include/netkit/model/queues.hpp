// Receive and transmit queues, the software NIC's private state, and the
// consumers that use queues (lease.md §2, §7–§9; softnic.md §1–§11), as
// plain data. Operations live in model/softnic.hpp and model/lease.hpp.
//
// A lease is stored on both queues (QL-MODEL-02/03); a memory provider or an
// AF_XDP pool installed through a lease is stored on the physical queue only
// (QL-INV-04). Consumers (io_uring zero-copy areas, devmem bindings, AF_XDP
// sockets) live in the world next to the devices and refer to them by
// handle, so a device that goes away leaves a consumer that can still be
// asked what it holds.
#pragma once

#include <netkit/core/config.hpp>
#include <netkit/core/enum.hpp>
#include <netkit/core/errno.hpp>
#include <netkit/core/ids.hpp>
#include <netkit/model/frame.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace netkit::model {

// One end of a lease: a device and one of its RX queue indexes.
struct queue_ref {
    core::device_handle device;
    std::uint32_t index = 0;

    friend auto operator<=>(const queue_ref&, const queue_ref&) = default;
};

// The two consumers that install memory providers (lease.md §7).
NETKIT_ENUM(provider_kind, std::uint8_t, io_uring, dmabuf)

// The provider parameters stored on a queue (mp_params): which consumer.
struct provider_params {
    provider_kind kind = provider_kind::io_uring;
    std::uint32_t consumer = 0;  // zero-copy area id or devmem binding id

    friend bool operator==(const provider_params&, const provider_params&) = default;
};

struct rx_queue {
    std::optional<queue_ref> lease;           // QL-MODEL-02
    std::optional<provider_params> provider;  // QL-MODEL-06 has_mp
    std::optional<std::uint32_t> xsk_pool;    // the AF_XDP socket whose pool sits here
    bool zero_copy = false;                   // softnic: pool set up for zero-copy (SN-XSK-02)
    std::vector<frame> ring;                  // softnic: frames awaiting the poll (SN-RX-01/02)
    std::uint32_t napi_generation = 0;        // SN-RST-05
    std::uint32_t page_pool_generation = 0;

    friend bool operator==(const rx_queue&, const rx_queue&) = default;
};

struct tx_queue {
    std::optional<std::uint32_t> xsk_pool;

    friend bool operator==(const tx_queue&, const tx_queue&) = default;
};

// ----------------------------------------------------------- software NIC

// SN-GEN-04/05. Fixed when the NIC is created.
struct softnic_config {
    std::uint32_t ring_size = 256;
    bool mp_capable = false;
    bool dma_capable = false;
    bool xsk_capable = false;
    bool rx_page_size_supported = false;
    std::uint32_t rss_table_size = 128;
    std::uint32_t napi_budget = 64;
    // Queue-management operations (model-defined switch, default on): without
    // them the NIC cannot lend queues (QL-CAN-02), restart queues (SN-RST-01)
    // or take memory providers (QL-MP-01).
    bool queue_management = true;

    // netdevsim behaviour: no providers, no DMA device, no AF_XDP zero-copy.
    static softnic_config nsim() { return softnic_config{}; }
    // A hardware NIC with everything the lease scenarios need.
    static softnic_config hwnic() {
        softnic_config c;
        c.mp_capable = c.dma_capable = c.xsk_capable = true;
        return c;
    }

    friend bool operator==(const softnic_config&, const softnic_config&) = default;
};

// SN-HDS-01: ETHTOOL_TCP_DATA_SPLIT_*.
NETKIT_ENUM(tcp_data_split, std::uint8_t, unknown, disabled, enabled)

// SN-RST-06: the operations a harness can make fail once.
NETKIT_ENUM(fault_point, std::uint8_t, mem_alloc, queue_start, queue_stop)

// SN-RSS-04: which input tuple a flow type hashes.
NETKIT_ENUM(rss_tuple, std::uint8_t, none, two_tuple, four_tuple)

// SN-RSS-04: per-flow-type tuple choice (defaults: TCP/UDP 4-tuple, other IP
// and fragments 2-tuple).
struct rss_fields {
    rss_tuple tcp4 = rss_tuple::four_tuple;
    rss_tuple udp4 = rss_tuple::four_tuple;
    rss_tuple other4 = rss_tuple::two_tuple;
    rss_tuple tcp6 = rss_tuple::four_tuple;
    rss_tuple udp6 = rss_tuple::four_tuple;
    rss_tuple other6 = rss_tuple::two_tuple;

    friend bool operator==(const rss_fields&, const rss_fields&) = default;
};

using rss_key = std::array<std::uint8_t, 40>;

// SN-RSS-01: the Microsoft verification key.
inline constexpr rss_key microsoft_rss_key{
    0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
    0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
    0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa};

// What an XDP program attached to a softnic does with every frame
// (model-defined: the model's XDP programs are fixed verdicts).
NETKIT_ENUM(xdp_verdict, std::uint8_t, aborted, drop, pass, tx, redirect_xsk)

struct xdp_program {
    xdp_verdict verdict = xdp_verdict::pass;
    bool multi_buffer = false;  // XDP_FLAGS / BPF_F_XDP_HAS_FRAGS

    friend bool operator==(const xdp_program&, const xdp_program&) = default;
};

// An armed fault: the next `remaining` calls of the operation fail with
// `error` (SN-RST-06; more than one lets a test drive "the old queue could
// not be restarted either").
struct armed_fault {
    core::errno_code error = core::errno_code::out_of_memory;
    std::uint32_t remaining = 1;

    friend bool operator==(const armed_fault&, const armed_fault&) = default;
};

// A queue that a failed restart could not bring back (SN-RST-02 step 3).
struct lost_queue {
    std::uint32_t index = 0;
    core::errno_code error = core::errno_code::invalid;

    friend bool operator==(const lost_queue&, const lost_queue&) = default;
};

struct softnic_state {
    std::uint32_t bus_id = 0;  // the softnic instance (its parent bus device)
    std::uint32_t port = 0;
    softnic_config config;
    tcp_data_split data_split = tcp_data_split::unknown;  // configuration (SN-HDS-01)
    std::uint32_t hds_thresh = 0;
    std::uint32_t rx_ring_size = 512;
    std::uint32_t tx_ring_size = 512;
    std::optional<xdp_program> xdp;
    rss_key key = microsoft_rss_key;
    rss_fields fields;
    std::vector<std::uint32_t> indirection;  // SN-RSS-05
    bool indirection_user_configured = false;
    std::uint32_t restart_mode = 0;  // SN-RST-03, reverts to 0 after a reset
    std::map<fault_point, armed_fault> armed_faults;
    std::vector<lost_queue> lost;
    std::optional<core::device_handle> linked_peer;  // SN-TX-02
    std::vector<frame> wire_log;                       // SN-TX-01
    std::uint32_t napi_base = 0;                       // napi-id of queue 0 (SN-Q-05)

    friend bool operator==(const softnic_state&, const softnic_state&) = default;
};

// -------------------------------------------------------------- consumers

// Where one buffer of a zero-copy area is (issue: "each buffer in exactly one
// of {with the user, in the kernel/ring, on the free list}").
NETKIT_ENUM(buffer_owner, std::uint8_t, free_list, kernel, user)

struct buffer {
    buffer_owner owner = buffer_owner::free_list;
    std::uint32_t length = 0;  // bytes the NIC wrote (valid while kernel or user)

    friend bool operator==(const buffer&, const buffer&) = default;
};

// An io_uring zero-copy receive area (lease.md QL-MP-09) or a devmem binding
// (QL-DMA-02): the buffers the NIC writes frames into.
struct zero_copy_area {
    std::uint32_t id = 0;
    provider_kind kind = provider_kind::io_uring;
    core::device_handle device;          // the named device (may be virtual)
    std::vector<std::uint32_t> queues;   // the named queue(s)
    bool installed = false;              // its provider is installed somewhere
    bool mapped = true;                  // the user has not unmapped / exited yet
    bool holds_device = false;           // the receiver's reference (NK-DEL-07)
    std::vector<buffer> buffers;

    friend bool operator==(const zero_copy_area&, const zero_copy_area&) = default;
};

// XDP_COPY / XDP_ZEROCOPY bind flags (QL-XSK-06).
NETKIT_ENUM(xsk_mode, std::uint8_t, copy, zero_copy_or_copy, zero_copy_forced)

// An AF_XDP socket bound to (device, queue).
struct xsk_socket {
    std::uint32_t id = 0;
    std::optional<queue_ref> bound;  // the named (device, queue); nullopt once unbound
    bool zero_copy = false;          // after fallback decisions (QL-XSK-06)
    std::uint32_t frame_size = 2048;
    bool multi_buffer = false;
    std::vector<frame> rx_ring;
    std::uint64_t rx_dropped = 0;

    friend bool operator==(const xsk_socket&, const xsk_socket&) = default;
};

// Something the kernel would have done that breaks memory safety: the model
// records it instead of crashing, and the invariants refuse any world with
// one (QL-LIFE-06: CVE-2026-74285).
NETKIT_ENUM(hazard_kind, std::uint8_t, use_after_uninstall, buffer_after_unmap)

struct hazard {
    hazard_kind kind = hazard_kind::use_after_uninstall;
    core::device_handle device;
    std::uint32_t queue = 0;
    std::uint32_t consumer = 0;

    friend bool operator==(const hazard&, const hazard&) = default;
};

}  // namespace netkit::model
