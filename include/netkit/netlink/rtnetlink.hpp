// rtnetlink link messages on the wire (netlink.md NL-RT-01…14, NL-POL-01,
// NL-FLAG-03/04, NL-ERR-04/05, NL-ATTR-05; device.md NK-CRT-01…07,
// NK-UAPI-06): the kernel's link policies as data — the generic IFLA_* table
// (ifla_policy), IFLA_LINKINFO's (ifla_info_policy), netkit's IFLA_INFO_DATA
// (netkit_policy) and veth's — parsed liberally in the order rtnl_newlink
// uses (top level, then link info, then the kind's data attribute by
// attribute in message order, then the peer's table inside PEER_INFO); the
// bridge into the model's link_request, so the wire and the typed API run the
// same checks; the model's bad-attribute paths mapped back to byte offsets;
// and the RTM_NEWLINK replies built from the model's link_dump.
//
// The wire front end owns every check the kernel makes while parsing
// (lengths, ranges, rejections, first failure in message order, the policy
// entry NLMSGERR_ATTR_POLICY describes), because a typed request cannot be
// short or out of order. The model repeats the checks it can make on typed
// values (NK-CRT-01…04); on this path only the driver-side ones can still
// fail (profile orig-2023's MODE, README profile row 2).
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/kernel_profile.hpp>
#include <netkit/core/result.hpp>
#include <netkit/model/caller.hpp>
#include <netkit/model/frame.hpp>
#include <netkit/model/link_request.hpp>
#include <netkit/model/links.hpp>
#include <netkit/model/world.hpp>
#include <netkit/netlink/attributes.hpp>
#include <netkit/model/unconfirmed.hpp>
#include <netkit/netlink/message.hpp>
#include <netkit/netlink/netdev.hpp>
#include <netkit/netlink/policy.hpp>
#include <netkit/uapi/netkit.hpp>
#include <netkit/uapi/netlink.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace netkit::netlink::rtnetlink {

// The (unconfirmed) choices of this front end (spec README §5). They belong
// with the model's in model/unconfirmed.hpp; they sit here until that file
// takes the wire items.

