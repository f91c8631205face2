// tests/btree/memory_page_store.hpp — a small, real in-memory page store that
// models page_writer, for running the B+Tree without the pager.
//
// It keeps every page in its own heap block (so handles stay valid while
// other pages are allocated), reuses released pages, and poisons a released
// page so that a tree that keeps using it fails loudly. Reading a page that
// is not allocated is reported as corruption, as the pager would. No copy on
// write: a write handle points at the one copy.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/pager/page_access.hpp"
#include "sqlitegraph/pager/page_format.hpp"

namespace sqlitegraph::test {

class memory_page_store {
public:
    struct const_handle {
        const std::byte* ptr;
        page_id page;
        const std::byte* data() const { return ptr; }
        page_id id() const { return page; }
    };
    struct mutable_handle {
        std::byte* ptr;
        page_id page;
        std::byte* data() const { return ptr; }
        page_id id() const { return page; }
    };

    explicit memory_page_store(std::size_t page_size) : page_size_(page_size) {
        pages_.emplace_back(); // page 0 is the superblock; never handed out
        live_.push_back(false);
    }

    std::size_t page_size() const { return page_size_; }

    const_handle read(page_id id) const { return {checked(id), id}; }
    mutable_handle write(page_id id) { return {checked(id), id}; }

    mutable_handle allocate(page_type type) {
        page_id id;
        if (!free_.empty()) {
            id = free_.back();
            free_.pop_back();
        } else {
            id = static_cast<page_id>(pages_.size());
            pages_.push_back(std::make_unique<std::byte[]>(page_size_));
            live_.push_back(false);
        }
        std::byte* p = pages_[id].get();
        std::memset(p, 0, page_size_);
        p[page_type_offset] = std::byte{static_cast<std::uint8_t>(type)};
        for (int i = 0; i < 4; ++i) p[page_id_offset + i] = static_cast<std::byte>((id >> (8 * i)) & 0xff);
        live_[id] = true;
        ++live_count_;
        return {p, id};
    }

    void release(page_id id) {
        std::byte* p = checked(id);
        std::memset(p, 0xEE, page_size_); // poison: a stale use decodes garbage
        live_[id] = false;
        --live_count_;
        free_.push_back(id);
    }

    void set_type(page_id id, page_type type) { checked(id)[page_type_offset] = std::byte{static_cast<std::uint8_t>(type)}; }

    std::size_t live_pages() const { return live_count_; }
    bool is_live(page_id id) const { return id < live_.size() && live_[id]; }
    // Raw bytes, for tests that damage a page on purpose.
    std::byte* raw(page_id id) { return checked(id); }

private:
    std::byte* checked(page_id id) const {
        if (id == null_page || id >= pages_.size() || !live_[id])
            fail(errc::corruption, "page " + std::to_string(id) + " is not an allocated page");
        return pages_[id].get();
    }

    std::size_t page_size_;
    std::vector<std::unique_ptr<std::byte[]>> pages_;
    std::vector<bool> live_;
    std::vector<page_id> free_;
    std::size_t live_count_ = 0;
};

static_assert(page_writer<memory_page_store>);

} // namespace sqlitegraph::test
