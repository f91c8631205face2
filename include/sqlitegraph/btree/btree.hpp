// sqlitegraph/btree/btree.hpp — the B+Tree engine: lookups, cursors, range
// scans, insert with split, erase with borrow/merge, upsert, bulk load.
//
// basic_btree<Txn, Params> runs over any transaction: with a page_reader it
// offers the read operations, with a page_writer the writes as well, so one
// tree type serves snapshot readers and the writer alike. The tree object is
// cheap (a root id and scratch buffers); make one per transaction. Its root
// page can change on a split of the root or when the root empties; the owner
// persists root() after writing.
//
// Structure (docs/btree_format.md):
//  - all entries live in leaves; internal pages hold separators and child
//    ids; leaves are doubly linked in key order;
//  - child j of an internal page holds keys in [sep j-1, sep j]; the bound
//    is inclusive on both sides so that duplicate keys may straddle a split;
//  - lookups descend by lower_bound over separators (the leftmost leaf that
//    may hold the key) and step to the next leaf when the key sorts after
//    the whole leaf.
// Invariants kept by every write (verify() checks them; see params.hpp):
//  1. non-root pages stay at or above their fill limit: an erase that drops
//     a page below a third merges it with a sibling when both fit in one
//     page, and otherwise moves cells over from the sibling;
//  2. an internal root has at least one separator; a root left with none is
//     replaced by its only child (the tree shrinks);
//  3. a split shares the bytes of a page evenly, except when appending at
//     either end of a page, where the new page gets only a third so that
//     sequential loads leave pages two thirds full;
//  4. keys over max_key_size and values over max_value_size are refused with
//     errc::too_large before any page is written.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sqlitegraph/btree/cursor.hpp"
#include "sqlitegraph/btree/node_access.hpp"
#include "sqlitegraph/btree/overflow.hpp"
#include "sqlitegraph/btree/params.hpp"
#include "sqlitegraph/btree/verify.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/pager/page_access.hpp"

namespace sqlitegraph {

template <page_reader Txn, class Params>
class basic_btree {
    using ops = btree_detail::node_ops<Params>;
    using leaf_layout = typename Params::leaf_layout;
    using internal_layout = typename Params::internal_layout;
    using leaf_cell = typename Params::leaf_cell;
    using internal_cell = typename Params::internal_cell;
    using key_codec = typename Params::key_codec;
    using value_codec = typename Params::value_codec;

public:
    using params = Params;
    using key_type = typename Params::key_type;
    using value_type = typename Params::value_type;
    // What find() returns: the value itself, or an owning string for byte values.
    using value_result = std::conditional_t<Params::fixed_values, value_type, std::string>;
    using cursor = btree_cursor<Txn, Params>;

    // Opens the tree whose root is `root`.
    basic_btree(Txn& txn, page_id root) : txn_(txn), root_(root) {
        if (txn.page_size() != Params::page_size)
            fail(errc::format_mismatch, "b+tree built for " + std::to_string(Params::page_size) + "-byte pages opened with " +
                                            std::to_string(txn.page_size()) + "-byte pages");
        if (root == null_page) fail(errc::invalid_argument, "b+tree root page id is 0");
        cell_buf_.resize(Params::max_cell_size + 16);
        sep_buf_.resize(Params::max_cell_size + 16);
    }

    // Creates an empty tree (one empty leaf) and returns it.
    static basic_btree create(Txn& txn)
        requires page_writer<Txn>
    {
        if (txn.page_size() != Params::page_size)
            fail(errc::format_mismatch, "b+tree built for " + std::to_string(Params::page_size) + "-byte pages, transaction has " +
                                            std::to_string(txn.page_size()));
        page_id id;
        {
            auto h = txn.allocate(page_type::btree_leaf);
            id = h.id();
            leaf_layout::init(h.data(), 0);
        }
        return basic_btree(txn, id);
    }

    [[nodiscard]] page_id root() const noexcept { return root_; }

    // ---- reads -------------------------------------------------------------

    [[nodiscard]] std::optional<value_result> find(const key_type& k) {
        if (!key_fits(k)) return std::nullopt;
        return seek_leaf<false>(k, [&](const std::byte* p, page_id leaf, std::size_t pos) -> std::optional<value_result> {
            if (pos < leaf_layout::count(p)) {
                const cell_ref c = leaf_layout::cell(p, pos, leaf);
                if (btree_detail::key_equal<key_codec>(leaf_cell::key(c), k)) return read_value(c);
                return std::nullopt;
            }
            // k sorts after the whole leaf; it can only be the next leaf's first key.
            const page_id next = btree_detail::node_link1(p);
            if (next == null_page) return std::nullopt;
            auto nh = txn_.read(next);
            const std::byte* np = nh.data();
            ops::check_node(np, next, 0);
            if (leaf_layout::count(np) == 0) btree_corrupt(next, "empty leaf in the leaf chain");
            const cell_ref c = leaf_layout::cell(np, 0, next);
            if (btree_detail::key_equal<key_codec>(leaf_cell::key(c), k)) return read_value(c);
            return std::nullopt;
        });
    }

    [[nodiscard]] bool contains(const key_type& k) { return find(k).has_value(); }

    // First entry with key >= k (or the end position).
    [[nodiscard]] cursor lower_bound(const key_type& k) {
        auto [leaf, pos] = seek<false>(k);
        return cursor(txn_, leaf, pos);
    }
    // First entry with key > k.
    [[nodiscard]] cursor upper_bound(const key_type& k) {
        auto [leaf, pos] = seek<true>(k);
        return cursor(txn_, leaf, pos);
    }
    [[nodiscard]] cursor begin() { return cursor(txn_, edge_leaf(false), 0); }
    // The end position: not valid, but prev() reaches the last entry.
    [[nodiscard]] cursor end() {
        const page_id leaf = edge_leaf(true);
        std::size_t n;
        {
            auto h = txn_.read(leaf);
            n = leaf_layout::count(h.data());
        }
        return cursor(txn_, leaf, n);
    }
    // The last entry (invalid when the tree is empty).
    [[nodiscard]] cursor last() {
        cursor c = end();
        c.prev();
        return c;
    }

