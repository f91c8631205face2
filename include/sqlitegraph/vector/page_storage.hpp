// sqlitegraph/vector/page_storage.hpp — element blocks in database pages.
//
// Owns: page_storage<Txn>, the page-backed model of element_storage
// (storage.hpp), and the page runs and directories it is made of. The byte
// layout of every page is drawn in docs/vector.md ("Pages").
//
//  - Level-0 blocks live in a run of page_type::vector pages ("block pages").
//    When a block fits a page body, floor(body / block_size) blocks are packed
//    per page and block(slot) points straight into the page image. A larger
//    block (large dimensions) spans consecutive bodies of the run: it is
//    copied into a contiguous buffer on first access and written back by
//    flush().
//  - Upper blocks are records in a second run ("upper heap"), appended
//    (8-byte header: slot, level); a replaced record is marked dead. The
//    slot -> record map is rebuilt by one scan of the heap at open.
//  - Each run's page list (logical page -> page id) is a directory: a chain of
//    directory pages. flush() appends what is new.
//
// Transactions: all pages are read and written through Txn, a pager
// read_txn or write_txn (page_reader / page_writer). A write copies the page
// inside the transaction (copy-on-write), so a rolled-back transaction leaves
// no trace; a reader sees its snapshot. Non-const accessors copy the page
// they touch; const accessors never do.
//
// Threads: one page_storage is used by one thread at a time (it pins pages
// lazily, also from const accessors). Readers on several threads each open
// their own handle on their own snapshot.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/pager/page_access.hpp"
#include "sqlitegraph/pager/page_format.hpp"
#include "sqlitegraph/pager/page_image.hpp"
#include "sqlitegraph/vector/layout.hpp"
#include "sqlitegraph/vector/storage.hpp"

namespace sqlitegraph::vector {

static_assert(std::endian::native == std::endian::little,
              "sqlitegraph: vector pages store host-order integers and floats, which must be little-endian");

// The 8 bytes after the pager's page header on every vector page.
inline constexpr std::size_t vector_page_header_size = 8;
inline constexpr std::size_t vector_body_offset = page_header_size + vector_page_header_size; // 40

enum class vector_page_kind : std::uint8_t { blocks = 1, upper = 2, directory = 3 };

// Directory pages: after the vector page header, the next directory page
// (0: none) and the number of entries on this page, then the entries.
inline constexpr std::size_t directory_next_offset = vector_body_offset;      // 40
inline constexpr std::size_t directory_count_offset = vector_body_offset + 4; // 44
inline constexpr std::size_t directory_entries_offset = vector_body_offset + 8; // 48

constexpr std::size_t directory_capacity(std::size_t page_size) noexcept {
    return (page_size - directory_entries_offset) / 4;
}

// An upper-heap record header: slot (dead_record when replaced), level.
inline constexpr std::size_t upper_record_header = 8;
inline constexpr std::uint32_t dead_record = 0xFFFFFFFFu;

template <class Txn>
concept writable_page_txn = page_writer<Txn>;

// Where a storage's pages are, as the index's meta page records it.
struct page_storage_root {
    std::uint32_t block_pages = 0; // pages in the block run
    page_id block_directory = null_page;
    std::uint32_t upper_pages = 0; // pages in the upper heap
    page_id upper_directory = null_page;
    std::uint64_t upper_end = 0; // bytes of the heap in use
    friend bool operator==(const page_storage_root&, const page_storage_root&) = default;
};

namespace detail {

inline void write_vector_header(std::byte* page, vector_page_kind kind, std::uint32_t position) {
    std::memset(page + page_header_size, 0, vector_page_header_size);
    page[page_header_size] = static_cast<std::byte>(kind);
    store_le<std::uint32_t>(page + page_header_size + 4, position);
}

inline void check_vector_header(const std::byte* page, page_id id, vector_page_kind kind, std::uint32_t position) {
    const auto type = static_cast<page_type>(page[page_type_offset]);
    const auto found = static_cast<vector_page_kind>(page[page_header_size]);
    const auto pos = load_le<std::uint32_t>(page + page_header_size + 4);
    if (type != page_type::vector || found != kind || pos != position)
        fail(errc::corruption, "vector page " + std::to_string(id) + ": expected kind " +
                                   std::to_string(static_cast<int>(kind)) + " position " + std::to_string(position) +
                                   ", found type " + std::string(to_string(type)) + " kind " +
                                   std::to_string(static_cast<int>(found)) + " position " + std::to_string(pos));
}

// A logical sequence of vector pages of one kind: logical page i is
// pages()[i]. Pages are pinned on first use; the pin of a page written in
// this transaction is its private copy.
template <class Txn>
class page_run {
public:
    page_run(Txn& txn, vector_page_kind kind, std::vector<page_id> pages)
        : txn_(&txn), kind_(kind), pages_(std::move(pages)), pins_(pages_.size()) {}

