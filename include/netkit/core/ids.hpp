// Strong identifiers: an ifindex cannot be passed where a queue index or a
// netns id is expected. The representations follow the kernel: ifindex and
// netns ids are s32 (a netns id is -1, NETNSA_NSID_NOT_ASSIGNED, when none is
// assigned, NK-ENV-05), queue indexes u32, program and link ids u32 (MP-05).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace netkit::core {

template <class Tag, class Representation>
class strong_id {
  public:
    using representation = Representation;

    constexpr strong_id() noexcept = default;
    constexpr explicit strong_id(Representation value) noexcept : value_{value} {}

    constexpr Representation value() const noexcept { return value_; }

    friend constexpr auto operator<=>(strong_id, strong_id) noexcept = default;

  private:
    Representation value_{};
};

// Index of a device within its netns; 0 means "none" on the wire.
using ifindex = strong_id<struct ifindex_tag, std::int32_t>;
// Index of an rx or tx queue within its device.
using queue_index = strong_id<struct queue_index_tag, std::uint32_t>;
// A netns as another netns refers to it (IFLA_LINK_NETNSID, NETDEV_A_LEASE_NETNS_ID).
using netns_id = strong_id<struct netns_id_tag, std::int32_t>;
// The model's own name for a network namespace; stable for its lifetime.
using netns_handle = strong_id<struct netns_handle_tag, std::uint32_t>;
// The model's own name for a device; stable for its lifetime and never
// reused, unlike an ifindex, which is per netns and changes on a move.
using device_handle = strong_id<struct device_handle_tag, std::uint32_t>;
// BPF object ids (MP-05): never reused within a model run.
using program_id = strong_id<struct program_id_tag, std::uint32_t>;
using link_id = strong_id<struct link_id_tag, std::uint32_t>;

inline constexpr netns_id netns_id_not_assigned{-1};

}  // namespace netkit::core

template <class Tag, class Representation>
struct std::hash<netkit::core::strong_id<Tag, Representation>> {
    std::size_t operator()(netkit::core::strong_id<Tag, Representation> id) const noexcept {
        return std::hash<Representation>{}(id.value());
    }
};
