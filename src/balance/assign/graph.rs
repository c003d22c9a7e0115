//! The catchment graph: which catchments the households of each catchment may move to,
//! built from the households' power-nearest centers (k-d tree candidates with few
//! households per catchment, the power cells' neighbours with many) and reused between
//! nearby iterations.

use rayon::prelude::*;

use super::adjacency::Adjacency;
use super::labels::{adjacency_around, nearest_centers, nearest_labels, queried_labels};
use super::problem::Problem;
use crate::spatial::PowerIndex;

/// Nearest centers every center is linked to in the catchment graph, besides the
/// neighbours of its power cell.
pub(super) const CANDIDATES: usize = 7;

/// Steps along the power cells' neighbours that the catchment graph links.
pub(super) const RINGS: usize = 1;

/// The catchment graph: for every catchment, the catchments its households may move to
/// (sorted, without itself, symmetric). Built from the households' power-nearest centers
/// and reused between nearby iterations.
#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    pub(super) nbrs: Vec<Vec<u32>>,
    /// `rev[a][t]`: the position of `a` among the neighbours of `nbrs[a][t]`, so that the
    /// arc into `a` from that neighbour can be found.
    pub(super) rev: Vec<Vec<u32>>,
}

impl Graph {
    /// The graph of `m` candidates per household (`cand`, row `i` = household `i`), plus
    /// each center's `m` nearest centers.
    fn from_candidates(
        centers: &[[f64; 2]],
        labels: &[u32],
        cand: &[u32],
        m: usize,
        occupancy: &[u32],
    ) -> Self {
        let mut nbrs: Vec<Vec<u32>> = vec![Vec::new(); centers.len()];
        for (i, &a) in labels.iter().enumerate() {
            for &b in &cand[i * m..(i + 1) * m] {
                join(&mut nbrs, a, b);
            }
        }
        Self::linked(nbrs, centers, occupancy, m)
    }

    /// The graph of the power cells' neighbours up to `rings` steps away (`adj`), plus
    /// each center's `m` nearest centers.
    fn from_adjacency(
        centers: &[[f64; 2]],
        occupancy: &[u32],
        adj: &Adjacency,
        m: usize,
        rings: usize,
    ) -> Self {
        let nbrs: Vec<Vec<u32>> = (0..centers.len())
            .into_par_iter()
            .map(|a| {
                let mut list = adj.nbrs[a].clone();
                let mut frontier = 0;
                for _ in 1..rings {
                    let end = list.len();
                    for t in frontier..end {
                        for &c in &adj.nbrs[list[t] as usize] {
                            if c as usize != a && !list.contains(&c) {
                                list.push(c);
                            }
                        }
                    }
                    frontier = end;
                }
                list
            })
            .collect();
        Self::linked(nbrs, centers, occupancy, m)
    }

    /// The graph of the symmetric lists `nbrs`, with each center also linked to its `m`
    /// nearest centers, so that a catchment whose households are far from the others (a
    /// remote start) is still linked to its neighbours.
    fn linked(mut nbrs: Vec<Vec<u32>>, centers: &[[f64; 2]], occupancy: &[u32], m: usize) -> Self {
        let k = centers.len();
        let plain = PowerIndex::new(centers, &vec![0.0; k]);
        let mut buf = Vec::new();
        for (a, c) in centers.iter().enumerate() {
            plain.nearest(*c, (m + 1).min(k), &mut buf);
            for &b in &buf {
                join(&mut nbrs, a as u32, b);
            }
        }
        link_empty(&mut nbrs, centers, occupancy, &plain);
        nbrs.par_iter_mut().for_each(|v| v.sort_unstable());
        let rev = nbrs
            .iter()
            .enumerate()
            .map(|(a, nb)| {
                nb.iter()
                    .map(|&b| {
                        let back = nbrs[b as usize].binary_search(&(a as u32));
                        back.expect("invariant: the catchment graph is symmetric") as u32
                    })
                    .collect()
            })
            .collect();
        Graph { nbrs, rev }
    }

    /// True before the first exact assignment.
    pub(crate) fn is_empty(&self) -> bool {
        self.nbrs.is_empty()
    }
}

/// The labels that [`link_empty`] links empty catchments by: none with weighted places,
/// where the extra links cost a tightly packed plan its bounds (a p3038-style file, 600
/// catchments of at most 58 households lost its bounds with them).
fn unit_labels<'l>(prob: &Problem<'_>, labels: &'l [u32]) -> &'l [u32] {
    if prob.wmax == 1 { labels } else { &[] }
}

