#include "sqlitegraph/core/growth.hpp"
#include "support/catch.hpp"

#include <cstddef>
#include <string>
#include <vector>

using namespace sqlitegraph;

TEST_CASE("reserve_more gives room for the extra elements and keeps appends amortised O(1)", "[core]") {
    std::vector<int> v;
    std::size_t reallocations = 0;
    for (int batch = 0; batch < 10000; ++batch) {
        const std::size_t capacity = v.capacity();
        reserve_more(v, 3);
        REQUIRE(v.capacity() >= v.size() + 3);
        if (v.capacity() != capacity) ++reallocations;
        v.insert(v.end(), {batch, batch, batch});
    }
    // Doubling from 3 to 30,000 elements: about 14 reallocations. Reserving
    // exactly size() + 3 each time would reallocate on every batch.
    REQUIRE(reallocations <= 16);

    std::string s = "ab";
    s.shrink_to_fit();
    reserve_more(s, 0);
    REQUIRE(s.capacity() >= 2); // no extra: nothing needed, nothing lost
    reserve_more(s, 100);
    REQUIRE(s.capacity() >= 102);
    REQUIRE(s == "ab");
}
