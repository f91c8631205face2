// Components, DAG algorithms, cycles and reachability on hand-checked graphs.
#include "support/catch.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "algo/oracle.hpp"
#include "sqlitegraph/algo/components.hpp"
#include "sqlitegraph/algo/condensation.hpp"
#include "sqlitegraph/algo/cycles.hpp"
#include "sqlitegraph/algo/dag.hpp"
#include "sqlitegraph/algo/reachability.hpp"

using namespace sqlitegraph;
using namespace sqlitegraph::algo;
using algo_test::graph_of;
using V = std::vector<vertex_id>;

TEST_CASE("wcc ignores direction and numbers components by smallest vertex", "[algo][wcc]") {
    const auto g = graph_of(7, {{1, 0}, {2, 1}, {4, 3}, {5, 5}, {3, 4}});
    const auto r = weakly_connected_components(g);
    CHECK(r.count == 4);
    CHECK(r.component == V{0, 0, 0, 1, 1, 2, 3});
    CHECK(weakly_connected_components(graph_of(0, {})).count == 0);
    CHECK(weakly_connected_components(graph_of(1, {})).component == V{0});
}

namespace {
// WCC labels by breadth-first search over both directions: the oracle for
// the union-find (smallest vertex first, so the same numbering).
V wcc_by_bfs(const csr_view& g) {
    const auto n = static_cast<vertex_id>(g.vertex_count());
    V label(n, no_vertex), queue;
    vertex_id count = 0;
    for (vertex_id s = 0; s < n; ++s) {
        if (label[s] != no_vertex) continue;
        label[s] = count;
        queue.assign(1, s);
        for (std::size_t i = 0; i < queue.size(); ++i) {
            auto visit = [&](vertex_id w) {
                if (label[w] == no_vertex) {
                    label[w] = count;
                    queue.push_back(w);
                }
            };
            for (vertex_id w : g.out_neighbors(queue[i])) visit(w);
            for (vertex_id w : g.in_neighbors(queue[i])) visit(w);
        }
        ++count;
    }
    return label;
}
} // namespace

// On a csr_view, WCC unites each vertex with its first two out-neighbours,
// then skips the vertices already under the most common root and unites
// the others with all their neighbours, out and in. The shapes below put
// vertices where only that last step can join them: leaves reached only
// as a hub's later out-neighbours (an in-edge of the leaf), a second
// component hanging off the giant one, self-loops and multi-edges; and
// graphs made at random with hubs. Labels must equal the BFS oracle's with
// one and with two threads (the lock-free path from 4,096 vertices).
TEST_CASE("wcc on a csr_view joins what the giant component's skipped edges join", "[algo][wcc]") {
    auto check = [](const csr_view& g) {
        const V expected = wcc_by_bfs(g);
        CHECK(weakly_connected_components(g).component == expected);
        CHECK(weakly_connected_components(g, 2).component == expected);
    };
    {
        // Hub 0 -> 1..5999: leaves 3.. are joined only through their in-edge.
        csr_builder b(6010);
        for (vertex_id v = 1; v < 6000; ++v) b.add_edge(0, v);
        b.add_edge(6001, 6002); // a separate pair
        b.add_edge(5999, 6005); // hanging off a leaf: the leaf's own out-edge
        b.add_edge(6007, 6007); // a self-loop alone
        b.add_edge(6008, 4000); // into the giant component from outside
        b.add_edge(6008, 4000);
        const csr_view g = b.build();
        check(g);
        const auto r = weakly_connected_components(g, 2);
        CHECK(r.component[5998] == r.component[0]);
        CHECK(r.component[6008] == r.component[0]);
        CHECK(r.component[6005] == r.component[0]);
        CHECK(r.component[6001] != r.component[0]);
    }
    std::mt19937_64 rng(11);
    for (int round = 0; round < 20; ++round) {
        const vertex_id n = round % 2 == 0 ? 300 : 5000;
        csr_builder b(n);
        const int hubs = 1 + static_cast<int>(rng() % 4);
        const std::size_t edges = n * (1 + rng() % 3) / 2;
        for (std::size_t i = 0; i < edges; ++i) {
            // Half the edges touch a hub (low ids), in either direction.
            const auto u = static_cast<vertex_id>(rng() % n);
            const auto h = static_cast<vertex_id>(rng() % static_cast<std::uint64_t>(hubs));
            if (rng() % 2 == 0) b.add_edge(u, static_cast<vertex_id>(rng() % n));
            else if (rng() % 2 == 0) b.add_edge(h, u);
            else b.add_edge(u, h);
        }
        CAPTURE(round);
        check(b.build());
    }
}

