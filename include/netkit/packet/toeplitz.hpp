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
// The input tuple of a parsed frame follows model/rss.hpp `input_tuple`
// exactly (SN-RSS-03/04), so a burst hashes to the same values and the same
// "not hashed" frames (queue 0) as the model's `select_queue`.
#pragma once

#include <netkit/core/invariant.hpp>
#include <netkit/model/queues.hpp>
#include <netkit/packet/parse.hpp>

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

private:
    model::rss_key key_;
    std::array<std::uint64_t, 5> reflected_{};
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

// The burst hash: the fastest formulation available here.
template <std::size_t Capacity>
void hash_burst(const toeplitz_key& key, const model::rss_fields& fields, const burst<Capacity>& frames,
                std::span<std::uint32_t> hash, std::span<bool> hashed) noexcept {
    hash_burst_clmul(key, fields, frames, hash, hashed);
}

}  // namespace netkit::packet
