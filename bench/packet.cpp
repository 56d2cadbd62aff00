// Parsing and Toeplitz hashing at burst sizes 1, 4, 8, 32, 64, 256 (issue
// 6): packets/s per variant, and from the same run the speed-up of each fast
// variant over its baseline, counter `x_baseline` (baseline time / variant
// time over the same frames and burst size, best of 5 interleaved rounds;
// above 1 the variant is faster).
//
// Frames: a fixed pseudo-random pool of 4096 frames — 40 % IPv4/TCP, 20 %
// IPv4/UDP, 20 % IPv6/TCP, 10 % IPv6/UDP, 10 % 802.1Q-tagged IPv4/TCP —
// 64 to 128 bytes each, in one buffer (L2-resident). Baselines: parse —
// `parse_burst_scalar` (the reference parser per frame); Toeplitz — the
// model's bit-by-bit `model::rss::toeplitz`. When DPDK's headers are present
// `rte_softrss` is measured as a further Toeplitz baseline; otherwise that
// comparison is skipped with a message.
#include <netkit/model/rss.hpp>
#include <netkit/packet/parse.hpp>
#include <netkit/packet/toeplitz.hpp>

#include "frames.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <span>
#include <vector>

#if __has_include(<rte_thash.h>)
#include <rte_thash.h>
#endif

namespace {

using namespace netkit;
using netkit_bench::bytes;
using netkit_bench::cycles_now;
using netkit_bench::make_frame;

constexpr std::size_t pool_size = 4096;

struct frame_pool {
    bytes storage;
    std::vector<packet::frame_view> views;
};

const frame_pool& pool() {
    static const frame_pool p = [] {
        std::mt19937 random(20261122);
        std::vector<bytes> frames;
        std::size_t total = 0;
        for (std::size_t i = 0; i < pool_size; ++i) {
            frames.push_back(make_frame(random));
            total += frames.back().size();
        }
        frame_pool out;
        out.storage.reserve(total);
        std::vector<std::size_t> starts;
        for (const auto& f : frames) {
            starts.push_back(out.storage.size());
            out.storage.insert(out.storage.end(), f.begin(), f.end());
        }
        for (std::size_t i = 0; i < frames.size(); ++i) {
            out.views.emplace_back(out.storage.data() + starts[i], frames[i].size());
        }
        return out;
    }();
    return p;
}

const packet::toeplitz_key& microsoft() {
    static const auto key = std::make_unique<packet::toeplitz_key>(model::microsoft_rss_key);
    return *key;
}

// Best of 5 interleaved rounds of `run` over the whole pool, in seconds.
template <class Run>
double best_round(Run&& run) {
    double best = 1e30;
    for (int round = 0; round < 5; ++round) {
        const auto start = std::chrono::steady_clock::now();
        run();
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        best = std::min(best, took.count());
    }
    return best;
}

// ------------------------------------------------------------------ parse

using parse_fn = void (*)(std::span<const packet::frame_view>, packet::burst<256>&);

template <parse_fn Parse>
void parse_pool(std::size_t burst_size, packet::burst<256>& out) {
    const auto& views = pool().views;
    for (std::size_t first = 0; first + burst_size <= views.size(); first += burst_size) {
        Parse(std::span(views).subspan(first, burst_size), out);
        benchmark::DoNotOptimize(out.l4_offset[0]);
    }
}

template <parse_fn Parse>
void bm_parse(benchmark::State& state) {
    const auto burst_size = static_cast<std::size_t>(state.range(0));
    const auto& views = pool().views;
    auto out = std::make_unique<packet::burst<256>>();
    std::size_t first = 0;
    const std::uint64_t started = cycles_now();
    for (auto _ : state) {
        Parse(std::span(views).subspan(first, burst_size), *out);
        benchmark::DoNotOptimize(out->l4_offset[0]);
        benchmark::ClobberMemory();
        first = first + 2 * burst_size <= views.size() ? first + burst_size : 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * burst_size));
    state.counters["cyc_pkt"] =
        static_cast<double>(cycles_now() - started) / static_cast<double>(state.iterations() * burst_size);
    double baseline = 0;
    double variant = 0;
    for (int pass = 0; pass < 2; ++pass) {  // interleaved, twice
        baseline += best_round([&] { parse_pool<packet::parse_burst_scalar<256>>(burst_size, *out); });
        variant += best_round([&] { parse_pool<Parse>(burst_size, *out); });
    }
    state.counters["x_baseline"] = baseline / variant;
}

