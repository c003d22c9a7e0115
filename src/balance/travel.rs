//! The travel objective (`--objective distance`): catchments under the same size bounds that
//! minimise the households' total distance to their catchment's geometric median, instead
//! of the squared distance to its centroid.
//!
//! # Model
//! For fixed centers `c_j`, the size-constrained assignment minimising `Σ w_i·‖x_i − c_j‖`
//! is a transportation problem; at its optimum there are prices `y_j` (the capacities'
//! duals) such that every household is in the catchment minimising `‖x_i − c_j‖ − y_j`:
//! an additively weighted Voronoi diagram, whose borders are hyperbola arcs.
//!
//! # Algorithm
//! Starting from the squared-distance plan (the search of [`super::balance`], whose
//! catchments are already compact and balanced):
//! 1. Centers to their catchments' geometric medians (Weiszfeld's iteration, warm started
//!    from the previous centers), over-relaxed: twice the way, until the total rises once.
//! 2. Every household to its best catchment under the prices (`relabel`), among its
//!    [`ARC_CANDIDATES`] nearest centers (from a k-d tree) and the catchments its own is
//!    linked to. The first round starts from prices 0 (each household to its nearest
//!    center), or from the prices the rounds reached on groups of households
//!    ([`super::distance`]); later rounds, with one household per point, from the last
//!    round's prices and labels (a warm start: on Tehran's 230 k households a quarter of
//!    the repairs).
//! 3. Repair the size bounds by successive shortest paths on the catchment graph
//!    ([`super::repair`]), which moves the prices so that households stay best off, and
//!    brings back to 0 a warm price its catchment's size does not bear out.
//! 4. Repeat 1–3 while the total distance falls; keep the best balanced round.
//!
//! The improvement moves ([`super::improve`]) then run from that round
//! ([`super::distance`]).
//!
//! Each round lowers the total distance for its centers (step 3 is exact up to the arcs
//! searched) and step 1 lowers it for its labels, as in Lloyd's iteration.
//!
//! # Cost
//! A round costs `O(n·m·log k)` for the queries (`m` ≈ 8 candidates) and the Weiszfeld
//! steps `O(n)` each, plus the repairs, whose number is about the number of households
//! that must move to meet the bounds.

use rayon::prelude::*;

use crate::balance::moments::{sizes, weiszfeld};
use crate::balance::repair::{Costs, Repair};
use crate::balance::sticky::neighbours;
use crate::geometry::dist2;
use crate::spatial::{AdditiveIndex, PowerIndex};

/// Nearest centers per household whose catchments the repair's graph links to the
/// household's own.
const ARC_CANDIDATES: usize = 6;
/// Up to this many catchments, the repair's graph links every pair (exact assignment).
const COMPLETE: usize = 32;
/// Checks of an assignment against all centers at most (each followed by a repair).
const CHECKS: usize = 8;
/// Weiszfeld steps per round at most (each warm started from the last centers).
const WEISZFELD_STEPS: usize = 12;
/// A round that lowers the total distance by less than this share ends the iteration.
const MIN_GAIN: f64 = 2e-4;
/// Rounds in a row without such a gain that end the iteration. 1: a second idle round
/// cost a tenth of a national distance plan's time for trips 0.02 % shorter, and
/// shortened the peer files' trips by 0.01–0.02 %.
const PATIENCE: usize = 1;
/// The centers of the next round move this many times the way to the medians, until the
/// total rises once (then 1): under size bounds the rounds creep towards their fixed
/// point. 2 took Tehran's 200 k households from 22 rounds to 16, with trips 0.02 % shorter,
/// and shortened trips on the sample and the 20 k and 50 k peer files by 0.01–0.2 %.
const OVER_RELAX: f64 = 2.0;

/// One travel-objective problem: weighted points and the size bounds.
pub(crate) struct Travel<'a> {
    /// Planar household positions, m.
    pub points: &'a [[f64; 2]],
    /// Households per point.
    pub weights: &'a [u32],
    /// Smallest allowed catchment size.
    pub lo: u64,
    /// Largest allowed catchment size.
    pub hi: u64,
    /// Rounds at most.
    pub max_iterations: usize,
    /// Work budget of the improvement moves ([`super::improve`]) as a multiple of its
    /// default; 0 turns them off.
    pub effort: f64,
    /// Seed of the improvement moves' random part.
    pub seed: u64,
}

