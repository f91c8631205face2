// `sqlitegraph demo`, `backup`, `snapshot export|import|verify` and
// `upgrade`, run as the real binary: the demo prints its results and leaves
// a clean database; a backup and a restored snapshot hold the same graph as
// the source; a damaged snapshot is refused with the file named and the
// target untouched; a format-2 file is refused until upgraded.
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

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The demo database, kept with --db.
std::string make_demo(const temp_dir& dir, const std::string& name = "demo.db") {
    const auto db = dir.file(name);
    const auto r = run_cli({"demo", "--db", db});
    INFO(r.err);
    REQUIRE(r.status == 0);
    return db;
}

// nodes.csv + edges.csv of a database, concatenated: equal graphs, equal text.
std::string exported(const temp_dir& dir, const std::string& db, const std::string& name) {
    const auto out = dir.file(name);
    const auto r = run_cli({"export", "--db", db, "--format", "csv", "--out", out});
    INFO(r.err);
    REQUIRE(r.status == 0);
    return read_file(out + "/nodes.csv") + read_file(out + "/edges.csv");
}

} // namespace

TEST_CASE("demo builds the dependency graph and prints lookups, neighbours, a traversal and a path", "[cli][demo]") {
    const auto r = run_cli({"demo"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    CHECK(contains(r.out, "33 packages and 6 maintainers (39 nodes), 104 edges"));
    CHECK(contains(r.out, "by key 'http-server':  node 4, kind package, version 2.4.1, license MIT"));
    CHECK(contains(r.out, "names starting 'http': http-client, http-server"));
    CHECK(contains(r.out, "-> orm               depends_on      ^5.0"));
    CHECK(contains(r.out, "tls is used directly by: db-driver, http-client, http-server"));
    CHECK(contains(r.out, "depth 3 (4):   event-loop, metrics, platform, thread-pool"));
    CHECK(contains(r.out, "24 packages in total"));
    CHECK(contains(r.out, "deploy-cli -> http-client -> tls -> crypto   (3 hops)"));
    CHECK(contains(r.out, "no path (dependencies point one way)"));
    CHECK(contains(r.out, "alice, bongani, chen, emeka"));
    CHECK(contains(r.out, "check: ok (39 nodes, 104 edges"));
    CHECK(contains(r.out, "closed and reopened: 39 nodes, 104 edges"));
    CHECK(contains(r.out, "temporary database was removed"));
}

TEST_CASE("demo --db keeps a clean database for the other commands and never overwrites", "[cli][demo]") {
    temp_dir dir;
    const auto db = make_demo(dir);
    const auto check = run_cli({"check", "--db", db});
    INFO(check.err);
    CHECK(check.status == 0);
    const auto stats = run_cli({"stats", "--db", db, "--format", "json"});
    CHECK(contains(stats.out, "\"nodes\":39"));
    CHECK(contains(stats.out, "\"edges\":104"));
    const auto nb = run_cli({"neighbors", "--db", db, "tls", "--direction", "out"});
    CHECK(nb.status == 0);
    CHECK(contains(nb.out, "crypto"));
    CHECK(contains(nb.out, "platform"));

    // The dataset is deterministic: a second database has the same graph.
    const auto again = make_demo(dir, "again.db");
    CHECK(exported(dir, db, "a") == exported(dir, again, "b"));

    const auto before = read_file(db);
    const auto refused = run_cli({"demo", "--db", db});
    CHECK(refused.status == 1);
    CHECK(contains(refused.err, db));
    CHECK(read_file(db) == before);
}

TEST_CASE("backup copies a database that then checks clean and holds the same graph", "[cli][backup]") {
    temp_dir dir;
    const auto db = make_demo(dir);
    const auto copy = dir.file("copy.db");
    const auto r = run_cli({"backup", "--db", db, "--out", copy});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(contains(r.out, "39 nodes, 104 edges"));
    CHECK(run_cli({"check", "--db", copy}).status == 0);
    CHECK(exported(dir, copy, "copy") == exported(dir, db, "orig"));
    CHECK(!std::filesystem::exists(copy + ".backup-tmp"));

    // Refusals: an existing target (unchanged), a missing source, no --out.
    const auto target = read_file(copy);
    const auto exists = run_cli({"backup", "--db", db, "--out", copy});
    CHECK(exists.status == 1);
    CHECK(contains(exists.err, "already exists"));
    CHECK(read_file(copy) == target);
    const auto missing = run_cli({"backup", "--db", dir.file("nope.db"), "--out", dir.file("x.db")});
    CHECK(missing.status == 1);
    CHECK(contains(missing.err, "nope.db"));
    CHECK(!std::filesystem::exists(dir.file("x.db")));
    CHECK(run_cli({"backup", "--db", db}).status == 2);
}

TEST_CASE("snapshot export, verify and import round-trip the graph with its manifest", "[cli][snapshot]") {
    temp_dir dir;
    const auto db = make_demo(dir);
    const auto snap = dir.file("demo.snap");
    const auto e = run_cli({"snapshot", "export", "--db", db, "--out", snap, "--manifest", dir.file("m.json")});
    INFO(e.err);
    REQUIRE(e.status == 0);
    CHECK(contains(e.out, "\"format\":\"sqlitegraph-snapshot\""));
    CHECK(contains(e.out, "\"nodes\":39"));
    CHECK(contains(e.out, "\"edges\":104"));
    CHECK(contains(e.out, "\"content_xxh3\":\""));
    CHECK(read_file(dir.file("m.json")) == e.out);

    const auto v = run_cli({"snapshot", "verify", "--in", snap});
    CHECK(v.status == 0);
    CHECK(v.out == e.out);

    const auto restored = dir.file("restored.db");
    const auto i = run_cli({"snapshot", "import", "--db", restored, "--in", snap});
    INFO(i.err);
    REQUIRE(i.status == 0);
    CHECK(contains(i.out, "39 nodes, 104 edges"));
    CHECK(run_cli({"check", "--db", restored}).status == 0);
    CHECK(exported(dir, restored, "restored") == exported(dir, db, "orig"));

    // An existing database needs --replace; then it is replaced.
    const auto other = make_demo(dir, "other.db");
    REQUIRE(run_cli({"import", "--db", other, "--edges",
                     [&] {
                         write_file(dir.file("extra.csv"), "from,to\nextra-a,extra-b\n");
                         return dir.file("extra.csv");
                     }()})
                .status == 0);
    const auto refused = run_cli({"snapshot", "import", "--db", other, "--in", snap});
    CHECK(refused.status == 1);
    CHECK(contains(refused.err, "--replace"));
    const auto replaced = run_cli({"snapshot", "import", "--db", other, "--in", snap, "--replace"});
    INFO(replaced.err);
    CHECK(replaced.status == 0);
    CHECK(exported(dir, other, "other") == exported(dir, db, "orig2"));
}

TEST_CASE("a damaged snapshot is refused naming the file and nothing is written", "[cli][snapshot]") {
    temp_dir dir;
    const auto db = make_demo(dir);
    const auto snap = dir.file("demo.snap");
    REQUIRE(run_cli({"snapshot", "export", "--db", db, "--out", snap}).status == 0);
    const auto good = read_file(snap);

    struct damage {
        const char* what;
        std::string bytes;
        const char* says;
    };
    auto flipped = [&](std::size_t at) {
        auto b = good;
        b[at] = static_cast<char>(~b[at]);
        return b;
    };
    const damage cases[] = {
        {"page bytes", flipped(4096 + 2 * 4096 + 1000), "checksum mismatch"},
        {"manifest bytes", flipped(32 + 20), "manifest checksum mismatch"},
        {"truncated", good.substr(0, good.size() - 4096), "truncated"},
        {"not a snapshot", std::string(8192, 'x'), "not a sqlitegraph snapshot"},
    };
    const auto target_before = read_file(db);
    for (const auto& c : cases) {
        INFO(c.what);
        const auto bad = dir.file("bad.snap");
        write_file(bad, c.bytes);
        const auto v = run_cli({"snapshot", "verify", "--in", bad});
        CHECK(v.status == 1);
        CHECK(contains(v.err, c.says));
        CHECK(contains(v.err, "bad.snap"));
        const auto into_new = run_cli({"snapshot", "import", "--db", dir.file("new.db"), "--in", bad});
        CHECK(into_new.status == 1);
        CHECK(!std::filesystem::exists(dir.file("new.db")));
        const auto over = run_cli({"snapshot", "import", "--db", db, "--in", bad, "--replace"});
        CHECK(over.status == 1);
        CHECK(contains(over.err, c.says));
        CHECK(read_file(db) == target_before);
    }
    CHECK(run_cli({"check", "--db", db}).status == 0);
    const auto missing = run_cli({"snapshot", "verify", "--in", dir.file("missing.snap")});
    CHECK(missing.status == 1);
    CHECK(contains(missing.err, "missing.snap"));
    CHECK(run_cli({"snapshot", "frobnicate"}).status == 2);
    CHECK(run_cli({"snapshot"}).status == 2);
    CHECK(run_cli({"snapshot", "export", "--db", db}).status == 2);
}

TEST_CASE("upgrade converts a database of graph format 2 in place; other commands refuse it until then", "[cli][upgrade]") {
    temp_dir dir;
    const auto db = dir.file("format2.db");
    std::filesystem::copy_file(SQLITEGRAPH_TEST_DATA_DIR "/graph/format2.db", db);
    const std::string before = read_file(db);

    auto r = run_cli({"check", "--db", db});
    CHECK(r.status != 0);
    CHECK(contains(r.err, "has graph format 2, this build reads format 3"));
    CHECK(contains(r.err, "sqlitegraph upgrade --db PATH"));
    CHECK(read_file(db) == before);

    r = run_cli({"upgrade", "--db", db});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(contains(r.out, "upgraded: " + db + ": graph format 2 -> 3"));

    r = run_cli({"check", "--db", db});
    CHECK(r.status == 0);
    CHECK(contains(r.out, "11 nodes, 32 edges"));

    r = run_cli({"upgrade", "--db", db});
    CHECK(r.status == 0);
    CHECK(contains(r.out, "already at graph format 3"));

    r = run_cli({"upgrade", "--db", dir.file("missing.db")});
    CHECK(r.status != 0);
    CHECK(contains(r.err, "missing.db"));
    CHECK(!std::filesystem::exists(dir.file("missing.db")));
}

TEST_CASE("snapshot import --upgrade converts a snapshot of graph format 2; without it the import is refused", "[cli][upgrade]") {
    temp_dir dir;
    const std::string snapshot = SQLITEGRAPH_TEST_DATA_DIR "/graph/format2.snapshot";
    const auto db = dir.file("restored.db");

    auto r = run_cli({"snapshot", "import", "--db", db, "--in", snapshot});
    CHECK(r.status != 0);
    CHECK(contains(r.err, "graph format 2"));
    CHECK(contains(r.err, "--upgrade"));
    CHECK(!std::filesystem::exists(db));

    r = run_cli({"snapshot", "import", "--db", db, "--in", snapshot, "--upgrade"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(contains(r.out, "11 nodes, 32 edges"));
    CHECK(contains(r.out, "converted from graph format 2 to 3"));

    r = run_cli({"check", "--db", db});
    CHECK(r.status == 0);
    CHECK(contains(r.out, "11 nodes, 32 edges"));
}