constexpr parse_fn parse_scalar = packet::parse_burst_scalar<256>;
constexpr parse_fn parse_portable = packet::parse_burst_portable<256>;
constexpr parse_fn parse_avx2 = packet::parse_burst_avx2<256>;

void burst_sizes(benchmark::internal::Benchmark* b) {
    for (int size : {1, 4, 8, 32, 64, 256}) {
        b->Arg(size);
    }
}

void bm_parse_scalar(benchmark::State& state) { bm_parse<parse_scalar>(state); }
void bm_parse_portable(benchmark::State& state) { bm_parse<parse_portable>(state); }
void bm_parse_avx2(benchmark::State& state) { bm_parse<parse_avx2>(state); }
BENCHMARK(bm_parse_scalar)->Apply(burst_sizes);
BENCHMARK(bm_parse_portable)->Apply(burst_sizes);
BENCHMARK(bm_parse_avx2)->Apply(burst_sizes);

// --------------------------------------------------------------- Toeplitz

// Tuples of one size taken from the pool's bytes (random enough).
template <std::size_t Size>
const std::vector<std::array<std::uint8_t, Size>>& tuples() {
    static const auto out = [] {
        std::vector<std::array<std::uint8_t, Size>> t(pool_size);
        std::mt19937 random(7);
        for (auto& a : t) {
            for (auto& b : a) {
                b = static_cast<std::uint8_t>(random());
            }
        }
        return t;
    }();
    return out;
}

// The same tuples as host-order 32-bit words, the input rte_softrss takes:
// converted once, so DPDK is measured on its own function alone.
template <std::size_t Size>
std::vector<std::array<std::uint32_t, Size / 4>>& tuple_words() {  // rte_softrss takes a non-const pointer
    static auto out = [] {
        const auto& t = tuples<Size>();
        std::vector<std::array<std::uint32_t, Size / 4>> w(t.size());
        for (std::size_t i = 0; i < t.size(); ++i) {
            for (std::size_t k = 0; k < Size / 4; ++k) {
                w[i][k] = (std::uint32_t{t[i][4 * k]} << 24) | (std::uint32_t{t[i][4 * k + 1]} << 16) |
                          (std::uint32_t{t[i][4 * k + 2]} << 8) | t[i][4 * k + 3];
            }
        }
        return w;
    }();
    return out;
}

enum class formulation { reference, table, clmul, avx2, dpdk };

template <std::size_t Size, formulation F>
std::uint32_t hash_range(std::size_t first, std::size_t count) {
    const auto& t = tuples<Size>();
    std::uint32_t fold = 0;
    if constexpr (F == formulation::avx2) {
        std::array<std::uint32_t, 256> out;
        packet::toeplitz_rows<Size>(microsoft(), t[first].data(), Size, count, out.data());
        for (std::size_t i = 0; i < count; ++i) {
            fold ^= out[i];
        }
        return fold;
    }
    for (std::size_t i = first; i < first + count; ++i) {
        if constexpr (F == formulation::reference) {
            fold ^= model::rss::toeplitz(model::microsoft_rss_key, t[i]);
        } else if constexpr (F == formulation::table) {
            fold ^= packet::toeplitz_table(microsoft(), t[i]);
        } else if constexpr (F == formulation::clmul) {
            fold ^= packet::toeplitz_clmul(microsoft(), t[i]);
        } else {
#if __has_include(<rte_thash.h>)
            auto& words = tuple_words<Size>()[i];
            fold ^= rte_softrss(words.data(), static_cast<std::uint32_t>(words.size()),
                                model::microsoft_rss_key.data());
#endif
        }
    }
    return fold;
}

