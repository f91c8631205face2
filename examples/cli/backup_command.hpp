// examples/cli/backup_command.hpp — `sqlitegraph backup`: a consistent copy
// of a database, as of one snapshot, into a new file (docs/backup.md).
#pragma once

#include "database.hpp"
#include "options.hpp"
#include "sqlitegraph/graph/maintenance.hpp"

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

namespace sqlitegraph::cli {

inline int backup_command(const std::vector<std::string>& args) {
    static const command_spec spec{
        "backup",
        "--db DB --out PATH",
        "Copies the database as of one snapshot into the new file PATH (which must not exist), with the\n"
        "log folded in, fsynced, then renamed into place. Writers in the owning process are not blocked.\n"
        "The copy is an ordinary database: open it with --db PATH.",
        {db_option(), backend_option(), {"out", "PATH", "the new database file", ""}},
    };
    return run_command(spec, args, [&](parsed_args& a) {
        const std::string out = a.get("out");
        auto db = database::open(a, false);
        const auto start = std::chrono::steady_clock::now();
        const auto result = backup(db->store(), out);
        const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        std::cout << "backed up " << db->path() << " to " << out << ": " << result.nodes << " nodes, " << result.edges
                  << " edges, " << result.pages.page_count << " pages (" << result.pages.bytes << " bytes), commit "
                  << result.pages.change_counter << ", " << static_cast<long long>(ms + 0.5) << " ms\n";
        return 0;
    });
}

} // namespace sqlitegraph::cli
