// The node record cache (graph/node_cache.hpp) and its use by the store:
// a committed change is seen through it, a rolled-back one never is, older
// snapshots bypass it, a commit outside the protocol empties it, it stays
// within its bound, and concurrent readers never see a mix of two states;
// batch lookups (find_many, for_each_neighbor_of) agree with single ones.
#include "graph/graph_stores.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/graph/node_cache.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "support/catch.hpp"

#include <array>
#include <atomic>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

using namespace sqlitegraph;

namespace {
std::string record_of(const char* text) { return std::string(text); }
} // namespace

TEST_CASE("node_cache serves only the state it is valid for", "[graph][cache]") {
    node_cache c(1 << 20, 5);
    c.insert(1, "one", 5);
    c.insert(2, "two", 4); // an older snapshot must not fill it
    std::string got;
    REQUIRE(c.find(1, 5, [&](std::string_view r) { got = r; }));
    REQUIRE(got == "one");
    REQUIRE_FALSE(c.find(2, 5, [](std::string_view) {}));
    REQUIRE_FALSE(c.find(1, 4, [](std::string_view) {})); // older snapshot: bypassed
    REQUIRE_FALSE(c.find(1, 6, [](std::string_view) {})); // newer snapshot: bypassed
    const auto s = c.stats();
    REQUIRE(s.hits == 1);
    REQUIRE(s.misses == 1);
    REQUIRE(s.bypassed == 2);
    REQUIRE(s.entries == 1);
}

TEST_CASE("node_cache commit protocol drops written ids and moves to the new state", "[graph][cache]") {
    node_cache c(1 << 20, 7);
    c.insert(1, "a", 7);
    c.insert(2, "b", 7);
    const std::vector<std::uint64_t> touched{2};
    const auto token = c.begin_commit(touched, 7);
    // Between the two steps nobody may use or fill it.
    REQUIRE_FALSE(c.find(1, 7, [](std::string_view) {}));
    REQUIRE_FALSE(c.find(1, 8, [](std::string_view) {}));
    c.insert(2, "new b", 8);
    c.end_commit(token, 7, 8);
    REQUIRE(c.find(1, 8, [](std::string_view r) { REQUIRE(r == "a"); }));
    REQUIRE_FALSE(c.find(2, 8, [](std::string_view) {}));

    // A commit that skipped the protocol (state 8 -> 9 unseen) makes the
    // next protocol commit (base 9) empty the cache.
    const auto t2 = c.begin_commit({}, 9);
    c.end_commit(t2, 9, 10);
    REQUIRE(c.stats().entries == 0);
    REQUIRE_FALSE(c.find(1, 10, [](std::string_view) {}));

    // A later commit that began before an earlier one finished decides.
    c.insert(1, "a", 10);
    const auto t3 = c.begin_commit({}, 10);
    const auto t4 = c.begin_commit({}, 11);
    c.end_commit(t3, 10, 11); // stale token: ignored
    REQUIRE_FALSE(c.find(1, 11, [](std::string_view) {}));
    c.end_commit(t4, 11, 12);
    REQUIRE_FALSE(c.find(1, 12, [](std::string_view) {})); // emptied: the cache was not valid for 11
    REQUIRE(c.stats().entries == 0);
}

TEST_CASE("node_cache stays within its capacity", "[graph][cache]") {
    const std::size_t capacity = 64 * 1024;
    node_cache c(capacity, 1);
    const std::string big(300, 'x');
    for (std::uint64_t id = 1; id <= 5000; ++id)
        c.insert(id, id % 10 == 0 ? big : record_of("small record"), 1);
    const auto s = c.stats();
    REQUIRE(s.bytes <= capacity);
    REQUIRE(s.entries <= capacity / node_cache::slot_bytes);
    REQUIRE(s.replaced > 0);
    // Whatever is still cached is the right record.
    std::size_t found = 0;
    for (std::uint64_t id = 1; id <= 5000; ++id) {
        if (c.find(id, 1, [&](std::string_view r) { REQUIRE(r == (id % 10 == 0 ? big : "small record")); })) ++found;
    }
    REQUIRE(found == s.entries);
    c.set_capacity(0);
    REQUIRE(c.stats().entries == 0);
    c.insert(1, "x", 1);
    REQUIRE(c.stats().bytes == 0);
}

