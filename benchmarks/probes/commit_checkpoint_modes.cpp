// Probe: what the checkpoints cost one-edge durable commits (L2), and what
// moving them off the commit path might give. Opens DIR/probe-s20.db as
// benchmarks/probes/one_edge_commit.cpp does (loading it if missing) and runs
// three rounds of COMMITS one-edge commits, each after the raw 4 KiB
// write + fdatasync loop, in one of three modes:
//   0  the default: automatic checkpoints at 4 MiB of log, on the commit path;
//   1  no automatic checkpoints (the log grows in 1 MiB steps);
//   2  as 1, plus a thread that, every 256 commits, rewrites two random
//      pages of the main file per commit and syncs it: a stand-in for a
//      checkpointer running beside the writer.
// Use a fresh copy of the store for each run. Not built by CMake:
//
//   g++ -O2 -std=c++20 -Iinclude -Ibenchmarks -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/commit_checkpoint_modes.cpp -o /tmp/commit_checkpoint_modes -lsimdjson -lpthread
//   (one line)
//   /tmp/commit_checkpoint_modes DIR MODE COMMITS
#include "bench_util.hpp"
#include "probes/rmat_store.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <random>
#include <thread>
#include <unistd.h>
using namespace sqlitegraph;
int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s DIR MODE COMMITS\n", argv[0]);
        return 1;
    }
    const std::string dir = argv[1];
    const int mode = std::atoi(argv[2]), commits = std::atoi(argv[3]);
    auto so = probes::query_options(sync_mode::full);
    if (mode != 0) so.pager.checkpoint_threshold_bytes = 0; // no automatic checkpoints
    auto db = probes::open_for_queries(dir, 20, so);
    std::atomic<bool> stop{false};
    std::atomic<long> done_commits{0};
    std::thread bg;
    if (mode == 2) bg = std::thread([&] {
        const int fd = ::open(probes::rmat_store_path(dir, 20).c_str(), O_RDWR);
        alignas(4096) static char page[4096] = {};
        std::mt19937_64 rng(7);
        long copied = 0;
        while (!stop) {
            // one checkpoint's worth: 2 pages per commit since the last, after 256 commits
            if (done_commits - copied < 256) { std::this_thread::sleep_for(std::chrono::microseconds(200)); continue; }
            const long n = done_commits - copied;
            copied += n;
            std::vector<off_t> offs; for (long i = 0; i < 2 * n; ++i) offs.push_back(off_t(rng() % 200000) * 4096);
            std::sort(offs.begin(), offs.end());
            for (auto o : offs) { ::pread(fd, page, 4096, o); ::pwrite(fd, page, 4096, o); }
            ::fdatasync(fd);
        }
        ::close(fd);
    });
    std::mt19937_64 rng(42);
    const std::uint64_t n = 1u << 20;
    for (int round = 0; round < 3; ++round) {
        const double raw = bench::raw_write_fdatasync_us(dir + "/probe-raw", commits);
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < commits; ++i) { db.insert_edge({1 + rng() % n, 1 + rng() % n, "follows", R"({"weight":1})"}); ++done_commits; }
        const double us = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() * 1e6 / commits;
        std::printf("mode %d round %d: %.1f us/commit, raw %.1f, ratio %.2f\n", mode, round, us, raw, us / raw);
    }
    stop = true;
    if (bg.joinable()) bg.join();
}
