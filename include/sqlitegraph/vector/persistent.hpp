// sqlitegraph/vector/persistent.hpp — HNSW indexes stored in database pages.
//
// Owns: persistent_hnsw<Txn>, a named HNSW index opened inside one pager
// transaction, and the index's meta page (docs/vector.md, "Pages").
//
//   auto txn = db.begin_write();
//   auto index = persistent_hnsw<decltype(txn)>::open_or_create(txn, params);
//   index.insert(17, vec);
//   txn.commit();                       // or rollback(): the insert never happened
//
//   auto snap = db.begin_read();
//   auto view = persistent_hnsw<decltype(snap)>::open(snap, "docs");
//   auto hits = view.search(query, 10); // the snapshot's index
//
// The named root "vec:<name>" of the superblock holds the meta page id. Open
// reads the meta page, the two directories and one pass over the blocks (to
// rebuild the key map and free-slot list: no distance is computed, nothing
// is relinked), so an index is never rebuilt.
//
// Semantics are those of basic_hnsw_index (same seed and same inserts: the
// same graph, ids and distances), with two differences: insert_batch builds
// on one thread, and a handle belongs to its transaction (it must not be used
// after commit or rollback; open a new one in the next transaction).
//
// Errors: refused input (wrong dimension, NaN, duplicate key, unknown key)
// throws before anything changes; the handle stays usable. Any other failure
// in a mutation (an I/O or corruption error from the pager) leaves pages
// half-changed: the handle then refuses everything and the transaction must
// be rolled back.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/pager/page_format.hpp"
#include "sqlitegraph/vector/hnsw.hpp"
#include "sqlitegraph/vector/page_storage.hpp"
#include "sqlitegraph/vector/params.hpp"

namespace sqlitegraph::vector {

// Meta page byte offsets (from the start of the page; the pager owns the
// first page_header_size bytes).
namespace meta_layout {
inline constexpr std::size_t magic = page_header_size + 0;            // 8  "SGVECTOR"
inline constexpr std::size_t version = page_header_size + 8;          // 4
inline constexpr std::size_t page_size = page_header_size + 12;        // 4  page size the index was built with
inline constexpr std::size_t dim = page_header_size + 16;              // 4
inline constexpr std::size_t metric = page_header_size + 20;           // 1  (+3 zero)
inline constexpr std::size_t m = page_header_size + 24;                // 4
inline constexpr std::size_t block_size = page_header_size + 28;       // 4  check: make_layout(dim, m).block_size
inline constexpr std::size_t ef_construction = page_header_size + 32;  // 8
inline constexpr std::size_t ef_search = page_header_size + 40;        // 8
inline constexpr std::size_t level_multiplier = page_header_size + 48; // 8  double
inline constexpr std::size_t seed = page_header_size + 56;             // 8
inline constexpr std::size_t brute_force_limit = page_header_size + 64;        // 8
inline constexpr std::size_t brute_force_selectivity = page_header_size + 72;  // 8 double
inline constexpr std::size_t max_tombstone_fraction = page_header_size + 80;   // 8 double
inline constexpr std::size_t rng_state = page_header_size + 88;       // 8
inline constexpr std::size_t slot_count = page_header_size + 96;      // 4
inline constexpr std::size_t entry = page_header_size + 100;           // 4  0xFFFFFFFF: none
inline constexpr std::size_t max_level = page_header_size + 104;       // 4  int32, -1: empty
inline constexpr std::size_t live = page_header_size + 108;            // 4
inline constexpr std::size_t tombstones = page_header_size + 112;      // 4
inline constexpr std::size_t block_pages = page_header_size + 116;     // 4
inline constexpr std::size_t block_directory = page_header_size + 120; // 4
inline constexpr std::size_t upper_pages = page_header_size + 124;     // 4
inline constexpr std::size_t upper_directory = page_header_size + 128; // 4
inline constexpr std::size_t upper_end = page_header_size + 136;       // 8
inline constexpr std::size_t name_length = page_header_size + 144;     // 2
inline constexpr std::size_t name = page_header_size + 146;            // name_length bytes
inline constexpr std::uint32_t current_version = 1;
inline constexpr char magic_bytes[8] = {'S', 'G', 'V', 'E', 'C', 'T', 'O', 'R'};
} // namespace meta_layout

inline constexpr std::string_view vector_root_prefix = "vec:";

template <class Txn>
class persistent_hnsw {
public:
    using storage_type = page_storage<Txn>;
    using index_type = basic_hnsw_index<storage_type>;
    static constexpr bool writable = storage_type::writable;

