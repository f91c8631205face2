// Seeded random differential test of the graph store against graph_model:
// inserts, updates and deletes of nodes and edges, property updates, bad
// calls, rollbacks and reopens; every query and check() after each step.
// Runs for both record codecs and two page sizes.
#include "graph/graph_model.hpp"
#include "graph/graph_stores.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "support/catch.hpp"

#include <optional>
#include <random>
#include <string>

using namespace sqlitegraph;
using testing::graph_model;

namespace {

struct random_graph {
    std::mt19937_64 rng;

    explicit random_graph(std::uint64_t seed) : rng(seed) {}

    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : rng() % n; }

    std::string name() {
        static constexpr char alphabet[] = "abcn12";
        std::string s;
        const auto len = below(4);
        for (std::uint64_t i = 0; i < len; ++i)
            s.push_back(alphabet[below(6)]);
        return s;
    }
    std::string kind() { return "k" + std::to_string(below(4)); }
    std::string type() { return "t" + std::to_string(below(4)); }

    // Canonical minified JSON (what the store gives back).
    std::string properties() {
        std::string out = "{";
        bool first = true;
        auto member = [&](const std::string& key, const std::string& value) {
            if (!first) out += ",";
            first = false;
            out += "\"" + key + "\":" + value;
        };
        if (below(2)) member("i", std::to_string(static_cast<std::int64_t>(rng()) >> below(64)));
        if (below(3) == 0) member("s", "\"q\\\"\\\\\\n" + name() + "\"");
        if (below(4) == 0) member("b", below(2) ? "true" : "false");
        if (below(4) == 0) member("d", below(2) ? "0.5" : "-3.75");
        if (below(5) == 0) member("a", "[1,\"x\",null,{\"k\":[]}]");
        if (below(3) == 0) member("weight", below(2) ? std::to_string(below(4)) : "2.5"); // the weight column's input
        if (below(40) == 0) member("big", "\"" + std::string(3000 + below(9000), 'z') + "\""); // overflow pages
        return out + "}";
    }
};

template <class Store> void run_differential(std::uint64_t seed, int transactions) {
    memory_fs fs;
    std::optional<Store> db;
    db.emplace("g.db", store_options{}, fs);
    graph_model model;
    random_graph gen(seed);
    auto pick_node = [&](const graph_model& m) -> node_id {
        if (m.nodes.empty() || gen.below(20) == 0) return m.next_node + gen.below(3); // unknown id
        auto it = m.nodes.begin();
        std::advance(it, static_cast<long>(gen.below(m.nodes.size())));
        return it->first;
    };
    auto pick_edge = [&](const graph_model& m) -> edge_id {
        if (m.edges.empty() || gen.below(20) == 0) return m.next_edge + gen.below(3);
        auto it = m.edges.begin();
        std::advance(it, static_cast<long>(gen.below(m.edges.size())));
        return it->first;
    };

    for (int t = 0; t < transactions; ++t) {
        INFO("seed " << seed << " transaction " << t);
        graph_model next = model;
        auto tx = db->begin_write();
        const auto ops = 1 + gen.below(8);
        for (std::uint64_t op = 0; op < ops; ++op) {
            const auto choice = gen.below(100);
            if (choice < 30) {
                testing::model_node n{gen.kind(), gen.name(), gen.properties()};
                const auto id = tx.insert_node({n.kind, n.name, n.properties});
                REQUIRE(id == next.insert_node(n));
            } else if (choice < 60) {
                const auto from = pick_node(next);
                const auto to = gen.below(10) == 0 ? from : pick_node(next);
                testing::model_edge e{from, to, gen.type(), gen.properties()};
                if (next.nodes.count(from) && next.nodes.count(to)) {
                    REQUIRE(tx.insert_edge({from, to, e.type, e.properties}) == next.insert_edge(e));
                } else {
                    REQUIRE(testing::error_code_of([&] {
                                tx.insert_edge({from, to, e.type, e.properties});
                            }) == errc::not_found);
                }
            } else if (choice < 72) {
                const auto id = pick_node(next);
                node_update u;
                if (gen.below(2)) u.kind = gen.kind();
                if (gen.below(2)) u.name = gen.name();
                if (gen.below(2)) u.properties = gen.properties();
                if (next.nodes.count(id)) {
                    tx.update_node(id, u);
                    auto& n = next.nodes.at(id);
                    if (u.kind) n.kind = *u.kind;
                    if (u.name) n.name = *u.name;
                    if (u.properties) n.properties = *u.properties;
                } else {
                    REQUIRE_THROWS_AS(tx.update_node(id, u), error);
                }
            } else if (choice < 78) {
                const auto id = pick_edge(next);
                edge_update u;
                if (gen.below(2)) u.type = gen.type();
                if (gen.below(2)) u.properties = gen.properties();
                if (next.edges.count(id)) {
                    tx.update_edge(id, u);
                    auto& e = next.edges.at(id);
                    if (u.type) e.type = *u.type;
                    if (u.properties) e.properties = *u.properties;
                } else {
                    REQUIRE_THROWS_AS(tx.update_edge(id, u), error);
                }
            } else if (choice < 86) {
                const auto id = pick_node(next);
                if (next.nodes.count(id)) {
                    tx.erase_node(id);
                    next.erase_node(id);
                } else {
                    REQUIRE_THROWS_AS(tx.erase_node(id), error);
                }
            } else if (choice < 95) {
                const auto id = pick_edge(next);
                if (next.edges.count(id)) {
                    tx.erase_edge(id);
                    next.edges.erase(id);
                } else {
                    REQUIRE_THROWS_AS(tx.erase_edge(id), error);
                }
            } else {
                // Invalid JSON is refused and changes nothing.
                REQUIRE_THROWS_AS(tx.insert_node({"k0", "bad", "{\"a\":}"}), error);
                if (!next.nodes.empty()) {
                    REQUIRE_THROWS_AS(tx.update_node(next.nodes.begin()->first, {.properties = std::string("[1,")}),
                                      error);
                }
            }
        }
        if (gen.below(12) == 0) testing::compare_with_model(tx, next, false); // reads see the transaction's writes
        if (gen.below(10) == 0) {
            tx.rollback();
        } else {
            tx.commit();
            model = std::move(next);
        }
        if (gen.below(25) == 0) {
            db.reset();
            db.emplace("g.db", store_options{}, fs);
        }
        auto r = db->begin_read();
        testing::compare_with_model(r, model, t % 10 == 9);
        r.end();
        if (t % 10 == 9 || t + 1 == transactions) {
            const auto report = db->check();
            for (const auto& p : report.problems)
                UNSCOPED_INFO(p);
            REQUIRE(report.ok());
            REQUIRE(report.nodes == model.nodes.size());
            REQUIRE(report.edges == model.edges.size());
        }
    }
}

} // namespace

TEMPLATE_TEST_CASE("random graph operations match the reference model and keep check() clean", "[graph][differential]",
                   testing::store_varint_4k, testing::store_fixed_4k, testing::store_varint_1k,
                   testing::store_fixed_1k) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed)
        run_differential<TestType>(seed, 120);
}
