// sqlitegraph/algo/paths.hpp — path sets: every shortest path between two
// vertices, and enumeration of simple paths, both bounded by the caller.
//
// Paths are vertex sequences; parallel edges do not multiply paths (a path is
// its vertices, not its edges). Output order is lexicographic by vertex id,
// so it is deterministic and a limit keeps a well-defined prefix.
// Both walks use an explicit stack; nothing recurses.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sqlitegraph/algo/bfs.hpp"
#include "sqlitegraph/algo/graph_view.hpp"

namespace sqlitegraph::algo {

namespace detail {
// Sorted distinct out-neighbours of v, excluding v itself.
template <graph_view G>
void sorted_out_neighbors(const G& g, vertex_id v, std::vector<vertex_id>& out) {
    out.clear();
    for_each_out_neighbor(g, v, [&](vertex_id w) {
        if (w != v) out.push_back(w);
    });
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}
} // namespace detail

// All shortest (fewest-hop) source→target paths, at most max_paths of them.
// Two BFS runs restrict the walk to the shortest-path DAG, so the work is
// O(n + m) plus O(length) per path produced.
template <graph_view G>
[[nodiscard]] std::vector<std::vector<vertex_id>> all_shortest_paths(const G& g, vertex_id source, vertex_id target,
                                                                     std::size_t max_paths = 1000) {
    check_vertex(g, source, "source");
    check_vertex(g, target, "target");
    std::vector<std::vector<vertex_id>> paths;
    if (max_paths == 0) return paths;
    if (source == target) return {{source}};
    const auto ds = bfs_depths(g, source);
    if (ds[target] == unreached) return paths;
    bfs_options back;
    back.dir = direction::in;
    const auto dt = bfs_depths(g, target, back);
    const std::uint32_t len = ds[target];
    // DFS over the DAG of edges u->w with ds[w] = ds[u] + 1 and dt[w] = dt[u] - 1.
    struct frame {
        vertex_id v;
        std::vector<vertex_id> next;
        std::size_t cursor;
    };
    std::vector<frame> stack;
    std::vector<vertex_id> scratch;
    auto children = [&](vertex_id u) {
        detail::sorted_out_neighbors(g, u, scratch);
        std::vector<vertex_id> keep;
        for (vertex_id w : scratch)
            if (ds[w] == ds[u] + 1 && dt[w] != unreached && dt[w] + ds[w] == len) keep.push_back(w);
        return keep;
    };
    stack.push_back({source, children(source), 0});
    while (!stack.empty() && paths.size() < max_paths) {
        frame& f = stack.back();
        if (f.v == target) {
            std::vector<vertex_id> p;
            p.reserve(stack.size());
            for (const auto& s : stack) p.push_back(s.v);
            paths.push_back(std::move(p));
            stack.pop_back();
            continue;
        }
        if (f.cursor == f.next.size()) {
            stack.pop_back();
            continue;
        }
        const vertex_id w = f.next[f.cursor++];
        stack.push_back({w, children(w), 0});
    }
    return paths;
}

struct path_limits {
    std::uint32_t max_length = 10;    // edges per path
    std::size_t max_paths = 10000;    // stop after this many paths
};

// Simple paths (no repeated vertex) from source to target with at most
// max_length edges, in lexicographic order, up to max_paths of them.
// Exponential in the worst case by nature; the limits bound it:
// O(max_paths · max_length · d) beyond the dead-end exploration.
template <graph_view G>
[[nodiscard]] std::vector<std::vector<vertex_id>> simple_paths(const G& g, vertex_id source, vertex_id target,
                                                               path_limits limits = {}) {
    const vertex_id n = vertex_count_of(g);
    check_vertex(g, source, "source");
    check_vertex(g, target, "target");
    std::vector<std::vector<vertex_id>> paths;
    if (limits.max_paths == 0) return paths;
    if (source == target) return {{source}};
    std::vector<bool> on_path(n, false);
    struct frame {
        vertex_id v;
        std::vector<vertex_id> next;
        std::size_t cursor;
    };
    std::vector<frame> stack;
    std::vector<vertex_id> scratch;
    auto push = [&](vertex_id v) {
        on_path[v] = true;
        frame f{v, {}, 0};
        if (v != target && stack.size() < limits.max_length) {
            detail::sorted_out_neighbors(g, v, scratch);
            f.next = scratch;
        }
        stack.push_back(std::move(f));
    };
    push(source);
    while (!stack.empty() && paths.size() < limits.max_paths) {
        frame& f = stack.back();
        if (f.v == target) {
            std::vector<vertex_id> p;
            for (const auto& s : stack) p.push_back(s.v);
            paths.push_back(std::move(p));
        }
        if (f.v == target || f.cursor == f.next.size()) {
            on_path[f.v] = false;
            stack.pop_back();
            continue;
        }
        const vertex_id w = f.next[f.cursor++];
        if (!on_path[w]) push(w);
    }
    return paths;
}

} // namespace sqlitegraph::algo