impl Costs for Travel<'_> {
    fn weights(&self) -> &[u32] {
        self.weights
    }

    fn bounds(&self) -> (u64, u64) {
        (self.lo, self.hi)
    }

    fn cost(&self, i: usize, j: usize, g: &[[f64; 2]]) -> f64 {
        dist2(self.points[i], g[j]).sqrt()
    }

    fn priced_ends(&self) -> bool {
        true
    }
}

/// A balanced round: its total distance to the medians of its labels, the labels, the
/// generators they were assigned from, their prices and the medians.
#[derive(Clone)]
pub(super) struct Round {
    /// Total weighted distance of the households to `medians`, m.
    pub total: f64,
    /// Catchment per household.
    pub labels: Vec<u32>,
    /// The centers the labels were assigned to.
    pub g: Vec<[f64; 2]>,
    /// The prices (additive weights) of that assignment, m.
    pub y: Vec<f64>,
    /// The catchments' geometric medians.
    pub medians: Vec<[f64; 2]>,
}

/// What a descent found: the best balanced round (if any), and the rounds it ran.
pub(super) struct Descent {
    /// The lowest balanced round.
    pub best: Option<Round>,
    /// Rounds run.
    pub iterations: usize,
    /// Whether the rounds stopped by themselves (not at the cap).
    pub converged: bool,
}

/// Rounds of assignment and medians from the centers `g` (step 2–4 of the module docs),
/// `labels` holding the last round's labels on return. The first round starts warm from
/// the prices `warm` (for the centers `g`) and the labels `labels` holds, when given (see
/// [`assign_cached`]); otherwise cold.
pub(super) fn descend(
    prob: &Travel<'_>,
    g: Vec<[f64; 2]>,
    warm: Option<Vec<f64>>,
    labels: &mut Vec<u32>,
) -> Descent {
    descend_until(prob, g, warm, labels, None)
}

/// [`descend`], stopping after `give_up` rounds (when given) if none of them met the
/// bounds: for rounds that start from a plan beyond any diagram's reach (see
/// `distance::travel_balance`).
pub(super) fn descend_until(
    prob: &Travel<'_>,
    mut g: Vec<[f64; 2]>,
    warm: Option<Vec<f64>>,
    labels: &mut Vec<u32>,
    give_up: Option<usize>,
) -> Descent {
    let k = g.len();
    let mut best: Option<Round> = None;
    let mut last = f64::INFINITY;
    let (mut idle, mut iterations, mut converged) = (0, 0, false);
    let mut omega = OVER_RELAX;
    let mut cache = None;
    let mut warm = warm;
    while iterations < prob.max_iterations.max(1) {
        iterations += 1;
        let before = labels.clone();
        let y = assign_cached(prob, &g, labels, &mut cache, warm.as_deref(), false);
        warm = Some(y.clone());
        let next = medians(prob.points, prob.weights, labels, &g);
        let now = total(prob, labels, &next);
        if sizes_within(prob, labels, k) && best.as_ref().is_none_or(|b| now < b.total) {
            best = Some(Round {
                total: now,
                labels: labels.clone(),
                g: g.clone(),
                y,
                medians: next.clone(),
            });
        }
        // Over-relaxed: past the medians while the total keeps falling (the rounds creep
        // towards their fixed point under size bounds, as Lloyd's steps do).
        if now > last {
            omega = 1.0;
        }
        g = g
            .iter()
            .zip(&next)
            .map(|(a, m)| [a[0] + omega * (m[0] - a[0]), a[1] + omega * (m[1] - a[1])])
            .collect();
        if *labels == before {
            converged = true;
            break;
        }
        if best.is_none() && give_up.is_some_and(|rounds| iterations >= rounds) {
            break;
        }
        if now < last * (1.0 - MIN_GAIN) {
            last = now;
            idle = 0;
        } else {
            idle += 1;
            if idle == PATIENCE {
                converged = true;
                break;
            }
        }
    }
    Descent {
        best,
        iterations,
        converged,
    }
}

