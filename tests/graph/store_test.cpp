// The graph store's API, one behaviour per test: records, properties,
// adjacency, deletes, indexes, traversals, snapshots, bad input, format
// checks. Runs for both record codecs and two page sizes where it matters.
#include "graph/graph_stores.hpp"
#include "sqlitegraph/codec/properties.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/graph/visited_nodes.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "support/catch.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace sqlitegraph;
using testing::error_code_of;

namespace {
template <class Store> bool clean(Store& db) {
    const auto report = db.check();
    for (const auto& p : report.problems)
        UNSCOPED_INFO(p);
    return report.ok();
}
} // namespace

TEMPLATE_TEST_CASE("nodes and edges round-trip through a transaction and a reopen", "[graph]", testing::store_varint_4k,
                   testing::store_fixed_4k, testing::store_varint_1k, testing::store_fixed_1k) {
    memory_fs fs;
    node_id a, b;
    edge_id e;
    {
        TestType db("g.db", {}, fs);
        auto tx = db.begin_write();
        a = tx.insert_node(
            {.kind = "person", .name = "alice", .properties = R"({"age": 30, "city": "Oslo", "tags": ["x", 1]})"});
        b = tx.insert_node({.kind = "person", .name = "bob", .properties = ""});
        e = tx.insert_edge({.from = a, .to = b, .type = "knows", .properties = R"({"since": 2019, "w": 0.25})"});
        tx.commit();
        REQUIRE(a == 1);
        REQUIRE(b == 2);
        REQUIRE(e == 1);
    }
    TestType db("g.db", {}, fs);
    auto r = db.begin_read();
    const auto alice = r.get_node(a);
    REQUIRE(alice.has_value());
    REQUIRE(alice->kind == "person");
    REQUIRE(alice->name == "alice");
    REQUIRE(alice->properties() == R"({"age":30,"city":"Oslo","tags":["x",1]})");
    REQUIRE(alice->template get<std::int64_t>("age") == 30);
    REQUIRE(alice->template get<std::string>("city") == "Oslo");
    REQUIRE_FALSE(alice->template get<std::int64_t>("missing").has_value());
    REQUIRE(r.get_node(b)->properties() == "{}");
    const auto knows = r.get_edge(e);
    REQUIRE(knows.has_value());
    REQUIRE(knows->from == a);
    REQUIRE(knows->to == b);
    REQUIRE(knows->type == "knows");
    REQUIRE(knows->template get<double>("w") == 0.25);
    REQUIRE(knows->template get<double>("since") == 2019.0);
    REQUIRE(r.node_count() == 2);
    REQUIRE(r.edge_count() == 1);
    r.end();
    REQUIRE(clean(db));
}

TEST_CASE("typed property access converts by JSON type and refuses a mismatch", "[graph][properties]") {
    const auto p =
        property_map::from_json(R"({"i": -42, "d": 1.5, "b": true, "s": "h\u00e9\"", "n": null, "o": {"x": 1}})");
    REQUIRE(p.get<std::int64_t>("i") == -42);
    REQUIRE(p.get<int>("i") == -42);
    REQUIRE(p.get<double>("d") == 1.5);
    REQUIRE(p.get<double>("i") == -42.0);
    REQUIRE(p.get<bool>("b") == true);
    REQUIRE(p.get<std::string>("s") == "h\xc3\xa9\"");
    REQUIRE(p.find("n")->type() == property_type::null);
    REQUIRE(p.find("o")->json() == R"({"x":1})");
    REQUIRE(error_code_of([&] { (void)p.get<std::int64_t>("s"); }) == errc::invalid_argument);
    REQUIRE(error_code_of([&] { (void)p.get<std::uint8_t>("i"); }) == errc::invalid_argument);
    REQUIRE(p.json() == R"({"i":-42,"d":1.5,"b":true,"s":"hé\"","n":null,"o":{"x":1}})");
    REQUIRE(p.size() == 6);
}

