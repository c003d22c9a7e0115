//! Output precision: polygon vertices rounded to 7 decimals (about 1 cm) without leaving a
//! household outside its own polygon.
//!
//! Cells keep their households at least a few millimetres inside (see the balancing
//! module), but a household can sit closer to a cell edge than rounding moves that edge:
//! two households of neighbouring catchments a few centimetres apart along the boundary
//! leave no room for a wider margin. Rounding each distinct vertex once keeps shared edges
//! identical in neighbouring polygons; this module then checks every household against its
//! rounded polygon and, for the rare one left outside, moves the rounding of the nearest
//! edge's end points to a neighbouring grid point (one step of 10⁻⁷°) that brings it back
//! in without pushing out a household of any polygon sharing those vertices.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::geometry::{RingBands, crosses_odd, round7, segment_dist2};
use crate::model::LonLat;

/// Decimal places of output coordinates.
const SCALE: f64 = 1e7;

type VertexKey = (u64, u64);

fn key(p: [f64; 2]) -> VertexKey {
    (p[0].to_bits(), p[1].to_bits())
}

/// [`inside`] through the ring's band index: the crossing rule over the edges of the
/// point's band, then none of them holding the point.
fn inside_by(index: &RingBands, ring: &[LonLat], p: LonLat) -> bool {
    let n = ring.len();
    index.crosses_odd(ring, [p.lon, p.lat])
        && !index.band_edges(p.lat).iter().any(|&i| {
            let i = i as usize;
            segment_dist2(ring[i], ring[(i + 1) % n], p) == 0.0
        })
}

/// True when `p` is strictly inside the closed ring `ring` (first vertex not repeated),
/// by the crossing rule in longitude/latitude.
fn inside(ring: &[LonLat], p: LonLat) -> bool {
    crosses_odd(ring, [p.lon, p.lat]) && !on_edge(ring, p)
}

fn on_edge(ring: &[LonLat], p: LonLat) -> bool {
    let n = ring.len();
    (0..n).any(|i| segment_dist2(ring[i], ring[(i + 1) % n], p) == 0.0)
}

/// The rounding of every distinct vertex of a region's rings.
struct Rounding<'a> {
    rings: &'a [Vec<[f64; 2]>],
    /// Exact longitude/latitude of each vertex.
    exact: HashMap<VertexKey, LonLat>,
    /// Rings using each vertex.
    users: HashMap<VertexKey, Vec<usize>>,
    /// The rounding in use.
    chosen: HashMap<VertexKey, LonLat>,
}

impl Rounding<'_> {
    /// Ring `j` with the current roundings (first vertex not repeated).
    fn ring(&self, j: usize) -> Vec<LonLat> {
        let mut ring: Vec<LonLat> = self.rings[j]
            .iter()
            .map(|&p| self.chosen[&key(p)])
            .collect();
        ring.dedup();
        while ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        ring
    }

    /// The planar end points of ring `j`'s edge nearest `p` (with current roundings);
    /// `None` for a degenerate ring without edges.
    fn nearest_edge(&self, j: usize, p: LonLat) -> Option<[VertexKey; 2]> {
        let ring = &self.rings[j];
        let n = ring.len();
        let d = |a: usize| {
            segment_dist2(
                self.chosen[&key(ring[a])],
                self.chosen[&key(ring[(a + 1) % n])],
                p,
            )
        };
        let edge = (0..n).min_by(|&a, &b| d(a).total_cmp(&d(b)))?;
        Some([key(ring[edge]), key(ring[(edge + 1) % n])])
    }

    /// The rounding of `k` and its 8 grid neighbours.
    fn options(&self, k: &VertexKey) -> Vec<LonLat> {
        let step = 1.0 / SCALE;
        let ll = self.exact[k];
        let (bx, by) = (round7(ll.lon), round7(ll.lat));
        let mut v = Vec::with_capacity(9);
        for dx in [0.0, -step, step] {
            for dy in [0.0, -step, step] {
                v.push(LonLat::new(round7(bx + dx), round7(by + dy)));
            }
        }
        v
    }

    /// Tries the grid neighbours of the roundings of `ends` until household `p` of ring `j`
    /// is inside and every household of every ring using those vertices that was inside
    /// still is; on success updates `out`.
    fn fix(
        &mut self,
        ends: [VertexKey; 2],
        j: usize,
        p: LonLat,
        out: &mut [Vec<LonLat>],
        members: &[Vec<LonLat>],
    ) -> bool {
        let mut affected: Vec<usize> = ends
            .iter()
            .flat_map(|k| self.users[k].iter().copied())
            .collect();
        affected.sort_unstable();
        affected.dedup();
        let before = [self.chosen[&ends[0]], self.chosen[&ends[1]]];
        let (oa, ob) = (self.options(&ends[0]), self.options(&ends[1]));
        for a in &oa {
            for b in &ob {
                self.chosen.insert(ends[0], *a);
                self.chosen.insert(ends[1], *b);
                let trial: Vec<(usize, Vec<LonLat>)> =
                    affected.iter().map(|&r| (r, self.ring(r))).collect();
                let own = trial.iter().find(|t| t.0 == j).map(|t| &t.1);
                if !own.is_some_and(|ring| inside(ring, p)) {
                    continue;
                }
                let kept = trial.iter().all(|(r, ring)| {
                    members[*r]
                        .iter()
                        .all(|&q| inside(ring, q) || !inside(&out[*r], q))
                });
                if kept {
                    for (r, ring) in trial {
                        out[r] = ring;
                    }
                    return true;
                }
            }
        }
        self.chosen.insert(ends[0], before[0]);
        self.chosen.insert(ends[1], before[1]);
        false
    }
}

