// Generic netlink (NETLINK_GENERIC) against the world (netlink.md
// NL-GENL-01…07, NL-ND-01…06, NL-ERR-04/05; lease.md QL-UAPI-01/02/07,
// QL-GET-01…07): the genlmsghdr, dispatch with the checks of the kernel's
// genl_rcv_msg / genl_family_rcv_msg in their order, the controller
// "nlctrl" answering CTRL_CMD_GETFAMILY as ctrl_getfamily and
// ctrl_dumpfamily do, and the "netdev" family's queue-create (through
// netdev.hpp), queue-get do and dump (netdev_nl_queue_get_doit / _dumpit,
// netdev_nl_queue_fill_one) and bind-rx (netdev_nl_bind_rx_doit, through
// world::bind_rx). Families, operations with their flags, multicast groups
// and request policies are data; the controller's answer and the
// dispatcher read the same tables, so what a client is told is what the
// dispatcher does.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/kernel_profile.hpp>
#include <netkit/core/result.hpp>
#include <netkit/model/caller.hpp>
#include <netkit/model/lease.hpp>
#include <netkit/model/world.hpp>
#include <netkit/netlink/attributes.hpp>
#include <netkit/model/unconfirmed.hpp>
#include <netkit/netlink/message.hpp>
#include <netkit/netlink/netdev.hpp>
#include <netkit/netlink/policy.hpp>
#include <netkit/uapi/netdev.hpp>
#include <netkit/uapi/netlink.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netkit::netlink::genl {


// ------------------------------------------------------------------ families

// NL-GENL-05 (model-defined): where the dynamic ids of this model instance
// sit. The netdev family id defaults to the first id after the reserved
// 0x10–0x12; its multicast groups take the first group ids the kernel's
// allocator hands out (0 is invalid, 1 is kept for drop-monitor, 0x10–0x12
// belong to the fixed families): "mgmt" 2, "page-pool" 3. Clients resolve
// all of them by name (NL-GENL-03); nothing else in the model uses them,
// as multicast notifications are out of scope (README §8).
struct families {
    std::uint16_t netdev_id = uapi::genl_first_dynamic_id;
    std::uint32_t netdev_management_group = 2;
    std::uint32_t netdev_page_pool_group = 3;

    friend bool operator==(const families&, const families&) = default;
};

// The controller's own numbers: version 2, one group "notify" whose id is
// the controller's family id.
inline constexpr std::uint8_t control_version = 2;
inline constexpr std::string_view control_group_notify = "notify";

// One operation: its command and CTRL_ATTR_OP_FLAGS as the controller
// reports them (do / dump capability, admin-perm, has-policy). The
// dispatcher refuses a request whose kind the flags do not list
// (NL-GENL-06) and checks admin-perm from the same bits.
struct operation {
    std::uint8_t command = 0;
    uapi::genl_operation_flag flags{};
    bool needs_leasing = false;  // exists only in kernels with queue leasing (profile row "leasing")

    constexpr bool has(uapi::genl_operation_flag bit) const noexcept { return uapi::contains(flags, bit); }
    constexpr bool accepts(bool dump) const noexcept {
        return has(dump ? uapi::genl_operation_flag::supports_dump : uapi::genl_operation_flag::supports_do);
    }
};

struct multicast_group {
    std::string_view name;
    std::uint32_t id = 0;
};

// What CTRL_CMD_NEWFAMILY reports for one family.
struct family_description {
    std::uint16_t id = 0;
    std::string_view name;
    std::uint8_t version = 0;
    std::uint32_t header_size = 0;    // CTRL_ATTR_HDRSIZE: no family-specific header
    std::uint32_t max_attribute = 0;  // CTRL_ATTR_MAXATTR
    std::vector<operation> operations;
    std::vector<multicast_group> groups;
};

