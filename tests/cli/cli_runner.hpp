// tests/cli/cli_runner.hpp — runs the real sqlitegraph binary for the CLI
// end-to-end tests: fork + exec with stdout and stderr captured in files of
// a temp directory (no pipes, so a chatty command cannot deadlock).
#pragma once

#include "support/temp_dir.hpp"

#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace sqlitegraph::testing {

struct cli_result {
    int status = -1; // exit status, or 128 + signal
    std::string out;
    std::string err;
};

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
}

inline const char* cli_binary() { return SQLITEGRAPH_CLI_BINARY; }

// Runs `sqlitegraph args...` and returns its status and output.
inline cli_result run_cli(const std::vector<std::string>& args) {
    const std::string binary = cli_binary();
    if (binary.empty()) throw std::runtime_error("test_cli needs the CLI: configure with SQLITEGRAPH_BUILD_EXAMPLES=ON");
    temp_dir io;
    const std::string out_path = io.file("stdout"), err_path = io.file("stderr");
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int o = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int e = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int n = ::open("/dev/null", O_RDONLY);
        if (o < 0 || e < 0 || n < 0) ::_exit(127);
        ::dup2(n, 0);
        ::dup2(o, 1);
        ::dup2(e, 2);
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(binary.c_str()));
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(binary.c_str(), argv.data());
        ::_exit(127);
    }
    int raw = 0;
    while (::waitpid(pid, &raw, 0) < 0) {
    }
    cli_result r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    return r;
}

} // namespace sqlitegraph::testing
