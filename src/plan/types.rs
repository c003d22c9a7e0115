//! What a plan is: its catchments, regions, figures and warnings (SPEC §4, §5).

use crate::center::DistanceStats;
use crate::config::PlanConfig;
use crate::lang::{Args, Lang};
use crate::model::{LonLat, Shape};

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
    /// The generator of its power cell (with the region's power weights it draws the
    /// borders); kept in `catchments.geojson` so that a re-plan can redraw the same borders.
    pub generator: LonLat,
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

/// How far a plan has come (see [`crate::Planner::plan_with_progress`]).
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
    /// Things a planner should check that did not stop the plan (for example a household
    /// hundreds of kilometres from the rest of its region).
    pub warnings: Vec<Warning>,
    /// What a re-plan changed ([`crate::Planner::replan`]); `None` for a plan from scratch.
    pub replan: Option<crate::plan::Replan>,
}

impl Plan {
    /// The widest catchment-size bounds of any region: the smallest lower bound and the
    /// largest upper bound, in households (`(0, 0)` without regions).
    pub fn size_bounds(&self) -> (u64, u64) {
        (
            self.regions.iter().map(|r| r.min_size).min().unwrap_or(0),
            self.regions.iter().map(|r| r.max_size).max().unwrap_or(0),
        )
    }

    /// Mean household distance to the ideal center in each region, weighted by households,
    /// in metres (0 for a region without households), in the order of [`Plan::regions`].
    pub fn mean_distance_per_region(&self) -> Vec<f64> {
        let mut sums = vec![(0.0f64, 0u64); self.regions.len()];
        for c in &self.catchments {
            if let Some(slot) = sums.get_mut(c.region as usize) {
                slot.0 += c.distance.mean_m * c.households as f64;
                slot.1 += c.households;
            }
        }
        sums.iter()
            .map(|(metres, households)| metres / (*households).max(1) as f64)
            .collect()
    }

    /// How many of `catchments` (indices into [`Plan::catchments`]) lie in each region, in
    /// the order of [`Plan::regions`]; an index out of range counts nowhere.
    pub fn count_per_region(&self, catchments: impl IntoIterator<Item = u32>) -> Vec<usize> {
        let mut counts = vec![0usize; self.regions.len()];
        for c in catchments {
            if let Some(n) = self
                .catchments
                .get(c as usize)
                .and_then(|c| counts.get_mut(c.region as usize))
            {
                *n += 1;
            }
        }
        counts
    }
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

impl Warning {
    /// The warning as a person reads it in `lang`: "region 'Qazvin': line 12: …". The
    /// message itself is in the plan's language ([`crate::PlanConfig::lang`]).
    pub fn describe(&self, lang: Lang) -> String {
        let mut text = String::new();
        if !self.region.is_empty() {
            let args = Args::new().text("region", self.region.clone());
            text.push_str(&lang.format("warning-in-region", &args));
            text.push_str(": ");
        }
        if let Some(line) = self.line {
            let args = Args::new().text("line", lang.digits(&line.to_string()));
            text.push_str(&lang.format("warning-at-line", &args));
            text.push_str(": ");
        }
        text.push_str(&self.message);
        text
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}
