//! Nearest-center queries under power distance: a k-d tree over centers lifted to 3-D.
//!
//! The power distance of `x` to center `c_j` with weight `w_j` is `‖x − c_j‖² − w_j`.
//! Lifting every center to `(c_j, √(M − w_j))`, `M` the largest weight, turns it into the
//! squared Euclidean distance from `(x, 0)` minus `M`, so a plain 3-D k-d tree answers
//! power-nearest queries ([`PowerIndex`]). With all weights 0 it is an ordinary
//! nearest-point index ([`PlaceIndex`]).

use std::num::NonZero;

use kiddo::{ImmutableKdTree, SquaredEuclidean};

/// The centers lifted to 3-D, `(c_j, √(M − w_j))` with `M` the largest weight (returned
/// too): the squared distance from `(x, 0)` to a lifted center is its power distance
/// from `x` plus `M`.
pub(crate) fn lift(centers: &[[f64; 2]], power: &[f64]) -> (Vec<[f64; 3]>, f64) {
    let top = power.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lifted = centers
        .iter()
        .zip(power)
        .map(|(c, &w)| [c[0], c[1], (top - w).max(0.0).sqrt()])
        .collect();
    (lifted, top)
}

/// Power-distance search structure over a set of weighted centers.
pub(crate) struct PowerIndex {
    tree: Option<ImmutableKdTree<f64, 3>>,
    lifted: Vec<[f64; 3]>,
}

impl PowerIndex {
    /// An index over `centers` with power weights `power`.
    pub(crate) fn new(centers: &[[f64; 2]], power: &[f64]) -> Self {
        let (lifted, _) = lift(centers, power);
        let tree = if lifted.len() > 16 {
            ImmutableKdTree::new_from_slice(&lifted).ok()
        } else {
            None
        };
        PowerIndex { tree, lifted }
    }

    /// The power-nearest center of `p`.
    pub(crate) fn nearest_one(&self, p: [f64; 2], buf: &mut Vec<u32>) -> u32 {
        match &self.tree {
            Some(tree) => {
                let q = [p[0], p[1], 0.0];
                let found = tree
                    .query(&q)
                    .nearest_one::<SquaredEuclidean<f64>>()
                    .execute();
                found.item
            }
            None => {
                self.nearest(p, 1, buf);
                buf[0]
            }
        }
    }

    /// The `m` power-nearest centers of `p`, nearest first (ties by index).
    pub(crate) fn nearest(&self, p: [f64; 2], m: usize, out: &mut Vec<u32>) {
        out.clear();
        let q = [p[0], p[1], 0.0];
        match (&self.tree, NonZero::new(m)) {
            (Some(tree), Some(m)) => {
                let found = tree
                    .query(&q)
                    .nearest_n::<SquaredEuclidean<f64>>(m)
                    .execute();
                out.extend(found.iter().map(|r| r.item));
            }
            _ => {
                let mut all: Vec<(f64, u32)> = self
                    .lifted
                    .iter()
                    .enumerate()
                    .map(|(j, c)| {
                        let d = (c[0] - q[0]).powi(2) + (c[1] - q[1]).powi(2) + c[2] * c[2];
                        (d, j as u32)
                    })
                    .collect();
                all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                out.extend(all.iter().take(m).map(|&(_, j)| j));
            }
        }
    }
}

/// Nearest-point queries over a fixed set of planar points (a k-d tree), for callers
/// outside the balancing such as the data generator.
#[cfg(feature = "synth")]
pub(crate) struct PlaceIndex {
    index: PowerIndex,
}

#[cfg(feature = "synth")]
impl PlaceIndex {
    /// An index over `points`.
    pub(crate) fn new(points: &[[f64; 2]]) -> Self {
        PlaceIndex {
            index: PowerIndex::new(points, &vec![0.0; points.len()]),
        }
    }

    /// The index of the point nearest `p`.
    pub(crate) fn nearest(&self, p: [f64; 2]) -> usize {
        self.index.nearest_one(p, &mut Vec::new()) as usize
    }
}
