// The Toeplitz RSS hash at packet rate (softnic.md SN-RSS-02/03/04), equal
// bit for bit to the scalar reference `model::rss::toeplitz` (which reads
// SN-RSS-02 literally, one input bit at a time). Two formulations, both
// derived once per key in `toeplitz_key`:
//
// - tables: hash = xor over input positions p of T[p][input[p]], where
//   T[p][v] is the hash of v alone at position p (36 x 256 x 4 = 36 KiB);
//   portable, one load per input byte.
// - carry-less multiplication (PCLMULQDQ, chosen at run time): with the
//   input read as a big-endian integer I of n bits and the key bit-reflected
//   into R (bit t of R = key bit t counted from the most significant), the
//   hash reflected is bits n-1 … n+30 of the carry-less product I·R; only
//   the 64-bit partial products that reach those bits are formed (3 for an
//   IPv4 4-tuple, 9 for an IPv6 4-tuple).
//
// - nibble shuffles (AVX2, chosen at run time), 32 frames at a time: the
//   tuples are transposed into byte columns (byte q of 32 frames in one
//   register); each nibble of a column selects its contribution to each of
//   the four hash bytes with one in-register table lookup (vpshufb of a
//   16-entry table per nibble position and hash byte, 9 KiB per key); the
//   32 hashes accumulate in four registers. No gathers (slow here); frames
//   shorter than the group's longest tuple are masked, since trailing zero
//   bytes add nothing to a Toeplitz hash.
//
// The input tuple of a parsed frame follows model/rss.hpp `input_tuple`
// exactly (SN-RSS-03/04), so a burst hashes to the same values and the same
// "not hashed" frames (queue 0) as the model's `select_queue`.
#pragma once

#include <netkit/core/invariant.hpp>
#include <netkit/model/queues.hpp>
#include <netkit/packet/parse.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <utility>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace netkit::packet {

// SN-RSS-02: inputs are at most 36 bytes (the IPv6 4-tuple).
inline constexpr std::size_t max_rss_input = 36;

// A key with everything the fast formulations precompute from it.
class toeplitz_key {
public:
    explicit toeplitz_key(const model::rss_key& key) noexcept : key_(key) {
        auto key_bit = [&key](std::size_t k) -> std::uint32_t { return (key[k / 8] >> (7 - k % 8)) & 1U; };
        // window[j] = key bits j … j+31, the contribution of input bit j.
        std::array<std::uint32_t, max_rss_input * 8> window{};
        for (std::size_t j = 0; j < window.size(); ++j) {
            for (std::size_t k = 0; k < 32; ++k) {
                window[j] = (window[j] << 1) | key_bit(j + k);
            }
        }
        for (std::size_t position = 0; position < max_rss_input; ++position) {
            for (std::size_t value = 0; value < 256; ++value) {
                std::uint32_t hash = 0;
                for (std::size_t bit = 0; bit < 8; ++bit) {
                    if ((value >> (7 - bit)) & 1U) {
                        hash ^= window[position * 8 + bit];
                    }
                }
                tables_[position][value] = hash;
            }
        }
        // nibbles_[q][half][b]: byte b of the hash of nibble value v (the
        // high nibble when half is 0) at input byte q, for v = 0 … 15, twice
        // (one copy per 128-bit lane of an AVX2 register).
        for (std::size_t q = 0; q < max_rss_input; ++q) {
            for (std::size_t v = 0; v < 16; ++v) {
                const std::uint32_t high = tables_[q][v << 4];
                const std::uint32_t low = tables_[q][v];
                for (std::size_t b = 0; b < 4; ++b) {
                    for (std::size_t lane = 0; lane < 2; ++lane) {
                        nibbles_[q][0][b][16 * lane + v] = static_cast<std::uint8_t>(high >> (8 * b));
                        nibbles_[q][1][b][16 * lane + v] = static_cast<std::uint8_t>(low >> (8 * b));
                    }
                }
            }
        }
        for (std::size_t chunk = 0; chunk < reflected_.size(); ++chunk) {
            std::uint64_t word = 0;
            for (std::size_t s = 0; s < 64; ++s) {
                word |= std::uint64_t{key_bit(64 * chunk + s)} << s;
            }
            reflected_[chunk] = word;
        }
    }

    const model::rss_key& key() const noexcept { return key_; }

    // The hash of `value` alone at input position `position`.
    std::uint32_t table(std::size_t position, std::uint8_t value) const noexcept { return tables_[position][value]; }

    // 64-bit chunks of the reflected key, least significant first.
    const std::array<std::uint64_t, 5>& reflected() const noexcept { return reflected_; }

