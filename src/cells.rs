//! Catchment polygons: the cells of the power diagram, clipped to a region envelope.
//!
//! # Algorithm
//! 1. The envelope is the convex hull of the region's households buffered by a margin
//!    (Minkowski sum with a 32-gon), so no envelope vertex is a household location.
//! 2. Each cell starts as the envelope and is clipped (Sutherland–Hodgman) by the power
//!    bisector half-plane `2(x − c_j)·(c_l − c_j) ≤ ‖c_l − c_j‖² − w_l + w_j` of every other
//!    center `l`, nearest first, stopping once no farther center can reach the cell.
//! 3. Vertices shared by neighbouring cells (bisector ∩ bisector, bisector ∩ envelope edge)
//!    are welded to one position by the lines that define them, so shared edges are
//!    identical in both polygons and cells tile the envelope without overlaps.
//!
//! # Complexity
//! `O(k log k)` per cell for the distance sort plus `O(v)` per clip; the early stop keeps
//! the number of clips near the number of neighbours.

use std::collections::HashMap;

use geo::{ConvexHull, MultiPoint, Point};

/// What a polygon edge lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Line {
    /// Edge `e` of the envelope.
    Envelope(u32),
    /// The bisector with cell `l`.
    Cell(u32),
}

/// A convex polygon whose edge `i` runs from `pts[i]` to `pts[i+1]` along `lines[i]`.
#[derive(Debug, Clone)]
struct Clipped {
    pts: Vec<[f64; 2]>,
    lines: Vec<Line>,
}

impl Clipped {
    /// Keeps the part where `h(x) ≤ 0`, `h` affine, marking the new edge with `line`.
    fn clip(&self, h: impl Fn([f64; 2]) -> f64, line: Line) -> Clipped {
        let n = self.pts.len();
        let mut out = Clipped {
            pts: Vec::with_capacity(n + 1),
            lines: Vec::with_capacity(n + 1),
        };
        if n == 0 {
            return out;
        }
        let vals: Vec<f64> = self.pts.iter().map(|&p| h(p)).collect();
        for i in 0..n {
            let j = (i + 1) % n;
            let (a, b) = (self.pts[i], self.pts[j]);
            let (ha, hb) = (vals[i], vals[j]);
            let a_in = ha <= 0.0;
            let b_in = hb <= 0.0;
            if a_in {
                out.pts.push(a);
                out.lines.push(self.lines[i]);
            }
            if a_in != b_in {
                let t = ha / (ha - hb);
                let x = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
                out.pts.push(x);
                out.lines.push(if a_in { line } else { self.lines[i] });
            }
        }
        out
    }

    fn radius2_from(&self, c: [f64; 2]) -> f64 {
        self.pts
            .iter()
            .map(|p| (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2))
            .fold(0.0, f64::max)
    }
}

/// The region envelope: convex hull of `points` buffered by `margin` metres,
/// counter-clockwise, without repeating the first vertex.
pub(crate) fn envelope(points: &[[f64; 2]], margin: f64) -> Vec<[f64; 2]> {
    const SIDES: usize = 32;
    let hull = MultiPoint::from(
        points
            .iter()
            .map(|p| Point::new(p[0], p[1]))
            .collect::<Vec<_>>(),
    )
    .convex_hull();
    let mut grown = Vec::with_capacity((hull.exterior().0.len() + 1) * SIDES);
    for c in hull.exterior().0.iter() {
        for s in 0..SIDES {
            let a = std::f64::consts::TAU * (s as f64 + 0.5) / SIDES as f64;
            grown.push(Point::new(c.x + margin * a.cos(), c.y + margin * a.sin()));
        }
    }
    let hull = MultiPoint::from(grown).convex_hull();
    let mut ring: Vec<[f64; 2]> = hull.exterior().0.iter().map(|c| [c.x, c.y]).collect();
    if ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    if signed_area(&ring) < 0.0 {
        ring.reverse();
    }
    ring
}

/// Twice the signed area (positive for counter-clockwise).
pub(crate) fn signed_area(ring: &[[f64; 2]]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum()
}

