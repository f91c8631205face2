// The B+Tree over real pager transactions: commit, rollback, reopen, and
// readers that keep their snapshot while the writer reshapes the tree.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "sqlitegraph/btree/btree.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "support/catch.hpp"

using namespace sqlitegraph;

namespace {

using mem_pager = pager<store_policies<memory_fs>>;
using mem_pager_1k = pager<store_policies<memory_fs, page_size<1024>>>;
using u64_params = btree_params<u64_codec, u64_codec, 4096>;

template <class Txn>
using u64_tree = basic_btree<Txn, u64_params>;

template <class Tree>
std::map<std::uint64_t, std::uint64_t> contents(Tree& tree) {
    std::map<std::uint64_t, std::uint64_t> out;
    for (auto c = tree.begin(); c.valid(); c.next()) out.emplace(c.key(), c.value());
    return out;
}

// Inserts count keys, i * 7919 mod `modulus` for i < count (out of order;
// distinct when count <= modulus, a prime), into a new tree of the
// transaction and the model, and names its root "tree".
template <class Txn>
void fill_scrambled(Txn& tx, std::map<std::uint64_t, std::uint64_t>& model, std::uint64_t count, std::uint64_t modulus) {
    auto tree = u64_tree<Txn>::create(tx);
    for (std::uint64_t i = 0; i < count; ++i) {
        tree.insert(i * 7919 % modulus, i);
        model[i * 7919 % modulus] = i;
    }
    tx.set_root("tree", tree.root());
}

} // namespace

static_assert(page_reader<mem_pager::read_txn>);
static_assert(page_writer<mem_pager::write_txn>);

TEST_CASE("a committed tree survives reopening the pager and is fully accounted by check()", "[btree][pager]") {
    memory_fs fs;
    std::map<std::uint64_t, std::uint64_t> model;
    {
        mem_pager db("t.db", {}, fs);
        auto tx = db.begin_write();
        fill_scrambled(tx, model, 30000, 30011);
        tx.commit();
    }
    mem_pager db("t.db", {}, fs);
    auto rx = db.begin_read();
    u64_tree<mem_pager::read_txn> tree(rx, static_cast<page_id>(rx.root("tree")));
    const auto report = tree.verify(true);
    CHECK(report.entries == model.size());
    CHECK(contents(tree) == model);
    const auto check = db.check(report.pages);
    INFO((check.problems.empty() ? std::string() : check.problems.front()));
    CHECK(check.ok());
}

TEST_CASE("a rolled-back write leaves the committed tree as it was", "[btree][pager]") {
    memory_fs fs;
    mem_pager db("t.db", {}, fs);
    {
        auto tx = db.begin_write();
        auto tree = u64_tree<mem_pager::write_txn>::create(tx);
        for (std::uint64_t i = 0; i < 10000; ++i) tree.insert(i, i);
        tx.set_root("tree", tree.root());
        tx.commit();
    }
    {
        auto tx = db.begin_write();
        u64_tree<mem_pager::write_txn> tree(tx, static_cast<page_id>(tx.root("tree")));
        for (std::uint64_t i = 0; i < 10000; i += 2) tree.erase(i);
        for (std::uint64_t i = 10000; i < 30000; ++i) tree.insert(i, i);
        tree.verify(true);
        tx.set_root("tree", tree.root());
        tx.rollback();
    }
    auto rx = db.begin_read();
    u64_tree<mem_pager::read_txn> tree(rx, static_cast<page_id>(rx.root("tree")));
    CHECK(tree.verify(true).entries == 10000);
    CHECK(tree.count(0, 10000) == 10000);
    CHECK_FALSE(tree.find(20000).has_value());
    CHECK(db.check(tree.verify().pages).ok());
}

