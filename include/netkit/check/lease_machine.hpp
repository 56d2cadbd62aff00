// The queue/lease machine of one NIC as a compact explorer system: every
// physical RX queue of a lessor P in its lease.md §14 state (QL-PSM), packed
// with P's channel count into one 64-bit word, stepped only through
// model::physical_queue_table. It is the model bench/explorer.cpp runs the
// explorer (check/explorer.hpp) on, and `to_promela` writes the same machine
// as a Promela model (bench/lease_machine.pml) so that SPIN can explore it in
// the same run (bench/spin_compare.py): both read their transition relation
// from the same table, so they cannot drift, and the bench asserts they
// reach the same number of states.
//
// What is modelled. One NIC P with `queues` RX queues 0 … N−1 (1 ≤ N ≤ 16),
// its real rx count C (SN-CH-07: queues i < C active, i ≥ C inactive) and one
// lessee V, either a device of a pair or a single device (fixed for a run:
// `lessee_is_pair`), leasing any of P's queues. P's driver either has
// everything AF_XDP zero-copy needs or not (fixed: `zero_copy_support`).
// V's side (QL-VSM: allocated queues, V's own queue 0, the pair primary's
// refusal) is not modelled: the operations' preconditions are taken to pass,
// so only the physical row decides.
//
// State (key == state): bits 3i … 3i+2 hold queue i's state, the enum index
// of physical_queue_state (P0 … P7); bits 48 … 52 hold C (0 … 16); every
// other bit is 0. The initial state is P right after creation: C = N, every
// queue P1 (SN-Q-01, the table's initial state). Once P has unregistered
// every queue is P7 and C is 0 (P has no channels left), so "gone" is one
// state. The empty key of the visited set is ~0 (`empty_key`): its bits 53 …
// 63 are set, which no state has.
//
// Transitions. A label is (queue, event) with event a physical_queue_event;
// it is one operation on P, offered in every state:
//   * per-queue events — queue_create, provider open/close on P or on V,
//     the eight AF_XDP binds and unbinds: queue i's row decides alone. An
//     event "on V" in a state without a lease gets V0's answer, as in the
//     table (the model's reading, see model/queue_fsm.hpp).
//   * channel sets. An ethtool channel set to a new count C' concerns every
//     queue: queues j < C' get channels_grow (guard last_active_after_set
//     exactly for j = C'−1), queues j ≥ C' get channels_shrink. Label
//     (i, channels_grow) is the set to C' = i+1 > C, (i, channels_shrink) the
//     set to C' = i < C with i ≥ 1; so each C' ≠ C has exactly one label and
//     the label names the new highest active queue (grow) or the lowest
//     removed one (shrink). Not offered: a set to the current count (SN-CH-02:
//     a no-op that reaches no queue) and to 0 (SN-CH-04: refused before the
//     queues are looked at). While P is gone C = 0, so every grow label is
//     offered and every queue refuses it (QL-PSM-28).
//   * device events — xdp_attach, lessee_unregistered, lessor_unregistered,
//     link_down, link_up, netns_move — concern P (or V) as a whole: every
//     queue's row is stepped. They are labelled with queue `whole_device`.
//   An operation that steps several queues succeeds only when every queue's
//   row accepts, and then moves every queue to its row's target in one step
//   (the operation is atomic); lessor_unregistered also sets C to 0, a channel
//   set sets C to C'.
//   Guards, evaluated on the state before the operation: lessee_is_pair and
//   no_zero_copy_support from the configuration; provider_on_device when some
//   queue is P2 or P5 (the only states with a provider, QL-INV-06);
//   last_active_after_set as above for channel sets and false for every other
//   event (it is a property of a channel set).
//   Counting: an accepted operation is one transition, also when it changes
//   nothing (closing an absent provider, link up, …: a self-loop that
//   reaches a known state). A refused operation — some row refuses, or the
//   label is not offered — is no transition and produces no state, since a
//   refusal leaves P unchanged (core/fsm.hpp). The Promela model does the
//   same: a refused option is not executable.
//
// Symmetry: none. Queues are not interchangeable — the channel count removes
// the highest indexes first and the SN-CH-05 boundary names one index — so
// the key is the state itself.
//
// Checks. check_state (every new state): LM-ENC (the encoding: C ≤ N, no bit
// outside the fields), QL-PSM-28 (P is gone as a whole: one queue P7 ⇒ all
// P7 and C = 0), QL-INV-07 / SN-CH-07 (P not gone: 1 ≤ C ≤ N and queue j is
// P0 exactly when j ≥ C, so no lease, provider or pool sits above the
// channel count). QL-INV-06 (one owner per queue) is structural: a queue
// state is exactly one of P0 … P7. check_step (every transition): LM-STEP
// (an operation changes only what it concerns: a per-queue event queue i, a
// device event no count but lessor_unregistered's, a channel set the count to
// C'), QL-LIFE-01/03 (a lease ends only by V's or P's unregistration),
// QL-PSM-07 (a lease starts only by queue_create on that queue), QL-MP-08 /
// QL-PSM-12/14 (a provider appears only by provider_open_on_physical or
// _on_virtual on that queue). Each fails if a row of the table were wrong in
// the way it forbids.
#pragma once