template <std::size_t Size, formulation F>
void bm_toeplitz(benchmark::State& state) {
    const auto burst_size = static_cast<std::size_t>(state.range(0));
    std::size_t first = 0;
    const std::uint64_t started = cycles_now();
    for (auto _ : state) {
        benchmark::DoNotOptimize(hash_range<Size, F>(first, burst_size));
        first = first + 2 * burst_size <= pool_size ? first + burst_size : 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * burst_size));
    state.counters["cyc_pkt"] =
        static_cast<double>(cycles_now() - started) / static_cast<double>(state.iterations() * burst_size);
    auto whole = [burst_size] {
        std::uint32_t fold = 0;
        for (std::size_t f = 0; f + burst_size <= pool_size; f += burst_size) {
            fold ^= hash_range<Size, F>(f, burst_size);
        }
        benchmark::DoNotOptimize(fold);
    };
    auto reference = [burst_size] {
        std::uint32_t fold = 0;
        for (std::size_t f = 0; f + burst_size <= pool_size; f += burst_size) {
            fold ^= hash_range<Size, formulation::reference>(f, burst_size);
        }
        benchmark::DoNotOptimize(fold);
    };
    double baseline = 0;
    double variant = 0;
    [[maybe_unused]] double dpdk = 0;
    for (int pass = 0; pass < 2; ++pass) {
        baseline += best_round(reference);
        variant += best_round(whole);
#if __has_include(<rte_thash.h>)
        dpdk += best_round([burst_size] {
            std::uint32_t fold = 0;
            for (std::size_t f = 0; f + burst_size <= pool_size; f += burst_size) {
                fold ^= hash_range<Size, formulation::dpdk>(f, burst_size);
            }
            benchmark::DoNotOptimize(fold);
        });
#endif
    }
    state.counters["x_baseline"] = baseline / variant;
#if __has_include(<rte_thash.h>)
    state.counters["x_rte_softrss"] = dpdk / variant;  // the goal: >= 30 (IPv4), >= 25 (IPv6)
#endif
}

void bm_toeplitz_ipv4_reference(benchmark::State& s) { bm_toeplitz<12, formulation::reference>(s); }
void bm_toeplitz_ipv4_table(benchmark::State& s) { bm_toeplitz<12, formulation::table>(s); }
void bm_toeplitz_ipv4_clmul(benchmark::State& s) { bm_toeplitz<12, formulation::clmul>(s); }
void bm_toeplitz_ipv4_avx2(benchmark::State& s) { bm_toeplitz<12, formulation::avx2>(s); }
void bm_toeplitz_ipv6_avx2(benchmark::State& s) { bm_toeplitz<36, formulation::avx2>(s); }
void bm_toeplitz_ipv6_reference(benchmark::State& s) { bm_toeplitz<36, formulation::reference>(s); }
void bm_toeplitz_ipv6_table(benchmark::State& s) { bm_toeplitz<36, formulation::table>(s); }
void bm_toeplitz_ipv6_clmul(benchmark::State& s) { bm_toeplitz<36, formulation::clmul>(s); }
BENCHMARK(bm_toeplitz_ipv4_reference)->Apply(burst_sizes);
BENCHMARK(bm_toeplitz_ipv4_table)->Apply(burst_sizes);
BENCHMARK(bm_toeplitz_ipv4_clmul)->Apply(burst_sizes);
BENCHMARK(bm_toeplitz_ipv4_avx2)->Apply(burst_sizes);
BENCHMARK(bm_toeplitz_ipv6_reference)->Apply(burst_sizes);
BENCHMARK(bm_toeplitz_ipv6_table)->Apply(burst_sizes);
BENCHMARK(bm_toeplitz_ipv6_clmul)->Apply(burst_sizes);
BENCHMARK(bm_toeplitz_ipv6_avx2)->Apply(burst_sizes);
#if __has_include(<rte_thash.h>)
void bm_toeplitz_ipv4_rte_softrss(benchmark::State& s) { bm_toeplitz<12, formulation::dpdk>(s); }
void bm_toeplitz_ipv6_rte_softrss(benchmark::State& s) { bm_toeplitz<36, formulation::dpdk>(s); }
BENCHMARK(bm_toeplitz_ipv4_rte_softrss)->Apply(burst_sizes);
BENCHMARK(bm_toeplitz_ipv6_rte_softrss)->Apply(burst_sizes);
#endif

