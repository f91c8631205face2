# test_graph: the graph store's properties use simdjson when the library
# found it (sqlitegraph::sqlitegraph carries the dependency); nothing extra.
