// sqlitegraph/codec/node_page_codec.hpp — how node records are packed into
// NodePages (pages of type node_page), as a compile-time policy.
//
// The store keeps node records in NodePages: each page holds the records of
// a range of node ids, sorted by id, and the B+Tree g.nodes maps each page's
// base id (its smallest id when written) to the page. A node_page_codec
// decides the bytes of a page body; the store is written against the
// concept, so a codec is one policy among the others
// (basic_graph_store<slotted_node_page_codec, ...>). Its id is written into
// the superblock (root "g.page_codec"); opening a file with another codec
// fails with errc::format_mismatch.
//
// Both codecs share the page header (after the pager's 32-byte header,
// which holds the page type, the page id and the checksum):
//
//   offset size field
//   32     8    base id: every record id is >= base
//   40     4    record count
//   44     4    bytes used after offset 48
//   48     ...  records (codec-specific)
//
//   delta_node_page_codec (id 1, default): records back to back, sorted by
//     id: varint (id - previous id; the first: id - base), varint length,
//     the stored bytes. A lookup is a short linear scan.
//   slotted_node_page_codec (id 2): a slot array of count x 8 bytes
//     (u32 id - base, u32 offset of the record from offset 48), sorted by
//     id, then the records (varint length, bytes) in slot order. A lookup is
//     a binary search over the slots.
//
// "stored bytes" are the store's: a record inline, or a stub naming an
// overflow chain (docs/graph_store.md). Decoders check every bound and the
// ordering (errc::corruption naming the page).
#pragma once

#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/core/varint.hpp"
#include "sqlitegraph/pager/page_format.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sqlitegraph {

// Policy category of NodePage codecs (see store_policies.hpp).
struct node_page_codec_tag {};

// One record of a NodePage: its node id and stored bytes (a view into the
// page when decoded, into the caller's buffers when encoding).
struct node_slot {
    std::uint64_t id = 0;
    std::string_view bytes;
};

template <class C>
concept node_page_codec = std::same_as<typename C::policy_category, node_page_codec_tag> &&
    requires(std::span<const node_slot> records, std::uint64_t base, const std::byte* page, std::byte* out,
             std::size_t page_size, std::uint64_t id, std::vector<node_slot>& slots) {
    { C::id } -> std::convertible_to<std::uint8_t>;
    { C::name } -> std::convertible_to<std::string_view>;
    // Bytes the records take after offset 32 (records sorted by id, all >= base).
    { C::encoded_size(records, base) } -> std::same_as<std::size_t>;
    // Writes header and records into a page of page_size bytes (the pager's
    // header untouched); the caller checks the size first.
    { C::encode(records, base, out, page_size) } -> std::same_as<void>;
    // The stored bytes of id, or nullopt.
    { C::find(page, page_size, id) } -> std::same_as<std::optional<std::string_view>>;
    // Appends every record to slots (views into page), checking everything.
    { C::decode(page, page_size, slots) } -> std::same_as<void>;
};

namespace node_page_detail {

inline constexpr std::size_t base_offset = page_header_size;
inline constexpr std::size_t count_offset = page_header_size + 8;
inline constexpr std::size_t used_offset = page_header_size + 12;
inline constexpr std::size_t records_offset = page_header_size + 16;

constexpr std::size_t capacity(std::size_t page_size) noexcept {
    return page_size - records_offset;
}

// Fixed-width fields are little-endian (core/endian.hpp), lengths and id
// deltas LEB128 varints (core/varint.hpp).
inline std::uint64_t load64(const std::byte* p) noexcept { return load_le<std::uint64_t>(p); }
inline std::uint32_t load32(const std::byte* p) noexcept { return load_le<std::uint32_t>(p); }
inline void store64(std::byte* p, std::uint64_t v) noexcept { store_le(p, v); }
inline void store32(std::byte* p, std::uint32_t v) noexcept { store_le(p, v); }
inline std::size_t put_varint(std::byte* out, std::uint64_t v) noexcept { return encode_varint(v, out); }
using sqlitegraph::varint_size;

[[noreturn]] inline void corrupt(const std::byte* page, std::string_view what) {
    fail(errc::corruption, "node page " + std::to_string(load32(page + page_id_offset)) + ": " + std::string(what));
}

// Reads a varint at p[at, end); advances at.
inline std::uint64_t get_varint(const std::byte* page, std::size_t& at, std::size_t end) {
    const auto r = decode_varint<std::uint64_t>({page + at, end > at ? end - at : 0});
    if (r.status == varint_status::truncated) corrupt(page, "truncated varint");
    if (!r.ok()) corrupt(page, "overlong varint");
    at += r.length;
    return r.value;
}

struct header {
    std::uint64_t base;
    std::uint32_t count;
    std::uint32_t used;
};

inline header read_header(const std::byte* page, std::size_t page_size) {
    header h{load64(page + base_offset), load32(page + count_offset), load32(page + used_offset)};
    if (h.used > capacity(page_size)) corrupt(page, "bytes used exceed the page");
    return h;
}

inline void write_header(std::byte* page, std::uint64_t base, std::size_t count, std::size_t used) noexcept {
    store64(page + base_offset, base);
    store32(page + count_offset, static_cast<std::uint32_t>(count));
    store32(page + used_offset, static_cast<std::uint32_t>(used));
}

} // namespace node_page_detail

