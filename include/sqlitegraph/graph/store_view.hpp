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
// node ids, the g.edges records for the weights, the g.adj chunks, each
// tree walked once by a cursor; no sort) and the algorithms then run at
// memory speed. Both give the same answers (tested).
//
// Both must not outlive the read transaction they were made from.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
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
    // The common record, {"weight": <number>} alone, read in place: object
    // tag, one member, key length 6, "weight", then a double (8 bytes) or a
    // zigzag int of one or two bytes. Anything else takes the general walk below.
    if (props.size() >= 11 && props[0] == static_cast<char>(tag::object_v) && props[1] == '\1' && props[2] == '\6' &&
        std::memcmp(props.data() + 3, "weight", 6) == 0) {
        const auto t = static_cast<tag>(props[9]);
        if (t == tag::double_v && props.size() == 18) return props_detail::load_double(props.substr(10, 8));
        if (t == tag::int_v && props.size() <= 12) { // a zigzag varint of one or two bytes
            const auto b0 = static_cast<unsigned char>(props[10]);
            if (props.size() == 11 && b0 < 0x80) return static_cast<double>(props_detail::unzigzag(b0));
            const unsigned b1 = props.size() == 12 ? static_cast<unsigned char>(props[11]) : 0x80u;
            if (b0 >= 0x80 && b1 < 0x80)
                return static_cast<double>(props_detail::unzigzag((b0 & 0x7Fu) | (std::uint64_t{b1} << 7)));
        }
    }
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
template <class Store>
using adj_tree = basic_btree<reader_txn<Store>, typename Store::adj_params>;

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
// over the edge records for the weights (by edge id), one over the
// adjacency chunks (out-entries give the out-rows, in-entries the in-rows,
// both already in row order, decoded by adjacency_codec::for_each_entry),
// then three short loops by edge id: out-positions, weights gathered in row
// order, in-edges resolved. O(n + m), no sort. Corrupt data (an entry naming
// a missing node or edge, an edge with two out-entries or none, counts that
// disagree) throws errc::corruption.
//
// Cost at R-MAT scale 16 (1 M edges, profile of docs/algorithms.md): about a
// third reading the edge records through the B+Tree cursor, a quarter
// decoding the adjacency chunks, the rest the by-id loops (cache misses)
// and the kernel zeroing the fresh arrays.
struct snapshot_options {
    // Read the `weight` property of every edge (the pass over the edge
    // records, about a third of the time); false leaves every weight 1.
    bool weights = true;
    // 2: the edge records are read in two id halves at once, then the out
    // and in passes over the adjacency run at once, then the in-edges are
    // resolved in two halves. The result is identical for any value.
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
    // Edge id -> its state: no_record, has_record (weights read, no
    // out-entry yet), or its out-position once the out-entry is seen.
    // In-entries hold edge ids until the end and are then resolved through it.
    constexpr std::uint32_t no_record = algo::csr_view::max_edges, has_record = no_record - 1;
    algo::csr_view::array<std::uint32_t> pos_of(static_cast<std::size_t>(top_edge) + 1, no_record);
    // Weights by edge id, read first in one sequential pass over the edge
    // records and gathered into row order at the end.
    algo::csr_view::array<double> weight_of_edge(opt.weights ? pos_of.size() : 0);
    const std::uint32_t expect = opt.weights ? has_record : no_record;
    // The edge id of each out-position. The passes over the adjacency only
    // append (sequential writes); every access by edge id happens after
    // them in short loops of their own, where the processor keeps many
    // cache misses in flight (inside the decoding loop each one stalled it).
    algo::csr_view::array<std::uint32_t> out_edge(m);

    auto corrupt = [](const std::string& what) { fail(errc::corruption, "snapshot_csr: " + what); };
    const node_id* ids = s.nodes.ids().data();