TEST_CASE("node_cache takes memory as entries arrive, not all of its budget up front", "[graph][cache]") {
    const std::size_t capacity = std::size_t{256} << 20;
    node_cache c(capacity, 1);
    const std::size_t empty_bytes = c.stats().bytes;
    REQUIRE(empty_bytes <= 1024 * node_cache::slot_bytes); // not 3/4 of 256 MiB
    for (std::uint64_t id = 1; id <= 20000; ++id) {
        const std::string record = "r" + std::to_string(id);
        c.insert(id, record, 1);
    }
    const auto s = c.stats();
    REQUIRE(s.bytes > empty_bytes);
    REQUIRE(s.bytes <= capacity);
    // Dense ids and a doubling array: nothing was pushed out, and every
    // record moved to its new slot intact.
    REQUIRE(s.entries == 20000);
    for (std::uint64_t id = 1; id <= 20000; ++id)
        REQUIRE(c.find(id, 1, [&](std::string_view r) { REQUIRE(r == "r" + std::to_string(id)); }));
}

TEST_CASE("node_cache grows when keys that use only even slots keep pushing each other out", "[graph][cache]") {
    // The adjacency cache keys a node's out-list as id * 2. A traversal in
    // one direction that never reaches some nodes (here every 64th) used to
    // leave some even slots, and every odd one, empty: the array never
    // became half full, never grew past 1,024 slots, and the entries kept
    // replacing each other (504 of 19,688 cached). It must grow instead.
    node_cache c(std::size_t{256} << 20, 1);
    const std::uint64_t nodes = 20000;
    auto reached = [](std::uint64_t id) { return id % 64 != 0; };
    for (int pass = 0; pass < 3; ++pass) {
        for (std::uint64_t id = 1; id <= nodes; ++id) {
            if (!reached(id)) continue;
            if (!c.find(id * 2, 1, [](std::string_view) {})) c.insert(id * 2, "out " + std::to_string(id), 1);
        }
    }
    std::size_t keys = 0;
    for (std::uint64_t id = 1; id <= nodes; ++id) {
        if (!reached(id)) continue;
        ++keys;
        REQUIRE(c.find(id * 2, 1, [&](std::string_view r) { REQUIRE(r == "out " + std::to_string(id)); }));
    }
    const auto s = c.stats();
    REQUIRE(s.entries == keys);
    REQUIRE(s.bytes <= std::size_t{256} << 20);
}

TEST_CASE("node_cache spreads one direction's adjacency keys over the whole bounded array", "[graph][cache]") {
    // 1,536 slots at most; 1,500 nodes' out-lists (keys id * 2). Placed at
    // key mod slot count they could use only the 768 even slots.
    node_cache c(2048 * node_cache::slot_bytes, 1);
    const std::uint64_t nodes = 1500;
    for (int pass = 0; pass < 3; ++pass) {
        for (std::uint64_t id = 1; id <= nodes; ++id) {
            if (!c.find(id * 2, 1, [](std::string_view) {})) c.insert(id * 2, "out " + std::to_string(id), 1);
        }
    }
    for (std::uint64_t id = 1; id <= nodes; ++id)
        REQUIRE(c.find(id * 2, 1, [&](std::string_view r) { REQUIRE(r == "out " + std::to_string(id)); }));
    REQUIRE(c.stats().entries == nodes);
}

