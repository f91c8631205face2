#include "sqlitegraph/io/fault_file.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/io/posix_file.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <cstring>
#include <span>
#include <string>
#include <vector>

using namespace sqlitegraph;

namespace {
std::vector<std::byte> text(const std::string& s) {
    std::vector<std::byte> out(s.size());
    if (!s.empty()) std::memcpy(out.data(), s.data(), s.size()); // an empty vector's data() may be null
    return out;
}

std::string read_string(auto& f, std::uint64_t offset, std::size_t count) {
    std::vector<std::byte> buffer(count);
    const auto n = f.read_at(offset, buffer);
    return std::string(reinterpret_cast<const char*>(buffer.data()), n);
}

// The same behaviour is required of every file system.
template <class FS> void check_file_contract(FS& fs, const std::string& path) {
    auto f = fs.open(path, open_mode::read_write_create);
    REQUIRE(f.size() == 0);
    f.write_at(0, text("hello world"));
    f.write_at(20, text("tail"));
    REQUIRE(f.size() == 24);
    REQUIRE(read_string(f, 0, 5) == "hello");
    REQUIRE(read_string(f, 20, 100) == "tail"); // short read only at end of file
    REQUIRE(read_string(f, 100, 10).empty());
    f.sync();
    f.truncate(5);
    REQUIRE(f.size() == 5);
    REQUIRE(fs.exists(path));

    // write_zeros from an unaligned offset across several 4 KiB pages (the
    // posix file writes them page by page, the others in one write).
    write_zeros(f, 3, 10000);
    REQUIRE(f.size() == 10003);
    REQUIRE(read_string(f, 0, 3) == "hel");
    REQUIRE(read_string(f, 3, 20000) == std::string(10000, '\0'));

    // write_gather: pieces of varying length (some empty), more of them
    // than one pwritev takes (IOV_MAX, 1,024 on Linux), land back to back.
    std::vector<std::vector<std::byte>> pieces;
    std::vector<std::span<const std::byte>> views;
    std::string expected;
    for (int i = 0; i < 2500; ++i) {
        const std::string piece(static_cast<std::size_t>(i % 7), static_cast<char>('a' + i % 26));
        expected += piece;
        pieces.push_back(text(piece));
    }
    for (const auto& piece : pieces)
        views.emplace_back(piece);
    write_gather(f, 7, views);
    REQUIRE(f.size() == std::max<std::uint64_t>(10003, 7 + expected.size()));
    REQUIRE(read_string(f, 0, 3) == "hel");
    REQUIRE(read_string(f, 3, 4) == std::string(4, '\0'));
    REQUIRE(read_string(f, 7, expected.size()) == expected);

    REQUIRE(f.try_lock_exclusive());
    auto second = fs.open(path, open_mode::read_write);
    REQUIRE_FALSE(second.try_lock_exclusive());
    f.unlock();
    REQUIRE(second.try_lock_exclusive());
    second.unlock();

    try {
        fs.open(path + ".missing", open_mode::read_write);
        FAIL("opening a missing file succeeded");
    } catch (const error& e) {
        REQUIRE(e.code() == errc::not_found);
        REQUIRE(std::string(e.what()).find(".missing") != std::string::npos);
    }
    fs.remove(path);
    REQUIRE_FALSE(fs.exists(path));
}
} // namespace

TEST_CASE("posix files read, write, truncate, lock and name the path in errors", "[io]") {
    testing::temp_dir dir;
    posix_fs fs;
    check_file_contract(fs, dir.file("db"));
    fs.sync_directory(dir.file("db"));
}

TEST_CASE("posix file lock is refused to a second open of the same file", "[io]") {
    testing::temp_dir dir;
    posix_fs fs;
    auto first = fs.open(dir.file("db"), open_mode::read_write_create);
    auto second = fs.open(dir.file("db"), open_mode::read_write);
    REQUIRE(first.try_lock_exclusive());
    REQUIRE_FALSE(second.try_lock_exclusive());
    first = posix_file(); // closing releases the lock
    REQUIRE(second.try_lock_exclusive());
}

