// examples/cli/database.hpp — opening a database for the CLI, and the
// external keys the CLI gives nodes (docs/cli.md).
//
// A node's external key (the `id` column of NODES.csv, `from`/`to` of
// EDGES.csv) lives in two B+Trees of the CLI's own in the same database
// file, written in the same transaction as the node:
//   cli.key  key bytes -> node id      (find_key, the bulk key -> id map)
//   cli.kid  node id   -> key bytes    (key_of)
// Invariants (database::check verifies them): the two trees are inverse
// bijections and every id in them is a live node. A node created without a
// key (through the library, not the CLI) has the key "#<id>".
//
// These trees (and persistent vector indexes) own pages beside the graph's,
// so opening a database registers check hooks on the store ("cli.keys" and
// "vectors"): the store's check() then verifies them and counts their pages.
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

inline constexpr const char* key_root = "cli.key";
inline constexpr const char* key_id_root = "cli.kid";

// The key trees seen through one pager transaction (read or write).
template <class Txn> class key_index {
    using by_key_tree = basic_btree<Txn, typename store_type::index_params>;
    using by_id_tree = basic_btree<Txn, typename store_type::record_params>;

  public:
    // Longest key: the key tree's key limit.
    static constexpr std::size_t max_key_bytes = store_type::index_params::max_key_size;

    explicit key_index(Txn& txn) : txn_(&txn) {}

    [[nodiscard]] std::optional<node_id> find(std::string_view key) {
        const page_id root = static_cast<page_id>(txn_->root(key_root));
        if (root == null_page || key.size() > max_key_bytes) return std::nullopt;
        by_key_tree t(*txn_, root);
        if (auto v = t.find(key)) return *v;
        return std::nullopt;
    }

    [[nodiscard]] std::optional<std::string> key_of(node_id id) {
        const page_id root = static_cast<page_id>(txn_->root(key_id_root));
        if (root == null_page) return std::nullopt;
        by_id_tree t(*txn_, root);
        if (auto v = t.find(id)) return std::string(std::move(*v));
        return std::nullopt;
    }

    // Records key <-> id; invalid_argument when the key is taken or too long.
    void insert(std::string_view key, node_id id) {
        check_key(key);
        by_key_tree keys = open_or_create<by_key_tree>(key_root);
        if (!keys.insert(key, id)) fail(errc::invalid_argument, "key '" + std::string(key) + "' already exists");
        save(key_root, keys);
        by_id_tree ids = open_or_create<by_id_tree>(key_id_root);
        if (!ids.insert(id, std::string(key)))
            fail(errc::corruption, "node " + std::to_string(id) + " already has a key in " + key_id_root);
        save(key_id_root, ids);
    }

    // Calls fn(key, id) for every key, in key byte order.
    template <class Fn> void for_each(Fn&& fn) {
        const page_id root = static_cast<page_id>(txn_->root(key_root));
        if (root == null_page) return;
        by_key_tree t(*txn_, root);
        for (auto c = t.begin(); c.valid(); c.next())
            fn(std::string_view(c.key()), static_cast<node_id>(c.value()));
    }
    // Calls fn(id, key) for every key, in id order.
    template <class Fn> void for_each_by_id(Fn&& fn) {
        const page_id root = static_cast<page_id>(txn_->root(key_id_root));
        if (root == null_page) return;
        by_id_tree t(*txn_, root);
        for (auto c = t.begin(); c.valid(); c.next())
            fn(static_cast<node_id>(c.key()), std::string_view(c.value()));
    }

    static void check_key(std::string_view key) {
        if (key.empty()) fail(errc::invalid_argument, "empty key");
        if (key.size() > max_key_bytes)
            fail(errc::too_large, "key '" + std::string(key.substr(0, 40)) + "...' of " + std::to_string(key.size()) +
                                      " bytes exceeds the limit of " + std::to_string(max_key_bytes) + " bytes");
    }

    // Verifies both trees and their agreement with each other and with the
    // node records; adds their pages to `pages`, problems to `problems`.
    template <class Reader>
    void check_into(Reader& reader, std::vector<std::string>& problems, std::vector<page_id>& pages) {
        const page_id kroot = static_cast<page_id>(txn_->root(key_root));
        const page_id iroot = static_cast<page_id>(txn_->root(key_id_root));
        if ((kroot == null_page) != (iroot == null_page)) {
            problems.push_back("only one of the key trees " + std::string(key_root) + " and " + key_id_root + " exists");
            return;
        }
        if (kroot == null_page) return;
        by_key_tree keys(*txn_, kroot);
        by_id_tree ids(*txn_, iroot);
        const auto kr = keys.verify(true);
        const auto ir = ids.verify(true);
        pages.insert(pages.end(), kr.pages.begin(), kr.pages.end());
        pages.insert(pages.end(), ir.pages.begin(), ir.pages.end());
        if (kr.entries != ir.entries)
            problems.push_back("the key trees hold " + std::to_string(kr.entries) + " keys but " +
                               std::to_string(ir.entries) + " ids");
        for (auto c = keys.begin(); c.valid(); c.next()) {
            const std::string key(c.key());
            const node_id id = c.value();
            auto back = ids.find(id);
            if (!back || *back != key)
                problems.push_back("key '" + key + "' maps to node " + std::to_string(id) + " but not back");
            if (!reader.node_exists(id))
                problems.push_back("key '" + key + "' names node " + std::to_string(id) + ", which does not exist");
            if (problems.size() > 64) return;
        }
    }

  private:
    template <class Tree> Tree open_or_create(const char* root) {
        const page_id at = static_cast<page_id>(txn_->root(root));
        if (at != null_page) return Tree(*txn_, at);
        Tree t = Tree::create(*txn_);
        txn_->set_root(root, t.root());
        return t;
    }
    template <class Tree> void save(const char* root, const Tree& t) {
        if (txn_->root(root) != t.root()) txn_->set_root(root, t.root());
    }

    Txn* txn_;
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
    static std::unique_ptr<database> open(const parsed_args& args, bool create) {
        const std::string backend = args.get_or("backend", "native");
        if (backend != "native" && backend != "sqlite")
            throw usage_error("--backend must be native or sqlite, got '" + backend + "'");
        return std::make_unique<database>(args.get("db"), create, backend);
    }

    database(std::string path, bool create, const std::string& backend = "native") : path_(std::move(path)) {
        if (backend == "sqlite")
            fail(errc::unsupported, "cannot use '" + path_ + "': the SQLite backend is not built yet");
        std::error_code ec;
        const bool exists = std::filesystem::exists(path_, ec);
        if (!exists && !create) fail(errc::not_found, "database '" + path_ + "' does not exist");
        if (exists) detect_format();
        store_ = std::make_unique<store_type>(path_);
        store_->set_check_hook("cli.keys", [](typename store_type::read_transaction& r, graph_check_report& report,
                                              std::vector<page_id>& pages) {
            key_index keys(r.txn());
            keys.check_into(r, report.problems, pages);
        });
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
