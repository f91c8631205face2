// sqlitegraph/btree/node_layout.hpp — how cells sit inside a B+Tree page.
//
// Every tree page starts with the pager's 32-byte header, then this node
// header (docs/btree_format.md, "Node header"):
//
//   offset size field
//   32     1    layout (1 = fixed-width array, 2 = slotted)
//   33     1    level (0 = leaf; a parent is one more than its children)
//   34     2    cell count
//   36     4    leaf: previous leaf id   | internal: leftmost child id
//   40     4    leaf: next leaf id       | internal: 0
//   44     2    fixed: cell size         | slotted: content start (0 = 65536)
//   46     2    fixed: 0                 | slotted: fragmented free bytes
//   48    ...   cells (fixed) or slot array (slotted)
//
// Two layouts model one interface, so the engine's split/merge/borrow code
// is written once against "a page holding an ordered list of cells":
//  - fixed_array_layout: cells of one size stored back to back in key order.
//    Used when keys and values are both fixed-size; it holds 253 (u64, u64)
//    pairs in a 4 KiB leaf where a slotted page holds 224.
//  - slotted_layout: a u16 slot array (one offset per cell, in key order)
//    grows up from byte 48, cell bodies grow down from the page end, as in
//    SQLite. Erased cells become fragmented bytes, reclaimed by compaction
//    when an insert needs them.
//
// Invariants (checked by check_header on every page load and by verify):
//  1. count <= max_cells; fixed: cell size equals the instantiation's.
//  2. slotted: 48 + 2*count <= content start <= page size, and every slot
//     points into [content start, page size) at a cell that ends inside the
//     page (checked each time a cell is handed out).
//  3. used(p) = bytes taken by cells (+ slots) and never exceeds capacity.
// Any breach is reported as errc::corruption naming the page.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "sqlitegraph/btree/bytes.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/pager/page_format.hpp"

namespace sqlitegraph {

namespace btree_format {
inline constexpr std::size_t layout_offset = page_header_size + 0;
inline constexpr std::size_t level_offset = page_header_size + 1;
inline constexpr std::size_t count_offset = page_header_size + 2;
inline constexpr std::size_t link0_offset = page_header_size + 4;
inline constexpr std::size_t link1_offset = page_header_size + 8;
inline constexpr std::size_t aux0_offset = page_header_size + 12;
inline constexpr std::size_t aux1_offset = page_header_size + 14;
inline constexpr std::size_t node_header_end = page_header_size + 16;
inline constexpr std::uint8_t fixed_layout_id = 1;
inline constexpr std::uint8_t slotted_layout_id = 2;
inline constexpr std::size_t max_height = 40;
} // namespace btree_format

[[noreturn]] inline void btree_corrupt(page_id id, const std::string& what) {
    fail(errc::corruption, "b+tree page " + std::to_string(id) + ": " + what);
}

// A cell handed out by a layout: bounds-checked, so readers may parse it
// without further checks.
struct cell_ref {
    const std::byte* data = nullptr;
    std::size_t size = 0;
};

namespace btree_detail {
inline std::uint16_t node_count(const std::byte* p) noexcept { return load_u16(p + btree_format::count_offset); }
inline std::uint8_t node_level(const std::byte* p) noexcept { return std::to_integer<std::uint8_t>(p[btree_format::level_offset]); }
inline page_id node_link0(const std::byte* p) noexcept { return load_u32(p + btree_format::link0_offset); }
inline page_id node_link1(const std::byte* p) noexcept { return load_u32(p + btree_format::link1_offset); }
inline void set_link0(std::byte* p, page_id v) noexcept { store_u32(p + btree_format::link0_offset, v); }
inline void set_link1(std::byte* p, page_id v) noexcept { store_u32(p + btree_format::link1_offset, v); }
inline void set_level(std::byte* p, std::uint8_t level) noexcept { p[btree_format::level_offset] = std::byte{level}; }
} // namespace btree_detail

// ---------------------------------------------------------------------------

template <std::size_t PageSize, std::size_t CellSize>
struct fixed_array_layout {
    static_assert(CellSize > 0, "a fixed-width cell holds at least its key");
    static constexpr std::uint8_t id = btree_format::fixed_layout_id;
    static constexpr std::size_t max_cells = (PageSize - btree_format::node_header_end) / CellSize;
    static constexpr std::size_t capacity = max_cells * CellSize;
    static constexpr bool fixed = true;

    static constexpr std::size_t cost(std::size_t) noexcept { return CellSize; }
    static std::size_t count(const std::byte* p) noexcept { return btree_detail::node_count(p); }
    static std::size_t used(const std::byte* p) noexcept { return count(p) * CellSize; }
    static const std::byte* cell_ptr(const std::byte* p, std::size_t i) noexcept {
        return p + btree_format::node_header_end + i * CellSize;
    }
    static cell_ref cell(const std::byte* p, std::size_t i, page_id) noexcept { return {cell_ptr(p, i), CellSize}; }

