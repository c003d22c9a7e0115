//! Coarse to fine: the search runs on groups of households, then one run refines the
//! result on the households themselves.

use super::assign::Graph;
use super::coarsen::{self, Coarse};
use super::init::kd_partition;
use super::lloyd::{Start, balance_once, balance_once_with_graph};
use super::params::{BalanceParams, Balanced};
use super::relocate::RELOCATIONS;
use super::starts::search;
use crate::spatial::PowerIndex;

/// With more than [`COARSEN_ABOVE`] points per catchment: the search on groups of about
/// `W/(24·k)` households (see [`search_groups`]), refined by one run on the points from the
/// groups' centers and power weights; `None` when the points are too few to group.
pub(super) fn coarse_to_fine(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
) -> Option<(Balanced, Graph)> {
    let k = params.k.max(1);
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let g = group_size(points.len(), total, k)?;
    let coarse = coarsen::coarsen(points, weights, g);
    if coarse.points.len() * 2 >= points.len() {
        return None;
    }
    // Search on the groups, then refine on the households from the groups' centers and
    // power weights.
    let found = search_groups(points, weights, params, total, &coarse, RELOCATIONS);
    // Power is in m² per unit point: the same scale for the households.
    let start = Start::Refine(found.centers, found.power);
    Some(balance_once_with_graph(points, weights, params, &start))
}

/// The search on the groups `coarse` (bounds in groups, more starts when they are few,
/// up to `relocations` rounds of relocation moves); with many catchments on groups twice
/// as large, refined on these.
fn search_groups(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    total: u64,
    coarse: &Coarse,
    relocations: usize,
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
            let found =
                nested(points, weights, params, total, &larger, &rough).unwrap_or_else(|| {
                    search(
                        &larger.points,
                        &vec![1u32; larger.points.len()],
                        &rough,
                        relocations,
                    )
                });
            let start = Start::Refine(found.centers, found.power);
            balance_once(&coarse.points, &ones, &loose, &start)
        }
        None => search(&coarse.points, &ones, &loose, relocations),
    }
}

/// Small catchments (up to about 70 households, four or more to a super-catchment): the
/// search plans super-catchments of about [`NEST_SIZE`] households first (the whole
/// coarse-to-fine search, with its starts and relocation moves, on a fraction of the
/// catchments), gives each a share of the `k` catchments in proportion to its groups
/// (largest remainders), splits its groups among them by a balanced k-d split, and runs
/// once on the larger groups from there. `None` when catchments are larger or the
/// super-catchments too few.
///
/// At 50 households per catchment the multi-start search on groups of 8 (about six per
/// catchment, bounds of 6–7 groups) cost 80 % of the national plan, its k-means++ starts
/// most: their size-constrained steps moved groups across whole provinces.
fn nested(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
    total: u64,
    larger: &Coarse,
    rough: &BalanceParams,
) -> Option<Balanced> {
    let k = params.k.max(1);
    let per = total / k as u64;
    let m = (NEST_SIZE + per / 2) / per.max(1);
    let supers = (k + m as usize / 2) / m.max(1) as usize;
    if m < 4 || supers < 2 {
        return None;
    }
    // The super-catchments' bounds: W / supers, give or take the catchments' relative
    // spread (the wider side of their bounds).
    let size = total as f64 / supers as f64;
    let spread = params
        .hi
        .saturating_sub(per)
        .max(per.saturating_sub(params.lo)) as f64
        / per as f64;
    let outer = BalanceParams {
        k: supers,
        lo: (size * (1.0 - spread)).ceil() as u64,
        hi: (size * (1.0 + spread)).floor() as u64,
        ..params.clone()
    };
    let g = group_size(points.len(), total, supers)?;
    let found = search_groups(
        points,
        weights,
        &outer,
        total,
        &coarsen::coarsen(points, weights, g),
        SUPER_RELOCATIONS,
    );
    // Each larger group goes to its power-nearest super-catchment.
    let index = PowerIndex::new(&found.centers, &found.power);
    let mut members = vec![Vec::new(); supers];
    let mut buf = Vec::new();
    for (i, p) in larger.points.iter().enumerate() {
        members[index.nearest_one(*p, &mut buf) as usize].push(i);
    }
    let shares = apportion(&members.iter().map(Vec::len).collect::<Vec<_>>(), k);
    let mut labels = vec![0u32; larger.points.len()];
    let mut first = 0u32;
    for (group, &share) in members.iter().zip(&shares) {
        let inside: Vec<[f64; 2]> = group.iter().map(|&i| larger.points[i]).collect();
        let parts = kd_partition(&inside, &vec![1u32; inside.len()], share, 0.0);
        for (&i, &part) in group.iter().zip(&parts) {
            labels[i] = first + part;
        }
        first += share as u32;
    }
    let ones = vec![1u32; larger.points.len()];
    Some(balance_once(
        &larger.points,
        &ones,
        rough,
        &Start::Labels(labels),
    ))
}

