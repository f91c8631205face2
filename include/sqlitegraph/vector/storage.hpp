// sqlitegraph/vector/storage.hpp — where element blocks live.
//
// Owns: the element_storage concept that the HNSW algorithm is written
// against, and memory_storage, its in-memory model. page_storage.hpp holds
// the page-backed model (docs/vector.md, "Pages"); the algorithm is the same.
// The algorithm reads through the const accessors and writes only through
// the non-const ones, which is what lets a page-backed model copy a page only
// when it is written.
//
// Contract of a model:
//  - block(i) is layout().block_size bytes for every slot i < capacity(),
//    zero-filled until written; the pointer stays valid until the next
//    reserve() (the only call that may move blocks).
//  - upper(i) is the upper-level block of slot i, of upper_block_size(level)
//    bytes after set_upper(i, level), nullptr for level 0.
//  - reserve() and set_upper() are writer-only calls; block() and upper()
//    may be called from many threads at once.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "sqlitegraph/vector/layout.hpp"

namespace sqlitegraph::vector {

template <class S>
concept element_storage = requires(S& s, const S& cs, std::uint32_t slot, unsigned level, std::size_t n) {
    { cs.layout() } -> std::convertible_to<const element_layout&>;
    { cs.capacity() } -> std::convertible_to<std::size_t>;
    { s.reserve(n) };
    { s.block(slot) } -> std::same_as<std::byte*>;
    { cs.block(slot) } -> std::same_as<const std::byte*>;
    { s.upper(slot) } -> std::same_as<std::byte*>;
    { cs.upper(slot) } -> std::same_as<const std::byte*>;
    { s.set_upper(slot, level) };
    { cs.bytes() } -> std::convertible_to<std::size_t>;
};

// All level-0 blocks in one contiguous, cache-line-aligned array (so that
// the neighbours of a node are one multiply away and prefetchable), upper
// blocks allocated per element.
class memory_storage {
public:
    explicit memory_storage(const element_layout& layout) : layout_(layout) {}

    const element_layout& layout() const noexcept { return layout_; }
    std::size_t capacity() const noexcept { return capacity_; }

    // Grows to at least n slots; existing blocks are copied, new ones zeroed.
    void reserve(std::size_t n) {
        if (n <= capacity_) return;
        const std::size_t bytes = n * layout_.block_size;
        block_array fresh(static_cast<std::byte*>(::operator new(bytes, std::align_val_t{alignment})));
        if (capacity_ > 0) std::memcpy(fresh.get(), blocks_.get(), capacity_ * layout_.block_size);
        std::memset(fresh.get() + capacity_ * layout_.block_size, 0, (n - capacity_) * layout_.block_size);
        blocks_ = std::move(fresh);
        upper_.resize(n);
        upper_size_.resize(n, 0);
        capacity_ = n;
    }

    std::byte* block(std::uint32_t slot) noexcept { return blocks_.get() + std::size_t{slot} * layout_.block_size; }
    const std::byte* block(std::uint32_t slot) const noexcept {
        return blocks_.get() + std::size_t{slot} * layout_.block_size;
    }

    std::byte* upper(std::uint32_t slot) noexcept { return upper_[slot].get(); }
    const std::byte* upper(std::uint32_t slot) const noexcept { return upper_[slot].get(); }

    // Replaces the upper block of a slot with a zeroed one for `level` levels
    // (level 0 frees it).
    void set_upper(std::uint32_t slot, unsigned level) {
        upper_bytes_ -= upper_size_[slot];
        upper_[slot].reset();
        upper_size_[slot] = 0;
        if (level == 0) return;
        const std::size_t size = layout_.upper_block_size(level);
        upper_[slot] = std::make_unique<std::byte[]>(size); // value-initialised: zeroed
        upper_size_[slot] = static_cast<std::uint32_t>(size);
        upper_bytes_ += size;
    }

    // Bytes held for elements: the block array plus the upper blocks.
    std::size_t bytes() const noexcept { return capacity_ * layout_.block_size + upper_bytes_; }

private:
    static constexpr std::size_t alignment = 64;

    struct aligned_delete {
        void operator()(std::byte* p) const noexcept { ::operator delete(p, std::align_val_t{alignment}); }
    };
    using block_array = std::unique_ptr<std::byte[], aligned_delete>;

    element_layout layout_;
    std::size_t capacity_ = 0;
    block_array blocks_;
    std::vector<std::unique_ptr<std::byte[]>> upper_;
    std::vector<std::uint32_t> upper_size_;
    std::size_t upper_bytes_ = 0;
};

static_assert(element_storage<memory_storage>);

} // namespace sqlitegraph::vector
