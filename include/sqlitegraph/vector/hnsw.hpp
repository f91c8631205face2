// sqlitegraph/vector/hnsw.hpp — the HNSW index (Malkov & Yashunin, 2016).
//
// Owns: insertion (one at a time, or a batch built on several threads),
// k-NN search, filtered and candidate-restricted ("hybrid") search, deletion
// with tombstones and consolidation, and verify(). Element bytes live in a
// Storage model (storage.hpp), laid out as layout.hpp describes.
//
// Invariants (verify() checks 1-4):
//  1. Every slot below slot_count() is in use or on the free list; a free
//     slot's block is all zero.
//  2. Links name in-use slots other than the owner, without duplicates, and
//     never more than M (levels >= 1) or 2M (level 0); an element's level-l
//     links name elements whose top level is >= l.
//  3. labels_ maps each live key to its slot and the slot's label field holds
//     that key; tombstoned slots are in use, flagged deleted, and not in labels_.
//  4. entry_ is an in-use slot whose top level is max_level_ (it may be a
//     tombstone: tombstones keep routing, so deleting the entry point never
//     makes the graph unreachable), or no_slot when nothing is in use.
//  5. A tombstone is never returned by a search and never chosen as a
//     neighbour of a new element.
//
// Threads: const member functions may run concurrently with each other.
// insert_batch() with threads > 1 runs its own workers, which lock one link
// list at a time (striped mutexes; never two at once, so no lock order can
// deadlock); all other non-const calls need exclusive access, which the
// database gets from its single-writer transactions.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/vector/distance.hpp"
#include "sqlitegraph/vector/layout.hpp"
#include "sqlitegraph/vector/metric.hpp"
#include "sqlitegraph/vector/params.hpp"
#include "sqlitegraph/vector/random.hpp"
#include "sqlitegraph/vector/storage.hpp"
#include "sqlitegraph/vector/visited.hpp"

namespace sqlitegraph::vector {

struct search_hit {
    std::uint64_t key;
    float distance; // in the metric's own units (metric.hpp)
    friend bool operator==(const search_hit&, const search_hit&) = default;
};

// How a filtered search was (or would be) answered.
enum class filter_strategy { exact_scan, filtered_beam };

template <element_storage Storage = memory_storage>
class basic_hnsw_index {
public:
    static constexpr std::uint32_t no_slot = std::numeric_limits<std::uint32_t>::max();

    explicit basic_hnsw_index(hnsw_params params) : basic_hnsw_index(std::move(params), std::in_place) {}

    // Constructs the storage from (layout, args...): a page-backed model
    // takes its transaction and directory this way.
    template <class... StorageArgs>
    basic_hnsw_index(hnsw_params params, std::in_place_t, StorageArgs&&... storage_args)
        : params_((check_params(params), std::move(params))),
          layout_(make_layout(params_.dim, params_.m)),
          storage_(layout_, std::forward<StorageArgs>(storage_args)...),
          rng_(params_.seed),
          level_multiplier_(params_.effective_level_multiplier()),
          sync_(std::make_unique<sync_state>()) {
        const kernel_set& k = active_kernels();
        switch (params_.metric) {
        case metric::l2: kernel_ = k.l2_squared; break;
        case metric::manhattan: kernel_ = k.l1; break;
        case metric::cosine:
        case metric::inner_product:
            kernel_ = k.dot;
            one_minus_ = true;
            break;
        }
    }

    // ---- observers ---------------------------------------------------------

    const hnsw_params& params() const noexcept { return params_; }
    const std::string& name() const noexcept { return params_.name; }
    std::size_t dimension() const noexcept { return params_.dim; }
    std::size_t size() const noexcept { return live_count_; }
    std::size_t tombstones() const noexcept { return tombstone_count_; }
    std::size_t slot_count() const noexcept { return slot_count_; }
    bool contains(std::uint64_t key) const { return labels_.find(key) != labels_.end(); }
    // Calls fn(key) for every live key, in no particular order.
    template <class Fn> void for_each_key(Fn&& fn) const {
        for (const auto& entry : labels_) fn(entry.first);
    }
    const Storage& storage() const noexcept { return storage_; }
    const element_layout& layout() const noexcept { return layout_; }
    int max_level() const noexcept { return max_level_; }
    // The key of the entry point; nullopt when the index is empty or the
    // entry point is a tombstone (which routes but has no key any more).
    std::optional<std::uint64_t> entry_key() const {
        if (entry_ == no_slot || !is_live(entry_)) return std::nullopt;
        return label_of(entry_);
    }

    // Bytes of element storage plus an estimate of the key map.
    std::size_t memory_bytes() const noexcept {
        return storage_.bytes() + labels_.size() * (sizeof(std::uint64_t) + sizeof(std::uint32_t) + 2 * sizeof(void*)) +
               labels_.bucket_count() * sizeof(void*);
    }

    // The stored vector of a key (normalised under cosine).
    std::vector<float> get(std::uint64_t key) const {
        const std::uint32_t slot = slot_of(key);
        const float* v = vec(slot);
        return std::vector<float>(v, v + params_.dim);
    }

