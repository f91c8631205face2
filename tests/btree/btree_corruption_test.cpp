// Damaged pages are reported as errc::corruption naming the page, by
// verify() and by ordinary operations, and never crash (run under ASan).
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "btree/memory_page_store.hpp"
#include "sqlitegraph/btree/btree.hpp"
#include "support/catch.hpp"

using namespace sqlitegraph;
using store_t = test::memory_page_store;
using u64_params = btree_params<u64_codec, u64_codec, 4096>;
using bytes_params = btree_params<bytes_codec, bytes_codec, 1024>;
using u64_tree = basic_btree<store_t, u64_params>;
using bytes_tree = basic_btree<store_t, bytes_params>;

namespace {

// Runs fn and returns the message of the corruption error it throws; fails
// the test if it throws anything else or nothing.
std::string corruption_from(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const error& e) {
        if (e.code() != errc::corruption) FAIL("expected corruption, got " << e.what());
        return e.what();
    }
    FAIL("damage went unnoticed");
    return {};
}

struct u64_fixture {
    store_t store{4096};
    u64_tree tree = u64_tree::create(store);
    u64_fixture() {
        for (std::uint64_t i = 0; i < 100000; ++i) tree.insert(i * 7 % 100000, i);
    }
    // A leaf and its parent, found by walking from the root.
    page_id some_internal() { return tree.root(); }
    page_id leaf_holding(std::uint64_t k) { return tree.lower_bound(k).leaf(); }
};

struct bytes_fixture {
    store_t store{1024};
    bytes_tree tree = bytes_tree::create(store);
    bytes_fixture() {
        for (int i = 0; i < 3000; ++i) tree.insert("key" + std::to_string(i), std::string(i % 5 == 0 ? 2000 : 20, 'v'));
    }
};

void put_u16(std::byte* p, std::size_t off, std::uint16_t v) {
    p[off] = std::byte(v & 0xff);
    p[off + 1] = std::byte(v >> 8);
}
void put_u32(std::byte* p, std::size_t off, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[off + i] = std::byte((v >> (8 * i)) & 0xff);
}

} // namespace

TEST_CASE("a leaf with the wrong page type is corruption naming the page", "[btree][corruption]") {
    u64_fixture f;
    const page_id leaf = f.leaf_holding(500);
    f.store.raw(leaf)[page_type_offset] = std::byte{static_cast<std::uint8_t>(page_type::overflow)};
    const std::string msg = corruption_from([&] { (void)f.tree.find(500); });
    CHECK(msg.find("page " + std::to_string(leaf)) != std::string::npos);
    corruption_from([&] { f.tree.verify(); });
}

TEST_CASE("a cell count beyond the page is corruption, for lookups and verify", "[btree][corruption]") {
    u64_fixture f;
    const page_id leaf = f.leaf_holding(500);
    put_u16(f.store.raw(leaf), btree_format::count_offset, 60000);
    corruption_from([&] { (void)f.tree.find(500); });
    corruption_from([&] { f.tree.verify(); });
    corruption_from([&] { f.tree.insert(500, 1); });
}

TEST_CASE("a page whose header names another page is corruption", "[btree][corruption]") {
    u64_fixture f;
    put_u32(f.store.raw(f.tree.root()), page_id_offset, 12345);
    const std::string msg = corruption_from([&] { (void)f.tree.find(1); });
    CHECK(msg.find("12345") != std::string::npos);
}

TEST_CASE("keys out of order inside a leaf are found by verify", "[btree][corruption]") {
    u64_fixture f;
    const page_id leaf = f.leaf_holding(500);
    std::byte* p = f.store.raw(leaf);
    std::swap_ranges(p + btree_format::node_header_end, p + btree_format::node_header_end + 8, p + btree_format::node_header_end + 16);
    const std::string msg = corruption_from([&] { f.tree.verify(true); });
    CHECK(msg.find("page " + std::to_string(leaf)) != std::string::npos);
}

TEST_CASE("a key outside its separators is found by verify", "[btree][corruption]") {
    u64_fixture f;
    const page_id leaf = f.leaf_holding(50000);
    put_u32(f.store.raw(leaf), btree_format::node_header_end, 0); // low half of the first key
    std::byte* p = f.store.raw(leaf);
    for (int i = 4; i < 8; ++i) p[btree_format::node_header_end + i] = std::byte{0};
    corruption_from([&] { f.tree.verify(true); });
}

TEST_CASE("a broken leaf chain is found by verify and by cursors", "[btree][corruption]") {
    u64_fixture f;
    const page_id leaf = f.leaf_holding(500);
    const page_id other = f.leaf_holding(90000);
    put_u32(f.store.raw(leaf), btree_format::link1_offset, other);
    corruption_from([&] { f.tree.verify(); });
    corruption_from([&] {
        for (auto c = f.tree.lower_bound(500); c.valid(); c.next()) {
        }
    });
}

TEST_CASE("a child link to the null page or to a page reached twice is corruption", "[btree][corruption]") {
    {
        u64_fixture f;
        put_u32(f.store.raw(f.tree.root()), btree_format::link0_offset, 0);
        corruption_from([&] { (void)f.tree.find(0); });
        corruption_from([&] { f.tree.verify(); });
    }
    {
        u64_fixture f;
        std::byte* root = f.store.raw(f.tree.root());
        const std::uint32_t first_child = static_cast<std::uint32_t>(std::to_integer<unsigned>(root[btree_format::link0_offset])) |
                                          static_cast<std::uint32_t>(std::to_integer<unsigned>(root[btree_format::link0_offset + 1])) << 8 |
                                          static_cast<std::uint32_t>(std::to_integer<unsigned>(root[btree_format::link0_offset + 2])) << 16;
        // The first separator cell's child (key 8 bytes, then child id) now repeats child 0.
        put_u32(root, btree_format::node_header_end + 8, first_child);
        corruption_from([&] { f.tree.verify(); });
    }
}

