// examples/cli/import_command.hpp — `sqlitegraph import`: CSV (NODES.csv,
// EDGES.csv, ../shared/CLI.md "Import") or JSON Lines into a database.
//
// The whole import is one write transaction: any bad row throws with
// "FILE:LINE: reason", the transaction rolls back, and the database is as it
// was (a database file the import itself created is removed again). CSV
// rows go to the store in batches through one bulk_loader (batch_loader); JSON
// Lines records, which may define a node after an edge used its key, take
// the ordinary inserts (key_cache).
#pragma once

#include "csv.hpp"
#include "database.hpp"
#include "json.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "property_cells.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sqlitegraph::cli {

namespace import_detail {

// Runs fn(); a sqlitegraph::error from the store is rethrown with the
// row's FILE:LINE in front unless it already names it.
template <class Fn> auto at_row(const std::string& where, Fn&& fn) {
    try {
        return fn();
    } catch (const error& e) {
        std::string what = e.what();
        if (what.find(where) != std::string::npos) throw;
        const std::string code = std::string(to_string(e.code())) + ": ";
        if (what.rfind(code, 0) == 0) what.erase(0, code.size());
        throw error(e.code(), where + what);
    }
}

// Key -> node id for one import: a cache in front of the key trees.
class key_cache {
  public:
    explicit key_cache(write_tx& tx) : keys_(tx) {}

    node_id ensure(const std::string& key, std::uint64_t& created) {
        if (auto it = map_.find(key); it != map_.end()) return it->second;
        auto id = keys_.find(key);
        if (!id) {
            id = keys_.create(key, node_input{"Node", key, ""});
            ++created;
            implicit_.insert(key);
        }
        map_.emplace(key, *id);
        return *id;
    }
    // A node defined explicitly; one that an earlier JSONL edge created
    // implicitly is updated instead (once).
    node_id define(write_tx& tx, const std::string& key, const node_input& in, std::uint64_t& created) {
        if (auto it = implicit_.find(key); it != implicit_.end()) {
            const node_id id = map_.at(key);
            tx.update_node(id, node_update{in.kind, in.name, in.properties});
            implicit_.erase(it);
            return id;
        }
        if (map_.count(key) || keys_.find(key)) fail(errc::invalid_argument, "node key '" + key + "' already exists");
        const node_id id = keys_.create(key, in);
        ++created;
        map_.emplace(key, id);
        return id;
    }

  private:
    key_writer keys_;
    std::unordered_map<std::string, node_id> map_;
    std::unordered_set<std::string> implicit_;
};

// The CSV path: rows are validated one by one (so that every error names
// its FILE:LINE) and collected into batches for one bulk_loader of the
// store (graph/bulk_loader.hpp); a batch goes to the loader when it reaches
// batch_rows edges or nodes, and finish() writes them all, inside the one
// write transaction, as one bulk insert (empty trees built bottom-up).
// Node ids follow the order in which keys first appear, edge ids file order.
// Nodes of earlier batches are not in the store before finish(): edges name
// them by their position in the loader.
class batch_loader {
  public:
    static constexpr std::size_t default_batch_rows = std::size_t{1} << 20;

    explicit batch_loader(write_tx& tx, std::size_t batch_rows = default_batch_rows)
        : tx_(&tx), keys_(tx), loader_(tx.bulk_load()), batch_rows_(batch_rows ? batch_rows : 1) {}

    // A NODES.csv row; invalid_argument when the key exists already.
    void define(const std::string& key, node_input in, const std::string& where) {
        check_text("kind", in.kind, where);
        check_text("name", in.name, where);
        check_properties(in.properties, where);
        if (map_.count(key) || keys_.find(key)) fail(errc::invalid_argument, where + "node key '" + key + "' already exists");
        try {
            key_index<std::remove_reference_t<decltype(tx_->txn())>>::check_key(key);
        } catch (const error& e) {
            rethrow_at(e, where);
        }
        add_node(key, std::move(in));
        if (nodes_.size() >= batch_rows_) flush(where);
    }