#include <netkit/check/explorer.hpp>
#include <netkit/core/enum.hpp>
#include <netkit/core/fsm.hpp>
#include <netkit/model/queue_fsm.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace netkit::check {

// One operation on the machine: an event for one queue, for the channel set
// it names (see above) or, with `whole_device`, for all of P.
struct lease_label {
    static constexpr std::uint8_t whole_device = 0xff;

    std::uint8_t queue = 0;
    model::physical_queue_event event{};

    friend constexpr bool operator==(const lease_label&, const lease_label&) noexcept = default;
};

// "q2.queue_create", "q3.channels_grow (real rx 4)", "P.xdp_attach".
inline std::string to_string(const lease_label& l) {
    using E = model::physical_queue_event;
    std::string out = l.queue == lease_label::whole_device ? std::string("P") : "q" + std::to_string(l.queue);
    out += '.';
    out += core::enum_name(l.event);
    if (l.event == E::channels_grow) {
        out += " (real rx " + std::to_string(l.queue + 1) + ")";
    } else if (l.event == E::channels_shrink) {
        out += " (real rx " + std::to_string(l.queue) + ")";
    }
    return out;
}

class lease_machine {
  public:
    using state = std::uint64_t;
    using key = std::uint64_t;
    using label = lease_label;
    using queue_state = model::physical_queue_state;
    using event = model::physical_queue_event;
    using guard = model::physical_queue_guard;
    using table = model::physical_queue_table;

    static constexpr std::size_t max_queues = 16;
    static constexpr unsigned bits_per_queue = 3;
    static constexpr unsigned count_shift = 48;
    static constexpr state empty_key = ~state{0};

    struct config {
        unsigned queues = 8;
        bool lessee_is_pair = false;
        bool zero_copy_support = true;
    };

    // The configuration of the checked-in bench/lease_machine.pml, which
    // bench/spin_compare.py explores with SPIN and `bench_explorer --report`.
    static constexpr config benchmark_config{7, false, true};

    explicit lease_machine(config c) : config_(c) {
        if (c.queues < 1 || c.queues > max_queues) {
            throw std::invalid_argument("lease_machine: queues must be 1 to 16");
        }
        static_assert(table::state_count == 8 && table::guard_count == 4);
        static_assert(table::state_count <= (1U << bits_per_queue));
        for (std::size_t s = 0; s < table::state_count; ++s) {
            for (std::size_t e = 0; e < table::event_count; ++e) {
                for (unsigned g = 0; g < 4; ++g) {
                    const bool provider = (g & 1U) != 0;
                    const bool last = (g & 2U) != 0;
                    const auto& r = step_row(core::enum_from_index<queue_state>(s), core::enum_from_index<event>(e),
                                             provider, last);
                    next_[(s * table::event_count + e) * 4 + g] =
                        r.refused() ? refused : static_cast<std::uint8_t>(core::enum_index(r.to));
                }
            }
        }
        for (std::size_t s = 0; s < table::state_count; ++s) {
            for (unsigned provider = 0; provider < 2; ++provider) {
                auto& list = per_queue_moves_[s * 2 + provider];
                for (event e : per_queue_events) {
                    const std::uint8_t to = next(static_cast<unsigned>(s), e, provider != 0, false);
                    if (to != refused) {
                        list.moves[list.count++] = move{e, to};
                    }
                }
            }
        }
        queue_mask_ = (state{1} << (bits_per_queue * c.queues)) - 1;
    }

