// examples/cli/demo_command.hpp — `sqlitegraph demo`: the main job in one
// command. Builds a database from a small software dependency graph embedded
// below (deterministic: the same file contents on every run), then shows
// lookups, neighbours, a traversal, a shortest path and a two-step query,
// checks integrity, closes the database and reopens it.
#pragma once

#include "database.hpp"
#include "options.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace sqlitegraph::cli {

namespace demo_data {

struct package {
    std::string_view key;
    std::string_view version;
    std::string_view license;
    int downloads; // thousands per week
    std::string_view description;
};

struct dependency {
    std::string_view from;
    std::string_view to;
    std::string_view range; // semver range; "dev" marks a test-only dependency
};

struct maintainer {
    std::string_view key;
    std::string_view full_name;
    std::string_view country;
};

// A fictional package ecosystem: three applications on top of libraries of
// increasing generality, down to a platform shim everything reaches.
inline constexpr package packages[] = {
    {"web-shop", "3.2.0", "MIT", 12, "online shop: catalogue, cart, checkout"},
    {"api-gateway", "1.8.4", "Apache-2.0", 48, "routes and rate-limits API traffic"},
    {"deploy-cli", "0.9.1", "MIT", 7, "command-line deployment tool"},
    {"http-server", "2.4.1", "MIT", 910, "HTTP/1.1 and HTTP/2 server"},
    {"http-client", "2.2.0", "MIT", 1430, "HTTP client with connection reuse"},
    {"router", "1.6.0", "MIT", 620, "URL routing with path parameters"},
    {"template-engine", "4.0.2", "BSD-3-Clause", 310, "HTML templates with auto-escaping"},
    {"orm", "5.1.0", "Apache-2.0", 280, "object-relational mapper"},
    {"db-driver", "3.3.3", "Apache-2.0", 540, "wire protocol driver for SQL databases"},
    {"connection-pool", "1.2.5", "MIT", 600, "bounded pool of reusable connections"},
    {"cache", "2.0.0", "MIT", 450, "in-memory cache with TTL"},
    {"rate-limiter", "0.7.2", "MIT", 95, "token bucket rate limiting"},
    {"auth", "2.9.0", "Apache-2.0", 330, "sessions, tokens and password hashing"},
    {"tls", "1.11.0", "Apache-2.0", 2100, "TLS 1.3 client and server"},
    {"crypto", "3.0.4", "Apache-2.0", 2600, "hashes, ciphers, signatures"},
    {"compression", "1.5.1", "BSD-3-Clause", 1900, "gzip and zstd streams"},
    {"json", "3.11.2", "MIT", 5200, "JSON parser and writer"},
    {"yaml", "0.8.0", "MIT", 700, "YAML 1.2 parser"},
    {"config", "2.3.0", "MIT", 810, "layered configuration files"},
    {"logging", "1.9.3", "MIT", 4100, "structured logging"},
    {"metrics", "0.21.0", "Apache-2.0", 760, "counters, gauges, histograms"},
    {"tracing", "0.12.4", "Apache-2.0", 690, "distributed tracing spans"},
    {"async-runtime", "1.30.0", "MIT", 3300, "tasks, timers and async I/O"},
    {"event-loop", "0.9.6", "MIT", 3000, "epoll/kqueue event loop"},
    {"thread-pool", "1.4.0", "MIT", 1700, "work-stealing thread pool"},
    {"argparse", "2.1.0", "MIT", 980, "command-line argument parsing"},
    {"datetime", "0.4.31", "MIT", 2500, "dates, times and time zones"},
    {"uuid", "1.3.0", "MIT", 1800, "UUID generation and parsing"},
    {"utf8", "1.0.7", "MIT", 3900, "UTF-8 validation and iteration"},
    {"string-utils", "0.6.0", "MIT", 2700, "string building and formatting"},
    {"platform", "0.2.150", "MIT", 9000, "operating-system shim (files, sockets, clocks)"},
    {"test-harness", "1.0.0", "MIT", 1500, "unit test runner"},
    {"mock-server", "0.3.0", "MIT", 120, "HTTP mock server for tests"},
};

inline constexpr dependency dependencies[] = {
    {"web-shop", "http-server", "^2.4"},
    {"web-shop", "router", "^1.6"},
    {"web-shop", "template-engine", "^4.0"},
    {"web-shop", "orm", "^5.0"},
    {"web-shop", "auth", "^2.9"},
    {"web-shop", "cache", "^2.0"},
    {"web-shop", "config", "^2.3"},
    {"web-shop", "test-harness", "dev"},
    {"web-shop", "mock-server", "dev"},
    {"api-gateway", "http-server", "^2.4"},
    {"api-gateway", "http-client", "^2.2"},
    {"api-gateway", "router", "^1.6"},
    {"api-gateway", "rate-limiter", "^0.7"},
    {"api-gateway", "auth", "^2.9"},
    {"api-gateway", "metrics", "^0.21"},
    {"api-gateway", "tracing", "^0.12"},
    {"api-gateway", "test-harness", "dev"},
    {"deploy-cli", "http-client", "^2.2"},
    {"deploy-cli", "argparse", "^2.1"},
    {"deploy-cli", "yaml", "^0.8"},
    {"deploy-cli", "logging", "^1.9"},
    {"http-server", "async-runtime", "^1.30"},
    {"http-server", "tls", "^1.11"},
    {"http-server", "compression", "^1.5"},
    {"http-server", "logging", "^1.9"},
    {"http-client", "async-runtime", "^1.30"},
    {"http-client", "tls", "^1.11"},
    {"http-client", "compression", "^1.5"},
    {"http-client", "json", "^3.11"},
    {"router", "string-utils", "^0.6"},
    {"router", "utf8", "^1.0"},
    {"template-engine", "string-utils", "^0.6"},
    {"template-engine", "utf8", "^1.0"},
    {"orm", "db-driver", "^3.3"},
    {"orm", "connection-pool", "^1.2"},
    {"orm", "datetime", "^0.4"},
    {"orm", "uuid", "^1.3"},
    {"db-driver", "tls", "^1.11"},
    {"db-driver", "async-runtime", "^1.30"},
    {"connection-pool", "async-runtime", "^1.30"},
    {"connection-pool", "metrics", "^0.21"},
    {"cache", "datetime", "^0.4"},
    {"rate-limiter", "cache", "^2.0"},
    {"rate-limiter", "datetime", "^0.4"},
    {"auth", "crypto", "^3.0"},
    {"auth", "uuid", "^1.3"},
    {"auth", "json", "^3.11"},
    {"auth", "datetime", "^0.4"},
    {"tls", "crypto", "^3.0"},
    {"tls", "platform", "^0.2"},
    {"crypto", "platform", "^0.2"},
    {"compression", "platform", "^0.2"},
    {"json", "utf8", "^1.0"},
    {"yaml", "utf8", "^1.0"},
    {"config", "yaml", "^0.8"},
    {"config", "json", "^3.11"},
    {"logging", "datetime", "^0.4"},
    {"logging", "json", "^3.11"},
    {"metrics", "thread-pool", "^1.4"},
    {"tracing", "uuid", "^1.3"},
    {"tracing", "metrics", "^0.21"},
    {"async-runtime", "event-loop", "^0.9"},
    {"async-runtime", "thread-pool", "^1.4"},
    {"event-loop", "platform", "^0.2"},
    {"thread-pool", "platform", "^0.2"},
    {"datetime", "platform", "^0.2"},
    {"uuid", "crypto", "^3.0"},
    {"string-utils", "utf8", "^1.0"},
    {"argparse", "string-utils", "^0.6"},
    {"test-harness", "string-utils", "^0.6"},
    {"mock-server", "http-server", "^2.4"},
};

inline constexpr maintainer maintainers[] = {
    {"alice", "Alice Moreau", "FR"}, {"bongani", "Bongani Dlamini", "ZA"}, {"chen", "Chen Wei", "CN"},
    {"dana", "Dana Kowalski", "PL"}, {"emeka", "Emeka Obi", "NG"},         {"freya", "Freya Lund", "SE"},
};

inline constexpr dependency maintains[] = {
    {"alice", "web-shop", ""},       {"alice", "template-engine", ""},
    {"alice", "router", ""},         {"bongani", "api-gateway", ""},
    {"bongani", "rate-limiter", ""}, {"bongani", "metrics", ""},
    {"bongani", "tracing", ""},      {"chen", "http-server", ""},
    {"chen", "http-client", ""},     {"chen", "async-runtime", ""},
    {"chen", "event-loop", ""},      {"dana", "orm", ""},
    {"dana", "db-driver", ""},       {"dana", "connection-pool", ""},
    {"dana", "cache", ""},           {"emeka", "tls", ""},
    {"emeka", "crypto", ""},         {"emeka", "auth", ""},
    {"emeka", "uuid", ""},           {"freya", "json", ""},
    {"freya", "yaml", ""},           {"freya", "utf8", ""},
    {"freya", "string-utils", ""},   {"freya", "platform", ""},
    {"freya", "logging", ""},        {"freya", "datetime", ""},
    {"freya", "config", ""},         {"alice", "deploy-cli", ""},
    {"alice", "argparse", ""},       {"chen", "thread-pool", ""},
    {"chen", "compression", ""},     {"dana", "test-harness", ""},
    {"dana", "mock-server", ""},
};

} // namespace demo_data

