// The outcome of an operation the kernel may refuse: a value, or the errno,
// extack message and offending attribute the kernel would report
// (netlink.md NL-EXT-01: the programmatic API always carries the extack).
//
// Attributes are named by their path of attribute ids from the top of the
// request (e.g. IFLA_LINKINFO / IFLA_INFO_DATA / IFLA_NETKIT_MODE); the
// netlink front end turns a path into the byte offset NLMSGERR_ATTR_OFFS
// carries, so the typed model never needs to know about bytes.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/invariant.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace netkit::core {

// Attribute ids from the request's top level down; at most `capacity` deep
// (the deepest nest the spec names is four levels).
class attribute_path {
  public:
    static constexpr std::size_t capacity = 6;

    constexpr attribute_path() noexcept = default;
    constexpr attribute_path(std::initializer_list<std::uint16_t> ids) noexcept {
        for (std::uint16_t id : ids) {
            push(id);
        }
    }

    constexpr void push(std::uint16_t id) noexcept {
        expects(depth_ < capacity, "attribute_path: nested deeper than capacity");
        ids_[depth_++] = id;
    }

    constexpr std::size_t depth() const noexcept { return depth_; }
    constexpr bool empty() const noexcept { return depth_ == 0; }
    constexpr std::uint16_t operator[](std::size_t level) const noexcept { return ids_[level]; }
    constexpr std::uint16_t leaf() const noexcept { return depth_ == 0 ? 0 : ids_[depth_ - 1]; }

    // The enclosing nest, i.e. the path without its last id.
    constexpr attribute_path parent() const noexcept {
        attribute_path out = *this;
        if (out.depth_ > 0) {
            out.ids_[--out.depth_] = 0;
        }
        return out;
    }

    friend constexpr bool operator==(const attribute_path&, const attribute_path&) noexcept = default;

  private:
    std::array<std::uint16_t, capacity> ids_{};
    std::size_t depth_ = 0;
};

// A required attribute that is absent (NLMSGERR_ATTR_MISS_TYPE / MISS_NEST).
struct missing_attribute {
    std::uint16_t type = 0;
    attribute_path nest;  // empty: missing at the top level

    friend bool operator==(const missing_attribute&, const missing_attribute&) = default;
};

// What the kernel reports with a refusal.
struct error {
    errno_code code = errno_code::invalid;
    std::string message;                          // extack text; may be empty
    std::optional<attribute_path> bad_attribute;  // NLMSGERR_ATTR_OFFS
    std::optional<missing_attribute> missing;     // NLMSGERR_ATTR_MISS_*
    // The kernel had already applied part of the request when it failed
    // (e.g. device.md NK-CHG-06); the caller's state reflects that part.
    bool partly_applied = false;

    friend bool operator==(const error&, const error&) = default;

    error&& at(attribute_path path) && {
        bad_attribute = path;
        return std::move(*this);
    }
    error&& missing_at(std::uint16_t type, attribute_path nest = {}) && {
        missing = missing_attribute{type, nest};
        return std::move(*this);
    }
    error&& after_partial_change() && {
        partly_applied = true;
        return std::move(*this);
    }
};

inline error fail(errno_code code, std::string_view message = {}) {
    return error{code, std::string(message), std::nullopt, std::nullopt, false};
}

// "EBUSY (16): Device queue in use by AF_XDP"
inline std::string to_string(const error& e) {
    std::string out(kernel_name(e.code));
    out += " (";
    out += std::to_string(value(e.code));
    out += ")";
    if (!e.message.empty()) {
        out += ": ";
        out += e.message;
    }
    auto append_path = [&out](const attribute_path& path) {
        for (std::size_t i = 0; i < path.depth(); ++i) {
            out += i == 0 ? "" : "/";
            out += std::to_string(path[i]);
        }
    };
    if (e.bad_attribute) {
        out += " [attribute ";
        append_path(*e.bad_attribute);
        out += "]";
    }
    if (e.missing) {
        out += " [missing attribute ";
        out += std::to_string(e.missing->type);
        if (!e.missing->nest.empty()) {
            out += " in ";
            append_path(e.missing->nest);
        }
        out += "]";
    }
    if (e.partly_applied) {
        out += " (partly applied)";
    }
    return out;
}

// A value of T or an error. Reading the wrong side is a bug and aborts.
template <class T>
class [[nodiscard]] result {
  public:
    using value_type = T;

    result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
    result(error failure) : state_(std::in_place_index<1>, std::move(failure)) {}  // NOLINT

    bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & {
        expects(ok(), "result::value() on an error");
        return std::get<0>(state_);
    }
    const T& value() const& {
        expects(ok(), "result::value() on an error");
        return std::get<0>(state_);
    }
    T&& value() && {
        expects(ok(), "result::value() on an error");
        return std::get<0>(std::move(state_));
    }
    const error& failure() const& {
        expects(!ok(), "result::failure() on a success");
        return std::get<1>(state_);
    }
    // The errno, or nullopt on success.
    std::optional<errno_code> code() const noexcept {
        return ok() ? std::nullopt : std::optional<errno_code>{std::get<1>(state_).code};
    }
    // The value a syscall would return: 0 on success, the negative errno otherwise.
    std::int32_t syscall_value() const noexcept { return ok() ? 0 : negative(std::get<1>(state_).code); }

    friend bool operator==(const result&, const result&) = default;

  private:
    std::variant<T, error> state_;
};

// Success carries nothing.
struct done {
    friend constexpr bool operator==(done, done) noexcept { return true; }
};

using status = result<done>;

inline status ok() { return done{}; }

}  // namespace netkit::core
