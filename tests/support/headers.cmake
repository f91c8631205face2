# Every public header compiles alone: one generated translation unit per
# header, so no header depends on what was included before it.
file(GLOB_RECURSE public_headers CONFIGURE_DEPENDS
    RELATIVE ${PROJECT_SOURCE_DIR}/include
    ${PROJECT_SOURCE_DIR}/include/sqlitegraph/*.hpp)
set(header_units "")
foreach(header IN LISTS public_headers)
    string(MAKE_C_IDENTIFIER "${header}" unit_name)
    set(unit ${CMAKE_CURRENT_BINARY_DIR}/header_units/${unit_name}.cpp)
    file(CONFIGURE OUTPUT ${unit} CONTENT "#include \"${header}\"\n")
    list(APPEND header_units ${unit})
endforeach()
add_library(sqlitegraph_header_check OBJECT ${header_units})
target_link_libraries(sqlitegraph_header_check PRIVATE sqlitegraph::sqlitegraph)
sqlitegraph_strict(sqlitegraph_header_check)
# The check is the build itself; this test makes it visible in ctest output.
add_test(NAME "headers: every public header compiles alone"
    COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target sqlitegraph_header_check)
