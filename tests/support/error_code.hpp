// tests/support/error_code.hpp — the errc a call throws, for tests that
// check which error bad input gets.
#pragma once

#include "sqlitegraph/core/error.hpp"

#include <optional>

namespace sqlitegraph::testing {

// The code of the sqlitegraph::error fn throws (nullopt when it throws
// nothing, so a comparison with the expected code fails).
template <class Fn> std::optional<errc> error_code_of(Fn&& fn) {
    try {
        fn();
    } catch (const error& e) {
        return e.code();
    }
    return std::nullopt;
}

} // namespace sqlitegraph::testing
