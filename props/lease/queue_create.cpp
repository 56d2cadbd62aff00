// Tests of queue-create (include/netkit/model/lease.hpp) against lease.md:
// the request and reply shape (QL-UAPI-03…06), every check of §3 in its
// order (QL-CRT-01…25) — a request that fails two checks reports the earlier
// one —, the capability helpers (QL-CAN-01…04), netkit's queue-creation hook
// (QL-NKQC-01…05), the data model (QL-MODEL-01…08) and the profile
// v7-jan2026 rows 10–14 of the spec README §4. Every refusal is also checked
// to leave the world unchanged (lease_test::create_refused).
//
// Wire-only failures of QL-CRT-02 (attribute lengths, NLA_F_NESTED, unknown
// or policy-less attribute ids, malformed streams) cannot be expressed in a
// structured request; the netlink front end owns them.
#include "lease/fixture.hpp"

#include <netkit/model/queue_ops.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace lease_test;
using lease::queue_create_request;
namespace path = lease::path;

using missing = core::missing_attribute;

constexpr std::uint16_t id_of(uapi::queue_attr a) { return static_cast<std::uint16_t>(a); }
constexpr std::uint16_t id_of(uapi::lease_attr a) { return static_cast<std::uint16_t>(a); }

std::optional<core::attribute_path> at(const core::attribute_path& p) { return p; }
std::optional<missing> miss(std::uint16_t type, core::attribute_path nest = {}) { return missing{type, nest}; }

// The standard set-up. A netkit pair whose ends both have `guest_rx`
// allocated RX queues is created in the initial netns (peer ifindex 2,
// primary 3), an nsim NIC after it (ifindex 4), then the guest is
// moved into NS (keeping ifindex 2, which becomes free in the initial netns)
// and both ends are brought up; NS knows the initial netns as id 0. So the
// guest's index names nothing in the initial netns and the NIC's index
// names nothing in NS. With `own_netns` false the guest stays next to the
// NIC and requests carry no netns-id (needed for profile v7-jan2026, where
// a netns-id is refused).
struct env {
    world w;
    netkit_pair pair;
    core::device_handle nic;
    caller guest_caller = world::root();
    bool own_netns = true;
    std::int32_t guest = 0;
    std::int32_t host = 0;
    std::int32_t nic_index = 0;

    explicit env(std::uint32_t guest_rx = 3, std::uint32_t queues = 2,
                 const core::profile_traits& profile = core::profiles::newest::traits, bool separate_netns = true,
                 softnic_config config = softnic_config::nsim())
        : w(profile), own_netns(separate_netns) {
        // nk(rxq=R) of scenarios.md: both ends have R allocated RX queues.
        link_request r = requests::netkit_pair("nk%d", "nk%d", guest_rx);
        r.attributes.num_rx_queues = guest_rx;
        const auto created = must(w.new_link(root, r), "new_link");
        pair = netkit_pair{created.device, created.peer.value_or(core::device_handle{}), world::initial_netns()};
        nic = add_up_nic(w, queues, config);
        if (own_netns) {
            pair.ns = w.create_netns("NS");
            must_ok(w.assign_netns_id(pair.ns, world::initial_netns(), 0), "assign_netns_id");
            must_ok(w.move(pair.guest, pair.ns), "move guest");
            guest_caller = world::root(pair.ns);
        }
        must_ok(w.open(pair.guest), "open guest");
        must_ok(w.open(pair.host), "open host");
        guest = ifindex(w, pair.guest);
        host = ifindex(w, pair.host);
        nic_index = ifindex(w, nic);
    }

    std::optional<std::int32_t> netns_id() const { return own_netns ? std::optional<std::int32_t>{0} : std::nullopt; }

    // Lease NIC queue q onto the guest, as its netns sees them.
    queue_create_request request(std::uint32_t q = 1) const {
        return queue_create_request::rx(guest, nic_index, q, netns_id());
    }
    core::result<std::uint32_t> create(const queue_create_request& r) { return w.queue_create(guest_caller, r); }
    core::error refused(const queue_create_request& r) { return create_refused(w, guest_caller, r); }
};

env v7_env(std::uint32_t guest_rx = 3, std::uint32_t queues = 2, softnic_config config = softnic_config::nsim()) {
    return env(guest_rx, queues, core::profiles::v7_jan2026::traits, false, config);
}

const std::string out_of_range_text = "integer out of range";

// ------------------------------------------------------------------ UAPI

// QL-UAPI-03
TEST(queue_create_uapi, queue_type_rx_is_0_and_tx_is_1) {
    EXPECT_EQ(static_cast<std::uint32_t>(uapi::queue_type::rx), 0U);
    EXPECT_EQ(static_cast<std::uint32_t>(uapi::queue_type::tx), 1U);
}

// QL-UAPI-04, QL-UAPI-05: the attribute ids, and the request paths the
// model reports bad and missing attributes with are built from them.
TEST(queue_create_uapi, queue_and_lease_attribute_ids_and_the_paths_built_from_them) {
    EXPECT_EQ(id_of(uapi::queue_attr::id), 1);
    EXPECT_EQ(id_of(uapi::queue_attr::ifindex), 2);
    EXPECT_EQ(id_of(uapi::queue_attr::type), 3);
    EXPECT_EQ(id_of(uapi::queue_attr::napi_id), 4);
    EXPECT_EQ(id_of(uapi::queue_attr::dmabuf), 5);
    EXPECT_EQ(id_of(uapi::queue_attr::io_uring), 6);
    EXPECT_EQ(id_of(uapi::queue_attr::xsk), 7);
    EXPECT_EQ(id_of(uapi::queue_attr::lease), 8);
    EXPECT_EQ(id_of(uapi::lease_attr::ifindex), 1);
    EXPECT_EQ(id_of(uapi::lease_attr::queue), 2);
    EXPECT_EQ(id_of(uapi::lease_attr::netns_id), 3);
    EXPECT_EQ(path::ifindex, (core::attribute_path{2}));
    EXPECT_EQ(path::type, (core::attribute_path{3}));
    EXPECT_EQ(path::lease, (core::attribute_path{8}));
    EXPECT_EQ(path::lease_ifindex, (core::attribute_path{8, 1}));
    EXPECT_EQ(path::lease_queue, (core::attribute_path{8, 2}));
    EXPECT_EQ(path::lease_netns_id, (core::attribute_path{8, 3}));
    // The queue-id subset {id, type} inside lease.queue.
    EXPECT_EQ(path::lease_queue_id, (core::attribute_path{8, 2, 1}));
    EXPECT_EQ(path::lease_queue_type, (core::attribute_path{8, 2, 3}));
}

// QL-UAPI-06: the request carries ifindex, type and the lease nest {ifindex,
// queue {id, type}, netns-id}; the reply is the new queue's index on V.
TEST(queue_create_uapi, the_request_names_lessee_type_and_lease_and_the_reply_is_the_new_index) {
    const auto r = queue_create_request::rx(8, 4, 15, 0);
    EXPECT_EQ(r.ifindex, std::optional<std::uint32_t>{8U});
    EXPECT_EQ(r.type, std::optional<std::uint32_t>{0U});
    ASSERT_TRUE(r.lease.has_value());
    EXPECT_EQ(r.lease->ifindex, std::optional<std::uint32_t>{4U});
    ASSERT_TRUE(r.lease->queue.has_value());
    EXPECT_EQ(r.lease->queue->id, std::optional<std::uint32_t>{15U});
    EXPECT_EQ(r.lease->queue->type, std::optional<std::uint32_t>{0U});
    EXPECT_EQ(r.lease->netns_id, std::optional<std::int32_t>{0});
    EXPECT_FALSE(queue_create_request::rx(8, 4, 15).lease->netns_id.has_value());

    env e;
    auto id = e.create(e.request(1));
    ASSERT_TRUE(id.ok()) << core::to_string(id.failure());
    EXPECT_EQ(id.value(), 1U);
    EXPECT_EQ(e.w.at(e.pair.guest).real_rx_queues, 2U);
}

// QL-UAPI-06: today the lease nest is mandatory and the type must be rx.
TEST(queue_create_uapi, the_lease_nest_is_mandatory_and_the_type_must_be_rx) {
    env e;
    auto r = e.request();
    r.lease.reset();
    auto no_lease = e.refused(r);
    EXPECT_EQ(no_lease.code, errno_code::invalid);
    EXPECT_EQ(no_lease.missing, miss(8));
    r = e.request();
    r.type = 1;
    auto tx = e.refused(r);
    EXPECT_EQ(tx.code, errno_code::invalid);
    EXPECT_EQ(tx.bad_attribute, at(path::type));
}

// ------------------------------------------------- QL-CRT-01 permission

