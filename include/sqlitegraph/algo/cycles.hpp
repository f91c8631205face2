// sqlitegraph/algo/cycles.hpp — cycle detection (directed) and a cycle
// basis (undirected).
//
// find_cycle: one directed cycle as a vertex list [v0, v1, ..., vk] with an
//   edge vi -> vi+1 and vk -> v0 (a self-loop gives [v]); empty when the
//   graph is a DAG. Kahn's peeling removes every vertex not on or upstream
//   of a cycle; from any survivor, walking to a surviving predecessor must
//   repeat a vertex, and the repeat closes a cycle. O(n + m), no recursion.
// cycle_basis: a fundamental cycle basis of the simple undirected graph
//   underneath (one cycle per non-tree edge of a BFS spanning forest rooted
//   at each component's smallest vertex). It has m' - n + c cycles for m'
//   undirected edges and c components. Each cycle starts at the non-tree
//   edge's endpoint u and follows tree paths: u .. lca .. w.
//   O(n + m' · depth) time.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sqlitegraph/algo/graph_view.hpp"
#include "sqlitegraph/algo/simple_undirected.hpp"

namespace sqlitegraph::algo {

namespace detail {

// Peels sources away (Kahn); returns the in-degree left for each vertex: a
// positive value means the vertex is on a cycle or downstream of one.
template <graph_view G>
std::vector<std::uint32_t> residual_in_degrees(const G& g) {
    const vertex_id n = vertex_count_of(g);
    std::vector<std::uint32_t> indeg(n, 0);
    for (vertex_id u = 0; u < n; ++u) for_each_out_neighbor(g, u, [&](vertex_id w) { ++indeg[w]; });
    std::vector<vertex_id> queue;
    for (vertex_id v = 0; v < n; ++v)
        if (indeg[v] == 0) queue.push_back(v);
    for (std::size_t h = 0; h < queue.size(); ++h)
        for_each_out_neighbor(g, queue[h], [&](vertex_id w) {
            if (--indeg[w] == 0) queue.push_back(w);
        });
    return indeg;
}

// Given the residual in-degrees (positive = survivor), returns a cycle.
template <graph_view G>
std::vector<vertex_id> cycle_among_survivors(const G& g, const std::vector<std::uint32_t>& indeg) {
    const vertex_id n = static_cast<vertex_id>(indeg.size());
    vertex_id start = no_vertex;
    for (vertex_id v = 0; v < n && start == no_vertex; ++v)
        if (indeg[v] > 0) start = v;
    if (start == no_vertex) return {};
    // Every survivor has a surviving predecessor: walk backwards until a
    // vertex repeats. pos[] records where each vertex sits on the walk.
    std::vector<std::uint32_t> pos(n, unreached);
    std::vector<vertex_id> walk;
    vertex_id v = start;
    while (pos[v] == unreached) {
        pos[v] = static_cast<std::uint32_t>(walk.size());
        walk.push_back(v);
        vertex_id pred = no_vertex;
        for_each_in_neighbor(g, v, [&](vertex_id u) {
            if (pred == no_vertex && indeg[u] > 0) pred = u;
        });
        v = pred;
    }
    std::vector<vertex_id> cycle(walk.begin() + pos[v], walk.end());
    std::reverse(cycle.begin(), cycle.end()); // the walk went against the edges
    // Rotate so the smallest vertex comes first: a canonical form for output.
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    return cycle;
}

inline std::string describe_cycle(const std::vector<vertex_id>& cycle) {
    std::string s;
    const std::size_t shown = std::min<std::size_t>(cycle.size(), 16);
    for (std::size_t i = 0; i < shown; ++i) s += std::to_string(cycle[i]) + " -> ";
    if (shown < cycle.size()) s += "... (" + std::to_string(cycle.size()) + " vertices) -> ";
    s += std::to_string(cycle.front());
    return s;
}

} // namespace detail

template <graph_view G>
[[nodiscard]] std::vector<vertex_id> find_cycle(const G& g) {
    return detail::cycle_among_survivors(g, detail::residual_in_degrees(g));
}

template <graph_view G>
[[nodiscard]] bool has_cycle(const G& g) {
    const auto indeg = detail::residual_in_degrees(g);
    return std::any_of(indeg.begin(), indeg.end(), [](std::uint32_t d) { return d > 0; });
}

template <graph_view G>
[[nodiscard]] std::vector<std::vector<vertex_id>> cycle_basis(const G& g) {
    const csr_view u = simple_undirected(g);
    const vertex_id n = vertex_count_of(u);
    std::vector<vertex_id> parent(n, no_vertex);
    std::vector<std::uint32_t> depth(n, unreached);
    std::vector<vertex_id> queue;
    std::vector<std::vector<vertex_id>> basis;
    for (vertex_id root = 0; root < n; ++root) {
        if (depth[root] != unreached) continue;
        depth[root] = 0;
        queue.assign(1, root);
        for (std::size_t h = 0; h < queue.size(); ++h) {
            const vertex_id a = queue[h];
            for (vertex_id b : u.out_neighbors(a)) {
                if (depth[b] == unreached) {
                    depth[b] = depth[a] + 1;
                    parent[b] = a;
                    queue.push_back(b);
                }
            }
        }
    }
    // Each undirected non-tree edge {a, b} (a < b) closes one cycle.
    std::vector<vertex_id> left, right;
    for (vertex_id a = 0; a < n; ++a) {
        for (vertex_id b : u.out_neighbors(a)) {
            if (b <= a || parent[b] == a || parent[a] == b) continue;
            left.assign(1, a);
            right.assign(1, b);
            vertex_id x = a, y = b;
            while (x != y) {
                if (depth[x] >= depth[y]) {
                    x = parent[x];
                    left.push_back(x);
                } else {
                    y = parent[y];
                    right.push_back(y);
                }
            }
            // left ends at the lca, right ends at it too: drop one copy.
            right.pop_back();
            left.insert(left.end(), right.rbegin(), right.rend());
            basis.push_back(std::move(left));
            left = {};
        }
    }
    return basis;
}

} // namespace sqlitegraph::algo
