// Tests of include/netkit/netlink/wire_world.hpp: the world driven through
// netlink bytes gives the same outcomes and the same world as the C++ API,
// on random operation sequences of the check alphabet (the property the
// netlink front end is held to), and its reply decoding — errors with their
// extack, offending and missing attributes, queue-get entries — is the
// inverse of what the handlers encode.
#include <netkit/check/invariants.hpp>
#include <netkit/check/operations.hpp>
#include <netkit/netlink/genl.hpp>
#include <netkit/netlink/wire_world.hpp>

#include "check/generators.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace check_test;
using netkit::netlink::wire_world;
namespace model = netkit::model;
namespace nl = netkit::netlink;

// Applies `ops` to a world through the C++ API and to a wire_world; every
// step must have the same outcome, and the worlds must be equal after every
// step. Returns the first difference, or nothing.
struct coverage {
    std::size_t requests = 0;     // sent by the wire world
    std::size_t refused = 0;      // netlink requests the kernel would refuse
    std::size_t leases = 0;       // queue-creates that succeeded
};

std::optional<std::string> first_difference(const std::vector<operation>& ops, coverage& seen) {
    model::world direct;
    wire_world wire;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const model::world before = direct;
        outcome a = apply(direct, ops[i]);
        const outcome b = apply(wire, ops[i]);
        // A reply cannot say that a refused request kept a part that changed
        // nothing (a changelink that re-set the current policy, then failed):
        // the wire sees "partly applied" only as a changed world.
        if (a.partly_applied && direct == before) {
            a.partly_applied = false;
        }
        if (!(a == b)) {
            return "step " + std::to_string(i) + " " + to_string(ops[i]) + ": API " + to_string(a) + ", wire " +
                   to_string(b) + "\nafter:\n" + to_string(std::span(ops).first(i));
        }
        const std::size_t sent = wire.transcript().size();
        if (sent > seen.requests && b.kind == outcome_kind::refused) {
            ++seen.refused;
        }
        seen.requests = sent;
        if (std::holds_alternative<queue_create>(ops[i]) && b.kind == outcome_kind::applied) {
            ++seen.leases;
        }
        if (!(direct == wire.model())) {
            return "step " + std::to_string(i) + " " + to_string(ops[i]) + " (" + to_string(a) +
                   "): the worlds differ\nafter:\n" + to_string(std::span(ops).first(i));
        }
    }
    return std::nullopt;
}

// The operations that have a netlink form, favoured.
weights netlink_weights() {
    weights w = favour<create_pair, create_single, create_veth, delete_device, change_link, set_up, set_mtu, set_mac,
                       move_device, queue_create, queue_get, create_lessee, bind_rx>(6);
    w[index_of<queue_create>()] = 12;
    return w;
}

// NL-GEN-01 and the equivalence: the rtnetlink and netdev
// operations of random sequences (device creation, changelink, setlink,
// moves, deletion, queue-create, queue-get, bind-rx, mixed with every other
// operation of the alphabet) give the same result and errno through
// encode → socket → decode as through the C++ API, and the same world.
RC_GTEST_PROP(wire_world, random_sequences_give_the_same_outcomes_and_world_as_the_api, ()) {
    auto ops = *rc::gen::arbitrary<bool>() ? lease_prefix() : std::vector<operation>{};
    const auto more = *rc::gen::resize(40, sequences(netlink_weights()));
    ops.insert(ops.end(), more.begin(), more.end());
    coverage seen;
    if (auto d = first_difference(ops, seen)) {
        RC_FAIL(*d);
    }
    RC_CLASSIFY(seen.requests > 0, "netlink requests sent");
    RC_CLASSIFY(seen.refused > 0, "a netlink request refused");
    RC_CLASSIFY(seen.leases > 0, "a queue-create through the wire succeeded");
}

// The property can fail: a wire_world that loses a request's effect is told
// apart. (A hand-built divergence, not a mutant of the front end: the
// direct world opens a device the wire world does not.)
TEST(wire_world, worlds_that_diverge_are_told_apart) {
    model::world direct;
    wire_world wire;
    const auto pair = check::lease_prefix();
    for (const auto& op : pair) {
        ASSERT_EQ(apply(direct, op), apply(wire, op));
    }
    ASSERT_TRUE(direct == wire.model());
    const auto lo = direct.find(model::world::initial_netns(), "lo");
    ASSERT_NE(lo, nullptr);
    direct.close_device(lo->handle);
    EXPECT_FALSE(direct == wire.model());
}

