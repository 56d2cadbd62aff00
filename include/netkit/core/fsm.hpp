// State machines as checked tables.
//
// A machine is one `table<Initial, Rows...>` type whose rows are
// `row<From, Event, To>` (a transition) or `refuse<From, Event, errno_code::X,
// "extack">` (the kernel refuses that event in that state; the state stays).
// A row may cite the spec rule it implements with `::rule<"QL-PSM-07">`. A
// machine whose outcome also depends on a named condition the model
// evaluates (e.g. "the AF_XDP bind is forced") is a `guarded_table<Guard,
// Initial, Rows...>` and marks such rows `::when<Guard::forced>`. The same
// table drives the run-time step, the Graphviz diagram (core/fsm_dot.hpp),
// the explorer's alphabet and the generators; nothing is written twice.
//
// `static_assert(fsm::verified<Table>)`, right below a table, checks that
//   * every row uses the table's state, event and guard enumerations, in range;
//   * the table is deterministic: at most one row per (state, event, guard);
//   * every state is reachable from the initial one through transitions;
//   * it is total: every (state, event) pair has an unguarded row, either a
//     transition or an explicit refusal carrying its errno.
// A failure names the broken property in a sentence and, in the compiler's
// instantiation notes, the offending state and event
// (fsm::diagnostic::missing_row<state::x, event::y, false>).
//
// Semantics of a step, for a state s and event e: the guarded rows of (s, e)
// are tried in table order and the first whose guard holds applies;
// otherwise the pair's unguarded row applies. Dispatch is one load from a
// dense [state][event] array built at compile time.
//
// Compile-time cost matters (docs/performance.md): a row is a three-argument
// template whose only member is a plain record with type tags, and every
// check is a linear constexpr loop, so a 50 x 50 machine with 2500 rows
// builds in a small multiple of the same machine written as a switch.
#pragma once

#include <netkit/core/enum.hpp>
#include <netkit/core/errno.hpp>
#include <netkit/core/fixed_string.hpp>
#include <netkit/core/invariant.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace netkit::core::fsm {

enum class outcome : std::uint8_t { transition, refusal };

namespace detail {

// One address per type: compared in constant expressions instead of
// instantiating is_same for every row.
template <class T>
inline constexpr char type_tag = 0;

// The texts of a row, shared: most rows have none and point at no_text, so
// a row costs the constant evaluator one pointer instead of two string views.
struct row_text {
    std::string_view message;
    std::string_view rule;
};

inline constexpr row_text no_text{};

template <fixed_string Message>
inline constexpr row_text message_text{Message.view(), {}};

template <const row_text* Inner, fixed_string Rule>
inline constexpr row_text cited_text{Inner->message, Rule.view()};

// A row as the table sees it before its types are checked.
struct raw_row {
    const void* state_tag;
    const void* to_tag;
    const void* event_tag;
    const void* guard_tag;  // meaningful only when `guarded`
    bool guarded;
    std::size_t from;
    std::size_t event;
    std::size_t to;
    std::size_t guard;
    outcome kind;
    errno_code error;
    const row_text* text;
};

}  // namespace detail

// One row as data, typed. `guard` is the index of the guard enumerator, or -1.
template <class State, class Event>
struct entry {
    State from;
    Event event;
    outcome kind;
    State to;
    errno_code error;
    int guard;
    const detail::row_text* text;

    // The extack message of a refusal ("" when the kernel sets none).
    constexpr std::string_view message() const noexcept { return text->message; }
    // The spec rule the row cites ("" when it cites none).
    constexpr std::string_view rule() const noexcept { return text->rule; }
    constexpr bool guarded() const noexcept { return guard >= 0; }
    constexpr bool refused() const noexcept { return kind == outcome::refusal; }
};

template <class Row, auto Guard>
struct guarded_row;
template <class Row, fixed_string Id>
struct cited_row;

// A transition From --Event--> To.
template <auto From, auto Event, auto To>
struct row {
    // The row applies only when the model says the named condition holds.
    template <auto Condition>
    using when = guarded_row<row, Condition>;
    // Cites the spec rule the row implements; shown in diagrams and traces.
    template <fixed_string RuleId>
    using rule = cited_row<row, RuleId>;

