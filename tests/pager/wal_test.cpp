// One test per log edge case, in the manner of LevelDB's log_test.
#include "pager/workload.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/fault_file.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "support/catch.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace sqlitegraph;

namespace {
using mem_pager = pager<store_policies<memory_fs>>;
constexpr std::size_t page = 4096;
// Frame i is page i + 1 of the log (the first page holds the header).
std::size_t frame_at(std::size_t i) { return static_cast<std::size_t>(wal_frame_offset(i, page)); }

pager_options no_auto_checkpoint() {
    pager_options options;
    options.checkpoint_threshold_bytes = 0;
    return options;
}

void overwrite_log(memory_fs& fs, const std::vector<std::byte>& bytes, const std::string& name = "a.db") {
    fs.remove(name + "-wal");
    fs.open(name + "-wal", open_mode::read_write_create).write_at(0, bytes);
}

// Closes db as a crash would: the files keep the bytes they have now, not
// what close() would checkpoint into them. With cut_log_at_frames, the
// zeroed space the pager prepares ahead of the frames is dropped, so that a
// test can cut the log at its real end.
void crash_close(memory_fs& fs, std::unique_ptr<mem_pager>& db, const std::string& name = "a.db",
                 bool cut_log_at_frames = false) {
    auto main_bytes = fs.contents(name);
    auto log_bytes = fs.contents(name + "-wal");
    if (cut_log_at_frames) log_bytes.resize(frame_at(db->stats().log_frames));
    db.reset();
    fs.remove(name);
    fs.open(name, open_mode::read_write_create).write_at(0, main_bytes);
    overwrite_log(fs, log_bytes, name);
}

// Runs n workload transactions and leaves the files as a crash would (the
// pager is never closed, so nothing is checkpointed).
void run_without_close(memory_fs& fs, testing::page_workload& work, int n, const std::string& name = "a.db") {
    auto db = std::make_unique<mem_pager>(name, no_auto_checkpoint(), fs);
    for (int i = 0; i < n; ++i)
        work.run(*db);
    crash_close(fs, db, name, true);
}

void write_value(mem_pager& db, page_id id, std::uint64_t value) {
    auto tx = db.begin_write();
    store_le<std::uint64_t>(tx.write(id).data() + page_header_size, value);
    tx.commit();
}

// Allocates one page in a commit of its own and returns its id.
template <class Pager> page_id allocate_page(Pager& db) {
    auto tx = db.begin_write();
    const page_id id = tx.allocate(page_type::meta).id();
    tx.commit();
    return id;
}

std::uint64_t read_value(mem_pager& db, page_id id) {
    auto r = db.begin_read();
    return load_le<std::uint64_t>(r.read(id).data() + page_header_size);
}

// Frame count of the last transaction: the frames after the previous commit marker.
std::size_t frames_in_log(const std::vector<std::byte>& log) {
    return log.size() / page - 1;
}

std::size_t last_commit_start(const std::vector<std::byte>& log) {
    const auto n = frames_in_log(log);
    std::size_t start = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        if (load_le<std::uint32_t>(log.data() + frame_at(i) + wal_commit_offset) != 0) start = i + 1;
    }
    return start;
}
} // namespace

TEST_CASE("log: an empty log recovers the main file as it is", "[pager][wal]") {
    memory_fs fs;
    testing::page_workload work(1);
    {
        mem_pager db("a.db", {}, fs);
        work.run(db);
        work.run(db);
    } // closed: checkpointed, log reset; its prepared space is kept
    REQUIRE(fs.contents("a.db-wal").size() > wal_header_size);
    mem_pager db("a.db", {}, fs);
    REQUIRE(db.stats().log_frames == 0); // the frames left behind are of the old generation
    REQUIRE(work.verify(db) == 2);
    fs.remove("a.db-wal"); // a missing log is an empty log too
}

