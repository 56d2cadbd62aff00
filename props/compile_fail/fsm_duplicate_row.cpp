// Two rows for one (state, event) make a table non-deterministic: it must not
// compile. Twin: the second row is guarded, which is allowed.
#include <netkit/core/fsm.hpp>

namespace cf {
NETKIT_ENUM(door, unsigned char, closed, open)
NETKIT_ENUM(act, unsigned char, push)
NETKIT_ENUM(cond, unsigned char, jammed)
using netkit::core::errno_code;
using netkit::core::fsm::refuse;
using netkit::core::fsm::row;

using door_table = netkit::core::fsm::guarded_table<cond, door::closed,
    row<door::closed, act::push, door::open>,
#ifdef NETKIT_COMPILE_TWIN
    refuse<door::closed, act::push, errno_code::busy>::when<cond::jammed>,
#else
    refuse<door::closed, act::push, errno_code::busy>,
#endif
    refuse<door::open, act::push, errno_code::busy>>;

// expect-error: netkit fsm: the table is not deterministic
// expect-error: duplicate_row<cf::door::closed, cf::act::push, 0, 1, false>
static_assert(netkit::core::fsm::verified<door_table>);
}  // namespace cf