/// Links every catchment without households (by `labels`; none when `labels` is empty)
/// to the nearest center whose catchment has some.
///
/// A catchment's arcs carry its own households, so an empty catchment passes nothing on:
/// one whose nearest centers are all empty too (a cluster of starts in the empty land
/// between villages) could not be reached by any search that would fill it, and the
/// assignment rebuilt ever wider graphs until one reached it (seconds per step on a rural
/// province at 50 households per catchment).
fn link_empty(nbrs: &mut [Vec<u32>], centers: &[[f64; 2]], labels: &[u32], plain: &PowerIndex) {
    let k = centers.len();
    let mut occupied = vec![false; k];
    for &l in labels {
        if let Some(o) = occupied.get_mut(l as usize) {
            *o = true;
        }
    }
    if occupied.iter().all(|&o| o) || !occupied.iter().any(|&o| o) {
        return;
    }
    let mut buf = Vec::new();
    for a in (0..k).filter(|&a| !occupied[a]) {
        let mut m = 8.min(k);
        loop {
            plain.nearest(centers[a], m, &mut buf);
            if let Some(&b) = buf.iter().find(|&&b| occupied[b as usize]) {
                join(nbrs, a as u32, b);
                break;
            }
            if m == k {
                break;
            }
            m = (m * 4).min(k);
        }
    }
}

/// Links `a` and `b` in the neighbour lists (once; lists stay short, tens, so a scan keeps
/// them free of repeats far more cheaply than collecting every pair and sorting them).
fn join(nbrs: &mut [Vec<u32>], a: u32, b: u32) {
    if a != b && !nbrs[a as usize].contains(&b) {
        nbrs[a as usize].push(b);
        nbrs[b as usize].push(a);
    }
}

/// Labels become the power-nearest centers, and the catchment graph joins each center to
/// its `m` nearest centers and to the centers its households may move to: with many
/// households per catchment, the neighbours of its power cell up to `rings` steps away;
/// with few, the `m` power-nearest centers of each of its households (a k-d tree query
/// per household costs less there than the cells).
pub(super) fn candidates(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &[f64],
    labels: &mut Vec<u32>,
    m: usize,
    rings: usize,
) -> Graph {
    if !prob.by_cells {
        let cand = nearest_centers(prob, centers, power, m);
        labels.clear();
        labels.extend(cand.chunks(m).map(|c| c[0]));
        return Graph::from_candidates(centers, labels, &cand, m, unit_labels(prob, labels));
    }
    if labels.len() != prob.points.len() {
        queried_labels(prob, centers, power, labels);
    }
    let adj = adjacency_around(prob, centers, power, labels);
    nearest_labels(prob, centers, power, labels, &adj);
    Graph::from_adjacency(centers, unit_labels(prob, labels), &adj, m, rings)
}

/// The catchment graph of these centers and weights, for the given labels (as
/// [`candidates`], leaving the labels as they are).
pub(crate) fn graph_around(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &[f64],
    labels: &[u32],
) -> Graph {
    let m = CANDIDATES.min(prob.k);
    if !prob.by_cells {
        let cand = nearest_centers(prob, centers, power, m);
        return Graph::from_candidates(centers, labels, &cand, m, unit_labels(prob, labels));
    }
    let adj = adjacency_around(prob, centers, power, labels);
    Graph::from_adjacency(centers, unit_labels(prob, labels), &adj, m, RINGS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_catchments_are_linked_to_one_with_households() {
        // Ten empty centers in a tight cluster 5 km away from ten occupied ones: each
        // empty center's eight nearest are empty too.
        let mut centers: Vec<[f64; 2]> = (0..10).map(|i| [f64::from(i) * 100.0, 0.0]).collect();
        centers.extend((0..10).map(|i| [5_000.0 + f64::from(i) * 10.0, 0.0]));
        let labels: Vec<u32> = (0..10).collect();
        let plain = PowerIndex::new(&centers, &[0.0; 20]);
        let mut nbrs: Vec<Vec<u32>> = vec![Vec::new(); 20];
        link_empty(&mut nbrs, &centers, &labels, &plain);
        for (a, list) in nbrs.iter().enumerate().skip(10) {
            assert_eq!(list, &[9], "empty center {a} links to the nearest occupied");
        }
        // Without labels (weighted places) nothing is linked.
        let mut none: Vec<Vec<u32>> = vec![Vec::new(); 20];
        link_empty(&mut none, &centers, &[], &plain);
        assert!(none.iter().all(Vec::is_empty));
    }
}
