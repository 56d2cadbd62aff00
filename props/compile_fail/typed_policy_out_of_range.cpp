// A device policy is PASS or DROP. Twin: DROP.
#include <netkit/model/typed.hpp>

namespace t = netkit::model::typed;
#ifdef NETKIT_COMPILE_TWIN
using config = t::pair<t::policy<netkit::uapi::action::drop>>;
#else
// expect-error: netkit NK-DRV-04/05: a device policy is PASS or DROP, nothing else
using config = t::pair<t::policy<netkit::uapi::action::redirect>>;
#endif
static_assert(config::value.sets_policy);
