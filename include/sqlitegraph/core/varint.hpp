// sqlitegraph/core/varint.hpp — LEB128 variable-length integers and zigzag.
//
// Unsigned LEB128: seven value bits per byte, least significant group first,
// the high bit set on every byte but the last. A u64 takes 1..10 bytes.
// Decoding never reads past the end it is given and distinguishes:
//   - truncated: the input ends while a continuation bit is still set;
//   - overlong:  more bytes than the type can need, or bits beyond the type's
//     width, so that every value has exactly one accepted encoding of the
//     minimal kind or fits the type (a corrupt file cannot alias values).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace sqlitegraph {

enum class varint_status : std::uint8_t { ok, truncated, overlong };

template <std::unsigned_integral T> struct varint_result {
    T value = 0;
    std::size_t length = 0; // bytes consumed; 0 unless status == ok
    varint_status status = varint_status::ok;

    [[nodiscard]] bool ok() const noexcept { return status == varint_status::ok; }
};

// Most bytes an encoding of T can take: ceil(bits / 7).
template <std::unsigned_integral T>
inline constexpr std::size_t varint_max_size = (std::numeric_limits<T>::digits + 6) / 7;

template <std::unsigned_integral T> constexpr std::size_t varint_size(T value) noexcept {
    std::size_t length = 1;
    while (value >= 0x80) {
        value >>= 7;
        ++length;
    }
    return length;
}

// Writes value at out and returns the bytes written. out must have room for
// varint_size(value) bytes.
template <std::unsigned_integral T> constexpr std::size_t encode_varint(T value, std::byte* out) noexcept {
    std::size_t length = 0;
    while (value >= 0x80) {
        out[length++] = static_cast<std::byte>((value & 0x7F) | 0x80);
        value >>= 7;
    }
    out[length++] = static_cast<std::byte>(value);
    return length;
}

template <std::unsigned_integral T> constexpr varint_result<T> decode_varint(std::span<const std::byte> in) noexcept {
    constexpr int bits = std::numeric_limits<T>::digits;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < varint_max_size<T>; ++i) {
        if (i >= in.size()) return {0, 0, varint_status::truncated};
        const auto byte = static_cast<std::uint8_t>(in[i]);
        const int shift = static_cast<int>(7 * i);
        const std::uint64_t group = byte & 0x7Fu;
        // The last group may only carry the bits that still fit in T.
        if (shift + 7 > bits && (group >> (bits - shift)) != 0) return {0, 0, varint_status::overlong};
        value |= group << shift;
        if ((byte & 0x80u) == 0) {
            // A zero final group after the first byte is a padded encoding.
            if (i > 0 && group == 0) return {0, 0, varint_status::overlong};
            return {static_cast<T>(value), i + 1, varint_status::ok};
        }
    }
    return {0, 0, varint_status::overlong};
}

// Zigzag maps signed to unsigned so that small magnitudes stay small:
// 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3, ...
constexpr std::uint64_t zigzag_encode(std::int64_t value) noexcept {
    return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

constexpr std::int64_t zigzag_decode(std::uint64_t value) noexcept {
    return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

} // namespace sqlitegraph