    // Calls fn(key, value) for keys in [lo, hi) in ascending order; fn may
    // return false to stop.
    template <class Fn>
    void scan(const key_type& lo, const key_type& hi, Fn&& fn) {
        for (cursor c = lower_bound(lo); c.valid(); c.next()) {
            const bool whole_leaf = c.for_each_in_leaf([&](const key_type& k, typename cursor::value_view v) {
                return btree_detail::key_less<key_codec>(k, hi) && call(fn, k, std::move(v));
            });
            if (!whole_leaf) break;
        }
    }
    // Keys in [lo, hi) in descending order.
    template <class Fn>
    void scan_reverse(const key_type& lo, const key_type& hi, Fn&& fn) {
        cursor c = lower_bound(hi);
        for (c.prev(); c.valid(); c.prev()) {
            const key_type k = c.key();
            if (btree_detail::key_less<key_codec>(k, lo)) break;
            if (!call(fn, k, c.value())) break;
        }
    }
    // Every key that starts with prefix, ascending (byte-string keys).
    template <class Fn>
    void scan_prefix(std::string_view prefix, Fn&& fn)
        requires byte_string_codec<key_codec>
    {
        for (cursor c = lower_bound(prefix); c.valid(); c.next()) {
            const bool whole_leaf = c.for_each_in_leaf([&](const key_type& k, typename cursor::value_view v) {
                return k.substr(0, prefix.size()) == prefix && call(fn, k, std::move(v));
            });
            if (!whole_leaf) break;
        }
    }

    // Number of entries with keys in [lo, hi): whole leaves are counted from
    // their headers, only the two ends are searched.
    [[nodiscard]] std::uint64_t count(const key_type& lo, const key_type& hi) {
        if (!btree_detail::key_less<key_codec>(lo, hi)) return 0;
        auto [leaf, pos] = seek<false>(lo);
        std::uint64_t total = 0;
        page_id from = null_page;
        const page_id start = leaf;
        while (leaf != null_page) {
            auto h = txn_.read(leaf);
            const std::byte* p = h.data();
            ops::check_node(p, leaf, 0);
            // Back links make the walk injective unless it returns to its start.
            if (from != null_page && (btree_detail::node_link0(p) != from || leaf == start))
                btree_corrupt(leaf, "previous-leaf link does not name page " + std::to_string(from) + " or the chain loops");
            const std::size_t n = leaf_layout::count(p);
            if (n > 0 && btree_detail::key_less<key_codec>(ops::leaf_key(p, n - 1, leaf), hi)) {
                total += n - std::min(pos, n);
                from = leaf;
                leaf = btree_detail::node_link1(p);
                pos = 0;
                continue;
            }
            const std::size_t e = ops::template leaf_search<false>(p, hi, leaf);
            if (e > pos) total += e - pos;
            break;
        }
        return total;
    }

    // Number of entries (walks the leaf chain).
    [[nodiscard]] std::uint64_t size() {
        std::uint64_t total = 0;
        page_id from = null_page;
        for (page_id leaf = edge_leaf(false); leaf != null_page;) {
            auto h = txn_.read(leaf);
            const std::byte* p = h.data();
            ops::check_node(p, leaf, 0);
            if (btree_detail::node_link0(p) != from) btree_corrupt(leaf, "previous-leaf link does not name page " + std::to_string(from));
            total += leaf_layout::count(p);
            from = leaf;
            leaf = btree_detail::node_link1(p);
        }
        return total;
    }

    [[nodiscard]] bool empty() {
        auto h = txn_.read(edge_leaf(false));
        return leaf_layout::count(h.data()) == 0;
    }

    // Up to parts - 1 ascending keys that cut the tree into about `parts`
    // key ranges over similar numbers of leaves, for splitting a whole-tree
    // scan between threads: evenly spaced separators of the highest internal
    // level that has at least 4 * parts children (the leaves' parents at
    // most). Reads only the pages above that level. The ranges are as even
    // as the tree's fill (pages are between a third and all full); a tree of
    // one leaf gives none.
    [[nodiscard]] std::vector<btree_detail::owned_key_t<key_codec>> split_keys(std::size_t parts) {
        std::vector<btree_detail::owned_key_t<key_codec>> keys;
        if (parts < 2) return keys;
        std::vector<page_id> level{root_};
        int expected = ops::any_level;
        for (std::size_t steps = 0; steps <= btree_format::max_height; ++steps) {
            std::vector<btree_detail::owned_key_t<key_codec>> separators;
            std::vector<page_id> children;
            unsigned lvl = 0;
            for (const page_id id : level) {
                auto h = txn_.read(id);
                const std::byte* p = h.data();
                lvl = ops::check_node(p, id, expected);
                if (lvl == 0) return keys; // the root is the only leaf
                const std::size_t n = internal_layout::count(p);
                for (std::size_t j = 0; j <= n; ++j) {
                    if (j > 0) separators.push_back(ops::own(ops::internal_key(p, j - 1, id)));
                    children.push_back(ops::child(p, j, id));
                }
            }
            if (lvl == 1 || children.size() >= 4 * parts) {
                for (std::size_t i = 1; i < parts && !separators.empty(); ++i) {
                    auto& k = separators[i * separators.size() / parts];
                    if (keys.empty() || btree_detail::key_less<key_codec>(keys.back(), k)) keys.push_back(k);
                }
                return keys;
            }
            level = std::move(children);
            expected = static_cast<int>(lvl) - 1;
        }
        btree_corrupt(root_, "the tree is deeper than the maximum height");
    }

    // Checks every invariant (verify.hpp); throws errc::corruption.
    btree_verify_report verify(bool unique_keys = false) { return verify_btree<Params>(txn_, root_, unique_keys); }

    // ---- writes ------------------------------------------------------------

    // Inserts unless an entry with an equal key exists; returns whether it did.
    bool insert(const key_type& k, const value_type& v)
        requires page_writer<Txn>
    {
        check_sizes(k, v);
        if (locate(k)) return false;
        insert_at_leaf(make_leaf_cell(k, v));
        return true;
    }

    // Inserts after any entries with an equal key (multimap semantics).
    void insert_multi(const key_type& k, const value_type& v)
        requires page_writer<Txn>
    {
        check_sizes(k, v);
        descend_path<true>(k);
        insert_at_leaf(make_leaf_cell(k, v));
    }

