#!/usr/bin/python3
"""Open every layer of a siting plan in real QGIS (headless) and check it.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis_check.py PLAN_DIR [PLAN_DIR ...]

Needs Debian's python3-qgis (run with the system Python, which is the one it installs
into). For each *.geojson in the plan folder, checks that QGIS opens it as a valid layer
in EPSG:4326, that every feature has a valid geometry (GEOS), that the numeric fields of
the layer are typed as numbers, and that no field name looks like a household id or an
applicant's personal data. Exits 1 with a list of problems, 0 when all layers pass.
"""

import os
import sys

from qgis.core import QgsApplication, QgsVectorLayer

NUMERIC = {
    "catchments": ["households", "center_lon", "center_lat", "mean_distance_m",
                   "p90_distance_m", "max_distance_m", "area_km2"],
    "centers": ["households", "mean_distance_m", "p90_distance_m", "efficiency",
                "ideal_mean_distance_m"],
    "proposals": ["preference", "efficiency", "mean_distance_m", "rank_in_catchment"],
}
PRIVATE = {"household_id", "id", "name", "national_id", "phone", "email", "address"}
NUMBER_TYPES = {"Integer", "Integer64", "Real", "Double"}


def check_layer(path):
    problems = []
    name = os.path.splitext(os.path.basename(path))[0]
    layer = QgsVectorLayer(path, name, "ogr")
    if not layer.isValid():
        return [f"{path}: QGIS cannot open the layer"]
    if layer.crs().authid() != "EPSG:4326":
        problems.append(f"{path}: CRS is {layer.crs().authid()!r}, expected EPSG:4326")
    types = {f.name(): f.typeName() for f in layer.fields()}
    for field in NUMERIC.get(name, []):
        if field not in types:
            problems.append(f"{path}: field {field!r} is missing")
        elif types[field] not in NUMBER_TYPES:
            problems.append(f"{path}: field {field!r} is {types[field]}, not a number")
    for field in types:
        if field.lower() in PRIVATE:
            problems.append(f"{path}: public layer carries private field {field!r}")
    count = 0
    for feature in layer.getFeatures():
        count += 1
        geom = feature.geometry()
        if geom.isNull() or geom.isEmpty():
            problems.append(f"{path}: feature {feature.id()} has no geometry")
        elif not geom.isGeosValid():
            problems.append(f"{path}: feature {feature.id()} has an invalid geometry")
    if count == 0:
        problems.append(f"{path}: no features")
    print(f"{path}: valid, {layer.crs().authid()}, {count} features, "
          f"{len(types)} fields ({', '.join(f'{k}:{v}' for k, v in types.items())})")
    return problems


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    problems = []
    for plan in argv[1:]:
        layers = sorted(f for f in os.listdir(plan) if f.endswith(".geojson"))
        if not layers:
            problems.append(f"{plan}: no .geojson layers")
        for layer in layers:
            problems += check_layer(os.path.join(plan, layer))
    app.exitQgis()
    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
