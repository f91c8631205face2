// tests/support/catch.hpp — the one place that knows which Catch2 we have.
// Debian 12 ships Catch2 v2 (single header); newer systems ship v3.
#pragma once

#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#define SQLITEGRAPH_CATCH3 1
#else
#include <catch2/catch.hpp>
#endif
