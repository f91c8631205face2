// examples/cli/algo_command.hpp — `sqlitegraph algo NAME`: the graph
// algorithms on a database, as CSV keyed by external keys (CLI.md,
// "Algorithms").
//
// The database's read snapshot is materialised once into a csr_view
// (snapshot_csr: edge types and `weight` properties kept), the algorithm runs
// on it, and vertices are turned back into keys. The pure part —
// algo_cli::run(csr, keys, request) -> table — knows nothing of files, so
// the tests can check it on hand-made graphs.
//
// `--undirected` gives every edge both directions (a symmetric view with the
// same multiplicities and weights; a self-loop stays one loop). Triangles,
// k-core, Louvain and label propagation always ignore direction (the simple
// undirected graph underneath), with or without the flag.
#pragma once

#include "csv.hpp"
#include "database.hpp"
#include "options.hpp"

#include "sqlitegraph/algo/algorithms.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/graph/store_view.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iostream>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlitegraph::cli {

namespace algo_cli {

using algo::vertex_id;

struct request {
    std::string name;
    bool undirected = false;
    std::optional<vertex_id> source, target;
    double damping = 0.85;
    double tolerance = 1e-10;
    std::uint32_t max_iterations = 1000;
    bool normalized = false;
    std::uint64_t seed = 42;
    bool weighted = false;
    unsigned threads = 1;
};

struct table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

// Each algorithm, the options it takes beyond --db/--undirected/--out/
// --threads, and whether it needs --source / --target.
struct algorithm_info {
    std::string_view name;
    std::vector<std::string_view> options;
    bool needs_source = false;
    bool needs_target = false;
};

inline const std::vector<algorithm_info>& algorithms() {
    static const std::vector<algorithm_info> list{
        {"pagerank", {"damping", "tolerance", "max-iterations"}},
        {"wcc", {}},
        {"scc", {}},
        {"bfs", {}, true},
        {"sssp", {}, true},
        {"shortest-path", {}, true, true},
        {"triangles", {}},
        {"kcore", {}},
        {"betweenness", {"normalized"}},
        {"topo-sort", {}},
        {"louvain", {"seed", "weighted"}},
        {"label-propagation", {"seed", "weighted"}},
        {"dominators", {}, true},
    };
    return list;
}

inline const algorithm_info* find_algorithm(std::string_view name) {
    for (const auto& a : algorithms())
        if (a.name == name) return &a;
    return nullptr;
}

inline std::string algorithm_list() {
    std::string s;
    for (const auto& a : algorithms()) s += (s.empty() ? "" : ", ") + std::string(a.name);
    return s;
}

// Shortest text that reads back as the same double.
inline std::string number(double v) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

// Every edge in both directions: u's row is its out-edges, then its
// in-edges other than self-loops (already listed once).
inline algo::csr_view both_ways(const algo::csr_view& g) {
    const auto n = static_cast<vertex_id>(g.vertex_count());
    std::vector<algo::edge_index> offsets(static_cast<std::size_t>(n) + 1, 0);
    std::vector<vertex_id> nbrs;
    std::vector<double> weights;
    nbrs.reserve(2 * g.edge_count());
    weights.reserve(2 * g.edge_count());
    for (vertex_id u = 0; u < n; ++u) {
        for (const auto& e : g.out_edges(u)) {
            nbrs.push_back(e.neighbor);
            weights.push_back(e.weight);
        }
        for (const auto& e : g.in_edges(u)) {
            if (e.neighbor == u) continue;
            nbrs.push_back(e.neighbor);
            weights.push_back(e.weight);
        }
        offsets[u + 1] = nbrs.size();
    }
    return algo::csr_view::symmetric_from_rows(std::move(offsets), std::move(nbrs), std::move(weights));
}

inline vertex_id require_source(const request& q, const char* what = "--source") {
    const auto& v = std::string_view(what) == "--target" ? q.target : q.source;
    if (!v) throw usage_error(q.name + " needs " + what + " KEY");
    return *v;
}

// Rows of (key, value) for the vertices where value(v) is set, sorted by key.
template <class Value>
table keyed(std::string_view column, const std::vector<std::string>& keys, std::size_t n, Value&& value) {
    table t{{"key", std::string(column)}, {}};
    for (std::size_t v = 0; v < n; ++v) {
        std::optional<std::string> cell = value(static_cast<vertex_id>(v));
        if (cell) t.rows.push_back({keys[v], std::move(*cell)});
    }
    std::stable_sort(t.rows.begin(), t.rows.end(), [](const auto& a, const auto& b) { return a[0] < b[0]; });
    return t;
}

// Runs q.name on g (vertices [0, n), keys[v] the key of vertex v).
inline table run(const algo::csr_view& directed, const std::vector<std::string>& keys, const request& q) {
    const std::size_t n = directed.vertex_count();
    if (keys.size() != n)
        fail(errc::invalid_argument, "algo: " + std::to_string(keys.size()) + " keys for " + std::to_string(n) + " vertices");
    std::optional<algo::csr_view> sym;
    if (q.undirected) sym = both_ways(directed);
    const algo::csr_view& g = sym ? *sym : directed;
    const std::string& name = q.name;
    auto str = [](auto x) { return std::optional<std::string>(std::to_string(x)); };

    if (name == "pagerank") {
        algo::pagerank_options o;
        o.damping = q.damping;
        o.tolerance = q.tolerance;
        o.max_iterations = q.max_iterations;
        o.threads = q.threads;
        const auto r = algo::pagerank(g, o);
        return keyed("score", keys, n, [&](vertex_id v) { return std::optional(number(r.score[v])); });
    }
    if (name == "wcc") {
        const auto r = algo::weakly_connected_components(g, q.threads);
        return keyed("component", keys, n, [&](vertex_id v) { return str(r.component[v]); });
    }
    if (name == "scc") {
        const auto r = algo::strongly_connected_components(g);
        return keyed("component", keys, n, [&](vertex_id v) { return str(r.component[v]); });
    }
    if (name == "bfs") {
        const vertex_id s = require_source(q);
        std::vector<std::uint32_t> d;
        if (q.threads > 1) {
            algo::parallel_bfs_options o;
            o.threads = q.threads;
            d = algo::parallel_bfs_depths(g, s, o);
        } else {
            d = algo::bfs_depths(g, s);
        }
        return keyed("depth", keys, n, [&](vertex_id v) -> std::optional<std::string> {
            if (d[v] == algo::unreached) return std::nullopt;
            return std::to_string(d[v]);
        });
    }
    if (name == "sssp") {
        const auto r = algo::dijkstra(g, require_source(q));
        return keyed("distance", keys, n, [&](vertex_id v) -> std::optional<std::string> {
            if (r.distance[v] == algo::infinite_distance) return std::nullopt;
            return number(r.distance[v]);
        });
    }
    if (name == "shortest-path") {
        const auto path = algo::shortest_path(g, require_source(q), require_source(q, "--target"));
        table t{{"step", "key"}, {}};
        for (std::size_t i = 0; i < path.size(); ++i) t.rows.push_back({std::to_string(i), keys[path[i]]});
        return t;
    }
    if (name == "triangles") {
        const auto r = algo::triangles(directed, q.threads);
        return keyed("triangles", keys, n, [&](vertex_id v) { return str(r[v]); });
    }
    if (name == "kcore") {
        const auto r = algo::core_numbers(directed);
        return keyed("core", keys, n, [&](vertex_id v) { return str(r[v]); });
    }
    if (name == "betweenness") {
        algo::betweenness_options o;
        o.normalized = q.normalized;
        o.threads = q.threads;
        const auto r = algo::betweenness(g, o);
        return keyed("score", keys, n, [&](vertex_id v) { return std::optional(number(r[v])); });
    }
    if (name == "topo-sort") {
        std::vector<vertex_id> order;
        try {
            order = algo::topological_sort(g);
        } catch (const error& e) {
            if (e.code() != errc::cycle) throw;
            const auto cycle = algo::find_cycle(g);
            std::string spelled;
            for (vertex_id v : cycle) spelled += keys[v] + " -> ";
            spelled += cycle.empty() ? std::string("?") : keys[cycle.front()];
            fail(errc::cycle, "topo-sort: the graph has a cycle: " + spelled);
        }
        std::vector<std::uint32_t> position(n);
        for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = static_cast<std::uint32_t>(i);
        return keyed("position", keys, n, [&](vertex_id v) { return str(position[v]); });
    }
    if (name == "louvain") {
        algo::louvain_options o;
        o.seed = q.seed;
        o.weighted = q.weighted;
        const auto r = algo::louvain(directed, o);
        return keyed("community", keys, n, [&](vertex_id v) { return str(r.community[v]); });
    }
    if (name == "label-propagation") {
        algo::label_propagation_options o;
        o.seed = q.seed;
        o.weighted = q.weighted;
        const auto r = algo::label_propagation(directed, o);
        return keyed("community", keys, n, [&](vertex_id v) { return str(r.community[v]); });
    }
    if (name == "dominators") {
        const auto idom = algo::immediate_dominators(g, require_source(q));
        return keyed("idom", keys, n, [&](vertex_id v) -> std::optional<std::string> {
            if (idom[v] == algo::no_vertex) return std::nullopt;
            return keys[idom[v]];
        });
    }
    throw usage_error("unknown algorithm '" + name + "' (one of " + algorithm_list() + ")");
}

inline std::string to_csv(const table& t) {
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
        std::string l;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i) l.push_back(',');
            csv_append(l, cells[i]);
        }
        out += l;
        out.push_back('\n');
    };
    line(t.header);
    for (const auto& r : t.rows) line(r);
    return out;
}

} // namespace algo_cli

