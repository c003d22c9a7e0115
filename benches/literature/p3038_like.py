#!/usr/bin/env python3
"""Writes a p3038-style households file: 3,038 places laid out in rows of a drilling-board
pattern (blocks of 2-12 by 1-6 places, 150 m apart) over 25 km, each place holding 1 to 20
households, around 35.7 N 51.4 E. Prints the total and the capacities Q = ceil(W / p / tau)
for p = 600 and 1,000 clusters at tau = 0.8 and 0.9 (the literature's loose and tight
capacitated p-median instances on this point set).

Usage: python3 benches/literature/p3038_like.py OUT.csv [--seed 7] [--n 3038]
Then:  siting plan OUT.csv --catchments 1000 --max-size Q --min-size 0
"""

import argparse
import csv
import math
import random

from run import unproject


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--n", type=int, default=3038)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    points = []
    while len(points) < args.n:
        bx, by = rng.uniform(0, 25_000), rng.uniform(0, 25_000)
        nx, ny = rng.randint(2, 12), rng.randint(1, 6)
        for i in range(nx):
            for j in range(ny):
                if len(points) < args.n:
                    points.append((bx + i * 150 + rng.uniform(-5, 5), by + j * 150))
    total = 0
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["household_id", "lon", "lat", "households"])
        for i, (x, y) in enumerate(points):
            lon, lat = unproject(x - 12_500, y - 12_500)
            d = rng.randint(1, 20)
            total += d
            w.writerow([i, f"{lon:.9f}", f"{lat:.9f}", d])
    print(f"households {total}")
    for p in (600, 1000):
        for tau in (0.8, 0.9):
            print(f"p {p} tau {tau}: Q {math.ceil(total / p / tau)}")


if __name__ == "__main__":
    main()
