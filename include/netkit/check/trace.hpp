// Counterexample traces: what every checker (the explorer, RapidCheck
// properties, libFuzzer targets, user checks) hands back when an invariant
// breaks. A trace is a kernel profile, the steps from an empty world (setup
// included) and what was found; it reads as text, one step per line in the
// alphabet's own printed form, so a person can read it, edit it and replay
// it:
//
//   # netkit-model trace 1
//   source explorer
//   profile linux-7.1.0
//   expect violation INV-QL-10
//   found INV-QL-10: a running queue still used released provider memory: …
//   step create_netns
//   step create_softnic netns=0 queues=3 preset=hwnic
//   …
//   step call lease_for_container 0        (a user routine, check/user_check.hpp)
//
// `expect` is what a replay must see: `violation ID` (the trace reproduces a
// known bug, e.g. CVE-2026-74285 under linux-7.1.0) or `clean` (a fixed
// failure that must stay fixed). parse_step reads back what to_string
// printed (parse_step(to_string(op)) == op for every operation), so traces
// survive renames only of what they name. `to_cpp` prints a GoogleTest case
// that replays the trace; tools/nk_trace replays files, and
// props/check/traces.cpp replays every file under props/traces/.
#pragma once

#include <netkit/check/explore_world.hpp>
#include <netkit/check/invariants.hpp>
#include <netkit/check/operations.hpp>
#include <netkit/core/kernel_profile.hpp>
#include <netkit/core/result.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace netkit::check {

struct trace {
    std::string source = "manual";  // explorer, rapidcheck, libfuzzer, user-check:<name>, manual
    core::profile_id profile = core::profile_id::newest;
    // nullopt: clean; otherwise the invariant ID the replay must break.
    std::optional<std::string> expect;
    violations found;  // what the checker saw (informational)
    std::vector<step> steps;

    friend bool operator==(const trace&, const trace&) = default;
};

// ------------------------------------------------------------------ print

inline std::string to_string(const step& s, std::span<const routine> routines = {}) {
    if (const auto* op = std::get_if<operation>(&s)) {
        return to_string(*op);
    }
    const auto& call = std::get<routine_call>(s);
    const std::string name =
        call.routine < routines.size() ? routines[call.routine].name : "#" + std::to_string(call.routine);
    return "call " + name + " " + std::to_string(call.argument);
}

inline std::string to_text(const trace& t, std::span<const routine> routines = {}) {
    std::string out = "# netkit-model trace 1\n";
    out += "source " + t.source + "\n";
    out += "profile ";
    out += core::traits_of(t.profile).name;
    out += "\n";
    out += t.expect ? "expect violation " + *t.expect + "\n" : std::string("expect clean\n");
    for (const auto& v : t.found) {
        std::string message = v.message;
        std::replace(message.begin(), message.end(), '\n', ' ');
        out += "found " + v.id + ": " + message + "\n";
    }
    for (const auto& s : t.steps) {
        out += "step " + to_string(s, routines) + "\n";
    }
    return out;
}

// --------------------------------------------------------------- parse

namespace detail {

// "key=value key={a=1 b=2}" → pairs, braces kept in values.
inline std::optional<std::vector<std::pair<std::string, std::string>>> split_fields(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && text[i] == ' ') {
            ++i;
        }
        if (i >= text.size()) {
            break;
        }
        const std::size_t eq = text.find('=', i);
        if (eq == std::string_view::npos) {
            return std::nullopt;
        }
        std::string key(text.substr(i, eq - i));
        std::size_t j = eq + 1;
        int depth = 0;
        while (j < text.size() && (depth > 0 || text[j] != ' ')) {
            depth += text[j] == '{' ? 1 : (text[j] == '}' ? -1 : 0);
            if (depth < 0) {
                return std::nullopt;
            }
            ++j;
        }
        if (depth != 0) {
            return std::nullopt;
        }
        out.emplace_back(std::move(key), std::string(text.substr(eq + 1, j - eq - 1)));
        i = j;
    }
    return out;
}

