//! Improvement moves for the travel objective (`--objective distance`): re-seeding
//! neighbourhoods of catchments and moving centers across a region, which the rounds of
//! [`super::travel`] cannot do by themselves.
//!
//! # Moves
//! The rounds of assignment and medians stop at a local optimum: a center cannot cross
//! the households of other catchments, or empty land, to reach a better place. A move
//! takes a center `a` away (one whose households are cheap to hand to their next-nearest
//! centers) and splits a catchment `b` in two (the costliest, along its principal axis),
//! then runs the rounds again and keeps the result when the households travel less:
//! 1. **Sweep.** Within a neighbourhood `S` of `b` (`b` and its nearest catchments), the
//!    rounds run on the households of `S` only, with the same size bounds; the count of
//!    catchments in `S` is unchanged, so the bounds can still be met, and every household
//!    outside `S` keeps its catchment, so a trial costs the households of `S`, not the
//!    region's. Catchments are tried from the costliest down, a batch per step (the
//!    batch's trials run in parallel; the moves that pay are applied best first, skipping
//!    a neighbourhood that overlaps one applied in the same step). A catchment whose trial
//!    failed is tried again only after a move changes its neighbourhood.
//! 2. **Relocation.** When every catchment has been tried: the few cheapest to remove
//!    and the few costliest are paired, the rounds running on the whole region (a
//!    neighbourhood's fixed count cannot take a center from one town to another); the
//!    best pair that pays is applied and the sweep runs around it.
//! 3. **Iterated local search.** While the budget lasts: a random move (a random
//!    neighbour taken away, the split in a random direction) is applied whatever it
//!    costs, the sweep runs around it, and the result is kept when it beats the best plan.
//!
//! Relocating or swapping single households or groups between neighbouring catchments
//! needs no move of its own: for fixed centers the assignment of [`super::travel`] is the
//! size-constrained optimum, so every such exchange that pays is made in its rounds.
//!
//! # Budget and determinism
//! The moves stop when the work budget is spent: `effort × (PER_POINT·n +
//! FLOOR·min(1, FLOOR_POINTS/n))` household-rounds (each trial's households times its
//! rounds; [`budget`]). Small problems, whose local optima can be far from the best, get
//! about a tenth of a second; on large ones the share per household is small, because
//! there the moves seldom pay (measured in `benches/README.md`). Trials are chosen and
//! applied in an order that does not depend on the thread count, and the random moves
//! come from a generator seeded with the plan's seed, so the result is deterministic.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::relocate::split_pair;
use super::travel::{Round, Travel, descend, total};
use crate::geometry::dist2;
use crate::spatial::PowerIndex;

/// Catchments around `b` in its neighbourhood `S` (besides `b`).
const NEIGHBOURS: usize = 8;
/// Centers taken away per split catchment, the cheapest to remove in its neighbourhood
/// (every one when the neighbourhood is the whole region).
const DONORS: usize = 2;
/// Rounds of a trial at most.
const TRIAL_ROUNDS: usize = 30;
/// Work budget per household at effort 1, household-rounds.
const PER_POINT: f64 = 0.25;
/// Work budget of a small region at effort 1, household-rounds (about 0.1 s).
const FLOOR: f64 = 2.0e5;
/// Regions up to this many points get the whole floor; larger ones a share falling as
/// `1/n` (their own share, `PER_POINT·n`, is larger, and there the moves pay little).
const FLOOR_POINTS: f64 = 2_000.0;
/// Catchments cheapest to remove, and costliest ones, paired in the relocation across the
/// region.
const RELOCATIONS: usize = 3;
/// A trial must lower its neighbourhood's total by this share to be applied.
const MIN_GAIN: f64 = 1e-6;

/// The current plan's figures that choose the moves.
struct Stats {
    /// Households per catchment, in household order.
    members: Vec<Vec<u32>>,
    /// Each catchment's total weighted distance to its center.
    cost: Vec<f64>,
    /// What handing each catchment's households to their next-nearest center adds, for
    /// the catchments asked for so far ([`Stats::find_removal`]): it needs a nearest-center
    /// query per household, and a sweep on a large region asks for a few neighbourhoods.
    removal: Vec<Option<f64>>,
    /// Each catchment's neighbourhood: itself and its nearest catchments, ascending.
    around: Vec<Vec<u32>>,
    /// The centers, unweighted, for the next-nearest queries.
    index: PowerIndex,
}

