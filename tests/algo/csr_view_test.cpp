// The graph_view concept, csr_view and its builder, the simple undirected
// derivation and the reverse view.
#include "support/catch.hpp"

#include <algorithm>
#include <list>
#include <vector>

#include "algo/oracle.hpp"
#include "sqlitegraph/algo/csr_view.hpp"
#include "sqlitegraph/algo/reverse_view.hpp"
#include "sqlitegraph/algo/rmat.hpp"
#include "sqlitegraph/algo/simple_undirected.hpp"

using namespace sqlitegraph;
using namespace sqlitegraph::algo;

namespace {
// A user's own graph type that models graph_view without using ours.
struct my_edge {
    unsigned neighbor;
    unsigned type;
    double weight;
    unsigned long index;
};
struct my_graph {
    std::vector<std::vector<my_edge>> out, in;
    std::size_t vertex_count() const { return out.size(); }
    const std::vector<my_edge>& out_edges(vertex_id v) const { return out[v]; }
    const std::vector<my_edge>& in_edges(vertex_id v) const { return in[v]; }
};
// Two views with equal arrays, one CHECK per array.
void check_same_arrays(const csr_view& a, const csr_view& b) {
    auto same = [](auto x, auto y) { return std::equal(x.begin(), x.end(), y.begin(), y.end()); };
    CHECK(same(a.out_offsets(), b.out_offsets()));
    CHECK(same(a.out_targets(), b.out_targets()));
    CHECK(same(a.in_offsets(), b.in_offsets()));
    CHECK(same(a.in_sources(), b.in_sources()));
    CHECK(same(a.weights(), b.weights()));
    CHECK(same(a.types(), b.types()));
}
struct no_in_edges {
    std::size_t vertex_count() const { return 0; }
    std::vector<my_edge> out_edges(vertex_id) const { return {}; }
};
struct list_edges { // std::list is not random access
    std::size_t vertex_count() const { return 0; }
    const std::list<my_edge>& out_edges(vertex_id) const { return l; }
    const std::list<my_edge>& in_edges(vertex_id) const { return l; }
    std::list<my_edge> l;
};
} // namespace

TEST_CASE("graph_view is modelled by csr_view, adjacency_list_view and a user type, not by incomplete types", "[algo][concept]") {
    STATIC_REQUIRE(graph_view<csr_view>);
    STATIC_REQUIRE(graph_view<adjacency_list_view>);
    STATIC_REQUIRE(graph_view<my_graph>);
    STATIC_REQUIRE(graph_view<reverse_view<csr_view>>);
    STATIC_REQUIRE_FALSE(graph_view<no_in_edges>);
    STATIC_REQUIRE_FALSE(graph_view<list_edges>);
    STATIC_REQUIRE_FALSE(graph_view<int>);
    STATIC_REQUIRE(has_neighbor_spans<csr_view>);
    STATIC_REQUIRE_FALSE(has_neighbor_spans<my_graph>);
}