// The burst stage on parsed mixed traffic: hash_burst_{table,clmul}
// against the model's per-frame input_tuple + toeplitz over the same
// parsed fields.
using hash_fn = void (*)(const packet::toeplitz_key&, const model::rss_fields&, const packet::burst<256>&,
                         std::span<std::uint32_t>, std::span<bool>);

void hash_reference(const packet::toeplitz_key& key, const model::rss_fields& fields, const packet::burst<256>& b,
                    std::span<std::uint32_t> hash, std::span<bool> hashed) {
    for (std::size_t i = 0; i < b.size; ++i) {
        const auto input = packet::input_of(fields, b.at(i));
        hash[i] = model::rss::toeplitz(key.key(), input.tuple());
        hashed[i] = input.length != 0;
    }
}

constexpr hash_fn hash_table = packet::hash_burst_table<256>;
constexpr hash_fn hash_clmul = packet::hash_burst_clmul<256>;
constexpr hash_fn hash_avx2 = packet::hash_burst_avx2<256>;

template <hash_fn Hash>
void bm_hash_burst(benchmark::State& state) {
    const auto burst_size = static_cast<std::size_t>(state.range(0));
    const auto& views = pool().views;
    const std::size_t bursts = views.size() / burst_size;
    // Parsed once: this measures the hash stage alone.
    std::vector<std::unique_ptr<packet::burst<256>>> parsed;
    for (std::size_t k = 0; k < std::min<std::size_t>(bursts, 64); ++k) {
        parsed.push_back(std::make_unique<packet::burst<256>>());
        packet::parse_burst(std::span(views).subspan(k * burst_size, burst_size), *parsed.back());
    }
    std::array<std::uint32_t, 256> hash{};
    std::array<bool, 256> hashed{};
    const model::rss_fields fields;
    std::size_t k = 0;
    const std::uint64_t started = cycles_now();
    for (auto _ : state) {
        Hash(microsoft(), fields, *parsed[k], hash, hashed);
        benchmark::DoNotOptimize(hash[0]);
        benchmark::ClobberMemory();
        k = k + 1 < parsed.size() ? k + 1 : 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * burst_size));
    state.counters["cyc_pkt"] =
        static_cast<double>(cycles_now() - started) / static_cast<double>(state.iterations() * burst_size);
    auto all = [&](hash_fn h) {
        return [&, h] {
            for (const auto& p : parsed) {
                h(microsoft(), fields, *p, hash, hashed);
                benchmark::DoNotOptimize(hash[0]);
            }
        };
    };
    double baseline = 0;
    double variant = 0;
    for (int pass = 0; pass < 2; ++pass) {
        baseline += best_round(all(hash_reference));
        variant += best_round(all(Hash));
    }
    state.counters["x_baseline"] = baseline / variant;
}

void bm_hash_burst_reference(benchmark::State& s) { bm_hash_burst<hash_reference>(s); }
void bm_hash_burst_table(benchmark::State& s) { bm_hash_burst<hash_table>(s); }
void bm_hash_burst_clmul(benchmark::State& s) { bm_hash_burst<hash_clmul>(s); }
void bm_hash_burst_avx2(benchmark::State& s) { bm_hash_burst<hash_avx2>(s); }
BENCHMARK(bm_hash_burst_reference)->Apply(burst_sizes);
BENCHMARK(bm_hash_burst_table)->Apply(burst_sizes);
BENCHMARK(bm_hash_burst_clmul)->Apply(burst_sizes);
BENCHMARK(bm_hash_burst_avx2)->Apply(burst_sizes);

}  // namespace

int main(int argc, char** argv) {
#if !__has_include(<rte_thash.h>)
    std::printf("bench_packet: DPDK headers (<rte_thash.h>) not found; the rte_softrss comparison is skipped\n");
#endif
    std::printf("bench_packet: avx2 %s, pclmulqdq %s\n", packet::avx2_available() ? "yes" : "no",
                packet::pclmul_available() ? "yes" : "no");
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