TEST_CASE("node_cache keeps both directions' adjacency keys of dense nodes without collisions", "[graph][cache]") {
    node_cache c(std::size_t{256} << 20, 1);
    const std::uint64_t nodes = 5000;
    for (std::uint64_t id = 1; id <= nodes; ++id) {
        c.insert(id * 2, "out " + std::to_string(id), 1);
        c.insert(id * 2 + 1, "in " + std::to_string(id), 1);
    }
    REQUIRE(c.stats().entries == 2 * nodes);
    REQUIRE(c.stats().replaced == 0);
    for (std::uint64_t id = 1; id <= nodes; ++id) {
        REQUIRE(c.find(id * 2, 1, [&](std::string_view r) { REQUIRE(r == "out " + std::to_string(id)); }));
        REQUIRE(c.find(id * 2 + 1, 1, [&](std::string_view r) { REQUIRE(r == "in " + std::to_string(id)); }));
    }
}

TEST_CASE("node_cache lets large records use the capacity the slots leave", "[graph][cache]") {
    // 1,000 records of 500 bytes: 500 KB of heap, more than a quarter of
    // 1 MiB, next to 2,048 slots (256 KiB). All of it fits the capacity.
    const std::size_t capacity = std::size_t{1} << 20;
    node_cache c(capacity, 1);
    const std::string big(500, 'b');
    for (std::uint64_t id = 1; id <= 1000; ++id)
        c.insert(id, big, 1);
    const auto s = c.stats();
    REQUIRE(s.entries == 1000);
    REQUIRE(s.bytes <= capacity);
    // Past the capacity, records are refused rather than the bound broken.
    for (std::uint64_t id = 1001; id <= 3000; ++id)
        c.insert(id, big, 1);
    REQUIRE(c.stats().bytes <= capacity);
    REQUIRE(c.stats().entries < 3000);
}

TEST_CASE("node_cache does not grow its slots into the room its large records need", "[graph][cache]") {
    // A dense traversal's lists, as a full BFS reads them: 1,100 keys
    // id * 2, which fit a 2,048-slot array (256 KiB) without a collision;
    // 500 of them are 1,200-byte records (600 KB on the heap), met first
    // (the hubs) and last. Together they fit 1 MiB. Growing the half-full
    // array to 4,096 slots (as the cache once did, into the room the heap
    // had left at that moment) left too little for the last records, and
    // they missed on every pass.
    const std::size_t capacity = std::size_t{1} << 20;
    node_cache c(capacity, 1);
    const std::uint64_t keys = 1100;
    auto record = [](std::uint64_t id) {
        return id <= 300 || id > 900 ? std::string(1200, static_cast<char>('a' + id % 26)) : "small " + std::to_string(id);
    };
    std::size_t misses = 0;
    for (int pass = 0; pass < 3; ++pass) {
        misses = 0;
        for (std::uint64_t id = 1; id <= keys; ++id) {
            if (c.find(id * 2, 1, [&](std::string_view r) { REQUIRE(r == record(id)); })) continue;
            ++misses;
            c.insert(id * 2, record(id), 1);
        }
    }
    REQUIRE(misses == 0);
    const auto s = c.stats();
    REQUIRE(s.entries == keys);
    REQUIRE(s.replaced == 0);
    REQUIRE(s.bytes <= capacity);
}

TEST_CASE("node_cache stops growing at its bound and then replaces entries", "[graph][cache]") {
    const std::size_t capacity = 2048 * node_cache::slot_bytes; // 3/4 of it: 1,536 slots at most
    node_cache c(capacity, 1);
    for (std::uint64_t id = 1; id <= 10000; ++id)
        c.insert(id * 2, "x", 1);
    const auto s = c.stats();
    REQUIRE(s.bytes <= capacity);
    REQUIRE(s.entries <= capacity / 4 * 3 / node_cache::slot_bytes);
    REQUIRE(s.replaced > 0);
}

