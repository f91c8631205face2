// Edge cases of the B+Tree: empty and single-entry trees, shrinking to empty
// and growing again, duplicates, size limits, overflow values, sequential
// orders, bulk load, prefix scans, tuple keys.
#include <algorithm>
#include <cstdint>
#include <random>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "btree/memory_page_store.hpp"
#include "sqlitegraph/btree/btree.hpp"
#include "support/catch.hpp"

using namespace sqlitegraph;
using store_t = test::memory_page_store;
using u64_params = btree_params<u64_codec, u64_codec, 4096>;
using bytes_params = btree_params<bytes_codec, bytes_codec, 4096>;
using u64_tree = basic_btree<store_t, u64_params>;
using bytes_tree = basic_btree<store_t, bytes_params>;

namespace {
// The store seen by a snapshot reader: pages can be read, not written.
struct read_only_store {
    const store_t* store;
    std::size_t page_size() const { return store->page_size(); }
    store_t::const_handle read(page_id id) const { return store->read(id); }
};
} // namespace

TEST_CASE("4 KiB pages hold at least 252 u64 entries per leaf and per internal page", "[btree]") {
    STATIC_REQUIRE(u64_params::leaf_layout::max_cells >= 252);
    STATIC_REQUIRE(u64_params::internal_layout::max_cells >= 252);
    STATIC_REQUIRE(btree_params<u64_codec, empty_codec, 4096>::internal_layout::max_cells >= 252);
}

TEST_CASE("an empty tree finds nothing, scans nothing and verifies as one leaf", "[btree]") {
    store_t store(4096);
    auto tree = u64_tree::create(store);
    CHECK_FALSE(tree.find(42).has_value());
    CHECK_FALSE(tree.begin().valid());
    CHECK_FALSE(tree.last().valid());
    CHECK_FALSE(tree.lower_bound(0).valid());
    CHECK(tree.count(0, ~0ull) == 0);
    CHECK(tree.size() == 0);
    CHECK(tree.empty());
    CHECK_FALSE(tree.erase(1));
    int calls = 0;
    tree.scan(0, ~0ull, [&](std::uint64_t, std::uint64_t) { ++calls; });
    tree.scan_reverse(0, ~0ull, [&](std::uint64_t, std::uint64_t) { ++calls; });
    CHECK(calls == 0);
    const auto report = tree.verify(true);
    CHECK(report.pages.size() == 1);
    CHECK(report.height == 1);
    CHECK(report.entries == 0);
}

TEST_CASE("a single key is found, scanned both ways and erased", "[btree]") {
    store_t store(4096);
    auto tree = u64_tree::create(store);
    REQUIRE(tree.insert(7, 70));
    CHECK_FALSE(tree.insert(7, 71));
    CHECK(tree.find(7) == 70u);
    CHECK_FALSE(tree.find(6).has_value());
    auto c = tree.lower_bound(0);
    REQUIRE(c.valid());
    CHECK(c.key() == 7);
    c.next();
    CHECK_FALSE(c.valid());
    c.prev();
    REQUIRE(c.valid());
    CHECK(c.key() == 7);
    c.prev();
    CHECK_FALSE(c.valid());
    CHECK_FALSE(tree.upper_bound(7).valid());
    CHECK(tree.count(7, 8) == 1);
    CHECK(tree.erase(7));
    CHECK(tree.empty());
    tree.verify(true);
}

TEST_CASE("a tree erased down to empty shrinks to one leaf and grows again", "[btree]") {
    store_t store(1024);
    using tree_t = basic_btree<store_t, btree_params<u64_codec, u64_codec, 1024>>;
    auto tree = tree_t::create(store);
    for (int round = 0; round < 3; ++round) {
        for (std::uint64_t i = 0; i < 20000; ++i) REQUIRE(tree.insert(i * 37 % 20000, i));
        CHECK(tree.verify(true).height >= 3);
        for (std::uint64_t i = 0; i < 20000; ++i) REQUIRE(tree.erase(i * 11 % 20000));
        const auto report = tree.verify(true);
        CHECK(report.entries == 0);
        CHECK(report.height == 1);
        CHECK(store.live_pages() == 1); // every page but the root leaf was released
    }
}

