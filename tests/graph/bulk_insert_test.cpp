// write_transaction::bulk_insert: the bulk-load path into an empty store,
// the merge path into a store that already holds data, and bad input.
#include "graph/graph_stores.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/io/fault_file.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "support/catch.hpp"

#include <random>
#include <string>
#include <vector>

using namespace sqlitegraph;
using testing::error_code_of;

namespace {
struct batch {
    std::vector<node_input> nodes;
    std::vector<bulk_edge_input> edges;
};

// Nodes and edges with a skewed degree distribution (some hubs), mixed
// types and properties; edges name batch nodes and, when existing > 0,
// nodes 1..existing too.
batch make_batch(std::mt19937_64& rng, std::size_t nodes, std::size_t edges, node_id existing) {
    batch b;
    const char* kinds[] = {"person", "city", "thing"};
    const char* types[] = {"knows", "lives_in", "likes"};
    for (std::size_t i = 0; i < nodes; ++i)
        b.nodes.push_back({.kind = kinds[rng() % 3],
                           .name = "n" + std::to_string(rng() % (nodes / 2 + 1)),
                           .properties = i % 4 == 0 ? "" : R"({"i": )" + std::to_string(i) + "}"});
    auto pick = [&]() -> node_ref {
        if (existing > 0 && rng() % 4 == 0) return node_ref::existing(rng() % existing + 1);
        const auto hub = rng() % 10 == 0;
        return node_ref::batch(hub ? rng() % 3 : rng() % nodes);
    };
    for (std::size_t i = 0; i < edges; ++i)
        b.edges.push_back({.from = pick(),
                           .to = pick(),
                           .type = types[rng() % 3],
                           .properties = i % 3 == 0 ? R"({"w": )" + std::to_string(rng() % 100) + "}" : ""});
    return b;
}

// Inserts the batch one call at a time: the reference.
template <class Tx> void insert_one_by_one(Tx& tx, const batch& b) {
    const node_id first = tx.node_count() == 0 ? 1 : tx.nodes().back().id + 1;
    for (const auto& n : b.nodes)
        tx.insert_node(n);
    auto id = [&](const node_ref& r) { return r.in_batch ? first + r.value : r.value; };
    for (const auto& e : b.edges)
        tx.insert_edge({.from = id(e.from), .to = id(e.to), .type = e.type, .properties = e.properties});
}

template <class Store> void require_same_graph(Store& a, Store& b) {
    auto ra = a.begin_read();
    auto rb = b.begin_read();
    REQUIRE(ra.node_count() == rb.node_count());
    REQUIRE(ra.edge_count() == rb.edge_count());
    const auto na = ra.nodes();
    const auto nb = rb.nodes();
    REQUIRE(na.size() == nb.size());
    for (std::size_t i = 0; i < na.size(); ++i) {
        REQUIRE(na[i].id == nb[i].id);
        REQUIRE(na[i].kind == nb[i].kind);
        REQUIRE(na[i].name == nb[i].name);
        REQUIRE(na[i].properties() == nb[i].properties());
        REQUIRE(ra.neighbors(na[i].id) == rb.neighbors(na[i].id));
        REQUIRE(ra.degree(na[i].id, direction::in) == rb.degree(na[i].id, direction::in));
    }
    const auto ea = ra.edges();
    const auto eb = rb.edges();
    REQUIRE(ea.size() == eb.size());
    for (std::size_t i = 0; i < ea.size(); ++i) {
        REQUIRE(ea[i].id == eb[i].id);
        REQUIRE(ea[i].from == eb[i].from);
        REQUIRE(ea[i].to == eb[i].to);
        REQUIRE(ea[i].type == eb[i].type);
        REQUIRE(ea[i].properties() == eb[i].properties());
    }
    REQUIRE(ra.nodes_by_kind("city") == rb.nodes_by_kind("city"));
    REQUIRE(ra.nodes_by_name_prefix("n1") == rb.nodes_by_name_prefix("n1"));
}

template <class Store> bool clean(Store& db) {
    const auto report = db.check();
    for (const auto& p : report.problems)
        UNSCOPED_INFO(p);
    return report.ok();
}
} // namespace