/// [`assign_cached`] without a cache: one assignment for the centers `g`.
#[cfg(feature = "test-utils")]
pub(crate) fn assign(prob: &Travel<'_>, g: &[[f64; 2]], labels: &mut Vec<u32>) -> Vec<f64> {
    assign_cached(prob, g, labels, &mut None, None, false)
}

/// The round's assignment made exact against every center: an assignment for its centers,
/// warm from its prices, whose check also looks, for every household, for the catchment
/// best for it under the prices among all of them (not only its nearest centers' and its
/// own's neighbours'), linking it when it beats the household's own. A far center with a
/// high price can take households that the rounds never offered it; the plan is drawn as
/// the diagram of these prices, where such a household would lie in another catchment's
/// cell. The round is kept as it was when the exact assignment's households travel
/// farther to their medians (its households outside their cells are then covered).
pub(super) fn exact_round(prob: &Travel<'_>, round: Round) -> Round {
    let mut labels = round.labels.clone();
    let y = assign_cached(prob, &round.g, &mut labels, &mut None, Some(&round.y), true);
    if !sizes_within(prob, &labels, round.g.len()) {
        return round;
    }
    let next = medians(prob.points, prob.weights, &labels, &round.g);
    let now = total(prob, &labels, &next);
    // Kept unless its households travel farther (to their medians) than the round's.
    if now > round.total {
        return round;
    }
    Round {
        total: now,
        labels,
        g: round.g,
        y,
        medians: next,
    }
}

/// The size-constrained assignment for the centers `g`; returns the prices.
///
/// Cold (`warm` is `None`): from prices 0, every household to its nearest center, then the
/// bounds repaired. Warm: from the prices `warm` of the last round, whose labels `labels`
/// holds, every household to its best catchment under them for the new centers, then the
/// bounds repaired; the centers of one round to the next move little, so far fewer
/// searches are needed than from prices 0 (a quarter, on Tehran's 230 k households). The
/// warm prices need not agree with the sizes (a catchment priced up but above its lower
/// bound); the repair reads sizes against prices and brings such prices back to 0 (see
/// [`Repair`]), so both starts reach the same optimum, up to the arcs searched (on the
/// national file the totals of the rounds agree to the metre). Warm starts need one
/// household per point (weighted points cannot always meet a bound exactly); otherwise
/// cold.
///
/// The households' nearest centers come from `cache` where they provably still are (see
/// [`Candidates`]), which is refreshed otherwise.
fn assign_cached(
    prob: &Travel<'_>,
    g: &[[f64; 2]],
    labels: &mut Vec<u32>,
    cache: &mut Option<Candidates>,
    warm: Option<&[f64]>,
    exact: bool,
) -> Vec<f64> {
    let k = g.len();
    let n = prob.points.len();
    let warm =
        warm.filter(|y| y.len() == k && labels.len() == n && prob.weights.iter().all(|&w| w == 1));
    let previous = warm.map(|_| labels.clone());
    labels.clear();
    labels.resize(n, u32::MAX);
    let (mut graph, near) = graph(prob, g, labels, cache);
    let start = labels.clone();
    let mut y = vec![0.0f64; k];
    if let (Some(warm), Some(previous)) = (warm, previous) {
        y.copy_from_slice(warm);
        *labels = previous;
        // Each household to its best under the warm prices, from its old catchment's links
        // and its nearest centers; the graph then links its new catchment to them.
        relabel(prob, g, &y, &graph, &near, labels);
        link_candidates(&mut graph, labels, &near);
    }
    let mut check = Vec::with_capacity(n);
    // Whether the last repair started from prices 0 and the households' nearest centers.
    let mut cold = warm.is_none();
    for round in 0..CHECKS {
        Repair::new(prob, g, &graph, labels, k).run(&mut y, labels);
        // When a household is better off under the prices in one of its nearest centers'
        // catchments that the graph did not link to its own, the arc joins the graph and
        // the repair starts again from prices 0 (moving it under these prices would
        // leave them meaningless).
        check.clone_from(labels);
        relabel(prob, g, &y, &graph, &near, &mut check);
        if exact {
            best_anywhere(prob, g, &y, &mut check);
        }
        // Whether any household is better off elsewhere, and whether the graph gained
        // an arc for it.
        let (mut better, mut linked) = (false, false);
        for (&a, &b) in labels.iter().zip(&check) {
            if a != b {
                better = true;
                for (from, to) in [(a, b), (b, a)] {
                    if !graph[from as usize].contains(&to) {
                        graph[from as usize].push(to);
                        linked = true;
                    }
                }
            }
        }
        let again = exact && warm.is_some();
        // A repair from prices 0 over the same arcs would find such labels again: with
        // weighted points, whose repair can stop short of prices that hold every
        // household, each of the checks did, at three quarters of a weighted travel
        // plan's time. (After a warm start, the repair from prices 0 is still to come.)
        if !better || (!linked && !again && cold) || round + 1 == CHECKS {
            break;
        }
        for list in &mut graph {
            list.sort_unstable();
            list.dedup();
        }
        if again {
            // From these prices, as a warm start: the new arcs let the repair move them.
            labels.clone_from(&check);
            continue;
        }
        y.iter_mut().for_each(|v| *v = 0.0);
        labels.clone_from(&start);
        cold = true;
    }
    y
}

