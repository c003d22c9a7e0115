//! Travel polish: generators moved from the centroids towards the geometric medians, since
//! households feel distance, not squared distance.

use super::assign::{Graph, Problem, assign_within, graph_around};
use super::lloyd::{finish, summarize};
use super::moments::{centroids, mean_distance, weiszfeld};
use super::params::{BalanceParams, Balanced};

/// Up to [`POLISH_ROUNDS`] rounds of [`polish`], all within [`POLISH_SLACK`] of the
/// objective of `best`, on the catchment graph `graph` of `best`'s last exact assignment
/// (or one built for it); the result is checked against all centers once, after the last
/// round (checking every round's, a k-d tree query per household each time, cost 1.7 s
/// of the national plan's 30 s of CPU at 50 households per catchment, and its objective
/// was no lower in any province). Returns the plan with the catchment graph of its last exact
/// assignment (none when there was no polish).
pub(super) fn travel_polish(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    best: Balanced,
    graph: Option<Graph>,
) -> (Balanced, Option<Graph>) {
    if params.restarts < 2 {
        return (best, None);
    }
    let limit = best.sse_m2 * (1.0 + POLISH_SLACK);
    let prob = Problem::new(points, weights, best.centers.len(), params.lo, params.hi);
    let mut around = graph
        .filter(|g| !g.is_empty())
        .unwrap_or_else(|| graph_around(&prob, &best.centers, &best.power, &best.labels));
    let worth = Worth {
        base: mean_distance(points, weights, &best.labels, &best.centers),
        limit,
        sse: best.sse_m2,
    };
    let mut current = best.clone();
    // The first round tries every step; later rounds repeat the one that was kept.
    let mut steps = POLISH_STEPS.to_vec();
    let mut moved = false;
    for _ in 0..POLISH_ROUNDS {
        let (next, kept) = polish(points, weights, params, current, limit, &steps, &around);
        current = next;
        match kept {
            Some(beta) => {
                steps = vec![beta];
                moved = true;
            }
            None => break,
        }
    }
    if !moved {
        return (best, Some(around));
    }
    // The rounds ran on the catchment graph of `best` only: the result is checked
    // against all centers once (an exact assignment from its weights and labels).
    match confirm(&prob, params, current, &worth, &mut around) {
        Some(mut run) => {
            run.iterations = best.iterations;
            run.converged = best.converged;
            (run, Some(around))
        }
        None => (best, Some(around)),
    }
}

/// Travel polish: households feel distance, not squared distance. Moving the generators
/// part of the way from the centroids towards the geometric medians shortens trips; of
/// those variants (each the exact assignment on the catchment graph `around`, within the
/// bounds), the one with the lowest mean distance whose squared-distance objective stays
/// within `limit` and is worth it ([`POLISH_GAIN`]) is kept, with its step (`best` itself
/// and `None` when none is).
/// `steps` are the fractions of the way tried.
fn polish(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    best: Balanced,
    limit: f64,
    steps: &[f64],
    around: &Graph,
) -> (Balanced, Option<f64>) {
    if !best.balanced || best.centers.len() < 2 {
        return (best, None);
    }
    let cents = centroids(points, weights, &best.labels, &best.centers);
    let meds = medians(points, weights, &best.labels, &cents);
    let worth = Worth {
        base: mean_distance(points, weights, &best.labels, &best.centers),
        limit,
        sse: best.sse_m2,
    };
    let prob = Problem::new(points, weights, best.centers.len(), params.lo, params.hi);
    // Each trial is assigned on the catchment graph `around` only (exact for that graph);
    // the caller checks the last one kept against all centers.
    let trial = |beta: f64| {
        let gens = toward(&cents, &meds, beta);
        let (mut power, mut labels) = (best.power.clone(), best.labels.clone());
        let ok = assign_within(&prob, &gens, &mut power, &mut labels, around).converged;
        let run = summarize(&prob, params, gens, power, labels, ok);
        (
            mean_distance(points, weights, &run.labels, &run.centers),
            beta,
            run,
        )
    };
    match best_trial(steps, best.sse_m2, &worth, trial) {
        Some((_, beta, run)) => (run, Some(beta)),
        None => (best, None),
    }
}

/// When a polished plan is worth it: balanced, its objective within `limit`, and the
/// trips shorter than `base` by at least [`POLISH_GAIN`] times the relative growth of the
/// objective over `sse`.
struct Worth {
    /// The mean distance before the polish.
    base: f64,
    /// The highest objective allowed.
    limit: f64,
    /// The objective before the polish.
    sse: f64,
}

impl Worth {
    /// True when `run`, of mean distance `md`, is worth it.
    fn accepts(&self, md: f64, run: &Balanced) -> bool {
        run.balanced
            && run.sse_m2 <= self.limit
            && md < self.base
            && (self.base - md) / self.base >= POLISH_GAIN * (run.sse_m2 / self.sse - 1.0)
    }
}

/// The trial (mean distance, step, plan) with the shortest trips among those worth it.
/// The steps are tried in increasing order, up to the first that is not worth it and
/// raised the objective above `best_sse`: near the optimum the objective grows with the
/// square of the step and the trips shorten about in proportion, so a longer step would
/// fail the test too.
fn best_trial(
    steps: &[f64],
    best_sse: f64,
    worth: &Worth,
    trial: impl Fn(f64) -> (f64, f64, Balanced),
) -> Option<(f64, f64, Balanced)> {
    let mut trials: Vec<(f64, f64, Balanced)> = Vec::with_capacity(steps.len());
    for &beta in steps {
        let t = trial(beta);
        let go_on = worth.accepts(t.0, &t.2) || t.2.sse_m2 < best_sse;
        trials.push(t);
        if !go_on {
            break;
        }
    }
    trials
        .into_iter()
        .filter(|(md, _, run)| worth.accepts(*md, run))
        .reduce(|a, b| if b.0 < a.0 { b } else { a })
}

/// The trial `run` checked against all centers (an exact assignment from its weights and
/// labels): the result when still worth it, which also makes its catchment graph the one
/// `around` the plan.
fn confirm(
    prob: &Problem<'_>,
    params: &BalanceParams,
    run: Balanced,
    worth: &Worth,
    around: &mut Graph,
) -> Option<Balanced> {
    let mut graph = around.clone();
    let run = finish(prob, params, run.centers, run.power, run.labels, &mut graph);
    let md = mean_distance(prob.points, prob.weights, &run.labels, &run.centers);
    if !worth.accepts(md, &run) {
        return None;
    }
    *around = graph;
    Some(run)
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
pub(super) const POLISH_SLACK: f64 = 0.01;

/// Each catchment's approximate geometric median: [`WEISZFELD_STEPS`] Weiszfeld steps from
/// its centroid `cents` (squared distances pull centers towards outlying households, plain
/// travel distance does not).
fn medians(
    points: &[[f64; 2]],
    weights: &[u32],
    labels: &[u32],
    cents: &[[f64; 2]],
) -> Vec<[f64; 2]> {
    weiszfeld(points, weights, labels, cents, WEISZFELD_STEPS, 0.0)
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

/// Weiszfeld steps of [`medians`].
const WEISZFELD_STEPS: usize = 6;
