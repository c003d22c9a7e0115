//! What a re-plan changed: each catchment's part (kept, new, to re-tender, merge
//! candidate), every household that moved, arrived or left with the reason, churn figures
//! per region, and the regions with more centers than they need.

use std::collections::HashSet;

use crate::geometry::dist2;
use crate::model::Households;
use crate::network::{CenterStatus, Previous};
use crate::plan::mapped::Network;
use crate::plan::{CatchmentChange, Change, Churn, Move, MoveReason, Oversupply, Plan, Replan};

/// The changes of `plan`, re-planned from `previous`; `needed` is each region's catchment
/// count from the target size, `prices` the price of a move used in each, `gone` the
/// households that left ([`gone`]: found beforehand, beside the plan's border split).
pub(super) fn changes(
    hh: &Households,
    previous: &Previous,
    network: &Network,
    plan: &Plan,
    needed: &[usize],
    prices: Vec<f64>,
    gone: Vec<(&String, u32)>,
) -> Replan {
    let mut catchments = kinds(previous, network, plan);
    let oversupply = oversupply(plan, network, needed, &mut catchments);
    let mut regions: Vec<Churn> = plan
        .regions
        .iter()
        .map(|r| Churn {
            region: r.name.clone(),
            ..Churn::default()
        })
        .collect();
    // The households that left are listed after the moves.
    let mut moves = households_moves(hh, previous, network, plan, &mut catchments, &mut regions);
    left(gone, previous, network, &mut regions, &mut moves);
    let mut total = Churn::default();
    for r in &regions {
        total.add(r);
    }
    Replan {
        source: previous.source.clone(),
        catchments,
        moves,
        regions,
        total,
        closed: previous
            .centers
            .iter()
            .filter(|c| c.status == CenterStatus::Closed)
            .map(|c| c.id.clone())
            .collect(),
        oversupply,
        move_price_m2: prices,
    }
}

/// Every household of the file that moved or is new, in file order, counted in its
/// region's churn and in its catchments' figures.
fn households_moves(
    hh: &Households,
    previous: &Previous,
    network: &Network,
    plan: &Plan,
    catchments: &mut [CatchmentChange],
    regions: &mut [Churn],
) -> Vec<Move> {
    let index: std::collections::HashMap<&str, usize> = plan
        .catchments
        .iter()
        .enumerate()
        .map(|(c, catchment)| (catchment.id.as_str(), c))
        .collect();
    let mut moves = Vec::new();
    for (i, h) in hh.items.iter().enumerate() {
        let to = plan.assignment[i] as usize;
        let churn = &mut regions[h.region as usize];
        let w = u64::from(h.weight);
        let Some(from) = previous.centers.get(network.previous[i] as usize) else {
            churn.new += w;
            catchments[to].new_households += w;
            moves.push(Move {
                household: h.id.clone(),
                from: None,
                to: Some(plan.catchments[to].id.clone()),
                reason: MoveReason::NewHousehold,
                weight: h.weight,
            });
            continue;
        };
        if from.id == plan.catchments[to].id {
            churn.stayed += w;
            continue;
        }
        churn.moved += w;
        catchments[to].moved_in += w;
        if let Some(&c) = index.get(from.id.as_str()) {
            catchments[c].moved_out += w;
        }
        let reason = if from.status == CenterStatus::Closed {
            MoveReason::CenterClosed
        } else if catchments[to].change == Change::New {
            MoveReason::NewCatchment
        } else {
            MoveReason::Rebalanced
        };
        moves.push(Move {
            household: h.id.clone(),
            from: Some(from.id.clone()),
            to: Some(plan.catchments[to].id.clone()),
            reason,
            weight: h.weight,
        });
    }
    moves
}

