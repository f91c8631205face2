// Algorithms on a store's read snapshot: directly (store_graph_view) and
// through snapshot_csr(), which must give the same answers.
#include "support/catch.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "sqlitegraph/algo/algorithms.hpp"
#include "sqlitegraph/codec/adjacency.hpp"
#include "sqlitegraph/graph/store_view.hpp"
#include "sqlitegraph/io/memory_file.hpp"

using namespace sqlitegraph;
using algo::vertex_id;

namespace {

using store_1k = basic_graph_store<memory_fs, page_size<1024>>;
using store_fixed = basic_graph_store<memory_fs, fixed_record_codec>;

template <class G>
std::vector<std::vector<algo::edge_ref>> rows(const G& g, bool out) {
    std::vector<std::vector<algo::edge_ref>> r;
    for (vertex_id v = 0; v < g.vertex_count(); ++v) {
        r.emplace_back();
        if (out)
            for (const auto& e : g.out_edges(v)) r.back().push_back(e);
        else
            for (const auto& e : g.in_edges(v)) r.back().push_back(e);
    }
    return r;
}

// Same neighbours, types and weights in the same order (edge indices differ
// by design: edge ids in the direct view, out-positions in the csr).
template <class A, class B>
void require_same_rows(const A& a, const B& b) {
    REQUIRE(a.vertex_count() == b.vertex_count());
    for (bool out : {true, false}) {
        const auto ra = rows(a, out), rb = rows(b, out);
        for (std::size_t v = 0; v < ra.size(); ++v) {
            REQUIRE(ra[v].size() == rb[v].size());
            for (std::size_t k = 0; k < ra[v].size(); ++k) {
                CHECK(ra[v][k].neighbor == rb[v][k].neighbor);
                CHECK(ra[v][k].type == rb[v][k].type);
                CHECK(ra[v][k].weight == rb[v][k].weight);
            }
        }
    }
}

template <class Store>
std::vector<node_id> random_store(Store& db, std::size_t n, std::size_t m, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<node_id> ids;
    auto tx = db.begin_write();
    for (std::size_t i = 0; i < n; ++i) ids.push_back(tx.insert_node({.kind = "v", .name = std::to_string(i)}));
    const char* types[] = {"a", "b", "c"};
    for (std::size_t i = 0; i < m; ++i) {
        const node_id u = ids[rng() % n], w = ids[rng() % n];
        std::string props;
        switch (rng() % 3) {
        case 0: break;
        case 1: props = R"({"weight": )" + std::to_string(1 + rng() % 9) + "}"; break;
        default: props = R"({"label": "x", "weight": )" + std::to_string(static_cast<double>(rng() % 100) / 8.0) + "}";
        }
        tx.insert_edge({.from = u, .to = w, .type = types[rng() % 3], .properties = props});
    }
    // Holes in both id spaces: erase some nodes (and their edges).
    for (std::size_t i = 0; i < n; i += 17) tx.erase_node(ids[i]);
    tx.commit();
    return ids;
}

} // namespace