    // ---- insertion -----------------------------------------------------------

    // Adds one vector. Throws invalid_argument (index unchanged) for a wrong
    // dimension, a NaN or infinite component, a zero vector under cosine, or
    // a key already present.
    void insert(std::uint64_t key, std::span<const float> values) {
        std::vector<float> clean = checked_vector(values, "key " + std::to_string(key));
        if (contains(key)) fail(errc::invalid_argument, who() + "key " + std::to_string(key) + " is already present");
        const std::uint32_t slot = take_slot();
        const unsigned level = draw_level();
        place(slot, key, level, clean.data());
        link(slot, level, false);
    }

    // Adds many vectors: keys[i] gets vectors[i*dim, (i+1)*dim). All input is
    // checked before anything changes, so a bad row leaves the index as it
    // was. threads == 1 gives the same index as inserting one by one with the
    // same seed; threads > 1 (0: all cores) builds in parallel, with the same
    // levels but an order-dependent graph of the same quality.
    void insert_batch(std::span<const std::uint64_t> keys, std::span<const float> vectors, unsigned threads = 1) {
        const std::size_t dim = params_.dim;
        if (vectors.size() != keys.size() * dim)
            fail(errc::invalid_argument, who() + "batch of " + std::to_string(keys.size()) + " keys has " +
                                             std::to_string(vectors.size()) + " floats, expected " +
                                             std::to_string(keys.size() * dim));
        std::vector<float> clean(vectors.begin(), vectors.end());
        std::unordered_set<std::uint64_t> seen;
        seen.reserve(keys.size());
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const std::string what = "key " + std::to_string(keys[i]);
            std::span<float> row(clean.data() + i * dim, dim);
            check_and_normalise(row, what);
            if (contains(keys[i]) || !seen.insert(keys[i]).second)
                fail(errc::invalid_argument, who() + what + " is already present");
        }
        if (keys.empty()) return;

        // Slots and levels are assigned in batch order before any linking, so
        // they do not depend on thread timing.
        const std::size_t fresh = keys.size() > free_slots_.size() ? keys.size() - free_slots_.size() : 0;
        storage_.reserve(slot_count_ + fresh);
        std::vector<std::uint32_t> slots(keys.size());
        std::vector<unsigned> levels(keys.size());
        for (std::size_t i = 0; i < keys.size(); ++i) {
            slots[i] = take_slot();
            levels[i] = draw_level();
            place(slots[i], keys[i], levels[i], clean.data() + i * dim);
        }

        if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
        if (threads == 1 || keys.size() < 2 * threads) {
            for (std::size_t i = 0; i < keys.size(); ++i) link(slots[i], levels[i], false);
            return;
        }
        std::atomic<std::size_t> next{0};
        std::exception_ptr failure;
        std::mutex failure_mutex;
        auto worker = [&] {
            try {
                for (std::size_t i = next.fetch_add(1); i < keys.size(); i = next.fetch_add(1))
                    link(slots[i], levels[i], true);
            } catch (...) {
                std::lock_guard guard(failure_mutex);
                if (!failure) failure = std::current_exception();
                next.store(keys.size());
            }
        };
        std::vector<std::thread> pool;
        pool.reserve(threads);
        for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
        for (std::thread& t : pool) t.join();
        if (failure) std::rethrow_exception(failure);
    }

    // ---- deletion ------------------------------------------------------------

    // Removes a key. The element becomes a tombstone: still a routing node, so
    // the graph stays connected (also when it is the entry point), never a
    // result. When tombstones exceed max_tombstone_fraction, consolidate()
    // runs. Throws not_found (index unchanged) for an unknown key.
    void remove(std::uint64_t key) {
        const std::uint32_t slot = slot_of(key);
        flags_ref(slot) |= flag_deleted;
        labels_.erase(key);
        --live_count_;
        ++tombstone_count_;
        if (static_cast<double>(tombstone_count_) >
            params_.max_tombstone_fraction * static_cast<double>(live_count_ + tombstone_count_))
            consolidate();
    }