// Records back to back with delta-coded ids and varint lengths.
struct delta_node_page_codec {
    using policy_category = node_page_codec_tag;
    static constexpr std::uint8_t id = 1;
    static constexpr std::string_view name = "delta";

    static std::size_t encoded_size(std::span<const node_slot> records, std::uint64_t base) noexcept {
        std::size_t n = 0;
        std::uint64_t prev = base;
        for (const auto& r : records) {
            n += node_page_detail::varint_size(r.id - prev) + node_page_detail::varint_size(r.bytes.size()) +
                 r.bytes.size();
            prev = r.id;
        }
        return n;
    }

    static void encode(std::span<const node_slot> records, std::uint64_t base, std::byte* page, std::size_t page_size) {
        namespace d = node_page_detail;
        std::size_t at = d::records_offset;
        std::uint64_t prev = base;
        for (const auto& r : records) {
            at += d::put_varint(page + at, r.id - prev);
            at += d::put_varint(page + at, r.bytes.size());
            if (!r.bytes.empty()) std::memcpy(page + at, r.bytes.data(), r.bytes.size());
            at += r.bytes.size();
            prev = r.id;
        }
        std::memset(page + at, 0, page_size - at);
        d::write_header(page, base, records.size(), at - d::records_offset);
    }

    // Walks the records; fn(id, bytes) returns false to stop.
    template <class Fn> static void walk(const std::byte* page, std::size_t page_size, Fn&& fn) {
        namespace d = node_page_detail;
        const auto h = d::read_header(page, page_size);
        const std::size_t end = d::records_offset + h.used;
        std::size_t at = d::records_offset;
        std::uint64_t prev = h.base;
        for (std::uint32_t i = 0; i < h.count; ++i) {
            const std::uint64_t delta = d::get_varint(page, at, end);
            if ((i > 0 && delta == 0) || delta > UINT64_MAX - prev) d::corrupt(page, "record ids out of order");
            prev += delta;
            const std::uint64_t len = d::get_varint(page, at, end);
            if (len > end - at) d::corrupt(page, "record runs past the bytes used");
            const std::string_view bytes(reinterpret_cast<const char*>(page + at), static_cast<std::size_t>(len));
            at += static_cast<std::size_t>(len);
            if (!fn(prev, bytes)) return;
        }
        if (at != end) d::corrupt(page, "bytes used do not match the records");
    }

    static std::optional<std::string_view> find(const std::byte* page, std::size_t page_size, std::uint64_t id) {
        std::optional<std::string_view> out;
        walk(page, page_size, [&](std::uint64_t rid, std::string_view bytes) {
            if (rid == id) out = bytes;
            return rid < id;
        });
        return out;
    }

    static void decode(const std::byte* page, std::size_t page_size, std::vector<node_slot>& slots) {
        walk(page, page_size, [&](std::uint64_t rid, std::string_view bytes) {
            slots.push_back({rid, bytes});
            return true;
        });
    }
};

// A sorted slot array for binary search, records after it.
struct slotted_node_page_codec {
    using policy_category = node_page_codec_tag;
    static constexpr std::uint8_t id = 2;
    static constexpr std::string_view name = "slotted";