TEST_CASE("csr_view keeps both directions, types, weights and input positions", "[algo][csr]") {
    // Unsorted input with a parallel edge and a self-loop.
    const std::vector<edge_record> edges{{2, 0, 7, 2.5}, {0, 1, 1, 1.0}, {0, 1, 3, 4.0}, {1, 1, 5, 9.0}, {0, 2, 0, 0.5}};
    const auto g = csr_view::from_edges(3, edges);
    REQUIRE(g.vertex_count() == 3);
    REQUIRE(g.edge_count() == 5);
    // Out-rows in source order, input order within a row.
    REQUIRE(g.out_degree(0) == 3);
    auto r0 = g.out_edges(0);
    CHECK(r0[0].neighbor == 1);
    CHECK(r0[0].type == 1);
    CHECK(r0[1].neighbor == 1);
    CHECK(r0[1].weight == 4.0);
    CHECK(r0[2].neighbor == 2);
    CHECK(g.input_position(r0[2].index) == 4);
    // In-edges carry the same edge index, type and weight.
    auto in1 = g.in_edges(1);
    REQUIRE(in1.size() == 3);
    CHECK(in1[0].neighbor == 0);
    CHECK(in1[0].index == r0[0].index);
    CHECK(in1[1].type == 3);
    CHECK(in1[2].neighbor == 1); // the self-loop appears in both rows of vertex 1
    CHECK(in1[2].weight == 9.0);
    CHECK(g.out_degree(1) == 1);
    auto in0 = g.in_edges(0);
    REQUIRE(in0.size() == 1);
    CHECK(in0[0].neighbor == 2);
    CHECK(in0[0].type == 7);
    CHECK(g.edge_source(in0[0].index) == 2);
    CHECK(g.edge_target(in0[0].index) == 0);
    // Every edge index is seen once from each end.
    std::vector<int> seen_out(5), seen_in(5);
    for (vertex_id v = 0; v < 3; ++v) {
        for (auto e : g.out_edges(v)) ++seen_out[e.index];
        for (auto e : g.in_edges(v)) ++seen_in[e.index];
    }
    CHECK(seen_out == std::vector<int>(5, 1));
    CHECK(seen_in == std::vector<int>(5, 1));
}

TEST_CASE("csr_view from input already sorted by source keeps edge index equal to input position", "[algo][csr]") {
    csr_builder b(4);
    b.add_edge(0, 3, 1, 2.0);
    b.add_edge(1, 2);
    b.add_edge(1, 0);
    b.add_edge(3, 3);
    const auto g = b.build();
    for (edge_index e = 0; e < 4; ++e) CHECK(g.input_position(e) == e);
    CHECK(g.out_neighbors(1)[0] == 2);
    CHECK(g.out_neighbors(1)[1] == 0);
    CHECK(g.in_neighbors(0)[0] == 1);
}

TEST_CASE("csr_view of an empty graph and of isolated vertices has empty rows", "[algo][csr]") {
    const auto empty = csr_view::from_edges(0, {});
    CHECK(empty.vertex_count() == 0);
    CHECK(empty.edge_count() == 0);
    const auto lonely = csr_view::from_edges(3, {});
    CHECK(lonely.out_edges(2).empty());
    CHECK(lonely.in_edges(0).size() == 0);
    const csr_view dflt;
    CHECK(dflt.vertex_count() == 0);
}

TEST_CASE("csr_view rejects an edge naming a vertex outside the graph", "[algo][csr]") {
    const std::vector<edge_record> edges{{0, 5}};
    try {
        (void)csr_view::from_edges(3, edges);
        FAIL("no error");
    } catch (const sqlitegraph::error& e) {
        CHECK(e.code() == errc::not_found);
        CHECK(std::string(e.what()).find("0->5") != std::string::npos);
    }
    csr_builder strict(2);
    CHECK_THROWS_AS(strict.add_edge(0, 2), sqlitegraph::error);
    csr_builder grow(0, true);
    grow.add_edge(4, 1);
    CHECK(grow.vertex_count() == 5);
    const std::vector<vertex_id> a{0}, b{1, 2};
    CHECK_THROWS_AS(csr_view::from_arrays(3, a, b), sqlitegraph::error);
}

TEST_CASE("simple_undirected drops loops, parallel and reciprocal edges and sorts rows", "[algo][csr]") {
    const auto g = algo_test::graph_of(4, {{0, 1}, {1, 0}, {0, 1}, {2, 2}, {3, 0}, {1, 2}});
    const auto u = simple_undirected(g);
    REQUIRE(u.symmetric());
    REQUIRE(u.vertex_count() == 4);
    CHECK(u.edge_count() == 6); // {0,1} {0,3} {1,2}, twice each
    CHECK(std::vector<vertex_id>(u.out_neighbors(0).begin(), u.out_neighbors(0).end()) == std::vector<vertex_id>{1, 3});
    CHECK(std::vector<vertex_id>(u.out_neighbors(2).begin(), u.out_neighbors(2).end()) == std::vector<vertex_id>{1});
    CHECK(u.in_edges(1).size() == u.out_edges(1).size());
}

