// sqlitegraph/algo/max_flow.hpp — maximum s–t flow and a minimum s–t cut.
//
// Capacities are edge weights (or 1 per edge with unit_capacity), finite and
// >= 0; parallel edges add capacity, self-loops carry nothing. Dinic's
// algorithm: BFS level graph, then blocking flow by an iterative DFS with a
// per-vertex arc cursor (no recursion). O(n^2 m) worst case, O(m sqrt n) on
// unit capacities. The minimum cut returned is the one nearest the source:
// source_side = vertices reachable from s in the final residual graph, and
// cut_edges = input edges from source_side to the rest (sorted edge indices).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sqlitegraph/algo/graph_view.hpp"

namespace sqlitegraph::algo {

struct min_cut_result {
    double value = 0;                  // max flow = min cut capacity
    std::vector<vertex_id> source_side; // sorted, includes s
    std::vector<edge_index> cut_edges;  // sorted
};

template <graph_view G>
[[nodiscard]] min_cut_result min_st_cut(const G& g, vertex_id s, vertex_id t, bool unit_capacity = false) {
    const vertex_id n = vertex_count_of(g);
    check_vertex(g, s, "source");
    check_vertex(g, t, "sink");
    if (s == t) fail(errc::invalid_argument, "min_st_cut: source and sink are both vertex " + std::to_string(s));
    // Residual arcs: arc 2i is input edge i forwards, arc 2i+1 its reverse.
    struct arc {
        vertex_id to;
        double cap;
    };
    std::vector<arc> arcs;
    std::vector<vertex_id> arc_from;
    std::vector<edge_index> arc_edge;
    for (vertex_id u = 0; u < n; ++u) {
        for (const auto& e : g.out_edges(u)) {
            const auto v = static_cast<vertex_id>(e.neighbor);
            if (v == u) continue;
            const double c = unit_capacity ? 1.0 : static_cast<double>(e.weight);
            if (!(c >= 0) || !std::isfinite(c))
                fail(errc::invalid_argument, "edge " + std::to_string(u) + "->" + std::to_string(v) +
                                                 " has capacity " + std::to_string(c) + "; need finite and >= 0");
            arcs.push_back({v, c});
            arcs.push_back({u, 0.0});
            arc_from.push_back(u);
            arc_from.push_back(v);
            arc_edge.push_back(e.index);
        }
    }
    // Adjacency of arc ids per vertex (CSR).
    std::vector<std::size_t> head(static_cast<std::size_t>(n) + 1, 0);
    for (vertex_id f : arc_from) ++head[f + 1];
    for (vertex_id v = 0; v < n; ++v) head[v + 1] += head[v];
    std::vector<std::size_t> adj(arcs.size());
    {
        std::vector<std::size_t> pos(head.begin(), head.end() - 1);
        for (std::size_t a = 0; a < arcs.size(); ++a) adj[pos[arc_from[a]]++] = a;
    }
    std::vector<std::uint32_t> level(n);
    std::vector<std::size_t> cursor(n);
    std::vector<vertex_id> queue;
    std::vector<std::size_t> path; // arc ids from s
    auto bfs = [&] {
        std::fill(level.begin(), level.end(), unreached);
        level[s] = 0;
        queue.assign(1, s);
        for (std::size_t h = 0; h < queue.size(); ++h) {
            const vertex_id u = queue[h];
            for (std::size_t i = head[u]; i < head[u + 1]; ++i) {
                const arc& a = arcs[adj[i]];
                if (a.cap > 0 && level[a.to] == unreached) {
                    level[a.to] = level[u] + 1;
                    queue.push_back(a.to);
                }
            }
        }
        return level[t] != unreached;
    };
    min_cut_result r;
    while (bfs()) {
        std::copy(head.begin(), head.end() - 1, cursor.begin());
        path.clear();
        vertex_id u = s;
        for (;;) {
            if (u == t) {
                double push = std::numeric_limits<double>::infinity();
                for (std::size_t a : path) push = std::min(push, arcs[a].cap);
                for (std::size_t a : path) {
                    arcs[a].cap -= push;
                    arcs[a ^ 1].cap += push;
                }
                r.value += push;
                path.clear();
                u = s;
                continue;
            }
            bool advanced = false;
            for (; cursor[u] < head[u + 1]; ++cursor[u]) {
                const std::size_t a = adj[cursor[u]];
                if (arcs[a].cap > 0 && level[arcs[a].to] == level[u] + 1) {
                    path.push_back(a);
                    u = arcs[a].to;
                    advanced = true;
                    break;
                }
            }
            if (advanced) continue;
            if (u == s) break;
            level[u] = unreached; // dead end for this phase
            const std::size_t a = path.back();
            path.pop_back();
            u = arc_from[a];
            ++cursor[u];
        }
    }
    // Residual reachability from s gives the source side.
    std::vector<bool> side(n, false);
    side[s] = true;
    queue.assign(1, s);
    for (std::size_t h = 0; h < queue.size(); ++h) {
        const vertex_id u = queue[h];
        for (std::size_t i = head[u]; i < head[u + 1]; ++i) {
            const arc& a = arcs[adj[i]];
            if (a.cap > 0 && !side[a.to]) {
                side[a.to] = true;
                queue.push_back(a.to);
            }
        }
    }
    for (vertex_id v = 0; v < n; ++v)
        if (side[v]) r.source_side.push_back(v);
    for (std::size_t i = 0; i < arc_edge.size(); ++i)
        if (side[arc_from[2 * i]] && !side[arcs[2 * i].to]) r.cut_edges.push_back(arc_edge[i]);
    std::sort(r.cut_edges.begin(), r.cut_edges.end());
    return r;
}

} // namespace sqlitegraph::algo
