// A state no transition leads to is dead weight or a missing row: it must not
// compile. Twin: a transition into it exists.
#include <netkit/core/fsm.hpp>

namespace cf {
NETKIT_ENUM(lamp, unsigned char, off, on, broken)
NETKIT_ENUM(act, unsigned char, toggle)
using netkit::core::errno_code;
using netkit::core::fsm::refuse;
using netkit::core::fsm::row;

using lamp_table = netkit::core::fsm::table<lamp::off,
    row<lamp::off, act::toggle, lamp::on>,
#ifdef NETKIT_COMPILE_TWIN
    row<lamp::on, act::toggle, lamp::broken>,
#else
    row<lamp::on, act::toggle, lamp::off>,
#endif
    refuse<lamp::broken, act::toggle, errno_code::no_device>>;

// expect-error: netkit fsm: a state is not reachable from the initial state
// expect-error: unreachable_state<cf::lamp::broken, false>
static_assert(netkit::core::fsm::verified<lamp_table>);
}  // namespace cf