    static constexpr std::size_t body() noexcept { return Txn::page_size() - vector_body_offset; }
    std::size_t page_count() const noexcept { return pages_.size(); }
    const std::vector<page_id>& pages() const noexcept { return pages_; }

    const std::byte* body_of(std::size_t i) const {
        pin& p = pins_[i];
        if (p.data == nullptr) {
            p.ref = txn_->read(pages_[i]);
            check_vector_header(p.ref.data(), pages_[i], kind_, static_cast<std::uint32_t>(i));
            p.data = p.ref.data();
        }
        return p.data + vector_body_offset;
    }

    std::byte* body_mut(std::size_t i) {
        pin& p = pins_[i];
        if (!p.writable) {
            if (p.data == nullptr) body_of(i); // checks the header once
            // The read pin stays: pointers into the committed image that were
            // handed out before stay valid (their bytes are as of the snapshot).
            p.mut = txn_->write(pages_[i]);
            p.data = p.mut.data();
            p.writable = true;
        }
        return p.mut.data() + vector_body_offset;
    }

    // Allocates zeroed pages until the run has n.
    void grow(std::size_t n) {
        while (pages_.size() < n) {
            auto page = txn_->allocate(page_type::vector);
            write_vector_header(page.data(), kind_, static_cast<std::uint32_t>(pages_.size()));
            pages_.push_back(page.id());
            pin p;
            p.data = page.data();
            p.mut = std::move(page);
            p.writable = true;
            pins_.push_back(std::move(p));
        }
    }

    // Byte ranges of the run's concatenated bodies.
    void read(std::uint64_t offset, std::byte* out, std::size_t n) const {
        while (n > 0) {
            const std::size_t page = static_cast<std::size_t>(offset / body());
            const std::size_t at = static_cast<std::size_t>(offset % body());
            const std::size_t take = std::min(n, body() - at);
            if (page >= pages_.size())
                fail(errc::corruption, "vector page run: byte " + std::to_string(offset) + " beyond its " +
                                           std::to_string(pages_.size()) + " pages");
            std::memcpy(out, body_of(page) + at, take);
            out += take;
            offset += take;
            n -= take;
        }
    }

    void write(std::uint64_t offset, const std::byte* in, std::size_t n) {
        grow(static_cast<std::size_t>((offset + n + body() - 1) / body()));
        while (n > 0) {
            const std::size_t page = static_cast<std::size_t>(offset / body());
            const std::size_t at = static_cast<std::size_t>(offset % body());
            const std::size_t take = std::min(n, body() - at);
            std::memcpy(body_mut(page) + at, in, take);
            in += take;
            offset += take;
            n -= take;
        }
    }

private:
    struct pin {
        page_ref ref;
        page_mut mut;
        const std::byte* data = nullptr;
        bool writable = false;
    };