namespace tables {

using flag = uapi::genl_operation_flag;

inline constexpr std::uint8_t command(uapi::genl_control_command c) noexcept { return static_cast<std::uint8_t>(c); }
inline constexpr std::uint8_t command(uapi::netdev_command c) noexcept { return static_cast<std::uint8_t>(c); }

// nlctrl: GETFAMILY, do and dump, with a policy. (The kernel also lists
// GETPOLICY, dump-only; the model does not implement policy dumps, so it
// neither lists nor accepts it.)
inline constexpr std::array<operation, 1> control_operations{{
    {command(uapi::genl_control_command::get_family), flag::supports_do | flag::supports_dump | flag::has_policy,
     false},
}};

// netdev: the commands the model implements, as netdev.yaml flags them —
// queue-get do and dump; bind-rx admin-perm, do only; queue-create
// admin-perm, do only (QL-UAPI-06). Every other netdev command (dev-get,
// page-pool-*, napi-*, qstats-get, bind-tx) is unknown to the model's
// dispatcher: EOPNOTSUPP.
inline constexpr std::array<operation, 3> netdev_operations{{
    {command(uapi::netdev_command::queue_get), flag::supports_do | flag::supports_dump | flag::has_policy, false},
    {command(uapi::netdev_command::bind_rx), flag::admin_permission | flag::supports_do | flag::has_policy, false},
    {command(uapi::netdev_command::queue_create), flag::admin_permission | flag::supports_do | flag::has_policy, true},
}};

template <std::size_t N>
constexpr bool sorted_and_usable(const std::array<operation, N>& ops) {
    for (std::size_t i = 0; i < N; ++i) {
        if (!ops[i].accepts(false) && !ops[i].accepts(true)) {
            return false;
        }
        if (i > 0 && ops[i - 1].command >= ops[i].command) {
            return false;
        }
    }
    return true;
}
static_assert(sorted_and_usable(control_operations), "one row per command, ascending, each with do or dump");
static_assert(sorted_and_usable(netdev_operations), "one row per command, ascending, each with do or dump");
static_assert(netdev_operations[2].has(flag::admin_permission) && !netdev_operations[2].accepts(true),
              "queue-create is admin-perm and do-only (QL-UAPI-06, QL-CRT-01)");
static_assert(!netdev_operations[0].has(flag::admin_permission), "queue-get needs no capability");

}  // namespace tables

