//! Margins: the power weights moved inside the set of weights that produce the same labels,
//! so that households lie a little inside their cells (and rounded polygons still contain
//! them).

use super::graph::Graph;
use super::labels::exact_check;
use super::problem::Problem;
use crate::geometry::dist2;

/// A difference constraint `w_l ≤ w_j + c − min(δ, m)·g` between catchments `j` and `l`:
/// `(j, l, c, g, m)`, `g` twice the distance between their centers and `m` the widest
/// margin the pair allows (see [`constraints`]).
pub(crate) type Constraint = (usize, usize, f64, f64, f64);

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
            let c = tight[j][t];
            if c.is_finite() {
                let l = l as usize;
                let g = 2.0 * dist2(centers[j], centers[l]).sqrt();
                // The pair's two constraints add up to `0 ≤ c_jl + c_lj − 2·δ·g`: a wider
                // margin is a negative cycle of two arcs (households of both catchments
                // on the bisector, e.g. at one address). Such a pair gets half the margin
                // it allows; the others keep the full one.
                let back = tight[l][graph.rev[j][t] as usize];
                let widest = if back.is_finite() && g > 0.0 {
                    (0.25 * (c + back) / g).max(0.0)
                } else {
                    f64::INFINITY
                };
                arcs.push((j, l, c, g, widest));
            }
        }
    }
    arcs
}

/// Weights meeting every constraint with margin `delta`, relaxed downwards from `power`
/// (Bellman–Ford over `k` catchments), or `None` when they still change after `k + 1`
/// passes (a negative cycle: the margin is too wide).
pub(crate) fn bellman_ford(
    power: &[f64],
    arcs: &[Constraint],
    delta: f64,
    k: usize,
) -> Option<Vec<f64>> {
    // w_l ≤ w_j + c_jl − 2·δ·gap, from w = current weights as the starting bound.
    let mut w: Vec<f64> = power.to_vec();
    // The arc that last lowered each weight: a cycle among them is a negative cycle, found
    // long before the k + 1 passes that would prove it otherwise (households of two
    // catchments at one address make such cycles at every δ).
    let mut pred = vec![NO_PRED; k];
    for _ in 0..=k {
        let mut changed = false;
        for &(j, l, c, g, widest) in arcs {
            let bound = w[j] + c - delta.min(widest) * g;
            if w[l] > bound {
                w[l] = bound;
                pred[l] = j;
                changed = true;
            }
        }
        if !changed {
            return Some(w);
        }
        if has_cycle(&pred) {
            return None;
        }
    }
    None
}

/// No predecessor (a weight not lowered yet).
const NO_PRED: usize = usize::MAX;

/// Whether the predecessor links `pred` close a cycle: each walk marks what it visits
/// with its own stamp, so the whole check is `O(k)`.
fn has_cycle(pred: &[usize]) -> bool {
    let mut stamp = vec![0usize; pred.len()];
    for s in 0..pred.len() {
        let mut v = s;
        while v != NO_PRED && stamp[v] == 0 {
            stamp[v] = s + 1;
            v = pred[v];
        }
        if v != NO_PRED && stamp[v] == s + 1 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::graph::graph_around;
    use super::*;

    /// Where the power bisector of centers `a` and `b` (on the x axis) crosses it.
    fn bisector(centers: &[[f64; 2]], power: &[f64], a: usize, b: usize) -> f64 {
        let (xa, xb) = (centers[a][0], centers[b][0]);
        (xb * xb - xa * xa - power[b] + power[a]) / (2.0 * (xb - xa))
    }

    #[test]
    fn a_shared_address_keeps_the_other_borders_margins() {
        // Three catchments along a street. Catchments 0 and 1 each have a household at
        // x = 5, on their bisector (one address, two catchments): that border can have no
        // margin. Catchment 1's household at 14.99 is 1 cm from its border with 2, which
        // has room to give.
        let centers = [[0.0, 0.0], [10.0, 0.0], [20.0, 0.0]];
        let points = [
            [1.0, 0.0],
            [5.0, 0.0],
            [5.0, 0.0],
            [10.0, 0.0],
            [14.99, 0.0],
            [16.0, 0.0],
            [20.0, 0.0],
        ];
        let labels = [0u32, 0, 1, 1, 1, 2, 2];
        let weights = [1u32; 7];
        let prob = Problem::new(&points, &weights, 3, 0, 7);
        let mut power = vec![0.0; 3];
        let graph = graph_around(&prob, &centers, &power, &labels);
        widen_margins(&prob, &centers, &mut power, &labels, &graph, 0.02);
        assert!(exact_check(&prob, &centers, &power, &labels));
        let border = bisector(&centers, &power, 1, 2);
        assert!(border - 14.99 >= 0.02 - 1e-9, "border at {border}");
        assert!(16.0 - border >= 0.02 - 1e-9, "border at {border}");
        // The shared address stays on its border.
        assert!((bisector(&centers, &power, 0, 1) - 5.0).abs() < 1e-6);
    }

    #[test]
    fn a_negative_cycle_is_found_from_the_predecessors() {
        // 0 → 1 → 2 → 0 costs −1 in total: no weights meet the constraints.
        let arcs: Vec<Constraint> = vec![
            (0, 1, 1.0, 0.0, 0.0),
            (1, 2, 1.0, 0.0, 0.0),
            (2, 0, -3.0, 0.0, 0.0),
            (2, 3, 5.0, 0.0, 0.0),
        ];
        assert!(bellman_ford(&[0.0; 4], &arcs, 0.0, 4).is_none());
        // Without the cycle the weights settle and meet every constraint.
        let w = bellman_ford(&[0.0; 4], &arcs[..2], 0.0, 4).expect("no cycle");
        assert!(w[1] <= w[0] + 1.0 && w[2] <= w[1] + 1.0);
        assert!(!has_cycle(&[NO_PRED, 0, 1, 2]));
        assert!(has_cycle(&[2, 0, 1, NO_PRED]));
    }
}
