// sqlitegraph/codec/adjacency.hpp — packed adjacency chunks.
//
// The graph store keeps each node's adjacency, per direction, as a run of
// chunks: B+Tree entries keyed by (node, direction, type id, neighbour, edge)
// of the chunk's FIRST entry, whose value packs the chunk's entries sorted
// by (type id, neighbour, edge). The first entry lives only in the key; the
// value is
//
//   varint count            entries in the chunk, first included (>= 1)
//   count - 1 times, each relative to the entry before it:
//     varint dtype          type id - previous type id
//     varint neighbour      neighbour - previous neighbour when dtype = 0,
//                           else the neighbour itself
//     varint zigzag(dedge)  edge id - previous edge id, zigzag-coded
//
// Entries are strictly increasing, so dtype = 0 and a neighbour delta of 0
// need an edge delta > 0. Chunks are bounded in bytes (chunk_limit of the
// store), so inserting or erasing one entry rewrites one bounded chunk
// however high the node's degree: a full chunk splits in two.
// The decoder trusts nothing: counts, varints, overflow and ordering are all
// checked (errc::corruption).
#pragma once

#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/core/growth.hpp"
#include "sqlitegraph/core/varint.hpp"

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sqlitegraph {

// One adjacency entry as seen from its node in one direction.
struct adj_entry {
    std::uint32_t type = 0;
    std::uint64_t neighbour = 0;
    std::uint64_t edge = 0;

    friend auto operator<=>(const adj_entry&, const adj_entry&) = default;
};

namespace adjacency_codec {

[[noreturn]] inline void corrupt(std::string_view what) {
    fail(errc::corruption, "adjacency chunk: " + std::string(what));
}

// LEB128 and zigzag are the file format's own (core/varint.hpp).
inline void put_varint(std::string& out, std::uint64_t v) {
    std::byte bytes[varint_max_size<std::uint64_t>];
    out.append(reinterpret_cast<const char*>(bytes), encode_varint(v, bytes));
}
inline std::uint64_t zigzag(std::int64_t v) noexcept { return zigzag_encode(v); }
inline std::int64_t unzigzag(std::uint64_t v) noexcept { return zigzag_decode(v); }

// Bytes that `next` adds after `prev` (precondition: prev < next).
inline std::size_t delta_size(const adj_entry& prev, const adj_entry& next) noexcept {
    const std::uint64_t dt = next.type - prev.type;
    return sqlitegraph::varint_size(dt) + sqlitegraph::varint_size(dt == 0 ? next.neighbour - prev.neighbour : next.neighbour) +
           sqlitegraph::varint_size(zigzag(static_cast<std::int64_t>(next.edge - prev.edge)));
}

inline void put_delta(std::string& out, const adj_entry& prev, const adj_entry& next) {
    const std::uint64_t dt = next.type - prev.type;
    put_varint(out, dt);
    put_varint(out, dt == 0 ? next.neighbour - prev.neighbour : next.neighbour);
    put_varint(out, zigzag(static_cast<std::int64_t>(next.edge - prev.edge)));
}

// The value of a chunk holding entries[0, n) (entries[0] goes in the key).
// Precondition: strictly increasing, n >= 1.
inline std::string encode(const adj_entry* entries, std::size_t n) {
    std::string out;
    out.reserve(n * 4 + 4);
    put_varint(out, n);
    for (std::size_t i = 1; i < n; ++i)
        put_delta(out, entries[i - 1], entries[i]);
    return out;
}
inline std::string encode(const std::vector<adj_entry>& entries) {
    return encode(entries.data(), entries.size());
}

// Bytes of encode(entries[0, n)).
inline std::size_t encoded_size(const adj_entry* entries, std::size_t n) noexcept {
    std::size_t bytes = sqlitegraph::varint_size(n);
    for (std::size_t i = 1; i < n; ++i)
        bytes += delta_size(entries[i - 1], entries[i]);
    return bytes;
}

namespace detail {

// One varint at p (p < end is not assumed). Bytes past the 10th are an
// error; bits past the 64th are dropped, as the encoder never writes them.
// `unchecked` skips the end test when the caller knows 10 bytes remain.
template <bool unchecked>
inline std::uint64_t get_varint(const unsigned char*& p, const unsigned char* end) {
    if constexpr (!unchecked) {
        if (p == end) corrupt("truncated varint");
    }
    std::uint64_t b = *p++;
    if (b < 0x80) return b; // the common case: one byte
    std::uint64_t v = b & 0x7F;
    for (int shift = 7; shift < 64; shift += 7) {
        if constexpr (!unchecked) {
            if (p == end) corrupt("truncated varint");
        }
        b = *p++;
        v |= (b & 0x7F) << shift;
        if (b < 0x80) return v;
    }
    corrupt("overlong varint");
}

// Applies one delta (dt, nb, dedge) to cur; checks overflow and order.
inline void apply_delta(adj_entry& cur, std::uint64_t dt, std::uint64_t nb, std::uint64_t ze) {
    if (dt > UINT32_MAX - cur.type) corrupt("type id overflows");
    adj_entry e;
    e.type = static_cast<std::uint32_t>(cur.type + dt);
    if (dt == 0) {
        if (nb > UINT64_MAX - cur.neighbour) corrupt("neighbour id overflows");
        e.neighbour = cur.neighbour + nb;
    } else {
        e.neighbour = nb;
    }
    e.edge = cur.edge + static_cast<std::uint64_t>(unzigzag(ze));
    // Strictly increasing: dt > 0 raises the type and nb > 0 (with dt = 0)
    // the neighbour, both checked for overflow above; with neither, the
    // edge id must grow.
    if (dt == 0 && nb == 0 && e.edge <= cur.edge) corrupt("entries out of order");
    cur = e;
}

// Reads the next entry's three deltas at p and applies them to cur.
inline void next_entry(const unsigned char*& p, const unsigned char* end, adj_entry& cur) {
    std::uint64_t dt, nb, ze;
    if (end - p >= 30) { // three varints of at most 10 bytes each
        dt = get_varint<true>(p, end);
        nb = get_varint<true>(p, end);
        ze = get_varint<true>(p, end);
    } else {
        dt = get_varint<false>(p, end);
        nb = get_varint<false>(p, end);
        ze = get_varint<false>(p, end);
    }
    apply_delta(cur, dt, nb, ze);
}

// Reads a chunk's entry count at p and checks it against the bytes left.
inline std::uint64_t entry_count(const unsigned char*& p, const unsigned char* end) {
    const std::uint64_t n = get_varint<false>(p, end);
    // Every entry after the first takes at least 3 bytes.
    if (n == 0 || n - 1 > static_cast<std::uint64_t>(end - p) / 3) corrupt("entry count out of range");
    return n;
}

} // namespace detail

// Calls fn(entry) for each entry of a chunk, first included, in order. The
// same checks as reader, in one tight loop: analytics snapshots decode every
// chunk of the store through here.
template <class Fn> void for_each_entry(const adj_entry& first, std::string_view bytes, Fn&& fn) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto* end = p + bytes.size();
    const std::uint64_t n = detail::entry_count(p, end);
    adj_entry cur = first;
    fn(static_cast<const adj_entry&>(cur));
    for (std::uint64_t i = 1; i < n; ++i) {
        detail::next_entry(p, end, cur);
        fn(static_cast<const adj_entry&>(cur));
    }
    if (p != end) corrupt("bytes after the last entry");
}

// A bounds-checked reader of one chunk value, one entry at a time.
class reader {
  public:
    reader(const adj_entry& first, std::string_view bytes)
        : p_(reinterpret_cast<const unsigned char*>(bytes.data())), end_(p_ + bytes.size()) {
        left_ = detail::entry_count(p_, end_);
        cur_ = first;
    }

    [[nodiscard]] std::uint64_t size() const noexcept { return left_; }

    // Moves to the next entry; false at the end (then checks nothing is left over).
    bool next(adj_entry& out) {
        if (left_ == 0) {
            if (p_ != end_) corrupt("bytes after the last entry");
            return false;
        }
        if (!started_) {
            started_ = true;
        } else {
            detail::next_entry(p_, end_, cur_);
        }
        --left_;
        out = cur_;
        return true;
    }

  private:
    const unsigned char* p_;
    const unsigned char* end_;
    std::uint64_t left_ = 0;
    adj_entry cur_;
    bool started_ = false;
};

// Appends the chunk's entries to out.
inline void decode(const adj_entry& first, std::string_view bytes, std::vector<adj_entry>& out) {
    reader r(first, bytes);
    reserve_more(out, r.size());
    adj_entry e;
    while (r.next(e))
        out.push_back(e);
}

// The entry count of a chunk without decoding it.
inline std::uint64_t count(std::string_view bytes) {
    std::uint64_t v = 0;
    std::size_t i = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (i == bytes.size()) corrupt("truncated varint");
        const auto b = static_cast<std::uint8_t>(bytes[i++]);
        v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
            if (v == 0) corrupt("empty chunk");
            return v;
        }
    }
    corrupt("overlong varint");
}

// Splits sorted entries [0, n) into consecutive chunks of at most fill
// value bytes, filling each up to fill bytes; calls fn(first index,
// count) per chunk. A chunk always takes at least one entry.
template <class Fn> void chunk(const adj_entry* entries, std::size_t n, std::size_t fill, Fn&& fn) {
    std::size_t start = 0;
    while (start < n) {
        std::size_t body = 0;
        std::size_t end = start + 1;
        while (end < n) {
            const std::size_t add = delta_size(entries[end - 1], entries[end]);
            if (varint_size(end - start + 1) + body + add > fill) break;
            body += add;
            ++end;
        }
        fn(start, end - start);
        start = end;
    }
}

} // namespace adjacency_codec
} // namespace sqlitegraph