// QL-CRT-01, QL-CRT-07: without CAP_NET_ADMIN in the initial user namespace
// the request is refused with EPERM before any attribute is looked at —
// even an empty or out-of-range request, and a request with a netns-id
// (QL-CRT-07's own EPERM needs the same capability, so in this model the
// earlier check always answers for it).
TEST(queue_create_permission, without_net_admin_init_everything_is_eperm_before_parsing) {
    env e;
    for (const caller& c : {caller::unprivileged_in(e.pair.ns), caller::contained_in(e.pair.ns),
                            caller::unprivileged_in(world::initial_netns())}) {
        for (const auto& r : {e.request(), queue_create_request{}, queue_create_request{0U, 7U, std::nullopt},
                              queue_create_request::rx(e.guest, e.nic_index, 1, -1)}) {
            const auto err = create_refused(e.w, c, r);
            EXPECT_EQ(err.code, errno_code::not_permitted);
            EXPECT_EQ(err.message, "");
            EXPECT_FALSE(err.bad_attribute.has_value());
            EXPECT_FALSE(err.missing.has_value());
        }
    }
}

// ---------------------------------------------- QL-CRT-02 policy ranges

// QL-CRT-02, QL-UAPI-04, QL-UAPI-05: each value outside its range is ERANGE
// "integer out of range" with the attribute as the bad attribute: ifindex 0,
// type > 1, lease.ifindex 0, lease.queue.type > 1, lease.netns-id < 0.
TEST(queue_create_policy, each_out_of_range_value_is_erange_naming_the_attribute) {
    env e;
    struct case_ {
        queue_create_request request;
        core::attribute_path where;
    };
    std::vector<case_> cases;
    auto r = e.request();
    r.ifindex = 0;
    cases.push_back({r, path::ifindex});
    r = e.request();
    r.type = 2;
    cases.push_back({r, path::type});
    r = e.request();
    r.type = 0xffffffffU;
    cases.push_back({r, path::type});
    r = e.request();
    r.lease->ifindex = 0;
    cases.push_back({r, path::lease_ifindex});
    r = e.request();
    r.lease->queue->type = 2;
    cases.push_back({r, path::lease_queue_type});
    r = e.request();
    r.lease->netns_id = -1;
    cases.push_back({r, path::lease_netns_id});
    r = e.request();
    r.lease->netns_id = INT32_MIN;
    cases.push_back({r, path::lease_netns_id});
    for (const auto& c : cases) {
        const auto err = e.refused(c.request);
        EXPECT_EQ(err.code, errno_code::out_of_range) << core::to_string(err);
        EXPECT_EQ(err.message, out_of_range_text);
        EXPECT_EQ(err.bad_attribute, at(c.where)) << core::to_string(err);
        EXPECT_FALSE(err.missing.has_value());
    }
}

// QL-CRT-02: the boundary values pass the policy (ifindex and lease.ifindex
// 1, types 0 and 1, netns-id 0) and fail later checks instead.
TEST(queue_create_policy, boundary_values_pass_the_policy) {
    env e;
    auto r = e.request();
    r.ifindex = 1;  // NS's lo: a virtual device without queue creation
    auto lo = e.refused(r);
    EXPECT_EQ(lo.code, errno_code::invalid);
    EXPECT_EQ(lo.message, "Device does not support queue creation");
    r = e.request();
    r.type = 1;
    EXPECT_EQ(e.refused(r).bad_attribute, at(path::type));  // QL-CRT-04, not ERANGE
    r = e.request();
    r.lease->queue->type = 1;
    EXPECT_EQ(e.refused(r).bad_attribute, at(path::lease_queue_type));  // QL-CRT-09
    r = e.request();
    r.lease->ifindex = 1;  // the initial netns' lo
    EXPECT_EQ(e.refused(r).message, "Lease device is a virtual device");
    EXPECT_TRUE(e.create(e.request()).ok());  // netns-id 0
}

// QL-CRT-02: one attribute at a time in message order (depth first): of two
// out-of-range attributes the earlier one is reported.
TEST(queue_create_policy, of_two_out_of_range_attributes_the_earlier_in_message_order_wins) {
    env e;
    auto r = e.request();
    r.ifindex = 0;
    r.type = 2;
    EXPECT_EQ(e.refused(r).bad_attribute, at(path::ifindex));
    r = e.request();
    r.type = 2;
    r.lease->ifindex = 0;
    EXPECT_EQ(e.refused(r).bad_attribute, at(path::type));
    r = e.request();
    r.lease->ifindex = 0;
    r.lease->queue->type = 5;
    EXPECT_EQ(e.refused(r).bad_attribute, at(path::lease_ifindex));
    r = e.request();
    r.lease->queue->type = 5;
    r.lease->netns_id = -3;
    EXPECT_EQ(e.refused(r).bad_attribute, at(path::lease_queue_type));
    r = e.request();
    r.ifindex = 0;
    r.lease->netns_id = -1;
    EXPECT_EQ(e.refused(r).bad_attribute, at(path::ifindex));
}

// QL-CRT-02, QL-CRT-05: the whole tree is validated before QL-CRT-03 and
// QL-CRT-04 — a negative netns-id in a request without type is ERANGE, not
// EINVAL; the same for missing lease contents, a tx type or a missing
// ifindex.
TEST(queue_create_policy, range_errors_come_before_missing_attributes_and_the_type_check) {
    env e;
    auto r = e.request();
    r.type.reset();
    r.lease->netns_id = -1;
    auto no_type = e.refused(r);
    EXPECT_EQ(no_type.code, errno_code::out_of_range);
    EXPECT_EQ(no_type.message, out_of_range_text);
    EXPECT_EQ(no_type.bad_attribute, at(path::lease_netns_id));
    EXPECT_FALSE(no_type.missing.has_value());

    r = e.request();
    r.ifindex.reset();
    r.lease->queue->type = 2;
    EXPECT_EQ(e.refused(r).bad_attribute, at(path::lease_queue_type));

    r = e.request();
    r.type = 1;  // would fail QL-CRT-04
    r.lease->ifindex = 0;
    EXPECT_EQ(e.refused(r).bad_attribute, at(path::lease_ifindex));

    r = e.request();
    r.lease->queue.reset();  // would fail QL-CRT-06
    r.lease->netns_id = -1;
    EXPECT_EQ(e.refused(r).code, errno_code::out_of_range);

    r = e.request();
    r.lease->queue->id.reset();  // would fail QL-CRT-08
    r.lease->queue->type = 3;
    EXPECT_EQ(e.refused(r).bad_attribute, at(path::lease_queue_type));
}

// QL-CRT-02, QL-CRT-05, QL-CRT-07, QL-UAPI-05 (profile v7-jan2026): the
// netns-id is a plain s32, so a negative one passes the policy; a request
// without type then fails QL-CRT-03 with EINVAL and the missing type, and a
// complete one is refused at QL-CRT-07 with EINVAL like any netns-id.
TEST(queue_create_policy, v7_jan2026_has_no_netns_id_minimum) {
    auto e = v7_env();
    auto r = queue_create_request::rx(e.guest, e.nic_index, 1, -1);
    r.type.reset();
    auto no_type = e.refused(r);
    EXPECT_EQ(no_type.code, errno_code::invalid);
    EXPECT_EQ(no_type.missing, miss(3));
    EXPECT_FALSE(no_type.bad_attribute.has_value());

    auto negative = e.refused(queue_create_request::rx(e.guest, e.nic_index, 1, -1));
    EXPECT_EQ(negative.code, errno_code::invalid);
    EXPECT_FALSE(negative.missing.has_value());

    // The other ranges are the same as newest.
    r = e.request();
    r.lease->queue->type = 2;
    auto type = e.refused(r);
    EXPECT_EQ(type.code, errno_code::out_of_range);
    EXPECT_EQ(type.message, out_of_range_text);
    EXPECT_EQ(type.bad_attribute, at(path::lease_queue_type));
}

// ------------------------------------------- QL-CRT-03 required attributes

// QL-CRT-03: ifindex, type and lease must be present; EINVAL with the
// missing attribute's id at the top level (no nest), in that order.
TEST(queue_create_required, ifindex_type_and_lease_are_required_in_that_order) {
    env e;
    auto r = e.request();
    r.ifindex.reset();
    auto no_ifindex = e.refused(r);
    EXPECT_EQ(no_ifindex.code, errno_code::invalid);
    EXPECT_EQ(no_ifindex.missing, miss(2));
    EXPECT_FALSE(no_ifindex.bad_attribute.has_value());
    r = e.request();
    r.type.reset();
    EXPECT_EQ(e.refused(r).missing, miss(3));
    r = e.request();
    r.lease.reset();
    EXPECT_EQ(e.refused(r).missing, miss(8));

    EXPECT_EQ(e.refused(queue_create_request{}).missing, miss(2));
    EXPECT_EQ(e.refused(queue_create_request{5U, std::nullopt, std::nullopt}).missing, miss(3));
    EXPECT_EQ(e.refused(queue_create_request{std::nullopt, 0U, std::nullopt}).missing, miss(2));
}

