// V1 and V2 of BENCHMARKS.md: our HNSW against hnswlib on the same vectors.
//
// Both indexes get the same data (generate.hpp: mixture of Gaussians, seed),
// M, ef_construction and a single build thread; both are searched on one
// thread for k = 10 at each ef of the sweep. Reported: build seconds, element
// storage bytes, and recall@10 against an exact scan with QPS (best of
// --repeat passes, alternating the systems pass by pass, since the machine
// is shared), plus the ratios ours/hnswlib
// and QPS of each at recall 0.95 (linear interpolation on the sweep).
//
// Usage: bench_vector_vs_hnswlib [--count 100000] [--dim 128] [--clusters 100]
//        [--queries 1000] [--seed 42] [--m 16] [--ef-construction 200]
//        [--repeat 3] [--json FILE]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "sqlitegraph/vector/vector.hpp"

#if defined(SQLITEGRAPH_HAVE_HNSWLIB)
#include <hnswlib/hnswlib.h>
#endif

namespace {

namespace sv = sqlitegraph::vector;
using clock_type = std::chrono::steady_clock;

struct options {
    std::size_t count = 100000, dim = 128, clusters = 100, queries = 1000, m = 16, ef_construction = 200;
    std::uint64_t seed = 42;
    int repeat = 3;
    std::string json;
};

struct point {
    std::size_t ef;
    double recall;
    double qps;
};

struct system_result {
    std::string name;
    bool present = false;
    double build_seconds = 0;
    std::size_t bytes = 0;
    std::vector<point> curve;
};

const std::vector<std::size_t> ef_sweep = {10, 20, 40, 80, 120, 200, 400};
constexpr std::size_t k = 10;

double seconds_since(clock_type::time_point start) {
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "missing value after %s\n", flag.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (flag == "--count") o.count = std::stoull(value());
        else if (flag == "--dim") o.dim = std::stoull(value());
        else if (flag == "--clusters") o.clusters = std::stoull(value());
        else if (flag == "--queries") o.queries = std::stoull(value());
        else if (flag == "--seed") o.seed = std::stoull(value());
        else if (flag == "--m") o.m = std::stoull(value());
        else if (flag == "--ef-construction") o.ef_construction = std::stoull(value());
        else if (flag == "--repeat") o.repeat = std::max(1, std::stoi(value()));
        else if (flag == "--json") o.json = value();
        else {
            std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
            std::exit(2);
        }
    }
    return o;
}

// One pass over every query; returns (hits against the truth, seconds).
std::pair<std::size_t, double> pass(const sv::vector_set& data,
                                    const std::vector<std::unordered_set<std::uint64_t>>& truth,
                                    const std::function<void(std::size_t query, std::vector<std::uint64_t>& out)>& run) {
    std::vector<std::uint64_t> found;
    std::size_t hits = 0;
    const auto start = clock_type::now();
    for (std::size_t q = 0; q < data.query_count(); ++q) {
        run(q, found);
        for (std::uint64_t key : found) hits += truth[q].count(key);
    }
    return {hits, seconds_since(start)};
}

// QPS at a recall target by linear interpolation between the sweep points
// that bracket it; 0 when the sweep never reaches the target.
double qps_at(const std::vector<point>& curve, double target) {
    for (std::size_t i = 0; i < curve.size(); ++i) {
        if (curve[i].recall < target) continue;
        if (i == 0) return curve[0].qps;
        const point& a = curve[i - 1];
        const point& b = curve[i];
        const double t = (target - a.recall) / std::max(1e-12, b.recall - a.recall);
        return a.qps + t * (b.qps - a.qps);
    }
    return 0;
}

double ratio(double ours, double theirs) { return theirs > 0 ? ours / theirs : 0; }

} // namespace

