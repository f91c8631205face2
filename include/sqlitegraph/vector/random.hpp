// sqlitegraph/vector/random.hpp — the one pseudo-random generator of the
// vector layer.
//
// Owns: splitmix64 and the conversions built on it (uniform doubles, normal
// deviates, HNSW levels). Invariant: every output is a pure function of the
// seed and the number of draws, with no dependence on the standard library's
// distributions (whose algorithms are unspecified and differ between
// libstdc++ and libc++), so a seed reproduces the same index and the same
// generated data on every platform that rounds libm the same way.
#pragma once

#include <cmath>
#include <cstdint>

namespace sqlitegraph::vector {

// splitmix64 (Steele, Lea, Flood 2014): 64 bits of state, passes BigCrush,
// and any seed (including 0) is a good seed, which suits user-chosen seeds.
class splitmix64 {
public:
    explicit constexpr splitmix64(std::uint64_t seed) noexcept : state_(seed) {}

    constexpr std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // Uniform in (0, 1]: safe to take the logarithm of.
    double uniform_open0() noexcept { return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53; }

    // A standard normal deviate by Box-Muller; the second deviate of each pair
    // is discarded so that every call consumes exactly two draws.
    double normal() noexcept {
        const double u1 = uniform_open0();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586476925 * u2);
    }

    // The whole generator state (a persistent index saves it, so that the
    // levels drawn after a reopen are those an unclosed index would draw).
    constexpr std::uint64_t state() const noexcept { return state_; }
    constexpr void set_state(std::uint64_t s) noexcept { state_ = s; }

private:
    std::uint64_t state_;
};

// Derives an independent stream from a seed and a stream number, so that
// for instance the query stream does not shift when the vector count changes.
constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) noexcept {
    splitmix64 mix(seed ^ (stream * 0xd1b54a32d192ed03ULL));
    return mix.next();
}

} // namespace sqlitegraph::vector