// QL-CRT-03, QL-CRT-04: a missing lease is reported before a tx type.
TEST(queue_create_required, a_missing_lease_comes_before_the_type_check) {
    env e;
    auto err = e.refused(queue_create_request{static_cast<std::uint32_t>(e.guest), 1U, std::nullopt});
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.missing, miss(8));
    EXPECT_FALSE(err.bad_attribute.has_value());
}

// QL-CRT-04, QL-MODEL-08: a tx type is EINVAL naming the type attribute,
// checked before the lease contents (QL-CRT-06) and every lookup.
TEST(queue_create_required, a_tx_type_is_einval_naming_type_before_the_lease_contents) {
    env e;
    auto r = e.request();
    r.type = 1;
    auto err = e.refused(r);
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.bad_attribute, at(path::type));
    EXPECT_FALSE(err.missing.has_value());
    r.lease = lease::lease_request{};
    EXPECT_EQ(e.refused(r).bad_attribute, at(path::type));
    r = e.request();
    r.type = 1;
    r.ifindex = 99999;
    EXPECT_EQ(e.refused(r).code, errno_code::invalid);  // not ENODEV
}

// QL-CRT-06: lease.ifindex and lease.queue must be present; the missing
// indication points into the lease nest; ifindex first.
TEST(queue_create_required, the_lease_needs_ifindex_and_queue_reported_inside_the_nest) {
    env e;
    auto r = e.request();
    r.lease->ifindex.reset();
    auto no_ifindex = e.refused(r);
    EXPECT_EQ(no_ifindex.code, errno_code::invalid);
    EXPECT_EQ(no_ifindex.missing, miss(1, path::lease));
    r = e.request();
    r.lease->queue.reset();
    EXPECT_EQ(e.refused(r).missing, miss(2, path::lease));
    r = e.request();
    r.lease = lease::lease_request{};
    EXPECT_EQ(e.refused(r).missing, miss(1, path::lease));
    // QL-CRT-06 before QL-CRT-08: an empty queue nest is not looked at yet.
    r = e.request();
    r.lease->ifindex.reset();
    r.lease->queue = lease::queue_id_request{};
    EXPECT_EQ(e.refused(r).missing, miss(1, path::lease));
}

// QL-CRT-07: a netns-id from a caller with CAP_NET_ADMIN in the initial user
// namespace passes (the lease succeeds).
TEST(queue_create_required, a_privileged_caller_may_give_a_netns_id) {
    env e;
    ASSERT_TRUE(e.request().lease->netns_id.has_value());
    EXPECT_TRUE(e.create(e.request()).ok());
}

// QL-CRT-07 (profile v7-jan2026): a present netns-id is EINVAL, checked after
// the lease contents (QL-CRT-06) and before the queue reference (QL-CRT-08),
// the lease queue type (QL-CRT-09) and the lookups.
TEST(queue_create_required, v7_jan2026_refuses_any_netns_id_after_the_lease_contents) {
    auto e = v7_env();
    auto r = queue_create_request::rx(e.guest, e.nic_index, 1, 0);
    auto plain = e.refused(r);
    EXPECT_EQ(plain.code, errno_code::invalid);
    EXPECT_FALSE(plain.missing.has_value());

    r.lease->ifindex.reset();
    EXPECT_EQ(e.refused(r).missing, miss(1, path::lease));  // QL-CRT-06 first

    r = queue_create_request::rx(e.guest, e.nic_index, 1, 0);
    r.lease->queue->id.reset();
    auto before_queue = e.refused(r);
    EXPECT_EQ(before_queue.code, errno_code::invalid);
    EXPECT_FALSE(before_queue.missing.has_value());  // not QL-CRT-08's

    r = queue_create_request::rx(e.guest, e.nic_index, 1, 0);
    r.lease->queue->type = 1;
    EXPECT_NE(e.refused(r).bad_attribute, at(path::lease_queue_type));  // not QL-CRT-09's

    r = queue_create_request::rx(99999, e.nic_index, 1, 7);
    EXPECT_EQ(e.refused(r).code, errno_code::invalid);  // not ENODEV
}

// QL-CRT-08: the queue reference needs id and type, reported inside
// lease.queue; id first; before the lease queue type check (QL-CRT-09).
TEST(queue_create_required, the_queue_reference_needs_id_and_type_reported_inside_lease_queue) {
    env e;
    auto r = e.request();
    r.lease->queue->id.reset();
    auto no_id = e.refused(r);
    EXPECT_EQ(no_id.code, errno_code::invalid);
    EXPECT_EQ(no_id.missing, miss(1, path::lease_queue));
    r = e.request();
    r.lease->queue->type.reset();
    EXPECT_EQ(e.refused(r).missing, miss(3, path::lease_queue));
    r = e.request();
    r.lease->queue = lease::queue_id_request{};
    EXPECT_EQ(e.refused(r).missing, miss(1, path::lease_queue));
    r = e.request();
    r.lease->queue->id.reset();
    r.lease->queue->type = 1;
    EXPECT_EQ(e.refused(r).missing, miss(1, path::lease_queue));
}

// QL-CRT-09, QL-MODEL-08: lease.queue.type tx is EINVAL naming that
// attribute, before the lessee lookup.
TEST(queue_create_required, a_tx_lease_queue_type_is_einval_naming_it_before_the_lookups) {
    env e;
    auto r = e.request();
    r.lease->queue->type = 1;
    auto err = e.refused(r);
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.bad_attribute, at(path::lease_queue_type));
    r.ifindex = 99999;
    r.lease->netns_id = 999;
    EXPECT_EQ(e.refused(r).bad_attribute, at(path::lease_queue_type));
}

// -------------------------------------------------- QL-CRT-11…15 lookups

// QL-CRT-11: the lessee is looked up in the caller's netns: an unknown
// ifindex, or the guest's ifindex asked from the initial netns (where it is
// free), is ENODEV; before the lessee check, the netns-id and the lessor.
TEST(queue_create_lookup, the_lessee_is_looked_up_in_the_callers_netns) {
    env e;
    auto unknown = e.refused(queue_create_request::rx(99999, e.nic_index, 1, 0));
    EXPECT_EQ(unknown.code, errno_code::no_device);
    EXPECT_EQ(unknown.message, "");
    ASSERT_EQ(e.w.find(world::initial_netns(), e.guest), nullptr);
    EXPECT_EQ(create_refused(e.w, root, queue_create_request::rx(e.guest, e.nic_index, 1)).code,
              errno_code::no_device);
    EXPECT_EQ(e.refused(queue_create_request::rx(99999, 99999, 99, 999)).code, errno_code::no_device);
}

// QL-CRT-12, QL-CAN-01: the lessee must be able to create queues — a
// physical device is "Device is not a virtual device", a veth or lo
// "Device does not support queue creation"; checked before the netns-id is
// resolved (QL-CRT-13) and the lessor is looked up.
TEST(queue_create_lookup, the_lessee_must_be_able_to_create_queues) {
    env e;
    auto physical = create_refused(e.w, root, queue_create_request::rx(e.nic_index, e.nic_index, 0));
    EXPECT_EQ(physical.code, errno_code::invalid);
    EXPECT_EQ(physical.message, "Device is not a virtual device");
    EXPECT_EQ(create_refused(e.w, root, queue_create_request::rx(e.nic_index, 99999, 0, 999)).message,
              "Device is not a virtual device");

    auto lo = e.refused(queue_create_request::rx(1, e.nic_index, 1, 0));
    EXPECT_EQ(lo.code, errno_code::invalid);
    EXPECT_EQ(lo.message, "Device does not support queue creation");

    link_request veth;
    veth.message_flags = 0x600;
    veth.attributes.ifname = "v0";
    veth.linkinfo = link_info{std::string(uapi::veth_link_kind), std::nullopt};
    auto v = e.w.new_link(e.guest_caller, veth);
    ASSERT_TRUE(v.ok()) << core::to_string(v.failure());
    auto err = e.refused(queue_create_request::rx(ifindex(e.w, v.value().device), e.nic_index, 1, 0));
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.message, "Device does not support queue creation");
    EXPECT_EQ(e.refused(queue_create_request::rx(ifindex(e.w, v.value().device), 99999, 1, 999)).message,
              "Device does not support queue creation");
}

// QL-CRT-13: a netns-id is resolved in the caller's netns id table; an
// unknown id is ENONET, before the lessor lookup (QL-CRT-14).
TEST(queue_create_lookup, an_unknown_netns_id_is_enonet_before_the_lessor_lookup) {
    env e;
    auto err = e.refused(queue_create_request::rx(e.guest, e.nic_index, 1, 999));
    EXPECT_EQ(err.code, errno_code::no_network);
    EXPECT_EQ(e.refused(queue_create_request::rx(e.guest, 99999, 1, 1)).code, errno_code::no_network);
    EXPECT_EQ(e.refused(queue_create_request::rx(e.guest, 1, 1, 1)).code, errno_code::no_network);  // not "virtual"
}

