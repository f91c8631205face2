// sqlitegraph/algo/bfs.hpp — breadth-first depths, depth-limited BFS and
// k-hop neighbourhoods (materialised results; see traversal.hpp for the lazy
// iterators and parallel_bfs.hpp for the multi-threaded variant).
//
// Depth of v = the fewest edges on a path from any source to v (hops; weights
// ignored); `unreached` when there is none or when it exceeds max_depth.
// Parallel edges and self-loops change nothing. O(n + m) time, O(n) space.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "sqlitegraph/algo/edge_filter.hpp"
#include "sqlitegraph/algo/graph_view.hpp"

namespace sqlitegraph::algo {

struct bfs_options {
    direction dir = direction::out;
    std::uint32_t max_depth = unreached;
    type_filter types{};
};

// Depth from the nearest source for every vertex.
template <graph_view G>
[[nodiscard]] std::vector<std::uint32_t> bfs_depths(const G& g, std::span<const vertex_id> sources,
                                                   const bfs_options& opt = {}) {
    const vertex_id n = vertex_count_of(g);
    std::vector<std::uint32_t> depth(n, unreached);
    std::vector<vertex_id> queue;
    queue.reserve(std::min<std::size_t>(n, 1u << 20));
    for (vertex_id s : sources) {
        check_vertex(g, s, "bfs source");
        if (depth[s] == unreached) {
            depth[s] = 0;
            queue.push_back(s);
        }
    }
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const vertex_id u = queue[head];
        const std::uint32_t d = depth[u];
        if (d >= opt.max_depth) continue;
        for_each_filtered_neighbor(g, u, opt.dir, opt.types, [&](vertex_id w) {
            if (depth[w] == unreached) {
                depth[w] = d + 1;
                queue.push_back(w);
            }
        });
    }
    return depth;
}

template <graph_view G>
[[nodiscard]] std::vector<std::uint32_t> bfs_depths(const G& g, vertex_id source, const bfs_options& opt = {}) {
    return bfs_depths(g, std::span<const vertex_id>(&source, 1), opt);
}

// Vertices at 1..k hops from source (the source itself excluded), following
// only edges whose type passes the filter; sorted by vertex id.
template <graph_view G>
[[nodiscard]] std::vector<vertex_id> k_hop(const G& g, vertex_id source, std::uint32_t k, type_filter types = {},
                                           direction dir = direction::out) {
    bfs_options opt;
    opt.dir = dir;
    opt.max_depth = k;
    opt.types = std::move(types);
    const auto depth = bfs_depths(g, source, opt);
    std::vector<vertex_id> out;
    for (vertex_id v = 0; v < depth.size(); ++v)
        if (depth[v] != unreached && depth[v] != 0) out.push_back(v);
    return out;
}

} // namespace sqlitegraph::algo
