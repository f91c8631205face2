// sqlitegraph/graph/cached_adjacency.hpp — the adjacency cache's in-memory
// form of one node's entries in one direction.
//
// The chunks on disk (codec/adjacency.hpp) interleave three varints per
// entry, and their decoder checks every one: a warm traversal that only
// wants neighbours paid for type and edge deltas and for the checks at each
// visit. The cache holds instead a form made by this encoder from entries
// the chunk decoder has already checked, so it is decoded without checks.
// Its values are bit-packed at a fixed width per run rather than varints:
// a varint's length is a branch per value that the CPU guesses wrong about
// as often as lengths vary (a random node's neighbour gaps and edge ids
// do), while a fixed width is one unaligned load, a shift and a mask, the
// same for every entry. It is no larger: 6.15 bytes per entry, headers
// included, against the varint form's 6.53 over the lists of 100,000
// random nodes of a scale-20 R-MAT store, 87% of them small enough for a
// cache slot in either (benchmarks/probes/cached_form_size.cpp,
// benchmarks/results/probes/2026-11-24-cached-form-size.txt). Types are
// runs, so a type filter skips whole runs. Never written to disk; host
// byte order.
//
//   u32 runs
//   per run:
//     u32 type, u32 count (>= 1)          runs in type order
//     u8 gap_bits, u8 edge_bits           widths, 0..56 or 64 bits
//     varint first neighbour, varint least edge id of the run
//     count - 1 gaps of gap_bits          neighbour - previous neighbour
//     count offsets of edge_bits          edge - least edge id, from the
//                                         next whole byte after the gaps
//                                         bits little-endian from bit 0 of
//                                         the run's first packed byte; the
//                                         run ends at the next whole byte
//   7 zero bytes                          so a value's 8-byte load stays inside
//
// Entries come out in the order they went in: (type, neighbour, edge).
#pragma once

#include "sqlitegraph/codec/adjacency.hpp"
#include "sqlitegraph/core/varint.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace sqlitegraph::cached_adjacency {

namespace detail {

inline void put_u32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
inline std::uint32_t get_u32(const unsigned char* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}
// A varint this encoder wrote: the chunk codec's reader without its end
// test (the form is terminated and at most 10 bytes per varint).
inline std::uint64_t get_varint(const unsigned char*& p) { return adjacency_codec::detail::get_varint<true>(p, nullptr); }

// Bits to hold every value up to `largest`: up to 56 as they are (a value
// then sits in one 8-byte load whatever its bit offset), else 64 (values
// start on whole bytes, since every offset is a multiple of 64).
inline unsigned width_for(std::uint64_t largest) noexcept {
    const auto w = static_cast<unsigned>(std::bit_width(largest));
    return w <= 56 ? w : 64;
}
inline std::uint64_t mask_of(unsigned width) noexcept { return width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1; }

// The value of `width` bits at bit `at` of packed.
inline std::uint64_t value_at(const unsigned char* packed, std::uint64_t at, std::uint64_t mask) noexcept {
    std::uint64_t word;
    std::memcpy(&word, packed + (at >> 3), 8);
    return (word >> (at & 7)) & mask;
}

// Appends values at `width` bits each, from bit `at` of the bytes after
// `base` in out (which grows as needed).
inline void put_values(std::string& out, std::size_t base, std::uint64_t& at, unsigned width,
                       const std::vector<std::uint64_t>& values) {
    for (const auto v : values) {
        for (unsigned b = 0; b < width;) {
            const std::size_t byte = base + static_cast<std::size_t>(at >> 3);
            if (byte >= out.size()) out.resize(byte + 1, '\0');
            const unsigned shift = static_cast<unsigned>(at & 7);
            const unsigned take = std::min(8 - shift, width - b);
            const auto bits = static_cast<unsigned char>(((v >> b) & ((1u << take) - 1)) << shift);
            out[byte] = static_cast<char>(static_cast<unsigned char>(out[byte]) | bits);
            b += take;
            at += take;
        }
    }
}

} // namespace detail

