// Vector indexes inside the graph database (graph/vector_index.hpp): same
// file and transactions as the graph, node ownership through the erase hook,
// rollback, reopen without rebuild, the combined check, and the hybrid k-hop
// query against brute force over the neighbourhood.
#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/graph/vector_index.hpp"
#include "sqlitegraph/vector/vector.hpp"
#include "support/catch.hpp"
#include "support/error_code.hpp"
#include "support/temp_dir.hpp"

using namespace sqlitegraph;
namespace sv = sqlitegraph::vector;

namespace {

using store_type = graph_store;
using vectors_type = graph_vectors<store_type>;

constexpr std::size_t dim = 6;

sv::hnsw_params params(std::string name, sv::metric m = sv::metric::l2) {
    sv::hnsw_params p;
    p.name = std::move(name);
    p.dim = dim;
    p.metric = m;
    p.m = 8;
    p.ef_construction = 64;
    p.seed = 5;
    return p;
}

std::vector<float> vec_of(std::uint64_t key, std::uint64_t salt = 0) {
    sv::splitmix64 rng(key * 0x9e3779b97f4a7c15ULL + salt + 1);
    std::vector<float> v(dim);
    for (float& x : v) x = static_cast<float>(rng.uniform() * 2.0 - 1.0);
    return v;
}

// Exact nearest keys among `keys` (vectors from vec_of), nearest first, ties by key.
std::vector<sv::search_hit> brute(sv::metric m, std::span<const float> query, const std::vector<std::uint64_t>& keys,
                                  std::size_t k, std::uint64_t salt = 0) {
    std::vector<sv::search_hit> all;
    for (const auto key : keys) {
        const auto v = vec_of(key, salt);
        all.push_back({key, sv::reference_distance(m, query.data(), v.data(), dim)});
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return a.distance != b.distance ? a.distance < b.distance : a.key < b.key;
    });
    if (all.size() > k) all.resize(k);
    return all;
}

void require_same(const std::vector<sv::search_hit>& got, const std::vector<sv::search_hit>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        INFO("rank " << i);
        REQUIRE(got[i].key == want[i].key);
        REQUIRE(std::fabs(got[i].distance - want[i].distance) <= 1e-4f * (1.0f + std::fabs(want[i].distance)));
    }
}

void require_clean(vectors_type& vectors) {
    const auto report = vectors.check();
    INFO((report.problems.empty() ? std::string() : report.problems.front()));
    REQUIRE(report.problems.empty());
}

std::vector<node_id> add_nodes(store_type::write_transaction& tx, std::size_t n) {
    std::vector<node_id> ids;
    for (std::size_t i = 0; i < n; ++i)
        ids.push_back(tx.insert_node({"Doc", "d" + std::to_string(i), ""}));
    return ids;
}

// One committed transaction: index "docs" and n nodes, each with its vector.
std::vector<node_id> add_indexed_docs(store_type& store, vectors_type& vectors, std::size_t n) {
    auto tx = store.begin_write();
    auto w = vectors.write(tx);
    w.create(params("docs"));
    auto ids = add_nodes(tx, n);
    for (const auto id : ids)
        w.insert("docs", id, vec_of(id));
    tx.commit();
    return ids;
}

} // namespace

TEST_CASE("vectors are stored with the graph in one file and one transaction, and reopen without rebuild",
          "[vector][graph]") {
    testing::temp_dir dir;
    const auto path = dir.file("g.db");
    std::vector<node_id> ids;
    std::uint32_t pages_before_reopen = 0;
    {
        store_type store(path);
        vectors_type vectors(store);
        auto tx = store.begin_write();
        auto w = vectors.write(tx);
        w.create(params("docs"));
        w.create(params("other", sv::metric::cosine));
        ids = add_nodes(tx, 60);
        for (const auto id : ids) {
            w.insert("docs", id, vec_of(id));
            if (id % 2 == 0) w.insert("other", id, vec_of(id, 7));
        }
        // The writer sees its own changes before the commit.
        const auto q = vec_of(1000);
        require_same(w.search("docs", q, 5, 200), brute(sv::metric::l2, q, ids, 5));
        tx.commit();
        require_clean(vectors);
        pages_before_reopen = store.stats().pages;
    }
    // Only the database file and its log exist: the vectors live in the graph file.
    std::set<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        files.insert(e.path().filename().string());
    REQUIRE(files == std::set<std::string>{"g.db", "g.db-wal"});

    store_type store(path);
    vectors_type vectors(store);
    REQUIRE(store.stats().pages == pages_before_reopen);
    auto r = store.begin_read(); // a read transaction cannot rebuild anything
    auto reader = vectors.read(r);
    REQUIRE(reader.names() == std::vector<std::string>{"docs", "other"});
    REQUIRE(reader.stats("docs").vectors == 60);
    REQUIRE(reader.stats("other").vectors == 30);
    REQUIRE(reader.stats("other").metric == sv::metric::cosine);
    for (std::uint64_t qk = 0; qk < 10; ++qk) {
        const auto q = vec_of(5000 + qk);
        require_same(reader.search("docs", q, 7, 200), brute(sv::metric::l2, q, ids, 7));
        std::vector<std::uint64_t> even;
        for (const auto id : ids)
            if (id % 2 == 0) even.push_back(id);
        require_same(reader.search("other", q, 4, 200), brute(sv::metric::cosine, q, even, 4, 7));
    }
    REQUIRE(reader.index("docs").get(ids[3]) == vec_of(ids[3]));
    r.end();
    require_clean(vectors);
}

