// The whole receive path (issue 6) at burst sizes 1, 4, 8, 32, 64, 256:
// packets/s of the batched path (`receive_burst`: parse_burst + hash_burst +
// the indirection table per burst, then in-place delivery) and, from the
// same run, its speed-up over the plain per-frame path (`receive_per_frame`:
// per frame the port lookup, `parse`, the fastest single-frame Toeplitz,
// the table and the same in-place delivery) — counter `x_per_frame` — and
// over the model's own API one frame at a time (`receive_scalar`, a scratch
// copy of the world per inject and per poll) — counter `x_scalar`. Cycles
// per packet (rdtsc) and ns per packet are reported for the batched path,
// the per-frame path and the RSS stage alone (parse + hash + queue), so the
// delivery's share is visible.
//
// Method: a world as check::lease_prefix() leaves it (eth0 with 3 queues,
// the default 128-entry table and the Microsoft key); two set-ups: `stack`
// (the NIC hands frames to the stack, nothing forwarded) and `netkit` (the
// stack sends every frame on the pair's primary to its peer, NK-XMIT-10: a
// model::frame is built per frame and the transmit copies it into its
// result). Frames: 4096 mixed frames (40 % IPv4/TCP, 20 % IPv4/UDP, 20 %
// IPv6/TCP, 10 % IPv6/UDP, 10 % 802.1Q IPv4/TCP, 64-128 bytes) in one
// buffer, as bare views. Ratios: best of 5 rounds over the whole pool per
// variant, interleaved, twice. Never asserts a time.
//
// bm_path_dram: the same path (burst 256, `stack`) over a DRAM-resident set
// of ≥ 64 MiB of frames, against a plain streaming read (64-bit sum) over the
// same bytes; counter `x_stream` = path time / streaming time (the issue's
// goal: ≤ 2).
#include <netkit/check/operations.hpp>
#include <netkit/model/world.hpp>
#include <netkit/packet/path.hpp>

#include "frames.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <span>
#include <vector>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace {

using namespace netkit;
using netkit_bench::bytes;
using netkit_bench::cycles_now;
using netkit_bench::make_frame;

struct frame_set {
    bytes storage;
    std::vector<packet::frame_view> views;
    std::vector<model::frame> frames;  // the same frames as the model holds them (receive_scalar)
};

frame_set make_set(std::size_t count, std::uint32_t seed, bool model_frames, int max_extra = 50) {
    std::mt19937 random(seed);
    frame_set out;
    std::vector<std::size_t> starts;
    std::vector<std::size_t> lengths;
    for (std::size_t i = 0; i < count; ++i) {
        const bytes f = make_frame(random, max_extra);
        starts.push_back(out.storage.size());
        lengths.push_back(f.size());
        out.storage.insert(out.storage.end(), f.begin(), f.end());
        if (model_frames) {
            model::frame m;
            m.bytes = f;
            out.frames.push_back(std::move(m));
        }
    }
    for (std::size_t i = 0; i < count; ++i) {
        out.views.emplace_back(out.storage.data() + starts[i], lengths[i]);
    }
    return out;
}

const frame_set& pool() {
    static const frame_set p = make_set(4096, 20261122, true);
    return p;
}

// The lease prefix world and a path configuration.
struct bench_world {
    model::world w;
    packet::path_config config;
};

bench_world make_world(bool forward) {
    bench_world out;
    for (const auto& op : check::lease_prefix()) {
        (void)check::apply(out.w, op);
    }
    const auto init = model::world::initial_netns();
    out.config.port = out.w.find(init, "eth0")->handle;
    if (forward) {
        out.config.forward_to = out.w.find(init, "nkl0")->handle;
    }
    return out;
}

template <class Run>
double best_round(Run&& run, std::uint64_t* best_cycles = nullptr) {
    double best = 1e30;
    std::uint64_t fewest = ~std::uint64_t{0};
    for (int round = 0; round < 5; ++round) {
        const std::uint64_t c0 = cycles_now();
        const auto start = std::chrono::steady_clock::now();
        run();
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        best = std::min(best, took.count());
        fewest = std::min(fewest, cycles_now() - c0);
    }
    if (best_cycles != nullptr) {
        *best_cycles = fewest;
    }
    return best;
}

