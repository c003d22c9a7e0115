#!/usr/bin/env python3
"""Exact solutions of the CPMP instances for two objectives, to tell search gaps from
objective gaps.

siting minimises the *household-weighted* distance (a place of d households is d trips),
while the CPMP instances score the *unweighted* sum of truncated distances, the demand only
filling the capacities. This script solves each CPMP instance of the benchmarks folder
exactly (a mixed-integer program, CBC through PuLP: ``pip install pulp``) twice:

* for the instance's own objective, which reproduces the published optimum;
* for the weighted objective (Σ demand × distance to the cluster's median member),

and scores the weighted optimum with the instance's own objective. That score is what a
perfect weighted plan gets from ``run.py``: its gap is the part of siting's CPMP gap that
no search can close. It also runs siting (``--objective distance`` plus any arguments after
``--``) and prints its weighted objective over the weighted optimum.

Usage::

    python3 benches/literature/cpmp_exact.py [--siting target/release/siting]
        [--instances DIR] [-- EXTRA SITING ARGS]
"""

import argparse
import math
import os
import sys
import tempfile

import pulp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402


def solve(inst, weighted):
    """Labels and objective of the exact CPMP optimum (medians among the points)."""
    pts = range(len(inst.xy))
    dist = [[math.dist(inst.xy[i], inst.xy[j]) for j in pts] for i in pts]
    cost = [
        [inst.demand[i] * dist[i][j] if weighted else math.floor(dist[i][j]) for j in pts]
        for i in pts
    ]
    m = pulp.LpProblem("cpmp", pulp.LpMinimize)
    x = pulp.LpVariable.dicts("x", (pts, pts), cat="Binary")
    y = pulp.LpVariable.dicts("y", pts, cat="Binary")
    m += pulp.lpSum(cost[i][j] * x[i][j] for i in pts for j in pts)
    for i in pts:
        m += pulp.lpSum(x[i][j] for j in pts) == 1
    for j in pts:
        m += pulp.lpSum(inst.demand[i] * x[i][j] for i in pts) <= inst.capacity * y[j]
        for i in pts:
            m += x[i][j] <= y[j]
    m += pulp.lpSum(y[j] for j in pts) == inst.p
    status = m.solve(pulp.PULP_CBC_CMD(msg=0, threads=1, timeLimit=600))
    if pulp.LpStatus[status] != "Optimal":
        raise RuntimeError(f"{inst.name}: solver status {pulp.LpStatus[status]}")
    labels = [next(j for j in pts if x[i][j].value() > 0.5) for i in pts]
    return labels, pulp.value(m.objective)


def weighted(inst, labels):
    """Σ demand × distance to each cluster's best median member."""
    total = 0.0
    for g in run.clusters_of(labels):
        total += min(
            sum(inst.demand[i] * math.dist(inst.xy[i], inst.xy[j]) for i in g) for j in g
        )
    return total


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--siting", default=os.path.join(root, "target", "release", "siting"))
    ap.add_argument("--instances",
                    default=os.path.join(os.path.dirname(root), "shared", "benchmarks"))
    ap.add_argument("extra", nargs="*", help="arguments passed to siting plan (after --)")
    args = ap.parse_args()
    best = run.read_best_known(os.path.join(args.instances, "README.md"))
    print("| instance | optimum | exact (own objective) | weighted optimum, own objective "
          "| its gap | siting, own objective | siting weighted / weighted optimum |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    files = sorted(f for f in os.listdir(args.instances) if f.endswith(".txt"))
    with tempfile.TemporaryDirectory(prefix="siting-cpmp-") as work:
        for f in files:
            inst = run.read_instance(os.path.join(args.instances, f), best)
            if inst.family != "CPMP":
                continue
            _, own = solve(inst, weighted=False)
            labels_w, opt_w = solve(inst, weighted=True)
            scored, _ = run.score(inst, labels_w)
            value, _, _ = run.run_one(inst, args.siting,
                                      ["--objective", "distance"] + args.extra, work)
            plan = run.read_labels(os.path.join(work, inst.name, "assignments.csv"),
                                   len(inst.xy))
            print(f"| {inst.name} | {inst.best:g} | {own:g} | {scored:g} "
                  f"| {100 * (scored - inst.best) / inst.best:.2f} % | {value:g} "
                  f"| {weighted(inst, plan) / opt_w:.4f} |", flush=True)


if __name__ == "__main__":
    main()
