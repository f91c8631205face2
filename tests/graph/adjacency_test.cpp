// Packed adjacency: the chunk codec (codec/adjacency.hpp) on its own, and
// the store's chunks under high-degree nodes, random inserts and erases.
#include "graph/graph_stores.hpp"
#include "sqlitegraph/codec/adjacency.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "support/catch.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <vector>

using namespace sqlitegraph;
using testing::error_code_of;

namespace {
std::vector<adj_entry> random_entries(std::mt19937_64& rng, std::size_t n) {
    std::set<adj_entry> s;
    while (s.size() < n) {
        const auto big = rng() % 8 == 0;
        s.insert(adj_entry{static_cast<std::uint32_t>(rng() % (big ? UINT32_MAX : 4)), big ? rng() : rng() % 1000 + 1,
                           big ? rng() : rng() % 5000 + 1});
    }
    return {s.begin(), s.end()};
}
} // namespace

TEST_CASE("adjacency chunks round-trip and report their size and count", "[graph][adjacency]") {
    std::mt19937_64 rng(11);
    for (int round = 0; round < 200; ++round) {
        const auto entries = random_entries(rng, rng() % 300 + 1);
        const std::string v = adjacency_codec::encode(entries);
        REQUIRE(v.size() == adjacency_codec::encoded_size(entries.data(), entries.size()));
        REQUIRE(adjacency_codec::count(v) == entries.size());
        std::vector<adj_entry> back;
        adjacency_codec::decode(entries[0], v, back);
        REQUIRE(back == entries);
    }
}

TEST_CASE("adjacency chunking stays within the fill and covers every entry", "[graph][adjacency]") {
    std::mt19937_64 rng(12);
    const auto entries = random_entries(rng, 5000);
    for (const std::size_t fill : {std::size_t{40}, std::size_t{110}, std::size_t{480}}) {
        std::size_t next = 0;
        adjacency_codec::chunk(entries.data(), entries.size(), fill, [&](std::size_t from, std::size_t count) {
            REQUIRE(from == next);
            REQUIRE(count >= 1);
            REQUIRE(adjacency_codec::encoded_size(entries.data() + from, count) <= fill);
            next = from + count;
        });
        REQUIRE(next == entries.size());
    }
}

TEST_CASE("adjacency chunk decoder reports damaged bytes as corruption", "[graph][adjacency]") {
    std::mt19937_64 rng(13);
    const auto entries = random_entries(rng, 50);
    const std::string v = adjacency_codec::encode(entries);
    std::vector<adj_entry> out;
    // Truncations, trailing garbage, a zero count, a count too large, an out-of-order entry.
    for (std::size_t cut = 0; cut < v.size(); ++cut)
        REQUIRE(error_code_of([&] { adjacency_codec::decode(entries[0], v.substr(0, cut), out); }) == errc::corruption);
    REQUIRE(error_code_of([&] { adjacency_codec::decode(entries[0], v + "x", out); }) == errc::corruption);
    REQUIRE(error_code_of([&] { adjacency_codec::decode(entries[0], std::string(1, '\0'), out); }) == errc::corruption);
    REQUIRE(error_code_of([&] { adjacency_codec::decode(entries[0], std::string("\x7f\x00\x00\x00", 4), out); }) ==
            errc::corruption);
    const adj_entry a{1, 5, 7};
    const std::string dup("\x02\x00\x00\x00", 4); // second entry equal to the first
    REQUIRE(error_code_of([&] { adjacency_codec::decode(a, dup, out); }) == errc::corruption);
    // Random bytes never crash: they decode or are reported.
    for (int i = 0; i < 2000; ++i) {
        std::string junk(rng() % 40, '\0');
        for (auto& c : junk)
            c = static_cast<char>(rng());
        out.clear();
        try {
            adjacency_codec::decode(a, junk, out);
            REQUIRE(std::is_sorted(out.begin(), out.end()));
        } catch (const error& e) {
            REQUIRE(e.code() == errc::corruption);
        }
    }
}

TEMPLATE_TEST_CASE("a high-degree node keeps sorted neighbours through random inserts and erases", "[graph][adjacency]",
                   testing::store_varint_4k, testing::store_varint_1k) {
    memory_fs fs;
    TestType db("g.db", {}, fs);
    std::mt19937_64 rng(14);
    const char* types[] = {"a", "b", "c", "d"};
    // model: edge id -> (other end, type name, hub is source)
    std::map<edge_id, std::tuple<node_id, std::string, bool>> model;
    node_id hub;
    {
        auto tx = db.begin_write();
        hub = tx.insert_node({.kind = "hub"});
        for (int i = 0; i < 500; ++i)
            tx.insert_node({.kind = "leaf"});
        for (int i = 0; i < 12000; ++i) {
            const node_id other = rng() % 501 + 1;
            const bool out = rng() % 3 != 0;
            const std::string type = types[rng() % 4];
            const auto e = tx.insert_edge({.from = out ? hub : other, .to = out ? other : hub, .type = type});
            model[e] = {other, type, out};
        }
        // Erase a third, at random.
        std::vector<edge_id> ids;
        for (const auto& [e, v] : model)
            ids.push_back(e);
        std::shuffle(ids.begin(), ids.end(), rng);
        for (std::size_t i = 0; i < ids.size() / 3; ++i) {
            tx.erase_edge(ids[i]);
            model.erase(ids[i]);
        }
        tx.commit();
    }
    auto r = db.begin_read();
    for (const direction dir : {direction::out, direction::in}) {
        std::vector<std::tuple<std::uint32_t, node_id, edge_id>> expected;
        for (const auto& [e, v] : model) {
            const auto& [other, type, out] = v;
            if (out != (dir == direction::out)) continue;
            // A self-loop of the hub shows in both directions.
            expected.emplace_back(*r.type_id(type), other, e);
        }
        for (const auto& [e, v] : model) {
            const auto& [other, type, out] = v;
            if (other == hub && out == (dir != direction::out)) expected.emplace_back(*r.type_id(type), other, e);
        }
        std::sort(expected.begin(), expected.end());
        std::vector<std::tuple<std::uint32_t, node_id, edge_id>> got;
        r.for_each_neighbor(hub, dir,
                            [&](node_id m, edge_id e, std::uint32_t type, direction) { got.emplace_back(type, m, e); });
        REQUIRE(got == expected);
        REQUIRE(r.degree(hub, dir) == expected.size());
        const auto only_b = r.neighbors(hub, dir, {"b"});
        const auto b_id = *r.type_id("b");
        REQUIRE(only_b.size() ==
                static_cast<std::size_t>(std::count_if(expected.begin(), expected.end(),
                                                       [&](const auto& t) { return std::get<0>(t) == b_id; })));
        REQUIRE(r.degree(hub, dir, {"b", "d"}) == r.neighbors(hub, dir, {"b", "d"}).size());
    }
    r.end();
    const auto report = db.check();
    for (const auto& p : report.problems)
        UNSCOPED_INFO(p);
    REQUIRE(report.ok());
    // Erasing the hub erases every edge in bounded chunk rewrites.
    db.erase_node(hub);
    REQUIRE(db.edge_count() == 0);
    REQUIRE(db.check().ok());
}
