// Probe: Q2 of bench_graph_vs_sqlite (out-neighbours of random nodes, warm)
// alone, on the probes' R-MAT store, with the benchmark's cache budget
// (page cache 512 MiB, node and adjacency caches 256 MiB each); the
// program to run under `perf record`. Prints the minimum and median ns per
// neighbour over ROUNDS passes after the first 4 (which fill the caches).
// Not built by CMake:
//
//   g++ -O2 -g -std=c++20 -Iinclude -Ibenchmarks -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/neighbour_query.cpp -o /tmp/neighbour_query -lsimdjson -lpthread
//   (one line)
//   /tmp/neighbour_query DIR [SCALE=20] [ROUNDS=100]
#include "probes/rmat_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace sqlitegraph;

int main(int argc, char** argv) {
    const auto args = probes::parse_query_args(argc, argv, 100);
    if (!args) return 1;
    const unsigned scale = args->scale;
    const int rounds = args->rounds;
    constexpr int warm_up = 4;
    auto db = probes::open_for_queries(args->dir, scale);
    auto r = db.begin_read();
    std::mt19937_64 rng(7);
    std::vector<node_id> ids(10000);
    for (auto& id : ids) id = 1 + rng() % (std::uint64_t{1} << scale);
    std::vector<std::uint64_t> neighbours;
    std::vector<double> per_edge;
    std::uint64_t edges = 0, check = 0;
    for (int round = 0; round < warm_up + rounds; ++round) {
        const auto start = std::chrono::steady_clock::now();
        edges = 0;
        for (const auto id : ids) {
            neighbours.clear();
            r.for_each_neighbor(id, direction::out, [&](node_id m, edge_id e, std::uint32_t, direction) {
                neighbours.push_back(m);
                check += m ^ e;
            });
            edges += neighbours.size();
        }
        const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (round >= warm_up) per_edge.push_back(sec / static_cast<double>(edges) * 1e9);
    }
    std::sort(per_edge.begin(), per_edge.end());
    std::printf("%zu nodes, %llu neighbours: min %.2f, median %.2f ns per neighbour (check %llu)\n", ids.size(),
                static_cast<unsigned long long>(edges), per_edge.front(), per_edge[per_edge.size() / 2],
                static_cast<unsigned long long>(check));
}
