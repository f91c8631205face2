// Probe: what one durable one-edge commit (BENCHMARKS.md L2) writes and
// waits for, on a store as large as the scale-20 benchmark's.
//
// Loads the R-MAT scale-S graph into DIR/probe-s<S>.db unless that file
// exists (rmat_store.hpp loads it in batches; a store loaded as the
// benchmark's L1 loads it, `bench_graph_vs_sqlite --child load-ours`, can
// be put there instead; the commits below add to it), opens it with the
// benchmark's caches, then runs ROUNDS rounds of COMMITS one-edge
// transactions between random nodes (sync_mode::full, the default 4 MiB
// checkpoint threshold), each round after the raw 4 KiB pwrite + fdatasync
// loop of bench_util.hpp on the same disk, and prints both means per
// commit/write for each round, then over all rounds and for the median
// round. Not built by CMake:
//
//   g++ -O2 -std=c++20 -Iinclude -Ibenchmarks -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/one_edge_commit.cpp -o /tmp/one_edge_commit -lsimdjson -lpthread
//   (one line)
//   /tmp/one_edge_commit DIR 20 1000 3
//   /tmp/one_edge_commit DIR 20 50 8 normal      (sync_mode::normal: commits without their fdatasync)
//   strace -T -e trace=pwrite64,fdatasync,pread64 /tmp/one_edge_commit DIR 20 300 1 2> trace.txt
//
// The trace shows, per commit, one pwrite of the log frames and one
// fdatasync of the log (and the reads of the pages the commit needs).
//
// Each round also prints, for the raw loop and for the commits, what the
// disk holding DIR was sent per write or commit (/proc/diskstats: write
// requests, KiB, flushes). With the shim sync_time_shim.c preloaded it
// prints the time spent in the sync and write calls too:
//   cc -O2 -shared -fPIC benchmarks/probes/sync_time_shim.c -o /tmp/sync_time_shim.so -ldl
//   LD_PRELOAD=/tmp/sync_time_shim.so /tmp/one_edge_commit DIR 16 100 8
// CKPT_MIB=n in the environment sets the checkpoint threshold (n MiB).
// WARM=1 reads every node's adjacency and 100,000 nodes before the rounds.
// The store keeps its log's working size (the threshold plus 1 MiB) when
// it closes, so use a copy of DIR for that: later runs on the same store
// otherwise start with that log (the 2026-11-24 L2 results saw commits
// 2-4x slower on such a store).
#include "bench_util.hpp"
#include "probes/rmat_store.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <vector>

using namespace sqlitegraph;

// Defined by sync_time_shim.c when it is preloaded: prints and resets the
// time spent in fdatasync/fsync and pwrite/pwritev since the last call.
extern "C" void sync_time_report(const char* what) __attribute__((weak));

namespace {
// The block device's counters from /proc/diskstats (writes completed,
// sectors written, flushes completed) for the disk that holds `dir`, to
// see what each commit sends to the device beside its time.
struct disk_counters {
    double writes = 0, sectors = 0, flushes = 0;
};
disk_counters read_disk(const std::string& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return {};
    std::ifstream in("/proc/diskstats");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        unsigned ma = 0, mi = 0;
        std::string name;
        f >> ma >> mi >> name;
        if (ma != major(st.st_dev) || mi != minor(st.st_dev)) continue;
        double v[17] = {};
        for (double& x : v) f >> x;
        // after the name: reads, merged, sectors, ms, writes (4), merged,
        // sectors written (6), ..., flushes completed (15)
        return {v[4], v[6], v[15]};
    }
    return {};
}
void print_disk(const char* what, const disk_counters& a, const disk_counters& b, int n) {
    std::printf("  %s per op: %.2f writes, %.1f KiB written, %.2f flushes\n", what, (b.writes - a.writes) / n,
                (b.sectors - a.sectors) / 2 / n, (b.flushes - a.flushes) / n);
}
} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [SCALE=20] [COMMITS=1000] [ROUNDS=3] [full|normal]\n", argv[0]);
        return 1;
    }
    const std::string dir = argv[1];
    const unsigned scale = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 20;
    const int commits = argc > 3 ? std::atoi(argv[3]) : 1000;
    const int rounds = argc > 4 ? std::atoi(argv[4]) : 3;
    // normal: the same commits without their fdatasync, to see what a commit
    // costs besides the sync.
    const bool unsynced = argc > 5 && std::string(argv[5]) == "normal";
    auto so = probes::query_options(unsynced ? sync_mode::normal : sync_mode::full);
    // CKPT_MIB=n: checkpoint at n MiB of log instead of the default 4.
    if (const char* mib = std::getenv("CKPT_MIB")) so.pager.checkpoint_threshold_bytes = std::uint64_t(std::atoi(mib)) << 20;
    auto db = probes::open_for_queries(dir, scale, so);
    const std::uint64_t n = std::uint64_t{1} << scale;
    // WARM=1: first read every node's neighbours in both directions and
    // 100,000 random nodes, as the benchmark's Q1-Q5 do before its L2, so
    // that the commits run with full caches.
    if (const char* warm = std::getenv("WARM"); warm && std::string(warm) == "1") {
        std::vector<node_id> all(n);
        for (std::uint64_t i = 0; i < n; ++i) all[i] = i + 1;
        std::uint64_t seen = 0;
        auto r = db.begin_read();
        r.for_each_neighbor_of(all, direction::both, [&](std::size_t, node_id, edge_id, std::uint32_t, direction) { ++seen; });
        std::mt19937_64 pick(7);
        node one_node;
        for (int i = 0; i < 100000; ++i) seen += r.read_node(1 + pick() % n, one_node) ? 1 : 0;
        std::printf("warmed: %llu entries and nodes read\n", static_cast<unsigned long long>(seen));
    }
    std::mt19937_64 rng(42);
    std::vector<double> ours, raw;
    for (int r = 0; r < rounds; ++r) {
        const auto d0 = read_disk(dir);
        raw.push_back(bench::raw_write_fdatasync_us(dir + "/probe-raw", commits));
        const auto d1 = read_disk(dir);
        if (sync_time_report) sync_time_report("raw loop");
        const auto checkpoints_before = db.pager_handle().stats().checkpoints;
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < commits; ++i) db.insert_edge({1 + rng() % n, 1 + rng() % n, "follows", R"({"weight":1})"});
        ours.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() * 1e6 / commits);
        std::printf("round %d: one-edge commit %.1f us, raw 4 KiB write + fdatasync %.1f us, ratio %.2f, checkpoints %llu\n", r,
                    ours.back(), raw.back(), ours.back() / raw.back(),
                    static_cast<unsigned long long>(db.pager_handle().stats().checkpoints - checkpoints_before));
        const auto d2 = read_disk(dir);
        if (sync_time_report) sync_time_report("commits");
        print_disk("raw loop", d0, d1, commits);
        print_disk("commits ", d1, d2, commits);
    }
    // Over all rounds (checkpoints included) and the median round, as the
    // benchmark reports its repeats.
    const double ours_mean = bench::mean_of(ours), raw_mean = bench::mean_of(raw);
    std::sort(ours.begin(), ours.end());
    std::sort(raw.begin(), raw.end());
    const double ours_median = ours[ours.size() / 2], raw_median = raw[raw.size() / 2];
    std::printf("all rounds: %.1f us per commit, raw %.1f us, ratio %.2f; median round: %.1f us, raw %.1f us, ratio %.2f\n",
                ours_mean, raw_mean, ours_mean / raw_mean, ours_median, raw_median, ours_median / raw_median);
}
