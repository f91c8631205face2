// The weight column (graph/edge_weights.hpp, root g.eweight): kept equal
// to the edge records' `weight` properties through every write path,
// checked by check(), refused by snapshot_csr when damaged; a file of the
// previous graph format (no column) is refused, or upgraded when asked, in
// one transaction that power loss cannot split.
#include "graph/graph_stores.hpp"
#include "sqlitegraph/btree/btree.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/graph/maintenance.hpp"
#include "sqlitegraph/graph/store_view.hpp"
#include "sqlitegraph/io/fault_file.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "support/catch.hpp"
#include "support/error_code.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <bit>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <functional>
#include <optional>
#include <span>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace sqlitegraph;

namespace {

using store = testing::store_varint_4k;
using raw_txn = store::pager_type::write_txn;

// The column's entries, read through the raw tree.
template <class Store> std::map<edge_id, std::uint64_t> column_of(Store& db) {
    auto r = db.begin_read();
    auto& t = r.pager_txn();
    basic_btree<std::remove_reference_t<decltype(t)>, typename Store::weight_params> column(
        t, t.root(graph_detail::root_eweight));
    std::map<edge_id, std::uint64_t> out;
    for (auto c = column.begin(); c.valid(); c.next()) out.emplace(c.key(), c.value());
    return out;
}

std::uint64_t bits(double w) { return std::bit_cast<std::uint64_t>(w); }

// The properties of a random weight: absent, 1 written three ways, a
// number, or not a number; sometimes beside other members.
struct weight_case {
    std::string props;
    std::optional<std::uint64_t> column; // what the column must hold
};
weight_case random_weight(std::mt19937_64& rng) {
    const double w = static_cast<double>(rng() % 1000) / 8.0 + 0.125; // never 1
    switch (rng() % 7) {
    case 0: return {"", std::nullopt};
    case 1: return {R"({"weight": 1})", std::nullopt};
    case 2: return {R"({"weight": 1.0, "x": [1, 2]})", std::nullopt};
    case 3: return {R"({"weight": )" + std::to_string(w) + "}", bits(std::stod(std::to_string(w)))};
    case 4: return {R"({"a": "b", "weight": )" + std::to_string(static_cast<int>(w) + 2) + "}",
                    bits(static_cast<double>(static_cast<int>(w) + 2))};
    case 5: return {R"({"weight": "heavy"})", edge_weights::not_a_number};
    default: return {R"({"weight": -300000})", bits(-300000.0)};
    }
}

} // namespace

TEST_CASE("the weight column follows every write to an edge's weight", "[graph][weights]") {
    memory_fs fs;
    store db("g.db", {}, fs);
    std::mt19937_64 rng(11);
    std::map<edge_id, std::optional<std::uint64_t>> model; // live edges -> expected entry
    std::vector<node_id> nodes;
    for (int i = 0; i < 40; ++i) nodes.push_back(db.insert_node({.kind = "k"}));
    auto any_node = [&] { return nodes[rng() % nodes.size()]; };
    for (int round = 0; round < 60; ++round) {
        INFO("round " << round);
        auto tx = db.begin_write();
        auto changes = model;
        for (int op = 0; op < 12; ++op) {
            const auto kind = rng() % 10;
            if (kind < 4 || changes.empty()) { // insert
                const auto w = random_weight(rng);
                const edge_id e = tx.insert_edge({.from = any_node(), .to = any_node(), .type = "t", .properties = w.props});
                changes[e] = w.column;
            } else if (kind < 7) { // update: the weight, or only the type
                const edge_id e = [&] {
                    auto it = changes.begin();
                    std::advance(it, static_cast<std::ptrdiff_t>(rng() % changes.size()));
                    return it->first;
                }();
                if (rng() % 4 == 0) {
                    tx.update_edge(e, {.type = "u"});
                } else {
                    const auto w = random_weight(rng);
                    tx.update_edge(e, {.properties = w.props});
                    changes[e] = w.column;
                }
            } else if (kind < 9) { // erase an edge
                auto it = changes.begin();
                std::advance(it, static_cast<std::ptrdiff_t>(rng() % changes.size()));
                tx.erase_edge(it->first);
                changes.erase(it);
            } else { // a bulk insert of a few edges
                std::vector<bulk_edge_input> batch;
                std::vector<std::optional<std::uint64_t>> expect;
                for (int i = 0; i < 5; ++i) {
                    const auto w = random_weight(rng);
                    batch.push_back({.from = node_ref::existing(any_node()), .to = node_ref::existing(any_node()),
                                     .type = "t", .properties = w.props});
                    expect.push_back(w.column);
                }
                const auto done = tx.bulk_insert(std::span<const node_input>{}, batch);
                for (std::size_t i = 0; i < expect.size(); ++i) changes[done.first_edge + i] = expect[i];
            }
        }
        if (round % 5 == 4) {
            tx.rollback(); // nothing of the round may reach the column
        } else {
            tx.commit();
            model = std::move(changes);
        }
        std::map<edge_id, std::uint64_t> expected;
        for (const auto& [e, entry] : model)
            if (entry) expected.emplace(e, *entry);
        REQUIRE(column_of(db) == expected);
        REQUIRE(db.check().ok());
    }
    // Erasing a node erases its edges' entries, and only theirs.
    const node_id hub = nodes[0];
    std::vector<edge_id> hub_edges;
    {
        auto tx = db.begin_write();
        for (int i = 0; i < 6; ++i)
            hub_edges.push_back(
                tx.insert_edge({.from = hub, .to = nodes[1 + i], .type = "t", .properties = R"({"weight": 4.5})"}));
        tx.commit();
    }
    for (const edge_id e : hub_edges) REQUIRE(column_of(db).count(e) == 1);
    std::map<edge_id, std::uint64_t> kept;
    {
        auto r = db.begin_read();
        for (const auto& [e, entry] : column_of(db)) {
            const auto rec = r.get_edge(e);
            REQUIRE(rec);
            if (rec->from != hub && rec->to != hub) kept.emplace(e, entry);
        }
    }
    db.erase_node(hub);
    CHECK(column_of(db) == kept);
    REQUIRE(db.check().ok());
}

