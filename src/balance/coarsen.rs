//! Coarsening: nearby points merged into groups of equal size for the search phase.
//!
//! A balanced k-d split (as for the starts, see `init`) cuts the points into groups of
//! about `g` households each; every group becomes one unit point at its weighted centroid.
//! Because the squared-distance objective of a partition that keeps every group whole
//! equals the coarse objective (times `g`) plus a constant (the groups' own spread),
//! searching the coarse problem searches the fine one over those partitions, at a fraction
//! of the cost; the fine problem is then refined from the coarse solution. Equal group
//! sizes keep the coarse problem one of unit weights, where the assignment is exact.

use super::init::kd_partition;

/// Groups of points, each a unit point of the coarse problem.
#[derive(Debug, Clone)]
pub(crate) struct Coarse {
    /// Weighted centroid of each group.
    pub points: Vec<[f64; 2]>,
    /// Mean households per group.
    pub households_per_group: f64,
}

/// Splits `points` into about `total / g` groups of close to `g` households.
pub(crate) fn coarsen(points: &[[f64; 2]], weights: &[u32], g: u64) -> Coarse {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let groups = usize::try_from(total / g.max(1)).unwrap_or(usize::MAX).clamp(1, points.len());
    let labels = kd_partition(points, weights, groups, 0.0);
    let mut sum = vec![[0.0f64; 3]; groups];
    for ((p, &w), &l) in points.iter().zip(weights).zip(&labels) {
        let s = &mut sum[l as usize];
        let w = f64::from(w);
        s[0] += w * p[0];
        s[1] += w * p[1];
        s[2] += w;
    }
    let points: Vec<[f64; 2]> = sum
        .iter()
        .filter(|s| s[2] > 0.0)
        .map(|s| [s[0] / s[2], s[1] / s[2]])
        .collect();
    let households_per_group = total as f64 / points.len().max(1) as f64;
    Coarse {
        points,
        households_per_group,
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
        assert!((c.households_per_group - 10.0).abs() < 1e-9);
    }
}