namespace policies {

using uapi::ifla;
using uapi::ifla_info;
using uapi::netkit_attr;

inline constexpr std::uint16_t id(ifla a) noexcept { return static_cast<std::uint16_t>(a); }
inline constexpr std::uint16_t id(ifla_info a) noexcept { return static_cast<std::uint16_t>(a); }
inline constexpr std::uint16_t id(netkit_attr a) noexcept { return static_cast<std::uint16_t>(a); }
inline constexpr std::uint16_t id(uapi::veth_attr a) noexcept { return static_cast<std::uint16_t>(a); }

inline constexpr policy_entry scalar(policy_kind kind, std::optional<std::int64_t> max = std::nullopt) {
    return policy_entry{kind, std::nullopt, max, 0, 0, nullptr, {}};
}

// IFLA_* (NL-RT-04/05). Liberal parsing ignores ids above the last entry
// the model knows and ids without an entry alike, so the set ends at
// IFLA_TARGET_NETNSID; the kernel's longer table differs only in entries the
// model never reads.
inline constexpr std::uint16_t link_max_id = id(ifla::target_netnsid);

inline constexpr std::array<policy_entry, link_max_id + 1> make_link_entries() {
    std::array<policy_entry, link_max_id + 1> e{};
    auto at = [&e](ifla a) -> policy_entry& { return e[id(a)]; };
    at(ifla::address) = {policy_kind::binary, {}, {}, uapi::hardware_address_max_size, 0, nullptr, {}};
    at(ifla::broadcast) = {policy_kind::binary, {}, {}, uapi::hardware_address_max_size, 0, nullptr, {}};
    at(ifla::ifname) = {policy_kind::string, {}, {}, uapi::interface_name_max_length, 0, nullptr, {}};
    at(ifla::mtu) = scalar(policy_kind::u32);
    at(ifla::link) = scalar(policy_kind::u32);
    at(ifla::txqlen) = scalar(policy_kind::u32);
    at(ifla::operstate) = scalar(policy_kind::u8);
    // The contents are parsed later with their own policy (rtnl_newlink).
    at(ifla::linkinfo) = {policy_kind::nested, {}, {}, 0, 0, nullptr, {}};
    at(ifla::net_ns_pid) = scalar(policy_kind::u32);
    at(ifla::group) = scalar(policy_kind::u32);
    at(ifla::net_ns_fd) = scalar(policy_kind::u32);
    at(ifla::ext_mask) = scalar(policy_kind::u32);
    at(ifla::num_tx_queues) = scalar(policy_kind::u32);
    at(ifla::num_rx_queues) = scalar(policy_kind::u32);
    at(ifla::link_netnsid) = scalar(policy_kind::s32);
    at(ifla::target_netnsid) = scalar(policy_kind::s32);
    return e;
}
inline constexpr auto link_entries = make_link_entries();
inline constexpr policy_set link{link_max_id, link_entries};

// IFLA_INFO_* (NL-RT-04): kind strings and data nests; XSTATS has no entry.
inline constexpr std::array<policy_entry, 6> link_info_entries{{
    {},
    {policy_kind::string, {}, {}, 0, 0, nullptr, {}},
    {policy_kind::nested, {}, {}, 0, 0, nullptr, {}},
    {},
    {policy_kind::string, {}, {}, 0, 0, nullptr, {}},
    {policy_kind::nested, {}, {}, 0, 0, nullptr, {}},
}};
inline constexpr policy_set link_info{id(ifla_info::slave_data), link_info_entries};

inline constexpr std::string_view primary_read_only = "Primary attribute is read-only";

// IFLA_NETKIT_* (NK-UAPI-06): PEER_INFO typeless with a minimum of one
// ifinfomsg (NK-CRT-05), PRIMARY rejected (NK-CRT-03), MODE / SCRUB /
// PEER_SCRUB / PAIRING with maximum 1 (NK-CRT-04). Profiles orig-2023 and
// intermediate give MODE no maximum (the driver refuses it, README profile
// row 2).
inline constexpr std::array<policy_entry, 11> make_netkit_entries(bool mode_has_maximum) {
    std::array<policy_entry, 11> e{};
    auto at = [&e](netkit_attr a) -> policy_entry& { return e[id(a)]; };
    at(netkit_attr::peer_info) = {policy_kind::none, {}, {}, 0, uapi::peer_info_min_length, nullptr, {}};
    at(netkit_attr::primary) = {policy_kind::reject, {}, {}, 0, 0, nullptr, primary_read_only};
    at(netkit_attr::policy) = scalar(policy_kind::u32);
    at(netkit_attr::peer_policy) = scalar(policy_kind::u32);
    at(netkit_attr::mode) = mode_has_maximum ? scalar(policy_kind::u32, 1) : scalar(policy_kind::u32);
    at(netkit_attr::scrub) = scalar(policy_kind::u32, 1);
    at(netkit_attr::peer_scrub) = scalar(policy_kind::u32, 1);
    at(netkit_attr::headroom) = scalar(policy_kind::u16);
    at(netkit_attr::tailroom) = scalar(policy_kind::u16);
    at(netkit_attr::pairing) = scalar(policy_kind::u32, 1);
    return e;
}
inline constexpr auto netkit_entries = make_netkit_entries(true);
inline constexpr auto netkit_entries_driver_mode = make_netkit_entries(false);
inline constexpr policy_set netkit{id(uapi::netkit_attr_max), netkit_entries};

// The netkit set a profile's kernel has (README profile rows 2–4): without
// SCRUB … TAILROOM the maximum is MODE, without single mode TAILROOM, so the
// missing ids are ignored like any id above the maximum (NK-CRT-02).
inline policy_set netkit_for(const core::profile_traits& profile) noexcept {
    using entries_view = std::span<const policy_entry>;
    const entries_view entries = profile.mode_check == core::mode_range_check::policy_erange
                                     ? entries_view(netkit_entries)
                                     : entries_view(netkit_entries_driver_mode);
    const std::uint16_t max = !profile.scrub_and_room_attributes         ? id(netkit_attr::mode)
                              : profile.single == core::single_mode::absent ? id(netkit_attr::tailroom)
                                                                            : id(netkit_attr::pairing);
    return policy_set{max, entries.first(max + 1U)};
}

// VETH_INFO_* (device.md NK-ENV-07): the peer has PEER_INFO's layout.
inline constexpr std::array<policy_entry, 2> veth_entries{{
    {},
    {policy_kind::none, {}, {}, 0, uapi::peer_info_min_length, nullptr, {}},
}};
inline constexpr policy_set veth{id(uapi::veth_attr::peer), veth_entries};

}  // namespace policies

// Where a link message's attributes start: after the nlmsghdr and the
// ifinfomsg (NL-RT-02), both multiples of 4.
inline constexpr std::uint32_t attributes_offset = uapi::message_header_size + uapi::interface_info_message_size;

