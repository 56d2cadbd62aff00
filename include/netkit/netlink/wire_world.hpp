// The world driven through netlink bytes. `wire_world` has the shape of
// model::world — the same member functions with the same result types — but
// every operation the kernel exposes over netlink is encoded into the bytes
// a client would pass to sendmsg, sent through a netlink::socket that has
// the caller's netns and capabilities, and its replies are decoded back into
// the API's results: the errno, the extack message, the offending
// attribute (from NLMSGERR_ATTR_OFFS, mapped back to an attribute path by
// decoding the request) and the missing attribute (NLMSGERR_ATTR_MISS_*).
//
// Over the wire:   RTM_NEWLINK (create and changelink), RTM_SETLINK (and
//                  the typed shortcuts open, close_device, set_mtu, set_mac,
//                  move, which become RTM_SETLINK requests from a root
//                  caller in the device's netns), RTM_DELLINK, RTM_GETLINK
//                  (do and dump); netdev QUEUE_CREATE, QUEUE_GET (do and
//                  dump) and BIND_RX.
// Direct:          everything the kernel does not offer over netlink —
//                  bpf(2), ethtool ioctls, io_uring and AF_XDP sockets,
//                  netns creation, the software NIC's set-up and faults,
//                  frames — and reading the world, which is observation,
//                  not an operation.
//
// Because the same scenario can run against model::world and wire_world,
// a test written once checks the API and the wire front end together
// (docs/netlink.md, "Scenarios over the wire"). Every request sent is kept
// in `transcript()`, so a run can seed the netlink fuzzers.
//
// What the wire cannot carry: `error::partly_applied` is not in a netlink
// reply; wire_world reports it when a refused request left the world
// changed, which is what the flag means. A created device's handle is not in
// the reply either; it is read from the world (the devices that appeared).
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/ids.hpp>
#include <netkit/core/kernel_profile.hpp>
#include <netkit/core/result.hpp>
#include <netkit/model/caller.hpp>
#include <netkit/model/lease.hpp>
#include <netkit/model/link_request.hpp>
#include <netkit/model/links.hpp>
#include <netkit/model/world.hpp>
#include <netkit/netlink/decode.hpp>
#include <netkit/netlink/genl.hpp>
#include <netkit/netlink/message.hpp>
#include <netkit/netlink/rtnetlink.hpp>
#include <netkit/netlink/socket.hpp>
#include <netkit/uapi/netlink.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace netkit::netlink {

// One request as it went to a socket: the protocol, the caller's netns and
// whether the caller had CAP_NET_ADMIN there, and the bytes.
struct sent_request {
    uapi::netlink_protocol protocol = uapi::netlink_protocol::route;
    core::netns_handle netns{0};
    bool privileged = true;
    std::vector<std::uint8_t> bytes;

    friend bool operator==(const sent_request&, const sent_request&) = default;
};

// What came back for one request, decoded: the reply messages before the
// acknowledgement or NLMSG_DONE, and the error if the request failed.
struct exchange_outcome {
    std::vector<std::vector<std::uint8_t>> replies;
    std::optional<core::error> error;
};