    // An EDGES.csv row; endpoints without a node become nodes of kind Node.
    void edge(const std::string& from, const std::string& to, std::string type, std::string props,
              const std::string& where) {
        check_text("edge type", type, where);
        check_properties(props, where);
        bulk_edge_input e{endpoint(from, where), endpoint(to, where), std::move(type), std::move(props)};
        edges_.push_back(std::move(e));
        if (edges_.size() >= batch_rows_ || nodes_.size() >= batch_rows_) flush(where);
    }

    // Writes every row handed over into the transaction and returns the
    // counts written; `where` names the last row read.
    bulk_insert_result finish(const std::string& where) {
        flush(where);
        try {
            return loader_.finish();
        } catch (const error& e) {
            rethrow_at(e, "rows up to " + where);
        }
    }

    // Hands the pending rows to the loader; `where` names the last row read.
    void flush(const std::string& where) {
        if (nodes_.empty() && edges_.empty()) return;
        try {
            const node_id first = loader_.add_nodes(nodes_);
            loader_.add_edges(edges_);
            for (std::size_t i = 0; i < node_keys_.size(); ++i) {
                const node_id id = first + i;
                keys_.attach(node_keys_[i], id);
                map_[node_keys_[i]] = entry{id, false};
            }
        } catch (const error& e) {
            rethrow_at(e, "rows up to " + where);
        }
        nodes_.clear();
        node_keys_.clear();
        edges_.clear();
    }


  private:
    struct entry {
        std::uint64_t value; // node id, or index in nodes_ while pending
        bool pending;
    };

    [[noreturn]] static void rethrow_at(const error& e, const std::string& where) {
        std::string what = e.what();
        const std::string code = std::string(to_string(e.code())) + ": ";
        if (what.rfind(code, 0) == 0) what.erase(0, code.size());
        throw error(e.code(), where + what);
    }

