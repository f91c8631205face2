// sqlitegraph/algo/parallel_bfs.hpp — multi-threaded, direction-optimising
// BFS depths (Beamer, Asanović, Patterson, SC'12).
//
// Each level runs either top-down (frontier vertices push to unvisited
// out-neighbours, claiming them with a compare-and-swap) or bottom-up (every
// unvisited vertex looks for an in-neighbour in the frontier and stops at the
// first). Bottom-up wins when the frontier holds a large share of the
// remaining edges, as in the middle levels of a small-world graph. The
// heuristic: go bottom-up when frontier edges > unexplored edges / alpha,
// back to top-down when the frontier has fewer than n / beta vertices.
//
// Output: depth per vertex, identical to bfs_depths() for any thread count,
// since a BFS depth does not depend on which parent found the vertex first.
// All shared depth reads and writes are atomic (relaxed), so the routine is
// ThreadSanitizer-clean. O(n + m) work per run, O(n) extra space.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "sqlitegraph/algo/graph_view.hpp"
#include "sqlitegraph/algo/parallel.hpp"

namespace sqlitegraph::algo {

struct parallel_bfs_options {
    unsigned threads = 1;
    double alpha = 15.0;
    double beta = 18.0;
    bool direction_optimizing = true;
};

template <graph_view G>
[[nodiscard]] std::vector<std::uint32_t> parallel_bfs_depths(const G& g, vertex_id source,
                                                            const parallel_bfs_options& opt = {}) {
    const vertex_id n = vertex_count_of(g);
    check_vertex(g, source, "bfs source");
    std::vector<std::uint32_t> depth(n, unreached);
    auto load = [&](vertex_id v) { return std::atomic_ref<std::uint32_t>(depth[v]).load(std::memory_order_relaxed); };
    auto store = [&](vertex_id v, std::uint32_t d) {
        std::atomic_ref<std::uint32_t>(depth[v]).store(d, std::memory_order_relaxed);
    };
    depth[source] = 0;
    std::vector<vertex_id> frontier{source};
    std::size_t total_edges = 0;
    for (vertex_id v = 0; v < n; ++v) total_edges += out_degree(g, v);
    std::size_t explored_edges = 0;
    constexpr std::size_t block = 1024;
    std::uint32_t level = 0;
    bool bottom_up = false;
    std::vector<std::vector<vertex_id>> next_parts;
    std::size_t frontier_size = 1;
    std::size_t frontier_edges = out_degree(g, source);

    while (frontier_size != 0) {
        if (opt.direction_optimizing) {
            const double unexplored = static_cast<double>(total_edges - std::min(total_edges, explored_edges));
            if (!bottom_up && static_cast<double>(frontier_edges) > unexplored / opt.alpha) bottom_up = true;
            else if (bottom_up && static_cast<double>(frontier_size) < static_cast<double>(n) / opt.beta)
                bottom_up = false;
        }
        explored_edges += frontier_edges;
        const std::uint32_t next_level = level + 1;
        if (!bottom_up) {
            if (frontier.empty()) { // coming back from bottom-up: collect the frontier
                for (vertex_id v = 0; v < n; ++v)
                    if (depth[v] == level) frontier.push_back(v);
            }
            next_parts.assign(block_count(frontier.size(), block), {});
            parallel_blocks(frontier.size(), block, opt.threads, [&](std::size_t b, std::size_t e, std::size_t k) {
                auto& out = next_parts[k];
                for (std::size_t i = b; i < e; ++i) {
                    for_each_out_neighbor(g, frontier[i], [&](vertex_id w) {
                        if (load(w) != unreached) return;
                        std::uint32_t expected = unreached;
                        if (std::atomic_ref<std::uint32_t>(depth[w]).compare_exchange_strong(
                                expected, next_level, std::memory_order_relaxed))
                            out.push_back(w);
                    });
                }
            });
            frontier.clear();
            for (auto& part : next_parts) frontier.insert(frontier.end(), part.begin(), part.end());
            frontier_size = frontier.size();
            frontier_edges = 0;
            for (vertex_id v : frontier) frontier_edges += out_degree(g, v);
        } else {
            frontier.clear();
            const std::size_t blocks = block_count(n, block * 16);
            std::vector<std::size_t> found(blocks, 0), found_edges(blocks, 0);
            parallel_blocks(n, block * 16, opt.threads, [&](std::size_t b, std::size_t e, std::size_t k) {
                std::size_t c = 0, ce = 0;
                for (std::size_t v = b; v < e; ++v) {
                    if (load(static_cast<vertex_id>(v)) != unreached) continue;
                    bool hit = false;
                    if constexpr (has_neighbor_spans<G>) {
                        for (vertex_id u : g.in_neighbors(static_cast<vertex_id>(v)))
                            if (load(u) == level) { hit = true; break; }
                    } else {
                        for (const auto& ed : g.in_edges(static_cast<vertex_id>(v)))
                            if (load(static_cast<vertex_id>(ed.neighbor)) == level) { hit = true; break; }
                    }
                    if (hit) {
                        store(static_cast<vertex_id>(v), next_level);
                        ++c;
                        ce += out_degree(g, static_cast<vertex_id>(v));
                    }
                }
                found[k] = c;
                found_edges[k] = ce;
            });
            frontier_size = 0;
            frontier_edges = 0;
            for (std::size_t k = 0; k < blocks; ++k) {
                frontier_size += found[k];
                frontier_edges += found_edges[k];
            }
        }
        level = next_level;
    }
    return depth;
}

} // namespace sqlitegraph::algo
