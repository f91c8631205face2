// Deletes: tombstones keep the graph searchable (also when the entry point
// goes), consolidation repairs the links and frees the slots, and recall on
// what remains stays within 2 points of a fresh build of the same vectors.
#include <algorithm>

#include "support/catch.hpp"
#include "vector/support.hpp"

using namespace vector_test;

namespace {

// Keys to delete: 30% of them by a fixed stride pattern, plus the entry point.
std::vector<std::uint64_t> doomed_keys(const sv::hnsw_index& index, std::size_t count) {
    std::vector<std::uint64_t> keys;
    for (std::uint64_t i = 0; i < count; ++i)
        if (i % 10 < 3) keys.push_back(i);
    const auto entry = index.entry_key();
    REQUIRE(entry.has_value());
    if (*entry % 10 >= 3) keys.push_back(*entry);
    return keys;
}

void check_deletes(double max_tombstone_fraction) {
    const sv::vector_set data = small_set();
    auto params = params_for(data.dim, sv::metric::l2);
    params.max_tombstone_fraction = max_tombstone_fraction;
    sv::hnsw_index index(params);
    index.insert_batch(iota_keys(data.count()), data.vectors);
    const std::vector<std::uint64_t> doomed = doomed_keys(index, data.count());
    const std::uint64_t entry = *index.entry_key();
    for (std::uint64_t key : doomed) index.remove(key);
    index.verify();
    CHECK(index.size() == data.count() - doomed.size());
    CHECK_FALSE(index.contains(entry));
    CHECK(index.entry_key() != std::optional<std::uint64_t>(entry));

    std::vector<std::uint64_t> kept_keys;
    std::vector<float> kept_rows;
    std::unordered_set<std::uint64_t> gone(doomed.begin(), doomed.end());
    for (std::size_t i = 0; i < data.count(); ++i)
        if (!gone.count(i)) {
            kept_keys.push_back(i);
            kept_rows.insert(kept_rows.end(), data.vector(i).begin(), data.vector(i).end());
        }
    sv::hnsw_index fresh(params);
    fresh.insert_batch(kept_keys, kept_rows);
    auto keep = [&](std::uint64_t key) { return gone.count(key) == 0; };

    const std::size_t ef = 40;
    const double after_delete =
        recall_at(data, sv::metric::l2, 10, [&](std::span<const float> q) { return index.search(q, 10, ef); }, keep);
    const double rebuilt =
        recall_at(data, sv::metric::l2, 10, [&](std::span<const float> q) { return fresh.search(q, 10, ef); }, keep);
    INFO("recall@10 at ef " << ef << ": after deletes " << after_delete << ", fresh build " << rebuilt);
    CHECK(after_delete >= rebuilt - 0.02);
    for (std::size_t q = 0; q < data.query_count(); ++q)
        for (const auto& hit : index.search(data.query(q), 10, ef)) REQUIRE(keep(hit.key));
}

} // namespace

TEST_CASE("deleting 30% including the entry point keeps recall within 2 points of a fresh build (tombstones)") {
    check_deletes(1.0); // never consolidates: every deleted element stays a routing tombstone
}

TEST_CASE("deleting 30% including the entry point keeps recall within 2 points of a fresh build (consolidated)") {
    check_deletes(0.1); // consolidates twice along the way
}

TEST_CASE("consolidation frees tombstone slots, promotes a new entry point and reuses the lowest slot first") {
    const sv::vector_set data = small_set(2000, 32, 0);
    sv::hnsw_index index(params_for(data.dim, sv::metric::l2));
    index.insert_batch(iota_keys(data.count()), data.vectors);
    const std::uint64_t entry = *index.entry_key();
    index.remove(entry);
    index.remove(5);
    CHECK(index.tombstones() == 2);
    CHECK_FALSE(index.entry_key().has_value()); // the entry point routes on as a tombstone
    index.consolidate();
    index.verify();
    CHECK(index.tombstones() == 0);
    REQUIRE(index.entry_key().has_value());
    CHECK(index.slot_count() == data.count());
    // Re-inserting takes a freed slot, so the slot count does not grow.
    index.insert(5, data.vector(5));
    index.insert(entry, data.vector(entry));
    CHECK(index.slot_count() == data.count());
    index.verify();
    CHECK(index.search(data.vector(5), 1, 32).front().key == 5);
}

TEST_CASE("deleting every element leaves an empty index that accepts new vectors") {
    const sv::vector_set data = small_set(300, 16, 0);
    sv::hnsw_index index(params_for(data.dim, sv::metric::cosine));
    index.insert_batch(iota_keys(data.count()), data.vectors);
    for (std::uint64_t i = 0; i < data.count(); ++i) index.remove(i);
    index.verify();
    CHECK(index.size() == 0);
    CHECK(index.search(data.vector(0), 5).empty());
    index.insert(42, data.vector(3));
    const auto hits = index.search(data.vector(3), 5);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].key == 42);
}
