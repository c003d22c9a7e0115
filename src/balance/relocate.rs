//! Relocation moves: a center that is cheap to remove splits the most spread-out catchment.

use rayon::prelude::*;

use super::lloyd::{Start, balance_once};
use super::moments::centroids;
use super::params::{BalanceParams, Balanced, better};
use crate::geometry::dist2;
use crate::spatial::PowerIndex;

/// Rounds of relocation moves tried after the restarts (a fourth round seldom found a
/// better plan on the generated files).
pub(super) const RELOCATIONS: usize = 3;

/// Up to `rounds` rounds of relocation moves (a swap local search in the manner of
/// Kanungo et al.): a center whose
/// households are cheapest to hand to their next-nearest centers moves next to the center
/// of the most spread-out catchment, which it splits; the iterations re-run from there and
/// the result is kept when the objective improves. Lloyd iterations alone cannot make such
/// moves, since a center would have to cross empty land between towns. The candidate moves
/// of one round run in parallel.
pub(super) fn relocate(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    mut best: Balanced,
    rounds: usize,
) -> Balanced {
    let k = best.centers.len();
    if k < 4 || params.restarts < 2 {
        return best;
    }
    for _ in 0..rounds {
        let cents = centroids(points, weights, &best.labels, &best.centers);
        let moves = candidate_moves(points, weights, &best.labels, &cents);
        let trials: Vec<Balanced> = moves
            .par_iter()
            .map(|&(a, b)| {
                let mut centers = cents.clone();
                let (u, v) = split_pair(points, weights, &best.labels, b, cents[b]);
                centers[b] = u;
                centers[a] = v;
                let start = Start::Warm(centers, best.power.clone());
                balance_once(points, weights, params, &start)
            })
            .collect();
        match trials
            .into_iter()
            .reduce(|b, run| if better(&run, &b) { run } else { b })
        {
            Some(run) if better(&run, &best) => best = run,
            _ => break,
        }
    }
    best
}

/// The moves `(a, b)` of one round: each of the two catchments cheapest to remove (their
/// households handed to their next-nearest centroids) splits each of the two most
/// spread-out ones, `cents` being the catchments' centroids.
fn candidate_moves(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    cents: &[[f64; 2]],
) -> Vec<(usize, usize)> {
    let k = cents.len();
    let index = PowerIndex::new(cents, &vec![0.0; k]);
    let mut spread = vec![0.0f64; k];
    let mut removal = vec![0.0f64; k];
    let mut buf = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let l = labels[i] as usize;
        let w = f64::from(weights[i]);
        let own = dist2(*p, cents[l]);
        spread[l] += w * own;
        index.nearest(*p, 2, &mut buf);
        let other = buf
            .iter()
            .map(|&j| j as usize)
            .find(|&j| j != l)
            .unwrap_or(l);
        removal[l] += w * (dist2(*p, cents[other]) - own);
    }
    let mut donors: Vec<usize> = (0..k).collect();
    donors.sort_by(|&a, &b| removal[a].total_cmp(&removal[b]).then(a.cmp(&b)));
    let mut takers: Vec<usize> = (0..k).collect();
    takers.sort_by(|&a, &b| spread[b].total_cmp(&spread[a]).then(a.cmp(&b)));
    donors
        .iter()
        .take(2)
        .flat_map(|&a| takers.iter().take(2).map(move |&b| (a, b)))
        .filter(|&(a, b)| a != b)
        .collect()
}

/// Two points splitting catchment `b` along its principal axis, ±0.6 standard deviations
/// from its centroid `c`.
pub(super) fn split_pair(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    b: usize,
    c: [f64; 2],
) -> ([f64; 2], [f64; 2]) {
    let (mut sxx, mut sxy, mut syy, mut sw) = (0.0, 0.0, 0.0, 0.0);
    for ((p, &w), &l) in points.iter().zip(weights).zip(labels) {
        if l as usize == b {
            let w = f64::from(w);
            let (dx, dy) = (p[0] - c[0], p[1] - c[1]);
            sxx += w * dx * dx;
            sxy += w * dx * dy;
            syy += w * dy * dy;
            sw += w;
        }
    }
    let sw = sw.max(1.0);
    let (sxx, sxy, syy) = (sxx / sw, sxy / sw, syy / sw);
    let half = (sxx + syy) / 2.0;
    let lambda = half + (half * half - (sxx * syy - sxy * sxy)).max(0.0).sqrt();
    let (vx, vy) = if sxy.abs() > 1e-12 {
        (lambda - syy, sxy)
    } else if sxx >= syy {
        (1.0, 0.0)
    } else {
        (0.0, 1.0)
    };
    let norm = vx.hypot(vy).max(1e-12);
    let off = 0.6 * lambda.max(0.0).sqrt();
    (
        [c[0] + off * vx / norm, c[1] + off * vy / norm],
        [c[0] - off * vx / norm, c[1] - off * vy / norm],
    )
}
