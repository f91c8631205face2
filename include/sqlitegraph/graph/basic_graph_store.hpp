// sqlitegraph/graph/basic_graph_store.hpp — the native backend: an embedded
// property graph over the pager and B+Trees (docs/graph_store.md).
//
// basic_graph_store<Policies...> takes storage policies in any order (see
// store_policies.hpp for the categories and defaults, including the record
// codec and the node page codec). One database file holds seven B+Trees and
// the node pages, each tree with a named root in the superblock, and the
// graph's counters as further roots (docs/graph_store.md, docs/format.md):
//
//   g.nodes  u64 base id -> u64 node page id: a sparse index over NodePages
//            that hold the node records sorted by id (graph/node_pages.hpp)
//   g.edges  u64 edge id -> edge record (record codec)
//   g.eweight u64 edge id -> u64 weight bits, for each edge whose `weight`
//            property is not 1 (the weight column, graph/edge_weights.hpp)
//   g.adj    first entry (node, dir, type id, neighbour, edge) -> packed
//            chunk of the following entries (codec/adjacency.hpp); every
//            edge appears once under its source (dir 0, out) and once under
//            its target (dir 1, in), so a node's neighbours are one range
//            of chunks, sorted by (type, neighbour, edge)
//   g.kind   kind  "\0" be64(id) -> id      (kind index)
//   g.name   name  "\0" be64(id) -> id      (name index: exact, prefix, glob)
//   g.tname  type name -> type id           (edge type dictionary)
//   g.tid    type id -> type name
//   g.format, g.codec, g.page_codec, g.next_node, g.next_edge, g.next_type,
//   g.node_count, g.edge_count: u64 values
//
// Invariants (check() verifies every one):
//  1. every edge's endpoints exist; each edge has exactly its two adjacency
//     entries and every adjacency entry names an existing edge that agrees;
//     chunks decode, stay within chunk_limit and do not overlap;
//  2. the kind and name indexes hold exactly one entry per node, matching
//     its record;
//  3. the type dictionary is a bijection and every edge's type is in it;
//  4. the counters equal the trees' sizes and exceed every id assigned;
//  5. the weight column holds exactly the edges whose weight is not 1, each
//     with its record's weight;
//  6. every page of the file is owned by exactly one tree, node page or
//     overflow chain, or is free.
// Layers above the graph keep structures beside it in the same file, under
// superblock roots of their own; those that keep data per node (vector
// indexes, roots "vec:<name>"; node keys, roots "cli.") are listed in
// graph_detail::per_node_layers.
// Such a layer registers its erase hook and its check hook with its root
// prefix. erase_node refuses (errc::unsupported, nothing changed) while the
// file has a root of a per-node layer that no erase hook of the transaction
// keeps, so a program that did not register the layer never orphans a
// node's data in it; check() names such a root when no check hook keeps it,
// instead of only reporting its pages as leaked.
// Every write validates its input (JSON, sizes, ids, NUL bytes) before it
// writes a page, so a refused call leaves the transaction unchanged. An
// error after the first page write (I/O, corruption) poisons the write
// transaction: commit() then rolls back and throws errc::failed_state.
#pragma once

#include "sqlitegraph/btree/btree.hpp"
#include "sqlitegraph/btree/params.hpp"
#include "sqlitegraph/codec/adjacency.hpp"
#include "sqlitegraph/codec/node_page.hpp"
#include "sqlitegraph/codec/properties.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/graph/cached_adjacency.hpp"
#include "sqlitegraph/graph/edge_weights.hpp"
#include "sqlitegraph/graph/entry_fingerprint.hpp"
#include "sqlitegraph/graph/graph_types.hpp"
#include "sqlitegraph/graph/index_range.hpp"
#include "sqlitegraph/graph/node_cache.hpp"
#include "sqlitegraph/graph/node_keys.hpp"
#include "sqlitegraph/graph/node_pages.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/graph/visited_nodes.hpp"
#include "sqlitegraph/pager/pager.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace sqlitegraph {

namespace graph_detail {

inline constexpr std::uint64_t format_version = 3;
// The format before the weight column: the same trees but g.eweight.
inline constexpr std::uint64_t format_without_weight_column = 2;

inline constexpr const char* root_nodes = "g.nodes";
inline constexpr const char* root_edges = "g.edges";
inline constexpr const char* root_eweight = "g.eweight";
inline constexpr const char* root_adj = "g.adj";
inline constexpr const char* root_kind = "g.kind";
inline constexpr const char* root_name = "g.name";
inline constexpr const char* root_tname = "g.tname";
inline constexpr const char* root_tid = "g.tid";
inline constexpr const char* root_format = "g.format";
inline constexpr const char* root_codec = "g.codec";
inline constexpr const char* root_page_codec = "g.page_codec";
inline constexpr const char* root_next_node = "g.next_node";
inline constexpr const char* root_next_edge = "g.next_edge";
inline constexpr const char* root_next_type = "g.next_type";
inline constexpr const char* root_node_count = "g.node_count";
inline constexpr const char* root_edge_count = "g.edge_count";

// The layers above the graph that keep data per node (see the header
// comment): their root prefix, and what a program must do to register them.
struct per_node_layer {
    std::string_view root_prefix;
    std::string_view how_to_register;
};
inline constexpr std::array<per_node_layer, 2> per_node_layers{{
    {"vec:", "construct graph_vectors (graph/vector_index.hpp) on the store first"},
    // Node keys (graph/node_keys.hpp): the store registers their hooks
    // itself, so only a write_transaction made straight from the pager
    // lacks them.
    {"cli.", "begin the transaction with the store's begin_write(), which keeps node keys"},
}};

// The first root of `roots` (name, value pairs; value 0 is an unset root)
// of a per-node layer that none of the `kept` prefixes covers, with how to
// register its layer, or nullopt.
template <class Roots>
std::optional<std::pair<std::string, std::string_view>> unkept_layer_root(const Roots& roots,
                                                                          const std::vector<std::string>& kept) {
    for (const auto& [name, value] : roots) {
        const std::string_view n(name);
        if (value == 0) continue;
        for (const auto& layer : per_node_layers) {
            if (!n.starts_with(layer.root_prefix)) continue;
            // An empty prefix is a hook that keeps no roots of its own.
            if (std::none_of(kept.begin(), kept.end(), [&](const std::string& p) { return !p.empty() && n.starts_with(p); }))
                return std::pair{std::string(name), layer.how_to_register};
        }
    }
    return std::nullopt;
}

// (node, direction, type id, neighbour, edge id): the first entry of an
// adjacency chunk (codec/adjacency.hpp), the chunk's key in g.adj.
using adj_key = std::tuple<std::uint64_t, std::uint8_t, std::uint32_t, std::uint64_t, std::uint64_t>;
using adj_codec = tuple_codec<std::uint64_t, std::uint8_t, std::uint32_t, std::uint64_t, std::uint64_t>;

inline std::string index_key(std::string_view text, std::uint64_t id) {
    std::string key;
    key.reserve(text.size() + 9);
    key += text;
    key.push_back('\0');
    for (int shift = 56; shift >= 0; shift -= 8)
        key.push_back(static_cast<char>((id >> shift) & 0xFF));
    return key;
}

// Splits an index key into (text, id); false when malformed.
inline bool parse_index_key(std::string_view key, std::string_view& text, std::uint64_t& id) {
    if (key.size() < 9 || key[key.size() - 9] != '\0') return false;
    text = key.substr(0, key.size() - 9);
    id = 0;
    for (std::size_t i = key.size() - 8; i < key.size(); ++i)
        id = (id << 8) | static_cast<std::uint8_t>(key[i]);
    return true;
}

// '*' matches any run of bytes, '?' any one byte; everything else itself.
inline bool glob_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

} // namespace graph_detail

