// sqlitegraph/core/checksum.hpp — the checksum policies and their concept.
//
// A checksum policy names an algorithm that protects every page and every
// log frame. Its id is written into the superblock, so a file is only ever
// opened by an instantiation that checks it with the same algorithm. Each
// policy computes a 64-bit value (32-bit algorithms zero-extend) and can be
// continued from a seed, which the log uses to chain frames.
//
//   id  policy        algorithm
//   1   crc32c        CRC-32C (SSE4.2 when present, portable table otherwise)
//   2   xxh3_64       XXH3-64 seeded with the running value (libxxhash when
//                     enabled, else the bit-exact portable version)
//   3   xor_checksum  byte-wise XOR folded into 32 bits (the seed format's)
#pragma once

#include "sqlitegraph/core/crc32c.hpp"
#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/policy_tags.hpp"
#include "sqlitegraph/core/xxh3.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#if defined(SQLITEGRAPH_WITH_XXHASH)
#include <xxhash.h>
#endif

namespace sqlitegraph {

template <class T>
concept checksum_policy = requires {
    typename T::policy_category;
}
&&std::same_as<typename T::policy_category, checksum_policy_tag>&& requires(std::span<const std::byte> bytes,
                                                                            std::uint64_t seed) {
    { T::id } -> std::convertible_to<std::uint8_t>;
    { T::name } -> std::convertible_to<std::string_view>;
    { T::compute(bytes, seed) } -> std::same_as<std::uint64_t>;
};

struct crc32c {
    using policy_category = checksum_policy_tag;
    static constexpr std::uint8_t id = 1;
    static constexpr std::string_view name = "crc32c";

    static std::uint64_t compute(std::span<const std::byte> bytes, std::uint64_t seed = 0) noexcept {
        return crc32c_extend(static_cast<std::uint32_t>(seed), bytes);
    }
};

struct xxh3_64 {
    using policy_category = checksum_policy_tag;
    static constexpr std::uint8_t id = 2;
    static constexpr std::string_view name = "xxh3_64";

    static std::uint64_t compute(std::span<const std::byte> bytes, std::uint64_t seed = 0) noexcept {
#if defined(SQLITEGRAPH_WITH_XXHASH)
        return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
#else
        return detail::xxh3_64_portable(bytes.data(), bytes.size(), seed);
#endif
    }
};

// The seed format's checksum: bytes XORed into a 32-bit word at their
// position modulo 4. Weak (it misses swapped words), kept for compatibility
// experiments and as the cheapest option.
struct xor_checksum {
    using policy_category = checksum_policy_tag;
    static constexpr std::uint8_t id = 3;
    static constexpr std::string_view name = "xor_checksum";

    static std::uint64_t compute(std::span<const std::byte> bytes, std::uint64_t seed = 0) noexcept {
        auto folded = static_cast<std::uint32_t>(seed);
        std::size_t i = 0;
        for (; i + 4 <= bytes.size(); i += 4)
            folded ^= load_le<std::uint32_t>(bytes.data() + i);
        for (; i < bytes.size(); ++i)
            folded ^= static_cast<std::uint32_t>(bytes[i]) << (8 * (i % 4));
        return folded;
    }
};

constexpr std::string_view checksum_name(std::uint8_t id) noexcept {
    switch (id) {
    case crc32c::id:
        return crc32c::name;
    case xxh3_64::id:
        return xxh3_64::name;
    case xor_checksum::id:
        return xor_checksum::name;
    default:
        return "unknown";
    }
}

} // namespace sqlitegraph
