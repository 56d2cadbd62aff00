// An L3 netkit device carries no MAC address: asking for one must not
// compile. Twin: the same device in L2.
#include <netkit/model/typed.hpp>

namespace t = netkit::model::typed;
#ifdef NETKIT_COMPILE_TWIN
using config = t::single<t::l2, t::with_mac>;
#else
// expect-error: netkit NK-DRV-08: an L3 netkit device carries no MAC address
using config = t::single<t::l3, t::with_mac>;
#endif
static_assert(config::value.with_mac);
