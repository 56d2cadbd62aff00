// Tests of include/netkit/model/mprog.hpp: the multi-program attachment
// engine (mprog.md §5–§10) on its own, without a world. Programs tc1 … tcN
// have ids 1 … N (so an array of ids reads like the scenario tables); link
// ids start at 101. The engine scenarios of scenarios.md (SC-NK-028 … 053)
// are stated for a netkit primary; here they run on a bare netkit attach
// point, and the parts that need a device are left to the world's tests.
#include <netkit/model/mprog.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_set>
#include <vector>

namespace {

using namespace netkit;
using namespace netkit::model::mprog;
using E = core::errno_code;
using ids = std::vector<std::uint32_t>;

constexpr attach_flags no_flags{};
constexpr attach_flags replace = attach_flags::replace;
constexpr attach_flags before = attach_flags::before;
constexpr attach_flags after = attach_flags::after;
constexpr attach_flags by_id = attach_flags::relative_id;
constexpr attach_flags by_link = attach_flags::relative_link;
// A bit outside MP-02's mask: link creation hands it to the engine (MP-02).
constexpr attach_flags unknown_bit = static_cast<attach_flags>(1U);

constexpr std::uint32_t sched_cls = static_cast<std::uint32_t>(uapi::bpf_program_type::traffic_classifier);
constexpr std::uint32_t other_type = 1;  // BPF_PROG_TYPE_SOCKET_FILTER: any type but SCHED_CLS

const std::optional<E> success = std::nullopt;

// The world as far as the engine sees it: programs and links with descriptors.
class objects {
  public:
    explicit objects(int count = 8) {
        for (int n = 0; n < count; ++n) {
            add_program(sched_cls, false);
        }
    }

    program_ref add_program(std::uint32_t type, bool offloaded) {
        const program_ref program{core::program_id{next_program_++}, type, offloaded};
        resolver.add_program(program);
        program_fds_[program.id.value()] = resolver.open_program(program.id);
        programs_.push_back(program);
        return program;
    }
    link_ref new_link(const program_ref& program) {
        const link_ref link{core::link_id{next_link_++}, program};
        resolver.add_link(link.id, program.id);
        link_fds_[link.id.value()] = resolver.open_link(link.id);
        return link;
    }
    void update(link_ref& link, const program_ref& program) {
        resolver.set_link_program(link.id, program.id);
        link.program = program;
    }

    program_ref tc(int n) const { return programs_.at(static_cast<std::size_t>(n - 1)); }
    const std::vector<program_ref>& programs() const { return programs_; }
    std::uint32_t fd(const program_ref& program) const {
        return static_cast<std::uint32_t>(program_fds_.at(program.id.value()));
    }
    std::uint32_t fd(const link_ref& link) const { return static_cast<std::uint32_t>(link_fds_.at(link.id.value())); }

    table_resolver resolver;

  private:
    std::vector<program_ref> programs_;
    std::map<std::uint32_t, int> program_fds_;
    std::map<std::uint32_t, int> link_fds_;
    std::uint32_t next_program_ = 1;
    std::uint32_t next_link_ = 101;
};

constexpr std::uint32_t closed_fd = 999;
constexpr std::uint32_t unknown_id = 4242;

core::status attach_opts(attach_point& point, const objects& o, const program_ref& program,
                         attach_flags flags = no_flags, std::uint32_t relative = 0, std::uint64_t expected = 0,
                         std::optional<program_ref> replaced = std::nullopt) {
    return attach(point, attach_request{program, no_link, replaced, flags, relative, expected}, o.resolver);
}

// Link creation (MP-54 step 4): no program to replace, flags unfiltered.
core::status create_link(attach_point& point, const objects& o, const link_ref& link, attach_flags flags = no_flags,
                         std::uint32_t relative = 0, std::uint64_t expected = 0) {
    return attach(point, attach_request{link.program, link.id, std::nullopt, flags, relative, expected},
                  o.resolver);
}

core::result<slot> detach_opts(attach_point& point, const objects& o, std::optional<program_ref> program,
                               attach_flags flags = no_flags, std::uint32_t relative = 0,
                               std::uint64_t expected = 0) {
    return detach(point, detach_request{program, no_link, flags, relative, expected}, o.resolver);
}

ids program_ids(const attach_point& point) {
    ids out;
    for (const slot& s : point.slots()) {
        out.push_back(s.program.value());
    }
    return out;
}

ids link_ids(const attach_point& point) {
    ids out;
    for (const slot& s : point.slots()) {
        out.push_back(s.link.value());
    }
    return out;
}

query_request all_arrays(std::uint32_t count) { return query_request{0, 0, count, true, true, true, true}; }

// Appends tc1 … tcN with plain attaches.
void append_programs(attach_point& point, const objects& o, int n) {
    for (int i = 1; i <= n; ++i) {
        ASSERT_TRUE(attach_opts(point, o, o.tc(i)).ok());
    }
}

// ---------------------------------------------------------------------------
// The attach point as a value.

// MP-03
TEST(mprog_attach_point, a_fresh_attach_point_is_empty_inactive_and_at_revision_1) {
    for (const attach_point& point : {attach_point::for_netkit(), attach_point::for_tcx()}) {
        EXPECT_EQ(point.count(), 0U);
        EXPECT_FALSE(point.active());
        EXPECT_EQ(point.revision(), 1U);
        EXPECT_EQ(point.reported_revision(), 1U);
    }
    EXPECT_FALSE(attach_point::for_netkit().releases_when_empty());
    EXPECT_TRUE(attach_point::for_tcx().releases_when_empty());
}

// MP-03
TEST(mprog_attach_point, the_active_array_exists_exactly_while_a_program_is_attached) {
    objects o;
    attach_point point;
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    EXPECT_TRUE(point.active());
    ASSERT_TRUE(detach_opts(point, o, o.tc(1)).ok());
    EXPECT_FALSE(point.active());
}

TEST(mprog_attach_point, copies_compare_and_hash_by_value) {
    objects o;
    attach_point a;
    append_programs(a, o, 3);
    attach_point b = a;
    EXPECT_EQ(a, b);
    EXPECT_EQ(std::hash<attach_point>{}(a), std::hash<attach_point>{}(b));
    EXPECT_EQ(hash_value(a), hash_value(b));
    ASSERT_TRUE(detach_opts(b, o, o.tc(2)).ok());
    EXPECT_NE(a, b);
    EXPECT_NE(attach_point::for_netkit(), attach_point::for_tcx());
    std::unordered_set<attach_point> seen{a, b, a};
    EXPECT_EQ(seen.size(), 2U);
}

// MP-04
TEST(mprog_attach_point, capacity_is_bpf_mprog_max_minus_one) {
    static_assert(capacity == 63);
    static_assert(capacity == uapi::mprog_max - 1);
}

// MP-06
TEST(mprog_table_resolver, descriptors_and_ids_fail_the_way_bpf_objects_do) {
    objects o;
    const link_ref link = o.new_link(o.tc(1));
    EXPECT_EQ(o.resolver.program_by_fd(static_cast<int>(closed_fd)).code(), E::bad_descriptor);
    EXPECT_EQ(o.resolver.program_by_fd(0).code(), E::invalid);  // descriptor 0 is an ordinary file
    EXPECT_EQ(o.resolver.program_by_fd(static_cast<int>(o.fd(link))).code(), E::invalid);
    EXPECT_EQ(o.resolver.program_by_fd(static_cast<int>(o.fd(o.tc(2)))).value(), o.tc(2));
    EXPECT_EQ(o.resolver.program_by_id(0).code(), E::no_entry);
    EXPECT_EQ(o.resolver.program_by_id(unknown_id).code(), E::no_entry);
    EXPECT_EQ(o.resolver.program_by_id(3).value(), o.tc(3));
    EXPECT_EQ(o.resolver.link_by_fd(static_cast<int>(closed_fd)).code(), E::bad_descriptor);
    EXPECT_EQ(o.resolver.link_by_fd(0).code(), E::invalid);
    EXPECT_EQ(o.resolver.link_by_fd(static_cast<int>(o.fd(o.tc(1)))).code(), E::invalid);
    EXPECT_EQ(o.resolver.link_by_fd(static_cast<int>(o.fd(link))).value(), link);
    EXPECT_EQ(o.resolver.link_by_id(0).code(), E::no_entry);
    EXPECT_EQ(o.resolver.link_by_id(link.id.value()).value(), link);
    table_resolver copy = o.resolver;
    copy.close(static_cast<int>(o.fd(link)));
    EXPECT_EQ(copy.link_by_fd(static_cast<int>(o.fd(link))).code(), E::bad_descriptor);
    EXPECT_NE(copy, o.resolver);
}

// ---------------------------------------------------------------------------
// Attach (MP-22 … MP-35).

// MP-22
TEST(mprog_attach, an_offloaded_program_is_refused_before_anything_else) {
    objects o;
    attach_point point;
    const program_ref offloaded = o.add_program(sched_cls, true);
    EXPECT_EQ(attach_opts(point, o, offloaded).code(), E::invalid);
    EXPECT_EQ(attach_opts(point, o, offloaded, no_flags, 0, 7).code(), E::invalid);  // not ESTALE
    EXPECT_EQ(attach_opts(point, o, offloaded, before, closed_fd).code(), E::invalid);
    EXPECT_EQ(point, attach_point{});
}

// MP-23
TEST(mprog_attach, a_stale_expected_revision_is_refused_and_zero_accepts_any) {
    objects o;
    attach_point point;
    EXPECT_EQ(attach_opts(point, o, o.tc(1), no_flags, 0, 2).code(), E::stale);
    EXPECT_EQ(attach_opts(point, o, o.tc(1), no_flags, 0, 1).code(), success);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), no_flags, 0, 1).code(), E::stale);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), no_flags, 0, 0).code(), success);
    // ESTALE comes before the duplicate check.
    EXPECT_EQ(attach_opts(point, o, o.tc(1), no_flags, 0, 9).code(), E::stale);
    EXPECT_EQ(program_ids(point), (ids{1, 2}));
}

// MP-24
TEST(mprog_attach, a_program_is_attached_at_most_once_per_attach_point_whoever_owns_it) {
    objects o;
    attach_point point;
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    ASSERT_TRUE(create_link(point, o, o.new_link(o.tc(2))).ok());
    EXPECT_EQ(attach_opts(point, o, o.tc(1)).code(), E::exists);
    EXPECT_EQ(attach_opts(point, o, o.tc(2)).code(), E::exists);
    EXPECT_EQ(create_link(point, o, o.new_link(o.tc(1))).code(), E::exists);
    EXPECT_EQ(create_link(point, o, o.new_link(o.tc(2))).code(), E::exists);
    // EEXIST comes before the relative object is resolved.
    EXPECT_EQ(attach_opts(point, o, o.tc(1), before, closed_fd).code(), E::exists);
    EXPECT_EQ(point.count(), 2U);
}

// MP-21
TEST(mprog_attach, one_program_may_sit_on_two_attach_points) {
    objects o;
    attach_point primary;
    attach_point peer;
    EXPECT_TRUE(attach_opts(primary, o, o.tc(1)).ok());
    EXPECT_TRUE(attach_opts(peer, o, o.tc(1)).ok());
    EXPECT_EQ(program_ids(primary), (ids{1}));
    EXPECT_EQ(program_ids(peer), (ids{1}));
}

