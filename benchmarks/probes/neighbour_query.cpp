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
    // Each round times both forms, one call per node (for_each_neighbor) and
    // one batch call (for_each_neighbor_of), alternating which goes first.
    std::vector<double> per_edge, per_edge_batch;
    std::uint64_t edges = 0, check = 0, edges_batch = 0, check_batch = 0;
    auto one_by_one = [&] {
        edges = 0;
        check = 0;
        for (const auto id : ids) {
            neighbours.clear();
            r.for_each_neighbor(id, direction::out, [&](node_id m, edge_id e, std::uint32_t, direction) {
                neighbours.push_back(m);
                check += m ^ e;
            });
            edges += neighbours.size();
        }
    };
    auto batch = [&] {
        edges_batch = 0;
        check_batch = 0;
        std::size_t current = SIZE_MAX;
        neighbours.clear();
        r.for_each_neighbor_of(ids, direction::out, [&](std::size_t i, node_id m, edge_id e, std::uint32_t, direction) {
            if (i != current) {
                edges_batch += neighbours.size();
                neighbours.clear();
                current = i;
            }
            neighbours.push_back(m);
            check_batch += m ^ e;
        });
        edges_batch += neighbours.size();
    };
    auto timed = [](auto&& pass) {
        const auto start = std::chrono::steady_clock::now();
        pass();
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    for (int round = 0; round < warm_up + rounds; ++round) {
        double one, many;
        if (round % 2 == 0) {
            one = timed(one_by_one);
            many = timed(batch);
        } else {
            many = timed(batch);
            one = timed(one_by_one);
        }
        if (round < warm_up) continue;
        per_edge.push_back(one / static_cast<double>(edges) * 1e9);
        per_edge_batch.push_back(many / static_cast<double>(edges_batch) * 1e9);
    }
    if (edges != edges_batch || check != check_batch) {
        std::fprintf(stderr, "neighbour_query: the batch form gave other neighbours\n");
        return 1;
    }
    std::sort(per_edge.begin(), per_edge.end());
    std::sort(per_edge_batch.begin(), per_edge_batch.end());
    std::printf("%zu nodes, %llu neighbours (check %llu)\n", ids.size(), static_cast<unsigned long long>(edges),
                static_cast<unsigned long long>(check));
    std::printf("one call per node:  min %.2f, median %.2f ns per neighbour\n", per_edge.front(),
                per_edge[per_edge.size() / 2]);
    std::printf("for_each_neighbor_of: min %.2f, median %.2f ns per neighbour\n", per_edge_batch.front(),
                per_edge_batch[per_edge_batch.size() / 2]);
}
