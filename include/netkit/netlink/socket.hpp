// A netlink socket over the world (netlink.md NL-GEN-01): the bytes a client
// passes to sendmsg go in, the messages the kernel would queue on the socket
// come out. A socket has a protocol (NETLINK_ROUTE or NETLINK_GENERIC), the
// caller context of the process that opened it (its netns and
// capabilities, device.md NK-ENV-01), a port id, and the options that shape
// acknowledgements (NETLINK_EXT_ACK, NETLINK_CAP_ACK).
//
// Each message of a buffer is processed in order (NL-HDR-03): a message that
// is not a request is only acknowledged when it asks for it (NL-HDR-04);
// a request goes to the rtnetlink or generic-netlink handler, whose reply
// messages are queued, followed by the NLMSG_ERROR acknowledgement when the
// request failed or asked for one (NL-FLAG-04).
#pragma once

#include <netkit/model/caller.hpp>
#include <netkit/model/world.hpp>
#include <netkit/netlink/genl.hpp>
#include <netkit/netlink/message.hpp>
#include <netkit/netlink/rtnetlink.hpp>
#include <netkit/uapi/netlink.hpp>

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

namespace netkit::netlink {

class socket {
  public:
    socket(model::world& w, uapi::netlink_protocol protocol, model::caller c, std::uint32_t port = 1,
           socket_options options = {}, genl::families families = {})
        : world_(&w), protocol_(protocol), caller_(std::move(c)), port_(port), options_(options),
          families_(families) {}

    uapi::netlink_protocol protocol() const noexcept { return protocol_; }
    const model::caller& caller() const noexcept { return caller_; }
    std::uint32_t port() const noexcept { return port_; }
    socket_options& options() noexcept { return options_; }

    // sendmsg: every message of `buffer`, in order.
    void send(std::span<const std::uint8_t> buffer) {
        for (const auto& m : split_messages(buffer)) {
            process(m);
        }
    }

    // recvmsg: the next queued message, if any.
    std::optional<std::vector<std::uint8_t>> receive() {
        if (queue_.empty()) {
            return std::nullopt;
        }
        auto next = std::move(queue_.front());
        queue_.pop_front();
        return next;
    }

    // Everything queued, in order.
    std::vector<std::vector<std::uint8_t>> receive_all() {
        std::vector<std::vector<std::uint8_t>> out(std::make_move_iterator(queue_.begin()),
                                                   std::make_move_iterator(queue_.end()));
        queue_.clear();
        return out;
    }

    // send, then everything queued: one request-and-replies exchange.
    std::vector<std::vector<std::uint8_t>> exchange(std::span<const std::uint8_t> buffer) {
        send(buffer);
        return receive_all();
    }

  private:
    void process(const message_view& m) {
        const bool wants_ack = m.header.has(uapi::message_flag::acknowledge);
        if (!m.header.has(uapi::message_flag::request) || m.header.type < uapi::min_request_type) {
            if (wants_ack) {  // NL-HDR-04
                queue_.push_back(acknowledge(m, acknowledgement::success(), options_, port_));
            }
            return;
        }
        handled h = protocol_ == uapi::netlink_protocol::route
                        ? rtnetlink::handle(*world_, caller_, m, port_)
                        : genl::handle(*world_, caller_, m, port_, families_);
        fit_replies(m, h);
        for (auto& reply : h.replies) {
            queue_.push_back(std::move(reply));
        }
        if (h.ack && (h.ack->failed || wants_ack)) {
            queue_.push_back(acknowledge(m, *h.ack, options_, port_));
        }
    }

    // NK-DUMP-05: a reply that does not fit the reply buffer. In a dump the
    // step fails: the entries before it stay and NLMSG_DONE carries
    // -EMSGSIZE; a do request gets the error instead of its reply.
    void fit_replies(const message_view& m, handled& h) const {
        if (!options_.reply_buffer_size) {
            return;
        }
        const std::size_t limit = *options_.reply_buffer_size;
        for (std::size_t i = 0; i < h.replies.size(); ++i) {
            if (h.replies[i].size() <= limit) {
                continue;
            }
            const auto status = -core::value(core::errno_code::message_too_long);
            if (!h.ack) {  // a dump: NLMSG_DONE is its last message
                h.replies.resize(i);
                h.replies.push_back(done(m, port_, status));
            } else {
                h.replies.clear();
                h.ack = acknowledgement::of(core::fail(core::errno_code::message_too_long));
            }
            return;
        }
    }

    model::world* world_;
    uapi::netlink_protocol protocol_;
    model::caller caller_;
    std::uint32_t port_;
    socket_options options_;
    genl::families families_;
    std::deque<std::vector<std::uint8_t>> queue_;
};

}  // namespace netkit::netlink
