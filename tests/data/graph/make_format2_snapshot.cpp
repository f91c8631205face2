// tests/data/graph/make_format2_snapshot.cpp: how format2.snapshot was made,
// by the last build of graph format 2 (before the weight column), from
// format2.db beside it (make_format2.cpp):
//   git archive dc91230 include | tar -x -C /tmp/fmt2
//   g++ -std=c++20 -I/tmp/fmt2/include -DSQLITEGRAPH_WITH_SIMDJSON=1 make_format2_snapshot.cpp -o make -lsimdjson -lpthread
//   cp format2.db /tmp/copy.db && ./make /tmp/copy.db format2.snapshot
// (a copy, because opening a store may write to its log). Not built by CMake.
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/graph/maintenance.hpp"
#include <cstdio>
#include <string>
using namespace sqlitegraph;
int main(int argc, char** argv) {
    if (argc < 3) return 1;
    graph_store db(argv[1], store_options{.pager = {.create_if_missing = false}});
    const auto m = export_snapshot(db, argv[2]);
    std::printf("graph format %llu, %llu nodes, %llu edges\n", static_cast<unsigned long long>(m.graph_format),
                static_cast<unsigned long long>(m.nodes), static_cast<unsigned long long>(m.edges));
}
