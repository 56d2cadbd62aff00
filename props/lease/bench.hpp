// A ready-made lease test bench on top of fixture.hpp, shared by
// providers.cpp, xsk.cpp and lifetime.cpp: a hardware-like software NIC
// (memory providers, DMA and AF_XDP zero-copy, tcp-data-split enabled, up),
// a netkit pair whose peer (the "guest", 3 RX queues) may lease two
// queues, and shorthands for the consumers named from the right netns.
#pragma once

#include <lease/fixture.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace lease_test {

struct bench {
    world w;
    core::device_handle nic;
    netkit_pair pair;

    // The guest gets its own netns unless the profile refuses the lease
    // netns-id the fixture would need (v7-jan2026, profile row 10).
    explicit bench(const core::profile_traits& profile = core::profiles::newest::traits,
                   softnic_config config = softnic_config::hwnic(), bool nic_up = true, std::uint32_t queues = 4)
        : w(profile) {
        nic = add_nic(w, queues, config);
        if (nic_up) {
            must_ok(w.open(nic), "open nic");
        }
        enable_data_split(w, nic);
        pair = add_pair(w, 3, profile.netns_id == core::lease_netns_id::accepted);
    }

    caller guest_caller() const { return world::root(w.at(pair.guest).netns); }
    std::int32_t guest_index() const { return ifindex(w, pair.guest); }
    std::int32_t nic_index() const { return ifindex(w, nic); }

    // Leases the NIC's queue q to the guest; the guest's new queue index.
    std::uint32_t lease(std::uint32_t q) { return must(lease_to_guest(w, pair, nic, q), "lease"); }

    // An io_uring zero-copy receiver on the guest's queue k / the NIC's queue q.
    core::result<std::uint32_t> zcrx_guest(std::uint32_t k, std::uint32_t buffers = 64) {
        return w.zcrx_register(guest_caller(), guest_index(), k, buffers);
    }
    core::result<std::uint32_t> zcrx_nic(std::uint32_t q, std::uint32_t buffers = 64) {
        return w.zcrx_register(root, nic_index(), q, buffers);
    }

    // AF_XDP sockets on the guest's queue k / the NIC's queue q.
    core::result<std::uint32_t> xsk_guest(std::uint32_t k, xsk_mode mode = xsk_mode::copy) {
        return w.xsk_bind(guest_caller(), guest_index(), k, lease::xsk_options{mode, 2048, false});
    }
    core::result<std::uint32_t> xsk_nic(std::uint32_t q, xsk_mode mode = xsk_mode::copy) {
        return w.xsk_bind(root, nic_index(), q, lease::xsk_options{mode, 2048, false});
    }

    const rx_queue& nic_rxq(std::uint32_t q) const { return w.at(nic).rxq.at(q); }
    const rx_queue& guest_rxq(std::uint32_t k) const { return w.at(pair.guest).rxq.at(k); }
};

// The bench plus a single-mode netkit device (3 RX queues) in the initial
// netns, the NIC's netns: single devices are the ones that take zero-copy
// pools (QL-XSK-08) and advertise the XSK feature set (QL-XSK-10).
struct single_bench : bench {
    core::device_handle single;

    explicit single_bench(const core::profile_traits& profile = core::profiles::newest::traits,
                          softnic_config config = softnic_config::hwnic(), bool nic_up = true)
        : bench(profile, config, nic_up) {
        single = add_single(w, 3);
    }

    std::int32_t single_index() const { return ifindex(w, single); }
    std::uint32_t lease_single(std::uint32_t q) { return must(lease_queue(w, root, single, nic, q), "lease single"); }
    core::result<std::uint32_t> xsk_single(std::uint32_t k, xsk_mode mode = xsk_mode::copy,
                                           std::uint32_t frame_size = 2048, bool multi_buffer = false) {
        return w.xsk_bind(root, single_index(), k, lease::xsk_options{mode, frame_size, multi_buffer});
    }
    core::result<std::uint32_t> zcrx_single(std::uint32_t k, std::uint32_t buffers = 64) {
        return w.zcrx_register(root, single_index(), k, buffers);
    }
};

// An IPv4 frame of `size` bytes (at least 34).
inline frame ipv4_frame(std::uint32_t size = 64) {
    return ethernet_frame(mac_address{0x02, 0, 0, 0, 0, 1}, mac_address{0x02, 0, 0, 0, 0, 2}, 0x0800, size - 14);
}

// Steers every IP frame to queue q (a user-configured RSS table, SN-RSS-06),
// injects `count` frames of `size` bytes and restores the default table.
inline void inject_to(world& w, core::device_handle nic, std::uint32_t q, std::uint32_t count = 1,
                      std::uint32_t size = 64) {
    must_ok(w.set_rss_indirection(nic, std::vector<std::uint32_t>(w.at(nic).nic->config.rss_table_size, q)),
            "steer");
    for (std::uint32_t n = 0; n < count; ++n) {
        const auto outcome = must(w.inject(nic, ipv4_frame(size)), "inject");
        EXPECT_EQ(outcome.queue, q);
    }
    must_ok(w.set_rss_indirection(nic, {}), "restore rss table");
}

// A bare provider open / close on a copy of the world's state (the model's
// consumers look up the DMA device first, so some checks are reachable only
// this way; lease.md QL-MP-03, QL-MP-05, QL-MP-09).
struct bare_open {
    world_state state;
    core::status outcome;
};
inline bare_open open_bare(const world& w, core::device_handle h, std::uint32_t queue,
                           const lease::provider_options& options = {},
                           provider_params params = provider_params{provider_kind::io_uring, 999}) {
    world_state s = w.state();
    auto outcome = lease::provider_open(s, queue_ref{h, queue}, params, options);
    return bare_open{std::move(s), std::move(outcome)};
}

// An error as the tests compare it: errno and extack text ("ok" on success).
struct refusal {
    errno_code code{};
    std::string message;

    friend bool operator==(const refusal&, const refusal&) = default;
    friend std::ostream& operator<<(std::ostream& out, const refusal& r) {
        return out << (r.code == errno_code{} ? std::string_view{"ok"} : core::kernel_name(r.code)) << " \""
                   << r.message << "\"";
    }
};
template <class T>
refusal refusal_of(const core::result<T>& r) {
    return r.ok() ? refusal{} : refusal{r.failure().code, r.failure().message};
}

}  // namespace lease_test
