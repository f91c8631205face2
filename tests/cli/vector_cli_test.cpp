// `sqlitegraph vector ...` end to end through the real binary: the formats of
// CLI.md's Vectors section, answers against brute force (recall on a small
// generated set, exact results on a tiny one), node keys shared with the
// graph (import, hybrid --near), delete, stats, and refused input that
// leaves the database as it was.
#include "cli/cli_runner.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include "sqlitegraph/vector/brute_force.hpp"
#include "sqlitegraph/vector/generate.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using sqlitegraph::testing::read_file;
using sqlitegraph::testing::run_cli;
using sqlitegraph::testing::write_file;
namespace sv = sqlitegraph::vector;

namespace {

struct hit_row {
    std::string query;
    int rank = 0;
    std::string key;
    float distance = 0;
};

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (const char c : line) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    out.push_back(cur);
    return out;
}

// Parses search output; REQUIREs the header and well-formed rows.
std::vector<hit_row> parse_hits(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    REQUIRE(std::getline(in, line));
    REQUIRE(line == "query,rank,key,distance");
    std::vector<hit_row> rows;
    while (std::getline(in, line)) {
        const auto f = split(line, ',');
        REQUIRE(f.size() == 4);
        hit_row r;
        r.query = f[0];
        r.rank = std::stoi(f[1]);
        r.key = f[2];
        const auto [p, ec] = std::from_chars(f[3].data(), f[3].data() + f[3].size(), r.distance);
        REQUIRE(ec == std::errc());
        rows.push_back(r);
    }
    return rows;
}

// query id -> hits in rank order; checks ranks 1..n and ascending distances.
std::map<std::string, std::vector<hit_row>> by_query(const std::vector<hit_row>& rows) {
    std::map<std::string, std::vector<hit_row>> out;
    for (const auto& r : rows)
        out[r.query].push_back(r);
    for (const auto& [q, hits] : out) {
        for (std::size_t i = 0; i < hits.size(); ++i) {
            REQUIRE(hits[i].rank == static_cast<int>(i + 1));
            if (i > 0) REQUIRE(hits[i].distance >= hits[i - 1].distance);
        }
    }
    return out;
}

std::string csv_of(std::span<const float> rows, std::size_t dim, const std::string& prefix) {
    std::ostringstream plain;
    sv::write_vectors_csv(plain, rows, dim);
    // Prefix every key so that keys are strings, not node ids.
    std::istringstream in(plain.str());
    std::string line, out;
    while (std::getline(in, line))
        out += prefix + line + "\n";
    return out;
}

// The observable state of a database: graph stats and vector stats.
std::string state_of(const std::string& db) {
    const auto s = run_cli({"stats", "--db", db, "--format", "json"});
    const auto v = run_cli({"vector", "stats", "--db", db});
    REQUIRE(s.status == 0);
    REQUIRE(v.status == 0);
    return s.out + v.out;
}

} // namespace

