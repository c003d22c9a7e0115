//! The travel objective's refinement of a balanced plan (`--objective distance`): the
//! rounds of [`super::travel`] from the squared plan, then the improvement moves of
//! [`super::improve`].

use super::improve::improve;
use super::moments::{centroids, sizes, sse};
use super::params::Balanced;
use super::travel::{Round, Travel, descend, medians, total};

/// Refines the balanced plan `start` for the travel objective (see the module docs); the
/// result's `centers` and `power` are the generators and prices (additive weights, metres)
/// of the round kept, under which every household is in its best catchment up to the arcs
/// the repair searched. `start` is returned unchanged when no round improves on it
/// within the bounds.
pub(crate) fn travel_balance(prob: &Travel<'_>, start: Balanced) -> Balanced {
    let k = start.centers.len();
    if k < 2 || prob.points.is_empty() {
        return start;
    }
    let mut labels = start.labels.clone();
    let g = medians(prob.points, prob.weights, &labels, &start.centers);
    let start_total = total(prob, &labels, &g);
    let descent = descend(prob, g.clone(), &mut labels);
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
        _ => return start,
    };
    let round = improve(prob, from);
    if round.y.is_empty() {
        return start;
    }
    let sizes = sizes(prob.weights, &round.labels, k);
    let cents = centroids(prob.points, prob.weights, &round.labels, &round.g);
    Balanced {
        sse_m2: sse(prob.points, prob.weights, &round.labels, &cents),
        balanced: true,
        labels: round.labels,
        centers: round.g,
        power: round.y,
        sizes,
        iterations: start.iterations + descent.iterations,
        converged: descent.converged,
    }
}
