// JSON validation with the per-thread simdjson parser (codec/properties.hpp):
// each document is judged on its own bytes, whatever the thread's buffer
// held before, and documents over the reuse limit take their own parser;
// the simdjson path encodes what it parsed to the built-in parser's bytes.
#include <bit>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sqlitegraph/codec/properties.hpp"
#include "support/catch.hpp"
#include "support/error_code.hpp"

using namespace sqlitegraph;

namespace {

using testing::error_code_of;

bool refused(const std::string& json) {
    return error_code_of([&] { (void)encode_properties(json); }) == errc::invalid_argument;
}

std::string long_string_doc(std::size_t bytes) { return R"({"s":")" + std::string(bytes, 'x') + R"("})"; }

} // namespace

TEST_CASE("property JSON is judged on its own bytes when the parser and its buffer are reused",
          "[codec][properties]") {
    // A long valid document leaves its bytes in the thread's buffer; a short
    // one after it must be read only up to its own length.
    REQUIRE(property_map::from_json(long_string_doc(5000)).get<std::string>("s") == std::string(5000, 'x'));
    REQUIRE(property_map::from_json(R"({"a":1})").json() == R"({"a":1})");
    // An invalid document does not spoil the next one, and vice versa.
    REQUIRE(refused(R"({"a":1,})"));
    REQUIRE(property_map::from_json(R"({"b":[true,null]})").json() == R"({"b":[true,null]})");
    REQUIRE(refused(R"({"a":)"));
    REQUIRE(property_map::from_json("").json() == "{}");
    REQUIRE(property_map::from_json("  ").json() == "{}");
}

TEST_CASE("property JSON over the parser reuse limit is validated by a parser of its own", "[codec][properties]") {
    const std::string big = long_string_doc(200 * 1024);
    REQUIRE(property_map::from_json(big).get<std::string>("s")->size() == 200 * 1024);
    std::string broken = big;
    broken.pop_back(); // no closing brace
    REQUIRE(refused(broken));
    // The small-document path still works after the large ones.
    REQUIRE(property_map::from_json(R"({"n":2.5})").get<double>("n") == 2.5);
}

TEST_CASE("threads validate property JSON at the same time, each with its own parser", "[codec][properties][concurrency]") {
    std::vector<int> wrong(2, 0);
    auto work = [&](int t) {
        for (int i = 0; i < 2000; ++i) {
            const std::string doc = R"({"t":)" + std::to_string(t) + R"(,"i":)" + std::to_string(i) + "}";
            if (property_map::from_json(doc).get<std::int64_t>("i") != i) ++wrong[static_cast<std::size_t>(t)];
            if (!refused(doc + ",")) ++wrong[static_cast<std::size_t>(t)];
        }
    };
    std::thread a(work, 0), b(work, 1);
    a.join();
    b.join();
    REQUIRE(wrong[0] == 0);
    REQUIRE(wrong[1] == 0);
}

#if defined(SQLITEGRAPH_WITH_SIMDJSON)
namespace {

// The built-in parser's verdict and bytes: the reference the simdjson path
// (dom_encoder) must match.
std::optional<std::string> by_builtin_parser(const std::string& json) {
    try {
        return props_detail::json_encoder(json).run();
    } catch (const error&) {
        return std::nullopt;
    }
}
std::optional<std::string> by_simdjson(const std::string& json) {
    try {
        return encode_properties(json);
    } catch (const error&) {
        return std::nullopt;
    }
}

// A random JSON value: numbers of every shape the grammar allows, strings
// with escapes and multi-byte characters, nesting up to `depth` levels.
std::string random_json(std::mt19937_64& rng, int depth) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    static const char* const numbers[] = {"0", "-0", "7", "-42", "1.0", "-0.0", "1e2", "2.5E-3", "1.7976931348623157e308",
                                          "4.9e-324", "9223372036854775807", "-9223372036854775808",
                                          "9223372036854775808", "18446744073709551615", "0.1", "123456.789e-2"};
    static const char* const strings[] = {R"("")", R"("plain")", R"("h\u00e9\"")", R"("tab\tnew\nline\/")",
                                          R"("\ud83d\ude00 emoji")", "\"caf\xc3\xa9\"", R"("\\back")", R"("\u0000")"};
    const int kind = depth == 0 ? pick(5) : pick(7);
    switch (kind) {
    case 0: return numbers[pick(std::size(numbers))];
    case 1: return strings[pick(std::size(strings))];
    case 2: return std::to_string(static_cast<std::int64_t>(rng()));
    case 3: {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.17g", std::bit_cast<double>(rng() & 0x7FEFFFFFFFFFFFFFull));
        return buf;
    }
    case 4: return pick(3) == 0 ? "null" : pick(2) ? "true" : "false";
    case 5: {
        std::string a = "[";
        for (int i = 0, n = pick(4); i < n; ++i) a += (i ? " , " : "") + random_json(rng, depth - 1);
        return a + "]";
    }
    default: {
        std::string o = "{";
        for (int i = 0, n = pick(4); i < n; ++i)
            o += std::string(i ? ",\n" : "") + "\"k" + std::to_string(pick(3)) + "\": " + random_json(rng, depth - 1);
        return o + "}";
    }
    }
}

} // namespace

TEST_CASE("simdjson's parse is encoded to the bytes the built-in parser makes, and refused where it refuses",
          "[codec][properties]") {
    std::vector<std::string> docs = {"{}", " { } ", R"({"a":1,"a":2})", R"({"a":[],"b":{},"c":[[]]})",
                                     R"({"i":-42,"d":1.5,"b":true,"s":"h\u00e9\"","n":null,"o":{"x":1}})",
                                     R"({"big":18446744073709551615,"neg":-9223372036854775808,"z":-0})",
                                     "[1]", "\"s\"", "3", "{\"a\":1} x", "{\"a\":1e999}", "{\"a\":\"\xff\"}",
                                     // lone, reversed and unpaired surrogate escapes; an overlong UTF-8 sequence
                                     R"({"a":"\ud800"})", R"({"a":"\udc00"})", R"({"a":"\udc00\ud800"})",
                                     R"({"a":"\ud800\u0041"})", R"({"a":"\ud800x"})", "{\"a\":\"\xc0\xaf\"}"};
    // Nesting: 64 levels below the top object are allowed, 65 are not.
    for (const int levels : {63, 64, 65}) docs.push_back("{\"a\":" + std::string(levels, '[') + std::string(levels, ']') + "}");
    std::mt19937_64 rng(20261124);
    for (int i = 0; i < 3000; ++i) docs.push_back("{\"root\": " + random_json(rng, 1 + i % 6) + "}");

    std::size_t accepted = 0;
    for (const auto& doc : docs) {
        INFO(doc);
        const auto reference = by_builtin_parser(doc);
        REQUIRE(by_simdjson(doc) == reference);
        accepted += reference.has_value();
    }
    REQUIRE(accepted > 3000); // the random documents are valid JSON, so the bytes were compared
    REQUIRE(!by_simdjson("{\"a\":" + std::string(65, '[') + std::string(65, ']') + "}"));
}
#endif
