#!/usr/bin/python3
"""Open every layer of a siting plan in real QGIS (headless) and check it.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis_check.py PLAN_DIR [PLAN_DIR ...]

Needs Debian's python3-qgis (run with the system Python, which is the one it installs
into). For each *.geojson in the plan folder, checks that QGIS opens it as a valid layer
in EPSG:4326, that every feature has a valid geometry (GEOS), that the numeric fields of
the layer are typed as numbers, and that no field name looks like a household id or an
applicant's personal data. For the styled layers (catchments, centers, proposals) it also
checks that the same-named .qml style file is in the folder and that QGIS applied it by
itself when the layer was opened, as it does for an analyst (no loadNamedStyle): a
categorized renderer on the expected field with the expected categories, every feature
falling in a category, and for catchments labels showing the households count, one
geometry type for the layer, and no two catchments overlapping by any area (GEOS, over a
QGIS spatial index). A re-plan's catchments (they have a `change` field) get a rule-based
style instead: a rule per status value, as the categories above, and over them a rule per
marked change (new catchments, those to re-tender), every feature drawn by one status rule
and every marked one by its change rule.
Exits 1 with a list of problems, 0 when all layers pass.
"""

import os
import sys

import re

from qgis.core import (QgsApplication, QgsExpression, QgsExpressionContext,
                       QgsExpressionContextUtils, QgsSpatialIndex, QgsVectorLayer, QgsWkbTypes)

NUMERIC = {
    "catchments": ["households", "center_lon", "center_lat", "mean_distance_m",
                   "p90_distance_m", "max_distance_m", "area_km2"],
    "centers": ["households", "mean_distance_m", "p90_distance_m", "efficiency",
                "ideal_mean_distance_m"],
    "proposals": ["preference", "efficiency", "mean_distance_m", "rank_in_catchment"],
}
PRIVATE = {"household_id", "id", "name", "national_id", "phone", "email", "address"}
NUMBER_TYPES = {"Integer", "Integer64", "Real", "Double"}
# Layer -> (field the style is categorized on, its category values, labelled field or None).
STYLES = {
    "catchments": ("status", ["awarded", "gap", "existing"], "households"),
    "centers": ("kind", ["awarded_site", "ideal_center", "existing"], None),
    "proposals": ("outcome", ["awarded", "outside_plan_area", "below_min_efficiency",
                              "catchment_taken", "same_catchment", "not_needed", "not_chosen",
                              "ineligible", "served_already"], None),
}


def check_style(path, name, layer):
    """Check that QGIS applied NAME.qml (beside PATH) by itself when LAYER was opened."""
    if name not in STYLES:
        return []
    qml = os.path.splitext(path)[0] + ".qml"
    if not os.path.isfile(qml):
        return [f"{path}: style file {os.path.basename(qml)} is missing"]
    attr, values, label_field = STYLES[name]
    renderer = layer.renderer()
    if name == "catchments" and layer.fields().indexOf("change") >= 0:
        return check_replan_rules(path, qml, layer, renderer, attr, values) + \
            check_labels(qml, layer, label_field)
    if renderer is None or renderer.type() != "categorizedSymbol":
        # Diagnose only: open a second copy and ask QGIS why the style does not load.
        probe = QgsVectorLayer(path, name, "ogr")
        message, ok = probe.loadNamedStyle(qml)
        kind = renderer.type() if renderer else None
        return [f"{path}: QGIS did not apply {os.path.basename(qml)} when opening the layer "
                f"(renderer {kind!r}; loading it explicitly: ok={ok}, {message!r})"]
    problems = []
    if renderer.classAttribute() != attr:
        problems.append(f"{qml}: categorized on {renderer.classAttribute()!r}, expected {attr!r}")
    categories = renderer.categories()
    found = [c.value() for c in categories]
    if sorted(found) != sorted(values):
        problems.append(f"{qml}: categories {found}, expected {values}")
    for c in categories:
        if not c.label().strip():
            problems.append(f"{qml}: category {c.value()!r} has no label")
        if not c.renderState():
            problems.append(f"{qml}: category {c.value()!r} is switched off")
    index = layer.fields().indexOf(attr)
    if index >= 0:
        unstyled = sorted({str(v) for v in layer.uniqueValues(index)} - set(found))
        if unstyled:
            problems.append(f"{path}: {attr} values {unstyled} have no category in {qml} "
                            "(those features are not drawn)")
    problems += check_labels(qml, layer, label_field)
    if not problems:
        print(f"{path}: style {os.path.basename(qml)} applied on opening, categorized on "
              f"{attr} ({', '.join(f'{c.value()}={c.label()!r}' for c in categories)})"
              + (f", labels {label_field}" if label_field else ""))
    return problems


# A re-plan's marked changes: the `change` values whose catchments the style outlines.
MARKED = ["new", "re_tender"]


