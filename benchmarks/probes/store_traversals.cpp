// Probe: the store's own traversals (read_transaction::bfs, k_hop,
// shortest_path and chain, not the benchmark's harness) on the probes'
// R-MAT store with the benchmark's cache budget: the full out-BFS from
// node 1, its 3-hop neighbourhood, shortest paths between 100 random pairs
// (out direction; most pairs of an R-MAT graph have no path), and a chain
// of two out-steps from node 1, without and with a kind ("v", every node's).
// Prints each round's times; the first round also fills the caches. Not
// built by CMake:
//
//   g++ -O2 -std=c++20 -Iinclude -Ibenchmarks -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/store_traversals.cpp -o /tmp/store_traversals -lsimdjson -lpthread
//   (one line)
//   /tmp/store_traversals DIR [SCALE=20] [ROUNDS=3]
#include "probes/rmat_store.hpp"

#include <chrono>
#include <cstdio>
#include <random>
#include <string>

using namespace sqlitegraph;

int main(int argc, char** argv) {
    const auto args = probes::parse_query_args(argc, argv, 3);
    if (!args) return 1;
    const unsigned scale = args->scale;
    const int rounds = args->rounds;
    auto db = probes::open_for_queries(args->dir, scale);
    auto r = db.begin_read();
    auto ms = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count() * 1e3; };
    for (int round = 0; round < rounds; ++round) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto visited = r.bfs(1, UINT32_MAX, direction::out);
        const auto t1 = std::chrono::steady_clock::now();
        const auto hop = r.k_hop(1, 3, direction::out);
        const auto t2 = std::chrono::steady_clock::now();
        std::mt19937_64 rng(5);
        std::size_t found = 0, nodes_on_paths = 0;
        for (int i = 0; i < 100; ++i) {
            const auto p = r.shortest_path(1 + rng() % (std::uint64_t{1} << scale), 1 + rng() % (std::uint64_t{1} << scale));
            if (p) {
                ++found;
                nodes_on_paths += p->size();
            }
        }
        const auto t3 = std::chrono::steady_clock::now();
        const auto plain = r.chain(1, {{direction::out, {}, ""}, {direction::out, {}, ""}});
        const auto t4 = std::chrono::steady_clock::now();
        const auto kinded = r.chain(1, {{direction::out, {}, "v"}, {direction::out, {}, "v"}});
        const auto t5 = std::chrono::steady_clock::now();
        std::printf("round %d: bfs %zu nodes %.1f ms; k_hop 3: %zu nodes %.1f ms; 100 shortest paths (%zu found, %zu nodes on them) "
                    "%.1f ms; chain of 2: %zu nodes %.1f ms, with kinds %zu nodes %.1f ms\n",
                    round, visited.size(), ms(t0, t1), hop.size(), ms(t1, t2), found, nodes_on_paths, ms(t2, t3), plain.size(),
                    ms(t3, t4), kinded.size(), ms(t4, t5));
    }
}
