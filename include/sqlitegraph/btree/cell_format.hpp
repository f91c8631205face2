// sqlitegraph/btree/cell_format.hpp — the bytes of one leaf or internal cell.
//
//   leaf cell:     [key part][value part]
//   internal cell: [key part][child page id, u32]
//
//   key part:   fixed-size codec: its `size` bytes;
//               byte string: varint length, then the bytes.
//   value part: fixed-size codec: its `size` bytes;
//               byte string: varint h, then
//                 h even: h/2 bytes stored inline;
//                 h odd:  u32 id of the first overflow page; the value is
//                         h/2 bytes long and lives entirely in the chain.
//
// An internal cell (k, c) at position i says: child c holds the keys from k
// up to (and including) the next cell's key; the node header's link0 is the
// child left of the first cell.
//
// Invariants:
//  1. size(data, end) reads nothing at or past end and returns 0 for any
//     malformed cell, so a slotted page never hands out a cell it cannot
//     parse completely.
//  2. Once a cell_ref has been returned by a layout, key()/value()/child()
//     read only inside it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "sqlitegraph/btree/bytes.hpp"
#include "sqlitegraph/btree/key_codec.hpp"
#include "sqlitegraph/btree/node_layout.hpp"

namespace sqlitegraph::btree_detail {

template <class C>
struct part_traits;

// parse() returns the part's size, or bad_part when it does not fit before end.
inline constexpr std::size_t bad_part = ~std::size_t{0};

template <fixed_size_codec C>
struct part_traits<C> {
    static constexpr std::size_t min_size = C::size;
    static std::size_t encoded_size(const typename C::value_type&) noexcept { return C::size; }
    static std::size_t encode(const typename C::value_type& v, std::byte* out) noexcept {
        C::encode(v, out);
        return C::size;
    }
    static std::size_t parse(const std::byte* p, const std::byte* end) noexcept {
        return static_cast<std::size_t>(end - p) >= C::size ? C::size : bad_part;
    }
    static typename C::value_type decode(const std::byte* p) noexcept { return C::decode(p); }
    static std::size_t skip(const std::byte*) noexcept { return C::size; }
};

template <byte_string_codec C>
struct part_traits<C> {
    static constexpr std::size_t min_size = 1;
    static std::size_t encoded_size(std::string_view v) noexcept { return varint_size(v.size()) + v.size(); }
    static std::size_t encode(std::string_view v, std::byte* out) noexcept {
        const std::size_t n = write_varint(out, v.size());
        if (!v.empty()) std::memcpy(out + n, v.data(), v.size());
        return n + v.size();
    }
    static std::size_t parse(const std::byte* p, const std::byte* end) noexcept {
        const std::byte* q = p;
        std::uint64_t len = 0;
        if (!read_varint(q, end, len)) return bad_part;
        if (len > static_cast<std::uint64_t>(end - q)) return bad_part;
        return static_cast<std::size_t>(q - p) + static_cast<std::size_t>(len);
    }
    static std::string_view decode(const std::byte* p) noexcept {
        std::uint64_t len = 0;
        const std::byte* q = p;
        read_varint(q, q + 10, len);
        return {reinterpret_cast<const char*>(q), static_cast<std::size_t>(len)};
    }
    // Only for parts already validated by parse().
    static std::size_t skip(const std::byte* p) noexcept {
        std::uint64_t len = 0;
        const std::byte* q = p;
        read_varint(q, q + 10, len);
        return static_cast<std::size_t>(q - p) + static_cast<std::size_t>(len);
    }
};

// Where a byte-string value lives.
struct value_location {
    std::string_view inline_bytes; // valid when !overflow
    bool overflow = false;
    page_id first = null_page;     // first overflow page
    std::uint64_t length = 0;      // total value length
};

template <class K, class V>
struct leaf_cell_format {
    using key_part = part_traits<K>;
    static constexpr bool value_fixed = fixed_size_codec<V>;
    static constexpr std::size_t min_size = key_part::min_size + (value_fixed ? part_traits<V>::min_size : 1);
    // Largest value part of an overflowed byte-string value: varint(len*2+1) + u32.
    static constexpr std::size_t overflow_value_part = 10 + 4;

