// sqlitegraph/btree/verify.hpp — a full walk of one B+Tree that checks every
// invariant and accounts for every page the tree owns.
//
// verify_btree() checks:
//  1. each page: header type and id, layout header, cell bounds, slotted
//     cell overlap and byte accounting (node_access.hpp, node_layout.hpp);
//  2. key order inside each page (strict when unique keys are expected);
//  3. separators bound their children: every key of child j lies in
//     [key j-1, key j] of the parent (inclusive, because duplicates of a
//     separator may sit on both sides);
//  4. levels: children are one level below their parent, so all leaves are
//     at the same depth;
//  5. fill: every non-root page holds at least its min_fill bytes; an
//     internal root has at least one separator;
//  6. the leaf chain: prev/next links follow the in-order leaf sequence
//     exactly, the first prev and last next are 0, and keys keep their
//     order across leaves;
//  7. overflow chains: right type, lengths, page count (overflow.hpp);
//  8. every page is reached exactly once.
// The first breach throws errc::corruption naming the page. On success the
// report lists every page the tree owns, for the database check() to
// account pages against the free list.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "sqlitegraph/btree/node_access.hpp"
#include "sqlitegraph/btree/overflow.hpp"
#include "sqlitegraph/pager/page_access.hpp"

namespace sqlitegraph {

struct btree_verify_report {
    std::vector<page_id> pages; // sorted: every page the tree owns
    std::uint64_t entries = 0;
    std::size_t height = 0;     // 1 for a lone leaf
    std::size_t leaf_pages = 0;
    std::size_t internal_pages = 0;
    std::size_t overflow_pages = 0;
};

namespace btree_detail {

template <page_reader Txn, class Params>
class verifier {
    using ops = node_ops<Params>;
    using key_codec = typename Params::key_codec;
    using owned_key = owned_key_t<key_codec>;
    using key_type = typename Params::key_type;

public:
    verifier(Txn& txn, bool unique) : txn_(txn), unique_(unique) {}

    btree_verify_report run(page_id root) {
        if (root == null_page) btree_corrupt(root, "the tree has no root page");
        visit(root, ops::any_level, std::nullopt, std::nullopt, true);
        check_leaf_chain();
        std::sort(report_.pages.begin(), report_.pages.end());
        return std::move(report_);
    }

private:
    struct leaf_info {
        page_id id = null_page, prev = null_page, next = null_page;
        bool empty = true;
        owned_key first{}, last{};
    };

    void claim(page_id id) {
        if (id == null_page) btree_corrupt(id, "a link names the null page");
        if (!seen_.insert(id).second) btree_corrupt(id, "page is reached twice");
        report_.pages.push_back(id);
    }

    bool in_order(const key_type& a, const key_type& b) const {
        return unique_ ? key_less<key_codec>(a, b) : !key_less<key_codec>(b, a);
    }

    void visit(page_id id, int level, const std::optional<owned_key>& lo, const std::optional<owned_key>& hi, bool is_root) {
        claim(id);
        std::vector<owned_key> keys;
        std::vector<page_id> children;
        unsigned lvl;
        {
            // The pin is dropped before descending: a walk need not pin a path.
            auto h = txn_.read(id);
            const std::byte* p = h.data();
            lvl = ops::check_node(p, id, level);
            if (is_root) report_.height = lvl + 1;
            if (lvl == 0) {
                verify_leaf(p, id, lo, hi, is_root);
                return;
            }
            read_internal(p, id, lo, hi, is_root, keys, children);
        }
        const std::size_t n = keys.size();
        for (std::size_t j = 0; j <= n; ++j) {
            const std::optional<owned_key> clo = j == 0 ? lo : std::optional<owned_key>(keys[j - 1]);
            const std::optional<owned_key> chi = j == n ? hi : std::optional<owned_key>(keys[j]);
            visit(children[j], static_cast<int>(lvl) - 1, clo, chi, false);
        }
    }

    void read_internal(const std::byte* p, page_id id, const std::optional<owned_key>& lo, const std::optional<owned_key>& hi, bool is_root,
                       std::vector<owned_key>& keys, std::vector<page_id>& children) {
        ++report_.internal_pages;
        using layout = typename Params::internal_layout;
        layout::check_cells(p, id);
        const std::size_t n = layout::count(p);
        if (n == 0) btree_corrupt(id, "internal node without separators");
        if (!is_root && layout::used(p) < Params::internal_min_fill)
            btree_corrupt(id, "internal node holds " + std::to_string(layout::used(p)) + " bytes, below the fill limit " + std::to_string(Params::internal_min_fill));
        keys.reserve(n);
        children.push_back(ops::child(p, 0, id));
        for (std::size_t i = 0; i < n; ++i) {
            const key_type k = ops::internal_key(p, i, id);
            if (lo && key_less<key_codec>(k, *lo)) btree_corrupt(id, "separator " + std::to_string(i) + " is below its lower bound");
            if (hi && key_less<key_codec>(*hi, k)) btree_corrupt(id, "separator " + std::to_string(i) + " is above its upper bound");
            if (i > 0 && key_less<key_codec>(k, keys.back())) btree_corrupt(id, "separators out of order at " + std::to_string(i));
            keys.push_back(ops::own(k));
            children.push_back(ops::child(p, i + 1, id));
        }
    }