// QL-CRT-13, QL-CRT-14: the id is the caller's name for the netns, not the
// lessor's or anybody else's: a single device in the initial netns leases
// from a NIC in netns X only with the id the initial netns gave X.
TEST(queue_create_lookup, the_netns_id_is_resolved_in_the_callers_table) {
    world w;
    const auto single = add_single(w, 2);
    const auto x = w.create_netns("X");
    const auto nic = add_up_nic(w, 2, softnic_config::nsim(), x);
    ASSERT_TRUE(w.assign_netns_id(x, world::initial_netns(), 0).ok());  // X's name for init: not ours
    auto request = [&](std::int32_t id) { return queue_create_request::rx(ifindex(w, single), ifindex(w, nic), 1, id); };
    EXPECT_EQ(create_refused(w, root, request(0)).code, errno_code::no_network);
    ASSERT_TRUE(w.assign_netns_id(world::initial_netns(), x, 7).ok());
    auto id = w.queue_create(root, request(7));
    ASSERT_TRUE(id.ok()) << core::to_string(id.failure());
    EXPECT_EQ(id.value(), 1U);
    EXPECT_EQ(w.at(nic).rxq[1].lease, (queue_ref{single, 1}));
}

// QL-CRT-14: the lessor is looked up in the resolved netns, or the caller's
// netns without a netns-id; not found → ENODEV.
TEST(queue_create_lookup, the_lessor_is_looked_up_in_the_resolved_netns) {
    env e;
    auto unknown = e.refused(queue_create_request::rx(e.guest, 99999, 1, 0));
    EXPECT_EQ(unknown.code, errno_code::no_device);
    EXPECT_EQ(unknown.message, "");
    ASSERT_EQ(e.w.find(e.pair.ns, e.nic_index), nullptr);
    EXPECT_EQ(e.refused(queue_create_request::rx(e.guest, e.nic_index, 1)).code, errno_code::no_device);
    EXPECT_TRUE(e.create(queue_create_request::rx(e.guest, e.nic_index, 1, 0)).ok());
}

// QL-CRT-15, QL-CAN-02: the lessor must be able to lend: a virtual device
// (netkit host or guest, lo) is "Lease device is a virtual device", a
// detached NIC "Lease device has been removed from the system", a NIC
// without queue-management operations "Lease device does not support queue
// management operations"; all before the queue index check (QL-CRT-17).
TEST(queue_create_lookup, the_lessor_must_be_a_present_physical_device_with_queue_management) {
    env e;
    for (const std::int32_t virtual_lessor : {e.host, 1}) {
        auto err = e.refused(queue_create_request::rx(e.guest, virtual_lessor, 1, 0));
        EXPECT_EQ(err.code, errno_code::invalid);
        EXPECT_EQ(err.message, "Lease device is a virtual device");
        EXPECT_EQ(e.refused(queue_create_request::rx(e.guest, virtual_lessor, 99, 0)).message,
                  "Lease device is a virtual device");
    }
    ASSERT_TRUE(e.w.set_present(e.nic, false).ok());
    auto detached = e.refused(e.request(1));
    EXPECT_EQ(detached.code, errno_code::invalid);
    EXPECT_EQ(detached.message, "Lease device has been removed from the system");
    EXPECT_EQ(e.refused(e.request(99)).message, "Lease device has been removed from the system");
    ASSERT_TRUE(e.w.set_present(e.nic, true).ok());

    softnic_config without = softnic_config::nsim();
    without.queue_management = false;
    const auto bare = add_up_nic(e.w, 2, without);
    auto err = e.refused(queue_create_request::rx(e.guest, ifindex(e.w, bare), 1, 0));
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.message, "Lease device does not support queue management operations");
    EXPECT_EQ(e.refused(queue_create_request::rx(e.guest, ifindex(e.w, bare), 99, 0)).message,
              "Lease device does not support queue management operations");
}

// ------------------------------------------------ QL-CRT-16…19 lessor side

// QL-CRT-17, QL-PSM-11: q ≥ P's real rx is ERANGE naming lease.queue.id,
// including an allocated queue that channels made inactive; queue 0 and the
// last active queue can be leased.
TEST(queue_create_lessor, a_queue_index_at_or_above_real_rx_is_erange_naming_the_queue_id) {
    env e(3, 4);
    for (const std::uint32_t q : {4U, 5U, 0xffffffffU}) {
        auto err = e.refused(e.request(q));
        EXPECT_EQ(err.code, errno_code::out_of_range);
        EXPECT_EQ(err.bad_attribute, at(path::lease_queue_id));
        EXPECT_FALSE(err.missing.has_value());
    }
    links::channel_counts two;
    two.combined = 2;
    ASSERT_TRUE(e.w.ethtool_set_channels(e.nic, two).ok());
    EXPECT_EQ(e.refused(e.request(2)).code, errno_code::out_of_range);
    EXPECT_EQ(e.refused(e.request(3)).code, errno_code::out_of_range);
    EXPECT_EQ(e.create(e.request(1)).value(), 1U);
    EXPECT_EQ(e.create(e.request(0)).value(), 2U);
}

// QL-CRT-17, QL-CRT-19, QL-CRT-20: the index range is checked before the
// one-lessor rule and before netkit's hook (primary, queue limit).
TEST(queue_create_lessor, the_index_range_comes_before_the_lessor_rule_and_the_hook) {
    env e(2, 2);
    const auto other = add_up_nic(e.w, 2);
    ASSERT_TRUE(e.create(e.request(1)).ok());  // the guest is now full and leases from the NIC
    EXPECT_EQ(e.refused(queue_create_request::rx(e.guest, ifindex(e.w, other), 2, 0)).code,
              errno_code::out_of_range);
    EXPECT_EQ(create_refused(e.w, root, queue_create_request::rx(e.host, e.nic_index, 7)).code,
              errno_code::out_of_range);
}

// QL-CRT-18, QL-CAN-03, QL-PSM-08, QL-PSM-09, QL-PSM-10: a busy queue is
// EBUSY with queue_busy's message: already leased (P4), a memory provider
// opened directly (P2), an AF_XDP pool registered directly (P3).
TEST(queue_create_lessor, a_busy_queue_is_ebusy_with_the_reason) {
    env e(3, 4, core::profiles::newest::traits, true, softnic_config::hwnic());
    enable_data_split(e.w, e.nic);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    auto leased = e.refused(e.request(1));
    EXPECT_EQ(leased.code, errno_code::busy);
    EXPECT_EQ(leased.message, "Device queue in use due to queue leasing");
    EXPECT_FALSE(leased.bad_attribute.has_value());

    ASSERT_TRUE(e.w.zcrx_register(root, e.nic_index, 2).ok());
    auto provider = e.refused(e.request(2));
    EXPECT_EQ(provider.code, errno_code::busy);
    EXPECT_EQ(provider.message, "Device queue in use by memory provider");

    ASSERT_TRUE(e.w.xsk_bind(root, e.nic_index, 3).ok());
    auto pool = e.refused(e.request(3));
    EXPECT_EQ(pool.code, errno_code::busy);
    EXPECT_EQ(pool.message, "Device queue in use by AF_XDP");
    EXPECT_TRUE(e.create(e.request(0)).ok());
}

// QL-CRT-18, QL-CAN-03, QL-PSM-10: a leased queue that also carries a
// provider through the lease (P5) reports leasing (checked before the
// provider); one that carries a pool through the lease (P6) reports AF_XDP
// (checked first).
TEST(queue_create_lessor, leased_queues_with_a_provider_or_pool_report_in_queue_busy_order) {
    env e(3, 4, core::profiles::newest::traits, true, softnic_config::hwnic());
    enable_data_split(e.w, e.nic);
    ASSERT_EQ(e.create(e.request(1)).value(), 1U);
    ASSERT_EQ(e.create(e.request(2)).value(), 2U);
    ASSERT_TRUE(e.w.zcrx_register(e.guest_caller, e.guest, 1).ok());
    ASSERT_TRUE(e.w.xsk_bind(e.guest_caller, e.guest, 2).ok());
    ASSERT_TRUE(e.w.at(e.nic).rxq[1].provider.has_value());
    ASSERT_TRUE(e.w.at(e.nic).rxq[2].xsk_pool.has_value());

    const auto single = add_single(e.w, 3);
    auto lease = [&](std::uint32_t q) { return queue_create_request::rx(ifindex(e.w, single), e.nic_index, q); };
    EXPECT_EQ(create_refused(e.w, root, lease(1)).message, "Device queue in use due to queue leasing");
    EXPECT_EQ(create_refused(e.w, root, lease(2)).message, "Device queue in use by AF_XDP");
}