// RTM_GETLINK as a value (NL-RT-08, NL-RT-12); a dump is chosen by flags.
struct get_request {
    std::int32_t index = 0;
    std::optional<std::string> ifname;
    std::optional<std::int32_t> target_netnsid;

    friend bool operator==(const get_request&, const get_request&) = default;
};

// A decoded link message and where its attributes were, for error offsets.
// `top` links the nests the model's paths walk: IFLA_LINKINFO →
// IFLA_INFO_DATA → IFLA_NETKIT_PEER_INFO (the peer's IFLA_* table).
struct decoded_link_request {
    model::link_request request;
    parsed_level top;
    std::optional<std::string> warning;  // NL-ATTR-03, kept for the acknowledgement
};

namespace detail {

using policies::id;

inline model::interface_header read_interface_header(std::span<const std::uint8_t> p) noexcept {
    model::interface_header h;
    h.family = p[0];
    h.type = load_u16(p.data() + 2);
    h.index = static_cast<std::int32_t>(load_u32(p.data() + 4));
    h.flags = load_u32(p.data() + 8);
    h.change = load_u32(p.data() + 12);
    return h;
}

inline void put_interface_header(std::vector<std::uint8_t>& out, const model::interface_header& h) {
    auto put = [&out](std::uint32_t v, int size) {
        for (int i = 0; i < size; ++i) {
            out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
        }
    };
    put(h.family, 1);
    put(0, 1);
    put(h.type, 2);
    put(static_cast<std::uint32_t>(h.index), 4);
    put(h.flags, 4);
    put(h.change, 4);
}

// The kernel copies strings up to the first NUL (nla_strscpy).
inline std::string read_string(const attribute& a) {
    const auto end = std::find(a.payload.begin(), a.payload.end(), std::uint8_t{0});
    return std::string(a.payload.begin(), end);
}

inline std::uint32_t read_scalar(const attribute& a, policy_kind kind) noexcept {
    switch (kind) {
        case policy_kind::u8: return a.payload[0];
        case policy_kind::u16: return load_u16(a.payload.data());
        default: return load_u32(a.payload.data());  // liberal: the leading bytes of a longer one
    }
}

// One IFLA_* table (the top level, or the peer's inside PEER_INFO).
inline model::link_attributes read_link_attributes(const parsed_level& level) {
    using uapi::ifla;
    model::link_attributes out;
    if (const auto* a = level.find(id(ifla::ifname))) {
        out.ifname = read_string(*a);
    }
    if (const auto* a = level.find(id(ifla::address))) {
        out.address = std::vector<std::uint8_t>(a->payload.begin(), a->payload.end());
    }
    auto u32 = [&level](ifla which, std::optional<std::uint32_t>& into) {
        if (const auto* a = level.find(id(which))) {
            into = read_u32(*a);
        }
    };
    u32(ifla::mtu, out.mtu);
    u32(ifla::txqlen, out.tx_queue_length);
    u32(ifla::num_tx_queues, out.num_tx_queues);
    u32(ifla::num_rx_queues, out.num_rx_queues);
    u32(ifla::net_ns_pid, out.net_ns_pid);
    u32(ifla::net_ns_fd, out.net_ns_fd);
    if (const auto* a = level.find(id(ifla::target_netnsid))) {
        out.target_netnsid = read_s32(*a);
    }
    if (const auto* a = level.find(id(ifla::link_netnsid))) {
        out.link_netnsid = read_s32(*a);
    }
    return out;
}

inline void put_link_attributes(attribute_writer& w, const model::link_attributes& a) {
    using uapi::ifla;
    if (a.ifname) {
        w.put_string(id(ifla::ifname), *a.ifname);
    }
    if (a.address) {
        w.put(id(ifla::address), *a.address);
    }
    auto u32 = [&w](ifla which, const std::optional<std::uint32_t>& v) {
        if (v) {
            w.put_u32(id(which), *v);
        }
    };
    u32(ifla::mtu, a.mtu);
    u32(ifla::txqlen, a.tx_queue_length);
    u32(ifla::num_tx_queues, a.num_tx_queues);
    u32(ifla::num_rx_queues, a.num_rx_queues);
    u32(ifla::net_ns_pid, a.net_ns_pid);
    u32(ifla::net_ns_fd, a.net_ns_fd);
    if (a.link_netnsid) {
        w.put_s32(id(ifla::link_netnsid), *a.link_netnsid);
    }
    if (a.target_netnsid) {
        w.put_s32(id(ifla::target_netnsid), *a.target_netnsid);
    }
}

// NK-UAPI-06: PRIMARY is a u8, HEADROOM and TAILROOM u16, the rest u32.
inline void put_netkit_attribute(attribute_writer& w, const model::netkit_attribute& a, bool flag_nests) {
    using uapi::netkit_attr;
    switch (a.id) {
        case netkit_attr::peer_info: {
            // Without a value: an empty PEER_INFO (too short, NK-CRT-05).
            const auto nest = w.begin_nest(id(a.id), flag_nests);
            if (a.peer) {
                put_interface_header(w.bytes(), a.peer->header);
                put_link_attributes(w, a.peer->attributes);
            }
            w.end_nest(nest);
            return;
        }
        case netkit_attr::primary: w.put_u8(id(a.id), static_cast<std::uint8_t>(a.value)); return;
        case netkit_attr::headroom:
        case netkit_attr::tailroom: w.put_u16(id(a.id), static_cast<std::uint16_t>(a.value)); return;
        default: w.put_u32(id(a.id), a.value); return;
    }
}

// The state-free checks the kernel makes between the data parse and the
// peer's nested parse (NK-CRT-06, first half of NK-CRT-07): a failure there
// decides the error before a malformed peer table can. Needed only when that
// parse fails; otherwise the model makes them itself, in the same order.
inline std::optional<core::error> checks_before_peer_parse(const model::link_attributes& top,
                                                           const model::interface_header& peer_header) {
    if (top.address) {
        if (top.address->size() != uapi::ethernet_address_size) {
            return core::fail(core::errno_code::invalid);
        }
        model::mac_address mac{};
        std::copy(top.address->begin(), top.address->end(), mac.begin());
        if (!model::is_valid_unicast(mac)) {
            return core::fail(core::errno_code::address_unavailable);
        }
    }
    if (peer_header.index < 0) {
        return core::fail(core::errno_code::invalid, "ifindex can't be negative");
    }
    return std::nullopt;
}

inline void note_warning(std::optional<std::string>& into, const std::optional<std::string>& warning) {
    if (warning) {
        into = warning;  // NL-ATTR-03: a later message replaces an earlier one
    }
}

}  // namespace detail


