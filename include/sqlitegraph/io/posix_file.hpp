// sqlitegraph/io/posix_file.hpp — files on a POSIX file system.
//
// pread/pwrite loop over short transfers and EINTR; sync() uses fdatasync,
// which on Linux flushes the data and the metadata needed to read it back
// (including a grown file size) and skips timestamps. Creating a file is made
// durable by fsync of its directory (posix_fs::sync_directory), which the
// pager calls after creating the database or its log. The exclusive lock is
// flock(LOCK_EX | LOCK_NB): it belongs to the open file description, so a
// second open of the same file, in this process or another, is refused.
#pragma once

#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/io/file.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace sqlitegraph {

namespace detail {
[[noreturn]] inline void fail_errno(const std::string& what, const std::string& path) {
    const int saved = errno;
    fail(saved == ENOENT ? errc::not_found : errc::io, what + " '" + path + "': " + std::strerror(saved));
}
} // namespace detail

class posix_file {
  public:
    posix_file() = default;

    posix_file(const std::string& path, open_mode mode) : path_(path) {
        int flags = O_CLOEXEC;
        switch (mode) {
        case open_mode::read_write_create:
            flags |= O_RDWR | O_CREAT;
            break;
        case open_mode::read_write:
            flags |= O_RDWR;
            break;
        case open_mode::read_only:
            flags |= O_RDONLY;
            break;
        }
        do {
            fd_ = ::open(path.c_str(), flags, 0644);
        } while (fd_ < 0 && errno == EINTR);
        if (fd_ < 0) detail::fail_errno("cannot open", path);
    }

    posix_file(posix_file&& other) noexcept : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}
    posix_file& operator=(posix_file&& other) noexcept {
        if (this != &other) {
            close();
            fd_ = std::exchange(other.fd_, -1);
            path_ = std::move(other.path_);
        }
        return *this;
    }
    posix_file(const posix_file&) = delete;
    posix_file& operator=(const posix_file&) = delete;
    ~posix_file() { close(); }

    std::size_t read_at(std::uint64_t offset, std::span<std::byte> out) {
        std::size_t done = 0;
        while (done < out.size()) {
            const auto n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
            if (n < 0) {
                if (errno == EINTR) continue;
                detail::fail_errno("read failed at offset " + std::to_string(offset + done) + " of", path_);
            }
            if (n == 0) break; // end of file
            done += static_cast<std::size_t>(n);
        }
        return done;
    }

    void write_at(std::uint64_t offset, std::span<const std::byte> in) {
        std::size_t done = 0;
        while (done < in.size()) {
            const auto n = ::pwrite(fd_, in.data() + done, in.size() - done, static_cast<off_t>(offset + done));
            if (n < 0) {
                if (errno == EINTR) continue;
                detail::fail_errno("write failed at offset " + std::to_string(offset + done) + " of", path_);
            }
            done += static_cast<std::size_t>(n);
        }
    }

    // pwritev of up to IOV_MAX pieces per call, resumed after a short
    // write inside whichever piece it stopped in.
    void write_gather(std::uint64_t offset, std::span<const std::span<const std::byte>> pieces) {
        std::vector<iovec> vec;
        vec.reserve(pieces.size());
        for (const auto& piece : pieces)
            if (!piece.empty()) vec.push_back({const_cast<std::byte*>(piece.data()), piece.size()});
        std::size_t first = 0;
        while (first < vec.size()) {
            const int count = static_cast<int>(std::min<std::size_t>(vec.size() - first, IOV_MAX));
            const auto n = ::pwritev(fd_, vec.data() + first, count, static_cast<off_t>(offset));
            if (n < 0) {
                if (errno == EINTR) continue;
                detail::fail_errno("write failed at offset " + std::to_string(offset) + " of", path_);
            }
            if (n == 0) fail(errc::io, "write of 0 bytes at offset " + std::to_string(offset) + " of '" + path_ + "'");
            offset += static_cast<std::uint64_t>(n);
            auto left = static_cast<std::size_t>(n);
            while (left > 0 && left >= vec[first].iov_len) {
                left -= vec[first].iov_len;
                ++first;
            }
            if (left > 0) {
                vec[first].iov_base = static_cast<char*>(vec[first].iov_base) + left;
                vec[first].iov_len -= left;
            }
        }
    }

    // Writes count zero bytes at offset, one 4 KiB OS page per pwrite:
    // Linux keeps a large write in large page-cache folios, and every later
    // one-page overwrite of such a folio walks all its blocks and makes
    // fdatasync flush more (ext4, kernel 6.18: 4 KiB write + fdatasync took
    // 65 us instead of 55 us). The pager extends its log this way, then
    // overwrites it one page per frame.
    void write_zeros(std::uint64_t offset, std::uint64_t count) {
        static const std::array<std::byte, 4096> zeros{};
        detail::write_zeros_from(*this, offset, count, zeros);
    }

    void sync() {
        int rc;
        do {
            rc = ::fdatasync(fd_);
        } while (rc != 0 && errno == EINTR);
        if (rc != 0) detail::fail_errno("fdatasync failed for", path_);
    }

    [[nodiscard]] std::uint64_t size() const {
        struct stat st {};
        if (::fstat(fd_, &st) != 0) detail::fail_errno("fstat failed for", path_);
        return static_cast<std::uint64_t>(st.st_size);
    }

    void truncate(std::uint64_t length) {
        int rc;
        do {
            rc = ::ftruncate(fd_, static_cast<off_t>(length));
        } while (rc != 0 && errno == EINTR);
        if (rc != 0) detail::fail_errno("ftruncate failed for", path_);
    }

    bool try_lock_exclusive() {
        int rc;
        do {
            rc = ::flock(fd_, LOCK_EX | LOCK_NB);
        } while (rc != 0 && errno == EINTR);
        if (rc == 0) return true;
        if (errno == EWOULDBLOCK) return false;
        detail::fail_errno("flock failed for", path_);
    }

    void unlock() {
        if (fd_ >= 0) ::flock(fd_, LOCK_UN);
    }

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] bool is_open() const noexcept { return fd_ >= 0; }

  private:
    void close() noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    int fd_ = -1;
    std::string path_;
};

// The default file policy: real files, real fsync.
struct posix_fs {
    using policy_category = file_policy_tag;
    using file_type = posix_file;

    file_type open(const std::string& path, open_mode mode) { return posix_file(path, mode); }

    bool exists(const std::string& path) {
        std::error_code ignored;
        return std::filesystem::exists(path, ignored);
    }

    void remove(const std::string& path) {
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) detail::fail_errno("cannot remove", path);
    }

    // fsync of the directory that holds path, so that a newly created or
    // removed file is itself durable, not only its contents.
    void sync_directory(const std::string& path) {
        auto directory = std::filesystem::path(path).parent_path();
        if (directory.empty()) directory = ".";
        const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) detail::fail_errno("cannot open directory", directory.string());
        const int rc = ::fsync(fd);
        ::close(fd);
        if (rc != 0) detail::fail_errno("fsync failed for directory", directory.string());
    }
};

} // namespace sqlitegraph
