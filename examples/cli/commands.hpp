// examples/cli/commands.hpp — the dispatch table of the sqlitegraph tool.
//
// Registering a command = one #include and one row below. Each command is
// `int NAME_command(const std::vector<std::string>& args)` (args exclude the
// program name and the command word) returning 0 ok, 1 error, 2 usage.
#pragma once

#include "algo_command.hpp"
#include "backup_command.hpp"
#include "check_command.hpp"
#include "demo_command.hpp"
#include "export_command.hpp"
#include "generate_command.hpp"
#include "import_command.hpp"
#include "neighbors_command.hpp"
#include "snapshot_command.hpp"
#include "stats_command.hpp"
#include "upgrade_command.hpp"
#include "vector_command.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sqlitegraph::cli {

struct command_entry {
    std::string_view name;
    std::string_view summary;
    int (*run)(const std::vector<std::string>&);
};

inline const std::vector<command_entry>& command_table() {
    static const std::vector<command_entry> table{
        {"demo", "build a small software dependency graph and query it (the quick tour)", demo_command},
        {"generate", "benchmark inputs: generate rmat, generate vectors (deterministic for a seed)", generate_command},
        {"import", "load nodes and edges from CSV or JSON Lines (one transaction)", import_command},
        {"export", "write the graph or a k-hop neighbourhood as csv, jsonl, graphml or dot", export_command},
        {"neighbors", "the edges at one node", neighbors_command},
        {"stats", "node, edge and page counts, file size, backend", stats_command},
        {"check", "full integrity check (exit 0 only when clean)", check_command},
        {"upgrade", "convert a database of an older graph format in place (one transaction)", upgrade_command},
        {"backup", "consistent copy of a database into a new file, while writers continue", backup_command},
        {"snapshot", "snapshot export|import|verify: one verified file with a manifest", snapshot_command},
        {"algo", "graph algorithms (pagerank, wcc, scc, bfs, sssp, ...) as CSV keyed by node keys", algo_command},
        {"vector", "HNSW vector indexes: create, insert, search (also within k hops), delete, stats", vector_command},
    };
    return table;
}

} // namespace sqlitegraph::cli
