// Random byte flips in a closed database file and in its log: opening or
// reading reports corruption, or (damage in an uncommitted tail or in a
// frame already superseded) recovers a consistent committed state. Never a
// crash, never wrong data returned silently.
#include "pager/workload.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "support/catch.hpp"

#include <random>

using namespace sqlitegraph;

namespace {
using mem_pager = pager<store_policies<memory_fs>>;

// Builds a database of `txns` transactions; with keep_log the log is left
// as a crash would leave it (no checkpoint).
void build(memory_fs& fs, testing::page_workload& work, int txns, bool keep_log) {
    pager_options options;
    options.checkpoint_threshold_bytes = 0;
    auto db = std::make_unique<mem_pager>("c.db", options, fs);
    for (int i = 0; i < txns; ++i)
        work.run(*db);
    if (!keep_log) return; // the destructor checkpoints and resets the log
    const auto main_bytes = fs.contents("c.db");
    const auto log_bytes = fs.contents("c.db-wal");
    db.reset();
    fs.remove("c.db");
    fs.remove("c.db-wal");
    fs.open("c.db", open_mode::read_write_create).write_at(0, main_bytes);
    fs.open("c.db-wal", open_mode::read_write_create).write_at(0, log_bytes);
}

enum class outcome { refused, recovered };

// Opens and fully verifies; an error must be corruption (or a format
// mismatch when the identifying bytes were hit).
outcome open_and_verify(memory_fs& fs, testing::page_workload& work) {
    try {
        mem_pager db("c.db", {}, fs);
        std::vector<std::string> problems;
        std::uint64_t k = 0;
        return work.verify_or_report(db, problems, k) ? outcome::recovered : outcome::refused;
    } catch (const error& e) {
        const bool expected = e.code() == errc::corruption || e.code() == errc::format_mismatch;
        INFO(e.what());
        REQUIRE(expected);
        return outcome::refused;
    }
}

void flip(memory_fs& fs, const std::string& path, std::mt19937_64& rng, int flips) {
    auto bytes = fs.contents(path);
    for (int i = 0; i < flips; ++i)
        bytes[rng() % bytes.size()] ^= static_cast<std::byte>(1 + rng() % 255);
    fs.remove(path);
    fs.open(path, open_mode::read_write_create).write_at(0, bytes);
}
} // namespace

TEST_CASE("flipped bytes in a closed database file are reported, never returned", "[pager][corruption]") {
    std::mt19937_64 rng(1);
    int refused = 0;
    for (int round = 0; round < 200; ++round) {
        memory_fs fs;
        testing::page_workload work(round);
        build(fs, work, 8, false);
        flip(fs, "c.db", rng, 1 + static_cast<int>(rng() % 3));
        if (open_and_verify(fs, work) == outcome::refused) ++refused;
    }
    // Every flip lands in a checksummed page of the workload or the
    // superblock, so nearly every round must be refused; a flip can only go
    // unnoticed where no check reads (a free page's stale bytes).
    REQUIRE(refused > 150);
}

TEST_CASE("flipped bytes in the log recover a committed state or are reported", "[pager][corruption]") {
    std::mt19937_64 rng(2);
    int recovered = 0;
    for (int round = 0; round < 200; ++round) {
        memory_fs fs;
        testing::page_workload work(1000 + round);
        build(fs, work, 8, true);
        flip(fs, "c.db-wal", rng, 1);
        // A damaged frame ends recovery at the commit before it: the state
        // is an earlier committed one, which verify() checks exactly.
        if (open_and_verify(fs, work) == outcome::recovered) ++recovered;
    }
    REQUIRE(recovered > 0);
}

TEST_CASE("a truncated database file is reported as corruption", "[pager][corruption]") {
    memory_fs fs;
    testing::page_workload work(3);
    build(fs, work, 8, false);
    auto bytes = fs.contents("c.db");
    bytes.resize(bytes.size() - 4096 - 100);
    fs.remove("c.db");
    fs.open("c.db", open_mode::read_write_create).write_at(0, bytes);
    REQUIRE(open_and_verify(fs, work) == outcome::refused);
}