TEMPLATE_TEST_CASE("bulk_insert builds the same graph as one-by-one inserts, empty and non-empty", "[graph][bulk]",
                   testing::store_varint_4k, testing::store_fixed_4k, testing::store_varint_1k,
                   testing::store_fixed_1k) {
    memory_fs fs;
    TestType bulk("bulk.db", {}, fs);
    TestType ref("ref.db", {}, fs);
    std::mt19937_64 rng(21);
    // First batch: every tree empty, the bulk-load path. Over 2,048 nodes, so
    // grouping the entries by node puts several nodes in each bucket.
    const auto first = make_batch(rng, 2600, 8000, 0);
    {
        auto tx = bulk.begin_write();
        const auto ids = tx.bulk_insert(first.nodes, first.edges);
        REQUIRE(ids.first_node == 1);
        REQUIRE(ids.nodes == 2600);
        REQUIRE(ids.first_edge == 1);
        REQUIRE(ids.edge(7999) == 8000);
        tx.commit();
    }
    {
        auto tx = ref.begin_write();
        insert_one_by_one(tx, first);
        tx.commit();
    }
    require_same_graph(bulk, ref);
    REQUIRE(clean(bulk));
    // Second and third batches into the same transaction: trees hold data, the merge path.
    {
        auto tb = bulk.begin_write();
        auto tr = ref.begin_write();
        for (int round = 0; round < 2; ++round) {
            const auto more = make_batch(rng, 300, 3000, tb.node_count());
            const auto ids = tb.bulk_insert(more.nodes, more.edges);
            REQUIRE(ids.first_node == 2601 + 300 * static_cast<node_id>(round));
            insert_one_by_one(tr, more);
        }
        // Only edges between existing nodes.
        std::vector<bulk_edge_input> extra{{.from = node_ref::existing(1), .to = node_ref::existing(2), .type = "new"}};
        REQUIRE(tb.bulk_insert({}, extra).first_edge == 14001);
        tr.insert_edge({.from = 1, .to = 2, .type = "new"});
        tb.commit();
        tr.commit();
    }
    require_same_graph(bulk, ref);
    REQUIRE(clean(bulk));
    // Reopen and read again.
    bulk.close();
    TestType again("bulk.db", {}, fs);
    require_same_graph(again, ref);
}

TEST_CASE("one-edge commits after a bulk load seldom split the adjacency tree's leaves", "[graph][bulk]") {
    // Each edge grows a chunk in two random leaves. A load that packs the
    // leaves full makes nearly every such commit split two of them (a new
    // page each, and a parent written too); the room a load leaves absorbs
    // them instead.
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    std::mt19937_64 rng(11);
    const std::size_t nodes = 4000;
    {
        const batch b = make_batch(rng, nodes, 60000, 0);
        auto tx = db.begin_write();
        tx.bulk_insert(b.nodes, b.edges);
        tx.commit();
    }
    const auto before = db.stats().pages;
    for (int i = 0; i < 300; ++i)
        db.insert_edge({.from = 1 + rng() % nodes, .to = 1 + rng() % nodes, .type = "knows"});
    const auto grown = db.stats().pages - before;
    INFO("pages added by 300 one-edge commits: " << grown);
    REQUIRE(grown <= 10);
    REQUIRE(db.edge_count() == 60300);
    REQUIRE(db.check().ok());
}

