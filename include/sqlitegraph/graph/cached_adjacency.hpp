// sqlitegraph/graph/cached_adjacency.hpp — the adjacency cache's in-memory
// form of one node's entries in one direction.
//
// The chunks on disk (codec/adjacency.hpp) interleave three varints per
// entry, and their decoder checks every one: a warm traversal that only
// wants neighbours paid for type and edge deltas and for the checks at each
// visit. The cache holds instead a form made by this encoder from entries
// the chunk decoder has already checked, so it is decoded without checks,
// and it keeps neighbours and edge ids in separate streams, which decode as
// two independent chains. Types are runs, so a type filter skips whole
// runs. Never written to disk; host byte order.
//
//   u32 runs, u32 offset of the edge stream
//   runs times: u32 type, u32 count       in type order, counts >= 1
//   neighbour stream: per entry, varint   neighbour - previous neighbour of
//                                         its run (the run's first: itself)
//   edge stream: per entry, varint        zigzag(edge - previous edge of its
//                                         run) (the run's first: edge itself)
//
// Entries come out in the order they went in: (type, neighbour, edge).
#pragma once

#include "sqlitegraph/codec/adjacency.hpp"
#include "sqlitegraph/core/varint.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sqlitegraph::cached_adjacency {

namespace detail {

inline void put_u32(std::string& out, std::size_t at, std::uint32_t v) { std::memcpy(out.data() + at, &v, 4); }
inline std::uint32_t get_u32(const char* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}
// A varint this encoder wrote: the chunk codec's reader without its end
// test (the form is terminated and at most 10 bytes per varint).
inline std::uint64_t get_varint(const unsigned char*& p) { return adjacency_codec::detail::get_varint<true>(p, nullptr); }
inline void skip_varints(const unsigned char*& p, std::uint32_t n) noexcept {
    for (; n > 0; --n)
        while (*p++ >= 0x80) {
        }
}

} // namespace detail

// Builds the form of the entries added, which must come sorted by (type,
// neighbour, edge) (they come from checked chunks of one node and direction).
class encoder {
  public:
    void add(const adj_entry& e) {
        if (runs_ == 0 || e.type != run_type_) {
            run_type_ = e.type;
            run_at_ = head_.size();
            head_.append(8, '\0');
            detail::put_u32(head_, run_at_, e.type);
            ++runs_;
            prev_neighbour_ = 0;
            prev_edge_ = 0;
        }
        detail::put_u32(head_, run_at_ + 4, detail::get_u32(head_.data() + run_at_ + 4) + 1);
        adjacency_codec::put_varint(neighbours_, e.neighbour - prev_neighbour_);
        adjacency_codec::put_varint(edges_, zigzag_encode(static_cast<std::int64_t>(e.edge - prev_edge_)));
        prev_neighbour_ = e.neighbour;
        prev_edge_ = e.edge;
    }

    // The form; empty when no entry was added.
    [[nodiscard]] std::string finish() const {
        if (runs_ == 0) return {};
        std::string out(8, '\0');
        detail::put_u32(out, 0, runs_);
        detail::put_u32(out, 4, static_cast<std::uint32_t>(8 + head_.size() + neighbours_.size()));
        out.reserve(8 + head_.size() + neighbours_.size() + edges_.size());
        out += head_;
        out += neighbours_;
        out += edges_;
        return out;
    }

  private:
    std::string head_, neighbours_, edges_;
    std::uint32_t runs_ = 0, run_type_ = 0;
    std::size_t run_at_ = 0;
    std::uint64_t prev_neighbour_ = 0, prev_edge_ = 0;
};

// Calls fn(entry) for the entries of a form whose type `wanted(type)`
// accepts, in order.
template <class Wanted, class Fn> void for_each(std::string_view form, Wanted&& wanted, Fn&& fn) {
    if (form.empty()) return;
    const char* base = form.data();
    const std::uint32_t runs = detail::get_u32(base);
    const char* run = base + 8;
    auto nb = reinterpret_cast<const unsigned char*>(run + std::size_t{runs} * 8);
    auto ed = reinterpret_cast<const unsigned char*>(base + detail::get_u32(base + 4));
    for (std::uint32_t r = 0; r < runs; ++r, run += 8) {
        adj_entry e;
        e.type = detail::get_u32(run);
        const std::uint32_t count = detail::get_u32(run + 4);
        if (!wanted(e.type)) {
            detail::skip_varints(nb, count);
            detail::skip_varints(ed, count);
            continue;
        }
        std::uint64_t neighbour = 0, edge = 0;
        for (std::uint32_t i = 0; i < count; ++i) {
            neighbour += detail::get_varint(nb);
            edge += static_cast<std::uint64_t>(zigzag_decode(detail::get_varint(ed)));
            e.neighbour = neighbour;
            e.edge = edge;
            fn(static_cast<const adj_entry&>(e));
        }
    }
}

} // namespace sqlitegraph::cached_adjacency
