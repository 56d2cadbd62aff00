// Tests of include/netkit/core/cow_map.hpp: a cow_map behaves as a
// std::map value — copies never see each other's writes — while copies
// share tables and elements until written. The world's use of it:
// props/model/links.cpp, world_value.
#include <netkit/core/cow_map.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace {

using netkit::core::cow_map;

template <class K, class V>
std::map<K, V> contents(const cow_map<K, V>& m) {
    std::map<K, V> out;
    for (const auto& [k, v] : m) {
        out.emplace(k, v);
    }
    return out;
}

TEST(cow_map, iterates_in_key_order_and_finds_like_a_map) {
    cow_map<int, std::string> m;
    EXPECT_TRUE(m.empty());
    EXPECT_TRUE(m.emplace(3, "c").second);
    EXPECT_TRUE(m.emplace(1, "a").second);
    EXPECT_FALSE(m.emplace(1, "other").second);  // the key is there: unchanged
    m[2] = "b";
    std::vector<int> keys;
    for (const auto& [k, v] : m) {
        keys.push_back(k);
    }
    EXPECT_EQ(keys, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(m.at(1), "a");
    EXPECT_EQ(m.size(), 3u);
    EXPECT_TRUE(m.contains(2));
    EXPECT_EQ(std::as_const(m).find(4), std::as_const(m).end());
    EXPECT_THROW((void)std::as_const(m).at(4), std::out_of_range);
    EXPECT_EQ(m.erase(2), 1u);
    EXPECT_EQ(m.erase(2), 0u);
    EXPECT_EQ(contents(m), (std::map<int, std::string>{{1, "a"}, {3, "c"}}));
}

TEST(cow_map, a_copy_shares_until_either_side_writes_and_never_sees_the_other_s_writes) {
    cow_map<int, std::string> a{{1, "one"}, {2, "two"}};
    cow_map<int, std::string> b = a;
    EXPECT_TRUE(a.shares_with(b));
    EXPECT_EQ(a, b);

    (void)std::as_const(b).find(1);  // reading shares on
    EXPECT_TRUE(a.shares_with(b));
    EXPECT_EQ(b.erase(7), 0u);  // erasing nothing shares on
    EXPECT_TRUE(a.shares_with(b));

    b.at(1) = "uno";  // a write takes b's own table and element
    EXPECT_FALSE(a.shares_with(b));
    EXPECT_EQ(a.at(1), "one");
    EXPECT_EQ(b.at(1), "uno");
    EXPECT_NE(a, b);

    // The element nobody wrote is still one object in both tables.
    EXPECT_EQ(&std::as_const(a).at(2), &std::as_const(b).at(2));
    a.find(2)->second += "!";
    EXPECT_EQ(std::as_const(b).at(2), "two");
    EXPECT_EQ(std::as_const(a).at(2), "two!");
}

TEST(cow_map, equal_contents_in_separate_tables_compare_equal) {
    cow_map<int, int> a;
    cow_map<int, int> b;
    a.emplace(1, 10);
    b.emplace(1, 10);
    EXPECT_FALSE(a.shares_with(b));
    EXPECT_EQ(a, b);
    b.at(1) = 11;
    EXPECT_NE(a, b);
    b.clear();
    EXPECT_TRUE(b.empty());
    EXPECT_EQ(b, (cow_map<int, int>{}));
}

TEST(cow_map, erasing_through_an_iterator_returns_the_next_element) {
    cow_map<int, int> m{{1, 1}, {2, 2}, {3, 3}, {4, 4}};
    const cow_map<int, int> kept = m;
    for (auto it = m.begin(); it != m.end();) {
        it = it->first % 2 == 0 ? m.erase(it) : std::next(it);
    }
    EXPECT_EQ(contents(m), (std::map<int, int>{{1, 1}, {3, 3}}));
    EXPECT_EQ(contents(kept), (std::map<int, int>{{1, 1}, {2, 2}, {3, 3}, {4, 4}}));
}

// The model: against std::map, under random writes to random copies, every
// copy holds what a std::map given the same writes would hold.
TEST(cow_map, random_writes_to_random_copies_match_independent_std_maps) {
    EXPECT_TRUE(rc::check("cow_map copies behave as independent std::map values", [] {
        std::vector<cow_map<std::uint8_t, int>> copies(1);
        std::vector<std::map<std::uint8_t, int>> models(1);
        const auto steps = *rc::gen::container<std::vector<std::tuple<std::uint8_t, std::uint8_t, std::uint8_t, int>>>(
            rc::gen::tuple(rc::gen::inRange<std::uint8_t>(0, 5), rc::gen::arbitrary<std::uint8_t>(),
                           rc::gen::inRange<std::uint8_t>(0, 8), rc::gen::arbitrary<int>()));
        for (const auto& [what, which, key, value] : steps) {
            const std::size_t i = which % copies.size();
            switch (what) {
                case 0:  // copy
                    copies.push_back(copies[i]);
                    models.push_back(models[i]);
                    break;
                case 1:
                    copies[i][key] = value;
                    models[i][key] = value;
                    break;
                case 2:
                    RC_ASSERT(copies[i].erase(key) == models[i].erase(key));
                    break;
                case 3:
                    if (auto it = copies[i].find(key); it != copies[i].end()) {
                        it->second += 1;
                        models[i].at(key) += 1;
                    }
                    break;
                default:
                    for (auto& [k, v] : copies[i]) {
                        v -= 1;
                    }
                    for (auto& [k, v] : models[i]) {
                        v -= 1;
                    }
                    break;
            }
            for (std::size_t j = 0; j < copies.size(); ++j) {
                RC_ASSERT(contents(copies[j]) == models[j]);
                RC_ASSERT(copies[j].size() == models[j].size());
            }
            for (std::size_t j = 0; j < copies.size(); ++j) {
                for (std::size_t k = 0; k < copies.size(); ++k) {
                    RC_ASSERT((copies[j] == copies[k]) == (models[j] == models[k]));
                }
            }
        }
    }));
}

}  // namespace
