// sqlitegraph/vector/brute_force.hpp — exact k nearest neighbours by
// exhaustive scan: the ground truth of tests and benchmarks.
//
// Owns: exact_knn() over a flat row-major array, independent of any index
// (it shares only the distance kernels, which have their own tests against
// the scalar path). Invariant: results are sorted by (distance, row), so
// ties are listed the same way on every run and thread count.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "sqlitegraph/vector/distance.hpp"
#include "sqlitegraph/vector/metric.hpp"

namespace sqlitegraph::vector {

// Distance of two raw vectors under a metric, in the units search() reports;
// cosine normalises on the fly. Slow and simple on purpose: the reference.
inline float reference_distance(metric m, const float* a, const float* b, std::size_t dim,
                                const kernel_set& k = active_kernels()) {
    switch (m) {
    case metric::l2: return std::sqrt(k.l2_squared(a, b, dim));
    case metric::manhattan: return k.l1(a, b, dim);
    case metric::inner_product: return 1.0f - k.dot(a, b, dim);
    case metric::cosine: {
        const float na = std::sqrt(k.dot(a, a, dim));
        const float nb = std::sqrt(k.dot(b, b, dim));
        return 1.0f - k.dot(a, b, dim) / (na * nb);
    }
    }
    return 0.0f;
}

// For each query row, the k nearest base rows as (distance, row index).
inline std::vector<std::vector<std::pair<float, std::uint32_t>>>
exact_knn(metric m, std::size_t dim, std::span<const float> base, std::span<const float> queries, std::size_t k,
          unsigned threads = 1) {
    const std::size_t n = base.size() / dim;
    const std::size_t q = queries.size() / dim;
    std::vector<std::vector<std::pair<float, std::uint32_t>>> out(q);
    auto run = [&](std::size_t begin, std::size_t end) {
        std::vector<std::pair<float, std::uint32_t>> all(n);
        for (std::size_t qi = begin; qi < end; ++qi) {
            for (std::size_t i = 0; i < n; ++i)
                all[i] = {reference_distance(m, queries.data() + qi * dim, base.data() + i * dim, dim),
                          static_cast<std::uint32_t>(i)};
            const std::size_t kk = std::min(k, n);
            std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(kk), all.end());
            out[qi].assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(kk));
        }
    };
    threads = std::max(1U, threads);
    std::vector<std::thread> pool;
    const std::size_t per = (q + threads - 1) / threads;
    for (unsigned t = 0; t < threads; ++t) {
        const std::size_t begin = std::min(q, t * per), end = std::min(q, begin + per);
        if (begin < end) pool.emplace_back(run, begin, end);
    }
    for (std::thread& t : pool) t.join();
    return out;
}

} // namespace sqlitegraph::vector
