// Power-loss simulation and real SIGKILL crash tests of the storage engine.
//
// Short mode (CI) by default; SQLITEGRAPH_LONG=1 multiplies the counts.
#include "pager/workload.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/fault_file.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "support/catch.hpp"
#include "support/long_mode.hpp"
#include "support/kill_harness.hpp"
#include "support/temp_dir.hpp"

#include <cstdlib>
#include <memory>
#include <random>

using namespace sqlitegraph;

namespace {
using fault_pager = pager<store_policies<fault_fs>>;
using mem_pager = pager<store_policies<memory_fs>>;
using posix_pager = pager<store_policies<>>;

int scale() { return sqlitegraph::testing::long_mode_factor(); }

pager_options small_log(sync_mode mode) {
    pager_options options;
    options.sync = mode;
    options.checkpoint_threshold_bytes = 24 * 4096; // checkpoints and resets happen often
    options.cache_pages = 64;
    return options;
}

// One run of crash cycles on one database: each cycle arms a crash at a
// random mutation, runs transactions until the "process" dies, cuts the
// power, reopens and checks the recovered state against the model.
void power_loss_cycles(std::uint64_t seed, int cycles, sync_mode mode) {
    fault_fs fs;
    testing::page_workload work(seed);
    std::mt19937_64 rng(seed);
    std::uint64_t acknowledged = 0;
    for (int cycle = 0; cycle < cycles; ++cycle) {
        std::uint64_t attempted = acknowledged;
        {
            std::unique_ptr<fault_pager> db;
            try {
                db = std::make_unique<fault_pager>("a.db", small_log(mode), fs);
                fs.crash_after(1 + rng() % 40);
                for (;;) {
                    const bool rollback = rng() % 8 == 0;
                    if (!rollback) attempted = work.committed() + 1;
                    work.run(*db, rollback);
                    if (!rollback) acknowledged = attempted;
                    if (rng() % 16 == 0) db->checkpoint();
                }
            } catch (const simulated_crash&) {
            }
        } // the dead process's handles go away before the power is cut
        fs.crash(rng());
        fault_pager db("a.db", small_log(mode), fs);
        INFO("seed " << seed << " cycle " << cycle << " acknowledged " << acknowledged << " attempted " << attempted);
        const auto recovered = work.verify(db);
        if (mode == sync_mode::full) REQUIRE(recovered >= acknowledged);
        REQUIRE(recovered <= attempted);
        work.truncate_to(recovered);
        acknowledged = recovered;
    }
}
} // namespace

TEST_CASE("power loss at thousands of random points keeps every acknowledged commit", "[pager][crash]") {
    const int runs = 10 * scale();
    for (int run = 0; run < runs; ++run)
        power_loss_cycles(1000 + static_cast<std::uint64_t>(run), 220, sync_mode::full);
}

TEST_CASE("power loss in normal sync mode leaves a consistent earlier state", "[pager][crash]") {
    const int runs = 3 * scale();
    for (int run = 0; run < runs; ++run)
        power_loss_cycles(5000 + static_cast<std::uint64_t>(run), 200, sync_mode::normal);
}

namespace {
// The child: runs workload transactions on a real file forever, reporting
// each acknowledged transaction number after commit() returns.
void kill_test_child(const std::string& path, std::uint64_t seed, int pipe_fd) {
    posix_pager db(path, small_log(sync_mode::full));
    // Rebuild the model up to the database's transaction, then go on.
    testing::page_workload work(seed);
    memory_fs model_fs;
    mem_pager model("model.db", {}, model_fs);
    std::uint64_t k;
    {
        auto r = db.begin_read();
        k = r.root("txn");
    }
    while (work.committed() < k)
        work.run(model);
    std::mt19937_64 rng(seed ^ k);
    for (;;) {
        const bool rollback = rng() % 8 == 0;
        const auto txn = work.run(db, rollback);
        if (!rollback) testing::acknowledge(pipe_fd, txn);
    }
}
} // namespace

TEST_CASE("reopen after SIGKILL keeps every acknowledged commit", "[pager][crash][kill]") {
    testing::temp_dir dir;
    const auto path = dir.file("kill.db");
    const std::uint64_t seed = 77;
    const int kills = 200 * scale();
    std::mt19937_64 rng(seed);
    testing::page_workload model(seed);
    memory_fs model_fs;
    mem_pager model_db("model.db", {}, model_fs);
    std::uint64_t acknowledged = 0;
    for (int kill = 0; kill < kills; ++kill) {
        const auto previous = acknowledged;
        acknowledged = testing::run_and_kill([&](int fd) { kill_test_child(path, seed, fd); }, acknowledged, rng);
        REQUIRE(acknowledged > previous); // the child committed before it was killed

        posix_pager db(path, small_log(sync_mode::full));
        std::uint64_t recovered;
        {
            auto r = db.begin_read();
            recovered = r.root("txn");
        }
        INFO("kill " << kill << ": acknowledged " << acknowledged << ", recovered " << recovered);
        REQUIRE(recovered >= acknowledged);
        REQUIRE(recovered <= acknowledged + 1); // at most the commit in flight
        while (model.committed() < recovered)
            model.run(model_db);
        REQUIRE(model.verify(db) == recovered);
        acknowledged = recovered;
    }
}
