// The generators write the same bytes on every run for a seed (hashes
// pinned here, so a change of format or stream is a visible decision), and
// `generate rmat` writes exactly the edges of algo::generate_rmat.
#include "cli/cli_runner.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include "sqlitegraph/algo/rmat.hpp"

#include <cstdint>
#include <sstream>
#include <string>

using sqlitegraph::testing::read_file;
using sqlitegraph::testing::run_cli;
using sqlitegraph::testing::temp_dir;

namespace {

std::uint64_t fnv1a(const std::string& s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::size_t lines(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) n += c == '\n';
    return n;
}

} // namespace

TEST_CASE("generate rmat is deterministic for a seed and matches algo::generate_rmat", "[cli]") {
    temp_dir dir;
    auto gen = [&](const std::string& tag, const std::string& seed) {
        const auto r = run_cli({"generate", "rmat", "--scale", "10", "--edge-factor", "8", "--seed", seed, "--nodes",
                                dir.file(tag + "n.csv"), "--edges", dir.file(tag + "e.csv")});
        INFO(r.err);
        REQUIRE(r.status == 0);
        return std::make_pair(read_file(dir.file(tag + "n.csv")), read_file(dir.file(tag + "e.csv")));
    };
    const auto [n1, e1] = gen("a", "42");
    const auto [n2, e2] = gen("b", "42");
    CHECK(n1 == n2);
    CHECK(e1 == e2);
    CHECK(fnv1a(n1) == 0x2fa933d3161ec900ULL);
    CHECK(fnv1a(e1) == 0x1d4830c7ac2c187fULL);
    const auto [n3, e3] = gen("c", "7");
    CHECK(n3 != n1);
    CHECK(e3 != e1);

    CHECK(lines(n1) == 1 + 1024);
    CHECK(n1.rfind("id,kind,name,age,score\n0,User,n0,0,", 0) == 0);
    CHECK(n1.find("\n1,Item,n1,1,") != std::string::npos);
    CHECK(n1.find("\n95,Tag,n95,5,") != std::string::npos);

    const auto g = sqlitegraph::algo::generate_rmat({.scale = 10, .edge_factor = 8, .seed = 42});
    std::ostringstream want;
    want << "from,to,type,weight\n";
    for (std::size_t i = 0; i < g.from.size(); ++i)
        want << g.from[i] << ',' << g.to[i] << ',' << (g.type[i] ? "likes" : "follows") << ','
             << static_cast<int>(g.weight[i]) << '\n';
    CHECK(e1 == want.str());
}

TEST_CASE("generate vectors is deterministic for a seed", "[cli]") {
    temp_dir dir;
    auto gen = [&](const std::string& tag, const std::string& seed) {
        const auto r = run_cli({"generate", "vectors", "--count", "500", "--dim", "8", "--clusters", "5", "--queries",
                                "20", "--seed", seed, "--vectors", dir.file(tag + "v.csv"), "--query-file",
                                dir.file(tag + "q.csv")});
        INFO(r.err);
        REQUIRE(r.status == 0);
        return std::make_pair(read_file(dir.file(tag + "v.csv")), read_file(dir.file(tag + "q.csv")));
    };
    const auto [v1, q1] = gen("a", "42");
    const auto [v2, q2] = gen("b", "42");
    CHECK(v1 == v2);
    CHECK(q1 == q2);
    CHECK(fnv1a(v1) == 0x816cddbdf674dfd4ULL);
    CHECK(fnv1a(q1) == 0x5e539c24e67d7b56ULL);
    CHECK(lines(v1) == 500);
    CHECK(lines(q1) == 20);
    CHECK(v1.rfind("0,", 0) == 0);
    CHECK(v1.find("\n499,") != std::string::npos);
    const auto [v3, q3] = gen("c", "43");
    CHECK(v3 != v1);
}

TEST_CASE("generate refuses bad options", "[cli]") {
    CHECK(run_cli({"generate", "rmat", "--scale", "0", "--nodes", "n", "--edges", "e"}).status == 2);
    CHECK(run_cli({"generate", "rmat", "--scale", "10"}).status == 2);
    CHECK(run_cli({"generate", "graphs"}).status == 2);
    const auto r = run_cli({"generate", "rmat", "--scale", "4", "--nodes", "/nonexistent/dir/n.csv", "--edges", "e.csv"});
    CHECK(r.status == 1);
    CHECK(r.err.find("/nonexistent/dir/n.csv") != std::string::npos);
}