    const config& configuration() const noexcept { return config_; }
    unsigned queues() const noexcept { return config_.queues; }

    // ---- the packed state ---------------------------------------------------

    static constexpr unsigned field(state s, unsigned i) noexcept {
        return static_cast<unsigned>(s >> (bits_per_queue * i)) & 7U;
    }
    static constexpr queue_state queue(state s, unsigned i) noexcept {
        return core::enum_from_index<queue_state>(field(s, i));
    }
    static constexpr unsigned real_rx(state s) noexcept { return static_cast<unsigned>(s >> count_shift) & 31U; }
    static constexpr state with_field(state s, unsigned i, unsigned value) noexcept {
        const unsigned shift = bits_per_queue * i;
        return (s & ~(state{7} << shift)) | (state{value} << shift);
    }
    static constexpr state with_real_rx(state s, unsigned count) noexcept {
        return (s & ~(state{31} << count_shift)) | (state{count} << count_shift);
    }
    // A state from its parts (no check: tests build broken states with it).
    static constexpr state pack(std::span<const queue_state> queue_states, unsigned count) noexcept {
        state s = state{count} << count_shift;
        for (std::size_t i = 0; i < queue_states.size(); ++i) {
            s = with_field(s, static_cast<unsigned>(i), static_cast<unsigned>(core::enum_index(queue_states[i])));
        }
        return s;
    }

    // "C=3 [P1 P4 P2 P0]".
    std::string describe(state s) const {
        std::string out = "C=" + std::to_string(real_rx(s)) + " [";
        for (unsigned i = 0; i < config_.queues; ++i) {
            out += (i == 0 ? "P" : " P") + std::to_string(field(s, i));
        }
        return out + "]";
    }

    // ---- the row of the table for one queue -------------------------------

    // physical_queue_table::step with the guards of this machine.
    const table::entry_type& step_row(queue_state s, event e, bool provider_on_device, bool last_active) const {
        return table::step(s, e, [&](guard g) {
            switch (g) {
                case guard::lessee_is_pair:
                    return config_.lessee_is_pair;
                case guard::no_zero_copy_support:
                    return !config_.zero_copy_support;
                case guard::provider_on_device:
                    return provider_on_device;
                case guard::last_active_after_set:
                    return last_active;
            }
            return false;
        });
    }

    static constexpr bool has_provider(unsigned field_value) noexcept {
        return field_value == core::enum_index(queue_state::mp_direct) ||
               field_value == core::enum_index(queue_state::leased_mp);
    }
    static constexpr bool is_leased(unsigned field_value) noexcept {
        return field_value == core::enum_index(queue_state::leased) ||
               field_value == core::enum_index(queue_state::leased_mp) ||
               field_value == core::enum_index(queue_state::leased_xsk);
    }
    bool provider_on_device(state s) const noexcept {
        for (unsigned i = 0; i < config_.queues; ++i) {
            if (has_provider(field(s, i))) {
                return true;
            }
        }
        return false;
    }

    static constexpr bool is_per_queue(event e) noexcept { return per_queue_event_set[core::enum_index(e)]; }
    static constexpr bool is_channel(event e) noexcept {
        return e == event::channels_grow || e == event::channels_shrink;
    }

    // ---- the explorer's interface -------------------------------------------

    state initial() const noexcept {
        state s = with_real_rx(0, config_.queues);
        for (unsigned i = 0; i < config_.queues; ++i) {
            s = with_field(s, i, static_cast<unsigned>(core::enum_index(table::initial)));
        }
        return s;
    }
    key key_of(state s) const noexcept { return s; }
    std::size_t hash(key k) const noexcept {
        // murmur3's 64-bit finaliser.
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdULL;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53ULL;
        k ^= k >> 33;
        return static_cast<std::size_t>(k);
    }