TEST_CASE("duplicate keys keep insertion order and are erased first to last", "[btree]") {
    store_t store(1024);
    using tree_t = basic_btree<store_t, btree_params<u64_codec, u64_codec, 1024>>;
    auto tree = tree_t::create(store);
    tree.insert(1, 0);
    tree.insert(3, 0);
    for (std::uint64_t i = 0; i < 5000; ++i) tree.insert_multi(2, i);
    tree.verify();
    CHECK(tree.count(2, 3) == 5000);
    std::uint64_t expect = 0;
    tree.scan(2, 3, [&](std::uint64_t k, std::uint64_t v) {
        CHECK(k == 2);
        CHECK(v == expect++);
    });
    CHECK(expect == 5000);
    auto c = tree.upper_bound(1);
    REQUIRE(c.valid());
    CHECK(c.value() == 0);
    CHECK(tree.last().key() == 3);
    CHECK(tree.upsert(2, 999) == false); // replaces the first duplicate
    CHECK(tree.lower_bound(2).value() == 999);
    CHECK(tree.find(2) == 999u);
    for (std::uint64_t i = 0; i < 4000; ++i) REQUIRE(tree.erase(2));
    CHECK(tree.lower_bound(2).value() == 4000);
    tree.verify();
    CHECK(tree.erase_all(2) == 1000);
    CHECK(tree.size() == 2);
    tree.verify(true);
}

TEST_CASE("a tree of nothing but one duplicated key stays valid through growth and erasure", "[btree]") {
    store_t store(1024);
    using tree_t = basic_btree<store_t, btree_params<bytes_codec, bytes_codec, 1024>>;
    auto tree = tree_t::create(store);
    for (int i = 0; i < 3000; ++i) tree.insert_multi("same", std::to_string(i));
    CHECK(tree.verify().entries == 3000);
    CHECK(tree.find("same") == std::string("0"));
    for (int i = 0; i < 2990; ++i) REQUIRE(tree.erase("same"));
    CHECK(std::string(tree.lower_bound("same").value()) == "2990");
    CHECK(tree.verify().entries == 10);
}

TEST_CASE("keys at the size limit are stored and one byte more is too_large", "[btree]") {
    for (const std::size_t page : {std::size_t{1024}, std::size_t{4096}}) {
        store_t store(page);
        auto run = [&](auto params_tag) {
            using P = decltype(params_tag);
            using tree_t = basic_btree<store_t, P>;
            auto tree = tree_t::create(store);
            STATIC_REQUIRE(P::max_key_size < P::page_size / 4);
            std::vector<std::string> keys;
            for (int i = 0; i < 300; ++i) {
                std::string k = std::to_string(i * 7919 % 300);
                k.append(P::max_key_size - k.size(), 'k');
                keys.push_back(k);
                REQUIRE(tree.insert(k, std::string(i % 50, 'v')));
            }
            tree.verify(true);
            std::string too_long(P::max_key_size + 1, 'x');
            try {
                tree.insert(too_long, "v");
                FAIL("an oversized key was accepted");
            } catch (const error& e) {
                CHECK(e.code() == errc::too_large);
            }
            CHECK_FALSE(tree.find(too_long).has_value());
            CHECK(tree.verify(true).entries == 300);
            for (std::size_t i = 0; i < keys.size(); i += 2) REQUIRE(tree.erase(keys[i]));
            CHECK(tree.verify(true).entries == 150);
            for (std::size_t i = 1; i < keys.size(); i += 2) CHECK(tree.find(keys[i]).has_value());
        };
        if (page == 1024) run(btree_params<bytes_codec, bytes_codec, 1024>{});
        else run(btree_params<bytes_codec, bytes_codec, 4096>{});
    }
}

