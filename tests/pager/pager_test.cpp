#include "pager/workload.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/fault_file.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <chrono>
#include <cstring>
#include <future>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace sqlitegraph;
using namespace std::chrono_literals;

namespace {
using mem_pager = pager<store_policies<memory_fs>>;
using posix_pager = pager<store_policies<>>;

std::string error_text(auto&& action, errc expected) {
    try {
        action();
    } catch (const error& e) {
        REQUIRE(e.code() == expected);
        return e.what();
    }
    FAIL("no error was thrown");
    return {};
}

void write_marker(auto& tx, page_id id, std::uint64_t value) {
    auto page = tx.write(id);
    store_le<std::uint64_t>(page.data() + page_header_size, value);
}

std::uint64_t read_marker(auto& tx, page_id id) {
    return load_le<std::uint64_t>(tx.read(id).data() + page_header_size);
}
} // namespace

TEST_CASE("a new database has a superblock and no data pages", "[pager]") {
    memory_fs fs;
    mem_pager db("a.db", {}, fs);
    auto r = db.begin_read();
    REQUIRE(r.page_count() == 1);
    REQUIRE(r.root("anything") == 0);
    REQUIRE(db.check().ok());
}

TEST_CASE("committed pages survive close and reopen", "[pager]") {
    testing::temp_dir dir;
    page_id id;
    {
        posix_pager db(dir.file("db"));
        auto tx = db.begin_write();
        auto page = tx.allocate(page_type::meta);
        id = page.id();
        store_le<std::uint64_t>(page.data() + page_header_size, 4242);
        tx.set_root("answer", id);
        tx.commit();
    }
    posix_pager db(dir.file("db"));
    auto r = db.begin_read();
    REQUIRE(r.root("answer") == id);
    REQUIRE(read_marker(r, id) == 4242);
    const std::vector<page_id> owned{id};
    REQUIRE(db.check(owned, true).ok());
}

TEST_CASE("commits before a close without checkpoint are recovered from the log", "[pager]") {
    memory_fs fs;
    page_id id;
    {
        pager_options options;
        options.checkpoint_threshold_bytes = 0;
        mem_pager db("a.db", options, fs);
        auto tx = db.begin_write();
        id = tx.allocate(page_type::meta).id();
        write_marker(tx, id, 7);
        tx.commit();
        REQUIRE(db.stats().log_frames == 2);
        // Simulate a crash: copy the files as they are, without close().
        fs.open("copy.db", open_mode::read_write_create).write_at(0, fs.contents("a.db"));
        fs.open("copy.db-wal", open_mode::read_write_create).write_at(0, fs.contents("a.db-wal"));
    }
    mem_pager copy("copy.db", {}, fs);
    auto r = copy.begin_read();
    REQUIRE(read_marker(r, id) == 7);
}

TEST_CASE("rollback and destruction discard a write transaction", "[pager]") {
    memory_fs fs;
    mem_pager db("a.db", {}, fs);
    page_id id;
    {
        auto tx = db.begin_write();
        id = tx.allocate(page_type::meta).id();
        write_marker(tx, id, 1);
        tx.commit();
    }
    {
        auto tx = db.begin_write();
        write_marker(tx, id, 2);
        tx.set_root("x", 5);
        tx.rollback();
        REQUIRE_FALSE(tx.active());
        REQUIRE_THROWS_AS(tx.write(id), error);
    }
    {
        auto tx = db.begin_write();
        write_marker(tx, id, 3);
        tx.allocate(page_type::meta);
    } // destroyed without commit
    auto r = db.begin_read();
    REQUIRE(read_marker(r, id) == 1);
    REQUIRE(r.root("x") == 0);
    REQUIRE(r.page_count() == 2);
}

