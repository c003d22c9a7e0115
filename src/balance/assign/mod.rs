//! The size-constrained assignment step: for fixed centers, the optimal transportation of
//! households to catchments with sizes in `[lo, hi]`, expressed as power-diagram weights.
//!
//! Household `i` belongs to the catchment minimising `‖x_i − c_j‖² − w_j`. The weights are
//! the dual prices (potentials) of the transportation problem. They are found by successive
//! shortest paths on the small *catchment graph*, not on the household graph: starting
//! from the plain Voronoi assignment (all weights 0, the unconstrained optimum), each
//! catchment above `hi` sends one household along the cheapest chain of moves
//! `a → b → … → (a catchment with room)`, and each catchment below `lo` pulls one along the
//! cheapest chain from a catchment that can spare one (searched backwards from the
//! catchment in need, so that only the catchments around it are visited). The cost of moving
//! household `i` from `a` to `b` is its increase in power distance; the cheapest household per arc
//! `(a, b)` comes from a lazily-updated heap keyed by `‖x_i − c_b‖² − ‖x_i − c_a‖²`, which
//! does not depend on the weights. After each Dijkstra search the weights are updated with
//! the search distances, which keeps every household power-nearest (reduced costs stay
//! non-negative). The search stops when the optimality conditions hold: every size within
//! `[lo, hi]`, catchments strictly inside their bounds at a common weight level, those
//! below it full (`hi`) and those above it at `lo`. Together these make the result the
//! optimum of the size-constrained problem (exactly, for unit weights), whether it started
//! cold (all weights 0) or warm from the previous iteration's weights, which is much less
//! work when the centers moved little. A warm start that fails falls back to a cold one.
//!
//! Only some centers are considered for each household: with many households per
//! catchment, the neighbours of its label's power cell (see `adjacency`, one clipping of
//! each cell per check instead of a query per household); with few, its `m`
//! power-nearest centers (found with a k-d tree over centers lifted to 3-D,
//! `(c_j, sqrt(M − w_j))`, where power distance becomes squared Euclidean distance). A
//! final exact check against all centers re-runs the ascent with a fresh graph if any
//! household's true power-nearest center was not among them (a wider one when that
//! keeps happening), so the result is always an exact power diagram.
//!
//! # Files
//! - `problem`: the problem's data and tolerances, and the outcome of an assignment;
//! - `adjacency`: which power cells touch (the neighbours an exact check compares with);
//! - `labels`: power-nearest labels, found and checked against all centers;
//! - `graph`: the catchment graph the searches run on;
//! - `dijkstra`: the shortest-path search over catchments;
//! - `arcs`: per arc of the graph, the cheapest households to move along it;
//! - `violations`: the catchments out of balance, in the order they are repaired;
//! - `ascent`: the successive shortest paths themselves;
//! - `margins`: weights moved inside their feasible set to keep households off the edges.
//!
//! Each file uses only those listed before it; this one drives them.

mod adjacency;
mod arcs;
mod ascent;
mod dijkstra;
mod graph;
mod labels;
mod margins;
mod problem;
mod violations;

use rayon::prelude::*;

use ascent::ascent;
use graph::{CANDIDATES, RINGS, candidates};
use labels::{exact_check, walk};

use crate::spatial::PowerIndex;
pub(crate) use graph::{Graph, graph_around};
pub(crate) use margins::{Constraint, bellman_ford, widen_margins};
pub(crate) use problem::{AssignStats, Problem};

