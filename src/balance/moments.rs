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

/// The households per catchment of `labels` (`k` catchments).
pub(super) fn sizes(weights: &[u32], labels: &[u32], k: usize) -> Vec<u64> {
    let mut sizes = vec![0u64; k];
    for (&l, &w) in labels.iter().zip(weights) {
        sizes[l as usize] += u64::from(w);
    }
    sizes
}

/// Households of a catchment of `size` above `hi` or below `lo`.
pub(super) fn excess(size: u64, lo: u64, hi: u64) -> u64 {
    size.saturating_sub(hi) + lo.saturating_sub(size)
}

/// Households above `hi` and below `lo`, summed over the catchments of `sizes`.
pub(super) fn total_excess(sizes: &[u64], lo: u64, hi: u64) -> u64 {
    sizes.iter().map(|&s| excess(s, lo, hi)).sum()
}

/// Each catchment's center moved by up to `steps` Weiszfeld steps from `from` towards its
/// geometric median; a catchment whose step moves its center by less than `settle_m2`
/// (squared metres; 0 never settles) stops there, the others go on. A catchment without
/// households keeps its center.
pub(super) fn weiszfeld(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    from: &[[f64; 2]],
    steps: usize,
    settle_m2: f64,
) -> Vec<[f64; 2]> {
    weiszfeld_of(
        points,
        weights,
        labels,
        from,
        steps,
        settle_m2,
        vec![true; from.len()],
    )
}

/// [`weiszfeld`] for the catchments marked in `moving` only; the others keep their center
/// (their households are skipped).
pub(super) fn weiszfeld_of(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    from: &[[f64; 2]],
    steps: usize,
    settle_m2: f64,
    mut moving: Vec<bool>,
) -> Vec<[f64; 2]> {
    let mut c = from.to_vec();
    // Catchments still moving: one that moved less than `settle_m2` in a step keeps its
    // center from then on (its households are skipped).
    let k = from.len();
    for _ in 0..steps {
        let mut acc = vec![[0.0f64; 3]; k];
        for ((p, &w), &l) in points.iter().zip(weights).zip(labels) {
            let l = l as usize;
            if !moving[l] {
                continue;
            }
            // A household within a metre of the center pulls as one a metre away, which
            // keeps the step finite (and the median within a metre of a household on it).
            let d = dist2(*p, c[l]).sqrt().max(1.0);
            let f = f64::from(w) / d;
            acc[l][0] += f * p[0];
            acc[l][1] += f * p[1];
            acc[l][2] += f;
        }
        let mut any = false;
        for ((cj, a), m) in c.iter_mut().zip(&acc).zip(&mut moving) {
            if !*m {
                continue;
            }
            if a[2] > 0.0 {
                let next = [a[0] / a[2], a[1] / a[2]];
                *m = dist2(*cj, next) >= settle_m2;
                *cj = next;
            } else {
                *m = false;
            }
            any |= *m;
        }
        if !any {
            break;
        }
    }
    c
}
