// Traces (check/trace.hpp): the format round-trips, bad files are refused
// with the line that is wrong, and — the regression suite — every trace file
// under props/traces/ replays to what it expects. A failure any checker
// finds (explorer, RapidCheck, libFuzzer, user checks) becomes a trace file;
// copied there, it stays a test: `expect violation ID` for a known kernel
// bug a profile reproduces, `expect clean` for a failure that was fixed.
#include "check/generators.hpp"
#include "../examples/control_plane.hpp"

#include <netkit/check/trace.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using namespace netkit;
using namespace netkit::check;

// The routines the checked-in traces may call: the example control planes.
std::vector<routine> known_routines() {
    std::vector<routine> out;
    for (const bool careful : {false, true}) {
        auto s = control_plane::scope(careful);
        out.push_back(s.routines.front());
    }
    return out;
}

std::vector<std::string> trace_files() {
    std::vector<std::string> out;
    const std::filesystem::path dir = std::filesystem::path(NETKIT_SOURCE_ROOT) / "props" / "traces";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() == ".trace") {
            out.push_back(entry.path().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

class trace_file : public ::testing::TestWithParam<std::string> {};

TEST_P(trace_file, replays_to_what_it_expects) {
    const auto routines = known_routines();
    const auto t = read_trace(GetParam(), routines);
    ASSERT_TRUE(t.ok()) << t.failure().message;
    const auto report = replay(t.value(), routines);
    EXPECT_TRUE(report.matches(t.value())) << GetParam() << " expects "
                                           << (t.value().expect ? "violation " + *t.value().expect : "clean")
                                           << ", the replay gave:\n"
                                           << to_string(report, routines);
}

INSTANTIATE_TEST_SUITE_P(props_traces, trace_file, ::testing::ValuesIn(trace_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             std::string name = std::filesystem::path(info.param).stem().string();
                             std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
                             return name;
                         });

TEST(traces, the_regression_directory_holds_one_trace_per_source) {
    std::vector<std::string> sources;
    for (const auto& path : trace_files()) {
        const auto t = read_trace(path, known_routines());
        ASSERT_TRUE(t.ok()) << path;
        sources.push_back(t.value().source);
    }
    for (const char* source : {"explorer", "rapidcheck", "libfuzzer"}) {
        EXPECT_NE(std::find(sources.begin(), sources.end(), source), sources.end()) << source;
    }
}

RC_GTEST_PROP(traces, every_operation_parses_back_from_its_printed_form, ()) {
    const auto op = *check_test::operation_from(check_test::uniform_weights());
    const auto back = parse_operation(to_string(op));
    RC_ASSERT(back.has_value());
    RC_ASSERT(*back == op);
}

RC_GTEST_PROP(traces, a_trace_round_trips_through_its_text, ()) {
    trace t;
    t.source = *rc::gen::element<std::string>("explorer", "rapidcheck", "libfuzzer");
    t.profile = *rc::gen::element(core::profile_id::newest, core::profile_id::linux_7_1_0,
                                  core::profile_id::v7_jan2026);
    if (*rc::gen::arbitrary<bool>()) {
        t.expect = *rc::gen::element<std::string>("INV-QL-10", "USER");
    }
    for (const auto& op : *check_test::sequences(check_test::uniform_weights())) {
        t.steps.emplace_back(op);
    }
    const auto back = parse_trace(to_text(t));
    RC_ASSERT(back.ok());
    RC_ASSERT(back.value() == t);
}

TEST(traces, routine_calls_print_and_parse_by_name) {
    const auto routines = known_routines();
    const step call = routine_call{1, 0};
    EXPECT_EQ(to_string(call, routines), "call careful_lease 0");
    const auto back = parse_step("call careful_lease 0", routines);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, call);
    EXPECT_FALSE(parse_step("call nobody 0", routines).has_value());
    EXPECT_FALSE(parse_step("call careful_lease 256", routines).has_value());
}

TEST(traces, bad_files_are_refused_with_the_line) {
    auto error = [](std::string_view text) {
        const auto t = parse_trace(text);
        return t.ok() ? std::string("accepted") : t.failure().message;
    };
    EXPECT_NE(error("step create_netns\n").find("netkit-model trace 1"), std::string::npos);
    const std::string header = "# netkit-model trace 1\n";
    EXPECT_EQ(error(header + "profile linux-9\n"), "line 2: unknown profile `linux-9`");
    EXPECT_EQ(error(header + "step create_network\n"), "line 2: not a step of the alphabet: `create_network`");
    EXPECT_EQ(error(header + "step set_mtu device={netns=0 index=1} mtu=huge\n").substr(0, 7), "line 2:");
    EXPECT_EQ(error(header + "step delete_netns netns=256\n").substr(0, 7), "line 2:");
    EXPECT_EQ(error(header + "step delete_netns netns=1 netns=2\n").substr(0, 7), "line 2:");
    EXPECT_EQ(error(header + "step delete_netns colour=1\n").substr(0, 7), "line 2:");
    EXPECT_EQ(error(header + "step delete_device device={netns=0 index=1\n").substr(0, 7), "line 2:");
    EXPECT_EQ(error(header + "expect maybe\n").substr(0, 7), "line 2:");
    EXPECT_EQ(error(header + "\nfrobnicate\n"), "line 3: unknown line `frobnicate`");
    EXPECT_FALSE(read_trace("/nonexistent/x.trace").ok());
}

TEST(traces, a_cpp_snippet_replays_the_trace) {
    const auto scope = lease_scope(core::profile_id::linux_7_1_0);
    const auto report = explore_world(scope, {3, 1U << 20});
    ASSERT_TRUE(report.found.has_value());
    const trace t = trace_of(scope, report);
    const std::string snippet = to_cpp(t, "teardown");
    EXPECT_NE(snippet.find("TEST(trace_regression, teardown)"), std::string::npos);
    EXPECT_NE(snippet.find("profile linux-7.1.0"), std::string::npos);
    EXPECT_NE(snippet.find("step zcrx_open"), std::string::npos);
    EXPECT_NE(snippet.find("EXPECT_FALSE(report.found.empty())"), std::string::npos);
    // The snippet's embedded trace is the trace.
    const auto begin = snippet.find("R\"(") + 3;
    const auto end = snippet.find(")\"", begin);
    const auto embedded = parse_trace(snippet.substr(begin, end - begin));
    ASSERT_TRUE(embedded.ok()) << embedded.failure().message;
    EXPECT_EQ(embedded.value().steps, t.steps);
    EXPECT_FALSE(replay(embedded.value()).found.empty());
}

TEST(traces, replay_stops_at_the_first_violation_and_reports_each_step) {
    const auto scope = lease_scope(core::profile_id::linux_7_1_0);
    const auto report = explore_world(scope, {3, 1U << 20});
    ASSERT_TRUE(report.found.has_value());
    trace t = trace_of(scope, report);
    t.steps.push_back(operation{create_netns{}});  // never reached
    const auto r = replay(t);
    EXPECT_EQ(r.steps.size(), t.steps.size() - 1);
    ASSERT_TRUE(r.steps.back().result.has_value());
    EXPECT_TRUE(r.matches(t));
    t.profile = core::profile_id::newest;
    EXPECT_TRUE(replay(t).found.empty());  // the fixed kernel
}

}  // namespace
