//! Which power cells touch: for every center `l`, the centers whose power cells share an
//! edge with its own inside a box `B_l` (a superset: near-touching cells are included too).
//! The boxes are the callers' choice; the balancing uses each catchment's households'
//! bounding box, a little widened, so that every cell stays small.
//!
//! Each cell is its box clipped by the bisecting half-planes of the other centers, in
//! order of lifted distance (the center `c_l` with weight `w_l` lifted to
//! `(c_l, √(M − w_l))`, `M` the largest weight), until no farther center can reach it: by
//! the triangle inequality in the lifted space, a center at lifted distance `D` from
//! `(c_j, 0)` has power distance at least `(D − r)² − M` anywhere within `r` of `c_j`. A
//! center counts as a neighbour when its half-plane comes within `slack` metres of the
//! clipped cell, so rounding in the clipping never drops a true neighbour.
//!
//! Two facts make this the cheap replacement for a nearest-center query per household:
//! - a point of `B_l` lies in the power cell of `l` exactly when no neighbour of `l` is
//!   power-nearer (the other half-planes are redundant inside the box), so checking a
//!   household against its label's few neighbours is an exact check;
//! - the power distance to the centers is a linear function of the lifted centers, whose
//!   lower convex hull has the neighbour pairs as edges, so walking to a power-nearer
//!   neighbour until none is nearer ends at the power-nearest center (for a point inside
//!   the last center's box).
//!
//! A cell that is empty inside its box is flagged: no household of the box belongs to it.

use kiddo::{ImmutableKdTree, SquaredEuclidean};
use rayon::prelude::*;
use std::num::NonZero;

use crate::spatial::lift;

/// Neighbours of every power cell.
#[derive(Debug, Clone)]
pub(crate) struct Adjacency {
    /// Per center, the centers whose cells (nearly) share an edge with its own, sorted.
    /// For a cell that is empty inside the box: the centers whose half-planes emptied it.
    pub nbrs: Vec<Vec<u32>>,
    /// Per center, true when its cell is empty inside its box.
    pub empty: Vec<bool>,
    /// Per center, its box `[min x, min y, max x, max y]`.
    pub boxes: Vec<[f64; 4]>,
}

impl Adjacency {
    /// True when `p` lies in the box of center `l`.
    pub(crate) fn in_box(&self, l: usize, p: [f64; 2]) -> bool {
        let b = self.boxes[l];
        p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]
    }
}

/// Centers queried per cell at first (doubled while the bound is not reached).
const FIRST_QUERY: usize = 16;

/// The neighbours of the power cells of `centers` with weights `power`, each inside its
/// box (`boxes[l]` = `[min x, min y, max x, max y]`); `slack` in metres.
pub(crate) fn power_adjacency(
    centers: &[[f64; 2]],
    power: &[f64],
    boxes: Vec<[f64; 4]>,
    slack: f64,
) -> Adjacency {
    let k = centers.len();
    if k < 2 {
        return Adjacency {
            nbrs: vec![Vec::new(); k],
            empty: vec![false; k],
            boxes,
        };
    }
    let (lifted, top) = lift(centers, power);
    let tree = ImmutableKdTree::<f64, 3>::new_from_slice(&lifted).ok();
    let cells: Vec<(Vec<u32>, bool)> = (0..k)
        .into_par_iter()
        .map(|j| {
            let lift = Lift {
                lifted: &lifted,
                tree: tree.as_ref(),
                top,
            };
            cell_neighbours(j, centers, power, boxes[j], slack, &lift)
        })
        .collect();
    let mut nbrs: Vec<Vec<u32>> = Vec::with_capacity(k);
    let mut empty = Vec::with_capacity(k);
    for (n, e) in cells {
        nbrs.push(n);
        empty.push(e);
    }
    // Symmetric: a pair found from either side counts for both.
    let pairs: Vec<(u32, u32)> = nbrs
        .iter()
        .enumerate()
        .flat_map(|(a, nb)| nb.iter().map(move |&b| (b, a as u32)))
        .collect();
    for (b, a) in pairs {
        let list = &mut nbrs[b as usize];
        if !list.contains(&a) {
            list.push(a);
        }
    }
    for list in &mut nbrs {
        list.sort_unstable();
    }
    Adjacency { nbrs, empty, boxes }
}

