// A network namespace (device.md NK-ENV-01…09): the devices it holds by
// ifindex and by name, the cursor of its ifindex allocator (NK-ENV-03), and
// its table of ids for other namespaces, including itself (NK-ENV-05), as
// IFLA_LINK_NETNSID and NETDEV_A_LEASE_NETNS_ID report them.
#pragma once

#include <netkit/core/ids.hpp>
#include <netkit/model/unconfirmed.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace netkit::model {

struct netns {
    core::netns_handle handle{0};
    std::string name;  // for people: "init", "foo", …
    std::map<std::int32_t, core::device_handle> by_index;
    std::map<std::string, core::device_handle> by_name;
    std::int32_t last_ifindex = 0;  // the last index assigned here
    std::map<core::netns_handle, std::int32_t> ids;

    // The id this netns uses for `other`, if one was assigned.
    std::optional<std::int32_t> id_of(core::netns_handle other) const {
        const auto it = ids.find(other);
        return it == ids.end() ? std::nullopt : std::optional<std::int32_t>{it->second};
    }

    // The netns this one calls `id`, if any.
    std::optional<core::netns_handle> by_id(std::int32_t id) const {
        for (const auto& [other, value] : ids) {
            if (value == id) {
                return other;
            }
        }
        return std::nullopt;
    }

    // NK-ENV-05: lowest unused value >= 0, allocated on demand.
    std::int32_t id_for(core::netns_handle other) {
        if (auto known = id_of(other)) {
            return *known;
        }
        std::int32_t candidate = 0;
        if constexpr (unconfirmed::netns_id_lowest_unused) {
            while (by_id(candidate)) {
                ++candidate;
            }
        } else {
            for (const auto& [ns, value] : ids) {
                candidate = value >= candidate ? value + 1 : candidate;
            }
        }
        ids.emplace(other, candidate);
        return candidate;
    }

    friend bool operator==(const netns&, const netns&) = default;
};

}  // namespace netkit::model
