// sqlitegraph/pager/wal_format.hpp — bytes of the write-ahead log.
//
// Layout (docs/format.md, "Write-ahead log"), all integers little-endian:
//
// Header, 32 bytes at offset 0:
//   0   4   magic 0x4C574753 ("SGWL" read as bytes S G W L)
//   4   4   format version (1)
//   8   4   page size
//   12  4   checkpoint sequence (+1 at every reset)
//   16  4   salt 1
//   20  4   salt 2
//   24  8   checksum (policy) of bytes 0..23
//
// Frame i at offset 32 + i * (24 + page size):
//   0   4   page id
//   4   4   commit marker: the database page count after this transaction
//           on a transaction's last frame, 0 on every other frame
//   8   4   salt 1 (copied from the header)
//   12  4   salt 2
//   16  8   chained checksum: policy checksum of frame bytes 0..15 and the
//           page image, seeded with the previous frame's checksum (the first
//           frame is seeded with the header checksum)
//   24  page size bytes: the page image (its own header and checksum inside)
//
// A frame is valid when its salts equal the header's and its chained checksum
// matches. Recovery accepts frames from the start while they are valid and
// keeps those up to the last commit marker: a torn or stale tail, a frame of
// an earlier generation (other salt) or a transaction without its commit
// frame is ignored, and nothing after the first bad frame is trusted.
#pragma once

#include "sqlitegraph/core/endian.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace sqlitegraph {

inline constexpr std::uint32_t wal_magic = 0x4C574753u;
inline constexpr std::uint32_t wal_version = 1;
inline constexpr std::size_t wal_header_size = 32;
inline constexpr std::size_t wal_frame_header_size = 24;

struct wal_header {
    std::uint32_t page_size = 0;
    std::uint32_t checkpoint_sequence = 0;
    std::uint32_t salt1 = 0;
    std::uint32_t salt2 = 0;
    std::uint64_t checksum = 0; // filled by encode / checked by decode
};

struct wal_frame_header {
    std::uint32_t page = 0;
    std::uint32_t commit_page_count = 0;
    std::uint32_t salt1 = 0;
    std::uint32_t salt2 = 0;
    std::uint64_t checksum = 0;
};

constexpr std::uint64_t wal_frame_offset(std::uint64_t frame_index, std::size_t page_size) noexcept {
    return wal_header_size + frame_index * (wal_frame_header_size + page_size);
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

// Encodes a frame header whose checksum chains from `previous` over the
// header's first 16 bytes and the page image. Returns the new chain value.
template <class Checksum>
std::uint64_t encode_wal_frame_header(const wal_frame_header& frame, std::span<const std::byte> image,
                                      std::uint64_t previous, std::byte* out) {
    store_le<std::uint32_t>(out + 0, frame.page);
    store_le<std::uint32_t>(out + 4, frame.commit_page_count);
    store_le<std::uint32_t>(out + 8, frame.salt1);
    store_le<std::uint32_t>(out + 12, frame.salt2);
    const auto sum = Checksum::compute(image, Checksum::compute({out, 16}, previous));
    store_le<std::uint64_t>(out + 16, sum);
    return sum;
}

// Decodes a frame (header followed by image) and validates it against the
// log header's salts and the running chain value.
template <class Checksum>
bool decode_wal_frame(std::span<const std::byte> frame_bytes, const wal_header& header, std::uint64_t previous,
                      wal_frame_header& frame) {
    if (frame_bytes.size() != wal_frame_header_size + header.page_size) return false;
    const auto* in = frame_bytes.data();
    frame.page = load_le<std::uint32_t>(in + 0);
    frame.commit_page_count = load_le<std::uint32_t>(in + 4);
    frame.salt1 = load_le<std::uint32_t>(in + 8);
    frame.salt2 = load_le<std::uint32_t>(in + 12);
    frame.checksum = load_le<std::uint64_t>(in + 16);
    if (frame.salt1 != header.salt1 || frame.salt2 != header.salt2) return false;
    const auto sum =
        Checksum::compute(frame_bytes.subspan(wal_frame_header_size), Checksum::compute({in, 16}, previous));
    return sum == frame.checksum;
}

} // namespace sqlitegraph
