// Multi-threaded algorithms give the same output for 1, 2 and 3 threads, on
// an R-MAT graph big enough that every parallel path is taken.
#include "support/catch.hpp"

#include <vector>

#include "sqlitegraph/algo/algorithms.hpp"

using namespace sqlitegraph::algo;

namespace {
const csr_view& rmat14() {
    static const csr_view g = [] {
        rmat_options o;
        o.scale = 14;
        o.edge_factor = 8;
        o.seed = 3;
        const auto r = generate_rmat(o);
        return csr_view::from_arrays(r.vertices, r.from, r.to, r.type, r.weight);
    }();
    return g;
}
} // namespace

TEST_CASE("wcc labels are identical for any thread count", "[algo][concurrency]") {
    const auto& g = rmat14();
    const auto one = weakly_connected_components(g);
    REQUIRE(one.count > 1);
    for (unsigned t : {2u, 3u}) {
        const auto r = weakly_connected_components(g, t);
        CHECK(r.count == one.count);
        CHECK(r.component == one.component);
    }
    // The lock-free path agrees with the sequential one on a symmetric view too.
    const auto u = simple_undirected(g);
    CHECK(weakly_connected_components(u, 2).component == weakly_connected_components(u).component);
}

TEST_CASE("pagerank, bfs, triangles, betweenness: same output for 1, 2 and 3 threads", "[algo][concurrency]") {
    const auto& g = rmat14();
    pagerank_options p1;
    const auto pr1 = pagerank(g, p1);
    parallel_bfs_options b1;
    const auto bfs1 = parallel_bfs_depths(g, 0, b1);
    const auto tri1 = triangles(g, 1);
    betweenness_options c1;
    c1.samples = 64;
    const auto bc1 = betweenness(g, c1);
    for (unsigned t : {2u, 3u}) {
        INFO(t);
        pagerank_options p = p1;
        p.threads = t;
        CHECK(pagerank(g, p).score == pr1.score);
        parallel_bfs_options b = b1;
        b.threads = t;
        CHECK(parallel_bfs_depths(g, 0, b) == bfs1);
        CHECK(triangles(g, t) == tri1);
        betweenness_options c = c1;
        c.threads = t;
        CHECK(betweenness(g, c) == bc1);
    }
    CHECK(bfs1 == bfs_depths(g, 0));
}
