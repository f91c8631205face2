// sqlitegraph/algo/big_allocator.hpp — an allocator for the large arrays of
// csr_view: blocks of 2 MiB or more are 2 MiB-aligned and, on Linux, marked
// for transparent huge pages; freed ones are kept for the next allocation
// of the same size (big_block_pool).
//
// Why: CSR construction scatters writes across arrays of hundreds of MB and
// the algorithms read them in random order; with 4 KiB pages nearly every
// such access misses the TLB, and the first touch of every 4 KiB costs a
// page fault. Huge pages cut both by 512x (measured 2x on random writes on
// our CI-class VM). Small blocks go to operator new as usual.
//
// Why keep freed blocks: memory the process gets back from the kernel is
// zeroed by it page by page at first touch, and on the virtual machines we
// measure on that first touch is slow and erratic (a warm scale-20
// snapshot_csr with weights, one thread: 1.03-1.52 s per build when every
// build mapped fresh arrays, 0.97-1.03 s when each reused the last one's,
// benchmarks/results/probes/2026-11-24-big-block-pool-ab.txt).
// A block handed back is kept, up to a limit, and given to the next
// allocation that rounds to the same size: the repeated snapshots,
// algorithm runs and cache growths of one process then reuse their memory
// (arrays of a few MiB gain nothing measurable either way: WCC at scale
// 20, in the same results file).
// Kept blocks are marked MADV_FREE, so under memory pressure the kernel
// takes their pages back without swapping (a reuse then faults them in
// zeroed again, as a fresh block would); set_retained_limit(0) or
// release_retained() gives them all back at once.
// Note: construct() without arguments default-initialises (see below), so
// a reused block's old contents stay until overwritten, as with malloc.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>

#include "sqlitegraph/core/asan.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace sqlitegraph::algo {

// The blocks big_allocator has handed back, each a multiple of 2 MiB, kept
// for reuse. One per process, thread-safe, never destroyed (an array that
// outlives static destruction can still hand its block back).
// Invariants: retained() is the sum of the kept blocks' sizes and never
// exceeds limit(); a kept block is handed out at most once.
class big_block_pool {
  public:
    // Kept at most, by default: room for the arrays of a scale-20 snapshot
    // with weights (about 0.6 GiB).
    static constexpr std::size_t default_limit = std::size_t{1} << 30;

    static big_block_pool& instance() {
        static big_block_pool* pool = new big_block_pool;
        return *pool;
    }

    // A kept block of exactly `bytes`, or nullptr.
    void* take(std::size_t bytes) {
        std::lock_guard lock(mutex_);
        for (auto it = kept_.begin(); it != kept_.end(); ++it) {
            if (it->bytes != bytes) continue;
            void* block = it->block;
            retained_ -= bytes;
            kept_.erase(it);
            asan::unpoison(block, bytes);
            return block;
        }
        return nullptr;
    }

    // Keeps the block (the oldest kept ones go first when the limit needs
    // room), or frees it when it alone is over the limit.
    void give(void* block, std::size_t bytes) noexcept {
        std::unique_lock lock(mutex_);
        if (bytes > limit_) {
            lock.unlock();
            std::free(block);
            return;
        }
#if defined(__linux__) && defined(MADV_FREE)
        (void)::madvise(block, bytes, MADV_FREE); // advisory: the pages may go, the mapping stays
#endif
        try {
            kept_.push_back({block, bytes});
        } catch (...) { // no room to note it: give it back instead
            lock.unlock();
            std::free(block);
            return;
        }
        asan::poison(block, bytes); // a use of the array after it is freed stays an error
        retained_ += bytes;
        trim_locked(limit_);
    }

    [[nodiscard]] std::size_t retained() const {
        std::lock_guard lock(mutex_);
        return retained_;
    }
    [[nodiscard]] std::size_t limit() const {
        std::lock_guard lock(mutex_);
        return limit_;
    }
    // 0 keeps nothing; lowering the limit frees the oldest kept blocks now.
    void set_limit(std::size_t bytes) {
        std::lock_guard lock(mutex_);
        limit_ = bytes;
        trim_locked(limit_);
    }
    void release() {
        std::lock_guard lock(mutex_);
        trim_locked(0);
    }

  private:
    struct kept_block {
        void* block;
        std::size_t bytes;
    };

    big_block_pool() = default;

    void trim_locked(std::size_t to) noexcept {
        while (retained_ > to) {
            retained_ -= kept_.front().bytes;
            asan::unpoison(kept_.front().block, kept_.front().bytes);
            std::free(kept_.front().block);
            kept_.pop_front();
        }
    }

    mutable std::mutex mutex_;
    std::deque<kept_block> kept_; // oldest first
    std::size_t retained_ = 0;
    std::size_t limit_ = default_limit;
};

// The process's kept blocks (see big_block_pool): bytes kept now, and the
// most it keeps (0: none).
inline std::size_t retained_bytes() { return big_block_pool::instance().retained(); }
inline void set_retained_limit(std::size_t bytes) { big_block_pool::instance().set_limit(bytes); }
inline void release_retained() { big_block_pool::instance().release(); }

template <class T>
struct big_allocator {
    using value_type = T;
    static constexpr std::size_t huge = std::size_t{1} << 21;

    big_allocator() noexcept = default;
    template <class U>
    big_allocator(const big_allocator<U>&) noexcept {}

    [[nodiscard]] T* allocate(std::size_t count) {
        if (count > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        const std::size_t bytes = count * sizeof(T);
        if (bytes < huge) return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
        const std::size_t rounded = rounded_size(bytes);
        if (void* kept = big_block_pool::instance().take(rounded)) return static_cast<T*>(kept);
        void* p = std::aligned_alloc(huge, rounded);
        if (!p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        (void)::madvise(p, rounded, MADV_HUGEPAGE); // advisory: failure just means small pages
#endif
        return static_cast<T*>(p);
    }

    void deallocate(T* p, std::size_t count) noexcept {
        const std::size_t bytes = count * sizeof(T);
        if (bytes < huge) ::operator delete(p, std::align_val_t{alignof(T)});
        else big_block_pool::instance().give(p, rounded_size(bytes));
    }

    static std::size_t rounded_size(std::size_t bytes) noexcept { return (bytes + huge - 1) / huge * huge; }

    // resize() default-initialises instead of zeroing: every slot of these
    // arrays is written by the builder before it is read, and a zeroing pass
    // over hundreds of MB is measurable.
    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }

    template <class U>
    friend bool operator==(const big_allocator&, const big_allocator<U>&) noexcept { return true; }
};

} // namespace sqlitegraph::algo
