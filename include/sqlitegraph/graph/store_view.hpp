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
// node ids, the adjacency index through for_each_adjacency (out entries,
// then in entries), the g.edges records; no sort, no scatter) and the
// algorithms then run at memory speed. Both give the same answers (tested).
//
// Both must not outlive the read transaction they were made from.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sqlitegraph/algo/csr_view.hpp"
#include "sqlitegraph/algo/graph_view.hpp"
#include "sqlitegraph/algo/parallel.hpp"
#include "sqlitegraph/btree/btree.hpp"
#include "sqlitegraph/codec/node_page.hpp"
#include "sqlitegraph/codec/properties.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"

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

// The `weight` member of an edge's binary properties (1 when absent).
inline double weight_of(std::string_view props, edge_id id) {
    using props_detail::tag;
    if (props.size() == 2 && props[0] == static_cast<char>(tag::object_v) && props[1] == '\0') return 1.0;
    props_detail::reader r{props};
    if (static_cast<tag>(r.byte()) != tag::object_v) props_detail::corrupt("edge properties are not an object");
    const auto count = r.varint();
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::string_view key = r.bytes(r.varint());
        if (key != "weight") {
            r.skip();
            continue;
        }
        const auto t = static_cast<tag>(r.byte());
        if (t == tag::int_v) return static_cast<double>(props_detail::unzigzag(r.varint()));
        if (t == tag::double_v) return props_detail::load_double(r.bytes(8));
        fail(errc::invalid_argument, "edge " + std::to_string(id) + ": the weight property is not a number");
    }
    return 1.0;
}

// The properties part of an edge record without copying it, for the two
// record codecs we know; other codecs go through decode_edge.
template <class Codec>
inline double record_weight(std::string_view record, edge_id id) {
    if constexpr (std::is_same_v<Codec, varint_record_codec>) {
        std::size_t at = 0;
        for (int field = 0; field < 3; ++field) {
            while (at < record.size() && (static_cast<unsigned char>(record[at]) & 0x80)) ++at;
            if (at >= record.size()) record_detail::corrupt("edge record truncated");
            ++at;
        }
        return weight_of(record.substr(at), id);
    } else if constexpr (std::is_same_v<Codec, fixed_record_codec>) {
        if (record.size() < 20) record_detail::corrupt("edge record truncated");
        return weight_of(record.substr(20), id);
    } else {
        return weight_of(Codec::decode_edge(record).properties, id);
    }
}

template <class Store>
using reader_txn = std::remove_reference_t<decltype(std::declval<typename Store::read_transaction&>().pager_txn())>;
template <class Store>
using record_tree = basic_btree<reader_txn<Store>, typename Store::record_params>;