TEST_CASE("invalid JSON is refused with invalid_argument", "[graph][properties]") {
    for (const char* bad : {"{", "{\"a\":}", "[1,2]", "{\"a\":1,}", "{\"a\":01}", "{'a':1}", "{\"a\":\"\x01\"}",
                            "{\"a\":tru}", "{\"a\":1} x", "{\"a\":\"\\ud800\"}", "{\"a\":1e999}", "{\"a\":\"\xff\"}"}) {
        INFO(bad);
        REQUIRE(error_code_of([&] { (void)encode_properties(bad); }) == errc::invalid_argument);
    }
    std::string deep(100, '[');
    REQUIRE(error_code_of([&] { (void)encode_properties("{\"a\":" + deep + std::string(100, ']') + "}"); }) ==
            errc::invalid_argument);
}

TEST_CASE("numbers keep their JSON type through the binary form", "[graph][properties]") {
    REQUIRE(
        property_map::from_json(R"({"a":1.0,"b":-0,"c":9223372036854775807,"d":9223372036854775808,"e":1e2})").json() ==
        R"({"a":1.0,"b":0,"c":9223372036854775807,"d":9223372036854775808.0,"e":100.0})");
}

TEMPLATE_TEST_CASE("properties larger than a page spill to overflow pages and read back", "[graph][properties]",
                   testing::store_varint_1k, testing::store_fixed_4k) {
    memory_fs fs;
    TestType db("g.db", {}, fs);
    const std::string big(50000, 'q');
    const auto id = db.insert_node({"doc", "big", R"({"text":")" + big + R"("})"});
    REQUIRE(db.get_node(id)->template get<std::string>("text") == big);
    db.update_node(id, {.properties = std::string(R"({"text":"small"})")});
    REQUIRE(db.get_node(id)->template get<std::string>("text") == "small");
    REQUIRE(clean(db)); // the overflow pages went back to the free list
}

TEST_CASE("many edges between the same pair are kept apart and listed by neighbors", "[graph][adjacency]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    const auto a = db.insert_node({"n", "a", ""});
    const auto b = db.insert_node({"n", "b", ""});
    const auto e1 = db.insert_edge({a, b, "likes", ""});
    const auto e2 = db.insert_edge({a, b, "likes", ""});
    const auto e3 = db.insert_edge({a, b, "hates", ""});
    const auto loop = db.insert_edge({a, a, "self", ""});
    auto r = db.begin_read();
    REQUIRE(r.degree(a, direction::out) == 4);
    REQUIRE(r.degree(a, direction::in) == 1);
    REQUIRE(r.degree(b, direction::in) == 3);
    REQUIRE(r.degree(a, direction::out, {"likes"}) == 2);
    REQUIRE(r.degree(a, direction::out, {"nope"}) == 0);
    const auto out = r.neighbors(a, direction::out, {"likes", "hates"});
    REQUIRE(out.size() == 3);
    std::vector<edge_id> ids;
    for (const auto& n : out) {
        REQUIRE(n.node == b);
        REQUIRE(n.dir == direction::out);
        ids.push_back(n.edge);
    }
    std::sort(ids.begin(), ids.end());
    REQUIRE(ids == std::vector<edge_id>{e1, e2, e3});
    const auto in_b = r.neighbors(b, direction::in);
    REQUIRE(in_b.size() == 3);
    REQUIRE(in_b.front().dir == direction::in);
    REQUIRE(r.neighbors(a, direction::both, {"self"}).size() == 2);
    REQUIRE(r.neighbors(a, direction::both, {"self"})[0].edge == loop);
}

TEST_CASE("deleting a node deletes its edges and leaves no dangling adjacency", "[graph][adjacency]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    const auto a = db.insert_node({"n", "a", ""});
    const auto b = db.insert_node({"n", "b", ""});
    const auto c = db.insert_node({"n", "c", ""});
    db.insert_edge({a, b, "x", ""});
    db.insert_edge({b, a, "y", ""});
    db.insert_edge({b, b, "loop", ""});
    const auto keep = db.insert_edge({a, c, "x", ""});
    db.erase_node(b);
    REQUIRE_FALSE(db.node_exists(b));
    REQUIRE(db.edge_count() == 1);
    REQUIRE(db.edge_exists(keep));
    REQUIRE(db.neighbors(a).size() == 1);
    REQUIRE(db.neighbors(c).size() == 1);
    REQUIRE(db.node_count() == 2);
    REQUIRE(error_code_of([&] { db.erase_node(b); }) == errc::not_found); // deleting twice
    REQUIRE(error_code_of([&] { (void)db.neighbors(b); }) == errc::not_found);
    REQUIRE(db.insert_node({"n", "d", ""}) == 4); // ids are not reused
    REQUIRE(clean(db));
}

