// Large-graph smoke tests (no recursion, no quadratic blow-up) and
// determinism across runs and thread counts.
//
// The path has 10 M vertices and the star 1 M leaves (a tenth of the path).
// Sanitizer builds default to a 1 M path (so a 100 K star) to keep the run
// within minutes; SQLITEGRAPH_ALGO_PATH_VERTICES overrides either default.
#include "support/catch.hpp"

#include <cmath>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include "algo/oracle.hpp"
#include "sqlitegraph/algo/algorithms.hpp"

using namespace sqlitegraph;
using namespace sqlitegraph::algo;

namespace {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::size_t default_path = 1'000'000;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(undefined_behavior_sanitizer)
constexpr std::size_t default_path = 1'000'000;
#else
constexpr std::size_t default_path = 10'000'000;
#endif
#else
constexpr std::size_t default_path = 10'000'000;
#endif

std::size_t path_vertices() {
    if (const char* s = std::getenv("SQLITEGRAPH_ALGO_PATH_VERTICES")) return std::stoul(s);
    return default_path;
}

// 0 -> 1 -> ... -> n-1, given in reverse so that the builder has to sort.
const csr_view& long_path() {
    static const csr_view g = [] {
        const std::size_t n = path_vertices();
        std::vector<vertex_id> from(n - 1), to(n - 1);
        for (std::size_t i = 0; i + 1 < n; ++i) {
            from[n - 2 - i] = static_cast<vertex_id>(i);
            to[n - 2 - i] = static_cast<vertex_id>(i + 1);
        }
        return csr_view::from_arrays(n, from, to);
    }();
    return g;
}

// Centre 0 with 1 M leaves; every leaf also points back at the centre.
const csr_view& big_star() {
    static const csr_view g = [] {
        const std::size_t n = path_vertices() / 10 + 1;
        std::vector<vertex_id> from, to;
        from.reserve(2 * n);
        to.reserve(2 * n);
        for (vertex_id v = 1; v < n; ++v) {
            from.push_back(0);
            to.push_back(v);
            from.push_back(v);
            to.push_back(0);
        }
        return csr_view::from_arrays(n, from, to);
    }();
    return g;
}
} // namespace

TEST_CASE("scc, wcc and topological sort of a 10M-node path do not recurse", "[algo][large]") {
    const auto& g = long_path();
    const auto n = static_cast<vertex_id>(g.vertex_count());
    const auto scc = strongly_connected_components(g);
    CHECK(scc.count == n);
    CHECK(scc.component[0] == 0); // topological labels: the head comes first
    CHECK(scc.component[n - 1] == n - 1);
    CHECK(weakly_connected_components(g).count == 1);
    const auto order = topological_sort(g);
    CHECK(order.front() == 0);
    CHECK(order.back() == n - 1);
    CHECK_FALSE(has_cycle(g));
}

TEST_CASE("bfs, lazy dfs, dominators and shortest path walk a 10M-node path to the end", "[algo][large]") {
    const auto& g = long_path();
    const auto n = static_cast<vertex_id>(g.vertex_count());
    CHECK(bfs_depths(g, 0)[n - 1] == n - 1);
    std::size_t visited = 0;
    std::uint32_t deepest = 0;
    for (const auto& s : dfs_traversal(g, 0)) {
        ++visited;
        deepest = s.depth;
    }
    CHECK(visited == n);
    CHECK(deepest == n - 1);
    const auto idom = immediate_dominators(g, 0);
    CHECK(idom[n - 1] == n - 2);
    CHECK(shortest_path(g, 0, n - 1).size() == n);
    CHECK(core_numbers(g)[n / 2] == 1);
}

TEST_CASE("a 1M-leaf star (100K under sanitizers) runs pagerank, components, triangles, k-core and louvain in linear time", "[algo][large]") {
    const auto& g = big_star();
    const auto pr = pagerank(g);
    CHECK(pr.converged);
    CHECK(pr.score[0] > 0.4);
    CHECK(std::abs(std::accumulate(pr.score.begin(), pr.score.end(), 0.0) - 1.0) < 1e-9);
    CHECK(strongly_connected_components(g).count == 1);
    CHECK(weakly_connected_components(g).count == 1);
    CHECK(triangle_count(g) == 0);
    const auto core = core_numbers(g);
    CHECK(core[0] == 1);
    CHECK(bfs_depths(g, 5)[7] == 2);
    parallel_bfs_options o;
    o.threads = 2;
    CHECK(parallel_bfs_depths(g, 5, o) == bfs_depths(g, 5));
    CHECK(louvain(g).count >= 1);
}

TEST_CASE("pagerank, betweenness, closeness and triangles are identical with 1 and 2 threads", "[algo][determinism][concurrency]") {
    const auto g = algo_test::load_graph("scalefree");
    pagerank_options p1, p2;
    p2.threads = 2;
    CHECK(pagerank(g, p1).score == pagerank(g, p2).score);
    betweenness_options b1, b2;
    b2.threads = 2;
    CHECK(betweenness(g, b1) == betweenness(g, b2));
    CHECK(closeness(g, direction::in, 1) == closeness(g, direction::in, 2));
    CHECK(triangles(g, 1) == triangles(g, 2));
    parallel_bfs_options q1, q2;
    q2.threads = 2;
    CHECK(parallel_bfs_depths(g, 0, q1) == parallel_bfs_depths(g, 0, q2));
}

TEST_CASE("every algorithm returns identical output on a second run", "[algo][determinism]") {
    const auto g = algo_test::load_graph("communities");
    CHECK(louvain(g).community == louvain(g).community);
    CHECK(label_propagation(g).community == label_propagation(g).community);
    CHECK(strongly_connected_components(g).component == strongly_connected_components(g).component);
    CHECK(cycle_basis(g) == cycle_basis(g));
    CHECK(pagerank(g).score == pagerank(g).score);
    const auto a = generate_rmat({8, 16, 42}), b = generate_rmat({8, 16, 42});
    CHECK(a.from == b.from);
    CHECK(a.to == b.to);
    CHECK(a.weight == b.weight);
}

TEST_CASE("rmat drops self-loops and keeps weights in [1, 100] and types in {0, 1}", "[algo][rmat]") {
    const auto r = generate_rmat({10, 16, 42});
    CHECK(r.vertices == 1024);
    CHECK(r.from.size() < 1024u * 16u);
    CHECK(r.from.size() > 1024u * 14u);
    std::size_t loops = 0, out_of_range = 0, bad_weight = 0, bad_type = 0;
    for (std::size_t i = 0; i < r.from.size(); ++i) {
        loops += r.from[i] == r.to[i];
        out_of_range += r.from[i] >= 1024 || r.to[i] >= 1024;
        bad_weight += !(r.weight[i] >= 1 && r.weight[i] <= 100 && r.weight[i] == std::floor(r.weight[i]));
        bad_type += r.type[i] > 1;
    }
    CHECK(loops == 0);
    CHECK(out_of_range == 0);
    CHECK(bad_weight == 0);
    CHECK(bad_type == 0);
    // Skew: vertex 0 (all-top-left quadrant bits) has the highest out-degree.
    const auto g = csr_view::from_arrays(r.vertices, r.from, r.to, r.type, r.weight);
    const auto s = degree_statistics(g);
    CHECK(g.out_degree(0) == s.max);
    CHECK(generate_rmat({10, 16, 43}).from != r.from);
    CHECK_THROWS_AS(generate_rmat({0, 16, 42}), sqlitegraph::error);
}
