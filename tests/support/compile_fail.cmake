# Translation units that must not compile. Each is built through ctest, and
# the test passes only when the compiler prints the expected static_assert
# message, so it fails if the file compiles or fails for another reason.
function(sqlitegraph_compile_fail_test name source expected_message)
    add_executable(${name} EXCLUDE_FROM_ALL ${source})
    target_link_libraries(${name} PRIVATE sqlitegraph::sqlitegraph)
    add_test(NAME "compile-fail: ${name}"
        COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target ${name})
    set_tests_properties("compile-fail: ${name}" PROPERTIES
        PASS_REGULAR_EXPRESSION "${expected_message}")
endfunction()

file(GLOB compile_fail_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/*.cpp)
foreach(source IN LISTS compile_fail_sources)
    get_filename_component(stem ${source} NAME_WE)
    # The first line of each file is "// expect: <regex>".
    file(STRINGS ${source} first_line LIMIT_COUNT 1)
    string(REGEX REPLACE "^// expect: " "" expected "${first_line}")
    sqlitegraph_compile_fail_test(compile_fail_${stem} ${source} "${expected}")
endforeach()
