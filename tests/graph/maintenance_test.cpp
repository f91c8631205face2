// Backup and snapshot export/import (pager/backup.hpp, graph/maintenance.hpp):
// a copy taken while a writer commits holds exactly one snapshot; a snapshot
// round-trips; a damaged, truncated or mismatched snapshot is refused with a
// clear error and the target is left as it was.
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/graph/maintenance.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/pager/backup.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "support/catch.hpp"
#include "support/error_code.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using namespace sqlitegraph;

namespace {

using testing::error_code_of;

template <class Store> bool clean(Store& db) {
    const auto report = db.check();
    for (const auto& p : report.problems)
        UNSCOPED_INFO(p);
    return report.ok();
}

// Every node and edge as text, in id order: two stores hold the same graph
// when these are equal.
template <class Store> std::vector<std::string> dump(Store& db) {
    std::vector<std::string> out;
    auto r = db.begin_read();
    r.for_each_node([&](const node& n) {
        out.push_back("n" + std::to_string(n.id) + " " + n.kind + " " + n.name + " " + n.properties());
    });
    r.for_each_edge([&](const edge& e) {
        out.push_back("e" + std::to_string(e.id) + " " + std::to_string(e.from) + "->" + std::to_string(e.to) + " " +
                      e.type + " " + e.properties());
    });
    return out;
}

// A small graph with deletes, so that the file has free pages.
template <class Store> void fill(Store& db, int nodes) {
    auto tx = db.begin_write();
    std::vector<node_id> ids;
    for (int i = 0; i < nodes; ++i) {
        ids.push_back(tx.insert_node({.kind = i % 2 ? "lib" : "app",
                                      .name = "pkg" + std::to_string(i),
                                      .properties = "{\"version\":" + std::to_string(i) + ",\"pad\":\"" +
                                                    std::string(static_cast<std::size_t>(i % 50), 'x') + "\"}"}));
    }
    for (int i = 1; i < nodes; ++i)
        tx.insert_edge({.from = ids[static_cast<std::size_t>(i)],
                        .to = ids[static_cast<std::size_t>(i / 2)],
                        .type = "depends_on"});
    tx.commit();
    auto erase = db.begin_write();
    for (int i = 3; i < nodes; i += 7)
        erase.erase_node(ids[static_cast<std::size_t>(i)]);
    erase.commit();
}

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

using small_store = basic_graph_store<page_size<1024>, fixed_record_codec>;

} // namespace

TEST_CASE("pager backup while a writer commits holds exactly one snapshot", "[maintenance][concurrency]") {
    using policies = store_policies<page_size<1024>>;
    testing::temp_dir dir;
    const auto source = dir.file("source.db");
    constexpr int slots = 8;
    pager<policies> db(source, {.sync = sync_mode::normal, .checkpoint_threshold_bytes = 64u << 10});

    // Each commit i replaces the page of slot i % 8 by a new page holding i
    // (freeing the old one) and sets root "last" to i.
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> committed{0};
    auto commit_one = [&](std::uint64_t i) {
        auto tx = db.begin_write();
        const auto slot = "p" + std::to_string(i % slots);
        if (const auto old = tx.root(slot); old != 0) tx.release(static_cast<page_id>(old));
        auto page = tx.allocate(page_type::meta);
        store_le<std::uint64_t>(page.data() + page_header_size, i);
        tx.set_root(slot, page.id());
        tx.set_root("last", i);
        tx.commit();
    };
    for (std::uint64_t i = 1; i <= 64; ++i)
        commit_one(i);
    committed = 64;
    std::thread writer([&] {
        for (std::uint64_t i = 65; !stop; ++i) {
            commit_one(i);
            committed = i;
        }
    });
    while (committed < 200)
        std::this_thread::yield();
    backup_result first;
    backup_result second;
    first = backup(db, dir.file("first.db"));
    while (committed < first.change_counter + 300)
        std::this_thread::yield();
    second = backup(db, dir.file("second.db"));
    stop = true;
    writer.join();

    for (const auto& [name, result] : {std::pair{"first.db", first}, std::pair{"second.db", second}}) {
        INFO(name);
        CHECK(result.bytes == std::filesystem::file_size(dir.file(name)));
        CHECK(result.bytes == static_cast<std::uint64_t>(result.page_count) * 1024);
        pager<policies> copy(dir.file(name), {.create_if_missing = false});
        auto r = copy.begin_read();
        const auto last = r.root("last");
        CHECK(r.meta().change_counter == result.change_counter);
        CHECK(last >= 200);
        std::vector<page_id> used;
        for (int s = 0; s < slots; ++s) {
            // The newest commit of slot s at or before `last`.
            const auto expected = last - ((last - static_cast<std::uint64_t>(s) + slots) % slots);
            const auto id = static_cast<page_id>(r.root("p" + std::to_string(s)));
            used.push_back(id);
            CHECK(load_le<std::uint64_t>(r.read(id).data() + page_header_size) == expected);
        }
        r.end();
        const auto report = copy.check(used, true);
        for (const auto& p : report.problems)
            UNSCOPED_INFO(p);
        CHECK(report.ok());
        CHECK(report.free_pages > 0);
    }
    CHECK(second.change_counter > first.change_counter);
}