namespace demo_detail {

inline std::string json_text(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// Loads the embedded dataset in one transaction; returns the key -> id map.
inline std::map<std::string, node_id, std::less<>> load(database& db) {
    using namespace demo_data;
    std::map<std::string, node_id, std::less<>> ids;
    auto tx = db.store().begin_write();
    key_writer keys(tx);
    for (const auto& p : packages) {
        const std::string props = "{\"version\":" + json_text(p.version) + ",\"license\":" + json_text(p.license) +
                                  ",\"weekly_downloads_k\":" + std::to_string(p.downloads) +
                                  ",\"description\":" + json_text(p.description) + "}";
        ids.emplace(std::string(p.key),
                    keys.create(p.key, {.kind = "package", .name = std::string(p.key), .properties = props}));
    }
    for (const auto& m : maintainers) {
        const std::string props =
            "{\"full_name\":" + json_text(m.full_name) + ",\"country\":" + json_text(m.country) + "}";
        ids.emplace(std::string(m.key),
                    keys.create(m.key, {.kind = "maintainer", .name = std::string(m.key), .properties = props}));
    }
    for (const auto& d : dependencies) {
        const bool dev = d.range == "dev";
        tx.insert_edge({.from = ids.at(std::string(d.from)),
                        .to = ids.at(std::string(d.to)),
                        .type = dev ? "dev_depends_on" : "depends_on",
                        .properties = dev ? "{}" : "{\"range\":" + json_text(d.range) + "}"});
    }
    for (const auto& m : maintains)
        tx.insert_edge({.from = ids.at(std::string(m.from)), .to = ids.at(std::string(m.to)), .type = "maintains"});
    tx.commit();
    return ids;
}

template <class Reader> std::string names(Reader& r, const std::vector<node_id>& ids) {
    std::vector<std::string> out;
    for (const auto id : ids)
        out.push_back(r.get_node(id)->name);
    std::sort(out.begin(), out.end());
    std::string text;
    for (const auto& n : out)
        text += (text.empty() ? "" : ", ") + n;
    return text;
}

inline std::string pad(std::string s, std::size_t width) {
    if (s.size() < width) s.resize(width, ' ');
    return s;
}

// Wraps a comma-separated list at about 76 columns with an indent.
inline std::string wrap(const std::string& text, std::size_t indent) {
    std::string out;
    std::size_t column = indent;
    std::istringstream words(text);
    std::string word;
    while (words >> word) {
        if (column + word.size() + 1 > 78 && column > indent) {
            out += "\n" + std::string(indent, ' ');
            column = indent;
        } else if (!out.empty()) {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
    }
    return out;
}

} // namespace demo_detail

inline int demo_command(const std::vector<std::string>& args) {
    static const command_spec spec{
        "demo",
        "[--db PATH]",
        "Creates a database from a built-in software dependency graph (33 packages, 6 maintainers,\n"
        "104 edges), then runs lookups, neighbours, a traversal, a shortest path and a two-step query,\n"
        "checks integrity, closes and reopens it. Without --db it works in a temporary directory\n"
        "and removes it; with --db the database (which must not exist) is kept for other commands.",
        {{"db", "PATH", "keep the demo database here (must not exist)", ""}},
    };
    return run_command(spec, args, [&](parsed_args& a) {
        namespace fs = std::filesystem;
        using clock = std::chrono::steady_clock;
        using demo_detail::names;
        using demo_detail::pad;
        using demo_detail::wrap;

        const bool keep = a.has("db");
        fs::path scratch;
        std::string path;
        if (keep) {
            path = a.get("db");
            if (fs::exists(path))
                fail(errc::invalid_argument, "'" + path + "' exists; the demo creates a new database");
        } else {
            scratch = fs::temp_directory_path() / ("sqlitegraph-demo-" + std::to_string(::getpid()));
            fs::remove_all(scratch);
            fs::create_directories(scratch);
            path = (scratch / "demo.db").string();
        }
        struct cleanup {
            fs::path dir;
            ~cleanup() {
                std::error_code ignored;
                if (!dir.empty()) fs::remove_all(dir, ignored);
            }
        } remove_scratch{scratch};

        auto& out = std::cout;
        const auto rule = std::string(72, '-');
        out << "sqlitegraph demo: a software dependency graph\n" << rule << "\n";

        // ---- 1. create ------------------------------------------------------------
        auto db = std::make_unique<database>(path, true);
        const auto t0 = clock::now();
        const auto ids = demo_detail::load(*db);
        const auto load_us = std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - t0).count();
        auto id = [&](std::string_view key) { return ids.find(key)->second; };
        {
            const auto s = db->stats();
            out << "1. Created " << (keep ? path : "a database in a temporary directory") << "\n"
                << "   " << std::size(demo_data::packages) << " packages and " << std::size(demo_data::maintainers)
                << " maintainers (" << s.nodes << " nodes), " << s.edges << " edges, in one transaction of "
                << load_us / 1000 << "." << std::setw(3) << std::setfill('0') << load_us % 1000 << std::setfill(' ')
                << " ms (durable commit included)\n\n";
        }

        auto r = db->store().begin_read();

        // ---- 2. lookups -------------------------------------------------------------
        out << "2. Lookups\n";
        {
            const auto n = r.get_node(id("http-server")).value();
            out << "   by key 'http-server':  node " << n.id << ", kind " << n.kind << ", version "
                << n.get<std::string>("version").value_or("?") << ", license "
                << n.get<std::string>("license").value_or("?") << ",\n"
                << "                          " << n.get<std::int64_t>("weekly_downloads_k").value_or(0)
                << " K downloads/week, \"" << n.get<std::string>("description").value_or("") << "\"\n";
            out << "   names starting 'http': " << names(r, r.nodes_by_name_prefix("http")) << "\n";
            const auto people = r.nodes_by_kind("maintainer");
            out << "   kind 'maintainer':     " << people.size() << " nodes: " << names(r, people) << "\n";
            const auto freya = r.get_node(id("freya")).value();
            out << "   by key 'freya':        " << freya.get<std::string>("full_name").value_or("") << " ("
                << freya.get<std::string>("country").value_or("") << ")\n\n";
        }

        // ---- 3. neighbours ----------------------------------------------------------
        out << "3. Neighbours\n";
        {
            out << "   web-shop depends on:\n";
            for (const auto& nb : r.neighbors(id("web-shop"), direction::out, {"depends_on", "dev_depends_on"})) {
                const auto e = r.get_edge(nb.edge).value();
                out << "     -> " << pad(r.get_node(nb.node)->name, 18) << pad(nb.type, 16)
                    << e.get<std::string>("range").value_or("") << "\n";
            }
            std::vector<node_id> users;
            for (const auto& nb : r.neighbors(id("tls"), direction::in, {"depends_on"}))
                users.push_back(nb.node);
            out << "   tls is used directly by: " << names(r, users) << "\n";
            std::vector<node_id> owners;
            for (const auto& nb : r.neighbors(id("tls"), direction::in, {"maintains"}))
                owners.push_back(nb.node);
            out << "   tls is maintained by: " << names(r, owners) << "\n\n";
        }

        // ---- 4. traversal -------------------------------------------------------------
        out << "4. Traversal: everything web-shop needs at run time (breadth-first over depends_on)\n";
        {
            const auto visit = r.bfs(id("web-shop"), 16, direction::out, {"depends_on"});
            std::map<std::uint32_t, std::vector<node_id>> by_depth;
            for (const auto& e : visit) {
                if (e.depth > 0) by_depth[e.depth].push_back(e.node);
            }
            for (const auto& [depth, level] : by_depth) {
                const auto label = "depth " + std::to_string(depth) + " (" + std::to_string(level.size()) + "):";
                out << "   " << pad(label, 15) << wrap(names(r, level), 18) << "\n";
            }
            out << "   " << visit.size() - 1 << " packages in total; within 2 hops: "
                << r.k_hop(id("web-shop"), 2, direction::out, {"depends_on"}).size() << "\n";
            const auto dependents = r.bfs(id("platform"), 16, direction::in, {"depends_on", "dev_depends_on"});
            out << "   a bug in 'platform' reaches " << dependents.size() - 1 << " of "
                << std::size(demo_data::packages) - 1 << " other packages (reverse traversal)\n\n";
        }

        // ---- 5. shortest path ---------------------------------------------------------
        out << "5. Shortest path: how does deploy-cli reach crypto?\n";
        {
            const auto path_ids = r.shortest_path(id("deploy-cli"), id("crypto"), direction::out, {"depends_on"});
            if (!path_ids) {
                out << "   unreachable\n\n";
            } else {
                out << "   ";
                for (std::size_t i = 0; i < path_ids->size(); ++i)
                    out << (i ? " -> " : "") << r.get_node((*path_ids)[i])->name;
                out << "   (" << path_ids->size() - 1 << " hops)\n";
                const auto none = r.shortest_path(id("crypto"), id("deploy-cli"), direction::out, {"depends_on"});
                out << "   and back from crypto to deploy-cli: "
                    << (none ? "a path" : "no path (dependencies point one way)") << "\n\n";
            }
        }

        // ---- 6. a two-step query -------------------------------------------------------
        out << "6. Who to ask: maintainers of api-gateway's direct dependencies (two steps)\n";
        {
            const auto people = r.chain(id("api-gateway"), {{direction::out, {"depends_on"}, "package"},
                                                            {direction::in, {"maintains"}, "maintainer"}});
            out << "   " << names(r, people) << "\n\n";
        }
        r.end();

        // ---- 7. check, close, reopen ----------------------------------------------------
        out << "7. Integrity check, close, reopen\n";
        {
            const auto report = db->check();
            if (!report.ok()) {
                for (const auto& p : report.problems)
                    std::cerr << path << ": " << p << "\n";
                fail(errc::corruption, "the demo database fails its integrity check");
            }
            out << "   check: ok (" << report.nodes << " nodes, " << report.edges << " edges, " << report.pages
                << " pages)\n";
            const auto before = db->stats();
            db.reset(); // closes: checkpoints the log into the file
            database again(path, false);
            const auto after = again.stats();
            if (after.nodes != before.nodes || after.edges != before.edges)
                fail(errc::corruption, "the reopened demo database lost data");
            out << "   closed and reopened: " << after.nodes << " nodes, " << after.edges << " edges, "
                << fs::file_size(path) << " bytes on disk\n";
        }
        out << rule << "\n";
        if (keep) {
            out << "Kept " << path << ". Try:\n"
                << "  sqlitegraph neighbors --db " << path << " web-shop\n"
                << "  sqlitegraph algo pagerank --db " << path << "\n"
                << "  sqlitegraph backup --db " << path << " --out copy.db\n";
        } else {
            out << "Done; the temporary database was removed (keep one with --db PATH).\n";
        }
        return 0;
    });
}

} // namespace sqlitegraph::cli