    // Replaces the value of the first entry equal to k, or inserts; returns
    // true when it inserted.
    bool upsert(const key_type& k, const value_type& v)
        requires page_writer<Txn>
    {
        check_sizes(k, v);
        if (!locate(k)) {
            insert_at_leaf(make_leaf_cell(k, v));
            return true;
        }
        const auto [leaf, pos] = path_[depth_ - 1];
        if constexpr (Params::fixed_values) {
            auto h = txn_.write(leaf);
            std::byte* p = h.data();
            const cell_ref c = leaf_layout::cell(p, pos, leaf);
            value_codec::encode(v, leaf_cell::fixed_value_ptr(p + (c.data - p)));
        } else {
            free_value_at(leaf, pos);
            const cell_ref c = make_leaf_cell(k, v);
            bool fitted;
            bool underfull;
            {
                auto h = txn_.write(leaf);
                std::byte* p = h.data();
                leaf_layout::erase(p, pos, leaf);
                fitted = leaf_layout::try_insert(p, pos, c, leaf);
                underfull = leaf_layout::used(p) < Params::leaf_rebalance_below;
            }
            if (!fitted) split_insert<true>(depth_ - 1, pos, c);
            else if (underfull && depth_ > 1) rebalance(depth_ - 1);
        }
        return false;
    }

    // Erases the first entry equal to k; returns whether there was one.
    bool erase(const key_type& k)
        requires page_writer<Txn>
    {
        if (!key_fits(k)) return false;
        if (!locate(k)) return false;
        erase_located();
        return true;
    }

    // Erases every entry equal to k; returns how many.
    std::size_t erase_all(const key_type& k)
        requires page_writer<Txn>
    {
        std::size_t n = 0;
        while (erase(k)) ++n;
        return n;
    }

    // Fills an empty tree from entries sorted by key (pairs of key and value),
    // packing each page to fill_factor (0.5 to 1.0) of its capacity. Throws
    // invalid_argument when the tree is not empty or the input is out of
    // order (or has duplicates while allow_duplicates is false).
    template <std::ranges::input_range R>
    void bulk_load(R&& entries, double fill_factor = 1.0, bool allow_duplicates = false)
        requires page_writer<Txn>
    {
        if (!(fill_factor >= 0.5 && fill_factor <= 1.0)) fail(errc::invalid_argument, "bulk_load fill factor must be in [0.5, 1.0]");
        if (!empty()) fail(errc::invalid_argument, "bulk_load needs an empty tree");
        bulk_loader loader(*this, fill_factor, allow_duplicates);
        for (auto&& e : entries) {
            const auto& [k, v] = e;
            loader.add(key_type(k), value_type(v));
        }
        loader.finish();
    }

    // Releases every page of the tree (the tree object is unusable after).
    void destroy()
        requires page_writer<Txn>
    {
        const auto report = verify();
        for (page_id id : report.pages) txn_.release(id);
        root_ = null_page;
    }

private:
    struct level_pos {
        page_id id;
        std::size_t index; // child taken (internal) or entry position (leaf)
    };

    // ---- helpers shared by reads and writes ----------------------------------

    template <class Fn, class V>
    static bool call(Fn& fn, const key_type& k, V&& v) {
        if constexpr (std::is_void_v<std::invoke_result_t<Fn&, const key_type&, V>>) {
            std::invoke(fn, k, std::forward<V>(v));
            return true;
        } else {
            return static_cast<bool>(std::invoke(fn, k, std::forward<V>(v)));
        }
    }

    static bool key_fits(const key_type& k) noexcept {
        if constexpr (byte_string_codec<key_codec>) return k.size() <= Params::max_key_size;
        else {
            (void)k;
            return true;
        }
    }

    static void check_sizes(const key_type& k, const value_type& v) {
        if (!key_fits(k)) {
            if constexpr (byte_string_codec<key_codec>)
                fail(errc::too_large, "b+tree key of " + std::to_string(k.size()) + " bytes exceeds the limit of " +
                                          std::to_string(Params::max_key_size) + " for " + std::to_string(Params::page_size) + "-byte pages");
        }
        if constexpr (!Params::fixed_values) {
            if (v.size() > Params::max_value_size)
                fail(errc::too_large, "b+tree value of " + std::to_string(v.size()) + " bytes exceeds the limit of " + std::to_string(Params::max_value_size));
        } else {
            (void)v;
        }
    }

    value_result read_value(cell_ref c) {
        if constexpr (Params::fixed_values) {
            return leaf_cell::fixed_value(c);
        } else {
            const auto loc = leaf_cell::location(c);
            if (!loc.overflow) return std::string(loc.inline_bytes);
            std::string out;
            btree_overflow::read_chain(txn_, loc.first, loc.length, out);
            return out;
        }
    }