// MP-25
TEST(mprog_attach, a_relative_link_is_named_by_descriptor_or_by_id) {
    objects o;
    attach_point point;
    const link_ref link1 = o.new_link(o.tc(1));
    ASSERT_TRUE(create_link(point, o, link1).ok());
    const program_ref foreign = o.add_program(other_type, false);
    const link_ref foreign_link = o.new_link(foreign);
    const std::uint32_t file = static_cast<std::uint32_t>(o.resolver.open_file());

    EXPECT_EQ(attach_opts(point, o, o.tc(2), before | by_link, 0).code(), E::invalid);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), before | by_link | by_id, 0).code(), E::no_entry);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), before | by_link | by_id, unknown_id).code(), E::no_entry);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), before | by_link, o.fd(o.tc(1))).code(), E::invalid);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), before | by_link, file).code(), E::invalid);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), before | by_link, closed_fd).code(), E::bad_descriptor);
    // A program id is not a link id.
    EXPECT_EQ(attach_opts(point, o, o.tc(2), before | by_link | by_id, 1).code(), E::no_entry);
    // The link's program has another type (checked before presence in the array).
    EXPECT_EQ(attach_opts(point, o, o.tc(2), before | by_link, o.fd(foreign_link)).code(), E::invalid);
    EXPECT_EQ(point.count(), 1U);

    EXPECT_EQ(attach_opts(point, o, o.tc(2), before | by_link, o.fd(link1)).code(), success);
    EXPECT_EQ(attach_opts(point, o, o.tc(3), before | by_link | by_id, link1.id.value()).code(), success);
    EXPECT_EQ(program_ids(point), (ids{2, 3, 1}));
}

// MP-26
TEST(mprog_attach, a_relative_program_is_named_by_descriptor_or_by_id) {
    objects o;
    attach_point point;
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    const program_ref foreign = o.add_program(other_type, false);
    const link_ref link = o.new_link(o.tc(5));
    const std::uint32_t file = static_cast<std::uint32_t>(o.resolver.open_file());

    EXPECT_EQ(attach_opts(point, o, o.tc(2), before | by_id, 0).code(), E::no_entry);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), after | by_id, unknown_id).code(), E::no_entry);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), before, o.fd(foreign)).code(), E::invalid);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), before | by_id, foreign.id.value()).code(), E::invalid);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), before, o.fd(link)).code(), E::invalid);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), before, file).code(), E::invalid);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), before, closed_fd).code(), E::bad_descriptor);
    // The REPLACE bit plays no part in the resolution: R is still resolved ...
    EXPECT_EQ(attach_opts(point, o, o.tc(2), replace, closed_fd, 0, o.tc(1)).code(), E::bad_descriptor);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), replace | by_id, 0, 0, o.tc(1)).code(), E::no_entry);
    EXPECT_EQ(point.count(), 1U);
    // ... and without ID and with R = 0 there is no relative object at all.
    EXPECT_EQ(attach_opts(point, o, o.tc(2), replace, 0, 0, o.tc(1)).code(), success);
    EXPECT_EQ(attach_opts(point, o, o.tc(3), before | by_id, 2).code(), success);
    EXPECT_EQ(attach_opts(point, o, o.tc(4), after, o.fd(o.tc(2))).code(), success);
    EXPECT_EQ(program_ids(point), (ids{3, 2, 4}));
}

// MP-27
TEST(mprog_attach, replace_finds_the_old_program_in_a_slot_of_the_same_owner) {
    objects o;
    attach_point point;
    const link_ref link2 = o.new_link(o.tc(2));
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    ASSERT_TRUE(create_link(point, o, link2).ok());
    const attach_point before_all = point;

    EXPECT_EQ(attach_opts(point, o, o.tc(3), replace, 0, 0, o.tc(4)).code(), E::no_entry);
    EXPECT_EQ(attach_opts(point, o, o.tc(3), replace, 0, 0, std::nullopt).code(), E::no_entry);
    EXPECT_EQ(attach_opts(point, o, o.tc(3), replace, 0, 0, o.tc(2)).code(), E::busy);  // link-owned
    // A link may not take over an opts slot either.
    const link_ref other = o.new_link(o.tc(4));
    EXPECT_EQ(attach(point, attach_request{other.program, other.id, o.tc(1), replace, 0, 0}, o.resolver).code(),
              E::busy);
    EXPECT_EQ(point, before_all);

    EXPECT_EQ(attach_opts(point, o, o.tc(3), replace, 0, 0, o.tc(1)).code(), success);
    EXPECT_EQ(program_ids(point), (ids{3, 2}));
    EXPECT_EQ(link_ids(point), (ids{0, link2.id.value()}));
}

// MP-28, MP-04
TEST(mprog_attach, a_full_attach_point_refuses_every_insertion_but_accepts_a_replace) {
    objects o(65);
    attach_point point;
    append_programs(point, o, 63);
    ASSERT_EQ(point.count(), 63U);
    const attach_point full = point;
    const program_ref extra = o.tc(64);
    EXPECT_EQ(attach_opts(point, o, extra).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, extra, before).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, extra, after).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, extra, before, o.fd(o.tc(5))).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, extra, after | by_id, 63).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, extra, before, o.fd(o.tc(65))).code(), E::out_of_range);  // not ENOENT
    EXPECT_EQ(create_link(point, o, o.new_link(extra)).code(), E::out_of_range);
    // Resolution errors come first.
    EXPECT_EQ(attach_opts(point, o, extra, before, closed_fd).code(), E::bad_descriptor);
    EXPECT_EQ(point, full);
    EXPECT_EQ(attach_opts(point, o, extra, replace, 0, 0, o.tc(10)).code(), success);
    EXPECT_EQ(point.count(), 63U);
    EXPECT_EQ(point.slots()[9].program.value(), 64U);
}

// MP-04
TEST(mprog_attach, the_primary_and_peer_attach_points_hold_63_programs_each) {
    objects o(64);
    attach_point primary;
    attach_point peer;
    append_programs(primary, o, 63);
    append_programs(peer, o, 63);
    EXPECT_EQ(primary.count(), 63U);
    EXPECT_EQ(peer.count(), 63U);
    EXPECT_EQ(attach_opts(peer, o, o.tc(64)).code(), E::out_of_range);
}

// MP-29
TEST(mprog_attach, before_places_directly_in_front_of_the_relative_or_at_the_front) {
    objects o;
    attach_point point;
    append_programs(point, o, 2);
    EXPECT_EQ(attach_opts(point, o, o.tc(3), before, o.fd(o.tc(2))).code(), success);
    EXPECT_EQ(program_ids(point), (ids{1, 3, 2}));
    EXPECT_EQ(attach_opts(point, o, o.tc(4), before).code(), success);
    EXPECT_EQ(program_ids(point), (ids{4, 1, 3, 2}));
    EXPECT_EQ(attach_opts(point, o, o.tc(5), before, o.fd(o.tc(6))).code(), E::no_entry);
    // A REPLACE position that BEFORE does not name.
    EXPECT_EQ(attach_opts(point, o, o.tc(5), replace | before, o.fd(o.tc(2)), 0, o.tc(4)).code(), E::out_of_range);
    EXPECT_EQ(program_ids(point), (ids{4, 1, 3, 2}));
}

// MP-30
TEST(mprog_attach, after_places_directly_behind_the_relative_or_at_the_end) {
    objects o;
    attach_point point;
    append_programs(point, o, 2);
    EXPECT_EQ(attach_opts(point, o, o.tc(3), after, o.fd(o.tc(1))).code(), success);
    EXPECT_EQ(program_ids(point), (ids{1, 3, 2}));
    EXPECT_EQ(attach_opts(point, o, o.tc(4), after).code(), success);
    EXPECT_EQ(program_ids(point), (ids{1, 3, 2, 4}));
    EXPECT_EQ(attach_opts(point, o, o.tc(5), after, o.fd(o.tc(6))).code(), E::no_entry);
    EXPECT_EQ(attach_opts(point, o, o.tc(5), replace | after, o.fd(o.tc(3)), 0, o.tc(4)).code(), E::out_of_range);
    EXPECT_EQ(program_ids(point), (ids{1, 3, 2, 4}));
}

// MP-31: BEFORE+AFTER together.
TEST(mprog_attach, before_and_after_together_never_agree) {
    objects o;
    attach_point point;
    EXPECT_EQ(attach_opts(point, o, o.tc(1), before | after).code(), E::out_of_range);  // even when empty
    append_programs(point, o, 3);
    EXPECT_EQ(attach_opts(point, o, o.tc(4), before | after).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, o.tc(4), before | after, o.fd(o.tc(2))).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, o.tc(4), before | after, o.fd(o.tc(5))).code(), E::no_entry);
    EXPECT_EQ(program_ids(point), (ids{1, 2, 3}));
}

// MP-31: REPLACE with BEFORE or AFTER.
TEST(mprog_attach, replace_with_a_direction_needs_the_relative_next_to_the_old_program) {
    objects o;
    attach_point start;
    append_programs(start, o, 3);

    attach_point point = start;
    EXPECT_EQ(attach_opts(point, o, o.tc(4), replace | before, o.fd(o.tc(3)), 0, o.tc(2)).code(), success);
    EXPECT_EQ(program_ids(point), (ids{1, 4, 3}));
    point = start;
    EXPECT_EQ(attach_opts(point, o, o.tc(4), replace | after, o.fd(o.tc(1)), 0, o.tc(2)).code(), success);
    EXPECT_EQ(program_ids(point), (ids{1, 4, 3}));

    point = start;
    EXPECT_EQ(attach_opts(point, o, o.tc(4), replace | before, o.fd(o.tc(3)), 0, o.tc(1)).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, o.tc(4), replace | before, o.fd(o.tc(1)), 0, o.tc(2)).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, o.tc(4), replace | before, o.fd(o.tc(2)), 0, o.tc(2)).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, o.tc(4), replace | after, o.fd(o.tc(3)), 0, o.tc(2)).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, o.tc(4), replace | after, o.fd(o.tc(2)), 0, o.tc(2)).code(), E::out_of_range);
    // Without a relative: ERANGE even where the old program already sits
    // at the front (BEFORE) or at the end (AFTER).
    EXPECT_EQ(attach_opts(point, o, o.tc(4), replace | before, 0, 0, o.tc(1)).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, o.tc(4), replace | after, 0, 0, o.tc(3)).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, o.tc(4), replace | before | after, o.fd(o.tc(3)), 0, o.tc(2)).code(),
              E::out_of_range);
    EXPECT_EQ(point, start);
}

// MP-31
TEST(mprog_attach, replace_with_a_direction_succeeds_exactly_when_the_relative_is_adjacent) {
    EXPECT_TRUE(rc::check("REPLACE|BEFORE R needs R right after O, REPLACE|AFTER R right before O (MP-31)", [] {
        const int n = *rc::gen::inRange(1, 9);
        objects o(10);
        attach_point point;
        for (int i = 1; i <= n; ++i) {
            RC_ASSERT(attach_opts(point, o, o.tc(i)).ok());
        }
        const int old_index = *rc::gen::inRange(0, n);
        const int relative_index = *rc::gen::inRange(0, n);
        const bool use_before = *rc::gen::arbitrary<bool>();
        const attach_point start = point;
        const auto got = attach_opts(point, o, o.tc(10), replace | (use_before ? before : after),
                                     o.fd(o.tc(relative_index + 1)), 0, o.tc(old_index + 1));
        const bool adjacent = use_before ? relative_index == old_index + 1 : relative_index + 1 == old_index;
        if (adjacent) {
            RC_ASSERT(got.ok());
            RC_ASSERT(point.slots()[static_cast<std::size_t>(old_index)].program.value() == 10U);
            RC_ASSERT(point.count() == start.count());
        } else {
            RC_ASSERT(got.code() == std::optional<E>{E::out_of_range});
            RC_ASSERT(point == start);
        }
    }));
}

// MP-32
TEST(mprog_attach, without_a_position_a_relative_or_any_flag_bit_is_invalid) {
    objects o;
    attach_point point;
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    const link_ref link = o.new_link(o.tc(5));
    EXPECT_EQ(attach_opts(point, o, o.tc(2), no_flags, o.fd(o.tc(1))).code(), E::invalid);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), by_id, 1).code(), E::invalid);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), by_link, o.fd(link)).code(), E::invalid);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), by_link | by_id, link.id.value()).code(), E::invalid);
    // Link creation passes bits outside MP-02's mask to the engine.
    EXPECT_EQ(create_link(point, o, o.new_link(o.tc(2)), unknown_bit).code(), E::invalid);
    EXPECT_EQ(create_link(point, o, o.new_link(o.tc(2)), static_cast<attach_flags>(64U)).code(), E::invalid);
    EXPECT_EQ(point.count(), 1U);
    EXPECT_EQ(attach_opts(point, o, o.tc(2)).code(), success);
    EXPECT_EQ(program_ids(point), (ids{1, 2}));
    // An unknown bit next to a position is not looked at.
    EXPECT_EQ(create_link(point, o, o.new_link(o.tc(3)), unknown_bit | after).code(), success);
}