// Decodes an rtnetlink link message (NL-RT-02, NL-POL-01): the ifinfomsg,
// the top-level IFLA_* table and, with `read_link_info` (RTM_NEWLINK only,
// NL-RT-10), IFLA_LINKINFO, the kind's IFLA_INFO_DATA in message order
// (NK-CRT-03) and the peer's table. The first failure in the kernel's order
// fills `failure`; one without a message of its own carries a pending
// leftover warning (NL-ATTR-03).
inline core::result<decoded_link_request> decode_link_request(const message_view& m,
                                                              const core::profile_traits& profile,
                                                              bool read_link_info, wire_error* failure = nullptr) {
    using policies::id;
    using uapi::ifla;
    using uapi::ifla_info;
    decoded_link_request out;
    auto fail_with = [&](wire_error e) -> core::result<decoded_link_request> {
        if (e.error.message.empty() && out.warning) {
            e.error.message = *out.warning;
        }
        if (failure != nullptr) {
            *failure = e;
        }
        return e.error;
    };
    if (m.payload.size() < uapi::interface_info_message_size) {  // NL-RT-02
        return fail_with(wire_error{core::fail(core::errno_code::invalid), {}, {}, {}, {}});
    }
    constexpr auto creation_flags = static_cast<std::uint16_t>(uapi::new_flag::replace | uapi::new_flag::exclusive |
                                                               uapi::new_flag::create | uapi::new_flag::append);
    out.request.message_flags = static_cast<std::uint16_t>(m.header.flags & creation_flags);
    out.request.header = detail::read_interface_header(m.payload);

    // NK-CRT-01: the top level. IFLA_LINKINFO is only checked to be a nest.
    wire_error e;
    auto top = parse(m.payload.subspan(uapi::interface_info_message_size), attributes_offset, policies::link,
                     parse_mode::liberal, &e);
    if (!top) {
        return fail_with(e);
    }
    out.top = std::move(top.value().top);
    detail::note_warning(out.warning, top.value().warning);
    out.request.attributes = detail::read_link_attributes(out.top);
    const attribute* info_attribute = out.top.find(id(ifla::linkinfo));
    if (!read_link_info || info_attribute == nullptr) {
        return out;
    }

    // IFLA_LINKINFO with its own policy.
    auto info = parse(info_attribute->payload, info_attribute->payload_offset(), policies::link_info,
                      parse_mode::liberal, &e);
    if (!info) {
        return fail_with(e);
    }
    detail::note_warning(out.warning, info.value().warning);
    auto info_level = std::make_shared<parsed_level>(std::move(info.value().top));
    info_level->offset = info_attribute->offset;
    out.top.nests[id(ifla::linkinfo)] = info_level;
    model::link_info link_info;
    if (const auto* kind = info_level->find(id(ifla_info::kind))) {
        link_info.kind = detail::read_string(*kind);
    }
    const attribute* data_attribute = info_level->find(id(ifla_info::data));
    if (data_attribute != nullptr) {
        link_info.data.emplace();
    }
    // Only a known kind's data is parsed (NK-CRT-02); other data stays
    // opaque and merely present (NL-RT-06, NK-CHG-08).
    std::optional<policy_set> data_policy;
    if (link_info.kind == uapi::link_kind) {
        data_policy = policies::netkit_for(profile);
    } else if (link_info.kind == uapi::veth_link_kind) {
        data_policy = policies::veth;
    }
    if (data_attribute != nullptr && data_policy) {
        // NK-CRT-02…05: one attribute at a time in message order.
        auto data = parse(data_attribute->payload, data_attribute->payload_offset(), *data_policy,
                          parse_mode::liberal, &e);
        if (!data) {
            return fail_with(e);
        }
        detail::note_warning(out.warning, data.value().warning);
        auto data_level = std::make_shared<parsed_level>(std::move(data.value().top));
        data_level->offset = data_attribute->offset;
        info_level->nests[id(ifla_info::data)] = data_level;

        // NK-CRT-07 / NL-RT-07: the peer's ifinfomsg and IFLA_* table (the
        // last PEER_INFO, NL-ATTR-06); PEER_INFO and VETH_INFO_PEER share id 1.
        const std::uint16_t peer_id = id(uapi::netkit_attr::peer_info);
        const attribute* peer_attribute = data_level->find(peer_id);
        std::optional<model::peer_info> peer;
        if (peer_attribute != nullptr) {
            model::peer_info p;
            p.header = detail::read_interface_header(peer_attribute->payload);
            auto table = parse(peer_attribute->payload.subspan(uapi::interface_info_message_size),
                               peer_attribute->payload_offset() + uapi::interface_info_message_size, policies::link,
                               parse_mode::liberal, &e);
            if (!table) {
                if (link_info.kind == uapi::link_kind) {
                    if (auto earlier = detail::checks_before_peer_parse(out.request.attributes, p.header)) {
                        return fail_with(wire_error{*earlier, {}, {}, {}, {}});
                    }
                }
                return fail_with(e);
            }
            detail::note_warning(out.warning, table.value().warning);
            auto peer_level = std::make_shared<parsed_level>(std::move(table.value().top));
            peer_level->offset = peer_attribute->offset;
            p.attributes = detail::read_link_attributes(*peer_level);
            data_level->nests[peer_id] = peer_level;
            peer = std::move(p);
        }

        // The attributes in message order, duplicates included (the model
        // reads the last of each, NL-ATTR-06); ids the set does not know
        // are ignored (NL-POL-02).
        attribute_reader reader(data_attribute->payload, data_attribute->payload_offset());
        while (auto a = reader.next()) {
            if (a->id == 0 || a->id > data_policy->max_id) {
                continue;
            }
            model::netkit_attribute item;
            item.id = static_cast<uapi::netkit_attr>(a->id);
            if (a->id == peer_id) {
                if (peer_attribute != nullptr && a->offset == peer_attribute->offset) {
                    item.peer = peer;
                }
            } else {
                item.value = detail::read_scalar(*a, data_policy->at(a->id).kind);
            }
            link_info.data->push_back(std::move(item));
        }
    }
    out.request.linkinfo = std::move(link_info);
    return out;
}

