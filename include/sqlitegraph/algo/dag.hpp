// sqlitegraph/algo/dag.hpp — algorithms that need a DAG: topological sort,
// critical (longest) path, transitive closure and transitive reduction.
//
// A cycle makes topological_sort, critical_path and transitive_reduction
// throw error(errc::cycle) with one cycle spelled out in the message
// ("cycle: 3 -> 5 -> 9 -> 3").
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <queue>
#include <string>
#include <vector>

#include "sqlitegraph/algo/csr_view.hpp"
#include "sqlitegraph/algo/cycles.hpp"
#include "sqlitegraph/algo/graph_view.hpp"

namespace sqlitegraph::algo {

// Kahn's algorithm with a min-heap of ready vertices, so the order is the
// lexicographically smallest topological order: among vertices whose
// predecessors are all placed, the smallest id goes first. O(m + n log n).
template <graph_view G>
[[nodiscard]] std::vector<vertex_id> topological_sort(const G& g) {
    const vertex_id n = vertex_count_of(g);
    std::vector<std::uint32_t> indeg(n, 0);
    for (vertex_id u = 0; u < n; ++u) for_each_out_neighbor(g, u, [&](vertex_id w) { ++indeg[w]; });
    std::priority_queue<vertex_id, std::vector<vertex_id>, std::greater<>> ready;
    for (vertex_id v = 0; v < n; ++v)
        if (indeg[v] == 0) ready.push(v);
    std::vector<vertex_id> order;
    order.reserve(n);
    while (!ready.empty()) {
        const vertex_id u = ready.top();
        ready.pop();
        order.push_back(u);
        for_each_out_neighbor(g, u, [&](vertex_id w) {
            if (--indeg[w] == 0) ready.push(w);
        });
    }
    if (order.size() != n) {
        const auto cycle = detail::cycle_among_survivors(g, indeg);
        fail(errc::cycle, "topological sort impossible; graph has a cycle: " + detail::describe_cycle(cycle));
    }
    return order;
}

struct critical_path_result {
    double length = 0;          // sum of weights (or hop count) along the path
    std::vector<vertex_id> path; // empty for an empty graph
};

// Longest path in a DAG, by edge weight (use_weights) or by hop count.
// Dynamic programming in topological order: O(m + n log n). Tie-breaking:
// a predecessor replaces the current best only when strictly longer (edges
// scanned in view order); the end is the smallest vertex of maximal length.
template <graph_view G>
[[nodiscard]] critical_path_result critical_path(const G& g, bool use_weights = true) {
    const auto order = topological_sort(g);
    const vertex_id n = vertex_count_of(g);
    critical_path_result r;
    if (n == 0) return r;
    std::vector<double> best(n, 0.0);
    std::vector<vertex_id> from(n, no_vertex);
    for (vertex_id v : order) {
        for (const auto& e : g.in_edges(v)) {
            const auto u = static_cast<vertex_id>(e.neighbor);
            const double cand = best[u] + (use_weights ? static_cast<double>(e.weight) : 1.0);
            if (cand > best[v] || (from[v] == no_vertex && cand == best[v])) {
                best[v] = cand;
                from[v] = u;
            }
        }
    }
    vertex_id end = 0;
    for (vertex_id v = 1; v < n; ++v)
        if (best[v] > best[end]) end = v;
    r.length = best[end];
    for (vertex_id v = end; v != no_vertex; v = from[v]) r.path.push_back(v);
    std::reverse(r.path.begin(), r.path.end());
    return r;
}

// Transitive closure: an edge u->v (type 0, weight 1) for every v reachable
// from u by one or more edges; u->u appears only when u lies on a cycle.
// One BFS per vertex: O(n · (n + m)) time. Throws too_large when the closure
// would exceed max_edges, before allocating it.
template <graph_view G>
[[nodiscard]] csr_view transitive_closure(const G& g, std::size_t max_edges = std::size_t{1} << 26) {
    const vertex_id n = vertex_count_of(g);
    std::vector<vertex_id> stamp(n, no_vertex), queue, row, from, to;
    for (vertex_id s = 0; s < n; ++s) {
        queue.clear();
        row.clear();
        for_each_out_neighbor(g, s, [&](vertex_id w) {
            if (stamp[w] != s) {
                stamp[w] = s;
                queue.push_back(w);
            }
        });
        for (std::size_t h = 0; h < queue.size(); ++h)
            for_each_out_neighbor(g, queue[h], [&](vertex_id w) {
                if (stamp[w] != s) {
                    stamp[w] = s;
                    queue.push_back(w);
                }
            });
        row.assign(queue.begin(), queue.end());
        std::sort(row.begin(), row.end());
        if (from.size() + row.size() > max_edges)
            fail(errc::too_large, "transitive closure exceeds " + std::to_string(max_edges) + " edges (at vertex " +
                                      std::to_string(s) + ")");
        for (vertex_id w : row) {
            from.push_back(s);
            to.push_back(w);
        }
    }
    return csr_view::from_arrays(n, from, to);
}

// Transitive reduction of a DAG: the fewest edges with the same
// reachability; parallel edges collapse to one; the kept edges are a subset
// of the input. For each u, children are taken in topological order; a
// child already reached from an earlier child is redundant. O(n · (n + m))
// time; throws errc::cycle on a cycle and too_large past max_edges kept.
template <graph_view G>
[[nodiscard]] csr_view transitive_reduction(const G& g, std::size_t max_edges = std::size_t{1} << 26) {
    const auto order = topological_sort(g);
    const vertex_id n = vertex_count_of(g);
    std::vector<vertex_id> rank(n);
    for (vertex_id i = 0; i < n; ++i) rank[order[i]] = i;
    std::vector<vertex_id> stamp(n, no_vertex), children, stack, from, to;
    for (vertex_id u = 0; u < n; ++u) {
        children.clear();
        for_each_out_neighbor(g, u, [&](vertex_id w) { children.push_back(w); });
        std::sort(children.begin(), children.end(), [&](vertex_id a, vertex_id b) { return rank[a] < rank[b]; });
        children.erase(std::unique(children.begin(), children.end()), children.end());
        std::vector<vertex_id> kept;
        for (vertex_id c : children) {
            if (stamp[c] == u) continue; // reachable through an earlier child
            kept.push_back(c);
            stamp[c] = u;
            stack.assign(1, c);
            while (!stack.empty()) {
                const vertex_id x = stack.back();
                stack.pop_back();
                for_each_out_neighbor(g, x, [&](vertex_id y) {
                    if (stamp[y] != u) {
                        stamp[y] = u;
                        stack.push_back(y);
                    }
                });
            }
        }
        std::sort(kept.begin(), kept.end());
        if (from.size() + kept.size() > max_edges)
            fail(errc::too_large, "transitive reduction exceeds " + std::to_string(max_edges) + " edges");
        for (vertex_id c : kept) {
            from.push_back(u);
            to.push_back(c);
        }
    }
    return csr_view::from_arrays(n, from, to);
}

} // namespace sqlitegraph::algo