TEST_CASE("log: a missing log file is an empty log", "[pager][wal]") {
    memory_fs fs;
    testing::page_workload work(2);
    {
        mem_pager db("a.db", {}, fs);
        work.run(db);
    }
    fs.remove("a.db-wal");
    mem_pager db("a.db", {}, fs);
    REQUIRE(work.verify(db) == 1);
}

TEST_CASE("log: a torn frame at the tail drops only the last transaction", "[pager][wal]") {
    memory_fs fs;
    testing::page_workload work(3);
    run_without_close(fs, work, 3);
    auto log = fs.contents("a.db-wal");
    log.resize(log.size() - 100); // the commit frame is torn
    overwrite_log(fs, log);
    mem_pager db("a.db", {}, fs);
    REQUIRE(work.verify(db) == 2);
}

TEST_CASE("log: a bad checksum in the middle stops recovery at the commit before it", "[pager][wal]") {
    memory_fs fs;
    testing::page_workload work(4);
    run_without_close(fs, work, 5);
    auto log = fs.contents("a.db-wal");
    // Damage the first frame of the third transaction; later, valid frames
    // must not be trusted either.
    std::size_t frame = 0, commits = 0;
    while (commits < 2) {
        if (load_le<std::uint32_t>(log.data() + frame_at(frame) + wal_commit_offset) != 0) ++commits;
        ++frame;
    }
    SECTION("in the page content (the page checksum catches it)") {
        log[frame_at(frame) + page_header_size + 50] ^= std::byte{0xFF};
    }
    SECTION("in the frame's log fields (the chained checksum catches it)") {
        log[frame_at(frame) + wal_commit_offset] ^= std::byte{0x01};
    }
    SECTION("in the page checksum itself") {
        log[frame_at(frame) + page_checksum_offset] ^= std::byte{0x01};
    }
    overwrite_log(fs, log);
    mem_pager db("a.db", {}, fs);
    REQUIRE(work.verify(db) == 2);
}

TEST_CASE("log: frames with the salt of an earlier generation are ignored", "[pager][wal]") {
    memory_fs fs;
    testing::page_workload work(5);
    {
        mem_pager db("a.db", no_auto_checkpoint(), fs);
        for (int i = 0; i < 4; ++i)
            work.run(db);
        const auto old_frames = frames_in_log(fs.contents("a.db-wal"));
        db.checkpoint(); // resets the log with new salts but keeps the file
        work.run(db);    // one transaction in the new generation
        const auto log = fs.contents("a.db-wal");
        // The old generation's later frames are still in the file, behind
        // the new transaction, exactly as a crash would leave them.
        REQUIRE(frames_in_log(log) == old_frames);
        REQUIRE(db.stats().log_frames < old_frames);
        fs.open("saved.db", open_mode::read_write_create).write_at(0, fs.contents("a.db"));
        fs.open("saved.db-wal", open_mode::read_write_create).write_at(0, log);
    }
    mem_pager db("saved.db", {}, fs);
    REQUIRE(work.verify(db) == 5);
}

TEST_CASE("log: a transaction without its commit frame is not visible", "[pager][wal]") {
    memory_fs fs;
    testing::page_workload work(6);
    run_without_close(fs, work, 3);
    auto log = fs.contents("a.db-wal");
    // Keep every frame of the last transaction but its commit frame.
    log.resize(log.size() - page);
    REQUIRE(frames_in_log(log) > last_commit_start(fs.contents("a.db-wal")));
    overwrite_log(fs, log);
    mem_pager db("a.db", {}, fs);
    REQUIRE(work.verify(db) == 2);
}

TEST_CASE("log: a log longer than the database extends it on recovery", "[pager][wal]") {
    memory_fs fs;
    testing::page_workload work(7, 400);
    run_without_close(fs, work, 40);
    const auto main_pages = fs.contents("a.db").size() / page;
    mem_pager db("a.db", {}, fs);
    REQUIRE(db.stats().page_count > main_pages); // pages that live only in the log
    REQUIRE(work.verify(db) == 40);
    db.checkpoint();
    REQUIRE(fs.contents("a.db").size() / page >= db.stats().page_count);
    REQUIRE(work.verify(db) == 40);
}

