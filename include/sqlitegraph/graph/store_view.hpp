// sqlitegraph/graph/store_view.hpp — the graph algorithms on a store's read
// snapshot: a graph_view that reads the snapshot's adjacency index directly,
// and a fast materialisation of the snapshot into an algo::csr_view.
//
// Both number the snapshot's nodes densely: vertex v is the v-th live node in
// id order (node_numbering maps both ways). An edge keeps its store type id
// as its type, and its weight is the numeric `weight` property of the edge
// (1 where absent; a non-numeric weight throws errc::invalid_argument naming
// the edge). Both views list a vertex's out-edges, and its in-edges, in the
// order of the adjacency index: by (type id, neighbour, edge id).
//
// store_graph_view runs algorithms on the snapshot itself: every
// out_edges()/in_edges() call reads the node's adjacency through the store's
// API (and one edge record per edge for the weight), serialised by a mutex so that
// multi-threaded algorithms may call it concurrently. Its edge index is the
// store's edge id (unique per edge, the same from either end). It is the
// right tool for a few traversals on a large store; for whole-graph
// analytics, snapshot_csr() reads the snapshot once in index order (the
// node pages, the g.edges records for the weights, the out-chunks of g.adj,
// each walked once by a cursor; no sort), derives the in-rows in memory,
// and the algorithms then run at memory speed. Both give the same answers
// (tested).
//
// Both must not outlive the read transaction they were made from.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "sqlitegraph/algo/csr_view.hpp"
#include "sqlitegraph/algo/graph_view.hpp"
#include "sqlitegraph/algo/parallel.hpp"
#include "sqlitegraph/btree/btree.hpp"
#include "sqlitegraph/codec/adjacency.hpp"
#include "sqlitegraph/codec/node_page.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/graph/edge_weights.hpp"
#include "sqlitegraph/graph/node_pages.hpp"

namespace sqlitegraph {

// Dense numbering of a snapshot's live nodes, in id order, both ways.
class node_numbering {
  public:
    node_numbering() = default;
    explicit node_numbering(std::vector<node_id> ids) : ids_(std::move(ids)) {
        for (std::size_t i = 1; i < ids_.size(); ++i)
            if (ids_[i - 1] >= ids_[i]) fail(errc::invalid_argument, "node_numbering: ids are not strictly ascending");
        if (ids_.size() >= static_cast<std::size_t>(algo::no_vertex))
            fail(errc::too_large, "node_numbering: " + std::to_string(ids_.size()) + " nodes is more than 2^32 - 2");
        // A direct table when the ids are not much sparser than the nodes
        // (ids are dense from 1 and only erasing makes holes).
        const node_id top = ids_.empty() ? 0 : ids_.back();
        if (top <= 4 * ids_.size() + 1024) {
            table_.assign(static_cast<std::size_t>(top) + 1, algo::no_vertex);
            for (std::size_t i = 0; i < ids_.size(); ++i) table_[ids_[i]] = static_cast<algo::vertex_id>(i);
        }
    }

    [[nodiscard]] std::size_t size() const noexcept { return ids_.size(); }
    [[nodiscard]] node_id node_of(algo::vertex_id v) const {
        if (v >= ids_.size())
            fail(errc::not_found, "vertex " + std::to_string(v) + " is not a node (snapshot has " +
                                      std::to_string(ids_.size()) + " nodes)");
        return ids_[v];
    }
    // algo::no_vertex when the node is not in the snapshot.
    [[nodiscard]] algo::vertex_id find(node_id id) const noexcept {
        if (!table_.empty() || ids_.empty()) return id < table_.size() ? table_[id] : algo::no_vertex;
        auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
        return it != ids_.end() && *it == id ? static_cast<algo::vertex_id>(it - ids_.begin()) : algo::no_vertex;
    }
    // The vertex of a node, or errc::not_found naming it.
    [[nodiscard]] algo::vertex_id vertex_of(node_id id) const {
        const auto v = find(id);
        if (v == algo::no_vertex) fail(errc::not_found, "node " + std::to_string(id) + " does not exist");
        return v;
    }
    [[nodiscard]] const std::vector<node_id>& ids() const noexcept { return ids_; }