    // The 32-byte shuffle table of input byte q, high (half 0) or low
    // (half 1) nibble, hash byte b (b = 0: the least significant).
    const std::uint8_t* nibble_table(std::size_t q, std::size_t half, std::size_t b) const noexcept {
        return nibbles_[q][half][b].data();
    }

private:
    model::rss_key key_;
    std::array<std::uint64_t, 5> reflected_{};
    alignas(32) std::array<std::array<std::array<std::array<std::uint8_t, 32>, 4>, 2>, max_rss_input> nibbles_{};
    alignas(64) std::array<std::array<std::uint32_t, 256>, max_rss_input> tables_{};
};

// The portable formulation, any input of at most 36 bytes.
inline std::uint32_t toeplitz_table(const toeplitz_key& key, std::span<const std::uint8_t> input) noexcept {
    core::expects(input.size() <= max_rss_input, "a Toeplitz input has at most 36 bytes (SN-RSS-02)");
    std::uint32_t hash = 0;
    for (std::size_t i = 0; i < input.size(); ++i) {
        hash ^= key.table(i, input[i]);
    }
    return hash;
}

// Whether the carry-less formulation can run here (checked once).
inline bool pclmul_available() noexcept {
#if defined(__x86_64__)
    static const bool available = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("pclmul") != 0;
    }();
    return available;
#else
    return false;
#endif
}

namespace detail {

constexpr std::uint32_t reverse_bits(std::uint32_t x) noexcept {
    x = ((x & 0x55555555U) << 1) | ((x >> 1) & 0x55555555U);
    x = ((x & 0x33333333U) << 2) | ((x >> 2) & 0x33333333U);
    x = ((x & 0x0f0f0f0fU) << 4) | ((x >> 4) & 0x0f0f0f0fU);
    return __builtin_bswap32(x);
}

// Bytes [first, last) of the input as a big-endian integer (at most 8).
inline std::uint64_t load_be(const std::uint8_t* input, std::size_t first, std::size_t last) noexcept {
    if (last - first == 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, input + first, 8);
        return __builtin_bswap64(word);
    }
    std::uint64_t word = 0;
    for (std::size_t i = first; i < last; ++i) {
        word = (word << 8) | input[i];
    }
    return word;
}

#if defined(__x86_64__)

// 32 bits of a 128-bit value starting at bit Shift (negative: the low
// bits of the result come from below bit 0 and are zero).
template <int Shift>
__attribute__((target("pclmul"))) inline std::uint32_t bits_at(__m128i value) noexcept {
    const auto low = static_cast<std::uint64_t>(_mm_cvtsi128_si64(value));
    if constexpr (Shift < 0) {
        return static_cast<std::uint32_t>(low << -Shift);
    } else if constexpr (Shift == 0) {
        return static_cast<std::uint32_t>(low);
    } else if constexpr (Shift <= 32) {
        return static_cast<std::uint32_t>(low >> Shift);
    } else {
        const auto high = static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(value, value)));
        if constexpr (Shift < 64) {
            return static_cast<std::uint32_t>((low >> Shift) | (high << (64 - Shift)));
        } else {
            return static_cast<std::uint32_t>(high >> (Shift - 64));
        }
    }
}

// Input chunk A: bits 64A … 64A+63 of the input read as a big-endian
// integer, i.e. bytes [Bytes-8A-8, Bytes-8A) (fewer for the top chunk).
template <std::size_t Bytes, std::size_t A>
__attribute__((target("pclmul"))) inline __m128i input_chunk(const std::uint8_t* input) noexcept {
    constexpr std::size_t last = Bytes - 8 * A;
    constexpr std::size_t first = last >= 8 ? last - 8 : 0;
    return _mm_cvtsi64_si128(static_cast<long long>(load_be(input, first, last)));
}

// Partial products I_a·R_b land at bits 64(a+b) … 64(a+b)+126; only sums
// a+b whose products overlap bits n-1 … n+30 of the product are formed.
template <std::size_t Bytes>
constexpr bool sum_needed(std::size_t sum) noexcept {
    constexpr int bits = static_cast<int>(Bytes * 8);
    return static_cast<int>(64 * sum) + 126 >= bits - 1 && static_cast<int>(64 * sum) <= bits + 30;
}

inline constexpr std::size_t key_chunks = 5;

template <std::size_t Chunks, std::size_t Sum, std::size_t A>
__attribute__((target("pclmul"))) inline __m128i partial(const __m128i* in, const std::uint64_t* key) noexcept {
    if constexpr (A < Chunks && A <= Sum && Sum - A < key_chunks) {
        const __m128i reflected = _mm_cvtsi64_si128(static_cast<long long>(key[Sum - A]));
        return _mm_clmulepi64_si128(in[A], reflected, 0x00);
    } else {
        return _mm_setzero_si128();
    }
}

// The window bits contributed by all partial products with a+b = Sum.
template <std::size_t Bytes, std::size_t Sum, std::size_t... A>
__attribute__((target("pclmul"))) inline std::uint32_t window_part(const __m128i* in, const std::uint64_t* key,
                                                                   std::index_sequence<A...>) noexcept {
    if constexpr (sum_needed<Bytes>(Sum)) {
        constexpr std::size_t chunks = (Bytes + 7) / 8;
        __m128i total = _mm_setzero_si128();
        ((total = _mm_xor_si128(total, partial<chunks, Sum, A>(in, key))), ...);
        return bits_at<static_cast<int>(Bytes * 8) - 1 - static_cast<int>(64 * Sum)>(total);
    } else {
        return 0;
    }
}

