//! Step 3a: the cuts of a cluster: the Voronoi edges between households of different
//! catchments, clipped to the overlaps they run through (a little beyond them, so that a
//! cut crosses their edges cleanly). Computed in the cluster's local metric frame
//! (x = lon·cos(lat₀), y = lat), returned in lon/lat.
//!
//! One Delaunay triangulation holds the households of every catchment in an overlapping
//! pair. An edge of its Voronoi diagram whose two households belong to different
//! catchments is kept inside the overlap of every pair that one of them belongs to.
//! Inside an overlap, each zone of faces that no cut or ring separates then lies within
//! the Voronoi cells of one catchment's households (the households of the catchments
//! covering it, with perhaps others'), so a zone holding a household of a catchment
//! covering it has that catchment's household nearest everywhere, and goes to it
//! ([`super::owners`]). Triangulating each pair's households on their own did the same
//! work five or six times over in a re-plan, where a catchment overlaps that many
//! neighbours.

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
    let to_xy = |p: LonLat| [p.lon * scale, p.lat];
    let overlaps = Overlaps::new(pairs, shapes, scale);
    let mut pairs_of: Vec<Vec<u32>> = vec![Vec::new(); overlaps.sides.len()];
    for (i, &(a, b)) in pairs.iter().enumerate() {
        pairs_of[overlaps.side_of(a)].push(i as u32);
        pairs_of[overlaps.side_of(b)].push(i as u32);
    }
    let Some(all) = bbox(
        overlaps
            .windows
            .iter()
            .flat_map(|w| [LonLat::new(w[0], w[1]), LonLat::new(w[2], w[3])]),
    ) else {
        return Vec::new();
    };
    let dt = households_triangulated(&overlaps.sides, homes, &to_xy);
    let reach = (all[2] - all[0]).hypot(all[3] - all[1]);
    // The Voronoi edges between catchments, each with the pairs it may cut.
    let edges: Vec<([[f64; 2]; 2], Vec<u32>)> = dt
        .undirected_edges()
        .filter_map(|e| {
            let [u, v] = e.vertices().map(|x| x.data().side);
            if u == v {
                return None;
            }
            let mut near: Vec<u32> = [u, v]
                .iter()
                .filter(|&&s| s != MIXED)
                .flat_map(|&s| pairs_of[s as usize].iter().copied())
                .collect();
            near.sort_unstable();
            near.dedup();
            Some((dual_segment(e.as_directed(), reach, all), near))
        })
        .collect();
    edges
        .par_iter()
        .flat_map_iter(|(s, near)| {
            overlaps
                .spans(*s, near)
                .into_iter()
                .filter_map(move |[t0, t1]| {
                    let [p, q] = [at(*s, t0), at(*s, t1)].map(|p| LonLat::new(p[0] / scale, p[1]));
                    (p != q).then_some([p, q])
                })
        })
        .collect()
}

/// The overlaps of a cluster's pairs, in its frame: where each pair's boxes meet, and the
/// rings of each catchment of a pair.
struct Overlaps<'a> {
    pairs: &'a [(usize, usize)],
    /// The pairs' catchments, in increasing order.
    sides: Vec<usize>,
    /// Per pair, the box where its two shapes' boxes meet (grown a little).
    windows: Vec<[f64; 4]>,
    /// Per side, its rings.
    rings: Vec<Vec<Vec<[f64; 2]>>>,
}

impl<'a> Overlaps<'a> {
    fn new(pairs: &'a [(usize, usize)], shapes: &[Shape], scale: f64) -> Self {
        let mut sides: Vec<usize> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
        sides.sort_unstable();
        sides.dedup();
        let rings = sides
            .par_iter()
            .map(|&c| {
                shapes[c]
                    .rings()
                    .map(|r| r.iter().map(|&p| [p.lon * scale, p.lat]).collect())
                    .collect()
            })
            .collect();
        let windows = pairs
            .iter()
            .map(|&(a, b)| common_window(&shapes[a], &shapes[b], scale))
            .collect();
        Overlaps {
            pairs,
            sides,
            windows,
            rings,
        }
    }

    /// The index of catchment `c` among the sides.
    fn side_of(&self, c: usize) -> usize {
        self.sides.binary_search(&c).unwrap_or(usize::MAX)
    }

