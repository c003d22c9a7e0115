//! Checks of a cluster's new shapes: whether two of them still overlap, whether a shape
//! is its catchment's old ring again, and which households it leaves outside.

use rayon::prelude::*;

use super::{M_PER_DEG, ON_EDGE_M};
use crate::geometry::closest_on_segment;
use crate::model::{LonLat, Shape};

/// Overlap between a cluster's new shapes that counts as a failed split, in m².
const OVERLAP_M2: f64 = 1e-4;

/// A piece's box and its polygon in `geo`'s terms.
type Measured = (Option<geo::Rect<f64>>, geo::MultiPolygon<f64>);

/// The overlap (m²) of every two of a cluster's new shapes whose boxes meet, kept so that
/// after [`close_junctions`] only the pairs of the pieces it edited are measured again.
pub(super) struct PairAreas {
    geos: Vec<Measured>,
    /// `(i, j, m²)` for pieces `i < j` whose boxes meet, by increasing `(i, j)`.
    areas: Vec<(usize, usize, f64)>,
}

impl PairAreas {
    /// Measures every pair of `pieces` whose boxes meet.
    pub(super) fn of(pieces: &[(usize, Shape)]) -> Self {
        let geos: Vec<Measured> = pieces.par_iter().map(|(_, s)| measured(s)).collect();
        let mut areas = PairAreas {
            geos,
            areas: Vec::new(),
        };
        areas.areas = areas.measure(|_, _| true);
        areas
    }

    /// Measures again the pairs of the pieces at `edited` (indices into `pieces`), which
    /// have changed since.
    pub(super) fn update(&mut self, pieces: &[(usize, Shape)], edited: &[usize]) {
        let mut changed = vec![false; pieces.len()];
        for &i in edited {
            changed[i] = true;
            self.geos[i] = measured(&pieces[i].1);
        }
        let fresh = self.measure(|i, j| changed[i] || changed[j]);
        self.areas.retain(|&(i, j, _)| !changed[i] && !changed[j]);
        self.areas.extend(fresh);
        self.areas.sort_unstable_by_key(|&(i, j, _)| (i, j));
    }

    /// The pairs `(i, j)`, `i < j`, chosen by `pick` whose boxes meet, with their overlap.
    fn measure(&self, pick: impl Fn(usize, usize) -> bool + Sync) -> Vec<(usize, usize, f64)> {
        use geo::{Area, BooleanOps, Intersects};
        let geos = &self.geos;
        let close: Vec<(usize, usize)> = (0..geos.len())
            .flat_map(|i| (i + 1..geos.len()).map(move |j| (i, j)))
            .filter(|&(i, j)| pick(i, j))
            .filter(|&(i, j)| match (geos[i].0, geos[j].0) {
                (Some(a), Some(b)) => a.intersects(&b),
                _ => false,
            })
            .collect();
        // The whole shapes, not cut to where their boxes meet: the cut measures the
        // needles along nearly collinear edges differently, and those are what the check
        // is for.
        close
            .into_par_iter()
            .map(|(i, j)| {
                let common = geos[i].1.intersection(&geos[j].1);
                let lat = geos[i].0.map_or(0.0, |r| r.center().y);
                let m2 = common.unsigned_area() * M_PER_DEG * M_PER_DEG * lat.to_radians().cos();
                (i, j, m2)
            })
            .collect()
    }

    /// The pairs of `pieces` (their catchments) that overlap by more than [`OVERLAP_M2`]
    /// (the boolean operation itself leaves rounding crumbs far below it); `None` when one
    /// overlap reaches `give_up_m2` (a failed split).
    pub(super) fn overlapping(
        &self,
        pieces: &[(usize, Shape)],
        give_up_m2: f64,
    ) -> Option<Vec<(usize, usize)>> {
        if self.areas.iter().any(|&(_, _, m2)| m2 >= give_up_m2) {
            return None;
        }
        Some(
            self.areas
                .iter()
                .filter(|&&(_, _, m2)| m2 > OVERLAP_M2)
                .map(|&(i, j, _)| (pieces[i].0, pieces[j].0))
                .collect(),
        )
    }
}

/// `shape`'s box and polygon in `geo`'s terms.
fn measured(shape: &Shape) -> Measured {
    use geo::BoundingRect;
    let g = shape.to_geo();
    (g.bounding_rect(), g)
}

