# Finds the optional dependencies and carries each one that is enabled and
# present on the sqlitegraph target as a compile definition
# (SQLITEGRAPH_WITH_<NAME>=1) plus its link target. Code that needs one is
# guarded by that definition, so the core library needs none of them.

set(SQLITEGRAPH_ENABLED_DEPENDENCIES "")

macro(sqlitegraph_use_dependency name target)
    target_compile_definitions(sqlitegraph INTERFACE SQLITEGRAPH_WITH_${name}=1)
    target_link_libraries(sqlitegraph INTERFACE ${target})
    list(APPEND SQLITEGRAPH_ENABLED_DEPENDENCIES ${name})
endmacro()

if(SQLITEGRAPH_WITH_SIMDJSON)
    find_package(simdjson CONFIG QUIET)
    if(simdjson_FOUND)
        sqlitegraph_use_dependency(SIMDJSON simdjson::simdjson)
    endif()
endif()

if(SQLITEGRAPH_WITH_SQLITE3)
    find_package(SQLite3 QUIET)
    if(SQLite3_FOUND)
        sqlitegraph_use_dependency(SQLITE3 SQLite::SQLite3)
    endif()
endif()

if(SQLITEGRAPH_WITH_LZ4)
    find_package(LZ4 QUIET)
    if(LZ4_FOUND)
        sqlitegraph_use_dependency(LZ4 LZ4::lz4)
    endif()
endif()

if(SQLITEGRAPH_WITH_ZSTD)
    find_package(zstd CONFIG QUIET)
    if(zstd_FOUND)
        if(TARGET zstd::libzstd_shared)
            sqlitegraph_use_dependency(ZSTD zstd::libzstd_shared)
        else()
            sqlitegraph_use_dependency(ZSTD zstd::libzstd_static)
        endif()
    endif()
endif()

if(SQLITEGRAPH_WITH_XXHASH)
    find_package(xxHash QUIET)
    if(xxHash_FOUND)
        sqlitegraph_use_dependency(XXHASH xxHash::xxhash)
    endif()
endif()

message(STATUS "sqlitegraph optional dependencies in use: ${SQLITEGRAPH_ENABLED_DEPENDENCIES}")
