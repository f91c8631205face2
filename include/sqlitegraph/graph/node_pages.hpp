// sqlitegraph/graph/node_pages.hpp — node records in NodePages.
//
// node_pages<Txn, Codec, PageBytes> keeps (node id -> record) in pages of
// type node_page whose bytes a node_page_codec decides
// (codec/node_page_codec.hpp), with a sparse index: the B+Tree g.nodes maps
// each page's base id to its page id (u64 -> u64). A lookup finds the last
// index entry <= id (one descent), reads one page and searches it.
//
// Stored bytes per record: a tag byte, then
//   0: the record inline (records up to inline_limit bytes);
//   1: u32 first overflow page, u64 record length (btree/overflow.hpp
//      chains), for larger records, so one big record never crowds a page.
// Invariants (verify() checks them):
//  1. every page holds >= 1 record; ids ascending, all >= the page's base,
//     which equals its index key, and below the next page's base;
//  2. every page and overflow chain is reachable from the index exactly once.
// Writes: a change rewrites one page; a page that overflows splits in two
// (an append at the end of the last page starts a new page instead, so
// sequential inserts fill pages completely); an emptied page is released.
#pragma once

#include "sqlitegraph/btree/btree.hpp"
#include "sqlitegraph/btree/overflow.hpp"
#include "sqlitegraph/btree/params.hpp"
#include "sqlitegraph/codec/node_page_codec.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/pager/page_access.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace sqlitegraph {