TEST_CASE("log: a torn log header means an empty log", "[pager][wal]") {
    memory_fs fs;
    testing::page_workload work(8);
    {
        mem_pager db("a.db", {}, fs);
        work.run(db);
    } // the main file has everything
    auto log = fs.contents("a.db-wal");
    log[3] ^= std::byte{0x40};
    overwrite_log(fs, log);
    mem_pager db("a.db", {}, fs);
    REQUIRE(work.verify(db) == 1);
}

TEST_CASE("log: a checkpoint interrupted at each step recovers every commit", "[pager][wal]") {
    // Count the mutations of one checkpoint, then crash at each of them.
    auto prepare = [](fault_fs& fs, testing::page_workload& work) {
        auto db = std::make_unique<pager<store_policies<fault_fs>>>("a.db", no_auto_checkpoint(), fs);
        for (int i = 0; i < 6; ++i)
            work.run(*db);
        return db;
    };
    std::uint64_t checkpoint_mutations;
    {
        fault_fs fs;
        testing::page_workload work(9);
        auto db = prepare(fs, work);
        const auto before = fs.mutations();
        db->checkpoint();
        checkpoint_mutations = fs.mutations() - before;
    }
    REQUIRE(checkpoint_mutations >= 4); // page writes, main sync, header write, log sync
    for (std::uint64_t step = 1; step <= checkpoint_mutations; ++step) {
        for (std::uint64_t seed = 0; seed < 4; ++seed) {
            fault_fs fs;
            testing::page_workload work(9);
            {
                auto db = prepare(fs, work);
                fs.crash_after(step);
                REQUIRE_THROWS_AS(db->checkpoint(), simulated_crash);
            }
            fs.crash(seed);
            pager<store_policies<fault_fs>> db("a.db", {}, fs);
            INFO("crash at checkpoint step " << step << ", seed " << seed);
            REQUIRE(work.verify(db) == 6);
        }
    }
}

namespace {
// Commits `n` transactions that each rewrite one existing page (no
// allocation, no root change): the kind that does not log the superblock.
void rewrite_page(pager<store_policies<fault_fs>>& db, page_id id, int n) {
    for (int i = 0; i < n; ++i) {
        auto tx = db.begin_write();
        store_le<std::uint64_t>(tx.write(id).data() + page_header_size, static_cast<std::uint64_t>(i));
        tx.commit();
    }
}
} // namespace

TEST_CASE("log: a commit that changes only data pages logs one frame", "[pager][wal]") {
    memory_fs fs;
    mem_pager db("a.db", no_auto_checkpoint(), fs);
    const page_id id = allocate_page(db);
    REQUIRE(db.stats().log_frames == 2); // an allocation changes the page count: the superblock is logged
    const auto counter = db.stats().change_counter;
    {
        auto tx = db.begin_write();
        tx.write(id);
        tx.commit();
    }
    REQUIRE(db.stats().log_frames == 3);
    REQUIRE(db.stats().change_counter == counter + 1);
    {
        auto tx = db.begin_write();
        tx.write(id);
        tx.set_root("r", 5);
        tx.commit();
    }
    REQUIRE(db.stats().log_frames == 5); // a root changed: the superblock is logged again
}

