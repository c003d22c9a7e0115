//! Re-planning's assignment (SPEC §8): households keep their previous catchment unless the
//! size bounds, a new catchment or a much shorter trip make them move.
//!
//! # Model
//! Household `i` costs `w_i·(‖x_i − g_j‖² + λ·[i has a p_i and j ≠ p_i])` in catchment `j`,
//! where `g_j` is the catchment's generator (its centroid), `p_i` the catchment the
//! household was in and `λ` the price of a move in m² (the stickiness). A new household
//! takes as `p_i` its home ([`Sticky::homes`]): the catchment whose area it appeared in,
//! that of the nearest household planned before. So it is served where it lives unless a
//! new catchment or the bounds need it, as a household that stayed is. Were new households
//! free, a new catchment would gather those of a wide area and be drawn in a hundred
//! pieces between its neighbours' households (generated +10 % growth: 90–308 parts per
//! new catchment, 1–7 with homes). Moving a new household is not churn (it has no case
//! file yet). Households whose center closed, and new ones in a closed catchment's area,
//! have no `p_i` and pay distance only. For the travel objective (`--objective distance`)
//! the same model holds in its own terms: `‖x_i − g_j‖` (m) for the squared distance, `λ`
//! in metres, geometric medians for the centroids, and additively weighted cells for the
//! power cells (a travel plan's catchments are such cells, which no power diagram need
//! hold: re-planned in squared terms, the sample's own travel plan moved 121 households).
//! Minimising the
//! total under the size bounds `[lo, hi]` is a transportation problem; at its optimum
//! there are prices `y_j` such that every household is in the catchment minimising
//! `cost − y_j`: its previous one, unless the power-nearest catchment of the power diagram
//! of `(g, y)` is better by more than `λ`. So the catchments are that power diagram's cells
//! except for the households their stickiness keeps (drawn by the plan's border split).
//!
//! # Algorithm
//! 1. Prices under which every household that stayed is best off where it was: difference
//!    constraints `y_b − y_a ≤ cost(i, b) − cost(i, a)` over neighbouring catchments,
//!    solved by Bellman–Ford; all 0 when they have no solution. With these an unchanged
//!    file re-planned against its own plan moves nobody.
//! 2. New catchments (when the region needs more than it has) are seeded between the two
//!    fullest neighbouring catchments, at the least attractive neighbour's price.
//! 3. Every household takes its best catchment under the prices (staying on ties).
//! 4. Repair by successive shortest paths on the catchment graph, as in the exact
//!    assignment (`assign`): an over-full catchment sends a household along the cheapest
//!    chain of moves to a catchment with room, an under-full one pulls one from the
//!    nearest catchment that can spare one; after each search the prices move by the
//!    search distances, so every household stays best off (reduced costs non-negative).
//! 5. New catchments' generators to their centroids (kept catchments' generators stay at
//!    their previous centroids, so kept borders do not drift); repeat 3–5 until the labels
//!    stop changing or the total has not fallen for three rounds, and keep the cheapest
//!    round within bounds. The repair's catchment graph is each catchment's nearest
//!    generators, joined across far-apart clusters of catchments.
//! 6. When the plan leaves an open center's building among a new catchment's households
//!    (the caller judges, `plan::replan`), [`step_off`] runs the rounds again from it with
//!    that catchment's generator kept clear of the building ([`clear_of`]), ranking
//!    rounds by the buildings taken after the bounds.
//!
//! # Cost
//! Each repair is a Dijkstra search over the few catchments around a violation, with the
//! cheapest household per arc from lazily built heaps (`O(log n)` per household per arc);
//! the number of searches is about the number of households that must move. The price
//! constraints and the checks cost `O(n·d)` for `d` neighbours per catchment.

use crate::balance::moments::{centroids, sizes, sse, weiszfeld, weiszfeld_of};
use crate::balance::params::Balanced;
use crate::balance::repair::{Costs, Repair};
use crate::config::Objective;
use crate::geometry::dist2;
use crate::spatial::{AdditiveIndex, PowerIndex};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A household with no previous catchment in this region (new, or its center closed).
pub(crate) const FREE: u32 = u32::MAX;

/// Neighbouring catchments per catchment in the catchment graph.
const NEIGHBOURS: usize = 10;

/// Rounds of price fitting: each adds the constraints of the households that the prices
/// so far would send elsewhere. Far catchments start unconstrained, so a region of many
/// small catchments can take a dozen rounds; most take two.
const PRICE_ROUNDS: usize = 48;

/// One re-planning assignment problem.
pub(crate) struct Sticky<'a> {
    /// Planar household positions, m.
    pub points: &'a [[f64; 2]],
    /// Households per point.
    pub weights: &'a [u32],
    /// Each point's previous catchment, or [`FREE`].
    pub previous: &'a [u32],
    /// What a household's cost is: its squared distance to the catchment's generator (m²,
    /// power cells) or its distance (m, additively weighted cells, the generators
    /// geometric medians), as the plan's objective.
    pub objective: Objective,
    /// Price of moving a household out of its previous catchment or its home, in the units
    /// of the cost (m² or m).
    pub lambda: f64,
    /// Each point without a previous catchment: its home, the catchment whose area it
    /// appeared in (where it would have been), or [`FREE`]; empty for none. A household
    /// outside its home pays `lambda` too, so that new catchments are carved from their
    /// neighbours' areas instead of gathering the new households of a wide area.
    pub homes: &'a [u32],
    /// Open centers' buildings: (kept catchment, planar position, m). A new catchment whose
    /// cell takes one is moved off it (SPEC §8: an open center's catchment contains its
    /// building); empty for none.
    pub buildings: &'a [(u32, [f64; 2])],
    /// Smallest allowed catchment size.
    pub lo: u64,
    /// Largest allowed catchment size.
    pub hi: u64,
    /// Cap on generator updates.
    pub max_iterations: usize,
}

impl Costs for Sticky<'_> {
    fn weights(&self) -> &[u32] {
        self.weights
    }

    fn bounds(&self) -> (u64, u64) {
        (self.lo, self.hi)
    }

    fn cost(&self, i: usize, j: usize, g: &[[f64; 2]]) -> f64 {
        let d = self.distance(self.points[i], g[j]);
        let p = self.anchor(i);
        if p != FREE && p as usize != j {
            d + self.lambda
        } else {
            d
        }
    }
}

impl Sticky<'_> {
    /// The catchment household `i` is free to stay in: its previous one, else its home;
    /// [`FREE`] for none.
    fn anchor(&self, i: usize) -> u32 {
        match self.previous[i] {
            FREE => self.homes.get(i).copied().unwrap_or(FREE),
            p => p,
        }
    }

    /// A household's cost at `p` in a catchment whose generator is `g`, before any price of
    /// a move: squared distance (m²) or distance (m), as the objective.
    fn distance(&self, p: [f64; 2], g: [f64; 2]) -> f64 {
        match self.objective {
            Objective::Squared => dist2(p, g),
            Objective::Distance => dist2(p, g).sqrt(),
        }
    }

    /// Costs this close (m², or m for the travel objective) count as equal.
    fn eps(&self) -> f64 {
        let scale = self
            .points
            .iter()
            .map(|p| p[0].abs().max(p[1].abs()))
            .fold(1.0f64, f64::max);
        match self.objective {
            Objective::Squared => (scale * scale * 1e-12).max(1e-3),
            Objective::Distance => (scale * 1e-9).max(1e-6),
        }
    }

    /// Each catchment's generator for its households in `labels`, from `g`: their centroid,
    /// or for the travel objective their geometric median (Weiszfeld steps from the
    /// centroid, for the catchments from `from` on only: the kept ones' generators stay);
    /// a catchment without households keeps its generator.
    fn generators(&self, labels: &[u32], g: &[[f64; 2]], from: usize) -> Vec<[f64; 2]> {
        let cents = centroids(self.points, self.weights, labels, g);
        match self.objective {
            Objective::Squared => cents,
            Objective::Distance => weiszfeld_of(
                self.points,
                self.weights,
                labels,
                &cents,
                MEDIAN_STEPS,
                1e-2,
                (0..g.len()).map(|j| j >= from).collect(),
            ),
        }
    }

    /// The index of the cells of the diagram `(g, y)` under this objective's cost.
    fn cells(&self, g: &[[f64; 2]], y: &[f64]) -> Cells {
        Cells::new(self.objective, g, y)
    }
}