TEMPLATE_TEST_CASE("a committed node change is seen through the cache; older snapshots keep theirs", "[graph][cache]",
                   testing::store_varint_4k, testing::store_fixed_1k) {
    memory_fs fs;
    TestType db("g.db", {}, fs);
    const node_id a = db.insert_node({.kind = "person", .name = "alice", .properties = R"({"v": 1})"});
    const node_id b = db.insert_node({.kind = "person", .name = "bob"});
    REQUIRE(db.get_node(a)->name == "alice"); // fills the cache
    const auto hits_before = db.node_cache_statistics().hits;
    REQUIRE(db.get_node(a)->name == "alice");
    REQUIRE(db.node_cache_statistics().hits == hits_before + 1);

    auto old_snapshot = db.begin_read();
    REQUIRE(old_snapshot.get_node(a)->name == "alice");
    {
        auto tx = db.begin_write();
        tx.update_node(a, {.name = std::string("alicia"), .properties = std::string(R"({"v": 2})")});
        REQUIRE(tx.get_node(a)->name == "alicia"); // the writer reads its own change
        tx.commit();
    }
    const auto n = db.get_node(a);
    REQUIRE(n->name == "alicia");
    REQUIRE(n->template get<std::int64_t>("v") == 2);
    REQUIRE(db.get_node(b)->name == "bob");
    // The snapshot from before the commit still reads the old record.
    REQUIRE(old_snapshot.get_node(a)->name == "alice");
    REQUIRE(old_snapshot.get_node(a)->template get<std::int64_t>("v") == 1);

    db.erase_node(b);
    REQUIRE_FALSE(db.get_node(b).has_value());
    REQUIRE_FALSE(db.begin_read().node_exists(b));
    REQUIRE(old_snapshot.node_exists(b));
}

TEMPLATE_TEST_CASE("the adjacency cache knows a node without edges exists, and forgets it when it is erased",
                   "[graph][cache]", testing::store_varint_4k, testing::store_fixed_1k) {
    // for_each_neighbor on a node without edges answers from an empty
    // cached entry, without a node lookup; such an entry must never outlive
    // the node, nor be made for an id that does not exist.
    memory_fs fs;
    TestType db("g.db", {}, fs);
    const node_id lonely = db.insert_node({.kind = "k", .name = "lonely"});
    const node_id a = db.insert_node({.kind = "k", .name = "a"});
    const node_id b = db.insert_node({.kind = "k", .name = "b"});
    db.insert_edge({.from = a, .to = b, .type = "t"});
    const node_id missing = b + 100;
    auto count_out = [&](node_id id) {
        std::size_t n = 0;
        db.begin_read().for_each_neighbor(id, direction::out, [&](node_id, edge_id, std::uint32_t, direction) { ++n; });
        return n;
    };
    for (int pass = 0; pass < 2; ++pass) { // the second pass is served by the cache
        REQUIRE(count_out(lonely) == 0);
        REQUIRE(count_out(b) == 0); // in-edges only
        REQUIRE(count_out(a) == 1);
        REQUIRE(testing::error_code_of([&] { count_out(missing); }) == errc::not_found);
    }
    const auto hits = db.adjacency_cache_statistics().hits;
    REQUIRE(count_out(lonely) == 0);
    REQUIRE(db.adjacency_cache_statistics().hits == hits + 1);

    db.erase_node(lonely);
    db.erase_node(b); // also erases a -> b
    REQUIRE(testing::error_code_of([&] { count_out(lonely); }) == errc::not_found);
    REQUIRE(testing::error_code_of([&] { count_out(b); }) == errc::not_found);
    REQUIRE(count_out(a) == 0);
    // A node made after the lookups of the missing id has no edges either.
    const node_id next = db.insert_node({.kind = "k", .name = "next"});
    REQUIRE(count_out(next) == 0);
}

TEMPLATE_TEST_CASE("a rolled-back node change is never seen through the cache", "[graph][cache]",
                   testing::store_varint_4k, testing::store_fixed_1k) {
    memory_fs fs;
    TestType db("g.db", {}, fs);
    const node_id a = db.insert_node({.kind = "person", .name = "alice"});
    const node_id b = db.insert_node({.kind = "person", .name = "bob"});
    REQUIRE(db.get_node(a)->name == "alice");
    {
        auto tx = db.begin_write();
        tx.update_node(a, {.name = std::string("mallory")});
        tx.erase_node(b);
        REQUIRE(tx.get_node(a)->name == "mallory");
        // A reader during the write transaction sees the committed state.
        REQUIRE(db.get_node(a)->name == "alice");
        tx.rollback();
    }
    {
        auto tx = db.begin_write();
        tx.update_node(a, {.name = std::string("eve")});
        // destroyed without commit
    }
    const auto hits_before = db.node_cache_statistics().hits;
    REQUIRE(db.get_node(a)->name == "alice");
    REQUIRE(db.get_node(b)->name == "bob");
    REQUIRE(db.node_cache_statistics().hits > hits_before); // the cache survived the rollbacks
}

