//! Step 1: which catchments overlap. Candidates come from an R-tree of the rings' boxes;
//! a pair counts when the two polygons, cut to the box where their extents meet, intersect
//! with a positive area.

use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::geometry::bbox;
use crate::model::{LonLat, Shape};

/// An R-tree of the catchments' boxes, each with its catchment's index.
pub(super) type BoxTree = RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>;

/// The R-tree of `boxes` (catchments without a box left out).
pub(super) fn box_tree(boxes: &[Option<[f64; 4]>]) -> BoxTree {
    RTree::bulk_load(
        boxes
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.map(|b| GeomWithData::new(rect(b), i)))
            .collect(),
    )
}

/// The box `b` (`[min x, min y, max x, max y]`) as an R-tree query envelope.
pub(super) fn envelope(b: [f64; 4]) -> AABB<[f64; 2]> {
    AABB::from_corners([b[0], b[1]], [b[2], b[3]])
}

fn rect(b: [f64; 4]) -> Rectangle<[f64; 2]> {
    Rectangle::from_corners([b[0], b[1]], [b[2], b[3]])
}

/// Pairs whose polygons overlap with a positive area.
pub(super) fn overlapping_pairs(
    shapes: &[Shape],
    boxes: &[Option<[f64; 4]>],
    tree: &BoxTree,
) -> Vec<(usize, usize)> {
    still_overlapping(shapes, candidates(boxes, tree))
}

