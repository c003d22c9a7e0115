//! Size-balanced k-means whose catchments are the cells of a power diagram.
//!
//! # Parameters
//! Planar points in metres with integer weights (households per point), the number of
//! catchments `k`, size bounds `[lo, hi]`, an iteration cap, restarts and a seed
//! ([`BalanceParams`]).
//!
//! # Returns
//! A label per point, the catchment centers, the power weights and diagnostics
//! ([`Balanced`]). Point `i` lies in the power cell of its catchment:
//! `‖x_i − c_l‖² − w_l ≤ ‖x_i − c_j‖² − w_j` for every `j` (up to `eps` ≈ 10⁻³ m²).
//!
//! # Algorithm
//! 1. Seed with a balanced k-d split of the region, rotated by a seeded angle
//!    (every part holds ≈ W/k households; centers are the parts' centroids), or, on every
//!    other restart, with weighted k-means++ seeding followed by a few plain k-means steps
//!    and a few greedy balanced steps (each point to its nearest center with room, in
//!    order of distance), so that the first exact assignment does not have to move
//!    households across the region.
//! 2. Assignment: solve the size-constrained transportation problem for the current
//!    centers exactly by successive shortest paths on the catchment graph (see `assign`),
//!    warm started from the previous power weights (cold for the first two steps of a
//!    seeded start, whose centers move far) and finished when the optimality
//!    conditions hold. The optimum of that problem is a power diagram
//!    (Aurenhammer, Hoffmann & Aronov 1998), so polygons never overlap. The first steps,
//!    every eighth and the last are checked against all centers; the others reuse the
//!    catchment graph of the last checked step, which skips the check. With many
//!    households per catchment the check compares each household with the few
//!    neighbours of its label's power cell (computed once per check, see `adjacency`);
//!    with few (the coarse search), a k-d tree query per household costs less.
//! 3. Update each center towards the weighted centroid of its households, over-relaxed
//!    (1.8 times the step) while the objective keeps falling: under size bounds
//!    Lloyd steps creep towards their fixed point, and over-relaxation reaches a lower
//!    objective in fewer steps (0.6 % lower on the national file).
//! 4. Repeat 2–3 until the labels stop changing or the objective stops improving.
//! 5. With `restarts > 1`, repeat 1–4 from other seeded starts (in parallel) and keep the
//!    lowest squared-distance objective (of the runs within 1 % of it, the one with the
//!    shortest mean distance); then try relocation moves (a center that is cheap to remove
//!    splits the most spread-out catchment) and keep those that lower it.
//! 6. Coarse to fine: with more than 48 points per catchment, steps 1–5 run on groups of
//!    about W/(24·k) households (a balanced k-d split; each group a weighted point at its
//!    centroid), with more starts when the coarse problem is small; then steps 2–4 run
//!    once on the households, warm started from the coarse centers and power weights.
//!    The search is thus paid on about 24 points per catchment, whatever the input size.
//!    With 128 catchments or more, steps 1–5 run on groups twice as large (about 12 per
//!    catchment) and steps 2–4 once on the regular groups from there: the starts and
//!    relocation moves, whose cost grows with `k`, cost about half.
//! 7. Travel polish (with `restarts > 1`): households feel distance, not squared
//!    distance, so the generators are moved part of the way from the centroids towards
//!    the geometric medians (exact power diagrams again); a variant is kept when its mean
//!    distance shrinks by at least 5 times the relative growth of the squared-distance
//!    objective, which may grow by 1 % at most. The first round tries half of the way,
//!    then all of it unless the half step failed that test while raising the objective
//!    (near the optimum the objective grows with the square of the step, the trips
//!    shorten about in proportion); later rounds repeat the step kept. Trials are
//!    assigned on the catchment graph of the current plan, and only the one kept is
//!    checked against all centers.
//!
//! # Notes
//! Weighted points are never split, so with `--tolerance 0` sizes can differ by up to the
//! largest weight. Not converging is reported in the diagnostics, not as an error.
//!
//! # Complexity and memory
//! A checked assignment costs `O(n·d)` on the fine level (`d` ≈ 6–10 neighbours of a
//! power cell, plus `O(k·log k)` to find them) and `O(n·m·log k)` on the coarse level
//! (k-d tree queries, `m` = 7 candidates), plus the ascent, which touches only catchments
//! whose sizes are out of balance and, for each, a shortlist of its cheapest households
//! per neighbouring catchment; an unchecked step costs `O(n·d)` for `d` graph neighbours
//! per catchment (about 10–20). There is no `n × k` or `k × k` structure anywhere.
//! Memory per household during the fine phase: coordinates (16 bytes), weight (4),
//! label, previous label and canonical order (12) and the ascent's member index (4):
//! about 40 bytes, plus the caller's copy of the input row (the coarse level adds 7
//! candidates, 28 bytes, per coarse point only).
//!
//! # Parallelism
//! The k-d tree queries, the power cells' neighbours and the per-household checks run on
//! rayon's pool; each result is written to its own slot, and every sum is taken
//! sequentially in household order, so the output is byte-identical whatever the thread
//! count.

