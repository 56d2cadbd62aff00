// Tests of lease lifetime and teardown — include/netkit/model/queue_ops.hpp
// (unlease, provider cleanup per profile), links::unregister_batch in
// include/netkit/model/links.hpp — and of the ethtool channel path of
// include/netkit/model/softnic.hpp, against lease.md §11 (QL-ETH-01…05),
// §12 (QL-LIFE-01…09), §13 (netns deletion), the queue state machines of
// §14/§15 (one test per row, named after it: QL-PSM-02…30, QL-VSM-02…12),
// the invariants of §16 (QL-INV-01…08, QL-INV-10) and device.md NK-DEL-08
// and NK-FEAT-06.
//
// The state tables are exercised on the run-time world: every row builds a
// world in the row's from-state (queue 3 of a 4-queue hardware-like NIC),
// applies the row's event through the public API and checks the to-state,
// the result and, for refusals, that nothing changed.
#include <lease/bench.hpp>
#include <lease/invariants.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace {

using namespace lease_test;

const core::profile_traits& newest = core::profiles::newest::traits;
const core::profile_traits& linux_7_1_0 = core::profiles::linux_7_1_0::traits;
const core::profile_traits& v7_jan2026 = core::profiles::v7_jan2026::traits;

const refusal accepted{};
const refusal ebusy{errno_code::busy, ""};
const refusal einval{errno_code::invalid, ""};
const refusal eopnotsupp{errno_code::not_supported, ""};

// QL-PSM-01: the states of a physical RX queue, read off the world.
enum class pstate { p0_inactive, p1_free, p2_mp_direct, p3_xsk_direct, p4_leased, p5_leased_mp, p6_leased_xsk };

std::ostream& operator<<(std::ostream& out, pstate s) {
    static constexpr const char* names[] = {"P0 INACTIVE", "P1 FREE",   "P2 MP_DIRECT", "P3 XSK_DIRECT",
                                            "P4 LEASED",   "P5 LEASED_MP", "P6 LEASED_XSK"};
    return out << names[static_cast<int>(s)];
}

pstate state_of(const world& w, core::device_handle nic, std::uint32_t q) {
    const device& d = w.at(nic);
    if (q >= d.real_rx_queues) {
        return pstate::p0_inactive;
    }
    const rx_queue& r = d.rxq.at(q);
    if (r.lease) {
        return r.provider ? pstate::p5_leased_mp : r.xsk_pool ? pstate::p6_leased_xsk : pstate::p4_leased;
    }
    return r.provider ? pstate::p2_mp_direct : r.xsk_pool ? pstate::p3_xsk_direct : pstate::p1_free;
}

// QL-VSM-01: the states of a netkit RX queue.
enum class vstate { v0_base, v1_unallocated, v2_leased, v3_dead, other };

std::ostream& operator<<(std::ostream& out, vstate s) {
    static constexpr const char* names[] = {"V0 BASE", "V1 UNALLOCATED", "V2 LEASED", "V3 DEAD", "(none)"};
    return out << names[static_cast<int>(s)];
}

vstate state_of_virtual(const world& w, core::device_handle v, std::uint32_t k) {
    const device& d = w.at(v);
    if (d.state != registration::registered) {
        return vstate::v3_dead;
    }
    if (k == 0) {
        return d.leased(0) || d.rxq[0].provider ? vstate::other : vstate::v0_base;
    }
    if (k >= d.real_rx_queues && k < d.rx_queues) {
        return vstate::v1_unallocated;
    }
    return d.leased(k) ? vstate::v2_leased : vstate::other;
}

// The queue every row works on: the NIC's highest, so that removing it is
// a shrink to 3 channels.
constexpr std::uint32_t q = 3;

// What a from-state builder made: the lessee's queue index and device and
// the consumer (area or socket) id, where there is one.
struct built {
    std::uint32_t k = 0;
    core::device_handle lessee;
    std::uint32_t consumer = 0;
};

built to_p0(single_bench& b) {
    must_ok(b.w.ethtool_set_channels(b.nic, links::channel_counts{{}, {}, q, {}}), "shrink");
    return {};
}
built to_p1(single_bench&) { return {}; }
built to_p2(single_bench& b) { return built{0, {}, must(b.zcrx_nic(q), "zcrx on nic")}; }
built to_p3(single_bench& b) { return built{0, {}, must(b.xsk_nic(q), "xsk on nic")}; }
built to_p4(single_bench& b) { return built{b.lease(q), b.pair.guest, 0}; }
built to_p5(single_bench& b) {
    const auto k = b.lease(q);
    return built{k, b.pair.guest, must(b.zcrx_guest(k), "zcrx through lease")};
}
built to_p6(single_bench& b) {
    const auto k = b.lease_single(q);
    return built{k, b.single, must(b.xsk_single(k, xsk_mode::zero_copy_forced), "xsk through lease")};
}

struct from_state {
    pstate state;
    built (*build)(single_bench&);
};
const from_state leased_states[] = {
    {pstate::p4_leased, to_p4}, {pstate::p5_leased_mp, to_p5}, {pstate::p6_leased_xsk, to_p6}};

links::channel_counts combined(std::uint32_t n) { return links::channel_counts{{}, {}, n, {}}; }

core::status delete_pair(world& w, const netkit_pair& p) {
    return w.delete_link(root, delete_request{ifindex(w, p.host), {}, {}});
}

// Expects a refused operation to change nothing and returns its refusal.
template <class Operation>
refusal refused(world& w, Operation&& operation) {
    const world before = w;
    const auto outcome = operation(w);
    EXPECT_FALSE(outcome.ok());
    EXPECT_TRUE(w == before) << "a refused operation changed the world";
    return refusal_of(outcome);
}

std::string joined(const invariants::violations& v) {
    std::string out;
    for (const auto& line : v) {
        out += line + "\n";
    }
    return out;
}

// ================================================================ lifetime

// QL-LIFE-01, QL-LIFE-03: link down/up of either end, netns moves of
// either end, channel growth and a shrink that keeps the leased index,
// provider open/close and AF_XDP bind/unbind all keep the lease; only the
// lessee's unregistration ends it.
TEST(lease_lifetime, nothing_but_the_lessees_unregistration_ends_a_lease_QL_LIFE_01) {
    single_bench b;
    const std::uint32_t k = b.lease(1);
    const queue_ref physical{b.nic, 1};
    const queue_ref virtual_end{b.pair.guest, k};
    auto intact = [&](const char* after) {
        EXPECT_EQ(b.w.at(b.nic).rxq[1].lease, virtual_end) << after;
        EXPECT_EQ(b.w.at(b.pair.guest).rxq[k].lease, physical) << after;
        EXPECT_EQ(b.w.at(b.nic).lease_refs, 1u) << after;
    };
    for (const auto h : {b.pair.host, b.pair.guest, b.nic}) {
        must_ok(b.w.open(h));
        b.w.close_device(h);
        must_ok(b.w.open(h));
    }
    intact("down/up");
    const auto elsewhere = b.w.create_netns("elsewhere");
    must_ok(b.w.move(b.pair.guest, elsewhere));
    intact("lessee move");
    must_ok(b.w.move(b.nic, elsewhere));
    intact("lessor move");
    must_ok(b.w.move(b.nic, world::initial_netns()));
    must_ok(b.w.open(b.nic));
    must_ok(b.w.ethtool_set_channels(b.nic, combined(2)));
    intact("shrink keeping the leased index");
    must_ok(b.w.ethtool_set_channels(b.nic, combined(4)));
    intact("growth");
    const caller in_guest = world::root(elsewhere);
    const auto area = must(b.w.zcrx_register(in_guest, ifindex(b.w, b.pair.guest), k));
    must_ok(b.w.consumer_close(area));
    intact("provider open/close");
    const auto socket = must(b.w.xsk_bind(in_guest, ifindex(b.w, b.pair.guest), k));
    must_ok(b.w.xsk_close(socket));
    intact("AF_XDP bind/unbind");
    must_ok(delete_pair(b.w, b.pair));
    EXPECT_FALSE(b.w.at(b.nic).rxq[1].lease.has_value());
    EXPECT_EQ(b.w.at(b.nic).lease_refs, 0u);
}

