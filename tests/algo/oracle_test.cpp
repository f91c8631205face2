// Differential tests: our answers against networkx on the generated graphs
// in tests/data/algo (see make_expected.py there for how they were made).
#include "support/catch.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "algo/oracle.hpp"
#include "sqlitegraph/algo/algorithms.hpp"

using namespace sqlitegraph;
using namespace sqlitegraph::algo;
using namespace algo_test;

namespace {
const char* const general_graphs[] = {"multi", "scalefree", "communities"};

void check_close(const std::vector<double>& ours, const std::vector<double>& theirs, double abs_tol, double rel_tol) {
    REQUIRE(ours.size() == theirs.size());
    std::size_t bad = 0;
    for (std::size_t i = 0; i < ours.size(); ++i) {
        const double tol = abs_tol + rel_tol * std::abs(theirs[i]);
        if (std::abs(ours[i] - theirs[i]) > tol) {
            if (bad++ < 5) FAIL_CHECK("vertex " << i << ": ours " << ours[i] << " networkx " << theirs[i]);
        }
    }
    CHECK(bad == 0);
}

template <class T>
std::vector<double> as_doubles(const std::vector<T>& v) {
    return {v.begin(), v.end()};
}
} // namespace

TEST_CASE("pagerank and personalised pagerank agree with networkx", "[algo][oracle]") {
    for (const char* name : general_graphs) {
        INFO(name);
        const auto g = load_graph(name);
        pagerank_options o;
        o.tolerance = 1e-14;
        check_close(pagerank(g, o).score, load_values(name, "pagerank"), 1e-10, 1e-7);
        std::vector<double> p(g.vertex_count());
        for (std::size_t v = 0; v < p.size(); v += 7) p[v] = 1.0;
        o.personalization = p;
        check_close(pagerank(g, o).score, load_values(name, "ppr"), 1e-10, 1e-7);
    }
}

TEST_CASE("weak and strong components are the same partitions as networkx's", "[algo][oracle]") {
    for (const char* name : general_graphs) {
        INFO(name);
        const auto g = load_graph(name);
        CHECK(same_partition(weakly_connected_components(g).component, load_values(name, "wcc")));
        CHECK(same_partition(strongly_connected_components(g).component, load_values(name, "scc")));
    }
}

TEST_CASE("bfs depths and dijkstra distances agree with networkx", "[algo][oracle]") {
    for (const char* name : general_graphs) {
        INFO(name);
        const auto g = load_graph(name);
        const auto depth = bfs_depths(g, 0);
        const auto expect_depth = load_values(name, "bfs0");
        std::vector<double> ours(depth.size());
        for (std::size_t v = 0; v < depth.size(); ++v) ours[v] = depth[v] == unreached ? -1.0 : double(depth[v]);
        CHECK(ours == expect_depth);
        const auto sp = dijkstra(g, 0);
        for (std::size_t v = 0; v < ours.size(); ++v) ours[v] = sp.distance[v] == infinite_distance ? -1.0 : sp.distance[v];
        CHECK(ours == load_values(name, "sssp0"));
    }
}

TEST_CASE("betweenness (directed raw, undirected normalised) agrees with networkx", "[algo][oracle]") {
    for (const char* name : general_graphs) {
        INFO(name);
        const auto g = load_graph(name);
        check_close(betweenness(g), load_values(name, "betweenness"), 1e-7, 1e-9);
        betweenness_options o;
        o.normalized = true;
        o.threads = 2;
        check_close(betweenness(simple_undirected(g), o), load_values(name, "betweenness_undirected_normalized"), 1e-12, 1e-9);
    }
}