// QL-CRT-18, QL-CAN-03 (profile row 14, v7-jan2026): leased is checked
// first, with the message "Lease device queue is already leased", for a
// plain lease (P4), one with a provider (P5) and one with a pool (P6); the
// other two messages are as newest [unconfirmed].
TEST(queue_create_lessor, v7_jan2026_checks_leased_first_with_its_own_message) {
    auto e = v7_env(4, 4, softnic_config::hwnic());
    enable_data_split(e.w, e.nic);
    ASSERT_EQ(e.create(e.request(1)).value(), 1U);
    ASSERT_EQ(e.create(e.request(2)).value(), 2U);
    ASSERT_EQ(e.create(e.request(3)).value(), 3U);
    ASSERT_TRUE(e.w.zcrx_register(root, e.guest, 2).ok());
    ASSERT_TRUE(e.w.xsk_bind(root, e.guest, 3).ok());
    const auto single = add_single(e.w, 3);
    auto lease = [&](std::uint32_t q) { return queue_create_request::rx(ifindex(e.w, single), e.nic_index, q); };
    for (const std::uint32_t q : {1U, 2U, 3U}) {
        auto err = create_refused(e.w, root, lease(q));
        EXPECT_EQ(err.code, errno_code::busy);
        EXPECT_EQ(err.message, "Lease device queue is already leased") << "queue " << q;
    }
    auto w2 = v7_env(3, 4, softnic_config::hwnic());
    enable_data_split(w2.w, w2.nic);
    ASSERT_TRUE(w2.w.xsk_bind(root, w2.nic_index, 2).ok());
    ASSERT_TRUE(w2.w.zcrx_register(root, w2.nic_index, 3).ok());
    EXPECT_EQ(w2.refused(w2.request(2)).message, unconfirmed::busy_xsk_message_v7);
    EXPECT_EQ(w2.refused(w2.request(3)).message, unconfirmed::busy_provider_message_v7);
}

// QL-CRT-18, QL-CRT-19, QL-CRT-20: the busy check comes before the
// one-lessor rule and before netkit's hook.
TEST(queue_create_lessor, the_busy_check_comes_before_the_lessor_rule_and_the_hook) {
    env e(2, 2);
    const auto other = add_up_nic(e.w, 2);
    const auto single = add_single(e.w, 3);
    ASSERT_TRUE(e.w.queue_create(root, queue_create_request::rx(ifindex(e.w, single), ifindex(e.w, other), 1)).ok());
    ASSERT_TRUE(e.create(e.request(1)).ok());  // the guest is full and leases from the NIC
    auto err = e.refused(queue_create_request::rx(e.guest, ifindex(e.w, other), 1, 0));
    EXPECT_EQ(err.code, errno_code::busy);
    EXPECT_EQ(create_refused(e.w, root, queue_create_request::rx(e.host, e.nic_index, 1)).code, errno_code::busy);
}

// QL-CRT-19: a lessee whose highest active queue leases from another device
// is EOPNOTSUPP "Leasing queues from different devices not supported",
// before the hook's queue limit; the same lessor passes.
TEST(queue_create_lessor, one_lessor_per_lessee) {
    env e(3, 3);
    const auto other = add_up_nic(e.w, 2);
    ASSERT_EQ(e.create(e.request(1)).value(), 1U);
    auto err = e.refused(queue_create_request::rx(e.guest, ifindex(e.w, other), 1, 0));
    EXPECT_EQ(err.code, errno_code::not_supported);
    EXPECT_EQ(err.message, "Leasing queues from different devices not supported");
    EXPECT_EQ(e.create(e.request(2)).value(), 2U);
    // Now full: a different lessor still gets the lessor error, not the limit.
    EXPECT_EQ(e.refused(queue_create_request::rx(e.guest, ifindex(e.w, other), 1, 0)).message,
              "Leasing queues from different devices not supported");
    EXPECT_EQ(e.refused(e.request(0)).message, "netkit maximum queue limit reached");
}

// QL-CRT-19: a lessee without leases (only queue 0, never leased) may lease
// from any device.
TEST(queue_create_lessor, a_lessee_without_leases_may_pick_any_lessor) {
    env e(3, 2);
    const auto other = add_up_nic(e.w, 2);
    EXPECT_EQ(e.create(queue_create_request::rx(e.guest, ifindex(e.w, other), 0, 0)).value(), 1U);
}

// ---------------------------------------- QL-CRT-20 hook, QL-NKQC-01…05

// QL-CRT-20, QL-NKQC-01, QL-VSM-04: on a pair primary the hook fails with
// EOPNOTSUPP "netkit can only lease against the peer device" — after every
// physical-side check (lessor capability, range, busy).
TEST(queue_create_hook, the_primary_of_a_pair_cannot_lease_and_is_checked_last) {
    env e(2, 2);
    ASSERT_EQ(e.w.at(e.pair.host).rx_queues, 2U);  // room for a queue: only the role refuses
    auto err = create_refused(e.w, root, queue_create_request::rx(e.host, e.nic_index, 1));
    EXPECT_EQ(err.code, errno_code::not_supported);
    EXPECT_EQ(err.message, "netkit can only lease against the peer device");
    EXPECT_EQ(create_refused(e.w, root, queue_create_request::rx(e.host, 1, 1)).message,
              "Lease device is a virtual device");
    EXPECT_EQ(create_refused(e.w, root, queue_create_request::rx(e.host, e.nic_index, 2)).code,
              errno_code::out_of_range);
}

// QL-NKQC-01: the peer of a pair and a single device can lease.
TEST(queue_create_hook, the_peer_and_a_single_device_can_lease) {
    env e(2, 3);
    EXPECT_EQ(e.create(e.request(1)).value(), 1U);
    const auto single = add_single(e.w, 2);
    EXPECT_EQ(e.w.queue_create(root, queue_create_request::rx(ifindex(e.w, single), e.nic_index, 2)).value(), 1U);
}

// QL-CRT-20, QL-NKQC-02, QL-VSM-03: real rx grows by one; beyond the
// allocated count the hook fails with EINVAL "netkit maximum queue limit
// reached", returned unchanged.
TEST(queue_create_hook, each_lease_grows_real_rx_by_one_up_to_the_allocated_count) {
    env e(3, 4);
    EXPECT_EQ(e.w.at(e.pair.guest).real_rx_queues, 1U);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    EXPECT_EQ(e.w.at(e.pair.guest).real_rx_queues, 2U);
    ASSERT_TRUE(e.create(e.request(2)).ok());
    EXPECT_EQ(e.w.at(e.pair.guest).real_rx_queues, 3U);
    auto err = e.refused(e.request(3));
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.message, "netkit maximum queue limit reached");
    EXPECT_FALSE(err.bad_attribute.has_value());
    EXPECT_EQ(e.w.at(e.pair.guest).real_rx_queues, 3U);
    EXPECT_EQ(e.w.at(e.pair.guest).real_tx_queues, 1U);  // only RX grows
}

// QL-CRT-20, QL-NKQC-01, QL-NKQC-02 (profile row 12, v7-jan2026): the hook
// reports no extack; the core sets "Device is unable to create a new
// queue" and the hook's errno is kept.
TEST(queue_create_hook, v7_jan2026_hook_failures_carry_the_core_message) {
    auto e = v7_env(2, 2);
    auto primary = create_refused(e.w, root, queue_create_request::rx(e.host, e.nic_index, 1));
    EXPECT_EQ(primary.code, errno_code::not_supported);
    EXPECT_EQ(primary.message, "Device is unable to create a new queue");
    ASSERT_EQ(e.create(e.request(1)).value(), 1U);
    auto full = e.refused(e.request(0));
    EXPECT_EQ(full.code, errno_code::invalid);
    EXPECT_EQ(full.message, "Device is unable to create a new queue");
}

// QL-NKQC-03, QL-CRT-22: the hook returns the old real rx — the first lease
// on a fresh netkit device is 1, the next ones 2, 3.
TEST(queue_create_hook, the_reply_is_the_old_real_rx_count) {
    env e(4, 4);
    for (std::uint32_t expected = 1; expected <= 3; ++expected) {
        const std::uint32_t before = e.w.at(e.pair.guest).real_rx_queues;
        auto id = e.create(e.request(expected));
        ASSERT_TRUE(id.ok());
        EXPECT_EQ(id.value(), expected);
        EXPECT_EQ(id.value(), before);
    }
}

// QL-NKQC-04: the carrier is not touched — it stays on for a running pair
// and off for a guest whose host is down.
TEST(queue_create_hook, the_carrier_is_not_touched) {
    env e(3, 3);
    ASSERT_TRUE(e.w.at(e.pair.guest).carrier);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    EXPECT_TRUE(e.w.at(e.pair.guest).carrier);
    EXPECT_TRUE(e.w.at(e.pair.host).carrier);
    e.w.close_device(e.pair.host);
    ASSERT_TRUE(e.w.open(e.pair.guest).ok());
    ASSERT_FALSE(e.w.at(e.pair.guest).carrier);
    ASSERT_TRUE(e.create(e.request(2)).ok());
    EXPECT_FALSE(e.w.at(e.pair.guest).carrier);
    EXPECT_TRUE(e.w.at(e.pair.guest).up);
}

