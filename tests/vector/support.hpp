// tests/vector/support.hpp — shared helpers of the vector tests: small
// generated data sets, an index built over them, and recall against the
// brute-force oracle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <numeric>
#include <unordered_set>
#include <vector>

#include "sqlitegraph/vector/vector.hpp"

namespace vector_test {

namespace sv = sqlitegraph::vector;

inline sv::vector_set small_set(std::size_t count = 5000, std::size_t dim = 32, std::size_t queries = 200,
                                std::uint64_t seed = 7) {
    return sv::generate_vectors({count, dim, 20, queries, seed});
}

inline sv::hnsw_params params_for(std::size_t dim, sv::metric m, std::uint64_t seed = 42) {
    sv::hnsw_params p;
    p.name = "test";
    p.dim = dim;
    p.metric = m;
    p.m = 12;
    p.ef_construction = 100;
    p.seed = seed;
    return p;
}

inline std::vector<std::uint64_t> iota_keys(std::size_t n) {
    std::vector<std::uint64_t> keys(n);
    std::iota(keys.begin(), keys.end(), std::uint64_t{0});
    return keys;
}

// Mean recall@k of `search` over all queries, against an exact scan of the
// base rows accepted by `keep` (all rows when keep is empty).
inline double recall_at(const sv::vector_set& data, sv::metric m, std::size_t k,
                        const std::function<std::vector<sv::search_hit>(std::span<const float>)>& search,
                        const std::function<bool(std::uint64_t)>& keep = {}) {
    std::vector<float> base;
    std::vector<std::uint64_t> base_keys;
    for (std::size_t i = 0; i < data.count(); ++i) {
        if (keep && !keep(i)) continue;
        base.insert(base.end(), data.vector(i).begin(), data.vector(i).end());
        base_keys.push_back(i);
    }
    const auto truth = sv::exact_knn(m, data.dim, base, data.queries, k, 2);
    std::size_t hits = 0, wanted = 0;
    for (std::size_t q = 0; q < data.query_count(); ++q) {
        std::unordered_set<std::uint64_t> expected;
        for (const auto& [d, row] : truth[q]) expected.insert(base_keys[row]);
        wanted += expected.size();
        for (const sv::search_hit& h : search(data.query(q))) hits += expected.count(h.key);
    }
    return wanted == 0 ? 1.0 : static_cast<double>(hits) / static_cast<double>(wanted);
}

} // namespace vector_test
