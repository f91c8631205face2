// sqlitegraph/pager/flat_key_map.hpp — an open-addressing map from 64-bit
// cache keys to small values, for the page cache and its policies.
//
// Why not std::unordered_map: a page-cache hit is on the path of every page
// read, and a node-based map costs a cache miss for the bucket and another
// for the node. Here keys and values sit inline in one array (linear
// probing, Fibonacci hashing, at most half full), so a hit usually touches
// one cache line. Erase uses backward-shift deletion, so there are no
// tombstones and probe sequences stay short under churn.
//
// Invariants: (1) `empty_key` never appears as a key (the cache packs a page
// id and a version into a key; both all-ones is impossible because page ids
// stop below 2^32 - 1); (2) every stored key is reachable from its home slot
// without crossing an empty slot; (3) size() * 2 <= capacity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace sqlitegraph {

template <class T>
class flat_key_map {
  public:
    using key_type = std::uint64_t;
    static constexpr key_type empty_key = ~key_type{0};

    // Presizes for up to `expected` keys, but for at most presize_limit: the
    // map doubles as it fills, and a page cache sized for a large budget
    // must not allocate and clear tables for all of it when the database
    // opens (with a 1 GiB cache that made a reopen take 35 ms, not 0.2 ms).
    static constexpr std::size_t presize_limit = 4096;
    explicit flat_key_map(std::size_t expected = 16) { rehash(slots_for(expected < presize_limit ? expected : presize_limit)); }

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    // Slots allocated (a power of two, at least twice the size).
    [[nodiscard]] std::size_t slot_count() const noexcept { return slots_.size(); }

    // The value stored under key, or null.
    [[nodiscard]] T* find(key_type key) noexcept {
        for (std::size_t i = home(key);; i = (i + 1) & mask_) {
            if (slots_[i].key == key) return &slots_[i].value;
            if (slots_[i].key == empty_key) return nullptr;
        }
    }
    [[nodiscard]] const T* find(key_type key) const noexcept { return const_cast<flat_key_map*>(this)->find(key); }
    [[nodiscard]] bool contains(key_type key) const noexcept { return find(key) != nullptr; }

    // Asks the processor to fetch the cache line of key's home slot, where
    // a find(key) soon after usually ends: a scan that knows its next page
    // hides the miss (slots sit in hash order, so consecutive page ids are
    // far apart). A hint only; nothing changes.
    void prefetch(key_type key) const noexcept { __builtin_prefetch(slots_.data() + home(key)); }

    // Inserts key with value unless present; returns the stored value and
    // whether it was inserted.
    std::pair<T*, bool> emplace(key_type key, T value) {
        if (T* found = find(key)) return {found, false};
        if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
        std::size_t i = home(key);
        while (slots_[i].key != empty_key) i = (i + 1) & mask_;
        slots_[i] = {key, std::move(value)};
        ++size_;
        return {&slots_[i].value, true};
    }

    // The value under key, default-constructed and inserted if absent.
    T& operator[](key_type key) { return *emplace(key, T{}).first; }

    bool erase(key_type key) noexcept {
        std::size_t i = home(key);
        for (;; i = (i + 1) & mask_) {
            if (slots_[i].key == empty_key) return false;
            if (slots_[i].key == key) break;
        }
        // Backward shift: pull later entries of the run into the hole when
        // their home slot does not lie strictly between the hole and them.
        for (std::size_t j = (i + 1) & mask_; slots_[j].key != empty_key; j = (j + 1) & mask_) {
            const std::size_t h = home(slots_[j].key);
            const bool movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
            if (!movable) continue;
            slots_[i] = std::move(slots_[j]);
            i = j;
        }
        slots_[i] = slot{};
        --size_;
        return true;
    }

    void clear() {
        for (auto& s : slots_) s = slot{};
        size_ = 0;
    }

    // Calls fn(key, value&) for every entry, in no particular order.
    template <class Fn>
    void for_each(Fn&& fn) {
        for (auto& s : slots_)
            if (s.key != empty_key) fn(s.key, s.value);
    }

  private:
    static std::size_t slots_for(std::size_t expected) {
        std::size_t n = 16;
        while (n < expected * 2) n *= 2;
        return n;
    }

    [[nodiscard]] std::size_t home(key_type key) const noexcept {
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
    }

    // Key and value side by side: a hit reads one cache line.
    struct slot {
        key_type key = empty_key;
        T value{};
    };

    void rehash(std::size_t count) {
        std::vector<slot> old(count);
        old.swap(slots_);
        mask_ = count - 1;
        shift_ = 64;
        for (std::size_t s = count; s > 1; s /= 2) --shift_;
        size_ = 0;
        for (auto& s : old) {
            if (s.key == empty_key) continue;
            std::size_t j = home(s.key);
            while (slots_[j].key != empty_key) j = (j + 1) & mask_;
            slots_[j] = std::move(s);
            ++size_;
        }
    }

    std::vector<slot> slots_;
    std::size_t mask_ = 0;
    unsigned shift_ = 64;
    std::size_t size_ = 0;
};

} // namespace sqlitegraph
