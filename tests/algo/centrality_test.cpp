// Centrality, triangles, k-core and communities on hand-checked graphs.
#include "support/catch.hpp"

#include <cmath>
#include <numeric>
#include <vector>

#include "algo/oracle.hpp"
#include "sqlitegraph/algo/betweenness.hpp"
#include "sqlitegraph/algo/closeness.hpp"
#include "sqlitegraph/algo/community.hpp"
#include "sqlitegraph/algo/degree.hpp"
#include "sqlitegraph/algo/kcore.hpp"
#include "sqlitegraph/algo/pagerank.hpp"
#include "sqlitegraph/algo/triangles.hpp"

using namespace sqlitegraph;
using namespace sqlitegraph::algo;
using algo_test::graph_of;

namespace {
bool close(double a, double b, double tol = 1e-9) { return std::abs(a - b) <= tol; }
double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }
} // namespace

TEST_CASE("pagerank spreads dangling rank evenly and sums to one", "[algo][pagerank]") {
    // 0 -> 1, 1 -> 2, 2 dangling. Closed form with d = 0.85 and dangling
    // mass spread uniformly: solve x = (1-d)/3 + d (P x + x2/3).
    const auto g = graph_of(3, {{0, 1}, {1, 2}});
    const auto r = pagerank(g);
    REQUIRE(r.converged);
    CHECK(close(sum(r.score), 1.0, 1e-12));
    const double x0 = r.score[0], x1 = r.score[1], x2 = r.score[2];
    CHECK(close(x0, 0.05 + 0.85 * x2 / 3, 1e-9));
    CHECK(close(x1, 0.05 + 0.85 * (x0 + x2 / 3), 1e-9));
    CHECK(x2 > x1);
    CHECK(x1 > x0);
}

TEST_CASE("pagerank of symmetric structures is symmetric; empty graph has no scores", "[algo][pagerank]") {
    const auto ring = graph_of(4, {{0, 1}, {1, 2}, {2, 3}, {3, 0}});
    for (double x : pagerank(ring).score) CHECK(close(x, 0.25, 1e-12));
    CHECK(pagerank(graph_of(0, {})).score.empty());
    CHECK(close(pagerank(graph_of(1, {{0, 0}})).score[0], 1.0));
    pagerank_options few;
    few.max_iterations = 2;
    few.tolerance = 0;
    const auto r = pagerank(graph_of(3, {{0, 1}, {1, 2}}), few);
    CHECK_FALSE(r.converged);
    CHECK(r.iterations == 2);
}

TEST_CASE("personalised pagerank concentrates on the personalised vertices", "[algo][pagerank]") {
    const auto g = graph_of(4, {{0, 1}, {1, 0}, {2, 3}, {3, 2}});
    const std::vector<double> p{1, 0, 0, 0};
    pagerank_options o;
    o.personalization = p;
    const auto r = pagerank(g, o);
    CHECK(close(r.score[2], 0.0));
    CHECK(close(r.score[0] + r.score[1], 1.0, 1e-12));
    const std::vector<double> bad{1, 2};
    o.personalization = bad;
    CHECK_THROWS_AS(pagerank(g, o), sqlitegraph::error);
}

TEST_CASE("betweenness of a directed path counts ordered pairs; undirected halves them", "[algo][betweenness]") {
    const auto path = graph_of(4, {{0, 1}, {1, 2}, {2, 3}, {1, 2}}); // a parallel edge adds no paths
    const auto b = betweenness(path);
    CHECK(b == std::vector<double>{0, 2, 2, 0});
    const auto u = simple_undirected(path);
    CHECK(betweenness(u) == std::vector<double>{0, 2, 2, 0});
    betweenness_options norm;
    norm.normalized = true;
    const auto bn = betweenness(u, norm);
    CHECK(close(bn[1], 4.0 / 6.0)); // ordered pairs through 1: 4, over (n-1)(n-2) = 6
    // Star: the centre is on every leaf pair.
    const auto star = simple_undirected(graph_of(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}}));
    CHECK(betweenness(star)[0] == 6);
    // Two equal paths share: 0->1->3, 0->2->3.
    const auto diamond = graph_of(4, {{0, 1}, {0, 2}, {1, 3}, {2, 3}});
    CHECK(betweenness(diamond) == std::vector<double>{0, 0.5, 0.5, 0});
    CHECK(betweenness(graph_of(0, {})).empty());
}

TEST_CASE("sampled betweenness is deterministic for a seed and exact when sampling everything", "[algo][betweenness]") {
    const auto g = algo_test::load_graph("multi");
    betweenness_options o;
    o.samples = 100;
    o.seed = 9;
    CHECK(betweenness(g, o) == betweenness(g, o));
    o.samples = 600;
    CHECK(betweenness(g, o) == betweenness(g));
}