// MP-33: no attach reaches the limit (MP-28 refuses first), so the rule is a
// backstop; its step is checked directly and at the last free position.
TEST(mprog_attach, a_position_at_or_beyond_63_is_out_of_range) {
    EXPECT_EQ(step::check_position_limit(-1).code(), success);
    EXPECT_EQ(step::check_position_limit(62).code(), success);
    EXPECT_EQ(step::check_position_limit(63).code(), E::out_of_range);
    EXPECT_EQ(step::check_position_limit(64).code(), E::out_of_range);
    objects o(63);
    attach_point point;
    append_programs(point, o, 62);
    EXPECT_EQ(attach_opts(point, o, o.tc(63), after, o.fd(o.tc(62))).code(), success);
    EXPECT_EQ(point.slots().back().program.value(), 63U);
}

// MP-34
TEST(mprog_attach, replace_overwrites_in_place_and_insertions_grow_the_array_by_one) {
    objects o;
    attach_point point;
    append_programs(point, o, 3);
    ASSERT_TRUE(attach_opts(point, o, o.tc(4), before, o.fd(o.tc(2))).ok());
    EXPECT_EQ(program_ids(point), (ids{1, 4, 2, 3}));
    ASSERT_TRUE(attach_opts(point, o, o.tc(5), after, o.fd(o.tc(2))).ok());
    EXPECT_EQ(program_ids(point), (ids{1, 4, 2, 5, 3}));
    ASSERT_TRUE(attach_opts(point, o, o.tc(6), before).ok());
    ASSERT_TRUE(attach_opts(point, o, o.tc(7), after).ok());
    EXPECT_EQ(program_ids(point), (ids{6, 1, 4, 2, 5, 3, 7}));
    ASSERT_TRUE(attach_opts(point, o, o.tc(8), replace, 0, 0, o.tc(2)).ok());
    EXPECT_EQ(program_ids(point), (ids{6, 1, 4, 8, 5, 3, 7}));
    EXPECT_EQ(point.count(), 7U);
}

// MP-35
TEST(mprog_attach, a_relative_program_matches_any_owner_but_a_relative_link_only_its_own_slot) {
    objects o;
    attach_point point;
    const link_ref link1 = o.new_link(o.tc(1));
    ASSERT_TRUE(create_link(point, o, link1).ok());
    ASSERT_TRUE(attach_opts(point, o, o.tc(2)).ok());
    // tc1's program descriptor finds the slot link1 owns.
    EXPECT_EQ(attach_opts(point, o, o.tc(3), before, o.fd(o.tc(1))).code(), success);
    EXPECT_EQ(program_ids(point), (ids{3, 1, 2}));
    // A link holding tc2 that is not attached does not match tc2's opts slot.
    const link_ref stray = o.new_link(o.tc(2));
    EXPECT_EQ(attach_opts(point, o, o.tc(4), before, o.fd(stray), 0).code(), E::invalid);  // not a program fd
    EXPECT_EQ(attach_opts(point, o, o.tc(4), before | by_link, o.fd(stray)).code(), E::no_entry);
    EXPECT_EQ(attach_opts(point, o, o.tc(4), after | by_link, o.fd(link1)).code(), success);
    EXPECT_EQ(program_ids(point), (ids{3, 1, 4, 2}));
}

// ---------------------------------------------------------------------------
// Detach (MP-37 … MP-46).

// MP-37
TEST(mprog_detach, replace_is_not_a_detach_flag) {
    objects o;
    attach_point point;
    append_programs(point, o, 1);
    const attach_point start = point;
    EXPECT_EQ(detach_opts(point, o, o.tc(1), replace).code(), E::invalid);
    EXPECT_EQ(detach_opts(point, o, o.tc(1), replace, 0, 9).code(), E::invalid);  // before ESTALE
    EXPECT_EQ(detach_opts(point, o, std::nullopt, replace | before).code(), E::invalid);
    EXPECT_EQ(point, start);
}

// MP-38
TEST(mprog_detach, a_stale_expected_revision_is_refused) {
    objects o;
    attach_point point;
    EXPECT_EQ(detach_opts(point, o, std::nullopt, no_flags, 0, 5).code(), E::stale);  // before ENOENT
    append_programs(point, o, 1);
    EXPECT_EQ(detach_opts(point, o, o.tc(1), no_flags, 0, 1).code(), E::stale);
    EXPECT_EQ(detach_opts(point, o, o.tc(1), no_flags, 0, 2).code(), success);
}

// MP-39
TEST(mprog_detach, an_empty_attach_point_has_nothing_to_detach) {
    objects o;
    attach_point point;
    EXPECT_EQ(detach_opts(point, o, std::nullopt).code(), E::no_entry);
    EXPECT_EQ(detach_opts(point, o, o.tc(1)).code(), E::no_entry);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, before, closed_fd).code(), E::no_entry);  // not EBADF
    EXPECT_EQ(point, attach_point{});
}

// MP-40
TEST(mprog_detach, the_relative_is_resolved_with_the_programs_type_or_any_type_without_one) {
    objects o;
    attach_point point;
    const program_ref foreign = o.add_program(other_type, false);
    ASSERT_TRUE(attach_opts(point, o, foreign).ok());
    append_programs(point, o, 2);
    ASSERT_EQ(program_ids(point), (ids{foreign.id.value(), 1, 2}));
    const attach_point start = point;
    EXPECT_EQ(detach_opts(point, o, o.tc(1), after, o.fd(foreign)).code(), E::invalid);
    EXPECT_EQ(detach_opts(point, o, o.tc(1), after, closed_fd).code(), E::bad_descriptor);
    EXPECT_EQ(detach_opts(point, o, o.tc(1), after | by_id, 0).code(), E::no_entry);
    EXPECT_EQ(detach_opts(point, o, o.tc(1), after | by_link, 0).code(), E::invalid);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, before, o.fd(o.tc(2)), 0).value().program.value(), 1U);
    point = start;
    EXPECT_EQ(detach_opts(point, o, std::nullopt, after, o.fd(foreign)).value().program.value(), 1U);
}

// MP-41
TEST(mprog_detach, a_named_program_must_be_attached_by_the_requester) {
    objects o;
    attach_point point;
    const link_ref link2 = o.new_link(o.tc(2));
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    ASSERT_TRUE(create_link(point, o, link2).ok());
    const attach_point start = point;
    EXPECT_EQ(detach_opts(point, o, o.tc(3)).code(), E::no_entry);
    EXPECT_EQ(detach_opts(point, o, o.tc(2)).code(), E::busy);
    EXPECT_EQ(detach(point, detach_request{o.tc(1), link2.id, no_flags, 0, 0}, o.resolver).code(), E::busy);
    EXPECT_EQ(point, start);
    const auto removed = detach(point, detach_request{o.tc(2), link2.id, no_flags, 0, 0}, o.resolver);
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(removed.value(), (slot{core::program_id{2}, link2.id}));
    EXPECT_EQ(program_ids(point), (ids{1}));
}

// MP-42
TEST(mprog_detach, a_named_program_with_a_direction_needs_the_relative_next_to_it) {
    objects o;
    attach_point start;
    append_programs(start, o, 4);
    attach_point point = start;
    EXPECT_EQ(detach_opts(point, o, o.tc(2), before, o.fd(o.tc(3))).code(), success);
    EXPECT_EQ(program_ids(point), (ids{1, 3, 4}));
    point = start;
    EXPECT_EQ(detach_opts(point, o, o.tc(3), after, o.fd(o.tc(2))).code(), success);
    EXPECT_EQ(program_ids(point), (ids{1, 2, 4}));

    point = start;
    EXPECT_EQ(detach_opts(point, o, o.tc(1), before, o.fd(o.tc(4))).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, o.tc(2), before, o.fd(o.tc(1))).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, o.tc(2), before, o.fd(o.tc(2))).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, o.tc(3), after, o.fd(o.tc(4))).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, o.tc(2), before, o.fd(o.tc(5))).code(), E::no_entry);
    EXPECT_EQ(detach_opts(point, o, o.tc(2), after, o.fd(o.tc(5))).code(), E::no_entry);
    // Without a relative: ERANGE even for the first slot with BEFORE and
    // the last slot with AFTER.
    EXPECT_EQ(detach_opts(point, o, o.tc(1), before).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, o.tc(4), after).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, o.tc(2), before | after, o.fd(o.tc(3))).code(), E::out_of_range);
    EXPECT_EQ(point, start);
}

// MP-43
TEST(mprog_detach, without_a_program_the_direction_selects_the_slot) {
    objects o;
    attach_point start;
    append_programs(start, o, 4);
    const auto removed_by = [&](attach_flags flags, std::uint32_t relative) {
        attach_point point = start;
        const auto removed = detach_opts(point, o, std::nullopt, flags, relative);
        EXPECT_TRUE(removed.ok());
        EXPECT_EQ(point.count(), 3U);
        return removed.ok() ? removed.value().program.value() : 0U;
    };
    EXPECT_EQ(removed_by(before, 0), 1U);
    EXPECT_EQ(removed_by(after, 0), 4U);
    EXPECT_EQ(removed_by(before, o.fd(o.tc(3))), 2U);
    EXPECT_EQ(removed_by(after, o.fd(o.tc(2))), 3U);
    EXPECT_EQ(removed_by(before | by_id, 4), 3U);
}

// MP-43: the edge cases.
TEST(mprog_detach, before_the_first_or_after_the_last_selects_the_relative_itself) {
    objects o;
    attach_point start;
    append_programs(start, o, 3);
    attach_point point = start;
    EXPECT_EQ(detach_opts(point, o, std::nullopt, before, o.fd(o.tc(1))).value().program.value(), 1U);
    EXPECT_EQ(program_ids(point), (ids{2, 3}));
    point = start;
    EXPECT_EQ(detach_opts(point, o, std::nullopt, after, o.fd(o.tc(3))).value().program.value(), 3U);
    EXPECT_EQ(program_ids(point), (ids{1, 2}));
    point = start;
    EXPECT_EQ(detach_opts(point, o, std::nullopt, before, o.fd(o.tc(5))).code(), E::no_entry);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, before | after).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, before | after, o.fd(o.tc(2))).code(), E::out_of_range);
    EXPECT_EQ(point, start);
}

// MP-44
TEST(mprog_detach, without_a_program_or_direction_only_a_bare_request_takes_the_last_slot) {
    objects o;
    attach_point point;
    append_programs(point, o, 2);
    const link_ref link = o.new_link(o.tc(5));
    EXPECT_EQ(detach_opts(point, o, std::nullopt, no_flags, o.fd(o.tc(1))).code(), E::invalid);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, by_id, 1).code(), E::invalid);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, by_link, o.fd(link)).code(), E::invalid);
    EXPECT_EQ(point.count(), 2U);
    EXPECT_EQ(detach_opts(point, o, std::nullopt).value().program.value(), 2U);
    EXPECT_EQ(program_ids(point), (ids{1}));
}

// MP-44: "behind the last slot" is position 63 on a full attach point, so
// only a detach naming a program or its position otherwise works there.
TEST(mprog_detach, on_a_full_attach_point_the_last_slot_cannot_be_taken_by_position) {
    objects o(63);
    attach_point point;
    append_programs(point, o, 63);
    const attach_point full = point;
    EXPECT_EQ(detach_opts(point, o, std::nullopt).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, after).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, after, o.fd(o.tc(63))).code(), E::out_of_range);
    EXPECT_EQ(point, full);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, after, o.fd(o.tc(61))).value().program.value(), 62U);
    point = full;
    EXPECT_EQ(detach_opts(point, o, o.tc(63)).value().program.value(), 63U);
    point = full;
    EXPECT_EQ(detach_opts(point, o, std::nullopt, before).value().program.value(), 1U);
    EXPECT_EQ(detach_opts(point, o, std::nullopt).value().program.value(), 63U);
}