TEST_CASE("bulk_insert refuses bad input before writing anything", "[graph][bulk]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    const auto a = db.insert_node({.kind = "k"});
    auto tx = db.begin_write();
    std::vector<node_input> nodes{{.kind = "k", .name = "x"}, {.kind = "k", .name = "y"}};
    auto edges = [](node_ref from, node_ref to) {
        return std::vector<bulk_edge_input>{{.from = node_ref::batch(0), .to = node_ref::batch(1), .type = "t"},
                                            {.from = from, .to = to, .type = "t"}};
    };
    REQUIRE(error_code_of([&] { tx.bulk_insert(nodes, edges(node_ref::batch(2), node_ref::batch(0))); }) ==
            errc::invalid_argument);
    REQUIRE(error_code_of([&] { tx.bulk_insert(nodes, edges(node_ref::existing(99), node_ref::batch(0))); }) ==
            errc::not_found);
    REQUIRE(error_code_of([&] { tx.bulk_insert(nodes, edges(node_ref::existing(a + 1), node_ref::batch(0))); }) ==
            errc::not_found); // the id the first batch node would get does not exist yet
    auto bad_edge = edges(node_ref::existing(a), node_ref::batch(0));
    bad_edge[1].properties = "{oops";
    REQUIRE(error_code_of([&] { tx.bulk_insert(nodes, bad_edge); }) == errc::invalid_argument);
    auto nul_type = edges(node_ref::existing(a), node_ref::batch(0));
    nul_type[1].type = std::string("a\0b", 3);
    REQUIRE(error_code_of([&] { tx.bulk_insert(nodes, nul_type); }) == errc::invalid_argument);
    std::vector<node_input> bad_nodes{{.kind = "k", .properties = "[1]"}};
    REQUIRE(error_code_of([&] { tx.bulk_insert(bad_nodes, {}); }) == errc::invalid_argument);
    // The transaction is still usable and nothing was written.
    REQUIRE(tx.node_count() == 1);
    REQUIRE(tx.edge_count() == 0);
    const auto ids = tx.bulk_insert(nodes, edges(node_ref::existing(a), node_ref::batch(0)));
    REQUIRE(ids.first_node == a + 1);
    tx.commit();
    REQUIRE(db.edge_count() == 2);
    REQUIRE(db.neighbors(a, direction::out).size() == 1);
    REQUIRE(db.check().ok());
}

TEMPLATE_TEST_CASE("a bulk_loader fed in batches builds what one bulk_insert of all of them builds", "[graph][bulk]",
                   testing::store_varint_4k, testing::store_fixed_1k) {
    memory_fs fs;
    TestType fed("fed.db", {}, fs);
    TestType whole("whole.db", {}, fs);
    for (auto* db : {&fed, &whole}) db->insert_node({.kind = "city", .name = "before"}); // an existing node: id 1
    std::mt19937_64 rng(5);
    // Three batches of nodes and edges; later edges name nodes of earlier
    // batches (node_ref::batch counts every node added to the loader) and node 1.
    batch all;
    std::vector<batch> parts;
    for (int p = 0; p < 3; ++p) {
        batch b = make_batch(rng, 700, 2500, 1);
        for (auto& e : b.edges)
            for (node_ref* r : {&e.from, &e.to})
                if (r->in_batch) // past the nodes added before; a fifth into the batch before
                    r->value += all.nodes.size() - (p > 0 && r->value % 5 == 0 ? 700 : 0);
        all.nodes.insert(all.nodes.end(), b.nodes.begin(), b.nodes.end());
        all.edges.insert(all.edges.end(), b.edges.begin(), b.edges.end());
        parts.push_back(std::move(b));
    }
    {
        auto tx = fed.begin_write();
        auto loader = tx.bulk_load();
        for (std::size_t p = 0; p < parts.size(); ++p) {
            REQUIRE(loader.add_nodes(parts[p].nodes) == 2 + 700 * p);
            REQUIRE(loader.add_edges(parts[p].edges) == 1 + 2500 * p);
        }
        REQUIRE(loader.add_edges({}) == 7501); // the next id when empty
        REQUIRE(tx.node_count() == 1);         // nothing written before finish
        const auto ids = loader.finish();
        REQUIRE(ids.first_node == 2);
        REQUIRE(ids.nodes == 2100);
        REQUIRE(ids.first_edge == 1);
        REQUIRE(ids.edges == 7500);
        REQUIRE(error_code_of([&] { loader.add_nodes(parts[0].nodes); }) == errc::invalid_argument); // finished
        REQUIRE(error_code_of([&] { loader.finish(); }) == errc::invalid_argument);
        tx.commit();
    }
    {
        auto tx = whole.begin_write();
        tx.bulk_insert(all.nodes, all.edges);
        tx.commit();
    }
    require_same_graph(fed, whole);
    REQUIRE(clean(fed));
}

