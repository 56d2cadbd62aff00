// AF_XDP inside a container through a single netkit device (lease.md §9,
// scenario SC-QL-058), end to end against the model.
//
// The set-up a control plane (or QEMU's AF_XDP backend) builds:
//   1. a hardware NIC with 16 queues in the host;
//   2. `ip link add numrxqueues 2 nk type netkit single` — one device, one
//      spare RX queue;
//   3. queue-create: lease the NIC's queue 15 onto the netkit device (it
//      becomes the device's queue 1);
//   4. move the netkit device into the container's netns;
//   5. inside the container: an AF_XDP socket bound to (nk, queue 1) in
//      zero-copy mode — netkit forwards the pool to the NIC's queue 15.
// Then frames that RSS steers to the NIC's queue 15 and that the NIC's XDP
// program redirects reach the container's socket; frames on any other queue
// are refused by the socket's receive check (QL-XSK-11). Finally the
// container goes away and the NIC's queue is free again.
//
// Every step prints what the kernel would answer; the program exits non-zero
// if any answer differs from the expected one.
#include <netkit/model/world.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
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

// A UDP/IPv4 frame from 10.0.0.1:port to 10.0.0.2:4096.
frame udp_frame(std::uint16_t port) {
    frame f = ethernet_frame(broadcast_mac, mac_address{0x02, 0, 0, 0, 0, 1}, 0x0800, 46);
    f.bytes[14 + 9] = 17;
    const std::uint8_t addresses[8] = {10, 0, 0, 1, 10, 0, 0, 2};
    for (int i = 0; i < 8; ++i) {
        f.bytes[14 + 12 + i] = addresses[i];
    }
    f.bytes[34] = static_cast<std::uint8_t>(port >> 8);
    f.bytes[35] = static_cast<std::uint8_t>(port);
    f.bytes[36] = 0x10;
    f.bytes[37] = 0x00;
    return f;
}

}  // namespace

int main() {
    world w;
    const caller host = world::root();

    // 1. The NIC, up, with an XDP program that sends every frame to AF_XDP.
    const auto nic = w.create_softnic(softnic::spec{1, 16, softnic_config::hwnic()}).value().front();
    expect(w.open(nic).ok(), "NIC " + w.at(nic).name + " is up with 16 queues");
    expect(w.attach_xdp(nic, xdp_program{xdp_verdict::redirect_xsk, false}).ok(), "XDP redirect program attached");

    // 2. The single netkit device with one spare RX queue.
    const auto created = w.new_link(host, requests::netkit_single("nk", 2));
    expect(created.ok(), "single netkit device created: " + answer(created));
    const auto nk = created.value().device;
    expect(w.at(nk).xdp_features == uapi::single_device_xdp_features, "nk advertises the AF_XDP feature set");

    // 3. Lease the NIC's queue 15 onto nk.
    const auto leased =
        w.queue_create(host, lease::queue_create_request::rx(w.at(nk).ifindex, w.at(nic).ifindex, 15));
    expect(leased.ok() && leased.value() == 1, "queue-create returns nk's new queue id 1: " + answer(leased));

    // 4. Into the container.
    const auto container = w.create_netns("container");
    expect(w.move(nk, container).ok(), "nk moved into the container's netns");
    expect(w.open(nk).ok(), "nk is up inside the container");

    // 5. Inside the container: a zero-copy AF_XDP socket on (nk, 1).
    lease::xsk_options zero_copy;
    zero_copy.mode = xsk_mode::zero_copy_forced;
    const auto socket = w.xsk_bind(world::root(container), w.at(nk).ifindex, 1, zero_copy);
    expect(socket.ok(), "AF_XDP zero-copy bind on (nk, 1): " + answer(socket));
    expect(w.at(nic).rxq[15].zero_copy, "the pool sits on the NIC's queue 15 in zero-copy mode");
    const auto physical = w.queue_get(host, w.at(nic).ifindex, 15);
    expect(physical.ok() && physical.value().xsk && physical.value().lease.has_value(),
           "queue-get on the NIC's queue 15 shows the lease and the xsk nest");
    expect(w.queue_get(world::root(container), w.at(nk).ifindex, 1).value().lease == std::nullopt,
           "queue-get inside the container shows no lease nest (QL-GET-04)");

    // Traffic: steer every flow to queue 15, then to queue 3.
    expect(w.set_rss_indirection(nic, std::vector<std::uint32_t>(128, 15)).ok(), "RSS table points at queue 15");
    (void)w.inject(nic, udp_frame(1000));
    const auto delivered = w.poll(nic, 15);
    expect(delivered.ok() && delivered.value().size() == 1 &&
               delivered.value()[0].end == softnic::rx_end::af_xdp,
           "a frame on queue 15 reaches the container's socket");
    expect(w.socket(socket.value())->rx_ring.size() == 1, "the socket's ring holds it");
    expect(w.xsk_receive_check(socket.value(), nic, 3).code() == core::errno_code::invalid,
           "the receive check refuses a frame from queue 3 (EINVAL)");

    // The container goes away: nk is deleted, its socket unbound, the lease
    // ends and the NIC's queue 15 is free for the host again.
    expect(w.delete_netns(container).ok(), "the container's netns is deleted");
    expect(!w.socket(socket.value())->bound.has_value(), "the socket is unbound");
    expect(!w.at(nic).rxq[15].lease && !w.at(nic).rxq[15].xsk_pool, "the NIC's queue 15 is free");
    expect(w.xsk_bind(host, w.at(nic).ifindex, 15, zero_copy).ok(), "the host binds its own socket to queue 15");

    std::printf("%s\n", failures == 0 ? "AF_XDP single-device set-up behaves as Linux 7.1 does" : "differences found");
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
