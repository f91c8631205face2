// sqlitegraph/vector/metric.hpp — the distance metrics an index may use.
//
// Owns: the metric enum, its names, and the meaning of the distance each
// metric reports. Invariant: smaller distance means nearer for every metric,
// so the search code never branches on the metric.
//
//   l2            Euclidean distance (searched internally as its square)
//   cosine        1 - cos(a, b); vectors are normalised at insert, so a zero
//                 vector is rejected (it has no direction)
//   inner_product 1 - <a, b> (hnswlib's convention); not a metric in the
//                 mathematical sense, but HNSW works well with it in practice
//   manhattan     sum of |a_i - b_i|
#pragma once

#include <optional>
#include <string_view>

namespace sqlitegraph::vector {

enum class metric { l2, cosine, inner_product, manhattan };

constexpr std::string_view to_string(metric m) noexcept {
    switch (m) {
    case metric::l2: return "l2";
    case metric::cosine: return "cosine";
    case metric::inner_product: return "ip";
    case metric::manhattan: return "manhattan";
    }
    return "invalid";
}

// Parses the names the CLI accepts (CLI.md: l2|cosine|ip, plus manhattan).
constexpr std::optional<metric> parse_metric(std::string_view name) noexcept {
    if (name == "l2") return metric::l2;
    if (name == "cosine") return metric::cosine;
    if (name == "ip" || name == "inner_product") return metric::inner_product;
    if (name == "manhattan" || name == "l1") return metric::manhattan;
    return std::nullopt;
}

} // namespace sqlitegraph::vector