/// Power cells of `(centers, power)` inside the convex counter-clockwise `envelope`.
/// Returns one open ring (counter-clockwise, first vertex not repeated) per center.
///
/// `households` and their `labels` are used only to keep vertices off household locations.
pub(crate) fn power_cells(
    centers: &[[f64; 2]],
    power: &[f64],
    envelope: &[[f64; 2]],
    households: &[[f64; 2]],
    labels: &[u32],
) -> Vec<Vec<[f64; 2]>> {
    let k = centers.len();
    let base = Clipped {
        pts: envelope.to_vec(),
        lines: (0..envelope.len() as u32).map(Line::Envelope).collect(),
    };
    let wmax = power.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let cells: Vec<Clipped> = (0..k)
        .map(|j| {
            let cj = centers[j];
            let mut order: Vec<(f64, u32)> = (0..k as u32)
                .filter(|&l| l as usize != j)
                .map(|l| {
                    (
                        (centers[l as usize][0] - cj[0]).hypot(centers[l as usize][1] - cj[1]),
                        l,
                    )
                })
                .collect();
            order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut cell = base.clone();
            let mut r2 = cell.radius2_from(cj);
            for (d, l) in order {
                let r = r2.sqrt();
                if d > r && (d - r).powi(2) - wmax >= r2 - power[j] {
                    break;
                }
                let cl = centers[l as usize];
                let dvec = [cl[0] - cj[0], cl[1] - cj[1]];
                let rhs = dvec[0] * dvec[0] + dvec[1] * dvec[1] - power[l as usize] + power[j];
                let h =
                    |x: [f64; 2]| 2.0 * ((x[0] - cj[0]) * dvec[0] + (x[1] - cj[1]) * dvec[1]) - rhs;
                cell = cell.clip(h, Line::Cell(l));
                if cell.pts.is_empty() {
                    break;
                }
                r2 = cell.radius2_from(cj);
            }
            cell
        })
        .collect();
    weld(cells, households, labels)
}

type Key = (u32, Line, Line);

/// The weld key of the vertex of cell `j` between edges on lines `a` and `b`.
fn vertex_key(j: u32, a: Line, b: Line) -> Option<Key> {
    let mut ids = [Line::Cell(j), a, b];
    ids.sort();
    match ids {
        [Line::Envelope(e), Line::Cell(x), Line::Cell(y)] => {
            Some((e | 0x8000_0000, Line::Cell(x), Line::Cell(y)))
        }
        [Line::Cell(x), Line::Cell(y), Line::Cell(z)] => Some((x, Line::Cell(y), Line::Cell(z))),
        _ => None,
    }
}

/// Gives vertices defined by the same lines one position (the lowest cell's), moves any
/// vertex that sits on a household 10 cm away from that household's cell (so no vertex
/// reveals a household and the household stays inside), and drops repeated vertices.
fn weld(cells: Vec<Clipped>, households: &[[f64; 2]], labels: &[u32]) -> Vec<Vec<[f64; 2]>> {
    let keys: Vec<Vec<Option<Key>>> = cells
        .iter()
        .enumerate()
        .map(|(j, cell)| {
            let n = cell.lines.len();
            (0..n)
                .map(|i| vertex_key(j as u32, cell.lines[(i + n - 1) % n], cell.lines[i]))
                .collect()
        })
        .collect();
    let mut seen: HashMap<Key, [f64; 2]> = HashMap::new();
    let mut order: Vec<Key> = Vec::new();
    for (cell, ks) in cells.iter().zip(&keys) {
        for (p, k) in cell.pts.iter().zip(ks) {
            if let Some(k) = k {
                seen.entry(*k).or_insert_with(|| {
                    order.push(*k);
                    *p
                });
            }
        }
    }
    // Vertices on (or within 5 cm of) a household.
    if !households.is_empty() && !order.is_empty() {
        let tree = kiddo::ImmutableKdTree::<f64, 2>::new_from_slice(households).ok();
        let centroid = |j: usize| {
            let pts = &cells[j].pts;
            let n = pts.len().max(1) as f64;
            let sx: f64 = pts.iter().map(|p| p[0]).sum();
            let sy: f64 = pts.iter().map(|p| p[1]).sum();
            [sx / n, sy / n]
        };
        if let Some(tree) = tree {
            for k in &order {
                let v = seen[k];
                let near = tree
                    .query(&v)
                    .nearest_one::<kiddo::SquaredEuclidean<f64>>()
                    .execute();
                if near.distance < 0.05 * 0.05 {
                    let own = labels[near.item as usize] as usize;
                    let c = centroid(own);
                    let (dx, dy) = (v[0] - c[0], v[1] - c[1]);
                    let len = dx.hypot(dy).max(1e-9);
                    seen.insert(*k, [v[0] + 0.1 * dx / len, v[1] + 0.1 * dy / len]);
                }
            }
        }
    }
    let mut rings = Vec::with_capacity(cells.len());
    for (cell, ks) in cells.iter().zip(&keys) {
        let mut ring = Vec::with_capacity(cell.pts.len());
        for (p, k) in cell.pts.iter().zip(ks) {
            let p = k.map_or(*p, |k| seen[&k]);
            if ring.last() != Some(&p) {
                ring.push(p);
            }
        }
        while ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        rings.push(ring);
    }
    rings
}