/// Moves each household whose best catchment under the prices `y`, among all of them, is
/// better than its label's by more than a millimetre to that catchment.
fn best_anywhere(prob: &Travel<'_>, g: &[[f64; 2]], y: &[f64], labels: &mut [u32]) {
    let index = AdditiveIndex::new(g, y);
    labels
        .par_iter_mut()
        .enumerate()
        .for_each_init(Vec::new, |found, (i, l)| {
            let x = prob.points[i];
            let value = |j: usize| dist2(x, g[j]).sqrt() - y[j];
            let own = value(*l as usize);
            index.below(x, own - 1e-3, found);
            if let Some(&best) = found.iter().min_by(|&&a, &&b| {
                value(a as usize)
                    .total_cmp(&value(b as usize))
                    .then(a.cmp(&b))
            }) {
                *l = best;
            }
        });
}

/// The catchment graph of the repair: each catchment's nearest generators, and the arcs
/// between every household's catchment and its [`ARC_CANDIDATES`] nearest centers (where
/// households are clustered far from the centers, the generators' neighbours miss the arcs
/// the optimum uses); every pair up to [`COMPLETE`] catchments. With the households'
/// nearest centers, the first of which becomes each household's label (its best under
/// prices 0).
fn graph(
    prob: &Travel<'_>,
    g: &[[f64; 2]],
    labels: &mut [u32],
    cache: &mut Option<Candidates>,
) -> (Vec<Vec<u32>>, Vec<u32>) {
    let k = g.len();
    let m = ARC_CANDIDATES.min(k);
    let near = nearest_centers(prob, g, m, cache);
    for (i, l) in labels.iter_mut().enumerate() {
        *l = near[i * m];
    }
    if k <= COMPLETE {
        let all = (0..k)
            .map(|a| (0..k as u32).filter(|&b| b as usize != a).collect())
            .collect();
        return (all, near);
    }
    let mut nbrs = neighbours(g);
    link_candidates(&mut nbrs, labels, &near);
    (nbrs, near)
}

