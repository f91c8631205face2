// Crash tests of the graph store: power loss simulated with fault_fs at
// random points of a graph workload, and a child process killed with
// SIGKILL while it commits. After each, the store opens, check() passes and
// the graph equals the model at a transaction no older than the last
// acknowledged one. SQLITEGRAPH_LONG=1 multiplies the counts.
#include "graph/graph_workload.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/io/fault_file.hpp"
#include "support/catch.hpp"
#include "support/long_mode.hpp"
#include "support/kill_harness.hpp"
#include "support/temp_dir.hpp"

#include <cstdlib>
#include <memory>
#include <random>

using namespace sqlitegraph;

namespace {
using fault_store = basic_graph_store<fault_fs, page_size<1024>>;
using posix_store = basic_graph_store<>;

int scale() { return sqlitegraph::testing::long_mode_factor(); }

store_options small_log(sync_mode mode) {
    store_options options;
    options.pager.sync = mode;
    options.pager.checkpoint_threshold_bytes = 48 * 1024; // checkpoints and log resets happen often
    options.pager.cache_pages = 64;
    return options;
}

void power_loss_cycles(std::uint64_t seed, int cycles, sync_mode mode) {
    fault_fs fs;
    testing::graph_workload work(seed);
    std::mt19937_64 rng(seed);
    std::uint64_t acknowledged = 0;
    for (int cycle = 0; cycle < cycles; ++cycle) {
        std::uint64_t attempted = acknowledged;
        {
            std::unique_ptr<fault_store> db;
            try {
                fs.crash_after(1 + rng() % 60);
                db = std::make_unique<fault_store>("g.db", small_log(mode), fs);
                for (;;) {
                    const bool rollback = rng() % 8 == 0;
                    if (!rollback) attempted = work.committed() + 1;
                    work.run(*db, rollback);
                    if (!rollback) acknowledged = attempted;
                    if (rng() % 16 == 0) db->checkpoint();
                }
            } catch (const simulated_crash&) {
            }
        }
        fs.crash(rng());
        fault_store db("g.db", small_log(mode), fs);
        INFO("seed " << seed << " cycle " << cycle << " acknowledged " << acknowledged << " attempted " << attempted);
        const auto recovered = work.verify(db);
        if (mode == sync_mode::full) REQUIRE(recovered >= acknowledged);
        REQUIRE(recovered <= attempted);
        work.truncate_to(recovered);
        acknowledged = recovered;
    }
}
} // namespace

TEST_CASE("graph store after power loss at random points keeps every acknowledged transaction and passes check",
          "[graph][crash]") {
    const int runs = 2 * scale();
    for (int run = 0; run < runs; ++run)
        power_loss_cycles(300 + static_cast<std::uint64_t>(run), 60, sync_mode::full);
}

TEST_CASE("graph store after power loss in normal sync mode is at a consistent earlier transaction", "[graph][crash]") {
    power_loss_cycles(900, 40 * scale(), sync_mode::normal);
}

namespace {
[[noreturn]] void graph_kill_child(const std::string& path, std::uint64_t seed, int pipe_fd) {
    try {
        posix_store db(path, small_log(sync_mode::full));
        testing::graph_workload work(seed);
        const auto k = testing::graph_workload::held(db);
        while (work.committed() < k)
            work.advance();
        std::mt19937_64 rng(seed ^ k);
        for (;;) {
            const bool rollback = rng() % 8 == 0;
            const auto txn = work.run(db, rollback);
            if (!rollback) testing::acknowledge(pipe_fd, txn);
        }
    } catch (...) {
        ::_exit(2);
    }
}
} // namespace

TEST_CASE("graph store reopened after SIGKILL keeps every acknowledged transaction and passes check",
          "[graph][crash][kill]") {
    testing::temp_dir dir;
    const auto path = dir.file("kill.db");
    const std::uint64_t seed = 41;
    const int kills = 25 * scale();
    std::mt19937_64 rng(seed);
    testing::graph_workload model(seed);
    std::uint64_t acknowledged = 0;
    for (int kill = 0; kill < kills; ++kill) {
        acknowledged = testing::run_and_kill([&](int fd) { graph_kill_child(path, seed, fd); }, acknowledged, rng);

        posix_store db(path, small_log(sync_mode::full));
        const auto recovered = testing::graph_workload::held(db);
        INFO("kill " << kill << ": acknowledged " << acknowledged << ", recovered " << recovered);
        REQUIRE(recovered >= acknowledged);
        REQUIRE(recovered <= acknowledged + 1); // at most the commit in flight
        while (model.committed() < recovered)
            model.advance();
        model.truncate_to(recovered);
        REQUIRE(model.verify(db) == recovered);
        acknowledged = recovered;
    }
}
