// benchmarks/algo_vs_igraph.cpp — our algorithms against igraph on the same
// R-MAT graph (BENCHMARKS.md A1, A2 and friends).
//
//   bench_algo_vs_igraph [--scale S | --nodes N.csv --edges E.csv] [--repeat R] [--json FILE]
//                        [--store-scale S|0] [--store-dir DIR]
//
// --nodes/--edges read the CSV files of `sqlitegraph generate rmat` (or any
// files in the import format of CLI.md): vertex i is the i-th row of N.csv,
// an edge key missing from it becomes a new vertex (as import does), edge
// types are numbered in order of first appearance, and the `weight` column
// gives the weight (1 where absent or empty). Without them the R-MAT graph
// is generated in memory (--scale, edge factor 16, seed 42: the same graph
// as `generate rmat --scale S --edge-factor 16 --seed 42`, in the same order).
//
// Rows with 2 threads are compared with igraph's single-threaded time (igraph
// runs these on one thread). The store rows load the graph into a native
// store file (in --store-dir, the temp directory by default; --store-scale 0
// skips them; with --nodes/--edges they load the CSV graph unless
// --store-scale names a scale) and time snapshot_csr(), the csr_view built
// from a read snapshot, with a warm page cache and on the first read, with
// 1 and 2 threads, with weights and without (snapshot_options::weights =
// false skips the edge records); each row's note gives its edges/s, and the
// JSON has the four warm rates. The store is written as `sqlitegraph
// import` writes it (bulk_insert in batches of 2^20 edges).
//
// Both sides get the same graph: directed with duplicates for PageRank, WCC,
// SCC and BFS; the simple undirected graph underneath (built outside the
// timed region on both sides, and timed as its own row) for triangles and
// k-core. Results are cross-checked so a fast wrong answer cannot win.
// igraph's PageRank uses PRPACK (a direct solver, igraph's default); ours is
// power iteration to an L1 change below 1e-10 (the CLI contract).
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <span>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include "sqlitegraph/algo/algorithms.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/graph/store_view.hpp"

#if SQLITEGRAPH_HAVE_IGRAPH
#include <igraph/igraph.h>
#endif

using namespace sqlitegraph::algo;

namespace {

struct stats {
    double median = 0, min = 0, max = 0;
};

stats measure(int repeat, const std::function<void()>& fn) {
    std::vector<double> t;
    for (int i = 0; i < repeat; ++i) {
        const auto a = std::chrono::steady_clock::now();
        fn();
        const auto b = std::chrono::steady_clock::now();
        t.push_back(std::chrono::duration<double>(b - a).count());
    }
    std::sort(t.begin(), t.end());
    return {t[t.size() / 2], t.front(), t.back()};
}

struct row {
    std::string workload;
    unsigned threads;
    stats ours;
    std::optional<stats> theirs;
    std::string note;
};

std::string fmt(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", s);
    return buf;
}

#if SQLITEGRAPH_HAVE_IGRAPH
struct igraph_holder {
    igraph_t g;
    igraph_holder() = default;
    igraph_holder(const igraph_holder&) = delete;
    igraph_holder& operator=(const igraph_holder&) = delete;
    ~igraph_holder() { igraph_destroy(&g); }
};
void check_igraph(igraph_error_t rc, const char* what) {
    if (rc != IGRAPH_SUCCESS) {
        std::fprintf(stderr, "igraph %s failed with code %d\n", what, static_cast<int>(rc));
        std::exit(2);
    }
}
#endif

// ---- CSV input (the import format of CLI.md) --------------------------------

// Splits one CSV line into fields (RFC 4180 quotes: "a,b" and "" inside).
std::vector<std::string> split_csv(std::string_view line, const std::string& where) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
            else if (c == '"') quoted = false;
            else out.back() += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out.emplace_back();
        } else if (c != '\r') {
            out.back() += c;
        }
    }
    if (quoted) throw std::runtime_error(where + ": unterminated quote");
    return out;
}