    void verify_leaf(const std::byte* p, page_id id, const std::optional<owned_key>& lo, const std::optional<owned_key>& hi, bool is_root) {
        using layout = typename Params::leaf_layout;
        ++report_.leaf_pages;
        layout::check_cells(p, id);
        const std::size_t n = layout::count(p);
        if (!is_root && layout::used(p) < Params::leaf_min_fill)
            btree_corrupt(id, "leaf holds " + std::to_string(layout::used(p)) + " bytes, below the fill limit " + std::to_string(Params::leaf_min_fill));
        leaf_info info;
        info.id = id;
        info.prev = node_link0(p);
        info.next = node_link1(p);
        info.empty = n == 0;
        std::optional<owned_key> prev;
        for (std::size_t i = 0; i < n; ++i) {
            const cell_ref c = layout::cell(p, i, id);
            const key_type k = Params::leaf_cell::key(c);
            if constexpr (!Params::fixed_keys) {
                if (k.size() > Params::max_key_size) btree_corrupt(id, "key " + std::to_string(i) + " is longer than the key limit");
            }
            if (lo && key_less<key_codec>(k, *lo)) btree_corrupt(id, "key " + std::to_string(i) + " is below the separator that bounds the leaf");
            if (hi && key_less<key_codec>(*hi, k)) btree_corrupt(id, "key " + std::to_string(i) + " is above the separator that bounds the leaf");
            if (prev && !in_order(*prev, k)) btree_corrupt(id, "keys out of order at " + std::to_string(i));
            prev = ops::own(k);
            if (i == 0) info.first = ops::own(k);
            if (i + 1 == n) info.last = ops::own(k);
            if constexpr (!Params::fixed_values) {
                const auto loc = Params::leaf_cell::location(c);
                if (loc.overflow) {
                    if (loc.length > Params::max_value_size) btree_corrupt(id, "value " + std::to_string(i) + " is longer than the value limit");
                    if (loc.length == 0) btree_corrupt(id, "empty value stored in an overflow chain");
                    btree_overflow::walk_chain(txn_, loc.first, loc.length, [&](page_id oid, const std::byte*, std::size_t) {
                        claim(oid);
                        ++report_.overflow_pages;
                    });
                }
            }
        }
        report_.entries += n;
        leaves_.push_back(std::move(info));
    }

    void check_leaf_chain() {
        for (std::size_t i = 0; i < leaves_.size(); ++i) {
            const auto& l = leaves_[i];
            const page_id want_prev = i == 0 ? null_page : leaves_[i - 1].id;
            const page_id want_next = i + 1 == leaves_.size() ? null_page : leaves_[i + 1].id;
            if (l.prev != want_prev) btree_corrupt(l.id, "previous-leaf link is " + std::to_string(l.prev) + ", expected " + std::to_string(want_prev));
            if (l.next != want_next) btree_corrupt(l.id, "next-leaf link is " + std::to_string(l.next) + ", expected " + std::to_string(want_next));
            if (leaves_.size() > 1 && l.empty) btree_corrupt(l.id, "empty leaf in a tree with more than one leaf");
            if (i > 0 && !in_order(key_type(leaves_[i - 1].last), key_type(l.first)))
                btree_corrupt(l.id, "first key is out of order with the previous leaf");
        }
    }

    Txn& txn_;
    bool unique_;
    btree_verify_report report_;
    std::unordered_set<page_id> seen_;
    std::vector<leaf_info> leaves_;
};

} // namespace btree_detail

// Walks the tree rooted at root; throws errc::corruption at the first breach.
template <class Params, page_reader Txn>
btree_verify_report verify_btree(Txn& txn, page_id root, bool unique_keys = false) {
    if (txn.page_size() != Params::page_size)
        fail(errc::format_mismatch, "b+tree built for " + std::to_string(Params::page_size) + "-byte pages opened with " + std::to_string(txn.page_size()) + "-byte pages");
    return btree_detail::verifier<Txn, Params>(txn, unique_keys).run(root);
}

} // namespace sqlitegraph