namespace wire_detail {

// The attribute path of the attribute whose header is at `offset` in
// `request`, found by decoding the request (decode.hpp knows every nest and
// the ifinfomsg inside PEER_INFO).
inline std::optional<core::attribute_path> path_at(std::span<const std::uint8_t> request, std::uint32_t offset,
                                                   const decode::context& context) {
    const decode::message m = decode::decode_message(request, context);
    std::vector<const decode::node*> nodes;
    if (!decode::detail::path_to(m.body, offset, nodes)) {
        return std::nullopt;
    }
    core::attribute_path path;
    for (const decode::node* n : nodes) {
        if (n->field) {
            continue;
        }
        if (path.depth() == core::attribute_path::capacity) {
            return std::nullopt;
        }
        path.push(n->id);
    }
    return path;
}

// The error an NLMSG_ERROR reports, with its extended-ack TLVs read back
// into the model's terms. nullopt for a success (error 0).
inline std::optional<core::error> read_error(std::span<const std::uint8_t> reply,
                                             std::span<const std::uint8_t> request,
                                             const decode::context& context) {
    constexpr std::uint32_t header = uapi::message_header_size;
    if (reply.size() < header + 4) {
        return core::fail(core::errno_code::invalid, "truncated NLMSG_ERROR");
    }
    const message_header h = read_header(reply.data());
    const auto status = static_cast<std::int32_t>(load_u32(reply.data() + header));
    if (status == 0) {
        return std::nullopt;
    }
    core::error e = core::fail(static_cast<core::errno_code>(-status));
    // After the error code: the request's header (NLM_F_CAPPED) or the whole
    // request, padded, then the TLVs when NLM_F_ACK_TLVS is set.
    std::size_t at = header + 4;
    if (reply.size() < at + header) {
        return e;
    }
    const message_header copied = read_header(reply.data() + at);
    const bool capped = (h.flags & static_cast<std::uint16_t>(uapi::ack_flag::capped)) != 0;
    at += capped ? header : uapi::message_align(copied.length);
    if ((h.flags & static_cast<std::uint16_t>(uapi::ack_flag::extended_ack_tlvs)) == 0 || at > reply.size()) {
        return e;
    }
    std::optional<std::uint16_t> missing_type;
    std::optional<std::uint32_t> missing_nest;
    attribute_reader tlvs(reply.subspan(at), static_cast<std::uint32_t>(at));
    while (auto t = tlvs.next()) {
        const auto u32 = [&t]() { return t->payload.size() >= 4 ? load_u32(t->payload.data()) : 0U; };
        switch (static_cast<uapi::error_attr>(t->id)) {
            case uapi::error_attr::message: {
                std::string text(t->payload.begin(), t->payload.end());
                e.message = text.substr(0, text.find('\0'));
                break;
            }
            case uapi::error_attr::offset: e.bad_attribute = path_at(request, u32(), context); break;
            case uapi::error_attr::missing_type: missing_type = static_cast<std::uint16_t>(u32()); break;
            case uapi::error_attr::missing_nest: missing_nest = u32(); break;
            default: break;
        }
    }
    if (missing_type) {
        core::attribute_path nest;
        if (missing_nest) {
            nest = path_at(request, *missing_nest, context).value_or(core::attribute_path{});
        }
        e.missing = core::missing_attribute{*missing_type, nest};
    }
    return e;
}

}  // namespace wire_detail

class wire_world : private model::world {
    using base = model::world;

  public:
    explicit wire_world(const core::profile_traits& profile = core::profiles::newest::traits) : base(profile) {}
    template <class Profile>
    static wire_world with_profile() {
        return wire_world(Profile::traits);
    }

    // The world itself, for reading and for comparing with a world driven
    // through the C++ API.
    const model::world& model() const noexcept { return *this; }
    // Every request sent so far, in order.
    const std::vector<sent_request>& transcript() const noexcept { return transcript_; }
    // The family id the netdev family has in this world (NL-GENL-05).
    const genl::families& families() const noexcept { return families_; }

    friend bool operator==(const wire_world& a, const wire_world& b) { return a.model() == b.model(); }

    // ------------------------------------------------ reading (not operations)
    using base::area;
    using base::at;
    using base::devices_in;
    using base::dma_device;
    using base::ethtool_driver_name;
    using base::ethtool_get_channels;
    using base::ethtool_get_rings;
    using base::find;
    using base::find_program;
    using base::initial_netns;
    using base::namespace_at;
    using base::profile;
    using base::program_at;
    using base::root;
    using base::socket;
    using base::state;
    using base::xsk_receive_check;
    using base::xsk_wakeup;

