//! Plan orchestration: regions → projection → balancing → centers → polygons → borders
//! between regions → [`Plan`].
//! No geometry or optimisation lives here; see [`crate::balance`], the private `cells` and
//! `borders` modules and [`crate::center`].

use rayon::prelude::*;

use crate::balance::{BalanceParams, balance};
use crate::center::{DistanceStats, distance_stats, geometric_median};
use crate::config::{AwardRule, PlanConfig};
use crate::error::{Error, Result};
use crate::geometry::round7;
use crate::model::{Applicants, Households, LonLat, Shape};
use crate::polygons::cells::{HalfPlane, envelope, hull, power_cells, separating_cut};
use crate::projection::{AzimuthalEquidistant, Projection};
use crate::sites::award::{Award, AwardTotals, award, priority_positions};
use crate::sites::score::{ScoredProposal, score_proposals};
use crate::text::thousands;

/// One catchment of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Catchment {
    /// Stable id, `C-0001` upwards, numbered region by region from north-west to south-east.
    pub id: String,
    /// Index into [`Plan::regions`].
    pub region: u32,
    /// Households in the catchment (sum of weights).
    pub households: u64,
    /// Input rows (locations) in the catchment.
    pub locations: u32,
    /// Ideal center: the geometric median of the households.
    pub center: LonLat,
    /// Household distances to the ideal center.
    pub distance: DistanceStats,
    /// Sum of squared household distances to the catchment centroid, in m².
    pub sse_m2: f64,
    /// Area of the polygon in km² (geodesic).
    pub area_km2: f64,
    /// The catchment's area, lon/lat rounded to 7 decimals: one convex polygon (its
    /// power-diagram cell) unless households of another region interleave with its own,
    /// when the overlap is split between the two by nearest household (several parts or
    /// holes possible; see the crate docs).
    pub shape: Shape,
}

/// Per-region facts and diagnostics.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RegionPlan {
    /// Region name ("" for the whole file).
    pub name: String,
    /// Input rows in the region.
    pub rows: usize,
    /// Households (sum of weights).
    pub households: u64,
    /// Number of catchments.
    pub catchments: usize,
    /// Smallest allowed catchment size.
    pub min_size: u64,
    /// Largest allowed catchment size.
    pub max_size: u64,
    /// Smallest catchment size reached.
    pub smallest: u64,
    /// Largest catchment size reached.
    pub largest: u64,
    /// Balanced k-means iterations run.
    pub iterations: usize,
    /// True when the iterations reached a fixed point and the last size-constrained
    /// assignment met its optimality conditions.
    pub converged: bool,
    /// True when every catchment is within bounds.
    pub balanced: bool,
    /// Squared-distance objective, m².
    pub sse_m2: f64,
    /// Center of the region's azimuthal equidistant projection.
    pub projection_center: LonLat,
    /// Catchments of other regions whose households interleave with one of this region's
    /// catchments, so that no straight line separates them: their overlap is split by
    /// nearest household, which makes those catchments non-convex (see [`Shape`]).
    pub unseparated_pairs: usize,
    /// Pairs of this region's catchments and other regions' catchments whose polygons still
    /// overlap, because the split by nearest household failed on them (normally 0).
    pub overlapping_pairs: usize,
    /// Households left outside their own polygon: by the rounding of its vertices to 7
    /// decimals (within a centimetre; see the crate's `snap` module), or because a household
    /// of another region's catchment shares their exact location. Normally 0.
    pub households_outside: usize,
}

/// How far a plan has come (see [`Planner::plan_with_progress`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Households in regions balanced so far.
    pub households_done: u64,
    /// Households in all regions.
    pub households_total: u64,
    /// Regions balanced so far.
    pub regions_done: usize,
    /// Regions in all.
    pub regions_total: usize,
}

/// Whole-plan figures.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Metrics {
    /// Input rows planned.
    pub rows: usize,
    /// Households planned.
    pub households: u64,
    /// Catchments.
    pub catchments: usize,
    /// Sum of squared distances to catchment centroids, m².
    pub sse_m2: f64,
    /// Mean household distance to its ideal center, m.
    pub mean_distance_m: f64,
    /// 90th percentile of household distance to the ideal center, m.
    pub p90_distance_m: f64,
    /// Largest household distance to the ideal center, m.
    pub max_distance_m: f64,
    /// Smallest catchment, households.
    pub smallest_catchment: u64,
    /// Largest catchment, households.
    pub largest_catchment: u64,
    /// True when every region converged.
    pub converged: bool,
    /// True when every catchment is within its bounds.
    pub balanced: bool,
}

