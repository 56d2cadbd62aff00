// The input format and the oracle of the netlink fuzz targets
// (netlink_socket.cpp: raw bytes; netlink_tree.cpp: the same with
// structure-aware mutation of attribute trees).
//
// An input is a series of records, each what one process passes to one
// sendmsg on a fresh netlink socket:
//
//   u8  selector   bit 0: NETLINK_GENERIC (else NETLINK_ROUTE)
//                  bits 1-2: the caller — 0 or 3 root, 1 the owner of its
//                            netns only (a container's root), 2 without
//                            CAP_NET_ADMIN
//                  bit 3: NETLINK_EXT_ACK, bit 4: NETLINK_CAP_ACK
//                  bits 5-7: the caller's netns, by index (modulo the count)
//   u16 length     little-endian; a record cut short by the end of the
//                  input takes what is left
//   length bytes   the sendmsg buffer: any bytes at all
//
// The world starts as check::lease_prefix() leaves it (a started hardware
// NIC with queues leased to a pair's peer in a second netns and to a
// single device), so requests find devices, queues and leases to act on.
//
// The oracle: no crash and no undefined behaviour (the targets run under
// ASan and UBSan); every reply is a well-formed message addressed to the
// socket that answers one of the record's requests and decodes without a
// problem; a refused request that cannot be partly applied (every generic
// netlink request, RTM_DELLINK, RTM_GETLINK) leaves the world unchanged;
// and after the input the world satisfies the invariant catalogue.
#pragma once

#include <netkit/check/invariants.hpp>
#include <netkit/check/operations.hpp>
#include <netkit/model/world.hpp>
#include <netkit/netlink/decode.hpp>
#include <netkit/netlink/message.hpp>
#include <netkit/netlink/socket.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

