// Graphviz output of an fsm table (core/fsm.hpp), generated from the table
// itself so a diagram in docs/ can never drift from the code.
//
// Transitions are solid edges labelled with their events (and guard, and
// rule ID when the row cites one); refusals are dashed self-loops labelled
// "event: ERRNO". Edges with the same ends and outcome are merged, one
// label line per event, which keeps a 7-state machine with 15 events legible.
#pragma once

#include <netkit/core/enum.hpp>
#include <netkit/core/errno.hpp>
#include <netkit/core/fsm.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace netkit::core::fsm {

struct dot_options {
    bool show_refusals = true;
    bool show_rules = true;
};

namespace detail {

inline void append_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
}

}  // namespace detail

template <state_table Table>
std::string to_dot(std::string_view graph_name, dot_options options = {}) {
    using S = typename Table::state_type;
    std::string out = "digraph \"";
    detail::append_escaped(out, graph_name);
    out += "\" {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
           "  edge [fontname=\"Helvetica\", fontsize=10];\n  start [shape=point];\n";
    for (std::size_t s = 0; s < Table::state_count; ++s) {
        out += "  \"";
        detail::append_escaped(out, enum_name(enum_from_index<S>(s)));
        out += "\";\n";
    }
    out += "  start -> \"";
    detail::append_escaped(out, enum_name(Table::initial));
    out += "\";\n";

    struct edge {
        std::size_t from;
        std::size_t to;
        bool refusal;
        std::string label;
    };
    std::vector<edge> edges;
    for (const auto& r : Table::rows) {
        if (r.refused() && !options.show_refusals) {
            continue;
        }
        std::string line(enum_name(r.event));
        if constexpr (Table::has_guards) {
            if (r.guarded()) {
                line += " [";
                line += enum_name(enum_from_index<typename Table::guard_type>(static_cast<std::size_t>(r.guard)));
                line += "]";
            }
        }
        if (r.refused()) {
            line += ": ";
            line += kernel_name(r.error);
        }
        if (options.show_rules && !r.rule().empty()) {
            line += " (";
            line += r.rule();
            line += ")";
        }
        const std::size_t from = enum_index(r.from);
        const std::size_t to = enum_index(r.to);
        bool merged = false;
        for (auto& e : edges) {
            if (e.from == from && e.to == to && e.refusal == r.refused()) {
                e.label += "\\n";
                detail::append_escaped(e.label, line);
                merged = true;
                break;
            }
        }
        if (!merged) {
            std::string label;
            detail::append_escaped(label, line);
            edges.push_back(edge{from, to, r.refused(), label});
        }
    }
    for (const auto& e : edges) {
        out += "  \"";
        detail::append_escaped(out, enum_name(enum_from_index<S>(e.from)));
        out += "\" -> \"";
        detail::append_escaped(out, enum_name(enum_from_index<S>(e.to)));
        out += "\" [label=\"";
        out += e.label;  // escaped when built
        out += e.refusal ? "\", style=dashed, color=gray40, fontcolor=gray40];\n" : "\"];\n";
    }
    out += "}\n";
    return out;
}

}  // namespace netkit::core::fsm
