// sqlitegraph/graph/entry_fingerprint.hpp — an order-independent
// fingerprint of a multiset of adjacency entries, for check().
//
// check() must show that the adjacency tree holds exactly the entries the
// edge records imply (each edge once under its source, once under its
// target). Pairing them needs one of the two sides in the other's order,
// which meant a sorted list of every entry: 40 bytes per entry, 1.3 GB at
// 16.8 M edges. Instead both sides are summed into a fingerprint as they
// are scanned, each in its own order: two sums (mod 2^64) of independent
// 64-bit hashes of the entries, and a count. Equal multisets give equal
// fingerprints; for unequal ones to collide both sums must agree, which
// for damage (not an adversary choosing entries) is a chance below 2^-64.
// Only when the fingerprints differ does check() build the sorted list to
// name the entries at fault.
#pragma once

#include <cstdint>

namespace sqlitegraph {

class entry_fingerprint {
  public:
    // Adds the entry (node, direction, type, neighbour, edge).
    void add(std::uint64_t node, std::uint8_t dir, std::uint32_t type, std::uint64_t neighbour,
             std::uint64_t edge) noexcept {
        const std::uint64_t fields[4] = {node, (std::uint64_t{type} << 8) | dir, neighbour, edge};
        sum_a_ += hash(fields, 0x9e3779b97f4a7c15ULL);
        sum_b_ += hash(fields, 0xc2b2ae3d27d4eb4fULL);
        ++count_;
    }

    [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
    friend bool operator==(const entry_fingerprint&, const entry_fingerprint&) = default;

  private:
    // splitmix64's finaliser, a bijection that spreads every input bit.
    static std::uint64_t mix(std::uint64_t x) noexcept {
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        return x ^ (x >> 31);
    }
    // Each field is mixed into the running state in turn, so equal values
    // in different fields (a node and a neighbour swapped) hash apart.
    static std::uint64_t hash(const std::uint64_t (&fields)[4], std::uint64_t seed) noexcept {
        std::uint64_t h = seed;
        for (const std::uint64_t f : fields)
            h = mix(h ^ f) + seed;
        return h;
    }

    std::uint64_t sum_a_ = 0;
    std::uint64_t sum_b_ = 0;
    std::uint64_t count_ = 0;
};

} // namespace sqlitegraph