// QL-LIFE-02, NK-DEL-03, QL-NS-04: the lessee unregisters — and the lease
// ends — when either end of its pair is deleted, when the netns of either
// end is deleted, or when the lessor unregisters (QL-LIFE-09). (Unloading
// the netkit kind is not an operation of the model.)
TEST(lease_lifetime, every_cause_of_lessee_unregistration_ends_the_lease_QL_LIFE_02) {
    const std::vector<std::pair<const char*, std::function<void(single_bench&)>>> causes = {
        {"delete the primary", [](single_bench& b) { must_ok(delete_pair(b.w, b.pair)); }},
        {"delete the peer",
         [](single_bench& b) {
             must_ok(b.w.delete_link(b.guest_caller(), delete_request{b.guest_index(), {}, {}}));
         }},
        {"delete the peer's netns", [](single_bench& b) { must_ok(b.w.delete_netns(b.pair.ns)); }},
        {"delete the primary's netns",
         [](single_bench& b) {
             const auto ns = b.w.create_netns("host-side");
             must_ok(b.w.move(b.pair.host, ns));
             must_ok(b.w.delete_netns(ns));
         }},
        {"remove the lessor", [](single_bench& b) { must_ok(b.w.remove_softnic_port(b.nic)); }},
    };
    for (const auto& [what, cause] : causes) {
        single_bench b;
        b.lease(2);
        const std::uint32_t ks = b.lease_single(1);
        cause(b);
        EXPECT_NE(b.w.at(b.pair.guest).state, registration::registered) << what;
        EXPECT_NE(b.w.at(b.pair.host).state, registration::registered) << what;
        EXPECT_FALSE(b.w.at(b.nic).rxq[2].lease.has_value()) << what;
        EXPECT_FALSE(b.w.at(b.pair.guest).rxq[1].lease.has_value()) << what;
        if (b.w.at(b.nic).state == registration::registered) {
            // Leases of other netkit devices are untouched (QL-NS-04).
            EXPECT_EQ(b.w.at(b.nic).rxq[1].lease, (queue_ref{b.single, ks})) << what;
            EXPECT_EQ(b.w.at(b.nic).lease_refs, 1u) << what;
        }
    }
}

// QL-LIFE-02, QL-LIFE-06, QL-LIFE-08: both deletion orders — lessee then
// lessor, lessor then lessee (already gone with it: ENODEV) — leave the
// same thing behind: both devices and the NIC gone, the receiver's
// provider uninstalled, no reference left. The one difference is
// linux-7.1.0's CVE-2026-74285 window when the lessee goes first on the
// running NIC (QL-LIFE-06); lessor first, the NIC is closed before any
// provider goes.
TEST(lease_lifetime, both_deletion_orders_end_in_the_same_place_QL_LIFE_02) {
    for (const auto* profile : {&newest, &linux_7_1_0}) {
        for (const bool lessee_first : {true, false}) {
            single_bench b(*profile);
            const auto p5 = to_p5(b);
            const auto host = ifindex(b.w, b.pair.host);
            if (lessee_first) {
                must_ok(b.w.delete_link(root, delete_request{host, {}, {}}));
                must_ok(b.w.remove_softnic_port(b.nic));
            } else {
                must_ok(b.w.remove_softnic_port(b.nic));
                EXPECT_EQ(refusal_of(b.w.delete_link(root, delete_request{host, {}, {}})),
                          (refusal{errno_code::no_device, ""}));
            }
            must_ok(b.w.consumer_close(p5.consumer));
            for (const auto h : {b.pair.host, b.pair.guest, b.nic}) {
                EXPECT_EQ(b.w.at(h).state, registration::freed) << profile->name << " " << lessee_first;
            }
            EXPECT_FALSE(b.w.area(p5.consumer)->installed);
            EXPECT_FALSE(b.nic_rxq(q).provider.has_value());
            EXPECT_EQ(b.w.at(b.nic).lease_refs, 0u);
            EXPECT_EQ(b.w.state().hazards.size(), profile == &linux_7_1_0 && lessee_first ? 1u : 0u);
        }
    }
}

// [unconfirmed] QL-LIFE-04, QL-XSK-14, MP-61, NK-DEL-07: the lessee's
// teardown in order: closed (carrier off on both ends); its sockets
// unbound with the pool cleared at the physical queue — which needs the
// lease still in place, so this comes before the unlease; BPF released
// (the link is defunct) and the queues unleased; the device freed only
// when the receiver holding it exits.
TEST(lease_lifetime, the_lessee_teardown_runs_close_unbind_release_unlease_then_waits_unconfirmed_QL_LIFE_04) {
    single_bench b;
    const std::uint32_t k1 = b.lease(1);
    const std::uint32_t k2 = b.lease(2);
    must_ok(b.w.open(b.pair.host));
    must_ok(b.w.open(b.pair.guest));
    ASSERT_TRUE(b.w.at(b.pair.guest).carrier);
    const auto program = b.w.load_program(
        bpf::program_spec{"tc", {}, nullptr, uapi::bpf_program_type::traffic_classifier, false});
    const auto link = must(b.w.link_create(
        root, bpf::link_create_args{program, ifindex(b.w, b.pair.host), uapi::bpf_attach_type::netkit_peer, {}, 0, 0}));
    const auto socket = must(b.xsk_guest(k1));
    const auto area = must(b.zcrx_guest(k2));
    ASSERT_EQ(b.w.at(b.nic).rxq[1].xsk_pool, socket);

    must_ok(delete_pair(b.w, b.pair));
    for (const auto h : {b.pair.host, b.pair.guest}) {
        EXPECT_FALSE(b.w.at(h).up);       // (1)
        EXPECT_FALSE(b.w.at(h).carrier);
    }
    EXPECT_FALSE(b.w.socket(socket)->bound.has_value());  // (3)
    EXPECT_FALSE(b.w.at(b.nic).rxq[1].xsk_pool.has_value());
    EXPECT_FALSE(b.w.at(b.nic).txq[1].xsk_pool.has_value());
    EXPECT_EQ(must(b.w.link_info(link)).ifindex, 0);  // (4) BPF released
    EXPECT_FALSE(b.w.at(b.nic).rxq[1].lease.has_value());  // (4) unleased
    EXPECT_FALSE(b.w.at(b.nic).rxq[2].lease.has_value());
    EXPECT_FALSE(b.w.at(b.nic).rxq[2].provider.has_value());
    EXPECT_EQ(b.w.at(b.nic).lease_refs, 0u);
    EXPECT_EQ(b.w.at(b.pair.host).state, registration::freed);  // (5)
    EXPECT_EQ(b.w.at(b.pair.guest).state, registration::unregistering);
    EXPECT_EQ(b.w.find(b.pair.ns, ifindex(b.w, b.pair.guest)), nullptr);
    must_ok(b.w.consumer_close(area));
    EXPECT_EQ(b.w.at(b.pair.guest).state, registration::freed);
    EXPECT_TRUE(b.w.state().hazards.empty());
}

// QL-LIFE-05, QL-LIFE-06: the unlease loop walks the lessee's queues 1 …
// real rx − 1 in ascending order: under linux-7.1.0 the use-after-
// uninstall windows are recorded in that order (lessee queue 1 leases NIC
// queue 3, lessee queue 2 NIC queue 1); every reference is dropped.
TEST(lease_lifetime, the_unlease_loop_walks_the_lessee_queues_in_ascending_order_QL_LIFE_05) {
    single_bench b(linux_7_1_0);
    const std::uint32_t k1 = b.lease_single(3);
    const std::uint32_t k2 = b.lease_single(1);
    ASSERT_EQ(k1, 1u);
    ASSERT_EQ(k2, 2u);
    const auto a1 = must(b.zcrx_single(k1));
    const auto a2 = must(b.zcrx_single(k2));
    must_ok(b.w.delete_link(root, delete_request{b.single_index(), {}, {}}));
    const std::vector<hazard> expected{hazard{hazard_kind::use_after_uninstall, b.nic, 3, a1},
                                       hazard{hazard_kind::use_after_uninstall, b.nic, 1, a2}};
    EXPECT_TRUE(b.w.state().hazards == expected);
    EXPECT_EQ(b.w.at(b.nic).lease_refs, 0u);
    EXPECT_FALSE(b.w.at(b.nic).rxq[3].lease.has_value());
    EXPECT_FALSE(b.w.at(b.nic).rxq[1].lease.has_value());
}

// QL-LIFE-05: a lessee whose real rx is 1 unleases nothing: deleting it
// leaves the NIC exactly as it was.
TEST(lease_lifetime, a_lessee_with_one_real_queue_unleases_nothing_QL_LIFE_05) {
    single_bench b;
    b.lease_single(2);
    const device nic_before = b.w.at(b.nic);
    must_ok(delete_pair(b.w, b.pair));
    EXPECT_TRUE(b.w.at(b.nic) == nic_before);
}

// QL-LIFE-06 (newest): the physical queue restarts with cleared parameters
// first, then the uninstall hook runs: the queue swapped memory and no
// use-after-uninstall window exists.
TEST(lease_lifetime, newest_restarts_the_physical_queue_before_the_uninstall_hook_QL_LIFE_06) {
    single_bench b;
    const auto p5 = to_p5(b);
    const auto generation = b.nic_rxq(q).page_pool_generation;
    must_ok(delete_pair(b.w, b.pair));
    EXPECT_FALSE(b.nic_rxq(q).provider.has_value());
    EXPECT_EQ(b.nic_rxq(q).page_pool_generation, generation + 1);
    EXPECT_FALSE(b.w.area(p5.consumer)->installed);
    EXPECT_TRUE(b.w.state().hazards.empty());
}

