//! Coarsening: nearby points merged into groups of equal size for the search phase.
//!
//! A balanced k-d split (as for the starts, see `init`) cuts the points into groups of
//! about `g` households each; every group becomes one weighted point at its centroid.
//! Because the squared-distance objective of a partition that keeps every group whole
//! equals the coarse objective (times `g`) plus a constant (the groups' own spread),
//! searching the coarse problem searches the fine one over those partitions, at a fraction
//! of the cost; the fine problem is then refined from the coarse solution. Groups of
//! nearly equal size keep the coarse size bounds meaningful.

use super::init::kd_partition;
use super::moments::weighted_sums;

/// Groups of points, each a weighted point of the coarse problem.
#[derive(Debug, Clone)]
pub(crate) struct Coarse {
    /// Weighted centroid of each group.
    pub points: Vec<[f64; 2]>,
    /// Households in each group.
    pub weights: Vec<u32>,
}

/// Splits `points` into about `total / g` groups of close to `g` households.
pub(crate) fn coarsen(points: &[[f64; 2]], weights: &[u32], g: u64) -> Coarse {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let groups = usize::try_from(total / g.max(1))
        .unwrap_or(usize::MAX)
        .clamp(1, points.len());
    let labels = kd_partition(points, weights, groups, 0.0);
    let sum = weighted_sums(points, weights, &labels, groups);
    let kept = sum.iter().filter(|s| s[2] > 0.0);
    Coarse {
        points: kept.clone().map(|s| [s[0] / s[2], s[1] / s[2]]).collect(),
        weights: kept.map(|s| s[2] as u32).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_about_equal() {
        let points: Vec<[f64; 2]> = (0..1000)
            .map(|i| [f64::from(i % 37) * 10.0, f64::from(i / 37) * 7.0])
            .collect();
        let weights = vec![1u32; 1000];
        let c = coarsen(&points, &weights, 10);
        assert_eq!(c.points.len(), 100);
        assert!(c.weights.iter().all(|&w| w == 10));
    }
}
