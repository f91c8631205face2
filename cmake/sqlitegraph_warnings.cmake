# Our own executables (tests, benchmarks, examples) build with warnings as
# errors; the exported library imposes no flags on its users.

function(sqlitegraph_strict target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
    if(SQLITEGRAPH_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=${SQLITEGRAPH_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
        target_link_options(${target} PRIVATE -fsanitize=${SQLITEGRAPH_SANITIZE})
    endif()
endfunction()