TEST_CASE("overflow values round-trip and their pages are freed on replace and erase", "[btree]") {
    store_t store(4096);
    auto tree = bytes_tree::create(store);
    const std::size_t baseline = store.live_pages();
    std::string big(1 << 20, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 131 % 251);
    // Sizes around the inline limit, an empty value, and a megabyte.
    std::vector<std::string> values;
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, bytes_params::max_cell_size - 12, bytes_params::max_cell_size - 6,
                          bytes_params::max_cell_size, std::size_t{4096}, std::size_t{4072}, std::size_t{4073}, big.size()})
        values.push_back(big.substr(0, n));
    for (std::size_t i = 0; i < values.size(); ++i) REQUIRE(tree.insert("key" + std::to_string(i), values[i]));
    const auto report = tree.verify(true);
    CHECK(report.overflow_pages > 256);
    for (std::size_t i = 0; i < values.size(); ++i) CHECK(tree.find("key" + std::to_string(i)) == values[i]);
    auto c = tree.lower_bound("key8");
    REQUIRE(c.valid());
    CHECK(std::string(c.value()) == big);
    // Replacing the megabyte with a short value releases its chain.
    const std::size_t before = store.live_pages();
    CHECK_FALSE(tree.upsert("key8", "small"));
    CHECK(store.live_pages() < before - 256);
    CHECK(tree.find("key8") == std::string("small"));
    for (std::size_t i = 0; i < values.size(); ++i) REQUIRE(tree.erase("key" + std::to_string(i)));
    CHECK(store.live_pages() == baseline);
    tree.verify(true);
}

TEST_CASE("sequential inserts leave pages about two thirds full", "[btree]") {
    store_t store(4096);
    auto tree = u64_tree::create(store);
    const std::uint64_t n = 200000;
    for (std::uint64_t i = 0; i < n; ++i) REQUIRE(tree.insert(i, i * 2));
    const auto report = tree.verify(true);
    CHECK(report.entries == n);
    const double per_leaf = static_cast<double>(n) / static_cast<double>(report.leaf_pages);
    CHECK(per_leaf > 0.6 * u64_params::leaf_layout::max_cells);
    for (std::uint64_t i = 0; i < n; i += 997) CHECK(tree.find(i) == i * 2);
}

TEST_CASE("reverse-sequential inserts build a valid tree with the same contents", "[btree]") {
    store_t store(1024);
    using tree_t = basic_btree<store_t, btree_params<bytes_codec, u64_codec, 1024>>;
    auto tree = tree_t::create(store);
    const int n = 30000;
    char buf[16];
    for (int i = n - 1; i >= 0; --i) {
        std::snprintf(buf, sizeof buf, "%08d", i);
        REQUIRE(tree.insert(buf, static_cast<std::uint64_t>(i)));
    }
    const auto report = tree.verify(true);
    CHECK(report.entries == static_cast<std::uint64_t>(n));
    int expect = 0;
    for (auto c = tree.begin(); c.valid(); c.next()) {
        std::snprintf(buf, sizeof buf, "%08d", expect);
        REQUIRE(std::string(c.key()) == buf);
        ++expect;
    }
    CHECK(expect == n);
    const double per_leaf = static_cast<double>(n) / static_cast<double>(report.leaf_pages);
    CHECK(per_leaf > 0.55 * (1024.0 - 32) / (2 + 1 + 8 + 8));
}

TEST_CASE("bulk load packs sorted input to the fill factor and the tree stays writable", "[btree]") {
    for (const double fill : {1.0, 0.7, 0.5}) {
        store_t store(4096);
        auto tree = u64_tree::create(store);
        std::vector<std::pair<std::uint64_t, std::uint64_t>> input;
        const std::uint64_t n = 300001;
        for (std::uint64_t i = 0; i < n; ++i) input.emplace_back(i * 2, i);
        tree.bulk_load(input, fill);
        auto report = tree.verify(true);
        CHECK(report.entries == n);
        const double per_leaf = static_cast<double>(n) / static_cast<double>(report.leaf_pages);
        CHECK(per_leaf >= fill * u64_params::leaf_layout::max_cells - 2);
        for (std::uint64_t i = 0; i < n; i += 1009) CHECK(tree.find(i * 2) == i);
        for (std::uint64_t i = 0; i < 20000; ++i) {
            tree.insert(i * 2 + 1, i);
            tree.erase(i * 4);
        }
        report = tree.verify(true);
        CHECK(report.entries == n + 20000 - 20000);
    }
}