// QL-LIFE-06, profile linux-7.1.0 (CVE-2026-74285): the hook runs first,
// while the running queue still uses the provider's memory: the model
// records the window as a use_after_uninstall hazard; the queue is then
// restarted with cleared parameters. A NIC that is down has no window.
TEST(lease_lifetime, linux_7_1_0_uninstalls_before_the_restart_and_records_the_window_QL_LIFE_06) {
    {
        single_bench b(linux_7_1_0);
        const auto p5 = to_p5(b);
        const auto generation = b.nic_rxq(q).page_pool_generation;
        must_ok(delete_pair(b.w, b.pair));
        const std::vector<hazard> expected{hazard{hazard_kind::use_after_uninstall, b.nic, q, p5.consumer}};
        EXPECT_TRUE(b.w.state().hazards == expected);
        EXPECT_FALSE(b.nic_rxq(q).provider.has_value());
        EXPECT_EQ(b.nic_rxq(q).page_pool_generation, generation + 1);
    }
    {
        single_bench b(linux_7_1_0, softnic_config::hwnic(), false);
        to_p5(b);
        must_ok(delete_pair(b.w, b.pair));
        EXPECT_TRUE(b.w.state().hazards.empty());
        EXPECT_FALSE(b.nic_rxq(q).provider.has_value());
    }
}

// [unconfirmed] QL-LIFE-06, profile v7-jan2026: no cleanup: the provider
// stays installed on the physical queue after unleasing.
TEST(lease_lifetime, v7_jan2026_leaves_the_provider_on_the_physical_queue_unconfirmed_QL_LIFE_06) {
    single_bench b(v7_jan2026);
    const auto p5 = to_p5(b);
    const auto generation = b.nic_rxq(q).page_pool_generation;
    must_ok(delete_pair(b.w, b.pair));
    EXPECT_FALSE(b.nic_rxq(q).lease.has_value());
    EXPECT_EQ(b.nic_rxq(q).provider, (provider_params{provider_kind::io_uring, p5.consumer}));
    EXPECT_EQ(b.nic_rxq(q).page_pool_generation, generation);
    EXPECT_TRUE(b.w.state().hazards.empty());
}

// QL-LIFE-07, QL-GET-07: after the lessee's teardown and the consumer's
// exit the physical queue shows neither lease nor provider and takes a
// receiver directly (newest and linux-7.1.0).
TEST(lease_lifetime, after_teardown_the_physical_queue_is_usable_directly_again_QL_LIFE_07) {
    for (const auto* profile : {&newest, &linux_7_1_0}) {
        single_bench b(*profile);
        const auto p5 = to_p5(b);
        must_ok(delete_pair(b.w, b.pair));
        must_ok(b.w.consumer_close(p5.consumer));
        const auto info = must(b.w.queue_get(root, b.nic_index(), q));
        EXPECT_FALSE(info.lease.has_value()) << profile->name;
        EXPECT_FALSE(info.io_uring);
        EXPECT_FALSE(info.dmabuf.has_value());
        EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p1_free);
        EXPECT_TRUE(b.zcrx_nic(q).ok());
    }
}

// [unconfirmed] QL-LIFE-07, QL-PSM-26, profile v7-jan2026: the provider
// left behind keeps the queue provider-bound (P2-like) even after the
// consumer's exit, so a direct receiver is refused.
TEST(lease_lifetime, v7_jan2026_keeps_the_queue_provider_bound_after_teardown_unconfirmed_QL_LIFE_07) {
    single_bench b(v7_jan2026);
    const auto p5 = to_p5(b);
    must_ok(delete_pair(b.w, b.pair));
    must_ok(b.w.consumer_close(p5.consumer));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p2_mp_direct);
    EXPECT_EQ(refused(b.w, [&](world&) { return b.zcrx_nic(q); }),
              (refusal{errno_code::exists, "designated queue already memory provider bound"}));
}

// QL-LIFE-08, QL-PSM-28, NK-DEL-07: the lessor's teardown: closed, every
// provider uninstalled (also the one installed through the lease), the
// leasing netkit devices deleted, the NIC freed when its last receiver
// exits. The NIC is down before any provider goes, so even linux-7.1.0
// records no hazard.
TEST(lease_lifetime, the_lessor_teardown_uninstalls_every_provider_while_closed_QL_LIFE_08) {
    for (const auto* profile : {&newest, &linux_7_1_0}) {
        single_bench b(*profile);
        const auto p5 = to_p5(b);
        const auto direct = must(b.zcrx_nic(0));
        must_ok(b.w.remove_softnic_port(b.nic));
        const device& nic = b.w.at(b.nic);
        EXPECT_FALSE(nic.up) << profile->name;
        EXPECT_FALSE(nic.rxq[q].provider.has_value());
        EXPECT_FALSE(nic.rxq[0].provider.has_value());
        EXPECT_FALSE(b.w.area(p5.consumer)->installed);
        EXPECT_FALSE(b.w.area(direct)->installed);
        EXPECT_NE(b.w.at(b.pair.guest).state, registration::registered);
        EXPECT_EQ(nic.lease_refs, 0u);
        EXPECT_EQ(nic.state, registration::unregistering);  // the direct receiver holds it
        EXPECT_TRUE(b.w.state().hazards.empty());
        must_ok(b.w.consumer_close(direct));
        EXPECT_EQ(b.w.at(b.nic).state, registration::freed);
    }
}

// QL-LIFE-09, NK-DEL-08, NK-DEL-01: the lessor's unregister notifier
// deletes every netkit device leasing from it — a pair peer leasing two
// queues, a second pair, a single device — with their pair peers, each
// once; an unrelated pair stays.
TEST(lease_lifetime, the_lessor_notifier_deletes_every_lessee_and_its_peer_once_QL_LIFE_09) {
    for (const auto* profile : {&newest, &linux_7_1_0, &v7_jan2026}) {
        single_bench b(*profile);
        b.lease(0);
        b.lease(3);
        const bool own_netns = profile->netns_id == core::lease_netns_id::accepted;
        const auto second = add_pair(b.w, 2, own_netns, uapi::mode::l2, "second%d");
        must(lease_to_guest(b.w, second, b.nic, 1));
        b.lease_single(2);
        const auto unrelated = add_pair(b.w, 2, false, uapi::mode::l2, "other%d");
        must_ok(b.w.remove_softnic_port(b.nic));
        for (const auto h : {b.pair.host, b.pair.guest, second.host, second.guest, b.single}) {
            EXPECT_EQ(b.w.at(h).state, registration::freed) << profile->name << " " << b.w.at(h).name;
        }
        EXPECT_EQ(b.w.at(unrelated.host).state, registration::registered);
        EXPECT_EQ(b.w.at(unrelated.guest).state, registration::registered);
        EXPECT_EQ(b.w.at(b.nic).state, registration::freed);
    }
}

// QL-LIFE-09, QL-NS-02, QL-PSM-30: the notifier ignores netns moves: moving
// the lessor keeps every lessee and every lease.
TEST(lease_lifetime, the_lessor_notifier_ignores_netns_moves_QL_LIFE_09) {
    single_bench b;
    const std::uint32_t k = b.lease(2);
    const std::uint32_t ks = b.lease_single(1);
    const auto ns = b.w.create_netns("moved");
    must_ok(b.w.move(b.nic, ns));
    EXPECT_EQ(b.w.at(b.pair.guest).state, registration::registered);
    EXPECT_EQ(b.w.at(b.single).state, registration::registered);
    EXPECT_EQ(b.nic_rxq(2).lease, (queue_ref{b.pair.guest, k}));
    EXPECT_EQ(b.nic_rxq(1).lease, (queue_ref{b.single, ks}));
    EXPECT_EQ(b.w.at(b.nic).lease_refs, 2u);
}

// [unconfirmed] QL-NS-03, NK-ENV-08: deleting the lessor's netns returns
// the NIC to the initial netns and the lease survives.
TEST(lease_lifetime, deleting_the_lessors_netns_returns_it_with_its_lease_unconfirmed_QL_NS_03) {
    world w;
    const auto ns = w.create_netns("nic-home");
    const auto nic = add_nic(w, 4, softnic_config::hwnic(), ns);
    must_ok(w.assign_netns_id(world::initial_netns(), ns, 5));
    const auto single = add_single(w, 3);
    const std::uint32_t k = must(lease_queue(w, root, single, nic, 2, 5));
    must_ok(w.delete_netns(ns));
    EXPECT_EQ(w.at(nic).state, registration::registered);
    EXPECT_EQ(w.at(nic).netns, world::initial_netns());
    EXPECT_EQ(w.at(nic).rxq[2].lease, (queue_ref{single, k}));
    EXPECT_EQ(w.at(single).rxq[k].lease, (queue_ref{nic, 2}));
}

// ================================================================= ethtool

