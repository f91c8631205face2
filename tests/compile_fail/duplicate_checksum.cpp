// expect: two checksum policies given to basic_graph_store
// Must not compile: two policies of one category.
#include "sqlitegraph/graph/basic_graph_store.hpp"

int main() {
    using store = sqlitegraph::basic_graph_store<sqlitegraph::crc32c, sqlitegraph::xxh3_64>;
    return static_cast<int>(store::page_bytes);
}
