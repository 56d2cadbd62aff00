// Tests of include/netkit/core/enum.hpp and the NETKIT_ENUM macro.
#include <netkit/core/enum.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstddef>
#include <string>

namespace {

NETKIT_ENUM(colour, unsigned char, red,green ,  blue)

TEST(enum_reflection, names_are_split_and_trimmed_in_declaration_order) {
    static_assert(netkit::core::enum_count<colour> == 3);
    EXPECT_EQ(netkit::core::enum_name(colour::red), "red");
    EXPECT_EQ(netkit::core::enum_name(colour::green), "green");
    EXPECT_EQ(netkit::core::enum_name(colour::blue), "blue");
}

TEST(enum_reflection, a_value_outside_the_enumerators_has_no_name) {
    EXPECT_EQ(netkit::core::enum_name(static_cast<colour>(3)), "?");
    EXPECT_FALSE(netkit::core::enum_in_range(static_cast<colour>(200)));
}

TEST(enum_reflection, index_and_name_conversions_round_trip) {
    const bool ok = rc::check("from_index(index(e)) == e and from_name(name(e)) == e", [] {
        const auto i = *rc::gen::inRange<std::size_t>(0, netkit::core::enum_count<colour>);
        const auto c = netkit::core::enum_from_index<colour>(i);
        RC_ASSERT(netkit::core::enum_index(c) == i);
        RC_ASSERT(netkit::core::enum_from_name<colour>(netkit::core::enum_name(c)) == c);
    });
    EXPECT_TRUE(ok);
    EXPECT_FALSE(netkit::core::enum_from_name<colour>("purple").has_value());
}

}  // namespace
