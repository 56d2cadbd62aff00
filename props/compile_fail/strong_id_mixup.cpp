// A queue index passed where an ifindex is expected must not compile.
// Twin: the right kind of id is passed.
#include <netkit/core/ids.hpp>

namespace cf {
constexpr int device_slot(netkit::core::ifindex index) { return index.value(); }

#ifdef NETKIT_COMPILE_TWIN
static_assert(device_slot(netkit::core::ifindex{3}) == 3);
#else
// expect-error: queue_index_tag
static_assert(device_slot(netkit::core::queue_index{3}) == 3);
#endif
}  // namespace cf
