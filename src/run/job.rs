//! A whole run, from input files to a plan folder: read → convert the CRS → plan → award →
//! write. `siting plan` and `siting verify` both run a [`Job`]; it is also the shortest way
//! to embed the tool.
//!
//! ```no_run
//! use siting::{Job, Stage, WriteOptions};
//! let mut job = Job::new("data/qazvin_households.csv", siting::PlanConfig::default());
//! job.applicants = Some("data/qazvin_applicants.csv".into());
//! let output = job.run(&|_stage: Stage| {})?;
//! job.write(&output, "plan".as_ref(), &WriteOptions::default())?;
//! # Ok::<(), siting::Error>(())
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::PlanConfig;
use crate::error::{Error, PreviousPlanProblem, Result};
use crate::io::read::applicants::read_applicants_file;
use crate::io::read::csv::{InputDigest, ReadOptions};
use crate::io::read::households::read_households_file;
use crate::io::read::plan_folder::read_previous_plan;
use crate::io::read::previous::read_previous_files;
use crate::io::write::folder::{PlanFolder, WriteOptions};
use crate::io::write::report::ReportOptions;
use crate::io::write::summary::Audit;
use crate::map::MapOptions;
use crate::model::{Applicants, Households};
use crate::network::Previous;
use crate::plan::{Plan, Planner, Progress};
use crate::projection::is_wgs84;
use crate::sites::SitePlan;

/// Everything that determines a plan folder. Recorded in `summary.json` as `parameters`, so
/// that `siting verify` can re-run it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Job {
    /// The households file.
    pub households: PathBuf,
    /// The applicants file, if any.
    pub applicants: Option<PathBuf>,
    /// Region columns (`--by`).
    pub by: Vec<String>,
    /// CRS of the input coordinates. Default: `EPSG:4326`.
    pub crs: String,
    /// Set bad rows aside instead of stopping (`--skip-invalid`).
    pub skip_invalid: bool,
    /// The sheet of the households workbook to read (`--sheet`). Default: the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The sheet of the applicants workbook to read (`--applicants-sheet`). Default: the
    /// first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicants_sheet: Option<String>,
    /// The encoding of text inputs without a byte-order mark, as a WHATWG label such as
    /// `windows-1256` (`--encoding`). Default: UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The plan's date (`YYYY-MM-DD`), shown on the map and in the report. Default: today
    /// (UTC).
    pub date: String,
    /// A tile URL template for `report.html`'s background map (`--basemap`). Default: none
    /// (the page needs no network).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basemap: Option<String>,
    /// Re-plan around the network of this plan folder (`--previous`, SPEC §8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<PathBuf>,
    /// Re-plan around the centers of this file (`--centers`: `center_id, lon, lat [, status]
    /// [, region columns]`), with [`Job::previous_assignments`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centers: Option<PathBuf>,
    /// Where each household was (`--previous-assignments`: `household_id, center_id`),
    /// with [`Job::centers`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_assignments: Option<PathBuf>,
    /// Planning parameters.
    #[serde(flatten)]
    pub config: PlanConfig,
}

/// What a [`Job`] is doing, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and checking the input files.
    Reading,
    /// Balancing catchments; called as regions finish.
    Balancing(Progress),
    /// Scoring proposals and awarding centers.
    Awarding,
}

/// The result of [`Job::run`].
#[derive(Debug, Clone)]
pub struct JobOutput {
    /// The households as read (with rows set aside by `skip_invalid`).
    pub households: Households,
    /// The plan.
    pub plan: Plan,
    /// Sites and awards, when applicants were given.
    pub sites: Option<SitePlan>,
    /// Digests of the inputs, households first (then applicants, then a re-plan's previous
    /// network).
    pub inputs: Vec<InputDigest>,
    /// A re-plan's previous network, as read.
    pub previous: Option<Previous>,
    /// Wall-clock seconds per stage (`read`, `plan`, `award`), for the terminal only: never
    /// written to the plan folder, which stays byte-identical between runs.
    pub timings: Vec<(&'static str, f64)>,
}

/// Today's date in UTC as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(secs / 86_400)
}

/// The proleptic Gregorian date of day `days` after 1970-01-01 (H. Hinnant's algorithm).
fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

impl Job {
    /// A job planning `households` with `config`, no applicants, WGS 84 input, dated today.
    pub fn new(households: impl Into<PathBuf>, config: PlanConfig) -> Self {
        Job {
            households: households.into(),
            applicants: None,
            by: Vec::new(),
            crs: "EPSG:4326".into(),
            skip_invalid: false,
            sheet: None,
            applicants_sheet: None,
            encoding: None,
            date: today(),
            basemap: None,
            previous: None,
            centers: None,
            previous_assignments: None,
            config,
        }
    }

