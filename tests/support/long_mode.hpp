// tests/support/long_mode.hpp — the soak switch of the crash and
// differential tests. CI runs their short mode; SQLITEGRAPH_LONG=1 runs them
// `factor` times longer (the long mode, for soak runs by hand).
#pragma once

#include <cstdlib>
#include <string_view>

namespace sqlitegraph::testing {

inline int long_mode_factor(int factor = 20) {
    const char* value = std::getenv("SQLITEGRAPH_LONG");
    return value != nullptr && std::string_view(value) == "1" ? factor : 1;
}

} // namespace sqlitegraph::testing