TEST_CASE("a vector inserted in a rolled-back transaction is not searchable", "[vector][graph]") {
    testing::temp_dir dir;
    store_type store(dir.file("g.db"));
    vectors_type vectors(store);
    const auto ids = add_indexed_docs(store, vectors, 10);
    const auto pages = store.stats().pages;
    const auto q = vec_of(ids.back() + 1); // the vector the rolled-back node gets
    {
        auto tx = store.begin_write();
        auto w = vectors.write(tx);
        const node_id extra = tx.insert_node({"Doc", "extra", ""});
        w.insert("docs", extra, q);
        w.create(params("late"));
        REQUIRE(w.search("docs", q, 1, 50).front().key == extra); // visible inside
        tx.rollback();
    }
    { // RAII: a transaction never committed rolls back too
        auto tx = store.begin_write();
        auto w = vectors.write(tx);
        w.insert("docs", tx.insert_node({"Doc", "extra2", ""}), q);
    }
    auto r = store.begin_read();
    auto reader = vectors.read(r);
    REQUIRE_FALSE(reader.exists("late"));
    REQUIRE(reader.stats("docs").vectors == ids.size());
    for (const auto& hit : reader.search("docs", q, 20, 100))
        REQUIRE(std::find(ids.begin(), ids.end(), hit.key) != ids.end());
    require_same(reader.search("docs", q, 3, 100), brute(sv::metric::l2, q, ids, 3));
    r.end();
    REQUIRE(store.stats().pages == pages);
    require_clean(vectors);
}

TEST_CASE("erasing a node removes its vectors from every index in the same transaction", "[vector][graph]") {
    testing::temp_dir dir;
    store_type store(dir.file("g.db"));
    vectors_type vectors(store);
    std::vector<node_id> ids;
    {
        auto tx = store.begin_write();
        auto w = vectors.write(tx);
        w.create(params("a"));
        w.create(params("b"));
        ids = add_nodes(tx, 40);
        for (const auto id : ids) {
            w.insert("a", id, vec_of(id));
            if (id % 3 == 0) w.insert("b", id, vec_of(id, 9));
        }
        tx.insert_edge({ids[0], ids[1], "LINK", ""});
        tx.commit();
    }
    std::set<node_id> erased;
    SECTION("with a session open (cached handles)") {
        auto tx = store.begin_write();
        auto w = vectors.write(tx);
        for (std::size_t i = 0; i < ids.size(); i += 4) {
            tx.erase_node(ids[i]);
            erased.insert(ids[i]);
        }
        REQUIRE_FALSE(w.index("a").contains(ids[0]));
        tx.commit();
    }
    SECTION("without a session (the hook opens the indexes)") {
        store.erase_node(ids[0]);
        erased.insert(ids[0]);
        auto tx = store.begin_write();
        tx.erase_node(ids[9]);
        erased.insert(ids[9]);
        tx.commit();
    }
    SECTION("an erase that is rolled back keeps the vector") {
        auto tx = store.begin_write();
        tx.erase_node(ids[0]);
        tx.rollback();
    }
    auto r = store.begin_read();
    auto reader = vectors.read(r);
    std::vector<std::uint64_t> live_a, live_b;
    for (const auto id : ids) {
        const bool gone = erased.count(id) != 0;
        REQUIRE(r.node_exists(id) == !gone);
        REQUIRE(reader.index("a").contains(id) == !gone);
        REQUIRE(reader.index("b").contains(id) == (!gone && id % 3 == 0));
        if (!gone) live_a.push_back(id);
        if (!gone && id % 3 == 0) live_b.push_back(id);
    }
    for (std::uint64_t qk = 0; qk < 5; ++qk) {
        const auto q = vec_of(777 + qk);
        require_same(reader.search("a", q, 40, 200), brute(sv::metric::l2, q, live_a, 40));
        require_same(reader.search("b", q, 40, 200), brute(sv::metric::l2, q, live_b, 40, 9));
    }
    r.end();
    require_clean(vectors);
}

