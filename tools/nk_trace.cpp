// nk_trace: counterexample traces and the explorer from the command line.
//
//   nk_trace show FILE            the trace as numbered steps
//   nk_trace replay FILE…         replay each trace: every step with its outcome,
//                                 the violations; exit 0 iff each replay gives
//                                 what its `expect` line says
//   nk_trace snippet FILE [NAME]  a GoogleTest case that replays the trace
//   nk_trace explore [--scope lease|lifecycle] [--profile P] [--depth N]
//                    [--max-states N] [--no-symmetry] [--out FILE]
//                                 breadth-first exploration of a scope; prints
//                                 states, transitions, depth, states/s, bytes per
//                                 state and, when an invariant breaks, the shortest
//                                 trace (also written to FILE); exit 1 on a violation
//   nk_trace from-bytes FILE [--lease] [--out FILE]
//                                 a world_ops (or, with --lease, lease_ops) fuzz input
//                                 as the trace of its run
//
// Traces with calls of user routines (check/user_check.hpp) replay through
// the API with the routines, not here.
#include <netkit/check/trace.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace netkit;
using namespace netkit::check;

int usage() {
    std::fprintf(stderr,
                 "usage: nk_trace show FILE | replay FILE... | snippet FILE [NAME] |\n"
                 "       explore [--scope lease|lifecycle] [--profile P] [--depth N] [--max-states N]\n"
                 "               [--no-symmetry] [--out FILE] |\n"
                 "       from-bytes FILE [--lease] [--out FILE]\n");
    return 2;
}

std::optional<trace> load(const std::string& path) {
    auto t = read_trace(path);
    if (!t.ok()) {
        std::fprintf(stderr, "nk_trace: %s: %s\n", path.c_str(), t.failure().message.c_str());
        return std::nullopt;
    }
    return std::move(t).value();
}

int show(const std::string& path) {
    const auto t = load(path);
    if (!t) {
        return 1;
    }
    std::printf("source %s, profile %s, expect %s\n", t->source.c_str(), core::traits_of(t->profile).name.data(),
                t->expect ? ("violation " + *t->expect).c_str() : "clean");
    for (std::size_t i = 0; i < t->steps.size(); ++i) {
        std::printf("  %3zu: %s\n", i, to_string(t->steps[i]).c_str());
    }
    std::printf("%s", to_string(t->found).c_str());
    return 0;
}

int replay_files(const std::vector<std::string>& paths) {
    int failed = 0;
    for (const auto& path : paths) {
        const auto t = load(path);
        if (!t) {
            ++failed;
            continue;
        }
        const auto r = replay(*t);
        const bool ok = r.matches(*t);
        std::printf("%s %s (profile %s, expect %s)\n%s", ok ? "as expected:" : "DIFFERENT:", path.c_str(),
                    core::traits_of(t->profile).name.data(), t->expect ? ("violation " + *t->expect).c_str() : "clean",
                    to_string(r).c_str());
        failed += ok ? 0 : 1;
    }
    std::printf("%zu passed, %d failed\n", paths.size() - static_cast<std::size_t>(failed), failed);
    return failed == 0 ? 0 : 1;
}

bool write_out(const std::string& path, const trace& t) {
    if (!write_trace(path, t)) {
        std::fprintf(stderr, "nk_trace: cannot write %s\n", path.c_str());
        return false;
    }
    std::printf("trace written to %s\n", path.c_str());
    return true;
}