TEMPLATE_TEST_CASE("a commit that bypasses the cache protocol is still seen", "[graph][cache]",
                   testing::store_varint_4k) {
    memory_fs fs;
    TestType db("g.db", {}, fs);
    const node_id a = db.insert_node({.kind = "k", .name = "one"});
    REQUIRE(db.get_node(a)->name == "one");
    {
        // A write transaction made straight from the pager knows no cache.
        typename TestType::write_transaction tx(db.pager_handle().begin_write());
        tx.update_node(a, {.name = std::string("two")});
        tx.commit();
    }
    REQUIRE(db.get_node(a)->name == "two");
    db.insert_node({.kind = "k", .name = "other"}); // a protocol commit after the unseen one
    REQUIRE(db.get_node(a)->name == "two");
    REQUIRE(db.get_node(a)->name == "two");
}

TEST_CASE("the store's node cache stays within its capacity", "[graph][cache]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    db.set_node_cache_capacity(32 * 1024);
    std::vector<node_input> nodes;
    for (int i = 0; i < 3000; ++i)
        nodes.push_back({"k", "n" + std::to_string(i), i % 7 == 0 ? R"({"pad": ")" + std::string(200, 'p') + "\"}" : ""});
    {
        auto tx = db.begin_write();
        tx.bulk_insert(nodes, {});
        tx.commit();
    }
    for (int pass = 0; pass < 2; ++pass) {
        auto r = db.begin_read();
        for (node_id id = 1; id <= 3000; ++id)
            REQUIRE(r.get_node(id)->name == "n" + std::to_string(id - 1));
    }
    // A working set that fits is served from the cache.
    for (int pass = 0; pass < 2; ++pass) {
        auto r = db.begin_read();
        for (node_id id = 1; id <= 100; ++id)
            REQUIRE(r.get_node(id)->name == "n" + std::to_string(id - 1));
    }
    const auto s = db.node_cache_statistics();
    REQUIRE(s.capacity == 32 * 1024);
    REQUIRE(s.bytes <= s.capacity);
    REQUIRE(s.hits > 0);
    REQUIRE(s.replaced > 0);
}

TEST_CASE("concurrent readers never see node records of two states at once", "[graph][cache][concurrency]") {
    memory_fs fs;
    testing::store_varint_4k db("g.db", {}, fs);
    const node_id a = db.insert_node({.kind = "k", .name = "0"});
    const node_id b = db.insert_node({.kind = "k", .name = "0"});
    std::atomic<bool> stop{false};
    std::atomic<int> mismatches{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 2; ++t) {
        readers.emplace_back([&] {
            while (!stop.load()) {
                auto r = db.begin_read();
                const auto x = r.get_node(a)->name;
                const auto y = r.get_node(b)->name;
                if (x != y) mismatches.fetch_add(1);
            }
        });
    }
    for (int i = 1; i <= 300; ++i) {
        auto tx = db.begin_write();
        tx.update_node(a, {.name = std::to_string(i)});
        tx.update_node(b, {.name = std::to_string(i)});
        tx.commit();
    }
    stop = true;
    for (auto& t : readers)
        t.join();
    REQUIRE(mismatches.load() == 0);
    REQUIRE(db.get_node(a)->name == "300");
}

