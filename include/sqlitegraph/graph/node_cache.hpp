// sqlitegraph/graph/node_cache.hpp — a bounded cache of node records above
// the page cache, shared by a store's read transactions.
//
// A warm get_node through the pages costs a descent of the node index, a
// page fetch and a walk of the page's records; this cache keeps the record
// bytes of recently read nodes so that a hit touches one slot (two or three
// when the key lives in its home's partner or its hashed slot).
// Node ids are dense, so placement is by key, not by hash: key k's home
// slot is slot_index(k) = (k / 2 + (k odd ? n / 2 : 0)) mod n for n slots,
// and k may also live in the home slot's partner (home xor 1), or in a
// third slot chosen by a hash of k (alternate_index), so keys with the same
// home stay (a fourth pushes out the one at home, and a key in a slot that
// is not its home gives way to the key whose home it is). The hashed slot is for
// skewed working sets: in an R-MAT graph the well-connected nodes, which
// a traversal from random sources keeps meeting, have ids with mostly zero
// bits, low bits included, so their homes crowd into a few slots; with the
// home pair alone a 2-hop query from 100 random sources at scale 20 missed
// 29% of its lookups on every pass. Fewer
// than n dense node ids never collide, and the adjacency cache's keys
// (node id * 2 + direction) put one direction's lists at node id mod n: up
// to n nodes when a traversal reads one direction, up to n / 2 with both
// directions apart when it reads both.
// A slot is 128 bytes and holds records up to inline_bytes in place;
// a hit at home is one slot, usually one or two cache lines, with no map to
// probe first. Larger records go to the heap, in whatever part of the capacity
// the slots do not take. The slot array is
// allocated for transparent huge pages (algo/big_allocator.hpp); it starts
// at 1,024 slots and doubles, up to the bound, when crowded: three
// quarters full, or as many entries as an eighth of the slots pushed out
// since it last grew. While the doubled array would leave the heap records
// at least as much of the capacity as it takes, it already doubles at an
// eighth full: a random working set (the same 10,000 nodes of a big graph,
// queried again) then loses under 1% of its keys to collisions, not 44%.
// It grows only by a whole step (a doubling, or the last step to the bound)
// that fits beside the heap records, never by the part of one the heap leaves:
// a dense traversal's keys (a full BFS at scale 20: 0.55 M out-lists of
// ids up to 2^20) fit a 2^20-slot array without a collision, and growing it
// further, or to an odd size below the ids' range, only took room from
// the heap records it also needed, so about 14 K of its lists missed on
// every pass (`benchmarks/probes/bfs_query.cpp`). An unused
// budget costs nothing, and keys that use only some slots (the adjacency
// cache's id * 2 + direction, when one direction is read) still make it
// grow instead of thrashing.
//
// Transactional invalidation. The cache holds records of exactly one
// committed state, named by the pager's change counter (`valid_`); a read
// transaction uses it, and fills it, only when its snapshot is that state.
// A committing graph write transaction, under the writer lock:
//   1. begin_commit(touched, base): drops the node ids it wrote, marks the
//      cache valid for no state (readers bypass it) and takes a token;
//   2. commits the pager transaction;
//   3. end_commit(token, base, now): when no later commit began meanwhile,
//      the cache becomes valid for `now` if that is base + 1 and the cache
//      was valid for base (the entries it kept are unchanged by the
//      commit); otherwise it is emptied first (a commit that did not go
//      through this protocol happened).
// A rolled-back write transaction never touches the cache, so its changes
// are never seen through it. Invariants:
//  1. valid_ != no_state  =>  every entry equals the record of its node in
//     the committed state valid_;
//  2. memory: slot_count * slot_bytes <= 3/4 of the capacity, and slots
//     plus heap records <= the capacity (a record that does not fit is not
//     cached; the array stops growing when the heap holds the rest).
#pragma once

#include "sqlitegraph/algo/big_allocator.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace sqlitegraph {

