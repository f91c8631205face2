// The adjacency cache's in-memory form (graph/cached_adjacency.hpp): every
// entry comes back in order, whatever the ids (up to 2^64 - 1, edge ids
// falling as well as rising within a run, packed widths from 0 bits to the
// 56 / 64 boundary), and a type filter skips whole runs without disturbing
// the runs after them.
#include "sqlitegraph/graph/cached_adjacency.hpp"
#include "support/catch.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using namespace sqlitegraph;

namespace {

std::string form_of(const std::vector<adj_entry>& entries) {
    cached_adjacency::encoder enc;
    for (const auto& e : entries)
        enc.add(e);
    return enc.finish();
}

std::vector<adj_entry> decode(const std::string& form, const std::vector<std::uint32_t>& types = {}) {
    std::vector<adj_entry> out;
    cached_adjacency::for_each(
        form, [&](std::uint32_t t) { return types.empty() || std::find(types.begin(), types.end(), t) != types.end(); },
        [&](const adj_entry& e) { out.push_back(e); });
    return out;
}

} // namespace

TEST_CASE("the cached adjacency form gives back every entry in order", "[graph][cache]") {
    REQUIRE(form_of({}).empty());
    REQUIRE(decode("").empty());

    const std::vector<adj_entry> edges_of_one{{0, 1, 5}, {0, 1, 9}, {0, UINT64_MAX, 2}, {7, 0, UINT64_MAX}, {7, 3, 1},
                                              {UINT32_MAX, UINT64_MAX - 1, 0}, {UINT32_MAX, UINT64_MAX, UINT64_MAX}};
    REQUIRE(decode(form_of(edges_of_one)) == edges_of_one);

    // Widths at their edges: one entry (no gaps), equal neighbours and
    // edge ids (0 bits), gaps and offsets of exactly 56 bits, and of 57
    // (stored as 64, on whole bytes, after gaps of an odd width).
    const std::uint64_t w56 = (std::uint64_t{1} << 56) - 1, w57 = std::uint64_t{1} << 56;
    const std::vector<std::vector<adj_entry>> widths{
        {{3, 42, 7}},
        {{3, 42, 7}, {3, 42, 7}, {3, 42, 7}},
        {{1, 5, 9}, {1, 5 + w56, 9 + w56}, {1, 5 + 2 * w56, 9}},
        {{1, 5, 9}, {1, 5 + w57, 9 + w57}, {1, 5 + w57 + 3, 10}},
        {{1, 1, 100}, {1, 4, 1 + w57}, {1, 6, 100}, {2, 0, 0}, {2, UINT64_MAX, UINT64_MAX}},
    };
    for (const auto& entries : widths)
        REQUIRE(decode(form_of(entries)) == entries);

    std::mt19937_64 rng(11);
    for (int round = 0; round < 200; ++round) {
        std::vector<adj_entry> entries(rng() % 300);
        for (auto& e : entries) {
            e.type = static_cast<std::uint32_t>(rng() % 5);
            e.neighbour = rng() % 4 == 0 ? rng() : rng() % 1000;
            e.edge = rng() % 4 == 0 ? rng() : rng() % 100000;
        }
        std::sort(entries.begin(), entries.end());
        entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
        const auto form = form_of(entries);
        REQUIRE(decode(form) == entries);
        // Only types 1 and 3: the other runs are skipped, not decoded into these.
        std::vector<adj_entry> some;
        std::copy_if(entries.begin(), entries.end(), std::back_inserter(some),
                     [](const adj_entry& e) { return e.type == 1 || e.type == 3; });
        REQUIRE(decode(form, {1, 3}) == some);
        REQUIRE(decode(form, {4}).size() ==
                static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(), [](const adj_entry& e) { return e.type == 4; })));
    }
}
