// The standard graph workloads of BENCHMARKS.md, the native store against
// SQLite (libsqlite3) in one run on the same input files and the same random
// ids (seed 42):
//   L1  bulk load of the generator's nodes + edges CSV in one transaction:
//       seconds, edges/s, peak RSS, file size. Each load runs in a child
//       process (this program re-executed) so that peak RSS is the load's
//       own. Both systems use the same CSV parser (parse_nodes/parse_edge_batches
//       below; it expects the dense keys 0..N-1 that `generate rmat` writes)
//       and the time includes parsing; edges are parsed and handed over in
//       batches of 2^20 rows. Ours loads with one write_transaction::
//       bulk_loader fed those batches (one transaction, as one bulk_insert of
//       everything) into a fresh store (the CLI's importer adds an
//       external-key tree that this schema has no counterpart for); SQLite
//       inserts with prepared statements and builds its two edge indexes
//       inside the transaction.
//   L2  1,000 transactions of one edge each with durable commit (ours
//       sync_mode::full, SQLite synchronous=FULL), interleaved with the raw
//       4 KiB pwrite+fdatasync loop of bench_util.hpp on the same disk.
//   Q1  get node by id (kind, name, properties), random ids, warm: ns/op;
//       ours read_node into one node, SQLite's three column strings, both
//       reused across ids.
//   Q2  out-neighbours (neighbour and edge id) of random nodes, warm: ns/op
//       and ns/edge; one call per node on both systems, and for ours also
//       all the nodes in one read_transaction::for_each_neighbor_of call
//       (the batch form; SQLite's row is its one-call-per-node loop, the
//       only form it has).
//   Q3  number of distinct nodes within 2 out-hops of random sources.
//   Q4  full out-BFS from node 0 and its 3-hop neighbourhood: edges/s.
//   Q5  unweighted shortest path length for random pairs (out direction).
//   R1  reopen (open + first read) after a clean close, and after SIGKILL of
//       a child that filled the log (4 MiB of frames, no checkpoint).
// Memory: --cache-mib (default 1024) is SQLite's cache_size; ours splits the
// same budget: half page cache, a quarter each node and adjacency cache.
// Q3-Q5 run the same C++ traversal code for both systems (a stamped visited
// array; Q5 is a level-synchronous bidirectional BFS); only "neighbours of
// x" differs: ours is read_transaction::for_each_neighbor, SQLite a prepared
// covering-index query. The answers (checksums, counts, path lengths) must
// agree; the program prints an error and exits 1 when they do not. Q5's
// lengths are also checked against the store's own shortest_path() on a few
// pairs.
//
// Node key i of the CSV is node id i + 1 in both systems.
//
// Usage: bench_graph_vs_sqlite --nodes N.csv --edges E.csv [--dir DIR]
//          [--repeat R] [--load-repeat R] [--cache-mib M] [--quick]
//          [--json FILE]
#include "sqlitegraph/graph/basic_graph_store.hpp"

#include "bench_util.hpp"
#include "traversal_harness.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#if defined(SQLITEGRAPH_WITH_SQLITE3)
#include <sqlite3.h>
#endif

using namespace sqlitegraph;
using namespace sqlitegraph::bench;

namespace {

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_graph_vs_sqlite: %s\n", what.c_str());
    std::exit(1);
}

// ---- CSV input (shared by both systems) -------------------------------------------

// The cells of one line, into `out` (reused from row to row).
void split(std::string_view line, std::vector<std::string_view>& out) {
    out.clear();
    std::size_t start = 0;
    for (;;) {
        const auto comma = line.find(',', start);
        out.push_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos) return;
        start = comma + 1;
    }
}

bool numeric(std::string_view s) {
    if (s.empty()) return false;
    double d = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    return ec == std::errc{} && p == s.data() + s.size();
}

// Property columns -> a JSON object (numbers bare, anything else quoted;
// the generator writes no quotes or escapes).
void append_properties(std::string& json, const std::vector<std::string_view>& header,
                       const std::vector<std::string_view>& cells, std::size_t first) {
    json = "{";
    for (std::size_t i = first; i < cells.size() && i < header.size(); ++i) {
        if (cells[i].empty()) continue;
        if (json.size() > 1) json += ',';
        json += '"';
        json += header[i];
        json += "\":";
        if (numeric(cells[i])) {
            json += cells[i];
        } else {
            json += '"';
            json += cells[i];
            json += '"';
        }
    }
    json += '}';
}

// "FILE:LINE", for error messages.
std::string where(const std::string& path, std::uint64_t line) { return path + ":" + std::to_string(line); }

std::uint64_t parse_u64(std::string_view s, const std::string& path, std::uint64_t line) {
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) die(where(path, line) + ": '" + std::string(s) + "' is not an integer key");
    return v;
}

// The CSV reading is shared by both systems' loads. It read line by line
// and allocated a vector of cells and a "FILE:LINE" string per row; now the
// file is read whole, the rows are counted to reserve for them, and nothing
// is allocated per row but the records themselves (scale 20: our L1 took
// 27.9 s before, 21.7 s after; benchmarks/results/scale20-graph/, runs at
// 852e687 and 4c5fe50).
std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) die("cannot open " + path);
    in.seekg(0, std::ios::end);
    std::string text(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    if (!in.read(text.data(), static_cast<std::streamsize>(text.size()))) die("cannot read " + path);
    return text;
}