    Txn* txn_;
    vector_page_kind kind_;
    std::vector<page_id> pages_;
    mutable std::vector<pin> pins_;
};

// Reads a directory chain of `count` entries starting at `head`; the chain's
// own pages go to `chain`.
template <class Txn>
std::vector<page_id> load_directory(Txn& txn, page_id head, std::uint32_t count, std::vector<page_id>& chain) {
    std::vector<page_id> entries;
    entries.reserve(count);
    const std::size_t cap = directory_capacity(Txn::page_size());
    for (page_id at = head; entries.size() < count;) {
        if (at == null_page || chain.size() > count / cap + 1)
            fail(errc::corruption, "vector directory ends after " + std::to_string(entries.size()) + " of " +
                                       std::to_string(count) + " entries");
        auto page = txn.read(at);
        check_vector_header(page.data(), at, vector_page_kind::directory, static_cast<std::uint32_t>(chain.size()));
        chain.push_back(at);
        const auto n = load_le<std::uint32_t>(page.data() + directory_count_offset);
        if (n > cap || entries.size() + n > count)
            fail(errc::corruption, "vector directory page " + std::to_string(at) + " claims " + std::to_string(n) +
                                       " entries");
        for (std::uint32_t i = 0; i < n; ++i)
            entries.push_back(load_le<std::uint32_t>(page.data() + directory_entries_offset + 4 * i));
        at = load_le<std::uint32_t>(page.data() + directory_next_offset);
    }
    return entries;
}

// Appends entries [saved, entries.size()) to a directory chain.
template <class Txn>
void save_directory(Txn& txn, std::vector<page_id>& chain, const std::vector<page_id>& entries, std::size_t saved) {
    const std::size_t cap = directory_capacity(Txn::page_size());
    for (std::size_t i = saved; i < entries.size();) {
        const std::size_t link = i / cap;
        if (link == chain.size()) {
            auto fresh = txn.allocate(page_type::vector);
            write_vector_header(fresh.data(), vector_page_kind::directory, static_cast<std::uint32_t>(link));
            if (link > 0) store_le<std::uint32_t>(txn.write(chain.back()).data() + directory_next_offset, fresh.id());
            chain.push_back(fresh.id());
        }
        auto page = txn.write(chain[link]);
        const std::size_t end = std::min(entries.size(), (link + 1) * cap);
        for (; i < end; ++i) store_le<std::uint32_t>(page.data() + directory_entries_offset + 4 * (i % cap), entries[i]);
        store_le<std::uint32_t>(page.data() + directory_count_offset, static_cast<std::uint32_t>(end - link * cap));
    }
}

} // namespace detail

template <class Txn>
class page_storage {
public:
    static constexpr bool writable = writable_page_txn<Txn>;
    static constexpr std::size_t body = Txn::page_size() - vector_body_offset;

    page_storage(const element_layout& layout, Txn& txn, const page_storage_root& root)
        : layout_(layout), txn_(&txn),
          per_page_(body / layout.block_size),
          blocks_(txn, vector_page_kind::blocks,
                  detail::load_directory(txn, root.block_directory, root.block_pages, block_chain_)),
          upper_run_(txn, vector_page_kind::upper,
                     detail::load_directory(txn, root.upper_directory, root.upper_pages, upper_chain_)),
          saved_blocks_(root.block_pages), saved_upper_(root.upper_pages), upper_end_(root.upper_end) {
        if (layout_.upper_list_size * top_level_limit + upper_record_header > std::uint64_t{1} << 32)
            fail(errc::invalid_argument, "vector index: upper blocks too large");
        scan_upper_heap();
    }

    page_storage(page_storage&&) noexcept = default;
    page_storage& operator=(page_storage&&) = delete;
    page_storage(const page_storage&) = delete;
    page_storage& operator=(const page_storage&) = delete;

    const element_layout& layout() const noexcept { return layout_; }