TEST_CASE("a bulk load fills an empty weight column and appends to a filled one", "[graph][weights]") {
    memory_fs fs;
    store db("g.db", {}, fs);
    std::map<edge_id, std::uint64_t> expected;
    for (int batch = 0; batch < 3; ++batch) {
        std::vector<node_input> nodes(batch == 0 ? 50 : 0, node_input{.kind = "v"});
        std::vector<bulk_edge_input> edges;
        for (int i = 0; i < 3000; ++i) { // several leaves of the column per batch
            const double w = i % 3 == 0 ? 1.0 : 0.5 + i;
            edges.push_back({.from = batch == 0 ? node_ref::batch(static_cast<std::size_t>(i % 50)) : node_ref::existing(1 + i % 50),
                             .to = batch == 0 ? node_ref::batch(static_cast<std::size_t>(i * 7 % 50)) : node_ref::existing(1 + i * 7 % 50),
                             .type = "t",
                             .properties = R"({"weight": )" + std::to_string(w) + "}"});
        }
        auto tx = db.begin_write();
        const auto done = tx.bulk_insert(nodes, edges);
        tx.commit();
        for (int i = 0; i < 3000; ++i)
            if (i % 3 != 0) expected.emplace(done.first_edge + static_cast<edge_id>(i), bits(0.5 + i));
    }
    REQUIRE(column_of(db) == expected);
    REQUIRE(db.check().ok());
    // snapshot_csr reads the column: its weights are the records' (the
    // store_graph_view reads them from the records, one by one).
    auto r = db.begin_read();
    const auto s = snapshot_csr<store>(r);
    const store_graph_view<store> direct(r);
    double from_snapshot = 0, from_records = 0;
    for (algo::vertex_id v = 0; v < s.graph.vertex_count(); ++v) {
        for (const auto& e : s.graph.out_edges(v)) from_snapshot += e.weight;
        for (const auto& e : direct.out_edges(v)) from_records += e.weight;
    }
    CHECK(from_snapshot == from_records);
    CHECK(from_snapshot > 0);
}