TEST_CASE("a reader keeps its snapshot while the writer commits", "[pager]") {
    memory_fs fs;
    mem_pager db("a.db", {}, fs);
    page_id id;
    {
        auto tx = db.begin_write();
        id = tx.allocate(page_type::meta).id();
        write_marker(tx, id, 10);
        tx.commit();
    }
    auto before = db.begin_read();
    for (std::uint64_t v = 11; v < 20; ++v) {
        auto tx = db.begin_write();
        write_marker(tx, id, v);
        tx.commit();
        db.checkpoint(); // must not copy what the reader still needs
    }
    REQUIRE(read_marker(before, id) == 10);
    auto after = db.begin_read();
    REQUIRE(read_marker(after, id) == 19);
    before.end();
    after.end();
    db.checkpoint();
    REQUIRE(db.stats().log_frames == 0); // reset once nobody reads the old frames
    auto fresh = db.begin_read();
    REQUIRE(read_marker(fresh, id) == 19);
}

TEST_CASE("freed pages are reused and every page is accounted once", "[pager]") {
    memory_fs fs;
    mem_pager db("a.db", {}, fs);
    std::vector<page_id> pages;
    {
        auto tx = db.begin_write();
        for (int i = 0; i < 2000; ++i)
            pages.push_back(tx.allocate(page_type::meta).id());
        tx.commit();
    }
    REQUIRE(db.check(pages, true).ok());
    {
        auto tx = db.begin_write();
        for (std::size_t i = 0; i < pages.size(); i += 2)
            tx.release(pages[i]);
        tx.commit();
    }
    std::vector<page_id> kept;
    for (std::size_t i = 1; i < pages.size(); i += 2)
        kept.push_back(pages[i]);
    auto report = db.check(kept, true);
    REQUIRE(report.ok());
    REQUIRE(report.free_pages == 1000);
    const auto count_before = db.stats().page_count;
    {
        auto tx = db.begin_write();
        for (int i = 0; i < 1000; ++i)
            kept.push_back(tx.allocate(page_type::meta).id());
        tx.commit();
    }
    REQUIRE(db.stats().page_count == count_before); // no growth: the free list served every page
    REQUIRE(db.stats().free_pages == 0);
    REQUIRE(db.check(kept, true).ok());
}

TEST_CASE("check reports leaked, double-used and out-of-range pages", "[pager]") {
    memory_fs fs;
    mem_pager db("a.db", {}, fs);
    std::vector<page_id> pages;
    {
        auto tx = db.begin_write();
        for (int i = 0; i < 5; ++i)
            pages.push_back(tx.allocate(page_type::meta).id());
        tx.release(pages[0]);
        tx.commit();
    }
    const std::vector<page_id> missing_one{pages[1], pages[2], pages[3]};
    auto leaked = db.check(missing_one, true);
    REQUIRE_FALSE(leaked.ok());
    REQUIRE(leaked.problems.front().find("leaked") != std::string::npos);
    const std::vector<page_id> free_and_used{pages[0], pages[1], pages[2], pages[3], pages[4]};
    REQUIRE_FALSE(db.check(free_and_used, true).ok());
    const std::vector<page_id> out_of_range{999};
    REQUIRE_FALSE(db.check(out_of_range).ok());
}

TEST_CASE("roots are stored in the superblock and validated", "[pager]") {
    memory_fs fs;
    mem_pager db("a.db", {}, fs);
    auto tx = db.begin_write();
    tx.set_root("node_index", 12);
    tx.set_root("kv", 99);
    tx.erase_root("kv");
    REQUIRE(error_text([&] { tx.set_root("", 1); }, errc::invalid_argument).find("root name") != std::string::npos);
    REQUIRE_THROWS_AS(tx.set_root(std::string(30, 'x'), 1), error);
    tx.commit();
    auto r = db.begin_read();
    REQUIRE(r.root("node_index") == 12);
    REQUIRE(r.root("kv") == 0);
}