/// Weiszfeld steps at most towards a catchment's geometric median, per update of the
/// travel objective's generators (each stops once it moves less than 10 cm).
const MEDIAN_STEPS: usize = 64;

/// The cells of a diagram of generators and prices: each point's catchment `j` minimising
/// its cost less `y_j`. Power cells for the squared objective, additively weighted
/// (Apollonius) cells for the travel objective.
enum Cells {
    Power(PowerIndex),
    Additive {
        /// The generators at zero prices (Euclidean nearest).
        nearest: PowerIndex,
        index: AdditiveIndex,
        g: Vec<[f64; 2]>,
        y: Vec<f64>,
    },
}

impl Cells {
    /// The cells of generators `g` with prices `y` (power weights, or additive weights for
    /// the travel objective).
    fn new(objective: Objective, g: &[[f64; 2]], y: &[f64]) -> Self {
        match objective {
            Objective::Squared => Cells::Power(PowerIndex::new(g, y)),
            Objective::Distance => Cells::Additive {
                nearest: PowerIndex::new(g, &vec![0.0; g.len()]),
                index: AdditiveIndex::new(g, y),
                g: g.to_vec(),
                y: y.to_vec(),
            },
        }
    }

    /// The catchment whose cell holds `p` (the lowest index on a tie); `buf` is scratch.
    fn nearest_one(&self, p: [f64; 2], buf: &mut Vec<u32>) -> u32 {
        match self {
            Cells::Power(index) => index.nearest_one(p, buf),
            Cells::Additive {
                nearest,
                index,
                g,
                y,
            } => {
                let value = |j: u32| dist2(p, g[j as usize]).sqrt() - y[j as usize];
                // The Euclidean nearest bounds the best value; only centers below it count.
                let e = nearest.nearest_one(p, buf);
                let bound = value(e);
                index.below(p, bound + 1e-9 * bound.abs().max(1.0), buf);
                buf.iter().copied().fold(e, |best, j| {
                    let (vj, vb) = (value(j), value(best));
                    if vj < vb || (vj == vb && j < best) {
                        j
                    } else {
                        best
                    }
                })
            }
        }
    }
}

/// Assigns the households of `prob` to `existing` catchments (generators given, those with
/// previous households are moved to their centroids first) plus `new` new ones, under the
/// bounds, moving as few as the model says (see the module docs).
pub(crate) fn sticky_balance(prob: &Sticky<'_>, existing: &[[f64; 2]], new: usize) -> Balanced {
    let eps = prob.eps();
    let mut labels: Vec<u32> = prob.previous.to_vec();
    let mut g = stayed_centroids(prob, existing);
    let near = NearGenerators::new(prob.points, &g);
    let mut y = previous_prices(prob, &g, &labels, eps, Fit::Exact, &near)
        .unwrap_or_else(|| vec![0.0; g.len()]);
    if new > 0 {
        relabel(prob, &g, &y, &mut labels, eps);
        seed_new(prob, &mut g, &mut y, &labels, new);
    }
    let start = Start {
        kept: existing.len(),
        g,
        y,
        labels,
    };
    finish(prob, rounds(prob, &start, eps, None))
}

/// Rounds again from `from` (a result of [`sticky_balance`]) with each new catchment of
/// `taken` kept off the open center's building it took: `(new catchment, the building's
/// catchment, the building)`. The rounds rank fewer buildings taken first after the
/// bounds; `kept` is the number of kept catchments. Called only for a region whose plan
/// has a building in a new catchment's cell, and from that plan, so that every other
/// region keeps its plan and this one changes little (stepping off every building a new
/// catchment took on the way, or starting over with the new catchments off the
/// buildings, moved a fifth to a half more households in the regions concerned of a
/// national re-plan by county).
pub(crate) fn step_off(
    prob: &Sticky<'_>,
    from: &Balanced,
    kept: usize,
    taken: Vec<(usize, usize, [f64; 2])>,
) -> Balanced {
    let start = Start {
        kept,
        g: from.centers.clone(),
        y: from.power.clone(),
        labels: from.labels.clone(),
    };
    let mut run = rounds(prob, &start, prob.eps(), Some(taken));
    run.iterations += from.iterations;
    finish(prob, run)
}

/// The plan of the best round.
fn finish(prob: &Sticky<'_>, run: Rounds) -> Balanced {
    let n = prob.points.len();
    let Rounds {
        best:
            Best {
                labels,
                generators,
                power: y,
                ..
            },
        iterations,
        converged,
    } = run;
    let k = generators.len();
    let sizes = sizes(prob.weights, &labels, k);
    let cents = centroids(prob.points, prob.weights, &labels, &generators);
    debug_assert_eq!(labels.len(), n);
    Balanced {
        sse_m2: sse(prob.points, prob.weights, &labels, &cents),
        balanced: sizes.iter().all(|&s| s >= prob.lo && s <= prob.hi),
        labels,
        centers: generators,
        power: y,
        sizes,
        iterations,
        converged,
    }
}

/// Where the rounds of [`sticky_balance`] start: the kept catchments, the generators (new
/// ones seeded), prices and labels.
struct Start {
    kept: usize,
    g: Vec<[f64; 2]>,
    y: Vec<f64>,
    labels: Vec<u32>,
}

/// What the rounds of [`sticky_balance`] found.
struct Rounds {
    best: Best,
    iterations: usize,
    converged: bool,
}