    /// Reads the inputs, plans, and awards sites; `observe` hears each stage.
    ///
    /// # Errors
    /// Any error of reading ([`crate::read_households_file`]), projection or planning
    /// ([`Planner`]).
    pub fn run(&self, observe: &(dyn Fn(Stage) + Sync)) -> Result<JobOutput> {
        let planner = Planner::new(self.config.clone())?;
        let options = self.read_options(self.skip_invalid);
        let mut timings = Vec::new();
        let mut lap = Instant::now();
        let mut tick = |name: &'static str| {
            timings.push((name, lap.elapsed().as_secs_f64()));
            lap = Instant::now();
        };
        observe(Stage::Reading);
        // The previous network (a national plan folder: a million assignments) is read
        // beside the new files; their errors come first, as when read one after the other.
        let (new_files, previous) = rayon::join(
            || -> Result<_> {
                let households = read_households_file(&self.households, &options)?;
                let applicants = match &self.applicants {
                    Some(path) => Some(read_applicants_file(
                        path,
                        &self.applicants_options(&options),
                    )?),
                    None => None,
                };
                Ok((households, applicants))
            },
            || self.read_previous(&options),
        );
        let ((mut households, digest), applicants) = new_files?;
        let mut inputs = vec![digest];
        let mut applicants: Option<Applicants> = applicants.map(|(a, digest)| {
            inputs.push(digest);
            a
        });
        let mut previous = previous?.map(|(p, digests)| {
            inputs.extend(digests);
            p
        });
        crate::projection::to_lonlat(&self.crs, &mut households)?;
        if let Some(a) = applicants.as_mut() {
            crate::projection::applicants_to_lonlat(&self.crs, a)?;
        }
        // A centers file is in the households' CRS; a plan folder is always in lon/lat.
        if let (Some(p), Some(_)) = (previous.as_mut(), &self.centers) {
            centers_to_lonlat(&self.crs, p)?;
        }
        tick("read");
        let progress = |p| observe(Stage::Balancing(p));
        let plan = match &previous {
            Some(p) => planner.replan_with_progress(&households, p, &progress)?,
            None => planner.plan_with_progress(&households, &progress)?,
        };
        tick("plan");
        let mut sites = None;
        if let Some(a) = &applicants {
            observe(Stage::Awarding);
            sites = Some(planner.award_sites(&plan, &households, a)?);
            tick("award");
        }
        Ok(JobOutput {
            households,
            plan,
            sites,
            inputs,
            previous,
            timings,
        })
    }

    /// Reads the previous network of a re-plan, if one is asked for, with the digests of
    /// its files.
    ///
    /// # Errors
    /// [`Error::PreviousPlan`] when the options do not name one source (a plan folder, or a
    /// centers file with previous assignments); the readers' errors.
    fn read_previous(&self, options: &ReadOptions) -> Result<Option<(Previous, Vec<InputDigest>)>> {
        let (previous, digests) = match (&self.previous, &self.centers, &self.previous_assignments)
        {
            (None, None, None) => return Ok(None),
            (Some(dir), None, None) => read_previous_plan(dir)?,
            (None, Some(centers), Some(assignments)) => {
                read_previous_files(centers, assignments, options)?
            }
            (dir, centers, _) => {
                return Err(Error::PreviousPlan {
                    path: dir.clone().or(centers.clone()).unwrap_or_default(),
                    problem: PreviousPlanProblem::Sources,
                });
            }
        };
        Ok(Some((previous, digests)))
    }

    /// How the households file is read: this job's `--by`, CRS, sheet, encoding and
    /// language (of the reasons for rejected rows), with `skip_invalid`.
    pub(crate) fn read_options(&self, skip_invalid: bool) -> ReadOptions {
        ReadOptions {
            by: self.by.clone(),
            projected: !is_wgs84(&self.crs),
            skip_invalid,
            sheet: self.sheet.clone(),
            encoding: self.encoding.clone(),
            lang: self.config.lang,
        }
    }

    /// How the applicants file is read: as `households` (the households' options), from
    /// the applicants' sheet.
    pub(crate) fn applicants_options(&self, households: &ReadOptions) -> ReadOptions {
        ReadOptions {
            sheet: self.applicants_sheet.clone(),
            ..households.clone()
        }
    }

    /// The audit record of `output` for `summary.json`: its inputs' digests and this job
    /// as the parameters.
    ///
    /// # Errors
    /// [`crate::Error::Io`] when the job cannot be recorded.
    pub fn audit(&self, output: &JobOutput) -> Result<Audit> {
        Audit::new(output.inputs.clone(), self)
    }

    /// Writes the plan folder for `output` into `out`, atomically (see
    /// [`PlanFolder::write`]).
    ///
    /// # Errors
    /// As [`PlanFolder::write`].
    pub fn write(&self, output: &JobOutput, out: &Path, options: &WriteOptions) -> Result<()> {
        let audit = self.audit(output)?;
        let folder = PlanFolder {
            plan: &output.plan,
            sites: output.sites.as_ref(),
            households: &output.households,
            audit: &audit,
            map: MapOptions {
                date: self.date.clone(),
                ..MapOptions::default()
            },
            report: ReportOptions {
                date: self.date.clone(),
                basemap: self.basemap.clone(),
            },
            previous_rejected: output.previous.as_ref().map_or(&[], |p| &p.rejected[..]),
        };
        folder.write(out, options).map(|_| ())
    }
}

/// Converts the centers of a re-plan from `crs` to longitude/latitude, like the households.
fn centers_to_lonlat(crs: &str, previous: &mut Previous) -> Result<()> {
    if is_wgs84(crs) {
        return Ok(());
    }
    let mut points = Households::from_points(
        previous
            .centers
            .iter()
            .map(|c| ("", c.position.lon, c.position.lat, 1)),
    );
    crate::projection::to_lonlat(crs, &mut points)?;
    for (c, p) in previous.centers.iter_mut().zip(&points.items) {
        c.position = p.position;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_781), "2026-11-24");
    }
}
