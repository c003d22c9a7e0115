//! Starting points for balanced k-means.
//!
//! Two kinds of start are used, alternating across restarts: a balanced k-d split and
//! k-means++ seeding.
//!
//! The k-d split is like an R-tree bulk load.
//!
//! The plane is rotated by a seeded angle, then split recursively along the longer side at
//! the weighted quantile that gives each half households in proportion to the number of
//! catchments it will hold. Every part ends with close to W/k households, so the first
//! centroids are already spread like the population.
//!
//! k-means++ seeding is then settled by a few plain k-means steps and a few greedy
//! balanced ones ([`seeded`]), so that the first exact assignment does not have to move
//! households across the region.

use super::moments::centroids;
use crate::geometry::{bbox, dist2};
use crate::spatial::PowerIndex;

/// Plain k-means steps after k-means++ seeding.
const PLAIN_STEPS: usize = 4;

/// Greedy balanced steps after the plain ones.
const GREEDY_STEPS: usize = 4;

/// Labels each point with a part in `0..k`, parts numbered left to right in split order.
pub(super) fn kd_partition(points: &[[f64; 2]], weights: &[u32], k: usize, angle: f64) -> Vec<u32> {
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

/// Labels the points `idx` (of `pts`) with parts `first..first + k`: cut in two along the
/// longer side of their bounding box, each half in proportion to the parts it will hold,
/// and recursively so.
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
    let b = bbox(idx.iter().map(|&i| pts[i as usize]))
        .expect("invariant: a split has at least two points");
    let axis = usize::from(b[3] - b[1] > b[2] - b[0]);
    let k_left = k / 2;
    let cut = cut_position(pts, weights, idx, k, axis);
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

/// Orders `idx` along `axis` far enough that its first points, up to the returned
/// position, hold the share `⌊k/2⌋ / k` of the households.
fn cut_position(
    pts: &[[f64; 2]],
    weights: &[u32],
    idx: &mut [u32],
    k: usize,
    axis: usize,
) -> usize {
    let by_axis = |a: &u32, b: &u32| {
        pts[*a as usize][axis]
            .total_cmp(&pts[*b as usize][axis])
            .then(a.cmp(b))
    };
    let k_left = k / 2;
    let first_w = weights[idx[0] as usize];
    if idx.iter().all(|&i| weights[i as usize] == first_w) {
        // Equal weights: the cut is a count, found by selection in linear time.
        let cut = (idx.len() * k_left + k / 2) / k;
        let cut = cut.clamp(1, idx.len() - 1);
        idx.select_nth_unstable_by(cut, by_axis);
        cut
    } else {
        idx.sort_unstable_by(by_axis);
        weighted_cut(weights, idx, k_left, k)
    }
}

/// The position in `idx` (sorted along the axis) that gives the first part the share
/// `k_left / k` of the weight most closely.
fn weighted_cut(weights: &[u32], idx: &[u32], k_left: usize, k: usize) -> usize {
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
    cut
}

/// Weighted k-means++ seeding (Arthur & Vassilvitskii 2007) on a sample of at most
/// `40·k + 1000` points, so the cost stays `O(k²)` rather than `O(n·k)`.
pub(super) fn plus_plus(
    points: &[[f64; 2]],
    weights: &[u32],
    k: usize,
    seed: u64,
) -> Vec<[f64; 2]> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let n = points.len();
    let m = n.min(40 * k + 1000);
    let sample: Vec<usize> = if m == n {
        (0..n).collect()
    } else {
        (0..m)
            .map(|_| (rng.random::<f64>() * n as f64) as usize % n)
            .collect()
    };
    let w: Vec<f64> = sample.iter().map(|&i| f64::from(weights[i])).collect();
    // The weighted squared distance of each sampled point to its nearest center so far,
    // and their sum, summed in index order (the draw depends on it bit for bit).
    let mut mass = w.clone();
    let mut total: f64 = mass.iter().sum();
    let pick = |rng: &mut rand_chacha::ChaCha8Rng, mass: &[f64], total: f64| -> usize {
        if total <= 0.0 {
            return (rng.random::<f64>() * mass.len() as f64) as usize % mass.len();
        }
        let mut t = rng.random::<f64>() * total;
        for (i, &x) in mass.iter().enumerate() {
            if t < x {
                return i;
            }
            t -= x;
        }
        mass.len() - 1
    };
    let mut centers = Vec::with_capacity(k);
    let first = pick(&mut rng, &mass, total);
    centers.push(points[sample[first]]);
    let mut d2 = vec![f64::INFINITY; m];
    while centers.len() < k {
        let c = *centers.last().expect("invariant: one center chosen");
        // One pass: the new center's distances, the masses and their sum.
        total = 0.0;
        for (s, &i) in sample.iter().enumerate() {
            d2[s] = d2[s].min(dist2(points[i], c));
            mass[s] = d2[s] * w[s];
            total += mass[s];
        }
        centers.push(points[sample[pick(&mut rng, &mass, total)]]);
    }
    centers
}

