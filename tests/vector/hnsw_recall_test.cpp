// Recall of the HNSW index against the brute-force oracle, for every metric,
// on generated clustered data (5,000 x 32, 20 clusters, 200 queries).
#include <cmath>
#include <cstring>

#include "support/catch.hpp"
#include "vector/support.hpp"

using namespace vector_test;

namespace {

void check_recall(sv::metric m, std::size_t ef, double floor) {
    const sv::vector_set data = small_set();
    sv::hnsw_index index(params_for(data.dim, m));
    index.insert_batch(iota_keys(data.count()), data.vectors);
    REQUIRE(index.size() == data.count());
    index.verify();
    const double recall = recall_at(data, m, 10, [&](std::span<const float> q) { return index.search(q, 10, ef); });
    INFO("metric " << sv::to_string(m) << ", ef " << ef << ", recall@10 " << recall);
    CHECK(recall >= floor);
}

} // namespace

TEST_CASE("recall@10 under L2 is at least 0.95 at ef 64") { check_recall(sv::metric::l2, 64, 0.95); }

TEST_CASE("recall@10 under cosine is at least 0.95 at ef 64") { check_recall(sv::metric::cosine, 64, 0.95); }

TEST_CASE("recall@10 under inner product is at least 0.95 at ef 128") {
    check_recall(sv::metric::inner_product, 128, 0.95);
}

TEST_CASE("recall@10 under Manhattan is at least 0.95 at ef 64") { check_recall(sv::metric::manhattan, 64, 0.95); }

TEST_CASE("search returns k hits nearest first with distances in the metric's units") {
    const sv::vector_set data = small_set(2000, 32, 20);
    for (sv::metric m : {sv::metric::l2, sv::metric::cosine, sv::metric::inner_product, sv::metric::manhattan}) {
        sv::hnsw_index index(params_for(data.dim, m));
        index.insert_batch(iota_keys(data.count()), data.vectors);
        for (std::size_t q = 0; q < data.query_count(); ++q) {
            const auto hits = index.search(data.query(q), 10, 50);
            REQUIRE(hits.size() == 10);
            for (std::size_t i = 0; i < hits.size(); ++i) {
                if (i > 0) CHECK(hits[i - 1].distance <= hits[i].distance);
                const float expected = sv::reference_distance(m, data.query(q).data(),
                                                              data.vector(hits[i].key).data(), data.dim);
                CHECK(std::fabs(hits[i].distance - expected) <= 1e-3f * (1.0f + std::fabs(expected)));
            }
        }
    }
}

TEST_CASE("a vector searched for finds itself first at distance zero") {
    const sv::vector_set data = small_set(3000, 32, 0);
    sv::hnsw_index index(params_for(data.dim, sv::metric::l2));
    index.insert_batch(iota_keys(data.count()), data.vectors);
    std::size_t found_first = 0;
    for (std::size_t i = 0; i < data.count(); i += 37) {
        const auto hits = index.search(data.vector(i), 1, 32);
        REQUIRE(hits.size() == 1);
        if (hits[0].key == i && hits[0].distance == 0.0f) ++found_first;
    }
    CHECK(found_first == (data.count() + 36) / 37);
}

TEST_CASE("an empty index returns no hits and a small index returns all it holds") {
    sv::hnsw_index index(params_for(4, sv::metric::l2));
    const std::vector<float> q = {0, 0, 0, 0};
    CHECK(index.search(q, 10).empty());
    index.insert(7, std::vector<float>{1, 0, 0, 0});
    index.insert(8, std::vector<float>{0, 2, 0, 0});
    const auto hits = index.search(q, 10);
    REQUIRE(hits.size() == 2);
    CHECK(hits[0] == sv::search_hit{7, 1.0f});
    CHECK(hits[1] == sv::search_hit{8, 2.0f});
    CHECK(index.search(q, 0).empty());
    index.verify();
}

TEST_CASE("one-by-one inserts build the same index as a single-threaded batch") {
    const sv::vector_set data = small_set(1500, 32, 0);
    sv::hnsw_index a(params_for(data.dim, sv::metric::l2));
    sv::hnsw_index b(params_for(data.dim, sv::metric::l2));
    a.insert_batch(iota_keys(data.count()), data.vectors);
    for (std::size_t i = 0; i < data.count(); ++i) b.insert(i, data.vector(i));
    REQUIRE(a.slot_count() == b.slot_count());
    const std::size_t bytes = a.slot_count() * a.layout().block_size;
    CHECK(std::memcmp(a.storage().block(0), b.storage().block(0), bytes) == 0);
}