    // Blocks packed per page (0: a block spans pages).
    std::size_t blocks_per_page() const noexcept { return per_page_; }

    std::size_t capacity() const noexcept {
        if (per_page_ > 0) return blocks_.page_count() * per_page_;
        return blocks_.page_count() * body / layout_.block_size;
    }

    void reserve(std::size_t n) {
        require_writable();
        if constexpr (writable) {
            if (n <= capacity()) return;
            ++changes_;
            if (per_page_ > 0)
                blocks_.grow((n + per_page_ - 1) / per_page_);
            else
                blocks_.grow((n * layout_.block_size + body - 1) / body);
        }
    }

    const std::byte* block(std::uint32_t slot) const {
        if (per_page_ > 0) return blocks_.body_of(slot / per_page_) + (slot % per_page_) * layout_.block_size;
        return spanning_block(slot);
    }

    std::byte* block(std::uint32_t slot) {
        require_writable();
        if constexpr (writable) {
            ++changes_;
            if (per_page_ > 0) return blocks_.body_mut(slot / per_page_) + (slot % per_page_) * layout_.block_size;
            dirty_blocks_.insert(slot);
        }
        return spanning_block(slot);
    }

    const std::byte* upper(std::uint32_t slot) const {
        auto it = upper_.find(slot);
        if (it == upper_.end()) return nullptr;
        return load_upper(it->second);
    }

    std::byte* upper(std::uint32_t slot) {
        require_writable();
        if constexpr (!writable) return nullptr;
        auto it = upper_.find(slot);
        if (it == upper_.end()) return nullptr;
        ++changes_;
        dirty_upper_.insert(slot);
        return load_upper(it->second);
    }

    // Replaces the upper block of a slot with a zeroed one for `level` levels
    // (level 0 frees it): the old record is marked dead and a new one is
    // appended to the heap.
    void set_upper(std::uint32_t slot, unsigned level) {
        require_writable();
        if constexpr (writable) set_upper_writable(slot, level);
    }

    // Bytes of element pages (block run and upper heap, whole pages).
    std::size_t bytes() const noexcept { return (blocks_.page_count() + upper_run_.page_count()) * Txn::page_size(); }

    // A count of mutating calls: the persistent index compares it around a
    // refused call to know that nothing changed.
    std::uint64_t changes() const noexcept { return changes_; }

    // Writes back what lives outside the page images (spanning blocks, upper
    // blocks) and the directories' new entries; returns the root for the
    // meta page.
    page_storage_root flush() {
        require_writable();
        if constexpr (writable) {
            for (std::uint32_t slot : dirty_blocks_)
                blocks_.write(std::uint64_t{slot} * layout_.block_size, span_.at(slot).get(), layout_.block_size);
            dirty_blocks_.clear();
            for (std::uint32_t slot : dirty_upper_) {
                const upper_record& r = upper_.at(slot);
                upper_run_.write(r.offset + upper_record_header, r.data.get(), layout_.upper_block_size(r.level));
            }
            dirty_upper_.clear();
            detail::save_directory(*txn_, block_chain_, blocks_.pages(), saved_blocks_);
            saved_blocks_ = blocks_.page_count();
            detail::save_directory(*txn_, upper_chain_, upper_run_.pages(), saved_upper_);
            saved_upper_ = upper_run_.page_count();
        }
        return root();
    }

private:
    void set_upper_writable(std::uint32_t slot, unsigned level) {
        ++changes_;
        if (auto it = upper_.find(slot); it != upper_.end()) {
            std::byte dead[4];
            store_le<std::uint32_t>(dead, dead_record);
            upper_run_.write(it->second.offset, dead, sizeof dead);
            upper_bytes_ -= layout_.upper_block_size(it->second.level);
            upper_.erase(it);
            dirty_upper_.erase(slot);
        }
        if (level == 0) return;
        const std::size_t size = layout_.upper_block_size(level);
        std::vector<std::byte> record(upper_record_header + size);
        store_le<std::uint32_t>(record.data(), slot);
        store_le<std::uint32_t>(record.data() + 4, level);
        upper_run_.write(upper_end_, record.data(), record.size());
        upper_record r{upper_end_, level, std::make_unique<std::byte[]>(size)};
        upper_end_ += record.size();
        upper_bytes_ += size;
        upper_.emplace(slot, std::move(r));
    }

public:
    page_storage_root root() const noexcept {
        return {static_cast<std::uint32_t>(blocks_.page_count()), block_chain_.empty() ? null_page : block_chain_.front(),
                static_cast<std::uint32_t>(upper_run_.page_count()),
                upper_chain_.empty() ? null_page : upper_chain_.front(), upper_end_};
    }

