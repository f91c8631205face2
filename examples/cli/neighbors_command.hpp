// examples/cli/neighbors_command.hpp — `sqlitegraph neighbors`: the edges
// at one node, named by its external key.
#pragma once

#include "csv.hpp"
#include "database.hpp"
#include "json.hpp"
#include "options.hpp"

#include <iostream>
#include <string>
#include <unordered_map>
#include <vector>

namespace sqlitegraph::cli {

inline int neighbors_command(const std::vector<std::string>& args) {
    static const command_spec spec{
        "neighbors",
        "--db DB KEY [--direction out|in|both] [--type T] [--format human|csv|json]",
        "Lists the edges at the node with external key KEY (or --key KEY): the node at the other end,\n"
        "the direction seen from KEY, the edge type and edge id. CSV columns: key,direction,type,edge.",
        {db_option(), backend_option(), {"key", "KEY", "the node (instead of the positional KEY)", ""},
         {"direction", "out|in|both", "which edges", "both"},
         {"type", "T", "only edges of this type", ""},
         {"format", "human|csv|json", "output format", "human"}},
        1,
    };
    return run_command(spec, args, [&](parsed_args& a) {
        std::string key;
        if (a.has("key") && !a.positional.empty()) throw usage_error("give KEY or --key, not both");
        if (a.has("key")) key = a.get("key");
        else if (!a.positional.empty()) key = a.positional[0];
        else throw usage_error("missing KEY");
        const std::string d = a.get("direction"), format = a.get("format");
        direction dir = direction::both;
        if (d == "out") dir = direction::out;
        else if (d == "in") dir = direction::in;
        else if (d != "both") throw usage_error("--direction must be out, in or both, got '" + d + "'");
        if (format != "human" && format != "csv" && format != "json")
            throw usage_error("--format must be human, csv or json, got '" + format + "'");
        type_filter types;
        if (a.has("type")) types.push_back(a.get("type"));
        auto db = database::open(a, false);
        const node_id id = db->require_key(key);
        auto r = db->store().begin_read();
        key_index keys(r.txn());
        std::unordered_map<node_id, std::string> names;
        auto key_of = [&](node_id n) -> const std::string& {
            if (auto it = names.find(n); it != names.end()) return it->second;
            auto k = keys.key_of(n);
            return names.emplace(n, k ? *k : "#" + std::to_string(n)).first->second;
        };
        const auto list = r.neighbors(id, dir, types);
        std::string out;
        if (format == "csv") out = "key,direction,type,edge\n";
        else if (format == "json") out = "[";
        bool first = true;
        for (const auto& nb : list) {
            const char* way = nb.dir == direction::out ? "out" : "in";
            if (format == "csv") {
                csv_append(out, key_of(nb.node));
                out += std::string(",") + way + ",";
                csv_append(out, nb.type);
                out += "," + std::to_string(nb.edge) + "\n";
            } else if (format == "json") {
                out += first ? "" : ",";
                out += "{\"key\":" + json_string(key_of(nb.node)) + ",\"direction\":\"" + way +
                       "\",\"type\":" + json_string(nb.type) + ",\"edge\":" + std::to_string(nb.edge) + "}";
            } else {
                out += std::string(nb.dir == direction::out ? "-> " : "<- ") + key_of(nb.node) + "  [" + nb.type +
                       "]  edge " + std::to_string(nb.edge) + "\n";
            }
            first = false;
        }
        if (format == "json") out += "]\n";
        if (format == "human" && list.empty()) out = "(no edges)\n";
        std::cout << out;
        return 0;
    });
}

} // namespace sqlitegraph::cli
