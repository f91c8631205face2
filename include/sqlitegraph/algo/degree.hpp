// sqlitegraph/algo/degree.hpp — degrees and their summary statistics.
//
// Degrees count edges, so parallel edges count with multiplicity and a
// self-loop adds one to the out- and one to the in-degree (two to the total,
// as in networkx). O(n) for views with sized ranges.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "sqlitegraph/algo/graph_view.hpp"

namespace sqlitegraph::algo {

// direction::both gives in + out (for a symmetric view, just the row size).
template <graph_view G>
[[nodiscard]] std::vector<std::size_t> degrees(const G& g, direction dir = direction::out) {
    const vertex_id n = vertex_count_of(g);
    std::vector<std::size_t> d(n);
    for (vertex_id v = 0; v < n; ++v) {
        if (dir == direction::out) d[v] = out_degree(g, v);
        else if (dir == direction::in) d[v] = in_degree(g, v);
        else d[v] = out_degree(g, v) + (is_symmetric(g) ? 0 : in_degree(g, v));
    }
    return d;
}

struct degree_summary {
    std::size_t min = 0, max = 0;
    double mean = 0;
    double median = 0;
    std::vector<std::size_t> histogram; // histogram[k] = vertices of degree k
};

template <graph_view G>
[[nodiscard]] degree_summary degree_statistics(const G& g, direction dir = direction::out) {
    auto d = degrees(g, dir);
    degree_summary s;
    if (d.empty()) return s;
    std::size_t total = 0;
    s.min = d[0];
    for (std::size_t x : d) {
        s.min = std::min(s.min, x);
        s.max = std::max(s.max, x);
        total += x;
    }
    s.mean = static_cast<double>(total) / static_cast<double>(d.size());
    s.histogram.assign(s.max + 1, 0);
    for (std::size_t x : d) ++s.histogram[x];
    std::sort(d.begin(), d.end());
    const std::size_t h = d.size() / 2;
    s.median = d.size() % 2 ? static_cast<double>(d[h]) : (static_cast<double>(d[h - 1]) + static_cast<double>(d[h])) / 2.0;
    return s;
}

} // namespace sqlitegraph::algo
