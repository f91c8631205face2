// `sqlitegraph check` exits 0 on a clean database and non-zero on a
// corrupted copy: damaged page bytes, a damaged header, a truncated file.
#include "cli/cli_runner.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <string>

using sqlitegraph::testing::read_file;
using sqlitegraph::testing::run_cli;
using sqlitegraph::testing::temp_dir;
using sqlitegraph::testing::write_file;

namespace {

std::string make_graph(const temp_dir& dir) {
    std::string edges = "from,to,type,weight\n";
    for (int i = 0; i < 2000; ++i)
        edges += "k" + std::to_string(i) + ",k" + std::to_string((i * 7 + 1) % 2000) + ",t" + std::to_string(i % 3) +
                 "," + std::to_string(i % 10) + "\n";
    write_file(dir.file("edges.csv"), edges);
    const std::string db = dir.file("g.db");
    REQUIRE(run_cli({"import", "--db", db, "--edges", dir.file("edges.csv")}).status == 0);
    return db;
}

// A copy of the database file (the import closed it, so the log is empty)
// with `count` bytes at `offset` inverted.
std::string corrupt_copy(const temp_dir& dir, const std::string& db, const std::string& name, std::size_t offset,
                         std::size_t count) {
    std::string bytes = read_file(db);
    REQUIRE(offset + count <= bytes.size());
    for (std::size_t i = 0; i < count; ++i)
        bytes[offset + i] = static_cast<char>(~bytes[offset + i]);
    const std::string copy = dir.file(name);
    write_file(copy, bytes);
    return copy;
}

} // namespace

TEST_CASE("check exits 0 on a clean database", "[cli]") {
    temp_dir dir;
    const std::string db = make_graph(dir);
    const auto r = run_cli({"check", "--db", db});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out.find("ok: ") == 0);
    const auto j = run_cli({"check", "--db", db, "--format", "json"});
    CHECK(j.status == 0);
    CHECK(j.out.find("\"ok\":true") != std::string::npos);
    CHECK(j.out.find("\"problems\":[]") != std::string::npos);
}

TEST_CASE("check exits non-zero on a corrupted copy", "[cli]") {
    temp_dir dir;
    const std::string db = make_graph(dir);
    const auto size = std::filesystem::file_size(db);
    REQUIRE(size >= 8 * 4096);

    // Bytes inside the data of every page from 2 on, one copy each.
    for (std::size_t page = 2; page < size / 4096; page += 3) {
        INFO("page " << page);
        const std::string copy = corrupt_copy(dir, db, "page" + std::to_string(page) + ".db", page * 4096 + 200, 16);
        const auto r = run_cli({"check", "--db", copy});
        CHECK(r.status != 0);
        CHECK_FALSE(r.err.empty());
    }
    // The header's magic (bytes 32..39 of page 0, docs/format.md).
    const auto header = run_cli({"check", "--db", corrupt_copy(dir, db, "header.db", 32, 8)});
    CHECK(header.status != 0);
    CHECK(header.err.find("not a sqlitegraph database") != std::string::npos);
    // A truncated file.
    const std::string cut = dir.file("cut.db");
    write_file(cut, read_file(db).substr(0, size / 2));
    CHECK(run_cli({"check", "--db", cut}).status != 0);
    // The original is still clean.
    CHECK(run_cli({"check", "--db", db}).status == 0);
}

TEST_CASE("check accounts for the key trees and vector indexes", "[cli]") {
    temp_dir dir;
    write_file(dir.file("edges.csv"), "from,to\na,b\nb,c\n");
    write_file(dir.file("v.csv"), "a,1,0,0,0\nb,0,1,0,0\nz,0,0,1,0\n");
    const std::string db = dir.file("g.db");
    REQUIRE(run_cli({"import", "--db", db, "--edges", dir.file("edges.csv")}).status == 0);
    REQUIRE(run_cli({"vector", "create", "--db", db, "--index", "docs", "--dim", "4", "--metric", "l2"}).status == 0);
    REQUIRE(run_cli({"vector", "insert", "--db", db, "--index", "docs", "--vectors", dir.file("v.csv")}).status == 0);
    const auto r = run_cli({"check", "--db", db, "--format", "json"});
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK(r.out.find("\"nodes\":4") != std::string::npos);
}
