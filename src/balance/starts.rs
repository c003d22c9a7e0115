//! The search: seeded starts run in parallel, the best kept, then relocation moves.
//!
//! Starts alternate between a balanced k-d split rotated by a seeded angle and k-means++
//! seeding; of the balanced runs within [`POLISH_SLACK`] of the lowest objective, the one
//! with the shortest trips wins.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::lloyd::{Start, balance_once, balance_once_unless_failing};
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
    let starts = seeded_starts(params);
    let runs: Vec<Balanced> = starts
        .par_iter()
        .map(|start| balance_once(points, weights, params, start))
        .collect();
    best_relocated(points, weights, params, runs, relocations)
}

/// What [`search_unless_hopeless`] found.
pub(super) enum Searched {
    /// The search ran: its best plan.
    Ran(Balanced),
    /// The first start's exact assignments stalled short of the bounds (weighted places
    /// under a capacity too tight for any power diagram): that run, the others skipped.
    Hopeless(Balanced),
}

/// [`search`], except that with weighted points the first start runs alone first: when
/// its first exact assignment fails, or the run ends neither converged nor within the
/// bounds, the other starts would circle the same way (each costing seconds of futile
/// exchanges), so the search stops there and the caller packs the places instead.
/// Otherwise the result is [`search`]'s exactly.
pub(super) fn search_unless_hopeless(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    relocations: usize,
) -> Searched {
    if !weights.iter().any(|&w| w > 1) {
        return Searched::Ran(search(points, weights, params, relocations));
    }
    let starts = seeded_starts(params);
    // The next k-d split start (the third) runs beside the first, both cores busy, and
    // gives up as soon as its own first assignment fails (it then runs again in full
    // should the first not be hopeless). k-means++ starts are not paired: their first
    // assignment often fails where later ones succeed.
    let tried = |start: &Start| balance_once_unless_failing(points, weights, params, start);
    let (first, third) = match starts.get(2) {
        Some(next) => {
            let (first, third) = rayon::join(|| tried(&starts[0]), || tried(next));
            (first, third.ok())
        }
        None => (tried(&starts[0]), None),
    };
    let first = match first {
        Ok(first) if first.balanced || first.converged => first,
        Ok(failed) | Err(failed) => return Searched::Hopeless(failed),
    };
    let mut done = vec![Some(first), None];
    done.push(third);
    done.truncate(starts.len());
    done.resize(starts.len(), None);
    let runs: Vec<Balanced> = starts
        .par_iter()
        .zip(done)
        .map(|(start, run)| run.unwrap_or_else(|| balance_once(points, weights, params, start)))
        .collect();
    Searched::Ran(best_relocated(points, weights, params, runs, relocations))
}

/// The starts of a search: `params.restarts` (at least one), alternately a k-d split at a
/// seeded angle and a k-means++ seeding.
fn seeded_starts(params: &BalanceParams) -> Vec<Start> {
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    (0..params.restarts.max(1))
        .map(|r| {
            if r % 2 == 0 {
                Start::KdSplit(rng.random::<f64>() * std::f64::consts::PI)
            } else {
                Start::PlusPlus(rng.random::<u64>())
            }
        })
        .collect()
}

/// The best of `runs` (in start order), then up to `relocations` rounds of relocation
/// moves from it.
fn best_relocated(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    runs: Vec<Balanced>,
    relocations: usize,
) -> Balanced {
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// `n` places in a 10 km square with 1 to `wmax` households each (xorshift64*, a small
    /// deterministic generator for test data).
    pub(in crate::balance) fn places(n: usize, wmax: u64, seed: u64) -> (Vec<[f64; 2]>, Vec<u32>) {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11
        };
        let unit = |v: u64| v as f64 / (1u64 << 53) as f64;
        let points = (0..n)
            .map(|_| [unit(next()) * 10_000.0, unit(next()) * 10_000.0])
            .collect();
        let weights = (0..n).map(|_| 1 + (next() % wmax) as u32).collect();
        (points, weights)
    }

    fn params(weights: &[u32], k: usize, fill: f64) -> BalanceParams {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        BalanceParams {
            k,
            lo: 0,
            hi: (total as f64 / k as f64 / fill).ceil() as u64,
            max_iterations: 100,
            restarts: 4,
            seed: 3,
        }
    }

    #[test]
    fn a_search_with_room_is_the_whole_search() {
        for seed in 1..=3 {
            let (points, weights) = places(900, 3, seed);
            let params = params(&weights, 30, 0.8);
            let whole = search(&points, &weights, &params, 1);
            match search_unless_hopeless(&points, &weights, &params, 1) {
                Searched::Ran(run) => assert_eq!(run, whole, "seed {seed}"),
                Searched::Hopeless(_) => panic!("seed {seed}: gave up with room to spare"),
            }
        }
    }

    #[test]
    fn three_heavy_places_to_a_tight_catchment_are_hopeless() {
        // Three places of 1–20 households per catchment at 93 % of capacity: no power
        // diagram meets the bounds, and the search stops after its first start.
        let (points, weights) = places(600, 20, 7);
        let params = params(&weights, 200, 0.93);
        match search_unless_hopeless(&points, &weights, &params, 1) {
            Searched::Hopeless(first) => {
                assert!(!first.balanced && !first.converged);
                assert_eq!(first.labels.len(), points.len());
            }
            Searched::Ran(run) => panic!("searched on: balanced {}", run.balanced),
        }
    }
}
