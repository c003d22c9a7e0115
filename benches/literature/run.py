#!/usr/bin/env python3
"""Runs siting on published capacitated-clustering instances and scores each plan in the
instance's own units, against the best known value.

Families (detected from the file's layout, see ../shared/benchmarks/README.md):

* CCCP (capacitated centred clustering, Negreiros & Palhano): line 1 ``n p``, then n lines
  ``x y Q d``. Objective: the sum over points of the Euclidean distance to the unweighted
  mean of its cluster's coordinates. Best known values come from a ``--best`` table (the
  markdown tables of the benchmarks README are read by default).
* CPMP (capacitated p-median, OR-Library pmedcap1): line 1 ``instance optimum``, line 2
  ``n p Q``, then n lines ``id x y demand``. Objective: the sum over points of the truncated
  Euclidean distance to its cluster's median, each cluster's best member taken as median.

Each instance becomes a households file: the points scaled to a region about 30 km across,
placed around 35.7 N 51.4 E by an inverse azimuthal equidistant projection (distances keep
their ratios), with the demand as the ``households`` weight. It is planned with
``siting plan FILE --catchments p --max-size Q --min-size 0`` plus the arguments given
after ``--``, and the plan's ``assignments.csv`` is scored.

Usage::

    python3 benches/literature/run.py [--siting target/release/siting]
        [--instances DIR] [--best FILE] [--markdown OUT.md] [-- EXTRA SITING ARGS]

Prints one row per instance (gap to the best known value in percent, plan time in
seconds, feasibility) and the mean gap per family. Standard library only.
"""

import argparse
import csv
import math
import os
import re
import subprocess
import sys
import tempfile
import time

EARTH_RADIUS_M = 6_371_008.8
CENTER_LAT = 35.7
CENTER_LON = 51.4
REGION_M = 30_000.0


class Instance:
    """One benchmark instance: points, demands, cluster count, capacity, family."""

    def __init__(self, name, family, xy, demand, p, capacity, best):
        self.name = name
        self.family = family
        self.xy = xy
        self.demand = demand
        self.p = p
        self.capacity = capacity
        self.best = best


def numbers(line):
    return [float(t) for t in line.split()]


def read_instance(path, best_known):
    """Reads a CCCP or CPMP file; raises ValueError naming the file and line on bad input."""
    name = os.path.splitext(os.path.basename(path))[0]
    with open(path, encoding="utf-8") as f:
        lines = [(no, l) for no, l in enumerate(f, start=1) if l.strip()]
    if len(lines) < 3:
        raise ValueError(f"{path}: too few lines for an instance")
    try:
        first = numbers(lines[0][1])
        second = numbers(lines[1][1])
    except ValueError as e:
        raise ValueError(f"{path}: line {lines[0][0]}: {e}") from None
    if len(first) == 2 and len(second) == 3:
        # CPMP: "instance optimum", then "n p Q", then "id x y demand".
        n, p, capacity = int(second[0]), int(second[1]), second[2]
        rows, family, best = lines[2 : 2 + n], "CPMP", first[1]
        cols = (1, 2, 3)
    elif len(first) == 2 and len(second) == 4:
        # CCCP: "n p", then "x y Q d".
        n, p = int(first[0]), int(first[1])
        capacity, rows, family = second[2], lines[1 : 1 + n], "CCCP"
        best = best_known.get(name)
        cols = (0, 1, 3)
    else:
        raise ValueError(f"{path}: line 1-2: neither a CCCP nor a CPMP layout")
    if len(rows) != n:
        raise ValueError(f"{path}: {n} points announced, {len(rows)} found")
    xy, demand = [], []
    for no, line in rows:
        try:
            v = numbers(line)
            xy.append((v[cols[0]], v[cols[1]]))
            demand.append(v[cols[2]])
        except (ValueError, IndexError):
            raise ValueError(f"{path}: line {no}: expected {max(cols) + 1} numbers") from None
    return Instance(name, family, xy, demand, p, capacity, best)


