// Probe: snapshot_csr (the csr_view built from a read snapshot) on a store
// as large as the scale-20 benchmark's, without the rest of
// bench_algo_vs_igraph; the program to run under `perf record`.
//
// Loads the R-MAT scale-S graph into DIR/probe-s<S>.db unless that file
// exists (rmat_store.hpp; its edges have no properties, so with weights
// every weight is 1; with `weighted`, DIR/probe-s<S>w.db, whose edges carry
// their R-MAT weights as bench_algo_vs_igraph's store does), opens it with a page cache of 2^21 pages (the whole
// file stays cached) and times ROUNDS builds with THREADS threads; the
// first build reads the pages from the file, the others are warm. Not
// built by CMake:
//
//   g++ -O2 -g -std=c++20 -Iinclude -Ibenchmarks -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/snapshot_build.cpp -o /tmp/snapshot_build -lsimdjson -lpthread
//   (one line)
//   /tmp/snapshot_build DIR 20 2 4            # 2 threads, no weights
//   /tmp/snapshot_build DIR 20 1 4 weights    # 1 thread, weights read
//   /tmp/snapshot_build DIR 20 1 4 weighted   # weights read, weighted store
//   perf record -g /tmp/snapshot_build DIR 20 1 4
#include "probes/rmat_store.hpp"
#include "sqlitegraph/graph/store_view.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace sqlitegraph;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [SCALE=20] [THREADS=1] [ROUNDS=4] [weights|weighted]\n", argv[0]);
        return 1;
    }
    const std::string dir = argv[1];
    const unsigned scale = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 20;
    snapshot_options o;
    o.threads = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 1;
    const int rounds = argc > 4 ? std::atoi(argv[4]) : 4;
    const std::string mode = argc > 5 ? argv[5] : "";
    o.weights = mode == "weights" || mode == "weighted";
    store_options so;
    so.pager.sync = sync_mode::normal;
    so.pager.cache_pages = std::size_t{1} << 21;
    graph_store db(probes::rmat_store(dir, scale, so, mode == "weighted"), so);
    auto r = db.begin_read();
    for (int i = 0; i < rounds; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const auto s = snapshot_csr<graph_store>(r, o);
        const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("%s build, %u thread(s), weights %s: %.3f s, %.2f M edges/s\n", i == 0 ? "first" : "warm", o.threads,
                    o.weights ? "read" : "skipped", sec, static_cast<double>(s.graph.edge_count()) / sec / 1e6);
    }
}
