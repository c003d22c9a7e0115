#!/usr/bin/env bash
# Re-planning scenarios (issue 17, SPEC §8) on generated data: growth (+10 % new households
# spread like the old ones, −3 % removed at random), decline (−15 %), closure (two centers
# closed), and the national file after +5 % growth, each re-planned against the plan of
# the year before and planned from scratch in the same run.
#
#   benches/replan.sh [WORKDIR] [--national]
#   OBJECTIVE=distance benches/replan.sh [WORKDIR]   (every plan with --objective distance)
#
# Needs a release build (cargo build --release) and python3. Prints one line per scenario:
# households that stayed and moved, new catchments, the mean distance to the ideal center
# of the re-plan over that of the fresh plan (and, the issue's measure, the mean distance
# to the catchment's centroid), and both wall times.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${SITING:-$ROOT/target/release/siting}
WORK=${1:-$(mktemp -d)}
NATIONAL=${2:-}
# Every plan and re-plan with this objective (siting's default when unset).
OBJ=(${OBJECTIVE:+--objective "$OBJECTIVE"})
mkdir -p "$WORK"
cd "$WORK"

# make_years N SEED GROW_PERCENT DROP_PERCENT PROVINCE → before.csv, after.csv
make_years() {
  local n=$1 seed=$2 grow=$3 drop=$4 province=$5
  local extra=$(( n * grow / 100 ))
  "$BIN" generate --n $(( n + extra )) --province "$province" --seed "$seed" --out all.csv >/dev/null
  python3 - "$n" "$drop" "$seed" <<'PY'
import csv, random, sys
n, drop, seed = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
rows = list(csv.reader(open("all.csv", newline="", encoding="utf-8")))
header, body = rows[0], rows[1:]
rng = random.Random(seed)
old = body[:n]
gone = set(rng.sample(range(n), int(n * drop / 100)))
with open("before.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f); w.writerow(header); w.writerows(old)
with open("after.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f); w.writerow(header)
    w.writerows(r for i, r in enumerate(old) if i not in gone)
    w.writerows(body[n:])
PY
}

# report NAME PLAN_DIR FRESH_DIR SECONDS_REPLAN SECONDS_FRESH (households: after.csv)
report() {
  python3 - "$@" <<'PY'
import collections, csv, json, math, sys
name, replan, fresh, t1, t0 = sys.argv[1:6]
r = json.load(open(f"{replan}/summary.json")); f = json.load(open(f"{fresh}/summary.json"))
c = r["replan"]["churn"]
ratio = r["metrics"]["mean_distance_m"] / f["metrics"]["mean_distance_m"]

# The issue's measure: the mean household distance to its catchment's centroid.
homes = {}
for row in csv.DictReader(open("after.csv", newline="", encoding="utf-8")):
    w = int(row.get("households") or row.get("weight") or 1)
    homes[row["household_id"]] = (float(row["lon"]), float(row["lat"]), w)

def to_centroid(plan):
    members = collections.defaultdict(list)
    for row in csv.DictReader(open(f"{plan}/assignments.csv", newline="")):
        members[row["catchment_id"]].append(homes[row["household_id"]])
    total = weight = 0.0
    for pts in members.values():
        w = sum(p[2] for p in pts)
        lon = sum(p[0] * p[2] for p in pts) / w
        lat = sum(p[1] * p[2] for p in pts) / w
        k = math.cos(math.radians(lat)) * 111_195.0
        total += sum(p[2] * math.hypot((p[0] - lon) * k, (p[1] - lat) * 111_195.0) for p in pts)
        weight += w
    return total / weight

centroid = to_centroid(replan) / to_centroid(fresh)

# What new catchments cost at least: each holds at least its region's lower bound, and
# where new households are spread like the old ones, a compact catchment anywhere holds
# them in the file's proportion; the rest are households that stayed, moved to it.
reasons = collections.Counter(row["reason"] for row in csv.DictReader(open(f"{replan}/moves.csv", newline="")))
new_ids = set(r["replan"]["new_catchments"])
lower = {x["name"]: x["min_size"] for x in r["regions"]}
stayed_share = (c["stayed"] + c["moved"]) / (c["stayed"] + c["moved"] + c["new"])
floor = 0.0
for f in json.load(open(f"{replan}/catchments.geojson"))["features"]:
    p = f["properties"]
    if p["catchment_id"] in new_ids:
        floor += lower[p["region"] or ""] * stayed_share
floor_share = floor / max(1, c["stayed"] + c["moved"])
over = "; ".join(f'{o["region"] or "all"}: {o["centers"]} centers, {o["needed"]} needed, merge {o["merge_candidates"][:3]}' for o in r["replan"]["oversupply"])
bad = sum(x["overlapping_pairs"] + x["households_outside"] for x in r["regions"])
print(f'{name:10} moved {c["moved"]:>7,} of {c["stayed"] + c["moved"]:>9,} ({100 * c["moved_share"]:.2f} %), '
      f'new {c["new"]:,}, left {c["left"]:,}; catchments {len(r["replan"]["new_catchments"])} new, '
      f'{len(r["replan"]["closed"])} closed; moves by reason: {reasons["new_catchment"]:,} to new '
      f'catchments, {reasons["rebalanced"]:,} rebalanced, {reasons["center_closed"]:,} from closed centers'
      + (f' (compact new catchments at their lower bound need at least {100 * floor_share:.2f} %)'
         if new_ids and not r["replan"]["closed"] else '') +
      f'; mean distance {ratio:.3f} x fresh '
      f'(to the centroid {centroid:.3f} x); '
      f'time {float(t1):.2f} s vs fresh {float(t0):.2f} s ({float(t1) / float(t0):.2f} x); '
      f'reported polygon problems {bad}' + (f'; oversupply {over}' if over else ''))
PY
}

timed() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }

scenario() {
  local name=$1 by=$2; shift 2
  "$BIN" plan before.csv $by "${OBJ[@]}" --out "prev-$name" -q
  local t1 t0
  t1=$(timed "$BIN" plan after.csv $by "${OBJ[@]}" "$@" --out "replan-$name" -q)
  t0=$(timed "$BIN" plan after.csv $by "${OBJ[@]}" --out "fresh-$name" -q)
  report "$name" "replan-$name" "fresh-$name" "$t1" "$t0"
}

# Growth on the sample's province, two seeds.
for seed in 11 12; do
  make_years 24000 $seed 10 3 Qazvin
  scenario "growth-$seed" "" --previous "prev-growth-$seed"
done
# Decline: −15 %.
make_years 24000 13 0 15 Qazvin
scenario decline "" --previous prev-decline
# Closure: two centers closed, same households.
make_years 24000 14 0 0 Qazvin
"$BIN" plan before.csv "${OBJ[@]}" --out prev-closure -q
python3 - <<'PY'
import json
cs = json.load(open("prev-closure/catchments.geojson"))["features"]
with open("centers.csv", "w") as f:
    f.write("center_id,lon,lat,status\n")
    for i, c in enumerate(cs):
        p = c["properties"]
        f.write(f'{p["catchment_id"]},{p["center_lon"]},{p["center_lat"]},{"closed" if i in (10, 30) else "open"}\n')
PY
t1=$(timed "$BIN" plan after.csv "${OBJ[@]}" --centers centers.csv --previous-assignments prev-closure/assignments.csv --out replan-closure -q)
t0=$(timed "$BIN" plan after.csv "${OBJ[@]}" --out fresh-closure -q)
report closure replan-closure fresh-closure "$t1" "$t0"

if [ "$NATIONAL" = "--national" ]; then
  make_years 1100000 21 5 3 all
  scenario national "--by province" --previous prev-national
fi
