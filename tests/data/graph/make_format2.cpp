// tests/data/graph/make_format2.cpp: how format2.db was made, by the last
// build of graph format 2 (before the weight column):
//   git archive dc91230 include | tar -x -C /tmp/fmt2
//   g++ -std=c++20 -I/tmp/fmt2/include -DSQLITEGRAPH_WITH_SIMDJSON=1 make_format2.cpp -o make -lsimdjson -lpthread
//   ./make format2.db     (then only format2.db is kept: close checkpointed everything into it)
// Not built by CMake.
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include <cstdio>
#include <string>
using namespace sqlitegraph;
int main(int argc, char** argv) {
    const std::string path = argc > 1 ? argv[1] : "fmt2.db";
    graph_store db(path);
    std::vector<node_id> n;
    for (int i = 0; i < 12; ++i)
        n.push_back(db.insert_node({.kind = i % 3 ? "module" : "package", .name = "n" + std::to_string(i),
                                    .properties = "{\"rank\":" + std::to_string(i) + "}"}));
    const char* props[] = {R"({"weight":2.5})", R"({"weight":1})", "", R"({"weight":"heavy"})",
                           R"({"weight":-3,"label":"x"})", R"({"label":"no weight"})", R"({"weight":0})",
                           R"({"weight":1e300})"};
    std::vector<edge_id> e;
    for (int i = 0; i < 40; ++i) {
        const int a = (i * 7) % 12, b = (i * 5 + 3) % 12;
        e.push_back(db.insert_edge({.from = n[a], .to = n[b], .type = i % 2 ? "calls" : "imports",
                                    .properties = props[i % 8]}));
    }
    db.erase_edge(e[8]);   // weight 2.5
    db.erase_edge(e[12]);  // weight -3
    db.erase_node(n[11]);
    const auto r = db.check();
    std::printf("check ok %d, %llu nodes, %llu edges\n", r.ok() ? 1 : 0,
                (unsigned long long)r.nodes, (unsigned long long)r.edges);
    return r.ok() ? 0 : 1;
}
