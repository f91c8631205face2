// sqlitegraph/pager/page_access.hpp — the contract between the pager and the
// components built on pages (B+Tree, NodePage store, adjacency, HNSW).
//
// A component never touches files: it asks a transaction for pages.
//  - page_reader: a read transaction (or a write transaction reading). read(id)
//    returns a handle that pins one page image of the reader's snapshot for as
//    long as the handle lives; data() points at page_size() bytes, header
//    included.
//  - page_writer: a write transaction. write(id) returns a mutable handle to
//    the transaction's private copy of the page (copy-on-write: nobody else
//    sees it before commit); allocate(type) returns a fresh page whose header
//    is initialised (type and id) and whose body is zeroed; release(id) puts a
//    page on the free list at commit.
//
// The pager owns bytes [0, page_header_size) of every page: it sets the type
// and id at allocate() and the checksum when the page leaves the transaction.
// Components own the body and may change the type byte only through
// set_type().
#pragma once

#include "sqlitegraph/pager/page_format.hpp"

#include <concepts>
#include <cstddef>

namespace sqlitegraph {

template <class H>
concept const_page_handle = requires(const H& h) {
    { h.data() } -> std::convertible_to<const std::byte*>;
    { h.id() } -> std::convertible_to<page_id>;
};

template <class H>
concept mutable_page_handle = const_page_handle<H> && requires(H& h) {
    { h.data() } -> std::convertible_to<std::byte*>;
};

template <class R>
concept page_reader = requires(R& r, page_id id) {
    { r.page_size() } -> std::convertible_to<std::size_t>;
    { r.read(id) } -> const_page_handle;
};

template <class W>
concept page_writer = page_reader<W> && requires(W& w, page_id id, page_type type) {
    { w.write(id) } -> mutable_page_handle;
    { w.allocate(type) } -> mutable_page_handle;
    {w.release(id)};
    {w.set_type(id, type)};
};

} // namespace sqlitegraph
