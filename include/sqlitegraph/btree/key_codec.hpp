// sqlitegraph/btree/key_codec.hpp — the concepts a B+Tree key or value
// encoding must model, and the encodings the engine ships with.
//
// A codec opts in with a nested `codec_kind` tag and is one of two kinds:
//  - fixed_size_codec: every value encodes to exactly `size` bytes
//    (u64, u32, tuples of unsigned integers, the empty value). Trees whose
//    keys and values are both fixed-size use the fixed-width node layout.
//  - byte_string_codec: values are byte strings (std::string_view in and
//    out); they are stored length-prefixed in slotted pages, and values too
//    large for a page go to overflow pages.
// A key codec must also order its values: fixed-size key codecs provide
// `less`, byte strings order lexicographically by unsigned byte (memcmp).
//
// Invariants:
//  1. encode writes exactly `size` bytes and decode(encode(v)) == v.
//  2. less is a strict weak order on decoded values; the tree sorts by it,
//     not by the encoded bytes, so the encoding need not be order-preserving.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "sqlitegraph/btree/bytes.hpp"

namespace sqlitegraph {

struct fixed_size_codec_tag {};
struct byte_string_codec_tag {};

template <class C>
concept fixed_size_codec = std::same_as<typename C::codec_kind, fixed_size_codec_tag> &&
    std::regular<typename C::value_type> &&
    requires(const typename C::value_type& v, std::byte* out, const std::byte* in) {
        { C::size } -> std::convertible_to<std::size_t>;
        C::encode(v, out);
        { C::decode(in) } -> std::same_as<typename C::value_type>;
    };

template <class C>
concept byte_string_codec = std::same_as<typename C::codec_kind, byte_string_codec_tag> &&
    std::same_as<typename C::value_type, std::string_view>;

template <class C>
concept btree_value_codec = fixed_size_codec<C> || byte_string_codec<C>;

template <class C>
concept btree_key_codec = byte_string_codec<C> ||
    (fixed_size_codec<C> && requires(const typename C::value_type& a, const typename C::value_type& b) {
        { C::less(a, b) } -> std::convertible_to<bool>;
    });

// --- fixed-size codecs -------------------------------------------------------

template <std::unsigned_integral T>
struct unsigned_codec {
    using codec_kind = fixed_size_codec_tag;
    using value_type = T;
    static constexpr std::size_t size = sizeof(T);
    static void encode(T v, std::byte* out) noexcept { sqlitegraph::store_le(out, v); }
    static T decode(const std::byte* in) noexcept { return sqlitegraph::load_le<T>(in); }
    static bool less(T a, T b) noexcept { return a < b; }
};

using u64_codec = unsigned_codec<std::uint64_t>;
using u32_codec = unsigned_codec<std::uint32_t>;
using u16_codec = unsigned_codec<std::uint16_t>;
using u8_codec = unsigned_codec<std::uint8_t>;

// A tuple of unsigned integers ordered lexicographically, e.g. the adjacency
// key (node, direction, type, neighbour, edge id).
template <std::unsigned_integral... Ts>
struct tuple_codec {
    using codec_kind = fixed_size_codec_tag;
    using value_type = std::tuple<Ts...>;
    static constexpr std::size_t size = (sizeof(Ts) + ... + 0);
    static void encode(const value_type& v, std::byte* out) noexcept {
        std::apply([&](const Ts&... xs) { ((sqlitegraph::store_le(out, xs), out += sizeof(Ts)), ...); }, v);
    }
    static value_type decode(const std::byte* in) noexcept {
        return decode_impl(in, std::index_sequence_for<Ts...>{});
    }
    static bool less(const value_type& a, const value_type& b) noexcept { return a < b; }

private:
    template <std::size_t... I>
    static value_type decode_impl(const std::byte* in, std::index_sequence<I...>) noexcept {
        return value_type{sqlitegraph::load_le<Ts>(in + offset_of<I>())...};
    }
    template <std::size_t I>
    static constexpr std::size_t offset_of() noexcept {
        constexpr std::size_t sizes[] = {sizeof(Ts)...};
        std::size_t off = 0;
        for (std::size_t i = 0; i < I; ++i) off += sizes[i];
        return off;
    }
};

// No value at all: a set-like index (for example kind -> node id stored
// entirely in the key) costs no value bytes.
struct empty_codec {
    using codec_kind = fixed_size_codec_tag;
    using value_type = std::monostate;
    static constexpr std::size_t size = 0;
    static void encode(std::monostate, std::byte*) noexcept {}
    static std::monostate decode(const std::byte*) noexcept { return {}; }
    static bool less(std::monostate, std::monostate) noexcept { return false; }
};

// --- byte strings ------------------------------------------------------------

struct bytes_codec {
    using codec_kind = byte_string_codec_tag;
    using value_type = std::string_view;
};

namespace btree_detail {

// Compares keys the way the tree orders them.
template <class K>
inline bool key_less(const typename K::value_type& a, const typename K::value_type& b) noexcept {
    if constexpr (byte_string_codec<K>) {
        return a < b; // char_traits<char>::compare orders by unsigned byte
    } else {
        return K::less(a, b);
    }
}

template <class K>
inline bool key_equal(const typename K::value_type& a, const typename K::value_type& b) noexcept {
    if constexpr (byte_string_codec<K>) {
        return a == b;
    } else {
        return !K::less(a, b) && !K::less(b, a);
    }
}

} // namespace btree_detail
} // namespace sqlitegraph
