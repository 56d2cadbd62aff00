// Tests of include/netkit/core/fsm_dot.hpp: the diagram is generated from the
// table, so every row must show up in it and nothing else may.
#include "core/fsm_tables.hpp"

#include <netkit/core/fsm_dot.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <string>

namespace {

using namespace netkit;
using namespace netkit::test;

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) {
        ++n;
    }
    return n;
}

TEST(fsm_dot, every_state_is_a_node_and_the_initial_state_is_marked) {
    const std::string dot = core::fsm::to_dot<toy_queue>("toy queue");
    EXPECT_EQ(dot.rfind("digraph \"toy queue\" {", 0), 0U);
    EXPECT_EQ(dot.back(), '\n');
    EXPECT_NE(dot.find("start -> \"inactive\";"), std::string::npos);
    for (auto name : core::enum_names_of<toy_state>) {
        EXPECT_NE(dot.find("  \"" + std::string(name) + "\";"), std::string::npos) << name;
    }
    EXPECT_EQ(count(dot, "{"), count(dot, "}"));
}

TEST(fsm_dot, every_row_appears_once_as_an_edge_label_line) {
    const std::string dot = core::fsm::to_dot<toy_queue>("toy");
    // Each row contributes exactly one label line: "event", "event: ERRNO",
    // "event [guard]" … separated by \n inside merged labels.
    std::size_t lines = 0;
    for (std::size_t at = dot.find("label=\""); at != std::string::npos; at = dot.find("label=\"", at + 1)) {
        const std::size_t end = dot.find('"', at + 7);
        const std::string label = dot.substr(at + 7, end - at - 7);
        lines += 1 + count(label, "\\n");
    }
    EXPECT_EQ(lines, toy_queue::row_count);
    EXPECT_NE(dot.find("\"leased\" -> \"leased_provider\" [label=\"open_provider\"]"), std::string::npos);
    EXPECT_NE(dot.find("open_provider [forced]: EBUSY"), std::string::npos);
    EXPECT_NE(dot.find("lease (T-2)"), std::string::npos);
}

TEST(fsm_dot, refusals_can_be_left_out) {
    const std::string full = core::fsm::to_dot<toy_queue>("toy");
    const std::string transitions_only = core::fsm::to_dot<toy_queue>("toy", {.show_refusals = false});
    EXPECT_NE(full.find("style=dashed"), std::string::npos);
    EXPECT_EQ(transitions_only.find("style=dashed"), std::string::npos);
    EXPECT_EQ(transitions_only.find("EBUSY"), std::string::npos);
}

TEST(fsm_dot, names_with_quotes_are_escaped) {
    const std::string dot = core::fsm::to_dot<toy_queue>("a \"quoted\" name");
    EXPECT_NE(dot.find("digraph \"a \\\"quoted\\\" name\""), std::string::npos);
}

}  // namespace