    static constexpr detail::raw_row value{&detail::type_tag<std::remove_cv_t<decltype(From)>>,
                                           &detail::type_tag<std::remove_cv_t<decltype(To)>>,
                                           &detail::type_tag<std::remove_cv_t<decltype(Event)>>,
                                           nullptr,
                                           false,
                                           static_cast<std::size_t>(From),
                                           static_cast<std::size_t>(Event),
                                           static_cast<std::size_t>(To),
                                           0,
                                           outcome::transition,
                                           errno_code{},
                                           &detail::no_text};
};

// An explicit refusal: in From, Event fails with Error (and extack Message);
// the state does not change.
template <auto From, auto Event, errno_code Error, fixed_string Message = "">
struct refuse {
    // The row applies only when the model says the named condition holds.
    template <auto Condition>
    using when = guarded_row<refuse, Condition>;
    // Cites the spec rule the row implements; shown in diagrams and traces.
    template <fixed_string RuleId>
    using rule = cited_row<refuse, RuleId>;

    static constexpr detail::raw_row value{&detail::type_tag<std::remove_cv_t<decltype(From)>>,
                                           &detail::type_tag<std::remove_cv_t<decltype(From)>>,
                                           &detail::type_tag<std::remove_cv_t<decltype(Event)>>,
                                           nullptr,
                                           false,
                                           static_cast<std::size_t>(From),
                                           static_cast<std::size_t>(Event),
                                           static_cast<std::size_t>(From),
                                           0,
                                           outcome::refusal,
                                           Error,
                                           Message.size() == 0 ? &detail::no_text
                                                               : &detail::message_text<Message>};
};

template <class Row, auto Guard>
struct guarded_row {
    // The row applies only when the model says the named condition holds.
    template <auto Condition>
    using when = guarded_row<guarded_row, Condition>;
    // Cites the spec rule the row implements; shown in diagrams and traces.
    template <fixed_string RuleId>
    using rule = cited_row<guarded_row, RuleId>;

    static constexpr detail::raw_row value = [] {
        detail::raw_row r = Row::value;
        r.guard_tag = &detail::type_tag<std::remove_cv_t<decltype(Guard)>>;
        r.guarded = true;
        r.guard = static_cast<std::size_t>(Guard);
        return r;
    }();
};

template <class Row, fixed_string Id>
struct cited_row {
    // The row applies only when the model says the named condition holds.
    template <auto Condition>
    using when = guarded_row<cited_row, Condition>;
    // Cites the spec rule the row implements; shown in diagrams and traces.
    template <fixed_string RuleId>
    using rule = cited_row<cited_row, RuleId>;

    static constexpr detail::raw_row value = [] {
        detail::raw_row r = Row::value;
        r.text = &detail::cited_text<Row::value.text, Id>;
        return r;
    }();
};

// The guard enumeration of a table without guarded rows.
struct no_guard {
    friend constexpr bool operator==(no_guard, no_guard) noexcept { return true; }
};

namespace detail {

template <class Guard>
constexpr std::size_t guard_count() noexcept {
    if constexpr (std::is_same_v<Guard, no_guard>) {
        return 0;
    } else {
        return enum_count<Guard>;
    }
}

// What verification found; every index refers to Table::rows or an enumerator.
struct analysis {
    bool types_match = true;
    bool rows_in_range = true;
    std::size_t bad_row = 0;
    bool duplicate = false;
    std::size_t duplicate_first = 0;
    std::size_t duplicate_second = 0;
    bool unreachable = false;
    std::size_t unreachable_state = 0;
    bool incomplete = false;
    std::size_t missing_state = 0;
    std::size_t missing_event = 0;
};

}  // namespace detail

template <class Guard, auto Initial, class... Rows>
struct basic_table {
    using state_type = std::remove_cv_t<decltype(Initial)>;
    using guard_type = Guard;

    static_assert(reflected_enum<state_type>,
                  "netkit fsm: a table's states must be an enumeration declared with NETKIT_ENUM");
    static_assert(sizeof...(Rows) > 0, "netkit fsm: a table needs at least one row");
    static_assert(std::is_same_v<Guard, no_guard> || reflected_enum<Guard>,
                  "netkit fsm: a table's guards must be an enumeration declared with NETKIT_ENUM");

    static constexpr std::size_t row_count = sizeof...(Rows);

    // Wrapped in a struct so it can be copied out in one read (see compile()).
    struct raw_block {
        detail::raw_row rows[row_count];
    };
    static constexpr raw_block raw{{Rows::value...}};

};

