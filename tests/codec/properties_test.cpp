// JSON validation with the per-thread simdjson parser (codec/properties.hpp):
// each document is judged on its own bytes, whatever the thread's buffer
// held before, and documents over the reuse limit take their own parser.
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
