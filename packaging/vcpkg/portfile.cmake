# vcpkg port for sqlitegraph (header-only). vcpkg is not installable on the
# project's development machines; this port follows vcpkg's conventions and
# is not exercised by CI. SOURCE_PATH points at a release archive in an
# overlay-port setup; adjust REF/SHA512 when publishing.
vcpkg_from_git(
    OUT_SOURCE_PATH SOURCE_PATH
    URL "${SQLITEGRAPH_GIT_URL}"
    REF "${SQLITEGRAPH_GIT_REF}"
)

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES
        simdjson SQLITEGRAPH_WITH_SIMDJSON
        sqlite3  SQLITEGRAPH_WITH_SQLITE3
        lz4      SQLITEGRAPH_WITH_LZ4
        zstd     SQLITEGRAPH_WITH_ZSTD
        xxhash   SQLITEGRAPH_WITH_XXHASH
)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${FEATURE_OPTIONS}
        -DSQLITEGRAPH_BUILD_TESTS=OFF
        -DSQLITEGRAPH_BUILD_BENCHMARKS=OFF
        -DSQLITEGRAPH_BUILD_EXAMPLES=OFF
        -DSQLITEGRAPH_INSTALL=ON
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH share/cmake/sqlitegraph)
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug" "${CURRENT_PACKAGES_DIR}/lib")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
