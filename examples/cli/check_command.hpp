// examples/cli/check_command.hpp — `sqlitegraph check`: the full integrity
// check (database::check); exit status 0 only when no problem is found.
#pragma once

#include "database.hpp"
#include "json.hpp"
#include "options.hpp"

#include <iostream>
#include <string>
#include <vector>

namespace sqlitegraph::cli {

inline int check_command(const std::vector<std::string>& args) {
    static const command_spec spec{
        "check",
        "--db DB [--format human|json]",
        "Verifies every B+Tree, the graph invariants, the external keys, vector indexes and the page\n"
        "accounting. Exit status 0 only when the database is clean; 1 lists the problems.",
        {db_option(), backend_option(), {"format", "human|json", "output format", "human"}},
    };
    return run_command(spec, args, [&](parsed_args& a) {
        const std::string format = a.get("format");
        if (format != "human" && format != "json")
            throw usage_error("--format must be human or json, got '" + format + "'");
        auto db = database::open(a, false);
        const auto r = db->check();
        if (format == "json") {
            std::string out = "{\"ok\":" + std::string(r.ok() ? "true" : "false") +
                              ",\"nodes\":" + std::to_string(r.nodes) + ",\"edges\":" + std::to_string(r.edges) +
                              ",\"pages\":" + std::to_string(r.pages) +
                              ",\"free_pages\":" + std::to_string(r.free_pages) + ",\"problems\":[";
            for (std::size_t i = 0; i < r.problems.size(); ++i) {
                if (i) out += ",";
                json_append_string(out, r.problems[i]);
            }
            std::cout << out << "]}\n";
        } else if (r.ok()) {
            std::cout << "ok: " << db->path() << ": " << r.nodes << " nodes, " << r.edges << " edges, " << r.pages
                      << " pages (" << r.free_pages << " free)\n";
        } else {
            for (const auto& p : r.problems)
                std::cerr << db->path() << ": " << p << "\n";
            std::cerr << db->path() << ": " << r.problems.size() << " problem(s) found\n";
        }
        return r.ok() ? 0 : 1;
    });
}

} // namespace sqlitegraph::cli