// ------------------------------------------------------------------ replies

// NL-RT-13: one RTM_NEWLINK from the model's view of a device, attributes in
// the model's order (IFNAME, TXQLEN, MTU, NUM_TX_QUEUES, NUM_RX_QUEUES,
// ADDRESS, BROADCAST, LINK, LINK_NETNSID, LINKINFO {KIND, DATA}); the data
// in NK-DUMP-01's order.
inline std::vector<std::uint8_t> encode_link_reply(const model::links::link_dump& d, std::uint16_t flags,
                                                   std::uint32_t sequence, std::uint32_t port) {
    using policies::id;
    using uapi::ifla;
    using uapi::netkit_attr;
    message_builder b(static_cast<std::uint16_t>(uapi::rtm::new_link), flags, sequence, port);
    detail::put_interface_header(b.bytes(), model::interface_header{uapi::address_family_unspecified, d.type,
                                                                    d.index, d.flags, 0});
    attribute_writer w;
    w.put_string(id(ifla::ifname), d.name);
    w.put_u32(id(ifla::txqlen), d.tx_queue_length);
    w.put_u32(id(ifla::mtu), d.mtu);
    w.put_u32(id(ifla::num_tx_queues), d.tx_queues);
    w.put_u32(id(ifla::num_rx_queues), d.rx_queues);
    w.put(id(ifla::address), d.address);
    w.put(id(ifla::broadcast), d.broadcast);
    if (d.link) {
        w.put_s32(id(ifla::link), *d.link);
    }
    if (d.link_netnsid) {
        w.put_s32(id(ifla::link_netnsid), *d.link_netnsid);
    }
    if (d.kind) {
        constexpr bool flagged = model::unconfirmed::reply_link_info_nests_flagged;  // NL-ATTR-05
        const auto info = w.begin_nest(id(ifla::linkinfo), flagged);
        w.put_string(id(uapi::ifla_info::kind), *d.kind);
        if (d.netkit) {
            const auto& k = *d.netkit;
            const auto data = w.begin_nest(id(uapi::ifla_info::data), flagged);
            w.put_u8(id(netkit_attr::primary), k.primary ? 1 : 0);
            w.put_u32(id(netkit_attr::policy), k.policy);
            w.put_u32(id(netkit_attr::mode), k.mode);
            if (k.scrub) {
                w.put_u32(id(netkit_attr::scrub), *k.scrub);
            }
            w.put_u16(id(netkit_attr::headroom), k.headroom);
            w.put_u16(id(netkit_attr::tailroom), k.tailroom);
            w.put_u32(id(netkit_attr::pairing), k.pairing);
            if (k.peer_policy) {
                w.put_u32(id(netkit_attr::peer_policy), *k.peer_policy);
            }
            if (k.peer_scrub) {
                w.put_u32(id(netkit_attr::peer_scrub), *k.peer_scrub);
            }
            w.end_nest(data);
        }
        w.end_nest(info);
    }
    b.append(w.bytes());
    return b.finish();
}

