//! Margins for the travel objective's catchments, drawn as the additively weighted Voronoi
//! diagram of their centers and prices (`polygons::hyperbola`): the prices moved inside
//! the set of prices that produce the same labels, so that households lie a little inside
//! their cells and the drawn polylines, rounded to 7 decimals, still hold them.
//!
//! Household `i` of catchment `j` stays there under prices `y` when `y_l − y_j ≤ c_jl`
//! for every other catchment `l`, `c_jl` the smallest `‖x_i − g_l‖ − ‖x_i − g_j‖` over the
//! households of `j`: difference constraints, as for power weights
//! (`assign::widen_margins`). The additive distance changes by at most 2 per metre a
//! household moves, so a margin of `δ` metres asks `c_jl − 2δ`. Only pairs within
//! [`WINDOW_M`] of a household's own value take part (no others can be reached by prices
//! moved by centimetres); a final check against every center confirms the labels.

use super::assign::{Constraint, bellman_ford};
use super::params::Balanced;
use crate::geometry::dist2;
use crate::spatial::AdditiveIndex;

/// The margin asked for (m): a border's chords stray up to [`INSIDE_M`] from it.
const MARGIN_M: f64 = 0.04;
/// How far inside its cell (m) a household must lie to be left to the drawn cell: a
/// border's chords stray up to a centimetre from the curve
/// (`polygons::hyperbola::SAGITTA_M`), and the 7-decimal rounding up to another.
const INSIDE_M: f64 = 0.02;
/// Pairs whose values at a household differ by less than this (m) give constraints.
const WINDOW_M: f64 = 1.0;

/// Widens the margins of the travel plan `result` (its `centers` and `power` the centers
/// and prices of an additively weighted diagram whose cells hold its labels, up to the
/// arcs the assignment searched); returns, per catchment, its households still less than
/// [`INSIDE_M`] inside its cell (or outside it), which the polygons must cover.
pub(crate) fn additive_margins(points: &[[f64; 2]], result: &mut Balanced) -> Vec<Vec<[f64; 2]>> {
    let k = result.centers.len();
    let g = result.centers.clone();
    if k > 1 {
        let index = AdditiveIndex::new(&g, &result.power);
        let (arcs, off) = constraints(points, &result.labels, &g, &result.power, &index);
        let mut delta = MARGIN_M;
        while delta >= MARGIN_M / 64.0 {
            if let Some(y) = bellman_ford(&result.power, &arcs, delta, k)
                && gaps(points, &result.labels, &g, &y)
                    .iter()
                    .zip(&off)
                    .all(|(&gap, &off)| off || gap >= 0.0)
            {
                result.power = y;
                break;
            }
            delta *= if delta > 0.008 { 0.75 } else { 0.5 };
        }
    }
    let mut extra = vec![Vec::new(); k];
    for ((p, &l), gap) in
        points
            .iter()
            .zip(&result.labels)
            .zip(gaps(points, &result.labels, &g, &result.power))
    {
        if gap < INSIDE_M {
            extra[l as usize].push(*p);
        }
    }
    extra
}

/// Each household's margin: how far (m) it lies inside its cell, the next-best
/// catchment's value less its own divided by how fast that difference changes there
/// (negative when another catchment is better), capped at [`WINDOW_M`].
fn gaps(points: &[[f64; 2]], labels: &[u32], g: &[[f64; 2]], y: &[f64]) -> Vec<f64> {
    use rayon::prelude::*;
    let index = AdditiveIndex::new(g, y);
    points
        .par_iter()
        .zip(labels)
        .map_init(Vec::new, |found, (p, &l)| {
            let l = l as usize;
            let dl = dist2(*p, g[l]).sqrt();
            let own = dl - y[l];
            index.below(*p, own + WINDOW_M, found);
            found
                .iter()
                .filter(|&&m| m as usize != l)
                .map(|&m| {
                    let m = m as usize;
                    let dm = dist2(*p, g[m]).sqrt();
                    let gap = dm - y[m] - own;
                    // The gradient of `‖x − g_m‖ − ‖x − g_l‖`: at most 2.
                    let unit = |c: [f64; 2], d: f64| {
                        if d > 0.0 {
                            [(p[0] - c[0]) / d, (p[1] - c[1]) / d]
                        } else {
                            [0.0, 0.0]
                        }
                    };
                    let (um, ul) = (unit(g[m], dm), unit(g[l], dl));
                    let slope = (um[0] - ul[0]).hypot(um[1] - ul[1]).max(1e-3);
                    gap / slope
                })
                .fold(WINDOW_M, f64::min)
        })
        .collect()
}

/// The constraints of the pairs some household comes within [`WINDOW_M`] of (each
/// `(j, l, c_jl, 2, widest)`; see [`bellman_ford`]), and which households are already
/// outside their cell (they give none, and stay outside).
fn constraints(
    points: &[[f64; 2]],
    labels: &[u32],
    g: &[[f64; 2]],
    y: &[f64],
    index: &AdditiveIndex,
) -> (Vec<Constraint>, Vec<bool>) {
    let mut tight: std::collections::BTreeMap<(usize, usize), f64> = Default::default();
    let mut off = vec![false; points.len()];
    let mut found = Vec::new();
    let mut near: Vec<(usize, f64)> = Vec::new();
    for (i, (p, &l)) in points.iter().zip(labels).enumerate() {
        let j = l as usize;
        let dj = dist2(*p, g[j]).sqrt();
        index.below(*p, dj - y[j] + WINDOW_M, &mut found);
        near.clear();
        for &m in &found {
            let m = m as usize;
            if m == j {
                continue;
            }
            let dm = dist2(*p, g[m]).sqrt();
            if dm - y[m] < dj - y[j] {
                off[i] = true;
            }
            near.push((m, dm - dj));
        }
        if off[i] {
            continue;
        }
        for &(m, c) in &near {
            let t = tight.entry((j, m)).or_insert(f64::INFINITY);
            if c < *t {
                *t = c;
            }
        }
    }
    let arcs = tight
        .iter()
        .map(|(&(j, l), &c)| {
            // The pair's two constraints add up to `0 ≤ c_jl + c_lj − 4δ`: a wider margin
            // is a negative cycle of two arcs. Such a pair gets half the margin it allows.
            let widest = tight
                .get(&(l, j))
                .map_or(f64::INFINITY, |back| (0.125 * (c + back)).max(0.0));
            (j, l, c, 2.0, widest)
        })
        .collect();
    (arcs, off)
}
