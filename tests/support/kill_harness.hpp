// tests/support/kill_harness.hpp — the real-crash half of the crash tests.
//
// run_and_kill forks a child that runs a write workload and writes each
// acknowledged transaction number (a u64, after commit() returned) to a
// pipe. The parent waits for the child's first acknowledgement, so the kill
// lands while it is committing rather than while it starts, lets it run a
// random while longer, SIGKILLs it, reaps it and returns the highest
// transaction number the child acknowledged.
#pragma once

#include "support/catch.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fcntl.h>
#include <optional>
#include <random>
#include <signal.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace sqlitegraph::testing {

// In the child: report one acknowledged transaction.
inline void acknowledge(int pipe_fd, std::uint64_t txn) {
    if (::write(pipe_fd, &txn, sizeof txn) != sizeof txn) ::_exit(3);
}

// child_body(pipe_fd) runs in the forked child and must never return
// normally (it loops until killed; on an error it calls _exit).
template <class ChildBody>
std::uint64_t run_and_kill(ChildBody&& child_body, std::uint64_t acknowledged, std::mt19937_64& rng,
                           std::chrono::microseconds max_extra = std::chrono::microseconds(20000),
                           std::chrono::seconds startup_limit = std::chrono::seconds(20)) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(fds[0]);
        try {
            child_body(fds[1]);
        } catch (...) {
            ::_exit(2);
        }
        ::_exit(4); // the body returned: not how a workload ends
    }
    ::close(fds[1]);
    ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
    const auto started = std::chrono::steady_clock::now();
    const auto before = acknowledged;
    std::optional<std::chrono::steady_clock::time_point> deadline;
    std::uint64_t txn;
    while (!deadline || std::chrono::steady_clock::now() < *deadline) {
        while (::read(fds[0], &txn, sizeof txn) == sizeof txn)
            acknowledged = std::max(acknowledged, txn);
        if (!deadline && acknowledged > before) {
            deadline = std::chrono::steady_clock::now() +
                       std::chrono::microseconds(rng() % static_cast<std::uint64_t>(max_extra.count() + 1));
        }
        if (!deadline && std::chrono::steady_clock::now() - started > startup_limit) break;
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    ::kill(child, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    INFO("child exit status " << status);
    REQUIRE(deadline.has_value()); // the child committed within the startup limit
    REQUIRE((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    while (::read(fds[0], &txn, sizeof txn) == sizeof txn)
        acknowledged = std::max(acknowledged, txn);
    ::close(fds[0]);
    return acknowledged;
}

} // namespace sqlitegraph::testing