// The inverse of encode_link_reply for clients and tests: nullopt when the
// message is not an RTM_NEWLINK with a whole ifinfomsg. Attributes may come
// in any order (NL-RT-13); unknown ones are skipped.
inline std::optional<model::links::link_dump> decode_link_reply(const message_view& m) {
    using policies::id;
    using uapi::ifla;
    using uapi::netkit_attr;
    if (m.header.type != static_cast<std::uint16_t>(uapi::rtm::new_link) ||
        m.payload.size() < uapi::interface_info_message_size) {
        return std::nullopt;
    }
    model::links::link_dump d;
    const auto header = detail::read_interface_header(m.payload);
    d.index = header.index;
    d.type = header.type;
    d.flags = header.flags;
    auto mac = [](const attribute& a) {
        model::mac_address out{};
        std::copy_n(a.payload.begin(), std::min<std::size_t>(a.payload.size(), out.size()), out.begin());
        return out;
    };
    auto u32 = [](const attribute& a) { return a.payload.size() >= 4 ? load_u32(a.payload.data()) : 0U; };
    auto u16 = [](const attribute& a) {
        return a.payload.size() >= 2 ? load_u16(a.payload.data()) : std::uint16_t{0};
    };
    attribute_reader top(m.payload.subspan(uapi::interface_info_message_size), attributes_offset);
    while (auto a = top.next()) {
        switch (static_cast<ifla>(a->id)) {
            case ifla::ifname: d.name = detail::read_string(*a); break;
            case ifla::txqlen: d.tx_queue_length = u32(*a); break;
            case ifla::mtu: d.mtu = u32(*a); break;
            case ifla::num_tx_queues: d.tx_queues = u32(*a); break;
            case ifla::num_rx_queues: d.rx_queues = u32(*a); break;
            case ifla::address: d.address = mac(*a); break;
            case ifla::broadcast: d.broadcast = mac(*a); break;
            case ifla::link: d.link = static_cast<std::int32_t>(u32(*a)); break;
            case ifla::link_netnsid: d.link_netnsid = static_cast<std::int32_t>(u32(*a)); break;
            case ifla::linkinfo: {
                attribute_reader info(a->payload, a->payload_offset());
                while (auto i = info.next()) {
                    if (i->id == id(uapi::ifla_info::kind)) {
                        d.kind = detail::read_string(*i);
                    } else if (i->id == id(uapi::ifla_info::data)) {
                        model::links::netkit_dump k;
                        attribute_reader data(i->payload, i->payload_offset());
                        while (auto x = data.next()) {
                            switch (static_cast<netkit_attr>(x->id)) {
                                case netkit_attr::primary: k.primary = !x->payload.empty() && x->payload[0] != 0; break;
                                case netkit_attr::policy: k.policy = u32(*x); break;
                                case netkit_attr::mode: k.mode = u32(*x); break;
                                case netkit_attr::scrub: k.scrub = u32(*x); break;
                                case netkit_attr::headroom: k.headroom = u16(*x); break;
                                case netkit_attr::tailroom: k.tailroom = u16(*x); break;
                                case netkit_attr::pairing: k.pairing = u32(*x); break;
                                case netkit_attr::peer_policy: k.peer_policy = u32(*x); break;
                                case netkit_attr::peer_scrub: k.peer_scrub = u32(*x); break;
                                default: break;
                            }
                        }
                        d.netkit = k;
                    }
                }
                break;
            }
            default: break;
        }
    }
    return d;
}

