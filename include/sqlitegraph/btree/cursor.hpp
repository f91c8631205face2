// sqlitegraph/btree/cursor.hpp — a position in the leaf level of a B+Tree.
//
// A cursor pins the page image of its current leaf (through the
// transaction's read handle), so in a read transaction it keeps seeing the
// snapshot however long it lives. It moves along the leaf chain with next()
// and prev().
//
// States:
//   valid        leaf != 0 and pos < count: key() and value() may be called
//   end          leaf = the last leaf, pos == count: prev() reaches the last entry
//   before-begin leaf == 0: stays invalid
// Invariants:
//  1. Any change to the tree through a write transaction invalidates every
//     cursor on that tree (pages may split, merge or move).
//  2. Moving to a sibling checks that the sibling's back link names the page
//     we came from, so a damaged chain is reported, not followed blindly.
//     With that check, a walk in one direction can only revisit a leaf by
//     returning to the leaf where the walk began; that leaf is remembered,
//     so a cyclic chain is reported as corruption instead of looping.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "sqlitegraph/btree/node_access.hpp"
#include "sqlitegraph/btree/overflow.hpp"
#include "sqlitegraph/pager/page_access.hpp"

namespace sqlitegraph {

template <page_reader Txn, class Params>
class btree_cursor {
    using ops = btree_detail::node_ops<Params>;
    using handle_type = decltype(std::declval<Txn&>().read(page_id{}));

public:
    using key_type = typename Params::key_type;
    // Byte-string values come back as a view into the pinned page, or into a
    // buffer owned by the cursor for overflow values; valid until it moves.
    using value_view = typename Params::value_type;

    btree_cursor() = default;

    [[nodiscard]] bool valid() const noexcept { return leaf_ != null_page && pos_ < count_; }
    [[nodiscard]] page_id leaf() const noexcept { return leaf_; }
    [[nodiscard]] std::size_t position() const noexcept { return pos_; }

    [[nodiscard]] key_type key() const { return ops::leaf_key(data(), pos_, leaf_); }

    [[nodiscard]] value_view value() {
        const cell_ref c = Params::leaf_layout::cell(data(), pos_, leaf_);
        if constexpr (Params::fixed_values) {
            return Params::leaf_cell::fixed_value(c);
        } else {
            const auto loc = Params::leaf_cell::location(c);
            if (!loc.overflow) return loc.inline_bytes;
            btree_overflow::read_chain(*txn_, loc.first, loc.length, buffer_);
            return buffer_;
        }
    }

    // key() and value() together from one parse of the cell, for whole-tree
    // scans where the second bounds-checked cell lookup per entry shows.
    [[nodiscard]] std::pair<key_type, value_view> entry() {
        const cell_ref c = Params::leaf_layout::cell(data(), pos_, leaf_);
        if constexpr (Params::fixed_values) {
            return {Params::leaf_cell::key(c), Params::leaf_cell::fixed_value(c)};
        } else {
            const auto loc = Params::leaf_cell::location(c);
            if (!loc.overflow) return {Params::leaf_cell::key(c), loc.inline_bytes};
            btree_overflow::read_chain(*txn_, loc.first, loc.length, buffer_);
            return {Params::leaf_cell::key(c), buffer_};
        }
    }

    // Calls fn(key, value) for the current leaf's entries from the current
    // position to the leaf's end, in order, without leaving the leaf: a scan
    // calls it once per leaf, then next(). One loop over the leaf's cells
    // instead of entry() and next() per entry: snapshot_csr's weight pass
    // got faster with it (benchmarks/results/probes/
    // 2026-11-23-snapshot-leaf-scan-ab.txt). fn returns false to stop; the
    // cursor is then at that entry. Otherwise the cursor ends at the leaf's
    // last entry, so next() goes on to the following leaf. Returns whether
    // fn saw every entry to the leaf's end; an invalid cursor calls nothing
    // and returns true. Values are views as from value(), valid until fn
    // returns.
    template <class Fn>
    bool for_each_in_leaf(Fn&& fn) {
        if (!valid()) return true;
        const std::byte* page = data();
        for (std::size_t i = pos_; i < count_; ++i) {
            const cell_ref c = Params::leaf_layout::cell(page, i, leaf_);
            bool go;
            if constexpr (Params::fixed_values) {
                go = fn(Params::leaf_cell::key(c), Params::leaf_cell::fixed_value(c));
            } else {
                const auto loc = Params::leaf_cell::location(c);
                if (loc.overflow) {
                    btree_overflow::read_chain(*txn_, loc.first, loc.length, buffer_);
                    go = fn(Params::leaf_cell::key(c), value_view(buffer_));
                } else {
                    go = fn(Params::leaf_cell::key(c), loc.inline_bytes);
                }
            }
            if (!go) {
                pos_ = i;
                return false;
            }
        }
        pos_ = count_ - 1;
        return true;
    }

