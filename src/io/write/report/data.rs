//! The map's data, serialised as JSON into the page: catchment outlines simplified for
//! display and rounded to 5 decimals (about a metre), their fills and statuses, centers,
//! and proposed sites. Coordinates are whole numbers of 10⁻⁵ degrees, each ring's vertices
//! after the first as differences from the one before (compact for national plans).
//! Nothing here is a household's id or location (SPEC §7): the outlines are those of the
//! public `catchments.geojson`, the centers those of `centers.geojson`.

use geo::Simplify;

use super::context::{Context, SiteStatus};
use crate::model::{LonLat, Shape};

/// 10⁵: coordinates are written in units of 10⁻⁵ degrees.
const SCALE: f64 = 1e5;

/// The map's data.
#[derive(Debug, serde::Serialize)]
pub(super) struct MapData<'a> {
    /// A tile URL template (`--basemap`), or none: the page then draws no background.
    basemap: Option<&'a str>,
    catchments: Vec<MapCatchment<'a>>,
    /// Applicant ids the proposals refer to by index.
    applicants: Vec<&'a str>,
    /// Proposed sites: `[x, y, applicant index, preference, awarded (0/1)]`.
    proposals: Vec<[i64; 5]>,
}

/// One catchment on the map.
#[derive(Debug, serde::Serialize)]
struct MapCatchment<'a> {
    id: &'a str,
    fill: &'static str,
    /// `existing`, `awarded`, `gap` or empty.
    status: &'static str,
    /// A re-plan's change (`new`, `re_tender`, …) or empty.
    change: &'static str,
    /// The ideal center, `[x, y]`.
    ideal: [i64; 2],
    /// The center's building or the awarded site, `[x, y]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    site: Option<[i64; 2]>,
    /// Parts, each a list of rings (exterior first), each ring `[x0, y0, dx1, dy1, …]`.
    parts: Vec<Vec<Vec<i64>>>,
}

fn fixed(p: LonLat) -> [i64; 2] {
    [
        (p.lon * SCALE).round() as i64,
        (p.lat * SCALE).round() as i64,
    ]
}

/// A ring simplified (Ramer–Douglas–Peucker, `epsilon` degrees) and delta-encoded; the
/// ring as it is when simplifying would leave fewer than 4 vertices.
fn encode_ring(ring: &[LonLat], epsilon: f64) -> Vec<i64> {
    let line = geo::LineString::from(ring.iter().map(|p| (p.lon, p.lat)).collect::<Vec<_>>());
    let simple = line.simplify(epsilon);
    let points: Vec<[i64; 2]> = if simple.0.len() >= 4 {
        simple
            .0
            .iter()
            .map(|c| fixed(LonLat::new(c.x, c.y)))
            .collect()
    } else {
        ring.iter().map(|&p| fixed(p)).collect()
    };
    let mut out = Vec::with_capacity(points.len() * 2);
    let mut last = [0i64, 0i64];
    for (i, p) in points.iter().enumerate() {
        if i > 0 && *p == last {
            continue;
        }
        out.push(p[0] - last[0]);
        out.push(p[1] - last[1]);
        last = *p;
    }
    out
}

fn encode_shape(shape: &Shape, epsilon: f64) -> Vec<Vec<Vec<i64>>> {
    shape
        .parts
        .iter()
        .map(|p| {
            std::iter::once(&p.exterior)
                .chain(&p.holes)
                .map(|r| encode_ring(r, epsilon))
                .collect()
        })
        .collect()
}

/// The simplification tolerance in degrees: a twenty-thousandth of the plan's larger
/// extent (about 7 m for a province, 100 m for the country), never below 10⁻⁵.
fn tolerance(ctx: &Context) -> f64 {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for c in &ctx.plan.catchments {
        for r in c.shape.rings() {
            for p in r {
                b = [
                    b[0].min(p.lon),
                    b[1].min(p.lat),
                    b[2].max(p.lon),
                    b[3].max(p.lat),
                ];
            }
        }
    }
    let span = (b[2] - b[0]).max(b[3] - b[1]);
    if span.is_finite() {
        (span / 20_000.0).max(1e-5)
    } else {
        1e-5
    }
}

/// The map data of the plan in `ctx`, with the palette `fills` of `map.svg`.
pub(super) fn map_data<'a>(ctx: &Context<'a>, fills: &[&'static str]) -> MapData<'a> {
    let epsilon = tolerance(ctx);
    let catchments = ctx
        .plan
        .catchments
        .iter()
        .zip(&ctx.catchment_sites)
        .enumerate()
        .map(|(i, (c, s))| MapCatchment {
            id: &c.id,
            fill: fills.get(i).copied().unwrap_or("#dddddd"),
            status: s.status.name(),
            change: s.change.map_or("", |c| c.name()),
            ideal: fixed(c.center),
            site: s
                .at
                .filter(|_| matches!(s.status, SiteStatus::Existing | SiteStatus::Awarded))
                .map(fixed),
            parts: encode_shape(&c.shape, epsilon),
        })
        .collect();
    let (applicants, proposals) = match ctx.sites {
        Some(sites) => (
            sites
                .applicants
                .items
                .iter()
                .map(|a| a.id.as_str())
                .collect(),
            sites
                .proposals
                .iter()
                .zip(&sites.award.proposal_status)
                .map(|(p, status)| {
                    let [x, y] = fixed(p.position);
                    let awarded = matches!(status, crate::sites::ProposalStatus::Awarded);
                    [
                        x,
                        y,
                        i64::from(p.applicant),
                        i64::from(p.preference),
                        i64::from(awarded),
                    ]
                })
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    MapData {
        basemap: ctx.basemap,
        catchments,
        applicants,
        proposals,
    }
}

/// `data` as JSON safe inside a `<script>` element (every `<` escaped).
pub(super) fn script_json(data: &impl serde::Serialize) -> String {
    serde_json::to_string(data)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_are_delta_encoded_in_units_of_1e5_degrees() {
        let ring: Vec<LonLat> = [(50.0, 36.0), (50.001, 36.0), (50.001, 36.001), (50.0, 36.0)]
            .iter()
            .map(|&(x, y)| LonLat::new(x, y))
            .collect();
        let enc = encode_ring(&ring, 1e-5);
        assert_eq!(enc, vec![5_000_000, 3_600_000, 100, 0, 0, 100, -100, -100]);
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let s = script_json(&serde_json::json!({ "a": "</script><b>" }));
        assert!(!s.contains('<'), "{s}");
    }
}