/// A finished plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The configuration used.
    pub config: PlanConfig,
    /// Names of the region columns (`--by`).
    pub region_columns: Vec<String>,
    /// Regions in name order.
    pub regions: Vec<RegionPlan>,
    /// Catchments, region by region.
    pub catchments: Vec<Catchment>,
    /// Catchment index of each household, in input order.
    pub assignment: Vec<u32>,
    /// Distance from each household to its catchment's ideal center, m, in input order.
    pub distance_m: Vec<f64>,
    /// Whole-plan figures.
    pub metrics: Metrics,
    /// Proposed sites and awards, when applicants were given ([`Planner::award_sites`]).
    pub sites: Option<SitePlan>,
    /// Things a planner should check that did not stop the plan (for example a household
    /// hundreds of kilometres from the rest of its region).
    pub warnings: Vec<Warning>,
}

/// Something in the input a planner should check; the plan was made anyway.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Warning {
    /// The region concerned ("" for the whole file).
    pub region: String,
    /// The input line concerned, if one.
    pub line: Option<u64>,
    /// What to check, in words.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.region.is_empty() {
            write!(f, "region '{}': ", self.region)?;
        }
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// A household is an outlier when it is farther than this from its region's median point,
/// [`OUTLIER_FACTOR`] times farther than the region's median distance, and has fewer than 5
/// other households within 25 km.
pub const OUTLIER_MIN_M: f64 = 250_000.0;
/// See [`OUTLIER_MIN_M`].
pub const OUTLIER_FACTOR: f64 = 20.0;
/// An outlier has fewer than [`ISOLATED_BELOW`] other households within this distance.
const ISOLATION_M: f64 = 25_000.0;
/// See [`ISOLATION_M`].
const ISOLATED_BELOW: u64 = 5;
/// Outliers listed one by one per region; the rest are counted.
const OUTLIERS_LISTED: usize = 20;

/// Households far from the rest of their region: a misplaced coordinate stretches the
/// region's catchments and its projection, so each is reported with its line.
fn outliers(households: &Households, members: &[Vec<usize>]) -> Vec<Warning> {
    members
        .par_iter()
        .enumerate()
        .flat_map_iter(|(r, idx)| region_outliers(households, r, idx))
        .collect()
}

/// The warnings of [`outliers`] for region `r`, whose households are `idx`.
fn region_outliers(households: &Households, r: usize, idx: &[usize]) -> Vec<Warning> {
    use crate::projection::haversine_m;
    let mut warnings = Vec::new();
    if idx.len() < 3 {
        return warnings;
    }
    let median = |mut v: Vec<f64>| {
        let mid = v.len() / 2;
        *v.select_nth_unstable_by(mid, f64::total_cmp).1
    };
    let at = |i: usize| households.items[i].position;
    let middle = LonLat::new(
        median(idx.iter().map(|&i| at(i).lon).collect()),
        median(idx.iter().map(|&i| at(i).lat).collect()),
    );
    let d: Vec<f64> = idx.iter().map(|&i| haversine_m(middle, at(i))).collect();
    let typical = median(d.clone());
    let limit = OUTLIER_MIN_M.max(OUTLIER_FACTOR * typical);
    // Only isolated households: a remote town (many households together) is real.
    let near: Vec<(usize, f64)> = idx
        .iter()
        .zip(&d)
        .filter(|&(_, &x)| x > limit - ISOLATION_M)
        .map(|(&i, &x)| (i, x))
        .collect();
    if near.len() > 5_000 {
        return warnings; // a dispersed region, not a few stray points
    }
    let far: Vec<(usize, f64)> = near
        .iter()
        .filter(|&&(i, x)| {
            x > limit && {
                let company: u64 = near
                    .iter()
                    .filter(|&&(j, _)| j != i && haversine_m(at(i), at(j)) <= ISOLATION_M)
                    .map(|&(j, _)| u64::from(households.items[j].weight))
                    .sum();
                company < ISOLATED_BELOW
            }
        })
        .copied()
        .collect();
    let region = households.regions[r].clone();
    for &(i, x) in far.iter().take(OUTLIERS_LISTED) {
        warnings.push(Warning {
            region: region.clone(),
            line: Some(households.items[i].line),
            message: format!(
                "this household is {:.0} km from the middle of its region, where half the \
                 households are within {:.1} km; check its coordinates (a typo or swapped \
                 digits?); siting plans it where it is",
                x / 1000.0,
                typical / 1000.0
            ),
        });
    }
    if far.len() > OUTLIERS_LISTED {
        warnings.push(Warning {
            region,
            line: None,
            message: format!(
                "{} more households are over {:.0} km from the middle of the region",
                far.len() - OUTLIERS_LISTED,
                limit / 1000.0
            ),
        });
    }
    warnings
}