TEST_CASE("snapshot_csr reads nodes, edges, types and weights of a hand-made store", "[algo][store]") {
    memory_fs fs;
    store_1k db("g.db", {}, fs);
    node_id a, b, c, d;
    {
        auto tx = db.begin_write();
        a = tx.insert_node({.kind = "k", .name = "a"});
        const node_id gone = tx.insert_node({.kind = "k", .name = "gone"});
        b = tx.insert_node({.kind = "k", .name = "b"});
        c = tx.insert_node({.kind = "k", .name = "c"});
        d = tx.insert_node({.kind = "k", .name = "d"});
        tx.insert_edge({.from = a, .to = b, .type = "x", .properties = R"({"weight": 2.5})"});
        tx.insert_edge({.from = a, .to = c, .type = "x"});
        tx.insert_edge({.from = b, .to = c, .type = "y", .properties = R"({"w": 1, "weight": 4})"});
        tx.insert_edge({.from = c, .to = c, .type = "x"});
        tx.insert_edge({.from = a, .to = gone, .type = "x"});
        tx.erase_node(gone);
        tx.commit();
    }
    auto r = db.begin_read();
    // A later write is not seen by the snapshot.
    {
        auto tx = db.begin_write();
        tx.insert_edge({.from = d, .to = a, .type = "x"});
        tx.commit();
    }
    const auto s = snapshot_csr<store_1k>(r);
    REQUIRE(s.nodes.size() == 4);
    CHECK(s.nodes.node_of(0) == a);
    CHECK(s.nodes.node_of(1) == b);
    CHECK(s.nodes.vertex_of(d) == 3);
    CHECK(s.nodes.find(a + 1) == algo::no_vertex);
    const auto& g = s.graph;
    REQUIRE(g.edge_count() == 4);
    const auto tx_id = r.type_id("x"), ty_id = r.type_id("y");
    REQUIRE(tx_id);
    REQUIRE(ty_id);
    REQUIRE(g.out_degree(0) == 2);
    CHECK(g.out_edges(0)[0].neighbor == 1);
    CHECK(g.out_edges(0)[0].weight == 2.5);
    CHECK(g.out_edges(0)[0].type == *tx_id);
    CHECK(g.out_edges(0)[1].neighbor == 2);
    CHECK(g.out_edges(0)[1].weight == 1.0);
    REQUIRE(g.out_degree(1) == 1);
    CHECK(g.out_edges(1)[0].type == *ty_id);
    CHECK(g.out_edges(1)[0].weight == 4.0);
    CHECK(g.out_degree(3) == 0);
    CHECK(g.in_degree(0) == 0);
    // c's in-edges: from a (x), the self-loop (x), then from b (y).
    REQUIRE(g.in_degree(2) == 3);
    CHECK(g.in_edges(2)[0].neighbor == 0);
    CHECK(g.in_edges(2)[1].neighbor == 2);
    CHECK(g.in_edges(2)[2].neighbor == 1);
    CHECK(g.in_edges(2)[2].weight == 4.0);
    // The in-edge reaches the same edge as the out-edge.
    CHECK(g.in_edges(2)[2].index == g.out_edges(1)[0].index);

    store_graph_view<store_1k> direct(r);
    require_same_rows(direct, g);
}

TEST_CASE("algorithms on the snapshot directly and on its csr_view agree", "[algo][store]") {
    memory_fs fs;
    store_fixed db("g.db", {}, fs);
    random_store(db, 300, 1200, 11);
    auto r = db.begin_read();
    const auto s = snapshot_csr<store_fixed>(r);
    const store_graph_view<store_fixed> direct(r);
    static_assert(algo::graph_view<store_graph_view<store_fixed>>);
    REQUIRE(direct.vertex_count() == s.graph.vertex_count());
    REQUIRE(s.graph.edge_count() == r.edge_count());
    require_same_rows(direct, s.graph);

    CHECK(algo::bfs_depths(direct, 3) == algo::bfs_depths(s.graph, 3));
    CHECK(algo::dijkstra(direct, 5).distance == algo::dijkstra(s.graph, 5).distance);
    CHECK(algo::weakly_connected_components(direct).component ==
          algo::weakly_connected_components(s.graph).component);
    CHECK(algo::strongly_connected_components(direct).component ==
          algo::strongly_connected_components(s.graph).component);
    CHECK(algo::pagerank(direct).score == algo::pagerank(s.graph).score);
    CHECK(algo::triangles(direct) == algo::triangles(s.graph));
    CHECK(algo::core_numbers(direct) == algo::core_numbers(s.graph));
    CHECK(algo::shortest_path(direct, 1, 7) == algo::shortest_path(s.graph, 1, 7));
    // Multi-threaded algorithms may call the direct view from two threads.
    algo::pagerank_options two;
    two.threads = 2;
    CHECK(algo::pagerank(direct, two).score == algo::pagerank(s.graph).score);
}

