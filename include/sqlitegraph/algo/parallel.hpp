// sqlitegraph/algo/parallel.hpp — the one place algorithms start threads.
//
// Work is cut into fixed blocks whose boundaries depend only on the input
// size, never on the thread count, and every reduction combines per-block
// partial results in block order. That is what makes multi-threaded results
// bit-identical to single-threaded ones. Threads are started per call: the
// algorithms that use this do enough work per call that a pool would not pay.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace sqlitegraph::algo {

// Execution options shared by the algorithms that can use several threads.
// threads == 0 means std::thread::hardware_concurrency().
struct exec_options {
    unsigned threads = 1;
};

[[nodiscard]] inline unsigned resolve_threads(unsigned requested) {
    if (requested != 0) return requested;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : hw;
}

// Calls body(block_begin, block_end, block_number) for each block of [0, n)
// of size `block`, on up to `threads` threads. Blocks are claimed through an
// atomic counter, so the assignment of blocks to threads varies but each
// block's work and output slot does not. The first exception is rethrown.
template <class Body>
void parallel_blocks(std::size_t n, std::size_t block, unsigned threads, Body&& body) {
    if (n == 0) return;
    block = std::max<std::size_t>(block, 1);
    const std::size_t blocks = (n + block - 1) / block;
    const unsigned t = static_cast<unsigned>(std::min<std::size_t>(resolve_threads(threads), blocks));
    if (t <= 1) {
        for (std::size_t b = 0; b < blocks; ++b) body(b * block, std::min(n, (b + 1) * block), b);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::exception_ptr first_error;
    std::mutex error_mutex;
    auto worker = [&] {
        try {
            for (;;) {
                const std::size_t b = next.fetch_add(1, std::memory_order_relaxed);
                if (b >= blocks) break;
                body(b * block, std::min(n, (b + 1) * block), b);
            }
        } catch (...) {
            std::lock_guard lock(error_mutex);
            if (!first_error) first_error = std::current_exception();
            next.store(blocks, std::memory_order_relaxed);
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(t - 1);
    for (unsigned i = 1; i < t; ++i) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    if (first_error) std::rethrow_exception(first_error);
}

[[nodiscard]] inline std::size_t block_count(std::size_t n, std::size_t block) {
    return n == 0 ? 0 : (n + block - 1) / block;
}

} // namespace sqlitegraph::algo
