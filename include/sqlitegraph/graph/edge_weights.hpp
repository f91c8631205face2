// sqlitegraph/graph/edge_weights.hpp — an edge's weight (its numeric
// `weight` property, 1 when absent) and the weight column `g.eweight`.
//
// The column is a B+Tree of fixed 8-byte keys and values beside the edge
// records: edge id → the weight's IEEE-754 bits, for every edge whose
// weight is not 1 (absent or 1: no entry, so an unweighted graph's column
// is empty), and `not_a_number` for a `weight` that is not a number. Why:
// snapshot_csr needs every weight, and finding one number in each of the
// variable-size edge records was a third of a weighted build; the column
// gives them in a seventh of the time
// (benchmarks/results/probes/2026-11-25-weight-scan.txt). The store
// keeps it in the same write transaction as the records; check() compares
// the two. Format in docs/format.md ("Weight column").
#pragma once

#include "sqlitegraph/btree/key_codec.hpp"
#include "sqlitegraph/btree/params.hpp"
#include "sqlitegraph/codec/properties.hpp"
#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/graph/graph_types.hpp"
#include "sqlitegraph/graph/index_range.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sqlitegraph::edge_weights {

template <std::size_t PageBytes> using column_params = btree_params<u64_codec, u64_codec, PageBytes>;

// The column's value for a `weight` that is not a number: a signalling NaN,
// which no JSON number decodes to.
inline constexpr std::uint64_t not_a_number = 0x7FF4000000000001ULL;
inline constexpr std::uint64_t one = std::bit_cast<std::uint64_t>(1.0);

// The bits of the `weight` member of binary properties (`one` when absent,
// not_a_number when not a number): the general walk, out of line.
[[gnu::noinline]] inline std::uint64_t weight_bits_walk(std::string_view props) {
    using props_detail::tag;
    props_detail::reader r{props};
    if (static_cast<tag>(r.byte()) != tag::object_v) props_detail::corrupt("edge properties are not an object");
    const auto count = r.varint();
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::string_view key = r.bytes(r.varint());
        if (key != "weight") {
            r.skip();
            continue;
        }
        const auto t = static_cast<tag>(r.byte());
        if (t == tag::int_v) return std::bit_cast<std::uint64_t>(static_cast<double>(props_detail::unzigzag(r.varint())));
        if (t == tag::double_v) return std::bit_cast<std::uint64_t>(props_detail::load_double(r.bytes(8)));
        return not_a_number;
    }
    return one;
}

// The same, with the common properties read in place: none, or
// {"weight": <number>} alone (object tag, one member, key length 6,
// "weight", then a double of 8 bytes or a zigzag int of one or two bytes).
// Anything else takes the general walk.
inline std::uint64_t weight_bits(std::string_view props) {
    using props_detail::tag;
    const char* p = props.data();
    const std::size_t size = props.size();
    if (size == 2 && p[0] == static_cast<char>(tag::object_v) && p[1] == '\0') return one;
    if (size >= 11 && p[0] == static_cast<char>(tag::object_v) && p[1] == '\1' && p[2] == '\6' &&
        std::memcmp(p + 3, "weight", 6) == 0) {
        const auto t = static_cast<tag>(p[9]);
        if (t == tag::double_v && size == 18) return load_le<std::uint64_t>(p + 10);
        if (t == tag::int_v && size <= 12) { // a zigzag varint of one or two bytes
            const auto b0 = static_cast<unsigned char>(p[10]);
            if (size == 11 && b0 < 0x80)
                return std::bit_cast<std::uint64_t>(static_cast<double>(props_detail::unzigzag(b0)));
            const unsigned b1 = size == 12 ? static_cast<unsigned char>(p[11]) : 0x80u;
            if (b0 >= 0x80 && b1 < 0x80)
                return std::bit_cast<std::uint64_t>(
                    static_cast<double>(props_detail::unzigzag((b0 & 0x7Fu) | (std::uint64_t{b1} << 7))));
        }
    }
    return weight_bits_walk(props);
}

// The weight that column bits stand for; errc::invalid_argument naming the
// edge for a weight that is not a number.
inline double weight_from_bits(std::uint64_t bits, edge_id id) {
    if (bits == not_a_number)
        fail(errc::invalid_argument, "edge " + std::to_string(id) + ": the weight property is not a number");
    return std::bit_cast<double>(bits);
}

// The weight of binary properties (1 when absent).
inline double weight_of(std::string_view props, edge_id id) { return weight_from_bits(weight_bits(props), id); }

// What the column holds for an edge with these properties: nothing for a
// weight of 1 (absent, 1 or 1.0).
inline std::optional<std::uint64_t> column_value(std::string_view props) {
    const std::uint64_t bits = weight_bits(props);
    if (bits != not_a_number && std::bit_cast<double>(bits) == 1.0) return std::nullopt;
    return bits;
}

// Bulk-loads an empty column from edges in id order. make_source() returns
// a callable giving the next edge as optional<pair<edge id, binary
// properties>> (nullopt at the end); it is called twice: one pass counts
// the weighted edges, the other hands their entries to the tree as it
// takes them, so no list of entries is kept (16 bytes per weighted edge).
template <class Column, class MakeSource> void bulk_load_column(Column& column, MakeSource&& make_source) {
    auto next_entry = [](auto& source) -> std::optional<std::pair<std::uint64_t, std::uint64_t>> {
        while (const auto edge = source())
            if (const auto bits = column_value(edge->second)) return std::pair<std::uint64_t, std::uint64_t>(edge->first, *bits);
        return std::nullopt;
    };
    std::size_t count = 0;
    for (auto source = make_source(); next_entry(source);) ++count;
    if (count == 0) return;
    auto source = make_source();
    column.bulk_load(index_range(count, [&](std::size_t) { return *next_entry(source); }));
}

} // namespace sqlitegraph::edge_weights
