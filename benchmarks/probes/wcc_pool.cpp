// Probe: WCC on the in-memory scale-20 R-MAT csr_view, 1 and 2 threads,
// three rounds of three runs each, with big_allocator's block pool at the
// given limit (0: every array freshly mapped). Its arrays are a few MiB
// (labels of 2^20 vertices), so it shows what keeping small blocks costs
// or saves. Not built by CMake:
//
//   g++ -O2 -std=c++20 -Iinclude benchmarks/probes/wcc_pool.cpp -o /tmp/wcc_pool -lpthread
//   /tmp/wcc_pool [LIMIT_BYTES]
#include "sqlitegraph/algo/components.hpp"
#include "sqlitegraph/algo/csr_view.hpp"
#include "sqlitegraph/algo/rmat.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace sqlitegraph::algo;

int main(int argc, char** argv) {
    if (argc > 1) set_retained_limit(std::strtoull(argv[1], nullptr, 10));
    const auto r = generate_rmat({20, 16, 42});
    const auto g = csr_view::from_arrays(r.vertices, r.from, r.to, r.type, r.weight);
    for (int round = 0; round < 3; ++round) {
        for (const unsigned threads : {1u, 2u}) {
            double best = 1e9, sum = 0;
            for (int i = 0; i < 3; ++i) {
                const auto start = std::chrono::steady_clock::now();
                const auto result = weakly_connected_components(g, threads);
                const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                if (result.count == 0) return 1;
                best = std::min(best, s);
                sum += s;
            }
            std::printf("threads %u: min %.4f s, mean %.4f s\n", threads, best, sum / 3);
        }
    }
}