/// The centers lifted by their weights, and a k-d tree over them.
struct Lift<'a> {
    lifted: &'a [[f64; 3]],
    tree: Option<&'a ImmutableKdTree<f64, 3>>,
    /// The largest weight `M`.
    top: f64,
}

impl Lift<'_> {
    /// The centers other than `j` nearest to `(c_j, 0)` in the lifted space, nearest first
    /// (ties by index), with their squared lifted distances: at least `n` of them.
    fn nearest(&self, j: usize, n: usize) -> Vec<(f64, u32)> {
        let k = self.lifted.len();
        let c = self.lifted[j];
        let q = [c[0], c[1], 0.0];
        let mut found: Vec<(f64, u32)> = match (self.tree, NonZero::new(n + 1)) {
            (Some(tree), Some(m)) if n + 1 < k => tree
                .query(&q)
                .nearest_n::<SquaredEuclidean<f64>>(m)
                .execute()
                .iter()
                .map(|r| (r.distance, r.item))
                .collect(),
            _ => self
                .lifted
                .iter()
                .enumerate()
                .map(|(l, p)| {
                    let d = (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + p[2] * p[2];
                    (d, l as u32)
                })
                .collect(),
        };
        found.retain(|&(_, l)| l as usize != j);
        found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        found
    }
}

/// The neighbours of cell `j` and whether it is empty in its box.
fn cell_neighbours(
    j: usize,
    centers: &[[f64; 2]],
    power: &[f64],
    bx: [f64; 4],
    slack: f64,
    lift: &Lift<'_>,
) -> (Vec<u32>, bool) {
    let k = centers.len();
    let c = centers[j];
    let mut n = FIRST_QUERY.min(k - 1);
    loop {
        let order = lift.nearest(j, n);
        // The box, relative to the center (counter-clockwise).
        let mut cell: Vec<[f64; 2]> = vec![
            [bx[0] - c[0], bx[1] - c[1]],
            [bx[2] - c[0], bx[1] - c[1]],
            [bx[2] - c[0], bx[3] - c[1]],
            [bx[0] - c[0], bx[3] - c[1]],
        ];
        // Half-planes applied: 2·x·d ≤ rhs, x relative to the center.
        let mut planes: Vec<(u32, [f64; 2], f64)> = Vec::new();
        let mut bounded = order.len() == k - 1;
        for &(dd, l) in &order {
            let r2 = cell
                .iter()
                .map(|v| v[0] * v[0] + v[1] * v[1])
                .fold(0.0, f64::max);
            let (d, r) = (dd.sqrt(), r2.sqrt());
            // No point of the cell can be power-nearer to `l`, nor to any center farther
            // in the lifted space.
            if d > r && (d - r).powi(2) - lift.top >= r2 - power[j] {
                bounded = true;
                break;
            }
            let q = centers[l as usize];
            let dv = [q[0] - c[0], q[1] - c[1]];
            let rhs = dv[0] * dv[0] + dv[1] * dv[1] - power[l as usize] + power[j];
            cell = clip(&cell, |x| 2.0 * (x[0] * dv[0] + x[1] * dv[1]) - rhs);
            planes.push((l, dv, rhs));
            if cell.is_empty() {
                return (planes.iter().map(|p| p.0).collect(), true);
            }
        }
        if !bounded {
            n = (n * 2).min(k - 1);
            continue;
        }
        return (touching(&planes, &cell, slack), false);
    }
}

/// The centers of `planes` (half-planes `2·x·d ≤ rhs` relative to the center) whose
/// boundary comes within `slack` metres of the clipped `cell`.
fn touching(planes: &[(u32, [f64; 2], f64)], cell: &[[f64; 2]], slack: f64) -> Vec<u32> {
    planes
        .iter()
        .filter(|(_, dv, rhs)| {
            let len = 2.0 * dv[0].hypot(dv[1]);
            // Coincident centers: always neighbours.
            len == 0.0
                || cell
                    .iter()
                    .map(|x| (2.0 * (x[0] * dv[0] + x[1] * dv[1]) - rhs) / len)
                    .fold(f64::NEG_INFINITY, f64::max)
                    >= -slack
        })
        .map(|p| p.0)
        .collect()
}

