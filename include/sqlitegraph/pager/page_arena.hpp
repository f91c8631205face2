// sqlitegraph/pager/page_arena.hpp — where a pager's page images live.
//
// Why: a warm lookup in a large tree is bound by the cache misses on the
// pages it reads, and on a virtual machine each of those misses also walks
// two page tables when the image sits in its own 4 KiB heap allocation.
// Carving images out of 2 MiB chunks that the kernel may back with
// transparent huge pages (madvise(MADV_HUGEPAGE)) takes the TLB miss out of
// most lookups (benchmarks/probes/btree_lookup.cpp).
//
// The arena hands out blocks of one size class per requested size (rounded
// up to 64 bytes); each chunk it maps serves one size class and keeps its
// own free list and count of blocks in use. A freed block goes back to its
// chunk (found from the block's address: chunks are chunk_size-aligned),
// and a chunk whose blocks are all free is returned to the system, except
// one per size class kept for the next images: after a transaction that
// held many pages (a bulk load) the memory goes back when its images do,
// not when the pager closes. A new block comes from the newest chunk of its
// class with a free block or room. The first chunks_before_huge chunks
// mapped at a time are not advised, so a small database never faults in
// whole huge pages; a pager whose cache grows past them gets huge pages.
// Blocks larger than a quarter chunk come from operator new. The chunks
// left return to the system when the arena dies, which is when the pager
// and every image it handed out are gone: each image's control block holds
// a reference to the arena.
// Thread-safe (one mutex; an allocation is one per page read from disk or
// copied for writing, never one per cache hit).
//
// Under AddressSanitizer free blocks are poisoned, so a use of an image
// after its last reference is dropped is still reported.
#pragma once

#include "sqlitegraph/core/asan.hpp"
#include "sqlitegraph/pager/page_image.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#if __has_include(<sys/mman.h>)
#include <sys/mman.h>
#define SQLITEGRAPH_ARENA_MMAP 1
#endif

namespace sqlitegraph {

class page_arena {
  public:
    static constexpr std::size_t chunk_size = std::size_t{2} << 20; // one x86-64 huge page
    static constexpr std::size_t block_align = 64;                    // cache-line aligned images
    static constexpr std::size_t chunks_before_huge = 2;

    struct stats {
        std::size_t chunks = 0;          // chunks mapped now
        std::size_t advised_chunks = 0;  // of which advised for huge pages
        std::size_t blocks_in_use = 0;   // blocks handed out and not yet returned
        std::size_t released_chunks = 0; // chunks returned to the system so far
    };

    page_arena() = default;
    page_arena(const page_arena&) = delete;
    page_arena& operator=(const page_arena&) = delete;
    ~page_arena() {
        for (const auto& [base, chunk] : chunks_) unmap_chunk(reinterpret_cast<void*>(base));
    }

    void* allocate(std::size_t bytes) {
        const std::size_t size = block_size(bytes);
        if (size > chunk_size / 4) return ::operator new(size, std::align_val_t{block_align});
        std::lock_guard guard(mutex_);
        size_class& sc = class_for(size);
        std::uintptr_t base;
        if (!sc.with_room.empty()) {
            base = sc.with_room.back();
        } else {
            base = new_chunk();
            sc.with_room.push_back(base);
            ++sc.empty_chunks;
        }
        chunk_state& c = chunks_.at(base);
        void* block;
        if (c.free_head != nullptr) {
            block = c.free_head;
            unpoison(block, size);
            c.free_head = *static_cast<void**>(block);
        } else {
            block = c.bump;
            c.bump += size;
            c.left -= size;
            unpoison(block, size);
        }
        if (c.live++ == 0) --sc.empty_chunks;
        if (c.free_head == nullptr && c.left < size) sc.with_room.pop_back(); // full now
        ++stats_.blocks_in_use;
        return block;
    }

    void deallocate(void* block, std::size_t bytes) noexcept {
        const std::size_t size = block_size(bytes);
        if (size > chunk_size / 4) {
            ::operator delete(block, std::align_val_t{block_align});
            return;
        }
        std::lock_guard guard(mutex_);
        --stats_.blocks_in_use;
        const std::uintptr_t base = reinterpret_cast<std::uintptr_t>(block) / chunk_size * chunk_size;
        chunk_state& c = chunks_.find(base)->second;
        size_class& sc = class_for(size);
        const bool was_full = c.free_head == nullptr && c.left < size;
        *static_cast<void**>(block) = c.free_head;
        c.free_head = block;
        poison(block, size);
        if (--c.live == 0) {
            if (sc.empty_chunks >= 1) { // one empty chunk per class is kept
                if (!was_full) std::erase(sc.with_room, base);
                release_chunk(base);
                return;
            }
            ++sc.empty_chunks;
        }
        if (was_full) sc.with_room.push_back(base);
    }

    [[nodiscard]] stats snapshot_stats() const {
        std::lock_guard guard(mutex_);
        return stats_;
    }

  private:
    struct chunk_state {
        std::byte* bump = nullptr; // next uncarved byte
        std::size_t left = 0;      // uncarved bytes
        void* free_head = nullptr; // freed blocks, linked through their first bytes
        std::size_t live = 0;      // blocks handed out
        bool advised = false;
    };
    struct size_class {
        std::size_t size = 0;
        std::vector<std::uintptr_t> with_room; // chunks with a free block or uncarved room, newest last
        std::size_t empty_chunks = 0;          // mapped chunks with live == 0
    };

