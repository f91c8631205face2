// sqlitegraph/graph/vector_index.hpp — named vector indexes inside a graph
// database: the link between basic_graph_store and persistent_hnsw.
//
// Owns: graph_vectors<Store>, its per-transaction sessions (vector_writer,
// vector_reader), the node-erase hook, the hybrid "vector search within a
// k-hop neighbourhood" query and the combined integrity check.
//
//   graph_store store("app.db");
//   graph_vectors vectors(store);            // registers the node-erase hook
//   auto tx = store.begin_write();
//   auto w = vectors.write(tx);              // one session per transaction
//   w.create(params);                        // "docs": dim, metric, M, ...
//   node_id n = tx.insert_node({"Doc", "a"});
//   w.insert("docs", n, vec);                // the key is the node id
//   tx.commit();                             // graph and vectors together
//   auto r = store.begin_read();
//   auto hits = vectors.read(r).search_near("docs", query, 10, n, {2, direction::both});
//
// Why this shape: an index's pages are written through the graph
// transaction's own pager transaction (pager_txn()), so a vector insert
// commits, rolls back and survives a crash exactly with the graph change
// beside it, and readers see both in one snapshot. Indexes are found by the
// superblock roots "vec:<name>" (persistent.hpp), so opening a database
// needs no rebuild. A vector belongs to a node: insert refuses a key that is
// not an existing node, and erase_node removes the node's vectors from every
// index through the store's node-erase hook, inside the same transaction.
//
// Sessions cache the opened index handles of their transaction (opening
// scans the index's blocks once, docs/vector.md). The erase hook uses the
// live session of the transaction when there is one; otherwise it opens
// every index for each erased node, which is correct but slow for bulk
// erases: keep a session open while erasing many nodes.
//
// A graph_vectors must be constructed before the write transactions whose
// node erasures it must see (the store gives a transaction the hooks
// registered before it began). Constructing several for one store is
// harmless (the later hooks find nothing left to remove).
//
// Errors: unknown index errc::not_found, a key that is no node
// errc::not_found, refused vectors errc::invalid_argument (persistent_hnsw's
// messages, naming index and key), all before anything changes. An I/O or
// corruption error part-way through a vector mutation rolls the whole
// transaction back (its later commit() then fails), so half-changed pages
// are never committed.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/graph/graph_types.hpp"
#include "sqlitegraph/vector/hnsw.hpp"
#include "sqlitegraph/vector/params.hpp"
#include "sqlitegraph/vector/persistent.hpp"

