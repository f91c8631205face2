// sqlitegraph/pager/superblock.hpp — page 0: what the file is and where
// everything starts.
//
// Byte layout (docs/format.md, "Superblock"), after the 32-byte page header:
//   32  8   magic "SQLGRAPH"
//   40  4   format version (2)
//   44  4   page size in bytes
//   48  1   checksum id (checksum.hpp)
//   49  1   codec id (compression.hpp)
//   50  2   root count
//   52  4   page count (pages in the database, page 0 included)
//   56  4   free-list head (first trunk page, 0 = empty)
//   60  4   free page count (trunks included)
//   64  8   change counter (+1 per commit)
//   72  8   reserved (0)
//   80  ... root table: root count entries of 32 bytes each:
//           24-byte name (NUL-padded, at least one NUL), 8-byte value
// Format version 1 had a 16-byte page header and this table 16 bytes
// earlier (magic at 16); such a file is recognised and refused by version.
// All integers little-endian. Names are chosen by the layers that register
// roots ("node_index", "kv", ...); values are page ids or counters.
// Invariants: (1) page count >= 1; (2) free-list head < page count;
// (3) root names are unique and sorted (the table is written from a map).
#pragma once

#include "sqlitegraph/codec/compression.hpp"
#include "sqlitegraph/core/checksum.hpp"
#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/pager/page_format.hpp"

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>

namespace sqlitegraph {

inline constexpr char superblock_magic[8] = {'S', 'Q', 'L', 'G', 'R', 'A', 'P', 'H'};
inline constexpr std::uint32_t format_version = 2;
inline constexpr std::size_t superblock_magic_offset = 32;
// Where format 1 (16-byte page header) had its magic; its version followed it.
inline constexpr std::size_t superblock_v1_magic_offset = 16;
inline constexpr std::size_t superblock_version_offset = 40;
inline constexpr std::size_t superblock_page_size_offset = 44;
inline constexpr std::size_t superblock_checksum_id_offset = 48;
inline constexpr std::size_t superblock_codec_id_offset = 49;
inline constexpr std::size_t superblock_root_count_offset = 50;
inline constexpr std::size_t superblock_page_count_offset = 52;
inline constexpr std::size_t superblock_free_head_offset = 56;
inline constexpr std::size_t superblock_free_count_offset = 60;
inline constexpr std::size_t superblock_change_counter_offset = 64;
inline constexpr std::size_t superblock_roots_offset = 80;
inline constexpr std::size_t root_name_size = 24;
inline constexpr std::size_t root_entry_size = 32;
// Bytes of page 0 that identify the file; readable before the page size is known.
inline constexpr std::size_t superblock_prefix_size = 56;

constexpr std::size_t max_roots(std::size_t page_size) noexcept {
    return (page_size - superblock_roots_offset) / root_entry_size;
}

struct superblock {
    std::uint32_t page_count = 1;
    page_id free_head = null_page;
    std::uint32_t free_count = 0;
    std::uint64_t change_counter = 0;
    std::map<std::string, std::uint64_t, std::less<>> roots;