template <std::size_t Bytes, std::size_t... A, std::size_t... Sum>
__attribute__((target("pclmul"))) inline std::uint32_t toeplitz_clmul(const toeplitz_key& key,
                                                                      const std::uint8_t* input,
                                                                      std::index_sequence<A...> chunks,
                                                                      std::index_sequence<Sum...>) noexcept {
    const __m128i in[] = {input_chunk<Bytes, A>(input)...};  // a plain array keeps __m128i's alignment
    const std::uint64_t* reflected = key.reflected().data();
    return reverse_bits((window_part<Bytes, Sum>(in, reflected, chunks) ^ ...));
}

// Expanded at compile time (index sequences rather than loops), so the
// partial products are straight-line code at every optimisation level.
template <std::size_t Bytes>
__attribute__((target("pclmul"))) inline std::uint32_t toeplitz_clmul(const toeplitz_key& key,
                                                                      const std::uint8_t* input) noexcept {
    static_assert(Bytes >= 1 && Bytes <= max_rss_input);
    constexpr std::size_t chunks = (Bytes + 7) / 8;
    return toeplitz_clmul<Bytes>(key, input, std::make_index_sequence<chunks>{},
                                 std::make_index_sequence<chunks + key_chunks>{});
}

#endif

}  // namespace detail

// The carry-less formulation for the four tuple sizes (8, 12, 32, 36
// bytes); the table formulation for other sizes or without PCLMULQDQ.
inline std::uint32_t toeplitz_clmul(const toeplitz_key& key, std::span<const std::uint8_t> input) noexcept {
    core::expects(input.size() <= max_rss_input, "a Toeplitz input has at most 36 bytes (SN-RSS-02)");
#if defined(__x86_64__)
    if (pclmul_available()) {
        switch (input.size()) {
            case 8: return detail::toeplitz_clmul<8>(key, input.data());
            case 12: return detail::toeplitz_clmul<12>(key, input.data());
            case 32: return detail::toeplitz_clmul<32>(key, input.data());
            case 36: return detail::toeplitz_clmul<36>(key, input.data());
            default: break;
        }
    }
#endif
    return toeplitz_table(key, input);
}

// Whether the nibble-shuffle formulation can run here (checked once).
inline bool avx2_hash_available() noexcept { return avx2_available(); }

namespace detail {

#if defined(__x86_64__)
// Every loop of the kernel below has a compile-time trip count; unrolled,
// its registers stay registers (at -O2 GCC otherwise keeps the transpose
// in memory and runs 2.2x slower).
#define NETKIT_UNROLL _Pragma("GCC unroll 16")

// `n` bytes (4, 8, 12 or 16) of a row, exactly: nothing past them is read.
__attribute__((target("avx2"))) inline __m128i load_row_block(const std::uint8_t* p, std::size_t n) noexcept {
    std::uint32_t word = 0;
    switch (n) {
        case 16: return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        case 12: {
            std::memcpy(&word, p + 8, 4);
            return _mm_insert_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)), static_cast<int>(word), 2);
        }
        case 8: return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
        default: std::memcpy(&word, p, 4); return _mm_cvtsi32_si128(static_cast<int>(word));
    }
}

