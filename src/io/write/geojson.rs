//! GeoJSON layers (RFC 7946): WGS 84 longitude/latitude, counter-clockwise exterior rings,
//! coordinates with 7 decimals, numbers as JSON numbers. Public layers carry no household
//! ids (SPEC §7).

use std::io::Write;

use geojson::{Feature, FeatureWriter, Geometry, GeometryValue, JsonObject, JsonValue};

use crate::error::{Error, Result};
use crate::model::{LonLat, Part, Shape};
use crate::plan::{Catchment, Plan};
use crate::sites::{Placement, ScoredProposal, SitePlan};

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
/// distance figures (m), area (km²) and site status. Every geometry is a Polygon, unless a
/// catchment has several parts (see [`Shape`]); then every geometry is a MultiPolygon, so
/// the layer keeps a single geometry type.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_catchments<W: Write>(plan: &Plan, sites: Option<&SitePlan>, out: W) -> Result<()> {
    let mut w = FeatureWriter::from_writer(out);
    let multi = plan.catchments.iter().any(|c| c.shape.parts.len() > 1);
    for (index, c) in plan.catchments.iter().enumerate() {
        let mut p = common(plan, c);
        p.insert("center_lon".into(), num(c.center.lon, 7));
        p.insert("center_lat".into(), num(c.center.lat, 7));
        p.insert("mean_distance_m".into(), num(c.distance.mean_m, 1));
        p.insert("p90_distance_m".into(), num(c.distance.p90_m, 1));
        p.insert("max_distance_m".into(), num(c.distance.max_m, 1));
        p.insert("area_km2".into(), num(c.area_km2, 4));
        p.insert("generator_lon".into(), num(c.generator.lon, 7));
        p.insert("generator_lat".into(), num(c.generator.lat, 7));
        let (status, applicant) = site_status(plan, sites, index);
        p.insert("status".into(), status.into());
        p.insert(
            "applicant_id".into(),
            applicant.map_or(JsonValue::Null, |a| a.into()),
        );
        if let Some(change) = plan.replan.as_ref().and_then(|r| r.catchments.get(index)) {
            p.insert("change".into(), change.change.name().into());
            p.insert("moved_in".into(), change.moved_in.into());
            p.insert("moved_out".into(), change.moved_out.into());
            p.insert("new_households".into(), change.new_households.into());
        }
        let feature = Feature {
            geometry: Some(Geometry::new(shape_geometry(&c.shape, multi))),
            properties: Some(p),
            ..Default::default()
        };
        w.write_feature(&feature).map_err(geo_err)?;
    }
    w.finish().map_err(geo_err)
}

/// A [`Shape`] as a GeoJSON Polygon, or as a MultiPolygon when `multi` (the layer has
/// a catchment of several parts, and one geometry type serves GIS clients best).
fn shape_geometry(shape: &Shape, multi: bool) -> GeometryValue {
    let ring = |r: &[LonLat]| r.iter().map(|q| [q.lon, q.lat]).collect::<Vec<_>>();
    let polygon = |p: &Part| {
        std::iter::once(ring(&p.exterior))
            .chain(p.holes.iter().map(|h| ring(h)))
            .collect::<Vec<_>>()
    };
    match shape.parts.as_slice() {
        [one] if !multi => GeometryValue::new_polygon(polygon(one)),
        many => GeometryValue::new_multi_polygon(many.iter().map(polygon).collect::<Vec<_>>()),
    }
}

/// Writes `centers.geojson`: one point per catchment: in a re-plan, an open center at its
/// building (`kind` = `existing`); at the awarded site where there is one (`kind` =
/// `awarded_site`, with the applicant and the site's access figures); else at the ideal
/// center (`kind` = `ideal_center`).
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_centers<W: Write>(plan: &Plan, sites: Option<&SitePlan>, out: W) -> Result<()> {
    let mut w = FeatureWriter::from_writer(out);
    for (index, c) in plan.catchments.iter().enumerate() {
        let mut p = common(plan, c);
        let site = awarded_site(sites, index);
        let (kind, at, applicant, mean, efficiency) = match (building(plan, index), site) {
            (Some(at), _) => ("existing", at, JsonValue::Null, c.distance.mean_m, 1.0),
            (None, site) => match site {
                Some((s, id)) => {
                    let access = s.access.as_ref();
                    (
                        "awarded_site",
                        s.position,
                        JsonValue::from(id),
                        access.map_or(c.distance.mean_m, |a| a.mean_distance_m),
                        access.map_or(1.0, |a| a.efficiency),
                    )
                }
                None => (
                    "ideal_center",
                    c.center,
                    JsonValue::Null,
                    c.distance.mean_m,
                    1.0,
                ),
            },
        };
        p.insert("kind".into(), kind.into());
        p.insert("applicant_id".into(), applicant);
        p.insert("mean_distance_m".into(), num(mean, 1));
        p.insert("efficiency".into(), num(efficiency, 4));
        p.insert("ideal_mean_distance_m".into(), num(c.distance.mean_m, 1));
        p.insert("p90_distance_m".into(), num(c.distance.p90_m, 1));
        let feature = Feature {
            geometry: Some(Geometry::new(GeometryValue::new_point([
                round(at.lon, 7),
                round(at.lat, 7),
            ]))),
            properties: Some(p),
            ..Default::default()
        };
        w.write_feature(&feature).map_err(geo_err)?;
    }
    w.finish().map_err(geo_err)
}