/// Inserts vertices so that no edge is longer than `max_len` metres, so that edges stay
/// straight enough after conversion to longitude/latitude. Shared edges are split at the
/// same points in both cells (interpolation always runs from the smaller endpoint).
pub(crate) fn densify(ring: &[[f64; 2]], max_len: f64) -> Vec<[f64; 2]> {
    let n = ring.len();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        out.push(a);
        let len = (b[0] - a[0]).hypot(b[1] - a[1]);
        let pieces = (len / max_len).ceil() as usize;
        if pieces < 2 {
            continue;
        }
        let forward = (a[0], a[1]) <= (b[0], b[1]);
        let (p, q) = if forward { (a, b) } else { (b, a) };
        for s in 1..pieces {
            let s = if forward { s } else { pieces - s };
            let t = s as f64 / pieces as f64;
            out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
        }
    }
    out
}

/// True when `p` is inside or within `tol` metres of the convex counter-clockwise `ring`.
pub(crate) fn contains(ring: &[[f64; 2]], p: [f64; 2], tol: f64) -> bool {
    let n = ring.len();
    if n < 3 {
        return false;
    }
    (0..n).all(|i| {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        let ex = b[0] - a[0];
        let ey = b[1] - a[1];
        let len = ex.hypot(ey);
        if len == 0.0 {
            return true;
        }
        // Signed distance to the left of edge a→b (inside for a counter-clockwise ring).
        let cross = (ex * (p[1] - a[1]) - ey * (p[0] - a[0])) / len;
        cross >= -tol
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_weights_give_voronoi_halves() {
        let env = vec![[-10.0, -10.0], [10.0, -10.0], [10.0, 10.0], [-10.0, 10.0]];
        let cells = power_cells(&[[-5.0, 0.0], [5.0, 0.0]], &[0.0, 0.0], &env, &[], &[]);
        assert_eq!(cells.len(), 2);
        let a0 = signed_area(&cells[0]) / 2.0;
        let a1 = signed_area(&cells[1]) / 2.0;
        assert!(
            (a0 - 200.0).abs() < 1e-9 && (a1 - 200.0).abs() < 1e-9,
            "{a0} {a1}"
        );
        assert!(contains(&cells[0], [-9.0, 0.0], 0.0));
        assert!(!contains(&cells[0], [1.0, 0.0], 0.0));
    }

    #[test]
    fn weight_moves_the_boundary() {
        let env = vec![[-10.0, -10.0], [10.0, -10.0], [10.0, 10.0], [-10.0, 10.0]];
        // w0 - w1 = 40 moves the bisector x = (|D|^2 - w1 + w0) / (2 |D|) - 5 = (100+40)/20 - 5 = 2.
        let cells = power_cells(&[[-5.0, 0.0], [5.0, 0.0]], &[40.0, 0.0], &env, &[], &[]);
        assert!(contains(&cells[0], [1.9, 5.0], 1e-9));
        assert!(!contains(&cells[0], [2.1, 5.0], 0.0));
    }

    #[test]
    fn envelope_contains_points_with_margin() {
        let pts = vec![[0.0, 0.0], [100.0, 0.0], [50.0, 80.0]];
        let env = envelope(&pts, 10.0);
        assert!(signed_area(&env) > 0.0);
        for p in &pts {
            assert!(contains(&env, *p, -9.0), "{p:?}");
        }
        // A single point still gives a proper polygon.
        let env = envelope(&[[5.0, 5.0]], 1.0);
        assert!(env.len() >= 3 && contains(&env, [5.0, 5.0], -0.9));
    }
}

#[cfg(test)]
mod containment_tests {
    use super::*;
    use crate::balance::{BalanceParams, balance};
    use crate::projection::{AzimuthalEquidistant, Projection};

    #[test]
    fn households_inside_their_power_cells() {
        let hh = crate::synth::households(4500, 2);
        let proj = AzimuthalEquidistant::centered_on(hh.items.iter().map(|h| &h.position));
        let pts: Vec<[f64; 2]> = hh.items.iter().map(|h| proj.forward(h.position)).collect();
        let w = vec![1u32; pts.len()];
        let params = BalanceParams {
            k: 10,
            lo: 450,
            hi: 450,
            max_iterations: 100,
            restarts: 1,
            seed: 0,
        };
        let b = balance(&pts, &w, &params);
        let env = envelope(&pts, 500.0);
        let cells = power_cells(&b.centers, &b.power, &env, &pts, &b.labels);
        let mut bad = 0;
        for (i, p) in pts.iter().enumerate() {
            let l = b.labels[i] as usize;
            if !contains(&cells[l], *p, 1e-6) {
                bad += 1;
                let pd = |j: usize| dist_sq(*p, b.centers[j]) - b.power[j];
                eprintln!(
                    "point {i} label {l} pd own {} others {:?}",
                    pd(l),
                    (0..10).map(pd).collect::<Vec<_>>()
                );
            }
        }
        assert_eq!(bad, 0);
    }

    fn dist_sq(a: [f64; 2], b: [f64; 2]) -> f64 {
        (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
    }
}
