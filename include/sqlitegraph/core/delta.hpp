// sqlitegraph/core/delta.hpp — delta + varint coding of sorted id lists.
//
// Ids are dense and neighbour lists are sorted, so consecutive differences
// are small: storing the first id relative to a base and each later id as
// the gap to its predecessor turns 8-byte ids into 1-2 byte varints.
// Decoding checks that the list really ascends (no wrap-around) so that a
// corrupt gap is reported rather than producing a bogus id.
#pragma once

#include "sqlitegraph/core/bytes.hpp"
#include "sqlitegraph/core/error.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sqlitegraph {

// Appends count, then each id as the gap to the previous one (the first as
// the gap to base). ids must be ascending (non-strictly) and not below base.
inline void encode_id_deltas(byte_writer& out, std::span<const std::uint64_t> ids, std::uint64_t base = 0) {
    out.write_varint<std::uint64_t>(ids.size());
    std::uint64_t previous = base;
    for (const auto id : ids) {
        if (id < previous) fail(errc::invalid_argument, "encode_id_deltas: ids must be ascending from the base");
        out.write_varint<std::uint64_t>(id - previous);
        previous = id;
    }
}

inline std::vector<std::uint64_t> decode_id_deltas(byte_reader& in, std::uint64_t base = 0) {
    const auto count = in.read_varint<std::uint64_t>();
    // Each gap takes at least one byte, so a count above the remaining bytes
    // is corrupt; checking first keeps a bad count from allocating gigabytes.
    if (count > in.remaining()) {
        fail(errc::corruption,
             "id delta list claims " + std::to_string(count) + " ids in " + std::to_string(in.remaining()) + " bytes");
    }
    std::vector<std::uint64_t> ids;
    ids.reserve(count);
    std::uint64_t previous = base;
    for (std::uint64_t i = 0; i < count; ++i) {
        const auto gap = in.read_varint<std::uint64_t>();
        if (gap > UINT64_MAX - previous)
            fail(errc::corruption, "id delta list overflows at entry " + std::to_string(i));
        previous += gap;
        ids.push_back(previous);
    }
    return ids;
}

} // namespace sqlitegraph
