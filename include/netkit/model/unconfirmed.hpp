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
// Items of areas not modelled yet (leasing, software NIC, netlink dumps)
// join this file with the issue that implements them.
#pragma once

#include <netkit/core/errno.hpp>
#include <netkit/core/kernel_profile.hpp>

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

}  // namespace netkit::model::unconfirmed