TEST_CASE("a reader keeps its snapshot of the tree while the writer splits and merges it", "[btree][pager]") {
    memory_fs fs;
    mem_pager db("t.db", {}, fs);
    {
        auto tx = db.begin_write();
        auto tree = u64_tree<mem_pager::write_txn>::create(tx);
        for (std::uint64_t i = 0; i < 20000; ++i) tree.insert(i * 2, i);
        tx.set_root("tree", tree.root());
        tx.commit();
    }
    auto old_reader = db.begin_read();
    u64_tree<mem_pager::read_txn> old_tree(old_reader, static_cast<page_id>(old_reader.root("tree")));
    const auto before = contents(old_tree);
    auto cursor = old_tree.lower_bound(5000); // pins a leaf of the old snapshot
    for (int round = 0; round < 3; ++round) {
        auto tx = db.begin_write();
        u64_tree<mem_pager::write_txn> tree(tx, static_cast<page_id>(tx.root("tree")));
        for (std::uint64_t i = 0; i < 20000; ++i) {
            if (i % 3 == static_cast<std::uint64_t>(round)) tree.erase(i * 2);
            tree.upsert(i * 2 + 1, i + round);
        }
        tx.set_root("tree", tree.root());
        tx.commit();
        db.checkpoint();
    }
    // The old reader still sees exactly what it saw, through lookups, scans and its cursor.
    CHECK(contents(old_tree) == before);
    CHECK(old_tree.verify(true).entries == 20000);
    REQUIRE(cursor.valid());
    CHECK(cursor.key() == 5000);
    cursor.next();
    CHECK(cursor.key() == 5002);
    auto new_reader = db.begin_read();
    u64_tree<mem_pager::read_txn> new_tree(new_reader, static_cast<page_id>(new_reader.root("tree")));
    CHECK(new_tree.find(1).has_value());
    CHECK_FALSE(new_tree.find(0).has_value());
    new_tree.verify(true);
}

TEST_CASE("random operations over pager transactions with commits and rollbacks match std::map", "[btree][pager][differential]") {
    using P = btree_params<bytes_codec, bytes_codec, 1024>;
    memory_fs fs;
    std::map<std::string, std::string> committed;
    std::mt19937_64 rng(77);
    page_id root = null_page;
    for (int txn = 0; txn < 60; ++txn) {
        auto db = std::make_unique<mem_pager_1k>("r.db", pager_options{}, fs); // reopen every transaction
        auto tx = db->begin_write();
        auto tree = root == null_page ? basic_btree<mem_pager_1k::write_txn, P>::create(tx) : basic_btree<mem_pager_1k::write_txn, P>(tx, root);
        auto model = committed;
        for (int op = 0; op < 400; ++op) {
            const std::string k = "k" + std::to_string(rng() % 3000);
            const std::string v(rng() % 10 == 0 ? 1500 + rng() % 3000 : rng() % 60, static_cast<char>('a' + rng() % 26));
            switch (rng() % 3) {
            case 0:
                REQUIRE(tree.insert(k, v) == model.emplace(k, v).second);
                break;
            case 1:
                REQUIRE(tree.erase(k) == (model.erase(k) > 0));
                break;
            default:
                tree.upsert(k, v);
                model[k] = v;
            }
        }
        REQUIRE(tree.verify(true).entries == model.size());
        if (rng() % 4 == 0) {
            tx.rollback();
        } else {
            tx.set_root("tree", tree.root());
            tx.commit();
            committed = std::move(model);
            root = tree.root();
        }
    }
    mem_pager_1k db("r.db", {}, fs);
    auto rx = db.begin_read();
    basic_btree<mem_pager_1k::read_txn, P> tree(rx, static_cast<page_id>(rx.root("tree")));
    std::map<std::string, std::string> got;
    for (auto c = tree.begin(); c.valid(); c.next()) got.emplace(std::string(c.key()), std::string(c.value()));
    CHECK(got == committed);
    CHECK(db.check(tree.verify(true).pages).ok());
}

