#include <type_traits>

#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/io/fault_file.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "support/catch.hpp"

using namespace sqlitegraph;

// Types that must not model the concepts. A named namespace: in an anonymous
// one clang reports their (deliberately unused) members as unused.
namespace policy_test_types {
struct no_tag_page_size {
    static constexpr std::size_t value = 4096;
};
struct wrong_tag_checksum {
    using policy_category = cache_policy_tag; // opts into the wrong category
    static constexpr std::uint8_t id = 9;
    static constexpr std::string_view name = "x";
    static std::uint64_t compute(std::span<const std::byte>, std::uint64_t) { return 0; }
};
struct checksum_missing_compute {
    using policy_category = checksum_policy_tag;
    static constexpr std::uint8_t id = 9;
    static constexpr std::string_view name = "x";
};
struct structural_checksum_without_tag {
    static constexpr std::uint8_t id = 9;
    static constexpr std::string_view name = "x";
    static std::uint64_t compute(std::span<const std::byte>, std::uint64_t) { return 0; }
};
struct cache_without_victim {
    using policy_category = cache_policy_tag;
    static constexpr const char* name = "broken";
    explicit cache_without_victim(std::size_t) {}
    void on_insert(cache_key) {}
    void on_hit(cache_key) {}
    void on_remove(cache_key) {}
};
struct fs_with_bad_file {
    using policy_category = file_policy_tag;
    using file_type = int;
};
} // namespace policy_test_types
using namespace policy_test_types;

TEST_CASE("page size policy accepts powers of two from 1 KiB to 64 KiB only", "[policy]") {
    STATIC_REQUIRE(page_size_policy<page_size<1024>>);
    STATIC_REQUIRE(page_size_policy<page_size<4096>>);
    STATIC_REQUIRE(page_size_policy<page_size<65536>>);
    STATIC_REQUIRE_FALSE(page_size_policy<page_size<512>>);
    STATIC_REQUIRE_FALSE(page_size_policy<page_size<3000>>);
    STATIC_REQUIRE_FALSE(page_size_policy<page_size<131072>>);
    STATIC_REQUIRE_FALSE(page_size_policy<no_tag_page_size>);
    STATIC_REQUIRE_FALSE(page_size_policy<int>);
}

TEST_CASE("checksum concept needs the tag and the structure", "[policy]") {
    STATIC_REQUIRE(checksum_policy<crc32c>);
    STATIC_REQUIRE(checksum_policy<xxh3_64>);
    STATIC_REQUIRE(checksum_policy<xor_checksum>);
    STATIC_REQUIRE_FALSE(checksum_policy<wrong_tag_checksum>);
    STATIC_REQUIRE_FALSE(checksum_policy<checksum_missing_compute>);
    STATIC_REQUIRE_FALSE(checksum_policy<structural_checksum_without_tag>);
}

TEST_CASE("cache policy concept accepts the three policies and rejects an incomplete one", "[policy]") {
    STATIC_REQUIRE(cache_policy<lru_cache>);
    STATIC_REQUIRE(cache_policy<clock_cache>);
    STATIC_REQUIRE(cache_policy<s3fifo_cache>);
    STATIC_REQUIRE_FALSE(cache_policy<cache_without_victim>);
    STATIC_REQUIRE_FALSE(cache_policy<crc32c>);
}

TEST_CASE("codec concept accepts the built codecs", "[policy]") {
    STATIC_REQUIRE(compression_codec<identity_codec>);
#if defined(SQLITEGRAPH_WITH_LZ4)
    STATIC_REQUIRE(compression_codec<lz4_codec>);
#endif
#if defined(SQLITEGRAPH_WITH_ZSTD)
    STATIC_REQUIRE(compression_codec<zstd_codec>);
#endif
    STATIC_REQUIRE_FALSE(compression_codec<crc32c>);
}

TEST_CASE("file concepts accept posix, memory and fault files", "[policy]") {
    STATIC_REQUIRE(file<posix_file>);
    STATIC_REQUIRE(file<memory_file>);
    STATIC_REQUIRE(file<fault_file>);
    STATIC_REQUIRE(file_system<posix_fs>);
    STATIC_REQUIRE(file_system<memory_fs>);
    STATIC_REQUIRE(file_system<fault_fs>);
    STATIC_REQUIRE_FALSE(file<int>);
    STATIC_REQUIRE_FALSE(file_system<fs_with_bad_file>);
}

TEST_CASE("basic_graph_store picks a default for every missing category", "[policy]") {
    using store = basic_graph_store<>;
    STATIC_REQUIRE(std::is_same_v<store::page_size_type, page_size<4096>>);
    STATIC_REQUIRE(std::is_same_v<store::cache, s3fifo_cache>);
    STATIC_REQUIRE(std::is_same_v<store::checksum, crc32c>);
    STATIC_REQUIRE(std::is_same_v<store::codec, identity_codec>);
    STATIC_REQUIRE(std::is_same_v<store::file_system, posix_fs>);
    STATIC_REQUIRE(store::page_bytes == 4096);
    STATIC_REQUIRE(store::policies::page_body_size == 4096 - page_header_size);
    STATIC_REQUIRE(std::is_same_v<graph_store, basic_graph_store<>>);
}

TEST_CASE("basic_graph_store accepts policies in any order", "[policy]") {
    using a = basic_graph_store<page_size<16384>, xxh3_64, lru_cache, memory_fs>;
    using b = basic_graph_store<memory_fs, lru_cache, xxh3_64, page_size<16384>>;
    STATIC_REQUIRE(std::is_same_v<a::page_size_type, b::page_size_type>);
    STATIC_REQUIRE(std::is_same_v<a::cache, lru_cache>);
    STATIC_REQUIRE(std::is_same_v<b::cache, lru_cache>);
    STATIC_REQUIRE(std::is_same_v<a::checksum, xxh3_64>);
    STATIC_REQUIRE(std::is_same_v<b::checksum, xxh3_64>);
    STATIC_REQUIRE(std::is_same_v<a::file_system, memory_fs>);
    STATIC_REQUIRE(std::is_same_v<b::codec, identity_codec>);
    STATIC_REQUIRE(a::page_bytes == 16384);
}

TEST_CASE("policy counting sees duplicates and unknown types", "[policy]") {
    STATIC_REQUIRE(policy_count<checksum_policy_tag, crc32c, xxh3_64, lru_cache> == 2);
    STATIC_REQUIRE(policy_count<cache_policy_tag, crc32c, xxh3_64> == 0);
    STATIC_REQUIRE(is_known_policy<clock_cache>);
    STATIC_REQUIRE_FALSE(is_known_policy<int>);
    STATIC_REQUIRE_FALSE(is_known_policy<no_tag_page_size>);
}