TEST_CASE("opening with another page size, checksum or codec names both values", "[pager]") {
    memory_fs fs;
    { mem_pager db("a.db", {}, fs); }
    using other_page = pager<store_policies<memory_fs, page_size<8192>>>;
    auto text = error_text([&] { other_page db("a.db", {}, fs); }, errc::format_mismatch);
    REQUIRE(text.find("4096") != std::string::npos);
    REQUIRE(text.find("8192") != std::string::npos);
    using other_sum = pager<store_policies<memory_fs, xxh3_64>>;
    text = error_text([&] { other_sum db("a.db", {}, fs); }, errc::format_mismatch);
    REQUIRE(text.find("crc32c") != std::string::npos);
    REQUIRE(text.find("xxh3_64") != std::string::npos);
#if defined(SQLITEGRAPH_WITH_ZSTD)
    using other_codec = pager<store_policies<memory_fs, zstd_codec>>;
    text = error_text([&] { other_codec db("a.db", {}, fs); }, errc::format_mismatch);
    REQUIRE(text.find("identity") != std::string::npos);
    REQUIRE(text.find("zstd") != std::string::npos);
#endif
    mem_pager db("a.db", {}, fs); // the right instantiation still opens it
    REQUIRE(db.check().ok());
}

TEST_CASE("a file that is not a database is refused with a clear error", "[pager]") {
    memory_fs fs;
    auto f = fs.open("text.db", open_mode::read_write_create);
    const std::string junk = "this is a plain text file, not a graph database at all";
    f.write_at(0, {reinterpret_cast<const std::byte*>(junk.data()), junk.size()});
    auto text = error_text([&] { mem_pager db("text.db", {}, fs); }, errc::corruption);
    REQUIRE(text.find("not a sqlitegraph database") != std::string::npos);
    REQUIRE(fs.contents("text.db").size() == junk.size()); // untouched
}

TEST_CASE("a file of format version 1 is refused naming both versions, and left as it is", "[pager]") {
    // Version 1 had a 16-byte page header: magic at 16, version at 24.
    memory_fs fs;
    std::vector<std::byte> page(4096);
    page[0] = std::byte{1}; // superblock page type
    std::memcpy(page.data() + superblock_v1_magic_offset, superblock_magic, sizeof superblock_magic);
    store_le<std::uint32_t>(page.data() + superblock_v1_magic_offset + 8, 1);
    store_le<std::uint32_t>(page.data() + superblock_v1_magic_offset + 12, 4096);
    fs.open("v1.db", open_mode::read_write_create).write_at(0, page);
    auto text = error_text([&] { mem_pager db("v1.db", {}, fs); }, errc::format_mismatch);
    REQUIRE(text.find("format version 1") != std::string::npos);
    REQUIRE(text.find("reads version " + std::to_string(format_version)) != std::string::npos);
    REQUIRE(fs.contents("v1.db") == page);
}

TEST_CASE("a missing database is not created when create_if_missing is off", "[pager]") {
    memory_fs fs;
    pager_options options;
    options.create_if_missing = false;
    REQUIRE(error_text([&] { mem_pager db("none.db", options, fs); }, errc::not_found).find("none.db") !=
            std::string::npos);
    REQUIRE_FALSE(fs.exists("none.db"));
}

TEST_CASE("a second open of a database is refused through the file lock", "[pager]") {
    testing::temp_dir dir;
    posix_pager first(dir.file("db"));
    auto text = error_text([&] { posix_pager second(dir.file("db")); }, errc::busy);
    REQUIRE(text.find("locked") != std::string::npos);
    first.close();
    posix_pager third(dir.file("db")); // the lock went with the first handle
}

TEST_CASE("a second process is refused through the file lock", "[pager]") {
    testing::temp_dir dir;
    posix_pager db(dir.file("db"));
    const pid_t child = ::fork();
    if (child == 0) {
        try {
            posix_pager other(dir.file("db"));
            ::_exit(0); // opened: wrong
        } catch (const error& e) {
            ::_exit(e.code() == errc::busy ? 42 : 1);
        } catch (...) {
            ::_exit(2);
        }
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 42);
}

TEST_CASE("a second writer waits for the timeout and then gets busy", "[pager]") {
    memory_fs fs;
    mem_pager db("a.db", {}, fs);
    auto tx = db.begin_write();
    auto waited = std::async(std::launch::async, [&] {
        const auto start = std::chrono::steady_clock::now();
        try {
            db.begin_write(50ms);
        } catch (const error& e) {
            REQUIRE(e.code() == errc::busy);
            return std::chrono::steady_clock::now() - start;
        }
        return std::chrono::steady_clock::duration::zero();
    });
    const auto elapsed = waited.get();
    REQUIRE(elapsed >= 50ms);
    // The same thread asking again is told at once instead of deadlocking.
    REQUIRE(error_text([&] { db.begin_write(); }, errc::busy).find("this thread") != std::string::npos);
    tx.rollback();
    auto next = std::async(std::launch::async, [&] {
        auto t = db.begin_write(1000ms);
        t.commit();
        return true;
    });
    REQUIRE(next.get());
}

