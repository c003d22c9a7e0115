//! Plan orchestration: regions → projection → balancing → centers → polygons → borders
//! between regions → [`Plan`]. Each step lives in its own module: the bounds of each region
//! (`bounds`), one region's catchments (`region`), the plan put together (`assemble`) and
//! the outlier warnings (`outliers`); the algorithms themselves in [`crate::balance`],
//! [`crate::center`] and the polygons modules.

mod assemble;
mod bounds;
mod changes;
mod churn;
mod drawable;
mod mapped;
mod outliers;
mod region;
mod replan;
mod types;

use crate::config::PlanConfig;
use crate::error::{Error, Result};
use crate::model::Households;
use crate::schedule::largest_first;

pub use bounds::RegionBounds;
pub use changes::{CatchmentChange, Change, Churn, Move, MoveReason, Oversupply, Replan};
pub use types::{Catchment, Metrics, Plan, Progress, RegionPlan, Warning};

use assemble::assemble;
use outliers::outliers;
use region::{RegionResult, RegionWork, finish_region, foreign_hulls, partition_region};

/// The input rows of each region, in input order.
fn region_members(households: &Households) -> Vec<Vec<usize>> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); households.regions.len()];
    for (i, h) in households.items.iter().enumerate() {
        members[h.region as usize].push(i);
    }
    members
}

/// Makes plans with a validated configuration.
///
/// ```
/// use siting::{Households, PlanConfig, Planner};
/// let points: Vec<(String, f64, f64)> = (0..900)
///     .map(|i| (format!("h{i}"), 50.0 + (i % 30) as f64 * 0.001, 36.0 + (i / 30) as f64 * 0.001))
///     .collect();
/// let hh = Households::from_points(points.iter().map(|(id, lon, lat)| (id.as_str(), *lon, *lat, 1)));
/// let plan = Planner::new(PlanConfig::default().target_size(300))?.plan(&hh)?;
/// assert_eq!(plan.catchments.len(), 3);
/// assert!(plan.metrics.balanced);
/// # Ok::<(), siting::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Planner {
    config: PlanConfig,
}

/// Plans with the default configuration (see [`PlanConfig`]).
///
/// # Errors
/// As [`Planner::plan`].
pub fn plan(households: &Households) -> Result<Plan> {
    Planner::new(PlanConfig::default())?.plan(households)
}

impl Planner {
    /// A planner for `config`.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] when a parameter is out of range.
    pub fn new(config: PlanConfig) -> Result<Self> {
        config.validate()?;
        Ok(Planner { config })
    }

    /// The configuration in use.
    pub fn config(&self) -> &PlanConfig {
        &self.config
    }

    /// Catchment counts and bounds per region, checked for feasibility up front.
    ///
    /// # Errors
    /// [`Error::Infeasible`], [`Error::HeavyLocation`] or [`Error::TooFewLocations`] for the
    /// first region that cannot be split within its bounds, [`Error::TooFewCatchments`] when
    /// a fixed total of catchments is fewer than the regions.
    pub fn region_bounds(&self, households: &Households) -> Result<Vec<RegionBounds>> {
        self.region_checks(households)?.into_iter().collect()
    }

    /// Warnings about the input that do not stop a plan (households far from the rest of
    /// their region), as [`Plan::warnings`] will hold them.
    pub fn input_warnings(&self, households: &Households) -> Vec<Warning> {
        outliers(households, &region_members(households), self.config.lang)
    }

    /// [`Planner::region_bounds`] for every region separately: each region's bounds, or why
    /// it cannot be planned (for a check that reports every region).
    ///
    /// # Errors
    /// [`Error::TooFewCatchments`] when a fixed total of catchments is fewer than the
    /// regions.
    pub fn region_checks(&self, households: &Households) -> Result<Vec<Result<RegionBounds>>> {
        bounds::region_checks(&self.config, households)
    }

    /// Plans catchments for every region of `households`.
    ///
    /// # Errors
    /// [`Error::NoHouseholds`] when there is nothing to plan, and the errors of
    /// [`Planner::region_bounds`].
    pub fn plan(&self, households: &Households) -> Result<Plan> {
        self.plan_with_progress(households, &|_| {})
    }

    /// [`Planner::plan`], calling `progress` each time a region's catchments are balanced
    /// (from worker threads, in completion order; the plan itself does not depend on it).
    ///
    /// ```
    /// use siting::{PlanConfig, Planner};
    /// let households = siting::synth::households(2_000, 1);
    /// let done = std::sync::atomic::AtomicU64::new(0);
    /// let plan = Planner::new(PlanConfig::default())?
    ///     .plan_with_progress(&households, &|p| done.store(p.households_done, std::sync::atomic::Ordering::Relaxed))?;
    /// assert_eq!(done.into_inner(), 2_000);
    /// # Ok::<(), siting::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Planner::plan`].
    pub fn plan_with_progress(
        &self,
        households: &Households,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Plan> {
        if households.is_empty() {
            return Err(Error::NoHouseholds);
        }
        let bounds = self.region_bounds(households)?;
        let members = region_members(households);
        let work = in_parallel(households, &members, progress, |r| {
            partition_region(&self.config, households, r as u32, &members[r], bounds[r])
        });
        Ok(finish(&self.config, households, &members, work))
    }
}

/// Runs `partition(r)` for every region on the worker pool, largest regions first (longest
/// processing time first, so that the largest region does not start last), reporting
/// progress as regions finish; the results come back in region order, so the plan does
/// not depend on the schedule.
fn in_parallel(
    households: &Households,
    members: &[Vec<usize>],
    progress: &(dyn Fn(Progress) + Sync),
    partition: impl Fn(usize) -> RegionWork + Sync,
) -> Vec<RegionWork> {
    let total: u64 = households.items.iter().map(|h| u64::from(h.weight)).sum();
    let done = std::sync::Mutex::new((0u64, 0usize));
    let regions: Vec<usize> = (0..members.len()).collect();
    largest_first(
        regions,
        |&r| members[r].len(),
        |r| {
            let w = partition(r);
            let planned: u64 = w.weights.iter().map(|&x| u64::from(x)).sum();
            let mut d = done
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            d.0 += planned;
            d.1 += 1;
            progress(Progress {
                households_done: d.0,
                households_total: total,
                regions_done: d.1,
                regions_total: members.len(),
            });
            w
        },
    )
}

/// The regions' balanced catchments made into a plan: cut where regions meet, numbered,
/// borders split, figures and warnings.
fn finish(
    config: &PlanConfig,
    households: &Households,
    members: &[Vec<usize>],
    work: Vec<RegionWork>,
) -> Plan {
    let foreign = foreign_hulls(&work);
    // Largest regions first, as for the partition: in region order the largest region
    // could start last and leave the other thread idle.
    let regions: Vec<RegionResult> = largest_first(
        work.into_iter().zip(foreign).collect(),
        |(w, _)| w.weights.len(),
        |(w, f)| finish_region(households, w, &f),
    );
    // The outlier scan needs only the households: it runs beside the assembly, whose
    // border splitting leaves a thread idle while one large cluster is split.
    let (mut plan, warnings) = rayon::join(
        || assemble(config.clone(), households, regions),
        || outliers(households, members, config.lang),
    );
    plan.warnings = warnings;
    plan
}