// QL-ETH-01, SN-CH-03, SN-CH-04, SN-CH-05: channel-set checks in order:
// maximum, no RX/TX channel, RSS table, memory providers — a provider
// installed through a lease is reported before the lease — then busy queues.
TEST(ethtool_channels, checks_run_maximum_channel_rss_provider_then_busy_QL_ETH_01) {
    single_bench b;
    to_p5(b);  // NIC queue 3: leased with a provider
    auto set = [&](const links::channel_counts& c) {
        return refused(b.w, [&](world& w) { return w.ethtool_set_channels(b.nic, c); });
    };
    const world before = b.w;
    auto too_many = b.w.ethtool_set_channels(b.nic, combined(5));
    ASSERT_FALSE(too_many.ok());
    EXPECT_EQ(refusal_of(too_many), (refusal{errno_code::invalid, "requested channel count exceeds maximum"}));
    EXPECT_EQ(too_many.failure().bad_attribute, (core::attribute_path{softnic::ethtool_attr::combined_count}));
    EXPECT_TRUE(b.w == before);
    EXPECT_EQ(set(combined(0)),
              (refusal{errno_code::invalid,
                       "requested channel counts would result in no RX or TX channel being configured"}));
    must_ok(b.w.set_rss_indirection(b.nic, std::vector<std::uint32_t>(128, 3)));
    EXPECT_EQ(set(combined(2)),
              (refusal{errno_code::invalid, "requested channel counts are too low for existing indirection table (3)"}));
    must_ok(b.w.set_rss_indirection(b.nic, {}));
    EXPECT_EQ(set(combined(2)),
              (refusal{errno_code::invalid,
                       "requested channel counts are too low for existing memory provider setting (4)"}));
}

// QL-ETH-02: every removed RX index is checked with queue_busy in
// ascending order; the first busy one gives its message.
TEST(ethtool_channels, removed_indexes_are_checked_with_queue_busy_QL_ETH_02) {
    {
        single_bench b;
        to_p4(b);
        EXPECT_EQ(refused(b.w, [&](world& w) { return w.ethtool_set_channels(b.nic, combined(3)); }),
                  (refusal{errno_code::invalid, "Device queue in use due to queue leasing"}));
    }
    {
        single_bench b;
        to_p3(b);
        EXPECT_EQ(refused(b.w, [&](world& w) { return w.ethtool_set_channels(b.nic, combined(3)); }),
                  (refusal{errno_code::invalid, "Device queue in use by AF_XDP"}));
    }
    {
        single_bench b;
        to_p3(b);              // pool on 3
        b.lease(2);            // lease on 2: the lower index comes first
        EXPECT_EQ(refused(b.w, [&](world& w) { return w.ethtool_set_channels(b.nic, combined(2)); }),
                  (refusal{errno_code::invalid, "Device queue in use due to queue leasing"}));
    }
}

// [unconfirmed] QL-ETH-02, profile linux-7.1.0 (README §4 row 19): per
// direction with queue_busy's message, as newest.
TEST(ethtool_channels, linux_7_1_0_checks_per_direction_like_newest_unconfirmed_QL_ETH_02) {
    single_bench b(linux_7_1_0);
    to_p4(b);
    EXPECT_EQ(refused(b.w, [&](world& w) { return w.ethtool_set_channels(b.nic, combined(3)); }),
              (refusal{errno_code::invalid, "Device queue in use due to queue leasing"}));
}

// QL-ETH-02, profile v7-jan2026: one range checked as a whole, one message.
TEST(ethtool_channels, v7_jan2026_checks_one_range_with_one_message_QL_ETH_02) {
    for (const auto build : {to_p3, to_p4}) {
        single_bench b(v7_jan2026);
        build(b);
        EXPECT_EQ(refused(b.w, [&](world& w) { return w.ethtool_set_channels(b.nic, combined(3)); }),
                  (refusal{errno_code::invalid,
                           "requested channel counts are too low due to busy queues (AF_XDP or queue leasing)"}));
    }
}

// QL-ETH-03, SN-CH-08: the legacy ioctl refuses busy indexes, a provider's
// queue and an excessive count with EINVAL and no extack.
TEST(ethtool_channels, the_ioctl_path_refuses_without_extack_QL_ETH_03) {
    for (const auto build : {to_p2, to_p3, to_p4, to_p5, to_p6}) {
        single_bench b;
        build(b);
        EXPECT_EQ(refused(b.w,
                          [&](world& w) {
                              return w.ethtool_set_channels(b.nic, combined(3), softnic::channel_path::ioctl);
                          }),
                  einval);
    }
    single_bench b;
    EXPECT_EQ(refused(b.w, [&](world& w) { return w.ethtool_set_channels(b.nic, combined(5), softnic::channel_path::ioctl); }),
              einval);
    must_ok(b.w.ethtool_set_channels(b.nic, combined(2), softnic::channel_path::ioctl));
    EXPECT_EQ(b.w.at(b.nic).real_rx_queues, 2u);
}

// QL-ETH-04, SN-CH-02: growing, setting the same counts (netlink and ioctl,
// even with a provider on the highest queue) and a shrink that keeps every
// leased index succeed and keep the leases.
TEST(ethtool_channels, growth_same_counts_and_a_shrink_keeping_leases_succeed_QL_ETH_04) {
    single_bench b;
    const std::uint32_t k = b.lease(1);
    must_ok(b.w.ethtool_set_channels(b.nic, combined(2)));
    EXPECT_EQ(b.w.at(b.nic).real_rx_queues, 2u);
    must_ok(b.w.ethtool_set_channels(b.nic, combined(4)));
    EXPECT_EQ(b.w.at(b.nic).real_rx_queues, 4u);
    must(b.zcrx_nic(3));
    const world before = b.w;
    for (const auto path : {softnic::channel_path::netlink, softnic::channel_path::ioctl}) {
        must_ok(b.w.ethtool_set_channels(b.nic, combined(4), path), "same counts");
        EXPECT_TRUE(b.w == before);
    }
    EXPECT_EQ(b.nic_rxq(1).lease, (queue_ref{b.pair.guest, k}));
}

// QL-ETH-05, NK-RT-06, QL-VSM-10: netkit has no channel configuration, on
// either path.
TEST(ethtool_channels, netkit_refuses_channel_changes_QL_ETH_05) {
    single_bench b;
    b.lease(1);
    for (const auto h : {b.pair.host, b.pair.guest, b.single}) {
        for (const auto path : {softnic::channel_path::netlink, softnic::channel_path::ioctl}) {
            EXPECT_EQ(refused(b.w, [&](world& w) { return w.ethtool_set_channels(h, combined(1), path); }),
                      eopnotsupp);
        }
    }
}

// ========================================================= physical queue

// QL-PSM-02: growing the channels makes an inactive queue free.
TEST(physical_queue, QL_PSM_02_channels_grow_turns_P0_into_P1) {
    single_bench b;
    to_p0(b);
    ASSERT_EQ(state_of(b.w, b.nic, q), pstate::p0_inactive);
    must_ok(b.w.ethtool_set_channels(b.nic, combined(4)));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p1_free);
    EXPECT_TRUE(b.zcrx_nic(q).ok());
}

// QL-PSM-03: shrinking over a free queue makes it inactive.
TEST(physical_queue, QL_PSM_03_channels_shrink_turns_P1_into_P0) {
    single_bench b;
    must_ok(b.w.ethtool_set_channels(b.nic, combined(3)));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p0_inactive);
}

// QL-PSM-04, SN-CH-05: a direct provider refuses the shrink.
TEST(physical_queue, QL_PSM_04_channels_shrink_over_P2_is_refused_by_the_provider_check) {
    single_bench b;
    to_p2(b);
    EXPECT_EQ(refused(b.w, [&](world& w) { return w.ethtool_set_channels(b.nic, combined(3)); }),
              (refusal{errno_code::invalid,
                       "requested channel counts are too low for existing memory provider setting (4)"}));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p2_mp_direct);
}

// QL-PSM-05: a provider through the lease is reported by the provider
// check, which comes first.
TEST(physical_queue, QL_PSM_05_channels_shrink_over_P5_reports_the_provider_first) {
    single_bench b;
    to_p5(b);
    EXPECT_EQ(refused(b.w, [&](world& w) { return w.ethtool_set_channels(b.nic, combined(3)); }),
              (refusal{errno_code::invalid,
                       "requested channel counts are too low for existing memory provider setting (4)"}));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p5_leased_mp);
}

// QL-PSM-06: P3 and P6 give the AF_XDP message, P4 the leasing message.
TEST(physical_queue, QL_PSM_06_channels_shrink_over_P3_P4_P6_is_refused_by_queue_busy) {
    const std::pair<built (*)(single_bench&), const char*> rows[] = {
        {to_p3, "Device queue in use by AF_XDP"},
        {to_p4, "Device queue in use due to queue leasing"},
        {to_p6, "Device queue in use by AF_XDP"}};
    for (const auto& [build, message] : rows) {
        single_bench b;
        build(b);
        const pstate from = state_of(b.w, b.nic, q);
        EXPECT_EQ(refused(b.w, [&](world& w) { return w.ethtool_set_channels(b.nic, combined(3)); }),
                  (refusal{errno_code::invalid, message}));
        EXPECT_EQ(state_of(b.w, b.nic, q), from);
    }
}