// The families of a model instance, ordered by id as the controller's dump
// walks them. MAXATTR is 0 for both: their policies are per operation, and
// the kernel reports the family-level maximum, which such families leave 0.
inline std::vector<family_description> describe_families(const core::profile_traits& profile, const families& f = {}) {
    std::vector<family_description> out;
    family_description control;
    control.id = uapi::genl_id_control;
    control.name = uapi::genl_control_family_name;
    control.version = control_version;
    control.operations.assign(tables::control_operations.begin(), tables::control_operations.end());
    control.groups.push_back({control_group_notify, uapi::genl_id_control});
    out.push_back(std::move(control));

    family_description netdev;
    netdev.id = f.netdev_id;
    netdev.name = uapi::netdev_family_name;
    netdev.version = uapi::netdev_family_version;
    for (const operation& op : tables::netdev_operations) {
        if (!op.needs_leasing || profile.leasing) {
            netdev.operations.push_back(op);
        }
    }
    netdev.groups.push_back({uapi::netdev_group_management, f.netdev_management_group});
    netdev.groups.push_back({uapi::netdev_group_page_pool, f.netdev_page_pool_group});
    out.push_back(std::move(netdev));

    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

// ------------------------------------------------------------------ policies

namespace policies {

using uapi::dmabuf_attr;
using uapi::genl_control_attr;
using uapi::queue_attr;

inline constexpr std::uint16_t id(genl_control_attr a) noexcept { return static_cast<std::uint16_t>(a); }
inline constexpr std::uint16_t id(queue_attr a) noexcept { return static_cast<std::uint16_t>(a); }
inline constexpr std::uint16_t id(dmabuf_attr a) noexcept { return static_cast<std::uint16_t>(a); }

// GETFAMILY (max 2): FAMILY_ID u16, FAMILY_NAME a string of at most 15
// characters (NL-ATTR-04). Liberal for do, strict for dump, as the kernel's
// split operations validate them. The kernel's name entry is a
// NUL-terminated string, which also refuses a name without its NUL and
// answers a 16-character one with EINVAL; the spec's reading (NUL optional,
// ERANGE over the limit, NL-POL-03) is what this table implements.
inline constexpr std::array<policy_entry, 3> get_family_entries{{
    {},
    {policy_kind::u16, {}, {}, 0, 0, nullptr, {}},
    {policy_kind::string, {}, {}, uapi::genl_family_name_max_length, 0, nullptr, {}},
}};
inline constexpr policy_set get_family{2, get_family_entries};

// queue-get do (max = type, 3): id, ifindex (min 1), type (max 1).
inline constexpr std::array<policy_entry, 4> queue_get_do_entries{{
    {},
    {policy_kind::u32, {}, {}, 0, 0, nullptr, {}},
    {policy_kind::u32, 1, {}, 0, 0, nullptr, {}},
    {policy_kind::u32, {}, 1, 0, 0, nullptr, {}},
}};
inline constexpr policy_set queue_get_do{3, queue_get_do_entries};

// queue-get dump (max = ifindex, 2): ifindex (min 1) only; id 1 has no entry.
inline constexpr std::array<policy_entry, 3> queue_get_dump_entries{{
    {},
    {},
    {policy_kind::u32, 1, {}, 0, 0, nullptr, {}},
}};
inline constexpr policy_set queue_get_dump{2, queue_get_dump_entries};

// bind-rx (max = fd, 3): ifindex (min 1), queues (nest of queue-id,
// repeated), fd.
inline constexpr std::array<policy_entry, 4> bind_rx_entries{{
    {},
    {policy_kind::u32, 1, {}, 0, 0, nullptr, {}},
    {policy_kind::nested, {}, {}, 0, 0, &netdev::policies::queue_id, {}},
    {policy_kind::u32, {}, {}, 0, 0, nullptr, {}},
}};
inline constexpr policy_set bind_rx{3, bind_rx_entries};

}  // namespace policies

// ------------------------------------------------------------------ encoding

// A whole generic-netlink message: nlmsghdr, genlmsghdr {cmd, version, 0},
// attributes (NL-GENL-01).
inline std::vector<std::uint8_t> encode_message(std::uint16_t family_id, std::uint16_t flags, std::uint32_t sequence,
                                                std::uint32_t port, std::uint8_t command, std::uint8_t version,
                                                std::span<const std::uint8_t> attributes) {
    message_builder b(family_id, flags, sequence, port);
    const std::array<std::uint8_t, uapi::genl_header_size> header{command, version, 0, 0};
    b.append(header);
    b.append(attributes);
    return b.finish();
}

inline constexpr std::uint16_t request_flags = static_cast<std::uint16_t>(uapi::message_flag::request);
inline constexpr std::uint16_t dump_flags =
    static_cast<std::uint16_t>(request_flags | static_cast<std::uint16_t>(uapi::get_flag::dump));

// NL-GENL-03: CTRL_CMD_GETFAMILY by name or by id; and the dump of all.
inline std::vector<std::uint8_t> encode_get_family(std::string_view name, std::uint32_t sequence,
                                                   std::uint16_t flags = request_flags) {
    attribute_writer a;
    a.put_string(policies::id(uapi::genl_control_attr::family_name), name);
    return encode_message(uapi::genl_id_control, flags, sequence, 0,
                          tables::command(uapi::genl_control_command::get_family), control_version, a.bytes());
}
inline std::vector<std::uint8_t> encode_get_family(std::uint16_t family_id, std::uint32_t sequence,
                                                   std::uint16_t flags = request_flags) {
    attribute_writer a;
    a.put_u16(policies::id(uapi::genl_control_attr::family_id), family_id);
    return encode_message(uapi::genl_id_control, flags, sequence, 0,
                          tables::command(uapi::genl_control_command::get_family), control_version, a.bytes());
}
inline std::vector<std::uint8_t> encode_dump_families(std::uint32_t sequence) {
    return encode_message(uapi::genl_id_control, dump_flags, sequence, 0,
                          tables::command(uapi::genl_control_command::get_family), control_version, {});
}

// A queue-get request; every attribute may be left out (NL-ND-04).
struct queue_get_request {
    std::optional<std::uint32_t> ifindex;
    std::optional<std::uint32_t> id;
    std::optional<std::uint32_t> type;

    static queue_get_request of(std::int32_t ifindex, std::uint32_t id, uapi::queue_type type = uapi::queue_type::rx) {
        return queue_get_request{static_cast<std::uint32_t>(ifindex), id, static_cast<std::uint32_t>(type)};
    }
    friend bool operator==(const queue_get_request&, const queue_get_request&) = default;
};

inline std::vector<std::uint8_t> encode_queue_get(std::uint16_t family_id, const queue_get_request& r,
                                                  std::uint32_t sequence, std::uint16_t flags = request_flags) {
    using policies::id;
    attribute_writer a;
    if (r.ifindex) {
        a.put_u32(id(uapi::queue_attr::ifindex), *r.ifindex);
    }
    if (r.type) {
        a.put_u32(id(uapi::queue_attr::type), *r.type);
    }
    if (r.id) {
        a.put_u32(id(uapi::queue_attr::id), *r.id);
    }
    return encode_message(family_id, flags, sequence, 0, tables::command(uapi::netdev_command::queue_get),
                          uapi::netdev_family_version, a.bytes());
}

// A queue-get dump, optionally restricted to one device (NL-ND-04).
inline std::vector<std::uint8_t> encode_queue_dump(std::uint16_t family_id, std::optional<std::uint32_t> ifindex,
                                                   std::uint32_t sequence) {
    attribute_writer a;
    if (ifindex) {
        a.put_u32(policies::id(uapi::queue_attr::ifindex), *ifindex);
    }
    return encode_message(family_id, dump_flags, sequence, 0, tables::command(uapi::netdev_command::queue_get),
                          uapi::netdev_family_version, a.bytes());
}

// A queue-create request (NL-ND-02); attributes as netdev.hpp writes them.
inline std::vector<std::uint8_t> encode_queue_create(std::uint16_t family_id,
                                                     const model::lease::queue_create_request& r,
                                                     std::uint32_t sequence, std::uint16_t flags = request_flags,
                                                     bool flag_nests = true) {
    return encode_message(family_id, flags, sequence, 0, tables::command(uapi::netdev_command::queue_create),
                          uapi::netdev_family_version, netdev::encode_queue_create(r, flag_nests));
}

// A bind-rx request (NL-ND-06): one queues nest per queue.
struct bind_rx_request {
    std::optional<std::uint32_t> ifindex;
    std::vector<model::lease::queue_id_request> queues;
    std::optional<std::uint32_t> fd;

    static bind_rx_request rx(std::int32_t ifindex, const std::vector<std::uint32_t>& ids, std::int32_t fd) {
        bind_rx_request r{static_cast<std::uint32_t>(ifindex), {}, static_cast<std::uint32_t>(fd)};
        for (const auto q : ids) {
            r.queues.push_back(model::lease::queue_id_request{q, static_cast<std::uint32_t>(uapi::queue_type::rx)});
        }
        return r;
    }
    friend bool operator==(const bind_rx_request&, const bind_rx_request&) = default;
};

inline std::vector<std::uint8_t> encode_bind_rx(std::uint16_t family_id, const bind_rx_request& r,
                                                std::uint32_t sequence, std::uint16_t flags = request_flags) {
    using policies::id;
    attribute_writer a;
    if (r.ifindex) {
        a.put_u32(id(uapi::dmabuf_attr::ifindex), *r.ifindex);
    }
    for (const auto& q : r.queues) {
        const auto nest = a.begin_nest(id(uapi::dmabuf_attr::queues), true);
        if (q.id) {
            a.put_u32(id(uapi::queue_attr::id), *q.id);
        }
        if (q.type) {
            a.put_u32(id(uapi::queue_attr::type), *q.type);
        }
        a.end_nest(nest);
    }
    if (r.fd) {
        a.put_u32(id(uapi::dmabuf_attr::fd), *r.fd);
    }
    return encode_message(family_id, flags, sequence, 0, tables::command(uapi::netdev_command::bind_rx),
                          uapi::netdev_family_version, a.bytes());
}

// QL-GET-02/03, NL-ND-05: the attributes of one queue-get reply, in the
// kernel's order — id, type, ifindex, napi-id, lease {queue {id, type},
// ifindex, netns-id}, dmabuf or io-uring, xsk.
inline std::vector<std::uint8_t> queue_attributes(const model::lease::queue_info& q) {
    using policies::id;
    using uapi::lease_attr;
    using uapi::queue_attr;
    const bool flagged = model::unconfirmed::netdev_reply_nests_flagged;
    attribute_writer a;
    a.put_u32(id(queue_attr::id), q.id);
    a.put_u32(id(queue_attr::type), static_cast<std::uint32_t>(q.type));
    a.put_u32(id(queue_attr::ifindex), static_cast<std::uint32_t>(q.ifindex));
    if (q.napi_id) {
        a.put_u32(id(queue_attr::napi_id), *q.napi_id);
    }
    if (q.lease) {
        const auto lease = a.begin_nest(id(queue_attr::lease), flagged);
        const auto queue = a.begin_nest(static_cast<std::uint16_t>(lease_attr::queue), flagged);
        a.put_u32(id(queue_attr::id), q.lease->queue);
        a.put_u32(id(queue_attr::type), static_cast<std::uint32_t>(uapi::queue_type::rx));
        a.end_nest(queue);
        a.put_u32(static_cast<std::uint16_t>(lease_attr::ifindex), static_cast<std::uint32_t>(q.lease->ifindex));
        if (q.lease->netns_id) {
            a.put_s32(static_cast<std::uint16_t>(lease_attr::netns_id), *q.lease->netns_id);
        }
        a.end_nest(lease);
    }
    if (q.dmabuf) {
        a.put_u32(id(queue_attr::dmabuf), *q.dmabuf);
    }
    if (q.io_uring) {
        a.end_nest(a.begin_nest(id(queue_attr::io_uring), flagged));
    }
    if (q.xsk) {
        a.end_nest(a.begin_nest(id(queue_attr::xsk), flagged));
    }
    return std::move(a.bytes());
}

// The inverse of queue_attributes: one queue-get reply's attributes read
// back into the model's value, for clients of the wire (wire_world.hpp) and
// round-trip tests. nullopt when a required attribute (id, type, ifindex)
// is missing or an attribute has the wrong size.
inline std::optional<model::lease::queue_info> read_queue_attributes(std::span<const std::uint8_t> attributes,
                                                                     std::uint32_t base_offset = 0) {
    using uapi::lease_attr;
    using uapi::queue_attr;
    model::lease::queue_info q;
    bool have_id = false;
    bool have_type = false;
    bool have_ifindex = false;
    bool well_formed = true;
    auto u32 = [&well_formed](const attribute& a) {
        if (a.payload.size() != 4) {
            well_formed = false;
            return std::uint32_t{0};
        }
        return load_u32(a.payload.data());
    };
    attribute_reader top(attributes, base_offset);
    while (auto a = top.next()) {
        switch (static_cast<queue_attr>(a->id)) {
            case queue_attr::id: q.id = u32(*a), have_id = true; break;
            case queue_attr::type: q.type = static_cast<uapi::queue_type>(u32(*a)), have_type = true; break;
            case queue_attr::ifindex: q.ifindex = static_cast<std::int32_t>(u32(*a)), have_ifindex = true; break;
            case queue_attr::napi_id: q.napi_id = u32(*a); break;
            case queue_attr::dmabuf: q.dmabuf = u32(*a); break;
            case queue_attr::io_uring: q.io_uring = true; break;
            case queue_attr::xsk: q.xsk = true; break;
            case queue_attr::lease: {
                model::lease::lease_report lease;
                attribute_reader nest(a->payload, a->payload_offset());
                while (auto l = nest.next()) {
                    switch (static_cast<lease_attr>(l->id)) {
                        case lease_attr::ifindex: lease.ifindex = static_cast<std::int32_t>(u32(*l)); break;
                        case lease_attr::netns_id: lease.netns_id = static_cast<std::int32_t>(u32(*l)); break;
                        case lease_attr::queue: {
                            attribute_reader inner(l->payload, l->payload_offset());
                            while (auto i = inner.next()) {
                                if (static_cast<queue_attr>(i->id) == queue_attr::id) {
                                    lease.queue = u32(*i);
                                }
                            }
                            break;
                        }
                        default: break;
                    }
                }
                q.lease = lease;
                break;
            }
            default: break;
        }
    }
    if (!have_id || !have_type || !have_ifindex || !well_formed) {
        return std::nullopt;
    }
    return q;
}

// NL-GENL-03: the attributes of CTRL_CMD_NEWFAMILY, in ctrl_fill_info's
// order: name, id, version, hdrsize, maxattr, ops, groups. The two outer
// nests and their numbered members (1, 2, …) carry no NLA_F_NESTED, as the
// controller writes them.
inline std::vector<std::uint8_t> family_attributes(const family_description& d) {
    using policies::id;
    using uapi::genl_control_attr;
    attribute_writer a;
    a.put_string(id(genl_control_attr::family_name), d.name);
    a.put_u16(id(genl_control_attr::family_id), d.id);
    a.put_u32(id(genl_control_attr::version), d.version);
    a.put_u32(id(genl_control_attr::header_size), d.header_size);
    a.put_u32(id(genl_control_attr::max_attr), d.max_attribute);
    if (!d.operations.empty()) {
        const auto ops = a.begin_nest(id(genl_control_attr::operations), false);
        std::uint16_t index = 1;
        for (const operation& op : d.operations) {
            const auto one = a.begin_nest(index++, false);
            a.put_u32(static_cast<std::uint16_t>(uapi::genl_control_operation_attr::id), op.command);
            a.put_u32(static_cast<std::uint16_t>(uapi::genl_control_operation_attr::flags),
                      static_cast<std::uint32_t>(op.flags));
            a.end_nest(one);
        }
        a.end_nest(ops);
    }
    if (!d.groups.empty()) {
        const auto groups = a.begin_nest(id(genl_control_attr::multicast_groups), false);
        std::uint16_t index = 1;
        for (const multicast_group& g : d.groups) {
            const auto one = a.begin_nest(index++, false);
            a.put_u32(static_cast<std::uint16_t>(uapi::genl_control_group_attr::id), g.id);
            a.put_string(static_cast<std::uint16_t>(uapi::genl_control_group_attr::name), g.name);
            a.end_nest(one);
        }
        a.end_nest(groups);
    }
    return std::move(a.bytes());
}

// ------------------------------------------------------------------ dispatch

namespace detail {

using core::errno_code;

// Everything a handler needs about the request being answered.
struct request {
    model::world& world;
    const model::caller& caller;
    const message_view& message;
    std::uint32_t port;
    const family_description& family;
    std::uint8_t command;
    std::span<const std::uint8_t> attributes;  // after the genlmsghdr, at netdev::attributes_offset
};

inline handled refuse(wire_error e) { return handled{{}, acknowledgement::of(e)}; }
inline handled refuse(errno_code code) { return refuse(wire_error{core::fail(code), {}, {}, {}, {}}); }
inline handled refuse_missing(std::uint16_t type, std::optional<std::uint32_t> nest = std::nullopt) {
    wire_error e{core::fail(errno_code::invalid), {}, {}, type, nest};
    return refuse(e);
}

// NL-GENL-07: family id, the request's command (the controller answers
// NEWFAMILY, NL-GENL-03), the family's version.
inline std::vector<std::uint8_t> reply(const request& r, std::uint16_t flags, std::uint8_t command,
                                       std::span<const std::uint8_t> attributes) {
    return encode_message(r.family.id, flags, r.message.header.sequence, r.port, command, r.family.version, attributes);
}

// A do request that succeeded: its reply, then the acknowledgement the
// socket sends if NLM_F_ACK asked for it (NL-ERR-05, NL-FLAG-04).
inline handled answered(std::vector<std::uint8_t> message, std::string warning = {}) {
    handled out;
    out.replies.push_back(std::move(message));
    out.ack = acknowledgement::success(std::move(warning));
    return out;
}

// ifindex attributes are u32; the model's are s32 and ≥ 1.
inline std::optional<std::int32_t> as_ifindex(std::uint32_t value) {
    if (value == 0 || value > static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max())) {
        return std::nullopt;
    }
    return static_cast<std::int32_t>(value);
}

// strcmp semantics: the name stops at its first NUL.
inline std::string_view text_of(const attribute& a) {
    const auto* begin = reinterpret_cast<const char*>(a.payload.data());
    const auto* nul = std::find(begin, begin + a.payload.size(), '\0');
    return std::string_view(begin, static_cast<std::size_t>(nul - begin));
}

// ----------------------------------------------------------------- nlctrl

inline const family_description* find_family(const std::vector<family_description>& all, std::uint16_t id) {
    const auto it = std::find_if(all.begin(), all.end(), [id](const auto& d) { return d.id == id; });
    return it == all.end() ? nullptr : &*it;
}

// ctrl_getfamily: an id, then a name (which decides when both are given);
// neither → EINVAL; no such family → ENOENT. A leftover-bytes warning of
// the liberal parse stays as the message of an error that sets none, or
// comes back as the warning of the success (NL-ATTR-03).
inline handled get_family(const request& r, const std::vector<family_description>& all) {
    using policies::id;
    using uapi::genl_control_attr;
    wire_error failure;
    auto parsed = parse(r.attributes, netdev::attributes_offset, policies::get_family, parse_mode::liberal, &failure);
    if (!parsed) {
        return refuse(failure);
    }
    const std::string warning = parsed.value().warning.value_or(std::string{});
    const parsed_level& top = parsed.value().top;
    const family_description* found = nullptr;
    errno_code code = errno_code::invalid;
    if (const auto* a = top.find(id(genl_control_attr::family_id))) {
        found = find_family(all, load_u16(a->payload.data()));
        code = errno_code::no_entry;
    }
    if (const auto* a = top.find(id(genl_control_attr::family_name))) {
        const std::string_view name = text_of(*a);
        const auto it = std::find_if(all.begin(), all.end(), [name](const auto& d) { return d.name == name; });
        found = it == all.end() ? nullptr : &*it;
        code = errno_code::no_entry;
    }
    if (found == nullptr) {
        return refuse(wire_error{core::fail(code, warning), {}, {}, {}, {}});
    }
    return answered(reply(r, 0, tables::command(uapi::genl_control_command::new_family), family_attributes(*found)),
                    warning);
}

// ctrl_dumpfamily: every family, NLM_F_MULTI (NL-ERR-04). The attributes
// are validated strictly (the dump operation does not relax strictness) and
// otherwise ignored.
inline handled dump_families(const request& r, const std::vector<family_description>& all) {
    wire_error failure;
    if (!parse(r.attributes, netdev::attributes_offset, policies::get_family, parse_mode::strict, &failure)) {
        return refuse(failure);
    }
    handled out;
    const auto multi = static_cast<std::uint16_t>(uapi::message_flag::multipart);
    for (const auto& d : all) {
        out.replies.push_back(
            reply(r, multi, tables::command(uapi::genl_control_command::new_family), family_attributes(d)));
    }
    out.replies.push_back(done(r.message, r.port));
    return out;
}

// ----------------------------------------------------------------- netdev

// QUEUE_CREATE (NL-ND-02/03): netdev.hpp's checks in lease.md §3 order.
inline handled queue_create(const request& r) {
    wire_error failure;
    auto created = netdev::queue_create(r.world, r.caller, r.attributes, netdev::attributes_offset, &failure);
    if (!created) {
        return refuse(failure);
    }
    attribute_writer a;
    a.put_u32(policies::id(uapi::queue_attr::id), created.value());
    return answered(reply(r, 0, r.command, a.bytes()));
}

// QUEUE_GET do (NL-ND-04/05, QL-GET-01/02): the strict parse, then id, type
// and ifindex required in that order (netdev_nl_queue_get_doit), then the
// model.
inline handled queue_get(const request& r) {
    using policies::id;
    using uapi::queue_attr;
    wire_error failure;
    auto parsed = parse(r.attributes, netdev::attributes_offset, policies::queue_get_do, parse_mode::strict, &failure);
    if (!parsed) {
        return refuse(failure);
    }
    const parsed_level& top = parsed.value().top;
    for (const auto required : {queue_attr::id, queue_attr::type, queue_attr::ifindex}) {
        if (top.find(id(required)) == nullptr) {
            return refuse_missing(id(required));
        }
    }
    const std::uint32_t queue = read_u32(*top.find(id(queue_attr::id)));
    const auto type = static_cast<uapi::queue_type>(read_u32(*top.find(id(queue_attr::type))));
    const auto ifindex = as_ifindex(read_u32(*top.find(id(queue_attr::ifindex))));
    if (!ifindex) {
        return refuse(errno_code::no_device);
    }
    auto info = r.world.queue_get(r.caller, *ifindex, queue, type);
    if (!info) {
        return refuse(netdev::locate(info.failure(), top));
    }
    return answered(reply(r, 0, r.command, queue_attributes(info.value())));
}

// QUEUE_GET dump (NL-ND-04, QL-GET-01): the whole netns, or one device;
// entries built like do replies, so with nlmsg_flags 0 (NL-ERR-04), then
// NLMSG_DONE with the dump's status.
inline handled queue_dump(const request& r) {
    using policies::id;
    wire_error failure;
    auto parsed =
        parse(r.attributes, netdev::attributes_offset, policies::queue_get_dump, parse_mode::strict, &failure);
    if (!parsed) {
        return refuse(failure);
    }
    std::vector<model::lease::queue_info> entries;
    std::int32_t status = 0;
    if (const auto* a = parsed.value().top.find(id(uapi::queue_attr::ifindex))) {
        const auto ifindex = as_ifindex(read_u32(*a));
        const model::device* d = ifindex ? r.world.find(r.caller.netns, *ifindex) : nullptr;
        if (d == nullptr) {
            if (!model::unconfirmed::dump_of_unknown_device_fails_in_done) {
                return refuse(errno_code::no_device);
            }
            status = core::negative(errno_code::no_device);
        } else if (d->up) {
            // Copied out: queue_get replaces the world's state under `d`.
            const std::uint32_t rx = d->real_rx_queues;
            const std::uint32_t tx = d->real_tx_queues;
            for (const auto& [type, count] :
                 {std::pair{uapi::queue_type::rx, rx}, std::pair{uapi::queue_type::tx, tx}}) {
                for (std::uint32_t i = 0; i < count && status == 0; ++i) {
                    auto info = r.world.queue_get(r.caller, *ifindex, i, type);
                    if (!info) {
                        status = core::negative(info.failure().code);
                    } else {
                        entries.push_back(info.value());
                    }
                }
            }
        }
    } else {
        entries = r.world.queue_dump(r.caller);
    }
    handled out;
    for (const auto& q : entries) {
        out.replies.push_back(reply(r, 0, r.command, queue_attributes(q)));
    }
    out.replies.push_back(done(r.message, r.port, status));
    return out;
}

// BIND_RX (NL-ND-06, QL-DMA-02): ifindex, fd and queues required in that
// order; the device looked up (ENODEV) before the queue nests are read;
// each nest needs id and type (missing: MISS_NEST = the nest) and type rx
// (else EINVAL at the type); then the model.
inline handled bind_rx(const request& r) {
    using policies::id;
    using uapi::dmabuf_attr;
    using uapi::queue_attr;
    wire_error failure;
    auto parsed = parse(r.attributes, netdev::attributes_offset, policies::bind_rx, parse_mode::strict, &failure);
    if (!parsed) {
        return refuse(failure);
    }
    const parsed_level& top = parsed.value().top;
    for (const auto required : {dmabuf_attr::ifindex, dmabuf_attr::fd, dmabuf_attr::queues}) {
        if (top.find(id(required)) == nullptr) {
            return refuse_missing(id(required));
        }
    }
    const auto ifindex = as_ifindex(read_u32(*top.find(id(dmabuf_attr::ifindex))));
    if (!ifindex || r.world.find(r.caller.netns, *ifindex) == nullptr) {
        return refuse(errno_code::no_device);
    }
    // The parse kept only the last queues nest (NL-ATTR-06); the attribute
    // repeats, so walk the (already validated) stream for all of them.
    std::vector<std::uint32_t> queues;
    attribute_reader reader(r.attributes, netdev::attributes_offset);
    while (auto a = reader.next()) {
        if (a->id != id(dmabuf_attr::queues)) {
            continue;
        }
        auto nest = parse(a->payload, a->payload_offset(), netdev::policies::queue_id, parse_mode::strict);
        if (!nest) {
            return refuse(wire_error{nest.failure(), a->offset, {}, {}, {}});  // cannot happen: validated above
        }
        const parsed_level& q = nest.value().top;
        for (const auto required : {queue_attr::id, queue_attr::type}) {
            if (q.find(id(required)) == nullptr) {
                return refuse_missing(id(required), a->offset);
            }
        }
        const attribute& type = *q.find(id(queue_attr::type));
        if (read_u32(type) != static_cast<std::uint32_t>(uapi::queue_type::rx)) {
            return refuse(wire_error{core::fail(errno_code::invalid), type.offset, {}, {}, {}});
        }
        queues.push_back(read_u32(*q.find(id(queue_attr::id))));
    }
    const auto fd = static_cast<std::int32_t>(read_u32(*top.find(id(dmabuf_attr::fd))));
    auto bound = r.world.bind_rx(r.caller, *ifindex, queues, fd);
    if (!bound) {
        return refuse(netdev::locate(bound.failure(), top));
    }
    attribute_writer a;
    a.put_u32(id(dmabuf_attr::id), bound.value());
    return answered(reply(r, 0, r.command, a.bytes()));
}

}  // namespace detail

