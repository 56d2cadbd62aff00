// Tests include/netkit/uapi/{netkit,bpf,netdev,netlink}.hpp: every number
// the spec states, reached through the translated names, and the kernel
// names `name()` gives printers. Whether the numbers also equal the system
// headers is the static suite's job (props/static/uapi_system_headers.cpp).
#include <netkit/uapi/bpf.hpp>
#include <netkit/uapi/netdev.hpp>
#include <netkit/uapi/netkit.hpp>
#include <netkit/uapi/netlink.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string_view>
#include <type_traits>

namespace {

using namespace netkit::uapi;

// Wide enough for every underlying type, and prints as a number for u8 enums.
template <class E>
constexpr std::int64_t raw(E value) noexcept {
    return static_cast<std::int64_t>(static_cast<std::underlying_type_t<E>>(value));
}

template <class E>
struct kernel_name_of {
    E value;
    std::string_view kernel_name;
};

// Every enumerator prints as its kernel name, no two enumerators share a
// name, and looking the name up again yields the enumerator it came from.
template <class E>
void expect_names_round_trip(std::initializer_list<kernel_name_of<E>> table) {
    std::set<std::string_view> seen;
    for (const auto& entry : table) {
        const std::string_view printed = name(entry.value);
        EXPECT_EQ(printed, entry.kernel_name) << "value " << raw(entry.value);
        EXPECT_NE(printed, "unknown");
        EXPECT_TRUE(seen.insert(printed).second) << "duplicate name " << printed;
        int matches = 0;
        for (const auto& other : table) {
            if (name(other.value) == printed) {
                ++matches;
                EXPECT_EQ(raw(other.value), raw(entry.value)) << printed;
            }
        }
        EXPECT_EQ(matches, 1) << printed;
    }
}

// ===========================================================================
// netkit.hpp

// NK-UAPI-01
TEST(uapi_netkit, action_values_match_the_tcx_and_tc_action_values) {
    EXPECT_EQ(raw(action::next), -1);      // TCX_NEXT, TC_ACT_UNSPEC
    EXPECT_EQ(raw(action::pass), 0);       // TCX_PASS, TC_ACT_OK
    EXPECT_EQ(raw(action::drop), 2);       // TCX_DROP, TC_ACT_SHOT
    EXPECT_EQ(raw(action::redirect), 7);   // TCX_REDIRECT, TC_ACT_REDIRECT
    EXPECT_TRUE(std::is_signed_v<std::underlying_type_t<action>>);
    EXPECT_EQ(sizeof(action), 4U);
}

// NK-UAPI-01
TEST(uapi_netkit, a_device_policy_defaults_to_pass) {
    EXPECT_EQ(default_policy, action::pass);
}

// NK-UAPI-02
TEST(uapi_netkit, mode_values_are_l2_0_and_l3_1_with_l3_the_default) {
    EXPECT_EQ(raw(mode::l2), 0);
    EXPECT_EQ(raw(mode::l3), 1);
    EXPECT_EQ(default_mode, mode::l3);
}

// NK-UAPI-03
TEST(uapi_netkit, pairing_values_are_pair_0_and_single_1_with_pair_the_default) {
    EXPECT_EQ(raw(pairing::pair), 0);
    EXPECT_EQ(raw(pairing::single), 1);
    EXPECT_EQ(default_pairing, pairing::pair);
}

// NK-UAPI-04
TEST(uapi_netkit, scrub_values_are_none_0_and_default_1_with_default_the_default) {
    EXPECT_EQ(raw(scrub::none), 0);
    EXPECT_EQ(raw(scrub::standard), 1);
    EXPECT_EQ(default_scrub, scrub::standard);
    EXPECT_EQ(name(default_scrub), "NETKIT_SCRUB_DEFAULT");
}

// NK-UAPI-05
TEST(uapi_netkit, ifla_netkit_attribute_ids_run_from_unspec_0_to_pairing_10) {
    EXPECT_EQ(raw(netkit_attr::unspec), 0);
    EXPECT_EQ(raw(netkit_attr::peer_info), 1);
    EXPECT_EQ(raw(netkit_attr::primary), 2);
    EXPECT_EQ(raw(netkit_attr::policy), 3);
    EXPECT_EQ(raw(netkit_attr::peer_policy), 4);
    EXPECT_EQ(raw(netkit_attr::mode), 5);
    EXPECT_EQ(raw(netkit_attr::scrub), 6);
    EXPECT_EQ(raw(netkit_attr::peer_scrub), 7);
    EXPECT_EQ(raw(netkit_attr::headroom), 8);
    EXPECT_EQ(raw(netkit_attr::tailroom), 9);
    EXPECT_EQ(raw(netkit_attr::pairing), 10);
}

// NK-UAPI-05
TEST(uapi_netkit, ifla_netkit_max_is_10_so_the_array_size_is_11) {
    EXPECT_EQ(raw(netkit_attr_max), 10);
    EXPECT_EQ(raw(netkit_attr_max) + 1, 11);  // __IFLA_NETKIT_MAX
}

// NK-UAPI-06
TEST(uapi_netkit, peer_info_must_hold_at_least_an_ifinfomsg) {
    EXPECT_EQ(peer_info_min_length, 16U);
    EXPECT_EQ(peer_info_min_length, interface_info_message_size);
}

// NK-UAPI-07
TEST(uapi_netkit, kind_driver_alias_and_name_template) {
    EXPECT_EQ(link_kind, "netkit");
    EXPECT_EQ(driver_name, "netkit");
    EXPECT_EQ(module_alias, "rtnl-link-netkit");
    EXPECT_EQ(default_name_template, "nk%d");
}

// NK-UAPI-08
TEST(uapi_netkit, one_tx_queue_at_most_1024_rx_queues_and_one_real_queue_each_at_start) {
    EXPECT_EQ(max_tx_queues, 1U);
    EXPECT_EQ(max_rx_queues, 1024U);
    EXPECT_EQ(initial_real_tx_queues, 1U);
    EXPECT_EQ(initial_real_rx_queues, 1U);
}

// NK-UAPI-09
TEST(uapi_netkit, ethernet_and_mtu_sizes) {
    EXPECT_EQ(ethernet_header_size, 14U);
    EXPECT_EQ(ethernet_address_size, 6U);
    EXPECT_EQ(default_mtu, 1500U);
    EXPECT_EQ(min_mtu, 68U);
    EXPECT_EQ(max_mtu, 65535U);
    EXPECT_EQ(gso_max_size, 65536U);
    EXPECT_EQ(skb_headroom_pad, 64U);
}

// NK-UAPI-10
TEST(uapi_netkit, xdp_feature_bits) {
    EXPECT_EQ(raw(xdp_feature::basic), 1);
    EXPECT_EQ(raw(xdp_feature::redirect), 2);
    EXPECT_EQ(raw(xdp_feature::redirect_target), 4);
    EXPECT_EQ(raw(xdp_feature::af_xdp_zero_copy), 8);
    EXPECT_EQ(raw(xdp_feature::hardware_offload), 16);
}

// NK-UAPI-10
TEST(uapi_netkit, single_devices_advertise_basic_redirect_and_zero_copy_11_and_pairs_nothing) {
    EXPECT_EQ(raw(af_xdp_feature_set), 11);
    EXPECT_EQ(single_device_xdp_features, af_xdp_feature_set);
    EXPECT_EQ(raw(pair_device_xdp_features), 0);
    EXPECT_TRUE(contains(single_device_xdp_features, xdp_feature::basic));
    EXPECT_TRUE(contains(single_device_xdp_features, xdp_feature::redirect));
    EXPECT_TRUE(contains(single_device_xdp_features, xdp_feature::af_xdp_zero_copy));
    EXPECT_FALSE(contains(single_device_xdp_features, xdp_feature::redirect_target));
}

// NK-UAPI-10: the AF_XDP set is what netkit requires of a lessor before it
// forwards pool setup; the software NIC's two presets (17 and 31) straddle it.
TEST(uapi_netkit, softnic_presets_are_17_and_31_and_only_31_holds_the_af_xdp_set) {
    const auto nsim = xdp_feature::basic | xdp_feature::hardware_offload;
    const auto with_xsk =
        nsim | xdp_feature::redirect | xdp_feature::redirect_target | xdp_feature::af_xdp_zero_copy;
    EXPECT_EQ(raw(nsim), 17);
    EXPECT_EQ(raw(with_xsk), 31);
    EXPECT_FALSE(contains(nsim, af_xdp_feature_set));
    EXPECT_TRUE(contains(with_xsk, af_xdp_feature_set));
    EXPECT_EQ(raw(with_xsk & ~xdp_feature::hardware_offload), 15);
}

TEST(uapi_netkit, names_round_trip_to_the_kernel_spelling) {
    expect_names_round_trip<action>({
        {action::next, "NETKIT_NEXT"},
        {action::pass, "NETKIT_PASS"},
        {action::drop, "NETKIT_DROP"},
        {action::redirect, "NETKIT_REDIRECT"},
    });
    expect_names_round_trip<mode>({{mode::l2, "NETKIT_L2"}, {mode::l3, "NETKIT_L3"}});
    expect_names_round_trip<pairing>(
        {{pairing::pair, "NETKIT_DEVICE_PAIR"}, {pairing::single, "NETKIT_DEVICE_SINGLE"}});
    expect_names_round_trip<scrub>(
        {{scrub::none, "NETKIT_SCRUB_NONE"}, {scrub::standard, "NETKIT_SCRUB_DEFAULT"}});
    expect_names_round_trip<netkit_attr>({
        {netkit_attr::unspec, "IFLA_NETKIT_UNSPEC"},
        {netkit_attr::peer_info, "IFLA_NETKIT_PEER_INFO"},
        {netkit_attr::primary, "IFLA_NETKIT_PRIMARY"},
        {netkit_attr::policy, "IFLA_NETKIT_POLICY"},
        {netkit_attr::peer_policy, "IFLA_NETKIT_PEER_POLICY"},
        {netkit_attr::mode, "IFLA_NETKIT_MODE"},
        {netkit_attr::scrub, "IFLA_NETKIT_SCRUB"},
        {netkit_attr::peer_scrub, "IFLA_NETKIT_PEER_SCRUB"},
        {netkit_attr::headroom, "IFLA_NETKIT_HEADROOM"},
        {netkit_attr::tailroom, "IFLA_NETKIT_TAILROOM"},
        {netkit_attr::pairing, "IFLA_NETKIT_PAIRING"},
    });
    expect_names_round_trip<xdp_feature>({
        {xdp_feature::basic, "NETDEV_XDP_ACT_BASIC"},
        {xdp_feature::redirect, "NETDEV_XDP_ACT_REDIRECT"},
        {xdp_feature::redirect_target, "NETDEV_XDP_ACT_NDO_XMIT"},
        {xdp_feature::af_xdp_zero_copy, "NETDEV_XDP_ACT_XSK_ZEROCOPY"},
        {xdp_feature::hardware_offload, "NETDEV_XDP_ACT_HW_OFFLOAD"},
    });
}

// Programs may return any integer, and wire values are unchecked until parsed;
// printers must survive both.
TEST(uapi_netkit, values_outside_an_enum_print_as_unknown) {
    EXPECT_EQ(name(static_cast<action>(1)), "unknown");
    EXPECT_EQ(name(static_cast<action>(-2)), "unknown");
    EXPECT_EQ(name(static_cast<mode>(2)), "unknown");
    EXPECT_EQ(name(static_cast<pairing>(2)), "unknown");
    EXPECT_EQ(name(static_cast<scrub>(2)), "unknown");
    EXPECT_EQ(name(static_cast<netkit_attr>(11)), "unknown");
    EXPECT_EQ(name(af_xdp_feature_set), "unknown");
}

TEST(uapi_netkit, names_are_usable_at_compile_time) {
    static_assert(name(action::redirect) == "NETKIT_REDIRECT");
    static_assert(name(netkit_attr::pairing) == "IFLA_NETKIT_PAIRING");
    static_assert(raw(single_device_xdp_features) == 11);
    SUCCEED();
}

// ===========================================================================
// bpf.hpp

// MP-01
TEST(uapi_bpf, command_numbers) {
    EXPECT_EQ(raw(bpf_command::program_attach), 8);
    EXPECT_EQ(raw(bpf_command::program_detach), 9);
    EXPECT_EQ(raw(bpf_command::program_query), 16);
    EXPECT_EQ(raw(bpf_command::link_create), 28);
    EXPECT_EQ(raw(bpf_command::link_update), 29);
    EXPECT_EQ(raw(bpf_command::link_detach), 34);
}

// MP-01
TEST(uapi_bpf, netkit_attach_types_are_primary_54_and_peer_55) {
    EXPECT_EQ(raw(bpf_attach_type::netkit_primary), 54);
    EXPECT_EQ(raw(bpf_attach_type::netkit_peer), 55);
}

// constants used by behaviour tested with the wire front end (issue 5)
TEST(uapi_bpf, tcx_attach_types_are_ingress_46_and_egress_47) {
    EXPECT_EQ(raw(bpf_attach_type::tcx_ingress), 46);
    EXPECT_EQ(raw(bpf_attach_type::tcx_egress), 47);
}

// MP-01 (netkit); the tcx hook of has links too, reported as the kernel's
// tcx link type.
TEST(uapi_bpf, link_types_are_netkit_13_and_tcx_11) {
    EXPECT_EQ(raw(bpf_link_type::netkit), 13);
    EXPECT_EQ(raw(bpf_link_type::tcx), 11);
}

// MP-01
TEST(uapi_bpf, the_only_accepted_program_type_is_sched_cls_3) {
    EXPECT_EQ(raw(bpf_program_type::traffic_classifier), 3);
}

// MP-01
TEST(uapi_bpf, attach_and_query_flag_values) {
    EXPECT_EQ(raw(bpf_attach_flag::replace), 4);
    EXPECT_EQ(raw(bpf_attach_flag::before), 8);
    EXPECT_EQ(raw(bpf_attach_flag::after), 16);
    EXPECT_EQ(raw(bpf_attach_flag::relative_id), 32);
    EXPECT_EQ(raw(bpf_attach_flag::relative_link), 8192);
    EXPECT_EQ(raw(bpf_query_flag::effective), 1);
}

// MP-02
TEST(uapi_bpf, the_mprog_flag_mask_is_replace_before_after_id_link_8252) {
    EXPECT_EQ(raw(mprog_allowed_attach_flags), 8252);
    for (auto flag : {bpf_attach_flag::replace, bpf_attach_flag::before, bpf_attach_flag::after,
                      bpf_attach_flag::relative_id, bpf_attach_flag::relative_link}) {
        EXPECT_TRUE(contains(mprog_allowed_attach_flags, flag)) << name(flag);
    }
    // BPF_F_ALLOW_MULTI (2) is a cgroup flag: outside the mask, so EINVAL.
    const auto allow_multi = static_cast<bpf_attach_flag>(2);
    EXPECT_NE(raw(allow_multi & ~mprog_allowed_attach_flags), 0);
    const auto before_link = bpf_attach_flag::before | bpf_attach_flag::relative_link;
    EXPECT_EQ(raw(before_link & ~mprog_allowed_attach_flags), 0);
    EXPECT_EQ(name(before_link), "unknown");
}

// MP-04
TEST(uapi_bpf, an_attach_point_holds_63_programs_because_bpf_mprog_max_is_64) {
    EXPECT_EQ(mprog_max, 64U);
    EXPECT_EQ(mprog_capacity, 63U);
}

TEST(uapi_bpf, names_round_trip_to_the_kernel_spelling) {
    expect_names_round_trip<bpf_command>({
        {bpf_command::program_attach, "BPF_PROG_ATTACH"},
        {bpf_command::program_detach, "BPF_PROG_DETACH"},
        {bpf_command::program_query, "BPF_PROG_QUERY"},
        {bpf_command::link_create, "BPF_LINK_CREATE"},
        {bpf_command::link_update, "BPF_LINK_UPDATE"},
        {bpf_command::link_detach, "BPF_LINK_DETACH"},
    });
    expect_names_round_trip<bpf_attach_type>({
        {bpf_attach_type::tcx_ingress, "BPF_TCX_INGRESS"},
        {bpf_attach_type::tcx_egress, "BPF_TCX_EGRESS"},
        {bpf_attach_type::netkit_primary, "BPF_NETKIT_PRIMARY"},
        {bpf_attach_type::netkit_peer, "BPF_NETKIT_PEER"},
    });
    expect_names_round_trip<bpf_link_type>(
        {{bpf_link_type::tcx, "BPF_LINK_TYPE_TCX"}, {bpf_link_type::netkit, "BPF_LINK_TYPE_NETKIT"}});
    expect_names_round_trip<bpf_program_type>(
        {{bpf_program_type::traffic_classifier, "BPF_PROG_TYPE_SCHED_CLS"}});
    expect_names_round_trip<bpf_attach_flag>({
        {bpf_attach_flag::replace, "BPF_F_REPLACE"},
        {bpf_attach_flag::before, "BPF_F_BEFORE"},
        {bpf_attach_flag::after, "BPF_F_AFTER"},
        {bpf_attach_flag::relative_id, "BPF_F_ID"},
        {bpf_attach_flag::relative_link, "BPF_F_LINK"},
    });
    expect_names_round_trip<bpf_query_flag>({{bpf_query_flag::effective, "BPF_F_QUERY_EFFECTIVE"}});
}

TEST(uapi_bpf, values_outside_an_enum_print_as_unknown) {
    EXPECT_EQ(name(static_cast<bpf_command>(0)), "unknown");  // BPF_MAP_CREATE: not modelled
    EXPECT_EQ(name(static_cast<bpf_attach_type>(0)), "unknown");
    EXPECT_EQ(name(static_cast<bpf_link_type>(12)), "unknown");
    EXPECT_EQ(name(static_cast<bpf_program_type>(1)), "unknown");
    EXPECT_EQ(name(static_cast<bpf_query_flag>(2)), "unknown");
}

// ===========================================================================
// netdev.hpp

// QL-UAPI-01, NL-ND-01
TEST(uapi_netdev, family_netdev_version_1_with_groups_mgmt_and_page_pool) {
    EXPECT_EQ(netdev_family_name, "netdev");
    EXPECT_EQ(netdev_family_version, 1);
    EXPECT_EQ(netdev_group_management, "mgmt");
    EXPECT_EQ(netdev_group_page_pool, "page-pool");
    EXPECT_LE(netdev_family_name.size(), genl_family_name_max_length);
}

// QL-UAPI-02
TEST(uapi_netdev, command_ids_run_from_dev_get_1_to_queue_create_16) {
    EXPECT_EQ(raw(netdev_command::device_get), 1);
    EXPECT_EQ(raw(netdev_command::device_add_notification), 2);
    EXPECT_EQ(raw(netdev_command::device_delete_notification), 3);
    EXPECT_EQ(raw(netdev_command::device_change_notification), 4);
    EXPECT_EQ(raw(netdev_command::page_pool_get), 5);
    EXPECT_EQ(raw(netdev_command::page_pool_add_notification), 6);
    EXPECT_EQ(raw(netdev_command::page_pool_delete_notification), 7);
    EXPECT_EQ(raw(netdev_command::page_pool_change_notification), 8);
    EXPECT_EQ(raw(netdev_command::page_pool_stats_get), 9);
    EXPECT_EQ(raw(netdev_command::queue_get), 10);
    EXPECT_EQ(raw(netdev_command::napi_get), 11);
    EXPECT_EQ(raw(netdev_command::queue_stats_get), 12);
    EXPECT_EQ(raw(netdev_command::bind_rx), 13);
    EXPECT_EQ(raw(netdev_command::napi_set), 14);
    EXPECT_EQ(raw(netdev_command::bind_tx), 15);
    EXPECT_EQ(raw(netdev_command::queue_create), 16);
    EXPECT_EQ(netdev_command_max, netdev_command::queue_create);
}

// QL-UAPI-03
TEST(uapi_netdev, queue_types_are_rx_0_and_tx_1) {
    EXPECT_EQ(raw(queue_type::rx), 0);
    EXPECT_EQ(raw(queue_type::tx), 1);
}

// QL-UAPI-04
TEST(uapi_netdev, queue_attribute_ids_run_from_id_1_to_lease_8) {
    EXPECT_EQ(raw(queue_attr::id), 1);
    EXPECT_EQ(raw(queue_attr::ifindex), 2);
    EXPECT_EQ(raw(queue_attr::type), 3);
    EXPECT_EQ(raw(queue_attr::napi_id), 4);
    EXPECT_EQ(raw(queue_attr::dmabuf), 5);
    EXPECT_EQ(raw(queue_attr::io_uring), 6);
    EXPECT_EQ(raw(queue_attr::xsk), 7);
    EXPECT_EQ(raw(queue_attr::lease), 8);
    EXPECT_EQ(raw(queue_attr_max), 8);  // strict parsing: ids above 8 are unknown
}

// QL-UAPI-05
TEST(uapi_netdev, lease_attribute_ids_are_ifindex_1_queue_2_netns_id_3) {
    EXPECT_EQ(raw(lease_attr::ifindex), 1);
    EXPECT_EQ(raw(lease_attr::queue), 2);
    EXPECT_EQ(raw(lease_attr::netns_id), 3);
    EXPECT_EQ(raw(lease_attr_max), 3);  // strict parsing: ids above 3 are unknown
}

// The ids of a queue-create request and its reply (constants only; the exchange is issue 5).
TEST(uapi_netdev, queue_create_request_and_reply_ids) {
    EXPECT_EQ(raw(netdev_command::queue_create), 16);
    EXPECT_EQ(raw(queue_attr::ifindex), 2);
    EXPECT_EQ(raw(queue_attr::type), 3);
    EXPECT_EQ(raw(queue_type::rx), 0);
    EXPECT_EQ(raw(queue_attr::lease), 8);
    EXPECT_EQ(raw(lease_attr::ifindex), 1);
    EXPECT_EQ(raw(lease_attr::queue), 2);
    EXPECT_EQ(raw(lease_attr::netns_id), 3);
    EXPECT_EQ(raw(queue_attr::id), 1);  // inside lease.queue, and the reply
}

// QL-UAPI-02
TEST(uapi_netdev, queue_get_is_command_10) {
    EXPECT_EQ(raw(netdev_command::queue_get), 10);
}

// constants used by behaviour tested with the wire front end (issue 5)
TEST(uapi_netdev, bind_rx_is_command_13_with_dmabuf_ids_1_to_4) {
    EXPECT_EQ(raw(netdev_command::bind_rx), 13);
    EXPECT_EQ(raw(dmabuf_attr::ifindex), 1);
    EXPECT_EQ(raw(dmabuf_attr::queues), 2);
    EXPECT_EQ(raw(dmabuf_attr::fd), 3);
    EXPECT_EQ(raw(dmabuf_attr::id), 4);
}

// NL-GENL-01
TEST(uapi_genl, genlmsghdr_is_4_bytes) {
    EXPECT_EQ(genl_header_size, 4U);
}

// constants used by behaviour tested with the wire front end (issue 5)
TEST(uapi_genl, the_controller_is_nlctrl_at_0x10_and_dynamic_ids_start_at_0x13) {
    EXPECT_EQ(genl_id_control, 0x10);
    EXPECT_EQ(genl_id_control, min_request_type);
    EXPECT_EQ(genl_control_family_name, "nlctrl");
    EXPECT_EQ(genl_id_vfs_dquot, 0x11);
    EXPECT_EQ(genl_id_pmcraid, 0x12);
    EXPECT_EQ(genl_first_dynamic_id, 0x13);
}

// constants used by behaviour tested with the wire front end (issue 5)
TEST(uapi_genl, controller_command_and_attribute_ids) {
    EXPECT_EQ(raw(genl_control_command::new_family), 1);
    EXPECT_EQ(raw(genl_control_command::get_family), 3);
    EXPECT_EQ(raw(genl_control_attr::family_id), 1);
    EXPECT_EQ(raw(genl_control_attr::family_name), 2);
    EXPECT_EQ(raw(genl_control_attr::version), 3);
    EXPECT_EQ(raw(genl_control_attr::header_size), 4);
    EXPECT_EQ(raw(genl_control_attr::max_attr), 5);
    EXPECT_EQ(raw(genl_control_attr::operations), 6);
    EXPECT_EQ(raw(genl_control_attr::multicast_groups), 7);
    EXPECT_EQ(raw(genl_control_operation_attr::id), 1);
    EXPECT_EQ(raw(genl_control_operation_attr::flags), 2);
    EXPECT_EQ(raw(genl_control_group_attr::name), 1);
    EXPECT_EQ(raw(genl_control_group_attr::id), 2);
}

// NL-GENL-04
TEST(uapi_genl, operation_flag_values) {
    EXPECT_EQ(raw(genl_operation_flag::admin_permission), 0x1);
    EXPECT_EQ(raw(genl_operation_flag::supports_do), 0x2);
    EXPECT_EQ(raw(genl_operation_flag::supports_dump), 0x4);
    EXPECT_EQ(raw(genl_operation_flag::has_policy), 0x8);
    EXPECT_EQ(raw(genl_operation_flag::user_namespace_admin_permission), 0x10);
    const auto admin_do_with_policy = genl_operation_flag::admin_permission |
                                      genl_operation_flag::supports_do |
                                      genl_operation_flag::has_policy;
    EXPECT_EQ(raw(admin_do_with_policy), 0xb);
    EXPECT_FALSE(contains(admin_do_with_policy, genl_operation_flag::supports_dump));
    EXPECT_EQ(raw(admin_do_with_policy & ~genl_operation_flag::has_policy), 0x3);
}

// constants used by behaviour tested with the wire front end (issue 5)
TEST(uapi_genl, a_family_name_is_at_most_15_characters) {
    EXPECT_EQ(genl_family_name_size, 16U);
    EXPECT_EQ(genl_family_name_max_length, 15U);
}

TEST(uapi_netdev, names_round_trip_to_the_kernel_spelling) {
    expect_names_round_trip<netdev_command>({
        {netdev_command::device_get, "NETDEV_CMD_DEV_GET"},
        {netdev_command::device_add_notification, "NETDEV_CMD_DEV_ADD_NTF"},
        {netdev_command::device_delete_notification, "NETDEV_CMD_DEV_DEL_NTF"},
        {netdev_command::device_change_notification, "NETDEV_CMD_DEV_CHANGE_NTF"},
        {netdev_command::page_pool_get, "NETDEV_CMD_PAGE_POOL_GET"},
        {netdev_command::page_pool_add_notification, "NETDEV_CMD_PAGE_POOL_ADD_NTF"},
        {netdev_command::page_pool_delete_notification, "NETDEV_CMD_PAGE_POOL_DEL_NTF"},
        {netdev_command::page_pool_change_notification, "NETDEV_CMD_PAGE_POOL_CHANGE_NTF"},
        {netdev_command::page_pool_stats_get, "NETDEV_CMD_PAGE_POOL_STATS_GET"},
        {netdev_command::queue_get, "NETDEV_CMD_QUEUE_GET"},
        {netdev_command::napi_get, "NETDEV_CMD_NAPI_GET"},
        {netdev_command::queue_stats_get, "NETDEV_CMD_QSTATS_GET"},
        {netdev_command::bind_rx, "NETDEV_CMD_BIND_RX"},
        {netdev_command::napi_set, "NETDEV_CMD_NAPI_SET"},
        {netdev_command::bind_tx, "NETDEV_CMD_BIND_TX"},
        {netdev_command::queue_create, "NETDEV_CMD_QUEUE_CREATE"},
    });
    expect_names_round_trip<queue_type>(
        {{queue_type::rx, "NETDEV_QUEUE_TYPE_RX"}, {queue_type::tx, "NETDEV_QUEUE_TYPE_TX"}});
    expect_names_round_trip<queue_attr>({
        {queue_attr::id, "NETDEV_A_QUEUE_ID"},
        {queue_attr::ifindex, "NETDEV_A_QUEUE_IFINDEX"},
        {queue_attr::type, "NETDEV_A_QUEUE_TYPE"},
        {queue_attr::napi_id, "NETDEV_A_QUEUE_NAPI_ID"},
        {queue_attr::dmabuf, "NETDEV_A_QUEUE_DMABUF"},
        {queue_attr::io_uring, "NETDEV_A_QUEUE_IO_URING"},
        {queue_attr::xsk, "NETDEV_A_QUEUE_XSK"},
        {queue_attr::lease, "NETDEV_A_QUEUE_LEASE"},
    });
    expect_names_round_trip<lease_attr>({
        {lease_attr::ifindex, "NETDEV_A_LEASE_IFINDEX"},
        {lease_attr::queue, "NETDEV_A_LEASE_QUEUE"},
        {lease_attr::netns_id, "NETDEV_A_LEASE_NETNS_ID"},
    });
    expect_names_round_trip<dmabuf_attr>({
        {dmabuf_attr::ifindex, "NETDEV_A_DMABUF_IFINDEX"},
        {dmabuf_attr::queues, "NETDEV_A_DMABUF_QUEUES"},
        {dmabuf_attr::fd, "NETDEV_A_DMABUF_FD"},
        {dmabuf_attr::id, "NETDEV_A_DMABUF_ID"},
    });
}

TEST(uapi_genl, names_round_trip_to_the_kernel_spelling) {
    expect_names_round_trip<genl_control_command>({
        {genl_control_command::unspec, "CTRL_CMD_UNSPEC"},
        {genl_control_command::new_family, "CTRL_CMD_NEWFAMILY"},
        {genl_control_command::delete_family, "CTRL_CMD_DELFAMILY"},
        {genl_control_command::get_family, "CTRL_CMD_GETFAMILY"},
    });
    expect_names_round_trip<genl_control_attr>({
        {genl_control_attr::unspec, "CTRL_ATTR_UNSPEC"},
        {genl_control_attr::family_id, "CTRL_ATTR_FAMILY_ID"},
        {genl_control_attr::family_name, "CTRL_ATTR_FAMILY_NAME"},
        {genl_control_attr::version, "CTRL_ATTR_VERSION"},
        {genl_control_attr::header_size, "CTRL_ATTR_HDRSIZE"},
        {genl_control_attr::max_attr, "CTRL_ATTR_MAXATTR"},
        {genl_control_attr::operations, "CTRL_ATTR_OPS"},
        {genl_control_attr::multicast_groups, "CTRL_ATTR_MCAST_GROUPS"},
    });
    expect_names_round_trip<genl_control_operation_attr>({
        {genl_control_operation_attr::unspec, "CTRL_ATTR_OP_UNSPEC"},
        {genl_control_operation_attr::id, "CTRL_ATTR_OP_ID"},
        {genl_control_operation_attr::flags, "CTRL_ATTR_OP_FLAGS"},
    });
    expect_names_round_trip<genl_control_group_attr>({
        {genl_control_group_attr::unspec, "CTRL_ATTR_MCAST_GRP_UNSPEC"},
        {genl_control_group_attr::name, "CTRL_ATTR_MCAST_GRP_NAME"},
        {genl_control_group_attr::id, "CTRL_ATTR_MCAST_GRP_ID"},
    });
    expect_names_round_trip<genl_operation_flag>({
        {genl_operation_flag::admin_permission, "GENL_ADMIN_PERM"},
        {genl_operation_flag::supports_do, "GENL_CMD_CAP_DO"},
        {genl_operation_flag::supports_dump, "GENL_CMD_CAP_DUMP"},
        {genl_operation_flag::has_policy, "GENL_CMD_CAP_HASPOL"},
        {genl_operation_flag::user_namespace_admin_permission, "GENL_UNS_ADMIN_PERM"},
    });
}

TEST(uapi_netdev, values_outside_an_enum_print_as_unknown) {
    EXPECT_EQ(name(static_cast<netdev_command>(0)), "unknown");
    EXPECT_EQ(name(static_cast<netdev_command>(17)), "unknown");
    EXPECT_EQ(name(static_cast<queue_type>(2)), "unknown");
    EXPECT_EQ(name(static_cast<queue_attr>(0)), "unknown");
    EXPECT_EQ(name(static_cast<queue_attr>(9)), "unknown");
    EXPECT_EQ(name(static_cast<lease_attr>(4)), "unknown");
    EXPECT_EQ(name(static_cast<dmabuf_attr>(0)), "unknown");
    EXPECT_EQ(name(static_cast<genl_control_command>(4)), "unknown");
    EXPECT_EQ(name(genl_operation_flag::supports_do | genl_operation_flag::supports_dump), "unknown");
}

// ===========================================================================
// netlink.hpp

// constants used by behaviour tested with the wire front end (issue 5)
TEST(uapi_netlink, protocols_are_route_0_and_generic_16) {
    EXPECT_EQ(raw(netlink_protocol::route), 0);
    EXPECT_EQ(raw(netlink_protocol::generic), 16);
}

// constants used by behaviour tested with the wire front end (issue 5)
TEST(uapi_netlink, socket_options_are_cap_ack_10_and_ext_ack_11) {
    EXPECT_EQ(raw(netlink_socket_option::capped_ack), 10);
    EXPECT_EQ(raw(netlink_socket_option::extended_ack), 11);
}

// NL-HDR-01
TEST(uapi_netlink, nlmsghdr_is_16_bytes) {
    EXPECT_EQ(message_header_size, 16U);
}

// NL-HDR-02
TEST(uapi_netlink, messages_align_to_4_bytes) {
    EXPECT_EQ(message_alignment, 4U);
    EXPECT_EQ(message_align(0), 0U);
    EXPECT_EQ(message_align(1), 4U);
    EXPECT_EQ(message_align(16), 16U);
    EXPECT_EQ(message_align(17), 20U);
    EXPECT_EQ(message_align(19), 20U);
    EXPECT_EQ(message_align(20), 20U);
}

// NL-ERR-01
TEST(uapi_netlink, types_below_0x10_are_control_messages) {
    EXPECT_EQ(min_request_type, 0x10);
    EXPECT_EQ(raw(control_message::noop), 1);
    EXPECT_EQ(raw(control_message::error), 2);
    EXPECT_EQ(raw(control_message::done), 3);
    EXPECT_EQ(raw(control_message::overrun), 4);
    EXPECT_LT(raw(control_message::overrun), min_request_type);
}

// NL-FLAG-01
TEST(uapi_netlink, common_message_flag_values) {
    EXPECT_EQ(raw(message_flag::request), 0x1);
    EXPECT_EQ(raw(message_flag::multipart), 0x2);
    EXPECT_EQ(raw(message_flag::acknowledge), 0x4);
    EXPECT_EQ(raw(message_flag::echo), 0x8);
    EXPECT_EQ(raw(message_flag::dump_interrupted), 0x10);
    EXPECT_EQ(raw(message_flag::dump_filtered), 0x20);
}

// NL-FLAG-01
TEST(uapi_netlink, get_modifiers_and_dump_is_root_or_match_0x300) {
    EXPECT_EQ(raw(get_flag::root), 0x100);
    EXPECT_EQ(raw(get_flag::match), 0x200);
    EXPECT_EQ(raw(get_flag::atomic), 0x400);
    EXPECT_EQ(raw(get_flag::dump), 0x300);
    EXPECT_EQ(get_flag::root | get_flag::match, get_flag::dump);
    EXPECT_TRUE(contains(get_flag::dump, get_flag::root));
    EXPECT_FALSE(contains(get_flag::root, get_flag::dump));
}

// NL-FLAG-01
TEST(uapi_netlink, new_modifiers) {
    EXPECT_EQ(raw(new_flag::replace), 0x100);
    EXPECT_EQ(raw(new_flag::exclusive), 0x200);
    EXPECT_EQ(raw(new_flag::create), 0x400);
    EXPECT_EQ(raw(new_flag::append), 0x800);
    const auto create_exclusive = new_flag::create | new_flag::exclusive;
    EXPECT_EQ(raw(create_exclusive), 0x600);
    EXPECT_TRUE(contains(create_exclusive, new_flag::exclusive));
    EXPECT_EQ(create_exclusive & ~new_flag::exclusive, new_flag::create);
}

// NL-FLAG-01
TEST(uapi_netlink, acknowledgement_flags_are_capped_0x100_and_ack_tlvs_0x200) {
    EXPECT_EQ(raw(ack_flag::capped), 0x100);
    EXPECT_EQ(raw(ack_flag::extended_ack_tlvs), 0x200);
    EXPECT_EQ(raw(ack_flag::capped | ack_flag::extended_ack_tlvs), 0x300);
}

// NL-FLAG-01: bits 0x100…0x800 are shared by the three readings.
TEST(uapi_netlink, the_request_kind_decides_what_the_high_flag_bits_mean) {
    EXPECT_EQ(raw(get_flag::root), raw(new_flag::replace));
    EXPECT_EQ(raw(get_flag::root), raw(ack_flag::capped));
    EXPECT_EQ(raw(get_flag::match), raw(new_flag::exclusive));
    EXPECT_EQ(raw(get_flag::match), raw(ack_flag::extended_ack_tlvs));
    EXPECT_EQ(raw(get_flag::atomic), raw(new_flag::create));
    EXPECT_EQ(raw(message_flag::request | message_flag::acknowledge) & raw(get_flag::dump), 0);
}

// constants used by behaviour tested with the wire front end (issue 5)
TEST(uapi_netlink, nlmsgerr_is_the_error_plus_the_request_header_20_bytes) {
    EXPECT_EQ(error_message_size, 20U);
    EXPECT_EQ(error_message_size, 4 + message_header_size);
}

// NL-EXT-02
TEST(uapi_netlink, extended_ack_tlv_ids_run_from_msg_1_to_miss_nest_6) {
    EXPECT_EQ(raw(error_attr::message), 1);
    EXPECT_EQ(raw(error_attr::offset), 2);
    EXPECT_EQ(raw(error_attr::cookie), 3);
    EXPECT_EQ(raw(error_attr::policy), 4);
    EXPECT_EQ(raw(error_attr::missing_type), 5);
    EXPECT_EQ(raw(error_attr::missing_nest), 6);
    EXPECT_EQ(raw(error_attr_max), 6);
}

// constants used by behaviour tested with the wire front end (issue 5)
TEST(uapi_netlink, policy_description_ids_and_the_flagged_policy_tlv_0x8004) {
    EXPECT_EQ(raw(policy_type_attr::type), 1);
    EXPECT_EQ(raw(policy_type_attr::min_value_signed), 2);
    EXPECT_EQ(raw(policy_type_attr::max_value_signed), 3);
    EXPECT_EQ(raw(policy_type_attr::min_value_unsigned), 4);
    EXPECT_EQ(raw(policy_type_attr::max_value_unsigned), 5);
    EXPECT_EQ(raw(policy_type_attr::max_length), 7);
    EXPECT_EQ(attribute_flag_nested | raw(error_attr::policy), 0x8004);
}

// constants used by behaviour tested with the wire front end (issue 5)
TEST(uapi_netlink, attribute_type_ids_the_policy_tlv_reports) {
    EXPECT_EQ(raw(attribute_type::u8), 2);
    EXPECT_EQ(raw(attribute_type::u16), 3);
    EXPECT_EQ(raw(attribute_type::u32), 4);
    EXPECT_EQ(raw(attribute_type::s32), 8);
    EXPECT_EQ(raw(attribute_type::binary), 10);
    EXPECT_EQ(raw(attribute_type::string), 11);
    EXPECT_EQ(raw(attribute_type::nested), 13);
}

// NL-ATTR-01
TEST(uapi_netlink, nlattr_is_4_bytes_and_attributes_align_to_4) {
    EXPECT_EQ(attribute_header_size, 4U);
    EXPECT_EQ(attribute_alignment, 4U);
    EXPECT_EQ(attribute_align(4), 4U);
    EXPECT_EQ(attribute_align(5), 8U);  // a u8 attribute occupies 8 bytes
    EXPECT_EQ(attribute_align(6), 8U);  // a u16 attribute occupies 8 bytes
    EXPECT_EQ(attribute_align(8), 8U);
}

// NL-ATTR-02
TEST(uapi_netlink, nla_type_is_two_flag_bits_and_a_14_bit_id) {
    EXPECT_EQ(attribute_flag_nested, 0x8000);
    EXPECT_EQ(attribute_flag_network_byte_order, 0x4000);
    EXPECT_EQ(attribute_type_mask, 0x3fff);
    EXPECT_EQ(attribute_flag_nested | attribute_flag_network_byte_order | attribute_type_mask, 0xffff);
    EXPECT_EQ(attribute_flag_nested & attribute_flag_network_byte_order, 0);
    EXPECT_EQ((attribute_flag_nested | raw(queue_attr::lease)) & attribute_type_mask, raw(queue_attr::lease));
}

// NL-RT-01
TEST(uapi_rtnetlink, link_message_types_run_from_newlink_16_to_setlink_19) {
    EXPECT_EQ(raw(rtm::new_link), 16);
    EXPECT_EQ(raw(rtm::delete_link), 17);
    EXPECT_EQ(raw(rtm::get_link), 18);
    EXPECT_EQ(raw(rtm::set_link), 19);
    EXPECT_EQ(raw(rtm_base), 16);
}

// NL-RT-02
TEST(uapi_rtnetlink, ifinfomsg_is_16_bytes_with_family_unspec) {
    EXPECT_EQ(interface_info_message_size, 16U);
    EXPECT_EQ(address_family_unspecified, 0);
}

// NL-RT-02
TEST(uapi_rtnetlink, device_types_are_ether_1_and_loopback_772) {
    EXPECT_EQ(raw(hardware_type::ethernet), 1);
    EXPECT_EQ(raw(hardware_type::loopback), 772);
}

// NL-RT-03
TEST(uapi_rtnetlink, interface_flag_values) {
    EXPECT_EQ(raw(interface_flag::up), 0x1);
    EXPECT_EQ(raw(interface_flag::broadcast), 0x2);
    EXPECT_EQ(raw(interface_flag::running), 0x40);
    EXPECT_EQ(raw(interface_flag::no_arp), 0x80);
    EXPECT_EQ(raw(interface_flag::multicast), 0x1000);
    EXPECT_EQ(raw(interface_flag::lower_up), 0x10000);
}

// NL-RT-03: flags = (ifi_flags & ifi_change) | (current & ~ifi_change).
TEST(uapi_rtnetlink, interface_flags_compose_as_the_change_rule_needs) {
    const auto current = interface_flag::no_arp;
    const auto requested = interface_flag::up;
    const auto change = interface_flag::up;
    const auto next = (requested & change) | (current & ~change);
    EXPECT_EQ(next, interface_flag::up | interface_flag::no_arp);
    EXPECT_TRUE(contains(next, interface_flag::up));
    EXPECT_FALSE(contains(next, interface_flag::running));
}

// NL-RT-04
TEST(uapi_rtnetlink, ifla_ids) {
    EXPECT_EQ(raw(ifla::address), 1);
    EXPECT_EQ(raw(ifla::broadcast), 2);
    EXPECT_EQ(raw(ifla::ifname), 3);
    EXPECT_EQ(raw(ifla::mtu), 4);
    EXPECT_EQ(raw(ifla::link), 5);
    EXPECT_EQ(raw(ifla::txqlen), 13);
    EXPECT_EQ(raw(ifla::operstate), 16);
    EXPECT_EQ(raw(ifla::linkinfo), 18);
    EXPECT_EQ(raw(ifla::net_ns_pid), 19);
    EXPECT_EQ(raw(ifla::group), 27);
    EXPECT_EQ(raw(ifla::net_ns_fd), 28);
    EXPECT_EQ(raw(ifla::ext_mask), 29);
    EXPECT_EQ(raw(ifla::num_tx_queues), 31);
    EXPECT_EQ(raw(ifla::num_rx_queues), 32);
    EXPECT_EQ(raw(ifla::link_netnsid), 37);
    EXPECT_EQ(raw(ifla::target_netnsid), 46);
}

// NL-RT-04
TEST(uapi_rtnetlink, ifla_info_ids) {
    EXPECT_EQ(raw(ifla_info::kind), 1);
    EXPECT_EQ(raw(ifla_info::data), 2);
    EXPECT_EQ(raw(ifla_info::xstats), 3);
    EXPECT_EQ(raw(ifla_info::slave_kind), 4);
    EXPECT_EQ(raw(ifla_info::slave_data), 5);
}

// constants used by behaviour tested with the wire front end (issue 5)
TEST(uapi_rtnetlink, ifname_holds_15_characters_and_addresses_32_bytes) {
    EXPECT_EQ(interface_name_size, 16U);
    EXPECT_EQ(interface_name_max_length, 15U);
    EXPECT_EQ(hardware_address_max_size, 32U);
    EXPECT_LE(ethernet_address_size, hardware_address_max_size);
}

// constants used by behaviour tested with the wire front end (issue 5)
TEST(uapi_rtnetlink, veth_is_kind_veth_with_peer_attribute_1) {
    EXPECT_EQ(veth_link_kind, "veth");
    EXPECT_EQ(raw(veth_attr::peer), 1);
    EXPECT_EQ(raw(veth_attr::peer), raw(netkit_attr::peer_info));
}

TEST(uapi_netlink, names_round_trip_to_the_kernel_spelling) {
    expect_names_round_trip<netlink_protocol>(
        {{netlink_protocol::route, "NETLINK_ROUTE"}, {netlink_protocol::generic, "NETLINK_GENERIC"}});
    expect_names_round_trip<netlink_socket_option>({
        {netlink_socket_option::capped_ack, "NETLINK_CAP_ACK"},
        {netlink_socket_option::extended_ack, "NETLINK_EXT_ACK"},
    });
    expect_names_round_trip<control_message>({
        {control_message::noop, "NLMSG_NOOP"},
        {control_message::error, "NLMSG_ERROR"},
        {control_message::done, "NLMSG_DONE"},
        {control_message::overrun, "NLMSG_OVERRUN"},
    });
    expect_names_round_trip<message_flag>({
        {message_flag::request, "NLM_F_REQUEST"},
        {message_flag::multipart, "NLM_F_MULTI"},
        {message_flag::acknowledge, "NLM_F_ACK"},
        {message_flag::echo, "NLM_F_ECHO"},
        {message_flag::dump_interrupted, "NLM_F_DUMP_INTR"},
        {message_flag::dump_filtered, "NLM_F_DUMP_FILTERED"},
    });
    expect_names_round_trip<get_flag>({
        {get_flag::root, "NLM_F_ROOT"},
        {get_flag::match, "NLM_F_MATCH"},
        {get_flag::atomic, "NLM_F_ATOMIC"},
        {get_flag::dump, "NLM_F_DUMP"},
    });
    expect_names_round_trip<new_flag>({
        {new_flag::replace, "NLM_F_REPLACE"},
        {new_flag::exclusive, "NLM_F_EXCL"},
        {new_flag::create, "NLM_F_CREATE"},
        {new_flag::append, "NLM_F_APPEND"},
    });
    expect_names_round_trip<ack_flag>(
        {{ack_flag::capped, "NLM_F_CAPPED"}, {ack_flag::extended_ack_tlvs, "NLM_F_ACK_TLVS"}});
    expect_names_round_trip<error_attr>({
        {error_attr::unused, "NLMSGERR_ATTR_UNUSED"},
        {error_attr::message, "NLMSGERR_ATTR_MSG"},
        {error_attr::offset, "NLMSGERR_ATTR_OFFS"},
        {error_attr::cookie, "NLMSGERR_ATTR_COOKIE"},
        {error_attr::policy, "NLMSGERR_ATTR_POLICY"},
        {error_attr::missing_type, "NLMSGERR_ATTR_MISS_TYPE"},
        {error_attr::missing_nest, "NLMSGERR_ATTR_MISS_NEST"},
    });
    expect_names_round_trip<policy_type_attr>({
        {policy_type_attr::unspec, "NL_POLICY_TYPE_ATTR_UNSPEC"},
        {policy_type_attr::type, "NL_POLICY_TYPE_ATTR_TYPE"},
        {policy_type_attr::min_value_signed, "NL_POLICY_TYPE_ATTR_MIN_VALUE_S"},
        {policy_type_attr::max_value_signed, "NL_POLICY_TYPE_ATTR_MAX_VALUE_S"},
        {policy_type_attr::min_value_unsigned, "NL_POLICY_TYPE_ATTR_MIN_VALUE_U"},
        {policy_type_attr::max_value_unsigned, "NL_POLICY_TYPE_ATTR_MAX_VALUE_U"},
        {policy_type_attr::min_length, "NL_POLICY_TYPE_ATTR_MIN_LENGTH"},
        {policy_type_attr::max_length, "NL_POLICY_TYPE_ATTR_MAX_LENGTH"},
    });
    expect_names_round_trip<attribute_type>({
        {attribute_type::invalid, "NL_ATTR_TYPE_INVALID"},
        {attribute_type::flag, "NL_ATTR_TYPE_FLAG"},
        {attribute_type::u8, "NL_ATTR_TYPE_U8"},
        {attribute_type::u16, "NL_ATTR_TYPE_U16"},
        {attribute_type::u32, "NL_ATTR_TYPE_U32"},
        {attribute_type::u64, "NL_ATTR_TYPE_U64"},
        {attribute_type::s8, "NL_ATTR_TYPE_S8"},
        {attribute_type::s16, "NL_ATTR_TYPE_S16"},
        {attribute_type::s32, "NL_ATTR_TYPE_S32"},
        {attribute_type::s64, "NL_ATTR_TYPE_S64"},
        {attribute_type::binary, "NL_ATTR_TYPE_BINARY"},
        {attribute_type::string, "NL_ATTR_TYPE_STRING"},
        {attribute_type::nul_string, "NL_ATTR_TYPE_NUL_STRING"},
        {attribute_type::nested, "NL_ATTR_TYPE_NESTED"},
        {attribute_type::nested_array, "NL_ATTR_TYPE_NESTED_ARRAY"},
        {attribute_type::bitfield32, "NL_ATTR_TYPE_BITFIELD32"},
    });
}

TEST(uapi_rtnetlink, names_round_trip_to_the_kernel_spelling) {
    expect_names_round_trip<rtm>({
        {rtm::new_link, "RTM_NEWLINK"},
        {rtm::delete_link, "RTM_DELLINK"},
        {rtm::get_link, "RTM_GETLINK"},
        {rtm::set_link, "RTM_SETLINK"},
    });
    expect_names_round_trip<hardware_type>(
        {{hardware_type::ethernet, "ARPHRD_ETHER"}, {hardware_type::loopback, "ARPHRD_LOOPBACK"}});
    expect_names_round_trip<interface_flag>({
        {interface_flag::up, "IFF_UP"},
        {interface_flag::broadcast, "IFF_BROADCAST"},
        {interface_flag::running, "IFF_RUNNING"},
        {interface_flag::no_arp, "IFF_NOARP"},
        {interface_flag::multicast, "IFF_MULTICAST"},
        {interface_flag::lower_up, "IFF_LOWER_UP"},
    });
    expect_names_round_trip<ifla>({
        {ifla::unspec, "IFLA_UNSPEC"},
        {ifla::address, "IFLA_ADDRESS"},
        {ifla::broadcast, "IFLA_BROADCAST"},
        {ifla::ifname, "IFLA_IFNAME"},
        {ifla::mtu, "IFLA_MTU"},
        {ifla::link, "IFLA_LINK"},
        {ifla::txqlen, "IFLA_TXQLEN"},
        {ifla::operstate, "IFLA_OPERSTATE"},
        {ifla::linkinfo, "IFLA_LINKINFO"},
        {ifla::net_ns_pid, "IFLA_NET_NS_PID"},
        {ifla::group, "IFLA_GROUP"},
        {ifla::net_ns_fd, "IFLA_NET_NS_FD"},
        {ifla::ext_mask, "IFLA_EXT_MASK"},
        {ifla::num_tx_queues, "IFLA_NUM_TX_QUEUES"},
        {ifla::num_rx_queues, "IFLA_NUM_RX_QUEUES"},
        {ifla::link_netnsid, "IFLA_LINK_NETNSID"},
        {ifla::target_netnsid, "IFLA_TARGET_NETNSID"},
    });
    expect_names_round_trip<ifla_info>({
        {ifla_info::unspec, "IFLA_INFO_UNSPEC"},
        {ifla_info::kind, "IFLA_INFO_KIND"},
        {ifla_info::data, "IFLA_INFO_DATA"},
        {ifla_info::xstats, "IFLA_INFO_XSTATS"},
        {ifla_info::slave_kind, "IFLA_INFO_SLAVE_KIND"},
        {ifla_info::slave_data, "IFLA_INFO_SLAVE_DATA"},
    });
    expect_names_round_trip<veth_attr>(
        {{veth_attr::unspec, "VETH_INFO_UNSPEC"}, {veth_attr::peer, "VETH_INFO_PEER"}});
}

TEST(uapi_netlink, values_outside_an_enum_print_as_unknown) {
    EXPECT_EQ(name(static_cast<netlink_protocol>(1)), "unknown");
    EXPECT_EQ(name(static_cast<control_message>(0x10)), "unknown");
    EXPECT_EQ(name(message_flag::request | message_flag::acknowledge), "unknown");
    EXPECT_EQ(name(static_cast<error_attr>(7)), "unknown");
    EXPECT_EQ(name(static_cast<attribute_type>(16)), "unknown");
    EXPECT_EQ(name(static_cast<rtm>(20)), "unknown");
    EXPECT_EQ(name(static_cast<ifla>(6)), "unknown");  // IFLA_QDISC: not modelled
    EXPECT_EQ(name(static_cast<ifla_info>(6)), "unknown");
    EXPECT_EQ(name(interface_flag::up | interface_flag::running), "unknown");
}

}  // namespace