TEST_CASE("store backup while a writer commits: the copy passes check() and holds one snapshot",
          "[maintenance][concurrency]") {
    testing::temp_dir dir;
    graph_store db(dir.file("live.db"), store_options{.pager = {.sync = sync_mode::normal}});
    const auto counter = db.insert_node({.kind = "meta", .name = "counter", .properties = "{\"n\":0}"});
    fill(db, 200);
    const auto base_nodes = db.node_count();

    // Each transaction adds a node, an edge to the counter and sets the
    // counter's "n" to the number of nodes it has added: in any snapshot,
    // n == added nodes == added edges.
    std::atomic<bool> stop{false};
    std::atomic<int> added{0};
    std::thread writer([&] {
        for (int i = 1; !stop; ++i) {
            auto tx = db.begin_write();
            const auto id = tx.insert_node({.kind = "event", .name = "e" + std::to_string(i)});
            tx.insert_edge({.from = id, .to = counter, .type = "counts"});
            tx.update_node(counter, {.properties = "{\"n\":" + std::to_string(i) + "}"});
            tx.commit();
            added = i;
        }
    });
    while (added < 50)
        std::this_thread::yield();
    const auto result = backup(db, dir.file("copy.db"));
    const int after_backup = added;
    while (added < after_backup + 50)
        std::this_thread::yield();
    stop = true;
    writer.join();

    graph_store copy(dir.file("copy.db"), store_options{.pager = {.create_if_missing = false}});
    CHECK(clean(copy));
    const auto n = copy.get_node(counter)->get<std::int64_t>("n").value();
    CHECK(n >= 50);
    CHECK(copy.node_count() == base_nodes + static_cast<std::uint64_t>(n));
    CHECK(result.nodes == copy.node_count());
    CHECK(result.edges == copy.edge_count());
    {
        auto r = copy.begin_read();
        CHECK(r.nodes_by_name("e" + std::to_string(n)).size() == 1);
        CHECK(r.nodes_by_name("e" + std::to_string(n + 1)).empty());
        CHECK(r.degree(counter, direction::in, {"counts"}) == static_cast<std::uint64_t>(n));
    }
    // The source went on past the snapshot; the copy did not.
    CHECK(db.node_count() > copy.node_count());
    // Everything the copy holds is exactly what the source holds for those ids.
    auto source = dump(db);
    auto copied = dump(copy);
    std::erase_if(
        source, [&](const std::string& line) { return std::find(copied.begin(), copied.end(), line) != copied.end(); });
    CHECK(source.size() + copied.size() == dump(db).size() + 1); // only the counter node differs
}

