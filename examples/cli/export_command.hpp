// examples/cli/export_command.hpp — `sqlitegraph export`: the whole graph or
// a k-hop neighbourhood as CSV (DIR/nodes.csv + DIR/edges.csv, exactly the
// import format, so that importing them gives the same graph), JSON Lines
// (the import's JSONL records), GraphML or Graphviz DOT.
//
// Everything is read from one snapshot. Nodes are written in id order, then
// edges in id order, so that a re-import into an empty database assigns the
// same ids. CSV property columns are the union of the properties present,
// in order of first appearance; strings are always quoted (a quoted cell is
// a string on import), numbers and booleans never.
#pragma once

#include "csv.hpp"
#include "database.hpp"
#include "json.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "property_cells.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sqlitegraph::cli {

namespace export_detail {

inline direction parse_direction(const std::string& s) {
    if (s == "out") return direction::out;
    if (s == "in") return direction::in;
    if (s == "both") return direction::both;
    throw usage_error("--direction must be out, in or both, got '" + s + "'");
}

// The selection to export: everything, or a neighbourhood's nodes and the
// edges among them (both id-sorted).
struct selection {
    bool all = true;
    std::vector<node_id> nodes;
    std::vector<edge_id> edges;
};

inline selection khop_selection(read_tx& r, node_id start, std::uint32_t depth, direction dir) {
    selection s;
    s.all = false;
    s.nodes = r.k_hop(start, depth, dir);
    s.nodes.push_back(start);
    std::sort(s.nodes.begin(), s.nodes.end());
    s.nodes.erase(std::unique(s.nodes.begin(), s.nodes.end()), s.nodes.end());
    for (const node_id n : s.nodes) {
        for (const auto& nb : r.neighbors(n, direction::out)) {
            if (std::binary_search(s.nodes.begin(), s.nodes.end(), nb.node)) s.edges.push_back(nb.edge);
        }
    }
    std::sort(s.edges.begin(), s.edges.end());
    return s;
}

template <class Fn> void for_each_node(read_tx& r, const selection& s, Fn&& fn) {
    if (s.all) {
        r.for_each_node([&](const node& n) { fn(n); });
    } else {
        for (const node_id id : s.nodes)
            fn(r.require_node(id));
    }
}
template <class Fn> void for_each_edge(read_tx& r, const selection& s, Fn&& fn) {
    if (s.all) {
        r.for_each_edge([&](const edge& e) { fn(e); });
    } else {
        for (const edge_id id : s.edges)
            fn(r.require_edge(id));
    }
}

// Key of every node (by id), "#<id>" for nodes without one.
class key_lookup {
  public:
    explicit key_lookup(read_tx& r) {
        key_index keys(r.txn());
        keys.for_each_by_id([&](node_id id, std::string_view k) { map_.emplace(id, std::string(k)); });
    }
    std::string operator()(node_id id) const {
        if (auto it = map_.find(id); it != map_.end()) return it->second;
        return "#" + std::to_string(id);
    }

  private:
    std::unordered_map<node_id, std::string> map_;
};

// The union of property names in first-appearance order, with the JSON
// type of their values ("string", "long", "double", "boolean", or
// "mixed"), for CSV columns and GraphML keys.
struct columns {
    std::vector<std::string> names;
    std::vector<std::string> types;
    std::unordered_map<std::string, std::size_t> index;