    // The superblock root naming an index's meta page. Names are 1 to 19
    // bytes (the superblock's root names are at most 23).
    static std::string root_name(std::string_view name) {
        if (name.empty() || name.size() + vector_root_prefix.size() >= 24 || name.find('\0') != std::string_view::npos)
            fail(errc::invalid_argument, "vector index name '" + std::string(name) + "' must be 1 to " +
                                             std::to_string(23 - vector_root_prefix.size()) + " bytes without NUL");
        return std::string(vector_root_prefix) + std::string(name);
    }

    static bool exists(Txn& txn, std::string_view name) { return txn.root(root_name(name)) != 0; }

    // Creates an empty index; invalid_argument if the name is taken or the
    // parameters are refused by check_params.
    static persistent_hnsw create(Txn& txn, hnsw_params params) {
        static_assert(writable, "creating a vector index needs a write transaction");
        check_params(params);
        const std::string root = root_name(params.name);
        if (txn.root(root) != 0) fail(errc::invalid_argument, "vector index '" + params.name + "' already exists");
        auto meta = txn.allocate(page_type::meta);
        persistent_hnsw index(txn, meta.id(), std::move(params), page_storage_root{});
        index.save();
        txn.set_root(root, meta.id());
        return index;
    }

    // Opens an existing index; not_found when there is none of that name.
    static persistent_hnsw open(Txn& txn, std::string_view name) {
        const std::uint64_t at = txn.root(root_name(name));
        if (at == 0) fail(errc::not_found, "no vector index named '" + std::string(name) + "'");
        if (at >= txn.page_count())
            fail(errc::corruption, "vector index '" + std::string(name) + "': meta page " + std::to_string(at) +
                                       " is beyond the database");
        const page_id meta_id = static_cast<page_id>(at);
        auto meta = txn.read(meta_id);
        const std::byte* p = meta.data();
        const std::string who = "vector index '" + std::string(name) + "': meta page " + std::to_string(meta_id);
        if (meta.type() != page_type::meta || std::memcmp(p + meta_layout::magic, meta_layout::magic_bytes, 8) != 0)
            fail(errc::corruption, who + " is not a vector index meta page");
        if (load_le<std::uint32_t>(p + meta_layout::version) != meta_layout::current_version)
            fail(errc::unsupported, who + " has format version " +
                                        std::to_string(load_le<std::uint32_t>(p + meta_layout::version)));
        if (load_le<std::uint32_t>(p + meta_layout::page_size) != Txn::page_size())
            fail(errc::format_mismatch, who + " was written with another page size");
        hnsw_params params;
        const auto name_length = load_le<std::uint16_t>(p + meta_layout::name_length);
        if (meta_layout::name + name_length > Txn::page_size()) fail(errc::corruption, who + ": name length");
        params.name.assign(reinterpret_cast<const char*>(p + meta_layout::name), name_length);
        if (params.name != name) fail(errc::corruption, who + " names index '" + params.name + "'");
        params.dim = load_le<std::uint32_t>(p + meta_layout::dim);
        const auto raw_metric = static_cast<std::uint8_t>(p[meta_layout::metric]);
        if (raw_metric > static_cast<std::uint8_t>(metric::manhattan)) fail(errc::corruption, who + ": unknown metric");
        params.metric = static_cast<vector::metric>(raw_metric);
        params.m = load_le<std::uint32_t>(p + meta_layout::m);
        params.ef_construction = load_le<std::uint64_t>(p + meta_layout::ef_construction);
        params.ef_search = load_le<std::uint64_t>(p + meta_layout::ef_search);
        params.level_multiplier = std::bit_cast<double>(load_le<std::uint64_t>(p + meta_layout::level_multiplier));
        params.seed = load_le<std::uint64_t>(p + meta_layout::seed);
        params.brute_force_limit = load_le<std::uint64_t>(p + meta_layout::brute_force_limit);
        params.brute_force_selectivity =
            std::bit_cast<double>(load_le<std::uint64_t>(p + meta_layout::brute_force_selectivity));
        params.max_tombstone_fraction =
            std::bit_cast<double>(load_le<std::uint64_t>(p + meta_layout::max_tombstone_fraction));
        try {
            check_params(params);
        } catch (const error& e) {
            fail(errc::corruption, who + ": stored parameters refused: " + e.what());
        }
        if (load_le<std::uint32_t>(p + meta_layout::block_size) != make_layout(params.dim, params.m).block_size)
            fail(errc::corruption, who + ": block size disagrees with dimension and M");
        page_storage_root root;
        root.block_pages = load_le<std::uint32_t>(p + meta_layout::block_pages);
        root.block_directory = load_le<std::uint32_t>(p + meta_layout::block_directory);
        root.upper_pages = load_le<std::uint32_t>(p + meta_layout::upper_pages);
        root.upper_directory = load_le<std::uint32_t>(p + meta_layout::upper_directory);
        root.upper_end = load_le<std::uint64_t>(p + meta_layout::upper_end);
        typename index_type::saved_state st;
        st.rng_state = load_le<std::uint64_t>(p + meta_layout::rng_state);
        st.slot_count = load_le<std::uint32_t>(p + meta_layout::slot_count);
        st.entry = load_le<std::uint32_t>(p + meta_layout::entry);
        st.max_level = static_cast<std::int32_t>(load_le<std::uint32_t>(p + meta_layout::max_level));
        st.live = load_le<std::uint32_t>(p + meta_layout::live);
        st.tombstones = load_le<std::uint32_t>(p + meta_layout::tombstones);
        persistent_hnsw index(txn, meta_id, std::move(params), root);
        index.index_->restore_state(st);
        return index;
    }

