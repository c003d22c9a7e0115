//! Weighted sums per catchment and what follows from them: centroids, the squared-distance
//! objective and the mean distance to the centroids.

use crate::geometry::dist2;

/// Per label in `0..k`: the weighted sums of x and y, and the total weight.
pub(super) fn weighted_sums(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    k: usize,
) -> Vec<[f64; 3]> {
    let mut sum = vec![[0.0f64; 3]; k];
    for ((p, &w), &l) in points.iter().zip(weights).zip(labels) {
        let s = &mut sum[l as usize];
        let w = f64::from(w);
        s[0] += w * p[0];
        s[1] += w * p[1];
        s[2] += w;
    }
    sum
}

/// Weighted centroids; an empty catchment keeps its previous center.
pub(super) fn centroids(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    previous: &[[f64; 2]],
) -> Vec<[f64; 2]> {
    weighted_sums(points, weights, labels, previous.len())
        .iter()
        .zip(previous)
        .map(|(s, prev)| {
            if s[2] > 0.0 {
                [s[0] / s[2], s[1] / s[2]]
            } else {
                *prev
            }
        })
        .collect()
}

/// Weighted sum of squared distances of the points to their catchments' `centers`.
pub(super) fn sse(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    centers: &[[f64; 2]],
) -> f64 {
    points
        .iter()
        .zip(weights)
        .zip(labels)
        .map(|((p, &w), &l)| f64::from(w) * dist2(*p, centers[l as usize]))
        .sum()
}

/// Weighted mean distance of the points to their catchments' centroids.
pub(super) fn mean_distance(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    centers: &[[f64; 2]],
) -> f64 {
    let cents = centroids(points, weights, labels, centers);
    let (mut sum, mut total) = (0.0, 0.0);
    for ((p, &w), &l) in points.iter().zip(weights).zip(labels) {
        sum += f64::from(w) * dist2(*p, cents[l as usize]).sqrt();
        total += f64::from(w);
    }
    sum / total.max(1.0)
}