    static std::size_t block_size(std::size_t bytes) noexcept { return (bytes + block_align - 1) / block_align * block_align; }

    // A pager uses one or two sizes (its page image and nothing else), so a
    // short vector searched linearly is all the size classes need. Caller
    // holds mutex_.
    size_class& class_for(std::size_t size) {
        for (auto& sc : classes_)
            if (sc.size == size) return sc;
        classes_.push_back({size, {}, 0});
        return classes_.back();
    }

    // Caller holds mutex_. The chunk's tail (less than one block) is never
    // used.
    std::uintptr_t new_chunk() {
        const bool advise = chunks_.size() >= chunks_before_huge;
        void* chunk = map_chunk(advise);
        const auto base = reinterpret_cast<std::uintptr_t>(chunk);
        chunk_state c;
        c.bump = static_cast<std::byte*>(chunk);
        c.left = chunk_size;
        c.advised = advise;
        try {
            chunks_.emplace(base, c);
        } catch (...) {
            unmap_chunk(chunk);
            throw;
        }
        ++stats_.chunks;
        if (advise) ++stats_.advised_chunks;
        poison(chunk, chunk_size);
        return base;
    }

    // Caller holds mutex_; no block of the chunk is in use.
    void release_chunk(std::uintptr_t base) noexcept {
        const auto it = chunks_.find(base);
        if (it->second.advised) --stats_.advised_chunks;
        chunks_.erase(it);
        --stats_.chunks;
        ++stats_.released_chunks;
        unmap_chunk(reinterpret_cast<void*>(base));
    }

#if defined(SQLITEGRAPH_ARENA_MMAP)
    // A chunk_size-aligned mapping (huge pages need the alignment, and a
    // block finds its chunk by it): map twice the size and give back the
    // unaligned ends.
    static void* map_chunk(bool advise_huge) {
        const std::size_t span = 2 * chunk_size;
        void* raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw == MAP_FAILED) throw std::bad_alloc();
        const auto start = reinterpret_cast<std::uintptr_t>(raw);
        const auto aligned = (start + chunk_size - 1) / chunk_size * chunk_size;
        if (aligned > start) ::munmap(raw, aligned - start);
        const std::uintptr_t tail = start + span - (aligned + chunk_size);
        if (tail > 0) ::munmap(reinterpret_cast<void*>(aligned + chunk_size), tail);
        void* chunk = reinterpret_cast<void*>(aligned);
#if defined(MADV_HUGEPAGE)
        if (advise_huge) ::madvise(chunk, chunk_size, MADV_HUGEPAGE); // advice only: failure is harmless
#else
        (void)advise_huge;
#endif
        return chunk;
    }
    static void unmap_chunk(void* chunk) noexcept {
        unpoison(chunk, chunk_size);
        ::munmap(chunk, chunk_size);
    }
#else
    static void* map_chunk(bool) { return ::operator new(chunk_size, std::align_val_t{chunk_size}); }
    static void unmap_chunk(void* chunk) noexcept {
        unpoison(chunk, chunk_size);
        ::operator delete(chunk, std::align_val_t{chunk_size});
    }
#endif

    static void poison(void* p, std::size_t n) noexcept { asan::poison(p, n); }
    static void unpoison(void* p, std::size_t n) noexcept { asan::unpoison(p, n); }

    mutable std::mutex mutex_;
    std::unordered_map<std::uintptr_t, chunk_state> chunks_; // by base address
    std::vector<size_class> classes_;
    stats stats_;
};

// The allocator page images are made with: every copy (the one inside an
// image's control block included) keeps the arena alive.
template <class T> struct page_arena_allocator {
    using value_type = T;

    std::shared_ptr<page_arena> arena;

    explicit page_arena_allocator(std::shared_ptr<page_arena> a) noexcept : arena(std::move(a)) {}
    template <class U> page_arena_allocator(const page_arena_allocator<U>& other) noexcept : arena(other.arena) {}

    T* allocate(std::size_t n) { return static_cast<T*>(arena->allocate(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { arena->deallocate(p, n * sizeof(T)); }

    template <class U> bool operator==(const page_arena_allocator<U>& other) const noexcept { return arena == other.arena; }
};

// A pager's source of page images.
class page_buffers {
  public:
    page_buffers() : arena_(std::make_shared<page_arena>()) {}

    [[nodiscard]] page_buffer zeroed(std::size_t page_size) const {
        return std::allocate_shared<std::byte[]>(page_arena_allocator<std::byte>(arena_), page_size);
    }
    [[nodiscard]] page_buffer uninitialised(std::size_t page_size) const {
        return std::allocate_shared_for_overwrite<std::byte[]>(page_arena_allocator<std::byte>(arena_), page_size);
    }
    [[nodiscard]] page_buffer copy(const std::byte* source, std::size_t page_size) const {
        auto image = uninitialised(page_size);
        std::memcpy(image.get(), source, page_size);
        return image;
    }
    [[nodiscard]] page_arena::stats stats() const { return arena_->snapshot_stats(); }

  private:
    std::shared_ptr<page_arena> arena_;
};

} // namespace sqlitegraph