TEST_CASE("check() and snapshot_csr refuse a weight column that disagrees with the records", "[graph][weights]") {
    struct damage {
        const char* what;
        std::function<void(basic_btree<raw_txn, store::weight_params>&, edge_id weighted, edge_id plain)> edit;
        std::string problem;          // check()'s, with {w} / {p} for the edges
        std::string snapshot_message; // empty: snapshot_csr does not see it
    };
    const std::vector<damage> cases = {
        {"a wrong value", [](auto& t, edge_id w, edge_id) { t.upsert(w, bits(9.0)); },
         "edge {w}: the weight column disagrees with its weight property", ""},
        {"an entry lost", [](auto& t, edge_id w, edge_id) { REQUIRE(t.erase(w)); },
         "edge {w}: the weight column disagrees with its weight property", ""},
        {"an entry for an edge of weight 1", [](auto& t, edge_id, edge_id p) { t.insert(p, bits(1.0)); },
         "edge {p}: the weight column disagrees with its weight property", "holds weight 1 for edge {p}"},
        {"an entry for a missing edge", [](auto& t, edge_id, edge_id) { t.insert(99, bits(2.0)); },
         "weight column names missing edge 99", "weight column names edge 99 beyond the last id"},
    };
    for (const auto& d : cases) {
        INFO(d.what);
        memory_fs fs;
        store db("g.db", {}, fs);
        const node_id a = db.insert_node({.kind = "k"}), b = db.insert_node({.kind = "k"});
        const edge_id weighted = db.insert_edge({.from = a, .to = b, .type = "t", .properties = R"({"weight": 3})"});
        const edge_id plain = db.insert_edge({.from = b, .to = a, .type = "t"});
        REQUIRE(db.check().ok());
        {
            auto tx = db.begin_write();
            auto& w = tx.pager_txn();
            basic_btree<raw_txn, store::weight_params> t(w, w.root(graph_detail::root_eweight));
            d.edit(t, weighted, plain);
            if (w.root(graph_detail::root_eweight) != t.root()) w.set_root(graph_detail::root_eweight, t.root());
            tx.commit();
        }
        auto fill = [&](std::string text) {
            for (const auto& [key, id] : {std::pair{"{w}", weighted}, std::pair{"{p}", plain}})
                if (const auto at = text.find(key); at != std::string::npos) text.replace(at, 3, std::to_string(id));
            return text;
        };
        const auto problems = db.check().problems;
        for (const auto& p : problems) UNSCOPED_INFO(p);
        CHECK(std::count(problems.begin(), problems.end(), fill(d.problem)) == 1);
        auto r = db.begin_read();
        if (d.snapshot_message.empty()) {
            CHECK_NOTHROW(snapshot_csr<store>(r));
        } else {
            try {
                (void)snapshot_csr<store>(r);
                FAIL("no error");
            } catch (const error& e) {
                CHECK(e.code() == errc::corruption);
                CHECK(std::string(e.what()).find(fill(d.snapshot_message)) != std::string::npos);
            }
        }
        // Without weights the build does not read the column.
        snapshot_options light;
        light.weights = false;
        CHECK_NOTHROW(snapshot_csr<store>(r, light));
    }
}

TEST_CASE("snapshot_csr names an edge whose weight is not a number", "[graph][weights]") {
    memory_fs fs;
    store db("g.db", {}, fs);
    const node_id a = db.insert_node({.kind = "k"}), b = db.insert_node({.kind = "k"});
    db.insert_edge({.from = a, .to = b, .type = "t", .properties = R"({"weight": 2})"});
    const edge_id odd = db.insert_edge({.from = b, .to = a, .type = "t", .properties = R"({"weight": "heavy"})"});
    REQUIRE(db.check().ok());
    auto r = db.begin_read();
    try {
        (void)snapshot_csr<store>(r);
        FAIL("no error");
    } catch (const error& e) {
        CHECK(e.code() == errc::invalid_argument);
        CHECK(std::string(e.what()).find("edge " + std::to_string(odd) + ": the weight property is not a number") != std::string::npos);
    }
}

TEST_CASE("a file of graph format 2 (no weight column) is refused, naming both formats", "[graph][weights][format]") {
    memory_fs fs;
    {
        store db("g.db", {}, fs);
        db.insert_node({.kind = "k"});
        auto tx = db.begin_write();
        tx.pager_txn().set_root(graph_detail::root_format, 2);
        tx.pager_txn().erase_root(graph_detail::root_eweight);
        tx.commit();
    }
    try {
        store db("g.db", {}, fs);
        FAIL("opened");
    } catch (const error& e) {
        CHECK(e.code() == errc::format_mismatch);
        CHECK(std::string(e.what()).find("has graph format 2, this build reads format 3") != std::string::npos);
        CHECK(std::string(e.what()).find("store_options::upgrade_format") != std::string::npos);
    }
    // Other formats are refused even when an upgrade is asked for.
    {
        store db("g.db", {.upgrade_format = true}, fs);
        CHECK(db.upgraded_from_format() == 2);
        auto tx = db.begin_write();
        tx.pager_txn().set_root(graph_detail::root_format, 1);
        tx.commit();
    }
    try {
        store db("g.db", {.upgrade_format = true}, fs);
        FAIL("opened");
    } catch (const error& e) {
        CHECK(e.code() == errc::format_mismatch);
        CHECK(std::string(e.what()).find("has graph format 1, this build reads format 3") != std::string::npos);
    }
}