// Calls on_header(fields) for the first line, then on_row(fields, "FILE:LINE")
// for each data row.
template <class Header, class Row>
void read_csv(const std::string& path, Header&& on_header, Row&& on_row) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot open");
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error(path + ": empty file (a header is required)");
    const auto header = split_csv(line, path + ":1");
    on_header(header);
    std::size_t no = 1;
    while (std::getline(in, line)) {
        ++no;
        if (line.empty() || line == "\r") continue;
        const std::string where = path + ":" + std::to_string(no);
        const auto fields = split_csv(line, where);
        if (fields.size() != header.size())
            throw std::runtime_error(where + ": " + std::to_string(fields.size()) + " fields, the header has " +
                                     std::to_string(header.size()));
        on_row(fields, where);
    }
}

// The column called name, or header.size() when there is none.
std::size_t column(const std::vector<std::string>& header, const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    return static_cast<std::size_t>(it - header.begin());
}

// The graph of a nodes file (optional) and an edges file, as an rmat_graph.
rmat_graph load_csv(const std::string& nodes_path, const std::string& edges_path) {
    rmat_graph g;
    std::unordered_map<std::string, vertex_id> vertex_of;
    auto vertex = [&](const std::string& key) {
        return vertex_of.try_emplace(key, static_cast<vertex_id>(vertex_of.size())).first->second;
    };
    if (!nodes_path.empty()) {
        read_csv(
            nodes_path,
            [&](const std::vector<std::string>& h) {
                if (h.empty() || h[0] != "id") throw std::runtime_error(nodes_path + ":1: the header must start with id");
            },
            [&](const std::vector<std::string>& f, const std::string& where) {
                const auto before = vertex_of.size();
                vertex(f[0]);
                if (vertex_of.size() == before) throw std::runtime_error(where + ": node key '" + f[0] + "' repeats");
            });
    }
    std::size_t from_col = 0, to_col = 0, type_col = 0, weight_col = 0;
    std::unordered_map<std::string, type_id> type_of;
    read_csv(
        edges_path,
        [&](const std::vector<std::string>& h) {
            from_col = column(h, "from");
            to_col = column(h, "to");
            type_col = column(h, "type");
            weight_col = column(h, "weight");
            if (from_col == h.size() || to_col == h.size())
                throw std::runtime_error(edges_path + ":1: the header needs from and to columns");
        },
        [&](const std::vector<std::string>& f, const std::string& where) {
            g.from.push_back(vertex(f[from_col]));
            g.to.push_back(vertex(f[to_col]));
            g.type.push_back(type_col < f.size()
                                 ? type_of.try_emplace(f[type_col], static_cast<type_id>(type_of.size())).first->second
                                 : 0);
            double w = 1.0;
            if (weight_col < f.size() && !f[weight_col].empty()) {
                const std::string& cell = f[weight_col];
                const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), w);
                if (ec != std::errc() || end != cell.data() + cell.size())
                    throw std::runtime_error(where + ": weight '" + cell + "' is not a number");
            }
            g.weight.push_back(w);
        });
    if (vertex_of.size() >= static_cast<std::size_t>(no_vertex)) throw std::runtime_error("too many vertices for csr_view");
    g.vertices = vertex_of.size();
    return g;
}

} // namespace