    // ------------------------- operations the kernel has no netlink form for
    using base::add_process;
    using base::arm_fault;
    using base::assign_netns_id;  // RTM_NEWNSID is not part of the front end
    using base::attach_xdp;       // IFLA_XDP is not part of the front end
    using base::bind_tx;
    using base::close;
    using base::consumer_close;
    using base::consumer_receive;
    using base::consumer_refill;
    using base::create_netns;
    using base::create_softnic;
    using base::delete_netns;
    using base::ethtool_set_channels;  // the ethtool family is not part of the front end
    using base::ethtool_set_rings;
    using base::hold;
    using base::inject;
    using base::limit_backlog;
    using base::link_create;
    using base::link_detach;
    using base::link_info;
    using base::link_softnics;
    using base::link_update;
    using base::load_program;
    using base::open_netns;
    using base::poll;
    using base::prog_attach;
    using base::prog_detach;
    using base::prog_query;
    using base::queue_reset;
    using base::release_hold;
    using base::remove_softnic;
    using base::remove_softnic_port;
    using base::set_present;
    using base::set_rss_fields;
    using base::set_rss_hash_function;
    using base::set_rss_indirection;
    using base::set_rss_key;
    using base::set_rx_headroom;
    using base::set_rx_mode;
    using base::softnic_transmit;
    using base::transmit;
    using base::xsk_bind;
    using base::xsk_close;
    using base::zcrx_register;

    // ------------------------------------------------------------ rtnetlink
    core::result<model::links::new_link_outcome> new_link(const model::caller& c, const model::link_request& r) {
        const auto before = registered_devices();
        auto out = route(c, rtnetlink::encode_link_request(rtm(uapi::rtm::new_link), ack_flags, next_sequence(), r));
        if (out.error) {
            return std::move(*out.error);
        }
        // The peer registers before the device the request names (NK-PAIR-17,
        // and so does a veth's), and handles are never reused: the newest
        // new device is the one named, an older one its peer.
        std::vector<core::device_handle> appeared;
        for (const core::device_handle h : registered_devices()) {
            if (before.count(h) == 0) {
                appeared.push_back(h);
            }
        }
        model::links::new_link_outcome created;
        if (appeared.empty()) {  // changelink: the device the request named
            created.device = named_device(c, r.header.index, r.attributes.ifname);
            return created;
        }
        created.created = true;
        created.device = appeared.back();
        if (appeared.size() > 1) {
            created.peer = appeared.front();
        }
        return created;
    }

    core::status set_link(const model::caller& c, const model::link_request& r) {
        return status_of(route(c, rtnetlink::encode_link_request(rtm(uapi::rtm::set_link), ack_flags,
                                                                 next_sequence(), r)));
    }

    core::status delete_link(const model::caller& c, const model::delete_request& r) {
        return status_of(route(c, rtnetlink::encode_delete_request(ack_flags, next_sequence(), r)));
    }

    core::result<model::links::link_dump> get_link(const model::caller& c, std::int32_t index,
                                                   std::optional<std::string> name = std::nullopt,
                                                   std::optional<std::int32_t> target_netnsid = std::nullopt) {
        rtnetlink::get_request g;
        g.index = index;
        g.ifname = std::move(name);
        g.target_netnsid = target_netnsid;
        auto out = route(c, rtnetlink::encode_get_request(ack_flags, next_sequence(), g));
        if (out.error) {
            return std::move(*out.error);
        }
        for (const auto& reply : out.replies) {
            for (const auto& m : split_messages(reply)) {
                if (auto d = rtnetlink::decode_link_reply(m)) {
                    return std::move(*d);
                }
            }
        }
        return core::fail(core::errno_code::invalid, "no RTM_NEWLINK in the reply");
    }

    std::vector<model::links::link_dump> dump_links(const model::caller& c) {
        const auto dump = static_cast<std::uint16_t>(static_cast<std::uint16_t>(uapi::message_flag::request) |
                                                     static_cast<std::uint16_t>(uapi::get_flag::dump));
        auto out = route(c, rtnetlink::encode_get_request(dump, next_sequence(), rtnetlink::get_request{}));
        std::vector<model::links::link_dump> entries;
        for (const auto& reply : out.replies) {
            for (const auto& m : split_messages(reply)) {
                if (auto d = rtnetlink::decode_link_reply(m)) {
                    entries.push_back(std::move(*d));
                }
            }
        }
        return entries;
    }