TEST_CASE("a bulk_loader refuses a bad batch whole and keeps the batches before it", "[graph][bulk]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    auto tx = db.begin_write();
    auto loader = tx.bulk_load();
    const std::vector<node_input> nodes{{.kind = "k", .name = "x"}, {.kind = "k", .name = "y"}};
    REQUIRE(loader.add_nodes(nodes) == 1);
    const std::vector<bulk_edge_input> good{{.from = node_ref::batch(0), .to = node_ref::batch(1), .type = "t"}};
    REQUIRE(loader.add_edges(good) == 1);
    // A new type, then a bad row: neither the rows before it nor the type stay.
    std::vector<bulk_edge_input> bad{{.from = node_ref::batch(1), .to = node_ref::batch(0), .type = "fresh"},
                                     {.from = node_ref::batch(0), .to = node_ref::batch(1), .type = "t", .properties = "{oops"}};
    REQUIRE(error_code_of([&] { loader.add_edges(bad); }) == errc::invalid_argument);
    bad[1].properties = "";
    bad[1].to = node_ref::batch(2); // only two nodes added so far
    REQUIRE(error_code_of([&] { loader.add_edges(bad); }) == errc::invalid_argument);
    bad[1].to = node_ref::existing(77);
    REQUIRE(error_code_of([&] { loader.add_edges(bad); }) == errc::not_found);
    std::vector<node_input> bad_nodes{{.kind = "k", .name = "z"}, {.kind = "k", .properties = "[1]"}};
    REQUIRE(error_code_of([&] { loader.add_nodes(bad_nodes); }) == errc::invalid_argument);
    // The loader goes on from where the good batches left it.
    REQUIRE(loader.add_nodes(std::vector<node_input>{{.kind = "k", .name = "w"}}) == 3);
    REQUIRE(loader.add_edges(std::vector<bulk_edge_input>{{.from = node_ref::batch(2), .to = node_ref::batch(0), .type = "u"}}) == 2);
    const auto ids = loader.finish();
    REQUIRE(ids.nodes == 3);
    REQUIRE(ids.edges == 2);
    tx.commit();
    auto r = db.begin_read();
    REQUIRE(r.node_count() == 3);
    REQUIRE(r.nodes_by_name("z").empty());
    REQUIRE(r.edge_count() == 2);
    const auto edges = r.edges();
    REQUIRE(edges.size() == 2);
    REQUIRE(edges[0].type == "t");
    REQUIRE(edges[1].type == "u");
    REQUIRE(edges[1].from == 3);
    REQUIRE(edges[1].to == 1);
    REQUIRE(r.type_id("fresh") == std::nullopt); // the refused batch's new type never reached the store
    REQUIRE(clean(db));
}

TEST_CASE("a batch naming existing nodes on many pages reports the first missing one in input order", "[graph][bulk]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    {
        auto tx = db.begin_write();
        for (int i = 0; i < 2000; ++i)
            tx.insert_node({.kind = "k", .name = "n" + std::to_string(i)});
        tx.erase_node(500);
        tx.erase_node(1500);
        tx.commit();
    }
    auto tx = db.begin_write();
    auto loader = tx.bulk_load();
    std::vector<bulk_edge_input> edges;
    for (node_id id = 2000; id >= 1; --id) // descending: the batch's order is not the ids'
        edges.push_back({.from = node_ref::existing(id), .to = node_ref::existing(2001 - id), .type = "t"});
    // Edge k runs from 2000 - k to k + 1: edge 499 names node 500 as its
    // to, edge 500 names 1500 as its from, and edges 1499 and 1500 again.
    try {
        loader.add_edges(edges);
        FAIL("accepted");
    } catch (const error& e) {
        CHECK(e.code() == errc::not_found);
        CHECK(std::string(e.what()) == "not_found: bulk edge 499: to node 500 does not exist");
    }
    std::erase_if(edges, [](const bulk_edge_input& e) {
        return e.from.value == 500 || e.from.value == 1500 || e.to.value == 500 || e.to.value == 1500;
    });
    REQUIRE(edges.size() == 1996);
    REQUIRE(loader.add_edges(edges) == 1);
    loader.finish();
    tx.commit();
    REQUIRE(db.edge_count() == 1996);
    REQUIRE(clean(db));
}