TEST_CASE("a store opened without graph_vectors refuses to erase a node rather than orphan its vector",
          "[vector][graph]") {
    testing::temp_dir dir;
    const auto path = dir.file("g.db");
    std::vector<node_id> ids;
    {
        store_type store(path);
        vectors_type vectors(store);
        ids = add_indexed_docs(store, vectors, 10);
    }
    {
        store_type plain(path); // a program that never constructs graph_vectors
        {
            auto tx = plain.begin_write();
            const auto refused = testing::error_code_of([&] { tx.erase_node(ids[2]); });
            REQUIRE(refused == errc::unsupported);
            REQUIRE(tx.node_exists(ids[2]));
            tx.insert_node({"Doc", "after", ""}); // the transaction is still usable
            tx.commit();
        }
        REQUIRE(plain.node_exists(ids[2]));
        // Its check cannot verify the index, and says which root is why.
        const auto report = plain.check();
        REQUIRE_FALSE(report.ok());
        REQUIRE(report.problems.front().find("root 'vec:docs'") != std::string::npos);
    }
    store_type store(path);
    vectors_type vectors(store);
    require_clean(vectors);
    store.erase_node(ids[2]);
    auto r = store.begin_read();
    REQUIRE_FALSE(vectors.read(r).index("docs").contains(ids[2]));
    REQUIRE(vectors.read(r).index("docs").contains(ids[3]));
    r.end();
    require_clean(vectors);
}

TEST_CASE("refused vector calls in a graph transaction change nothing", "[vector][graph]") {
    testing::temp_dir dir;
    store_type store(dir.file("g.db"));
    vectors_type vectors(store);
    auto tx = store.begin_write();
    auto w = vectors.write(tx);
    w.create(params("docs"));
    w.create(params("cos", sv::metric::cosine));
    const auto ids = add_nodes(tx, 5);
    for (const auto id : ids)
        w.insert("docs", id, vec_of(id));
    auto code = [](auto&& fn) -> std::optional<errc> {
        try {
            fn();
        } catch (const error& e) {
            return e.code();
        }
        return std::nullopt;
    };
    const auto v = vec_of(1);
    REQUIRE(code([&] { w.insert("docs", 999, v); }) == errc::not_found); // no such node
    REQUIRE(code([&] { w.insert("nope", ids[0], v); }) == errc::not_found);
    REQUIRE(code([&] { w.insert("docs", ids[0], v); }) == errc::invalid_argument); // already present
    const node_id fresh = tx.insert_node({"Doc", "fresh", ""});
    REQUIRE(code([&] { w.insert("docs", fresh, std::vector<float>{1, 2}); }) == errc::invalid_argument);
    auto nan = v;
    nan[2] = std::nanf("");
    REQUIRE(code([&] { w.insert("docs", fresh, nan); }) == errc::invalid_argument);
    REQUIRE(code([&] { w.insert("cos", fresh, std::vector<float>(dim, 0.0f)); }) == errc::invalid_argument);
    const std::vector<node_id> batch{fresh, 12345};
    std::vector<float> rows = vec_of(fresh);
    const auto second = vec_of(12345);
    rows.insert(rows.end(), second.begin(), second.end());
    REQUIRE(code([&] { w.insert_batch("docs", batch, rows); }) == errc::not_found);
    REQUIRE(code([&] { w.remove("docs", fresh); }) == errc::not_found);
    REQUIRE(code([&] { w.create(params("docs")); }) == errc::invalid_argument);
    REQUIRE(w.index("docs").size() == 5);
    REQUIRE_FALSE(w.index("docs").contains(fresh));
    w.insert("docs", fresh, v); // the session is still usable
    tx.commit();
    require_clean(vectors);
}