    static void check_text(const char* what, const std::string& text, const std::string& where) {
        if (text.size() > store_type::max_text_bytes)
            fail(errc::too_large, where + what + " of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                                      std::to_string(store_type::max_text_bytes) + " bytes");
        if (text.find('\0') != std::string::npos) fail(errc::invalid_argument, where + what + " contains a NUL byte");
    }
    static void check_properties(const std::string& json, const std::string& where) {
        if (json.size() <= 2) return; // "{}" or empty
        try {
            (void)encode_properties(json);
        } catch (const error& e) {
            rethrow_at(e, where);
        }
    }

    void add_node(const std::string& key, node_input in) {
        map_[key] = entry{nodes_.size(), true};
        node_keys_.push_back(key);
        nodes_.push_back(std::move(in));
    }

    node_ref endpoint(const std::string& key, const std::string& where) {
        auto it = map_.find(key);
        if (it == map_.end()) {
            if (auto id = keys_.find(key)) {
                it = map_.emplace(key, entry{*id, false}).first;
            } else {
                try {
                    key_index<std::remove_reference_t<decltype(tx_->txn())>>::check_key(key);
                } catch (const error& e) {
                    rethrow_at(e, where);
                }
                check_text("name", key, where);
                add_node(key, node_input{"Node", key, ""});
                it = map_.find(key);
            }
        }
        if (it->second.pending) return node_ref::batch(loader_.node_total() + it->second.value); // after the loader's nodes
        if (it->second.value >= loader_.first_node()) return node_ref::batch(it->second.value - loader_.first_node());
        return node_ref::existing(it->second.value);
    }

    write_tx* tx_;
    key_writer keys_;
    store_type::write_transaction::bulk_loader loader_;
    std::unordered_map<std::string, entry> map_;
    std::vector<node_input> nodes_;
    std::vector<std::string> node_keys_;
    std::vector<bulk_edge_input> edges_;
    std::size_t batch_rows_;
};

struct counts {
    std::uint64_t nodes = 0, edges = 0;
};

inline std::string row_where(const csv_reader& r) { return r.where(); }

inline void expect_width(const csv_reader& r, const std::vector<csv_field>& row, std::size_t width) {
    if (row.size() != width)
        fail(errc::invalid_argument, r.where() + "expected " + std::to_string(width) + " fields, found " +
                                         std::to_string(row.size()));
}

inline bool blank(const std::vector<csv_field>& row) {
    return row.size() == 1 && row[0].text.empty() && !row[0].quoted;
}

inline std::vector<property_column> read_header(csv_reader& r, std::vector<csv_field>& row,
                                                const std::vector<std::string>& fixed, const std::string& what) {
    if (!r.next(row)) fail(errc::invalid_argument, r.path() + ":1: empty file, expected the " + what + " header");
    for (std::size_t i = 0; i < fixed.size(); ++i) {
        if (i >= row.size() || row[i].text != fixed[i]) {
            std::string want;
            for (const auto& f : fixed) want += (want.empty() ? "" : ",") + f;
            fail(errc::invalid_argument, r.where() + "the " + what + " header must start with '" + want + "'");
        }
    }
    std::vector<property_column> cols;
    std::unordered_set<std::string> seen(fixed.begin(), fixed.end());
    for (std::size_t i = fixed.size(); i < row.size(); ++i) {
        auto col = parse_property_header(row[i].text, r.where());
        if (!seen.insert(col.name).second)
            fail(errc::invalid_argument, r.where() + "column '" + col.name + "' appears twice");
        cols.push_back(std::move(col));
    }
    return cols;
}

inline void import_nodes(csv_reader& r, batch_loader& load, progress& bar, std::uint64_t base) {
    std::vector<csv_field> row;
    const auto cols = read_header(r, row, {"id", "kind", "name"}, "nodes");
    const std::size_t width = 3 + cols.size();
    std::string props;
    while (r.next(row)) {
        if (blank(row)) continue;
        expect_width(r, row, width);
        const std::string where = r.where();
        if (row[0].text.empty()) fail(errc::invalid_argument, where + "empty node id");
        props = "{";
        for (std::size_t i = 0; i < cols.size(); ++i)
            append_property(props, cols[i], row[3 + i], where);
        props += "}";
        load.define(row[0].text, node_input{row[1].text, row[2].text, props}, where);
        bar.update(base + r.bytes_read());
    }
}

inline void import_edges(csv_reader& r, batch_loader& load, progress& bar, std::uint64_t base) {
    std::vector<csv_field> row;
    auto cols = read_header(r, row, {"from", "to"}, "edges");
    // `type` and `weight` are columns of their own, not properties.
    std::ptrdiff_t type_col = -1, weight_col = -1;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        if (cols[i].name == "type") {
            if (cols[i].type != cell_type::infer && cols[i].type != cell_type::string)
                fail(errc::invalid_argument, r.where() + "the type column holds strings");
            type_col = static_cast<std::ptrdiff_t>(i);
        } else if (cols[i].name == "weight") {
            if (cols[i].type == cell_type::boolean || cols[i].type == cell_type::string)
                fail(errc::invalid_argument, r.where() + "the weight column holds numbers");
            weight_col = static_cast<std::ptrdiff_t>(i);
        }
    }
    const std::size_t width = 2 + cols.size();
    std::string props;
    while (r.next(row)) {
        if (blank(row)) continue;
        expect_width(r, row, width);
        const std::string where = r.where();
        if (row[0].text.empty()) fail(errc::invalid_argument, where + "empty 'from' key");
        if (row[1].text.empty()) fail(errc::invalid_argument, where + "empty 'to' key");
        props = "{";
        for (std::size_t i = 0; i < cols.size(); ++i) {
            if (static_cast<std::ptrdiff_t>(i) == type_col) continue;
            const csv_field& cell = row[2 + i];
            if (static_cast<std::ptrdiff_t>(i) == weight_col && !(cell.text.empty() && !cell.quoted) &&
                !is_json_number(cell.text))
                fail(errc::invalid_argument, where + "weight '" + cell.text + "' is not a number");
            append_property(props, cols[i], cell, where);
        }
        props += "}";
        std::string type = type_col >= 0 ? row[2 + static_cast<std::size_t>(type_col)].text : std::string();
        load.edge(row[0].text, row[1].text, std::move(type), props, where);
        bar.update(base + r.bytes_read());
    }
}

// One JSON Lines record: {"id":K,"kind":..,"name":..,"properties":{..}} for
// a node, {"from":K,"to":K,"type":..,"properties":{..}} for an edge.
inline void import_jsonl(const std::string& path, write_tx& tx, key_cache& keys, counts& c, progress& bar) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) fail(errc::not_found, "cannot open '" + path + "' for reading");
    struct closer {
        std::FILE* f;
        ~closer() { std::fclose(f); }
    } close_at_end{f};
    std::string line;
    std::uint64_t number = 0, bytes = 0;
    std::vector<char> buf(1 << 16);
    auto read_line = [&]() -> bool {
        line.clear();
        bool any = false;
        while (std::fgets(buf.data(), static_cast<int>(buf.size()), f)) {
            any = true;
            line += buf.data();
            if (!line.empty() && line.back() == '\n') break;
        }
        if (std::ferror(f)) fail(errc::io, "cannot read '" + path + "'");
        return any;
    };
    while (read_line()) {
        ++number;
        bytes += line.size();
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const std::string where = path + ":" + std::to_string(number) + ": ";
        const auto members = json_object_splitter::split(line, where);
        std::string key, kind, name, from, to, type, props;
        bool has_key = false, has_from = false, has_to = false;
        auto text = [&](const json_member& m) -> std::string {
            if (!m.raw.empty() && m.raw.front() == '"') return json_object_splitter::unescape(m.raw, where);
            if (is_json_number(m.raw)) return std::string(m.raw);
            fail(errc::invalid_argument, where + "'" + m.key + "' must be a string");
        };
        for (const auto& m : members) {
            if (m.key == "id") key = text(m), has_key = true;
            else if (m.key == "kind") kind = text(m);
            else if (m.key == "name") name = text(m);
            else if (m.key == "from") from = text(m), has_from = true;
            else if (m.key == "to") to = text(m), has_to = true;
            else if (m.key == "type") type = text(m);
            else if (m.key == "properties") {
                if (m.raw.empty() || m.raw.front() != '{')
                    fail(errc::invalid_argument, where + "'properties' must be an object");
                props = std::string(m.raw);
            } else {
                fail(errc::invalid_argument, where + "unknown field '" + m.key +
                                                 "' (a node has id, kind, name, properties; an edge from, to, "
                                                 "type, properties)");
            }
        }
        if (has_from || has_to) {
            if (has_key || !kind.empty() || !name.empty())
                fail(errc::invalid_argument, where + "a record with 'from'/'to' is an edge and takes no id, kind or name");
            if (from.empty() || to.empty()) fail(errc::invalid_argument, where + "an edge needs non-empty 'from' and 'to'");
            at_row(where, [&] {
                const node_id a = keys.ensure(from, c.nodes);
                const node_id b = keys.ensure(to, c.nodes);
                return tx.insert_edge(edge_input{a, b, type, props});
            });
            ++c.edges;
        } else {
            if (!has_key || key.empty()) fail(errc::invalid_argument, where + "a node record needs a non-empty 'id'");
            if (!type.empty()) fail(errc::invalid_argument, where + "a node record takes no 'type' (kind is the node's label)");
            at_row(where, [&] { return keys.define(tx, key, node_input{kind, name, props}, c.nodes); });
        }
        bar.update(bytes);
    }
}

