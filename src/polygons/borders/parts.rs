//! Step 5c: parts. A member's traced rings, rounded and cut into simple rings, become the
//! parts of its new shape: counter-clockwise rings are exteriors, clockwise ones holes of
//! the smallest exterior around them; needle-thin spikes are dropped, and a hole on its
//! exterior's boundary is cut out by a boolean difference.

use rayon::prelude::*;

use super::check::{distance_to_boundary_m, households_outside, outside};
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
/// smallest exterior around them. Pieces of less than [`SLIVER_M2`] are dropped when
/// they hold no household: exteriors none of `homes`, holes none that `holds_any` finds
/// (of any member of the cluster). They are needle-thin spikes left by rounding (the
/// neighbour's ring has the same spike as a notch, dropped the same way). A small hole
/// around another member's household is that member's island (see [`islands`]; made
/// by the split within a region, then an ordinary ring in the split between regions),
/// and stays.
pub(super) fn assemble(
    rings: &[Vec<usize>],
    rounded: &[LonLat],
    homes: &[LonLat],
    holds_any: &(impl Fn(&Shape) -> bool + Sync),
) -> Shape {
    let mut exteriors: Vec<Exterior> = Vec::new();
    let mut holes: Vec<Vec<LonLat>> = Vec::new();
    for ring in rings {
        for piece in simple_pieces(ring.iter().map(|&i| rounded[i])) {
            let area = signed_area(&piece);
            if ring_m2(area, piece[0]) < SLIVER_M2 {
                let ring = Shape::from_ring(piece.clone());
                let held = if area > 0.0 {
                    homes.iter().any(|&h| ring.contains(h))
                } else {
                    area < 0.0 && holds_any(&ring)
                };
                if !held {
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
pub(super) fn place_holes(exteriors: &mut [Exterior], holes: Vec<Vec<LonLat>>) -> Vec<Vec<LonLat>> {
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

/// Largest half side of an island around a household left outside (see [`islands`]), m.
const ISLAND_M: f64 = 0.5;

/// Gives each household of a member that its new shape left outside (the face under it
/// ended in a needle under [`SLIVER_M2`], dropped once rounded: found on places exchanged
/// to meet tight capacities, about one plan in a hundred) a small square island of its
/// own, cut as a hole out of the member whose shape holds it. The square lies well inside
/// that shape and holds no other household (its half side at most [`ISLAND_M`], a third
/// of the way to the holder's boundary and to the nearest other household), so the two
/// shapes share its edges exactly; otherwise the household stays outside, and reported.
/// One that no member's shape holds gets an island in the gap (see [`island_in_gap`]),
/// unless a shape outside the cluster holds it (`held_outside`): an island there would
/// overlap that shape, which this cluster's split does not change, so the household stays
/// outside and is reported (found by the `replan_tiny` fuzz target: a 1 m² island over a
/// catchment outside the cluster, reported only as a household outside).
pub(super) fn islands(
    pieces: &mut [(usize, Shape)],
    homes: &[Vec<LonLat>],
    held_outside: &dyn Fn(LonLat) -> bool,
) {
    // The households outside their member's shape, found on the worker pool; each is
    // checked again below, since an island cut for one holds those at its very place
    // (and no other).
    let outside: Vec<(usize, LonLat)> = pieces
        .par_iter()
        .enumerate()
        .flat_map_iter(|(a, (c, shape))| {
            outside(shape, &homes[*c]).into_iter().map(move |h| (a, h))
        })
        .collect();
    for (a, h) in outside {
        if households_outside(&pieces[a].1, &[h]) == 0 {
            continue;
        }
        let Some(b) = pieces.iter().position(|(_, s)| s.contains(h)) else {
            if !held_outside(h) {
                island_in_gap(pieces, a, h, homes);
            }
            continue;
        };
        let Some(k) = pieces[b]
            .1
            .parts
            .iter()
            .position(|p| Shape::from_ring(p.exterior.clone()).contains(h))
        else {
            continue;
        };
        let room = distance_to_boundary_m(&pieces[b].1, h);
        let Some(square) = island(pieces, h, homes, room) else {
            continue;
        };
        let mut hole = square.clone();
        hole.reverse();
        pieces[b].1.parts[k].holes.push(hole);
        pieces[a].1.parts.push(Part {
            exterior: square,
            holes: Vec::new(),
        });
    }
}

/// Gives household `h` of member `a`, which no member's shape holds (a gap the split left
/// where grown polygons overlapped: found on rows of 1–3 households at 100 per catchment,
/// 24–32 m from every shape), a small square island of its own in that gap. Its half side
/// is at most [`ISLAND_M`] and a third of the way to every shape's boundary and to the
/// nearest other household, so it overlaps no shape; otherwise nothing changes.
fn island_in_gap(pieces: &mut [(usize, Shape)], a: usize, h: LonLat, homes: &[Vec<LonLat>]) {
    let room = pieces
        .iter()
        .map(|(_, s)| distance_to_boundary_m(s, h))
        .fold(f64::INFINITY, f64::min);
    if let Some(square) = island(pieces, h, homes, room) {
        pieces[a].1.parts.push(Part {
            exterior: square,
            holes: Vec::new(),
        });
    }
}

/// The square island around household `h` with `room` metres to the nearest boundary that
/// matters: half side at most [`ISLAND_M`], a third of `room` and a third of the way to
/// the nearest other household of the members; `None` when that is under 5 cm or a
/// corner falls on a household.
fn island(
    pieces: &[(usize, Shape)],
    h: LonLat,
    homes: &[Vec<LonLat>],
    room: f64,
) -> Option<Vec<LonLat>> {
    let others = pieces
        .iter()
        .flat_map(|(m, _)| homes[*m].iter())
        .filter(|&&o| o != h)
        .map(|&o| metres(h, o))
        .fold(f64::INFINITY, f64::min);
    let half = ISLAND_M.min(room / 3.0).min(others / 3.0);
    let square = square_around(h, half);
    let on_home = square
        .iter()
        .any(|&q| homes.iter().flatten().any(|&o| o == q));
    (half >= 0.05 && !on_home).then_some(square)
}

/// Metres between `p` and `q` (planar at `p`'s latitude).
fn metres(p: LonLat, q: LonLat) -> f64 {
    let s = p.lat.to_radians().cos();
    ((q.lon - p.lon) * s * M_PER_DEG).hypot((q.lat - p.lat) * M_PER_DEG)
}

/// A closed counter-clockwise square of half side `half` metres around `p`, its corners
/// on the 7-decimal grid.
fn square_around(p: LonLat, half: f64) -> Vec<LonLat> {
    let dlat = half / M_PER_DEG;
    let dlon = dlat / p.lat.to_radians().cos();
    let corner = |x: f64, y: f64| LonLat::new(round7(p.lon + x * dlon), round7(p.lat + y * dlat));
    let ring = vec![
        corner(-1.0, -1.0),
        corner(1.0, -1.0),
        corner(1.0, 1.0),
        corner(-1.0, 1.0),
    ];
    let mut ring = ring;
    ring.push(ring[0]);
    ring
}

#[cfg(test)]
mod tests {
    use super::super::tests::square;
    use super::*;
    use geo::{Area, BooleanOps};

    /// A household of member 0 in the gap between the two members' shapes (about 45 m
    /// wide), and the members' households.
    fn gap() -> (LonLat, Vec<(usize, Shape)>, Vec<Vec<LonLat>>) {
        let h = LonLat::new(51.00125, 35.0005);
        let pieces = vec![
            (0, square(51.0, 35.0, 0.001)),
            (1, square(51.0015, 35.0, 0.001)),
        ];
        let homes = vec![
            vec![h, LonLat::new(51.0005, 35.0005)],
            vec![LonLat::new(51.002, 35.0005)],
        ];
        (h, pieces, homes)
    }

    /// A household in the gap between two members' shapes (about 45 m wide) gets a small
    /// island of its own there, which overlaps neither shape.
    #[test]
    fn a_household_in_a_gap_gets_an_island() {
        let (h, mut pieces, homes) = gap();
        islands(&mut pieces, &homes, &|_| false);
        assert_eq!(pieces[0].1.parts.len(), 2);
        assert!(pieces[0].1.contains(h));
        assert!(!pieces[1].1.contains(h));
        let (a, b) = (pieces[0].1.to_geo(), pieces[1].1.to_geo());
        assert_eq!(a.intersection(&b).unsigned_area(), 0.0);
        // The island is about a metre across (its corners on the 7-decimal grid).
        let island = Shape::from_ring(pieces[0].1.parts[1].exterior.clone());
        let area_m2 =
            island.to_geo().unsigned_area() * M_PER_DEG * M_PER_DEG * 35.0f64.to_radians().cos();
        assert!(area_m2 > 0.9 && area_m2 < 1.05, "{area_m2}");
    }

    /// The same household, when a shape outside the cluster holds it, gets no island: it
    /// would overlap that shape. It stays outside its member's shape (and is reported).
    #[test]
    fn a_household_held_outside_the_cluster_gets_no_island() {
        let (h, mut pieces, homes) = gap();
        let outside = square(51.0011, 35.0003, 0.0003);
        islands(&mut pieces, &homes, &|p| outside.contains(p));
        assert_eq!(pieces[0].1.parts.len(), 1);
        assert!(!pieces[0].1.contains(h));
    }
}