TEST_CASE("log: the change counter counts unlogged commits across crashes and checkpoints", "[pager][wal]") {
    using fault_pager = pager<store_policies<fault_fs>>;
    auto prepare = [](fault_fs& fs) {
        auto db = std::make_unique<fault_pager>("a.db", no_auto_checkpoint(), fs);
        const page_id id = allocate_page(*db);
        rewrite_page(*db, id, 5);
        return std::pair{std::move(db), id};
    };
    std::uint64_t expected;
    std::uint64_t checkpoint_mutations;
    {
        fault_fs fs;
        auto [db, id] = prepare(fs);
        expected = db->stats().change_counter;
        REQUIRE(expected == 6);
        const auto before = fs.mutations();
        db->checkpoint();
        checkpoint_mutations = fs.mutations() - before;
        REQUIRE(db->stats().log_frames == 0); // the log was reset
        REQUIRE(db->stats().change_counter == expected);
        rewrite_page(*db, id, 2); // and counting goes on after the reset
        REQUIRE(db->stats().change_counter == expected + 2);
    }
    SECTION("reopen without a checkpoint") {
        fault_fs fs;
        { auto prepared = prepare(fs); }
        fs.crash(1);
        fault_pager db("a.db", {}, fs);
        REQUIRE(db.stats().change_counter == expected);
    }
    SECTION("a crash at every step of the checkpoint") {
        for (std::uint64_t step = 1; step <= checkpoint_mutations; ++step) {
            fault_fs fs;
            {
                auto [db, id] = prepare(fs);
                fs.crash_after(step);
                REQUIRE_THROWS_AS(db->checkpoint(), simulated_crash);
            }
            fs.crash(step);
            fault_pager db("a.db", {}, fs);
            INFO("crash at checkpoint step " << step);
            REQUIRE(db.stats().change_counter == expected);
            REQUIRE(db.check().ok());
        }
    }
    SECTION("close and reopen") {
        fault_fs fs;
        {
            auto [db, id] = prepare(fs);
            db->close();
        }
        fault_pager db("a.db", {}, fs);
        REQUIRE(db.stats().change_counter == expected);
        REQUIRE(db.stats().log_frames == 0);
    }
}

TEST_CASE("log: a frame is exactly one page image at a page-aligned offset", "[pager][wal]") {
    memory_fs fs;
    testing::page_workload work(8);
    run_without_close(fs, work, 2);
    const auto log = fs.contents("a.db-wal");
    wal_header header;
    REQUIRE(decode_wal_header<crc32c>(log, header));
    const auto frames = frames_in_log(log);
    REQUIRE(frames >= 2);
    std::uint64_t chain = header.checksum;
    for (std::size_t i = 0; i < frames; ++i) {
        REQUIRE(frame_at(i) % page == 0);
        std::span<const std::byte> image(log.data() + frame_at(i), page);
        wal_frame_header frame;
        REQUIRE(decode_wal_frame<crc32c>(image, header, chain, frame));
        // The image verifies as the page it names: the log fields are outside the page checksum.
        verify_page<crc32c>(image.data(), page, frame.page, "test");
        chain = frame.checksum;
    }
}

