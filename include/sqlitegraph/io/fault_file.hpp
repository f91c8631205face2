// sqlitegraph/io/fault_file.hpp — a file system that simulates power loss.
//
// Modelled on LevelDB's fault-injection Env and SQLite's crash VFS. Every
// file keeps two images: `current` (what reads see) and `durable` (what
// survived the last sync), plus the list of writes and truncates made since
// that sync. Then:
//   - crash_after(n): the n-th mutating call from now (write_at, truncate or
//     sync, on any file of this fault_fs) throws simulated_crash instead of
//     happening, and every later call throws too: the process is "dead".
//   - crash(seed): power is cut. For every file, each unsynced operation is
//     independently kept, dropped, or (for writes) torn: only a random
//     prefix of its bytes reaches the disk. The outcome replaces both images
//     and every lock is released. The same seed gives the same outcome.
//   - fail_after(n): the n-th mutating call throws error(errc::io, ...) as a
//     real EIO would; the file system stays alive.
// simulated_crash deliberately derives from nothing, so no `catch (const
// std::exception&)` in library code can swallow it.
#pragma once

#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/io/file.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace sqlitegraph {

struct simulated_crash {};

namespace detail {

struct fault_operation {
    bool is_truncate = false;
    std::uint64_t offset = 0; // write offset, or the new length of a truncate
    std::vector<std::byte> bytes;
};

struct fault_storage {
    std::vector<std::byte> current;
    std::vector<std::byte> durable;
    std::vector<fault_operation> unsynced;
    handle_lock lock;
};

inline void apply_write(std::vector<std::byte>& image, std::uint64_t offset, const std::byte* bytes,
                        std::size_t count) {
    if (offset + count > image.size()) image.resize(offset + count);
    if (count != 0) std::memcpy(image.data() + offset, bytes, count);
}

struct fault_state {
    std::mutex mutex; // one lock for the whole file system keeps crash() atomic
    std::map<std::string, std::shared_ptr<fault_storage>> files;
    std::optional<std::uint64_t> crash_countdown;
    std::optional<std::uint64_t> error_countdown;
    bool dead = false;
    std::uint64_t mutations = 0;

    // Called with mutex held before any mutating operation.
    void before_mutation(const std::string& path) {
        if (dead) throw simulated_crash{};
        ++mutations;
        if (crash_countdown && --*crash_countdown == 0) {
            crash_countdown.reset();
            dead = true;
            throw simulated_crash{};
        }
        if (error_countdown && --*error_countdown == 0) {
            error_countdown.reset();
            fail(errc::io, "injected I/O error on '" + path + "'");
        }
    }
};

} // namespace detail

class fault_file {
  public:
    fault_file() = default;
    fault_file(std::shared_ptr<detail::fault_state> state, std::shared_ptr<detail::fault_storage> storage,
               std::string path, bool read_only)
        : state_(std::move(state)), storage_(std::move(storage)), path_(std::move(path)), read_only_(read_only) {}

    fault_file(fault_file&& other) noexcept
        : state_(std::move(other.state_)), storage_(std::move(other.storage_)), path_(std::move(other.path_)),
          read_only_(other.read_only_), handle_id_(std::exchange(other.handle_id_, 0)) {}
    fault_file& operator=(fault_file&& other) noexcept {
        if (this != &other) {
            unlock();
            state_ = std::move(other.state_);
            storage_ = std::move(other.storage_);
            path_ = std::move(other.path_);
            read_only_ = other.read_only_;
            handle_id_ = std::exchange(other.handle_id_, 0);
        }
        return *this;
    }
    fault_file(const fault_file&) = delete;
    fault_file& operator=(const fault_file&) = delete;
    ~fault_file() { unlock(); }

    std::size_t read_at(std::uint64_t offset, std::span<std::byte> out) {
        std::lock_guard guard(state_->mutex);
        if (state_->dead) throw simulated_crash{};
        const auto& bytes = storage_->current;
        if (offset >= bytes.size()) return 0;
        const auto count = std::min<std::uint64_t>(out.size(), bytes.size() - offset);
        std::memcpy(out.data(), bytes.data() + offset, count);
        return static_cast<std::size_t>(count);
    }

    void write_at(std::uint64_t offset, std::span<const std::byte> in) {
        if (read_only_) fail(errc::read_only, "write to read-only file '" + path_ + "'");
        std::lock_guard guard(state_->mutex);
        state_->before_mutation(path_);
        detail::apply_write(storage_->current, offset, in.data(), in.size());
        storage_->unsynced.push_back({false, offset, {in.begin(), in.end()}});
    }

    void sync() {
        std::lock_guard guard(state_->mutex);
        state_->before_mutation(path_);
        storage_->durable = storage_->current;
        storage_->unsynced.clear();
    }