// Hashes of 32 rows whose tuples are at most Bytes (8, 12, 32 or 36)
// long, each column looked up as soon as the transpose yields it (fastest
// for the short tuples, where the transpose dominates). `lengths` (one byte per row, nullptr: all Bytes) masks each row's
// bytes at and past its length. out[i] is row i's hash.
//
// Wide: each row may be read 16 bytes from its start even when Bytes is 8
// or 12 (the bytes past Bytes are loaded, transposed and never used), which
// saves an insert per row.
// `row(i)` gives row i's first byte: a pointer table, or base + i × stride
// computed in place.
template <std::size_t Bytes, bool Wide = false, class Row>
__attribute__((target("avx2"))) void toeplitz32_fused_avx2(const toeplitz_key& key, Row row,
                                                           const std::uint8_t* lengths, std::uint32_t* out) noexcept {
    static_assert(Bytes == 8 || Bytes == 12 || Bytes == 32 || Bytes == 36);
    const __m256i nibble_mask = _mm256_set1_epi8(0x0f);
    const __m256i length_vector =
        lengths != nullptr ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(lengths)) : _mm256_setzero_si256();
    __m256i acc[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                      _mm256_setzero_si256()};
    NETKIT_UNROLL
    for (std::size_t block = 0; block * 16 < Bytes; ++block) {
        const std::size_t n = Bytes - block * 16 < 16 ? Bytes - block * 16 : 16;
        const std::size_t loaded = Wide && Bytes < 16 ? 16 : n;
        // Rows i (low lane) and i + 16 (high lane), bytes of this block.
        __m256i r[16];
        NETKIT_UNROLL
        for (std::size_t i = 0; i < 16; ++i) {
            r[i] = _mm256_inserti128_si256(_mm256_castsi128_si256(load_row_block(row(i) + 16 * block, loaded)),
                                           load_row_block(row(i + 16) + 16 * block, loaded), 1);
        }
        // 16x16 byte transpose per lane: four rounds of interleaving vector
        // i with vector i + 8 each rotate the (row, column) address by one
        // bit; after four, t[c] holds column c of rows 0 … 15 | 16 … 31.
        NETKIT_UNROLL
        for (int round = 0; round < 4; ++round) {
            __m256i t[16];
            NETKIT_UNROLL
            for (std::size_t i = 0; i < 8; ++i) {
                t[2 * i] = _mm256_unpacklo_epi8(r[i], r[i + 8]);
                t[2 * i + 1] = _mm256_unpackhi_epi8(r[i], r[i + 8]);
            }
            NETKIT_UNROLL
            for (std::size_t i = 0; i < 16; ++i) {
                r[i] = t[i];
            }
        }
        NETKIT_UNROLL
        for (std::size_t c = 0; c < n; ++c) {
            const std::size_t q = 16 * block + c;
            __m256i column = r[c];
            if (lengths != nullptr) {
                column = _mm256_and_si256(
                    column, _mm256_cmpgt_epi8(length_vector, _mm256_set1_epi8(static_cast<char>(q))));
            }
            const __m256i high = _mm256_and_si256(_mm256_srli_epi16(column, 4), nibble_mask);
            const __m256i low = _mm256_and_si256(column, nibble_mask);
            NETKIT_UNROLL
            for (std::size_t b = 0; b < 4; ++b) {
                const __m256i th = _mm256_load_si256(reinterpret_cast<const __m256i*>(key.nibble_table(q, 0, b)));
                const __m256i tl = _mm256_load_si256(reinterpret_cast<const __m256i*>(key.nibble_table(q, 1, b)));
                acc[b] = _mm256_xor_si256(acc[b], _mm256_xor_si256(_mm256_shuffle_epi8(th, high),
                                                                   _mm256_shuffle_epi8(tl, low)));
            }
        }
    }
    // acc[b] byte j = byte b of row j's hash; interleave into 32-bit hashes.
    const __m256i lo01 = _mm256_unpacklo_epi8(acc[0], acc[1]);  // rows 0-7 | 16-23
    const __m256i hi01 = _mm256_unpackhi_epi8(acc[0], acc[1]);  // rows 8-15 | 24-31
    const __m256i lo23 = _mm256_unpacklo_epi8(acc[2], acc[3]);
    const __m256i hi23 = _mm256_unpackhi_epi8(acc[2], acc[3]);
    const __m256i w0 = _mm256_unpacklo_epi16(lo01, lo23);  // rows 0-3 | 16-19
    const __m256i w1 = _mm256_unpackhi_epi16(lo01, lo23);  // rows 4-7 | 20-23
    const __m256i w2 = _mm256_unpacklo_epi16(hi01, hi23);  // rows 8-11 | 24-27
    const __m256i w3 = _mm256_unpackhi_epi16(hi01, hi23);  // rows 12-15 | 28-31
    auto* o = reinterpret_cast<__m256i*>(out);
    _mm256_storeu_si256(o + 0, _mm256_permute2x128_si256(w0, w1, 0x20));
    _mm256_storeu_si256(o + 1, _mm256_permute2x128_si256(w2, w3, 0x20));
    _mm256_storeu_si256(o + 2, _mm256_permute2x128_si256(w0, w1, 0x31));
    _mm256_storeu_si256(o + 3, _mm256_permute2x128_si256(w2, w3, 0x31));
}
// Byte columns of 32 rows: columns[q] holds byte q of rows 0 … 15 (low
// lane) and 16 … 31 (high lane), zero at and past a row's length when
// `lengths` is given.
template <std::size_t Bytes, class Row>
__attribute__((target("avx2"))) void transpose32_avx2(Row row, const std::uint8_t* lengths, __m256i* columns) noexcept {
    const __m256i length_vector =
        lengths != nullptr ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(lengths)) : _mm256_setzero_si256();
    NETKIT_UNROLL
    for (std::size_t block = 0; block * 16 < Bytes; ++block) {
        const std::size_t n = Bytes - block * 16 < 16 ? Bytes - block * 16 : 16;
        // Rows i (low lane) and i + 16 (high lane), bytes of this block.
        __m256i r[16];
        NETKIT_UNROLL
        for (std::size_t i = 0; i < 16; ++i) {
            r[i] = _mm256_inserti128_si256(_mm256_castsi128_si256(load_row_block(row(i) + 16 * block, n)),
                                           load_row_block(row(i + 16) + 16 * block, n), 1);
        }
        // 16x16 byte transpose per lane: four rounds of interleaving vector
        // i with vector i + 8 each rotate the (row, column) address by one
        // bit; after four, r[c] holds column c.
        NETKIT_UNROLL
        for (int round = 0; round < 4; ++round) {
            __m256i t[16];
            NETKIT_UNROLL
            for (std::size_t i = 0; i < 8; ++i) {
                t[2 * i] = _mm256_unpacklo_epi8(r[i], r[i + 8]);
                t[2 * i + 1] = _mm256_unpackhi_epi8(r[i], r[i + 8]);
            }
            NETKIT_UNROLL
            for (std::size_t i = 0; i < 16; ++i) {
                r[i] = t[i];
            }
        }
        NETKIT_UNROLL
        for (std::size_t c = 0; c < n; ++c) {
            const std::size_t q = 16 * block + c;
            columns[q] = lengths == nullptr
                             ? r[c]
                             : _mm256_and_si256(r[c], _mm256_cmpgt_epi8(length_vector,
                                                                        _mm256_set1_epi8(static_cast<char>(q))));
        }
    }
}

