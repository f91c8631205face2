// sqlitegraph/vector/params.hpp — the parameters of one HNSW index and their
// validation.
//
// Owns: hnsw_params and check_params(). Invariant: an index is only ever
// constructed from parameters that passed check_params(), so the algorithm
// may assume 1 <= dim <= max_dimension, 2 <= m <= max_m, ef_construction >= 1.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/vector/layout.hpp"
#include "sqlitegraph/vector/metric.hpp"

namespace sqlitegraph::vector {

struct hnsw_params {
    std::string name = "vectors"; // named in every error message
    std::size_t dim = 0;
    vector::metric metric = metric::l2;

    // Malkov & Yashunin's parameters. Level 0 keeps up to 2M links.
    std::size_t m = 16;
    std::size_t ef_construction = 200;
    std::size_t ef_search = 64;       // default ef of search() when the call gives none
    double level_multiplier = 0.0;    // mL; 0 means the paper's 1 / ln(M)
    std::uint64_t seed = 42;          // levels are drawn from this; same seed, same index

    // Filtered search (see docs/vector.md, "Filtered and hybrid search"):
    // below either threshold a filter is answered exactly by a scan of the
    // matching elements, above both by a filtered beam search.
    std::size_t brute_force_limit = 2048;   // estimated matching elements
    double brute_force_selectivity = 0.05;  // estimated fraction matching

    // Deleted elements stay in the graph as routing-only tombstones until
    // their fraction exceeds this; then consolidate() repairs the links
    // around them and frees their slots. 1.0 leaves consolidation to the caller.
    double max_tombstone_fraction = 0.25;

    double effective_level_multiplier() const noexcept {
        return level_multiplier > 0.0 ? level_multiplier : 1.0 / std::log(static_cast<double>(m));
    }
};

inline void check_params(const hnsw_params& p) {
    const std::string who = "vector index '" + p.name + "': ";
    if (p.name.empty()) fail(errc::invalid_argument, "vector index name must not be empty");
    if (p.dim == 0 || p.dim > max_dimension)
        fail(errc::invalid_argument,
             who + "dimension " + std::to_string(p.dim) + " is outside 1.." + std::to_string(max_dimension));
    if (p.m < 2 || p.m > max_m)
        fail(errc::invalid_argument, who + "M " + std::to_string(p.m) + " is outside 2.." + std::to_string(max_m));
    if (p.ef_construction == 0) fail(errc::invalid_argument, who + "ef_construction must be at least 1");
    if (!(p.level_multiplier >= 0.0) || !std::isfinite(p.level_multiplier))
        fail(errc::invalid_argument, who + "level multiplier must be a finite number >= 0");
    if (!(p.brute_force_selectivity >= 0.0 && p.brute_force_selectivity <= 1.0))
        fail(errc::invalid_argument, who + "brute_force_selectivity must be in [0, 1]");
    if (!(p.max_tombstone_fraction > 0.0 && p.max_tombstone_fraction <= 1.0))
        fail(errc::invalid_argument, who + "max_tombstone_fraction must be in (0, 1]");
}

} // namespace sqlitegraph::vector