// Rows of a CSV file's text whose header begins with the three given
// column names: row(header, cells, line) for each non-empty data line
// (line: its 1-based number, for where()).
template <class Row>
void for_each_csv_row(const std::string& path, std::string_view text, const std::array<std::string_view, 3>& leading,
                      Row&& row) {
    std::string_view rest = text;
    auto next_line = [&] {
        const auto end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return line;
    };
    std::vector<std::string_view> header, cells;
    split(next_line(), header);
    if (header.size() < 3 || header[0] != leading[0] || header[1] != leading[1] || header[2] != leading[2])
        die(path + ":1: expected header " + std::string(leading[0]) + "," + std::string(leading[1]) + "," +
            std::string(leading[2]) + ",...");
    for (std::uint64_t line_no = 2; !rest.empty(); ++line_no) {
        const std::string_view line = next_line();
        if (line.empty()) continue;
        split(line, cells);
        if (cells.size() != header.size()) die(where(path, line_no) + ": wrong number of cells");
        row(header, cells, line_no);
    }
}

// Data lines at most (the header's newline is not one of them).
std::size_t data_lines(std::string_view text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

std::vector<node_input> parse_nodes(const std::string& path) {
    const std::string text = read_file(path);
    std::vector<node_input> out;
    out.reserve(data_lines(text));
    for_each_csv_row(path, text, {"id", "kind", "name"}, [&](const auto& header, const auto& cells, std::uint64_t line) {
        if (parse_u64(cells[0], path, line) != out.size()) die(where(path, line) + ": keys must be 0, 1, 2, ... in order");
        node_input n;
        n.kind = cells[1];
        n.name = cells[2];
        append_properties(n.properties, header, cells, 3);
        out.push_back(std::move(n));
    });
    return out;
}

// Edges name their ends by key (= index into the node vector). They go to
// sink(batch) in batches of up to `rows`, in file order; the batch vector is
// reused, so a load fed batch by batch never holds every row at once.
template <class Sink>
void parse_edge_batches(const std::string& path, std::uint64_t node_count, std::size_t rows, Sink&& sink) {
    const std::string text = read_file(path);
    std::vector<bulk_edge_input> batch;
    batch.reserve(std::min(rows, data_lines(text)));
    for_each_csv_row(path, text, {"from", "to", "type"}, [&](const auto& header, const auto& cells, std::uint64_t line) {
        const auto from = parse_u64(cells[0], path, line), to = parse_u64(cells[1], path, line);
        if (from >= node_count || to >= node_count) die(where(path, line) + ": key has no node row");
        bulk_edge_input e;
        e.from = node_ref::batch(from);
        e.to = node_ref::batch(to);
        e.type = cells[2];
        append_properties(e.properties, header, cells, 3);
        batch.push_back(std::move(e));
        if (batch.size() == rows) {
            sink(batch);
            batch.clear();
        }
    });
    if (!batch.empty()) sink(batch);
}

// Rows per batch of the L1 loads (the CLI importer's default batch too).
constexpr std::size_t load_batch_rows = std::size_t{1} << 20;

std::uint64_t file_bytes(const std::string& path) {
    std::uint64_t total = 0;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::error_code ec;
        const auto n = std::filesystem::file_size(path + suffix, ec);
        if (!ec) total += n;
    }
    return total;
}

void remove_db(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(path + suffix);
}

store_options store_opts(std::size_t cache_mib) {
    store_options o;
    o.pager.cache_pages = cache_mib * 256;
    return o;
}

// The store for the query workloads, within the same memory budget SQLite's
// cache_size gets: half for the page cache, a quarter each for the node
// and adjacency caches (graph/node_cache.hpp).
std::unique_ptr<graph_store> open_for_queries(const std::string& path, std::size_t cache_mib) {
    auto db = std::make_unique<graph_store>(path, store_opts(cache_mib / 2));
    db->set_node_cache_capacity(cache_mib << 18);
    db->set_adjacency_cache_capacity(cache_mib << 18);
    return db;
}

// ---- SQLite -----------------------------------------------------------------------

#if defined(SQLITEGRAPH_WITH_SQLITE3)
class sqlite_db {
  public:
    explicit sqlite_db(const std::string& path) {
        if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) die("sqlite3_open " + path + ": " + sqlite3_errmsg(db_));
    }
    ~sqlite_db() {
        for (auto* s : stmts_)
            sqlite3_finalize(s);
        sqlite3_close(db_);
    }
    sqlite_db(const sqlite_db&) = delete;
    sqlite_db& operator=(const sqlite_db&) = delete;

    void exec(const std::string& sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            const std::string text = err ? err : "?";
            sqlite3_free(err);
            die("sqlite: " + sql + ": " + text);
        }
    }
    sqlite3_stmt* prepare(const char* sql) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK)
            die(std::string("sqlite prepare: ") + sql + ": " + sqlite3_errmsg(db_));
        stmts_.push_back(s);
        return s;
    }
    void step_done(sqlite3_stmt* s) {
        if (sqlite3_step(s) != SQLITE_DONE) die(std::string("sqlite step: ") + sqlite3_errmsg(db_));
        sqlite3_reset(s);
    }
    void configure(std::size_t cache_mib, bool full_sync) {
        exec("PRAGMA journal_mode=WAL");
        exec(full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
        exec("PRAGMA cache_size=-" + std::to_string(cache_mib * 1024));
    }

  private:
    sqlite3* db_ = nullptr;
    std::vector<sqlite3_stmt*> stmts_;
};

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