mod adjacency;
mod assign;
mod coarsen;
mod init;

use crate::geometry::dist2;
use assign::PowerIndex;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Relative objective improvement below which the iterations stop.
const STALL: f64 = 1e-5;
/// The same for the refinement of a coarse solution.
const REFINE_STALL: f64 = 2e-4;
/// Every this many iterations the assignment is exact again (fresh k-d tree candidates).
const REFRESH: usize = 8;

/// Inputs of [`balance`] besides the points.
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceParams {
    /// Number of catchments.
    pub k: usize,
    /// Smallest allowed catchment size (households).
    pub lo: u64,
    /// Largest allowed catchment size (households).
    pub hi: u64,
    /// Iteration cap.
    pub max_iterations: usize,
    /// Independent starts; the best objective wins.
    pub restarts: usize,
    /// Seed for the start orientation.
    pub seed: u64,
}

/// A balanced partition.
#[derive(Debug, Clone, PartialEq)]
pub struct Balanced {
    /// Catchment of each point, in `0..k`.
    pub labels: Vec<u32>,
    /// Centers the power diagram was computed for (planar metres).
    pub centers: Vec<[f64; 2]>,
    /// Power weights in m²; point `i` minimises `‖x_i − c_j‖² − power_j`.
    pub power: Vec<f64>,
    /// Households per catchment.
    pub sizes: Vec<u64>,
    /// Weighted sum of squared distances to the catchment centroids, in m².
    pub sse_m2: f64,
    /// Iterations run (of the winning start).
    pub iterations: usize,
    /// True when the iterations reached a fixed point within the cap.
    pub converged: bool,
    /// True when every catchment is within `[lo, hi]`.
    pub balanced: bool,
}

/// Per label in `0..k`: the weighted sums of x and y, and the total weight.
fn weighted_sums(points: &[[f64; 2]], weights: &[u32], labels: &[u32], k: usize) -> Vec<[f64; 3]> {
    let mut sum = vec![[0.0f64; 3]; k];
    for ((p, &w), &l) in points.iter().zip(weights).zip(labels) {
        let s = &mut sum[l as usize];
        let w = f64::from(w);
        s[0] += w * p[0];
        s[1] += w * p[1];
        s[2] += w;
    }
    sum
}

/// Weighted centroids; an empty catchment keeps its previous center.
fn centroids(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    previous: &[[f64; 2]],
) -> Vec<[f64; 2]> {
    weighted_sums(points, weights, labels, previous.len())
        .iter()
        .zip(previous)
        .map(|(s, prev)| {
            if s[2] > 0.0 {
                [s[0] / s[2], s[1] / s[2]]
            } else {
                *prev
            }
        })
        .collect()
}

/// Each catchment's approximate geometric median: a few Weiszfeld steps from its centroid
/// `cents` (squared distances pull centers towards outlying households, plain travel
/// distance does not).
fn medians(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    cents: &[[f64; 2]],
) -> Vec<[f64; 2]> {
    let k = cents.len();
    let mut y = cents.to_vec();
    for _ in 0..WEISZFELD_STEPS {
        let mut acc = vec![[0.0f64; 3]; k];
        for ((p, &w), &l) in points.iter().zip(weights).zip(labels) {
            let l = l as usize;
            let d = dist2(*p, y[l]).sqrt().max(1.0);
            let f = f64::from(w) / d;
            acc[l][0] += f * p[0];
            acc[l][1] += f * p[1];
            acc[l][2] += f;
        }
        for (yj, a) in y.iter_mut().zip(&acc) {
            if a[2] > 0.0 {
                *yj = [a[0] / a[2], a[1] / a[2]];
            }
        }
    }
    y
}