    // The adjacency index read chunk by chunk (store_view_detail::adj_tree):
    // keys run by (node, direction), so each direction's entries arrive in
    // row order. One row cursor per direction.
    struct rows {
        algo::csr_view::array<algo::edge_index>* offsets;
        std::size_t v = 0;  // vertex whose row is being filled
        std::size_t at = 0; // next position
    };
    rows out_rows{&p.out_offsets}, in_rows{&p.in_offsets};
    // Moves the row cursor to node `node` (closing the rows before it).
    auto to_row = [&](rows& q, node_id node) {
        auto& off = *q.offsets;
        while (q.v < n && ids[q.v] < node) off[++q.v] = q.at;
        if (q.v == n || ids[q.v] != node) corrupt("adjacency entry of missing node " + std::to_string(node));
    };
    auto check_entry = [&](rows& q, node_id node, const adj_entry& e) -> vertex_id {
        const vertex_id w = s.nodes.find(e.neighbour);
        if (w == algo::no_vertex) corrupt("node " + std::to_string(node) + " has a neighbour that does not exist");
        if (e.edge >= pos_of.size()) corrupt("adjacency names edge " + std::to_string(e.edge) + " beyond the last id");
        if (q.at == m) corrupt("more adjacency entries than the " + std::to_string(m) + " edges counted");
        return w;
    };
    // Decodes one chunk into its direction's rows.
    auto take_chunk = [&](const graph_detail::adj_key& k, std::string_view value) {
        const node_id node = std::get<0>(k);
        const adj_entry first{std::get<2>(k), std::get<3>(k), std::get<4>(k)};
        if (std::get<1>(k) == static_cast<std::uint8_t>(direction::out)) {
            to_row(out_rows, node);
            adjacency_codec::for_each_entry(first, value, [&](const adj_entry& e) {
                const vertex_id w = check_entry(out_rows, node, e);
                const std::size_t at = out_rows.at++;
                p.out_targets[at] = w;
                p.types[at] = e.type;
                out_edge[at] = static_cast<std::uint32_t>(e.edge);
            });
        } else if (std::get<1>(k) == static_cast<std::uint8_t>(direction::in)) {
            to_row(in_rows, node);
            adjacency_codec::for_each_entry(first, value, [&](const adj_entry& e) {
                const vertex_id w = check_entry(in_rows, node, e);
                const std::size_t at = in_rows.at++;
                p.in_sources[at] = w;
                p.in_edge[at] = static_cast<std::uint32_t>(e.edge); // an edge id until resolved below
            });
        } else {
            corrupt("adjacency key of node " + std::to_string(node) + " has direction " +
                    std::to_string(static_cast<unsigned>(std::get<1>(k))));
        }
    };
    // One pass, both directions (one thread), or one pass per direction at
    // once (two threads; each skips the other direction's chunks by key).
    auto adjacency_pass = [&](int only) {
        store_view_detail::adj_tree<Store> t(txn, txn.root(graph_detail::root_adj));
        for (auto c = t.begin(); c.valid(); c.next()) {
            const graph_detail::adj_key k = c.key();
            if (only >= 0 && std::get<1>(k) != only) continue;
            take_chunk(k, c.value());
        }
    };
    const bool two = algo::resolve_threads(opt.threads) > 1;

    // 1. Weights: the edge records in id order, in up to two id ranges.
    std::vector<std::size_t> seen(2, 0);
    auto weight_range = [&](edge_id lo, edge_id hi, std::size_t& count) {
        store_view_detail::record_tree<Store> edges(txn, txn.root(graph_detail::root_edges));
        std::uint32_t* pos = pos_of.data();
        const std::size_t top = pos_of.size();
        double* weights = weight_of_edge.data();
        for (auto c = edges.lower_bound(lo); c.valid(); c.next()) {
            const edge_id e = c.key();
            if (e >= hi) break;
            if (e >= top) corrupt("edge record " + std::to_string(e) + " is beyond the last edge id");
            weights[e] = store_view_detail::record_weight<typename Store::record_codec>(c.value(), e);
            pos[e] = has_record;
            ++count;
        }
    };
    if (opt.weights) {
        if (two) {
            const edge_id mid = top_edge / 2;
            algo::parallel_blocks(2, 1, 2, [&](std::size_t b, std::size_t, std::size_t) {
                b == 0 ? weight_range(0, mid, seen[0]) : weight_range(mid, UINT64_MAX, seen[1]);
            });
        } else {
            weight_range(0, UINT64_MAX, seen[0]);
        }
        if (seen[0] + seen[1] != m)
            corrupt(std::to_string(seen[0] + seen[1]) + " edge records for " + std::to_string(m) + " edges counted");
    }

    // 2. The adjacency. Reads of one snapshot from two threads go through
    // the pager's shared, locked cache; each pass has its own cursor.
    if (two)
        algo::parallel_blocks(2, 1, 2, [&](std::size_t b, std::size_t, std::size_t) { adjacency_pass(b == 0 ? 0 : 1); });
    else
        adjacency_pass(-1);
    for (rows* q : {&out_rows, &in_rows})
        while (q->v < n) (*q->offsets)[++q->v] = q->at;
    if (out_rows.at != m || in_rows.at != m)
        corrupt(std::to_string(out_rows.at) + " out-entries and " + std::to_string(in_rows.at) + " in-entries for " +
                std::to_string(m) + " edges");

    // 3. Out-entries: edge id -> out-position, weights gathered in row order.
    {
        std::uint32_t* pos = pos_of.data();
        const double* w = weight_of_edge.data();
        for (std::size_t at = 0; at < m; ++at) {
            const std::uint32_t e = out_edge[at];
            if (pos[e] != expect)
                corrupt(pos[e] == no_record ? "adjacency names edge " + std::to_string(e) + " that has no record"
                                            : "edge " + std::to_string(e) + " has two out-entries");
            pos[e] = static_cast<std::uint32_t>(at);
            p.weights[at] = opt.weights ? w[e] : 1.0;
        }
    }

    // 4. In-entries: edge id -> out-position.
    auto resolve_in_edges = [&](std::size_t lo, std::size_t hi) {
        for (std::size_t q = lo; q < hi; ++q) {
            const std::uint32_t pos = pos_of[p.in_edge[q]];
            if (pos >= has_record)
                corrupt("in-entry names edge " + std::to_string(p.in_edge[q]) + " that has no out-entry");
            p.in_edge[q] = pos;
        }
    };
    if (two)
        algo::parallel_blocks(2, 1, 2, [&](std::size_t b, std::size_t, std::size_t) {
            b == 0 ? resolve_in_edges(0, m / 2) : resolve_in_edges(m / 2, m);
        });
    else
        resolve_in_edges(0, m);
    s.graph = algo::csr_view::from_parts(std::move(p));
    return s;
}

} // namespace sqlitegraph