    // Opens the index named params.name, creating it when it does not exist.
    // An existing index keeps its stored parameters.
    static persistent_hnsw open_or_create(Txn& txn, hnsw_params params) {
        if (exists(txn, params.name)) return open(txn, params.name);
        return create(txn, std::move(params));
    }

    persistent_hnsw(persistent_hnsw&&) noexcept = default;
    persistent_hnsw& operator=(persistent_hnsw&&) noexcept = default;

    // ---- mutations (write transactions) ----------------------------------------

    void insert(std::uint64_t key, std::span<const float> values) {
        mutate([&] { index_->insert(key, values); });
    }

    // Checked as a whole before anything changes; built on one thread.
    void insert_batch(std::span<const std::uint64_t> keys, std::span<const float> vectors) {
        mutate([&] { index_->insert_batch(keys, vectors, 1); });
    }

    void remove(std::uint64_t key) {
        mutate([&] { index_->remove(key); });
    }

    void consolidate() {
        mutate([&] { index_->consolidate(); });
    }

    // ---- queries ------------------------------------------------------------------

    std::vector<search_hit> search(std::span<const float> query, std::size_t k, std::size_t ef = 0) const {
        return ready().search(query, k, ef);
    }
    template <class KeyPredicate>
    std::vector<search_hit> search_if(std::span<const float> query, std::size_t k, KeyPredicate&& keep,
                                      std::size_t ef = 0) const {
        return ready().search_if(query, k, std::forward<KeyPredicate>(keep), ef);
    }
    std::vector<search_hit> search_among(std::span<const float> query, std::size_t k,
                                         std::span<const std::uint64_t> keys, std::size_t ef = 0) const {
        return ready().search_among(query, k, keys, ef);
    }
    std::vector<search_hit> exact_search(std::span<const float> query, std::size_t k) const {
        return ready().exact_search(query, k);
    }
    std::vector<float> get(std::uint64_t key) const { return ready().get(key); }
    bool contains(std::uint64_t key) const { return ready().contains(key); }
    std::size_t size() const { return ready().size(); }
    std::size_t tombstones() const { return ready().tombstones(); }
    const hnsw_params& params() const noexcept { return index_->params(); }
    const element_layout& layout() const noexcept { return index_->layout(); }
    const index_type& index() const { return ready(); }
    page_id meta_page() const noexcept { return meta_; }
    // True after a mutation failed part-way (see the header comment): the
    // transaction holds half-changed pages and must be rolled back.
    bool failed() const noexcept { return broken_; }

    // The in-memory invariants (basic_hnsw_index::verify) over the pages.
    void verify() const { ready().verify(); }