int main(int argc, char** argv) {
    unsigned scale = 16;
    int repeat = 5;
    std::string json_path;
    int store_scale = -1; // -1: same as --scale; 0: skip the store rows
    std::string store_dir = std::filesystem::temp_directory_path().string();
    std::string nodes_csv, edges_csv;
    const char* usage = "usage: %s [--scale S | --nodes N.csv --edges E.csv] [--repeat R] [--json FILE] "
                        "[--store-scale S|0] [--store-dir DIR]\n";
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            if (a == "--scale" && i + 1 < argc) scale = static_cast<unsigned>(std::stoul(argv[++i]));
            else if (a == "--repeat" && i + 1 < argc) repeat = std::max(1, std::stoi(argv[++i]));
            else if (a == "--json" && i + 1 < argc) json_path = argv[++i];
            else if (a == "--store-scale" && i + 1 < argc) store_scale = std::stoi(argv[++i]);
            else if (a == "--store-dir" && i + 1 < argc) store_dir = argv[++i];
            else if (a == "--nodes" && i + 1 < argc) nodes_csv = argv[++i];
            else if (a == "--edges" && i + 1 < argc) edges_csv = argv[++i];
            else {
                std::fprintf(a == "--help" ? stdout : stderr, usage, argv[0]);
                if (a != "--help") std::fprintf(stderr, "unknown or incomplete option '%s'\n", a.c_str());
                return a == "--help" ? 0 : 1;
            }
        }
    } catch (const std::exception& e) { // stoi/stoul on a non-number
        std::fprintf(stderr, usage, argv[0]);
        std::fprintf(stderr, "bad number: %s\n", e.what());
        return 1;
    }
    if (!nodes_csv.empty() && edges_csv.empty()) {
        std::fprintf(stderr, "--nodes needs --edges\n");
        return 1;
    }
    const bool from_csv = !edges_csv.empty();

    auto t0 = std::chrono::steady_clock::now();
    rmat_graph input;
    std::string input_name;
    if (from_csv) {
        try {
            input = load_csv(nodes_csv, edges_csv);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s\n", e.what());
            return 1;
        }
        input_name = (nodes_csv.empty() ? "" : nodes_csv + " + ") + edges_csv;
        std::printf("CSV input %s, repeat %d\n", input_name.c_str(), repeat);
    } else {
        input = generate_rmat({scale, 16, 42});
        input_name = "R-MAT scale " + std::to_string(scale) + ", edge factor 16, seed 42";
        std::printf("R-MAT scale %u, edge factor 16, seed 42 (a,b,c,d = 0.57,0.19,0.19,0.05), repeat %d\n", scale, repeat);
    }
    const double gen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::size_t n = input.vertices, m = input.from.size();
    std::printf("%zu vertices, %zu edges, %s in %.2f s\n", n, m, from_csv ? "read" : "generated (self-loops dropped)", gen_s);

    std::vector<row> rows;
    double store_build_rate = 0, store_build_rate2 = 0, store_build_rate_light = 0, store_build_rate_light2 = 0;
    csr_view g;
    const stats build = measure(repeat, [&] { g = csr_view::from_arrays(n, input.from, input.to, input.type, input.weight); });
    // The shape a store snapshot feeds: edges already grouped by source.
    stats build_sorted;
    {
        std::vector<std::uint32_t> order(m);
        std::iota(order.begin(), order.end(), 0u);
        std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return input.from[a] < input.from[b]; });
        std::vector<vertex_id> sf(m), st(m);
        std::vector<type_id> sty(m);
        std::vector<double> sw(m);
        for (std::size_t i = 0; i < m; ++i) {
            sf[i] = input.from[order[i]];
            st[i] = input.to[order[i]];
            sty[i] = input.type[order[i]];
            sw[i] = input.weight[order[i]];
        }
        build_sorted = measure(repeat, [&] { (void)csr_view::from_arrays(n, sf, st, sty, sw); });
    }
    const stats build2 = measure(repeat, [&] { (void)csr_view::from_arrays(n, input.from, input.to, input.type, input.weight, 2); });
    csr_view u;
    const stats undirected = measure(repeat, [&] { u = simple_undirected(g); });
    std::printf("csr_view build: %.1f M edges/s (median)\n", static_cast<double>(m) / build.median / 1e6);

