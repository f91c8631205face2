// sqlitegraph/btree/node_access.hpp — checked reads of B+Tree pages shared by
// the engine, cursors and verify().
//
// Every page the tree touches is loaded through check_node(), which refuses
// it (errc::corruption, naming the page) unless:
//  1. the pager header's type byte is btree_leaf or btree_internal and its
//     id field equals the id it was read as;
//  2. the node header passes the layout's check_header (invariants of
//     node_layout.hpp), and its level agrees with the type and with the
//     level the parent implies (a child is exactly one level lower), which
//     also makes any descent terminate within max_height steps.
// Search functions use the ordering of the key codec; with duplicate keys,
// lower_bound finds the first and upper_bound the position after the last.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "sqlitegraph/btree/node_layout.hpp"
#include "sqlitegraph/btree/params.hpp"

namespace sqlitegraph::btree_detail {

// A key that owns its bytes (byte-string keys) or is a plain value.
template <class K>
using owned_key_t = std::conditional_t<byte_string_codec<K>, std::string, typename K::value_type>;

template <class Params>
struct node_ops {
    using leaf_layout = typename Params::leaf_layout;
    using internal_layout = typename Params::internal_layout;
    using leaf_cell = typename Params::leaf_cell;
    using internal_cell = typename Params::internal_cell;
    using key_codec = typename Params::key_codec;
    using key_type = typename Params::key_type;

    static constexpr int any_level = -1;

    // Checks invariants 1 and 2 and returns the node's level.
    static unsigned check_node(const std::byte* p, page_id id, int expected_level) {
        const auto type = std::to_integer<std::uint8_t>(p[page_type_offset]);
        if (load_u32(p + page_id_offset) != id)
            btree_corrupt(id, "page header names page " + std::to_string(load_u32(p + page_id_offset)));
        const unsigned level = node_level(p);
        if (expected_level >= 0 && level != static_cast<unsigned>(expected_level))
            btree_corrupt(id, "level " + std::to_string(level) + " where " + std::to_string(expected_level) + " was expected");
        if (level >= btree_format::max_height) btree_corrupt(id, "level " + std::to_string(level) + " is beyond the maximum height");
        if (level == 0) {
            if (type != static_cast<std::uint8_t>(page_type::btree_leaf))
                btree_corrupt(id, "level-0 node has page type " + std::to_string(type) + ", not btree_leaf");
            leaf_layout::check_header(p, id);
        } else {
            if (type != static_cast<std::uint8_t>(page_type::btree_internal))
                btree_corrupt(id, "internal node has page type " + std::to_string(type) + ", not btree_internal");
            internal_layout::check_header(p, id);
        }
        return level;
    }

    static key_type leaf_key(const std::byte* p, std::size_t i, page_id id) {
        return leaf_cell::key(leaf_layout::cell(p, i, id));
    }
    static key_type internal_key(const std::byte* p, std::size_t i, page_id id) {
        return internal_cell::key(internal_layout::cell(p, i, id));
    }

    // Child j of an internal node, 0 <= j <= count.
    static page_id child(const std::byte* p, std::size_t j, page_id id) {
        const page_id c = j == 0 ? node_link0(p) : internal_cell::child(internal_layout::cell(p, j - 1, id));
        if (c == null_page) btree_corrupt(id, "child " + std::to_string(j) + " is the null page");
        return c;
    }

    // First position whose key is not less than k (Upper: greater than k).
    template <bool Upper, class Layout, class Cell>
    static std::size_t search(const std::byte* p, const key_type& k, page_id id) {
        std::size_t lo = 0;
        std::size_t n = Layout::count(p);
        while (n > 0) {
            const std::size_t half = n / 2;
            if constexpr (Layout::fixed) {
                // Both possible next probes are fetched while this one is
                // compared: on a cold page that overlaps the cache misses a
                // binary search would otherwise take one after another.
                __builtin_prefetch(Layout::cell_ptr(p, lo + half / 2));
                __builtin_prefetch(Layout::cell_ptr(p, lo + half + 1 + (n - half - 1) / 2));
            }
            const key_type probe = Cell::key(Layout::cell(p, lo + half, id));
            const bool go_right = Upper ? !key_less<key_codec>(k, probe) : key_less<key_codec>(probe, k);
            if (go_right) {
                lo += half + 1;
                n -= half + 1;
            } else {
                n = half;
            }
        }
        return lo;
    }
    template <bool Upper>
    static std::size_t leaf_search(const std::byte* p, const key_type& k, page_id id) {
        return search<Upper, leaf_layout, leaf_cell>(p, k, id);
    }
    // The child to descend into: lower_bound over separators reaches the
    // leftmost leaf that may hold k, upper_bound the rightmost.
    template <bool Upper>
    static std::size_t internal_search(const std::byte* p, const key_type& k, page_id id) {
        return search<Upper, internal_layout, internal_cell>(p, k, id);
    }

    static owned_key_t<key_codec> own(const key_type& k) { return owned_key_t<key_codec>(k); }
};

} // namespace sqlitegraph::btree_detail
