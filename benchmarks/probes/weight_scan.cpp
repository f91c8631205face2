// Probe: what reading every edge's weight costs from the edge records (the
// pass snapshot_csr made before graph format 3) against the weight column
// (graph/edge_weights.hpp, what it reads now), on the probes' weighted R-MAT
// store, warm, one thread. Each pass stores the weights other than 1 into
// an array by edge id, as the builder does. Prints ROUNDS times for each,
// alternated, after one untimed pass of each (which fills the page cache).
// Not built by CMake:
//
//   g++ -O2 -std=c++20 -Iinclude -Ibenchmarks -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/weight_scan.cpp -o /tmp/weight_scan -lsimdjson -lpthread
//   (one line)
//   /tmp/weight_scan DIR [SCALE=20] [ROUNDS=5]
#include "probes/rmat_store.hpp"
#include "sqlitegraph/graph/store_view.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace sqlitegraph;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [SCALE=20] [ROUNDS=5]\n", argv[0]);
        return 1;
    }
    const unsigned scale = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 20;
    const int rounds = argc > 3 ? std::atoi(argv[3]) : 5;
    store_options so;
    so.pager.sync = sync_mode::normal;
    so.pager.cache_pages = std::size_t{1} << 21;
    graph_store db(probes::rmat_store(argv[1], scale, so, true), so);
    auto r = db.begin_read();
    auto& txn = r.pager_txn();
    using txn_type = std::remove_reference_t<decltype(txn)>;
    std::vector<double> w(txn.root(graph_detail::root_next_edge) + 1, 1.0);
    // Every entry of a tree, leaf by leaf (prefetching the next), into fn; returns how many.
    auto scan = [](auto tree, auto&& fn) {
        std::size_t n = 0;
        for (auto c = tree.begin(); c.valid(); c.next()) {
            c.prefetch_leaf();
            c.for_each_in_leaf([&](edge_id e, auto value) {
                fn(e, value);
                ++n;
                return true;
            });
        }
        return n;
    };
    auto records = [&] {
        return scan(basic_btree<txn_type, graph_store::record_params>(txn, txn.root(graph_detail::root_edges)),
                    [&](edge_id e, std::string_view record) {
                        const double x = edge_weights::weight_of(graph_store::record_codec::edge_properties(record), e);
                        if (x != 1.0) w[e] = x;
                    });
    };
    auto column = [&] {
        return scan(basic_btree<txn_type, graph_store::weight_params>(txn, txn.root(graph_detail::root_eweight)),
                    [&](edge_id e, std::uint64_t bits) { w[e] = edge_weights::weight_from_bits(bits, e); });
    };
    auto timed = [](auto&& pass, std::size_t& n) {
        const auto start = std::chrono::steady_clock::now();
        n = pass();
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    };
    std::size_t n_records = 0, n_column = 0;
    timed(records, n_records);
    timed(column, n_column);
    for (int i = 0; i < rounds; ++i) {
        const double a = timed(records, n_records);
        const double b = timed(column, n_column);
        std::printf("edge records %.1f ms (%zu records), weight column %.1f ms (%zu entries)\n", a, n_records, b, n_column);
    }
}
