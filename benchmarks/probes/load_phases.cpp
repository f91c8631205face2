// Probe: where benchmark L1's load goes, phase by phase. Runs what
// `bench_graph_vs_sqlite --child load-ours` runs (the same CSV parser, a
// bulk loader fed batches of 2^20 edges, commit, close; that file's code is
// included with its main renamed) and prints each phase's seconds, its
// minor page faults and the peak RSS so far. For A/B runs of the loader
// build it against two include trees and alternate them. Not built by CMake:
//
//   g++ -O2 -g -std=c++20 -Iinclude -Ibenchmarks -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/load_phases.cpp -o /tmp/load_phases -lsimdjson -lpthread
//   (one line)
//   /tmp/load_phases DB nodes.csv edges.csv     # DB is deleted first
#define main graph_vs_sqlite_main
#include "graph_vs_sqlite.cpp"
#undef main

#include <sys/resource.h>

namespace {
long minor_faults() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u.ru_minflt;
}
long peak_rss_mib() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss >> 10;
}
} // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s DB nodes.csv edges.csv\n", argv[0]);
        return 1;
    }
    const std::string db_path = argv[1];
    remove_db(db_path);
    const auto begin = std::chrono::steady_clock::now();
    auto start = begin;
    long faults = minor_faults();
    auto phase = [&](const char* what) {
        const auto t = std::chrono::steady_clock::now();
        const long f = minor_faults();
        std::printf("%-12s %6.2f s %8ld faults  peak RSS %ld MiB\n", what, std::chrono::duration<double>(t - start).count(),
                    f - faults, peak_rss_mib());
        start = t;
        faults = f;
    };
    auto nodes = parse_nodes(argv[2]);
    phase("parse nodes");
    graph_store db(db_path, store_opts(1024));
    auto tx = db.begin_write();
    auto loader = tx.bulk_load();
    loader.add_nodes(nodes);
    phase("add nodes");
    parse_edge_batches(argv[3], nodes.size(), load_batch_rows,
                       [&](const std::vector<bulk_edge_input>& batch) { loader.add_edges(batch); });
    phase("edges in");
    loader.finish();
    phase("finish");
    tx.commit();
    phase("commit");
    db.close();
    phase("close");
    std::printf("total        %6.2f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
}
