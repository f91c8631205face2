// Crash safety of vectors inside the graph database: a graph + vector
// workload (nodes, edges, vector inserts, node erasures that remove vectors
// through the erase hook, rolled-back transactions) under simulated power
// loss (fault_fs) and real SIGKILLs of a child process.
//
// After every recovery the database is at transaction R with R the
// acknowledged count or one more (the commit in flight); the graph and every
// vector index hold exactly the state after R transactions; the combined
// check (graph invariants, index invariants, page accounting, no vector
// without its node) is clean; and searches answer exactly over the live
// vectors. Short mode (CI) by default; SQLITEGRAPH_LONG=1 multiplies counts.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>

#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/graph/vector_index.hpp"
#include "sqlitegraph/io/fault_file.hpp"
#include "sqlitegraph/vector/vector.hpp"
#include "support/catch.hpp"
#include "support/long_mode.hpp"
#include "support/kill_harness.hpp"
#include "support/temp_dir.hpp"

using namespace sqlitegraph;
namespace sv = sqlitegraph::vector;

namespace {

using fault_store = basic_graph_store<fault_fs, page_size<1024>>;
using posix_store = basic_graph_store<page_size<1024>>;

int scale() { return sqlitegraph::testing::long_mode_factor(); }

constexpr std::size_t dim = 8;
constexpr const char* count_root = "test.txns"; // transactions committed, written by each

sv::hnsw_params index_params() {
    sv::hnsw_params p;
    p.name = "crash";
    p.dim = dim;
    p.m = 6;
    p.ef_construction = 32;
    p.seed = 99;
    return p;
}

std::vector<float> vector_of(std::uint64_t t) {
    sv::splitmix64 rng(t * 0x9e3779b97f4a7c15ULL + 3);
    std::vector<float> v(dim);
    for (float& x : v)
        x = static_cast<float>(rng.uniform() * 2.0 - 1.0);
    return v;
}

std::string name_of(std::uint64_t t) { return "t" + std::to_string(t); }
// Transaction t erases the node of transaction t - 2 when t % 5 == 4.
bool erases(std::uint64_t t) { return t % 5 == 4; }
bool erased_by(std::uint64_t node_txn, std::uint64_t committed) {
    return node_txn + 2 < committed && erases(node_txn + 2);
}

store_options small_log() {
    store_options options;
    options.pager.checkpoint_threshold_bytes = 24 * 1024; // checkpoints and log resets happen often
    options.pager.cache_pages = 48;
    return options;
}

// Runs transaction number `committed` of the workload; rolled back when asked.
template <class Store> void run_txn(Store& store, graph_vectors<Store>& vectors, std::uint64_t t, bool rollback) {
    auto tx = store.begin_write();
    auto node_of = [&](std::uint64_t u) { return tx.nodes_by_name(name_of(u)).at(0); };
    // Half the erasures run with no session open: the hook opens the index itself.
    if (erases(t) && t % 10 == 9) tx.erase_node(node_of(t - 2));
    {
        auto session = vectors.write(tx);
        if (erases(t) && t % 10 != 9) tx.erase_node(node_of(t - 2));
        if (t == 0) session.create(index_params());
        const node_id id = tx.insert_node({"Doc", name_of(t), ""});
        if (t > 0) tx.insert_edge({id, node_of(t - 1), "NEXT", ""});
        session.insert("crash", id, vector_of(t));
        tx.pager_txn().set_root(count_root, t + 1);
    }
    if (rollback) tx.rollback();
    else tx.commit();
}

// Checks the recovered database and returns its transaction count.
template <class Store> std::uint64_t verify(Store& store, graph_vectors<Store>& vectors, std::mt19937_64& rng) {
    const auto report = vectors.check();
    INFO((report.problems.empty() ? std::string() : report.problems.front()));
    REQUIRE(report.problems.empty());
    auto r = store.begin_read();
    const std::uint64_t committed = r.pager_txn().root(count_root);
    auto reader = vectors.read(r);
    if (committed == 0) {
        REQUIRE(reader.names().empty());
        REQUIRE(r.node_count() == 0);
        return 0;
    }
    auto& index = reader.index("crash");
    index.verify();
    std::vector<std::uint64_t> live;
    std::vector<std::uint64_t> live_txn;
    for (std::uint64_t t = 0; t < committed; ++t) {
        const auto ids = r.nodes_by_name(name_of(t));
        const bool gone = erased_by(t, committed);
        INFO("transaction " << t << " of " << committed);
        REQUIRE(ids.size() == (gone ? 0U : 1U));
        if (gone) continue;
        REQUIRE(index.contains(ids[0]));
        live.push_back(ids[0]);
        live_txn.push_back(t);
    }
    REQUIRE(r.node_count() == live.size());
    REQUIRE(index.size() == live.size());
    REQUIRE(index.get(live.back()) == vector_of(live_txn.back()));
    for (int q = 0; q < 2; ++q) {
        const auto query = vector_of(1'000'000 + rng() % 1000);
        std::vector<sv::search_hit> want;
        for (std::size_t i = 0; i < live.size(); ++i) {
            const auto v = vector_of(live_txn[i]);
            want.push_back({live[i], sv::reference_distance(sv::metric::l2, query.data(), v.data(), dim)});
        }
        std::sort(want.begin(), want.end(), [](const auto& a, const auto& b) {
            return a.distance != b.distance ? a.distance < b.distance : a.key < b.key;
        });
        want.resize(std::min<std::size_t>(want.size(), 5));
        const auto got = index.exact_search(query, 5);
        REQUIRE(got.size() == want.size());
        for (std::size_t i = 0; i < got.size(); ++i)
            REQUIRE(got[i].key == want[i].key);
        for (const auto& h : index.search(query, 5, 40))
            REQUIRE(std::find(live.begin(), live.end(), h.key) != live.end());
    }
    return committed;
}

} // namespace