namespace detail {

// The event type of a table, recovered from its first row.
template <class Row>
struct row_event;
template <auto From, auto Event, auto To>
struct row_event<row<From, Event, To>> {
    using type = std::remove_cv_t<decltype(Event)>;
};
template <auto From, auto Event, errno_code Error, fixed_string Message>
struct row_event<refuse<From, Event, Error, Message>> {
    using type = std::remove_cv_t<decltype(Event)>;
};
template <class Row, auto Guard>
struct row_event<guarded_row<Row, Guard>> : row_event<Row> {};
template <class Row, fixed_string Id>
struct row_event<cited_row<Row, Id>> : row_event<Row> {};

template <class Head, class... Tail>
struct first_of {
    using type = Head;
};

}  // namespace detail

namespace detail {

// The checks behind `verified`, over plain arrays the caller copied out of
// the table class (see checked_table::compile()).
template <std::size_t States, std::size_t Events, std::size_t Guards, class Entry, class Index>
constexpr analysis analyze_rows(const Entry* rows, std::size_t row_count, const Index* fallback, bool types_match,
                                bool rows_in_range, std::size_t bad_row, std::size_t initial) noexcept {
    constexpr Index no_row = static_cast<Index>(-1);
    analysis a{};
    a.types_match = types_match;
    if (!rows_in_range) {
        a.rows_in_range = false;
        a.bad_row = bad_row;
        return a;
    }
    // One slot per (state, event, guard or none): linear in the rows.
    constexpr std::size_t guard_slots = Guards + 1;
    Index first_row[States * Events * guard_slots]{};
    for (std::size_t slot = 0; slot < States * Events * guard_slots; ++slot) {
        first_row[slot] = no_row;
    }
    for (std::size_t i = 0; i < row_count; ++i) {
        const Entry& r = rows[i];
        // Plain casts, not enum_index(): a call costs the evaluator more than
        // the arithmetic.
        const std::size_t slot =
            (static_cast<std::size_t>(r.from) * Events + static_cast<std::size_t>(r.event)) * guard_slots +
            static_cast<std::size_t>(r.guard + 1);
        if (first_row[slot] != no_row) {
            a.duplicate = true;
            a.duplicate_first = first_row[slot];
            a.duplicate_second = i;
            break;
        }
        first_row[slot] = static_cast<Index>(i);
    }
    // Reachability as a fixpoint over the rows: a handful of linear passes.
    bool seen[States]{};
    seen[initial] = true;
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = 0; i < row_count; ++i) {
            const auto from = static_cast<std::size_t>(rows[i].from);
            const auto to = static_cast<std::size_t>(rows[i].to);
            if (rows[i].kind == outcome::transition && seen[from] && !seen[to]) {
                seen[to] = true;
                changed = true;
            }
        }
    }
    for (std::size_t s = 0; s < States; ++s) {
        if (!seen[s]) {
            a.unreachable = true;
            a.unreachable_state = s;
            break;
        }
    }
    for (std::size_t c = 0; c < States * Events; ++c) {
        if (fallback[c] == no_row) {
            a.incomplete = true;
            a.missing_state = c / Events;
            a.missing_event = c % Events;
            break;
        }
    }
    return a;
}

}  // namespace detail

template <class Guard, auto Initial, class... Rows>
struct checked_table : basic_table<Guard, Initial, Rows...> {
    using base = basic_table<Guard, Initial, Rows...>;
    using typename base::guard_type;
    using typename base::state_type;
    using event_type = typename detail::row_event<typename detail::first_of<Rows...>::type>::type;
    using entry_type = entry<state_type, event_type>;

    static_assert(reflected_enum<event_type>,
                  "netkit fsm: a table's events must be an enumeration declared with NETKIT_ENUM");
    static constexpr state_type initial = Initial;
    static constexpr std::size_t state_count = enum_count<state_type>;
    static constexpr std::size_t event_count = enum_count<event_type>;
    static constexpr std::size_t guard_count = detail::guard_count<Guard>();
    static constexpr bool has_guards = !std::is_same_v<Guard, no_guard>;
    using base::row_count;

    using index_type = std::conditional_t<(row_count < 0xffff), std::uint16_t, std::uint32_t>;
    static constexpr index_type no_row = static_cast<index_type>(-1);

    static constexpr std::size_t cell(state_type state, event_type event) noexcept {
        return enum_index(state) * event_count + enum_index(event);
    }

