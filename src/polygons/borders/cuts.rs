//! Step 3a: the cuts of a cluster. For every overlapping pair, the Voronoi edges between one
//! catchment's households and the other's, clipped to both cells (a little beyond them,
//! so that a cut crosses their edges cleanly). Computed in the cluster's local metric frame
//! (x = lon·cos(lat₀), y = lat), returned in lon/lat.

use rayon::prelude::*;
use spade::handles::DirectedEdgeHandle;
use spade::{DelaunayTriangulation, HasPosition, Point2, Triangulation};

use super::GRID;
use crate::geometry::{bbox, crosses_odd};
use crate::model::{LonLat, Shape};

/// The cuts of all `pairs` of a cluster whose frame has x scaled by `scale`.
pub(super) fn cluster_cuts(
    pairs: &[(usize, usize)],
    shapes: &[Shape],
    homes: &[Vec<LonLat>],
    scale: f64,
) -> Vec<[LonLat; 2]> {
    // Pair by pair on the worker pool, in the pairs' order: a re-plan's largest cluster
    // has thousands of pairs (4 s on one thread).
    pairs
        .par_iter()
        .map(|&(a, b)| {
            let mut cuts = Vec::new();
            pair_cuts(
                [&shapes[a], &shapes[b]],
                [&homes[a], &homes[b]],
                scale,
                &mut cuts,
            );
            cuts
        })
        .collect::<Vec<_>>()
        .concat()
}

/// Appends to `cuts` the Voronoi edges between the households of the two catchments
/// `shapes`, inside both (and a little beyond).
fn pair_cuts(shapes: [&Shape; 2], homes: [&[LonLat]; 2], scale: f64, cuts: &mut Vec<[LonLat; 2]>) {
    let to_xy = |p: LonLat| [p.lon * scale, p.lat];
    let window = common_window(shapes[0], shapes[1], scale);
    let [ra, rb] = shapes.map(|s| -> Vec<Vec<[f64; 2]>> {
        s.rings()
            .map(|r| r.iter().map(|&p| to_xy(p)).collect())
            .collect()
    });
    for s in voronoi_between(homes[0], homes[1], &to_xy, window) {
        // Only the part inside both shapes, a little beyond them so that the cut
        // crosses their edges cleanly.
        let Some(s) =
            clip_to_rings(s, &ra, 3.0 * GRID).and_then(|s| clip_to_rings(s, &rb, 3.0 * GRID))
        else {
            continue;
        };
        let [p, q] = s.map(|p| LonLat::new(p[0] / scale, p[1]));
        if p != q {
            cuts.push([p, q]);
        }
    }
}

/// The box where the boxes of shapes `a` and `b` meet, grown by 10 grid units, in the
/// frame scaled by `scale`.
fn common_window(a: &Shape, b: &Shape, scale: f64) -> [f64; 4] {
    let (ba, bb) = (
        bbox(a.vertices().copied()).unwrap_or([0.0; 4]),
        bbox(b.vertices().copied()).unwrap_or([0.0; 4]),
    );
    let lon = [
        ba[0].max(bb[0]) - 10.0 * GRID,
        ba[2].min(bb[2]) + 10.0 * GRID,
    ];
    let lat = [
        ba[1].max(bb[1]) - 10.0 * GRID,
        ba[3].min(bb[3]) + 10.0 * GRID,
    ];
    [lon[0] * scale, lat[0], lon[1] * scale, lat[1]]
}

