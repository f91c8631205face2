// sqlitegraph/graph/bulk_loader.hpp — write_transaction::bulk_loader: one
// bulk insert fed in batches.
//
// bulk_insert(nodes, edges) needs its whole input at once; an import of
// tens of millions of edges then holds every input row (about 100 bytes an
// edge as bulk_edge_input) beside the encoded records. A loader takes the
// input a batch at a time: add_nodes and add_edges validate and encode each
// batch with bulk_insert's rules and errors, keep only the encoded form
// (node records and index keys; per edge its endpoints, a type slot and
// its encoded properties), and finish() writes everything as one
// bulk_insert of all the batches would, in the same transaction.
//
// Rules:
//  1. Ids are handed out when a batch is added: nodes from the store's next
//     node id on, in the order they are added, edges likewise.
//     node_ref::batch(i) names the i-th node added to this loader.
//  2. A refused batch adds nothing (the loader is as before the call); a
//     refused finish() writes nothing and closes the loader.
//  3. Nothing reaches the transaction before finish(). Other inserts into
//     the transaction while the loader is open would take the ids it handed
//     out: finish() then refuses (invalid_argument). An existing node named
//     by an edge is checked again at finish(), in case it was erased.
//  4. After finish() the loader refuses every call (invalid_argument). A
//     loader dropped without finish() writes nothing.
#pragma once

#include "sqlitegraph/core/growth.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace sqlitegraph {

template <class... Policies>
class basic_graph_store<Policies...>::write_transaction::bulk_loader {
  public:
    explicit bulk_loader(write_transaction& tx)
        : tx_(&tx), first_node_(tx.txn_.root(graph_detail::root_next_node)),
          first_edge_(tx.txn_.root(graph_detail::root_next_edge)) {}

    // The id of the first node added (node_ref::batch(i) is this + i).
    [[nodiscard]] node_id first_node() const noexcept { return first_node_; }
    // Nodes added so far, until finish() (whose result counts what it wrote).
    [[nodiscard]] std::size_t node_total() const noexcept { return node_records_.size(); }

    // Adds nodes; returns the id of the first (the next id when empty).
    node_id add_nodes(std::span<const node_input> nodes) {
        require_open();
        const std::size_t before = node_records_.size();
        try {
            for (const auto& in : nodes) {
                check_text("kind", in.kind);
                check_text("name", in.name);
                node_records_.push_back(record_codec::encode_node({in.kind, in.name, encode_properties(in.properties)}));
                check_record(node_records_.back());
                const node_id id = first_node_ + node_records_.size() - 1;
                kind_keys_.emplace_back(graph_detail::index_key(in.kind, id), id);
                name_keys_.emplace_back(graph_detail::index_key(in.name, id), id);
            }
        } catch (...) {
            node_records_.resize(before);
            kind_keys_.resize(before);
            name_keys_.resize(before);
            throw;
        }
        return first_node_ + before;
    }

    // Adds edges whose endpoints are existing nodes or nodes added to this
    // loader; returns the id of the first (the next id when empty).
    edge_id add_edges(std::span<const bulk_edge_input> edges) {
        require_open();
        const std::size_t before = pending_.size();
        const std::size_t blob_before = props_blob_.size();
        const std::size_t types_before = type_names_.size();
        std::vector<node_id> learned;
        try {
            reserve_more(pending_, edges.size());
            reserve_more(props_end_, edges.size());
            learned = learn_existing(edges);
            for (std::size_t i = 0; i < edges.size(); ++i)
                add_edge(edges[i], i);
        } catch (...) {
            for (const node_id id : learned) // only accepted edges' nodes are checked again at finish()
                known_.erase(id);
            pending_.resize(before);
            props_end_.resize(before);
            props_blob_.resize(blob_before);
            for (std::size_t t = types_before; t < type_names_.size(); ++t)
                slot_of_.erase(type_names_[t]);
            type_names_.resize(types_before);
            throw;
        }
        return first_edge_ + before;
    }