    template <class F>
    void for_each_successor(state s, F&& f) const {
        const unsigned n = config_.queues;
        const unsigned count = real_rx(s);
        const bool provider = provider_on_device(s);

        // Per-queue events: the precomputed accepted rows of queue i's state.
        for (unsigned i = 0; i < n; ++i) {
            const move_list& list = per_queue_moves_[field(s, i) * 2 + (provider ? 1U : 0U)];
            for (unsigned m = 0; m < list.count; ++m) {
                f(label{static_cast<std::uint8_t>(i), list.moves[m].e}, with_field(s, i, list.moves[m].to));
            }
        }
        // Channel sets to every new count but the current one.
        for (unsigned target = 1; target <= n; ++target) {
            if (target == count) {
                continue;
            }
            state to = s;
            if (!channel_set(s, target, provider, to)) {
                continue;
            }
            const label via = target > count ? label{static_cast<std::uint8_t>(target - 1), event::channels_grow}
                                             : label{static_cast<std::uint8_t>(target), event::channels_shrink};
            f(via, state{to});
        }
        // Device events: every queue's row.
        for (event e : device_events) {
            bool accepted = true;
            state to = s;
            for (unsigned i = 0; i < n && accepted; ++i) {
                const std::uint8_t next_field = next(field(s, i), e, provider, false);
                accepted = next_field != refused;
                to = with_field(to, i, next_field);
            }
            if (!accepted) {
                continue;
            }
            if (e == event::lessor_unregistered) {
                to = with_real_rx(to, 0);
            }
            f(label{lease_label::whole_device, e}, state{to});
        }
    }

    violations check_state(state s) const {
        violations found;
        const unsigned n = config_.queues;
        const unsigned count = real_rx(s);
        if ((s & ~(queue_mask_ | (state{31} << count_shift))) != 0 || count > n) {
            found.push_back({"LM-ENC", "bits outside the fields or real rx above " + std::to_string(n) + ": " +
                                           describe(s)});
            return found;
        }
        const unsigned gone = static_cast<unsigned>(core::enum_index(queue_state::gone));
        const unsigned inactive = static_cast<unsigned>(core::enum_index(queue_state::inactive));
        unsigned gone_queues = 0;
        for (unsigned i = 0; i < n; ++i) {
            gone_queues += field(s, i) == gone ? 1U : 0U;
        }
        if (gone_queues != 0) {
            if (gone_queues != n || count != 0) {
                found.push_back({"QL-PSM-28", "P is gone for some queues only (or keeps channels): " + describe(s)});
            }
            return found;
        }
        if (count < 1) {
            found.push_back({"QL-INV-07", "a registered P with no RX channel: " + describe(s)});
        }
        for (unsigned i = 0; i < n; ++i) {
            const bool inactive_queue = field(s, i) == inactive;
            if (inactive_queue != (i >= count)) {
                found.push_back({"QL-INV-07", "queue " + std::to_string(i) +
                                                  (inactive_queue ? " inactive below" : " in use at or above") +
                                                  " the real rx count: " + describe(s)});
            }
        }
        return found;
    }

    violations check_step(state before, const label& via, state after) const {
        if (before == after || step_ok(before, via, after)) [[likely]] {
            return {};
        }
        return step_violations(before, via, after);
    }

