// sqlitegraph/algo/edge_filter.hpp — which edges a traversal may follow.
//
// An empty type list means every type. Traversals that take a filter read
// each edge's type, so they iterate edge_refs rather than bare neighbours.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <span>
#include <vector>

#include "sqlitegraph/algo/graph_view.hpp"

namespace sqlitegraph::algo {

class type_filter {
public:
    type_filter() = default;
    type_filter(std::initializer_list<type_id> types) : types_(types) { normalise(); }
    explicit type_filter(std::span<const type_id> types) : types_(types.begin(), types.end()) { normalise(); }

    [[nodiscard]] bool all() const noexcept { return types_.empty(); }
    [[nodiscard]] bool accepts(type_id t) const noexcept {
        return types_.empty() || std::binary_search(types_.begin(), types_.end(), t);
    }

private:
    void normalise() {
        std::sort(types_.begin(), types_.end());
        types_.erase(std::unique(types_.begin(), types_.end()), types_.end());
    }
    std::vector<type_id> types_;
};

// Calls f(neighbor) for each edge of v in direction d whose type passes.
// A symmetric view is walked once for direction::both.
template <graph_view G, class F>
inline void for_each_filtered_neighbor(const G& g, vertex_id v, direction d, const type_filter& filter, F&& f) {
    if (filter.all()) {
        for_each_neighbor(g, v, d, f);
        return;
    }
    if (d != direction::in)
        for (const auto& e : g.out_edges(v))
            if (filter.accepts(e.type)) f(static_cast<vertex_id>(e.neighbor));
    if (d == direction::in || (d == direction::both && !is_symmetric(g)))
        for (const auto& e : g.in_edges(v))
            if (filter.accepts(e.type)) f(static_cast<vertex_id>(e.neighbor));
}

} // namespace sqlitegraph::algo
