// The store's hooks for layers built on it: the pager transaction under a
// graph transaction, the whole-graph adjacency scan that analytics use to
// build a CSR, edge type names by id, and node-erase hooks.
#include "graph/graph_stores.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "support/catch.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

using namespace sqlitegraph;
using testing::error_code_of;

TEMPLATE_TEST_CASE("pager_txn gives the pager transaction under a graph transaction", "[graph][api]",
                   testing::store_varint_4k, testing::store_fixed_1k) {
    memory_fs fs;
    TestType db("g.db", {}, fs);
    {
        auto tx = db.begin_write();
        tx.insert_node({.kind = "k"});
        auto page = tx.pager_txn().allocate(page_type::meta);
        tx.pager_txn().set_root("x.extra", page.id());
        tx.commit();
    }
    auto r = db.begin_read();
    REQUIRE(r.pager_txn().root("x.extra") != 0);
    REQUIRE(r.node_count() == 1);
}

TEMPLATE_TEST_CASE("for_each_adjacency visits every entry of a direction ascending by node", "[graph][api]",
                   testing::store_varint_4k, testing::store_fixed_1k, testing::store_varint_1k) {
    memory_fs fs;
    TestType db("g.db", {}, fs);
    std::mt19937_64 rng(7);
    // expected[dir][(node, type, neighbour, edge)]
    std::vector<std::tuple<node_id, std::uint32_t, node_id, edge_id>> out_expected, in_expected;
    {
        auto tx = db.begin_write();
        for (int i = 0; i < 300; ++i)
            tx.insert_node({.kind = "n"});
        const char* types[] = {"a", "b", "c"};
        for (int i = 0; i < 2000; ++i) {
            const node_id f = rng() % 300 + 1, t = rng() % 300 + 1;
            const auto e = tx.insert_edge({.from = f, .to = t, .type = types[rng() % 3]});
            const auto type = *tx.type_id(tx.get_edge(e)->type);
            out_expected.emplace_back(f, type, t, e);
            in_expected.emplace_back(t, type, f, e);
        }
        tx.commit();
    }
    std::sort(out_expected.begin(), out_expected.end());
    std::sort(in_expected.begin(), in_expected.end());
    auto r = db.begin_read();
    for (auto [dir, expected] : {std::pair{direction::out, &out_expected}, std::pair{direction::in, &in_expected}}) {
        std::vector<std::tuple<node_id, std::uint32_t, node_id, edge_id>> seen;
        r.for_each_adjacency(
            dir, [&](node_id n, node_id m, std::uint32_t type, edge_id e) { seen.emplace_back(n, type, m, e); });
        REQUIRE(seen == *expected);
    }
    std::size_t both = 0;
    node_id last = 0;
    r.for_each_adjacency(direction::both, [&](node_id n, node_id, std::uint32_t, edge_id) {
        REQUIRE(n >= last);
        last = n;
        ++both;
    });
    REQUIRE(both == 4000);
    REQUIRE(r.type_name(*r.type_id("b")) == "b");
    REQUIRE_FALSE(r.type_id("nope").has_value());
    REQUIRE(error_code_of([&] { (void)r.type_name(999); }) == errc::corruption);
}