    bool operator==(const superblock&) const = default;
};

// Whether two superblocks differ at most in their change counters.
inline bool same_apart_from_counter(const superblock& a, const superblock& b) {
    return a.page_count == b.page_count && a.free_head == b.free_head && a.free_count == b.free_count && a.roots == b.roots;
}

struct file_identity {
    std::uint32_t page_size;
    std::uint8_t checksum_id;
    std::uint8_t codec_id;
};

inline void encode_superblock(const superblock& sb, const file_identity& id, std::byte* page, std::size_t page_size) {
    if (sb.roots.size() > max_roots(page_size)) {
        fail(errc::too_large, "superblock: " + std::to_string(sb.roots.size()) + " roots exceed the " +
                                  std::to_string(max_roots(page_size)) + " a page of " + std::to_string(page_size) +
                                  " bytes holds");
    }
    std::memset(page + page_header_size, 0, page_size - page_header_size);
    std::memcpy(page + superblock_magic_offset, superblock_magic, sizeof superblock_magic);
    store_le<std::uint32_t>(page + superblock_version_offset, format_version);
    store_le<std::uint32_t>(page + superblock_page_size_offset, id.page_size);
    page[superblock_checksum_id_offset] = static_cast<std::byte>(id.checksum_id);
    page[superblock_codec_id_offset] = static_cast<std::byte>(id.codec_id);
    store_le<std::uint16_t>(page + superblock_root_count_offset, static_cast<std::uint16_t>(sb.roots.size()));
    store_le<std::uint32_t>(page + superblock_page_count_offset, sb.page_count);
    store_le<std::uint32_t>(page + superblock_free_head_offset, sb.free_head);
    store_le<std::uint32_t>(page + superblock_free_count_offset, sb.free_count);
    store_le<std::uint64_t>(page + superblock_change_counter_offset, sb.change_counter);
    std::size_t at = superblock_roots_offset;
    for (const auto& [name, value] : sb.roots) {
        std::memcpy(page + at, name.data(), name.size());
        store_le<std::uint64_t>(page + at + root_name_size, value);
        at += root_entry_size;
    }
}

// Checks the identifying prefix of page 0 against what this instantiation
// expects: not a database at all, a newer format, or another page size,
// checksum or codec each give their own error naming both values.
inline void check_file_identity(const std::byte* prefix, std::size_t available, const file_identity& expected,
                                const std::string& path) {
    constexpr std::size_t v1 = superblock_v1_magic_offset;
    if (available >= v1 + 12 && std::memcmp(prefix + v1, superblock_magic, sizeof superblock_magic) == 0) {
        fail(errc::format_mismatch, "'" + path + "' has format version " +
                                        std::to_string(load_le<std::uint32_t>(prefix + v1 + 8)) +
                                        ", this build reads version " + std::to_string(format_version));
    }
    if (available < superblock_prefix_size ||
        std::memcmp(prefix + superblock_magic_offset, superblock_magic, sizeof superblock_magic) != 0) {
        fail(errc::corruption, "'" + path + "' is not a sqlitegraph database (no superblock magic)");
    }
    const auto version = load_le<std::uint32_t>(prefix + superblock_version_offset);
    if (version != format_version) {
        fail(errc::format_mismatch, "'" + path + "' has format version " + std::to_string(version) +
                                        ", this build reads version " + std::to_string(format_version));
    }
    const auto page_size = load_le<std::uint32_t>(prefix + superblock_page_size_offset);
    if (page_size != expected.page_size) {
        fail(errc::format_mismatch, "'" + path + "' has page size " + std::to_string(page_size) +
                                        ", this instantiation uses page size " + std::to_string(expected.page_size));
    }
    const auto checksum_id = static_cast<std::uint8_t>(prefix[superblock_checksum_id_offset]);
    if (checksum_id != expected.checksum_id) {
        fail(errc::format_mismatch, "'" + path + "' uses checksum " + std::string(checksum_name(checksum_id)) +
                                        ", this instantiation uses " +
                                        std::string(checksum_name(expected.checksum_id)));
    }
    const auto codec_id = static_cast<std::uint8_t>(prefix[superblock_codec_id_offset]);
    if (codec_id != expected.codec_id) {
        fail(errc::format_mismatch, "'" + path + "' uses codec " + std::string(codec_name(codec_id)) +
                                        ", this instantiation uses " + std::string(codec_name(expected.codec_id)));
    }
}

// Decodes a verified page 0 (checksum already checked by the caller).
inline superblock decode_superblock(const std::byte* page, std::size_t page_size, const std::string& path) {
    superblock sb;
    const auto root_count = load_le<std::uint16_t>(page + superblock_root_count_offset);
    sb.page_count = load_le<std::uint32_t>(page + superblock_page_count_offset);
    sb.free_head = load_le<std::uint32_t>(page + superblock_free_head_offset);
    sb.free_count = load_le<std::uint32_t>(page + superblock_free_count_offset);
    sb.change_counter = load_le<std::uint64_t>(page + superblock_change_counter_offset);
    const auto where = "superblock of '" + path + "'";
    if (root_count > max_roots(page_size)) fail(errc::corruption, where + ": root count " + std::to_string(root_count));
    if (sb.page_count == 0) fail(errc::corruption, where + ": page count 0");
    if (sb.free_head >= sb.page_count) fail(errc::corruption, where + ": free-list head beyond the last page");
    if (sb.free_count >= sb.page_count) fail(errc::corruption, where + ": more free pages than pages");
    std::size_t at = superblock_roots_offset;
    for (std::size_t i = 0; i < root_count; ++i, at += root_entry_size) {
        const auto* name_bytes = reinterpret_cast<const char*>(page + at);
        const auto length = ::strnlen(name_bytes, root_name_size);
        if (length == 0 || length == root_name_size) fail(errc::corruption, where + ": malformed root name");
        if (!sb.roots.emplace(std::string(name_bytes, length), load_le<std::uint64_t>(page + at + root_name_size))
                 .second) {
            fail(errc::corruption, where + ": duplicate root name");
        }
    }
    return sb;
}

inline void check_root_name(std::string_view name) {
    if (name.empty() || name.size() >= root_name_size || name.find('\0') != std::string_view::npos) {
        fail(errc::invalid_argument, "root name '" + std::string(name) + "' must be 1 to " +
                                         std::to_string(root_name_size - 1) + " bytes without NUL");
    }
}

} // namespace sqlitegraph
