#!/usr/bin/env python3
"""How far a `--objective distance` plan is from the best plans other starts reach.

An independent check of siting's travel objective (issue 19), outside its own code: the
classic alternation for the capacitated p-median with free centers, each household to a
center by an exact size-constrained assignment (a transportation LP solved by HiGHS through
SciPy) and each center to its catchment's geometric median (Weiszfeld), repeated until the
total distance falls by less than 1e-5 of itself. It runs from siting's plan (how much the
rounds' stopping rule leaves) and from k-means++ starts (whether other basins are better).

Needs ``pip install numpy scipy``. The households are projected to a local equirectangular
frame (the files are a province across, so distances agree with siting's projection to
within 0.1 %); siting's plan is scored in the same frame.

Usage::

    siting plan peer5k.csv --objective distance --out plan5k
    python3 benches/peers/distance_starts.py peer5k.csv plan5k --starts 8

``--candidates M`` limits each household's assignment to its M nearest centers (and its
current one), which large files need (the LP has n × M columns); without it every center
is a candidate. The bounds are read from the plan's ``summary.json``.
"""

import argparse
import csv
import json
import math
import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack
from scipy.spatial import cKDTree

EARTH_M = 6371008.8


def households(path):
    """Household ids and planar positions (m) in a local equirectangular frame."""
    rows = list(csv.DictReader(open(path, encoding="utf-8-sig")))
    lon = np.array([float(r["lon"]) for r in rows])
    lat = np.array([float(r["lat"]) for r in rows])
    cos0 = math.cos(math.radians(lat.mean()))
    xy = np.c_[
        np.radians(lon - lon.mean()) * cos0 * EARTH_M,
        np.radians(lat - lat.mean()) * EARTH_M,
    ]
    return [r["household_id"] for r in rows], xy


def plan_labels(plan, ids):
    """Each household's catchment (0-based, in order of first appearance), the count of
    catchments and the region's size bounds."""
    index = {h: i for i, h in enumerate(ids)}
    labels = np.zeros(len(ids), int)
    catchments = {}
    for r in csv.DictReader(open(f"{plan}/assignments.csv", encoding="utf-8")):
        c = catchments.setdefault(r["catchment_id"], len(catchments))
        labels[index[r["household_id"]]] = c
    regions = json.load(open(f"{plan}/summary.json", encoding="utf-8"))["regions"]
    if len(regions) != 1:
        raise SystemExit("a plan of one region (no --by) is needed")
    return labels, len(catchments), regions[0]["min_size"], regions[0]["max_size"]


class Problem:
    def __init__(self, xy, k, lo, hi, candidates):
        self.xy, self.k, self.lo, self.hi = xy, k, lo, hi
        self.candidates = candidates

    def medians(self, labels, centers):
        """Weiszfeld steps (households within a metre pull as one a metre away)."""
        c = centers.copy()
        order = np.argsort(labels, kind="stable")
        ends = np.searchsorted(labels[order], np.arange(self.k + 1))
        for j in range(self.k):
            pts = self.xy[order[ends[j] : ends[j + 1]]]
            if len(pts) == 0:
                continue
            for _ in range(50):
                w = 1.0 / np.maximum(np.linalg.norm(pts - c[j], axis=1), 1.0)
                c[j] = (pts * w[:, None]).sum(0) / w.sum()
        return c

    def total(self, labels, centers):
        return np.linalg.norm(self.xy - centers[labels], axis=1).sum()

    def assign(self, centers, current):
        """The exact size-constrained assignment among each household's candidates;
        None when the candidates cannot meet the bounds."""
        n, k = len(self.xy), self.k
        if self.candidates and self.candidates < k:
            _, near = cKDTree(centers).query(self.xy, self.candidates)
            if current is not None:
                near = np.c_[near, current]
        else:
            near = np.tile(np.arange(k), (n, 1))
        m = near.shape[1]
        rows = np.repeat(np.arange(n), m)
        cols = near.ravel()
        var = np.arange(n * m)
        cost = np.linalg.norm(self.xy[rows] - centers[cols], axis=1)
        one_each = csr_matrix((np.ones(n * m), (rows, var)), shape=(n, n * m))
        sizes = csr_matrix((np.ones(n * m), (cols, var)), shape=(k, n * m))
        res = linprog(
            cost,
            A_ub=vstack([sizes, -sizes]),
            b_ub=np.r_[np.full(k, self.hi), np.full(k, -self.lo)],
            A_eq=one_each,
            b_eq=np.ones(n),
            bounds=(0, 1),
            method="highs",
        )
        if res.x is None:
            return None
        return near[np.arange(n), res.x.reshape(n, m).argmax(1)]

    def descend(self, centers, labels=None):
        """Alternation to convergence; the mean distance reached, or None."""
        best = None
        for _ in range(60):
            labels = self.assign(centers, labels)
            if labels is None:
                return None
            centers = self.medians(labels, centers)
            now = self.total(labels, centers)
            if best is not None and now >= best * (1 - 1e-5):
                break
            best = now
        return best / len(self.xy)


def plus_plus(xy, k, rng):
    centers = [xy[rng.integers(len(xy))]]
    d2 = np.sum((xy - centers[0]) ** 2, axis=1)
    for _ in range(k - 1):
        centers.append(xy[rng.choice(len(xy), p=d2 / d2.sum())])
        d2 = np.minimum(d2, np.sum((xy - centers[-1]) ** 2, axis=1))
    return np.array(centers)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("households")
    ap.add_argument("plan", help="siting's --objective distance plan folder")
    ap.add_argument("--starts", type=int, default=8)
    ap.add_argument("--candidates", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    ids, xy = households(args.households)
    labels, k, lo, hi = plan_labels(args.plan, ids)
    prob = Problem(xy, k, lo, hi, args.candidates)
    means = np.array([xy[labels == j].mean(0) for j in range(k)])
    centers = prob.medians(labels, means)
    print(f"{len(xy)} households, {k} catchments, sizes {lo}-{hi}")
    print(f"siting's plan:            mean {prob.total(labels, centers) / len(xy):.2f} m")
    t = time.time()
    print(f"alternation from it:      mean {prob.descend(centers, labels):.2f} m "
          f"({time.time() - t:.0f} s)")
    rng = np.random.default_rng(args.seed)
    for s in range(args.starts):
        t = time.time()
        got = prob.descend(plus_plus(xy, k, rng))
        shown = "bounds not met by the candidates" if got is None else f"mean {got:.2f} m"
        print(f"k-means++ start {s + 1:2}:       {shown} ({time.time() - t:.0f} s)")


if __name__ == "__main__":
    main()
