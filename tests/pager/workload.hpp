// tests/pager/workload.hpp — a deterministic page workload with a model.
//
// Transaction k (k = 1, 2, ...) rewrites, allocates and releases a few pages
// chosen by an RNG seeded from (seed, k) and the model state after k-1, so
// any process can recompute the whole history from the seed alone: the crash
// and kill tests recover a database and check it against history[K], where K
// is the transaction number the database says it holds (root "txn").
//
// Every data page's body is a pattern of (writer txn, page id), so a torn or
// stale page is caught by content as well as by checksum. A directory page
// (root "dir") lists the workload's pages; check() then accounts every page
// of the file as either the workload's or free.
#pragma once

#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "support/catch.hpp"

#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace sqlitegraph::testing {

struct page_state {
    std::map<page_id, std::uint64_t> writer; // page -> txn that last wrote it
    page_id directory = null_page;
};

inline void fill_data_page(std::byte* page, std::size_t page_size, std::uint64_t txn, page_id id) {
    store_le<std::uint64_t>(page + page_header_size, txn);
    store_le<std::uint32_t>(page + page_header_size + 8, id);
    for (std::size_t i = page_header_size + 12; i < page_size; ++i) {
        page[i] = static_cast<std::byte>((txn * 31 + id * 7 + i) & 0xFF);
    }
}

inline bool data_page_matches(const std::byte* page, std::size_t page_size, std::uint64_t txn, page_id id) {
    if (load_le<std::uint64_t>(page + page_header_size) != txn) return false;
    if (load_le<std::uint32_t>(page + page_header_size + 8) != id) return false;
    for (std::size_t i = page_header_size + 12; i < page_size; ++i) {
        if (page[i] != static_cast<std::byte>((txn * 31 + id * 7 + i) & 0xFF)) return false;
    }
    return true;
}

// The operations of one transaction, derived from the seed, k and the state.
struct txn_plan {
    std::vector<page_id> rewrite;
    std::size_t allocate = 0;
    std::vector<page_id> release;
};

inline txn_plan plan_txn(std::uint64_t seed, std::uint64_t k, const page_state& state, std::size_t max_pages) {
    std::mt19937_64 rng(seed * 1000003 + k);
    txn_plan plan;
    std::vector<page_id> pages;
    for (const auto& entry : state.writer)
        pages.push_back(entry.first);
    const auto rewrites = pages.empty() ? 0 : rng() % 4;
    for (std::size_t i = 0; i < rewrites; ++i)
        plan.rewrite.push_back(pages[rng() % pages.size()]);
    plan.allocate = pages.size() < max_pages ? rng() % 4 : 0;
    if (!pages.empty() && rng() % 3 == 0) {
        const auto victim = pages[rng() % pages.size()];
        bool rewritten = false;
        for (auto p : plan.rewrite)
            rewritten |= p == victim;
        if (!rewritten) plan.release.push_back(victim);
    }
    return plan;
}

class page_workload {
  public:
    explicit page_workload(std::uint64_t seed, std::size_t max_pages = 120) : seed_(seed), max_pages_(max_pages) {
        history_.emplace_back();
    }

    [[nodiscard]] std::uint64_t committed() const { return history_.size() - 1; }
    [[nodiscard]] const page_state& state(std::uint64_t k) const { return history_.at(k); }

    // Runs transaction committed()+1 against the pager and commits it (or
    // rolls it back when rollback is set). Returns the txn number.
    template <class Pager> std::uint64_t run(Pager& db, bool rollback = false) {
        const auto k = committed() + 1;
        auto next = history_.back();
        const auto plan = plan_txn(seed_, k, next, max_pages_);
        auto tx = db.begin_write();
        const auto page_size = tx.page_size();
        if (next.directory == null_page) next.directory = tx.allocate(page_type::meta).id();
        for (auto id : plan.release) {
            tx.release(id);
            next.writer.erase(id);
        }
        for (auto id : plan.rewrite) {
            auto page = tx.write(id);
            fill_data_page(page.data(), page_size, k, id);
            next.writer[id] = k;
        }
        for (std::size_t i = 0; i < plan.allocate; ++i) {
            auto page = tx.allocate(page_type::meta);
            fill_data_page(page.data(), page_size, k, page.id());
            next.writer[page.id()] = k;
        }
        auto dir = tx.write(next.directory);
        store_le<std::uint32_t>(dir.data() + page_header_size, static_cast<std::uint32_t>(next.writer.size()));
        std::size_t at = page_header_size + 4;
        for (const auto& entry : next.writer) {
            store_le<std::uint32_t>(dir.data() + at, entry.first);
            at += 4;
        }
        tx.set_root("txn", k);
        tx.set_root("dir", next.directory);
        if (rollback) {
            tx.rollback();
            return k;
        }
        // Recorded before commit: a commit interrupted by a crash may or may
        // not be durable, so history keeps it until recovery tells
        // (truncate_to drops it when it was lost).
        history_.push_back(std::move(next));
        tx.commit();
        return k;
    }

    // Drops history after k (transactions lost in a crash).
    void truncate_to(std::uint64_t k) { history_.resize(k + 1); }

    // Checks that the database holds exactly history[K] for its K and that
    // the pager accounts every page. Returns K.
    template <class Pager> std::uint64_t verify(Pager& db) const {
        std::vector<std::string> problems;
        std::uint64_t k = 0;
        const bool ok = verify_or_report(db, problems, k);
        for (const auto& p : problems)
            UNSCOPED_INFO(p);
        REQUIRE(ok);
        return k;
    }

    // Like verify, but damage that the database reports (an error on read,
    // a problem found by check) is returned as problems instead of failing
    // the test. Data that is read without an error must still be exactly
    // right: wrong data returned silently always fails.
    template <class Pager>
    bool verify_or_report(Pager& db, std::vector<std::string>& problems, std::uint64_t& k) const {
        std::vector<page_id> owned;
        try {
            auto snapshot = db.begin_read();
            k = snapshot.root("txn");
            REQUIRE(k < history_.size());
            const auto& expected = history_[k];
            if (k > 0) {
                REQUIRE(snapshot.root("dir") == expected.directory);
                auto dir = snapshot.read(expected.directory);
                REQUIRE(load_le<std::uint32_t>(dir.data() + page_header_size) == expected.writer.size());
                std::size_t at = page_header_size + 4;
                for (const auto& [id, writer] : expected.writer) {
                    REQUIRE(load_le<std::uint32_t>(dir.data() + at) == id);
                    at += 4;
                    auto page = snapshot.read(id);
                    INFO("page " << id << " written by txn " << writer << ", database at txn " << k);
                    REQUIRE(data_page_matches(page.data(), snapshot.page_size(), writer, id));
                    owned.push_back(id);
                }
                owned.push_back(expected.directory);
            }
        } catch (const error& e) {
            problems.emplace_back(e.what());
            return false;
        }
        const auto report = db.check(owned, true);
        problems.insert(problems.end(), report.problems.begin(), report.problems.end());
        return report.ok();
    }

  private:
    std::uint64_t seed_;
    std::size_t max_pages_;
    std::vector<page_state> history_;
};

} // namespace sqlitegraph::testing