int main(int argc, char** argv) {
    const options o = parse(argc, argv);
    std::printf("vectors: %zu x %zu, %zu clusters, %zu queries, seed %llu; M=%zu ef_construction=%zu; k=%zu\n",
                o.count, o.dim, o.clusters, o.queries, static_cast<unsigned long long>(o.seed), o.m,
                o.ef_construction, k);
    std::printf("kernels: %s (run-time dispatch)\n", std::string(sv::to_string(sv::active_kernels().level)).c_str());
#if defined(SQLITEGRAPH_HAVE_HNSWLIB)
#if defined(__AVX512F__)
    std::printf("hnswlib: present, compiled with AVX-512 kernels\n");
#elif defined(__AVX__)
    std::printf("hnswlib: present, compiled with AVX kernels\n");
#else
    std::printf("hnswlib: present, compiled with SSE kernels (its SIMD choice is made at compile time; this build "
                "uses the default flags)\n");
#endif
#else
    std::printf("hnswlib: missing\n");
#endif

    const sv::vector_set data = sv::generate_vectors({o.count, o.dim, o.clusters, o.queries, o.seed});
    const auto gt_start = clock_type::now();
    const auto exact = sv::exact_knn(sv::metric::l2, o.dim, data.vectors, data.queries, k,
                                     std::max(1U, std::thread::hardware_concurrency()));
    std::vector<std::unordered_set<std::uint64_t>> truth(exact.size());
    for (std::size_t q = 0; q < exact.size(); ++q)
        for (const auto& [d, row] : exact[q]) truth[q].insert(row);
    std::printf("ground truth: exact scan in %.1f s\n\n", seconds_since(gt_start));

    system_result ours{"sqlitegraph", true, 0, 0, {}};
    system_result theirs{"hnswlib", false, 0, 0, {}};
    std::vector<std::uint64_t> keys(data.count());
    for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = i;

    sv::hnsw_params p;
    p.name = "bench";
    p.dim = o.dim;
    p.metric = sv::metric::l2;
    p.m = o.m;
    p.ef_construction = o.ef_construction;
    p.seed = o.seed;
    sv::hnsw_index index(p);
    auto start = clock_type::now();
    index.insert_batch(keys, data.vectors, 1);
    ours.build_seconds = seconds_since(start);
    ours.bytes = index.storage().bytes();
    std::printf("built ours in %.1f s\n", ours.build_seconds);
    std::fflush(stdout);

#if defined(SQLITEGRAPH_HAVE_HNSWLIB)
    theirs.present = true;
    hnswlib::L2Space space(o.dim);
    hnswlib::HierarchicalNSW<float> peer(&space, data.count(), o.m, o.ef_construction, o.seed);
    start = clock_type::now();
    for (std::size_t i = 0; i < data.count(); ++i) peer.addPoint(data.vector(i).data(), i);
    theirs.build_seconds = seconds_since(start);
    // Element storage, counted as ours is: level-0 blocks plus upper link lists.
    theirs.bytes = peer.max_elements_ * peer.size_data_per_element_;
    for (std::size_t i = 0; i < data.count(); ++i)
        theirs.bytes += static_cast<std::size_t>(peer.element_levels_[i]) * peer.size_links_per_element_;
    std::printf("built hnswlib in %.1f s\n\n", theirs.build_seconds);
    std::fflush(stdout);
#endif

    // The sweep alternates the two systems pass by pass, so that load from
    // other processes on a shared machine hits both alike; QPS is the best
    // pass of each (recall is the same on every pass).
    const double total = static_cast<double>(k * data.query_count());
    for (std::size_t ef : ef_sweep) {
        point a{ef, 0, 0}, b{ef, 0, 0};
        double best_a = 1e300, best_b = 1e300;
        for (int r = 0; r < o.repeat; ++r) {
            const auto [hits_a, secs_a] = pass(data, truth, [&](std::size_t q, std::vector<std::uint64_t>& out) {
                out.clear();
                for (const sv::search_hit& h : index.search(data.query(q), k, ef)) out.push_back(h.key);
            });
            a.recall = static_cast<double>(hits_a) / total;
            best_a = std::min(best_a, secs_a);
#if defined(SQLITEGRAPH_HAVE_HNSWLIB)
            peer.setEf(ef);
            const auto [hits_b, secs_b] = pass(data, truth, [&](std::size_t q, std::vector<std::uint64_t>& out) {
                out.clear();
                auto result = peer.searchKnn(data.query(q).data(), k);
                while (!result.empty()) {
                    out.push_back(result.top().second);
                    result.pop();
                }
            });
            b.recall = static_cast<double>(hits_b) / total;
            best_b = std::min(best_b, secs_b);
#endif
        }
        a.qps = static_cast<double>(data.query_count()) / best_a;
        b.qps = static_cast<double>(data.query_count()) / best_b;
        ours.curve.push_back(a);
        if (theirs.present) theirs.curve.push_back(b);
    }

    std::printf("%-12s %12s %14s\n", "system", "build s", "index bytes");
    for (const system_result* r : {&ours, &theirs}) {
        if (!r->present) {
            std::printf("%-12s %12s %14s\n", r->name.c_str(), "missing", "missing");
            continue;
        }
        std::printf("%-12s %12.2f %14zu\n", r->name.c_str(), r->build_seconds, r->bytes);
    }
    if (theirs.present)
        std::printf("%-12s %12.3f %14.3f\n", "ours/hnswlib", ratio(ours.build_seconds, theirs.build_seconds),
                    ratio(static_cast<double>(ours.bytes), static_cast<double>(theirs.bytes)));

    std::printf("\n%5s | %10s %10s | %10s %10s | %10s\n", "ef", "ours R@10", "ours QPS", "hnsw R@10", "hnsw QPS",
                "QPS ratio");
    for (std::size_t i = 0; i < ef_sweep.size(); ++i) {
        const point& a = ours.curve[i];
        if (theirs.present) {
            const point& b = theirs.curve[i];
            std::printf("%5zu | %10.4f %10.0f | %10.4f %10.0f | %10.3f\n", a.ef, a.recall, a.qps, b.recall, b.qps,
                        ratio(a.qps, b.qps));
        } else {
            std::printf("%5zu | %10.4f %10.0f | %10s %10s | %10s\n", a.ef, a.recall, a.qps, "missing", "missing", "-");
        }
    }
    const double ours95 = qps_at(ours.curve, 0.95);
    const double theirs95 = theirs.present ? qps_at(theirs.curve, 0.95) : 0;
    std::printf("\nQPS at recall@10 = 0.95: ours %.0f, hnswlib %s, ratio %s\n", ours95,
                theirs.present ? std::to_string(static_cast<long long>(theirs95)).c_str() : "missing",
                theirs95 > 0 ? std::to_string(ratio(ours95, theirs95)).c_str() : "-");

    if (!o.json.empty()) {
        std::ofstream out(o.json);
        out << "{\n  \"workload\": \"V1+V2\",\n";
        out << "  \"count\": " << o.count << ", \"dim\": " << o.dim << ", \"clusters\": " << o.clusters
            << ", \"queries\": " << o.queries << ", \"seed\": " << o.seed << ", \"m\": " << o.m
            << ", \"ef_construction\": " << o.ef_construction << ", \"k\": " << k << ",\n";
        out << "  \"kernels\": \"" << sv::to_string(sv::active_kernels().level) << "\",\n";
        out << "  \"systems\": [\n";
        bool first = true;
        for (const system_result* r : {&ours, &theirs}) {
            if (!first) out << ",\n";
            first = false;
            out << "    {\"name\": \"" << r->name << "\", \"present\": " << (r->present ? "true" : "false");
            if (r->present) {
                out << ", \"build_seconds\": " << r->build_seconds << ", \"index_bytes\": " << r->bytes
                    << ", \"qps_at_recall_0.95\": " << qps_at(r->curve, 0.95) << ", \"curve\": [";
                for (std::size_t i = 0; i < r->curve.size(); ++i)
                    out << (i ? ", " : "") << "{\"ef\": " << r->curve[i].ef << ", \"recall\": " << r->curve[i].recall
                        << ", \"qps\": " << r->curve[i].qps << "}";
                out << "]";
            }
            out << "}";
        }
        out << "\n  ],\n";
        out << "  \"ratios\": {\"build_time\": " << ratio(ours.build_seconds, theirs.build_seconds)
            << ", \"index_bytes\": " << ratio(static_cast<double>(ours.bytes), static_cast<double>(theirs.bytes))
            << ", \"qps_at_recall_0.95\": " << ratio(ours95, theirs95) << "}\n}\n";
    }
    return 0;
}