// ----------------------------------------------------------------- requests

namespace detail {

inline handled refused(const wire_error& e) { return handled{{}, acknowledgement::of(e)}; }

inline handled refused(core::errno_code code) { return refused(wire_error{core::fail(code), {}, {}, {}, {}}); }

// A model refusal: its attribute paths become offsets (the technique of
// netdev::locate); a refusal without a message carries the pending warning.
inline handled refused_by_model(const core::error& e, const decoded_link_request& d) {
    wire_error out = netdev::locate(e, d.top);
    if (out.error.message.empty() && d.warning) {
        out.error.message = *d.warning;
    }
    return refused(out);
}

inline acknowledgement success(const decoded_link_request& d) {
    return acknowledgement::success(d.warning.value_or(std::string{}));
}

// NL-RT-12, NL-ERR-04: one NLM_F_MULTI RTM_NEWLINK per device, then DONE.
inline handled dump(model::world& w, const model::caller& c, const message_view& m, std::uint32_t port,
                     const decoded_link_request& d) {
    const auto multi = static_cast<std::uint16_t>(uapi::message_flag::multipart);
    const auto& target = d.request.attributes.target_netnsid;
    std::vector<model::links::link_dump> devices;
    if (!target) {
        devices = w.dump_links(c);
    } else {
        // NL-RT-08: the named netns, LINK_NETNSID still from the requester's
        // table (NK-DUMP-04), as RTM_GETLINK do reports it.
        auto ns = model::links::lookup_netns_for_get_or_delete(w.state(), c, target);
        if (!ns) {
            if (model::unconfirmed::dump_target_lookup_fails_in_done) {
                return handled{{done(m, port, core::negative(ns.failure().code))}, std::nullopt};
            }
            return refused_by_model(ns.failure(), d);
        }
        for (const auto h : w.devices_in(ns.value())) {
            auto one = w.get_link(c, w.at(h).ifindex, std::nullopt, target);
            core::expects(one.ok(), "a listed device could not be reported");
            devices.push_back(std::move(one).value());
        }
    }
    handled out;
    for (const auto& device : devices) {
        out.replies.push_back(encode_link_reply(device, multi, m.header.sequence, port));
    }
    out.replies.push_back(done(m, port));
    return out;
}

}  // namespace detail

