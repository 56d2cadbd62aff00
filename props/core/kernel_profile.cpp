// Tests of include/netkit/core/kernel_profile.hpp against the profile table of
// the spec README §4: each test is one row of the table, across profiles.
#include <netkit/core/kernel_profile.hpp>

#include <gtest/gtest.h>

namespace {

using namespace netkit::core;
namespace p = netkit::core::profiles;

TEST(kernel_profile, newest_is_the_default_and_names_round_trip) {
    EXPECT_EQ(traits_of(profile_id::newest), p::newest::traits);
    for (const auto& t : all_profiles) {
        EXPECT_EQ(profile_from_name(t.name), t.id);
        EXPECT_EQ(traits_of(t.id), t);
    }
    EXPECT_FALSE(profile_from_name("linux-6.1").has_value());
}

TEST(kernel_profile, row_1_mac_setting_is_refused_only_by_orig_2023) {
    EXPECT_EQ(p::orig_2023::traits.mac, mac_setting::refused_always);
    EXPECT_EQ(p::intermediate::traits.mac, mac_setting::l2_only);
    EXPECT_EQ(p::newest::traits.mac, mac_setting::l2_only);
}

TEST(kernel_profile, row_2_mode_out_of_range_is_erange_from_v7_on) {
    EXPECT_EQ(p::orig_2023::traits.mode_check, mode_range_check::driver_einval);
    EXPECT_EQ(p::intermediate::traits.mode_check, mode_range_check::driver_einval);
    EXPECT_EQ(p::v7_jan2026::traits.mode_check, mode_range_check::policy_erange);
    EXPECT_EQ(p::newest::traits.mode_check, mode_range_check::policy_erange);
}

TEST(kernel_profile, rows_3_and_4_scrub_attributes_and_single_mode) {
    EXPECT_FALSE(p::orig_2023::traits.scrub_and_room_attributes);
    EXPECT_TRUE(p::intermediate::traits.scrub_and_room_attributes);
    EXPECT_EQ(p::intermediate::traits.single, single_mode::absent);
    EXPECT_EQ(p::v7_jan2026::traits.single, single_mode::scrub_allowed);
    EXPECT_EQ(p::linux_7_1_0::traits.single, single_mode::scrub_refused);
    EXPECT_EQ(p::newest::traits.single, single_mode::scrub_refused);
}

TEST(kernel_profile, rows_5_to_9_device_differences) {
    EXPECT_EQ(p::orig_2023::traits.rx_queues, rx_queue_model::unlimited_all_real);
    EXPECT_EQ(p::newest::traits.rx_queues, rx_queue_model::limited_one_real);
    EXPECT_EQ(p::v7_jan2026::traits.xsk_features, xsk_features_on::every_device);
    EXPECT_EQ(p::linux_7_1_0::traits.xsk_features, xsk_features_on::single_devices);
    EXPECT_EQ(p::v7_jan2026::traits.xdp_setup, netkit_xdp_setup::not_permitted);
    EXPECT_EQ(p::newest::traits.xdp_setup, netkit_xdp_setup::not_supported);
    EXPECT_FALSE(p::v7_jan2026::traits.dellink_skips_queued_peer);
    EXPECT_TRUE(p::linux_7_1_0::traits.dellink_skips_queued_peer);
}

TEST(kernel_profile, rows_10_to_17_leasing_differences_between_v7_and_7_1) {
    EXPECT_EQ(p::v7_jan2026::traits.netns_id, lease_netns_id::refused);
    EXPECT_EQ(p::newest::traits.netns_id, lease_netns_id::accepted);
    EXPECT_TRUE(p::v7_jan2026::traits.same_ifindex_check);
    EXPECT_FALSE(p::newest::traits.same_ifindex_check);
    EXPECT_EQ(p::v7_jan2026::traits.create_failure, queue_create_failure_message::core_message);
    EXPECT_TRUE(p::v7_jan2026::traits.carrier_toggle_on_queue_create);
    EXPECT_FALSE(p::newest::traits.carrier_toggle_on_queue_create);
    EXPECT_EQ(p::v7_jan2026::traits.busy_order, queue_busy_order::leased_first);
    EXPECT_EQ(p::linux_7_1_0::traits.busy_order, queue_busy_order::xsk_first);
    EXPECT_EQ(p::v7_jan2026::traits.leased_provider, leased_provider_message::peered);
    EXPECT_EQ(p::v7_jan2026::traits.virtual_provider, virtual_provider_check::mapped_to_virtual);
    EXPECT_EQ(p::v7_jan2026::traits.virtual_queue_get, virtual_queue_report::own_attributes_only);
    EXPECT_EQ(p::newest::traits.virtual_queue_get, virtual_queue_report::physical_provider_and_xsk);
}

TEST(kernel_profile, row_18_only_linux_7_1_0_uninstalls_the_provider_before_the_restart) {
    // CVE-2026-74285: the one difference between linux-7.1.0 and newest.
    EXPECT_EQ(p::linux_7_1_0::traits.unlease_cleanup, unlease_provider_cleanup::uninstall_then_restart);
    EXPECT_EQ(p::newest::traits.unlease_cleanup, unlease_provider_cleanup::restart_then_uninstall);
    EXPECT_EQ(p::v7_jan2026::traits.unlease_cleanup, unlease_provider_cleanup::none);
    profile_traits patched = p::linux_7_1_0::traits;
    patched.unlease_cleanup = p::newest::traits.unlease_cleanup;
    patched.id = profile_id::newest;
    patched.name = "newest";
    EXPECT_EQ(patched, p::newest::traits);
}

TEST(kernel_profile, row_19_ethtool_busy_scan) {
    EXPECT_EQ(p::v7_jan2026::traits.busy_scan, ethtool_busy_scan::one_range);
    EXPECT_EQ(p::newest::traits.busy_scan, ethtool_busy_scan::per_direction);
}

TEST(kernel_profile, leasing_exists_only_in_the_profiles_that_have_it) {
    EXPECT_FALSE(p::orig_2023::traits.leasing);
    EXPECT_FALSE(p::intermediate::traits.leasing);
    EXPECT_TRUE(p::v7_jan2026::traits.leasing);
    EXPECT_TRUE(p::linux_7_1_0::traits.leasing);
    EXPECT_TRUE(p::newest::traits.leasing);
}

}  // namespace
