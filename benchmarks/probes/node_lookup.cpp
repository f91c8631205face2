// Probe: Q1 of bench_graph_vs_sqlite (get_node of 100,000 random ids, warm)
// alone, on an existing scale-20 store FILE, with the benchmark's cache
// budget (page cache 512 MiB, node and adjacency caches 256 MiB each).
// Prints the minimum and median ns per lookup over 20 passes after 4 that
// fill the caches. Not built by CMake:
//
//   g++ -O2 -std=c++20 -Iinclude -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/node_lookup.cpp -o /tmp/node_lookup -lsimdjson -lpthread
//   (one line)
//   /tmp/node_lookup FILE
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>
using namespace sqlitegraph;
int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 1;
    }
    store_options so;
    so.pager.cache_pages = std::size_t{512} * 256;
    graph_store db(argv[1], so);
    db.set_node_cache_capacity(std::size_t{256} << 20);
    db.set_adjacency_cache_capacity(std::size_t{256} << 20);
    auto r = db.begin_read();
    std::mt19937_64 rng(42);
    std::vector<node_id> ids(100000);
    for (auto& id : ids) id = 1 + rng() % (std::uint64_t{1} << 20);
    std::vector<double> t;
    std::uint64_t sum = 0;
    for (int round = 0; round < 24; ++round) {
        const auto start = std::chrono::steady_clock::now();
        for (const auto id : ids) {
            const auto n = r.get_node(id);
            sum += n->kind.size() + n->name.size();
        }
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (round >= 4) t.push_back(s / ids.size() * 1e9);
    }
    std::sort(t.begin(), t.end());
    std::printf("min %.1f median %.1f ns (sum %llu)\n", t.front(), t[t.size() / 2], static_cast<unsigned long long>(sum));
}
