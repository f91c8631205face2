// sqlitegraph/pager/page_cache.hpp — a bounded cache of verified page images.
//
// Keys name one version of one page: the page id in the high 32 bits and, in
// the low 32 bits, the log frame the image came from (frame index + 1) or 0
// for the main file. Different snapshots can therefore hold different
// versions of a page at once. The eviction order is the Cache policy's; an
// image still referenced outside the cache (a pinned page) is never chosen.
// Invariants: (1) size() <= capacity unless every cached image is pinned;
// (2) only committed, verified images are cached (a write transaction's
// dirty pages live in the transaction, never here). Thread-safe.
#pragma once

#include "sqlitegraph/pager/cache_policy.hpp"
#include "sqlitegraph/pager/flat_key_map.hpp"
#include "sqlitegraph/pager/page_image.hpp"

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace sqlitegraph {

constexpr cache_key make_cache_key(page_id id, std::uint32_t version) noexcept {
    return (static_cast<cache_key>(id) << 32) | version;
}

struct cache_stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t evictions = 0;
};

template <cache_policy Policy> class page_cache {
  public:
    explicit page_cache(std::size_t capacity)
        : capacity_(capacity == 0 ? 1 : capacity), policy_(capacity_), images_(capacity_) {}

    // The cached image, or null (counted as a miss).
    page_buffer find(cache_key key) {
        std::lock_guard guard(mutex_);
        const page_buffer* image = images_.find(key);
        if (image == nullptr) {
            ++stats_.misses;
            return nullptr;
        }
        ++stats_.hits;
        policy_.on_hit(key);
        return *image;
    }

    // Prefetches what find(key) will read: the map's slot and the policy's
    // (when the policy can). A hint only.
    void prefetch(cache_key key) const {
        std::lock_guard guard(mutex_);
        images_.prefetch(key);
        if constexpr (requires { policy_.prefetch(key); }) policy_.prefetch(key);
    }

    void insert(cache_key key, page_buffer image) {
        std::lock_guard guard(mutex_);
        if (images_.contains(key)) return; // another reader loaded it first
        while (images_.size() >= capacity_) {
            const auto victim = policy_.choose_victim([this](cache_key k) {
                const page_buffer* image = images_.find(k);
                return image != nullptr && image->use_count() == 1;
            });
            if (!victim) break; // everything pinned: grow past capacity briefly
            images_.erase(*victim);
            ++stats_.evictions;
        }
        images_.emplace(key, std::move(image));
        policy_.on_insert(key);
    }

    void erase(cache_key key) {
        std::lock_guard guard(mutex_);
        if (images_.erase(key) != 0) policy_.on_remove(key);
    }

    // After the log's frames have all been copied into the main file:
    // each log version that newest(key) says is its page's newest becomes
    // that page's main-file version (key version 0), and every other log
    // version goes. The pages a workload keeps using then stay cached across
    // a log reset instead of being read again.
    template <class IsNewest> void promote_newest_log_versions(IsNewest newest) {
        std::lock_guard guard(mutex_);
        std::vector<cache_key> log_keys;
        images_.for_each([&](cache_key key, page_buffer&) {
            if (static_cast<std::uint32_t>(key) != 0) log_keys.push_back(key);
        });
        for (const auto key : log_keys) {
            page_buffer image = std::move(*images_.find(key));
            images_.erase(key);
            policy_.on_remove(key);
            if (!newest(key)) continue;
            const auto main_key = key & ~cache_key{0xFFFFFFFFu};
            if (auto [slot, inserted] = images_.emplace(main_key, image); !inserted) {
                *slot = std::move(image);
            } else {
                policy_.on_insert(main_key);
            }
        }
    }

    void clear() {
        std::lock_guard guard(mutex_);
        images_.for_each([this](cache_key key, page_buffer&) { policy_.on_remove(key); });
        images_.clear();
    }

    [[nodiscard]] std::size_t size() const {
        std::lock_guard guard(mutex_);
        return images_.size();
    }
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    [[nodiscard]] cache_stats stats() const {
        std::lock_guard guard(mutex_);
        return stats_;
    }

  private:
    mutable std::mutex mutex_;
    std::size_t capacity_;
    Policy policy_;
    flat_key_map<page_buffer> images_;
    cache_stats stats_;
};

} // namespace sqlitegraph