/// Catchments from which the k-means++ seeds are drawn block by block
/// ([`plus_plus_blocked`]).
const BLOCKED_FROM: usize = 1_000;
/// Seeds per block of [`plus_plus_blocked`].
const SEEDS_PER_BLOCK: usize = 32;

/// k-means++ seeds drawn block by block: a balanced k-d split cuts the points into blocks
/// of equal households (about [`SEEDS_PER_BLOCK`] catchments' worth each, the cut rotated
/// by an angle drawn from `seed`), and each block gets its share of the `k` seeds, drawn
/// by [`plus_plus`] among its own points.
///
/// Drawn over the whole region, k-means++ puts seeds where households are spread out,
/// too few for the dense quarters; with thousands of catchments the first
/// size-constrained assignment then pushed households one at a time across whole cities
/// (measured on a 200 k-household region at 50 per catchment: 4 s for that one step, 80 %
/// of the search). Within blocks of equal households the seeds match the households
/// region by region, and drawing costs `O(n · SEEDS_PER_BLOCK)` instead of `O(k²)`.
fn plus_plus_blocked(points: &[[f64; 2]], weights: &[u32], k: usize, seed: u64) -> Vec<[f64; 2]> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let blocks = (k / SEEDS_PER_BLOCK).max(1);
    let angle = rng.random::<f64>() * std::f64::consts::PI;
    let labels = kd_partition(points, weights, blocks, angle);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); blocks];
    for (i, &l) in labels.iter().enumerate() {
        members[l as usize].push(i);
    }
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let mut centers = Vec::with_capacity(k);
    let mut before = 0u64;
    for (b, idx) in members.iter().enumerate() {
        let held: u64 = idx.iter().map(|&i| u64::from(weights[i])).sum();
        // Seeds in proportion to households, rounded cumulatively so they add up to `k`.
        let share = |w: u64| {
            ((k as u128 * u128::from(w) + u128::from(total) / 2) / u128::from(total.max(1)))
                as usize
        };
        let kb = (share(before + held) - share(before)).min(idx.len());
        before += held;
        if kb == 0 {
            continue;
        }
        let pts: Vec<[f64; 2]> = idx.iter().map(|&i| points[i]).collect();
        let ws: Vec<u32> = idx.iter().map(|&i| weights[i]).collect();
        let block_seed = seed ^ (b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        centers.extend(plus_plus(&pts, &ws, kb, block_seed));
    }
    // Rounding against small blocks can leave seeds short: the rest from the whole region.
    if centers.len() < k {
        let rest = plus_plus(points, weights, k - centers.len(), seed.wrapping_add(1));
        centers.extend(rest);
    }
    centers
}

/// A k-means++ start (seeded with `seed`) settled by a few plain k-means steps and a few
/// greedy balanced steps (at most `hi` households per center): the first labels and
/// centers of a run.
pub(super) fn seeded(
    points: &[[f64; 2]],
    weights: &[u32],
    k: usize,
    seed: u64,
    hi: u64,
) -> (Vec<u32>, Vec<[f64; 2]>) {
    let mut centers = if k >= BLOCKED_FROM {
        plus_plus_blocked(points, weights, k, seed)
    } else {
        plus_plus(points, weights, k, seed)
    };
    // A few plain k-means steps (no size bounds) first pull the seeds into the dense
    // places, so the first size-constrained assignment moves far fewer households.
    let mut buf = Vec::new();
    let mut labels = vec![0u32; points.len()];
    for _ in 0..PLAIN_STEPS {
        let index = PowerIndex::new(&centers, &vec![0.0; k]);
        for (l, p) in labels.iter_mut().zip(points) {
            *l = index.nearest_one(*p, &mut buf);
        }
        centers = centroids(points, weights, &labels, &centers);
    }
    // Then a few greedy balanced steps (capacity-respecting nearest assignments): k-means
    // centers sit too densely where households are sparse, and starting the exact
    // assignment from them would move households across the region.
    for _ in 0..GREEDY_STEPS {
        labels = greedy_labels(points, weights, &centers, hi);
        centers = centroids(points, weights, &labels, &centers);
    }
    (labels, centers)
}

