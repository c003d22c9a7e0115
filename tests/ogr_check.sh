#!/usr/bin/env bash
# Opens every layer of a plan with GDAL (the library QGIS uses) and checks what an analyst
# relies on: EPSG:4326, numeric fields typed as numbers, one polygon geometry type, valid
# polygons, no overlaps.
# Usage: tests/ogr_check.sh PLAN_DIR
set -euo pipefail
plan=${1:?usage: tests/ogr_check.sh PLAN_DIR}
fail() { echo "ogr_check: $*" >&2; exit 1; }
for layer in catchments centers; do
  info=$(ogrinfo -so -al "$plan/$layer.geojson")
  grep -q 'ID\["EPSG",4326\]' <<<"$info" || fail "$layer is not EPSG:4326"
  grep -q '^households: Integer' <<<"$info" || fail "$layer households is not an integer field"
  grep -q '^mean_distance_m: Real' <<<"$info" || fail "$layer mean_distance_m is not a real field"
done
if [ -f "$plan/proposals.geojson" ]; then
  info=$(ogrinfo -so -al "$plan/proposals.geojson")
  grep -q 'ID\["EPSG",4326\]' <<<"$info" || fail "proposals is not EPSG:4326"
  for f in preference rank_in_catchment; do
    grep -q "^$f: Integer" <<<"$info" || fail "proposals $f is not an integer field"
  done
  for f in efficiency mean_distance_m; do
    grep -q "^$f: Real" <<<"$info" || fail "proposals $f is not a real field"
  done
fi
info=$(ogrinfo -so -al "$plan/catchments.geojson")
# One geometry type for the layer: Polygon, or MultiPolygon when a catchment has several parts.
grep -Eq '^Geometry: (Polygon|Multi Polygon)$' <<<"$info" || fail "catchments has mixed or unknown geometry types"
for f in center_lon center_lat p90_distance_m max_distance_m area_km2; do
  grep -q "^$f: Real" <<<"$info" || fail "catchments $f is not a real field"
done
sql() { ogrinfo -q -dialect SQLite -sql "$1" "$plan/catchments.geojson" | sed -n 's/.*= //p' | head -1; }
invalid=$(sql "SELECT SUM(NOT ST_IsValid(geometry)) AS v FROM catchments")
[ "$invalid" = 0 ] || fail "$invalid invalid catchment polygons"
overlaps=$(sql "SELECT COUNT(*) AS v FROM catchments a, catchments b WHERE a.catchment_id < b.catchment_id AND ST_Overlaps(a.geometry, b.geometry)")
[ "$overlaps" = 0 ] || fail "$overlaps overlapping catchment pairs"
echo "ogr_check: $plan OK (EPSG:4326, typed fields, valid, no overlaps)"
