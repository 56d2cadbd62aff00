// Tests of include/netkit/check/lease_machine.hpp, the compact queue/lease
// machine the explorer is benchmarked on (bench/explorer.cpp) and compared
// with SPIN (bench/spin_compare.py):
//   * every transition the machine offers is what physical_queue_table::step
//     says for its queues, state, event and guards — against a reference
//     written here from the header's description, straight on the table;
//   * the explorer reaches exactly the states and transitions of a naive
//     std::set breadth-first search over that reference, for small N and
//     every configuration;
//   * check_state and check_step report hand-broken states and transitions
//     with their IDs, and a machine with a wrong row is caught with the
//     shortest trace;
//   * the checked-in bench/lease_machine.pml is what to_promela prints.
#include <netkit/check/explorer.hpp>
#include <netkit/check/lease_machine.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#ifndef NETKIT_SOURCE_ROOT
#error "props/check/lease_machine.cpp needs -DNETKIT_SOURCE_ROOT=\"<repository root>\" to find bench/"
#endif

namespace {

using namespace netkit;
using check::lease_label;
using check::lease_machine;
using P = model::physical_queue_state;
using PE = model::physical_queue_event;
using PG = model::physical_queue_guard;
using table = model::physical_queue_table;
using state = lease_machine::state;

::testing::AssertionResult reports(const check::violations& found, std::string_view id) {
    const bool hit = std::any_of(found.begin(), found.end(), [id](const check::violation& v) { return v.id == id; });
    if (hit) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "expected " << id << ", got:\n"
                                         << (found.empty() ? "(nothing)\n" : check::to_string(found));
}

check::explore_limits unbounded() {
    check::explore_limits limits;
    limits.max_depth = std::numeric_limits<std::size_t>::max();
    limits.max_states = std::size_t{1} << 24;
    return limits;
}

std::vector<lease_machine::config> all_configs(unsigned queues) {
    std::vector<lease_machine::config> out;
    for (bool pair : {false, true}) {
        for (bool zero_copy : {false, true}) {
            out.push_back(lease_machine::config{queues, pair, zero_copy});
        }
    }
    return out;
}

std::string name(const lease_machine::config& c) {
    return "N=" + std::to_string(c.queues) + (c.lessee_is_pair ? " pair" : " single") +
           (c.zero_copy_support ? " zero-copy" : " no-zero-copy");
}

// ---- the reference: the machine as the header describes it, on the table --

struct transition {
    lease_label via;
    state to;