TEST_CASE("bulk load handles zero, one and a page-and-a-bit of entries", "[btree]") {
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, u64_params::leaf_layout::max_cells + 1, std::size_t{2 * 254 * 338 + 5}}) {
        store_t store(4096);
        auto tree = u64_tree::create(store);
        std::vector<std::pair<std::uint64_t, std::uint64_t>> input;
        for (std::uint64_t i = 0; i < n; ++i) input.emplace_back(i, i);
        tree.bulk_load(input);
        const auto report = tree.verify(true);
        CHECK(report.entries == n);
        CHECK(report.pages.size() == store.live_pages());
        CHECK(tree.count(0, n) == n);
    }
}

TEST_CASE("bulk load of byte strings with overflow values verifies", "[btree]") {
    store_t store(1024);
    using tree_t = basic_btree<store_t, btree_params<bytes_codec, bytes_codec, 1024>>;
    auto tree = tree_t::create(store);
    std::vector<std::pair<std::string, std::string>> input;
    for (int i = 0; i < 5000; ++i) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "n%07d", i);
        input.emplace_back(std::string(buf) + std::string(i % 200, 'p'), std::string(i % 7 == 0 ? 3000 : i % 40, 'v'));
    }
    std::sort(input.begin(), input.end());
    tree.bulk_load(input, 0.9);
    const auto report = tree.verify(true);
    CHECK(report.entries == input.size());
    CHECK(report.overflow_pages > 0);
    for (std::size_t i = 0; i < input.size(); i += 97) CHECK(tree.find(input[i].first) == input[i].second);
}

TEST_CASE("bulk load refuses unsorted input, duplicates and a non-empty tree", "[btree]") {
    store_t store(4096);
    auto tree = u64_tree::create(store);
    auto code_of = [](auto&& fn) {
        try {
            fn();
        } catch (const error& e) {
            return e.code();
        }
        return errc::io; // "no error" marker for the checks below
    };
    std::vector<std::pair<std::uint64_t, std::uint64_t>> unsorted{{1, 1}, {3, 3}, {2, 2}};
    CHECK(code_of([&] { tree.bulk_load(unsorted); }) == errc::invalid_argument);
    store_t store2(4096);
    auto tree2 = u64_tree::create(store2);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> dups{{1, 1}, {2, 2}, {2, 3}};
    CHECK(code_of([&] { tree2.bulk_load(dups); }) == errc::invalid_argument);
    store_t store3(4096);
    auto tree3 = u64_tree::create(store3);
    tree3.bulk_load(dups, 1.0, true);
    CHECK(tree3.count(2, 3) == 2);
    CHECK(code_of([&] { tree3.bulk_load(dups, 1.0, true); }) == errc::invalid_argument);
    CHECK(code_of([&] { tree3.bulk_load(dups, 0.2, true); }) == errc::invalid_argument);
}

TEST_CASE("prefix scans of byte keys return exactly the keys with the prefix", "[btree]") {
    store_t store(1024);
    using tree_t = basic_btree<store_t, btree_params<bytes_codec, u64_codec, 1024>>;
    auto tree = tree_t::create(store);
    std::map<std::string, std::uint64_t> model;
    for (std::uint64_t i = 0; i < 5000; ++i) {
        const std::string k = std::string(1, static_cast<char>('a' + i % 5)) + std::to_string(i);
        tree.insert(k, i);
        model[k] = i;
    }
    tree.insert(std::string("b\xff", 2), 1);
    model[std::string("b\xff", 2)] = 1;
    for (const std::string prefix : {"", "a", "b1", "c12", "e4999", "zz", "b\xff"}) {
        std::vector<std::string> got, want;
        tree.scan_prefix(prefix, [&](std::string_view k, std::uint64_t) { got.emplace_back(k); });
        for (auto& [k, v] : model)
            if (k.compare(0, prefix.size(), prefix) == 0) want.push_back(k);
        CHECK(got == want);
    }
}