/// Rounds of relocation moves in the search for the super-catchments of [`nested`]: each
/// round re-runs four plans of the whole region, and rounds after the first moved the
/// national plan at 50 households per catchment by 0.01 % of its objective for 1.9 s of
/// its 34 s of CPU (per province −1.2 to +2.8 %, +0.07 % on average; `benches/README.md`).
const SUPER_RELOCATIONS: usize = 1;

/// Households per super-catchment of [`nested`]. Measured at target 50 (`benches/README.md`):
/// super-catchments of 450 cost 1.1 % of SSE nationally and 5 % on one clustered
/// province; of 250 the national SSE is the multi-start search's (+0.04 %), by province
/// −2.5 to +0.8 %, for 10 % more time than 450. Relocation moves after the nested run
/// (as the search makes) cost 16 s of CPU nationally for −0.08 % and were left out.
const NEST_SIZE: u64 = 250;

/// `k` parts shared among groups of `sizes` points in proportion to their sizes (largest
/// remainders, ties to the earlier group); an empty group gets none, every other at least
/// one, as long as `k` allows.
fn apportion(sizes: &[usize], k: usize) -> Vec<usize> {
    let total: usize = sizes.iter().sum();
    let quota: Vec<f64> = sizes
        .iter()
        .map(|&s| s as f64 * k as f64 / total.max(1) as f64)
        .collect();
    let mut shares: Vec<usize> = sizes
        .iter()
        .zip(&quota)
        .map(|(&s, q)| {
            if s == 0 {
                0
            } else {
                (q.floor() as usize).max(1)
            }
        })
        .collect();
    // The parts left over go to the groups furthest below their quota (each is less than
    // one part below it, so one round gives them all); parts given beyond `k` (a group
    // of a sliver of a part still gets one) come back from those furthest above it.
    let mut order: Vec<usize> = (0..sizes.len()).filter(|&j| sizes[j] > 0).collect();
    order.sort_by(|&a, &b| {
        let gap = |j: usize| quota[j] - shares[j] as f64;
        gap(b).total_cmp(&gap(a)).then(a.cmp(&b))
    });
    let mut given: usize = shares.iter().sum();
    for &j in &order {
        if given >= k {
            break;
        }
        shares[j] += 1;
        given += 1;
    }
    while given > k {
        let before = given;
        for &j in order.iter().rev() {
            if given > k && shares[j] > 1 {
                shares[j] -= 1;
                given -= 1;
            }
        }
        if given == before {
            break;
        }
    }
    shares
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
    let g = (total / k as u64 / LARGER_GROUPS_PER_CATCHMENT).max(2 * MIN_GROUP);
    if k < LARGER_GROUPS_FROM || total / k as u64 / g < MIN_GROUPS_PER_CATCHMENT {
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
pub(super) fn coarse_bounds(groups: &[u32], k: usize, lo: u64, hi: u64) -> (u64, u64) {
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

/// The households per group of the coarse problem: about `W/(24·k)` where catchments
/// hold more than [`COARSEN_ABOVE`] points; with small catchments (fewer than
/// `24·`[`MIN_GROUP`] households) groups of [`MIN_GROUP`] still, so that the search runs
/// on a fraction of the points whatever `k` (at 50 households per catchment the search on
/// every household cost ~10× the plan at 450). `None` when no grouping applies.
fn group_size(n: usize, total: u64, k: usize) -> Option<u64> {
    let per = total / k as u64;
    let g = per / GROUPS_PER_CATCHMENT;
    if g >= MIN_GROUP {
        (n > COARSEN_ABOVE * k).then_some(g)
    } else {
        (per >= MIN_GROUP * MIN_GROUPS_PER_CATCHMENT).then_some(MIN_GROUP)
    }
}

/// Smallest group size of the coarse problem (twice that for the larger groups).
const MIN_GROUP: u64 = 4;
/// Fewest groups per catchment a coarse problem is searched with.
const MIN_GROUPS_PER_CATCHMENT: u64 = 4;

/// Target number of groups per catchment when coarsening.
const GROUPS_PER_CATCHMENT: u64 = 24;
/// Coarsen only with more than this many points per catchment.
const COARSEN_ABOVE: usize = 48;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_sizes_follow_the_catchment_size_down_to_the_smallest_group() {
        // 450 per catchment: 24 groups of 18 per catchment, as before.
        assert_eq!(group_size(200_000, 200_000, 444), Some(18));
        // 50 per catchment: groups of MIN_GROUP rather than no grouping at all.
        assert_eq!(group_size(200_000, 200_000, 4_000), Some(MIN_GROUP));
        // Under MIN_GROUP · MIN_GROUPS_PER_CATCHMENT per catchment: the points themselves.
        assert_eq!(group_size(10_000, 10_000, 1_000), None);
        // Weighted places, few points per catchment (each place a group already).
        assert_eq!(group_size(3_000, 135_000, 300), None);
    }

    #[test]
    fn parts_are_shared_in_proportion() {
        // Quotas 2.5, 5 and 2.5: the leftover part goes to the first of the two halves.
        assert_eq!(apportion(&[10, 20, 10], 10), vec![3, 5, 2]);
        // An empty group gets nothing; a sliver still gets one, taken from the largest.
        assert_eq!(apportion(&[0, 1, 99], 10), vec![0, 1, 9]);
        for (sizes, k) in [
            (vec![7, 3, 12, 1, 40], 17),
            (vec![5; 9], 40),
            (vec![1, 1], 2),
        ] {
            let shares = apportion(&sizes, k);
            assert_eq!(shares.iter().sum::<usize>(), k, "{sizes:?} into {k}");
        }
    }

    #[test]
    fn small_catchments_search_super_catchments_first() {
        // 80 × 80 households, 128 catchments of 50: 14 super-catchments of about 450.
        let points: Vec<[f64; 2]> = (0..6_400)
            .map(|i| [f64::from(i % 80) * 10.0, f64::from(i / 80) * 10.0])
            .collect();
        let weights = vec![1u32; points.len()];
        let params = BalanceParams {
            k: 128,
            lo: 45,
            hi: 55,
            max_iterations: 50,
            restarts: 4,
            seed: 3,
        };
        let (larger, rough) =
            larger_groups(&points, &weights, &params, 6_400).expect("128 catchments of 50");
        let found = nested(&points, &weights, &params, 6_400, &larger, &rough)
            .expect("50 households per catchment nest");
        assert_eq!(found.centers.len(), 128);
        assert!(found.balanced, "sizes in groups {:?}", found.sizes);
        // 450 households or more per catchment: no nesting.
        let big = BalanceParams {
            k: 8,
            lo: 450,
            hi: 550,
            ..params
        };
        assert!(nested(&points, &weights, &big, 6_400, &larger, &rough).is_none());
    }

    #[test]
    fn larger_groups_need_enough_of_them_per_catchment() {
        let points: Vec<[f64; 2]> = (0..8_000)
            .map(|i| [f64::from(i % 100), f64::from(i / 100)])
            .collect();
        let weights = vec![1u32; points.len()];
        let params = |k: usize| BalanceParams {
            k,
            lo: 0,
            hi: 8_000,
            max_iterations: 10,
            restarts: 1,
            seed: 0,
        };
        // 40 households per catchment: groups of 8, five per catchment.
        let (larger, _) = larger_groups(&points, &weights, &params(200), 8_000)
            .expect("200 catchments of 40 use larger groups");
        assert_eq!(larger.points.len(), 1_000);
        // 25 per catchment: groups of 8 would be three per catchment, too few.
        assert!(larger_groups(&points, &weights, &params(320), 8_000).is_none());
    }
}
