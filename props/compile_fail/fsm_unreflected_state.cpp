// States must be declared with NETKIT_ENUM so the engine knows their count and
// names: a plain enum must not compile. Twin: the enum is reflected.
#include <netkit/core/fsm.hpp>

namespace cf {
#ifdef NETKIT_COMPILE_TWIN
NETKIT_ENUM(door, unsigned char, closed)
#else
enum class door : unsigned char { closed };
#endif
NETKIT_ENUM(act, unsigned char, push)
using netkit::core::errno_code;
using netkit::core::fsm::refuse;

// expect-error: netkit fsm: a table's states must be an enumeration declared with NETKIT_ENUM
using door_table = netkit::core::fsm::table<door::closed, refuse<door::closed, act::push, errno_code::busy>>;
static_assert(netkit::core::fsm::verified<door_table>);
}  // namespace cf
