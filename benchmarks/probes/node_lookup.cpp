// Probe: Q1 of bench_graph_vs_sqlite (get_node of 100,000 random ids, warm)
// alone, on an existing scale-20 store FILE, with the benchmark's cache
// budget (page cache 512 MiB, node and adjacency caches 256 MiB each).
// Prints the minimum and median ns per lookup over 20 passes of each of
// get_node and read_node (alternated) after 8 that fill the caches. Not
// built by CMake:
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
    // Rounds alternate between get_node (a new node per call) and read_node
    // (one node whose strings are reused, as the SQLite side of Q1 reuses
    // its strings), both after the same warm-up.
    std::vector<double> t[2];
    std::uint64_t sum[2] = {0, 0};
    node reused;
    for (int round = 0; round < 48; ++round) {
        const int form = round % 2;
        const auto start = std::chrono::steady_clock::now();
        if (form == 0) {
            for (const auto id : ids) {
                const auto n = r.get_node(id);
                sum[0] += n->kind.size() + n->name.size();
            }
        } else {
            for (const auto id : ids) {
                r.read_node(id, reused);
                sum[1] += reused.kind.size() + reused.name.size();
            }
        }
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (round >= 8) t[form].push_back(s / ids.size() * 1e9);
    }
    const char* names[2] = {"get_node ", "read_node"};
    for (int form = 0; form < 2; ++form) {
        std::sort(t[form].begin(), t[form].end());
        std::printf("%s min %.1f median %.1f ns (sum %llu)\n", names[form], t[form].front(), t[form][t[form].size() / 2],
                    static_cast<unsigned long long>(sum[form]));
    }
}