    // Descends to the leaf for k without recording a path and calls
    // at_leaf(page, id, position) while the leaf is pinned.
    //
    // In a read transaction the snapshot never changes, so the internal
    // pages met on the way stay pinned in pinned_ (up to max_pinned) and are
    // searched without asking the pager again; they were checked when
    // pinned. The leaves found under a pinned level-1 page are kept too, by
    // child position ("swizzled": the child pointer becomes a pinned image),
    // so a repeated lookup touches only the pages themselves, never the page
    // cache's map or lock: that map probe and the lock were most of a warm
    // lookup's cost. Every page kept is taken from take_pin()'s budget (the
    // pager's, shared by all trees and readers: half its cache), so pinning
    // costs no memory beyond the cache and leaves it pages to evict. A write
    // transaction re-reads every page, since its pages move under
    // copy-on-write.
    template <bool Upper, class Fn>
    decltype(auto) seek_leaf(const key_type& k, Fn&& at_leaf) {
        page_id id = root_;
        int level = ops::any_level;
        for (std::size_t steps = 0;; ++steps) {
            if (steps > btree_format::max_height) btree_corrupt(id, "the tree is deeper than the maximum height");
            if constexpr (snapshot_reader) {
                if (auto it = pinned_.find(id); it != pinned_.end()) {
                    pinned_node& node = it->second;
                    const std::byte* p = node.page.data();
                    const unsigned lvl = btree_detail::node_level(p);
                    if (level >= 0 && lvl != static_cast<unsigned>(level))
                        btree_corrupt(id, "level " + std::to_string(lvl) + " where " + std::to_string(level) + " was expected");
                    if (lvl == 1) prefetch_kept_leaves(node, k);
                    const std::size_t j = ops::template internal_search<Upper>(p, k, id, node.hint);
                    const page_id child = ops::child(p, j, id);
                    if (lvl == 1) {
                        if (j < node.leaves.size() && node.leaves[j].data != nullptr) {
                            const kept_leaf& kept = node.leaves[j];
                            return at_leaf(kept.data, child, ops::template leaf_search<Upper>(kept.data, k, child, kept.hint));
                        }
                        auto h = txn_.read(child);
                        const std::byte* leaf = h.data();
                        ops::check_node(leaf, child, 0);
                        const auto hint = ops::leaf_hint(leaf, child);
                        if (take_pin(kept_leaves_, default_leaf_budget)) {
                            if (node.leaves.empty()) node.leaves.resize(internal_layout::count(p) + 1);
                            node.leaves[j] = {leaf, hint};
                            kept_pins_.push_back(std::move(h)); // `leaf` stays valid: the image is shared
                            ++kept_leaves_;
                        }
                        return at_leaf(leaf, child, ops::template leaf_search<Upper>(leaf, k, child, hint));
                    }
                    id = child;
                    level = static_cast<int>(lvl) - 1;
                    continue;
                }
            }
            auto h = txn_.read(id);
            const std::byte* p = h.data();
            const unsigned lvl = ops::check_node(p, id, level);
            if (lvl == 0) return at_leaf(p, id, ops::template leaf_search<Upper>(p, k, id));
            const auto hint = ops::internal_hint(p, id);
            const page_id next = ops::child(p, ops::template internal_search<Upper>(p, k, id, hint), id);
            if constexpr (snapshot_reader) {
                if (pinned_.size() < max_pinned && take_pin(pinned_.size(), max_pinned))
                    pinned_.emplace(id, pinned_node{std::move(h), hint, {}});
            }
            id = next;
            level = static_cast<int>(lvl) - 1;
        }
    }

    // A pinned level-1 page's entry for the child a key descends to is the
    // next load after the page's own cells: fetching the entries around the
    // interpolation's estimate now overlaps the two cache misses.
    void prefetch_kept_leaves(const auto& node, const key_type& k) const {
        if (node.leaves.empty()) return;
        const std::size_t guess = ops::template estimate<internal_layout>(node.hint, k);
        if (guess == ops::no_estimate) return;
        const std::size_t lo = guess == 0 ? 0 : guess - 1;
        const std::size_t hi = std::min(node.leaves.size(), guess + 3);
        for (std::size_t i = lo; i < hi; ++i) __builtin_prefetch(&node.leaves[i]);
    }

    // May one more page stay pinned? A transaction with a shared pin budget
    // (pager::read_txn::reserve_pin) decides for all its trees and readers;
    // any other keeps at most `bound` pages of the kind per tree.
    bool take_pin(std::size_t held, std::size_t bound) {
        if constexpr (requires { txn_.reserve_pin(); }) {
            return pins_.take(txn_);
        } else {
            return held < bound;
        }
    }

    template <bool Upper>
    std::pair<page_id, std::size_t> seek(const key_type& k) {
        return seek_leaf<Upper>(k, [](const std::byte*, page_id leaf, std::size_t pos) { return std::pair{leaf, pos}; });
    }

    page_id edge_leaf(bool rightmost) {
        page_id id = root_;
        int level = ops::any_level;
        for (;;) {
            auto h = txn_.read(id);
            const std::byte* p = h.data();
            const unsigned lvl = ops::check_node(p, id, level);
            if (lvl == 0) return id;
            id = ops::child(p, rightmost ? internal_layout::count(p) : 0, id);
            level = static_cast<int>(lvl) - 1;
        }
    }

    // ---- write path ------------------------------------------------------------

    // Records the root-to-leaf path for k in path_[0, depth_).
    template <bool Upper>
    void descend_path(const key_type& k) {
        depth_ = 0;
        page_id id = root_;
        int level = ops::any_level;
        for (;;) {
            auto h = txn_.read(id);
            const std::byte* p = h.data();
            const unsigned lvl = ops::check_node(p, id, level);
            if (lvl == 0) {
                path_[depth_++] = {id, ops::template leaf_search<Upper>(p, k, id)};
                return;
            }
            const std::size_t j = ops::template internal_search<Upper>(p, k, id);
            path_[depth_++] = {id, j};
            id = ops::child(p, j, id);
            level = static_cast<int>(lvl) - 1;
        }
    }

    // Leaves path_ at the first entry equal to k and returns true, or at the
    // place where k belongs (in the leftmost leaf it may go to) and returns false.
    bool locate(const key_type& k) {
        descend_path<false>(k);
        const auto [leaf, pos] = path_[depth_ - 1];
        page_id next;
        {
            auto h = txn_.read(leaf);
            const std::byte* p = h.data();
            const std::size_t n = leaf_layout::count(p);
            if (pos < n) return btree_detail::key_equal<key_codec>(ops::leaf_key(p, pos, leaf), k);
            next = btree_detail::node_link1(p);
        }
        if (next == null_page) return false;
        {
            auto h = txn_.read(next);
            const std::byte* p = h.data();
            ops::check_node(p, next, 0);
            if (leaf_layout::count(p) == 0) btree_corrupt(next, "empty leaf in the leaf chain");
            if (!btree_detail::key_equal<key_codec>(ops::leaf_key(p, 0, next), k)) return false;
        }
        if (!path_next_leaf() || path_[depth_ - 1].id != next) btree_corrupt(next, "leaf chain disagrees with the tree structure");
        return true;
    }

    // Moves path_ to the first entry of the next leaf in key order.
    bool path_next_leaf() {
        for (std::size_t d = depth_ - 1; d-- > 0;) {
            page_id c;
            {
                auto h = txn_.read(path_[d].id);
                const std::byte* p = h.data();
                if (path_[d].index >= internal_layout::count(p)) continue;
                ++path_[d].index;
                c = ops::child(p, path_[d].index, path_[d].id);
            }
            for (std::size_t e = d + 1; e < depth_; ++e) {
                path_[e] = {c, 0};
                if (e + 1 < depth_) {
                    auto h = txn_.read(c);
                    ops::check_node(h.data(), c, static_cast<int>(depth_ - 1 - e));
                    c = ops::child(h.data(), 0, c);
                }
            }
            return true;
        }
        return false;
    }

