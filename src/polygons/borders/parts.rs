//! Step 5c: parts. A member's traced rings, rounded and cut into simple rings, become the
//! parts of its new shape: counter-clockwise rings are exteriors, clockwise ones holes of
//! the smallest exterior around them; needle-thin spikes are dropped, and a hole on its
//! exterior's boundary is cut out by a boolean difference.

use super::trace::simple_pieces;
use super::{M_PER_DEG, SLIVER_M2};
use crate::geometry::{round7, signed_area};
use crate::model::{LonLat, Part, Shape};

/// An exterior being assembled: twice its area, its ring, its holes.
type Exterior = (f64, Vec<LonLat>, Vec<Vec<LonLat>>);

/// The area in m² of a ring of twice the signed area `area` (square degrees) at the
/// latitude of `at`.
fn ring_m2(area: f64, at: LonLat) -> f64 {
    area.abs() / 2.0 * M_PER_DEG * M_PER_DEG * at.lat.to_radians().cos()
}

/// Rings of vertex indices → parts: the rings are rounded and split where they touch
/// themselves; counter-clockwise pieces are exteriors, clockwise ones holes of the
/// smallest exterior around them. Pieces of less than [`SLIVER_M2`] that hold none of
/// `homes` are dropped: they are needle-thin spikes left by rounding (the neighbour's ring
/// has the same spike as a notch, dropped the same way).
pub(super) fn assemble(rings: &[Vec<usize>], rounded: &[LonLat], homes: &[LonLat]) -> Shape {
    let mut exteriors: Vec<Exterior> = Vec::new();
    let mut holes: Vec<Vec<LonLat>> = Vec::new();
    for ring in rings {
        for piece in simple_pieces(ring.iter().map(|&i| rounded[i])) {
            let area = signed_area(&piece);
            if ring_m2(area, piece[0]) < SLIVER_M2 {
                let ring = Shape::from_ring(piece.clone());
                if area <= 0.0 || !homes.iter().any(|&h| ring.contains(h)) {
                    continue;
                }
            }
            if area > 0.0 {
                exteriors.push((area, piece, Vec::new()));
            } else if area < 0.0 {
                holes.push(piece);
            }
        }
    }
    exteriors.sort_by(|a, b| b.0.total_cmp(&a.0));
    let loose = place_holes(&mut exteriors, holes);
    let shape = Shape {
        parts: exteriors
            .into_iter()
            .map(|(_, exterior, holes)| Part { exterior, holes })
            .collect(),
    };
    if loose.is_empty() {
        shape
    } else {
        cut_out(&shape, &loose, homes)
    }
}

/// Puts each of `holes` in the smallest of `exteriors` (area, ring, holes) that holds a
/// point of its first edge; returns the holes none holds.
fn place_holes(exteriors: &mut [Exterior], holes: Vec<Vec<LonLat>>) -> Vec<Vec<LonLat>> {
    let mut loose: Vec<Vec<LonLat>> = Vec::new();
    for hole in holes {
        // A point of the hole's first edge: on the owned side, inside its exterior.
        let probe = LonLat::new(
            (hole[0].lon + hole[1].lon) / 2.0,
            (hole[0].lat + hole[1].lat) / 2.0,
        );
        let around = exteriors
            .iter()
            .enumerate()
            .filter(|(_, e)| Shape::from_ring(e.1.clone()).contains(probe))
            .min_by(|a, b| a.1.0.total_cmp(&b.1.0))
            .map(|(i, _)| i);
        match around {
            Some(i) => exteriors[i].2.push(hole),
            None => loose.push(hole),
        }
    }
    loose
}

/// `shape` without the `holes` (clockwise rings) that no exterior holds strictly: a hole
/// whose first edge lies on its exterior's boundary (two nearly coincident edges rounded
/// onto one line) is cut out by a boolean difference, not dropped. The result is rounded
/// back to the grid, and parts of less than [`SLIVER_M2`] that hold none of `homes` are
/// dropped as in [`assemble`].
fn cut_out(shape: &Shape, holes: &[Vec<LonLat>], homes: &[LonLat]) -> Shape {
    use geo::BooleanOps;
    let cut = geo::MultiPolygon(
        holes
            .iter()
            .map(|h| {
                let mut r = h.clone();
                r.reverse();
                geo::Polygon::new(line_string(&r), Vec::new())
            })
            .collect(),
    );
    let rest = shape.to_geo().difference(&cut);
    let parts = rest.0.iter().filter_map(|p| grid_part(p, homes)).collect();
    Shape { parts }
}

fn line_string(r: &[LonLat]) -> geo::LineString<f64> {
    r.iter()
        .map(|p| geo::coord! { x: p.lon, y: p.lat })
        .collect()
}

/// The polygon `p` rounded back to the grid as a part; `None` when its exterior vanishes,
/// or when it is smaller than [`SLIVER_M2`] and holds none of `homes`.
fn grid_part(p: &geo::Polygon<f64>, homes: &[LonLat]) -> Option<Part> {
    let exterior = on_grid(p.exterior(), true)?;
    let m2 = ring_m2(signed_area(&exterior), exterior[0]);
    let part = Part {
        exterior,
        holes: p
            .interiors()
            .iter()
            .filter_map(|h| on_grid(h, false))
            .collect(),
    };
    let kept = m2 >= SLIVER_M2 || {
        let one = Shape {
            parts: vec![part.clone()],
        };
        homes.iter().any(|&h| one.contains(h))
    };
    kept.then_some(part)
}

/// The ring `ls` rounded to the grid, without consecutive repeats, closed, and turned
/// counter-clockwise when `ccw` (else clockwise); `None` when fewer than three vertices
/// or no area are left.
fn on_grid(ls: &geo::LineString<f64>, ccw: bool) -> Option<Vec<LonLat>> {
    let mut r: Vec<LonLat> =
        ls.0.iter()
            .map(|c| LonLat::new(round7(c.x), round7(c.y)))
            .collect();
    r.dedup();
    if r.len() > 1 && r.first() == r.last() {
        r.pop();
    }
    if r.len() < 3 {
        return None;
    }
    r.push(r[0]);
    let area = signed_area(&r);
    if area == 0.0 {
        return None;
    }
    if (area > 0.0) != ccw {
        r.reverse();
    }
    Some(r)
}