namespace {

// A format-2 file made from a current one: the column's pages released and
// its root gone, g.format 2 (what the format-2 build wrote, the same trees
// but g.eweight). 1 KiB pages so that the column the upgrade writes spans
// many pages.
using fault_store = basic_graph_store<fault_fs, page_size<1024>>;
std::map<edge_id, std::uint64_t> make_format2(fault_store& db) {
    std::map<edge_id, std::uint64_t> weights;
    auto tx = db.begin_write();
    std::vector<node_input> nodes(300, node_input{.kind = "k"});
    std::vector<bulk_edge_input> edges;
    for (std::uint32_t i = 0; i < 3000; ++i) {
        const double w = i % 3 == 0 ? 1.0 : 0.5 * i;
        edges.push_back({.from = node_ref::batch(i % 300), .to = node_ref::batch(i * 7 % 300), .type = "t",
                         .properties = "{\"weight\": " + std::to_string(w) + "}"});
        if (w != 1.0) weights.emplace(edge_id{i + 1}, bits(w));
    }
    tx.bulk_insert(nodes, edges);
    auto& t = tx.pager_txn();
    basic_btree<std::remove_reference_t<decltype(t)>, fault_store::weight_params>(t, t.root(graph_detail::root_eweight))
        .destroy();
    t.erase_root(graph_detail::root_eweight);
    t.set_root(graph_detail::root_format, 2);
    tx.commit();
    return weights;
}
} // namespace

TEST_CASE("an upgrade cut by power loss at each write of its commit leaves format 2 or a whole column",
          "[graph][weights][format][crash]") {
    std::size_t mutations = 0;
    std::map<edge_id, std::uint64_t> expected;
    {
        fault_fs fs;
        {
            fault_store db("g.db", {}, fs);
            expected = make_format2(db);
        }
        REQUIRE(fs.mutations() > 0);
        const auto before = fs.mutations();
        fault_store db("g.db", {.upgrade_format = true}, fs);
        REQUIRE(db.upgraded_from_format() == 2);
        mutations = fs.mutations() - before;
        REQUIRE(column_of(db) == expected);
        REQUIRE(db.check().ok());
    }
    REQUIRE(mutations >= 3); // the frames, the log's sync, then more: each a crash point
    std::size_t stayed = 0, upgraded = 0;
    // Step mutations + 1: power lost as soon as the upgrading open returned.
    for (std::uint64_t step = 1; step <= mutations + 1; ++step) {
        for (std::uint64_t seed = 0; seed < 4; ++seed) { // a seed keeps or drops the unsynced writes
            fault_fs fs;
            {
                fault_store db("g.db", {}, fs);
                make_format2(db);
            }
            if (step <= mutations) {
                fs.crash_after(step);
                REQUIRE_THROWS_AS(fault_store("g.db", {.upgrade_format = true}, fs), simulated_crash);
            } else {
                fault_store db("g.db", {.upgrade_format = true}, fs);
                fs.crash_after(1); // nothing after the open reaches the file
            }
            fs.crash(seed);
            INFO("crash at upgrade step " << step << ", seed " << seed);
            if (testing::error_code_of([&] { fault_store db("g.db", {}, fs); }) == errc::format_mismatch) {
                REQUIRE(step <= mutations); // an open that returned has committed
                ++stayed; // still format 2, and upgraded by the next open that asks
                fault_store db("g.db", {.upgrade_format = true}, fs);
                REQUIRE(db.upgraded_from_format() == 2);
            } else {
                ++upgraded;
            }
            fault_store db("g.db", {}, fs);
            REQUIRE(db.upgraded_from_format() == 0);
            REQUIRE(column_of(db) == expected);
            const auto report = db.check();
            for (const auto& problem : report.problems)
                UNSCOPED_INFO(problem);
            REQUIRE(report.ok());
        }
    }
    REQUIRE(stayed > 0);
    REQUIRE(upgraded > 0);
}

// The fixture: 11 nodes and 32 edges written by the last build of format 2
// (tests/data/graph/make_format2.cpp), whose properties cycle through
// weights 2.5, 1, none, "heavy", -3, none, 0 and 1e300.
namespace {
// The fixture's graph once converted: clean, all of it, at graph format 3;
// returns the column it must hold (edge i + 1 has the (i mod 8)-th weight;
// those of 1 or none have no entry).
std::map<edge_id, std::uint64_t> require_converted_fixture(graph_store& db) {
    const auto report = db.check();
    CHECK(report.problems == std::vector<std::string>{});
    CHECK(report.nodes == 11);
    CHECK(report.edges == 32);
    auto r = db.begin_read();
    CHECK(r.pager_txn().root(graph_detail::root_format) == 3);
    const std::optional<std::uint64_t> by_step[8] = {bits(2.5), {}, {}, edge_weights::not_a_number, bits(-3), {}, bits(0),
                                                     bits(1e300)};
    std::map<edge_id, std::uint64_t> expected;
    for (edge_id e = 1; e <= 40; ++e) {
        if (!r.edge_exists(e)) continue;
        if (const auto b = by_step[(e - 1) % 8]) expected.emplace(e, *b);
    }
    CHECK(expected.size() == 20); // of the 32 edges left
    return expected;
}
} // namespace