/// Rounds of relabelling, repair and generator updates (steps 3–5 of the module docs)
/// from `start`, the best kept. With `avoid`, the new catchments there (and any that takes
/// an open center's building on the way) are kept off those buildings, and a round with
/// fewer buildings taken is better.
fn rounds(
    prob: &Sticky<'_>,
    start: &Start,
    eps: f64,
    avoid: Option<Vec<(usize, usize, [f64; 2])>>,
) -> Rounds {
    let kept = start.kept;
    let (mut g, mut y, mut labels) = (start.g.clone(), start.y.clone(), start.labels.clone());
    let k = g.len();
    let buildings = avoid.is_some();
    let mut avoid = avoid.unwrap_or_default();
    for &(m, j, at) in &avoid {
        g[m] = clear_of(prob, at, g[m], g[j], y[j] - y[m]);
    }
    let mut converged = false;
    let mut iterations = 0;
    let mut last: Vec<u32> = Vec::new();
    let mut best: Option<Best> = None;
    let mut stalled = 0;
    while iterations < prob.max_iterations.max(1) {
        iterations += 1;
        relabel(prob, &g, &y, &mut labels, eps);
        let graph = connected(neighbours(&g), &g);
        Repair::new(prob, &g, &graph, &labels, k).run(&mut y, &mut labels);
        let taken = taken_buildings(prob, &g, &y, kept);
        let here = Best::of(prob, &labels, &g, &y, k, taken.clone());
        if best.as_ref().is_none_or(|b| here.beats(b, buildings)) {
            // A round that lowers the total by less than SETTLED counts towards stalling.
            let settled = best.as_ref().is_some_and(|b| {
                b.balanced == here.balanced
                    && (!buildings || b.taken.len() == here.taken.len())
                    && here.total > b.total * (1.0 - SETTLED)
            });
            best = Some(here);
            stalled = if settled { stalled + 1 } else { 0 };
        } else {
            stalled += 1;
        }
        // Labels that repeat, or a total that has not improved (by more than SETTLED) for
        // a few rounds (the new catchments can wander without settling: Tehran's 26 after
        // 5 % growth moved up to 2 km every round for 30 rounds, the total at its lowest
        // in the 4th).
        if labels == last || stalled >= STALLED_ROUNDS {
            converged = true;
            break;
        }
        last.clone_from(&labels);
        // Only the new catchments' generators follow their households: the kept ones stay
        // at their previous centroids, so that kept borders do not drift (on the national
        // file a quarter of the moves otherwise).
        let moved = prob.generators(&labels, &g, kept);
        if buildings {
            // Stepping off: only the catchments kept off a building move, so that the
            // others stay as they were.
            for &(m, _, _) in &avoid {
                g[m] = moved[m];
            }
        } else {
            g[kept..].copy_from_slice(&moved[kept..]);
        }
        // Kept off the buildings to avoid, and off one taken now from the next round on
        // (else its centroid pulls it straight back).
        if buildings {
            for t in taken {
                if !avoid.contains(&t) {
                    avoid.push(t);
                }
            }
            for &(m, j, at) in &avoid {
                g[m] = clear_of(prob, at, g[m], g[j], y[j] - y[m]);
            }
        }
    }
    Rounds {
        best: best.expect("invariant: at least one round runs"),
        iterations,
        converged,
    }
}

/// The generators of the households that stayed, per existing catchment: their centroids,
/// or for the travel objective their geometric medians; a catchment none stayed in keeps
/// its given generator.
fn stayed_centroids(prob: &Sticky<'_>, existing: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let cents = stayed_means(prob, existing);
    if prob.objective == Objective::Squared {
        return cents;
    }
    let k = existing.len();
    let stayed: Vec<usize> = (0..prob.points.len())
        .filter(|&i| (prob.previous[i] as usize) < k)
        .collect();
    let points: Vec<[f64; 2]> = stayed.iter().map(|&i| prob.points[i]).collect();
    let weights: Vec<u32> = stayed.iter().map(|&i| prob.weights[i]).collect();
    let labels: Vec<u32> = stayed.iter().map(|&i| prob.previous[i]).collect();
    weiszfeld(&points, &weights, &labels, &cents, MEDIAN_STEPS, 1e-2)
}

/// The centroids of the households that stayed, per existing catchment; a catchment none
/// stayed in keeps its given generator.
fn stayed_means(prob: &Sticky<'_>, existing: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut sum = vec![[0.0f64; 3]; existing.len()];
    for ((p, &w), &l) in prob.points.iter().zip(prob.weights).zip(prob.previous) {
        if let Some(s) = sum.get_mut(l as usize) {
            let w = f64::from(w);
            s[0] += w * p[0];
            s[1] += w * p[1];
            s[2] += w;
        }
    }
    sum.iter()
        .zip(existing)
        .map(|(s, &g)| {
            if s[2] > 0.0 {
                [s[0] / s[2], s[1] / s[2]]
            } else {
                g
            }
        })
        .collect()
}

/// Each catchment's nearest generators (both ways), the catchment graph.
pub(super) fn neighbours(g: &[[f64; 2]]) -> Vec<Vec<u32>> {
    neighbours_of(g, NEIGHBOURS)
}

/// The catchment graph `nbrs` with edges added until it is connected: in each round every
/// part joins the nearest catchment outside it (Borůvka). Catchments in far-apart clusters
/// of households are nobody's nearest generators, and a repair cannot move households
/// between parts of the graph: a cluster that grew more than its catchments can hold would
/// keep them over their bounds.
fn connected(mut nbrs: Vec<Vec<u32>>, g: &[[f64; 2]]) -> Vec<Vec<u32>> {
    loop {
        let (part, parts) = parts(&nbrs);
        if parts <= 1 {
            return nbrs;
        }
        // Per part, its shortest link out (squared length, inside, outside).
        let mut best: Vec<Option<(f64, usize, usize)>> = vec![None; parts];
        for a in 0..g.len() {
            for b in 0..g.len() {
                if part[a] == part[b] {
                    continue;
                }
                let d = dist2(g[a], g[b]);
                let slot = &mut best[part[a]];
                if slot.is_none_or(|s| d < s.0) {
                    *slot = Some((d, a, b));
                }
            }
        }
        for (_, a, b) in best.into_iter().flatten() {
            if !nbrs[a].contains(&(b as u32)) {
                nbrs[a].push(b as u32);
                nbrs[b].push(a as u32);
            }
        }
        for list in &mut nbrs {
            list.sort_unstable();
        }
    }
}

/// The connected part of every node of the graph `nbrs`, and the number of parts.
fn parts(nbrs: &[Vec<u32>]) -> (Vec<usize>, usize) {
    let mut part = vec![usize::MAX; nbrs.len()];
    let mut count = 0;
    for start in 0..nbrs.len() {
        if part[start] != usize::MAX {
            continue;
        }
        part[start] = count;
        let mut stack = vec![start];
        while let Some(a) = stack.pop() {
            for &b in &nbrs[a] {
                if part[b as usize] == usize::MAX {
                    part[b as usize] = count;
                    stack.push(b as usize);
                }
            }
        }
        count += 1;
    }
    (part, count)
}

/// Each catchment's `count` nearest generators (both ways).
pub(super) fn neighbours_of(g: &[[f64; 2]], count: usize) -> Vec<Vec<u32>> {
    let k = g.len();
    let index = PowerIndex::new(g, &vec![0.0; k]);
    let mut nbrs: Vec<Vec<u32>> = vec![Vec::new(); k];
    let mut found = Vec::new();
    for (j, &c) in g.iter().enumerate() {
        index.nearest(c, (count + 1).min(k), &mut found);
        for &l in &found {
            if l as usize != j {
                nbrs[j].push(l);
                nbrs[l as usize].push(j as u32);
            }
        }
    }
    for list in &mut nbrs {
        list.sort_unstable();
        list.dedup();
    }
    nbrs
}

/// Each point's nearest generators (at zero weights), nearest first: the candidates of its
/// price constraints in [`previous_prices`], [`NEIGHBOURS`]` + 1` per point (every
/// generator when there are fewer), flat. Computed once for several fits to the same
/// generators (`plan::drawable` tries up to four).
pub(crate) struct NearGenerators {
    per_point: usize,
    lists: Vec<[u32; NEIGHBOURS + 1]>,
}

impl NearGenerators {
    /// The nearest generators `g` of every point of `points`.
    pub(crate) fn new(points: &[[f64; 2]], g: &[[f64; 2]]) -> Self {
        let per_point = (NEIGHBOURS + 1).min(g.len());
        let index = PowerIndex::new(g, &vec![0.0; g.len()]);
        let lists = points
            .par_iter()
            .with_min_len(1024)
            .map_init(Vec::new, |found, &p| {
                index.nearest(p, per_point, found);
                let mut list = [u32::MAX; NEIGHBOURS + 1];
                list[..found.len()].copy_from_slice(found);
                list
            })
            .collect();
        NearGenerators { per_point, lists }
    }

