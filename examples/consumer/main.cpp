// Built against the installed headers only (see meson.build beside it).
#include <netkit/netkit.hpp>

#include <cstdio>

int main() {
    const netkit::core::status refused = netkit::core::fail(netkit::core::errno_code::busy, "in use");
    std::printf("%s\n", netkit::core::to_string(refused.failure()).c_str());
    return refused.syscall_value() == -16 ? 0 : 1;
}