/// Applicants' proposals located and scored, and the centers awarded (SPEC §4.3).
#[derive(Debug, Clone, PartialEq)]
pub struct SitePlan {
    /// The applicants as read (ids, scores, eligibility, capacities, proposals).
    pub applicants: Applicants,
    /// Each applicant's position in the priority order (0 = first).
    pub priority: Vec<u32>,
    /// Every proposal, located and scored, in applicant order then preference order.
    pub proposals: Vec<ScoredProposal>,
    /// The award under the configured rule ([`PlanConfig::award_rule`]).
    pub award: Award,
    /// Both rules' headline figures, priority first, so planners see the price of each.
    pub comparison: Vec<(AwardRule, AwardTotals)>,
    /// Catchments left without an award (indices into [`Plan::catchments`]): gaps for a
    /// second call for applications.
    pub gaps: Vec<u32>,
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

/// Catchment count and size bounds for one region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RegionBounds {
    /// Number of catchments.
    pub k: usize,
    /// Smallest allowed size.
    pub lo: u64,
    /// Largest allowed size.
    pub hi: u64,
}

fn region_label(name: &str) -> String {
    if name.is_empty() {
        "the file".to_string()
    } else {
        format!("region '{name}'")
    }
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
    /// [`Error::Infeasible`] in planner's words when a region cannot be split within its
    /// bounds (too few households, a point heavier than the upper bound, more catchments
    /// than household locations).
    pub fn region_bounds(&self, households: &Households) -> Result<Vec<RegionBounds>> {
        self.region_checks(households)?
            .into_iter()
            .map(|r| r.map_err(Error::Infeasible))
            .collect()
    }

    /// Warnings about the input that do not stop a plan (households far from the rest of
    /// their region), as [`Plan::warnings`] will hold them.
    pub fn input_warnings(&self, households: &Households) -> Vec<Warning> {
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); households.regions.len()];
        for (i, h) in households.items.iter().enumerate() {
            members[h.region as usize].push(i);
        }
        outliers(households, &members)
    }

    /// [`Planner::region_bounds`] for every region separately: each region's bounds, or why
    /// it cannot be planned (for `siting check`, which reports every region).
    ///
    /// # Errors
    /// [`Error::Infeasible`] when `--catchments` is fewer than the regions.
    pub fn region_checks(
        &self,
        households: &Households,
    ) -> Result<Vec<std::result::Result<RegionBounds, String>>> {
        let c = &self.config;
        let nreg = households.regions.len();
        let mut weight = vec![0u64; nreg];
        let mut rows = vec![0usize; nreg];
        let mut heaviest_row = vec![1u64; nreg];
        for h in &households.items {
            let r = h.region as usize;
            weight[r] += u64::from(h.weight);
            rows[r] += 1;
            heaviest_row[r] = heaviest_row[r].max(u64::from(h.weight));
        }
        // Rows at identical coordinates are one location: they cannot be told apart by a
        // polygon, so their total is what must fit in a catchment.
        let mut keyed: Vec<(u32, u64, u64, u32)> = households
            .items
            .par_iter()
            .map(|h| {
                (
                    h.region,
                    h.position.lon.to_bits(),
                    h.position.lat.to_bits(),
                    h.weight,
                )
            })
            .collect();
        keyed.par_sort_unstable();
        let mut heaviest = vec![0u64; nreg];
        let mut locations = vec![0usize; nreg];
        for run in keyed.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1 && a.2 == b.2) {
            let r = run[0].0 as usize;
            let w: u64 = run.iter().map(|x| u64::from(x.3)).sum();
            heaviest[r] = heaviest[r].max(w);
            locations[r] += 1;
        }
        drop(keyed);
        let ks: Vec<usize> = match c.catchments {
            Some(total) => share(total, &weight).ok_or_else(|| {
                Error::Infeasible(format!(
                    "--catchments {total} is fewer than the {nreg} regions; every region needs at least one"
                ))
            })?,
            None => weight
                .iter()
                .map(|&w| {
                    let ideal = ((w as f64 / f64::from(c.target_size)) + 0.5).floor().max(1.0) as usize;
                    match (c.min_size, c.max_size) {
                        (min, max) if min.is_some() || max.is_some() => {
                            let fewest = max.map_or(1, |m| w.div_ceil(u64::from(m)).max(1) as usize);
                            let most = min.map_or(usize::MAX, |m| (w / u64::from(m.max(1))).max(1) as usize);
                            ideal.clamp(fewest, most.max(fewest))
                        }
                        _ => ideal,
                    }
                })
                .collect(),
        };
        let mut out = Vec::with_capacity(nreg);
        for r in 0..nreg {
            let (w, k) = (weight[r], ks[r]);
            let mean = w as f64 / k as f64;
            let (mut lo, mut hi) = (
                ((1.0 - c.size_tolerance) * mean + 1e-9).floor() as u64,
                ((1.0 + c.size_tolerance) * mean - 1e-9).ceil() as u64,
            );
            // SPEC §4.1: with --tolerance 0, sizes differ by at most the largest row
            // weight (rows are never split), so the band is that wide around the mean.
            let wmax = heaviest_row[r];
            if c.size_tolerance == 0.0 && wmax > 1 {
                let up = (mean - 1e-9).ceil() as u64;
                lo = up.saturating_sub(wmax.div_ceil(2));
                hi = lo + wmax;
            }
            let lo = c.min_size.map_or(lo, u64::from);
            let hi = c.max_size.map_or(hi, u64::from);
            let name = region_label(&households.regions[r]);
            if (k as u64).saturating_mul(lo) > w || (k as u64).saturating_mul(hi) < w {
                out.push(Err(format!(
                    "{name}: {} households cannot form {k} catchments of {}–{} households; \
                     adjust --target, --tolerance or --min-size/--max-size",
                    thousands(w),
                    thousands(lo),
                    thousands(hi)
                )));
                continue;
            }
            if heaviest[r] > hi {
                out.push(Err(format!(
                    "{name}: one location holds {} households (rows with the same coordinates \
                     count together), more than the largest allowed catchment ({}); check the \
                     coordinates, or raise --max-size/--tolerance",
                    thousands(heaviest[r]),
                    thousands(hi)
                )));
                continue;
            }
            if k > locations[r] {
                out.push(Err(format!(
                    "{name}: {k} catchments requested but only {} distinct household locations",
                    locations[r]
                )));
                continue;
            }
            out.push(Ok(RegionBounds { k, lo, hi }));
        }
        Ok(out)
    }

    /// Plans catchments for every region of `households`.
    ///
    /// # Errors
    /// [`Error::Empty`]-like [`Error::Infeasible`] when there is nothing to plan, and the
    /// errors of [`Planner::region_bounds`].
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
            return Err(Error::Infeasible("no households to plan".into()));
        }
        let bounds = self.region_bounds(households)?;
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); households.regions.len()];
        for (i, h) in households.items.iter().enumerate() {
            members[h.region as usize].push(i);
        }
        let total: u64 = households.items.iter().map(|h| u64::from(h.weight)).sum();
        let done = std::sync::Mutex::new((0u64, 0usize));
        // Largest regions first, handed to whichever thread is free (longest processing
        // time first), so that the largest region does not start last; results are put
        // back in region order, so the output does not depend on the schedule.
        let mut order: Vec<usize> = (0..members.len()).collect();
        order.sort_by_key(|&r| (std::cmp::Reverse(members[r].len()), r));
        let mut work: Vec<(usize, RegionWork)> = order
            .into_iter()
            .par_bridge()
            .map(|r| {
                let (idx, b) = (&members[r], bounds[r]);
                let w = partition_region(&self.config, households, r as u32, idx, b);
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
                (r, w)
            })
            .collect();
        work.sort_by_key(|(r, _)| *r);
        let work: Vec<RegionWork> = work.into_iter().map(|(_, w)| w).collect();
        let foreign = foreign_hulls(&work);
        let regions: Vec<RegionResult> = work
            .into_par_iter()
            .zip(foreign.into_par_iter())
            .map(|(w, f)| finish_region(households, w, &f))
            .collect();
        // The outlier scan needs only the households: it runs beside the assembly, whose
        // border splitting leaves a thread idle while one large cluster is split.
        let (mut plan, warnings) = rayon::join(
            || assemble(self.config.clone(), households, regions),
            || outliers(households, &members),
        );
        plan.warnings = warnings;
        Ok(plan)
    }

    /// Locates and scores every proposal of `applicants` in `plan` (made from `households`
    /// by this planner), awards centers under the configured rule, and stores the result in
    /// [`Plan::sites`]. Both rules are run so the plan can report their totals side by side.
    ///
    /// ```
    /// use siting::{Applicant, Applicants, LonLat, PlanConfig, Planner, Proposal};
    /// let households = siting::synth::households(2_000, 1);
    /// let planner = Planner::new(PlanConfig::default())?;
    /// let mut plan = planner.plan(&households)?;
    /// let site = plan.catchments[0].center; // propose the ideal center itself
    /// let applicants = Applicants {
    ///     items: vec![Applicant {
    ///         id: "A-1".into(), score: Some(80.0), eligible: true, max_centers: 1, line: 2,
    ///         proposals: vec![Proposal { preference: 1, position: site, line: 2 }],
    ///     }],
    ///     ignored_columns: vec![],
    ///     rejected: vec![],
    /// };
    /// planner.award_sites(&mut plan, &households, &applicants)?;
    /// let sites = plan.sites.as_ref().unwrap();
    /// assert_eq!(sites.award.catchment_site[0], Some(0));
    /// assert!(sites.award.applicants[0].reason.starts_with("awarded C-"));
    /// assert_eq!(sites.gaps.len(), plan.catchments.len() - 1);
    /// # Ok::<(), siting::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Infeasible`] when `plan` was not made from `households`.
    pub fn award_sites(
        &self,
        plan: &mut Plan,
        households: &Households,
        applicants: &Applicants,
    ) -> Result<()> {
        if plan.assignment.len() != households.len() {
            return Err(Error::Infeasible(
                "the plan was made from other households than the ones given".into(),
            ));
        }
        let priority = priority_positions(applicants);
        let proposals = score_proposals(plan, households, applicants, &priority, &self.config);
        let rules = [AwardRule::Priority, AwardRule::Optimal];
        let awards: Vec<Award> = rules
            .iter()
            .map(|&rule| award(plan, applicants, &proposals, &priority, rule, &self.config))
            .collect();
        let comparison = awards.iter().map(|a| (a.rule, a.totals)).collect();
        let chosen = awards
            .into_iter()
            .find(|a| a.rule == self.config.award_rule)
            .ok_or_else(|| Error::InvalidConfig("unknown award rule".into()))?;
        let gaps = (0..plan.catchments.len() as u32)
            .filter(|&c| chosen.catchment_site[c as usize].is_none())
            .collect();
        plan.sites = Some(SitePlan {
            applicants: applicants.clone(),
            priority,
            proposals,
            award: chosen,
            comparison,
            gaps,
        });
        Ok(())
    }
}

