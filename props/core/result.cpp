// Tests of include/netkit/core/result.hpp: a result is a value or the
// kernel's (errno, extack, attribute) triple, and prints the way ip(8) users
// expect to read it.
#include <netkit/core/result.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <string>

namespace {

using namespace netkit::core;

TEST(result, a_success_holds_its_value_and_no_errno) {
    result<int> r = 42;
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(static_cast<bool>(r));
    EXPECT_EQ(r.value(), 42);
    EXPECT_FALSE(r.code().has_value());
    EXPECT_EQ(r.syscall_value(), 0);
}

TEST(result, a_refusal_holds_errno_extack_and_the_offending_attribute) {
    result<int> r = fail(errno_code::out_of_range, "integer out of range").at({18, 2, 5});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errno_code::out_of_range);
    EXPECT_EQ(r.syscall_value(), -34);
    EXPECT_EQ(r.failure().message, "integer out of range");
    ASSERT_TRUE(r.failure().bad_attribute.has_value());
    EXPECT_EQ(r.failure().bad_attribute->depth(), 3U);
    EXPECT_EQ(r.failure().bad_attribute->leaf(), 5);
    EXPECT_EQ(r.failure().bad_attribute->parent(), (attribute_path{18, 2}));
}

TEST(result, a_missing_attribute_names_its_type_and_nest) {
    status s = fail(errno_code::invalid).missing_at(1, {8});
    ASSERT_FALSE(s.ok());
    ASSERT_TRUE(s.failure().missing.has_value());
    EXPECT_EQ(s.failure().missing->type, 1);
    EXPECT_EQ(s.failure().missing->nest, (attribute_path{8}));
    EXPECT_EQ(to_string(s.failure()), "EINVAL (22) [missing attribute 1 in 8]");
}

TEST(result, errors_print_as_name_number_and_message) {
    EXPECT_EQ(to_string(fail(errno_code::busy, "Device queue in use by AF_XDP")),
              "EBUSY (16): Device queue in use by AF_XDP");
    EXPECT_EQ(to_string(fail(errno_code::out_of_range, "integer out of range").at({18, 2, 5})),
              "ERANGE (34): integer out of range [attribute 18/2/5]");
}

TEST(result, results_compare_by_value) {
    EXPECT_EQ(result<int>(3), result<int>(3));
    EXPECT_NE(result<int>(3), result<int>(4));
    EXPECT_NE(result<int>(3), result<int>(fail(errno_code::busy)));
    EXPECT_EQ(status(fail(errno_code::busy, "x")), status(fail(errno_code::busy, "x")));
    EXPECT_NE(status(fail(errno_code::busy, "x")), status(fail(errno_code::busy, "y")));
    EXPECT_EQ(ok(), ok());
}

TEST(result, the_syscall_value_is_the_negated_errno_for_every_code) {
    for (const auto& info : errno_table) {
        status s = fail(info.code);
        EXPECT_EQ(s.syscall_value(), -value(info.code));
        EXPECT_EQ(errno_from_value(s.syscall_value()), info.code);
    }
}

TEST(result, attribute_paths_hold_up_to_their_capacity) {
    const bool ok_prop = rc::check("push then index returns what was pushed", [] {
        const auto ids = *rc::gen::container<std::vector<std::uint16_t>>(
            *rc::gen::inRange<std::size_t>(0, attribute_path::capacity + 1), rc::gen::arbitrary<std::uint16_t>());
        attribute_path path;
        for (auto id : ids) {
            path.push(id);
        }
        RC_ASSERT(path.depth() == ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            RC_ASSERT(path[i] == ids[i]);
        }
    });
    EXPECT_TRUE(ok_prop);
}

TEST(result, reading_the_wrong_side_is_a_bug_that_aborts) {
    result<int> refused = fail(errno_code::busy);
    EXPECT_DEATH((void)refused.value(), "result::value\\(\\) on an error");
    result<int> fine = 1;
    EXPECT_DEATH((void)fine.failure(), "result::failure\\(\\) on a success");
}

}  // namespace
