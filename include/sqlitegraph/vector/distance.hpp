// sqlitegraph/vector/distance.hpp — float32 distance kernels and their
// run-time dispatch.
//
// Owns: the three primitive kernels every metric reduces to (squared L2, dot
// product, L1), in a portable scalar form and in AVX2+FMA and AVX-512F forms
// compiled with __attribute__((target)) so that a default (x86-64 baseline)
// build still runs the widest unit the CPU has. The choice is made once, at
// first use, with __builtin_cpu_supports.
//
// Invariants:
//  - Every kernel accepts any length n >= 0 and unaligned pointers; tails that
//    are not a multiple of the vector width are handled inside the kernel
//    (masked loads for AVX-512, a scalar loop for AVX2).
//  - All variants compute the same mathematical sum; they differ only in the
//    order of float additions, so results agree to a relative error of a few
//    ulps times log(n) of the sum of absolute terms (tests check this).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <string_view>

#if defined(__x86_64__) || defined(__i386__)
#define SQLITEGRAPH_VECTOR_X86 1
#include <immintrin.h>
#endif

namespace sqlitegraph::vector {

using kernel_fn = float (*)(const float*, const float*, std::size_t) noexcept;

enum class simd_level { scalar, avx2, avx512 };

constexpr std::string_view to_string(simd_level level) noexcept {
    switch (level) {
    case simd_level::scalar: return "scalar";
    case simd_level::avx2: return "avx2";
    case simd_level::avx512: return "avx512";
    }
    return "invalid";
}

// The kernels of one instruction set.
struct kernel_set {
    simd_level level;
    kernel_fn l2_squared;
    kernel_fn dot;
    kernel_fn l1;
};

namespace detail {

// Eight independent accumulators: breaks the add dependency chain (the
// compiler may not reassociate float sums without -ffast-math) and lets it
// pack the lanes into SSE registers on the baseline target.
inline float l2_squared_scalar(const float* a, const float* b, std::size_t n) noexcept {
    float acc[8] = {};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (std::size_t j = 0; j < 8; ++j) {
            const float d = a[i + j] - b[i + j];
            acc[j] += d * d;
        }
    float sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; i < n; ++i) {
        const float d = a[i] - b[i];
        sum += d * d;
    }
    return sum;
}

inline float dot_scalar(const float* a, const float* b, std::size_t n) noexcept {
    float acc[8] = {};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (std::size_t j = 0; j < 8; ++j) acc[j] += a[i + j] * b[i + j];
    float sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

inline float l1_scalar(const float* a, const float* b, std::size_t n) noexcept {
    float acc[8] = {};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (std::size_t j = 0; j < 8; ++j) acc[j] += std::fabs(a[i + j] - b[i + j]);
    float sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; i < n; ++i) sum += std::fabs(a[i] - b[i]);
    return sum;
}

#if SQLITEGRAPH_VECTOR_X86

__attribute__((target("avx2,fma"))) inline float hsum256(__m256 v) noexcept {
    __m128 lo = _mm256_castps256_ps128(v);
    const __m128 hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    __m128 shuf = _mm_movehdup_ps(lo);
    __m128 sums = _mm_add_ps(lo, shuf);
    shuf = _mm_movehl_ps(shuf, sums);
    sums = _mm_add_ss(sums, shuf);
    return _mm_cvtss_f32(sums);
}

// Two accumulators of 8 lanes hide the 4-cycle FMA latency on the 16-wide
// main loop; dimensions are usually multiples of 16.
__attribute__((target("avx2,fma"))) inline float l2_squared_avx2(const float* a, const float* b, std::size_t n) noexcept {
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        const __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
        acc0 = _mm256_fmadd_ps(d0, d0, acc0);
        acc1 = _mm256_fmadd_ps(d1, d1, acc1);
    }
    if (i + 8 <= n) {
        const __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        acc0 = _mm256_fmadd_ps(d0, d0, acc0);
        i += 8;
    }
    float sum = hsum256(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) {
        const float d = a[i] - b[i];
        sum += d * d;
    }
    return sum;
}

__attribute__((target("avx2,fma"))) inline float dot_avx2(const float* a, const float* b, std::size_t n) noexcept {
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
    }
    if (i + 8 <= n) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        i += 8;
    }
    float sum = hsum256(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

__attribute__((target("avx2,fma"))) inline float l1_avx2(const float* a, const float* b, std::size_t n) noexcept {
    // Clearing the sign bit is |x| without a branch.
    const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        const __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
        acc0 = _mm256_add_ps(acc0, _mm256_and_ps(d0, abs_mask));
        acc1 = _mm256_add_ps(acc1, _mm256_and_ps(d1, abs_mask));
    }
    if (i + 8 <= n) {
        const __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        acc0 = _mm256_add_ps(acc0, _mm256_and_ps(d0, abs_mask));
        i += 8;
    }
    float sum = hsum256(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) sum += std::fabs(a[i] - b[i]);
    return sum;
}

// Folds 512 bits down to one float with in-register shuffles. The zero-masked
// forms are used because GCC 12's unmasked ones (and _mm512_reduce_add_ps)
// start from _mm512_undefined_ps(), which trips -Wuninitialized once inlined
// into a target("avx512f") function.
__attribute__((target("avx512f"))) inline float hsum512(__m512 v) noexcept {
    v = _mm512_add_ps(v, _mm512_maskz_shuffle_f32x4(0xffff, v, v, _MM_SHUFFLE(1, 0, 3, 2)));
    v = _mm512_add_ps(v, _mm512_maskz_shuffle_f32x4(0xffff, v, v, _MM_SHUFFLE(2, 3, 0, 1)));
    const __m128 lo = _mm512_maskz_extractf32x4_ps(0xf, v, 0);
    const __m128 shuf = _mm_movehdup_ps(lo);
    const __m128 sums = _mm_add_ps(lo, shuf);
    return _mm_cvtss_f32(_mm_add_ss(sums, _mm_movehl_ps(shuf, sums)));
}