// QL-NKQC-04 (profile row 13, v7-jan2026): the carrier of a running device
// is turned off before and on after the resize — a running pair keeps its
// carrier, a running guest whose host is down ends with carrier on, and a
// device that is down is not touched.
TEST(queue_create_hook, v7_jan2026_toggles_the_carrier_of_a_running_device) {
    auto e = v7_env(4, 4);
    ASSERT_TRUE(e.w.at(e.pair.guest).carrier);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    EXPECT_TRUE(e.w.at(e.pair.guest).carrier);
    EXPECT_TRUE(e.w.at(e.pair.host).carrier);

    e.w.close_device(e.pair.host);
    ASSERT_TRUE(e.w.at(e.pair.guest).up);
    ASSERT_FALSE(e.w.at(e.pair.guest).carrier);
    ASSERT_TRUE(e.create(e.request(2)).ok());
    EXPECT_TRUE(e.w.at(e.pair.guest).carrier);
    EXPECT_FALSE(e.w.at(e.pair.host).carrier);  // only the resized device

    e.w.close_device(e.pair.guest);
    ASSERT_TRUE(e.create(e.request(3)).ok());
    EXPECT_FALSE(e.w.at(e.pair.guest).carrier);
}

// QL-NKQC-05, QL-VSM-03: queues are never removed; a netkit device with one
// allocated RX queue can never lease, and a lessee at its limit stays there.
TEST(queue_create_hook, a_single_allocated_rx_queue_can_never_lease) {
    env e(1, 2);
    auto err = e.refused(e.request(1));
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.message, "netkit maximum queue limit reached");
    EXPECT_EQ(e.w.at(e.pair.guest).real_rx_queues, 1U);

    env full(2, 2);
    ASSERT_TRUE(full.create(full.request(1)).ok());
    for (int attempt = 0; attempt < 3; ++attempt) {
        EXPECT_EQ(full.refused(full.request(0)).message, "netkit maximum queue limit reached");
        EXPECT_EQ(full.w.at(full.pair.guest).real_rx_queues, 2U);
    }
    full.w.close_device(full.pair.guest);
    ASSERT_TRUE(full.w.open(full.pair.guest).ok());
    EXPECT_EQ(full.w.at(full.pair.guest).real_rx_queues, 2U);
}

// ------------------------------------------- QL-CRT-21…25 success path

// QL-CRT-10, QL-CRT-16, QL-CRT-21, QL-CRT-22, QL-MODEL-02, QL-MODEL-03,
// QL-MODEL-04: a successful queue-create (the reply allocation and the
// lessor re-check cannot fail in the model) links V.rxq[k] and P.rxq[q] to
// each other, takes one reference on P per lease and replies {id: k}.
TEST(queue_create_success, both_ends_are_linked_and_the_lessor_referenced) {
    env e(3, 3);
    EXPECT_EQ(e.w.at(e.nic).lease_refs, 0U);
    auto k = e.create(e.request(2));
    ASSERT_TRUE(k.ok());
    EXPECT_EQ(k.value(), 1U);
    EXPECT_EQ(e.w.at(e.pair.guest).rxq[1].lease, (queue_ref{e.nic, 2}));
    EXPECT_EQ(e.w.at(e.nic).rxq[2].lease, (queue_ref{e.pair.guest, 1}));
    EXPECT_EQ(e.w.at(e.nic).lease_refs, 1U);
    EXPECT_FALSE(e.w.at(e.pair.guest).rxq[0].lease.has_value());
    EXPECT_FALSE(e.w.at(e.nic).rxq[1].lease.has_value());
    ASSERT_EQ(e.create(e.request(0)).value(), 2U);
    EXPECT_EQ(e.w.at(e.pair.guest).rxq[2].lease, (queue_ref{e.nic, 0}));
    EXPECT_EQ(e.w.at(e.nic).rxq[0].lease, (queue_ref{e.pair.guest, 2}));
    EXPECT_EQ(e.w.at(e.nic).lease_refs, 2U);
    EXPECT_EQ(e.w.at(e.pair.host).lease_refs, 0U);
}

// QL-CRT-23: neither V nor P needs to be up; the lease is visible once both
// are up.
TEST(queue_create_success, devices_may_be_down) {
    env e(2, 2);
    e.w.close_device(e.nic);
    e.w.close_device(e.pair.guest);
    e.w.close_device(e.pair.host);
    auto k = e.create(e.request(1));
    ASSERT_TRUE(k.ok());
    EXPECT_EQ(k.value(), 1U);
    EXPECT_EQ(e.w.queue_get(root, e.nic_index, 1).code(), errno_code::no_entry);
    ASSERT_TRUE(e.w.open(e.nic).ok());
    auto info = e.w.queue_get(root, e.nic_index, 1);
    ASSERT_TRUE(info.ok());
    ASSERT_TRUE(info.value().lease.has_value());
    EXPECT_EQ(info.value().lease->queue, 1U);
}

// QL-CRT-24, QL-CAN-02: there is no same-ifindex check; leasing a device's
// queue to itself fails as a virtual lessor — also for an unknown ifindex
// named twice, which is simply ENODEV.
TEST(queue_create_success, leasing_to_itself_fails_as_a_virtual_lessor) {
    env e(2, 2, core::profiles::newest::traits, false);
    auto err = create_refused(e.w, root, queue_create_request::rx(e.guest, e.guest, 0));
    EXPECT_EQ(err.code, errno_code::invalid);
    EXPECT_EQ(err.message, "Lease device is a virtual device");
    EXPECT_EQ(create_refused(e.w, root, queue_create_request::rx(99999, 99999, 0)).code, errno_code::no_device);
}

// QL-CRT-24 (profile row 11, v7-jan2026): ifindex = lease.ifindex is EINVAL
// "Lease ifindex cannot be the same as queue creation ifindex", right after
// QL-CRT-09 (a tx lease queue type wins) and before the lessee lookup.
TEST(queue_create_success, v7_jan2026_refuses_the_same_ifindex_explicitly) {
    auto e = v7_env(2, 2);
    const std::string same = "Lease ifindex cannot be the same as queue creation ifindex";
    auto self = e.refused(queue_create_request::rx(e.guest, e.guest, 0));
    EXPECT_EQ(self.code, errno_code::invalid);
    EXPECT_EQ(self.message, same);
    EXPECT_EQ(e.refused(queue_create_request::rx(99999, 99999, 0)).message, same);  // not ENODEV
    auto r = queue_create_request::rx(e.guest, e.guest, 0);
    r.lease->queue->type = 1;
    auto tx = e.refused(r);
    EXPECT_EQ(tx.bad_attribute, at(path::lease_queue_type));
    EXPECT_NE(tx.message, same);
}

// QL-CRT-25: creating a lease restarts no queue — the lessor's queues keep
// their page-pool and NAPI generations, and nothing but the lease fields and
// the reference count changes on the lessor.
TEST(queue_create_success, no_queue_is_restarted) {
    env e(2, 2);
    ASSERT_TRUE(e.w.queue_reset(e.nic, 1, 0).ok());  // generations 1 on queue 1
    const device before = e.w.at(e.nic);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    device after = e.w.at(e.nic);
    EXPECT_EQ(after.rxq[1].page_pool_generation, before.rxq[1].page_pool_generation);
    EXPECT_EQ(after.rxq[1].napi_generation, before.rxq[1].napi_generation);
    after.rxq[1].lease.reset();
    after.lease_refs = 0;
    EXPECT_TRUE(after == before);
}

// ---------------------------------------------- QL-CAN-01…04 the helpers

// QL-CAN-01: every message of can_create_queue, first match wins: parent,
// then no queue-create hook, then fewer than one real RX or TX queue.
TEST(queue_create_can, can_create_queue_messages_in_first_match_order) {
    env e;
    const device nic = e.w.at(e.nic);
    const device lo = *e.w.find(world::initial_netns(), 1);
    const device netkit = e.w.at(e.pair.guest);
    auto message = [](const device& d) {
        auto s = lease::can_create_queue(d);
        return s.ok() ? std::string("ok") : s.failure().message;
    };
    EXPECT_EQ(message(netkit), "ok");
    EXPECT_EQ(message(nic), "Device is not a virtual device");
    EXPECT_EQ(message(lo), "Device does not support queue creation");
    device no_rx = netkit;
    no_rx.real_rx_queues = 0;
    EXPECT_EQ(message(no_rx), "Device must have at least one real queue");
    device no_tx = netkit;
    no_tx.real_tx_queues = 0;
    EXPECT_EQ(message(no_tx), "Device must have at least one real queue");
    EXPECT_EQ(lease::can_create_queue(no_tx).failure().code, errno_code::invalid);
    // Several reasons at once: the first is reported.
    device physical_empty = nic;
    physical_empty.real_rx_queues = 0;
    EXPECT_EQ(message(physical_empty), "Device is not a virtual device");
    device lo_empty = lo;
    lo_empty.real_rx_queues = 0;
    EXPECT_EQ(message(lo_empty), "Device does not support queue creation");
}

