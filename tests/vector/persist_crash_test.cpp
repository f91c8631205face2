// Crash safety of persistent HNSW indexes: simulated power loss (fault_fs)
// and real SIGKILL of a child process, both with vector inserts.
//
// After every recovery the index holds exactly the acknowledged inserts, or
// those plus the one batch in flight, verifies, and answers exactly as an
// in-memory index built from the same inserts with the same seed.
//
// Short mode (CI) by default; SQLITEGRAPH_LONG=1 multiplies the counts.

#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>

#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/fault_file.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "sqlitegraph/vector/persistent.hpp"
#include "support/catch.hpp"
#include "support/long_mode.hpp"
#include "support/kill_harness.hpp"
#include "support/temp_dir.hpp"
#include "vector/support.hpp"

using namespace vector_test;

namespace {

using fault_pager = sqlitegraph::pager<sqlitegraph::store_policies<sqlitegraph::fault_fs>>;
using posix_pager = sqlitegraph::pager<sqlitegraph::store_policies<>>;

int scale() { return sqlitegraph::testing::long_mode_factor(); }

constexpr std::size_t dim = 8;

sv::hnsw_params crash_params() {
    sv::hnsw_params p;
    p.name = "crash";
    p.dim = dim;
    p.m = 6;
    p.ef_construction = 32;
    p.seed = 1234;
    return p;
}

// The vector of a key: a pure function, so parent, child and model agree.
std::vector<float> vector_of(std::uint64_t key) {
    sv::splitmix64 rng(key * 0x9e3779b97f4a7c15ULL + 17);
    std::vector<float> v(dim);
    for (float& x : v) x = static_cast<float>(rng.uniform() * 2.0 - 1.0);
    return v;
}

// Transactions insert keys [from, from + batch_of(from)).
std::size_t batch_of(std::uint64_t from) { return 1 + static_cast<std::size_t>(sv::splitmix64(from).next() % 3); }

template <class Txn>
void insert_batch(Txn& txn, std::uint64_t from) {
    auto index = sv::persistent_hnsw<Txn>::open_or_create(txn, crash_params());
    const std::size_t n = batch_of(from);
    if (n == 1) {
        index.insert(from, vector_of(from));
        return;
    }
    std::vector<std::uint64_t> keys;
    std::vector<float> rows;
    for (std::uint64_t k = from; k < from + n; ++k) {
        keys.push_back(k);
        const auto v = vector_of(k);
        rows.insert(rows.end(), v.begin(), v.end());
    }
    index.insert_batch(keys, rows);
}

sqlitegraph::pager_options small_log() {
    sqlitegraph::pager_options options;
    options.checkpoint_threshold_bytes = 16 * 4096; // checkpoints and log resets happen often
    options.cache_pages = 32;
    return options;
}

// Checks the recovered index against the model (extended to the recovered
// key count) and returns that count.
template <class Pager>
std::uint64_t check_recovered(Pager& db, sv::hnsw_index& model, std::uint64_t acknowledged, std::mt19937_64& rng) {
    auto snap = db.begin_read();
    std::uint64_t recovered = 0;
    std::optional<sv::persistent_hnsw<typename Pager::read_txn>> index;
    if (sv::persistent_hnsw<typename Pager::read_txn>::exists(snap, "crash")) {
        index.emplace(sv::persistent_hnsw<typename Pager::read_txn>::open(snap, "crash"));
        index->verify();
        recovered = index->size();
    }
    INFO("acknowledged " << acknowledged << ", recovered " << recovered);
    REQUIRE(recovered >= acknowledged);
    if (recovered > acknowledged) REQUIRE(recovered == acknowledged + batch_of(acknowledged));
    for (std::uint64_t k = model.size(); k < recovered; ++k) model.insert(k, vector_of(k));
    if (recovered == 0) return 0;
    REQUIRE(index->contains(recovered - 1));
    REQUIRE_FALSE(index->contains(recovered));
    REQUIRE(index->get(recovered - 1) == vector_of(recovered - 1));
    for (int q = 0; q < 3; ++q) {
        const auto query = vector_of(1'000'000 + rng() % 1000);
        REQUIRE(index->search(query, 5, 20) == model.search(query, 5, 20));
    }
    return recovered;
}

} // namespace

TEST_CASE("power loss during vector inserts keeps exactly the acknowledged inserts", "[vector][persist][crash]") {
    const int runs = 2 * scale();
    for (int run = 0; run < runs; ++run) {
        sqlitegraph::fault_fs fs;
        std::mt19937_64 rng(4000 + static_cast<std::uint64_t>(run));
        sv::hnsw_index model(crash_params());
        std::uint64_t acknowledged = 0;
        for (int cycle = 0; cycle < 150; ++cycle) {
            {
                std::unique_ptr<fault_pager> db;
                try {
                    db = std::make_unique<fault_pager>("v.db", small_log(), fs);
                    fs.crash_after(1 + rng() % 30);
                    for (;;) {
                        const bool rollback = rng() % 6 == 0;
                        auto txn = db->begin_write();
                        insert_batch(txn, acknowledged);
                        if (rollback) {
                            txn.rollback();
                        } else {
                            txn.commit();
                            acknowledged += batch_of(acknowledged);
                        }
                        if (rng() % 16 == 0) db->checkpoint();
                    }
                } catch (const sqlitegraph::simulated_crash&) {
                }
            }
            fs.crash(rng());
            fault_pager db("v.db", small_log(), fs);
            INFO("run " << run << " cycle " << cycle);
            acknowledged = check_recovered(db, model, acknowledged, rng);
        }
        CHECK(acknowledged > 200);
    }
}

namespace {
// The child inserts batches forever on a real file and writes the key count
// after each acknowledged commit to the pipe.
[[noreturn]] void vector_kill_child(const std::string& path, int pipe_fd) {
    try {
        posix_pager db(path, small_log());
        std::uint64_t next = 0;
        {
            auto snap = db.begin_read();
            if (sv::persistent_hnsw<posix_pager::read_txn>::exists(snap, "crash"))
                next = sv::persistent_hnsw<posix_pager::read_txn>::open(snap, "crash").size();
        }
        for (;;) {
            auto txn = db.begin_write();
            insert_batch(txn, next);
            txn.commit();
            next += batch_of(next);
            sqlitegraph::testing::acknowledge(pipe_fd, next);
        }
    } catch (...) {
        ::_exit(2);
    }
}
} // namespace

TEST_CASE("reopen after SIGKILL during vector inserts keeps every acknowledged insert",
          "[vector][persist][crash][kill]") {
    sqlitegraph::testing::temp_dir dir;
    const auto path = dir.file("vectors.db");
    const int kills = 50 * scale();
    std::mt19937_64 rng(99);
    sv::hnsw_index model(crash_params());
    std::uint64_t acknowledged = 0;
    for (int kill = 0; kill < kills; ++kill) {
        acknowledged = sqlitegraph::testing::run_and_kill([&](int fd) { vector_kill_child(path, fd); }, acknowledged,
                                                          rng, std::chrono::microseconds(15000));

        posix_pager db(path, small_log());
        acknowledged = check_recovered(db, model, acknowledged, rng);
    }
    CHECK(acknowledged > static_cast<std::uint64_t>(kills));
}