/// Labels each point with one of `centers` so that no center takes more than `cap`
/// households, greedily: candidate pairs (a point and one of its `m` nearest centers) in
/// order of distance, then leftover points to the nearest center with room. Not optimal,
/// but balanced and compact enough to start from, at the cost of a sort.
pub(super) fn greedy_labels(
    points: &[[f64; 2]],
    weights: &[u32],
    centers: &[[f64; 2]],
    cap: u64,
) -> Vec<u32> {
    let k = centers.len();
    let m = 7.min(k);
    let index = PowerIndex::new(centers, &vec![0.0; k]);
    let mut pairs: Vec<(f64, u32, u32)> = Vec::with_capacity(points.len() * m);
    let mut buf = Vec::new();
    for (i, p) in points.iter().enumerate() {
        index.nearest(*p, m, &mut buf);
        pairs.extend(
            buf.iter()
                .map(|&j| (dist2(*p, centers[j as usize]), i as u32, j)),
        );
    }
    pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut room = vec![cap; k];
    let mut labels = vec![u32::MAX; points.len()];
    for &(_, i, j) in &pairs {
        let w = u64::from(weights[i as usize]);
        if labels[i as usize] == u32::MAX && room[j as usize] >= w {
            labels[i as usize] = j;
            room[j as usize] -= w;
        }
    }
    for (i, p) in points.iter().enumerate() {
        if labels[i] != u32::MAX {
            continue;
        }
        let w = u64::from(weights[i]);
        // The nearest center with room; the fullest one if none has room for all of `w`.
        let j = (0..k)
            .filter(|&j| room[j] >= w)
            .min_by(|&a, &b| dist2(*p, centers[a]).total_cmp(&dist2(*p, centers[b])))
            .unwrap_or_else(|| {
                (0..k)
                    .max_by_key(|&j| (room[j], std::cmp::Reverse(j)))
                    .unwrap_or(0)
            });
        labels[i] = j as u32;
        room[j] = room[j].saturating_sub(w);
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dense town of 6,000 points within 1 km and 2,000 spread over 40 km.
    fn town_and_country() -> Vec<[f64; 2]> {
        let mut pts: Vec<[f64; 2]> = (0..6_000)
            .map(|i| [f64::from(i % 80) * 12.0, f64::from(i / 80) * 12.0])
            .collect();
        pts.extend((0..2_000).map(|i| {
            [
                5_000.0 + f64::from(i % 40) * 900.0,
                f64::from(i / 40) * 800.0,
            ]
        }));
        pts
    }

    #[test]
    fn blocked_seeds_follow_the_households() {
        let pts = town_and_country();
        let w = vec![1u32; pts.len()];
        let k = 1_000;
        let in_town = |c: &[[f64; 2]]| c.iter().filter(|p| p[0] < 1_000.0).count();
        let blocked = plus_plus_blocked(&pts, &w, k, 7);
        assert_eq!(blocked.len(), k);
        // Three quarters of the households, three quarters of the seeds (within a block's
        // worth for the block that straddles the edge of the town).
        let town = in_town(&blocked);
        assert!(
            (750 - SEEDS_PER_BLOCK..=750 + SEEDS_PER_BLOCK).contains(&town),
            "{town}"
        );
        // Drawn over the whole region, k-means++ leaves the town far fewer.
        let plain = in_town(&plus_plus(&pts, &w, k, 7));
        assert!(plain + 100 < town, "plain {plain}, blocked {town}");
        // The same seed, the same seeds.
        assert_eq!(blocked, plus_plus_blocked(&pts, &w, k, 7));
    }

    #[test]
    fn greedy_labels_respect_the_cap_and_prefer_near_centers() {
        // Two clusters of 60 and 20 points, two centers in the big one: the cap of 40
        // sends 20 points of the big cluster to the far center.
        let mut pts: Vec<[f64; 2]> = (0..60)
            .map(|i| [f64::from(i % 10), f64::from(i / 10)])
            .collect();
        pts.extend((0..20).map(|i| [1000.0 + f64::from(i % 5), f64::from(i / 5)]));
        let w = vec![1u32; pts.len()];
        let centers = [[2.0, 2.0], [7.0, 3.0], [1002.0, 2.0]];
        let labels = greedy_labels(&pts, &w, &centers, 40);
        let mut sizes = [0u32; 3];
        for &l in &labels {
            sizes[l as usize] += 1;
        }
        assert!(sizes.iter().all(|&s| s <= 40), "{sizes:?}");
        assert_eq!(sizes.iter().sum::<u32>(), 80);
        // The far cluster keeps its own center.
        assert!(labels[60..].iter().all(|&l| l == 2));
    }

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
