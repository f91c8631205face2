// sqlitegraph/pager/wal_format.hpp — bytes of the write-ahead log.
//
// Layout (docs/format.md, "Write-ahead log"), all integers little-endian:
//
// Header, 32 bytes at offset 0:
//   0   4   magic 0x4C574753 ("SGWL" read as bytes S G W L)
//   4   4   format version (2)
//   8   4   page size
//   12  4   checkpoint sequence (+1 at every reset)
//   16  4   salt 1
//   20  4   salt 2
//   24  8   checksum (policy) of bytes 0..23
//
// The rest of the first page-size block is unused (zero), so frames start
// on a page boundary. Frame i at offset (i + 1) * page size is exactly one
// page image, which carries the frame's fields in its header's log fields
// (page_format.hpp, bytes 16..31 of the page):
//   16  4   commit marker: the database page count after this transaction
//           on a transaction's last frame, 0 on every other frame
//   20  4   salt 1 (copied from the log header)
//   24  8   chained checksum: policy checksum of page bytes 0..23 (type, id,
//           page checksum, commit marker, salt), seeded with the previous
//           frame's chained checksum (the first frame: the header checksum)
// The page id is the page header's; the page content is covered by the page
// checksum, which the chain covers in turn. A frame being one page means a
// one-page commit writes exactly one aligned file block (a 24-byte frame
// header in front of the image, as in version 1, made every frame straddle
// two blocks, which measured about 10 us more per fdatasync here).
//
// A frame is valid when its salt equals the header's, its chained checksum
// matches and its page checksum matches its content. Recovery accepts frames
// from the start while they are valid and keeps those up to the last commit
// marker: a torn or stale tail, a frame of an earlier generation (other salt,
// other chain seed) or a transaction without its commit frame is ignored,
// and nothing after the first bad frame is trusted.
#pragma once

#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/pager/page_format.hpp"
#include "sqlitegraph/pager/page_image.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace sqlitegraph {

inline constexpr std::uint32_t wal_magic = 0x4C574753u;
inline constexpr std::uint32_t wal_version = 2;
inline constexpr std::size_t wal_header_size = 32;
inline constexpr std::size_t wal_commit_offset = page_log_fields_offset;
inline constexpr std::size_t wal_salt_offset = page_log_fields_offset + 4;
inline constexpr std::size_t wal_chain_offset = page_log_fields_offset + 8;
static_assert(wal_chain_offset + 8 <= page_header_size, "the log fields live in the page header");

struct wal_header {
    std::uint32_t page_size = 0;
    std::uint32_t checkpoint_sequence = 0;
    std::uint32_t salt1 = 0;
    std::uint32_t salt2 = 0;
    std::uint64_t checksum = 0; // filled by encode / checked by decode
};

// A frame's fields as decoded from its page image.
struct wal_frame_header {
    std::uint32_t page = 0;
    std::uint32_t commit_page_count = 0;
    std::uint32_t salt1 = 0;
    std::uint64_t checksum = 0;
};

constexpr std::uint64_t wal_frame_offset(std::uint64_t frame_index, std::size_t page_size) noexcept {
    return (frame_index + 1) * page_size;
}

template <class Checksum> void encode_wal_header(wal_header& header, std::byte* out) {
    store_le<std::uint32_t>(out + 0, wal_magic);
    store_le<std::uint32_t>(out + 4, wal_version);
    store_le<std::uint32_t>(out + 8, header.page_size);
    store_le<std::uint32_t>(out + 12, header.checkpoint_sequence);
    store_le<std::uint32_t>(out + 16, header.salt1);
    store_le<std::uint32_t>(out + 20, header.salt2);
    header.checksum = Checksum::compute({out, 24}, 0);
    store_le<std::uint64_t>(out + 24, header.checksum);
}

// False when the bytes are not a valid header (absent, torn, foreign).
template <class Checksum> bool decode_wal_header(std::span<const std::byte> in, wal_header& header) {
    if (in.size() < wal_header_size) return false;
    if (load_le<std::uint32_t>(in.data()) != wal_magic || load_le<std::uint32_t>(in.data() + 4) != wal_version)
        return false;
    if (load_le<std::uint64_t>(in.data() + 24) != Checksum::compute(in.first(24), 0)) return false;
    header.page_size = load_le<std::uint32_t>(in.data() + 8);
    header.checkpoint_sequence = load_le<std::uint32_t>(in.data() + 12);
    header.salt1 = load_le<std::uint32_t>(in.data() + 16);
    header.salt2 = load_le<std::uint32_t>(in.data() + 20);
    header.checksum = load_le<std::uint64_t>(in.data() + 24);
    return true;
}

// Makes a page image (page checksum already stamped) a log frame: writes
// the commit marker and salt into its log fields and the chained checksum
// over bytes 0..23 seeded with `previous`. Returns the new chain value.
template <class Checksum>
std::uint64_t stamp_wal_frame(std::byte* image, std::uint32_t commit_page_count, std::uint32_t salt1,
                              std::uint64_t previous) {
    store_le<std::uint32_t>(image + wal_commit_offset, commit_page_count);
    store_le<std::uint32_t>(image + wal_salt_offset, salt1);
    const auto sum = Checksum::compute({image, wal_chain_offset}, previous);
    store_le<std::uint64_t>(image + wal_chain_offset, sum);
    return sum;
}

// Decodes a frame (one page image) and validates it against the log
// header's salt, the running chain value and its own page checksum.
template <class Checksum>
bool decode_wal_frame(std::span<const std::byte> image, const wal_header& header, std::uint64_t previous,
                      wal_frame_header& frame) {
    if (image.size() != header.page_size) return false;
    const auto* in = image.data();
    frame.page = load_le<std::uint32_t>(in + page_id_offset);
    frame.commit_page_count = load_le<std::uint32_t>(in + wal_commit_offset);
    frame.salt1 = load_le<std::uint32_t>(in + wal_salt_offset);
    frame.checksum = load_le<std::uint64_t>(in + wal_chain_offset);
    if (frame.salt1 != header.salt1) return false;
    if (Checksum::compute(image.first(wal_chain_offset), previous) != frame.checksum) return false;
    return load_le<std::uint64_t>(in + page_checksum_offset) == compute_page_checksum<Checksum>(in, image.size());
}

} // namespace sqlitegraph