TEST_CASE("kind and name indexes answer exact, prefix and glob lookups and follow updates", "[graph][index]") {
    memory_fs fs;
    testing::store_varint_1k db("g.db", {}, fs);
    const auto alice = db.insert_node({"person", "alice", ""});
    const auto alan = db.insert_node({"person", "alan", ""});
    const auto acme = db.insert_node({"company", "acme", ""});
    const auto alice2 = db.insert_node({"robot", "alice", ""});
    auto r = db.begin_read();
    REQUIRE(r.nodes_by_kind("person") == std::vector<node_id>{alice, alan});
    REQUIRE(r.nodes_by_kind("pers").empty());
    REQUIRE(r.nodes_by_name("alice") == std::vector<node_id>{alice, alice2});
    REQUIRE(r.nodes_by_name_prefix("al") == std::vector<node_id>{alan, alice, alice2});
    REQUIRE(r.nodes_by_name_glob("a?i*") == std::vector<node_id>{alice, alice2});
    REQUIRE(r.nodes_by_name_glob("*e") == std::vector<node_id>{acme, alice, alice2});
    REQUIRE(r.nodes_by_name_glob("a*n") == std::vector<node_id>{alan});
    r.end();
    db.update_node(alan, {.kind = std::string("robot"), .name = std::string("zed")});
    auto r2 = db.begin_read();
    REQUIRE(r2.nodes_by_kind("robot") == std::vector<node_id>{alan, alice2});
    REQUIRE(r2.nodes_by_name_prefix("al") == std::vector<node_id>{alice, alice2});
    REQUIRE(r2.nodes_by_name("zed") == std::vector<node_id>{alan});
    r2.end();
    db.erase_node(alice);
    REQUIRE(db.begin_read().nodes_by_name("alice") == std::vector<node_id>{alice2});
    REQUIRE(clean(db));
}

TEST_CASE("traversals: bfs depth limit, k-hop with type filter, shortest path, chain and pattern",
          "[graph][traversal]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    // 1 -> 2 -> 3 -> 4, 1 -> 5 (other type), 5 -> 4
    auto tx = db.begin_write();
    std::vector<node_id> n;
    for (const char* kind : {"a", "b", "c", "d", "b"})
        n.push_back(tx.insert_node({kind, "", ""}));
    tx.insert_edge({n[0], n[1], "road", ""});
    tx.insert_edge({n[1], n[2], "road", ""});
    tx.insert_edge({n[2], n[3], "road", ""});
    tx.insert_edge({n[0], n[4], "rail", ""});
    tx.insert_edge({n[4], n[3], "rail", ""});
    tx.commit();
    auto r = db.begin_read();
    const auto levels = r.bfs(n[0], 1);
    REQUIRE(levels == std::vector<bfs_entry>{{n[0], 0}, {n[1], 1}, {n[4], 1}});
    REQUIRE(r.k_hop(n[0], 3, direction::out, {"road"}) == std::vector<node_id>{n[1], n[2], n[3]});
    REQUIRE(r.k_hop(n[3], 1, direction::in) == std::vector<node_id>{n[2], n[4]});
    REQUIRE(r.shortest_path(n[0], n[3]) == std::vector<node_id>{n[0], n[4], n[3]});
    REQUIRE(r.shortest_path(n[0], n[3], direction::out, {"road"}) == std::vector<node_id>{n[0], n[1], n[2], n[3]});
    REQUIRE_FALSE(r.shortest_path(n[3], n[0]).has_value());
    REQUIRE(r.shortest_path(n[3], n[0], direction::both)->size() == 3);
    REQUIRE(r.chain(n[0], {{direction::out, {}, "b"}, {direction::out, {}, "d"}}) == std::vector<node_id>{n[3]});
    REQUIRE(r.chain(n[0], {{direction::out, {"road"}, ""}, {direction::out, {}, "d"}}).empty());
    pattern p;
    p.root_kind = "a";
    p.legs = {{direction::out, {"road"}, ""}, {direction::out, {"rail"}, "b"}};
    REQUIRE(r.match(p) == std::vector<pattern_match>{{n[0], {n[1], n[4]}}});
    p.legs.push_back({direction::in, {}, ""}); // nothing enters the root
    REQUIRE(r.match(p).empty());
    REQUIRE(error_code_of([&] { (void)r.bfs(99, 2); }) == errc::not_found);
}