    // Repairs every link list that names a tombstone (its live neighbours plus
    // the live neighbours of its deleted neighbours, pruned by the same
    // heuristic as insertion, as in FreshDiskANN's consolidation), then frees
    // the tombstones' slots and, if the entry point was one, promotes the live
    // element of the highest level. O(N * M) distance work.
    void consolidate() {
        if (tombstone_count_ == 0) return;
        auto scratch = sync_->pool.get();
        std::vector<scored>& pool = scratch->buffer;
        std::vector<std::uint32_t> kept;
        for (std::uint32_t p = 0; p < slot_count_; ++p) {
            if (!is_live(p)) continue;
            const unsigned top = level_of(p);
            for (unsigned lc = 0; lc <= top; ++lc) {
                const std::uint32_t* ids = links(p, lc);
                const std::size_t n = link_count(p, lc);
                bool touched = false;
                for (std::size_t i = 0; i < n && !touched; ++i) touched = is_deleted(ids[i]);
                if (!touched) continue;
                scratch->visited.reset(slot_count_);
                scratch->visited.insert(p);
                pool.clear();
                const float* base = vec(p);
                auto consider = [&](std::uint32_t c) {
                    if (!is_deleted(c) && scratch->visited.test_and_insert(c))
                        pool.push_back({distance(base, vec(c)), c});
                };
                for (std::size_t i = 0; i < n; ++i) {
                    if (!is_deleted(ids[i])) {
                        consider(ids[i]);
                        continue;
                    }
                    const std::uint32_t* far = links(ids[i], lc);
                    const std::size_t fn = link_count(ids[i], lc);
                    for (std::size_t j = 0; j < fn; ++j) consider(far[j]);
                }
                std::sort(pool.begin(), pool.end(), by_distance_then_slot);
                select_neighbours(pool, capacity(lc), kept);
                set_links(p, lc, kept);
            }
        }
        // Free in descending order so that take_slot() reuses the lowest slot
        // first, which keeps reuse deterministic.
        bool entry_gone = false;
        for (std::uint32_t s = slot_count_; s-- > 0;) {
            if (!is_deleted(s)) continue;
            if (s == entry_) entry_gone = true;
            storage_.set_upper(s, 0);
            std::memset(storage_.block(s), 0, layout_.block_size);
            free_slots_.push_back(s);
        }
        std::sort(free_slots_.begin(), free_slots_.end(), std::greater<>());
        tombstone_count_ = 0;
        if (entry_gone) {
            entry_ = no_slot;
            max_level_ = -1;
            for (std::uint32_t s = 0; s < slot_count_; ++s)
                if (is_live(s) && static_cast<int>(level_of(s)) > max_level_) {
                    entry_ = s;
                    max_level_ = static_cast<int>(level_of(s));
                }
        }
    }

    // ---- search --------------------------------------------------------------

    // The k nearest live vectors, nearest first. ef (0: params().ef_search) is
    // the beam width; it is raised to k when smaller. Throws invalid_argument
    // for a malformed query (wrong dimension, NaN, zero under cosine).
    std::vector<search_hit> search(std::span<const float> query, std::size_t k, std::size_t ef = 0) const {
        auto scratch = sync_->pool.get();
        const float* q = prepare_query(query, *scratch);
        if (k == 0 || live_count_ == 0) return {};
        if (tombstone_count_ == 0)
            beam_search(q, k, ef, *scratch, [](std::uint32_t) { return true; }, false);
        else
            beam_search(q, k, ef, *scratch, [this](std::uint32_t s) { return !is_deleted(s); }, true);
        return collect(*scratch, k);
    }

    // The k nearest live vectors whose key satisfies keep(key). The matching
    // fraction is estimated on a sample of up to 256 elements; a selective
    // filter is answered exactly by a scan (so recall does not collapse), a
    // broad one by a beam search that routes through non-matching elements
    // and widens ef by 1/sqrt(selectivity) (at most 8x).
    template <class KeyPredicate>
    std::vector<search_hit> search_if(std::span<const float> query, std::size_t k, KeyPredicate&& keep,
                                      std::size_t ef = 0) const {
        auto scratch = sync_->pool.get();
        const float* q = prepare_query(query, *scratch);
        if (k == 0 || live_count_ == 0) return {};
        auto allowed = [&](std::uint32_t s) { return !is_deleted(s) && keep(label_of(s)); };
        const double selectivity = estimate_selectivity(allowed);
        if (plan_filter(selectivity) == filter_strategy::exact_scan) {
            exact_scan(q, k, *scratch, [&](std::uint32_t s) { return is_live(s) && keep(label_of(s)); });
        } else {
            beam_search(q, k, widened_ef(ef, k, selectivity), *scratch, allowed, true);
        }
        return collect(*scratch, k);
    }

    // Hybrid query hook: the k nearest among the given keys (unknown or
    // deleted keys are skipped, duplicates ignored). The graph layer feeds it
    // a k-hop neighbourhood. A small candidate set is scanned exactly; a large
    // one becomes a slot bitmap for a filtered beam search.
    std::vector<search_hit> search_among(std::span<const float> query, std::size_t k,
                                         std::span<const std::uint64_t> candidate_keys, std::size_t ef = 0) const {
        auto scratch = sync_->pool.get();
        const float* q = prepare_query(query, *scratch);
        if (k == 0 || live_count_ == 0) return {};
        std::vector<std::uint32_t>& slots = scratch->links;
        slots.clear();
        for (std::uint64_t key : candidate_keys) {
            const auto it = labels_.find(key);
            if (it != labels_.end()) slots.push_back(it->second);
        }
        std::sort(slots.begin(), slots.end());
        slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
        const double selectivity = static_cast<double>(slots.size()) / static_cast<double>(live_count_);
        if (plan_filter(selectivity) == filter_strategy::exact_scan) {
            farthest_first& results = scratch->results;
            results.clear();
            for (std::uint32_t s : slots) offer(results, k, {distance(q, vec(s)), s});
        } else {
            std::vector<std::uint8_t> member(slot_count_, 0);
            for (std::uint32_t s : slots) member[s] = 1;
            beam_search(q, k, widened_ef(ef, k, selectivity), *scratch,
                        [&member](std::uint32_t s) { return member[s] != 0; }, true);
        }
        return collect(*scratch, k);
    }