struct node_cache_stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;   // lookups by a snapshot the cache is valid for that found nothing
    std::uint64_t bypassed = 0; // lookups by a snapshot the cache is not valid for
    std::uint64_t replaced = 0; // entries pushed out by a record of another id
    std::size_t entries = 0;
    std::size_t bytes = 0; // slots plus heap records
    std::size_t capacity = 0;
};

class node_cache {
  public:
    static constexpr std::size_t slot_bytes = 128;
    static constexpr std::uint64_t no_state = UINT64_MAX;

  private:
    struct slot {
        std::uint64_t id = 0;        // 0: empty (node ids start at 1)
        std::unique_ptr<char[]> big; // records over inline_bytes
        std::uint32_t size = 0;
        std::array<char, slot_bytes - 8 - sizeof(std::unique_ptr<char[]>) - 4> small{};

        [[nodiscard]] std::string_view view() const noexcept {
            return std::string_view(big ? big.get() : small.data(), size);
        }
    };

  public:
    static constexpr std::size_t inline_bytes = sizeof(slot::small);

    explicit node_cache(std::size_t capacity_bytes, std::uint64_t state = no_state) : valid_(state) {
        resize(capacity_bytes);
    }

    // Calls fn(record) and returns true on a hit for a reader whose
    // snapshot is `state`. fn runs under the cache's lock.
    template <class Fn> bool find(std::uint64_t id, std::uint64_t state, Fn&& fn) {
        std::lock_guard lock(mutex_);
        if (!serves_locked(state)) {
            ++bypassed_;
            return false;
        }
        const slot* s = find_locked(id);
        if (s == nullptr) {
            ++misses_;
            return false;
        }
        ++hits_;
        fn(s->view());
        return true;
    }

    // Keys a batch lookup takes at most (find_many).
    static constexpr std::size_t max_batch = 64;

