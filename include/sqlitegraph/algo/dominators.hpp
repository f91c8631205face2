// sqlitegraph/algo/dominators.hpp — control-flow analysis: dominators,
// post-dominators, dominance frontiers and natural loops.
//
// Vertex d dominates v when every path from the root to v passes through d.
// immediate_dominators returns idom[v] for every vertex reachable from the
// root, idom[root] = root (CLI.md "dominators"), no_vertex for unreachable
// vertices. Algorithm: Cooper, Harvey & Kennedy, "A Simple, Fast Dominance
// Algorithm" (2001): iterate idom intersections in reverse postorder until
// nothing changes. O(n + m) per pass, few passes on real control-flow
// graphs (the bound is O(n · m)); the reverse postorder comes from an
// iterative DFS, so deep graphs are fine. Result is unique, so deterministic.
// Post-dominators are dominators of the reversed graph, rooted at the exit.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sqlitegraph/algo/graph_view.hpp"
#include "sqlitegraph/algo/reverse_view.hpp"

namespace sqlitegraph::algo {

namespace detail {
// Postorder of the vertices reachable from root (iterative DFS, out-edges in
// view order).
template <graph_view G>
std::vector<vertex_id> postorder_from(const G& g, vertex_id root) {
    const vertex_id n = vertex_count_of(g);
    std::vector<bool> seen(n, false);
    std::vector<std::pair<vertex_id, std::size_t>> stack{{root, 0}};
    std::vector<vertex_id> post;
    seen[root] = true;
    while (!stack.empty()) {
        auto& [v, k] = stack.back();
        const auto row = g.out_edges(v);
        if (k < std::ranges::size(row)) {
            const auto w = static_cast<vertex_id>(row[k++].neighbor);
            if (!seen[w]) {
                seen[w] = true;
                stack.emplace_back(w, 0);
            }
        } else {
            post.push_back(v);
            stack.pop_back();
        }
    }
    return post;
}
} // namespace detail

template <graph_view G>
[[nodiscard]] std::vector<vertex_id> immediate_dominators(const G& g, vertex_id root) {
    const vertex_id n = vertex_count_of(g);
    check_vertex(g, root, "root");
    const auto post = detail::postorder_from(g, root);
    std::vector<std::uint32_t> po(n, unreached);
    for (std::uint32_t i = 0; i < post.size(); ++i) po[post[i]] = i;
    std::vector<vertex_id> idom(n, no_vertex);
    idom[root] = root;
    auto intersect = [&](vertex_id a, vertex_id b) {
        while (a != b) {
            while (po[a] < po[b]) a = idom[a];
            while (po[b] < po[a]) b = idom[b];
        }
        return a;
    };
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = post.size(); i-- > 0;) { // reverse postorder
            const vertex_id v = post[i];
            if (v == root) continue;
            vertex_id best = no_vertex;
            for_each_in_neighbor(g, v, [&](vertex_id p) {
                if (po[p] == unreached || idom[p] == no_vertex) return;
                best = best == no_vertex ? p : intersect(p, best);
            });
            if (best != idom[v]) {
                idom[v] = best;
                changed = true;
            }
        }
    }
    return idom;
}

// Immediate post-dominators with respect to `exit`: ipdom[v] for every
// vertex that can reach exit, ipdom[exit] = exit.
template <graph_view G>
[[nodiscard]] std::vector<vertex_id> immediate_post_dominators(const G& g, vertex_id exit) {
    return immediate_dominators(reverse_view<G>(g), exit);
}

