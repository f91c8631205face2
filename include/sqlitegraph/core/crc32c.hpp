// sqlitegraph/core/crc32c.hpp — CRC-32C (Castagnoli), the default checksum.
//
// Two implementations that must agree bit for bit: the SSE4.2 crc32
// instruction, used when the running CPU has it (checked once at run time),
// and a portable slice-by-8 table walk. The CRC is "extendable": passing the
// CRC of a prefix as the seed continues it, which the log uses to chain frame
// checksums. Reflected polynomial 0x82F63B78, initial value and final xor
// 0xFFFFFFFF, so crc32c("123456789") == 0xE3069283.
#pragma once

#include "sqlitegraph/core/endian.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#define SQLITEGRAPH_HAVE_X86_CRC 1
#endif

namespace sqlitegraph::detail {

inline constexpr std::uint32_t crc32c_polynomial = 0x82F63B78u;

constexpr std::array<std::array<std::uint32_t, 256>, 8> make_crc32c_tables() {
    std::array<std::array<std::uint32_t, 256>, 8> tables{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t crc = i;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ ((crc & 1u) ? crc32c_polynomial : 0u);
        tables[0][i] = crc;
    }
    for (std::size_t t = 1; t < 8; ++t) {
        for (std::uint32_t i = 0; i < 256; ++i)
            tables[t][i] = (tables[t - 1][i] >> 8) ^ tables[0][tables[t - 1][i] & 0xFFu];
    }
    return tables;
}

inline constexpr auto crc32c_tables = make_crc32c_tables();

// Continues a CRC in its internal (pre-inverted) form over bytes.
inline std::uint32_t crc32c_update_portable(std::uint32_t crc, const std::byte* data, std::size_t length) noexcept {
    const auto& t = crc32c_tables;
    while (length >= 8) {
        const std::uint64_t word = load_le<std::uint64_t>(data) ^ crc;
        crc = t[7][word & 0xFF] ^ t[6][(word >> 8) & 0xFF] ^ t[5][(word >> 16) & 0xFF] ^ t[4][(word >> 24) & 0xFF] ^
              t[3][(word >> 32) & 0xFF] ^ t[2][(word >> 40) & 0xFF] ^ t[1][(word >> 48) & 0xFF] ^
              t[0][(word >> 56) & 0xFF];
        data += 8;
        length -= 8;
    }
    while (length-- > 0)
        crc = (crc >> 8) ^ t[0][(crc ^ static_cast<std::uint8_t>(*data++)) & 0xFF];
    return crc;
}

// Three-stream CRC. The crc32 instruction has a latency of three cycles
// but can start one per cycle, so one dependent chain uses a third of it.
// Three blocks of crc32c_stream_block bytes are summed at once (the second
// and third from 0) and joined by linearity: for the uninverted update,
// update(c, X || Y) = shift(update(c, X)) ^ update(0, Y), where shift(c) is
// c carried through |Y| zero bytes, a linear map on 32 bits applied with
// four byte tables.
inline constexpr std::size_t crc32c_stream_block = 256;

constexpr std::array<std::array<std::uint32_t, 256>, 4> make_crc32c_shift_tables() {
    std::array<std::uint32_t, 32> basis{}; // shift(1 << bit)
    for (int bit = 0; bit < 32; ++bit) {
        std::uint32_t crc = 1u << bit;
        for (std::size_t i = 0; i < crc32c_stream_block; ++i)
            crc = (crc >> 8) ^ crc32c_tables[0][crc & 0xFFu];
        basis[static_cast<std::size_t>(bit)] = crc;
    }
    std::array<std::array<std::uint32_t, 256>, 4> tables{};
    for (std::size_t k = 0; k < 4; ++k) {
        for (std::uint32_t b = 0; b < 256; ++b) {
            std::uint32_t value = 0;
            for (std::size_t bit = 0; bit < 8; ++bit) {
                if ((b >> bit) & 1u) value ^= basis[8 * k + bit];
            }
            tables[k][b] = value;
        }
    }
    return tables;
}

inline constexpr auto crc32c_shift_tables = make_crc32c_shift_tables();

// c carried through crc32c_stream_block zero bytes.
inline std::uint32_t crc32c_shift_block(std::uint32_t c) noexcept {
    const auto& t = crc32c_shift_tables;
    return t[0][c & 0xFFu] ^ t[1][(c >> 8) & 0xFFu] ^ t[2][(c >> 16) & 0xFFu] ^ t[3][c >> 24];
}

#if defined(SQLITEGRAPH_HAVE_X86_CRC)
__attribute__((target("sse4.2"))) inline std::uint32_t crc32c_update_sse42(std::uint32_t crc, const std::byte* data,
                                                                           std::size_t length) noexcept {
    constexpr std::size_t block = crc32c_stream_block;
    while (length >= 3 * block) {
        std::uint64_t a = crc, b = 0, c = 0;
        for (std::size_t i = 0; i < block; i += 8) {
            a = _mm_crc32_u64(a, load_le<std::uint64_t>(data + i));
            b = _mm_crc32_u64(b, load_le<std::uint64_t>(data + block + i));
            c = _mm_crc32_u64(c, load_le<std::uint64_t>(data + 2 * block + i));
        }
        const auto ab = crc32c_shift_block(static_cast<std::uint32_t>(a)) ^ static_cast<std::uint32_t>(b);
        crc = crc32c_shift_block(ab) ^ static_cast<std::uint32_t>(c);
        data += 3 * block;
        length -= 3 * block;
    }
    std::uint64_t crc64 = crc;
    while (length >= 8) {
        crc64 = _mm_crc32_u64(crc64, load_le<std::uint64_t>(data));
        data += 8;
        length -= 8;
    }
    auto crc32 = static_cast<std::uint32_t>(crc64);
    while (length-- > 0)
        crc32 = _mm_crc32_u8(crc32, static_cast<std::uint8_t>(*data++));
    return crc32;
}

inline bool cpu_has_sse42() noexcept {
    static const bool has = __builtin_cpu_supports("sse4.2");
    return has;
}
#endif

} // namespace sqlitegraph::detail

namespace sqlitegraph {

enum class crc32c_impl { automatic, portable, hardware };

// True when this build and this CPU can use the crc32 instruction.
inline bool crc32c_hardware_available() noexcept {
#if defined(SQLITEGRAPH_HAVE_X86_CRC)
    return detail::cpu_has_sse42();
#else
    return false;
#endif
}

// CRC-32C of bytes, continuing from seed (the CRC of whatever came before;
// 0 to start). Tests force an implementation to compare the two paths.
inline std::uint32_t crc32c_extend(std::uint32_t seed, std::span<const std::byte> bytes,
                                   crc32c_impl impl = crc32c_impl::automatic) noexcept {
    std::uint32_t crc = ~seed;
#if defined(SQLITEGRAPH_HAVE_X86_CRC)
    if (impl != crc32c_impl::portable && detail::cpu_has_sse42()) {
        return ~detail::crc32c_update_sse42(crc, bytes.data(), bytes.size());
    }
#else
    (void)impl;
#endif
    return ~detail::crc32c_update_portable(crc, bytes.data(), bytes.size());
}

inline std::uint32_t crc32c_value(std::span<const std::byte> bytes) noexcept {
    return crc32c_extend(0, bytes);
}

} // namespace sqlitegraph
