// sqlitegraph/algo/simple_undirected.hpp — "direction ignored": the simple
// undirected graph underneath any graph_view.
//
// One undirected edge joins u and v (u != v) when at least one edge runs
// between them in either direction; self-loops, parallel edges and
// reciprocal pairs add nothing (CLI.md, "Algorithms"). The result is a
// symmetric csr_view whose rows are sorted by neighbour, which triangle
// counting, k-core, Louvain and label propagation rely on.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "sqlitegraph/algo/csr_view.hpp"
#include "sqlitegraph/algo/graph_view.hpp"

namespace sqlitegraph::algo {

enum class undirected_weights {
    unit, // every undirected edge weighs 1
    sum,  // the sum of the weights of all non-loop edges joining the pair
};

// O(n + m + sum of d log d) time, O(n) scratch beyond the result.
template <graph_view G>
[[nodiscard]] csr_view simple_undirected(const G& g, undirected_weights w = undirected_weights::unit) {
    const vertex_id n = vertex_count_of(g);
    std::vector<edge_index> offsets(static_cast<std::size_t>(n) + 1, 0);
    std::vector<vertex_id> nbrs;
    std::vector<double> weights;
    const bool weighted = (w == undirected_weights::sum);
    // slot[x] is the position of x in the current row plus one, stamped per
    // row through `owner`, so de-duplication costs O(1) per edge.
    std::vector<vertex_id> owner(n, no_vertex);
    std::vector<std::size_t> slot(weighted ? n : 0);
    std::vector<vertex_id> row;
    std::vector<std::pair<vertex_id, double>> wrow;
    nbrs.reserve(g.vertex_count() == 0 ? 0 : 2 * static_cast<std::size_t>(n));
    for (vertex_id u = 0; u < n; ++u) {
        row.clear();
        wrow.clear();
        auto take = [&](vertex_id x, double wt) {
            if (x == u) return;
            if (owner[x] != u) {
                owner[x] = u;
                if (weighted) {
                    slot[x] = wrow.size();
                    wrow.emplace_back(x, wt);
                } else {
                    row.push_back(x);
                }
            } else if (weighted) {
                wrow[slot[x]].second += wt;
            }
        };
        if (weighted) {
            for (const auto& e : g.out_edges(u)) take(static_cast<vertex_id>(e.neighbor), e.weight);
            if (!is_symmetric(g))
                for (const auto& e : g.in_edges(u)) take(static_cast<vertex_id>(e.neighbor), e.weight);
            std::sort(wrow.begin(), wrow.end());
            for (auto& [x, wt] : wrow) {
                nbrs.push_back(x);
                weights.push_back(wt);
            }
        } else {
            for_each_out_neighbor(g, u, [&](vertex_id x) { take(x, 1.0); });
            if (!is_symmetric(g)) for_each_in_neighbor(g, u, [&](vertex_id x) { take(x, 1.0); });
            std::sort(row.begin(), row.end());
            nbrs.insert(nbrs.end(), row.begin(), row.end());
        }
        offsets[u + 1] = nbrs.size();
    }
    return csr_view::symmetric_from_rows(std::move(offsets), std::move(nbrs), std::move(weights));
}

} // namespace sqlitegraph::algo