template <class T>
bool parse_value(std::string_view text, T& value);

// Every field named in `text` (each at most once, all known); absent
// optionals stay absent, absent others keep their defaults.
template <class T>
bool parse_fields(std::string_view text, T& value) {
    const auto pairs = split_fields(text);
    if (!pairs) {
        return false;
    }
    std::vector<bool> used(pairs->size(), false);
    bool ok = true;
    T::fields(value, [&](std::string_view name, auto& field) {
        std::size_t seen = 0;
        for (std::size_t i = 0; i < pairs->size(); ++i) {
            if ((*pairs)[i].first == name) {
                used[i] = true;
                ok = ok && ++seen == 1 && parse_value((*pairs)[i].second, field);
            }
        }
    });
    for (const bool u : used) {
        ok = ok && u;
    }
    return ok;
}

template <class T>
bool parse_value(std::string_view text, T& value) {
    if constexpr (std::is_same_v<T, bool>) {
        if (text == "true" || text == "false") {
            value = text == "true";
            return true;
        }
        return false;
    } else if constexpr (std::is_same_v<T, std::uint8_t>) {
        if (text.empty() || text.size() > 3) {
            return false;
        }
        unsigned v = 0;
        for (char c : text) {
            if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
                return false;
            }
            v = v * 10 + static_cast<unsigned>(c - '0');
        }
        if (v > 255) {
            return false;
        }
        value = static_cast<std::uint8_t>(v);
        return true;
    } else if constexpr (core::reflected_enum<T>) {
        const auto e = core::enum_from_name<T>(text);
        if (!e) {
            return false;
        }
        value = *e;
        return true;
    } else if constexpr (is_optional<T>::value) {
        typename T::value_type inner{};
        if (!parse_value(text, inner)) {
            return false;
        }
        value = inner;
        return true;
    } else {
        if (text.size() < 2 || text.front() != '{' || text.back() != '}') {
            return false;
        }
        return parse_fields(text.substr(1, text.size() - 2), value);
    }
}

template <std::size_t I = 0>
std::optional<operation> operation_named(std::string_view name) {
    if constexpr (I < operation_count) {
        if (std::variant_alternative_t<I, operation>::name == name) {
            return operation{std::in_place_index<I>};
        }
        return operation_named<I + 1>(name);
    } else {
        return std::nullopt;
    }
}

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace detail

// An operation as to_string prints it; nullopt for anything else.
inline std::optional<operation> parse_operation(std::string_view text) {
    text = detail::trim(text);
    const std::size_t space = text.find(' ');
    const std::string_view name = text.substr(0, space);
    auto op = detail::operation_named(name);
    if (!op) {
        return std::nullopt;
    }
    const std::string_view rest = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
    const bool ok = std::visit([rest](auto& o) { return detail::parse_fields(rest, o); }, *op);
    if (!ok) {
        return std::nullopt;
    }
    return op;
}

// An operation, or "call <routine name> <argument>" naming one of `routines`.
inline std::optional<step> parse_step(std::string_view text, std::span<const routine> routines = {}) {
    text = detail::trim(text);
    if (text.starts_with("call ")) {
        const std::string_view rest = detail::trim(text.substr(5));
        const std::size_t space = rest.rfind(' ');
        if (space == std::string_view::npos) {
            return std::nullopt;
        }
        const std::string_view name = rest.substr(0, space);
        std::uint8_t argument = 0;
        if (!detail::parse_value(rest.substr(space + 1), argument)) {
            return std::nullopt;
        }
        for (std::size_t i = 0; i < routines.size(); ++i) {
            if (routines[i].name == name) {
                return step{routine_call{static_cast<std::uint16_t>(i), argument}};
            }
        }
        return std::nullopt;
    }
    if (auto op = parse_operation(text)) {
        return step{std::move(*op)};
    }
    return std::nullopt;
}