template <class... Policies> class basic_graph_store {
  public:
    using policies = store_policies<Policies...>;
    using page_size_type = typename policies::page_size_type;
    using cache = typename policies::cache;
    using checksum = typename policies::checksum;
    using codec = typename policies::codec;
    using file_system = typename policies::file_system;
    using record_codec = typename policies::record_codec;
    using page_codec = typename policies::page_codec;
    using pager_type = pager<policies>;

    static constexpr std::size_t page_bytes = policies::page_bytes;

    using record_params = btree_params<u64_codec, bytes_codec, page_bytes>;
    using node_index_params = btree_params<u64_codec, u64_codec, page_bytes>;
    using adj_params = btree_params<graph_detail::adj_codec, bytes_codec, page_bytes>;
    using index_params = btree_params<bytes_codec, u64_codec, page_bytes>;
    using weight_params = edge_weights::column_params<page_bytes>;

    // Largest adjacency chunk value: half of what fits in a leaf cell beside
    // its key, so a chunk never spills to overflow pages and a leaf holds
    // several. A chunk that grows past it splits in two.
    static constexpr std::size_t chunk_limit = (adj_params::max_cell_size - graph_detail::adj_codec::size - 3) / 2;
    // How full a bulk load packs the adjacency tree's leaves (and internal
    // pages). Every later edge grows a chunk in two random leaves, so with
    // full leaves half of the one-edge commits after a scale-20 load split
    // one or two (6-16 pages logged instead of 4); a tenth left free, as
    // PostgreSQL's B-tree builds leave by default, absorbs a few dozen
    // edges per leaf first (docs/graph_store.md).
    static constexpr double adjacency_fill = 0.9;
    static_assert(chunk_limit >= 96, "sqlitegraph: page too small for adjacency chunks");

    // Longest kind, name or edge type (index keys add 9 bytes).
    static constexpr std::size_t max_text_bytes = index_params::max_key_size - 9;

  private:
    template <class Txn> class basic_reader;

  public:
    class read_transaction;
    class write_transaction;

    // Called by write_transaction::erase_node(tx, id) after the node is found
    // and before anything of it is erased (its record, edges and index
    // entries are still readable), inside the same transaction. A hook that
    // throws poisons the transaction like any failed write.
    using node_erase_hook = std::function<void(write_transaction&, node_id)>;
    // The erase hooks a write transaction runs, and the root prefixes they
    // maintain (see the header comment).
    struct erase_hook_set {
        std::vector<node_erase_hook> hooks;
        std::vector<std::string> maintains;
    };

    explicit basic_graph_store(std::string path, store_options options = {}, file_system fs = {})
        : pager_(std::make_unique<pager_type>(std::move(path), options.pager, std::move(fs))) {
        open_or_create(options.upgrade_format);
        const auto state = pager_->stats().change_counter;
        node_cache_ = std::make_unique<node_cache>(options.pager.cache_pages * page_bytes / 4, state);
        adj_cache_ = std::make_unique<node_cache>(options.pager.cache_pages * page_bytes / 4, state);
        register_node_key_hooks();
    }

    // External node keys (graph/node_keys.hpp) through one pager transaction.
    template <class PagerTxn> using node_keys = node_key_index<PagerTxn, index_params, record_params>;

    read_transaction begin_read() {
        return read_transaction(pager_->begin_read(), node_cache_.get(), adj_cache_.get());
    }
    write_transaction begin_write() {
        std::shared_ptr<const erase_hook_set> hooks;
        {
            std::lock_guard lock(hooks_->mutex);
            hooks = hooks_->erase;
        }
        return write_transaction(pager_->begin_write(), std::move(hooks), node_cache_.get(), adj_cache_.get(),
                                 pager_.get());
    }

    // The node record cache above the page cache (graph/node_cache.hpp):
    // bounded (by default a quarter of the page cache's bytes), used by read
    // transactions whose snapshot is the latest commit.
    [[nodiscard]] node_cache_stats node_cache_statistics() const { return node_cache_->stats(); }
    void set_node_cache_capacity(std::size_t bytes) { node_cache_->set_capacity(bytes); }
    // The adjacency cache: the packed chunks of one (node, direction) per
    // entry, the same structure and protocol keyed by node * 2 + direction.
    [[nodiscard]] node_cache_stats adjacency_cache_statistics() const { return adj_cache_->stats(); }
    void set_adjacency_cache_capacity(std::size_t bytes) { adj_cache_->set_capacity(bytes); }

    // Called by check() inside its read transaction, after the graph's own
    // checks: a layer that keeps structures beside the graph in the same file
    // (vector indexes, the CLI's key trees) verifies them, reports problems
    // and appends the pages it owns, so that the page accounting sees every
    // page of the file. Errors it throws are reported as problems.
    using check_hook = std::function<void(read_transaction&, graph_check_report&, std::vector<page_id>&)>;

    // Sets the check hook called `name`, which verifies the structures under
    // the superblock roots starting with `root_prefix`; setting a name again
    // replaces its hook, so a layer registered by several owners is checked
    // once.
    void set_check_hook(std::string name, check_hook hook, std::string root_prefix) {
        std::lock_guard lock(hooks_->mutex);
        hooks_->checks.insert_or_assign(std::move(name), std::pair{std::move(hook), std::move(root_prefix)});
    }

    // Registers a hook run by every later erase_node (see node_erase_hook),
    // in registration order. Layers that keep per-node data beside the graph
    // under the roots starting with `root_prefix` (vectors) delete it here,
    // so it never outlives its node. A write transaction sees the hooks
    // registered before it began.
    void add_node_erase_hook(node_erase_hook hook, std::string root_prefix) {
        std::lock_guard lock(hooks_->mutex);
        auto next = std::make_shared<erase_hook_set>(*hooks_->erase);
        next->hooks.push_back(std::move(hook));
        next->maintains.push_back(std::move(root_prefix));
        hooks_->erase = std::move(next);
    }

    // ---- auto-commit shortcuts (one-statement transactions) -----------------

    node_id insert_node(const node_input& in) {
        return auto_commit([&](write_transaction& tx) { return tx.insert_node(in); });
    }
    edge_id insert_edge(const edge_input& in) {
        return auto_commit([&](write_transaction& tx) { return tx.insert_edge(in); });
    }
    void update_node(node_id id, const node_update& u) {
        auto_commit([&](write_transaction& tx) {
            tx.update_node(id, u);
            return 0;
        });
    }
    void update_edge(edge_id id, const edge_update& u) {
        auto_commit([&](write_transaction& tx) {
            tx.update_edge(id, u);
            return 0;
        });
    }
    void erase_node(node_id id) {
        auto_commit([&](write_transaction& tx) {
            tx.erase_node(id);
            return 0;
        });
    }
    void erase_edge(edge_id id) {
        auto_commit([&](write_transaction& tx) {
            tx.erase_edge(id);
            return 0;
        });
    }
    std::optional<node> get_node(node_id id) { return begin_read().get_node(id); }
    std::optional<edge> get_edge(edge_id id) { return begin_read().get_edge(id); }
    bool node_exists(node_id id) { return begin_read().node_exists(id); }
    bool edge_exists(edge_id id) { return begin_read().edge_exists(id); }
    std::uint64_t node_count() { return begin_read().node_count(); }
    std::uint64_t edge_count() { return begin_read().edge_count(); }
    std::vector<neighbor> neighbors(node_id id, direction dir = direction::both, const type_filter& types = {}) {
        return begin_read().neighbors(id, dir, types);
    }

    // ---- maintenance ---------------------------------------------------------

    // Verifies every tree, the graph invariants (header comment) and the
    // page accounting. Problems are reported, not thrown.
    graph_check_report check() {
        graph_check_report report;
        std::vector<page_id> pages;
        std::vector<check_hook> hooks;
        std::vector<std::string> checked;
        {
            std::lock_guard lock(hooks_->mutex);
            for (const auto& entry : hooks_->checks) {
                hooks.push_back(entry.second.first);
                checked.push_back(entry.second.second);
            }
        }
        {
            auto r = begin_read();
            try {
                r.check_into(report, pages);
            } catch (const error& e) {
                report.problems.emplace_back(e.what());
            }
            if (auto root = graph_detail::unkept_layer_root(r.pager_txn().meta().roots, checked))
                report.problems.push_back("root '" + root->first + "' belongs to a layer with no check hook on this store (" +
                                          std::string(root->second) +
                                          "): its pages were not verified and count as leaked below");
            for (const auto& hook : hooks) {
                try {
                    hook(r, report, pages);
                } catch (const error& e) {
                    report.problems.emplace_back(e.what());
                }
            }
        }
        const auto pr = pager_->check(pages, true);
        report.pages = pr.page_count;
        report.free_pages = pr.free_pages;
        report.problems.insert(report.problems.end(), pr.problems.begin(), pr.problems.end());
        return report;
    }

    graph_stats stats() {
        graph_stats s;
        {
            auto r = begin_read();
            s.nodes = r.node_count();
            s.edges = r.edge_count();
        }
        const auto ps = pager_->stats();
        s.pages = ps.page_count;
        s.free_pages = ps.free_pages;
        s.file_bytes = static_cast<std::uint64_t>(ps.page_count) * page_bytes;
        return s;
    }

    void checkpoint() { pager_->checkpoint(); }
    void close() { pager_->close(); }
    pager_type& pager_handle() noexcept { return *pager_; }

    // The graph format the file had when this open converted it
    // (store_options::upgrade_format), or 0 when it was already current.
    [[nodiscard]] std::uint64_t upgraded_from_format() const noexcept { return upgraded_from_; }

  private:
    template <class Fn> auto auto_commit(Fn&& fn) {
        auto tx = begin_write();
        auto result = fn(tx);
        tx.commit();
        return result;
    }

    void open_or_create(bool upgrade_format) {
        namespace gd = graph_detail;
        std::uint64_t format;
        std::uint64_t codec_id;
        std::uint64_t page_codec_id;
        {
            auto r = pager_->begin_read();
            format = r.root(gd::root_format);
            codec_id = r.root(gd::root_codec);
            page_codec_id = r.root(gd::root_page_codec);
        }
        if (format == 0) {
            auto w = pager_->begin_write();
            using wtxn = typename pager_type::write_txn;
            w.set_root(gd::root_nodes, basic_btree<wtxn, node_index_params>::create(w).root());
            w.set_root(gd::root_edges, basic_btree<wtxn, record_params>::create(w).root());
            w.set_root(gd::root_eweight, basic_btree<wtxn, weight_params>::create(w).root());
            w.set_root(gd::root_adj, basic_btree<wtxn, adj_params>::create(w).root());
            w.set_root(gd::root_kind, basic_btree<wtxn, index_params>::create(w).root());
            w.set_root(gd::root_name, basic_btree<wtxn, index_params>::create(w).root());
            w.set_root(gd::root_tname, basic_btree<wtxn, index_params>::create(w).root());
            w.set_root(gd::root_tid, basic_btree<wtxn, record_params>::create(w).root());
            w.set_root(gd::root_next_node, 1);
            w.set_root(gd::root_next_edge, 1);
            w.set_root(gd::root_next_type, 1);
            w.set_root(gd::root_node_count, 0);
            w.set_root(gd::root_edge_count, 0);
            w.set_root(gd::root_codec, record_codec::id);
            w.set_root(gd::root_page_codec, page_codec::id);
            w.set_root(gd::root_format, gd::format_version);
            w.commit();
            return;
        }
        if (format != gd::format_version && !(format == gd::format_without_weight_column && upgrade_format)) {
            std::string how;
            if (format == gd::format_without_weight_column)
                how = "; open it with store_options::upgrade_format (CLI: sqlitegraph upgrade --db PATH) to convert it "
                      "in place";
            fail(errc::format_mismatch, "database '" + pager_->path() + "' has graph format " + std::to_string(format) +
                                            ", this build reads format " + std::to_string(gd::format_version) + how);
        }
        if (codec_id != record_codec::id) {
            fail(errc::format_mismatch, "database '" + pager_->path() + "' was written with record codec id " +
                                            std::to_string(codec_id) + ", opened with record codec '" +
                                            std::string(record_codec::name) + "' (id " +
                                            std::to_string(record_codec::id) + ")");
        }
        if (page_codec_id != page_codec::id) {
            fail(errc::format_mismatch, "database '" + pager_->path() + "' was written with node page codec id " +
                                            std::to_string(page_codec_id) + ", opened with node page codec '" +
                                            std::string(page_codec::name) + "' (id " + std::to_string(page_codec::id) +
                                            ")");
        }
        if (format == gd::format_without_weight_column) add_weight_column();
    }

    // Graph format 2 -> 3, in one write transaction: the weight column
    // bulk-loaded from the edge records' weight properties (two passes over
    // the records, edge_weights::bulk_load_column), then the format root. A
    // crash before the commit leaves format 2.
    void add_weight_column() {
        namespace gd = graph_detail;
        using wtxn = typename pager_type::write_txn;
        auto w = pager_->begin_write();
        basic_btree<wtxn, record_params> edges(w, w.root(gd::root_edges));
        auto column = basic_btree<wtxn, weight_params>::create(w);
        edge_weights::bulk_load_column(column, [&] {
            return [c = edges.begin(), started = false]() mutable -> std::optional<std::pair<edge_id, std::string_view>> {
                if (started) c.next();
                started = true;
                if (!c.valid()) return std::nullopt;
                return std::pair<edge_id, std::string_view>(c.key(), record_codec::edge_properties(c.value()));
            };
        });
        w.set_root(gd::root_eweight, column.root());
        w.set_root(gd::root_format, gd::format_version);
        w.commit();
        upgraded_from_ = gd::format_without_weight_column;
    }

    std::unique_ptr<pager_type> pager_;
    std::uint64_t upgraded_from_ = 0; // the graph format this open converted, or 0
    // Behind a pointer so that the store stays movable.
    struct hook_registry {
        std::mutex mutex;
        std::shared_ptr<const erase_hook_set> erase = std::make_shared<const erase_hook_set>();
        std::map<std::string, std::pair<check_hook, std::string>, std::less<>> checks; // name: hook, root prefix
    };
    std::unique_ptr<hook_registry> hooks_ = std::make_unique<hook_registry>();

    // The key trees are part of the file whoever wrote them: check() verifies
    // them and counts their pages, and a node's key goes with the node.
    void register_node_key_hooks() {
        set_check_hook(
            "node.keys",
            [](read_transaction& r, graph_check_report& report, std::vector<page_id>& pages) {
                node_keys<typename pager_type::read_txn>(r.pager_txn())
                    .check_into([&](std::uint64_t id) { return r.node_exists(id); }, report.problems, pages);
            },
            node_key_root_prefix);
        add_node_erase_hook(
            [](write_transaction& tx, node_id id) { node_keys<typename pager_type::write_txn>(tx.pager_txn()).erase_id(id); },
            node_key_root_prefix);
    }
    std::unique_ptr<node_cache> node_cache_;
    std::unique_ptr<node_cache> adj_cache_;
};