TEST_CASE("adjacency tuple keys scan one node's edges by direction and type", "[btree]") {
    using key = std::tuple<std::uint64_t, std::uint8_t, std::uint32_t, std::uint64_t, std::uint64_t>;
    using P = btree_params<tuple_codec<std::uint64_t, std::uint8_t, std::uint32_t, std::uint64_t, std::uint64_t>, empty_codec, 4096>;
    store_t store(4096);
    auto tree = basic_btree<store_t, P>::create(store);
    std::uint64_t edge = 0;
    for (std::uint64_t node = 0; node < 2000; ++node)
        for (std::uint64_t nb = 0; nb < 10; ++nb) {
            tree.insert(key{node, 0, static_cast<std::uint32_t>(nb % 3), (node + nb) % 2000, edge}, {});
            tree.insert(key{(node + nb) % 2000, 1, static_cast<std::uint32_t>(nb % 3), node, edge}, {});
            ++edge;
        }
    tree.verify(true);
    std::size_t out = 0;
    tree.scan(key{77, 0, 1, 0, 0}, key{77, 0, 2, 0, 0}, [&](const key& k, std::monostate) {
        CHECK(std::get<0>(k) == 77);
        CHECK(std::get<2>(k) == 1);
        ++out;
    });
    CHECK(out == 3); // nb = 1, 4, 7
    CHECK(tree.count(key{77, 0, 0, 0, 0}, key{77, 1, 0, 0, 0}) == 10);
    CHECK(tree.count(key{77, 1, 0, 0, 0}, key{78, 0, 0, 0, 0}) == 10);
}

TEST_CASE("opening a tree with a page size other than its parameters is a format mismatch", "[btree]") {
    store_t store(1024);
    try {
        (void)u64_tree::create(store);
        FAIL("a 4 KiB tree was created over 1 KiB pages");
    } catch (const error& e) {
        CHECK(e.code() == errc::format_mismatch);
    }
}

TEST_CASE("the root page id changes on a root split and when the root empties", "[btree]") {
    store_t store(1024);
    using tree_t = basic_btree<store_t, btree_params<u64_codec, u64_codec, 1024>>;
    auto tree = tree_t::create(store);
    const page_id first_root = tree.root();
    std::uint64_t i = 0;
    while (tree.root() == first_root) tree.insert(i++, 0);
    const page_id grown = tree.root();
    tree_t reopened(store, grown); // the owner persists root() and reopens from it
    CHECK(reopened.count(0, i) == i);
    while (i > 0) tree.erase(--i);
    CHECK(tree.root() != grown);
    CHECK(tree.verify().height == 1);
}

