// sqlitegraph/algo/random.hpp — the seeded generator behind every
// randomised algorithm (sampled betweenness, Louvain, label propagation,
// R-MAT). Fixed integer arithmetic (SplitMix64 seeding xoshiro256**) and our
// own range reduction, because std::uniform_*_distribution differs between
// standard libraries and the same seed must give the same output anywhere.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace sqlitegraph::algo {

class random_source {
public:
    explicit random_source(std::uint64_t seed) noexcept {
        for (auto& word : s_) word = splitmix(seed);
    }

    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // Uniform in [0, bound): modulo with rejection of the short last lap.
    std::uint64_t below(std::uint64_t bound) noexcept {
        if (bound <= 1) return 0;
        const std::uint64_t threshold = (0 - bound) % bound;
        for (;;) {
            const std::uint64_t r = next();
            if (r >= threshold) return r % bound;
        }
    }

    template <class T>
    void shuffle(std::vector<T>& v) noexcept {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
    }

private:
    static std::uint64_t splitmix(std::uint64_t& x) noexcept {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

} // namespace sqlitegraph::algo
