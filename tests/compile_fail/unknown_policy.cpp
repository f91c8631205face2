// expect: was given a type that is not a policy
// Must not compile: a type that opts into no policy category.
#include "sqlitegraph/graph/basic_graph_store.hpp"

int main() {
    using store = sqlitegraph::basic_graph_store<double>;
    return static_cast<int>(store::page_bytes);
}