/// Each center moved from its centroid `cents` a fraction `beta` of the way towards its
/// median `medians`.
fn toward(cents: &[[f64; 2]], medians: &[[f64; 2]], beta: f64) -> Vec<[f64; 2]> {
    cents
        .iter()
        .zip(medians)
        .map(|(c, m)| [c[0] + beta * (m[0] - c[0]), c[1] + beta * (m[1] - c[1])])
        .collect()
}

/// Plain k-means steps after k-means++ seeding.
const PLAIN_STEPS: usize = 4;

/// Greedy balanced steps after the plain ones.
const GREEDY_STEPS: usize = 4;

/// Over-relaxation of the center update: a center moves this many times the way to its
/// centroid while the objective keeps falling. Lloyd iterations under size bounds creep
/// towards their fixed point; over-relaxing (as in successive over-relaxation) reaches a
/// lower objective in fewer iterations.
const OVERRELAX: f64 = 1.8;

/// Assignments that start cold (from the plain Voronoi diagram) in a run that does not
/// start from given weights: in the first steps the centers move so far that the previous
/// weights are a worse guide than none.
const COLD_STEPS: usize = 2;

/// Weiszfeld steps of [`medians`].
const WEISZFELD_STEPS: usize = 6;

fn sse(points: &[[f64; 2]], weights: &[u32], labels: &[u32], centers: &[[f64; 2]]) -> f64 {
    points
        .iter()
        .zip(weights)
        .zip(labels)
        .map(|((p, &w), &l)| f64::from(w) * dist2(*p, centers[l as usize]))
        .sum()
}

/// Partitions weighted planar points into `k` catchments with sizes in `[lo, hi]` that
/// minimise the squared distance to their centroids, as a power diagram.
///
/// ```
/// use siting::balance::{balance, BalanceParams};
/// let points: Vec<[f64; 2]> = (0..600).map(|i| [(i % 30) as f64 * 50.0, (i / 30) as f64 * 40.0]).collect();
/// let weights = vec![1; points.len()];
/// let params = BalanceParams { k: 4, lo: 140, hi: 160, max_iterations: 50, restarts: 1, seed: 1 };
/// let plan = balance(&points, &weights, &params);
/// assert!(plan.balanced);
/// assert!(plan.sizes.iter().all(|&s| (140..=160).contains(&s)));
/// ```
pub fn balance(points: &[[f64; 2]], weights: &[u32], params: &BalanceParams) -> Balanced {
    let mut best = balance_unwidened(points, weights, params);
    // Keep households off the cell edges (by 2 cm) so rounded polygons still contain them.
    let k = best.centers.len();
    if k > 1 && best.balanced {
        let prob = assign::Problem::new(points, weights, k, params.lo, params.hi);
        let graph = assign::graph_around(&prob, &best.centers, &best.power, &best.labels);
        assign::widen_margins(
            &prob,
            &best.centers,
            &mut best.power,
            &best.labels,
            &graph,
            0.02,
        );
    }
    best
}

fn balance_unwidened(points: &[[f64; 2]], weights: &[u32], params: &BalanceParams) -> Balanced {
    let k = params.k.max(1);
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let g = total / k as u64 / GROUPS_PER_CATCHMENT;
    if g >= 2 && points.len() > COARSEN_ABOVE * k {
        let coarse = coarsen::coarsen(points, weights, g);
        if coarse.points.len() * 2 < points.len() {
            // Search on the groups, then refine on the households from the groups'
            // centers and power weights.
            let (lo, hi) = coarse_bounds(&coarse.weights, k, params.lo, params.hi);
            let loose = BalanceParams {
                lo,
                hi,
                restarts: extra_starts(params.restarts, coarse.points.len()),
                ..params.clone()
            };
            // Groups count as one each (they hold nearly equal numbers of households):
            // with unit points the coarse assignment is exact and never strands room
            // smaller than a group.
            let ones = vec![1u32; coarse.points.len()];
            let found = match larger_groups(points, weights, params, total) {
                // With many catchments the search runs on groups twice as large and is
                // refined on these.
                Some((larger, rough)) => {
                    let found = search(&larger.points, &vec![1u32; larger.points.len()], &rough);
                    let start = Start::Refine(found.centers, found.power);
                    balance_once(&coarse.points, &ones, &loose, &start)
                }
                None => search(&coarse.points, &ones, &loose),
            };
            // Power is in m² per unit point: the same scale for the households.
            let start = Start::Refine(found.centers, found.power);
            let fine = balance_once(points, weights, params, &start);
            return travel_polish(points, weights, params, fine);
        }
    }
    let best = search(points, weights, params);
    travel_polish(points, weights, params, best)
}