// QL-PSM-07, QL-CRT-22: a free queue is leased; the reply is the new index.
TEST(physical_queue, QL_PSM_07_queue_create_turns_P1_into_P4) {
    single_bench b;
    EXPECT_EQ(must(lease_to_guest(b.w, b.pair, b.nic, q)), 1u);
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p4_leased);
    EXPECT_EQ(b.nic_rxq(q).lease, (queue_ref{b.pair.guest, 1}));
}

// QL-PSM-08.
TEST(physical_queue, QL_PSM_08_queue_create_on_P2_is_ebusy_memory_provider) {
    single_bench b;
    to_p2(b);
    EXPECT_EQ(refused(b.w, [&](world& w) { return lease_to_guest(w, b.pair, b.nic, q); }),
              (refusal{errno_code::busy, "Device queue in use by memory provider"}));
}

// QL-PSM-09.
TEST(physical_queue, QL_PSM_09_queue_create_on_P3_is_ebusy_af_xdp) {
    single_bench b;
    to_p3(b);
    EXPECT_EQ(refused(b.w, [&](world& w) { return lease_to_guest(w, b.pair, b.nic, q); }),
              (refusal{errno_code::busy, "Device queue in use by AF_XDP"}));
}

// QL-PSM-10, QL-CAN-03: P4 and P5 give the leasing message, P6 the AF_XDP
// one (AF_XDP is checked first under newest). The lessee here is the single
// device (the guest may already be the lessee).
TEST(physical_queue, QL_PSM_10_queue_create_on_P4_P5_P6_is_ebusy) {
    const std::pair<built (*)(single_bench&), const char*> rows[] = {
        {to_p4, "Device queue in use due to queue leasing"},
        {to_p5, "Device queue in use due to queue leasing"},
        {to_p6, "Device queue in use by AF_XDP"}};
    for (const auto& [build, message] : rows) {
        single_bench b;
        build(b);
        const pstate from = state_of(b.w, b.nic, q);
        EXPECT_EQ(refused(b.w, [&](world& w) { return lease_to_guest(w, b.pair, b.nic, q); }),
                  (refusal{errno_code::busy, message}));
        EXPECT_EQ(state_of(b.w, b.nic, q), from);
    }
}

// QL-PSM-11, QL-CRT-17: an inactive queue is out of range.
TEST(physical_queue, QL_PSM_11_queue_create_on_P0_is_erange) {
    single_bench b;
    to_p0(b);
    const world before = b.w;
    const auto outcome = lease_to_guest(b.w, b.pair, b.nic, q);
    EXPECT_EQ(refusal_of(outcome), (refusal{errno_code::out_of_range, ""}));
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.failure().bad_attribute, lease::path::lease_queue_id);
    EXPECT_TRUE(b.w == before);
}

// QL-PSM-12, QL-MP-06: a provider opened on a free queue of P itself.
TEST(physical_queue, QL_PSM_12_provider_open_on_P_turns_P1_into_P2) {
    single_bench b;
    const auto id = must(b.zcrx_nic(q));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p2_mp_direct);
    EXPECT_EQ(b.nic_rxq(q).provider, (provider_params{provider_kind::io_uring, id}));
}

// QL-PSM-13, QL-MP-03, QL-MP-09: a (bare) open on a leased queue of P is
// EBUSY; the model's consumers fail at the DMA lookup first.
TEST(physical_queue, QL_PSM_13_provider_open_on_P_in_P4_P5_P6_is_ebusy) {
    for (const auto& row : leased_states) {
        single_bench b;
        row.build(b);
        const auto bare = open_bare(b.w, b.nic, q);
        EXPECT_EQ(refusal_of(bare.outcome), (refusal{errno_code::busy, "rx queue leased to a virtual netdev"}))
            << row.state;
        EXPECT_TRUE(bare.state == b.w.state());
        EXPECT_EQ(refused(b.w, [&](world&) { return b.zcrx_nic(q); }), eopnotsupp);
        EXPECT_EQ(state_of(b.w, b.nic, q), row.state);
    }
}

// QL-PSM-14, QL-MP-04, QL-MP-07: an open through the lease installs on P's
// queue and restarts it.
TEST(physical_queue, QL_PSM_14_provider_open_on_V_turns_P4_into_P5_and_restarts_the_queue) {
    single_bench b;
    const auto p4 = to_p4(b);
    const auto generation = b.nic_rxq(q).page_pool_generation;
    must(b.zcrx_guest(p4.k));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p5_leased_mp);
    EXPECT_EQ(b.nic_rxq(q).page_pool_generation, generation + 1);
}

// QL-PSM-15.
TEST(physical_queue, QL_PSM_15_provider_open_on_V_in_P5_is_eexist) {
    single_bench b;
    const auto p5 = to_p5(b);
    EXPECT_EQ(refused(b.w, [&](world&) { return b.zcrx_guest(p5.k); }),
              (refusal{errno_code::exists, "designated queue already memory provider bound"}));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p5_leased_mp);
}

// QL-PSM-16: a pool through the lease refuses a provider through it.
TEST(physical_queue, QL_PSM_16_provider_open_on_V_in_P6_is_ebusy_af_xdp) {
    single_bench b;
    const auto p6 = to_p6(b);
    EXPECT_EQ(refused(b.w, [&](world&) { return b.zcrx_single(p6.k); }),
              (refusal{errno_code::busy, "designated queue already in use by AF_XDP"}));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p6_leased_xsk);
}

// QL-PSM-17, QL-MP-08: closing through the lease restarts P's queue.
TEST(physical_queue, QL_PSM_17_provider_close_on_V_turns_P5_into_P4_and_restarts_the_queue) {
    single_bench b;
    const auto p5 = to_p5(b);
    const auto generation = b.nic_rxq(q).page_pool_generation;
    must_ok(b.w.consumer_close(p5.consumer));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p4_leased);
    EXPECT_EQ(b.nic_rxq(q).page_pool_generation, generation + 1);
}

// QL-PSM-18.
TEST(physical_queue, QL_PSM_18_af_xdp_bind_on_P_turns_P1_into_P3) {
    single_bench b;
    const auto id = must(b.xsk_nic(q));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p3_xsk_direct);
    EXPECT_EQ(b.nic_rxq(q).xsk_pool, id);
}

// QL-PSM-19, QL-XSK-02: a bind on a leased queue of P itself is EBUSY, in
// every mode.
TEST(physical_queue, QL_PSM_19_af_xdp_bind_on_P_in_P4_P5_P6_is_ebusy) {
    for (const auto& row : leased_states) {
        for (const auto mode : {xsk_mode::copy, xsk_mode::zero_copy_or_copy, xsk_mode::zero_copy_forced}) {
            single_bench b;
            row.build(b);
            EXPECT_EQ(refused(b.w, [&](world&) { return b.xsk_nic(q, mode); }), ebusy) << row.state;
            EXPECT_EQ(state_of(b.w, b.nic, q), row.state);
        }
    }
}

// QL-PSM-20, QL-XSK-08: a zero-copy bind through a single device's lease.
TEST(physical_queue, QL_PSM_20_zero_copy_bind_on_single_V_turns_P4_into_P6) {
    single_bench b;
    const std::uint32_t k = b.lease_single(q);
    const auto id = must(b.xsk_single(k, xsk_mode::zero_copy_forced));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p6_leased_xsk);
    EXPECT_TRUE(b.w.socket(id)->zero_copy);
    EXPECT_TRUE(b.nic_rxq(q).zero_copy);
}

// QL-PSM-21, QL-XSK-08: a provider on another queue of P refuses a forced
// zero-copy bind through the lease; the queue stays P4.
TEST(physical_queue, QL_PSM_21_forced_zero_copy_bind_on_V_with_a_provider_on_P_is_ebusy) {
    single_bench b;
    const std::uint32_t k = b.lease_single(q);
    must(b.zcrx_nic(0));
    EXPECT_EQ(refused(b.w, [&](world&) { return b.xsk_single(k, xsk_mode::zero_copy_forced); }), ebusy);
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p4_leased);
}

// [unconfirmed] QL-PSM-21, QL-XSK-06: without XDP_ZEROCOPY it falls back to
// copy mode: P6 with a copy-mode pool.
TEST(physical_queue, QL_PSM_21_unforced_zero_copy_bind_on_V_with_a_provider_falls_back_unconfirmed) {
    single_bench b;
    const std::uint32_t k = b.lease_single(q);
    must(b.zcrx_nic(0));
    const auto id = must(b.xsk_single(k, xsk_mode::zero_copy_or_copy));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p6_leased_xsk);
    EXPECT_FALSE(b.w.socket(id)->zero_copy);
    EXPECT_FALSE(b.nic_rxq(q).zero_copy);
}

// QL-PSM-22, QL-XSK-13: unbinding through the lease clears the pool at P.
TEST(physical_queue, QL_PSM_22_af_xdp_unbind_on_V_turns_P6_into_P4) {
    single_bench b;
    const auto p6 = to_p6(b);
    must_ok(b.w.xsk_close(p6.consumer));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p4_leased);
    EXPECT_FALSE(b.nic_rxq(q).zero_copy);
}