  private:
    std::vector<node_id> ids_;
    std::vector<algo::vertex_id> table_;
};

namespace store_view_detail {

template <class Store>
using reader_txn = std::remove_reference_t<decltype(std::declval<typename Store::read_transaction&>().pager_txn())>;
template <class Store>
using weight_tree = basic_btree<reader_txn<Store>, typename Store::weight_params>;
template <class Store>
using adj_tree = basic_btree<reader_txn<Store>, typename Store::adj_params>;

// Node ids in id order, read from the node pages without decoding the
// records (a node's kind, name and properties are not needed here).
template <class Store>
node_numbering number_nodes(typename Store::read_transaction& r) {
    auto& txn = r.pager_txn();
    node_pages<reader_txn<Store>, typename Store::page_codec, Store::page_bytes> pages(txn, txn.root(graph_detail::root_nodes));
    std::vector<node_id> ids;
    ids.reserve(static_cast<std::size_t>(r.node_count()));
    pages.scan(0, UINT64_MAX, [&](std::uint64_t id, std::string_view) { ids.push_back(id); });
    if (ids.size() != r.node_count())
        fail(errc::corruption, "snapshot: " + std::to_string(ids.size()) + " node records for " + std::to_string(r.node_count()) +
                                   " nodes counted");
    return node_numbering(std::move(ids));
}

} // namespace store_view_detail

// A graph_view over a read snapshot (see the header comment).
template <class Store>
class store_graph_view {
  public:
    explicit store_graph_view(typename Store::read_transaction& r)
        : r_(&r), nodes_(store_view_detail::number_nodes<Store>(r)) {}

    [[nodiscard]] std::size_t vertex_count() const noexcept { return nodes_.size(); }
    [[nodiscard]] std::vector<algo::edge_ref> out_edges(algo::vertex_id v) const { return scan(v, direction::out); }
    [[nodiscard]] std::vector<algo::edge_ref> in_edges(algo::vertex_id v) const { return scan(v, direction::in); }
    [[nodiscard]] const node_numbering& nodes() const noexcept { return nodes_; }

  private:
    std::vector<algo::edge_ref> scan(algo::vertex_id v, direction dir) const {
        const node_id id = nodes_.node_of(v);
        std::vector<algo::edge_ref> out;
        std::lock_guard lock(mutex_);
        for (const neighbor& nb : r_->neighbors(id, dir)) {
            const algo::vertex_id w = nodes_.find(nb.node);
            if (w == algo::no_vertex)
                fail(errc::corruption,
                     "adjacency entry of node " + std::to_string(id) + " names missing node " + std::to_string(nb.node));
            out.push_back(algo::edge_ref{w, type_of(nb.type), weight(nb.edge), nb.edge});
        }
        return out;
    }

    std::uint32_t type_of(const std::string& name) const {
        auto it = types_.find(name);
        if (it != types_.end()) return it->second;
        const auto t = r_->type_id(name);
        if (!t) fail(errc::corruption, "edge type '" + name + "' is not in the type dictionary");
        return types_.emplace(name, *t).first->second;
    }

    double weight(edge_id e) const { return edge_weights::weight_of(r_->require_edge(e).props.binary(), e); }

