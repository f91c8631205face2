// sqlitegraph/algo/components.hpp — weakly and strongly connected components.
//
// Both return one label per vertex and the number of components.
// WCC: direction ignored; labels are numbered 0, 1, ... in order of each
//   component's smallest vertex. Union-find with union by smaller root and
//   path halving: O(m α(n)) time, O(n) space; lock-free with threads > 1,
//   same labels for any thread count.
// SCC: Tarjan's algorithm made iterative (an explicit stack of vertices and
//   a per-vertex edge cursor), so a 10 M-vertex path needs no call stack.
//   Labels follow a topological order of the condensation: every edge u->v
//   has scc[u] <= scc[v]. O(n + m) time, about 16 bytes per vertex.
// Both are deterministic functions of the view's vertex and edge order.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

#include "sqlitegraph/algo/graph_view.hpp"
#include "sqlitegraph/algo/parallel.hpp"

namespace sqlitegraph::algo {

struct components_result {
    std::vector<vertex_id> component; // label per vertex
    vertex_id count = 0;
};

// Union-find over the out-edges; every union hangs the larger root under
// the smaller, so each set's root is its smallest vertex and labelling in
// vertex order numbers components by their smallest vertex. With threads > 1
// the edges are cut into fixed blocks and unions are lock-free (a CAS on the
// larger root); the roots, hence the labels, are the same for any thread
// count and any interleaving.
template <graph_view G>
[[nodiscard]] components_result weakly_connected_components(const G& g, unsigned threads = 1) {
    const vertex_id n = vertex_count_of(g);
    std::vector<vertex_id> parent(n);
    for (vertex_id v = 0; v < n; ++v) parent[v] = v;
    if (resolve_threads(threads) <= 1 || n < 4096) {
        auto find = [&](vertex_id x) {
            while (parent[x] != x) {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        };
        for (vertex_id u = 0; u < n; ++u) {
            for_each_out_neighbor(g, u, [&](vertex_id w) {
                vertex_id a = find(u), b = find(w);
                if (a == b) return;
                if (a < b) parent[b] = a;
                else parent[a] = b;
            });
        }
    } else {
        using ref = std::atomic_ref<vertex_id>;
        // Path halving with relaxed CAS: a lost race only skips a shortcut.
        auto find = [&](vertex_id x) {
            for (;;) {
                vertex_id p = ref(parent[x]).load(std::memory_order_relaxed);
                if (p == x) return x;
                vertex_id gp = ref(parent[p]).load(std::memory_order_relaxed);
                if (gp != p) ref(parent[x]).compare_exchange_weak(p, gp, std::memory_order_relaxed);
                x = gp;
            }
        };
        auto unite = [&](vertex_id a, vertex_id b) {
            for (;;) {
                a = find(a);
                b = find(b);
                if (a == b) return;
                if (a > b) std::swap(a, b);
                vertex_id expected = b; // b is still a root
                if (ref(parent[b]).compare_exchange_strong(expected, a, std::memory_order_acq_rel)) return;
            }
        };
        parallel_blocks(n, 16384, threads, [&](std::size_t b, std::size_t e, std::size_t) {
            for (std::size_t u = b; u < e; ++u)
                for_each_out_neighbor(g, static_cast<vertex_id>(u), [&](vertex_id w) {
                    if (static_cast<vertex_id>(u) != w) unite(static_cast<vertex_id>(u), w);
                });
        });
        // Flatten: every vertex points at its root (the smallest in its set).
        parallel_blocks(n, 65536, threads, [&](std::size_t b, std::size_t e, std::size_t) {
            for (std::size_t v = b; v < e; ++v)
                ref(parent[v]).store(find(static_cast<vertex_id>(v)), std::memory_order_relaxed);
        });
    }
    // Roots are each set's smallest vertex, so labelling in vertex order
    // numbers components by their smallest vertex.
    components_result r{std::vector<vertex_id>(n), 0};
    for (vertex_id v = 0; v < n; ++v) {
        vertex_id root = parent[v];
        while (parent[root] != root) root = parent[root];
        r.component[v] = (root == v) ? r.count++ : r.component[root];
    }
    return r;
}

namespace detail {
template <graph_view G>
inline vertex_id out_neighbor_at(const G& g, vertex_id v, std::size_t k) {
    if constexpr (has_neighbor_spans<G>) return g.out_neighbors(v)[k];
    else return static_cast<vertex_id>(g.out_edges(v)[k].neighbor);
}
} // namespace detail

template <graph_view G>
[[nodiscard]] components_result strongly_connected_components(const G& g) {
    const vertex_id n = vertex_count_of(g);
    constexpr vertex_id unvisited = no_vertex;
    std::vector<vertex_id> index(n, unvisited), low(n), comp(n, no_vertex);
    std::vector<std::uint32_t> cursor(n, 0);
    std::vector<vertex_id> call, stack;
    vertex_id counter = 0, found = 0;
    for (vertex_id root = 0; root < n; ++root) {
        if (index[root] != unvisited) continue;
        index[root] = low[root] = counter++;
        stack.push_back(root);
        call.push_back(root);
        while (!call.empty()) {
            const vertex_id v = call.back();
            const std::size_t deg = out_degree(g, v);
            bool descended = false;
            while (cursor[v] < deg) {
                const vertex_id w = detail::out_neighbor_at(g, v, cursor[v]++);
                if (index[w] == unvisited) {
                    index[w] = low[w] = counter++;
                    stack.push_back(w);
                    call.push_back(w);
                    descended = true;
                    break;
                }
                if (comp[w] == no_vertex) low[v] = std::min(low[v], index[w]); // w is on the stack
            }
            if (descended) continue;
            call.pop_back();
            if (low[v] == index[v]) {
                vertex_id w;
                do {
                    w = stack.back();
                    stack.pop_back();
                    comp[w] = found;
                } while (w != v);
                ++found;
            }
            if (!call.empty()) {
                const vertex_id p = call.back();
                low[p] = std::min(low[p], low[v]);
            }
        }
    }
    // Tarjan completes sinks first; reversing gives a topological order.
    for (vertex_id v = 0; v < n; ++v) comp[v] = found - 1 - comp[v];
    return {std::move(comp), found};
}

} // namespace sqlitegraph::algo