    static std::size_t encoded_size(std::span<const node_slot> records, std::uint64_t base) noexcept {
        std::size_t n = 0;
        for (const auto& r : records) {
            // Ids must stay within 32 bits of the base; otherwise report "does not fit".
            if (r.id - base > UINT32_MAX) return SIZE_MAX / 2;
            n += 8 + node_page_detail::varint_size(r.bytes.size()) + r.bytes.size();
        }
        return n;
    }

    static void encode(std::span<const node_slot> records, std::uint64_t base, std::byte* page, std::size_t page_size) {
        namespace d = node_page_detail;
        std::size_t at = d::records_offset + 8 * records.size();
        for (std::size_t i = 0; i < records.size(); ++i) {
            const auto& r = records[i];
            d::store32(page + d::records_offset + 8 * i, static_cast<std::uint32_t>(r.id - base));
            d::store32(page + d::records_offset + 8 * i + 4, static_cast<std::uint32_t>(at - d::records_offset));
            at += d::put_varint(page + at, r.bytes.size());
            if (!r.bytes.empty()) std::memcpy(page + at, r.bytes.data(), r.bytes.size());
            at += r.bytes.size();
        }
        std::memset(page + at, 0, page_size - at);
        d::write_header(page, base, records.size(), at - d::records_offset);
    }

    // The record of slot i (bounds checked).
    static node_slot slot(const std::byte* page, const node_page_detail::header& h, std::size_t i) {
        namespace d = node_page_detail;
        const std::byte* s = page + d::records_offset + 8 * i;
        const std::uint64_t rid = h.base + d::load32(s);
        std::size_t at = d::records_offset + d::load32(s + 4);
        const std::size_t end = d::records_offset + h.used;
        if (at < d::records_offset + 8 * std::size_t{h.count} || at >= end)
            d::corrupt(page, "record offset out of range");
        const std::uint64_t len = d::get_varint(page, at, end);
        if (len > end - at) d::corrupt(page, "record runs past the bytes used");
        return {rid, std::string_view(reinterpret_cast<const char*>(page + at), static_cast<std::size_t>(len))};
    }

    static node_page_detail::header checked_header(const std::byte* page, std::size_t page_size) {
        const auto h = node_page_detail::read_header(page, page_size);
        if (std::size_t{h.count} * 8 > h.used) node_page_detail::corrupt(page, "slot array exceeds the bytes used");
        return h;
    }

    static std::optional<std::string_view> find(const std::byte* page, std::size_t page_size, std::uint64_t id) {
        namespace d = node_page_detail;
        const auto h = checked_header(page, page_size);
        if (id < h.base || id - h.base > UINT32_MAX) return std::nullopt;
        const auto key = static_cast<std::uint32_t>(id - h.base);
        std::size_t lo = 0, hi = h.count;
        while (lo < hi) {
            const std::size_t mid = (lo + hi) / 2;
            if (d::load32(page + d::records_offset + 8 * mid) < key)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == h.count || d::load32(page + d::records_offset + 8 * lo) != key) return std::nullopt;
        return slot(page, h, lo).bytes;
    }

    static void decode(const std::byte* page, std::size_t page_size, std::vector<node_slot>& slots) {
        const auto h = checked_header(page, page_size);
        std::size_t expected = node_page_detail::records_offset + 8 * std::size_t{h.count};
        for (std::uint32_t i = 0; i < h.count; ++i) {
            const node_slot s = slot(page, h, i);
            if (i > 0 && s.id <= slots.back().id) node_page_detail::corrupt(page, "record ids out of order");
            // Records are packed in slot order: each starts where the last ended.
            const auto start = reinterpret_cast<const std::byte*>(s.bytes.data()) - page;
            if (static_cast<std::size_t>(start) != expected + node_page_detail::varint_size(s.bytes.size()))
                node_page_detail::corrupt(page, "records are not packed in slot order");
            expected = static_cast<std::size_t>(start) + s.bytes.size();
            slots.push_back(s);
        }
        if (expected != node_page_detail::records_offset + h.used)
            node_page_detail::corrupt(page, "bytes used do not match the records");
    }
};

static_assert(node_page_codec<delta_node_page_codec>);
static_assert(node_page_codec<slotted_node_page_codec>);

} // namespace sqlitegraph