// Builds the form of the entries added, which must come sorted by (type,
// neighbour, edge) (they come from checked chunks of one node and direction).
class encoder {
  public:
    void add(const adj_entry& e) { entries_.push_back(e); }

    // The form; empty when no entry was added.
    [[nodiscard]] std::string finish() const {
        if (entries_.empty()) return {};
        std::string out;
        out.reserve(16 + entries_.size() * 8);
        std::uint32_t runs = 0;
        detail::put_u32(out, 0);
        std::vector<std::uint64_t> gaps, offsets;
        for (std::size_t begin = 0; begin < entries_.size();) {
            std::size_t end = begin + 1;
            while (end < entries_.size() && entries_[end].type == entries_[begin].type)
                ++end;
            ++runs;
            std::uint64_t least_edge = UINT64_MAX;
            for (std::size_t i = begin; i < end; ++i)
                least_edge = std::min(least_edge, entries_[i].edge);
            gaps.clear();
            offsets.clear();
            for (std::size_t i = begin; i < end; ++i) {
                if (i > begin) gaps.push_back(entries_[i].neighbour - entries_[i - 1].neighbour);
                offsets.push_back(entries_[i].edge - least_edge);
            }
            const unsigned gap_bits = detail::width_for(gaps.empty() ? 0 : *std::max_element(gaps.begin(), gaps.end()));
            const unsigned edge_bits = detail::width_for(*std::max_element(offsets.begin(), offsets.end()));
            detail::put_u32(out, entries_[begin].type);
            detail::put_u32(out, static_cast<std::uint32_t>(end - begin));
            out.push_back(static_cast<char>(gap_bits));
            out.push_back(static_cast<char>(edge_bits));
            adjacency_codec::put_varint(out, entries_[begin].neighbour);
            adjacency_codec::put_varint(out, least_edge);
            const std::size_t base = out.size();
            std::uint64_t at = 0;
            detail::put_values(out, base, at, gap_bits, gaps);
            at = (at + 7) / 8 * 8; // 64-bit values must start on a whole byte
            detail::put_values(out, base, at, edge_bits, offsets);
            out.resize(base + static_cast<std::size_t>((at + 7) / 8), '\0');
            begin = end;
        }
        std::memcpy(out.data(), &runs, 4);
        out.append(7, '\0');
        return out;
    }

  private:
    std::vector<adj_entry> entries_;
};

// Calls fn(entry) for the entries of a form whose type `wanted(type)`
// accepts, in order.
template <class Wanted, class Fn> void for_each(std::string_view form, Wanted&& wanted, Fn&& fn) {
    if (form.empty()) return;
    auto p = reinterpret_cast<const unsigned char*>(form.data());
    const std::uint32_t runs = detail::get_u32(p);
    p += 4;
    for (std::uint32_t r = 0; r < runs; ++r) {
        adj_entry e;
        e.type = detail::get_u32(p);
        const std::uint32_t count = detail::get_u32(p + 4);
        const unsigned gap_bits = p[8], edge_bits = p[9];
        p += 10;
        const std::uint64_t first = detail::get_varint(p);
        const std::uint64_t least_edge = detail::get_varint(p);
        const unsigned char* packed = p;
        const std::uint64_t edges_from = (std::uint64_t{count - 1} * gap_bits + 7) / 8 * 8;
        p = packed + (edges_from + std::uint64_t{count} * edge_bits + 7) / 8;
        if (!wanted(e.type)) continue;
        const std::uint64_t gap_mask = detail::mask_of(gap_bits), edge_mask = detail::mask_of(edge_bits);
        e.neighbour = first;
        e.edge = least_edge + detail::value_at(packed, edges_from, edge_mask);
        fn(static_cast<const adj_entry&>(e));
        std::uint64_t gap_at = 0, edge_at = edges_from + edge_bits;
        for (std::uint32_t i = 1; i < count; ++i, gap_at += gap_bits, edge_at += edge_bits) {
            e.neighbour += detail::value_at(packed, gap_at, gap_mask);
            e.edge = least_edge + detail::value_at(packed, edge_at, edge_mask);
            fn(static_cast<const adj_entry&>(e));
        }
    }
}

} // namespace sqlitegraph::cached_adjacency