// Parses a trace's text; the error names the line.
inline core::result<trace> parse_trace(std::string_view text, std::span<const routine> routines = {}) {
    trace t;
    bool header = false;
    std::size_t line_number = 0;
    auto fail = [&line_number](std::string why) {
        return core::result<trace>(
            core::fail(core::errno_code::invalid, "line " + std::to_string(line_number) + ": " + std::move(why)));
    };
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::string_view raw = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        ++line_number;
        const std::string_view line = detail::trim(raw);
        if (line.empty()) {
            continue;
        }
        if (line.starts_with("#")) {
            header = header || line.find("netkit-model trace 1") != std::string_view::npos;
            continue;
        }
        const std::size_t space = line.find(' ');
        const std::string_view word = line.substr(0, space);
        const std::string_view rest = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
        if (word == "source") {
            t.source = std::string(detail::trim(rest));
        } else if (word == "profile") {
            const auto p = core::profile_from_name(detail::trim(rest));
            if (!p) {
                return fail("unknown profile `" + std::string(rest) + "`");
            }
            t.profile = *p;
        } else if (word == "expect") {
            if (detail::trim(rest) == "clean") {
                t.expect.reset();
            } else if (rest.starts_with("violation ")) {
                t.expect = std::string(detail::trim(rest.substr(10)));
            } else {
                return fail("expect clean | expect violation <ID>");
            }
        } else if (word == "found") {
            const std::size_t colon = rest.find(": ");
            t.found.push_back(violation{std::string(rest.substr(0, colon)),
                                        colon == std::string_view::npos ? std::string{}
                                                                        : std::string(rest.substr(colon + 2))});
        } else if (word == "step") {
            auto s = parse_step(rest, routines);
            if (!s) {
                return fail("not a step of the alphabet: `" + std::string(rest) + "`");
            }
            t.steps.push_back(std::move(*s));
        } else {
            return fail("unknown line `" + std::string(line) + "`");
        }
    }
    if (!header) {
        return core::result<trace>(
            core::fail(core::errno_code::invalid, "not a trace: the first comment must say `netkit-model trace 1`"));
    }
    return t;
}

inline core::result<trace> read_trace(const std::string& path, std::span<const routine> routines = {}) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return core::result<trace>(core::fail(core::errno_code::no_entry, "cannot open " + path));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_trace(text.str(), routines);
}

inline bool write_trace(const std::string& path, const trace& t, std::span<const routine> routines = {}) {
    std::ofstream out(path, std::ios::binary);
    out << to_text(t, routines);
    return static_cast<bool>(out);
}

// --------------------------------------------------------------- replay

struct replay_step {
    step via;
    std::optional<outcome> result;  // operations
    std::optional<routine_verdict> verdict;  // routine calls
};

struct replay_report {
    std::vector<replay_step> steps;  // up to and including the first violating one
    violations found;                // empty: ran clean to the end

    // Whether the replay saw what the trace expects: the expected ID among
    // the violations, or none when clean is expected.
    bool matches(const trace& t) const {
        if (!t.expect) {
            return found.empty();
        }
        return std::any_of(found.begin(), found.end(), [&t](const violation& v) { return v.id == *t.expect; });
    }
};