// Neighbour queries over the two covering indexes.
struct sqlite_reader {
    explicit sqlite_reader(sqlite_db& db)
        : get_node(db.prepare("SELECT kind, name, data FROM nodes WHERE id = ?")),
          out(db.prepare("SELECT to_id, id FROM edges WHERE from_id = ?")),
          in(db.prepare("SELECT from_id, id FROM edges WHERE to_id = ?")) {}

    template <class Fn> void for_each(sqlite3_stmt* s, std::uint64_t id, Fn&& fn) {
        sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(id));
        while (sqlite3_step(s) == SQLITE_ROW)
            fn(static_cast<std::uint64_t>(sqlite3_column_int64(s, 0)), static_cast<std::uint64_t>(sqlite3_column_int64(s, 1)));
        sqlite3_reset(s);
    }
    sqlite3_stmt* get_node;
    sqlite3_stmt* out;
    sqlite3_stmt* in;
};
#endif

// ---- child processes (L1 loads, R1 kill) ---------------------------------------

struct child_result {
    double seconds = 0;
    long max_rss_kib = 0;
    bool killed = false;
};

// Runs this program again with args; the child writes its seconds to a
// result file. Peak RSS comes from wait4, so it is the child's own.
child_result run_child(const std::vector<std::string>& args, const std::string& result_path) {
    std::filesystem::remove(result_path);
    const pid_t pid = ::fork();
    if (pid < 0) die("fork failed");
    if (pid == 0) {
        std::vector<char*> argv;
        static std::string self = "/proc/self/exe";
        argv.push_back(self.data());
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv("/proc/self/exe", argv.data());
        std::_Exit(127);
    }
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) != pid) die("wait4 failed");
    child_result r;
    r.max_rss_kib = usage.ru_maxrss;
    r.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    if (!r.killed && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) die("child " + args[1] + " failed");
    std::ifstream in(result_path);
    in >> r.seconds;
    return r;
}

void write_result(const std::string& path, double seconds) {
    std::ofstream out(path);
    out.precision(17);
    out << seconds << "\n";
}

// L1's load into our store, as the load-ours child runs it; after each
// step, phase(name) (benchmarks/probes/load_phases.cpp times them).
template <class Phase>
void load_ours(const std::string& db_path, const std::string& nodes_csv, const std::string& edges_csv, std::size_t cache_mib,
               Phase&& phase) {
    auto nodes = parse_nodes(nodes_csv);
    phase("parse nodes");
    graph_store db(db_path, store_opts(cache_mib));
    auto tx = db.begin_write();
    auto loader = tx.bulk_load();
    loader.add_nodes(nodes);
    phase("add nodes");
    parse_edge_batches(edges_csv, nodes.size(), load_batch_rows,
                       [&](const std::vector<bulk_edge_input>& batch) { loader.add_edges(batch); });
    phase("edges in");
    loader.finish();
    phase("finish");
    tx.commit();
    phase("commit");
    db.close();
    phase("close");
}