// ---- reads: shared by read and write transactions ------------------------------

template <class... Policies> template <class Txn> class basic_graph_store<Policies...>::basic_reader {
  protected:
    using record_tree = basic_btree<Txn, record_params>;
    using weight_tree = basic_btree<Txn, weight_params>;
    using node_store_type = node_pages<Txn, page_codec, page_bytes>;
    using adj_tree = basic_btree<Txn, adj_params>;
    using index_tree = basic_btree<Txn, index_params>;
    using adj_key = graph_detail::adj_key;

    // A resolved type filter: every type, or these ids (possibly none).
    struct resolved_types {
        bool all = true;
        std::vector<std::uint32_t> ids;
    };

  public:
    explicit basic_reader(Txn txn, node_cache* cache = nullptr, node_cache* adj_cache = nullptr)
        : txn_(std::move(txn)), cache_(cache), adj_cache_(adj_cache) {}
    // The trees kept by a snapshot reader refer to txn_: a moved-to reader
    // opens its own.
    basic_reader(basic_reader&& other) noexcept
        : txn_(std::move(other.txn_)), type_names_(std::move(other.type_names_)), cache_(other.cache_),
          adj_cache_(other.adj_cache_) {}

    // ---- records ---------------------------------------------------------------

    std::optional<node> get_node(node_id id) {
        std::optional<node> out(std::in_place);
        if (!read_node(id, *out)) out.reset();
        return out;
    }

    // get_node into the caller's node, reusing the storage of its strings
    // (as LevelDB's Get fills a caller's string): the form for reading many
    // nodes in a loop without an allocation per node. Returns false, and
    // leaves `out` as it was, when there is no such node. A snapshot reader
    // goes through the node cache when it has one, and fills it on a miss.
    bool read_node(node_id id, node& out) {
        std::optional<std::string> v;
        if constexpr (snapshot_reader) {
            if (!cache_) {
                v = node_reader().find(id);
            } else {
                const std::uint64_t state = txn_.meta().change_counter;
                if (cache_->find(id, state, [&](std::string_view rec) { assign_node(id, rec, out); })) return true;
                v = node_reader().find(id);
                if (v) cache_->insert(id, *v, state);
            }
        } else {
            v = node_store().find(id);
        }
        if (!v) return false;
        assign_node(id, *v, out);
        return true;
    }

    // The node, or errc::not_found.
    node require_node(node_id id) {
        auto n = get_node(id);
        if (!n) fail(errc::not_found, "node " + std::to_string(id) + " does not exist");
        return std::move(*n);
    }

    bool node_exists(node_id id) {
        // Ids are assigned densely from 1 and never reused, and the count is
        // exact (invariant 4): every id at or past the bound is unknown, and
        // while as many nodes live as ids were assigned (none was ever
        // erased), every id below it exists. A one-edge insert then reads
        // no node page for its two endpoints.
        const std::uint64_t bound = node_id_bound();
        if (id == 0 || id >= bound) return false;
        if (node_count() == bound - 1) return true;
        if constexpr (snapshot_reader) {
            if (!cache_) return node_reader().contains(id);
            const std::uint64_t state = txn_.meta().change_counter;
            if (cache_->find(id, state, [](std::string_view) {})) return true;
            auto v = node_reader().find(id);
            if (!v) return false;
            cache_->insert(id, *v, state);
            return true;
        } else {
            return node_store().contains(id);
        }
    }

    std::optional<edge> get_edge(edge_id id) {
        auto v = records(graph_detail::root_edges).find(id);
        if (!v) return std::nullopt;
        return decode_edge(id, *v);
    }

    edge require_edge(edge_id id) {
        auto e = get_edge(id);
        if (!e) fail(errc::not_found, "edge " + std::to_string(id) + " does not exist");
        return std::move(*e);
    }

    bool edge_exists(edge_id id) { return records(graph_detail::root_edges).contains(id); }

    std::uint64_t node_count() { return txn_.root(graph_detail::root_node_count); }
    std::uint64_t edge_count() { return txn_.root(graph_detail::root_edge_count); }

    // Calls fn(node) for every node in id order; fn may return false to stop.
    template <class Fn> void for_each_node(Fn&& fn) {
        node_store().scan(0, UINT64_MAX, [&](std::uint64_t id, std::string_view v) {
            return invoke_continue(fn, decode_node(id, v));
        });
    }
    template <class Fn> void for_each_edge(Fn&& fn) {
        auto t = records(graph_detail::root_edges);
        for (auto c = t.begin(); c.valid(); c.next()) {
            if (!invoke_continue(fn, decode_edge(c.key(), c.value()))) break;
        }
    }
    std::vector<node> nodes() {
        std::vector<node> out;
        for_each_node([&](node n) { out.push_back(std::move(n)); });
        return out;
    }
    std::vector<edge> edges() {
        std::vector<edge> out;
        for_each_edge([&](edge e) { out.push_back(std::move(e)); });
        return out;
    }
    // Nodes with ids in [lo, hi), a range scan of the node tree.
    std::vector<node> nodes_in_range(node_id lo, node_id hi) {
        std::vector<node> out;
        node_store().scan(lo, hi, [&](std::uint64_t id, std::string_view v) { out.push_back(decode_node(id, v)); });
        return out;
    }

    // ---- adjacency ---------------------------------------------------------------

    // The node's adjacency entries: out entries first, each direction sorted
    // by (type id, neighbour, edge id). Unknown node: errc::not_found.
    // Through for_each_neighbor: the adjacency cache when the snapshot may
    // use it, and the node's existence checked only when it has no entries.
    std::vector<neighbor> neighbors(node_id id, direction dir = direction::both, const type_filter& types = {}) {
        std::vector<neighbor> out;
        for_each_neighbor(
            id, dir,
            [&](node_id m, edge_id e, std::uint32_t type, direction which) { out.push_back({m, e, type_name(type), which}); },
            types);
        return out;
    }

    // Number of adjacency entries (a self-loop counts once per direction).
    std::uint64_t degree(node_id id, direction dir = direction::both, const type_filter& types = {}) {
        require_exists(id);
        const auto f = resolve(types);
        std::uint64_t total = 0;
        for (std::uint8_t d = 0; d < 2; ++d) {
            if (dir != direction::both && static_cast<std::uint8_t>(dir) != d) continue;
            if (f.all) {
                // Each chunk starts with its entry count: no decoding.
                scan_chunks(id, d, 0, [&](const adj_key&, std::string_view v) {
                    total += adjacency_codec::count(v);
                    return true;
                });
            } else {
                scan_entries(id, d, f, [&](const adj_entry&) { ++total; });
            }
        }
        return total;
    }

    // Calls fn(neighbour, edge, type id, direction) for the node's adjacency
    // entries in the order neighbors() returns them, without building
    // strings: the fast path for traversals. Unknown node: errc::not_found.
    template <class Fn> void for_each_neighbor(node_id id, direction dir, Fn fn, const type_filter& types = {}) {
        neighbors_resolved(id, dir, resolve(types), fn);
    }

    // for_each_neighbor for each of ids in order, calling fn(i, neighbour,
    // edge, type id, direction) for the entries of ids[i]: the batch form
    // (a MultiGet) for expanding a frontier or serving many nodes at once.
    // Through the adjacency cache, a block of nodes is looked up under one
    // acquisition of the cache's lock with the memory misses of all of them
    // overlapped (node_cache::find_many); nodes the cache misses are read
    // from the pages one by one, as for_each_neighbor reads them, and fill
    // the cache. An unknown node: errc::not_found, after the entries of the
    // nodes before it have been delivered.
    template <class Fn>
    void for_each_neighbor_of(std::span<const node_id> ids, direction dir, Fn fn, const type_filter& types = {}) {
        neighbors_of_resolved(ids, dir, resolve(types), fn, true);
    }

    // ---- indexes -------------------------------------------------------------------

    std::vector<node_id> nodes_by_kind(std::string_view kind) { return index_exact(graph_detail::root_kind, kind); }
    std::vector<node_id> nodes_by_name(std::string_view name) { return index_exact(graph_detail::root_name, name); }

    // Nodes whose name starts with prefix, ordered by (name, id).
    std::vector<node_id> nodes_by_name_prefix(std::string_view prefix) {
        std::vector<node_id> out;
        index(graph_detail::root_name).scan_prefix(prefix, [&](std::string_view, std::uint64_t id) {
            out.push_back(id);
        });
        return out;
    }

    // Nodes whose whole name matches a glob ('*' any run, '?' one byte),
    // ordered by (name, id). The literal prefix before the first wildcard
    // bounds the scan.
    std::vector<node_id> nodes_by_name_glob(std::string_view pattern) {
        const auto literal = pattern.substr(0, std::min(pattern.find_first_of("*?"), pattern.size()));
        std::vector<node_id> out;
        index(graph_detail::root_name).scan_prefix(literal, [&](std::string_view key, std::uint64_t id) {
            std::string_view text;
            std::uint64_t key_id;
            if (!graph_detail::parse_index_key(key, text, key_id)) btree_corrupt(0, "malformed name index key");
            if (graph_detail::glob_match(pattern, text)) out.push_back(id);
        });
        return out;
    }

    // ---- traversals -------------------------------------------------------------------

    // Breadth-first from start to max_depth hops: (node, depth) in visit order.
    std::vector<bfs_entry> bfs(node_id start, std::uint32_t max_depth, direction dir = direction::out,
                               const type_filter& types = {}) {
        require_exists(start);
        const auto f = resolve(types);
        std::vector<bfs_entry> out{{start, 0}};
        visited_nodes seen(node_id_bound());
        seen.insert(start);
        // A level at a time, in the order its nodes were reached, each
        // level's neighbours read in one batch (for_each_neighbor_of): the
        // same visit order as a queue, node by node.
        std::vector<node_id> level{start}, next;
        for (std::uint32_t depth = 0; depth < max_depth && !level.empty(); ++depth) {
            next.clear();
            auto visit = [&](std::size_t, node_id m, edge_id, std::uint32_t, direction) {
                if (!seen.insert(m)) return;
                out.push_back({m, depth + 1});
                next.push_back(m);
            };
            neighbors_of_resolved(level, dir, f, visit, false);
            level.swap(next);
        }
        return out;
    }

    // Nodes 1..k hops from start (start excluded), sorted by id.
    std::vector<node_id> k_hop(node_id start, std::uint32_t k, direction dir = direction::out,
                               const type_filter& types = {}) {
        std::vector<node_id> out;
        for (const auto& e : bfs(start, k, dir, types)) {
            if (e.depth > 0) out.push_back(e.node);
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    // A path with the fewest edges from `from` to `to` (both included), or
    // nullopt when `to` cannot be reached. A bidirectional BFS: forward
    // from `from` along dir and backward from `to` against it, a whole
    // level at a time of whichever side has the smaller frontier, until
    // the sides meet; the level that meets is finished and its shortest
    // meeting kept, so the path is a shortest one. Ties go to the first
    // meeting in visit order (deterministic). A search from one side alone
    // reached everything reachable before it could say "no path": 0.5 s
    // per pair at scale 20, where one side of most pairs runs dry at once.
    std::optional<std::vector<node_id>> shortest_path(node_id from, node_id to, direction dir = direction::out,
                                                      const type_filter& types = {}) {
        require_exists(from);
        require_exists(to);
        if (from == to) return std::vector<node_id>{from};
        const auto f = resolve(types);
        const direction against = dir == direction::out ? direction::in : dir == direction::in ? direction::out : dir;
        struct reach {
            node_id via;        // the node it was reached from on its side (0 for the side's root)
            std::uint32_t hops; // from the side's root
        };
        std::array<std::unordered_map<node_id, reach>, 2> reached; // 0: forward from `from`, 1: backward from `to`
        reached[0].emplace(from, reach{0, 0});
        reached[1].emplace(to, reach{0, 0});
        std::array<std::vector<node_id>, 2> frontier{std::vector<node_id>{from}, std::vector<node_id>{to}};
        std::array<std::uint32_t, 2> depth{0, 0};
        std::vector<node_id> next;
        std::uint64_t best = UINT64_MAX;
        node_id meet_forward = 0, meet_backward = 0; // an edge joins them along dir
        while (best == UINT64_MAX && !frontier[0].empty() && !frontier[1].empty()) {
            const std::size_t side = frontier[0].size() <= frontier[1].size() ? 0 : 1;
            auto& mine = reached[side];
            const auto& other = reached[1 - side];
            const auto& level = frontier[side];
            next.clear();
            auto visit = [&](std::size_t i, node_id m, edge_id, std::uint32_t, direction) {
                if (const auto it = other.find(m); it != other.end()) {
                    const std::uint64_t length = std::uint64_t{depth[side]} + 1 + it->second.hops;
                    if (length < best) {
                        best = length;
                        meet_forward = side == 0 ? level[i] : m;
                        meet_backward = side == 0 ? m : level[i];
                    }
                }
                if (mine.emplace(m, reach{level[i], depth[side] + 1}).second) next.push_back(m);
            };
            neighbors_of_resolved(level, side == 0 ? dir : against, f, visit, false);
            ++depth[side];
            frontier[side].swap(next);
        }
        if (best == UINT64_MAX) return std::nullopt;
        std::vector<node_id> path;
        for (node_id n = meet_forward; n != 0; n = reached[0].at(n).via)
            path.push_back(n);
        std::reverse(path.begin(), path.end());
        for (node_id n = meet_backward; n != 0; n = reached[1].at(n).via)
            path.push_back(n);
        return path;
    }

    // Follows the steps from start; returns the distinct nodes reached by the
    // last step, sorted by id.
    // Each step reads its whole frontier in one for_each_neighbor_of batch;
    // a node reached twice in a step is judged once (its kind does not
    // change), and its kind is looked up only when the step names one.
    std::vector<node_id> chain(node_id start, const std::vector<chain_step>& steps) {
        require_exists(start);
        std::vector<node_id> frontier{start};
        for (const auto& step : steps) {
            const auto f = resolve(step.types);
            visited_nodes reached(node_id_bound());
            std::vector<node_id> next;
            auto visit = [&](std::size_t, node_id m, edge_id, std::uint32_t, direction) {
                if (!reached.insert(m)) return;
                if (step.kind.empty() || require_node(m).kind == step.kind) next.push_back(m);
            };
            neighbors_of_resolved(frontier, step.dir, f, visit, false);
            std::sort(next.begin(), next.end());
            frontier = std::move(next);
            if (frontier.empty()) break;
        }
        return frontier;
    }

    // Star pattern matches (see pattern in graph_types.hpp), at most limit.
    std::vector<pattern_match> match(const pattern& p, std::size_t limit = SIZE_MAX) {
        std::vector<node_id> roots;
        if (p.root) {
            auto n = require_node(*p.root);
            if (p.root_kind.empty() || n.kind == p.root_kind) roots.push_back(*p.root);
        } else if (!p.root_kind.empty()) {
            roots = nodes_by_kind(p.root_kind);
        } else {
            for_each_node([&](const node& n) { roots.push_back(n.id); });
        }
        std::vector<resolved_types> filters;
        for (const auto& leg : p.legs)
            filters.push_back(resolve(leg.types));
        std::unordered_map<node_id, std::string> kinds;
        std::vector<pattern_match> out;
        for (const node_id root : roots) {
            std::vector<std::vector<node_id>> candidates;
            bool empty = false;
            for (std::size_t i = 0; i < p.legs.size() && !empty; ++i) {
                std::vector<node_id> c;
                scan_adjacency(root, p.legs[i].dir, filters[i], [&](const adj_key& k) {
                    const node_id m = std::get<3>(k);
                    if (p.legs[i].kind.empty() || kind_of(m, kinds) == p.legs[i].kind) c.push_back(m);
                });
                std::sort(c.begin(), c.end());
                c.erase(std::unique(c.begin(), c.end()), c.end());
                empty = c.empty();
                candidates.push_back(std::move(c));
            }
            if (empty) continue;
            std::vector<std::size_t> at(candidates.size(), 0);
            for (;;) {
                if (out.size() >= limit) return out;
                pattern_match m{root, {}};
                for (std::size_t i = 0; i < at.size(); ++i)
                    m.legs.push_back(candidates[i][at[i]]);
                out.push_back(std::move(m));
                std::size_t i = at.size();
                while (i > 0) {
                    --i;
                    if (++at[i] < candidates[i].size()) break;
                    at[i] = 0;
                    if (i == 0) {
                        i = SIZE_MAX;
                        break;
                    }
                }
                if (at.empty() || i == SIZE_MAX) break;
            }
        }
        return out;
    }

    // ---- integrity ------------------------------------------------------------------

    // Appends every problem found to report and every page the trees own to
    // pages. Tree structure errors throw errc::corruption (caught by check()).
    void check_into(graph_check_report& report, std::vector<page_id>& pages) {
        namespace gd = graph_detail;
        auto problem = [&](std::string text) {
            if (report.problems.size() < 64) report.problems.push_back(std::move(text));
        };
        auto add_pages = [&](const btree_verify_report& r) {
            pages.insert(pages.end(), r.pages.begin(), r.pages.end());
        };
        auto nodes_t = node_store();
        auto edges_t = records(gd::root_edges);
        auto adj_t = adjacency();
        auto kind_t = index(gd::root_kind);
        auto name_t = index(gd::root_name);
        auto tname_t = index(gd::root_tname);
        auto tid_t = records(gd::root_tid);
        auto weights_t = weight_column();
        add_pages(edges_t.verify(true));
        add_pages(weights_t.verify(true));
        add_pages(adj_t.verify(true));
        add_pages(kind_t.verify(true));
        add_pages(name_t.verify(true));
        add_pages(tname_t.verify(true));
        add_pages(tid_t.verify(true));

        // Nodes against both indexes. The ids are kept (in id order) for the
        // edges' endpoint checks below.
        std::vector<node_id> node_ids;
        nodes_t.verify(pages, [&](std::uint64_t id, std::string_view v) {
            const node_views n = record_codec::decode_node(v); // kind and name are all it needs
            node_ids.push_back(id);
            if (kind_t.find(gd::index_key(n.kind, id)) != std::optional<std::uint64_t>(id))
                problem("node " + std::to_string(id) + " is missing from the kind index");
            if (name_t.find(gd::index_key(n.name, id)) != std::optional<std::uint64_t>(id))
                problem("node " + std::to_string(id) + " is missing from the name index");
        });
        const std::uint64_t nodes = node_ids.size();
        const std::uint64_t max_node = node_ids.empty() ? 0 : node_ids.back();
        report.nodes = nodes;
        if (nodes != node_count())
            problem("node count " + std::to_string(node_count()) + " but " + std::to_string(nodes) + " node records");
        if (max_node >= txn_.root(gd::root_next_node))
            problem("node id " + std::to_string(max_node) + " is not below the next node id");
        auto check_index = [&](index_tree& t, const char* what, bool kind) {
            std::uint64_t entries = 0;
            for (auto c = t.begin(); c.valid(); c.next()) {
                ++entries;
                std::string_view text;
                std::uint64_t id;
                if (!gd::parse_index_key(c.key(), text, id) || id != c.value()) {
                    problem(std::string(what) + " index holds a malformed entry");
                    continue;
                }
                auto n = get_node(id);
                if (!n || (kind ? n->kind : n->name) != text)
                    problem(std::string(what) + " index entry for node " + std::to_string(id) +
                            " does not match its record");
            }
            if (entries != nodes)
                problem(std::string(what) + " index holds " + std::to_string(entries) + " entries for " +
                        std::to_string(nodes) + " nodes");
        };
        check_index(kind_t, "kind", true);
        check_index(name_t, "name", false);

        // Type dictionary.
        std::uint64_t types = 0;
        for (auto c = tname_t.begin(); c.valid(); c.next()) {
            ++types;
            const std::uint64_t id = c.value();
            const std::string name(c.key());
            if (tid_t.find(id) != std::optional<std::string>(name))
                problem("edge type '" + name + "' has no reverse entry");
            if (id >= txn_.root(gd::root_next_type))
                problem("edge type id " + std::to_string(id) + " is not below the next type id");
        }
        if (types != tid_t.size()) problem("edge type dictionary directions differ in size");

        // Adjacency chunks: each decodes, holds at most chunk_limit bytes,
        // and entries are in key order (so chunks of one (node, direction) do
        // not overlap). The entries go into a fingerprint, not a list.
        entry_fingerprint listed;
        {
            std::vector<adj_entry> chunk;
            bool have_prev = false, ordered = true;
            adj_key prev{};
            for (auto c = adj_t.begin(); c.valid(); c.next()) {
                const adj_key k = c.key();
                const node_id n = std::get<0>(k);
                const std::uint8_t dir = std::get<1>(k);
                if (dir > 1)
                    problem("adjacency chunk of node " + std::to_string(n) + " has direction " + std::to_string(dir));
                const std::string_view v = c.value();
                if (v.size() > chunk_limit + 32)
                    problem("adjacency chunk of node " + std::to_string(n) + " holds " + std::to_string(v.size()) +
                            " bytes, over the limit of " + std::to_string(chunk_limit));
                chunk.clear();
                adjacency_codec::decode(first_entry(k), v, chunk);
                if (have_prev && same_run(prev, n, dir) && !(prev < k))
                    problem("adjacency chunks of node " + std::to_string(n) + " overlap");
                for (const auto& e : chunk) {
                    const adj_key entry{n, dir, e.type, e.neighbour, e.edge};
                    if (have_prev && entry < prev) ordered = false;
                    listed.add(n, dir, e.type, e.neighbour, e.edge);
                    prev = entry;
                    have_prev = true;
                }
            }
            if (!ordered) problem("adjacency entries are out of order");
        }

        // Edges: weight column, ids, endpoints, types; and the entries each
        // implies (under its source in direction 0, its target in direction
        // 1) into a second fingerprint.
        entry_fingerprint implied;
        auto is_node = [&](node_id n) { return std::binary_search(node_ids.begin(), node_ids.end(), n); };
        // The weight column against the records, merged in id order.
        auto weight_at = weights_t.begin();
        auto skip_weights = [&](auto&& before) { // entries whose edge has no record
            for (; weight_at.valid() && before(weight_at.key()); weight_at.next())
                problem("weight column names missing edge " + std::to_string(weight_at.key()));
        };
        std::uint64_t edges = 0;
        for (auto c = edges_t.begin(); c.valid(); c.next()) {
            const edge_id id = c.key();
            const auto f = record_codec::decode_edge(c.value());
            ++edges;
            skip_weights([&](edge_id e) { return e < id; });
            const auto weight = edge_weights::column_value(f.properties);
            const bool in_column = weight_at.valid() && weight_at.key() == id;
            if (in_column != weight.has_value() || (in_column && weight_at.value() != *weight))
                problem("edge " + std::to_string(id) + ": the weight column disagrees with its weight property");
            if (in_column) weight_at.next();
            if (id >= txn_.root(gd::root_next_edge))
                problem("edge id " + std::to_string(id) + " is not below the next edge id");
            if (!is_node(f.from) || !is_node(f.to)) problem("edge " + std::to_string(id) + " has a missing endpoint");
            if (!tid_t.contains(f.type)) problem("edge " + std::to_string(id) + " has an unknown type id");
            implied.add(f.from, 0, f.type, f.to, id);
            implied.add(f.to, 1, f.type, f.from, id);
        }
        skip_weights([](edge_id) { return true; });
        report.edges = edges;
        if (edges != edge_count())
            problem("edge count " + std::to_string(edge_count()) + " but " + std::to_string(edges) + " edge records");
        if (listed == implied) return;
        if (listed.count() != implied.count())
            problem(std::to_string(listed.count()) + " adjacency entries for " + std::to_string(edges) + " edges");
        const std::size_t before = report.problems.size();
        name_adjacency_faults(adj_t, edges_t, problem);
        if (report.problems.size() == before) problem("the adjacency entries differ from those the edge records imply");
    }

    // check()'s diagnosis when the adjacency and the edge records disagree
    // (their fingerprints differ): every entry collected and sorted by
    // (edge, direction), then paired with the edge records in one pass in
    // edge order, naming each edge missing under an end, each entry that
    // disagrees with its edge or names a missing one, and each listed twice.
    // Memory: 40 bytes per entry, spent only on a damaged store.
    template <class AdjTree, class EdgeTree, class Problem>
    void name_adjacency_faults(AdjTree& adj_t, EdgeTree& edges_t, Problem& problem) {
        std::vector<adj_key> all;
        {
            std::vector<adj_entry> chunk;
            for (auto c = adj_t.begin(); c.valid(); c.next()) {
                const adj_key k = c.key();
                chunk.clear();
                adjacency_codec::decode(first_entry(k), c.value(), chunk);
                for (const auto& e : chunk)
                    all.emplace_back(std::get<0>(k), std::get<1>(k), e.type, e.neighbour, e.edge);
            }
        }
        std::sort(all.begin(), all.end(), [](const adj_key& a, const adj_key& b) {
            const auto [an, ad, at, ao, ae] = a;
            const auto [bn, bd, bt, bo, be] = b;
            return std::tie(ae, ad, an, at, ao) < std::tie(be, bd, bn, bt, bo);
        });
        auto entry_edge = [](const adj_key& k) { return std::get<4>(k); };
        auto entry_text = [](const adj_key& k) { return "adjacency entry of node " + std::to_string(std::get<0>(k)); };
        std::size_t next = 0; // first entry not yet paired with an edge
        auto skip_edge_entries = [&](auto&& report_entry, edge_id below) {
            for (; next < all.size() && entry_edge(all[next]) < below; ++next) report_entry(all[next]);
        };
        auto names_missing_edge = [&](const adj_key& k) {
            problem(entry_text(k) + " names missing edge " + std::to_string(entry_edge(k)));
        };
        for (auto c = edges_t.begin(); c.valid(); c.next()) {
            const edge_id id = c.key();
            const auto f = record_codec::decode_edge(c.value());
            skip_edge_entries(names_missing_edge, id);
            for (const std::uint8_t dir : {std::uint8_t{0}, std::uint8_t{1}}) {
                const adj_key expected = dir == 0 ? adj_key{f.from, 0, f.type, f.to, id} : adj_key{f.to, 1, f.type, f.from, id};
                if (next == all.size() || entry_edge(all[next]) != id || std::get<1>(all[next]) != dir) {
                    problem("edge " + std::to_string(id) + " is missing under its " + (dir == 0 ? "source" : "target"));
                    continue;
                }
                std::size_t times = 0;
                for (; next < all.size() && entry_edge(all[next]) == id && std::get<1>(all[next]) == dir; ++next, ++times)
                    if (all[next] != expected) problem(entry_text(all[next]) + " disagrees with edge " + std::to_string(id));
                if (times > 1)
                    problem("edge " + std::to_string(id) + " is listed " + std::to_string(times) + " times under its " +
                            (dir == 0 ? "source" : "target"));
            }
            skip_edge_entries([&](const adj_key& k) { problem(entry_text(k) + " disagrees with edge " + std::to_string(id)); },
                              id + 1);
        }
        for (; next < all.size(); ++next) names_missing_edge(all[next]);
    }

    Txn& txn() noexcept { return txn_; }
    // The underlying pager transaction, for layers that keep their own pages
    // in the same transaction as the graph (vector indexes, for one).
    Txn& pager_txn() noexcept { return txn_; }

    // ---- edge types ------------------------------------------------------------------

    // The name of an edge type id (errc::corruption when the id is unknown).
    const std::string& type_name(std::uint32_t id) {
        if (auto it = type_names_.find(id); it != type_names_.end()) return it->second;
        auto v = records(graph_detail::root_tid).find(id);
        if (!v) fail(errc::corruption, "edge type id " + std::to_string(id) + " is not in the type dictionary");
        return type_names_.emplace(id, std::move(*v)).first->second;
    }

    // The id of an edge type name, or nullopt when no edge ever had it.
    std::optional<std::uint32_t> type_id(std::string_view name) {
        if (name.size() > max_text_bytes) return std::nullopt;
        auto v = index(graph_detail::root_tname).find(name);
        if (!v) return std::nullopt;
        return static_cast<std::uint32_t>(*v);
    }

    // ---- whole-graph adjacency scan ---------------------------------------------------

    // Calls fn(node, neighbour, type id, edge) for every adjacency entry of
    // direction dir (out or in; both gives each node's out entries, then its
    // in entries), ascending by node and, per node and direction, by (type
    // id, neighbour, edge). One sequential pass over the adjacency; meant
    // for building analytics snapshots (CSR). type_name() maps type ids.
    template <class Fn> void for_each_adjacency(direction dir, Fn fn) {
        auto t = adjacency();
        for (auto c = t.begin(); c.valid(); c.next()) {
            const adj_key k = c.key();
            if (dir != direction::both && std::get<1>(k) != static_cast<std::uint8_t>(dir)) continue;
            const node_id n = std::get<0>(k);
            adjacency_codec::reader r(first_entry(k), c.value());
            adj_entry e;
            while (r.next(e))
                fn(n, node_id{e.neighbour}, std::uint32_t{e.type}, edge_id{e.edge});
        }
    }

  protected:
    template <class Fn, class T> static bool invoke_continue(Fn& fn, T&& v) {
        if constexpr (std::is_void_v<std::invoke_result_t<Fn&, T>>) {
            fn(std::forward<T>(v));
            return true;
        } else {
            return static_cast<bool>(fn(std::forward<T>(v)));
        }
    }

    record_tree records(const char* root) { return record_tree(txn_, txn_.root(root)); }
    weight_tree weight_column() { return weight_tree(txn_, txn_.root(graph_detail::root_eweight)); }
    node_store_type node_store() { return node_store_type(txn_, txn_.root(graph_detail::root_nodes)); }
    // A snapshot never changes, so a read transaction keeps its node store
    // and adjacency tree open: their B+Trees keep the pages they met pinned
    // and their buffers allocated across calls.
    static constexpr bool snapshot_reader = !page_writer<Txn>;
    node_store_type& node_reader()
        requires snapshot_reader
    {
        if (!nodes_kept_) nodes_kept_ = std::make_unique<node_store_type>(node_store());
        return *nodes_kept_;
    }
    adj_tree adjacency() { return adj_tree(txn_, txn_.root(graph_detail::root_adj)); }
    index_tree index(const char* root) { return index_tree(txn_, txn_.root(root)); }

    // The node of record `bytes` into `out`, reusing its strings' storage.
    void assign_node(node_id id, std::string_view bytes, node& out) {
        const node_views v = record_codec::decode_node(bytes);
        out.id = id;
        out.kind.assign(v.kind);
        out.name.assign(v.name);
        out.props.assign_binary(v.properties);
    }
    node decode_node(node_id id, std::string_view bytes) {
        node n;
        assign_node(id, bytes, n);
        return n;
    }
    edge decode_edge(edge_id id, std::string_view bytes) {
        auto f = record_codec::decode_edge(bytes);
        return edge{id, f.from, f.to, type_name(f.type), property_map::from_binary(std::move(f.properties))};
    }

    // Every node id of this snapshot is below it (ids are dense and never reused).
    std::uint64_t node_id_bound() { return txn_.root(graph_detail::root_next_node); }

    void require_exists(node_id id) {
        if (!node_exists(id)) fail(errc::not_found, "node " + std::to_string(id) + " does not exist");
    }

    resolved_types resolve(const type_filter& types) {
        resolved_types f;
        if (types.empty()) return f;
        f.all = false;
        for (const auto& t : types) {
            if (auto id = type_id(t)) f.ids.push_back(*id);
        }
        std::sort(f.ids.begin(), f.ids.end());
        f.ids.erase(std::unique(f.ids.begin(), f.ids.end()), f.ids.end());
        return f;
    }

    static adj_entry first_entry(const adj_key& k) noexcept {
        return adj_entry{std::get<2>(k), std::get<3>(k), std::get<4>(k)};
    }
    static bool same_run(const adj_key& k, node_id id, std::uint8_t d) noexcept {
        return std::get<0>(k) == id && std::get<1>(k) == d;
    }

    // Calls fn(chunk key, chunk value) for the chunks of (id, d) from the
    // one that may hold the first entry of type from_type onwards; fn
    // returns false to stop.
    template <class Fn> void scan_chunks(node_id id, std::uint8_t d, std::uint32_t from_type, Fn&& fn) {
        if constexpr (snapshot_reader) {
            if (!adj_kept_) adj_kept_ = std::make_unique<adj_tree>(adjacency());
            scan_chunks_in(*adj_kept_, id, d, from_type, fn);
        } else {
            auto t = adjacency();
            scan_chunks_in(t, id, d, from_type, fn);
        }
    }
    template <class Fn> void scan_chunks_in(adj_tree& t, node_id id, std::uint8_t d, std::uint32_t from_type, Fn& fn) {
        const adj_key lo{id, d, from_type, 0, 0};
        auto c = t.lower_bound(lo);
        if (from_type != 0 && !(c.valid() && c.key() == lo)) {
            // Entries of from_type may start inside the chunk before.
            c.prev();
            if (!c.valid() || !same_run(c.key(), id, d)) c = t.lower_bound(lo);
        }
        for (; c.valid(); c.next()) {
            const adj_key k = c.key();
            if (!same_run(k, id, d)) break;
            if (!fn(k, c.value())) break;
        }
    }

    // Calls fn(entry) for the entries of (id, d) the filter selects, sorted
    // by (type, neighbour, edge).
    // Returns true when the entries came from the adjacency cache, which
    // holds only nodes that exist (see scan_entries_cached): the caller
    // then knows the node exists even when no entry was selected.
    template <class Fn> bool scan_entries(node_id id, std::uint8_t d, const resolved_types& f, Fn&& fn) {
        if constexpr (snapshot_reader) {
            if (adj_cache_ && (f.all || !f.ids.empty())) return scan_entries_cached(id, d, f, fn);
        }
        if (f.all) {
            scan_chunks(id, d, 0, [&](const adj_key& k, std::string_view v) {
                adjacency_codec::reader r(first_entry(k), v);
                adj_entry e;
                while (r.next(e))
                    fn(e);
                return true;
            });
            return false;
        }
        for (const std::uint32_t type : f.ids) {
            scan_chunks(id, d, type, [&](const adj_key& k, std::string_view v) {
                adjacency_codec::reader r(first_entry(k), v);
                adj_entry e;
                while (r.next(e)) {
                    if (e.type < type) continue;
                    if (e.type > type) return false;
                    fn(e);
                }
                return true;
            });
        }
        return false;
    }

    // The adjacency cache's value for (id, d): the node's entries in that
    // direction in cached_adjacency's form, made on a miss from the chunks
    // (checked as they are decoded).
    template <class Fn> static void for_each_cached(std::string_view form, const resolved_types& f, Fn& fn) {
        cached_adjacency::for_each(
            form, [&](std::uint32_t type) { return f.all || std::binary_search(f.ids.begin(), f.ids.end(), type); }, fn);
    }
    // An entry is cached only for a node that exists: on a miss that finds
    // no chunks, only after node_exists() says so (erase_node drops both of
    // the node's keys at commit, and ids are never reused). Returns true:
    // the node exists; false: it does not (nothing selected, nothing cached).
    template <class Fn> bool scan_entries_cached(node_id id, std::uint8_t d, const resolved_types& f, Fn& fn) {
        const std::uint64_t state = txn_.meta().change_counter;
        const std::uint64_t key = id * 2 + d;
        // fn may call back into this reader, so it runs outside the cache's
        // lock, on a copy (in place when small).
        std::array<char, 512> local;
        std::string heap;
        std::string_view blob;
        const bool hit = adj_cache_->find(key, state, [&](std::string_view b) {
            if (b.size() <= local.size()) {
                std::memcpy(local.data(), b.data(), b.size());
                blob = std::string_view(local.data(), b.size());
            } else {
                heap.assign(b);
                blob = heap;
            }
        });
        if (!hit) {
            cached_adjacency::encoder form;
            scan_chunks(id, d, 0, [&](const adj_key& k, std::string_view v) {
                adjacency_codec::for_each_entry(first_entry(k), v, [&](const adj_entry& e) { form.add(e); });
                return true;
            });
            heap = form.finish();
            if (heap.empty() && !node_exists(id)) return false;
            adj_cache_->insert(key, heap, state);
            blob = heap;
        }
        for_each_cached(blob, f, fn);
        return true;
    }

    // for_each_neighbor_of with the type filter resolved; check_exists
    // false skips the existence check of nodes without entries (the
    // traversals' nodes come from adjacency entries, so they exist).
    template <class Fn>
    void neighbors_of_resolved(std::span<const node_id> ids, direction dir, const resolved_types& f, Fn& fn,
                               bool check_exists) {
        if constexpr (snapshot_reader) {
            if (adj_cache_ && (f.all || !f.ids.empty())) {
                neighbors_batch_cached(ids, dir, f, fn, check_exists);
                return;
            }
        }
        for (std::size_t i = 0; i < ids.size(); ++i)
            neighbors_resolved(
                ids[i], dir, f, [&](node_id m, edge_id e, std::uint32_t type, direction which) { fn(i, m, e, type, which); },
                check_exists);
    }

    // for_each_neighbor with the type filter resolved.
    template <class Fn>
    void neighbors_resolved(node_id id, direction dir, const resolved_types& f, Fn&& fn, bool check_exists = true) {
        bool any = false, exists = false;
        for (std::uint8_t d = 0; d < 2; ++d) {
            if (dir != direction::both && static_cast<std::uint8_t>(dir) != d) continue;
            const direction which = d == 0 ? direction::out : direction::in;
            exists |= scan_entries(id, d, f, [&](const adj_entry& e) {
                any = true;
                fn(node_id{e.neighbour}, edge_id{e.edge}, e.type, which);
            });
        }
        // A node with adjacency entries exists (erase_node erases its
        // edges), and so does one the adjacency cache holds, so only an
        // empty result from the pages needs the existence check.
        if (check_exists && !any && !exists) require_exists(id);
    }

    // for_each_neighbor_of through the adjacency cache: blocks of up to
    // node_cache::max_batch keys (a node's two directions in one block),
    // the hits copied out under one lock (fn may call back into this
    // reader), then every node of the block in order: its cached forms
    // decoded, its misses read as scan_entries_cached reads them. The
    // per-node loop repeats neighbors_resolved's on purpose: folding both
    // into one loop over a scan callback cost the batch 8% (Q2 probe, 4.9 →
    // 5.3 ns per neighbour).
    template <class Fn>
    void neighbors_batch_cached(std::span<const node_id> ids, direction dir, const resolved_types& f, Fn& fn,
                                bool check_exists) {
        const std::uint64_t state = txn_.meta().change_counter;
        const std::uint8_t first_d = dir == direction::in ? 1 : 0;
        const std::uint8_t last_d = dir == direction::out ? 0 : 1;
        const std::size_t per_node = std::size_t{last_d} - first_d + 1u;
        const std::size_t nodes_per_block = node_cache::max_batch / per_node;
        std::array<std::uint64_t, node_cache::max_batch> keys;
        std::array<std::uint32_t, node_cache::max_batch> at, size;
        std::array<bool, node_cache::max_batch> hit;
        std::string forms;
        for (std::size_t begin = 0; begin < ids.size(); begin += nodes_per_block) {
            const std::size_t end = std::min(ids.size(), begin + nodes_per_block);
            std::size_t count = 0;
            for (std::size_t i = begin; i < end; ++i)
                for (std::uint8_t d = first_d; d <= last_d; ++d)
                    keys[count++] = ids[i] * 2 + d;
            forms.clear();
            std::fill_n(hit.begin(), count, false);
            adj_cache_->find_many(std::span<const std::uint64_t>(keys.data(), count), state,
                                  [&](std::size_t k, std::string_view form) {
                                      hit[k] = true;
                                      at[k] = static_cast<std::uint32_t>(forms.size());
                                      size[k] = static_cast<std::uint32_t>(form.size());
                                      forms.append(form);
                                  });
            std::size_t k = 0;
            for (std::size_t i = begin; i < end; ++i) {
                bool any = false, exists = false;
                for (std::uint8_t d = first_d; d <= last_d; ++d, ++k) {
                    const direction which = d == 0 ? direction::out : direction::in;
                    auto deliver = [&](const adj_entry& e) {
                        any = true;
                        fn(i, node_id{e.neighbour}, edge_id{e.edge}, e.type, which);
                    };
                    if (hit[k]) {
                        exists = true;
                        for_each_cached(std::string_view(forms).substr(at[k], size[k]), f, deliver);
                    } else {
                        exists |= scan_entries_cached(ids[i], d, f, deliver);
                    }
                }
                if (check_exists && !any && !exists) require_exists(ids[i]);
            }
        }
    }

    // Calls fn(adj_key{id, d, type, neighbour, edge}) per selected entry.
    template <class Fn> void scan_adjacency(node_id id, direction dir, const resolved_types& f, Fn&& fn) {
        for (std::uint8_t d = 0; d < 2; ++d) {
            if (dir != direction::both && static_cast<std::uint8_t>(dir) != d) continue;
            scan_entries(id, d, f, [&](const adj_entry& e) { fn(adj_key{id, d, e.type, e.neighbour, e.edge}); });
        }
    }

    std::vector<node_id> index_exact(const char* root, std::string_view text) {
        std::vector<node_id> out;
        if (text.size() > max_text_bytes) return out;
        std::string prefix(text);
        prefix.push_back('\0');
        index(root).scan_prefix(prefix, [&](std::string_view, std::uint64_t id) { out.push_back(id); });
        return out;
    }

    const std::string& kind_of(node_id id, std::unordered_map<node_id, std::string>& cache) {
        if (auto it = cache.find(id); it != cache.end()) return it->second;
        return cache.emplace(id, require_node(id).kind).first->second;
    }

    Txn txn_;
    std::unordered_map<std::uint32_t, std::string> type_names_;
    node_cache* cache_ = nullptr;     // read transactions only
    node_cache* adj_cache_ = nullptr; // read transactions only
    std::unique_ptr<node_store_type> nodes_kept_;
    std::unique_ptr<adj_tree> adj_kept_;
};

// ---- read transactions -------------------------------------------------------------

template <class... Policies>
class basic_graph_store<Policies...>::read_transaction : public basic_reader<typename pager_type::read_txn> {
    using base = basic_reader<typename pager_type::read_txn>;

  public:
    explicit read_transaction(typename pager_type::read_txn txn, node_cache* cache = nullptr,
                              node_cache* adj_cache = nullptr)
        : base(std::move(txn), cache, adj_cache) {}

    // Ends the snapshot early (the destructor does it otherwise).
    void end() { this->txn_.end(); }
};

// ---- write transactions ------------------------------------------------------------

template <class... Policies>
class basic_graph_store<Policies...>::write_transaction : public basic_reader<typename pager_type::write_txn> {
    using base = basic_reader<typename pager_type::write_txn>;
    using typename base::adj_key;
    using adj_tree_w = typename base::adj_tree;

  public:
    explicit write_transaction(typename pager_type::write_txn txn) : base(std::move(txn)) {}
    write_transaction(typename pager_type::write_txn txn, std::shared_ptr<const erase_hook_set> hooks,
                      node_cache* cache = nullptr, node_cache* adj_cache = nullptr, pager_type* owner = nullptr)
        : base(std::move(txn)), erase_hooks_(std::move(hooks)), commit_cache_(cache), commit_adj_cache_(adj_cache),
          owner_(owner) {}

    [[nodiscard]] bool active() const noexcept { return this->txn_.active(); }

    void commit() {
        if (poisoned_) {
            this->txn_.rollback();
            fail(errc::failed_state, "write transaction failed part-way through a change and was rolled back");
        }
        if (!commit_cache_ || !commit_adj_cache_ || !owner_ || !this->txn_.active()) {
            this->txn_.commit();
            return;
        }
        // The caches' commit protocol (graph/node_cache.hpp).
        const std::uint64_t base_state = this->txn_.meta().change_counter;
        const std::uint64_t token = commit_cache_->begin_commit(touched_, base_state);
        const std::uint64_t adj_token = commit_adj_cache_->begin_commit(touched_adj_, base_state);
        if (adj_touched_all_) commit_adj_cache_->clear();
        this->txn_.commit();
        const std::uint64_t now = owner_->stats().change_counter;
        commit_cache_->end_commit(token, base_state, now);
        commit_adj_cache_->end_commit(adj_token, base_state, now);
    }
    void rollback() { this->txn_.rollback(); }

    node_id insert_node(const node_input& in) {
        namespace gd = graph_detail;
        check_text("kind", in.kind);
        check_text("name", in.name);
        const std::string record = record_codec::encode_node({in.kind, in.name, encode_properties(in.properties)});
        check_record(record);
        const node_id id = this->txn_.root(gd::root_next_node);
        guarded([&] {
            this->txn_.set_root(gd::root_next_node, id + 1);
            auto nodes = this->node_store();
            touched_.push_back(id);
            nodes.put(id, record);
            save(gd::root_nodes, nodes);
            index_insert(gd::root_kind, in.kind, id);
            index_insert(gd::root_name, in.name, id);
            this->txn_.set_root(gd::root_node_count, this->node_count() + 1);
        });
        return id;
    }

    edge_id insert_edge(const edge_input& in) {
        namespace gd = graph_detail;
        check_text("edge type", in.type);
        std::string props = encode_properties(in.properties);
        this->require_exists(in.from);
        this->require_exists(in.to);
        // Type id 0 stands in for the check; the encoded size does not depend on it by more than 5 bytes.
        check_record(record_codec::encode_edge({in.from, in.to, UINT32_MAX, props}));
        const edge_id id = this->txn_.root(gd::root_next_edge);
        guarded([&] {
            const std::uint32_t type = type_for_write(in.type);
            this->txn_.set_root(gd::root_next_edge, id + 1);
            set_weight(id, edge_weights::column_value(props));
            auto edges = this->records(gd::root_edges);
            edges.insert(id, record_codec::encode_edge({in.from, in.to, type, std::move(props)}));
            save(gd::root_edges, edges);
            adjacency_insert(in.from, in.to, type, id);
            this->txn_.set_root(gd::root_edge_count, this->edge_count() + 1);
        });
        return id;
    }

    void update_node(node_id id, const node_update& u) {
        namespace gd = graph_detail;
        auto old = this->require_node(id);
        if (u.kind) check_text("kind", *u.kind);
        if (u.name) check_text("name", *u.name);
        const std::string& kind = u.kind ? *u.kind : old.kind;
        const std::string& name = u.name ? *u.name : old.name;
        const std::string record = record_codec::encode_node(
            {kind, name, u.properties ? encode_properties(*u.properties) : old.props.binary()});
        check_record(record);
        guarded([&] {
            if (kind != old.kind) {
                index_erase(gd::root_kind, old.kind, id);
                index_insert(gd::root_kind, kind, id);
            }
            if (name != old.name) {
                index_erase(gd::root_name, old.name, id);
                index_insert(gd::root_name, name, id);
            }
            auto nodes = this->node_store();
            touched_.push_back(id);
            nodes.put(id, record);
            save(gd::root_nodes, nodes);
        });
    }

    void update_edge(edge_id id, const edge_update& u) {
        namespace gd = graph_detail;
        auto old = this->require_edge(id);
        if (u.type) check_text("edge type", *u.type);
        std::string props = u.properties ? encode_properties(*u.properties) : old.props.binary();
        check_record(record_codec::encode_edge({old.from, old.to, UINT32_MAX, props}));
        guarded([&] {
            const auto old_type = *this->type_id(old.type);
            std::uint32_t type = old_type;
            if (u.type && *u.type != old.type) {
                type = type_for_write(*u.type);
                adjacency_erase(old.from, old.to, old_type, id);
                adjacency_insert(old.from, old.to, type, id);
            }
            if (u.properties) set_weight(id, edge_weights::column_value(props));
            auto edges = this->records(gd::root_edges);
            edges.upsert(id, record_codec::encode_edge({old.from, old.to, type, std::move(props)}));
            save(gd::root_edges, edges);
        });
    }

    // Deletes the node and every edge that touches it.
    void erase_node(node_id id) {
        namespace gd = graph_detail;
        auto old = this->require_node(id);
        static const erase_hook_set no_hooks;
        const erase_hook_set& hooks = erase_hooks_ ? *erase_hooks_ : no_hooks;
        if (auto root = gd::unkept_layer_root(this->txn_.meta().roots, hooks.maintains))
            fail(errc::unsupported, "cannot erase node " + std::to_string(id) + ": the database has root '" + root->first +
                                        "' of a layer that keeps data per node and has no erase hook on this "
                                        "transaction (" + std::string(root->second) + ")");
        if (!hooks.hooks.empty()) {
            guarded([&] {
                for (const auto& hook : hooks.hooks)
                    hook(*this, id);
            });
        }
        std::vector<adj_key> entries;
        this->scan_adjacency(id, direction::both, {}, [&](const adj_key& k) { entries.push_back(k); });
        guarded([&] {
            std::unordered_set<edge_id> done;
            for (const auto& k : entries) {
                if (done.insert(std::get<4>(k)).second) erase_edge_unchecked(std::get<4>(k));
            }
            index_erase(gd::root_kind, old.kind, id);
            index_erase(gd::root_name, old.name, id);
            auto nodes = this->node_store();
            touched_.push_back(id);
            // The adjacency cache's entries of a node say it exists, even
            // empty ones (scan_entries_cached): drop them too.
            touched_adj_.push_back(id * 2);
            touched_adj_.push_back(id * 2 + 1);
            if (!nodes.erase(id)) fail(errc::corruption, "node " + std::to_string(id) + " vanished while being erased");
            save(gd::root_nodes, nodes);
            this->txn_.set_root(gd::root_node_count, this->node_count() - 1);
        });
    }

    void erase_edge(edge_id id) {
        if (!this->edge_exists(id)) fail(errc::not_found, "edge " + std::to_string(id) + " does not exist");
        guarded([&] { erase_edge_unchecked(id); });
    }

    // Inserts many nodes and edges at once (imports). Nodes get consecutive
    // ids in input order, then edges do; an edge names its endpoints by id
    // or by position in `nodes` (node_ref). Everything is validated before
    // the first page is written, with the same rules and errors as
    // insert_node / insert_edge, so a refused batch changes nothing.
    // Each tree that is empty when the call starts (a fresh store) is built
    // bottom-up by the B+Tree's bulk load from sorted input, and adjacency
    // chunks are packed full; trees that already hold data take ordinary
    // inserts (adjacency: the new entries of each (node, direction) are
    // merged into its chunks in one pass). One bulk_loader fed once.
    bulk_insert_result bulk_insert(std::span<const node_input> nodes, std::span<const bulk_edge_input> edges) {
        bulk_loader loader = bulk_load();
        loader.add_nodes(nodes);
        loader.add_edges(edges);
        return loader.finish();
    }

    // The same bulk insert fed in batches (graph/bulk_loader.hpp), so that
    // an import holds one batch of its input at a time, not all of it.
    class bulk_loader;
    bulk_loader bulk_load();

  private:
    // Index entries (index key, node id) of new nodes, in any order.
    void bulk_index(const char* root, std::vector<std::pair<std::string, std::uint64_t>>& keys) {
        std::sort(keys.begin(), keys.end());
        auto t = this->index(root);
        if (t.empty()) {
            t.bulk_load(index_range(keys.size(), [&](std::size_t i) {
                return std::pair<std::string_view, std::uint64_t>(keys[i].first, keys[i].second);
            }));
        } else {
            for (const auto& [k, id] : keys) {
                if (!t.insert(k, id))
                    fail(errc::corruption, std::string(root) + " already indexes node " + std::to_string(id));
            }
        }
        save(root, t);
    }

    // Adjacency of a batch of new edges. Each direction is grouped by node
    // with a counting sort (ids are dense), then each node's entries are
    // sorted; runs become full chunks (bulk load into an empty tree) or are
    // merged into the node's existing chunks.
    template <class Pending> void bulk_adjacency(const std::vector<Pending>& pending, edge_id first_edge) {
        namespace gd = graph_detail;
        adj_touched_all_ = true;
        const node_id id_end = this->txn_.root(gd::root_next_node);
        auto t = this->adjacency();
        const bool load = t.empty();
        // chunks[d]: (key, value) of new chunks in key order (bulk load only).
        std::vector<std::pair<adj_key, std::string>> chunks[2];
        std::vector<std::uint64_t> start;
        std::vector<adj_entry> entries(pending.size());
        for (std::uint8_t d = 0; d < 2; ++d) {
            group_by_node(pending, d, first_edge, id_end, start, entries);
            for (node_id n = 0; n < id_end; ++n) {
                adj_entry* b = entries.data() + start[n];
                adj_entry* e = entries.data() + start[n + 1];
                if (b == e) continue;
                std::sort(b, e);
                if (load) {
                    adjacency_codec::chunk(
                        b, static_cast<std::size_t>(e - b), chunk_limit, [&](std::size_t from, std::size_t count) {
                            chunks[d].emplace_back(adj_key{n, d, b[from].type, b[from].neighbour, b[from].edge},
                                                   adjacency_codec::encode(b + from, count));
                        });
                } else {
                    merge_run(t, n, d, b, static_cast<std::size_t>(e - b));
                }
            }
        }
        release(entries); // not held while the chunks are merged and loaded
        release(start);
        if (load) {
            // Interleave the directions: keys order by (node, direction).
            std::vector<std::pair<adj_key, std::string>> all;
            all.reserve(chunks[0].size() + chunks[1].size());
            std::merge(std::make_move_iterator(chunks[0].begin()), std::make_move_iterator(chunks[0].end()),
                       std::make_move_iterator(chunks[1].begin()), std::make_move_iterator(chunks[1].end()),
                       std::back_inserter(all), [](const auto& a, const auto& b) { return a.first < b.first; });
            release(chunks[0]);
            release(chunks[1]);
            t.bulk_load(index_range(all.size(), [&](std::size_t i) {
                return std::pair<adj_key, std::string_view>(all[i].first, all[i].second);
            }), adjacency_fill);
        }
        save(gd::root_adj, t);
    }

    // The entries of direction d of a batch of new edges grouped by node:
    // node n's are entries[start[n] .. start[n + 1]), in input order.
    //
    // A plain counting sort writes each entry to a random place in an array
    // of all of them: at scale 20 a cache miss per entry, most of the
    // adjacency build's time. Here the entries go first to about 1,024
    // buckets of consecutive nodes, few enough write streams to stay in the
    // cache, each entry with its node's offset in its bucket; then each
    // bucket, small enough for the cache, is sorted by node in place.
    template <class Pending>
    static void group_by_node(const std::vector<Pending>& pending, std::uint8_t d, edge_id first_edge, node_id id_end,
                              std::vector<std::uint64_t>& start, std::vector<adj_entry>& entries) {
        const auto node_of = [d](const Pending& e) { return d == 0 ? e.from : e.to; };
        start.assign(id_end + 1, 0);
        for (const auto& e : pending)
            ++start[node_of(e) + 1];
        for (std::size_t i = 1; i < start.size(); ++i)
            start[i] += start[i - 1];
        // Bucket b holds nodes [b << shift, (b + 1) << shift); an offset in a
        // bucket fits 32 bits, since start[] already holds id_end counters.
        unsigned shift = 0;
        while ((id_end >> shift) > 1024)
            ++shift;
        const std::size_t buckets = static_cast<std::size_t>(id_end >> shift) + 1;
        const auto bucket_start = [&](std::size_t b) { return start[std::min<node_id>(node_id{b} << shift, id_end)]; };
        std::vector<std::uint64_t> at(buckets);
        for (std::size_t b = 0; b < buckets; ++b)
            at[b] = bucket_start(b);
        std::vector<std::uint32_t> offset(pending.size());
        const node_id in_bucket = (node_id{1} << shift) - 1;
        for (std::size_t i = 0; i < pending.size(); ++i) {
            const auto& e = pending[i];
            const node_id n = node_of(e);
            const std::uint64_t pos = at[n >> shift]++;
            entries[pos] = adj_entry{e.type, d == 0 ? e.to : e.from, first_edge + i};
            offset[pos] = static_cast<std::uint32_t>(n & in_bucket);
        }
        std::vector<adj_entry> scratch;
        std::vector<std::uint64_t> cursor;
        for (std::size_t b = 0; b < buckets; ++b) {
            const std::uint64_t lo = bucket_start(b), hi = bucket_start(b + 1);
            if (hi - lo < 2) continue;
            scratch.assign(entries.begin() + static_cast<std::ptrdiff_t>(lo), entries.begin() + static_cast<std::ptrdiff_t>(hi));
            const node_id base = node_id{b} << shift;
            cursor.resize(static_cast<std::size_t>(std::min(in_bucket + 1, id_end - base)));
            for (std::size_t k = 0; k < cursor.size(); ++k)
                cursor[k] = start[base + k];
            for (std::uint64_t j = lo; j < hi; ++j)
                entries[cursor[offset[j]]++] = scratch[j - lo];
        }
    }

    // Merges sorted new entries into the chunks of (n, d): reads the run's
    // chunks, erases them, and writes the merged run as full chunks.
    void merge_run(adj_tree_w& t, node_id n, std::uint8_t d, const adj_entry* add, std::size_t count) {
        touched_adj_.push_back(n * 2 + d);
        std::vector<adj_entry> merged;
        std::vector<adj_key> old_keys;
        {
            std::vector<adj_entry> existing;
            for (auto c = t.lower_bound(adj_key{n, d, 0, 0, 0}); c.valid(); c.next()) {
                const adj_key k = c.key();
                if (!base::same_run(k, n, d)) break;
                old_keys.push_back(k);
                adjacency_codec::decode(base::first_entry(k), c.value(), existing);
            }
            merged.resize(existing.size() + count);
            std::merge(existing.begin(), existing.end(), add, add + count, merged.begin());
        }
        if (std::adjacent_find(merged.begin(), merged.end()) != merged.end())
            fail(errc::corruption, "adjacency of node " + std::to_string(n) + " already holds a new edge");
        for (const auto& k : old_keys)
            t.erase(k);
        adjacency_codec::chunk(merged.data(), merged.size(), chunk_limit, [&](std::size_t from, std::size_t c) {
            const adj_entry& f = merged[from];
            t.insert(adj_key{n, d, f.type, f.neighbour, f.edge}, adjacency_codec::encode(merged.data() + from, c));
        });
    }

    // Frees a container's memory now: `c = {}` picks the initializer-list
    // assignment, which empties it but keeps its capacity.
    template <class C> static void release(C& c) { C().swap(c); }

    template <class Fn> void guarded(Fn&& fn) {
        if (poisoned_)
            fail(errc::failed_state, "write transaction failed part-way through an earlier change; roll it back");
        try {
            fn();
        } catch (...) {
            poisoned_ = true;
            throw;
        }
    }

    static void check_text(const char* what, std::string_view text) {
        if (text.size() > max_text_bytes) {
            fail(errc::too_large, std::string(what) + " of " + std::to_string(text.size()) +
                                      " bytes exceeds the limit of " + std::to_string(max_text_bytes) + " bytes for " +
                                      std::to_string(page_bytes) + "-byte pages");
        }
        if (text.find('\0') != std::string_view::npos)
            fail(errc::invalid_argument, std::string(what) + " contains a NUL byte");
    }

    static void check_record(const std::string& record) {
        if (record.size() > record_params::max_value_size) {
            fail(errc::too_large, "record of " + std::to_string(record.size()) + " bytes exceeds the limit of " +
                                      std::to_string(record_params::max_value_size) + " bytes");
        }
    }

    template <class Tree> void save(const char* root, const Tree& t) {
        if (this->txn_.root(root) != t.root()) this->txn_.set_root(root, t.root());
    }

    // The weight column's entry for edge id: set to `bits`, or gone when
    // there are none (weight 1, or the edge erased). An edge without an
    // entry before or after writes no page.
    void set_weight(edge_id id, std::optional<std::uint64_t> bits) {
        auto column = this->weight_column();
        if (bits) column.upsert(id, *bits);
        else if (!column.erase(id)) return;
        save(graph_detail::root_eweight, column);
    }

    void index_insert(const char* root, std::string_view text, node_id id) {
        auto t = this->index(root);
        if (!t.insert(graph_detail::index_key(text, id), id))
            fail(errc::corruption, std::string(root) + " already indexes node " + std::to_string(id));
        save(root, t);
    }
    void index_erase(const char* root, std::string_view text, node_id id) {
        auto t = this->index(root);
        if (!t.erase(graph_detail::index_key(text, id)))
            fail(errc::corruption, std::string(root) + " does not index node " + std::to_string(id));
        save(root, t);
    }

    void adjacency_insert(node_id from, node_id to, std::uint32_t type, edge_id id) {
        touched_adj_.push_back(from * 2);
        touched_adj_.push_back(to * 2 + 1);
        auto t = this->adjacency();
        chunk_insert(t, from, 0, adj_entry{type, to, id});
        chunk_insert(t, to, 1, adj_entry{type, from, id});
        save(graph_detail::root_adj, t);
    }
    void adjacency_erase(node_id from, node_id to, std::uint32_t type, edge_id id) {
        touched_adj_.push_back(from * 2);
        touched_adj_.push_back(to * 2 + 1);
        auto t = this->adjacency();
        const bool a = chunk_erase(t, from, 0, adj_entry{type, to, id});
        const bool b = chunk_erase(t, to, 1, adj_entry{type, from, id});
        save(graph_detail::root_adj, t);
        if (!a || !b) fail(errc::corruption, "edge " + std::to_string(id) + " was missing from the adjacency tree");
    }

    // Loads the chunk of (n, d) that holds or would hold e: the last chunk
    // whose first entry is <= e, else the run's first chunk. Returns its
    // key, or nullopt when (n, d) has no chunk (or none <= e when
    // floor_only).
    std::optional<adj_key> load_chunk(adj_tree_w& t, node_id n, std::uint8_t d, const adj_entry& e, bool floor_only,
                                      std::vector<adj_entry>& entries) {
        const adj_key k{n, d, e.type, e.neighbour, e.edge};
        entries.clear();
        {
            auto c = t.upper_bound(k);
            c.prev();
            if (c.valid() && base::same_run(c.key(), n, d)) {
                const adj_key at = c.key();
                adjacency_codec::decode(base::first_entry(at), c.value(), entries);
                return at;
            }
        }
        if (floor_only) return std::nullopt;
        auto c = t.lower_bound(k);
        if (c.valid() && base::same_run(c.key(), n, d)) {
            const adj_key at = c.key();
            adjacency_codec::decode(base::first_entry(at), c.value(), entries);
            return at;
        }
        return std::nullopt;
    }

    // Replaces the chunk stored under old_key by sorted entries: erased when
    // empty, re-keyed when its first entry changed, split in two when over
    // chunk_limit. One bounded chunk per call, whatever the node's degree.
    static void store_chunk(adj_tree_w& t, node_id n, std::uint8_t d, const adj_key& old_key,
                            const std::vector<adj_entry>& entries) {
        if (entries.empty()) {
            t.erase(old_key);
            return;
        }
        const std::size_t size = adjacency_codec::encoded_size(entries.data(), entries.size());
        const std::size_t split = size > chunk_limit ? entries.size() / 2 : entries.size();
        const adj_key first{n, d, entries[0].type, entries[0].neighbour, entries[0].edge};
        const std::string value = adjacency_codec::encode(entries.data(), split);
        if (first == old_key) {
            t.upsert(first, value);
        } else {
            t.erase(old_key);
            t.insert(first, value);
        }
        if (split < entries.size()) {
            const adj_entry& s = entries[split];
            t.insert(adj_key{n, d, s.type, s.neighbour, s.edge},
                     adjacency_codec::encode(entries.data() + split, entries.size() - split));
        }
    }

    void chunk_insert(adj_tree_w& t, node_id n, std::uint8_t d, const adj_entry& e) {
        auto& entries = chunk_scratch_;
        const auto at = load_chunk(t, n, d, e, false, entries);
        if (!at) {
            t.insert(adj_key{n, d, e.type, e.neighbour, e.edge}, adjacency_codec::encode(&e, 1));
            return;
        }
        const auto pos = std::lower_bound(entries.begin(), entries.end(), e);
        if (pos != entries.end() && *pos == e)
            fail(errc::corruption,
                 "adjacency of node " + std::to_string(n) + " already holds edge " + std::to_string(e.edge));
        entries.insert(pos, e);
        store_chunk(t, n, d, *at, entries);
    }

    bool chunk_erase(adj_tree_w& t, node_id n, std::uint8_t d, const adj_entry& e) {
        auto& entries = chunk_scratch_;
        const auto at = load_chunk(t, n, d, e, true, entries);
        if (!at) return false;
        const auto pos = std::lower_bound(entries.begin(), entries.end(), e);
        if (pos == entries.end() || *pos != e) return false;
        entries.erase(pos);
        store_chunk(t, n, d, *at, entries);
        return true;
    }

    void erase_edge_unchecked(edge_id id) {
        namespace gd = graph_detail;
        auto edges = this->records(gd::root_edges);
        auto v = edges.find(id);
        if (!v) fail(errc::corruption, "edge " + std::to_string(id) + " vanished while being erased");
        const auto f = record_codec::decode_edge(*v);
        adjacency_erase(f.from, f.to, f.type, id);
        edges.erase(id);
        save(gd::root_edges, edges);
        set_weight(id, std::nullopt);
        this->txn_.set_root(gd::root_edge_count, this->edge_count() - 1);
    }

    // The id of an edge type, added to the dictionary when new.
    std::uint32_t type_for_write(std::string_view name) {
        namespace gd = graph_detail;
        if (auto id = this->type_id(name)) return *id;
        const std::uint64_t id = this->txn_.root(gd::root_next_type);
        if (id >= UINT32_MAX) fail(errc::too_large, "too many edge types");
        auto names = this->index(gd::root_tname);
        names.insert(name, id);
        save(gd::root_tname, names);
        auto ids = this->records(gd::root_tid);
        ids.insert(id, name);
        save(gd::root_tid, ids);
        this->txn_.set_root(gd::root_next_type, id + 1);
        return static_cast<std::uint32_t>(id);
    }

    bool poisoned_ = false;
    std::vector<adj_entry> chunk_scratch_;
    std::shared_ptr<const erase_hook_set> erase_hooks_;
    // The store's node cache and pager (null for a transaction made without
    // a store), and the node ids this transaction wrote: commit() erases
    // them from the cache.
    node_cache* commit_cache_ = nullptr;
    node_cache* commit_adj_cache_ = nullptr;
    pager_type* owner_ = nullptr;
    std::vector<node_id> touched_;
    std::vector<std::uint64_t> touched_adj_; // node * 2 + direction
    bool adj_touched_all_ = false;
};

using graph_store = basic_graph_store<>;

} // namespace sqlitegraph

// Members of write_transaction defined in headers of their own.
#include "sqlitegraph/graph/bulk_loader.hpp"
