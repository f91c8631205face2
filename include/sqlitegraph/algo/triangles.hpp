// sqlitegraph/algo/triangles.hpp — triangle counts per vertex, total
// triangles and the local clustering coefficient, direction ignored (the
// simple undirected graph underneath: CLI.md "triangles").
//
// Algorithm: orient every undirected edge from lower to higher (degree, id)
// rank, so each vertex keeps at most O(sqrt m) forward neighbours; for each
// u, mark its forward neighbours and, for each forward neighbour w, count
// w's forward neighbours that are marked. Each triangle is found exactly
// once, from its lowest-ranked corner. O(m^1.5) worst case, O(n + m) space.
// Parallel over u in fixed blocks; counts are integers (atomic adds when
// threads > 1), so every thread count gives identical output.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <numeric>
#include <vector>

#include "sqlitegraph/algo/csr_view.hpp"
#include "sqlitegraph/algo/parallel.hpp"
#include "sqlitegraph/algo/simple_undirected.hpp"

namespace sqlitegraph::algo {

namespace detail {
// Calls f(u) with the simple undirected graph: g itself when it already is a
// symmetric csr_view (taken to be simple, as simple_undirected produces it),
// else a derived one.
template <graph_view G, class F>
decltype(auto) with_simple_undirected(const G& g, F&& f) {
    if constexpr (std::is_same_v<G, csr_view>) {
        if (g.symmetric()) return f(g);
    }
    const csr_view u = simple_undirected(g);
    return f(u);
}
} // namespace detail

// Triangles through each vertex of a symmetric csr_view that is simple (no
// loops, no duplicate neighbours), as simple_undirected() makes it.
inline std::vector<std::uint64_t> triangles_undirected(const csr_view& u, unsigned threads = 1) {
    const auto n = static_cast<vertex_id>(u.vertex_count());
    auto before = [&](vertex_id a, vertex_id b) {
        const auto da = u.out_degree(a), db = u.out_degree(b);
        return da < db || (da == db && a < b);
    };
    // Forward (higher-rank) neighbours as a CSR of their own.
    std::vector<edge_index> off(static_cast<std::size_t>(n) + 1, 0);
    for (vertex_id a = 0; a < n; ++a) {
        std::size_t c = 0;
        for (vertex_id b : u.out_neighbors(a)) c += before(a, b);
        off[a + 1] = off[a] + c;
    }
    std::vector<vertex_id> fwd(off[n]);
    for (vertex_id a = 0; a < n; ++a) {
        edge_index p = off[a];
        for (vertex_id b : u.out_neighbors(a))
            if (before(a, b)) fwd[p++] = b;
    }
    std::vector<std::uint64_t> count(n, 0);
    const bool parallel = resolve_threads(threads) > 1;
    parallel_blocks(n, 2048, threads, [&](std::size_t b, std::size_t e, std::size_t) {
        std::vector<vertex_id> mark(n, no_vertex);
        for (std::size_t ai = b; ai < e; ++ai) {
            const auto a = static_cast<vertex_id>(ai);
            const edge_index a0 = off[a], a1 = off[a + 1];
            if (a1 - a0 < 2) continue;
            for (edge_index p = a0; p < a1; ++p) mark[fwd[p]] = a;
            std::uint64_t mine = 0;
            for (edge_index p = a0; p < a1; ++p) {
                const vertex_id w = fwd[p];
                std::uint64_t through_w = 0;
                for (edge_index q = off[w], qe = off[w + 1]; q < qe; ++q) {
                    const vertex_id x = fwd[q];
                    if (mark[x] == a) {
                        ++through_w;
                        if (parallel) std::atomic_ref<std::uint64_t>(count[x]).fetch_add(1, std::memory_order_relaxed);
                        else ++count[x];
                    }
                }
                mine += through_w;
                if (through_w) {
                    if (parallel) std::atomic_ref<std::uint64_t>(count[w]).fetch_add(through_w, std::memory_order_relaxed);
                    else count[w] += through_w;
                }
            }
            if (mine) {
                if (parallel) std::atomic_ref<std::uint64_t>(count[a]).fetch_add(mine, std::memory_order_relaxed);
                else count[a] += mine;
            }
        }
    });
    return count;
}

template <graph_view G>
[[nodiscard]] std::vector<std::uint64_t> triangles(const G& g, unsigned threads = 1) {
    return detail::with_simple_undirected(g, [&](const csr_view& u) { return triangles_undirected(u, threads); });
}

// Number of distinct triangles in the simple undirected graph.
template <graph_view G>
[[nodiscard]] std::uint64_t triangle_count(const G& g, unsigned threads = 1) {
    const auto t = triangles(g, threads);
    return std::accumulate(t.begin(), t.end(), std::uint64_t{0}) / 3;
}

// c(v) = 2 T(v) / (d(v) (d(v) - 1)) with d the undirected simple degree;
// 0 when d < 2.
template <graph_view G>
[[nodiscard]] std::vector<double> local_clustering(const G& g, unsigned threads = 1) {
    return detail::with_simple_undirected(g, [&](const csr_view& u) {
        const auto t = triangles_undirected(u, threads);
        std::vector<double> c(t.size(), 0.0);
        for (vertex_id v = 0; v < t.size(); ++v) {
            const double d = static_cast<double>(u.out_degree(v));
            if (d >= 2) c[v] = 2.0 * static_cast<double>(t[v]) / (d * (d - 1));
        }
        return c;
    });
}

} // namespace sqlitegraph::algo
