// benchmarks/kuzu/bench.mjs — the Kuzu peer of ../shared/BENCHMARKS.md (L1,
// Q1-Q5) through Kuzu's Node.js package, driven by scripts/bench-report.
//
//   node bench.mjs --nodes N.csv --edges E.csv --dir DIR --ids IDS.json
//        [--repeat 3] [--load-repeat 1] [--threads 1] [--q1 N] [--q2 N] [--q3 N] [--q5 N]
//        [--buffer-mib 4096] [--json FILE]
//
// L1 times COPY FROM of the generated CSVs (the files as written by
// `sqlitegraph generate rmat`: Kuzu maps CSV columns by position, so the
// node file fits `N(id, kind, name, age, score)` and the edge file
// `E(FROM N TO N, type, weight)` as they are) into a fresh on-disk database;
// schema creation is not timed. Q1-Q5 use prepared Cypher statements and are
// timed inside this script around each batch of queries, so the time includes
// the Node.js binding's per-call cost (a few µs), which an embedded C++ caller
// does not pay; the note of each row says so. The queries return Kuzu's
// internal ids (ID(b)) where ours returns node ids: asking for a property of
// the far node (b.id) makes Kuzu join against a scan of the whole node table,
// 4x slower at scale 16, which would measure the query shape, not the store.
//
// The random ids come from IDS.json (benchmarks/report/make_ids.py: the ids
// bench_graph_vs_sqlite draws, as CSV keys), so both sides query the same
// nodes; Kuzu runs the first --qN of each list (a query through the binding
// costs far more than an embedded call, so the counts are smaller). Per-op
// units compare directly; "ms total" rows over a prefix are scaled to the
// whole list and their note says so.
// Every run checks its answers for plausibility (Q1 returns the node's name
// "n<id>", Q2 counts match an edge count taken once), so a fast wrong
// answer cannot pass unnoticed.
import fs from "node:fs";
import path from "node:path";
import process from "node:process";

function parseArgs(argv) {
    const o = {
        nodes: "", edges: "", dir: "", ids: "", json: "",
        repeat: 3, loadRepeat: 1, threads: 1,
        q1: 10000, q2: 5000, q3: 100, q5: 100, bufferMib: 4096,
    };
    const numeric = new Set(["repeat", "load-repeat", "threads", "q1", "q2", "q3", "q5", "buffer-mib"]);
    for (let i = 2; i < argv.length; ++i) {
        const flag = argv[i];
        if (flag === "--help") {
            console.log("usage: node bench.mjs --nodes N.csv --edges E.csv --dir DIR --ids IDS.json [--repeat 3] " +
                "[--load-repeat 1] [--threads 1] [--q1 N] [--q2 N] [--q3 N] [--q5 N] [--buffer-mib 4096] [--json FILE]");
            process.exit(0);
        }
        if (!flag.startsWith("--") || i + 1 >= argv.length) fail(`bad argument ${flag}`, 2);
        const name = flag.slice(2);
        const value = argv[++i];
        const key = name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
        if (!(key in o)) fail(`unknown flag ${flag}`, 2);
        if (numeric.has(name)) {
            const n = Number(value);
            if (!Number.isInteger(n) || n < 0) fail(`${flag} needs a non-negative integer, got ${value}`, 2);
            o[key] = n;
        } else {
            o[key] = value;
        }
    }
    for (const need of ["nodes", "edges", "dir", "ids"]) if (!o[need]) fail(`--${need} is required`, 2);
    o.repeat = Math.max(1, o.repeat);
    o.loadRepeat = Math.max(1, o.loadRepeat);
    return o;
}

function fail(message, code = 1) {
    console.error(`kuzu bench: ${message}`);
    process.exit(code);
}

function summarize(samples) {
    const s = [...samples].sort((a, b) => a - b);
    const n = s.length;
    const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    return { median, min: s[0], max: s[n - 1] };
}

const now = () => process.hrtime.bigint();
const secondsSince = (t) => Number(now() - t) / 1e9;

