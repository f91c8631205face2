// Dominators, post-dominators, frontiers, natural loops and minimum cuts.
#include "support/catch.hpp"

#include <vector>

#include "algo/oracle.hpp"
#include "sqlitegraph/algo/dominators.hpp"
#include "sqlitegraph/algo/max_flow.hpp"

using namespace sqlitegraph;
using namespace sqlitegraph::algo;
using algo_test::graph_of;
using V = std::vector<vertex_id>;

namespace {
// The classic if/else + loop CFG:
// 0 entry -> 1; 1 -> 2, 1 -> 3 (branch); 2 -> 4; 3 -> 4; 4 -> 1 (loop), 4 -> 5 exit.
// 6 is unreachable dead code with an edge into 5.
csr_view cfg() { return graph_of(7, {{0, 1}, {1, 2}, {1, 3}, {2, 4}, {3, 4}, {4, 1}, {4, 5}, {6, 5}}); }
} // namespace

TEST_CASE("immediate dominators of an if/else inside a loop", "[algo][dominators]") {
    const auto idom = immediate_dominators(cfg(), 0);
    CHECK(idom == V{0, 0, 1, 1, 1, 4, no_vertex});
    CHECK(immediate_dominators(graph_of(1, {}), 0) == V{0});
    CHECK_THROWS_AS(immediate_dominators(cfg(), 9), sqlitegraph::error);
}

TEST_CASE("immediate post-dominators are dominators of the reversed graph", "[algo][dominators]") {
    const auto ipdom = immediate_post_dominators(cfg(), 5);
    CHECK(ipdom == V{1, 4, 4, 4, 5, 5, 5});
}

TEST_CASE("dominance frontiers mark where each vertex's dominance ends", "[algo][dominators]") {
    const auto df = dominance_frontiers(cfg(), 0);
    CHECK(df[0].empty());
    CHECK(df[1] == V{1});
    CHECK(df[2] == V{4});
    CHECK(df[3] == V{4});
    CHECK(df[4] == V{1});
    CHECK(df[5].empty());
    CHECK(df[6].empty());
}

TEST_CASE("natural loops merge back edges by header and collect the body", "[algo][loops]") {
    const auto loops = natural_loops(cfg(), 0);
    REQUIRE(loops.size() == 1);
    CHECK(loops[0].header == 1);
    CHECK(loops[0].latches == V{4});
    CHECK(loops[0].body == V{1, 2, 3, 4});
    // A self-loop is a loop of one block; an irreducible cycle is no natural loop.
    const auto self = natural_loops(graph_of(2, {{0, 1}, {1, 1}}), 0);
    REQUIRE(self.size() == 1);
    CHECK(self[0].body == V{1});
    CHECK(natural_loops(graph_of(3, {{0, 1}, {0, 2}, {1, 2}, {2, 1}}), 0).empty());
}

TEST_CASE("minimum s-t cut equals max flow and names the saturated edges", "[algo][maxflow]") {
    // CLRS-style network.
    const std::vector<edge_record> edges{{0, 1, 0, 16}, {0, 2, 0, 13}, {1, 3, 0, 12}, {2, 1, 0, 4}, {2, 4, 0, 14},
                                         {3, 2, 0, 9},  {3, 5, 0, 20}, {4, 3, 0, 7},  {4, 5, 0, 4}};
    const auto g = csr_view::from_edges(6, edges);
    const auto r = min_st_cut(g, 0, 5);
    CHECK(r.value == 23);
    double cut = 0;
    for (edge_index e : r.cut_edges) cut += g.edge_weight(e);
    CHECK(cut == 23);
    CHECK(r.source_side == V{0, 1, 2, 4});
    // Unit capacities: the number of edge-disjoint paths; parallel edges count.
    const auto u = graph_of(4, {{0, 1}, {0, 1}, {1, 3}, {0, 2}, {2, 3}, {1, 3}, {3, 3}});
    CHECK(min_st_cut(u, 0, 3, true).value == 3);
    CHECK(min_st_cut(graph_of(2, {}), 0, 1).value == 0);
    CHECK_THROWS_AS(min_st_cut(u, 1, 1), sqlitegraph::error);
}
