// sqlitegraph/algo/graph_view.hpp — the graph_view concept every algorithm
// is written against, and the small vocabulary types around it.
//
// A graph_view has dense vertices [0, vertex_count()) and, for each vertex,
// a random-access range of out-edges and of in-edges. Each element exposes
// `neighbor` (the other end), `type` (an edge-type id), `weight` and `index`
// (a dense edge index in [0, edge_count) that is the same for the edge seen
// from either end). Parallel edges and self-loops are allowed; a self-loop
// appears once in the out-range and once in the in-range of its vertex.
//
// Invariants the algorithms rely on: the ranges are stable for the lifetime
// of the view (calling out_edges(v) twice yields the same sequence), and
// const member functions may be called from several threads at once.
// csr_view models the concept; so does a user type with these members (see
// adjacency_list_view at the bottom for the simplest possible model).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ranges>
#include <span>
#include <string>
#include <vector>

#include "sqlitegraph/core/error.hpp"

namespace sqlitegraph::algo {

using vertex_id = std::uint32_t;
using edge_index = std::uint64_t;
using type_id = std::uint32_t;

// Marks "no vertex" in parent / predecessor arrays.
inline constexpr vertex_id no_vertex = std::numeric_limits<vertex_id>::max();
// Marks "not reached" in depth arrays.
inline constexpr std::uint32_t unreached = std::numeric_limits<std::uint32_t>::max();

// The value type csr_view and adjacency_list_view hand out. Algorithms do not
// require this exact type, only the four members.
struct edge_ref {
    vertex_id neighbor = 0;
    type_id type = 0;
    double weight = 1.0;
    edge_index index = 0;
};

template <class E>
concept edge_like = requires(const E& e) {
    { e.neighbor } -> std::convertible_to<vertex_id>;
    { e.type } -> std::convertible_to<type_id>;
    { e.weight } -> std::convertible_to<double>;
    { e.index } -> std::convertible_to<edge_index>;
};

template <class R>
concept edge_range = std::ranges::random_access_range<R> && std::ranges::sized_range<R> &&
                     edge_like<std::remove_cvref_t<std::ranges::range_reference_t<R>>>;

template <class G>
concept graph_view = requires(const G& g, vertex_id v) {
    { g.vertex_count() } -> std::convertible_to<std::size_t>;
    { g.out_edges(v) } -> edge_range;
    { g.in_edges(v) } -> edge_range;
};

// Optional fast path: a view that can hand out its neighbour ids as a
// contiguous span lets hot loops (BFS, PageRank, WCC) read one array only.
template <class G>
concept has_neighbor_spans = graph_view<G> && requires(const G& g, vertex_id v) {
    { g.out_neighbors(v) } -> std::convertible_to<std::span<const vertex_id>>;
    { g.in_neighbors(v) } -> std::convertible_to<std::span<const vertex_id>>;
};

// A view whose in-edges are its out-edges (an undirected view) says so, so
// that algorithms that look both ways do not visit every edge twice.
template <class G>
concept maybe_symmetric = requires(const G& g) {
    { g.symmetric() } -> std::convertible_to<bool>;
};

template <graph_view G>
[[nodiscard]] bool is_symmetric(const G& g) {
    if constexpr (maybe_symmetric<G>) return g.symmetric();
    else return false;
}

template <graph_view G>
[[nodiscard]] vertex_id vertex_count_of(const G& g) {
    const std::size_t n = g.vertex_count();
    if (n >= static_cast<std::size_t>(no_vertex))
        fail(errc::too_large, "graph has " + std::to_string(n) + " vertices; algorithms support fewer than 2^32 - 1");
    return static_cast<vertex_id>(n);
}

// Throws not_found naming the vertex when v is outside [0, n).
template <graph_view G>
void check_vertex(const G& g, vertex_id v, const char* what = "vertex") {
    if (static_cast<std::size_t>(v) >= g.vertex_count())
        fail(errc::not_found, std::string(what) + " " + std::to_string(v) + " is not a vertex (graph has " +
                                  std::to_string(g.vertex_count()) + " vertices)");
}

// Calls f(neighbor) for every out-neighbour (with multiplicity), using the
// span fast path when the view has one.
template <graph_view G, class F>
inline void for_each_out_neighbor(const G& g, vertex_id v, F&& f) {
    if constexpr (has_neighbor_spans<G>) {
        for (vertex_id w : g.out_neighbors(v)) f(w);
    } else {
        for (const auto& e : g.out_edges(v)) f(static_cast<vertex_id>(e.neighbor));
    }
}

template <graph_view G, class F>
inline void for_each_in_neighbor(const G& g, vertex_id v, F&& f) {
    if constexpr (has_neighbor_spans<G>) {
        for (vertex_id w : g.in_neighbors(v)) f(w);
    } else {
        for (const auto& e : g.in_edges(v)) f(static_cast<vertex_id>(e.neighbor));
    }
}

// Direction selector shared by traversals.
enum class direction { out, in, both };

template <graph_view G, class F>
inline void for_each_neighbor(const G& g, vertex_id v, direction d, F&& f) {
    if (d != direction::in) for_each_out_neighbor(g, v, f);
    if (d == direction::in || (d == direction::both && !is_symmetric(g))) for_each_in_neighbor(g, v, f);
}

template <graph_view G>
[[nodiscard]] std::size_t out_degree(const G& g, vertex_id v) {
    return std::ranges::size(g.out_edges(v));
}
template <graph_view G>
[[nodiscard]] std::size_t in_degree(const G& g, vertex_id v) {
    return std::ranges::size(g.in_edges(v));
}

// The simplest model of graph_view: per-vertex vectors of edge_ref. Handy in
// tests and as a template for a user's own adjacency list. add_edge keeps
// both directions; edge indices are assigned in insertion order.
class adjacency_list_view {
public:
    explicit adjacency_list_view(std::size_t n = 0) : out_(n), in_(n) {}

    edge_index add_edge(vertex_id from, vertex_id to, type_id type = 0, double weight = 1.0) {
        if (from >= out_.size() || to >= out_.size())
            fail(errc::not_found, "edge " + std::to_string(from) + "->" + std::to_string(to) +
                                      " names a vertex outside [0, " + std::to_string(out_.size()) + ")");
        const edge_index e = edges_++;
        out_[from].push_back(edge_ref{to, type, weight, e});
        in_[to].push_back(edge_ref{from, type, weight, e});
        return e;
    }

    [[nodiscard]] std::size_t vertex_count() const noexcept { return out_.size(); }
    [[nodiscard]] std::size_t edge_count() const noexcept { return edges_; }
    [[nodiscard]] std::span<const edge_ref> out_edges(vertex_id v) const { return out_[v]; }
    [[nodiscard]] std::span<const edge_ref> in_edges(vertex_id v) const { return in_[v]; }

private:
    std::vector<std::vector<edge_ref>> out_;
    std::vector<std::vector<edge_ref>> in_;
    edge_index edges_ = 0;
};

static_assert(graph_view<adjacency_list_view>);

} // namespace sqlitegraph::algo
