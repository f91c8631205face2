// sqlitegraph/algo/components.hpp — weakly and strongly connected components.
//
// Both return one label per vertex and the number of components.
// WCC: direction ignored; labels are numbered 0, 1, ... in order of each
//   component's smallest vertex. Union-find with union by smaller root and
//   path halving: O(m α(n)) time, O(n) space; on a csr_view the edges are
//   sampled first and the giant component's edges skipped (Afforest);
//   lock-free with threads > 1, same labels for any thread count.
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
#include "sqlitegraph/algo/random.hpp"

namespace sqlitegraph::algo {

struct components_result {
    std::vector<vertex_id> component; // label per vertex
    vertex_id count = 0;
};

namespace detail {

// Union-find over vertex ids where every union hangs the larger root under
// the smaller, so each set's root is its smallest vertex whatever the
// order of the unions. Concurrent: unions and path halving are lock-free (a
// CAS on the larger root; a lost race only skips a shortcut), so threads
// may unite edges in any interleaving and still reach the same roots.
template <bool Concurrent>
class min_root_forest {
  public:
    explicit min_root_forest(vertex_id n) : parent_(n) {
        for (vertex_id v = 0; v < n; ++v) parent_[v] = v;
    }

    [[nodiscard]] vertex_id parent(vertex_id x) {
        if constexpr (Concurrent) return ref(parent_[x]).load(std::memory_order_relaxed);
        else return parent_[x];
    }

    vertex_id find(vertex_id x) {
        for (;;) {
            vertex_id p = parent(x);
            if (p == x) return x;
            const vertex_id gp = parent(p);
            if (gp != p) {
                if constexpr (Concurrent) ref(parent_[x]).compare_exchange_weak(p, gp, std::memory_order_relaxed);
                else parent_[x] = gp;
            }
            x = gp;
        }
    }

    void unite(vertex_id a, vertex_id b) {
        for (;;) {
            a = find(a);
            b = find(b);
            if (a == b) return;
            if (a > b) std::swap(a, b);
            if constexpr (Concurrent) {
                vertex_id expected = b; // b is still a root
                if (ref(parent_[b]).compare_exchange_strong(expected, a, std::memory_order_acq_rel)) return;
            } else {
                parent_[b] = a;
                return;
            }
        }
    }

    // Every vertex pointing at its root.
    void flatten(vertex_id b, vertex_id e) {
        for (vertex_id v = b; v < e; ++v) {
            const vertex_id root = find(v);
            if constexpr (Concurrent) ref(parent_[v]).store(root, std::memory_order_relaxed);
            else parent_[v] = root;
        }
    }

    std::vector<vertex_id>& parents() noexcept { return parent_; }

    // The thread count to give parallel_blocks: the serial forest must
    // stay on the calling thread.
    static unsigned threads_for(unsigned threads) noexcept { return Concurrent ? threads : 1; }