    [[nodiscard]] std::uint64_t size() const {
        std::lock_guard guard(state_->mutex);
        if (state_->dead) throw simulated_crash{};
        return storage_->current.size();
    }

    void truncate(std::uint64_t length) {
        if (read_only_) fail(errc::read_only, "truncate of read-only file '" + path_ + "'");
        std::lock_guard guard(state_->mutex);
        state_->before_mutation(path_);
        storage_->current.resize(length);
        storage_->unsynced.push_back({true, length, {}});
    }

    bool try_lock_exclusive() {
        std::lock_guard guard(state_->mutex);
        return storage_->lock.try_acquire(handle_id_);
    }

    void unlock() {
        if (!state_) return;
        std::lock_guard guard(state_->mutex);
        storage_->lock.release(handle_id_);
    }

    [[nodiscard]] const std::string& path() const noexcept { return path_; }

  private:
    std::shared_ptr<detail::fault_state> state_;
    std::shared_ptr<detail::fault_storage> storage_;
    std::string path_;
    bool read_only_ = false;
    std::uint64_t handle_id_ = detail::next_file_handle_id();
};

class fault_fs {
  public:
    using policy_category = file_policy_tag;
    using file_type = fault_file;

    file_type open(const std::string& path, open_mode mode) {
        std::lock_guard guard(state_->mutex);
        if (state_->dead) throw simulated_crash{};
        auto it = state_->files.find(path);
        if (it == state_->files.end()) {
            if (mode != open_mode::read_write_create) fail(errc::not_found, "cannot open '" + path + "': no such file");
            // File creation is treated as durable at once; the pager still
            // calls sync_directory as it must on a real file system.
            it = state_->files.emplace(path, std::make_shared<detail::fault_storage>()).first;
        }
        return fault_file(state_, it->second, path, mode == open_mode::read_only);
    }

    bool exists(const std::string& path) {
        std::lock_guard guard(state_->mutex);
        return state_->files.count(path) != 0;
    }

    void remove(const std::string& path) {
        std::lock_guard guard(state_->mutex);
        if (state_->dead) throw simulated_crash{};
        state_->files.erase(path);
    }

    void sync_directory(const std::string&) {
        std::lock_guard guard(state_->mutex);
        if (state_->dead) throw simulated_crash{};
    }

    void crash_after(std::uint64_t mutations) {
        std::lock_guard guard(state_->mutex);
        state_->crash_countdown = mutations == 0 ? 1 : mutations;
    }

    void fail_after(std::uint64_t mutations) {
        std::lock_guard guard(state_->mutex);
        state_->error_countdown = mutations == 0 ? 1 : mutations;
    }

    // Mutating calls made so far; a test runs a workload once to count them,
    // then picks crash points in that range.
    std::uint64_t mutations() {
        std::lock_guard guard(state_->mutex);
        return state_->mutations;
    }

    bool dead() {
        std::lock_guard guard(state_->mutex);
        return state_->dead;
    }

    // Cuts the power: see the header comment. Open handles stay usable and
    // see the post-crash bytes, but the database must be reopened anyway.
    void crash(std::uint64_t seed) {
        std::lock_guard guard(state_->mutex);
        std::mt19937_64 rng(seed);
        for (auto& [path, storage] : state_->files) {
            auto image = storage->durable;
            for (const auto& op : storage->unsynced) {
                const auto fate = rng() % 3; // 0 dropped, 1 kept, 2 torn
                if (fate == 0) continue;
                if (op.is_truncate) {
                    image.resize(op.offset);
                    continue;
                }
                auto count = op.bytes.size();
                if (fate == 2 && count > 1) count = 1 + rng() % (count - 1);
                detail::apply_write(image, op.offset, op.bytes.data(), count);
            }
            storage->durable = image;
            storage->current = std::move(image);
            storage->unsynced.clear();
            storage->lock = {};
        }
        state_->dead = false;
        state_->crash_countdown.reset();
        state_->error_countdown.reset();
    }

    std::vector<std::byte> contents(const std::string& path) {
        std::lock_guard guard(state_->mutex);
        auto it = state_->files.find(path);
        if (it == state_->files.end()) fail(errc::not_found, "no file '" + path + "'");
        return it->second->current;
    }

    void overwrite(const std::string& path, std::vector<std::byte> bytes) {
        std::lock_guard guard(state_->mutex);
        auto& storage = state_->files[path];
        if (!storage) storage = std::make_shared<detail::fault_storage>();
        storage->durable = bytes;
        storage->current = std::move(bytes);
        storage->unsynced.clear();
    }

  private:
    std::shared_ptr<detail::fault_state> state_ = std::make_shared<detail::fault_state>();
};

} // namespace sqlitegraph