namespace sqlitegraph {

// The graph part of a hybrid query: nodes 1..hops hops from the start node
// along edges of direction dir and (when non-empty) the given types; the
// start node itself only when include_start.
struct vector_neighbourhood {
    std::uint32_t hops = 1;
    direction dir = direction::out;
    type_filter types{};
    bool include_start = false;
};

// What stats() reports for one index.
struct vector_index_stats {
    std::string name;
    std::size_t dim = 0;
    vector::metric metric = vector::metric::l2;
    std::size_t m = 0;
    std::size_t ef_construction = 0;
    std::size_t vectors = 0;    // live
    std::size_t tombstones = 0; // deleted, still routing (docs/vector.md, Deletes)
    std::size_t pages = 0;      // pages the index owns
};

namespace vector_detail {

// The names of the vector indexes in a transaction's superblock, sorted.
template <class PagerTxn> std::vector<std::string> index_names(const PagerTxn& txn) {
    std::vector<std::string> out;
    for (const auto& [root, value] : txn.meta().roots) {
        if (value != 0 && root.size() > vector::vector_root_prefix.size() &&
            std::string_view(root).substr(0, vector::vector_root_prefix.size()) == vector::vector_root_prefix)
            out.push_back(root.substr(vector::vector_root_prefix.size()));
    }
    return out;
}

// A cache of opened index handles for one pager transaction.
template <class PagerTxn> class handle_cache {
  public:
    using index_type = vector::persistent_hnsw<PagerTxn>;

    explicit handle_cache(PagerTxn& txn) : txn_(&txn) {}

    index_type& get(std::string_view name) {
        auto it = open_.find(name);
        if (it == open_.end()) {
            auto handle = std::make_unique<index_type>(index_type::open(*txn_, name));
            it = open_.emplace(std::string(name), std::move(handle)).first;
        }
        return *it->second;
    }
    index_type& add(index_type&& created) {
        auto name = created.params().name;
        auto handle = std::make_unique<index_type>(std::move(created));
        return *open_.insert_or_assign(std::move(name), std::move(handle)).first->second;
    }
    bool exists(std::string_view name) const { return open_.count(std::string(name)) || index_type::exists(*txn_, name); }
    PagerTxn& txn() const noexcept { return *txn_; }

  private:
    PagerTxn* txn_;
    std::map<std::string, std::unique_ptr<index_type>, std::less<>> open_;
};

template <class GraphTxn, class Index>
std::vector<vector::search_hit> search_near(GraphTxn& tx, const Index& index, std::span<const float> query,
                                            std::size_t k, node_id start, const vector_neighbourhood& hood,
                                            std::size_t ef) {
    std::vector<node_id> nodes = tx.k_hop(start, hood.hops, hood.dir, hood.types); // not_found: no start node
    if (hood.include_start) nodes.insert(std::upper_bound(nodes.begin(), nodes.end(), start), start);
    return index.search_among(query, k, std::span<const std::uint64_t>(nodes.data(), nodes.size()), ef);
}

template <class Index> vector_index_stats stats_of(const Index& index) {
    const auto& p = index.params();
    return {p.name, p.dim, p.metric, p.m, p.ef_construction, index.size(), index.tombstones(), index.pages().size()};
}

} // namespace vector_detail

template <class Store> class graph_vectors {
  public:
    using write_transaction = typename Store::write_transaction;
    using read_transaction = typename Store::read_transaction;
    using write_txn = typename Store::pager_type::write_txn;
    using read_txn = typename Store::pager_type::read_txn;
    using write_index = vector::persistent_hnsw<write_txn>;
    using read_index = vector::persistent_hnsw<read_txn>;

  private:
    class writer_base;
    // The live write sessions by transaction, shared with the erase hook so
    // that neither outlives the other's data.
    struct registry {
        std::mutex mutex;
        std::unordered_map<const write_transaction*, writer_base*> sessions;

        writer_base* find(const write_transaction* tx) {
            std::lock_guard lock(mutex);
            auto it = sessions.find(tx);
            return it == sessions.end() ? nullptr : it->second;
        }
    };

  public:
    class vector_writer;
    class vector_reader;

    explicit graph_vectors(Store& store) : store_(&store), registry_(std::make_shared<registry>()) {
        register_check(store);
        store.add_node_erase_hook(
            [reg = registry_](write_transaction& tx, node_id id) {
                if (writer_base* session = reg->find(&tx)) {
                    session->erase_node_vectors(id);
                } else {
                    writer_base temporary(nullptr, tx);
                    temporary.erase_node_vectors(id);
                }
            },
            std::string(vector::vector_root_prefix));
    }

    // A session over one write transaction (at most one per transaction).
    vector_writer write(write_transaction& tx) { return vector_writer(registry_, tx); }
    // A session over one read transaction's snapshot.
    vector_reader read(read_transaction& tx) { return vector_reader(tx); }

    // The store's check(), which runs check_indexes() through the check hook
    // registered by the constructor.
    graph_check_report check() { return store_->check(); }

    // Registers check_indexes() as the store's "vectors" check hook. Every
    // owner of the database may call it; the hook runs once per check().
    static void register_check(Store& store) {
        store.set_check_hook("vectors", &check_indexes, std::string(vector::vector_root_prefix));
    }

    // Every vector index verifies, every key is an existing node, and the
    // index pages count as owned in the page accounting (without them the
    // store's check() would report them leaked).
    static void check_indexes(read_transaction& r, graph_check_report& report, std::vector<page_id>& pages) {
        for (const auto& name : vector_detail::index_names(r.pager_txn())) {
            try {
                auto index = read_index::open(r.pager_txn(), name);
                index.verify();
                const auto owned = index.pages();
                pages.insert(pages.end(), owned.begin(), owned.end());
                std::size_t orphans = 0;
                index.index().for_each_key([&](std::uint64_t key) {
                    if (!r.node_exists(key) && orphans++ < 8)
                        report.problems.push_back("vector index '" + name + "' holds a vector for node " +
                                                  std::to_string(key) + ", which does not exist");
                });
            } catch (const error& e) {
                report.problems.emplace_back(e.what());
            }
        }
    }

  private:
    // Write-session state, also used on its own by the erase hook.
    class writer_base {
      public:
        writer_base(std::shared_ptr<registry> reg, write_transaction& tx)
            : registry_(std::move(reg)), tx_(&tx), cache_(tx.pager_txn()) {}
        writer_base(const writer_base&) = delete;
        writer_base& operator=(const writer_base&) = delete;

        // Removes the node's vector from every index that holds one; returns
        // how many were removed.
        std::size_t erase_node_vectors(node_id id) {
            std::size_t removed = 0;
            for (const auto& name : vector_detail::index_names(cache_.txn())) {
                auto& index = cache_.get(name);
                if (!index.contains(id)) continue;
                guarded(index, [&] { index.remove(id); });
                ++removed;
            }
            return removed;
        }

      protected:
        template <class Fn> void guarded(const write_index& index, Fn&& fn) {
            try {
                fn();
            } catch (...) {
                if (index.failed()) tx_->rollback();
                throw;
            }
        }

        std::shared_ptr<registry> registry_;
        write_transaction* tx_;
        vector_detail::handle_cache<write_txn> cache_;
    };

  public:
    class vector_writer : private writer_base {
      public:
        vector_writer(std::shared_ptr<registry> reg, write_transaction& tx) : writer_base(std::move(reg), tx) {
            std::lock_guard lock(this->registry_->mutex);
            if (!this->registry_->sessions.emplace(&tx, static_cast<writer_base*>(this)).second)
                fail(errc::invalid_argument, "this write transaction already has a vector session");
        }
        ~vector_writer() {
            std::lock_guard lock(this->registry_->mutex);
            this->registry_->sessions.erase(this->tx_);
        }

        // Creates an empty index (invalid_argument: name taken, bad params).
        write_index& create(vector::hnsw_params params) {
            return this->cache_.add(write_index::create(this->cache_.txn(), std::move(params)));
        }
        bool exists(std::string_view name) const { return this->cache_.exists(name); }
        std::vector<std::string> names() const { return vector_detail::index_names(this->cache_.txn()); }
        // The open handle (not_found when there is no such index).
        write_index& index(std::string_view name) { return this->cache_.get(name); }

        // The node's vector; not_found when the node does not exist.
        void insert(std::string_view name, node_id node, std::span<const float> values) {
            auto& idx = index(name);
            require_node(idx, node);
            this->guarded(idx, [&] { idx.insert(node, values); });
        }
        // All rows (dim floats each) or none; every node must exist.
        void insert_batch(std::string_view name, std::span<const node_id> nodes, std::span<const float> rows) {
            auto& idx = index(name);
            for (const node_id n : nodes)
                require_node(idx, n);
            this->guarded(idx, [&] { idx.insert_batch(nodes, rows); });
        }
        // Removes the node's vector from one index (not_found when absent).
        void remove(std::string_view name, node_id node) {
            auto& idx = index(name);
            this->guarded(idx, [&] { idx.remove(node); });
        }
        using writer_base::erase_node_vectors;

        // Queries see this transaction's own changes.
        std::vector<vector::search_hit> search(std::string_view name, std::span<const float> query, std::size_t k,
                                               std::size_t ef = 0) {
            return index(name).search(query, k, ef);
        }
        std::vector<vector::search_hit> search_near(std::string_view name, std::span<const float> query, std::size_t k,
                                                    node_id start, const vector_neighbourhood& hood,
                                                    std::size_t ef = 0) {
            return vector_detail::search_near(*this->tx_, index(name), query, k, start, hood, ef);
        }
        vector_index_stats stats(std::string_view name) { return vector_detail::stats_of(index(name)); }

      private:
        void require_node(const write_index& idx, node_id node) {
            if (!this->tx_->node_exists(node))
                fail(errc::not_found, "vector index '" + idx.params().name + "': node " + std::to_string(node) +
                                          " does not exist");
        }
    };

    class vector_reader {
      public:
        explicit vector_reader(read_transaction& tx) : tx_(&tx), cache_(tx.pager_txn()) {}

        bool exists(std::string_view name) const { return cache_.exists(name); }
        std::vector<std::string> names() const { return vector_detail::index_names(cache_.txn()); }
        read_index& index(std::string_view name) { return cache_.get(name); }

        std::vector<vector::search_hit> search(std::string_view name, std::span<const float> query, std::size_t k,
                                               std::size_t ef = 0) {
            return index(name).search(query, k, ef);
        }
        // Nearest vectors among the neighbourhood's nodes (exact when the
        // neighbourhood is small, docs/vector.md "Filtered and hybrid search").
        std::vector<vector::search_hit> search_near(std::string_view name, std::span<const float> query, std::size_t k,
                                                    node_id start, const vector_neighbourhood& hood,
                                                    std::size_t ef = 0) {
            return vector_detail::search_near(*tx_, index(name), query, k, start, hood, ef);
        }
        vector_index_stats stats(std::string_view name) { return vector_detail::stats_of(index(name)); }

      private:
        read_transaction* tx_;
        vector_detail::handle_cache<read_txn> cache_;
    };

  private:
    Store* store_;
    std::shared_ptr<registry> registry_;
};

} // namespace sqlitegraph
