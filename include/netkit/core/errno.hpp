// Kernel error numbers the model returns (spec README §3.4).
//
// The kernel reports failures as a negative errno; the model keeps the
// positive code in `errno_code` and converts at the wire (`negative()`).
// Names are translated (EOPNOTSUPP is `not_supported`); `kernel_name` gives
// the uapi spelling and `description` the text strerror(3) prints on Linux,
// which is what `ip` and ynl show to a user.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace netkit::core {

enum class errno_code : int {
    not_permitted = 1,                // EPERM
    no_entry = 2,                     // ENOENT
    no_such_process = 3,              // ESRCH
    no_such_device_or_address = 6,    // ENXIO
    bad_descriptor = 9,               // EBADF
    out_of_memory = 12,               // ENOMEM
    access_denied = 13,               // EACCES
    busy = 16,                        // EBUSY
    exists = 17,                      // EEXIST
    no_device = 19,                   // ENODEV
    invalid = 22,                     // EINVAL
    no_space = 28,                    // ENOSPC
    out_of_range = 34,                // ERANGE
    no_data = 61,                     // ENODATA
    no_network = 64,                  // ENONET
    link_severed = 67,                // ENOLINK
    message_too_long = 90,            // EMSGSIZE
    not_supported = 95,               // EOPNOTSUPP
    address_unavailable = 99,         // EADDRNOTAVAIL
    network_down = 100,               // ENETDOWN
    not_connected = 107,              // ENOTCONN
    stale = 116,                      // ESTALE
};

struct errno_info {
    errno_code code;
    std::string_view kernel_name;
    std::string_view description;
};

inline constexpr std::array<errno_info, 22> errno_table{{
    {errno_code::not_permitted, "EPERM", "Operation not permitted"},
    {errno_code::no_entry, "ENOENT", "No such file or directory"},
    {errno_code::no_such_process, "ESRCH", "No such process"},
    {errno_code::no_such_device_or_address, "ENXIO", "No such device or address"},
    {errno_code::bad_descriptor, "EBADF", "Bad file descriptor"},
    {errno_code::out_of_memory, "ENOMEM", "Cannot allocate memory"},
    {errno_code::access_denied, "EACCES", "Permission denied"},
    {errno_code::busy, "EBUSY", "Device or resource busy"},
    {errno_code::exists, "EEXIST", "File exists"},
    {errno_code::no_device, "ENODEV", "No such device"},
    {errno_code::invalid, "EINVAL", "Invalid argument"},
    {errno_code::no_space, "ENOSPC", "No space left on device"},
    {errno_code::out_of_range, "ERANGE", "Numerical result out of range"},
    {errno_code::no_data, "ENODATA", "No data available"},
    {errno_code::no_network, "ENONET", "Machine is not on the network"},
    {errno_code::link_severed, "ENOLINK", "Link has been severed"},
    {errno_code::message_too_long, "EMSGSIZE", "Message too long"},
    {errno_code::not_supported, "EOPNOTSUPP", "Operation not supported"},
    {errno_code::address_unavailable, "EADDRNOTAVAIL", "Cannot assign requested address"},
    {errno_code::network_down, "ENETDOWN", "Network is down"},
    {errno_code::not_connected, "ENOTCONN", "Transport endpoint is not connected"},
    {errno_code::stale, "ESTALE", "Stale file handle"},
}};

constexpr int value(errno_code code) noexcept { return static_cast<int>(code); }

// The value a syscall or an NLMSG_ERROR carries.
constexpr std::int32_t negative(errno_code code) noexcept { return -static_cast<std::int32_t>(code); }

constexpr const errno_info* find_errno(errno_code code) noexcept {
    for (const auto& info : errno_table) {
        if (info.code == code) {
            return &info;
        }
    }
    return nullptr;
}

constexpr std::string_view kernel_name(errno_code code) noexcept {
    const auto* info = find_errno(code);
    return info != nullptr ? info->kernel_name : std::string_view{"E?"};
}

constexpr std::string_view description(errno_code code) noexcept {
    const auto* info = find_errno(code);
    return info != nullptr ? info->description : std::string_view{"Unknown error"};
}

// Accepts a positive or negative number, as found on the wire or in a test.
constexpr std::optional<errno_code> errno_from_value(int number) noexcept {
    if (number < -4095 || number > 4095) {  // the kernel's errno range; also keeps -INT_MIN out
        return std::nullopt;
    }
    const int positive = number < 0 ? -number : number;
    for (const auto& info : errno_table) {
        if (value(info.code) == positive) {
            return info.code;
        }
    }
    return std::nullopt;
}

constexpr std::optional<errno_code> errno_from_name(std::string_view name) noexcept {
    for (const auto& info : errno_table) {
        if (info.kernel_name == name) {
            return info.code;
        }
    }
    return std::nullopt;
}

}  // namespace netkit::core
