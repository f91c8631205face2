// `sqlitegraph algo`: the pure part (csr + keys + request -> CSV) on
// hand-made graphs, then the real binary on a small imported CSV graph,
// every value checked against a hand computation (PageRank against networkx).
#include "cli/cli_runner.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include "../../examples/cli/algo_command.hpp"

#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace sqlitegraph;
using sqlitegraph::testing::run_cli;
using sqlitegraph::testing::temp_dir;
using sqlitegraph::testing::write_file;
namespace ac = sqlitegraph::cli::algo_cli;

namespace {

// key -> value of a two-column CSV, checking the header and that rows are
// sorted by the first column.
std::map<std::string, std::string> parse(const std::string& csv, const std::string& header) {
    std::istringstream in(csv);
    std::string line;
    REQUIRE(std::getline(in, line));
    REQUIRE(line == header);
    std::map<std::string, std::string> out;
    std::string prev;
    bool first = true;
    while (std::getline(in, line)) {
        const auto comma = line.find(',');
        REQUIRE(comma != std::string::npos);
        const std::string k = line.substr(0, comma);
        if (!first) CHECK(prev < k);
        first = false;
        prev = k;
        out[k] = line.substr(comma + 1);
    }
    return out;
}

// a->b (1), b->c (2), a->c (5), c->d (1), f->g (1); e isolated.
struct fixture {
    temp_dir dir;
    std::string db = dir.file("g.db");
    fixture() {
        write_file(dir.file("nodes.csv"), "id,kind,name\na,city,A\nb,city,B\nc,city,C\nd,city,D\ne,city,E\nf,city,F\ng,city,G\n");
        write_file(dir.file("edges.csv"),
                   "from,to,type,weight\na,b,road,1\nb,c,road,2\na,c,road,5\nc,d,rail,1\nf,g,road,\n");
        const auto r = run_cli({"import", "--db", db, "--nodes", dir.file("nodes.csv"), "--edges", dir.file("edges.csv")});
        INFO(r.err);
        REQUIRE(r.status == 0);
    }
    std::map<std::string, std::string> algo(std::vector<std::string> args, const std::string& header) {
        args.insert(args.begin(), "algo");
        args.push_back("--db");
        args.push_back(db);
        const auto r = run_cli(args);
        INFO(r.err);
        REQUIRE(r.status == 0);
        return parse(r.out, header);
    }
};

using M = std::map<std::string, std::string>;

algo::csr_view small_graph() {
    // 0->1, 1->2, 2->0 (a cycle), 2->3, 3->3 (loop)
    algo::csr_builder b(4);
    b.add_edge(0, 1);
    b.add_edge(1, 2);
    b.add_edge(2, 0);
    b.add_edge(2, 3, 0, 2.5);
    b.add_edge(3, 3);
    return b.build();
}

} // namespace

TEST_CASE("algo_cli::run keys rows by key and sorts them by key bytes", "[cli][algo]") {
    const auto g = small_graph();
    const std::vector<std::string> keys{"zeta", "alpha", "Mid", "beta"};
    ac::request q;
    q.name = "bfs";
    q.source = 1; // alpha
    const auto t = ac::run(g, keys, q);
    CHECK(t.header == std::vector<std::string>{"key", "depth"});
    REQUIRE(t.rows.size() == 4);
    CHECK(t.rows[0] == std::vector<std::string>{"Mid", "1"});
    CHECK(t.rows[1] == std::vector<std::string>{"alpha", "0"});
    CHECK(t.rows[2] == std::vector<std::string>{"beta", "2"});
    CHECK(t.rows[3] == std::vector<std::string>{"zeta", "2"});
    CHECK(ac::to_csv(t) == "key,depth\nMid,1\nalpha,0\nbeta,2\nzeta,2\n");
}