/// The part of segment `s` inside the shape of closed `rings` (even-odd over them all:
/// exteriors and holes; from its first to its last point inside), extended at each end
/// where it leaves the shape until it is about `margin` beyond the edge it crossed (at
/// least 10 cm, at most 10 m further along the segment); `None` when it misses the shape.
fn clip_to_rings(s: [[f64; 2]; 2], rings: &[Vec<[f64; 2]>], margin: f64) -> Option<[[f64; 2]; 2]> {
    let d = [s[1][0] - s[0][0], s[1][1] - s[0][1]];
    let len = d[0].hypot(d[1]);
    let rings: Vec<&[[f64; 2]]> = rings
        .iter()
        .map(Vec::as_slice)
        .filter(|r| r.len() >= 4)
        .collect();
    if len == 0.0 || rings.is_empty() {
        return None;
    }
    let at = |t: f64| [s[0][0] + t * d[0], s[0][1] + t * d[1]];
    let inside = |p: [f64; 2]| rings.iter().filter(|r| crosses_odd(r, p)).count() % 2 == 1;
    // (t, sine of the angle of the crossing there; none at the segment's own ends).
    type Stop = (f64, Option<f64>);
    let mut stops: Vec<Stop> = vec![(0.0, None)];
    let mut crossings: Vec<(f64, f64)> = rings.iter().flat_map(|r| ring_crossings(s, r)).collect();
    if rings.len() > 1 {
        crossings.sort_by(|x, y| x.0.total_cmp(&y.0));
    }
    stops.extend(crossings.iter().map(|&(t, sin)| (t, Some(sin))));
    stops.push((1.0, None));
    let (mut first, mut last): (Option<Stop>, Option<Stop>) = (None, None);
    for w in stops.windows(2) {
        if w[1].0 > w[0].0 && inside(at((w[0].0 + w[1].0) / 2.0)) {
            first.get_or_insert(w[0]);
            last = Some(w[1]);
        }
    }
    let (Some((mut t0, sin0)), Some((mut t1, sin1))) = (first, last) else {
        return None;
    };
    let grow = |sin: f64| (margin / sin.max(1e-9)).clamp(1e-6, 1e-4) / len;
    if let Some(sin) = sin0 {
        t0 = (t0 - grow(sin)).max(0.0);
    }
    if let Some(sin) = sin1 {
        t1 = (t1 + grow(sin)).min(1.0);
    }
    // The segment's own ends exactly (`at(1.0)` may differ in the last bit), so that cuts
    // meeting at a Voronoi vertex still meet.
    let end = |t: f64| match t {
        0.0 => s[0],
        1.0 => s[1],
        _ => at(t),
    };
    Some([end(t0), end(t1)])
}

/// Where segment `s` (of positive length) crosses the edges of the closed `ring`: (t along
/// the segment, sine of the angle), by increasing t.
fn ring_crossings(s: [[f64; 2]; 2], ring: &[[f64; 2]]) -> Vec<(f64, f64)> {
    let d = [s[1][0] - s[0][0], s[1][1] - s[0][1]];
    let len = d[0].hypot(d[1]);
    let mut cross: Vec<(f64, f64)> = Vec::new();
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        let e = [b[0] - a[0], b[1] - a[1]];
        let den = d[0] * e[1] - d[1] * e[0];
        if den == 0.0 {
            continue;
        }
        let f = [a[0] - s[0][0], a[1] - s[0][1]];
        let t = (f[0] * e[1] - f[1] * e[0]) / den;
        let u = (f[0] * d[1] - f[1] * d[0]) / den;
        if (0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u) {
            cross.push((t, den.abs() / (len * e[0].hypot(e[1]))));
        }
    }
    cross.sort_by(|x, y| x.0.total_cmp(&y.0));
    cross
}

/// A household of a pair's triangulation: its position in the cluster's frame and its
/// side: 1 = a, 2 = b, 3 = both (a household of each at the same place).
#[derive(Clone, Copy)]
struct Home {
    at: Point2<f64>,
    side: u8,
}

impl HasPosition for Home {
    type Scalar = f64;

    fn position(&self) -> Point2<f64> {
        self.at
    }
}

/// The Delaunay triangulation of a pair's households.
type Homes = DelaunayTriangulation<Home>;

/// The Voronoi edges between households of `a` and households of `b` (in the frame of
/// `to_xy`), clipped to `window` = `[x0, y0, x1, y1]`.
fn voronoi_between(
    a: &[LonLat],
    b: &[LonLat],
    to_xy: &impl Fn(LonLat) -> [f64; 2],
    window: [f64; 4],
) -> Vec<[[f64; 2]; 2]> {
    let dt = households_triangulated(a, b, to_xy);
    let reach = (window[2] - window[0]).hypot(window[3] - window[1]);
    let mut out = Vec::new();
    for e in dt.undirected_edges() {
        let [u, v] = e.vertices().map(|x| x.data().side);
        if (u | v) != 3 || u == 3 || v == 3 {
            continue;
        }
        if let Some(s) = clip(dual_segment(e.as_directed(), reach, window), window) {
            out.push(s);
        }
    }
    out
}

