// examples/cli/upgrade_command.hpp — `sqlitegraph upgrade`: converts a
// database of an older graph format to the one this build reads, in place
// and in one transaction (store_options::upgrade_format).
#pragma once

#include "database.hpp"
#include "options.hpp"

#include <iostream>
#include <string>
#include <vector>

namespace sqlitegraph::cli {

inline int upgrade_command(const std::vector<std::string>& args) {
    static const command_spec spec{
        "upgrade",
        "--db DB",
        "Converts a database of graph format 2 (before the weight column) to the format this build\n"
        "reads, in place and in one transaction; a crash leaves it as it was. A database already at\n"
        "the current format is left unchanged. Builds older than the format cannot open it afterwards.",
        {db_option()},
    };
    return run_command(spec, args, [&](parsed_args& a) {
        auto db = database::open(a, false, {.upgrade_format = true});
        const auto current = graph_detail::format_version;
        if (const auto from = db->store().upgraded_from_format())
            std::cout << "upgraded: " << db->path() << ": graph format " << from << " -> " << current << "\n";
        else
            std::cout << "ok: " << db->path() << ": already at graph format " << current << "\n";
        return 0;
    });
}

} // namespace sqlitegraph::cli
