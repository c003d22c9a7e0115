//! Re-planning around the centers that exist (SPEC §8): the previous network mapped onto the
//! households' regions (`mapped`), each region's catchments kept (open and vacant centers), added
//! (when its households need more) or removed (closed centers), and its households
//! assigned with a price on every move (`balance::sticky`); then the same polygons, borders
//! and figures as a plan from scratch, and what changed (`churn`).

use crate::lang::Args;
use std::collections::{BTreeMap, HashMap};

use crate::balance::{Balanced, FREE, Sticky, step_off, sticky_balance};
use crate::config::{Objective, PlanConfig};
use crate::error::{Error, Result};
use crate::geometry::dist2;
use crate::model::Households;
use crate::network::{CenterStatus, Previous, Sizing};
use crate::plan::bounds::{RegionBounds, replan_checks};
use crate::plan::churn::{changes, gone};
use crate::plan::drawable::{Drawn, drawable, off_cells, outsiders};
use crate::plan::mapped::Network;
use crate::plan::region::{Kept, Projected, RegionWork};
use crate::plan::region::{MARGIN_M, fresh_catchments};
use crate::plan::{Plan, Planner, Progress, Warning, finish, in_parallel, region_members};
use crate::projection::{AzimuthalEquidistant, Projection};
use crate::spatial::PowerIndex;

/// Generator updates at most, per region, in a re-plan (they stop when nothing moves).
const MAX_ITERATIONS: usize = 30;

impl Planner {
    /// Re-plans `households` around the network they were planned into before (SPEC §8):
    /// open centers keep their id, their building and a catchment that contains it; vacant
    /// ones keep their catchment; closed ones lose it; a region whose households need more
    /// catchments than it has gets new ones, and one that needs fewer keeps all (reported
    /// in [`Replan::oversupply`](crate::Replan) with merge candidates). A household that
    /// stayed moves only when the bounds or a new catchment need it, or when its squared
    /// distance (its distance, with [`Objective::Distance`](crate::Objective)) shrinks by
    /// more than the price of a move ([`PlanConfig::stickiness`]).
    ///
    /// ```
    /// use siting::{PlanConfig, Planner, Previous};
    /// let households = siting::synth::households(4_000, 3);
    /// let planner = Planner::new(PlanConfig::default())?;
    /// let first = planner.plan(&households)?;
    /// let previous = Previous::from_plan(&first, &households, None);
    /// let again = planner.replan(&households, &previous)?;
    /// assert_eq!(again.assignment, first.assignment); // nobody moves
    /// let churn = &again.replan.as_ref().expect("a re-plan").total;
    /// assert_eq!((churn.moved, churn.stayed), (0, 4_000));
    /// # Ok::<(), siting::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NoHouseholds`]; [`Error::PreviousParameters`] when `previous` was planned
    /// with other region columns; [`Error::CenterOutsideRegions`] for a center whose region
    /// has no households; the errors of [`Planner::region_bounds`] for the catchment counts
    /// kept.
    pub fn replan(&self, households: &Households, previous: &Previous) -> Result<Plan> {
        self.replan_with_progress(households, previous, &|_| {})
    }

