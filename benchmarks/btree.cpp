// The B+Tree against std::map (in memory) and SQLite (a WITHOUT ROWID table,
// prepared statements), on the same u64 keys in one run.
//
// Ours runs over the real pager (pager<store_policies<memory_fs>>, 4 KiB
// pages, crc32c, a cache large enough to hold the tree, one write
// transaction per build, committed) and, for reference, over the raw
// in-memory page store of the tests (no pager: no checksums, no cache, no
// copy-on-write). SQLite runs on an in-memory database (":memory:"), so
// neither side touches a disk.
//
// Workloads: random and sequential insert of N keys; bulk load of N sorted
// keys (ours: bulk_load at fill 1.0; std::map: construction from a sorted
// range; SQLite: sorted inserts in one transaction, its fastest load path);
// warm point lookup of existing keys; range scan of 1,000 keys from a random
// start. Queries run in 5 batches and report the median, min and max batch;
// the ratio column is the system's median time over ours (over the pager),
// so above 1 means we are faster.
//
// Usage: bench_btree [--keys 10000000] [--lookups 1000000] [--scans 10000]
//                    [--repeat 1] [--json FILE] [--systems pager,raw,map,sqlite]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "../tests/btree/memory_page_store.hpp"
#include "sqlitegraph/btree/btree.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/pager/pager.hpp"

#if defined(SQLITEGRAPH_WITH_SQLITE3)
#include <sqlite3.h>
#endif

namespace {

using namespace sqlitegraph;
using clock_type = std::chrono::steady_clock;
using params = btree_params<u64_codec, u64_codec, 4096>;
using mem_pager = pager<store_policies<memory_fs>>;

struct options {
    std::size_t keys = 10'000'000;
    std::size_t lookups = 1'000'000;
    std::size_t scans = 10'000;
    int repeat = 1;
    std::string json;
    std::string systems = "pager,raw,map,sqlite"; // which systems run (a comma list)
    [[nodiscard]] bool runs(const std::string& system) const { return ("," + systems + ",").find("," + system + ",") != std::string::npos; }
};

struct result {
    std::string system, workload, unit;
    double median = 0, min = 0, max = 0; // per-op time in ns
    std::size_t ops = 0;
};

std::vector<result> results;
volatile std::uint64_t sink = 0;

double seconds_since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }

// Times fn() `repeat` times (each doing `ops` operations) and records ns/op.
void record(const std::string& system, const std::string& workload, std::size_t ops, int repeat, const std::function<void()>& fn) {
    std::vector<double> ns;
    for (int r = 0; r < repeat; ++r) {
        const auto t0 = clock_type::now();
        fn();
        ns.push_back(seconds_since(t0) * 1e9 / static_cast<double>(ops));
    }
    std::sort(ns.begin(), ns.end());
    results.push_back({system, workload, "ns/op", ns[ns.size() / 2], ns.front(), ns.back(), ops});
    std::fprintf(stderr, "  %-28s %-22s %10.1f ns/op\n", system.c_str(), workload.c_str(), ns[ns.size() / 2]);
}

// Queries: one setup, then 5 timed batches.
void record_batches(const std::string& system, const std::string& workload, std::size_t ops, const std::function<void(std::size_t, std::size_t)>& fn) {
    std::vector<double> ns;
    const std::size_t per = ops / 5;
    fn(0, per); // warm-up pass over the first batch
    for (std::size_t b = 0; b < 5; ++b) {
        const auto t0 = clock_type::now();
        fn(b * per, (b + 1) * per);
        ns.push_back(seconds_since(t0) * 1e9 / static_cast<double>(per));
    }
    std::sort(ns.begin(), ns.end());
    results.push_back({system, workload, "ns/op", ns[2], ns.front(), ns.back(), ops});
    std::fprintf(stderr, "  %-28s %-22s %10.1f ns/op\n", system.c_str(), workload.c_str(), ns[2]);
}

struct workload_data {
    std::vector<std::uint64_t> sorted, shuffled, probes, scan_starts;
};

workload_data make_data(const options& o) {
    workload_data d;
    d.sorted.resize(o.keys);
    for (std::size_t i = 0; i < o.keys; ++i) d.sorted[i] = i * 2; // even keys; odd keys are absent
    d.shuffled = d.sorted;
    std::mt19937_64 rng(42);
    std::shuffle(d.shuffled.begin(), d.shuffled.end(), rng);
    for (std::size_t i = 0; i < o.lookups; ++i) d.probes.push_back(d.sorted[rng() % o.keys]);
    for (std::size_t i = 0; i < o.scans; ++i) d.scan_starts.push_back(rng() % (o.keys * 2));
    return d;
}

