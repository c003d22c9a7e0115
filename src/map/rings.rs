//! Catchments in pixels: rings projected into a view and simplified to what the picture
//! can show, and the planar measures the drawing places things by (area and centroid,
//! bounding box, containment).

use crate::geometry::{self, signed_area};
use crate::model::LonLat;
use crate::plan::Plan;

use super::layout::{Rect, View};

/// A ring projected into a view, without its closing vertex.
pub(super) fn project(polygon: &[LonLat], view: &View) -> Vec<[f64; 2]> {
    let mut r: Vec<[f64; 2]> = polygon.iter().map(|&p| view.xy(p)).collect();
    if r.len() > 1 && r.first() == r.last() {
        r.pop();
    }
    r
}

/// The ring with vertices that bend it by less than a fifth of a pixel dropped (the
/// polygons are densified for the round Earth, which a map at this scale cannot show).
pub(super) fn simplified(ring: &[[f64; 2]]) -> Vec<[f64; 2]> {
    use geo::Simplify;
    if ring.len() < 4 {
        return ring.to_vec();
    }
    let mut closed: Vec<(f64, f64)> = ring.iter().map(|p| (p[0], p[1])).collect();
    closed.push(closed[0]);
    let line = geo::LineString::from(closed).simplify(0.2);
    let mut out: Vec<[f64; 2]> = line.points().map(|p| [p.x(), p.y()]).collect();
    out.pop();
    if out.len() < 3 { ring.to_vec() } else { out }
}

/// Every catchment's main ring (its largest part's exterior) projected into `view` and
/// simplified: what labels and symbols are placed by, and what the neighbours are found
/// on (the simplification moves no edge by more than a fifth of a pixel, less than
/// [`NEIGHBOUR_TOLERANCE_PX`](super::colour::NEIGHBOUR_TOLERANCE_PX) between two
/// polygons). Other parts and holes are only drawn.
pub(super) fn projected_rings(plan: &Plan, view: &View) -> Vec<Vec<[f64; 2]>> {
    plan.catchments
        .iter()
        .map(|c| simplified(&project(c.shape.main_ring(), view)))
        .collect()
}

/// Area and centroid of a polygon in pixels (shoelace); the vertex mean when degenerate.
pub(super) fn area_centroid(ring: &[[f64; 2]]) -> (f64, [f64; 2]) {
    let n = ring.len();
    if n == 0 {
        return (0.0, [0.0, 0.0]);
    }
    let a = signed_area(ring);
    if a.abs() < 1e-9 {
        let m = ring
            .iter()
            .fold([0.0, 0.0], |s, p| [s[0] + p[0], s[1] + p[1]]);
        return (0.0, [m[0] / n as f64, m[1] / n as f64]);
    }
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..n {
        let (p, q) = (ring[i], ring[(i + 1) % n]);
        let cross = p[0] * q[1] - q[0] * p[1];
        cx += (p[0] + q[0]) * cross;
        cy += (p[1] + q[1]) * cross;
    }
    (a.abs() / 2.0, [cx / (3.0 * a), cy / (3.0 * a)])
}

/// True when `p` is inside the convex `ring` of either orientation, edges included (unlike
/// [`geometry::convex_contains`], which wants counter-clockwise rings and a tolerance).
pub(super) fn convex_contains(ring: &[[f64; 2]], p: [f64; 2]) -> bool {
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let (mut pos, mut neg) = (false, false);
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        let cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
        pos |= cross > 0.0;
        neg |= cross < 0.0;
    }
    !(pos && neg)
}

/// The bounding box of a ring; an empty ring gives an inverted box that overlaps nothing.
pub(super) fn bbox(ring: &[[f64; 2]]) -> Rect {
    let [x0, y0, x1, y1] = geometry::bbox(ring.iter().copied()).unwrap_or([
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ]);
    Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    }
}