    static void check_header(const std::byte* p, page_id id_) {
        using namespace btree_format;
        if (std::to_integer<std::uint8_t>(p[layout_offset]) != id) btree_corrupt(id_, "layout byte is not the fixed-width layout");
        if (btree_detail::load_u16(p + aux0_offset) != CellSize)
            btree_corrupt(id_, "cell size " + std::to_string(btree_detail::load_u16(p + aux0_offset)) + " differs from " + std::to_string(CellSize));
        if (count(p) > max_cells) btree_corrupt(id_, "cell count " + std::to_string(count(p)) + " exceeds " + std::to_string(max_cells));
    }

    // Formats an empty node; links are left to the caller.
    static void init(std::byte* p, std::uint8_t level) noexcept {
        using namespace btree_format;
        std::memset(p + page_header_size, 0, node_header_end - page_header_size);
        p[layout_offset] = std::byte{id};
        btree_detail::set_level(p, level);
        btree_detail::store_u16(p + aux0_offset, static_cast<std::uint16_t>(CellSize));
    }

    static bool try_insert(std::byte* p, std::size_t i, cell_ref c, page_id) noexcept {
        const std::size_t n = count(p);
        if (n >= max_cells) return false;
        std::byte* at = p + btree_format::node_header_end + i * CellSize;
        std::memmove(at + CellSize, at, (n - i) * CellSize);
        std::memcpy(at, c.data, CellSize);
        btree_detail::store_u16(p + btree_format::count_offset, static_cast<std::uint16_t>(n + 1));
        return true;
    }

    static void erase(std::byte* p, std::size_t i, page_id) noexcept {
        const std::size_t n = count(p);
        std::byte* at = p + btree_format::node_header_end + i * CellSize;
        std::memmove(at, at + CellSize, (n - i - 1) * CellSize);
        btree_detail::store_u16(p + btree_format::count_offset, static_cast<std::uint16_t>(n - 1));
    }

    // Replaces all cells; the caller guarantees they fit.
    static void build(std::byte* p, std::span<const cell_ref> cells) noexcept {
        std::byte* at = p + btree_format::node_header_end;
        for (const auto& c : cells) {
            std::memcpy(at, c.data, CellSize);
            at += CellSize;
        }
        btree_detail::store_u16(p + btree_format::count_offset, static_cast<std::uint16_t>(cells.size()));
    }

    // Structural checks beyond the header, for verify(): none are needed,
    // every byte pattern of the cell area is a well-formed fixed-size cell.
    static std::size_t check_cells(const std::byte*, page_id) { return 0; }
};

// ---------------------------------------------------------------------------

// CellFormat::size(data, end) returns the size of the cell starting at data
// without reading at or past end, or 0 when the cell is malformed.
template <std::size_t PageSize, class CellFormat>
struct slotted_layout {
    static_assert(PageSize <= 65536, "slot offsets are 16-bit");
    static constexpr std::uint8_t id = btree_format::slotted_layout_id;
    static constexpr std::size_t slot_size = 2;
    static constexpr std::size_t capacity = PageSize - btree_format::node_header_end;
    static constexpr std::size_t max_cells = capacity / (slot_size + CellFormat::min_size);
    static constexpr bool fixed = false;

    static constexpr std::size_t cost(std::size_t cell_size) noexcept { return cell_size + slot_size; }
    static std::size_t count(const std::byte* p) noexcept { return btree_detail::node_count(p); }
    static std::size_t content_start(const std::byte* p) noexcept {
        const std::size_t v = btree_detail::load_u16(p + btree_format::aux0_offset);
        return v == 0 ? 65536 : v;
    }
    static std::size_t fragmented(const std::byte* p) noexcept { return btree_detail::load_u16(p + btree_format::aux1_offset); }
    static std::size_t slots_end(const std::byte* p) noexcept { return btree_format::node_header_end + slot_size * count(p); }
    static std::size_t gap(const std::byte* p) noexcept { return content_start(p) - slots_end(p); }
    static std::size_t used(const std::byte* p) noexcept { return capacity - gap(p) - fragmented(p); }

    static std::size_t slot(const std::byte* p, std::size_t i) noexcept {
        return btree_detail::load_u16(p + btree_format::node_header_end + slot_size * i);
    }

    static cell_ref cell(const std::byte* p, std::size_t i, page_id id_) {
        const std::size_t off = slot(p, i);
        if (off < content_start(p) || off >= PageSize) btree_corrupt(id_, "slot " + std::to_string(i) + " points outside the cell area");
        const std::size_t size = CellFormat::size(p + off, p + PageSize);
        if (size == 0) btree_corrupt(id_, "cell " + std::to_string(i) + " is malformed or runs past the page end");
        return {p + off, size};
    }

    static void check_header(const std::byte* p, page_id id_) {
        using namespace btree_format;
        if (std::to_integer<std::uint8_t>(p[layout_offset]) != id) btree_corrupt(id_, "layout byte is not the slotted layout");
        if (count(p) > max_cells) btree_corrupt(id_, "cell count " + std::to_string(count(p)) + " exceeds " + std::to_string(max_cells));
        const std::size_t cs = content_start(p);
        if (cs > PageSize || cs < slots_end(p)) btree_corrupt(id_, "content start " + std::to_string(cs) + " overlaps the slot array");
        if (fragmented(p) > cs - slots_end(p) + (PageSize - cs) || fragmented(p) > PageSize - cs)
            btree_corrupt(id_, "fragmented byte count " + std::to_string(fragmented(p)) + " is impossible");
    }