// One rtnetlink request (NETLINK_ROUTE) against the world, from caller `c`
// on a socket with port id `port`. Order: permission (NL-RT-14, before the
// payload is read), ifinfomsg length (NL-RT-02), the liberal parse, then the
// model. Replies carry the request's sequence number and `port` (NL-HDR-05);
// a dump ends with NLMSG_DONE as its last reply and has no acknowledgement;
// everything else has one (the socket sends a success only for NLM_F_ACK,
// NL-FLAG-04). Types other than the four link messages: EOPNOTSUPP
// (model-defined).
inline handled handle(model::world& w, const model::caller& c, const message_view& m, std::uint32_t port) {
    using uapi::rtm;
    const auto type = static_cast<rtm>(m.header.type);
    if (type != rtm::new_link && type != rtm::set_link && type != rtm::delete_link && type != rtm::get_link) {
        return detail::refused(core::errno_code::not_supported);
    }
    if (type != rtm::get_link && !c.net_admin_in(c.netns)) {
        return detail::refused(core::errno_code::not_permitted);
    }
    const auto dump_bits = static_cast<std::uint16_t>(uapi::get_flag::dump);
    const bool is_dump = type == rtm::get_link && (m.header.flags & dump_bits) != 0;  // NL-FLAG-02: either bit
    wire_error e;
    auto decoded = decode_link_request(m, w.profile(), type == rtm::new_link, &e);
    if (!decoded) {
        return detail::refused(e);  // also for a dump: a bad request (NL-ERR-04)
    }
    const decoded_link_request& d = decoded.value();
    const model::link_request& r = d.request;
    switch (type) {
        case rtm::new_link: {
            auto outcome = w.new_link(c, r);
            if (!outcome) {
                return detail::refused_by_model(outcome.failure(), d);
            }
            return handled{{}, detail::success(d)};
        }
        case rtm::set_link: {
            auto outcome = w.set_link(c, r);
            if (!outcome) {
                return detail::refused_by_model(outcome.failure(), d);
            }
            return handled{{}, detail::success(d)};
        }
        case rtm::delete_link: {
            auto outcome = w.delete_link(c, model::delete_request{r.header.index, r.attributes.ifname,
                                                                  r.attributes.target_netnsid});
            if (!outcome) {
                return detail::refused_by_model(outcome.failure(), d);
            }
            return handled{{}, detail::success(d)};
        }
        case rtm::get_link: {
            if (is_dump) {
                return detail::dump(w, c, m, port, d);
            }
            auto found = w.get_link(c, r.header.index, r.attributes.ifname, r.attributes.target_netnsid);
            if (!found) {
                return detail::refused_by_model(found.failure(), d);
            }
            return handled{{encode_link_reply(found.value(), 0, m.header.sequence, port)}, detail::success(d)};
        }
    }
    return detail::refused(core::errno_code::not_supported);
}

// ----------------------------------------------------------------- encoders

// A whole RTM_NEWLINK / RTM_SETLINK request for tests and clients: nlmsg_flags
// are `flags` plus the request's creation flags, nlmsg_pid 0. `flag_nests`
// false leaves NLA_F_NESTED off IFLA_LINKINFO, IFLA_INFO_DATA and PEER_INFO
// (accepted either way, NL-POL-01, NL-RT-07). A PEER_INFO without a value
// is written empty (too short, NK-CRT-05).
inline std::vector<std::uint8_t> encode_link_request(std::uint16_t rtm_type, std::uint16_t flags,
                                                     std::uint32_t seq, const model::link_request& r,
                                                     bool flag_nests = true) {
    using policies::id;
    message_builder b(rtm_type, static_cast<std::uint16_t>(flags | r.message_flags), seq, 0);
    detail::put_interface_header(b.bytes(), r.header);
    attribute_writer w;
    detail::put_link_attributes(w, r.attributes);
    if (r.linkinfo) {
        const auto info = w.begin_nest(id(uapi::ifla::linkinfo), flag_nests);
        if (r.linkinfo->kind) {
            w.put_string(id(uapi::ifla_info::kind), *r.linkinfo->kind);
        }
        if (r.linkinfo->data) {
            const auto data = w.begin_nest(id(uapi::ifla_info::data), flag_nests);
            for (const auto& a : *r.linkinfo->data) {
                detail::put_netkit_attribute(w, a, flag_nests);
            }
            w.end_nest(data);
        }
        w.end_nest(info);
    }
    b.append(w.bytes());
    return b.finish();
}

// RTM_DELLINK (NL-RT-11): ifi_index, IFLA_IFNAME, IFLA_TARGET_NETNSID.
inline std::vector<std::uint8_t> encode_delete_request(std::uint16_t flags, std::uint32_t seq,
                                                       const model::delete_request& r) {
    model::link_request as_link;
    as_link.header.index = r.index;
    as_link.attributes.ifname = r.ifname;
    as_link.attributes.target_netnsid = r.target_netnsid;
    return encode_link_request(static_cast<std::uint16_t>(uapi::rtm::delete_link), flags, seq, as_link);
}

// RTM_GETLINK (NL-RT-12); NLM_F_DUMP (or either of its bits) in `flags`
// makes it a dump.
inline std::vector<std::uint8_t> encode_get_request(std::uint16_t flags, std::uint32_t seq, const get_request& r) {
    model::link_request as_link;
    as_link.header.index = r.index;
    as_link.attributes.ifname = r.ifname;
    as_link.attributes.target_netnsid = r.target_netnsid;
    return encode_link_request(static_cast<std::uint16_t>(uapi::rtm::get_link), flags, seq, as_link);
}

}  // namespace netkit::netlink::rtnetlink
