// Filtered search (a predicate on the key) and hybrid search (a candidate key
// set): exact on selective filters, beam search with recall >= 0.95 on broad
// ones.
#include "support/catch.hpp"
#include "vector/support.hpp"

using namespace vector_test;

namespace {

struct built {
    sv::vector_set data = small_set();
    sv::hnsw_index index{params_for(32, sv::metric::l2)};
    built() { index.insert_batch(iota_keys(data.count()), data.vectors); }
};

} // namespace

TEST_CASE("the filter plan scans exactly below the selectivity thresholds and beam-searches above") {
    built b;
    const double limit_fraction = static_cast<double>(b.index.params().brute_force_limit) / 5000.0;
    CHECK(b.index.plan_filter(0.001) == sv::filter_strategy::exact_scan);
    CHECK(b.index.plan_filter(limit_fraction * 0.99) == sv::filter_strategy::exact_scan);
    CHECK(b.index.plan_filter(0.5) == sv::filter_strategy::filtered_beam);
    CHECK(b.index.plan_filter(1.0) == sv::filter_strategy::filtered_beam);
}

TEST_CASE("a selective filter (1% of keys) loses no recall: it is answered exactly") {
    built b;
    auto keep = [](std::uint64_t key) { return key % 100 == 3; };
    const double recall = recall_at(
        b.data, sv::metric::l2, 10, [&](std::span<const float> q) { return b.index.search_if(q, 10, keep, 40); }, keep);
    CHECK(recall == 1.0);
}

TEST_CASE("a broad filter (50% of keys) keeps recall@10 at least 0.95 and returns only matching keys") {
    built b;
    auto keep = [](std::uint64_t key) { return key % 2 == 0; };
    std::size_t wrong = 0;
    const double recall = recall_at(
        b.data, sv::metric::l2, 10,
        [&](std::span<const float> q) {
            auto hits = b.index.search_if(q, 10, keep, 40);
            for (const auto& h : hits) wrong += !keep(h.key);
            return hits;
        },
        keep);
    INFO("recall@10 " << recall);
    CHECK(recall >= 0.95);
    CHECK(wrong == 0);
}

TEST_CASE("a medium filter (40% of one in five keys, so 8% selective) keeps recall@10 at least 0.95") {
    built b;
    auto keep = [](std::uint64_t key) { return key % 25 < 2; };
    const double recall = recall_at(
        b.data, sv::metric::l2, 10, [&](std::span<const float> q) { return b.index.search_if(q, 10, keep, 40); }, keep);
    INFO("recall@10 " << recall);
    CHECK(recall >= 0.95);
}

TEST_CASE("search_among a small candidate set is exact and ignores unknown and duplicate keys") {
    built b;
    std::vector<std::uint64_t> candidates;
    for (std::uint64_t i = 0; i < 5000; i += 97) candidates.push_back(i);
    candidates.push_back(candidates.front()); // duplicate
    candidates.push_back(999999);             // unknown
    std::unordered_set<std::uint64_t> set(candidates.begin(), candidates.end());
    auto keep = [&](std::uint64_t key) { return set.count(key) != 0; };
    const double recall = recall_at(
        b.data, sv::metric::l2, 10,
        [&](std::span<const float> q) { return b.index.search_among(q, 10, candidates); }, keep);
    CHECK(recall == 1.0);
    const auto hits = b.index.search_among(b.data.query(0), 100, candidates);
    CHECK(hits.size() == (5000 + 96) / 97);
}

TEST_CASE("search_among a large candidate set keeps recall@10 at least 0.95") {
    built b;
    std::vector<std::uint64_t> candidates;
    for (std::uint64_t i = 0; i < 5000; ++i)
        if (i % 3 != 0) candidates.push_back(i);
    auto keep = [](std::uint64_t key) { return key % 3 != 0; };
    const double recall = recall_at(
        b.data, sv::metric::l2, 10,
        [&](std::span<const float> q) { return b.index.search_among(q, 10, candidates, 40); }, keep);
    INFO("recall@10 " << recall);
    CHECK(recall >= 0.95);
}

TEST_CASE("filtered search skips deleted elements") {
    built b;
    for (std::uint64_t i = 0; i < 5000; i += 2) b.index.remove(i);
    auto keep = [](std::uint64_t key) { return key % 4 == 0 || key % 4 == 1; };
    for (std::size_t q = 0; q < b.data.query_count(); ++q)
        for (const auto& h : b.index.search_if(b.data.query(q), 10, keep, 40)) REQUIRE(h.key % 4 == 1);
}
