// Netlink messages (netlink.md NL-HDR-01…05, NL-FLAG-01…04, NL-ERR-01…05,
// NL-EXT-01…06): splitting a buffer into messages, building replies with the
// request's sequence number and the socket's port id, acknowledgements and
// errors with the extended-ack TLVs in the kernel's order (message, offset,
// policy, missing type, missing nest), and the NLMSG_DONE that ends a dump.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/result.hpp>
#include <netkit/netlink/attributes.hpp>
#include <netkit/netlink/policy.hpp>
#include <netkit/uapi/netlink.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace netkit::netlink {

// struct nlmsghdr (NL-HDR-01).
struct message_header {
    std::uint32_t length = 0;
    std::uint16_t type = 0;
    std::uint16_t flags = 0;
    std::uint32_t sequence = 0;
    std::uint32_t port = 0;

    friend bool operator==(const message_header&, const message_header&) = default;

    bool has(uapi::message_flag f) const noexcept { return (flags & static_cast<std::uint16_t>(f)) != 0; }
};

// One message of a buffer: its header and the bytes after it.
struct message_view {
    message_header header;
    std::span<const std::uint8_t> whole;    // header included
    std::span<const std::uint8_t> payload;  // after the 16-byte header
};

inline message_header read_header(const std::uint8_t* p) noexcept {
    return message_header{load_u32(p), load_u16(p + 4), load_u16(p + 6), load_u32(p + 8), load_u32(p + 12)};
}

// NL-HDR-02/03: the messages of a buffer, in order; stops silently at one
// whose length is < 16 or runs past the buffer.
inline std::vector<message_view> split_messages(std::span<const std::uint8_t> buffer) {
    std::vector<message_view> out;
    std::size_t at = 0;
    while (buffer.size() - at >= uapi::message_header_size) {
        const message_header h = read_header(buffer.data() + at);
        if (h.length < uapi::message_header_size || h.length > buffer.size() - at) {
            break;
        }
        message_view m;
        m.header = h;
        m.whole = buffer.subspan(at, h.length);
        m.payload = m.whole.subspan(uapi::message_header_size);
        out.push_back(m);
        at += std::min<std::size_t>(uapi::message_align(h.length), buffer.size() - at);
    }
    return out;
}

// Builds one message: header, then payload; `finish` writes the length.
class message_builder {
  public:
    message_builder(std::uint16_t type, std::uint16_t flags, std::uint32_t sequence, std::uint32_t port) {
        bytes_.resize(uapi::message_header_size);
        store32(0, 0);
        store16(4, type);
        store16(6, flags);
        store32(8, sequence);
        store32(12, port);
    }

    std::vector<std::uint8_t>& bytes() noexcept { return bytes_; }
    void append(std::span<const std::uint8_t> data) { bytes_.insert(bytes_.end(), data.begin(), data.end()); }
    void append_u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) {
            bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
        }
    }
    void pad() {
        while (bytes_.size() % uapi::message_alignment != 0) {
            bytes_.push_back(0);
        }
    }
    void set_flags(std::uint16_t flags) { store16(6, flags); }
    std::vector<std::uint8_t> finish() {
        pad();
        store32(0, static_cast<std::uint32_t>(bytes_.size()));
        return std::move(bytes_);
    }

  private:
    void store16(std::size_t at, std::uint16_t v) {
        bytes_[at] = static_cast<std::uint8_t>(v);
        bytes_[at + 1] = static_cast<std::uint8_t>(v >> 8);
    }
    void store32(std::size_t at, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) {
            bytes_[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
        }
    }
    std::vector<std::uint8_t> bytes_;
};

// Socket options that shape acknowledgements (NL-EXT-01, NL-ERR-02).
struct socket_options {
    bool extended_ack = false;  // NETLINK_EXT_ACK (11)
    bool capped_ack = false;    // NETLINK_CAP_ACK (10)
    // The size of the buffer a reply is built in (the kernel sizes it from
    // the receive buffer): a reply message that does not fit fails with
    // EMSGSIZE (device.md NK-DUMP-05). nullopt: everything fits.
    std::optional<std::size_t> reply_buffer_size;

    friend bool operator==(const socket_options&, const socket_options&) = default;
};

// What an acknowledgement reports: 0 or an error, plus the extack.
struct acknowledgement {
    core::errno_code error{};  // value 0: success
    bool failed = false;
    std::string message;  // error text, or a warning on success
    std::optional<std::uint32_t> offset;
    std::optional<policy_entry> policy;
    std::optional<std::uint16_t> missing_type;
    std::optional<std::uint32_t> missing_nest_offset;

    static acknowledgement success(std::string warning = {}) {
        acknowledgement a;
        a.message = std::move(warning);
        return a;
    }
    static acknowledgement of(const wire_error& e) {
        acknowledgement a;
        a.failed = true;
        a.error = e.error.code;
        a.message = e.error.message;
        a.offset = e.offset;
        a.policy = e.policy;
        a.missing_type = e.missing_type;
        a.missing_nest_offset = e.missing_nest_offset;
        return a;
    }
    // A model error whose attribute paths were not located: message only.
    static acknowledgement of(const core::error& e) {
        wire_error w;
        w.error = e;
        if (e.missing) {
            w.missing_type = e.missing->type;
        }
        return of(w);
    }
};

