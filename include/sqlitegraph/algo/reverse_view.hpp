// sqlitegraph/algo/reverse_view.hpp — a graph_view with every edge turned
// around, without copying: out-edges of the reverse are in-edges of the
// original. Post-dominators and backward slices are forward algorithms run
// on this view.
#pragma once

#include <cstddef>

#include "sqlitegraph/algo/graph_view.hpp"

namespace sqlitegraph::algo {

template <graph_view G>
class reverse_view {
public:
    explicit reverse_view(const G& g) noexcept : g_(&g) {}
    [[nodiscard]] std::size_t vertex_count() const { return g_->vertex_count(); }
    [[nodiscard]] decltype(auto) out_edges(vertex_id v) const { return g_->in_edges(v); }
    [[nodiscard]] decltype(auto) in_edges(vertex_id v) const { return g_->out_edges(v); }
    [[nodiscard]] decltype(auto) out_neighbors(vertex_id v) const requires has_neighbor_spans<G> {
        return g_->in_neighbors(v);
    }
    [[nodiscard]] decltype(auto) in_neighbors(vertex_id v) const requires has_neighbor_spans<G> {
        return g_->out_neighbors(v);
    }

private:
    const G* g_;
};

} // namespace sqlitegraph::algo
