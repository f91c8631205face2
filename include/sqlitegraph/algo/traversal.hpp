// sqlitegraph/algo/traversal.hpp — lazy BFS and DFS: iterate vertices as they
// are reached, without materialising the whole traversal first.
//
// Both are single-pass input ranges: `for (auto s : bfs_traversal(g, src))`.
// Memory is O(n) bits/words for the visited set plus the frontier or stack;
// nothing is proportional to the number of edges. Stopping early (break)
// costs only what was explored so far.
//
// Tie-breaking: neighbours are taken in the order of the view's edge ranges;
// the first edge that reaches a vertex makes its parent. DFS is preorder and
// visits exactly the order a recursive DFS would, using an explicit stack of
// (vertex, next edge position), so depth never touches the call stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <ranges>
#include <vector>

#include "sqlitegraph/algo/edge_filter.hpp"
#include "sqlitegraph/algo/graph_view.hpp"

namespace sqlitegraph::algo {

struct traversal_step {
    vertex_id vertex;
    vertex_id parent; // no_vertex for a source
    std::uint32_t depth;
};

namespace detail {

// Input-iterator adaptor over a generator-like object with next().
template <class Gen>
class step_iterator {
public:
    using value_type = traversal_step;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::input_iterator_tag;

    step_iterator() = default;
    explicit step_iterator(Gen* gen) : gen_(gen) { ++*this; }
    const traversal_step& operator*() const { return *cur_; }
    step_iterator& operator++() {
        cur_ = gen_->next();
        return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const step_iterator& it, std::default_sentinel_t) { return !it.cur_.has_value(); }

private:
    Gen* gen_ = nullptr;
    std::optional<traversal_step> cur_;
};

} // namespace detail

struct traversal_options {
    direction dir = direction::out;
    std::uint32_t max_depth = unreached; // vertices deeper than this are not reported
    type_filter types{};
};

// Breadth-first, lazily: a vertex's neighbours are examined when the vertex
// is handed out. O(n + m) over a full run.
template <graph_view G>
class bfs_traversal {
public:
    bfs_traversal(const G& g, vertex_id source, traversal_options opt = {})
        : bfs_traversal(g, std::vector<vertex_id>{source}, std::move(opt)) {}
    bfs_traversal(const G& g, std::vector<vertex_id> sources, traversal_options opt = {})
        : g_(&g), opt_(std::move(opt)), seen_(g.vertex_count(), false) {
        for (vertex_id s : sources) {
            check_vertex(g, s, "bfs source");
            if (seen_[s]) continue;
            seen_[s] = true;
            queue_.push_back({s, no_vertex, 0});
        }
    }

    std::optional<traversal_step> next() {
        if (head_ == queue_.size()) return std::nullopt;
        const traversal_step cur = queue_[head_++];
        if (cur.depth < opt_.max_depth) {
            for_each_filtered_neighbor(*g_, cur.vertex, opt_.dir, opt_.types, [&](vertex_id w) {
                if (!seen_[w]) {
                    seen_[w] = true;
                    queue_.push_back({w, cur.vertex, cur.depth + 1});
                }
            });
        }
        // Reclaim the consumed prefix now and then so a long run keeps only
        // the live frontier.
        if (head_ > 4096 && head_ * 2 > queue_.size()) {
            queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
        return cur;
    }

    detail::step_iterator<bfs_traversal> begin() { return detail::step_iterator<bfs_traversal>(this); }
    std::default_sentinel_t end() const { return {}; }

private:
    const G* g_;
    traversal_options opt_;
    std::vector<bool> seen_;
    std::vector<traversal_step> queue_;
    std::size_t head_ = 0;
};

// Depth-first preorder, lazily. The stack holds (vertex, next edge position)
// so an edge is examined only when the walk gets to it, exactly as a
// recursive DFS would. direction::both walks out-edges then in-edges.
template <graph_view G>
class dfs_traversal {
public:
    dfs_traversal(const G& g, vertex_id source, traversal_options opt = {})
        : g_(&g), opt_(std::move(opt)), seen_(g.vertex_count(), false) {
        check_vertex(g, source, "dfs source");
        pending_ = traversal_step{source, no_vertex, 0};
        seen_[source] = true;
    }

    std::optional<traversal_step> next() {
        if (pending_) {
            const traversal_step s = *pending_;
            pending_.reset();
            stack_.push_back(frame{s.vertex, 0, s.depth});
            return s;
        }
        while (!stack_.empty()) {
            frame& f = stack_.back();
            if (f.depth < opt_.max_depth) {
                const std::size_t n_out = opt_.dir == direction::in ? 0 : out_degree(*g_, f.vertex);
                const bool use_in = opt_.dir == direction::in || (opt_.dir == direction::both && !is_symmetric(*g_));
                const std::size_t n_in = use_in ? in_degree(*g_, f.vertex) : 0;
                while (f.cursor < n_out + n_in) {
                    const std::size_t k = f.cursor++;
                    const auto e = k < n_out ? g_->out_edges(f.vertex)[k] : g_->in_edges(f.vertex)[k - n_out];
                    if (!opt_.types.accepts(e.type)) continue;
                    const auto w = static_cast<vertex_id>(e.neighbor);
                    if (seen_[w]) continue;
                    seen_[w] = true;
                    const traversal_step s{w, f.vertex, f.depth + 1};
                    stack_.push_back(frame{w, 0, s.depth});
                    return s;
                }
            }
            stack_.pop_back();
        }
        return std::nullopt;
    }

    detail::step_iterator<dfs_traversal> begin() { return detail::step_iterator<dfs_traversal>(this); }
    std::default_sentinel_t end() const { return {}; }

private:
    struct frame {
        vertex_id vertex;
        std::size_t cursor;
        std::uint32_t depth;
    };
    const G* g_;
    traversal_options opt_;
    std::vector<bool> seen_;
    std::vector<frame> stack_;
    std::optional<traversal_step> pending_;
};

} // namespace sqlitegraph::algo
