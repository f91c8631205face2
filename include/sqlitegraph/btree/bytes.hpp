// sqlitegraph/btree/bytes.hpp — little-endian loads/stores and bounded
// LEB128 varints used by the B+Tree page formats.
//
// Invariants:
//  1. Every multi-byte integer on a B+Tree page is little-endian.
//  2. read_varint never reads past `end`; a truncated or over-long varint
//     yields false, and the caller reports corruption naming its page.
// The B+Tree keeps these helpers private to itself so that its format does
// not change when core/ grows its own byte-order utilities.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace sqlitegraph::btree_detail {

template <class T>
inline T load_le(const std::byte* p) noexcept {
    T v;
    std::memcpy(&v, p, sizeof(T));
    if constexpr (std::endian::native == std::endian::big) {
        T r = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) r = static_cast<T>(r | (static_cast<T>((v >> (8 * (sizeof(T) - 1 - i))) & 0xff) << (8 * i)));
        return r;
    }
    return v;
}

template <class T>
inline void store_le(std::byte* p, T v) noexcept {
    for (std::size_t i = 0; i < sizeof(T); ++i) p[i] = static_cast<std::byte>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xff);
}

inline std::uint16_t load_u16(const std::byte* p) noexcept { return load_le<std::uint16_t>(p); }
inline std::uint32_t load_u32(const std::byte* p) noexcept { return load_le<std::uint32_t>(p); }
inline std::uint64_t load_u64(const std::byte* p) noexcept { return load_le<std::uint64_t>(p); }
inline void store_u16(std::byte* p, std::uint16_t v) noexcept { store_le(p, v); }
inline void store_u32(std::byte* p, std::uint32_t v) noexcept { store_le(p, v); }
inline void store_u64(std::byte* p, std::uint64_t v) noexcept { store_le(p, v); }

constexpr std::size_t varint_size(std::uint64_t v) noexcept {
    std::size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}

inline std::size_t write_varint(std::byte* p, std::uint64_t v) noexcept {
    std::size_t n = 0;
    while (v >= 0x80) {
        p[n++] = static_cast<std::byte>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    p[n++] = static_cast<std::byte>(v);
    return n;
}

// Reads a varint of at most 10 bytes from [p, end); advances p on success.
inline bool read_varint(const std::byte*& p, const std::byte* end, std::uint64_t& out) noexcept {
    std::uint64_t v = 0;
    for (unsigned shift = 0; shift < 64 && p < end; shift += 7) {
        const auto b = std::to_integer<std::uint64_t>(*p++);
        v |= (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            out = v;
            return true;
        }
    }
    return false;
}

} // namespace sqlitegraph::btree_detail