  private:
    static constexpr std::size_t cell_count = state_count * event_count;

    // Everything the table needs, computed in one pass over the rows. gcc's
    // constant evaluator pays for every read of a static member of a class
    // with thousands of template arguments (it hashes them), so compile()
    // and analyze() copy such members into locals with one read each and
    // loop over the copies: 2500 rows verify about three times faster.
    struct compiled_table {
        entry_type rows[row_count]{};
        index_type fallback[cell_count]{};  // the unguarded row per pair, or no_row
        bool guarded[cell_count]{};          // the pair has guarded rows
        bool types_match = true;
        bool rows_in_range = true;
        std::size_t bad_row = 0;
    };

    static constexpr compiled_table compile() noexcept {
        compiled_table out{};
        for (std::size_t c = 0; c < cell_count; ++c) {
            out.fallback[c] = no_row;
        }
        const void* const state_tag = &detail::type_tag<state_type>;
        const void* const event_tag = &detail::type_tag<event_type>;
        const void* const guard_tag = &detail::type_tag<Guard>;
        const typename base::raw_block local = base::raw;
        for (std::size_t i = 0; i < row_count; ++i) {
            const detail::raw_row& r = local.rows[i];
            if (r.state_tag != state_tag || r.to_tag != state_tag || r.event_tag != event_tag ||
                (r.guarded && r.guard_tag != guard_tag)) {
                out.types_match = false;
            }
            const bool in_range = r.from < state_count && r.to < state_count && r.event < event_count &&
                                  (!r.guarded || r.guard < guard_count);
            if (!in_range) {
                if (out.rows_in_range) {
                    out.rows_in_range = false;
                    out.bad_row = i;
                }
                continue;
            }
            out.rows[i] = entry_type{static_cast<state_type>(r.from),
                                     static_cast<event_type>(r.event),
                                     r.kind,
                                     static_cast<state_type>(r.to),
                                     r.error,
                                     r.guarded ? static_cast<int>(r.guard) : -1,
                                     r.text};
            const std::size_t c = r.from * event_count + r.event;
            if (r.guarded) {
                out.guarded[c] = true;
            } else if (out.fallback[c] == no_row) {
                out.fallback[c] = static_cast<index_type>(i);
            }
        }
        return out;
    }

  public:
    static constexpr compiled_table compiled = compile();
    // Plain arrays throughout: std::array::operator[] is a call the
    // evaluator pays for on every access.
    static constexpr const entry_type (&rows)[row_count] = compiled.rows;

    static_assert(compiled.types_match,
                  "netkit fsm: every row of a table must use the table's state, event and guard enumerations");

    static constexpr detail::analysis analyze() noexcept {
        const compiled_table local = compiled;
        return detail::analyze_rows<state_count, event_count, guard_count>(
            local.rows, row_count, local.fallback, local.types_match, local.rows_in_range, local.bad_row,
            enum_index(initial));
    }

    // The row that applies when no guard holds. Precondition: a verified
    // table and in-range arguments (a bug otherwise, not an error).
    static constexpr const entry_type& step(state_type state, event_type event) noexcept {
        expects(enum_in_range(state) && enum_in_range(event), "fsm step: state or event outside its enumeration");
        const index_type index = compiled.fallback[cell(state, event)];
        expects(index != no_row, "fsm step: table is not total (was it verified?)");
        return rows[index];
    }

    // The row that applies when `holds(guard)` tells which guards hold.
    template <class Holds>
        requires(has_guards && std::is_invocable_r_v<bool, Holds&, guard_type>)
    static constexpr const entry_type& step(state_type state, event_type event, Holds&& holds) {
        expects(enum_in_range(state) && enum_in_range(event), "fsm step: state or event outside its enumeration");
        if (compiled.guarded[cell(state, event)]) {
            for (const auto& r : rows) {
                if (r.from == state && r.event == event && r.guarded() &&
                    holds(enum_from_index<guard_type>(static_cast<std::size_t>(r.guard)))) {
                    return r;
                }
            }
        }
        return step(state, event);
    }
};

// A machine whose rows are never guarded.
template <auto Initial, class... Rows>
using table = checked_table<no_guard, Initial, Rows...>;

// A machine some of whose rows apply only under a condition of Guard.
template <class Guard, auto Initial, class... Rows>
using guarded_table = checked_table<Guard, Initial, Rows...>;

