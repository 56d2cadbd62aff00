// The world a scenario test drives. A test source compiled normally drives
// model::world through its C++ API; compiled with NETKIT_OVER_NETLINK it
// drives netlink::wire_world, where every operation the kernel offers over
// netlink goes through request bytes, a socket and decoded replies
// (docs/netlink.md, "Scenarios over the wire"). The same test body checks
// both, so a scenario written once is a scenario of the netlink front end.
//
// Over the wire, with NETKIT_NETLINK_CORPUS=<dir> in the environment, each
// world writes the requests it sent to <dir> as one input of the netlink
// fuzz targets (fuzz/netlink_input.hpp), named by a hash of its bytes: the
// seed corpus fuzz/corpus/netlink_* is made that way from every scenario.
#pragma once

#ifdef NETKIT_OVER_NETLINK
#include <netkit/netlink/wire_world.hpp>

#include "../fuzz/netlink_input.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

class recording_world : public netkit::netlink::wire_world {
  public:
    using wire_world::wire_world;
    recording_world(wire_world w) : wire_world(std::move(w)) {}  // NOLINT: from with_profile
    recording_world(const recording_world&) = default;
    recording_world(recording_world&&) = default;
    recording_world& operator=(const recording_world&) = default;
    recording_world& operator=(recording_world&&) = default;
    template <class Profile>
    static recording_world with_profile() {
        return recording_world(wire_world::with_profile<Profile>());
    }
    ~recording_world() { save(); }

  private:
    void save() const {
        const char* dir = std::getenv("NETKIT_NETLINK_CORPUS");
        if (dir == nullptr || transcript().empty()) {
            return;
        }
        std::vector<std::uint8_t> input;
        for (const auto& r : transcript()) {
            netlink_fuzz::append_record(input, netlink_fuzz::selector_of(r.protocol, r.netns.value(), r.privileged),
                                        r.bytes);
        }
        std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
        for (const auto b : input) {
            hash = (hash ^ b) * 0x100000001b3ULL;
        }
        char name[17];
        std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(hash));
        std::ofstream(std::string(dir) + "/" + name, std::ios::binary)
            .write(reinterpret_cast<const char*>(input.data()), static_cast<std::streamsize>(input.size()));
    }
};

using test_world = recording_world;
inline constexpr bool over_netlink = true;
#else
#include <netkit/model/world.hpp>
using test_world = netkit::model::world;
inline constexpr bool over_netlink = false;
#endif