#if SQLITEGRAPH_HAVE_IGRAPH
    const bool have_igraph = true;
    igraph_set_error_handler(igraph_error_handler_printignore);
    igraph_vector_int_t ig_edges;
    igraph_vector_int_init(&ig_edges, static_cast<igraph_integer_t>(2 * m));
    for (std::size_t i = 0; i < m; ++i) {
        VECTOR(ig_edges)[2 * i] = input.from[i];
        VECTOR(ig_edges)[2 * i + 1] = input.to[i];
    }
    igraph_holder ig, ig_u;
    bool ig_built = false;
    const stats ig_build = measure(repeat, [&] {
        if (ig_built) igraph_destroy(&ig.g);
        check_igraph(igraph_create(&ig.g, &ig_edges, static_cast<igraph_integer_t>(n), IGRAPH_DIRECTED), "create");
        ig_built = true;
    });
    bool ig_u_built = false;
    const stats ig_undirected = measure(repeat, [&] {
        if (ig_u_built) igraph_destroy(&ig_u.g);
        check_igraph(igraph_copy(&ig_u.g, &ig.g), "copy");
        ig_u_built = true;
        check_igraph(igraph_to_undirected(&ig_u.g, IGRAPH_TO_UNDIRECTED_COLLAPSE, nullptr), "to_undirected");
        check_igraph(igraph_simplify(&ig_u.g, true, true, nullptr), "simplify");
    });
    rows.push_back({"csr_view build (directed, types+weights)", 1, build, ig_build,
                    "R-MAT order; igraph_create, no attributes; " + fmt(static_cast<double>(m) / build.median / 1e6) + " M edges/s"});
    rows.push_back({"csr_view build (directed, types+weights)", 2, build2, std::nullopt,
                    fmt(static_cast<double>(m) / build2.median / 1e6) + " M edges/s"});
    rows.push_back({"csr_view build, source-sorted input", 1, build_sorted, ig_build,
                    fmt(static_cast<double>(m) / build_sorted.median / 1e6) + " M edges/s"});
    rows.push_back({"simple undirected derivation", 1, undirected, ig_undirected, "igraph copy+to_undirected+simplify"});
#else
    const bool have_igraph = false;
    std::printf("igraph is missing: reporting our numbers only\n");
    rows.push_back({"csr_view build (directed, types+weights)", 1, build, std::nullopt, ""});
    rows.push_back({"csr_view build (directed, types+weights)", 2, build2, std::nullopt, ""});
    rows.push_back({"csr_view build, source-sorted input", 1, build_sorted, std::nullopt, ""});
    rows.push_back({"simple undirected derivation", 1, undirected, std::nullopt, ""});
