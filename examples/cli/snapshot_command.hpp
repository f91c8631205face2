// examples/cli/snapshot_command.hpp — `sqlitegraph snapshot export|import|
// verify`: one self-describing file (a header with a JSON manifest, then the
// pages) that can be checked and restored (docs/backup.md).
#pragma once

#include "database.hpp"
#include "options.hpp"
#include "sqlitegraph/graph/maintenance.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace sqlitegraph::cli {

namespace snapshot_cli {

inline void print_usage(std::ostream& os) {
    os << "usage: sqlitegraph snapshot export --db DB --out FILE [--manifest FILE.json]\n"
          "       sqlitegraph snapshot import --db DB --in FILE [--replace]\n"
          "       sqlitegraph snapshot verify --in FILE\n";
}

// The CLI's databases keep key trees and vector indexes beside the graph, so
// a restored file is checked the way `sqlitegraph check` checks.
inline graph_check_report check_restored(const std::string& path) {
    database restored(path, false);
    return restored.check();
}

inline int export_snapshot_command(const std::vector<std::string>& args) {
    static const command_spec spec{
        "snapshot export",
        "--db DB --out FILE [--manifest FILE.json]",
        "Writes the database as of one snapshot to the new file FILE: a 4 KiB header holding a JSON\n"
        "manifest (format, page size, checksum, node/edge/page counts, XXH3-64 of the content), then\n"
        "the pages. Prints the manifest; --manifest also writes it to a file.",
        {db_option(),
         backend_option(),
         {"out", "FILE", "the snapshot file to create", ""},
         {"manifest", "FILE.json", "also write the manifest here", ""}},
    };
    return run_command(spec, args, [&](parsed_args& a) {
        const std::string out = a.get("out");
        auto db = database::open(a, false);
        const auto manifest = export_snapshot(db->store(), out);
        if (a.has("manifest")) {
            const std::string path = a.get("manifest");
            std::ofstream file(path, std::ios::binary | std::ios::trunc);
            file << manifest.json() << "\n";
            if (!file.flush()) fail(errc::io, "cannot write the manifest to '" + path + "'");
        }
        std::cout << manifest.json() << "\n";
        return 0;
    });
}

inline int import_snapshot_command(const std::vector<std::string>& args) {
    static const command_spec spec{
        "snapshot import",
        "--db DB --in FILE [--replace] [--upgrade]",
        "Restores a snapshot into DB. Verifies the header, the manifest, the format, every page, the\n"
        "content checksum and the full integrity check on a temporary file first; DB is not touched\n"
        "unless all pass. DB must not exist unless --replace is given (it must not be open then).\n"
        "A snapshot of graph format 2 (before the weight column) is refused unless --upgrade is given;\n"
        "then it is converted on the temporary file before the integrity check.",
        {db_option(),
         {"in", "FILE", "the snapshot file", ""},
         {"replace", "", "replace an existing database", ""},
         {"upgrade", "", "convert a snapshot of graph format 2", ""}},
    };
    return run_command(spec, args, [&](parsed_args& a) {
        const std::string db = a.get("db");
        const std::string in = a.get("in");
        const bool replace = a.flag("replace");
        if (!replace && std::filesystem::exists(db))
            fail(errc::invalid_argument, "database '" + db + "' exists; pass --replace to replace it");
        const auto manifest =
            import_snapshot<store_type>(in, db, replace ? import_mode::replace : import_mode::create, check_restored,
                                        a.flag("upgrade") ? snapshot_upgrade::graph_format : snapshot_upgrade::refuse);
        std::cout << "imported " << in << " into " << db << ": " << manifest.nodes << " nodes, " << manifest.edges
                  << " edges, " << manifest.page_count << " pages, content xxh3 "
                  << snapshot_detail::hex64(manifest.content_xxh3) << " verified";
        if (manifest.graph_format != graph_detail::format_version)
            std::cout << "; converted from graph format " << manifest.graph_format << " to "
                      << graph_detail::format_version;
        std::cout << "\n";
        return 0;
    });
}

inline int verify_snapshot_command(const std::vector<std::string>& args) {
    static const command_spec spec{
        "snapshot verify",
        "--in FILE",
        "Checks a snapshot without restoring it: header, manifest, format, every page and the content\n"
        "checksum. Exit status 0 only when it is intact; prints the manifest.",
        {{"in", "FILE", "the snapshot file", ""}},
    };
    return run_command(spec, args, [&](parsed_args& a) {
        const auto manifest = verify_snapshot<store_type>(a.get("in"));
        std::cout << manifest.json() << "\n";
        return 0;
    });
}

} // namespace snapshot_cli

inline int snapshot_command(const std::vector<std::string>& args) {
    if (args.empty()) {
        snapshot_cli::print_usage(std::cerr);
        return 2;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "export") return snapshot_cli::export_snapshot_command(rest);
    if (args[0] == "import") return snapshot_cli::import_snapshot_command(rest);
    if (args[0] == "verify") return snapshot_cli::verify_snapshot_command(rest);
    if (args[0] == "--help" || args[0] == "-h") {
        snapshot_cli::print_usage(std::cout);
        return 0;
    }
    std::cerr << "sqlitegraph snapshot: unknown subcommand '" << args[0] << "'\n";
    snapshot_cli::print_usage(std::cerr);
    return 2;
}

} // namespace sqlitegraph::cli