// QL-PSM-23: a forced zero-copy bind directly on P with a provider on some
// queue is EBUSY. (From a state whose queue has the provider itself the
// model refuses every pool, QL-INV-06; see xsk.cpp.)
TEST(physical_queue, QL_PSM_23_forced_zero_copy_bind_on_P_with_a_provider_is_ebusy) {
    single_bench b;
    must(b.zcrx_nic(0));
    EXPECT_EQ(refused(b.w, [&](world&) { return b.xsk_nic(q, xsk_mode::zero_copy_forced); }), ebusy);
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p1_free);
}

// [unconfirmed] QL-PSM-23, QL-XSK-06: without XDP_ZEROCOPY the bind falls
// back to copy mode: P3.
TEST(physical_queue, QL_PSM_23_unforced_zero_copy_bind_on_P_with_a_provider_falls_back_unconfirmed) {
    single_bench b;
    must(b.zcrx_nic(0));
    const auto id = must(b.xsk_nic(q, xsk_mode::zero_copy_or_copy));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p3_xsk_direct);
    EXPECT_FALSE(b.w.socket(id)->zero_copy);
}

// QL-PSM-24, SN-XDP-01: any provider on P — direct or through a lease —
// refuses an XDP program.
TEST(physical_queue, QL_PSM_24_xdp_attach_on_P_with_a_provider_is_ebusy) {
    for (const auto build : {to_p2, to_p5}) {
        single_bench b;
        build(b);
        const pstate from = state_of(b.w, b.nic, q);
        EXPECT_EQ(refused(b.w, [&](world& w) { return w.attach_xdp(b.nic, xdp_program{xdp_verdict::pass, true}); }),
                  (refusal{errno_code::busy, "unable to install XDP to device using memory provider"}));
        EXPECT_EQ(state_of(b.w, b.nic, q), from);
    }
}

// QL-PSM-25, QL-LIFE-05: the lessee goes, the lease and its reference too.
TEST(physical_queue, QL_PSM_25_lessee_unregistered_turns_P4_into_P1) {
    single_bench b;
    to_p4(b);
    must_ok(delete_pair(b.w, b.pair));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p1_free);
    EXPECT_EQ(b.w.at(b.nic).lease_refs, 0u);
}

// QL-PSM-26, QL-LIFE-06: newest and linux-7.1.0 clean the provider (the
// latter recording its CVE-2026-74285 window).
TEST(physical_queue, QL_PSM_26_lessee_unregistered_turns_P5_into_P1) {
    for (const auto* profile : {&newest, &linux_7_1_0}) {
        single_bench b(*profile);
        to_p5(b);
        must_ok(delete_pair(b.w, b.pair));
        EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p1_free) << profile->name;
        EXPECT_EQ(b.w.state().hazards.size(), profile == &newest ? 0u : 1u);
    }
}

// [unconfirmed] QL-PSM-26, profile v7-jan2026: P2-like — the provider stays.
TEST(physical_queue, QL_PSM_26_lessee_unregistered_leaves_P5_provider_bound_under_v7_jan2026_unconfirmed) {
    single_bench b(v7_jan2026);
    to_p5(b);
    must_ok(delete_pair(b.w, b.pair));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p2_mp_direct);
}

// [unconfirmed] QL-PSM-27, QL-XSK-14: the pool is cleared at the unregister
// notification, then the queue unleased.
TEST(physical_queue, QL_PSM_27_lessee_unregistered_turns_P6_into_P1_unconfirmed) {
    single_bench b;
    const auto p6 = to_p6(b);
    must_ok(b.w.delete_link(root, delete_request{b.single_index(), {}, {}}));
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p1_free);
    EXPECT_FALSE(b.nic_rxq(q).zero_copy);
    EXPECT_FALSE(b.w.socket(p6.consumer)->bound.has_value());
}

// QL-PSM-28, QL-LIFE-08, QL-LIFE-09: the lessor goes: its providers are
// uninstalled, every leasing netkit device deleted, then it is freed.
TEST(physical_queue, QL_PSM_28_lessor_unregistered_in_P4_P5_P6_is_gone) {
    for (const auto& row : leased_states) {
        single_bench b;
        const auto made = row.build(b);
        must_ok(b.w.remove_softnic_port(b.nic));
        EXPECT_EQ(b.w.at(b.nic).state, registration::freed) << row.state;
        EXPECT_EQ(b.w.find(world::initial_netns(), "eth0"), nullptr);
        EXPECT_NE(b.w.at(made.lessee).state, registration::registered);
        EXPECT_FALSE(b.nic_rxq(q).provider.has_value());
        EXPECT_FALSE(b.nic_rxq(q).lease.has_value());
        EXPECT_EQ(b.w.at(b.nic).lease_refs, 0u);
        EXPECT_TRUE(b.w.state().hazards.empty());
    }
}

// QL-PSM-29, SN-MP-03: the lessor's link down/up keeps lease, provider and
// pool.
TEST(physical_queue, QL_PSM_29_lessor_link_down_up_keeps_P4_P5_P6) {
    for (const auto& row : leased_states) {
        single_bench b;
        row.build(b);
        b.w.close_device(b.nic);
        EXPECT_EQ(state_of(b.w, b.nic, q), row.state);
        must_ok(b.w.open(b.nic));
        EXPECT_EQ(state_of(b.w, b.nic, q), row.state);
    }
}

// QL-PSM-30, QL-NS-02: the lessor's netns move keeps everything.
TEST(physical_queue, QL_PSM_30_lessor_netns_move_keeps_P4_P5_P6) {
    for (const auto& row : leased_states) {
        single_bench b;
        const auto made = row.build(b);
        const auto ns = b.w.create_netns("moved");
        must_ok(b.w.move(b.nic, ns));
        EXPECT_EQ(state_of(b.w, b.nic, q), row.state);
        EXPECT_EQ(b.nic_rxq(q).lease, (queue_ref{made.lessee, made.k}));
    }
}

// ========================================================== virtual queue

// QL-VSM-02, QL-NKQC-03: queue-create on the next unallocated queue of a
// pair peer or a single device leases it; the reply is its index.
TEST(virtual_queue, QL_VSM_02_queue_create_turns_V1_into_V2) {
    single_bench b;
    EXPECT_EQ(state_of_virtual(b.w, b.pair.guest, 1), vstate::v1_unallocated);
    EXPECT_EQ(b.lease(3), 1u);
    EXPECT_EQ(b.lease(0), 2u);
    EXPECT_EQ(state_of_virtual(b.w, b.pair.guest, 1), vstate::v2_leased);
    EXPECT_EQ(state_of_virtual(b.w, b.pair.guest, 2), vstate::v2_leased);
    EXPECT_EQ(state_of_virtual(b.w, b.single, 1), vstate::v1_unallocated);
    EXPECT_EQ(b.lease_single(1), 1u);
    EXPECT_EQ(state_of_virtual(b.w, b.single, 1), vstate::v2_leased);
    EXPECT_EQ(state_of_virtual(b.w, b.single, 0), vstate::v0_base);
}

// QL-VSM-03, QL-NKQC-02, QL-NKQC-05: no unallocated queue left — also for a
// device with the default single RX queue.
TEST(virtual_queue, QL_VSM_03_queue_create_without_V1_left_is_einval) {
    single_bench b;
    b.lease(0);
    b.lease(1);
    const refusal full{errno_code::invalid, "netkit maximum queue limit reached"};
    EXPECT_EQ(refused(b.w, [&](world& w) { return lease_to_guest(w, b.pair, b.nic, 2); }), full);
    const auto one = add_pair(b.w, 1, true, uapi::mode::l2, "one%d");
    EXPECT_EQ(refused(b.w, [&](world& w) { return lease_to_guest(w, one, b.nic, 2); }), full);
}

// QL-VSM-04, QL-NKQC-01: the primary of a pair cannot lease; the physical
// side's checks come first.
TEST(virtual_queue, QL_VSM_04_queue_create_on_the_primary_is_eopnotsupp_after_physical_checks) {
    single_bench b;
    auto on_primary = [&](std::uint32_t queue) {
        return refused(b.w, [&](world& w) { return lease_queue(w, root, b.pair.host, b.nic, queue); });
    };
    EXPECT_EQ(on_primary(1), (refusal{errno_code::not_supported, "netkit can only lease against the peer device"}));
    EXPECT_EQ(on_primary(4), (refusal{errno_code::out_of_range, ""}));
    must(b.xsk_nic(1));
    EXPECT_EQ(on_primary(1), (refusal{errno_code::busy, "Device queue in use by AF_XDP"}));
}

