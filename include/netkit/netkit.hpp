// The umbrella header: every public header of netkit-model. Convenient for
// applications and examples; the library itself never includes it, and a
// user's own headers should prefer netkit/fwd.hpp plus what they use
// (docs/performance.md measures what including this costs).
#pragma once

#include <netkit/check/changes.hpp>
#include <netkit/check/explore_world.hpp>
#include <netkit/check/explorer.hpp>
#include <netkit/check/invariants.hpp>
#include <netkit/check/operations.hpp>
#include <netkit/check/trace.hpp>
#include <netkit/check/user_check.hpp>
#include <netkit/core/config.hpp>
#include <netkit/core/cow_map.hpp>
#include <netkit/core/enum.hpp>
#include <netkit/core/errno.hpp>
#include <netkit/core/fixed_string.hpp>
#include <netkit/core/fsm.hpp>
#include <netkit/core/fsm_dot.hpp>
#include <netkit/core/ids.hpp>
#include <netkit/core/invariant.hpp>
#include <netkit/core/kernel_profile.hpp>
#include <netkit/core/result.hpp>
#include <netkit/fwd.hpp>
#include <netkit/model/hash.hpp>
#include <netkit/model/queue_fsm.hpp>
#include <netkit/model/typed.hpp>
#include <netkit/model/world.hpp>
#include <netkit/netlink/attributes.hpp>
#include <netkit/netlink/decode.hpp>
#include <netkit/netlink/genl.hpp>
#include <netkit/netlink/journal.hpp>
#include <netkit/netlink/message.hpp>
#include <netkit/netlink/netdev.hpp>
#include <netkit/netlink/policy.hpp>
#include <netkit/netlink/rtnetlink.hpp>
#include <netkit/netlink/socket.hpp>
#include <netkit/netlink/wire_world.hpp>
#include <netkit/packet/parse.hpp>
#include <netkit/packet/path.hpp>
#include <netkit/packet/toeplitz.hpp>
#include <netkit/uapi/bpf.hpp>
#include <netkit/uapi/netdev.hpp>
#include <netkit/uapi/netkit.hpp>
#include <netkit/uapi/netlink.hpp>
