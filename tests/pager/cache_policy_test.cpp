#include "sqlitegraph/pager/cache_policy.hpp"
#include "sqlitegraph/pager/flat_key_map.hpp"
#include "sqlitegraph/pager/page_cache.hpp"
#include "support/catch.hpp"

#include <memory>
#include <random>
#include <unordered_map>
#include <vector>

using namespace sqlitegraph;

namespace {
// Hit ratio of a policy on a hot set interleaved with one-time scans: the
// pattern that flushes a plain LRU.
template <class Policy> double scan_polluted_hit_ratio() {
    page_cache<Policy> cache(100);
    std::mt19937_64 rng(5);
    std::uint64_t hits = 0, lookups = 0;
    cache_key scan_key = 1'000'000;
    for (int round = 0; round < 20000; ++round) {
        const bool scan = round % 4 == 3;
        const cache_key key = scan ? scan_key++ : rng() % 80; // 80 hot keys fit in 100 pages
        ++lookups;
        if (cache.find(key)) {
            ++hits;
        } else {
            cache.insert(key, make_page_buffer(64));
        }
    }
    return static_cast<double>(hits) / static_cast<double>(lookups);
}

template <class Policy> void check_pinned_never_evicted() {
    page_cache<Policy> cache(8);
    std::vector<page_buffer> pinned;
    for (cache_key k = 0; k < 8; ++k) {
        auto image = make_page_buffer(64);
        cache.insert(k, image);
        if (k < 6) pinned.push_back(image); // held outside: pinned
    }
    for (cache_key k = 100; k < 200; ++k)
        cache.insert(k, make_page_buffer(64));
    for (cache_key k = 0; k < 6; ++k)
        REQUIRE(cache.find(k) != nullptr);
    REQUIRE(cache.size() <= 8);
    // With everything pinned the cache grows rather than evict a pinned page.
    for (cache_key k = 0; k < 8; ++k)
        pinned.push_back(cache.find(k) ? cache.find(k) : nullptr);
    cache.insert(500, make_page_buffer(64));
    REQUIRE(cache.find(500) != nullptr);
}
} // namespace

TEST_CASE("no cache policy evicts a pinned page", "[pager][cache]") {
    check_pinned_never_evicted<lru_cache>();
    check_pinned_never_evicted<clock_cache>();
    check_pinned_never_evicted<s3fifo_cache>();
}

TEST_CASE("lru evicts the least recently used key", "[pager][cache]") {
    lru_cache lru(3);
    lru.on_insert(1);
    lru.on_insert(2);
    lru.on_insert(3);
    lru.on_hit(1);
    REQUIRE(lru.choose_victim([](cache_key) { return true; }) == std::optional<cache_key>(2));
    REQUIRE(lru.choose_victim([](cache_key k) { return k != 3; }) == std::optional<cache_key>(1));
    REQUIRE_FALSE(lru.choose_victim([](cache_key) { return false; }).has_value());
}

TEST_CASE("clock gives a referenced key a second chance", "[pager][cache]") {
    clock_cache clock(3);
    clock.on_insert(1);
    clock.on_insert(2);
    clock.on_insert(3);
    // Fresh keys start referenced; the first sweep clears the bits.
    const auto first = clock.choose_victim([](cache_key) { return true; });
    REQUIRE(first == std::optional<cache_key>(1));
    clock.on_hit(2);
    REQUIRE(clock.choose_victim([](cache_key) { return true; }) == std::optional<cache_key>(3));
}

TEST_CASE("s3fifo lets one-time keys pass through the small queue", "[pager][cache]") {
    s3fifo_cache s3(10);
    for (cache_key k = 0; k < 9; ++k)
        s3.on_insert(k);
    for (cache_key k = 0; k < 9; ++k)
        s3.on_hit(k);  // all used twice: promoted when they leave small
    s3.on_insert(100); // a one-time key
    std::vector<cache_key> evicted;
    for (int i = 0; i < 2; ++i)
        evicted.push_back(*s3.choose_victim([](cache_key) { return true; }));
    REQUIRE(std::find(evicted.begin(), evicted.end(), 100) != evicted.end());
}

TEST_CASE("scan-resistant s3fifo keeps more of the hot set than lru under scans", "[pager][cache]") {
    const auto lru = scan_polluted_hit_ratio<lru_cache>();
    const auto clock = scan_polluted_hit_ratio<clock_cache>();
    const auto s3 = scan_polluted_hit_ratio<s3fifo_cache>();
    INFO("hit ratios: lru " << lru << ", clock " << clock << ", s3fifo " << s3);
    REQUIRE(s3 > lru);
    REQUIRE(s3 > 0.5);
}

