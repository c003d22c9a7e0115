//! # siting
//!
//! Plans where neighbourhood welfare service centers go. Household coordinates are grouped
//! into compact catchments of about 450 households each — the cells of a power diagram, so
//! catchment polygons never overlap and every household lies inside its own — and each
//! catchment gets the center that minimises its households' travel distance. Regions are
//! planned independently; where two regions' households interleave, the overlap of their
//! cells is split by nearest household, so those catchments may be non-convex [`Shape`]s.
//! Applicants' proposed sites are then scored and centers awarded ([`Planner::award_sites`]).
//!
//! ```
//! use siting::{Households, PlanConfig, Planner};
//! let households = Households::from_points(
//!     (0..2_000).map(|i| ("", 50.0 + (i % 40) as f64 * 1e-3, 36.0 + (i / 40) as f64 * 1e-3, 1)),
//! );
//! let config = PlanConfig::default().target_size(450).size_tolerance(0.10).seed(7);
//! let plan = Planner::new(config)?.plan(&households)?;
//! assert_eq!(plan.catchments.len(), 4); // round(2000 / 450)
//! assert!(plan.catchments.iter().all(|c| (450..=550).contains(&c.households)));
//! siting::write_catchments(&plan, None, std::io::sink())?;
//! # Ok::<(), siting::Error>(())
//! ```
//!
//! ## Where to find what
//!
//! | step | items |
//! |---|---|
//! | configure | [`PlanConfig`] (every parameter with its default), [`AwardRule`], [`Objective`] |
//! | read inputs | [`read_households_file`], [`read_households`], [`read_applicants_file`], [`read_applicants`], [`ReadOptions`] (region columns, a workbook's sheet, a text encoding) → [`Households`], [`Applicants`]; CSV or any delimited text (UTF-8, UTF-16, or a named encoding), or a sheet of an `.xlsx`, `.xls` or `.ods` workbook |
//! | plan | [`Planner::new`] → [`Planner::plan`] → [`Plan`] ([`Catchment`], [`RegionPlan`], [`Metrics`], [`Warning`]); [`plan`] with defaults |
//! | award sites | [`Planner::award_sites`] → [`SitePlan`] ([`ScoredProposal`], [`Award`], [`ApplicantResult`]) |
//! | write | [`PlanFolder`] (the whole folder, atomically), or one file: [`write_catchments`], [`write_centers`], [`write_proposals`], [`write_assignments`], [`write_applicants`], [`write_summary`], [`write_map_svg`] |
//! | whole runs from files | [`Job`] (read → plan → award → write), [`check_inputs`], [`verify`] |
//! | errors | [`Error`] (typed, with [`Error::code`] and [`Error::line`]; [`Location`] is a line and column of a text file or a row and column letter of a sheet), [`ConfigError`] |
//!
//! ## The pipeline, one module per stage
//!
//! Modules depend on the ones before them only:
//! `model`, `geometry`, `text` → `io::read` → `projection` → `balance` → `center` →
//! `polygons` → `plan` → `sites` → `map` → `io::write` → `run`; the command line (`src/cli`)
//! sits on top and uses only this public API.
//!
//! ## Cargo features
//!
//! - `cli` (default): the `siting` binary (clap, indicatif, anyhow, clap_complete).
//! - `synth` (with `cli`): the synthetic household generator of `siting generate`,
//!   `siting::synth`.
//! - `test-utils`: helpers for tests and benches, `siting::test_utils`.
//! - `proj`: projected input (`--crs EPSG:…`) through the PROJ C library.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod balance;
mod center;
mod config;
mod error;
mod geometry;
mod io;
pub mod lang;
mod map;
mod model;
mod network;
mod plan;
mod polygons;
mod projection;
mod run;
mod schedule;
mod sites;
mod spatial;
#[cfg(feature = "synth")]
pub mod synth;
#[cfg(feature = "test-utils")]
pub mod test_utils;
pub mod text;

pub use center::DistanceStats;
pub use config::{AwardRule, Objective, PlanConfig};
pub use error::{
    ConfigError, CoordinateProblem, Error, HeaderProblem, IdProblem, Location, NumberField,
    NumberProblem, PreviousPlanProblem, Result, SummaryProblem, TermDifference, ValueProblem,
};
pub use io::read::applicants::{MAX_CENTERS, MAX_PROPOSALS, read_applicants, read_applicants_file};
pub use io::read::csv::{InputDigest, ReadOptions};
pub use io::read::households::{MAX_ID_BYTES, MAX_WEIGHT, read_households, read_households_file};
pub use io::read::plan_folder::read_previous_plan;
pub use io::read::previous::{read_centers, read_previous_files};
pub use io::write::folder::{PlanFolder, WriteOptions};
pub use io::write::geojson::{write_catchments, write_centers, write_proposals};
pub use io::write::report::{ReportOptions, write_report};
pub use io::write::summary::{Audit, summary_json, write_summary};
pub use io::write::tables::{write_applicants, write_assignments, write_rejected};
pub use map::{MapOptions, write_map_svg};
pub use model::{
    Applicant, Applicants, Household, Households, LonLat, Part, Proposal, Rejected, Shape,
};
pub use network::{Assignment, CenterStatus, ExistingCenter, Previous, Sizing};
pub use plan::{
    Catchment, CatchmentChange, Change, Churn, Metrics, Move, MoveReason, Oversupply, Plan,
    Planner, Progress, RegionBounds, RegionPlan, Replan, Warning, plan,
};
pub use projection::{AzimuthalEquidistant, Projection, applicants_to_lonlat, to_lonlat};
pub use run::check::{Inspection, RegionProfile, check_inputs};
pub use run::job::{Job, JobOutput, Stage, today};
pub use run::verify::{FileStatus, InputCheck, Overrides, Verification, verify};
pub use sites::{
    Access, ApplicantResult, Award, AwardTotals, Outcome, Placement, ProposalStatus,
    ScoredProposal, SitePlan,
};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
