//! One run of balanced k-means: exact size-constrained assignments and over-relaxed
//! center updates from one start, until the labels or the objective stop changing.

use super::assign::{Graph, Problem, assign, assign_within};
use super::init::{kd_partition, seeded};
use super::moments::{centroids, sizes, sse};
use super::params::{BalanceParams, Balanced};

/// Relative objective improvement below which the iterations stop.
const STALL: f64 = 1e-5;
/// The same for the refinement of a coarse solution.
const REFINE_STALL: f64 = 2e-4;
/// Every this many iterations the assignment is exact again (fresh k-d tree candidates).
const REFRESH: usize = 8;

/// Over-relaxation of the center update: a center moves this many times the way to its
/// centroid while the objective keeps falling. Lloyd iterations under size bounds creep
/// towards their fixed point; over-relaxing (as in successive over-relaxation) reaches a
/// lower objective in fewer iterations.
const OVERRELAX: f64 = 1.8;

/// Assignments that start cold (from the plain Voronoi diagram) in a run that does not
/// start from given weights: in the first steps the centers move so far that the previous
/// weights are a worse guide than none.
const COLD_STEPS: usize = 2;

/// How a run starts.
#[derive(Debug, Clone)]
pub(super) enum Start {
    /// Balanced k-d split rotated by this angle.
    KdSplit(f64),
    /// k-means++ seeding with this seed.
    PlusPlus(u64),
    /// Given centers and power weights (a warm first assignment).
    Warm(Vec<[f64; 2]>, Vec<f64>),
    /// The refinement of a coarse solution: warm, and stopping sooner.
    Refine(Vec<[f64; 2]>, Vec<f64>),
    /// Given labels, with their centroids as centers (cold first steps).
    Labels(Vec<u32>),
}

impl Start {
    /// The relative improvement below which the run stops, and how many first steps are
    /// exact. The refinement of a coarse solution stops sooner: it starts near a local
    /// optimum.
    fn stop_rule(&self) -> (f64, usize) {
        if matches!(self, Start::Refine(..)) {
            (REFINE_STALL, 1)
        } else {
            (STALL, 3)
        }
    }

    /// The first labels (none for a warm start), centers and power weights of a run with
    /// `k` catchments of at most `hi` households, and whether the weights were given.
    fn begin(
        &self,
        points: &[[f64; 2]],
        weights: &[u32],
        k: usize,
        hi: u64,
    ) -> (Vec<u32>, Vec<[f64; 2]>, Vec<f64>, bool) {
        let mut power = vec![0.0f64; k];
        match self {
            Start::KdSplit(angle) => {
                let labels = kd_partition(points, weights, k, *angle);
                let centers = centroids(points, weights, &labels, &vec![[0.0, 0.0]; k]);
                (labels, centers, power, false)
            }
            Start::PlusPlus(seed) => {
                let (labels, centers) = seeded(points, weights, k, *seed, hi);
                (labels, centers, power, false)
            }
            Start::Labels(labels) => {
                let centers = centroids(points, weights, labels, &vec![[0.0, 0.0]; k]);
                (labels.clone(), centers, power, false)
            }
            Start::Warm(c, w) | Start::Refine(c, w) => {
                power.copy_from_slice(w);
                (Vec::new(), c.clone(), power, true)
            }
        }
    }
}

/// Runs balanced k-means from `start`: each iteration an assignment (see [`Run::step`])
/// and, unless the labels or the objective stalled, centers moved over-relaxed towards
/// their centroids while the objective keeps falling.
pub(super) fn balance_once(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    start: &Start,
) -> Balanced {
    balance_once_with_graph(points, weights, params, start).0
}

/// [`balance_once`], with the catchment graph of its last exact assignment.
pub(super) fn balance_once_with_graph(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    start: &Start,
) -> (Balanced, Graph) {
    let (run, graph, _) = run_lloyd(points, weights, params, start, false);
    (run, graph)
}

/// [`balance_once`], unless its first exact assignment fails to meet its conditions: then
/// `Err` with that assignment as it stands (not finished, `balanced` false). With
/// weighted places under a tight capacity, that failure foretells the run's: the
/// exchanges the bounds need are beyond any power diagram.
pub(super) fn balance_once_unless_failing(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    start: &Start,
) -> Result<Balanced, Balanced> {
    match run_lloyd(points, weights, params, start, true) {
        (run, _, false) => Ok(run),
        (failed, _, true) => Err(failed),
    }
}

/// The balanced k-means loop of [`balance_once_with_graph`]; with `give_up`, it stops as
/// soon as the first exact assignment fails, which the third value says.
fn run_lloyd(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    start: &Start,
    give_up: bool,
) -> (Balanced, Graph, bool) {
    let (stall, exact_first) = start.stop_rule();
    let (mut run, warm) = Run::new(points, weights, params, start);
    let mut prev_sse = f64::INFINITY;
    let mut iterations = 0;
    let mut converged = false;
    let mut exact_next = true;
    // Whether the latest step was an exact assignment that met its conditions.
    let mut exact_done = false;
    while iterations < params.max_iterations {
        iterations += 1;
        // Exact assignments (k-d tree candidates, checked against all centers) at first,
        // every few iterations and before stopping; in between, the catchment graph of
        // the last exact one.
        let exact = exact_next || iterations <= exact_first || iterations % REFRESH == 0;
        let cold = iterations <= COLD_STEPS && !warm;
        let fast;
        (fast, exact_done) = run.step(exact, cold);
        if give_up && iterations == 1 && !exact_done {
            let Run {
                prob,
                centers,
                power,
                labels,
                graph,
                ..
            } = run;
            let mut failed = summarize(&prob, params, centers, power, labels, false);
            failed.iterations = iterations;
            failed.converged = false;
            return (failed, graph, true);
        }
        if run.stalled {
            break;
        }
        let next = centroids(points, weights, &run.labels, &run.centers);
        let objective = sse(points, weights, &run.labels, &next);
        let stalled = run.labels == run.prev_labels || objective >= prev_sse * (1.0 - stall);
        if stalled && !fast {
            converged = true;
            break;
        }
        if iterations == params.max_iterations {
            break;
        }
        // A stall seen through the restricted graph is confirmed by an exact step.
        exact_next = stalled;
        run.centers = if objective < prev_sse {
            overrelaxed(&run.centers, &next)
        } else {
            next
        };
        prev_sse = prev_sse.min(objective);
    }
    let (mut result, graph) = run.into_result(params, exact_done);
    result.iterations = iterations;
    result.converged = converged;
    (result, graph, false)
}

