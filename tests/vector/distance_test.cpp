// Distance kernels: every SIMD level this CPU has agrees with the scalar
// path on random data of many lengths, including lengths that are not a
// multiple of the vector width.
#include <cmath>
#include <cstddef>
#include <vector>

#include "support/catch.hpp"
#include "sqlitegraph/vector/distance.hpp"
#include "sqlitegraph/vector/random.hpp"

namespace sv = sqlitegraph::vector;

namespace {

std::vector<float> random_floats(sv::splitmix64& rng, std::size_t n) {
    std::vector<float> v(n);
    for (float& x : v) x = static_cast<float>(rng.uniform() * 4.0 - 2.0);
    return v;
}

// Bound on the difference of two summation orders: a few ulps of the sum of
// absolute terms, growing with the number of terms.
double tolerance(const std::vector<float>& a, const std::vector<float>& b, int kind) {
    double mass = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
        mass += kind == 0 ? d * d : kind == 1 ? std::fabs(static_cast<double>(a[i]) * b[i]) : std::fabs(d);
    }
    return 1e-6 * mass * (1.0 + std::log2(1.0 + static_cast<double>(a.size()))) + 1e-30;
}

} // namespace

TEST_CASE("SIMD kernels agree with the scalar kernels on random vectors of every length up to 300 and large ones") {
    sv::splitmix64 rng(12345);
    const sv::kernel_set scalar = sv::kernels_for(sv::simd_level::scalar);
    std::vector<std::size_t> lengths;
    for (std::size_t n = 0; n <= 300; ++n) lengths.push_back(n);
    for (std::size_t n : {511, 1000, 1023, 4097, 16384}) lengths.push_back(n);
    int levels_checked = 0;
    for (sv::simd_level level : {sv::simd_level::avx2, sv::simd_level::avx512}) {
        if (!sv::cpu_supports(level)) continue;
        ++levels_checked;
        const sv::kernel_set simd = sv::kernels_for(level);
        REQUIRE(simd.level == level);
        for (std::size_t n : lengths) {
            // Offsets of one float make the loads unaligned on purpose.
            const std::vector<float> a0 = random_floats(rng, n + 1), b0 = random_floats(rng, n + 1);
            const std::vector<float> a(a0.begin() + 1, a0.end()), b(b0.begin() + 1, b0.end());
            INFO("level " << sv::to_string(level) << ", length " << n);
            CHECK(std::fabs(simd.l2_squared(a.data(), b.data(), n) - scalar.l2_squared(a.data(), b.data(), n)) <=
                  tolerance(a, b, 0));
            CHECK(std::fabs(simd.dot(a.data(), b.data(), n) - scalar.dot(a.data(), b.data(), n)) <= tolerance(a, b, 1));
            CHECK(std::fabs(simd.l1(a.data(), b.data(), n) - scalar.l1(a.data(), b.data(), n)) <= tolerance(a, b, 2));
        }
    }
    // The machine that runs CI has AVX2; say so if a runner does not, rather
    // than pass while checking nothing.
    if (levels_checked == 0) WARN("no SIMD level available: only the scalar path was exercised");
    CHECK(sv::kernels_for(sv::simd_level::scalar).level == sv::simd_level::scalar);
}

TEST_CASE("scalar kernels compute the textbook sums exactly on small integers") {
    const float a[5] = {1, 2, 3, 4, 5};
    const float b[5] = {5, 4, 3, 2, 1};
    for (sv::simd_level level : {sv::simd_level::scalar, sv::simd_level::avx2, sv::simd_level::avx512}) {
        if (!sv::cpu_supports(level)) continue;
        const sv::kernel_set k = sv::kernels_for(level);
        CHECK(k.l2_squared(a, b, 5) == 40.0f);
        CHECK(k.dot(a, b, 5) == 35.0f);
        CHECK(k.l1(a, b, 5) == 12.0f);
        CHECK(k.l2_squared(a, b, 0) == 0.0f);
    }
}

TEST_CASE("run-time dispatch picks a level the CPU supports") {
    const sv::kernel_set& active = sv::active_kernels();
    CHECK(sv::cpu_supports(active.level));
    CHECK(active.level == sv::best_simd_level());
}
