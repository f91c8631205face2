// examples/cli/vector_command.hpp — `sqlitegraph vector create|insert|search|
// delete|stats`: named HNSW indexes stored in the graph database
// (graph/vector_index.hpp), keyed by the nodes' external keys.
//
// Formats (../shared/CLI.md, "Vectors"): V.csv and Q.csv have no header, each
// row `key,x0,x1,...`; search prints `query,rank,key,distance`. Every change
// is one write transaction, and every row is checked (dimension, numbers,
// finite, not zero under cosine, key not already in the index) before the
// transaction writes anything, so a refused file leaves the database as it
// was and the message names FILE:LINE and the key.
#pragma once

#include "csv.hpp"
#include "database.hpp"
#include "options.hpp"

#include "sqlitegraph/graph/vector_index.hpp"
#include "sqlitegraph/vector/params.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sqlitegraph::cli {

namespace vector_cli {

using vectors_type = graph_vectors<store_type>;

inline option_def index_option() { return {"index", "NAME", "the vector index", ""}; }

// Rows of a `key,x0,x1,...` file, checked against the index's dimension.
struct vector_rows {
    std::vector<std::string> keys;
    std::vector<std::uint64_t> lines;
    std::vector<float> values; // keys.size() * dim
};

inline vector_rows read_rows(const std::string& path, std::size_t dim, vector::metric metric, const char* what) {
    csv_reader in(path);
    vector_rows out;
    std::vector<csv_field> row;
    while (in.next(row)) {
        if (row.size() == 1 && row[0].text.empty() && !row[0].quoted) continue; // blank line
        const std::string& key = row[0].text;
        if (key.empty()) fail(errc::invalid_argument, in.where() + "empty " + std::string(what) + " key");
        if (row.size() - 1 != dim)
            fail(errc::invalid_argument, in.where() + std::string(what) + " '" + key + "' has " +
                                             std::to_string(row.size() - 1) + " components, the index has dimension " +
                                             std::to_string(dim));
        double norm = 0;
        for (std::size_t i = 1; i < row.size(); ++i) {
            const std::string& t = row[i].text;
            float v = 0;
            const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
            if (ec != std::errc() || p != t.data() + t.size() || t.empty())
                fail(errc::invalid_argument, in.where() + std::string(what) + " '" + key + "': component " +
                                                 std::to_string(i - 1) + " is not a number: '" + t + "'");
            if (!std::isfinite(v))
                fail(errc::invalid_argument, in.where() + std::string(what) + " '" + key + "': component " +
                                                 std::to_string(i - 1) + " is " + (std::isnan(v) ? "NaN" : "infinite"));
            norm += static_cast<double>(v) * v;
            out.values.push_back(v);
        }
        if (metric == vector::metric::cosine && norm == 0)
            fail(errc::invalid_argument, in.where() + std::string(what) + " '" + key +
                                             "' is a zero vector, which has no direction under the cosine metric");
        out.keys.push_back(key);
        out.lines.push_back(in.line());
    }
    return out;
}

inline std::string format_float(float v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

inline int create(const std::vector<std::string>& args) {
    static const command_spec spec{
        "vector create",
        "--db DB --index NAME --dim D --metric l2|cosine|ip [--m 16] [--ef-construction 200] [--seed N]",
        "Creates an empty HNSW vector index in the database (created when missing). Names are 1 to 19 bytes.\n"
        "Metrics: l2 (Euclidean), cosine (1 - cos), ip (1 - inner product), manhattan.",
        {db_option(), backend_option(), index_option(), {"dim", "D", "dimension of the vectors", ""},
         {"metric", "l2|cosine|ip|manhattan", "distance", ""},
         {"m", "M", "links per element (level 0 keeps 2M)", "16"},
         {"ef-construction", "N", "beam width while building", "200"},
         {"seed", "N", "seed of the level draws (same seed and inserts: same index)", "42"}},
        0,
    };
    return run_command(spec, args, [&](parsed_args& a) {
        vector::hnsw_params p;
        p.name = a.get("index");
        p.dim = a.get_uint("dim");
        const auto m = vector::parse_metric(a.get("metric"));
        if (!m) throw usage_error("--metric must be l2, cosine, ip or manhattan, got '" + a.get("metric") + "'");
        p.metric = *m;
        p.m = a.get_uint("m");
        p.ef_construction = a.get_uint("ef-construction");
        p.seed = a.get_uint("seed");
        vector::check_params(p); // before the database is created
        auto db = database::open(a, true);
        vectors_type vectors(db->store());
        auto tx = db->store().begin_write();
        {
            auto w = vectors.write(tx);
            w.create(p);
        }
        tx.commit();
        std::cout << "created vector index '" << p.name << "' in '" << db->path() << "': dim " << p.dim << ", metric "
                  << vector::to_string(p.metric) << ", M " << p.m << ", ef_construction " << p.ef_construction
                  << "\n";
        return 0;
    });
}

inline int insert(const std::vector<std::string>& args) {
    static const command_spec spec{
        "vector insert",
        "--db DB --index NAME --vectors V.csv",
        "Adds one vector per row of V.csv (no header; `key,x0,x1,...`) to the index, in one transaction.\n"
        "The key is a node's external key; a missing node is created with kind Node and name = key.\n"
        "A key that already has a vector in this index is an error (delete it first).",
        {db_option(), backend_option(), index_option(), {"vectors", "V.csv", "the vectors", ""}},
        0,
    };
    return run_command(spec, args, [&](parsed_args& a) {
        const std::string name = a.get("index"), file = a.get("vectors");
        auto db = database::open(a, false);
        vectors_type vectors(db->store());
        auto tx = db->store().begin_write();
        std::size_t created = 0, rows_count = 0;
        {
            auto w = vectors.write(tx);
            auto& index = w.index(name); // not_found before the file is read
            const auto rows = read_rows(file, index.params().dim, index.params().metric, "vector");
            key_writer keys(tx);
            std::unordered_map<std::string, std::uint64_t> seen;
            std::vector<node_id> ids;
            ids.reserve(rows.keys.size());
            for (std::size_t i = 0; i < rows.keys.size(); ++i) {
                const std::string& key = rows.keys[i];
                const std::string where = file + ":" + std::to_string(rows.lines[i]) + ": ";
                if (auto [it, fresh] = seen.emplace(key, rows.lines[i]); !fresh)
                    fail(errc::invalid_argument,
                         where + "key '" + key + "' appears twice (first on line " + std::to_string(it->second) + ")");
                auto id = keys.find(key);
                if (id && index.contains(*id))
                    fail(errc::invalid_argument, where + "key '" + key + "' already has a vector in index '" + name + "'");
                if (!id) {
                    id = keys.ensure(key);
                    ++created;
                }
                ids.push_back(*id);
            }
            w.insert_batch(name, ids, rows.values);
            rows_count = ids.size();
        }
        tx.commit();
        std::cout << "inserted " << rows_count << " vectors into '" << name << "' (" << created << " new nodes)\n";
        return 0;
    });
}

inline int search(const std::vector<std::string>& args) {
    static const command_spec spec{
        "vector search",
        "--db DB --index NAME --queries Q.csv --k 10 [--ef 100] [--out FILE] [--near KEY [--hops 1] "
        "[--direction out|in|both] [--type T]]",
        "Prints CSV `query,rank,key,distance`: the k nearest vectors of each query row of Q.csv (no header;\n"
        "`id,x0,x1,...`), rank 1 nearest. With --near, only nodes 1..hops hops from node KEY are candidates\n"
        "(exact when that neighbourhood is small).",
        {db_option(), backend_option(), index_option(), {"queries", "Q.csv", "the queries", ""},
         {"k", "K", "results per query", "10"}, {"ef", "N", "search beam width (at least k)", "100"},
         {"out", "FILE", "write the CSV here instead of stdout", ""},
         {"near", "KEY", "restrict to the k-hop neighbourhood of this node", ""},
         {"hops", "H", "neighbourhood radius for --near", "1"},
         {"direction", "out|in|both", "edge direction for --near", "out"},
         {"type", "T", "only edges of this type for --near", ""}},
        0,
    };
    return run_command(spec, args, [&](parsed_args& a) {
        const std::string name = a.get("index"), file = a.get("queries");
        const std::size_t k = a.get_uint("k"), ef = a.get_uint("ef");
        if (k == 0) throw usage_error("--k must be at least 1");
        vector_neighbourhood hood;
        if (!a.has("near") && (a.has("hops") || a.has("direction") || a.has("type")))
            throw usage_error("--hops, --direction and --type need --near");
        if (a.has("near")) {
            hood.hops = static_cast<std::uint32_t>(a.get_uint("hops"));
            const std::string d = a.get("direction");
            if (d == "out") hood.dir = direction::out;
            else if (d == "in") hood.dir = direction::in;
            else if (d == "both") hood.dir = direction::both;
            else throw usage_error("--direction must be out, in or both, got '" + d + "'");
            if (a.has("type")) hood.types.push_back(a.get("type"));
        }
        auto db = database::open(a, false);
        std::optional<node_id> near;
        if (a.has("near")) near = db->require_key(a.get("near"));
        vectors_type vectors(db->store());
        auto r = db->store().begin_read();
        auto reader = vectors.read(r);
        auto& index = reader.index(name);
        const auto queries = read_rows(file, index.params().dim, index.params().metric, "query");
        key_index keys(r.pager_txn());
        std::unordered_map<node_id, std::string> key_cache;
        auto key_of = [&](node_id n) -> const std::string& {
            if (auto it = key_cache.find(n); it != key_cache.end()) return it->second;
            auto key = keys.key_of(n);
            return key_cache.emplace(n, key ? *key : "#" + std::to_string(n)).first->second;
        };
        std::string out = "query,rank,key,distance\n";
        const std::size_t dim = index.params().dim;
        for (std::size_t q = 0; q < queries.keys.size(); ++q) {
            const std::span<const float> query(queries.values.data() + q * dim, dim);
            const auto hits = near ? reader.search_near(name, query, k, *near, hood, std::max(ef, k))
                                   : reader.search(name, query, k, std::max(ef, k));
            for (std::size_t i = 0; i < hits.size(); ++i) {
                csv_append(out, queries.keys[q]);
                out += "," + std::to_string(i + 1) + ",";
                csv_append(out, key_of(hits[i].key));
                out += "," + format_float(hits[i].distance) + "\n";
            }
        }
        if (a.has("out")) {
            output_file f(a.get("out"));
            f.write(out);
            f.close();
        } else {
            std::cout << out;
        }
        return 0;
    });
}

inline int remove(const std::vector<std::string>& args) {
    static const command_spec spec{
        "vector delete",
        "--db DB --index NAME --keys KEYS.txt",
        "Deletes the vectors of the nodes listed in KEYS.txt (one external key per line) from the index, in\n"
        "one transaction; the nodes stay. A key with no node or no vector in the index is an error.",
        {db_option(), backend_option(), index_option(), {"keys", "KEYS.txt", "one key per line", ""}},
        0,
    };
    return run_command(spec, args, [&](parsed_args& a) {
        const std::string name = a.get("index"), file = a.get("keys");
        auto db = database::open(a, false);
        vectors_type vectors(db->store());
        std::ifstream in(file);
        if (!in) fail(errc::not_found, "cannot open '" + file + "' for reading");
        auto tx = db->store().begin_write();
        std::size_t removed = 0;
        {
            auto w = vectors.write(tx);
            auto& index = w.index(name);
            key_writer keys(tx);
            std::string line;
            std::uint64_t number = 0;
            std::vector<node_id> ids;
            std::unordered_set<node_id> seen;
            while (std::getline(in, line)) {
                ++number;
                if (!line.empty() && line.back() == '\r') line.pop_back();
                if (line.empty()) continue;
                const std::string where = file + ":" + std::to_string(number) + ": ";
                const auto id = keys.find(line);
                if (!id) fail(errc::not_found, where + "no node with key '" + line + "'");
                if (!index.contains(*id) || !seen.insert(*id).second)
                    fail(errc::not_found, where + "key '" + line + "' has no vector in index '" + name + "'");
                ids.push_back(*id);
            }
            for (const node_id id : ids)
                w.remove(name, id);
            removed = ids.size();
        }
        tx.commit();
        std::cout << "deleted " << removed << " vectors from '" << name << "'\n";
        return 0;
    });
}

inline int stats(const std::vector<std::string>& args) {
    static const command_spec spec{
        "vector stats",
        "--db DB [--index NAME]",
        "Prints CSV `index,dim,metric,m,ef_construction,vectors,tombstones,pages`, one row per index\n"
        "(or only NAME). tombstones: deleted vectors still routing searches until consolidated.",
        {db_option(), backend_option(), {"index", "NAME", "only this index", ""}},
        0,
    };
    return run_command(spec, args, [&](parsed_args& a) {
        auto db = database::open(a, false);
        vectors_type vectors(db->store());
        auto r = db->store().begin_read();
        auto reader = vectors.read(r);
        std::vector<std::string> names;
        if (a.has("index")) names.push_back(a.get("index"));
        else names = reader.names();
        std::string out = "index,dim,metric,m,ef_construction,vectors,tombstones,pages\n";
        for (const auto& n : names) {
            const auto s = reader.stats(n);
            csv_append(out, s.name);
            out += "," + std::to_string(s.dim) + "," + std::string(vector::to_string(s.metric)) + "," +
                   std::to_string(s.m) + "," + std::to_string(s.ef_construction) + "," + std::to_string(s.vectors) +
                   "," + std::to_string(s.tombstones) + "," + std::to_string(s.pages) + "\n";
        }
        std::cout << out;
        return 0;
    });
}

} // namespace vector_cli

inline int vector_command(const std::vector<std::string>& args) {
    static const char* const subcommands = "create, insert, search, delete, stats";
    const std::string sub = args.empty() ? "" : args[0];
    const std::vector<std::string> rest(args.empty() ? args.begin() : args.begin() + 1, args.end());
    if (sub == "create") return vector_cli::create(rest);
    if (sub == "insert") return vector_cli::insert(rest);
    if (sub == "search") return vector_cli::search(rest);
    if (sub == "delete") return vector_cli::remove(rest);
    if (sub == "stats") return vector_cli::stats(rest);
    if (sub == "--help" || sub == "-h") {
        std::cout << "usage: sqlitegraph vector create|insert|search|delete|stats [options]\n\n"
                     "HNSW vector indexes stored in the database, keyed by node keys.\n"
                     "(sqlitegraph vector SUBCOMMAND --help for its options; --db is required)\n";
        return 0;
    }
    std::cerr << "sqlitegraph vector: " << (sub.empty() ? "missing subcommand" : "unknown subcommand '" + sub + "'")
              << " (one of " << subcommands << ")\nusage: sqlitegraph vector create|insert|search|delete|stats --db DB ...\n";
    return 2;
}

} // namespace sqlitegraph::cli
