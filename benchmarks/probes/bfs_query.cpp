// Probe: Q3, Q4 and Q5 of bench_graph_vs_sqlite alone, in the benchmark's
// order, on the probes' R-MAT store (or, as DIR/probe-s20.db, a copy of the
// benchmark's own store) with the benchmark's cache budget: 2 out-hops from
// 100 random sources, the full out-BFS from node 1, shortest path lengths
// (bidirectional BFS, both directions) for 100 random pairs, and last the
// same BFS over an in-memory CSR of the graph, whose time is the
// traversal's own work (visited set and queue, shared by both systems of
// the benchmark). Each stage: one warm-up pass, then ROUNDS timed passes;
// prints ns per scanned edge (minimum, median) and the adjacency cache's
// hits and misses over the timed passes. With `q2`, the benchmark's Q2
// lookups come first and Q3 and Q5 use the benchmark's ids. Not built by CMake:
//
//   g++ -O2 -g -std=c++20 -Iinclude -Ibenchmarks -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/bfs_query.cpp -o /tmp/bfs_query -lsimdjson -lpthread
//   (one line)
//   /tmp/bfs_query DIR [SCALE=20] [ROUNDS=10] [q2]
#include "probes/rmat_store.hpp"
#include "traversal_harness.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace sqlitegraph;

namespace {

using namespace sqlitegraph::bench;

// ROUNDS timed passes after one warm-up pass: ns per edge, and the adjacency
// cache's hits and misses over the timed passes.
template <class Pass> void report(const char* name, int rounds, graph_store& db, Pass&& pass) {
    std::uint64_t edges = pass();
    const auto before = db.adjacency_cache_statistics();
    std::vector<double> ns;
    for (int i = 0; i < rounds; ++i) {
        const auto start = std::chrono::steady_clock::now();
        edges = pass();
        ns.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() * 1e9 /
                     static_cast<double>(edges));
    }
    const auto after = db.adjacency_cache_statistics();
    std::sort(ns.begin(), ns.end());
    std::printf("%-8s %llu edges: min %.2f, median %.2f ns per edge; adjacency cache %llu hits, %llu misses "
                "(then %zu entries, %.1f of %.1f MB, %llu replaced)\n",
                name, static_cast<unsigned long long>(edges), ns.front(), ns[ns.size() / 2],
                static_cast<unsigned long long>(after.hits - before.hits),
                static_cast<unsigned long long>(after.misses - before.misses), after.entries,
                static_cast<double>(after.bytes) / 1e6, static_cast<double>(after.capacity) / 1e6, static_cast<unsigned long long>(after.replaced));
}

} // namespace

int main(int argc, char** argv) {
    const auto args = probes::parse_query_args(argc, argv, 10, " [q2]");
    if (!args) return 1;
    const unsigned scale = args->scale;
    const int rounds = args->rounds;
    auto db = probes::open_for_queries(args->dir, scale);
    auto r = db.begin_read();
    const std::uint64_t n = r.node_count();
    stamped_set seen(n), other(n);
    std::vector<std::uint64_t> frontier;
    // The benchmark's neighbour functions, counting the edges they scan.
    std::uint64_t edges = 0;
    auto out_of = [&](std::uint64_t id, auto&& fn) {
        r.for_each_neighbor(id, direction::out, [&](node_id m, edge_id, std::uint32_t, direction) {
            ++edges;
            fn(m);
        });
    };
    auto in_of = [&](std::uint64_t id, auto&& fn) {
        r.for_each_neighbor(id, direction::in, [&](node_id m, edge_id, std::uint32_t, direction) {
            ++edges;
            fn(m);
        });
    };
    auto scanned = [&](auto&& pass) {
        edges = 0;
        pass();
        return edges;
    };

    // Q3's shape, first as in the benchmark: 2 out-hops from 100 random
    // sources (the warm-up pass fills the adjacency cache). With `q2`, the
    // benchmark's own ids (make_ids, --quick): its Q2 lookups (out-lists of
    // 10,000 random nodes) run first, and Q3 and Q5 use its sources and pairs.
    const bool like_benchmark = argc > 4 && std::string(argv[4]) == "q2";
    std::mt19937_64 rng(42);
    std::vector<std::uint64_t> sources(100);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> pairs(100);
    if (like_benchmark) {
        const auto ids = make_ids(n, true);
        report("q2", rounds, db, [&] {
            return scanned([&] {
                for (const auto id : ids.q2) out_of(id, [](std::uint64_t) {});
            });
        });
        sources = ids.q3;
        pairs = ids.q5;
    } else {
        for (auto& s : sources) s = 1 + rng() % n;
        for (auto& [a, b] : pairs) {
            a = 1 + rng() % n;
            b = 1 + rng() % n;
        }
    }
    report("2-hop", rounds, db, [&] {
        return scanned([&] {
            for (const auto src : sources) two_hop_count(src, seen, frontier, out_of);
        });
    });
    report("bfs", rounds, db, [&] { return scanned([&] { bfs(1, UINT32_MAX, seen, out_of); }); });
    // Q5's shape: shortest path lengths for 100 random pairs, both directions.
    report("paths", rounds, db, [&] {
        return scanned([&] {
            for (const auto& [a, b] : pairs) shortest_length(a, b, seen, other, out_of, in_of);
        });
    });
    // The CSR (built after the store's passes, which fill its caches
    // themselves): out-neighbours of every node, in the store's order.
    std::vector<std::uint64_t> offsets(n + 2, 0), targets;
    for (std::uint64_t v = 1; v <= n; ++v) {
        r.for_each_neighbor(v, direction::out, [&](node_id m, edge_id, std::uint32_t, direction) { targets.push_back(m); });
        offsets[v + 1] = targets.size();
    }

    report("bfs csr", rounds, db, [&] {
        return bfs(1, UINT32_MAX, seen, [&](std::uint64_t id, auto&& fn) {
                   for (auto i = offsets[id]; i < offsets[id + 1]; ++i)
                       fn(targets[i]);
               })
            .edges;
    });
}
