#!/usr/bin/env bash
# Checks report.html in headless Chromium (issue 18): for each plan folder given, the page
# loads with no script error and no console error, its script built the page (<body
# data-ready="1">, the map's shapes drawn, the tables sortable), every catchment and
# applicant id is in the DOM, and a screenshot is saved next to the DOM dump.
#
#   tests/report_check.sh OUT_DIR PLAN_DIR...
#
# Needs Debian's `chromium` (apt-get install chromium fonts-noto-core). Prints the time
# each page took to build in headless Chromium, from navigation to the end of its script.
set -euo pipefail
out=${1:?usage: tests/report_check.sh OUT_DIR PLAN_DIR...}
shift
mkdir -p "$out"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "report_check: no chromium found (apt-get install chromium)" >&2
  exit 1
fi
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
  --disable-extensions --disable-background-networking --virtual-time-budget=15000)
status=0
for plan in "$@"; do
  page=$(cd "$plan" && pwd)/report.html
  name=$(basename "$plan")
  [ -f "$page" ] || { echo "FAIL $name: no report.html" >&2; status=1; continue; }
  dom="$out/$name.dom.html"
  log="$out/$name.console.log"
  start=$(date +%s.%N)
  "$browser" "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$page" \
    >"$dom" 2>"$log" || true
  end=$(date +%s.%N)
  "$browser" "${flags[@]}" --window-size=1280,2000 --screenshot="$out/$name.png" \
    "file://$page" >/dev/null 2>&1 || true
  problems=()
  body=$(grep -o -m1 '<body[^>]*>' "$dom" || true)
  [[ $body == *'data-ready="1"'* ]] || problems+=("the page's script did not finish ($body)")
  [[ $body == *'data-error='* ]] && problems+=("script error: $body")
  if grep -E 'CONSOLE.*(Uncaught|Error|error)' "$log" >/dev/null; then
    problems+=("console errors: $(grep -E 'CONSOLE.*(Uncaught|Error|error)' "$log" | head -3)")
  fi
  catchments=$({ grep -o '"catchment_id": *"[^"]*"' "$plan/catchments.geojson" || true; } |
    sed 's/.*: *"\(.*\)"/\1/' | sort -u)
  n=0
  missing=0
  for id in $catchments; do
    n=$((n + 1))
    grep -qF "<tr id=\"catchment-$id\"" "$dom" || missing=$((missing + 1))
  done
  [ "$missing" -eq 0 ] || problems+=("$missing of $n catchment ids missing")
  shapes=$({ grep -o 'class="leaflet-interactive"' "$dom" || true; } | wc -l)
  [ "$shapes" -ge "$n" ] || problems+=("only $shapes shapes drawn for $n catchments")
  grep -qF 'class="sortable zoomable"' "$dom" || problems+=("the catchments table was not set up")
  if [ -f "$plan/applicants.csv" ]; then
    absent=0
    for id in $(tail -n +2 "$plan/applicants.csv" | cut -d, -f1 | sort -u); do
      grep -qF "id=\"applicant-$id\"" "$dom" || absent=$((absent + 1))
    done
    [ "$absent" -eq 0 ] || problems+=("$absent applicant ids missing")
  fi
  seconds=$(awk "BEGIN { printf \"%.2f\", $end - $start }")
  if [ ${#problems[@]} -eq 0 ]; then
    built=$(echo "$body" | sed -n 's/.*data-built-ms="\([0-9]*\)".*/\1/p')
    echo "ok   $name: $n catchments, $shapes shapes, $(du -k "$page" | cut -f1) kB, built in ${built:-?} ms after navigation (${seconds} s with the browser's start); screenshot $out/$name.png"
  else
    status=1
    for p in "${problems[@]}"; do echo "FAIL $name: $p" >&2; done
  fi
done
exit $status
