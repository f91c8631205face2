#!/usr/bin/env python3
"""benchmarks/report/aggregate.py — merges the JSON of one scripts/bench-report
run into <out>/<date>.json and <date>.md and draws the PNG plots with gnuplot.

Standard library only. Input: the run directory that scripts/bench-report
fills (manifest.tsv: one line per program run; machine.tsv; params.tsv; one
JSON file per program). The benchmark programs write three shapes of JSON
(bench_util.hpp's list of rows, bench_algo_vs_igraph's object with ours and
igraph per row, bench_vector_vs_hnswlib's object with a recall/QPS curve per
system); all become rows {workload, system, unit, median, min, max, ratio,
note, program}. A program whose JSON does not parse is a failure, and so is a
non-zero exit: both make this script exit with status 1 (after writing the
report, which lists them), so the CI smoke fails.

Ratios are recomputed here the same way for every program: ours/peer of the
medians in the unit of the workload. For time-like units lower is better, for
rates (unit ending in "/s", QPS) higher is better; the "time ratio" column
and the ratio plot turn both into ours time / peer time, so below 1 always
means ours is faster.
"""
import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys

OURS = re.compile(r"^(ours|sqlitegraph)", re.IGNORECASE)
# (peer, pattern of its system name in the rows, program that runs it)
EXPECTED_PEERS = [("sqlite", r"^sqlite(?!graph)", "graph_vs_sqlite"), ("kuzu", r"^kuzu", "kuzu"),
                  ("igraph", r"^igraph", "algo_vs_igraph"), ("hnswlib", r"^hnswlib", "vector_vs_hnswlib")]