/// Splits `total` catchments over regions in proportion to `weight` (largest remainder,
/// each region at least one). `None` when `total` is smaller than the number of regions.
fn share(total: usize, weight: &[u64]) -> Option<Vec<usize>> {
    let n = weight.len();
    if total < n {
        return None;
    }
    let sum: u64 = weight.iter().sum();
    let spare = (total - n) as f64;
    let exact: Vec<f64> = weight
        .iter()
        .map(|&w| spare * w as f64 / sum.max(1) as f64)
        .collect();
    let mut k: Vec<usize> = exact.iter().map(|e| 1 + e.floor() as usize).collect();
    let mut left = total - k.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for &r in order.iter().cycle() {
        if left == 0 {
            break;
        }
        k[r] += 1;
        left -= 1;
    }
    Some(k)
}

struct RegionResult {
    info: RegionPlan,
    catchments: Vec<Catchment>,
    /// (household index, local catchment, distance m)
    assigned: Vec<(usize, u32, f64)>,
}

/// A region after balancing, before its polygons are final.
struct RegionWork {
    region: u32,
    bounds: RegionBounds,
    proj: AzimuthalEquidistant,
    /// (household index, planar position) in canonical order.
    order: Vec<(usize, [f64; 2])>,
    points: Vec<[f64; 2]>,
    weights: Vec<u32>,
    result: crate::balance::Balanced,
    groups: Vec<Vec<usize>>,
    centers_m: Vec<[f64; 2]>,
    envelope: Vec<[f64; 2]>,
    /// Polygons without cross-region cuts (planar).
    rings: Vec<Vec<[f64; 2]>>,
    /// Per catchment: its households' convex hull in lon/lat, and its polygon's lon/lat box.
    hulls: Vec<Vec<LonLat>>,
    boxes: Vec<[f64; 4]>,
}

