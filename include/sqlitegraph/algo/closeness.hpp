// sqlitegraph/algo/closeness.hpp — closeness centrality by hop distance.
//
// For vertex u with r vertices (itself included) at finite distance and
// distance sum D: closeness = (r-1)/D · (r-1)/(n-1) (Wasserman–Faust, which
// keeps scores comparable across components), 0 when D = 0 or n = 1.
// Distances are measured along `dir`: direction::in (the default) uses the
// distance from every other vertex *to* u, as networkx does for directed
// graphs; direction::out the distance from u; a symmetric view makes them
// equal. One BFS per vertex: O(n · (n + m)); vertices are processed in
// parallel blocks and each writes only its own score, so any thread count
// gives identical output.
#pragma once

#include <cstdint>
#include <vector>

#include "sqlitegraph/algo/graph_view.hpp"
#include "sqlitegraph/algo/parallel.hpp"

namespace sqlitegraph::algo {

template <graph_view G>
[[nodiscard]] std::vector<double> closeness(const G& g, direction dir = direction::in, unsigned threads = 1) {
    const vertex_id n = vertex_count_of(g);
    std::vector<double> score(n, 0.0);
    parallel_blocks(n, 64, threads, [&](std::size_t b, std::size_t e, std::size_t) {
        std::vector<std::uint32_t> dist(n, unreached);
        std::vector<vertex_id> queue;
        for (std::size_t ui = b; ui < e; ++ui) {
            const auto u = static_cast<vertex_id>(ui);
            queue.assign(1, u);
            dist[u] = 0;
            std::uint64_t total = 0;
            for (std::size_t h = 0; h < queue.size(); ++h) {
                const vertex_id v = queue[h];
                for_each_neighbor(g, v, dir, [&](vertex_id w) {
                    if (dist[w] == unreached) {
                        dist[w] = dist[v] + 1;
                        total += dist[w];
                        queue.push_back(w);
                    }
                });
            }
            const double r1 = static_cast<double>(queue.size() - 1);
            if (total > 0 && n > 1) score[u] = (r1 / static_cast<double>(total)) * (r1 / static_cast<double>(n - 1));
            for (vertex_id v : queue) dist[v] = unreached;
        }
    });
    return score;
}

} // namespace sqlitegraph::algo
