#!/usr/bin/python3
"""Oracle data for tests/algo: generates a few graphs and what networkx says
about them. Run with the system python (networkx 2.8 from Debian):

    /usr/bin/python3 tests/data/algo/make_expected.py

Every graph is written as <name>.edges: a first line "n m", then m lines
"from to type weight" in edge-index order. Each expected result is
<name>.<algorithm>: one value per line (per-vertex results in vertex order),
or one line per vertex holding a space-separated list. Unreachable or
undefined entries are written as -1. Everything is seeded, so re-running
gives the same files.
"""
import os
import random

import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))


def write_edges(name, n, edges):
    with open(os.path.join(HERE, name + ".edges"), "w") as f:
        f.write(f"{n} {len(edges)}\n")
        for u, v, t, w in edges:
            f.write(f"{u} {v} {t} {w}\n")


def write_values(name, algo, values):
    with open(os.path.join(HERE, f"{name}.{algo}"), "w") as f:
        for x in values:
            if isinstance(x, float):
                f.write(repr(x) + "\n")
            elif isinstance(x, (list, tuple)):
                f.write(" ".join(str(y) for y in x) + "\n")
            else:
                f.write(f"{x}\n")


def multidigraph(n, edges):
    g = nx.MultiDiGraph()
    g.add_nodes_from(range(n))
    for u, v, t, w in edges:
        g.add_edge(u, v, type=t, weight=w)
    return g


def simple_digraph(n, edges):
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for u, v, _, _ in edges:
        if u != v:
            g.add_edge(u, v)
    return g


def simple_undirected(n, edges):
    g = nx.Graph()
    g.add_nodes_from(range(n))
    for u, v, _, _ in edges:
        if u != v:
            g.add_edge(u, v)
    return g


def partition_labels(n, sets):
    label = [-1] * n
    for i, s in enumerate(sorted(sets, key=min)):
        for v in s:
            label[v] = i
    return label


def general_outputs(name, n, edges):
    """The algorithms that run on any directed multigraph."""
    mg = multidigraph(n, edges)
    dg = simple_digraph(n, edges)
    ug = simple_undirected(n, edges)
    pr = nx.pagerank(mg, alpha=0.85, tol=1e-13, max_iter=10000, weight=None)
    write_values(name, "pagerank", [pr[v] for v in range(n)])
    pers = {v: (1.0 if v % 7 == 0 else 0.0) for v in range(n)}
    ppr = nx.pagerank(mg, alpha=0.85, personalization=pers, tol=1e-13, max_iter=10000, weight=None)
    write_values(name, "ppr", [ppr[v] for v in range(n)])
    write_values(name, "wcc", partition_labels(n, nx.weakly_connected_components(mg)))
    write_values(name, "scc", partition_labels(n, nx.strongly_connected_components(mg)))
    depth = nx.single_source_shortest_path_length(mg, 0)
    write_values(name, "bfs0", [depth.get(v, -1) for v in range(n)])
    dist = nx.single_source_dijkstra_path_length(mg, 0, weight="weight")
    write_values(name, "sssp0", [float(dist[v]) if v in dist else -1 for v in range(n)])
    bc = nx.betweenness_centrality(dg, normalized=False)
    write_values(name, "betweenness", [bc[v] for v in range(n)])
    bcu = nx.betweenness_centrality(ug, normalized=True)
    write_values(name, "betweenness_undirected_normalized", [bcu[v] for v in range(n)])
    cl = nx.closeness_centrality(dg)
    write_values(name, "closeness", [cl[v] for v in range(n)])
    tri = nx.triangles(ug)
    write_values(name, "triangles", [tri[v] for v in range(n)])
    cc = nx.clustering(ug)
    write_values(name, "clustering", [float(cc[v]) for v in range(n)])
    core = nx.core_number(ug)
    write_values(name, "kcore", [core[v] for v in range(n)])
    comms = nx.community.louvain_communities(ug, seed=42)
    write_values(name, "louvain_modularity", [nx.community.modularity(ug, comms)])
    write_values(name, "louvain_partition", partition_labels(n, comms))
    write_values(name, "cycle_basis_size", [len(nx.cycle_basis(ug))])
    # A few vertex pairs with their number of shortest paths (bounded at 1000).
    rng = random.Random(7)
    rows = []
    for _ in range(20):
        s, t = rng.randrange(n), rng.randrange(n)
        try:
            paths = []
            for p in nx.all_shortest_paths(dg, s, t):
                paths.append(p)
                if len(paths) == 1000:
                    break
            rows.append((s, t, len(paths), len(paths[0]) - 1))
        except nx.NetworkXNoPath:
            rows.append((s, t, 0, -1))
    write_values(name, "all_shortest_paths", rows)
    # Max flow between the same pairs, capacities = summed weights.
    cap = nx.DiGraph()
    cap.add_nodes_from(range(n))
    for u, v, _, w in edges:
        if u == v:
            continue
        if cap.has_edge(u, v):
            cap[u][v]["capacity"] += w
        else:
            cap.add_edge(u, v, capacity=w)
    flows = []
    for s, t, _, _ in rows[:8]:
        flows.append((s, t, float(nx.maximum_flow_value(cap, s, t)) if s != t else 0.0))
    write_values(name, "maxflow", flows)


