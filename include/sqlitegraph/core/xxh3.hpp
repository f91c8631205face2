// sqlitegraph/core/xxh3.hpp — portable XXH3-64 with seed, bit-exact with
// libxxhash's XXH3_64bits_withSeed.
//
// Page and record checksums are XXH3-64 values stored on disk. A build may or
// may not link libxxhash, and a file written by one build must verify in the
// other, so this fallback has to produce exactly the same 64-bit value as the
// library for every length and seed. It follows the XXH3 specification
// (xxHash doc/xxhash_spec.md): the small (0-16), medium (17-240) and large
// (> 240, stripes of 64 bytes in blocks of 1024) paths, the standard 192-byte
// secret, and for seeded large inputs the secret derived from the seed. It is
// a plain scalar implementation: correctness and portability over speed.
//
// All input and secret words are read little-endian through memcpy
// (load_le), so any alignment and any host byte order give the same result.
#pragma once

#include "sqlitegraph/core/endian.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

namespace sqlitegraph::detail {

namespace xxh3 {

inline constexpr std::uint64_t prime32_1 = 0x9E3779B1U;
inline constexpr std::uint64_t prime32_2 = 0x85EBCA77U;
inline constexpr std::uint64_t prime32_3 = 0xC2B2AE3DU;
inline constexpr std::uint64_t prime64_1 = 0x9E3779B185EBCA87ULL;
inline constexpr std::uint64_t prime64_2 = 0xC2B2AE3D27D4EB4FULL;
inline constexpr std::uint64_t prime64_3 = 0x165667B19E3779F9ULL;
inline constexpr std::uint64_t prime64_4 = 0x85EBCA77C2B2AE63ULL;
inline constexpr std::uint64_t prime64_5 = 0x27D4EB2F165667C5ULL;
inline constexpr std::uint64_t prime_mx1 = 0x165667919E3779F9ULL;
inline constexpr std::uint64_t prime_mx2 = 0x9FB21C651E98DF25ULL;

inline constexpr std::size_t secret_size = 192;
inline constexpr std::size_t stripe_size = 64;
inline constexpr std::size_t accumulator_count = 8;
// One secret offset step of 8 bytes per stripe: (192 - 64) / 8 = 16 stripes.
inline constexpr std::size_t stripes_per_block = (secret_size - stripe_size) / 8;
inline constexpr std::size_t block_size = stripe_size * stripes_per_block;

// The specification's default secret. Changing a single byte changes every
// hash, so this must stay the standard one.
inline constexpr std::array<std::uint8_t, secret_size> default_secret = {
    0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c, 0xde, 0xd4,
    0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f, 0xcb, 0x79, 0xe6, 0x4e,
    0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21, 0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43,
    0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c, 0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb,
    0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3, 0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19,
    0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8, 0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7,
    0xc7, 0x0b, 0x4f, 0x1d, 0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78,
    0x73, 0x64, 0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
    0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e, 0x2b, 0x16,
    0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce, 0x45, 0xcb, 0x3a, 0x8f,
    0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
};

inline std::uint64_t read64(const std::uint8_t* p) noexcept {
    return load_le<std::uint64_t>(p);
}
inline std::uint32_t read32(const std::uint8_t* p) noexcept {
    return load_le<std::uint32_t>(p);
}

// std::rotl would do, but spelling it out keeps the shift amounts visible
// next to the specification's `<<<`; callers pass 0 < r < 64 only.
constexpr std::uint64_t rotl64(std::uint64_t x, unsigned r) noexcept {
    return (x << r) | (x >> (64U - r));
}

// Portable 64x64 -> 128 multiply folded to 64 bits (low xor high). Always
// defined so tests can check it against the __int128 path on hosts that
// have both; used by mul128_fold64 only where __int128 is missing.
constexpr std::uint64_t mul128_fold64_fallback(std::uint64_t a, std::uint64_t b) noexcept {
    const std::uint64_t a_lo = a & 0xFFFFFFFFU;
    const std::uint64_t a_hi = a >> 32;
    const std::uint64_t b_lo = b & 0xFFFFFFFFU;
    const std::uint64_t b_hi = b >> 32;
    const std::uint64_t lo_lo = a_lo * b_lo;
    const std::uint64_t hi_lo = a_hi * b_lo;
    const std::uint64_t lo_hi = a_lo * b_hi;
    const std::uint64_t hi_hi = a_hi * b_hi;
    // Sum of the middle column cannot overflow: each term is < 2^32.
    const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFU) + lo_hi;
    const std::uint64_t upper = (hi_lo >> 32) + (cross >> 32) + hi_hi;
    const std::uint64_t lower = (cross << 32) | (lo_lo & 0xFFFFFFFFU);
    return lower ^ upper;
}

#if defined(__SIZEOF_INT128__)
// __extension__ keeps -Wpedantic quiet: __int128 is a GNU extension, but
// every compiler defining __SIZEOF_INT128__ supports it.
__extension__ typedef unsigned __int128 uint128;

constexpr std::uint64_t mul128_fold64(std::uint64_t a, std::uint64_t b) noexcept {
    const uint128 product = static_cast<uint128>(a) * b;
    return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}
#else
constexpr std::uint64_t mul128_fold64(std::uint64_t a, std::uint64_t b) noexcept {
    return mul128_fold64_fallback(a, b);
}
#endif

constexpr std::uint64_t xorshift64(std::uint64_t x, unsigned shift) noexcept {
    return x ^ (x >> shift);
}

// The XXH64 finaliser, which XXH3 reuses for the shortest inputs.
constexpr std::uint64_t avalanche_xxh64(std::uint64_t x) noexcept {
    x = xorshift64(x, 33);
    x *= prime64_2;
    x = xorshift64(x, 29);
    x *= prime64_3;
    return xorshift64(x, 32);
}

// XXH3's own (cheaper) finaliser.
constexpr std::uint64_t avalanche(std::uint64_t x) noexcept {
    x = xorshift64(x, 37);
    x *= prime_mx1;
    return xorshift64(x, 32);
}

// Stronger finaliser for 4..8 bytes, where the input has less room to mix.
constexpr std::uint64_t rrmxmx(std::uint64_t x, std::uint64_t length) noexcept {
    x ^= rotl64(x, 49) ^ rotl64(x, 24);
    x *= prime_mx2;
    x ^= (x >> 35) + length;
    x *= prime_mx2;
    return xorshift64(x, 28);
}

inline std::uint64_t hash_0(std::uint64_t seed, const std::uint8_t* secret) noexcept {
    return avalanche_xxh64(seed ^ read64(secret + 56) ^ read64(secret + 64));
}

inline std::uint64_t hash_1to3(const std::uint8_t* input, std::size_t length, std::uint64_t seed,
                               const std::uint8_t* secret) noexcept {
    // Packs first, middle and last byte with the length: covers 1, 2 and 3
    // bytes with a single expression (bytes repeat for the shorter ones).
    const std::uint32_t combined =
        (static_cast<std::uint32_t>(input[0]) << 16) | (static_cast<std::uint32_t>(input[length >> 1]) << 24) |
        static_cast<std::uint32_t>(input[length - 1]) | (static_cast<std::uint32_t>(length) << 8);
    const std::uint64_t bitflip = static_cast<std::uint64_t>(read32(secret) ^ read32(secret + 4)) + seed;
    return avalanche_xxh64(static_cast<std::uint64_t>(combined) ^ bitflip);
}

inline std::uint64_t hash_4to8(const std::uint8_t* input, std::size_t length, std::uint64_t seed,
                               const std::uint8_t* secret) noexcept {
    seed ^= static_cast<std::uint64_t>(byteswap(static_cast<std::uint32_t>(seed))) << 32;
    const std::uint32_t first = read32(input);
    const std::uint32_t last = read32(input + length - 4); // overlaps `first` below 8 bytes
    const std::uint64_t bitflip = (read64(secret + 8) ^ read64(secret + 16)) - seed;
    const std::uint64_t combined = static_cast<std::uint64_t>(last) | (static_cast<std::uint64_t>(first) << 32);
    return rrmxmx(combined ^ bitflip, length);
}

inline std::uint64_t hash_9to16(const std::uint8_t* input, std::size_t length, std::uint64_t seed,
                                const std::uint8_t* secret) noexcept {
    const std::uint64_t bitflip_lo = (read64(secret + 24) ^ read64(secret + 32)) + seed;
    const std::uint64_t bitflip_hi = (read64(secret + 40) ^ read64(secret + 48)) - seed;
    const std::uint64_t lo = read64(input) ^ bitflip_lo;
    const std::uint64_t hi = read64(input + length - 8) ^ bitflip_hi; // may overlap `lo`
    const std::uint64_t acc = static_cast<std::uint64_t>(length) + byteswap(lo) + hi + mul128_fold64(lo, hi);
    return avalanche(acc);
}

// Mixes 16 input bytes with 16 secret bytes; the seed enters with opposite
// signs in the two halves so it cannot cancel out.
inline std::uint64_t mix16(const std::uint8_t* input, const std::uint8_t* secret, std::uint64_t seed) noexcept {
    const std::uint64_t lo = read64(input) ^ (read64(secret) + seed);
    const std::uint64_t hi = read64(input + 8) ^ (read64(secret + 8) - seed);
    return mul128_fold64(lo, hi);
}

inline std::uint64_t hash_17to128(const std::uint8_t* input, std::size_t length, std::uint64_t seed,
                                  const std::uint8_t* secret) noexcept {
    // N 16-byte chunks from the front and N from the back, the smallest N
    // covering the input; pair i uses secret bytes [32i, 32i + 32).
    std::uint64_t acc = static_cast<std::uint64_t>(length) * prime64_1;
    const std::size_t rounds = ((length - 1) >> 5) + 1;
    for (std::size_t i = 0; i < rounds; ++i) {
        acc += mix16(input + 16 * i, secret + 32 * i, seed);
        acc += mix16(input + length - 16 * i - 16, secret + 32 * i + 16, seed);
    }
    return avalanche(acc);
}

inline std::uint64_t hash_129to240(const std::uint8_t* input, std::size_t length, std::uint64_t seed,
                                   const std::uint8_t* secret) noexcept {
    std::uint64_t acc = static_cast<std::uint64_t>(length) * prime64_1;
    const std::size_t chunks = length >> 4;
    for (std::size_t i = 0; i < 8; ++i)
        acc += mix16(input + 16 * i, secret + 16 * i, seed);
    acc = avalanche(acc);
    // The remaining chunks restart the secret at offset 3 so they do not
    // reuse the exact words of the first eight.
    for (std::size_t i = 8; i < chunks; ++i)
        acc += mix16(input + 16 * i, secret + 16 * (i - 8) + 3, seed);
    // The last 16 bytes always count, at a fixed offset (minimum secret
    // size 136 - 17) that the specification pins regardless of the secret.
    acc += mix16(input + length - 16, secret + 119, seed);
    return avalanche(acc);
}

using accumulators = std::array<std::uint64_t, accumulator_count>;

inline void accumulate_stripe(accumulators& acc, const std::uint8_t* stripe, const std::uint8_t* secret) noexcept {
    for (std::size_t lane = 0; lane < accumulator_count; ++lane) {
        const std::uint64_t data = read64(stripe + 8 * lane);
        const std::uint64_t keyed = data ^ read64(secret + 8 * lane);
        // The raw lane goes to the neighbour so input bits survive even if
        // a keyed half happens to be zero and kills the 32x32 product.
        acc[lane ^ 1] += data;
        acc[lane] += (keyed & 0xFFFFFFFFU) * (keyed >> 32);
    }
}

inline void scramble(accumulators& acc, const std::uint8_t* secret) noexcept {
    for (std::size_t lane = 0; lane < accumulator_count; ++lane) {
        std::uint64_t a = xorshift64(acc[lane], 47);
        a ^= read64(secret + 8 * lane);
        acc[lane] = a * prime32_1;
    }
}

inline std::uint64_t merge_accumulators(const accumulators& acc, const std::uint8_t* secret,
                                        std::uint64_t start) noexcept {
    std::uint64_t result = start;
    for (std::size_t i = 0; i < 4; ++i) {
        result += mul128_fold64(acc[2 * i] ^ read64(secret + 16 * i), acc[2 * i + 1] ^ read64(secret + 16 * i + 8));
    }
    return avalanche(result);
}

inline std::uint64_t hash_large(const std::uint8_t* input, std::size_t length, const std::uint8_t* secret) noexcept {
    accumulators acc = {prime32_3, prime64_1, prime64_2, prime64_3, prime64_4, prime32_2, prime64_5, prime32_1};

    // Full blocks, except that the final block is kept for the tail step
    // even when it is full (hence length - 1).
    const std::size_t full_blocks = (length - 1) / block_size;
    for (std::size_t block = 0; block < full_blocks; ++block) {
        const std::uint8_t* block_start = input + block * block_size;
        for (std::size_t stripe = 0; stripe < stripes_per_block; ++stripe) {
            accumulate_stripe(acc, block_start + stripe * stripe_size, secret + stripe * 8);
        }
        scramble(acc, secret + secret_size - stripe_size);
    }

    // Last block: every full stripe but the last one, then the final 64
    // bytes of input as a stripe (it may overlap bytes already consumed),
    // keyed at secret_size - 64 - 7 so it differs from any block stripe.
    const std::size_t tail_offset = full_blocks * block_size;
    const std::size_t tail_stripes = (length - 1 - tail_offset) / stripe_size;
    for (std::size_t stripe = 0; stripe < tail_stripes; ++stripe) {
        accumulate_stripe(acc, input + tail_offset + stripe * stripe_size, secret + stripe * 8);
    }
    accumulate_stripe(acc, input + length - stripe_size, secret + secret_size - stripe_size - 7);

    return merge_accumulators(acc, secret + 11, static_cast<std::uint64_t>(length) * prime64_1);
}

// For large inputs the seed is not mixed per word; instead it is folded into
// the secret once: even 64-bit words get +seed, odd words -seed.
inline std::array<std::uint8_t, secret_size> derive_secret(std::uint64_t seed) noexcept {
    std::array<std::uint8_t, secret_size> secret{};
    for (std::size_t i = 0; i < secret_size / 16; ++i) {
        store_le<std::uint64_t>(secret.data() + 16 * i, read64(default_secret.data() + 16 * i) + seed);
        store_le<std::uint64_t>(secret.data() + 16 * i + 8, read64(default_secret.data() + 16 * i + 8) - seed);
    }
    return secret;
}

} // namespace xxh3

// XXH3-64 of [data, data+length) with seed; identical to XXH3_64bits_withSeed.
inline std::uint64_t xxh3_64_portable(const void* data, std::size_t length, std::uint64_t seed) noexcept {
    const auto* input = static_cast<const std::uint8_t*>(data);
    const std::uint8_t* secret = xxh3::default_secret.data();
    if (length <= 16) {
        if (length > 8) return xxh3::hash_9to16(input, length, seed, secret);
        if (length >= 4) return xxh3::hash_4to8(input, length, seed, secret);
        if (length > 0) return xxh3::hash_1to3(input, length, seed, secret);
        return xxh3::hash_0(seed, secret);
    }
    if (length <= 128) return xxh3::hash_17to128(input, length, seed, secret);
    if (length <= 240) return xxh3::hash_129to240(input, length, seed, secret);
    // Seed 0 derives the default secret itself; skip the copy.
    if (seed == 0) return xxh3::hash_large(input, length, secret);
    const auto derived = xxh3::derive_secret(seed);
    return xxh3::hash_large(input, length, derived.data());
}

} // namespace sqlitegraph::detail
