// Seeded random differential tests: every operation is applied to the B+Tree
// and to std::map / std::multimap, results are compared, and verify() walks
// the whole tree at intervals. SQLITEGRAPH_LONG=1 multiplies the op counts.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "btree/memory_page_store.hpp"
#include "sqlitegraph/btree/btree.hpp"
#include "support/catch.hpp"
#include "support/long_mode.hpp"

using namespace sqlitegraph;

namespace {

std::size_t scaled(std::size_t ops) { return ops * static_cast<std::size_t>(sqlitegraph::testing::long_mode_factor(10)); }

#define DIFF_CHECK(cond, what)                                                    \
    do {                                                                          \
        if (!(cond)) {                                                            \
            std::ostringstream os_;                                               \
            os_ << what << " (seed " << seed << ", op " << op << ")";             \
            FAIL(os_.str());                                                      \
        }                                                                         \
    } while (0)

// Keys and values as the model stores them (owning) and as the tree takes them.
template <class Params>
struct gen;

template <std::size_t PS>
struct gen<btree_params<u64_codec, u64_codec, PS>> {
    using owned_key = std::uint64_t;
    using owned_value = std::uint64_t;
    std::size_t key_space;
    owned_key key(std::mt19937_64& rng) { return rng() % key_space * 3; } // gaps so bounds fall between keys
    owned_value value(std::mt19937_64& rng) { return rng(); }
    owned_key probe(std::mt19937_64& rng) { return rng() % (key_space * 3 + 4); }
};

template <std::size_t PS>
struct gen<btree_params<tuple_codec<std::uint64_t, std::uint8_t, std::uint32_t, std::uint64_t, std::uint64_t>, empty_codec, PS>> {
    using owned_key = std::tuple<std::uint64_t, std::uint8_t, std::uint32_t, std::uint64_t, std::uint64_t>;
    using owned_value = std::monostate;
    std::size_t key_space;
    owned_key key(std::mt19937_64& rng) {
        const std::uint64_t r = rng();
        return {r % (key_space / 16 + 1), static_cast<std::uint8_t>((r >> 20) & 1), static_cast<std::uint32_t>((r >> 24) % 3),
                (r >> 32) % 8, (r >> 40) % 2};
    }
    owned_value value(std::mt19937_64&) { return {}; }
    owned_key probe(std::mt19937_64& rng) { return key(rng); }
};

template <std::size_t PS>
struct gen<btree_params<bytes_codec, bytes_codec, PS>> {
    using P = btree_params<bytes_codec, bytes_codec, PS>;
    using owned_key = std::string;
    using owned_value = std::string;
    std::size_t key_space;
    // Key i is a fixed function of i, so random draws collide; about 1 in 64
    // keys is padded to the key size limit.
    owned_key key_of(std::uint64_t i) {
        std::string k = std::to_string(i * 2654435761u % 1000003u);
        const std::uint64_t h = i * 0x9E3779B97F4A7C15ull;
        const std::size_t pad = (h >> 58) == 0 ? P::max_key_size - k.size() : (h >> 40) % 24;
        k.append(pad, static_cast<char>('a' + (h >> 33) % 26));
        return k;
    }
    owned_key key(std::mt19937_64& rng) { return key_of(rng() % key_space); }
    owned_key probe(std::mt19937_64& rng) {
        owned_key k = key(rng);
        if (rng() % 2) k.resize(k.size() / 2); // between keys, or a prefix
        return k;
    }
    owned_value value(std::mt19937_64& rng) {
        const std::uint64_t r = rng() % 100;
        std::size_t len = r < 70 ? rng() % 40 : r < 95 ? rng() % (PS / 4) : PS / 4 + rng() % (2 * PS);
        std::string v(len, '\0');
        for (auto& c : v) c = static_cast<char>('A' + rng() % 26);
        return v;
    }
};

template <class T>
auto as_view(const T& v) {
    if constexpr (std::is_same_v<T, std::string>) return std::string_view(v);
    else return v;
}

template <class Params, bool Multi>
void run_differential(std::uint64_t seed, std::size_t ops, std::size_t key_space, std::size_t verify_every) {
    using store_t = test::memory_page_store;
    using tree_t = basic_btree<store_t, Params>;
    using G = gen<Params>;
    using owned_key = typename G::owned_key;
    using owned_value = typename G::owned_value;
    using model_t = std::conditional_t<Multi, std::multimap<owned_key, owned_value>, std::map<owned_key, owned_value>>;

    store_t store(Params::page_size);
    tree_t tree = tree_t::create(store);
    model_t model;
    G g{key_space};
    std::mt19937_64 rng(seed);
    const bool unique = !Multi;

    auto model_find_first = [&](const owned_key& k) { return model.find(k) == model.end() ? model.end() : model.lower_bound(k); };

    for (std::size_t op = 0; op < ops; ++op) {
        const unsigned kind = static_cast<unsigned>(rng() % 100);
        if (kind < 30) { // insert
            const owned_key k = g.key(rng);
            const owned_value v = g.value(rng);
            if (Multi && rng() % 2) {
                tree.insert_multi(as_view(k), as_view(v));
                model.insert(model.upper_bound(k), {k, v});
            } else {
                const bool model_has = model.find(k) != model.end();
                const bool inserted = tree.insert(as_view(k), as_view(v));
                DIFF_CHECK(inserted == !model_has, "insert result");
                if (!model_has) model.insert({k, v});
            }
        } else if (kind < 50) { // erase
            const owned_key k = g.key(rng);
            auto it = model_find_first(k);
            const bool erased = tree.erase(as_view(k));
            DIFF_CHECK(erased == (it != model.end()), "erase result");
            if (it != model.end()) model.erase(it);
        } else if (kind < 62) { // upsert
            const owned_key k = g.key(rng);
            const owned_value v = g.value(rng);
            auto it = model_find_first(k);
            const bool inserted = tree.upsert(as_view(k), as_view(v));
            DIFF_CHECK(inserted == (it == model.end()), "upsert result");
            if (it == model.end()) model.insert({k, v});
            else it->second = v;
        } else if (kind < 77) { // find
            const owned_key k = g.probe(rng);
            auto got = tree.find(as_view(k));
            auto it = model_find_first(k);
            DIFF_CHECK(got.has_value() == (it != model.end()), "find presence");
            if (got) DIFF_CHECK(owned_value(*got) == it->second, "find value");
        } else if (kind < 85) { // forward range scan
            owned_key lo = g.probe(rng), hi = g.probe(rng);
            if (hi < lo) std::swap(lo, hi);
            std::vector<std::pair<owned_key, owned_value>> got, want;
            std::size_t limit = 1 + rng() % 64;
            tree.scan(as_view(lo), as_view(hi), [&](const auto& k, const auto& v) {
                got.emplace_back(owned_key(k), owned_value(v));
                return got.size() < limit;
            });
            for (auto it = model.lower_bound(lo); it != model.end() && it->first < hi && want.size() < limit; ++it) want.push_back(*it);
            DIFF_CHECK(got == want, "forward scan");
            DIFF_CHECK(tree.count(as_view(lo), as_view(hi)) == static_cast<std::uint64_t>(std::distance(model.lower_bound(lo), model.lower_bound(hi))),
                       "count of a range");
        } else if (kind < 92) { // reverse range scan
            owned_key lo = g.probe(rng), hi = g.probe(rng);
            if (hi < lo) std::swap(lo, hi);
            std::vector<std::pair<owned_key, owned_value>> got, want;
            std::size_t limit = 1 + rng() % 64;
            tree.scan_reverse(as_view(lo), as_view(hi), [&](const auto& k, const auto& v) {
                got.emplace_back(owned_key(k), owned_value(v));
                return got.size() < limit;
            });
            auto it = model.lower_bound(hi);
            while (it != model.begin() && want.size() < limit) {
                --it;
                if (it->first < lo) break;
                want.push_back(*it);
            }
            DIFF_CHECK(got == want, "reverse scan");
        } else { // cursor walk: lower/upper bound, then a few steps either way
            const owned_key k = g.probe(rng);
            const bool upper = rng() % 2;
            auto c = upper ? tree.upper_bound(as_view(k)) : tree.lower_bound(as_view(k));
            auto it = upper ? model.upper_bound(k) : model.lower_bound(k);
            bool before_begin = false;
            for (int step = 0; step < 24; ++step) {
                const bool model_valid = !before_begin && it != model.end();
                DIFF_CHECK(c.valid() == model_valid, "cursor validity");
                if (model_valid) {
                    DIFF_CHECK(owned_key(c.key()) == it->first, "cursor key");
                    DIFF_CHECK(owned_value(c.value()) == it->second, "cursor value");
                }
                if (rng() % 3 == 0) {
                    if (before_begin) break;
                    c.prev();
                    if (it == model.begin()) before_begin = true;
                    else --it;
                } else {
                    if (before_begin) break;
                    c.next();
                    if (it != model.end()) ++it;
                }
            }
        }
        if ((op + 1) % verify_every == 0) {
            const auto report = tree.verify(unique);
            DIFF_CHECK(report.entries == model.size(), "entry count");
            DIFF_CHECK(report.pages.size() == store.live_pages(), "verify accounts for every live page");
        }
    }
    // Full comparison at the end, both directions.
    std::vector<std::pair<owned_key, owned_value>> all, all_rev;
    for (auto c = tree.begin(); c.valid(); c.next()) all.emplace_back(owned_key(c.key()), owned_value(c.value()));
    for (auto c = tree.last(); c.valid(); c.prev()) all_rev.emplace_back(owned_key(c.key()), owned_value(c.value()));
    const std::size_t op = ops;
    using entries_t = std::vector<std::pair<owned_key, owned_value>>;
    const entries_t want(model.begin(), model.end());
    const entries_t want_rev(model.rbegin(), model.rend());
    DIFF_CHECK(all == want, "final forward walk");
    DIFF_CHECK(all_rev == want_rev, "final backward walk");
    const auto report = tree.verify(unique);
    REQUIRE(report.entries == model.size());
    REQUIRE(tree.size() == model.size());
    REQUIRE(report.pages.size() == store.live_pages());
}

using u64_1k = btree_params<u64_codec, u64_codec, 1024>;
using u64_4k = btree_params<u64_codec, u64_codec, 4096>;
using u64_64k = btree_params<u64_codec, u64_codec, 65536>;
using bytes_1k = btree_params<bytes_codec, bytes_codec, 1024>;
using bytes_4k = btree_params<bytes_codec, bytes_codec, 4096>;
using bytes_64k = btree_params<bytes_codec, bytes_codec, 65536>;
using adjacency_4k = btree_params<tuple_codec<std::uint64_t, std::uint8_t, std::uint32_t, std::uint64_t, std::uint64_t>, empty_codec, 4096>;

} // namespace

