// Probe: the size of the adjacency cache's form (graph/cached_adjacency.hpp)
// for the out- and in-lists of 100,000 random nodes of the probes' R-MAT
// store: bytes per entry, and the share of lists that fit a cache slot
// inline (node_cache::inline_bytes) instead of a heap record. Build it
// against two include trees to compare two forms. Not built by CMake:
//
//   g++ -O2 -std=c++20 -Iinclude -Ibenchmarks -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/cached_form_size.cpp -o /tmp/cached_form_size -lsimdjson -lpthread
//   (one line)
//   /tmp/cached_form_size DIR [SCALE=20]
#include "probes/rmat_store.hpp"
#include "sqlitegraph/graph/cached_adjacency.hpp"

#include <cstdio>
#include <random>

using namespace sqlitegraph;

int main(int argc, char** argv) {
    const auto args = probes::parse_query_args(argc, argv, 1, " (ROUNDS unused)");
    if (!args) return 1;
    const unsigned scale = args->scale;
    auto db = probes::open_for_queries(args->dir, scale);
    auto r = db.begin_read();
    std::mt19937_64 rng(7);
    std::size_t bytes = 0, entries = 0, inline_forms = 0, forms = 0;
    for (int i = 0; i < 100000; ++i) {
        const node_id id = 1 + rng() % (std::uint64_t{1} << scale);
        for (auto dir : {direction::out, direction::in}) {
            cached_adjacency::encoder enc;
            std::size_t n = 0;
            r.for_each_neighbor(id, dir, [&](node_id m, edge_id e, std::uint32_t t, direction) {
                enc.add(adj_entry{t, m, e});
                ++n;
            });
            const auto f = enc.finish();
            bytes += f.size();
            entries += n;
            ++forms;
            inline_forms += f.size() <= node_cache::inline_bytes;
        }
    }
    std::printf("%zu forms, %zu entries, %zu bytes: %.2f bytes per entry; %.1f%% of forms fit a slot (%zu bytes)\n", forms,
                entries, bytes, static_cast<double>(bytes) / static_cast<double>(entries),
                100.0 * static_cast<double>(inline_forms) / static_cast<double>(forms), node_cache::inline_bytes);
}