    /// The lists of the points at `at`, in that order.
    pub(crate) fn pick(&self, at: &[usize]) -> Self {
        NearGenerators {
            per_point: self.per_point,
            lists: at.iter().map(|&i| self.lists[i]).collect(),
        }
    }

    /// The nearest generators of point `i`.
    fn of(&self, i: usize) -> &[u32] {
        &self.lists[i][..self.per_point]
    }
}

/// Prices under which every household that stayed prefers its previous catchment to any
/// other: the difference constraints of each household against its nearest generators
/// (`near`, for `g`), solved by Bellman–Ford, then against its power-nearest catchment
/// under those prices where that is another (a few rounds); `None` when the constraints
/// have no solution or some household is still better off elsewhere. `fit` may ask for
/// households inside their cell by a margin, or allow them outside by the generators'
/// rounding. The constraints are gathered and checked on the worker pool; each is the
/// minimum over households, so the result does not depend on the thread count.
fn previous_prices(
    prob: &Sticky<'_>,
    g: &[[f64; 2]],
    labels: &[u32],
    eps: f64,
    fit: Fit,
    near: &NearGenerators,
) -> Option<Vec<f64>> {
    let k = g.len();
    // What each constraint is loosened by (m², negative to tighten).
    let loose = |i: usize, a: u32, b: u32| {
        let (ga, gb) = (g[a as usize], g[b as usize]);
        match fit {
            Fit::Exact => 0.0,
            // Inside by m: the power distances differ by 2·m·‖g_a − g_b‖ there.
            Fit::Inside(m) => -2.0 * m * dist2(ga, gb).sqrt(),
            // A generator moved by s changes a squared distance d² by up to 2·s·d.
            Fit::Within(s) => {
                let x = prob.points[i];
                2.0 * s * (dist2(x, ga).sqrt() + dist2(x, gb).sqrt())
            }
        }
    };
    // The tightest y_b − y_a ≤ c over the households of a, kept per (a, b).
    let limit = |i: usize, a: u32, b: u32| {
        prob.cost(i, b as usize, g) - prob.cost(i, a as usize, g) + loose(i, a, b)
    };
    let mut bound = nearest_constraints(labels, k, near, &limit);
    let mut y = vec![0.0f64; k];
    for _ in 0..PRICE_ROUNDS {
        if !bellman_ford(&bound, &mut y) {
            return None;
        }
        let index = prob.cells(g, &y);
        let violated: Vec<(usize, u32, u32)> = labels
            .par_iter()
            .enumerate()
            .with_min_len(1024)
            .map_init(Vec::new, |found, (i, &a)| {
                if (a as usize) >= k {
                    return None;
                }
                let b = index.nearest_one(prob.points[i], found);
                let value = |j: u32| prob.cost(i, j as usize, g) - y[j as usize];
                (b != a && value(a) > value(b) + eps + loose(i, a, b)).then_some((i, a, b))
            })
            .flatten()
            .collect();
        if violated.is_empty() {
            return Some(y);
        }
        for (i, a, b) in violated {
            tighten(bound.entry((a, b)).or_insert(f64::INFINITY), limit(i, a, b));
        }
    }
    None
}

/// Lowers the bound `e` to `c` when `c` is below it.
fn tighten(e: &mut f64, c: f64) {
    if c < *e {
        *e = c;
    }
}

/// The difference constraints `y_b − y_a ≤ c` of every household of catchment `a < k` (in
/// `labels`) against its nearest generators `b` (`near`), `c = limit(i, a, b)`, the
/// tightest per pair. Gathered on the worker pool: a minimum does not depend on the order.
fn nearest_constraints(
    labels: &[u32],
    k: usize,
    near: &NearGenerators,
    limit: &(impl Fn(usize, u32, u32) -> f64 + Sync),
) -> BTreeMap<(u32, u32), f64> {
    type Bounds = hashbrown::HashMap<(u32, u32), f64>;
    labels
        .par_iter()
        .enumerate()
        .with_min_len(1024)
        .fold(Bounds::default, |mut bound, (i, &a)| {
            if (a as usize) < k {
                for &b in near.of(i) {
                    if b != a && (b as usize) < k {
                        tighten(bound.entry((a, b)).or_insert(f64::INFINITY), limit(i, a, b));
                    }
                }
            }
            bound
        })
        .reduce(Bounds::default, |mut x, y| {
            for (key, c) in y {
                tighten(x.entry(key).or_insert(f64::INFINITY), c);
            }
            x
        })
        .into_iter()
        .collect()
}

/// Power weights for which `labels` is exactly the power diagram of `centers` (every
/// household power-nearest to its own catchment, ties allowed), when there are any.
pub(crate) fn fit_power(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    centers: &[[f64; 2]],
) -> Option<Vec<f64>> {
    let near = NearGenerators::new(points, centers);
    fit_power_as(points, weights, labels, centers, Fit::Exact, &near)
}

/// How closely a fitted power diagram must hold its households.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Fit {
    /// Every household in its cell, possibly on its border.
    Exact,
    /// Every household at least this many metres inside its cell.
    Inside(f64),
    /// Every household in its cell were the generators moved by up to this many metres
    /// (generators read rounded from a plan's files): possibly a little outside.
    Within(f64),
}

/// As [`fit_power`], holding the households as `fit` says, with the points' nearest
/// `centers` known (`near`).
pub(crate) fn fit_power_as(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    centers: &[[f64; 2]],
    fit: Fit,
    near: &NearGenerators,
) -> Option<Vec<f64>> {
    let prob = Sticky {
        points,
        weights,
        previous: labels,
        lambda: 0.0,
        objective: Objective::Squared,
        homes: &[],
        buildings: &[],
        lo: 0,
        hi: u64::MAX,
        max_iterations: 1,
    };
    let eps = prob.eps();
    previous_prices(&prob, centers, labels, eps, fit, near)
}

/// Lowers `y` until `y_b − y_a ≤ c` for every `((a, b), c)` of `bound`; false when that is
/// impossible (a negative cycle).
///
/// The passes read the constraints in the map's order from a flat list. Without a solution
/// the passes would run `k + 1` times; they stop as soon as the last lowering of each price
/// (its predecessor) closes a cycle, which proves a negative one.
fn bellman_ford(bound: &BTreeMap<(u32, u32), f64>, y: &mut [f64]) -> bool {
    let edges: Vec<(u32, u32, f64)> = bound.iter().map(|(&(a, b), &c)| (a, b, c)).collect();
    let mut pred = vec![u32::MAX; y.len()];
    for _ in 0..=y.len() {
        let mut changed = false;
        for &(a, b, c) in &edges {
            let limit = y[a as usize] + c;
            if y[b as usize] > limit + 1e-9 * limit.abs().max(1.0) {
                y[b as usize] = limit;
                pred[b as usize] = a;
                changed = true;
            }
        }
        if !changed {
            return true;
        }
        if has_cycle(&pred) {
            return false;
        }
    }
    false
}

/// True when following `pred` (`u32::MAX` for none) from some node comes back round.
fn has_cycle(pred: &[u32]) -> bool {
    // 0 unvisited, 1 on the current walk, 2 done.
    let mut state = vec![0u8; pred.len()];
    for start in 0..pred.len() {
        let mut v = start;
        while v < pred.len() && state[v] == 0 {
            state[v] = 1;
            v = pred[v] as usize;
        }
        if v < pred.len() && state[v] == 1 {
            return true;
        }
        let mut u = start;
        while u < pred.len() && state[u] == 1 {
            state[u] = 2;
            u = pred[u] as usize;
        }
    }
    false
}

