//! Checks of a cluster's new shapes: whether two of them still overlap, whether a shape
//! is its catchment's old ring again, and which households it leaves outside.

use super::{M_PER_DEG, ON_EDGE_M};
use crate::geometry::closest_on_segment;
use crate::model::{LonLat, Shape};

/// Overlap between a cluster's new shapes that counts as a failed split, in m².
const OVERLAP_M2: f64 = 1e-4;

/// The pairs of `pieces` (their catchments) that overlap by more than [`OVERLAP_M2`] (the
/// boolean operation itself leaves rounding crumbs far below it); `None` as soon as one
/// overlap reaches `give_up_m2` (a failed split: the other pairs are not looked at).
pub(super) fn overlaps(pieces: &[(usize, Shape)], give_up_m2: f64) -> Option<Vec<(usize, usize)>> {
    use geo::{Area, BooleanOps, BoundingRect, Intersects};
    let geos: Vec<(Option<geo::Rect<f64>>, geo::MultiPolygon<f64>)> = pieces
        .iter()
        .map(|(_, s)| {
            let g = s.to_geo();
            (g.bounding_rect(), g)
        })
        .collect();
    let mut pairs = Vec::new();
    for i in 0..geos.len() {
        for j in i + 1..geos.len() {
            let close = match (geos[i].0, geos[j].0) {
                (Some(a), Some(b)) => a.intersects(&b),
                _ => false,
            };
            if !close {
                continue;
            }
            let common = geos[i].1.intersection(&geos[j].1);
            let lat = geos[i].0.map_or(0.0, |r| r.center().y);
            let m2 = common.unsigned_area() * M_PER_DEG * M_PER_DEG * lat.to_radians().cos();
            if m2 >= give_up_m2 {
                return None;
            }
            if m2 > OVERLAP_M2 {
                pairs.push((pieces[i].0, pieces[j].0));
            }
        }
    }
    Some(pairs)
}

/// True when `new` is one ring without holes that is `old`'s ring, maybe from another start.
pub(super) fn same_single_ring(old: &Shape, new: &Shape) -> bool {
    if old.parts.len() != 1 || new.parts.len() != 1 || !new.parts[0].holes.is_empty() {
        return false;
    }
    let (a, b) = (&old.parts[0].exterior, &new.parts[0].exterior);
    if a.len() != b.len() || a.len() < 2 {
        return false;
    }
    let n = a.len() - 1;
    (0..n).any(|s| (0..n).all(|i| a[(s + i) % n] == b[i]))
}

/// The number of `homes` outside `shape` and farther than [`ON_EDGE_M`] from its boundary.
pub(super) fn households_outside(shape: &Shape, homes: &[LonLat]) -> usize {
    homes
        .iter()
        .filter(|&&h| !shape.contains(h) && distance_to_boundary_m(shape, h) > ON_EDGE_M)
        .count()
}

/// Distance in metres from `p` to the nearest edge of `shape` (planar at `p`'s latitude).
fn distance_to_boundary_m(shape: &Shape, p: LonLat) -> f64 {
    let s = p.lat.to_radians().cos();
    let xy = |q: LonLat| [(q.lon - p.lon) * s * M_PER_DEG, (q.lat - p.lat) * M_PER_DEG];
    shape
        .rings()
        .flat_map(|r| r.windows(2))
        .map(|w| {
            let q = closest_on_segment([0.0, 0.0], xy(w[0]), xy(w[1]));
            q[0].hypot(q[1])
        })
        .fold(f64::INFINITY, f64::min)
}