/// Adds to the repair's graph the arcs between every household's catchment and its
/// nearest centers `near` (`m` per household), where the graph is not complete.
fn link_candidates(graph: &mut [Vec<u32>], labels: &[u32], near: &[u32]) {
    let k = graph.len();
    let m = near.len() / labels.len().max(1);
    if k <= COMPLETE || m == 0 {
        return;
    }
    if k * k <= LINK_BITS {
        // Each arc once, marked in a k×k bit table: the households' lists repeat the same
        // few arcs hundreds of times, and sorting them all out cost more.
        let mut seen = vec![0u64; (k * k).div_ceil(64)];
        let mut mark = |a: usize, b: usize| {
            let bit = a * k + b;
            let new = seen[bit / 64] & (1 << (bit % 64)) == 0;
            seen[bit / 64] |= 1 << (bit % 64);
            new
        };
        for (a, list) in graph.iter().enumerate() {
            for &b in list {
                mark(a, b as usize);
            }
        }
        for (i, &a) in labels.iter().enumerate() {
            for &b in &near[i * m..(i + 1) * m] {
                let (a, b) = (a as usize, b as usize);
                if b != a {
                    if mark(a, b) {
                        graph[a].push(b as u32);
                    }
                    if mark(b, a) {
                        graph[b].push(a as u32);
                    }
                }
            }
        }
    } else {
        for (i, &a) in labels.iter().enumerate() {
            for &b in &near[i * m..(i + 1) * m] {
                if b != a {
                    graph[a as usize].push(b);
                    graph[b as usize].push(a);
                }
            }
        }
    }
    for list in graph.iter_mut() {
        list.sort_unstable();
        list.dedup();
    }
}

/// Catchments squared up to which [`link_candidates`] marks arcs in a bit table (8 MB).
const LINK_BITS: usize = 1 << 26;

/// The households' `m` nearest centers of an earlier round: the centers `at` they were
/// found for, and each household's distance to its `m`-th (`reach`). A center not in a
/// household's list was at least `reach` away then; when no center has moved by more than
/// `δ` since, it is at least `reach − δ` away now, so the nearest of the list (by the
/// current positions) is the household's nearest center, its label under prices 0,
/// whenever it is within `reach − δ`. Centers move less and less as the rounds settle, and
/// the k-d queries are then made only for the households this test fails.
pub(super) struct Candidates {
    near: Vec<u32>,
    reach: Vec<f64>,
    at: Vec<[f64; 2]>,
}

/// Centers that moved farthest since the cache, compared with every household directly.
const FAR_MOVERS: usize = 16;
/// Share of households whose test may fail before the whole cache is queried afresh.
const REQUERY_SHARE: f64 = 0.05;

/// Each household's `m` nearest centers of `g`, nearest first (ties by index), from
/// `cache` where it is provably right and from a k-d tree elsewhere; refreshes `cache`
/// when it is missing, for another `m`, or failed for many households.
fn nearest_centers(
    prob: &Travel<'_>,
    g: &[[f64; 2]],
    m: usize,
    cache: &mut Option<Candidates>,
) -> Vec<u32> {
    let index = PowerIndex::new(g, &vec![0.0; g.len()]);
    let query = |x: [f64; 2], found: &mut Vec<u32>| index.nearest(x, m, found);
    let n = prob.points.len();
    if let Some(c) = cache
        .as_ref()
        .filter(|c| c.at.len() == g.len() && c.near.len() == n * m)
        && let Some(near) = from_cache(prob, g, m, c, &index)
    {
        return near;
    }
    let near: Vec<u32> = prob
        .points
        .par_iter()
        .map_init(Vec::new, |found, &x| {
            query(x, found);
            found.clone()
        })
        .flatten_iter()
        .collect();
    let reach = if m < g.len() {
        prob.points
            .par_iter()
            .enumerate()
            .map(|(i, &x)| dist2(x, g[near[i * m + m - 1] as usize]).sqrt())
            .collect()
    } else {
        vec![f64::INFINITY; n]
    };
    *cache = Some(Candidates {
        near: near.clone(),
        reach,
        at: g.to_vec(),
    });
    near
}

