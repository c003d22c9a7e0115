//! Initial partition: a balanced k-d split of the region (like an R-tree bulk load).
//!
//! The plane is rotated by a seeded angle, then split recursively along the longer side at
//! the weighted quantile that gives each half households in proportion to the number of
//! catchments it will hold. Every part ends with close to W/k households, so the first
//! centroids are already spread like the population.

/// Labels each point with a part in `0..k`, parts numbered left to right in split order.
pub(crate) fn kd_partition(points: &[[f64; 2]], weights: &[u32], k: usize, angle: f64) -> Vec<u32> {
    let (sin, cos) = angle.sin_cos();
    let rotated: Vec<[f64; 2]> = points
        .iter()
        .map(|&[x, y]| [x * cos + y * sin, -x * sin + y * cos])
        .collect();
    let mut labels = vec![0u32; points.len()];
    let mut order: Vec<u32> = (0..points.len() as u32).collect();
    split(&rotated, weights, &mut order, k, 0, &mut labels);
    labels
}

fn split(
    pts: &[[f64; 2]],
    weights: &[u32],
    idx: &mut [u32],
    k: usize,
    first: u32,
    labels: &mut [u32],
) {
    if k <= 1 || idx.len() <= 1 {
        for &i in idx.iter() {
            labels[i as usize] = first;
        }
        return;
    }
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for &i in idx.iter() {
        let p = pts[i as usize];
        for a in 0..2 {
            lo[a] = lo[a].min(p[a]);
            hi[a] = hi[a].max(p[a]);
        }
    }
    let axis = usize::from(hi[1] - lo[1] > hi[0] - lo[0]);
    idx.sort_unstable_by(|&a, &b| {
        pts[a as usize][axis]
            .total_cmp(&pts[b as usize][axis])
            .then(a.cmp(&b))
    });
    let k_left = k / 2;
    let total: u64 = idx.iter().map(|&i| u64::from(weights[i as usize])).sum();
    let want = total as f64 * k_left as f64 / k as f64;
    let mut acc = 0u64;
    let mut cut = 0;
    for (pos, &i) in idx.iter().enumerate() {
        let w = u64::from(weights[i as usize]);
        // Take the point if that brings the left side closer to its share.
        if (acc as f64 + w as f64 - want).abs() <= (acc as f64 - want).abs() || pos == 0 {
            acc += w;
            cut = pos + 1;
        } else {
            break;
        }
    }
    let cut = cut.clamp(1, idx.len() - 1);
    let (left, right) = idx.split_at_mut(cut);
    split(pts, weights, left, k_left, first, labels);
    split(
        pts,
        weights,
        right,
        k - k_left,
        first + k_left as u32,
        labels,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_balanced() {
        let pts: Vec<[f64; 2]> = (0..1000)
            .map(|i| [f64::from(i % 37) * 3.1, f64::from(i / 37) * 1.7])
            .collect();
        let w = vec![1u32; pts.len()];
        let labels = kd_partition(&pts, &w, 7, 0.3);
        let mut sizes = [0u32; 7];
        for l in labels {
            sizes[l as usize] += 1;
        }
        assert!(sizes.iter().all(|&s| (142..=144).contains(&s)), "{sizes:?}");
    }
}