TEMPLATE_TEST_CASE("node erase hooks run before the node is removed, in the same transaction", "[graph][api]",
                   testing::store_varint_4k, testing::store_fixed_1k) {
    memory_fs fs;
    TestType db("g.db", {}, fs);
    std::vector<std::pair<node_id, std::size_t>> calls; // (node, its degree when the hook ran)
    db.add_node_erase_hook([&](typename TestType::write_transaction& tx, node_id id) {
        REQUIRE(tx.node_exists(id));
        calls.emplace_back(id, tx.degree(id));
        tx.pager_txn().set_root("x.last_erased", id);
    }, "x.");
    int second = 0;
    db.add_node_erase_hook([&](typename TestType::write_transaction&, node_id) { ++second; }, "");
    node_id a, b;
    {
        auto tx = db.begin_write();
        a = tx.insert_node({.kind = "k"});
        b = tx.insert_node({.kind = "k"});
        tx.insert_edge({.from = a, .to = b, .type = "t"});
        tx.commit();
    }
    db.erase_node(a);
    REQUIRE(calls == std::vector<std::pair<node_id, std::size_t>>{{a, 1}});
    REQUIRE(second == 1);
    REQUIRE(db.begin_read().pager_txn().root("x.last_erased") == a);
    // A rolled-back erase rolls back what the hook wrote.
    {
        auto tx = db.begin_write();
        tx.erase_node(b);
        tx.rollback();
    }
    REQUIRE(db.begin_read().pager_txn().root("x.last_erased") == a);
    REQUIRE(db.node_exists(b));
    // Unknown ids never reach the hooks.
    REQUIRE(error_code_of([&] { db.erase_node(999); }) == errc::not_found);
    REQUIRE(calls.size() == 2);
    REQUIRE(db.check().ok());
}

TEST_CASE("a throwing node erase hook poisons the transaction and nothing is erased", "[graph][api]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    const auto a = db.insert_node({.kind = "k"});
    db.add_node_erase_hook(
        [](testing::store_varint_4k::write_transaction&, node_id) { throw std::runtime_error("hook refuses"); }, "");
    {
        auto tx = db.begin_write();
        REQUIRE_THROWS_AS(tx.erase_node(a), std::runtime_error);
        REQUIRE(error_code_of([&] { tx.commit(); }) == errc::failed_state);
    }
    REQUIRE(db.node_exists(a));
    REQUIRE(db.check().ok());
}

TEST_CASE("erase_node refuses while a per-node layer's root has no erase hook, and check() names the root",
          "[graph][api]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    node_id a, b;
    page_id extra;
    {
        auto tx = db.begin_write();
        a = tx.insert_node({.kind = "k"});
        b = tx.insert_node({.kind = "k"});
        tx.insert_edge({.from = a, .to = b, .type = "t"});
        // A root of the vector layer (one that keeps data per node), as a
        // graph_vectors leaves it; this program registers no such layer.
        extra = tx.pager_txn().allocate(page_type::meta).id();
        tx.pager_txn().set_root("vec:docs", extra);
        tx.pager_txn().set_root("app.counter", 7); // a root of no per-node layer: no hook needed
        tx.commit();
    }
    // Nothing keeps vec:docs when a node goes: the erase is refused
    // before anything changes, and the transaction stays usable.
    {
        auto tx = db.begin_write();
        REQUIRE(error_code_of([&] { tx.erase_node(a); }) == errc::unsupported);
        REQUIRE(tx.node_exists(a));
        tx.insert_node({.kind = "after"});
        tx.commit();
    }
    REQUIRE(db.node_exists(a));
    REQUIRE(db.neighbors(a, direction::out).size() == 1);
    REQUIRE(db.node_count() == 3);
    const auto report = db.check();
    REQUIRE_FALSE(report.ok());
    REQUIRE(report.problems.front().find("root 'vec:docs'") != std::string::npos);
    // A hook that keeps no roots (empty prefix) does not count as keeping vec:.
    db.add_node_erase_hook([](testing::store_varint_4k::write_transaction&, node_id) {}, "");
    REQUIRE(error_code_of([&] { db.erase_node(a); }) == errc::unsupported);
    // Hooks for the prefix make both work.
    db.add_node_erase_hook([](testing::store_varint_4k::write_transaction&, node_id) {}, "vec:");
    db.set_check_hook(
        "vectors",
        [&](testing::store_varint_4k::read_transaction&, graph_check_report&, std::vector<page_id>& pages) {
            pages.push_back(extra);
        },
        "vec:");
    db.erase_node(a);
    REQUIRE_FALSE(db.node_exists(a));
    const auto clean = db.check();
    INFO((clean.problems.empty() ? std::string() : clean.problems.front()));
    REQUIRE(clean.ok());
}

