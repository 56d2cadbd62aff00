// Attribute policies as data and the validating parser (netlink.md
// NL-POL-01…07, NL-ATTR-03, NL-ATTR-06, NL-EXT-06): a policy set lists, per
// attribute id, the entry the kernel's policy table holds — type, range,
// length limit, nested set, rejection message — and `parse` walks a stream
// in message order, depth first, answering the first failure with the
// kernel's errno, extack message, offending attribute's offset and the
// policy entry the acknowledgement describes. A successful parse gives a
// table of the last occurrence of every id (NL-ATTR-06), with nested
// tables for nests that have a policy.
#pragma once

#include <netkit/core/config.hpp>
#include <netkit/core/enum.hpp>
#include <netkit/core/errno.hpp>
#include <netkit/core/result.hpp>
#include <netkit/netlink/attributes.hpp>
#include <netkit/uapi/netlink.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace netkit::netlink {

// The policy types the model's families use. `none` is an id within the
// maximum that has no entry (NLA_UNSPEC without a length).
enum class policy_kind : std::uint8_t { none, u8, u16, u32, s32, u64, string, binary, nested, reject };

struct policy_set;

struct policy_entry {
    policy_kind kind = policy_kind::none;
    std::optional<std::int64_t> min;
    std::optional<std::int64_t> max;
    std::uint32_t max_length = 0;  // string / binary: 0 = no limit
    std::uint32_t min_length = 0;  // a typeless entry may still ask for a minimum (NK-CRT-05)
    const policy_set* nested = nullptr;
    std::string_view reject_message;
};

struct policy_set {
    std::uint16_t max_id = 0;
    std::span<const policy_entry> entries;  // indexed by id; size max_id + 1

    const policy_entry& at(std::uint16_t id) const noexcept { return entries[id]; }
};

NETKIT_ENUM(parse_mode, std::uint8_t, liberal, strict)

// A failure as the acknowledgement reports it.
struct wire_error {
    core::error error;
    std::optional<std::uint32_t> offset;               // NLMSGERR_ATTR_OFFS
    std::optional<policy_entry> policy;                // NLMSGERR_ATTR_POLICY (NL-EXT-06)
    std::optional<std::uint16_t> missing_type;         // NLMSGERR_ATTR_MISS_TYPE
    std::optional<std::uint32_t> missing_nest_offset;  // NLMSGERR_ATTR_MISS_NEST
};

// One level of a parsed request: the last occurrence of every id.
struct parsed_level {
    std::uint32_t offset = 0;  // of the nest's header (0 for the top level)
    std::map<std::uint16_t, attribute> attributes;
    std::map<std::uint16_t, std::shared_ptr<parsed_level>> nests;

    const attribute* find(std::uint16_t id) const {
        const auto it = attributes.find(id);
        return it == attributes.end() ? nullptr : &it->second;
    }
    const parsed_level* nest(std::uint16_t id) const {
        const auto it = nests.find(id);
        return it == nests.end() ? nullptr : it->second.get();
    }
};

