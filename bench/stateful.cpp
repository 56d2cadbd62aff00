// The cost of one command in the stateful properties against trivial
// baselines in the same binary (issue 7's throughput goal: ≤ 2× the
// per-command cost of a trivial baseline stateful property).
//
//   world      props/check/stateful.cpp's shape: generated operation
//              sequences over the whole alphabet, each step applied and
//              checked (catalogue + step invariants, run_checked);
//   lease      the same after check::lease_prefix(), which runs once and
//              is shared by every case (props/check/lease_stateful.cpp);
//              also with the prefix replayed in every case, its commands
//              counted too;
//   baseline   RapidCheck's own stateful API (rc::state) on a counter:
//              commands generated, applied to a model and a system, asserted;
//   sequence   the same sequence generator as `world` over a trivial system
//              (generate, then a counter per operation): what generating the
//              alphabet costs without the model.
//
// `--report` prints ns per command for each and the ratios, one run, fixed
// seeds; without it the same five run as Google Benchmark cases (items =
// commands).
#include "check/generators.hpp"

#include <benchmark/benchmark.h>
#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>

namespace {

using namespace netkit;
using namespace netkit::check;

std::uint64_t commands = 0;

// --------------------------------------------------------------- baseline

struct counter_model {
    int value = 0;
};

struct increment : rc::state::Command<counter_model, int> {
    void apply(counter_model& m) const override { ++m.value; }
    void run(const counter_model& m, int& sut) const override {
        ++commands;
        ++sut;
        RC_ASSERT(sut == m.value + 1);
    }
};

struct decrement : rc::state::Command<counter_model, int> {
    void checkPreconditions(const counter_model& m) const override { RC_PRE(m.value > 0); }
    void apply(counter_model& m) const override { --m.value; }
    void run(const counter_model& m, int& sut) const override {
        ++commands;
        --sut;
        RC_ASSERT(sut == m.value - 1);
    }
};

void baseline_property() {
    counter_model model;
    int sut = 0;
    rc::state::check(model, sut, rc::state::gen::execOneOfWithArgs<increment, decrement>());
}

// ---------------------------------------------------------------- ours

void world_property() {
    const auto ops = *check_test::sequences(check_test::uniform_weights());
    model::world w;
    const auto report = run_checked(w, ops);
    commands += report.steps.size();
    RC_ASSERT(report.ok());
}

// As props/check/lease_stateful.cpp runs it: the prefix once, checked, and
// each case from a copy of its world. Counted: the commands a case runs.
void lease_property() {
    static const checked_start start = check_start(model::world{}, lease_prefix());
    const auto more = *check_test::sequences(check_test::uniform_weights());
    model::world w;
    const auto report = run_checked(w, start, more);
    commands += report.steps.size() - start.report.steps.size();
    RC_ASSERT(report.ok());
}

// The same with the prefix replayed in every case (as the property did
// before check_start): every command of the whole sequence counted.
void lease_replayed_property() {
    auto ops = lease_prefix();
    const auto more = *check_test::sequences(check_test::uniform_weights());
    ops.insert(ops.end(), more.begin(), more.end());
    model::world w;
    const auto report = run_checked(w, ops);
    commands += report.steps.size();
    RC_ASSERT(report.ok());
}

void sequence_property() {
    const auto ops = *check_test::sequences(check_test::uniform_weights());
    std::uint64_t sum = 0;
    for (const auto& op : ops) {
        sum += op.index();
        ++commands;
    }
    RC_ASSERT(sum <= ops.size() * operation_count);
}

// One rc::check of `property` with RapidCheck's output swallowed; the
// seconds it took and the commands it ran.
template <class Property>
std::pair<double, std::uint64_t> measure(Property property) {
    std::ostringstream sink;
    auto* saved_out = std::cout.rdbuf(sink.rdbuf());
    auto* saved_err = std::cerr.rdbuf(sink.rdbuf());
    commands = 0;
    const auto start = std::chrono::steady_clock::now();
    const bool ok = rc::check(property);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout.rdbuf(saved_out);
    std::cerr.rdbuf(saved_err);
    if (!ok) {
        std::fprintf(stderr, "a property failed:\n%s\n", sink.str().c_str());
        std::exit(1);
    }
    return {seconds, commands};
}

template <void (*Property)()>
void bench(benchmark::State& state) {
    std::uint64_t total = 0;
    for (auto _ : state) {
        total += measure(Property).second;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(total));
}

BENCHMARK_TEMPLATE(bench, baseline_property)->Name("stateful/baseline_rc_state")->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(bench, sequence_property)->Name("stateful/sequence_generator_only")->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(bench, world_property)->Name("stateful/world")->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(bench, lease_property)->Name("stateful/lease")->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(bench, lease_replayed_property)
    ->Name("stateful/lease_prefix_replayed")
    ->Unit(benchmark::kMillisecond);

int report() {
    struct row {
        const char* name;
        void (*property)();
        double ns = 0;
    };
    row rows[] = {{"baseline (rc::state counter)", baseline_property},
                  {"sequence generator only", sequence_property},
                  {"world (whole alphabet)", world_property},
                  {"lease (after lease_prefix)", lease_property},
                  {"lease, prefix replayed each case", lease_replayed_property}};
    for (auto& r : rows) {
        double seconds = 0;
        std::uint64_t n = 0;
        for (int i = 0; i < 3; ++i) {  // three checks of 100 cases each
            const auto [s, c] = measure(r.property);
            seconds += s;
            n += c;
        }
        r.ns = seconds * 1e9 / static_cast<double>(n);
        std::printf("%-32s %10.0f ns/command  (%llu commands)\n", r.name, r.ns, static_cast<unsigned long long>(n));
    }
    std::printf("ratio world / baseline: %.2f\n", rows[2].ns / rows[0].ns);
    std::printf("ratio lease / baseline: %.2f\n", rows[3].ns / rows[0].ns);
    std::printf("ratio lease (prefix replayed) / baseline: %.2f\n", rows[4].ns / rows[0].ns);
    std::printf("ratio world / sequence generator: %.2f\n", rows[2].ns / rows[1].ns);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Fixed seed and case count; RapidCheck reads RC_PARAMS on first use.
    if (std::getenv("RC_PARAMS") == nullptr) {
        setenv("RC_PARAMS", "seed=1 max_success=100", 1);
    }
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--report") == 0) {
            return report();
        }
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    return 0;
}