    /// [`Planner::replan`], calling `progress` as regions are balanced (see
    /// [`Planner::plan_with_progress`]).
    ///
    /// # Errors
    /// As [`Planner::replan`].
    pub fn replan_with_progress(
        &self,
        households: &Households,
        previous: &Previous,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Plan> {
        if households.is_empty() {
            return Err(Error::NoHouseholds);
        }
        same_regions(households, previous)?;
        let mut network = Network::new(households, previous)?;
        let existing: Vec<usize> = network.kept.iter().map(Vec::len).collect();
        let checks = replan_checks(&self.config, households, &existing)?;
        network.number_new(previous, &checks);
        let members = region_members(households);
        let prices = std::sync::Mutex::new(vec![0.0; members.len()]);
        let work = in_parallel(households, &members, progress, |r| {
            let (work, price) = replan_region(
                &self.config,
                households,
                previous,
                &network,
                r,
                &members[r],
                checks[r].0,
            );
            if let Ok(mut p) = prices.lock() {
                p[r] = price;
            }
            work
        });
        // The households that left (a national file's million ids hashed) are found beside
        // the plan's finish, whose border split leaves a thread idle at times.
        let (mut plan, gone) = rayon::join(
            || finish(&self.config, households, &members, work),
            || gone(households, previous),
        );
        let prices = prices
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let needed: Vec<usize> = checks.iter().map(|c| c.1).collect();
        let replan = changes(households, previous, &network, &plan, &needed, prices, gone);
        plan.warnings
            .extend(sized_otherwise(&self.config, previous));
        plan.warnings.extend(buildings_outside(&plan, &replan));
        plan.replan = Some(replan);
        Ok(plan)
    }
}

/// A warning for each sizing parameter that differs from the previous plan's: the re-plan
/// counts and bounds its catchments by the new value, which can add (or leave over) many
/// catchments and move many households; a planner should know that is why.
fn sized_otherwise(config: &PlanConfig, previous: &Previous) -> Vec<Warning> {
    let Some(was) = previous.sizing else {
        return Vec::new();
    };
    let now = Sizing::of(config);
    let count = |k: Option<usize>| k.map_or_else(|| "-".to_string(), |k| k.to_string());
    [
        (
            "--target",
            was.target_size != now.target_size,
            was.target_size.to_string(),
            now.target_size.to_string(),
        ),
        (
            "--tolerance",
            (was.size_tolerance - now.size_tolerance).abs() > 1e-12,
            was.size_tolerance.to_string(),
            now.size_tolerance.to_string(),
        ),
        (
            "--catchments",
            was.catchments != now.catchments,
            count(was.catchments),
            count(now.catchments),
        ),
    ]
    .into_iter()
    .filter(|(_, differs, _, _)| *differs)
    .map(|(flag, _, previous_value, value)| Warning {
        region: String::new(),
        line: None,
        message: config.lang.format(
            "warning-sized-otherwise",
            &Args::new()
                .text("path", previous.source.clone())
                .text("parameter", flag)
                .text("previous", config.lang.digits(&previous_value))
                .text("given", config.lang.digits(&value)),
        ),
    })
    .collect()
}

/// A warning for every open center whose building lies outside its catchment's polygon.
fn buildings_outside(plan: &Plan, replan: &crate::plan::Replan) -> Vec<Warning> {
    plan.catchments
        .iter()
        .zip(&replan.catchments)
        .filter_map(|(c, change)| {
            let at = change.building?;
            (!c.shape.contains(at)).then(|| Warning {
                region: plan.regions[c.region as usize].name.clone(),
                line: None,
                message: plan.config.lang.format(
                    "warning-building-outside",
                    &Args::new()
                        .text("center", c.id.clone())
                        .text("lon", format!("{:.6}", at.lon))
                        .text("lat", format!("{:.6}", at.lat)),
                ),
            })
        })
        .collect()
}

/// A re-plan uses the region columns its previous plan used (when it says).
fn same_regions(households: &Households, previous: &Previous) -> Result<()> {
    match &previous.region_columns {
        Some(cols) if *cols != households.region_columns => Err(Error::PreviousParameters {
            path: previous.source.clone().into(),
            parameter: "--by",
            previous: cols.join(","),
            given: households.region_columns.join(","),
        }),
        _ => Ok(()),
    }
}

/// One region re-planned: its kept catchments with their previous households, new ones,
/// the sticky assignment, and what its polygons must cover; with the price of a move used.
fn replan_region(
    config: &PlanConfig,
    hh: &Households,
    previous: &Previous,
    network: &Network,
    r: usize,
    idx: &[usize],
    b: RegionBounds,
) -> (RegionWork, f64) {
    let projected = Projected::new(hh, idx);
    let points = projected.points();
    let weights = projected.weights(hh);
    let kept = &network.kept[r];
    let prev = previous_labels(&projected, network, kept);
    let proj = projected.proj;
    let existing: Vec<[f64; 2]> = kept
        .iter()
        .map(|&c| proj.forward(previous.centers[c as usize].position))
        .collect();
    let spread = mean_spread(&points, &weights, &prev, kept.len(), config.objective);
    let price = config.stickiness * spread;
    let before: Vec<bool> = projected
        .order
        .iter()
        .map(|&(i, _)| network.previous[i] != FREE)
        .collect();
    let homes = homes(&points, &prev, &before);
    let (buildings, building_at) = open_buildings(previous, kept, &proj);
    let problem = Sticky {
        points: &points,
        weights: &weights,
        previous: &prev,
        objective: config.objective,
        lambda: price,
        homes: &homes,
        buildings: &buildings,
        lo: b.lo,
        hi: b.hi,
        max_iterations: config.max_iterations.min(MAX_ITERATIONS),
    };
    // A region whose every catchment closed has nothing to keep: it is planned afresh.
    let mut result = if kept.is_empty() {
        fresh_catchments(config, r as u32, b, &points, &weights)
    } else {
        sticky_balance(&problem, &existing, b.k - kept.len())
    };
    let stored: Vec<Option<[f64; 2]>> = kept
        .iter()
        .map(|&c| {
            previous.centers[c as usize]
                .generator
                .map(|g| proj.forward(g))
        })
        .collect();
    if !kept.is_empty() {
        result = buildings_handed_back(&problem, result, kept.len());
    }
    if config.objective == Objective::Distance {
        result.power.fill(0.0); // additive weights, no power weights: the drawing fits its own
    }
    let mut extra = match drawable(&points, &weights, &prev, &stored, &mut result, b) {
        Drawn::Cells => outsiders(&points, &result),
        Drawn::NearBorders => off_cells(&points, &result, MARGIN_M),
    };
    let pins = pins(&buildings, &building_at, &result, &mut extra);
    let ids = kept
        .iter()
        .map(|&c| previous.centers[c as usize].id.clone())
        .chain(network.new_ids[r].iter().cloned())
        .collect();
    let kept = Kept {
        extra,
        ids,
        pins,
        ..Kept::default()
    };
    let work = RegionWork::new(config, r as u32, b, projected, weights, result, kept);
    (work, price)
}

/// The open centers' buildings among the `kept` catchments: (local catchment, planar
/// position), and where they are.
fn open_buildings(
    previous: &Previous,
    kept: &[u32],
    proj: &AzimuthalEquidistant,
) -> (Vec<(u32, [f64; 2])>, Vec<crate::model::LonLat>) {
    kept.iter()
        .enumerate()
        .map(|(j, &c)| (j as u32, &previous.centers[c as usize]))
        .filter(|(_, center)| center.status == CenterStatus::Open)
        .map(|(j, center)| ((j, proj.forward(center.position)), center.position))
        .unzip()
}

/// `result` with each open center's building among its own catchment's households.
///
/// A building lies among the households nearest it, whose catchment surrounds it once
/// borders are split by nearest household (SPEC §8: the center's catchment contains its
/// building). Where it lies outside its catchment's cell and those are a new catchment's,
/// that one took the building's surroundings ([`held_by_new`]); two ways to hand them
/// back: the new catchment steps off the building (`step_off`: rounds again, that
/// catchment kept off it), or the two swap ids ([`swapped`]: the households around the
/// building keep its center, the rest of its old catchment becomes the new one). Kept:
/// the one that leaves fewer buildings taken, then moves fewer households, within the
/// bounds; all judged before drawing (which costs more than the rounds in a large
/// region), by their own diagrams. `kept` is the number of kept catchments.
fn buildings_handed_back(problem: &Sticky<'_>, result: Balanced, kept: usize) -> Balanced {
    let (buildings, points) = (problem.buildings, problem.points);
    if buildings.is_empty() || result.centers.len() == kept {
        // No building, or no new catchment to take one.
        return result;
    }
    let nearest = nearest_households(points, buildings);
    let taken = held_by_new(buildings, &nearest, &result, kept);
    if taken.is_empty() {
        return result;
    }
    let moved = |labels: &[u32]| moved(problem.weights, problem.previous, labels);
    let mut best = (taken.len(), moved(&result.labels));
    let mut chosen = None;
    for other in [
        step_off(problem, &result, kept, taken.clone()),
        swapped(&result, &taken),
    ] {
        let left = held_by_new(buildings, &nearest, &other, kept);
        let score = (left.len(), moved(&other.labels));
        if score < best && (other.balanced || !result.balanced) {
            best = score;
            chosen = Some(other);
        }
    }
    chosen.unwrap_or(result)
}

/// Households that stayed (a previous catchment in `prev`) and are elsewhere in `labels`.
fn moved(weights: &[u32], prev: &[u32], labels: &[u32]) -> u64 {
    (0..weights.len())
        .filter(|&i| prev[i] != FREE && prev[i] != labels[i])
        .map(|i| u64::from(weights[i]))
        .sum()
}

/// `result` with each new catchment of `taken` (new catchment, kept catchment, building)
/// and the kept catchment whose building it holds swapping ids: households, generator
/// and price (each catchment swapped once at most).
fn swapped(result: &Balanced, taken: &[(usize, usize, [f64; 2])]) -> Balanced {
    let mut out = result.clone();
    let mut done: Vec<usize> = Vec::new();
    for &(m, j, _) in taken {
        if done.contains(&m) || done.contains(&j) {
            continue;
        }
        done.extend([m, j]);
        let (m32, j32) = (m as u32, j as u32);
        for l in &mut out.labels {
            if *l == m32 {
                *l = j32;
            } else if *l == j32 {
                *l = m32;
            }
        }
        out.centers.swap(m, j);
        out.power.swap(m, j);
        out.sizes.swap(m, j);
    }
    out
}

/// Each new household's home (see [`Sticky::homes`]): the previous catchment of the
/// nearest household that was planned before, [`FREE`] when that one's center closed (its
/// area is being re-planned); [`FREE`] for the households planned before, and for all when
/// there were none.
fn homes(points: &[[f64; 2]], prev: &[u32], before: &[bool]) -> Vec<u32> {
    let old: Vec<usize> = (0..points.len()).filter(|&i| before[i]).collect();
    if old.is_empty() {
        return vec![FREE; points.len()];
    }
    let at: Vec<[f64; 2]> = old.iter().map(|&i| points[i]).collect();
    let index = PowerIndex::new(&at, &vec![0.0; at.len()]);
    let mut buf = Vec::new();
    points
        .iter()
        .zip(before)
        .map(|(&p, &b)| {
            if b {
                FREE
            } else {
                prev[old[index.nearest_one(p, &mut buf) as usize]]
            }
        })
        .collect()
}

/// Each household's previous catchment among the region's `kept` ones (its position
/// there), or [`FREE`] for a new household or one whose center closed; in canonical order.
fn previous_labels(projected: &Projected, network: &Network, kept: &[u32]) -> Vec<u32> {
    let local: HashMap<u32, u32> = kept
        .iter()
        .enumerate()
        .map(|(j, &c)| (c, j as u32))
        .collect();
    projected
        .order
        .iter()
        .map(|&(i, _)| local.get(&network.previous[i]).copied().unwrap_or(FREE))
        .collect()
}

/// The open centers' buildings that their catchments' polygons must hold, kept there when
/// borders are split by nearest household. One outside its own catchment's cell (on a
/// border, its households moved, or an awarded site attached from outside its catchment)
/// is also added to the points its catchment's polygon must cover (`extra`), like a
/// household its stickiness kept across a border: the polygon grows over it, and the
/// split by nearest household gives it the building's surroundings nearer to it than to
/// any other catchment's household.
fn pins(
    buildings: &[(u32, [f64; 2])],
    building_at: &[crate::model::LonLat],
    result: &Balanced,
    extra: &mut [Vec<[f64; 2]>],
) -> Vec<(u32, crate::model::LonLat)> {
    let index = PowerIndex::new(&result.centers, &result.power);
    let mut buf = Vec::new();
    buildings
        .iter()
        .zip(building_at)
        .map(|(&(j, at), &lonlat)| {
            if index.nearest_one(at, &mut buf) != j {
                extra[j as usize].push(at);
            }
            (j, lonlat)
        })
        .collect()
}

/// Households around a building that say whose area it is in: its nearest ones.
const AROUND_BUILDING: usize = 10;

/// Each building's nearest households, the nearest first (indices into `points`; empty
/// when there are none).
fn nearest_households(points: &[[f64; 2]], buildings: &[(u32, [f64; 2])]) -> Vec<Vec<usize>> {
    if buildings.is_empty() || points.is_empty() {
        return vec![Vec::new(); buildings.len()];
    }
    let index = PowerIndex::new(points, &vec![0.0; points.len()]);
    let mut buf = Vec::new();
    buildings
        .iter()
        .map(|&(_, at)| {
            let first = index.nearest_one(at, &mut buf) as usize;
            index.nearest(at, AROUND_BUILDING, &mut buf);
            let mut around = vec![first];
            around.extend(buf.iter().map(|&i| i as usize).filter(|&i| i != first));
            around
        })
        .collect()
}

/// The buildings outside their own catchment's cell of `result`'s power diagram with at
/// least four in five of their nearest households in one new catchment (from `kept` on),
/// which took their surroundings: (that catchment, the building's, the building). One on
/// a border, its own catchment's households on one side, is left to the drawing (which
/// keeps it in its catchment, see [`pins`]): moving a new catchment off it cost a
/// twentieth of a county's households in a national re-plan by county.
fn held_by_new(
    buildings: &[(u32, [f64; 2])],
    nearest: &[Vec<usize>],
    result: &Balanced,
    kept: usize,
) -> Vec<(usize, usize, [f64; 2])> {
    let index = PowerIndex::new(&result.centers, &result.power);
    let mut buf = Vec::new();
    buildings
        .iter()
        .zip(nearest)
        .filter_map(|(&(j, at), around)| {
            let mut count: BTreeMap<u32, usize> = BTreeMap::new();
            for &h in around {
                *count.entry(result.labels[h]).or_default() += 1;
            }
            let (&m, &most) = count
                .iter()
                .max_by_key(|&(&l, &c)| (c, std::cmp::Reverse(l)))?;
            let m = m as usize;
            let taken = m >= kept
                && m != j as usize
                && 5 * most >= 4 * around.len()
                && index.nearest_one(at, &mut buf) != j;
            taken.then_some((m, j as usize, at))
        })
        .collect()
}

/// The mean squared distance (m²), or for the travel objective the mean distance (m), of
/// the households that stayed to their previous catchment's centroid (0 when none stayed):
/// the scale of the price of a move.
fn mean_spread(
    points: &[[f64; 2]],
    weights: &[u32],
    prev: &[u32],
    k: usize,
    objective: Objective,
) -> f64 {
    let mut sum = vec![[0.0f64; 3]; k];
    for ((p, &w), &l) in points.iter().zip(weights).zip(prev) {
        if let Some(s) = sum.get_mut(l as usize) {
            let w = f64::from(w);
            s[0] += w * p[0];
            s[1] += w * p[1];
            s[2] += w;
        }
    }
    let (mut total, mut weight) = (0.0, 0.0);
    for ((p, &w), &l) in points.iter().zip(weights).zip(prev) {
        if let Some(s) = sum.get(l as usize) {
            let c = [s[0] / s[2], s[1] / s[2]];
            let d2 = dist2(*p, c);
            total += f64::from(w)
                * match objective {
                    Objective::Squared => d2,
                    Objective::Distance => d2.sqrt(),
                };
            weight += f64::from(w);
        }
    }
    if weight > 0.0 { total / weight } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_household_is_at_home_where_it_appeared_unless_that_center_closed() {
        // Two households planned before: one in kept catchment 0 at the origin, one whose
        // center closed 1 km east. Three new ones beside them and in between.
        let points = [
            [0.0, 0.0],
            [1_000.0, 0.0],
            [10.0, 5.0],
            [990.0, -5.0],
            [400.0, 0.0],
        ];
        let prev = [0, FREE, FREE, FREE, FREE];
        let before = [true, true, false, false, false];
        assert_eq!(
            homes(&points, &prev, &before),
            [FREE, FREE, 0, FREE, 0],
            "households planned before have no home; new ones take their nearest's \
             catchment, none where that one's center closed"
        );
        // With nobody planned before, nobody has a home.
        assert_eq!(homes(&points, &prev, &[false; 5]), [FREE; 5]);
    }
}
