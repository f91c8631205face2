// The codec concepts accept the shipped encodings and refuse look-alikes,
// and btree_params derives its constants at compile time.
#include <cstdint>
#include <string_view>

#include "sqlitegraph/btree/btree.hpp"
#include "support/catch.hpp"

using namespace sqlitegraph;

namespace btree_concepts_test {

// Has the structure of a fixed-size codec but does not opt in with the tag.
struct untagged_codec {
    using value_type = std::uint64_t;
    static constexpr std::size_t size = 8;
    static void encode(std::uint64_t, std::byte*) {}
    static std::uint64_t decode(const std::byte*) { return 0; }
    static bool less(std::uint64_t a, std::uint64_t b) { return a < b; }
};

// Opts in but cannot order its values: fine as a value, not as a key.
struct unordered_codec {
    using codec_kind = fixed_size_codec_tag;
    using value_type = std::uint64_t;
    static constexpr std::size_t size = 8;
    static void encode(std::uint64_t, std::byte*) {}
    static std::uint64_t decode(const std::byte*) { return 0; }
};

// Claims to be a byte-string codec with the wrong value type.
struct wrong_bytes_codec {
    using codec_kind = byte_string_codec_tag;
    using value_type = const char*;
};

} // namespace btree_concepts_test
using namespace btree_concepts_test;

TEST_CASE("shipped codecs model the key and value concepts", "[btree][concepts]") {
    STATIC_REQUIRE(btree_key_codec<u64_codec>);
    STATIC_REQUIRE(btree_key_codec<u32_codec>);
    STATIC_REQUIRE(btree_key_codec<tuple_codec<std::uint64_t, std::uint8_t, std::uint32_t, std::uint64_t, std::uint64_t>>);
    STATIC_REQUIRE(btree_key_codec<bytes_codec>);
    STATIC_REQUIRE(btree_value_codec<empty_codec>);
    STATIC_REQUIRE(btree_value_codec<bytes_codec>);
}

TEST_CASE("look-alike codecs are refused by the concepts", "[btree][concepts]") {
    STATIC_REQUIRE_FALSE(btree_value_codec<untagged_codec>);
    STATIC_REQUIRE_FALSE(btree_key_codec<untagged_codec>);
    STATIC_REQUIRE(btree_value_codec<unordered_codec>);
    STATIC_REQUIRE_FALSE(btree_key_codec<unordered_codec>);
    STATIC_REQUIRE_FALSE(btree_value_codec<wrong_bytes_codec>);
    STATIC_REQUIRE_FALSE(btree_key_codec<int>);
}

TEST_CASE("btree_params picks the layout from the codecs and derives limits at compile time", "[btree][concepts]") {
    using fixed = btree_params<u64_codec, u64_codec, 4096>;
    using mixed = btree_params<u64_codec, bytes_codec, 4096>;
    using bytes = btree_params<bytes_codec, bytes_codec, 4096>;
    STATIC_REQUIRE(fixed::leaf_layout::fixed);
    STATIC_REQUIRE(fixed::internal_layout::fixed);
    STATIC_REQUIRE_FALSE(mixed::leaf_layout::fixed);
    STATIC_REQUIRE(mixed::internal_layout::fixed);
    STATIC_REQUIRE_FALSE(bytes::leaf_layout::fixed);
    STATIC_REQUIRE_FALSE(bytes::internal_layout::fixed);
    STATIC_REQUIRE(bytes::max_key_size == 993);
    STATIC_REQUIRE(btree_params<bytes_codec, bytes_codec, 1024>::max_key_size == 225);
    STATIC_REQUIRE(btree_params<bytes_codec, bytes_codec, 65536>::max_key_size == 16353);
    STATIC_REQUIRE(bytes::internal_min_fill == bytes::internal_layout::capacity / 4);
    STATIC_REQUIRE(fixed::internal_min_fill == fixed::internal_layout::capacity / 3);
}