namespace netlink_fuzz {

namespace nl = netkit::netlink;
namespace model = netkit::model;
namespace uapi = netkit::uapi;

struct record {
    std::uint8_t selector = 0;
    std::vector<std::uint8_t> bytes;
};

inline constexpr std::uint8_t generic_bit = 0x01;
inline constexpr std::uint8_t ext_ack_bit = 0x08;
inline constexpr std::uint8_t capped_ack_bit = 0x10;

inline std::vector<record> split_records(std::span<const std::uint8_t> data) {
    std::vector<record> out;
    std::size_t at = 0;
    while (at + 3 <= data.size()) {
        record r;
        r.selector = data[at];
        const std::size_t length = data[at + 1] | (std::size_t{data[at + 2]} << 8);
        at += 3;
        const std::size_t take = std::min(length, data.size() - at);
        r.bytes.assign(data.begin() + static_cast<std::ptrdiff_t>(at),
                       data.begin() + static_cast<std::ptrdiff_t>(at + take));
        at += take;
        out.push_back(std::move(r));
    }
    return out;
}

inline void append_record(std::vector<std::uint8_t>& out, std::uint8_t selector, std::span<const std::uint8_t> bytes) {
    const std::size_t length = std::min<std::size_t>(bytes.size(), 0xffff);
    out.push_back(selector);
    out.push_back(static_cast<std::uint8_t>(length & 0xff));
    out.push_back(static_cast<std::uint8_t>(length >> 8));
    out.insert(out.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
}

inline std::vector<std::uint8_t> join_records(const std::vector<record>& records) {
    std::vector<std::uint8_t> out;
    for (const auto& r : records) {
        append_record(out, r.selector, r.bytes);
    }
    return out;
}

inline std::uint8_t selector_of(uapi::netlink_protocol protocol, std::uint32_t netns_index, bool privileged) {
    std::uint8_t s = protocol == uapi::netlink_protocol::generic ? generic_bit : 0;
    s |= privileged ? 0 : 0x04;
    s |= ext_ack_bit;
    s |= static_cast<std::uint8_t>((netns_index & 7U) << 5);
    return s;
}

[[noreturn]] inline void fail(const std::string& what, const record& r) {
    std::fprintf(stderr, "netlink fuzz oracle: %s (record selector 0x%02x, %zu bytes)\n", what.c_str(), r.selector,
                 r.bytes.size());
    std::fflush(stderr);
    std::abort();
}

inline model::caller caller_for(const model::world& w, std::uint8_t selector) {
    const auto namespaces = netkit::check::namespaces_of(w.state());
    const auto ns = namespaces[(selector >> 5) % namespaces.size()];
    switch ((selector >> 1) & 3U) {
        case 1: return model::caller::contained_in(ns);
        case 2: return model::caller::unprivileged_in(ns);
        default: return model::world::root(ns);
    }
}

// Requests whose refusal must leave the world as it was.
inline bool refusal_changes_nothing(const nl::message_view& m, uapi::netlink_protocol protocol) {
    if (protocol == uapi::netlink_protocol::generic) {
        return true;
    }
    return m.header.type == static_cast<std::uint16_t>(uapi::rtm::delete_link) ||
           m.header.type == static_cast<std::uint16_t>(uapi::rtm::get_link);
}

inline void check_replies(const record& r, const std::vector<nl::message_view>& requests,
                          const std::vector<std::vector<std::uint8_t>>& replies, std::uint32_t port,
                          uapi::netlink_protocol protocol) {
    nl::decode::context context;
    context.protocol = protocol;
    for (const auto& reply : replies) {
        if (reply.size() < uapi::message_header_size) {
            fail("a reply shorter than nlmsghdr", r);
        }
        const nl::message_header h = nl::read_header(reply.data());
        if (h.length != reply.size()) {
            fail("a reply whose nlmsg_len is not its size", r);
        }
        if (h.port != port) {
            fail("a reply not addressed to the socket's port", r);
        }
        bool answers = false;
        for (const auto& m : requests) {
            answers = answers || m.header.sequence == h.sequence;
        }
        if (!answers) {
            fail("a reply whose sequence number matches no request", r);
        }
        const auto decoded = nl::decode::decode_message(reply, context);
        if (!decoded.problems.empty()) {
            fail("a reply that does not decode: " + decoded.problems.front(), r);
        }
    }
}

inline bool any_refusal(const std::vector<std::vector<std::uint8_t>>& replies) {
    for (const auto& reply : replies) {
        const nl::message_header h = nl::read_header(reply.data());
        const bool error = h.type == static_cast<std::uint16_t>(uapi::control_message::error);
        if (error && reply.size() >= uapi::message_header_size + 4 &&
            nl::load_u32(reply.data() + uapi::message_header_size) != 0) {
            return true;
        }
    }
    return false;
}

inline void run(std::span<const std::uint8_t> data) {
    model::world w = netkit::check::lease_prefix_world();
    std::uint32_t port = 100;
    for (const record& r : split_records(data)) {
        const auto protocol =
            (r.selector & generic_bit) != 0 ? uapi::netlink_protocol::generic : uapi::netlink_protocol::route;
        nl::socket_options options;
        options.extended_ack = (r.selector & ext_ack_bit) != 0;
        options.capped_ack = (r.selector & capped_ack_bit) != 0;
        const model::world before = w;
        nl::socket s(w, protocol, caller_for(w, r.selector), ++port, options);
        const auto replies = s.exchange(r.bytes);
        const auto requests = nl::split_messages(r.bytes);
        check_replies(r, requests, replies, port, protocol);
        if (requests.size() == 1 && refusal_changes_nothing(requests.front(), protocol) && any_refusal(replies) &&
            !(w == before)) {
            fail("a refused request changed the world", r);
        }
    }
    const auto violations = netkit::check::check_world(w);
    if (!violations.empty()) {
        std::fprintf(stderr, "netlink fuzz oracle: invariant %s violated: %s\n", violations.front().id.c_str(),
                     violations.front().message.c_str());
        std::fflush(stderr);
        std::abort();
    }
}

}  // namespace netlink_fuzz
