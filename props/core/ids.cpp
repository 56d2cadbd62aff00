// Tests of include/netkit/core/ids.hpp: strong ids compare and hash by value
// and keep the kernel's representations.
#include <netkit/core/ids.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <type_traits>
#include <unordered_set>

namespace {

using namespace netkit::core;

TEST(ids, representations_follow_the_kernel) {
    static_assert(std::is_same_v<ifindex::representation, std::int32_t>);
    static_assert(std::is_same_v<queue_index::representation, std::uint32_t>);
    static_assert(std::is_same_v<netns_id::representation, std::int32_t>);
    EXPECT_EQ(netns_id_not_assigned.value(), -1);  // NETNSA_NSID_NOT_ASSIGNED
}

TEST(ids, ids_of_different_kinds_do_not_convert) {
    static_assert(!std::is_convertible_v<queue_index, ifindex>);
    static_assert(!std::is_convertible_v<std::int32_t, ifindex>);
    static_assert(std::is_constructible_v<ifindex, std::int32_t>);
    SUCCEED();
}

TEST(ids, ids_order_and_hash_by_value) {
    EXPECT_LT(ifindex{1}, ifindex{2});
    EXPECT_EQ(ifindex{7}, ifindex{7});
    std::unordered_set<ifindex> set{ifindex{1}, ifindex{2}, ifindex{1}};
    EXPECT_EQ(set.size(), 2U);
    EXPECT_EQ(std::hash<queue_index>{}(queue_index{5}), std::hash<std::uint32_t>{}(5));
}

}  // namespace