fn partition_region(
    config: &PlanConfig,
    hh: &Households,
    region: u32,
    idx: &[usize],
    b: RegionBounds,
) -> RegionWork {
    let proj = AzimuthalEquidistant::centered_on(idx.iter().map(|&i| &hh.items[i].position));
    // Canonical order: the plan does not depend on the order of the input rows.
    let mut order: Vec<(usize, [f64; 2])> = idx
        .iter()
        .map(|&i| (i, proj.forward(hh.items[i].position)))
        .collect();
    // The rows are looked at only for ties of location (rare), and the input index last
    // makes the order total, so an unstable sort gives the one order.
    order.sort_unstable_by(|a, b| {
        a.1[0]
            .total_cmp(&b.1[0])
            .then(a.1[1].total_cmp(&b.1[1]))
            .then_with(|| {
                let (ha, hb) = (&hh.items[a.0], &hh.items[b.0]);
                ha.weight
                    .cmp(&hb.weight)
                    .then_with(|| ha.id.cmp(&hb.id))
                    .then(a.0.cmp(&b.0))
            })
    });
    let points: Vec<[f64; 2]> = order.iter().map(|o| o.1).collect();
    let weights: Vec<u32> = order.iter().map(|o| hh.items[o.0].weight).collect();
    let params = BalanceParams {
        k: b.k,
        lo: b.lo,
        hi: b.hi,
        max_iterations: config.max_iterations,
        restarts: config.restarts,
        seed: config.seed ^ u64::from(region).wrapping_mul(0x9E37_79B9_7F4A_7C15),
    };
    let result = balance(&points, &weights, &params);

    // Members of each catchment.
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); b.k];
    for (pos, &l) in result.labels.iter().enumerate() {
        groups[l as usize].push(pos);
    }
    let centers_m: Vec<[f64; 2]> = groups
        .iter()
        .map(|g| {
            let p: Vec<[f64; 2]> = g.iter().map(|&i| points[i]).collect();
            let w: Vec<u32> = g.iter().map(|&i| weights[i]).collect();
            geometric_median(&p, &w, 1e-3)
        })
        .collect();
    let env = envelope(&points, config.envelope_buffer_m);
    let (generators, power) = separate(&result.centers, &result.power);
    let rings = power_cells(&generators, &power, &env, &points, &result.labels, &[]);
    let hulls: Vec<Vec<LonLat>> = groups
        .iter()
        .map(|g| {
            let p: Vec<[f64; 2]> = g.iter().map(|&i| points[i]).collect();
            hull(&p).into_iter().map(|q| proj.inverse(q)).collect()
        })
        .collect();
    let boxes: Vec<[f64; 4]> = rings
        .iter()
        .map(|r| {
            let mut bx = [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ];
            for &q in r {
                let ll = proj.inverse(q);
                bx = [
                    bx[0].min(ll.lon),
                    bx[1].min(ll.lat),
                    bx[2].max(ll.lon),
                    bx[3].max(ll.lat),
                ];
            }
            bx
        })
        .collect();
    RegionWork {
        region,
        bounds: b,
        proj,
        order,
        points,
        weights,
        result,
        groups,
        centers_m,
        envelope: env,
        rings,
        hulls,
        boxes,
    }
}