    cell_ref make_leaf_cell(const key_type& k, const value_type& v) {
        std::byte* out = cell_buf_.data();
        if constexpr (Params::fixed_values) {
            return {out, leaf_cell::encode(k, v, out)};
        } else {
            if (leaf_cell::inline_size(k, v.size()) <= Params::max_cell_size) return {out, leaf_cell::encode(k, v, out)};
            const page_id first = btree_overflow::write_chain(txn_, v);
            return {out, leaf_cell::encode_overflow(k, v.size(), first, out)};
        }
    }

    void free_value_at(page_id leaf, std::size_t pos) {
        if constexpr (!Params::fixed_values) {
            btree_detail::value_location loc;
            {
                auto h = txn_.read(leaf);
                loc = leaf_cell::location(leaf_layout::cell(h.data(), pos, leaf));
            }
            if (loc.overflow) btree_overflow::free_chain(txn_, loc.first, loc.length);
        } else {
            (void)leaf;
            (void)pos;
        }
    }

    void insert_at_leaf(cell_ref c) {
        const auto [leaf, pos] = path_[depth_ - 1];
        {
            auto h = txn_.write(leaf);
            if (leaf_layout::try_insert(h.data(), pos, c, leaf)) return;
        }
        split_insert<true>(depth_ - 1, pos, c);
    }

    void erase_located() {
        const auto [leaf, pos] = path_[depth_ - 1];
        free_value_at(leaf, pos);
        bool underfull;
        {
            auto h = txn_.write(leaf);
            leaf_layout::erase(h.data(), pos, leaf);
            underfull = leaf_layout::used(h.data()) < Params::leaf_rebalance_below;
        }
        if (underfull && depth_ > 1) rebalance(depth_ - 1);
    }

    // Copies the cells of page p into the arena (so the page may be rebuilt)
    // and checks that they fit the page they came from.
    template <class Layout>
    void collect(const std::byte* p, page_id id, std::size_t from, std::size_t to) {
        std::size_t total = 0;
        for (std::size_t i = from; i < to; ++i) {
            const cell_ref c = Layout::cell(p, i, id);
            add_cell(c);
            total += Layout::cost(c.size);
        }
        if (total > Layout::capacity) btree_corrupt(id, "cells add up to more than the page holds");
    }
    void add_cell(cell_ref c) {
        spans_.emplace_back(arena_.size(), c.size);
        arena_.insert(arena_.end(), c.data, c.data + c.size);
    }
    void reset_arena() {
        arena_.clear();
        spans_.clear();
    }
    const std::vector<cell_ref>& arena_refs() {
        refs_.clear();
        for (const auto& [off, size] : spans_) refs_.push_back({arena_.data() + off, size});
        return refs_;
    }

    // Every rebuild goes through here: on a damaged page the cells collected
    // may not fit their share, and that must be an error, not an overrun.
    template <class Layout>
    static void build_checked(std::byte* p, std::span<const cell_ref> cells, page_id id) {
        std::size_t total = 0;
        for (const auto& c : cells) total += Layout::cost(c.size);
        if (total > Layout::capacity || cells.size() > Layout::max_cells) btree_corrupt(id, "cells do not fit the page being rebuilt");
        Layout::build(p, cells);
    }

    // Leaf split point m (left = cells[0, m)): even by bytes, or biased when
    // appending at an end (invariant 3), never below the rebalance limit.
    template <class Layout>
    static std::size_t choose_split(const std::vector<cell_ref>& cells, std::size_t insert_pos, std::size_t min_side) {
        const std::size_t n = cells.size();
        std::vector<std::size_t> prefix(n + 1, 0);
        for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + Layout::cost(cells[i].size);
        const std::size_t total = prefix[n];
        auto ok = [&](std::size_t m) {
            return m >= 1 && m < n && prefix[m] >= min_side && total - prefix[m] >= min_side && prefix[m] <= Layout::capacity &&
                   total - prefix[m] <= Layout::capacity;
        };
        if (insert_pos + 1 == n) { // appended at the end: keep the left page full
            for (std::size_t m = n - 1; m >= 1; --m) {
                if (ok(m)) return m;
                if (total - prefix[m] >= min_side) break;
            }
        } else if (insert_pos == 0) {
            for (std::size_t m = 1; m < n; ++m) {
                if (ok(m)) return m;
                if (prefix[m] >= min_side) break;
            }
        }
        std::size_t best = 1;
        std::size_t best_diff = ~std::size_t{0};
        for (std::size_t m = 1; m < n; ++m) {
            const std::size_t l = prefix[m], r = total - prefix[m];
            const std::size_t diff = l > r ? l - r : r - l;
            if (diff < best_diff) {
                best_diff = diff;
                best = m;
            }
        }
        return best;
    }

    // Internal pivot p: cells[p] moves up; left = [0, p), right = (p, n).
    static std::size_t choose_pivot(const std::vector<cell_ref>& cells, std::size_t insert_pos, std::size_t min_side) {
        using Layout = internal_layout;
        const std::size_t n = cells.size();
        std::vector<std::size_t> prefix(n + 1, 0);
        for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + Layout::cost(cells[i].size);
        const std::size_t total = prefix[n];
        auto sides = [&](std::size_t p) { return std::pair{prefix[p], total - prefix[p + 1]}; };
        auto ok = [&](std::size_t p) {
            const auto [l, r] = sides(p);
            return p >= 1 && p + 1 < n && l >= min_side && r >= min_side && l <= Layout::capacity && r <= Layout::capacity;
        };
        if (insert_pos + 1 == n) {
            for (std::size_t p = n - 2; p >= 1; --p) {
                if (ok(p)) return p;
                if (sides(p).second >= min_side) break;
            }
        } else if (insert_pos == 0) {
            for (std::size_t p = 1; p + 1 < n; ++p) {
                if (ok(p)) return p;
                if (sides(p).first >= min_side) break;
            }
        }
        std::size_t best = 1;
        std::size_t best_diff = ~std::size_t{0};
        for (std::size_t p = 1; p + 1 < n; ++p) {
            const auto [l, r] = sides(p);
            const std::size_t diff = l > r ? l - r : r - l;
            if (diff < best_diff) {
                best_diff = diff;
                best = p;
            }
        }
        return best;
    }

