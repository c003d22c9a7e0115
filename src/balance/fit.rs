//! A power diagram fitted to given labels: generators and weights under which every
//! household is power-nearest to its own catchment, found by passive-aggressive perceptron
//! steps (Crammer et al. 2006) in the linear form of the power distance.
//!
//! `‖x − g_j‖² − w_j = ‖x‖² − (u_j·x + c_j)` with `u_j = 2 g_j` and `c_j = w_j − ‖g_j‖²`, so
//! the power-nearest catchment is the one with the largest linear score `u_j·x + c_j`:
//! fitting a power diagram to a partition is multiclass linear separation. Each household
//! whose score falls short of another catchment's (by a small margin) moves the two scores
//! just enough to fix it; when the partition is a power diagram (a re-plan that moved
//! nobody, or moved households across whole borders), the steps find one. Otherwise the
//! steps stop after a few rounds and the households still outside their cells are drawn by
//! the border split.

use crate::spatial::PowerIndex;

/// Rounds over the households at most.
pub(crate) const ROUNDS: usize = 60;

/// Generators and power weights under which as many households as `rounds` over them
/// allow are power-nearest to their label, starting from `centers` and `power`; with the
/// number of households still elsewhere.
pub(crate) fn fit_diagram(
    points: &[[f64; 2]],
    labels: &[u32],
    centers: &[[f64; 2]],
    power: &[f64],
    rounds: usize,
) -> (Vec<[f64; 2]>, Vec<f64>, usize) {
    let k = centers.len();
    let scale = points
        .iter()
        .map(|p| p[0].abs().max(p[1].abs()))
        .fold(1.0f64, f64::max);
    // Scores compare to within this margin (m²): a household this close to a border counts
    // as on it, and the fit keeps it a little inside.
    let margin = (scale * scale * 1e-11).max(1e-2);
    let r2 = scale * scale;
    let mut u: Vec<[f64; 2]> = centers.iter().map(|g| [2.0 * g[0], 2.0 * g[1]]).collect();
    let mut c: Vec<f64> = centers
        .iter()
        .zip(power)
        .map(|(g, &w)| w - (g[0] * g[0] + g[1] * g[1]))
        .collect();
    let score =
        |u: &[[f64; 2]], c: &[f64], j: usize, x: [f64; 2]| u[j][0] * x[0] + u[j][1] * x[1] + c[j];
    let mut found = Vec::new();
    let mut left = usize::MAX;
    for _ in 0..rounds {
        let (g, w) = diagram(&u, &c);
        let index = PowerIndex::new(&g, &w);
        let mut wrong = 0;
        for (x, &l) in points.iter().zip(labels) {
            let l = l as usize;
            index.nearest(*x, 3.min(k), &mut found);
            for &b in &found {
                let b = b as usize;
                if b == l {
                    continue;
                }
                let short = score(&u, &c, b, *x) - score(&u, &c, l, *x) + margin;
                if short > 0.0 {
                    wrong += 1;
                    // Half as much again as fixes this household: fewer rounds in all.
                    let eta = 1.5 * short / (2.0 * (x[0] * x[0] + x[1] * x[1] + r2));
                    u[l][0] += eta * x[0];
                    u[l][1] += eta * x[1];
                    c[l] += eta * r2;
                    u[b][0] -= eta * x[0];
                    u[b][1] -= eta * x[1];
                    c[b] -= eta * r2;
                }
            }
        }
        left = wrong;
        if wrong == 0 {
            break;
        }
    }
    let (g, w) = diagram(&u, &c);
    if left > 0 {
        let index = PowerIndex::new(&g, &w);
        left = points
            .iter()
            .zip(labels)
            .filter(|(x, l)| index.nearest_one(**x, &mut found) != **l)
            .count();
    }
    (g, w, left)
}

/// Generators and weights of the linear scores.
fn diagram(u: &[[f64; 2]], c: &[f64]) -> (Vec<[f64; 2]>, Vec<f64>) {
    let g: Vec<[f64; 2]> = u.iter().map(|v| [v[0] / 2.0, v[1] / 2.0]).collect();
    let w = g
        .iter()
        .zip(c)
        .map(|(g, &c)| c + g[0] * g[0] + g[1] * g[1])
        .collect();
    (g, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_power_diagram_is_recovered_from_its_labels() {
        // Labels of a power diagram with weights, fitted from centroids and no weights.
        let points: Vec<[f64; 2]> = (0..2_500)
            .map(|i| {
                [
                    (i % 50) as f64 * 37.0 - 900.0,
                    (i / 50) as f64 * 41.0 - 1_000.0,
                ]
            })
            .collect();
        let g = [
            [-500.0, -400.0],
            [450.0, -300.0],
            [0.0, 600.0],
            [300.0, 200.0],
        ];
        let w = [90_000.0, 0.0, 40_000.0, -60_000.0];
        let labels: Vec<u32> = points
            .iter()
            .map(|p| {
                (0..4)
                    .min_by(|&a, &b| {
                        let pd =
                            |j: usize| (p[0] - g[j][0]).powi(2) + (p[1] - g[j][1]).powi(2) - w[j];
                        pd(a).total_cmp(&pd(b))
                    })
                    .unwrap_or(0) as u32
            })
            .collect();
        let (fg, fw, left) = fit_diagram(
            &points,
            &labels,
            &g.map(|q| [q[0] + 80.0, q[1] - 50.0]),
            &[0.0; 4],
            ROUNDS,
        );
        assert_eq!(left, 0);
        for (p, &l) in points.iter().zip(&labels) {
            let pd = |j: usize| (p[0] - fg[j][0]).powi(2) + (p[1] - fg[j][1]).powi(2) - fw[j];
            assert!((0..4).all(|j| pd(l as usize) <= pd(j) + 1e-6), "{p:?}");
        }
    }
}