/// Closes the T-junctions between the pieces of each crumb pair (catchments `pairs`): a
/// vertex of one lying on an edge of the other, on the 7-decimal grid, or a grid step inside
/// it, is inserted into that edge. On the line it changes no area, but the boolean
/// operation, which snaps to its own grid, otherwise measures a needle between the edge
/// and the vertex (a densified edge of a grown catchment against its neighbour's straight
/// one); inside, it takes that needle out of the piece it was in. A vertex outside the
/// edge is left alone, so a piece never grows, unless it lies within a tenth of a grid
/// step of the line (micrometres): the boolean operation measures that as an overlap too,
/// and the piece grows by a needle no output can show.
///
/// Returns the indices of the pieces it may have edited.
pub(super) fn close_junctions(
    pieces: &mut [(usize, Shape)],
    pairs: &[(usize, usize)],
) -> Vec<usize> {
    let mut edited = Vec::new();
    for &(a, b) in pairs {
        let at = |c: usize| pieces.iter().position(|p| p.0 == c);
        let (Some(i), Some(j)) = (at(a), at(b)) else {
            continue;
        };
        for (from, to) in [(i, j), (j, i)] {
            let vertices: Vec<LonLat> = pieces[from].1.rings().flatten().copied().collect();
            for v in vertices {
                insert_on_edge(&mut pieces[to].1, v);
            }
            edited.push(to);
        }
    }
    edited.sort_unstable();
    edited.dedup();
    edited
}

/// Inserts `v` into the first edge of `shape` that it lies on, at most a grid step inside
/// of (left of it: exteriors run counter-clockwise, holes clockwise) or at most a tenth of a
/// grid step outside of, strictly between its ends; nothing when `v` is a vertex already.
fn insert_on_edge(shape: &mut Shape, v: LonLat) {
    let grid = |p: LonLat| [(p.lon * 1e7).round() as i64, (p.lat * 1e7).round() as i64];
    let g = grid(v);
    let mut found = None;
    'rings: for (p, part) in shape.parts.iter().enumerate() {
        let rings = std::iter::once(&part.exterior).chain(&part.holes);
        for (r, ring) in rings.enumerate() {
            for (e, w) in ring.windows(2).enumerate() {
                let (a, b) = (grid(w[0]), grid(w[1]));
                if a == g || b == g {
                    return;
                }
                let (dx, dy) = (i128::from(b[0] - a[0]), i128::from(b[1] - a[1]));
                let (px, py) = (i128::from(g[0] - a[0]), i128::from(g[1] - a[1]));
                let cross = dx * py - dy * px;
                let along = dx * px + dy * py;
                let len2 = dx * dx + dy * dy;
                // Within a grid step inside the line (|cross| / |ab| ≤ 1), or a tenth of
                // one outside it: a vertex that close outside is on the line for every
                // purpose but the boolean operation's, which snaps it inside and measures
                // a needle (hundreds of metres long, micrometres wide).
                let near = if cross >= 0 {
                    cross * cross <= len2
                } else {
                    100 * cross * cross <= len2
                };
                if near && along > 0 && along < len2 && found.is_none() {
                    found = Some((p, r, e));
                    break 'rings;
                }
            }
        }
    }
    if let Some((p, r, e)) = found {
        let part = &mut shape.parts[p];
        let ring = if r == 0 {
            &mut part.exterior
        } else {
            &mut part.holes[r - 1]
        };
        if !ring.contains(&v) {
            ring.insert(e + 1, v);
        }
    }
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
    outside(shape, homes).len()
}

/// The `homes` outside `shape` and farther than [`ON_EDGE_M`] from its boundary (tested
/// on the shape's band index when there are several).
pub(super) fn outside(shape: &Shape, homes: &[LonLat]) -> Vec<LonLat> {
    let indexed = (homes.len() > 1).then(|| shape.indexed());
    homes
        .iter()
        .copied()
        .filter(|&h| {
            let inside = match &indexed {
                Some(s) => s.contains(h),
                None => shape.contains(h),
            };
            !inside && distance_to_boundary_m(shape, h) > ON_EDGE_M
        })
        .collect()
}

/// Distance in metres from `p` to the nearest edge of `shape` (planar at `p`'s latitude).
pub(super) fn distance_to_boundary_m(shape: &Shape, p: LonLat) -> f64 {
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