function countLines(file) {
    const fd = fs.openSync(file, "r");
    const buf = Buffer.alloc(1 << 20);
    let lines = 0, read;
    while ((read = fs.readSync(fd, buf, 0, buf.length, null)) > 0)
        for (let i = 0; i < read; ++i) if (buf[i] === 10) ++lines;
    fs.closeSync(fd);
    return lines;
}

async function main() {
    const o = parseArgs(process.argv);
    let kuzu;
    try {
        kuzu = (await import("kuzu")).default;
    } catch (e) {
        fail(`missing: the kuzu package does not load (${e.message.split("\n")[0]}); run scripts/install-deps --bench`, 3);
    }
    const nodes = path.resolve(o.nodes), edges = path.resolve(o.edges);
    const nodeCount = countLines(nodes) - 1;
    const edgeCount = countLines(edges) - 1;
    fs.mkdirSync(o.dir, { recursive: true });
    const rows = [];
    const answers = {};
    const note = `kuzu ${kuzu.VERSION ?? ""} via Node.js ${process.version}, ${o.threads} thread(s)`.replace("  ", " ");

    // L1: COPY FROM into a fresh database, load-repeat times; the last one stays for the queries.
    const dbPath = path.join(o.dir, "kuzu.db");
    const loadSeconds = [];
    let db, conn;
    for (let r = 0; r < o.loadRepeat; ++r) {
        if (conn) conn.closeSync();
        if (db) db.closeSync();
        fs.rmSync(dbPath, { recursive: true, force: true });
        fs.rmSync(dbPath + ".wal", { force: true });
        db = new kuzu.Database(dbPath, o.bufferMib * 1024 * 1024);
        conn = new kuzu.Connection(db, o.threads);
        conn.querySync("CREATE NODE TABLE N(id INT64, kind STRING, name STRING, age INT64, score DOUBLE, PRIMARY KEY (id))");
        conn.querySync("CREATE REL TABLE E(FROM N TO N, type STRING, weight INT64)");
        const t = now();
        conn.querySync(`COPY N FROM '${nodes}' (HEADER=true)`);
        conn.querySync(`COPY E FROM '${edges}' (HEADER=true)`);
        loadSeconds.push(secondsSince(t));
    }
    const stored = conn.querySync("MATCH ()-[e:E]->() RETURN count(e) AS c").getAllSync()[0].c;
    if (Number(stored) !== edgeCount) fail(`L1 loaded ${stored} edges, the file has ${edgeCount}`);
    let dbBytes = 0;
    const walk = (p) => {
        const st = fs.statSync(p);
        if (st.isDirectory()) for (const f of fs.readdirSync(p)) walk(path.join(p, f));
        else dbBytes += st.size;
    };
    for (const p of [dbPath, dbPath + ".wal"]) if (fs.existsSync(p)) walk(p);
    const load = summarize(loadSeconds);
    rows.push({ workload: "L1 bulk load", system: "kuzu", unit: "s", ...load,
                note: `COPY FROM CSV (nodes then edges), ${nodeCount} nodes + ${edgeCount} edges; schema creation not timed; ${note}` });
    rows.push({ workload: "L1 bulk load", system: "kuzu", unit: "edges/s",
                median: edgeCount / load.median, min: edgeCount / load.max, max: edgeCount / load.min, note: "" });
    rows.push({ workload: "L1 bulk load", system: "kuzu", unit: "MiB file", median: dbBytes / 1048576,
                min: dbBytes / 1048576, max: dbBytes / 1048576, note: "database file + WAL after the COPY" });

    // The query ids.
    const ids = JSON.parse(fs.readFileSync(o.ids, "utf8"));
    const first = (list, n, what) => {
        if (!Array.isArray(list) || list.length === 0) fail(`ids file has no ${what} list`);
        return list.slice(0, Math.min(n, list.length));
    };
    const q1 = first(ids.q1, o.q1, "q1"), q2 = first(ids.q2, o.q2, "q2");
    const q3 = first(ids.q3, o.q3, "q3"), q5 = first(ids.q5, o.q5, "q5");

    // Runs `batch` repeat times (after one warm-up pass) and returns the per-pass seconds.
    const started = now();
    const progress = (what) => console.error(`kuzu: ${what} done at ${secondsSince(started).toFixed(1)} s`);
    const timed = (batch) => {
        batch();
        const secs = [];
        for (let r = 0; r < o.repeat; ++r) {
            const t = now();
            batch();
            secs.push(secondsSince(t));
        }
        return secs;
    };
    const run = (ps, params) => {
        const res = conn.executeSync(ps, params);
        const all = res.getAllSync();
        res.close();
        return all;
    };
    // The fixed cost of one prepared query through the binding (no table
    // touched), so a reader can tell per-call overhead from work.
    {
        const ps = conn.prepareSync("RETURN $x AS x");
        const secs = timed(() => { for (let i = 0; i < 1000; ++i) run(ps, { x: i }); });
        const s = summarize(secs.map((x) => (x / 1000) * 1e9));
        rows.push({ workload: "kuzu per-query floor", system: "kuzu", unit: "ns/op", ...s,
                    note: `prepared RETURN $x through executeSync + getAllSync, 1000 calls; ${note}` });
    }

    // Q1: node by id.
    {
        const ps = conn.prepareSync("MATCH (n:N) WHERE n.id = $id RETURN n.kind AS kind, n.name AS name, n.age AS age, n.score AS score");
        const secs = timed(() => {
            for (const id of q1) {
                const r = run(ps, { id });
                if (r.length !== 1 || r[0].name !== `n${id}`) fail(`Q1: node ${id} came back as ${JSON.stringify(r)}`);
            }
        });
        const s = summarize(secs.map((x) => (x / q1.length) * 1e9));
        progress("Q1");
        rows.push({ workload: "Q1 get node (warm)", system: "kuzu", unit: "ns/op", ...s,
                    note: `first ${q1.length} of the ${ids.q1.length} random ids, prepared statement; ${note}` });
    }
    // Q2: out-neighbours (neighbour and edge).
    {
        const ps = conn.prepareSync("MATCH (a:N {id: $id})-[e:E]->(b) RETURN ID(b) AS b, ID(e) AS e");
        let total = 0;
        const secs = timed(() => {
            total = 0;
            for (const id of q2) total += run(ps, { id }).length;
        });
        const s = summarize(secs.map((x) => (x / q2.length) * 1e9));
        progress("Q2");
        rows.push({ workload: "Q2 out-neighbours (warm)", system: "kuzu", unit: "ns/op", ...s,
                    note: `first ${q2.length} of the ${ids.q2.length} random nodes; ${note}` });
        const e = Math.max(1, total);
        rows.push({ workload: "Q2 out-neighbours (warm)", system: "kuzu", unit: "ns/edge",
                    ...summarize(secs.map((x) => (x / e) * 1e9)), note: `${total} neighbours; ${note}` });
    }
    // "ms total" rows over a prefix of the list are scaled to the whole list
    // (uniform random ids, so the prefix is a random sample of it).
    const scaledNote = (k, n, what) => (k === n ? `${n} ${what}` : `first ${k} of the ${n} ${what}, time scaled by ${n}/${k}`);
    // Q3: distinct nodes within two out-hops (the source not counted).
    {
        const ps = conn.prepareSync("MATCH (a:N {id: $id})-[:E* SHORTEST 1..2]->(c) WHERE ID(c) <> ID(a) RETURN count(*) AS c");
        let total = 0;
        const secs = timed(() => {
            total = 0;
            for (const id of q3) total += Number(run(ps, { id })[0].c);
        });
        const f = (ids.q3.length / q3.length) * 1e3;
        progress("Q3");
        rows.push({ workload: "Q3 distinct 2-hop count", system: "kuzu", unit: "ms total", ...summarize(secs.map((x) => x * f)),
                    note: `${scaledNote(q3.length, ids.q3.length, "sources")}; answer ${total}; ${note}` });
        answers.q3 = total;
    }
    // Q4: out-BFS from key 0 (ours: node 1), all reachable nodes, and within 3 hops.
    // Edges scanned (the rate's numerator, as ours counts them: the out-edges of
    // every node expanded) are counted once, untimed.
    {
        const bfs = conn.prepareSync("MATCH (a:N {id: 0})-[:E* SHORTEST 1..30]->(b) WHERE ID(b) <> ID(a) RETURN count(*) AS c");
        const khop = conn.prepareSync("MATCH (a:N {id: 0})-[:E* SHORTEST 1..3]->(b) WHERE ID(b) <> ID(a) RETURN count(*) AS c");
        const degree0 = Number(conn.querySync("MATCH (a:N {id: 0})-[:E]->() RETURN count(*) AS c").getAllSync()[0].c);
        const scanned = (depth) => degree0 + Number(conn.querySync(
            `MATCH (a:N {id: 0})-[:E* SHORTEST 1..${depth}]->(b)-[:E]->() WHERE ID(b) <> ID(a) RETURN count(*) AS c`).getAllSync()[0].c);
        let reached = 0, within3 = 0;
        const s1 = timed(() => { reached = Number(run(bfs, {})[0].c) + 1; });
        const s2 = timed(() => { within3 = Number(run(khop, {})[0].c) + 1; });
        const e1 = scanned(30), e2 = scanned(2);
        const rate = (secs, e) => { const s = summarize(secs); return { median: e / s.median, min: e / s.max, max: e / s.min }; };
        progress("Q4");
        rows.push({ workload: "Q4 full BFS from node 0", system: "kuzu", unit: "edges/s", ...rate(s1, e1),
                    note: `${reached} nodes (source included), ${e1} edges scanned, SHORTEST 1..30; ${note}` });
        rows.push({ workload: "Q4 3-hop from node 0", system: "kuzu", unit: "edges/s", ...rate(s2, e2),
                    note: `${within3} nodes (source included), ${e2} edges scanned; ${note}` });
        Object.assign(answers, { q4_nodes: reached, q4_edges: e1, q4_3hop_nodes: within3 });
    }
    // Q5: length of a shortest out-path between random pairs.
    {
        const ps = conn.prepareSync("MATCH p = (a:N {id: $s})-[:E* SHORTEST 1..30]->(b:N {id: $t}) RETURN length(p) AS len");
        let found = 0, lengths = 0;
        const secs = timed(() => {
            found = 0;
            lengths = 0;
            for (const [s, t] of q5) {
                if (s === t) { ++found; continue; }
                const r = run(ps, { s, t });
                if (r.length > 0) { ++found; lengths += Number(r[0].len); }
            }
        });
        const f = (ids.q5.length / q5.length) * 1e3;
        progress("Q5");
        rows.push({ workload: "Q5 shortest path", system: "kuzu", unit: "ms total", ...summarize(secs.map((x) => x * f)),
                    note: `${scaledNote(q5.length, ids.q5.length, "pairs")}; ${found} connected, lengths sum ${lengths}; ${note}` });
        Object.assign(answers, { q5_connected: found, q5_length_sum: lengths });
    }
    conn.closeSync();
    db.closeSync();

    console.log(`answers: ${JSON.stringify(answers)}`);
    for (const r of rows)
        console.log(`${r.workload.padEnd(24)} ${r.system.padEnd(8)} ${r.median.toFixed(3).padStart(14)} ` +
                    `${r.min.toFixed(3).padStart(14)} ${r.max.toFixed(3).padStart(14)} ${r.unit.padEnd(6)} ${r.note}`);
    if (o.json) fs.writeFileSync(o.json, JSON.stringify(rows.map((r) => ({ ...r, ratio: 0 })), null, 1) + "\n");
}

main().catch((e) => fail(e.stack ?? String(e)));
