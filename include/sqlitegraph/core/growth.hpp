// sqlitegraph/core/growth.hpp — room for more elements without losing
// geometric growth.
//
// std::vector::reserve(size() + extra) allocates exactly that much, so a
// container filled by repeated appends that each reserve their own extra
// (a loader fed in batches, a run decoded chunk by chunk) is reallocated
// and copied on every append: quadratic in the total. reserve_more keeps
// amortised O(1) appends: it reserves at least twice the old capacity.
#pragma once

#include <algorithm>
#include <cstddef>

namespace sqlitegraph {

template <class Container> void reserve_more(Container& c, std::size_t extra) {
    const std::size_t needed = c.size() + extra;
    if (needed > c.capacity()) c.reserve(std::max(needed, 2 * c.capacity()));
}

} // namespace sqlitegraph
