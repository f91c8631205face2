// examples/cli/stats_command.hpp — `sqlitegraph stats`: counts and sizes.
#pragma once

#include "database.hpp"
#include "json.hpp"
#include "options.hpp"

#include <iostream>
#include <string>
#include <vector>

namespace sqlitegraph::cli {

inline int stats_command(const std::vector<std::string>& args) {
    static const command_spec spec{
        "stats",
        "--db DB [--format human|json|csv]",
        "Prints the number of nodes and edges, pages, free pages, the file size and the backend.",
        {db_option(), backend_option(), {"format", "human|json|csv", "output format", "human"}},
    };
    return run_command(spec, args, [&](parsed_args& a) {
        const std::string format = a.get("format");
        if (format != "human" && format != "json" && format != "csv")
            throw usage_error("--format must be human, json or csv, got '" + format + "'");
        auto db = database::open(a, false);
        const auto s = db->stats();
        if (format == "json") {
            std::string out = "{\"path\":" + json_string(db->path()) + ",\"backend\":\"" + database::backend() +
                              "\",\"nodes\":" + std::to_string(s.nodes) + ",\"edges\":" + std::to_string(s.edges) +
                              ",\"pages\":" + std::to_string(s.pages) + ",\"free_pages\":" +
                              std::to_string(s.free_pages) + ",\"page_size\":" +
                              std::to_string(store_type::page_bytes) + ",\"file_bytes\":" +
                              std::to_string(s.file_bytes) + "}\n";
            std::cout << out;
        } else if (format == "csv") {
            std::cout << "backend,nodes,edges,pages,free_pages,page_size,file_bytes\n"
                      << database::backend() << "," << s.nodes << "," << s.edges << "," << s.pages << ","
                      << s.free_pages << "," << store_type::page_bytes << "," << s.file_bytes << "\n";
        } else {
            std::cout << "database    " << db->path() << "\n"
                      << "backend     " << database::backend() << "\n"
                      << "nodes       " << s.nodes << "\n"
                      << "edges       " << s.edges << "\n"
                      << "pages       " << s.pages << " (" << s.free_pages << " free, " << store_type::page_bytes
                      << " bytes each)\n"
                      << "file bytes  " << s.file_bytes << "\n";
        }
        return 0;
    });
}

} // namespace sqlitegraph::cli
