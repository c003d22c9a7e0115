//! The ideal center of a catchment and its travel-distance figures.
//!
//! The ideal center minimises the households' total travel distance: the weighted
//! geometric median, found with Weiszfeld's iteration (with the Vardi–Zhang correction when
//! an iterate lands on a household).

use crate::geometry::dist2;

/// Distance figures of a set of weighted points around a center, in metres.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct DistanceStats {
    /// Weighted mean distance.
    pub mean_m: f64,
    /// Weighted 90th percentile distance (the smallest distance within which at least 90 %
    /// of the households live).
    pub p90_m: f64,
    /// Largest distance.
    pub max_m: f64,
}

/// Weighted geometric median of `points` (planar metres), to within `tol_m` metres.
pub fn geometric_median(points: &[[f64; 2]], weights: &[u32], tol_m: f64) -> [f64; 2] {
    let total: f64 = weights.iter().map(|&w| f64::from(w)).sum();
    if points.is_empty() || total == 0.0 {
        return [0.0, 0.0];
    }
    let mut y = [0.0, 0.0];
    for (p, &w) in points.iter().zip(weights) {
        y[0] += f64::from(w) * p[0] / total;
        y[1] += f64::from(w) * p[1] / total;
    }
    for _ in 0..1000 {
        let (mut nx, mut ny, mut den) = (0.0, 0.0, 0.0);
        let (mut rx, mut ry) = (0.0, 0.0);
        let mut at_point = 0.0;
        for (p, &w) in points.iter().zip(weights) {
            let d = dist2(*p, y).sqrt();
            let w = f64::from(w);
            if d < 1e-9 {
                at_point += w;
                continue;
            }
            nx += w * p[0] / d;
            ny += w * p[1] / d;
            den += w / d;
            rx += w * (p[0] - y[0]) / d;
            ry += w * (p[1] - y[1]) / d;
        }
        if den == 0.0 {
            break;
        }
        let t = [nx / den, ny / den];
        let next = if at_point > 0.0 {
            // Vardi–Zhang: stay put if the pull of the others is weaker than the point mass.
            let r = rx.hypot(ry);
            if r <= at_point {
                break;
            }
            let f = (at_point / r).min(1.0);
            [(1.0 - f) * t[0] + f * y[0], (1.0 - f) * t[1] + f * y[1]]
        } else {
            t
        };
        let step = dist2(next, y).sqrt();
        y = next;
        if step < tol_m {
            break;
        }
    }
    y
}

/// Mean, 90th percentile and maximum distance from weighted points to `center`.
pub fn distance_stats(points: &[[f64; 2]], weights: &[u32], center: [f64; 2]) -> DistanceStats {
    let mut d: Vec<(f64, u32)> = points
        .iter()
        .zip(weights)
        .map(|(p, &w)| (dist2(*p, center).sqrt(), w))
        .collect();
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if total == 0 {
        return DistanceStats::default();
    }
    let mean = d.iter().map(|&(x, w)| x * f64::from(w)).sum::<f64>() / total as f64;
    d.sort_by(|a, b| a.0.total_cmp(&b.0));
    let need = (0.9 * total as f64).ceil() as u64;
    let mut acc = 0u64;
    let mut p90 = 0.0;
    for &(x, w) in &d {
        acc += u64::from(w);
        p90 = x;
        if acc >= need {
            break;
        }
    }
    DistanceStats {
        mean_m: mean,
        p90_m: p90,
        max_m: d.last().map_or(0.0, |x| x.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total_distance(points: &[[f64; 2]], c: [f64; 2]) -> f64 {
        points.iter().map(|p| dist2(*p, c).sqrt()).sum()
    }

    #[test]
    fn median_beats_nearby_points() {
        let pts: Vec<[f64; 2]> = (0..50)
            .map(|i| [f64::from(i * 37 % 101), f64::from(i * 53 % 89)])
            .collect();
        let w = vec![1; pts.len()];
        let m = geometric_median(&pts, &w, 1e-9);
        let best = total_distance(&pts, m);
        for dx in [-0.5, 0.0, 0.5] {
            for dy in [-0.5, 0.0, 0.5] {
                assert!(best <= total_distance(&pts, [m[0] + dx, m[1] + dy]) + 1e-6);
            }
        }
    }

    #[test]
    fn heavy_point_is_the_median() {
        let m = geometric_median(&[[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]], &[10, 1, 1], 1e-9);
        assert!(m[0].abs() < 1e-6 && m[1].abs() < 1e-6, "{m:?}");
    }

    #[test]
    fn stats() {
        let s = distance_stats(&[[3.0, 4.0], [0.0, 1.0]], &[1, 9], [0.0, 0.0]);
        assert!((s.mean_m - 1.4).abs() < 1e-12);
        assert_eq!(s.p90_m, 1.0);
        assert_eq!(s.max_m, 5.0);
    }
}

#[cfg(test)]
mod examples {
    use super::*;

    #[test]
    fn median_stays_with_the_majority() {
        // Three houses on a line and one far away: the median stays with the majority.
        let m = geometric_median(
            &[[0.0, 0.0], [10.0, 0.0], [20.0, 0.0], [1000.0, 0.0]],
            &[1, 1, 1, 1],
            1e-6,
        );
        assert!(m[0] >= 10.0 && m[0] <= 20.0);
    }
}
