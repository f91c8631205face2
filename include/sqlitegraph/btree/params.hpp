// sqlitegraph/btree/params.hpp — one bundle of B+Tree parameters and every
// constant derived from it at compile time (after Abseil's btree params).
//
// btree_params<Key, Value, PageSize> chooses the node layouts:
//  - leaves use the fixed-width array when key and value are both
//    fixed-size, the slotted layout otherwise;
//  - internal pages use the fixed-width array when the key is fixed-size.
// and derives capacities, the largest key, the inline value limit and the
// fill limits. validate() checks the whole bundle in one place.
//
// Invariants the engine keeps (verify() checks each):
//  1. A non-root page holds at least min_fill bytes of cells. min_fill is
//     a third of the page's cell area, except for internal pages of
//     variable-size keys, where it is a quarter: with separators up to a
//     quarter of the page a third is not always reachable (three separators
//     just over a quarter page and a short one cannot be split 1/3 : 1/3).
//  2. Every leaf cell and every internal cell costs at most max_cell_cost
//     bytes (a quarter of the cell area), so a page always holds four cells
//     and a split always leaves both halves above the fill limit.
//  3. Keys longer than max_key_size are refused with errc::too_large before
//     anything is written. max_key_size < page_size / 4.
#pragma once

#include <cstddef>
#include <type_traits>

#include "sqlitegraph/btree/cell_format.hpp"
#include "sqlitegraph/btree/key_codec.hpp"
#include "sqlitegraph/btree/node_layout.hpp"
#include "sqlitegraph/btree/overflow.hpp"

namespace sqlitegraph {

template <btree_key_codec Key, btree_value_codec Value, std::size_t PageSize = 4096>
struct btree_params {
    using key_codec = Key;
    using value_codec = Value;
    using key_type = typename Key::value_type;
    using value_type = typename Value::value_type;
    static constexpr std::size_t page_size = PageSize;

    static constexpr bool fixed_keys = fixed_size_codec<Key>;
    static constexpr bool fixed_values = fixed_size_codec<Value>;

    using leaf_cell = btree_detail::leaf_cell_format<Key, Value>;
    using internal_cell = btree_detail::internal_cell_format<Key>;

    static constexpr std::size_t fixed_leaf_cell_size() {
        if constexpr (fixed_keys && fixed_values) return Key::size + Value::size;
        else return 0;
    }
    static constexpr std::size_t fixed_internal_cell_size() {
        if constexpr (fixed_keys) return Key::size + 4;
        else return 0;
    }

    using leaf_layout = std::conditional_t<fixed_keys && fixed_values,
        fixed_array_layout<PageSize, (fixed_keys && fixed_values ? fixed_leaf_cell_size() : 1)>,
        slotted_layout<PageSize, leaf_cell>>;
    using internal_layout = std::conditional_t<fixed_keys,
        fixed_array_layout<PageSize, (fixed_keys ? fixed_internal_cell_size() : 1)>,
        slotted_layout<PageSize, internal_cell>>;

    // Invariant 2: a quarter of the cell area per cell, slot included.
    static constexpr std::size_t max_cell_cost = leaf_layout::capacity / 4;
    static constexpr std::size_t max_cell_size = leaf_layout::fixed ? fixed_leaf_cell_size() : max_cell_cost - 2;

    static constexpr std::size_t value_part_max() {
        if constexpr (fixed_values) return Value::size;
        else return leaf_cell::overflow_value_part;
    }
    static constexpr std::size_t compute_max_key_size() {
        if constexpr (fixed_keys) {
            return Key::size;
        } else {
            // varint length (3 bytes covers 2^21) + key + the larger of the
            // leaf's value part and the internal cell's child id.
            constexpr std::size_t tail = value_part_max() > 4 ? value_part_max() : 4;
            return max_cell_size - 3 - tail;
        }
    }
    static constexpr std::size_t max_key_size = compute_max_key_size();
    static constexpr std::size_t max_value_size = btree_overflow::max_value_length;

    static constexpr std::size_t leaf_min_fill = leaf_layout::capacity / 3;
    static constexpr std::size_t internal_min_fill = internal_layout::fixed ? internal_layout::capacity / 3 : internal_layout::capacity / 4;
    // Rebalancing starts below a third for every page kind; the lower
    // internal limit only says what a rebalance can guarantee.
    static constexpr std::size_t leaf_rebalance_below = leaf_layout::capacity / 3;
    static constexpr std::size_t internal_rebalance_below = internal_layout::capacity / 3;

    static consteval bool validate() {
        static_assert(PageSize >= 1024 && PageSize <= 65536 && (PageSize & (PageSize - 1)) == 0,
                      "btree_params: page size must be a power of two from 1 KiB to 64 KiB");
        if constexpr (fixed_keys) {
            static_assert(Key::size > 0, "btree_params: a fixed-size key needs at least one byte");
        }
        static_assert(leaf_layout::max_cells >= 4 && internal_layout::max_cells >= 4,
                      "btree_params: key and value too large for the page size; a page must hold four cells");
        if constexpr (fixed_keys && !fixed_values) {
            static_assert(Key::size + 3 + leaf_cell::overflow_value_part <= max_cell_size,
                          "btree_params: fixed-size key too large for the page size");
        }
        if constexpr (!fixed_keys) {
            static_assert(max_key_size >= 64, "btree_params: page too small for byte-string keys");
            static_assert(max_key_size < PageSize / 4, "btree_params: max key size must stay under a quarter page");
        }
        return true;
    }
    static_assert(validate());
};

} // namespace sqlitegraph