TEST_CASE("a snapshot's csr_view matches one built from its edge list", "[algo][store]") {
    memory_fs fs;
    store_1k db("g.db", {}, fs);
    random_store(db, 500, 3000, 5);
    auto r = db.begin_read();
    const auto s = snapshot_csr<store_1k>(r);
    // Reference: the edge records, fed through csr_builder.
    algo::csr_builder b(s.nodes.size());
    r.for_each_edge([&](const edge& e) {
        b.add_edge(s.nodes.vertex_of(e.from), s.nodes.vertex_of(e.to), *r.type_id(e.type),
                   e.get<double>("weight").value_or(1.0));
    });
    const auto ref = b.build();
    REQUIRE(ref.edge_count() == s.graph.edge_count());
    // Rows hold the same multisets of (neighbour, type, weight).
    for (bool out : {true, false}) {
        auto ra = rows(ref, out), rb = rows(s.graph, out);
        for (std::size_t v = 0; v < ra.size(); ++v) {
            auto key = [](const algo::edge_ref& e) { return std::tuple(e.neighbor, e.type, e.weight); };
            std::vector<std::tuple<vertex_id, algo::type_id, double>> x, y;
            for (const auto& e : ra[v]) x.push_back(key(e));
            for (const auto& e : rb[v]) y.push_back(key(e));
            std::sort(x.begin(), x.end());
            std::sort(y.begin(), y.end());
            REQUIRE(x == y);
        }
    }
}

TEST_CASE("a non-numeric weight is refused naming the edge", "[algo][store]") {
    memory_fs fs;
    store_1k db("g.db", {}, fs);
    edge_id bad;
    {
        auto tx = db.begin_write();
        const auto a = tx.insert_node({.kind = "k"});
        const auto b = tx.insert_node({.kind = "k"});
        tx.insert_edge({.from = a, .to = b, .type = "t", .properties = R"({"weight": 1})"});
        bad = tx.insert_edge({.from = b, .to = a, .type = "t", .properties = R"({"weight": "heavy"})"});
        tx.commit();
    }
    auto r = db.begin_read();
    try {
        (void)snapshot_csr<store_1k>(r);
        FAIL("no error");
    } catch (const error& e) {
        CHECK(e.code() == errc::invalid_argument);
        CHECK(std::string(e.what()).find("edge " + std::to_string(bad)) != std::string::npos);
    }
}

TEST_CASE("an empty snapshot gives an empty view", "[algo][store]") {
    memory_fs fs;
    store_1k db("g.db", {}, fs);
    auto r = db.begin_read();
    const auto s = snapshot_csr<store_1k>(r);
    CHECK(s.graph.vertex_count() == 0);
    CHECK(s.graph.edge_count() == 0);
    const store_graph_view<store_1k> direct(r);
    CHECK(direct.vertex_count() == 0);
    CHECK(algo::weakly_connected_components(s.graph).count == 0);
}

TEST_CASE("snapshot_csr gives the same view with two threads; weights can be skipped", "[algo][store][concurrency]") {
    memory_fs fs;
    store_1k db("g.db", {}, fs);
    random_store(db, 400, 2500, 9);
    auto r = db.begin_read();
    const auto one = snapshot_csr<store_1k>(r);
    snapshot_options two;
    two.threads = 2;
    const auto par = snapshot_csr<store_1k>(r, two);
    auto same = [](auto a, auto b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); };
    CHECK(same(one.graph.out_offsets(), par.graph.out_offsets()));
    CHECK(same(one.graph.out_targets(), par.graph.out_targets()));
    CHECK(same(one.graph.in_offsets(), par.graph.in_offsets()));
    CHECK(same(one.graph.in_sources(), par.graph.in_sources()));
    CHECK(same(one.graph.types(), par.graph.types()));
    CHECK(same(one.graph.weights(), par.graph.weights()));
    for (vertex_id v = 0; v < one.graph.vertex_count(); ++v)
        for (std::size_t k = 0; k < one.graph.in_degree(v); ++k)
            REQUIRE(one.graph.in_edges(v)[k].index == par.graph.in_edges(v)[k].index);
    snapshot_options light;
    light.weights = false;
    const auto unweighted = snapshot_csr<store_1k>(r, light);
    CHECK(same(one.graph.out_targets(), unweighted.graph.out_targets()));
    bool all_one = true, some_not_one = false;
    for (double w : unweighted.graph.weights()) all_one &= (w == 1.0);
    for (double w : one.graph.weights()) some_not_one |= (w != 1.0);
    CHECK(all_one);
    CHECK(some_not_one);
}