impl Stats {
    fn new(prob: &Travel<'_>, labels: &[u32], g: &[[f64; 2]]) -> Self {
        let k = g.len();
        let index = PowerIndex::new(g, &vec![0.0; k]);
        let mut members = vec![Vec::new(); k];
        let mut cost = vec![0.0f64; k];
        for (i, (&x, (&w, &l))) in prob
            .points
            .iter()
            .zip(prob.weights.iter().zip(labels))
            .enumerate()
        {
            let l = l as usize;
            members[l].push(i as u32);
            cost[l] += f64::from(w) * dist2(x, g[l]).sqrt();
        }
        let m = (NEIGHBOURS + 1).min(k);
        let around = g
            .par_iter()
            .enumerate()
            .map_init(Vec::new, |buf, (b, &c)| {
                index.nearest(c, m, buf);
                let mut set = buf.clone();
                // Centers at one place tie; the catchment itself is always in its set.
                if !set.contains(&(b as u32)) {
                    set.pop();
                    set.push(b as u32);
                }
                set.sort_unstable();
                set
            })
            .collect();
        Stats {
            members,
            cost,
            removal: vec![None; k],
            around,
            index,
        }
    }

    /// Computes the removal cost of each catchment of `cs` not known yet: its households'
    /// extra distance to the nearest other center, summed in household order.
    fn find_removal(&mut self, prob: &Travel<'_>, g: &[[f64; 2]], cs: &[usize]) {
        let todo: Vec<usize> = cs
            .iter()
            .copied()
            .filter(|&c| self.removal[c].is_none())
            .collect();
        let (index, members) = (&self.index, &self.members);
        let found: Vec<f64> = todo
            .par_iter()
            .map_init(Vec::new, |buf, &c| {
                members[c].iter().fold(0.0f64, |sum, &i| {
                    let x = prob.points[i as usize];
                    index.nearest(x, 2, buf);
                    let own = dist2(x, g[c]).sqrt();
                    let second = buf
                        .iter()
                        .map(|&j| j as usize)
                        .find(|&j| j != c)
                        .map_or(0.0, |j| dist2(x, g[j]).sqrt());
                    sum + f64::from(prob.weights[i as usize]) * (second - own)
                })
            })
            .collect();
        for (c, r) in todo.into_iter().zip(found) {
            self.removal[c] = Some(r);
        }
    }

    /// The removal cost of catchment `c`, computed by [`Stats::find_removal`].
    fn removal(&self, c: usize) -> f64 {
        self.removal[c].expect("invariant: removal costs are found before they are read")
    }

    /// The centers tried away for a split of `b`: the cheapest to remove in its
    /// neighbourhood (every other one when that is the whole region).
    fn donors(&mut self, prob: &Travel<'_>, g: &[[f64; 2]], b: usize) -> Vec<usize> {
        let mut others: Vec<usize> = self.around[b]
            .iter()
            .map(|&c| c as usize)
            .filter(|&c| c != b)
            .collect();
        self.find_removal(prob, g, &others);
        others.sort_by(|&x, &y| self.removal(x).total_cmp(&self.removal(y)).then(x.cmp(&y)));
        if self.around[b].len() < self.cost.len() {
            others.truncate(DONORS);
        }
        others
    }
}

/// A trial's result: the gain (negative when it costs), its neighbourhood, households and
/// their new catchments and centers.
struct Outcome {
    gain: f64,
    b: usize,
    set: Vec<u32>,
    households: Vec<u32>,
    labels: Vec<u32>,
    medians: Vec<[f64; 2]>,
}

/// A plan under improvement: labels and centers, the catchments left to try and the work
/// spent.
#[derive(Clone)]
struct Search {
    labels: Vec<u32>,
    g: Vec<[f64; 2]>,
    dirty: Vec<bool>,
    spent: f64,
    /// Trials of the sweeps so far and their work (the cost of the next).
    trials: usize,
    trial_work: f64,
}

impl Search {
    /// Writes an outcome into the plan and marks the catchments around it to try again.
    fn apply(&mut self, o: &Outcome, around: &[Vec<u32>]) {
        for (&i, &l) in o.households.iter().zip(&o.labels) {
            self.labels[i as usize] = o.set[l as usize];
        }
        for (&c, &m) in o.set.iter().zip(&o.medians) {
            self.g[c as usize] = m;
        }
        for &c in &o.set {
            for &d in &around[c as usize] {
                self.dirty[d as usize] = true;
            }
        }
    }

