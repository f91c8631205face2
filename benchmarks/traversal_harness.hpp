// benchmarks/traversal_harness.hpp — the random ids of Q1-Q5 and L2 and
// the traversal code of Q3-Q5 that bench_graph_vs_sqlite runs on both
// systems (only "neighbours of x" differs between them), shared with
// benchmarks/probes/bfs_query.cpp so that the probe times exactly the
// benchmark's loops on the benchmark's ids.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace sqlitegraph::bench {

// The workloads' random node ids (1..n), drawn in this order from one
// seeded generator; --quick takes a tenth.
struct workload_ids {
    std::vector<std::uint64_t> q1, q2, q3;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> q5, l2;
};

inline workload_ids make_ids(std::uint64_t n, bool quick) {
    std::mt19937_64 rng(42);
    auto pick = [&] { return 1 + rng() % n; };
    workload_ids w;
    w.q1.resize(quick ? 100000 : 1000000);
    for (auto& x : w.q1)
        x = pick();
    w.q2.resize(quick ? 10000 : 100000);
    for (auto& x : w.q2)
        x = pick();
    w.q3.resize(quick ? 100 : 1000);
    for (auto& x : w.q3)
        x = pick();
    w.q5.resize(quick ? 100 : 1000);
    for (auto& p : w.q5)
        p = {pick(), pick()};
    w.l2.resize(quick ? 100 : 1000);
    for (auto& p : w.l2)
        p = {pick(), pick()};
    return w;
}

// A visited set over dense ids that is cleared in O(1) by bumping a stamp.
class stamped_set {
  public:
    explicit stamped_set(std::size_t n) : marks_(n + 2, 0), dist_(n + 2, 0) {}
    void clear() {
        if (++stamp_ == 0) {
            std::fill(marks_.begin(), marks_.end(), 0);
            stamp_ = 1;
        }
    }
    bool insert(std::uint64_t id, std::uint32_t d = 0) {
        if (marks_[id] == stamp_) return false;
        marks_[id] = stamp_;
        dist_[id] = d;
        return true;
    }
    [[nodiscard]] bool contains(std::uint64_t id) const { return marks_[id] == stamp_; }
    [[nodiscard]] std::uint32_t dist(std::uint64_t id) const { return dist_[id]; }

  private:
    std::vector<std::uint32_t> marks_, dist_;
    std::uint32_t stamp_ = 0;
};

// Nodes within two out-hops of src (src itself not counted).
template <class Out> std::uint64_t two_hop_count(std::uint64_t src, stamped_set& seen, std::vector<std::uint64_t>& frontier, Out&& out) {
    seen.clear();
    seen.insert(src);
    frontier.clear();
    std::uint64_t count = 0;
    out(src, [&](std::uint64_t m) {
        if (seen.insert(m)) {
            frontier.push_back(m);
            ++count;
        }
    });
    for (const auto m : frontier)
        out(m, [&](std::uint64_t x) { count += seen.insert(x) ? 1 : 0; });
    return count;
}

struct bfs_result {
    std::uint64_t nodes = 0, edges = 0;
    friend bool operator==(const bfs_result&, const bfs_result&) = default;
};

// Out-BFS from src to max_depth: nodes reached (src included), edges scanned.
template <class Out> bfs_result bfs(std::uint64_t src, std::uint32_t max_depth, stamped_set& seen, Out&& out) {
    seen.clear();
    std::vector<std::uint64_t> queue{src};
    seen.insert(src, 0);
    bfs_result r;
    for (std::size_t i = 0; i < queue.size(); ++i) {
        const auto n = queue[i];
        const auto d = seen.dist(n);
        if (d >= max_depth) continue;
        out(n, [&](std::uint64_t m) {
            ++r.edges;
            if (seen.insert(m, d + 1)) queue.push_back(m);
        });
    }
    r.nodes = queue.size();
    return r;
}

// Level-synchronous bidirectional BFS (out edges forward, in edges
// backward), expanding the smaller frontier; the length of a shortest
// path, or -1. A level that finds a meeting is finished before returning,
// so the minimum over all meetings of that level is exact.
template <class Out, class In>
std::int64_t shortest_length(std::uint64_t s, std::uint64_t t, stamped_set& fwd, stamped_set& bwd, Out&& out, In&& in) {
    if (s == t) return 0;
    fwd.clear();
    bwd.clear();
    fwd.insert(s, 0);
    bwd.insert(t, 0);
    std::vector<std::uint64_t> ff{s}, fb{t}, next;
    std::int64_t best = -1;
    while (!ff.empty() && !fb.empty()) {
        const bool forward = ff.size() <= fb.size();
        auto& frontier = forward ? ff : fb;
        auto& mine = forward ? fwd : bwd;
        auto& other = forward ? bwd : fwd;
        next.clear();
        for (const auto u : frontier) {
            const auto du = mine.dist(u);
            auto visit = [&](std::uint64_t v) {
                if (other.contains(v)) {
                    const auto len = static_cast<std::int64_t>(du) + 1 + other.dist(v);
                    if (best < 0 || len < best) best = len;
                }
                if (mine.insert(v, du + 1)) next.push_back(v);
            };
            if (forward) {
                out(u, visit);
            } else {
                in(u, visit);
            }
        }
        if (best >= 0) return best;
        frontier.swap(next);
    }
    return -1;
}

} // namespace sqlitegraph::bench