/// Up to [`POLISH_ROUNDS`] rounds of [`polish`], all within [`POLISH_SLACK`] of the
/// objective of `best`.
fn travel_polish(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    best: Balanced,
) -> Balanced {
    if params.restarts < 2 {
        return best;
    }
    let limit = best.sse_m2 * (1.0 + POLISH_SLACK);
    let prob = assign::Problem::new(points, weights, best.centers.len(), params.lo, params.hi);
    let mut around = assign::graph_around(&prob, &best.centers, &best.power, &best.labels);
    let mut current = best;
    // The first round tries every step; later rounds repeat the one that was kept.
    let mut steps = POLISH_STEPS.to_vec();
    for _ in 0..POLISH_ROUNDS {
        let (next, kept) = polish(points, weights, params, current, limit, &steps, &mut around);
        current = next;
        match kept {
            Some(beta) => steps = vec![beta],
            None => break,
        }
    }
    current
}

/// For [`LARGER_GROUPS_FROM`] catchments or more: groups of about `W/(12·k)` households
/// and the search parameters for them (bounds in groups, the configured starts).
fn larger_groups(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    total: u64,
) -> Option<(coarsen::Coarse, BalanceParams)> {
    let k = params.k.max(1);
    let g = total / k as u64 / LARGER_GROUPS_PER_CATCHMENT;
    if k < LARGER_GROUPS_FROM || g < 2 {
        return None;
    }
    let larger = coarsen::coarsen(points, weights, g);
    let (lo, hi) = coarse_bounds(&larger.weights, k, params.lo, params.hi);
    let rough = BalanceParams {
        lo,
        hi,
        ..params.clone()
    };
    Some((larger, rough))
}

/// Catchments from which the search runs on larger groups ([`larger_groups`]): its
/// starts and relocation moves then cost about half, which matters when `k` is large
/// (measured on generated files: CPU −7 to −10 % nationally by province, −47 % for one
/// region of 1,000,000 households; the objective within ±0.5 % and the mean distance
/// 0.1–0.5 % shorter; `benches/README.md`). Below it the search is cheap anyway and keeps
/// the finer groups, which did better there.
const LARGER_GROUPS_FROM: usize = 128;
/// Target number of groups per catchment for [`larger_groups`].
const LARGER_GROUPS_PER_CATCHMENT: u64 = 12;

/// Size bounds in groups for the coarse problem: inside `[lo, hi]` households (rounded
/// inwards by the mean group size), widened only as far as `k` catchments need to hold
/// every group.
fn coarse_bounds(groups: &[u32], k: usize, lo: u64, hi: u64) -> (u64, u64) {
    let n = groups.len() as u64;
    let total: u64 = groups.iter().map(|&w| u64::from(w)).sum();
    let h = total as f64 / n.max(1) as f64;
    let k = k.max(1) as u64;
    let mut lo_c = (lo as f64 / h).ceil() as u64;
    let mut hi_c = (hi as f64 / h).floor() as u64;
    lo_c = lo_c.min(n / k);
    hi_c = hi_c.max(n.div_ceil(k)).max(lo_c).max(1);
    (lo_c, hi_c)
}

/// Starts for a coarse search of `n` points: small problems get more of them (up to
/// [`MAX_STARTS`]) since each costs little; a single start stays single.
fn extra_starts(restarts: usize, n: usize) -> usize {
    if restarts < 2 {
        return restarts.max(1);
    }
    restarts.max((START_BUDGET / n.max(1)).min(MAX_STARTS))
}

/// Coarse points × starts below which a coarse search adds starts. Halving it from 8,000
/// cut national CPU by 4 % (objective +0.03 % at most there), but a region of 44
/// catchments (the 20 k peer file) lost the start that won: objective +1 %, still below
/// k-means-constrained's; `benches/README.md`.
const START_BUDGET: usize = 4_000;
/// Most starts of a coarse search.
const MAX_STARTS: usize = 12;

/// Target number of groups per catchment when coarsening.
const GROUPS_PER_CATCHMENT: u64 = 24;
/// Coarsen only with more than this many points per catchment.
const COARSEN_ABOVE: usize = 48;

/// Nearest-point queries over a fixed set of planar points (a k-d tree), for callers
/// outside the balancing such as the data generator.
pub(crate) struct PlaceIndex {
    index: PowerIndex,
}

