// sqlitegraph/btree/bytes.hpp — little-endian loads/stores and bounded
// LEB128 varints used by the B+Tree page formats.
//
// Invariants:
//  1. Every multi-byte integer on a B+Tree page is little-endian.
//  2. read_varint never reads past `end`; a truncated or over-long varint
//     yields false, and the caller reports corruption naming its page.
// They are thin names over core/endian.hpp and core/varint.hpp, so the
// B+Tree's bytes are the same encodings as the rest of the file format.
#pragma once

#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/varint.hpp"

#include <cstddef>
#include <cstdint>

namespace sqlitegraph::btree_detail {

inline std::uint16_t load_u16(const std::byte* p) noexcept { return load_le<std::uint16_t>(p); }
inline std::uint32_t load_u32(const std::byte* p) noexcept { return load_le<std::uint32_t>(p); }
inline std::uint64_t load_u64(const std::byte* p) noexcept { return load_le<std::uint64_t>(p); }
inline void store_u16(std::byte* p, std::uint16_t v) noexcept { store_le(p, v); }
inline void store_u32(std::byte* p, std::uint32_t v) noexcept { store_le(p, v); }
inline void store_u64(std::byte* p, std::uint64_t v) noexcept { store_le(p, v); }

// Cell lengths are LEB128 varints (core/varint.hpp).
inline std::size_t write_varint(std::byte* p, std::uint64_t v) noexcept { return encode_varint(v, p); }

// Reads a varint from [p, end); advances p on success.
inline bool read_varint(const std::byte*& p, const std::byte* end, std::uint64_t& out) noexcept {
    const auto r = decode_varint<std::uint64_t>({p, static_cast<std::size_t>(end - p)});
    if (!r.ok()) return false;
    out = r.value;
    p += r.length;
    return true;
}

} // namespace sqlitegraph::btree_detail
