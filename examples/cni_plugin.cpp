// A CNI-like control plane tested against the model, the way a user would
// use netkit-model as a fake kernel.
//
// `add_pod` is the kind of function a container runtime's network plugin
// runs for every pod: create a netkit pair whose peer lands in the pod's
// netns as "eth0", bring both ends up, attach the host-side policy programs
// as links, and hand back what it created; `del_pod` tears it all down. The
// code only talks to the model through the operations the kernel offers, so
// the same logic, pointed at a real netlink socket, would do the same thing.
//
// main() then checks the plugin as a test would: the pod's interface is where
// it should be, traffic flows both ways through the programs, a second ADD
// for the same pod fails the way the kernel fails it (EEXIST), and DEL leaves
// nothing behind — devices gone, links defunct, the program free to reuse.
#include <netkit/model/typed.hpp>
#include <netkit/model/world.hpp>

#include <cstdio>
#include <optional>
#include <string>

namespace cni {

using namespace netkit;
using namespace netkit::model;
namespace t = netkit::model::typed;

// The pod's interface: an L2 pair, host side forwarding by default, pod side
// dropping unless a program says otherwise.
using pod_link = t::pair<t::l2, t::policy<uapi::action::pass>, t::peer_policy<uapi::action::drop>>;

struct pod {
    std::string host_name;
    core::netns_handle netns;
    t::handle<pod_link> device;
    std::int32_t egress_link = -1;   // runs when the host transmits towards the pod
    std::int32_t ingress_link = -1;  // runs when the pod transmits towards the host
};

// CNI ADD.
inline core::result<pod> add_pod(world& w, const std::string& id, core::netns_handle netns, std::int32_t policy_fd) {
    const std::string host_name = "nk" + id;
    t::runtime_settings runtime;
    runtime.peer_name = "eth0";
    runtime.peer_netns = netns;
    auto created = t::create<pod_link>(w, world::root(), host_name, runtime);
    if (!created) {
        return created.failure();
    }
    pod p{host_name, netns, created.value(), -1, -1};
    if (auto s = p.device.up(); !s) {
        return s.failure();
    }
    auto egress = p.device.link(policy_fd, t::side::primary);
    auto ingress = p.device.link(policy_fd, t::side::peer);
    if (!egress || !ingress) {
        (void)p.device.destroy();
        return (!egress ? egress : ingress).failure();
    }
    p.egress_link = egress.value();
    p.ingress_link = ingress.value();
    return p;
}

// CNI DEL: deleting the host end removes both ends and makes the links
// defunct (NK-DEL-01, MP-61); closing the link descriptors releases them.
inline core::status del_pod(world& w, pod& p) {
    if (auto s = p.device.destroy(); !s) {
        return s;
    }
    (void)w.close(p.egress_link);
    (void)w.close(p.ingress_link);
    return core::ok();
}

}  // namespace cni

namespace {

int failures = 0;
int checks = 0;

void check(bool condition, const char* what) {
    std::printf("%s %s\n", condition ? "ok  " : "FAIL", what);
    failures += condition ? 0 : 1;
    ++checks;
}

}  // namespace

int main() {
    using namespace netkit;
    using namespace netkit::model;
    world w;
    const auto pod_netns = w.create_netns("pod-a");
    const std::int32_t policy = w.load_program(
        bpf::program_spec{"allow", returns(uapi::action::pass), nullptr, uapi::bpf_program_type::traffic_classifier, false});

    auto added = cni::add_pod(w, "a", pod_netns, policy);
    check(added.ok(), "ADD succeeds");
    if (!added) {
        std::printf("  %s\n", core::to_string(added.failure()).c_str());
        return 1;
    }
    cni::pod& pod = added.value();
    const device* eth0 = w.find(pod_netns, "eth0");
    check(eth0 != nullptr && eth0->handle == pod.device.peer(), "the pod sees eth0 in its netns");
    check(w.find(world::initial_netns(), pod.host_name) != nullptr, "the host end stays in the host netns");
    check(w.at(pod.device.primary()).carrier && eth0->carrier, "both ends have carrier");

    const auto to_pod = ethernet_frame(eth0->mac, w.at(pod.device.primary()).mac, 0x0800);
    check(pod.device.transmit(to_pod).status == transmit_status::sent, "host → pod is delivered");
    const auto to_host = ethernet_frame(w.at(pod.device.primary()).mac, eth0->mac, 0x0800);
    check(pod.device.transmit(to_host, typed::side::peer).status == transmit_status::sent,
          "pod → host is delivered: the peer program overrides the pod side's DROP policy");
    check(w.program_at(policy)->observed.runs == 2, "the policy program ran once per direction");

    auto again = cni::add_pod(w, "a", pod_netns, policy);
    check(!again.ok() && again.code() == core::errno_code::exists, "a second ADD for the pod fails with EEXIST");

    check(cni::del_pod(w, pod).ok(), "DEL succeeds");
    check(w.find(world::initial_netns(), "nka") == nullptr && w.find(pod_netns, "eth0") == nullptr,
          "DEL removes both ends");
    check(w.program_at(policy)->references == 1, "only our own descriptor still holds the program");
    check(cni::add_pod(w, "a", pod_netns, policy).ok(), "the pod can be added again");

    std::printf("%d passed, %d failed\n", checks - failures, failures);
    return failures == 0 ? 0 : 1;
}
