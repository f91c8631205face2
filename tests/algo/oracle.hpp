// tests/algo/oracle.hpp — loads the graphs and networkx answers that
// tests/data/algo/make_expected.py wrote, and small helpers shared by the
// algo tests (partition comparison, tiny graph builders).
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sqlitegraph/algo/csr_view.hpp"

namespace algo_test {

using namespace sqlitegraph::algo;

inline std::string data_path(const std::string& file) {
    return std::string(SQLITEGRAPH_TEST_DATA_DIR) + "/algo/" + file;
}

inline std::ifstream open_data(const std::string& file) {
    std::ifstream in(data_path(file));
    if (!in) throw std::runtime_error("missing test data " + data_path(file) + " (run make_expected.py)");
    return in;
}

inline csr_view load_graph(const std::string& name) {
    auto in = open_data(name + ".edges");
    std::size_t n = 0, m = 0;
    in >> n >> m;
    std::vector<edge_record> edges(m);
    for (auto& e : edges) in >> e.from >> e.to >> e.type >> e.weight;
    return csr_view::from_edges(n, edges);
}

inline std::vector<double> load_values(const std::string& name, const std::string& algo) {
    auto in = open_data(name + "." + algo);
    std::vector<double> out;
    double x;
    while (in >> x) out.push_back(x);
    return out;
}

inline std::vector<std::vector<double>> load_rows(const std::string& name, const std::string& algo) {
    auto in = open_data(name + "." + algo);
    std::vector<std::vector<double>> rows;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::vector<double> row;
        double x;
        while (ls >> x) row.push_back(x);
        rows.push_back(std::move(row));
    }
    return rows;
}

// True when two labelings describe the same partition (labels are
// arbitrary: only "same block or not" counts).
template <class A, class B>
bool same_partition(const std::vector<A>& a, const std::vector<B>& b) {
    if (a.size() != b.size()) return false;
    std::map<long long, long long> ab, ba;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto x = static_cast<long long>(a[i]), y = static_cast<long long>(b[i]);
        auto [it1, new1] = ab.emplace(x, y);
        auto [it2, new2] = ba.emplace(y, x);
        if (it1->second != y || it2->second != x) return false;
    }
    return true;
}

inline csr_view graph_of(std::size_t n, std::initializer_list<std::pair<vertex_id, vertex_id>> edges) {
    csr_builder b(n);
    for (auto [u, v] : edges) b.add_edge(u, v);
    return b.build();
}

} // namespace algo_test