TEST_CASE("a non-root page below the fill limit is found by verify", "[btree][corruption]") {
    u64_fixture f;
    const page_id leaf = f.leaf_holding(500);
    put_u16(f.store.raw(leaf), btree_format::count_offset, 3);
    const std::string msg = corruption_from([&] { f.tree.verify(); });
    CHECK(msg.find("fill limit") != std::string::npos);
}

TEST_CASE("a wrong level byte is corruption", "[btree][corruption]") {
    u64_fixture f;
    f.store.raw(f.tree.root())[btree_format::level_offset] = std::byte{7};
    corruption_from([&] { (void)f.tree.find(1); });
}

TEST_CASE("slotted pages with a slot outside the page or a runaway key length are corruption", "[btree][corruption]") {
    {
        bytes_fixture f;
        const page_id leaf = f.tree.lower_bound("key1000").leaf();
        put_u16(f.store.raw(leaf), btree_format::node_header_end, 1023);
        corruption_from([&] { f.tree.verify(); });
        corruption_from([&] {
            for (int i = 0; i < 3000; ++i) (void)f.tree.find("key" + std::to_string(i));
        });
    }
    {
        bytes_fixture f;
        const page_id leaf = f.tree.lower_bound("key1000").leaf();
        std::byte* p = f.store.raw(leaf);
        const std::size_t off = static_cast<std::size_t>(std::to_integer<unsigned>(p[btree_format::node_header_end])) |
                                static_cast<std::size_t>(std::to_integer<unsigned>(p[btree_format::node_header_end + 1])) << 8;
        p[off] = std::byte{0xff}; // key length varint now runs on
        p[off + 1] = std::byte{0x7f};
        corruption_from([&] { f.tree.verify(); });
    }
}

TEST_CASE("a damaged overflow chain is corruption", "[btree][corruption]") {
    bytes_fixture f;
    const auto report = f.tree.verify(true);
    // Find an overflow page and damage its length.
    page_id victim = null_page;
    for (page_id id : report.pages)
        if (f.store.raw(id)[page_type_offset] == std::byte{static_cast<std::uint8_t>(page_type::overflow)}) victim = id;
    REQUIRE(victim != null_page);
    put_u32(f.store.raw(victim), page_header_size + 4, 5);
    corruption_from([&] { f.tree.verify(); });
    corruption_from([&] {
        for (auto c = f.tree.begin(); c.valid(); c.next()) (void)c.value();
    });
}

TEST_CASE("random byte damage is reported as corruption or is harmless, never a crash", "[btree][corruption]") {
    std::mt19937_64 rng(2024);
    int detected = 0;
    for (int round = 0; round < 300; ++round) {
        const bool bytes_keys = round % 2;
        store_t store(bytes_keys ? 1024 : 4096);
        std::vector<page_id> pages;
        auto exercise = [&](auto& tree, auto make_key) {
            for (int i = 0; i < 40; ++i) {
                const auto k = make_key(rng() % 3000);
                (void)tree.find(k);
                (void)tree.count(make_key(rng() % 3000), make_key(rng() % 3000));
                int steps = 0;
                for (auto c = tree.lower_bound(k); c.valid() && steps < 50; c.next(), ++steps) (void)c.value();
                steps = 0;
                for (auto c = tree.upper_bound(k); c.valid() && steps < 50; c.prev(), ++steps) (void)c.key();
                if (i % 2) tree.erase(k);
                else tree.upsert(k, {});
            }
            tree.verify();
        };
        auto damage = [&](const std::vector<page_id>& ids) {
            const int flips = 1 + static_cast<int>(rng() % 8);
            for (int i = 0; i < flips; ++i) {
                const page_id id = ids[rng() % ids.size()];
                store.raw(id)[rng() % store.page_size()] ^= std::byte(1u << (rng() % 8));
            }
        };
        try {
            if (bytes_keys) {
                auto tree = bytes_tree::create(store);
                auto key = [](std::uint64_t i) { return std::string("k") + std::to_string(i); };
                for (std::uint64_t i = 0; i < 3000; ++i) tree.insert(key(i), std::string(i % 13 == 0 ? 1500 : i % 30, 'v'));
                damage(tree.verify().pages);
                // Byte keys are owned strings that outlive each call.
                auto& t = tree;
                for (int i = 0; i < 40; ++i) {
                    const std::string k = key(rng() % 3000), lo = key(rng() % 3000), hi = key(rng() % 3000);
                    (void)t.find(k);
                    (void)t.count(lo, hi);
                    int steps = 0;
                    for (auto c = t.lower_bound(k); c.valid() && steps < 50; c.next(), ++steps) (void)c.value();
                    steps = 0;
                    for (auto c = t.upper_bound(k); c.valid() && steps < 50; c.prev(), ++steps) (void)c.key();
                    if (i % 2) t.erase(k);
                    else t.upsert(k, std::string(rng() % 2000, 'w'));
                }
                t.verify();
            } else {
                auto tree = u64_tree::create(store);
                for (std::uint64_t i = 0; i < 3000; ++i) tree.insert(i * 5, i);
                damage(tree.verify().pages);
                exercise(tree, [](std::uint64_t i) { return i * 5; });
            }
        } catch (const error& e) {
            REQUIRE(e.code() == errc::corruption);
            ++detected;
        }
    }
    CHECK(detected > 0);
}