// 32 hashes from four byte registers (acc[b] byte j = byte b of row j's hash).
__attribute__((target("avx2"))) inline void store_hashes32(const __m256i* acc, std::uint32_t* out) noexcept {
    const __m256i lo01 = _mm256_unpacklo_epi8(acc[0], acc[1]);  // rows 0-7 | 16-23
    const __m256i hi01 = _mm256_unpackhi_epi8(acc[0], acc[1]);  // rows 8-15 | 24-31
    const __m256i lo23 = _mm256_unpacklo_epi8(acc[2], acc[3]);
    const __m256i hi23 = _mm256_unpackhi_epi8(acc[2], acc[3]);
    const __m256i w0 = _mm256_unpacklo_epi16(lo01, lo23);  // rows 0-3 | 16-19
    const __m256i w1 = _mm256_unpackhi_epi16(lo01, lo23);  // rows 4-7 | 20-23
    const __m256i w2 = _mm256_unpacklo_epi16(hi01, hi23);  // rows 8-11 | 24-27
    const __m256i w3 = _mm256_unpackhi_epi16(hi01, hi23);  // rows 12-15 | 28-31
    auto* o = reinterpret_cast<__m256i*>(out);
    _mm256_storeu_si256(o + 0, _mm256_permute2x128_si256(w0, w1, 0x20));
    _mm256_storeu_si256(o + 1, _mm256_permute2x128_si256(w2, w3, 0x20));
    _mm256_storeu_si256(o + 2, _mm256_permute2x128_si256(w0, w1, 0x31));
    _mm256_storeu_si256(o + 3, _mm256_permute2x128_si256(w2, w3, 0x31));
}

// Hashes of 32 × Groups rows whose tuples are at most Bytes (8, 12, 32 or
// 36) long, transposed first, then looked up column by column (fastest for
// the long tuples, where the lookups dominate). `lengths` (one byte per row, nullptr: all Bytes) masks each
// row's bytes at and past its length. out[i] is row i's hash. Two groups
// share every table load (the tables do not fit in registers; the
// accumulators of two groups do).
template <std::size_t Bytes, std::size_t Groups = 1, class Row>
__attribute__((target("avx2"))) void toeplitz32_avx2(const toeplitz_key& key, Row row, const std::uint8_t* lengths,
                                                     std::uint32_t* out) noexcept {
    static_assert(Bytes == 8 || Bytes == 12 || Bytes == 32 || Bytes == 36);
    static_assert(Groups == 1 || Groups == 2);
    __m256i columns[Groups][Bytes];
    NETKIT_UNROLL
    for (std::size_t g = 0; g < Groups; ++g) {
        transpose32_avx2<Bytes>([&row, g](std::size_t k) { return row(32 * g + k); },
                                lengths != nullptr ? lengths + 32 * g : nullptr, columns[g]);
    }
    const __m256i nibble_mask = _mm256_set1_epi8(0x0f);
    __m256i acc[Groups][4];
    NETKIT_UNROLL
    for (std::size_t g = 0; g < Groups; ++g) {
        NETKIT_UNROLL
        for (std::size_t b = 0; b < 4; ++b) {
            acc[g][b] = _mm256_setzero_si256();
        }
    }
    NETKIT_UNROLL
    for (std::size_t q = 0; q < Bytes; ++q) {
        __m256i high[Groups];
        __m256i low[Groups];
        NETKIT_UNROLL
        for (std::size_t g = 0; g < Groups; ++g) {
            high[g] = _mm256_and_si256(_mm256_srli_epi16(columns[g][q], 4), nibble_mask);
            low[g] = _mm256_and_si256(columns[g][q], nibble_mask);
        }
        NETKIT_UNROLL
        for (std::size_t b = 0; b < 4; ++b) {
            const __m256i th = _mm256_load_si256(reinterpret_cast<const __m256i*>(key.nibble_table(q, 0, b)));
            const __m256i tl = _mm256_load_si256(reinterpret_cast<const __m256i*>(key.nibble_table(q, 1, b)));
            NETKIT_UNROLL
            for (std::size_t g = 0; g < Groups; ++g) {
                acc[g][b] = _mm256_xor_si256(acc[g][b], _mm256_xor_si256(_mm256_shuffle_epi8(th, high[g]),
                                                                         _mm256_shuffle_epi8(tl, low[g])));
            }
        }
    }
    NETKIT_UNROLL
    for (std::size_t g = 0; g < Groups; ++g) {
        store_hashes32(acc[g], out + 32 * g);
    }
}
#undef NETKIT_UNROLL
#endif

}  // namespace detail