def check_replan_rules(path, qml, layer, renderer, attr, values):
    """Check the rule-based style of a re-plan's catchments: a rule `"status" = 'v'` per
    status value, a rule `"change" = 'v'` per marked change, each labelled and switched on,
    every feature drawn by exactly one status rule and each marked one by its change rule."""
    if renderer is None or renderer.type() != "RuleRenderer":
        kind = renderer.type() if renderer else None
        probe = QgsVectorLayer(path, "catchments", "ogr")
        message, ok = probe.loadNamedStyle(qml)
        return [f"{path}: QGIS did not apply the re-plan style {os.path.basename(qml)} when "
                f"opening the layer (renderer {kind!r}; loading it explicitly: ok={ok}, "
                f"{message!r})"]
    problems = []
    rules = renderer.rootRule().children()
    by_field = {attr: {}, "change": {}}
    for rule in rules:
        m = re.fullmatch(r'"(\w+)" = \'(\w+)\'', rule.filterExpression())
        if not m or m.group(1) not in by_field:
            problems.append(f"{qml}: unexpected rule filter {rule.filterExpression()!r}")
            continue
        if not rule.label().strip():
            problems.append(f"{qml}: rule {rule.filterExpression()!r} has no label")
        if not rule.active():
            problems.append(f"{qml}: rule {rule.filterExpression()!r} is switched off")
        by_field[m.group(1)][m.group(2)] = rule
    if sorted(by_field[attr]) != sorted(values):
        problems.append(f"{qml}: {attr} rules {sorted(by_field[attr])}, expected {values}")
    if sorted(by_field["change"]) != sorted(MARKED):
        problems.append(f"{qml}: change rules {sorted(by_field['change'])}, expected {MARKED}")
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    expressions = {(field, v): QgsExpression(r.filterExpression())
                   for field, rs in by_field.items() for v, r in rs.items()}
    marked = 0
    for feature in layer.getFeatures():
        context.setFeature(feature)
        hits = {key for key, e in expressions.items() if e.evaluate(context)}
        status = [key for key in hits if key[0] == attr]
        if len(status) != 1:
            problems.append(f"{path}: catchment {feature['catchment_id']} is drawn by "
                            f"{len(status)} status rules, expected 1")
        if feature["change"] in MARKED:
            marked += 1
            if ("change", feature["change"]) not in hits:
                problems.append(f"{path}: catchment {feature['catchment_id']} "
                                f"({feature['change']}) is not marked")
        elif any(key[0] == "change" for key in hits):
            problems.append(f"{path}: catchment {feature['catchment_id']} "
                            f"({feature['change']}) is marked")
    if not problems:
        print(f"{path}: re-plan style {os.path.basename(qml)} applied on opening, rules on "
              f"{attr} ({', '.join(f'{v}={r.label()!r}' for v, r in by_field[attr].items())}) "
              f"and change ({', '.join(f'{v}={r.label()!r}' for v, r in by_field['change'].items())}); "
              f"{marked} catchments marked")
    return problems


def check_labels(qml, layer, label_field):
    """Check that the layer's labels show LABEL_FIELD with a halo (None: no labels needed)."""
    problems = []
    if label_field is not None:
        labeling = layer.labeling()
        if not layer.labelsEnabled() or labeling is None:
            problems.append(f"{qml}: labels are not enabled")
        elif labeling.type() != "simple":
            problems.append(f"{qml}: labeling is {labeling.type()!r}, expected 'simple'")
        else:
            settings = labeling.settings()
            if settings.fieldName != label_field or settings.isExpression:
                problems.append(f"{qml}: labels show {settings.fieldName!r}, expected field "
                                f"{label_field!r}")
            text_format = settings.format()  # keep the copy alive: buffer() points into it
            if not text_format.buffer().enabled():
                problems.append(f"{qml}: labels have no buffer (halo)")
    return problems


def check_layer(path):
    problems = []
    name = os.path.splitext(os.path.basename(path))[0]
    layer = QgsVectorLayer(path, name, "ogr")
    if not layer.isValid():
        return [f"{path}: QGIS cannot open the layer"]
    if layer.crs().authid() != "EPSG:4326":
        problems.append(f"{path}: CRS is {layer.crs().authid()!r}, expected EPSG:4326")
    if name == "catchments":
        # One geometry type for the whole layer (QGIS would otherwise ask which sub-layer
        # to add): Polygon, or MultiPolygon when a catchment has several parts.
        kind = QgsWkbTypes.displayString(layer.wkbType())
        if kind not in ("Polygon", "MultiPolygon"):
            problems.append(f"{path}: geometry type is {kind}, expected Polygon or MultiPolygon")
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
    if name == "catchments":
        problems += check_overlaps(path, layer)
    print(f"{path}: valid, {layer.crs().authid()}, {count} features, "
          f"{len(types)} fields ({', '.join(f'{k}:{v}' for k, v in types.items())})")
    problems += check_style(path, name, layer)
    return problems


def check_overlaps(path, layer):
    features = {f.id(): f for f in layer.getFeatures()}
    index = QgsSpatialIndex()
    for f in features.values():
        index.addFeature(f)
    problems = []
    for fid, f in features.items():
        geom = f.geometry()
        for other in index.intersects(geom.boundingBox()):
            if other <= fid:
                continue
            area = geom.intersection(features[other].geometry()).area()
            if area > 0:
                problems.append(f"{path}: catchments {f['catchment_id']} and "
                                f"{features[other]['catchment_id']} overlap ({area:.3g} square degrees)")
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