TEST_CASE("hybrid search within a k-hop neighbourhood equals brute force over that neighbourhood",
          "[vector][graph][hybrid]") {
    testing::temp_dir dir;
    store_type store(dir.file("g.db"));
    vectors_type vectors(store);
    std::vector<node_id> ids;
    std::mt19937_64 rng(11);
    {
        auto tx = store.begin_write();
        auto w = vectors.write(tx);
        auto p = params("docs");
        w.create(p);
        ids = add_nodes(tx, 400);
        for (std::size_t i = 0; i < 1200; ++i) {
            const node_id a = ids[rng() % ids.size()], b = ids[rng() % ids.size()];
            tx.insert_edge({a, b, rng() % 3 == 0 ? "CITES" : "LINKS", ""});
        }
        std::vector<float> rows;
        std::vector<node_id> with_vectors;
        for (const auto id : ids) {
            if (id % 10 == 7) continue; // some nodes have no vector
            const auto v = vec_of(id);
            rows.insert(rows.end(), v.begin(), v.end());
            with_vectors.push_back(id);
        }
        w.insert_batch("docs", with_vectors, rows);
        tx.commit();
    }
    auto r = store.begin_read();
    auto reader = vectors.read(r);

    // The neighbourhood by an independent BFS over neighbors().
    auto hood_of = [&](node_id start, const vector_neighbourhood& h) {
        std::set<node_id> seen{start};
        std::vector<node_id> frontier{start};
        for (std::uint32_t depth = 0; depth < h.hops; ++depth) {
            std::vector<node_id> next;
            for (const auto n : frontier)
                for (const auto& nb : r.neighbors(n, h.dir, h.types))
                    if (seen.insert(nb.node).second) next.push_back(nb.node);
            frontier = std::move(next);
        }
        if (!h.include_start) seen.erase(start);
        std::vector<std::uint64_t> out;
        for (const auto n : seen)
            if (n % 10 != 7) out.push_back(n);
        return out;
    };

    const std::vector<vector_neighbourhood> shapes = {
        {1, direction::out, {}, false},
        {2, direction::out, {}, false},
        {2, direction::both, {"CITES"}, true},
        {3, direction::in, {"LINKS"}, false},
    };
    std::size_t compared = 0;
    for (int trial = 0; trial < 30; ++trial) {
        const node_id start = ids[rng() % ids.size()];
        const auto& shape = shapes[static_cast<std::size_t>(trial) % shapes.size()];
        const auto hood = hood_of(start, shape);
        const auto q = vec_of(9000 + static_cast<std::uint64_t>(trial));
        const auto got = reader.search_near("docs", q, 10, start, shape, 50);
        INFO("trial " << trial << " start " << start << " neighbourhood " << hood.size());
        require_same(got, brute(sv::metric::l2, q, hood, 10));
        compared += got.size();
    }
    REQUIRE(compared > 100);

    // A neighbourhood above the exact-scan threshold takes the filtered beam:
    // approximate, so recall is what is checked.
    {
        auto tx = store.begin_write();
        auto w = vectors.write(tx);
        auto p = params("wide");
        p.brute_force_limit = 16;
        p.brute_force_selectivity = 0.01;
        w.create(p);
        std::vector<float> rows;
        std::vector<node_id> with_vectors;
        for (const auto id : ids) {
            if (id % 10 == 7) continue;
            const auto v = vec_of(id);
            rows.insert(rows.end(), v.begin(), v.end());
            with_vectors.push_back(id);
        }
        w.insert_batch("wide", with_vectors, rows);
        tx.commit();
    }
    auto r2 = store.begin_read();
    auto reader2 = vectors.read(r2);
    std::size_t hits = 0, wanted = 0;
    const vector_neighbourhood wide{3, direction::both, {}, false};
    for (int trial = 0; trial < 20; ++trial) {
        const node_id start = ids[static_cast<std::size_t>(trial) * 13 % ids.size()];
        const auto q = vec_of(7000 + static_cast<std::uint64_t>(trial));
        auto truth = brute(sv::metric::l2, q, hood_of(start, wide), 10);
        const auto got = reader2.search_near("wide", q, 10, start, wide, 64);
        std::set<std::uint64_t> want;
        for (const auto& h : truth) want.insert(h.key);
        wanted += want.size();
        for (const auto& h : got) hits += want.count(h.key);
    }
    REQUIRE(wanted > 100);
    REQUIRE(static_cast<double>(hits) / static_cast<double>(wanted) >= 0.9);

    std::optional<errc> missing;
    try {
        reader2.search_near("wide", vec_of(1), 5, 99999, wide);
    } catch (const error& e) {
        missing = e.code();
    }
    REQUIRE(missing == errc::not_found);
}