TEST_CASE("backup refuses an existing target or a stale log beside it", "[maintenance]") {
    testing::temp_dir dir;
    graph_store db(dir.file("a.db"));
    fill(db, 20);
    write_bytes(dir.file("exists.db"), "keep me");
    std::string message;
    CHECK(error_code_of([&] { backup(db, dir.file("exists.db")); }, &message) == errc::invalid_argument);
    CHECK(message.find("exists.db") != std::string::npos);
    CHECK(read_bytes(dir.file("exists.db")) == "keep me");
    write_bytes(dir.file("b.db-wal"), "stale");
    CHECK(error_code_of([&] { backup(db, dir.file("b.db")); }, &message) == errc::invalid_argument);
    CHECK(message.find("b.db-wal") != std::string::npos);
    CHECK(!std::filesystem::exists(dir.file("b.db")));
    CHECK(error_code_of([&] { backup(db, dir.file("no/such/dir/c.db")); }) == errc::not_found);
}

TEST_CASE("snapshot export then import restores the same graph and manifest", "[maintenance][snapshot]") {
    testing::temp_dir dir;
    std::vector<std::string> original;
    snapshot_manifest written;
    {
        small_store db(dir.file("src.db"));
        fill(db, 300);
        original = dump(db);
        written = export_snapshot(db, dir.file("graph.snap"));
        CHECK(written.nodes == db.node_count());
        CHECK(written.edges == db.edge_count());
        CHECK(written.page_size == 1024);
        CHECK(written.record_codec_id == fixed_record_codec::id);
        CHECK(std::filesystem::file_size(dir.file("graph.snap")) == snapshot_header_size + written.content_bytes);
    }
    CHECK(read_snapshot_manifest(dir.file("graph.snap")) == written);
    CHECK(verify_snapshot<small_store>(dir.file("graph.snap")) == written);
    // The header is readable text after 32 bytes.
    CHECK(read_bytes(dir.file("graph.snap")).substr(snapshot_manifest_offset, 33) ==
          "{\"format\":\"sqlitegraph-snapshot\",");

    const auto imported = import_snapshot<small_store>(dir.file("graph.snap"), dir.file("restored.db"));
    CHECK(imported == written);
    CHECK(!std::filesystem::exists(dir.file("restored.db.import-tmp")));
    small_store restored(dir.file("restored.db"), store_options{.pager = {.create_if_missing = false}});
    CHECK(clean(restored));
    CHECK(dump(restored) == original);
    CHECK(restored.stats().free_pages > 0);
    // The restored database is writable like any other.
    const auto id = restored.insert_node({.kind = "app", .name = "after-import"});
    CHECK(restored.get_node(id)->name == "after-import");
}