    static std::string type_of(std::string_view raw) {
        if (raw.empty()) return "mixed";
        if (raw.front() == '"') return "string";
        if (raw == "true" || raw == "false") return "boolean";
        if (is_json_integer(raw)) return "long";
        if (is_json_number(raw)) return "double";
        return "mixed";
    }
    void add(const std::vector<json_member>& members) {
        for (const auto& m : members) {
            const std::string t = type_of(m.raw);
            auto [it, fresh] = index.emplace(m.key, names.size());
            if (fresh) {
                names.push_back(m.key);
                types.push_back(t);
            } else if (types[it->second] != t) {
                const bool numeric = (t == "long" || t == "double") &&
                                     (types[it->second] == "long" || types[it->second] == "double");
                types[it->second] = numeric ? "double" : "mixed";
            }
        }
    }
};

inline std::vector<json_member> members_of(const std::string& json, const std::string& what) {
    return json_object_splitter::split(json, what);
}

inline void export_csv(read_tx& r, const selection& s, const std::string& dir, progress& bar) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) fail(errc::io, "cannot create directory '" + dir + "': " + ec.message());
    const key_lookup key(r);
    std::uint64_t done = 0;

    columns ncols;
    for_each_node(r, s, [&](const node& n) { ncols.add(members_of(n.properties(), "node " + std::to_string(n.id) + ": ")); });
    for (const auto& name : ncols.names) {
        if (name == "id" || name == "kind" || name == "name" || name.find(':') != std::string::npos || name.empty())
            fail(errc::unsupported, "node property '" + name + "' cannot be a CSV column (it clashes with id, kind or "
                                    "name, or holds ':'); export it as jsonl instead");
    }
    output_file nodes(dir + "/nodes.csv");
    std::string line = "id,kind,name";
    for (const auto& name : ncols.names) {
        line.push_back(',');
        csv_append(line, name);
    }
    line.push_back('\n');
    nodes.write(line);
    std::vector<std::string_view> cells(ncols.names.size());
    for_each_node(r, s, [&](const node& n) {
        const std::string where = "node " + std::to_string(n.id) + ": ";
        const std::string json = n.properties();
        const auto members = members_of(json, where);
        line.clear();
        csv_append(line, key(n.id));
        line.push_back(',');
        csv_append(line, n.kind);
        line.push_back(',');
        csv_append(line, n.name);
        std::fill(cells.begin(), cells.end(), std::string_view());
        for (const auto& m : members)
            cells[ncols.index.at(m.key)] = m.raw;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            line.push_back(',');
            append_cell(line, cells[i], where + "property '" + ncols.names[i] + "' ");
        }
        line.push_back('\n');
        nodes.write(line);
        bar.update(++done);
    });
    nodes.close();

    columns ecols;
    for_each_edge(r, s, [&](const edge& e) { ecols.add(members_of(e.properties(), "edge " + std::to_string(e.id) + ": ")); });
    std::vector<std::string> extra; // property columns besides weight
    for (const auto& name : ecols.names) {
        if (name == "from" || name == "to" || name == "type" || name.find(':') != std::string::npos || name.empty())
            fail(errc::unsupported, "edge property '" + name + "' cannot be a CSV column (it clashes with from, to or "
                                    "type, or holds ':'); export it as jsonl instead");
        if (name != "weight") extra.push_back(name);
    }
    output_file edges(dir + "/edges.csv");
    line = "from,to,type,weight";
    for (const auto& name : extra) {
        line.push_back(',');
        csv_append(line, name);
    }
    line.push_back('\n');
    edges.write(line);
    std::unordered_map<std::string, std::size_t> slot;
    for (std::size_t i = 0; i < extra.size(); ++i)
        slot.emplace(extra[i], i);
    std::vector<std::string_view> ecells(extra.size());
    for_each_edge(r, s, [&](const edge& e) {
        const std::string where = "edge " + std::to_string(e.id) + ": ";
        const std::string json = e.properties();
        const auto members = members_of(json, where);
        line.clear();
        csv_append(line, key(e.from));
        line.push_back(',');
        csv_append(line, key(e.to));
        line.push_back(',');
        csv_append(line, e.type);
        line.push_back(',');
        std::fill(ecells.begin(), ecells.end(), std::string_view());
        for (const auto& m : members) {
            if (m.key == "weight") {
                if (!is_json_number(m.raw))
                    fail(errc::unsupported, where + "weight " + std::string(m.raw) + " is not a number; export as jsonl");
                line += m.raw;
            } else {
                ecells[slot.at(m.key)] = m.raw;
            }
        }
        for (std::size_t i = 0; i < ecells.size(); ++i) {
            line.push_back(',');
            append_cell(line, ecells[i], where + "property '" + extra[i] + "' ");
        }
        line.push_back('\n');
        edges.write(line);
        bar.update(++done);
    });
    edges.close();
}