    typename Store::read_transaction* r_;
    node_numbering nodes_;
    mutable std::mutex mutex_;
    mutable std::map<std::string, std::uint32_t, std::less<>> types_;
};

// A snapshot materialised for analytics, with its node numbering.
struct snapshot_graph {
    algo::csr_view graph;
    node_numbering nodes;
};

// Reads the whole snapshot into a csr_view. Passes:
//  1. the node ids, from the node pages (number_nodes);
//  2. weights (opt.weights): the weight column (graph/edge_weights.hpp)
//     in id order, into an array by edge id. The column holds only the
//     weights other than 1, and the array is made only when it holds
//     any: an unweighted graph's weights are all 1 and need no array by
//     edge id, no gathering and no memory for either;
//  3. the out-direction adjacency chunks in key order: they give the
//     out-rows already in row order (by type id, neighbour, edge id);
//  4. in memory: the weights gathered into row order (when some weight
//     is not 1), the in-degrees, and
//     the in-rows by a counting-sort transpose of the out-rows taken in
//     (type id, source) order, so that every in-row comes out in the
//     index's order too (by type id, neighbour, edge id), with the
//     out-position of each in-edge known at once.
// O(n + m), no comparison sort. The in-direction chunks are not decoded:
// the store writes an edge's two entries together, and its check()
// (`sqlitegraph check`) verifies that every edge has both; decoding them
// would double the decoding for nothing the out-entries do not give.
//
// Corrupt data throws errc::corruption naming what is wrong: an entry
// naming a missing node or an edge id beyond the last, an edge with two
// out-entries, node or edge counts that disagree with the store's; with
// weights read, a weight column entry for an edge beyond the last id,
// without an out-entry, of weight 1 or not a number (the last is
// errc::invalid_argument naming the edge: the property is not a number).
// An out-entry whose edge has no record is not seen here (check() sees it).
//
// Cost (docs/algorithms.md, "Snapshots"): the out-chunks' decoding, the
// gather of the weights into row order (when some weight is not 1), the
// transpose's scattered writes and the kernel zeroing the fresh arrays.
struct snapshot_options {
    // Read the weight column (every edge's `weight` property); false leaves
    // every weight 1.
    bool weights = true;
    // 2: the out-chunks are read in two key ranges of similar size, each
    // range (and the weight column) by whichever thread is free; then the
    // weights are gathered and the in-rows filled in two halves. The
    // result is identical for any value.
    unsigned threads = 1;
};

namespace store_view_detail {

// One bit per edge id.
class edge_bits {
  public:
    explicit edge_bits(std::size_t n) : words_((n + 63) / 64, 0) {}
    void set(std::uint64_t e) noexcept { words_[e >> 6] |= bit(e); }
    [[nodiscard]] std::size_t words() const noexcept { return words_.size(); }
    [[nodiscard]] std::uint64_t word(std::size_t i) const noexcept { return words_[i]; }
    // Sets the bit; returns whether it was set already.
    bool test_and_set(std::uint64_t e) noexcept {
        std::uint64_t& w = words_[e >> 6];
        const bool was = (w & bit(e)) != 0;
        w |= bit(e);
        return was;
    }

  private:
    static std::uint64_t bit(std::uint64_t e) noexcept { return std::uint64_t{1} << (e & 63); }
    algo::csr_view::array<std::uint64_t> words_;
};

// A run of one out-row's entries of one type: the unit of the transpose.
struct out_run {
    algo::vertex_id source;
    algo::type_id type;
    std::uint32_t begin; // out-position of its first entry; it ends where the next run begins
};

// Error paths out of line, so the decoding loops stay small enough to inline.
[[noreturn, gnu::cold, gnu::noinline]] inline void snapshot_corrupt(const std::string& what) {
    fail(errc::corruption, "snapshot_csr: " + what);
}
[[noreturn, gnu::cold, gnu::noinline]] inline void snapshot_corrupt(const char* before, std::uint64_t x, const char* after) {
    snapshot_corrupt(before + std::to_string(x) + after);
}

// The passes of snapshot_csr over one read snapshot (see there). Scratch
// space reuses the output arrays where their lifetimes allow: the edge id
// of each out-position lives in in_edge until the transpose overwrites it,
// and the transpose's (source, out-position) pairs live in the weights by
// edge id once those are gathered (or in the weights array when there is
// no array by edge id: no weights read, or every weight 1). Fresh memory
// costs a page fault and the kernel's zeroing per page, a real share of
// the whole.
template <class Store>
class snapshot_builder {
  public:
    snapshot_builder(typename Store::read_transaction& r, const snapshot_options& opt) : r_(r), txn_(r.pager_txn()), opt_(opt) {}