    // The k nearest live vectors by exhaustive scan (the oracle; also the
    // exact answer for small indexes).
    std::vector<search_hit> exact_search(std::span<const float> query, std::size_t k) const {
        auto scratch = sync_->pool.get();
        const float* q = prepare_query(query, *scratch);
        if (k == 0 || live_count_ == 0) return {};
        exact_scan(q, k, *scratch, [this](std::uint32_t s) { return is_live(s); });
        return collect(*scratch, k);
    }

    // Which strategy a filter of the given matching fraction gets.
    filter_strategy plan_filter(double selectivity) const noexcept {
        const double matches = selectivity * static_cast<double>(live_count_);
        if (matches <= static_cast<double>(params_.brute_force_limit) || selectivity < params_.brute_force_selectivity)
            return filter_strategy::exact_scan;
        return filter_strategy::filtered_beam;
    }

    // ---- persistence -----------------------------------------------------------

    // What a persistent index stores beside the element blocks; everything
    // else (key map, free slots, counts) is derived from the blocks.
    struct saved_state {
        std::uint64_t rng_state = 0;
        std::uint32_t slot_count = 0;
        std::uint32_t entry = no_slot;
        std::int32_t max_level = -1;
        std::uint32_t live = 0;
        std::uint32_t tombstones = 0;
    };

    saved_state save_state() const noexcept {
        return {rng_.state(), static_cast<std::uint32_t>(slot_count_), entry_, max_level_,
                static_cast<std::uint32_t>(live_count_), static_cast<std::uint32_t>(tombstone_count_)};
    }

    // Adopts a saved state over blocks already in the storage: rebuilds the
    // key map, the free list and the counts by one scan of the flags and key
    // fields (no distance is computed, nothing is relinked). Throws
    // corruption when the blocks disagree with the state.
    void restore_state(const saved_state& st) {
        if (st.slot_count > storage_.capacity())
            fail(errc::corruption, who() + "slot count " + std::to_string(st.slot_count) + " exceeds the storage");
        rng_.set_state(st.rng_state);
        slot_count_ = st.slot_count;
        entry_ = st.entry;
        max_level_ = st.max_level;
        labels_.clear();
        labels_.reserve(st.live);
        free_slots_.clear();
        live_count_ = tombstone_count_ = 0;
        for (std::uint32_t s = 0; s < slot_count_; ++s) {
            const std::uint8_t f = flags_of(s);
            if (f == 0) {
                free_slots_.push_back(s);
            } else if (f & flag_deleted) {
                ++tombstone_count_;
            } else {
                if (!labels_.emplace(label_of(s), s).second)
                    fail(errc::corruption, who() + "slot " + std::to_string(s) + ": key " +
                                               std::to_string(label_of(s)) + " appears twice");
                ++live_count_;
            }
        }
        std::sort(free_slots_.begin(), free_slots_.end(), std::greater<>());
        if (live_count_ != st.live || tombstone_count_ != st.tombstones)
            fail(errc::corruption, who() + "element counts disagree with the stored blocks");
        if ((entry_ == no_slot) != (live_count_ + tombstone_count_ == 0) ||
            (entry_ != no_slot && (entry_ >= slot_count_ || flags_of(entry_) == 0)))
            fail(errc::corruption, who() + "entry point is not an element");
    }

    Storage& mutable_storage() noexcept { return storage_; }

    // ---- checking ------------------------------------------------------------

