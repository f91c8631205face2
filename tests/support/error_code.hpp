// tests/support/error_code.hpp — the errc a call throws, for tests that
// check which error bad input gets.
#pragma once

#include "sqlitegraph/core/error.hpp"

#include <optional>
#include <string>

namespace sqlitegraph::testing {

// The code of the sqlitegraph::error fn throws (nullopt when it throws
// nothing, so a comparison with the expected code fails); its message goes
// to *message when asked.
template <class Fn> std::optional<errc> error_code_of(Fn&& fn, std::string* message = nullptr) {
    try {
        fn();
    } catch (const error& e) {
        if (message) *message = e.what();
        return e.code();
    }
    return std::nullopt;
}

} // namespace sqlitegraph::testing
