// sqlitegraph/version.hpp — the library version (kept equal to CMake's).
#pragma once

namespace sqlitegraph {
inline constexpr int version_major = 0;
inline constexpr int version_minor = 1;
inline constexpr int version_patch = 0;
inline constexpr const char* version_string = "0.1.0";
} // namespace sqlitegraph
