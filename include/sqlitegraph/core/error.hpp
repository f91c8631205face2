// sqlitegraph/core/error.hpp — the one error type of the library.
//
// Every public call reports failure by throwing sqlitegraph::error. The code
// (errc) is for programs; the message is for people and always names the
// file, page, key or id at fault, so that a log line alone is enough to act.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace sqlitegraph {

enum class errc {
    io,               // the operating system refused a read, write, sync or open
    corruption,       // on-disk bytes fail a checksum, bound or invariant
    not_found,        // an id, key, name or file that does not exist
    invalid_argument, // the caller passed something malformed
    busy,             // another writer holds the lock past the timeout
    format_mismatch,  // the file was written by a different instantiation
    too_large,        // a key or value exceeds a hard limit
    read_only,        // a write was attempted through a read-only handle
    failed_state,     // an earlier I/O error during commit poisoned the handle
    cycle,            // an algorithm that needs a DAG met a cycle
    unsupported,      // a feature that this build or file does not support
};

constexpr std::string_view to_string(errc code) noexcept {
    switch (code) {
    case errc::io:
        return "io";
    case errc::corruption:
        return "corruption";
    case errc::not_found:
        return "not_found";
    case errc::invalid_argument:
        return "invalid_argument";
    case errc::busy:
        return "busy";
    case errc::format_mismatch:
        return "format_mismatch";
    case errc::too_large:
        return "too_large";
    case errc::read_only:
        return "read_only";
    case errc::failed_state:
        return "failed_state";
    case errc::cycle:
        return "cycle";
    case errc::unsupported:
        return "unsupported";
    }
    return "unknown";
}

class error : public std::runtime_error {
  public:
    error(errc code, const std::string& message)
        : std::runtime_error(std::string(to_string(code)) + ": " + message), code_(code) {}

    [[nodiscard]] errc code() const noexcept { return code_; }

  private:
    errc code_;
};

// Throws error(code, message). A named function keeps throw sites short and
// lets the compiler keep the cold path out of line.
[[noreturn]] inline void fail(errc code, const std::string& message) {
    throw error(code, message);
}

} // namespace sqlitegraph
