//! The search: seeded starts run in parallel, the best kept, then relocation moves.
//!
//! Starts alternate between a balanced k-d split rotated by a seeded angle and k-means++
//! seeding; of the balanced runs within [`POLISH_SLACK`] of the lowest objective, the one
//! with the shortest trips wins.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::lloyd::{Start, balance_once};
use super::moments::mean_distance;
use super::params::{BalanceParams, Balanced, better};
use super::polish::POLISH_SLACK;
use super::relocate::relocate;

/// Seeded starts in parallel, the best kept, then up to `relocations` rounds of relocation
/// moves.
pub(super) fn search(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    relocations: usize,
) -> Balanced {
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
    relocate(points, weights, params, best, relocations)
}
