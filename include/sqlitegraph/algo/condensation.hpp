// sqlitegraph/algo/condensation.hpp — collapse each strongly connected
// component to one vertex. The result is a DAG whose vertex c is SCC c of
// strongly_connected_components() (so its vertex order is topological), with
// one edge c->d for each pair of distinct components joined by at least one
// edge, rows sorted by target. O(n + m) time.
#pragma once

#include <algorithm>
#include <vector>

#include "sqlitegraph/algo/components.hpp"
#include "sqlitegraph/algo/csr_view.hpp"

namespace sqlitegraph::algo {

struct condensation_result {
    components_result scc;
    csr_view dag;
};

template <graph_view G>
[[nodiscard]] condensation_result condensation(const G& g) {
    condensation_result r{strongly_connected_components(g), {}};
    const vertex_id n = vertex_count_of(g);
    const vertex_id k = r.scc.count;
    // Bucket vertices by component so each component's out-edges are
    // gathered together.
    std::vector<vertex_id> start(static_cast<std::size_t>(k) + 1, 0), members(n);
    for (vertex_id v = 0; v < n; ++v) ++start[r.scc.component[v] + 1];
    for (vertex_id c = 0; c < k; ++c) start[c + 1] += start[c];
    {
        std::vector<vertex_id> pos(start.begin(), start.end() - 1);
        for (vertex_id v = 0; v < n; ++v) members[pos[r.scc.component[v]]++] = v;
    }
    std::vector<vertex_id> stamp(k, no_vertex), row, from, to;
    for (vertex_id c = 0; c < k; ++c) {
        row.clear();
        for (vertex_id i = start[c]; i < start[c + 1]; ++i)
            for_each_out_neighbor(g, members[i], [&](vertex_id w) {
                const vertex_id d = r.scc.component[w];
                if (d != c && stamp[d] != c) {
                    stamp[d] = c;
                    row.push_back(d);
                }
            });
        std::sort(row.begin(), row.end());
        for (vertex_id d : row) {
            from.push_back(c);
            to.push_back(d);
        }
    }
    r.dag = csr_view::from_arrays(k, from, to);
    return r;
}

} // namespace sqlitegraph::algo