namespace policy_detail {

inline constexpr std::uint32_t fixed_size(policy_kind k) noexcept {
    switch (k) {
        case policy_kind::u8: return 1;
        case policy_kind::u16: return 2;
        case policy_kind::u32:
        case policy_kind::s32: return 4;
        case policy_kind::u64: return 8;
        default: return 0;
    }
}

inline wire_error at(const attribute& a, core::errno_code code, std::string_view message,
                     std::optional<policy_entry> policy = std::nullopt) {
    wire_error e;
    e.error = core::fail(code, message);
    e.offset = a.offset;
    e.policy = policy;
    return e;
}

inline std::int64_t scalar_value(const attribute& a, policy_kind k) noexcept {
    switch (k) {
        case policy_kind::u8: return a.payload[0];
        case policy_kind::u16: return load_u16(a.payload.data());
        case policy_kind::u32: return load_u32(a.payload.data());
        case policy_kind::s32: return static_cast<std::int32_t>(load_u32(a.payload.data()));
        case policy_kind::u64: return static_cast<std::int64_t>(load_u64(a.payload.data()));
        default: return 0;
    }
}

inline std::optional<wire_error> parse_level(std::span<const std::uint8_t> bytes, std::uint32_t base,
                                             const policy_set& policy, parse_mode mode, parsed_level& out,
                                             std::optional<std::string>& warning, int depth);

// validate_nla for one attribute.
inline std::optional<wire_error> validate(const attribute& a, const policy_entry& p, parse_mode mode,
                                          parsed_level& out, std::optional<std::string>& warning, int depth) {
    using core::errno_code;
    const bool strict = mode == parse_mode::strict;
    const std::uint32_t size = fixed_size(p.kind);
    const auto length = static_cast<std::uint32_t>(a.payload.size());
    if (size != 0 && length != size && strict) {  // NL-POL-03
        return at(a, errno_code::invalid, "invalid attribute length", p);
    }
    if (strict) {  // NL-POL-05
        if (p.kind == policy_kind::nested && !a.nested_flag) {
            return at(a, errno_code::invalid, "NLA_F_NESTED is missing", p);
        }
        if (p.kind != policy_kind::nested && p.kind != policy_kind::none && a.nested_flag) {
            return at(a, errno_code::invalid, "NLA_F_NESTED not expected", p);
        }
    }
    switch (p.kind) {
        case policy_kind::reject:  // NL-POL-06
            return at(a, errno_code::invalid, p.reject_message);
        case policy_kind::none:
            if (length < p.min_length) {
                return at(a, errno_code::out_of_range, "Attribute failed policy validation");
            }
            return std::nullopt;
        case policy_kind::string:
        case policy_kind::binary: {
            std::uint32_t text = length;
            if (p.kind == policy_kind::string && text > 0 && a.payload[text - 1] == 0) {
                --text;  // NL-ATTR-04: the NUL does not count
            }
            if (p.max_length != 0 && text > p.max_length) {
                return at(a, errno_code::out_of_range, "Attribute failed policy validation", p);
            }
            return std::nullopt;
        }
        case policy_kind::nested: {
            if (length == 0) {
                return std::nullopt;
            }
            if (length < uapi::attribute_header_size) {
                return at(a, errno_code::out_of_range, "Attribute failed policy validation", p);
            }
            if (p.nested == nullptr) {
                return std::nullopt;
            }
            auto level = std::make_shared<parsed_level>();
            level->offset = a.offset;
            if (auto e = parse_level(a.payload, a.payload_offset(), *p.nested, mode, *level, warning, depth + 1)) {
                return e;
            }
            out.nests[a.id] = std::move(level);
            return std::nullopt;
        }
        default: {
            if (length < size) {  // liberal: too short
                return at(a, errno_code::out_of_range, "Attribute failed policy validation", p);
            }
            const std::int64_t v = scalar_value(a, p.kind);
            if ((p.min && v < *p.min) || (p.max && v > *p.max)) {  // NL-POL-04
                return at(a, errno_code::out_of_range, "integer out of range", p);
            }
            return std::nullopt;
        }
    }
}

// __nla_validate_parse for one level.
inline std::optional<wire_error> parse_level(std::span<const std::uint8_t> bytes, std::uint32_t base,
                                             const policy_set& policy, parse_mode mode, parsed_level& out,
                                             std::optional<std::string>& warning, int depth) {
    using core::errno_code;
    const bool strict = mode == parse_mode::strict;
    if (depth > 8) {
        wire_error e;
        e.error = core::fail(errno_code::invalid, "allowed policy nesting depth exceeded");
        return e;
    }
    attribute_reader reader(bytes, base);
    while (auto a = reader.next()) {
        if (a->id == 0 || a->id > policy.max_id) {  // NL-POL-02
            if (strict) {
                return at(*a, errno_code::invalid, "Unknown attribute type");
            }
            continue;
        }
        const policy_entry& p = policy.at(a->id);
        if (p.kind == policy_kind::none && p.min_length == 0 && strict) {
            return at(*a, errno_code::invalid, "Unsupported attribute");
        }
        if (auto e = validate(*a, p, mode, out, warning, depth)) {
            return e;
        }
        out.attributes[a->id] = *a;  // NL-ATTR-06: the last one wins
    }
    if (reader.leftover() > 0) {  // NL-ATTR-03
        warning = "bytes leftover after parsing attributes";
        if (strict) {
            wire_error e;
            e.error = core::fail(errno_code::invalid, *warning);
            return e;
        }
    }
    return std::nullopt;
}

}  // namespace policy_detail

// The outcome of parsing one request's attributes.
struct parsed {
    parsed_level top;
    std::optional<std::string> warning;  // a liberal parse's leftover message
};

// Parses `bytes` (which start at `base_offset` in the message) against
// `policy`; the first failure in message order, depth first, wins.
inline core::result<parsed> parse(std::span<const std::uint8_t> bytes, std::uint32_t base_offset,
                                  const policy_set& policy, parse_mode mode, wire_error* failure = nullptr) {
    parsed out;
    if (auto e = policy_detail::parse_level(bytes, base_offset, policy, mode, out.top, out.warning, 0)) {
        if (failure != nullptr) {
            *failure = *e;
        }
        return e->error;
    }
    return out;
}

inline std::uint32_t read_u32(const attribute& a) noexcept { return load_u32(a.payload.data()); }
inline std::int32_t read_s32(const attribute& a) noexcept { return static_cast<std::int32_t>(load_u32(a.payload.data())); }

}  // namespace netkit::netlink
