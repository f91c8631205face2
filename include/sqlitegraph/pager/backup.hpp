// sqlitegraph/pager/backup.hpp — a consistent copy of a pager database,
// taken while writers keep committing.
//
// A backup is one read snapshot (pager::read_txn) written out as a plain main
// file: the log frames the snapshot sees are folded in, because every page is
// read through the snapshot. The copy needs no log and opens like any
// database of the same policies.
//
// Page by page (docs/backup.md):
//  - page 0 is re-encoded from the snapshot's superblock (the pager never
//    hands out page 0 as a data page), with the same roots, page count,
//    free list and change counter;
//  - free-list trunk pages are copied as they are;
//  - free-list entry pages hold stale bytes (or none, when a page was
//    allocated and freed in one transaction), so they are written as fresh
//    pages of type `free` with a valid header and checksum;
//  - every other page is copied after the pager verified its checksum, so a
//    corrupt source page fails the backup with errc::corruption naming it.
//
// Durability: the pages go to `target + ".backup-tmp"`, which is fsynced,
// renamed to `target`, and the directory fsynced. A crash leaves either no
// target or a complete one. The target and a log beside it (`target-wal`)
// must not exist: a stale log would be replayed over the copy.
#pragma once

#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/io/posix_file.hpp"
#include "sqlitegraph/pager/free_list.hpp"
#include "sqlitegraph/pager/page_format.hpp"
#include "sqlitegraph/pager/page_image.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "sqlitegraph/pager/superblock.hpp"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

namespace sqlitegraph {

struct backup_result {
    std::uint32_t page_count = 0;     // pages written, page 0 included
    std::uint64_t bytes = 0;          // page_count x page size
    std::uint64_t change_counter = 0; // the snapshot's commit number
};

// Calls emit(page_id, std::span<const std::byte>) for every page of the
// snapshot in ascending order, as the main file of a checkpointed copy would
// hold it (see the header comment for page 0 and free pages).
template <pager_policies Policies, class Emit>
void for_each_snapshot_page(typename pager<Policies>::read_txn& snapshot, Emit&& emit) {
    using checksum = typename Policies::checksum;
    constexpr std::size_t page_size = Policies::page_size_type::value;
    const superblock& sb = snapshot.meta();

    auto image = make_page_buffer(page_size);
    init_page_header(image.get(), page_type::superblock, 0);
    encode_superblock(sb, {static_cast<std::uint32_t>(page_size), checksum::id, Policies::codec::id}, image.get(),
                      page_size);
    stamp_page_checksum<checksum>(image.get(), page_size);
    emit(page_id{0}, std::span<const std::byte>(image.get(), page_size));

    // The free list names the pages whose contents mean nothing.
    std::unordered_set<page_id> free_entries;
    std::uint32_t trunks = 0;
    for (page_id trunk = sb.free_head; trunk != null_page;) {
        if (trunk >= sb.page_count || ++trunks > sb.page_count) {
            fail(errc::corruption, "free list of the snapshot names trunk page " + std::to_string(trunk) +
                                       " (page count " + std::to_string(sb.page_count) + ") or loops");
        }
        auto page = snapshot.read(trunk);
        const auto count = trunk_count(page.data());
        if (page.type() != page_type::freelist || count > trunk_capacity(page_size)) {
            fail(errc::corruption, "free-list trunk page " + std::to_string(trunk) + " is malformed");
        }
        for (std::uint32_t i = 0; i < count; ++i)
            free_entries.insert(trunk_entry(page.data(), i));
        trunk = trunk_next(page.data());
    }

    for (page_id id = 1; id < sb.page_count; ++id) {
        if (free_entries.count(id) != 0) {
            std::memset(image.get(), 0, page_size);
            init_page_header(image.get(), page_type::free, id);
            stamp_page_checksum<checksum>(image.get(), page_size);
            emit(id, std::span<const std::byte>(image.get(), page_size));
        } else {
            auto page = snapshot.read(id);
            emit(id, std::span<const std::byte>(page.data(), page_size));
        }
    }
}

namespace backup_detail {

// Refuses a target that exists or has a log beside it, so nothing is ever
// overwritten by a backup.
inline void require_fresh_target(const std::string& target) {
    posix_fs fs;
    if (target.empty()) fail(errc::invalid_argument, "backup target path is empty");
    if (fs.exists(target)) fail(errc::invalid_argument, "backup target '" + target + "' already exists");
    if (fs.exists(target + "-wal")) {
        fail(errc::invalid_argument, "a log '" + target + "-wal' exists beside the backup target; remove it first");
    }
}

// Writes pages through a 1 MiB buffer into an open file.
class page_writer {
  public:
    explicit page_writer(posix_file& file) : file_(file) { buffer_.reserve(capacity); }

    void add(std::span<const std::byte> bytes) {
        buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
        if (buffer_.size() >= capacity) flush();
    }

    void flush() {
        if (buffer_.empty()) return;
        file_.write_at(offset_, buffer_);
        offset_ += buffer_.size();
        buffer_.clear();
    }

    [[nodiscard]] std::uint64_t written() const noexcept { return offset_ + buffer_.size(); }

  private:
    static constexpr std::size_t capacity = 1u << 20;
    posix_file& file_;
    std::vector<std::byte> buffer_;
    std::uint64_t offset_ = 0;
};

// Makes `temporary` durable under the name `target`: fsync, rename, fsync of
// the directory. Removes the temporary on failure.
inline void publish(posix_file& file, const std::string& temporary, const std::string& target) {
    posix_fs fs;
    file.sync();
    file = posix_file();
    if (std::rename(temporary.c_str(), target.c_str()) != 0) {
        const int saved = errno;
        fs.remove(temporary);
        fail(errc::io, "cannot rename '" + temporary + "' to '" + target + "': " + std::strerror(saved));
    }
    fs.sync_directory(target);
}

} // namespace backup_detail

// Writes one snapshot of `db` to `target` (a new file). The snapshot is the
// database as of the given read transaction; writers may commit meanwhile.
template <pager_policies Policies>
backup_result backup_snapshot(typename pager<Policies>::read_txn& snapshot, const std::string& target) {
    backup_detail::require_fresh_target(target);
    const auto temporary = target + ".backup-tmp";
    posix_fs fs;
    fs.remove(temporary); // a leftover of an interrupted backup
    posix_file file(temporary, open_mode::read_write_create);
    backup_result result;
    try {
        backup_detail::page_writer writer(file);
        for_each_snapshot_page<Policies>(snapshot,
                                         [&](page_id, std::span<const std::byte> bytes) { writer.add(bytes); });
        writer.flush();
        result.page_count = snapshot.page_count();
        result.bytes = writer.written();
        result.change_counter = snapshot.meta().change_counter;
        backup_detail::publish(file, temporary, target);
    } catch (...) {
        file = posix_file();
        fs.remove(temporary);
        throw;
    }
    return result;
}

// Backs up the database as of now: begins a read snapshot and copies it.
// The writer is never blocked; checkpoints do not pass the snapshot while
// the copy runs (the pager's invariant 2).
template <pager_policies Policies> backup_result backup(pager<Policies>& db, const std::string& target) {
    auto snapshot = db.begin_read();
    return backup_snapshot<Policies>(snapshot, target);
}

} // namespace sqlitegraph