TEST_CASE("snapshot_csr reads every weight encoding as the property API does", "[algo][store]") {
    // The in-place fast path covers {"weight": int of 1-2 bytes | double};
    // the rest (longer ints, other members, no weight) takes the general walk.
    memory_fs fs;
    store_fixed db("g.db", {}, fs);
    store_1k db1("h.db", {}, fs);
    const std::vector<std::string> props = {
        R"({"weight": 0})",        R"({"weight": 7})",        R"({"weight": 63})",        R"({"weight": -64})",
        R"({"weight": 64})",       R"({"weight": 100})",      R"({"weight": -8192})",     R"({"weight": 8192})",
        R"({"weight": 123456789})", R"({"weight": -3.25})",   R"({"weight": 1e300})",     R"({"weight": 2, "x": 1})",
        R"({"x": [1, 2], "weight": 9.5})", R"({"weighs": 4})", R"({})",                   "",
    };
    auto fill = [&](auto& store) {
        auto tx = store.begin_write();
        std::vector<node_id> ids;
        for (int i = 0; i < 5; ++i) ids.push_back(tx.insert_node({.kind = "k"}));
        for (std::size_t i = 0; i < props.size(); ++i)
            tx.insert_edge({.from = ids[i % 5], .to = ids[(i * 3 + 1) % 5], .type = "t", .properties = props[i]});
        tx.commit();
    };
    fill(db);
    fill(db1);
    const std::vector<double> expect = {0, 7, 63, -64, 64, 100, -8192, 8192, 123456789, -3.25, 1e300, 2, 9.5, 1, 1, 1};
    auto check = [&](auto& store, auto tag) {
        using S = typename decltype(tag)::type;
        auto r = store.begin_read();
        const auto s = snapshot_csr<S>(r);
        store_graph_view<S> direct(r);
        require_same_rows(direct, s.graph);
        // Every expected weight appears once per edge: compare as sorted lists.
        std::vector<double> got(s.graph.weights().begin(), s.graph.weights().end()), want = expect;
        std::sort(got.begin(), got.end());
        std::sort(want.begin(), want.end());
        CHECK(got == want);
    };
    check(db, std::type_identity<store_fixed>{});
    check(db1, std::type_identity<store_1k>{});
}

