// Tests of include/netkit/core/errno.hpp against the errno table of the spec
// README §3.4 (values are Linux's; the static suite also compares them with
// <cerrno>).
#include <netkit/core/errno.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <climits>
#include <set>

namespace {

using netkit::core::errno_code;

TEST(errno_codes, values_are_the_linux_numbers_of_the_spec_table) {
    EXPECT_EQ(netkit::core::value(errno_code::not_permitted), EPERM);
    EXPECT_EQ(netkit::core::value(errno_code::busy), EBUSY);
    EXPECT_EQ(netkit::core::value(errno_code::not_supported), EOPNOTSUPP);
    EXPECT_EQ(netkit::core::value(errno_code::no_network), ENONET);
    EXPECT_EQ(netkit::core::value(errno_code::stale), ESTALE);
    for (const auto& info : netkit::core::errno_table) {
        EXPECT_EQ(netkit::core::errno_from_name(info.kernel_name), info.code);
    }
}

TEST(errno_codes, the_table_has_22_distinct_codes_and_names) {
    std::set<int> values;
    std::set<std::string_view> names;
    for (const auto& info : netkit::core::errno_table) {
        values.insert(netkit::core::value(info.code));
        names.insert(info.kernel_name);
        EXPECT_FALSE(info.description.empty());
    }
    EXPECT_EQ(values.size(), 22U);
    EXPECT_EQ(names.size(), 22U);
}

TEST(errno_codes, negative_is_what_a_syscall_returns) {
    EXPECT_EQ(netkit::core::negative(errno_code::invalid), -22);
    EXPECT_EQ(netkit::core::errno_from_value(-16), errno_code::busy);
    EXPECT_EQ(netkit::core::errno_from_value(16), errno_code::busy);
}

TEST(errno_codes, unknown_and_extreme_numbers_are_not_errnos) {
    EXPECT_FALSE(netkit::core::errno_from_value(0).has_value());
    EXPECT_FALSE(netkit::core::errno_from_value(5).has_value());
    EXPECT_FALSE(netkit::core::errno_from_value(INT_MIN).has_value());
    EXPECT_FALSE(netkit::core::errno_from_value(INT_MAX).has_value());
    EXPECT_EQ(netkit::core::kernel_name(static_cast<errno_code>(5)), "E?");
    EXPECT_FALSE(netkit::core::errno_from_name("EAGAIN").has_value());
}

}  // namespace
