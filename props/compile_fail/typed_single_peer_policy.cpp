// A single netkit device has no peer: a peer policy must not compile.
// Twin: the same setting on a pair.
#include <netkit/model/typed.hpp>

namespace t = netkit::model::typed;
#ifdef NETKIT_COMPILE_TWIN
using config = t::pair<t::peer_policy<netkit::uapi::action::drop>>;
#else
// expect-error: netkit NK-DRV-09: a single netkit device has no peer, so peer_policy and peer_scrub cannot be set
using config = t::single<t::peer_policy<netkit::uapi::action::drop>>;
#endif
static_assert(!t::violation_of(config::value).has_value());