TEST_CASE("node_cache keeps a random working set far smaller than its bound after one pass", "[graph][cache]") {
    // A query over the same 10,000 random nodes of a big graph, repeated
    // (the Q2 workload): in a direct-mapped array kept half full, keys whose
    // slots collide pushed each other out on every pass, and 44% of the
    // lookups missed for good. Each key has two slots and the array grows
    // while an eighth full, so after the first pass nearly all hit.
    node_cache c(std::size_t{256} << 20, 1);
    std::mt19937_64 rng(5);
    std::vector<std::uint64_t> keys(10000);
    for (auto& k : keys) k = 2 * (1 + rng() % 1'000'000); // out-lists: even keys
    std::size_t misses = 0;
    for (int pass = 0; pass < 3; ++pass) {
        misses = 0;
        for (const auto k : keys) {
            if (c.find(k, 1, [](std::string_view) {})) continue;
            ++misses;
            c.insert(k, "list " + std::to_string(k), 1);
        }
    }
    REQUIRE(misses <= keys.size() / 100);
    REQUIRE(c.stats().bytes <= std::size_t{256} << 20);
}

TEST_CASE("node_cache keeps keys whose home slots crowd, and gives a home back to its own key", "[graph][cache]") {
    // A bound of exactly 1,024 slots (174,764 * 3 / 4 / 128), so the array
    // never grows. Even keys 2 * (1 + 1024 j) all have home slot 1, as the
    // well-connected nodes of an R-MAT graph crowd into the slots whose
    // index has few one bits.
    node_cache c(174764, 1);
    std::vector<std::uint64_t> crowded;
    for (std::uint64_t j = 0; j < 100; ++j)
        crowded.push_back(2 * (1 + 1024 * j));
    for (const auto k : crowded)
        c.insert(k, "crowd", 1);
    std::size_t kept = 0;
    for (const auto k : crowded)
        kept += c.find(k, 1, [](std::string_view r) { REQUIRE(r == "crowd"); }) ? 1 : 0;
    // Home and partner hold two; the others live in their hashed slots,
    // which collide only now and then (a home pair alone kept 2 of 100).
    REQUIRE(kept >= 90);
    REQUIRE(c.stats().entries == kept);

    // Dense keys 4 .. 2046 (homes 2 .. 1023, every slot but the crowd's
    // home pair) then take their homes back from the crowd's keys living
    // there as guests: every one of them stays.
    for (std::uint64_t m = 2; m < 1024; ++m)
        c.insert(2 * m, "dense", 1);
    for (std::uint64_t m = 2; m < 1024; ++m)
        REQUIRE(c.find(2 * m, 1, [](std::string_view r) { REQUIRE(r == "dense"); }));
    REQUIRE(c.stats().capacity == 174764);

    // A commit that wrote keys drops each from whichever slot holds it.
    std::vector<std::uint64_t> written = crowded;
    for (std::uint64_t m = 2; m < 1024; ++m)
        written.push_back(2 * m);
    const auto token = c.begin_commit(written, 1);
    c.end_commit(token, 1, 2);
    REQUIRE(c.stats().entries == 0);
    for (const auto k : written)
        REQUIRE_FALSE(c.find(k, 2, [](std::string_view) {}));
}

TEST_CASE("node_cache find_many looks up a batch as find() looks up each key", "[graph][cache]") {
    node_cache c(1 << 20, 5);
    std::vector<std::uint64_t> keys;
    for (std::uint64_t k = 1; k <= node_cache::max_batch; ++k) {
        keys.push_back(k * 7919 % 5000 + 1);
        if (k % 3 != 0) c.insert(keys.back(), std::string(k % 2 == 0 ? 300 : 10, static_cast<char>('a' + k % 26)), 5); // heap and inline records
    }
    std::vector<std::pair<std::size_t, std::string>> got;
    REQUIRE(c.find_many(keys, 5, [&](std::size_t i, std::string_view r) { got.emplace_back(i, std::string(r)); }));
    std::size_t expected_hits = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        std::string one;
        const bool hit = c.find(keys[i], 5, [&](std::string_view r) { one = r; });
        if (!hit) continue;
        REQUIRE(expected_hits < got.size());
        REQUIRE(got[expected_hits] == std::pair<std::size_t, std::string>(i, one)); // in order, the same records
        ++expected_hits;
    }
    REQUIRE(got.size() == expected_hits);
    REQUIRE(expected_hits == node_cache::max_batch - node_cache::max_batch / 3);
    // Another state: bypassed, nothing called; more than max_batch keys: refused.
    REQUIRE_FALSE(c.find_many(keys, 6, [](std::size_t, std::string_view) { FAIL("called for a bypassed batch"); }));
    keys.push_back(1);
    REQUIRE_THROWS_AS(c.find_many(keys, 5, [](std::size_t, std::string_view) {}), std::length_error);
}

