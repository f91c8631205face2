// Probe: where benchmark L1's load goes, phase by phase. Runs the
// benchmark's own load_ours() (what `bench_graph_vs_sqlite --child
// load-ours` runs: its CSV parser, a bulk loader fed batches of 2^20 edges,
// commit, close; that file is included with its main renamed) with its
// default --cache-mib 1024, and prints each phase's seconds, its
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
rusage usage() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u;
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
    long faults = usage().ru_minflt;
    auto phase = [&](const char* what) {
        const auto t = std::chrono::steady_clock::now();
        const rusage u = usage();
        const long f = u.ru_minflt;
        std::printf("%-12s %6.2f s %8ld faults  peak RSS %ld MiB\n", what, std::chrono::duration<double>(t - start).count(),
                    f - faults, u.ru_maxrss >> 10);
        start = t;
        faults = f;
    };
    load_ours(db_path, argv[2], argv[3], 1024, phase);
    std::printf("total        %6.2f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
}