/// For every catchment, the households' hulls of catchments of *other* regions whose
/// polygons' boxes meet its own (candidates for overlap).
fn foreign_hulls(work: &[RegionWork]) -> Vec<Vec<Vec<Vec<LonLat>>>> {
    let mut out: Vec<Vec<Vec<Vec<LonLat>>>> = work
        .iter()
        .map(|w| vec![Vec::new(); w.boxes.len()])
        .collect();
    if work.len() < 2 {
        return out;
    }
    let pad = 1e-6;
    let mut all: Vec<(f64, usize, usize)> = Vec::new();
    for (r, w) in work.iter().enumerate() {
        for (j, b) in w.boxes.iter().enumerate() {
            all.push((b[0], r, j));
        }
    }
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (n, &(_, r1, j1)) in all.iter().enumerate() {
        let b1 = work[r1].boxes[j1];
        for &(lon_min, r2, j2) in &all[n + 1..] {
            if lon_min > b1[2] + pad {
                break;
            }
            if r1 == r2 {
                continue;
            }
            let b2 = work[r2].boxes[j2];
            if b2[1] > b1[3] + pad || b1[1] > b2[3] + pad {
                continue;
            }
            out[r1][j1].push(work[r2].hulls[j2].clone());
            out[r2][j2].push(work[r1].hulls[j1].clone());
        }
    }
    out
}

fn finish_region(hh: &Households, work: RegionWork, foreign: &[Vec<Vec<LonLat>>]) -> RegionResult {
    let RegionWork {
        region,
        bounds: b,
        proj,
        order,
        points,
        weights,
        result,
        groups,
        centers_m,
        envelope: env,
        mut rings,
        ..
    } = work;
    // Separate catchments from overlapping catchments of other regions by a line between
    // their households (when one exists), then rebuild this region's cells.
    let mut unseparated = 0usize;
    if foreign.iter().any(|f| !f.is_empty()) {
        let cuts: Vec<Vec<HalfPlane>> = foreign
            .iter()
            .zip(&groups)
            .map(|(others, g)| {
                let own: Vec<[f64; 2]> = hull(&g.iter().map(|&i| points[i]).collect::<Vec<_>>());
                others
                    .iter()
                    .filter_map(|other| {
                        let theirs: Vec<[f64; 2]> =
                            other.iter().map(|&q| proj.forward(q)).collect();
                        let cut = separating_cut(&own, &theirs);
                        if cut.is_none() {
                            unseparated += 1;
                        }
                        cut
                    })
                    .collect()
            })
            .collect();
        let (generators, power) = separate(&result.centers, &result.power);
        rings = power_cells(&generators, &power, &env, &points, &result.labels, &cuts);
    }
    // Number catchments from north-west to south-east by ideal center.
    let mut local: Vec<usize> = (0..b.k).collect();
    local.sort_by(|&a, &c| {
        centers_m[c][1]
            .total_cmp(&centers_m[a][1])
            .then(centers_m[a][0].total_cmp(&centers_m[c][0]))
            .then(a.cmp(&c))
    });
    let mut rank = vec![0u32; b.k];
    for (new, &old) in local.iter().enumerate() {
        rank[old] = new as u32;
    }
    // Rounded polygons that still hold every household (see `snap`).
    let members: Vec<Vec<LonLat>> = groups
        .iter()
        .map(|g| g.iter().map(|&i| hh.items[order[i].0].position).collect())
        .collect();
    let (mut rounded, outside) =
        crate::polygons::snap::round_rings(&rings, |xy| proj.inverse(xy), &members);
    let mut assigned = Vec::with_capacity(points.len());
    let mut catchments = Vec::with_capacity(b.k);
    for &j in &local {
        let g = &groups[j];
        let p: Vec<[f64; 2]> = g.iter().map(|&i| points[i]).collect();
        let w: Vec<u32> = g.iter().map(|&i| weights[i]).collect();
        let stats = distance_stats(&p, &w, centers_m[j]);
        for &i in g {
            let d = crate::geometry::dist2(points[i], centers_m[j]).sqrt();
            assigned.push((order[i].0, rank[j], d));
        }
        let mut ring = std::mem::take(&mut rounded[j]);
        if let Some(&first) = ring.first() {
            ring.push(first);
        }
        let c = proj.inverse(centers_m[j]);
        let centroid = {
            let tw: f64 = w.iter().map(|&x| f64::from(x)).sum();
            let cx = p
                .iter()
                .zip(&w)
                .map(|(q, &x)| q[0] * f64::from(x))
                .sum::<f64>()
                / tw;
            let cy = p
                .iter()
                .zip(&w)
                .map(|(q, &x)| q[1] * f64::from(x))
                .sum::<f64>()
                / tw;
            [cx, cy]
        };
        catchments.push(Catchment {
            id: String::new(),
            region,
            households: result.sizes[j],
            locations: g.len() as u32,
            center: LonLat::new(round7(c.lon), round7(c.lat)),
            distance: stats,
            sse_m2: p
                .iter()
                .zip(&w)
                .map(|(q, &x)| f64::from(x) * crate::geometry::dist2(*q, centroid))
                .sum(),
            shape: Shape::from_ring(ring),
            area_km2: 0.0,
        });
    }
    let info = RegionPlan {
        name: hh.regions[region as usize].clone(),
        rows: points.len(),
        households: weights.iter().map(|&w| u64::from(w)).sum(),
        catchments: b.k,
        min_size: b.lo,
        max_size: b.hi,
        smallest: result.sizes.iter().copied().min().unwrap_or(0),
        largest: result.sizes.iter().copied().max().unwrap_or(0),
        iterations: result.iterations,
        // Balanced: every size within the bounds, as the sizes say. The balancing also
        // counts a run as unbalanced when its last exact assignment gave up (the labels
        // are then the power diagram of its weights, not proven optimal): that is
        // reported as not converged instead.
        converged: result.converged
            && (result.balanced || !result.sizes.iter().all(|&s| s >= b.lo && s <= b.hi)),
        balanced: result.sizes.iter().all(|&s| s >= b.lo && s <= b.hi),
        sse_m2: result.sse_m2,
        projection_center: proj.center(),
        unseparated_pairs: unseparated,
        overlapping_pairs: 0,
        households_outside: outside,
    };
    RegionResult {
        info,
        catchments,
        assigned,
    }
}

