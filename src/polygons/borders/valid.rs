//! Step 6: OGC validity. A split shape is traced from triangles and rounded to the grid, so
//! on rare inputs two of its rings share an edge (a needle part lying along the main one; a
//! hole on its exterior's boundary), or a hole touches its exterior at two points and cuts
//! the interior in two. GIS tools (GEOS in QGIS, shapely) call such a polygon invalid and
//! refuse to intersect, dissolve or clip it. Such a shape is rebuilt from its own edges
//! ([`repaired`]): the seams where rings touch on a line are dropped, and the rest is
//! linked again so that each piece of interior gets rings of its own. The rebuilt shape
//! is kept only when it is valid itself. (A boolean union with nothing would repair it
//! too, but it drops vertices it finds collinear, and a neighbour keeping such a vertex
//! then overlaps the shape by a needle: found by the growth property test.)

use hashbrown::{HashMap, HashSet};

use geo::Validation;

use super::parts::place_holes;
use super::trace::simple_pieces;
use super::union_find::UnionFind;
use crate::geometry::signed_area;
use crate::model::{LonLat, Part, Shape};

/// True when no two rings of `shape` (or one ring twice) share an edge, no ring passes
/// through one of its vertices twice, and no part's rings touch each other in a cycle
/// (which disconnects its interior). These are the defects the split leaves; rings
/// crossing each other cannot arise from a tiling by triangles.
pub(crate) fn is_valid(shape: &Shape) -> bool {
    let mut edges: HashSet<(Key, Key)> = HashSet::new();
    for ring in shape.rings() {
        for w in ring.windows(2) {
            let (a, b) = (key(w[0]), key(w[1]));
            if !edges.insert((a.min(b), a.max(b))) {
                return false;
            }
        }
    }
    shape.parts.iter().all(|part| {
        let rings: Vec<&[LonLat]> = std::iter::once(part.exterior.as_slice())
            .chain(part.holes.iter().map(Vec::as_slice))
            .collect();
        let mut sets = UnionFind::new(rings.len());
        let mut first_ring: HashMap<Key, usize> = HashMap::new();
        for (r, ring) in rings.iter().enumerate() {
            // Closed rings: the last vertex repeats the first.
            let open = ring.get(..ring.len().saturating_sub(1)).unwrap_or(&[]);
            for &p in open {
                match first_ring.insert(key(p), r) {
                    None => {}
                    Some(q) if q == r => return false,
                    Some(q) => {
                        if sets.find(q) == sets.find(r) {
                            return false;
                        }
                        sets.union(q, r);
                    }
                }
            }
        }
        true
    })
}

/// A vertex's exact coordinates, for hashing.
type Key = (u64, u64);

fn key(p: LonLat) -> Key {
    (p.lon.to_bits(), p.lat.to_bits())
}

/// `shape` rebuilt valid from its own edges (see the module docs): every edge directed with
/// the interior on its left; an edge met both ways (a seam with the interior on both
/// sides, where two rings touch on a line) dropped; the rest linked into rings, each edge
/// followed by the first edge out of its end clockwise from its own reverse, which keeps
/// the interior's separate wedges at a vertex where rings touch in separate rings; a ring
/// still passing a vertex twice cut there. No vertex moves and none is added, so the
/// edges shared with the neighbours stay theirs exactly. `None` when the edges do not
/// close into rings that make a valid shape (rings that overlap, not touch).
pub(crate) fn repaired(shape: &Shape) -> Option<Shape> {
    let mut edges: Vec<[LonLat; 2]> = Vec::new();
    for part in &shape.parts {
        directed(&part.exterior, true, &mut edges);
        for hole in &part.holes {
            directed(hole, false, &mut edges);
        }
    }
    // Drop the seams: each edge met both ways, once per pair.
    let mut open: HashMap<(Key, Key), Vec<usize>> = HashMap::new();
    let mut kept = vec![true; edges.len()];
    for (i, &[a, b]) in edges.iter().enumerate() {
        match open.get_mut(&(key(b), key(a))).and_then(Vec::pop) {
            Some(j) => (kept[i], kept[j]) = (false, false),
            None => open.entry((key(a), key(b))).or_default().push(i),
        }
    }
    let edges: Vec<[LonLat; 2]> = edges
        .into_iter()
        .zip(kept)
        .filter_map(|(e, k)| k.then_some(e))
        .collect();
    let mut out: HashMap<Key, Vec<usize>> = HashMap::new();
    for (i, e) in edges.iter().enumerate() {
        let from = out.entry(key(e[0])).or_default();
        if from.iter().any(|&j| edges[j][1] == e[1]) {
            return None; // the same edge twice one way: rings overlap
        }
        from.push(i);
    }
    let angle = |a: LonLat, b: LonLat| (b.lat - a.lat).atan2(b.lon - a.lon);
    let next = |i: usize| -> Option<usize> {
        let [a, v] = edges[i];
        let back = angle(v, a);
        out.get(&key(v))?
            .iter()
            .map(|&j| {
                let turn = (back - angle(v, edges[j][1])).rem_euclid(std::f64::consts::TAU);
                (turn, j)
            })
            .filter(|&(turn, _)| turn > 0.0)
            .min_by(|x, y| x.0.total_cmp(&y.0))
            .map(|(_, j)| j)
    };
    let mut used = vec![false; edges.len()];
    let mut rings: Vec<Vec<LonLat>> = Vec::new();
    for start in 0..edges.len() {
        if used[start] {
            continue;
        }
        let mut ring = Vec::new();
        let mut e = start;
        loop {
            if used[e] {
                return None; // a chain that runs into another ring
            }
            used[e] = true;
            ring.push(edges[e][0]);
            e = next(e)?;
            if e == start {
                break;
            }
        }
        rings.extend(simple_pieces(ring.into_iter()));
    }
    let rebuilt = from_rings(rings)?;
    (is_valid(&rebuilt) && rebuilt.to_geo().is_valid()).then_some(rebuilt)
}