    snapshot_graph build() {
        s_.nodes = number_nodes<Store>(r_);
        n_ = s_.nodes.size();
        const std::uint64_t m64 = r_.edge_count();
        if (m64 >= algo::csr_view::max_edges)
            fail(errc::too_large, "snapshot has " + std::to_string(m64) + " edges; csr_view holds fewer than 2^32");
        m_ = static_cast<std::size_t>(m64);
        const std::uint64_t top_edge = txn_.root(graph_detail::root_next_edge);
        if (top_edge >= algo::csr_view::max_edges)
            fail(errc::too_large, "edge ids reach " + std::to_string(top_edge) + "; csr_view needs them below 2^32");
        id_slots_ = static_cast<std::size_t>(top_edge) + 1; // edge ids are below this
        const bool two = algo::resolve_threads(opt_.threads) > 1;

        p_.n = n_;
        p_.out_offsets.resize(n_ + 1);
        p_.in_offsets.resize(n_ + 1);
        p_.out_targets.resize(m_);
        p_.types.resize(m_);
        p_.weights.resize(m_);
        p_.in_sources.resize(m_);
        p_.in_edge.resize(m_);
        p_.out_offsets[0] = 0; // big_allocator arrays start uninitialised
        seen_ = edge_bits(id_slots_);
        if (opt_.weights) in_column_ = edge_bits(id_slots_);
        next_in_.resize(n_);

        // 2 and 3. Work items 0 .. parts-1 are the out-chunk pass cut into
        // key ranges of similar size (out_part), the last (weights read) is
        // the weight column; with two threads, items are taken in that order
        // as each thread becomes free. Each item has its own cursor; the
        // pager's page cache is shared and locked.
        auto parts = plan_out_parts(two ? 2 : 1);
        algo::parallel_blocks(parts.size() + (opt_.weights ? 1 : 0), 1, two ? 2 : 1, [&](std::size_t b, std::size_t, std::size_t) {
            if (b < parts.size()) adjacency_pass(parts[b]);
            else weight_pass();
        });
        join_out_parts(parts);
        if (out_entries_ != m_)
            snapshot_corrupt(std::to_string(out_entries_) + " out-entries for " + std::to_string(m_) + " edges counted");
        check_and_count();
        if (opt_.weights) check_weighted();

        // 4. Weights into row order, then the transpose (in two target
        // ranges split where the in-rows reach half the edges).
        auto halves = [&](auto&& fn) {
            if (two) algo::parallel_blocks(2, 1, 2, [&](std::size_t b, std::size_t, std::size_t) { fn(b); });
            else fn(2);
        };
        if (weighted())
            halves([&](std::size_t b) {
                gather_weights(b == 1 ? m_ / 2 : 0, b == 0 ? m_ / 2 : m_);
            });
        prepare_transpose();
        const auto mid = std::lower_bound(p_.in_offsets.begin(), p_.in_offsets.end(), algo::edge_index{m_ / 2});
        const auto split = static_cast<algo::vertex_id>(std::min<std::size_t>(mid - p_.in_offsets.begin(), n_) >> bucket_shift_
                                                        << bucket_shift_);
        halves([&](std::size_t b) {
            transpose(b == 1 ? split : 0, b == 0 ? split : static_cast<algo::vertex_id>(n_));
        });
        if (!weighted())
            halves([&](std::size_t b) {
                std::fill(p_.weights.data() + (b == 1 ? m_ / 2 : 0), p_.weights.data() + (b == 0 ? m_ / 2 : m_), 1.0);
            });
        s_.graph = algo::csr_view::from_parts(std::move(p_));
        return std::move(s_);
    }

  private:
    // Weights by edge id from the weight column, in id order: the weights
    // other than 1 (weight_array), each edge marked in in_column_.
    void weight_pass() {
        weight_tree<Store> column(txn_, txn_.root(graph_detail::root_eweight));
        double* weights = nullptr;
        for (auto c = column.begin(); c.valid(); c.next()) {
            c.prefetch_leaf();
            c.for_each_in_leaf([&](edge_id e, std::uint64_t bits) {
                if (e >= id_slots_) snapshot_corrupt("weight column names edge ", e, " beyond the last id");
                const double w = edge_weights::weight_from_bits(bits, e);
                if (w == 1.0) snapshot_corrupt("weight column holds weight 1 for edge ", e, "");
                if (weights == nullptr) weights = weight_array();
                weights[e] = w;
                in_column_.set(e);
                return true;
            });
        }
    }