// QL-CAN-02: every message of can_lease_queue, first match wins: no parent,
// then not present, then no queue-management operations.
TEST(queue_create_can, can_lease_queue_messages_in_first_match_order) {
    env e;
    const device nic = e.w.at(e.nic);
    const device netkit = e.w.at(e.pair.guest);
    auto message = [](const device& d) {
        auto s = lease::can_lease_queue(d);
        return s.ok() ? std::string("ok") : s.failure().message;
    };
    EXPECT_EQ(message(nic), "ok");
    EXPECT_EQ(message(netkit), "Lease device is a virtual device");
    device detached = nic;
    detached.present = false;
    EXPECT_EQ(message(detached), "Lease device has been removed from the system");
    device bare = nic;
    bare.nic->config.queue_management = false;
    EXPECT_EQ(message(bare), "Lease device does not support queue management operations");
    EXPECT_EQ(lease::can_lease_queue(bare).failure().code, errno_code::invalid);
    device detached_bare = bare;
    detached_bare.present = false;
    EXPECT_EQ(message(detached_bare), "Lease device has been removed from the system");
    device virtual_detached = netkit;
    virtual_detached.present = false;
    EXPECT_EQ(message(virtual_detached), "Lease device is a virtual device");
}

// QL-CAN-03: queue_busy, first match wins: (1) a pool at i — on the RX slot
// below real rx, else on the TX slot; (2) TX is never busy otherwise; (3)
// leased; (4) a memory provider.
TEST(queue_create_can, queue_busy_checks_pool_then_direction_then_lease_then_provider) {
    env e(2, 3);
    const world_state& s = e.w.state();
    const device base = e.w.at(e.nic);
    auto busy = [&](const device& d, std::uint32_t i, bool tx) {
        auto b = queue_ops::queue_busy(s, d, i, tx);
        return b ? b->message : std::string("free");
    };
    EXPECT_EQ(busy(base, 0, false), "free");
    EXPECT_EQ(busy(base, 0, true), "free");

    device all = base;  // queue 1: pool, lease and provider at once
    all.rxq[1].xsk_pool = 77;
    all.rxq[1].lease = queue_ref{e.pair.guest, 1};
    all.rxq[1].provider = provider_params{provider_kind::io_uring, 5};
    EXPECT_EQ(busy(all, 1, false), "Device queue in use by AF_XDP");
    EXPECT_EQ(busy(all, 1, true), "Device queue in use by AF_XDP");
    all.rxq[1].xsk_pool.reset();
    EXPECT_EQ(busy(all, 1, false), "Device queue in use due to queue leasing");
    EXPECT_EQ(busy(all, 1, true), "free");
    all.rxq[1].lease.reset();
    EXPECT_EQ(busy(all, 1, false), "Device queue in use by memory provider");
    EXPECT_EQ(busy(all, 1, true), "free");
    EXPECT_EQ(queue_ops::queue_busy(s, all, 1, false)->code, errno_code::busy);

    // Below real rx only the RX slot counts; at or above it only the TX slot.
    device slots = base;
    slots.txq[0].xsk_pool = 9;
    EXPECT_EQ(busy(slots, 0, false), "free");
    slots.real_rx_queues = 1;
    slots.rxq[2].xsk_pool = 8;
    EXPECT_EQ(busy(slots, 2, false), "free");
    EXPECT_EQ(busy(slots, 2, true), "free");
    slots.txq[2].xsk_pool = 8;
    EXPECT_EQ(busy(slots, 2, false), "Device queue in use by AF_XDP");
    EXPECT_EQ(busy(slots, 2, true), "Device queue in use by AF_XDP");
    // Lease and provider count only for active queues (QL-MODEL-06).
    slots.rxq[1].lease = queue_ref{e.pair.guest, 1};
    EXPECT_EQ(busy(slots, 1, false), "free");
}

// QL-CAN-03 (profile row 14, v7-jan2026): leased → AF_XDP → provider, and
// the leased text is "Lease device queue is already leased" [unconfirmed]:
// the AF_XDP and provider texts are taken equal to newest.
TEST(queue_create_can, v7_jan2026_queue_busy_checks_the_lease_first) {
    auto e = v7_env(2, 3);
    const world_state& s = e.w.state();
    device all = e.w.at(e.nic);
    auto busy = [&](const device& d, std::uint32_t i, bool tx) {
        auto b = queue_ops::queue_busy(s, d, i, tx);
        return b ? b->message : std::string("free");
    };
    all.rxq[1].xsk_pool = 77;
    all.rxq[1].lease = queue_ref{e.pair.guest, 1};
    all.rxq[1].provider = provider_params{provider_kind::io_uring, 5};
    EXPECT_EQ(busy(all, 1, false), "Lease device queue is already leased");
    EXPECT_EQ(busy(all, 1, true), "Device queue in use by AF_XDP");
    all.rxq[1].lease.reset();
    EXPECT_EQ(busy(all, 1, false), "Device queue in use by AF_XDP");
    all.rxq[1].xsk_pool.reset();
    EXPECT_EQ(busy(all, 1, false), "Device queue in use by memory provider");
}

// QL-CAN-04, QL-ETH-03: the message is set only when the caller supplies an
// extack — internal callers (here the legacy channels ioctl) get EINVAL
// without one.
TEST(queue_create_can, messages_only_with_an_extack) {
    env e(2, 2);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    const device& nic = e.w.at(e.nic);
    auto quiet = queue_ops::queue_busy(e.w.state(), nic, 1, false, false);
    ASSERT_TRUE(quiet.has_value());
    EXPECT_EQ(quiet->code, errno_code::busy);
    EXPECT_EQ(quiet->message, "");
    EXPECT_EQ(queue_ops::queue_busy(e.w.state(), nic, 1, false, true)->message,
              "Device queue in use due to queue leasing");
    links::channel_counts one;
    one.combined = 1;
    const world before = e.w;
    auto ioctl = e.w.ethtool_set_channels(e.nic, one, softnic::channel_path::ioctl);
    ASSERT_FALSE(ioctl.ok());
    EXPECT_EQ(ioctl.failure().code, errno_code::invalid);
    EXPECT_EQ(ioctl.failure().message, "");
    EXPECT_TRUE(e.w == before);
}

// ------------------------------------------------ QL-MODEL-01…08 the model

// QL-MODEL-01, SN-GEN-01: the only discriminator is a parent bus device: the
// NIC is physical (may lend, may not receive); netkit, veth and lo are
// virtual (may receive if they can create queues, may not lend).
TEST(queue_create_model, physical_means_having_a_parent) {
    env e(2, 2, core::profiles::newest::traits, false);
    EXPECT_TRUE(e.w.at(e.nic).physical());
    EXPECT_TRUE(e.w.at(e.nic).has_parent);
    EXPECT_FALSE(e.w.at(e.pair.guest).physical());
    EXPECT_FALSE(e.w.at(e.pair.host).physical());
    EXPECT_FALSE(e.w.find(world::initial_netns(), 1)->physical());
    // A netkit device handed a parent would count as physical (and so could
    // not receive a queue): the flag alone decides.
    device adopted = e.w.at(e.pair.guest);
    adopted.has_parent = true;
    EXPECT_TRUE(adopted.physical());
    EXPECT_EQ(lease::can_create_queue(adopted).failure().message, "Device is not a virtual device");
    device orphan = e.w.at(e.nic);
    orphan.has_parent = false;
    EXPECT_EQ(lease::can_lease_queue(orphan).failure().message, "Lease device is a virtual device");
}

// QL-MODEL-03, QL-MODEL-04: both lease fields are cleared together and the
// reference dropped when the lessee goes away.
TEST(queue_create_model, unleasing_clears_both_ends_and_drops_the_reference) {
    env e(3, 3);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    ASSERT_TRUE(e.create(e.request(2)).ok());
    ASSERT_EQ(e.w.at(e.nic).lease_refs, 2U);
    ASSERT_TRUE(e.w.delete_link(root, delete_request{e.host, std::nullopt, std::nullopt}).ok());
    EXPECT_EQ(e.w.at(e.nic).lease_refs, 0U);
    for (std::uint32_t q = 0; q < 3; ++q) {
        EXPECT_FALSE(e.w.at(e.nic).rxq[q].lease.has_value()) << q;
    }
    for (const auto& q : e.w.at(e.pair.guest).rxq) {
        EXPECT_FALSE(q.lease.has_value());
    }
}

