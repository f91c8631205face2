// sqlitegraph/vector/generate.hpp — the deterministic "vectors" input of
// BENCHMARKS.md, shared by tests, benchmarks and `sqlitegraph generate
// vectors`.
//
// Owns: the definition of the distribution (docs/vector.md, "Generated
// data"), which is:
//   - stream derive_seed(seed, 1): for each of `clusters` clusters, a centre
//     with components uniform in [-1, 1), then a spread sigma uniform in
//     [0.15, 0.35);
//   - stream derive_seed(seed, 2): for each vector, a cluster chosen
//     uniformly, then each component centre + sigma * N(0, 1);
//   - stream derive_seed(seed, 3): the queries, drawn the same way.
// Invariant: the output is a pure function of the spec (random.hpp), so the
// vectors do not change when only the query count does, and the CSV bytes
// are the same on every run.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/vector/layout.hpp"
#include "sqlitegraph/vector/random.hpp"

namespace sqlitegraph::vector {

struct vector_set_spec {
    std::size_t count = 100000;
    std::size_t dim = 128;
    std::size_t clusters = 100;
    std::size_t queries = 1000;
    std::uint64_t seed = 42;
};

struct vector_set {
    std::size_t dim = 0;
    std::vector<float> vectors;   // count * dim, row-major; row i has key i
    std::vector<float> queries;   // queries * dim; row i has query id i
    std::vector<std::uint32_t> cluster_of_vector;

    std::size_t count() const noexcept { return dim ? vectors.size() / dim : 0; }
    std::size_t query_count() const noexcept { return dim ? queries.size() / dim : 0; }
    std::span<const float> vector(std::size_t i) const noexcept { return {vectors.data() + i * dim, dim}; }
    std::span<const float> query(std::size_t i) const noexcept { return {queries.data() + i * dim, dim}; }
};

namespace detail {

// Unbiased enough for any cluster count (bias < 2^-32): the top 32 bits of a
// draw scaled to [0, n).
inline std::uint32_t pick(splitmix64& rng, std::size_t n) noexcept {
    return static_cast<std::uint32_t>(((rng.next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
}

inline void draw_rows(splitmix64& rng, std::size_t rows, std::size_t dim, const std::vector<float>& centres,
                      const std::vector<float>& sigmas, std::vector<float>& out, std::vector<std::uint32_t>* which) {
    out.resize(rows * dim);
    if (which) which->resize(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        const std::uint32_t c = pick(rng, sigmas.size());
        if (which) (*which)[r] = c;
        for (std::size_t i = 0; i < dim; ++i)
            out[r * dim + i] =
                static_cast<float>(static_cast<double>(centres[c * dim + i]) + static_cast<double>(sigmas[c]) * rng.normal());
    }
}

} // namespace detail

inline vector_set generate_vectors(const vector_set_spec& spec) {
    if (spec.dim == 0 || spec.dim > max_dimension)
        fail(errc::invalid_argument, "generate vectors: dimension " + std::to_string(spec.dim) + " is outside 1.." +
                                         std::to_string(max_dimension));
    if (spec.clusters == 0) fail(errc::invalid_argument, "generate vectors: at least one cluster is needed");
    vector_set set;
    set.dim = spec.dim;
    std::vector<float> centres(spec.clusters * spec.dim);
    std::vector<float> sigmas(spec.clusters);
    splitmix64 centre_rng(derive_seed(spec.seed, 1));
    for (std::size_t c = 0; c < spec.clusters; ++c) {
        for (std::size_t i = 0; i < spec.dim; ++i)
            centres[c * spec.dim + i] = static_cast<float>(centre_rng.uniform() * 2.0 - 1.0);
        sigmas[c] = static_cast<float>(0.15 + 0.2 * centre_rng.uniform());
    }
    splitmix64 vector_rng(derive_seed(spec.seed, 2));
    detail::draw_rows(vector_rng, spec.count, spec.dim, centres, sigmas, set.vectors, &set.cluster_of_vector);
    splitmix64 query_rng(derive_seed(spec.seed, 3));
    detail::draw_rows(query_rng, spec.queries, spec.dim, centres, sigmas, set.queries, nullptr);
    return set;
}

// Writes rows as CLI.md's V.csv / Q.csv: `key,x0,x1,...`, no header, keys
// first_key, first_key + 1, ...; floats in the shortest form that reads back
// to the same float (std::to_chars), so the bytes are reproducible.
inline void write_vectors_csv(std::ostream& out, std::span<const float> rows, std::size_t dim,
                              std::uint64_t first_key = 0) {
    char buffer[64];
    const std::size_t count = dim ? rows.size() / dim : 0;
    for (std::size_t r = 0; r < count; ++r) {
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, first_key + r);
        out.write(buffer, end - buffer);
        for (std::size_t i = 0; i < dim; ++i) {
            out.put(',');
            auto [e, err] = std::to_chars(buffer, buffer + sizeof buffer, rows[r * dim + i]);
            out.write(buffer, e - buffer);
        }
        out.put('\n');
    }
}

} // namespace sqlitegraph::vector
