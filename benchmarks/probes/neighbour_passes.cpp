// Probe: Q2 of bench_graph_vs_sqlite one call per node, pass by pass, with
// the adjacency cache's hits, misses and replacements in each pass. The
// benchmark times three passes after one warm-up pass; neighbour_query.cpp
// reports the median of many. This shows how the time per neighbour moves
// from one pass over the same 10,000 random nodes to the next while the
// cache's counts stay the same. Not built by CMake:
//
//   g++ -O2 -g -std=c++20 -Iinclude -Ibenchmarks -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/neighbour_passes.cpp -o /tmp/neighbour_passes -lsimdjson -lpthread
//   (one line)
//   /tmp/neighbour_passes DIR [SCALE=20] [PASSES=6]
#include "probes/rmat_store.hpp"

#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

using namespace sqlitegraph;

int main(int argc, char** argv) {
    const auto args = probes::parse_query_args(argc, argv, 6);
    if (!args) return 1;
    auto db = probes::open_for_queries(args->dir, args->scale);
    auto r = db.begin_read();
    std::mt19937_64 rng(7);
    std::vector<node_id> ids(10000);
    for (auto& id : ids) id = 1 + rng() % (std::uint64_t{1} << args->scale);
    std::vector<std::uint64_t> neighbours;
    for (int pass = 0; pass < args->rounds; ++pass) {
        const auto before = db.adjacency_cache_statistics();
        std::uint64_t edges = 0, check = 0;
        const auto start = std::chrono::steady_clock::now();
        // Written out as neighbour_query.cpp and the benchmark's run_q2 write
        // it, not shared through a function: moved into one, the same loop
        // ran a quarter faster (benchmarks/results/probes/
        // 2026-11-25-q2-caller-loop.txt), so its shape is part of what is
        // measured.
        for (const auto id : ids) {
            neighbours.clear();
            r.for_each_neighbor(id, direction::out, [&](node_id m, edge_id e, std::uint32_t, direction) {
                neighbours.push_back(m);
                check += m ^ e;
            });
            edges += neighbours.size();
        }
        const double ns = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() * 1e9 /
                          static_cast<double>(edges);
        const auto after = db.adjacency_cache_statistics();
        std::printf("pass %d: %.2f ns per neighbour; cache hits %llu, misses %llu, replaced %llu (check %llu)\n", pass, ns,
                    static_cast<unsigned long long>(after.hits - before.hits),
                    static_cast<unsigned long long>(after.misses - before.misses),
                    static_cast<unsigned long long>(after.replaced - before.replaced),
                    static_cast<unsigned long long>(check));
    }
}