/// The households' `m` nearest centers from the kept candidates `c` (see [`Candidates`]),
/// the k-d tree `index` answering for the households whose test fails; `None` when it
/// fails for more than [`REQUERY_SHARE`] of them.
fn from_cache(
    prob: &Travel<'_>,
    g: &[[f64; 2]],
    m: usize,
    c: &Candidates,
    index: &PowerIndex,
) -> Option<Vec<u32>> {
    let n = prob.points.len();
    // The few centers that moved farthest are compared with each household directly;
    // every other center moved by `moved` at most.
    let mut shift: Vec<(f64, u32)> =
        c.at.iter()
            .zip(g)
            .enumerate()
            .map(|(j, (a, b))| (dist2(*a, *b).sqrt(), j as u32))
            .collect();
    shift.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let far = FAR_MOVERS.min(shift.len() - 1);
    let moved = shift[far].0;
    let movers: Vec<u32> = shift[..far].iter().map(|s| s.1).collect();
    let mut near = vec![0u32; n * m];
    let failed: usize = near
        .par_chunks_mut(m)
        .enumerate()
        .map_init(Vec::new, |found, (i, out)| {
            let x = prob.points[i];
            let listed = &c.near[i * m..(i + 1) * m];
            let mut list: Vec<(f64, u32)> = listed
                .iter()
                .map(|&j| (dist2(x, g[j as usize]), j))
                .collect();
            list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            // The first of the list is the nearest center when it is within
            // reach − moved and no far mover outside the list is as near; the rest
            // stay the arcs of the repair's graph (the check adds any it misses).
            // Otherwise the k-d tree answers.
            let best = list[0].0;
            let sure = best.sqrt() <= c.reach[i] - moved
                && movers
                    .iter()
                    .all(|j| listed.contains(j) || dist2(x, g[*j as usize]) > best);
            if sure {
                for (o, (_, j)) in out.iter_mut().zip(&list) {
                    *o = *j;
                }
                0
            } else {
                index.nearest(x, m, found);
                out.copy_from_slice(found);
                1
            }
        })
        .sum();
    ((failed as f64) <= REQUERY_SHARE * n as f64).then_some(near)
}

/// Whether every catchment's size lies within the bounds.
pub(super) fn sizes_within(prob: &Travel<'_>, labels: &[u32], k: usize) -> bool {
    sizes(prob.weights, labels, k)
        .iter()
        .all(|&s| s >= prob.lo && s <= prob.hi)
}

/// The total weighted distance of the households to their catchments' geometric medians
/// (found from `from`).
pub(crate) fn median_total(prob: &Travel<'_>, labels: &[u32], from: &[[f64; 2]]) -> f64 {
    total(
        prob,
        labels,
        &medians(prob.points, prob.weights, labels, from),
    )
}

/// The total weighted distance of the households to their catchment's center `g`.
pub(crate) fn total(prob: &Travel<'_>, labels: &[u32], g: &[[f64; 2]]) -> f64 {
    prob.points
        .iter()
        .zip(prob.weights)
        .zip(labels)
        .map(|((p, &w), &l)| f64::from(w) * dist2(*p, g[l as usize]).sqrt())
        .sum()
}

/// Moves every household to its best catchment under the prices `y` among those the graph
/// links to its own and its own nearest centers `near` (`m` per household), unless its
/// own is within a millimetre of the best. With the complete graph of a small region this
/// is every catchment.
fn relabel(
    prob: &Travel<'_>,
    g: &[[f64; 2]],
    y: &[f64],
    graph: &[Vec<u32>],
    near: &[u32],
    labels: &mut [u32],
) {
    let m = near.len() / labels.len().max(1);
    labels.par_iter_mut().enumerate().for_each(|(i, l)| {
        let x = prob.points[i];
        let value = |j: usize| dist2(x, g[j]).sqrt() - y[j];
        let a = *l as usize;
        let (mut best, mut v) = (a, value(a));
        for &j in graph[a].iter().chain(&near[i * m..(i + 1) * m]) {
            let vj = value(j as usize);
            if vj < v - 1e-3 || (vj < v && best != a) {
                (best, v) = (j as usize, vj);
            }
        }
        *l = best as u32;
    });
}