// Hashes `count` tuples of exactly Bytes (8, 12, 32 or 36) bytes each, rows
// `stride` bytes apart, into out[0 … count): 32 at a time with nibble
// shuffles where AVX2 is available, the rest with the carry-less (or table)
// formulation.
template <std::size_t Bytes>
void toeplitz_rows(const toeplitz_key& key, const std::uint8_t* first, std::size_t stride, std::size_t count,
                   std::uint32_t* out) noexcept {
    std::size_t i = 0;
#if defined(__x86_64__)
    if (count >= 32 && avx2_hash_available()) {
        // Row k of a group at base: base + k × stride, computed in place.
        auto rows_at = [stride](const std::uint8_t* base) {
            return [base, stride](std::size_t k) { return base + k * stride; };
        };
        if constexpr (Bytes > 16) {
            for (; i + 64 <= count; i += 64) {
                detail::toeplitz32_avx2<Bytes, 2>(key, rows_at(first + i * stride), nullptr, out + i);
            }
            for (; i + 32 <= count; i += 32) {
                detail::toeplitz32_avx2<Bytes, 1>(key, rows_at(first + i * stride), nullptr, out + i);
            }
        } else {
            // Short rows are read 16 bytes wide where that stays inside them.
            const std::uint8_t* end = first + (count - 1) * stride + Bytes;
            for (; i + 32 <= count; i += 32) {
                const std::uint8_t* base = first + i * stride;
                if (base + 31 * stride + 16 <= end) {
                    detail::toeplitz32_fused_avx2<Bytes, true>(key, rows_at(base), nullptr, out + i);
                } else {
                    detail::toeplitz32_fused_avx2<Bytes, false>(key, rows_at(base), nullptr, out + i);
                }
            }
        }
    }
#endif
#if defined(__x86_64__)
    if (pclmul_available()) {
        for (; i < count; ++i) {
            out[i] = detail::toeplitz_clmul<Bytes>(key, first + i * stride);
        }
        return;
    }
#endif
    for (; i < count; ++i) {
        out[i] = toeplitz_table(key, std::span<const std::uint8_t>(first + i * stride, Bytes));
    }
}

// The fastest formulation available here.
inline std::uint32_t toeplitz(const toeplitz_key& key, std::span<const std::uint8_t> input) noexcept {
    return toeplitz_clmul(key, input);
}

// ------------------------------------------------------- SN-RSS-03 tuples

using ipv4_address = std::array<std::uint8_t, 4>;
using ipv6_address = std::array<std::uint8_t, 16>;

namespace detail {

template <std::size_t Width>
std::array<std::uint8_t, 2 * Width + 4> tuple_bytes(const std::array<std::uint8_t, Width>& source,
                                                    const std::array<std::uint8_t, Width>& destination,
                                                    std::uint16_t source_port, std::uint16_t destination_port) {
    std::array<std::uint8_t, 2 * Width + 4> out{};
    std::memcpy(out.data(), source.data(), Width);
    std::memcpy(out.data() + Width, destination.data(), Width);
    out[2 * Width] = static_cast<std::uint8_t>(source_port >> 8);
    out[2 * Width + 1] = static_cast<std::uint8_t>(source_port & 0xff);
    out[2 * Width + 2] = static_cast<std::uint8_t>(destination_port >> 8);
    out[2 * Width + 3] = static_cast<std::uint8_t>(destination_port & 0xff);
    return out;
}

}  // namespace detail

// IPv4 2-tuple: source ‖ destination address.
inline std::uint32_t hash_ipv4(const toeplitz_key& key, const ipv4_address& source,
                               const ipv4_address& destination) noexcept {
    const auto tuple = detail::tuple_bytes(source, destination, 0, 0);
    return toeplitz(key, std::span(tuple).first(8));
}

// IPv4 4-tuple: addresses ‖ source port ‖ destination port (ports in host order).
inline std::uint32_t hash_ipv4(const toeplitz_key& key, const ipv4_address& source, const ipv4_address& destination,
                               std::uint16_t source_port, std::uint16_t destination_port) noexcept {
    const auto tuple = detail::tuple_bytes(source, destination, source_port, destination_port);
    return toeplitz(key, tuple);
}

