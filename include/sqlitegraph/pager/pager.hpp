// sqlitegraph/pager/pager.hpp — pages, transactions, the write-ahead log,
// checkpoints and crash recovery: the durability core of the native backend.
//
// Files: the database `path` (page 0 is the superblock) and its log
// `path + "-wal"` (wal_format.hpp). A committed transaction is a run of log
// frames ending in a commit frame, made durable by one sync of the log. The
// main file changes at checkpoint, and where a large commit appends pages
// (append_direct_min).
//
// Concurrency: one writer at a time (writer_gate; a second writer waits up
// to the busy timeout, then errc::busy), any number of readers, each seeing a
// snapshot. A snapshot is (superblock, mark): the reader sees log frames
// [0, mark) of the current log generation, and the main file for pages with
// no such frame. Only one process may open a database: the main file is
// locked exclusively at open.
//
// Invariants:
//  1. Committed page images never change in place; a write transaction
//     copies a page before changing it and its dirty pages are invisible to
//     everyone else until commit publishes them.
//  2. The main file is written by checkpoint, only with frames below the
//     smallest mark of a live reader, and by a commit appending many pages
//     (write_direct) or a write transaction writing out finished pages it
//     appended (write_txn::spill), only at ids at or past the page count of
//     every snapshot, which no reader can ask for; so a reader never finds a
//     page in the main file that is newer than its snapshot.
//  3. The log is reset (new salts, frames start again at 0) only when every
//     frame has been copied into the synced main file and no reader is live.
//  4. After an I/O error while writing the log the pager is `failed`: it
//     refuses writes until reopened, so nothing half-written is ever read as
//     committed (reads of already committed data continue to work).
//
// Transaction states:
//
//     begin_write() --> [active] --commit()--> [committed]
//                          |  \--rollback() / destructor--> [rolled back]
//                          \--I/O error in commit--> [rolled back], pager [failed]
//
// Sync modes, in the words of SQLite's synchronous setting and LevelDB's
// WriteOptions::sync:
//  - sync_mode::full (default): commit() returns after the log is synced.
//    A committed transaction survives a crash or power loss.
//  - sync_mode::normal: commit() does not sync; the log is synced before each
//    checkpoint. After a process crash every committed transaction survives
//    (the data is in the OS); after a power loss the database is consistent
//    (it is as of some earlier commit, never between two) but the most recent
//    commits may be lost.
#pragma once

#include "sqlitegraph/core/checksum.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/core/page_size.hpp"
#include "sqlitegraph/io/file.hpp"
#include "sqlitegraph/pager/cache_policy.hpp"
#include "sqlitegraph/pager/free_list.hpp"
#include "sqlitegraph/pager/page_cache.hpp"
#include "sqlitegraph/pager/page_format.hpp"
#include "sqlitegraph/pager/page_arena.hpp"
#include "sqlitegraph/pager/page_image.hpp"
#include "sqlitegraph/pager/superblock.hpp"
#include "sqlitegraph/pager/wal_format.hpp"
#include "sqlitegraph/pager/writer_gate.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace sqlitegraph {

enum class sync_mode { full, normal };

struct pager_options {
    bool create_if_missing = true;
    sync_mode sync = sync_mode::full;
    std::size_t cache_pages = 4096;
    // Checkpoint automatically once the log holds this many bytes of frames
    // (0: only on demand and on close).
    std::uint64_t checkpoint_threshold_bytes = 4u << 20;
    std::chrono::milliseconds busy_timeout{5000};
};

struct pager_stats {
    std::uint32_t page_count = 0;
    std::uint32_t free_pages = 0;
    std::uint32_t log_frames = 0;
    std::uint32_t backfilled_frames = 0;
    std::uint64_t change_counter = 0;
    std::uint64_t commits = 0;
    std::uint64_t checkpoints = 0;
    std::uint64_t log_resets = 0;
    std::uint64_t direct_pages = 0; // pages a large commit appended straight to the main file
    cache_stats cache;
    std::size_t cached_pages = 0; // page images in the cache now
    std::size_t kept_pins = 0;    // of the readers' pin budget, pages taken (read_txn::reserve_pin)
};

struct check_report {
    std::uint32_t page_count = 0;
    std::uint32_t free_pages = 0;
    std::uint32_t used_pages = 0;
    std::vector<std::string> problems;

