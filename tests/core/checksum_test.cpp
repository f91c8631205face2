#include "sqlitegraph/core/checksum.hpp"
#include "sqlitegraph/core/crc32c.hpp"
#include "support/catch.hpp"

#include <cstring>
#include <random>
#include <string_view>
#include <vector>

using namespace sqlitegraph;

namespace {
std::span<const std::byte> as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}
} // namespace

TEST_CASE("crc32c matches the published check value", "[core][checksum]") {
    REQUIRE(crc32c_value(as_bytes("123456789")) == 0xE3069283u);
    REQUIRE(crc32c_extend(0, as_bytes("123456789"), crc32c_impl::portable) == 0xE3069283u);
    REQUIRE(crc32c_value({}) == 0u);
    // RFC 3720 B.4: 32 bytes of zeros.
    std::vector<std::byte> zeros(32);
    REQUIRE(crc32c_value(zeros) == 0x8A9136AAu);
}

TEST_CASE("crc32c hardware and portable paths agree on random data", "[core][checksum]") {
    if (!crc32c_hardware_available()) {
        WARN("this CPU has no SSE4.2: only the portable path runs");
    }
    std::mt19937_64 rng(1234);
    for (int round = 0; round < 500; ++round) {
        std::vector<std::byte> data(rng() % 5000);
        for (auto& b : data)
            b = static_cast<std::byte>(rng());
        const auto seed = static_cast<std::uint32_t>(rng());
        const auto offset = data.empty() ? 0 : rng() % data.size(); // also unaligned starts
        std::span<const std::byte> view(data.data() + offset, data.size() - offset);
        REQUIRE(crc32c_extend(seed, view, crc32c_impl::portable) == crc32c_extend(seed, view, crc32c_impl::hardware));
    }
}

TEST_CASE("crc32c three-stream path agrees at every length around its block boundaries", "[core][checksum]") {
    // The hardware path sums 3 x 256-byte blocks at once and joins them;
    // lengths just below, at and above each multiple of 768 cover the join
    // and the serial tail.
    std::mt19937_64 rng(99);
    std::vector<std::byte> data(4 * 768 + 64);
    for (auto& b : data)
        b = static_cast<std::byte>(rng());
    for (std::size_t stride = 1; stride <= 4; ++stride) {
        for (std::size_t length = stride * 768 - 9; length <= stride * 768 + 9; ++length) {
            std::span<const std::byte> view(data.data() + (length % 7), length);
            const auto seed = static_cast<std::uint32_t>(rng());
            REQUIRE(crc32c_extend(seed, view, crc32c_impl::portable) == crc32c_extend(seed, view, crc32c_impl::hardware));
        }
    }
}

TEST_CASE("crc32c extends: the crc of a prefix seeds the rest", "[core][checksum]") {
    const auto whole = crc32c_value(as_bytes("hello, world"));
    const auto prefix = crc32c_value(as_bytes("hello"));
    REQUIRE(crc32c_extend(prefix, as_bytes(", world")) == whole);
}

TEST_CASE("xor_checksum folds bytes into 32 bits by position", "[core][checksum]") {
    REQUIRE(xor_checksum::compute(as_bytes("")) == 0);
    REQUIRE(xor_checksum::compute(as_bytes("\x01\x02\x03\x04")) == 0x04030201u);
    REQUIRE(xor_checksum::compute(as_bytes("\x01\x02\x03\x04\x01")) == 0x04030200u);
    // It is weak by design: swapping two aligned words goes unnoticed.
    REQUIRE(xor_checksum::compute(as_bytes("abcdefgh")) == xor_checksum::compute(as_bytes("efghabcd")));
}

TEMPLATE_TEST_CASE("checksum policies detect a flipped bit", "[core][checksum]", crc32c, xxh3_64, xor_checksum) {
    STATIC_REQUIRE(checksum_policy<TestType>);
    std::mt19937_64 rng(99);
    std::vector<std::byte> page(4096);
    for (auto& b : page)
        b = static_cast<std::byte>(rng());
    const auto original = TestType::compute(page, 0);
    for (int i = 0; i < 100; ++i) {
        auto copy = page;
        const auto bit = rng() % (copy.size() * 8);
        copy[bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
        REQUIRE(TestType::compute(copy, 0) != original);
    }
    REQUIRE(checksum_name(TestType::id) == TestType::name);
}

TEST_CASE("checksum ids are distinct and stable", "[core][checksum]") {
    // These ids are written into every superblock: changing one breaks files.
    STATIC_REQUIRE(crc32c::id == 1);
    STATIC_REQUIRE(xxh3_64::id == 2);
    STATIC_REQUIRE(xor_checksum::id == 3);
    REQUIRE(checksum_name(77) == "unknown");
}