template <class Txn, node_page_codec Codec, std::size_t PageBytes> class node_pages {
  public:
    using index_params = btree_params<u64_codec, u64_codec, PageBytes>;
    using index_tree = basic_btree<Txn, index_params>;
    static constexpr std::size_t capacity = node_page_detail::capacity(PageBytes);
    // Records longer than this go to an overflow chain (13-byte stub).
    static constexpr std::size_t inline_limit = capacity / 4 - 16;

    node_pages(Txn& txn, page_id index_root) : txn_(txn), index_(txn, index_root) {}

    [[nodiscard]] page_id root() const noexcept { return index_.root(); }
    index_tree& index() noexcept { return index_; }

    // ---- reads ----------------------------------------------------------------

    // The record of id, or nullopt.
    std::optional<std::string> find(std::uint64_t id) {
        const auto at = locate(id);
        if (!at) return std::nullopt;
        auto h = txn_.read(at->second);
        check_page(h.data(), at->second);
        const auto stored = Codec::find(h.data(), PageBytes, id);
        if (!stored) return std::nullopt;
        return resolve(*stored, at->second);
    }

    bool contains(std::uint64_t id) {
        const auto at = locate(id);
        if (!at) return false;
        auto h = txn_.read(at->second);
        check_page(h.data(), at->second);
        return Codec::find(h.data(), PageBytes, id).has_value();
    }

    // The ids of `ascending` (strictly increasing) that have no record, in
    // order. Each page the ids fall in is found and decoded once, where
    // contains() per id would walk a page per id: a bulk load naming 200 K
    // existing nodes spent a fifth of its time in those walks.
    std::vector<std::uint64_t> missing_of(std::span<const std::uint64_t> ascending) {
        std::vector<std::uint64_t> missing;
        std::vector<node_slot> slots;
        std::size_t i = 0;
        while (i < ascending.size()) {
            auto c = index_.upper_bound(ascending[i]);
            const std::uint64_t next_base = c.valid() ? c.key() : UINT64_MAX;
            c.prev();
            if (!c.valid()) { // below every page's base
                missing.push_back(ascending[i++]);
                continue;
            }
            const page_id pg = static_cast<page_id>(c.value());
            auto h = txn_.read(pg);
            check_page(h.data(), pg);
            slots.clear();
            Codec::decode(h.data(), PageBytes, slots);
            std::size_t s = 0;
            for (; i < ascending.size() && ascending[i] < next_base; ++i) {
                while (s < slots.size() && slots[s].id < ascending[i]) ++s;
                if (s == slots.size() || slots[s].id != ascending[i]) missing.push_back(ascending[i]);
            }
        }
        return missing;
    }

    // Calls fn(id, record) for ids in [lo, hi) ascending; fn returns void or
    // false to stop.
    template <class Fn> void scan(std::uint64_t lo, std::uint64_t hi, Fn&& fn) {
        if (lo >= hi) return;
        auto c = index_.upper_bound(lo);
        c.prev();
        if (!c.valid()) c = index_.lower_bound(lo);
        std::vector<node_slot> slots;
        std::string buffer;
        for (; c.valid(); c.next()) {
            if (c.key() >= hi) break;
            const page_id pg = static_cast<page_id>(c.value());
            auto h = txn_.read(pg);
            check_page(h.data(), pg);
            slots.clear();
            Codec::decode(h.data(), PageBytes, slots);
            for (const auto& s : slots) {
                if (s.id < lo) continue;
                if (s.id >= hi) return;
                const std::string_view rec = record_view(s.bytes, pg, buffer);
                if constexpr (std::is_void_v<std::invoke_result_t<Fn&, std::uint64_t, std::string_view>>) {
                    fn(s.id, rec);
                } else {
                    if (!fn(s.id, rec)) return;
                }
            }
        }
    }

    // ---- writes ---------------------------------------------------------------

    // Inserts or replaces the record of id.
    void put(std::uint64_t id, std::string_view record) requires page_writer<Txn> {
        std::string stored = make_stored(record);
        const auto at = locate_for_write(id);
        if (!at) {
            new_page(id, {node_slot{id, stored}});
            return;
        }
        auto [base, pg] = *at;
        std::vector<std::pair<std::uint64_t, std::string>> recs = load(pg);
        auto it =
            std::lower_bound(recs.begin(), recs.end(), id, [](const auto& r, std::uint64_t k) { return r.first < k; });
        const bool append = it == recs.end();
        if (it != recs.end() && it->first == id) {
            free_stored(it->second, pg);
            it->second = std::move(stored);
        } else {
            recs.insert(it, {id, std::move(stored)});
        }
        store(base, pg, recs, append);
    }

    // Erases the record of id; false when there is none.
    bool erase(std::uint64_t id) requires page_writer<Txn> {
        const auto at = locate(id);
        if (!at) return false;
        auto [base, pg] = *at;
        auto recs = load(pg);
        auto it =
            std::lower_bound(recs.begin(), recs.end(), id, [](const auto& r, std::uint64_t k) { return r.first < k; });
        if (it == recs.end() || it->first != id) return false;
        free_stored(it->second, pg);
        recs.erase(it);
        store(base, pg, recs, false);
        return true;
    }

    // Appends records with ids above every stored id, sorted: fills pages
    // completely and adds their index entries (bulk-loading the index when
    // it is empty).
    template <class Range> void append_sorted(Range&& records) requires page_writer<Txn> {
        std::vector<std::pair<std::uint64_t, std::uint64_t>> entries; // (base, page)
        std::vector<std::string> stored;
        std::vector<node_slot> page_recs;
        std::size_t used = 0;
        auto flush = [&] {
            if (page_recs.empty()) return;
            auto h = txn_.allocate(page_type::node_page);
            Codec::encode(page_recs, page_recs.front().id, h.data(), PageBytes);
            entries.emplace_back(page_recs.front().id, h.id());
            page_recs.clear();
            stored.clear();
            used = 0;
        };
        stored.reserve(4096);
        for (const auto& [id, record] : records) {
            if (stored.size() == stored.capacity()) flush(); // keep views into stored valid
            stored.push_back(make_stored(record));
            const node_slot s{id, stored.back()};
            const std::size_t add =
                Codec::encoded_size(std::span<const node_slot>(&s, 1), page_recs.empty() ? id : page_recs.back().id);
            // Codec sizes are additive per record after the first, up to the
            // delta base: recompute exactly when close to full.
            if (!page_recs.empty() && used + add + 16 > capacity) {
                page_recs.push_back(s);
                const std::size_t exact = Codec::encoded_size(page_recs, page_recs.front().id);
                page_recs.pop_back();
                if (exact > capacity) {
                    const std::string keep = std::move(stored.back());
                    stored.pop_back();
                    flush();
                    stored.push_back(keep);
                    page_recs.push_back({id, stored.back()});
                    used = Codec::encoded_size(page_recs, id);
                    continue;
                }
            }
            page_recs.push_back(s);
            used += add;
        }
        flush();
        if (entries.empty()) return;
        if (index_.empty()) {
            index_.bulk_load(entries);
        } else {
            for (const auto& [base, pg] : entries)
                index_.insert(base, pg);
        }
    }

    // ---- checks ---------------------------------------------------------------

    // Checks invariants 1 and 2; adds every page (index, node pages,
    // overflow) to pages; calls fn(id, record) per record in id order.
    template <class Fn> void verify(std::vector<page_id>& pages, Fn&& fn) {
        const auto r = index_.verify(true);
        pages.insert(pages.end(), r.pages.begin(), r.pages.end());
        std::vector<node_slot> slots;
        std::string buffer;
        bool have_prev = false;
        std::uint64_t prev = 0;
        for (auto c = index_.begin(); c.valid(); c.next()) {
            const std::uint64_t base = c.key();
            const page_id pg = static_cast<page_id>(c.value());
            pages.push_back(pg);
            auto h = txn_.read(pg);
            check_page(h.data(), pg);
            if (node_page_detail::load64(h.data() + node_page_detail::base_offset) != base)
                node_page_detail::corrupt(h.data(), "base id differs from its index key " + std::to_string(base));
            slots.clear();
            Codec::decode(h.data(), PageBytes, slots);
            if (slots.empty()) node_page_detail::corrupt(h.data(), "empty node page");
            for (const auto& s : slots) {
                if (s.id < base || (have_prev && s.id <= prev))
                    node_page_detail::corrupt(h.data(), "record " + std::to_string(s.id) + " out of order");
                prev = s.id;
                have_prev = true;
                if (!s.bytes.empty() && s.bytes[0] == '\1') {
                    const auto [first, length] = overflow_of(s.bytes, pg);
                    btree_overflow::walk_chain(txn_, first, length,
                                               [&](page_id id, const std::byte*, std::size_t) { pages.push_back(id); });
                }
                fn(s.id, record_view(s.bytes, pg, buffer));
            }
        }
    }

  private:
    static void check_page(const std::byte* p, page_id pg) {
        if (p[page_type_offset] != std::byte{static_cast<std::uint8_t>(page_type::node_page)})
            fail(errc::corruption, "page " + std::to_string(pg) + " in the node index is not a node page");
    }

    // The index entry (base, page) of the page that holds id if any.
    std::optional<std::pair<std::uint64_t, page_id>> locate(std::uint64_t id) {
        auto c = index_.upper_bound(id);
        c.prev();
        if (!c.valid()) return std::nullopt;
        return std::pair<std::uint64_t, page_id>(c.key(), static_cast<page_id>(c.value()));
    }
    // Like locate, but an id below every base goes to the first page.
    std::optional<std::pair<std::uint64_t, page_id>> locate_for_write(std::uint64_t id) {
        if (auto at = locate(id)) return at;
        auto c = index_.begin();
        if (!c.valid()) return std::nullopt;
        return std::pair<std::uint64_t, page_id>(c.key(), static_cast<page_id>(c.value()));
    }

    std::string make_stored(std::string_view record) {
        std::string out;
        if (record.size() <= inline_limit) {
            out.reserve(record.size() + 1);
            out.push_back('\0');
            out += record;
            return out;
        }
        if constexpr (page_writer<Txn>) {
            const page_id first = btree_overflow::write_chain(txn_, record);
            out.push_back('\1');
            for (int i = 0; i < 4; ++i)
                out.push_back(static_cast<char>((first >> (8 * i)) & 0xFF));
            for (int i = 0; i < 8; ++i)
                out.push_back(static_cast<char>((std::uint64_t{record.size()} >> (8 * i)) & 0xFF));
        }
        return out;
    }

    static std::pair<page_id, std::uint64_t> overflow_of(std::string_view stored, page_id pg) {
        if (stored.size() != 13) fail(errc::corruption, "node page " + std::to_string(pg) + ": bad overflow stub");
        const auto* p = reinterpret_cast<const std::byte*>(stored.data()) + 1;
        return {node_page_detail::load32(p), node_page_detail::load64(p + 4)};
    }

    // The record behind stored bytes; overflow records are read into buffer.
    std::string_view record_view(std::string_view stored, page_id pg, std::string& buffer) {
        if (stored.empty()) fail(errc::corruption, "node page " + std::to_string(pg) + ": empty record");
        if (stored[0] == '\0') return stored.substr(1);
        if (stored[0] != '\1') fail(errc::corruption, "node page " + std::to_string(pg) + ": unknown record tag");
        const auto [first, length] = overflow_of(stored, pg);
        btree_overflow::read_chain(txn_, first, length, buffer);
        return buffer;
    }
    std::string resolve(std::string_view stored, page_id pg) {
        std::string buffer;
        return std::string(record_view(stored, pg, buffer));
    }

    void free_stored(std::string_view stored, page_id pg) {
        if (!stored.empty() && stored[0] == '\1') {
            const auto [first, length] = overflow_of(stored, pg);
            btree_overflow::free_chain(txn_, first, length);
        }
    }

    std::vector<std::pair<std::uint64_t, std::string>> load(page_id pg) {
        std::vector<std::pair<std::uint64_t, std::string>> recs;
        auto h = txn_.read(pg);
        check_page(h.data(), pg);
        std::vector<node_slot> slots;
        Codec::decode(h.data(), PageBytes, slots);
        recs.reserve(slots.size() + 1);
        for (const auto& s : slots)
            recs.emplace_back(s.id, std::string(s.bytes));
        return recs;
    }

    static std::vector<node_slot> views(const std::vector<std::pair<std::uint64_t, std::string>>& recs,
                                        std::size_t from, std::size_t to) {
        std::vector<node_slot> out;
        out.reserve(to - from);
        for (std::size_t i = from; i < to; ++i)
            out.push_back({recs[i].first, recs[i].second});
        return out;
    }

    void new_page(std::uint64_t base, const std::vector<node_slot>& slots) {
        auto h = txn_.allocate(page_type::node_page);
        Codec::encode(slots, base, h.data(), PageBytes);
        index_.insert(base, h.id());
    }

    // Writes recs back to page pg (index key base): releases an empty page,
    // re-keys a page whose first id went below its base, splits a page
    // that no longer fits.
    void store(std::uint64_t base, page_id pg, const std::vector<std::pair<std::uint64_t, std::string>>& recs,
               bool append) {
        if (recs.empty()) {
            index_.erase(base);
            txn_.release(pg);
            return;
        }
        if (recs.front().first < base) {
            index_.erase(base);
            base = recs.front().first;
            index_.insert(base, pg);
        }
        const auto all = views(recs, 0, recs.size());
        if (Codec::encoded_size(all, base) <= capacity) {
            auto h = txn_.write(pg);
            Codec::encode(all, base, h.data(), PageBytes);
            return;
        }
        // Split: an append moves only the new last record; otherwise halve by bytes.
        std::size_t split = recs.size() - 1;
        if (!append) {
            std::size_t total = 0;
            for (const auto& r : recs)
                total += r.second.size() + 4;
            std::size_t acc = 0;
            split = 0;
            while (split + 1 < recs.size() && acc + recs[split].second.size() + 4 <= total / 2) {
                acc += recs[split].second.size() + 4;
                ++split;
            }
            if (split == 0) split = 1;
        }
        {
            const auto left = views(recs, 0, split);
            auto h = txn_.write(pg);
            Codec::encode(left, base, h.data(), PageBytes);
        }
        new_page(recs[split].first, views(recs, split, recs.size()));
    }

    Txn& txn_;
    index_tree index_;
};

} // namespace sqlitegraph