TEST_CASE("algo_cli::run: sssp distances, undirected view, cycle error with keys", "[cli][algo]") {
    const auto g = small_graph();
    const std::vector<std::string> keys{"k0", "k1", "k2", "k,3"};
    ac::request q;
    q.name = "sssp";
    q.source = 0;
    CHECK(ac::to_csv(ac::run(g, keys, q)) == "key,distance\n\"k,3\",4.5\nk0,0\nk1,1\nk2,2\n");
    // Undirected: 3 reaches 2 backwards; the self-loop stays one loop.
    const auto u = ac::both_ways(g);
    CHECK(u.symmetric());
    CHECK(u.out_degree(3) == 2); // 3-2 and the loop
    CHECK(u.out_degree(2) == 3);
    q.name = "bfs";
    q.source = 3;
    q.undirected = true;
    CHECK(ac::to_csv(ac::run(g, keys, q)) == "key,depth\n\"k,3\",0\nk0,2\nk1,2\nk2,1\n");
    q.undirected = false;
    CHECK(ac::to_csv(ac::run(g, keys, q)) == "key,depth\n\"k,3\",0\n");
    q.name = "topo-sort";
    try {
        (void)ac::run(g, keys, q);
        FAIL("no error");
    } catch (const error& e) {
        CHECK(e.code() == errc::cycle);
        const std::string msg = e.what();
        INFO(msg);
        CHECK((msg.find("k0 -> k1 -> k2 -> k0") != std::string::npos || msg.find("k,3 -> k,3") != std::string::npos));
    }
    q.name = "shortest-path";
    q.source = 3;
    q.target = 0;
    CHECK(ac::run(g, keys, q).rows.empty());
    q.source = 1;
    const auto p = ac::run(g, keys, q);
    CHECK(p.header == std::vector<std::string>{"step", "key"});
    REQUIRE(p.rows.size() == 3);
    CHECK(p.rows[0] == std::vector<std::string>{"0", "k1"});
    CHECK(p.rows[2] == std::vector<std::string>{"2", "k0"});
}

TEST_CASE("algo_cli::run gives the same rows with one and two threads", "[cli][algo]") {
    algo::rmat_options o;
    o.scale = 10;
    o.edge_factor = 8;
    o.seed = 7;
    const auto rm = algo::generate_rmat(o);
    const auto g = algo::csr_view::from_arrays(rm.vertices, rm.from, rm.to);
    std::vector<std::string> keys;
    for (std::size_t v = 0; v < g.vertex_count(); ++v) keys.push_back("n" + std::to_string(v));
    for (const char* name : {"pagerank", "bfs", "triangles", "betweenness", "wcc", "kcore"}) {
        INFO(name);
        ac::request q;
        q.name = name;
        q.source = 0;
        const auto one = ac::to_csv(ac::run(g, keys, q));
        q.threads = 2;
        CHECK(ac::to_csv(ac::run(g, keys, q)) == one);
    }
}

TEST_CASE("sqlitegraph algo: traversals and paths on an imported graph", "[cli][algo]") {
    fixture f;
    CHECK(f.algo({"bfs", "--source", "a"}, "key,depth") == M{{"a", "0"}, {"b", "1"}, {"c", "1"}, {"d", "2"}});
    CHECK(f.algo({"sssp", "--source", "a"}, "key,distance") == M{{"a", "0"}, {"b", "1"}, {"c", "3"}, {"d", "4"}});
    CHECK(f.algo({"bfs", "--source", "d", "--undirected"}, "key,depth") ==
          M{{"a", "2"}, {"b", "2"}, {"c", "1"}, {"d", "0"}});
    CHECK(f.algo({"shortest-path", "--source", "a", "--target", "d"}, "step,key") ==
          M{{"0", "a"}, {"1", "c"}, {"2", "d"}});
    CHECK(f.algo({"shortest-path", "--source", "d", "--target", "a"}, "step,key").empty());
    CHECK(f.algo({"shortest-path", "--source", "d", "--target", "a", "--undirected"}, "step,key") ==
          M{{"0", "d"}, {"1", "c"}, {"2", "a"}});
    CHECK(f.algo({"dominators", "--source", "a"}, "key,idom") == M{{"a", "a"}, {"b", "a"}, {"c", "a"}, {"d", "c"}});
}

TEST_CASE("sqlitegraph algo: components, triangles, cores, betweenness, order", "[cli][algo]") {
    fixture f;
    for (const char* name : {"wcc", "louvain", "label-propagation"}) {
        INFO(name);
        const std::string column = std::string(name) == "wcc" ? "component" : "community";
        const auto c = f.algo({name}, "key," + column);
        REQUIRE(c.size() == 7);
        CHECK(c.at("a") == c.at("b"));
        CHECK(c.at("b") == c.at("c"));
        CHECK(c.at("f") == c.at("g"));
        CHECK(c.at("f") != c.at("a"));
        for (const char* k : {"a", "d", "f"}) CHECK(c.at("e") != c.at(k));
        if (std::string(name) == "wcc") CHECK(c.at("d") == c.at("a"));
    }
    const auto scc = f.algo({"scc"}, "key,component");
    std::set<std::string> labels;
    for (const auto& [k, v] : scc) labels.insert(v);
    CHECK(labels.size() == 7); // a DAG: every node alone
    const auto scc_u = f.algo({"scc", "--undirected"}, "key,component");
    CHECK(scc_u.at("a") == scc_u.at("d"));
    CHECK(scc_u.at("a") != scc_u.at("e"));

    CHECK(f.algo({"triangles"}, "key,triangles") ==
          M{{"a", "1"}, {"b", "1"}, {"c", "1"}, {"d", "0"}, {"e", "0"}, {"f", "0"}, {"g", "0"}});
    CHECK(f.algo({"kcore"}, "key,core") ==
          M{{"a", "2"}, {"b", "2"}, {"c", "2"}, {"d", "1"}, {"e", "0"}, {"f", "1"}, {"g", "1"}});
    // Only c lies inside shortest paths: a->d and b->d pass through it.
    const M zero_but_c{{"a", "0"}, {"b", "0"}, {"c", "2"}, {"d", "0"}, {"e", "0"}, {"f", "0"}, {"g", "0"}};
    CHECK(f.algo({"betweenness"}, "key,score") == zero_but_c);
    CHECK(f.algo({"betweenness", "--undirected"}, "key,score") == zero_but_c);
    const auto norm = f.algo({"betweenness", "--normalized"}, "key,score");
    CHECK(std::stod(norm.at("c")) == Approx(2.0 / 30.0).epsilon(1e-12));

    const auto topo = f.algo({"topo-sort"}, "key,position");
    REQUIRE(topo.size() == 7);
    std::set<std::string> positions;
    for (const auto& [k, v] : topo) positions.insert(v);
    CHECK(positions == std::set<std::string>{"0", "1", "2", "3", "4", "5", "6"});
    auto pos = [&](const char* k) { return std::stoi(topo.at(k)); };
    CHECK(pos("a") < pos("b"));
    CHECK(pos("b") < pos("c"));
    CHECK(pos("c") < pos("d"));
    CHECK(pos("f") < pos("g"));
}