inline std::uint64_t file_size(const std::string& path) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<std::uint64_t>(n);
}

} // namespace import_detail

inline int import_command(const std::vector<std::string>& args) {
    static const command_spec spec{
        "import",
        "--db DB --edges EDGES.csv [--nodes NODES.csv] | --db DB --jsonl FILE.jsonl",
        "Loads nodes and edges in one transaction. NODES.csv: id,kind,name then property columns;\n"
        "EDGES.csv: from,to then optional type, weight and property columns (../shared/CLI.md, docs/cli.md).\n"
        "JSON Lines: one object per line, a node {\"id\",\"kind\",\"name\",\"properties\"} or an edge\n"
        "{\"from\",\"to\",\"type\",\"properties\"}. A bad row aborts the import with FILE:LINE and leaves\n"
        "the database unchanged.",
        {db_option(), backend_option(), {"nodes", "NODES.csv", "node rows (optional)", ""},
         {"edges", "EDGES.csv", "edge rows", ""}, {"jsonl", "FILE", "JSON Lines records instead of CSV", ""},
         {"batch-rows", "N", "CSV rows per bulk_insert call (memory bound)", "1048576"},
         {"format", "human|json", "how to print the summary", "human"}},
    };
    return run_command(spec, args, [&](parsed_args& a) {
        namespace id = import_detail;
        const std::string format = a.get("format");
        if (format != "human" && format != "json")
            throw usage_error("--format must be human or json, got '" + format + "'");
        const bool jsonl = a.has("jsonl");
        if (jsonl && (a.has("nodes") || a.has("edges"))) throw usage_error("--jsonl cannot be combined with --nodes/--edges");
        if (!jsonl && !a.has("edges") && !a.has("nodes")) throw usage_error("missing --edges (or --nodes, or --jsonl)");
        const std::string path = a.get("db");
        std::error_code ec;
        const bool existed = std::filesystem::exists(path, ec);
        const auto start = std::chrono::steady_clock::now();
        id::counts c;
        try {
            auto db = database::open(a, true);
            {
                auto tx = db->store().begin_write();
                if (jsonl) {
                    id::key_cache keys(tx);
                    const std::string file = a.get("jsonl");
                    progress bar("import", id::file_size(file), "B");
                    id::import_jsonl(file, tx, keys, c, bar);
                } else {
                    id::batch_loader load(tx, static_cast<std::size_t>(a.get_uint("batch-rows")));
                    const std::string nodes = a.get_or("nodes", ""), edges = a.get_or("edges", "");
                    const std::uint64_t nbytes = nodes.empty() ? 0 : id::file_size(nodes);
                    progress bar("import", nbytes + (edges.empty() ? 0 : id::file_size(edges)), "B");
                    if (!nodes.empty()) {
                        csv_reader r(nodes);
                        id::import_nodes(r, load, bar, 0);
                    }
                    if (!edges.empty()) {
                        csv_reader r(edges);
                        id::import_edges(r, load, bar, nbytes);
                    }
                    const auto written = load.finish((edges.empty() ? nodes : edges) + ": ");
                    c.nodes = written.nodes;
                    c.edges = written.edges;
                }
                tx.commit();
            }
            db->store().close();
        } catch (...) {
            // The transaction rolled back; a file this import created goes too.
            if (!existed) {
                std::filesystem::remove(path, ec);
                std::filesystem::remove(path + "-wal", ec);
            }
            throw;
        }
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (format == "json") {
            std::cout << "{\"nodes\":" << c.nodes << ",\"edges\":" << c.edges << ",\"seconds\":" << secs << "}\n";
        } else {
            std::cout << "imported " << c.nodes << " nodes and " << c.edges << " edges into " << path << " in "
                      << secs << " s\n";
        }
        return 0;
    });
}

} // namespace sqlitegraph::cli
