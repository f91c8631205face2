// sqlitegraph/algo/dijkstra.hpp — weighted single-source shortest paths
// (Dijkstra) and A* with a user heuristic.
//
// Edge weights come from the view (1 where the source data had none) and
// must be finite and >= 0; a negative or NaN weight met during the search
// throws invalid_argument naming the edge. Directed: edges are followed
// from source to target. Parallel edges: the lightest counts.
// Tie-breaking: the heap orders by (distance, vertex id), and a parent is
// replaced only by a strictly shorter distance, so output is deterministic.
// O((n + m) log n) time with a binary heap, O(n) space.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "sqlitegraph/algo/graph_view.hpp"

namespace sqlitegraph::algo {

inline constexpr double infinite_distance = std::numeric_limits<double>::infinity();

struct sssp_result {
    std::vector<double> distance; // infinite_distance when unreachable
    std::vector<vertex_id> parent; // no_vertex for the source and unreachable vertices

    // The path from the source to t (inclusive), empty when unreachable.
    [[nodiscard]] std::vector<vertex_id> path_to(vertex_id t) const {
        if (t >= distance.size() || distance[t] == infinite_distance) return {};
        std::vector<vertex_id> path;
        for (vertex_id v = t; v != no_vertex; v = parent[v]) path.push_back(v);
        return {path.rbegin(), path.rend()};
    }
};

namespace detail {
[[noreturn]] inline void bad_weight(vertex_id u, vertex_id v, double w) {
    fail(errc::invalid_argument, "edge " + std::to_string(u) + "->" + std::to_string(v) + " has weight " +
                                     std::to_string(w) + "; shortest paths need finite non-negative weights");
}
} // namespace detail

// Full single-source run, or stop once `target` is settled when given.
template <graph_view G>
[[nodiscard]] sssp_result dijkstra(const G& g, vertex_id source, vertex_id target = no_vertex) {
    const vertex_id n = vertex_count_of(g);
    check_vertex(g, source, "source");
    if (target != no_vertex) check_vertex(g, target, "target");
    sssp_result r{std::vector<double>(n, infinite_distance), std::vector<vertex_id>(n, no_vertex)};
    std::vector<bool> done(n, false);
    using item = std::pair<double, vertex_id>;
    std::priority_queue<item, std::vector<item>, std::greater<>> heap;
    r.distance[source] = 0;
    heap.emplace(0.0, source);
    while (!heap.empty()) {
        const auto [d, u] = heap.top();
        heap.pop();
        if (done[u]) continue;
        done[u] = true;
        if (u == target) break;
        for (const auto& e : g.out_edges(u)) {
            const double w = e.weight;
            const auto v = static_cast<vertex_id>(e.neighbor);
            if (!(w >= 0) || !std::isfinite(w)) detail::bad_weight(u, v, w);
            const double nd = d + w;
            if (nd < r.distance[v]) {
                r.distance[v] = nd;
                r.parent[v] = u;
                heap.emplace(nd, v);
            }
        }
    }
    return r;
}

struct astar_result {
    double cost = infinite_distance;  // infinite_distance when unreachable
    std::vector<vertex_id> path;       // empty when unreachable
};

// A*: heuristic(v) must not overestimate the remaining cost to target
// (admissible) for the result to be optimal; consistent heuristics settle
// each vertex once. The heap orders by (f = g + h, vertex id).
// O((n + m) log n) with a consistent heuristic.
template <graph_view G, class Heuristic>
    requires std::invocable<Heuristic&, vertex_id>
[[nodiscard]] astar_result astar(const G& g, vertex_id source, vertex_id target, Heuristic heuristic) {
    const vertex_id n = vertex_count_of(g);
    check_vertex(g, source, "source");
    check_vertex(g, target, "target");
    std::vector<double> dist(n, infinite_distance);
    std::vector<vertex_id> parent(n, no_vertex);
    std::vector<bool> closed(n, false);
    using item = std::pair<double, vertex_id>;
    std::priority_queue<item, std::vector<item>, std::greater<>> heap;
    dist[source] = 0;
    heap.emplace(static_cast<double>(heuristic(source)), source);
    while (!heap.empty()) {
        const vertex_id u = heap.top().second;
        heap.pop();
        if (closed[u]) continue;
        closed[u] = true;
        if (u == target) break;
        for (const auto& e : g.out_edges(u)) {
            const double w = e.weight;
            const auto v = static_cast<vertex_id>(e.neighbor);
            if (!(w >= 0) || !std::isfinite(w)) detail::bad_weight(u, v, w);
            const double nd = dist[u] + w;
            if (nd < dist[v]) {
                dist[v] = nd;
                parent[v] = u;
                closed[v] = false; // an inconsistent heuristic may reopen a vertex
                heap.emplace(nd + static_cast<double>(heuristic(v)), v);
            }
        }
    }
    astar_result r;
    if (dist[target] == infinite_distance) return r;
    r.cost = dist[target];
    for (vertex_id v = target; v != no_vertex; v = parent[v]) r.path.push_back(v);
    std::reverse(r.path.begin(), r.path.end());
    return r;
}

} // namespace sqlitegraph::algo