    // find() for each of keys (at most max_batch), under one acquisition of
    // the lock: calls fn(i, record) for each key i that hits, in order,
    // under the lock. The home slots of all keys are prefetched first, then
    // the heap records of those found, so a batch waits for its memory
    // misses together rather than one after another (a random key's slot is
    // a miss in a cache much larger than the CPU's). Returns false, having
    // called nothing, when the cache is not valid for `state`.
    template <class Fn> bool find_many(std::span<const std::uint64_t> keys, std::uint64_t state, Fn&& fn) {
        if (keys.size() > max_batch) throw std::length_error("node_cache::find_many: more than max_batch keys");
        std::lock_guard lock(mutex_);
        if (!serves_locked(state)) {
            bypassed_ += keys.size();
            return false;
        }
        const std::size_t n = slots_.size();
        for (const auto key : keys) {
            const char* home = reinterpret_cast<const char*>(&slots_[slot_index(key, n)]);
            __builtin_prefetch(home);
            __builtin_prefetch(home + 64);
        }
        std::array<const slot*, max_batch> found;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            found[i] = find_locked(keys[i]);
            if (found[i] != nullptr && found[i]->big) {
                __builtin_prefetch(found[i]->big.get());
                __builtin_prefetch(found[i]->big.get() + 64);
            }
        }
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (found[i] == nullptr) {
                ++misses_;
                continue;
            }
            ++hits_;
            fn(i, found[i]->view());
        }
        return true;
    }

    // Adds the record of id read by a snapshot of `state` (ignored when the
    // cache is not valid for that state, or the record is over the heap
    // budget).
    void insert(std::uint64_t id, std::string_view record, std::uint64_t state) {
        std::lock_guard lock(mutex_);
        if (!serves_locked(state) || id == 0) return;
        grow_if_crowded_locked();
        if (find_locked(id) != nullptr) return;
        slot& s = slots_[place(id, slots_)];
        const bool big = record.size() > inline_bytes;
        const std::size_t heap_after = heap_bytes_ - (s.big ? s.size : 0) + (big ? record.size() : 0);
        if (heap_after > heap_room()) return;
        if (s.id != 0) {
            ++replaced_;
            ++replaced_since_growth_;
        }
        drop(s);
        s.id = id;
        s.size = static_cast<std::uint32_t>(record.size());
        if (big) {
            s.big = std::make_unique<char[]>(record.size());
            std::memcpy(s.big.get(), record.data(), record.size());
            heap_bytes_ += record.size();
        } else if (!record.empty()) {
            std::memcpy(s.small.data(), record.data(), record.size());
        }
        ++entries_;
    }

    // Step 1 of a commit (see the header comment); returns the token.
    std::uint64_t begin_commit(std::span<const std::uint64_t> touched, std::uint64_t base) {
        std::lock_guard lock(mutex_);
        if (!slots_.empty()) {
            for (const auto id : touched) {
                if (slot* s = find_locked(id)) drop(*s);
            }
        }
        carry_ = valid_ == base && valid_ != no_state;
        valid_ = no_state;
        return pending_ = ++tokens_;
    }

    // Step 3 of a commit: `now` is the committed state after it.
    void end_commit(std::uint64_t token, std::uint64_t base, std::uint64_t now) {
        std::lock_guard lock(mutex_);
        if (pending_ != token) return; // a later commit began: it decides
        pending_ = 0;
        if (!carry_ || now != base + 1) clear_locked();
        valid_ = now;
    }

    // Empties the cache; it stays valid for the state it was valid for.
    void clear() {
        std::lock_guard lock(mutex_);
        clear_locked();
    }

    // New bound (bytes): empties the cache and sizes it again.
    void set_capacity(std::size_t bytes) {
        std::lock_guard lock(mutex_);
        resize(bytes);
    }

    [[nodiscard]] node_cache_stats stats() const {
        std::lock_guard lock(mutex_);
        return {hits_, misses_, bypassed_, replaced_, entries_, slots_.size() * sizeof(slot) + heap_bytes_, capacity_};
    }

  private:
    static_assert(sizeof(slot) == slot_bytes, "node_cache: a slot is two cache lines");

    // Whether a reader of snapshot `state` may use (and fill) the cache.
    [[nodiscard]] bool serves_locked(std::uint64_t state) const noexcept {
        return state == valid_ && valid_ != no_state && !slots_.empty();
    }

    // Odd keys are offset by half the array (see the header comment).
    static std::size_t slot_index(std::uint64_t key, std::size_t slot_count) noexcept {
        return static_cast<std::size_t>(((key >> 1) + (key & 1) * (slot_count / 2)) % slot_count);
    }

    // A key lives in its home slot or in the home slot's partner (the other
    // of its aligned pair): two keys whose home is the same slot, a
    // conflict a direct-mapped cache resolves by pushing one out, both stay.
    static std::size_t partner(std::size_t home, std::size_t slot_count) noexcept {
        return (home ^ 1) < slot_count ? home ^ 1 : home;
    }
    // The third slot a key may live in: by a hash of the key (splitmix64's
    // finaliser), so keys whose homes crowd spread over the whole array.
    static std::size_t alternate_index(std::uint64_t key, std::size_t slot_count) noexcept {
        key = (key ^ (key >> 30)) * 0xbf58476d1ce4e5b9ULL;
        key = (key ^ (key >> 27)) * 0x94d049bb133111ebULL;
        return static_cast<std::size_t>((key ^ (key >> 31)) % slot_count);
    }
    slot* find_locked(std::uint64_t id) noexcept {
        const std::size_t n = slots_.size();
        const std::size_t home = slot_index(id, n);
        if (slots_[home].id == id) return &slots_[home];
        if (slot& other = slots_[partner(home, n)]; other.id == id) return &other;
        slot& third = slots_[alternate_index(id, n)];
        return third.id == id ? &third : nullptr;
    }
    // Where a key not in `slots` goes: the home slot when free or held by a
    // guest (a key whose home it is not), else its partner, else the hashed
    // slot when free; else the home slot's entry is pushed out. Guests give
    // way, so keys that all fit in their homes (a traversal of every node)
    // keep them however many guests came before.
    template <class Slots> static std::size_t place(std::uint64_t id, const Slots& slots) noexcept {
        const std::size_t n = slots.size();
        const std::size_t home = slot_index(id, n);
        if (slots[home].id == 0 || slot_index(slots[home].id, n) != home) return home;
        if (const std::size_t other = partner(home, n); slots[other].id == 0) return other;
        if (const std::size_t third = alternate_index(id, n); slots[third].id == 0) return third;
        return home;
    }

    // Heap bytes the records may take: what the slot array leaves of the capacity.
    [[nodiscard]] std::size_t heap_room() const noexcept {
        const std::size_t slot_bytes_now = slots_.size() * sizeof(slot);
        return capacity_ > slot_bytes_now ? capacity_ - slot_bytes_now : 0;
    }

    void drop(slot& s) {
        if (s.id == 0) return;
        if (s.big) heap_bytes_ -= s.size;
        s.big.reset();
        s.id = 0;
        s.size = 0;
        --entries_;
    }

    void clear_locked() {
        for (auto& s : slots_)
            drop(s);
    }

    // The slot array starts small and doubles as entries arrive, up to the
    // bound: opening a store with a large cache must not allocate and zero
    // all of that memory before the first lookup (it made a reopen with a
    // 1 GiB budget take half a second).
    static constexpr std::size_t initial_slots = 1024;

    void resize(std::size_t capacity_bytes) {
        capacity_ = capacity_bytes;
        max_slots_ = capacity_bytes / 4 * 3 / sizeof(slot);
        slots_.clear();
        slots_.shrink_to_fit();
        slots_.resize(std::min(max_slots_, initial_slots));
        heap_bytes_ = 0;
        entries_ = 0;
        replaced_since_growth_ = 0;
    }

    // Doubles the slot array (or takes the last step to the bound) once it
    // is crowded, when the new array fits beside the heap records (see the
    // header comment);
    // each entry moves to its home slot in the new array, or to the home's
    // partner or its hashed slot, and is dropped when all three are taken.
    void grow_if_crowded_locked() {
        const std::size_t n = slots_.size();
        if (n >= max_slots_) return;
        // Crowded: collisions are happening, or soon will (three slots per
        // key find one free far less often past three quarters full).
        const bool crowded = entries_ >= n / 4 * 3 || replaced_since_growth_ >= n / 8;
        // Keys collide ever less as the array grows sparser (an eighth full
        // loses under 1% of a random working set; direct-mapped and half
        // full, 44%), but a sparse array must leave the heap records at
        // least as much of the capacity as it takes.
        const std::size_t pressure = std::max(entries_, replaced_since_growth_);
        const bool sparse_growth = pressure >= n / 8 && 4 * n * sizeof(slot) <= capacity_ - heap_bytes_;
        if (!crowded && !sparse_growth) return;
        // A whole step or none (see the header comment).
        const std::size_t target = std::min(max_slots_, n * 2);
        if (target * sizeof(slot) > capacity_ - heap_bytes_) return;
        replaced_since_growth_ = 0;
        decltype(slots_) bigger(target);
        for (auto& s : slots_) {
            if (s.id == 0) continue;
            slot& moved_to = bigger[place(s.id, bigger)];
            if (moved_to.id == 0) {
                moved_to = std::move(s);
                s.id = 0;
            } else {
                drop(s);
            }
        }
        slots_.swap(bigger);
    }

    mutable std::mutex mutex_;
    std::size_t capacity_ = 0;
    std::size_t max_slots_ = 0;
    std::uint64_t valid_;
    std::uint64_t pending_ = 0, tokens_ = 0;
    bool carry_ = false;
    // Huge pages where the system has them: random slot accesses would miss
    // the TLB on almost every lookup with 4 KiB pages.
    std::vector<slot, algo::big_allocator<slot>> slots_;
    std::size_t heap_bytes_ = 0, entries_ = 0, replaced_since_growth_ = 0;
    std::uint64_t hits_ = 0, misses_ = 0, bypassed_ = 0, replaced_ = 0;
};

} // namespace sqlitegraph
