// Snapshot isolation under real threads: one writer, several readers.
// Run under ThreadSanitizer by scripts/test ([concurrency]).
#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "support/catch.hpp"

#include <atomic>
#include <thread>
#include <vector>

using namespace sqlitegraph;

TEST_CASE("readers' snapshots never change while one writer commits", "[pager][concurrency]") {
    memory_fs fs;
    pager_options options;
    options.checkpoint_threshold_bytes = 16 * 4096; // checkpoints run while readers read
    options.cache_pages = 32;
    pager<store_policies<memory_fs>> db("c.db", options, fs);
    constexpr int page_count = 8;
    std::vector<page_id> pages;
    {
        auto tx = db.begin_write();
        for (int i = 0; i < page_count; ++i) {
            auto p = tx.allocate(page_type::meta);
            store_le<std::uint64_t>(p.data() + page_header_size, 0);
            pages.push_back(p.id());
        }
        tx.set_root("version", 0);
        tx.commit();
    }
    constexpr std::uint64_t commits = 300;
    std::atomic<bool> done{false};
    std::atomic<std::uint64_t> snapshots_checked{0};
    std::atomic<int> failures{0};

    // Every page of version v holds v, and root "version" is v: a reader
    // that ever sees two different values inside one snapshot has seen a
    // torn or moving snapshot.
    auto reader = [&] {
        while (!done.load()) {
            auto r = db.begin_read();
            const auto version = r.root("version");
            for (int pass = 0; pass < 3; ++pass) {
                for (const auto id : pages) {
                    if (load_le<std::uint64_t>(r.read(id).data() + page_header_size) != version) ++failures;
                }
            }
            ++snapshots_checked;
        }
    };
    std::vector<std::thread> readers;
    for (int i = 0; i < 3; ++i)
        readers.emplace_back(reader);
    for (std::uint64_t v = 1; v <= commits; ++v) {
        auto tx = db.begin_write();
        for (const auto id : pages)
            store_le<std::uint64_t>(tx.write(id).data() + page_header_size, v);
        tx.set_root("version", v);
        tx.commit();
    }
    done = true;
    for (auto& t : readers)
        t.join();
    REQUIRE(failures.load() == 0);
    REQUIRE(snapshots_checked.load() > 0);
    REQUIRE(db.stats().checkpoints > 0);
    auto r = db.begin_read();
    REQUIRE(r.root("version") == commits);
}

TEST_CASE("writers from several threads serialise and all commit", "[pager][concurrency]") {
    memory_fs fs;
    pager<store_policies<memory_fs>> db("w.db", {}, fs);
    page_id counter;
    {
        auto tx = db.begin_write();
        counter = tx.allocate(page_type::meta).id();
        tx.commit();
    }
    constexpr int threads = 4, increments = 50;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            for (int i = 0; i < increments; ++i) {
                auto tx = db.begin_write();
                auto page = tx.write(counter);
                const auto value = load_le<std::uint64_t>(page.data() + page_header_size);
                store_le<std::uint64_t>(page.data() + page_header_size, value + 1);
                tx.commit();
            }
        });
    }
    for (auto& w : workers)
        w.join();
    auto r = db.begin_read();
    REQUIRE(load_le<std::uint64_t>(r.read(counter).data() + page_header_size) == threads * increments);
}
