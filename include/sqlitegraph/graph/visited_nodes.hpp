// sqlitegraph/graph/visited_nodes.hpp — the set of nodes a traversal on the
// store has reached.
//
// Node ids are dense (1 .. next id - 1), so a bitmap over them is the
// cheapest set once a traversal reaches a fair share of the graph: one bit
// per id, where a hash set spends tens of bytes and a hash and a probe per
// node (a full BFS of a scale-20 R-MAT graph, 0.55 M nodes, spent most of
// its time in std::unordered_set). A small traversal of a large graph
// should not pay for a bitmap of every id, though, so the set starts as a
// hash set and moves to the bitmap when the hash set would take more
// memory than the bitmap does. Ids at or past the bound (none in a
// snapshot, whose next id bounds them) always stay in the hash set.
#pragma once

#include <cstdint>
#include <unordered_set>
#include <vector>

namespace sqlitegraph {

class visited_nodes {
  public:
    // Ids below id_bound may go to the bitmap.
    explicit visited_nodes(std::uint64_t id_bound) : bound_(id_bound) {}

    // Adds id; true when it was not there.
    bool insert(std::uint64_t id) {
        if (!bits_.empty() && id < bound_) {
            std::uint64_t& word = bits_[id >> 6];
            const std::uint64_t bit = std::uint64_t{1} << (id & 63);
            if ((word & bit) != 0) return false;
            word |= bit;
            return true;
        }
        if (!small_.insert(id).second) return false;
        if (bits_.empty() && bound_ >= 64 && small_.size() > bound_ / bitmap_bits_per_hashed_id) move_to_bitmap();
        return true;
    }

    [[nodiscard]] bool contains(std::uint64_t id) const {
        if (!bits_.empty() && id < bound_) return (bits_[id >> 6] >> (id & 63) & 1) != 0;
        return small_.contains(id);
    }

  private:
    // About what a std::unordered_set node costs per id, in bits of bitmap:
    // past bound / 256 ids the hash set outweighs a bitmap of bound bits.
    static constexpr std::uint64_t bitmap_bits_per_hashed_id = 256;

    void move_to_bitmap() {
        bits_.assign(static_cast<std::size_t>((bound_ + 63) / 64), 0);
        std::unordered_set<std::uint64_t> beyond;
        for (const auto id : small_) {
            if (id < bound_) bits_[id >> 6] |= std::uint64_t{1} << (id & 63);
            else beyond.insert(id);
        }
        small_.swap(beyond);
    }

    std::uint64_t bound_;
    std::unordered_set<std::uint64_t> small_;
    std::vector<std::uint64_t> bits_;
};

} // namespace sqlitegraph
