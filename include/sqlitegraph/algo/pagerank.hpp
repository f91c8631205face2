// sqlitegraph/algo/pagerank.hpp — PageRank and personalised PageRank by
// power iteration (the contract of CLI.md "pagerank").
//
//   x'[v] = (1 - d) p[v] + d ( sum_{u->v} x[u] / outdeg(u) + p[v] · sum_{u dangling} x[u] )
//
// p is uniform (1/n) for plain PageRank and the normalised personalisation
// vector otherwise; the rank of vertices without out-edges ("dangling") is
// spread by p too, i.e. evenly over all vertices for plain PageRank. Each
// edge is one link: parallel edges count with multiplicity and a self-loop
// is a link to oneself. Scores sum to 1. Iteration stops when the L1 change
// sum |x' - x| drops below `tolerance`, or after max_iterations (then
// converged = false). Weights are ignored (CLI.md: only sssp uses them).
//
// Pull formulation over in-edges, so each vertex's new score is written by
// exactly one thread and summed in in-edge order; reductions (L1 change,
// dangling mass) are summed per fixed 4096-vertex block and then in block
// order. Output is bit-identical for any thread count.
// O(iterations · (n + m)) time, 3 doubles per vertex.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sqlitegraph/algo/graph_view.hpp"
#include "sqlitegraph/algo/parallel.hpp"

namespace sqlitegraph::algo {

struct pagerank_options {
    double damping = 0.85;
    double tolerance = 1e-10;
    std::uint32_t max_iterations = 1000;
    unsigned threads = 1;
    // Empty: plain PageRank. Otherwise one non-negative weight per vertex,
    // normalised internally; teleport and dangling mass follow it.
    std::span<const double> personalization{};
};

struct pagerank_result {
    std::vector<double> score;
    std::uint32_t iterations = 0;
    bool converged = false;
};

template <graph_view G>
[[nodiscard]] pagerank_result pagerank(const G& g, const pagerank_options& opt = {}) {
    const vertex_id n = vertex_count_of(g);
    pagerank_result r;
    if (n == 0) {
        r.converged = true;
        return r;
    }
    if (!(opt.damping >= 0 && opt.damping <= 1))
        fail(errc::invalid_argument, "pagerank damping " + std::to_string(opt.damping) + " is outside [0, 1]");
    std::vector<double> p;
    if (!opt.personalization.empty()) {
        if (opt.personalization.size() != n)
            fail(errc::invalid_argument, "personalization has " + std::to_string(opt.personalization.size()) +
                                             " entries for " + std::to_string(n) + " vertices");
        double total = 0;
        for (double x : opt.personalization) {
            if (!(x >= 0) || !std::isfinite(x))
                fail(errc::invalid_argument, "personalization weights must be finite and non-negative");
            total += x;
        }
        if (total <= 0) fail(errc::invalid_argument, "personalization weights sum to zero");
        p.resize(n);
        for (vertex_id v = 0; v < n; ++v) p[v] = opt.personalization[v] / total;
    }
    const bool uniform = p.empty();
    const double inv_n = 1.0 / static_cast<double>(n);
    auto teleport = [&](vertex_id v) { return uniform ? inv_n : p[v]; };

    constexpr std::size_t block = 4096;
    const std::size_t blocks = block_count(n, block);
    std::vector<double> x(n), next(n), contrib(n);
    for (vertex_id v = 0; v < n; ++v) x[v] = teleport(v);
    std::vector<double> inv_deg(n);
    for (vertex_id v = 0; v < n; ++v) {
        const std::size_t d = out_degree(g, v);
        inv_deg[v] = d == 0 ? 0.0 : 1.0 / static_cast<double>(d);
    }
    std::vector<double> part_dangling(blocks), part_delta(blocks);
    const double d = opt.damping;
    for (r.iterations = 0; r.iterations < opt.max_iterations;) {
        parallel_blocks(n, block, opt.threads, [&](std::size_t b, std::size_t e, std::size_t k) {
            double dangling = 0;
            for (std::size_t v = b; v < e; ++v) {
                contrib[v] = x[v] * inv_deg[v];
                if (inv_deg[v] == 0.0) dangling += x[v];
            }
            part_dangling[k] = dangling;
        });
        double dangling = 0;
        for (double s : part_dangling) dangling += s;
        parallel_blocks(n, block, opt.threads, [&](std::size_t b, std::size_t e, std::size_t k) {
            double delta = 0;
            for (std::size_t vi = b; vi < e; ++vi) {
                const auto v = static_cast<vertex_id>(vi);
                double sum = 0;
                for_each_in_neighbor(g, v, [&](vertex_id u) { sum += contrib[u]; });
                const double t = teleport(v);
                const double nv = (1.0 - d) * t + d * (sum + t * dangling);
                delta += std::abs(nv - x[v]);
                next[v] = nv;
            }
            part_delta[k] = delta;
        });
        double delta = 0;
        for (double s : part_delta) delta += s;
        x.swap(next);
        ++r.iterations;
        if (delta < opt.tolerance) {
            r.converged = true;
            break;
        }
    }
    r.score = std::move(x);
    return r;
}

} // namespace sqlitegraph::algo
