// Power-loss simulation and real SIGKILL crash tests of the storage engine.
//
// Short mode (CI) by default; SQLITEGRAPH_LONG=1 multiplies the counts.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include "pager/workload.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/fault_file.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

using namespace sqlitegraph;

namespace {
using fault_pager = pager<store_policies<fault_fs>>;
using mem_pager = pager<store_policies<memory_fs>>;
using posix_pager = pager<store_policies<>>;

int scale() {
    const char* long_mode = std::getenv("SQLITEGRAPH_LONG");
    return long_mode != nullptr && std::string(long_mode) == "1" ? 20 : 1;
}

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
    for (int run = 0; run < runs; ++run) power_loss_cycles(1000 + static_cast<std::uint64_t>(run), 220, sync_mode::full);
}

TEST_CASE("power loss in normal sync mode leaves a consistent earlier state", "[pager][crash]") {
    const int runs = 3 * scale();
    for (int run = 0; run < runs; ++run) power_loss_cycles(5000 + static_cast<std::uint64_t>(run), 200, sync_mode::normal);
}

namespace {
// The child: runs workload transactions on a real file forever, writing each
// acknowledged transaction number to the pipe after commit() returns.
[[noreturn]] void kill_test_child(const std::string& path, std::uint64_t seed, int pipe_fd) {
    try {
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
        while (work.committed() < k) work.run(model);
        std::mt19937_64 rng(seed ^ k);
        for (;;) {
            const bool rollback = rng() % 8 == 0;
            const auto txn = work.run(db, rollback);
            if (!rollback && ::write(pipe_fd, &txn, sizeof txn) != sizeof txn) ::_exit(3);
        }
    } catch (...) {
        ::_exit(2);
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
    int kills_mid_run = 0;
    int kills_after_progress = 0; // the child had committed since it started
    for (int kill = 0; kill < kills; ++kill) {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            ::close(fds[0]);
            kill_test_child(path, seed, fds[1]);
        }
        ::close(fds[1]);
        // Wait for the child's first acknowledged commit (so the kill lands
        // while it is committing, not while it starts), then a random while.
        ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
        const auto started = std::chrono::steady_clock::now();
        const auto before = acknowledged;
        std::optional<std::chrono::steady_clock::time_point> deadline;
        std::uint64_t txn;
        while (!deadline || std::chrono::steady_clock::now() < *deadline) {
            while (::read(fds[0], &txn, sizeof txn) == sizeof txn) acknowledged = std::max(acknowledged, txn);
            if (!deadline && acknowledged > before) {
                deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(rng() % 20000);
            }
            if (!deadline && std::chrono::steady_clock::now() - started > std::chrono::seconds(10)) break;
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
        REQUIRE(deadline.has_value()); // the child committed within 10 s
        ::kill(child, SIGKILL);
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ++kills_mid_run;
        INFO("child exit status " << status);
        REQUIRE((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
        while (::read(fds[0], &txn, sizeof txn) == sizeof txn) acknowledged = std::max(acknowledged, txn);
        ::close(fds[0]);

        posix_pager db(path, small_log(sync_mode::full));
        std::uint64_t recovered;
        {
            auto r = db.begin_read();
            recovered = r.root("txn");
        }
        INFO("kill " << kill << ": acknowledged " << acknowledged << ", recovered " << recovered);
        if (recovered > model.committed()) ++kills_after_progress;
        REQUIRE(recovered >= acknowledged);
        REQUIRE(recovered <= acknowledged + 1); // at most the commit in flight
        while (model.committed() < recovered) model.run(model_db);
        REQUIRE(model.verify(db) == recovered);
        acknowledged = recovered;
    }
    REQUIRE(kills_mid_run == kills);
    REQUIRE(kills_after_progress == kills); // every child had committed before it was killed
}
