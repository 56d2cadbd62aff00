// The exhaustive bounded explorer: breadth-first search over a transition
// system up to a depth or state bound, storing one canonical key per state,
// checking every state it reaches and every transition it takes, and
// returning the shortest trace to the first violation (breadth-first order
// makes the first violating transition found one of the shortest).
//
// The engine knows nothing about netkit. A system says what a state, a
// transition label and a key are:
//
//   struct system {
//       using state = …;   // what successors are computed from
//       using label = …;   // what a trace step is
//       using key = …;     // canonical form: equal for states the system
//                          // considers the same (symmetry reduction lives here)
//       state initial() const;
//       key key_of(const state&) const;
//       std::size_t hash(const key&) const;
//       template <class F> void for_each_successor(const state&, F&& f) const;  // f(label, state&&)
//       violations check_state(const state&) const;                // new states only
//       violations check_step(const state& before, const label&, const state& after) const;
//   };
//
// Two instances ship: check/explore_world.hpp explores model::world over the
// operation alphabet of check/operations.hpp (symmetry-reduced keys), and
// check/lease_machine.hpp a compact encoding of the queue/lease machine (one
// 64-bit word per state) that bench/ compares with SPIN.
//
// Memory: the visited set is an open-addressing table of keys (load ≤ ½),
// plus, per stored state, its parent's index and the label that reached it,
// from which the trace is rebuilt; the frontier holds the states of two
// levels. `explore_report::bytes_per_state` counts all three at their peak.
#pragma once

#include <netkit/check/invariants.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netkit::check {

template <class S>
concept explorable_system = requires(const S& s, const typename S::state& st, const typename S::key& k,
                                     const typename S::label& l) {
    { s.initial() } -> std::convertible_to<typename S::state>;
    { s.key_of(st) } -> std::convertible_to<typename S::key>;
    { s.hash(k) } -> std::convertible_to<std::size_t>;
    { s.check_state(st) } -> std::convertible_to<violations>;
    { s.check_step(st, l, st) } -> std::convertible_to<violations>;
};

struct explore_limits {
    std::size_t max_depth = 4;         // transitions from the initial state
    std::size_t max_states = 1U << 22;  // stored states; the search stops (incomplete) beyond
};

template <class Label>
struct explore_report {
    std::size_t states = 0;       // distinct (canonical) states stored
    std::size_t transitions = 0;  // successor computations, including those reaching known states
    std::size_t depth_reached = 0;
    // true: every state within max_depth was expanded (the bound is a proof
    // bound); false: a violation or max_states stopped the search early.
    bool complete = false;
    bool state_limit_hit = false;
    double seconds = 0;
    std::size_t peak_bytes = 0;  // visited table + per-state trace data + frontier, at its largest
    std::optional<violations> found;
    std::vector<Label> trace;  // from the initial state to the violating step, when `found`

    double states_per_second() const { return seconds > 0 ? static_cast<double>(states) / seconds : 0.0; }
    double bytes_per_state() const {
        return states > 0 ? static_cast<double>(peak_bytes) / static_cast<double>(states) : 0.0;
    }
};

namespace detail {

// Open addressing with linear probing over a power-of-two table; `empty` is
// a key no state maps to. Grows at half full.
template <class Key, class Hash>
class key_set {
  public:
    key_set(Key empty, Hash hash) : empty_(empty), hash_(std::move(hash)), slots_(1024, empty) {}

    // true when `k` was not there (and is now).
    bool insert(const Key& k) {
        if ((size_ + 1) * 2 > slots_.size()) {
            grow();
        }
        return place(slots_, k);
    }
    std::size_t size() const noexcept { return size_; }
    std::size_t bytes() const noexcept { return slots_.capacity() * sizeof(Key); }

