// End to end through the real binary: import -> stats -> check -> algo -> export ->
// re-import -> the same graph (the second export equals the first, byte for
// byte), for CSV and JSON Lines, and the k-hop, GraphML and DOT exports.
#include "cli/cli_runner.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <string>

using sqlitegraph::testing::read_file;
using sqlitegraph::testing::run_cli;
using sqlitegraph::testing::temp_dir;
using sqlitegraph::testing::write_file;

namespace {

// Typed, quoted, multi-line, empty and missing cells; implicit nodes;
// duplicate edges and a self-loop.
const char* const nodes_csv = "id,kind,name,age,city,vip:bool,height:float,code:string\n"
                              "alice,User,Alice,30,Paris,true,1.5,007\n"
                              "bob,User,\"Bob \"\"the builder\"\"\",,\"London, UK\",false,2,42\n"
                              "carol,Item,\"two\nlines\",-7,\"\",,,\n"
                              "dave,Tag,,1e3,\"12\",,,\n";
const char* const edges_csv = "from,to,type,weight,since,note\n"
                              "alice,bob,follows,2,2019,\n"
                              "bob,carol,likes,,,\"x, y\"\n"
                              "carol,erin,likes,3.5,,\n"
                              "alice,bob,follows,2,2019,\n"
                              "alice,alice,follows,1,,\n"
                              "erin,frank,,,,true\n";

std::string stats_json(const std::string& db) {
    auto r = run_cli({"stats", "--db", db, "--format", "json"});
    REQUIRE(r.status == 0);
    return r.out;
}

} // namespace

TEST_CASE("CSV import, export and re-import give the same graph", "[cli]") {
    temp_dir dir;
    write_file(dir.file("nodes.csv"), nodes_csv);
    write_file(dir.file("edges.csv"), edges_csv);
    const std::string db1 = dir.file("one.db"), db2 = dir.file("two.db");

    auto imp = run_cli({"import", "--db", db1, "--nodes", dir.file("nodes.csv"), "--edges", dir.file("edges.csv")});
    INFO(imp.err);
    REQUIRE(imp.status == 0);
    CHECK(imp.out.find("6 nodes and 6 edges") != std::string::npos);

    const std::string stats = stats_json(db1);
    CHECK(stats.find("\"nodes\":6") != std::string::npos);
    CHECK(stats.find("\"edges\":6") != std::string::npos);
    CHECK(stats.find("\"backend\":\"native\"") != std::string::npos);
    CHECK(stats.find("\"pages\":") != std::string::npos);
    CHECK(stats.find("\"file_bytes\":") != std::string::npos);
    CHECK(run_cli({"check", "--db", db1}).status == 0);
    // Algorithms answer in the import's keys: {alice, bob, carol, erin, frank} and {dave}.
    const auto wcc1 = run_cli({"algo", "wcc", "--db", db1});
    INFO(wcc1.err);
    REQUIRE(wcc1.status == 0);
    CHECK(wcc1.out.rfind("key,component\n", 0) == 0);
    CHECK(wcc1.out.find("\ndave,") != std::string::npos);
    CHECK(wcc1.out.find("\nfrank,") != std::string::npos);
    const auto pr1 = run_cli({"algo", "pagerank", "--db", db1});
    REQUIRE(pr1.status == 0);

    REQUIRE(run_cli({"export", "--db", db1, "--format", "csv", "--out", dir.file("out1")}).status == 0);
    const std::string n1 = read_file(dir.file("out1/nodes.csv")), e1 = read_file(dir.file("out1/edges.csv"));
    // The typed values come back typed: strings quoted, numbers and booleans bare.
    CHECK(n1.find("alice,User,Alice,30,\"Paris\",true,1.5,\"007\"\n") != std::string::npos);
    CHECK(n1.find("bob,User,\"Bob \"\"the builder\"\"\",,\"London, UK\",false,2.0,\"42\"\n") != std::string::npos);
    CHECK(n1.find("carol,Item,\"two\nlines\",-7,\"\",,,\n") != std::string::npos);
    CHECK(n1.find("erin,Node,erin,") != std::string::npos);
    CHECK(e1.rfind("from,to,type,weight,since,note\n", 0) == 0);
    CHECK(e1.find("carol,erin,likes,3.5,,\n") != std::string::npos);
    CHECK(e1.find("erin,frank,,,,true\n") != std::string::npos);

    REQUIRE(run_cli({"import", "--db", db2, "--nodes", dir.file("out1/nodes.csv"), "--edges",
                     dir.file("out1/edges.csv")})
                .status == 0);
    REQUIRE(run_cli({"export", "--db", db2, "--format", "csv", "--out", dir.file("out2")}).status == 0);
    CHECK(read_file(dir.file("out2/nodes.csv")) == n1);
    CHECK(read_file(dir.file("out2/edges.csv")) == e1);
    // Also record by record, properties and node ids included.
    REQUIRE(run_cli({"export", "--db", db1, "--format", "jsonl", "--out", dir.file("one.jsonl")}).status == 0);
    REQUIRE(run_cli({"export", "--db", db2, "--format", "jsonl", "--out", dir.file("two.jsonl")}).status == 0);
    CHECK(read_file(dir.file("one.jsonl")) == read_file(dir.file("two.jsonl")));
    CHECK(stats_json(db2).find("\"nodes\":6,\"edges\":6") != std::string::npos);
    CHECK(run_cli({"check", "--db", db2}).status == 0);
    CHECK(run_cli({"algo", "wcc", "--db", db2}).out == wcc1.out);
    CHECK(run_cli({"algo", "pagerank", "--db", db2}).out == pr1.out);
}

