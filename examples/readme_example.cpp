#include <netkit/model/typed.hpp>

namespace t = netkit::model::typed;
using netkit::model::world;

// An L2 pair whose pod side drops unless a program says otherwise.
using pod_link = t::pair<t::l2, t::peer_policy<netkit::uapi::action::drop>>;
// t::single<t::l3, t::with_mac> would not compile:
//   "netkit NK-DRV-08: an L3 netkit device carries no MAC address"

int main() {
    world w;
    auto pod_ns = w.create_netns("pod");
    auto pod = t::create<pod_link>(w, world::root(), "host0", {.peer_name = "eth0", .peer_netns = pod_ns});
    if (!pod) return 1;
    (void)pod.value().up();
    // A second pod with the same host name: the kernel's answer, EEXIST.
    auto again = t::create<pod_link>(w, world::root(), "host0");
    return again.code() == netkit::core::errno_code::exists ? 0 : 1;
}
