// sqlitegraph/core/asan.hpp — marking memory a pool keeps as unusable under
// AddressSanitizer.
//
// Why: a pool that keeps freed blocks for reuse (the page arena, the big
// block pool) hides a use after free from AddressSanitizer, which only sees
// the pool's memory as allocated. Poisoning a block while it is kept makes
// such a use an error again. Without AddressSanitizer both calls are no-ops.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define SQLITEGRAPH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SQLITEGRAPH_ASAN 1
#endif
#endif
#if defined(SQLITEGRAPH_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace sqlitegraph::asan {

#if defined(SQLITEGRAPH_ASAN)
inline void poison(void* p, std::size_t n) noexcept { ASAN_POISON_MEMORY_REGION(p, n); }
inline void unpoison(void* p, std::size_t n) noexcept { ASAN_UNPOISON_MEMORY_REGION(p, n); }
#else
inline void poison(void*, std::size_t) noexcept {}
inline void unpoison(void*, std::size_t) noexcept {}
#endif

} // namespace sqlitegraph::asan