    // Walks invariants 1-4 of the header; throws corruption naming the index
    // and slot at the first violation.
    void verify() const {
        auto bad = [this](std::uint32_t slot, const std::string& what) {
            fail(errc::corruption, who() + "slot " + std::to_string(slot) + ": " + what);
        };
        std::vector<std::uint8_t> is_free(slot_count_, 0);
        for (std::uint32_t s : free_slots_) {
            if (s >= slot_count_) bad(s, "free slot beyond slot count");
            is_free[s] = 1;
        }
        std::size_t live = 0, dead = 0;
        for (std::uint32_t s = 0; s < slot_count_; ++s) {
            const std::uint8_t f = flags_of(s);
            if (is_free[s]) {
                if (f != 0) bad(s, "free slot has flags set");
                continue;
            }
            if (!(f & flag_in_use)) bad(s, "slot neither in use nor free");
            if (f & flag_deleted) {
                ++dead;
                if (labels_.count(label_of(s)) && labels_.at(label_of(s)) == s) bad(s, "tombstone still has a key");
            } else {
                ++live;
                const auto it = labels_.find(label_of(s));
                if (it == labels_.end() || it->second != s) bad(s, "key map does not point back at the slot");
            }
            for (unsigned lc = 0; lc <= level_of(s); ++lc) {
                const std::size_t n = link_count(s, lc);
                if (n > capacity(lc)) bad(s, "level " + std::to_string(lc) + " has too many links");
                const std::uint32_t* ids = links(s, lc);
                for (std::size_t i = 0; i < n; ++i) {
                    const std::uint32_t t = ids[i];
                    if (t >= slot_count_ || is_free[t] || !(flags_of(t) & flag_in_use))
                        bad(s, "link to a slot not in use: " + std::to_string(t));
                    if (t == s) bad(s, "link to itself");
                    if (level_of(t) < lc) bad(s, "link at level " + std::to_string(lc) + " to a lower element");
                    for (std::size_t j = 0; j < i; ++j)
                        if (ids[j] == t) bad(s, "duplicate link " + std::to_string(t));
                }
            }
        }
        if (live != live_count_ || live != labels_.size() || dead != tombstone_count_)
            fail(errc::corruption, who() + "element counts disagree with the key map");
        if (live + dead == 0) {
            if (entry_ != no_slot) fail(errc::corruption, who() + "empty index has an entry point");
        } else if (entry_ >= slot_count_ || is_free[entry_] || static_cast<int>(level_of(entry_)) != max_level_) {
            fail(errc::corruption, who() + "entry point is not an element of the top level");
        }
    }

private:
    struct sync_state {
        // Striped link-list locks for parallel builds: 4096 stripes keep
        // contention negligible at a fixed 160 KiB, instead of one mutex per
        // element.
        static constexpr std::size_t stripes = 4096;
        std::unique_ptr<std::mutex[]> link_locks = std::make_unique<std::mutex[]>(stripes);
        std::mutex entry_lock;
        scratch_pool pool;
        std::mutex& lock_for(std::uint32_t slot) noexcept { return link_locks[slot & (stripes - 1)]; }
    };

    // ---- element fields ------------------------------------------------------

    std::string who() const { return "vector index '" + params_.name + "': "; }

    const float* vec(std::uint32_t s) const {
        return reinterpret_cast<const float*>(storage_.block(s) + layout_.vector_offset);
    }
    unsigned level_of(std::uint32_t s) const { return static_cast<unsigned>(storage_.block(s)[2]); }
    std::uint8_t flags_of(std::uint32_t s) const { return static_cast<std::uint8_t>(storage_.block(s)[3]); }
    std::uint8_t& flags_ref(std::uint32_t s) { return *reinterpret_cast<std::uint8_t*>(storage_.block(s) + 3); }
    bool is_deleted(std::uint32_t s) const { return (flags_of(s) & flag_deleted) != 0; }
    bool is_live(std::uint32_t s) const { return flags_of(s) == flag_in_use; }
    std::uint64_t label_of(std::uint32_t s) const {
        std::uint64_t key;
        std::memcpy(&key, storage_.block(s) + layout_.label_offset, sizeof key);
        return key;
    }
    std::size_t capacity(unsigned level) const noexcept { return level == 0 ? layout_.m0 : layout_.m; }

    // Level 0 keeps a 16-bit count at offset 0; level l >= 1 a 32-bit count at
    // the head of list l-1 of the upper block (layout.hpp).
    // Reads go through the const accessors of the storage and writes through
    // the non-const ones, so that a page-backed model copies a page only when
    // it is really written (page_storage.hpp).
    const std::uint32_t* links(std::uint32_t s, unsigned level) const {
        const std::byte* base = level == 0 ? storage_.block(s) + layout_.links_offset
                                           : storage_.upper(s) + (level - 1) * layout_.upper_list_size + 4;
        return reinterpret_cast<const std::uint32_t*>(base);
    }
    std::uint32_t* links_mut(std::uint32_t s, unsigned level) {
        std::byte* base = level == 0 ? storage_.block(s) + layout_.links_offset
                                     : storage_.upper(s) + (level - 1) * layout_.upper_list_size + 4;
        return reinterpret_cast<std::uint32_t*>(base);
    }
    std::size_t link_count(std::uint32_t s, unsigned level) const {
        if (level == 0) return *reinterpret_cast<const std::uint16_t*>(storage_.block(s));
        return *reinterpret_cast<const std::uint32_t*>(storage_.upper(s) + (level - 1) * layout_.upper_list_size);
    }
    void set_link_count(std::uint32_t s, unsigned level, std::size_t n) {
        if (level == 0)
            *reinterpret_cast<std::uint16_t*>(storage_.block(s)) = static_cast<std::uint16_t>(n);
        else
            *reinterpret_cast<std::uint32_t*>(storage_.upper(s) + (level - 1) * layout_.upper_list_size) =
                static_cast<std::uint32_t>(n);
    }
    void set_links(std::uint32_t s, unsigned level, const std::vector<std::uint32_t>& ids) {
        std::copy(ids.begin(), ids.end(), links_mut(s, level));
        set_link_count(s, level, ids.size());
    }

    float distance(const float* a, const float* b) const noexcept {
        const float r = kernel_(a, b, params_.dim);
        return one_minus_ ? 1.0f - r : r;
    }