def read_best_known(path):
    """Best known values from markdown tables: a row whose first cell names an instance and
    whose last cell is a number."""
    best = {}
    if not path or not os.path.exists(path):
        return best
    with open(path, encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 2 and re.fullmatch(r"[\w.-]+", cells[0]):
                try:
                    best[cells[0]] = float(cells[-1].replace(",", ""))
                except ValueError:
                    pass
    return best


def unproject(x, y):
    """Inverse azimuthal equidistant projection (sphere) around CENTER_LAT, CENTER_LON: the
    (lon, lat) in degrees of the point x metres east and y metres north of the center."""
    rho = math.hypot(x, y)
    if rho == 0:
        return CENTER_LON, CENTER_LAT
    phi0, lam0 = math.radians(CENTER_LAT), math.radians(CENTER_LON)
    c = rho / EARTH_RADIUS_M
    phi = math.asin(math.cos(c) * math.sin(phi0) + y * math.sin(c) * math.cos(phi0) / rho)
    lam = lam0 + math.atan2(
        x * math.sin(c),
        rho * math.cos(phi0) * math.cos(c) - y * math.sin(phi0) * math.sin(c),
    )
    return math.degrees(lam), math.degrees(phi)


def to_lon_lat(inst):
    """The points scaled to REGION_M across and unprojected around the center."""
    xs = [x for x, _ in inst.xy]
    ys = [y for _, y in inst.xy]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = REGION_M / extent
    return [unproject((x - cx) * scale, (y - cy) * scale) for x, y in inst.xy]


def write_households(inst, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["household_id", "lon", "lat", "households"])
        for i, ((lon, lat), d) in enumerate(zip(to_lon_lat(inst), inst.demand)):
            if d != int(d) or d < 1:
                raise ValueError(f"{inst.name}: point {i + 1}: demand {d} is not a whole number ≥ 1")
            w.writerow([i, f"{lon:.9f}", f"{lat:.9f}", int(d)])


def read_labels(path, n):
    labels = [None] * n
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            labels[int(row["household_id"])] = row["catchment_id"]
    if any(l is None for l in labels):
        raise ValueError(f"{path}: some points have no catchment")
    return labels


def clusters_of(labels):
    groups = {}
    for i, l in enumerate(labels):
        groups.setdefault(l, []).append(i)
    return list(groups.values())


def score(inst, labels):
    """The plan's objective in the instance's units, and whether it is feasible."""
    groups = clusters_of(labels)
    feasible = len(groups) <= inst.p and all(
        sum(inst.demand[i] for i in g) <= inst.capacity + 1e-9 for g in groups
    )
    total = 0.0
    for g in groups:
        pts = [inst.xy[i] for i in g]
        if inst.family == "CCCP":
            mx = sum(x for x, _ in pts) / len(pts)
            my = sum(y for _, y in pts) / len(pts)
            total += sum(math.hypot(x - mx, y - my) for x, y in pts)
        else:
            total += min(
                sum(math.floor(math.hypot(x - mx, y - my)) for x, y in pts)
                for mx, my in pts
            )
    return total, feasible


def run_one(inst, siting, extra, work):
    households = os.path.join(work, f"{inst.name}.csv")
    out = os.path.join(work, inst.name)
    write_households(inst, households)
    capacity = int(inst.capacity) if inst.capacity == int(inst.capacity) else inst.capacity
    cmd = [
        siting, "plan", households,
        "--catchments", str(inst.p),
        "--max-size", str(capacity),
        "--min-size", "0",
        "--out", out,
    ] + extra
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{inst.name}: siting failed:\n{done.stderr}")
    labels = read_labels(os.path.join(out, "assignments.csv"), len(inst.xy))
    value, feasible = score(inst, labels)
    return value, feasible, seconds


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    default_dir = os.path.join(os.path.dirname(root), "shared", "benchmarks")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--siting", default=os.path.join(root, "target", "release", "siting"))
    ap.add_argument("--instances", default=default_dir, help="folder of instance files")
    ap.add_argument("--best", help="markdown file with best known values (default: the "
                    "instances folder's README.md)")
    ap.add_argument("--markdown", help="also write the table to this file")
    ap.add_argument("extra", nargs="*", help="arguments passed to siting plan (after --)")
    args = ap.parse_args()
    best_known = read_best_known(args.best or os.path.join(args.instances, "README.md"))
    files = sorted(
        f for f in os.listdir(args.instances)
        if f.endswith((".dat", ".txt")) and not f.lower().startswith("readme")
    )
    rows, gaps = [], {}
    with tempfile.TemporaryDirectory(prefix="siting-literature-") as work:
        for f in files:
            inst = read_instance(os.path.join(args.instances, f), best_known)
            value, feasible, seconds = run_one(inst, args.siting, args.extra, work)
            gap = None
            if inst.best:
                gap = 100.0 * (value - inst.best) / inst.best
                gaps.setdefault(inst.family, []).append(gap)
            rows.append((inst, value, gap, seconds, feasible))
            print(f"{inst.name}: {value:.2f} gap {gap if gap is None else f'{gap:.2f} %'} "
                  f"{seconds:.2f} s{'' if feasible else ' INFEASIBLE'}", file=sys.stderr)
    lines = [
        "| instance | family | n | p | Q | best known | siting | gap | time | feasible |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for inst, value, gap, seconds, feasible in rows:
        best = "—" if inst.best is None else f"{inst.best:g}"
        gap_s = "—" if gap is None else f"{gap:.2f} %"
        lines.append(
            f"| {inst.name} | {inst.family} | {len(inst.xy)} | {inst.p} | {inst.capacity:g} "
            f"| {best} | {value:.2f} | {gap_s} | {seconds:.2f} s | {'yes' if feasible else 'NO'} |"
        )
    lines.append("")
    for family, g in sorted(gaps.items()):
        lines.append(f"{family}: mean gap {sum(g) / len(g):.2f} % over {len(g)} instances, "
                     f"max {max(g):.2f} %")
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(table + "\n")
    infeasible = sum(1 for r in rows if not r[4])
    return 1 if infeasible else 0


if __name__ == "__main__":
    sys.exit(main())