  private:
    bool place(std::vector<Key>& table, const Key& k) {
        const std::size_t mask = table.size() - 1;
        for (std::size_t i = hash_(k) & mask;; i = (i + 1) & mask) {
            if (table[i] == empty_) {
                table[i] = k;
                ++size_;
                return true;
            }
            if (table[i] == k) {
                return false;
            }
        }
    }
    void grow() {
        std::vector<Key> bigger(slots_.size() * 2, empty_);
        const std::size_t count = size_;
        size_ = 0;
        for (const Key& k : slots_) {
            if (!(k == empty_)) {
                place(bigger, k);
            }
        }
        size_ = count;
        slots_ = std::move(bigger);
    }

    Key empty_;
    Hash hash_;
    std::vector<Key> slots_;
    std::size_t size_ = 0;
};

}  // namespace detail

// Explores `sys` breadth-first. `empty_key` must differ from every key the
// system produces (e.g. ~0 for a packed state that never has all bits set).
template <explorable_system System>
explore_report<typename System::label> explore(const System& sys, const typename System::key& empty_key,
                                               explore_limits limits = {}) {
    using state = typename System::state;
    using label = typename System::label;
    using key = typename System::key;
    const auto start = std::chrono::steady_clock::now();

    explore_report<label> report;
    auto hash = [&sys](const key& k) { return sys.hash(k); };
    detail::key_set<key, decltype(hash)> visited(empty_key, hash);
    struct node {
        std::uint32_t parent;
        label via;
    };
    std::vector<node> nodes;  // index = insertion order; nodes[0] is the initial state
    struct frontier_entry {
        state s;
        std::uint32_t index;
    };
    std::vector<frontier_entry> current;
    std::vector<frontier_entry> next;

    auto rebuild = [&nodes](std::uint32_t index) {
        std::vector<label> steps;
        while (index != 0) {
            steps.push_back(nodes[index].via);
            index = nodes[index].parent;
        }
        return std::vector<label>(steps.rbegin(), steps.rend());
    };
    auto finish = [&] {
        report.states = visited.size();
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return report;
    };
    auto account = [&] {
        const std::size_t bytes = visited.bytes() + nodes.capacity() * sizeof(node) +
                                  (current.capacity() + next.capacity()) * sizeof(frontier_entry);
        report.peak_bytes = std::max(report.peak_bytes, bytes);
    };

    state first = sys.initial();
    visited.insert(sys.key_of(first));
    nodes.push_back(node{0, label{}});
    if (auto found = sys.check_state(first); !found.empty()) {
        report.found = std::move(found);
        return finish();
    }
    current.push_back(frontier_entry{std::move(first), 0});

    for (std::size_t depth = 0; depth < limits.max_depth && !current.empty(); ++depth) {
        for (const frontier_entry& from : current) {
            bool stop = false;
            sys.for_each_successor(from.s, [&](const label& via, state&& to) {
                if (stop) {
                    return;
                }
                ++report.transitions;
                auto found = sys.check_step(from.s, via, to);
                const bool fresh = visited.insert(sys.key_of(to));
                if (fresh) {
                    nodes.push_back(node{from.index, via});
                    if (found.empty()) {
                        found = sys.check_state(to);
                    }
                }
                if (!found.empty()) {
                    report.found = std::move(found);
                    report.trace = rebuild(from.index);
                    report.trace.push_back(via);
                    report.depth_reached = depth + 1;
                    stop = true;
                    return;
                }
                if (fresh) {
                    if (nodes.size() > limits.max_states) {
                        report.state_limit_hit = true;
                        stop = true;
                        return;
                    }
                    next.push_back(frontier_entry{std::move(to), static_cast<std::uint32_t>(nodes.size() - 1)});
                }
            });
            if (stop) {
                account();
                return finish();
            }
        }
        account();
        if (!next.empty()) {
            report.depth_reached = depth + 1;
        }
        current.swap(next);
        next.clear();
    }
    // Complete within the bound: every state at depth < max_depth expanded
    // (or the reachable space ended earlier).
    report.complete = true;
    return finish();
}

}  // namespace netkit::check
