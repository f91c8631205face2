// sqlitegraph/vector/layout.hpp — the byte layout of one HNSW element.
//
// Owns: the offsets inside an element's level-0 block and inside its
// upper-level link block, derived from (dimension, M) alone. docs/vector.md
// ("Element layout") draws the same picture; the numbers live only here.
//
// Level-0 block (fixed size for a given index, so element i lives at
// i * block_size and blocks map onto pages by simple division):
//
//   offset              size        field
//   0                   2           number of level-0 links in use (<= 2M)
//   2                   1           top level of the element (0..top_level_limit)
//   3                   1           flags (bit 0: in use, bit 1: deleted)
//   4                   4 * 2M      level-0 links, element ids (uint32)
//   vector_offset       4 * dim     the vector, float32
//   label_offset        8           the external key (uint64), 8-aligned
//   block_size                      multiple of 8
//
// Upper-level block (only for elements whose top level L >= 1; on average a
// fraction 1/M of them): L lists, list l-1 for level l, each
//
//   0                   4           number of links in use (<= M)
//   4                   4 * M       links
//
// All integers are stored in the host byte order in memory; the page-backed
// storage of the next stage will fix little-endian on disk (every supported
// target is little-endian, so the in-memory image is the disk image).
//
// Invariants: links of an element never name the element itself, never name
// a slot that is not in use, and have no duplicates.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sqlitegraph::vector {

inline constexpr std::size_t max_dimension = 16384;
inline constexpr std::size_t max_m = 256;      // links per upper level; level 0 has 2M
inline constexpr unsigned top_level_limit = 31;     // levels above ~log_M(N) never occur

inline constexpr std::uint8_t flag_in_use = 1;
inline constexpr std::uint8_t flag_deleted = 2;

struct element_layout {
    std::size_t dim = 0;
    std::size_t m = 0;          // links per element on levels >= 1
    std::size_t m0 = 0;         // links per element on level 0 (2M, as in the paper)
    std::size_t links_offset = 4;
    std::size_t vector_offset = 0;
    std::size_t label_offset = 0;
    std::size_t block_size = 0;
    std::size_t upper_list_size = 0; // bytes of one upper-level list

    // Bytes of the upper block of an element whose top level is `level`.
    constexpr std::size_t upper_block_size(unsigned level) const noexcept { return level * upper_list_size; }
};

constexpr std::size_t align_up(std::size_t value, std::size_t alignment) noexcept {
    return (value + alignment - 1) / alignment * alignment;
}

constexpr element_layout make_layout(std::size_t dim, std::size_t m) noexcept {
    element_layout l;
    l.dim = dim;
    l.m = m;
    l.m0 = 2 * m;
    l.links_offset = 4;
    l.vector_offset = l.links_offset + 4 * l.m0;
    l.label_offset = align_up(l.vector_offset + 4 * dim, 8);
    l.block_size = l.label_offset + 8;
    l.upper_list_size = 4 + 4 * m;
    return l;
}

// The benchmark configuration, worked out so that the document and a test can
// quote it: 4 + 128 + 512 = 644, label at 648, block 656 bytes.
static_assert(make_layout(128, 16).vector_offset == 132);
static_assert(make_layout(128, 16).block_size == 656);

} // namespace sqlitegraph::vector