TEST_CASE("JSON Lines import and export round-trip", "[cli]") {
    temp_dir dir;
    write_file(dir.file("g.jsonl"),
               "{\"id\":\"a\",\"kind\":\"User\",\"name\":\"A\",\"properties\":{\"tags\":[1,2],\"x\":{\"y\":null}}}\n"
               "\n"
               "{\"from\":\"a\",\"to\":\"b\",\"type\":\"knows\",\"properties\":{\"w\":0.25}}\n"
               "{\"id\":\"b\",\"kind\":\"User\",\"name\":\"B \\u00e9\"}\n"
               "{\"from\":\"b\",\"to\":\"c\"}\n");
    const std::string db1 = dir.file("one.db"), db2 = dir.file("two.db");
    auto imp = run_cli({"import", "--db", db1, "--jsonl", dir.file("g.jsonl")});
    INFO(imp.err);
    REQUIRE(imp.status == 0);
    REQUIRE(run_cli({"export", "--db", db1, "--format", "jsonl", "--out", dir.file("one.jsonl")}).status == 0);
    const std::string one = read_file(dir.file("one.jsonl"));
    // b was first made implicitly by the edge, then defined by its own record.
    CHECK(one == "{\"id\":\"a\",\"kind\":\"User\",\"name\":\"A\",\"properties\":{\"tags\":[1,2],\"x\":{\"y\":null}}}\n"
                 "{\"id\":\"b\",\"kind\":\"User\",\"name\":\"B \xc3\xa9\",\"properties\":{}}\n"
                 "{\"id\":\"c\",\"kind\":\"Node\",\"name\":\"c\",\"properties\":{}}\n"
                 "{\"from\":\"a\",\"to\":\"b\",\"type\":\"knows\",\"properties\":{\"w\":0.25}}\n"
                 "{\"from\":\"b\",\"to\":\"c\",\"type\":\"\",\"properties\":{}}\n");
    REQUIRE(run_cli({"import", "--db", db2, "--jsonl", dir.file("one.jsonl")}).status == 0);
    REQUIRE(run_cli({"export", "--db", db2, "--format", "jsonl", "--out", dir.file("two.jsonl")}).status == 0);
    CHECK(read_file(dir.file("two.jsonl")) == one);
    // Nested values have no CSV form: the CSV export refuses, naming the node.
    auto csv = run_cli({"export", "--db", db1, "--format", "csv", "--out", dir.file("csv")});
    CHECK(csv.status == 1);
    CHECK(csv.err.find("node 1") != std::string::npos);
}

