//! Oracle tests: the size-constrained assignment against exhaustive search.

use siting::balance::constrained_assignment;

fn cost(points: &[[f64; 2]], centers: &[[f64; 2]], labels: &[u32]) -> f64 {
    points
        .iter()
        .zip(labels)
        .map(|(p, &l)| {
            let c = centers[l as usize];
            (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2)
        })
        .sum()
}

fn brute(points: &[[f64; 2]], centers: &[[f64; 2]], lo: u64, hi: u64) -> f64 {
    let n = points.len();
    let k = centers.len();
    let mut best = f64::INFINITY;
    let mut labels = vec![0u32; n];
    let total = (k as u64).pow(n as u32);
    for code in 0..total {
        let mut c = code;
        let mut sizes = vec![0u64; k];
        for l in labels.iter_mut() {
            *l = (c % k as u64) as u32;
            sizes[*l as usize] += 1;
            c /= k as u64;
        }
        if sizes.iter().all(|&s| s >= lo && s <= hi) {
            best = best.min(cost(points, centers, &labels));
        }
    }
    best
}

#[test]
fn matches_exhaustive_search() {
    let mut state = 12345u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64) / ((1u64 << 53) as f64)
    };
    for case in 0usize..60 {
        let n = 6 + case % 5;
        let k = 2 + case % 2;
        let points: Vec<[f64; 2]> = (0..n).map(|_| [next() * 100.0, next() * 60.0]).collect();
        let centers: Vec<[f64; 2]> = (0..k).map(|_| [next() * 100.0, next() * 60.0]).collect();
        let lo = (n / k) as u64 - u64::from(case % 3 == 0);
        let hi = n.div_ceil(k) as u64 + u64::from(case % 4 == 0);
        let (labels, power, ok) = constrained_assignment(&points, &vec![1; n], &centers, lo, hi);
        assert!(ok, "case {case}");
        let ours = cost(&points, &centers, &labels);
        let exact = brute(&points, &centers, lo, hi);
        assert!(
            ours <= exact + 1e-6,
            "case {case}: {ours} vs optimum {exact}"
        );
        // And it is a power diagram: each point is power-nearest to its center.
        for (p, &l) in points.iter().zip(&labels) {
            let pd = |j: usize| {
                (p[0] - centers[j][0]).powi(2) + (p[1] - centers[j][1]).powi(2) - power[j]
            };
            let own = pd(l as usize);
            assert!(
                (0..k).all(|j| own <= pd(j) + 1e-6),
                "case {case}: not a power diagram"
            );
        }
    }
}