    // One part of the out-chunk pass: the adjacency keys of nodes [lo, hi)
    // (the last part's hi is the largest id), which fill the out-rows of vertices
    // [first, last). The first part writes into the output arrays; the
    // others into arrays of their own, copied into place once the entries
    // before them are counted (join_out_parts). Positions are the part's own.
    struct out_part {
        node_id lo = 0, hi = std::numeric_limits<node_id>::max();
        algo::vertex_id first = 0, last = 0;
        algo::csr_view::array<algo::vertex_id> own_targets;
        algo::csr_view::array<algo::type_id> own_types;
        algo::csr_view::array<std::uint32_t> own_edge_of;
        algo::vertex_id* targets = nullptr;
        algo::type_id* types = nullptr;
        std::uint32_t* edge_of = nullptr; // edge id by out-position
        std::size_t at = 0;               // next out-position
        std::vector<out_run> runs;
        bool one_type = true;
    };

    // Cuts the out-chunk pass into `count` parts at node boundaries, where
    // the adjacency tree's split keys fall (about equal numbers of leaves).
    std::vector<out_part> plan_out_parts(std::size_t count) {
        std::vector<node_id> cuts;
        if (count > 1) {
            adj_tree<Store> t(txn_, txn_.root(graph_detail::root_adj));
            for (const auto& k : t.split_keys(count))
                if (cuts.empty() || std::get<0>(k) > cuts.back()) cuts.push_back(std::get<0>(k));
        }
        const node_id* ids = s_.nodes.ids().data();
        auto vertex_at = [&](node_id id) { return static_cast<algo::vertex_id>(std::lower_bound(ids, ids + n_, id) - ids); };
        std::vector<out_part> parts(cuts.size() + 1);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            out_part& q = parts[i];
            q.lo = i == 0 ? 0 : cuts[i - 1];
            if (i < cuts.size()) q.hi = cuts[i];
            q.first = vertex_at(q.lo);
            q.last = i < cuts.size() ? vertex_at(q.hi) : static_cast<algo::vertex_id>(n_);
            if (i == 0) {
                q.targets = p_.out_targets.data();
                q.types = p_.types.data();
                q.edge_of = p_.in_edge.data(); // until the transpose overwrites it
            } else { // untouched pages of these cost nothing: only what is written is
                q.own_targets.resize(m_);
                q.own_types.resize(m_);
                q.own_edge_of.resize(m_);
                q.targets = q.own_targets.data();
                q.types = q.own_types.data();
                q.edge_of = q.own_edge_of.data();
            }
        }
        return parts;
    }

    void adjacency_pass(out_part& q) {
        const node_id* ids = s_.nodes.ids().data();
        // Ids ascending without holes: a node's vertex is its id minus the first.
        if (n_ == 0 || ids[n_ - 1] - ids[0] == n_ - 1) out_pass<true>(q);
        else out_pass<false>(q);
    }

    // The out-chunks of one part in key order: keys run by (node,
    // direction, type, neighbour, edge), so the out-entries arrive in row
    // order. Fills the part's out-rows (offsets relative to the part), the
    // edge id of each out-position and the runs.
    template <bool Dense>
    void out_pass(out_part& q) {
        adj_tree<Store> t(txn_, txn_.root(graph_detail::root_adj));
        const node_id* ids = s_.nodes.ids().data();
        std::size_t v = q.first; // the row being filled
        page_id leaf = null_page;
        for (auto c = t.lower_bound(graph_detail::adj_key{q.lo, 0, 0, 0, 0}); c.valid(); c.next()) {
            if (c.leaf() != leaf) {
                leaf = c.leaf();
                c.prefetch_leaf();
            }
            const auto [k, value] = c.entry();
            const node_id node = std::get<0>(k);
            if (node >= q.hi) break;
            if (std::get<1>(k) != static_cast<std::uint8_t>(direction::out)) {
                if (std::get<1>(k) != static_cast<std::uint8_t>(direction::in))
                    snapshot_corrupt("adjacency key of node " + std::to_string(node) + " has direction " +
                                     std::to_string(static_cast<unsigned>(std::get<1>(k))));
                continue;
            }
            // Close the rows before this node's (nodes without out-edges have none).
            while (v < q.last && ids[v] < node) p_.out_offsets[++v] = q.at;
            if (v == q.last || ids[v] != node) snapshot_corrupt("adjacency entry of missing node ", node, "");
            take_chunk<Dense>(q, static_cast<algo::vertex_id>(v), node, adj_entry{std::get<2>(k), std::get<3>(k), std::get<4>(k)},
                              value);
        }
        while (v < q.last) p_.out_offsets[++v] = q.at;
    }

