//! Re-planning around the centers that exist (SPEC §8): the previous network mapped onto the
//! households' regions (`mapped`), each region's catchments kept (open and vacant centers), added
//! (when its households need more) or removed (closed centers), and its households
//! assigned with a price on every move (`balance::sticky`); then the same polygons, borders
//! and figures as a plan from scratch, and what changed (`churn`).

use crate::lang::Args;
use std::collections::HashMap;

use crate::balance::{Balanced, FREE, Sticky, sticky_balance};
use crate::config::PlanConfig;
use crate::error::{Error, Result};
use crate::geometry::dist2;
use crate::model::Households;
use crate::network::{CenterStatus, Previous};
use crate::plan::bounds::{RegionBounds, replan_checks};
use crate::plan::churn::{changes, gone};
use crate::plan::drawable::{Drawn, drawable, off_cells, outsiders};
use crate::plan::mapped::Network;
use crate::plan::region::MARGIN_M;
use crate::plan::region::{Kept, Projected, RegionWork};
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
    /// distance shrinks by more than the price of a move ([`PlanConfig::stickiness`]).
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
        plan.warnings.extend(buildings_outside(&plan, &replan));
        plan.replan = Some(replan);
        Ok(plan)
    }
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
    let price = config.stickiness * mean_square_spread(&points, &weights, &prev, kept.len());
    let before: Vec<bool> = projected
        .order
        .iter()
        .map(|&(i, _)| network.previous[i] != FREE)
        .collect();
    let homes = homes(&points, &prev, &before);
    let problem = Sticky {
        points: &points,
        weights: &weights,
        previous: &prev,
        lambda: price,
        homes: &homes,
        lo: b.lo,
        hi: b.hi,
        max_iterations: config.max_iterations.min(MAX_ITERATIONS),
    };
    // A region whose every catchment closed has nothing to keep: it is planned afresh.
    let mut result = if kept.is_empty() {
        crate::balance::balance(
            &points,
            &weights,
            &super::region::balance_params(config, r as u32, &b),
        )
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
    let extra = match drawable(&points, &weights, &prev, &stored, &mut result, b) {
        Drawn::Cells => outsiders(&points, &result),
        Drawn::NearBorders => off_cells(&points, &result, MARGIN_M),
    };
    let pins = pins(previous, kept, &proj, &result);
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

/// The open centers' buildings that their catchments' polygons must hold: each one that
/// lies in its own catchment's power cell, kept there when borders are split by nearest
/// household. One in another catchment's cell (an awarded site attached from outside, or
/// households that moved) is reported, not forced in, which would make polygons overlap.
fn pins(
    previous: &Previous,
    kept: &[u32],
    proj: &AzimuthalEquidistant,
    result: &Balanced,
) -> Vec<(u32, crate::model::LonLat)> {
    let index = PowerIndex::new(&result.centers, &result.power);
    kept.iter()
        .enumerate()
        .map(|(j, &c)| (j as u32, &previous.centers[c as usize]))
        .filter(|(_, center)| center.status == CenterStatus::Open)
        .filter(|(j, center)| {
            index.nearest_one(proj.forward(center.position), &mut Vec::new()) == *j
        })
        .map(|(j, center)| (j, center.position))
        .collect()
}

/// The mean squared distance of the households that stayed to their previous catchment's
/// centroid, m² (0 when none stayed): the scale of the price of a move.
fn mean_square_spread(points: &[[f64; 2]], weights: &[u32], prev: &[u32], k: usize) -> f64 {
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
            total += f64::from(w) * dist2(*p, c);
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
