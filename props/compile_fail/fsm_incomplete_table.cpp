// A table that forgets a (state, event) pair must not compile, and the
// diagnostic must name the pair. Twin: the missing refusal is present.
#include <netkit/core/fsm.hpp>

namespace cf {
NETKIT_ENUM(door, unsigned char, closed, open)
NETKIT_ENUM(act, unsigned char, push, pull)
using netkit::core::errno_code;
using netkit::core::fsm::refuse;
using netkit::core::fsm::row;

using door_table = netkit::core::fsm::table<door::closed,
    row<door::closed, act::push, door::open>,
    refuse<door::closed, act::pull, errno_code::invalid>,
    row<door::open, act::pull, door::closed>
#ifdef NETKIT_COMPILE_TWIN
    , refuse<door::open, act::push, errno_code::busy>
#endif
    >;

// expect-error: netkit fsm: the table is not total
// expect-error: missing_row<cf::door::open, cf::act::push, false>
static_assert(netkit::core::fsm::verified<door_table>);
}  // namespace cf