TEST_CASE("lookups agree with std::multimap on dense, skewed and clustered u64 keys", "[btree]") {
    // Fixed-width u64 pages are searched by interpolation first (node_access.hpp);
    // key distributions that defeat the estimate must still give exact answers.
    auto skewed = [](std::uint64_t i) -> std::uint64_t { return i < 600 ? i : (1ull << 62) + i * i * i; };
    auto clustered = [](std::uint64_t i) -> std::uint64_t { return (i % 7) * 1'000'000'000'000ull + i; };
    auto powers = [](std::uint64_t i) -> std::uint64_t { return (1ull << (i % 64)) + i / 64; };
    auto dense = [](std::uint64_t i) -> std::uint64_t { return i * 3; };
    const std::vector<std::uint64_t (*)(std::uint64_t)> shapes = {+skewed, +clustered, +powers, +dense};
    for (std::size_t shape = 0; shape < shapes.size(); ++shape) {
        store_t store(4096);
        auto tree = u64_tree::create(store);
        std::multimap<std::uint64_t, std::uint64_t> model;
        for (std::uint64_t i = 0; i < 6000; ++i) {
            const auto k = shapes[shape](i);
            tree.insert_multi(k, i);
            model.emplace(k, i);
            if (i % 5 == 0) { // duplicates
                tree.insert_multi(k, i + 1);
                model.emplace(k, i + 1);
            }
        }
        REQUIRE(tree.verify().entries == model.size()); // duplicates allowed
        std::vector<std::uint64_t> probes;
        for (const auto& [k, v] : model) {
            probes.push_back(k);
            probes.push_back(k + 1);
            probes.push_back(k - 1);
        }
        probes.push_back(0);
        probes.push_back(~0ull);
        for (const auto k : probes) {
            INFO("shape " << shape << " key " << k);
            const auto lb = model.lower_bound(k);
            auto c = tree.lower_bound(k);
            REQUIRE(c.valid() == (lb != model.end()));
            if (c.valid()) {
                REQUIRE(c.key() == lb->first);
                REQUIRE(c.value() == lb->second);
            }
            const auto ub = model.upper_bound(k);
            auto u = tree.upper_bound(k);
            REQUIRE(u.valid() == (ub != model.end()));
            if (u.valid()) REQUIRE(u.key() == ub->first);
            REQUIRE(tree.find(k).has_value() == (model.count(k) != 0));
        }
        // A snapshot reader keeps the pages it met with their search hints
        // (btree.hpp, seek_leaf) and searches them without reading a
        // page's count or end keys again: the second pass goes through the
        // kept pages and must give the same answers.
        read_only_store view{&store};
        basic_btree<read_only_store, u64_params> reader(view, tree.root());
        for (int pass = 0; pass < 2; ++pass) {
            for (const auto k : probes) {
                INFO("shape " << shape << " pass " << pass << " key " << k);
                const auto lb = model.lower_bound(k);
                auto c = reader.lower_bound(k);
                REQUIRE(c.valid() == (lb != model.end()));
                if (c.valid()) REQUIRE(c.key() == lb->first);
                const auto ub = model.upper_bound(k);
                auto u = reader.upper_bound(k);
                REQUIRE(u.valid() == (ub != model.end()));
                if (u.valid()) REQUIRE(u.key() == ub->first);
                const auto found = reader.find(k);
                REQUIRE(found.has_value() == (model.count(k) != 0));
                if (found) REQUIRE(model.lower_bound(k)->first == k);
            }
        }
    }
}

