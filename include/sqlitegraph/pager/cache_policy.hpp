// sqlitegraph/pager/cache_policy.hpp — eviction policies of the page cache.
//
// A cache policy only decides *which* cached key to evict; the page cache
// owns the frames and the key -> frame map. Keys are 64-bit (a page id and a
// version packed together by the cache). The cache reports every event:
//   on_insert(key)  a key was brought in after a miss
//   on_hit(key)     a cached key was used again
//   on_remove(key)  a key left the cache for another reason (invalidation)
//   choose_victim(evictable) -> the key to evict, or nullopt when every key
//                   is rejected by evictable (pinned pages are never evicted)
// choose_victim removes the victim from the policy's own bookkeeping.
//
// Policies: lru_cache (recency list), clock_cache (second chance) and
// s3fifo_cache (the default: Yang et al., SOSP'23 — a small probationary
// FIFO, a main FIFO and a ghost FIFO of recently evicted keys; one-time scans
// pass through the small queue without flushing the hot set).
#pragma once

#include "sqlitegraph/core/policy_tags.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sqlitegraph {

using cache_key = std::uint64_t;

template <class P>
concept cache_policy = requires {
    typename P::policy_category;
}
&&std::same_as<typename P::policy_category, cache_policy_tag>&&
    std::constructible_from<P, std::size_t>&& requires(P& p, cache_key key) {
    { P::name } -> std::convertible_to<const char*>;
    p.on_insert(key);
    p.on_hit(key);
    p.on_remove(key);
    {
        p.choose_victim([](cache_key) { return true; })
        } -> std::same_as<std::optional<cache_key>>;
};

// Least recently used: a list ordered by last use, most recent at the front.
class lru_cache {
  public:
    using policy_category = cache_policy_tag;
    static constexpr const char* name = "lru";

    explicit lru_cache(std::size_t capacity) { positions_.reserve(capacity); }

    void on_insert(cache_key key) {
        order_.push_front(key);
        positions_[key] = order_.begin();
    }
    void on_hit(cache_key key) {
        auto it = positions_.find(key);
        if (it != positions_.end()) order_.splice(order_.begin(), order_, it->second);
    }
    void on_remove(cache_key key) {
        auto it = positions_.find(key);
        if (it == positions_.end()) return;
        order_.erase(it->second);
        positions_.erase(it);
    }
    template <class Evictable> std::optional<cache_key> choose_victim(Evictable&& evictable) {
        for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
            if (evictable(*it)) {
                const auto key = *it;
                on_remove(key);
                return key;
            }
        }
        return std::nullopt;
    }

  private:
    std::list<cache_key> order_;
    std::unordered_map<cache_key, std::list<cache_key>::iterator> positions_;
};

// CLOCK (second chance): keys on a ring with a reference bit; the hand clears
// set bits and evicts the first key whose bit is already clear.
class clock_cache {
  public:
    using policy_category = cache_policy_tag;
    static constexpr const char* name = "clock";

    explicit clock_cache(std::size_t capacity) { slots_.reserve(capacity); }

    void on_insert(cache_key key) {
        std::size_t slot;
        if (!free_slots_.empty()) {
            slot = free_slots_.back();
            free_slots_.pop_back();
            slots_[slot] = {key, false, true};
        } else {
            slot = slots_.size();
            slots_.push_back({key, false, true});
        }
        index_[key] = slot;
    }
    void on_hit(cache_key key) {
        auto it = index_.find(key);
        if (it != index_.end()) slots_[it->second].referenced = true;
    }
    void on_remove(cache_key key) {
        auto it = index_.find(key);
        if (it == index_.end()) return;
        slots_[it->second].used = false;
        free_slots_.push_back(it->second);
        index_.erase(it);
    }
    template <class Evictable> std::optional<cache_key> choose_victim(Evictable&& evictable) {
        // Two full sweeps: the first may only clear reference bits.
        for (std::size_t step = 0; step < 2 * slots_.size() + 1 && !slots_.empty(); ++step) {
            auto& slot = slots_[hand_];
            hand_ = (hand_ + 1) % slots_.size();
            if (!slot.used) continue;
            if (slot.referenced) {
                slot.referenced = false;
                continue;
            }
            if (!evictable(slot.key)) continue;
            const auto key = slot.key;
            on_remove(key);
            return key;
        }
        return std::nullopt;
    }