template <class T>
struct is_table : std::false_type {};
template <class Guard, auto Initial, class... Rows>
struct is_table<checked_table<Guard, Initial, Rows...>> : std::true_type {};

template <class T>
concept state_table = is_table<T>::value;

// Named failures: their template arguments show the offending state, event or
// row in the compiler's notes.
namespace diagnostic {

template <std::size_t RowIndex, bool Ok>
struct row_out_of_range {
    static_assert(Ok, "netkit fsm: a row names a state, event or guard outside its enumeration "
                      "(RowIndex is its position in the table, counting from 0)");
};

template <auto State, auto Event, std::size_t FirstRow, std::size_t SecondRow, bool Ok>
struct duplicate_row {
    static_assert(Ok, "netkit fsm: the table is not deterministic: two rows for the same (state, event, guard); "
                      "FirstRow and SecondRow are their positions in the table, counting from 0");
};

template <auto State, bool Ok>
struct unreachable_state {
    static_assert(Ok, "netkit fsm: a state is not reachable from the initial state through transitions");
};

template <auto State, auto Event, bool Ok>
struct missing_row {
    static_assert(Ok, "netkit fsm: the table is not total: this (state, event) pair has neither an unguarded "
                      "transition row<State, Event, To> nor an explicit refuse<State, Event, errno_code::...>");
};

}  // namespace diagnostic

namespace detail {

template <class Table>
struct verifier {
    using S = typename Table::state_type;
    using E = typename Table::event_type;
    static constexpr analysis found = Table::analyze();
    static constexpr std::size_t duplicate_index = found.duplicate ? found.duplicate_first : 0;

    static constexpr bool check() {
        [[maybe_unused]] diagnostic::row_out_of_range<found.bad_row, found.rows_in_range> range_check{};
        if constexpr (found.rows_in_range) {
            [[maybe_unused]] diagnostic::duplicate_row<Table::rows[duplicate_index].from,
                                                       Table::rows[duplicate_index].event, found.duplicate_first,
                                                       found.duplicate_second, !found.duplicate>
                duplicate_check{};
            [[maybe_unused]] diagnostic::unreachable_state<enum_from_index<S>(found.unreachable_state),
                                                           !found.unreachable>
                reach_check{};
            [[maybe_unused]] diagnostic::missing_row<enum_from_index<S>(found.missing_state),
                                                     enum_from_index<E>(found.missing_event), !found.incomplete>
                total_check{};
        }
        return found.types_match && found.rows_in_range && !found.duplicate && !found.unreachable &&
               !found.incomplete;
    }
};

}  // namespace detail

// `static_assert(fsm::verified<Table>);` right below every table.
template <state_table Table>
inline constexpr bool verified = detail::verifier<Table>::check();

// A naive interpretation of a table: scan the rows in order. The property
// suite checks that Table::step agrees with it on every input.
template <state_table Table, class Holds>
constexpr const typename Table::entry_type* naive_step(typename Table::state_type state,
                                                       typename Table::event_type event, Holds&& holds) {
    if constexpr (Table::has_guards) {
        for (const auto& r : Table::rows) {
            if (r.from == state && r.event == event && r.guarded() &&
                holds(enum_from_index<typename Table::guard_type>(static_cast<std::size_t>(r.guard)))) {
                return &r;
            }
        }
    }
    for (const auto& r : Table::rows) {
        if (r.from == state && r.event == event && !r.guarded()) {
            return &r;
        }
    }
    return nullptr;
}

// A running instance: the current state. A refused event leaves it unchanged.
template <state_table Table>
class machine {
  public:
    using state_type = typename Table::state_type;
    using event_type = typename Table::event_type;
    using entry_type = typename Table::entry_type;

    constexpr machine() noexcept = default;
    constexpr explicit machine(state_type start) noexcept : state_{start} {}

    constexpr state_type state() const noexcept { return state_; }

    constexpr const entry_type& fire(event_type event) noexcept {
        const auto& r = Table::step(state_, event);
        state_ = r.to;
        return r;
    }

    template <class Holds>
    constexpr const entry_type& fire(event_type event, Holds&& holds) {
        const auto& r = Table::step(state_, event, holds);
        state_ = r.to;
        return r;
    }

    friend constexpr bool operator==(const machine&, const machine&) noexcept = default;

  private:
    state_type state_ = Table::initial;
};

}  // namespace netkit::core::fsm