/// The Delaunay triangulation of the households of `a` and `b`, each vertex with its side
/// (households at one place merged first). Bulk loaded: a re-plan splits thousands of
/// pairs of about 900 households each, and inserting them one by one took a tenth of
/// the national re-plan's time.
fn households_triangulated(
    a: &[LonLat],
    b: &[LonLat],
    to_xy: &impl Fn(LonLat) -> [f64; 2],
) -> Homes {
    let mut homes: Vec<Home> = [(1u8, a), (2u8, b)]
        .iter()
        .flat_map(|&(side, set)| {
            set.iter().map(move |&h| {
                let [x, y] = to_xy(h);
                Home {
                    at: Point2::new(x, y),
                    side,
                }
            })
        })
        .collect();
    homes.sort_by(|p, q| p.at.x.total_cmp(&q.at.x).then(p.at.y.total_cmp(&q.at.y)));
    homes.dedup_by(|later, kept| {
        let same = later.at == kept.at;
        if same {
            kept.side |= later.side;
        }
        same
    });
    Homes::bulk_load(homes.clone()).unwrap_or_else(|_| {
        // Coordinates spade cannot take (none in lon/lat): one by one, skipping those.
        let mut dt = Homes::new();
        for h in homes {
            let _ = dt.insert(h);
        }
        dt
    })
}

/// The Voronoi edge dual to the Delaunay edge `d`: between the circumcenters of its two
/// faces, or from the one there is (both ends, from the midpoint, when there is none) out
/// past `window`, `reach` being the window's diagonal.
fn dual_segment(
    d: DirectedEdgeHandle<'_, Home, (), (), ()>,
    reach: f64,
    window: [f64; 4],
) -> [[f64; 2]; 2] {
    let (p, q) = (d.from().position(), d.to().position());
    let mid = [(p.x + q.x) / 2.0, (p.y + q.y) / 2.0];
    // Right-hand normal of p → q.
    let n = {
        let (dx, dy) = (q.x - p.x, q.y - p.y);
        let len = dx.hypot(dy);
        [dy / len, -dx / len]
    };
    let left = d.face().as_inner().map(|f| f.circumcenter());
    let right = d.rev().face().as_inner().map(|f| f.circumcenter());
    match (left, right) {
        (Some(l), Some(r)) => [[l.x, l.y], [r.x, r.y]],
        (Some(l), None) => {
            let far = reach + (l.x - mid[0]).hypot(l.y - mid[1]);
            [[l.x, l.y], [l.x + n[0] * far, l.y + n[1] * far]]
        }
        (None, Some(r)) => {
            let far = reach + (r.x - mid[0]).hypot(r.y - mid[1]);
            [[r.x, r.y], [r.x - n[0] * far, r.y - n[1] * far]]
        }
        (None, None) => {
            let far = reach + (window[0] - mid[0]).hypot(window[1] - mid[1]);
            [
                [mid[0] - n[0] * far, mid[1] - n[1] * far],
                [mid[0] + n[0] * far, mid[1] + n[1] * far],
            ]
        }
    }
}

/// The part of segment `s` inside the box `w` (Liang–Barsky).
fn clip(s: [[f64; 2]; 2], w: [f64; 4]) -> Option<[[f64; 2]; 2]> {
    let d = [s[1][0] - s[0][0], s[1][1] - s[0][1]];
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-d[0], s[0][0] - w[0]),
        (d[0], w[2] - s[0][0]),
        (-d[1], s[0][1] - w[1]),
        (d[1], w[3] - s[0][1]),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 < t1).then(|| {
        // The segment's own ends exactly, so that cuts meeting at a vertex still meet.
        let at = |t: f64| match t {
            0.0 => s[0],
            1.0 => s[1],
            _ => [s[0][0] + t * d[0], s[0][1] + t * d[1]],
        };
        [at(t0), at(t1)]
    })
}