int explore_command(const std::vector<std::string>& args) {
    std::string scope_name = "lease";
    core::profile_id profile = core::profile_id::newest;
    explore_limits limits{3, 1U << 22};
    bool symmetry = true;
    std::string out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--scope" && has_value) {
            scope_name = args[++i];
        } else if (a == "--profile" && has_value) {
            const auto p = core::profile_from_name(args[++i]);
            if (!p) {
                std::fprintf(stderr, "nk_trace: unknown profile '%s'\n", args[i].c_str());
                return 2;
            }
            profile = *p;
        } else if ((a == "--depth" || a == "--max-states") && has_value) {
            char* end = nullptr;
            const unsigned long v = std::strtoul(args[++i].c_str(), &end, 10);
            if (end == args[i].c_str() || *end != '\0' || v == 0 || v > (1UL << 30)) {
                std::fprintf(stderr, "nk_trace: %s wants a positive number, not '%s'\n", a.c_str(), args[i].c_str());
                return 2;
            }
            (a == "--depth" ? limits.max_depth : limits.max_states) = v;
        } else if (a == "--no-symmetry") {
            symmetry = false;
        } else if (a == "--out" && has_value) {
            out = args[++i];
        } else {
            return usage();
        }
    }
    world_scope scope;
    if (scope_name == "lease") {
        scope = lease_scope(profile);
    } else if (scope_name == "lifecycle") {
        scope = lifecycle_scope(profile);
    } else {
        std::fprintf(stderr, "nk_trace: unknown scope '%s' (lease, lifecycle)\n", scope_name.c_str());
        return 2;
    }
    scope.symmetry = symmetry;
    if (const auto problem = scope.validate()) {
        std::fprintf(stderr, "nk_trace: %s\n", problem->c_str());
        return 2;
    }
    std::printf("exploring scope %s, profile %s, %zu operations, depth %zu, symmetry %s\n", scope_name.c_str(),
                core::traits_of(profile).name.data(), scope.alphabet.size(), limits.max_depth,
                symmetry ? "on" : "off");
    const auto r = explore_world(scope, limits);
    std::printf("states %zu, transitions %zu, depth reached %zu, %.2f s, %.0f states/s, %.0f bytes/state\n",
                r.states, r.transitions, r.depth_reached, r.seconds, r.states_per_second(), r.bytes_per_state());
    if (r.found) {
        const trace t = trace_of(scope, r);
        std::printf("VIOLATION after %zu step(s) from the setup:\n%s", r.trace.size(), to_text(t).c_str());
        if (!out.empty() && !write_out(out, t)) {
            return 2;
        }
        return 1;
    }
    std::printf(r.complete ? "no violation: every state within depth %zu checked\n"
                           : "no violation found, but the state bound stopped the search before depth %zu\n",
                limits.max_depth);
    return r.complete ? 0 : 3;
}

int from_bytes(const std::vector<std::string>& args) {
    if (args.empty()) {
        return usage();
    }
    bool lease = false;
    std::string out;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--lease") {
            lease = true;
        } else if (args[i] == "--out" && i + 1 < args.size()) {
            out = args[++i];
        } else {
            return usage();
        }
    }
    std::ifstream in(args[0], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "nk_trace: cannot open %s\n", args[0].c_str());
        return 2;
    }
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto ops = lease ? lease_prefix() : std::vector<operation>{};
    const auto decoded = decode_operations(bytes);
    ops.insert(ops.end(), decoded.begin(), decoded.end());
    model::world w;
    const auto report = run_checked(w, ops);
    trace t = trace_of(core::profile_id::newest, report, "libfuzzer");
    if (report.ok()) {
        for (std::size_t i = report.steps.size(); i < ops.size(); ++i) {
            t.steps.emplace_back(ops[i]);
        }
    }
    std::printf("%s", to_text(t).c_str());
    if (!out.empty() && !write_out(out, t)) {
        return 2;
    }
    return report.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        return usage();
    }
    const std::string_view command = argv[1];
    const std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "show" && args.size() == 1) {
        return show(args[0]);
    }
    if (command == "replay" && !args.empty()) {
        return replay_files(args);
    }
    if (command == "snippet" && (args.size() == 1 || args.size() == 2)) {
        const auto t = load(args[0]);
        if (!t) {
            return 1;
        }
        std::printf("%s", to_cpp(*t, args.size() == 2 ? args[1] : "from_file").c_str());
        return 0;
    }
    if (command == "explore") {
        return explore_command(args);
    }
    if (command == "from-bytes") {
        return from_bytes(args);
    }
    return usage();
}
