// Reflection over enumerations declared with NETKIT_ENUM (core/config.hpp):
// the number of enumerators, their names, and conversions to and from an
// index. The fsm engine sizes its dispatch table with enum_count, and every
// printer in the library shows states and events with enum_name.
#pragma once

#include <netkit/core/config.hpp>

#include <concepts>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

namespace netkit::core {

// An enumeration that carries a NETKIT_ENUM name table.
template <class E>
concept reflected_enum = std::is_enum_v<E> && requires(E e) {
    { netkit_enum_names(e) };
};

template <reflected_enum E>
inline constexpr auto enum_names_of = netkit_enum_names(E{});

template <reflected_enum E>
inline constexpr std::size_t enum_count = enum_names_of<E>.size();

template <reflected_enum E>
constexpr std::size_t enum_index(E e) noexcept {
    return static_cast<std::size_t>(static_cast<std::underlying_type_t<E>>(e));
}

template <reflected_enum E>
constexpr bool enum_in_range(E e) noexcept {
    return enum_index(e) < enum_count<E>;
}

template <reflected_enum E>
constexpr E enum_from_index(std::size_t index) noexcept {
    return static_cast<E>(static_cast<std::underlying_type_t<E>>(index));
}

// "?" for a value outside the declared enumerators (a cast from a wild integer).
template <reflected_enum E>
constexpr std::string_view enum_name(E e) noexcept {
    return enum_in_range(e) ? enum_names_of<E>[enum_index(e)] : std::string_view{"?"};
}

template <reflected_enum E>
constexpr std::optional<E> enum_from_name(std::string_view name) noexcept {
    for (std::size_t i = 0; i < enum_count<E>; ++i) {
        if (enum_names_of<E>[i] == name) {
            return enum_from_index<E>(i);
        }
    }
    return std::nullopt;
}

}  // namespace netkit::core
