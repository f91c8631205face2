// Every command answers --help with its usage on stdout and status 0, and
// the tool lists every command.
#include "cli/cli_runner.hpp"
#include "support/catch.hpp"

#include <string>
#include <vector>

using sqlitegraph::testing::run_cli;

TEST_CASE("sqlitegraph --help lists the commands", "[cli]") {
    const auto r = run_cli({"--help"});
    CHECK(r.status == 0);
    for (const char* c : {"import", "export", "generate", "neighbors", "stats", "check"}) {
        INFO(c);
        CHECK(r.out.find(std::string("  ") + c) != std::string::npos);
    }
}

TEST_CASE("every command answers --help with its usage", "[cli]") {
    const std::vector<std::vector<std::string>> commands{{"import"}, {"export"}, {"neighbors"}, {"stats"}, {"check"}};
    for (const auto& words : commands) {
        auto args = words;
        args.push_back("--help");
        const auto r = run_cli(args);
        INFO(words[0]);
        CHECK(r.status == 0);
        CHECK(r.out.find("usage: sqlitegraph " + words[0]) != std::string::npos);
        CHECK(r.out.find("--db") != std::string::npos);
    }
    for (const char* g : {"rmat", "vectors"}) {
        const auto r = run_cli({"generate", g, "--help"});
        INFO(g);
        CHECK(r.status == 0);
        CHECK(r.out.find(std::string("usage: sqlitegraph generate ") + g) != std::string::npos);
        CHECK(r.out.find("--seed") != std::string::npos);
    }
    CHECK(run_cli({"generate", "--help"}).status == 0);
}

TEST_CASE("an unknown command or option is a usage error (status 2)", "[cli]") {
    CHECK(run_cli({"frobnicate"}).status == 2);
    const auto r = run_cli({"stats", "--db", "x.db", "--no-such-option"});
    CHECK(r.status == 2);
    CHECK(r.err.find("--no-such-option") != std::string::npos);
}
