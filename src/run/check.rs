//! Checking and profiling input without planning (`siting check`): rows, households,
//! regions with their catchment counts and size bounds, infeasible regions, outliers, and
//! every bad row with its line. Whether `siting plan` would succeed is
//! [`Inspection::plan_would_succeed`].

use crate::error::Result;
use crate::io::read::households::read_households_file;
use crate::model::Rejected;
use crate::plan::{Planner, RegionBounds, Warning};
use crate::run::job::Job;

/// One region's profile.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RegionProfile {
    /// Region name ("" for the whole file).
    pub name: String,
    /// Input rows.
    pub rows: usize,
    /// Households (sum of weights).
    pub households: u64,
    /// Catchment count and size bounds, when the region can be planned.
    pub bounds: Option<RegionBounds>,
    /// Why the region cannot be planned, if it cannot.
    pub problem: Option<String>,
}

/// What `siting check` found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Inspection {
    /// Data rows in the households file.
    pub rows: usize,
    /// Households in the valid rows.
    pub households: u64,
    /// Bad rows of either file, with line and reason.
    pub problems: Vec<Rejected>,
    /// Regions, in name order.
    pub regions: Vec<RegionProfile>,
    /// Things to check that would not stop a plan.
    pub warnings: Vec<Warning>,
    /// Applicants and proposals read, when an applicants file was given.
    pub applicants: Option<(usize, usize)>,
    /// A problem with a file as a whole (for example a missing column), which stops the
    /// check itself.
    pub fatal: Option<String>,
}

impl Inspection {
    /// True when `siting plan` with the same inputs and parameters (without
    /// `--skip-invalid`) would get past reading and bounds.
    pub fn plan_would_succeed(&self) -> bool {
        self.fatal.is_none()
            && self.problems.is_empty()
            && self.regions.iter().all(|r| r.problem.is_none())
    }
}

/// Inspects the inputs of `job` (its households, applicants, `by`, `crs` and config).
///
/// # Errors
/// [`crate::Error::InvalidConfig`] for invalid parameters. Problems in the files are reported
/// in the [`Inspection`], not as errors.
pub fn check_inputs(job: &Job) -> Result<Inspection> {
    let planner = Planner::new(job.config.clone())?;
    let lang = job.config.lang;
    let options = job.read_options(true);
    let mut inspection = Inspection {
        rows: 0,
        households: 0,
        problems: Vec::new(),
        regions: Vec::new(),
        warnings: Vec::new(),
        applicants: None,
        fatal: None,
    };
    if let Some(path) = &job.applicants {
        match crate::io::read::applicants::read_applicants_file(
            path,
            &job.applicants_options(&options),
        ) {
            Ok((a, _)) => {
                inspection.applicants = Some((a.len(), a.proposals()));
                inspection.problems.extend(a.rejected);
            }
            Err(e) => inspection.fatal = Some(e.message(lang)),
        }
    }
    let mut households = match read_households_file(&job.households, &options) {
        Ok((hh, _)) => hh,
        Err(e) => {
            inspection.fatal = Some(e.message(lang));
            return Ok(inspection);
        }
    };
    if let Err(e) = crate::projection::to_lonlat(&job.crs, &mut households) {
        inspection.fatal = Some(e.message(lang));
        return Ok(inspection);
    }
    inspection.rows = households.len() + households.rejected.len();
    inspection.households = households.total_weight();
    inspection
        .problems
        .splice(0..0, std::mem::take(&mut households.rejected));
    let checks = match planner.region_checks(&households) {
        Ok(c) => c,
        Err(e) => {
            inspection.fatal = Some(e.message(lang));
            return Ok(inspection);
        }
    };
    let mut rows = vec![0usize; households.regions.len()];
    let mut weight = vec![0u64; households.regions.len()];
    for h in &households.items {
        rows[h.region as usize] += 1;
        weight[h.region as usize] += u64::from(h.weight);
    }
    inspection.regions = households
        .regions
        .iter()
        .zip(checks)
        .enumerate()
        .map(|(r, (name, check))| RegionProfile {
            name: name.clone(),
            rows: rows[r],
            households: weight[r],
            bounds: check.as_ref().ok().copied(),
            problem: check.err().map(|e| e.message(lang)),
        })
        .collect();
    inspection.warnings = planner.input_warnings(&households);
    Ok(inspection)
}