// ---- ours over the pager -------------------------------------------------------

void bench_pager(const options& o, const workload_data& d) {
    const std::string name = "sqlitegraph (pager)";
    pager_options po;
    po.cache_pages = o.keys / 100 + 16384; // holds the whole tree: lookups are warm
    po.checkpoint_threshold_bytes = 0;
    po.sync = sync_mode::normal;
    auto build = [&](const char* file, auto&& fill) {
        memory_fs fs;
        auto db = std::make_unique<mem_pager>(file, po, fs);
        auto tx = db->begin_write();
        auto tree = basic_btree<mem_pager::write_txn, params>::create(tx);
        fill(tree);
        tx.set_root("t", tree.root());
        tx.commit();
    };
    record(name, "insert random", o.keys, o.repeat, [&] { build("r.db", [&](auto& t) { for (auto k : d.shuffled) t.insert(k, k); }); });
    record(name, "insert sequential", o.keys, o.repeat, [&] { build("s.db", [&](auto& t) { for (auto k : d.sorted) t.insert(k, k); }); });
    struct pair_range {
        const std::vector<std::uint64_t>* v;
        struct it {
            const std::uint64_t* p;
            std::pair<std::uint64_t, std::uint64_t> operator*() const { return {*p, *p}; }
            it& operator++() { ++p; return *this; }
            void operator++(int) { ++p; }
            bool operator==(const it& o) const { return p == o.p; }
            using difference_type = std::ptrdiff_t;
            using value_type = std::pair<std::uint64_t, std::uint64_t>;
        };
        it begin() const { return {v->data()}; }
        it end() const { return {v->data() + v->size()}; }
    };
    record(name, "bulk load", o.keys, o.repeat, [&] { build("b.db", [&](auto& t) { t.bulk_load(pair_range{&d.sorted}); }); });

    // Queries on a bulk-loaded, committed tree.
    memory_fs fs;
    mem_pager db("q.db", po, fs);
    {
        auto tx = db.begin_write();
        auto tree = basic_btree<mem_pager::write_txn, params>::create(tx);
        tree.bulk_load(pair_range{&d.sorted});
        tx.set_root("t", tree.root());
        tx.commit();
    }
    auto rx = db.begin_read();
    basic_btree<mem_pager::read_txn, params> tree(rx, static_cast<page_id>(rx.root("t")));
    for (auto c = tree.begin(); c.valid(); c.next()) sink = sink + c.value(); // warm the cache
    record_batches(name, "point lookup", o.lookups, [&](std::size_t a, std::size_t b) {
        std::uint64_t s = 0;
        for (std::size_t i = a; i < b; ++i) s += *tree.find(d.probes[i]);
        sink = sink + s;
    });
    record_batches(name, "scan 1000", o.scans, [&](std::size_t a, std::size_t b) {
        std::uint64_t s = 0;
        for (std::size_t i = a; i < b; ++i) {
            auto c = tree.lower_bound(d.scan_starts[i]);
            for (int n = 0; n < 1000 && c.valid(); ++n, c.next()) s += c.value();
        }
        sink = sink + s;
    });
}

// ---- ours over the raw page store (no pager) --------------------------------------

void bench_store(const options& o, const workload_data& d) {
    const std::string name = "sqlitegraph (raw page store)";
    using tree_t = basic_btree<test::memory_page_store, params>;
    record(name, "insert random", o.keys, o.repeat, [&] {
        test::memory_page_store s(4096);
        auto t = tree_t::create(s);
        for (auto k : d.shuffled) t.insert(k, k);
    });
    record(name, "insert sequential", o.keys, o.repeat, [&] {
        test::memory_page_store s(4096);
        auto t = tree_t::create(s);
        for (auto k : d.sorted) t.insert(k, k);
    });
    std::vector<std::pair<std::uint64_t, std::uint64_t>> pairs;
    pairs.reserve(d.sorted.size());
    for (auto k : d.sorted) pairs.emplace_back(k, k);
    record(name, "bulk load", o.keys, o.repeat, [&] {
        test::memory_page_store s(4096);
        auto t = tree_t::create(s);
        t.bulk_load(pairs);
    });
    test::memory_page_store s(4096);
    auto tree = tree_t::create(s);
    tree.bulk_load(pairs);
    record_batches(name, "point lookup", o.lookups, [&](std::size_t a, std::size_t b) {
        std::uint64_t sum = 0;
        for (std::size_t i = a; i < b; ++i) sum += *tree.find(d.probes[i]);
        sink = sink + sum;
    });
    record_batches(name, "scan 1000", o.scans, [&](std::size_t a, std::size_t b) {
        std::uint64_t sum = 0;
        for (std::size_t i = a; i < b; ++i) {
            auto c = tree.lower_bound(d.scan_starts[i]);
            for (int n = 0; n < 1000 && c.valid(); ++n, c.next()) sum += c.value();
        }
        sink = sink + sum;
    });
}