TEST_CASE("adjacency for_each_entry decodes what reader decodes and refuses the same damage", "[algo][store]") {
    std::mt19937_64 rng(5);
    for (int round = 0; round < 300; ++round) {
        // Sorted distinct entries with small and huge components, so both the
        // unchecked (>= 30 bytes left) and the checked varint paths run.
        std::vector<adj_entry> e;
        const std::size_t n = 1 + rng() % 40;
        for (std::size_t i = 0; i < n; ++i) {
            const int big = static_cast<int>(rng() % 4);
            e.push_back({static_cast<std::uint32_t>(rng() % (big == 0 ? UINT32_MAX : 3)),
                         big == 1 ? rng() : rng() % 50, big == 2 ? rng() : rng() % 1000});
        }
        std::sort(e.begin(), e.end());
        e.erase(std::unique(e.begin(), e.end()), e.end());
        const std::string v = adjacency_codec::encode(e);
        std::vector<adj_entry> a, b;
        adjacency_codec::decode(e[0], v, a);
        adjacency_codec::for_each_entry(e[0], v, [&](const adj_entry& x) { b.push_back(x); });
        REQUIRE(a == e);
        REQUIRE(b == e);
        // Every truncation and every flipped byte: both decoders agree on
        // whether the bytes decode, and on the entries when they do.
        for (std::size_t cut = 0; cut < v.size(); ++cut) {
            std::vector<std::string> bad = {v.substr(0, cut)};
            std::string flip = v;
            flip[cut] = static_cast<char>(flip[cut] ^ (1 << (rng() % 8)));
            bad.push_back(flip);
            for (const auto& bytes : bad) {
                std::vector<adj_entry> x, y;
                bool x_ok = true, y_ok = true;
                try {
                    adjacency_codec::decode(e[0], bytes, x);
                } catch (const error& err) {
                    CHECK(err.code() == errc::corruption);
                    x_ok = false;
                }
                try {
                    adjacency_codec::for_each_entry(e[0], bytes, [&](const adj_entry& z) { y.push_back(z); });
                } catch (const error& err) {
                    CHECK(err.code() == errc::corruption);
                    y_ok = false;
                }
                REQUIRE(x_ok == y_ok);
                if (x_ok) {
                    REQUIRE(x == y);
                    for (std::size_t i = 1; i < x.size(); ++i) REQUIRE(x[i - 1] < x[i]);
                }
            }
        }
    }
    // Out of order: a repeated entry (all deltas zero) is refused.
    std::string dup;
    adjacency_codec::put_varint(dup, 2);
    adjacency_codec::put_varint(dup, 0);
    adjacency_codec::put_varint(dup, 0);
    adjacency_codec::put_varint(dup, 0);
    CHECK_THROWS_AS(adjacency_codec::for_each_entry(adj_entry{1, 2, 3}, dup, [](const adj_entry&) {}), error);
}

namespace {

// In-edges name the same edges as out-edges: edge index e of in_edges(v)
// is an out-edge of the in-neighbour that ends at v.
void require_in_edges_consistent(const algo::csr_view& g) {
    for (vertex_id v = 0; v < g.vertex_count(); ++v)
        for (const auto& e : g.in_edges(v)) {
            REQUIRE(g.edge_target(static_cast<algo::edge_index>(e.index)) == v);
            REQUIRE(g.edge_source(static_cast<algo::edge_index>(e.index)) == e.neighbor);
            REQUIRE(g.edge_type(static_cast<algo::edge_index>(e.index)) == e.type);
        }
}

// Replaces adjacency chunks of a committed store with one-entry chunks,
// as a damaged file would hold them.
template <class Store>
void damage_adjacency(Store& db, const std::vector<graph_detail::adj_key>& erase,
                      const std::vector<graph_detail::adj_key>& add) {
    auto tx = db.begin_write();
    auto& w = tx.pager_txn();
    basic_btree<std::remove_reference_t<decltype(w)>, typename Store::adj_params> t(w, w.root(graph_detail::root_adj));
    for (const auto& k : erase) REQUIRE(t.erase(k));
    for (const auto& k : add)
        REQUIRE(t.insert(k, adjacency_codec::encode({adj_entry{std::get<2>(k), std::get<3>(k), std::get<4>(k)}})));
    if (w.root(graph_detail::root_adj) != t.root()) w.set_root(graph_detail::root_adj, t.root());
    tx.commit();
}

// snapshot_csr with options o refuses the snapshot as corrupt, naming `message`.
template <class Store>
void require_refused(typename Store::read_transaction& r, const snapshot_options& o, const std::string& message) {
    try {
        (void)snapshot_csr<Store>(r, o);
        FAIL("no error");
    } catch (const error& e) {
        CHECK(e.code() == errc::corruption);
        CHECK(std::string(e.what()).find(message) != std::string::npos);
    }
}

} // namespace

