//! Prices for drawing the travel objective's catchments as the additively weighted Voronoi
//! diagram of their centers (`polygons::hyperbola`): moved inside the set of prices that
//! produce the same labels, so that every household lies in its own cell, a little
//! inside it, and the drawn polylines, rounded to 7 decimals, still hold it.
//!
//! Household `i` of catchment `j` lies in `j`'s cell under prices `y` when `y_l − y_j ≤
//! c_jl` for every other catchment `l`, `c_jl` the smallest `‖x_i − g_l‖ − ‖x_i − g_j‖`
//! over the households of `j`: difference constraints, as for power weights
//! (`assign::widen_margins`). The additive distance changes by at most 2 per metre a
//! household moves, so a margin of `δ` metres asks `c_jl − 2δ`.
//!
//! The assignment searched only the catchments near each household, so a far center with a
//! high price can take a household in the diagram that the assignment never offered it.
//! The constraints start from the pairs within [`WINDOW_M`] of a household's own value
//! and from every such violation; Bellman–Ford finds prices meeting them, a check against
//! every center finds the pairs the new prices violate, and those join the constraints
//! (a few rounds of cutting planes). When no prices hold every label, the households
//! outside their cell stay outside, and the polygons cover them.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::assign::{Constraint, bellman_ford};
use super::params::Balanced;
use crate::geometry::dist2;
use crate::spatial::AdditiveIndex;

/// The margin asked for (m): a border's chords stray up to 5 cm from the curve
/// (`polygons::hyperbola::SAGITTA_M`), and the 7-decimal rounding up to another centimetre.
const MARGIN_M: f64 = 0.08;
/// How far inside its cell (m) a household must lie to be left to the drawn cell (closer
/// ones have the border bent around them, `plan::region`).
const INSIDE_M: f64 = 0.06;
/// Pairs whose values at a household differ by less than this (m) give constraints.
const WINDOW_M: f64 = 1.0;
/// Rounds of cutting planes per margin tried.
const ROUNDS: usize = 6;

/// The tightest `c_jl` of each pair `(j, l)`.
type Tight = BTreeMap<(usize, usize), f64>;

/// Widens the margins of the travel plan `result` (its `centers` and `power` the centers
/// and prices of an additively weighted diagram whose cells hold its labels, up to the
/// catchments the assignment searched); returns, per catchment, its households still less
/// than [`INSIDE_M`] inside its cell (or outside it), which the polygons must cover.
pub(crate) fn additive_margins(points: &[[f64; 2]], result: &mut Balanced) -> Vec<Vec<[f64; 2]>> {
    let k = result.centers.len();
    let g = result.centers.clone();
    if k > 1 {
        let mut tight = Tight::new();
        let near = near_pairs(points, &result.labels, &g, &result.power, WINDOW_M);
        // Households outside their cell give no constraints (no prices may hold them):
        // those with a catchment valued below their own, as `near_pairs` with window 0
        // finds them.
        let off: std::collections::BTreeSet<usize> =
            near.iter().filter(|p| p.4).map(|p| p.3).collect();
        for (j, l, c, i, _) in near {
            if !off.contains(&i) {
                tighten(&mut tight, j, l, c);
            }
        }
        let mut delta = MARGIN_M;
        'margins: while delta >= MARGIN_M / 64.0 {
            for _ in 0..ROUNDS {
                let Some(y) = bellman_ford(&result.power, &arcs(&tight), delta, k) else {
                    break;
                };
                let broken: Vec<_> = near_pairs(points, &result.labels, &g, &y, 0.0)
                    .into_iter()
                    .filter(|p| !off.contains(&p.3))
                    .collect();
                if broken.is_empty() {
                    result.power = y;
                    break 'margins;
                }
                for (j, l, c, _, _) in broken {
                    tighten(&mut tight, j, l, c);
                }
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

/// Keeps the smaller of `c` and the pair's constraint.
fn tighten(tight: &mut Tight, j: usize, l: usize, c: f64) {
    let t = tight.entry((j, l)).or_insert(f64::INFINITY);
    if c < *t {
        *t = c;
    }
}

/// The constraints of [`bellman_ford`] (each `(j, l, c_jl, 2, widest)`).
fn arcs(tight: &Tight) -> Vec<Constraint> {
    tight
        .iter()
        .map(|(&(j, l), &c)| {
            // The pair's two constraints add up to `0 ≤ c_jl + c_lj − 4δ`: a wider margin
            // is a negative cycle of two arcs. Such a pair gets half the margin it allows.
            let widest = tight
                .get(&(l, j))
                .map_or(f64::INFINITY, |back| (0.125 * (c + back)).max(0.0));
            (j, l, c, 2.0, widest)
        })
        .collect()
}

/// `(j, l, c, i, below)` for every household `i` of `j` and catchment `l` valued less
/// than `window` above the household's own catchment, `c = ‖x − g_l‖ − ‖x − g_j‖`, and
/// whether `l` is valued below it (the household lies outside its cell; with `window` 0,
/// every pair found).
fn near_pairs(
    points: &[[f64; 2]],
    labels: &[u32],
    g: &[[f64; 2]],
    y: &[f64],
    window: f64,
) -> Vec<(usize, usize, f64, usize, bool)> {
    let index = AdditiveIndex::new(g, y);
    points
        .par_iter()
        .zip(labels)
        .enumerate()
        .map_init(Vec::new, |found, (i, (p, &l))| {
            let j = l as usize;
            let dj = dist2(*p, g[j]).sqrt();
            index.below(*p, dj - y[j] + window, found);
            found
                .iter()
                .filter(|&&m| m as usize != j)
                .map(|&m| {
                    let m = m as usize;
                    let dm = dist2(*p, g[m]).sqrt();
                    // The index's own test (`AdditiveIndex::below`) with window 0.
                    (j, m, dm - dj, i, dm - y[m] < dj - y[j])
                })
                .collect::<Vec<_>>()
        })
        .flatten()
        .collect()
}

/// Each household's margin: how far (m) it lies inside its cell, the next-best
/// catchment's value less its own divided by how fast that difference changes there
/// (negative when another catchment is better), capped at [`WINDOW_M`].
fn gaps(points: &[[f64; 2]], labels: &[u32], g: &[[f64; 2]], y: &[f64]) -> Vec<f64> {
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