    // check_step's verdict without the messages: bit operations on the
    // changed fields only (the explorer calls it for every transition).
    bool step_ok(state before, const label& via, state after) const noexcept {
        const state changed = before ^ after;
        const state count_bits = state{31} << count_shift;
        const auto e = via.event;
        if (is_per_queue(e)) {
            if (via.queue >= config_.queues || (changed & ~(state{7} << (bits_per_queue * via.queue))) != 0) {
                return false;
            }
            const unsigned from = field(before, via.queue);
            const unsigned to = field(after, via.queue);
            return !(is_leased(from) && !is_leased(to)) &&
                   (is_leased(from) || !is_leased(to) || e == event::queue_create) &&
                   (has_provider(from) || !has_provider(to) || e == event::provider_open_on_physical ||
                    e == event::provider_open_on_virtual);
        }
        if (is_channel(e)) {
            if (real_rx(after) != (e == event::channels_grow ? via.queue + 1U : via.queue)) {
                return false;
            }
        } else if (e != event::lessor_unregistered && (changed & count_bits) != 0) {
            return false;
        }
        const bool unregistration = e == event::lessee_unregistered || e == event::lessor_unregistered;
        for (state fields = changed & queue_mask_; fields != 0;) {
            const unsigned i = static_cast<unsigned>(std::countr_zero(fields)) / bits_per_queue;
            fields &= ~(state{7} << (bits_per_queue * i));
            const unsigned from = field(before, i);
            const unsigned to = field(after, i);
            if ((is_leased(from) && !is_leased(to) && !unregistration) || (!is_leased(from) && is_leased(to)) ||
                (!has_provider(from) && has_provider(to))) {
                return false;
            }
        }
        return true;
    }

    // The violations of one transition, with messages.
    violations step_violations(state before, const label& via, state after) const {
        const state changed = before ^ after;
        violations found;
        const unsigned n = config_.queues;
        const bool per_queue = is_per_queue(via.event);
        const bool channel = is_channel(via.event);
        // LM-STEP: locality.
        if (per_queue && via.queue >= n) {
            found.push_back({"LM-STEP", to_string(via) + " names no queue of P: " + describe(before) + " -> " +
                                            describe(after)});
        } else if (per_queue && (changed & ~(state{7} << (bits_per_queue * via.queue))) != 0) {
            found.push_back({"LM-STEP", to_string(via) + " changed more than its queue: " + describe(before) +
                                            " -> " + describe(after)});
        }
        if (!per_queue && !channel && via.event != event::lessor_unregistered && real_rx(before) != real_rx(after)) {
            found.push_back({"LM-STEP", to_string(via) + " changed the channel count: " + describe(before) + " -> " +
                                            describe(after)});
        }
        if (channel) {
            const unsigned target = via.event == event::channels_grow ? via.queue + 1U : via.queue;
            if (real_rx(after) != target) {
                found.push_back({"LM-STEP", to_string(via) + " did not set the channel count: " + describe(before) +
                                                " -> " + describe(after)});
            }
        }
        for (unsigned i = 0; i < n; ++i) {
            const unsigned from = field(before, i);
            const unsigned to = field(after, i);
            if (from == to) {
                continue;
            }
            const bool on_this_queue = per_queue && via.queue == i;
            if (is_leased(from) && !is_leased(to) && via.event != event::lessee_unregistered &&
                via.event != event::lessor_unregistered) {
                found.push_back({"QL-LIFE-01", "queue " + std::to_string(i) + " lost its lease by " + to_string(via) +
                                                   ": " + describe(before) + " -> " + describe(after)});
            }
            if (!is_leased(from) && is_leased(to) && !(on_this_queue && via.event == event::queue_create)) {
                found.push_back({"QL-PSM-07", "queue " + std::to_string(i) + " became leased by " + to_string(via) +
                                                  ": " + describe(before) + " -> " + describe(after)});
            }
            if (!has_provider(from) && has_provider(to) &&
                !(on_this_queue && (via.event == event::provider_open_on_physical ||
                                    via.event == event::provider_open_on_virtual))) {
                found.push_back({"QL-PSM-12", "queue " + std::to_string(i) + " got a provider by " + to_string(via) +
                                                  ": " + describe(before) + " -> " + describe(after)});
            }
        }
        return found;
    }

    // ---- for the Promela generator and the tests ----------------------------

    // Queue i's next field for event e under the given guards, or `refused`.
    static constexpr std::uint8_t refused = 0xff;
    std::uint8_t next(unsigned field_value, event e, bool provider_on_device, bool last_active) const noexcept {
        return next_[(field_value * table::event_count + core::enum_index(e)) * 4 + (provider_on_device ? 1U : 0U) +
                     (last_active ? 2U : 0U)];
    }

