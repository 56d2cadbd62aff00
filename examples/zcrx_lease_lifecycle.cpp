// The io_uring zero-copy receive lease lifecycle (lease.md §7 and §12,
// scenarios SC-QL-047, SC-QL-052, SC-QL-057), end to end against the model:
//
//   lease    a hardware NIC's queue 3 onto a container's netkit peer;
//   open     an io_uring zero-copy receiver on the peer's queue 1 — the
//            memory provider is installed on the NIC's queue 3;
//   receive  frames steered to queue 3 land in the receiver's buffers, the
//            application takes and returns them;
//   delete   the netkit pair while the receiver is still alive: the lease
//            ends and the provider is cleaned up; the device stays
//            referenced until the receiver exits;
//   reuse    the NIC's queue 3 directly from the host.
//
// Run with the argument `linux-7.1.0` to see the teardown-ordering bug of
// 7.1.0 … 7.1.4 (CVE-2026-74285): the provider is uninstalled while the
// queue still runs on its memory, which the model records as a hazard.
#include <netkit/model/world.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace netkit;
using namespace netkit::model;

int failures = 0;

void expect(bool ok, const std::string& what) {
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
    failures += ok ? 0 : 1;
}

template <class T>
std::string answer(const core::result<T>& r) {
    return r.ok() ? "ok" : core::to_string(r.failure());
}

std::size_t count(const zero_copy_area& area, buffer_owner owner) {
    std::size_t n = 0;
    for (const auto& b : area.buffers) {
        n += b.owner == owner ? 1U : 0U;
    }
    return n;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string_view profile_name = argc > 1 ? argv[1] : "newest";
    const auto profile = core::profile_from_name(profile_name);
    if (!profile) {
        std::fprintf(stderr, "unknown profile '%s'\n", argv[1]);
        return EXIT_FAILURE;
    }
    const bool buggy = *profile == core::profile_id::linux_7_1_0;
    world w(core::traits_of(*profile));
    const caller host = world::root();
    std::printf("profile %s\n", w.profile().name.data());

    // The NIC: up, header-data split enabled (providers need it, SN-HDS-04).
    const auto nic = w.create_softnic(softnic::spec{1, 4, softnic_config::hwnic()}).value().front();
    expect(w.ethtool_set_rings(nic, softnic::ring_request{tcp_data_split::enabled, {}, {}, {}}).ok(),
           "tcp-data-split enabled on " + w.at(nic).name);
    expect(w.open(nic).ok(), "NIC up");

    // A container with a netkit pair; the peer has one spare RX queue. The
    // container names the host's netns as id 0.
    const auto container = w.create_netns("container");
    expect(w.assign_netns_id(container, world::initial_netns(), 0).ok(), "container knows the host as netns id 0");
    const auto fd = w.open_netns(container);
    const auto pair = w.new_link(host, requests::netkit_pair("nk0", "eth0", 2, static_cast<std::uint32_t>(fd)));
    expect(pair.ok(), "netkit pair created, peer in the container: " + answer(pair));
    const auto peer = pair.value().peer.value();
    const caller inside = world::root(container);
    expect(w.open(pair.value().device).ok() && w.open(peer).ok(), "both ends up");

    // lease — from inside the container, naming the NIC through netns id 0.
    const auto leased =
        w.queue_create(inside, lease::queue_create_request::rx(w.at(peer).ifindex, w.at(nic).ifindex, 3, 0));
    expect(leased.ok() && leased.value() == 1, "queue-create: NIC queue 3 is the peer's queue 1: " + answer(leased));

    // open — the receiver names the peer's queue 1; the provider lands on the NIC's queue 3.
    const auto area = w.zcrx_register(inside, w.at(peer).ifindex, 1, 8);
    expect(area.ok(), "zero-copy receiver on (eth0, 1): " + answer(area));
    expect(w.at(nic).rxq[3].provider.has_value(), "the provider is installed on the NIC's queue 3");
    expect(w.queue_get(host, w.at(nic).ifindex, 3).value().io_uring, "queue-get on the NIC shows the io-uring nest");

    // receive — steer everything to queue 3 and poll it.
    expect(w.set_rss_indirection(nic, std::vector<std::uint32_t>(128, 3)).ok(), "RSS table points at queue 3");
    for (int i = 0; i < 3; ++i) {
        (void)w.inject(nic, ethernet_frame(broadcast_mac, mac_address{0x02, 0, 0, 0, 0, 9}, 0x0800, 100));
    }
    const auto polled = w.poll(nic, 3);
    expect(polled.ok() && polled.value().size() == 3, "three frames polled on queue 3");
    expect(count(*w.area(area.value()), buffer_owner::kernel) == 3, "three buffers filled by the NIC");
    const auto taken = w.consumer_receive(area.value(), 2);
    expect(taken.ok() && taken.value().size() == 2, "the application takes two");
    expect(w.consumer_refill(area.value(), taken.value()[0]).ok(), "and gives one back");
    const auto& a = *w.area(area.value());
    expect(count(a, buffer_owner::user) == 1 && count(a, buffer_owner::kernel) == 1 &&
               count(a, buffer_owner::free_list) == 6,
           "buffers: 1 with the user, 1 in the ring, 6 free");

    // delete — the pair goes while the receiver is alive.
    expect(w.delete_link(host, delete_request{w.at(pair.value().device).ifindex, {}, {}}).ok(),
           "the netkit pair is deleted with the receiver alive");
    expect(!w.at(nic).rxq[3].lease.has_value(), "the lease has ended");
    expect(!w.at(nic).rxq[3].provider.has_value(), "the provider is gone from the NIC's queue 3");
    expect(w.at(peer).state == registration::unregistering, "the peer waits for the receiver's reference");
    if (buggy) {
        expect(w.state().hazards.size() == 1 && w.state().hazards[0].kind == hazard_kind::use_after_uninstall,
               "linux-7.1.0: the NIC ran on released provider memory (CVE-2026-74285)");
    } else {
        expect(w.state().hazards.empty(), "no queue ran on released memory");
    }
    expect(w.consumer_close(area.value()).ok(), "the receiver exits");
    expect(w.at(peer).state == registration::freed, "the peer is freed");

    // reuse — the host opens its own receiver on the NIC's queue 3.
    const auto again = w.zcrx_register(host, w.at(nic).ifindex, 3, 8);
    expect(again.ok(), "a receiver directly on the NIC's queue 3: " + answer(again));

    std::printf("%s\n", failures == 0 ? "lease lifecycle behaves as expected" : "differences found");
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
