// check() against graphs broken on purpose: edge records and adjacency
// chunks are edited under the store through their raw B+Trees and
// committed; check() must then name the edge that no longer agrees.
#include "graph/graph_stores.hpp"
#include "sqlitegraph/btree/btree.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "support/catch.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

using namespace sqlitegraph;

namespace {

using store = testing::store_varint_4k;
using raw_txn = store::pager_type::write_txn;
using edge_records = basic_btree<raw_txn, store::record_params>;
using adjacency_chunks = basic_btree<raw_txn, store::adj_params>;

struct cycle {
    node_id a, b, c;
    edge_id ab, bc, ca;
};

// A three-node cycle a -> b -> c -> a, then `edit` on the raw pager
// transaction of one more committed write; returns check()'s problems.
template <class Edit> std::vector<std::string> problems_after(Edit&& edit) {
    memory_fs fs;
    store db("g.db", {}, fs);
    cycle g{};
    g.a = db.insert_node({.kind = "k", .name = "a"});
    g.b = db.insert_node({.kind = "k", .name = "b"});
    g.c = db.insert_node({.kind = "k", .name = "c"});
    g.ab = db.insert_edge({.from = g.a, .to = g.b, .type = "t"});
    g.bc = db.insert_edge({.from = g.b, .to = g.c, .type = "t"});
    g.ca = db.insert_edge({.from = g.c, .to = g.a, .type = "t"});
    REQUIRE(db.check().ok());
    {
        auto tx = db.begin_write();
        edit(tx.pager_txn(), g, db);
        tx.commit();
    }
    return db.check().problems;
}

bool reports(const std::vector<std::string>& problems, const std::string& text) {
    for (const auto& p : problems)
        UNSCOPED_INFO(p);
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) { return p == text; });
}

edge_records edges_of(raw_txn& t) { return edge_records(t, static_cast<page_id>(t.root(graph_detail::root_edges))); }

void rewrite_edge(raw_txn& t, edge_id id, node_id from, node_id to) {
    auto edges = edges_of(t);
    auto fields = store::record_codec::decode_edge(*edges.find(id));
    fields.from = from;
    fields.to = to;
    edges.upsert(id, store::record_codec::encode_edge(fields));
}

} // namespace

TEST_CASE("check() names adjacency entries that disagree with a rewritten edge", "[graph][check]") {
    node_id a = 0, b = 0;
    edge_id ab = 0;
    const auto problems = problems_after([&](raw_txn& t, const cycle& g, store&) {
        a = g.a, b = g.b, ab = g.ab;
        rewrite_edge(t, g.ab, g.a, g.c); // a -> c now, still listed as a -> b
    });
    const auto id = std::to_string(ab);
    CHECK(reports(problems, "adjacency entry of node " + std::to_string(a) + " disagrees with edge " + id));
    CHECK(reports(problems, "adjacency entry of node " + std::to_string(b) + " disagrees with edge " + id));
}

TEST_CASE("check() names an edge whose endpoint is not a node", "[graph][check]") {
    edge_id ab = 0;
    const auto problems = problems_after([&](raw_txn& t, const cycle& g, store&) {
        ab = g.ab;
        rewrite_edge(t, g.ab, 999, g.b);
    });
    CHECK(reports(problems, "edge " + std::to_string(ab) + " has a missing endpoint"));
}

TEST_CASE("check() names adjacency entries of an edge record that is gone", "[graph][check]") {
    node_id b = 0, c = 0;
    edge_id bc = 0;
    const auto problems = problems_after([&](raw_txn& t, const cycle& g, store&) {
        b = g.b, c = g.c, bc = g.bc;
        REQUIRE(edges_of(t).erase(g.bc));
    });
    const auto id = std::to_string(bc);
    CHECK(reports(problems, "adjacency entry of node " + std::to_string(b) + " names missing edge " + id));
    CHECK(reports(problems, "adjacency entry of node " + std::to_string(c) + " names missing edge " + id));
    CHECK(reports(problems, "edge count 3 but 2 edge records"));
}

TEST_CASE("check() names an edge record that no adjacency lists", "[graph][check]") {
    edge_id extra = 0;
    const auto problems = problems_after([&](raw_txn& t, const cycle& g, store&) {
        extra = t.root(graph_detail::root_next_edge);
        edges_of(t).insert(extra, *edges_of(t).find(g.ab));
        t.set_root(graph_detail::root_next_edge, extra + 1);
    });
    const auto id = std::to_string(extra);
    CHECK(reports(problems, "edge " + id + " is missing under its source"));
    CHECK(reports(problems, "edge " + id + " is missing under its target"));
    CHECK(reports(problems, "edge count 3 but 4 edge records"));
}