TEST_CASE("a bulk_loader's finish refuses inserts and erases made while it was open", "[graph][bulk]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    const auto a = db.insert_node({.kind = "k"});
    const std::vector<node_input> nodes{{.kind = "k", .name = "x"}};
    const std::vector<bulk_edge_input> to_a{{.from = node_ref::batch(0), .to = node_ref::existing(a), .type = "t"}};
    {
        auto tx = db.begin_write();
        auto loader = tx.bulk_load();
        loader.add_nodes(nodes); // handed out id a + 1
        tx.insert_node({.kind = "k", .name = "took it"});
        REQUIRE(error_code_of([&] { loader.finish(); }) == errc::invalid_argument);
        REQUIRE(tx.node_count() == 2); // the loader wrote nothing
        REQUIRE(tx.nodes_by_name("x").empty());
    }
    {
        auto tx = db.begin_write();
        auto loader = tx.bulk_load();
        loader.add_nodes(nodes);
        loader.add_edges(to_a);
        tx.erase_node(a);
        REQUIRE(error_code_of([&] { loader.finish(); }) == errc::not_found);
        REQUIRE(tx.node_count() == 0);
    }
    {
        // A node named only by a refused batch is not checked again.
        auto tx = db.begin_write();
        auto loader = tx.bulk_load();
        loader.add_nodes(nodes);
        const std::vector<bulk_edge_input> refused{
            {.from = node_ref::existing(a), .to = node_ref::existing(a + 100), .type = "t"}};
        REQUIRE(error_code_of([&] { loader.add_edges(refused); }) == errc::not_found);
        tx.erase_node(a);
        REQUIRE(loader.finish().nodes == 1);
        REQUIRE(tx.node_count() == 1);
    }
    {
        auto tx = db.begin_write();
        {
            auto dropped = tx.bulk_load(); // never finished: writes nothing
            dropped.add_nodes(nodes);
        }
        tx.commit();
    }
    REQUIRE(db.begin_read().node_count() == 1);
    REQUIRE(clean(db));
}

TEST_CASE("a bulk load cut by power loss at each write of its commit leaves the graph before or after it",
          "[graph][bulk][crash]") {
    // 1 KiB pages: the load appends hundreds of pages, so its commit writes
    // them straight to the main file (pager::append_direct_min) before its
    // log frames; every write and sync of that commit is a crash point.
    using fault_store = basic_graph_store<fault_fs, page_size<1024>>;
    std::mt19937_64 rng(77);
    const auto small = make_batch(rng, 40, 80, 0);
    const auto big = make_batch(rng, 1500, 5000, 40);
    auto load = [](fault_store& db, const batch& b) {
        auto tx = db.begin_write();
        tx.bulk_insert(b.nodes, b.edges);
        tx.commit();
    };
    fault_fs before_fs, after_fs;
    fault_store before("g.db", {}, before_fs), after("g.db", {}, after_fs);
    load(before, small);
    load(after, small);
    const auto at_start = after_fs.mutations();
    load(after, big);
    const auto commit_mutations = after_fs.mutations() - at_start;
    REQUIRE(after.pager_handle().stats().direct_pages >= 256);
    REQUIRE(commit_mutations >= 5);
    std::size_t before_states = 0, after_states = 0;
    for (std::uint64_t step = 1; step <= commit_mutations; ++step) {
        for (std::uint64_t seed = 0; seed < 6; ++seed) { // a seed keeps or drops the unsynced writes
            fault_fs fs;
            {
                fault_store db("g.db", {}, fs);
                load(db, small);
                fs.crash_after(step);
                REQUIRE_THROWS_AS(load(db, big), simulated_crash);
            }
            fs.crash(seed);
            fault_store db("g.db", {}, fs);
            INFO("crash at commit step " << step << ", seed " << seed);
            REQUIRE(clean(db));
            if (db.begin_read().node_count() == before.begin_read().node_count()) {
                ++before_states;
                require_same_graph(db, before);
            } else {
                ++after_states;
                require_same_graph(db, after);
            }
        }
    }
    REQUIRE(before_states > 0);
    REQUIRE(after_states > 0);
}
