// sqlitegraph/algo/big_allocator.hpp — an allocator for the large arrays of
// csr_view: blocks of 2 MiB or more are 2 MiB-aligned and, on Linux, marked
// for transparent huge pages.
//
// Why: CSR construction scatters writes across arrays of hundreds of MB and
// the algorithms read them in random order; with 4 KiB pages nearly every
// such access misses the TLB, and the first touch of every 4 KiB costs a
// page fault. Huge pages cut both by 512x (measured 2x on random writes on
// our CI-class VM). Small blocks go to operator new as usual.
// Note: construct() without arguments default-initialises (see below).
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace sqlitegraph::algo {

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
        const std::size_t rounded = (bytes + huge - 1) / huge * huge;
        void* p = std::aligned_alloc(huge, rounded);
        if (!p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        (void)::madvise(p, rounded, MADV_HUGEPAGE); // advisory: failure just means small pages
#endif
        return static_cast<T*>(p);
    }

    void deallocate(T* p, std::size_t count) noexcept {
        if (count * sizeof(T) < huge) ::operator delete(p, std::align_val_t{alignof(T)});
        else std::free(p);
    }

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