// ---- std::map ------------------------------------------------------------------------

void bench_map(const options& o, const workload_data& d) {
    const std::string name = "std::map";
    record(name, "insert random", o.keys, o.repeat, [&] {
        std::map<std::uint64_t, std::uint64_t> m;
        for (auto k : d.shuffled) m.emplace(k, k);
    });
    record(name, "insert sequential", o.keys, o.repeat, [&] {
        std::map<std::uint64_t, std::uint64_t> m;
        for (auto k : d.sorted) m.emplace_hint(m.end(), k, k);
    });
    std::vector<std::pair<std::uint64_t, std::uint64_t>> pairs;
    pairs.reserve(d.sorted.size());
    for (auto k : d.sorted) pairs.emplace_back(k, k);
    record(name, "bulk load", o.keys, o.repeat, [&] { std::map<std::uint64_t, std::uint64_t> m(pairs.begin(), pairs.end()); });
    std::map<std::uint64_t, std::uint64_t> m(pairs.begin(), pairs.end());
    record_batches(name, "point lookup", o.lookups, [&](std::size_t a, std::size_t b) {
        std::uint64_t s = 0;
        for (std::size_t i = a; i < b; ++i) s += m.find(d.probes[i])->second;
        sink = sink + s;
    });
    record_batches(name, "scan 1000", o.scans, [&](std::size_t a, std::size_t b) {
        std::uint64_t s = 0;
        for (std::size_t i = a; i < b; ++i) {
            auto it = m.lower_bound(d.scan_starts[i]);
            for (int n = 0; n < 1000 && it != m.end(); ++n, ++it) s += it->second;
        }
        sink = sink + s;
    });
}

// ---- SQLite -----------------------------------------------------------------------------

#if defined(SQLITEGRAPH_WITH_SQLITE3)
struct sqlite_db {
    sqlite3* db = nullptr;
    sqlite_db() {
        if (sqlite3_open(":memory:", &db) != SQLITE_OK) std::abort();
        exec("PRAGMA journal_mode=OFF");
        exec("PRAGMA synchronous=OFF");
        exec("PRAGMA cache_size=-2000000");
        exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v INTEGER) WITHOUT ROWID");
    }
    ~sqlite_db() { sqlite3_close(db); }
    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::fprintf(stderr, "sqlite: %s\n", err);
            std::abort();
        }
    }
    sqlite3_stmt* prepare(const char* sql) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) std::abort();
        return s;
    }
    void load(const std::vector<std::uint64_t>& keys) {
        exec("BEGIN");
        sqlite3_stmt* ins = prepare("INSERT INTO t(k, v) VALUES(?, ?)");
        for (auto k : keys) {
            sqlite3_bind_int64(ins, 1, static_cast<sqlite3_int64>(k));
            sqlite3_bind_int64(ins, 2, static_cast<sqlite3_int64>(k));
            if (sqlite3_step(ins) != SQLITE_DONE) std::abort();
            sqlite3_reset(ins);
        }
        sqlite3_finalize(ins);
        exec("COMMIT");
    }
};