// Runs `t` from an empty world of its profile, checking the catalogue after
// every step, the step invariants after every operation and the verdict of
// every routine call; stops at the first violation.
inline replay_report replay(const trace& t, std::span<const routine> routines = {}) {
    replay_report report;
    model::world w(core::traits_of(t.profile));
    report.found = check_world(w);
    for (const auto& s : t.steps) {
        if (!report.found.empty()) {
            break;
        }
        replay_step record{s, std::nullopt, std::nullopt};
        const model::world_state before = w.state();
        if (const auto* op = std::get_if<operation>(&s)) {
            const outcome result = apply(w, *op);
            record.result = result;
            report.found = check_step(before, w.state(), *op, result);
        } else {
            const auto& call = std::get<routine_call>(s);
            if (call.routine >= routines.size()) {
                report.found.push_back({"TRACE", "the trace calls a routine it was not given"});
            } else {
                record.verdict = routines[call.routine].run(w, call.argument);
                if (!record.verdict->ok) {
                    report.found.push_back({"USER", routines[call.routine].name + "(" +
                                                        std::to_string(call.argument) + "): " +
                                                        record.verdict->message});
                }
            }
        }
        auto state = check_world(w);
        report.found.insert(report.found.end(), state.begin(), state.end());
        report.steps.push_back(std::move(record));
    }
    return report;
}

inline std::string to_string(const replay_report& r, std::span<const routine> routines = {}) {
    std::string out;
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        out += "  " + std::to_string(i) + ": " + to_string(r.steps[i].via, routines);
        if (r.steps[i].result) {
            out += "  -> " + to_string(*r.steps[i].result);
        }
        if (r.steps[i].verdict) {
            out += r.steps[i].verdict->ok ? "  -> ok" : "  -> FAILED: " + r.steps[i].verdict->message;
        }
        out += "\n";
    }
    out += r.found.empty() ? "no violation\n" : to_string(r.found);
    return out;
}

// ------------------------------------------------------------- builders

// The trace of an explorer run (the scope's setup, then the path).
inline trace trace_of(const world_scope& scope, const world_report& r, std::string source = "explorer") {
    trace t;
    t.source = std::move(source);
    t.profile = scope.profile;
    t.found = r.found.value_or(violations{});
    if (!t.found.empty()) {
        t.expect = t.found.front().id;
    }
    for (const auto& op : scope.setup) {
        t.steps.emplace_back(op);
    }
    t.steps.insert(t.steps.end(), r.trace.begin(), r.trace.end());
    return t;
}

// The trace of a run_checked sequence (RapidCheck, libFuzzer).
inline trace trace_of(core::profile_id profile, const run_report& r, std::string source) {
    trace t;
    t.source = std::move(source);
    t.profile = profile;
    t.found = r.found;
    if (!t.found.empty()) {
        t.expect = t.found.front().id;
    }
    for (const auto& s : r.steps) {
        t.steps.emplace_back(s.op);
    }
    return t;
}

// A GoogleTest case replaying `t` (operations only; a trace with routine
// calls needs the routines, which the snippet names in a comment).
inline std::string to_cpp(const trace& t, std::string_view test_name, std::span<const routine> routines = {}) {
    std::string out;
    out += "// From a " + t.source + " trace";
    if (!t.found.empty()) {
        out += ": " + t.found.front().id;
    }
    out += ".\n";
    out += "TEST(trace_regression, ";
    out += test_name;
    out += ") {\n";
    out += "    const auto t = netkit::check::parse_trace(R\"(# netkit-model trace 1\n";
    out += "profile ";
    out += core::traits_of(t.profile).name;
    out += "\n";
    for (const auto& s : t.steps) {
        out += "step " + to_string(s, routines) + "\n";
    }
    out += ")\"";
    out += routines.empty() ? "" : ", routines";
    out += ");\n";
    out += "    ASSERT_TRUE(t.ok()) << t.failure().message;\n";
    out += "    const auto report = netkit::check::replay(t.value()";
    out += routines.empty() ? "" : ", routines";
    out += ");\n";
    if (t.expect) {
        out += "    // Expected while the bug stands: the replay breaks " + *t.expect + ".\n";
        out += "    EXPECT_FALSE(report.found.empty()) << netkit::check::to_string(report);\n";
    } else {
        out += "    EXPECT_TRUE(report.found.empty()) << netkit::check::to_string(report);\n";
    }
    out += "}\n";
    return out;
}

}  // namespace netkit::check