TEST_CASE("a reader's kept leaves stay within the cache size and serve its snapshot after commits", "[btree][pager]") {
    // Lookups in a read transaction keep the leaves they visit (seek_leaf):
    // with a cache far smaller than the tree, lookups must stay correct,
    // and the kept leaves must still be the snapshot's after the writer
    // rewrote every leaf and a checkpoint recycled the cache.
    memory_fs fs;
    pager_options options;
    options.cache_pages = 16;
    mem_pager db("t.db", options, fs);
    {
        auto tx = db.begin_write();
        auto tree = u64_tree<mem_pager::write_txn>::create(tx);
        for (std::uint64_t i = 0; i < 30000; ++i) tree.insert(i * 2, i);
        tx.set_root("tree", tree.root());
        tx.commit();
    }
    auto reader = db.begin_read();
    u64_tree<mem_pager::read_txn> old_tree(reader, static_cast<page_id>(reader.root("tree")));
    std::mt19937_64 rng(3);
    auto probe_all = [&](std::uint64_t expected_offset) {
        for (int n = 0; n < 20000; ++n) {
            const std::uint64_t i = rng() % 30000;
            const auto v = old_tree.find(i * 2);
            REQUIRE(v.has_value());
            REQUIRE(*v == i + expected_offset);
            REQUIRE_FALSE(old_tree.find(i * 2 + 1).has_value());
        }
    };
    probe_all(0);
    {
        auto tx = db.begin_write();
        u64_tree<mem_pager::write_txn> tree(tx, static_cast<page_id>(tx.root("tree")));
        for (std::uint64_t i = 0; i < 30000; ++i) tree.upsert(i * 2, i + 7);
        tx.commit();
        db.checkpoint();
    }
    probe_all(0);
    auto fresh = db.begin_read();
    u64_tree<mem_pager::read_txn> new_tree(fresh, static_cast<page_id>(fresh.root("tree")));
    for (std::uint64_t i = 0; i < 30000; i += 97) REQUIRE(*new_tree.find(i * 2) == i + 7);
}

TEST_CASE("the pages readers' trees keep pinned share one budget, half the cache, and come back when the trees go",
          "[btree][pager]") {
    // Each tree keeps the pages its lookups met. With a budget per tree,
    // six trees over two readers pinned ~6x the cache, which then could
    // evict nothing and scanned all of itself on every load.
    memory_fs fs;
    pager_options options;
    options.cache_pages = 32;
    mem_pager db("t.db", options, fs);
    constexpr std::uint64_t keys = 30000;
    {
        auto tx = db.begin_write();
        auto tree = u64_tree<mem_pager::write_txn>::create(tx);
        for (std::uint64_t i = 0; i < keys; ++i) tree.insert(i, i + 1);
        tx.set_root("tree", tree.root());
        tx.commit();
        db.checkpoint();
    }
    {
        auto first = db.begin_read();
        auto second = db.begin_read();
        std::vector<std::unique_ptr<u64_tree<mem_pager::read_txn>>> trees;
        for (auto* reader : {&first, &second})
            for (int t = 0; t < 3; ++t)
                trees.push_back(std::make_unique<u64_tree<mem_pager::read_txn>>(*reader, static_cast<page_id>(reader->root("tree"))));
        std::mt19937_64 rng(5);
        for (int n = 0; n < 20000; ++n) {
            auto& tree = *trees[static_cast<std::size_t>(n) % trees.size()];
            const std::uint64_t k = rng() % keys;
            REQUIRE(tree.find(k) == std::optional<std::uint64_t>(k + 1));
        }
        const auto during = db.stats();
        CHECK(during.kept_pins == options.cache_pages / 2);
        CHECK(during.cached_pages <= options.cache_pages);
        trees.erase(trees.begin(), trees.begin() + 3); // the first reader's trees go
        second.end();                                   // the second's budget comes back with its snapshot
        CHECK(db.stats().kept_pins == 0);
    }
    CHECK(db.stats().kept_pins == 0);
}