    /// Tries the catchments left, costliest first, a batch per step, until none is left or
    /// the budget is spent; returns whether a move was applied.
    fn sweep(&mut self, prob: &Travel<'_>, budget: f64) -> bool {
        let k = self.g.len();
        let batch_size = (k / 8).max(8);
        let mut moved = false;
        while self.spent < budget {
            let mut stats = Stats::new(prob, &self.labels, &self.g);
            let mut order: Vec<usize> = (0..k).filter(|&b| self.dirty[b]).collect();
            order.sort_by(|&x, &y| stats.cost[y].total_cmp(&stats.cost[x]).then(x.cmp(&y)));
            order.truncate(batch_size);
            if order.is_empty() {
                break;
            }
            // As many trials as the budget left pays for, at the cost of the trials so far
            // (at least one).
            let per_trial = if self.trials == 0 {
                // A guess before the first: the neighbourhood's households, ten rounds.
                ((NEIGHBOURS + 1).min(k) * prob.points.len() / k * 10) as f64
            } else {
                self.trial_work / self.trials as f64
            };
            let afford = ((budget - self.spent) / per_trial.max(1.0)).ceil().max(1.0) as usize;
            let mut trials: Vec<Move> = Vec::new();
            for &b in &order {
                if trials.len() >= afford {
                    break;
                }
                let donors = stats.donors(prob, &self.g, b);
                trials.extend(donors.into_iter().map(|a| Move {
                    a,
                    b,
                    angle: None,
                    global: false,
                }));
            }
            trials.truncate(afford);
            order.retain(|&b| trials.iter().any(|m| m.b == b));
            let results: Vec<(f64, Option<Outcome>)> = trials
                .par_iter()
                .map(|m| trial(prob, &stats, &self.labels, &self.g, m))
                .collect();
            let work = results.iter().map(|r| r.0).sum::<f64>();
            self.spent += work;
            self.trials += trials.len();
            self.trial_work += work;
            for &b in &order {
                self.dirty[b] = false;
            }
            let mut paid: Vec<Outcome> = results
                .into_iter()
                .filter_map(|r| r.1)
                .filter(|o| o.gain > 0.0)
                .collect();
            // Best first; a stable sort keeps the trial order among equal gains.
            paid.sort_by(|x, y| y.gain.total_cmp(&x.gain));
            let mut locked = vec![false; k];
            for o in paid {
                if o.set.iter().any(|&c| locked[c as usize]) {
                    // Overlaps a move applied in this step: its split catchment stays to try.
                    self.dirty[o.b] = true;
                    continue;
                }
                o.set.iter().for_each(|&c| locked[c as usize] = true);
                self.apply(&o, &stats.around);
                moved = true;
            }
        }
        moved
    }

    /// Relocation across the region: each of the catchments cheapest to remove is taken
    /// away to split each of the costliest ones, the rounds running on the whole region
    /// (households flow between the two through the catchments between them, which a
    /// neighbourhood's fixed count of catchments forbids). The best move that pays is
    /// applied and the sweep runs around it; repeated while one pays and the budget lasts.
    fn relocate(&mut self, prob: &Travel<'_>, budget: f64) -> bool {
        let k = self.g.len();
        let mut moved = false;
        while self.spent < budget {
            let mut stats = Stats::new(prob, &self.labels, &self.g);
            let mut donors: Vec<usize> = (0..k).collect();
            stats.find_removal(prob, &self.g, &donors);
            donors.sort_by(|&x, &y| {
                stats
                    .removal(x)
                    .total_cmp(&stats.removal(y))
                    .then(x.cmp(&y))
            });
            let mut takers: Vec<usize> = (0..k).collect();
            takers.sort_by(|&x, &y| stats.cost[y].total_cmp(&stats.cost[x]).then(x.cmp(&y)));
            let trials: Vec<Move> = donors
                .iter()
                .take(RELOCATIONS)
                .flat_map(|&a| {
                    takers.iter().take(RELOCATIONS).map(move |&b| Move {
                        a,
                        b,
                        angle: None,
                        global: true,
                    })
                })
                .filter(|m| m.a != m.b)
                .collect();
            let results: Vec<(f64, Option<Outcome>)> = trials
                .par_iter()
                .map(|m| trial(prob, &stats, &self.labels, &self.g, m))
                .collect();
            self.spent += results.iter().map(|r| r.0).sum::<f64>();
            let Some(o) = results
                .into_iter()
                .filter_map(|r| r.1)
                .filter(|o| o.gain > 0.0)
                .reduce(|x, y| if y.gain > x.gain { y } else { x })
            else {
                break;
            };
            self.dirty.iter_mut().for_each(|d| *d = false);
            self.apply(&o, &stats.around);
            self.sweep(prob, budget);
            moved = true;
        }
        moved
    }
}