    static void init(std::byte* p, std::uint8_t level) noexcept {
        using namespace btree_format;
        std::memset(p + page_header_size, 0, node_header_end - page_header_size);
        p[layout_offset] = std::byte{id};
        btree_detail::set_level(p, level);
        set_content_start(p, PageSize);
    }

    static bool try_insert(std::byte* p, std::size_t i, cell_ref c, page_id id_) {
        const std::size_t need = c.size + slot_size;
        if (gap(p) < need) {
            if (gap(p) + fragmented(p) < need) return false;
            compact(p, id_);
            // A damaged fragment count can promise bytes that compaction does not find.
            if (gap(p) < need) btree_corrupt(id_, "fragmented byte count overstates the free space");
        }
        const std::size_t n = count(p);
        const std::size_t at = content_start(p) - c.size;
        std::memcpy(p + at, c.data, c.size);
        std::byte* slots = p + btree_format::node_header_end;
        std::memmove(slots + slot_size * (i + 1), slots + slot_size * i, slot_size * (n - i));
        btree_detail::store_u16(slots + slot_size * i, static_cast<std::uint16_t>(at));
        set_content_start(p, at);
        btree_detail::store_u16(p + btree_format::count_offset, static_cast<std::uint16_t>(n + 1));
        return true;
    }

    static void erase(std::byte* p, std::size_t i, page_id id_) {
        const std::size_t n = count(p);
        const cell_ref c = cell(p, i, id_);
        const std::size_t off = static_cast<std::size_t>(c.data - p);
        std::byte* slots = p + btree_format::node_header_end;
        std::memmove(slots + slot_size * i, slots + slot_size * (i + 1), slot_size * (n - i - 1));
        btree_detail::store_u16(p + btree_format::count_offset, static_cast<std::uint16_t>(n - 1));
        if (n == 1) {
            set_content_start(p, PageSize);
            set_fragmented(p, 0);
        } else if (off == content_start(p)) {
            set_content_start(p, off + c.size); // the lowest cell: give its bytes back to the gap
        } else {
            set_fragmented(p, fragmented(p) + c.size);
        }
    }

    static void build(std::byte* p, std::span<const cell_ref> cells) noexcept {
        std::size_t at = PageSize;
        std::byte* slots = p + btree_format::node_header_end;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            at -= cells[i].size;
            std::memcpy(p + at, cells[i].data, cells[i].size);
            btree_detail::store_u16(slots + slot_size * i, static_cast<std::uint16_t>(at));
        }
        btree_detail::store_u16(p + btree_format::count_offset, static_cast<std::uint16_t>(cells.size()));
        set_content_start(p, at);
        set_fragmented(p, 0);
    }

    // verify(): cells must not overlap one another and the byte accounting
    // must add up. Returns the total cell bytes.
    static std::size_t check_cells(const std::byte* p, page_id id_) {
        const std::size_t n = count(p);
        std::vector<std::pair<std::size_t, std::size_t>> spans;
        spans.reserve(n);
        std::size_t total = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const cell_ref c = cell(p, i, id_);
            spans.emplace_back(static_cast<std::size_t>(c.data - p), c.size);
            total += c.size;
        }
        std::sort(spans.begin(), spans.end());
        for (std::size_t i = 1; i < spans.size(); ++i)
            if (spans[i - 1].first + spans[i - 1].second > spans[i].first) btree_corrupt(id_, "two cells overlap");
        if (total + fragmented(p) != PageSize - content_start(p))
            btree_corrupt(id_, "cell bytes plus fragmented bytes do not fill the content area");
        return total;
    }

private:
    static void set_content_start(std::byte* p, std::size_t v) noexcept {
        btree_detail::store_u16(p + btree_format::aux0_offset, static_cast<std::uint16_t>(v == 65536 ? 0 : v));
    }
    static void set_fragmented(std::byte* p, std::size_t v) noexcept {
        btree_detail::store_u16(p + btree_format::aux1_offset, static_cast<std::uint16_t>(v));
    }
    // Rewrites the cells contiguously at the page end, reclaiming fragments.
    static void compact(std::byte* p, page_id id_) {
        const std::size_t n = count(p);
        std::vector<std::byte> copy(p, p + PageSize);
        std::vector<cell_ref> cells(n);
        std::size_t total = 0;
        for (std::size_t i = 0; i < n; ++i) {
            cells[i] = cell(copy.data(), i, id_);
            total += cost(cells[i].size);
        }
        // Overlapping cells in a damaged page could add up to more than the page.
        if (total > capacity) btree_corrupt(id_, "cells add up to more than the page holds");
        build(p, cells);
    }
};

} // namespace sqlitegraph