inline void export_jsonl(read_tx& r, const selection& s, const std::string& path, progress& bar) {
    const key_lookup key(r);
    output_file out(path);
    std::string line;
    std::uint64_t done = 0;
    for_each_node(r, s, [&](const node& n) {
        line = "{\"id\":";
        json_append_string(line, key(n.id));
        line += ",\"kind\":";
        json_append_string(line, n.kind);
        line += ",\"name\":";
        json_append_string(line, n.name);
        line += ",\"properties\":" + n.properties() + "}\n";
        out.write(line);
        bar.update(++done);
    });
    for_each_edge(r, s, [&](const edge& e) {
        line = "{\"from\":";
        json_append_string(line, key(e.from));
        line += ",\"to\":";
        json_append_string(line, key(e.to));
        line += ",\"type\":";
        json_append_string(line, e.type);
        line += ",\"properties\":" + e.properties() + "}\n";
        out.write(line);
        bar.update(++done);
    });
    out.close();
}

inline std::string xml_escape(std::string_view s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out.push_back(c);
        }
    }
    return out;
}

// GraphML: kind, name and type as string keys, each property as a key of
// its own with the GraphML type of its values (string when mixed, and for
// nested values, which are written as JSON text).
inline void export_graphml(read_tx& r, const selection& s, const std::string& path, progress& bar) {
    const key_lookup key(r);
    columns ncols, ecols;
    for_each_node(r, s, [&](const node& n) { ncols.add(members_of(n.properties(), "node " + std::to_string(n.id) + ": ")); });
    for_each_edge(r, s, [&](const edge& e) { ecols.add(members_of(e.properties(), "edge " + std::to_string(e.id) + ": ")); });
    output_file out(path);
    out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
              "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
              "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
              "  <key id=\"type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n");
    auto declare = [&](const columns& c, const char* prefix, const char* scope) {
        for (std::size_t i = 0; i < c.names.size(); ++i) {
            const std::string t = c.types[i] == "mixed" ? "string" : c.types[i];
            out.write("  <key id=\"" + std::string(prefix) + std::to_string(i) + "\" for=\"" + scope +
                      "\" attr.name=\"" + xml_escape(c.names[i]) + "\" attr.type=\"" + t + "\"/>\n");
        }
    };
    declare(ncols, "n", "node");
    declare(ecols, "e", "edge");
    out.write("  <graph id=\"G\" edgedefault=\"directed\">\n");
    auto data = [&](std::string& line, const columns& c, const char* prefix, const std::string& json,
                    const std::string& where) {
        for (const auto& m : members_of(json, where)) {
            const std::size_t i = c.index.at(m.key);
            std::string value = std::string(m.raw);
            if (!m.raw.empty() && m.raw.front() == '"') value = json_object_splitter::unescape(m.raw, where);
            line += "<data key=\"" + std::string(prefix) + std::to_string(i) + "\">" + xml_escape(value) + "</data>";
        }
    };
    std::uint64_t done = 0;
    std::string line;
    for_each_node(r, s, [&](const node& n) {
        line = "    <node id=\"" + xml_escape(key(n.id)) + "\"><data key=\"kind\">" + xml_escape(n.kind) +
               "</data><data key=\"name\">" + xml_escape(n.name) + "</data>";
        data(line, ncols, "n", n.properties(), "node " + std::to_string(n.id) + ": ");
        line += "</node>\n";
        out.write(line);
        bar.update(++done);
    });
    for_each_edge(r, s, [&](const edge& e) {
        line = "    <edge id=\"e" + std::to_string(e.id) + "\" source=\"" + xml_escape(key(e.from)) + "\" target=\"" +
               xml_escape(key(e.to)) + "\"><data key=\"type\">" + xml_escape(e.type) + "</data>";
        data(line, ecols, "e", e.properties(), "edge " + std::to_string(e.id) + ": ");
        line += "</edge>\n";
        out.write(line);
        bar.update(++done);
    });
    out.write("  </graph>\n</graphml>\n");
    out.close();
}