/// The `candidates` (pairs `(a, b)`, `a < b`, in increasing order once returned) whose
/// polygons overlap with a positive area.
pub(super) fn still_overlapping(
    shapes: &[Shape],
    candidates: Vec<(usize, usize)>,
) -> Vec<(usize, usize)> {
    // Both shapes are first cut to the box where their extents meet, which holds any
    // overlap: the boolean operation then sees a sixth of the vertices (national file).
    let extents: Vec<Option<[f64; 4]>> = shapes.par_iter().map(|s| bbox(s.vertices())).collect();
    let mut pairs: Vec<(usize, usize)> = candidates
        .into_par_iter()
        .filter(|&(a, b)| {
            let (Some(ea), Some(eb)) = (extents[a], extents[b]) else {
                return false;
            };
            overlap_within(&shapes[a], &shapes[b], meet(ea, eb))
        })
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Pairs `(a, b)`, `a < b`, whose boxes meet.
fn candidates(boxes: &[Option<[f64; 4]>], tree: &BoxTree) -> Vec<(usize, usize)> {
    boxes
        .iter()
        .enumerate()
        .filter_map(|(a, b)| b.map(|b| (a, b)))
        .flat_map(|(a, bx)| {
            tree.locate_in_envelope_intersecting(envelope(bx))
                .map(|n| n.data)
                .filter(move |&b| b > a)
                .map(move |b| (a, b))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The box where the boxes `ea` and `eb` meet (empty, min above max, when they do not).
fn meet(ea: [f64; 4], eb: [f64; 4]) -> [f64; 4] {
    [
        ea[0].max(eb[0]),
        ea[1].max(eb[1]),
        ea[2].min(eb[2]),
        ea[3].min(eb[3]),
    ]
}

/// True when `a` and `b`, whose overlap (if any) lies in the box `meet`, overlap with a
/// positive area.
fn overlap_within(a: &Shape, b: &Shape, meet: [f64; 4]) -> bool {
    use geo::{Area, BooleanOps};
    if meet[0] > meet[2] || meet[1] > meet[3] {
        return false;
    }
    let (pa, pb) = (clipped(a, meet), clipped(b, meet));
    pa.intersection(&pb).unsigned_area() > 0.0
}

/// `shape` cut to the box `r` (`[min lon, min lat, max lon, max lat]`), ring by ring
/// (Sutherland–Hodgman: exact for a convex window, area-wise; a ring may come back with
/// edges doubled along the box, which enclose nothing). A point where an edge crosses the
/// box is computed from the edge's ends in a fixed order, so two shapes sharing that edge
/// get the same point and still share their border.
fn clipped(shape: &Shape, r: [f64; 4]) -> geo::MultiPolygon<f64> {
    let line = |ring: &[LonLat]| {
        let mut pts: Vec<LonLat> = ring.to_vec();
        for side in 0..4 {
            pts = clip_side(&pts, side, r);
        }
        (pts.len() >= 3).then(|| {
            let mut coords: Vec<(f64, f64)> = pts.iter().map(|q| (q.lon, q.lat)).collect();
            coords.push(coords[0]);
            geo::LineString::from(coords)
        })
    };
    geo::MultiPolygon::new(
        shape
            .parts
            .iter()
            .filter_map(|p| {
                let exterior = line(&p.exterior)?;
                Some(geo::Polygon::new(
                    exterior,
                    p.holes.iter().filter_map(|h| line(h)).collect(),
                ))
            })
            .collect(),
    )
}

/// One step of [`clipped`]: the ring `pts` (closing vertex optional) cut by one side of the
/// box `r` (0: west, 1: east, 2: south, 3: north), without its closing vertex.
fn clip_side(pts: &[LonLat], side: usize, r: [f64; 4]) -> Vec<LonLat> {
    let inside = |q: &LonLat| match side {
        0 => q.lon >= r[0],
        1 => q.lon <= r[2],
        2 => q.lat >= r[1],
        _ => q.lat <= r[3],
    };
    let n = if pts.len() > 1 && pts.first() == pts.last() {
        pts.len() - 1
    } else {
        pts.len()
    };
    let mut out = Vec::with_capacity(n + 4);
    for i in 0..n {
        let (p, q) = (&pts[i], &pts[(i + 1) % n]);
        match (inside(p), inside(q)) {
            (true, true) => out.push(*q),
            (true, false) => out.push(side_crossing(p, q, side, r)),
            (false, true) => {
                out.push(side_crossing(p, q, side, r));
                out.push(*q);
            }
            (false, false) => {}
        }
    }
    out
}

/// Where the edge `p`–`q` crosses the line of one side of the box `r` (as in
/// [`clip_side`]), computed from its ends in a fixed order.
fn side_crossing(p: &LonLat, q: &LonLat, side: usize, r: [f64; 4]) -> LonLat {
    let (u, v) = if (p.lon, p.lat) <= (q.lon, q.lat) {
        (p, q)
    } else {
        (q, p)
    };
    if side < 2 {
        let x = if side == 0 { r[0] } else { r[2] };
        let t = (x - u.lon) / (v.lon - u.lon);
        LonLat::new(x, u.lat + t * (v.lat - u.lat))
    } else {
        let y = if side == 2 { r[1] } else { r[3] };
        let t = (y - u.lat) / (v.lat - u.lat);
        LonLat::new(u.lon + t * (v.lon - u.lon), y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::round7;

    /// A star-shaped ring around `(cx, cy)` with the given radii (degrees), its first
    /// vertex `phase` radians from east, rounded to 7 decimals, counter-clockwise and
    /// closed.
    fn star(cx: f64, cy: f64, radii: &[f64], phase: f64) -> Vec<LonLat> {
        let n = radii.len();
        let mut ring: Vec<LonLat> = radii
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let a = phase + std::f64::consts::TAU * i as f64 / n as f64;
                LonLat::new(round7(cx + r * a.cos()), round7(cy + r * a.sin()))
            })
            .collect();
        ring.push(ring[0]);
        ring
    }

    /// `ring` cut by the vertical line `x = cut` into its west and east parts, both
    /// holding the same points on the cut (a shared border, as neighbouring catchments
    /// have), densified with `extra` rounded points along it.
    fn halves(ring: &[LonLat], cut: f64, extra: usize) -> Option<(Shape, Shape)> {
        let n = ring.len() - 1;
        let mut crossings = Vec::new();
        for i in 0..n {
            let (p, q) = (ring[i], ring[i + 1]);
            if (p.lon < cut) != (q.lon < cut) {
                let t = (cut - p.lon) / (q.lon - p.lon);
                crossings.push((i, LonLat::new(cut, round7(p.lat + t * (q.lat - p.lat)))));
            }
        }
        let [(i, s), (j, e)] = crossings[..] else {
            return None;
        };
        // The border from s to e, with points a few grid steps off the straight line.
        let border: Vec<LonLat> = (0..=extra + 1)
            .map(|m| {
                let t = m as f64 / (extra + 1) as f64;
                let wobble = if m % 2 == 1 { 2e-7 } else { -1e-7 };
                let lon = if m == 0 || m == extra + 1 {
                    cut
                } else {
                    round7(cut + wobble)
                };
                LonLat::new(lon, round7(s.lat + t * (e.lat - s.lat)))
            })
            .collect();
        // One half: s, ring[i+1..=j], e, then the border back to s; the other: e,
        // ring[j+1..] and ring[..=i], s, then the border forward to e.
        let mut one = vec![s];
        one.extend_from_slice(&ring[i + 1..=j]);
        one.push(e);
        one.extend(border.iter().rev().skip(1));
        let mut two = vec![e];
        two.extend_from_slice(&ring[j + 1..n]);
        two.extend_from_slice(&ring[..=i]);
        two.push(s);
        two.extend(border.iter().skip(1));
        Some((Shape::from_ring(one), Shape::from_ring(two)))
    }

    fn overlap_unclipped(a: &Shape, b: &Shape) -> bool {
        use geo::{Area, BooleanOps};
        a.to_geo().intersection(&b.to_geo()).unsigned_area() > 0.0
    }

    fn overlap_clipped(a: &Shape, b: &Shape) -> bool {
        match (bbox(a.vertices()), bbox(b.vertices())) {
            (Some(ea), Some(eb)) => overlap_within(a, b, meet(ea, eb)),
            _ => false,
        }
    }

    /// Square degrees by which geo's boolean operation can disagree with itself along
    /// nearly coincident edges (about 8 m² at 35° N; a grid step of overlap along the
    /// shortest border in these tests is over 1e-10).
    const NOISE_DEG2: f64 = 1e-12;

    /// The clipped shapes overlap by the same area as the whole shapes, up to
    /// [`NOISE_DEG2`] and a thousandth of it (the operation's own rounding on longer
    /// overlaps: 1.8676e-9 against 1.8686e-9 square degrees in one case). Exact agreement on *whether* they overlap is not asked: along a
    /// border both sides share up to the 7-decimal rounding, the boolean operation finds
    /// a sliver one way and none the other (a CI run: 1.5e-13 square degrees on the
    /// clipped shapes, none on the whole ones), so the reference is unsure there, not the
    /// clipping.
    fn clipping_agrees(a: &Shape, b: &Shape) -> Result<(), proptest::test_runner::TestCaseError> {
        use geo::{Area, BooleanOps};
        let whole = a.to_geo().intersection(&b.to_geo()).unsigned_area();
        let cut = match (bbox(a.vertices()), bbox(b.vertices())) {
            (Some(ea), Some(eb)) => {
                let m = meet(ea, eb);
                if m[0] > m[2] || m[1] > m[3] {
                    0.0
                } else {
                    clipped(a, m).intersection(&clipped(b, m)).unsigned_area()
                }
            }
            _ => 0.0,
        };
        let noise = NOISE_DEG2 + 1e-3 * whole.max(cut);
        proptest::prop_assert!((whole - cut).abs() < noise, "{whole} vs {cut}");
        if whole >= NOISE_DEG2 {
            proptest::prop_assert!(overlap_clipped(a, b), "an overlap of {whole} missed");
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Cutting both shapes to where their extents meet finds the overlap the whole
        /// shapes have (see `clipping_agrees`): halves sharing a border (none), a half against a shifted copy
        /// of the other or of itself (some), and independent stars.
        #[test]
        fn clipping_to_the_common_box_keeps_every_overlap(
            radii in proptest::collection::vec(0.005f64..0.02, 8..40),
            radii2 in proptest::collection::vec(0.005f64..0.02, 8..40),
            cut in -0.004f64..0.004,
            extra in 0usize..12,
            dx in -0.03f64..0.03,
            dy in -0.03f64..0.03,
            nudge in 0usize..4,
        ) {
            let ring = star(51.0, 35.0, &radii, 0.0);
            if let Some((west, east)) = halves(&ring, 51.0 + cut, extra) {
                proptest::prop_assert!(!overlap_unclipped(&west, &east));
                clipping_agrees(&west, &east)?;
                // The east half moved by 0 to 3 grid steps: touching, then overlapping.
                let step = nudge as f64 * 1e-7;
                let moved = Shape::from_ring(
                    east.main_ring()
                        .iter()
                        .map(|q| LonLat::new(round7(q.lon - step), q.lat))
                        .collect(),
                );
                clipping_agrees(&west, &moved)?;
                clipping_agrees(&west, &west)?;
            }
            // Turned by an angle no vertex count divides, so that the two stars share no
            // edge: geo's boolean operations miss overlaps along shared edges (two
            // concentric stars with equal radii came out disjoint), which would make
            // the reference wrong, not the clipping.
            let other = Shape::from_ring(star(51.0 + dx, 35.0 + dy, &radii2, 0.1234567));
            let whole = Shape::from_ring(ring.clone());
            clipping_agrees(&whole, &other)?;
        }
    }
}