/// Applies the moves of the module docs to `start` (whose `medians` are the centers) within
/// the work budget; returns the improved plan with prices from one assignment of the whole
/// region to the new centers, or `start` when no move paid.
pub(super) fn improve(prob: &Travel<'_>, start: Round) -> Round {
    let k = start.medians.len();
    if k < 2 || prob.effort <= 0.0 {
        return start;
    }
    let budget = budget(prob.effort, prob.points.len());
    let mut best = Search {
        labels: start.labels.clone(),
        g: start.medians.clone(),
        dirty: vec![true; k],
        spent: 0.0,
        trials: 0,
        trial_work: 0.0,
    };
    let mut moved = best.sweep(prob, budget);
    moved |= best.relocate(prob, budget);
    let mut best_total = total(prob, &best.labels, &best.g);
    // Every catchment tried: iterated local search. A random move (a random neighbour
    // taken away, the split in a random direction) is applied whatever it costs, the
    // sweep runs around it, and the result is kept when it beats the best plan.
    let mut rng = ChaCha8Rng::seed_from_u64(prob.seed);
    let mut spent = best.spent;
    while spent < budget {
        let stats = Stats::new(prob, &best.labels, &best.g);
        let b = rng.random_range(0..k);
        let set = &stats.around[b];
        let a = set[rng.random_range(0..set.len())] as usize;
        let angle = rng.random::<f64>() * std::f64::consts::PI;
        if a == b {
            continue;
        }
        let m = Move {
            a,
            b,
            angle: Some(angle),
            global: false,
        };
        let (work, outcome) = trial(prob, &stats, &best.labels, &best.g, &m);
        spent += work;
        let Some(o) = outcome else { continue };
        let mut next = Search {
            dirty: vec![false; k],
            spent,
            ..best.clone()
        };
        next.apply(&o, &stats.around);
        next.sweep(prob, budget);
        spent = next.spent;
        let now = total(prob, &next.labels, &next.g);
        if now < best_total * (1.0 - MIN_GAIN) {
            (best, best_total, moved) = (next, now, true);
        }
    }
    let (mut labels, g) = (best.labels, best.g);
    if !moved {
        return start;
    }
    // One assignment of the whole region to the new centers gives prices that hold for
    // every household (the moves' prices are each neighbourhood's own).
    let region = Travel {
        max_iterations: 2,
        ..*prob
    };
    match descend(&region, g, None, &mut labels).best {
        Some(round) if round.total < start.total => round,
        _ => start,
    }
}

/// A move: center `a` taken away, catchment `b` split along its principal axis or in the
/// direction `angle` (radians); the rounds run on the neighbourhood of `b`, or on the
/// whole region when `global`.
struct Move {
    a: usize,
    b: usize,
    angle: Option<f64>,
    global: bool,
}

/// The work budget (household-rounds) at `effort` for `n` points:
/// `effort × (PER_POINT·n + FLOOR·min(1, FLOOR_POINTS/n))`, so that small problems, where
/// a local optimum can be far from the best, get enough trials, and the time grows with
/// `n` on large ones.
fn budget(effort: f64, n: usize) -> f64 {
    let n = n.max(1) as f64;
    effort * (PER_POINT * n + FLOOR * (FLOOR_POINTS / n).min(1.0))
}

