// Generators shared by the stateful properties (props/check/stateful.cpp,
// props/check/lease_stateful.cpp): operations drawn by weight with fields
// biased toward references that exist, byte strings for the decoder, the
// reach report, and the runner that checks every step.
#pragma once

#include <netkit/check/invariants.hpp>
#include <netkit/check/operations.hpp>
#include <netkit/check/user_check.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace check_test {

using namespace netkit;
using namespace netkit::check;

template <class T>
inline std::size_t index_of() {
    return operation{T{}}.index();
}

// ------------------------------------------------------------ generator

// Relative frequencies of the operations, by alternative index.
using weights = std::array<int, operation_count>;

inline weights uniform_weights() {
    weights w{};
    w.fill(1);
    return w;
}

template <class... Ts>
inline weights favour(int weight, weights w = uniform_weights()) {
    ((w[index_of<Ts>()] = weight), ...);
    return w;
}

// The fields of one operation come from a single generated 64-bit word,
// read a few bits at a time (more words follow by splitmix64 when an
// operation needs them): one RapidCheck draw per field cost more than
// applying and checking the operation (bench/stateful.cpp). A word of 0
// reads as every field's first choice, so shrinking the word toward 0
// shrinks the fields toward small indexes and the initial netns.
class field_bits {
  public:
    explicit field_bits(std::uint64_t word) : word_(word), seed_(word) {}

    // `bits` bits, low first.
    std::uint32_t take(int bits) {
        if (left_ < bits) {
            word_ = next();
            left_ = 64;
        }
        const auto out = static_cast<std::uint32_t>(word_ & ((std::uint64_t{1} << bits) - 1));
        word_ >>= bits;
        left_ -= bits;
        return out;
    }
    // One of `choices` by weight, from 4 bits; 0 picks the first.
    template <std::size_t N>
    std::uint8_t weighted(const std::array<std::pair<int, std::uint8_t>, N>& choices) {
        int total = 0;
        for (const auto& c : choices) {
            total += c.first;
        }
        int roll = static_cast<int>(take(4)) * total / 16;
        for (const auto& c : choices) {
            if (roll < c.first) {
                return c.second;
            }
            roll -= c.first;
        }
        return choices.back().second;
    }
    // A value in [0, count), near uniform.
    std::size_t below(std::size_t count) { return static_cast<std::size_t>(take(8)) * count / 256; }