/// Moves exactly coincident centers apart by a millimetre, with equal weights, so that
/// their power cells are well defined (wedges around the shared point) instead of identical.
fn separate(centers: &[[f64; 2]], power: &[f64]) -> (Vec<[f64; 2]>, Vec<f64>) {
    let mut out = centers.to_vec();
    let mut weights = power.to_vec();
    let mut order: Vec<usize> = (0..centers.len()).collect();
    order.sort_by(|&a, &b| {
        centers[a][0]
            .total_cmp(&centers[b][0])
            .then(centers[a][1].total_cmp(&centers[b][1]))
            .then(a.cmp(&b))
    });
    let mut s = 0;
    while s < order.len() {
        let mut e = s + 1;
        while e < order.len() && centers[order[e]] == centers[order[s]] {
            e += 1;
        }
        if e - s > 1 {
            let mean = order[s..e].iter().map(|&j| power[j]).sum::<f64>() / (e - s) as f64;
            for (n, &j) in order[s..e].iter().enumerate() {
                weights[j] = mean;
                let a = std::f64::consts::TAU * n as f64 / (e - s) as f64;
                out[j] = [
                    centers[j][0] + 1e-3 * a.cos(),
                    centers[j][1] + 1e-3 * a.sin(),
                ];
            }
        }
        s = e;
    }
    (out, weights)
}

fn geodesic_area_km2(shape: &Shape) -> f64 {
    use geo::GeodesicArea;
    shape
        .to_geo()
        .0
        .iter()
        .map(|p| p.geodesic_area_unsigned())
        .sum::<f64>()
        / 1e6
}

