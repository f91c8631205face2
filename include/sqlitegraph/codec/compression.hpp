// sqlitegraph/codec/compression.hpp — the compression codec policies.
//
// A codec compresses a block of bytes (a NodePage record block, for one) and
// restores it. Its id is written into the superblock so a file is only read
// by an instantiation with the same codec. decompress() is given the exact
// original size (the format stores it) and reports damaged input as
// errc::corruption rather than producing short or garbage output.
//
//   id  codec           available when
//   0   identity_codec  always
//   1   lz4_codec       SQLITEGRAPH_WITH_LZ4
//   2   zstd_codec      SQLITEGRAPH_WITH_ZSTD
#pragma once

#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/core/policy_tags.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#if defined(SQLITEGRAPH_WITH_LZ4)
#include <lz4.h>
#endif
#if defined(SQLITEGRAPH_WITH_ZSTD)
#include <zstd.h>
#endif

namespace sqlitegraph {

template <class T>
concept compression_codec = requires {
    typename T::policy_category;
}
&&std::same_as<typename T::policy_category, codec_policy_tag>&& requires(std::span<const std::byte> in,
                                                                         std::vector<std::byte>& out,
                                                                         std::size_t original_size) {
    { T::id } -> std::convertible_to<std::uint8_t>;
    { T::name } -> std::convertible_to<std::string_view>;
    { T::compress(in, out) } -> std::same_as<void>;
    { T::decompress(in, original_size, out) } -> std::same_as<void>;
};

struct identity_codec {
    using policy_category = codec_policy_tag;
    static constexpr std::uint8_t id = 0;
    static constexpr std::string_view name = "identity";

    static void compress(std::span<const std::byte> in, std::vector<std::byte>& out) {
        out.assign(in.begin(), in.end());
    }

    static void decompress(std::span<const std::byte> in, std::size_t original_size, std::vector<std::byte>& out) {
        if (in.size() != original_size) {
            fail(errc::corruption, "identity block of " + std::to_string(in.size()) + " bytes, expected " +
                                       std::to_string(original_size));
        }
        out.assign(in.begin(), in.end());
    }
};

#if defined(SQLITEGRAPH_WITH_LZ4)
struct lz4_codec {
    using policy_category = codec_policy_tag;
    static constexpr std::uint8_t id = 1;
    static constexpr std::string_view name = "lz4";

    static void compress(std::span<const std::byte> in, std::vector<std::byte>& out) {
        if (in.size() > static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE)) fail(errc::too_large, "lz4 input too large");
        const int bound = LZ4_compressBound(static_cast<int>(in.size()));
        out.resize(static_cast<std::size_t>(bound));
        const int written =
            LZ4_compress_default(reinterpret_cast<const char*>(in.data()), reinterpret_cast<char*>(out.data()),
                                 static_cast<int>(in.size()), bound);
        if (written <= 0 && !in.empty()) fail(errc::io, "lz4 compression failed");
        out.resize(static_cast<std::size_t>(written));
    }

    static void decompress(std::span<const std::byte> in, std::size_t original_size, std::vector<std::byte>& out) {
        out.resize(original_size);
        const int read =
            LZ4_decompress_safe(reinterpret_cast<const char*>(in.data()), reinterpret_cast<char*>(out.data()),
                                static_cast<int>(in.size()), static_cast<int>(original_size));
        if (read < 0 || static_cast<std::size_t>(read) != original_size) {
            fail(errc::corruption, "lz4 block does not decode to " + std::to_string(original_size) + " bytes");
        }
    }
};
#endif

#if defined(SQLITEGRAPH_WITH_ZSTD)
struct zstd_codec {
    using policy_category = codec_policy_tag;
    static constexpr std::uint8_t id = 2;
    static constexpr std::string_view name = "zstd";
    static constexpr int level = 3; // zstd's default: a good ratio at LZ4-like decode speed

    static void compress(std::span<const std::byte> in, std::vector<std::byte>& out) {
        out.resize(ZSTD_compressBound(in.size()));
        const auto written = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), level);
        if (ZSTD_isError(written))
            fail(errc::io, std::string("zstd compression failed: ") + ZSTD_getErrorName(written));
        out.resize(written);
    }

    static void decompress(std::span<const std::byte> in, std::size_t original_size, std::vector<std::byte>& out) {
        out.resize(original_size);
        const auto read = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
        if (ZSTD_isError(read) || read != original_size) {
            fail(errc::corruption, "zstd block does not decode to " + std::to_string(original_size) + " bytes");
        }
    }
};
#endif

constexpr std::string_view codec_name(std::uint8_t id) noexcept {
    switch (id) {
    case 0:
        return "identity";
    case 1:
        return "lz4";
    case 2:
        return "zstd";
    default:
        return "unknown";
    }
}

} // namespace sqlitegraph
