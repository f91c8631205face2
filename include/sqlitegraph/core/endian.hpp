// sqlitegraph/core/endian.hpp — explicit byte order for on-disk integers.
//
// Every integer the format stores has a stated byte order (docs/format.md).
// Little-endian is the default; big-endian is used where byte-wise comparison
// (memcmp) must agree with numeric order, as in B+Tree keys. Loads and stores
// go through memcpy, so unaligned addresses are fine and no aliasing rule is
// broken.
#pragma once

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace sqlitegraph {

template <std::unsigned_integral T> constexpr T byteswap(T value) noexcept {
    if constexpr (sizeof(T) == 1) {
        return value;
    } else if constexpr (sizeof(T) == 2) {
        return static_cast<T>(__builtin_bswap16(value));
    } else if constexpr (sizeof(T) == 4) {
        return static_cast<T>(__builtin_bswap32(value));
    } else {
        static_assert(sizeof(T) == 8, "byteswap supports 1, 2, 4 and 8 byte integers");
        return static_cast<T>(__builtin_bswap64(value));
    }
}

template <std::unsigned_integral T> inline T load_le(const void* source) noexcept {
    T value;
    std::memcpy(&value, source, sizeof(T));
    if constexpr (std::endian::native == std::endian::big) value = byteswap(value);
    return value;
}

template <std::unsigned_integral T> inline void store_le(void* target, T value) noexcept {
    if constexpr (std::endian::native == std::endian::big) value = byteswap(value);
    std::memcpy(target, &value, sizeof(T));
}

template <std::unsigned_integral T> inline T load_be(const void* source) noexcept {
    T value;
    std::memcpy(&value, source, sizeof(T));
    if constexpr (std::endian::native == std::endian::little) value = byteswap(value);
    return value;
}

template <std::unsigned_integral T> inline void store_be(void* target, T value) noexcept {
    if constexpr (std::endian::native == std::endian::little) value = byteswap(value);
    std::memcpy(target, &value, sizeof(T));
}

} // namespace sqlitegraph