int child_main(int argc, char** argv) {
    const std::string what = argv[2];
    const std::string db_path = arg_value(argc, argv, "--db", "");
    const std::string result = arg_value(argc, argv, "--result", "");
    const std::size_t cache_mib = std::stoul(arg_value(argc, argv, "--cache-mib", "1024"));
    if (what == "load-ours") {
        const auto start = std::chrono::steady_clock::now();
        load_ours(db_path, arg_value(argc, argv, "--nodes", ""), arg_value(argc, argv, "--edges", ""), cache_mib,
                  [](const char*) {});
        write_result(result, seconds_since(start));
        return 0;
    }
    if (what == "fill-ours") {
        // Fill the log to the default checkpoint threshold (4 MiB) with
        // edge inserts and no checkpoint, then die.
        store_options o = store_opts(cache_mib);
        o.pager.checkpoint_threshold_bytes = 0;
        graph_store db(db_path, o);
        const auto n = db.begin_read().node_count();
        std::mt19937_64 rng(7);
        // Counted in frames, not by the file's size: the log file keeps its
        // prepared working size (docs/format.md), so it is 4 MiB long before
        // the first frame is written.
        auto log_bytes = [&] {
            return std::uint64_t{db.pager_handle().stats().log_frames} * graph_store::pager_type::page_size();
        };
        while (log_bytes() < (4u << 20)) {
            auto tx = db.begin_write();
            for (int i = 0; i < 100; ++i)
                tx.insert_edge({1 + rng() % n, 1 + rng() % n, "follows", R"({"weight":1})"});
            tx.commit();
        }
        ::kill(::getpid(), SIGKILL);
        return 1;
    }
#if defined(SQLITEGRAPH_WITH_SQLITE3)
    if (what == "load-sqlite") {
        const auto start = std::chrono::steady_clock::now();
        auto nodes = parse_nodes(arg_value(argc, argv, "--nodes", ""));
        {
            sqlite_db db(db_path);
            db.configure(cache_mib, true);
            db.exec("CREATE TABLE nodes(id INTEGER PRIMARY KEY, kind, name, data)");
            db.exec("CREATE TABLE edges(id INTEGER PRIMARY KEY, from_id, to_id, type, data)");
            db.exec("BEGIN");
            auto* ins_node = db.prepare("INSERT INTO nodes(id, kind, name, data) VALUES(?, ?, ?, ?)");
            for (std::size_t i = 0; i < nodes.size(); ++i) {
                sqlite3_bind_int64(ins_node, 1, static_cast<sqlite3_int64>(i + 1));
                bind_text(ins_node, 2, nodes[i].kind);
                bind_text(ins_node, 3, nodes[i].name);
                bind_text(ins_node, 4, nodes[i].properties);
                db.step_done(ins_node);
            }
            auto* ins_edge = db.prepare("INSERT INTO edges(from_id, to_id, type, data) VALUES(?, ?, ?, ?)");
            parse_edge_batches(arg_value(argc, argv, "--edges", ""), nodes.size(), load_batch_rows,
                               [&](const std::vector<bulk_edge_input>& batch) {
                                   for (const auto& e : batch) {
                                       sqlite3_bind_int64(ins_edge, 1, static_cast<sqlite3_int64>(e.from.value + 1));
                                       sqlite3_bind_int64(ins_edge, 2, static_cast<sqlite3_int64>(e.to.value + 1));
                                       bind_text(ins_edge, 3, e.type);
                                       bind_text(ins_edge, 4, e.properties);
                                       db.step_done(ins_edge);
                                   }
                               });
            db.exec("CREATE INDEX edges_out ON edges(from_id, type, to_id)");
            db.exec("CREATE INDEX edges_in ON edges(to_id, type, from_id)");
            db.exec("COMMIT");
        }
        write_result(result, seconds_since(start));
        return 0;
    }
    if (what == "fill-sqlite") {
        sqlite_db db(db_path);
        db.configure(cache_mib, true);
        db.exec("PRAGMA wal_autocheckpoint=0");
        const auto n = static_cast<std::uint64_t>(
            [&] {
                sqlite3_stmt* s = db.prepare("SELECT max(id) FROM nodes");
                sqlite3_step(s);
                const auto v = sqlite3_column_int64(s, 0);
                sqlite3_reset(s);
                return v;
            }());
        auto* ins = db.prepare("INSERT INTO edges(from_id, to_id, type, data) VALUES(?, ?, 'follows', '{\"weight\":1}')");
        std::mt19937_64 rng(7);
        while (file_bytes(db_path + "-wal") < (4u << 20)) {
            db.exec("BEGIN");
            for (int i = 0; i < 100; ++i) {
                sqlite3_bind_int64(ins, 1, static_cast<sqlite3_int64>(1 + rng() % n));
                sqlite3_bind_int64(ins, 2, static_cast<sqlite3_int64>(1 + rng() % n));
                db.step_done(ins);
            }
            db.exec("COMMIT");
        }
        ::kill(::getpid(), SIGKILL);
        return 1;
    }
#endif
    die("unknown child mode " + what);
}

// Checksums that both systems must reproduce exactly.
struct answers {
    std::uint64_t q1 = 0, q2_edges = 0, q2_sum = 0, q3 = 0;
    bfs_result q4_full, q4_khop;
    std::vector<std::int64_t> q5;
};

