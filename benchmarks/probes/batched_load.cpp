// Probe: a store loaded in many transactions (one bulk_insert of 2^B edges
// each, the R-MAT graph of SCALE, nodes in the first), as an application
// that imports in batches does; prints the first batches' times and the
// total. Each batch after the first names existing nodes and merges into
// filled trees, which one bulk_insert of everything does not. Not built by
// CMake:
//
//   g++ -O2 -g -std=c++20 -Iinclude -Ibenchmarks -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/batched_load.cpp -o /tmp/batched_load -lsimdjson -lpthread
//   (one line)
//   /tmp/batched_load FILE SCALE B [w]     (w: edges carry weights; FILE is replaced)
#include "probes/rmat_store.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

using namespace sqlitegraph;
using sqlitegraph::probes::load_in_batches;
int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: batched_load FILE SCALE B [w]\n");
        return 2;
    }
    const std::string path = argv[1];
    const unsigned scale = std::stoul(argv[2]);
    const unsigned batch_log2 = std::stoul(argv[3]);
    const bool weighted = argc > 4 && std::string(argv[4]) == "w";
    algo::rmat_options ro;
    ro.scale = scale;
    const auto src = algo::generate_rmat(ro);
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    store_options so;
    so.pager.cache_pages = std::size_t{512} * 256;
    graph_store db(path, so);
    const auto t0 = std::chrono::steady_clock::now();
    const int rounds = static_cast<int>((src.from.size() + (std::size_t{1} << batch_log2) - 1) >> batch_log2);
    load_in_batches(db, src, batch_log2, weighted, [&](int round, double seconds) {
        if (round <= 3 || round == rounds) std::printf("batch %d: %.3f s\n", round, seconds);
    });
    std::printf("total %.2f s for %zu edges in %d transactions\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), src.from.size(), rounds);
}