TEST_CASE("flat_key_map presizes for the keys expected, up to its limit, and grows past it", "[pager][cache]") {
    // Presized for 100 keys: 100 inserts never rehash.
    flat_key_map<std::uint64_t> small(100);
    const std::size_t presized = small.slot_count();
    CHECK(presized >= 200);
    for (std::uint64_t k = 0; k < 100; ++k) small.emplace(k, k);
    CHECK(small.slot_count() == presized);
    // A page cache sized for millions of pages allocates for the limit only
    // when it opens (a reopen must not clear a table for the whole budget),
    // and still takes every key it is given.
    flat_key_map<std::uint64_t> big(std::size_t{1} << 24);
    CHECK(big.slot_count() == 2 * flat_key_map<std::uint64_t>::presize_limit);
    constexpr std::uint64_t keys = 100000;
    for (std::uint64_t k = 0; k < keys; ++k) REQUIRE(big.emplace(k << 32 | 1, k).second);
    CHECK(big.size() == keys);
    CHECK(big.slot_count() >= 2 * keys);
    for (std::uint64_t k = 0; k < keys; k += 997) REQUIRE(*big.find(k << 32 | 1) == k);
}

TEST_CASE("flat_key_map agrees with std::unordered_map under random inserts and erases", "[pager][cache]") {
    flat_key_map<std::uint64_t> map(4);
    std::unordered_map<std::uint64_t, std::uint64_t> model;
    std::mt19937_64 rng(17);
    for (int op = 0; op < 200000; ++op) {
        // A small key space makes collisions, long probe runs and erases in
        // the middle of runs common; page-style keys (id << 32 | version) too.
        const std::uint64_t key = op % 2 == 0 ? rng() % 512 : ((rng() % 64) << 32) | (rng() % 4);
        switch (rng() % 3) {
        case 0: {
            const auto [value, inserted] = map.emplace(key, key * 3);
            REQUIRE(inserted == model.emplace(key, key * 3).second);
            REQUIRE(*value == model.at(key));
            break;
        }
        case 1:
            REQUIRE(map.erase(key) == (model.erase(key) == 1));
            break;
        default: {
            const auto* found = map.find(key);
            const auto it = model.find(key);
            REQUIRE((found != nullptr) == (it != model.end()));
            if (found) REQUIRE(*found == it->second);
        }
        }
        REQUIRE(map.size() == model.size());
    }
    std::size_t seen = 0;
    map.for_each([&](std::uint64_t key, std::uint64_t& value) {
        REQUIRE(model.at(key) == value);
        ++seen;
    });
    REQUIRE(seen == model.size());
    map.clear();
    REQUIRE(map.empty());
    REQUIRE(map.find(1) == nullptr);
}

// The read hint a scan gives (page_cache::prefetch) touches
// nothing the cache keeps: no hit or miss counted, no use recorded, so
// the same inserts evict the same keys with or without them.
template <class Policy> void check_hints_change_nothing() {
    page_cache<Policy> hinted(8), plain(8);
    auto insert_both = [&](cache_key k) {
        hinted.insert(k, make_page_buffer(4096));
        plain.insert(k, make_page_buffer(4096));
    };
    for (cache_key k = 0; k < 8; ++k) insert_both(k);
    for (cache_key k = 0; k < 8; k += 2) hinted.prefetch(k); // hints for cached keys
    hinted.prefetch(77);                                      // and for a key that is not cached
    REQUIRE(hinted.stats().hits == 0);
    REQUIRE(hinted.stats().misses == 0);
    for (cache_key k = 100; k < 106; ++k) insert_both(k);
    for (cache_key k = 0; k < 8; ++k) {
        CAPTURE(k);
        REQUIRE((hinted.find(k) != nullptr) == (plain.find(k) != nullptr));
    }
    REQUIRE(hinted.stats().evictions == plain.stats().evictions);
    REQUIRE(hinted.stats().evictions == 6);
}

TEST_CASE("read hints leave a page cache's counts and evictions as they were", "[pager][cache]") {
    check_hints_change_nothing<lru_cache>();
    check_hints_change_nothing<clock_cache>();
    check_hints_change_nothing<s3fifo_cache>();
}
