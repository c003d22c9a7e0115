//! GeoJSON layers (RFC 7946): WGS 84 longitude/latitude, counter-clockwise exterior rings,
//! coordinates with 7 decimals, numbers as JSON numbers. Public layers carry no household
//! ids (SPEC §7).

use std::io::Write;

use geojson::{Feature, FeatureWriter, Geometry, GeometryValue, JsonObject, JsonValue};

use crate::error::{Error, Result};
use crate::plan::{Catchment, Plan};

fn round(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

fn num(v: f64, decimals: i32) -> JsonValue {
    serde_json::Number::from_f64(round(v, decimals)).map_or(JsonValue::Null, JsonValue::Number)
}

fn geo_err(e: geojson::Error) -> Error {
    Error::io(
        "writing GeoJSON",
        "<layer>",
        std::io::Error::other(e.to_string()),
    )
}

fn common(plan: &Plan, c: &Catchment) -> JsonObject {
    let mut p = JsonObject::new();
    p.insert("catchment_id".into(), c.id.clone().into());
    p.insert(
        "region".into(),
        plan.regions[c.region as usize].name.clone().into(),
    );
    p.insert("households".into(), c.households.into());
    p
}

/// Writes `catchments.geojson`: one polygon per catchment with its size, ideal center,
/// distance figures (m), area (km²) and site status.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_catchments<W: Write>(plan: &Plan, out: W) -> Result<()> {
    let mut w = FeatureWriter::from_writer(out);
    for c in &plan.catchments {
        let mut p = common(plan, c);
        p.insert("center_lon".into(), num(c.center.lon, 7));
        p.insert("center_lat".into(), num(c.center.lat, 7));
        p.insert("mean_distance_m".into(), num(c.distance.mean_m, 1));
        p.insert("p90_distance_m".into(), num(c.distance.p90_m, 1));
        p.insert("max_distance_m".into(), num(c.distance.max_m, 1));
        p.insert("area_km2".into(), num(c.area_km2, 4));
        p.insert("status".into(), "gap".into());
        p.insert("applicant_id".into(), JsonValue::Null);
        let ring: Vec<[f64; 2]> = c.polygon.iter().map(|q| [q.lon, q.lat]).collect();
        let feature = Feature {
            geometry: Some(Geometry::new(GeometryValue::new_polygon([ring]))),
            properties: Some(p),
            ..Default::default()
        };
        w.write_feature(&feature).map_err(geo_err)?;
    }
    w.finish().map_err(geo_err)
}

/// Writes `centers.geojson`: one point per catchment at its center (the ideal center while
/// no site is awarded).
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_centers<W: Write>(plan: &Plan, out: W) -> Result<()> {
    let mut w = FeatureWriter::from_writer(out);
    for c in &plan.catchments {
        let mut p = common(plan, c);
        p.insert("kind".into(), "ideal_center".into());
        p.insert("mean_distance_m".into(), num(c.distance.mean_m, 1));
        p.insert("p90_distance_m".into(), num(c.distance.p90_m, 1));
        let feature = Feature {
            geometry: Some(Geometry::new(GeometryValue::new_point([
                c.center.lon,
                c.center.lat,
            ]))),
            properties: Some(p),
            ..Default::default()
        };
        w.write_feature(&feature).map_err(geo_err)?;
    }
    w.finish().map_err(geo_err)
}