    // One chunk's entries, decoded and checked; only sequential writes here.
    template <bool Dense>
    [[gnu::flatten]] void take_chunk(out_part& q, algo::vertex_id source, node_id node, const adj_entry& first,
                                     std::string_view value) {
        bool new_row = q.runs.empty() || q.runs.back().source != source;
        const node_id base = n_ == 0 ? 0 : s_.nodes.ids()[0];
        algo::vertex_id* const targets = q.targets;
        algo::type_id* const types = q.types;
        std::uint32_t* const edge_of = q.edge_of;
        std::size_t at = q.at;
        algo::type_id run_type = q.runs.empty() ? 0 : q.runs.back().type;
        adjacency_codec::for_each_entry(first, value, [&](const adj_entry& e) {
            algo::vertex_id w;
            if constexpr (Dense) {
                w = e.neighbour - base < n_ ? static_cast<algo::vertex_id>(e.neighbour - base) : algo::no_vertex;
            } else {
                w = s_.nodes.find(e.neighbour);
            }
            if (w == algo::no_vertex) snapshot_corrupt("node ", node, " has a neighbour that does not exist");
            if (e.edge >= id_slots_) snapshot_corrupt("adjacency names edge ", e.edge, " beyond the last id");
            if (at == m_) snapshot_corrupt("more out-entries than the ", m_, " edges counted");
            if (new_row || e.type != run_type) {
                q.one_type = q.one_type && (q.runs.empty() || e.type == run_type);
                q.runs.push_back({source, e.type, static_cast<std::uint32_t>(at)});
                run_type = e.type;
                new_row = false;
            }
            targets[at] = w;
            types[at] = e.type;
            edge_of[at] = static_cast<std::uint32_t>(e.edge);
            ++at;
        });
        q.at = at;
    }

    // The parts in order: each one's entries copied after those before it,
    // its row offsets and runs shifted by as many.
    void join_out_parts(std::vector<out_part>& parts) {
        out_part& head = parts[0];
        runs_ = std::move(head.runs);
        one_type_ = head.one_type;
        std::size_t at = head.at;
        for (std::size_t i = 1; i < parts.size(); ++i) {
            out_part& q = parts[i];
            if (q.at > m_ - at) snapshot_corrupt("more out-entries than the ", m_, " edges counted");
            std::copy_n(q.targets, q.at, p_.out_targets.data() + at);
            std::copy_n(q.types, q.at, p_.types.data() + at);
            std::copy_n(q.edge_of, q.at, p_.in_edge.data() + at);
            for (std::size_t v = std::size_t{q.first} + 1; v <= q.last; ++v) p_.out_offsets[v] += static_cast<algo::edge_index>(at);
            if (!q.runs.empty()) {
                one_type_ = one_type_ && q.one_type && (runs_.empty() || runs_.back().type == q.runs.front().type);
                for (out_run& r : q.runs) r.begin += static_cast<std::uint32_t>(at);
                runs_.insert(runs_.end(), q.runs.begin(), q.runs.end());
            }
            at += q.at;
        }
        out_entries_ = at;
    }