inline int algo_command(const std::vector<std::string>& args) {
    static const command_spec spec{
        "algo",
        "NAME --db DB [--undirected] [--source KEY] [--target KEY] [--out FILE] [options]",
        "Runs a graph algorithm and prints CSV with a header, rows sorted by the first column, vertices named by "
        "their external keys. NAME is one of " +
            algo_cli::algorithm_list() +
            ". Triangles, kcore, louvain and label-propagation ignore edge direction; sssp reads the `weight` "
            "property of edges (1 where absent).",
        {
            db_option(),
            {"undirected", "", "treat every edge as going both ways", ""},
            {"source", "KEY", "start node (bfs, sssp, shortest-path, dominators)", ""},
            {"target", "KEY", "end node (shortest-path)", ""},
            {"out", "FILE", "write the CSV here instead of standard output", ""},
            {"damping", "D", "pagerank damping factor", "0.85"},
            {"tolerance", "T", "pagerank: stop when the L1 change is below T", "1e-10"},
            {"max-iterations", "N", "pagerank iteration limit", "1000"},
            {"normalized", "", "betweenness: divide by (n-1)(n-2)", ""},
            {"seed", "N", "louvain, label-propagation: random seed", "42"},
            {"weighted", "", "louvain, label-propagation: use edge weights", ""},
            {"threads", "N", "threads for pagerank, wcc, bfs, triangles, betweenness (0 = all cores)", "1"},
        },
        1,
    };
    return run_command(spec, args, [&](parsed_args& a) {
        if (a.positional.empty()) throw usage_error("missing the algorithm NAME (one of " + algo_cli::algorithm_list() + ")");
        const auto* info = algo_cli::find_algorithm(a.positional[0]);
        if (!info)
            throw usage_error("unknown algorithm '" + a.positional[0] + "' (one of " + algo_cli::algorithm_list() + ")");
        // Options that belong to another algorithm are refused, not ignored.
        for (std::string_view o : {"damping", "tolerance", "max-iterations", "normalized", "seed", "weighted"}) {
            if (a.has(o) && std::find(info->options.begin(), info->options.end(), o) == info->options.end())
                throw usage_error("--" + std::string(o) + " does not apply to " + std::string(info->name));
        }
        if (a.has("source") && !info->needs_source)
            throw usage_error("--source does not apply to " + std::string(info->name));
        if (a.has("target") && !info->needs_target)
            throw usage_error("--target does not apply to " + std::string(info->name));
        if (info->needs_source && !a.has("source")) throw usage_error(std::string(info->name) + " needs --source KEY");
        if (info->needs_target && !a.has("target")) throw usage_error(std::string(info->name) + " needs --target KEY");

        algo_cli::request q;
        q.name = std::string(info->name);
        q.undirected = a.flag("undirected");
        q.damping = a.get_double("damping");
        q.tolerance = a.get_double("tolerance");
        const auto iters = a.get_uint("max-iterations");
        if (iters > UINT32_MAX) throw usage_error("--max-iterations is too large");
        q.max_iterations = static_cast<std::uint32_t>(iters);
        q.normalized = a.flag("normalized");
        q.seed = a.get_uint("seed");
        q.weighted = a.flag("weighted");
        const auto threads = a.get_uint("threads");
        if (threads > 256) throw usage_error("--threads must be at most 256");
        q.threads = algo::resolve_threads(static_cast<unsigned>(threads));
        if (!(q.damping >= 0 && q.damping <= 1)) throw usage_error("--damping must be in [0, 1]");
        if (!(q.tolerance > 0)) throw usage_error("--tolerance must be positive");

        auto db = database::open(a, false);
        auto r = db->store().begin_read();
        // Only sssp and weighted community detection read weights; the other
        // algorithms skip the pass over the edge records.
        snapshot_options so;
        so.weights = q.name == "sssp" || q.weighted;
        so.threads = q.threads;
        const auto snap = snapshot_csr<store_type>(r, so);
        key_index keys_tree(r.pager_txn());
        auto vertex_of_key = [&](const std::string& key) {
            std::optional<node_id> id = keys_tree.find(key);
            if (!id) {
                if (auto raw = parse_id_key(key); raw && r.node_exists(*raw) && !keys_tree.key_of(*raw)) id = raw;
            }
            if (!id) fail(errc::not_found, "no node with key '" + key + "' in '" + db->path() + "'");
            return snap.nodes.vertex_of(*id);
        };
        if (a.has("source")) q.source = vertex_of_key(a.get("source"));
        if (a.has("target")) q.target = vertex_of_key(a.get("target"));
        std::vector<std::string> keys(snap.nodes.size());
        keys_tree.for_each_by_id([&](node_id id, std::string_view k) {
            const auto v = snap.nodes.find(id);
            if (v != algo::no_vertex) keys[v] = std::string(k);
        });
        for (std::size_t v = 0; v < keys.size(); ++v)
            if (keys[v].empty()) keys[v] = "#" + std::to_string(snap.nodes.node_of(static_cast<algo::vertex_id>(v)));

        const std::string text = algo_cli::to_csv(algo_cli::run(snap.graph, keys, q));
        if (a.has("out")) {
            output_file f(a.get("out"));
            f.write(text);
            f.close();
        } else {
            std::cout << text;
        }
        return 0;
    });
}

} // namespace sqlitegraph::cli
