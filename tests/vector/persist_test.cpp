// Persistent HNSW indexes (vector/persistent.hpp): reopen, rollback,
// snapshots, large dimensions, bad input.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "sqlitegraph/vector/persistent.hpp"
#include "support/catch.hpp"
#include "vector/support.hpp"

using namespace vector_test;
using sqlitegraph::errc;
using sqlitegraph::memory_fs;

namespace {

using mem_pager = sqlitegraph::pager<sqlitegraph::store_policies<memory_fs>>;
using small_pager = sqlitegraph::pager<sqlitegraph::store_policies<memory_fs, sqlitegraph::page_size<1024>>>;
template <class P>
using write_index = sv::persistent_hnsw<typename P::write_txn>;
template <class P>
using read_index = sv::persistent_hnsw<typename P::read_txn>;

sv::hnsw_params persist_params(std::size_t dim, sv::metric m = sv::metric::l2, std::uint64_t seed = 5) {
    sv::hnsw_params p = params_for(dim, m, seed);
    p.name = "emb";
    p.m = 8;
    p.ef_construction = 60;
    return p;
}

template <class Index>
std::vector<std::vector<sv::search_hit>> answers(const Index& index, const sv::vector_set& data, std::size_t k = 10) {
    std::vector<std::vector<sv::search_hit>> out;
    for (std::size_t q = 0; q < data.query_count(); ++q) out.push_back(index.search(data.query(q), k, 40));
    return out;
}

// Inserts rows [from, to) in transactions of `per_txn` rows, alternating
// single inserts and batches.
template <class P>
void insert_rows(P& db, const sv::hnsw_params& params, const sv::vector_set& data, std::size_t from, std::size_t to,
                 std::size_t per_txn) {
    for (std::size_t at = from; at < to; at += per_txn) {
        auto txn = db.begin_write();
        auto index = write_index<P>::open_or_create(txn, params);
        const std::size_t end = std::min(to, at + per_txn);
        if ((at / per_txn) % 2 == 0) {
            for (std::size_t i = at; i < end; ++i) index.insert(i, data.vector(i));
        } else {
            std::vector<std::uint64_t> keys;
            for (std::size_t i = at; i < end; ++i) keys.push_back(i);
            index.insert_batch(keys, std::span<const float>(data.vectors).subspan(at * data.dim, (end - at) * data.dim));
        }
        txn.commit();
    }
}

template <class P>
void check_pages(P& db, std::string_view name) {
    std::vector<sqlitegraph::page_id> used;
    {
        auto snap = db.begin_read();
        used = read_index<P>::open(snap, name).pages();
    }
    const auto report = db.check(used, true);
    INFO((report.problems.empty() ? std::string() : report.problems.front()));
    CHECK(report.ok());
}

} // namespace

TEST_CASE("a persistent index answers like the in-memory index and again after reopening", "[vector][persist]") {
    const sv::vector_set data = small_set(900, 16, 30, 11);
    const auto params = persist_params(data.dim);
    sv::hnsw_index memory(params);
    for (std::size_t i = 0; i < 600; ++i) memory.insert(i, data.vector(i));
    const auto expected = answers(memory, data);

    memory_fs fs;
    {
        mem_pager db("v.db", {}, fs);
        insert_rows(db, params, data, 0, 600, 75);
        auto snap = db.begin_read();
        auto index = read_index<mem_pager>::open(snap, "emb");
        index.verify();
        CHECK(index.size() == 600);
        CHECK(answers(index, data) == expected);
        CHECK(index.layout().block_size == memory.layout().block_size);
    }
    {
        mem_pager db("v.db", {}, fs);
        {
            auto snap = db.begin_read();
            auto index = read_index<mem_pager>::open(snap, "emb");
            index.verify();
            CHECK(answers(index, data) == expected);
            CHECK(index.get(17) == memory.get(17));
            CHECK(index.params().seed == params.seed);
            CHECK(index.params().ef_construction == params.ef_construction);
            CHECK(index.index().max_level() == memory.max_level());
        }
        check_pages(db, "emb");
        // Inserting after the reopen continues the same level stream.
        insert_rows(db, params, data, 600, 900, 100);
        for (std::size_t i = 600; i < 900; ++i) memory.insert(i, data.vector(i));
    }
    mem_pager db("v.db", {}, fs);
    auto snap = db.begin_read();
    auto index = read_index<mem_pager>::open(snap, "emb");
    index.verify();
    CHECK(answers(index, data) == answers(memory, data));
    for (std::size_t q = 0; q < 5; ++q) CHECK(index.exact_search(data.query(q), 5) == memory.exact_search(data.query(q), 5));
    check_pages(db, "emb");
}