    // Every page the storage owns (directories included).
    std::vector<page_id> pages() const {
        std::vector<page_id> all(block_chain_);
        all.insert(all.end(), upper_chain_.begin(), upper_chain_.end());
        all.insert(all.end(), blocks_.pages().begin(), blocks_.pages().end());
        all.insert(all.end(), upper_run_.pages().begin(), upper_run_.pages().end());
        return all;
    }

private:
    struct upper_record {
        std::uint64_t offset; // of the record header in the heap
        unsigned level;
        mutable std::unique_ptr<std::byte[]> data; // loaded on first use
    };

    void require_writable() const {
        if constexpr (!writable) fail(errc::read_only, "vector index: this handle reads a snapshot");
    }

    std::byte* spanning_block(std::uint32_t slot) const {
        auto it = span_.find(slot);
        if (it == span_.end()) {
            auto copy = std::make_unique<std::byte[]>(layout_.block_size);
            blocks_.read(std::uint64_t{slot} * layout_.block_size, copy.get(), layout_.block_size);
            it = span_.emplace(slot, std::move(copy)).first;
        }
        return it->second.get();
    }

    std::byte* load_upper(const upper_record& r) const {
        if (!r.data) {
            const std::size_t size = layout_.upper_block_size(r.level);
            r.data = std::make_unique<std::byte[]>(size);
            upper_run_.read(r.offset + upper_record_header, r.data.get(), size);
        }
        return r.data.get();
    }

    void scan_upper_heap() {
        for (std::uint64_t at = 0; at < upper_end_;) {
            std::byte header[upper_record_header];
            upper_run_.read(at, header, sizeof header);
            const auto slot = load_le<std::uint32_t>(header);
            const auto level = load_le<std::uint32_t>(header + 4);
            if (level == 0 || level > top_level_limit)
                fail(errc::corruption, "vector upper heap: record at byte " + std::to_string(at) + " has level " +
                                           std::to_string(level));
            if (slot != dead_record) {
                if (!upper_.emplace(slot, upper_record{at, level, nullptr}).second)
                    fail(errc::corruption, "vector upper heap: two live records for slot " + std::to_string(slot));
                upper_bytes_ += layout_.upper_block_size(level);
            }
            at += upper_record_header + layout_.upper_block_size(level);
        }
    }

    element_layout layout_;
    Txn* txn_;
    std::size_t per_page_;
    std::vector<page_id> block_chain_, upper_chain_; // directory pages
    detail::page_run<Txn> blocks_;
    detail::page_run<Txn> upper_run_;
    std::size_t saved_blocks_, saved_upper_; // directory entries already on pages
    std::uint64_t upper_end_;
    std::size_t upper_bytes_ = 0;
    std::uint64_t changes_ = 0;
    mutable std::unordered_map<std::uint32_t, std::unique_ptr<std::byte[]>> span_; // spanning blocks
    std::unordered_set<std::uint32_t> dirty_blocks_;
    std::unordered_map<std::uint32_t, upper_record> upper_;
    std::unordered_set<std::uint32_t> dirty_upper_;
};

} // namespace sqlitegraph::vector
