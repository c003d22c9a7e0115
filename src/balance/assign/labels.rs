//! Power-nearest labels: every household labelled with the center minimising its power
//! distance, found by k-d tree queries or by walks along the power cells' neighbours, and
//! the exact check that labels are power-nearest among all centers.

use rayon::prelude::*;

use super::adjacency::{Adjacency, power_adjacency};
use super::problem::{NONE, Problem};
use crate::geometry::dist2;
use crate::spatial::PowerIndex;

/// The center reached from `start` by moving to the power-nearest of the current
/// center's neighbours (`nbrs`) while one is nearer for `p` (ties to the lower index).
pub(super) fn walk(
    p: [f64; 2],
    start: u32,
    nbrs: &[Vec<u32>],
    centers: &[[f64; 2]],
    power: &[f64],
) -> u32 {
    let pd = |j: u32| dist2(p, centers[j as usize]) - power[j as usize];
    let mut best = start;
    let mut bd = pd(best);
    loop {
        let cur = best;
        for &b in &nbrs[cur as usize] {
            let d = pd(b);
            if d < bd || (d == bd && b < best) {
                best = b;
                bd = d;
            }
        }
        if best == cur {
            return best;
        }
    }
}

/// The `m` power-nearest centers of every household, nearest first (row `i` = household
/// `i`).
pub(super) fn nearest_centers(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &[f64],
    m: usize,
) -> Vec<u32> {
    let index = PowerIndex::new(centers, power);
    let mut cand = vec![0u32; prob.points.len() * m];
    cand.par_chunks_mut(m)
        .zip(prob.points.par_iter())
        .for_each_init(Vec::new, |buf, (slot, p)| {
            index.nearest(*p, m, buf);
            slot.copy_from_slice(&buf[..m]);
        });
    cand
}

/// The power cells' neighbours for these centers and weights, each cell inside the
/// bounding box of its center and households (by `labels`), widened by a tenth of its
/// size (and twice the slack) so that the households of a neighbour that move in on the
/// next assignment are mostly still inside.
pub(super) fn adjacency_around(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &[f64],
    labels: &[u32],
) -> Adjacency {
    let mut boxes: Vec<[f64; 4]> = centers.iter().map(|c| [c[0], c[1], c[0], c[1]]).collect();
    for (p, &l) in prob.points.iter().zip(labels) {
        let b = &mut boxes[l as usize];
        *b = [
            b[0].min(p[0]),
            b[1].min(p[1]),
            b[2].max(p[0]),
            b[3].max(p[1]),
        ];
    }
    for b in &mut boxes {
        let m = 0.1 * (b[2] - b[0]).max(b[3] - b[1]) + 2.0 * prob.slack;
        *b = [b[0] - m, b[1] - m, b[2] + m, b[3] + m];
    }
    power_adjacency(centers, power, boxes, prob.slack)
}

/// Labels become the power-nearest centers, by a k-d tree query each.
pub(super) fn queried_labels(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &[f64],
    labels: &mut Vec<u32>,
) {
    let index = PowerIndex::new(centers, power);
    labels.clear();
    labels.resize(prob.points.len(), 0);
    labels
        .par_iter_mut()
        .zip(prob.points.par_iter())
        .for_each_init(Vec::new, |buf, (l, p)| *l = index.nearest_one(*p, buf));
}

/// Labels become the power-nearest centers: walked from each household's current label to
/// a power-nearer neighbour while there is one (see [`power_adjacency`]).
pub(super) fn nearest_labels(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &[f64],
    labels: &mut [u32],
    adj: &Adjacency,
) {
    labels
        .par_iter_mut()
        .zip(prob.points.par_iter())
        .for_each(|(l, p)| {
            let best = walk(*p, *l, &adj.nbrs, centers, power);
            // The walk's answer is exact for a household inside the last cell's box; the
            // k-d tree answers below for the others.
            let b = best as usize;
            *l = if !adj.empty[b] && adj.in_box(b, *p) {
                best
            } else {
                NONE
            };
        });
    if labels.contains(&NONE) {
        let index = PowerIndex::new(centers, power);
        let mut buf = Vec::new();
        for (l, p) in labels.iter_mut().zip(prob.points) {
            if *l == NONE {
                *l = index.nearest_one(*p, &mut buf);
            }
        }
    }
}

/// True when every household's label is (within `eps`) its power-nearest center among all:
/// no neighbour of its cell is nearer (see [`power_adjacency`]), or, with few households
/// per catchment, none is nearer than the k-d tree's nearest.
pub(super) fn exact_check(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &[f64],
    labels: &[u32],
) -> bool {
    let pd = |p: [f64; 2], j: usize| dist2(p, centers[j]) - power[j];
    if !prob.by_cells {
        let index = PowerIndex::new(centers, power);
        return prob
            .points
            .par_iter()
            .zip(labels.par_iter())
            .map_init(Vec::new, |buf, (p, &l)| {
                let best = index.nearest_one(*p, buf) as usize;
                pd(*p, l as usize) <= pd(*p, best) + prob.eps
            })
            .all(|ok| ok);
    }
    let adj = adjacency_around(prob, centers, power, labels);
    prob.points
        .par_iter()
        .zip(labels.par_iter())
        .all(|(p, &l)| {
            let l = l as usize;
            let own = pd(*p, l);
            !adj.empty[l]
                && adj.nbrs[l]
                    .iter()
                    .all(|&j| own <= pd(*p, j as usize) + prob.eps)
        })
}
