// sqlitegraph/algo/betweenness.hpp — betweenness centrality (Brandes 2001),
// exact or estimated from sampled sources (the contract of CLI.md
// "betweenness").
//
// Score of v = sum over ordered pairs (s, t), s != v != t, of the share of
// shortest s–t paths (by hop count) that pass through v. A path is a vertex
// sequence: parallel edges do not multiply paths, self-loops are ignored.
// Directed views follow edge direction. A symmetric view (simple_undirected)
// is undirected: each unordered pair counts once, i.e. the ordered sum is
// halved. normalized: the ordered-pair sum is divided by (n-1)(n-2) (no
// scaling when n <= 2), in both cases, as networkx does.
// Sampling: the first k vertices of a seeded shuffle are the sources and the
// sum is scaled by n/k.
//
// Sources are cut into at most 16 fixed blocks; each block accumulates its
// own partial sum and partials are added in block order, so results are
// bit-identical for any thread count. O(k · (n + m)) time for k sources,
// O(n) scratch per block in flight plus 16 partial vectors.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "sqlitegraph/algo/graph_view.hpp"
#include "sqlitegraph/algo/parallel.hpp"
#include "sqlitegraph/algo/random.hpp"

namespace sqlitegraph::algo {

struct betweenness_options {
    bool normalized = false;
    std::uint32_t samples = 0; // 0: exact (every vertex a source)
    std::uint64_t seed = 42;
    unsigned threads = 1;
};

template <graph_view G>
[[nodiscard]] std::vector<double> betweenness(const G& g, const betweenness_options& opt = {}) {
    const vertex_id n = vertex_count_of(g);
    std::vector<vertex_id> sources(n);
    std::iota(sources.begin(), sources.end(), vertex_id{0});
    const bool sampled = opt.samples != 0 && opt.samples < n;
    if (sampled) {
        random_source rng(opt.seed);
        rng.shuffle(sources);
        sources.resize(opt.samples);
        std::sort(sources.begin(), sources.end());
    }
    const std::size_t k = sources.size();
    const std::size_t block = std::max<std::size_t>(1, (k + 15) / 16);
    std::vector<std::vector<double>> partial(block_count(k, block));
    parallel_blocks(k, block, opt.threads, [&](std::size_t b, std::size_t e, std::size_t blk) {
        std::vector<double> acc(n, 0.0), sigma(n, 0.0), delta(n, 0.0);
        std::vector<std::uint32_t> dist(n, unreached);
        std::vector<std::uint64_t> stamp(n, 0);
        std::uint64_t token = 0;
        std::vector<vertex_id> order;
        order.reserve(n);
        for (std::size_t i = b; i < e; ++i) {
            const vertex_id s = sources[i];
            order.clear();
            order.push_back(s);
            dist[s] = 0;
            sigma[s] = 1.0;
            for (std::size_t h = 0; h < order.size(); ++h) {
                const vertex_id v = order[h];
                const std::uint32_t dv = dist[v];
                ++token;
                for_each_out_neighbor(g, v, [&](vertex_id w) {
                    if (stamp[w] == token) return; // parallel edge
                    stamp[w] = token;
                    if (dist[w] == unreached) {
                        dist[w] = dv + 1;
                        order.push_back(w);
                    }
                    if (dist[w] == dv + 1) sigma[w] += sigma[v];
                });
            }
            for (std::size_t h = order.size(); h-- > 0;) {
                const vertex_id v = order[h];
                const std::uint32_t dv = dist[v];
                double dsum = 0;
                ++token;
                for_each_out_neighbor(g, v, [&](vertex_id w) {
                    if (stamp[w] == token) return;
                    stamp[w] = token;
                    if (dist[w] == dv + 1) dsum += (1.0 + delta[w]) / sigma[w];
                });
                delta[v] = sigma[v] * dsum;
                if (v != s) acc[v] += delta[v];
            }
            for (vertex_id v : order) {
                dist[v] = unreached;
                sigma[v] = 0;
                delta[v] = 0;
            }
        }
        partial[blk] = std::move(acc);
    });
    std::vector<double> score(n, 0.0);
    for (const auto& part : partial)
        for (vertex_id v = 0; v < n; ++v) score[v] += part[v];
    double scale = 1.0;
    if (opt.normalized) {
        if (n > 2) scale = 1.0 / (static_cast<double>(n - 1) * static_cast<double>(n - 2));
    } else if (is_symmetric(g)) {
        scale = 0.5;
    }
    if (sampled) scale *= static_cast<double>(n) / static_cast<double>(k);
    if (scale != 1.0)
        for (double& x : score) x *= scale;
    return score;
}

} // namespace sqlitegraph::algo