    // The typed shortcuts, as `ip link set` sends them: RTM_SETLINK by
    // ifindex from a root caller in the device's netns.
    core::status open(core::device_handle h) { return set_flags(h, true); }
    void close_device(core::device_handle h) { (void)set_flags(h, false); }
    core::status set_mtu(core::device_handle h, std::uint32_t mtu) {
        model::link_request r = by_index(h);
        r.attributes.mtu = mtu;
        return set_link(root(at(h).netns), r);
    }
    core::status set_mac(core::device_handle h, const std::vector<std::uint8_t>& mac) {
        model::link_request r = by_index(h);
        r.attributes.address = mac;
        return set_link(root(at(h).netns), r);
    }
    // IFLA_NET_NS_FD: a descriptor of the target netns is opened for the
    // request and closed after it, as `ip link set netns` does.
    core::status move(core::device_handle h, core::netns_handle to) {
        const auto from = at(h).netns;
        const std::int32_t fd = open_netns(to);
        model::link_request r = by_index(h);
        r.attributes.net_ns_fd = static_cast<std::uint32_t>(fd);
        auto s = set_link(root(from), r);
        (void)close(fd);
        return s;
    }

    // ------------------------------------------------------- netdev family
    core::result<std::uint32_t> queue_create(const model::caller& c, const model::lease::queue_create_request& r) {
        auto out = generic(c, genl::encode_queue_create(families_.netdev_id, r, next_sequence(), genl_ack_flags));
        if (out.error) {
            return std::move(*out.error);
        }
        if (auto id = first_u32(out, static_cast<std::uint16_t>(uapi::queue_attr::id))) {
            return *id;
        }
        return core::fail(core::errno_code::invalid, "no NETDEV_A_QUEUE_ID in the reply");
    }

    core::result<model::lease::queue_info> queue_get(const model::caller& c, std::int32_t ifindex, std::uint32_t id,
                                                     uapi::queue_type type = uapi::queue_type::rx) {
        auto out = generic(c, genl::encode_queue_get(families_.netdev_id, genl::queue_get_request::of(ifindex, id, type),
                                                     next_sequence(), genl_ack_flags));
        if (out.error) {
            return std::move(*out.error);
        }
        auto entries = queue_entries(out);
        if (entries.empty()) {
            return core::fail(core::errno_code::invalid, "no queue in the reply");
        }
        return std::move(entries.front());
    }

    std::vector<model::lease::queue_info> queue_dump(const model::caller& c) {
        return queue_entries(generic(c, genl::encode_queue_dump(families_.netdev_id, std::nullopt, next_sequence())));
    }

    // The buffer count of a binding comes from the dmabuf's size in the
    // kernel, not from the request; only the default count goes over the
    // wire, any other is a model-only knob applied directly.
    core::result<std::uint32_t> bind_rx(const model::caller& c, std::int32_t ifindex,
                                        const std::vector<std::uint32_t>& queues, std::int32_t dmabuf_fd,
                                        std::uint32_t buffers = 64) {
        if (buffers != 64) {
            return base::bind_rx(c, ifindex, queues, dmabuf_fd, buffers);
        }
        auto out = generic(c, genl::encode_bind_rx(families_.netdev_id,
                                                   genl::bind_rx_request::rx(ifindex, queues, dmabuf_fd),
                                                   next_sequence(), genl_ack_flags));
        if (out.error) {
            return std::move(*out.error);
        }
        if (auto id = first_u32(out, static_cast<std::uint16_t>(uapi::dmabuf_attr::id))) {
            return *id;
        }
        return core::fail(core::errno_code::invalid, "no NETDEV_A_DMABUF_ID in the reply");
    }

