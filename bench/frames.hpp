// Frames and counters shared by the benchmarks (packet.cpp, path.cpp): the
// mixed traffic they measure on — IPv4/IPv6, TCP/UDP, a VLAN tag, random
// addresses and ports, 10 … max_extra payload bytes — and the time-stamp
// counter for cycles per packet.
#pragma once

#include <netkit/packet/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace netkit_bench {

using bytes = std::vector<std::uint8_t>;

// The time-stamp counter (0 off x86-64).
inline std::uint64_t cycles_now() noexcept {
#if defined(__x86_64__)
    return __rdtsc();
#else
    return 0;
#endif
}

inline void put16(bytes& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v & 0xff));
}

// One frame of the mix; `max_extra` bounds the payload.
inline bytes make_frame(std::mt19937& random, int max_extra = 50) {
    std::uniform_int_distribution<int> byte(0, 255);
    const int kind = std::uniform_int_distribution<int>(0, 9)(random);
    const bool v6 = kind == 6 || kind == 7 || kind == 8;
    const bool tcp = kind <= 3 || kind == 6 || kind == 7 || kind == 9;
    bytes b{0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
    if (kind == 9) {
        put16(b, netkit::packet::tpid_8021q);
        put16(b, 42);
    }
    const std::size_t ip = b.size() + 2;
    put16(b, v6 ? netkit::packet::ether_type_ipv6 : netkit::packet::ether_type_ipv4);
    const std::uint8_t protocol = tcp ? netkit::packet::protocol_tcp : netkit::packet::protocol_udp;
    if (v6) {
        b.insert(b.end(), {0x60, 0, 0, 0, 0, 0, protocol, 64});
    } else {
        b.insert(b.end(), {0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, protocol, 0, 0});
    }
    for (int i = 0; i < (v6 ? 32 : 8) + 4; ++i) {
        b.push_back(static_cast<std::uint8_t>(byte(random)));
    }
    b.resize(b.size() + (tcp ? 16 : 4), 0);
    if (tcp) {
        b[b.size() - 8] = 0x50;
    }
    b.resize(b.size() + static_cast<std::size_t>(std::uniform_int_distribution<int>(10, max_extra)(random)), 0);
    const std::size_t length = v6 ? b.size() - ip - 40 : b.size() - ip;
    b[ip + (v6 ? 4 : 2)] = static_cast<std::uint8_t>(length >> 8);
    b[ip + (v6 ? 5 : 3)] = static_cast<std::uint8_t>(length & 0xff);
    return b;
}

}  // namespace netkit_bench