TEST_CASE("simple_undirected with summed weights adds the weights of all edges joining a pair", "[algo][csr]") {
    const std::vector<edge_record> edges{{0, 1, 0, 2.0}, {1, 0, 0, 3.0}, {0, 1, 0, 0.5}, {1, 1, 0, 7.0}};
    const auto u = simple_undirected(csr_view::from_edges(2, edges), undirected_weights::sum);
    REQUIRE(u.out_edges(0).size() == 1);
    CHECK(u.out_edges(0)[0].weight == 5.5);
    CHECK(u.out_edges(1)[0].weight == 5.5);
}

TEST_CASE("reverse_view swaps out- and in-edges without copying", "[algo][csr]") {
    const auto g = algo_test::graph_of(3, {{0, 1}, {0, 2}});
    const reverse_view<csr_view> r(g);
    CHECK(r.out_edges(0).size() == 0);
    CHECK(r.out_edges(2).size() == 1);
    CHECK(r.out_neighbors(1)[0] == 0);
}

TEST_CASE("to_csr materialises a user graph with types and weights", "[algo][csr]") {
    adjacency_list_view a(3);
    a.add_edge(2, 1, 4, 0.25);
    a.add_edge(0, 2, 1, 3.0);
    const auto g = to_csr(a);
    REQUIRE(g.edge_count() == 2);
    CHECK(g.out_edges(2)[0].type == 4);
    CHECK(g.out_edges(2)[0].weight == 0.25);
    CHECK(g.in_edges(2)[0].neighbor == 0);
    CHECK_THROWS_AS(a.add_edge(0, 3), sqlitegraph::error);
}

TEST_CASE("csr_view built from a large unsorted edge list equals a stable sort by source and by target", "[algo][csr]") {
    // Big enough (n > 2^14, m > 2^20) to take the partitioned scatter path.
    const auto r = generate_rmat({15, 40, 7});
    const auto g = csr_view::from_arrays(r.vertices, r.from, r.to, r.type, r.weight);
    const std::size_t m = r.from.size();
    REQUIRE(m > (std::size_t{1} << 20));
    std::vector<std::uint32_t> by_source(m), by_target(m);
    for (std::uint32_t i = 0; i < m; ++i) by_source[i] = by_target[i] = i;
    std::stable_sort(by_source.begin(), by_source.end(), [&](auto a, auto b) { return r.from[a] < r.from[b]; });
    std::size_t bad = 0;
    for (edge_index e = 0; e < m; ++e) {
        const auto i = by_source[e];
        bad += g.input_position(e) != i || g.edge_target(e) != r.to[i] || g.edge_type(e) != r.type[i] ||
               g.edge_weight(e) != r.weight[i];
    }
    CHECK(bad == 0);
    // In-rows: by target, then by (source, edge index) = out-row order.
    std::vector<std::uint32_t> in_order(m);
    for (std::uint32_t e = 0; e < m; ++e) in_order[e] = e;
    std::stable_sort(in_order.begin(), in_order.end(), [&](auto a, auto b) { return g.edge_target(a) < g.edge_target(b); });
    std::size_t q = 0;
    for (vertex_id v = 0; v < g.vertex_count(); ++v)
        for (auto e : g.in_edges(v)) {
            bad += e.index != in_order[q] || e.neighbor != g.edge_source(e.index) || e.weight != g.edge_weight(e.index);
            ++q;
        }
    CHECK(q == m);
    CHECK(bad == 0);
}