TEST_CASE("power loss during a graph and vector workload keeps graph and vectors in step",
          "[vector][graph][crash]") {
    const int runs = 2 * scale();
    for (int run = 0; run < runs; ++run) {
        fault_fs fs;
        std::mt19937_64 rng(7100 + static_cast<std::uint64_t>(run));
        std::uint64_t acknowledged = 0;
        for (int cycle = 0; cycle < 60; ++cycle) {
            {
                std::unique_ptr<fault_store> db;
                std::unique_ptr<graph_vectors<fault_store>> vectors;
                try {
                    fs.crash_after(1 + rng() % 60);
                    db = std::make_unique<fault_store>("gv.db", small_log(), fs);
                    vectors = std::make_unique<graph_vectors<fault_store>>(*db);
                    for (;;) {
                        const bool rollback = rng() % 6 == 0;
                        run_txn(*db, *vectors, acknowledged, rollback);
                        if (!rollback) ++acknowledged;
                        if (rng() % 16 == 0) db->checkpoint();
                    }
                } catch (const simulated_crash&) {
                }
            }
            fs.crash(rng());
            fault_store db("gv.db", small_log(), fs);
            graph_vectors<fault_store> vectors(db);
            INFO("run " << run << " cycle " << cycle << " acknowledged " << acknowledged);
            const auto recovered = verify(db, vectors, rng);
            REQUIRE(recovered >= acknowledged);
            REQUIRE(recovered <= acknowledged + 1);
            acknowledged = recovered;
        }
        CHECK(acknowledged > 60);
    }
}

namespace {
[[noreturn]] void graph_vector_kill_child(const std::string& path, int pipe_fd) {
    try {
        posix_store db(path, small_log());
        graph_vectors<posix_store> vectors(db);
        std::uint64_t next = db.begin_read().pager_txn().root(count_root);
        std::mt19937_64 rng(next);
        for (;;) {
            const bool rollback = rng() % 8 == 0;
            run_txn(db, vectors, next, rollback);
            if (rollback) continue;
            ++next;
            testing::acknowledge(pipe_fd, next);
        }
    } catch (...) {
        ::_exit(2);
    }
}
} // namespace

TEST_CASE("reopen after SIGKILL during a graph and vector workload keeps every acknowledged transaction",
          "[vector][graph][crash][kill]") {
    testing::temp_dir dir;
    const auto path = dir.file("gv.db");
    const int kills = 25 * scale();
    std::mt19937_64 rng(17);
    std::uint64_t acknowledged = 0;
    for (int kill = 0; kill < kills; ++kill) {
        acknowledged = testing::run_and_kill([&](int fd) { graph_vector_kill_child(path, fd); }, acknowledged, rng,
                                             std::chrono::microseconds(15000));
        posix_store db(path, small_log());
        graph_vectors<posix_store> vectors(db);
        const auto recovered = verify(db, vectors, rng);
        INFO("kill " << kill << ": acknowledged " << acknowledged << ", recovered " << recovered);
        REQUIRE(recovered >= acknowledged);
        REQUIRE(recovered <= acknowledged + 1);
        acknowledged = recovered;
    }
    CHECK(acknowledged > static_cast<std::uint64_t>(kills));
}