TEST_CASE("vector create, insert and search answer like brute force", "[cli][vector]") {
    sqlitegraph::testing::temp_dir dir;
    const auto db = dir.file("v.db"), vfile = dir.file("v.csv"), qfile = dir.file("q.csv");
    const auto data = sv::generate_vectors({600, 12, 10, 25, 3});
    write_file(vfile, csv_of(data.vectors, data.dim, "v"));
    write_file(qfile, csv_of(data.queries, data.dim, "q"));

    auto r = run_cli({"vector", "create", "--db", db, "--index", "emb", "--dim", "12", "--metric", "l2", "--m", "8",
                      "--ef-construction", "100", "--seed", "7"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    r = run_cli({"vector", "insert", "--db", db, "--index", "emb", "--vectors", vfile});
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(r.out.find("inserted 600 vectors") != std::string::npos);
    REQUIRE(r.out.find("(600 new nodes)") != std::string::npos);

    r = run_cli({"vector", "search", "--db", db, "--index", "emb", "--queries", qfile, "--k", "10", "--ef", "100"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto hits = by_query(parse_hits(r.out));
    REQUIRE(hits.size() == 25);
    const auto truth = sv::exact_knn(sv::metric::l2, data.dim, data.vectors, data.queries, 10);
    std::size_t found = 0;
    for (std::size_t q = 0; q < 25; ++q) {
        const auto& got = hits.at("q" + std::to_string(q));
        REQUIRE(got.size() == 10);
        std::set<std::string> want;
        for (const auto& [d, row] : truth[q])
            want.insert("v" + std::to_string(row));
        for (const auto& h : got)
            found += want.count(h.key);
        // The nearest hit's distance is the true nearest distance.
        REQUIRE(std::fabs(got[0].distance - truth[q][0].first) <= 1e-4f * (1 + truth[q][0].first));
    }
    const double recall = static_cast<double>(found) / 250.0;
    INFO("recall@10 " << recall);
    REQUIRE(recall >= 0.95);

    // --out writes the same CSV to a file; the graph holds one node per key.
    const auto out_file = dir.file("hits.csv");
    r = run_cli({"vector", "search", "--db", db, "--index", "emb", "--queries", qfile, "--k", "10", "--ef", "100",
                 "--out", out_file});
    REQUIRE(r.status == 0);
    REQUIRE(r.out.empty());
    REQUIRE(parse_hits(read_file(out_file)).size() == 250);
    REQUIRE(run_cli({"stats", "--db", db, "--format", "json"}).out.find("\"nodes\":600") != std::string::npos);
    REQUIRE(run_cli({"check", "--db", db}).status == 0);
}

TEST_CASE("vector search on a tiny cosine index is exact; delete and stats", "[cli][vector]") {
    sqlitegraph::testing::temp_dir dir;
    const auto db = dir.file("t.db"), vfile = dir.file("v.csv"), qfile = dir.file("q.csv"), kfile = dir.file("k.txt");
    const auto data = sv::generate_vectors({40, 5, 4, 6, 11});
    write_file(vfile, csv_of(data.vectors, data.dim, "n"));
    write_file(qfile, csv_of(data.queries, data.dim, "q"));
    REQUIRE(run_cli({"vector", "create", "--db", db, "--index", "cos", "--dim", "5", "--metric", "cosine"}).status == 0);
    REQUIRE(run_cli({"vector", "insert", "--db", db, "--index", "cos", "--vectors", vfile}).status == 0);

    // Delete every third vector; the nodes stay.
    std::string keys;
    std::set<std::size_t> deleted;
    for (std::size_t i = 0; i < 40; i += 3) {
        keys += "n" + std::to_string(i) + "\n";
        deleted.insert(i);
    }
    write_file(kfile, keys);
    auto r = run_cli({"vector", "delete", "--db", db, "--index", "cos", "--keys", kfile});
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(r.out.find("deleted 14 vectors") != std::string::npos);

    r = run_cli({"vector", "search", "--db", db, "--index", "cos", "--queries", qfile, "--k", "50", "--ef", "200"});
    REQUIRE(r.status == 0);
    const auto hits = by_query(parse_hits(r.out));
    for (std::size_t q = 0; q < 6; ++q) {
        std::vector<std::pair<float, std::string>> want;
        for (std::size_t i = 0; i < 40; ++i) {
            if (deleted.count(i)) continue;
            want.emplace_back(sv::reference_distance(sv::metric::cosine, data.query(q).data(), data.vector(i).data(), 5),
                              "n" + std::to_string(i));
        }
        std::sort(want.begin(), want.end());
        const auto& got = hits.at("q" + std::to_string(q));
        REQUIRE(got.size() == 26); // fewer than k: the index holds 26
        for (std::size_t i = 0; i < got.size(); ++i) {
            INFO("query " << q << " rank " << i + 1);
            REQUIRE(got[i].key == want[i].second);
            REQUIRE(std::fabs(got[i].distance - want[i].first) <= 1e-5f);
        }
    }
    r = run_cli({"vector", "stats", "--db", db});
    REQUIRE(r.status == 0);
    const auto lines = split(r.out, '\n');
    REQUIRE(lines[0] == "index,dim,metric,m,ef_construction,vectors,tombstones,pages");
    REQUIRE(lines[1].rfind("cos,5,cosine,16,200,26,", 0) == 0);
    REQUIRE(run_cli({"stats", "--db", db, "--format", "json"}).out.find("\"nodes\":40") != std::string::npos);
    REQUIRE(run_cli({"check", "--db", db}).status == 0);
}

TEST_CASE("vector keys are the graph's node keys; --near restricts to the k-hop neighbourhood", "[cli][vector]") {
    sqlitegraph::testing::temp_dir dir;
    const auto db = dir.file("g.db"), edges = dir.file("e.csv"), vfile = dir.file("v.csv"), qfile = dir.file("q.csv");
    write_file(edges, "from,to,type\na,b,KNOWS\nb,c,KNOWS\na,d,LIKES\ne,a,KNOWS\n");
    auto r = run_cli({"import", "--db", db, "--edges", edges});
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(run_cli({"vector", "create", "--db", db, "--index", "emb", "--dim", "2", "--metric", "l2"}).status == 0);
    write_file(vfile, "a,0,0\nb,1,0\nc,2,0\nd,3,0\ne,4,0\nf,5,0\n");
    r = run_cli({"vector", "insert", "--db", db, "--index", "emb", "--vectors", vfile});
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(r.out.find("(1 new nodes)") != std::string::npos); // only f is new
    write_file(qfile, "q,10,0\n");

    auto keys_of = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"vector", "search", "--db", db, "--index", "emb", "--queries", qfile, "--k", "10"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto res = run_cli(args);
        INFO(res.err);
        REQUIRE(res.status == 0);
        std::vector<std::string> keys;
        for (const auto& h : parse_hits(res.out))
            keys.push_back(h.key);
        return keys;
    };
    // Brute force by hand: distance to (10, 0) orders f e d c b a.
    REQUIRE(keys_of({}) == std::vector<std::string>{"f", "e", "d", "c", "b", "a"});
    REQUIRE(keys_of({"--near", "a"}) == std::vector<std::string>{"d", "b"});
    REQUIRE(keys_of({"--near", "a", "--hops", "2"}) == std::vector<std::string>{"d", "c", "b"});
    REQUIRE(keys_of({"--near", "a", "--hops", "2", "--type", "KNOWS"}) == std::vector<std::string>{"c", "b"});
    REQUIRE(keys_of({"--near", "a", "--direction", "both"}) == std::vector<std::string>{"e", "d", "b"});
    REQUIRE(keys_of({"--near", "a", "--direction", "in"}) == std::vector<std::string>{"e"});
    const auto missing = run_cli({"vector", "search", "--db", db, "--index", "emb", "--queries", qfile, "--near", "zz"});
    REQUIRE(missing.status == 1);
    REQUIRE(missing.err.find("zz") != std::string::npos);
    REQUIRE(run_cli({"check", "--db", db}).status == 0);
}

TEST_CASE("refused vector input names the problem and leaves the database unchanged", "[cli][vector]") {
    sqlitegraph::testing::temp_dir dir;
    const auto db = dir.file("b.db"), good = dir.file("good.csv"), bad = dir.file("bad.csv"), q = dir.file("q.csv");
    REQUIRE(run_cli({"vector", "create", "--db", db, "--index", "emb", "--dim", "3", "--metric", "cosine"}).status == 0);
    write_file(good, "a,1,0,0\nb,0,1,0\n");
    REQUIRE(run_cli({"vector", "insert", "--db", db, "--index", "emb", "--vectors", good}).status == 0);
    write_file(q, "q,1,1,0\n");
    const auto before = state_of(db);
    const auto search_before = run_cli({"vector", "search", "--db", db, "--index", "emb", "--queries", q}).out;

    struct bad_case {
        std::string text, index, expect;
    };
    const std::vector<bad_case> cases{
        {"c,1,0,0\nd,1,2\n", "emb", "bad.csv:2: vector 'd' has 2 components, the index has dimension 3"},
        {"c,1,nan,0\n", "emb", "bad.csv:1: vector 'c': component 1 is NaN"},
        {"c,1,inf,0\n", "emb", "component 1 is infinite"},
        {"c,1,x,0\n", "emb", "component 1 is not a number"},
        {"c,1,0,0\nz,0,0,0\n", "emb", "bad.csv:2: vector 'z' is a zero vector"},
        {"c,1,0,0\na,0,0,1\n", "emb", "bad.csv:2: key 'a' already has a vector"},
        {"c,1,0,0\nc,0,0,1\n", "emb", "bad.csv:2: key 'c' appears twice (first on line 1)"},
        {"c,1,0,0\n", "nope", "no vector index named 'nope'"},
    };
    for (const auto& c : cases) {
        write_file(bad, c.text);
        const auto r = run_cli({"vector", "insert", "--db", db, "--index", c.index, "--vectors", bad});
        INFO(c.text << " -> " << r.err);
        REQUIRE(r.status == 1);
        REQUIRE(r.err.find(c.expect) != std::string::npos);
        REQUIRE(state_of(db) == before);
    }
    write_file(bad, "q,1,1\n");
    auto r = run_cli({"vector", "search", "--db", db, "--index", "emb", "--queries", bad});
    REQUIRE(r.status == 1);
    REQUIRE(r.err.find("query 'q' has 2 components") != std::string::npos);
    write_file(bad, "q,0,0,0\n");
    r = run_cli({"vector", "search", "--db", db, "--index", "emb", "--queries", bad});
    REQUIRE(r.status == 1);
    REQUIRE(r.err.find("zero vector") != std::string::npos);

    write_file(bad, "a\nnobody\n");
    r = run_cli({"vector", "delete", "--db", db, "--index", "emb", "--keys", bad});
    REQUIRE(r.status == 1);
    REQUIRE(r.err.find("bad.csv:2: no node with key 'nobody'") != std::string::npos);
    REQUIRE(state_of(db) == before);

    r = run_cli({"vector", "create", "--db", db, "--index", "emb", "--dim", "3", "--metric", "l2"});
    REQUIRE(r.status == 1);
    REQUIRE(r.err.find("already exists") != std::string::npos);
    REQUIRE(run_cli({"vector", "create", "--db", db, "--index", "x", "--dim", "3", "--metric", "hamming"}).status == 2);
    REQUIRE(run_cli({"vector", "create", "--db", db, "--index", "x", "--dim", "0", "--metric", "l2"}).status == 1);
    REQUIRE(run_cli({"vector", "frob", "--db", db}).status == 2);
    REQUIRE(run_cli({"vector", "search", "--db", dir.file("absent.db"), "--index", "emb", "--queries", q}).status == 1);
    REQUIRE(state_of(db) == before);
    REQUIRE(run_cli({"vector", "search", "--db", db, "--index", "emb", "--queries", q}).out == search_before);
    REQUIRE(run_cli({"check", "--db", db}).status == 0);
}

TEST_CASE("vector subcommands answer --help", "[cli][vector]") {
    for (const char* sub : {"create", "insert", "search", "delete", "stats"}) {
        const auto r = run_cli({"vector", sub, "--help"});
        INFO(sub);
        REQUIRE(r.status == 0);
        REQUIRE(r.out.find(std::string("usage: sqlitegraph vector ") + sub) != std::string::npos);
        REQUIRE(r.out.find("--db") != std::string::npos);
    }
}
