//! Margins: the power weights moved inside the set of weights that produce the same labels,
//! so that households lie a little inside their cells (and rounded polygons still contain
//! them).

use super::graph::Graph;
use super::labels::exact_check;
use super::problem::Problem;
use crate::geometry::dist2;

/// A difference constraint `w_l ≤ w_j + c − δ·g` between catchments `j` and `l`:
/// `(j, l, c, g)`, `g` twice the distance between their centers.
type Constraint = (usize, usize, f64, f64);

/// Moves the power weights inside the set of weights that produce `labels`, so that every
/// household lies at least `margin_m` metres inside its own cell wherever that is possible
/// (households sharing a location with another catchment's household stay on the edge).
///
/// The labels are power-nearest for `w` exactly when `w_l − w_j ≤ c_jl` for every pair,
/// where `c_jl` is the smallest `‖x_i − c_l‖² − ‖x_i − c_j‖²` over households `i` of `j`:
/// a system of difference constraints over the arcs of `graph` (the final check covers
/// all pairs). Asking for a geometric margin δ on the bisector of `j` and `l` tightens
/// `c_jl` by `2·δ·‖c_l − c_j‖`; Bellman–Ford finds weights meeting all of them, or shows
/// (a negative cycle) that δ must shrink. The labels never change.
pub(crate) fn widen_margins(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &mut [f64],
    labels: &[u32],
    graph: &Graph,
    margin_m: f64,
) {
    let k = prob.k;
    if k < 2 || graph.is_empty() {
        return;
    }
    let arcs = constraints(prob, centers, labels, graph);
    let mut delta = margin_m;
    while delta >= margin_m / 64.0 {
        if let Some(w) = bellman_ford(power, &arcs, delta, k) {
            let before = power.to_vec();
            power.copy_from_slice(&w);
            if exact_check(prob, centers, power, labels) {
                return;
            }
            power.copy_from_slice(&before);
        }
        // Shrink slowly while the margin still exceeds the 7-decimal rounding of the
        // polygons (under 8 mm), then halve.
        delta *= if delta > 0.008 { 0.75 } else { 0.5 };
    }
}

/// The constraints of the arcs of `graph` that some household's labels bound: `c_jl` the
/// smallest `‖x_i − c_l‖² − ‖x_i − c_j‖²` over the households `i` of `j`.
fn constraints(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    labels: &[u32],
    graph: &Graph,
) -> Vec<Constraint> {
    let mut tight: Vec<Vec<f64>> = graph
        .nbrs
        .iter()
        .map(|nb| vec![f64::INFINITY; nb.len()])
        .collect();
    for (i, p) in prob.points.iter().enumerate() {
        let j = labels[i] as usize;
        let dj = dist2(*p, centers[j]);
        for (t, &l) in graph.nbrs[j].iter().enumerate() {
            let c = dist2(*p, centers[l as usize]) - dj;
            if c < tight[j][t] {
                tight[j][t] = c;
            }
        }
    }
    let mut arcs: Vec<Constraint> = Vec::new();
    for (j, nb) in graph.nbrs.iter().enumerate() {
        for (t, &l) in nb.iter().enumerate() {
            if tight[j][t].is_finite() {
                let l = l as usize;
                arcs.push((
                    j,
                    l,
                    tight[j][t],
                    2.0 * dist2(centers[j], centers[l]).sqrt(),
                ));
            }
        }
    }
    arcs
}

/// Weights meeting every constraint with margin `delta`, relaxed downwards from `power`
/// (Bellman–Ford over `k` catchments), or `None` when they still change after `k + 1`
/// passes (a negative cycle: the margin is too wide).
fn bellman_ford(power: &[f64], arcs: &[Constraint], delta: f64, k: usize) -> Option<Vec<f64>> {
    // w_l ≤ w_j + c_jl − 2·δ·gap, from w = current weights as the starting bound.
    let mut w: Vec<f64> = power.to_vec();
    for _ in 0..=k {
        let mut changed = false;
        for &(j, l, c, g) in arcs {
            let bound = w[j] + c - delta * g;
            if w[l] > bound {
                w[l] = bound;
                changed = true;
            }
        }
        if !changed {
            return Some(w);
        }
    }
    None
}
