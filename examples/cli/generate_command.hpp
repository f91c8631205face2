// examples/cli/generate_command.hpp — `sqlitegraph generate rmat|vectors`:
// the benchmark inputs of ../shared/BENCHMARKS.md, deterministic for a seed
// (the same bytes on every run and platform: integer formatting and
// std::to_chars only).
//
// rmat streams: it draws the exact sequence of algo::generate_rmat (same
// random_source, same order of draws) but writes each edge as it is drawn,
// so memory stays constant and scale 22 (67 M draws) fits. Node i has key
// "i", kind User/Item/Tag (i mod 3), name "n<i>", age (i mod 90) and a score
// in [0, 100) with four decimals taken from a hash of (seed, i); each edge
// has type follows/likes and an integer weight in [1, 100] (rmat.hpp).
#pragma once

#include "csv.hpp"
#include "options.hpp"
#include "progress.hpp"

#include "sqlitegraph/algo/random.hpp"
#include "sqlitegraph/algo/rmat.hpp"
#include "sqlitegraph/vector/generate.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iostream>
#include <span>
#include <sstream>
#include <string>
#include <vector>

namespace sqlitegraph::cli {

namespace generate_detail {

inline void append_uint(std::string& s, std::uint64_t v) {
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    s.append(buf, end);
}

// SplitMix64 finaliser: the node score's hash of (seed, i).
inline std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

inline void write_rmat(const algo::rmat_options& opt, const std::string& nodes_path, const std::string& edges_path) {
    if (opt.scale == 0 || opt.scale > 31)
        throw usage_error("--scale " + std::to_string(opt.scale) + " is outside [1, 31]");
    if (opt.edge_factor == 0) throw usage_error("--edge-factor must be at least 1");
    const std::uint64_t vertices = std::uint64_t{1} << opt.scale;
    const std::uint64_t draws = vertices * opt.edge_factor;
    progress bar("generate rmat", vertices + draws);
    static const char* const kinds[3] = {"User", "Item", "Tag"};
    std::string buf;
    buf.reserve(1 << 20);
    {
        output_file nodes(nodes_path);
        nodes.write("id,kind,name,age,score\n");
        for (std::uint64_t i = 0; i < vertices; ++i) {
            append_uint(buf, i);
            buf += ',';
            buf += kinds[i % 3];
            buf += ",n";
            append_uint(buf, i);
            buf += ',';
            append_uint(buf, i % 90);
            buf += ',';
            const std::uint64_t s = mix(opt.seed ^ mix(i)) % 1000000; // score = s / 10^4
            append_uint(buf, s / 10000);
            buf += '.';
            const std::uint64_t frac = s % 10000;
            for (std::uint64_t p = 1000; p > 0; p /= 10)
                buf += static_cast<char>('0' + (frac / p) % 10);
            buf += '\n';
            if (buf.size() > (1 << 20) - 128) {
                nodes.write(buf);
                buf.clear();
                bar.update(i + 1);
            }
        }
        nodes.write(buf);
        buf.clear();
        nodes.close();
    }
    output_file edges(edges_path);
    edges.write("from,to,type,weight\n");
    // The draw sequence of algo::generate_rmat, written as drawn.
    algo::random_source rng(opt.seed);
    const double ab = opt.a + opt.b, abc = opt.a + opt.b + opt.c;
    for (std::uint64_t i = 0; i < draws; ++i) {
        std::uint32_t u = 0, v = 0;
        for (unsigned bit = 0; bit < opt.scale; ++bit) {
            const double r = rng.uniform();
            const std::uint32_t down = r >= ab;
            const std::uint32_t right = (r >= opt.a && r < ab) || r >= abc;
            u = (u << 1) | down;
            v = (v << 1) | right;
        }
        const std::uint64_t x = rng.next();
        if (u == v) continue;
        append_uint(buf, u);
        buf += ',';
        append_uint(buf, v);
        buf += (x & 1) ? ",likes," : ",follows,";
        append_uint(buf, 1 + (x >> 1) % 100);
        buf += '\n';
        if (buf.size() > (1 << 20) - 128) {
            edges.write(buf);
            buf.clear();
            bar.update(vertices + i + 1);
        }
    }
    edges.write(buf);
    edges.close();
}

} // namespace generate_detail

inline int generate_command(const std::vector<std::string>& args) {
    static const command_spec rmat_spec{
        "generate rmat",
        "--scale S [--edge-factor 16] [--seed 42] --nodes N.csv --edges E.csv",
        "Writes an R-MAT graph (Graph500 a,b,c,d = 0.57,0.19,0.19,0.05; self-loops dropped, duplicates kept)\n"
        "as NODES.csv and EDGES.csv (../shared/BENCHMARKS.md). Same bytes for the same options.",
        {{"scale", "S", "2^S nodes", ""},
         {"edge-factor", "F", "F * 2^S edge draws", "16"},
         {"seed", "N", "random seed", "42"},
         {"nodes", "N.csv", "node file to write", ""},
         {"edges", "E.csv", "edge file to write", ""}},
    };
    static const command_spec vectors_spec{
        "generate vectors",
        "[--count 100000] [--dim 128] [--clusters 100] [--queries 1000] [--seed 42] --vectors V.csv --query-file Q.csv",
        "Writes float32 vectors drawn from a mixture of Gaussians and queries from the same mixture, as\n"
        "`key,x0,x1,...` rows without a header (keys 0.., query ids 0..). Same bytes for the same options.",
        {{"count", "N", "vectors", "100000"},
         {"dim", "D", "dimension", "128"},
         {"clusters", "C", "Gaussians in the mixture", "100"},
         {"queries", "Q", "queries", "1000"},
         {"seed", "N", "random seed", "42"},
         {"vectors", "V.csv", "vector file to write", ""},
         {"query-file", "Q.csv", "query file to write", ""}},
    };
    static const command_spec spec{"generate", "rmat|vectors [options]",
                                   "Benchmark inputs: `generate rmat --help`, `generate vectors --help`.", {}, 1};
    const std::string what = args.empty() ? "" : args[0];
    const std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
    if (what == "rmat") {
        return run_command(rmat_spec, rest, [&](parsed_args& a) {
            algo::rmat_options opt;
            const auto scale = a.get_uint("scale"), factor = a.get_uint("edge-factor");
            if (scale == 0 || scale > 31) throw usage_error("--scale must be in [1, 31]");
            if (factor == 0 || factor > 1024) throw usage_error("--edge-factor must be in [1, 1024]");
            opt.scale = static_cast<unsigned>(scale);
            opt.edge_factor = static_cast<unsigned>(factor);
            opt.seed = a.get_uint("seed");
            generate_detail::write_rmat(opt, a.get("nodes"), a.get("edges"));
            return 0;
        });
    }
    if (what == "vectors") {
        return run_command(vectors_spec, rest, [&](parsed_args& a) {
            vector::vector_set_spec s;
            s.count = a.get_uint("count");
            s.dim = a.get_uint("dim");
            s.clusters = a.get_uint("clusters");
            s.queries = a.get_uint("queries");
            s.seed = a.get_uint("seed");
            const std::string vpath = a.get("vectors"), qpath = a.get("query-file");
            const auto set = vector::generate_vectors(s);
            // In blocks of 1024 rows, so the text never holds the whole file.
            auto write = [&](const std::string& path, const std::vector<float>& rows) {
                output_file f(path);
                const std::size_t count = s.dim ? rows.size() / s.dim : 0;
                for (std::size_t first = 0; first < count; first += 1024) {
                    const std::size_t n = std::min<std::size_t>(1024, count - first);
                    std::ostringstream text;
                    vector::write_vectors_csv(text, std::span<const float>(rows).subspan(first * s.dim, n * s.dim),
                                              s.dim, first);
                    f.write(text.view());
                }
                f.close();
            };
            write(vpath, set.vectors);
            write(qpath, set.queries);
            return 0;
        });
    }
    return run_command(spec, args, [&](parsed_args&) -> int {
        throw usage_error(what.empty() ? "missing rmat or vectors" : "unknown generator '" + what + "'");
    });
}

} // namespace sqlitegraph::cli