TEST_CASE("log: a commit far over the checkpoint threshold is checkpointed and the log cut back to its working size",
          "[pager][wal]") {
    memory_fs fs;
    constexpr std::size_t big = 2000; // 7.8 MiB of frames: over the 4 MiB threshold plus the 1 MiB step
    const std::size_t working = frame_at(0) + pager_options{}.checkpoint_threshold_bytes + (1u << 20);
    std::vector<page_id> ids;
    {
        mem_pager db("a.db", pager_options{}, fs); // default threshold: 4 MiB
        {
            auto tx = db.begin_write();
            for (std::size_t i = 0; i < big; ++i)
                ids.push_back(tx.allocate(page_type::meta).id());
            tx.commit(); // appended pages: straight to the main file (next test)
        }
        REQUIRE(db.stats().log_resets == 0);
        {
            auto tx = db.begin_write(); // rewrites: every one logged
            for (std::size_t i = 0; i < big; ++i)
                store_le<std::uint64_t>(tx.write(ids[i]).data() + page_header_size, 1000 + i);
            tx.commit();
        }
        REQUIRE(db.stats().log_resets == 1);
        REQUIRE(db.stats().log_frames == 0);
        // Cut back: no 7.8 MiB left behind, and the working size prepared
        // again (zeros past the header) so that the next small commit does
        // not have to.
        const auto cut = fs.contents("a.db-wal");
        REQUIRE(cut.size() == working);
        REQUIRE(std::all_of(cut.begin() + static_cast<std::ptrdiff_t>(frame_at(0)), cut.end(),
                            [](std::byte b) { return b == std::byte{0}; }));
        {
            auto tx = db.begin_write();
            store_le<std::uint64_t>(tx.write(ids[7]).data() + page_header_size, 77);
            tx.commit();
        }
        REQUIRE(db.stats().log_frames == 1);
        REQUIRE(fs.contents("a.db-wal").size() == working);
        db.checkpoint();
        REQUIRE(db.stats().log_resets == 2);
        REQUIRE(fs.contents("a.db-wal").size() == working); // under the limit: kept
    }
    mem_pager db("a.db", no_auto_checkpoint(), fs);
    auto r = db.begin_read();
    for (std::size_t i = 0; i < big; ++i)
        REQUIRE(load_le<std::uint64_t>(r.read(ids[i]).data() + page_header_size) == (i == 7 ? 77 : 1000 + i));
}

TEST_CASE("log: frames left past a torn frame cannot chain back in behind a replayed transaction", "[pager][wal]") {
    memory_fs fs;
    page_id a, b;
    std::size_t lost_frame;
    {
        auto db = std::make_unique<mem_pager>("a.db", no_auto_checkpoint(), fs);
        {
            auto tx = db->begin_write();
            a = tx.allocate(page_type::meta).id();
            b = tx.allocate(page_type::meta).id();
            tx.commit();
        }
        write_value(*db, a, 1);                 // one frame each: data pages only
        lost_frame = db->stats().log_frames;
        write_value(*db, a, 2);                 // lost in the crash below
        write_value(*db, b, 3);                 // survives it, cut off by the lost frame
        crash_close(fs, db);
    }
    auto log = fs.contents("a.db-wal");
    std::fill_n(log.begin() + static_cast<std::ptrdiff_t>(frame_at(lost_frame)), page, std::byte{0});
    log.resize(9u << 20); // a long tail, as a crash in a bulk commit leaves
    overwrite_log(fs, log);
    {
        auto db = std::make_unique<mem_pager>("a.db", no_auto_checkpoint(), fs);
        REQUIRE(read_value(*db, a) == 1);
        REQUIRE(read_value(*db, b) == 0);
        write_value(*db, a, 2); // the lost transaction again, byte for byte
        // The tail was cut back to the committed frames, then the log
        // prepared again to its working size.
        CHECK(fs.contents("a.db-wal").size() == frame_at(0) + (5u << 20));
        crash_close(fs, db);
    }
    mem_pager db("a.db", no_auto_checkpoint(), fs);
    CHECK(read_value(db, a) == 2);
    CHECK(read_value(db, b) == 0); // the old write to b was never acknowledged again
    const std::vector<page_id> used{a, b};
    const auto report = db.check(used);
    for (const auto& problem : report.problems)
        UNSCOPED_INFO(problem);
    CHECK(report.ok());
}

TEST_CASE("log: the first commit prepares the log's working size, which later commits and a reopen reuse",
          "[pager][wal]") {
    memory_fs fs;
    const pager_options options; // default threshold: 4 MiB
    const std::size_t working = frame_at(0) + options.checkpoint_threshold_bytes + (1u << 20);
    page_id id;
    {
        mem_pager db("a.db", options, fs);
        id = allocate_page(db);
        REQUIRE(fs.contents("a.db-wal").size() == working); // one zeroing, not one per 1 MiB
        for (int i = 0; i < 400; ++i) // 1.6 MiB of frames, under the threshold
            write_value(db, id, 1000 + static_cast<std::uint64_t>(i));
        REQUIRE(db.stats().log_frames == 402);
        REQUIRE(fs.contents("a.db-wal").size() == working);
    } // closed: checkpointed and reset, the prepared space kept
    REQUIRE(fs.contents("a.db-wal").size() == working);
    mem_pager db("a.db", options, fs);
    REQUIRE(db.stats().log_frames == 0);
    REQUIRE(read_value(db, id) == 1399);
    write_value(db, id, 7);
    REQUIRE(db.stats().log_frames == 1);
    REQUIRE(fs.contents("a.db-wal").size() == working);
}

