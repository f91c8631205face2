// Tests for the portable XXH3-64 (sqlitegraph/core/xxh3.hpp).
//
// The portable hash must equal libxxhash's XXH3_64bits_withSeed bit for bit,
// because on-disk checksums are written by builds with and without the
// library. Fixed check values (computed once with libxxhash 0.8.1) are
// asserted in every build; the exhaustive comparison runs when the build
// links libxxhash.
#include "sqlitegraph/core/xxh3.hpp"
#include "support/catch.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#if defined(SQLITEGRAPH_WITH_XXHASH)
#include <xxhash.h>
#endif

using sqlitegraph::detail::xxh3_64_portable;

namespace {

// The byte generator of xxHash's own sanity tests (a multiplicative
// sequence), so the fixed values below are reproducible anywhere.
std::vector<std::uint8_t> sanity_buffer(std::size_t size) {
    std::vector<std::uint8_t> buffer(size);
    std::uint64_t generator = 2654435761U;
    for (auto& byte : buffer) {
        byte = static_cast<std::uint8_t>(generator >> 56);
        generator *= 11400714785074694797ULL;
    }
    return buffer;
}

std::vector<std::uint8_t> random_buffer(std::size_t size, std::uint64_t rng_seed) {
    std::mt19937_64 rng(rng_seed);
    std::vector<std::uint8_t> buffer(size);
    for (auto& byte : buffer)
        byte = static_cast<std::uint8_t>(rng());
    return buffer;
}

struct check_value {
    std::size_t length;
    std::uint64_t seed;
    std::uint64_t hash;
};

// XXH3_64bits_withSeed(sanity_buffer, length, seed), from libxxhash 0.8.1.
// One or more lengths per path: empty, 1-3, 4-8, 9-16, 17-128, 129-240, and
// > 240 around block (1024) and stripe (64) boundaries.
constexpr check_value check_values[] = {
    {0, 0x0000000000000000ULL, 0x2D06800538D394C2ULL},    {0, 0x000000009E3779B1ULL, 0xF702CA3814DE2125ULL},
    {0, 0x9E3779B185EBCA8DULL, 0xA8A6B918B2F0364AULL},    {1, 0x0000000000000000ULL, 0xC44BDFF4074EECDBULL},
    {1, 0x000000009E3779B1ULL, 0xB53D5557E7F76F8DULL},    {1, 0x9E3779B185EBCA8DULL, 0x032BE332DD766EF8ULL},
    {3, 0x0000000000000000ULL, 0x54247382A8D6B94DULL},    {3, 0x000000009E3779B1ULL, 0xF173D14DAD53A5DCULL},
    {3, 0x9E3779B185EBCA8DULL, 0x634B8990B4976373ULL},    {4, 0x0000000000000000ULL, 0xE5DC74BC51848A51ULL},
    {4, 0x000000009E3779B1ULL, 0x6977C7C3AD9421B9ULL},    {4, 0x9E3779B185EBCA8DULL, 0xAA2E7ECCB0C8F747ULL},
    {8, 0x0000000000000000ULL, 0x24CCC9ACAA9F65E4ULL},    {8, 0x000000009E3779B1ULL, 0x360073B0548DBD24ULL},
    {8, 0x9E3779B185EBCA8DULL, 0x8F973410999B8F6BULL},    {9, 0x0000000000000000ULL, 0x14D5001C15DD3F2BULL},
    {9, 0x000000009E3779B1ULL, 0xCE394E48812AA7E3ULL},    {9, 0x9E3779B185EBCA8DULL, 0xB3AE7333D9013F60ULL},
    {16, 0x0000000000000000ULL, 0x981B17D36C7498C9ULL},   {16, 0x000000009E3779B1ULL, 0xB40F1F6CDB1569CCULL},
    {16, 0x9E3779B185EBCA8DULL, 0x663F29333B4DB6B1ULL},   {17, 0x0000000000000000ULL, 0x796F5ACD3A60F862ULL},
    {17, 0x000000009E3779B1ULL, 0xAF8CB0BC2C230DAFULL},   {17, 0x9E3779B185EBCA8DULL, 0xF3EC5067F4306DB3ULL},
    {128, 0x0000000000000000ULL, 0xFCFF24126754D861ULL},  {128, 0x000000009E3779B1ULL, 0xA3CA60447DE981D1ULL},
    {128, 0x9E3779B185EBCA8DULL, 0x73FDE75280646649ULL},  {129, 0x0000000000000000ULL, 0x98F1B0A679A2CA29ULL},
    {129, 0x000000009E3779B1ULL, 0xC861FFC49C2BF14FULL},  {129, 0x9E3779B185EBCA8DULL, 0x21FFFDBCA099C844ULL},
    {240, 0x0000000000000000ULL, 0x81C3C2B67F568CCFULL},  {240, 0x000000009E3779B1ULL, 0x507820EA74B895B0ULL},
    {240, 0x9E3779B185EBCA8DULL, 0xCC0F58C27EF3D8EEULL},  {241, 0x0000000000000000ULL, 0xC5A639ECD2030E5EULL},
    {241, 0x000000009E3779B1ULL, 0x5927E3637BAC8149ULL},  {241, 0x9E3779B185EBCA8DULL, 0xDDA9B0A161D4829AULL},
    {1024, 0x0000000000000000ULL, 0xDD85C9B5C1109C5CULL}, {1024, 0x000000009E3779B1ULL, 0xB8B95C07CD4A75FAULL},
    {1024, 0x9E3779B185EBCA8DULL, 0xEF368A8A2EBABAEFULL}, {1025, 0x0000000000000000ULL, 0xD870C0FA13211C6AULL},
    {1025, 0x000000009E3779B1ULL, 0x2F15255340AE4F6CULL}, {1025, 0x9E3779B185EBCA8DULL, 0x96792BCF9AF88519ULL},
    {2048, 0x0000000000000000ULL, 0xDD59E2C3A5F038E0ULL}, {2048, 0x000000009E3779B1ULL, 0x230D43F30206260BULL},
    {2048, 0x9E3779B185EBCA8DULL, 0x66F81670669ABABCULL}, {2240, 0x0000000000000000ULL, 0x6E73A90539CF2948ULL},
    {2240, 0x000000009E3779B1ULL, 0xED385111126FBA6FULL}, {2240, 0x9E3779B185EBCA8DULL, 0x757BA8487D1B5247ULL},
    {2367, 0x0000000000000000ULL, 0xCB37AEB9E5D361EDULL}, {2367, 0x000000009E3779B1ULL, 0x6F5360AE69C2F406ULL},
    {2367, 0x9E3779B185EBCA8DULL, 0xD2DB3415B942B42AULL}, {4096, 0x0000000000000000ULL, 0xE91206429D1F48F9ULL},
    {4096, 0x000000009E3779B1ULL, 0x2C32262E6834F8B9ULL}, {4096, 0x9E3779B185EBCA8DULL, 0x2A3BBB20A5439DCDULL},
};

} // namespace