TEST_CASE("snapshot_csr in-rows follow the index order with dense ids and several types", "[algo][store]") {
    // No erased nodes: ids run without holes (the direct id -> vertex path);
    // three types, parallel edges and self-loops, hubs with long rows.
    memory_fs fs;
    store_1k db("g.db", {}, fs);
    std::mt19937_64 rng(21);
    {
        auto tx = db.begin_write();
        std::vector<node_id> ids;
        for (int i = 0; i < 200; ++i) ids.push_back(tx.insert_node({.kind = "v"}));
        const char* types[] = {"p", "q", "r"};
        for (int i = 0; i < 4000; ++i) {
            const node_id u = ids[rng() % 4 == 0 ? rng() % 3 : rng() % 200], w = ids[rng() % 2 == 0 ? rng() % 5 : rng() % 200];
            tx.insert_edge({.from = u, .to = w, .type = types[rng() % 3],
                            .properties = R"({"weight": )" + std::to_string(rng() % 7) + "}"});
        }
        tx.commit();
    }
    auto r = db.begin_read();
    const store_graph_view<store_1k> direct(r);
    for (unsigned threads : {1u, 2u})
        for (bool weights : {true, false}) {
            snapshot_options o;
            o.threads = threads;
            o.weights = weights;
            const auto s = snapshot_csr<store_1k>(r, o);
            REQUIRE(s.graph.edge_count() == 4000);
            require_in_edges_consistent(s.graph);
            if (weights) {
                require_same_rows(direct, s.graph);
            } else {
                // Same rows but for the weights.
                for (vertex_id v = 0; v < s.graph.vertex_count(); ++v) {
                    const auto a = direct.in_edges(v);
                    REQUIRE(a.size() == s.graph.in_degree(v));
                    for (std::size_t k = 0; k < a.size(); ++k) {
                        CHECK(a[k].neighbor == s.graph.in_edges(v)[k].neighbor);
                        CHECK(a[k].type == s.graph.in_edges(v)[k].type);
                        CHECK(s.graph.in_edges(v)[k].weight == 1.0);
                    }
                }
            }
        }
    // The same with holes in the ids (erased nodes; the lookup-table path).
    memory_fs fs2;
    store_1k holes("h.db", {}, fs2);
    random_store(holes, 300, 3000, 4);
    auto r2 = holes.begin_read();
    const auto s2 = snapshot_csr<store_1k>(r2);
    require_in_edges_consistent(s2.graph);
    require_same_rows(store_graph_view<store_1k>(r2), s2.graph);
}

TEST_CASE("snapshot_csr reads weights that are all 1, or 1 but for one edge in any id range", "[algo][store][concurrency]") {
    // The array of weights by edge id is made only when a weight other than
    // 1 turns up, maybe in a later range of ids than records already read,
    // or in the range of the other thread: every edge must still get its own
    // weight, the same as the property API's and the one-thread result.
    constexpr std::size_t n = 300, m = 3000;
    for (const std::size_t odd : {std::size_t{0}, std::size_t{1}, m / 2, m}) { // 0: none
        INFO("edge " << odd << " has weight 2.5");
        memory_fs fs;
        store_1k db("g.db", {}, fs);
        {
            auto tx = db.begin_write();
            std::vector<node_id> ids;
            for (std::size_t i = 0; i < n; ++i) ids.push_back(tx.insert_node({.kind = "v"}));
            for (std::size_t i = 1; i <= m; ++i) {
                const std::string props = i == odd ? R"({"weight": 2.5})" : i % 2 ? R"({"weight": 1})" : R"({"x": 4})";
                REQUIRE(tx.insert_edge({.from = ids[i % n], .to = ids[i * 7 % n], .type = "t", .properties = props}) == i);
            }
            tx.commit();
        }
        auto r = db.begin_read();
        const store_graph_view<store_1k> direct(r);
        for (unsigned threads : {1u, 2u}) {
            INFO(threads << " threads");
            snapshot_options o;
            o.threads = threads;
            const auto s = snapshot_csr<store_1k>(r, o);
            require_same_rows(direct, s.graph);
            const auto w = s.graph.weights();
            CHECK(std::count(w.begin(), w.end(), 2.5) == (odd == 0 ? 0 : 1));
            CHECK(std::count(w.begin(), w.end(), 1.0) == static_cast<std::ptrdiff_t>(odd == 0 ? m : m - 1));
        }
    }
}

