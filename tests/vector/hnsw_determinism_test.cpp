// Determinism for a seed, and the multi-threaded build ([concurrency]: run
// under ThreadSanitizer too).
#include <cstring>
#include <thread>
#include <sstream>

#include "support/catch.hpp"
#include "vector/support.hpp"

using namespace vector_test;

namespace {

std::vector<std::byte> image(const sv::hnsw_index& index) {
    const std::byte* b = index.storage().block(0);
    return {b, b + index.slot_count() * index.layout().block_size};
}

} // namespace

TEST_CASE("two single-threaded builds with the same seed are byte-identical and answer identically") {
    const sv::vector_set data = small_set(3000, 32, 50);
    sv::hnsw_index a(params_for(data.dim, sv::metric::cosine, 99));
    sv::hnsw_index b(params_for(data.dim, sv::metric::cosine, 99));
    a.insert_batch(iota_keys(data.count()), data.vectors);
    b.insert_batch(iota_keys(data.count()), data.vectors);
    CHECK((image(a) == image(b)));
    CHECK(a.max_level() == b.max_level());
    for (std::size_t q = 0; q < data.query_count(); ++q)
        CHECK(a.search(data.query(q), 10, 30) == b.search(data.query(q), 10, 30));
}

TEST_CASE("a different seed draws different levels, so a different graph") {
    const sv::vector_set data = small_set(3000, 32, 0);
    sv::hnsw_index a(params_for(data.dim, sv::metric::l2, 1));
    sv::hnsw_index b(params_for(data.dim, sv::metric::l2, 2));
    a.insert_batch(iota_keys(data.count()), data.vectors);
    b.insert_batch(iota_keys(data.count()), data.vectors);
    CHECK((image(a) != image(b)));
}

TEST_CASE("the generator is deterministic for a seed and the queries do not shift the vectors",
          "[generate]") {
    const auto a = sv::generate_vectors({500, 24, 10, 50, 42});
    const auto b = sv::generate_vectors({500, 24, 10, 50, 42});
    const auto c = sv::generate_vectors({500, 24, 10, 80, 42});
    const auto d = sv::generate_vectors({500, 24, 10, 50, 43});
    CHECK((a.vectors == b.vectors));
    CHECK((a.queries == b.queries));
    CHECK((a.vectors == c.vectors));
    CHECK(std::equal(a.queries.begin(), a.queries.end(), c.queries.begin()));
    CHECK((a.vectors != d.vectors));
    std::ostringstream x, y;
    sv::write_vectors_csv(x, a.vectors, a.dim);
    sv::write_vectors_csv(y, b.vectors, b.dim);
    CHECK((x.str() == y.str()));
    CHECK(x.str().rfind("499,", std::string::npos) != std::string::npos);
    // The CSV round-trips: the first row reads back to the same floats.
    std::istringstream in(x.str());
    std::string line;
    std::getline(in, line);
    std::istringstream fields(line);
    std::string field;
    std::getline(fields, field, ',');
    CHECK(field == "0");
    for (std::size_t i = 0; i < a.dim; ++i) {
        std::getline(fields, field, ',');
        CHECK(std::stof(field) == a.vectors[i]);
    }
}

TEST_CASE("generated clusters are tight relative to the distance between them", "[generate]") {
    const auto set = sv::generate_vectors({2000, 32, 10, 0, 5});
    // Each vector's nearest centre-mate: the mean distance to vectors of its
    // own cluster is well below the mean distance to others.
    double same = 0, other = 0;
    std::size_t ns = 0, no = 0;
    for (std::size_t i = 0; i < 200; ++i)
        for (std::size_t j = i + 1; j < 200; ++j) {
            const float d = sv::reference_distance(sv::metric::l2, set.vector(i).data(), set.vector(j).data(), 32);
            if (set.cluster_of_vector[i] == set.cluster_of_vector[j]) same += d, ++ns;
            else other += d, ++no;
        }
    REQUIRE(ns > 0);
    REQUIRE(no > 0);
    CHECK(same / static_cast<double>(ns) < 0.7 * (other / static_cast<double>(no)));
}

TEST_CASE("a multi-threaded build is valid, keeps recall@10 at least 0.95 and has the seed's levels",
          "[concurrency]") {
    const sv::vector_set data = small_set(4000, 32, 100);
    sv::hnsw_index parallel(params_for(data.dim, sv::metric::l2));
    sv::hnsw_index serial(params_for(data.dim, sv::metric::l2));
    parallel.insert_batch(iota_keys(data.count()), data.vectors, 4);
    serial.insert_batch(iota_keys(data.count()), data.vectors, 1);
    parallel.verify();
    CHECK(parallel.size() == data.count());
    CHECK(parallel.max_level() == serial.max_level());
    for (std::uint32_t s = 0; s < parallel.slot_count(); ++s)
        REQUIRE(std::to_integer<int>(parallel.storage().block(s)[2]) == std::to_integer<int>(serial.storage().block(s)[2]));
    const double recall = recall_at(data, sv::metric::l2, 10,
                                    [&](std::span<const float> q) { return parallel.search(q, 10, 64); });
    INFO("recall@10 " << recall);
    CHECK(recall >= 0.95);
}

TEST_CASE("concurrent searches on a shared index return what a lone search returns", "[concurrency]") {
    const sv::vector_set data = small_set(2000, 32, 64);
    sv::hnsw_index index(params_for(data.dim, sv::metric::l2));
    index.insert_batch(iota_keys(data.count()), data.vectors, 2);
    std::vector<std::vector<sv::search_hit>> expected;
    for (std::size_t q = 0; q < data.query_count(); ++q) expected.push_back(index.search(data.query(q), 10, 40));
    std::vector<std::size_t> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int round = 0; round < 3; ++round)
                for (std::size_t q = t; q < data.query_count(); q += 2)
                    mismatches[t] += index.search(data.query(q), 10, 40) != expected[q];
        });
    for (auto& th : threads) th.join();
    for (std::size_t m : mismatches) CHECK(m == 0);
}
