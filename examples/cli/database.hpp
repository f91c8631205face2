// examples/cli/database.hpp — opening a database for the CLI, and the
// external keys the CLI gives nodes (docs/cli.md).
//
// A node's external key (the `id` column of NODES.csv, `from`/`to` of
// EDGES.csv) lives in the node key trees of the same database file
// (sqlitegraph/graph/node_keys.hpp: cli.key and cli.kid), written in the
// same transaction as the node. The graph store itself verifies them in
// check() and erases a node's key with the node. A node created without a
// key (through the library, not the CLI) has the key "#<id>".
//
// Persistent vector indexes own pages beside the graph's too, so opening a
// database registers their check hook ("vectors") on the store.
#pragma once

#include "options.hpp"

#include "sqlitegraph/btree/btree.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/graph/vector_index.hpp"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sqlitegraph::cli {

using store_type = graph_store;
using read_tx = store_type::read_transaction;
using write_tx = store_type::write_transaction;

// The key trees (graph/node_keys.hpp) seen through one pager transaction.
template <class Txn> class key_index : public store_type::node_keys<Txn> {
    using base = store_type::node_keys<Txn>;

  public:
    using base::base;
};

template <class Txn> key_index(Txn&) -> key_index<Txn>;

// "#<id>" -> id, for nodes without a key.
inline std::optional<node_id> parse_id_key(std::string_view key) {
    if (key.size() < 2 || key[0] != '#') return std::nullopt;
    node_id id = 0;
    for (std::size_t i = 1; i < key.size(); ++i) {
        if (key[i] < '0' || key[i] > '9' || id > (UINT64_MAX - 9) / 10) return std::nullopt;
        id = id * 10 + static_cast<node_id>(key[i] - '0');
    }
    return id;
}

// Node creation and key lookup inside one write transaction (import, vector
// insert): the one place that keeps node and key in step.
class key_writer {
  public:
    explicit key_writer(write_tx& tx) : tx_(&tx), keys_(tx.txn()) {}

    [[nodiscard]] std::optional<node_id> find(std::string_view key) {
        if (auto id = keys_.find(key)) return id;
        if (auto id = parse_id_key(key); id && tx_->node_exists(*id) && !keys_.key_of(*id)) return id;
        return std::nullopt;
    }
    // Creates a node with this key; invalid_argument when the key exists.
    node_id create(std::string_view key, const node_input& in) {
        using keys_t = key_index<std::remove_reference_t<decltype(std::declval<write_tx&>().txn())>>;
        keys_t::check_key(key);
        if (find(key)) fail(errc::invalid_argument, "key '" + std::string(key) + "' already exists");
        const node_id id = tx_->insert_node(in);
        keys_.insert(key, id);
        return id;
    }
    // Records the key of a node created without one (e.g. by bulk_insert);
    // invalid_argument when the key is taken.
    void attach(std::string_view key, node_id id) {
        using keys_t = key_index<std::remove_reference_t<decltype(std::declval<write_tx&>().txn())>>;
        keys_t::check_key(key);
        keys_.insert(key, id);
    }
    // The node with this key, created with kind "Node" and name = key when missing.
    node_id ensure(std::string_view key) {
        if (auto id = find(key)) return *id;
        return create(key, node_input{"Node", std::string(key), ""});
    }

  private:
    write_tx* tx_;
    key_index<std::remove_reference_t<decltype(std::declval<write_tx&>().txn())>> keys_;
};

// An open database. Opening refuses a file that is not a sqlitegraph
// database (naming it) and the SQLite backend, which is not built yet.
class database {
  public:
    // --db (required) and --backend from a command line.
    static std::unique_ptr<database> open(const parsed_args& args, bool create, store_options options = {}) {
        const std::string backend = args.get_or("backend", "native");
        if (backend != "native" && backend != "sqlite")
            throw usage_error("--backend must be native or sqlite, got '" + backend + "'");
        return std::make_unique<database>(args.get("db"), create, backend, options);
    }