// MP-45
TEST(mprog_detach, a_position_detach_cannot_take_a_link_owned_slot) {
    objects o;
    attach_point point;
    const link_ref link2 = o.new_link(o.tc(2));
    ASSERT_TRUE(create_link(point, o, o.new_link(o.tc(1))).ok());
    ASSERT_TRUE(attach_opts(point, o, o.tc(3)).ok());
    ASSERT_TRUE(create_link(point, o, link2).ok());
    const attach_point start = point;
    EXPECT_EQ(detach_opts(point, o, std::nullopt).code(), E::busy);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, after).code(), E::busy);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, before).code(), E::busy);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, before, o.fd(o.tc(3))).code(), E::busy);
    EXPECT_EQ(point, start);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, after, o.fd(o.tc(1))).value().program.value(), 3U);
}

// MP-46
TEST(mprog_detach, removal_moves_later_slots_forward_and_returns_the_slot) {
    objects o;
    attach_point point;
    const link_ref link3 = o.new_link(o.tc(3));
    append_programs(point, o, 2);
    ASSERT_TRUE(create_link(point, o, link3).ok());
    ASSERT_TRUE(attach_opts(point, o, o.tc(4)).ok());
    const auto removed = detach_opts(point, o, o.tc(2));
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(removed.value(), (slot{core::program_id{2}, no_link}));
    EXPECT_EQ(program_ids(point), (ids{1, 3, 4}));
    EXPECT_EQ(link_ids(point), (ids{0, link3.id.value(), 0}));
    EXPECT_EQ(point.count(), 3U);
}

// ---------------------------------------------------------------------------
// Query (MP-47 … MP-50; the engine's half of MP-16).

// MP-47
TEST(mprog_query, the_header_reports_flags_0_the_revision_and_the_count) {
    objects o;
    attach_point point;
    auto reply = query(point, query_request{});
    ASSERT_TRUE(reply.status.ok());
    ASSERT_TRUE(reply.written.has_value());
    EXPECT_EQ(reply.written->attach_flags, 0U);
    EXPECT_EQ(reply.written->revision, 1U);
    EXPECT_EQ(reply.written->count, 0U);
    append_programs(point, o, 2);
    reply = query(point, query_request{});
    EXPECT_EQ(reply.written->revision, 3U);
    EXPECT_EQ(reply.written->count, 2U);
    ASSERT_TRUE(detach_opts(point, o, std::nullopt).ok());
    ASSERT_TRUE(detach_opts(point, o, std::nullopt).ok());
    reply = query(point, query_request{});
    EXPECT_EQ(reply.written->revision, 1U);  // no active array
    EXPECT_EQ(reply.written->count, 0U);
    EXPECT_EQ(point.revision(), 5U);
}

// MP-48
TEST(mprog_query, nothing_is_copied_without_a_count_an_id_array_or_programs) {
    objects o;
    attach_point point;
    const auto empty = query(point, all_arrays(8));
    EXPECT_TRUE(empty.status.ok());
    EXPECT_TRUE(empty.written->program_ids.empty());
    append_programs(point, o, 3);
    for (const query_request& request :
         {all_arrays(0), query_request{0, 0, 8, false, true, true, true}, query_request{0, 0, 0, false, false, false, false}}) {
        const auto reply = query(point, request);
        EXPECT_TRUE(reply.status.ok());
        ASSERT_TRUE(reply.written.has_value());
        EXPECT_EQ(reply.written->count, 3U);
        EXPECT_TRUE(reply.written->program_ids.empty());
        EXPECT_TRUE(reply.written->program_attach_flags.empty());
        EXPECT_TRUE(reply.written->link_ids.empty());
        EXPECT_TRUE(reply.written->link_attach_flags.empty());
    }
}

// MP-49
TEST(mprog_query, a_short_buffer_gets_what_fits_and_enospc_with_the_full_count) {
    objects o;
    attach_point point;
    append_programs(point, o, 4);
    const auto reply = query(point, all_arrays(2));
    EXPECT_EQ(reply.status.code(), E::no_space);
    ASSERT_TRUE(reply.written.has_value());
    EXPECT_EQ(reply.written->count, 4U);
    EXPECT_EQ(reply.written->revision, 5U);
    EXPECT_EQ(reply.written->program_ids, (ids{1, 2}));
    EXPECT_EQ(reply.written->link_ids, (ids{0, 0}));
    const auto exact = query(point, all_arrays(4));
    EXPECT_TRUE(exact.status.ok());
    EXPECT_EQ(exact.written->program_ids, (ids{1, 2, 3, 4}));
}

// MP-50
TEST(mprog_query, each_slot_reports_its_program_and_link_ids_and_zero_flags) {
    objects o;
    attach_point point;
    const link_ref link2 = o.new_link(o.tc(2));
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    ASSERT_TRUE(create_link(point, o, link2).ok());
    const auto reply = query(point, all_arrays(10));
    ASSERT_TRUE(reply.status.ok());
    EXPECT_EQ(reply.written->program_ids, (ids{1, 2}));
    EXPECT_EQ(reply.written->program_attach_flags, (ids{0, 0}));
    EXPECT_EQ(reply.written->link_ids, (ids{0, link2.id.value()}));
    EXPECT_EQ(reply.written->link_attach_flags, (ids{0, 0}));
    const auto ids_only = query(point, query_request{0, 0, 10, true, false, false, false});
    EXPECT_EQ(ids_only.written->program_ids, (ids{1, 2}));
    EXPECT_TRUE(ids_only.written->program_attach_flags.empty());
    EXPECT_TRUE(ids_only.written->link_ids.empty());
    EXPECT_TRUE(ids_only.written->link_attach_flags.empty());
}

// MP-16: the engine's half — any non-zero query_flags or attach_flags.
TEST(mprog_query, the_engine_refuses_any_query_or_attach_flags_and_writes_nothing) {
    objects o;
    attach_point point;
    append_programs(point, o, 2);
    for (const query_request& request :
         {query_request{1, 0, 8, true}, query_request{2, 0, 8, true}, query_request{0, 1, 8, true}}) {
        const auto reply = query(point, request);
        EXPECT_EQ(reply.status.code(), E::invalid);
        EXPECT_FALSE(reply.written.has_value());
    }
}

// ---------------------------------------------------------------------------
// Revisions (MP-52, MP-53).

// MP-52
TEST(mprog_revision, every_change_adds_one_and_nothing_else_moves_it) {
    objects o;
    attach_point point;
    link_ref link = o.new_link(o.tc(3));
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    EXPECT_EQ(point.revision(), 2U);
    ASSERT_TRUE(create_link(point, o, link).ok());
    EXPECT_EQ(point.revision(), 3U);
    ASSERT_TRUE(replace_link_program(point, link, o.tc(4)).ok());
    o.update(link, o.tc(4));
    EXPECT_EQ(point.revision(), 4U);
    ASSERT_TRUE(replace_link_program(point, link, o.tc(4)).ok());  // same program
    EXPECT_EQ(point.revision(), 4U);
    EXPECT_FALSE(attach_opts(point, o, o.tc(1)).ok());
    EXPECT_FALSE(detach_opts(point, o, o.tc(2)).ok());
    (void)query(point, all_arrays(8));
    EXPECT_EQ(point.revision(), 4U);
    ASSERT_TRUE(detach_opts(point, o, o.tc(1)).ok());
    EXPECT_EQ(point.revision(), 5U);
    ASSERT_TRUE(remove_link(point, link.id).ok());
    EXPECT_EQ(point.revision(), 6U);
}

// MP-53
TEST(mprog_revision, an_emptied_netkit_attach_point_reports_1_but_expects_its_internal_revision) {
    objects o;
    attach_point point = attach_point::for_netkit();
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    ASSERT_TRUE(detach_opts(point, o, o.tc(1)).ok());
    EXPECT_EQ(query(point, query_request{}).written->revision, 1U);
    EXPECT_EQ(point.revision(), 3U);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), no_flags, 0, 1).code(), E::stale);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), no_flags, 0, 3).code(), success);
    EXPECT_EQ(query(point, query_request{}).written->revision, 4U);
}

// MP-53
TEST(mprog_revision, an_emptied_tcx_attach_point_starts_again_at_1) {
    objects o;
    attach_point point = attach_point::for_tcx();
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    ASSERT_TRUE(attach_opts(point, o, o.tc(2)).ok());
    ASSERT_TRUE(detach_opts(point, o, o.tc(1)).ok());
    EXPECT_EQ(point.revision(), 4U);  // not empty yet
    ASSERT_TRUE(detach_opts(point, o, o.tc(2)).ok());
    EXPECT_EQ(point.revision(), 1U);
    EXPECT_EQ(query(point, query_request{}).written->revision, 1U);
    EXPECT_EQ(attach_opts(point, o, o.tc(3), no_flags, 0, 1).code(), success);
    EXPECT_EQ(point.revision(), 2U);
    const link_ref link = o.new_link(o.tc(4));
    ASSERT_TRUE(create_link(point, o, link).ok());
    ASSERT_TRUE(detach_opts(point, o, o.tc(3)).ok());
    ASSERT_TRUE(remove_link(point, link.id).ok());
    EXPECT_EQ(point.revision(), 1U);
}

// ---------------------------------------------------------------------------
// Links (MP-56, MP-57, MP-58) and device release (MP-61).

// MP-56
TEST(mprog_links, link_creation_with_replace_never_finds_a_slot) {
    objects o;
    attach_point point;
    const link_ref link1 = o.new_link(o.tc(1));
    const link_ref link2 = o.new_link(o.tc(2));
    ASSERT_TRUE(create_link(point, o, link1).ok());
    ASSERT_TRUE(create_link(point, o, link2).ok());
    const attach_point start = point;
    const link_ref link3 = o.new_link(o.tc(3));
    EXPECT_EQ(create_link(point, o, link3, replace).code(), E::no_entry);
    EXPECT_EQ(create_link(point, o, link3, replace, o.fd(o.tc(2))).code(), E::no_entry);
    EXPECT_EQ(create_link(point, o, link3, replace | by_link, o.fd(link2)).code(), E::no_entry);
    EXPECT_EQ(create_link(point, o, link3, replace | by_link | after | by_id, link2.id.value()).code(),
              E::no_entry);
    // When the relative does not resolve, its error is what comes back.
    EXPECT_EQ(create_link(point, o, link3, replace, closed_fd).code(), E::bad_descriptor);
    EXPECT_EQ(create_link(point, o, link3, replace | by_link, 0).code(), E::invalid);
    EXPECT_EQ(point, start);
}

// MP-57
TEST(mprog_links, a_link_update_replaces_its_program_in_place) {
    objects o;
    attach_point point;
    link_ref link1 = o.new_link(o.tc(1));
    link_ref link2 = o.new_link(o.tc(2));
    ASSERT_TRUE(create_link(point, o, link1).ok());
    ASSERT_TRUE(create_link(point, o, link2).ok());
    ASSERT_TRUE(attach_opts(point, o, o.tc(5)).ok());
    const attach_point start = point;

    EXPECT_EQ(replace_link_program(point, link1, o.tc(1)).code(), success);  // same program: no change
    EXPECT_EQ(point, start);
    EXPECT_EQ(replace_link_program(point, link1, o.tc(2)).code(), E::exists);  // by link2
    EXPECT_EQ(replace_link_program(point, link1, o.tc(5)).code(), E::exists);  // by opts
    EXPECT_EQ(replace_link_program(point, link1, o.add_program(other_type, false)).code(), E::invalid);
    EXPECT_EQ(replace_link_program(point, link1, o.add_program(sched_cls, true)).code(), E::invalid);
    EXPECT_EQ(point, start);

    EXPECT_EQ(replace_link_program(point, link2, o.tc(3)).code(), success);
    o.update(link2, o.tc(3));
    EXPECT_EQ(program_ids(point), (ids{1, 3, 5}));
    EXPECT_EQ(link_ids(point), (ids{link1.id.value(), link2.id.value(), 0}));
    EXPECT_EQ(point.revision(), start.revision() + 1);

    attach_point empty;
    EXPECT_EQ(replace_link_program(empty, link1, o.tc(4)).code(), E::no_entry);  // no active array
}

