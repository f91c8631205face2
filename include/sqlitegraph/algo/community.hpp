// sqlitegraph/algo/community.hpp — community detection, direction ignored:
// modularity, Louvain and label propagation (CLI.md "louvain",
// "label-propagation").
//
// All three work on the simple undirected graph underneath the view, with
// unit weights, or, when `weighted` is set, with the summed weights of the
// edges joining each pair (simple_undirected with undirected_weights::sum).
// Community labels are renumbered 0, 1, ... in order of each community's
// smallest vertex. Louvain and label propagation visit vertices in a seeded
// shuffled order: for a given seed the output is fixed (they are
// single-threaded), but different seeds may give different partitions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "sqlitegraph/algo/random.hpp"
#include "sqlitegraph/algo/simple_undirected.hpp"

namespace sqlitegraph::algo {

namespace detail {
inline std::vector<vertex_id> renumber_by_first_vertex(std::span<const vertex_id> label) {
    std::vector<vertex_id> map(label.size(), no_vertex), out(label.size());
    vertex_id next = 0;
    for (std::size_t v = 0; v < label.size(); ++v) {
        auto& m = map[label[v]];
        if (m == no_vertex) m = next++;
        out[v] = m;
    }
    return out;
}

// The weighted simple undirected graph a community algorithm runs on.
// Rows exclude self; self_weight holds loop weight (only aggregated Louvain
// levels have loops). strength = row weight sum + 2 · self_weight.
struct weighted_graph {
    std::vector<edge_index> off{0};
    std::vector<vertex_id> nbr;
    std::vector<double> w;
    std::vector<double> self_weight;
    [[nodiscard]] vertex_id size() const { return static_cast<vertex_id>(self_weight.size()); }
};

template <graph_view G>
weighted_graph to_weighted(const G& g, bool weighted) {
    const csr_view u = simple_undirected(g, weighted ? undirected_weights::sum : undirected_weights::unit);
    weighted_graph r;
    const auto offs = u.out_offsets();
    r.off.assign(offs.begin(), offs.end());
    r.nbr.assign(u.out_targets().begin(), u.out_targets().end());
    r.w.assign(u.weights().begin(), u.weights().end());
    r.self_weight.assign(u.vertex_count(), 0.0);
    return r;
}

inline double modularity_of(const weighted_graph& g, std::span<const vertex_id> comm, double resolution) {
    const vertex_id n = g.size();
    double m2 = 0;
    std::vector<double> tot(n, 0.0), in(n, 0.0);
    for (vertex_id v = 0; v < n; ++v) {
        double k = 2 * g.self_weight[v];
        in[comm[v]] += 2 * g.self_weight[v];
        for (edge_index p = g.off[v]; p < g.off[v + 1]; ++p) {
            k += g.w[p];
            if (comm[g.nbr[p]] == comm[v]) in[comm[v]] += g.w[p];
        }
        tot[comm[v]] += k;
        m2 += k;
    }
    if (m2 == 0) return 0;
    double q = 0;
    for (vertex_id c = 0; c < n; ++c) q += in[c] / m2 - resolution * (tot[c] / m2) * (tot[c] / m2);
    return q;
}
} // namespace detail

// Newman–Girvan modularity of a partition (one label per vertex, labels
// < n): Q = sum_c [ L_c / m - γ (d_c / 2m)^2 ]. 0 for a graph without edges.
template <graph_view G>
[[nodiscard]] double modularity(const G& g, std::span<const vertex_id> community, double resolution = 1.0,
                                bool weighted = false) {
    const vertex_id n = vertex_count_of(g);
    if (community.size() != n)
        fail(errc::invalid_argument, "modularity: " + std::to_string(community.size()) + " labels for " +
                                         std::to_string(n) + " vertices");
    for (vertex_id c : community)
        if (c >= n) fail(errc::invalid_argument, "modularity: label " + std::to_string(c) + " is not below n");
    return detail::modularity_of(detail::to_weighted(g, weighted), community, resolution);
}

struct louvain_options {
    std::uint64_t seed = 42;
    double resolution = 1.0;
    bool weighted = false;
    double threshold = 1e-7;     // stop when a level gains less modularity
    std::uint32_t max_levels = 100;
};

struct community_result {
    std::vector<vertex_id> community;
    vertex_id count = 0;
    double modularity = 0;
    std::uint32_t levels = 0; // Louvain: aggregation levels; label propagation: rounds
};

// Louvain (Blondel et al. 2008): repeat { local moving until no vertex
// improves modularity by moving to a neighbouring community; aggregate each
// community into one vertex } while the level gains more than `threshold`.
// Moves: a vertex goes to the neighbouring community with the largest gain,
// ties to the one met first in its row; it stays unless some gain is
// strictly larger. O(m) per pass; typically a few passes per level and a
// few levels.
template <graph_view G>
[[nodiscard]] community_result louvain(const G& g, const louvain_options& opt = {}) {
    using detail::weighted_graph;
    const weighted_graph base = detail::to_weighted(g, opt.weighted);
    weighted_graph level = base;
    const vertex_id n0 = level.size();
    std::vector<vertex_id> assignment(n0);
    std::iota(assignment.begin(), assignment.end(), vertex_id{0});
    random_source rng(opt.seed);
    community_result r;
    double q = detail::modularity_of(level, assignment, opt.resolution);
    double m2 = 0;
    for (double x : level.w) m2 += x;
    if (m2 == 0) {
        r.community = assignment;
        r.count = n0;
        r.modularity = 0;
        return r;
    }
    for (std::uint32_t lvl = 0; lvl < opt.max_levels; ++lvl) {
        const vertex_id n = level.size();
        std::vector<double> k(n), tot(n);
        std::vector<vertex_id> comm(n);
        for (vertex_id v = 0; v < n; ++v) {
            double s = 2 * level.self_weight[v];
            for (edge_index p = level.off[v]; p < level.off[v + 1]; ++p) s += level.w[p];
            k[v] = s;
            tot[v] = s;
            comm[v] = v;
        }
        std::vector<vertex_id> order(n);
        std::iota(order.begin(), order.end(), vertex_id{0});
        rng.shuffle(order);
        std::vector<double> link(n, 0.0);
        std::vector<vertex_id> touched;
        bool moved_any = false;
        for (bool improved = true; improved;) {
            improved = false;
            for (vertex_id v : order) {
                const vertex_id cv = comm[v];
                touched.clear();
                for (edge_index p = level.off[v]; p < level.off[v + 1]; ++p) {
                    const vertex_id c = comm[level.nbr[p]];
                    if (link[c] == 0.0) touched.push_back(c);
                    link[c] += level.w[p];
                }
                tot[cv] -= k[v];
                const double scale = opt.resolution * k[v] / m2;
                vertex_id best = cv;
                double best_gain = link[cv] - scale * tot[cv];
                for (vertex_id c : touched) {
                    const double gain = link[c] - scale * tot[c];
                    if (gain > best_gain) {
                        best_gain = gain;
                        best = c;
                    }
                }
                tot[best] += k[v];
                if (best != cv) {
                    comm[v] = best;
                    improved = true;
                    moved_any = true;
                }
                for (vertex_id c : touched) link[c] = 0.0;
                link[cv] = 0.0;
            }
        }
        if (!moved_any) break;
        // Compose and measure before aggregating: a level that does not gain
        // enough modularity ends the run (and is not kept).
        const auto dense = detail::renumber_by_first_vertex(comm);
        std::vector<vertex_id> next_assignment(n0);
        for (vertex_id v = 0; v < n0; ++v) next_assignment[v] = dense[assignment[v]];
        const double nq = detail::modularity_of(base, next_assignment, opt.resolution);
        if (nq - q <= opt.threshold) break;
        q = nq;
        assignment = std::move(next_assignment);
        ++r.levels;
        // Aggregate: one vertex per community, rows merged, internal weight
        // (each internal edge once) becomes the self-loop weight.
        const vertex_id k_comm = *std::max_element(dense.begin(), dense.end()) + 1;
        std::vector<std::vector<vertex_id>> members(k_comm);
        for (vertex_id v = 0; v < n; ++v) members[dense[v]].push_back(v);
        weighted_graph next;
        next.self_weight.assign(k_comm, 0.0);
        std::vector<double> acc(k_comm, 0.0);
        std::vector<vertex_id> row;
        for (vertex_id c = 0; c < k_comm; ++c) {
            row.clear();
            for (vertex_id v : members[c]) {
                next.self_weight[c] += level.self_weight[v];
                for (edge_index p = level.off[v]; p < level.off[v + 1]; ++p) {
                    const vertex_id d = dense[level.nbr[p]];
                    if (d == c) {
                        next.self_weight[c] += level.w[p] / 2; // seen from both ends
                        continue;
                    }
                    if (acc[d] == 0.0) row.push_back(d);
                    acc[d] += level.w[p];
                }
            }
            std::sort(row.begin(), row.end());
            for (vertex_id d : row) {
                next.nbr.push_back(d);
                next.w.push_back(acc[d]);
                acc[d] = 0.0;
            }
            next.off.push_back(next.nbr.size());
        }
        level = std::move(next);
        if (level.size() == 1) break;
    }
    r.community = detail::renumber_by_first_vertex(assignment);
    r.count = r.community.empty() ? 0 : *std::max_element(r.community.begin(), r.community.end()) + 1;
    r.modularity = q;
    return r;
}

struct label_propagation_options {
    std::uint64_t seed = 42;
    bool weighted = false;
    std::uint32_t max_rounds = 1000;
};

// Asynchronous label propagation (Raghavan, Albert, Kumara 2007). Each
// round visits vertices in a fresh seeded shuffle; a vertex takes the label
// with the largest (weighted) count among its neighbours, keeps its own
// label when that is among the largest, and otherwise picks uniformly (by
// the seeded generator) among the tied labels. Stops after a round with no
// change. O(m) per round.
template <graph_view G>
[[nodiscard]] community_result label_propagation(const G& g, const label_propagation_options& opt = {}) {
    const detail::weighted_graph u = detail::to_weighted(g, opt.weighted);
    const vertex_id n = u.size();
    std::vector<vertex_id> label(n);
    std::iota(label.begin(), label.end(), vertex_id{0});
    random_source rng(opt.seed);
    std::vector<vertex_id> order(n);
    std::iota(order.begin(), order.end(), vertex_id{0});
    std::vector<double> count(n, 0.0);
    std::vector<vertex_id> touched, best;
    community_result r;
    for (r.levels = 0; r.levels < opt.max_rounds;) {
        rng.shuffle(order);
        ++r.levels;
        bool changed = false;
        for (vertex_id v : order) {
            if (u.off[v] == u.off[v + 1]) continue;
            touched.clear();
            for (edge_index p = u.off[v]; p < u.off[v + 1]; ++p) {
                const vertex_id l = label[u.nbr[p]];
                if (count[l] == 0.0) touched.push_back(l);
                count[l] += u.w[p];
            }
            double top = 0;
            for (vertex_id l : touched) top = std::max(top, count[l]);
            best.clear();
            for (vertex_id l : touched)
                if (count[l] == top) best.push_back(l);
            for (vertex_id l : touched) count[l] = 0.0;
            if (std::find(best.begin(), best.end(), label[v]) != best.end()) continue;
            std::sort(best.begin(), best.end());
            label[v] = best[rng.below(best.size())];
            changed = true;
        }
        if (!changed) break;
    }
    r.community = detail::renumber_by_first_vertex(label);
    r.count = r.community.empty() ? 0 : *std::max_element(r.community.begin(), r.community.end()) + 1;
    r.modularity = detail::modularity_of(u, r.community, 1.0);
    return r;
}

} // namespace sqlitegraph::algo