TEMPLATE_TEST_CASE("for_each_neighbor_of gives each node's entries as for_each_neighbor does", "[graph][cache]",
                   testing::store_varint_4k, testing::store_fixed_1k) {
    memory_fs fs;
    TestType db("g.db", {}, fs);
    const auto nodes = testing::add_random_graph(db, 300, 3000, 23);
    std::mt19937_64 rng(23);
    using entry = std::tuple<std::size_t, node_id, edge_id, std::uint32_t, direction>;
    auto one_by_one = [](auto& r, const std::vector<node_id>& ids, direction dir, const type_filter& types) {
        std::vector<entry> out;
        for (std::size_t i = 0; i < ids.size(); ++i)
            r.for_each_neighbor(
                ids[i], dir, [&](node_id m, edge_id e, std::uint32_t t, direction w) { out.emplace_back(i, m, e, t, w); },
                types);
        return out;
    };
    auto batch = [](auto& r, const std::vector<node_id>& ids, direction dir, const type_filter& types) {
        std::vector<entry> out;
        r.for_each_neighbor_of(
            ids, dir, [&](std::size_t i, node_id m, edge_id e, std::uint32_t t, direction w) { out.emplace_back(i, m, e, t, w); },
            types);
        return out;
    };
    const std::vector<type_filter> filters{{}, {"b"}, {"a", "b"}, {"nothing"}};
    for (int round = 0; round < 20; ++round) {
        // Up to 3 blocks of keys, duplicates included; a batch read twice
        // (the second time from the cache) and once in a write transaction
        // (which does not use the cache).
        std::vector<node_id> ids(rng() % 200);
        for (auto& id : ids)
            id = nodes[rng() % nodes.size()];
        const direction dir = std::array{direction::out, direction::in, direction::both}[rng() % 3];
        const auto& types = filters[rng() % filters.size()];
        auto r = db.begin_read();
        const auto expected = one_by_one(r, ids, dir, types);
        REQUIRE(batch(r, ids, dir, types) == expected);
        REQUIRE(batch(r, ids, dir, types) == expected);
        auto w = db.begin_write();
        REQUIRE(batch(w, ids, dir, types) == expected);
    }
    REQUIRE(db.adjacency_cache_statistics().hits > 0);

    // An unknown id: errc::not_found, after the entries of the nodes before it.
    const std::vector<node_id> with_unknown{nodes[0], nodes[1], nodes.back() + 1, nodes[2]};
    auto r = db.begin_read();
    std::vector<entry> delivered;
    const auto code = testing::error_code_of([&] {
        r.for_each_neighbor_of(with_unknown, direction::both, [&](std::size_t i, node_id m, edge_id e, std::uint32_t t, direction w) {
            delivered.emplace_back(i, m, e, t, w);
        });
    });
    REQUIRE(code == errc::not_found);
    REQUIRE(delivered == one_by_one(r, {nodes[0], nodes[1]}, direction::both, {}));
    REQUIRE_FALSE(delivered.empty());
    // An older snapshot is not served by the cache (bypassed), and still sees its own edges.
    auto old = db.begin_read();
    const auto before = batch(old, nodes, direction::out, {});
    db.insert_edge({.from = nodes[5], .to = nodes[6], .type = "a"});
    REQUIRE(batch(old, nodes, direction::out, {}) == before);
    auto now = db.begin_read();
    REQUIRE(batch(now, nodes, direction::out, {}).size() == before.size() + 1);
}