    // The channel set to `target` (≠ the current count): true and `to` when
    // every queue accepts.
    bool channel_set(state s, unsigned target, bool provider, state& to) const noexcept {
        to = with_real_rx(s, target);
        for (unsigned j = 0; j < config_.queues; ++j) {
            const std::uint8_t next_field = j < target ? next(field(s, j), event::channels_grow, provider, j + 1 == target)
                                                       : next(field(s, j), event::channels_shrink, provider, false);
            if (next_field == refused) {
                return false;
            }
            to = with_field(to, j, next_field);
        }
        return true;
    }

    static constexpr std::array<event, 13> per_queue_events{
        event::queue_create,
        event::provider_open_on_physical,
        event::provider_close_on_physical,
        event::provider_open_on_virtual,
        event::provider_close_on_virtual,
        event::af_xdp_copy_bind_on_physical,
        event::af_xdp_zero_copy_bind_on_physical,
        event::af_xdp_forced_zero_copy_bind_on_physical,
        event::af_xdp_unbind_on_physical,
        event::af_xdp_copy_bind_on_virtual,
        event::af_xdp_zero_copy_bind_on_virtual,
        event::af_xdp_forced_zero_copy_bind_on_virtual,
        event::af_xdp_unbind_on_virtual,
    };
    static constexpr std::array<event, 6> device_events{
        event::xdp_attach, event::lessee_unregistered, event::lessor_unregistered,
        event::link_down,  event::link_up,             event::netns_move,
    };
    static_assert(per_queue_events.size() + device_events.size() + 2 == table::event_count,
                  "lease_machine: every physical_queue_event is a per-queue, channel or device event");

  private:
    static constexpr std::array<bool, table::event_count> per_queue_event_set = [] {
        std::array<bool, table::event_count> set{};
        for (event e : per_queue_events) {
            set[core::enum_index(e)] = true;
        }
        return set;
    }();

  public:

  private:
    struct move {
        event e;
        std::uint8_t to;
    };
    struct move_list {
        std::array<move, per_queue_events.size()> moves{};
        unsigned count = 0;
    };

    config config_;
    state queue_mask_ = 0;
    std::array<std::uint8_t, table::state_count * table::event_count * 4> next_{};
    std::array<move_list, table::state_count * 2> per_queue_moves_{};
};

static_assert(explorable_system<lease_machine>);