/// Gives every household its best catchment under the prices `y`, keeping the current one
/// unless another is better by more than `eps` (a free or unlabelled one takes the best).
fn relabel(prob: &Sticky<'_>, g: &[[f64; 2]], y: &[f64], labels: &mut [u32], eps: f64) {
    use rayon::prelude::*;
    let index = prob.cells(g, y);
    let k = g.len();
    labels
        .par_iter_mut()
        .enumerate()
        .for_each_init(Vec::new, |buf, (i, l)| {
            let pn = index.nearest_one(prob.points[i], buf) as usize;
            let value = |j: usize| prob.cost(i, j, g) - y[j];
            let p = prob.anchor(i);
            let mut best = pn;
            if p != FREE && (p as usize) < k && value(p as usize) <= value(pn) + eps {
                best = p as usize;
            }
            if *l == FREE || (*l as usize) >= k || value(*l as usize) > value(best) + eps {
                *l = best as u32;
            }
        });
}

/// Rounds without a lower total after which the generator updates stop.
const STALLED_ROUNDS: usize = 3;

/// A round whose total is lower than the best before by less than this share counts as
/// stalled. The national re-plan after 5 % growth: its regions' last rounds gained
/// 0.001–0.01 % each (one region went on for ten such rounds); stopping after three of
/// them leaves the totals at most 0.05 % above the full run's (0.007 % on average) and
/// saves a fifth of the rounds.
const SETTLED: f64 = 1e-4;

/// The best round of [`sticky_balance`] so far.
struct Best {
    /// Every catchment within the bounds.
    balanced: bool,
    /// Open centers' buildings in a new catchment's cell (see [`taken_buildings`]).
    taken: Vec<(usize, usize, [f64; 2])>,
    /// Σ households × cost (distance² plus the price of each move).
    total: f64,
    labels: Vec<u32>,
    generators: Vec<[f64; 2]>,
    power: Vec<f64>,
}

impl Best {
    /// A round's result.
    fn of(
        prob: &Sticky<'_>,
        labels: &[u32],
        g: &[[f64; 2]],
        y: &[f64],
        k: usize,
        taken: Vec<(usize, usize, [f64; 2])>,
    ) -> Self {
        let total = labels
            .iter()
            .enumerate()
            .map(|(i, &l)| f64::from(prob.weights[i]) * prob.cost(i, l as usize, g))
            .sum();
        Best {
            balanced: sizes(prob.weights, labels, k)
                .iter()
                .all(|&s| s >= prob.lo && s <= prob.hi),
            taken,
            total,
            labels: labels.to_vec(),
            generators: g.to_vec(),
            power: y.to_vec(),
        }
    }

    /// Within bounds where `other` is not, else (when `buildings` count) fewer buildings
    /// taken, else a lower total (by more than rounding).
    fn beats(&self, other: &Best, buildings: bool) -> bool {
        match (self.balanced, other.balanced) {
            (true, false) => true,
            (false, true) => false,
            _ if buildings && self.taken.len() != other.taken.len() => {
                self.taken.len() < other.taken.len()
            }
            _ => self.total < other.total * (1.0 - 1e-12),
        }
    }
}

/// The open centers' buildings that lie in a new catchment's cell of the power diagram
/// `(g, y)`: (new catchment, the building's catchment, the building), in building order.
fn taken_buildings(
    prob: &Sticky<'_>,
    g: &[[f64; 2]],
    y: &[f64],
    kept: usize,
) -> Vec<(usize, usize, [f64; 2])> {
    if prob.buildings.is_empty() || g.len() == kept {
        return Vec::new();
    }
    let index = prob.cells(g, y);
    let mut buf = Vec::new();
    prob.buildings
        .iter()
        .filter_map(|&(j, at)| {
            let m = index.nearest_one(at, &mut buf) as usize;
            (m >= kept && m != j as usize).then_some((m, j as usize, at))
        })
        .collect()
}

/// A new catchment's generator `g` moved straight away from the building `at` of the
/// catchment whose generator is `home` and whose price exceeds the new one's by `dy`, far
/// enough for the building to lie in its own catchment's cell with a margin (a tenth of
/// the distance, and 10 m); unchanged when it is already that far.
fn clear_of(prob: &Sticky<'_>, at: [f64; 2], g: [f64; 2], home: [f64; 2], dy: f64) -> [f64; 2] {
    // The building is in its own cell when |at − g|² ≥ |at − home|² − dy (squared), or
    // |at − g| ≥ |at − home| − dy (travel).
    let reach = match prob.objective {
        Objective::Squared => (dist2(at, home) - dy).max(0.0).sqrt(),
        Objective::Distance => (dist2(at, home).sqrt() - dy).max(0.0),
    };
    let need = reach * 1.1 + 10.0;
    let off = dist2(at, g).sqrt();
    if off >= need {
        return g;
    }
    let (ux, uy) = if off > 1e-9 {
        ((g[0] - at[0]) / off, (g[1] - at[1]) / off)
    } else {
        // On the building: away from the home generator.
        let d = dist2(at, home).sqrt().max(1e-9);
        ((at[0] - home[0]) / d, (at[1] - home[1]) / d)
    };
    [at[0] + ux * need, at[1] + uy * need]
}

/// Places `new` catchments, each between the fullest catchment and its fullest neighbour
/// (where the households grew most, so that the fewest must move), at the lowest price
/// among its neighbours (so that it fills by pulls, nearest first).
///
/// Several new catchments carved from the same pair, or from a catchment with no neighbour
/// (a region of one catchment), are seeded apart along the pair's households instead
/// ([`spread_seeds`]): seeds at one point would tie every household, and the repair would
/// then fill a new catchment with households picked all over its parent's area (a county
/// of one catchment that needed a second got one of 273 scattered parts).
fn seed_new(
    prob: &Sticky<'_>,
    g: &mut Vec<[f64; 2]>,
    y: &mut Vec<f64>,
    labels: &[u32],
    new: usize,
) {
    let k0 = g.len();
    let graph = neighbours(g);
    let mut excess = vec![0.0f64; k0];
    for (&l, &w) in labels.iter().zip(prob.weights) {
        excess[l as usize] += f64::from(w);
    }
    let mean = excess.iter().sum::<f64>() / (k0 + new) as f64;
    for e in &mut excess {
        *e -= mean;
    }
    // The pair each new catchment is carved from (the fullest first).
    let mut pairs = Vec::with_capacity(new);
    for _ in 0..new {
        let a = argmax(&excess, 0..k0);
        let b = graph[a]
            .iter()
            .map(|&b| b as usize)
            .max_by(|&x, &z| excess[x].total_cmp(&excess[z]).then(z.cmp(&x)))
            .unwrap_or(a);
        pairs.push((a, b));
        excess[a] -= mean / 2.0;
        excess[b] -= mean / 2.0;
    }
    let key = |(a, b): (usize, usize)| (a.min(b), a.max(b));
    let mut shared: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for &pair in &pairs {
        *shared.entry(key(pair)).or_default() += 1;
    }
    let mut spread: BTreeMap<(usize, usize), Vec<[f64; 2]>> = shared
        .into_iter()
        .filter(|&((a, b), count)| a == b || count > 1)
        .map(|(pair, count)| (pair, spread_seeds(prob, labels, g, pair, count)))
        .collect();
    for (a, b) in pairs {
        let at = match spread.get_mut(&key((a, b))) {
            Some(seeds) => seeds.pop().expect("invariant: one seed per new catchment"),
            None => [(g[a][0] + g[b][0]) / 2.0, (g[a][1] + g[b][1]) / 2.0],
        };
        let price = graph[a]
            .iter()
            .map(|&l| y[l as usize])
            .chain([y[a], y[b]])
            .fold(f64::INFINITY, f64::min);
        g.push(at);
        y.push(if price.is_finite() { price } else { 0.0 });
    }
}

