# test_cli runs the real sqlitegraph binary: its path comes in as
# SQLITEGRAPH_CLI_BINARY, and building test_cli builds the tool first. The
# tool is defined later (examples/), which a generator expression allows.
if(TARGET test_cli)
    if(SQLITEGRAPH_BUILD_EXAMPLES)
        target_compile_definitions(test_cli PRIVATE SQLITEGRAPH_CLI_BINARY="$<TARGET_FILE:sqlitegraph_cli>")
        add_dependencies(test_cli sqlitegraph_cli)
    else()
        target_compile_definitions(test_cli PRIVATE SQLITEGRAPH_CLI_BINARY="")
    endif()
endif()