TEST_CASE("a corrupted page is reported with its page id, never returned", "[pager]") {
    memory_fs fs;
    page_id id;
    {
        mem_pager db("a.db", {}, fs);
        auto tx = db.begin_write();
        id = tx.allocate(page_type::meta).id();
        write_marker(tx, id, 5);
        tx.commit();
    } // close checkpoints into the main file
    auto bytes = fs.contents("a.db");
    bytes[id * 4096 + 100] ^= std::byte{0x01};
    fs.open("a.db", open_mode::read_write).write_at(0, bytes);
    mem_pager db("a.db", {}, fs);
    auto r = db.begin_read();
    auto text = error_text([&] { r.read(id); }, errc::corruption);
    REQUIRE(text.find("page " + std::to_string(id)) != std::string::npos);
    r.end();
    const std::vector<page_id> owned{id};
    REQUIRE_FALSE(db.check(owned, true).ok());
}

TEST_CASE("an I/O error during commit leaves the pager failed until reopened", "[pager]") {
    fault_fs fs;
    page_id id;
    {
        pager<store_policies<fault_fs>> db("a.db", {}, fs);
        {
            auto tx = db.begin_write();
            id = tx.allocate(page_type::meta).id();
            write_marker(tx, id, 1);
            tx.commit();
        }
        fs.fail_after(1);
        {
            auto tx = db.begin_write();
            write_marker(tx, id, 2);
            REQUIRE(error_text([&] { tx.commit(); }, errc::io).find("injected") != std::string::npos);
        }
        REQUIRE(db.failed());
        REQUIRE(error_text([&] { db.begin_write(); }, errc::failed_state).find("reopen") != std::string::npos);
        auto r = db.begin_read(); // committed data is still readable
        REQUIRE(read_marker(r, id) == 1);
    }
    pager<store_policies<fault_fs>> db("a.db", {}, fs);
    auto r = db.begin_read();
    REQUIRE(read_marker(r, id) == 1);
    r.end();
    auto tx = db.begin_write();
    write_marker(tx, id, 3);
    tx.commit();
}

TEST_CASE("invalid page ids and released pages are refused", "[pager]") {
    memory_fs fs;
    mem_pager db("a.db", {}, fs);
    auto tx = db.begin_write();
    const auto id = tx.allocate(page_type::meta).id();
    REQUIRE_THROWS_AS(tx.write(0), error);
    REQUIRE_THROWS_AS(tx.write(id + 10), error);
    REQUIRE_THROWS_AS(tx.allocate(page_type::superblock), error);
    tx.release(id);
    REQUIRE(error_text([&] { tx.write(id); }, errc::invalid_argument).find("released") != std::string::npos);
    REQUIRE_THROWS_AS(tx.release(id), error);
    tx.commit();
    REQUIRE(db.check({}, true).ok());
}

TEST_CASE("normal sync mode commits without syncing the log and stays consistent", "[pager]") {
    fault_fs fs;
    pager_options options;
    options.sync = sync_mode::normal;
    options.checkpoint_threshold_bytes = 0;
    testing::page_workload work(3);
    {
        pager<store_policies<fault_fs>> db("a.db", options, fs);
        work.run(db);
        const auto before = fs.mutations();
        work.run(db);
        // Frames written in one batch, no sync: a single mutation.
        REQUIRE(fs.mutations() - before == 1);
        fs.crash_after(1000000); // arm, then cut the power without close
    }
    fs.crash(11);
    pager<store_policies<fault_fs>> db("a.db", options, fs);
    const auto k = work.verify(db); // at some commit, never between two
    REQUIRE(k <= 2);
}
