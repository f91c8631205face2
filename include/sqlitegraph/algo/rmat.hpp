// sqlitegraph/algo/rmat.hpp — the deterministic R-MAT generator behind the
// benchmarks and `sqlitegraph generate rmat` (BENCHMARKS.md "Inputs").
//
// 2^scale vertices, edge_factor · 2^scale edge draws. Each draw picks one of
// the four quadrants `scale` times with probabilities a, b, c, d (Graph500:
// 0.57, 0.19, 0.19, 0.05), the bits giving source and target; self-loops
// are dropped, duplicates kept; vertex ids are not permuted (vertex 0 is the
// densest). After the quadrant choices, one more 64-bit draw gives the
// edge's type (bit 0: 0 = follows, 1 = likes) and weight (1 + (x >> 1) mod
// 100, an integer in [1, 100]). The stream is random_source(seed), so the
// same (scale, edge_factor, seed) yields the same edges on every platform.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sqlitegraph/algo/random.hpp"
#include "sqlitegraph/core/error.hpp"

namespace sqlitegraph::algo {

struct rmat_options {
    unsigned scale = 16;
    unsigned edge_factor = 16;
    std::uint64_t seed = 42;
    double a = 0.57, b = 0.19, c = 0.19; // d = 1 - a - b - c
};

struct rmat_graph {
    std::uint64_t vertices = 0;
    std::vector<std::uint32_t> from, to;
    std::vector<std::uint32_t> type;
    std::vector<double> weight;
};

inline rmat_graph generate_rmat(const rmat_options& opt = {}) {
    if (opt.scale == 0 || opt.scale > 31)
        fail(errc::invalid_argument, "rmat scale " + std::to_string(opt.scale) + " is outside [1, 31]");
    rmat_graph g;
    g.vertices = std::uint64_t{1} << opt.scale;
    const std::uint64_t draws = g.vertices * opt.edge_factor;
    g.from.reserve(draws);
    g.to.reserve(draws);
    g.type.reserve(draws);
    g.weight.reserve(draws);
    random_source rng(opt.seed);
    const double ab = opt.a + opt.b, abc = opt.a + opt.b + opt.c;
    for (std::uint64_t i = 0; i < draws; ++i) {
        std::uint32_t u = 0, v = 0;
        for (unsigned bit = 0; bit < opt.scale; ++bit) {
            const double r = rng.uniform();
            const std::uint32_t down = r >= ab;                       // c or d: source bit set
            const std::uint32_t right = (r >= opt.a && r < ab) || r >= abc; // b or d: target bit set
            u = (u << 1) | down;
            v = (v << 1) | right;
        }
        const std::uint64_t x = rng.next();
        if (u == v) continue;
        g.from.push_back(u);
        g.to.push_back(v);
        g.type.push_back(static_cast<std::uint32_t>(x & 1));
        g.weight.push_back(static_cast<double>(1 + (x >> 1) % 100));
    }
    return g;
}

} // namespace sqlitegraph::algo