/// Tries the move `m` in the neighbourhood of its split catchment; returns the work it
/// cost (household-rounds) and the outcome when it pays.
fn trial(
    prob: &Travel<'_>,
    stats: &Stats,
    labels: &[u32],
    g: &[[f64; 2]],
    m: &Move,
) -> (f64, Option<Outcome>) {
    let (a, b) = (m.a, m.b);
    let set: Vec<u32> = if m.global {
        (0..g.len() as u32).collect()
    } else {
        stats.around[b].clone()
    };
    let mut households: Vec<u32> = set
        .iter()
        .flat_map(|&c| stats.members[c as usize].iter().copied())
        .collect();
    households.sort_unstable();
    if households.is_empty() {
        // Empty catchments only (bounds from 0): nothing to move, one unit of work.
        return (1.0, None);
    }
    let pos = |c: usize| set.iter().position(|&s| s as usize == c);
    let points: Vec<[f64; 2]> = households
        .iter()
        .map(|&i| prob.points[i as usize])
        .collect();
    let weights: Vec<u32> = households
        .iter()
        .map(|&i| prob.weights[i as usize])
        .collect();
    let mut local: Vec<u32> = households
        .iter()
        .map(|&i| {
            pos(labels[i as usize] as usize).expect("a member's catchment is in its set") as u32
        })
        .collect();
    let mut centers: Vec<[f64; 2]> = set.iter().map(|&c| g[c as usize]).collect();
    let sub = Travel {
        points: &points,
        weights: &weights,
        max_iterations: TRIAL_ROUNDS,
        effort: 0.0,
        seed: 0,
        ..*prob
    };
    let before = total(&sub, &local, &centers);
    let (pa, pb) = (
        pos(a).expect("a donor is in the set"),
        pos(b).expect("b is in its set"),
    );
    let (u, v) = match m.angle {
        None => split_pair(&points, &weights, &local, pb, centers[pb]),
        Some(angle) => split_along(&points, &weights, &local, pb, centers[pb], angle),
    };
    centers[pb] = u;
    centers[pa] = v;
    let descent = descend(&sub, centers, None, &mut local);
    let work = (points.len() * descent.iterations) as f64;
    let outcome = descent.best.map(|r| Outcome {
        gain: if r.total < before * (1.0 - MIN_GAIN) {
            before - r.total
        } else {
            (before - r.total).min(-0.0)
        },
        b,
        set,
        households,
        labels: r.labels,
        medians: r.medians,
    });
    (work, outcome)
}