enum class variant { burst, per_frame, scalar, rss_only };

// One pass of `v` over frames [0, count) in chunks of `burst_size`.
void run_pool(variant v, bench_world& bw, packet::rx_burst<256>& b, std::size_t burst_size, std::size_t count) {
    const auto& p = pool();
    for (std::size_t first = 0; first + burst_size <= count; first += burst_size) {
        switch (v) {
            case variant::burst:
                b.load(std::span(p.views).subspan(first, burst_size));
                benchmark::DoNotOptimize(packet::receive_burst(bw.w, bw.config, b).data());
                break;
            case variant::per_frame:
                b.load(std::span(p.views).subspan(first, burst_size));
                benchmark::DoNotOptimize(packet::receive_per_frame(bw.w, bw.config, b).data());
                break;
            case variant::scalar:
                benchmark::DoNotOptimize(
                    packet::receive_scalar(bw.w, bw.config, std::span(p.frames).subspan(first, burst_size)));
                break;
            case variant::rss_only: {
                // The RSS stage alone: parse, hash, table, as receive_burst does it.
                b.load(std::span(p.views).subspan(first, burst_size));
                const auto& nic = *bw.w.at(bw.config.port).nic;
                packet::parse_burst(std::span<const packet::frame_view>(b.views.data(), b.size), b.parsed);
                packet::hash_burst(b.key_for(nic.key), nic.fields, b.parsed, std::span(b.hash), std::span(b.hashed));
                const packet::detail::table_lookup table(bw.w.at(bw.config.port));
                for (std::size_t i = 0; i < b.size; ++i) {
                    b.queue[i] = table.queue(b.hashed[i], b.hash[i]);
                }
                benchmark::DoNotOptimize(b.queue.data());
                break;
            }
        }
    }
}

void bm_path(benchmark::State& state, bool forward, variant v) {
    const auto burst_size = static_cast<std::size_t>(state.range(0));
    auto bw = make_world(forward);
    auto b = std::make_unique<packet::rx_burst<256>>();
    const auto& p = pool();
    std::size_t first = 0;
    for (auto _ : state) {
        if (v == variant::scalar) {
            benchmark::DoNotOptimize(
                packet::receive_scalar(bw.w, bw.config, std::span(p.frames).subspan(first, burst_size)));
        } else {
            b->load(std::span(p.views).subspan(first, burst_size));
            if (v == variant::burst) {
                benchmark::DoNotOptimize(packet::receive_burst(bw.w, bw.config, *b).data());
            } else {
                benchmark::DoNotOptimize(packet::receive_per_frame(bw.w, bw.config, *b).data());
            }
        }
        first = first + 2 * burst_size <= p.views.size() ? first + burst_size : 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * burst_size));
    if (v != variant::burst) {
        return;
    }
    // Ratios from the same run: the whole pool through each variant.
    const std::size_t all = p.views.size() / burst_size * burst_size;
    const std::size_t scalar_frames = std::min<std::size_t>(all, std::max<std::size_t>(256, burst_size));
    double batched = 0;
    double per_frame = 0;
    double rss = 0;
    double scalar = 0;
    std::uint64_t batched_cycles = 0;
    std::uint64_t per_frame_cycles = 0;
    std::uint64_t rss_cycles = 0;
    for (int pass = 0; pass < 2; ++pass) {
        std::uint64_t c = 0;
        per_frame += best_round([&] { run_pool(variant::per_frame, bw, *b, burst_size, all); }, &c);
        per_frame_cycles += c;
        batched += best_round([&] { run_pool(variant::burst, bw, *b, burst_size, all); }, &c);
        batched_cycles += c;
        rss += best_round([&] { run_pool(variant::rss_only, bw, *b, burst_size, all); }, &c);
        rss_cycles += c;
        scalar += best_round([&] { run_pool(variant::scalar, bw, *b, burst_size, scalar_frames); });
    }
    const double frames = 2.0 * static_cast<double>(all);
    state.counters["x_per_frame"] = per_frame / batched;
    state.counters["x_scalar"] = (scalar / (2.0 * static_cast<double>(scalar_frames))) / (batched / frames);
    state.counters["ns_pkt"] = batched * 1e9 / frames;
    state.counters["ns_pkt_per_frame"] = per_frame * 1e9 / frames;
    state.counters["ns_pkt_rss"] = rss * 1e9 / frames;
    state.counters["ns_pkt_scalar"] = scalar * 1e9 / (2.0 * static_cast<double>(scalar_frames));
    state.counters["cyc_pkt"] = static_cast<double>(batched_cycles) / frames;
    state.counters["cyc_pkt_per_frame"] = static_cast<double>(per_frame_cycles) / frames;
    state.counters["cyc_pkt_rss"] = static_cast<double>(rss_cycles) / frames;
}