namespace {
using fault_pager = pager<store_policies<fault_fs>>;

// Appends `count` pages in one transaction, page i holding base + i; the
// values are recorded in `pages` (page -> value).
// With spill, each page is handed to write_txn::spill as soon as it is
// written (a bulk load's finished pages), and then the first one is read
// back and the second changed again (to base + 1 once more) in the
// same transaction.
std::vector<page_id> append_pages(fault_pager& db, std::size_t count, std::map<page_id, std::uint64_t>& pages,
                                  std::uint64_t base = 5000, bool spill = false) {
    std::vector<page_id> ids;
    auto tx = db.begin_write();
    for (std::size_t i = 0; i < count; ++i) {
        auto p = tx.allocate(page_type::meta);
        store_le<std::uint64_t>(p.data() + page_header_size, base + i);
        ids.push_back(p.id());
        if (spill) tx.spill(p.id());
    }
    if (spill && count >= 2) {
        REQUIRE(load_le<std::uint64_t>(tx.read(ids[0]).data() + page_header_size) == base);
        auto again = tx.write(ids[1]);
        store_le<std::uint64_t>(again.data() + page_header_size, 1);
        store_le<std::uint64_t>(again.data() + page_header_size, base + 1);
    }
    tx.commit();
    for (std::size_t i = 0; i < count; ++i)
        pages[ids[i]] = base + i;
    return ids;
}

// A few small logged commits: three of four new pages, then a rewrite.
std::map<page_id, std::uint64_t> small_commits(fault_pager& db) {
    std::map<page_id, std::uint64_t> pages;
    for (std::uint64_t k = 0; k < 3; ++k)
        append_pages(db, 4, pages, 100 * (k + 1));
    auto tx = db.begin_write();
    const page_id first = pages.begin()->first;
    store_le<std::uint64_t>(tx.write(first).data() + page_header_size, 999);
    tx.commit();
    pages[first] = 999;
    return pages;
}

// Every page holds its value, and the pages are exactly these plus the free list.
void require_pages(fault_pager& db, const std::map<page_id, std::uint64_t>& pages) {
    auto r = db.begin_read();
    std::vector<page_id> used;
    for (const auto& [id, value] : pages) {
        REQUIRE(load_le<std::uint64_t>(r.read(id).data() + page_header_size) == value);
        used.push_back(id);
    }
    const auto report = db.check(used, true);
    for (const auto& problem : report.problems)
        UNSCOPED_INFO(problem);
    REQUIRE(report.ok());
}

struct append_run {
    std::uint64_t mutations = 0; // writes and syncs of the append, small_commits done
    std::uint64_t direct_pages = 0;
};

// Runs append_pages(count, spill) after small_commits once to count its
// writes and syncs, then crashes it after each of them, losing each of four
// seeds' choice of unsynced writes: every recovery holds the state before
// the append (and a new append then takes the same pages again) or after
// it, and both occur. Returns the uncrashed run's counts.
append_run require_before_or_after_each_crash(std::size_t count, bool spill) {
    append_run run;
    std::uint32_t old_count;
    {
        fault_fs fs;
        fault_pager db("a.db", no_auto_checkpoint(), fs);
        auto pages = small_commits(db);
        old_count = db.stats().page_count;
        const auto before = fs.mutations();
        append_pages(db, count, pages, 5000, spill);
        run.mutations = fs.mutations() - before;
        run.direct_pages = db.stats().direct_pages;
    }
    std::size_t before_states = 0, after_states = 0;
    const auto mutations = run.mutations;
    for (std::uint64_t step = 1; step <= mutations; ++step) {
        for (std::uint64_t seed = 0; seed < 4; ++seed) {
            fault_fs fs;
            std::map<page_id, std::uint64_t> pages;
            {
                fault_pager db("a.db", no_auto_checkpoint(), fs);
                pages = small_commits(db);
                fs.crash_after(step);
                auto attempted = pages;
                REQUIRE_THROWS_AS(append_pages(db, count, attempted, 5000, spill), simulated_crash);
            }
            fs.crash(seed);
            fault_pager db("a.db", {}, fs);
            INFO("crash at commit step " << step << ", seed " << seed);
            if (db.stats().page_count == old_count) {
                ++before_states;
                require_pages(db, pages);
                // The pages written before the crash lie past the page count
                // and are taken again: a new append overwrites them.
                const auto ids = append_pages(db, count, pages, 8000);
                REQUIRE(ids.front() == old_count);
            } else {
                ++after_states;
                REQUIRE(db.stats().page_count == old_count + count);
                for (page_id id = old_count; id < old_count + count; ++id)
                    pages[id] = 5000 + (id - old_count);
            }
            require_pages(db, pages);
        }
    }
    REQUIRE(before_states > 0);
    REQUIRE(after_states > 0);
    return run;
}
} // namespace