TEST_CASE("xxh3_64_portable reproduces fixed check values for every length class and seed") {
    const auto buffer = sanity_buffer(4096);
    for (const auto& expected : check_values) {
        INFO("length " << expected.length << ", seed " << expected.seed);
        REQUIRE(xxh3_64_portable(buffer.data(), expected.length, expected.seed) == expected.hash);
    }
}

TEST_CASE("xxh3_64_portable of empty input ignores the data pointer, even null") {
    const std::uint8_t byte = 0xAB;
    REQUIRE(xxh3_64_portable(nullptr, 0, 0) == 0x2D06800538D394C2ULL);
    REQUIRE(xxh3_64_portable(&byte, 0, 0) == 0x2D06800538D394C2ULL);
    REQUIRE(xxh3_64_portable(nullptr, 0, 0x9E3779B1ULL) == 0xF702CA3814DE2125ULL);
}

TEST_CASE("xxh3_64_portable does not depend on the alignment of the input") {
    // Loads go through memcpy; hashing the same bytes at every offset within
    // a word must give the same value (and stay clean under UBSan).
    const auto source = random_buffer(3000, 7);
    const std::size_t lengths[] = {1, 3, 5, 8, 13, 16, 31, 100, 200, 241, 1500, 2999};
    for (const std::size_t length : lengths) {
        const std::uint64_t aligned = xxh3_64_portable(source.data(), length, 42);
        for (std::size_t offset = 1; offset < 8; ++offset) {
            std::vector<std::uint8_t> shifted(length + offset);
            std::memcpy(shifted.data() + offset, source.data(), length);
            INFO("length " << length << ", offset " << offset);
            REQUIRE(xxh3_64_portable(shifted.data() + offset, length, 42) == aligned);
        }
    }
}