#endif

    // PageRank. Every 2-thread row is compared with igraph's (single-threaded) time.
    std::optional<stats> pr_igraph;
    for (unsigned threads : {1u, 2u}) {
        pagerank_result pr;
        pagerank_options o;
        o.threads = threads;
        const stats s = measure(repeat, [&] { pr = pagerank(g, o); });
        std::string note = std::to_string(pr.iterations) + " iterations";
        std::optional<stats> theirs;
#if SQLITEGRAPH_HAVE_IGRAPH
        if (threads == 1) {
            igraph_vector_t vec;
            igraph_vector_init(&vec, 0);
            igraph_real_t value = 0;
            theirs = measure(repeat, [&] {
                check_igraph(igraph_pagerank(&ig.g, IGRAPH_PAGERANK_ALGO_PRPACK, &vec, &value, igraph_vss_all(), true,
                                             0.85, nullptr, nullptr),
                             "pagerank");
            });
            double diff = 0;
            for (std::size_t v = 0; v < n; ++v) diff += std::abs(VECTOR(vec)[v] - pr.score[v]);
            note += ", L1 distance to igraph " + std::to_string(diff);
            igraph_vector_destroy(&vec);
        }
#endif
        if (threads == 1) pr_igraph = theirs;
        else theirs = pr_igraph;
        rows.push_back({"pagerank (tol 1e-10)", threads, s, theirs, note});
    }

    // WCC and SCC.
    {
        components_result r;
        const stats s = measure(repeat, [&] { r = weakly_connected_components(g); });
        std::optional<stats> theirs;
        std::string note = std::to_string(r.count) + " components";
#if SQLITEGRAPH_HAVE_IGRAPH
        igraph_vector_int_t memb;
        igraph_vector_int_init(&memb, 0);
        igraph_integer_t no = 0;
        theirs = measure(repeat, [&] { check_igraph(igraph_connected_components(&ig.g, &memb, nullptr, &no, IGRAPH_WEAK), "wcc"); });
        if (no != static_cast<igraph_integer_t>(r.count)) note += " (igraph: " + std::to_string(no) + " MISMATCH)";
        igraph_vector_int_destroy(&memb);
#endif
        rows.push_back({"wcc", 1, s, theirs, note});
        components_result r2;
        const stats s2 = measure(repeat, [&] { r2 = weakly_connected_components(g, 2); });
        rows.push_back({"wcc", 2, s2, theirs, r2.component == r.component ? "same labels" : "LABELS DIFFER"});
    }
    {
        components_result r;
        const stats s = measure(repeat, [&] { r = strongly_connected_components(g); });
        std::optional<stats> theirs;
        std::string note = std::to_string(r.count) + " components";
#if SQLITEGRAPH_HAVE_IGRAPH
        igraph_vector_int_t memb;
        igraph_vector_int_init(&memb, 0);
        igraph_integer_t no = 0;
        theirs = measure(repeat, [&] { check_igraph(igraph_connected_components(&ig.g, &memb, nullptr, &no, IGRAPH_STRONG), "scc"); });
        if (no != static_cast<igraph_integer_t>(r.count)) note += " (igraph: " + std::to_string(no) + " MISMATCH)";
        igraph_vector_int_destroy(&memb);
#endif
        rows.push_back({"scc", 1, s, theirs, note});
    }

    // BFS from vertex 0 (the hub).
    {
        std::vector<std::uint32_t> d;
        const stats s = measure(repeat, [&] { d = bfs_depths(g, 0); });
        const auto reached = static_cast<std::size_t>(std::count_if(d.begin(), d.end(), [](std::uint32_t x) { return x != unreached; }));
        std::optional<stats> theirs;
        std::string note = std::to_string(reached) + " reached";
#if SQLITEGRAPH_HAVE_IGRAPH
        igraph_vector_int_t order;
        igraph_vector_int_init(&order, 0);
        theirs = measure(repeat, [&] { check_igraph(igraph_bfs_simple(&ig.g, 0, IGRAPH_OUT, &order, nullptr, nullptr), "bfs"); });
        if (static_cast<std::size_t>(igraph_vector_int_size(&order)) != reached) note += " (igraph disagrees)";
        igraph_vector_int_destroy(&order);
#endif
        rows.push_back({"bfs from 0 (top-down, sequential)", 1, s, theirs, note});
        for (unsigned threads : {1u, 2u}) {
            parallel_bfs_options o;
            o.threads = threads;
            std::vector<std::uint32_t> pd;
            const stats ps = measure(repeat, [&] { pd = parallel_bfs_depths(g, 0, o); });
            rows.push_back({"bfs from 0 (direction-optimising)", threads, ps, theirs,
                            pd == d ? "same depths" : "DEPTHS DIFFER"});
        }
    }

    // Triangles and k-core on the simple undirected graph.
    std::uint64_t ours_tri = 0;
    std::optional<stats> tri_igraph;
    for (unsigned threads : {1u, 2u}) {
        std::vector<std::uint64_t> t;
        const stats s = measure(repeat, [&] { t = triangles_undirected(u, threads); });
        ours_tri = std::accumulate(t.begin(), t.end(), std::uint64_t{0}) / 3;
        std::optional<stats> theirs;
        std::string note = std::to_string(ours_tri) + " triangles";
#if SQLITEGRAPH_HAVE_IGRAPH
        if (threads == 1) {
            igraph_vector_t res;
            igraph_vector_init(&res, 0);
            theirs = measure(repeat, [&] { check_igraph(igraph_adjacent_triangles(&ig_u.g, &res, igraph_vss_all()), "triangles"); });
            const double total = igraph_vector_sum(&res) / 3;
            if (static_cast<std::uint64_t>(total) != ours_tri) note += " (igraph: " + std::to_string(total) + " MISMATCH)";
            igraph_vector_destroy(&res);
        }
#endif
        if (threads == 1) tri_igraph = theirs;
        else theirs = tri_igraph;
        rows.push_back({"triangles per vertex (undirected)", threads, s, theirs, note});
    }
    {
        std::vector<std::uint32_t> c;
        const stats s = measure(repeat, [&] { c = core_numbers_undirected(u); });
        const std::uint32_t kmax = c.empty() ? 0 : *std::max_element(c.begin(), c.end());
        std::optional<stats> theirs;
        std::string note = "max core " + std::to_string(kmax);
#if SQLITEGRAPH_HAVE_IGRAPH
        igraph_vector_int_t cores;
        igraph_vector_int_init(&cores, 0);
        theirs = measure(repeat, [&] { check_igraph(igraph_coreness(&ig_u.g, &cores, IGRAPH_ALL), "coreness"); });
        bool same = igraph_vector_int_size(&cores) == static_cast<igraph_integer_t>(n);
        for (std::size_t v = 0; same && v < n; ++v) same = VECTOR(cores)[v] == static_cast<igraph_integer_t>(c[v]);
        if (!same) note += " (igraph MISMATCH)";
        igraph_vector_int_destroy(&cores);
#endif
        rows.push_back({"k-core (undirected)", 1, s, theirs, note});
    }

    // csr_view straight from a store snapshot (graph/store_view.hpp): the
    // same graph (or an R-MAT graph of --store-scale) loaded into a native
    // store file as `sqlitegraph import` loads it (bulk_insert, batches of
    // 2^20 edges), one node per vertex in vertex order, edge type "t<type>",
    // the weight as the `weight` property.
    const bool same_graph = store_scale < 0 || (!from_csv && static_cast<unsigned>(store_scale) == scale);
    if (store_scale != 0) {
        const rmat_graph sin = same_graph ? rmat_graph{} : generate_rmat({static_cast<unsigned>(store_scale), 16, 42});
        const rmat_graph& src = same_graph ? input : sin;
        const std::string label = same_graph ? (from_csv ? std::string("CSV graph") : "scale " + std::to_string(scale))
                                             : "scale " + std::to_string(store_scale);
        const std::size_t sn = src.vertices, sm = src.from.size();
        const std::string path = store_dir + "/bench_algo_store_" + std::to_string(::getpid()) + ".db";
        std::filesystem::remove(path);
        std::filesystem::remove(path + "-wal");
        sqlitegraph::store_options so;
        so.pager.sync = sqlitegraph::sync_mode::normal;
        so.pager.cache_pages = std::max<std::size_t>(4096, sm / 8); // the whole file stays cached
        auto l0 = std::chrono::steady_clock::now();
        {
            sqlitegraph::graph_store db(path, so);
            std::vector<sqlitegraph::node_input> nodes(sn, sqlitegraph::node_input{.kind = "v"});
            sqlitegraph::node_id first_node = 0;
            std::size_t next_edge = 0;
            char buf[64];
            do {
                const std::size_t end = std::min(sm, next_edge + (std::size_t{1} << 20));
                std::vector<sqlitegraph::bulk_edge_input> batch;
                batch.reserve(end - next_edge);
                auto ref = [&](vertex_id v) {
                    return first_node ? sqlitegraph::node_ref::existing(first_node + v) : sqlitegraph::node_ref::batch(v);
                };
                for (; next_edge < end; ++next_edge) {
                    const auto res = std::to_chars(buf, buf + sizeof buf, src.weight[next_edge]);
                    batch.push_back({.from = ref(src.from[next_edge]),
                                     .to = ref(src.to[next_edge]),
                                     .type = "t" + std::to_string(src.type[next_edge]),
                                     .properties = "{\"weight\":" + std::string(buf, res.ptr) + "}"});
                }
                auto tx = db.begin_write();
                const auto done = tx.bulk_insert(first_node ? std::span<const sqlitegraph::node_input>{} : nodes, batch);
                if (!first_node) first_node = done.first_node;
                tx.commit();
            } while (next_edge < sm);
        }
        const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - l0).count();
        std::printf("store (%s): %zu edges loaded in %.1f s (%s)\n", label.c_str(), sm, load_s, path.c_str());
        sqlitegraph::graph_store db(path, so);
        sqlitegraph::snapshot_graph sg;
        auto r = db.begin_read();
        sqlitegraph::snapshot_options two;
        two.threads = 2;
        sqlitegraph::snapshot_options light, light2; // no weights: the edge records are not read
        light.weights = light2.weights = false;
        light2.threads = 2;
        const stats cold = measure(1, [&] { sg = sqlitegraph::snapshot_csr<sqlitegraph::graph_store>(r); });
        const stats warm = measure(repeat, [&] { sg = sqlitegraph::snapshot_csr<sqlitegraph::graph_store>(r); });
        sqlitegraph::snapshot_graph sg2, sgl, sgl2;
        const stats warm2 = measure(repeat, [&] { sg2 = sqlitegraph::snapshot_csr<sqlitegraph::graph_store>(r, two); });
        const stats warml = measure(repeat, [&] { sgl = sqlitegraph::snapshot_csr<sqlitegraph::graph_store>(r, light); });
        const stats warml2 = measure(repeat, [&] { sgl2 = sqlitegraph::snapshot_csr<sqlitegraph::graph_store>(r, light2); });
        // Cross-check against the arrays: same rows (as multisets of
        // neighbours), same weights in total, same PageRank; and the
        // 2-thread view against the 1-thread one, array by array.
        const csr_view ref = same_graph ? csr_view{} : csr_view::from_arrays(sn, src.from, src.to, src.type, src.weight);
        const csr_view& rg = same_graph ? g : ref;
        bool same = sg.graph.vertex_count() == sn && sg.graph.edge_count() == sm;
        for (vertex_id v = 0; same && v < sn; ++v) {
            auto a = rg.out_neighbors(v), b = sg.graph.out_neighbors(v);
            std::vector<vertex_id> x(a.begin(), a.end()), y(b.begin(), b.end());
            std::sort(x.begin(), x.end());
            std::sort(y.begin(), y.end());
            same = x == y && rg.in_degree(v) == sg.graph.in_degree(v);
        }
        const double wa = std::accumulate(rg.weights().begin(), rg.weights().end(), 0.0);
        const double wb = std::accumulate(sg.graph.weights().begin(), sg.graph.weights().end(), 0.0);
        same = same && std::abs(wa - wb) <= 1e-9 * std::max(1.0, std::abs(wa));
        double l1 = 0;
        if (same) {
            const auto pa = pagerank(rg), pb = pagerank(sg.graph);
            for (std::size_t v = 0; v < sn; ++v) l1 += std::abs(pa.score[v] - pb.score[v]);
        }
        auto eq = [](auto x, auto y) { return std::equal(x.begin(), x.end(), y.begin(), y.end()); };
        const bool same2 = eq(sg.graph.out_offsets(), sg2.graph.out_offsets()) && eq(sg.graph.out_targets(), sg2.graph.out_targets()) &&
                           eq(sg.graph.in_offsets(), sg2.graph.in_offsets()) && eq(sg.graph.in_sources(), sg2.graph.in_sources()) &&
                           eq(sg.graph.types(), sg2.graph.types()) && eq(sg.graph.weights(), sg2.graph.weights());
        // Without weights: the same arrays but the weights, which are all 1.
        auto same_but_weights = [&](const sqlitegraph::snapshot_graph& x) {
            return eq(sg.graph.out_offsets(), x.graph.out_offsets()) && eq(sg.graph.out_targets(), x.graph.out_targets()) &&
                   eq(sg.graph.in_offsets(), x.graph.in_offsets()) && eq(sg.graph.in_sources(), x.graph.in_sources()) &&
                   eq(sg.graph.types(), x.graph.types()) &&
                   std::all_of(x.graph.weights().begin(), x.graph.weights().end(), [](double w) { return w == 1.0; });
        };
        const bool samel = same_but_weights(sgl), samel2 = same_but_weights(sgl2);
        const std::string check = same ? "same graph as the arrays, PageRank L1 " + fmt(l1) : "GRAPH DIFFERS";
        std::optional<stats> theirs;
