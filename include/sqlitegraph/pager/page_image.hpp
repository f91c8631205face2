// sqlitegraph/pager/page_image.hpp — page buffers, handles and the page
// header's checksum.
//
// A page image is a reference-counted buffer of page_size bytes. Handles hold
// a reference, which is what "pinned" means: the cache never evicts an image
// somebody still holds (use_count > 1), and an image a reader holds stays
// valid even after the cache has dropped it. Images in the cache and in
// committed state are immutable; a write transaction copies before writing.
#pragma once

#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/pager/page_format.hpp"

#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>

namespace sqlitegraph {

using page_buffer = std::shared_ptr<std::byte[]>;

inline page_buffer make_page_buffer(std::size_t page_size) {
    return std::make_shared<std::byte[]>(page_size);
}

// A pinned, read-only page image.
class page_ref {
  public:
    page_ref() = default;
    page_ref(page_buffer buffer, page_id id) : buffer_(std::move(buffer)), id_(id) {}

    [[nodiscard]] const std::byte* data() const noexcept { return buffer_.get(); }
    [[nodiscard]] page_id id() const noexcept { return id_; }
    [[nodiscard]] page_type type() const noexcept { return static_cast<page_type>(buffer_[page_type_offset]); }
    [[nodiscard]] explicit operator bool() const noexcept { return buffer_ != nullptr; }

  private:
    page_buffer buffer_;
    page_id id_ = null_page;
};

// A pinned, writable page image private to one write transaction.
class page_mut {
  public:
    page_mut() = default;
    page_mut(page_buffer buffer, page_id id) : buffer_(std::move(buffer)), id_(id) {}

    [[nodiscard]] std::byte* data() const noexcept { return buffer_.get(); }
    [[nodiscard]] page_id id() const noexcept { return id_; }
    [[nodiscard]] page_type type() const noexcept { return static_cast<page_type>(buffer_[page_type_offset]); }

  private:
    page_buffer buffer_;
    page_id id_ = null_page;
};

// Writes type and id into a page header; the checksum is stamped later.
inline void init_page_header(std::byte* page, page_type type, page_id id) {
    std::memset(page, 0, page_header_size);
    page[page_type_offset] = static_cast<std::byte>(type);
    store_le<std::uint32_t>(page + page_id_offset, id);
}

// The checksum of a page: the policy over bytes [0, 8) and [32, size), i.e.
// the page without its checksum field and the log fields (page_format.hpp).
template <class Checksum> std::uint64_t compute_page_checksum(const std::byte* page, std::size_t page_size) {
    const auto head = Checksum::compute({page, page_checksum_offset}, 0);
    return Checksum::compute({page + page_header_size, page_size - page_header_size}, head);
}

template <class Checksum> void stamp_page_checksum(std::byte* page, std::size_t page_size) {
    store_le<std::uint64_t>(page + page_checksum_offset, compute_page_checksum<Checksum>(page, page_size));
}

// Verifies a page read from disk: a known type, the expected id, the
// checksum. Reports corruption naming the page and where it came from.
template <class Checksum>
void verify_page(const std::byte* page, std::size_t page_size, page_id expected, const std::string& source) {
    const auto raw_type = static_cast<std::uint8_t>(page[page_type_offset]);
    const auto stored_id = load_le<std::uint32_t>(page + page_id_offset);
    const auto stored_sum = load_le<std::uint64_t>(page + page_checksum_offset);
    const auto where = "page " + std::to_string(expected) + " (" + source + ")";
    if (raw_type == 0 || !is_known_page_type(raw_type)) {
        fail(errc::corruption, where + ": invalid page type " + std::to_string(raw_type));
    }
    if (stored_id != expected) fail(errc::corruption, where + ": header names page " + std::to_string(stored_id));
    if (stored_sum != compute_page_checksum<Checksum>(page, page_size))
        fail(errc::corruption, where + ": checksum mismatch");
}

} // namespace sqlitegraph