TEST_CASE("csr_view built with 2 threads is identical to the 1-thread build", "[algo][csr][concurrency]") {
    const auto r = generate_rmat({15, 40, 11});
    const auto a = csr_view::from_arrays(r.vertices, r.from, r.to, r.type, r.weight, 1);
    const auto b = csr_view::from_arrays(r.vertices, r.from, r.to, r.type, r.weight, 2);
    check_same_arrays(a, b);
    bool positions = true;
    for (edge_index e = 0; e < a.edge_count(); ++e) positions &= a.input_position(e) == b.input_position(e);
    CHECK(positions);
    // A bad endpoint is reported as the same edge whatever the thread count.
    std::vector<vertex_id> from(r.from), to(r.to);
    to[to.size() / 3] = static_cast<vertex_id>(r.vertices);
    to[to.size() - 1] = static_cast<vertex_id>(r.vertices);
    std::string m1, m2;
    try { (void)csr_view::from_arrays(r.vertices, from, to, {}, {}, 1); } catch (const sqlitegraph::error& e) { m1 = e.what(); }
    try { (void)csr_view::from_arrays(r.vertices, from, to, {}, {}, 2); } catch (const sqlitegraph::error& e) { m2 = e.what(); }
    CHECK(!m1.empty());
    CHECK(m1 == m2);
}

TEST_CASE("big_allocator keeps a freed block for the next allocation of its size, within the limit, oldest out first",
          "[algo][csr]") {
    const std::size_t limit_before = big_block_pool::instance().limit();
    release_retained();
    REQUIRE(retained_bytes() == 0);
    constexpr std::size_t mib = std::size_t{1} << 20;
    big_allocator<std::uint32_t> a;
    const std::size_t n = 9 * mib / 4; // 9 MiB of 4-byte slots: a 10 MiB block
    std::uint32_t* p = a.allocate(n);
    REQUIRE(reinterpret_cast<std::uintptr_t>(p) % big_allocator<std::uint32_t>::huge == 0);
    std::fill(p, p + n, 7u);
    a.deallocate(p, n);
    CHECK(retained_bytes() == 10 * mib);
#if defined(SQLITEGRAPH_ASAN)
    CHECK(__asan_address_is_poisoned(p + n / 2)); // a kept block is out of bounds to a use after free
#endif
    std::uint32_t* q = a.allocate(n - 1000); // rounds to the same 10 MiB: the kept block
    CHECK(q == p);
    CHECK(retained_bytes() == 0);
#if defined(SQLITEGRAPH_ASAN)
    CHECK_FALSE(__asan_address_is_poisoned(q + n / 2)); // handed out again: usable
#endif
    std::uint32_t* r = a.allocate(n + mib); // 13 MiB rounds to 14: not the 10 MiB block
    CHECK(r != q);
    a.deallocate(q, n - 1000);
    a.deallocate(r, n + mib);
    CHECK(retained_bytes() == 24 * mib);
    set_retained_limit(16 * mib); // the older 10 MiB block goes
    CHECK(retained_bytes() == 14 * mib);
    std::uint32_t* over = a.allocate(8 * mib); // 32 MiB, over the limit alone: freed, not kept
    a.deallocate(over, 8 * mib);
    CHECK(retained_bytes() == 14 * mib);
    std::uint32_t* again = a.allocate(n + mib);
    CHECK(again == r);
    a.deallocate(again, n + mib);
    set_retained_limit(0);
    CHECK(retained_bytes() == 0);
    std::uint32_t* fresh = a.allocate(n);
    a.deallocate(fresh, n);
    CHECK(retained_bytes() == 0); // a limit of 0 keeps nothing
    set_retained_limit(limit_before);
}

TEST_CASE("csr_view built in blocks another view left behind equals one built in fresh blocks", "[algo][csr]") {
    const std::size_t limit_before = big_block_pool::instance().limit();
    const auto r = generate_rmat({15, 40, 3});
    set_retained_limit(0);
    const auto fresh = csr_view::from_arrays(r.vertices, r.from, r.to, r.type, r.weight);
    set_retained_limit(std::size_t{1} << 30);
    // The reversed graph: arrays of the same sizes, other contents.
    { const auto before = csr_view::from_arrays(r.vertices, r.to, r.from, r.type, r.weight); }
    const std::size_t kept = retained_bytes();
    REQUIRE(kept > 0);
    const auto reused = csr_view::from_arrays(r.vertices, r.from, r.to, r.type, r.weight);
    CHECK(retained_bytes() < kept); // it took blocks the other view left
    check_same_arrays(fresh, reused);
    set_retained_limit(limit_before);
}