// MP-58
TEST(mprog_links, removing_a_link_takes_its_slot_away) {
    objects o;
    attach_point point;
    const link_ref link1 = o.new_link(o.tc(1));
    const link_ref link2 = o.new_link(o.tc(2));
    ASSERT_TRUE(create_link(point, o, link1).ok());
    ASSERT_TRUE(attach_opts(point, o, o.tc(3)).ok());
    ASSERT_TRUE(create_link(point, o, link2).ok());
    const auto removed = remove_link(point, link1.id);
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(removed.value(), (slot{core::program_id{1}, link1.id}));
    EXPECT_EQ(program_ids(point), (ids{3, 2}));
    EXPECT_EQ(point.revision(), 5U);
    const attach_point after_removal = point;
    EXPECT_EQ(remove_link(point, link1.id).code(), E::no_entry);  // already gone
    EXPECT_EQ(remove_link(point, no_link).code(), E::no_entry);
    EXPECT_EQ(point, after_removal);
    ASSERT_TRUE(detach_opts(point, o, o.tc(3)).ok());
    ASSERT_TRUE(remove_link(point, link2.id).ok());
    EXPECT_FALSE(point.active());
    EXPECT_EQ(point.revision(), 7U);
}

// MP-61: the engine's part — every slot goes and the array is no longer active.
TEST(mprog_links, releasing_the_attach_point_returns_every_slot) {
    objects o;
    attach_point point;
    const link_ref link2 = o.new_link(o.tc(2));
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    ASSERT_TRUE(create_link(point, o, link2).ok());
    const auto removed = release_all(point);
    EXPECT_EQ(removed, (std::vector<slot>{{core::program_id{1}, no_link}, {core::program_id{2}, link2.id}}));
    EXPECT_FALSE(point.active());
    EXPECT_EQ(point.count(), 0U);
    EXPECT_EQ(query(point, query_request{}).written->revision, 1U);
    attach_point tcx = attach_point::for_tcx();
    ASSERT_TRUE(attach_opts(tcx, o, o.tc(1)).ok());
    EXPECT_EQ(release_all(tcx).size(), 1U);
    EXPECT_EQ(tcx, attach_point::for_tcx());
}

// ---------------------------------------------------------------------------
// The reference: the same rules as the spec's consequence statements describe
// the outcome (MP-31, MP-42, MP-43, MP-44), over a plain list — no position
// arithmetic, no "candidate" agreement.

struct reference_entry {
    std::uint32_t program = 0;
    std::uint32_t link = 0;
    friend bool operator==(const reference_entry&, const reference_entry&) = default;
};

struct reference_point {
    std::vector<reference_entry> list;
    std::uint64_t revision = 1;
    bool tcx = false;

    std::optional<std::size_t> find_program(std::uint32_t program) const {
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (list[i].program == program) {
                return i;
            }
        }
        return std::nullopt;
    }
    std::optional<std::size_t> find_relative(const reference_entry& relative) const {
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (list[i].program == relative.program && (relative.link == 0 || list[i].link == relative.link)) {
                return i;
            }
        }
        return std::nullopt;
    }
    void changed() {
        ++revision;
        if (list.empty() && tcx) {
            revision = 1;
        }
    }
};

bool set(attach_flags flags, attach_flags bit) { return uapi::contains(flags, bit); }

// The type a relative must have; `any` for detach by position.
struct reference_type {
    bool any = true;
    std::uint32_t type = 0;
};

struct reference_resolution {
    std::optional<E> error;
    std::optional<reference_entry> relative;
};

reference_resolution reference_resolve(attach_flags flags, std::uint32_t relative, reference_type type,
                                       const table_resolver& objects) {
    const bool id = set(flags, by_id);
    if (set(flags, by_link)) {
        if (!id && relative == 0) {
            return {E::invalid, {}};
        }
        const auto link = id ? objects.link_by_id(relative) : objects.link_by_fd(static_cast<int>(relative));
        if (!link) {
            return {link.code(), {}};
        }
        if (!type.any && link.value().program.type != type.type) {
            return {E::invalid, {}};
        }
        return {{}, reference_entry{link.value().program.id.value(), link.value().id.value()}};
    }
    if (!id && relative == 0) {
        return {};
    }
    const auto program = id ? objects.program_by_id(relative) : objects.program_by_fd(static_cast<int>(relative));
    if (!program) {
        return {program.code(), {}};
    }
    if (!type.any && program.value().type != type.type) {
        return {E::invalid, {}};
    }
    return {{}, reference_entry{program.value().id.value(), 0}};
}

std::optional<E> reference_attach(reference_point& p, const attach_request& r, const table_resolver& objects) {
    const bool with_before = set(r.flags, before);
    const bool with_after = set(r.flags, after);
    const bool with_replace = set(r.flags, replace);
    if (r.program.offloaded) {
        return E::invalid;
    }
    if (r.expected_revision != 0 && r.expected_revision != p.revision) {
        return E::stale;
    }
    if (p.find_program(r.program.id.value())) {
        return E::exists;
    }
    const auto resolved = reference_resolve(r.flags, r.relative, reference_type{false, r.program.type}, objects);
    if (resolved.error) {
        return resolved.error;
    }
    const auto& relative = resolved.relative;
    std::optional<std::size_t> old;
    if (with_replace) {
        old = r.replace ? p.find_program(r.replace->id.value()) : std::nullopt;
        if (!old) {
            return E::no_entry;
        }
        if (p.list[*old].link != r.link.value()) {
            return E::busy;
        }
    } else if (p.list.size() == 63) {
        return E::out_of_range;
    }
    const auto at = relative ? p.find_relative(*relative) : std::nullopt;
    if ((with_before || with_after) && relative && !at) {
        return E::no_entry;
    }
    if (with_before && with_after) {
        return E::out_of_range;
    }
    const reference_entry entry{r.program.id.value(), r.link.value()};
    if (with_replace) {
        if (with_before && !(at && *at == *old + 1)) {
            return E::out_of_range;
        }
        if (with_after && !(at && *at + 1 == *old)) {
            return E::out_of_range;
        }
        p.list[*old] = entry;
    } else if (with_before) {
        p.list.insert(p.list.begin() + static_cast<std::ptrdiff_t>(at ? *at : 0), entry);
    } else if (with_after) {
        p.list.insert(p.list.begin() + static_cast<std::ptrdiff_t>(at ? *at + 1 : p.list.size()), entry);
    } else {
        if (relative || static_cast<std::uint32_t>(r.flags) != 0) {
            return E::invalid;
        }
        p.list.push_back(entry);
    }
    p.changed();
    return std::nullopt;
}

struct reference_detached {
    std::optional<E> error;
    reference_entry removed;
};

reference_detached reference_detach(reference_point& p, const detach_request& r, const table_resolver& objects) {
    const bool with_before = set(r.flags, before);
    const bool with_after = set(r.flags, after);
    if (set(r.flags, replace)) {
        return {E::invalid, {}};
    }
    if (r.expected_revision != 0 && r.expected_revision != p.revision) {
        return {E::stale, {}};
    }
    if (p.list.empty()) {
        return {E::no_entry, {}};
    }
    const reference_type type = r.program ? reference_type{false, r.program->type} : reference_type{};
    const auto resolved = reference_resolve(r.flags, r.relative, type, objects);
    if (resolved.error) {
        return {resolved.error, {}};
    }
    const auto& relative = resolved.relative;
    std::optional<std::size_t> named;
    if (r.program) {
        named = p.find_program(r.program->id.value());
        if (!named) {
            return {E::no_entry, {}};
        }
        if (p.list[*named].link != r.link.value()) {
            return {E::busy, {}};
        }
    }
    // A sentinel index, not std::optional: GCC 12 -O3 warns falsely on the latter here.
    constexpr std::size_t nowhere = static_cast<std::size_t>(-1);
    const std::size_t at_index = relative ? p.find_relative(*relative).value_or(nowhere) : nowhere;
    const bool at = at_index != nowhere;
    if ((with_before || with_after) && relative && !at) {
        return {E::no_entry, {}};
    }
    if (with_before && with_after) {
        return {E::out_of_range, {}};
    }
    const std::size_t last = p.list.size() - 1;
    const bool full = p.list.size() == 63;
    std::size_t target = last;
    if (named) {
        if (with_before && !(at && at_index == *named + 1)) {
            return {E::out_of_range, {}};
        }
        if (with_after && !(at && at_index + 1 == *named)) {
            return {E::out_of_range, {}};
        }
        target = *named;
    } else if (with_before) {
        target = at ? (at_index == 0 ? 0 : at_index - 1) : 0;
    } else if (with_after) {
        if (full && (!at || at_index == last)) {
            return {E::out_of_range, {}};
        }
        target = at ? std::min(at_index + 1, last) : last;
    } else {
        if (relative || static_cast<std::uint32_t>(r.flags) != 0) {
            return {E::invalid, {}};
        }
        if (full) {
            return {E::out_of_range, {}};
        }
        target = last;
    }
    const reference_entry chosen = p.list[target];
    if (chosen.link != 0 && chosen.link != r.link.value()) {
        return {E::busy, {}};
    }
    p.list.erase(p.list.begin() + static_cast<std::ptrdiff_t>(target));
    p.changed();
    return {std::nullopt, chosen};
}

std::optional<E> reference_replace_link(reference_point& p, const link_ref& link, const program_ref& program) {
    if (program.id == link.program.id) {
        return std::nullopt;
    }
    if (p.list.empty()) {
        return E::no_entry;
    }
    if (program.offloaded) {
        return E::invalid;
    }
    if (p.find_program(program.id.value())) {
        return E::exists;
    }
    if (program.type != link.program.type) {
        return E::invalid;
    }
    const auto old = p.find_program(link.program.id.value());
    if (!old) {
        return E::no_entry;
    }
    if (p.list[*old].link != link.id.value()) {
        return E::busy;
    }
    p.list[*old].program = program.id.value();
    p.changed();
    return std::nullopt;
}

std::optional<E> reference_remove_link(reference_point& p, std::uint32_t link) {
    for (std::size_t i = 0; link != 0 && i < p.list.size(); ++i) {
        if (p.list[i].link == link) {
            p.list.erase(p.list.begin() + static_cast<std::ptrdiff_t>(i));
            p.changed();
            return std::nullopt;
        }
    }
    return E::no_entry;
}

query_reply reference_query(const reference_point& p, const query_request& r) {
    if (r.query_flags != 0 || r.attach_flags != 0) {
        return {core::fail(E::invalid), std::nullopt};
    }
    query_output out;
    out.revision = p.list.empty() ? 1 : p.revision;
    out.count = static_cast<std::uint32_t>(p.list.size());
    if (r.count == 0 || !r.program_ids || p.list.empty()) {
        return {core::ok(), out};
    }
    for (std::size_t i = 0; i < p.list.size() && i < r.count; ++i) {
        out.program_ids.push_back(p.list[i].program);
        if (r.program_attach_flags) {
            out.program_attach_flags.push_back(0);
        }
        if (r.link_ids) {
            out.link_ids.push_back(p.list[i].link);
        }
        if (r.link_attach_flags) {
            out.link_attach_flags.push_back(0);
        }
    }
    return {r.count < p.list.size() ? core::status{core::fail(E::no_space)} : core::ok(), out};
}

// Runs decoded random operations on the engine and on the reference, side by
// side, through one shared resolver.
class differential {
  public:
    struct outcome {
        attach_point before;
        bool succeeded = false;
        bool changes_state = false;  // a successful attach, detach, real link update or link removal
    };

    differential(int programs, bundle_lifetime lifetime) : objects_(programs), engine_(lifetime) {
        reference_.tcx = lifetime == bundle_lifetime::while_attached;
        objects_.add_program(other_type, false);
        objects_.add_program(sched_cls, true);
        file_fd_ = static_cast<std::uint32_t>(objects_.resolver.open_file());
    }

