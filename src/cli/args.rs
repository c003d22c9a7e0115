//! The inputs and parameters of a plan, shared by `siting plan` and `siting check`, and
//! their conversion to a library [`Job`] and [`PlanConfig`].
//!
//! The library owns every default: each option here is an `Option` (or an empty list) that
//! overrides the library's value only when given.

use std::path::PathBuf;

use clap::Args;

use siting::Job;
use siting::lang::Lang;
use siting::{AwardRule, Objective, PlanConfig};

/// The inputs and parameters of a plan, shared by `plan` and `check`.
#[derive(Debug, Args)]
pub(super) struct JobArgs {
    /// households.csv (or .xlsx, .xls, .ods): household_id, lon, lat [, households] [, region
    /// columns]
    pub(super) households: PathBuf,
    /// applicants.csv: applicant_id, preference, lon, lat [, score, eligible, max_centers]
    /// (or the wide layout applicant_id, site1_lon, site1_lat, …, site5_lon, site5_lat).
    #[arg(long, short)]
    applicants: Option<PathBuf>,
    /// How centers are awarded: priority (by score, each applicant's best open preference)
    /// or optimal (most total access) [library default: priority].
    #[arg(long, value_parser = parse_rule)]
    award: Option<AwardRule>,
    /// What catchments minimise: squared (squared distance to the centroid; straight
    /// borders, fewer very long trips) or distance (travel distance to the center; the
    /// shorter mean trip, at about twice the time) [library default: squared].
    #[arg(long, value_parser = parse_objective)]
    objective: Option<Objective>,
    /// With --objective distance: the work budget of the improvement moves, as a multiple
    /// of the default (0 = none; 10 = ten times the trials, for small regions where the
    /// best plan matters more than seconds) [library default: 1].
    #[arg(long)]
    effort: Option<f64>,
    /// Smallest efficiency (ideal mean distance / site mean distance) a site needs to be
    /// awarded [library default: 0.6].
    #[arg(long)]
    min_efficiency: Option<f64>,
    /// A proposal outside every catchment but within this many metres of one is attached to
    /// the nearest [library default: 1000].
    #[arg(long)]
    site_reach: Option<f64>,
    /// Radii in metres for the "share of households within r of the site" figures, comma
    /// separated [library default: 1000,3000].
    #[arg(long, value_delimiter = ',')]
    access_radii: Vec<f64>,
    /// Households per catchment [library default: 450].
    #[arg(long)]
    target: Option<u32>,
    /// Allowed relative size deviation, e.g. 0.1 for ±10 % [library default: 0.1].
    #[arg(long)]
    tolerance: Option<f64>,
    /// Fixed total number of catchments (shared across regions by households).
    #[arg(long)]
    catchments: Option<usize>,
    /// Explicit smallest catchment size (households).
    #[arg(long)]
    min_size: Option<u32>,
    /// Explicit largest catchment size (households).
    #[arg(long)]
    max_size: Option<u32>,
    /// Plan each region separately: column name(s), comma separated (e.g. province,county).
    #[arg(long, value_delimiter = ',')]
    by: Vec<String>,
    /// Random seed [library default: 0].
    #[arg(long)]
    seed: Option<u64>,
    /// Iteration cap per region [library default: 100].
    #[arg(long)]
    max_iterations: Option<usize>,
    /// Independent starts per region, best kept [library default: 4].
    #[arg(long)]
    restarts: Option<usize>,
    /// CRS of the input coordinates, e.g. EPSG:32639 (needs the `proj` feature).
    #[arg(long)]
    crs: Option<String>,
    /// Re-plan around the network of this earlier plan folder: its catchments are kept,
    /// households move only where bounds or new catchments need it (SPEC §8).
    #[arg(long, value_name = "PLAN_DIR", conflicts_with_all = ["centers", "previous_assignments"])]
    previous: Option<PathBuf>,
    /// Re-plan around these centers: center_id, lon, lat [, status open|vacant|closed]
    /// [, region columns]; needs --previous-assignments.
    #[arg(long, requires = "previous_assignments")]
    centers: Option<PathBuf>,
    /// Where each household was: household_id, center_id (from the case files); needs
    /// --centers.
    #[arg(long, requires = "centers")]
    previous_assignments: Option<PathBuf>,
    /// Re-plans: the price of moving a household, in units of the region's mean squared
    /// distance to its catchment's centroid (with --objective distance: its mean distance;
    /// 0 = plan freely around the kept centers) [library default: 2].
    #[arg(long)]
    stickiness: Option<f64>,
    /// The sheet to read when the households file is a workbook (.xlsx, .xls, .ods)
    /// [default: the first].
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// The sheet to read when the applicants file is a workbook [default: the first].
    #[arg(long, value_name = "NAME")]
    applicants_sheet: Option<String>,
    /// Encoding of text inputs without a byte-order mark, e.g. windows-1256 for CSV saved by
    /// older Persian Excel (UTF-16 with a BOM is read unasked) [default: utf-8].
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// Language of everything a person reads: terminal, warnings, errors, the reasons in
    /// applicants.csv, map.svg, report.html and the style legends: en or fa (Persian).
    /// Column names, ids and JSON keys never change [default: en].
    #[arg(long, value_name = "LANG", value_parser = parse_lang)]
    pub(super) lang: Option<Lang>,
}