/// Seeds for `count` new catchments carved from the households of the pair `(a, b)` (or of
/// `a` alone when `a == b`): the households are cut across their principal axis into
/// slices of equal weight, one per kept and new catchment, and each new catchment is
/// seeded at the centroid of a slice away from the kept ones (the middle slice is the
/// lone catchment's, the two end slices the pair's).
fn spread_seeds(
    prob: &Sticky<'_>,
    labels: &[u32],
    g: &[[f64; 2]],
    (a, b): (usize, usize),
    count: usize,
) -> Vec<[f64; 2]> {
    let members: Vec<usize> = (0..labels.len())
        .filter(|&i| labels[i] as usize == a || labels[i] as usize == b)
        .collect();
    let weight = |i: usize| f64::from(prob.weights[i]);
    let total: f64 = members.iter().map(|&i| weight(i)).sum();
    let kept = if a == b { 1 } else { 2 };
    let slices = count + kept;
    let chosen: Vec<usize> = if a == b {
        (0..slices).filter(|&q| q != slices / 2).collect()
    } else {
        (1..slices - 1).collect()
    };
    if total <= 0.0 {
        // No households to follow: a metre apart around the pair's middle.
        let mid = [(g[a][0] + g[b][0]) / 2.0, (g[a][1] + g[b][1]) / 2.0];
        return chosen
            .iter()
            .map(|&q| [mid[0] + q as f64, mid[1]])
            .collect();
    }
    let mut mean = [0.0f64; 2];
    for &i in &members {
        let p = prob.points[i];
        mean[0] += weight(i) * p[0] / total;
        mean[1] += weight(i) * p[1] / total;
    }
    let (mut xx, mut yy, mut xy) = (0.0f64, 0.0f64, 0.0f64);
    for &i in &members {
        let (dx, dy) = (prob.points[i][0] - mean[0], prob.points[i][1] - mean[1]);
        xx += weight(i) * dx * dx;
        yy += weight(i) * dy * dy;
        xy += weight(i) * dx * dy;
    }
    let angle = 0.5 * (2.0 * xy).atan2(xx - yy);
    let axis = [angle.cos(), angle.sin()];
    let along = |i: usize| {
        (prob.points[i][0] - mean[0]) * axis[0] + (prob.points[i][1] - mean[1]) * axis[1]
    };
    let mut order = members;
    order.sort_by(|&i, &j| along(i).total_cmp(&along(j)).then(i.cmp(&j)));
    // Each slice's weighted sums: x, y, weight.
    let mut sums = vec![[0.0f64; 3]; slices];
    let mut before = 0.0;
    for i in order {
        let q = ((before / total * slices as f64) as usize).min(slices - 1);
        let w = weight(i);
        sums[q][0] += w * prob.points[i][0];
        sums[q][1] += w * prob.points[i][1];
        sums[q][2] += w;
        before += w;
    }
    chosen
        .into_iter()
        .map(|q| {
            let s = sums[q];
            if s[2] > 0.0 {
                [s[0] / s[2], s[1] / s[2]]
            } else {
                let off = q as f64 - (slices / 2) as f64;
                [mean[0] + off * axis[0], mean[1] + off * axis[1]]
            }
        })
        .collect()
}

