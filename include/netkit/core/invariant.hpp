// Broken internal invariants are bugs, not errors (house style): they stop the
// program loudly, naming the invariant and where it broke, under every build
// type. Operations a caller may legitimately get refused return core::result.
//
// std::source_location is not usable with clang 14 on libstdc++ 12, so the
// call site comes from the __builtin_FILE/__builtin_LINE default arguments
// both compilers support.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace netkit::core {

[[noreturn]] inline void invariant_failure(const char* what, const char* file = __builtin_FILE(),
                                           unsigned line = __builtin_LINE()) noexcept {
    std::fprintf(stderr, "netkit: internal invariant broken: %s\n  at %s:%u\n", what, file, line);
    std::abort();
}

constexpr void expects(bool condition, const char* what, const char* file = __builtin_FILE(),
                       unsigned line = __builtin_LINE()) noexcept {
    if (!condition) {
        invariant_failure(what, file, line);
    }
}

}  // namespace netkit::core
