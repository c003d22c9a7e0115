//! Nearest-center queries under power distance: a k-d tree over centers lifted to 3-D.
//!
//! The power distance of `x` to center `c_j` with weight `w_j` is `‖x − c_j‖² − w_j`.
//! Lifting every center to `(c_j, √(M − w_j))`, `M` the largest weight, turns it into the
//! squared Euclidean distance from `(x, 0)` minus `M`, so a plain 3-D k-d tree answers
//! power-nearest queries ([`PowerIndex`]). With all weights 0 it is an ordinary
//! nearest-point index ([`PlaceIndex`]). The travel objective's additive distance
//! `‖x − c_j‖ − y_j` has no such lift; an R-tree over `(c_j, y_j)` answers which centers
//! come within a bound of a point ([`AdditiveIndex`]).

use std::num::NonZero;

use kiddo::{ImmutableKdTree, SquaredEuclidean};
use rstar::primitives::GeomWithData;
use rstar::{AABB, RTree, SelectionFunction};

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

/// Additive-distance queries over centers with prices: an R-tree over `(c_j, y_j)`.
pub(crate) struct AdditiveIndex {
    tree: RTree<GeomWithData<[f64; 3], u32>>,
}

impl AdditiveIndex {
    /// An index over `centers` with prices `prices`.
    pub(crate) fn new(centers: &[[f64; 2]], prices: &[f64]) -> Self {
        let items = centers
            .iter()
            .zip(prices)
            .enumerate()
            .map(|(j, (c, &y))| GeomWithData::new([c[0], c[1], y], j as u32))
            .collect();
        AdditiveIndex {
            tree: RTree::bulk_load(items),
        }
    }

    /// Every center `j` with `‖p − c_j‖ − y_j < bound`, in no particular order.
    pub(crate) fn below(&self, p: [f64; 2], bound: f64, out: &mut Vec<u32>) {
        out.clear();
        out.extend(
            self.tree
                .locate_with_selection_function(Below { p, bound })
                .map(|c| c.data),
        );
    }
}

/// The R-tree selection of [`AdditiveIndex::below`]: a box is opened when its nearest
/// point with its largest price could come below the bound.
struct Below {
    p: [f64; 2],
    bound: f64,
}

impl SelectionFunction<GeomWithData<[f64; 3], u32>> for Below {
    fn should_unpack_parent(&self, envelope: &AABB<[f64; 3]>) -> bool {
        let (lo, hi) = (envelope.lower(), envelope.upper());
        let dx = (lo[0] - self.p[0]).max(self.p[0] - hi[0]).max(0.0);
        let dy = (lo[1] - self.p[1]).max(self.p[1] - hi[1]).max(0.0);
        (dx * dx + dy * dy).sqrt() - hi[2] < self.bound
    }

    fn should_unpack_leaf(&self, leaf: &GeomWithData<[f64; 3], u32>) -> bool {
        let c = leaf.geom();
        let (dx, dy) = (c[0] - self.p[0], c[1] - self.p[1]);
        (dx * dx + dy * dy).sqrt() - c[2] < self.bound
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
