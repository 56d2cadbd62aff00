// A single device has no peer to ask for. Twin: a pair.
#include <netkit/model/typed.hpp>

namespace t = netkit::model::typed;
#ifdef NETKIT_COMPILE_TWIN
using config = t::pair<>;
#else
using config = t::single<>;
#endif

// expect-error: netkit NK-SGL-01: a single netkit device has no peer
netkit::core::device_handle other_end(const t::handle<config>& device) { return device.peer(); }
