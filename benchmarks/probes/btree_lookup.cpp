// Probe: warm point lookups in a bulk-loaded 10 M-key u64 B+Tree over the
// pager (the "point lookup" row of bench_btree) without the insert
// workloads, so one variant can be timed against another in seconds and
// run under `perf record`. Same tree and probes as bench_btree: keys 0, 2,
// 4, ..., cache large enough for the whole tree, one read transaction.
// Not built by CMake:
//
//   g++ -O2 -g -std=c++20 -Iinclude benchmarks/probes/btree_lookup.cpp -o /tmp/btree_lookup
//   /tmp/btree_lookup [KEYS=10000000] [ROUNDS=5]
//   GLIBC_TUNABLES=glibc.malloc.hugetlb=1 /tmp/btree_lookup   # heap in huge pages
//
// The last line reports the process's AnonHugePages (Linux): how much of
// the page arena (pager/page_arena.hpp) the kernel backed with huge pages.
#include "sqlitegraph/btree/btree.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/pager/pager.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace sqlitegraph;
using params = btree_params<u64_codec, u64_codec, 4096>;
using mem_pager = pager<store_policies<memory_fs>>;

int main(int argc, char** argv) {
    const std::size_t keys = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
    const std::size_t per_round = 1'000'000;

    std::vector<std::uint64_t> sorted(keys);
    for (std::size_t i = 0; i < keys; ++i) sorted[i] = i * 2;
    std::mt19937_64 rng(42);
    std::vector<std::uint64_t> probes(per_round);
    for (auto& p : probes) p = sorted[rng() % keys];

    pager_options po;
    po.cache_pages = keys / 100 + 16384;
    po.checkpoint_threshold_bytes = 0;
    po.sync = sync_mode::normal;
    memory_fs fs;
    mem_pager db("q.db", po, fs);
    {
        auto tx = db.begin_write();
        auto tree = basic_btree<mem_pager::write_txn, params>::create(tx);
        std::vector<std::pair<std::uint64_t, std::uint64_t>> pairs;
        pairs.reserve(keys);
        for (auto k : sorted) pairs.emplace_back(k, k);
        tree.bulk_load(pairs);
        tx.set_root("t", tree.root());
        tx.commit();
    }
    auto rx = db.begin_read();
    basic_btree<mem_pager::read_txn, params> tree(rx, static_cast<page_id>(rx.root("t")));
    std::uint64_t sink = 0;
    for (auto c = tree.begin(); c.valid(); c.next()) sink += c.value();
    for (auto k : probes) sink += *tree.find(k); // keeps every leaf the probes reach
    for (int r = 0; r < rounds; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        for (auto k : probes) sink += *tree.find(k);
        const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
        std::printf("round %d: %.1f ns/lookup\n", r, ns / static_cast<double>(per_round));
    }
    std::printf("(checksum %llu)\n", static_cast<unsigned long long>(sink));
    std::ifstream rollup("/proc/self/smaps_rollup");
    for (std::string line; std::getline(rollup, line);)
        if (line.rfind("AnonHugePages:", 0) == 0) std::printf("%s\n", line.c_str());
}