    friend bool operator<(const transition& a, const transition& b) {
        return std::tuple(a.via.queue, a.via.event, a.to) < std::tuple(b.via.queue, b.via.event, b.to);
    }
    friend bool operator==(const transition& a, const transition& b) = default;
};

bool is_device_event(PE e) {
    return e == PE::xdp_attach || e == PE::lessee_unregistered || e == PE::lessor_unregistered ||
           e == PE::link_down || e == PE::link_up || e == PE::netns_move;
}

std::vector<transition> reference_successors(const lease_machine::config& cfg, state s) {
    const unsigned n = cfg.queues;
    std::vector<P> queues(n);
    for (unsigned i = 0; i < n; ++i) {
        queues[i] = core::enum_from_index<P>((s >> (3 * i)) & 7U);
    }
    const unsigned count = static_cast<unsigned>(s >> 48) & 31U;
    const bool provider = std::any_of(queues.begin(), queues.end(),
                                      [](P q) { return q == P::mp_direct || q == P::leased_mp; });
    const auto row = [&](P q, PE e, bool last) -> const table::entry_type& {
        return table::step(q, e, [&](PG g) {
            switch (g) {
                case PG::lessee_is_pair:
                    return cfg.lessee_is_pair;
                case PG::no_zero_copy_support:
                    return !cfg.zero_copy_support;
                case PG::provider_on_device:
                    return provider;
                case PG::last_active_after_set:
                    return last;
            }
            return false;
        });
    };
    const auto pack = [&](const std::vector<P>& qs, unsigned c) {
        state out = state{c} << 48;
        for (unsigned i = 0; i < n; ++i) {
            out |= state{core::enum_index(qs[i])} << (3 * i);
        }
        return out;
    };
    std::vector<transition> out;
    for (std::size_t ei = 0; ei < table::event_count; ++ei) {
        const PE e = core::enum_from_index<PE>(ei);
        if (e == PE::channels_grow || e == PE::channels_shrink) {
            for (unsigned i = 0; i < n; ++i) {
                const unsigned target = e == PE::channels_grow ? i + 1 : i;
                const bool offered = e == PE::channels_grow ? target > count : (target >= 1 && target < count);
                if (!offered) {
                    continue;
                }
                std::vector<P> next = queues;
                bool accepted = true;
                for (unsigned j = 0; j < n; ++j) {
                    const auto& r = j < target ? row(queues[j], PE::channels_grow, j + 1 == target)
                                               : row(queues[j], PE::channels_shrink, false);
                    accepted = accepted && !r.refused();
                    next[j] = r.to;
                }
                if (accepted) {
                    out.push_back({lease_label{static_cast<std::uint8_t>(i), e}, pack(next, target)});
                }
            }
        } else if (is_device_event(e)) {
            std::vector<P> next = queues;
            bool accepted = true;
            for (unsigned j = 0; j < n; ++j) {
                const auto& r = row(queues[j], e, false);
                accepted = accepted && !r.refused();
                next[j] = r.to;
            }
            if (accepted) {
                out.push_back({lease_label{lease_label::whole_device, e},
                               pack(next, e == PE::lessor_unregistered ? 0 : count)});
            }
        } else {
            for (unsigned i = 0; i < n; ++i) {
                const auto& r = row(queues[i], e, false);
                if (!r.refused()) {
                    std::vector<P> next = queues;
                    next[i] = r.to;
                    out.push_back({lease_label{static_cast<std::uint8_t>(i), e}, pack(next, count)});
                }
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<transition> machine_successors(const lease_machine& m, state s) {
    std::vector<transition> out;
    m.for_each_successor(s, [&](const lease_label& via, state&& to) { out.push_back({via, to}); });
    std::sort(out.begin(), out.end());
    return out;
}

struct naive_result {
    std::set<state> states;
    std::size_t transitions = 0;
    std::size_t depth = 0;
};

// Breadth-first over the reference with a std::set, level by level.
naive_result naive_bfs(const lease_machine::config& cfg, state initial) {
    naive_result r;
    r.states.insert(initial);
    std::vector<state> level{initial};
    while (!level.empty()) {
        std::vector<state> next;
        for (state s : level) {
            for (const transition& t : reference_successors(cfg, s)) {
                ++r.transitions;
                if (r.states.insert(t.to).second) {
                    next.push_back(t.to);
                }
            }
        }
        if (!next.empty()) {
            ++r.depth;
        }
        level = std::move(next);
    }
    return r;
}

// ---- transitions against the table -------------------------------------

TEST(lease_machine, the_initial_state_is_a_new_nic_with_every_queue_free) {
    const lease_machine m{{4, false, true}};
    const state s = m.initial();
    EXPECT_EQ(lease_machine::real_rx(s), 4U);
    for (unsigned i = 0; i < 4; ++i) {
        EXPECT_EQ(lease_machine::queue(s, i), table::initial);
    }
    EXPECT_EQ(m.describe(s), "C=4 [P1 P1 P1 P1]");
    EXPECT_TRUE(m.check_state(s).empty());
}

TEST(lease_machine, every_transition_of_every_reachable_state_is_the_tables_step) {
    for (unsigned queues = 1; queues <= 4; ++queues) {
        for (const auto& cfg : all_configs(queues)) {
            const lease_machine m{cfg};
            const naive_result reach = naive_bfs(cfg, m.initial());
            for (state s : reach.states) {
                ASSERT_EQ(machine_successors(m, s), reference_successors(cfg, s)) << name(cfg) << " in "
                                                                                  << m.describe(s);
            }
        }
    }
}

TEST(lease_machine, each_row_lookup_equals_physical_queue_table_step) {
    for (const auto& cfg : all_configs(2)) {
        const lease_machine m{cfg};
        for (std::size_t s = 0; s < table::state_count; ++s) {
            for (std::size_t e = 0; e < table::event_count; ++e) {
                for (bool provider : {false, true}) {
                    for (bool last : {false, true}) {
                        const auto& r = m.step_row(core::enum_from_index<P>(s), core::enum_from_index<PE>(e),
                                                   provider, last);
                        const std::uint8_t expected =
                            r.refused() ? lease_machine::refused : static_cast<std::uint8_t>(core::enum_index(r.to));
                        EXPECT_EQ(m.next(static_cast<unsigned>(s), core::enum_from_index<PE>(e), provider, last),
                                  expected);
                    }
                }
            }
        }
    }
}

// A few transitions written out from lease.md, as a reading check of the
// label conventions.
TEST(lease_machine, labels_mean_what_the_header_says) {
    const lease_machine m{{3, false, true}};
    const std::array leased_on_1{P::free, P::leased, P::free};
    const state s = lease_machine::pack(leased_on_1, 3);
    const auto next = machine_successors(m, s);
    const auto has = [&](lease_label l, state to) {
        return std::find(next.begin(), next.end(), transition{l, to}) != next.end();
    };
    const auto offered = [&](lease_label l) {
        return std::any_of(next.begin(), next.end(), [&](const transition& t) { return t.via == l; });
    };
    // QL-PSM-07: queue-create leases queue 0.
    EXPECT_TRUE(has({0, PE::queue_create}, lease_machine::pack(std::array{P::leased, P::leased, P::free}, 3)));
    // SN-CH-07 / QL-PSM-03: shrinking to 2 deactivates queue 2.
    EXPECT_TRUE(has({2, PE::channels_shrink}, lease_machine::pack(std::array{P::free, P::leased, P::inactive}, 2)));
    // QL-PSM-06: shrinking to 1 would remove the leased queue 1: refused.
    EXPECT_FALSE(offered({1, PE::channels_shrink}));
    // QL-PSM-25: V's unregistration frees the leased queue.
    EXPECT_TRUE(has({lease_label::whole_device, PE::lessee_unregistered},
                    lease_machine::pack(std::array{P::free, P::free, P::free}, 3)));
    // QL-PSM-28: P's unregistration: every queue gone, no channels.
    EXPECT_TRUE(has({lease_label::whole_device, PE::lessor_unregistered},
                    lease_machine::pack(std::array{P::gone, P::gone, P::gone}, 0)));
    // QL-PSM-29: link down keeps the lease (a self-loop is a transition).
    EXPECT_TRUE(has({lease_label::whole_device, PE::link_down}, s));
    // No channel set to the current count (SN-CH-02) and none above N.
    EXPECT_FALSE(offered({2, PE::channels_grow}));
    // SN-CH-05: a provider on the queue a shrink would leave last is refused.
    const state provider_on_1 = lease_machine::pack(std::array{P::free, P::mp_direct, P::free}, 3);
    const auto after = machine_successors(m, provider_on_1);
    EXPECT_FALSE(std::any_of(after.begin(), after.end(),
                             [](const transition& t) { return t.via == lease_label{2, PE::channels_shrink}; }));
    // QL-PSM-24: no XDP program while a provider is installed.
    EXPECT_FALSE(std::any_of(after.begin(), after.end(), [](const transition& t) {
        return t.via == lease_label{lease_label::whole_device, PE::xdp_attach};
    }));
}

TEST(lease_machine, labels_print_their_queue_event_and_channel_count) {
    EXPECT_EQ(check::to_string(lease_label{2, PE::queue_create}), "q2.queue_create");
    EXPECT_EQ(check::to_string(lease_label{3, PE::channels_grow}), "q3.channels_grow (real rx 4)");
    EXPECT_EQ(check::to_string(lease_label{3, PE::channels_shrink}), "q3.channels_shrink (real rx 3)");
    EXPECT_EQ(check::to_string(lease_label{lease_label::whole_device, PE::xdp_attach}), "P.xdp_attach");
}

// ---- the explorer against a naive search ---------------------------------

TEST(lease_machine, the_explorer_reaches_what_a_naive_set_based_search_reaches) {
    for (unsigned queues = 1; queues <= 5; ++queues) {
        for (const auto& cfg : all_configs(queues)) {
            const lease_machine m{cfg};
            const naive_result naive = naive_bfs(cfg, m.initial());
            const auto report = check::explore(m, lease_machine::empty_key, unbounded());
            EXPECT_FALSE(report.found.has_value()) << name(cfg) << ": " << check::to_string(*report.found);
            EXPECT_TRUE(report.complete) << name(cfg);
            EXPECT_EQ(report.states, naive.states.size()) << name(cfg);
            EXPECT_EQ(report.transitions, naive.transitions) << name(cfg);
            EXPECT_EQ(report.depth_reached, naive.depth) << name(cfg);
            for (state s : naive.states) {
                ASSERT_NE(s, lease_machine::empty_key);
            }
        }
    }
}

TEST(lease_machine, every_reachable_state_passes_check_state) {
    for (const auto& cfg : all_configs(4)) {
        const lease_machine m{cfg};
        for (state s : naive_bfs(cfg, m.initial()).states) {
            EXPECT_TRUE(m.check_state(s).empty()) << m.describe(s) << "\n" << check::to_string(m.check_state(s));
        }
    }
}

// ---- hand-broken states and transitions -------------------------------------

TEST(lease_machine, check_state_reports_hand_broken_states) {
    const lease_machine m{{4, false, true}};
    // QL-INV-07: a lease on queue 3 above real rx 2.
    EXPECT_TRUE(reports(m.check_state(lease_machine::pack(std::array{P::free, P::free, P::inactive, P::leased}, 2)),
                        "QL-INV-07"));
    // QL-INV-07: an inactive queue below the real rx count.
    EXPECT_TRUE(reports(m.check_state(lease_machine::pack(std::array{P::free, P::inactive, P::free, P::free}, 4)),
                        "QL-INV-07"));
    // QL-INV-07: a registered P without an RX channel.
    EXPECT_TRUE(reports(
        m.check_state(lease_machine::pack(std::array{P::inactive, P::inactive, P::inactive, P::inactive}, 0)),
        "QL-INV-07"));
    // QL-PSM-28: P gone for one queue only, or gone with channels.
    EXPECT_TRUE(reports(m.check_state(lease_machine::pack(std::array{P::gone, P::free, P::free, P::free}, 4)),
                        "QL-PSM-28"));
    EXPECT_TRUE(reports(m.check_state(lease_machine::pack(std::array{P::gone, P::gone, P::gone, P::gone}, 4)),
                        "QL-PSM-28"));
    // LM-ENC: a bit outside the fields, a count above N, a fifth queue.
    const state fine = lease_machine::pack(std::array{P::free, P::leased, P::mp_direct, P::inactive}, 3);
    EXPECT_TRUE(m.check_state(fine).empty()) << check::to_string(m.check_state(fine));
    EXPECT_TRUE(reports(m.check_state(fine | (state{1} << 60)), "LM-ENC"));
    EXPECT_TRUE(reports(m.check_state(lease_machine::with_real_rx(fine, 5)), "LM-ENC"));
    EXPECT_TRUE(reports(m.check_state(lease_machine::with_field(fine, 4, 1)), "LM-ENC"));
}

TEST(lease_machine, check_step_reports_hand_broken_transitions) {
    const lease_machine m{{3, false, true}};
    const state leased = lease_machine::pack(std::array{P::leased, P::free, P::free}, 3);
    const state unleased = lease_machine::pack(std::array{P::free, P::free, P::free}, 3);
    const lease_label link_down{lease_label::whole_device, PE::link_down};
    // QL-LIFE-01/03: link down does not end a lease.
    EXPECT_TRUE(reports(m.check_step(leased, link_down, unleased), "QL-LIFE-01"));
    EXPECT_TRUE(m.check_step(leased, {lease_label::whole_device, PE::lessee_unregistered}, unleased).empty());
    // QL-PSM-07: only queue-create on that queue leases it.
    EXPECT_TRUE(reports(m.check_step(unleased, {0, PE::provider_open_on_physical}, leased), "QL-PSM-07"));
    EXPECT_TRUE(reports(m.check_step(unleased, {1, PE::queue_create}, leased), "QL-PSM-07"));
    EXPECT_TRUE(m.check_step(unleased, {0, PE::queue_create}, leased).empty());
    // QL-PSM-12: a provider appears only by opening one on that queue.
    const state provider = lease_machine::pack(std::array{P::mp_direct, P::free, P::free}, 3);
    EXPECT_TRUE(reports(m.check_step(unleased, {0, PE::af_xdp_copy_bind_on_physical}, provider), "QL-PSM-12"));
    EXPECT_TRUE(m.check_step(unleased, {0, PE::provider_open_on_physical}, provider).empty());
    // LM-STEP: a per-queue event changes its queue only; device events keep the
    // count; a channel set sets it.
    const state two_changed = lease_machine::pack(std::array{P::xsk_direct, P::xsk_direct, P::free}, 3);
    EXPECT_TRUE(reports(m.check_step(unleased, {0, PE::af_xdp_copy_bind_on_physical}, two_changed), "LM-STEP"));
    EXPECT_TRUE(reports(m.check_step(unleased, link_down, lease_machine::with_real_rx(unleased, 2)), "LM-STEP"));
    const state shrunk = lease_machine::pack(std::array{P::free, P::free, P::inactive}, 2);
    EXPECT_TRUE(m.check_step(unleased, {2, PE::channels_shrink}, shrunk).empty());
    EXPECT_TRUE(reports(m.check_step(unleased, {1, PE::channels_shrink}, shrunk), "LM-STEP"));
}

// step_ok (the fast verdict) agrees with the messages' path on any pair.
TEST(lease_machine, the_fast_step_verdict_agrees_with_the_reported_violations) {
    const lease_machine m{{3, false, true}};
    const auto ok = rc::check("step_ok == step_violations(...).empty()", [&m] {
        const auto field = rc::gen::inRange<unsigned>(0, 8);
        state before = lease_machine::with_real_rx(0, *rc::gen::inRange<unsigned>(0, 4));
        state after = lease_machine::with_real_rx(0, *rc::gen::inRange<unsigned>(0, 4));
        for (unsigned i = 0; i < 3; ++i) {
            before = lease_machine::with_field(before, i, *field);
            after = *rc::gen::arbitrary<bool>() ? lease_machine::with_field(after, i, lease_machine::field(before, i))
                                                : lease_machine::with_field(after, i, *field);
        }
        const auto event = core::enum_from_index<PE>(*rc::gen::inRange<std::size_t>(0, table::event_count));
        const auto queue = *rc::gen::element(std::uint8_t{0}, std::uint8_t{1}, std::uint8_t{2},
                                              std::uint8_t{lease_label::whole_device});
        const lease_label via{queue, event};
        RC_ASSERT(m.step_ok(before, via, after) == m.step_violations(before, via, after).empty());
    });
    EXPECT_TRUE(ok);
}

// A machine with one wrong row — link down on P unleases queue 0 — is caught
// with the shortest trace: lease queue 0, then link down.
struct link_down_unleases {
    using state = lease_machine::state;
    using key = lease_machine::key;
    using label = lease_machine::label;
    lease_machine m;

    state initial() const { return m.initial(); }
    key key_of(state s) const { return m.key_of(s); }
    std::size_t hash(key k) const { return m.hash(k); }
    template <class F>
    void for_each_successor(state s, F&& f) const {
        m.for_each_successor(s, [&](const label& via, state&& to) {
            if (via.event == PE::link_down && lease_machine::queue(to, 0) == P::leased) {
                to = lease_machine::with_field(to, 0, static_cast<unsigned>(core::enum_index(P::free)));
            }
            f(via, std::move(to));
        });
    }
    check::violations check_state(state s) const { return m.check_state(s); }
    check::violations check_step(state b, const label& l, state a) const { return m.check_step(b, l, a); }
};

TEST(lease_machine, a_wrong_row_is_found_with_the_shortest_trace) {
    const link_down_unleases broken{lease_machine{{3, false, true}}};
    const auto report = check::explore(broken, lease_machine::empty_key, unbounded());
    ASSERT_TRUE(report.found.has_value());
    EXPECT_TRUE(reports(*report.found, "QL-LIFE-01"));
    ASSERT_EQ(report.trace.size(), 2U);
    EXPECT_EQ(report.trace[0], (lease_label{0, PE::queue_create}));
    EXPECT_EQ(report.trace[1], (lease_label{lease_label::whole_device, PE::link_down}));
}

// ---- the Promela model ---------------------------------------------------

TEST(lease_machine, the_checked_in_promela_model_is_the_generators_output) {
    const std::string path = std::string(NETKIT_SOURCE_ROOT) + "/bench/lease_machine.pml";
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << "cannot read " << path;
    std::ostringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), check::to_promela(lease_machine{lease_machine::benchmark_config}))
        << path << " is stale: regenerate it with `bench_explorer --promela "
        << lease_machine::benchmark_config.queues << " > bench/lease_machine.pml`";
}

TEST(lease_machine, the_promela_model_has_one_option_per_label) {
    for (unsigned queues : {1U, 3U, 7U}) {
        const std::string model = check::to_promela(lease_machine{{queues, false, true}});
        std::size_t options = 0;
        for (std::size_t at = model.find(":: d_step"); at != std::string::npos; at = model.find(":: d_step", at + 1)) {
            ++options;
        }
        // 13 per-queue events per queue, N grow and N-1 shrink sets, 6 device events.
        EXPECT_EQ(options, 13U * queues + queues + (queues - 1) + 6) << queues;
        EXPECT_NE(model.find("#define QUEUES " + std::to_string(queues) + "\n"), std::string::npos);
        EXPECT_EQ(model.find("hidden"), std::string::npos) << "no saved guard is needed by today's table";
    }
}

}  // namespace