namespace message_detail {

inline uapi::attribute_type policy_type(policy_kind k) noexcept {
    switch (k) {
        case policy_kind::u8: return uapi::attribute_type::u8;
        case policy_kind::u16: return uapi::attribute_type::u16;
        case policy_kind::u32: return uapi::attribute_type::u32;
        case policy_kind::s32: return uapi::attribute_type::s32;
        case policy_kind::u64: return uapi::attribute_type::u64;
        case policy_kind::string: return uapi::attribute_type::string;
        case policy_kind::binary: return uapi::attribute_type::binary;
        case policy_kind::nested: return uapi::attribute_type::nested;
        default: return uapi::attribute_type::invalid;
    }
}

// NL-EXT-06: the policy entry of the offending attribute.
inline void put_policy(attribute_writer& w, const policy_entry& p) {
    using uapi::policy_type_attr;
    const auto type = policy_type(p.kind);
    if (type == uapi::attribute_type::invalid) {
        return;  // an entry without a type emits no POLICY
    }
    const auto nest = w.begin_nest(static_cast<std::uint16_t>(uapi::error_attr::policy), true);
    auto id = [](policy_type_attr a) { return static_cast<std::uint16_t>(a); };
    switch (p.kind) {
        case policy_kind::u8:
        case policy_kind::u16:
        case policy_kind::u32:
        case policy_kind::u64: {
            const std::uint64_t limit = p.kind == policy_kind::u8    ? 0xffU
                                        : p.kind == policy_kind::u16 ? 0xffffU
                                        : p.kind == policy_kind::u32 ? 0xffffffffU
                                                                     : std::numeric_limits<std::uint64_t>::max();
            w.put_u64(id(policy_type_attr::min_value_unsigned), static_cast<std::uint64_t>(p.min.value_or(0)));
            w.put_u64(id(policy_type_attr::max_value_unsigned),
                      p.max ? static_cast<std::uint64_t>(*p.max) : limit);
            break;
        }
        case policy_kind::s32:
            w.put_s64(id(policy_type_attr::min_value_signed), p.min.value_or(std::numeric_limits<std::int32_t>::min()));
            w.put_s64(id(policy_type_attr::max_value_signed), p.max.value_or(std::numeric_limits<std::int32_t>::max()));
            break;
        case policy_kind::string:
        case policy_kind::binary:
            if (p.max_length != 0) {
                w.put_u32(id(policy_type_attr::max_length), p.max_length);
            }
            break;
        default: break;
    }
    w.put_u32(id(policy_type_attr::type), static_cast<std::uint32_t>(type));
    w.end_nest(nest);
}

}  // namespace message_detail

// NL-ERR-02/03, NL-EXT-01…06: the NLMSG_ERROR answering `request`.
inline std::vector<std::uint8_t> acknowledge(const message_view& request, const acknowledgement& ack,
                                             const socket_options& options, std::uint32_t port) {
    std::uint16_t flags = 0;
    const bool whole = ack.failed && !options.capped_ack;
    if (!whole) {
        flags |= static_cast<std::uint16_t>(uapi::ack_flag::capped);
    }
    attribute_writer tlvs;
    if (options.extended_ack) {
        using uapi::error_attr;
        if (!ack.message.empty()) {
            tlvs.put_string(static_cast<std::uint16_t>(error_attr::message), ack.message);
        }
        if (ack.failed) {
            if (ack.offset) {
                tlvs.put_u32(static_cast<std::uint16_t>(error_attr::offset), *ack.offset);
                if (ack.policy) {
                    message_detail::put_policy(tlvs, *ack.policy);
                }
            }
            if (ack.missing_type) {
                tlvs.put_u32(static_cast<std::uint16_t>(error_attr::missing_type), *ack.missing_type);
            }
            if (ack.missing_nest_offset) {
                tlvs.put_u32(static_cast<std::uint16_t>(error_attr::missing_nest), *ack.missing_nest_offset);
            }
        }
        if (!tlvs.bytes().empty()) {
            flags |= static_cast<std::uint16_t>(uapi::ack_flag::extended_ack_tlvs);
        }
    }
    message_builder b(static_cast<std::uint16_t>(uapi::control_message::error), flags, request.header.sequence, port);
    b.append_u32(ack.failed ? static_cast<std::uint32_t>(-core::value(ack.error)) : 0U);
    if (whole) {
        b.append(request.whole);
    } else {
        b.append(request.whole.subspan(0, uapi::message_header_size));
    }
    b.pad();
    b.append(tlvs.bytes());
    return b.finish();
}

// NL-ERR-04: the NLMSG_DONE ending a dump (status 0 or a negative errno).
inline std::vector<std::uint8_t> done(const message_view& request, std::uint32_t port, std::int32_t status = 0) {
    message_builder b(static_cast<std::uint16_t>(uapi::control_message::done),
                      static_cast<std::uint16_t>(uapi::message_flag::multipart), request.header.sequence, port);
    b.append_u32(static_cast<std::uint32_t>(status));
    return b.finish();
}

// The header of a reply to `request` (NL-HDR-05).
inline message_builder reply_to(const message_view& request, std::uint16_t type, std::uint16_t flags,
                                std::uint32_t port) {
    return message_builder(type, flags, request.header.sequence, port);
}

// The outcome of one request for the socket: reply messages (in order) and
// the acknowledgement, if one is due.
struct handled {
    std::vector<std::vector<std::uint8_t>> replies;
    std::optional<acknowledgement> ack;  // nullopt: no NLMSG_ERROR (a dump ends with DONE instead)
};

}  // namespace netkit::netlink
