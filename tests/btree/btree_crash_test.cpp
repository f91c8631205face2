// Crash safety of the B+Tree through the pager: the storage engine's
// power-loss simulation and SIGKILL test, run with a B+Tree workload, with
// verify() and a full page accounting after every recovery.
#include "sqlitegraph/btree/btree.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/fault_file.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "support/catch.hpp"
#include "support/long_mode.hpp"
#include "support/kill_harness.hpp"
#include "support/temp_dir.hpp"

#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>

using namespace sqlitegraph;

namespace {
using tree_params = btree_params<u64_codec, u64_codec, 1024>;
using model_map = std::map<std::uint64_t, std::uint64_t>;

int scale() { return sqlitegraph::testing::long_mode_factor(); }

pager_options crash_options() {
    pager_options options;
    options.checkpoint_threshold_bytes = 32 * 1024; // frequent checkpoints and log resets
    options.cache_pages = 64;
    return options;
}

// Transaction k's operations depend only on (seed, k), so the model after k
// transactions can be recomputed by any process.
void apply_ops(std::uint64_t seed, std::uint64_t k, auto&& upsert, auto&& erase) {
    std::mt19937_64 rng(seed * 1000003 + k);
    const auto ops = 1 + rng() % 60;
    for (std::uint64_t i = 0; i < ops; ++i) {
        const auto key = rng() % 3000;
        if (rng() % 3 == 0) {
            erase(key);
        } else {
            upsert(key, k * 1000 + i);
        }
    }
}

model_map model_after(std::uint64_t seed, std::uint64_t k) {
    model_map model;
    for (std::uint64_t t = 1; t <= k; ++t) {
        apply_ops(
            seed, t, [&](std::uint64_t key, std::uint64_t value) { model[key] = value; },
            [&](std::uint64_t key) { model.erase(key); });
    }
    return model;
}

// Runs transaction k (committing unless rollback) on the database.
template <class Pager> void run_tree_txn(Pager& db, std::uint64_t seed, std::uint64_t k, bool rollback) {
    auto tx = db.begin_write();
    const auto root = static_cast<page_id>(tx.root("tree"));
    auto tree = root == null_page ? basic_btree<typename Pager::write_txn, tree_params>::create(tx)
                                  : basic_btree<typename Pager::write_txn, tree_params>(tx, root);
    apply_ops(
        seed, k, [&](std::uint64_t key, std::uint64_t value) { tree.upsert(key, value); },
        [&](std::uint64_t key) { tree.erase(key); });
    tx.set_root("tree", tree.root());
    tx.set_root("txn", k);
    if (rollback) {
        tx.rollback();
    } else {
        tx.commit();
    }
}

// Verifies the recovered tree against the model for its transaction number
// and accounts every page of the file. Returns that number.
template <class Pager> std::uint64_t verify_recovered(Pager& db, std::uint64_t seed) {
    auto r = db.begin_read();
    const auto k = r.root("txn");
    model_map contents;
    std::vector<page_id> pages;
    if (k > 0) {
        basic_btree<typename Pager::read_txn, tree_params> tree(r, static_cast<page_id>(r.root("tree")));
        const auto report = tree.verify(true);
        pages = report.pages;
        for (auto c = tree.begin(); c.valid(); c.next())
            contents.emplace(c.key(), c.value());
    }
    r.end();
    REQUIRE(contents == model_after(seed, k));
    const auto check = db.check(pages, true);
    for (const auto& p : check.problems)
        UNSCOPED_INFO(p);
    REQUIRE(check.ok());
    return k;
}
} // namespace

TEST_CASE("B+Tree survives thousands of simulated power losses with every acknowledged commit", "[btree][crash]") {
    using fault_pager = pager<store_policies<fault_fs, page_size<1024>>>;
    const int runs = 4 * scale();
    int crashes = 0;
    for (int run = 0; run < runs; ++run) {
        const std::uint64_t seed = 300 + static_cast<std::uint64_t>(run);
        fault_fs fs;
        std::mt19937_64 rng(seed);
        std::uint64_t acknowledged = 0;
        for (int cycle = 0; cycle < 130; ++cycle) {
            std::uint64_t attempted = acknowledged;
            {
                std::unique_ptr<fault_pager> db;
                try {
                    db = std::make_unique<fault_pager>("t.db", crash_options(), fs);
                    fs.crash_after(1 + rng() % 60);
                    for (;;) {
                        const bool rollback = rng() % 8 == 0;
                        const auto k = acknowledged + 1;
                        if (!rollback) attempted = k;
                        run_tree_txn(*db, seed, k, rollback);
                        if (!rollback) acknowledged = k;
                    }
                } catch (const simulated_crash&) {
                }
            }
            fs.crash(rng());
            ++crashes;
            fault_pager db("t.db", crash_options(), fs);
            INFO("seed " << seed << " cycle " << cycle << " acknowledged " << acknowledged << " attempted "
                         << attempted);
            const auto recovered = verify_recovered(db, seed);
            REQUIRE(recovered >= acknowledged);
            REQUIRE(recovered <= attempted);
            acknowledged = recovered;
        }
    }
    REQUIRE(crashes >= 500);
}

namespace {
void tree_child(const std::string& path, std::uint64_t seed, int pipe_fd) {
    pager<store_policies<posix_fs, page_size<1024>>> db(path, crash_options());
    std::uint64_t k;
    {
        auto r = db.begin_read();
        k = r.root("txn");
    }
    std::mt19937_64 rng(seed ^ k);
    for (;;) {
        const bool rollback = rng() % 8 == 0;
        run_tree_txn(db, seed, k + 1, rollback);
        if (!rollback) testing::acknowledge(pipe_fd, ++k);
    }
}
} // namespace

TEST_CASE("B+Tree reopened after SIGKILL holds every acknowledged commit and verifies", "[btree][crash][kill]") {
    testing::temp_dir dir;
    const auto path = dir.file("tree.db");
    const std::uint64_t seed = 91;
    const int kills = 60 * scale();
    std::mt19937_64 rng(seed);
    std::uint64_t acknowledged = 0;
    for (int kill = 0; kill < kills; ++kill) {
        acknowledged = testing::run_and_kill([&](int fd) { tree_child(path, seed, fd); }, acknowledged, rng);
        pager<store_policies<posix_fs, page_size<1024>>> db(path, crash_options());
        INFO("kill " << kill << " acknowledged " << acknowledged);
        const auto recovered = verify_recovered(db, seed);
        REQUIRE(recovered >= acknowledged);
        REQUIRE(recovered <= acknowledged + 1);
        acknowledged = recovered;
    }
}