// [unconfirmed] QL-VSM-05, QL-MP-05, QL-MP-09: queue 0 of netkit takes no
// provider: a bare open fails the generic checks; a consumer fails at the
// DMA lookup.
TEST(virtual_queue, QL_VSM_05_provider_open_on_V0_fails_unconfirmed) {
    single_bench b;
    b.lease(1);
    EXPECT_EQ(refusal_of(open_bare(b.w, b.pair.guest, 0).outcome),
              (refusal{errno_code::invalid, "tcp-data-split is disabled"}));
    EXPECT_EQ(refused(b.w, [&](world&) { return b.zcrx_guest(0); }), eopnotsupp);
    EXPECT_EQ(refused(b.w, [&](world&) { return b.zcrx_single(0); }), eopnotsupp);
    EXPECT_EQ(state_of_virtual(b.w, b.pair.guest, 0), vstate::v0_base);
}

// QL-VSM-06, QL-MP-04: a provider on a leased queue is proxied to P (P5).
TEST(virtual_queue, QL_VSM_06_provider_open_on_V2_is_proxied) {
    single_bench b;
    const auto k = b.lease(q);
    must(b.zcrx_guest(k));
    EXPECT_EQ(state_of_virtual(b.w, b.pair.guest, k), vstate::v2_leased);
    EXPECT_FALSE(b.guest_rxq(k).provider.has_value());
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p5_leased_mp);
}

// QL-VSM-07, QL-XSK-08: a forced zero-copy bind on queue 0 of a single
// device fails (queue not leased).
TEST(virtual_queue, QL_VSM_07_forced_zero_copy_bind_on_V0_is_eopnotsupp) {
    single_bench b;
    b.lease_single(1);
    EXPECT_EQ(refused(b.w, [&](world&) { return b.xsk_single(0, xsk_mode::zero_copy_forced); }), eopnotsupp);
}

// [unconfirmed] QL-VSM-07, QL-XSK-06: without XDP_ZEROCOPY it falls back to
// copy mode on netkit's own queue 0.
TEST(virtual_queue, QL_VSM_07_unforced_zero_copy_bind_on_V0_falls_back_to_copy_unconfirmed) {
    single_bench b;
    const auto id = must(b.xsk_single(0, xsk_mode::zero_copy_or_copy));
    EXPECT_FALSE(b.w.socket(id)->zero_copy);
    EXPECT_EQ(b.w.at(b.single).rxq[0].xsk_pool, id);
    EXPECT_EQ(state_of_virtual(b.w, b.single, 0), vstate::v0_base);
}

// QL-VSM-08, QL-XSK-02, QL-XSK-08: a bind on a single device's leased
// queue is proxied (P6), copy or zero-copy.
TEST(virtual_queue, QL_VSM_08_af_xdp_bind_on_single_V2_is_proxied) {
    for (const auto mode : {xsk_mode::copy, xsk_mode::zero_copy_forced}) {
        single_bench b;
        const auto k = b.lease_single(q);
        const auto id = must(b.xsk_single(k, mode));
        EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p6_leased_xsk);
        EXPECT_EQ(b.w.socket(id)->zero_copy, mode == xsk_mode::zero_copy_forced);
        EXPECT_FALSE(b.w.at(b.single).rxq[k].xsk_pool.has_value());
    }
}

// QL-VSM-09, QL-XSK-08: a pair device refuses a forced zero-copy bind.
TEST(virtual_queue, QL_VSM_09_forced_zero_copy_bind_on_pair_V2_is_eopnotsupp) {
    single_bench b;
    const auto k = b.lease(q);
    EXPECT_EQ(refused(b.w, [&](world&) { return b.xsk_guest(k, xsk_mode::zero_copy_forced); }), eopnotsupp);
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p4_leased);
}

// [unconfirmed] QL-VSM-09, QL-XSK-06: unforced, a copy-mode pool at P.
TEST(virtual_queue, QL_VSM_09_unforced_zero_copy_bind_on_pair_V2_falls_back_to_copy_unconfirmed) {
    single_bench b;
    const auto k = b.lease(q);
    const auto id = must(b.xsk_guest(k, xsk_mode::zero_copy_or_copy));
    EXPECT_FALSE(b.w.socket(id)->zero_copy);
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p6_leased_xsk);
}

// QL-VSM-10, NK-RT-06.
TEST(virtual_queue, QL_VSM_10_channel_set_on_V_is_eopnotsupp) {
    single_bench b;
    const auto k = b.lease(q);
    EXPECT_EQ(refused(b.w, [&](world& w) { return w.ethtool_set_channels(b.pair.guest, combined(1)); }), eopnotsupp);
    EXPECT_EQ(state_of_virtual(b.w, b.pair.guest, k), vstate::v2_leased);
}

// QL-VSM-11, QL-NS-01: the lessee's link down/up and netns move keep the
// lease and the queue index.
TEST(virtual_queue, QL_VSM_11_lessee_down_up_and_netns_move_keep_V2) {
    single_bench b;
    const auto k = b.lease(q);
    must_ok(b.w.open(b.pair.guest));
    b.w.close_device(b.pair.guest);
    EXPECT_EQ(state_of_virtual(b.w, b.pair.guest, k), vstate::v2_leased);
    const auto ns = b.w.create_netns("moved");
    must_ok(b.w.move(b.pair.guest, ns));
    EXPECT_EQ(state_of_virtual(b.w, b.pair.guest, k), vstate::v2_leased);
    EXPECT_EQ(b.nic_rxq(q).lease, (queue_ref{b.pair.guest, k}));
}

// QL-VSM-12, NK-DEL-04, MP-61: the lessee unregisters: its BPF links go
// defunct and its queues are unleased (the release comes first in uninit;
// both are done when the delete returns).
TEST(virtual_queue, QL_VSM_12_lessee_unregistered_turns_V2_into_V3) {
    single_bench b;
    const auto k = b.lease(q);
    const auto program = b.w.load_program(
        bpf::program_spec{"tc", {}, nullptr, uapi::bpf_program_type::traffic_classifier, false});
    const auto link = must(b.w.link_create(
        root, bpf::link_create_args{program, ifindex(b.w, b.pair.host), uapi::bpf_attach_type::netkit_peer, {}, 0, 0}));
    must_ok(delete_pair(b.w, b.pair));
    EXPECT_EQ(state_of_virtual(b.w, b.pair.guest, k), vstate::v3_dead);
    EXPECT_FALSE(b.guest_rxq(k).lease.has_value());
    EXPECT_EQ(must(b.w.link_info(link)).ifindex, 0);
    EXPECT_EQ(state_of(b.w, b.nic, q), pstate::p1_free);
}

// ============================================================== invariants

struct named_world {
    std::string name;
    world w;
};

// Worlds built by the rows above, in every leasing profile: each from-state
// (and a mix of all of them), then the events that change leases — lessee
// and lessor teardown, netns deletion and moves, link down/up, channels.
std::vector<named_world> reachable_worlds() {
    using builder = std::function<void(single_bench&)>;
    const std::vector<std::pair<std::string, builder>> states = {
        {"P0", [](single_bench& b) { to_p0(b); }},
        {"P1", [](single_bench& b) { to_p1(b); }},
        {"P2", [](single_bench& b) { to_p2(b); }},
        {"P3", [](single_bench& b) { to_p3(b); }},
        {"P4", [](single_bench& b) { to_p4(b); }},
        {"P5", [](single_bench& b) { to_p5(b); }},
        {"P6", [](single_bench& b) { to_p6(b); }},
        {"mix",
         [](single_bench& b) {
             const auto k = b.lease(3);
             must(b.zcrx_guest(k));
             b.lease(1);
             const auto ks = b.lease_single(2);
             must(b.xsk_single(ks, xsk_mode::copy));
             must(b.xsk_nic(0));
         }},
    };
    const std::vector<std::pair<std::string, builder>> events = {
        {"", [](single_bench&) {}},
        {" then the pair deleted", [](single_bench& b) { (void)delete_pair(b.w, b.pair); }},
        {" then the single device deleted",
         [](single_bench& b) { (void)b.w.delete_link(root, delete_request{b.single_index(), {}, {}}); }},
        {" then the NIC removed", [](single_bench& b) { (void)b.w.remove_softnic_port(b.nic); }},
        {" then the guest netns deleted",
         [](single_bench& b) {
             if (b.pair.ns != world::initial_netns()) {
                 (void)b.w.delete_netns(b.pair.ns);
             }
         }},
        {" then the NIC moved", [](single_bench& b) { (void)b.w.move(b.nic, b.w.create_netns("moved")); }},
        {" then the NIC down and up",
         [](single_bench& b) {
             b.w.close_device(b.nic);
             (void)b.w.open(b.nic);
         }},
        {" then channels 2 and 4",
         [](single_bench& b) {
             (void)b.w.ethtool_set_channels(b.nic, combined(2));
             (void)b.w.ethtool_set_channels(b.nic, combined(4));
         }},
    };
    std::vector<named_world> out;
    for (const auto* profile : {&newest, &linux_7_1_0, &v7_jan2026}) {
        for (const auto& [state_name, build] : states) {
            for (const auto& [event_name, event] : events) {
                single_bench b(*profile);
                build(b);
                event(b);
                out.push_back(named_world{std::string(profile->name) + " " + state_name + event_name, b.w});
            }
        }
    }
    return out;
}

