// An L3 device has no MAC address to set. Twin: an L2 pair.
#include <netkit/model/typed.hpp>

namespace t = netkit::model::typed;
#ifdef NETKIT_COMPILE_TWIN
using config = t::pair<t::l2>;
#else
using config = t::pair<t::l3>;
#endif

// expect-error: netkit NK-RT-02: an L3 netkit device has no MAC address to set
netkit::core::status relabel(t::handle<config>& device) { return device.set_mac({0x02, 0, 0, 0, 0, 1}); }
