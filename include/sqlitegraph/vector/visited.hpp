// sqlitegraph/vector/visited.hpp — per-search scratch memory, reused.
//
// Owns: the visited set (one 16-bit tag per slot, compared against the
// current epoch, so "clear" is one increment instead of a memset of the
// whole array), the two heaps of a beam search, and a pool that hands one
// scratch object to each concurrent search.
//
// Invariants: a slot is visited in the current search iff tags[slot] ==
// epoch; epoch is never 0 (0 is the value of a fresh or wrapped array).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace sqlitegraph::vector {

class visited_set {
public:
    // Starts a new search over `slots` slots; amortised O(1).
    void reset(std::size_t slots) {
        if (tags_.size() < slots) tags_.resize(slots, 0);
        if (++epoch_ == 0) {
            // Every 65,535 searches the tags wrap; only then is a clear paid for.
            std::fill(tags_.begin(), tags_.end(), std::uint16_t{0});
            epoch_ = 1;
        }
    }
    bool contains(std::uint32_t slot) const noexcept { return tags_[slot] == epoch_; }
    void insert(std::uint32_t slot) noexcept { tags_[slot] = epoch_; }
    // True if the slot was new (and marks it).
    bool test_and_insert(std::uint32_t slot) noexcept {
        if (tags_[slot] == epoch_) return false;
        tags_[slot] = epoch_;
        return true;
    }
    const std::uint16_t* tag_address(std::uint32_t slot) const noexcept { return tags_.data() + slot; }

private:
    std::vector<std::uint16_t> tags_;
    std::uint16_t epoch_ = 0;
};

// A (distance, slot) pair. The heaps compare distances only (the hot path
// pays for no tie-break; heap operations are deterministic anyway); final
// result lists are sorted with by_distance_then_slot so ties list the same
// way on every run.
struct scored {
    float distance;
    std::uint32_t slot;
    friend bool operator<(const scored& a, const scored& b) noexcept { return a.distance < b.distance; }
    friend bool operator>(const scored& a, const scored& b) noexcept { return a.distance > b.distance; }
};

inline bool by_distance_then_slot(const scored& a, const scored& b) noexcept {
    return a.distance < b.distance || (a.distance == b.distance && a.slot < b.slot);
}

// A binary heap over a vector that keeps its capacity between searches
// (std::priority_queue hides its container, so it cannot be cleared cheaply).
// Compare = std::less gives a max-heap (top is the farthest), std::greater a
// min-heap (top is the nearest).
template <class Compare>
class scored_heap {
public:
    void clear() noexcept { items_.clear(); }
    bool empty() const noexcept { return items_.empty(); }
    std::size_t size() const noexcept { return items_.size(); }
    const scored& top() const noexcept { return items_.front(); }
    void push(scored item) {
        items_.push_back(item);
        std::push_heap(items_.begin(), items_.end(), Compare{});
    }
    void pop() noexcept {
        std::pop_heap(items_.begin(), items_.end(), Compare{});
        items_.pop_back();
    }
    std::vector<scored>& items() noexcept { return items_; }

private:
    std::vector<scored> items_;
};

using farthest_first = scored_heap<std::less<scored>>;
using nearest_first = scored_heap<std::greater<scored>>;

// Everything one search needs besides the index itself.
struct search_scratch {
    visited_set visited;
    farthest_first results;
    nearest_first candidates;
    std::vector<scored> buffer;          // neighbour selection, pruning
    std::vector<std::uint32_t> links;    // a copy of a link list read under a lock
    std::vector<float> query;            // the normalised query (cosine)
};

// Hands out scratch objects; a search returns its object when done, so
// steady-state searches allocate nothing.
class scratch_pool {
public:
    class lease {
    public:
        lease(scratch_pool& pool, std::unique_ptr<search_scratch> item) : pool_(&pool), item_(std::move(item)) {}
        lease(lease&& other) noexcept = default;
        lease& operator=(lease&&) = delete;
        lease(const lease&) = delete;
        lease& operator=(const lease&) = delete;
        ~lease() {
            if (item_) pool_->put(std::move(item_));
        }
        search_scratch& operator*() const noexcept { return *item_; }
        search_scratch* operator->() const noexcept { return item_.get(); }

    private:
        scratch_pool* pool_;
        std::unique_ptr<search_scratch> item_;
    };

    lease get() {
        std::unique_ptr<search_scratch> item;
        {
            std::lock_guard guard(mutex_);
            if (!free_.empty()) {
                item = std::move(free_.back());
                free_.pop_back();
            }
        }
        if (!item) item = std::make_unique<search_scratch>();
        return lease(*this, std::move(item));
    }

private:
    void put(std::unique_ptr<search_scratch> item) {
        std::lock_guard guard(mutex_);
        free_.push_back(std::move(item));
    }

    std::mutex mutex_;
    std::vector<std::unique_ptr<search_scratch>> free_;
};

} // namespace sqlitegraph::vector
