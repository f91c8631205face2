// A bad row aborts the whole import with FILE:LINE and leaves the database
// exactly as it was (same export, same stats, check still clean); a
// database the failed import would have created is not left behind.
#include "cli/cli_runner.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <string>
#include <vector>

using sqlitegraph::testing::read_file;
using sqlitegraph::testing::run_cli;
using sqlitegraph::testing::temp_dir;
using sqlitegraph::testing::write_file;

namespace {

struct bad_case {
    const char* what;
    const char* nodes; // nullptr: no nodes file
    const char* edges;
    const char* file;  // "nodes" or "edges": the file the message must name
    int line;
    const char* reason;
};

const std::vector<bad_case> bad_cases{
    {"wrong column count (too many)", nullptr, "from,to,type\nn1,n2,t\nn2,n3,t,extra\nn3,n4,t\n", "edges", 3,
     "expected 3 fields, found 4"},
    {"wrong column count (too few)", "id,kind,name,age\nn1,User,a,1\nn9,User,b\n", "from,to\nn1,n2\n", "nodes", 3,
     "expected 4 fields, found 3"},
    {"unknown column type", "id,kind,name,age:blob\nn1,User,a,1\n", "from,to\n", "nodes", 1, "unknown type 'blob'"},
    {"value not of the column type", "id,kind,name,age:int\nn1,User,a,1\nn2,User,b,x\n", "from,to\n", "nodes", 3,
     "'x' is not a 64-bit integer"},
    {"unterminated quote", nullptr, "from,to,note\nn1,n2,ok\nn2,n3,\"open\nn3,n4,x\n", "edges", 3,
     "unterminated quoted field"},
    {"text after a closing quote", nullptr, "from,to\nn1,\"n2\"x\n", "edges", 2, "text after the closing quote"},
    {"weight that is not a number", nullptr, "from,to,weight\nn1,n2,1\nn2,n3,heavy\n", "edges", 3,
     "weight 'heavy' is not a number"},
    {"duplicate node key", "id,kind,name\nq1,User,a\nq2,User,b\nq1,User,c\n", "from,to\n", "nodes", 4,
     "'q1' already exists"},
    {"key already in the database", "id,kind,name\nold1,User,again\n", "from,to\n", "nodes", 2,
     "'old1' already exists"},
    {"empty from key", nullptr, "from,to\nn1,n2\n,n3\n", "edges", 3, "empty 'from' key"},
    {"bad header", nullptr, "source,target\nn1,n2\n", "edges", 1, "must start with 'from,to'"},
};

} // namespace

TEST_CASE("a bad CSV row fails with FILE:LINE and leaves the database unchanged", "[cli]") {
    temp_dir dir;
    const std::string db = dir.file("g.db");
    write_file(dir.file("seed_nodes.csv"), "id,kind,name,age\nold1,User,first,1\nold2,User,second,2\n");
    write_file(dir.file("seed_edges.csv"), "from,to,type,weight\nold1,old2,knows,3\n");
    REQUIRE(run_cli({"import", "--db", db, "--nodes", dir.file("seed_nodes.csv"), "--edges",
                     dir.file("seed_edges.csv")})
                .status == 0);
    REQUIRE(run_cli({"export", "--db", db, "--format", "jsonl", "--out", dir.file("before.jsonl")}).status == 0);
    const std::string before = read_file(dir.file("before.jsonl"));
    const std::string stats_before = run_cli({"stats", "--db", db, "--format", "json"}).out;

    for (const auto& c : bad_cases) {
        INFO(c.what);
        const std::string nodes = dir.file("nodes.csv"), edges = dir.file("edges.csv");
        std::vector<std::string> args{"import", "--db", db, "--edges", edges};
        write_file(edges, c.edges);
        if (c.nodes) {
            write_file(nodes, c.nodes);
            args.push_back("--nodes");
            args.push_back(nodes);
        }
        const auto r = run_cli(args);
        INFO(r.err);
        CHECK(r.status == 1);
        const std::string where = (std::string(c.file) == "nodes" ? nodes : edges) + ":" + std::to_string(c.line) + ":";
        CHECK(r.err.find(where) != std::string::npos);
        CHECK(r.err.find(c.reason) != std::string::npos);

        REQUIRE(run_cli({"export", "--db", db, "--format", "jsonl", "--out", dir.file("after.jsonl")}).status == 0);
        CHECK(read_file(dir.file("after.jsonl")) == before);
        CHECK(run_cli({"stats", "--db", db, "--format", "json"}).out == stats_before);
        CHECK(run_cli({"check", "--db", db}).status == 0);
    }
}

TEST_CASE("a failed import into a new database leaves no file behind", "[cli]") {
    temp_dir dir;
    write_file(dir.file("edges.csv"), "from,to\na,b\nb,c,d\n");
    const std::string db = dir.file("new.db");
    const auto r = run_cli({"import", "--db", db, "--edges", dir.file("edges.csv")});
    CHECK(r.status == 1);
    CHECK(r.err.find(dir.file("edges.csv") + ":3: expected 2 fields, found 3") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(db));
    CHECK_FALSE(std::filesystem::exists(db + "-wal"));
}

TEST_CASE("bad JSON Lines records fail with FILE:LINE", "[cli]") {
    temp_dir dir;
    const std::string db = dir.file("g.db");
    const std::vector<std::pair<std::string, std::string>> cases{
        {"{\"id\":\"a\"}\n{\"id\":\"b\",\"kind\":\"K\"\n", ":2: expected '}'"},
        {"{\"id\":\"a\",\"colour\":\"red\"}\n", ":1: unknown field 'colour'"},
        {"{\"from\":\"a\"}\n", ":1: an edge needs non-empty 'from' and 'to'"},
        {"{\"id\":\"a\",\"properties\":[1]}\n", ":1: 'properties' must be an object"},
        {"{\"id\":\"a\"}\n{\"id\":\"a\"}\n", ":2: node key 'a' already exists"},
    };
    for (const auto& [text, message] : cases) {
        INFO(text);
        write_file(dir.file("g.jsonl"), text);
        const auto r = run_cli({"import", "--db", db, "--jsonl", dir.file("g.jsonl")});
        INFO(r.err);
        CHECK(r.status == 1);
        CHECK(r.err.find(dir.file("g.jsonl") + message) != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(db));
    }
}

TEST_CASE("databases that are not native sqlitegraph files are refused clearly", "[cli]") {
    temp_dir dir;
    write_file(dir.file("text.db"), std::string(8192, 'x'));
    auto r = run_cli({"stats", "--db", dir.file("text.db")});
    CHECK(r.status == 1);
    CHECK(r.err.find("is not a sqlitegraph database") != std::string::npos);
    write_file(dir.file("lite.db"), std::string("SQLite format 3\0", 16) + std::string(4080, '\0'));
    r = run_cli({"stats", "--db", dir.file("lite.db")});
    CHECK(r.status == 1);
    CHECK(r.err.find("the SQLite backend is not built yet") != std::string::npos);
    write_file(dir.file("edges.csv"), "from,to\na,b\n");
    r = run_cli({"import", "--db", dir.file("new.db"), "--backend", "sqlite", "--edges", dir.file("edges.csv")});
    CHECK(r.status == 1);
    CHECK(r.err.find("the SQLite backend is not built yet") != std::string::npos);
    r = run_cli({"stats", "--db", dir.file("missing.db")});
    CHECK(r.status == 1);
    CHECK(r.err.find("does not exist") != std::string::npos);
}