    database(std::string path, bool create, const std::string& backend = "native", store_options options = {})
        : path_(std::move(path)) {
        if (backend == "sqlite")
            fail(errc::unsupported, "cannot use '" + path_ + "': the SQLite backend is not built yet");
        std::error_code ec;
        const bool exists = std::filesystem::exists(path_, ec);
        if (!exists && !create) fail(errc::not_found, "database '" + path_ + "' does not exist");
        if (exists) detect_format();
        store_ = std::make_unique<store_type>(path_, options); // checks the key trees itself
        graph_vectors<store_type>::register_check(*store_);
    }

    [[nodiscard]] store_type& store() noexcept { return *store_; }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] static constexpr const char* backend() noexcept { return "native"; }

    [[nodiscard]] std::optional<node_id> find_key(std::string_view key) {
        auto r = store_->begin_read();
        key_index keys(r.txn());
        if (auto id = keys.find(key)) return id;
        if (auto id = parse_id_key(key); id && r.node_exists(*id) && !keys.key_of(*id)) return id;
        return std::nullopt;
    }
    // The node with this key, or not_found naming the key and the database.
    [[nodiscard]] node_id require_key(std::string_view key) {
        if (auto id = find_key(key)) return *id;
        fail(errc::not_found, "no node with key '" + std::string(key) + "' in '" + path_ + "'");
    }
    // The node's key ("#<id>" when it has none); not_found for a missing node.
    [[nodiscard]] std::string key_of(node_id id) {
        auto r = store_->begin_read();
        if (!r.node_exists(id)) fail(errc::not_found, "node " + std::to_string(id) + " does not exist in '" + path_ + "'");
        key_index keys(r.txn());
        if (auto k = keys.key_of(id)) return std::move(*k);
        return "#" + std::to_string(id);
    }
    // Every key -> node id (nodes without a key are not in it).
    [[nodiscard]] std::unordered_map<std::string, node_id> key_map() {
        std::unordered_map<std::string, node_id> out;
        auto r = store_->begin_read();
        key_index keys(r.txn());
        keys.for_each([&](std::string_view k, node_id id) { out.emplace(std::string(k), id); });
        return out;
    }
    // Every node id -> key, including "#<id>" for nodes without one.
    [[nodiscard]] std::unordered_map<node_id, std::string> id_key_map() {
        std::unordered_map<node_id, std::string> out;
        auto r = store_->begin_read();
        key_index keys(r.txn());
        keys.for_each_by_id([&](node_id id, std::string_view k) { out.emplace(id, std::string(k)); });
        if (out.size() != r.node_count()) {
            r.for_each_node([&](const node& n) {
                if (!out.count(n.id)) out.emplace(n.id, "#" + std::to_string(n.id));
            });
        }
        return out;
    }

    // The full integrity check: the graph store's invariants, the key trees,
    // persistent vector indexes (through the check hooks set on opening),
    // and the page accounting over all of them.
    [[nodiscard]] graph_check_report check() { return store_->check(); }

    [[nodiscard]] graph_stats stats() { return store_->stats(); }

  private:
    void detect_format() {
        std::FILE* f = std::fopen(path_.c_str(), "rb");
        if (!f) fail(errc::io, "cannot open '" + path_ + "' for reading");
        char head[superblock_magic_offset + sizeof superblock_magic] = {};
        const std::size_t n = std::fread(head, 1, sizeof head, f);
        std::fclose(f);
        if (n >= 16 && std::memcmp(head, "SQLite format 3", 16) == 0)
            fail(errc::unsupported, "'" + path_ + "' is an SQLite database; the SQLite backend is not built yet");
        if (n == 0) return; // an empty file: the trace of a crash during creation, created again
        // The magic of format 1 (at byte 16) passes too: opening the store
        // then names the format version it has and the one this build reads.
        auto magic_at = [&](std::size_t offset) {
            return n >= offset + sizeof superblock_magic &&
                   std::memcmp(head + offset, superblock_magic, sizeof superblock_magic) == 0;
        };
        if (!magic_at(superblock_magic_offset) && !magic_at(superblock_v1_magic_offset))
            fail(errc::corruption, "'" + path_ + "' is not a sqlitegraph database (no SQLGRAPH magic at byte " +
                                       std::to_string(superblock_magic_offset) + ")");
    }

    std::string path_;
    std::unique_ptr<store_type> store_;
};

} // namespace sqlitegraph::cli