/// The awarded proposal of catchment `index` and its applicant's id.
fn awarded_site(sites: Option<&SitePlan>, index: usize) -> Option<(&ScoredProposal, &str)> {
    let sites = sites?;
    let i = (*sites.award.catchment_site.get(index)?)?;
    let s = &sites.proposals[i];
    Some((s, sites.applicants.items[s.applicant as usize].id.as_str()))
}

/// `("existing", None)` for an open center kept by a re-plan, `("awarded",
/// Some(applicant_id))` or `("gap", None)`; every other catchment is a gap while no
/// applicants were given.
fn site_status<'a>(
    plan: &Plan,
    sites: Option<&'a SitePlan>,
    index: usize,
) -> (&'static str, Option<&'a str>) {
    if building(plan, index).is_some() {
        return ("existing", None);
    }
    match awarded_site(sites, index) {
        Some((_, id)) => ("awarded", Some(id)),
        None => ("gap", None),
    }
}

/// The building of the open center a re-plan kept in catchment `index`.
fn building(plan: &Plan, index: usize) -> Option<LonLat> {
    plan.replan.as_ref()?.catchments.get(index)?.building
}

/// Writes `proposals.geojson`: one point per proposal with its applicant id (the only
/// applicant field written anywhere), preference, catchment, access figures, rank in the
/// catchment and outcome; `sites` were awarded in `plan`.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_proposals<W: Write>(plan: &Plan, sites: &SitePlan, out: W) -> Result<()> {
    let mut w = FeatureWriter::from_writer(out);
    for (i, s) in sites.proposals.iter().enumerate() {
        let applicant = &sites.applicants.items[s.applicant as usize];
        let mut p = JsonObject::new();
        p.insert("applicant_id".into(), applicant.id.clone().into());
        p.insert("preference".into(), s.preference.into());
        let catchment = s.catchment().map(|c| &plan.catchments[c as usize]);
        p.insert(
            "catchment_id".into(),
            catchment.map_or(JsonValue::Null, |c| c.id.clone().into()),
        );
        p.insert(
            "region".into(),
            catchment.map_or(JsonValue::Null, |c| {
                plan.regions[c.region as usize].name.clone().into()
            }),
        );
        let access = s.access.as_ref();
        p.insert(
            "efficiency".into(),
            access.map_or(JsonValue::Null, |a| num(a.efficiency, 4)),
        );
        p.insert(
            "mean_distance_m".into(),
            access.map_or(JsonValue::Null, |a| num(a.mean_distance_m, 1)),
        );
        for (k, r) in plan.config.access_radii_m.iter().enumerate() {
            p.insert(
                format!("share_within_{}m", r.round()),
                access.map_or(JsonValue::Null, |a| num(a.within_share[k], 4)),
            );
        }
        p.insert(
            "rank_in_catchment".into(),
            s.rank_in_catchment.map_or(JsonValue::Null, JsonValue::from),
        );
        let outside_m = match s.placement {
            Placement::Near { distance_m, .. } => num(distance_m, 1),
            _ => JsonValue::from(0.0),
        };
        p.insert(
            "outside_polygon_m".into(),
            if s.catchment().is_some() {
                outside_m
            } else {
                JsonValue::Null
            },
        );
        p.insert(
            "outcome".into(),
            sites.award.proposal_status[i].name().into(),
        );
        let feature = Feature {
            geometry: Some(Geometry::new(GeometryValue::new_point([
                round(s.position.lon, 7),
                round(s.position.lat, 7),
            ]))),
            properties: Some(p),
            ..Default::default()
        };
        w.write_feature(&feature).map_err(geo_err)?;
    }
    w.finish().map_err(geo_err)
}
