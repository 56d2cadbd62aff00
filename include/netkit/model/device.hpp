// A network device as the model tracks it (device.md NK-STATE-01/02): the
// generic state every device has — name, ifindex, netns, MAC and how it was
// assigned, flags, carrier, MTU, head/tailroom, queue counts, counters, XDP
// features, registration — and, for netkit devices, the private state of
// netkit (peer, policy, scrub, mode, pairing, primary, headroom, and the
// multi-program bundle of mprog.md MP-03). Every device also has a tcx
// ingress attach point (MP-64).
#pragma once

#include <netkit/core/config.hpp>
#include <netkit/core/enum.hpp>
#include <netkit/core/ids.hpp>
#include <netkit/model/frame.hpp>
#include <netkit/model/mprog.hpp>
#include <netkit/model/queues.hpp>
#include <netkit/uapi/netkit.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netkit::model {

// loopback and veth are the negative controls of NK-ENV-02/07; softnic is
// the physical device of softnic.md (issue 4).
NETKIT_ENUM(device_kind, std::uint8_t, loopback, netkit, veth, softnic)

NETKIT_ENUM(registration, std::uint8_t, registered, unregistering, freed)

// How the MAC was assigned (NET_ADDR_RANDOM / NET_ADDR_SET).
NETKIT_ENUM(mac_assignment, std::uint8_t, random, set_by_user)

struct device_counters {
    std::uint64_t tx_packets = 0;
    std::uint64_t tx_bytes = 0;
    std::uint64_t rx_packets = 0;
    std::uint64_t rx_bytes = 0;
    std::uint64_t tx_dropped = 0;
    std::uint64_t rx_dropped = 0;

    friend bool operator==(const device_counters&, const device_counters&) = default;
};

// netkit's private state (NK-STATE-01).
struct netkit_state {
    std::optional<core::device_handle> peer;
    uapi::action policy = uapi::default_policy;
    uapi::scrub scrub = uapi::default_scrub;
    uapi::mode mode = uapi::default_mode;
    uapi::pairing pairing = uapi::default_pairing;
    bool primary = false;
    std::int32_t headroom = 0;  // this side's requested headroom (NK-RT-05)
    mprog::attach_point bundle = mprog::attach_point::for_netkit();

    bool single() const noexcept { return pairing == uapi::pairing::single; }
    friend bool operator==(const netkit_state&, const netkit_state&) = default;
};

struct device {
    core::device_handle handle;
    device_kind kind = device_kind::netkit;
    std::string name;
    std::int32_t ifindex = 0;
    core::netns_handle netns{0};
    mac_address mac{};
    mac_assignment mac_type = mac_assignment::random;
    bool up = false;      // IFF_UP
    bool no_arp = true;   // IFF_NOARP
    bool carrier = false;
    std::uint32_t mtu = uapi::default_mtu;
    std::uint32_t min_mtu = uapi::min_mtu;
    std::uint32_t max_mtu = uapi::max_mtu;
    std::uint16_t needed_headroom = 0;
    std::uint16_t needed_tailroom = 0;
    std::uint32_t tx_queue_length = 0;
    std::uint32_t tx_queues = 1;  // allocated
    std::uint32_t rx_queues = 1;
    std::uint32_t real_tx_queues = 1;
    std::uint32_t real_rx_queues = 1;
    std::uint32_t tso_max_size = uapi::gso_max_size;
    device_counters counters;
    uapi::xdp_feature xdp_features{};
    registration state = registration::registered;
    bool has_parent = false;  // physical iff it has a parent bus device (NK-ENV-06)
    std::uint32_t holders = 0;  // references that delay the free (NK-DEL-07)

    bool present = true;      // netif_device_present: false once detached (QL-CAN-02)
    std::vector<rx_queue> rxq;  // one per allocated RX queue (sized at registration)
    std::vector<tx_queue> txq;
    std::uint32_t lease_refs = 0;  // references leases hold on a lessor (QL-MODEL-04)

    std::optional<netkit_state> netkit;
    std::optional<softnic_state> nic;
    std::optional<core::device_handle> veth_peer;
    mprog::attach_point tcx_ingress = mprog::attach_point::for_tcx();

    bool is_netkit() const noexcept { return netkit.has_value(); }
    bool is_softnic() const noexcept { return nic.has_value(); }
    // QL-MODEL-06: predicates are false at or above real rx.
    bool active_rx(std::uint32_t i) const noexcept { return i < real_rx_queues && i < rxq.size(); }
    bool leased(std::uint32_t i) const noexcept { return active_rx(i) && rxq[i].lease.has_value(); }
    bool has_provider(std::uint32_t i) const noexcept { return active_rx(i) && rxq[i].provider.has_value(); }
    bool physical() const noexcept { return has_parent; }
    bool visible() const noexcept { return state == registration::registered; }

    friend bool operator==(const device&, const device&) = default;
};

}  // namespace netkit::model
