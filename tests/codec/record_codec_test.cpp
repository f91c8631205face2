#include <string>
#include <string_view>

#include "sqlitegraph/codec/node_page.hpp"
#include "support/catch.hpp"

using namespace sqlitegraph;

TEMPLATE_TEST_CASE("edge_properties gives the properties of an edge record in place", "[codec]", varint_record_codec,
                   fixed_record_codec) {
    const std::string props("\x05\x01\x06weight\x02\x04", 11);
    // Small ids take the varint codec's 8-byte fast path; large ones the
    // byte-by-byte walk.
    for (const std::uint64_t big : {std::uint64_t{3}, std::uint64_t{1} << 40, UINT64_MAX}) {
        const edge_fields e{big, 7, static_cast<std::uint32_t>(big & 0xFFFF), props};
        const std::string record = TestType::encode_edge(e);
        REQUIRE(TestType::edge_properties(record) == TestType::decode_edge(record).properties);
        REQUIRE(TestType::edge_properties(record) == props);
    }
    const std::string record = TestType::encode_edge({1u << 30, 2, 3, props});
    REQUIRE_THROWS_AS(TestType::edge_properties(std::string_view(record).substr(0, 2)), error);
}
