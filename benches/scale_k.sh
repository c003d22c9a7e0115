#!/usr/bin/env bash
# The national file planned by province at targets 450 and 50 (issue 20), with the same
# binary in one run: wall time, CPU time, CPU/wall, peak RSS, SSE and mean distance, and
# the ratio of the two wall times.
#
#   bash benches/scale_k.sh [BINARY] [WORKDIR] [TARGETS...]
#
# BINARY defaults to target/release/siting (build it first with `cargo build --release`),
# WORKDIR to /tmp/siting-scale-k, TARGETS to "450 50". The national file is generated
# there once (`siting generate --n 1100000 --province all --seed 1`).
set -euo pipefail

bin=${1:-target/release/siting}
work=${2:-/tmp/siting-scale-k}
shift $(($# > 2 ? 2 : $#))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(450 50)

command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }
mkdir -p "$work"
national="$work/national.csv"
[ -s "$national" ] || "$bin" generate --n 1100000 --province all --seed 1 --out "$national" >/dev/null

printf '%-8s %10s %10s %8s %10s %14s %10s\n' target wall_s cpu_s cpu/wall rss_mb sse_m2 mean_m
declare -A wall
for t in "${targets[@]}"; do
  out="$work/plan-$t"
  rm -rf "$out"
  /usr/bin/time -f '%e %U %S %M' -o "$work/time-$t" \
    "$bin" plan "$national" --by province --target "$t" --out "$out" >/dev/null 2>"$work/log-$t"
  read -r e u s m < "$work/time-$t"
  wall[$t]=$e
  python3 - "$out/summary.json" "$t" "$e" "$u" "$s" "$m" <<'EOF'
import json, sys
path, t, e, u, s, m = sys.argv[1:]
metrics = json.load(open(path))["metrics"]
e, cpu = float(e), float(u) + float(s)
print(f"{t:<8} {e:10.2f} {cpu:10.2f} {cpu / e:8.2f} {int(m) / 1024:10.0f} "
      f"{metrics['sse_m2']:14.6e} {metrics['mean_distance_m']:10.2f}")
EOF
done
if [ -n "${wall[450]:-}" ] && [ -n "${wall[50]:-}" ]; then
  python3 -c "print(f'wall target 50 / target 450: {${wall[50]} / ${wall[450]}:.2f}')"
fi