#if SQLITEGRAPH_HAVE_IGRAPH
        if (same_graph) theirs = ig_build;
#endif
        store_build_rate = static_cast<double>(sm) / warm.median;
        store_build_rate2 = static_cast<double>(sm) / warm2.median;
        store_build_rate_light = static_cast<double>(sm) / warml.median;
        store_build_rate_light2 = static_cast<double>(sm) / warml2.median;
        rows.push_back({"csr_view from a store snapshot, " + label + ", warm cache", 1, warm, theirs,
                        fmt(store_build_rate / 1e6) + " M edges/s; " + check});
        rows.push_back({"csr_view from a store snapshot, " + label + ", warm cache", 2, warm2, theirs,
                        fmt(store_build_rate2 / 1e6) + " M edges/s; " + (same2 ? "identical arrays" : "ARRAYS DIFFER")});
        rows.push_back({"csr_view from a store snapshot, " + label + ", warm cache, no weights", 1, warml, theirs,
                        fmt(store_build_rate_light / 1e6) + " M edges/s; " +
                            (samel ? "identical arrays, weights 1" : "ARRAYS DIFFER")});
        rows.push_back({"csr_view from a store snapshot, " + label + ", warm cache, no weights", 2, warml2, theirs,
                        fmt(store_build_rate_light2 / 1e6) + " M edges/s; " +
                            (samel2 ? "identical arrays, weights 1" : "ARRAYS DIFFER")});
        rows.push_back({"csr_view from a store snapshot, " + label + ", first read", 1, cold, theirs,
                        fmt(static_cast<double>(sm) / cold.median / 1e6) + " M edges/s (pages read and verified)"});
        r.end();
        std::filesystem::remove(path);
        std::filesystem::remove(path + "-wal");
    }