// Dominance frontier of each vertex (sorted): the vertices w where v's
// dominance ends — v dominates a predecessor of w but not strictly w.
// Empty for unreachable vertices. O(n + m + size of the frontiers).
template <graph_view G>
[[nodiscard]] std::vector<std::vector<vertex_id>> dominance_frontiers(const G& g, vertex_id root) {
    const auto idom = immediate_dominators(g, root);
    const vertex_id n = vertex_count_of(g);
    std::vector<std::vector<vertex_id>> df(n);
    std::vector<vertex_id> preds;
    for (vertex_id b = 0; b < n; ++b) {
        if (idom[b] == no_vertex) continue;
        preds.clear();
        for_each_in_neighbor(g, b, [&](vertex_id p) {
            if (idom[p] != no_vertex) preds.push_back(p);
        });
        std::sort(preds.begin(), preds.end());
        preds.erase(std::unique(preds.begin(), preds.end()), preds.end());
        if (preds.size() < 2) continue;
        for (vertex_id p : preds) {
            for (vertex_id runner = p; runner != idom[b]; runner = idom[runner]) {
                df[runner].push_back(b);
                if (runner == root) break;
            }
        }
    }
    for (auto& f : df) {
        std::sort(f.begin(), f.end());
        f.erase(std::unique(f.begin(), f.end()), f.end());
    }
    return df;
}

struct natural_loop {
    vertex_id header;
    std::vector<vertex_id> latches; // sources of the back edges into header, sorted
    std::vector<vertex_id> body;    // header included, sorted
};

// Natural loops: a back edge u->h is one whose target dominates its source;
// the loop of h is h plus every vertex that reaches a latch without passing
// through h. Back edges sharing a header make one loop. Loops are sorted by
// header. O(n + m) per loop after the dominator computation.
template <graph_view G>
[[nodiscard]] std::vector<natural_loop> natural_loops(const G& g, vertex_id root) {
    const auto idom = immediate_dominators(g, root);
    const vertex_id n = vertex_count_of(g);
    // Pre/post numbers on the dominator tree answer "d dominates v" in O(1).
    std::vector<std::vector<vertex_id>> kids(n);
    for (vertex_id v = 0; v < n; ++v)
        if (idom[v] != no_vertex && v != root) kids[idom[v]].push_back(v);
    std::vector<std::uint32_t> pre(n, 0), last(n, 0);
    {
        std::uint32_t clock = 0;
        std::vector<std::pair<vertex_id, std::size_t>> stack{{root, 0}};
        pre[root] = clock++;
        while (!stack.empty()) {
            auto& [v, k] = stack.back();
            if (k < kids[v].size()) {
                const vertex_id c = kids[v][k++];
                pre[c] = clock++;
                stack.emplace_back(c, 0);
            } else {
                last[v] = clock - 1;
                stack.pop_back();
            }
        }
    }
    auto dominates = [&](vertex_id d, vertex_id v) { return pre[d] <= pre[v] && pre[v] <= last[d]; };
    std::vector<std::vector<vertex_id>> latches(n);
    for (vertex_id u = 0; u < n; ++u) {
        if (idom[u] == no_vertex) continue;
        for_each_out_neighbor(g, u, [&](vertex_id h) {
            if (idom[h] != no_vertex && dominates(h, u)) latches[h].push_back(u);
        });
    }
    std::vector<natural_loop> loops;
    std::vector<vertex_id> stamp(n, no_vertex), stack;
    for (vertex_id h = 0; h < n; ++h) {
        if (latches[h].empty()) continue;
        natural_loop loop{h, latches[h], {h}};
        std::sort(loop.latches.begin(), loop.latches.end());
        loop.latches.erase(std::unique(loop.latches.begin(), loop.latches.end()), loop.latches.end());
        stamp[h] = h;
        stack.clear();
        for (vertex_id l : loop.latches)
            if (stamp[l] != h) {
                stamp[l] = h;
                stack.push_back(l);
                loop.body.push_back(l);
            }
        while (!stack.empty()) {
            const vertex_id x = stack.back();
            stack.pop_back();
            for_each_in_neighbor(g, x, [&](vertex_id p) {
                if (stamp[p] != h && idom[p] != no_vertex) {
                    stamp[p] = h;
                    stack.push_back(p);
                    loop.body.push_back(p);
                }
            });
        }
        std::sort(loop.body.begin(), loop.body.end());
        loops.push_back(std::move(loop));
    }
    return loops;
}

} // namespace sqlitegraph::algo
