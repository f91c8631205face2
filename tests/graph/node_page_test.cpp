// NodePage codecs (codec/node_page_codec.hpp) on their own, and the store's
// node pages (graph/node_pages.hpp) under splits, overflow records and
// erases, with each codec.
#include "graph/graph_stores.hpp"
#include "sqlitegraph/codec/node_page_codec.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/graph/node_pages.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "support/catch.hpp"

#include <array>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace sqlitegraph;
using testing::error_code_of;

namespace {
constexpr std::size_t page = 4096;

// A page image with the pager's header bytes for type and id.
std::array<std::byte, page> blank_page() {
    std::array<std::byte, page> p{};
    p[page_type_offset] = std::byte{static_cast<std::uint8_t>(page_type::node_page)};
    p[page_id_offset] = std::byte{7};
    return p;
}
} // namespace

TEMPLATE_TEST_CASE("node page codecs round-trip records and find each by id", "[graph][node_page]",
                   delta_node_page_codec, slotted_node_page_codec) {
    std::mt19937_64 rng(31);
    for (int round = 0; round < 100; ++round) {
        std::vector<std::string> texts;
        std::vector<node_slot> recs;
        const std::uint64_t base = rng() % 100000 + 1;
        std::uint64_t id = base + rng() % 3;
        std::size_t n = rng() % 60 + 1;
        texts.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            texts.push_back(std::string(rng() % 50, static_cast<char>('a' + i % 26)));
            recs.push_back({id, texts.back()});
            id += 1 + rng() % (i % 7 == 0 ? 300 : 2);
        }
        REQUIRE(TestType::encoded_size(recs, base) <= node_page_detail::capacity(page));
        auto p = blank_page();
        TestType::encode(recs, base, p.data(), page);
        std::vector<node_slot> back;
        TestType::decode(p.data(), page, back);
        REQUIRE(back.size() == recs.size());
        for (std::size_t i = 0; i < recs.size(); ++i) {
            REQUIRE(back[i].id == recs[i].id);
            REQUIRE(back[i].bytes == recs[i].bytes);
            REQUIRE(TestType::find(p.data(), page, recs[i].id) == std::optional<std::string_view>(recs[i].bytes));
        }
        REQUIRE_FALSE(TestType::find(p.data(), page, base - 1).has_value());
        REQUIRE_FALSE(TestType::find(p.data(), page, id + 5).has_value());
    }
}

TEMPLATE_TEST_CASE("node page decoders report damaged pages as corruption", "[graph][node_page]", delta_node_page_codec,
                   slotted_node_page_codec) {
    std::vector<std::string> texts{"alpha", "beta", "gamma"};
    std::vector<node_slot> recs{{10, texts[0]}, {11, texts[1]}, {15, texts[2]}};
    auto good = blank_page();
    TestType::encode(recs, 10, good.data(), page);
    std::vector<node_slot> out;
    // Too many records, bytes used past the page, every single-byte flip of the records area.
    auto p = good;
    p[node_page_detail::count_offset] = std::byte{200};
    REQUIRE(error_code_of([&] { TestType::decode(p.data(), page, out); }) == errc::corruption);
    p = good;
    p[node_page_detail::used_offset + 2] = std::byte{1};
    REQUIRE(error_code_of([&] { TestType::decode(p.data(), page, out); }) == errc::corruption);
    std::mt19937_64 rng(32);
    for (int i = 0; i < 3000; ++i) {
        p = good;
        p[node_page_detail::records_offset + rng() % 40] = static_cast<std::byte>(rng());
        out.clear();
        try {
            TestType::decode(p.data(), page, out);
            for (std::size_t j = 1; j < out.size(); ++j)
                REQUIRE(out[j - 1].id < out[j].id);
        } catch (const error& e) {
            REQUIRE(e.code() == errc::corruption);
        }
    }
}

TEMPLATE_TEST_CASE("node pages split, hold overflow records and release emptied pages", "[graph][node_page]",
                   testing::store_varint_4k, testing::store_fixed_4k, testing::store_varint_1k,
                   testing::store_fixed_1k) {
    memory_fs fs;
    TestType db("g.db", {}, fs);
    std::mt19937_64 rng(33);
    std::map<node_id, std::string> model; // id -> name
    {
        auto tx = db.begin_write();
        for (int i = 0; i < 3000; ++i) {
            // Some names are long enough to go to overflow with 1 KiB pages.
            const std::string name = "n" + std::to_string(i) + std::string(i % 97 == 0 ? 200 : rng() % 20, 'x');
            const auto big = i % 101 == 0 ? R"({"blob": ")" + std::string(3000, 'b') + "\"}" : std::string();
            model[tx.insert_node({.kind = "k", .name = name, .properties = big})] = name;
        }
        // Updates that grow records in the middle of full pages, then erases.
        for (int i = 0; i < 800; ++i) {
            const node_id id = rng() % 3000 + 1;
            const std::string name = std::string(rng() % 60, 'u') + std::to_string(id);
            tx.update_node(id, {.name = name});
            model[id] = name;
        }
        for (int i = 0; i < 1500; ++i) {
            const node_id id = rng() % 3000 + 1;
            if (model.erase(id)) tx.erase_node(id);
        }
        tx.commit();
    }
    auto r = db.begin_read();
    const auto all = r.nodes();
    REQUIRE(all.size() == model.size());
    auto it = model.begin();
    for (const auto& n : all) {
        REQUIRE(n.id == it->first);
        REQUIRE(n.name == it->second);
        REQUIRE(r.get_node(n.id)->name == it->second);
        ++it;
    }
    REQUIRE(r.nodes_in_range(100, 200).size() ==
            static_cast<std::size_t>(std::distance(model.lower_bound(100), model.lower_bound(200))));
    if (model.count(101) == 0) REQUIRE_FALSE(r.node_exists(101));
    {
        // missing_of: the ids of a sorted list without a record, one pass
        // over the pages, against the model; 0 and ids past the last too.
        auto& t = r.pager_txn();
        node_pages<std::remove_reference_t<decltype(t)>, typename TestType::page_codec, TestType::page_bytes> pages(
            t, t.root(graph_detail::root_nodes));
        for (const std::uint64_t stride : {1u, 3u, 250u}) {
            std::vector<std::uint64_t> ask, expected;
            for (std::uint64_t id = stride == 1 ? 0 : rng() % stride; id <= 3010; id += stride) {
                ask.push_back(id);
                if (!model.contains(id)) expected.push_back(id);
            }
            REQUIRE(expected.size() > 0);
            REQUIRE(expected.size() < ask.size());
            REQUIRE(pages.missing_of(ask) == expected);
        }
        REQUIRE(pages.missing_of({}).empty());
    }
    r.end();
    const auto report = db.check();
    for (const auto& p : report.problems)
        UNSCOPED_INFO(p);
    REQUIRE(report.ok());
    // Erase everything: every node page goes back to the free list.
    {
        auto tx = db.begin_write();
        for (const auto& [id, name] : model)
            tx.erase_node(id);
        tx.commit();
    }
    REQUIRE(db.node_count() == 0);
    REQUIRE(db.check().ok());
}

TEST_CASE("opening a file with another node page codec fails with format_mismatch", "[graph][node_page]") {
    memory_fs fs;
    { basic_graph_store<memory_fs> db("g.db", {}, fs); }
    REQUIRE(error_code_of([&] { basic_graph_store<memory_fs, slotted_node_page_codec> db("g.db", {}, fs); }) ==
            errc::format_mismatch);
}
