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

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

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

    // Whether pages of this layout are searched by interpolation.
    template <class Layout>
    static constexpr bool interpolated = Layout::fixed && std::is_unsigned_v<key_type>;

    // What the interpolation needs to know of a page before it touches the
    // cells: the count and the first and last keys. Reading them costs two
    // dependent cache misses (the header line, then the last cell's line)
    // before the estimate can even be made; a reader that keeps a page
    // pinned keeps its hint too and goes straight to the estimated cells.
    // The hint only steers where to look: the cells around the estimate are
    // always compared, so a hint cannot change an answer, only its cost.
    struct search_hint {
        std::size_t count = 0;
        key_type first{};
        key_type last{};
    };
    struct no_hint {};
    template <class Layout>
    using hint_t = std::conditional_t<interpolated<Layout>, search_hint, no_hint>;

    template <class Layout, class Cell>
    static hint_t<Layout> hint_of(const std::byte* p, page_id id) {
        if constexpr (interpolated<Layout>) {
            const std::size_t n = Layout::count(p);
            if (n < interpolation_min_cells) return {n, {}, {}}; // binary search: keys not needed
            return {n, key_at<Layout, Cell>(p, 0, id), key_at<Layout, Cell>(p, n - 1, id)};
        } else {
            return {};
        }
    }

    // First position whose key is not less than k (Upper: greater than k).
    //
    // Fixed-width pages of unsigned integer keys (node ids, edge ids: mostly
    // dense) are searched by interpolation first: the key's position is
    // estimated from the first and last keys, and a window of cells around
    // the estimate is checked to bracket the answer. A warm lookup in a big
    // tree is bound by cache misses inside the leaf, and this touches about
    // three cache lines where a binary search over 250 cells touches six or
    // seven in sequence. A wrong estimate (skewed keys) costs two probes and
    // falls back to a binary search of the side that holds the answer, so the
    // result is always exactly the binary search's.
    template <bool Upper, class Layout, class Cell>
    static std::size_t search(const std::byte* p, const key_type& k, page_id id) {
        return search<Upper, Layout, Cell>(p, k, id, hint_of<Layout, Cell>(p, id));
    }

    // The cell the interpolation expects k at, or no_estimate when the page
    // is searched by bisection (too few cells, keys not spread, k outside).
    static constexpr std::size_t no_estimate = SIZE_MAX;
    template <class Layout>
    static std::size_t estimate(const hint_t<Layout>& hint, const key_type& k) {
        if constexpr (interpolated<Layout>) {
            const std::size_t n = hint.count;
            if (n < interpolation_min_cells || !(hint.first < hint.last) || k < hint.first || hint.last < k) return no_estimate;
            const double fraction = static_cast<double>(k - hint.first) / static_cast<double>(hint.last - hint.first);
            return static_cast<std::size_t>(fraction * static_cast<double>(n - 1));
        } else {
            return no_estimate;
        }
    }

    // The same, steered by a hint the caller kept for this page.
    template <bool Upper, class Layout, class Cell>
    static std::size_t search(const std::byte* p, const key_type& k, page_id id, const hint_t<Layout>& hint) {
        if constexpr (interpolated<Layout>) {
            const std::size_t n = hint.count;
            const std::size_t guess = estimate<Layout>(hint, k);
            if (guess == no_estimate) return search_range<Upper, Layout, Cell>(p, k, id, 0, n);
            const std::size_t lo = guess > interpolation_window ? guess - interpolation_window : 0;
            const std::size_t hi = std::min(n, guess + interpolation_window + 1);
            __builtin_prefetch(Layout::cell_ptr(p, lo));
            __builtin_prefetch(Layout::cell_ptr(p, hi - 1));
            __builtin_prefetch(p); // the header: callers check the answer against the count
            // The answer r has go_right() true for every cell before it and
            // false from it on: r >= lo iff cell lo-1 goes right, r <= hi iff
            // cell hi does not.
            if (lo > 0 && !go_right<Upper>(key_at<Layout, Cell>(p, lo - 1, id), k))
                return search_range<Upper, Layout, Cell>(p, k, id, 0, lo - 1);
            if (hi < n && go_right<Upper>(key_at<Layout, Cell>(p, hi, id), k))
                return search_range<Upper, Layout, Cell>(p, k, id, hi + 1, n);
            return search_range<Upper, Layout, Cell>(p, k, id, lo, hi);
        } else {
            return search_range<Upper, Layout, Cell>(p, k, id, 0, Layout::count(p));
        }
    }

    // Binary search for the answer within cells [lo, hi).
    template <bool Upper, class Layout, class Cell>
    static std::size_t search_range(const std::byte* p, const key_type& k, page_id id, std::size_t lo, std::size_t hi) {
        std::size_t n = hi - lo;
        while (n > 0) {
            const std::size_t half = n / 2;
            if constexpr (Layout::fixed) {
                // Both possible next probes are fetched while this one is
                // compared: on a cold page that overlaps the cache misses a
                // binary search would otherwise take one after another.
                __builtin_prefetch(Layout::cell_ptr(p, lo + half / 2));
                __builtin_prefetch(Layout::cell_ptr(p, lo + half + 1 + (n - half - 1) / 2));
            }
            if (go_right<Upper>(key_at<Layout, Cell>(p, lo + half, id), k)) {
                lo += half + 1;
                n -= half + 1;
            } else {
                n = half;
            }
        }
        return lo;
    }

    // Whether the answer lies after a cell holding `probe`.
    template <bool Upper>
    static bool go_right(const key_type& probe, const key_type& k) {
        return Upper ? !key_less<key_codec>(k, probe) : key_less<key_codec>(probe, k);
    }
    template <class Layout, class Cell>
    static key_type key_at(const std::byte* p, std::size_t i, page_id id) {
        return Cell::key(Layout::cell(p, i, id));
    }
    static constexpr std::size_t interpolation_min_cells = 16;
    static constexpr std::size_t interpolation_window = 4;

    template <bool Upper>
    static std::size_t leaf_search(const std::byte* p, const key_type& k, page_id id) {
        return search<Upper, leaf_layout, leaf_cell>(p, k, id);
    }
    template <bool Upper>
    static std::size_t leaf_search(const std::byte* p, const key_type& k, page_id id, const hint_t<leaf_layout>& hint) {
        return search<Upper, leaf_layout, leaf_cell>(p, k, id, hint);
    }
    static hint_t<leaf_layout> leaf_hint(const std::byte* p, page_id id) { return hint_of<leaf_layout, leaf_cell>(p, id); }
    // The child to descend into: lower_bound over separators reaches the
    // leftmost leaf that may hold k, upper_bound the rightmost.
    template <bool Upper>
    static std::size_t internal_search(const std::byte* p, const key_type& k, page_id id) {
        return search<Upper, internal_layout, internal_cell>(p, k, id);
    }
    template <bool Upper>
    static std::size_t internal_search(const std::byte* p, const key_type& k, page_id id, const hint_t<internal_layout>& hint) {
        return search<Upper, internal_layout, internal_cell>(p, k, id, hint);
    }
    static hint_t<internal_layout> internal_hint(const std::byte* p, page_id id) {
        return hint_of<internal_layout, internal_cell>(p, id);
    }

    static owned_key_t<key_codec> own(const key_type& k) { return owned_key_t<key_codec>(k); }
};

} // namespace sqlitegraph::btree_detail
