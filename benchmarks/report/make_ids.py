#!/usr/bin/env python3
"""benchmarks/report/make_ids.py — the random node ids of
bench_graph_vs_sqlite's make_ids(), for the peers that run outside that
program (Kuzu), so that every system queries the same nodes.

make_ids() draws from std::mt19937_64 seeded with the seed, id = 1 + rng() % n,
in the order: Q1 ids, Q2 ids, Q3 sources, Q5 pairs (source then target). Node
id i is CSV key i - 1, and keys are what this file holds:

  {"seed": 42, "nodes": n, "q1": [...], "q2": [...], "q3": [...], "q5": [[s, t], ...]}

Standard library only. The generator is checked against the value the C++
standard fixes (the 10000th output of a default-seeded mt19937_64) on every
run, so a wrong port cannot go unnoticed.
"""
import argparse
import json
import os
import sys

MASK = (1 << 64) - 1


class MT19937_64:
    """std::mt19937_64 (the parameters of [rand.predef])."""

    N, M = 312, 156

    def __init__(self, seed=5489):
        self.mt = [0] * self.N
        self.mt[0] = seed & MASK
        for i in range(1, self.N):
            prev = self.mt[i - 1]
            self.mt[i] = (6364136223846793005 * (prev ^ (prev >> 62)) + i) & MASK
        self.index = self.N

    def _twist(self):
        mt, n, m = self.mt, self.N, self.M
        upper, lower = 0xFFFFFFFF80000000, 0x7FFFFFFF
        for i in range(n):
            x = (mt[i] & upper) | (mt[(i + 1) % n] & lower)
            xa = x >> 1
            if x & 1:
                xa ^= 0xB5026F5AA96619E9
            mt[i] = mt[(i + m) % n] ^ xa
        self.index = 0

    def __call__(self):
        if self.index >= self.N:
            self._twist()
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & MASK


def self_check():
    rng = MT19937_64()
    for _ in range(9999):
        rng()
    if rng() != 9981545732273789042:
        raise SystemExit("make_ids: the mt19937_64 port is wrong (10000th output differs from the C++ standard's)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, required=True, help="node count n")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--counts", required=True, help="Q1,Q2,Q3,Q5 counts, e.g. 1000000,100000,1000,1000")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    if len(counts) != 4 or min(counts) < 1 or args.nodes < 1:
        ap.error("--counts needs four positive integers and --nodes a positive integer")
    self_check()
    rng, n = MT19937_64(args.seed), args.nodes
    key = lambda: rng() % n  # id 1 + rng() % n is key rng() % n
    q1 = [key() for _ in range(counts[0])]
    q2 = [key() for _ in range(counts[1])]
    q3 = [key() for _ in range(counts[2])]
    q5 = []
    for _ in range(counts[3]):
        s = key()
        q5.append([s, key()])
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "nodes": n, "q1": q1, "q2": q2, "q3": q3, "q5": q5}, f, separators=(",", ":"))
    os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