TEST_CASE("k-hop, GraphML and DOT exports", "[cli]") {
    temp_dir dir;
    write_file(dir.file("edges.csv"), "from,to,type\na,b,t\nb,c,t\nc,d,t\nx,a,u\n");
    const std::string db = dir.file("g.db");
    REQUIRE(run_cli({"import", "--db", db, "--edges", dir.file("edges.csv")}).status == 0);

    REQUIRE(run_cli({"export", "--db", db, "--format", "csv", "--out", dir.file("k"), "--khop", "b", "--depth", "1"})
                .status == 0);
    CHECK(read_file(dir.file("k/nodes.csv")) == "id,kind,name\na,Node,a\nb,Node,b\nc,Node,c\n");
    CHECK(read_file(dir.file("k/edges.csv")) == "from,to,type,weight\na,b,t,\nb,c,t,\n");
    REQUIRE(run_cli({"export", "--db", db, "--format", "csv", "--out", dir.file("k2"), "--khop", "a", "--depth", "2",
                     "--direction", "out"})
                .status == 0);
    CHECK(read_file(dir.file("k2/nodes.csv")) == "id,kind,name\na,Node,a\nb,Node,b\nc,Node,c\n");
    auto missing = run_cli({"export", "--db", db, "--format", "csv", "--out", dir.file("k3"), "--khop", "nobody"});
    CHECK(missing.status == 1);
    CHECK(missing.err.find("'nobody'") != std::string::npos);

    REQUIRE(run_cli({"export", "--db", db, "--format", "graphml", "--out", dir.file("g.graphml")}).status == 0);
    const std::string g = read_file(dir.file("g.graphml"));
    CHECK(g.find("<graph id=\"G\" edgedefault=\"directed\">") != std::string::npos);
    CHECK(g.find("<edge id=\"e4\" source=\"x\" target=\"a\"><data key=\"type\">u</data></edge>") != std::string::npos);
    REQUIRE(run_cli({"export", "--db", db, "--format", "dot", "--out", dir.file("g.dot")}).status == 0);
    const std::string d = read_file(dir.file("g.dot"));
    CHECK(d.rfind("digraph sqlitegraph {\n", 0) == 0);
    CHECK(d.find("\"c\" -> \"d\" [label=\"t\"") != std::string::npos);
}

TEST_CASE("neighbors lists the edges at a key", "[cli]") {
    temp_dir dir;
    write_file(dir.file("edges.csv"), "from,to,type\na,b,t\nc,a,u\na,a,t\n");
    const std::string db = dir.file("g.db");
    REQUIRE(run_cli({"import", "--db", db, "--edges", dir.file("edges.csv")}).status == 0);
    auto out = run_cli({"neighbors", "--db", db, "a", "--direction", "out", "--format", "csv"});
    REQUIRE(out.status == 0);
    CHECK(out.out == "key,direction,type,edge\na,out,t,3\nb,out,t,1\n"); // by neighbour id
    auto in = run_cli({"neighbors", "--db", db, "--key", "a", "--direction", "in", "--type", "u", "--format", "json"});
    REQUIRE(in.status == 0);
    CHECK(in.out == "[{\"key\":\"c\",\"direction\":\"in\",\"type\":\"u\",\"edge\":2}]\n");
    auto missing = run_cli({"neighbors", "--db", db, "zz"});
    CHECK(missing.status == 1);
    CHECK(missing.err.find("'zz'") != std::string::npos);
}

TEST_CASE("CSV import in many small bulk batches gives the same graph as in one", "[cli]") {
    temp_dir dir;
    write_file(dir.file("nodes.csv"), nodes_csv);
    write_file(dir.file("edges.csv"), edges_csv);
    // Later batches refer to nodes of earlier ones (by id) and of their own (by position).
    write_file(dir.file("more.csv"), "from,to,type\nerin,alice,x\nzed,alice,y\nzed,yan,y\nbob,zed,x\n");
    const std::string one = dir.file("one.db"), many = dir.file("many.db");
    for (const auto& [db, rows] : {std::pair{one, std::string("1048576")}, std::pair{many, std::string("1")}}) {
        auto r = run_cli({"import", "--db", db, "--nodes", dir.file("nodes.csv"), "--edges", dir.file("edges.csv"),
                          "--batch-rows", rows});
        INFO(r.err);
        REQUIRE(r.status == 0);
        r = run_cli({"import", "--db", db, "--edges", dir.file("more.csv"), "--batch-rows", rows});
        REQUIRE(r.status == 0);
        CHECK(run_cli({"check", "--db", db}).status == 0);
        REQUIRE(run_cli({"export", "--db", db, "--format", "jsonl", "--out", db + ".jsonl"}).status == 0);
    }
    const std::string a = read_file(one + ".jsonl");
    CHECK(a == read_file(many + ".jsonl"));
    CHECK(a.find("{\"from\":\"zed\",\"to\":\"yan\",\"type\":\"y\",\"properties\":{}}") != std::string::npos);
}