namespace detail::promela {

// One guard as a Promela expression: the configuration constants, and the
// macro parameters P (provider_on_device) and L (last_active_after_set).
inline std::string_view guard_name(model::physical_queue_guard g) {
    switch (g) {
        case model::physical_queue_guard::lessee_is_pair:
            return "PAIR";
        case model::physical_queue_guard::no_zero_copy_support:
            return "NOZC";
        case model::physical_queue_guard::provider_on_device:
            return "P";
        case model::physical_queue_guard::last_active_after_set:
            return "L";
    }
    return "?";
}

// The value of (state, event) as a nested conditional over the guards in
// the table's order: `accepted` (1/0) or the target state.
template <class Value>
std::string cell(model::physical_queue_state s, model::physical_queue_event e, Value value) {
    using table = model::physical_queue_table;
    std::vector<std::pair<std::string, std::string>> guarded;
    for (const auto& r : table::rows) {
        if (r.from == s && r.event == e && r.guarded()) {
            guarded.emplace_back(std::string(guard_name(core::enum_from_index<model::physical_queue_guard>(
                                     static_cast<std::size_t>(r.guard)))),
                                 value(r));
        }
    }
    std::string out = value(table::step(s, e));
    bool all_equal = true;
    for (const auto& g : guarded) {
        all_equal = all_equal && g.second == out;
    }
    if (all_equal) {
        return out;
    }
    for (auto it = guarded.rbegin(); it != guarded.rend(); ++it) {
        out = "(" + it->first + " -> " + it->second + " : " + out + ")";
    }
    return out;
}

template <class Value>
std::string over_states(model::physical_queue_event e, Value value) {
    using table = model::physical_queue_table;
    std::vector<std::string> cells;
    for (std::size_t s = 0; s < table::state_count; ++s) {
        cells.push_back(cell(core::enum_from_index<model::physical_queue_state>(s), e, value));
    }
    // Trailing states with the same value share the final `else`.
    std::string out = cells.back();
    bool uniform_tail = true;
    for (std::size_t s = table::state_count - 1; s-- > 0;) {
        uniform_tail = uniform_tail && cells[s] == cells.back();
        if (!uniform_tail) {
            out = "(x == " + std::to_string(s) + " -> " + cells[s] + " : " + out + ")";
        }
    }
    return out;
}

// Whether some row's target for `e` depends on provider_on_device.
inline bool target_depends_on_provider(model::physical_queue_event e) {
    using table = model::physical_queue_table;
    using G = model::physical_queue_guard;
    for (std::size_t s = 0; s < table::state_count; ++s) {
        for (unsigned others = 0; others < 8; ++others) {
            const auto target = [&](bool provider) {
                return table::step(core::enum_from_index<model::physical_queue_state>(s), e, [&](G g) {
                           switch (g) {
                               case G::provider_on_device:
                                   return provider;
                               case G::lessee_is_pair:
                                   return (others & 1U) != 0;
                               case G::no_zero_copy_support:
                                   return (others & 2U) != 0;
                               case G::last_active_after_set:
                                   return (others & 4U) != 0;
                           }
                           return false;
                       }).to;
            };
            if (target(false) != target(true)) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace detail::promela

// The machine as a Promela model for SPIN: one process whose do-loop offers
// every label of the machine as one d_step option, executable exactly when
// the operation is accepted, so that SPIN's stored states are the machine's
// states and its transitions the machine's transitions plus one (SPIN counts
// the initial state as a transition: "transitions (= stored+matched)").
// The rows come from physical_queue_table: OK_<event>(x, P, L) and
// TO_<event>(x, P, L) are the table's cell for queue state x as conditional
// expressions over the guards, in the table's order.
inline std::string to_promela(const lease_machine& m) {
    using table = model::physical_queue_table;
    using event = model::physical_queue_event;
    using state = model::physical_queue_state;
    const unsigned n = m.queues();
    const auto& cfg = m.configuration();
    const auto num = [](auto v) { return std::to_string(static_cast<unsigned>(v)); };
    const auto name = [](event e) { return std::string(core::enum_name(e)); };
    std::string out;
    out += "/* The queue/lease machine of netkit::check::lease_machine as a Promela model.\n";
    out += " * Generated from model::physical_queue_table by to_promela\n";
    out += " * (include/netkit/check/lease_machine.hpp; `bench_explorer --promela " + num(n) + "`): do not edit.\n";
    out += " * One NIC with QUEUES RX queues; q[i] is queue i's QL-PSM state, c the real rx count.\n";
    out += " * States: ";
    for (std::size_t s = 0; s < table::state_count; ++s) {
        out += (s == 0 ? "" : ", ") + num(s) + " " + std::string(core::enum_name(core::enum_from_index<state>(s)));
    }
    out += ".\n * Every option of the loop is one operation of the machine, a d_step executable exactly\n";
    out += " * when every row it steps accepts; a refused operation is no transition. */\n\n";
    out += "#define QUEUES " + num(n) + "\n";
    out += "#define PAIR " + num(cfg.lessee_is_pair ? 1 : 0) + "  /* lessee_is_pair */\n";
    out += "#define NOZC " + num(cfg.zero_copy_support ? 0 : 1) + "  /* no_zero_copy_support */\n\n";
    out += "/* provider_on_device: some queue is mp_direct or leased_mp */\n#define PROV (";
    for (unsigned i = 0; i < n; ++i) {
        out += (i == 0 ? "" : " || ") + std::string("q[") + num(i) + "] == " +
               num(core::enum_index(state::mp_direct)) + " || q[" + num(i) + "] == " +
               num(core::enum_index(state::leased_mp));
    }
    out += ")\n\n";
    out += "/* The table: for queue state x, provider_on_device P, last_active_after_set L. */\n";
    for (std::size_t e = 0; e < table::event_count; ++e) {
        const event ev = core::enum_from_index<event>(e);
        out += "#define OK_" + name(ev) + "(x, P, L) " +
               detail::promela::over_states(ev, [](const table::entry_type& r) {
                   return std::string(r.refused() ? "0" : "1");
               }) +
               "\n";
        out += "#define TO_" + name(ev) + "(x, P, L) " +
               detail::promela::over_states(ev, [](const table::entry_type& r) {
                   return std::to_string(core::enum_index(r.to));
               }) +
               "\n";
    }
    out += "\nbyte q[QUEUES] = " + num(core::enum_index(table::initial)) + ";\n";
    out += "byte c = QUEUES;\n";
    // A step of several queues updates them one after the other, so PROV
    // must be read before the first update wherever a target depends on it
    // (no such row today: the variable is left out, which keeps the model
    // open to SPIN's -DBFS, which refuses hidden variables).
    bool needs_saved_guard = false;
    for (event ev : lease_machine::device_events) {
        needs_saved_guard = needs_saved_guard || detail::promela::target_depends_on_provider(ev);
    }
    needs_saved_guard = needs_saved_guard || detail::promela::target_depends_on_provider(event::channels_grow) ||
                        detail::promela::target_depends_on_provider(event::channels_shrink);
    const std::string saved_guard = needs_saved_guard ? "g" : "0";
    if (needs_saved_guard) {
        out += "hidden byte g;  /* provider_on_device before a multi-queue step */\n";
    }
    out += "\n";
    out += "active proctype machine() {\n  do\n";

    const auto q = [&](unsigned i) { return "q[" + num(i) + "]"; };
    // Per-queue events.
    for (unsigned i = 0; i < n; ++i) {
        for (event ev : lease_machine::per_queue_events) {
            out += "  :: d_step { OK_" + name(ev) + "(" + q(i) + ", PROV, 0) -> " + q(i) + " = TO_" + name(ev) + "(" +
                   q(i) + ", PROV, 0) }\n";
        }
    }
    // Channel sets: to `target` ≠ c; queues j < target grow, the others shrink.
    for (unsigned target = 1; target <= n; ++target) {
        const auto step = [&](unsigned j, const std::string& what) {
            const bool grow = j < target;
            const std::string ev = grow ? name(event::channels_grow) : name(event::channels_shrink);
            const std::string last = grow && j + 1 == target ? "1" : "0";
            return what + "_" + ev + "(" + q(j) + ", " + (what == "OK" ? "PROV" : saved_guard) + ", " + last + ")";
        };
        for (int grow = 1; grow >= 0; --grow) {
            if (grow == 0 && target == n) {
                continue;  // a shrink to N: never below c
            }
            out += "  :: d_step { c " + std::string(grow != 0 ? "<" : ">") + " " + num(target);
            for (unsigned j = 0; j < n; ++j) {
                out += " && " + step(j, "OK");
            }
            out += " ->\n      ";
            if (needs_saved_guard) {
                out += " g = PROV;";
            }
            for (unsigned j = 0; j < n; ++j) {
                // += piece by piece: g++ 12 -O3 warns (-Wrestrict, a false
                // positive) on "literal" + std::string temporaries here.
                out += " ";
                out += q(j);
                out += " = ";
                out += step(j, "TO");
                out += ";";
            }
            out += " c = " + num(target) + " }\n";
        }
    }
    // Device events.
    for (event ev : lease_machine::device_events) {
        out += "  :: d_step { ";
        for (unsigned j = 0; j < n; ++j) {
            out += (j == 0 ? "" : " && ") + std::string("OK_") + name(ev) + "(" + q(j) + ", PROV, 0)";
        }
        out += " ->\n      ";
        if (needs_saved_guard) {
            out += " g = PROV;";
        }
        for (unsigned j = 0; j < n; ++j) {
            out += " " + q(j) + " = TO_" + name(ev) + "(" + q(j) + ", " + saved_guard + ", 0);";
        }
        if (ev == event::lessor_unregistered) {
            out += " c = 0;";
        }
        out += " }\n";
    }
    out += "  od\n}\n";
    return out;
}

}  // namespace netkit::check
