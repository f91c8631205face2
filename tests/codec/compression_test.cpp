#include <random>
#include <vector>

#include "sqlitegraph/codec/compression.hpp"
#include "support/catch.hpp"

using namespace sqlitegraph;

namespace {
std::vector<std::byte> compressible_block(std::size_t size, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<std::byte> block(size);
    for (std::size_t i = 0; i < size; ++i) block[i] = static_cast<std::byte>((i / 7) % 13 + (rng() % 4 == 0 ? 1 : 0));
    return block;
}

template <class Codec>
void check_codec() {
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{100}, std::size_t{4096}, std::size_t{70000}}) {
        const auto block = compressible_block(size, static_cast<unsigned>(size));
        std::vector<std::byte> packed, unpacked;
        Codec::compress(block, packed);
        Codec::decompress(packed, block.size(), unpacked);
        REQUIRE(unpacked == block);
    }
    // Damaged input or a wrong size is corruption, not garbage output.
    const auto block = compressible_block(4096, 3);
    std::vector<std::byte> packed, unpacked;
    Codec::compress(block, packed);
    try {
        Codec::decompress(packed, block.size() + 10, unpacked);
        FAIL("a wrong original size was accepted");
    } catch (const error& e) {
        REQUIRE(e.code() == errc::corruption);
    }
    if (packed.size() > 4) {
        packed.resize(packed.size() / 2);
        REQUIRE_THROWS_AS(Codec::decompress(packed, block.size(), unpacked), error);
    }
}
} // namespace

TEST_CASE("identity codec round-trips and rejects a size mismatch", "[codec]") { check_codec<identity_codec>(); }

#if defined(SQLITEGRAPH_WITH_LZ4)
TEST_CASE("lz4 codec round-trips, compresses, and rejects damaged blocks", "[codec]") {
    check_codec<lz4_codec>();
    const auto block = compressible_block(4096, 1);
    std::vector<std::byte> packed;
    lz4_codec::compress(block, packed);
    REQUIRE(packed.size() < block.size());
}
#endif

#if defined(SQLITEGRAPH_WITH_ZSTD)
TEST_CASE("zstd codec round-trips, compresses, and rejects damaged blocks", "[codec]") {
    check_codec<zstd_codec>();
    const auto block = compressible_block(4096, 1);
    std::vector<std::byte> packed;
    zstd_codec::compress(block, packed);
    REQUIRE(packed.size() < block.size());
}
#endif

TEST_CASE("codec ids are stable", "[codec]") {
    STATIC_REQUIRE(identity_codec::id == 0);
    REQUIRE(codec_name(0) == "identity");
    REQUIRE(codec_name(1) == "lz4");
    REQUIRE(codec_name(2) == "zstd");
}