    const attach_point& engine() const { return engine_; }
    const reference_point& reference() const { return reference_; }

    void prefill(int n) {
        for (int i = 1; i <= n; ++i) {
            const attach_request request{objects_.tc(i), no_link, std::nullopt, no_flags, 0, 0};
            RC_ASSERT(attach(engine_, request, objects_.resolver).ok());
            RC_ASSERT(!reference_attach(reference_, request, objects_.resolver).has_value());
        }
    }

    outcome run(const std::vector<int>& code) {
        outcome result{engine_, false, false};
        switch (code[0] % 10) {
            case 0: case 1: case 2: case 3: {
                const attach_request request{fresh_program(code[1]), no_link, optional_program(code[5]),
                                             flags(code[2], false), relative(code[3]), expected(code[4])};
                const auto got = attach(engine_, request, objects_.resolver);
                RC_ASSERT(got.code() == reference_attach(reference_, request, objects_.resolver));
                result.succeeded = result.changes_state = got.ok();
                break;
            }
            case 4: case 5: {
                const link_ref link = objects_.new_link(fresh_program(code[1]));
                links_.push_back(link);
                const attach_request request{link.program, link.id, std::nullopt, flags(code[2], true),
                                             relative(code[3]), expected(code[4])};
                const auto got = attach(engine_, request, objects_.resolver);
                RC_ASSERT(got.code() == reference_attach(reference_, request, objects_.resolver));
                result.succeeded = result.changes_state = got.ok();
                break;
            }
            case 6: case 7: {
                const detach_request request{optional_program(code[1]), no_link, flags(code[2], false),
                                             relative(code[3]), expected(code[4])};
                const auto got = detach(engine_, request, objects_.resolver);
                const auto want = reference_detach(reference_, request, objects_.resolver);
                RC_ASSERT(got.code() == want.error);
                if (got.ok()) {
                    RC_ASSERT((reference_entry{got.value().program.value(), got.value().link.value()} == want.removed));
                }
                result.succeeded = result.changes_state = got.ok();
                break;
            }
            case 8:
                run_link_operation(code, result);
                break;
            default: {
                const query_request request{code[1] % 5 == 0 ? 1U : 0U,
                                            code[2] % 7 == 0 ? 1U : 0U,
                                            static_cast<std::uint32_t>(code[3] % 70),
                                            code[4] % 2 == 0,
                                            code[4] % 4 < 2,
                                            code[4] % 8 < 4,
                                            code[4] % 16 < 8};
                const auto got = query(engine_, request);
                RC_ASSERT(got == reference_query(reference_, request));
                result.succeeded = got.status.ok();
                break;
            }
        }
        RC_ASSERT(engine_.count() == reference_.list.size());
        for (std::size_t i = 0; i < reference_.list.size(); ++i) {
            const slot& s = engine_.slots()[i];
            RC_ASSERT((reference_entry{s.program.value(), s.link.value()} == reference_.list[i]));
        }
        RC_ASSERT(engine_.revision() == reference_.revision);
        return result;
    }

  private:
    void run_link_operation(const std::vector<int>& code, outcome& result) {
        if (links_.empty()) {
            RC_ASSERT(remove_link(engine_, core::link_id{9999}).code() == std::optional<E>{E::no_entry});
            return;
        }
        const link_ref picked = some_link(code[1]);
        link_ref& link = *std::find(links_.begin(), links_.end(), picked);
        if (code[2] % 2 == 0) {
            const auto got = remove_link(engine_, link.id);
            RC_ASSERT(got.code() == reference_remove_link(reference_, link.id.value()));
            result.succeeded = result.changes_state = got.ok();
            return;
        }
        if (!engine_.index_of_link(link.id)) {
            return;  // a defunct link: the world answers ENOLINK before the engine (MP-57)
        }
        const program_ref next = fresh_program(code[3]);
        const bool real_change = next.id != link.program.id;
        const auto got = replace_link_program(engine_, link, next);
        RC_ASSERT(got.code() == reference_replace_link(reference_, link, next));
        if (got.ok()) {
            objects_.update(link, next);
        }
        result.succeeded = got.ok();
        result.changes_state = got.ok() && real_change;
    }

    program_ref program(int code) const {
        const auto& all = objects_.programs();
        return all[static_cast<std::size_t>(code) % all.size()];
    }
    program_ref program_with(core::program_id id) const { return objects_.programs()[id.value() - 1]; }
    // Half of the time a program that is not attached yet, so attaches get
    // past MP-24 often enough to reach the positional rules.
    program_ref fresh_program(int code) const {
        if (code % 2 == 0) {
            for (std::size_t i = 0; i < objects_.programs().size(); ++i) {
                const program_ref candidate = program(code / 2 + static_cast<int>(i));
                if (!engine_.index_of_program(candidate.id)) {
                    return candidate;
                }
            }
        }
        return program(code / 2);
    }
    // Half of the time a program that is attached (detach, REPLACE, relatives).
    program_ref attached_program(int code) const {
        if (code % 2 == 0 && engine_.count() > 0) {
            return program_with(engine_.slots()[static_cast<std::size_t>(code / 2) % engine_.count()].program);
        }
        return program(code / 2);
    }
    // Half of the time a link that owns a slot here.
    link_ref some_link(int code) const {
        if (code % 2 == 0) {
            for (std::size_t i = 0; i < links_.size(); ++i) {
                const link_ref& candidate = links_[(static_cast<std::size_t>(code / 2) + i) % links_.size()];
                if (engine_.index_of_link(candidate.id)) {
                    return candidate;
                }
            }
        }
        return links_[static_cast<std::size_t>(code / 2) % links_.size()];
    }
    // None a third of the time: detach by position and REPLACE without an
    // old program must stay common however many programs there are.
    std::optional<program_ref> optional_program(int code) const {
        if (code % 3 == 0) {
            return std::nullopt;
        }
        return attached_program(code / 3);
    }
    // No flags half of the time; otherwise each bit with probability 1/4.
    static attach_flags flags(int code, bool unfiltered) {
        if (code % 2 == 0) {
            return no_flags;
        }
        const attach_flags table[] = {replace, before, after, by_id, by_link, unknown_bit};
        attach_flags out = no_flags;
        for (int i = 0; i < 6; ++i) {
            if (((code >> (2 * i + 1)) & 3) == 0 && (i < 5 || unfiltered)) {
                out = out | table[i];
            }
        }
        return out;
    }
    // R = 0 half of the time, otherwise every kind of object or non-object.
    std::uint32_t relative(int code) const {
        const int which = code / 12;
        switch (code % 12) {
            case 6: return objects_.fd(attached_program(which));
            case 7: return attached_program(which).id.value();
            case 8: return links_.empty() ? 0 : objects_.fd(some_link(which));
            case 9: return links_.empty() ? 0 : some_link(which).id.value();
            case 10: return which % 2 == 0 ? closed_fd : file_fd_;
            case 11: return unknown_id;
            default: return 0;
        }
    }
    std::uint64_t expected(int code) const {
        switch (code % 12) {
            case 9: return engine_.revision();
            case 10: return engine_.revision() + 1;
            case 11: return 1;
            default: return 0;
        }
    }

    objects objects_;
    attach_point engine_;
    reference_point reference_;
    std::vector<link_ref> links_;
    std::uint32_t file_fd_ = 0;
};

rc::Gen<std::vector<std::vector<int>>> operation_sequences() {
    return rc::gen::container<std::vector<std::vector<int>>>(
        rc::gen::container<std::vector<int>>(6, rc::gen::inRange(0, 1 << 12)));
}

bundle_lifetime any_lifetime() {
    return *rc::gen::element(bundle_lifetime::device, bundle_lifetime::while_attached);
}

// MP-20
TEST(mprog_properties, a_refused_operation_changes_nothing) {
    EXPECT_TRUE(rc::check("a refused attach, detach or link operation leaves the attach point as it was (MP-20)", [] {
        differential run(10, any_lifetime());
        run.prefill(*rc::gen::inRange(0, 6));
        for (const auto& code : *operation_sequences()) {
            const auto outcome = run.run(code);
            if (!outcome.succeeded) {
                RC_ASSERT(run.engine() == outcome.before);
            }
        }
    }));
}

// MP-52, MP-53
TEST(mprog_properties, the_revision_moves_by_exactly_one_per_change) {
    EXPECT_TRUE(rc::check("the revision grows by one per change and never otherwise (MP-52, MP-53)", [] {
        differential run(10, any_lifetime());
        for (const auto& code : *operation_sequences()) {
            const auto outcome = run.run(code);
            const attach_point& now = run.engine();
            if (!outcome.changes_state) {
                RC_ASSERT(now.revision() == outcome.before.revision());
                RC_ASSERT(now.slots() == outcome.before.slots());
            } else if (now.count() == 0 && now.releases_when_empty()) {
                RC_ASSERT(now.revision() == 1U);
            } else {
                RC_ASSERT(now.revision() == outcome.before.revision() + 1);
            }
            RC_ASSERT(now.reported_revision() == (now.active() ? now.revision() : 1U));
        }
    }));
}

// MP-04, MP-28
TEST(mprog_properties, an_attach_point_never_holds_more_than_63_programs) {
    EXPECT_TRUE(rc::check("no sequence of operations puts more than 63 programs on an attach point (MP-04)", [] {
        differential run(70, any_lifetime());
        run.prefill(*rc::gen::inRange(55, 64));
        for (const auto& code : *operation_sequences()) {
            (void)run.run(code);
            RC_ASSERT(run.engine().count() <= capacity);
        }
    }));
}

// MP-22, MP-23, MP-24, MP-25, MP-26, MP-27, MP-28, MP-29, MP-30, MP-31, MP-32,
// MP-34, MP-35, MP-37, MP-38, MP-39, MP-40, MP-41, MP-42, MP-43, MP-44,
// MP-45, MP-46, MP-47, MP-48, MP-49, MP-50, MP-57, MP-58
TEST(mprog_properties, the_engine_agrees_with_the_reference_list_model) {
    EXPECT_TRUE(rc::check("the engine and the reference agree on every outcome and state", [] {
        differential run(10, any_lifetime());
        run.prefill(*rc::gen::inRange(0, 6));
        for (const auto& code : *operation_sequences()) {
            (void)run.run(code);
        }
    }));
    EXPECT_TRUE(rc::check("... also on a nearly full attach point", [] {
        differential run(70, any_lifetime());
        run.prefill(*rc::gen::inRange(58, 64));
        for (const auto& code : *operation_sequences()) {
            (void)run.run(code);
        }
    }));
}

// ---------------------------------------------------------------------------
// Scenarios (scenarios.md §2 and the engine parts of §1 and §3), on a fresh
// netkit attach point standing for the primary's.

// SC-NK-006 (engine part: a fresh attach point reports no programs), MP-47, MP-48
TEST(mprog_scenarios, sc_nk_006_a_fresh_pair_has_no_programs_on_either_side) {
    const attach_point primary = attach_point::for_netkit();
    const attach_point peer = attach_point::for_netkit();
    EXPECT_EQ(query(primary, all_arrays(2)).written->count, 0U);
    EXPECT_EQ(query(peer, all_arrays(2)).written->count, 0U);
}

// SC-NK-007 (engine part: the attach and the query), MP-47, MP-50, MP-52
TEST(mprog_scenarios, sc_nk_007_a_primary_link_is_reported_with_its_link_id) {
    objects o;
    attach_point primary;
    const attach_point peer;
    const link_ref link1 = o.new_link(o.tc(1));
    ASSERT_TRUE(create_link(primary, o, link1).ok());
    const auto reply = query(primary, all_arrays(2));
    ASSERT_TRUE(reply.status.ok());
    EXPECT_EQ(reply.written->count, 1U);
    EXPECT_EQ(reply.written->revision, 2U);
    EXPECT_EQ(reply.written->program_ids, (ids{1}));  // entry 1 is not written
    EXPECT_EQ(reply.written->link_ids, (ids{link1.id.value()}));
    EXPECT_EQ(query(peer, all_arrays(2)).written->count, 0U);
}