    static std::size_t size(const std::byte* c, const std::byte* end) noexcept {
        const std::size_t k = key_part::parse(c, end);
        if (k == bad_part) return 0;
        const std::byte* v = c + k;
        if constexpr (value_fixed) {
            const std::size_t parsed = part_traits<V>::parse(v, end);
            return parsed == bad_part ? 0 : k + parsed;
        } else {
            const std::byte* q = v;
            std::uint64_t h = 0;
            if (!read_varint(q, end, h)) return 0;
            const std::size_t rest = static_cast<std::size_t>(end - q);
            if ((h & 1) == 0) {
                if ((h >> 1) > rest) return 0;
                return static_cast<std::size_t>(q - c) + static_cast<std::size_t>(h >> 1);
            }
            if (rest < 4) return 0;
            return static_cast<std::size_t>(q - c) + 4;
        }
    }

    static typename K::value_type key(cell_ref c) noexcept { return key_part::decode(c.data); }
    static std::size_t key_size(cell_ref c) noexcept { return key_part::skip(c.data); }

    // Fixed-size values: decoded in place, or overwritten in place.
    static typename V::value_type fixed_value(cell_ref c) noexcept
        requires value_fixed
    {
        return V::decode(c.data + key_size(c));
    }
    static std::byte* fixed_value_ptr(std::byte* c) noexcept
        requires value_fixed
    {
        return c + key_part::skip(c);
    }

    static value_location location(cell_ref c) noexcept
        requires(!value_fixed)
    {
        const std::byte* q = c.data + key_size(c);
        std::uint64_t h = 0;
        read_varint(q, c.data + c.size, h);
        value_location loc;
        loc.length = h >> 1;
        if ((h & 1) == 0) {
            loc.inline_bytes = {reinterpret_cast<const char*>(q), static_cast<std::size_t>(h >> 1)};
        } else {
            loc.overflow = true;
            loc.first = load_u32(q);
        }
        return loc;
    }

    static std::size_t inline_size(const typename K::value_type& k, std::size_t value_len) noexcept {
        const std::size_t key_bytes = key_part::encoded_size(k);
        if constexpr (value_fixed) {
            (void)value_len;
            return key_bytes + V::size;
        } else {
            return key_bytes + varint_size(std::uint64_t{value_len} << 1) + value_len;
        }
    }

    static std::size_t encode(const typename K::value_type& k, const typename V::value_type& v, std::byte* out) noexcept {
        std::size_t n = key_part::encode(k, out);
        if constexpr (value_fixed) {
            V::encode(v, out + n);
            return n + V::size;
        } else {
            n += write_varint(out + n, std::uint64_t{v.size()} << 1);
            if (!v.empty()) std::memcpy(out + n, v.data(), v.size());
            return n + v.size();
        }
    }

    static std::size_t encode_overflow(const typename K::value_type& k, std::uint64_t length, page_id first, std::byte* out) noexcept
        requires(!value_fixed)
    {
        std::size_t n = key_part::encode(k, out);
        n += write_varint(out + n, (length << 1) | 1);
        store_u32(out + n, first);
        return n + 4;
    }
};

template <class K>
struct internal_cell_format {
    using key_part = part_traits<K>;
    static constexpr std::size_t min_size = key_part::min_size + 4;

    static std::size_t size(const std::byte* c, const std::byte* end) noexcept {
        const std::size_t k = key_part::parse(c, end);
        if (k == bad_part) return 0;
        if (static_cast<std::size_t>(end - c) - k < 4) return 0;
        return k + 4;
    }
    static typename K::value_type key(cell_ref c) noexcept { return key_part::decode(c.data); }
    static page_id child(cell_ref c) noexcept { return load_u32(c.data + c.size - 4); }
    static std::size_t encode(const typename K::value_type& k, page_id child, std::byte* out) noexcept {
        const std::size_t n = key_part::encode(k, out);
        store_u32(out + n, child);
        return n + 4;
    }
    // Re-targets an encoded key part (copied from another cell) at a child.
    static std::size_t encode_raw(const std::byte* key_bytes, std::size_t key_len, page_id child, std::byte* out) noexcept {
        std::memcpy(out, key_bytes, key_len);
        store_u32(out + key_len, child);
        return key_len + 4;
    }
    static std::size_t key_size(cell_ref c) noexcept { return c.size - 4; }
};

} // namespace sqlitegraph::btree_detail
