// Bad input is refused with a clear error naming the index and the key, and
// leaves the index exactly as it was: same size, same bytes, same answers.
#include <cstring>
#include <limits>
#include <string>

#include "support/catch.hpp"
#include "vector/support.hpp"

using namespace vector_test;
using sqlitegraph::errc;

namespace {

struct snapshot {
    std::size_t size;
    std::vector<std::byte> blocks;
    std::vector<std::vector<sv::search_hit>> answers;
};

snapshot take(const sv::hnsw_index& index, const sv::vector_set& data) {
    snapshot s{index.size(), {}, {}};
    const std::byte* b = index.storage().block(0);
    s.blocks.assign(b, b + index.slot_count() * index.layout().block_size);
    for (std::size_t q = 0; q < data.query_count(); ++q) s.answers.push_back(index.search(data.query(q), 10, 40));
    return s;
}

void require_unchanged(const sv::hnsw_index& index, const sv::vector_set& data, const snapshot& before) {
    const snapshot after = take(index, data);
    CHECK(after.size == before.size);
    CHECK((after.blocks == before.blocks)); // not decomposed: the dump would be megabytes
    CHECK((after.answers == before.answers));
    index.verify();
}

template <class F>
void require_error(F&& f, errc code, const std::string& fragment) {
    try {
        f();
        FAIL("no error thrown; expected " << sqlitegraph::to_string(code) << " mentioning '" << fragment << "'");
    } catch (const sqlitegraph::error& e) {
        INFO(e.what());
        CHECK(e.code() == code);
        CHECK(std::string(e.what()).find(fragment) != std::string::npos);
        CHECK(std::string(e.what()).find("'test'") != std::string::npos); // names the index
    }
}

struct fixture {
    sv::vector_set data = small_set(1000, 16, 20);
    sv::hnsw_index index;
    explicit fixture(sv::metric m) : index(params_for(16, m)) { index.insert_batch(iota_keys(data.count()), data.vectors); }
};

} // namespace

TEST_CASE("a vector of the wrong dimension is refused and the index is unchanged") {
    fixture f(sv::metric::l2);
    const snapshot before = take(f.index, f.data);
    require_error([&] { f.index.insert(5000, std::vector<float>(15, 1.0f)); }, errc::invalid_argument,
                  "key 5000: vector has 15 components, expected 16");
    require_error([&] { f.index.search(std::vector<float>(17, 1.0f), 10); }, errc::invalid_argument,
                  "query has 17 components, expected 16");
    const std::vector<std::uint64_t> keys = {5000, 5001};
    require_error([&] { f.index.insert_batch(keys, std::vector<float>(31, 1.0f)); }, errc::invalid_argument,
                  "expected 32");
    require_unchanged(f.index, f.data, before);
}

TEST_CASE("NaN and infinite components are refused, in single and batch inserts and queries") {
    fixture f(sv::metric::l2);
    const snapshot before = take(f.index, f.data);
    std::vector<float> v(16, 0.5f);
    v[3] = std::numeric_limits<float>::quiet_NaN();
    require_error([&] { f.index.insert(6000, v); }, errc::invalid_argument, "key 6000: component 3 is NaN");
    require_error([&] { f.index.search(v, 10); }, errc::invalid_argument, "query: component 3 is NaN");
    // A batch whose last row is bad inserts none of its rows.
    std::vector<float> rows(3 * 16, 0.25f);
    rows[2 * 16 + 9] = std::numeric_limits<float>::infinity();
    const std::vector<std::uint64_t> keys = {6001, 6002, 6003};
    require_error([&] { f.index.insert_batch(keys, rows); }, errc::invalid_argument, "key 6003: component 9 is infinite");
    CHECK_FALSE(f.index.contains(6001));
    require_unchanged(f.index, f.data, before);
}

TEST_CASE("a zero vector under cosine is refused as an insert and as a query, never a NaN distance") {
    fixture f(sv::metric::cosine);
    const snapshot before = take(f.index, f.data);
    const std::vector<float> zero(16, 0.0f);
    require_error([&] { f.index.insert(7000, zero); }, errc::invalid_argument,
                  "key 7000: a zero vector has no direction under the cosine metric");
    require_error([&] { f.index.search(zero, 10); }, errc::invalid_argument, "query: a zero vector has no direction");
    require_unchanged(f.index, f.data, before);
    // Under L2 the zero vector is an ordinary point.
    fixture l2(sv::metric::l2);
    l2.index.insert(7000, zero);
    CHECK(l2.index.search(zero, 1).front() == sv::search_hit{7000, 0.0f});
}

TEST_CASE("removing or reading an unknown key is not_found naming the key, and the index is unchanged") {
    fixture f(sv::metric::l2);
    const snapshot before = take(f.index, f.data);
    require_error([&] { f.index.remove(123456); }, errc::not_found, "no vector with key 123456");
    require_error([&] { (void)f.index.get(123456); }, errc::not_found, "no vector with key 123456");
    require_unchanged(f.index, f.data, before);
}

TEST_CASE("removing a key twice is not_found the second time") {
    fixture f(sv::metric::l2);
    f.index.remove(1);
    require_error([&] { f.index.remove(1); }, errc::not_found, "no vector with key 1");
    CHECK(f.index.size() == f.data.count() - 1);
    f.index.verify();
}

TEST_CASE("inserting a key that is already present is refused and keeps the old vector") {
    fixture f(sv::metric::l2);
    const snapshot before = take(f.index, f.data);
    require_error([&] { f.index.insert(10, f.data.vector(11)); }, errc::invalid_argument,
                  "key 10 is already present");
    const std::vector<std::uint64_t> twice = {9000, 9000};
    std::vector<float> rows(32, 0.1f);
    require_error([&] { f.index.insert_batch(twice, rows); }, errc::invalid_argument, "key 9000 is already present");
    CHECK(f.index.get(10) == std::vector<float>(f.data.vector(10).begin(), f.data.vector(10).end()));
    require_unchanged(f.index, f.data, before);
}

TEST_CASE("invalid parameters are refused when the index is created") {
    auto p = params_for(0, sv::metric::l2);
    CHECK_THROWS_AS(sv::hnsw_index(p), sqlitegraph::error);
    p.dim = sv::max_dimension + 1;
    CHECK_THROWS_AS(sv::hnsw_index(p), sqlitegraph::error);
    p.dim = sv::max_dimension; // the largest dimension is accepted
    sv::hnsw_index big(p);
    big.insert(1, std::vector<float>(sv::max_dimension, 1.0f));
    CHECK(big.search(std::vector<float>(sv::max_dimension, 1.0f), 1).front().key == 1);
    p.dim = 8;
    p.m = 1;
    CHECK_THROWS_AS(sv::hnsw_index(p), sqlitegraph::error);
}

TEST_CASE("the catalog names indexes; an unknown name is not_found naming it") {
    sv::vector_catalog catalog;
    catalog.create(params_for(8, sv::metric::cosine));
    CHECK(catalog.contains("test"));
    CHECK(catalog.get("test").dimension() == 8);
    CHECK_THROWS_AS(catalog.create(params_for(8, sv::metric::l2)), sqlitegraph::error);
    try {
        catalog.get("missing");
        FAIL("no error");
    } catch (const sqlitegraph::error& e) {
        CHECK(e.code() == errc::not_found);
        CHECK(std::string(e.what()).find("'missing'") != std::string::npos);
    }
    catalog.drop("test");
    CHECK(catalog.names().empty());
}
