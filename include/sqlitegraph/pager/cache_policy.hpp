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
#include "sqlitegraph/pager/flat_key_map.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <optional>
#include <vector>

namespace sqlitegraph {

using cache_key = flat_key_map<int>::key_type;

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

    explicit lru_cache(std::size_t capacity) : positions_(capacity) {}

    void on_insert(cache_key key) {
        order_.push_front(key);
        positions_[key] = order_.begin();
    }
    void on_hit(cache_key key) {
        if (auto* pos = positions_.find(key)) order_.splice(order_.begin(), order_, *pos);
    }
    void on_remove(cache_key key) {
        auto* pos = positions_.find(key);
        if (pos == nullptr) return;
        order_.erase(*pos);
        positions_.erase(key);
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
    flat_key_map<std::list<cache_key>::iterator> positions_;
};

// CLOCK (second chance): keys on a ring with a reference bit; the hand clears
// set bits and evicts the first key whose bit is already clear.
class clock_cache {
  public:
    using policy_category = cache_policy_tag;
    static constexpr const char* name = "clock";

    explicit clock_cache(std::size_t capacity) : index_(capacity) { slots_.reserve(capacity); }

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
        if (auto* slot = index_.find(key)) slots_[*slot].referenced = true;
    }
    void on_remove(cache_key key) {
        auto* slot = index_.find(key);
        if (slot == nullptr) return;
        slots_[*slot].used = false;
        free_slots_.push_back(*slot);
        index_.erase(key);
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
    flat_key_map<std::size_t> index_;
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
        : small_target_(capacity / 10 == 0 ? 1 : capacity / 10), ghost_limit_(capacity == 0 ? 1 : capacity), ghost_set_(ghost_limit_),
          entries_(capacity) {}

    void on_insert(cache_key key) {
        const bool was_ghost = ghost_set_.erase(key);
        entries_[key] = {0, was_ghost};
        (was_ghost ? main_ : small_).push_back(key);
    }
    void prefetch(cache_key key) const noexcept { entries_.prefetch(key); }
    void on_hit(cache_key key) {
        auto* e = entries_.find(key);
        if (e != nullptr && e->frequency < 3) ++e->frequency;
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
                auto* e = entries_.find(key);
                if (e == nullptr || e->in_main) continue; // stale
                if (e->frequency > 0) {
                    *e = {0, true};
                    main_.push_back(key);
                    continue;
                }
                if (!evictable(key)) {
                    small_.push_back(key);
                    continue;
                }
                entries_.erase(key);
                remember_ghost(key);
                return key;
            }
            const auto key = main_.front();
            main_.pop_front();
            auto* e = entries_.find(key);
            if (e == nullptr || !e->in_main) continue; // stale
            if (e->frequency > 0 || !evictable(key)) {
                if (e->frequency > 0) --e->frequency;
                main_.push_back(key);
                continue;
            }
            entries_.erase(key);
            return key;
        }
        return std::nullopt;
    }

  private:
    struct entry {
        std::uint8_t frequency = 0;
        bool in_main = false;
    };

    std::size_t live_small() const {
        // Stale keys in small_ are rare and only inflate the count briefly.
        return small_.size();
    }

    void remember_ghost(cache_key key) {
        ghost_.push_back(key);
        ghost_set_.emplace(key, true);
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
    flat_key_map<bool> ghost_set_;
    flat_key_map<entry> entries_;
};

} // namespace sqlitegraph