TEST_CASE("scc labels follow a topological order of the condensation", "[algo][scc]") {
    // {0,1,2} cycle -> {3} -> {4,5} cycle; 6 alone with a self-loop.
    const auto g = graph_of(7, {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 4}, {4, 5}, {5, 4}, {6, 6}, {1, 2}});
    const auto r = strongly_connected_components(g);
    CHECK(r.count == 4);
    CHECK(r.component[0] == r.component[1]);
    CHECK(r.component[1] == r.component[2]);
    CHECK(r.component[4] == r.component[5]);
    CHECK(r.component[0] != r.component[3]);
    for (vertex_id u = 0; u < 7; ++u)
        for (vertex_id w : g.out_neighbors(u)) CHECK(r.component[u] <= r.component[w]);
    CHECK(strongly_connected_components(graph_of(0, {})).count == 0);
}

TEST_CASE("condensation collapses each scc and keeps one edge per component pair", "[algo][scc]") {
    const auto g = graph_of(5, {{0, 1}, {1, 0}, {0, 2}, {1, 2}, {2, 3}, {3, 2}, {3, 4}, {1, 2}});
    const auto c = condensation(g);
    REQUIRE(c.scc.count == 3);
    CHECK(c.dag.vertex_count() == 3);
    CHECK(c.dag.edge_count() == 2);
    CHECK_FALSE(has_cycle(c.dag));
}

TEST_CASE("topological sort is the lexicographically smallest order", "[algo][topo]") {
    const auto g = graph_of(6, {{5, 2}, {5, 0}, {4, 0}, {4, 1}, {2, 3}, {3, 1}});
    CHECK(topological_sort(g) == V{4, 5, 0, 2, 3, 1});
    CHECK(topological_sort(graph_of(0, {})).empty());
    CHECK(topological_sort(graph_of(3, {{0, 1}, {0, 1}})) == V{0, 1, 2});
}

TEST_CASE("topological sort on a cycle throws errc::cycle naming the cycle", "[algo][topo]") {
    const auto g = graph_of(5, {{0, 1}, {1, 2}, {2, 3}, {3, 1}, {3, 4}});
    try {
        (void)topological_sort(g);
        FAIL("no error");
    } catch (const sqlitegraph::error& e) {
        CHECK(e.code() == errc::cycle);
        CHECK(std::string(e.what()).find("1 -> 2 -> 3 -> 1") != std::string::npos);
    }
    try {
        (void)topological_sort(graph_of(2, {{1, 1}}));
        FAIL("no error");
    } catch (const sqlitegraph::error& e) {
        CHECK(std::string(e.what()).find("1 -> 1") != std::string::npos);
    }
}

TEST_CASE("find_cycle returns a real cycle, or nothing for a DAG", "[algo][cycles]") {
    const auto g = graph_of(6, {{0, 1}, {1, 2}, {2, 5}, {5, 3}, {3, 2}, {3, 4}});
    const auto c = find_cycle(g);
    CHECK(c == V{2, 5, 3});
    CHECK(has_cycle(g));
    CHECK(find_cycle(graph_of(3, {{0, 1}, {1, 2}, {0, 2}})).empty());
    CHECK_FALSE(has_cycle(graph_of(0, {})));
    CHECK(find_cycle(graph_of(1, {{0, 0}})) == V{0});
}