// SC-NK-009 (engine part: revisions are per attach point), MP-03
TEST(mprog_scenarios, sc_nk_009_revisions_are_per_side) {
    objects o;
    attach_point primary;
    attach_point peer;
    ASSERT_TRUE(create_link(primary, o, o.new_link(o.tc(1))).ok());
    ASSERT_TRUE(create_link(peer, o, o.new_link(o.tc(2))).ok());
    EXPECT_EQ(query(primary, query_request{}).written->revision, 2U);
    EXPECT_EQ(query(peer, query_request{}).written->revision, 2U);
    EXPECT_EQ(query(peer, all_arrays(1)).written->program_ids, (ids{2}));
}

// SC-NK-011 (engine part: closing the links removes their slots), MP-58, MP-47
TEST(mprog_scenarios, sc_nk_011_closing_both_links_empties_both_sides) {
    objects o;
    attach_point primary;
    attach_point peer;
    const link_ref link1 = o.new_link(o.tc(1));
    const link_ref link2 = o.new_link(o.tc(2));
    ASSERT_TRUE(create_link(primary, o, link1).ok());
    ASSERT_TRUE(create_link(peer, o, link2).ok());
    ASSERT_TRUE(remove_link(primary, link1.id).ok());
    ASSERT_TRUE(remove_link(peer, link2.id).ok());
    EXPECT_EQ(query(primary, query_request{}).written->count, 0U);
    EXPECT_EQ(query(peer, query_request{}).written->count, 0U);
}

// SC-NK-013 (engine part), MP-26, MP-29, MP-34, MP-35
TEST(mprog_scenarios, sc_nk_013_a_second_link_before_the_first_programs_descriptor) {
    objects o;
    attach_point point;
    const link_ref link1 = o.new_link(o.tc(1));
    const link_ref link2 = o.new_link(o.tc(2));
    ASSERT_TRUE(create_link(point, o, link1).ok());
    ASSERT_TRUE(create_link(point, o, link2, before, o.fd(o.tc(1))).ok());
    EXPECT_EQ(point.count(), 2U);
    EXPECT_EQ(point.revision(), 3U);
    EXPECT_EQ(program_ids(point), (ids{2, 1}));
    EXPECT_EQ(link_ids(point), (ids{link2.id.value(), link1.id.value()}));
}

// SC-NK-015, SC-NK-016, SC-NK-017 (engine parts), MP-32, MP-29, MP-34, MP-41, MP-46
TEST(mprog_scenarios, sc_nk_015_to_017_opts_attach_before_and_detach) {
    objects o;
    attach_point point;
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    EXPECT_EQ(point.count(), 1U);
    EXPECT_EQ(point.revision(), 2U);
    ASSERT_TRUE(attach_opts(point, o, o.tc(2), before, o.fd(o.tc(1))).ok());
    EXPECT_EQ(program_ids(point), (ids{2, 1}));
    EXPECT_EQ(point.revision(), 3U);
    ASSERT_TRUE(detach_opts(point, o, o.tc(2)).ok());
    EXPECT_EQ(point.count(), 1U);
    ASSERT_TRUE(detach_opts(point, o, o.tc(1)).ok());
    EXPECT_EQ(point.count(), 0U);
}

// SC-NK-028, MP-23, MP-52
TEST(mprog_scenarios, sc_nk_028_expected_revision_on_attach) {
    objects o;
    attach_point point;
    EXPECT_EQ(attach_opts(point, o, o.tc(1), no_flags, 0, 1).code(), success);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), no_flags, 0, 1).code(), E::stale);
    EXPECT_EQ(point.count(), 1U);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), no_flags, 0, 2).code(), success);
    EXPECT_EQ(query(point, query_request{}).written->revision, 3U);
}

// SC-NK-029, MP-38, MP-52
TEST(mprog_scenarios, sc_nk_029_expected_revision_on_detach) {
    objects o;
    attach_point point;
    append_programs(point, o, 2);
    ASSERT_EQ(point.revision(), 3U);
    EXPECT_EQ(detach_opts(point, o, o.tc(2), no_flags, 0, 2).code(), E::stale);
    EXPECT_EQ(detach_opts(point, o, o.tc(2), no_flags, 0, 3).code(), success);
    EXPECT_EQ(point.revision(), 4U);
}

// SC-NK-030, MP-29, MP-30, MP-31
TEST(mprog_scenarios, sc_nk_030_before_and_after_without_a_relative) {
    objects o;
    attach_point point;
    EXPECT_EQ(attach_opts(point, o, o.tc(1), before | after).code(), E::out_of_range);
    EXPECT_EQ(point, attach_point{});
}

// SC-NK-031, MP-26
TEST(mprog_scenarios, sc_nk_031_a_relative_id_of_0) {
    objects o;
    attach_point point;
    EXPECT_EQ(attach_opts(point, o, o.tc(1), before | by_id, 0).code(), E::no_entry);
    EXPECT_EQ(attach_opts(point, o, o.tc(1), after | by_id, 0).code(), E::no_entry);
}

// SC-NK-032, MP-32
TEST(mprog_scenarios, sc_nk_032_a_relative_without_a_direction) {
    objects o;
    attach_point point;
    EXPECT_EQ(attach_opts(point, o, o.tc(1), no_flags, o.fd(o.tc(2))).code(), E::invalid);
    EXPECT_EQ(attach_opts(point, o, o.tc(1), by_id, 2).code(), E::invalid);
}

// SC-NK-033, MP-29, MP-30, MP-31
TEST(mprog_scenarios, sc_nk_033_relatives_that_are_not_attached) {
    objects o;
    attach_point point;
    EXPECT_EQ(attach_opts(point, o, o.tc(1), before | after, o.fd(o.tc(2))).code(), E::no_entry);
    EXPECT_EQ(attach_opts(point, o, o.tc(1), before, o.fd(o.tc(1))).code(), E::no_entry);
    EXPECT_EQ(attach_opts(point, o, o.tc(1), after, o.fd(o.tc(1))).code(), E::no_entry);
}

// SC-NK-034, MP-24
TEST(mprog_scenarios, sc_nk_034_attaching_an_attached_program_again) {
    objects o;
    attach_point point;
    append_programs(point, o, 1);
    EXPECT_EQ(attach_opts(point, o, o.tc(1)).code(), E::exists);
    EXPECT_EQ(attach_opts(point, o, o.tc(1), before, o.fd(o.tc(1))).code(), E::exists);
    EXPECT_EQ(attach_opts(point, o, o.tc(1), after, o.fd(o.tc(1))).code(), E::exists);
    EXPECT_EQ(attach_opts(point, o, o.tc(1), replace, o.fd(o.tc(1)), 0, o.tc(1)).code(), E::exists);
}

// SC-NK-036, MP-27, MP-31, MP-34
TEST(mprog_scenarios, sc_nk_036_replace_keeps_the_position) {
    objects o;
    attach_point point;
    append_programs(point, o, 1);
    ASSERT_TRUE(attach_opts(point, o, o.tc(2), before | by_id, 1).ok());
    EXPECT_EQ(program_ids(point), (ids{2, 1}));
    EXPECT_EQ(point.revision(), 3U);
    ASSERT_TRUE(attach_opts(point, o, o.tc(3), replace, 0, 0, o.tc(2)).ok());
    EXPECT_EQ(program_ids(point), (ids{3, 1}));
    EXPECT_EQ(point.revision(), 4U);
    ASSERT_TRUE(attach_opts(point, o, o.tc(2), replace | before, o.fd(o.tc(1)), 0, o.tc(3)).ok());
    EXPECT_EQ(program_ids(point), (ids{2, 1}));
    EXPECT_EQ(point.revision(), 5U);
}

// SC-NK-037, MP-30, MP-31
TEST(mprog_scenarios, sc_nk_037_replace_with_conflicting_directions) {
    objects o;
    attach_point point;
    append_programs(point, o, 1);
    ASSERT_TRUE(attach_opts(point, o, o.tc(2), before, o.fd(o.tc(1))).ok());
    EXPECT_EQ(attach_opts(point, o, o.tc(3), replace | after, o.fd(o.tc(1)), 0, o.tc(2)).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, o.tc(3), replace | before | after, o.fd(o.tc(1)), 0, o.tc(2)).code(),
              E::out_of_range);
    EXPECT_EQ(program_ids(point), (ids{2, 1}));
}

// SC-NK-038, MP-27, MP-24, MP-34, MP-50
TEST(mprog_scenarios, sc_nk_038_links_and_opts_mixed) {
    objects o;
    attach_point point;
    const link_ref link2 = o.new_link(o.tc(2));
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    ASSERT_TRUE(create_link(point, o, link2).ok());
    EXPECT_EQ(attach_opts(point, o, o.tc(3), replace, 0, 0, o.tc(2)).code(), E::busy);
    EXPECT_EQ(attach_opts(point, o, o.tc(2), replace, 0, 0, o.tc(1)).code(), E::exists);
    EXPECT_EQ(attach_opts(point, o, o.tc(1), replace, 0, 0, o.tc(1)).code(), E::exists);
    EXPECT_EQ(attach_opts(point, o, o.tc(3), replace, 0, 0, o.tc(1)).code(), success);
    const auto reply = query(point, all_arrays(4));
    EXPECT_EQ(reply.written->program_ids, (ids{3, 2}));
    EXPECT_EQ(reply.written->link_ids, (ids{0, link2.id.value()}));
    EXPECT_EQ(reply.written->program_attach_flags, (ids{0, 0}));
    EXPECT_EQ(reply.written->link_attach_flags, (ids{0, 0}));
    EXPECT_EQ(reply.written->attach_flags, 0U);
}

// SC-NK-039, MP-29, MP-34
TEST(mprog_scenarios, sc_nk_039_prepend) {
    objects o;
    attach_point point;
    for (int n = 1; n <= 4; ++n) {
        ASSERT_TRUE(attach_opts(point, o, o.tc(n), before).ok());
    }
    EXPECT_EQ(program_ids(point), (ids{4, 3, 2, 1}));
    EXPECT_EQ(point.revision(), 5U);
}

// SC-NK-040, MP-30, MP-34
TEST(mprog_scenarios, sc_nk_040_append) {
    objects o;
    attach_point point;
    for (int n = 1; n <= 4; ++n) {
        ASSERT_TRUE(attach_opts(point, o, o.tc(n), after).ok());
    }
    EXPECT_EQ(program_ids(point), (ids{1, 2, 3, 4}));
    EXPECT_EQ(point.revision(), 5U);
}

// SC-NK-041, MP-43, MP-39
TEST(mprog_scenarios, sc_nk_041_detach_by_position) {
    objects o;
    attach_point point;
    append_programs(point, o, 4);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, before).value().program.value(), 1U);
    EXPECT_EQ(point.revision(), 6U);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, after).value().program.value(), 4U);
    EXPECT_EQ(point.revision(), 7U);
    EXPECT_EQ(program_ids(point), (ids{2, 3}));
    attach_point empty;
    EXPECT_EQ(detach_opts(empty, o, std::nullopt, before).code(), E::no_entry);
    EXPECT_EQ(detach_opts(empty, o, std::nullopt, after).code(), E::no_entry);
}

// SC-NK-042, MP-41, MP-42, MP-43
TEST(mprog_scenarios, sc_nk_042_detach_before) {
    objects o;
    attach_point point;
    append_programs(point, o, 4);
    EXPECT_EQ(detach_opts(point, o, o.tc(1), before, o.fd(o.tc(2))).code(), success);
    EXPECT_EQ(detach_opts(point, o, o.tc(1), before, o.fd(o.tc(2))).code(), E::no_entry);
    EXPECT_EQ(detach_opts(point, o, o.tc(2), before, o.fd(o.tc(4))).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, o.tc(2), before, o.fd(o.tc(1))).code(), E::no_entry);
    EXPECT_EQ(detach_opts(point, o, o.tc(2), before, o.fd(o.tc(3))).code(), success);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, before, o.fd(o.tc(4))).value().program.value(), 3U);
    EXPECT_EQ(program_ids(point), (ids{4}));
}

