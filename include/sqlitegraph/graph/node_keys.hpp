// sqlitegraph/graph/node_keys.hpp — external keys of nodes: a user's own
// name for a node (the CLI's `id` column), kept in two B+Trees of the same
// database file and written in the same transaction as the node:
//   cli.key  key bytes -> node id      (find)
//   cli.kid  node id   -> key bytes    (key_of)
// (The root names keep the "cli." prefix of the CLI that introduced them;
// docs/format.md.) Invariants, verified by check_into: the two trees are
// inverse bijections and every id in them is a live node.
//
// The graph store owns them like its other trees: its check() verifies
// them and counts their pages, and erasing a node erases its key
// (basic_graph_store registers both hooks), so a file whose nodes got keys
// from the CLI stays whole when the library changes it.
#pragma once

#include "sqlitegraph/btree/btree.hpp"
#include "sqlitegraph/core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlitegraph {

inline constexpr const char* node_key_root = "cli.key";
inline constexpr const char* node_key_id_root = "cli.kid";
inline constexpr const char* node_key_root_prefix = "cli."; // both roots start with it

// The key trees seen through one pager transaction (read or write). KeyParams
// and IdParams are the store's index_params (bytes -> u64) and
// record_params (u64 -> bytes).
template <class Txn, class KeyParams, class IdParams> class node_key_index {
    using by_key_tree = basic_btree<Txn, KeyParams>;
    using by_id_tree = basic_btree<Txn, IdParams>;

  public:
    // Longest key: the key tree's key limit.
    static constexpr std::size_t max_key_bytes = KeyParams::max_key_size;

    explicit node_key_index(Txn& txn) : txn_(&txn) {}

    [[nodiscard]] std::optional<std::uint64_t> find(std::string_view key) {
        const page_id root = root_of(node_key_root);
        if (root == null_page || key.size() > max_key_bytes) return std::nullopt;
        by_key_tree t(*txn_, root);
        if (auto v = t.find(key)) return *v;
        return std::nullopt;
    }

    [[nodiscard]] std::optional<std::string> key_of(std::uint64_t id) {
        const page_id root = root_of(node_key_id_root);
        if (root == null_page) return std::nullopt;
        by_id_tree t(*txn_, root);
        if (auto v = t.find(id)) return std::string(std::move(*v));
        return std::nullopt;
    }

    // Records key <-> id; invalid_argument when the key is taken, too_large
    // when it is too long.
    void insert(std::string_view key, std::uint64_t id) {
        check_key(key);
        by_key_tree keys = open_or_create<by_key_tree>(node_key_root);
        if (!keys.insert(key, id)) fail(errc::invalid_argument, "key '" + std::string(key) + "' already exists");
        save(node_key_root, keys);
        by_id_tree ids = open_or_create<by_id_tree>(node_key_id_root);
        if (!ids.insert(id, std::string(key)))
            fail(errc::corruption, "node " + std::to_string(id) + " already has a key in " + node_key_id_root);
        save(node_key_id_root, ids);
    }

    // Forgets the key of node id, if it has one (called as the node is erased).
    void erase_id(std::uint64_t id) {
        const page_id iroot = root_of(node_key_id_root);
        if (iroot == null_page) return;
        by_id_tree ids(*txn_, iroot);
        const auto key = ids.find(id);
        if (!key) return;
        const page_id kroot = root_of(node_key_root);
        if (kroot == null_page)
            fail(errc::corruption, "node " + std::to_string(id) + " has a key but " + node_key_root + " is missing");
        by_key_tree keys(*txn_, kroot);
        keys.erase(std::string_view(*key));
        ids.erase(id);
        save(node_key_root, keys);
        save(node_key_id_root, ids);
    }

    // Calls fn(key, id) for every key, in key byte order.
    template <class Fn> void for_each(Fn&& fn) {
        const page_id root = root_of(node_key_root);
        if (root == null_page) return;
        by_key_tree t(*txn_, root);
        for (auto c = t.begin(); c.valid(); c.next())
            fn(std::string_view(c.key()), static_cast<std::uint64_t>(c.value()));
    }
    // Calls fn(id, key) for every key, in id order.
    template <class Fn> void for_each_by_id(Fn&& fn) {
        const page_id root = root_of(node_key_id_root);
        if (root == null_page) return;
        by_id_tree t(*txn_, root);
        for (auto c = t.begin(); c.valid(); c.next())
            fn(static_cast<std::uint64_t>(c.key()), std::string_view(c.value()));
    }

    static void check_key(std::string_view key) {
        if (key.empty()) fail(errc::invalid_argument, "empty key");
        if (key.size() > max_key_bytes)
            fail(errc::too_large, "key '" + std::string(key.substr(0, 40)) + "...' of " + std::to_string(key.size()) +
                                      " bytes exceeds the limit of " + std::to_string(max_key_bytes) + " bytes");
    }

    // Verifies both trees and their agreement with each other and with the
    // node records (node_exists(id) -> bool); adds their pages to `pages`,
    // problems to `problems`.
    template <class NodeExists>
    void check_into(NodeExists&& node_exists, std::vector<std::string>& problems, std::vector<page_id>& pages) {
        const page_id kroot = root_of(node_key_root);
        const page_id iroot = root_of(node_key_id_root);
        if ((kroot == null_page) != (iroot == null_page)) {
            problems.push_back("only one of the key trees " + std::string(node_key_root) + " and " + node_key_id_root +
                               " exists");
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
            const std::uint64_t id = c.value();
            auto back = ids.find(id);
            if (!back || *back != key)
                problems.push_back("key '" + key + "' maps to node " + std::to_string(id) + " but not back");
            if (!node_exists(id))
                problems.push_back("key '" + key + "' names node " + std::to_string(id) + ", which does not exist");
            if (problems.size() > 64) return;
        }
    }

  private:
    page_id root_of(const char* name) const { return static_cast<page_id>(txn_->root(name)); }
    template <class Tree> Tree open_or_create(const char* root) {
        const page_id at = root_of(root);
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

} // namespace sqlitegraph