#if SQLITEGRAPH_HAVE_IGRAPH
    igraph_vector_int_destroy(&ig_edges);
#endif

    std::printf("\n| workload | threads | ours median | ours min | ours max | igraph median | igraph min | igraph max | ours/igraph | note |\n");
    std::printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (const auto& r : rows) {
        std::printf("| %s | %u | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.workload.c_str(), r.threads,
                    fmt(r.ours.median).c_str(), fmt(r.ours.min).c_str(), fmt(r.ours.max).c_str(),
                    r.theirs ? fmt(r.theirs->median).c_str() : "-", r.theirs ? fmt(r.theirs->min).c_str() : "-",
                    r.theirs ? fmt(r.theirs->max).c_str() : "-",
                    r.theirs ? fmt(r.ours.median / r.theirs->median).c_str() : "-", r.note.c_str());
    }
    std::printf("\ntimes in seconds; csr_view build rate %.1f M edges/s from an edge list\n",
                static_cast<double>(m) / build.median / 1e6);
    if (store_scale != 0)
        std::printf("csr_view from a store snapshot (warm cache, target >= 20 M edges/s): %.1f M edges/s with weights, "
                    "%.1f with weights and 2 threads, %.1f without weights, %.1f without weights and 2 threads\n",
                    store_build_rate / 1e6, store_build_rate2 / 1e6, store_build_rate_light / 1e6,
                    store_build_rate_light2 / 1e6);
    if (!have_igraph) std::printf("igraph: missing\n");

    if (!json_path.empty()) {
        std::ofstream out(json_path);
        out << "{\n  \"benchmark\": \"algo_vs_igraph\",\n  \"input\": \"" << input_name << "\",\n  \"scale\": "
            << (from_csv ? std::string("null") : std::to_string(scale)) << ",\n  \"vertices\": " << n
            << ",\n  \"edges\": " << m << ",\n  \"repeat\": " << repeat << ",\n  \"igraph\": " << (have_igraph ? "true" : "false")
            << ",\n  \"csr_build_edges_per_second\": " << static_cast<double>(m) / build.median
            << ",\n  \"store_csr_edges_per_second\": " << store_build_rate
            << ",\n  \"store_csr_edges_per_second_2_threads\": " << store_build_rate2
            << ",\n  \"store_csr_edges_per_second_no_weights\": " << store_build_rate_light
            << ",\n  \"store_csr_edges_per_second_no_weights_2_threads\": " << store_build_rate_light2 << ",\n  \"rows\": [\n";
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& r = rows[i];
            out << "    {\"workload\": \"" << r.workload << "\", \"threads\": " << r.threads << ", \"ours\": {\"median\": "
                << r.ours.median << ", \"min\": " << r.ours.min << ", \"max\": " << r.ours.max << "}";
            if (r.theirs)
                out << ", \"igraph\": {\"median\": " << r.theirs->median << ", \"min\": " << r.theirs->min << ", \"max\": "
                    << r.theirs->max << "}, \"ratio\": " << r.ours.median / r.theirs->median;
            out << ", \"note\": \"" << r.note << "\"}" << (i + 1 < rows.size() ? "," : "") << "\n";
        }
        out << "  ]\n}\n";
    }
    return 0;
}
