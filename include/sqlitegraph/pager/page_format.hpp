// sqlitegraph/pager/page_format.hpp — constants shared by every page type.
//
// docs/format.md ("Page header") describes these bytes; this header is the
// single source of the numbers that the code and the document both name.
//
// Every page of the main file and every page image in the log begins with a
// 32-byte header:
//
//   offset size field
//   0      1    page type (page_type below)
//   1      1    flags (0; reserved for later formats)
//   2      2    reserved (0)
//   4      4    page id, little-endian (a page stored at the wrong place is corruption)
//   8      8    checksum, little-endian, from the checksum policy, computed over
//               bytes [0, 8) and [32, page size): the page without this field
//               and without the log fields below
//   16     16   log fields (wal_format.hpp): commit marker, salt and chained
//               checksum of the frame when the image is in the log; in the
//               main file they hold whatever the copied frame held and mean
//               nothing. Keeping them inside the page makes a log frame
//               exactly one page, so a one-page commit writes one file block.
//
// Layers above the pager own bytes [page_header_size, page_size).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sqlitegraph {

using page_id = std::uint32_t;

// Page 0 is the superblock, so 0 never names a tree, list or record page and
// serves as the "no page" value in links.
inline constexpr page_id null_page = 0;

inline constexpr std::size_t page_header_size = 32;
inline constexpr std::size_t page_type_offset = 0;
inline constexpr std::size_t page_flags_offset = 1;
inline constexpr std::size_t page_id_offset = 4;
inline constexpr std::size_t page_checksum_offset = 8;
inline constexpr std::size_t page_log_fields_offset = 16;

enum class page_type : std::uint8_t {
    unused = 0, // never written; a zero page read back is corruption
    superblock = 1,
    freelist = 2, // trunk page of the free list
    free = 3,     // a page on the free list (contents meaningless)
    btree_leaf = 4,
    btree_internal = 5,
    overflow = 6,  // continuation of a value too large for its page
    node_page = 7, // NodePage records (codec layer)
    adjacency = 8, // adjacency lists (codec layer)
    vector = 9,    // HNSW element blocks (vector layer)
    meta = 10,     // small opaque metadata blobs of upper layers
};

constexpr std::string_view to_string(page_type type) noexcept {
    switch (type) {
    case page_type::unused:
        return "unused";
    case page_type::superblock:
        return "superblock";
    case page_type::freelist:
        return "freelist";
    case page_type::free:
        return "free";
    case page_type::btree_leaf:
        return "btree_leaf";
    case page_type::btree_internal:
        return "btree_internal";
    case page_type::overflow:
        return "overflow";
    case page_type::node_page:
        return "node_page";
    case page_type::adjacency:
        return "adjacency";
    case page_type::vector:
        return "vector";
    case page_type::meta:
        return "meta";
    }
    return "invalid";
}

constexpr bool is_known_page_type(std::uint8_t raw) noexcept {
    return raw <= static_cast<std::uint8_t>(page_type::meta);
}

} // namespace sqlitegraph