void bench_sqlite(const options& o, const workload_data& d) {
    const std::string name = "SQLite (WITHOUT ROWID)";
    record(name, "insert random", o.keys, o.repeat, [&] { sqlite_db().load(d.shuffled); });
    record(name, "insert sequential", o.keys, o.repeat, [&] { sqlite_db().load(d.sorted); });
    record(name, "bulk load", o.keys, o.repeat, [&] { sqlite_db().load(d.sorted); });
    sqlite_db db;
    db.load(d.sorted);
    sqlite3_stmt* get = db.prepare("SELECT v FROM t WHERE k = ?");
    record_batches(name, "point lookup", o.lookups, [&](std::size_t a, std::size_t b) {
        std::uint64_t s = 0;
        for (std::size_t i = a; i < b; ++i) {
            sqlite3_bind_int64(get, 1, static_cast<sqlite3_int64>(d.probes[i]));
            if (sqlite3_step(get) == SQLITE_ROW) s += static_cast<std::uint64_t>(sqlite3_column_int64(get, 0));
            sqlite3_reset(get);
        }
        sink = sink + s;
    });
    sqlite3_stmt* scan = db.prepare("SELECT k, v FROM t WHERE k >= ? ORDER BY k LIMIT 1000");
    record_batches(name, "scan 1000", o.scans, [&](std::size_t a, std::size_t b) {
        std::uint64_t s = 0;
        for (std::size_t i = a; i < b; ++i) {
            sqlite3_bind_int64(scan, 1, static_cast<sqlite3_int64>(d.scan_starts[i]));
            while (sqlite3_step(scan) == SQLITE_ROW) s += static_cast<std::uint64_t>(sqlite3_column_int64(scan, 1));
            sqlite3_reset(scan);
        }
        sink = sink + s;
    });
    sqlite3_finalize(get);
    sqlite3_finalize(scan);
}
#endif

void print_and_write(const options& o) {
    const std::string ours = "sqlitegraph (pager)";
    auto ours_median = [&](const std::string& w) {
        for (const auto& r : results)
            if (r.system == ours && r.workload == w) return r.median;
        return 0.0;
    };
    std::printf("\nbench_btree: %zu u64 keys, %zu lookups, %zu scans of 1000; 4 KiB pages\n\n", o.keys, o.lookups, o.scans);
    std::printf("| workload | system | median | min | max | rate | time vs ours |\n|---|---|---|---|---|---|---|\n");
    for (const auto& r : results) {
        const double rate = 1e9 / r.median;
        const bool scan = r.workload == "scan 1000";
        const double base = ours_median(r.workload);
        std::printf("| %s | %s | %.1f ns | %.1f ns | %.1f ns | %.2f M%s/s | %.2fx |\n", r.workload.c_str(), r.system.c_str(), r.median, r.min, r.max,
                    rate / 1e6 * (scan ? 1.0 : 1.0), scan ? " scans" : " ops", base > 0 ? r.median / base : 0.0);
    }
#if !defined(SQLITEGRAPH_WITH_SQLITE3)
    std::printf("\nSQLite: missing (libsqlite3 not found at configure time)\n");
#endif
    if (o.json.empty()) return;
    std::ofstream out(o.json);
    out << "{\n  \"benchmark\": \"btree\",\n  \"keys\": " << o.keys << ",\n  \"lookups\": " << o.lookups << ",\n  \"scans\": " << o.scans
        << ",\n  \"page_size\": 4096,\n  \"results\": [\n";
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        const double base = ours_median(r.workload);
        out << "    {\"system\": \"" << r.system << "\", \"workload\": \"" << r.workload << "\", \"unit\": \"" << r.unit << "\", \"median\": " << r.median
            << ", \"min\": " << r.min << ", \"max\": " << r.max << ", \"ops\": " << r.ops << ", \"ratio_to_ours\": " << (base > 0 ? r.median / base : 0.0)
            << "}" << (i + 1 < results.size() ? "," : "") << "\n";
    }
    out << "  ]\n}\n";
}

} // namespace

int main(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--keys") o.keys = std::stoull(next());
        else if (a == "--lookups") o.lookups = std::stoull(next());
        else if (a == "--scans") o.scans = std::stoull(next());
        else if (a == "--repeat") o.repeat = std::stoi(next());
        else if (a == "--json") o.json = next();
        else if (a == "--systems") o.systems = next();
        else {
            std::fprintf(stderr, "usage: bench_btree [--keys N] [--lookups N] [--scans N] [--repeat N] [--json FILE]\n"
                                 "                   [--systems pager,raw,map,sqlite]\n");
            return 2;
        }
    }
    const workload_data d = make_data(o);
    if (o.runs("pager")) bench_pager(o, d);
    if (o.runs("raw")) bench_store(o, d);
    if (o.runs("map")) bench_map(o, d);
#if defined(SQLITEGRAPH_WITH_SQLITE3)
    if (o.runs("sqlite")) bench_sqlite(o, d);
#endif
    print_and_write(o);
    return 0;
}
