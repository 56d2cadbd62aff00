// Kernel profiles: the version differences of spec README §4, one field per
// row of its table, chosen once when a world is built.
//
// A profile is a policy type (`profiles::newest`, `profiles::linux_7_1_0`, …)
// whose `traits` value the model reads; the world stores the traits by value
// so that a profile chosen at run time (a command-line flag) and one chosen
// at compile time (a typed façade) reach the same code. Behaviour never
// branches on a version number, only on the named difference.
#pragma once

#include <netkit/core/config.hpp>
#include <netkit/core/enum.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace netkit::core {

NETKIT_ENUM(profile_id, std::uint8_t, orig_2023, intermediate, v7_jan2026, linux_7_1_0, newest)

// Row 1: IFLA_ADDRESS at creation and MAC changes.
NETKIT_ENUM(mac_setting, std::uint8_t, refused_always, l2_only)
// Row 2: IFLA_NETKIT_MODE above NETKIT_L3.
NETKIT_ENUM(mode_range_check, std::uint8_t, driver_einval, policy_erange)
// Row 4: single mode.
NETKIT_ENUM(single_mode, std::uint8_t, absent, scrub_allowed, scrub_refused)
// Row 5: RX queues at creation.
NETKIT_ENUM(rx_queue_model, std::uint8_t, unlimited_all_real, limited_one_real)
// Row 6: which netkit devices advertise the AF_XDP feature set.
NETKIT_ENUM(xsk_features_on, std::uint8_t, none, every_device, single_devices)
// Row 7: netkit ndo_bpf XDP_SETUP_PROG.
NETKIT_ENUM(netkit_xdp_setup, std::uint8_t, no_ndo_bpf, not_permitted, not_supported)
// Row 10: queue-create lease netns-id.
NETKIT_ENUM(lease_netns_id, std::uint8_t, absent, refused, accepted)
// Row 12: queue-create hook failure extack.
NETKIT_ENUM(queue_create_failure_message, std::uint8_t, core_message, driver_messages)
// Row 14: queue_busy check order and the message for a leased queue.
NETKIT_ENUM(queue_busy_order, std::uint8_t, leased_first, xsk_first)
// Row 15: provider open on a leased physical queue.
NETKIT_ENUM(leased_provider_message, std::uint8_t, peered, leased)
// Row 16: provider open on an unleased virtual queue.
NETKIT_ENUM(virtual_provider_check, std::uint8_t, mapped_to_virtual, generic_then_driver)
// Row 17: queue-get on a leased virtual queue.
NETKIT_ENUM(virtual_queue_report, std::uint8_t, own_attributes_only, physical_provider_and_xsk)
// Row 18: provider cleanup on unlease (CVE-2026-74285).
NETKIT_ENUM(unlease_provider_cleanup, std::uint8_t, none, uninstall_then_restart, restart_then_uninstall)
// Row 19: ethtool busy-queue scan.
NETKIT_ENUM(ethtool_busy_scan, std::uint8_t, one_range, per_direction)

struct profile_traits {
    profile_id id;
    std::string_view name;                          // as a user writes it: "linux-7.1.0"
    bool leasing;                                   // queue-create, AF_XDP through netkit (§4 last paragraph)
    mac_setting mac;                                // row 1
    mode_range_check mode_check;                    // row 2
    bool scrub_and_room_attributes;                 // row 3
    single_mode single;                             // row 4
    rx_queue_model rx_queues;                       // row 5
    xsk_features_on xsk_features;                   // row 6
    netkit_xdp_setup xdp_setup;                     // row 7
    bool dellink_skips_queued_peer;                 // row 8
    bool extra_ipvs_reset;                          // row 9 (never observable)
    lease_netns_id netns_id;                        // row 10
    bool same_ifindex_check;                        // row 11
    queue_create_failure_message create_failure;    // row 12
    bool carrier_toggle_on_queue_create;            // row 13
    queue_busy_order busy_order;                    // row 14
    leased_provider_message leased_provider;        // row 15
    virtual_provider_check virtual_provider;        // row 16
    virtual_queue_report virtual_queue_get;         // row 17
    unlease_provider_cleanup unlease_cleanup;       // row 18
    ethtool_busy_scan busy_scan;                    // row 19

