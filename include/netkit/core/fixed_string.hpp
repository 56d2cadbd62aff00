// A string literal usable as a template argument, so that fsm rows can carry
// their extack message and rule ID in their type (core/fsm.hpp).
#pragma once

#include <cstddef>
#include <string_view>

namespace netkit::core {

template <std::size_t Size>
struct fixed_string {
    char text[Size]{};

    // Implicit on purpose: `refuse<..., "Device queue in use by AF_XDP">`.
    constexpr fixed_string(const char (&literal)[Size]) noexcept {  // NOLINT(google-explicit-constructor)
        for (std::size_t i = 0; i < Size; ++i) {
            text[i] = literal[i];
        }
    }

    constexpr std::string_view view() const noexcept { return {text, Size - 1}; }
    constexpr std::size_t size() const noexcept { return Size - 1; }
};

}  // namespace netkit::core