def random_multigraph(n, m, seed):
    rng = random.Random(seed)
    edges = []
    for _ in range(m):
        u, v = rng.randrange(n), rng.randrange(n)
        edges.append((u, v, rng.randrange(3), rng.randint(1, 10)))
    # Some deliberate parallel edges and self-loops.
    for i in range(0, m, 50):
        u, v, _, _ = edges[i]
        edges.append((u, v, 1, rng.randint(1, 10)))
        edges.append((u, u, 2, 1))
    return edges


def scale_free(n, seed):
    g = nx.scale_free_graph(n, seed=seed)
    rng = random.Random(seed)
    return [(u, v, rng.randrange(2), rng.randint(1, 100)) for u, v in g.edges()]


def communities(seed):
    g = nx.planted_partition_graph(6, 100, 0.12, 0.004, seed=seed)
    rng = random.Random(seed)
    edges = []
    for u, v in g.edges():
        if rng.random() < 0.5:
            u, v = v, u
        edges.append((u, v, 0, 1))
    return g.number_of_nodes(), edges


def dag(n, m, seed):
    rng = random.Random(seed)
    edges = []
    for _ in range(m):
        a, b = rng.randrange(n), rng.randrange(n)
        if a == b:
            continue
        u, v = min(a, b), max(a, b)
        edges.append((u, v, 0, rng.randint(1, 20)))
    edges.append(edges[0])  # a parallel edge
    return edges


def cfg(n, seed):
    """A control-flow-like graph: fall-through edges, forward branches and
    loops (back edges); vertex 0 is the entry."""
    rng = random.Random(seed)
    edges = []
    for i in range(n - 1):
        if rng.random() < 0.9:
            edges.append((i, i + 1, 0, 1))
        r = rng.random()
        if r < 0.3:
            edges.append((i, min(n - 1, i + rng.randint(2, 20)), 1, 1))
        elif r < 0.4:
            edges.append((i, max(0, i - rng.randint(1, 30)), 2, 1))
    return edges


def main():
    n = 600
    e = random_multigraph(n, 2400, 1)
    write_edges("multi", n, e)
    general_outputs("multi", n, e)

    n = 1500
    e = scale_free(n, 2)
    write_edges("scalefree", n, e)
    general_outputs("scalefree", n, e)

    n, e = communities(3)
    write_edges("communities", n, e)
    general_outputs("communities", n, e)

    n = 800
    e = dag(n, 3000, 4)
    write_edges("dag", n, e)
    dg = simple_digraph(n, e)
    write_values("dag", "topo", list(nx.lexicographical_topological_sort(dg)))
    write_values("dag", "closure_edges", [nx.transitive_closure(dg, reflexive=False).number_of_edges()])
    tr = nx.transitive_reduction(dg)
    write_values("dag", "reduction", sorted(tr.edges()))
    # networkx 2.8 mis-weighs parallel edges in dag_longest_path_length on a
    # MultiDiGraph, so keep the heaviest of each parallel group in a DiGraph.
    heavy = nx.DiGraph()
    heavy.add_nodes_from(range(n))
    for u, v, _, w in e:
        if not heavy.has_edge(u, v) or heavy[u][v]["weight"] < w:
            heavy.add_edge(u, v, weight=w)
    longest = nx.dag_longest_path_length(heavy, weight="weight")
    write_values("dag", "longest", [float(longest)])

    n = 1000
    e = cfg(n, 5)
    write_edges("cfg", n, e)
    dg = simple_digraph(n, e)
    idom = nx.immediate_dominators(dg, 0)
    write_values("cfg", "idom", [idom.get(v, -1) for v in range(n)])
    df = nx.dominance_frontiers(dg, 0)
    write_values("cfg", "frontier", [sorted(df[v]) if v in df else [] for v in range(n)])
    rev = dg.reverse()
    ipdom = nx.immediate_dominators(rev, n - 1)
    write_values("cfg", "ipdom", [ipdom.get(v, -1) for v in range(n)])


if __name__ == "__main__":
    main()
