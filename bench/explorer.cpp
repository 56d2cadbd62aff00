// The explorer (check/explorer.hpp) on the compact queue/lease machine
// (check/lease_machine.hpp), for a few queue counts: states/s and bytes per
// stored state as counters. The comparison with SPIN on the same machine is
// bench/spin_compare.py, which uses the two non-benchmark modes:
//
//   bench_explorer --promela N   prints the machine for N queues (the
//                                benchmark configuration otherwise) as
//                                Promela; bench/lease_machine.pml is its
//                                output for N = benchmark_config.queues
//   bench_explorer --report N    explores once (no depth bound) and prints
//                                one line: states=… transitions=… depth=…
//                                seconds=… states_per_second=…
//                                bytes_per_state=… peak_bytes=… complete=…
//
// Anything else goes to Google Benchmark.
#include <netkit/check/explorer.hpp>
#include <netkit/check/lease_machine.hpp>

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

namespace {

using netkit::check::lease_machine;

netkit::check::explore_limits unbounded() {
    netkit::check::explore_limits limits;
    limits.max_depth = std::numeric_limits<std::size_t>::max();
    limits.max_states = std::numeric_limits<std::uint32_t>::max() - 1U;
    return limits;
}

lease_machine machine_for(unsigned queues) {
    lease_machine::config cfg = lease_machine::benchmark_config;
    cfg.queues = queues;
    return lease_machine{cfg};
}

void explore_lease_machine(benchmark::State& st) {
    const lease_machine m = machine_for(static_cast<unsigned>(st.range(0)));
    std::size_t states = 0;
    std::size_t transitions = 0;
    double bytes_per_state = 0;
    for (auto _ : st) {
        const auto report = netkit::check::explore(m, lease_machine::empty_key, unbounded());
        if (report.found || !report.complete) {
            st.SkipWithError("the exploration found a violation or stopped early");
            return;
        }
        states += report.states;
        transitions += report.transitions;
        bytes_per_state = report.bytes_per_state();
        benchmark::DoNotOptimize(report.depth_reached);
    }
    st.counters["states/s"] = benchmark::Counter(static_cast<double>(states), benchmark::Counter::kIsRate);
    st.counters["transitions/s"] = benchmark::Counter(static_cast<double>(transitions), benchmark::Counter::kIsRate);
    st.counters["states"] = benchmark::Counter(static_cast<double>(states),
                                               benchmark::Counter::kAvgIterations);
    st.counters["bytes/state"] = bytes_per_state;
}

// N = 7 is the SPIN comparison's size (335,923 states); N = 8 (2,015,539 states, seconds a run) is
// left out of the quick runs of the bench suite.
BENCHMARK(explore_lease_machine)->DenseRange(4, 7)->Unit(benchmark::kMillisecond);

int usage(const char* argv0) {
    std::fprintf(stderr, "usage: %s --promela N | --report N | [benchmark options]\n", argv0);
    return 2;
}

bool parse_queues(const char* text, unsigned& queues) {
    char* end = nullptr;
    const unsigned long value = std::strtoul(text, &end, 10);
    if (end == text || *end != '\0' || value < 1 || value > lease_machine::max_queues) {
        return false;
    }
    queues = static_cast<unsigned>(value);
    return true;
}

int report_mode(unsigned queues) {
    const lease_machine m = machine_for(queues);
    const auto report = netkit::check::explore(m, lease_machine::empty_key, unbounded());
    std::printf("states=%zu transitions=%zu depth=%zu seconds=%.6f states_per_second=%.0f bytes_per_state=%.3f "
                "peak_bytes=%zu complete=%d\n",
                report.states, report.transitions, report.depth_reached, report.seconds, report.states_per_second(),
                report.bytes_per_state(), report.peak_bytes, report.complete ? 1 : 0);
    if (report.found) {
        std::fprintf(stderr, "violation:\n%s", netkit::check::to_string(*report.found).c_str());
        for (const auto& step : report.trace) {
            std::fprintf(stderr, "  %s\n", netkit::check::to_string(step).c_str());
        }
        return 1;
    }
    return report.complete ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && (std::strcmp(argv[1], "--promela") == 0 || std::strcmp(argv[1], "--report") == 0)) {
        unsigned queues = lease_machine::benchmark_config.queues;
        if (argc > 3 || (argc == 3 && !parse_queues(argv[2], queues))) {
            return usage(argv[0]);
        }
        if (std::strcmp(argv[1], "--report") == 0) {
            return report_mode(queues);
        }
        std::fputs(netkit::check::to_promela(machine_for(queues)).c_str(), stdout);
        return 0;
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return usage(argv[0]);
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
