#include "sqlitegraph/core/bytes.hpp"
#include "sqlitegraph/core/delta.hpp"
#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/varint.hpp"
#include "support/catch.hpp"

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace sqlitegraph;

namespace {
std::vector<std::byte> bytes_of(std::initializer_list<unsigned> values) {
    std::vector<std::byte> out;
    for (auto v : values)
        out.push_back(static_cast<std::byte>(v));
    return out;
}

template <class T> void check_round_trip(T value) {
    std::byte buffer[16];
    const auto length = encode_varint(value, buffer);
    REQUIRE(length == varint_size(value));
    REQUIRE(length <= varint_max_size<T>);
    const auto decoded = decode_varint<T>({buffer, length});
    REQUIRE(decoded.ok());
    REQUIRE(decoded.length == length);
    REQUIRE(decoded.value == value);
}
} // namespace

TEST_CASE("varints round-trip at every size boundary", "[core][varint]") {
    for (int bits = 0; bits < 64; ++bits) {
        const std::uint64_t v = std::uint64_t{1} << bits;
        check_round_trip<std::uint64_t>(v);
        check_round_trip<std::uint64_t>(v - 1);
    }
    check_round_trip<std::uint64_t>(std::numeric_limits<std::uint64_t>::max());
    check_round_trip<std::uint32_t>(std::numeric_limits<std::uint32_t>::max());
    check_round_trip<std::uint16_t>(std::numeric_limits<std::uint16_t>::max());
    check_round_trip<std::uint16_t>(0);
    REQUIRE(varint_size<std::uint64_t>(127) == 1);
    REQUIRE(varint_size<std::uint64_t>(128) == 2);
    REQUIRE(varint_max_size<std::uint64_t> == 10);
    REQUIRE(varint_max_size<std::uint32_t> == 5);
    REQUIRE(varint_max_size<std::uint16_t> == 3);
}

TEST_CASE("varints round-trip on random values", "[core][varint]") {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 20000; ++i) {
        const auto v = rng() >> (rng() % 64);
        check_round_trip<std::uint64_t>(v);
        check_round_trip<std::uint32_t>(static_cast<std::uint32_t>(v));
    }
}

TEST_CASE("varint decoding reports truncated input instead of reading past the end", "[core][varint]") {
    const auto truncated = bytes_of({0x80, 0x80});
    const auto result = decode_varint<std::uint64_t>(truncated);
    REQUIRE(result.status == varint_status::truncated);
    REQUIRE(decode_varint<std::uint64_t>({}).status == varint_status::truncated);
}

TEST_CASE("varint decoding rejects overlong and out-of-range encodings", "[core][varint]") {
    // 11 bytes for a u64, a padded zero group, and bits beyond the type.
    REQUIRE(decode_varint<std::uint64_t>(bytes_of({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}))
                .status == varint_status::overlong);
    REQUIRE(decode_varint<std::uint64_t>(bytes_of({0x81, 0x00})).status == varint_status::overlong);
    REQUIRE(
        decode_varint<std::uint64_t>(bytes_of({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02})).status ==
        varint_status::overlong);
    REQUIRE(decode_varint<std::uint16_t>(bytes_of({0xFF, 0xFF, 0x04})).status == varint_status::overlong);
    REQUIRE(decode_varint<std::uint16_t>(bytes_of({0xFF, 0xFF, 0x03})).value == 0xFFFF);
}

TEST_CASE("zigzag maps small magnitudes to small codes", "[core][varint]") {
    REQUIRE(zigzag_encode(0) == 0);
    REQUIRE(zigzag_encode(-1) == 1);
    REQUIRE(zigzag_encode(1) == 2);
    REQUIRE(zigzag_encode(-2) == 3);
    for (std::int64_t v : {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                           std::int64_t{-123456789}, std::int64_t{42}}) {
        REQUIRE(zigzag_decode(zigzag_encode(v)) == v);
    }
}

TEST_CASE("byte order helpers store the stated byte order", "[core][endian]") {
    std::byte buffer[8];
    store_le<std::uint32_t>(buffer, 0x11223344u);
    REQUIRE(buffer[0] == std::byte{0x44});
    REQUIRE(load_le<std::uint32_t>(buffer) == 0x11223344u);
    store_be<std::uint64_t>(buffer, 0x0102030405060708ull);
    REQUIRE(buffer[0] == std::byte{0x01});
    REQUIRE(buffer[7] == std::byte{0x08});
    REQUIRE(load_be<std::uint64_t>(buffer) == 0x0102030405060708ull);
    REQUIRE(byteswap<std::uint16_t>(0x1234) == 0x3412);
}

TEST_CASE("byte reader throws corruption naming the structure on overrun", "[core][bytes]") {
    std::vector<std::byte> buffer;
    byte_writer writer(buffer);
    writer.write_le<std::uint32_t>(7);
    writer.write_varint<std::uint64_t>(300);
    writer.write_zigzag(-5);
    writer.write_string("abc");
    byte_reader reader(buffer, "test record 9");
    REQUIRE(reader.read_le<std::uint32_t>() == 7);
    REQUIRE(reader.read_varint<std::uint64_t>() == 300);
    REQUIRE(reader.read_zigzag() == -5);
    REQUIRE(reader.read_string(3) == "abc");
    REQUIRE(reader.empty());
    try {
        reader.read_le<std::uint16_t>();
        FAIL("read past the end did not throw");
    } catch (const error& e) {
        REQUIRE(e.code() == errc::corruption);
        REQUIRE(std::string(e.what()).find("test record 9") != std::string::npos);
    }
}

TEST_CASE("id delta lists round-trip and reject corrupt counts and overflow", "[core][delta]") {
    const std::vector<std::uint64_t> ids{100, 101, 101, 250, 1000000, 1000001};
    std::vector<std::byte> buffer;
    byte_writer writer(buffer);
    encode_id_deltas(writer, ids, 90);
    REQUIRE(buffer.size() < ids.size() * 3); // small gaps stay small
    byte_reader reader(buffer, "delta list");
    REQUIRE(decode_id_deltas(reader, 90) == ids);

    std::vector<std::byte> bad_count;
    byte_writer bad_writer(bad_count);
    bad_writer.write_varint<std::uint64_t>(1'000'000'000); // claims far more ids than bytes
    byte_reader bad_reader(bad_count, "delta list");
    REQUIRE_THROWS_AS(decode_id_deltas(bad_reader), error);

    std::vector<std::byte> overflow;
    byte_writer overflow_writer(overflow);
    overflow_writer.write_varint<std::uint64_t>(2);
    overflow_writer.write_varint<std::uint64_t>(UINT64_MAX);
    overflow_writer.write_varint<std::uint64_t>(5);
    byte_reader overflow_reader(overflow, "delta list");
    REQUIRE_THROWS_AS(decode_id_deltas(overflow_reader), error);

    std::vector<std::byte> unused;
    byte_writer descending(unused);
    const std::vector<std::uint64_t> not_sorted{5, 3};
    REQUIRE_THROWS_AS(encode_id_deltas(descending, not_sorted), error);
}
