// Fuzz target: a user check (check/user_check.hpp) — the careful container
// control plane of examples/control_plane.hpp against applications opening
// io_uring zero-copy receivers and AF_XDP sockets on the same NIC. Each byte
// picks one step (an environment operation or a call of the control
// plane's routine); a broken invariant or a broken control-plane contract
// writes the trace (NETKIT_TRACE_DIR) and aborts. Built with
// -DNETKIT_FORGETFUL_CONTROL_PLANE it checks the forgetful version, which
// libFuzzer must catch (the fuzz suite's user_check-catches-forgetful test).
#include "../examples/control_plane.hpp"

#include <netkit/check/user_check.hpp>

#include <cstddef>
#include <cstdint>

#ifdef NETKIT_FORGETFUL_CONTROL_PLANE
NETKIT_USER_CHECK_FUZZ_TARGET(control_plane::scope(false))
#else
NETKIT_USER_CHECK_FUZZ_TARGET(control_plane::scope(true))
#endif