// IPv6 2-tuple: 16-byte source ‖ 16-byte destination.
inline std::uint32_t hash_ipv6(const toeplitz_key& key, const ipv6_address& source,
                               const ipv6_address& destination) noexcept {
    const auto tuple = detail::tuple_bytes(source, destination, 0, 0);
    return toeplitz(key, std::span(tuple).first(32));
}

// IPv6 4-tuple: addresses ‖ source port ‖ destination port.
inline std::uint32_t hash_ipv6(const toeplitz_key& key, const ipv6_address& source, const ipv6_address& destination,
                               std::uint16_t source_port, std::uint16_t destination_port) noexcept {
    const auto tuple = detail::tuple_bytes(source, destination, source_port, destination_port);
    return toeplitz(key, tuple);
}

// SN-RSS-04: the tuple choice for a flow type (none for non-IP frames).
constexpr model::rss_tuple tuple_choice(const model::rss_fields& fields, flow_type flow) noexcept {
    switch (flow) {
        case flow_type::tcp4: return fields.tcp4;
        case flow_type::udp4: return fields.udp4;
        case flow_type::other4: return fields.other4;
        case flow_type::tcp6: return fields.tcp6;
        case flow_type::udp6: return fields.udp6;
        case flow_type::other6: return fields.other6;
        case flow_type::not_ip: break;
    }
    return model::rss_tuple::none;
}

// How many bytes of a frame's tuple are hashed: 0 (not hashed: queue 0),
// 8 or 32 (addresses), 12 or 36 (with ports). Agrees with model/rss.hpp
// `input_tuple`: a 4-tuple choice without ports in the frame hashes the
// addresses.
constexpr std::size_t tuple_length(model::rss_tuple choice, l3_kind l3, bool rss_ports) noexcept {
    if (choice == model::rss_tuple::none || l3 == l3_kind::none) {
        return 0;
    }
    const std::size_t addresses = l3 == l3_kind::ipv4 ? 8 : 32;
    return addresses + (choice == model::rss_tuple::four_tuple && rss_ports ? 4 : 0);
}

// The RSS input of one parsed frame, as hashed.
struct rss_input {
    std::array<std::uint8_t, max_rss_input> bytes{};
    std::size_t length = 0;  // 0: not hashed

    std::span<const std::uint8_t> tuple() const noexcept { return std::span(bytes).first(length); }
};

inline rss_input input_of(const model::rss_fields& fields, const parsed& p) noexcept {
    rss_input out;
    const bool rss_ports = is_transport_flow(p.flow) && p.has_ports;
    out.length = tuple_length(tuple_choice(fields, p.flow), p.l3, rss_ports);
    const std::size_t width = p.l3 == l3_kind::ipv6 ? 16 : 4;
    if (out.length != 0) {
        std::memcpy(out.bytes.data(), p.source.data(), width);
        std::memcpy(out.bytes.data() + width, p.destination.data(), width);
        out.bytes[2 * width] = static_cast<std::uint8_t>(p.source_port >> 8);
        out.bytes[2 * width + 1] = static_cast<std::uint8_t>(p.source_port & 0xff);
        out.bytes[2 * width + 2] = static_cast<std::uint8_t>(p.destination_port >> 8);
        out.bytes[2 * width + 3] = static_cast<std::uint8_t>(p.destination_port & 0xff);
    }
    return out;
}

// ------------------------------------------------------------ bursts

namespace detail {

template <std::size_t Capacity>
void check_hash_outputs(const burst<Capacity>& frames, std::span<std::uint32_t> hash,
                        std::span<bool> hashed) noexcept {
    core::expects(hash.size() >= frames.size && hashed.size() >= frames.size,
                  "hash outputs hold one entry per frame of the burst");
}

// Per flow type, the tuple choice of `fields`, looked up once per burst.
inline std::array<model::rss_tuple, 7> choices(const model::rss_fields& fields) noexcept {
    std::array<model::rss_tuple, 7> out{};
    for (std::size_t f = 0; f < out.size(); ++f) {
        out[f] = tuple_choice(fields, static_cast<flow_type>(f));
    }
    return out;
}

}  // namespace detail

// Hashes every frame of a parsed burst with the table formulation:
// hash[i] and hashed[i] (false: not hashed, queue 0 by SN-RSS-04).
template <std::size_t Capacity>
void hash_burst_table(const toeplitz_key& key, const model::rss_fields& fields, const burst<Capacity>& frames,
                      std::span<std::uint32_t> hash, std::span<bool> hashed) noexcept {
    detail::check_hash_outputs(frames, hash, hashed);
    const auto choice = detail::choices(fields);
    for (std::size_t i = 0; i < frames.size; ++i) {
        const std::size_t length =
            tuple_length(choice[static_cast<std::size_t>(frames.flow[i])], frames.l3[i], frames.rss_ports[i]);
        const std::uint8_t* tuple = frames.rss_tuple[i].data();
        std::uint32_t h = 0;
        for (std::size_t position = 0; position < length; ++position) {
            h ^= key.table(position, tuple[position]);
        }
        hash[i] = h;
        hashed[i] = length != 0;
    }
}