TEST_CASE("log: a commit appending many pages writes them to the main file once, not to the log", "[pager][wal]") {
    fault_fs fs;
    std::map<page_id, std::uint64_t> pages;
    {
        fault_pager db("a.db", no_auto_checkpoint(), fs);
        pages = small_commits(db);
        const auto frames = db.stats().log_frames;
        auto reader = db.begin_read(); // a snapshot from before: its page count excludes the new pages
        const auto old_count = reader.page_count();
        const auto ids = append_pages(db, 300, pages);
        REQUIRE(db.stats().direct_pages == 300);
        REQUIRE(db.stats().log_frames == frames + 1); // the superblock alone, with the commit marker
        REQUIRE(ids.front() == old_count);
        REQUIRE(reader.page_count() == old_count);
        require_pages(db, pages);
        // Fewer appended pages than append_direct_min are logged as before.
        append_pages(db, 10, pages, 7000);
        REQUIRE(db.stats().direct_pages == 300);
        REQUIRE(db.stats().log_frames == frames + 1 + 11);
    }
    fs.crash(3); // power loss after close: only synced bytes survive
    fault_pager db("a.db", {}, fs);
    require_pages(db, pages);
}

TEST_CASE("log: a commit appending many pages, interrupted at each write, recovers the state before or after it",
          "[pager][wal]") {
    const auto run = require_before_or_after_each_crash(600, false); // three gathered runs of up to 256 pages
    CHECK(run.direct_pages == 600);
    CHECK(run.mutations >= 6); // 3 main writes, main sync, log frame, zeros, log sync
}

TEST_CASE("log: a reset keeps each logged page's newest cached image, as its main-file version", "[pager][wal]") {
    memory_fs fs;
    mem_pager db("a.db", no_auto_checkpoint(), fs);
    page_id a, b;
    {
        auto tx = db.begin_write();
        a = tx.allocate(page_type::meta).id();
        b = tx.allocate(page_type::meta).id();
        tx.commit();
    }
    write_value(db, a, 1);
    {
        // A reader of version 1 keeps it cached while version 2 commits.
        auto reader = db.begin_read();
        write_value(db, a, 2); // two versions of a in the log, both cached
    }
    write_value(db, b, 3);
    REQUIRE(db.stats().cached_pages >= 4);
    db.checkpoint();
    REQUIRE(db.stats().log_resets == 1);
    REQUIRE(db.stats().log_frames == 0);
    // Only the newest version of each page stays: a, b and the superblock's.
    REQUIRE(db.stats().cached_pages == 3);
    const auto misses = db.stats().cache.misses;
    REQUIRE(read_value(db, a) == 2);
    REQUIRE(read_value(db, b) == 3);
    REQUIRE(db.stats().cache.misses == misses); // read from the cache, not the file
    // Writes after the reset start from those images and log new versions.
    write_value(db, a, 4);
    REQUIRE(read_value(db, a) == 4);
    db.close();
    mem_pager reopened("a.db", no_auto_checkpoint(), fs);
    REQUIRE(read_value(reopened, a) == 4);
    REQUIRE(read_value(reopened, b) == 3);
}