inline std::string dot_quote(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

// Graphviz DOT: nodes labelled by name, with kind and key; edges labelled by type.
inline void export_dot(read_tx& r, const selection& s, const std::string& path, progress& bar) {
    const key_lookup key(r);
    output_file out(path);
    out.write("digraph sqlitegraph {\n");
    std::uint64_t done = 0;
    for_each_node(r, s, [&](const node& n) {
        out.write("  " + dot_quote(key(n.id)) + " [label=" + dot_quote(n.name.empty() ? key(n.id) : n.name) +
                  ", kind=" + dot_quote(n.kind) + ", properties=" + dot_quote(n.properties()) + "];\n");
        bar.update(++done);
    });
    for_each_edge(r, s, [&](const edge& e) {
        out.write("  " + dot_quote(key(e.from)) + " -> " + dot_quote(key(e.to)) + " [label=" + dot_quote(e.type) +
                  ", properties=" + dot_quote(e.properties()) + "];\n");
        bar.update(++done);
    });
    out.write("}\n");
    out.close();
}

} // namespace export_detail

inline int export_command(const std::vector<std::string>& args) {
    static const command_spec spec{
        "export",
        "--db DB --format csv|jsonl|graphml|dot --out DIR|FILE [--khop KEY --depth N [--direction both]]",
        "Writes the graph, or the neighbourhood of KEY up to N hops with the edges among it.\n"
        "csv: DIR/nodes.csv and DIR/edges.csv in the import format (re-importing them gives the same graph);\n"
        "jsonl: the import's JSON Lines records; graphml, dot: one file each.",
        {db_option(), backend_option(), {"format", "csv|jsonl|graphml|dot", "output format", ""},
         {"out", "DIR|FILE", "output directory (csv) or file", ""},
         {"khop", "KEY", "export only the neighbourhood of this node", ""},
         {"depth", "N", "hops of the neighbourhood", "1"},
         {"direction", "out|in|both", "edges the neighbourhood follows", "both"}},
    };
    return run_command(spec, args, [&](parsed_args& a) {
        namespace ed = export_detail;
        const std::string format = a.get("format");
        if (format != "csv" && format != "jsonl" && format != "graphml" && format != "dot")
            throw usage_error("--format must be csv, jsonl, graphml or dot, got '" + format + "'");
        const std::string out = a.get("out");
        if ((a.has("depth") || a.has("direction")) && !a.has("khop")) throw usage_error("--depth and --direction need --khop");
        const auto depth = a.get_uint("depth");
        const direction dir = ed::parse_direction(a.get("direction"));
        auto db = database::open(a, false);
        ed::selection sel;
        std::optional<node_id> start;
        if (a.has("khop")) start = db->require_key(a.get("khop"));
        auto r = db->store().begin_read();
        if (start) sel = ed::khop_selection(r, *start, static_cast<std::uint32_t>(std::min<std::uint64_t>(depth, UINT32_MAX)), dir);
        const std::uint64_t total = sel.all ? r.node_count() + r.edge_count() : sel.nodes.size() + sel.edges.size();
        progress bar("export", total);
        if (format == "csv") ed::export_csv(r, sel, out, bar);
        else if (format == "jsonl") ed::export_jsonl(r, sel, out, bar);
        else if (format == "graphml") ed::export_graphml(r, sel, out, bar);
        else ed::export_dot(r, sel, out, bar);
        return 0;
    });
}

} // namespace sqlitegraph::cli
