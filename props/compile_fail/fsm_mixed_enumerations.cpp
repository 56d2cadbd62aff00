// Rows of one table must speak about one machine: mixing event enumerations
// must not compile. Twin: both rows use the same events.
#include <netkit/core/fsm.hpp>

namespace cf {
NETKIT_ENUM(door, unsigned char, closed)
NETKIT_ENUM(act, unsigned char, push)
NETKIT_ENUM(other_act, unsigned char, push)
using netkit::core::errno_code;
using netkit::core::fsm::refuse;

using door_table = netkit::core::fsm::table<door::closed,
    refuse<door::closed, act::push, errno_code::busy>
#ifndef NETKIT_COMPILE_TWIN
    , refuse<door::closed, other_act::push, errno_code::busy>
#endif
    >;

// expect-error: netkit fsm: every row of a table must use the table's state, event and guard enumerations
static_assert(netkit::core::fsm::verified<door_table>);
}  // namespace cf