def read_tsv(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                rows.append(line.split("\t"))
    return rows


def workload_id(workload):
    """The BENCHMARKS.md id of a row's workload ("" for extra rows)."""
    m = re.match(r"^(L[12]|Q[1-5]|A[12]|V[12]|R1)\b", workload)
    if m:
        return m.group(1) + ("*" if "-style" in workload else "")
    w = workload.lower()
    if w.startswith("pagerank"):
        return "A1"
    if w.startswith(("wcc", "scc")):
        return "A2"
    if w.startswith("bfs"):
        return "Q4*"
    return ""


def summary_rows(rows):
    """One row per (workload, peer): the first unit of each (L1 in s, not
    also edges/s), no sizes, and for V2 only the QPS at recall 0.95. These
    are the plotted bars and the README's table."""
    pts, seen = [], set()
    for r in rows:
        key = (r["workload"], r["system"])
        if not r.get("time_ratio") or key in seen or "MiB" in r["unit"] or "bytes" in r["unit"]:
            continue
        if r["workload"].startswith("V2 search ef"):
            continue
        seen.add(key)
        pts.append(r)
    return pts


def higher_is_better(unit):
    u = unit.strip().lower()
    return u.endswith("/s") or u in ("qps", "ratio", "recall") or u.startswith("recall")


def is_ours(system):
    return bool(OURS.match(system))


def num(x):
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValueError(f"not a number: {x!r}")
    return float(x)


def rows_from_util(data, program):
    """bench_util.hpp shape: a list of row objects."""
    out = []
    for r in data:
        for key in ("workload", "system", "unit", "median", "min", "max"):
            if key not in r:
                raise ValueError(f"row without {key}: {r}")
        out.append({"workload": r["workload"], "system": r["system"], "unit": r["unit"],
                    "median": num(r["median"]), "min": num(r["min"]), "max": num(r["max"]),
                    "note": r.get("note", ""), "program": program})
    return out


def rows_from_algo(data, program):
    """bench_algo_vs_igraph shape: {rows: [{workload, threads, ours, igraph?, note}]}."""
    out = []
    for r in data["rows"]:
        label = r["workload"]
        threads = int(r.get("threads", 1))
        ours_name = "sqlitegraph" + (f" ({threads} threads)" if threads != 1 else "")
        o = r["ours"]
        out.append({"workload": label + (f", {threads} threads" if threads != 1 else ""), "system": ours_name,
                    "unit": "s", "median": num(o["median"]), "min": num(o["min"]), "max": num(o["max"]),
                    "note": r.get("note", ""), "program": program})
        if "igraph" in r:
            p = r["igraph"]
            out.append({"workload": out[-1]["workload"], "system": "igraph (1 thread)", "unit": "s",
                        "median": num(p["median"]), "min": num(p["min"]), "max": num(p["max"]),
                        "note": "", "program": program})
    return out


def rows_from_vector(data, program):
    """bench_vector_vs_hnswlib shape: {systems: [{name, present, build_seconds, index_bytes, curve}]}."""
    out, curves = [], {}
    for s in data["systems"]:
        if not s.get("present"):
            continue
        name = s["name"]
        b = num(s["build_seconds"])
        out.append({"workload": "V1 HNSW build", "system": name, "unit": "s", "median": b, "min": b, "max": b,
                    "note": f"{data['count']} x {data['dim']}, M {data['m']}, ef_construction {data['ef_construction']}, "
                            f"one build (not repeated)", "program": program})
        size = num(s["index_bytes"])
        out.append({"workload": "V1 index bytes", "system": name, "unit": "bytes", "median": size, "min": size,
                    "max": size, "note": "element storage", "program": program})
        curve = [(int(p["ef"]), num(p["recall"]), num(p["qps"])) for p in s["curve"]]
        curves[name] = curve
        for ef, recall, qps in curve:
            out.append({"workload": f"V2 search ef {ef}", "system": name, "unit": "QPS", "median": qps, "min": qps,
                        "max": qps, "note": f"recall@10 {recall:.4f}; best of {data.get('repeat', '?')} passes",
                        "program": program})
        q95 = num(s.get("qps_at_recall_0.95", 0))
        if q95 > 0:
            out.append({"workload": "V2 QPS at recall@10 0.95", "system": name, "unit": "QPS", "median": q95,
                        "min": q95, "max": q95, "note": "interpolated on the ef sweep", "program": program})
    return out, curves


def reject_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def load_program(name, path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f, parse_constant=reject_constant)
    curves = {}
    if isinstance(data, list):
        rows = rows_from_util(data, name)
    elif isinstance(data, dict) and "systems" in data and "workload" in data:
        rows, curves = rows_from_vector(data, name)
    elif isinstance(data, dict) and "rows" in data:
        rows = rows_from_algo(data, name)
    else:
        raise ValueError("unknown JSON shape")
    return rows, curves, data


def add_ratios(rows):
    """Pairs each peer row with an ours row of the same workload: the same
    program and unit first, then the same unit in another program (Kuzu runs
    in its own script and names its workloads as bench_graph_vs_sqlite does),
    then the same program in another unit (a raw fsync loop's us/write
    against our us/commit)."""
    by_prog_unit, by_unit, by_prog = {}, {}, {}
    for r in rows:
        if is_ours(r["system"]):
            by_prog_unit.setdefault((r["program"], r["workload"], r["unit"]), r)
            by_unit.setdefault((r["workload"], r["unit"]), r)
            by_prog.setdefault((r["program"], r["workload"]), r)
    for r in rows:
        r["ratio"] = None
        r["time_ratio"] = None
        if is_ours(r["system"]):
            continue
        o = (by_prog_unit.get((r["program"], r["workload"], r["unit"])) or by_unit.get((r["workload"], r["unit"]))
             or by_prog.get((r["program"], r["workload"])))
        if o is None or r["median"] <= 0 or o["median"] <= 0:
            continue
        if higher_is_better(o["unit"]) != higher_is_better(r["unit"]):
            continue
        r["ours_median"] = o["median"]
        r["ours_system"] = o["system"]
        r["ratio"] = o["median"] / r["median"]
        r["time_ratio"] = 1 / r["ratio"] if higher_is_better(o["unit"]) else r["ratio"]


def fmt(x):
    if x is None:
        return "—"
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 1e6:
        return f"{x / 1e6:.2f} M"
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 100:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.3g}" if a < 10 else f"{x:.2f}"
    return f"{x:.3g}"