TEST_CASE("a corrupt snapshot is refused with a clear error and the target is untouched", "[maintenance][snapshot]") {
    testing::temp_dir dir;
    {
        small_store db(dir.file("src.db"));
        fill(db, 200);
        export_snapshot(db, dir.file("good.snap"));
    }
    {
        small_store target(dir.file("target.db"));
        target.insert_node({.kind = "app", .name = "precious"});
    }
    const auto target_bytes = read_bytes(dir.file("target.db"));
    const auto good = read_bytes(dir.file("good.snap"));

    struct damage {
        const char* what;
        std::string bytes;
        errc code;
        const char* says;
    };
    std::vector<damage> cases;
    auto flipped = [&](std::size_t at) {
        auto bytes = good;
        bytes[at] = static_cast<char>(bytes[at] ^ 0x40);
        return bytes;
    };
    cases.push_back(
        {"a byte of a page's body", flipped(snapshot_header_size + 5 * 1024 + 700), errc::corruption, "checksum"});
    cases.push_back({"a byte of the manifest", flipped(snapshot_manifest_offset + 40), errc::corruption,
                     "manifest checksum mismatch"});
    cases.push_back({"the magic", flipped(2), errc::corruption, "not a sqlitegraph snapshot"});
    cases.push_back({"a truncated file", good.substr(0, good.size() - 100), errc::corruption, "truncated"});
    cases.push_back({"an extended file", good + "x", errc::corruption, "extended"});
    cases.push_back({"an empty file", "", errc::corruption, "not a sqlitegraph snapshot"});

    for (const auto& c : cases) {
        INFO(c.what);
        write_bytes(dir.file("bad.snap"), c.bytes);
        std::string message;
        CHECK(error_code_of(
                  [&] {
                      import_snapshot<small_store>(dir.file("bad.snap"), dir.file("target.db"), import_mode::replace);
                  },
                  &message) == c.code);
        INFO(message);
        CHECK(message.find(c.says) != std::string::npos);
        CHECK(message.find("bad.snap") != std::string::npos);
        CHECK(read_bytes(dir.file("target.db")) == target_bytes);
        CHECK(error_code_of([&] { import_snapshot<small_store>(dir.file("bad.snap"), dir.file("fresh.db")); }) ==
              c.code);
        CHECK(!std::filesystem::exists(dir.file("fresh.db")));
        CHECK(!std::filesystem::exists(dir.file("fresh.db.import-tmp")));
        CHECK(!std::filesystem::exists(dir.file("target.db.import-tmp")));
    }
    // A page whose checksum is recomputed after the change passes the page
    // check but not the content checksum of the manifest.
    {
        auto bytes = good;
        const std::size_t at = snapshot_header_size + 3 * 1024;
        bytes[at + 900] = static_cast<char>(bytes[at + 900] ^ 1);
        stamp_page_checksum<crc32c>(reinterpret_cast<std::byte*>(bytes.data() + at), 1024);
        write_bytes(dir.file("bad.snap"), bytes);
        std::string message;
        CHECK(error_code_of(
                  [&] {
                      import_snapshot<small_store>(dir.file("bad.snap"), dir.file("target.db"), import_mode::replace);
                  },
                  &message) == errc::corruption);
        CHECK(message.find("content checksum mismatch") != std::string::npos);
        CHECK(read_bytes(dir.file("target.db")) == target_bytes);
    }
    CHECK(error_code_of([&] { import_snapshot<small_store>(dir.file("missing.snap"), dir.file("x.db")); }) ==
          errc::not_found);
    small_store target(dir.file("target.db"), store_options{.pager = {.create_if_missing = false}});
    CHECK(target.node_count() == 1);
}

TEST_CASE("a snapshot of another format is refused naming both values", "[maintenance][snapshot]") {
    testing::temp_dir dir;
    {
        small_store db(dir.file("small.db"));
        fill(db, 10);
        export_snapshot(db, dir.file("small.snap"));
    }
    std::string message;
    CHECK(error_code_of([&] { import_snapshot<graph_store>(dir.file("small.snap"), dir.file("big.db")); }, &message) ==
          errc::format_mismatch);
    CHECK(message.find("page size 1024") != std::string::npos);
    CHECK(message.find("4096") != std::string::npos);
    CHECK(!std::filesystem::exists(dir.file("big.db")));
    using xxh_store = basic_graph_store<page_size<1024>, fixed_record_codec, xxh3_64>;
    CHECK(error_code_of([&] { verify_snapshot<xxh_store>(dir.file("small.snap")); }, &message) ==
          errc::format_mismatch);
    CHECK(message.find("crc32c") != std::string::npos);
    CHECK(message.find("xxh3_64") != std::string::npos);
}

