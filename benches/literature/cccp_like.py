#!/usr/bin/env python3
"""City-like capacitated centred clustering (CCCP) instances, and a reference to score them
against when no best known value exists.

The public CCCP sample (TA50-70) has small, uniform instances; the family also has
real-city ones (hundreds to thousands of points in clustered towns, some with demands of
several units, looser capacities). This script writes instances of that shape in the TA
layout that `run.py` reads, and computes a reference value for each: the classic
alternation of an exact capacitated assignment of the points to fixed centers (a mixed
integer program solved by HiGHS through SciPy; a linear program when every demand is 1)
and the centers moved to their clusters' unweighted means, from several k-means++ starts,
best kept. It is a reference, not a best known value: published metaheuristics do better.

Usage:
    python3 benches/literature/cccp_like.py write DIR --n 3000 --p 8 --tau 0.85 --seed 2
        [--max-demand 1]    writes DIR/city-n3000-p8-s2.dat
    python3 benches/literature/cccp_like.py reference FILE.dat [--starts 8]
        prints the best alternation value, to put in a markdown table for run.py --best
Needs numpy and scipy (pip install numpy scipy) for `reference` only.
"""

import argparse
import math
import os
import random
import sys


def write(args):
    """Towns as Gaussian blobs of various sizes and weights over 10 km, 15 % of the points
    scattered between them; demands 1..max_demand; Q = ceil(total demand / (p tau))."""
    rng = random.Random(args.seed)
    towns = [(rng.uniform(0, 10_000), rng.uniform(0, 10_000), rng.uniform(200, 1_500),
              rng.uniform(0.3, 3.0)) for _ in range(rng.randint(4, 12))]
    mass = sum(t[3] for t in towns)
    points = []
    for _ in range(args.n):
        if rng.random() < 0.15:
            points.append((rng.uniform(0, 10_000), rng.uniform(0, 10_000)))
            continue
        r = rng.uniform(0, mass)
        for town in towns:
            r -= town[3]
            if r <= 0:
                break
        points.append((town[0] + rng.gauss(0, town[2]), town[1] + rng.gauss(0, town[2])))
    demand = [rng.randint(1, args.max_demand) for _ in points]
    capacity = math.ceil(sum(demand) / (args.p * args.tau))
    os.makedirs(args.dir, exist_ok=True)
    path = os.path.join(args.dir, f"city-n{args.n}-p{args.p}-s{args.seed}.dat")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{args.n} {args.p}\n")
        for (x, y), d in zip(points, demand):
            f.write(f"{x:.2f} {y:.2f} {capacity} {d}\n")
    print(path, "Q =", capacity)


def reference(args):
    import numpy as np
    import scipy.sparse as sp
    from scipy.optimize import Bounds, LinearConstraint, milp

    rows = [l.split() for l in open(args.file, encoding="utf-8") if l.strip()]
    n, p = int(rows[0][0]), int(rows[0][1])
    table = np.array([[float(t) for t in r] for r in rows[1:1 + n]])
    xy, capacity, demand = table[:, :2], table[0, 2], table[:, 3]
    integral = bool((demand == 1).all())  # then the LP's optimum is integral

    def assign(centers):
        cost = np.linalg.norm(xy[:, None, :] - centers[None, :, :], axis=2).ravel()
        cols = np.arange(n * p)
        one = sp.csr_matrix((np.ones(n * p), (np.repeat(np.arange(n), p), cols)), shape=(n, n * p))
        load = sp.csr_matrix((np.repeat(demand, p), (np.tile(np.arange(p), n), cols)),
                             shape=(p, n * p))
        res = milp(cost, constraints=[LinearConstraint(one, 1, 1),
                                      LinearConstraint(load, 0, capacity)],
                   integrality=np.zeros(n * p) if integral else np.ones(n * p),
                   bounds=Bounds(0, 1))
        if res.x is None:
            raise SystemExit(f"{args.file}: the assignment failed: {res.message}")
        return res.x.reshape(n, p).argmax(1)

    def means(labels, rng):
        return np.array([xy[labels == j].mean(0) if (labels == j).any()
                         else xy[rng.integers(n)] for j in range(p)])

    def value(labels):
        return sum(np.linalg.norm(xy[labels == j] - xy[labels == j].mean(0), axis=1).sum()
                   for j in np.unique(labels))

    def kmeanspp(rng):
        centers = [xy[rng.integers(n)]]
        for _ in range(p - 1):
            d2 = np.min(np.linalg.norm(xy[:, None] - np.array(centers)[None], axis=2), 1) ** 2
            centers.append(xy[rng.choice(n, p=d2 / d2.sum())])
        return np.array(centers)

    rng = np.random.default_rng(args.seed)
    found = []
    for _ in range(args.starts):
        labels = assign(kmeanspp(rng))
        best = value(labels)
        for _ in range(60):
            again = assign(means(labels, rng))
            v = value(again)
            if v >= best - 1e-9:
                break
            labels, best = again, v
        found.append(best)
    name = os.path.splitext(os.path.basename(args.file))[0]
    print(f"| {name} | {min(found):.2f} |")
    print(f"{name}: starts {', '.join(f'{v:.2f}' for v in found)}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("dir")
    w.add_argument("--n", type=int, default=3000)
    w.add_argument("--p", type=int, default=8)
    w.add_argument("--tau", type=float, default=0.85)
    w.add_argument("--seed", type=int, default=1)
    w.add_argument("--max-demand", type=int, default=1)
    r = sub.add_parser("reference")
    r.add_argument("file")
    r.add_argument("--starts", type=int, default=8)
    r.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    write(args) if args.command == "write" else reference(args)


if __name__ == "__main__":
    main()
