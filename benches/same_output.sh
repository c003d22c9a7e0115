#!/usr/bin/env bash
# Byte-for-byte comparison of two siting binaries' plans (the architecture issue's check that a
# refactor changes no output). Usage:
#   bash benches/same_output.sh OLD_BINARY NEW_BINARY [WORKDIR]
# Plans, with both binaries: the bundled sample with applicants under both award rules, by
# county, with --tolerance 0, the three peer files (generated 5 k, 20 k, 50 k) and a generated
# national file of 1.1 M households by province; then compares every file of every plan with
# cmp. summary.json may differ only in its version field.
set -euo pipefail
OLD=$(realpath "$1"); NEW=$(realpath "$2"); WORK=${3:-/tmp/siting-same-output}
cd "$(dirname "$0")/.."
mkdir -p "$WORK/data"
D=2026-12-02
gen() { [ -f "$WORK/data/$1.csv" ] || "$OLD" generate --n "$2" --province "$3" --seed 1 --out "$WORK/data/$1.csv"; }
gen peer5k 5000 Qazvin
gen peer20k 20000 Qazvin
gen peer50k 50000 Qazvin
gen national 1100000 all
run() { # name, args...
  local name=$1; shift
  for which in old new; do
    local bin=$OLD; [ "$which" = new ] && bin=$NEW
    rm -rf "$WORK/$which/$name"
    "$bin" plan "$@" --date "$D" --quiet --out "$WORK/$which/$name"
  done
}
S=data/qazvin_households.csv A=data/qazvin_applicants.csv
run sample-priority "$S" --applicants "$A" --award priority
run sample-optimal "$S" --applicants "$A" --award optimal
run sample-by-county "$S" --by county --applicants "$A"
run sample-tolerance0 "$S" --tolerance 0 --applicants "$A"
run peer5k "$WORK/data/peer5k.csv"
run peer20k "$WORK/data/peer20k.csv"
run peer50k "$WORK/data/peer50k.csv"
run national "$WORK/data/national.csv" --by province
status=0
for dir in "$WORK"/old/*/; do
  name=$(basename "$dir")
  for f in "$dir"*; do
    base=$(basename "$f")
    if [ "$base" = summary.json ]; then
      if ! diff <(grep -v '"version"' "$f") <(grep -v '"version"' "$WORK/new/$name/$base") >/dev/null; then
        echo "DIFFERS: $name/$base"; status=1
      fi
    elif ! cmp -s "$f" "$WORK/new/$name/$base"; then
      echo "DIFFERS: $name/$base"; status=1
    fi
  done
  if [ "$(ls "$dir" | sort)" != "$(ls "$WORK/new/$name" | sort)" ]; then echo "FILE LISTS DIFFER: $name"; status=1; fi
done
[ $status = 0 ] && echo "identical: $(ls "$WORK/old" | wc -l) plans, $(find "$WORK/old" -type f | wc -l) files"
exit $status