impl PlaceIndex {
    /// An index over `points`.
    pub(crate) fn new(points: &[[f64; 2]]) -> Self {
        PlaceIndex {
            index: PowerIndex::new(points, &vec![0.0; points.len()]),
        }
    }

    /// The index of the point nearest `p`.
    pub(crate) fn nearest(&self, p: [f64; 2]) -> usize {
        self.index.nearest_one(p, &mut Vec::new()) as usize
    }
}

/// Seeded starts in parallel, the best kept, then relocation moves.
fn search(points: &[[f64; 2]], weights: &[u32], params: &BalanceParams) -> Balanced {
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let starts: Vec<Start> = (0..params.restarts.max(1))
        .map(|r| {
            if r % 2 == 0 {
                Start::KdSplit(rng.random::<f64>() * std::f64::consts::PI)
            } else {
                Start::PlusPlus(rng.random::<u64>())
            }
        })
        .collect();
    let runs: Vec<Balanced> = starts
        .par_iter()
        .map(|start| balance_once(points, weights, params, start))
        .collect();
    // The best balanced run by objective; ties go to the earlier start. Then, among the
    // balanced runs within POLISH_SLACK of it, the one with the shortest trips.
    let lowest = runs
        .iter()
        .reduce(|b, run| if better(run, b) { run } else { b })
        .expect("invariant: at least one start runs");
    let limit = lowest.sse_m2 * (1.0 + POLISH_SLACK);
    let balanced = lowest.balanced;
    let best = runs
        .into_iter()
        .filter(|run| run.balanced == balanced && run.sse_m2 <= limit)
        .map(|run| {
            (
                mean_distance(points, weights, &run.labels, &run.centers),
                run,
            )
        })
        .reduce(|b, run| if run.0 < b.0 { run } else { b })
        .map(|(_, run)| run)
        .expect("invariant: the lowest run qualifies");
    relocate(points, weights, params, best)
}

/// True when `a` beats `b`: balanced first, then the lower objective.
fn better(a: &Balanced, b: &Balanced) -> bool {
    (a.balanced && !b.balanced) || (a.balanced == b.balanced && a.sse_m2 < b.sse_m2)
}

/// Rounds of relocation moves tried after the restarts (a fourth round seldom found a
/// better plan on the generated files).
const RELOCATIONS: usize = 3;

/// Relocation moves (a swap local search in the manner of Kanungo et al.): a center whose
/// households are cheapest to hand to their next-nearest centers moves next to the center
/// of the most spread-out catchment, which it splits; the iterations re-run from there and
/// the result is kept when the objective improves. Lloyd iterations alone cannot make such
/// moves, since a center would have to cross empty land between towns. The candidate moves
/// of one round run in parallel.
fn relocate(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    mut best: Balanced,
) -> Balanced {
    let k = best.centers.len();
    if k < 4 || params.restarts < 2 {
        return best;
    }
    for _ in 0..RELOCATIONS {
        let cents = centroids(points, weights, &best.labels, &best.centers);
        let index = PowerIndex::new(&cents, &vec![0.0; k]);
        let mut spread = vec![0.0f64; k];
        let mut removal = vec![0.0f64; k];
        let mut buf = Vec::new();
        for (i, p) in points.iter().enumerate() {
            let l = best.labels[i] as usize;
            let w = f64::from(weights[i]);
            let own = dist2(*p, cents[l]);
            spread[l] += w * own;
            index.nearest(*p, 2, &mut buf);
            let other = buf
                .iter()
                .map(|&j| j as usize)
                .find(|&j| j != l)
                .unwrap_or(l);
            removal[l] += w * (dist2(*p, cents[other]) - own);
        }
        let mut donors: Vec<usize> = (0..k).collect();
        donors.sort_by(|&a, &b| removal[a].total_cmp(&removal[b]).then(a.cmp(&b)));
        let mut takers: Vec<usize> = (0..k).collect();
        takers.sort_by(|&a, &b| spread[b].total_cmp(&spread[a]).then(a.cmp(&b)));
        let moves: Vec<(usize, usize)> = donors
            .iter()
            .take(2)
            .flat_map(|&a| takers.iter().take(2).map(move |&b| (a, b)))
            .filter(|&(a, b)| a != b)
            .collect();
        let trials: Vec<Balanced> = moves
            .par_iter()
            .map(|&(a, b)| {
                let mut centers = cents.clone();
                let (u, v) = split_pair(points, weights, &best.labels, b, cents[b]);
                centers[b] = u;
                centers[a] = v;
                let start = Start::Warm(centers, best.power.clone());
                balance_once(points, weights, params, &start)
            })
            .collect();
        match trials
            .into_iter()
            .reduce(|b, run| if better(&run, &b) { run } else { b })
        {
            Some(run) if better(&run, &best) => best = run,
            _ => break,
        }
    }
    best
}