TEST_CASE("snapshot_csr refuses adjacency that disagrees with the nodes and edges", "[algo][store]") {
    using graph_detail::adj_key;
    memory_fs fs;
    store_1k db("g.db", {}, fs);
    node_id a, b, c;
    edge_id e1, e2;
    std::uint32_t t = 0;
    {
        auto tx = db.begin_write();
        a = tx.insert_node({.kind = "k"});
        b = tx.insert_node({.kind = "k"});
        c = tx.insert_node({.kind = "k"});
        e1 = tx.insert_edge({.from = a, .to = b, .type = "t"});
        e2 = tx.insert_edge({.from = b, .to = c, .type = "t", .properties = R"({"weight": 3})"});
        tx.commit();
    }
    {
        auto r = db.begin_read();
        t = *r.type_id("t");
        REQUIRE(snapshot_csr<store_1k>(r).graph.edge_count() == 2);
    }
    const std::uint8_t out = 0;
    const adj_key e2_out{b, out, t, c, e2};
    struct damage {
        std::vector<adj_key> erase, add;
        std::string message; // part of the error
        bool weights_only;   // only the weights pass can see it
    };
    const std::vector<damage> cases = {
        {{e2_out}, {adj_key{c, out, t, a, e1}}, "edge " + std::to_string(e1) + " has two out-entries", false},
        {{e2_out}, {adj_key{b, out, t, 999, e2}}, "has a neighbour that does not exist", false},
        {{e2_out}, {adj_key{999, out, t, c, e2}}, "adjacency entry of missing node 999", false},
        {{e2_out}, {adj_key{b, out, t, c, 1000}}, "edge 1000 beyond the last id", false},
        {{e2_out}, {adj_key{b, 2, t, c, e2}}, "has direction 2", false},
        {{e2_out}, {}, "1 out-entries for 2 edges counted", false},
        {{}, {adj_key{c, out, t, a, e2 + 1}}, "more out-entries than the 2 edges counted", false},
        // e2 (weight 3, so in the weight column) loses its out-entry to an edge with no record.
        {{e2_out}, {adj_key{b, out, t, c, e2 + 1}}, "weight column names edge " + std::to_string(e2) + " that has no out-entry", true},
    };
    for (const auto& d : cases) {
        memory_fs copy_fs;
        store_1k copy("c.db", {}, copy_fs);
        {
            // The same three nodes and two edges, then the damage.
            auto tx = copy.begin_write();
            REQUIRE(tx.insert_node({.kind = "k"}) == a);
            REQUIRE(tx.insert_node({.kind = "k"}) == b);
            REQUIRE(tx.insert_node({.kind = "k"}) == c);
            REQUIRE(tx.insert_edge({.from = a, .to = b, .type = "t"}) == e1);
            REQUIRE(tx.insert_edge({.from = b, .to = c, .type = "t", .properties = R"({"weight": 3})"}) == e2);
            tx.commit();
        }
        damage_adjacency(copy, d.erase, d.add);
        auto r = copy.begin_read();
        for (unsigned threads : {1u, 2u})
            for (bool weights : {true, false}) {
                snapshot_options o;
                o.threads = threads;
                o.weights = weights;
                INFO(d.message << ", " << threads << " threads, weights " << weights);
                if (d.weights_only && !weights) CHECK_NOTHROW(snapshot_csr<store_1k>(r, o));
                else require_refused<store_1k>(r, o, d.message);
            }
    }
}

