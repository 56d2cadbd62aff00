// Shared set-up for the lease and software-NIC tests: a world with a
// software NIC, netkit pairs or single devices (optionally in a guest
// netns), and shorthands for queue-create. Mirrors the set-up of the
// kernel's nk_qlease.py selftest: a NIC in the initial netns, the netkit
// primary ("host") there and the peer ("guest") in a netns.
#pragma once

#include <netkit/model/hash.hpp>
#include <netkit/model/world.hpp>

#include "test_world.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lease_test {

using namespace netkit;
using namespace netkit::model;
using core::errno_code;

inline const caller root = world::root();

// Unwraps a result, failing the test with the kernel-style error text.
template <class T>
T must(core::result<T> r, const char* what = "operation") {
    if (!r.ok()) {
        ADD_FAILURE() << what << " failed: " << core::to_string(r.failure());
        return T{};
    }
    return std::move(r).value();
}

inline void must_ok(const core::status& s, const char* what = "operation") {
    if (!s.ok()) {
        ADD_FAILURE() << what << " failed: " << core::to_string(s.failure());
    }
}

// A NIC with `queues` queues; the first port's handle.
inline core::device_handle add_nic(test_world& w, std::uint32_t queues, softnic_config config = softnic_config::nsim(),
                                   core::netns_handle ns = world::initial_netns()) {
    auto ports = must(w.create_softnic(softnic::spec{1, queues, config}, ns), "create_softnic");
    return ports.empty() ? core::device_handle{} : ports.front();
}

struct netkit_pair {
    core::device_handle host;   // the primary, in the initial netns
    core::device_handle guest;  // the peer, in `ns`
    core::netns_handle ns;
};

// A pair whose peer has `guest_rx_queues` RX queues and lives in a fresh
// netns (or in the initial netns when `own_netns` is false). The guest's
// netns knows the initial netns as id 0, so leases can name the NIC there.
inline netkit_pair add_pair(test_world& w, std::uint32_t guest_rx_queues = 2, bool own_netns = true,
                            uapi::mode mode = uapi::mode::l2, const std::string& name = "nk%d") {
    core::netns_handle ns = world::initial_netns();
    std::optional<std::uint32_t> fd;
    if (own_netns) {
        ns = w.create_netns("guest" + std::to_string(w.state().next_netns));
        must_ok(w.assign_netns_id(ns, world::initial_netns(), 0), "assign_netns_id");
        fd = static_cast<std::uint32_t>(w.open_netns(ns));
    }
    auto created = must(w.new_link(root, requests::netkit_pair(name, name, guest_rx_queues, fd, mode)), "new_link");
    return netkit_pair{created.device, created.peer.value_or(core::device_handle{}), ns};
}

// A single-mode device with `rx_queues` RX queues in the initial netns.
inline core::device_handle add_single(test_world& w, std::uint32_t rx_queues = 2, const std::string& name = "nks%d") {
    return must(w.new_link(root, requests::netkit_single(name, rx_queues)), "new_link single").device;
}

inline std::int32_t ifindex(const test_world& w, core::device_handle h) { return w.at(h).ifindex; }

// queue-create from `c` leasing (nic, q) onto `lessee`; netns-id given when
// the caller is not in the NIC's netns.
inline core::result<std::uint32_t> lease_queue(test_world& w, const caller& c, core::device_handle lessee,
                                               core::device_handle nic, std::uint32_t q,
                                               std::optional<std::int32_t> netns_id = std::nullopt) {
    return w.queue_create(c, lease::queue_create_request::rx(ifindex(w, lessee), ifindex(w, nic), q, netns_id));
}

// Leases (nic, q) to a pair's guest from inside the guest's netns.
inline core::result<std::uint32_t> lease_to_guest(test_world& w, const netkit_pair& p, core::device_handle nic,
                                                  std::uint32_t q) {
    const bool same = w.at(p.guest).netns == w.at(nic).netns;
    return lease_queue(w, world::root(w.at(p.guest).netns), p.guest, nic, q,
                       same ? std::nullopt : std::optional<std::int32_t>{0});
}

// Enables tcp-data-split so memory providers can be opened (SN-HDS-04).
inline void enable_data_split(test_world& w, core::device_handle nic) {
    must_ok(w.ethtool_set_rings(nic, softnic::ring_request{tcp_data_split::enabled, {}, {}, {}}), "set_rings");
}

inline errno_code code_of(const core::status& s) { return s.ok() ? errno_code{} : s.failure().code; }
template <class T>
errno_code code_of(const core::result<T>& r) {
    return r.ok() ? errno_code{} : r.failure().code;
}
template <class T>
std::string message_of(const core::result<T>& r) {
    return r.ok() ? std::string{} : r.failure().message;
}

// ------------------------------------------------------------------------
// Appended for queue_create.cpp, queue_get.cpp and scenarios.cpp.

// A NIC that is up, as the scenarios' nsim(q=N) (scenarios.md notation).
inline core::device_handle add_up_nic(test_world& w, std::uint32_t queues, softnic_config config = softnic_config::nsim(),
                                      core::netns_handle ns = world::initial_netns()) {
    const auto nic = add_nic(w, queues, config, ns);
    must_ok(w.open(nic), "open nic");
    return nic;
}

// The scenarios' hw(q=N): preset hwnic, up, tcp-data-split enabled and
// hds-thresh 0 (softnic.md SN-HDS-03).
inline core::device_handle add_hw_nic(test_world& w, std::uint32_t queues,
                                      core::netns_handle ns = world::initial_netns()) {
    const auto nic = add_up_nic(w, queues, softnic_config::hwnic(), ns);
    must_ok(w.ethtool_set_rings(nic, softnic::ring_request{tcp_data_split::enabled, 0U, {}, {}}), "set_rings");
    return nic;
}

// A queue-create that must be refused: its error, after checking that the
// refusal left the world exactly as it was (lease.md §3: "the first failure
// wins and leaves no state change").
inline core::error create_refused(test_world& w, const caller& c, const lease::queue_create_request& r) {
    const test_world before = w;
    auto out = w.queue_create(c, r);
    EXPECT_FALSE(out.ok()) << "queue-create unexpectedly succeeded with id " << (out.ok() ? out.value() : 0U);
    EXPECT_TRUE(w == before) << "a refused queue-create changed the world";
    return out.ok() ? core::error{} : out.failure();
}

}  // namespace lease_test