/// Finds weights and labels such that labels are the power diagram of `(centers, power)`
/// and every catchment holds between `lo` and `hi` households. A `cold` start begins from
/// the Voronoi diagram (all weights 0); a warm one from the given weights, which is much
/// faster between nearby centers. Either way the result meets the optimality conditions,
/// checked against all centers. `graph` receives the catchment graph used.
pub(crate) fn assign(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &mut [f64],
    labels: &mut Vec<u32>,
    cold: bool,
    graph: &mut Graph,
) -> AssignStats {
    let mut stats = AssignStats::default();
    // A warm start first tries the catchment graph it already has.
    if !cold && !graph.is_empty() && labels.len() == prob.points.len() {
        let round = assign_within(prob, centers, power, labels, graph);
        stats.evaluations += round.evaluations;
        if round.converged && exact_check(prob, centers, power, labels) {
            stats.converged = true;
            return stats;
        }
    }
    // A warm start that fails falls back to a cold one.
    let starts: &[bool] = if cold { &[true] } else { &[false, true] };
    for &cold in starts {
        if cold {
            power.iter_mut().for_each(|w| *w = 0.0);
        }
        if rounds(prob, centers, power, labels, cold, graph, &mut stats) {
            stats.converged = true;
            return stats;
        }
        if stats.stalled {
            break;
        }
    }
    // Candidates kept missing the true power-nearest center: fall back to the exact power
    // diagram of the current weights (sizes may then be off, which diagnostics report).
    power_diagram(prob, centers, power, labels);
    stats.converged = false;
    stats
}

/// Rounds of a fresh catchment graph and the ascent on it, until one meets the optimality
/// conditions against all centers (true) or fails; the graph is widened while a search
/// gets stuck or households keep missing their power-nearest center. A `cold` round is
/// the last resort: a warm one gives up as soon as a search gets stuck.
fn rounds(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &mut [f64],
    labels: &mut Vec<u32>,
    cold: bool,
    graph: &mut Graph,
    stats: &mut AssignStats,
) -> bool {
    let mut m = CANDIDATES.min(prob.k);
    let mut rings = RINGS;
    // With weighted points a search also gets stuck when no catchment it reaches has room
    // for the household arriving (packing), which a wider graph rarely cures: past eight
    // times the usual width, a stuck search fails instead of linking every catchment
    // (each search would then cost O(k²)).
    let widest = if prob.wmax > 1 {
        (8 * CANDIDATES).min(prob.k)
    } else {
        prob.k
    };
    for round_no in 0..8 {
        *graph = candidates(prob, centers, power, labels, m, rings);
        let round = ascent(prob, centers, power, labels, graph);
        stats.evaluations += round.evaluations;
        if round.stalled {
            // A wider graph or a cold start would circle the same way.
            stats.stalled = true;
            return false;
        }
        if round.stuck && !cold {
            // Weights far from this problem's (centers moved a lot): start cold.
            return false;
        }
        if round.stuck && m < widest {
            // Some catchment could not reach one with room: widen the candidate graph.
            m = (m * 2).min(prob.k);
            rings += 1;
            continue;
        }
        if !round.converged {
            return false;
        }
        if exact_check(prob, centers, power, labels) {
            return true;
        }
        // Some household's power-nearest center was not a neighbour: retry with
        // candidates recomputed for the current weights, from the second retry on with
        // a wider graph (the weights may keep moving households beyond a narrow one).
        if round_no >= 1 {
            m = (m * 2).min(prob.k);
            rings += 1;
        }
    }
    false
}

/// Labels become the power-nearest centers among all, by a k-d tree query each.
fn power_diagram(prob: &Problem<'_>, centers: &[[f64; 2]], power: &[f64], labels: &mut [u32]) {
    let index = PowerIndex::new(centers, power);
    let mut buf = Vec::new();
    for (i, p) in prob.points.iter().enumerate() {
        index.nearest(*p, 1, &mut buf);
        labels[i] = buf[0];
    }
}

/// The assignment restricted to `graph`, warm started from the current labels and
/// weights: exact for that graph, but not checked against all centers. Cheap between
/// nearby iterations (no k-d tree query); `converged` is false when the caller should fall
/// back to [`assign`].
pub(crate) fn assign_within(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &mut [f64],
    labels: &mut [u32],
    graph: &Graph,
) -> AssignStats {
    relabel(prob, centers, power, labels, graph);
    ascent(prob, centers, power, labels, graph)
}

/// Moves every household to its power-nearest center among its label's neighbours
/// (repeatedly, until no neighbour is nearer).
fn relabel(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &[f64],
    labels: &mut [u32],
    graph: &Graph,
) {
    labels
        .par_iter_mut()
        .zip(prob.points.par_iter())
        .for_each(|(l, p)| {
            *l = walk(*p, *l, &graph.nbrs, centers, power);
        });
}