TEST_CASE("log: a commit drops its pages' previous cached versions unless a reader may still ask for them",
          "[pager][wal]") {
    memory_fs fs;
    mem_pager db("a.db", no_auto_checkpoint(), fs);
    const page_id a = allocate_page(db);
    write_value(db, a, 1);
    const auto cached = db.stats().cached_pages;
    // No reader: each commit's version of a replaces the one before it in
    // the cache, which does not grow.
    for (std::uint64_t v = 2; v <= 20; ++v) {
        write_value(db, a, v);
        REQUIRE(db.stats().cached_pages == cached);
    }
    REQUIRE(read_value(db, a) == 20);
    // A reader registered before a commit still finds its version there.
    auto reader = db.begin_read();
    write_value(db, a, 21);
    REQUIRE(db.stats().cached_pages == cached + 1);
    const auto misses = db.stats().cache.misses;
    REQUIRE(load_le<std::uint64_t>(reader.read(a).data() + page_header_size) == 20);
    REQUIRE(db.stats().cache.misses == misses);
    reader.end();
    REQUIRE(read_value(db, a) == 21);
    db.close();
    mem_pager reopened("a.db", no_auto_checkpoint(), fs);
    REQUIRE(read_value(reopened, a) == 21);
}

TEST_CASE("log: pages spilled before their commit are in the main file once it commits, and nowhere after a rollback",
          "[pager][wal]") {
    fault_fs fs;
    std::map<page_id, std::uint64_t> pages;
    page_id first_spilled;
    std::uint32_t count_before;
    {
        fault_pager db("a.db", no_auto_checkpoint(), fs);
        pages = small_commits(db);
        count_before = db.stats().page_count;
        {
            // Rolled back: the page count stays, and the pages are taken again.
            auto tx = db.begin_write();
            for (int i = 0; i < 50; ++i) {
                auto p = tx.allocate(page_type::meta);
                store_le<std::uint64_t>(p.data() + page_header_size, 777);
                tx.spill(p.id());
            }
            tx.rollback();
        }
        REQUIRE(db.stats().page_count == count_before);
        const auto frames = db.stats().log_frames;
        const auto ids = append_pages(db, 100, pages, 9000, true); // fewer than append_direct_min
        first_spilled = ids.front();
        REQUIRE(first_spilled == count_before);
        // Only the page changed again after its spill and the superblock are logged.
        REQUIRE(db.stats().log_frames == frames + 2);
        REQUIRE(db.stats().direct_pages == 0);
        require_pages(db, pages);
    }
    fs.crash(1); // what was synced is all there is
    fault_pager db("a.db", {}, fs);
    REQUIRE(db.stats().page_count == count_before + 100);
    require_pages(db, pages);
    REQUIRE(load_le<std::uint64_t>(db.begin_read().read(first_spilled).data() + page_header_size) == 9000);
}

TEST_CASE("log: a commit with spilled pages, interrupted at each write, recovers the state before or after it",
          "[pager][wal]") {
    const auto run = require_before_or_after_each_crash(40, true);
    CHECK(run.direct_pages == 0);
    CHECK(run.mutations >= 43); // 40 spills, main sync, frames, log sync
}