void must_agree(const char* what, bool same) {
    if (!same) {
        std::fprintf(stderr, "bench_graph_vs_sqlite: ERROR: %s: the native store and SQLite disagree\n", what);
        std::exit(1);
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc >= 3 && std::string(argv[1]) == "--child") return child_main(argc, argv);

    const std::string nodes_csv = arg_value(argc, argv, "--nodes", "");
    const std::string edges_csv = arg_value(argc, argv, "--edges", "");
    if (nodes_csv.empty() || edges_csv.empty() || has_flag(argc, argv, "--help")) {
        std::fprintf(stderr, "usage: bench_graph_vs_sqlite --nodes N.csv --edges E.csv [--dir DIR] [--repeat R]\n"
                             "         [--load-repeat R] [--cache-mib M] [--quick] [--json FILE]\n"
                             "inputs: sqlitegraph generate rmat --scale S --edge-factor 16 --seed 42 --nodes N.csv "
                             "--edges E.csv\n");
        return 2;
    }
    const std::string dir = arg_value(argc, argv, "--dir", std::filesystem::temp_directory_path().string());
    const bool quick = has_flag(argc, argv, "--quick");
    const int repeat = std::stoi(arg_value(argc, argv, "--repeat", quick ? "1" : "3"));
    const int load_repeat = std::stoi(arg_value(argc, argv, "--load-repeat", "1"));
    const std::string cache_mib = arg_value(argc, argv, "--cache-mib", "1024");
    const std::string json = arg_value(argc, argv, "--json", "");
    const std::string ours_db = dir + "/bench-graph-ours.db";
    const std::string sqlite_db_path = dir + "/bench-graph-sqlite.db";
    const std::string result_file = dir + "/bench-graph-result.txt";
#if defined(SQLITEGRAPH_WITH_SQLITE3)
    constexpr bool have_sqlite = true;
#else
    constexpr bool have_sqlite = false;
    std::printf("peer missing: SQLite (built without SQLITEGRAPH_WITH_SQLITE3); only the native store runs\n");
#endif
    report out;

    // ---- L1 ------------------------------------------------------------------------
    std::uint64_t edge_rows = 0;
    {
        // Count edge rows once for the rate (not timed).
        std::ifstream in(edges_csv);
        std::string line;
        while (std::getline(in, line))
            edge_rows += line.empty() ? 0 : 1;
        edge_rows = edge_rows ? edge_rows - 1 : 0;
    }
    auto load = [&](const char* mode, const std::string& path) {
        std::vector<double> secs, rss, bytes;
        for (int r = 0; r < load_repeat; ++r) {
            remove_db(path);
            const auto c = run_child({"--child", mode, "--db", path, "--result", result_file, "--nodes", nodes_csv,
                                      "--edges", edges_csv, "--cache-mib", cache_mib},
                                     result_file);
            secs.push_back(c.seconds);
            rss.push_back(static_cast<double>(c.max_rss_kib) / 1024.0);
            bytes.push_back(static_cast<double>(file_bytes(path)) / (1024.0 * 1024.0));
        }
        return std::tuple{summarize(secs), summarize(rss), summarize(bytes)};
    };
    auto rate = [&](sample_stats s) {
        // Edges/s from seconds: the fastest run gives the highest rate.
        const double e = static_cast<double>(edge_rows);
        return sample_stats{e / s.median, e / s.max, e / s.min};
    };
    const auto [ours_s, ours_rss, ours_mib] = load("load-ours", ours_db);
    std::printf("L1 native store: %.2f s\n", ours_s.median);
    out.add({"L1 bulk load", "sqlitegraph", "s", ours_s, 0, "parse + load + commit + close"});
    out.add({"L1 bulk load", "sqlitegraph", "edges/s", rate(ours_s), 0, ""});
    out.add({"L1 bulk load", "sqlitegraph", "MiB RSS", ours_rss, 0, "peak RSS of the loading process"});
    out.add({"L1 bulk load", "sqlitegraph", "MiB file", ours_mib, 0, ""});
    if (have_sqlite) {
        const auto [sq_s, sq_rss, sq_mib] = load("load-sqlite", sqlite_db_path);
        std::printf("L1 SQLite: %.2f s\n", sq_s.median);
        out.add({"L1 bulk load", "sqlite", "s", sq_s, ours_s.median / sq_s.median, ""});
        out.add({"L1 bulk load", "sqlite", "edges/s", rate(sq_s), rate(ours_s).median / rate(sq_s).median, ""});
        out.add({"L1 bulk load", "sqlite", "MiB RSS", sq_rss, ours_rss.median / sq_rss.median, ""});
        out.add({"L1 bulk load", "sqlite", "MiB file", sq_mib, ours_mib.median / sq_mib.median, ""});
    }

    // ---- Q1-Q5 ----------------------------------------------------------------------
    const std::size_t cache = std::stoul(cache_mib);
    auto store = open_for_queries(ours_db, cache);
    const std::uint64_t n = store->begin_read().node_count();
    const auto ids = make_ids(n, quick);
    answers ours_ans, sq_ans;

    // Each workload: one warm-up pass, then `repeat` timed passes.
    auto measure = [&](const std::function<void()>& pass) {
        pass();
        return repeat_measure(repeat, [&] {
            const auto start = std::chrono::steady_clock::now();
            pass();
            return seconds_since(start);
        });
    };
    auto scale = [](sample_stats s, double f) { return sample_stats{s.median * f, s.min * f, s.max * f}; };

    struct timings {
        sample_stats q1, q2, q2_batch, q3, q4_full, q4_khop, q5;
    } t_ours, t_sq;

    // Q2: each of the random nodes' out-neighbours through
    // out_edges(id, fn(neighbour, edge id)), kept in a buffer as a caller
    // would; the same loop on both systems.
    auto run_q2 = [&](auto&& out_edges, timings& times, answers& a) {
        times.q2 = measure([&] {
            std::uint64_t edges = 0, sum = 0;
            std::vector<std::uint64_t> buf;
            for (const auto id : ids.q2) {
                buf.clear();
                out_edges(id, [&](std::uint64_t m, std::uint64_t e) {
                    buf.push_back(m);
                    sum += m ^ e;
                });
                edges += buf.size();
            }
            a.q2_edges = edges;
            a.q2_sum = sum;
        });
    };

    // Q2 through one batch call for all the nodes (ours only): the caller's
    // buffer holds one node's neighbours at a time, as in run_q2.
    auto run_q2_batch = [&](auto& r, timings& times, answers& a) {
        times.q2_batch = measure([&] {
            std::uint64_t edges = 0, sum = 0;
            std::vector<std::uint64_t> buf;
            std::size_t current = SIZE_MAX;
            r.for_each_neighbor_of(ids.q2, direction::out, [&](std::size_t i, node_id m, edge_id e, std::uint32_t, direction) {
                if (i != current) {
                    edges += buf.size();
                    buf.clear();
                    current = i;
                }
                buf.push_back(m);
                sum += m ^ e;
            });
            edges += buf.size();
            must_agree("Q2 batch neighbours", edges == a.q2_edges && sum == a.q2_sum);
        });
    };

    // Q3-Q5 run the same traversal code on both systems; only the neighbour
    // functions (out_of, in_of) differ.
    auto run_traversals = [&](auto&& out_of, auto&& in_of, timings& times, answers& a) {
        stamped_set seen(n), other(n);
        std::vector<std::uint64_t> frontier;
        times.q3 = measure([&] {
            std::uint64_t total = 0;
            for (const auto src : ids.q3)
                total += two_hop_count(src, seen, frontier, out_of);
            a.q3 = total;
        });
        times.q4_full = measure([&] { a.q4_full = bfs(1, UINT32_MAX, seen, out_of); });
        times.q4_khop = measure([&] { a.q4_khop = bfs(1, 3, seen, out_of); });
        times.q5 = measure([&] {
            a.q5.clear();
            for (const auto& [s, t] : ids.q5)
                a.q5.push_back(shortest_length(s, t, seen, other, out_of, in_of));
        });
    };

    {
        auto r = store->begin_read();
        auto out_of = [&](std::uint64_t id, auto&& fn) {
            r.for_each_neighbor(id, direction::out, [&](node_id m, edge_id, std::uint32_t, direction) { fn(m); });
        };
        auto in_of = [&](std::uint64_t id, auto&& fn) {
            r.for_each_neighbor(id, direction::in, [&](node_id m, edge_id, std::uint32_t, direction) { fn(m); });
        };
        // One node whose strings are reused, as the SQLite side reuses its
        // three strings (read_node; get_node would build a new node per id).
        t_ours.q1 = measure([&] {
            std::uint64_t sum = 0;
            sqlitegraph::node node;
            for (const auto id : ids.q1) {
                if (!r.read_node(id, node)) die("ours: node " + std::to_string(id) + " missing");
                sum += node.kind.size() + node.name.size();
            }
            ours_ans.q1 = sum;
        });
        run_q2(
            [&](std::uint64_t id, auto&& fn) {
                r.for_each_neighbor(id, direction::out, [&](node_id m, edge_id e, std::uint32_t, direction) { fn(m, e); });
            },
            t_ours, ours_ans);
        run_q2_batch(r, t_ours, ours_ans);
        run_traversals(out_of, in_of, t_ours, ours_ans);
        // The bidirectional BFS against the store's own shortest_path().
        for (std::size_t i = 0; i < std::min<std::size_t>(5, ids.q5.size()); ++i) {
            const auto p = r.shortest_path(ids.q5[i].first, ids.q5[i].second);
            const std::int64_t len = p ? static_cast<std::int64_t>(p->size()) - 1 : -1;
            if (len != ours_ans.q5[i]) {
                std::fprintf(stderr, "bench_graph_vs_sqlite: ERROR: Q5 pair %zu: bidirectional BFS %lld, shortest_path %lld\n",
                             i, static_cast<long long>(ours_ans.q5[i]), static_cast<long long>(len));
                return 1;
            }
        }
    }

#if defined(SQLITEGRAPH_WITH_SQLITE3)
    {
        sqlite_db db(sqlite_db_path);
        db.configure(cache, true);
        sqlite_reader q(db);
        auto out_of = [&](std::uint64_t id, auto&& fn) { q.for_each(q.out, id, [&](std::uint64_t m, std::uint64_t) { fn(m); }); };
        auto in_of = [&](std::uint64_t id, auto&& fn) { q.for_each(q.in, id, [&](std::uint64_t m, std::uint64_t) { fn(m); }); };
        db.exec("BEGIN"); // one read snapshot, as ours
        t_sq.q1 = measure([&] {
            std::uint64_t sum = 0;
            std::string kind, name, data;
            for (const auto id : ids.q1) {
                sqlite3_bind_int64(q.get_node, 1, static_cast<sqlite3_int64>(id));
                if (sqlite3_step(q.get_node) != SQLITE_ROW) die("sqlite: node " + std::to_string(id) + " missing");
                kind.assign(reinterpret_cast<const char*>(sqlite3_column_text(q.get_node, 0)),
                            static_cast<std::size_t>(sqlite3_column_bytes(q.get_node, 0)));
                name.assign(reinterpret_cast<const char*>(sqlite3_column_text(q.get_node, 1)),
                            static_cast<std::size_t>(sqlite3_column_bytes(q.get_node, 1)));
                data.assign(reinterpret_cast<const char*>(sqlite3_column_text(q.get_node, 2)),
                            static_cast<std::size_t>(sqlite3_column_bytes(q.get_node, 2)));
                sqlite3_reset(q.get_node);
                sum += kind.size() + name.size();
            }
            sq_ans.q1 = sum;
        });
        run_q2([&](std::uint64_t id, auto&& fn) { q.for_each(q.out, id, fn); }, t_sq, sq_ans);
        run_traversals(out_of, in_of, t_sq, sq_ans);
        db.exec("COMMIT");
    }
    must_agree("Q1 node records", ours_ans.q1 == sq_ans.q1);
    must_agree("Q2 neighbour count", ours_ans.q2_edges == sq_ans.q2_edges);
    must_agree("Q2 neighbour and edge ids", ours_ans.q2_sum == sq_ans.q2_sum);
    must_agree("Q3 2-hop counts", ours_ans.q3 == sq_ans.q3);
    must_agree("Q4 full BFS", ours_ans.q4_full == sq_ans.q4_full);
    must_agree("Q4 3-hop", ours_ans.q4_khop == sq_ans.q4_khop);
    must_agree("Q5 path lengths", ours_ans.q5 == sq_ans.q5);
    std::printf("answers agree: Q1 %llu, Q2 %llu neighbours, Q3 %llu, Q4 %llu nodes / %llu edges, 3-hop %llu nodes\n",
                static_cast<unsigned long long>(ours_ans.q1), static_cast<unsigned long long>(ours_ans.q2_edges),
                static_cast<unsigned long long>(ours_ans.q3), static_cast<unsigned long long>(ours_ans.q4_full.nodes),
                static_cast<unsigned long long>(ours_ans.q4_full.edges),
                static_cast<unsigned long long>(ours_ans.q4_khop.nodes));
#endif

    auto add_pair = [&](const std::string& workload, const std::string& unit, sample_stats ours, sample_stats sq,
                        const std::string& note) {
        out.add({workload, "sqlitegraph", unit, ours, 0, note});
        if (have_sqlite) out.add({workload, "sqlite", unit, sq, ours.median / sq.median, ""});
    };
    auto per = [&](sample_stats s, std::size_t count, double unit) { return scale(s, unit / static_cast<double>(count)); };
    auto edges_per_s = [](sample_stats s, std::uint64_t edges) {
        const double e = static_cast<double>(edges);
        return sample_stats{e / s.median, e / s.max, e / s.min};
    };
    add_pair("Q1 get node (warm)", "ns/op", per(t_ours.q1, ids.q1.size(), 1e9), per(t_sq.q1, ids.q1.size(), 1e9),
             std::to_string(ids.q1.size()) + " random ids; read_node into one node, sqlite into three strings, both reused");
    add_pair("Q2 out-neighbours (warm)", "ns/op", per(t_ours.q2, ids.q2.size(), 1e9), per(t_sq.q2, ids.q2.size(), 1e9),
             std::to_string(ids.q2.size()) + " random nodes");
    const auto q2_edges = std::max<std::uint64_t>(1, ours_ans.q2_edges);
    add_pair("Q2 out-neighbours (warm)", "ns/edge", per(t_ours.q2, q2_edges, 1e9), per(t_sq.q2, q2_edges, 1e9),
             std::to_string(ours_ans.q2_edges) + " neighbours");
    add_pair("Q2 out-neighbours, one batch call (warm)", "ns/edge", per(t_ours.q2_batch, q2_edges, 1e9),
             per(t_sq.q2, q2_edges, 1e9), "for_each_neighbor_of over all the nodes; sqlite: one call per node");
    add_pair("Q3 distinct 2-hop count", "ms total", scale(t_ours.q3, 1e3), scale(t_sq.q3, 1e3),
             std::to_string(ids.q3.size()) + " sources");
    {
        const auto ours_rate = edges_per_s(t_ours.q4_full, ours_ans.q4_full.edges);
        out.add({"Q4 full BFS from node 0", "sqlitegraph", "edges/s", ours_rate, 0,
                 std::to_string(ours_ans.q4_full.edges) + " edges scanned"});
        if (have_sqlite) {
            const auto r = edges_per_s(t_sq.q4_full, ours_ans.q4_full.edges);
            out.add({"Q4 full BFS from node 0", "sqlite", "edges/s", r, ours_rate.median / r.median, ""});
        }
        const auto ours_k = edges_per_s(t_ours.q4_khop, ours_ans.q4_khop.edges);
        out.add({"Q4 3-hop from node 0", "sqlitegraph", "edges/s", ours_k, 0,
                 std::to_string(ours_ans.q4_khop.edges) + " edges scanned"});
        if (have_sqlite) {
            const auto r = edges_per_s(t_sq.q4_khop, ours_ans.q4_khop.edges);
            out.add({"Q4 3-hop from node 0", "sqlite", "edges/s", r, ours_k.median / r.median, ""});
        }
    }
    add_pair("Q5 shortest path", "ms total", scale(t_ours.q5, 1e3), scale(t_sq.q5, 1e3),
             std::to_string(ids.q5.size()) + " pairs, bidirectional BFS");

    // ---- L2: durable one-edge commits, interleaved with the raw loop ---------------
    {
        std::vector<double> ours_us, sq_us, raw_us;
        std::string repeats_note; // each repeat's mean, and the checkpoints it ran, in order
        const int commits = static_cast<int>(ids.l2.size());
#if defined(SQLITEGRAPH_WITH_SQLITE3)
        sqlite_db db(sqlite_db_path);
        db.configure(cache, true);
        auto* ins = db.prepare("INSERT INTO edges(from_id, to_id, type, data) VALUES(?, ?, 'follows', '{\"weight\":1}')");
#endif
        for (int r = 0; r < repeat; ++r) {
            raw_us.push_back(raw_write_fdatasync_us(dir + "/bench-graph-raw", commits));
            const auto checkpoints_before = store->pager_handle().stats().checkpoints;
            auto start = std::chrono::steady_clock::now();
            for (const auto& [a, b] : ids.l2)
                store->insert_edge({a, b, "follows", R"({"weight":1})"});
            ours_us.push_back(seconds_since(start) * 1e6 / commits);
            repeats_note += (r == 0 ? "" : " / ") + std::to_string(std::lround(ours_us.back())) + " us (" +
                            std::to_string(store->pager_handle().stats().checkpoints - checkpoints_before) + ")";
#if defined(SQLITEGRAPH_WITH_SQLITE3)
            start = std::chrono::steady_clock::now();
            for (const auto& [a, b] : ids.l2) {
                sqlite3_bind_int64(ins, 1, static_cast<sqlite3_int64>(a));
                sqlite3_bind_int64(ins, 2, static_cast<sqlite3_int64>(b));
                db.step_done(ins);
            }
            sq_us.push_back(seconds_since(start) * 1e6 / commits);
#endif
        }
        auto to_rate = [](sample_stats s) { return sample_stats{1e6 / s.median, 1e6 / s.max, 1e6 / s.min}; };
        const auto o = summarize(ours_us), raw = summarize(raw_us);
        out.add({"L2 one-edge durable commits", "sqlitegraph", "us/commit", o, 0,
                 std::to_string(commits) + " commits, sync full; by repeat (checkpoints): " + repeats_note});
        out.add({"L2 one-edge durable commits", "sqlitegraph", "commits/s", to_rate(o), 0, ""});
        out.add({"L2 one-edge durable commits", "raw write+fdatasync", "us/write", raw, o.median / raw.median,
                 "4 KiB pwrite + fdatasync, same disk"});
        if (have_sqlite) {
            const auto s = summarize(sq_us);
            out.add({"L2 one-edge durable commits", "sqlite", "us/commit", s, o.median / s.median, "synchronous=FULL"});
            out.add({"L2 one-edge durable commits", "sqlite", "commits/s", to_rate(s), to_rate(o).median / to_rate(s).median,
                     ""});
        }
    }

    // ---- R1: reopen after clean close and after SIGKILL with a full log ------------
    {
        store.reset();
        auto reopen_ours = [&] {
            const auto start = std::chrono::steady_clock::now();
            graph_store db(ours_db, store_opts(cache));
            if (!db.begin_read().get_node(1)) die("reopen: node 1 missing");
            const auto s = seconds_since(start) * 1e3;
            db.close();
            return s;
        };
        std::vector<double> clean_ours, killed_ours, clean_sq, killed_sq;
        for (int r = 0; r < repeat; ++r) {
            clean_ours.push_back(reopen_ours());
            const auto c = run_child({"--child", "fill-ours", "--db", ours_db, "--result", result_file, "--cache-mib",
                                      cache_mib},
                                     result_file);
            if (!c.killed) die("R1: the child was not killed");
            killed_ours.push_back(reopen_ours());
        }
        out.add({"R1 reopen after clean close", "sqlitegraph", "ms", summarize(clean_ours), 0, "open + first read"});
#if defined(SQLITEGRAPH_WITH_SQLITE3)
        auto reopen_sq = [&] {
            const auto start = std::chrono::steady_clock::now();
            double s = 0;
            {
                sqlite_db db(sqlite_db_path);
                auto* get = db.prepare("SELECT name FROM nodes WHERE id = 1");
                if (sqlite3_step(get) != SQLITE_ROW) die("reopen: sqlite node 1 missing");
                sqlite3_reset(get);
                s = seconds_since(start) * 1e3;
            }
            return s;
        };
        for (int r = 0; r < repeat; ++r) {
            clean_sq.push_back(reopen_sq());
            const auto c = run_child({"--child", "fill-sqlite", "--db", sqlite_db_path, "--result", result_file,
                                      "--cache-mib", cache_mib},
                                     result_file);
            if (!c.killed) die("R1: the sqlite child was not killed");
            killed_sq.push_back(reopen_sq());
        }
        out.add({"R1 reopen after clean close", "sqlite", "ms", summarize(clean_sq),
                 summarize(clean_ours).median / summarize(clean_sq).median, ""});
#endif
        out.add({"R1 reopen after SIGKILL, full log", "sqlitegraph", "ms", summarize(killed_ours), 0,
                 "4 MiB log, no checkpoint"});
#if defined(SQLITEGRAPH_WITH_SQLITE3)
        out.add({"R1 reopen after SIGKILL, full log", "sqlite", "ms", summarize(killed_sq),
                 summarize(killed_ours).median / summarize(killed_sq).median, "wal_autocheckpoint=0"});
#endif
    }

    std::printf("\nnodes %llu, edges %llu, repeat %d%s; ratio = ours / sqlite (time: < 1 is faster; rate: > 1 "
                "is faster); L2 raw row: ours us/commit / raw us/write\n",
                static_cast<unsigned long long>(n), static_cast<unsigned long long>(edge_rows), repeat,
                quick ? " (quick)" : "");
    out.print();
    if (!json.empty()) out.write_json(json);
    remove_db(ours_db);
    remove_db(sqlite_db_path);
    std::filesystem::remove(result_file);
    return 0;
}