/// Each catchment's part before merge candidates are named: kept (open), re-tender
/// (vacant) or new, with the open center's building.
fn kinds(previous: &Previous, network: &Network, plan: &Plan) -> Vec<CatchmentChange> {
    let by_id: std::collections::HashMap<&str, usize> = previous
        .centers
        .iter()
        .enumerate()
        .filter(|(c, _)| network.region[*c].is_some())
        .map(|(c, center)| (center.id.as_str(), c))
        .collect();
    plan.catchments
        .iter()
        .map(|c| {
            let center = by_id.get(c.id.as_str()).map(|&i| &previous.centers[i]);
            let (change, building) = match center {
                Some(e) if e.status == CenterStatus::Open => (Change::Kept, Some(e.position)),
                Some(_) => (Change::ReTender, None),
                None => (Change::New, None),
            };
            CatchmentChange {
                change,
                building,
                moved_in: 0,
                moved_out: 0,
                new_households: 0,
            }
        })
        .collect()
}

/// Households of the previous assignment that are not in the file, in id order, with
/// their previous center.
pub(super) fn gone<'p>(hh: &Households, previous: &'p Previous) -> Vec<(&'p String, u32)> {
    let present: HashSet<&str, hashbrown::DefaultHashBuilder> =
        hh.items.iter().map(|h| h.id.as_str()).collect();
    let mut gone: Vec<(&String, u32)> = previous
        .assignment
        .iter()
        .filter(|(id, _)| !present.contains(id.as_str()))
        .map(|(id, &c)| (id, c))
        .collect();
    gone.sort_unstable();
    gone
}

/// The households that left (`gone`, see [`gone`]): listed with no `to`, counted in their
/// previous center's region.
fn left(
    gone: Vec<(&String, u32)>,
    previous: &Previous,
    network: &Network,
    regions: &mut [Churn],
    moves: &mut Vec<Move>,
) {
    for (id, c) in gone {
        let center = &previous.centers[c as usize];
        let r = network.region[c as usize].map_or(0, |r| r as usize);
        if let Some(churn) = regions.get_mut(r) {
            churn.left += 1;
        }
        moves.push(Move {
            household: id.clone(),
            from: Some(center.id.clone()),
            to: None,
            reason: MoveReason::Left,
            weight: 1,
        });
    }
}

/// The regions with more kept catchments than their households need, each with its merge
/// candidates (marked in `catchments`): pairs of neighbouring catchments, smallest together
/// first, no catchment in two pairs.
fn oversupply(
    plan: &Plan,
    network: &Network,
    needed: &[usize],
    catchments: &mut [CatchmentChange],
) -> Vec<Oversupply> {
    let mut out = Vec::new();
    for (r, info) in plan.regions.iter().enumerate() {
        let kept = network.kept[r].len();
        if kept <= needed[r] {
            continue;
        }
        let members: Vec<usize> = (0..plan.catchments.len())
            .filter(|&c| plan.catchments[c].region as usize == r)
            .collect();
        let mut pairs: Vec<(u64, usize, usize)> = Vec::new();
        for &a in &members {
            let ca = &plan.catchments[a];
            let at = |c: usize| {
                let p = plan.catchments[c].center;
                [p.lon * p.lat.to_radians().cos(), p.lat]
            };
            let nearest = members
                .iter()
                .copied()
                .filter(|&b| b != a)
                .min_by(|&x, &y| {
                    dist2(at(a), at(x))
                        .total_cmp(&dist2(at(a), at(y)))
                        .then(x.cmp(&y))
                });
            if let Some(b) = nearest {
                let (lo, hi) = (a.min(b), a.max(b));
                pairs.push((ca.households + plan.catchments[b].households, lo, hi));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut used = HashSet::new();
        let mut chosen = Vec::new();
        for (_, a, b) in pairs {
            if chosen.len() == kept - needed[r] {
                break;
            }
            if used.contains(&a) || used.contains(&b) {
                continue;
            }
            used.insert(a);
            used.insert(b);
            catchments[a].change = Change::MergedCandidate;
            catchments[b].change = Change::MergedCandidate;
            chosen.push((plan.catchments[a].id.clone(), plan.catchments[b].id.clone()));
        }
        out.push(Oversupply {
            region: info.name.clone(),
            centers: kept,
            households: info.households,
            needed: needed[r],
            merge_candidates: chosen,
        });
    }
    out
}