    // Asks the processor to fetch the whole current leaf page at once: a
    // scan that reads every cell of a leaf otherwise meets its cache misses
    // one after another. A hint only; nothing changes.
    // With a transaction that takes read hints, also the page cache's
    // entry for the next leaf, which next() looks up when this leaf is
    // done: a whole-tree scan otherwise waited for that cache miss at
    // every leaf (benchmarks/results/probes/2026-11-24-scan-prefetch-ab.txt).
    void prefetch_leaf() const {
        if (leaf_ == null_page) return;
        for (std::size_t at = 0; at < Params::page_size; at += 64) __builtin_prefetch(data() + at);
        if constexpr (requires(Txn& t) { t.prefetch(page_id{}); }) {
            if (const page_id to = btree_detail::node_link1(data()); to != null_page) txn_->prefetch(to);
        }
    }

    void next() {
        if (leaf_ == null_page || pos_ >= count_) return;
        if (pos_ + 1 < count_) {
            ++pos_;
            return;
        }
        const page_id from = leaf_;
        const page_id to = btree_detail::node_link1(data());
        if (to == null_page) {
            pos_ = count_;
            return;
        }
        hop(from, to, +1);
        if (btree_detail::node_link0(data()) != from) btree_corrupt(to, "previous-leaf link does not name page " + std::to_string(from));
        if (count_ == 0) btree_corrupt(to, "empty leaf in the leaf chain");
        pos_ = 0;
    }

    void prev() {
        if (leaf_ == null_page) return;
        if (pos_ > 0) {
            pos_ = std::min(pos_, count_) - 1;
            return;
        }
        const page_id from = leaf_;
        const page_id to = btree_detail::node_link0(data());
        if (to == null_page) {
            leaf_ = null_page;
            handle_.reset();
            return;
        }
        hop(from, to, -1);
        if (btree_detail::node_link1(data()) != from) btree_corrupt(to, "next-leaf link does not name page " + std::to_string(from));
        if (count_ == 0) btree_corrupt(to, "empty leaf in the leaf chain");
        pos_ = count_ - 1;
    }

    // Used by the tree to place a cursor.
    btree_cursor(Txn& txn, page_id leaf, std::size_t pos) : txn_(&txn) {
        load(leaf);
        pos_ = pos;
        // A position at the end of a leaf that has a successor is normalised
        // to the successor's first entry, so valid() means "at an entry".
        if (pos_ >= count_ && btree_detail::node_link1(data()) != null_page) {
            pos_ = count_ == 0 ? 0 : count_ - 1;
            if (count_ == 0) {
                const page_id to = btree_detail::node_link1(data());
                load(to);
                pos_ = 0;
            } else {
                next();
            }
        }
    }

private:
    const std::byte* data() const { return handle_->data(); }

    void hop(page_id from, page_id to, int direction) {
        if (direction != run_direction_) {
            run_direction_ = direction;
            run_origin_ = from;
        }
        if (to == run_origin_) btree_corrupt(to, "the leaf chain loops back to this page");
        load(to);
    }

    void load(page_id id) {
        handle_.reset();
        handle_.emplace(txn_->read(id));
        ops::check_node(data(), id, 0);
        leaf_ = id;
        count_ = Params::leaf_layout::count(data());
    }

    Txn* txn_ = nullptr;
    std::optional<handle_type> handle_;
    page_id leaf_ = null_page;
    std::size_t pos_ = 0;
    std::size_t count_ = 0;
    std::string buffer_;
    page_id run_origin_ = null_page;
    int run_direction_ = 0;
};

} // namespace sqlitegraph
