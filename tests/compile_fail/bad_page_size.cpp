// expect: the page size must be a power of two from 1024 to 65536 bytes
// Must not compile: a page size outside the supported range.
#include "sqlitegraph/graph/basic_graph_store.hpp"

int main() {
    using store = sqlitegraph::basic_graph_store<sqlitegraph::page_size<3000>>;
    return static_cast<int>(store::page_bytes);
}
