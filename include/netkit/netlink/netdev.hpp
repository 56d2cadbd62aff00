// The netdev generic-netlink family's queue-create on the wire (lease.md
// QL-UAPI-04…08, QL-CRT-02; netlink.md NL-ND-02/03): the attribute policies
// of the request as data, the strict parse, and the bridge that turns the
// parsed attributes into the model's lease::queue_create_request — so the
// wire and the typed API run the same checks — and maps the model's
// bad-attribute and missing-attribute paths back to byte offsets.
#pragma once

#include <netkit/core/result.hpp>
#include <netkit/model/lease.hpp>
#include <netkit/model/world.hpp>
#include <netkit/netlink/attributes.hpp>
#include <netkit/netlink/policy.hpp>
#include <netkit/uapi/netdev.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>

namespace netkit::netlink::netdev {

namespace policies {

using uapi::lease_attr;
using uapi::queue_attr;

inline constexpr std::uint16_t id(queue_attr a) noexcept { return static_cast<std::uint16_t>(a); }
inline constexpr std::uint16_t id(lease_attr a) noexcept { return static_cast<std::uint16_t>(a); }

// The "queue-id" subset inside lease.queue: id and type (max 3; 2 has no entry).
inline constexpr std::array<policy_entry, 4> queue_id_entries{{
    {},
    {policy_kind::u32, {}, {}, 0, 0, nullptr, {}},
    {},
    {policy_kind::u32, {}, 1, 0, 0, nullptr, {}},
}};
inline constexpr policy_set queue_id{3, queue_id_entries};

// NETDEV_A_LEASE_*: ifindex (min 1), queue (nest), netns-id (s32, min 0).
inline constexpr std::array<policy_entry, 4> lease_entries{{
    {},
    {policy_kind::u32, 1, {}, 0, 0, nullptr, {}},
    {policy_kind::nested, {}, {}, 0, 0, &queue_id, {}},
    {policy_kind::s32, 0, {}, 0, 0, nullptr, {}},
}};
inline constexpr policy_set lease{3, lease_entries};

// Profile v7-jan2026: netns-id without a minimum (QL-UAPI-05).
inline constexpr std::array<policy_entry, 4> lease_entries_v7{{
    {},
    {policy_kind::u32, 1, {}, 0, 0, nullptr, {}},
    {policy_kind::nested, {}, {}, 0, 0, &queue_id, {}},
    {policy_kind::s32, {}, {}, 0, 0, nullptr, {}},
}};
inline constexpr policy_set lease_v7{3, lease_entries_v7};

// queue-create's top level (max = lease, 8): ifindex (min 1), type (max 1),
// lease; ids 1, 4, 5, 6, 7 have no entry.
inline constexpr std::array<policy_entry, 9> queue_create_entries{{
    {},
    {},
    {policy_kind::u32, 1, {}, 0, 0, nullptr, {}},
    {policy_kind::u32, {}, 1, 0, 0, nullptr, {}},
    {},
    {},
    {},
    {},
    {policy_kind::nested, {}, {}, 0, 0, &lease, {}},
}};
inline constexpr policy_set queue_create{8, queue_create_entries};

inline constexpr std::array<policy_entry, 9> queue_create_entries_v7{{
    {},
    {},
    {policy_kind::u32, 1, {}, 0, 0, nullptr, {}},
    {policy_kind::u32, {}, 1, 0, 0, nullptr, {}},
    {},
    {},
    {},
    {},
    {policy_kind::nested, {}, {}, 0, 0, &lease_v7, {}},
}};
inline constexpr policy_set queue_create_v7{8, queue_create_entries_v7};

inline const policy_set& queue_create_for(const core::profile_traits& profile) noexcept {
    return profile.netns_id == core::lease_netns_id::accepted ? queue_create : queue_create_v7;
}

}  // namespace policies

// A parsed request and where its attributes were, for error offsets.
struct decoded_queue_create {
    model::lease::queue_create_request request;
    parsed_level top;
};

// QL-CRT-02: the strict parse, then the attributes as a structured request.
inline core::result<decoded_queue_create> decode_queue_create(std::span<const std::uint8_t> attributes,
                                                              std::uint32_t base_offset,
                                                              const core::profile_traits& profile,
                                                              wire_error* failure = nullptr) {
    using policies::id;
    auto p = parse(attributes, base_offset, policies::queue_create_for(profile), parse_mode::strict, failure);
    if (!p) {
        return p.failure();
    }
    decoded_queue_create out;
    out.top = std::move(p).value().top;
    auto& r = out.request;
    if (const auto* a = out.top.find(id(uapi::queue_attr::ifindex))) {
        r.ifindex = read_u32(*a);
    }
    if (const auto* a = out.top.find(id(uapi::queue_attr::type))) {
        r.type = read_u32(*a);
    }
    if (out.top.find(id(uapi::queue_attr::lease)) != nullptr) {
        model::lease::lease_request l;
        if (const auto* nest = out.top.nest(id(uapi::queue_attr::lease))) {
            if (const auto* a = nest->find(id(uapi::lease_attr::ifindex))) {
                l.ifindex = read_u32(*a);
            }
            if (const auto* a = nest->find(id(uapi::lease_attr::netns_id))) {
                l.netns_id = read_s32(*a);
            }
            if (nest->find(id(uapi::lease_attr::queue)) != nullptr) {
                model::lease::queue_id_request q;
                if (const auto* inner = nest->nest(id(uapi::lease_attr::queue))) {
                    if (const auto* a = inner->find(id(uapi::queue_attr::id))) {
                        q.id = read_u32(*a);
                    }
                    if (const auto* a = inner->find(id(uapi::queue_attr::type))) {
                        q.type = read_u32(*a);
                    }
                }
                l.queue = q;
            }
        }
        r.lease = l;
    }
    return out;
}

// The offset of the attribute at `path` in a parsed request (the last
// occurrence at every level), if it is there.
inline std::optional<std::uint32_t> offset_of(const parsed_level& top, const core::attribute_path& path) {
    const parsed_level* level = &top;
    for (std::size_t i = 0; i < path.depth(); ++i) {
        const auto* a = level->find(path[i]);
        if (a == nullptr) {
            return std::nullopt;
        }
        if (i + 1 == path.depth()) {
            return a->offset;
        }
        level = level->nest(path[i]);
        if (level == nullptr) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

// Turns a model error on a decoded request into what the acknowledgement
// carries: the bad attribute's offset and the missing attribute's nest.
inline wire_error locate(const core::error& e, const parsed_level& top) {
    wire_error out;
    out.error = e;
    if (e.bad_attribute) {
        out.offset = offset_of(top, *e.bad_attribute);
    }
    if (e.missing) {
        out.missing_type = e.missing->type;
        if (!e.missing->nest.empty()) {
            out.missing_nest_offset = offset_of(top, e.missing->nest);
        }
    }
    return out;
}

// QUEUE_CREATE from the wire: permission first (QL-CRT-01, before any
// attribute is looked at), the strict parse (QL-CRT-02), then the model.
// Returns the new queue's index, or fills `failure` for the acknowledgement.
inline core::result<std::uint32_t> queue_create(model::world& w, const model::caller& c,
                                                std::span<const std::uint8_t> attributes, std::uint32_t base_offset,
                                                wire_error* failure = nullptr) {
    auto fail_with = [failure](wire_error e) -> core::result<std::uint32_t> {
        if (failure != nullptr) {
            *failure = e;
        }
        return e.error;
    };
    if (!w.profile().leasing) {
        return fail_with(wire_error{core::fail(core::errno_code::not_supported), {}, {}, {}, {}});
    }
    if (!c.net_admin_init) {
        return fail_with(wire_error{core::fail(core::errno_code::not_permitted), {}, {}, {}, {}});
    }
    wire_error parse_failure;
    auto decoded = decode_queue_create(attributes, base_offset, w.profile(), &parse_failure);
    if (!decoded) {
        return fail_with(parse_failure);
    }
    auto created = w.queue_create(c, decoded.value().request);
    if (!created) {
        return fail_with(locate(created.failure(), decoded.value().top));
    }
    return created.value();
}

// Builds the attributes of a queue-create request (NL-ND-02), for tests and
// clients; `flag_nests` false leaves NLA_F_NESTED off (a malformed request).
inline std::vector<std::uint8_t> encode_queue_create(const model::lease::queue_create_request& r,
                                                     bool flag_nests = true) {
    using policies::id;
    attribute_writer out;
    if (r.ifindex) {
        out.put_u32(id(uapi::queue_attr::ifindex), *r.ifindex);
    }
    if (r.type) {
        out.put_u32(id(uapi::queue_attr::type), *r.type);
    }
    if (r.lease) {
        const auto lease = out.begin_nest(id(uapi::queue_attr::lease), flag_nests);
        if (r.lease->ifindex) {
            out.put_u32(id(uapi::lease_attr::ifindex), *r.lease->ifindex);
        }
        if (r.lease->queue) {
            const auto queue = out.begin_nest(id(uapi::lease_attr::queue), flag_nests);
            if (r.lease->queue->id) {
                out.put_u32(id(uapi::queue_attr::id), *r.lease->queue->id);
            }
            if (r.lease->queue->type) {
                out.put_u32(id(uapi::queue_attr::type), *r.lease->queue->type);
            }
            out.end_nest(queue);
        }
        if (r.lease->netns_id) {
            out.put_s32(id(uapi::lease_attr::netns_id), *r.lease->netns_id);
        }
        out.end_nest(lease);
    }
    return std::move(out.bytes());
}

// Where a generic-netlink request's attributes start in its message.
inline constexpr std::uint32_t attributes_offset = uapi::message_header_size + uapi::genl_header_size;

}  // namespace netkit::netlink::netdev