    [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

// What the pager needs from a policy bundle (store_policies provides it).
template <class P>
concept pager_policies = requires {
    typename P::page_size_type;
    typename P::cache;
    typename P::checksum;
    typename P::codec;
    typename P::file_system;
}
&&page_size_policy<typename P::page_size_type>&& cache_policy<typename P::cache>&&
    checksum_policy<typename P::checksum>&& file_system<typename P::file_system>;

template <pager_policies Policies> class pager {
  public:
    using file_system_type = typename Policies::file_system;
    using file_type = typename file_system_type::file_type;
    using checksum = typename Policies::checksum;
    static constexpr std::size_t page_size_bytes = Policies::page_size_type::value;

    class read_txn;
    class write_txn;

    explicit pager(std::string path, pager_options options = {}, file_system_type fs = {})
        : fs_(std::move(fs)), path_(std::move(path)), wal_path_(path_ + "-wal"), options_(options),
          cache_(options.cache_pages) {
        open_files();
    }

    pager(const pager&) = delete;
    pager& operator=(const pager&) = delete;

    ~pager() {
        try {
            close();
        } catch (...) {
            // A destructor must not throw; the log keeps every commit anyway.
        }
    }

    read_txn begin_read() { return read_txn(*this); }

    write_txn begin_write() { return begin_write(options_.busy_timeout); }

    write_txn begin_write(std::chrono::milliseconds timeout) {
        // Waiting on a mutex this thread holds would never end (and is
        // a self-deadlock), so say so at once.
        if (writer_thread_.load() == std::this_thread::get_id()) {
            fail(errc::busy, "database '" + path_ + "': this thread already has an active write transaction");
        }
        writer_lock lock(writer_gate_);
        if (!lock.try_lock_for(timeout)) {
            fail(errc::busy, "database '" + path_ + "': another write transaction is active (waited " +
                                 std::to_string(timeout.count()) + " ms)");
        }
        require_open_and_healthy();
        writer_thread_ = std::this_thread::get_id();
        return write_txn(*this, std::move(lock));
    }

    // Copies committed frames into the main file (as far as live readers
    // allow) and resets the log when everything is copied and nobody reads.
    void checkpoint() {
        writer_lock lock(writer_gate_);
        if (!lock.try_lock_for(options_.busy_timeout)) {
            fail(errc::busy, "database '" + path_ + "': checkpoint waited for the writer too long");
        }
        require_open_and_healthy();
        checkpoint_locked();
    }

    // Checkpoints and releases the files. Later calls do nothing.
    void close() {
        if (!open_) return;
        writer_lock lock(writer_gate_);
        lock.lock();
        if (!failed_) {
            // The reset log keeps its prepared space (cut back only past the
            // limit, see cut_back_log), so the next session's commits
            // overwrite it instead of zeroing it again.
            checkpoint_locked();
        }
        open_ = false;
        main_.unlock();
        main_ = file_type();
        wal_ = file_type();
    }

    check_report check(std::span<const page_id> used_by_callers = {}, bool callers_own_the_rest = false);

    [[nodiscard]] pager_stats stats() const {
        std::shared_lock lock(state_mutex_);
        pager_stats s;
        s.page_count = committed_->page_count;
        s.free_pages = committed_->free_count;
        s.change_counter = committed_->change_counter;
        s.log_frames = frame_count_;
        s.backfilled_frames = backfilled_;
        s.commits = commits_;
        s.checkpoints = checkpoints_;
        s.log_resets = log_resets_;
        s.direct_pages = direct_pages_;
        s.cache = cache_.stats();
        s.cached_pages = cache_.size();
        s.kept_pins = kept_pins_.load(std::memory_order_relaxed);
        return s;
    }

    // The memory page images take (pager/page_arena.hpp): chunks mapped now,
    // blocks in use, chunks given back so far.
    [[nodiscard]] page_arena::stats image_memory() const { return buffers_.stats(); }

    [[nodiscard]] bool failed() const noexcept { return failed_; }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] static constexpr std::size_t page_size() noexcept { return page_size_bytes; }
    [[nodiscard]] const pager_options& options() const noexcept { return options_; }

  private:
    using snapshot_marks = std::multiset<std::uint32_t>;

    static constexpr file_identity identity() {
        return {static_cast<std::uint32_t>(page_size_bytes), checksum::id, Policies::codec::id};
    }

    // ---- opening and recovery ------------------------------------------------

    void open_files() {
        const bool existed = fs_.exists(path_);
        if (!existed && !options_.create_if_missing) fail(errc::not_found, "database '" + path_ + "' does not exist");
        main_ = fs_.open(path_, open_mode::read_write_create);
        if (!main_.try_lock_exclusive()) {
            fail(errc::busy, "database '" + path_ + "' is locked by another process or handle");
        }
        if (main_.size() == 0 || is_interrupted_creation()) {
            create_database(existed);
        } else {
            check_main_identity();
        }
        recover_log();
        // The log's newest superblock wins. Only without one is the main
        // file's page 0 read: it may be torn by an interrupted checkpoint
        // only while the log still holds a newer copy.
        superblock in_force = committed_ ? *committed_ : read_main_superblock();
        // Commits that left the superblock alone did not log it (see commit()):
        // each still counts.
        in_force.change_counter += unlogged_commits_;
        committed_ = std::make_shared<const superblock>(std::move(in_force));
        open_ = true;
    }

    // Page 0 holding `sb`, checksum not yet stamped (the log stamps frames).
    page_buffer superblock_image(const superblock& sb) const {
        auto page = buffers_.zeroed(page_size_bytes);
        init_page_header(page.get(), page_type::superblock, 0);
        encode_superblock(sb, identity(), page.get(), page_size_bytes);
        return page;
    }

    page_buffer fresh_superblock_image() const {
        auto page = superblock_image(superblock{});
        stamp_page_checksum<checksum>(page.get(), page_size_bytes);
        return page;
    }

    // A crash while a new database's first page was being written leaves a
    // short file whose bytes are a prefix of that page: start over. Any
    // other short file is not ours and is refused later.
    bool is_interrupted_creation() {
        const auto size = main_.size();
        if (size >= page_size_bytes) return false;
        std::vector<std::byte> bytes(size);
        main_.read_at(0, bytes);
        const auto fresh = fresh_superblock_image();
        return std::memcmp(bytes.data(), fresh.get(), size) == 0;
    }

    void create_database(bool existed) {
        // A log beside an empty main file cannot hold commits (the superblock
        // is synced before the first frame is written), so it is stale.
        if (fs_.exists(wal_path_)) fs_.remove(wal_path_);
        const auto page = fresh_superblock_image();
        main_.write_at(0, {page.get(), page_size_bytes});
        main_.sync();
        if (!existed) fs_.sync_directory(path_);
        committed_ = std::make_shared<const superblock>();
    }

    void check_main_identity() {
        std::vector<std::byte> prefix(superblock_prefix_size);
        const auto got = main_.read_at(0, prefix);
        check_file_identity(prefix.data(), got, identity(), path_);
    }

    superblock read_main_superblock() {
        auto page = buffers_.uninitialised(page_size_bytes);
        if (main_.read_at(0, {page.get(), page_size_bytes}) != page_size_bytes) {
            fail(errc::corruption, "'" + path_ + "': superblock page is truncated");
        }
        verify_page<checksum>(page.get(), page_size_bytes, 0, path_);
        return decode_superblock(page.get(), page_size_bytes, path_);
    }

    void recover_log() {
        const bool existed = fs_.exists(wal_path_);
        wal_ = fs_.open(wal_path_, open_mode::read_write_create);
        log_prepared_bytes_ = wal_.size();
        std::vector<std::byte> header_bytes(wal_header_size);
        const auto got = wal_.read_at(0, header_bytes);
        wal_header header;
        if (got == wal_header_size && decode_wal_header<checksum>({header_bytes.data(), got}, header) &&
            header.page_size == page_size_bytes) {
            header_ = header;
            replay_frames();
            stale_tail_possible_ = true;
        } else {
            // No usable log: absent, torn while being reset, or never written.
            // Whatever frames follow cannot be trusted without their header.
            write_new_log_header(0);
            if (!existed) fs_.sync_directory(wal_path_);
        }
    }

    void replay_frames() {
        std::vector<std::byte> frame(page_size_bytes);
        std::uint64_t chain = header_.checksum;
        std::uint32_t committed_frames = 0;
        std::uint64_t committed_chain = chain;
        std::vector<std::pair<page_id, std::uint32_t>> pending; // this transaction's frames
        std::vector<std::pair<page_id, std::uint32_t>> accepted;
        std::uint64_t unlogged = 0; // committed transactions after the newest superblock frame
        const auto log_size = wal_.size();
        for (std::uint32_t i = 0;; ++i) {
            const auto offset = wal_frame_offset(i, page_size_bytes);
            if (offset + frame.size() > log_size) break;
            if (wal_.read_at(offset, frame) != frame.size()) break;
            wal_frame_header fh;
            if (!decode_wal_frame<checksum>(frame, header_, chain, fh)) break;
            chain = fh.checksum;
            pending.emplace_back(fh.page, i);
            if (fh.commit_page_count != 0) {
                // Page 0, when a transaction logs it, is its last frame.
                unlogged = fh.page == 0 ? 0 : unlogged + 1;
                accepted.insert(accepted.end(), pending.begin(), pending.end());
                pending.clear();
                committed_frames = i + 1;
                committed_chain = chain;
            }
        }
        for (const auto& [page, index] : accepted)
            index_[page].push_back(index);
        frame_count_ = committed_frames;
        chain_ = committed_chain;
        backfilled_ = 0;
        unlogged_commits_ = unlogged;
        if (auto it = index_.find(0); it != index_.end()) {
            auto page = read_image(0, it->second.back());
            committed_ = std::make_shared<const superblock>(decode_superblock(page.get(), page_size_bytes, wal_path_));
        }
    }

    // Writes and syncs a fresh log header; frames restart at 0.
    void write_new_log_header(std::uint32_t sequence) {
        std::random_device entropy;
        header_.page_size = static_cast<std::uint32_t>(page_size_bytes);
        header_.checkpoint_sequence = sequence;
        header_.salt1 += 1;
        header_.salt2 = entropy();
        std::byte bytes[wal_header_size];
        encode_wal_header<checksum>(header_, bytes);
        wal_.write_at(0, bytes);
        wal_.sync();
        chain_ = header_.checksum;
        stale_tail_possible_ = false; // no frame carries the new salt yet
        frame_count_ = 0;
        backfilled_ = 0;
        index_.clear();
    }

    // ---- reading pages ---------------------------------------------------------

    // Reads and verifies one image: frame `frame` of the log, or the main
    // file when frame is no_frame.
    static constexpr std::uint32_t no_frame = UINT32_MAX;

    page_buffer read_image(page_id id, std::uint32_t frame) {
        auto image = buffers_.uninitialised(page_size_bytes);
        std::span<std::byte> out(image.get(), page_size_bytes);
        if (frame == no_frame) {
            if (main_.read_at(static_cast<std::uint64_t>(id) * page_size_bytes, out) != page_size_bytes) {
                fail(errc::corruption, "page " + std::to_string(id) + " lies beyond the end of '" + path_ + "'");
            }
            verify_page<checksum>(image.get(), page_size_bytes, id, path_);
        } else {
            const auto offset = wal_frame_offset(frame, page_size_bytes);
            if (wal_.read_at(offset, out) != page_size_bytes) {
                fail(errc::corruption, "log frame " + std::to_string(frame) + " of '" + wal_path_ + "' is truncated");
            }
            verify_page<checksum>(image.get(), page_size_bytes, id, wal_path_ + " frame " + std::to_string(frame));
        }
        return image;
    }

    // The newest frame of `id` below `mark`, or no_frame. Caller holds
    // state_mutex_ (shared or exclusive).
    std::uint32_t find_frame(page_id id, std::uint32_t mark) const {
        auto it = index_.find(id);
        if (it == index_.end()) return no_frame;
        const auto& frames = it->second;
        auto pos = std::lower_bound(frames.begin(), frames.end(), mark);
        return pos == frames.begin() ? no_frame : *(pos - 1);
    }

    page_ref load_committed(page_id id, std::uint32_t mark, const superblock& sb) {
        if (id == null_page || id >= sb.page_count) {
            fail(errc::invalid_argument, "page " + std::to_string(id) + " is not a data page of '" + path_ +
                                             "' (page count " + std::to_string(sb.page_count) + ")");
        }
        // A snapshot that sees no log frames reads the main file only, so
        // the common read-mostly case skips the index and its lock.
        std::uint32_t frame = no_frame;
        if (mark != 0) {
            std::shared_lock lock(state_mutex_);
            frame = find_frame(id, mark);
        }
        const auto key = make_cache_key(id, frame == no_frame ? 0 : frame + 1);
        if (auto cached = cache_.find(key)) return page_ref(std::move(cached), id);
        auto image = read_image(id, frame);
        cache_.insert(key, image);
        return page_ref(std::move(image), id);
    }

    // Prefetches the page cache's bookkeeping for the page a snapshot that
    // sees no log frames would read next (a snapshot that does would need
    // the log index and its lock first: no hint then). A hint only.
    void prefetch_committed(page_id id, std::uint32_t mark) const {
        if (mark == 0 && id != null_page) cache_.prefetch(make_cache_key(id, 0));
    }

    // ---- readers -----------------------------------------------------------------

    // The pin budget of read_txn::reserve_pin: half the cache, so at least
    // half of it can always be evicted.
    bool reserve_kept_pin() noexcept {
        const std::size_t budget = cache_.capacity() / 2;
        std::size_t used = kept_pins_.load(std::memory_order_relaxed);
        while (used < budget) {
            if (kept_pins_.compare_exchange_weak(used, used + 1, std::memory_order_relaxed)) return true;
        }
        return false;
    }
    void release_kept_pins(std::size_t pages) noexcept { kept_pins_.fetch_sub(pages, std::memory_order_relaxed); }

    struct snapshot {
        std::shared_ptr<const superblock> sb;
        std::uint32_t mark;
        snapshot_marks::iterator registration;
    };

    snapshot register_reader() {
        std::unique_lock lock(state_mutex_);
        if (!open_) fail(errc::invalid_argument, "database '" + path_ + "' is closed");
        return {committed_, frame_count_, live_marks_.insert(frame_count_)};
    }

    void unregister_reader(snapshot_marks::iterator registration) {
        std::unique_lock lock(state_mutex_);
        live_marks_.erase(registration);
    }

    // ---- writing -----------------------------------------------------------------

    void require_open_and_healthy() const {
        if (!open_) fail(errc::invalid_argument, "database '" + path_ + "' is closed");
        if (failed_) {
            fail(errc::failed_state,
                 "database '" + path_ + "' refuses writes after an I/O error during commit; reopen it to recover");
        }
    }

    // Appends one transaction's frames and syncs per the sync mode. Called
    // with the writer mutex held.
    // Takes the superblock by value: it is published as the new committed one.
    void append_transaction(std::vector<std::pair<page_id, page_buffer>>& pages, superblock sb, bool user_commit = true,
                            std::vector<std::pair<page_id, page_buffer>>* direct = nullptr, bool spilled = false) {
        const auto page_count = sb.page_count;
        std::uint64_t chain = 0;
        std::uint32_t next = 0;
        try {
            // Before the session's first frame; it may start a new log
            // generation, so the chain and the frame count are read after it.
            if (stale_tail_possible_) retire_stale_tail();
            chain = chain_;
            next = frame_count_;
            const std::uint64_t write_offset = wal_frame_offset(next, page_size_bytes);
            if (direct != nullptr && !direct->empty()) {
                write_direct(*direct);
            } else if (spilled) {
                main_.sync(); // the pages spilled before the commit (write_txn::spill)
            }
            prepare_log_space(write_offset, write_offset + pages.size() * page_size_bytes);
            for (std::size_t i = 0; i < pages.size(); ++i) {
                std::byte* image = pages[i].second.get();
                stamp_page_checksum<checksum>(image, page_size_bytes);
                chain = stamp_wal_frame<checksum>(image, i + 1 == pages.size() ? page_count : 0, header_.salt1, chain);
            }
            // A frame is its page image: the frames go out as gathered
            // writes straight from the images.
            write_image_runs(wal_, pages.size(), [&](std::size_t i) { return write_offset + i * page_size_bytes; },
                             [&](std::size_t i) { return pages[i].second; });
            if (options_.sync == sync_mode::full) wal_.sync();
        } catch (const error&) {
            failed_ = true;
            throw;
        }
        // Publish the frames and the superblock together: a reader that
        // registers now must get a mark and a superblock of one commit.
        auto published = std::make_shared<const superblock>(std::move(sb));
        std::unique_lock lock(state_mutex_);
        committed_ = std::move(published);
        if (user_commit) ++commits_;
        unlogged_commits_ = pages.back().first == 0 ? 0 : unlogged_commits_ + 1;
        std::uint32_t frame = next;
        // With no reader registered, no snapshot can ask for a page's
        // version from before this commit (a reader that registers from now
        // on gets the new mark), so each page's previous newest version
        // leaves the cache now instead of at eviction or the next reset:
        // its image goes back to the arena for the next commit's copies.
        // Otherwise the cache grew by every commit's pages until a
        // checkpoint, and on the benchmark's virtual machine a fresh 2 MiB
        // chunk of memory cost milliseconds to touch
        // (benchmarks/results/probes/2026-11-25-l2-superseded-versions.txt).
        const bool no_reader = live_marks_.empty();
        for (auto& [id, image] : pages) {
            // Every frame already listed precedes this commit's, so the
            // page's previous newest version is the last one listed.
            auto& frames = index_[id];
            if (no_reader) cache_.erase(make_cache_key(id, frames.empty() ? 0 : frames.back() + 1));
            frames.push_back(frame);
            cache_.insert(make_cache_key(id, frame + 1), std::move(image));
            ++frame;
        }
        frame_count_ = frame;
        chain_ = chain;
        if (direct != nullptr) {
            direct_pages_ += direct->size();
            for (auto& [id, image] : *direct)
                cache_.insert(make_cache_key(id, 0), std::move(image));
        }
    }

    // A commit that appends at least append_direct_min pages past the page
    // count of its snapshot writes them straight to the main file, synced
    // before any of its frames is written, instead of logging them and
    // copying them again at the next checkpoint: a bulk load then writes its
    // pages once, not twice (the scale-20 load: 837 MiB, not 1.6 GiB). Safe
    // because no snapshot's page count reaches them (page counts never
    // shrink) and none has a log frame; until the commit frame is durable
    // they lie beyond the committed page count, where recovery never looks,
    // and the next transaction to allocate them overwrites them. The main
    // file is synced in either sync mode: a durable commit frame must never
    // name pages that are not. Small commits keep to the log: the extra sync
    // would cost more than the copy.
    static constexpr std::size_t append_direct_min = 256;

    void write_direct(std::vector<std::pair<page_id, page_buffer>>& pages) {
        for (auto& [id, image] : pages)
            stamp_page_checksum<checksum>(image.get(), page_size_bytes);
        write_image_runs(main_, pages.size(), [&](std::size_t i) { return main_offset(pages[i].first); },
                         [&](std::size_t i) { return pages[i].second; });
        main_.sync();
    }

    // Writes count page images to f, image i at offset_of(i), offsets
    // ascending: each run of adjacent images, up to 256 pages, is one
    // gathered write (a bulk load's pages are hundreds of writes, not one
    // per page). image_of(i) returns image i; a run's images are held until
    // it is written. Serves log frames, checkpoint copies and write_direct.
    template <class OffsetOf, class ImageOf>
    void write_image_runs(file_type& f, std::size_t count, OffsetOf offset_of, ImageOf image_of) {
        constexpr std::size_t max_run = 256;
        std::vector<page_buffer> images;
        std::vector<std::span<const std::byte>> run;
        for (std::size_t i = 0; i < count;) {
            std::size_t end = i + 1;
            while (end < count && end - i < max_run && offset_of(end) == offset_of(end - 1) + page_size_bytes)
                ++end;
            images.clear();
            run.clear();
            for (std::size_t j = i; j < end; ++j) {
                images.push_back(image_of(j));
                run.emplace_back(images.back().get(), page_size_bytes);
            }
            write_gather(f, offset_of(i), run);
            i = end;
        }
    }

    static std::uint64_t main_offset(page_id id) noexcept { return static_cast<std::uint64_t>(id) * page_size_bytes; }

    // write_txn::spill: one finished page past every snapshot's page count,
    // written to the main file before its commit (synced by the commit).
    void write_spilled(page_id id, const page_buffer& image) {
        stamp_page_checksum<checksum>(image.get(), page_size_bytes);
        try {
            main_.write_at(main_offset(id), {image.get(), page_size_bytes});
        } catch (const error&) {
            failed_ = true;
            throw;
        }
    }

    // Whether none of the pages a commit appends has a log frame (always so
    // while page counts never shrink; checked, not assumed), under one lock.
    template <class It> bool all_unlogged(It first, It last) const {
        std::shared_lock lock(state_mutex_);
        return std::none_of(first, last, [&](const auto& p) { return index_.contains(p.first); });
    }

    // Frames of the current generation can lie past the recovered end of
    // the log: a crash that lost or tore one frame leaves the frames after
    // it, which no longer chain. A session whose first frame happened to be
    // identical to the lost one (a transaction replayed after the crash, for
    // instance) would chain them back in, and a later recovery would accept
    // an old transaction that was never acknowledged. So before a session
    // appends its first frame to a log it recovered, that tail is made
    // unreachable: with no committed frames, by a new log header (new
    // salts; one header write and sync per session); otherwise (only after
    // a crash, since a clean close leaves no frames) by cutting the log
    // back to its committed end and syncing, which is quick however long
    // the tail (a crash in a bulk commit leaves hundreds of MB);
    // prepare_log_space then extends it again as it would a new log.
    void retire_stale_tail() {
        if (frame_count_ == 0) {
            std::unique_lock lock(state_mutex_);
            write_new_log_header(header_.checkpoint_sequence + 1);
            return;
        }
        const auto end = wal_frame_offset(frame_count_, page_size_bytes);
        if (log_prepared_bytes_ > end) {
            truncate_log(end);
            wal_.sync();
        }
        stale_tail_possible_ = false;
    }

    // Overwriting file space that already exists lets fdatasync skip the
    // file-size metadata that an append must flush (a second journal write
    // on most file systems), so the log is extended ahead of use with zeros
    // (write_zeros: page by page on a real file, see posix_file). Zeroed
    // space is never a valid frame (salts differ). The first extension
    // prepares the log's whole working size, the checkpoint threshold and a
    // 1 MiB step beyond, in one go, and close() keeps it: one-edge commits
    // used to stop every 64 commits to zero the next 1 MiB and sync it, five
    // times per log generation and again after every reopen
    // (benchmarks/results/probes/2026-11-24-log-working-size-l2-ab.txt).
    // Later extensions (a commit past the working size) add a step.
    // The frames about to be written at [frames_begin, frames_end) are not
    // zeroed first: a commit that outgrows the prepared space extends the
    // file anyway, and zeroing a bulk load's frames doubled its log writes
    // (837 MiB of zeros before 837 MiB of frames at R-MAT scale 20). Only
    // the space beyond them is zeroed, for the small commits that follow.
    void prepare_log_space(std::uint64_t frames_begin, std::uint64_t frames_end) {
        if (frames_end <= log_prepared_bytes_) return;
        const auto target = std::max({frames_end, log_prepared_bytes_ + log_step, log_working_bytes()});
        const auto from = std::max<std::uint64_t>(log_prepared_bytes_, wal_header_size);
        if (frames_begin > from) write_zeros(wal_, from, frames_begin - from);
        const auto after = std::max(from, frames_end);
        if (target > after) write_zeros(wal_, after, target - after);
        log_prepared_bytes_ = target;
    }

    static constexpr std::uint64_t log_step = 1u << 20;

    // The log length that commits between two checkpoints fill: the header
    // block, the threshold's frames (at least the default's 4 MiB: a session
    // without automatic checkpoints, such as a bulk load, prepares the log
    // for the sessions after it) and a step of slack for the commit that
    // crosses the threshold.
    std::uint64_t log_working_bytes() const noexcept {
        constexpr std::uint64_t default_threshold = pager_options{}.checkpoint_threshold_bytes;
        return wal_frame_offset(0, page_size_bytes) +
               std::max<std::uint64_t>(options_.checkpoint_threshold_bytes, default_threshold) + log_step;
    }

    void checkpoint_locked() {
        // 0. The main file's page 0 must be current before the log is reset,
        // so a superblock that commits left unlogged is logged now (as a
        // transaction of its own, to be copied below).
        if (unlogged_commits_ > 0 && no_live_readers()) log_current_superblock();
        // 1. Which frames may be copied: those below every live reader's mark.
        std::uint32_t bound;
        std::vector<std::pair<page_id, std::uint32_t>> copies;
        {
            std::shared_lock lock(state_mutex_);
            bound = live_marks_.empty() ? frame_count_ : std::min(*live_marks_.begin(), frame_count_);
            for (const auto& [id, frames] : index_) {
                const auto frame = find_frame(id, bound);
                if (frame != no_frame && frame >= backfilled_) copies.emplace_back(id, frame);
            }
        }
        std::sort(copies.begin(), copies.end());
        try {
            if (!copies.empty()) {
                // In normal mode the frames may not be on disk yet; the main
                // file must never be ahead of a durable log.
                if (options_.sync == sync_mode::normal) wal_.sync();
                write_image_runs(main_, copies.size(), [&](std::size_t i) { return main_offset(copies[i].first); },
                                 [&](std::size_t i) {
                                     auto image = cache_.find(make_cache_key(copies[i].first, copies[i].second + 1));
                                     return image ? image : read_image(copies[i].first, copies[i].second);
                                 });
                main_.sync();
                for (const auto& copy : copies)
                    cache_.erase(make_cache_key(copy.first, 0));
                ++checkpoints_;
            }
            backfilled_ = std::max(backfilled_.load(), bound);
            // 2. Reset the log when everything is copied and nobody reads it.
            std::unique_lock lock(state_mutex_);
            if (frame_count_ > 0 && backfilled_ == frame_count_ && live_marks_.empty() && unlogged_commits_ == 0) {
                // The main file now holds each logged page's newest image:
                // cached, it stays cached under its main-file key. (Clearing
                // the cache here made the commits after every reset read
                // their B+Tree pages again.)
                cache_.promote_newest_log_versions([this](cache_key key) {
                    auto it = index_.find(static_cast<page_id>(key >> 32));
                    return it != index_.end() && it->second.back() + 1 == static_cast<std::uint32_t>(key);
                });
                write_new_log_header(header_.checkpoint_sequence + 1);
                ++log_resets_;
                cut_back_log();
            }
        } catch (const error&) {
            // The log still holds every commit, so nothing is lost; but the
            // main file may be half-written, which only a reopen repairs.
            failed_ = true;
            throw;
        }
    }

    // After a reset, a log much longer than the checkpoint threshold (left
    // by a bulk commit) is cut back to its header, as SQLite's
    // journal_size_limit does: the space is returned, and the large
    // page-cache folios of its big writes go with it, which would otherwise
    // slow every later one-page frame write's fdatasync (posix_file::
    // write_zeros). It is prepared again to its working size at once, here,
    // in the large transaction's checkpoint: left to the next small commit
    // (as it was), the first one-edge commit after a bulk load, in this
    // session or the next, zeroed 5 MiB and synced it (the first 100
    // commits after a scale-18 load: 219-243 us each, against 146-150
    // when prepared here; benchmarks/results/probes/
    // 2026-11-25-l2-log-prepared-at-cut-back-ab.txt). One sync covers the
    // cut and the zeros: until it, a crash leaves at worst the old tail,
    // whose frames carry the previous salt.
    void cut_back_log() {
        if (log_prepared_bytes_ <= log_working_bytes()) return;
        truncate_log(wal_header_size);
        const auto first_frame = wal_frame_offset(0, page_size_bytes);
        prepare_log_space(first_frame, first_frame);
        wal_.sync();
    }

    // Cuts the log file to `length`; prepare_log_space extends it again
    // from there. The caller syncs the log (with whatever else it writes).
    void truncate_log(std::uint64_t length) {
        wal_.truncate(length);
        log_prepared_bytes_ = length;
    }

    bool no_live_readers() const {
        std::shared_lock lock(state_mutex_);
        return live_marks_.empty();
    }

    void log_current_superblock() {
        superblock sb;
        {
            std::shared_lock lock(state_mutex_);
            sb = *committed_;
        }
        std::vector<std::pair<page_id, page_buffer>> pages;
        pages.emplace_back(0, superblock_image(sb));
        append_transaction(pages, std::move(sb), false);
    }

    void maybe_auto_checkpoint() {
        if (options_.checkpoint_threshold_bytes == 0) return;
        const auto log_bytes = static_cast<std::uint64_t>(frame_count_) * page_size_bytes;
        if (log_bytes >= options_.checkpoint_threshold_bytes) checkpoint_locked();
    }

    file_system_type fs_;
    std::string path_;
    std::string wal_path_;
    pager_options options_;
    file_type main_;
    file_type wal_;
    page_buffers buffers_; // before cache_: the cached images are its blocks
    page_cache<typename Policies::cache> cache_;

    writer_gate writer_gate_;
    mutable std::shared_mutex state_mutex_;

    // Guarded by state_mutex_ (writes also hold writer gate).
    std::shared_ptr<const superblock> committed_;
    std::unordered_map<page_id, std::vector<std::uint32_t>> index_; // page -> its frames, ascending
    std::uint32_t frame_count_ = 0;                                 // committed frames in the log
    snapshot_marks live_marks_;

    // Writer-owned (writer gate).
    wal_header header_;
    std::uint64_t chain_ = 0;
    // Atomic only so that stats() may read them while a writer runs.
    std::uint64_t log_prepared_bytes_ = 0;     // log bytes that exist on disk
    bool stale_tail_possible_ = false;         // recovered log not yet appended to (retire_stale_tail)
    std::atomic<std::uint32_t> backfilled_{0}; // frames [0, backfilled_) are in the main file
    std::atomic<std::uint64_t> commits_{0};
    std::atomic<std::uint64_t> checkpoints_{0};
    std::atomic<std::uint64_t> log_resets_{0};
    std::atomic<std::uint64_t> direct_pages_{0};
    std::atomic<std::size_t> kept_pins_{0}; // pages readers' B+Trees keep pinned (reserve_kept_pin)
    // Committed transactions in the log after its newest superblock frame:
    // they changed no superblock field but the change counter, so they did
    // not log page 0. Written by the writer (and open) only.
    std::uint64_t unlogged_commits_ = 0;
    std::atomic<std::thread::id> writer_thread_{};

    std::atomic<bool> open_{false};
    std::atomic<bool> failed_{false};
};

// A snapshot of the database for reading; models page_reader.
template <pager_policies Policies> class pager<Policies>::read_txn {
  public:
    read_txn(read_txn&& other) noexcept
        : pager_(std::exchange(other.pager_, nullptr)), snapshot_(std::move(other.snapshot_)),
          kept_pins_(other.kept_pins_.exchange(0, std::memory_order_relaxed)) {}
    read_txn& operator=(read_txn&&) = delete;
    read_txn(const read_txn&) = delete;
    read_txn& operator=(const read_txn&) = delete;
    ~read_txn() { end(); }

    [[nodiscard]] static constexpr std::size_t page_size() noexcept { return page_size_bytes; }
    page_ref read(page_id id) { return pager_->load_committed(id, snapshot_.mark, *snapshot_.sb); }
    // A hint that read(id) comes soon (a scan's next leaf): the page
    // cache's entry for it is fetched into the processor's cache. Nothing
    // changes.
    void prefetch(page_id id) const { pager_->prefetch_committed(id, snapshot_.mark); }

    // Pages a reader's B+Trees keep pinned across lookups (visited internal
    // pages and leaves) come out of one budget shared by every reader of the
    // pager: half the page cache. Pinned images cannot be evicted, so without
    // the shared bound several trees (or readers) could pin the whole cache,
    // and then every cache insert scans all of it for a victim and finds
    // none: loads became linear in the cache size. reserve_pin() takes one
    // page of the budget (false when it is spent: read the page unpinned);
    // release_pins() gives pages back. end() returns what is left. Trees
    // of one snapshot may run on several threads (snapshot_csr), hence the
    // atomic count.
    [[nodiscard]] bool reserve_pin() {
        if (!pager_ || !pager_->reserve_kept_pin()) return false;
        kept_pins_.fetch_add(1, std::memory_order_relaxed);
        return true;
    }
    void release_pins(std::size_t pages) noexcept {
        // At most what is held: after end(), trees still alive give back nothing.
        std::size_t held = kept_pins_.load(std::memory_order_relaxed);
        std::size_t given = 0;
        do {
            given = std::min(pages, held);
        } while (!kept_pins_.compare_exchange_weak(held, held - given, std::memory_order_relaxed));
        if (pager_ && given > 0) pager_->release_kept_pins(given);
    }

    [[nodiscard]] std::uint64_t root(std::string_view name) const {
        auto it = snapshot_.sb->roots.find(name);
        return it == snapshot_.sb->roots.end() ? 0 : it->second;
    }
    [[nodiscard]] const superblock& meta() const noexcept { return *snapshot_.sb; }
    [[nodiscard]] std::uint32_t page_count() const noexcept { return snapshot_.sb->page_count; }

    // Ends the snapshot early (the destructor does it otherwise).
    void end() {
        release_pins(kept_pins_.load(std::memory_order_relaxed));
        if (pager_) pager_->unregister_reader(snapshot_.registration);
        pager_ = nullptr;
    }

  private:
    friend class pager;
    explicit read_txn(pager& owner) : pager_(&owner), snapshot_(owner.register_reader()) {}

    pager* pager_;
    snapshot snapshot_;
    std::atomic<std::size_t> kept_pins_{0}; // this reader's share of the pager's pin budget
};

// The one write transaction; models page_writer. Rolled back unless
// committed.
template <pager_policies Policies> class pager<Policies>::write_txn {
  public:
    write_txn(write_txn&& other) noexcept
        : pager_(std::exchange(other.pager_, nullptr)), owner_(other.owner_), lock_(std::move(other.lock_)),
          sb_(std::move(other.sb_)), mark_(other.mark_), base_(std::move(other.base_)), dirty_(std::move(other.dirty_)),
          spilled_(std::move(other.spilled_)),
          pending_free_(std::move(other.pending_free_)), freed_(std::move(other.freed_)),
          modified_(other.modified_) {}
    write_txn& operator=(write_txn&&) = delete;
    write_txn(const write_txn&) = delete;
    write_txn& operator=(const write_txn&) = delete;
    ~write_txn() { rollback(); }

    [[nodiscard]] static constexpr std::size_t page_size() noexcept { return page_size_bytes; }
    [[nodiscard]] bool active() const noexcept { return pager_ != nullptr; }

    page_ref read(page_id id) {
        require_active();
        if (auto it = dirty_.find(id); it != dirty_.end()) return page_ref(it->second, id);
        check_not_freed(id);
        if (spilled_.contains(id)) return page_ref(pager_->read_image(id, no_frame), id);
        return pager_->load_committed(id, mark_, *base_);
    }

    page_mut write(page_id id) {
        require_active();
        if (auto it = dirty_.find(id); it != dirty_.end()) return page_mut(it->second, id);
        check_not_freed(id);
        if (spilled_.contains(id)) { // written out early and changed again: dirty once more
            auto image = pager_->read_image(id, no_frame);
            spilled_.erase(id);
            dirty_.emplace(id, image);
            return page_mut(std::move(image), id);
        }
        auto committed = pager_->load_committed(id, mark_, *base_);
        auto copy = pager_->buffers_.copy(committed.data(), page_size_bytes);
        dirty_.emplace(id, copy);
        modified_ = true;
        return page_mut(std::move(copy), id);
    }

    // A new page: from the free list when it has one, else at the end.
    page_mut allocate(page_type type) {
        require_active();
        if (type == page_type::unused || type == page_type::superblock || type == page_type::free) {
            fail(errc::invalid_argument, "cannot allocate a page of type " + std::string(to_string(type)));
        }
        modified_ = true;
        page_id id = take_free_page();
        if (id == null_page) {
            if (sb_.page_count == UINT32_MAX) fail(errc::too_large, "database '" + pager_->path_ + "' is full");
            id = sb_.page_count++;
        }
        return fresh_page(id, type);
    }

    // Frees a page at commit; its contents are not needed any more.
    void release(page_id id) {
        require_active();
        check_data_page(id);
        check_not_freed(id);
        pending_free_.push_back(id);
        freed_.insert(id);
        dirty_.erase(id);
        spilled_.erase(id);
        modified_ = true;
    }

    // A hint that page `id` is finished (a bulk load's full leaf): when it
    // lies past the snapshot's page count, it is written to the main file
    // now and its image let go, instead of held until commit. A load then
    // reuses a few pages' memory instead of holding every page it builds
    // (fresh memory the kernel zeroes first: 14-19% of the scale-20 L1
    // load's time in perf). Safe for the reason write_direct is: no
    // snapshot's page count reaches the page, recovery never looks past the
    // committed one, and the commit syncs the main file before its frames
    // (in either sync mode). Reading or writing the page later in the
    // transaction reads it back. Other pages: nothing happens.
    void spill(page_id id) {
        require_active();
        if (id < base_->page_count) return;
        auto it = dirty_.find(id);
        if (it == dirty_.end()) return;
        pager_->write_spilled(id, it->second);
        spilled_.insert(id);
        dirty_.erase(it);
    }

    void set_type(page_id id, page_type type) {
        auto page = write(id);
        page.data()[page_type_offset] = static_cast<std::byte>(type);
    }

    [[nodiscard]] std::uint64_t root(std::string_view name) const {
        auto it = sb_.roots.find(name);
        return it == sb_.roots.end() ? 0 : it->second;
    }

    void set_root(std::string_view name, std::uint64_t value) {
        require_active();
        check_root_name(name);
        auto it = sb_.roots.find(name);
        if (it == sb_.roots.end()) {
            if (sb_.roots.size() >= max_roots(page_size_bytes)) {
                fail(errc::too_large, "superblock of '" + pager_->path_ + "' holds no more roots");
            }
            sb_.roots.emplace(std::string(name), value);
        } else {
            it->second = value;
        }
        modified_ = true;
    }

    void erase_root(std::string_view name) {
        require_active();
        if (auto it = sb_.roots.find(name); it != sb_.roots.end()) {
            sb_.roots.erase(it);
            modified_ = true;
        }
    }

    [[nodiscard]] const superblock& meta() const noexcept { return sb_; }
    [[nodiscard]] std::uint32_t page_count() const noexcept { return sb_.page_count; }

    // Makes every change durable (per the sync mode) and visible, atomically.
    void commit() {
        require_active();
        if (owner_->failed_) {
            rollback();
            owner_->require_open_and_healthy();
        }
        if (!modified_) {
            rollback();
            return;
        }
        for (const auto id : pending_free_)
            push_free_page(id);
        // A transaction that changed only data pages (the common small
        // commit) does not log the superblock: its last data frame carries
        // the commit marker and recovery counts it (docs/format.md). One
        // frame instead of two is what makes a one-page commit cost about
        // one raw page write.
        ++sb_.change_counter;
        const bool log_superblock = dirty_.empty() || !same_apart_from_counter(sb_, *base_);

        std::vector<std::pair<page_id, page_buffer>> pages;
        pages.reserve(dirty_.size() + 1);
        for (auto& [id, image] : dirty_)
            pages.emplace_back(id, std::move(image));
        std::sort(pages.begin(), pages.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        // Pages past the snapshot's page count: many of them go straight to
        // the main file (pager::append_direct_min).
        std::vector<std::pair<page_id, page_buffer>> direct;
        const auto appended = std::partition_point(pages.begin(), pages.end(),
                                                   [&](const auto& p) { return p.first < base_->page_count; });
        if (static_cast<std::size_t>(pages.end() - appended) >= append_direct_min &&
            owner_->all_unlogged(appended, pages.end())) {
            direct.assign(std::make_move_iterator(appended), std::make_move_iterator(pages.end()));
            pages.erase(appended, pages.end());
        }
        if (log_superblock) pages.emplace_back(0, owner_->superblock_image(sb_)); // carries the commit marker

        auto* owner = owner_;
        try {
            owner->append_transaction(pages, std::move(sb_), true, &direct, !spilled_.empty());
        } catch (...) {
            rollback();
            throw;
        }
        dirty_.clear();
        spilled_.clear();
        pending_free_.clear();
        freed_.clear();
        pager_ = nullptr;
        try {
            owner->maybe_auto_checkpoint();
        } catch (const error&) {
            // The commit itself is durable; the checkpoint failure has put the
            // pager in the failed state, which the next writer will see.
        }
        release_writer_lock();
    }

    void rollback() noexcept {
        dirty_.clear();
        spilled_.clear();
        pending_free_.clear();
        freed_.clear();
        pager_ = nullptr;
        release_writer_lock();
    }

  private:
    friend class pager;

    void release_writer_lock() noexcept {
        if (!lock_.owns_lock()) return;
        owner_->writer_thread_ = std::thread::id{};
        lock_.unlock();
    }

    write_txn(pager& owner, writer_lock lock) : pager_(&owner), owner_(&owner), lock_(std::move(lock)) {
        std::shared_lock state(owner.state_mutex_);
        base_ = owner.committed_;
        sb_ = *base_;
        mark_ = owner.frame_count_;
    }

    void require_active() const {
        if (!pager_) fail(errc::invalid_argument, "write transaction is no longer active");
    }

    void check_data_page(page_id id) const {
        if (id == null_page || id >= sb_.page_count) {
            fail(errc::invalid_argument, "page " + std::to_string(id) + " is not a data page of '" + pager_->path_ +
                                             "' (page count " + std::to_string(sb_.page_count) + ")");
        }
    }

    void check_not_freed(page_id id) const {
        if (freed_.count(id) != 0) {
            fail(errc::invalid_argument, "page " + std::to_string(id) + " was released in this transaction");
        }
    }

    page_mut fresh_page(page_id id, page_type type) {
        spilled_.erase(id);
        auto& slot = dirty_[id];
        if (!slot) slot = pager_->buffers_.uninitialised(page_size_bytes);
        std::memset(slot.get(), 0, page_size_bytes);
        init_page_header(slot.get(), type, id);
        return page_mut(slot, id);
    }

    page_id take_free_page() {
        if (sb_.free_head == null_page) return null_page;
        auto trunk = write(sb_.free_head);
        const auto count = trunk_count(trunk.data());
        if (count > trunk_capacity(page_size_bytes)) {
            fail(errc::corruption, "free-list trunk page " + std::to_string(sb_.free_head) + " claims " +
                                       std::to_string(count) + " entries");
        }
        --sb_.free_count;
        if (count > 0) {
            const auto id = trunk_entry(trunk.data(), count - 1);
            set_trunk_count(trunk.data(), count - 1);
            if (id == null_page || id >= sb_.page_count) {
                fail(errc::corruption, "free-list trunk page " + std::to_string(sb_.free_head) +
                                           " lists invalid page " + std::to_string(id));
            }
            return id;
        }
        const auto id = sb_.free_head;
        sb_.free_head = trunk_next(trunk.data());
        return id;
    }

    void push_free_page(page_id id) {
        if (sb_.free_head != null_page) {
            auto trunk = write(sb_.free_head);
            const auto count = trunk_count(trunk.data());
            if (count < trunk_capacity(page_size_bytes)) {
                set_trunk_entry(trunk.data(), count, id);
                set_trunk_count(trunk.data(), count + 1);
                ++sb_.free_count;
                return;
            }
        }
        auto trunk = fresh_page(id, page_type::freelist);
        set_trunk_next(trunk.data(), sb_.free_head);
        set_trunk_count(trunk.data(), 0);
        sb_.free_head = id;
        ++sb_.free_count;
    }

    pager* pager_; // null once the transaction has ended
    pager* owner_;
    writer_lock lock_;
    superblock sb_;
    std::uint32_t mark_ = 0;
    std::shared_ptr<const superblock> base_;
    std::unordered_map<page_id, page_buffer> dirty_;
    std::unordered_set<page_id> spilled_; // written to the main file already (spill)
    std::vector<page_id> pending_free_;   // release order, replayed into the free list at commit
    std::unordered_set<page_id> freed_;   // the same pages, for the check on every read and write
    bool modified_ = false;
};

// Verifies the page-level structure of a snapshot: the superblock, every
// free-list page, and every page the callers say they use (each readable,
// checksummed, in range, used once, not also free). With
// callers_own_the_rest, every page must be either free or used by a caller:
// that is the "no page leaks" accounting of the database's check().
template <pager_policies Policies>
check_report pager<Policies>::check(std::span<const page_id> used_by_callers, bool callers_own_the_rest) {
    auto snapshot = begin_read();
    const auto& sb = snapshot.meta();
    check_report report;
    report.page_count = sb.page_count;
    std::vector<std::uint8_t> seen(sb.page_count, 0); // 0 unseen, 1 free, 2 used
    seen[0] = 2;
    auto problem = [&](std::string text) { report.problems.push_back(std::move(text)); };
    auto mark = [&](page_id id, std::uint8_t how, const char* what) {
        if (id == null_page || id >= sb.page_count) {
            problem(std::string(what) + " page " + std::to_string(id) + " is out of range");
            return false;
        }
        if (seen[id] != 0) {
            problem(std::string(what) + " page " + std::to_string(id) + " is accounted twice");
            return false;
        }
        seen[id] = how;
        return true;
    };

    std::uint32_t free_seen = 0;
    for (page_id trunk = sb.free_head; trunk != null_page;) {
        if (!mark(trunk, 1, "free-list trunk")) break;
        ++free_seen;
        try {
            auto page = snapshot.read(trunk);
            if (page.type() != page_type::freelist)
                problem("free-list trunk page " + std::to_string(trunk) + " has type " +
                        std::string(to_string(page.type())));
            const auto count = trunk_count(page.data());
            if (count > trunk_capacity(page_size_bytes)) {
                problem("free-list trunk page " + std::to_string(trunk) + " claims " + std::to_string(count) +
                        " entries");
                break;
            }
            for (std::uint32_t i = 0; i < count; ++i) {
                if (mark(trunk_entry(page.data(), i), 1, "free")) ++free_seen;
            }
            trunk = trunk_next(page.data());
        } catch (const error& e) {
            problem(e.what());
            break;
        }
    }
    if (free_seen != sb.free_count) {
        problem("superblock counts " + std::to_string(sb.free_count) + " free pages, the free list holds " +
                std::to_string(free_seen));
    }
    report.free_pages = free_seen;

    for (const auto id : used_by_callers) {
        if (!mark(id, 2, "used")) continue;
        ++report.used_pages;
        try {
            snapshot.read(id);
        } catch (const error& e) {
            problem(e.what());
        }
    }
    if (callers_own_the_rest) {
        for (page_id id = 1; id < sb.page_count; ++id) {
            if (seen[id] == 0) problem("page " + std::to_string(id) + " is neither free nor used (leaked)");
        }
    }
    return report;
}

} // namespace sqlitegraph
