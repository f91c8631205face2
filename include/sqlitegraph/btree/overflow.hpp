// sqlitegraph/btree/overflow.hpp — chains of overflow pages for values too
// large to sit inline in a leaf cell.
//
// Overflow page body (after the pager's 32-byte header):
//   offset size field
//   32     4    next overflow page id (0 on the last page)
//   36     4    bytes of value data on this page
//   40    ...   value data
//
// Invariants:
//  1. Every page but the last is full (page_size - 40 data bytes); the data
//     lengths sum to the length recorded in the leaf cell.
//  2. A chain has exactly ceil(length / data_per_page) pages, every one of
//     type `overflow`; readers stop at that count, so a cyclic or
//     over-long chain is reported as corruption rather than followed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "sqlitegraph/btree/bytes.hpp"
#include "sqlitegraph/btree/node_layout.hpp"
#include "sqlitegraph/pager/page_access.hpp"

namespace sqlitegraph::btree_overflow {

inline constexpr std::size_t next_offset = page_header_size;
inline constexpr std::size_t length_offset = page_header_size + 4;
inline constexpr std::size_t data_offset = page_header_size + 8;

// The largest value the tree stores (btree_params::max_value_size).
inline constexpr std::uint64_t max_value_length = std::uint64_t{1} << 31;

constexpr std::size_t data_per_page(std::size_t page_size) noexcept { return page_size - data_offset; }
constexpr std::size_t pages_for(std::uint64_t length, std::size_t page_size) noexcept {
    return static_cast<std::size_t>((length + data_per_page(page_size) - 1) / data_per_page(page_size));
}

// Writes value into a new chain and returns its first page.
template <page_writer Txn>
page_id write_chain(Txn& txn, std::string_view value) {
    const std::size_t per = data_per_page(txn.page_size());
    const std::size_t n = pages_for(value.size(), txn.page_size());
    std::vector<page_id> ids(n);
    for (auto& id : ids) {
        auto h = txn.allocate(page_type::overflow);
        id = h.id();
    }
    for (std::size_t i = 0; i < n; ++i) {
        auto h = txn.write(ids[i]);
        std::byte* p = h.data();
        const std::size_t len = i + 1 < n ? per : value.size() - per * i;
        btree_detail::store_u32(p + next_offset, i + 1 < n ? ids[i + 1] : null_page);
        btree_detail::store_u32(p + length_offset, static_cast<std::uint32_t>(len));
        std::memcpy(p + data_offset, value.data() + per * i, len);
    }
    return n == 0 ? null_page : ids[0];
}

// Visits each page of the chain in order, checking invariants 1 and 2;
// fn(id, data, len).
template <page_reader Txn, class Fn>
void walk_chain(Txn& txn, page_id first, std::uint64_t length, Fn&& fn) {
    const std::size_t page_size = txn.page_size();
    const std::size_t per = data_per_page(page_size);
    // Bounded before anything is sized by it: a damaged length must not
    // become a huge allocation or a walk of billions of pages.
    if (length > max_value_length) btree_corrupt(first, "overflow value length " + std::to_string(length) + " exceeds the value limit");
    const std::size_t n = pages_for(length, page_size);
    page_id id = first;
    std::uint64_t left = length;
    for (std::size_t i = 0; i < n; ++i) {
        if (id == null_page) btree_corrupt(first, "overflow chain ends after " + std::to_string(i) + " of " + std::to_string(n) + " pages");
        auto h = txn.read(id);
        const std::byte* p = h.data();
        if (p[page_type_offset] != std::byte{static_cast<std::uint8_t>(page_type::overflow)})
            btree_corrupt(id, "overflow chain page has type " + std::to_string(std::to_integer<int>(p[page_type_offset])));
        const std::size_t len = btree_detail::load_u32(p + length_offset);
        const std::size_t expect = i + 1 < n ? per : static_cast<std::size_t>(left);
        if (len != expect) btree_corrupt(id, "overflow page holds " + std::to_string(len) + " bytes, expected " + std::to_string(expect));
        const page_id next = btree_detail::load_u32(p + next_offset);
        if ((i + 1 == n) != (next == null_page)) btree_corrupt(id, "overflow chain length disagrees with the value length");
        fn(id, p + data_offset, len);
        left -= len;
        id = next;
    }
}

template <page_reader Txn>
void read_chain(Txn& txn, page_id first, std::uint64_t length, std::string& out) {
    out.clear();
    walk_chain(txn, first, length, [&](page_id, const std::byte* data, std::size_t len) {
        out.append(reinterpret_cast<const char*>(data), len);
    });
}

template <page_writer Txn>
void free_chain(Txn& txn, page_id first, std::uint64_t length) {
    std::vector<page_id> ids;
    walk_chain(txn, first, length, [&](page_id id, const std::byte*, std::size_t) { ids.push_back(id); });
    for (page_id id : ids) txn.release(id);
}

} // namespace sqlitegraph::btree_overflow