/// Two points splitting catchment `b` along its principal axis, ±0.6 standard deviations
/// from its centroid `c`.
fn split_pair(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    b: usize,
    c: [f64; 2],
) -> ([f64; 2], [f64; 2]) {
    let (mut sxx, mut sxy, mut syy, mut sw) = (0.0, 0.0, 0.0, 0.0);
    for ((p, &w), &l) in points.iter().zip(weights).zip(labels) {
        if l as usize == b {
            let w = f64::from(w);
            let (dx, dy) = (p[0] - c[0], p[1] - c[1]);
            sxx += w * dx * dx;
            sxy += w * dx * dy;
            syy += w * dy * dy;
            sw += w;
        }
    }
    let sw = sw.max(1.0);
    let (sxx, sxy, syy) = (sxx / sw, sxy / sw, syy / sw);
    let half = (sxx + syy) / 2.0;
    let lambda = half + (half * half - (sxx * syy - sxy * sxy)).max(0.0).sqrt();
    let (vx, vy) = if sxy.abs() > 1e-12 {
        (lambda - syy, sxy)
    } else if sxx >= syy {
        (1.0, 0.0)
    } else {
        (0.0, 1.0)
    };
    let norm = vx.hypot(vy).max(1e-12);
    let off = 0.6 * lambda.max(0.0).sqrt();
    (
        [c[0] + off * vx / norm, c[1] + off * vy / norm],
        [c[0] - off * vx / norm, c[1] - off * vy / norm],
    )
}

/// How a run starts.
#[derive(Debug, Clone)]
enum Start {
    /// Balanced k-d split rotated by this angle.
    KdSplit(f64),
    /// k-means++ seeding with this seed.
    PlusPlus(u64),
    /// Given centers and power weights (a warm first assignment).
    Warm(Vec<[f64; 2]>, Vec<f64>),
    /// The refinement of a coarse solution: warm, and stopping sooner.
    Refine(Vec<[f64; 2]>, Vec<f64>),
}

