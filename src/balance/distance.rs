//! The travel objective's refinement of a balanced plan (`--objective distance`): the
//! rounds of [`super::travel`] from the squared plan, then the improvement moves of
//! [`super::improve`].

use super::coarsen::coarsen;
use super::improve::improve;
use super::moments::{centroids, sizes, sse};
use super::params::Balanced;
use super::travel::{Round, Travel, descend, descend_until, exact_round, medians, total};

/// Refines the balanced plan `start` for the travel objective (see the module docs); the
/// result's `centers` and `power` are the generators and prices (additive weights, metres)
/// of the round kept, under which every household is in its best catchment up to the arcs
/// the repair searched. `None` when no round improves on `start` within the bounds.
/// `hopeless`: the squared search gave up on `start` (its rounds then stop early when
/// they cannot meet the bounds either, see [`GIVE_UP`]).
pub(crate) fn travel_balance(
    prob: &Travel<'_>,
    start: Balanced,
    hopeless: bool,
) -> Option<Balanced> {
    let k = start.centers.len();
    if k < 2 || prob.points.is_empty() {
        return None;
    }
    let mut labels = start.labels.clone();
    let g = medians(prob.points, prob.weights, &labels, &start.centers);
    let start_total = total(prob, &labels, &g);
    let (first, warm) = match grouped_centers(prob, &g) {
        Some((centers, prices)) => (centers, Some(prices)),
        None => (g.clone(), None),
    };
    // From a start where the squared search gave up (weighted places under a capacity too
    // tight for any diagram) the rounds rarely meet the bounds either; where they do, in
    // the first round or two. So they stop after GIVE_UP rounds out of bounds. (Other
    // starts out of bounds, such as the coarse-to-fine search's by a household or two
    // with weighted places, go on as before.)
    let give_up = hopeless.then_some(GIVE_UP);
    let descent = descend_until(prob, first, warm, &mut labels, give_up);
    // The improvement moves start from the descent's best round, or from the start
    // itself when no round beat it (its prices then come from the moves' last step).
    let from = match descent.best {
        Some(round) if !start.balanced || round.total < start_total => round,
        _ if start.balanced => Round {
            total: start_total,
            labels: start.labels.clone(),
            g: g.clone(),
            y: Vec::new(),
            medians: g,
        },
        _ => return None,
    };
    let round = improve(prob, from);
    if round.y.is_empty() {
        return None;
    }
    let round = exact_round(prob, round);
    let sizes = sizes(prob.weights, &round.labels, k);
    let cents = centroids(prob.points, prob.weights, &round.labels, &round.g);
    Some(Balanced {
        sse_m2: sse(prob.points, prob.weights, &round.labels, &cents),
        balanced: true,
        labels: round.labels,
        centers: round.g,
        power: round.y,
        sizes,
        iterations: start.iterations + descent.iterations,
        converged: descent.converged,
    })
}

/// Rounds out of bounds after which rounds from a start the squared search gave up on
/// stop. On 24 files of 60–940 weighted places at τ 0.8–0.95 (the property test's kind)
/// the rounds from such a start met the bounds in their first or second round, or never (at τ ≥ 0.9, 5–7 rounds
/// costing up to 13 s on 3,038 places in 1,000 catchments).
const GIVE_UP: usize = 3;

/// Points per catchment above which the rounds run on groups of households first.
const GROUP_ABOVE: usize = 48;
/// Groups per catchment for those rounds. 64 (about 7 households a group at the default
/// target) rather than the squared search's 24: the rounds on the households then start
/// nearer their fixed point. On the national file the grouped and household rounds took
/// 3.8–3.9 s of CPU instead of 4.7 s (139 household rounds in all → 100), with trips
/// 0.09 % shorter; the sample, the peer files and Tehran at target 150 were within
/// ±0.1 %.
const GROUPS_PER_CATCHMENT: u64 = 64;

/// With more than [`GROUP_ABOVE`] points per catchment: the centers that the rounds reach on
/// groups of about `W/(64·k)` households (each a point at its centroid, as for the squared
/// search's coarse level), from the centers `g`. The rounds creep towards their fixed
/// point; on groups each round costs a fraction, and the rounds on the households then
/// start near it, warm from the prices reached there (with one household per point; the
/// groups' prices are in metres, as the households' are): on the national file the
/// household rounds took 2.5–2.7 s of CPU instead of 3.2 s, with the same plans on it,
/// the sample and the peer files. Returns those centers and prices; `None` when the
/// points are few or the grouped rounds do not meet the bounds.
///
/// Groups count as one each, with the bounds in groups (as in the squared search's coarse
/// level; they hold nearly equal numbers of households): with unit points the rounds after
/// the first start warm from the last round's prices, where weighted groups needed a
/// repair from prices 0 in every round. On the national file the grouped rounds took
/// 0.4 s of CPU instead of 1.4 s, with trips 0.01 % shorter; on the sample and the peer
/// files trips changed by at most 0.004 %.
fn grouped_centers(prob: &Travel<'_>, g: &[[f64; 2]]) -> Option<(Vec<[f64; 2]>, Vec<f64>)> {
    let k = g.len();
    if prob.points.len() <= GROUP_ABOVE * k {
        return None;
    }
    let households: u64 = prob.weights.iter().map(|&w| u64::from(w)).sum();
    let groups = coarsen(
        prob.points,
        prob.weights,
        households / (GROUPS_PER_CATCHMENT * k as u64),
    );
    let ones = vec![1u32; groups.points.len()];
    let (lo, hi) = super::levels::coarse_bounds(&groups.weights, k, prob.lo, prob.hi);
    let grouped = Travel {
        points: &groups.points,
        weights: &ones,
        lo,
        hi,
        effort: 0.0,
        ..*prob
    };
    let mut labels = Vec::new();
    descend(&grouped, g.to_vec(), None, &mut labels)
        .best
        .map(|round| (round.g, round.y))
}