// Scans that ask for read hints (prefetch_leaf: the next leaf's page cache
// entry) see what scans without them
// see: every entry once, in order, from any start, entry by entry or a leaf
// at a time, stopping and going on. The tree is checkpointed into the main
// file first, the state in which the pager takes the hints.
TEST_CASE("scans with read hints see every entry once, in order, from any start", "[btree][pager]") {
    static_assert(requires(mem_pager::read_txn& r) { r.prefetch(page_id{}); });
    memory_fs fs;
    mem_pager db("t.db", {}, fs);
    std::map<std::uint64_t, std::uint64_t> model;
    {
        auto tx = db.begin_write();
        fill_scrambled(tx, model, 20000, 20011);
        tx.commit();
    }
    db.checkpoint();
    REQUIRE(db.stats().log_frames == 0);
    auto rx = db.begin_read();
    u64_tree<mem_pager::read_txn> tree(rx, static_cast<page_id>(rx.root("tree")));
    REQUIRE(tree.verify(true).leaf_pages > 20); // many leaves to hop between
    for (const std::uint64_t start : {std::uint64_t{0}, std::uint64_t{5003}, std::uint64_t{19999}}) {
        CAPTURE(start);
        const std::vector<std::pair<std::uint64_t, std::uint64_t>> expected(model.lower_bound(start), model.end());
        // Entry by entry, hinting at each new leaf.
        std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
        page_id leaf = null_page;
        for (auto c = tree.lower_bound(start); c.valid(); c.next()) {
            if (c.leaf() != leaf) {
                leaf = c.leaf();
                c.prefetch_leaf();
            }
            seen.emplace_back(c.key(), c.value());
        }
        CHECK(seen == expected);
        // A leaf at a time, stopping at every 1000th key and going on from there.
        seen.clear();
        for (auto c = tree.lower_bound(start); c.valid(); c.next()) {
            c.prefetch_leaf();
            while (!c.for_each_in_leaf([&](std::uint64_t k, std::uint64_t v) {
                if (k % 1000 == 999 && (seen.empty() || seen.back().first != k)) return false;
                seen.emplace_back(k, v);
                return true;
            })) {
                seen.emplace_back(c.key(), c.value()); // the entry it stopped at
                c.next();
                if (!c.valid()) break;
            }
        }
        CHECK(seen == expected);
    }
}

TEST_CASE("a bulk load in a pager transaction writes its finished pages out before the commit", "[btree][pager]") {
    memory_fs fs;
    std::map<std::uint64_t, std::uint64_t> model;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> input;
    for (std::uint64_t i = 0; i < 100000; ++i) {
        input.emplace_back(i * 3, i);
        model[i * 3] = i;
    }
    {
        mem_pager db("t.db", {}, fs);
        auto tx = db.begin_write();
        auto tree = u64_tree<mem_pager::write_txn>::create(tx);
        tree.bulk_load(input);
        const auto report = tree.verify(true);
        REQUIRE(report.leaf_pages > 100);
        // Every leaf but the last two and every internal page is already
        // in the main file (write_txn::spill), not held until the commit.
        const auto file = fs.contents("t.db");
        std::size_t pages_out = 0;
        for (const page_id id : report.pages) {
            const std::size_t at = std::size_t{id} * mem_pager::page_size();
            if (at + mem_pager::page_size() <= file.size() && load_le<std::uint32_t>(file.data() + at + page_id_offset) == id)
                ++pages_out;
        }
        INFO(pages_out << " of " << report.pages.size() << " pages written out");
        CHECK(pages_out + 2 == report.pages.size()); // the last two leaves stay: fix_last_leaf may change them
        CHECK(contents(tree) == model); // read back from the file within the transaction
        tree.insert(1, 1);              // and changed again: a spilled leaf becomes dirty once more
        model[1] = 1;
        tx.set_root("tree", tree.root());
        tx.commit();
    }
    mem_pager db("t.db", {}, fs);
    auto rx = db.begin_read();
    u64_tree<mem_pager::read_txn> tree(rx, static_cast<page_id>(rx.root("tree")));
    const auto report = tree.verify(true);
    CHECK(contents(tree) == model);
    CHECK(db.check(report.pages).ok());
}