  private:
    std::uint64_t next() {  // splitmix64
        std::uint64_t z = (seed_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::uint64_t word_;
    std::uint64_t seed_;
    int left_ = 64;
};

// Full-range words at every size (the size already bounds the sequence's
// length) that shrink in one step, to 0: every field's first choice.
// Halving a 64-bit word toward 0 would try dozens of candidates per
// operation, each a run of the whole sequence, for little gain in a trace.
inline rc::Gen<std::uint64_t> field_words() {
    return rc::Gen<std::uint64_t>([](const rc::Random& random, int) {
        const std::uint64_t word = rc::Random(random).next();
        if (word == 0) {
            return rc::shrinkable::just(word);
        }
        return rc::shrinkable::just(word, rc::seq::just(rc::shrinkable::just(std::uint64_t{0})));
    });
}

// Small indexes mostly, the initial netns most often: references that land
// on something are what make operations succeed.
inline std::uint8_t pick_byte(field_bits& bits, std::string_view field) {
    if (field == "netns") {
        return bits.weighted(std::array<std::pair<int, std::uint8_t>, 4>{{{6, 0}, {2, 1}, {1, 2}, {1, 3}}});
    }
    if (field == "queue") {  // queue 1 is the first a netkit device leases
        return bits.weighted(std::array<std::pair<int, std::uint8_t>, 4>{{{2, 0}, {5, 1}, {2, 2}, {1, 3}}});
    }
    if (field == "mark" || field == "headroom" || field == "ifindex") {
        return static_cast<std::uint8_t>(bits.take(8));
    }
    return static_cast<std::uint8_t>(bits.take(2));
}

template <core::reflected_enum E>
inline E pick_enum(field_bits& bits) {
    const std::size_t count = core::enum_count<E>;
    // "no flags" and "any revision" are the ones that mostly succeed.
    if constexpr (std::is_same_v<E, flag_choice> || std::is_same_v<E, revision_choice>) {
        if (bits.below(10) < 6) {
            return core::enum_from_index<E>(0);
        }
    }
    return core::enum_from_index<E>(bits.below(count));
}

template <class T>
inline void fill(field_bits& bits, std::string_view field, T& value) {
    if constexpr (std::is_same_v<T, bool>) {
        value = bits.take(1) != 0;
    } else if constexpr (std::is_same_v<T, std::uint8_t>) {
        value = pick_byte(bits, field);
    } else if constexpr (core::reflected_enum<T>) {
        value = pick_enum<T>(bits);
    } else if constexpr (check::detail::is_optional<T>::value) {
        if (bits.take(1) != 0) {
            typename T::value_type inner{};
            fill(bits, field, inner);
            value = inner;
        } else {
            value.reset();
        }
    } else {
        T::fields(value, [&bits](std::string_view name, auto& inner) { fill(bits, name, inner); });
    }
}

// A direct generator of operations: one word per operation (`field_words`),
// whose first 16 bits pick the alternative by weight and the rest fill
// every field (`field_bits`). The word shrinks to 0: the first alternative
// with a weight (create_pair by default) with every field's first choice.
inline rc::Gen<operation> operation_from(weights w) {
    int total = 0;
    for (int x : w) {
        total += x;
    }
    return rc::gen::map(field_words(), [w, total](std::uint64_t word) {
        field_bits bits(word);
        const std::uint64_t pick = bits.take(16);  // [0, 2^16) scaled to [0, total)
        auto roll = static_cast<int>((pick * static_cast<std::uint64_t>(total)) >> 16);
        std::size_t index = 0;
        while (roll >= w[index]) {
            roll -= w[index];
            ++index;
        }
        operation op = operation_from_index(index);
        std::visit([&bits](auto& o) { fill(bits, "", o); }, op);
        return op;
    });
}

// Up to 3 × RapidCheck's size (300 operations at the default maximum size
// of 100): long enough to build a few devices and attach to them.
inline rc::Gen<std::vector<operation>> sequences(weights w) {
    return rc::gen::scale(3.0, rc::gen::container<std::vector<operation>>(operation_from(w)));
}

// Up to 10 × the size in bytes: about 100 decoded operations at most.
inline rc::Gen<std::vector<std::uint8_t>> byte_strings() {
    return rc::gen::scale(10.0, rc::gen::arbitrary<std::vector<std::uint8_t>>());
}

// How often each operation succeeded over a property's runs, printed after
// it, so a reader sees that the generator reaches the paths a test names.
struct reach {
    std::map<std::string, std::size_t> applied;
    std::size_t frames_sent = 0;

    void count(const run_report& report) {
        for (const auto& step : report.steps) {
            if (step.result.kind == outcome_kind::applied) {
                ++applied[std::string(name_of(step.op))];
            }
            if (step.result.transmitted && step.result.transmitted->result.status == model::transmit_status::sent) {
                ++frames_sent;
            }
        }
    }
    void print(std::string_view property) const {
        std::string line = "reach of '" + std::string(property) + "': frames sent " + std::to_string(frames_sent);
        for (const auto& [name, n] : applied) {
            line += ", " + name + " " + std::to_string(n);
        }
        std::printf("%s\n", line.c_str());
    }
};

// With NETKIT_TRACE_DIR set (the campaign sets it), a failing run's trace
// goes to DIR/rapidcheck-<stem>.trace; RapidCheck fails every smaller case
// it accepts while shrinking, so the file left is the minimal one.
inline void save_failure_trace(const core::profile_traits& profile, const run_report& report,
                               const std::string& stem = "failure") {
    const char* dir = std::getenv("NETKIT_TRACE_DIR");
    if (dir != nullptr && *dir != '\0' && !report.ok()) {
        (void)save_trace(trace_of(profile.id, report, "rapidcheck"), {}, "rapidcheck-" + stem);
    }
}

inline void run_and_assert(const std::vector<operation>& ops, reach& seen,
                           const core::profile_traits& profile = core::profiles::newest::traits) {
    model::world w(profile);
    const run_report report = run_checked(w, ops);
    seen.count(report);
    if (!report.ok()) {
        save_failure_trace(profile, report);
        RC_FAIL(to_string(report));
    }
}

// A started pair in the initial netns, with the peer in a second netns
// half of the time: what transmit and BPF operations need to do anything.
inline std::vector<operation> pair_prefix(bool peer_elsewhere) {
    create_pair pair;
    pair.mode = mode_choice::l2;
    pair.up = true;
    if (peer_elsewhere) {
        pair.peer_netns = 1;
    }
    // The peer is the second device (after lo) of its netns: it registers
    // before the primary (NK-PAIR-17).
    set_up peer_up;
    peer_up.device = device_ref{static_cast<std::uint8_t>(peer_elsewhere ? 1 : 0), 1};
    peer_up.up = true;
    return {create_netns{}, pair, peer_up};
}

// rc::check over the sequences `make_ops` draws, with its reach printed.
template <class MakeOps>
inline bool check_sequences(const std::string& description, MakeOps make_ops) {
    reach seen;
    const bool ok = rc::check(description, [&] { run_and_assert(make_ops(), seen); });
    seen.print(description);
    return ok;
}

// A started pair, then generated operations.
template <class... Favoured>
inline std::vector<operation> after_a_started_pair(int weight, weights base = uniform_weights()) {
    auto ops = pair_prefix(*rc::gen::arbitrary<bool>());
    const auto more = *sequences(favour<Favoured...>(weight, base));
    ops.insert(ops.end(), more.begin(), more.end());
    return ops;
}


}  // namespace check_test