TEST_CASE("a file written by the format-2 build is upgraded in place only when asked, and loses nothing",
          "[graph][weights][format]") {
    testing::temp_dir dir;
    const std::string path = dir.file("format2.db");
    std::filesystem::copy_file(SQLITEGRAPH_TEST_DATA_DIR "/graph/format2.db", path);
    auto bytes_of = [](const std::string& file) {
        std::ifstream in(file, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string before = bytes_of(path);

    // Refused without the option, the file unchanged.
    CHECK(testing::error_code_of([&] { graph_store db(path); }) == errc::format_mismatch);
    CHECK(bytes_of(path) == before);

    std::map<edge_id, std::uint64_t> expected;
    {
        graph_store db(path, {.upgrade_format = true});
        CHECK(db.upgraded_from_format() == 2);
        expected = require_converted_fixture(db);
        CHECK(column_of(db) == expected);
        // Writes after the upgrade keep the column.
        db.insert_edge({.from = 1, .to = 2, .type = "calls", .properties = R"({"weight": 7})"});
        CHECK(db.check().ok());
    }
    {
        graph_store db(path);
        CHECK(db.upgraded_from_format() == 0);
        CHECK(db.check().ok());
        auto column = column_of(db);
        CHECK(column.size() == expected.size() + 1);
        CHECK(column.rbegin()->second == bits(7));
    }
}

// format2.snapshot: format2.db exported by the format-2 build
// (tests/data/graph/make_format2_snapshot.cpp).
TEST_CASE("a snapshot written by the format-2 build is imported, converted, only when asked", "[graph][weights][format]") {
    testing::temp_dir dir;
    const std::string snapshot = SQLITEGRAPH_TEST_DATA_DIR "/graph/format2.snapshot";
    const std::string target = dir.file("restored.db");
    const auto manifest = read_snapshot_manifest(snapshot);
    REQUIRE(manifest.graph_format == 2);

    // Refused by default, naming the option; nothing is left behind.
    std::string message;
    CHECK(testing::error_code_of([&] { import_snapshot<graph_store>(snapshot, target); }, &message) == errc::format_mismatch);
    CHECK(message.find("snapshot_upgrade::graph_format") != std::string::npos);
    CHECK(!std::filesystem::exists(target));
    CHECK(!std::filesystem::exists(target + ".import-tmp"));

    // Converted when asked: the same graph, with the weight column.
    const auto imported = import_snapshot<graph_store>(snapshot, target, import_mode::create, store_integrity_check<graph_store>{},
                                                      snapshot_upgrade::graph_format);
    CHECK(imported.graph_format == 2); // the manifest as written
    CHECK(!std::filesystem::exists(target + ".import-tmp"));
    graph_store db(target);
    CHECK(db.upgraded_from_format() == 0); // already converted by the import
    const auto expected = require_converted_fixture(db);
    CHECK(column_of(db) == expected);
}

TEST_CASE("a one-edge commit logs one page more with a weight and none more without", "[graph][weights]") {
    memory_fs fs;
    store db("g.db", {}, fs);
    const node_id a = db.insert_node({.kind = "k"}), b = db.insert_node({.kind = "k"});
    // Each tree has a written leaf before the counted commits.
    db.insert_edge({.from = a, .to = b, .type = "t", .properties = R"({"weight": 2})"});
    auto frames = [&] { return db.pager_handle().stats().log_frames; };
    for (int round = 0; round < 5; ++round) {
        INFO("round " << round);
        const auto f0 = frames();
        db.insert_edge({.from = a, .to = b, .type = "t"});
        const auto f1 = frames();
        db.insert_edge({.from = a, .to = b, .type = "t", .properties = R"({"weight": 1})"});
        const auto f2 = frames();
        db.insert_edge({.from = a, .to = b, .type = "t", .properties = R"({"weight": 2.5})"});
        const auto f3 = frames();
        REQUIRE(f1 > f0);
        CHECK(f2 - f1 == f1 - f0);     // weight 1: no column page
        CHECK(f3 - f2 == f1 - f0 + 1); // a weight: the column's leaf
    }
    REQUIRE(db.check().ok());
}