/// Appends the edges of the closed `ring` to `edges`, directed with the interior on their
/// left: as they run when `ring` turns the way its role wants (counter-clockwise for an
/// `exterior`, clockwise for a hole), reversed otherwise.
fn directed(ring: &[LonLat], exterior: bool, edges: &mut Vec<[LonLat; 2]>) {
    let turned = (signed_area(ring) > 0.0) != exterior;
    for w in ring.windows(2) {
        if w[0] != w[1] {
            edges.push(if turned { [w[1], w[0]] } else { [w[0], w[1]] });
        }
    }
}

/// Simple closed rings as a shape: counter-clockwise ones are exteriors (largest first),
/// clockwise ones holes of the smallest exterior around them; `None` when a hole is in no
/// exterior.
fn from_rings(rings: Vec<Vec<LonLat>>) -> Option<Shape> {
    let (mut exteriors, mut holes) = (Vec::new(), Vec::new());
    for r in rings {
        let area = signed_area(&r);
        if area > 0.0 {
            exteriors.push((area, r, Vec::new()));
        } else if area < 0.0 {
            holes.push(r);
        }
    }
    exteriors.sort_by(|a, b| b.0.total_cmp(&a.0));
    if !place_holes(&mut exteriors, holes).is_empty() || exteriors.is_empty() {
        return None;
    }
    Some(Shape {
        parts: exteriors
            .into_iter()
            .map(|(_, exterior, holes)| Part { exterior, holes })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    fn ring(points: &[(f64, f64)]) -> Vec<LonLat> {
        let mut r: Vec<LonLat> = points
            .iter()
            .map(|&(x, y)| LonLat::new(51.0 + x * 1e-3, 35.0 + y * 1e-3))
            .collect();
        r.push(r[0]);
        r
    }

    fn area(shape: &Shape) -> f64 {
        shape.to_geo().unsigned_area()
    }

    #[test]
    fn a_square_and_a_square_with_a_hole_are_valid() {
        let square = Shape::from_ring(ring(&[(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)]));
        assert!(is_valid(&square));
        let mut holed = square.clone();
        // A hole touching the exterior at one point is valid.
        holed.parts[0].holes.push(
            ring(&[(0.0, 2.0), (2.0, 1.0), (1.0, 2.0)])
                .into_iter()
                .rev()
                .collect(),
        );
        assert!(is_valid(&holed));
        assert!(holed.to_geo().is_valid());
    }

    #[test]
    fn parts_sharing_an_edge_are_merged() {
        // Two squares side by side as two parts: they touch on a line.
        let shape = Shape {
            parts: vec![
                Part {
                    exterior: ring(&[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]),
                    holes: Vec::new(),
                },
                Part {
                    exterior: ring(&[(2.0, 0.0), (3.0, 0.0), (3.0, 2.0), (2.0, 2.0)]),
                    holes: Vec::new(),
                },
            ],
        };
        assert!(!is_valid(&shape));
        assert!(!shape.to_geo().is_valid(), "geo agrees that it is invalid");
        let fixed = repaired(&shape).expect("repairable");
        assert!(is_valid(&fixed));
        assert_eq!(fixed.parts.len(), 1);
        assert!((area(&fixed) - area(&shape)).abs() < 1e-15);
    }

    #[test]
    fn a_hole_touching_its_exterior_twice_splits_the_part() {
        // A hole from the bottom edge's midpoint to the top edge's: it cuts the square in
        // two, which GEOS calls a disconnected interior (geo's validation misses it).
        let mut shape = Shape::from_ring(ring(&[
            (0.0, 0.0),
            (2.0, 0.0),
            (4.0, 0.0),
            (4.0, 4.0),
            (2.0, 4.0),
            (0.0, 4.0),
        ]));
        let hole = ring(&[(2.0, 0.0), (1.0, 2.0), (2.0, 4.0), (3.0, 2.0)]);
        shape.parts[0].holes.push(hole.into_iter().rev().collect());
        assert!(!is_valid(&shape));
        let home = LonLat::new(51.0 + 0.5e-3, 35.0 + 2e-3);
        let fixed = repaired(&shape).expect("repairable");
        assert!(is_valid(&fixed));
        assert_eq!(fixed.parts.len(), 2, "the two sides become two parts");
        assert!(fixed.contains(home));
        assert!((area(&fixed) - area(&shape)).abs() < 1e-15);
    }

    #[test]
    fn a_ring_through_one_vertex_twice_is_invalid() {
        // A figure eight: the exterior passes through (2, 2) twice.
        let shape = Shape::from_ring(ring(&[
            (0.0, 0.0),
            (2.0, 2.0),
            (4.0, 0.0),
            (4.0, 4.0),
            (2.0, 2.0),
            (0.0, 4.0),
        ]));
        assert!(!is_valid(&shape));
    }
}