fn balance_once(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    start: &Start,
) -> Balanced {
    let k = params.k.max(1);
    let n = points.len();
    // The refinement of a coarse solution stops sooner: it starts near a local optimum.
    let (stall, exact_first) = if matches!(start, Start::Refine(..)) {
        (REFINE_STALL, 1)
    } else {
        (STALL, 3)
    };
    let prob = assign::Problem::new(points, weights, k, params.lo, params.hi);
    let mut power = vec![0.0f64; k];
    let mut warm = false;
    let (mut labels, mut centers) = match start {
        Start::KdSplit(angle) => {
            let labels = init::kd_partition(points, weights, k, *angle);
            let centers = centroids(points, weights, &labels, &vec![[0.0, 0.0]; k]);
            (labels, centers)
        }
        Start::PlusPlus(seed) => {
            let mut centers = init::plus_plus(points, weights, k, *seed);
            // A few plain k-means steps (no size bounds) first pull the seeds into the
            // dense places, so the first size-constrained assignment moves far fewer
            // households.
            let mut buf = Vec::new();
            let mut labels = vec![0u32; n];
            for _ in 0..PLAIN_STEPS {
                let index = PowerIndex::new(&centers, &vec![0.0; k]);
                for (l, p) in labels.iter_mut().zip(points) {
                    *l = index.nearest_one(*p, &mut buf);
                }
                centers = centroids(points, weights, &labels, &centers);
            }
            // Then a few greedy balanced steps (capacity-respecting nearest assignments):
            // k-means centers sit too densely where households are sparse, and starting
            // the exact assignment from them would move households across the region.
            for _ in 0..GREEDY_STEPS {
                labels = init::greedy_labels(points, weights, &centers, params.hi);
                centers = centroids(points, weights, &labels, &centers);
            }
            (labels, centers)
        }
        Start::Warm(c, w) | Start::Refine(c, w) => {
            power.copy_from_slice(w);
            warm = true;
            (Vec::new(), c.clone())
        }
    };
    let mut graph = assign::Graph::default();
    let mut prev_labels: Vec<u32> = Vec::with_capacity(n);
    let mut prev_sse = f64::INFINITY;
    let mut iterations = 0;
    let mut converged = false;
    let mut exact_next = true;
    // Whether the latest step was an exact assignment that met its conditions.
    let mut exact_done = false;
    while iterations < params.max_iterations {
        iterations += 1;
        std::mem::swap(&mut prev_labels, &mut labels);
        labels.clone_from(&prev_labels);
        // Exact assignments (k-d tree candidates, checked against all centers) at first,
        // every few iterations and before stopping; in between, the catchment graph of
        // the last exact one.
        let exact = exact_next || iterations <= exact_first || iterations % REFRESH == 0;
        let mut fast = false;
        if !exact {
            let before = power.clone();
            fast =
                assign::assign_within(&prob, &centers, &mut power, &mut labels, &graph).converged;
            if !fast {
                // The graph went stale: start the exact step afresh from these weights.
                power = before;
                labels.clone_from(&prev_labels);
                graph = assign::Graph::default();
            }
        }
        exact_done = !fast && {
            let cold = iterations <= COLD_STEPS && !warm;
            assign::assign(&prob, &centers, &mut power, &mut labels, cold, &mut graph).converged
        };
        let next = centroids(points, weights, &labels, &centers);
        let objective = sse(points, weights, &labels, &next);
        let stalled = labels == prev_labels || objective >= prev_sse * (1.0 - stall);
        if stalled && !fast {
            converged = true;
            break;
        }
        if iterations == params.max_iterations {
            break;
        }
        // A stall seen through the restricted graph is confirmed by an exact step.
        exact_next = stalled;
        centers = if objective < prev_sse {
            centers
                .iter()
                .zip(&next)
                .map(|(c, m)| {
                    [
                        c[0] + OVERRELAX * (m[0] - c[0]),
                        c[1] + OVERRELAX * (m[1] - c[1]),
                    ]
                })
                .collect()
        } else {
            next
        };
        prev_sse = prev_sse.min(objective);
    }
    // The loop stops before moving the centers, so when its last step was an exact
    // assignment that met its conditions, that is the power diagram of these centers;
    // otherwise a final exact assignment makes one.
    let mut run = if exact_done {
        summarize(&prob, params, centers, power, labels, true)
    } else {
        finish(&prob, params, centers, power, labels, &mut graph)
    };
    run.iterations = iterations;
    run.converged = converged;
    run
}

/// The exact assignment for `centers` (warm from `power` and `labels`) and the figures of
/// the result.
fn finish(
    prob: &assign::Problem<'_>,
    params: &BalanceParams,
    centers: Vec<[f64; 2]>,
    mut power: Vec<f64>,
    mut labels: Vec<u32>,
    graph: &mut assign::Graph,
) -> Balanced {
    let stats = assign::assign(prob, &centers, &mut power, &mut labels, false, graph);
    summarize(prob, params, centers, power, labels, stats.converged)
}

/// The figures of an assignment; `balanced` only when `assigned` (the assignment met its
/// conditions) and every size is within the bounds.
fn summarize(
    prob: &assign::Problem<'_>,
    params: &BalanceParams,
    centers: Vec<[f64; 2]>,
    power: Vec<f64>,
    labels: Vec<u32>,
    assigned: bool,
) -> Balanced {
    let (points, weights) = (prob.points, prob.weights);
    let mut sizes = vec![0u64; centers.len()];
    for (&l, &w) in labels.iter().zip(weights) {
        sizes[l as usize] += u64::from(w);
    }
    let balanced = assigned && sizes.iter().all(|&s| s >= params.lo && s <= params.hi);
    let sse_m2 = sse(
        points,
        weights,
        &labels,
        &centroids(points, weights, &labels, &centers),
    );
    Balanced {
        labels,
        centers,
        power,
        sizes,
        sse_m2,
        iterations: 0,
        converged: true,
        balanced,
    }
}

/// Weighted mean distance of the points to their catchments' centroids.
fn mean_distance(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    centers: &[[f64; 2]],
) -> f64 {
    let cents = centroids(points, weights, labels, centers);
    let (mut sum, mut total) = (0.0, 0.0);
    for ((p, &w), &l) in points.iter().zip(weights).zip(labels) {
        sum += f64::from(w) * dist2(*p, cents[l as usize]).sqrt();
        total += f64::from(w);
    }
    sum / total.max(1.0)
}