/// Each catchment's geometric median, by up to [`WEISZFELD_STEPS`] Weiszfeld steps from
/// `from`, stopping once no center moves by a centimetre (a catchment without households
/// keeps its center).
pub(super) fn medians(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    from: &[[f64; 2]],
) -> Vec<[f64; 2]> {
    weiszfeld(points, weights, labels, from, WEISZFELD_STEPS, 1e-4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balance::distance::travel_balance;
    use crate::balance::{BalanceParams, balance};

    fn scattered(n: usize, seed: u64) -> Vec<[f64; 2]> {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n)
            .map(|i| {
                // Two dense quarters and a sparse rest: borders between unequal densities.
                let (cx, cy, r) = match i % 3 {
                    0 => (2_000.0, 2_000.0, 1_500.0),
                    1 => (6_000.0, 5_000.0, 1_000.0),
                    _ => (5_000.0, 5_000.0, 5_000.0),
                };
                let (a, d) = (next() * std::f64::consts::TAU, r * next().sqrt());
                [cx + d * a.cos(), cy + d * a.sin()]
            })
            .collect()
    }

    #[test]
    fn travel_shortens_trips_within_the_bounds() {
        for seed in 1..=3 {
            let points = scattered(3_000, seed);
            let weights = vec![1; points.len()];
            let params = BalanceParams {
                k: 12,
                lo: 225,
                hi: 275,
                max_iterations: 100,
                restarts: 2,
                seed,
            };
            let squared = balance(&points, &weights, &params);
            assert!(squared.balanced);
            let prob = Travel {
                points: &points,
                weights: &weights,
                lo: params.lo,
                hi: params.hi,
                max_iterations: 50,
                effort: 1.0,
                seed,
            };
            let medians0 = medians(&points, &weights, &squared.labels, &squared.centers);
            let before = total(&prob, &squared.labels, &medians0);
            let out = travel_balance(&prob, squared, false).expect("the moves pay");
            let after = total(&prob, &out.labels, &out.centers);
            assert!(out.balanced);
            assert!(out.sizes.iter().all(|&s| (225..=275).contains(&s)));
            assert!(after < before, "seed {seed}: {after} ≥ {before}");
            // Every household is in the catchment of its additively weighted diagram, up
            // to the arcs the repair searched: within a metre of the best.
            let (g, y) = (&out.centers, &out.power);
            let off = points
                .iter()
                .zip(&out.labels)
                .filter(|(p, l)| {
                    let own = dist2(**p, g[**l as usize]).sqrt() - y[**l as usize];
                    (0..g.len()).any(|j| dist2(**p, g[j]).sqrt() - y[j] < own - 1.0)
                })
                .count();
            assert_eq!(off, 0, "seed {seed}");
        }
    }

    /// From the prices of other centers (a warm start, as the rounds make one) the
    /// assignment reaches the total it reaches from prices 0, within the bounds: the repair
    /// brings back to 0 the warm prices their catchments' sizes do not bear out.
    #[test]
    fn a_warm_start_reaches_the_cold_optimum() {
        let total_of = |points: &[[f64; 2]], g: &[[f64; 2]], labels: &[u32]| -> f64 {
            points
                .iter()
                .zip(labels)
                .map(|(p, &l)| dist2(*p, g[l as usize]).sqrt())
                .sum()
        };
        for (seed, k, tol) in [(1, 12, 0.1), (2, 40, 0.1), (3, 60, 0.02), (4, 45, 0.0)] {
            let points = scattered(4_000, seed);
            let n = points.len() as f64;
            let weights = vec![1; points.len()];
            let target = n / k as f64;
            let prob = Travel {
                points: &points,
                weights: &weights,
                lo: ((1.0 - tol) * target).floor() as u64,
                hi: ((1.0 + tol) * target).ceil() as u64,
                max_iterations: 1,
                effort: 0.0,
                seed,
            };
            let mut g: Vec<[f64; 2]> = (0..k).map(|j| points[j * 61 + 5]).collect();
            let mut labels = Vec::new();
            let mut y = assign_cached(&prob, &g, &mut labels, &mut None, None, false);
            // The centers move as a round moves them: all a little, a few far.
            for round in 0..4 {
                for (j, c) in g.iter_mut().enumerate() {
                    let a = (j * 5 + round) as f64;
                    let r = if j % 11 == round { 1_500.0 } else { 80.0 };
                    c[0] += r * a.cos();
                    c[1] += r * a.sin();
                }
                let mut cold = Vec::new();
                assign_cached(&prob, &g, &mut cold, &mut None, None, false);
                y = assign_cached(&prob, &g, &mut labels, &mut None, Some(&y), false);
                let sizes = sizes(&weights, &labels, k);
                assert!(
                    sizes.iter().all(|&s| (prob.lo..=prob.hi).contains(&s)),
                    "seed {seed}, round {round}: {sizes:?}"
                );
                let (warm_total, cold_total) =
                    (total_of(&points, &g, &labels), total_of(&points, &g, &cold));
                // Neither start is exact beyond the arcs the repair searched (see
                // `tests/oracle.rs`); they agree within 0.003 % on these cases.
                assert!(
                    (warm_total - cold_total).abs() <= 2e-4 * cold_total,
                    "seed {seed}, round {round}: warm {warm_total}, cold {cold_total}"
                );
            }
        }
    }

    /// The arcs marked in the bit table are those of sorting every household's list out.
    #[test]
    fn linked_candidates_are_each_arc_once() {
        let (k, m, n) = (45usize, 4usize, 3_000usize);
        let mut state = 0x2545_F491_u64;
        let mut next = move |r: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            ((state >> 33) % r as u64) as u32
        };
        let labels: Vec<u32> = (0..n).map(|_| next(k)).collect();
        let near: Vec<u32> = (0..n * m).map(|_| next(k)).collect();
        let mut graph: Vec<Vec<u32>> = (0..k).map(|_| vec![next(k), next(k)]).collect();
        let mut expected = graph.clone();
        for (i, &a) in labels.iter().enumerate() {
            for &b in &near[i * m..(i + 1) * m] {
                if b != a {
                    expected[a as usize].push(b);
                    expected[b as usize].push(a);
                }
            }
        }
        for list in &mut expected {
            list.sort_unstable();
            list.dedup();
        }
        link_candidates(&mut graph, &labels, &near);
        assert_eq!(graph, expected);
    }

    /// The nearest centers kept across rounds give every household the same nearest center
    /// as a fresh k-d query, while centers move a little (all of them) or far (a few).
    #[test]
    fn kept_candidates_give_the_nearest_center() {
        let points = scattered(4_000, 7);
        let weights = vec![1; points.len()];
        let prob = Travel {
            points: &points,
            weights: &weights,
            lo: 0,
            hi: 4_000,
            max_iterations: 1,
            effort: 0.0,
            seed: 1,
        };
        let mut g: Vec<[f64; 2]> = (0..40).map(|j| points[j * 97]).collect();
        let mut cache = None;
        let m = ARC_CANDIDATES;
        for round in 0..6 {
            let kept = nearest_centers(&prob, &g, m, &mut cache);
            let fresh = nearest_centers(&prob, &g, m, &mut None);
            for i in 0..points.len() {
                let (a, b) = (kept[i * m] as usize, fresh[i * m] as usize);
                assert!(
                    dist2(points[i], g[a]) <= dist2(points[i], g[b]),
                    "round {round}, household {i}"
                );
            }
            // Every center drifts by up to 60 m, three jump by 2 km.
            for (j, c) in g.iter_mut().enumerate() {
                let a = (j * 7 + round) as f64;
                let r = if j % 13 == round % 13 { 2_000.0 } else { 60.0 };
                c[0] += r * a.cos();
                c[1] += r * a.sin();
            }
        }
    }

    #[test]
    fn medians_are_not_pulled_by_an_outlier() {
        let mut points: Vec<[f64; 2]> = (0..9).map(|i| [f64::from(i) * 10.0, 0.0]).collect();
        points.push([10_000.0, 0.0]);
        let weights = vec![1; points.len()];
        let labels = vec![0; points.len()];
        let m = medians(&points, &weights, &labels, &[[1_000.0, 0.0]]);
        // The median of 10 points on a line lies between the 5th and 6th; the centroid
        // would be at 1,036 m.
        assert!(m[0][0] > 35.0 && m[0][0] < 55.0, "{:?}", m[0]);
    }
}