TEST_CASE("xxh3 portable 64x64 multiply fold is exact at the edges") {
    using sqlitegraph::detail::xxh3::mul128_fold64_fallback;
    // (2^64-1)^2 = 2^128 - 2^65 + 1: high word 2^64-2, low word 1.
    REQUIRE(mul128_fold64_fallback(~0ULL, ~0ULL) == (0xFFFFFFFFFFFFFFFEULL ^ 1ULL));
    REQUIRE(mul128_fold64_fallback(0, ~0ULL) == 0);
    REQUIRE(mul128_fold64_fallback(1, 0x0123456789ABCDEFULL) == 0x0123456789ABCDEFULL);
    // 2^32 * 2^32 = 2^64: high word 1, low word 0.
    REQUIRE(mul128_fold64_fallback(1ULL << 32, 1ULL << 32) == 1);
    // 2^63 * 2 = 2^64 again, through a different split.
    REQUIRE(mul128_fold64_fallback(1ULL << 63, 2) == 1);
}

#if defined(__SIZEOF_INT128__)
TEST_CASE("xxh3 portable 64x64 multiply fold agrees with the __int128 path") {
    // The fallback is only compiled in where __int128 is missing, so check
    // it here against the native path on random and carry-heavy operands.
    using sqlitegraph::detail::xxh3::mul128_fold64;
    using sqlitegraph::detail::xxh3::mul128_fold64_fallback;
    std::mt19937_64 rng(12345);
    for (int i = 0; i < 100000; ++i) {
        std::uint64_t a = rng();
        std::uint64_t b = rng();
        if (i % 4 == 1) a |= 0xFFFFFFFF00000000ULL; // force carries out of the middle column
        if (i % 4 == 2) b |= 0x00000000FFFFFFFFULL;
        if (i % 4 == 3) a = ~(a & 0xFFULL);
        INFO("a " << a << ", b " << b);
        REQUIRE(mul128_fold64_fallback(a, b) == mul128_fold64(a, b));
    }
}
#endif

#if defined(SQLITEGRAPH_WITH_XXHASH)

namespace {

// Seed 0 (the default secret path for > 240 bytes) plus seeds that exercise
// the derived secret, including ones with all high or all low bits set.
std::vector<std::uint64_t> comparison_seeds() {
    std::mt19937_64 rng(0x5EED);
    return {0, 1, ~0ULL, 0x8000000000000000ULL, rng(), rng(), rng()};
}

} // namespace

TEST_CASE("xxh3_64_portable agrees with XXH3_64bits_withSeed for every length 0..2048") {
    const auto data = random_buffer(2048, 0xC0FFEE);
    for (const std::uint64_t seed : comparison_seeds()) {
        for (std::size_t length = 0; length <= 2048; ++length) {
            INFO("length " << length << ", seed " << seed);
            REQUIRE(xxh3_64_portable(data.data(), length, seed) == XXH3_64bits_withSeed(data.data(), length, seed));
        }
    }
}

TEST_CASE("xxh3_64_portable agrees with XXH3_64bits_withSeed for long inputs up to 100000 bytes") {
    const auto data = random_buffer(100000, 0xBADC0DE);
    // Around multi-block boundaries (1024-byte blocks, 64-byte stripes) and
    // a few irregular sizes, up to the buffer's full length.
    const std::size_t lengths[] = {3071,  3072,  3073,  4095,  4096,  4097,  8191,  8192,  8193,  10000,
                                   16383, 16384, 16385, 32767, 65535, 65536, 65537, 77777, 99999, 100000};
    for (const std::uint64_t seed : comparison_seeds()) {
        for (const std::size_t length : lengths) {
            INFO("length " << length << ", seed " << seed);
            REQUIRE(xxh3_64_portable(data.data(), length, seed) == XXH3_64bits_withSeed(data.data(), length, seed));
        }
    }
}

TEST_CASE("xxh3_64_portable agrees with XXH3_64bits_withSeed on highly regular inputs") {
    // All-zero and all-0xFF data drive keyed lanes to the secret itself or
    // its complement: a different corner from random bytes.
    for (const std::uint8_t fill : {std::uint8_t{0x00}, std::uint8_t{0xFF}}) {
        const std::vector<std::uint8_t> data(5000, fill);
        for (const std::uint64_t seed : comparison_seeds()) {
            for (std::size_t length = 0; length <= data.size(); length += 37) {
                INFO("fill " << int{fill} << ", length " << length << ", seed " << seed);
                REQUIRE(xxh3_64_portable(data.data(), length, seed) == XXH3_64bits_withSeed(data.data(), length, seed));
            }
        }
    }
}

#endif