/// Travel polish: households feel distance, not squared distance. Moving the generators
/// part of the way from the centroids towards the geometric medians shortens trips; of
/// those variants (each an exact power diagram within the bounds), the one with the lowest
/// mean distance whose squared-distance objective stays within `limit` and is worth it
/// ([`POLISH_GAIN`]) is kept, with its step (`best` itself and `None` when none is).
/// `steps` are the fractions of the way tried.
fn polish(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    best: Balanced,
    limit: f64,
    steps: &[f64],
    around: &mut assign::Graph,
) -> (Balanced, Option<f64>) {
    if !best.balanced || best.centers.len() < 2 {
        return (best, None);
    }
    let cents = centroids(points, weights, &best.labels, &best.centers);
    let meds = medians(points, weights, &best.labels, &cents);
    let base = mean_distance(points, weights, &best.labels, &best.centers);
    let prob = assign::Problem::new(points, weights, best.centers.len(), params.lo, params.hi);
    // Worth it: the trips shorten by at least POLISH_GAIN times the relative growth of
    // the objective.
    let acceptable = |md: f64, run: &Balanced| {
        run.balanced
            && run.sse_m2 <= limit
            && md < base
            && (base - md) / base >= POLISH_GAIN * (run.sse_m2 / best.sse_m2 - 1.0)
    };
    // Each trial is assigned on the catchment graph of `best` only (exact for that graph);
    // the one kept is then checked against all centers.
    let trial = |beta: f64| {
        let gens = toward(&cents, &meds, beta);
        let (mut power, mut labels) = (best.power.clone(), best.labels.clone());
        let ok = assign::assign_within(&prob, &gens, &mut power, &mut labels, around).converged;
        let run = summarize(&prob, params, gens, power, labels, ok);
        (
            mean_distance(points, weights, &run.labels, &run.centers),
            beta,
            run,
        )
    };
    // The steps in increasing order, up to the first that is not worth it and raised the
    // objective: near the optimum the objective grows with the square of the step and the
    // trips shorten about in proportion, so a longer step would fail the test too.
    let mut trials: Vec<(f64, f64, Balanced)> = Vec::with_capacity(steps.len());
    for &beta in steps {
        let t = trial(beta);
        let go_on = acceptable(t.0, &t.2) || t.2.sse_m2 < best.sse_m2;
        trials.push(t);
        if !go_on {
            break;
        }
    }
    let chosen = trials
        .into_iter()
        .filter(|(md, _, run)| acceptable(*md, run))
        .reduce(|a, b| if b.0 < a.0 { b } else { a });
    let Some((_, beta, run)) = chosen else {
        return (best, None);
    };
    let mut graph = around.clone();
    let mut run = finish(
        &prob,
        params,
        run.centers,
        run.power,
        run.labels,
        &mut graph,
    );
    let md = mean_distance(points, weights, &run.labels, &run.centers);
    if !acceptable(md, &run) {
        return (best, None);
    }
    *around = graph;
    run.iterations = best.iterations;
    run.converged = best.converged;
    (run, Some(beta))
}

/// Rounds of [`polish`].
const POLISH_ROUNDS: usize = 6;
/// Fractions of the way towards the medians tried by the first round of [`polish`], in
/// increasing order (two instead of the earlier ⅓, ⅔ and 1: national CPU −8 %, objective
/// and mean distance within 0.05 %).
const POLISH_STEPS: [f64; 2] = [0.5, 1.0];
/// Least relative shortening of trips per relative growth of the objective in [`polish`].
const POLISH_GAIN: f64 = 5.0;
/// Relative increase of the squared-distance objective [`polish`] may spend.
const POLISH_SLACK: f64 = 0.01;

/// The exact size-constrained assignment of `points` to fixed `centers` (see
/// `siting::test_utils::constrained_assignment`): labels, powers and whether it converged.
#[cfg(feature = "test-utils")]
pub(crate) fn constrained_assignment(
    points: &[[f64; 2]],
    weights: &[u32],
    centers: &[[f64; 2]],
    lo: u64,
    hi: u64,
) -> (Vec<u32>, Vec<f64>, bool) {
    let prob = assign::Problem::new(points, weights, centers.len(), lo, hi);
    let mut power = vec![0.0; centers.len()];
    let mut labels = Vec::new();
    let mut graph = assign::Graph::default();
    let stats = assign::assign(&prob, centers, &mut power, &mut labels, true, &mut graph);
    (labels, power, stats.converged)
}
