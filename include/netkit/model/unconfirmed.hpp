// Every behaviour the spec tags (unconfirmed), in one place (spec README §5).
//
// Each item is one named constant or small function, named after what it
// decides and commented with its rule ID, the best guess implemented and the
// alternative. The rest of the model refers to these names and hard-codes
// none of these choices, so a correction is a change here plus the
// expectations of the tests tagged [unconfirmed]. docs/unconfirmed.txt and
// docs/conformance.md list the same items with the evidence that would
// settle them.
//
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/kernel_profile.hpp>

#include <cstdint>
#include <string_view>

namespace netkit::model::unconfirmed {

// NK-ENV-03: automatic ifindexes continue after the last one assigned in the
// netns, cyclically (alternative: the lowest free index). A requested index
// that is taken fails with EBUSY (NK-PAIR-08's "ifindex taken → EBUSY").
inline constexpr bool ifindex_continues_after_last = true;
inline constexpr core::errno_code ifindex_taken_error = core::errno_code::busy;

// NK-ENV-05: a netns id is the lowest unused value >= 0 when allocated on
// demand (alternative: a counter that never reuses values).
inline constexpr bool netns_id_lowest_unused = true;

// NK-ENV-08: deleting a netns deletes its netkit and veth devices as by
// RTM_DELLINK and moves physical devices to the initial netns (alternative:
// physical devices are unregistered).
inline constexpr bool netns_deletion_returns_physical_devices = true;

// NK-ENV-09: a moved device keeps its ifindex when free in the target, else
// gets a new one; a name clash fails with EEXIST (alternative: the move
// renames the device, or the index always changes).
inline constexpr bool move_keeps_free_ifindex = true;
inline constexpr core::errno_code move_name_clash_error = core::errno_code::exists;

// NK-DUMP-03 / profile row 4: a single device's dump carries SCRUB only in
// v7-jan2026; linux-7.1.0 is taken to follow newest (alternative: 7.1.0 as
// v7-jan2026).
constexpr bool single_dump_has_scrub(const core::profile_traits& profile) noexcept {
    return profile.single == core::single_mode::scrub_allowed;
}

// MP-18: no capability check on BPF attach or link creation beyond those of
// MP-14…17 (alternative: CAP_NET_ADMIN or CAP_BPF required).
inline constexpr bool bpf_attach_needs_capability = false;

// ---------------------------------------------------------------- leasing

// QL-CAN-03 / profile row 14: in v7-jan2026 the AF_XDP and provider texts of
// queue_busy are taken equal to the newest ones (only the leased text and
// the order are known to differ).
inline constexpr std::string_view busy_xsk_message_v7 = "Device queue in use by AF_XDP";
inline constexpr std::string_view busy_provider_message_v7 = "Device queue in use by memory provider";

// QL-MP-05: a provider opened on an unleased netkit queue runs the generic
// checks on netkit itself, which has no tcp-data-split setting: EINVAL
// "tcp-data-split is disabled" (alternative: EOPNOTSUPP "rx queue belongs to
// a virtual netdev").
inline constexpr bool unleased_virtual_provider_runs_generic_checks = true;

// QL-XSK-06 / QL-PSM-21 / QL-PSM-23 / QL-VSM-07/09: a zero-copy bind that
// fails without XDP_ZEROCOPY falls back to copy mode and keeps the pool
// registered (alternative: the bind fails).
inline constexpr bool zero_copy_failure_falls_back_to_copy = true;

// QL-XSK-07: XDP_SETUP_PROG on netkit is EPERM in v7-jan2026 (seen in v6;
// alternative: EOPNOTSUPP as newest). The profile row carries the choice.

// QL-XSK-14: when a netkit device unregisters, sockets bound to it are
// unbound and the pool is cleared at the physical queue through the lease,
// before unleasing (alternative: the pool stays on the physical queue).
inline constexpr bool unregister_clears_pool_through_lease = true;

// QL-ETH-02 / profile row 19: linux-7.1.0 checks busy queues per direction
// like newest (alternative: one range like v7-jan2026). The profile row
// carries the choice (profiles::linux_7_1_0 copies newest).

// QL-LIFE-06 / QL-PSM-26: in v7-jan2026 unleasing leaves the provider
// installed on the physical queue (alternative: cleared as newest). The
// profile row carries the choice (unlease_provider_cleanup::none).

// QL-NS-03: deleting the lessor's netns returns it to the initial netns and
// the lease survives — the same choice as NK-ENV-08 above
// (netns_deletion_returns_physical_devices).

// ----------------------------------------------------------- software NIC

// SN-GEN-06: xdp_features 17 (BASIC | HW_OFFLOAD), 31 with xsk_capable.
inline constexpr std::uint32_t softnic_xdp_features = 17;
inline constexpr std::uint32_t softnic_xsk_xdp_features = 31;

// SN-Q-05: a queue's napi-id stays the same across restarts (alternative: a
// restart in modes 0, 2, 3 assigns a new one).
inline constexpr bool napi_id_stable_across_restarts = true;

// SN-CH-05: the provider check refuses C = M too, as every copy read does
// (alternative: the boundary was fixed to refuse only C < M).
inline constexpr bool provider_channel_check_refuses_equal = true;

// ----------------------------------------------------------- netlink wire

// NL-ATTR-05: netdev family replies emit every nest (lease, lease.queue,
// io-uring, xsk) with NLA_F_NESTED (alternative: unflagged, as rtnetlink's
// IFLA_LINKINFO).
inline constexpr bool netdev_reply_nests_flagged = true;

// NL-ERR-04 (split between NLMSG_DONE and NLMSG_ERROR): a queue-get dump
// restricted to an ifindex that names no device in the caller's netns
// starts, then fails: no entries and NLMSG_DONE with status -ENODEV
// (alternative: an NLMSG_ERROR acknowledgement), since the lookup happens
// after the dump has started.
inline constexpr bool dump_of_unknown_device_fails_in_done = true;

// NL-ATTR-05: rtnetlink replies emit IFLA_LINKINFO and IFLA_INFO_DATA
// without NLA_F_NESTED (alternative: flagged, as generic-netlink families do).
inline constexpr bool reply_link_info_nests_flagged = false;

// NL-ERR-04: an rtnetlink dump whose IFLA_TARGET_NETNSID is unknown (EINVAL)
// or names a netns the caller may not administer (EACCES) starts, then
// fails in NLMSG_DONE (alternative: an NLMSG_ERROR acknowledgement); a
// request failing the ifinfomsg length or the policy gets NLMSG_ERROR.
inline constexpr bool dump_target_lookup_fails_in_done = true;

}  // namespace netkit::model::unconfirmed