    // ------------------------------------------------------------ raw bytes
    // One request-and-replies exchange on a socket of `c`: what the typed
    // calls above use, open to tests that build their own bytes.
    exchange_outcome exchange(uapi::netlink_protocol protocol, const model::caller& c,
                              std::span<const std::uint8_t> request) {
        transcript_.push_back(sent_request{protocol, c.netns, c.net_admin_in(c.netns),
                                           std::vector<std::uint8_t>(request.begin(), request.end())});
        const model::world before = model();
        socket_options options;
        options.extended_ack = true;
        netlink::socket s(static_cast<base&>(*this), protocol, c, port, options, families_);
        exchange_outcome out;
        decode::context context;
        context.protocol = protocol;
        context.netdev_family_id = families_.netdev_id;
        for (auto& reply : s.exchange(request)) {
            const message_header h = read_header(reply.data());
            if (h.type == static_cast<std::uint16_t>(uapi::control_message::error)) {
                out.error = wire_detail::read_error(reply, request, context);
            } else if (h.type == static_cast<std::uint16_t>(uapi::control_message::done)) {
                const auto status = static_cast<std::int32_t>(load_u32(reply.data() + uapi::message_header_size));
                if (status != 0) {
                    out.error = core::fail(static_cast<core::errno_code>(-status));
                }
            } else {
                out.replies.push_back(std::move(reply));
            }
        }
        if (out.error && !(model() == before)) {
            out.error->partly_applied = true;  // see the header comment
        }
        return out;
    }

  private:
    static constexpr std::uint32_t port = 4242;
    static constexpr std::uint16_t ack_flags = static_cast<std::uint16_t>(
        static_cast<std::uint16_t>(uapi::message_flag::request) | static_cast<std::uint16_t>(uapi::message_flag::acknowledge));
    static constexpr std::uint16_t genl_ack_flags = ack_flags;

    static std::uint16_t rtm(uapi::rtm t) noexcept { return static_cast<std::uint16_t>(t); }
    std::uint32_t next_sequence() noexcept { return ++sequence_; }

    exchange_outcome route(const model::caller& c, const std::vector<std::uint8_t>& bytes) {
        return exchange(uapi::netlink_protocol::route, c, bytes);
    }
    exchange_outcome generic(const model::caller& c, const std::vector<std::uint8_t>& bytes) {
        return exchange(uapi::netlink_protocol::generic, c, bytes);
    }
    static core::status status_of(exchange_outcome out) {
        if (out.error) {
            return std::move(*out.error);
        }
        return core::ok();
    }

    std::set<core::device_handle> registered_devices() const {
        std::set<core::device_handle> out;
        for (const auto& [h, d] : state().devices) {
            if (d.state == model::registration::registered) {
                out.insert(h);
            }
        }
        return out;
    }

    core::device_handle named_device(const model::caller& c, std::int32_t index,
                                     const std::optional<std::string>& name) const {
        const model::device* d = index != 0 ? find(c.netns, index) : nullptr;
        if (d == nullptr && name) {
            d = find(c.netns, *name);
        }
        return d != nullptr ? d->handle : core::device_handle{};
    }

    model::link_request by_index(core::device_handle h) const {
        model::link_request r;
        r.header.index = at(h).ifindex;
        return r;
    }

    core::status set_flags(core::device_handle h, bool up) {
        model::link_request r = by_index(h);
        r.header.flags = up ? static_cast<std::uint32_t>(uapi::interface_flag::up) : 0U;
        r.header.change = static_cast<std::uint32_t>(uapi::interface_flag::up);
        return set_link(root(at(h).netns), r);
    }

    static std::optional<std::uint32_t> first_u32(const exchange_outcome& out, std::uint16_t attribute) {
        for (const auto& reply : out.replies) {
            if (reply.size() < netdev::attributes_offset) {
                continue;
            }
            attribute_reader a(std::span<const std::uint8_t>(reply).subspan(netdev::attributes_offset),
                               netdev::attributes_offset);
            while (auto x = a.next()) {
                if (x->id == attribute && x->payload.size() == 4) {
                    return load_u32(x->payload.data());
                }
            }
        }
        return std::nullopt;
    }

    static std::vector<model::lease::queue_info> queue_entries(const exchange_outcome& out) {
        std::vector<model::lease::queue_info> entries;
        for (const auto& reply : out.replies) {
            if (reply.size() < netdev::attributes_offset) {
                continue;
            }
            if (auto q = genl::read_queue_attributes(std::span<const std::uint8_t>(reply).subspan(netdev::attributes_offset),
                                                     netdev::attributes_offset)) {
                entries.push_back(std::move(*q));
            }
        }
        return entries;
    }

    genl::families families_;
    std::uint32_t sequence_ = 0;
    std::vector<sent_request> transcript_;
};

}  // namespace netkit::netlink