    // Node path_[d] cannot take cell c at pos: split it and push a separator
    // into the parent, splitting upwards as needed.
    template <bool Leaf>
    void split_insert(std::size_t d, std::size_t pos, cell_ref c) {
        using Layout = std::conditional_t<Leaf, leaf_layout, internal_layout>;
        const page_id id = path_[d].id;
        page_id right_id;
        cell_ref sep;
        std::uint8_t level;
        {
            auto h = txn_.write(id);
            std::byte* p = h.data();
            level = btree_detail::node_level(p);
            const std::size_t n = Layout::count(p);
            if (pos > n) btree_corrupt(id, "insert position past the end");
            reset_arena();
            collect<Layout>(p, id, 0, pos);
            add_cell(c);
            collect<Layout>(p, id, pos, n);
            const auto& cells = arena_refs();
            if (cells.size() < (Leaf ? 2u : 3u)) btree_corrupt(id, "a split found too few cells");

            auto rh = txn_.allocate(Leaf ? page_type::btree_leaf : page_type::btree_internal);
            right_id = rh.id();
            std::byte* rp = rh.data();
            Layout::init(rp, level);
            std::size_t key_len;
            const std::byte* key_bytes;
            if constexpr (Leaf) {
                const std::size_t m = choose_split<Layout>(cells, pos, Params::leaf_rebalance_below);
                const page_id old_next = btree_detail::node_link1(p);
                btree_detail::set_link0(rp, id);
                btree_detail::set_link1(rp, old_next);
                btree_detail::set_link1(p, right_id);
                if (old_next != null_page) {
                    auto nh = txn_.write(old_next);
                    ops::check_node(nh.data(), old_next, 0);
                    btree_detail::set_link0(nh.data(), right_id);
                }
                build_checked<Layout>(p, std::span(cells).first(m), id);
                build_checked<Layout>(rp, std::span(cells).subspan(m), right_id);
                key_bytes = cells[m].data;
                key_len = leaf_cell::key_size(cells[m]);
            } else {
                const std::size_t pv = choose_pivot(cells, pos, Params::internal_rebalance_below);
                btree_detail::set_link0(rp, internal_cell::child(cells[pv]));
                build_checked<Layout>(p, std::span(cells).first(pv), id);
                build_checked<Layout>(rp, std::span(cells).subspan(pv + 1), right_id);
                key_bytes = cells[pv].data;
                key_len = internal_cell::key_size(cells[pv]);
            }
            // A key longer than any insert allows can only come from a corrupt
            // page, and would overrun the separator buffer.
            if (key_len + 4 > sep_buf_.size())
                btree_corrupt(id, "a cell's key of " + std::to_string(key_len) + " bytes is longer than any key the tree accepts");
            sep = {sep_buf_.data(), internal_cell::encode_raw(key_bytes, key_len, right_id, sep_buf_.data())};
        }
        if (d == 0) {
            auto nh = txn_.allocate(page_type::btree_internal);
            std::byte* np = nh.data();
            internal_layout::init(np, static_cast<std::uint8_t>(level + 1));
            btree_detail::set_link0(np, id);
            internal_layout::try_insert(np, 0, sep, nh.id());
            root_ = nh.id();
            return;
        }
        const auto [parent, index] = path_[d - 1];
        {
            auto ph = txn_.write(parent);
            if (internal_layout::try_insert(ph.data(), index, sep, parent)) return;
        }
        split_insert<false>(d - 1, index, sep);
    }

    void rebalance(std::size_t d) {
        if (d + 1 == depth_) rebalance_level<true>(d);
        else rebalance_level<false>(d);
    }

    // path_[d] (d > 0) fell below a third: merge it with a sibling when
    // both fit in one page, else even the two out.
    template <bool Leaf>
    void rebalance_level(std::size_t d) {
        using Layout = std::conditional_t<Leaf, leaf_layout, internal_layout>;
        const auto [parent, j] = path_[d - 1];
        page_id left, right;
        std::size_t sep_index;
        reset_arena();
        {
            auto ph = txn_.read(parent);
            const std::byte* pp = ph.data();
            const std::size_t np = internal_layout::count(pp);
            if (np == 0) btree_corrupt(parent, "internal node without separators");
            if (j < np) {
                left = path_[d].id;
                right = ops::child(pp, j + 1, parent);
                sep_index = j;
            } else {
                left = ops::child(pp, j - 1, parent);
                right = path_[d].id;
                sep_index = j - 1;
            }
            if (!Leaf) { // the separator comes down between the two halves
                const cell_ref s = internal_layout::cell(pp, sep_index, parent);
                sep_key_.assign(s.data, s.data + internal_cell::key_size(s));
            }
        }
        const int level = Leaf ? 0 : static_cast<int>(depth_ - 1 - d);
        // Optional so that both pins can be dropped before pages are released.
        std::optional<decltype(txn_.write(left))> lh, rh;
        lh.emplace(txn_.write(left));
        rh.emplace(txn_.write(right));
        std::byte* lp = lh->data();
        std::byte* rp = rh->data();
        ops::check_node(lp, left, level);
        ops::check_node(rp, right, level);
        collect<Layout>(lp, left, 0, Layout::count(lp));
        if constexpr (!Leaf) {
            std::byte* out = sep_buf_.data();
            add_cell({out, internal_cell::encode_raw(sep_key_.data(), sep_key_.size(), btree_detail::node_link0(rp), out)});
        }
        collect<Layout>(rp, right, 0, Layout::count(rp));
        const auto& cells = arena_refs();
        std::size_t total = 0;
        for (const auto& c : cells) total += Layout::cost(c.size);

        if (total <= Layout::capacity) {
            Layout::build(lp, cells);
            if constexpr (Leaf) {
                const page_id next = btree_detail::node_link1(rp);
                btree_detail::set_link1(lp, next);
                if (next != null_page) {
                    auto nh = txn_.write(next);
                    ops::check_node(nh.data(), next, 0);
                    btree_detail::set_link0(nh.data(), left);
                }
            }
            lh.reset();
            rh.reset();
            txn_.release(right);
            bool parent_underfull;
            std::size_t parent_count;
            {
                auto ph = txn_.write(parent);
                internal_layout::erase(ph.data(), sep_index, parent);
                parent_count = internal_layout::count(ph.data());
                parent_underfull = internal_layout::used(ph.data()) < Params::internal_rebalance_below;
            }
            if (d - 1 == 0) {
                if (parent_count == 0) { // invariant 2: the root shrinks
                    root_ = left;
                    txn_.release(parent);
                }
            } else if (parent_underfull) {
                rebalance(d - 1);
            }
            return;
        }

        const std::byte* key_bytes;
        std::size_t key_len;
        if constexpr (Leaf) {
            const std::size_t m = choose_split<Layout>(cells, cells.size() / 2, Params::leaf_rebalance_below);
            build_checked<Layout>(lp, std::span(cells).first(m), left);
            build_checked<Layout>(rp, std::span(cells).subspan(m), right);
            key_bytes = cells[m].data;
            key_len = leaf_cell::key_size(cells[m]);
        } else {
            const std::size_t pv = choose_pivot(cells, cells.size() / 2, Params::internal_rebalance_below);
            build_checked<Layout>(lp, std::span(cells).first(pv), left);
            btree_detail::set_link0(rp, internal_cell::child(cells[pv]));
            build_checked<Layout>(rp, std::span(cells).subspan(pv + 1), right);
            key_bytes = cells[pv].data;
            key_len = internal_cell::key_size(cells[pv]);
        }
        const cell_ref sep = {sep_buf_.data(), internal_cell::encode_raw(key_bytes, key_len, right, sep_buf_.data())};
        lh.reset();
        rh.reset();
        bool fitted;
        bool parent_underfull;
        {
            auto ph = txn_.write(parent);
            internal_layout::erase(ph.data(), sep_index, parent);
            fitted = internal_layout::try_insert(ph.data(), sep_index, sep, parent);
            parent_underfull = internal_layout::used(ph.data()) < Params::internal_rebalance_below;
        }
        // A longer separator may not fit where the old one was.
        if (!fitted) split_insert<false>(d - 1, sep_index, sep);
        else if (parent_underfull && d - 1 > 0) rebalance(d - 1);
    }