void burst_sizes(benchmark::internal::Benchmark* b) {
    for (int size : {1, 4, 8, 32, 64, 256}) {
        b->Arg(size);
    }
}

void bm_path_stack_burst(benchmark::State& s) { bm_path(s, false, variant::burst); }
void bm_path_stack_per_frame(benchmark::State& s) { bm_path(s, false, variant::per_frame); }
void bm_path_netkit_burst(benchmark::State& s) { bm_path(s, true, variant::burst); }
void bm_path_netkit_per_frame(benchmark::State& s) { bm_path(s, true, variant::per_frame); }
void bm_path_stack_scalar(benchmark::State& s) { bm_path(s, false, variant::scalar); }
BENCHMARK(bm_path_stack_burst)->Apply(burst_sizes);
BENCHMARK(bm_path_stack_per_frame)->Apply(burst_sizes);
BENCHMARK(bm_path_netkit_burst)->Apply(burst_sizes);
BENCHMARK(bm_path_netkit_per_frame)->Apply(burst_sizes);
BENCHMARK(bm_path_stack_scalar)->Arg(1)->Arg(256);

// ------------------------------------------------------------------ DRAM

const frame_set& dram_set() {
    // 64-128-byte frames, ~96 bytes on average: 800 Ki frames ≈ 72 MiB.
    static const frame_set s = make_set(800 * 1024, 4242, false);
    return s;
}

std::uint64_t stream_read(const bytes& storage) {
    std::uint64_t sum = 0;
    const std::size_t words = storage.size() / 8;
    const std::uint8_t* p = storage.data();
    for (std::size_t i = 0; i < words; ++i) {
        std::uint64_t w;
        std::memcpy(&w, p + 8 * i, 8);
        sum += w;
    }
    return sum;
}

void run_dram(bench_world& bw, packet::rx_burst<256>& b) {
    const auto& s = dram_set();
    for (std::size_t first = 0; first < s.views.size(); first += 256) {
        const std::size_t n = std::min<std::size_t>(256, s.views.size() - first);
        b.load(std::span(s.views).subspan(first, n));
        benchmark::DoNotOptimize(packet::receive_burst(bw.w, bw.config, b).data());
    }
}

void bm_path_dram(benchmark::State& state) {
    const auto& s = dram_set();
    auto bw = make_world(false);
    auto b = std::make_unique<packet::rx_burst<256>>();
    for (auto _ : state) {
        run_dram(bw, *b);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * s.views.size()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.storage.size()));
    double path = 0;
    double stream = 0;
    for (int pass = 0; pass < 2; ++pass) {
        stream += best_round([&] { benchmark::DoNotOptimize(stream_read(s.storage)); });
        path += best_round([&] { run_dram(bw, *b); });
    }
    const double frames = 2.0 * static_cast<double>(s.views.size());
    state.counters["MiB"] = static_cast<double>(s.storage.size()) / (1024.0 * 1024.0);
    state.counters["x_stream"] = path / stream;
    state.counters["ns_pkt"] = path * 1e9 / frames;
    state.counters["ns_pkt_stream"] = stream * 1e9 / frames;
    state.counters["stream_GBps"] = 2.0 * static_cast<double>(s.storage.size()) / stream / 1e9;
}
BENCHMARK(bm_path_dram)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