TEST_CASE("split_keys cuts a tree into ranges of similar size", "[btree]") {
    store_t store(4096);
    auto tree = u64_tree::create(store);
    REQUIRE(tree.insert(1, 1));
    CHECK(tree.split_keys(4).empty()); // one leaf: nothing to split
    std::mt19937_64 rng(7);
    std::vector<std::uint64_t> keys(200'000);
    for (auto& k : keys) k = rng();
    for (const auto k : keys) tree.insert(k, k);
    const std::uint64_t total = tree.size();
    CHECK(tree.split_keys(1).empty());
    for (const std::size_t parts : {2u, 4u, 16u}) {
        const auto cuts = tree.split_keys(parts);
        REQUIRE(cuts.size() == parts - 1);
        std::uint64_t lo = 0, sum = 0;
        for (std::size_t i = 0; i <= cuts.size(); ++i) {
            const std::uint64_t hi = i < cuts.size() ? cuts[i] : ~0ull;
            if (i < cuts.size()) REQUIRE(lo < hi);
            const std::uint64_t n = tree.count(lo, hi) + (i == cuts.size() && tree.find(~0ull) ? 1 : 0);
            CAPTURE(parts, i, n, total);
            CHECK(n * parts >= total / 2);
            CHECK(n * parts <= total * 3 / 2);
            sum += n;
            lo = hi;
        }
        CHECK(sum == total);
    }
}

TEST_CASE("split_keys of a byte-key tree are ascending keys within the tree", "[btree]") {
    store_t store(4096);
    auto tree = bytes_tree::create(store);
    for (int i = 0; i < 50'000; ++i) tree.insert("key-" + std::to_string(i * 7919 % 50'000), "v");
    const auto cuts = tree.split_keys(3);
    REQUIRE(cuts.size() == 2);
    CHECK(cuts[0] < cuts[1]);
    const std::uint64_t a = tree.count("", cuts[0]), b = tree.count(cuts[0], cuts[1]), c = tree.count(cuts[1], "\xff");
    CHECK(a + b + c == 50'000);
    CHECK(std::min({a, b, c}) * 3 >= 50'000 / 2);
}

TEST_CASE("for_each_in_leaf visits one leaf from the cursor on and stops where told", "[btree]") {
    store_t store(4096);
    auto tree = u64_tree::create(store);
    for (std::uint64_t k = 0; k < 3000; ++k) REQUIRE(tree.insert(k * 3, k * 7));
    // A walk leaf by leaf sees what key()/value() and next() see, in order.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> by_leaf, by_entry;
    std::size_t leaves = 0;
    for (auto c = tree.begin(); c.valid(); c.next()) {
        const page_id leaf = c.leaf();
        CHECK(c.for_each_in_leaf([&](std::uint64_t k, std::uint64_t v) {
            by_leaf.emplace_back(k, v);
            return true;
        }));
        CHECK(c.leaf() == leaf); // stayed on its leaf, at the last entry
        CHECK(c.valid());
        ++leaves;
    }
    for (auto c = tree.begin(); c.valid(); c.next()) by_entry.emplace_back(c.key(), c.value());
    CHECK(leaves > 5);
    CHECK(by_leaf.size() == 3000);
    CHECK(by_leaf == by_entry);
    // From the middle of a leaf: that entry first, then the rest of its leaf only.
    auto mid = tree.lower_bound(3 * 1500);
    const page_id leaf = mid.leaf();
    const std::size_t from = mid.position();
    std::vector<std::uint64_t> seen;
    CHECK(mid.for_each_in_leaf([&](std::uint64_t k, std::uint64_t) {
        seen.push_back(k);
        return true;
    }));
    REQUIRE_FALSE(seen.empty());
    CHECK(seen.front() == 3 * 1500);
    mid.next();
    CHECK(mid.leaf() != leaf); // the next leaf's first key follows the last seen
    CHECK(mid.key() == seen.back() + 3);
    std::size_t rest = 0;
    for (auto w = tree.lower_bound(3 * 1500); w.valid() && w.leaf() == leaf; w.next()) ++rest;
    CHECK(seen.size() == rest);
    CHECK(rest + from <= u64_params::leaf_layout::max_cells);
    // Stopping: the cursor stays at the entry fn refused.
    auto c = tree.lower_bound(3 * 1500);
    CHECK_FALSE(c.for_each_in_leaf([&](std::uint64_t k, std::uint64_t) { return k < 3 * 1502; }));
    CHECK(c.key() == 3 * 1502);
    CHECK(c.value() == 7 * 1502);
    // An invalid cursor calls nothing.
    auto end = tree.lower_bound(10'000'000);
    int calls = 0;
    CHECK(end.for_each_in_leaf([&](std::uint64_t, std::uint64_t) { return ++calls > 0; }));
    CHECK(calls == 0);
}

TEST_CASE("for_each_in_leaf returns overflow values whole", "[btree]") {
    store_t store(4096);
    auto tree = bytes_tree::create(store);
    std::map<std::string, std::string> expect;
    for (int i = 0; i < 200; ++i) {
        const std::string key = "k" + std::to_string(1000 + i);
        const std::string value(i % 10 == 0 ? 9000 + static_cast<std::size_t>(i) : static_cast<std::size_t>(i), static_cast<char>('a' + i % 26));
        REQUIRE(tree.insert(key, value));
        expect[key] = value;
    }
    std::map<std::string, std::string> got;
    for (auto c = tree.begin(); c.valid(); c.next())
        c.for_each_in_leaf([&](std::string_view k, std::string_view v) {
            got.emplace(std::string(k), std::string(v));
            return true;
        });
    CHECK(got == expect);
    // scan and scan_prefix, which walk leaf by leaf, agree.
    std::map<std::string, std::string> scanned, prefixed;
    tree.scan("k1050", "k1100", [&](std::string_view k, std::string_view v) { scanned.emplace(std::string(k), std::string(v)); });
    tree.scan_prefix("k11", [&](std::string_view k, std::string_view v) { prefixed.emplace(std::string(k), std::string(v)); });
    CHECK(scanned == std::map<std::string, std::string>(expect.lower_bound("k1050"), expect.lower_bound("k1100")));
    CHECK(prefixed == std::map<std::string, std::string>(expect.lower_bound("k11"), expect.lower_bound("k12")));
    CHECK(scanned.size() == 50);
    CHECK(prefixed.size() == 100);
}