TEST_CASE("check() names the edge of an adjacency chunk that is gone", "[graph][check]") {
    edge_id ab = 0;
    const auto problems = problems_after([&](raw_txn& t, const cycle& g, store&) {
        ab = g.ab;
        adjacency_chunks chunks(t, static_cast<page_id>(t.root(graph_detail::root_adj)));
        const auto first = chunks.begin().key(); // node a, outgoing: a -> b only
        REQUIRE(std::get<0>(first) == g.a);
        REQUIRE(chunks.erase(first));
    });
    CHECK(reports(problems, "edge " + std::to_string(ab) + " is missing under its source"));
    CHECK(reports(problems, "5 adjacency entries for 3 edges"));
}

TEST_CASE("check() names an entry moved to another edge, the number of entries unchanged", "[graph][check]") {
    edge_id ab = 0, bc = 0;
    node_id a = 0;
    const auto problems = problems_after([&](raw_txn& t, const cycle& g, store&) {
        ab = g.ab;
        bc = g.bc;
        a = g.a;
        adjacency_chunks chunks(t, static_cast<page_id>(t.root(graph_detail::root_adj)));
        const auto first = chunks.begin().key(); // node a, outgoing: a -> b by edge ab
        REQUIRE(first == graph_detail::adj_key{g.a, 0, std::get<2>(first), g.b, g.ab});
        const std::string value(*chunks.find(first));
        REQUIRE(chunks.erase(first));
        // The same entry, naming edge bc: six entries for three edges still.
        REQUIRE(chunks.insert(graph_detail::adj_key{g.a, 0, std::get<2>(first), g.b, g.bc}, value));
    });
    CHECK(reports(problems, "edge " + std::to_string(ab) + " is missing under its source"));
    CHECK(reports(problems, "adjacency entry of node " + std::to_string(a) + " disagrees with edge " + std::to_string(bc)));
    CHECK(reports(problems, "edge " + std::to_string(bc) + " is listed 2 times under its source"));
    CHECK(std::none_of(problems.begin(), problems.end(),
                       [](const std::string& p) { return p.find("adjacency entries for") != std::string::npos; }));
}

TEST_CASE("node keys are part of the file: check() counts their pages and a node's key goes with the node",
          "[graph][check][keys]") {
    memory_fs fs;
    store db("g.db", {}, fs);
    using write_keys = store::node_keys<raw_txn>;
    node_id kept = 0, dropped = 0;
    {
        auto tx = db.begin_write();
        write_keys keys(tx.pager_txn());
        for (int i = 0; i < 2000; ++i) { // enough keys for several pages per tree
            const node_id id = tx.insert_node({.kind = "k"});
            keys.insert("key-" + std::to_string(i), id);
            if (i == 7) kept = id;
            if (i == 1500) dropped = id;
        }
        tx.commit();
    }
    const auto report = db.check();
    for (const auto& p : report.problems)
        UNSCOPED_INFO(p);
    REQUIRE(report.ok());
    db.erase_node(dropped);
    {
        auto r = db.begin_read();
        store::node_keys<store::pager_type::read_txn> keys(r.pager_txn());
        CHECK_FALSE(keys.find("key-1500").has_value());
        CHECK_FALSE(keys.key_of(dropped).has_value());
        CHECK(keys.find("key-7") == std::optional<std::uint64_t>(kept));
        CHECK(keys.key_of(kept) == std::optional<std::string>("key-7"));
    }
    CHECK(db.check().ok());
}

TEST_CASE("a write transaction made straight from the pager refuses to erase a node of a keyed file",
          "[graph][check][keys]") {
    // It runs no erase hooks, so erasing would leave the node's key naming
    // a node that is gone; it is refused before anything changes.
    memory_fs fs;
    store db("g.db", {}, fs);
    node_id a = 0;
    {
        auto tx = db.begin_write();
        a = tx.insert_node({.kind = "k"});
        store::node_keys<raw_txn>(tx.pager_txn()).insert("alpha", a);
        tx.commit();
    }
    {
        store::write_transaction tx(db.pager_handle().begin_write());
        std::string message;
        try {
            tx.erase_node(a);
        } catch (const error& e) {
            message = e.what();
            REQUIRE(e.code() == errc::unsupported);
        }
        INFO(message);
        REQUIRE(message.find("'cli.") != std::string::npos);
        REQUIRE(message.find("begin_write()") != std::string::npos);
        REQUIRE(tx.node_exists(a));
        tx.commit();
    }
    REQUIRE(db.node_exists(a));
    {
        auto r = db.begin_read();
        CHECK(store::node_keys<store::pager_type::read_txn>(r.pager_txn()).find("alpha") == std::optional<std::uint64_t>(a));
    }
    CHECK(db.check().ok());
    // Through the store's own transactions the node and its key go together.
    db.erase_node(a);
    CHECK_FALSE(db.node_exists(a));
    CHECK(db.check().ok());
}

TEST_CASE("check() names a key whose node does not exist", "[graph][check][keys]") {
    const auto problems = problems_after([&](raw_txn& t, const cycle&, store&) {
        store::node_keys<raw_txn>(t).insert("ghost", 999);
    });
    CHECK(reports(problems, "key 'ghost' names node 999, which does not exist"));
}