TEST_CASE("visited_nodes answers as a set before and after it moves to a bitmap", "[graph][traversal]") {
    for (const std::uint64_t bound : {std::uint64_t{10}, std::uint64_t{64}, std::uint64_t{100'000}}) {
        visited_nodes v(bound);
        std::set<std::uint64_t> reference;
        std::mt19937_64 rng(bound);
        // Ids below the bound (the bitmap's) and past it (kept hashed), each
        // inserted twice; by the end far more than bound / 256 are in.
        for (int i = 0; i < 4000; ++i) {
            const std::uint64_t id = rng() % 8 == 0 ? bound + rng() % 50 : rng() % bound;
            REQUIRE(v.insert(id) == reference.insert(id).second);
            REQUIRE_FALSE(v.insert(id));
            const std::uint64_t probe = rng() % (bound + 60);
            REQUIRE(v.contains(probe) == reference.contains(probe));
        }
        for (std::uint64_t id = 0; id < bound + 60; ++id)
            REQUIRE(v.contains(id) == reference.contains(id));
    }
}

TEMPLATE_TEST_CASE("store traversals match node-by-node references: bfs order and depths, shortest paths, chain",
                   "[graph][traversal]", testing::store_varint_4k, testing::store_fixed_1k) {
    memory_fs fs;
    TestType db("g.db", {}, fs);
    const auto n = testing::add_random_graph(db, 400, 700, 31); // sparse: many pairs have no path one way
    std::mt19937_64 rng(31);
    // The reference: a queue, one node at a time, through for_each_neighbor.
    auto reference_bfs = [&](auto& r, node_id start, std::uint32_t max_depth, direction dir, const type_filter& types) {
        std::vector<bfs_entry> out{{start, 0}};
        std::set<node_id> seen{start};
        for (std::size_t i = 0; i < out.size(); ++i) {
            if (out[i].depth >= max_depth) continue;
            r.for_each_neighbor(
                out[i].node, dir,
                [&](node_id m, edge_id, std::uint32_t, direction) {
                    if (seen.insert(m).second) out.push_back({m, out[i].depth + 1});
                },
                types);
        }
        return out;
    };
    const std::vector<type_filter> filters{{}, {"a"}, {"b"}};
    std::size_t found = 0, longest = 0;
    for (int round = 0; round < 2; ++round) { // the second round reads through the adjacency cache
        auto r = db.begin_read();
        for (int pair = 0; pair < 150; ++pair) {
            const node_id from = n[rng() % 400], to = n[rng() % 400];
            const direction dir = std::array{direction::out, direction::in, direction::both}[rng() % 3];
            const auto& types = filters[rng() % filters.size()];
            const auto levels = reference_bfs(r, from, UINT32_MAX, dir, types);
            REQUIRE(r.bfs(from, UINT32_MAX, dir, types) == levels);
            REQUIRE(r.bfs(from, 2, dir, types) == reference_bfs(r, from, 2, dir, types));
            const auto reached = std::find_if(levels.begin(), levels.end(), [&](const bfs_entry& e) { return e.node == to; });
            const auto path = r.shortest_path(from, to, dir, types);
            REQUIRE(path.has_value() == (reached != levels.end()));
            if (!path) continue;
            ++found;
            longest = std::max(longest, path->size());
            REQUIRE(path->size() == reached->depth + 1u);
            REQUIRE(path->front() == from);
            REQUIRE(path->back() == to);
            for (std::size_t i = 0; i + 1 < path->size(); ++i) {
                bool hop = false;
                r.for_each_neighbor(
                    (*path)[i], dir, [&](node_id m, edge_id, std::uint32_t, direction) { hop |= m == (*path)[i + 1]; },
                    types);
                REQUIRE(hop);
            }
            REQUIRE(r.shortest_path(from, to, dir, types) == path); // deterministic
        }
    }
    // Both outcomes, and paths long enough for the two sides to meet midway.
    REQUIRE(found > 30);
    REQUIRE(found < 300);
    REQUIRE(longest >= 6);

    // chain against a node-by-node reference, with every third node of kind "j".
    {
        auto tx = db.begin_write();
        for (std::size_t i = 0; i < n.size(); i += 3)
            tx.update_node(n[i], {.kind = std::string("j")});
        tx.commit();
    }
    std::size_t nonempty = 0;
    for (int round = 0; round < 2; ++round) {
        auto r = db.begin_read();
        for (int q = 0; q < 100; ++q) {
            const node_id start = n[rng() % 400];
            std::vector<chain_step> steps;
            for (std::size_t k = 1 + rng() % 3; k > 0; --k)
                steps.push_back({std::array{direction::out, direction::in, direction::both}[rng() % 3],
                                 filters[rng() % filters.size()], std::array{"", "j", "k"}[rng() % 3]});
            std::set<node_id> frontier{start};
            for (const auto& step : steps) {
                std::set<node_id> next;
                for (const node_id x : frontier)
                    r.for_each_neighbor(
                        x, step.dir,
                        [&](node_id m, edge_id, std::uint32_t, direction) {
                            if (step.kind.empty() || r.get_node(m)->kind == step.kind) next.insert(m);
                        },
                        step.types);
                frontier.swap(next);
            }
            const auto got = r.chain(start, steps);
            REQUIRE(got == std::vector<node_id>(frontier.begin(), frontier.end()));
            nonempty += got.empty() ? 0 : 1;
        }
    }
    REQUIRE(nonempty > 20);
}

TEST_CASE("a read snapshot does not see later commits; a write transaction sees its own writes", "[graph][snapshot]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    const auto a = db.insert_node({"n", "a", R"({"v":1})"});
    auto before = db.begin_read();
    auto tx = db.begin_write();
    tx.update_node(a, {.properties = std::string(R"({"v":2})")});
    const auto b = tx.insert_node({"n", "b", ""});
    tx.insert_edge({a, b, "e", ""});
    REQUIRE(tx.get_node(a)->get<int>("v") == 2);
    REQUIRE(tx.neighbors(a).size() == 1);
    tx.commit();
    REQUIRE(before.get_node(a)->get<int>("v") == 1);
    REQUIRE_FALSE(before.node_exists(b));
    REQUIRE(before.neighbors(a).empty());
    before.end();
    REQUIRE(db.get_node(a)->get<int>("v") == 2);
}

// node_exists answers from the counters while no node was ever erased (ids
// below g.next_node then all exist): no node page and no node cache lookup.
// Once one is erased, it looks the record up again, in a write transaction
// and in the snapshots after the erase, but not in one from before.
TEST_CASE("node existence comes from the counters until a node is erased", "[graph][snapshot]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    std::vector<node_id> ids;
    for (int i = 0; i < 300; ++i)
        ids.push_back(db.insert_node({"n", "v" + std::to_string(i), ""}));
    auto lookups = [&] {
        const auto s = db.node_cache_statistics();
        return s.hits + s.misses + s.bypassed;
    };
    const auto dense_before = lookups();
    for (const auto id : ids)
        REQUIRE(db.node_exists(id));
    REQUIRE_FALSE(db.node_exists(0));
    REQUIRE_FALSE(db.node_exists(ids.back() + 1));
    REQUIRE(db.insert_edge({ids[0], ids[299], "e", ""}) == 1);
    REQUIRE(lookups() == dense_before);

    auto before_erase = db.begin_read();
    {
        auto tx = db.begin_write();
        tx.erase_node(ids[150]);
        REQUIRE_FALSE(tx.node_exists(ids[150]));
        REQUIRE(error_code_of([&] { tx.insert_edge({ids[150], ids[1], "e", ""}); }) == errc::not_found);
        REQUIRE(tx.node_exists(ids[151]));
        tx.commit();
    }
    REQUIRE(before_erase.node_exists(ids[150]));
    before_erase.end();
    const auto sparse_before = lookups();
    REQUIRE_FALSE(db.node_exists(ids[150]));
    REQUIRE(db.node_exists(ids[149]));
    REQUIRE(lookups() > sparse_before);
    REQUIRE(error_code_of([&] { db.insert_edge({ids[2], ids[150], "e", ""}); }) == errc::not_found);
    // The last id erased too: the count stays below the bound.
    db.erase_node(ids[299]);
    REQUIRE_FALSE(db.node_exists(ids[299]));
    REQUIRE(db.node_exists(ids[298]));
    REQUIRE(db.edge_count() == 0);
    REQUIRE(clean(db));
}

TEST_CASE("rollback and an abandoned write transaction leave the graph unchanged", "[graph][snapshot]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    const auto a = db.insert_node({"n", "a", ""});
    {
        auto tx = db.begin_write();
        tx.insert_node({"n", "b", ""});
        tx.erase_node(a);
        tx.rollback();
    }
    {
        auto tx = db.begin_write();
        tx.insert_edge({a, a, "e", ""});
    } // destroyed without commit
    REQUIRE(db.node_exists(a));
    REQUIRE(db.node_count() == 1);
    REQUIRE(db.edge_count() == 0);
    REQUIRE(db.insert_node({"n", "c", ""}) == 2);
    REQUIRE(clean(db));
}

TEST_CASE("bad input is refused with a clear error and changes nothing", "[graph][bad-input]") {
    memory_fs fs;
    testing::store_varint_1k db("g.db", {}, fs);
    const auto a = db.insert_node({"n", "a", R"({"x":1})"});
    const auto e = db.insert_edge({a, a, "t", ""});
    const auto pages_before = db.stats().pages;
    auto tx = db.begin_write();
    REQUIRE(error_code_of([&] { tx.insert_node({"n", "b", "{oops}"}); }) == errc::invalid_argument);
    REQUIRE(error_code_of([&] { tx.insert_node({"n", std::string(5000, 'x'), ""}); }) == errc::too_large);
    REQUIRE(error_code_of([&] { tx.insert_node({std::string(5000, 'k'), "b", ""}); }) == errc::too_large);
    REQUIRE(error_code_of([&] { tx.insert_node({"n", std::string("a\0b", 3), ""}); }) == errc::invalid_argument);
    REQUIRE(error_code_of([&] { tx.insert_edge({a, 77, "t", ""}); }) == errc::not_found);
    REQUIRE(error_code_of([&] { tx.insert_edge({0, a, "t", ""}); }) == errc::not_found);
    REQUIRE(error_code_of([&] { tx.insert_edge({a, a, std::string(5000, 't'), ""}); }) == errc::too_large);
    REQUIRE(error_code_of([&] { tx.insert_edge({a, a, "t", "[]"}); }) == errc::invalid_argument);
    REQUIRE(error_code_of([&] { tx.update_node(77, {.name = std::string("x")}); }) == errc::not_found);
    REQUIRE(error_code_of([&] { tx.update_node(a, {.properties = std::string("{\"x\":")}); }) ==
            errc::invalid_argument);
    REQUIRE(error_code_of([&] { tx.update_edge(77, {}); }) == errc::not_found);
    REQUIRE(error_code_of([&] { tx.erase_edge(77); }) == errc::not_found);
    tx.erase_edge(e);
    REQUIRE(error_code_of([&] { tx.erase_edge(e); }) == errc::not_found); // deleting twice
    tx.commit();
    REQUIRE(db.get_node(a)->properties() == R"({"x":1})");
    REQUIRE(db.node_count() == 1);
    REQUIRE(db.edge_count() == 0);
    REQUIRE(db.stats().pages == pages_before);
    REQUIRE(clean(db));
}

TEST_CASE("opening a file with the other record codec fails with format_mismatch", "[graph][format]") {
    memory_fs fs;
    { testing::store_varint_4k db("g.db", {}, fs); }
    REQUIRE(error_code_of([&] { testing::store_fixed_4k other("g.db", {}, fs); }) == errc::format_mismatch);
    REQUIRE(error_code_of([&] { testing::store_varint_1k other("g.db", {}, fs); }) == errc::format_mismatch);
}

TEST_CASE("stats count nodes, edges and pages", "[graph]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    auto tx = db.begin_write();
    for (int i = 0; i < 500; ++i)
        tx.insert_node({"k", "n" + std::to_string(i), R"({"i":1})"});
    for (node_id i = 1; i < 500; ++i)
        tx.insert_edge({i, i + 1, "next", ""});
    tx.commit();
    const auto s = db.stats();
    REQUIRE(s.nodes == 500);
    REQUIRE(s.edges == 499);
    REQUIRE(s.pages > 7);
    REQUIRE(s.file_bytes == std::uint64_t{s.pages} * 4096);
    REQUIRE(clean(db));
}