// The same with the carry-less formulation where PCLMULQDQ is available
// (otherwise the table formulation).
template <std::size_t Capacity>
void hash_burst_clmul(const toeplitz_key& key, const model::rss_fields& fields, const burst<Capacity>& frames,
                      std::span<std::uint32_t> hash, std::span<bool> hashed) noexcept {
#if defined(__x86_64__)
    if (pclmul_available()) {
        detail::check_hash_outputs(frames, hash, hashed);
        const auto choice = detail::choices(fields);
        for (std::size_t i = 0; i < frames.size; ++i) {
            const std::size_t length =
                tuple_length(choice[static_cast<std::size_t>(frames.flow[i])], frames.l3[i], frames.rss_ports[i]);
            const std::uint8_t* tuple = frames.rss_tuple[i].data();
            std::uint32_t h = 0;
            switch (length) {
                case 8: h = detail::toeplitz_clmul<8>(key, tuple); break;
                case 12: h = detail::toeplitz_clmul<12>(key, tuple); break;
                case 32: h = detail::toeplitz_clmul<32>(key, tuple); break;
                case 36: h = detail::toeplitz_clmul<36>(key, tuple); break;
                default: break;  // 0: not hashed
            }
            hash[i] = h;
            hashed[i] = length != 0;
        }
        return;
    }
#endif
    hash_burst_table(key, fields, frames, hash, hashed);
}

// The same 32 frames at a time with nibble shuffles where AVX2 is
// available: each group hashes up to its longest tuple, shorter tuples
// masked (trailing zero bytes add nothing); the remainder and machines
// without AVX2 use the carry-less formulation.
template <std::size_t Capacity>
void hash_burst_avx2(const toeplitz_key& key, const model::rss_fields& fields, const burst<Capacity>& frames,
                     std::span<std::uint32_t> hash, std::span<bool> hashed) noexcept {
    detail::check_hash_outputs(frames, hash, hashed);
    std::size_t i = 0;
#if defined(__x86_64__)
    if (avx2_hash_available()) {
        const auto choice = detail::choices(fields);
        alignas(32) std::array<std::uint8_t, 32> lengths{};
        std::array<const std::uint8_t*, 32> rows{};
        for (; i + 32 <= frames.size; i += 32) {
            std::uint8_t longest = 0;
            for (std::size_t k = 0; k < 32; ++k) {
                const std::size_t f = i + k;
                lengths[k] = static_cast<std::uint8_t>(
                    tuple_length(choice[static_cast<std::size_t>(frames.flow[f])], frames.l3[f], frames.rss_ports[f]));
                longest = std::max(longest, lengths[k]);
                rows[k] = frames.rss_tuple[f].data();
                hashed[f] = lengths[k] != 0;
            }
            std::uint32_t* out = hash.data() + i;
            auto table = [&rows](std::size_t k) { return rows[k]; };
            switch (longest) {
                case 0: std::fill(out, out + 32, 0U); break;
                // A burst's tuple rows are 36 bytes: wide loads stay inside.
                case 8: detail::toeplitz32_fused_avx2<8, true>(key, table, lengths.data(), out); break;
                case 12: detail::toeplitz32_fused_avx2<12, true>(key, table, lengths.data(), out); break;
                case 32: detail::toeplitz32_avx2<32>(key, table, lengths.data(), out); break;
                default: detail::toeplitz32_avx2<36>(key, table, lengths.data(), out); break;
            }
        }
    }
#endif
    if (i < frames.size) {
        // The tail: a view of the remaining frames hashed one by one.
        const auto choice = detail::choices(fields);
        for (; i < frames.size; ++i) {
            const std::size_t length =
                tuple_length(choice[static_cast<std::size_t>(frames.flow[i])], frames.l3[i], frames.rss_ports[i]);
            hash[i] = length == 0 ? 0U
                                  : toeplitz_clmul(key, std::span<const std::uint8_t>(frames.rss_tuple[i].data(), length));
            hashed[i] = length != 0;
        }
    }
}

// The burst hash: the fastest formulation available here.
template <std::size_t Capacity>
void hash_burst(const toeplitz_key& key, const model::rss_fields& fields, const burst<Capacity>& frames,
                std::span<std::uint32_t> hash, std::span<bool> hashed) noexcept {
    // Nibble shuffles pay from 32 frames on (bench/packet.cpp); below that
    // the per-frame carry-less formulation is faster.
    if (frames.size >= 32) {
        hash_burst_avx2(key, fields, frames, hash, hashed);
    } else {
        hash_burst_clmul(key, fields, frames, hash, hashed);
    }
}

}  // namespace netkit::packet