    std::uint32_t slot_of(std::uint64_t key) const {
        const auto it = labels_.find(key);
        if (it == labels_.end()) fail(errc::not_found, who() + "no vector with key " + std::to_string(key));
        return it->second;
    }

    // ---- input checking --------------------------------------------------------

    // Rejects NaN and infinite components and, under cosine, zero vectors;
    // normalises in place under cosine (so search is a dot product).
    void check_and_normalise(std::span<float> v, const std::string& what) const {
        double norm2 = 0.0;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!std::isfinite(v[i]))
                fail(errc::invalid_argument, who() + what + ": component " + std::to_string(i) + " is " +
                                                 (std::isnan(v[i]) ? "NaN" : "infinite"));
            norm2 += static_cast<double>(v[i]) * static_cast<double>(v[i]);
        }
        if (params_.metric != metric::cosine) return;
        if (!(norm2 > 0.0) || !std::isfinite(norm2))
            fail(errc::invalid_argument, who() + what + ": a zero vector has no direction under the cosine metric");
        const double inv = 1.0 / std::sqrt(norm2);
        for (float& x : v) x = static_cast<float>(static_cast<double>(x) * inv);
    }

    std::vector<float> checked_vector(std::span<const float> values, const std::string& what) const {
        if (values.size() != params_.dim)
            fail(errc::invalid_argument, who() + what + ": vector has " + std::to_string(values.size()) +
                                             " components, expected " + std::to_string(params_.dim));
        std::vector<float> copy(values.begin(), values.end());
        check_and_normalise(copy, what);
        return copy;
    }

    const float* prepare_query(std::span<const float> query, search_scratch& scratch) const {
        if (query.size() != params_.dim)
            fail(errc::invalid_argument, who() + "query has " + std::to_string(query.size()) +
                                             " components, expected " + std::to_string(params_.dim));
        scratch.query.assign(query.begin(), query.end());
        check_and_normalise(scratch.query, "query");
        return scratch.query.data();
    }

    // ---- insertion internals ---------------------------------------------------

    std::uint32_t take_slot() {
        if (!free_slots_.empty()) {
            const std::uint32_t s = free_slots_.back();
            free_slots_.pop_back();
            return s;
        }
        if (slot_count_ == std::numeric_limits<std::uint32_t>::max() - 1)
            fail(errc::too_large, who() + "holds the maximum number of elements");
        if (slot_count_ == storage_.capacity()) storage_.reserve(std::max<std::size_t>(64, storage_.capacity() * 2));
        return static_cast<std::uint32_t>(slot_count_++);
    }

    // floor(-ln(U) * mL): a geometric distribution of levels, P(level >= l) =
    // exp(-l / mL) = M^-l for the default mL.
    unsigned draw_level() {
        const double level = std::floor(-std::log(rng_.uniform_open0()) * level_multiplier_);
        return level >= top_level_limit ? top_level_limit : static_cast<unsigned>(level);
    }

    // Writes an element's block before it is linked anywhere, so that every
    // thread that later reaches it through a (locked) link list sees it whole.
    void place(std::uint32_t slot, std::uint64_t key, unsigned level, const float* v) {
        std::byte* b = storage_.block(slot);
        std::memset(b, 0, layout_.block_size);
        b[2] = static_cast<std::byte>(level);
        b[3] = static_cast<std::byte>(flag_in_use);
        std::memcpy(b + layout_.vector_offset, v, params_.dim * sizeof(float));
        std::memcpy(b + layout_.label_offset, &key, sizeof key);
        storage_.set_upper(slot, level);
        labels_.emplace(key, slot);
        ++live_count_;
    }

    // Reads a link list, under its stripe lock when other threads may be
    // writing it, into `out`.
    void read_links(std::uint32_t s, unsigned level, bool locked, std::vector<std::uint32_t>& out) const {
        std::unique_lock<std::mutex> guard;
        if (locked) guard = std::unique_lock(sync_->lock_for(s));
        const std::uint32_t* ids = links(s, level);
        out.assign(ids, ids + link_count(s, level));
    }

    // Algorithm 1 of the paper: greedy descent through the levels above the
    // new element's, then a beam search of width ef_construction on each of
    // its levels, linking to the heuristic's choice (Algorithm 4) and back.
    void link(std::uint32_t slot, unsigned level, bool locked) {
        std::unique_lock<std::mutex> entry_guard;
        if (locked) entry_guard = std::unique_lock(sync_->entry_lock);
        if (entry_ == no_slot) {
            entry_ = slot;
            max_level_ = static_cast<int>(level);
            return;
        }
        std::uint32_t ep = entry_;
        const int top = max_level_;
        // An element that will become the new entry point holds the entry lock
        // throughout, as hnswlib does; that happens for ~1/M^top of inserts.
        if (locked && static_cast<int>(level) <= top) entry_guard.unlock();

        auto scratch = sync_->pool.get();
        const float* q = vec(slot);
        float d_ep = distance(q, vec(ep));
        for (int lc = top; lc > static_cast<int>(level); --lc)
            greedy_descend(q, ep, d_ep, static_cast<unsigned>(lc), locked, *scratch);

        std::vector<std::uint32_t> chosen;
        for (int lc = std::min(top, static_cast<int>(level)); lc >= 0; --lc) {
            const unsigned l = static_cast<unsigned>(lc);
            search_layer(q, ep, d_ep, params_.ef_construction, l, *scratch, locked,
                         [this, slot](std::uint32_t s) { return s != slot && !is_deleted(s); }, true);
            std::vector<scored>& pool = scratch->buffer;
            pool = scratch->results.items();
            std::sort(pool.begin(), pool.end(), by_distance_then_slot);
            select_neighbours(pool, layout_.m, chosen);
            // The nearest element found starts the search one level down
            // (read now: add_back_link reuses the buffer).
            if (!pool.empty()) {
                ep = pool.front().slot;
                d_ep = pool.front().distance;
            }
            {
                std::unique_lock<std::mutex> guard;
                if (locked) guard = std::unique_lock(sync_->lock_for(slot));
                set_links(slot, l, chosen);
            }
            for (std::uint32_t n : chosen) add_back_link(n, slot, l, locked, *scratch);
        }
        if (static_cast<int>(level) > top) {
            entry_ = slot;
            max_level_ = static_cast<int>(level);
        }
    }

    void greedy_descend(const float* q, std::uint32_t& ep, float& d_ep, unsigned level, bool locked,
                        search_scratch& scratch) const {
        for (bool moved = true; moved;) {
            moved = false;
            const std::uint32_t* ids;
            std::size_t n;
            if (locked) {
                read_links(ep, level, true, scratch.links);
                ids = scratch.links.data();
                n = scratch.links.size();
            } else {
                ids = links(ep, level);
                n = link_count(ep, level);
            }
            for (std::size_t i = 0; i < n; ++i) {
                const float d = distance(q, vec(ids[i]));
                if (d < d_ep) {
                    d_ep = d;
                    ep = ids[i];
                    moved = true;
                }
            }
        }
    }

    // Adds `slot` to n's level-l list; a full list is re-chosen by the
    // heuristic from its old members plus `slot`.
    void add_back_link(std::uint32_t n, std::uint32_t slot, unsigned l, bool locked, search_scratch& scratch) {
        std::unique_lock<std::mutex> guard;
        if (locked) guard = std::unique_lock(sync_->lock_for(n));
        std::uint32_t* ids = links_mut(n, l);
        const std::size_t count = link_count(n, l);
        for (std::size_t i = 0; i < count; ++i)
            if (ids[i] == slot) return;
        if (count < capacity(l)) {
            ids[count] = slot;
            set_link_count(n, l, count + 1);
            return;
        }
        std::vector<scored>& pool = scratch.buffer;
        pool.clear();
        const float* base = vec(n);
        pool.push_back({distance(base, vec(slot)), slot});
        for (std::size_t i = 0; i < count; ++i) pool.push_back({distance(base, vec(ids[i])), ids[i]});
        std::sort(pool.begin(), pool.end(), by_distance_then_slot);
        std::vector<std::uint32_t>& kept = scratch.links;
        select_neighbours(pool, capacity(l), kept);
        set_links(n, l, kept);
    }

    // Algorithm 4 (hnswlib's getNeighborsByHeuristic2): walking candidates
    // nearest first, keep one only if it is nearer to the base than to every
    // neighbour kept so far. This keeps links pointing in diverse directions,
    // which is what lets the graph cross between clusters. `sorted` must be
    // in ascending distance; up to m slots go to `out`.
    void select_neighbours(const std::vector<scored>& sorted, std::size_t m, std::vector<std::uint32_t>& out) const {
        out.clear();
        if (sorted.size() <= m) {
            for (const scored& c : sorted) out.push_back(c.slot);
            return;
        }
        for (const scored& c : sorted) {
            if (out.size() >= m) break;
            const float* cv = vec(c.slot);
            bool diverse = true;
            for (std::uint32_t s : out)
                if (distance(cv, vec(s)) < c.distance) {
                    diverse = false;
                    break;
                }
            if (diverse) out.push_back(c.slot);
        }
    }

    // ---- search internals ------------------------------------------------------

    // Algorithm 2: beam search of width ef on one level from ep. Every reached
    // element routes; only those `allowed` accepts enter the results (the
    // filtered form, as in hnswlib's isIdAllowed). With a filter the search
    // goes on until ef allowed results are found or the graph is exhausted.
    template <class Allowed>
    void search_layer(const float* q, std::uint32_t ep, float d_ep, std::size_t ef, unsigned level,
                      search_scratch& scratch, bool locked, Allowed&& allowed, bool filtered) const {
        visited_set& visited = scratch.visited;
        farthest_first& results = scratch.results;
        nearest_first& candidates = scratch.candidates;
        visited.reset(slot_count_);
        results.clear();
        candidates.clear();
        visited.insert(ep);
        float bound = std::numeric_limits<float>::infinity();
        if (allowed(ep)) {
            results.push({d_ep, ep});
            bound = d_ep;
        }
        candidates.push({d_ep, ep});
        while (!candidates.empty()) {
            const scored current = candidates.top();
            if (current.distance > bound && (results.size() >= ef || !filtered)) break;
            candidates.pop();
            const std::uint32_t* ids;
            std::size_t n;
            if (locked) {
                read_links(current.slot, level, true, scratch.links);
                ids = scratch.links.data();
                n = scratch.links.size();
            } else {
                ids = links(current.slot, level);
                n = link_count(current.slot, level);
            }
            if (n > 0) {
                __builtin_prefetch(visited.tag_address(ids[0]));
                __builtin_prefetch(vec(ids[0]));
            }
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint32_t nb = ids[i];
                if (i + 1 < n) {
                    // Fetch the next neighbour's tag and vector while this one's
                    // distance is computed: the loop is memory-bound otherwise.
                    __builtin_prefetch(visited.tag_address(ids[i + 1]));
                    __builtin_prefetch(vec(ids[i + 1]));
                }
                if (!visited.test_and_insert(nb)) continue;
                const float d = distance(q, vec(nb));
                if (results.size() < ef || d < bound) {
                    candidates.push({d, nb});
                    __builtin_prefetch(storage_.block(candidates.top().slot));
                    if (allowed(nb)) {
                        results.push({d, nb});
                        if (results.size() > ef) results.pop();
                    }
                    if (!results.empty()) bound = results.top().distance;
                }
            }
        }
    }

    template <class Allowed>
    void beam_search(const float* q, std::size_t k, std::size_t ef, search_scratch& scratch, Allowed&& allowed,
                     bool filtered) const {
        if (ef == 0) ef = params_.ef_search;
        ef = std::max(ef, k);
        std::uint32_t ep = entry_;
        float d_ep = distance(q, vec(ep));
        for (int lc = max_level_; lc > 0; --lc) greedy_descend(q, ep, d_ep, static_cast<unsigned>(lc), false, scratch);
        search_layer(q, ep, d_ep, ef, 0, scratch, false, allowed, filtered);
    }

    // Keeps the k nearest in a max-heap.
    static void offer(farthest_first& results, std::size_t k, scored item) {
        if (results.size() < k) {
            results.push(item);
        } else if (item.distance < results.top().distance) {
            results.pop();
            results.push(item);
        }
    }

    template <class Allowed>
    void exact_scan(const float* q, std::size_t k, search_scratch& scratch, Allowed&& allowed) const {
        farthest_first& results = scratch.results;
        results.clear();
        for (std::uint32_t s = 0; s < slot_count_; ++s)
            if (allowed(s)) offer(results, k, {distance(q, vec(s)), s});
    }

    template <class Allowed>
    double estimate_selectivity(Allowed& allowed) const {
        constexpr std::size_t samples = 256;
        const std::size_t stride = std::max<std::size_t>(1, slot_count_ / samples);
        std::size_t seen = 0, passed = 0;
        for (std::size_t s = 0; s < slot_count_; s += stride) {
            if (!is_live(static_cast<std::uint32_t>(s))) continue;
            ++seen;
            if (allowed(static_cast<std::uint32_t>(s))) ++passed;
        }
        return seen == 0 ? 0.0 : static_cast<double>(passed) / static_cast<double>(seen);
    }

    std::size_t widened_ef(std::size_t ef, std::size_t k, double selectivity) const noexcept {
        if (ef == 0) ef = params_.ef_search;
        ef = std::max(ef, k);
        const double factor = std::min(8.0, 1.0 / std::sqrt(std::max(selectivity, 1e-6)));
        return static_cast<std::size_t>(static_cast<double>(ef) * factor);
    }

    // The k nearest of the results heap, nearest first, as keys and distances.
    std::vector<search_hit> collect(search_scratch& scratch, std::size_t k) const {
        std::vector<scored>& items = scratch.results.items();
        std::sort(items.begin(), items.end(), by_distance_then_slot);
        if (items.size() > k) items.resize(k);
        std::vector<search_hit> hits;
        hits.reserve(items.size());
        for (const scored& item : items) {
            float d = item.distance;
            if (params_.metric == metric::l2) d = std::sqrt(std::max(d, 0.0f));
            hits.push_back({label_of(item.slot), d});
        }
        return hits;
    }

    hnsw_params params_;
    element_layout layout_;
    Storage storage_;
    splitmix64 rng_;
    double level_multiplier_;
    kernel_fn kernel_ = nullptr;
    bool one_minus_ = false; // cosine and inner product: distance = 1 - dot

    std::unordered_map<std::uint64_t, std::uint32_t> labels_;
    std::vector<std::uint32_t> free_slots_; // descending, so back() is the lowest
    std::size_t slot_count_ = 0;            // high-water mark of slots handed out
    std::size_t live_count_ = 0;
    std::size_t tombstone_count_ = 0;
    std::uint32_t entry_ = no_slot;
    int max_level_ = -1;
    std::unique_ptr<sync_state> sync_;
};

using hnsw_index = basic_hnsw_index<memory_storage>;

} // namespace sqlitegraph::vector
