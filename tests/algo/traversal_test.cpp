// Traversals and shortest paths on hand-checked graphs.
#include "support/catch.hpp"

#include <vector>

#include "algo/oracle.hpp"
#include "sqlitegraph/algo/bfs.hpp"
#include "sqlitegraph/algo/dijkstra.hpp"
#include "sqlitegraph/algo/parallel_bfs.hpp"
#include "sqlitegraph/algo/paths.hpp"
#include "sqlitegraph/algo/shortest_path.hpp"
#include "sqlitegraph/algo/traversal.hpp"

using namespace sqlitegraph;
using namespace sqlitegraph::algo;
using algo_test::graph_of;
using V = std::vector<vertex_id>;

namespace {
// 0 -> 1 -> 3 -> 4, 0 -> 2 -> 3, 5 isolated, a self-loop on 2, 1->3 doubled
csr_view diamond() { return graph_of(6, {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}, {2, 2}, {1, 3}}); }
} // namespace

TEST_CASE("lazy bfs hands out vertices level by level with parent and depth", "[algo][bfs]") {
    const auto g = diamond();
    std::vector<traversal_step> steps;
    for (const auto& s : bfs_traversal(g, 0)) steps.push_back(s);
    REQUIRE(steps.size() == 5);
    CHECK(steps[0].vertex == 0);
    CHECK(steps[0].parent == no_vertex);
    CHECK(steps[1].vertex == 1);
    CHECK(steps[2].vertex == 2);
    CHECK(steps[3].vertex == 3);
    CHECK(steps[3].parent == 1);
    CHECK(steps[3].depth == 2);
    CHECK(steps[4].vertex == 4);
    CHECK(steps[4].depth == 3);
}

TEST_CASE("lazy bfs stopped early explores only what it handed out", "[algo][bfs]") {
    const auto g = diamond();
    bfs_traversal t(g, 0);
    auto first = t.next();
    REQUIRE(first);
    CHECK(first->vertex == 0);
    auto second = t.next();
    REQUIRE(second);
    CHECK(second->vertex == 1);
}

TEST_CASE("lazy bfs honours depth limit, direction and edge types", "[algo][bfs]") {
    const auto g = diamond();
    traversal_options opt;
    opt.max_depth = 1;
    V got;
    for (const auto& s : bfs_traversal(g, 0, opt)) got.push_back(s.vertex);
    CHECK(got == V{0, 1, 2});
    opt = {};
    opt.dir = direction::in;
    got.clear();
    for (const auto& s : bfs_traversal(g, 4, opt)) got.push_back(s.vertex);
    CHECK(got == V{4, 3, 1, 2, 0});

    csr_builder b(3);
    b.add_edge(0, 1, 7);
    b.add_edge(1, 2, 8);
    const auto typed = b.build();
    opt = {};
    opt.types = {7};
    got.clear();
    for (const auto& s : bfs_traversal(typed, 0, opt)) got.push_back(s.vertex);
    CHECK(got == V{0, 1});
}

TEST_CASE("lazy dfs visits in recursive preorder", "[algo][dfs]") {
    const auto g = diamond();
    V got;
    for (const auto& s : dfs_traversal(g, 0)) got.push_back(s.vertex);
    CHECK(got == V{0, 1, 3, 4, 2});
    traversal_options both;
    both.dir = direction::both;
    got.clear();
    for (const auto& s : dfs_traversal(g, 4, both)) got.push_back(s.vertex);
    CHECK(got == V{4, 3, 1, 0, 2});
}

TEST_CASE("traversal from a vertex that does not exist throws not_found", "[algo][bfs]") {
    const auto g = diamond();
    CHECK_THROWS_AS(bfs_traversal(g, 6), sqlitegraph::error);
    CHECK_THROWS_AS(dfs_traversal(g, 99), sqlitegraph::error);
    CHECK_THROWS_AS(bfs_depths(g, 6), sqlitegraph::error);
    try {
        (void)shortest_path(g, 0, 42);
        FAIL("no error");
    } catch (const sqlitegraph::error& e) {
        CHECK(e.code() == errc::not_found);
    }
}

TEST_CASE("bfs depths: multi-source, depth-limited, unreachable marked", "[algo][bfs]") {
    const auto g = diamond();
    CHECK(bfs_depths(g, 0) == std::vector<std::uint32_t>{0, 1, 1, 2, 3, unreached});
    const V srcs{4, 2};
    CHECK(bfs_depths(g, srcs) == std::vector<std::uint32_t>{unreached, unreached, 0, 1, 0, unreached});
    bfs_options lim;
    lim.max_depth = 1;
    CHECK(bfs_depths(g, 0, lim) == std::vector<std::uint32_t>{0, 1, 1, unreached, unreached, unreached});
    const auto single = graph_of(1, {});
    CHECK(bfs_depths(single, 0) == std::vector<std::uint32_t>{0});
}

TEST_CASE("k_hop returns the vertices within k hops over allowed edge types, source excluded", "[algo][bfs]") {
    csr_builder b(5);
    b.add_edge(0, 1, 1);
    b.add_edge(1, 2, 1);
    b.add_edge(2, 3, 1);
    b.add_edge(0, 4, 2);
    b.add_edge(1, 0, 1);
    const auto g = b.build();
    CHECK(k_hop(g, 0, 2) == V{1, 2, 4});
    CHECK(k_hop(g, 0, 2, {1}) == V{1, 2});
    CHECK(k_hop(g, 0, 5, {2}) == V{4});
    CHECK(k_hop(g, 3, 2, {}, direction::in) == V{1, 2});
    CHECK(k_hop(g, 0, 0).empty());
}