    // Every page the index owns: meta page, directories, element pages (for
    // the pager's check() and leak accounting).
    std::vector<page_id> pages() const {
        std::vector<page_id> all{meta_};
        const auto rest = ready().storage().pages();
        all.insert(all.end(), rest.begin(), rest.end());
        return all;
    }

private:
    persistent_hnsw(Txn& txn, page_id meta, hnsw_params params, const page_storage_root& root)
        : txn_(&txn), meta_(meta), index_(std::make_unique<index_type>(std::move(params), std::in_place, txn, root)) {}

    const index_type& ready() const {
        if (broken_)
            fail(errc::failed_state, "vector index '" + index_->name() +
                                         "': an earlier failure left this transaction's pages half-changed; roll it back");
        if constexpr (writable) {
            if (!txn_->active())
                fail(errc::invalid_argument, "vector index '" + index_->name() + "': its transaction has ended");
        }
        return *index_;
    }

    template <class F>
    void mutate(F&& f) {
        static_assert(writable, "changing a vector index needs a write transaction");
        ready();
        const std::uint64_t before = index_->storage().changes();
        try {
            f();
            save();
        } catch (...) {
            // A refused call throws before its first change; anything later
            // leaves pages and memory out of step.
            if (index_->storage().changes() != before) broken_ = true;
            throw;
        }
    }

    void save() {
        const page_storage_root root = index_->mutable_storage().flush();
        const auto st = index_->save_state();
        const hnsw_params& params = index_->params();
        auto meta = txn_->write(meta_);
        std::byte* p = meta.data();
        std::memset(p + page_header_size, 0, Txn::page_size() - page_header_size);
        std::memcpy(p + meta_layout::magic, meta_layout::magic_bytes, 8);
        store_le<std::uint32_t>(p + meta_layout::version, meta_layout::current_version);
        store_le<std::uint32_t>(p + meta_layout::page_size, static_cast<std::uint32_t>(Txn::page_size()));
        store_le<std::uint32_t>(p + meta_layout::dim, static_cast<std::uint32_t>(params.dim));
        p[meta_layout::metric] = static_cast<std::byte>(params.metric);
        store_le<std::uint32_t>(p + meta_layout::m, static_cast<std::uint32_t>(params.m));
        store_le<std::uint32_t>(p + meta_layout::block_size, static_cast<std::uint32_t>(index_->layout().block_size));
        store_le<std::uint64_t>(p + meta_layout::ef_construction, params.ef_construction);
        store_le<std::uint64_t>(p + meta_layout::ef_search, params.ef_search);
        store_le<std::uint64_t>(p + meta_layout::level_multiplier, std::bit_cast<std::uint64_t>(params.level_multiplier));
        store_le<std::uint64_t>(p + meta_layout::seed, params.seed);
        store_le<std::uint64_t>(p + meta_layout::brute_force_limit, params.brute_force_limit);
        store_le<std::uint64_t>(p + meta_layout::brute_force_selectivity,
                                std::bit_cast<std::uint64_t>(params.brute_force_selectivity));
        store_le<std::uint64_t>(p + meta_layout::max_tombstone_fraction,
                                std::bit_cast<std::uint64_t>(params.max_tombstone_fraction));
        store_le<std::uint64_t>(p + meta_layout::rng_state, st.rng_state);
        store_le<std::uint32_t>(p + meta_layout::slot_count, st.slot_count);
        store_le<std::uint32_t>(p + meta_layout::entry, st.entry);
        store_le<std::uint32_t>(p + meta_layout::max_level, static_cast<std::uint32_t>(st.max_level));
        store_le<std::uint32_t>(p + meta_layout::live, st.live);
        store_le<std::uint32_t>(p + meta_layout::tombstones, st.tombstones);
        store_le<std::uint32_t>(p + meta_layout::block_pages, root.block_pages);
        store_le<std::uint32_t>(p + meta_layout::block_directory, root.block_directory);
        store_le<std::uint32_t>(p + meta_layout::upper_pages, root.upper_pages);
        store_le<std::uint32_t>(p + meta_layout::upper_directory, root.upper_directory);
        store_le<std::uint64_t>(p + meta_layout::upper_end, root.upper_end);
        store_le<std::uint16_t>(p + meta_layout::name_length, static_cast<std::uint16_t>(params.name.size()));
        std::memcpy(p + meta_layout::name, params.name.data(), params.name.size());
    }

    Txn* txn_;
    page_id meta_;
    std::unique_ptr<index_type> index_;
    bool broken_ = false;
};

} // namespace sqlitegraph::vector
