// BPF programs cannot be attached to a single device: the typed handle of a
// single device has no usable attach. Twin: a pair's handle.
#include <netkit/model/typed.hpp>

namespace t = netkit::model::typed;
#ifdef NETKIT_COMPILE_TWIN
using config = t::pair<t::l2>;
#else
using config = t::single<t::l2>;
#endif

// expect-error: netkit MP-11: BPF programs cannot be attached to a single netkit device
netkit::core::status attach_on(t::handle<config>& device, int program_fd) { return device.attach(program_fd); }