// Every typed call with a netlink form goes through the socket: the
// transcript holds one request per call, of the right protocol.
TEST(wire_world, netlink_operations_are_sent_as_bytes_and_others_are_not) {
    wire_world w;
    const auto root = wire_world::root();
    ASSERT_TRUE(w.new_link(root, model::requests::netkit_pair("nk1", "nk0", 2, std::nullopt, netkit::uapi::mode::l2)).ok());
    ASSERT_EQ(w.transcript().size(), 1U);
    EXPECT_EQ(w.transcript()[0].protocol, netkit::uapi::netlink_protocol::route);
    const auto nk1 = w.find(wire_world::initial_netns(), "nk1")->handle;
    ASSERT_TRUE(w.open(nk1).ok());
    ASSERT_TRUE(w.set_mtu(nk1, 1400).ok());
    EXPECT_EQ(w.transcript().size(), 3U);
    (void)w.create_netns("other");  // not netlink: not in the transcript
    EXPECT_EQ(w.transcript().size(), 3U);
    const auto q = w.queue_get(root, w.at(nk1).ifindex, 0);
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(w.transcript().back().protocol, netkit::uapi::netlink_protocol::generic);
    EXPECT_EQ(q.value(), model::world(w.model()).queue_get(root, w.at(nk1).ifindex, 0).value());
}

// NL-EXT-01, NL-EXT-03: an error comes back with its extack message and the
// offending attribute's path, read from NLMSGERR_ATTR_OFFS.
TEST(wire_world, errors_carry_the_extack_message_and_the_offending_attribute) {
    model::world direct;
    wire_world wire;
    auto request = model::requests::create_netkit("nk1", {model::requests::attr(netkit::uapi::netkit_attr::mode, 2)});
    const auto a = direct.new_link(wire_world::root(), request);
    const auto b = wire.new_link(wire_world::root(), request);
    ASSERT_FALSE(a.ok());
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.failure().code, a.failure().code);
    EXPECT_EQ(b.failure().message, a.failure().message);
    ASSERT_TRUE(b.failure().bad_attribute.has_value());
    EXPECT_EQ(b.failure().bad_attribute, a.failure().bad_attribute);
}

// NL-EXT-04: a missing attribute comes back as its type and its nest.
TEST(wire_world, a_missing_attribute_comes_back_with_its_nest) {
    model::world direct;
    wire_world wire;
    model::lease::queue_create_request r = model::lease::queue_create_request::rx(1, 1, 0, std::nullopt);
    r.lease->ifindex.reset();
    const auto a = direct.queue_create(wire_world::root(), r);
    const auto b = wire.queue_create(wire_world::root(), r);
    ASSERT_FALSE(a.ok());
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.failure().code, a.failure().code);
    ASSERT_TRUE(b.failure().missing.has_value());
    EXPECT_EQ(b.failure().missing, a.failure().missing);
}

// QL-GET-02/03: queue-get reply attributes read back into the value they
// were written from, for every combination of the optional parts.
RC_GTEST_PROP(wire_world, queue_get_attributes_read_back_into_the_same_entry, ()) {
    model::lease::queue_info q;
    q.id = *rc::gen::inRange<std::uint32_t>(0, 4096);
    q.type = *rc::gen::element(netkit::uapi::queue_type::rx, netkit::uapi::queue_type::tx);
    q.ifindex = *rc::gen::inRange<std::int32_t>(1, 1 << 20);
    if (*rc::gen::arbitrary<bool>()) {
        q.napi_id = *rc::gen::inRange<std::uint32_t>(1, 100000);
    }
    if (*rc::gen::arbitrary<bool>()) {
        model::lease::lease_report l;
        l.ifindex = *rc::gen::inRange<std::int32_t>(1, 1 << 20);
        l.queue = *rc::gen::inRange<std::uint32_t>(0, 4096);
        if (*rc::gen::arbitrary<bool>()) {
            l.netns_id = *rc::gen::inRange<std::int32_t>(0, 1000);
        }
        q.lease = l;
    }
    if (*rc::gen::arbitrary<bool>()) {
        q.dmabuf = *rc::gen::inRange<std::uint32_t>(1, 1000);
    }
    q.io_uring = *rc::gen::arbitrary<bool>();
    q.xsk = *rc::gen::arbitrary<bool>();
    const auto bytes = nl::genl::queue_attributes(q);
    const auto back = nl::genl::read_queue_attributes(bytes);
    RC_ASSERT(back.has_value());
    RC_ASSERT(*back == q);
}

// An entry without its id, type or ifindex, or with a short integer, is
// not an entry.
TEST(wire_world, incomplete_queue_entries_are_refused) {
    model::lease::queue_info q;
    q.id = 3;
    q.ifindex = 7;
    auto bytes = nl::genl::queue_attributes(q);
    ASSERT_TRUE(nl::genl::read_queue_attributes(bytes).has_value());
    const std::vector<std::uint8_t> without_id(bytes.begin() + 8, bytes.end());  // drop NETDEV_A_QUEUE_ID
    EXPECT_FALSE(nl::genl::read_queue_attributes(without_id).has_value());
    auto short_id = bytes;
    short_id[0] = 6;  // nla_len 6: a 2-byte id
    EXPECT_FALSE(nl::genl::read_queue_attributes(short_id).has_value());
}

}  // namespace
