// examples/cli/main.cpp — the `sqlitegraph` command-line tool (docs/cli.md,
// ../shared/CLI.md): looks the command word up in commands.hpp and runs it.
#include "commands.hpp"

#include <algorithm>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

void usage(std::ostream& os) {
    os << "usage: sqlitegraph COMMAND [options]   (sqlitegraph COMMAND --help for its options)\n\ncommands:\n";
    for (const auto& c : sqlitegraph::cli::command_table()) {
        std::string name(c.name);
        name.resize(std::max<std::size_t>(name.size() + 2, 12), ' ');
        os << "  " << name << c.summary << "\n";
    }
}

} // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    if (argc < 2) {
        usage(std::cerr);
        return 2;
    }
    const std::string word = argv[1];
    if (word == "--help" || word == "-h" || word == "help") {
        usage(std::cout);
        return 0;
    }
    std::vector<std::string> args(argv + 2, argv + argc);
    for (const auto& c : sqlitegraph::cli::command_table()) {
        if (c.name != word) continue;
        try {
            const int status = c.run(args);
            std::cout.flush();
            if (!std::cout) {
                std::cerr << "sqlitegraph " << word << ": cannot write to standard output\n";
                return 1;
            }
            return status;
        } catch (const std::exception& e) {
            std::cerr << "sqlitegraph " << word << ": " << e.what() << "\n";
            return 1;
        }
    }
    std::cerr << "sqlitegraph: unknown command '" << word << "'\n";
    usage(std::cerr);
    return 2;
}