// QL-MODEL-04: P cannot finish unregistering while leased — removing it
// deletes its lessees first, so it unregisters with no reference left.
TEST(queue_create_model, a_lessor_unregisters_only_after_its_references_are_gone) {
    env e(3, 3);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    ASSERT_TRUE(e.w.remove_softnic_port(e.nic).ok());
    EXPECT_EQ(e.w.at(e.nic).lease_refs, 0U);
    EXPECT_NE(e.w.at(e.nic).state, registration::registered);
    EXPECT_NE(e.w.at(e.pair.guest).state, registration::registered);
    EXPECT_NE(e.w.at(e.pair.host).state, registration::registered);
}

// QL-MODEL-05: following a lease virtual → physical is allowed; starting at
// a leased physical queue gives "invalid"; an unleased queue resolves to
// itself, on either side.
TEST(queue_create_model, resolve_rx_follows_leases_only_from_the_virtual_side) {
    env e(2, 2);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    const world_state& s = e.w.state();
    EXPECT_EQ(queue_ops::resolve_rx(s, queue_ref{e.pair.guest, 1}), (queue_ref{e.nic, 1}));
    EXPECT_EQ(queue_ops::resolve_rx(s, queue_ref{e.nic, 1}), std::nullopt);
    EXPECT_EQ(queue_ops::resolve_rx(s, queue_ref{e.nic, 0}), (queue_ref{e.nic, 0}));
    EXPECT_EQ(queue_ops::resolve_rx(s, queue_ref{e.pair.guest, 0}), (queue_ref{e.pair.guest, 0}));
}

// QL-MODEL-06: leased(i) and has_mp(i) are false at or above real rx, even
// where the queue object still carries the fields.
TEST(queue_create_model, queue_predicates_are_false_at_or_above_real_rx) {
    env e(2, 2);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    device nic = e.w.at(e.nic);
    device guest = e.w.at(e.pair.guest);
    EXPECT_TRUE(nic.leased(1));
    EXPECT_TRUE(guest.leased(1));
    EXPECT_FALSE(nic.leased(0));
    EXPECT_FALSE(guest.leased(0));
    nic.rxq[1].provider = provider_params{provider_kind::dmabuf, 3};
    EXPECT_TRUE(nic.has_provider(1));
    nic.real_rx_queues = 1;
    guest.real_rx_queues = 1;
    EXPECT_FALSE(nic.leased(1));
    EXPECT_FALSE(nic.has_provider(1));
    EXPECT_FALSE(guest.leased(1));
    EXPECT_FALSE(nic.leased(7));
    EXPECT_FALSE(nic.has_provider(7));
}

// QL-MODEL-07: the model executes an operation that touches both devices
// atomically: a queue-create refused at its last step (netkit's hook, after
// every lessor-side check) leaves the lessor and the lessee as they were,
// and a successful one changes both together.
TEST(queue_create_model, an_operation_on_both_devices_is_atomic) {
    env e(2, 2);
    const device nic = e.w.at(e.nic);
    const device host = e.w.at(e.pair.host);
    (void)create_refused(e.w, root, queue_create_request::rx(e.host, e.nic_index, 1));
    EXPECT_TRUE(e.w.at(e.nic) == nic);
    EXPECT_TRUE(e.w.at(e.pair.host) == host);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    EXPECT_TRUE(e.w.at(e.nic).rxq[1].lease.has_value() && e.w.at(e.pair.guest).rxq[1].lease.has_value());
}

// QL-MODEL-08: only RX queues can be leased: a tx request or a tx queue
// reference is refused, and TX queue_busy never reports a lease.
TEST(queue_create_model, only_rx_queues_are_leased) {
    env e(2, 2);
    auto r = e.request();
    r.type = 1;
    EXPECT_EQ(e.refused(r).code, errno_code::invalid);
    r = e.request();
    r.lease->queue->type = 1;
    EXPECT_EQ(e.refused(r).code, errno_code::invalid);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    EXPECT_FALSE(queue_ops::queue_busy(e.w.state(), e.w.at(e.nic), 1, true).has_value());
    for (const auto& q : e.w.at(e.nic).txq) {
        EXPECT_FALSE(q.xsk_pool.has_value());
    }
}

// ---------------------------------------------------------- other profiles

// QL-CRT-02, QL-CRT-20, QL-CRT-24, QL-CAN-03: profile linux-7.1.0 follows
// newest in rows 10, 11, 12 and 14 (a negative netns-id is ERANGE, no
// same-ifindex check, driver messages, AF_XDP → leased → provider order).
TEST(queue_create_profiles, linux_7_1_0_queue_create_behaves_as_newest) {
    env e(2, 2, core::profiles::linux_7_1_0::traits);
    auto negative = e.refused(queue_create_request::rx(e.guest, e.nic_index, 1, -1));
    EXPECT_EQ(negative.code, errno_code::out_of_range);
    EXPECT_EQ(negative.bad_attribute, at(path::lease_netns_id));
    EXPECT_EQ(e.refused(queue_create_request::rx(e.guest, e.guest, 0)).message,
              "Lease device is a virtual device");
    EXPECT_EQ(create_refused(e.w, root, queue_create_request::rx(e.host, e.nic_index, 1)).message,
              "netkit can only lease against the peer device");
    ASSERT_EQ(e.create(e.request(1)).value(), 1U);
    EXPECT_EQ(e.refused(e.request(0)).message, "netkit maximum queue limit reached");
    const auto single = add_single(e.w, 2);
    EXPECT_EQ(create_refused(e.w, root, queue_create_request::rx(ifindex(e.w, single), e.nic_index, 1)).message,
              "Device queue in use due to queue leasing");
}

// Spec README §4: the 2023-era profiles have no leasing — queue-create is
// EOPNOTSUPP whatever the request.
TEST(queue_create_profiles, the_2023_profiles_have_no_queue_create) {
    for (const auto& profile : {core::profiles::orig_2023::traits, core::profiles::intermediate::traits}) {
        world w(profile);
        const auto nic = add_up_nic(w, 2);
        link_request r = requests::netkit_pair("nk%d", "nk%d", 2);
        const auto created = must(w.new_link(root, r), "new_link");
        const auto err = create_refused(
            w, root, queue_create_request::rx(ifindex(w, *created.peer), ifindex(w, nic), 1));
        EXPECT_EQ(err.code, errno_code::not_supported) << profile.name;
        EXPECT_EQ(create_refused(w, root, queue_create_request{}).code, errno_code::not_supported);
    }
}

// ------------------------------------------------------ refusals in bulk

// QL-CRT-01, QL-CRT-02, QL-CRT-03, QL-CRT-11, QL-CRT-13, QL-CRT-15,
// QL-CRT-17, QL-CRT-18, QL-CRT-19, QL-CRT-20: whichever check refuses a
// queue-create (each with its errno), the world afterwards equals the world
// before (and hashes the same), on top of a world that already holds a
// lease.
TEST(queue_create_refusals, a_refused_queue_create_changes_nothing) {
    env e(2, 3);
    const auto other = add_up_nic(e.w, 2);
    ASSERT_TRUE(e.create(e.request(1)).ok());
    struct refusal {
        caller who;
        queue_create_request request;
        errno_code expected;
    };
    std::vector<refusal> refusals;
    refusals.push_back({caller::unprivileged_in(e.pair.ns), e.request(2), errno_code::not_permitted});
    auto r = e.request(2);
    r.ifindex = 0;
    refusals.push_back({e.guest_caller, r, errno_code::out_of_range});
    r = e.request(2);
    r.lease.reset();
    refusals.push_back({e.guest_caller, r, errno_code::invalid});
    refusals.push_back({e.guest_caller, queue_create_request::rx(99999, e.nic_index, 2, 0), errno_code::no_device});
    refusals.push_back(
        {e.guest_caller, queue_create_request::rx(e.guest, e.nic_index, 2, 42), errno_code::no_network});
    refusals.push_back({e.guest_caller, queue_create_request::rx(e.guest, e.host, 2, 0), errno_code::invalid});
    refusals.push_back({e.guest_caller, e.request(3), errno_code::out_of_range});
    refusals.push_back({e.guest_caller, e.request(1), errno_code::busy});
    refusals.push_back(
        {e.guest_caller, queue_create_request::rx(e.guest, ifindex(e.w, other), 1, 0), errno_code::not_supported});
    refusals.push_back({e.guest_caller, e.request(2), errno_code::invalid});  // full: the hook refuses
    refusals.push_back({root, queue_create_request::rx(e.host, e.nic_index, 2), errno_code::not_supported});
    for (const auto& [who, request, expected] : refusals) {
        const std::size_t hash_before = model::hash_value(e.w);
        const auto err = create_refused(e.w, who, request);
        EXPECT_EQ(err.code, expected) << core::to_string(err);
        EXPECT_EQ(model::hash_value(e.w), hash_before);
    }
}

}  // namespace