TEST_CASE("removes and consolidation persist", "[vector][persist]") {
    const sv::vector_set data = small_set(500, 12, 20, 3);
    const auto params = persist_params(data.dim, sv::metric::cosine);
    sv::hnsw_index memory(params);
    memory_fs fs;
    {
        mem_pager db("d.db", {}, fs);
        insert_rows(db, params, data, 0, 500, 250);
        for (std::size_t i = 0; i < 500; ++i) memory.insert(i, data.vector(i));
        for (std::size_t round = 0; round < 3; ++round) {
            auto txn = db.begin_write();
            auto index = write_index<mem_pager>::open(txn, "emb");
            for (std::size_t i = round; i < 500; i += 7) {
                index.remove(i);
                memory.remove(i);
            }
            index.verify();
            txn.commit();
        }
        {
            // Reinsert into freed slots.
            auto txn = db.begin_write();
            auto index = write_index<mem_pager>::open(txn, "emb");
            for (std::size_t i = 0; i < 40; i += 7) {
                index.insert(i, data.vector(i));
                memory.insert(i, data.vector(i));
            }
            txn.commit();
        }
    }
    mem_pager db("d.db", {}, fs);
    auto snap = db.begin_read();
    auto index = read_index<mem_pager>::open(snap, "emb");
    index.verify();
    CHECK(index.size() == memory.size());
    CHECK(index.tombstones() == memory.tombstones());
    CHECK(answers(index, data) == answers(memory, data));
    std::vector<std::uint64_t> among{1, 2, 3, 4, 5, 6, 8, 9, 10};
    CHECK(index.search_among(data.query(0), 3, among) == memory.search_among(data.query(0), 3, among));
    auto even = [](std::uint64_t key) { return key % 2 == 0; };
    CHECK(index.search_if(data.query(1), 5, even) == memory.search_if(data.query(1), 5, even));
}

TEST_CASE("large dimensions span pages; small pages hold one block each", "[vector][persist]") {
    for (std::size_t dim : {std::size_t{1500}, std::size_t{16384}}) {
        const std::size_t count = dim > 2000 ? 24 : 120;
        const sv::vector_set data = sv::generate_vectors({count, dim, 4, 3, 9});
        auto params = persist_params(dim);
        params.m = 4;
        sv::hnsw_index memory(params);
        for (std::size_t i = 0; i < count; ++i) memory.insert(i, data.vector(i));
        memory_fs fs;
        {
            mem_pager db("big.db", {}, fs);
            insert_rows(db, params, data, 0, count, count / 3);
            auto txn = db.begin_write();
            auto index = write_index<mem_pager>::open(txn, "emb");
            CHECK(index.index().storage().blocks_per_page() == 0);
            index.remove(3);
            memory.remove(3);
            txn.commit();
        }
        mem_pager db("big.db", {}, fs);
        auto snap = db.begin_read();
        auto index = read_index<mem_pager>::open(snap, "emb");
        INFO("dim " << dim);
        index.verify();
        CHECK(answers(index, data, 5) == answers(memory, data, 5));
        CHECK(index.get(5) == memory.get(5));
        check_pages(db, "emb");
    }
    // 1 KiB pages: dim 200 with M 8 gives 880-byte blocks, one per page.
    const sv::vector_set data = sv::generate_vectors({150, 200, 4, 5, 2});
    const auto params = persist_params(200);
    sv::hnsw_index memory(params);
    for (std::size_t i = 0; i < 150; ++i) memory.insert(i, data.vector(i));
    memory_fs fs;
    small_pager db("small.db", {}, fs);
    insert_rows(db, params, data, 0, 150, 50);
    auto snap = db.begin_read();
    auto index = read_index<small_pager>::open(snap, "emb");
    CHECK(index.index().storage().blocks_per_page() == 1);
    index.verify();
    CHECK(answers(index, data) == answers(memory, data));
}

TEST_CASE("a rolled-back transaction leaves no vectors behind; readers keep their snapshot", "[vector][persist]") {
    const sv::vector_set data = small_set(400, 8, 20, 21);
    const auto params = persist_params(data.dim);
    memory_fs fs;
    mem_pager db("r.db", {}, fs);
    insert_rows(db, params, data, 0, 300, 300);
    std::vector<std::vector<sv::search_hit>> before;
    std::uint32_t pages_before;
    {
        auto snap = db.begin_read();
        before = answers(read_index<mem_pager>::open(snap, "emb"), data);
        pages_before = snap.page_count();
    }
    auto old_snapshot = db.begin_read();
    {
        auto txn = db.begin_write();
        auto index = write_index<mem_pager>::open(txn, "emb");
        for (std::size_t i = 300; i < 400; ++i) index.insert(i, data.vector(i));
        for (std::size_t i = 0; i < 120; ++i) index.remove(i); // consolidates
        // The transaction sees its own changes.
        CHECK(index.contains(350));
        CHECK_FALSE(index.contains(5));
        CHECK(index.search(data.vector(350), 1).front().key == 350);
        index.verify();
        txn.rollback();
        CHECK_THROWS_AS(index.search(data.query(0), 3), sqlitegraph::error);
    }
    {
        auto txn = db.begin_write();
        auto index = write_index<mem_pager>::open(txn, "emb");
        index.insert(399, data.vector(399));
        // destroyed without commit: RAII rollback
    }
    {
        auto snap = db.begin_read();
        auto index = read_index<mem_pager>::open(snap, "emb");
        index.verify();
        CHECK(index.size() == 300);
        CHECK(snap.page_count() == pages_before);
        for (std::size_t i = 300; i < 400; ++i) CHECK_FALSE(index.contains(i));
        CHECK(answers(index, data) == before);
    }
    // A reader opened before a commit keeps its snapshot.
    insert_rows(db, params, data, 300, 400, 100);
    auto old_index = read_index<mem_pager>::open(old_snapshot, "emb");
    CHECK(old_index.size() == 300);
    CHECK(answers(old_index, data) == before);
    auto snap = db.begin_read();
    CHECK(read_index<mem_pager>::open(snap, "emb").size() == 400);
}