TEST_CASE("parallel direction-optimising bfs gives the same depths as plain bfs", "[algo][bfs][concurrency]") {
    const auto g = algo_test::load_graph("scalefree");
    const auto expect = bfs_depths(g, 0);
    for (unsigned t : {1u, 2u, 4u}) {
        for (bool opt : {false, true}) {
            parallel_bfs_options o;
            o.threads = t;
            o.direction_optimizing = opt;
            o.alpha = 2; // force the bottom-up phase on this small graph
            CHECK(parallel_bfs_depths(g, 0, o) == expect);
        }
    }
    CHECK(parallel_bfs_depths(diamond(), 0) == bfs_depths(diamond(), 0));
}

TEST_CASE("unweighted shortest path and bidirectional bfs find fewest-hop paths", "[algo][paths]") {
    const auto g = diamond();
    CHECK(shortest_path(g, 0, 4) == V{0, 1, 3, 4});
    CHECK(shortest_path(g, 4, 0).empty());
    CHECK(shortest_path(g, 4, 0, direction::in) == V{4, 3, 1, 0});
    CHECK(shortest_path(g, 2, 2) == V{2});
    CHECK(shortest_path(g, 0, 5).empty());
    CHECK(bidirectional_shortest_path(g, 0, 4).size() == 4);
    CHECK(bidirectional_shortest_path(g, 0, 5).empty());
    CHECK(bidirectional_shortest_path(g, 3, 3) == V{3});
    // Bidirectional agrees with plain bfs on path length on a bigger graph.
    const auto sf = algo_test::load_graph("scalefree");
    for (vertex_id s = 0; s < 40; ++s) {
        const vertex_id t = (s * 37 + 11) % 1500;
        const auto a = shortest_path(sf, s, t), b = bidirectional_shortest_path(sf, s, t);
        CHECK(a.size() == b.size());
        for (std::size_t i = 1; i < b.size(); ++i) {
            bool edge = false;
            for (vertex_id w : sf.out_neighbors(b[i - 1])) edge |= (w == b[i]);
            CHECK(edge);
        }
    }
}

TEST_CASE("dijkstra uses the lightest parallel edge and reports unreachable as infinite", "[algo][dijkstra]") {
    const std::vector<edge_record> edges{{0, 1, 0, 5}, {0, 1, 0, 2}, {1, 2, 0, 2}, {0, 2, 0, 10}, {2, 2, 0, 1}};
    const auto g = csr_view::from_edges(4, edges);
    const auto r = dijkstra(g, 0);
    CHECK(r.distance[0] == 0);
    CHECK(r.distance[1] == 2);
    CHECK(r.distance[2] == 4);
    CHECK(r.distance[3] == infinite_distance);
    CHECK(r.path_to(2) == V{0, 1, 2});
    CHECK(r.path_to(3).empty());
    const std::vector<edge_record> neg{{0, 1, 0, -1}};
    CHECK_THROWS_AS(dijkstra(csr_view::from_edges(2, neg), 0), sqlitegraph::error);
}

TEST_CASE("astar with an admissible heuristic finds the optimal path on a grid", "[algo][astar]") {
    const vertex_id w = 20;
    csr_builder b(w * w);
    for (vertex_id y = 0; y < w; ++y)
        for (vertex_id x = 0; x < w; ++x) {
            const vertex_id v = y * w + x;
            if (x + 1 < w) { b.add_edge(v, v + 1); b.add_edge(v + 1, v); }
            if (y + 1 < w) { b.add_edge(v, v + w, 0, 2.0); b.add_edge(v + w, v, 0, 2.0); }
        }
    const auto g = b.build();
    const vertex_id target = w * w - 1;
    auto h = [&](vertex_id v) { return double((w - 1 - v % w) + 2 * (w - 1 - v / w)); };
    const auto r = astar(g, 0, target, h);
    CHECK(r.cost == dijkstra(g, 0).distance[target]);
    CHECK(r.cost == 19 + 38);
    CHECK(r.path.front() == 0);
    CHECK(r.path.back() == target);
    const auto none = astar(graph_of(2, {}), 0, 1, [](vertex_id) { return 0.0; });
    CHECK(none.path.empty());
}

TEST_CASE("all shortest paths are listed lexicographically and bounded", "[algo][paths]") {
    const auto g = diamond();
    CHECK(all_shortest_paths(g, 0, 4) == std::vector<V>{{0, 1, 3, 4}, {0, 2, 3, 4}});
    CHECK(all_shortest_paths(g, 0, 4, 1) == std::vector<V>{{0, 1, 3, 4}});
    CHECK(all_shortest_paths(g, 4, 0).empty());
    CHECK(all_shortest_paths(g, 1, 1) == std::vector<V>{{1}});
}

TEST_CASE("simple path enumeration respects length and count limits", "[algo][paths]") {
    // 0->1->2, 0->2, 2->0 (a cycle that must not be followed twice)
    const auto g = graph_of(3, {{0, 1}, {1, 2}, {0, 2}, {2, 0}});
    CHECK(simple_paths(g, 0, 2) == std::vector<V>{{0, 1, 2}, {0, 2}});
    CHECK(simple_paths(g, 0, 2, {1, 10}) == std::vector<V>{{0, 2}});
    CHECK(simple_paths(g, 0, 2, {10, 1}) == std::vector<V>{{0, 1, 2}});
    CHECK(simple_paths(g, 1, 0) == std::vector<V>{{1, 2, 0}});
}
