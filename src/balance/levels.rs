//! Coarse to fine: the search runs on groups of households, then one run refines the
//! result on the households themselves.

use super::coarsen::{self, Coarse};
use super::lloyd::{Start, balance_once};
use super::params::{BalanceParams, Balanced};
use super::starts::search;

/// With more than [`COARSEN_ABOVE`] points per catchment: the search on groups of about
/// `W/(24·k)` households (see [`search_groups`]), refined by one run on the points from the
/// groups' centers and power weights; `None` when the points are too few to group.
pub(super) fn coarse_to_fine(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
) -> Option<Balanced> {
    let k = params.k.max(1);
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let g = total / k as u64 / GROUPS_PER_CATCHMENT;
    if g < 2 || points.len() <= COARSEN_ABOVE * k {
        return None;
    }
    let coarse = coarsen::coarsen(points, weights, g);
    if coarse.points.len() * 2 >= points.len() {
        return None;
    }
    // Search on the groups, then refine on the households from the groups' centers and
    // power weights.
    let found = search_groups(points, weights, params, total, &coarse);
    // Power is in m² per unit point: the same scale for the households.
    let start = Start::Refine(found.centers, found.power);
    Some(balance_once(points, weights, params, &start))
}

/// The search on the groups `coarse` (bounds in groups, more starts when they are few);
/// with many catchments on groups twice as large, refined on these.
fn search_groups(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    total: u64,
    coarse: &Coarse,
) -> Balanced {
    let k = params.k.max(1);
    let (lo, hi) = coarse_bounds(&coarse.weights, k, params.lo, params.hi);
    let loose = BalanceParams {
        lo,
        hi,
        restarts: extra_starts(params.restarts, coarse.points.len()),
        ..params.clone()
    };
    // Groups count as one each (they hold nearly equal numbers of households): with unit
    // points the coarse assignment is exact and never strands room smaller than a group.
    let ones = vec![1u32; coarse.points.len()];
    match larger_groups(points, weights, params, total) {
        // With many catchments the search runs on groups twice as large and is refined
        // on these.
        Some((larger, rough)) => {
            let found = search(&larger.points, &vec![1u32; larger.points.len()], &rough);
            let start = Start::Refine(found.centers, found.power);
            balance_once(&coarse.points, &ones, &loose, &start)
        }
        None => search(&coarse.points, &ones, &loose),
    }
}

/// For [`LARGER_GROUPS_FROM`] catchments or more: groups of about `W/(12·k)` households
/// and the search parameters for them (bounds in groups, the configured starts).
fn larger_groups(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    total: u64,
) -> Option<(Coarse, BalanceParams)> {
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