TEST_CASE("bad input is refused with clear errors and leaves the stored index unchanged", "[vector][persist]") {
    const sv::vector_set data = small_set(200, 6, 10, 4);
    auto params = persist_params(data.dim, sv::metric::cosine);
    memory_fs fs;
    std::vector<std::vector<sv::search_hit>> before;
    {
        mem_pager db("b.db", {}, fs);
        insert_rows(db, params, data, 0, 200, 200);
        {
            auto snap = db.begin_read();
            before = answers(read_index<mem_pager>::open(snap, "emb"), data);
        }
        auto txn = db.begin_write();
        auto index = write_index<mem_pager>::open(txn, "emb");
        auto code_of = [](auto&& call) {
            try {
                call();
            } catch (const sqlitegraph::error& e) {
                return e.code();
            }
            return errc::io; // "no error"
        };
        std::vector<float> short_vec(5, 1.0f), nan_vec(6, 1.0f), zero(6, 0.0f);
        nan_vec[2] = std::numeric_limits<float>::quiet_NaN();
        CHECK(code_of([&] { index.insert(1000, short_vec); }) == errc::invalid_argument);
        CHECK(code_of([&] { index.insert(1000, nan_vec); }) == errc::invalid_argument);
        CHECK(code_of([&] { index.insert(1000, zero); }) == errc::invalid_argument);
        CHECK(code_of([&] { index.insert(7, data.vector(7)); }) == errc::invalid_argument);
        CHECK(code_of([&] { index.remove(5000); }) == errc::not_found);
        std::vector<std::uint64_t> keys{1001, 1002, 1001};
        std::vector<float> rows(3 * 6, 0.5f);
        CHECK(code_of([&] { index.insert_batch(keys, rows); }) == errc::invalid_argument);
        CHECK(code_of([&] { index.search(short_vec, 3); }) == errc::invalid_argument);
        CHECK(code_of([&] { (void)write_index<mem_pager>::create(txn, params); }) == errc::invalid_argument);
        CHECK(code_of([&] { (void)write_index<mem_pager>::open(txn, "nope"); }) == errc::not_found);
        CHECK(code_of([&] { (void)write_index<mem_pager>::open(txn, "a-name-far-too-long-for-a-root"); }) ==
              errc::invalid_argument);
        auto bad = params;
        bad.name = "other";
        bad.m = 1;
        CHECK(code_of([&] { (void)write_index<mem_pager>::create(txn, bad); }) == errc::invalid_argument);
        try {
            index.insert(1000, short_vec);
        } catch (const sqlitegraph::error& e) {
            CHECK(std::string(e.what()).find("vector index 'emb': key 1000: vector has 5 components, expected 6") !=
                  std::string::npos);
        }
        // The handle is still usable after refused calls.
        index.verify();
        CHECK(answers(index, data) == before);
        txn.commit();
    }
    mem_pager db("b.db", {}, fs);
    auto snap = db.begin_read();
    auto index = read_index<mem_pager>::open(snap, "emb");
    index.verify();
    CHECK(index.size() == 200);
    CHECK_FALSE(read_index<mem_pager>::exists(snap, "other"));
    CHECK(answers(index, data) == before);
}

TEST_CASE("a damaged meta page is reported as corruption", "[vector][persist]") {
    const sv::vector_set data = small_set(50, 4, 2, 8);
    memory_fs fs;
    mem_pager db("c.db", {}, fs);
    insert_rows(db, persist_params(4), data, 0, 50, 50);
    {
        auto txn = db.begin_write();
        const auto meta = static_cast<sqlitegraph::page_id>(txn.root("vec:emb"));
        auto page = txn.write(meta);
        sqlitegraph::store_le<std::uint32_t>(page.data() + sv::meta_layout::live, 49);
        txn.commit();
    }
    auto snap = db.begin_read();
    try {
        (void)read_index<mem_pager>::open(snap, "emb");
        FAIL("open succeeded");
    } catch (const sqlitegraph::error& e) {
        CHECK(e.code() == errc::corruption);
        CHECK(std::string(e.what()).find("vector index 'emb'") != std::string::npos);
    }
}
