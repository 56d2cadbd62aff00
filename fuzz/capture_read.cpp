// Fuzz target: capture files (include/netkit/io/pcap.hpp). Any bytes are
// either read as packets or refused with an error; under ASan and UBSan no
// input may read outside the buffer. A file that reads must also survive a
// write/read round trip with the same packet data (up to the writer's
// snapshot length).

#include <netkit/io/pcap.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto read = netkit::io::read_capture(std::span<const std::uint8_t>(data, size));
    if (!read.ok() || read.value().empty()) {
        return 0;
    }
    const auto& packets = read.value();
    for (const auto& p : packets) {
        if (p.data.size() > 262144) {
            return 0;  // beyond the snapshot length the writer keeps
        }
    }
    const auto again = netkit::io::read_capture(netkit::io::write_pcap(packets, packets.front().link_type));
    if (!again.ok() || again.value().size() != packets.size()) {
        std::abort();
    }
    for (std::size_t i = 0; i < packets.size(); ++i) {
        if (again.value()[i].data != packets[i].data) {
            std::abort();
        }
    }
    return 0;
}
