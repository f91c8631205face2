# install(EXPORT) plus a package config, so that after `cmake --install`
#   find_package(sqlitegraph CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE sqlitegraph::sqlitegraph)
# works. The config re-finds the optional dependencies the library was
# configured with, because the exported target links to them.
include(CMakePackageConfigHelpers)

set(SQLITEGRAPH_CMAKE_DIR ${CMAKE_INSTALL_DATADIR}/cmake/sqlitegraph)

install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS sqlitegraph EXPORT sqlitegraphTargets)
install(EXPORT sqlitegraphTargets
    NAMESPACE sqlitegraph::
    DESTINATION ${SQLITEGRAPH_CMAKE_DIR})

configure_package_config_file(cmake/sqlitegraphConfig.cmake.in
    ${CMAKE_CURRENT_BINARY_DIR}/sqlitegraphConfig.cmake
    INSTALL_DESTINATION ${SQLITEGRAPH_CMAKE_DIR})
# Header-only: the package works for any architecture.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/sqlitegraphConfigVersion.cmake
    COMPATIBILITY SameMinorVersion
    ARCH_INDEPENDENT)
install(FILES
    ${CMAKE_CURRENT_BINARY_DIR}/sqlitegraphConfig.cmake
    ${CMAKE_CURRENT_BINARY_DIR}/sqlitegraphConfigVersion.cmake
    cmake/FindLZ4.cmake
    cmake/FindxxHash.cmake
    DESTINATION ${SQLITEGRAPH_CMAKE_DIR})