// AVX-512: the tail is one masked load, so short and odd lengths cost no
// scalar loop.
__attribute__((target("avx512f"))) inline __mmask16 tail_mask512(std::size_t remaining) noexcept {
    return static_cast<__mmask16>((1U << remaining) - 1U);
}

__attribute__((target("avx512f"))) inline float l2_squared_avx512(const float* a, const float* b, std::size_t n) noexcept {
    __m512 acc0 = _mm512_setzero_ps();
    __m512 acc1 = _mm512_setzero_ps();
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        const __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
        acc0 = _mm512_fmadd_ps(d0, d0, acc0);
        acc1 = _mm512_fmadd_ps(d1, d1, acc1);
    }
    if (i + 16 <= n) {
        const __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        acc0 = _mm512_fmadd_ps(d0, d0, acc0);
        i += 16;
    }
    if (i < n) {
        const __mmask16 m = tail_mask512(n - i);
        const __m512 d0 = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
        acc1 = _mm512_fmadd_ps(d0, d0, acc1);
    }
    return hsum512(_mm512_add_ps(acc0, acc1));
}

__attribute__((target("avx512f"))) inline float dot_avx512(const float* a, const float* b, std::size_t n) noexcept {
    __m512 acc0 = _mm512_setzero_ps();
    __m512 acc1 = _mm512_setzero_ps();
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), acc1);
    }
    if (i + 16 <= n) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
        i += 16;
    }
    if (i < n) {
        const __mmask16 m = tail_mask512(n - i);
        acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), acc1);
    }
    return hsum512(_mm512_add_ps(acc0, acc1));
}

__attribute__((target("avx512f"))) inline float l1_avx512(const float* a, const float* b, std::size_t n) noexcept {
    const __m512i abs_mask = _mm512_set1_epi32(0x7fffffff);
    __m512 acc0 = _mm512_setzero_ps();
    __m512 acc1 = _mm512_setzero_ps();
    std::size_t i = 0;
    // AVX-512F has no float and-instruction (that is AVX-512DQ), so the sign
    // bit is cleared in the integer domain.
    const auto abs512 = [abs_mask](__m512 v) __attribute__((target("avx512f"))) {
        return _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(v), abs_mask));
    };
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm512_add_ps(acc0, abs512(_mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i))));
        acc1 = _mm512_add_ps(acc1, abs512(_mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16))));
    }
    if (i + 16 <= n) {
        acc0 = _mm512_add_ps(acc0, abs512(_mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i))));
        i += 16;
    }
    if (i < n) {
        const __mmask16 m = tail_mask512(n - i);
        acc1 = _mm512_add_ps(acc1, abs512(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i))));
    }
    return hsum512(_mm512_add_ps(acc0, acc1));
}

#endif // SQLITEGRAPH_VECTOR_X86

} // namespace detail

// Whether this CPU (and OS, which must save the wide registers) can run the
// kernels of a level.
inline bool cpu_supports(simd_level level) noexcept {
#if SQLITEGRAPH_VECTOR_X86
    __builtin_cpu_init();
    switch (level) {
    case simd_level::scalar: return true;
    case simd_level::avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case simd_level::avx512: return __builtin_cpu_supports("avx512f");
    }
    return false;
#else
    return level == simd_level::scalar;
#endif
}

// The kernels of one level; the caller checks cpu_supports(level) first
// (tests use this to compare every level the machine has with scalar).
inline kernel_set kernels_for(simd_level level) noexcept {
#if SQLITEGRAPH_VECTOR_X86
    switch (level) {
    case simd_level::avx512:
        return {simd_level::avx512, &detail::l2_squared_avx512, &detail::dot_avx512, &detail::l1_avx512};
    case simd_level::avx2:
        return {simd_level::avx2, &detail::l2_squared_avx2, &detail::dot_avx2, &detail::l1_avx2};
    case simd_level::scalar: break;
    }
#else
    (void)level;
#endif
    return {simd_level::scalar, &detail::l2_squared_scalar, &detail::dot_scalar, &detail::l1_scalar};
}

// The widest level this CPU supports. SQLITEGRAPH_VECTOR_SIMD=scalar|avx2 in
// the environment caps it, which lets a benchmark or a bug report compare
// levels without rebuilding.
inline simd_level best_simd_level() noexcept {
    simd_level cap = simd_level::avx512;
    if (const char* env = std::getenv("SQLITEGRAPH_VECTOR_SIMD")) {
        const std::string_view v(env);
        if (v == "scalar") cap = simd_level::scalar;
        else if (v == "avx2") cap = simd_level::avx2;
    }
    for (simd_level level : {simd_level::avx512, simd_level::avx2})
        if (level <= cap && cpu_supports(level)) return level;
    return simd_level::scalar;
}

// The kernels chosen for this process, resolved once (thread-safe static).
inline const kernel_set& active_kernels() noexcept {
    static const kernel_set set = kernels_for(best_simd_level());
    return set;
}

} // namespace sqlitegraph::vector