// SC-NK-043, MP-41, MP-42, MP-43
TEST(mprog_scenarios, sc_nk_043_detach_after) {
    objects o;
    attach_point point;
    append_programs(point, o, 4);
    EXPECT_EQ(detach_opts(point, o, o.tc(2), after, o.fd(o.tc(1))).code(), success);
    EXPECT_EQ(detach_opts(point, o, o.tc(2), after, o.fd(o.tc(1))).code(), E::no_entry);
    EXPECT_EQ(detach_opts(point, o, o.tc(1), after, o.fd(o.tc(4))).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, o.tc(1), after, o.fd(o.tc(3))).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, o.tc(1), after, o.fd(o.tc(1))).code(), E::out_of_range);
    EXPECT_EQ(detach_opts(point, o, o.tc(3), after, o.fd(o.tc(1))).code(), success);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, after, o.fd(o.tc(1))).value().program.value(), 4U);
    EXPECT_EQ(program_ids(point), (ids{1}));
}

// SC-NK-044, MP-43, MP-45
TEST(mprog_scenarios, sc_nk_044_position_detach_skips_no_link) {
    objects o;
    attach_point point;
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    ASSERT_TRUE(create_link(point, o, o.new_link(o.tc(2))).ok());
    EXPECT_EQ(detach_opts(point, o, std::nullopt, after).code(), E::busy);
    EXPECT_EQ(detach_opts(point, o, std::nullopt, before).code(), success);
    EXPECT_EQ(program_ids(point), (ids{2}));
}

// SC-NK-045, MP-04, MP-28
TEST(mprog_scenarios, sc_nk_045_the_64th_attach) {
    objects o(64);
    attach_point point;
    append_programs(point, o, 63);
    const program_ref extra = o.tc(64);
    EXPECT_EQ(attach_opts(point, o, extra).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, extra, before).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, extra, after).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, extra, before, o.fd(o.tc(1))).code(), E::out_of_range);
    EXPECT_EQ(attach_opts(point, o, extra, after, o.fd(o.tc(63))).code(), E::out_of_range);
    EXPECT_EQ(point.count(), 63U);
}

// SC-NK-046, MP-47, MP-48, MP-49, MP-50, MP-16
TEST(mprog_scenarios, sc_nk_046_query_buffers) {
    objects o;
    attach_point point;
    append_programs(point, o, 4);
    const auto plain = query(point, query_request{});
    EXPECT_TRUE(plain.status.ok());
    EXPECT_EQ(plain.written->count, 4U);
    EXPECT_EQ(plain.written->revision, 5U);
    const auto short_buffer = query(point, query_request{0, 0, 2, true});
    EXPECT_EQ(short_buffer.status.code(), E::no_space);
    EXPECT_EQ(short_buffer.written->program_ids, (ids{1, 2}));
    EXPECT_EQ(short_buffer.written->count, 4U);
    const auto large = query(point, query_request{0, 0, 10, true});
    EXPECT_TRUE(large.status.ok());
    EXPECT_EQ(large.written->program_ids, (ids{1, 2, 3, 4}));
    const auto no_ids = query(point, query_request{0, 0, 10, false});
    EXPECT_TRUE(no_ids.status.ok());
    EXPECT_TRUE(no_ids.written->program_ids.empty());
    const auto zero_count = query(point, query_request{0, 0, 0, true});
    EXPECT_TRUE(zero_count.status.ok());
    EXPECT_TRUE(zero_count.written->program_ids.empty());
    EXPECT_EQ(query(point, query_request{1, 0, 10, true}).status.code(), E::invalid);
    EXPECT_EQ(query(point, query_request{0, 1, 10, true}).status.code(), E::invalid);
}

// SC-NK-047, MP-47, MP-23
TEST(mprog_scenarios, sc_nk_047_query_around_the_first_attach) {
    objects o;
    attach_point point;
    auto reply = query(point, query_request{});
    EXPECT_EQ(reply.written->count, 0U);
    EXPECT_EQ(reply.written->revision, 1U);
    EXPECT_EQ(attach_opts(point, o, o.tc(1), no_flags, 0, 1).code(), success);
    reply = query(point, query_request{});
    EXPECT_EQ(reply.written->count, 1U);
    EXPECT_EQ(reply.written->revision, 2U);
}

// SC-NK-048, SC-NK-118 (engine part), MP-39
TEST(mprog_scenarios, sc_nk_048_detach_on_an_empty_attach_point) {
    objects o;
    attach_point point;
    EXPECT_EQ(detach_opts(point, o, std::nullopt).code(), E::no_entry);
}

// SC-NK-049, MP-25, MP-29, MP-30, MP-35
TEST(mprog_scenarios, sc_nk_049_links_before_and_after_links) {
    objects o;
    attach_point point;
    const link_ref link1 = o.new_link(o.tc(1));
    const link_ref link2 = o.new_link(o.tc(2));
    const link_ref link3 = o.new_link(o.tc(3));
    const link_ref link4 = o.new_link(o.tc(4));
    ASSERT_TRUE(create_link(point, o, link1).ok());
    ASSERT_TRUE(create_link(point, o, link2).ok());
    ASSERT_TRUE(create_link(point, o, link3, before | by_link | by_id, link1.id.value()).ok());
    ASSERT_TRUE(create_link(point, o, link4, after | by_link, o.fd(link2)).ok());
    EXPECT_EQ(program_ids(point), (ids{3, 1, 2, 4}));
    EXPECT_EQ(link_ids(point), (ids{link3.id.value(), link1.id.value(), link2.id.value(), link4.id.value()}));
    EXPECT_EQ(point.revision(), 5U);
}

// SC-NK-050, MP-23
TEST(mprog_scenarios, sc_nk_050_link_creation_with_an_expected_revision) {
    objects o;
    attach_point point;
    ASSERT_TRUE(create_link(point, o, o.new_link(o.tc(1))).ok());
    EXPECT_EQ(create_link(point, o, o.new_link(o.tc(2)), no_flags, 0, 1).code(), E::stale);
    EXPECT_EQ(point.count(), 1U);
    EXPECT_EQ(create_link(point, o, o.new_link(o.tc(2)), no_flags, 0, 2).code(), success);
}

// SC-NK-051, MP-56, MP-57, MP-58, MP-52
TEST(mprog_scenarios, sc_nk_051_link_replace_update_and_detach) {
    objects o;
    attach_point point;
    link_ref link1 = o.new_link(o.tc(1));
    link_ref link2 = o.new_link(o.tc(2));
    ASSERT_TRUE(create_link(point, o, link1).ok());
    ASSERT_TRUE(create_link(point, o, link2).ok());
    ASSERT_EQ(point.revision(), 3U);
    const link_ref link3 = o.new_link(o.tc(3));
    EXPECT_EQ(create_link(point, o, link3, replace, o.fd(o.tc(2))).code(), E::no_entry);
    EXPECT_EQ(create_link(point, o, link3, replace | by_link, o.fd(link2)).code(), E::no_entry);
    EXPECT_EQ(create_link(point, o, link3, replace | by_link | after | by_id, link2.id.value()).code(), E::no_entry);
    EXPECT_EQ(point.count(), 2U);
    ASSERT_TRUE(replace_link_program(point, link2, o.tc(3)).ok());
    o.update(link2, o.tc(3));
    EXPECT_EQ(program_ids(point), (ids{1, 3}));
    EXPECT_EQ(link_ids(point), (ids{link1.id.value(), link2.id.value()}));
    EXPECT_EQ(point.revision(), 4U);
    ASSERT_TRUE(remove_link(point, link2.id).ok());
    EXPECT_EQ(program_ids(point), (ids{1}));
    EXPECT_EQ(point.revision(), 5U);
    EXPECT_EQ(replace_link_program(point, link1, o.tc(1)).code(), success);
    EXPECT_EQ(point.revision(), 5U);
}

// SC-NK-052 (all but the ifindex-0 attempt, which needs a device),
// MP-25, MP-26, MP-29, MP-30, MP-31, MP-32
TEST(mprog_scenarios, sc_nk_052_invalid_link_creations) {
    objects o;
    attach_point point;
    attach_point with_tc2;
    ASSERT_TRUE(attach_opts(with_tc2, o, o.tc(2)).ok());
    const auto attempt = [&](attach_point& p, attach_flags flags, std::uint32_t relative) {
        return create_link(p, o, o.new_link(o.tc(1)), flags, relative).code();
    };
    EXPECT_EQ(attempt(point, before | after, 0), E::out_of_range);
    EXPECT_EQ(attempt(point, before | by_id, 0), E::no_entry);
    EXPECT_EQ(attempt(point, after | by_id, 0), E::no_entry);
    EXPECT_EQ(attempt(point, by_id, 0), E::no_entry);
    EXPECT_EQ(attempt(point, by_link, o.fd(o.tc(2))), E::invalid);
    EXPECT_EQ(attempt(point, by_link, 0), E::invalid);
    EXPECT_EQ(attempt(point, no_flags, o.fd(o.tc(2))), E::invalid);
    EXPECT_EQ(attempt(point, before | after, o.fd(o.tc(2))), E::no_entry);
    EXPECT_EQ(attempt(with_tc2, before | after, o.fd(o.tc(2))), E::out_of_range);
    EXPECT_EQ(attempt(point, before, o.fd(o.tc(1))), E::no_entry);
    EXPECT_EQ(attempt(point, after, o.fd(o.tc(1))), E::no_entry);
    EXPECT_EQ(attempt(point, by_id, 2), E::invalid);
    EXPECT_EQ(attempt(point, by_id, 42), E::no_entry);
    EXPECT_EQ(attempt(point, before | by_link, o.fd(o.tc(2))), E::invalid);
    EXPECT_EQ(point, attach_point{});
    EXPECT_EQ(program_ids(with_tc2), (ids{2}));
}

// SC-NK-053, MP-24, MP-25, MP-26, MP-29, MP-35
TEST(mprog_scenarios, sc_nk_053_relatives_to_an_attached_link) {
    objects o;
    attach_point point;
    const link_ref link1 = o.new_link(o.tc(1));
    ASSERT_TRUE(create_link(point, o, link1).ok());
    EXPECT_EQ(create_link(point, o, o.new_link(o.tc(2)), after | by_link, o.fd(o.tc(1))).code(), E::invalid);
    EXPECT_EQ(create_link(point, o, o.new_link(o.tc(2)), before | by_link | by_id, ~0U).code(), E::no_entry);
    EXPECT_EQ(create_link(point, o, o.new_link(o.tc(1)), before | by_link | by_id, link1.id.value()).code(),
              E::exists);
    EXPECT_EQ(create_link(point, o, o.new_link(o.tc(1)), before | by_id, 1).code(), E::exists);
    EXPECT_EQ(create_link(point, o, o.new_link(o.tc(2)), before | by_link | by_id, link1.id.value()).code(),
              success);
    EXPECT_EQ(point.count(), 2U);
    EXPECT_EQ(program_ids(point), (ids{2, 1}));
}

// SC-NK-119, MP-47
TEST(mprog_scenarios, sc_nk_119_query_when_nothing_is_attached) {
    const auto reply = query(attach_point::for_netkit(), query_request{});
    EXPECT_EQ(reply.written->count, 0U);
    EXPECT_EQ(reply.written->revision, 1U);
}

// SC-NK-120, MP-53, MP-23
TEST(mprog_scenarios, sc_nk_120_the_netkit_revision_quirk) {
    objects o;
    attach_point point = attach_point::for_netkit();
    ASSERT_TRUE(attach_opts(point, o, o.tc(1)).ok());
    ASSERT_TRUE(detach_opts(point, o, o.tc(1)).ok());
    EXPECT_EQ(query(point, query_request{}).written->revision, 1U);
    EXPECT_EQ(attach_opts(point, o, o.tc(1), no_flags, 0, 1).code(), E::stale);
    EXPECT_EQ(point.revision(), 3U);
}

}  // namespace
