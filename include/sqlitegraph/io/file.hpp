// sqlitegraph/io/file.hpp — the file and file-system concepts.
//
// The pager reaches storage only through these two concepts, which is the
// seam for tests: posix_file is the real thing, memory_file keeps bytes in
// memory, fault_file simulates power loss. Contract of a `file`:
//   1. read_at returns the bytes read; fewer than asked only at end of file.
//   2. write_at writes all bytes or throws error(errc::io, ...).
//   3. sync makes every earlier write_at and truncate durable.
//   4. try_lock_exclusive is an advisory lock held until unlock or close; a
//      second handle (in this or another process) cannot take it meanwhile.
//   5. optional: write_zeros(offset, count) writes count zero bytes at
//      offset, in whatever writes suit the storage (see write_zeros below).
//   6. optional: write_gather(offset, pieces) writes the pieces back to back
//      from offset, as write_at of their concatenation would (see
//      write_gather below).
// A `file_system` (the file policy of basic_graph_store) opens files and
// makes their creation durable (sync_directory).
#pragma once

#include "sqlitegraph/core/policy_tags.hpp"

#include <algorithm>
#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sqlitegraph {

enum class open_mode {
    read_write_create, // create when missing
    read_write,        // must exist
    read_only,         // must exist; writes fail
};

template <class F>
concept file = std::movable<F> &&
    requires(F& f, const F& cf, std::uint64_t offset, std::span<std::byte> out, std::span<const std::byte> in) {
    { f.read_at(offset, out) } -> std::same_as<std::size_t>;
    { f.write_at(offset, in) } -> std::same_as<void>;
    { f.sync() } -> std::same_as<void>;
    { cf.size() } -> std::same_as<std::uint64_t>;
    { f.truncate(offset) } -> std::same_as<void>;
    { f.try_lock_exclusive() } -> std::same_as<bool>;
    { f.unlock() } -> std::same_as<void>;
    { cf.path() } -> std::convertible_to<std::string>;
};

template <class V>
concept file_system = requires {
    typename V::policy_category;
}
&&std::same_as<typename V::policy_category, file_policy_tag>&&
    file<typename V::file_type>&& requires(V& v, const std::string& path, open_mode mode) {
    { v.open(path, mode) } -> std::same_as<typename V::file_type>;
    { v.exists(path) } -> std::same_as<bool>;
    { v.remove(path) } -> std::same_as<void>;
    { v.sync_directory(path) } -> std::same_as<void>;
};

namespace detail {
// Writes count zero bytes at offset from a buffer of zeros, one write per
// piece between multiples of zeros.size().
template <class F>
void write_zeros_from(F& f, std::uint64_t offset, std::uint64_t count, std::span<const std::byte> zeros) {
    while (count > 0) {
        const auto n = std::min<std::uint64_t>(count, zeros.size() - offset % zeros.size());
        f.write_at(offset, zeros.first(static_cast<std::size_t>(n)));
        offset += n;
        count -= n;
    }
}
} // namespace detail

// Writes count zero bytes at offset: through the file's own write_zeros
// when it has one (posix_file writes page by page), else in writes of up to
// 1 MiB (memory_file, fault_file: each write is one crash point of the
// power-loss simulation, so fewer writes keep its crash points on commits).
template <file F> void write_zeros(F& f, std::uint64_t offset, std::uint64_t count) {
    if constexpr (requires { f.write_zeros(offset, count); }) {
        f.write_zeros(offset, count);
    } else {
        static const std::vector<std::byte> zeros(std::size_t{1} << 20);
        detail::write_zeros_from(f, offset, count, zeros);
    }
}

// Writes pieces back to back from offset: through the file's own
// write_gather when it has one (posix_file: pwritev, no copy), else as one
// write_at of their concatenation (memory_file, fault_file: one crash point
// of the power-loss simulation, as a single write was before).
template <file F> void write_gather(F& f, std::uint64_t offset, std::span<const std::span<const std::byte>> pieces) {
    if constexpr (requires { f.write_gather(offset, pieces); }) {
        f.write_gather(offset, pieces);
    } else {
        std::vector<std::byte> joined;
        for (const auto& piece : pieces)
            joined.insert(joined.end(), piece.begin(), piece.end());
        f.write_at(offset, joined);
    }
}

namespace detail {
// Identity of an in-memory file handle, for the lock bookkeeping of
// memory_fs and fault_fs (never 0, which means "unlocked").
inline std::uint64_t next_file_handle_id() noexcept {
    static std::atomic<std::uint64_t> counter{0};
    return ++counter;
}

// The exclusive lock of an in-memory file: which handle holds it. The caller
// holds the mutex that guards the file's storage.
struct handle_lock {
    std::uint64_t owner = 0; // handle id holding the lock; 0 = unlocked

    bool try_acquire(std::uint64_t handle) noexcept {
        if (owner == handle) return true;
        if (owner != 0) return false;
        owner = handle;
        return true;
    }
    // Only the holder releases: after a simulated crash the lock may
    // already belong to a handle of the next "process".
    void release(std::uint64_t handle) noexcept {
        if (owner == handle) owner = 0;
    }
};
} // namespace detail

} // namespace sqlitegraph
