// benchmarks/probes/rmat_store.hpp — the probes' store: the R-MAT graph of
// `scale` (edge factor 16, seed 42; nodes of kind "v", edge types "t<k>",
// no properties, or with `weighted` each edge's R-MAT weight as its
// {"weight": w} property, as bench_algo_vs_igraph's store has) loaded with
// bulk_insert in batches of 2^20 edges, as `sqlitegraph import` loads.
// Made once: an existing file is reused.
#pragma once

#include "sqlitegraph/algo/rmat.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sqlitegraph::probes {

// DIR/probe-s<scale>.db (probe-s<scale>w.db weighted).
inline std::string rmat_store_path(const std::string& dir, unsigned scale, bool weighted = false) {
    return dir + "/probe-s" + std::to_string(scale) + (weighted ? "w" : "") + ".db";
}

// Loads the generated graph src into db in transactions of 2^batch_log2
// edges each (the nodes with the first), calling after_batch(round,
// seconds) after each commit.
template <class Graph, class AfterBatch>
void load_in_batches(graph_store& db, const Graph& src, unsigned batch_log2, bool weighted, AfterBatch&& after_batch) {
    const std::vector<node_input> nodes(src.vertices, node_input{.kind = "v"});
    node_id first = 0;
    std::size_t next = 0;
    int round = 0;
    do {
        const auto start = std::chrono::steady_clock::now();
        const std::size_t end = std::min(src.from.size(), next + (std::size_t{1} << batch_log2));
        std::vector<bulk_edge_input> batch;
        auto ref = [&](std::uint32_t v) { return first ? node_ref::existing(first + v) : node_ref::batch(v); };
        for (; next < end; ++next)
            batch.push_back({.from = ref(src.from[next]),
                             .to = ref(src.to[next]),
                             .type = "t" + std::to_string(src.type[next]),
                             .properties = weighted ? "{\"weight\":" + std::to_string(src.weight[next]) + "}" : std::string{}});
        auto tx = db.begin_write();
        const auto done = tx.bulk_insert(first ? std::span<const node_input>{} : std::span<const node_input>(nodes), batch);
        if (!first) first = done.first_node;
        tx.commit();
        after_batch(++round, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    } while (next < src.from.size());
}

// rmat_store_path's store, loaded unless it exists.
inline std::string rmat_store(const std::string& dir, unsigned scale, const store_options& so, bool weighted = false) {
    const std::string path = rmat_store_path(dir, scale, weighted);
    if (std::filesystem::exists(path)) return path;
    algo::rmat_options ro;
    ro.scale = scale;
    const auto src = algo::generate_rmat(ro);
    graph_store db(path, so);
    load_in_batches(db, src, 20, weighted, [](int, double) {});
    std::printf("loaded %zu edges into %s\n", src.from.size(), path.c_str());
    return path;
}

// The arguments the query probes share: DIR [SCALE=20] [ROUNDS] and, after
// them, whatever `more` names in the usage line (printed when DIR is missing).
struct query_args {
    std::string dir;
    unsigned scale = 20;
    int rounds = 0;
};
inline std::optional<query_args> parse_query_args(int argc, char** argv, int default_rounds, const char* more = "") {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [SCALE=20] [ROUNDS=%d]%s\n", argv[0], default_rounds, more);
        return std::nullopt;
    }
    return query_args{argv[1], argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 20,
                      argc > 3 ? std::atoi(argv[3]) : default_rounds};
}

// bench_graph_vs_sqlite's query budget (--cache-mib 1024): a page cache
// of 512 MiB (and node and adjacency caches of 256 MiB each, which
// open_for_queries sets). one_edge_commit passes sync_mode::full, as the
// benchmark's L2 commits use.
inline store_options query_options(sync_mode sync = sync_mode::normal) {
    store_options so;
    so.pager.sync = sync;
    so.pager.cache_pages = std::size_t{512} * 256;
    return so;
}

// The probe store of `scale` opened with `so` (query_options, perhaps
// changed) and the benchmark's node and adjacency caches.
inline graph_store open_for_queries(const std::string& dir, unsigned scale, const store_options& so) {
    graph_store db(rmat_store(dir, scale, so), so);
    db.set_node_cache_capacity(std::size_t{256} << 20);
    db.set_adjacency_cache_capacity(std::size_t{256} << 20);
    return db;
}
inline graph_store open_for_queries(const std::string& dir, unsigned scale, sync_mode sync = sync_mode::normal) {
    return open_for_queries(dir, scale, query_options(sync));
}

} // namespace sqlitegraph::probes
