// Build-wide configuration and the library's only macros.
//
// NETKIT_ENUM declares a scoped enumeration whose enumerators are numbered
// from zero and, next to it, a constexpr `netkit_enum_names(E)` found by
// argument-dependent lookup. The fsm engine, printers, generators and the
// Graphviz writer read names and counts from there, so a state or event is
// spelled once. Enumerations with kernel-given values (errno codes, uapi
// constants) are written by hand with their own name tables instead.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace netkit::core::detail {

// Counts the comma-separated names in the stringized enumerator list.
consteval std::size_t count_enum_names(std::string_view list) {
    std::size_t count = list.empty() ? 0 : 1;
    for (char c : list) {
        if (c == ',') {
            ++count;
        }
    }
    return count;
}

constexpr bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Splits "a, b ,c" into {"a", "b", "c"}; explicit values ("a = 2") are not
// allowed by NETKIT_ENUM because the names must index the table directly.
template <std::size_t Count>
consteval std::array<std::string_view, Count> split_enum_names(std::string_view list) {
    std::array<std::string_view, Count> names{};
    std::size_t index = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= list.size(); ++i) {
        if (i == list.size() || list[i] == ',') {
            std::size_t first = start;
            std::size_t last = i;
            while (first < last && is_blank(list[first])) {
                ++first;
            }
            while (last > first && is_blank(list[last - 1])) {
                --last;
            }
            names[index++] = list.substr(first, last - first);
            start = i + 1;
        }
    }
    return names;
}

}  // namespace netkit::core::detail

// Declares `enum class Name : Underlying { ... }` plus its name table.
#define NETKIT_ENUM(Name, Underlying, ...)                                                   \
    enum class Name : Underlying { __VA_ARGS__ };                                            \
    [[maybe_unused]] constexpr auto netkit_enum_names(Name) noexcept {                       \
        return ::netkit::core::detail::split_enum_names<                                     \
            ::netkit::core::detail::count_enum_names(#__VA_ARGS__)>(#__VA_ARGS__);           \
    }