  private:
    using ref = std::atomic_ref<vertex_id>;
    std::vector<vertex_id> parent_;
};

// The root most of a sample of vertices have (after flatten): the giant
// component's, in the graphs where skipping it pays. Only a speed choice;
// any answer gives the same components. parent is not empty.
inline vertex_id most_common_root(const std::vector<vertex_id>& parent) {
    constexpr std::size_t samples = 1024;
    random_source rng(1); // fixed seed: the same sample every run
    std::vector<vertex_id> seen(samples);
    for (auto& root : seen) root = parent[rng.below(parent.size())];
    std::sort(seen.begin(), seen.end());
    vertex_id best = seen[0];
    std::size_t best_run = 0, run = 0;
    for (std::size_t i = 0; i < samples; ++i) {
        run = i > 0 && seen[i] == seen[i - 1] ? run + 1 : 1;
        if (run > best_run) {
            best_run = run;
            best = seen[i];
        }
    }
    return best;
}

// WCC by sampling first (Sutton et al., "Optimizing Parallel Graph
// Connectivity Computation via Subgraph Sampling", IPDPS 2018: Afforest):
// unite every vertex with its first two out-neighbours, which in graphs
// with a giant component already joins most of it; find the root most
// vertices share; then unite every vertex not yet under that root with all
// its neighbours, out and in. An edge whose two ends are both under that
// root joins nothing new, and any other edge is seen from an end that is
// not (from its out-list or its in-list), so the sets come out as with
// every edge; a vertex that joins the root's set meanwhile is connected to
// it, so skipping it then is as safe. Needs the neighbour spans of both
// directions (csr_view).
template <bool Concurrent, has_neighbor_spans G>
void wcc_by_sampling(const G& g, min_root_forest<Concurrent>& forest, unsigned threads) {
    const vertex_id n = vertex_count_of(g);
    if (n == 0) return;
    auto blocks = [&](std::size_t block, auto&& fn) {
        parallel_blocks(n, block, forest.threads_for(threads), [&](std::size_t b, std::size_t e, std::size_t) {
            fn(static_cast<vertex_id>(b), static_cast<vertex_id>(e));
        });
    };
    constexpr std::size_t sampled = 2;
    for (std::size_t k = 0; k < sampled; ++k)
        blocks(16384, [&](vertex_id b, vertex_id e) {
            for (vertex_id u = b; u < e; ++u) {
                const auto out = g.out_neighbors(u);
                if (k < out.size() && out[k] != u) forest.unite(u, out[k]);
            }
        });
    blocks(65536, [&](vertex_id b, vertex_id e) { forest.flatten(b, e); });
    const vertex_id giant = most_common_root(forest.parents());
    const bool symmetric = is_symmetric(g);
    blocks(16384, [&](vertex_id b, vertex_id e) {
        for (vertex_id u = b; u < e; ++u) {
            if (forest.parent(u) == giant) continue;
            const auto out = g.out_neighbors(u);
            for (std::size_t k = sampled; k < out.size(); ++k)
                if (out[k] != u) forest.unite(u, out[k]);
            if (symmetric) continue;
            for (const vertex_id w : g.in_neighbors(u))
                if (w != u) forest.unite(u, w);
        }
    });
}

// Every edge, in vertex order (views without neighbour spans).
template <bool Concurrent, graph_view G>
void wcc_by_edges(const G& g, min_root_forest<Concurrent>& forest, unsigned threads) {
    parallel_blocks(vertex_count_of(g), 16384, forest.threads_for(threads), [&](std::size_t b, std::size_t e, std::size_t) {
        for (std::size_t u = b; u < e; ++u)
            for_each_out_neighbor(g, static_cast<vertex_id>(u), [&](vertex_id w) {
                if (static_cast<vertex_id>(u) != w) forest.unite(static_cast<vertex_id>(u), w);
            });
    });
}

template <bool Concurrent, graph_view G>
std::vector<vertex_id> wcc_roots(const G& g, unsigned threads) {
    min_root_forest<Concurrent> forest(vertex_count_of(g));
    if constexpr (has_neighbor_spans<G>) wcc_by_sampling(g, forest, threads);
    else wcc_by_edges(g, forest, threads);
    return std::move(forest.parents());
}

} // namespace detail

// Union-find with union by smaller root (detail::min_root_forest), so each
// set's root is its smallest vertex and labelling in vertex order numbers
// components by their smallest vertex. On a view with neighbour spans
// (csr_view) the edges are sampled first (detail::wcc_by_sampling), else
// every out-edge is united in vertex order. With threads > 1 the vertices
// are cut into fixed blocks and unions are lock-free; the roots, hence the
// labels, are the same for any thread count and any interleaving.
template <graph_view G>
[[nodiscard]] components_result weakly_connected_components(const G& g, unsigned threads = 1) {
    const vertex_id n = vertex_count_of(g);
    const bool concurrent = resolve_threads(threads) > 1 && n >= 4096;
    const std::vector<vertex_id> parent =
        concurrent ? detail::wcc_roots<true>(g, threads) : detail::wcc_roots<false>(g, threads);
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