TEST_CASE("cycle basis has m - n + c cycles, each a closed walk of real edges", "[algo][cycles]") {
    // Two triangles sharing edge 1-2, plus a square 4-5-6-7, plus noise edges.
    const auto g = graph_of(8, {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 1}, {4, 5}, {5, 6}, {6, 7}, {7, 4}, {1, 0}, {3, 3}});
    const auto basis = cycle_basis(g);
    const auto u = simple_undirected(g);
    CHECK(basis.size() == u.edge_count() / 2 - 8 + 2);
    for (const auto& cyc : basis) {
        REQUIRE(cyc.size() >= 3);
        for (std::size_t i = 0; i < cyc.size(); ++i) {
            const vertex_id a = cyc[i], b = cyc[(i + 1) % cyc.size()];
            bool edge = false;
            for (vertex_id w : u.out_neighbors(a)) edge |= (w == b);
            CHECK(edge);
        }
    }
    CHECK(cycle_basis(graph_of(3, {{0, 1}, {1, 2}})).empty());
}

TEST_CASE("critical path is the heaviest path of a DAG", "[algo][dag]") {
    const std::vector<edge_record> edges{{0, 1, 0, 3}, {1, 3, 0, 1}, {0, 2, 0, 1}, {2, 3, 0, 5}, {3, 4, 0, 2}};
    const auto g = csr_view::from_edges(5, edges);
    const auto r = critical_path(g);
    CHECK(r.length == 8);
    CHECK(r.path == V{0, 2, 3, 4});
    const auto hops = critical_path(g, false);
    CHECK(hops.length == 3);
    CHECK(hops.path.size() == 4);
    CHECK_THROWS_AS(critical_path(graph_of(2, {{0, 1}, {1, 0}})), sqlitegraph::error);
    CHECK(critical_path(graph_of(0, {})).path.empty());
    CHECK(critical_path(graph_of(1, {})).path == V{0});
}

TEST_CASE("transitive closure adds u->v for every reachable v and u->u only on cycles", "[algo][dag]") {
    const auto c = transitive_closure(graph_of(4, {{0, 1}, {1, 2}, {2, 1}}));
    CHECK(V(c.out_neighbors(0).begin(), c.out_neighbors(0).end()) == V{1, 2});
    CHECK(V(c.out_neighbors(1).begin(), c.out_neighbors(1).end()) == V{1, 2});
    CHECK(c.out_neighbors(3).empty());
    CHECK_THROWS_AS(transitive_closure(graph_of(3, {{0, 1}, {1, 2}}), 2), sqlitegraph::error);
}

TEST_CASE("transitive reduction keeps only edges not implied by longer paths", "[algo][dag]") {
    const auto r = transitive_reduction(graph_of(4, {{0, 1}, {1, 2}, {0, 2}, {2, 3}, {0, 3}, {0, 1}}));
    CHECK(r.edge_count() == 3);
    CHECK(V(r.out_neighbors(0).begin(), r.out_neighbors(0).end()) == V{1});
    CHECK_THROWS_AS(transitive_reduction(graph_of(2, {{0, 1}, {1, 0}})), sqlitegraph::error);
}

TEST_CASE("reachability sets forward and backward, with type filters", "[algo][reach]") {
    csr_builder b(6);
    b.add_edge(0, 1, 1);
    b.add_edge(1, 2, 2);
    b.add_edge(3, 1, 1);
    b.add_edge(4, 5, 1);
    const auto g = b.build();
    const V zero{0}, two{2};
    CHECK(forward_reachable(g, zero) == V{0, 1, 2});
    CHECK(forward_reachable(g, zero, {1}) == V{0, 1});
    CHECK(backward_reachable(g, two) == V{0, 1, 2, 3});
    CHECK(backward_reachable(g, two, {1}) == V{2});
    CHECK(reachable(g, two, direction::both) == V{0, 1, 2, 3});
}

TEST_CASE("program slices follow only dependence edge types", "[algo][slice]") {
    // Types: 0 control flow, 1 data dependence, 2 control dependence.
    csr_builder b(5);
    b.add_edge(0, 1, 0);
    b.add_edge(1, 2, 0);
    b.add_edge(0, 2, 1); // 2 uses a value defined at 0
    b.add_edge(3, 2, 2); // 2 is controlled by branch 3
    b.add_edge(2, 4, 1);
    const auto g = b.build();
    const V crit{2};
    CHECK(backward_slice(g, crit, {1, 2}) == V{0, 2, 3});
    CHECK(forward_slice(g, crit, {1, 2}) == V{2, 4});
}