TEST_CASE("sqlitegraph algo pagerank matches networkx", "[cli][algo]") {
    fixture f;
    // networkx 3.6 pagerank (alpha 0.85, tol 1e-15) on the same multigraph.
    const std::map<std::string, double> nx{{"a", 0.08229055767282312}, {"b", 0.11726404468377302},
                                           {"c", 0.21693848266497975}, {"d", 0.2666882679380548},
                                           {"e", 0.08229055767282312}, {"f", 0.08229055767282312},
                                           {"g", 0.15223753169472293}};
    for (const char* threads : {"1", "2"}) {
        const auto pr = f.algo({"pagerank", "--threads", threads}, "key,score");
        REQUIRE(pr.size() == 7);
        double sum = 0;
        for (const auto& [k, v] : pr) {
            INFO(k);
            CHECK(std::stod(v) == Approx(nx.at(k)).margin(1e-9));
            sum += std::stod(v);
        }
        CHECK(sum == Approx(1.0).margin(1e-12));
    }
    // A damping of 0: every node gets 1/7.
    const auto flat = f.algo({"pagerank", "--damping", "0"}, "key,score");
    for (const auto& [k, v] : flat) CHECK(std::stod(v) == Approx(1.0 / 7).margin(1e-12));
}

TEST_CASE("sqlitegraph algo: --out, unknown keys, usage errors, cycles", "[cli][algo]") {
    fixture f;
    const std::string out = f.dir.file("bfs.csv");
    auto r = run_cli({"algo", "bfs", "--db", f.db, "--source", "f", "--out", out});
    CHECK(r.status == 0);
    CHECK(r.out.empty());
    CHECK(sqlitegraph::testing::read_file(out) == "key,depth\nf,0\ng,1\n");

    r = run_cli({"algo", "bfs", "--db", f.db, "--source", "nowhere"});
    CHECK(r.status == 1);
    CHECK(r.err.find("nowhere") != std::string::npos);
    CHECK(r.out.empty());

    CHECK(run_cli({"algo", "bfs", "--db", f.db}).status == 2);                     // no --source
    CHECK(run_cli({"algo", "frobnicate", "--db", f.db}).status == 2);              // unknown algorithm
    CHECK(run_cli({"algo", "wcc", "--db", f.db, "--damping", "0.5"}).status == 2); // option of another one
    CHECK(run_cli({"algo", "wcc", "--db", f.dir.file("missing.db")}).status == 1);
    r = run_cli({"algo", "--help"});
    CHECK(r.status == 0);
    CHECK(r.out.find("label-propagation") != std::string::npos);

    // Closing the loop d -> a makes topo-sort fail, naming the cycle by keys.
    write_file(f.dir.file("back.csv"), "from,to\nd,a\n");
    REQUIRE(run_cli({"import", "--db", f.db, "--edges", f.dir.file("back.csv")}).status == 0);
    r = run_cli({"algo", "topo-sort", "--db", f.db});
    CHECK(r.status == 1);
    INFO(r.err);
    CHECK(r.err.find("cycle") != std::string::npos);
    CHECK(r.err.find("a -> ") != std::string::npos);
    CHECK(r.out.empty());
    // The new edge has no weight: 1.
    CHECK(f.algo({"sssp", "--source", "d"}, "key,distance") == M{{"a", "1"}, {"b", "2"}, {"c", "4"}, {"d", "0"}});
}