  private:
    struct slot_state {
        cache_key key;
        bool referenced;
        bool used;
    };
    std::vector<slot_state> slots_;
    std::vector<std::size_t> free_slots_;
    std::unordered_map<cache_key, std::size_t> index_;
    std::size_t hand_ = 0;
};

// S3-FIFO: new keys enter the small FIFO (a tenth of the capacity). A key
// leaving the small FIFO moves to the main FIFO if it was used again while
// there, otherwise it is evicted and remembered in the ghost FIFO; a key
// found in the ghost on insert goes straight to main. Main is a FIFO with a
// small use counter (0..3) giving reinsertion, like CLOCK.
class s3fifo_cache {
  public:
    using policy_category = cache_policy_tag;
    static constexpr const char* name = "s3fifo";

    explicit s3fifo_cache(std::size_t capacity)
        : small_target_(capacity / 10 == 0 ? 1 : capacity / 10), ghost_limit_(capacity == 0 ? 1 : capacity) {}

    void on_insert(cache_key key) {
        const bool was_ghost = ghost_set_.erase(key) != 0;
        entries_[key] = {0, was_ghost};
        (was_ghost ? main_ : small_).push_back(key);
    }
    void on_hit(cache_key key) {
        auto it = entries_.find(key);
        if (it != entries_.end() && it->second.frequency < 3) ++it->second.frequency;
    }
    void on_remove(cache_key key) {
        // Lazy removal: the queues drop keys that no longer have an entry.
        entries_.erase(key);
    }
    template <class Evictable> std::optional<cache_key> choose_victim(Evictable&& evictable) {
        // Bounded: every key is looked at a few times at most before we give
        // up (all pinned).
        std::size_t budget = 4 * (small_.size() + main_.size()) + 4;
        while (budget-- > 0 && (!small_.empty() || !main_.empty())) {
            if (!small_.empty() && (live_small() >= small_target_ || main_.empty())) {
                const auto key = small_.front();
                small_.pop_front();
                auto it = entries_.find(key);
                if (it == entries_.end() || it->second.in_main) continue; // stale
                if (it->second.frequency > 0) {
                    it->second = {0, true};
                    main_.push_back(key);
                    continue;
                }
                if (!evictable(key)) {
                    small_.push_back(key);
                    continue;
                }
                entries_.erase(it);
                remember_ghost(key);
                return key;
            }
            const auto key = main_.front();
            main_.pop_front();
            auto it = entries_.find(key);
            if (it == entries_.end() || !it->second.in_main) continue; // stale
            if (it->second.frequency > 0 || !evictable(key)) {
                if (it->second.frequency > 0) --it->second.frequency;
                main_.push_back(key);
                continue;
            }
            entries_.erase(it);
            return key;
        }
        return std::nullopt;
    }

  private:
    struct entry {
        std::uint8_t frequency;
        bool in_main;
    };

    std::size_t live_small() const {
        // Stale keys in small_ are rare and only inflate the count briefly.
        return small_.size();
    }

    void remember_ghost(cache_key key) {
        ghost_.push_back(key);
        ghost_set_.insert(key);
        while (ghost_.size() > ghost_limit_) {
            ghost_set_.erase(ghost_.front());
            ghost_.pop_front();
        }
    }

    std::size_t small_target_;
    std::size_t ghost_limit_;
    std::deque<cache_key> small_;
    std::deque<cache_key> main_;
    std::deque<cache_key> ghost_;
    std::unordered_set<cache_key> ghost_set_;
    std::unordered_map<cache_key, entry> entries_;
};

} // namespace sqlitegraph