def md_escape(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def write_markdown(path, meta, rows, peers, failures, plots):
    L = []
    L.append(f"# Benchmark report {meta['date']}" + (" (smoke run: outputs checked, timings meaningless)" if meta["smoke"] else ""))
    L.append("")
    L.append("Produced by one command, from the repository root:")
    L.append("")
    L.append("```sh")
    L.append(meta["command"])
    L.append("```")
    L.append("")
    L.append(f"Commit `{meta.get('git', '?')}`. Parameters: " + ", ".join(f"{k} {v}" for k, v in meta["params"].items()) + ".")
    L.append("")
    L.append("## Machine")
    L.append("")
    L.append("| what | value |")
    L.append("| --- | --- |")
    for k, v in meta["machine"].items():
        L.append(f"| {md_escape(k)} | {md_escape(v)} |")
    L.append("")
    L.append("Every program runs the systems it compares in one run on the same input, alternating them where")
    L.append("the program does so; absolute numbers on a shared 2-core machine are hints, the ratios are what to")
    L.append("read. **ours/peer** is the ratio of the medians in the row's unit; **time ratio** is ours time /")
    L.append("peer time (the inverse for rates), so below 1 means ours is faster.")
    L.append("")
    L.append("## Peers")
    L.append("")
    L.append("| peer | status |")
    L.append("| --- | --- |")
    for name, p in peers.items():
        L.append(f"| {name} | {p['status']}{': ' + md_escape(p['reason']) if p.get('reason') else ''} |")
    missing = [n for n, p in peers.items() if p["status"] != "ran"]
    L.append("")
    L.append("### Missing peers")
    L.append("")
    if missing:
        for n in missing:
            L.append(f"- **{n}**: {peers[n]['status']} — {peers[n].get('reason', '')}")
    else:
        L.append("None: every peer of ../shared/BENCHMARKS.md ran.")
    L.append("")
    if failures:
        L.append("## Failures")
        L.append("")
        for f in failures:
            L.append(f"- **{f['program']}**: {md_escape(f['reason'])}")
        L.append("")
    L.append("## Summary (one row per workload and peer; the plotted ratios)")
    L.append("")
    L.append("`id` is the workload of ../shared/BENCHMARKS.md (`*`: a neighbouring measurement, e.g. Q4 on an")
    L.append("in-memory csr_view, the pager's 1-page commit); rows without an id are extra measurements.")
    L.append("")
    L.append("| id | workload | unit | ours | peer | peer's | time ratio ours/peer |")
    L.append("| --- | --- | --- | --- | --- | --- | --- |")
    for r in summary_rows(rows):
        L.append(f"| {workload_id(r['workload'])} | {md_escape(r['workload'])} | {r['unit']} | {fmt(r['ours_median'])} | "
                 f"{md_escape(r['system'])} | {fmt(r['median'])} | **{r['time_ratio']:.3f}** |")
    L.append("")
    L.append("## Ratios (ours against each peer, every unit)")
    L.append("")
    L.append("| workload | unit | ours median | peer | peer median | ours/peer | time ratio |")
    L.append("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        if r.get("ratio") is None:
            continue
        L.append(f"| {md_escape(r['workload'])} | {r['unit']} | {fmt(r['ours_median'])} | {md_escape(r['system'])} | "
                 f"{fmt(r['median'])} | {r['ratio']:.3f} | **{r['time_ratio']:.3f}** |")
    L.append("")
    L.append("## All rows (median, min, max of the repeated runs)")
    by_program = {}
    for r in rows:
        by_program.setdefault(r["program"], []).append(r)
    for program, prow in by_program.items():
        L.append("")
        L.append(f"### {program}")
        L.append("")
        L.append("| workload | system | unit | median | min | max | ours/peer | note |")
        L.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in prow:
            ratio = f"{r['ratio']:.3f}" if r.get("ratio") is not None else ""
            L.append(f"| {md_escape(r['workload'])} | {md_escape(r['system'])} | {r['unit']} | {fmt(r['median'])} | "
                     f"{fmt(r['min'])} | {fmt(r['max'])} | {ratio} | {md_escape(r.get('note', ''))} |")
    if plots:
        L.append("")
        L.append("## Plots")
        L.append("")
        for title, file in plots:
            L.append(f"![{title}]({file})")
            L.append("")
    L.append("")
    L.append("Raw outputs of each program (stdout, stderr, JSON) are in the run's work directory: "
             f"`{meta['work']}`.")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(L) + "\n")


def gnuplot_png(script, cwd):
    exe = shutil.which("gnuplot")
    if not exe:
        return "gnuplot is not installed (scripts/install-deps --bench installs gnuplot-nox)"
    res = subprocess.run([exe], input=script, text=True, cwd=cwd, capture_output=True)
    if res.returncode != 0:
        return f"gnuplot failed: {res.stderr.strip()[:300]}"
    return None


def plot_ratios(rows, out_dir, stem, title):
    pts = summary_rows(rows)
    if not pts:
        return None, "no ratio to plot"
    data = os.path.join(out_dir, stem + "-ratios.dat")
    peers = []
    for r in pts:
        if r["system"] not in peers:
            peers.append(r["system"])
    n = len(pts)
    with open(data, "w", encoding="utf-8") as f:
        # Top to bottom in report order: y = n - 1 - i. Bars start at 1.
        for i, r in enumerate(pts):
            label = f"{r['workload']} [{r['unit']}] vs {r['system']}".replace('"', "'")
            if len(label) > 70:
                label = label[:67] + "..."
            t = r["time_ratio"]
            f.write(f"{n - 1 - i}\t{t:.6g}\t{min(1.0, t):.6g}\t{max(1.0, t):.6g}\t{peers.index(r['system'])}\t\"{label}\"\n")
    png = stem + "-ratios.png"
    lo = min(min(r["time_ratio"] for r in pts), 1.0) / 2
    hi = max(max(r["time_ratio"] for r in pts), 1.0) * 2
    colors = ["#3b75af", "#ef8536", "#519e3e", "#c53a32", "#8d6ab8", "#84584e"]
    palette = ", ".join(f'{i} "{colors[i % len(colors)]}"' for i in range(max(1, len(peers))))
    legend = ", ".join(f'NaN with boxes fs solid 0.8 lc rgb "{colors[i % len(colors)]}" title "vs {p}"'
                       for i, p in enumerate(peers))
    script = f"""
set terminal pngcairo noenhanced size 1100,{120 + 20 * n} font ",9"
set output "{png}"
set title "{title}\\ntime ratio ours/peer (left of 1: ours faster; log scale)"
set logscale x
set xrange [{lo:.3g}:{hi:.3g}]
set yrange [-0.7:{n - 0.3}]
set grid xtics
set format x "%g"
set lmargin 62
set style fill solid 0.8
set palette defined ({palette})
set cbrange [0:{max(1, len(peers) - 1)}]
unset colorbox
set arrow from 1, graph 0 to 1, graph 1 nohead lw 2 lc rgb "black"
set key outside bottom center horizontal
plot "{os.path.basename(data)}" using 2:1:3:4:($1-0.38):($1+0.38):5:ytic(6) with boxxyerror lc palette notitle, \
     "" using 4:1:(sprintf(" %.3g", $2)) with labels left font ",8" notitle, {legend}
"""
    err = gnuplot_png(script, out_dir)
    os.remove(data)
    return (png if err is None else None), err


def plot_hnsw(curves, out_dir, stem, title):
    if not curves:
        return None, "no recall/QPS curve"
    files, plots = [], []
    for i, (name, curve) in enumerate(curves.items()):
        data = os.path.join(out_dir, f"{stem}-hnsw-{i}.dat")
        with open(data, "w", encoding="utf-8") as f:
            for ef, recall, qps in curve:
                f.write(f"{recall:.6f}\t{qps:.3f}\t{ef}\n")
        files.append(data)
        plots.append(f'"{os.path.basename(data)}" using 1:2 with linespoints lw 2 pt 7 title "{name}"')
        if i == 0:  # ef labels on the first curve only (the curves lie close together)
            plots.append(f'"" using 1:2:(sprintf("ef %d", $3)) with labels offset 0,0.8 font ",7" notitle')
    png = stem + "-hnsw.png"
    script = f"""
set terminal pngcairo noenhanced size 900,600 font ",10"
set output "{png}"
set title "{title}: HNSW recall@10 against QPS (one search thread)"
set xlabel "recall@10"
set ylabel "queries per second (log scale)"
set logscale y
set grid
set key bottom left
plot {", ".join(plots)}
"""
    err = gnuplot_png(script, out_dir)
    for d in files:
        os.remove(d)
    return (png if err is None else None), err


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", required=True, help="run directory written by scripts/bench-report")
    ap.add_argument("--out", required=True)
    ap.add_argument("--stem", required=True, help="file name stem, the date")
    args = ap.parse_args()

    params = dict((r[0], r[1]) for r in read_tsv(os.path.join(args.run, "params.tsv")) if len(r) >= 2)
    machine = dict((r[0], r[1]) for r in read_tsv(os.path.join(args.run, "machine.tsv")) if len(r) >= 2)
    meta = {"date": params.pop("date", args.stem), "command": params.pop("command", "?"),
            "git": params.pop("git", "?"), "work": params.pop("work", args.run),
            "smoke": params.get("smoke") == "yes", "machine": machine, "params": params}

    rows, curves, failures, raw = [], {}, [], {}
    peers = {}
    for rec in read_tsv(os.path.join(args.run, "manifest.tsv")):
        kind, name = rec[0], rec[1]
        if kind == "peer":  # peer NAME STATUS REASON
            peers[name] = {"status": rec[2], "reason": rec[3] if len(rec) > 3 else ""}
            continue
        # program NAME EXIT JSON LOG SECONDS
        status, json_path, log, secs = int(rec[2]), rec[3], rec[4], rec[5]
        if status != 0:
            tail = ""
            try:
                with open(log, encoding="utf-8", errors="replace") as f:
                    tail = " / ".join(l.strip() for l in f.read().strip().splitlines()[-3:])
            except OSError:
                pass
            failures.append({"program": name, "reason": f"exit status {status} after {secs} s; {tail}"})
            continue
        try:
            prow, pcurves, data = load_program(name, json_path)
        except (OSError, ValueError, KeyError, TypeError) as e:
            failures.append({"program": name, "reason": f"its JSON ({json_path}) does not parse: {e}"})
            continue
        if not prow:
            failures.append({"program": name, "reason": f"its JSON ({json_path}) has no rows"})
            continue
        raw[name] = {"seconds": float(secs), "json": data}
        rows += prow
        curves.update(pcurves)
    add_ratios(rows)
    # Peers the shell script did not settle: ran when the rows show them.
    failed = {f["program"] for f in failures}
    for name, pattern, program in EXPECTED_PEERS:
        if name in peers:
            continue
        if any(re.match(pattern, r["system"], re.IGNORECASE) for r in rows):
            peers[name] = {"status": "ran", "reason": ""}
        elif program in failed:
            peers[name] = {"status": "missing", "reason": f"{program} failed (see Failures)"}
        else:
            peers[name] = {"status": "missing", "reason": f"{program} wrote no row for it"}

    os.makedirs(args.out, exist_ok=True)
    title = f"sqlitegraph {meta['date']}, scale {params.get('scale', '?')}"
    plots, plot_notes = [], []
    png, err = plot_ratios(rows, args.out, args.stem, title)
    if png:
        plots.append(("time ratio ours/peer per workload", png))
    else:
        plot_notes.append(f"ratios plot: {err}")
    vparams = next((v["json"] for v in raw.values() if isinstance(v["json"], dict) and "systems" in v["json"]), {})
    vtitle = (f"sqlitegraph {meta['date']}, {vparams.get('count', '?')} vectors x {vparams.get('dim', '?')}, "
              f"{vparams.get('queries', '?')} queries, k {vparams.get('k', '?')}, M {vparams.get('m', '?')}")
    png, err = plot_hnsw(curves, args.out, args.stem, vtitle)
    if png:
        plots.append(("HNSW recall@10 against QPS", png))
    else:
        plot_notes.append(f"HNSW plot: {err}")
    for n in plot_notes:
        print(f"bench-report: {n}", file=sys.stderr)
        if "gnuplot failed" in n:
            failures.append({"program": "gnuplot", "reason": n})
    # Kuzu's BFS must scan the edges ours scans (both run from the same node
    # over the same graph): a fast wrong answer must not pass as a ratio.
    for w in ("Q4 full BFS from node 0", "Q4 3-hop from node 0"):
        scanned = {}
        for r in rows:
            m = re.search(r"(\d+) edges scanned", r.get("note", ""))
            if r["workload"] == w and m and (is_ours(r["system"]) or r["system"] == "kuzu"):
                scanned["ours" if is_ours(r["system"]) else "kuzu"] = int(m.group(1))
        if len(scanned) == 2 and scanned["ours"] != scanned["kuzu"]:
            failures.append({"program": "kuzu", "reason": f"{w}: Kuzu scanned {scanned['kuzu']} edges, ours {scanned['ours']}"})
    # Every workload of BENCHMARKS.md must have a row of ours: a program that
    # stopped producing one is harness rot, which the smoke run is there to catch.
    have = {workload_id(r["workload"]).rstrip("*") for r in rows if is_ours(r["system"])}
    for wid in ("L1", "L2", "Q1", "Q2", "Q3", "Q4", "Q5", "A1", "A2", "V1", "V2", "R1"):
        if wid not in have:
            failures.append({"program": "report", "reason": f"no row of ours for workload {wid}"})

    result = {"date": meta["date"], "command": meta["command"], "git": meta["git"], "smoke": meta["smoke"],
              "params": params, "machine": machine, "peers": peers, "failures": failures,
              "plots": [p[1] for p in plots], "plot_notes": plot_notes,
              "rows": [{k: r.get(k) for k in ("workload", "system", "unit", "median", "min", "max", "ratio",
                                               "time_ratio", "note", "program")} for r in rows],
              "hnsw_curves": {k: [{"ef": e, "recall": rc, "qps": q} for e, rc, q in v] for k, v in curves.items()},
              "program_seconds": {k: v["seconds"] for k, v in raw.items()}}
    with open(os.path.join(args.out, args.stem + ".json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, allow_nan=False)
        f.write("\n")
    write_markdown(os.path.join(args.out, args.stem + ".md"), meta, rows, peers, failures, plots)
    print(f"bench-report: {len(rows)} rows, {sum(1 for r in rows if r.get('ratio') is not None)} ratios, "
          f"{len(failures)} failures -> {os.path.join(args.out, args.stem)}.{{md,json}}")
    for f in failures:
        print(f"bench-report: FAILED {f['program']}: {f['reason']}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