    friend constexpr bool operator==(const profile_traits&, const profile_traits&) = default;
};

namespace profiles {

// Linux 7.1 ≥ 7.1.5: the default.
struct newest {
    static constexpr profile_traits traits{
        profile_id::newest, "newest", true, mac_setting::l2_only, mode_range_check::policy_erange, true,
        single_mode::scrub_refused, rx_queue_model::limited_one_real, xsk_features_on::single_devices,
        netkit_xdp_setup::not_supported, true, false, lease_netns_id::accepted, false,
        queue_create_failure_message::driver_messages, false, queue_busy_order::xsk_first,
        leased_provider_message::leased, virtual_provider_check::generic_then_driver,
        virtual_queue_report::physical_provider_and_xsk, unlease_provider_cleanup::restart_then_uninstall,
        ethtool_busy_scan::per_direction};
};

// Linux 7.1.0 … 7.1.4: the provider is uninstalled before the leased
// physical queue is stopped (CVE-2026-74285); row 4 single mode as newest
// (unconfirmed per the spec) and row 19 per direction (unconfirmed).
struct linux_7_1_0 {
    static constexpr profile_traits traits = [] {
        profile_traits t = newest::traits;
        t.id = profile_id::linux_7_1_0;
        t.name = "linux-7.1.0";
        t.unlease_cleanup = unlease_provider_cleanup::uninstall_then_restart;
        return t;
    }();
};

// The v7 series merged into net-next on 20 Jan 2026 and reverted that day.
struct v7_jan2026 {
    static constexpr profile_traits traits{
        profile_id::v7_jan2026, "v7-jan2026", true, mac_setting::l2_only, mode_range_check::policy_erange, true,
        single_mode::scrub_allowed, rx_queue_model::limited_one_real, xsk_features_on::every_device,
        netkit_xdp_setup::not_permitted, false, false, lease_netns_id::refused, true,
        queue_create_failure_message::core_message, true, queue_busy_order::leased_first,
        leased_provider_message::peered, virtual_provider_check::mapped_to_virtual,
        virtual_queue_report::own_attributes_only, unlease_provider_cleanup::none, ethtool_busy_scan::one_range};
};

// netkit as introduced in 2023: no single mode, no leasing.
struct orig_2023 {
    static constexpr profile_traits traits{
        profile_id::orig_2023, "orig-2023", false, mac_setting::refused_always, mode_range_check::driver_einval,
        false, single_mode::absent, rx_queue_model::unlimited_all_real, xsk_features_on::none,
        netkit_xdp_setup::no_ndo_bpf, false, false, lease_netns_id::absent, false,
        queue_create_failure_message::driver_messages, false, queue_busy_order::xsk_first,
        leased_provider_message::leased, virtual_provider_check::generic_then_driver,
        virtual_queue_report::physical_provider_and_xsk, unlease_provider_cleanup::restart_then_uninstall,
        ethtool_busy_scan::per_direction};
};

// Released kernels between 2023 and the single-mode series.
struct intermediate {
    static constexpr profile_traits traits = [] {
        profile_traits t = orig_2023::traits;
        t.id = profile_id::intermediate;
        t.name = "intermediate";
        t.mac = mac_setting::l2_only;
        t.scrub_and_room_attributes = true;
        t.extra_ipvs_reset = true;
        return t;
    }();
};

}  // namespace profiles

template <class Profile>
concept kernel_profile = requires {
    { Profile::traits } -> std::convertible_to<const profile_traits&>;
};

inline constexpr std::array<profile_traits, 5> all_profiles{
    profiles::orig_2023::traits, profiles::intermediate::traits, profiles::v7_jan2026::traits,
    profiles::linux_7_1_0::traits, profiles::newest::traits};

constexpr const profile_traits& traits_of(profile_id id) noexcept {
    return all_profiles[enum_index(id) < all_profiles.size() ? enum_index(id) : all_profiles.size() - 1];
}

// Accepts the spec's spelling ("linux-7.1.0", "v7-jan2026", …).
constexpr std::optional<profile_id> profile_from_name(std::string_view name) noexcept {
    for (const auto& t : all_profiles) {
        if (t.name == name) {
            return t.id;
        }
    }
    return std::nullopt;
}

}  // namespace netkit::core
