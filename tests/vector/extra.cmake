# The vector tests build HNSW graphs of a few thousand elements; at -O0 under
# AddressSanitizer that takes minutes. -O1 (what the ASan documentation
# recommends for usable speed) keeps every sanitizer check.
if(TARGET test_vector)
    target_compile_options(test_vector PRIVATE $<$<CONFIG:Debug>:-O1>)
endif()