    // Every edge has one out-entry at most; the in-degrees (in next_in_).
    // Out of the decoding loop: scattered accesses stall it there, while
    // in a loop of their own the processor keeps many in flight.
    void check_and_count() {
        const std::uint32_t* edge_of = p_.in_edge.data();
        for (std::size_t at = 0; at < m_; ++at)
            if (seen_.test_and_set(edge_of[at])) snapshot_corrupt("edge ", edge_of[at], " has two out-entries");
        std::uint32_t* count = next_in_.data();
        std::fill(count, count + n_, 0u);
        const algo::vertex_id* targets = p_.out_targets.data();
        for (std::size_t at = 0; at < m_; ++at) ++count[targets[at]];
    }

    // The weights by edge id, made when the column has an entry: every
    // slot 1 until the pass writes the other weights.
    double* weight_array() {
        weight_of_edge_.resize(id_slots_); // >= m + 1: also the pairs' space later
        std::fill(weight_of_edge_.begin(), weight_of_edge_.end(), 1.0);
        return weight_of_edge_.data();
    }
    // Whether weight_array() was made (id_slots_ >= 1, so it is never empty
    // once made). Read after the passes have joined.
    [[nodiscard]] bool weighted() const noexcept { return !weight_of_edge_.empty(); }

    // Every edge in the weight column has an out-entry: one pass over the
    // two bit sets instead of a test per entry.
    void check_weighted() const {
        for (std::size_t word = 0; word < seen_.words(); ++word)
            if (const std::uint64_t stray = in_column_.word(word) & ~seen_.word(word); stray != 0)
                snapshot_corrupt("weight column names edge ", word * 64 + static_cast<unsigned>(std::countr_zero(stray)),
                                 " that has no out-entry");
    }

    // Weights of out-positions [lo, hi) in row order (some weight is not 1).
    void gather_weights(std::size_t lo, std::size_t hi) {
        double* out = p_.weights.data();
        const double* w = weight_of_edge_.data();
        const std::uint32_t* edge_of = p_.in_edge.data();
        for (std::size_t at = lo; at < hi; ++at) out[at] = w[edge_of[at]];
    }

    // In-row offsets from the in-degrees; the runs in (type, source) order:
    // a stable counting sort of the runs (already by source) by type,
    // skipped when there is one type.
    void prepare_transpose() {
        std::uint32_t sum = 0;
        for (std::size_t v = 0; v < n_; ++v) {
            const std::uint32_t d = next_in_[v];
            p_.in_offsets[v] = sum;
            next_in_[v] = sum;
            sum += d;
        }
        p_.in_offsets[n_] = sum;
        // Buckets of the transpose: about 32 Ki in-edges each on average, at
        // most 1,024 of them (that many append streams stay in cache).
        const std::size_t buckets = std::clamp<std::size_t>(m_ / 32768, 1, 1024);
        bucket_shift_ = static_cast<unsigned>(std::bit_width((n_ + buckets - 1) / buckets));
        if (one_type_) return;
        algo::type_id top_type = 0;
        for (const out_run& q : runs_) top_type = std::max(top_type, q.type);
        order_.resize(runs_.size());
        if (top_type <= runs_.size()) {
            std::vector<std::uint32_t> start(static_cast<std::size_t>(top_type) + 2, 0);
            for (const out_run& q : runs_) ++start[q.type + 1];
            for (std::size_t t = 1; t < start.size(); ++t) start[t] += start[t - 1];
            for (std::size_t i = 0; i < runs_.size(); ++i) order_[start[runs_[i].type]++] = static_cast<std::uint32_t>(i);
        } else { // type ids sparser than the runs
            for (std::size_t i = 0; i < runs_.size(); ++i) order_[i] = static_cast<std::uint32_t>(i);
            std::stable_sort(order_.begin(), order_.end(), [&](auto a, auto b) { return runs_[a].type < runs_[b].type; });
        }
    }