TEST_CASE("check hooks account pages kept beside the graph and report their problems", "[graph][api]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    page_id extra;
    {
        auto tx = db.begin_write();
        tx.insert_node({.kind = "k"});
        extra = tx.pager_txn().allocate(page_type::meta).id();
        tx.pager_txn().set_root("x.extra", extra);
        tx.commit();
    }
    // Without a hook the page kept beside the graph is unaccounted.
    REQUIRE_FALSE(db.check().ok());
    using read_transaction = testing::store_varint_4k::read_transaction;
    int calls = 0;
    db.set_check_hook("x", [&](read_transaction& r, graph_check_report&, std::vector<page_id>& pages) {
        ++calls;
        pages.push_back(static_cast<page_id>(r.pager_txn().root("x.extra")));
    }, "x.");
    const auto clean = db.check();
    INFO((clean.problems.empty() ? std::string() : clean.problems.front()));
    REQUIRE(clean.ok());
    REQUIRE(calls == 1);
    // Setting the same name again replaces the hook (it is not run twice,
    // which would count the page twice).
    db.set_check_hook("x", [&](read_transaction&, graph_check_report& report, std::vector<page_id>& pages) {
        ++calls;
        pages.push_back(extra);
        report.problems.push_back("x: found a problem");
    }, "x.");
    const auto reported = db.check();
    REQUIRE(calls == 2);
    REQUIRE(reported.problems.size() == 1);
    REQUIRE(reported.problems.front() == "x: found a problem");
    // A hook that throws is reported, and the other hooks still run.
    db.set_check_hook("y", [](read_transaction&, graph_check_report&, std::vector<page_id>&) {
        fail(errc::corruption, "y: unreadable");
    }, "y.");
    const auto thrown = db.check();
    REQUIRE(calls == 3);
    REQUIRE(std::find(thrown.problems.begin(), thrown.problems.end(), "corruption: y: unreadable") != thrown.problems.end());
}

TEMPLATE_TEST_CASE("read_node fills the caller's node as get_node returns it, and leaves it alone for an unknown id",
                   "[graph][api]", testing::store_varint_4k, testing::store_fixed_1k) {
    memory_fs fs;
    TestType db("g.db", {}, fs);
    std::mt19937_64 rng(11);
    std::vector<node_id> ids;
    {
        auto tx = db.begin_write();
        for (int i = 0; i < 300; ++i) {
            // Names and property documents long enough to leave the small-string buffer, some not.
            const std::string name = std::string(rng() % 40, 'n') + std::to_string(i);
            const std::string props = R"({"i":)" + std::to_string(i) + R"(,"s":")" + std::string(rng() % 60, 'x') + R"("})";
            ids.push_back(tx.insert_node({.kind = i % 3 == 0 ? "Person" : "P", .name = name, .properties = props}));
        }
        tx.commit();
    }
    auto same = [](const node& a, const node& b) {
        return a.id == b.id && a.kind == b.kind && a.name == b.name && a.props.binary() == b.props.binary();
    };
    auto check_reader = [&](auto& r) {
        node out;
        std::size_t mismatches = 0;
        for (int pass = 0; pass < 2; ++pass) // the second pass through the node cache where there is one
            for (std::size_t k = 0; k < 600; ++k) {
                const node_id id = ids[rng() % ids.size()];
                REQUIRE(r.read_node(id, out));
                mismatches += !same(out, *r.get_node(id));
            }
        CHECK(mismatches == 0);
        const node before = out;
        CHECK_FALSE(r.read_node(ids.back() + 1000, out));
        CHECK(same(out, before));
        CHECK(out.get<std::int64_t>("i") == before.get<std::int64_t>("i"));
    };
    db.set_node_cache_capacity(std::size_t{1} << 20);
    {
        auto r = db.begin_read();
        check_reader(r);
    }
    auto tx = db.begin_write();
    check_reader(tx);
}