/// The part of convex polygon `poly` where `h ≤ 0`.
fn clip(poly: &[[f64; 2]], h: impl Fn([f64; 2]) -> f64) -> Vec<[f64; 2]> {
    let n = poly.len();
    let mut out = Vec::with_capacity(n + 1);
    for i in 0..n {
        let (a, b) = (poly[i], poly[(i + 1) % n]);
        let (ha, hb) = (h(a), h(b));
        if ha <= 0.0 {
            out.push(a);
        }
        if (ha <= 0.0) != (hb <= 0.0) {
            let t = ha / (ha - hb);
            out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force: the power-nearest center of `p`.
    fn nearest(p: [f64; 2], centers: &[[f64; 2]], power: &[f64]) -> usize {
        (0..centers.len())
            .min_by(|&a, &b| {
                let pa = (p[0] - centers[a][0]).powi(2) + (p[1] - centers[a][1]).powi(2) - power[a];
                let pb = (p[0] - centers[b][0]).powi(2) + (p[1] - centers[b][1]).powi(2) - power[b];
                pa.total_cmp(&pb).then(a.cmp(&b))
            })
            .unwrap_or(0)
    }

    #[test]
    fn neighbours_cover_every_adjacent_pair_on_a_grid_of_probes() {
        // Random centers and weights; probes on a fine grid: wherever two probes a grid
        // step apart have different nearest centers, the two must be neighbours.
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..5 {
            let k = 60;
            let centers: Vec<[f64; 2]> =
                (0..k).map(|_| [next() * 1000.0, next() * 1000.0]).collect();
            let power: Vec<f64> = (0..k).map(|_| next() * 20_000.0).collect();
            let adj = power_adjacency(&centers, &power, vec![[0.0, 0.0, 1000.0, 1000.0]; k], 1e-3);
            let steps = 200;
            let at = |i: usize, j: usize| [i as f64 * 5.0, j as f64 * 5.0];
            for i in 0..=steps {
                for j in 0..=steps {
                    let here = nearest(at(i, j), &centers, &power);
                    assert!(
                        !adj.empty[here],
                        "a probe lies in cell {here}, flagged empty"
                    );
                    for (di, dj) in [(1, 0), (0, 1)] {
                        if i + di > steps || j + dj > steps {
                            continue;
                        }
                        let (mut p, mut q) = (at(i, j), at(i + di, j + dj));
                        let a = here;
                        let mut b = nearest(q, &centers, &power);
                        if a == b {
                            continue;
                        }
                        // Narrow down to one crossing between two cells.
                        while (q[0] - p[0]).abs() + (q[1] - p[1]).abs() > 1e-7 {
                            let m = [(p[0] + q[0]) / 2.0, (p[1] + q[1]) / 2.0];
                            let c = nearest(m, &centers, &power);
                            if c == a {
                                p = m;
                            } else {
                                q = m;
                                b = c;
                            }
                        }
                        assert!(adj.nbrs[a].contains(&(b as u32)), "{a} and {b} touch");
                        assert!(adj.nbrs[b].contains(&(a as u32)));
                    }
                }
            }
        }
    }

    #[test]
    fn a_dominated_center_has_an_empty_cell() {
        let centers = [[0.0, 0.0], [1.0, 0.0], [100.0, 0.0]];
        // Center 1 sits next to center 0, whose weight is far larger.
        let power = [5000.0, 0.0, 0.0];
        let adj = power_adjacency(&centers, &power, vec![[-10.0, -10.0, 110.0, 10.0]; 3], 1e-3);
        assert!(adj.empty[1]);
        assert!(!adj.empty[0] && !adj.empty[2]);
        assert!(adj.nbrs[0].contains(&2));
    }
}