/// Each center moved [`OVERRELAX`] times the way to its centroid in `next`.
fn overrelaxed(centers: &[[f64; 2]], next: &[[f64; 2]]) -> Vec<[f64; 2]> {
    centers
        .iter()
        .zip(next)
        .map(|(c, m)| {
            [
                c[0] + OVERRELAX * (m[0] - c[0]),
                c[1] + OVERRELAX * (m[1] - c[1]),
            ]
        })
        .collect()
}

/// The state of a run between its steps.
struct Run<'a> {
    prob: Problem<'a>,
    centers: Vec<[f64; 2]>,
    power: Vec<f64>,
    labels: Vec<u32>,
    /// The labels before the latest step.
    prev_labels: Vec<u32>,
    /// The catchment graph of the latest exact assignment (empty when there is none).
    graph: Graph,
    /// An exact assignment stalled (weighted points whose bounds need exchanges): later
    /// steps would stall the same way.
    stalled: bool,
}

impl<'a> Run<'a> {
    /// A run from `start`, and whether its first weights were given.
    fn new(
        points: &'a [[f64; 2]],
        weights: &'a [u32],
        params: &BalanceParams,
        start: &Start,
    ) -> (Self, bool) {
        let k = params.k.max(1);
        let prob = Problem::new(points, weights, k, params.lo, params.hi);
        let (labels, centers, power, warm) = start.begin(points, weights, k, params.hi);
        let run = Run {
            prob,
            centers,
            power,
            labels,
            prev_labels: Vec::with_capacity(points.len()),
            graph: Graph::default(),
            stalled: false,
        };
        (run, warm)
    }

    /// One assignment for the current centers, from the current labels and weights: on
    /// the catchment graph of the last exact one unless `exact`, and exact (from no
    /// weights when `cold`) when asked or when that graph went stale. Returns whether the
    /// graph's assignment held (`fast`) and whether an exact one met its conditions.
    fn step(&mut self, exact: bool, cold: bool) -> (bool, bool) {
        std::mem::swap(&mut self.prev_labels, &mut self.labels);
        self.labels.clone_from(&self.prev_labels);
        let mut fast = false;
        if !exact {
            let before = self.power.clone();
            fast = assign_within(
                &self.prob,
                &self.centers,
                &mut self.power,
                &mut self.labels,
                &self.graph,
            )
            .converged;
            if !fast {
                // The graph went stale: start the exact step afresh from these weights.
                self.power = before;
                self.labels.clone_from(&self.prev_labels);
                self.graph = Graph::default();
            }
        }
        let mut exact_done = false;
        if !fast {
            let stats = assign(
                &self.prob,
                &self.centers,
                &mut self.power,
                &mut self.labels,
                cold,
                &mut self.graph,
            );
            exact_done = stats.converged;
            self.stalled |= stats.stalled;
        }
        (fast, exact_done)
    }

    /// The result of the run. The loop stops before moving the centers, so when its last
    /// step was an exact assignment that met its conditions (`exact_done`), that is the
    /// power diagram of these centers; otherwise a final exact assignment makes one.
    fn into_result(self, params: &BalanceParams, exact_done: bool) -> (Balanced, Graph) {
        let Run {
            prob,
            centers,
            power,
            labels,
            mut graph,
            ..
        } = self;
        let result = if exact_done {
            summarize(&prob, params, centers, power, labels, true)
        } else {
            finish(&prob, params, centers, power, labels, &mut graph)
        };
        (result, graph)
    }
}

/// The exact assignment for `centers` (warm from `power` and `labels`) and the figures of
/// the result.
pub(super) fn finish(
    prob: &Problem<'_>,
    params: &BalanceParams,
    centers: Vec<[f64; 2]>,
    mut power: Vec<f64>,
    mut labels: Vec<u32>,
    graph: &mut Graph,
) -> Balanced {
    let stats = assign(prob, &centers, &mut power, &mut labels, false, graph);
    summarize(prob, params, centers, power, labels, stats.converged)
}

/// The figures of an assignment; `balanced` only when `assigned` (the assignment met its
/// conditions) and every size is within the bounds.
pub(super) fn summarize(
    prob: &Problem<'_>,
    params: &BalanceParams,
    centers: Vec<[f64; 2]>,
    power: Vec<f64>,
    labels: Vec<u32>,
    assigned: bool,
) -> Balanced {
    let (points, weights) = (prob.points, prob.weights);
    let sizes = sizes(weights, &labels, centers.len());
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
