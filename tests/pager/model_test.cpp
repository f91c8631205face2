// Seeded random differential test of the pager against an in-memory model
// of page contents: writes, allocations, frees, commits, rollbacks,
// reopens and checkpoints in random order.
#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "support/catch.hpp"

#include <map>
#include <memory>
#include <random>
#include <set>
#include <vector>

using namespace sqlitegraph;

namespace {
template <class Policies> void run_model(std::uint64_t seed, int steps) {
    using db_type = pager<Policies>;
    constexpr auto page_size = Policies::page_size_type::value;
    memory_fs fs;
    pager_options options;
    options.checkpoint_threshold_bytes = 64 * page_size;
    options.cache_pages = 16;
    auto db = std::make_unique<db_type>("m.db", options, fs);
    std::mt19937_64 rng(seed);
    std::map<page_id, std::uint64_t> committed; // page -> value in its body
    for (int step = 0; step < steps; ++step) {
        const auto action = rng() % 20;
        if (action == 0) {
            db.reset();
            db = std::make_unique<db_type>("m.db", options, fs);
        } else if (action == 1) {
            db->checkpoint();
        } else {
            auto model = committed;
            auto tx = db->begin_write();
            const auto ops = 1 + rng() % 6;
            for (std::size_t i = 0; i < ops; ++i) {
                const auto op = rng() % 4;
                if (op == 0 || model.empty()) {
                    auto p = tx.allocate(page_type::meta);
                    REQUIRE(model.count(p.id()) == 0); // never hands out a live page
                    const auto value = rng();
                    store_le<std::uint64_t>(p.data() + page_header_size, value);
                    model[p.id()] = value;
                } else {
                    auto it = std::next(model.begin(), static_cast<long>(rng() % model.size()));
                    if (op == 1) {
                        tx.release(it->first);
                        model.erase(it);
                    } else {
                        const auto value = rng();
                        store_le<std::uint64_t>(tx.write(it->first).data() + page_header_size, value);
                        it->second = value;
                    }
                }
            }
            // Inside the transaction, reads see its own writes.
            for (const auto& [id, value] : model) {
                REQUIRE(load_le<std::uint64_t>(tx.read(id).data() + page_header_size) == value);
            }
            if (rng() % 5 == 0) {
                tx.rollback();
            } else {
                tx.commit();
                committed = std::move(model);
            }
        }
        auto r = db->begin_read();
        for (const auto& [id, value] : committed) {
            REQUIRE(load_le<std::uint64_t>(r.read(id).data() + page_header_size) == value);
        }
        r.end();
        if (step % 25 == 0) {
            std::vector<page_id> owned;
            for (const auto& entry : committed)
                owned.push_back(entry.first);
            const auto report = db->check(owned, true);
            for (const auto& p : report.problems)
                UNSCOPED_INFO(p);
            REQUIRE(report.ok());
        }
    }
}
} // namespace

TEST_CASE("pager matches a model of page contents over random transactions (4 KiB, crc32c)", "[pager][model]") {
    for (std::uint64_t seed = 1; seed <= 4; ++seed)
        run_model<store_policies<memory_fs>>(seed, 600);
}

TEST_CASE("pager matches a model with 1 KiB pages, xxh3 and LRU", "[pager][model]") {
    run_model<store_policies<memory_fs, page_size<1024>, xxh3_64, lru_cache>>(11, 800);
}

TEST_CASE("pager matches a model with 64 KiB pages, xor checksum and CLOCK", "[pager][model]") {
    run_model<store_policies<memory_fs, page_size<65536>, xor_checksum, clock_cache>>(12, 300);
}