    // ---- bulk load -----------------------------------------------------------

    class bulk_loader {
    public:
        bulk_loader(basic_btree& tree, double fill, bool dups) : t_(tree), dups_(dups) {
            leaf_target_ = std::max<std::size_t>(static_cast<std::size_t>(fill * static_cast<double>(leaf_layout::capacity)), Params::leaf_rebalance_below);
            internal_target_ =
                std::max<std::size_t>(static_cast<std::size_t>(fill * static_cast<double>(internal_layout::capacity)), Params::internal_rebalance_below);
            t_.reset_arena();
        }

        void add(const key_type& k, const value_type& v) {
            check_sizes(k, v);
            if (have_prev_) {
                const key_type prev = key_type(prev_);
                if (btree_detail::key_less<key_codec>(k, prev) || (!dups_ && !btree_detail::key_less<key_codec>(prev, k)))
                    fail(errc::invalid_argument, dups_ ? "bulk_load input is not sorted by key" : "bulk_load input is not strictly increasing (unsorted or duplicate key)");
            }
            prev_ = btree_detail::owned_key_t<key_codec>(k);
            have_prev_ = true;
            const cell_ref c = t_.make_leaf_cell(k, v);
            const std::size_t cost = leaf_layout::cost(c.size);
            if (used_ + cost > leaf_layout::capacity) flush();
            t_.add_cell(c);
            used_ += cost;
            if (used_ >= leaf_target_) flush();
        }

        void finish() {
            if (!t_.spans_.empty() || leaves_.empty()) flush();
            fix_last_leaf();
            build_internal_levels();
        }

    private:
        // Writes the buffered cells as the next leaf.
        void flush() {
            const auto& cells = t_.arena_refs();
            page_id id;
            if (leaves_.empty()) {
                id = t_.root_; // the empty root leaf becomes the first leaf
            } else {
                auto h = t_.txn_.allocate(page_type::btree_leaf);
                id = h.id();
                leaf_layout::init(h.data(), 0);
            }
            {
                auto h = t_.txn_.write(id);
                leaf_layout::build(h.data(), cells);
                btree_detail::set_link0(h.data(), leaves_.empty() ? null_page : leaves_.back().second);
                btree_detail::set_link1(h.data(), null_page);
            }
            if (!leaves_.empty()) {
                auto h = t_.txn_.write(leaves_.back().second);
                btree_detail::set_link1(h.data(), id);
            }
            leaves_.emplace_back(cells.empty() ? std::string() : key_part(cells[0], true), id);
            // Every leaf but the last two is final now (fix_last_leaf may
            // change those two): the transaction may write it out early.
            if (leaves_.size() > 2) spill(leaves_[leaves_.size() - 3].second);
            t_.reset_arena();
            used_ = 0;
        }

        // write_txn::spill where the transaction has it (the pager's does).
        void spill(page_id id) {
            if constexpr (requires { t_.txn_.spill(id); }) t_.txn_.spill(id);
        }

        static std::string key_part(cell_ref c, bool leaf) {
            const std::size_t n = leaf ? leaf_cell::key_size(c) : internal_cell::key_size(c);
            return std::string(reinterpret_cast<const char*>(c.data), n);
        }

        // The last leaf may be short: merge it into or even it with the one before.
        void fix_last_leaf() {
            if (leaves_.size() < 2) return;
            const page_id a = leaves_[leaves_.size() - 2].second;
            const page_id b = leaves_.back().second;
            auto ah = t_.txn_.write(a);
            std::optional<decltype(t_.txn_.write(b))> bh;
            bh.emplace(t_.txn_.write(b));
            if (leaf_layout::used(bh->data()) >= Params::leaf_min_fill) return;
            t_.reset_arena();
            t_.template collect<leaf_layout>(ah.data(), a, 0, leaf_layout::count(ah.data()));
            t_.template collect<leaf_layout>(bh->data(), b, 0, leaf_layout::count(bh->data()));
            const auto& cells = t_.arena_refs();
            std::size_t total = 0;
            for (const auto& c : cells) total += leaf_layout::cost(c.size);
            if (total <= leaf_layout::capacity) {
                leaf_layout::build(ah.data(), cells);
                btree_detail::set_link1(ah.data(), null_page);
                bh.reset();
                t_.txn_.release(b);
                leaves_.pop_back();
            } else {
                const std::size_t m = choose_split<leaf_layout>(cells, cells.size() / 2, Params::leaf_rebalance_below);
                leaf_layout::build(ah.data(), std::span(cells).first(m));
                leaf_layout::build(bh->data(), std::span(cells).subspan(m));
                leaves_.back().first = key_part(cells[m], true);
            }
            t_.reset_arena();
        }

