// sqlitegraph/algo/kcore.hpp — k-core decomposition: the core number of
// every vertex, direction ignored (CLI.md "kcore").
//
// Core number of v = the largest k such that v belongs to a subgraph where
// every vertex has degree >= k, on the simple undirected graph underneath.
// Batagelj–Zaversnik bucket peeling: O(n + m) time, O(n) extra space.
// Deterministic (no choices affect the result, which is unique).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sqlitegraph/algo/triangles.hpp"

namespace sqlitegraph::algo {

inline std::vector<std::uint32_t> core_numbers_undirected(const csr_view& u) {
    const auto n = static_cast<vertex_id>(u.vertex_count());
    std::vector<std::uint32_t> deg(n);
    std::uint32_t max_deg = 0;
    for (vertex_id v = 0; v < n; ++v) {
        deg[v] = static_cast<std::uint32_t>(u.out_degree(v));
        max_deg = std::max(max_deg, deg[v]);
    }
    // Vertices sorted by degree with bucket starts; pos[v] is v's slot.
    std::vector<vertex_id> bin(static_cast<std::size_t>(max_deg) + 2, 0), vert(n), pos(n);
    for (vertex_id v = 0; v < n; ++v) ++bin[deg[v] + 1];
    for (std::size_t d = 1; d < bin.size(); ++d) bin[d] += bin[d - 1];
    {
        std::vector<vertex_id> next(bin.begin(), bin.end() - 1);
        for (vertex_id v = 0; v < n; ++v) {
            pos[v] = next[deg[v]]++;
            vert[pos[v]] = v;
        }
    }
    for (vertex_id i = 0; i < n; ++i) {
        const vertex_id v = vert[i];
        for (vertex_id w : u.out_neighbors(v)) {
            if (deg[w] > deg[v]) {
                // Move w to the front of its bucket, then shrink the bucket.
                const std::uint32_t dw = deg[w];
                const vertex_id pw = pos[w], ps = bin[dw];
                const vertex_id s = vert[ps];
                if (s != w) {
                    vert[pw] = s;
                    pos[s] = pw;
                    vert[ps] = w;
                    pos[w] = ps;
                }
                ++bin[dw];
                --deg[w];
            }
        }
    }
    return deg;
}

template <graph_view G>
[[nodiscard]] std::vector<std::uint32_t> core_numbers(const G& g) {
    return detail::with_simple_undirected(g, [](const csr_view& u) { return core_numbers_undirected(u); });
}

} // namespace sqlitegraph::algo