TEST_CASE("memory files follow the file contract and survive reopen", "[io]") {
    memory_fs fs;
    check_file_contract(fs, "mem.db");
    {
        auto f = fs.open("keep.db", open_mode::read_write_create);
        f.write_at(0, text("persist"));
    }
    memory_fs copy = fs; // copies share files
    auto again = copy.open("keep.db", open_mode::read_write);
    REQUIRE(read_string(again, 0, 7) == "persist");
}

TEST_CASE("fault files follow the file contract", "[io]") {
    fault_fs fs;
    check_file_contract(fs, "fault.db");
}

TEST_CASE("a simulated crash keeps synced data and drops or tears unsynced writes", "[io][fault]") {
    int dropped_or_torn = 0;
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
        fault_fs fs;
        auto f = fs.open("db", open_mode::read_write_create);
        f.write_at(0, text("durable!"));
        f.sync();
        f.write_at(0, text("VOLATILE-AND-LONG"));
        fs.crash(seed);
        const auto after = read_string(f, 0, 17);
        // Every outcome starts from the synced bytes, overwritten by a prefix
        // of the unsynced write (empty when dropped, whole when kept).
        REQUIRE(after.size() >= 8);
        std::size_t kept = 0;
        while (kept < after.size() && after[kept] == std::string("VOLATILE-AND-LONG")[kept])
            ++kept;
        const std::string expected =
            std::string("VOLATILE-AND-LONG").substr(0, kept) + (kept < 8 ? std::string("durable!").substr(kept) : "");
        REQUIRE(after == expected);
        if (kept < 17) ++dropped_or_torn;
    }
    REQUIRE(dropped_or_torn > 0);
}

TEST_CASE("a crash outcome is reproducible from its seed", "[io][fault]") {
    auto run = [](std::uint64_t seed) {
        fault_fs fs;
        auto f = fs.open("db", open_mode::read_write_create);
        for (int i = 0; i < 20; ++i)
            f.write_at(static_cast<std::uint64_t>(i) * 10, text("0123456789"));
        fs.crash(seed);
        return fs.contents("db");
    };
    REQUIRE(run(5) == run(5));
    bool any_difference = false;
    for (std::uint64_t s = 6; s < 12; ++s)
        any_difference |= run(s) != run(5);
    REQUIRE(any_difference);
}

TEST_CASE("crash_after kills the process at the chosen mutation and every later call", "[io][fault]") {
    fault_fs fs;
    auto f = fs.open("db", open_mode::read_write_create);
    fs.crash_after(3);
    f.write_at(0, text("a"));
    f.write_at(1, text("b"));
    REQUIRE_THROWS_AS(f.sync(), simulated_crash);
    REQUIRE(fs.dead());
    REQUIRE_THROWS_AS(f.write_at(2, text("c")), simulated_crash);
    REQUIRE_THROWS_AS(read_string(f, 0, 1), simulated_crash);
    fs.crash(1);
    REQUIRE_FALSE(fs.dead());
    REQUIRE(f.size() <= 2);
}

TEST_CASE("fail_after injects one I/O error and the file system stays usable", "[io][fault]") {
    fault_fs fs;
    auto f = fs.open("db", open_mode::read_write_create);
    fs.fail_after(2);
    f.write_at(0, text("a"));
    try {
        f.sync();
        FAIL("the injected error did not happen");
    } catch (const error& e) {
        REQUIRE(e.code() == errc::io);
    }
    f.sync();
    REQUIRE(fs.mutations() == 3);
}

TEST_CASE("a crash releases the locks of the dead process", "[io][fault]") {
    fault_fs fs;
    auto holder = fs.open("db", open_mode::read_write_create);
    REQUIRE(holder.try_lock_exclusive());
    fs.crash(0);
    auto next = fs.open("db", open_mode::read_write);
    REQUIRE(next.try_lock_exclusive());
}