    /// The spans `[t0, t1]` of segment `s` inside the overlaps of the pairs `near` (a
    /// little beyond them, see [`clip_to_rings`]), merged where they meet, by increasing
    /// `t`; exactly 0 or 1 at the segment's own ends.
    fn spans(&self, s: [[f64; 2]; 2], near: &[u32]) -> Vec<[f64; 2]> {
        let mut spans: Vec<[f64; 2]> = near
            .iter()
            .filter_map(|&p| {
                let (a, b) = self.pairs[p as usize];
                let [w0, w1] = clip(s, self.windows[p as usize])?;
                let part = [at(s, w0), at(s, w1)];
                let [t0, t1] = clip_to_rings(part, &self.rings[self.side_of(a)], 3.0 * GRID)?;
                let part = [at(part, t0), at(part, t1)];
                let [u0, u1] = clip_to_rings(part, &self.rings[self.side_of(b)], 3.0 * GRID)?;
                // Back to the edge's own parameter.
                let span = |t: f64| w0 + (w1 - w0) * (t0 + (t1 - t0) * t);
                Some([span(u0), span(u1)])
            })
            .collect();
        spans.sort_by(|x, y| x[0].total_cmp(&y[0]));
        let mut merged: Vec<[f64; 2]> = Vec::new();
        for t in spans {
            match merged.last_mut() {
                Some(m) if t[0] <= m[1] => m[1] = m[1].max(t[1]),
                _ => merged.push(t),
            }
        }
        merged
    }
}

/// The point at `t` along segment `s`: its own ends exactly at 0 and 1 (`s[0] + 1·d` may
/// differ from `s[1]` in the last bit), so that cuts meeting at a Voronoi vertex still
/// meet.
fn at(s: [[f64; 2]; 2], t: f64) -> [f64; 2] {
    match t {
        0.0 => s[0],
        1.0 => s[1],
        _ => [
            s[0][0] + t * (s[1][0] - s[0][0]),
            s[0][1] + t * (s[1][1] - s[0][1]),
        ],
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
/// least 10 cm, at most 10 m further along the segment), as the span `[t0, t1]` along
/// `s`; `None` when it misses the shape.
fn clip_to_rings(s: [[f64; 2]; 2], rings: &[Vec<[f64; 2]>], margin: f64) -> Option<[f64; 2]> {
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
    Some([t0, t1])
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

/// The side of a household that shares its place with a household of another catchment.
const MIXED: u32 = u32::MAX;

/// A household of a cluster's triangulation: its position in the cluster's frame and its
/// side: the index of its catchment among the pairs' catchments, or [`MIXED`].
#[derive(Clone, Copy)]
struct Home {
    at: Point2<f64>,
    side: u32,
}

impl HasPosition for Home {
    type Scalar = f64;

    fn position(&self) -> Point2<f64> {
        self.at
    }
}

/// The Delaunay triangulation of a cluster's households.
type Homes = DelaunayTriangulation<Home>;

/// The Delaunay triangulation of the households of the catchments `sides` (in the frame
/// of `to_xy`), each vertex with its side (households at one place merged first). Bulk
/// loaded: a national re-plan's largest cluster has about 230,000 households.
fn households_triangulated(
    sides: &[usize],
    homes: &[Vec<LonLat>],
    to_xy: &impl Fn(LonLat) -> [f64; 2],
) -> Homes {
    let mut homes: Vec<Home> = sides
        .iter()
        .enumerate()
        .flat_map(|(side, &c)| {
            homes[c].iter().map(move |&h| {
                let [x, y] = to_xy(h);
                Home {
                    at: Point2::new(x, y),
                    side: side as u32,
                }
            })
        })
        .collect();
    homes.par_sort_by(|p, q| {
        (p.at.x.total_cmp(&q.at.x))
            .then(p.at.y.total_cmp(&q.at.y))
            .then(p.side.cmp(&q.side))
    });
    homes.dedup_by(|later, kept| {
        let same = later.at == kept.at;
        if same && later.side != kept.side {
            kept.side = MIXED;
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

/// The span `[t0, t1]` of segment `s` inside the box `w` (Liang–Barsky).
fn clip(s: [[f64; 2]; 2], w: [f64; 4]) -> Option<[f64; 2]> {
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
    (t0 < t1).then_some([t0, t1])
}