const std::vector<named_world>& worlds() {
    static const std::vector<named_world> built = reachable_worlds();
    return built;
}

void expect_on_every_world(invariants::violations (*predicate)(const world_state&)) {
    ASSERT_GE(worlds().size(), 100u);
    for (const auto& [name, w] : worlds()) {
        EXPECT_EQ(joined(predicate(w.state())), "") << name;
    }
}

// QL-INV-01.
TEST(lease_invariants, QL_INV_01_leases_are_symmetric) { expect_on_every_world(invariants::symmetry); }

// QL-INV-02.
TEST(lease_invariants, QL_INV_02_exactly_one_end_of_a_lease_is_physical) {
    expect_on_every_world(invariants::one_physical_end);
}

// QL-INV-03.
TEST(lease_invariants, QL_INV_03_a_lessee_leases_exactly_queues_1_to_real_minus_1_from_one_device) {
    expect_on_every_world(invariants::lessee_queues);
}

// QL-INV-04.
TEST(lease_invariants, QL_INV_04_provider_and_pool_state_sit_on_the_physical_end) {
    expect_on_every_world(invariants::state_on_physical_end);
}

// QL-INV-05.
TEST(lease_invariants, QL_INV_05_lessor_references_count_its_leased_queues) {
    expect_on_every_world(invariants::lessor_references);
}

// QL-INV-06.
TEST(lease_invariants, QL_INV_06_a_physical_queue_has_one_owner) { expect_on_every_world(invariants::one_owner); }

// QL-INV-07.
TEST(lease_invariants, QL_INV_07_channels_never_orphan_a_busy_queue) {
    expect_on_every_world(invariants::channels_keep_busy_queues);
}

// QL-INV-08.
TEST(lease_invariants, QL_INV_08_no_lease_refers_to_an_unregistered_device) {
    expect_on_every_world(invariants::no_dangling_leases);
}

// QL-LIFE-06: of these worlds only linux-7.1.0's teardowns of a leased
// queue with a provider on a running NIC record a hazard.
TEST(lease_invariants, only_linux_7_1_0_records_use_after_uninstall_hazards_QL_LIFE_06) {
    std::size_t with_hazard = 0;
    for (const auto& [name, w] : worlds()) {
        if (w.profile().id != core::profile_id::linux_7_1_0) {
            EXPECT_TRUE(w.state().hazards.empty()) << name;
        } else if (!w.state().hazards.empty()) {
            ++with_hazard;
            for (const auto& h : w.state().hazards) {
                EXPECT_EQ(h.kind, hazard_kind::use_after_uninstall) << name;
            }
        }
    }
    EXPECT_GT(with_hazard, 0u);
}

// QL-INV-01, QL-INV-02, QL-INV-03, QL-INV-04, QL-INV-05, QL-INV-06,
// QL-INV-07, QL-INV-08: each predicate recognises a world that breaks its
// rule (states edited by hand; no operation produces them).
TEST(lease_invariants, each_predicate_detects_a_broken_world) {
    single_bench b;
    const auto p5 = to_p5(b);
    const auto ks = b.lease_single(1);
    ASSERT_EQ(joined(invariants::all(b.w.state())), "");
    auto broken = [&](const std::function<void(world_state&)>& edit) {
        world_state s = b.w.state();
        edit(s);
        return s;
    };
    EXPECT_FALSE(invariants::symmetry(broken([&](world_state& s) { s.devices.at(b.nic).rxq[q].lease.reset(); }))
                     .empty());
    EXPECT_FALSE(invariants::one_physical_end(broken([&](world_state& s) {
                     s.devices.at(b.nic).has_parent = false;
                 })).empty());
    EXPECT_FALSE(invariants::lessee_queues(broken([&](world_state& s) {
                     s.devices.at(b.pair.guest).real_rx_queues = 3;
                 })).empty());
    EXPECT_FALSE(invariants::state_on_physical_end(broken([&](world_state& s) {
                     s.devices.at(b.pair.guest).rxq[p5.k].provider = provider_params{provider_kind::io_uring, 1};
                 })).empty());
    EXPECT_FALSE(invariants::lessor_references(broken([&](world_state& s) { ++s.devices.at(b.nic).lease_refs; }))
                     .empty());
    EXPECT_FALSE(invariants::one_owner(broken([&](world_state& s) {
                     s.devices.at(b.nic).rxq[1].provider = provider_params{provider_kind::dmabuf, 4242};
                 })).empty());
    EXPECT_FALSE(invariants::channels_keep_busy_queues(broken([&](world_state& s) {
                     s.devices.at(b.nic).real_rx_queues = 2;
                 })).empty());
    EXPECT_FALSE(invariants::no_dangling_leases(broken([&](world_state& s) {
                     s.devices.at(b.single).state = registration::unregistering;
                 })).empty());
    (void)ks;
}

// QL-INV-10, QL-MODEL-07: the model is sequential: every operation runs on
// a scratch copy of the world and is committed whole (model/world.hpp), so
// no operation ever holds one device's state while waiting for another's.
// The lock-acquisition graph is empty and the V-before-P order holds
// vacuously; it cannot be observed here. What is checked is the property
// that makes this true — each two-device operation is one transaction: a
// refusal after the virtual side was resolved (queue-create, a provider,
// a pool or a bind-rx through a lease, a DMA lookup) leaves both devices
// exactly as they were.
TEST(lease_invariants, QL_INV_10_two_device_operations_are_atomic_so_lock_order_holds_vacuously) {
    single_bench b;
    const auto k = b.lease(1);
    const auto ks = b.lease_single(2);
    must(b.zcrx_guest(k));
    must(b.zcrx_nic(0));
    EXPECT_EQ(refused(b.w, [&](world& w) { return lease_to_guest(w, b.pair, b.nic, 1); }).code, errno_code::busy);
    EXPECT_EQ(refused(b.w, [&](world&) { return b.zcrx_guest(k); }).code, errno_code::exists);
    EXPECT_EQ(refused(b.w, [&](world&) { return b.xsk_single(ks, xsk_mode::zero_copy_forced); }).code,
              errno_code::busy);
    EXPECT_EQ(refused(b.w, [&](world& w) { return w.bind_rx(b.guest_caller(), b.guest_index(), {k}, 5); }).code,
              errno_code::exists);
    EXPECT_EQ(refused(b.w, [&](world& w) { return w.bind_tx(b.guest_caller(), b.guest_index(), -1); }).code,
              errno_code::bad_descriptor);
}

// ================================================================= device

// NK-DEL-08, QL-LIFE-09: removing the whole NIC (every port) deletes every
// netkit device leasing from any port, with its peer.
TEST(netkit_delete, removing_a_lessor_deletes_every_netkit_device_leasing_from_it_NK_DEL_08) {
    world w;
    const auto ports = must(w.create_softnic(softnic::spec{2, 2, softnic_config::hwnic()}));
    ASSERT_EQ(ports.size(), 2u);
    const auto a = add_pair(w, 2, true, uapi::mode::l2, "a%d");
    const auto s = add_single(w, 2);
    must(lease_to_guest(w, a, ports[0], 1));
    must(lease_queue(w, root, s, ports[1], 0));
    must_ok(w.remove_softnic(w.at(ports[0]).nic->bus_id));
    for (const auto h : {a.host, a.guest, s, ports[0], ports[1]}) {
        EXPECT_EQ(w.at(h).state, registration::freed) << w.at(h).name;
    }
}

// NK-FEAT-06: netkit's queue-management operations are queue creation only
// (no restart, no channels); its ndo_bpf does AF_XDP pool setup only (no
// XDP programs); it has ndo_xsk_wakeup; its netmem TX capability is "no
// DMA" (a binding looks for a lessor instead of being refused outright).
TEST(netkit_features, netkit_queue_bpf_wakeup_and_netmem_tx_operations_NK_FEAT_06) {
    single_bench b;
    const auto k = b.lease_single(2);
    EXPECT_EQ(refused(b.w, [&](world& w) { return w.queue_reset(b.single, 0, 0); }), eopnotsupp);
    EXPECT_EQ(refused(b.w, [&](world& w) { return w.ethtool_set_channels(b.single, combined(1)); }), eopnotsupp);
    EXPECT_EQ(refused(b.w, [&](world& w) { return w.attach_xdp(b.single, xdp_program{}); }), eopnotsupp);
    EXPECT_TRUE(b.xsk_single(k, xsk_mode::zero_copy_forced).ok());
    EXPECT_EQ(refusal_of(b.w.xsk_wakeup(b.single, k)), accepted);
    EXPECT_EQ(refused(b.w, [&](world& w) { return w.bind_tx(b.guest_caller(), b.guest_index(), 5); }),
              (refusal{errno_code::not_supported, "No DMA-capable device found for netmem TX"}));
    EXPECT_TRUE(b.w.bind_tx(root, b.single_index(), 5).ok());
}

}  // namespace