impl JobArgs {
    /// The language of `--lang` (English when not given).
    pub(super) fn lang(&self) -> Lang {
        self.lang.unwrap_or_default()
    }

    /// The job these arguments describe.
    pub(super) fn to_job(&self) -> Job {
        let mut job = Job::new(&self.households, self.to_config());
        job.applicants = self.applicants.clone();
        job.by = self.by.clone();
        if let Some(crs) = &self.crs {
            job.crs = crs.clone();
        }
        job.previous = self.previous.clone();
        job.centers = self.centers.clone();
        job.previous_assignments = self.previous_assignments.clone();
        job.sheet = self.sheet.clone();
        job.applicants_sheet = self.applicants_sheet.clone();
        job.encoding = self.encoding.clone();
        job
    }

    /// The library's defaults, overridden by the options given.
    fn to_config(&self) -> PlanConfig {
        let mut c = PlanConfig::default();
        if let Some(v) = self.target {
            c = c.target_size(v);
        }
        if let Some(v) = self.tolerance {
            c = c.size_tolerance(v);
        }
        if let Some(v) = self.catchments {
            c = c.catchments(v);
        }
        c.min_size = self.min_size;
        c.max_size = self.max_size;
        if let Some(v) = self.seed {
            c = c.seed(v);
        }
        if let Some(v) = self.max_iterations {
            c = c.max_iterations(v);
        }
        if let Some(v) = self.restarts {
            c = c.restarts(v);
        }
        if let Some(v) = self.award {
            c = c.award_rule(v);
        }
        if let Some(v) = self.objective {
            c = c.objective(v);
        }
        if let Some(v) = self.effort {
            c = c.effort(v);
        }
        if let Some(v) = self.min_efficiency {
            c = c.min_efficiency(v);
        }
        if let Some(v) = self.site_reach {
            c = c.site_reach_m(v);
        }
        if let Some(v) = self.stickiness {
            c = c.stickiness(v);
        }
        if let Some(v) = self.lang {
            c = c.lang(v);
        }
        if !self.access_radii.is_empty() {
            c = c.access_radii_m(self.access_radii.clone());
        }
        c
    }
}

/// Parses `--lang` (`en`, `fa`, or the language's name).
fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

/// Parses `--objective` with the library's own names (`squared`, `distance`).
fn parse_objective(s: &str) -> Result<Objective, String> {
    s.parse().map_err(|e: siting::Error| e.to_string())
}

/// Parses `--award` with the library's own names (`priority`, `optimal`).
fn parse_rule(s: &str) -> Result<AwardRule, String> {
    s.parse().map_err(|e: siting::Error| e.to_string())
}