TEST_CASE("import replaces a database, discarding its log, and refuses while it is open", "[maintenance][snapshot]") {
    testing::temp_dir dir;
    std::vector<std::string> snapshot_graph;
    {
        graph_store db(dir.file("src.db"));
        fill(db, 100);
        snapshot_graph = dump(db);
        export_snapshot(db, dir.file("g.snap"));
    }
    // A database whose latest commits live only in its log (copied while
    // open, as a crash would leave it).
    {
        graph_store old(dir.file("old.db"), store_options{.pager = {.checkpoint_threshold_bytes = 0}});
        fill(old, 30);
        old.insert_node({.kind = "x", .name = "only-in-the-log"});
        std::filesystem::copy_file(dir.file("old.db"), dir.file("crashed.db"));
        std::filesystem::copy_file(dir.file("old.db-wal"), dir.file("crashed.db-wal"));
        std::filesystem::copy_file(dir.file("old.db"), dir.file("busy.db"));
        std::filesystem::copy_file(dir.file("old.db-wal"), dir.file("busy.db-wal"));
    }
    CHECK(std::filesystem::file_size(dir.file("crashed.db-wal")) > 4096);
    std::string message;
    CHECK(error_code_of([&] { import_snapshot<graph_store>(dir.file("g.snap"), dir.file("crashed.db")); }, &message) ==
          errc::invalid_argument);
    CHECK(message.find("already exists") != std::string::npos);
    {
        graph_store open(dir.file("busy.db"));
        CHECK(open.begin_read().nodes_by_name("only-in-the-log").size() == 1);
        CHECK(error_code_of([&] {
                  import_snapshot<graph_store>(dir.file("g.snap"), dir.file("busy.db"), import_mode::replace);
              }) == errc::busy);
        CHECK(open.begin_read().nodes_by_name("only-in-the-log").size() == 1);
    }
    import_snapshot<graph_store>(dir.file("g.snap"), dir.file("crashed.db"), import_mode::replace);
    graph_store restored(dir.file("crashed.db"), store_options{.pager = {.create_if_missing = false}});
    CHECK(clean(restored));
    CHECK(dump(restored) == snapshot_graph);
    CHECK(restored.begin_read().nodes_by_name("only-in-the-log").empty());
}

TEST_CASE("export refuses an existing file", "[maintenance][snapshot]") {
    testing::temp_dir dir;
    graph_store db(dir.file("a.db"));
    write_bytes(dir.file("out.snap"), "keep");
    CHECK(error_code_of([&] { export_snapshot(db, dir.file("out.snap")); }) == errc::invalid_argument);
    CHECK(read_bytes(dir.file("out.snap")) == "keep");
}

TEST_CASE("import runs the integrity check it is given; pages the store does not know fail the default one",
          "[maintenance][snapshot]") {
    testing::temp_dir dir;
    page_id extra = 0;
    {
        graph_store db(dir.file("src.db"));
        fill(db, 40);
        // A page of another layer in the same file, named by a root.
        auto tx = db.pager_handle().begin_write();
        extra = tx.allocate(page_type::meta).id();
        tx.set_root("x.extra", extra);
        tx.commit();
        export_snapshot(db, dir.file("g.snap"));
    }
    std::string message;
    CHECK(error_code_of([&] { import_snapshot<graph_store>(dir.file("g.snap"), dir.file("a.db")); }, &message) ==
          errc::corruption);
    CHECK(message.find("fails the integrity check") != std::string::npos);
    CHECK(message.find("page " + std::to_string(extra)) != std::string::npos);
    CHECK(!std::filesystem::exists(dir.file("a.db")));
    CHECK(!std::filesystem::exists(dir.file("a.db.import-tmp")));

    // A check that accounts for the extra page accepts the same snapshot.
    auto accounting = [&](const std::string& path) {
        graph_store restored(path, store_options{.pager = {.create_if_missing = false}});
        graph_check_report report;
        std::vector<page_id> pages;
        {
            auto r = restored.begin_read();
            r.check_into(report, pages);
        }
        pages.push_back(extra);
        const auto pr = restored.pager_handle().check(pages, true);
        report.problems.insert(report.problems.end(), pr.problems.begin(), pr.problems.end());
        return report;
    };
    const auto manifest =
        import_snapshot<graph_store>(dir.file("g.snap"), dir.file("a.db"), import_mode::create, accounting);
    graph_store restored(dir.file("a.db"), store_options{.pager = {.create_if_missing = false}});
    CHECK(restored.node_count() == manifest.nodes);
    CHECK(restored.pager_handle().begin_read().root("x.extra") == extra);
}