TEST_CASE("closeness uses incoming hop distances and the Wasserman-Faust scaling", "[algo][closeness]") {
    const auto g = graph_of(3, {{0, 1}, {1, 2}});
    const auto c = closeness(g);
    CHECK(c[0] == 0);
    CHECK(close(c[1], (1.0 / 1) * (1.0 / 2)));
    CHECK(close(c[2], (2.0 / 3) * (2.0 / 2)));
    CHECK(close(closeness(g, direction::out)[0], (2.0 / 3)));
    CHECK(closeness(graph_of(1, {})) == std::vector<double>{0});
}

TEST_CASE("degree statistics count parallel edges and self-loops", "[algo][degree]") {
    const auto g = graph_of(3, {{0, 1}, {0, 1}, {2, 2}});
    CHECK(degrees(g) == std::vector<std::size_t>{2, 0, 1});
    CHECK(degrees(g, direction::in) == std::vector<std::size_t>{0, 2, 1});
    CHECK(degrees(g, direction::both) == std::vector<std::size_t>{2, 2, 2});
    const auto s = degree_statistics(g);
    CHECK(s.min == 0);
    CHECK(s.max == 2);
    CHECK(close(s.mean, 1.0));
    CHECK(s.median == 1.0);
    CHECK(s.histogram == std::vector<std::size_t>{1, 1, 1});
    CHECK(degree_statistics(graph_of(0, {})).max == 0);
}

TEST_CASE("triangles ignore direction, loops and parallel edges", "[algo][triangles]") {
    // K4 as a mix of directions with duplicates, plus a pendant vertex.
    const auto g = graph_of(5, {{0, 1}, {1, 0}, {0, 2}, {2, 1}, {3, 0}, {1, 3}, {2, 3}, {3, 3}, {0, 1}, {4, 0}});
    const auto t = triangles(g);
    CHECK(t == std::vector<std::uint64_t>{3, 3, 3, 3, 0});
    CHECK(triangle_count(g) == 4);
    const auto c = local_clustering(g);
    CHECK(close(c[1], 1.0));
    CHECK(close(c[0], 3.0 / 6.0)); // degree 4: 3 of 6 neighbour pairs closed
    CHECK(c[4] == 0);
    CHECK(triangles(graph_of(0, {})).empty());
    CHECK(triangles(g, 2) == t);
}

TEST_CASE("k-core numbers of a clique with a tail", "[algo][kcore]") {
    const auto g = graph_of(7, {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}, {3, 4}, {4, 5}, {5, 5}, {5, 4}});
    CHECK(core_numbers(g) == std::vector<std::uint32_t>{3, 3, 3, 3, 1, 1, 0});
    CHECK(core_numbers(graph_of(0, {})).empty());
}

TEST_CASE("louvain separates two cliques joined by one edge, deterministically per seed", "[algo][louvain]") {
    csr_builder b(10);
    for (vertex_id a = 0; a < 5; ++a)
        for (vertex_id c = a + 1; c < 5; ++c) {
            b.add_edge(a, c);
            b.add_edge(a + 5, c + 5);
        }
    b.add_edge(4, 5);
    const auto g = b.build();
    const auto r = louvain(g);
    CHECK(r.count == 2);
    CHECK(r.community == std::vector<vertex_id>{0, 0, 0, 0, 0, 1, 1, 1, 1, 1});
    CHECK(close(r.modularity, modularity(g, r.community)));
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        louvain_options o;
        o.seed = seed;
        CHECK(louvain(g, o).community == louvain(g, o).community);
    }
    const auto empty = louvain(graph_of(3, {}));
    CHECK(empty.count == 3);
    CHECK(louvain(graph_of(0, {})).community.empty());
}

TEST_CASE("modularity matches the definition on a small partition", "[algo][louvain]") {
    const auto g = graph_of(4, {{0, 1}, {2, 3}, {1, 2}});
    const std::vector<vertex_id> part{0, 0, 1, 1};
    // m = 3; L = 1 each; degrees per block = 3: Q = 2 (1/3 - (3/6)^2) = 1/6
    CHECK(close(modularity(g, part), 1.0 / 6.0));
    const std::vector<vertex_id> bad{0, 0, 9, 1};
    CHECK_THROWS_AS(modularity(g, bad), sqlitegraph::error);
}

TEST_CASE("label propagation finds two cliques and repeats itself for a seed", "[algo][lpa]") {
    csr_builder b(8);
    for (vertex_id a = 0; a < 4; ++a)
        for (vertex_id c = a + 1; c < 4; ++c) {
            b.add_edge(a, c);
            b.add_edge(c + 4, a + 4);
        }
    b.add_edge(0, 4);
    const auto g = b.build();
    const auto r = label_propagation(g);
    CHECK(r.community == label_propagation(g).community);
    CHECK(r.community[1] == r.community[2]);
    CHECK(r.community[5] == r.community[6]);
    CHECK(r.community[1] != r.community[5]);
    // Isolated vertices keep their own labels.
    CHECK(label_propagation(graph_of(3, {})).count == 3);
}