    // Fills the in-rows of targets [lo, hi) (bucket boundaries or n): each
    // in-edge's source and out-position, in the runs' (type, source) order,
    // so every in-row is ordered by (type id, neighbour, edge id) like the
    // index. Scattering each in-edge straight to its place costs a cache and
    // TLB miss per edge once the arrays outgrow the caches (at scale 20 that
    // was half of the whole build), so it is done in two passes, each with
    // its writes in cache: the in-edges are first appended, in order, to the
    // region of their target's bucket (a range of 2^bucket_shift_ targets,
    // whose in-rows are one contiguous range of in-positions), as a
    // (source, position) pair in the scratch space and the target in
    // in_edge; then each bucket's region is scattered to its in-rows. Both
    // passes keep the order, so the result is the one-pass result.
    void transpose(algo::vertex_id lo, algo::vertex_id hi) {
        if (lo >= hi) return;
        const algo::vertex_id* targets = p_.out_targets.data();
        double* scratch = weighted() ? weight_of_edge_.data() : p_.weights.data(); // m slots at least, free now
        std::uint32_t* in_edge = p_.in_edge.data();                                  // targets, then positions
        const unsigned shift = bucket_shift_;
        const std::size_t b0 = lo >> shift, b1 = ((std::size_t{hi} - 1) >> shift) + 1;
        auto region_begin = [&](std::size_t b) { return static_cast<std::size_t>(p_.in_offsets[std::min(b << shift, n_)]); };
        std::vector<std::size_t> cursor(b1 - b0);
        std::size_t widest = 0;
        for (std::size_t b = b0; b < b1; ++b) {
            cursor[b - b0] = region_begin(b);
            widest = std::max(widest, region_begin(b + 1) - region_begin(b));
        }
        const bool all = lo == 0 && hi == n_;
        for (std::size_t k = 0; k < runs_.size(); ++k) {
            const std::size_t i = one_type_ ? k : order_[k];
            const out_run q = runs_[i];
            const std::uint32_t end = i + 1 < runs_.size() ? runs_[i + 1].begin : static_cast<std::uint32_t>(m_);
            const std::uint64_t src = std::uint64_t{q.source} << 32;
            for (std::uint32_t pos = q.begin; pos < end; ++pos) {
                const algo::vertex_id t = targets[pos];
                if (!all && t - lo >= hi - lo) continue;
                const std::size_t at = cursor[(t >> shift) - b0]++;
                const std::uint64_t pair = src | pos;
                std::memcpy(scratch + at, &pair, sizeof pair);
                in_edge[at] = t;
            }
        }
        std::uint32_t* next = next_in_.data();
        algo::vertex_id* sources = p_.in_sources.data();
        std::vector<algo::vertex_id> bucket_targets(widest);
        for (std::size_t b = b0; b < b1; ++b) {
            const std::size_t first = region_begin(b), last = region_begin(b + 1);
            std::copy(in_edge + first, in_edge + last, bucket_targets.begin()); // in_edge is rewritten below
            for (std::size_t at = first; at < last; ++at) {
                std::uint64_t pair;
                std::memcpy(&pair, scratch + at, sizeof pair);
                const std::uint32_t q = next[bucket_targets[at - first]]++;
                sources[q] = static_cast<algo::vertex_id>(pair >> 32);
                in_edge[q] = static_cast<std::uint32_t>(pair);
            }
        }
    }

    typename Store::read_transaction& r_;
    reader_txn<Store>& txn_;
    const snapshot_options& opt_;
    snapshot_graph s_;
    algo::csr_view::parts p_;
    std::size_t n_ = 0, m_ = 0, id_slots_ = 0;
    edge_bits seen_{0};                            // edges met in an out-entry
    edge_bits in_column_{0};                       // edges in the weight column
    algo::csr_view::array<double> weight_of_edge_; // by edge id (some weight is not 1)
    std::size_t out_entries_ = 0;
    std::vector<out_run> runs_;
    bool one_type_ = true;
    std::vector<std::uint32_t> order_;             // runs in (type, source) order
    unsigned bucket_shift_ = 0;                    // the transpose's buckets hold 2^shift targets
    algo::csr_view::array<std::uint32_t> next_in_; // in-degrees, then the next free in-position per target
};

} // namespace store_view_detail

template <class Store>
[[nodiscard]] snapshot_graph snapshot_csr(typename Store::read_transaction& r, const snapshot_options& opt = {}) {
    return store_view_detail::snapshot_builder<Store>(r, opt).build();
}

} // namespace sqlitegraph