/// Rounds planar `rings` (whose shared vertices are bit-identical) to longitude/latitude
/// with 7 decimals through `inverse`, keeping each household (`members[j]` are the exact
/// positions of ring `j`'s households) inside its own ring where a one-step change of
/// rounding can. Returns the rings (first vertex not repeated) and the number of
/// households still outside.
pub(crate) fn round_rings(
    rings: &[Vec<[f64; 2]>],
    inverse: impl Fn([f64; 2]) -> LonLat,
    members: &[Vec<LonLat>],
) -> (Vec<Vec<LonLat>>, usize) {
    let mut exact: HashMap<VertexKey, LonLat> = HashMap::new();
    let mut users: HashMap<VertexKey, Vec<usize>> = HashMap::new();
    for (j, ring) in rings.iter().enumerate() {
        for &p in ring {
            let k = key(p);
            exact.entry(k).or_insert_with(|| inverse(p));
            let u = users.entry(k).or_default();
            if u.last() != Some(&j) {
                u.push(j);
            }
        }
    }
    let chosen = exact
        .iter()
        .map(|(k, ll)| (*k, LonLat::new(round7(ll.lon), round7(ll.lat))))
        .collect();
    let mut rounding = Rounding {
        rings,
        exact,
        users,
        chosen,
    };
    let mut out: Vec<Vec<LonLat>> = (0..rings.len()).map(|j| rounding.ring(j)).collect();
    let misses: Vec<(usize, LonLat)> = (0..rings.len())
        .into_par_iter()
        .flat_map_iter(|j| {
            let ring = &out[j];
            let index = RingBands::new(ring);
            members[j]
                .iter()
                .copied()
                .filter(move |&p| !inside_by(&index, ring, p))
                .map(move |p| (j, p))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut left = 0;
    for (j, p) in misses {
        if inside(&out[j], p) {
            continue;
        }
        let fixed = rounding
            .nearest_edge(j, p)
            .is_some_and(|ends| rounding.fix(ends, j, p, &mut out, members));
        if !fixed {
            left += 1;
        }
    }
    (out, left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The band index answers exactly as the plain crossing test, on and off edges.
        #[test]
        fn band_index_agrees_with_the_crossing_rule(
            raw in prop::collection::vec((0i32..40, 0i32..40), 3..30),
            points in prop::collection::vec((0i32..42, 0i32..42), 1..60),
        ) {
            // Angularly sorted vertices around the grid center: a star-shaped ring with
            // repeated latitudes and horizontal edges.
            let mut ring: Vec<LonLat> = raw
                .iter()
                .map(|&(x, y)| LonLat::new(f64::from(x) * 0.5, f64::from(y) * 0.5))
                .collect();
            ring.sort_by(|a, b| {
                let (ta, tb) = ((a.lat - 10.0).atan2(a.lon - 10.0), (b.lat - 10.0).atan2(b.lon - 10.0));
                ta.total_cmp(&tb)
            });
            ring.dedup();
            let index = RingBands::new(&ring);
            for (x, y) in points {
                let p = LonLat::new(f64::from(x) * 0.5 - 0.5, f64::from(y) * 0.5 - 0.5);
                prop_assert_eq!(inside_by(&index, &ring, p), inside(&ring, p), "{:?}", p);
                prop_assert_eq!(
                    index.crosses_odd(&ring, [p.lon, p.lat]),
                    crosses_odd(&ring, [p.lon, p.lat]),
                    "{:?}",
                    p
                );
            }
        }
    }

    #[test]
    fn a_household_on_the_rounding_gap_is_brought_inside() {
        // Two squares sharing the edge x = 0.00000006 (which rounds to 0.0000001); a
        // household of the right square at x = 0.00000007 would fall outside.
        let e = 0.000_000_06;
        let left = vec![[-1.0, 0.0], [e, 0.0], [e, 1.0], [-1.0, 1.0]];
        let right = vec![[e, 0.0], [1.0, 0.0], [1.0, 1.0], [e, 1.0]];
        let members = vec![
            vec![LonLat::new(-0.5, 0.5)],
            vec![LonLat::new(0.000_000_07, 0.5), LonLat::new(0.5, 0.5)],
        ];
        let (out, left_out) = round_rings(&[left, right], |p| LonLat::new(p[0], p[1]), &members);
        assert_eq!(left_out, 0);
        for (ring, m) in out.iter().zip(&members) {
            assert!(m.iter().all(|&p| inside(ring, p)));
        }
        // The shared edge is still shared.
        assert!(out[0].iter().filter(|v| out[1].contains(v)).count() >= 2);
    }
}