TEST_CASE("snapshot_csr split between two threads refuses damage in either part", "[algo][store]") {
    // Enough adjacency for several leaves, so that two threads read the
    // out-chunks in two key ranges; damage lands in the second range (the
    // last nodes), where the part's own arrays and the join see it.
    using graph_detail::adj_key;
    constexpr std::size_t n = 2000;
    auto build = [](store_1k& db) {
        auto tx = db.begin_write();
        for (std::size_t i = 0; i < n; ++i) tx.insert_node({.kind = "v"});
        for (node_id i = 1; i <= n; ++i) {
            tx.insert_edge({.from = i, .to = i % n + 1, .type = "t"});
            tx.insert_edge({.from = i, .to = i * 7 % n + 1, .type = "t"});
        }
        tx.commit();
    };
    const std::size_t m = 2 * n;
    {
        memory_fs fs;
        store_1k db("g.db", {}, fs);
        build(db);
        auto r = db.begin_read();
        auto& txn = r.pager_txn();
        basic_btree<std::remove_reference_t<decltype(txn)>, store_1k::adj_params> t(txn, txn.root(graph_detail::root_adj));
        const auto cuts = t.split_keys(2);
        REQUIRE(cuts.size() == 1);
        CHECK(std::get<0>(cuts[0]) > 1);
        CHECK(std::get<0>(cuts[0]) < n);
    }
    const std::uint32_t type = 1; // type ids start at 1
    const std::uint8_t out = 0;
    const node_id last = n;
    // Node n-1's one out-chunk: edges 2n-3 (to n) and 2n-2 (to n-6), keyed by the smaller neighbour.
    const adj_key next_to_last_out{last - 1, out, type, last - 6, 2 * n - 2};
    struct damage {
        std::vector<adj_key> erase, add;
        std::string message;
    };
    const std::vector<damage> cases = {
        {{}, {adj_key{last + 7, out, type, 1, 1}}, "adjacency entry of missing node " + std::to_string(last + 7)},
        {{}, {adj_key{last, out, type, 3, 1}}, "more out-entries than the " + std::to_string(m) + " edges counted"},
        {{next_to_last_out}, {}, std::to_string(m - 2) + " out-entries for " + std::to_string(m) + " edges counted"},
    };
    for (const auto& d : cases) {
        memory_fs fs;
        store_1k db("g.db", {}, fs);
        build(db);
        {
            auto r = db.begin_read();
            REQUIRE(*r.type_id("t") == type);
            REQUIRE(snapshot_csr<store_1k>(r).graph.edge_count() == m);
        }
        damage_adjacency(db, d.erase, d.add);
        auto r = db.begin_read();
        for (unsigned threads : {1u, 2u}) {
            snapshot_options o;
            o.threads = threads;
            o.weights = false;
            INFO(d.message << ", " << threads << " threads");
            require_refused<store_1k>(r, o, d.message);
        }
    }
}

TEST_CASE("snapshot_csr of a graph with several transpose buckets keeps the index order", "[algo][store]") {
    // About 88,000 edges: the in-rows are filled through two buckets of
    // targets (about 32 Ki in-edges each), three types and holes in the ids.
    memory_fs fs;
    store_1k db("g.db", {}, fs);
    random_store(db, 3000, 100'000, 17);
    auto r = db.begin_read();
    const store_graph_view<store_1k> direct(r);
    for (unsigned threads : {1u, 2u}) {
        snapshot_options o;
        o.threads = threads;
        const auto s = snapshot_csr<store_1k>(r, o);
        REQUIRE(s.graph.edge_count() == r.edge_count());
        REQUIRE(s.graph.edge_count() > 2 * 32768);
        require_in_edges_consistent(s.graph);
        require_same_rows(direct, s.graph);
    }
}