fn assemble(config: PlanConfig, hh: &Households, regions: Vec<RegionResult>) -> Plan {
    let total: usize = regions.iter().map(|r| r.catchments.len()).sum();
    let width = total.to_string().len().max(4);
    let mut assignment = vec![0u32; hh.len()];
    let mut distance_m = vec![0.0f64; hh.len()];
    let mut catchments = Vec::with_capacity(total);
    let mut infos = Vec::with_capacity(regions.len());
    for r in regions {
        let offset = catchments.len() as u32;
        for (i, l, d) in r.assigned {
            assignment[i] = offset + l;
            distance_m[i] = d;
        }
        for mut c in r.catchments {
            c.id = format!("C-{:0width$}", catchments.len() + 1);
            catchments.push(c);
        }
        infos.push(r.info);
    }
    let homes = |needed: &[bool]| {
        let mut homes: Vec<Vec<LonLat>> = vec![Vec::new(); needed.len()];
        for (h, &c) in hh.items.iter().zip(&assignment) {
            if needed[c as usize] {
                homes[c as usize].push(h.position);
            }
        }
        homes
    };
    let region: Vec<u32> = catchments.iter().map(|c| c.region).collect();
    let mut shapes: Vec<Shape> = catchments
        .iter_mut()
        .map(|c| std::mem::take(&mut c.shape))
        .collect();
    let resolved = crate::polygons::borders::resolve(&mut shapes, homes);
    for &(c, n) in &resolved.outside {
        infos[region[c] as usize].households_outside += n;
    }
    for &(a, b) in &resolved.unresolved {
        infos[region[a] as usize].overlapping_pairs += 1;
        infos[region[b] as usize].overlapping_pairs += 1;
    }
    for (c, shape) in catchments.iter_mut().zip(shapes) {
        c.shape = shape;
    }
    catchments
        .par_iter_mut()
        .for_each(|c| c.area_km2 = geodesic_area_km2(&c.shape));
    let households = hh.total_weight();
    let mut dist: Vec<(f64, u32)> = distance_m
        .iter()
        .zip(&hh.items)
        .map(|(&d, h)| (d, h.weight))
        .collect();
    let mean = dist.iter().map(|&(d, w)| d * f64::from(w)).sum::<f64>() / households.max(1) as f64;
    dist.par_sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let need = (0.9 * households as f64).ceil() as u64;
    let mut acc = 0;
    let mut p90 = 0.0;
    for &(d, w) in &dist {
        acc += u64::from(w);
        p90 = d;
        if acc >= need {
            break;
        }
    }
    let metrics = Metrics {
        rows: hh.len(),
        households,
        catchments: catchments.len(),
        sse_m2: infos.iter().map(|r| r.sse_m2).sum(),
        mean_distance_m: mean,
        p90_distance_m: p90,
        max_distance_m: dist.last().map_or(0.0, |d| d.0),
        smallest_catchment: catchments.iter().map(|c| c.households).min().unwrap_or(0),
        largest_catchment: catchments.iter().map(|c| c.households).max().unwrap_or(0),
        converged: infos.iter().all(|r| r.converged),
        balanced: infos.iter().all(|r| r.balanced),
    };
    Plan {
        config,
        region_columns: hh.region_columns.clone(),
        regions: infos,
        catchments,
        assignment,
        distance_m,
        metrics,
        sites: None,
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_is_proportional() {
        assert_eq!(share(10, &[100, 100]), Some(vec![5, 5]));
        assert_eq!(share(3, &[1000, 1, 1]), Some(vec![1, 1, 1]));
        assert_eq!(share(2, &[1, 1, 1]), None);
        let k = share(53, &[500, 300, 200]).unwrap_or_default();
        assert_eq!(k.iter().sum::<usize>(), 53);
    }

    fn households_in_two_regions(a: usize, b: usize) -> Households {
        let mut hh = Households::from_points((0..a + b).map(|i| {
            (
                "x",
                50.0 + (i % 50) as f64 * 1e-3,
                36.0 + (i / 50) as f64 * 1e-3,
                1,
            )
        }));
        for (i, h) in hh.items.iter_mut().enumerate() {
            h.id = format!("h{i}");
            h.region = u32::from(i >= a);
        }
        hh.regions = vec!["A".into(), "B".into()];
        hh
    }

    #[test]
    fn bounds_follow_the_spec() -> Result<()> {
        let hh = households_in_two_regions(1000, 1130);
        let b = Planner::new(PlanConfig::default())?.region_bounds(&hh)?;
        // k = max(1, round(W/450)); bounds floor(0.9 W/k), ceil(1.1 W/k).
        assert_eq!(
            b[0],
            RegionBounds {
                k: 2,
                lo: 450,
                hi: 550
            }
        );
        assert_eq!(
            b[1],
            RegionBounds {
                k: 3,
                lo: 339,
                hi: 415
            }
        );
        let b = Planner::new(PlanConfig::default().catchments(10))?.region_bounds(&hh)?;
        assert_eq!(b.iter().map(|r| r.k).sum::<usize>(), 10);
        let b = Planner::new(PlanConfig::default().size_bounds(300, 400))?.region_bounds(&hh)?;
        assert_eq!((b[0].k, b[0].lo, b[0].hi), (3, 300, 400));
        assert!(b[1].k * 300 <= 1130 && b[1].k * 400 >= 1130);
        Ok(())
    }

    #[test]
    fn infeasible_regions_are_explained() -> Result<()> {
        let hh = households_in_two_regions(1000, 1130);
        let err = Planner::new(PlanConfig::default().size_bounds(400, 500))?
            .region_bounds(&hh)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("region 'B': 1,130 households cannot form") && err.contains("400–500"),
            "{err}"
        );
        Ok(())
    }
}
