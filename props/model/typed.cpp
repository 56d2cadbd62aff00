// Tests of include/netkit/model/typed.hpp: the typed façade and the run-time
// path reach the same implementation and the same verdicts. The compile-time
// refusals themselves are in props/compile_fail/typed_*.cpp.
#include <netkit/model/typed.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <string>
#include <vector>

namespace {

using namespace netkit;
using namespace netkit::model;
namespace t = netkit::model::typed;

const caller root = world::root();

using pod_pair = t::pair<t::l2, t::policy<uapi::action::drop>, t::peer_policy<uapi::action::pass>,
                         t::scrub<uapi::scrub::none>, t::headroom<32>, t::tailroom<8>>;
using l3_pair = t::pair<t::l3>;
using af_xdp_device = t::single<t::l2, t::with_mac, t::headroom<16>>;

// The bridge: a typed creation equals the run-time request for the same configuration.
template <class Type>
void expect_same_world(const t::runtime_settings& runtime) {
    world typed_world;
    world runtime_world;
    auto typed = t::create<Type>(typed_world, root, "host0", runtime);
    auto plain = runtime_world.new_link(root, t::request_of(Type::value, "host0", runtime));
    ASSERT_EQ(typed.ok(), plain.ok());
    // The typed path opened and closed a netns descriptor only when asked to.
    EXPECT_EQ(typed_world, runtime_world);
}

// NK-DRV-01 … NK-DRV-10 through both paths
TEST(typed, a_typed_creation_builds_the_same_world_as_the_runtime_request) {
    t::runtime_settings runtime;
    runtime.peer_name = "eth0";
    runtime.mtu = 9000;
    runtime.mac = {0x02, 0, 0, 0, 0, 9};
    expect_same_world<pod_pair>(runtime);
    expect_same_world<l3_pair>(runtime);
    expect_same_world<af_xdp_device>(t::runtime_settings{std::nullopt, std::nullopt, runtime.mac, 1500, 2});
}

TEST(typed, a_typed_pair_offers_the_pair_operations) {
    world w;
    auto pod = t::create<pod_pair>(w, root, "host0");
    ASSERT_TRUE(pod.ok());
    auto& h = pod.value();
    EXPECT_EQ(w.at(h.primary()).netkit->policy, uapi::action::drop);
    EXPECT_EQ(w.at(h.peer()).netkit->scrub, uapi::scrub::standard);
    EXPECT_EQ(w.at(h.primary()).needed_headroom, 32);
    ASSERT_TRUE(h.up().ok());
    ASSERT_TRUE(h.set_mac({0x02, 1, 1, 1, 1, 1}).ok());
    ASSERT_TRUE(h.change_policy(uapi::action::pass).ok());
    EXPECT_EQ(h.change_policy(static_cast<uapi::action>(5)).code(), core::errno_code::invalid);
    const auto fd = w.load_program(bpf::program_spec{"tc", returns(uapi::action::pass), nullptr,
                                                     uapi::bpf_program_type::traffic_classifier, false});
    ASSERT_TRUE(h.attach(fd, t::side::peer).ok());
    ASSERT_TRUE(h.link(fd).ok());
    auto sent = h.transmit(ethernet_frame(w.at(h.peer()).mac, w.at(h.primary()).mac, 0x0800));
    EXPECT_EQ(sent.status, transmit_status::sent);
    ASSERT_TRUE(h.destroy().ok());
    EXPECT_EQ(w.find(world::initial_netns(), "host0"), nullptr);
}

TEST(typed, a_typed_single_device_drops_what_it_transmits) {
    world w;
    auto dev = t::create<af_xdp_device>(w, root, "nk", t::runtime_settings{{}, {}, {0x02, 0, 0, 0, 0, 1}, {}, 2});
    ASSERT_TRUE(dev.ok());
    EXPECT_EQ(w.at(dev.value().primary()).rx_queues, 2U);
    EXPECT_EQ(dev.value().transmit(ethernet_frame(broadcast_mac, zero_mac, 0x0800)).status, transmit_status::dropped);
}

t::netkit_config config_from(std::uint32_t bits) {
    t::netkit_config c;
    c.pairing = (bits & 1U) != 0 ? uapi::pairing::single : uapi::pairing::pair;
    c.mode = (bits & 2U) != 0 ? uapi::mode::l2 : uapi::mode::l3;
    c.sets_policy = (bits & 4U) != 0;
    c.policy = static_cast<uapi::action>((bits >> 8) % 4 == 3 ? 7 : ((bits >> 8) % 4 == 2 ? 2 : (bits >> 8) % 4 == 1 ? 0 : 5));
    c.sets_peer_policy = (bits & 8U) != 0;
    c.peer_policy = (bits & 16U) != 0 ? uapi::action::drop : uapi::action::pass;
    c.sets_scrub = (bits & 32U) != 0;
    c.sets_peer_scrub = (bits & 64U) != 0;
    c.with_mac = (bits & 128U) != 0;
    c.headroom = static_cast<std::uint16_t>((bits >> 12) & 0x3f);
    return c;
}

// NK-DRV-04, NK-DRV-05, NK-DRV-08, NK-DRV-09: the compile-time predicates agree with the world.
TEST(typed, the_compile_time_rules_agree_with_the_world_for_every_configuration) {
    const bool ok = rc::check("violation_of(config) is exactly what new_link answers", [] {
        const auto config = config_from(*rc::gen::arbitrary<std::uint32_t>());
        world w;
        t::runtime_settings runtime;
        runtime.mac = {0x02, 0xab, 0, 0, 0, 1};
        auto result = w.new_link(root, t::request_of(config, "nk", runtime));
        const auto expected = t::violation_of(config);
        if (expected) {
            RC_ASSERT(!result.ok());
            RC_ASSERT(result.failure().code == expected->code);
        } else {
            RC_ASSERT(result.ok());
        }
    });
    EXPECT_TRUE(ok);
}

static_assert(t::violation_of(t::make_config<uapi::pairing::single, t::peer_policy<uapi::action::pass>>())->code ==
              core::errno_code::not_supported);
static_assert(!t::violation_of(pod_pair::value).has_value());

}  // namespace