// Node ids through the public scan (the node storage layout is the store's
// business); n is about m / 16 in typical graphs, so this is a small share.
template <class Store>
node_numbering number_nodes(typename Store::read_transaction& r) {
    std::vector<node_id> ids;
    ids.reserve(static_cast<std::size_t>(r.node_count()));
    r.for_each_node([&](const node& nd) { ids.push_back(nd.id); });
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

    double weight(edge_id e) const {
        const edge rec = r_->require_edge(e);
        const auto w = rec.props.find("weight");
        if (!w) return 1.0;
        if (w->type() != property_type::integer && w->type() != property_type::real)
            fail(errc::invalid_argument, "edge " + std::to_string(e) + ": the weight property is not a number");
        return w->template as<double>();
    }

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

// Reads the whole snapshot into a csr_view: one pass over the node ids, one
// over the adjacency index (out-entries give the out-rows, in-entries the
// in-rows, both already in row order) and one over the edge records for the
// weights. O(n + m), no sort, no scatter. Corrupt adjacency (an entry naming
// a missing node or edge, counts that disagree) throws errc::corruption.
struct snapshot_options {
    // Read the `weight` property of every edge (a pass over the edge
    // records, about a third of the time); false leaves every weight 1.
    bool weights = true;
    // 2: the out and in passes over the adjacency run at once, then the
    // edge records are read in two halves. The result does not depend on it.
    unsigned threads = 1;
};

template <class Store>
[[nodiscard]] snapshot_graph snapshot_csr(typename Store::read_transaction& r, const snapshot_options& opt = {}) {
    using algo::vertex_id;
    snapshot_graph s;
    s.nodes = store_view_detail::number_nodes<Store>(r);
    const std::size_t n = s.nodes.size();
    const std::uint64_t m64 = r.edge_count();
    if (m64 >= algo::csr_view::max_edges)
        fail(errc::too_large, "snapshot has " + std::to_string(m64) + " edges; csr_view holds fewer than 2^32");
    const auto m = static_cast<std::size_t>(m64);
    auto& txn = r.pager_txn();
    const std::uint64_t top_edge = txn.root(graph_detail::root_next_edge);
    if (top_edge >= algo::csr_view::max_edges)
        fail(errc::too_large, "edge ids reach " + std::to_string(top_edge) + "; csr_view needs them below 2^32");

    algo::csr_view::parts p;
    p.n = n;
    p.out_offsets.resize(n + 1);
    p.in_offsets.resize(n + 1);
    p.out_targets.resize(m);
    p.types.resize(m);
    p.weights.resize(m);
    p.in_sources.resize(m);
    p.in_edge.resize(m);
    p.out_offsets[0] = p.in_offsets[0] = 0; // big_allocator arrays start uninitialised
    // edge id -> out-position; in-entries hold edge ids until the end.
    algo::csr_view::array<std::uint32_t> pos_of(static_cast<std::size_t>(top_edge) + 1, algo::csr_view::max_edges);

    auto corrupt = [](const std::string& what) { fail(errc::corruption, "snapshot_csr: " + what); };
    using edge_index_t = algo::edge_index;
    // Two passes over the adjacency index, out entries then in entries; each
    // arrives grouped by node in id order, i.e. in row order.
    auto fill = [&](direction dir, algo::csr_view::array<edge_index_t>& offsets, std::size_t& at, auto&& put) {
        std::size_t v = 0; // vertex whose row is being filled
        node_id current = n ? s.nodes.node_of(0) : 0;
        r.for_each_adjacency(dir, [&](node_id node, node_id neighbour, std::uint32_t type, edge_id e) {
            if (node != current) {
                while (v < n && s.nodes.node_of(static_cast<vertex_id>(v)) < node) offsets[++v] = at;
                if (v == n || s.nodes.node_of(static_cast<vertex_id>(v)) != node)
                    corrupt("adjacency entry of missing node " + std::to_string(node));
                current = node;
            }
            const vertex_id w = s.nodes.find(neighbour);
            if (w == algo::no_vertex) corrupt("node " + std::to_string(node) + " has a neighbour that does not exist");
            if (e >= pos_of.size()) corrupt("adjacency names edge " + std::to_string(e) + " beyond the last id");
            if (at == m) corrupt("more adjacency entries than the " + std::to_string(m) + " edges counted");
            put(at, w, type, e);
            ++at;
        });
        while (v < n) offsets[++v] = at;
    };
    std::size_t out_at = 0, in_at = 0;
    auto out_pass = [&] {
        fill(direction::out, p.out_offsets, out_at, [&](std::size_t at, vertex_id w, std::uint32_t type, edge_id e) {
            p.out_targets[at] = w;
            p.types[at] = type;
            pos_of[e] = static_cast<std::uint32_t>(at);
        });
    };
    auto in_pass = [&] {
        fill(direction::in, p.in_offsets, in_at, [&](std::size_t at, vertex_id w, std::uint32_t, edge_id e) {
            p.in_sources[at] = w;
            p.in_edge[at] = static_cast<std::uint32_t>(e); // an edge id until resolved below
        });
    };
    const bool two = algo::resolve_threads(opt.threads) > 1;
    // Reads of one snapshot from two threads go through the pager's shared,
    // locked cache; each pass has its own cursor.
    algo::parallel_blocks(2, 1, two ? 2 : 1, [&](std::size_t b, std::size_t, std::size_t) { b == 0 ? out_pass() : in_pass(); });
    if (out_at != m || in_at != m)
        corrupt(std::to_string(out_at) + " out-entries and " + std::to_string(in_at) + " in-entries for " +
                std::to_string(m) + " edges");
    // Weights: the edge records in id order, in up to two id ranges.
    std::vector<std::size_t> seen(2, 0);
    auto weight_range = [&](edge_id lo, edge_id hi, std::size_t& count) {
        store_view_detail::record_tree<Store> edges(txn, txn.root(graph_detail::root_edges));
        for (auto c = edges.lower_bound(lo); c.valid(); c.next()) {
            const edge_id e = c.key();
            if (e >= hi) break;
            const std::uint32_t pos = e < pos_of.size() ? pos_of[e] : algo::csr_view::max_edges;
            if (pos == algo::csr_view::max_edges) corrupt("edge " + std::to_string(e) + " has no adjacency entry");
            p.weights[pos] = store_view_detail::record_weight<typename Store::record_codec>(c.value(), e);
            ++count;
        }
    };
    const edge_id mid = two ? top_edge / 2 : UINT64_MAX;
    algo::parallel_blocks(2, 1, two ? 2 : 1, [&](std::size_t b, std::size_t, std::size_t) {
        if (b == 0) {
            if (opt.weights) weight_range(0, mid, seen[0]);
            else std::fill(p.weights.begin(), p.weights.end(), 1.0);
        } else {
            if (opt.weights && two) weight_range(mid, UINT64_MAX, seen[1]);
            // In-edges: edge id -> out-position.
            for (std::size_t q = 0; q < m; ++q) {
                const std::uint32_t pos = pos_of[p.in_edge[q]];
                if (pos == algo::csr_view::max_edges)
                    corrupt("in-entry names edge " + std::to_string(p.in_edge[q]) + " that has no out-entry");
                p.in_edge[q] = pos;
            }
        }
    });
    if (opt.weights && seen[0] + seen[1] != m)
        corrupt(std::to_string(seen[0] + seen[1]) + " edge records for " + std::to_string(m) + " edges counted");
    s.graph = algo::csr_view::from_parts(std::move(p));
    return s;
}

} // namespace sqlitegraph