// Total: about 1.1 million mixed operations across the instantiations below.
TEST_CASE("u64 tree matches std::map under random operations, 1 KiB pages", "[btree][differential]") {
    run_differential<u64_1k, false>(1, scaled(160'000), 6'000, 8'000);
}
TEST_CASE("u64 tree matches std::map under random operations, 4 KiB pages", "[btree][differential]") {
    run_differential<u64_4k, false>(2, scaled(200'000), 30'000, 20'000);
}
TEST_CASE("u64 tree matches std::map under random operations, 64 KiB pages", "[btree][differential]") {
    run_differential<u64_64k, false>(3, scaled(120'000), 60'000, 30'000);
}
TEST_CASE("u64 tree with duplicate keys matches std::multimap", "[btree][differential]") {
    run_differential<u64_1k, true>(4, scaled(120'000), 800, 8'000);
}
TEST_CASE("adjacency tuple-key tree matches std::map", "[btree][differential]") {
    run_differential<adjacency_4k, false>(5, scaled(120'000), 40'000, 20'000);
}
TEST_CASE("byte-string tree matches std::map under random operations, 1 KiB pages", "[btree][differential]") {
    run_differential<bytes_1k, false>(6, scaled(140'000), 3'000, 7'000);
}
TEST_CASE("byte-string tree matches std::map under random operations, 4 KiB pages", "[btree][differential]") {
    run_differential<bytes_4k, false>(7, scaled(120'000), 8'000, 15'000);
}
TEST_CASE("byte-string tree matches std::map under random operations, 64 KiB pages", "[btree][differential]") {
    run_differential<bytes_64k, false>(8, scaled(40'000), 6'000, 10'000);
}
TEST_CASE("byte-string tree with duplicate keys matches std::multimap", "[btree][differential]") {
    run_differential<bytes_1k, true>(9, scaled(100'000), 400, 5'000);
}