    // Writes every batch into the transaction (see bulk_insert).
    bulk_insert_result finish() {
        namespace gd = graph_detail;
        require_open();
        finished_ = true;
        if (tx_->txn_.root(gd::root_next_node) != first_node_ || tx_->txn_.root(gd::root_next_edge) != first_edge_)
            fail(errc::invalid_argument, "bulk load: the transaction inserted nodes or edges while the loader was open");
        std::vector<node_id> named(known_.begin(), known_.end());
        std::sort(named.begin(), named.end());
        if (const auto erased = tx_->node_store().missing_of(named); !erased.empty())
            fail(errc::not_found,
                 "bulk load: node " + std::to_string(erased.front()) + " was erased while the loader was open");
        const bulk_insert_result result{first_node_, node_records_.size(), first_edge_, pending_.size()};
        if (node_records_.empty() && pending_.empty()) return result;
        tx_->guarded([&] { write(); });
        return result;
    }

  private:
    struct pending_edge {
        node_id from;
        node_id to;
        std::uint32_t type; // a slot of type_names_ until the dictionary is written
    };
    // Type names looked up by string_view without a string per edge.
    struct text_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
    };

    void require_open() const {
        if (finished_) fail(errc::invalid_argument, "bulk load: the loader has finished");
    }

    void add_edge(const bulk_edge_input& in, std::size_t i) {
        check_text("edge type", in.type);
        const std::string props = encode_properties(in.properties);
        const node_id from = endpoint(in.from, i, "from");
        const node_id to = endpoint(in.to, i, "to");
        // Varints of from, to and type take at most 25 bytes.
        if (props.size() + 25 > record_params::max_value_size)
            check_record(record_codec::encode_edge({from, to, UINT32_MAX, props}));
        auto it = slot_of_.find(std::string_view(in.type));
        if (it == slot_of_.end()) {
            type_names_.push_back(in.type);
            it = slot_of_.emplace(in.type, static_cast<std::uint32_t>(type_names_.size() - 1)).first;
        }
        pending_.push_back({from, to, it->second});
        props_blob_ += props;
        props_end_.push_back(props_blob_.size());
    }

    // Adds to known_ the existing nodes the batch names, found in one sorted
    // pass over the node pages (node_pages::missing_of) instead of a lookup
    // each, and returns them; the missing ones stay unknown for endpoint()
    // to report in input order.
    std::vector<node_id> learn_existing(std::span<const bulk_edge_input> edges) {
        std::vector<node_id> named;
        for (const auto& e : edges)
            for (const node_ref* r : {&e.from, &e.to})
                if (!r->in_batch && !known_.contains(r->value)) named.push_back(r->value);
        if (named.empty()) return named;
        std::sort(named.begin(), named.end());
        named.erase(std::unique(named.begin(), named.end()), named.end());
        const auto missing = tx_->node_store().missing_of(named);
        known_.reserve(known_.size() + named.size() - missing.size());
        std::size_t kept = 0, m = 0;
        for (const node_id id : named) {
            if (m < missing.size() && missing[m] == id) {
                ++m;
                continue;
            }
            known_.insert(id);
            named[kept++] = id;
        }
        named.resize(kept);
        return named;
    }

    node_id endpoint(const node_ref& r, std::size_t i, const char* which) {
        if (r.in_batch) {
            if (r.value >= node_records_.size())
                fail(errc::invalid_argument, "bulk edge " + std::to_string(i) + ": " + which + " names batch node " +
                                                 std::to_string(r.value) + " of " + std::to_string(node_records_.size()));
            return first_node_ + r.value;
        }
        if (!known_.contains(r.value)) // learn_existing put every existing node the batch names there
            fail(errc::not_found,
                 "bulk edge " + std::to_string(i) + ": " + which + " node " + std::to_string(r.value) + " does not exist");
        return r.value;
    }

    // The weight column's entries of the batch (weights other than 1), in
    // id order: bulk-loaded into an empty column, else inserted (the batch's
    // ids come after every id already there). Read from the properties as
    // the tree takes them, not gathered first: a list of them would be 16
    // bytes per weighted edge (266 MB at scale 20).
    void load_weights(write_transaction& tx, std::size_t edge_total) {
        auto batch_edges = [&] {
            return [&, i = std::size_t{0}]() mutable -> std::optional<std::pair<edge_id, std::string_view>> {
                if (i == edge_total) return std::nullopt;
                const std::size_t from = i == 0 ? 0 : props_end_[i - 1];
                const std::string_view props = std::string_view(props_blob_).substr(from, props_end_[i] - from);
                return std::pair<edge_id, std::string_view>(first_edge_ + i++, props);
            };
        };
        auto column = tx.weight_column();
        if (column.empty()) {
            edge_weights::bulk_load_column(column, batch_edges);
        } else {
            auto next = batch_edges();
            while (const auto edge = next())
                if (const auto bits = edge_weights::column_value(edge->second)) column.insert(edge->first, *bits);
        }
        tx.save(graph_detail::root_eweight, column);
    }

    // The write half of bulk_insert: records, indexes, adjacency, counts.
    void write() {
        namespace gd = graph_detail;
        write_transaction& tx = *tx_;
        const std::size_t node_total = node_records_.size(), edge_total = pending_.size();
        std::vector<std::uint32_t> type_ids;
        for (const auto& name : type_names_)
            type_ids.push_back(tx.type_for_write(name));
        for (auto& e : pending_)
            e.type = type_ids[e.type];
        tx.txn_.set_root(gd::root_next_node, first_node_ + node_total);
        tx.txn_.set_root(gd::root_next_edge, first_edge_ + edge_total);

        // Node records: ids follow every existing id, so the input is sorted.
        if (node_total != 0) {
            auto t = tx.node_store();
            t.append_sorted(index_range(node_total, [&](std::size_t i) {
                return std::pair<std::uint64_t, std::string_view>(first_node_ + i, node_records_[i]);
            }));
            tx.save(gd::root_nodes, t);
            release(node_records_);
            tx.bulk_index(gd::root_kind, kind_keys_);
            release(kind_keys_);
            tx.bulk_index(gd::root_name, name_keys_);
            release(name_keys_);
        }

        if (edge_total != 0) {
            auto t = tx.records(gd::root_edges);
            std::string record;
            auto row = [&](std::size_t i) -> std::string_view {
                const std::size_t from = i == 0 ? 0 : props_end_[i - 1];
                record = record_codec::encode_edge({pending_[i].from, pending_[i].to, pending_[i].type,
                                                    std::string(std::string_view(props_blob_).substr(from, props_end_[i] - from))});
                return record;
            };
            if (t.empty()) {
                t.bulk_load(index_range(edge_total, [&](std::size_t i) {
                    return std::pair<std::uint64_t, std::string_view>(first_edge_ + i, row(i));
                }));
            } else {
                for (std::size_t i = 0; i < edge_total; ++i)
                    t.insert(first_edge_ + i, row(i));
            }
            tx.save(gd::root_edges, t);
            load_weights(tx, edge_total);
            release(props_blob_);
            release(props_end_);
            tx.bulk_adjacency(pending_, first_edge_);
        }
        tx.txn_.set_root(gd::root_node_count, tx.node_count() + node_total);
        tx.txn_.set_root(gd::root_edge_count, tx.edge_count() + edge_total);
    }

    write_transaction* tx_;
    node_id first_node_;
    edge_id first_edge_;
    bool finished_ = false;
    std::vector<std::string> node_records_;
    std::vector<std::pair<std::string, std::uint64_t>> kind_keys_, name_keys_; // (index key, id)
    std::vector<pending_edge> pending_;
    std::string props_blob_;              // encoded properties, back to back
    std::vector<std::size_t> props_end_;  // where each edge's end in props_blob_
    std::unordered_map<std::string, std::uint32_t, text_hash, std::equal_to<>> slot_of_;
    std::vector<std::string> type_names_; // by slot
    std::unordered_set<node_id> known_;   // existing nodes named by an edge
};

template <class... Policies>
auto basic_graph_store<Policies...>::write_transaction::bulk_load() -> bulk_loader {
    return bulk_loader(*this);
}

} // namespace sqlitegraph
