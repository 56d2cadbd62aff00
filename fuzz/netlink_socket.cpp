// Fuzz target: raw bytes into netlink sockets over the world (issue 5). The
// input is a series of sendmsg buffers, each with the socket's protocol,
// caller and options (format and oracle in netlink_input.hpp). Seeds:
// fuzz/corpus/netlink_socket, the requests every SC-NK-* and SC-QL-*
// scenario sends when it runs over the wire (docs/netlink.md); dictionary:
// fuzz/netlink.dict.
#include "netlink_input.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    netlink_fuzz::run(std::span<const std::uint8_t>(data, size));
    return 0;
}