/// Two points splitting catchment `b` in the direction `angle`, ±0.6 standard deviations
/// (along that direction) from its center `c`.
fn split_along(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    b: usize,
    c: [f64; 2],
    angle: f64,
) -> ([f64; 2], [f64; 2]) {
    let u = [angle.cos(), angle.sin()];
    let (mut sum, mut sw) = (0.0, 0.0);
    for ((p, &w), &l) in points.iter().zip(weights).zip(labels) {
        if l as usize == b {
            let t = (p[0] - c[0]) * u[0] + (p[1] - c[1]) * u[1];
            sum += f64::from(w) * t * t;
            sw += f64::from(w);
        }
    }
    let off = 0.6 * (sum / sw.max(1.0)).sqrt();
    (
        [c[0] + off * u[0], c[1] + off * u[1]],
        [c[0] - off * u[0], c[1] - off * u[1]],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balance::moments::sizes;
    use crate::balance::travel::medians;

    /// `per` points on a ring of radius `r` around `c` (a small town).
    fn town(c: [f64; 2], r: f64, per: usize) -> Vec<[f64; 2]> {
        (0..per)
            .map(|i| {
                let a = i as f64 * 2.399_963; // golden angle: an even spread
                let d = r * ((i as f64 + 0.5) / per as f64).sqrt();
                [c[0] + d * a.cos(), c[1] + d * a.sin()]
            })
            .collect()
    }

    fn problem<'a>(points: &'a [[f64; 2]], weights: &'a [u32], lo: u64, hi: u64) -> Travel<'a> {
        Travel {
            points,
            weights,
            lo,
            hi,
            max_iterations: 50,
            effort: 1.0,
            seed: 1,
        }
    }

    /// The descent's local optimum from `labels`.
    fn settled(prob: &Travel<'_>, mut labels: Vec<u32>, k: usize) -> Round {
        let g = medians(prob.points, prob.weights, &labels, &vec![[0.0; 2]; k]);
        descend(prob, g, None, &mut labels).best.expect("balanced")
    }

    /// Three towns with two centers and one town with two: the rounds keep the two
    /// centers of the single town (neither can cross the empty land), and a relocation
    /// moves one of them to the towns that need it.
    #[test]
    fn a_center_crosses_empty_land_to_where_households_are() {
        let mut points = Vec::new();
        for c in [[0.0, 0.0], [2_000.0, 0.0], [4_000.0, 0.0], [20_000.0, 0.0]] {
            points.extend(town(c, 150.0, 100));
        }
        let weights = vec![1; points.len()];
        let prob = problem(&points, &weights, 0, 400);
        // Town 1 and half of town 2 in catchment 0, the rest of the three in 1; the
        // lonely town split in 2 and 3.
        let labels: Vec<u32> = points
            .iter()
            .map(|p| match p[0] {
                x if x < 2_000.0 => 0,
                x if x < 10_000.0 => 1,
                x if x < 20_000.0 => 2,
                _ => 3,
            })
            .collect();
        let start = settled(&prob, labels, 4);
        let lonely = |r: &Round| {
            let mut ls: Vec<u32> = r.labels[300..].to_vec();
            ls.sort_unstable();
            ls.dedup();
            ls.len()
        };
        assert_eq!(lonely(&start), 2, "the rounds alone keep both centers");
        let better = improve(&prob, start.clone());
        assert!(
            better.total < 0.8 * start.total,
            "{} vs {}",
            better.total,
            start.total
        );
        // One catchment per town.
        for t in 0..4 {
            let own = better.labels[t * 100];
            assert!(
                better.labels[t * 100..(t + 1) * 100]
                    .iter()
                    .all(|&l| l == own)
            );
        }
        assert_eq!(lonely(&better), 1);
    }

    /// Over scattered problems with tight bounds: the moves never lengthen the trips,
    /// keep every size within the bounds, repeat exactly, and do nothing at effort 0.
    #[test]
    fn moves_keep_the_bounds_and_never_lengthen_trips() {
        let mut shorter = 0;
        for seed in 1..=3u64 {
            let mut points = Vec::new();
            for (i, c) in [[0.0, 0.0], [3_000.0, 500.0], [1_000.0, 4_000.0]]
                .iter()
                .enumerate()
            {
                points.extend(town(
                    *c,
                    800.0 + 400.0 * i as f64,
                    300 + 100 * seed as usize,
                ));
            }
            let weights: Vec<u32> = (0..points.len()).map(|i| 1 + (i % 3) as u32).collect();
            let w: u64 = weights.iter().map(|&w| u64::from(w)).sum();
            let k = 12;
            let (lo, hi) = (w * 9 / (10 * k), w * 11 / (10 * k) + 1);
            let mut prob = problem(&points, &weights, lo, hi);
            prob.seed = seed;
            // A poor balanced start: stripes along x, each with about W/k households.
            let mut order: Vec<usize> = (0..points.len()).collect();
            order.sort_by(|&a, &b| points[a][0].total_cmp(&points[b][0]));
            let mut labels = vec![0u32; points.len()];
            let mut acc = 0u64;
            for &i in &order {
                labels[i] = ((acc * k) / w) as u32;
                acc += u64::from(weights[i]);
            }
            let start = settled(&prob, labels, k as usize);
            let better = improve(&prob, start.clone());
            assert!(better.total <= start.total, "seed {seed}");
            shorter += usize::from(better.total < start.total);
            let s = sizes(&weights, &better.labels, k as usize);
            assert!(
                s.iter().all(|&s| (lo..=hi).contains(&s)),
                "seed {seed}: {s:?}"
            );
            let again = improve(&prob, start.clone());
            assert_eq!(again.labels, better.labels);
            prob.effort = 0.0;
            assert_eq!(improve(&prob, start.clone()).labels, start.labels);
        }
        assert!(shorter > 0, "no move paid on any problem");
    }

    /// Catchments whose centers coincide (every household at one address) tie in the
    /// neighbourhood query; the moves still run and keep the bounds.
    #[test]
    fn coincident_centers_are_handled() {
        // 12 catchments: more than a neighbourhood, so the query must choose among ties.
        let points = vec![[100.0, 100.0]; 120];
        let weights = vec![1; 120];
        let prob = problem(&points, &weights, 10, 10);
        let labels: Vec<u32> = (0..120).map(|i| i % 12).collect();
        let start = settled(&prob, labels, 12);
        let out = improve(&prob, start);
        assert_eq!(sizes(&weights, &out.labels, 12), vec![10; 12]);
    }
}