/// The index in `range` with the largest value (the first on ties).
fn argmax(values: &[f64], range: std::ops::Range<usize>) -> usize {
    let mut best = range.start;
    for j in range {
        if values[j] > values[best] {
            best = j;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(n: usize) -> Vec<[f64; 2]> {
        (0..n)
            .map(|i| [(i % 40) as f64 * 100.0, (i / 40) as f64 * 100.0])
            .collect()
    }

    #[test]
    fn an_unchanged_assignment_is_kept() {
        let points = grid(1_600);
        let weights = vec![1; points.len()];
        // Four vertical strips of 400: a feasible, compact previous assignment.
        let previous: Vec<u32> = points.iter().map(|p| (p[0] / 1_000.0) as u32).collect();
        let prob = Sticky {
            points: &points,
            weights: &weights,
            previous: &previous,
            lambda: 1e5,
            objective: Objective::Squared,
            homes: &[],
            buildings: &[],
            lo: 360,
            hi: 440,
            max_iterations: 20,
        };
        let existing: Vec<[f64; 2]> = (0..4)
            .map(|j| [j as f64 * 1_000.0 + 450.0, 1_950.0])
            .collect();
        let out = sticky_balance(&prob, &existing, 0);
        assert_eq!(out.labels, previous);
        assert!(out.converged && out.balanced);
    }

    #[test]
    fn a_new_catchment_fills_from_its_neighbours() {
        let points = grid(2_000);
        let weights = vec![1; points.len()];
        let previous: Vec<u32> = points.iter().map(|p| (p[0] / 1_000.0) as u32).collect();
        let prob = Sticky {
            points: &points,
            weights: &weights,
            previous: &previous,
            lambda: 4e6,
            objective: Objective::Squared,
            homes: &[],
            buildings: &[],
            lo: 360,
            hi: 440,
            max_iterations: 30,
        };
        let existing: Vec<[f64; 2]> = (0..4)
            .map(|j| [j as f64 * 1_000.0 + 450.0, 2_450.0])
            .collect();
        let out = sticky_balance(&prob, &existing, 1);
        assert!(out.balanced, "{:?}", out.sizes);
        assert_eq!(out.sizes.len(), 5);
        let moved = out
            .labels
            .iter()
            .zip(&previous)
            .filter(|(a, b)| a != b)
            .count();
        // The new catchment needs at least 360 households, all of them moved; the bounds
        // force little more than that.
        assert!((360..=700).contains(&moved), "{moved}");
        // The round kept is within bounds as recomputed from its labels, and the rounds
        // stopped before the cap (on labels that repeat or a total that stalled).
        assert!(Best::of(&prob, &out.labels, &out.centers, &out.power, 5, Vec::new()).balanced);
        assert!(out.converged && out.iterations < 30, "{}", out.iterations);
    }

    /// The new catchment's households: how many of them are new, and the 90th percentile
    /// of their distance to its generator, m.
    fn new_catchment(out: &Balanced, previous: &[u32], points: &[[f64; 2]]) -> (usize, f64) {
        let j = out.sizes.len() - 1;
        let mut d: Vec<f64> = (0..points.len())
            .filter(|&i| out.labels[i] as usize == j)
            .map(|i| dist2(points[i], out.centers[j]).sqrt())
            .collect();
        d.sort_by(f64::total_cmp);
        let new = (0..points.len())
            .filter(|&i| out.labels[i] as usize == j && previous[i] == FREE)
            .count();
        (new, d[d.len() * 9 / 10])
    }

    #[test]
    fn new_households_stay_home_so_a_new_catchment_is_carved_whole() {
        // Four square catchments of 400 households (100 m apart) that grew by one new
        // household in ten, spread evenly: the region now needs a fifth of at least 350.
        let quadrant = |p: &[f64; 2]| u32::from(p[0] >= 2_000.0) + 2 * u32::from(p[1] >= 2_000.0);
        let mut points: Vec<[f64; 2]> = (0..1_600)
            .map(|i| [(i % 40) as f64 * 100.0, (i / 40) as f64 * 100.0])
            .collect();
        let mut previous: Vec<u32> = points.iter().map(quadrant).collect();
        for i in (0..1_600).filter(|i| (i % 40 + 3 * (i / 40)) % 10 == 0) {
            points.push([points[i][0] + 50.0, points[i][1] + 50.0]);
            previous.push(FREE);
        }
        let homes: Vec<u32> = points
            .iter()
            .zip(&previous)
            .map(|(p, &l)| if l == FREE { quadrant(p) } else { FREE })
            .collect();
        let weights = vec![1; points.len()];
        let existing = [
            [950.0, 950.0],
            [2_950.0, 950.0],
            [950.0, 2_950.0],
            [2_950.0, 2_950.0],
        ];
        let run = |homes: &[u32]| {
            let prob = Sticky {
                points: &points,
                weights: &weights,
                previous: &previous,
                objective: Objective::Squared,
                lambda: 1e7,
                homes,
                buildings: &[],
                lo: 350,
                hi: 420,
                max_iterations: 30,
            };
            let out = sticky_balance(&prob, &existing, 1);
            assert!(out.balanced, "{:?}", out.sizes);
            new_catchment(&out, &previous, &points)
        };
        // With homes, the new catchment is a block carved from its neighbours, about a
        // tenth of its households new; without, it takes the free new households of the
        // whole region first, and is half again as wide.
        let (new, near) = run(&homes);
        assert!(new <= 60, "{new}");
        let (new_free, far) = run(&[]);
        assert!(new_free >= 150, "{new_free}");
        assert!(near * 1.5 < far, "{near} {far}");
    }

    /// The given number of households around each of `towns` (spread about `r` m, a
    /// deterministic spiral),
    /// in a scrambled order.
    fn towns(towns: &[([f64; 2], usize)], r: f64) -> Vec<[f64; 2]> {
        let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
        let all: Vec<[f64; 2]> = towns
            .iter()
            .flat_map(|&(c, n)| {
                (0..n).map(move |i| {
                    let (rho, a) = (r * ((i as f64 + 0.5) / n as f64).sqrt(), i as f64 * golden);
                    [c[0] + rho * a.cos(), c[1] + rho * a.sin()]
                })
            })
            .collect();
        // 7,919 is prime, so this visits every index once.
        (0..all.len()).map(|i| all[i * 7_919 % all.len()]).collect()
    }

    /// A problem without homes or buildings, with `bounds` and 30 rounds at most.
    fn plain<'a>(
        points: &'a [[f64; 2]],
        weights: &'a [u32],
        previous: &'a [u32],
        lambda: f64,
        (lo, hi): (u64, u64),
    ) -> Sticky<'a> {
        Sticky {
            points,
            weights,
            previous,
            lambda,
            objective: Objective::Squared,
            homes: &[],
            buildings: &[],
            lo,
            hi,
            max_iterations: 30,
        }
    }

    /// Asserts that `out`'s catchments are the cells of their generators' power diagram
    /// (each pair of catchments split by a line across the segment between their
    /// generators), with generators at least `apart` m from each other.
    fn assert_split_by_lines(out: &Balanced, points: &[[f64; 2]], apart: f64) {
        let k = out.sizes.len();
        for a in 0..k {
            for b in a + 1..k {
                let (ga, gb) = (out.centers[a], out.centers[b]);
                assert!(
                    dist2(ga, gb).sqrt() >= apart,
                    "generators {a} {b}: {ga:?} {gb:?}"
                );
                let along = |p: [f64; 2]| p[0] * (gb[0] - ga[0]) + p[1] * (gb[1] - ga[1]);
                let side = |j: usize| {
                    points
                        .iter()
                        .zip(&out.labels)
                        .filter(move |(_, l)| **l as usize == j)
                };
                let a_most = side(a).map(|(&p, _)| along(p)).fold(f64::MIN, f64::max);
                let b_least = side(b).map(|(&p, _)| along(p)).fold(f64::MAX, f64::min);
                assert!(a_most <= b_least, "catchments {a} and {b} interleave");
            }
        }
    }

    #[test]
    fn a_lone_catchment_that_needs_company_is_split_along_its_length() {
        // A region of one catchment (a town and, 12 km south, a smaller one) whose households
        // now need two catchments, then three: each new one is seeded apart from the kept
        // generator, so the region is split by lines instead of by ties of equal costs.
        let points = towns(&[([0.0, 0.0], 480), ([500.0, -12_000.0], 180)], 1_500.0);
        let weights = vec![1; points.len()];
        let previous = vec![0u32; points.len()];
        let centroid = centroids(&points, &weights, &previous, &[[0.0; 2]])[0];
        // The plan's price of a move: twice the mean squared distance to the centroid.
        let lambda = 2.0 * sse(&points, &weights, &previous, &[centroid]) / points.len() as f64;
        for (new, lo, hi) in [(1, 300, 360), (2, 200, 240)] {
            let prob = plain(&points, &weights, &previous, lambda, (lo, hi));
            let out = sticky_balance(&prob, &[centroid], new);
            assert!(out.balanced, "{new} new: {:?}", out.sizes);
            assert_split_by_lines(&out, &points, 1_000.0);
        }
    }

    #[test]
    fn seeds_never_coincide() {
        // One catchment getting three new ones, and two getting two (both between them):
        // every seed at least a kilometre from every generator and from each other.
        let points = towns(&[([0.0, 0.0], 400), ([6_000.0, 0.0], 400)], 2_500.0);
        let weights = vec![1; points.len()];
        for (previous, new) in [
            (vec![0u32; points.len()], 3),
            (
                points.iter().map(|p| u32::from(p[0] > 3_000.0)).collect(),
                2,
            ),
        ] {
            let k0 = 1 + *previous.iter().max().unwrap() as usize;
            let mut g = centroids(&points, &weights, &previous, &vec![[0.0; 2]; k0]);
            let mut y = vec![0.0; k0];
            let prob = Sticky {
                points: &points,
                weights: &weights,
                previous: &previous,
                lambda: 1e6,
                objective: Objective::Squared,
                homes: &[],
                buildings: &[],
                lo: 0,
                hi: 1_000,
                max_iterations: 1,
            };
            seed_new(&prob, &mut g, &mut y, &previous, new);
            assert_eq!((g.len(), y.len()), (k0 + new, k0 + new));
            for a in 0..g.len() {
                for b in (a + 1).max(k0)..g.len() {
                    assert!(dist2(g[a], g[b]) > 1e6, "{k0} + {new}: {g:?}");
                }
            }
        }
    }

    #[test]
    fn two_new_catchments_between_the_same_two_are_seeded_apart() {
        // Two catchments (two towns) whose households now need four: both new ones fall
        // between the same pair, and must not share a seed.
        let points = towns(&[([0.0, 0.0], 400), ([6_000.0, 0.0], 400)], 2_500.0);
        let weights = vec![1; points.len()];
        let previous: Vec<u32> = points.iter().map(|p| u32::from(p[0] > 3_000.0)).collect();
        let existing = centroids(&points, &weights, &previous, &[[0.0; 2]; 2]);
        let lambda = 2.0 * sse(&points, &weights, &previous, &existing) / points.len() as f64;
        let prob = plain(&points, &weights, &previous, lambda, (180, 220));
        let out = sticky_balance(&prob, &existing, 2);
        assert!(out.balanced, "{:?}", out.sizes);
        assert_split_by_lines(&out, &points, 500.0);
    }

    #[test]
    fn prices_exist_exactly_when_no_cycle_is_negative() {
        use std::collections::BTreeMap;
        // y1 − y0 ≤ 5, y2 − y1 ≤ −3, y0 − y2 ≤ −1: the cycle sums to 1, so prices exist.
        let mut bound: BTreeMap<(u32, u32), f64> =
            [((0, 1), 5.0), ((1, 2), -3.0), ((2, 0), -1.0)].into();
        let mut y = vec![0.0; 3];
        assert!(bellman_ford(&bound, &mut y));
        for (&(a, b), &c) in &bound {
            assert!(y[b as usize] - y[a as usize] <= c + 1e-9, "{a}→{b}: {y:?}");
        }
        // Tightened to sum to −1 (with a chain hanging off it): no prices, found well
        // before the k + 1 passes' end by the cycle among the predecessors.
        bound.insert((2, 0), -3.0);
        bound.insert((3, 4), 1.0);
        bound.insert((0, 3), 2.0);
        let mut y = vec![0.0; 5];
        assert!(!bellman_ford(&bound, &mut y));
    }

    #[test]
    fn a_predecessor_cycle_is_found_anywhere() {
        let none = u32::MAX;
        assert!(!has_cycle(&[none, 0, 1, 2]));
        assert!(has_cycle(&[none, 2, 3, 1]));
        assert!(has_cycle(&[0]));
        assert!(!has_cycle(&[]));
        // Two chains into one root, then a separate 2-cycle reached from a tail.
        assert!(!has_cycle(&[none, 0, 0, 1, 2]));
        assert!(has_cycle(&[none, 0, 3, 2, 2]));
    }

    /// Two catchments split by the line x = 500 (generators 1 km apart, no weights), with
    /// households every 100 m along it `off` metres to either side, and a block of
    /// households deep inside each.
    fn across_a_border(off: f64) -> (Vec<[f64; 2]>, Vec<u32>) {
        let mut points = Vec::new();
        let mut labels = Vec::new();
        for i in -20..=20 {
            let y = f64::from(i) * 100.0;
            for (x, l) in [(500.0 - off, 0), (500.0 + off, 1), (100.0, 0), (900.0, 1)] {
                points.push([x, y]);
                labels.push(l);
            }
        }
        (points, labels)
    }

    /// [`fit_power_as`] with the points' nearest generators found here.
    fn fit_as(
        points: &[[f64; 2]],
        weights: &[u32],
        labels: &[u32],
        g: &[[f64; 2]],
        fit: Fit,
    ) -> Option<Vec<f64>> {
        let near = NearGenerators::new(points, g);
        fit_power_as(points, weights, labels, g, fit, &near)
    }

    /// Power distance of `p` to catchment `j`.
    fn power(p: [f64; 2], g: &[[f64; 2]], y: &[f64], j: usize) -> f64 {
        dist2(p, g[j]) - y[j]
    }

    #[test]
    fn a_fit_inside_by_a_margin_keeps_every_household_that_far_inside() {
        let (points, labels) = across_a_border(0.5);
        let weights = vec![1; points.len()];
        // Generators off the line's symmetry: the weights must move the border.
        let g = [[0.0, 0.0], [1_200.0, 0.0]];
        let y = fit_as(&points, &weights, &labels, &g, Fit::Inside(0.02)).expect("room for 2 cm");
        let across = 2.0 * dist2(g[0], g[1]).sqrt();
        for (&p, &l) in points.iter().zip(&labels) {
            let (l, o) = (l as usize, 1 - l as usize);
            let inside_m = (power(p, &g, &y, o) - power(p, &g, &y, l)) / across;
            assert!(inside_m >= 0.02 - 1e-6, "{p:?}: {inside_m} m inside");
        }
        // Households 1 cm from the border on both sides leave no room for 2 cm.
        let (points, labels) = across_a_border(0.01);
        assert!(fit_as(&points, &weights, &labels, &g, Fit::Inside(0.02)).is_none());
        assert!(fit_as(&points, &weights, &labels, &g, Fit::Exact).is_some());
    }

    #[test]
    fn generators_read_rounded_still_fit_their_own_cells_within_the_rounding() {
        // Households 1 mm either side of the border of the exact generators; read back
        // rounded, the generators are 8 mm off the x axis in opposite directions, which
        // turns their border by 16 mm per kilometre: 3 cm at the ends of the line.
        let (points, labels) = across_a_border(0.001);
        let weights = vec![1; points.len()];
        let rounded = [[0.0, 0.008], [1_000.0, -0.008]];
        assert!(fit_as(&points, &weights, &labels, &rounded, Fit::Exact).is_none());
        let y = fit_as(&points, &weights, &labels, &rounded, Fit::Within(0.01))
            .expect("within the rounding");
        // Only households within a few centimetres of the border are outside their cell.
        let across = 2.0 * dist2(rounded[0], rounded[1]).sqrt();
        for (&p, &l) in points.iter().zip(&labels) {
            let (l, o) = (l as usize, 1 - l as usize);
            let inside_m = (power(p, &rounded, &y, o) - power(p, &rounded, &y, l)) / across;
            assert!(inside_m > -0.05, "{p:?}: {inside_m} m inside");
            if (p[0] - 500.0).abs() > 1.0 {
                assert!(inside_m > 0.0, "{p:?}");
            }
        }
    }

    #[test]
    fn far_apart_clusters_of_catchments_are_joined_in_the_repair_graph() {
        // Two clusters of 12 catchments 500 km apart: each catchment's 10 nearest are in
        // its own cluster.
        let g: Vec<[f64; 2]> = (0..24)
            .map(|j| {
                let far = if j < 12 { 0.0 } else { 500_000.0 };
                [
                    far + (j % 4) as f64 * 1_000.0,
                    (j % 12 / 4) as f64 * 1_000.0,
                ]
            })
            .collect();
        let graph = neighbours(&g);
        assert_eq!(parts(&graph).1, 2);
        let joined = connected(graph.clone(), &g);
        assert_eq!(parts(&joined).1, 1);
        // Joined by their nearest pair only: catchment 3 (x = 3 km) and 12 (x = 500 km).
        let added: usize =
            joined.iter().map(Vec::len).sum::<usize>() - graph.iter().map(Vec::len).sum::<usize>();
        assert_eq!(added, 2);
        assert!(joined[3].contains(&12) && joined[12].contains(&3));
    }

    #[test]
    fn a_round_within_bounds_beats_a_cheaper_one_outside_them() {
        let round = |balanced, total| Best {
            balanced,
            taken: Vec::new(),
            total,
            labels: Vec::new(),
            generators: Vec::new(),
            power: Vec::new(),
        };
        assert!(round(true, 9.0).beats(&round(false, 1.0), false));
        assert!(!round(false, 1.0).beats(&round(true, 9.0), false));
        assert!(round(true, 1.0).beats(&round(true, 2.0), false));
        assert!(round(false, 1.0).beats(&round(false, 2.0), false));
        // Equal totals (or equal up to rounding) are no improvement: rounds stall.
        assert!(!round(true, 2.0).beats(&round(true, 2.0), false));
        assert!(!round(true, 2.0 * (1.0 - 1e-15)).beats(&round(true, 2.0), false));
    }
}
