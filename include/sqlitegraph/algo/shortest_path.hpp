// sqlitegraph/algo/shortest_path.hpp — one shortest path by hop count:
// plain BFS with early exit, and bidirectional BFS.
//
// Paths are vertex sequences from source to target inclusive; empty when the
// target is unreachable; {source} when source == target. Tie-breaking: among
// equally short paths, BFS returns the one whose every vertex was discovered
// first (edges taken in view order). Bidirectional BFS expands whole levels
// from the smaller side and, among the meeting vertices of the first level
// where the two searches touch, picks the smallest vertex id, so its result
// is deterministic but may differ from plain BFS when several paths tie.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sqlitegraph/algo/graph_view.hpp"

namespace sqlitegraph::algo {

namespace detail {
inline std::vector<vertex_id> walk_parents(const std::vector<vertex_id>& parent, vertex_id from) {
    std::vector<vertex_id> path;
    for (vertex_id v = from; v != no_vertex; v = parent[v]) path.push_back(v);
    return path;
}
} // namespace detail

// O(n + m) worst case; stops as soon as the target is discovered.
template <graph_view G>
[[nodiscard]] std::vector<vertex_id> shortest_path(const G& g, vertex_id source, vertex_id target,
                                                   direction dir = direction::out) {
    const vertex_id n = vertex_count_of(g);
    check_vertex(g, source, "source");
    check_vertex(g, target, "target");
    if (source == target) return {source};
    std::vector<vertex_id> parent(n, no_vertex);
    std::vector<bool> seen(n, false);
    std::vector<vertex_id> queue{source};
    seen[source] = true;
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const vertex_id u = queue[head];
        bool done = false;
        for_each_neighbor(g, u, dir, [&](vertex_id w) {
            if (done || seen[w]) return;
            seen[w] = true;
            parent[w] = u;
            if (w == target) done = true;
            queue.push_back(w);
        });
        if (done) {
            auto path = detail::walk_parents(parent, target);
            std::reverse(path.begin(), path.end());
            return path;
        }
    }
    return {};
}

// Bidirectional BFS: forward from source over out-edges, backward from
// target over in-edges. Explores roughly 2·b^(d/2) instead of b^d vertices on
// graphs with branching factor b. O(n + m) worst case.
template <graph_view G>
[[nodiscard]] std::vector<vertex_id> bidirectional_shortest_path(const G& g, vertex_id source, vertex_id target) {
    const vertex_id n = vertex_count_of(g);
    check_vertex(g, source, "source");
    check_vertex(g, target, "target");
    if (source == target) return {source};
    std::vector<vertex_id> parent_f(n, no_vertex), parent_b(n, no_vertex);
    std::vector<std::uint8_t> side(n, 0); // bit 1: reached forward, bit 2: reached backward
    side[source] |= 1;
    side[target] |= 2;
    std::vector<vertex_id> front_f{source}, front_b{target}, next;
    std::size_t edges_f = out_degree(g, source), edges_b = in_degree(g, target);
    while (!front_f.empty() && !front_b.empty()) {
        const bool forward = edges_f <= edges_b;
        auto& front = forward ? front_f : front_b;
        auto& parent = forward ? parent_f : parent_b;
        const std::uint8_t mine = forward ? 1 : 2, theirs = forward ? 2 : 1;
        next.clear();
        vertex_id meet = no_vertex;
        std::size_t next_edges = 0;
        for (vertex_id u : front) {
            auto visit = [&](vertex_id w) {
                if (side[w] & mine) return;
                side[w] |= mine;
                parent[w] = u;
                if (side[w] & theirs) meet = std::min(meet, w);
                next.push_back(w);
                next_edges += forward ? out_degree(g, w) : in_degree(g, w);
            };
            if (forward) for_each_out_neighbor(g, u, visit);
            else for_each_in_neighbor(g, u, visit);
        }
        if (meet != no_vertex) {
            auto path = detail::walk_parents(parent_f, meet);
            std::reverse(path.begin(), path.end());
            for (vertex_id v = parent_b[meet]; v != no_vertex; v = parent_b[v]) path.push_back(v);
            return path;
        }
        front.swap(next);
        (forward ? edges_f : edges_b) = next_edges;
    }
    return {};
}

} // namespace sqlitegraph::algo
