// sqlitegraph/io/memory_file.hpp — files kept in memory.
//
// memory_fs is a tiny in-memory file system: copies of one memory_fs share
// the same files, so a test can close a database and open it again, and two
// handles on one path see one byte array and one lock. Every operation is
// guarded by the file's mutex because readers and the writer of a database
// use the same file from several threads. sync() does nothing: memory is as
// durable as it gets here (fault_fs is the one that forgets unsynced data).
#pragma once

#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/io/file.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sqlitegraph {

namespace detail {
struct memory_storage {
    std::mutex mutex;
    std::vector<std::byte> bytes;
    handle_lock lock;
};
} // namespace detail

class memory_file {
  public:
    memory_file() = default;
    memory_file(std::shared_ptr<detail::memory_storage> storage, std::string path, bool read_only)
        : storage_(std::move(storage)), path_(std::move(path)), read_only_(read_only) {}

    memory_file(memory_file&& other) noexcept
        : storage_(std::move(other.storage_)), path_(std::move(other.path_)), read_only_(other.read_only_),
          handle_id_(std::exchange(other.handle_id_, 0)) {}
    memory_file& operator=(memory_file&& other) noexcept {
        if (this != &other) {
            unlock();
            storage_ = std::move(other.storage_);
            path_ = std::move(other.path_);
            read_only_ = other.read_only_;
            handle_id_ = std::exchange(other.handle_id_, 0);
        }
        return *this;
    }
    memory_file(const memory_file&) = delete;
    memory_file& operator=(const memory_file&) = delete;
    ~memory_file() { unlock(); }

    std::size_t read_at(std::uint64_t offset, std::span<std::byte> out) {
        std::lock_guard guard(storage_->mutex);
        const auto& bytes = storage_->bytes;
        if (offset >= bytes.size()) return 0;
        const auto count = std::min<std::uint64_t>(out.size(), bytes.size() - offset);
        std::memcpy(out.data(), bytes.data() + offset, count);
        return static_cast<std::size_t>(count);
    }

    void write_at(std::uint64_t offset, std::span<const std::byte> in) {
        if (read_only_) fail(errc::read_only, "write to read-only file '" + path_ + "'");
        std::lock_guard guard(storage_->mutex);
        auto& bytes = storage_->bytes;
        if (offset + in.size() > bytes.size()) bytes.resize(offset + in.size());
        if (!in.empty()) std::memcpy(bytes.data() + offset, in.data(), in.size());
    }

    void sync() {}

    [[nodiscard]] std::uint64_t size() const {
        std::lock_guard guard(storage_->mutex);
        return storage_->bytes.size();
    }

    void truncate(std::uint64_t length) {
        if (read_only_) fail(errc::read_only, "truncate of read-only file '" + path_ + "'");
        std::lock_guard guard(storage_->mutex);
        storage_->bytes.resize(length);
    }

    bool try_lock_exclusive() {
        std::lock_guard guard(storage_->mutex);
        return storage_->lock.try_acquire(handle_id_);
    }

    void unlock() {
        if (!storage_) return;
        std::lock_guard guard(storage_->mutex);
        storage_->lock.release(handle_id_);
    }

    [[nodiscard]] const std::string& path() const noexcept { return path_; }

  private:
    std::shared_ptr<detail::memory_storage> storage_;
    std::string path_;
    bool read_only_ = false;
    std::uint64_t handle_id_ = detail::next_file_handle_id();
};

class memory_fs {
  public:
    using policy_category = file_policy_tag;
    using file_type = memory_file;

    file_type open(const std::string& path, open_mode mode) {
        std::lock_guard guard(state_->mutex);
        auto it = state_->files.find(path);
        if (it == state_->files.end()) {
            if (mode != open_mode::read_write_create) fail(errc::not_found, "cannot open '" + path + "': no such file");
            it = state_->files.emplace(path, std::make_shared<detail::memory_storage>()).first;
        }
        return memory_file(it->second, path, mode == open_mode::read_only);
    }

    bool exists(const std::string& path) {
        std::lock_guard guard(state_->mutex);
        return state_->files.count(path) != 0;
    }

    void remove(const std::string& path) {
        std::lock_guard guard(state_->mutex);
        state_->files.erase(path);
    }

    void sync_directory(const std::string&) {}

    // A copy of a file's bytes, for tests that corrupt or inspect files.
    std::vector<std::byte> contents(const std::string& path) {
        auto f = open(path, open_mode::read_only);
        std::vector<std::byte> bytes(f.size());
        f.read_at(0, bytes);
        return bytes;
    }

  private:
    struct state {
        std::mutex mutex;
        std::map<std::string, std::shared_ptr<detail::memory_storage>> files;
    };
    std::shared_ptr<state> state_ = std::make_shared<state>();
};

} // namespace sqlitegraph