// One generic-netlink request against the world. The socket has already
// accepted it as a request (NLM_F_REQUEST, type ≥ 0x10: NL-HDR-04 is the
// socket's) and decides whether a successful do's acknowledgement goes on
// the wire (NLM_F_ACK). Returned: the reply messages and, for a do request,
// the acknowledgement (success, or the error with its extack and offsets);
// a dump returns its entries and NLMSG_DONE and no acknowledgement, unless
// it failed before it started (bad attributes). Checks in genl_rcv_msg /
// genl_family_rcv_msg order: unknown family id → ENOENT (NL-GENL-02);
// shorter than nlmsghdr + genlmsghdr → EINVAL (NL-GENL-01); a command the
// family lacks, or lacks for this kind of request (a dump is both
// NLM_F_DUMP bits, NL-FLAG-02) → EOPNOTSUPP; admin-perm without
// CAP_NET_ADMIN in the initial user namespace → EPERM, before any attribute
// is parsed (NL-GENL-06, QL-CRT-01). `port` is the socket's, which replies
// carry (NL-HDR-05).
inline handled handle(model::world& w, const model::caller& c, const message_view& m, std::uint32_t port,
                      const families& f = {}) {
    using core::errno_code;
    const auto all = describe_families(w.profile(), f);
    const family_description* family = detail::find_family(all, m.header.type);
    if (family == nullptr) {
        return detail::refuse(errno_code::no_entry);
    }
    if (m.payload.size() < uapi::genl_header_size) {
        return detail::refuse(errno_code::invalid);
    }
    const std::uint8_t command = m.payload[0];
    const auto dump_bits = static_cast<std::uint16_t>(uapi::get_flag::dump);
    const bool dump = (m.header.flags & dump_bits) == dump_bits;
    const auto op = std::find_if(family->operations.begin(), family->operations.end(),
                                 [command](const operation& o) { return o.command == command; });
    if (op == family->operations.end() || !op->accepts(dump)) {
        return detail::refuse(errno_code::not_supported);
    }
    if (op->has(uapi::genl_operation_flag::admin_permission) && !c.net_admin_init) {
        return detail::refuse(errno_code::not_permitted);
    }
    const detail::request r{w, c, m, port, *family, command, m.payload.subspan(uapi::genl_header_size)};
    if (family->id == uapi::genl_id_control) {
        return dump ? detail::dump_families(r, all) : detail::get_family(r, all);
    }
    switch (static_cast<uapi::netdev_command>(command)) {
        case uapi::netdev_command::queue_get: return dump ? detail::queue_dump(r) : detail::queue_get(r);
        case uapi::netdev_command::bind_rx: return detail::bind_rx(r);
        case uapi::netdev_command::queue_create: return detail::queue_create(r);
        default: return detail::refuse(errno_code::not_supported);  // unreachable: the table lists these only
    }
}

}  // namespace netkit::netlink::genl