        // Entries are (first key part, page) per node of the level below.
        void build_internal_levels() {
            std::vector<std::pair<std::string, page_id>> level = std::move(leaves_);
            std::uint8_t height = 1;
            while (level.size() > 1) {
                // Group boundaries: group g covers entries [starts[g], starts[g+1]).
                std::vector<std::size_t> starts{0};
                std::size_t used = 0;
                for (std::size_t i = 1; i < level.size(); ++i) {
                    const std::size_t cost = internal_layout::cost(level[i].first.size() + 4);
                    if (used >= internal_target_ || used + cost > internal_layout::capacity) {
                        starts.push_back(i);
                        used = 0;
                        continue; // entry i is the new group's leftmost child
                    }
                    used += cost;
                }
                starts.push_back(level.size());
                fix_last_group(level, starts);
                std::vector<std::pair<std::string, page_id>> next;
                for (std::size_t g = 0; g + 1 < starts.size(); ++g) {
                    auto h = t_.txn_.allocate(page_type::btree_internal);
                    const page_id id = h.id();
                    std::byte* p = h.data();
                    internal_layout::init(p, height);
                    btree_detail::set_link0(p, level[starts[g]].second);
                    t_.reset_arena();
                    std::vector<std::byte> buf(Params::max_cell_size + 16);
                    for (std::size_t i = starts[g] + 1; i < starts[g + 1]; ++i) {
                        const std::size_t n = internal_cell::encode_raw(reinterpret_cast<const std::byte*>(level[i].first.data()),
                                                                        level[i].first.size(), level[i].second, buf.data());
                        t_.add_cell({buf.data(), n});
                    }
                    internal_layout::build(p, t_.arena_refs());
                    next.emplace_back(std::move(level[starts[g]].first), id);
                    spill(id); // an internal page is built whole
                }
                t_.reset_arena();
                level = std::move(next);
                ++height;
            }
            t_.root_ = level.front().second;
        }

        void fix_last_group(const std::vector<std::pair<std::string, page_id>>& level, std::vector<std::size_t>& starts) {
            if (starts.size() < 3) return;
            const std::size_t a = starts[starts.size() - 3], b = starts[starts.size() - 2], e = starts.back();
            auto cost = [&](std::size_t i) { return internal_layout::cost(level[i].first.size() + 4); };
            std::size_t last = 0;
            for (std::size_t i = b + 1; i < e; ++i) last += cost(i);
            if (last >= Params::internal_min_fill && e - b >= 2) return;
            std::size_t total = 0;
            for (std::size_t i = a + 1; i < e; ++i) total += cost(i);
            if (total <= internal_layout::capacity) {
                starts.erase(starts.end() - 2);
                return;
            }
            // Even out: entry p becomes the second group's leftmost child.
            std::size_t best = b, best_diff = ~std::size_t{0}, left = 0;
            for (std::size_t p = a + 1; p < e; ++p) {
                const std::size_t right = total - left - cost(p);
                const std::size_t diff = left > right ? left - right : right - left;
                if (p > a + 1 && p + 1 < e && diff < best_diff) {
                    best_diff = diff;
                    best = p;
                }
                left += cost(p);
            }
            starts[starts.size() - 2] = best;
        }

        basic_btree& t_;
        bool dups_;
        std::size_t leaf_target_;
        std::size_t internal_target_;
        std::size_t used_ = 0;
        bool have_prev_ = false;
        btree_detail::owned_key_t<key_codec> prev_{};
        std::vector<std::pair<std::string, page_id>> leaves_;
    };

    static constexpr bool snapshot_reader = !page_writer<Txn>;
    static constexpr std::size_t max_pinned = 4096;
    static constexpr std::size_t default_leaf_budget = 1024;
    using read_handle = decltype(std::declval<Txn&>().read(page_id{}));

    Txn& txn_;
    page_id root_;
    // A pinned internal page and, for a level-1 page, the leaves met under it
    // by child position (null where not met yet; the handles that pin them
    // are in kept_pins_, off the lookup path). Each keeps its search hint,
    // so a lookup goes straight to the cells it compares.
    struct kept_leaf {
        const std::byte* data = nullptr;
        [[no_unique_address]] typename ops::template hint_t<leaf_layout> hint{};
    };
    struct pinned_node {
        read_handle page;
        [[no_unique_address]] typename ops::template hint_t<internal_layout> hint{};
        std::vector<kept_leaf> leaves;
    };
    // Pages taken from the transaction's pin budget, given back when the
    // tree goes (declared before the pins, so released after them).
    struct pin_reservation {
        Txn* txn = nullptr;
        std::size_t pages = 0;
        pin_reservation() = default;
        pin_reservation(pin_reservation&& o) noexcept : txn(std::exchange(o.txn, nullptr)), pages(std::exchange(o.pages, 0)) {}
        pin_reservation& operator=(pin_reservation&&) = delete;
        ~pin_reservation() {
            if constexpr (requires(Txn& t) { t.release_pins(std::size_t{}); }) {
                if (txn != nullptr) txn->release_pins(pages);
            }
        }
        bool take(Txn& t) {
            if (!t.reserve_pin()) return false;
            txn = &t;
            ++pages;
            return true;
        }
    };
    pin_reservation pins_;
    std::unordered_map<page_id, pinned_node> pinned_; // read transactions only
    std::size_t kept_leaves_ = 0;
    std::vector<read_handle> kept_pins_;
    std::array<level_pos, btree_format::max_height> path_{};
    std::size_t depth_ = 0;
    std::vector<std::byte> cell_buf_;
    std::vector<std::byte> sep_buf_;
    std::vector<std::byte> sep_key_;
    std::vector<std::byte> arena_;
    std::vector<std::pair<std::size_t, std::size_t>> spans_;
    std::vector<cell_ref> refs_;
};

} // namespace sqlitegraph
