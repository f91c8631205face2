// sqlitegraph/algo/reachability.hpp — reachability sets, forward and
// backward, optionally restricted to edge types; and program slices, which
// are reachability over a dependence graph.
//
// Results are sorted vertex lists that include the sources themselves.
// O(n + m) time, O(n) space.
#pragma once

#include <span>
#include <vector>

#include "sqlitegraph/algo/bfs.hpp"
#include "sqlitegraph/algo/edge_filter.hpp"

namespace sqlitegraph::algo {

template <graph_view G>
[[nodiscard]] std::vector<vertex_id> reachable(const G& g, std::span<const vertex_id> sources,
                                               direction dir = direction::out, type_filter types = {}) {
    bfs_options opt;
    opt.dir = dir;
    opt.types = std::move(types);
    const auto depth = bfs_depths(g, sources, opt);
    std::vector<vertex_id> out;
    for (vertex_id v = 0; v < depth.size(); ++v)
        if (depth[v] != unreached) out.push_back(v);
    return out;
}

// Everything reachable from the sources along out-edges.
template <graph_view G>
[[nodiscard]] std::vector<vertex_id> forward_reachable(const G& g, std::span<const vertex_id> sources,
                                                       type_filter types = {}) {
    return reachable(g, sources, direction::out, std::move(types));
}

// Everything that can reach one of the targets.
template <graph_view G>
[[nodiscard]] std::vector<vertex_id> backward_reachable(const G& g, std::span<const vertex_id> targets,
                                                        type_filter types = {}) {
    return reachable(g, targets, direction::in, std::move(types));
}

// Program slicing over a dependence graph whose edges run from a definition
// or controlling branch to what depends on it; `dependence_types` picks
// which edge types count as dependences (for example data and control, but
// not plain control flow).
// Forward slice: every statement the criteria can affect.
template <graph_view G>
[[nodiscard]] std::vector<vertex_id> forward_slice(const G& g, std::span<const vertex_id> criteria,
                                                   type_filter dependence_types = {}) {
    return forward_reachable(g, criteria, std::move(dependence_types));
}

// Backward slice: every statement that can affect the criteria.
template <graph_view G>
[[nodiscard]] std::vector<vertex_id> backward_slice(const G& g, std::span<const vertex_id> criteria,
                                                    type_filter dependence_types = {}) {
    return backward_reachable(g, criteria, std::move(dependence_types));
}

} // namespace sqlitegraph::algo
