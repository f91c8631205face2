// sqlitegraph/pager/free_list.hpp — layout of free-list trunk pages.
//
// Freed pages form a persistent list of trunk pages (docs/format.md,
// "Free list"). After the 32-byte page header a trunk holds:
//   32  4   next trunk page id (0 = last)
//   36  4   entry count n
//   40  4n  free page ids
// A freed page that does not fit in the head trunk becomes the new head
// trunk itself, so freeing never needs a page it does not already have.
// Entry pages keep their stale contents: they are not rewritten when freed.
#pragma once

#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/pager/page_format.hpp"

#include <cstddef>
#include <cstdint>

namespace sqlitegraph {

inline constexpr std::size_t trunk_next_offset = page_header_size;
inline constexpr std::size_t trunk_count_offset = page_header_size + 4;
inline constexpr std::size_t trunk_entries_offset = page_header_size + 8;

constexpr std::size_t trunk_capacity(std::size_t page_size) noexcept {
    return (page_size - trunk_entries_offset) / 4;
}

inline page_id trunk_next(const std::byte* page) {
    return load_le<std::uint32_t>(page + trunk_next_offset);
}
inline std::uint32_t trunk_count(const std::byte* page) {
    return load_le<std::uint32_t>(page + trunk_count_offset);
}
inline page_id trunk_entry(const std::byte* page, std::size_t i) {
    return load_le<std::uint32_t>(page + trunk_entries_offset + 4 * i);
}
inline void set_trunk_next(std::byte* page, page_id next) {
    store_le<std::uint32_t>(page + trunk_next_offset, next);
}
inline void set_trunk_count(std::byte* page, std::uint32_t n) {
    store_le<std::uint32_t>(page + trunk_count_offset, n);
}
inline void set_trunk_entry(std::byte* page, std::size_t i, page_id id) {
    store_le<std::uint32_t>(page + trunk_entries_offset + 4 * i, id);
}

} // namespace sqlitegraph