TEST_CASE("closeness, triangles, clustering and core numbers agree with networkx", "[algo][oracle]") {
    for (const char* name : general_graphs) {
        INFO(name);
        const auto g = load_graph(name);
        check_close(closeness(g), load_values(name, "closeness"), 1e-12, 1e-9);
        CHECK(as_doubles(triangles(g)) == load_values(name, "triangles"));
        check_close(local_clustering(g), load_values(name, "clustering"), 1e-12, 1e-9);
        CHECK(as_doubles(core_numbers(g)) == load_values(name, "kcore"));
        CHECK(static_cast<double>(cycle_basis(g).size()) == load_values(name, "cycle_basis_size").at(0));
    }
}

TEST_CASE("louvain modularity is within 0.03 of networkx's, and modularity() scores networkx's partition alike", "[algo][oracle]") {
    for (const char* name : general_graphs) {
        INFO(name);
        const auto g = load_graph(name);
        const double theirs = load_values(name, "louvain_modularity").at(0);
        const auto r = louvain(g);
        CHECK(r.modularity > theirs - 0.03);
        CHECK(std::abs(modularity(g, r.community) - r.modularity) < 1e-9);
        const auto part = load_values(name, "louvain_partition");
        const std::vector<vertex_id> labels(part.begin(), part.end());
        CHECK(std::abs(modularity(g, labels) - theirs) < 1e-9);
    }
}

TEST_CASE("all shortest paths and max flow agree with networkx on sampled pairs", "[algo][oracle]") {
    for (const char* name : general_graphs) {
        INFO(name);
        const auto g = load_graph(name);
        for (const auto& row : load_rows(name, "all_shortest_paths")) {
            const auto s = static_cast<vertex_id>(row[0]), t = static_cast<vertex_id>(row[1]);
            const auto paths = all_shortest_paths(g, s, t, 1000);
            CHECK(static_cast<double>(paths.size()) == row[2]);
            if (!paths.empty()) {
                CHECK(static_cast<double>(paths[0].size() - 1) == row[3]);
                CHECK(std::is_sorted(paths.begin(), paths.end()));
            }
        }
        for (const auto& row : load_rows(name, "maxflow")) {
            const auto s = static_cast<vertex_id>(row[0]), t = static_cast<vertex_id>(row[1]);
            if (s == t) continue;
            CHECK(std::abs(min_st_cut(g, s, t).value - row[2]) < 1e-9);
        }
    }
}

TEST_CASE("topological order, closure, reduction and longest path of a DAG agree with networkx", "[algo][oracle]") {
    const auto g = load_graph("dag");
    const auto topo = topological_sort(g);
    CHECK(as_doubles(topo) == load_values("dag", "topo"));
    CHECK(static_cast<double>(transitive_closure(g).edge_count()) == load_values("dag", "closure_edges").at(0));
    const auto red = transitive_reduction(g);
    std::vector<std::vector<double>> edges;
    for (vertex_id u = 0; u < red.vertex_count(); ++u)
        for (vertex_id v : red.out_neighbors(u)) edges.push_back({double(u), double(v)});
    CHECK(edges == load_rows("dag", "reduction"));
    CHECK(critical_path(g).length == load_values("dag", "longest").at(0));
}

TEST_CASE("dominators, post-dominators and dominance frontiers agree with networkx", "[algo][oracle]") {
    const auto g = load_graph("cfg");
    const auto n = g.vertex_count();
    auto as_signed = [](const std::vector<vertex_id>& v) {
        std::vector<double> out;
        for (vertex_id x : v) out.push_back(x == no_vertex ? -1.0 : double(x));
        return out;
    };
    CHECK(as_signed(immediate_dominators(g, 0)) == load_values("cfg", "idom"));
    CHECK(as_signed(immediate_post_dominators(g, static_cast<vertex_id>(n - 1))) == load_values("cfg", "ipdom"));
    const auto df = dominance_frontiers(g, 0);
    const auto expect = load_rows("cfg", "frontier");
    REQUIRE(expect.size() == n);
    for (std::size_t v = 0; v < n; ++v) CHECK(as_doubles(df[v]) == expect[v]);
}
