// Netlink attributes on the wire (netlink.md NL-ATTR-01…03): a bounds-checked
// reader that walks a TLV stream and reports where it stopped, and a writer
// that builds one (the exact inverse for well-formed streams). Offsets are
// counted from the start of the message's nlmsghdr, which is what
// NLMSGERR_ATTR_OFFS and NLMSGERR_ATTR_MISS_NEST carry (NL-EXT-03/04), so
// the reader is told where its bytes sit in the message.
//
// Nothing here reads outside the span it was given, whatever the bytes say.
#pragma once

#include <netkit/uapi/netlink.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace netkit::netlink {

inline constexpr std::uint32_t align4(std::uint32_t n) noexcept { return (n + 3U) & ~3U; }

// One attribute as found in a message.
struct attribute {
    std::uint16_t id = 0;          // nla_type & NLA_TYPE_MASK
    bool nested_flag = false;      // NLA_F_NESTED
    bool byte_order_flag = false;  // NLA_F_NET_BYTEORDER
    std::uint32_t offset = 0;      // of its header, from the start of the message
    std::span<const std::uint8_t> payload;

    std::uint32_t payload_offset() const noexcept { return offset + uapi::attribute_header_size; }
};

// Little-endian host order, as netlink carries integers (x86-64 and arm64).
inline std::uint16_t load_u16(const std::uint8_t* p) noexcept {
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
inline std::uint32_t load_u32(const std::uint8_t* p) noexcept {
    return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
}
inline std::uint64_t load_u64(const std::uint8_t* p) noexcept {
    return std::uint64_t{load_u32(p)} | (std::uint64_t{load_u32(p + 4)} << 32);
}

// Walks a stream: next() yields attributes while a whole header and payload
// fit; once it returns nullopt, leftover() says how many bytes were left
// that do not form an attribute (NL-ATTR-03).
class attribute_reader {
  public:
    attribute_reader(std::span<const std::uint8_t> bytes, std::uint32_t base_offset) noexcept
        : bytes_(bytes), base_(base_offset) {}

    std::optional<attribute> next() noexcept {
        const std::size_t remaining = bytes_.size() - at_;
        if (remaining < uapi::attribute_header_size) {
            return std::nullopt;
        }
        const std::uint8_t* p = bytes_.data() + at_;
        const std::uint16_t length = load_u16(p);
        const std::uint16_t type = load_u16(p + 2);
        if (length < uapi::attribute_header_size || length > remaining) {
            return std::nullopt;
        }
        attribute a;
        a.id = static_cast<std::uint16_t>(type & uapi::attribute_type_mask);
        a.nested_flag = (type & uapi::attribute_flag_nested) != 0;
        a.byte_order_flag = (type & uapi::attribute_flag_network_byte_order) != 0;
        a.offset = base_ + static_cast<std::uint32_t>(at_);
        a.payload = bytes_.subspan(at_ + uapi::attribute_header_size, length - uapi::attribute_header_size);
        at_ += std::min<std::size_t>(align4(length), remaining);
        return a;
    }

    std::size_t leftover() const noexcept { return bytes_.size() - at_; }

  private:
    std::span<const std::uint8_t> bytes_;
    std::uint32_t base_ = 0;
    std::size_t at_ = 0;
};

// Builds a stream; nests are opened and closed around their contents.
class attribute_writer {
  public:
    std::vector<std::uint8_t>& bytes() noexcept { return bytes_; }
    const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }

    void put(std::uint16_t type, std::span<const std::uint8_t> payload) {
        const std::size_t start = header(type, payload.size());
        bytes_.insert(bytes_.end(), payload.begin(), payload.end());
        pad(start);
    }
    void put_u8(std::uint16_t type, std::uint8_t v) { put(type, std::span<const std::uint8_t>(&v, 1)); }
    void put_u16(std::uint16_t type, std::uint16_t v) { put_le(type, v, 2); }
    void put_u32(std::uint16_t type, std::uint32_t v) { put_le(type, v, 4); }
    void put_s32(std::uint16_t type, std::int32_t v) { put_le(type, static_cast<std::uint32_t>(v), 4); }
    void put_u64(std::uint16_t type, std::uint64_t v) { put_le(type, v, 8); }
    void put_s64(std::uint16_t type, std::int64_t v) { put_le(type, static_cast<std::uint64_t>(v), 8); }
    // With the terminating NUL, as the kernel and iproute2 send strings.
    void put_string(std::uint16_t type, std::string_view text) {
        std::vector<std::uint8_t> payload(text.begin(), text.end());
        payload.push_back(0);
        put(type, payload);
    }

    // Returns the position to hand to end_nest. `flagged` sets NLA_F_NESTED.
    std::size_t begin_nest(std::uint16_t type, bool flagged = true) {
        return header(static_cast<std::uint16_t>(type | (flagged ? uapi::attribute_flag_nested : 0U)), 0);
    }
    void end_nest(std::size_t start) {
        const auto length = static_cast<std::uint16_t>(bytes_.size() - start);
        bytes_[start] = static_cast<std::uint8_t>(length & 0xff);
        bytes_[start + 1] = static_cast<std::uint8_t>(length >> 8);
    }

  private:
    std::size_t header(std::uint16_t type, std::size_t payload_size) {
        const std::size_t start = bytes_.size();
        const auto length = static_cast<std::uint16_t>(uapi::attribute_header_size + payload_size);
        bytes_.push_back(static_cast<std::uint8_t>(length & 0xff));
        bytes_.push_back(static_cast<std::uint8_t>(length >> 8));
        bytes_.push_back(static_cast<std::uint8_t>(type & 0xff));
        bytes_.push_back(static_cast<std::uint8_t>(type >> 8));
        return start;
    }
    void pad(std::size_t start) {
        while ((bytes_.size() - start) % uapi::attribute_alignment != 0) {
            bytes_.push_back(0);
        }
    }
    void put_le(std::uint16_t type, std::uint64_t v, std::size_t size) {
        std::uint8_t raw[8];
        for (std::size_t i = 0; i < size; ++i) {
            raw[i] = static_cast<std::uint8_t>(v >> (8 * i));
        }
        put(type, std::span<const std::uint8_t>(raw, size));
    }

    std::vector<std::uint8_t> bytes_;
};

}  // namespace netkit::netlink
