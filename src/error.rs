//! The library's error type.
//!
//! Every variant carries the facts a planner needs to fix the problem: which file, which
//! line and column, what value was found and what was expected. Display messages are
//! lowercase, have no trailing period, and end with a remedy where there is one. A cause is
//! shown once: in the message or as `source()`, never both (a report of the whole chain
//! would print it twice).

use std::path::{Path, PathBuf};

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where a value came from in an input file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The file, or `<input>` when reading from a stream without a name.
    pub path: PathBuf,
    /// 1-based physical line number in the file.
    pub line: u64,
    /// 1-based data record number (the header is not counted).
    pub record: u64,
    /// 1-based column number, if the problem is in one field.
    pub column: Option<usize>,
    /// Column name from the header, if known.
    pub column_name: Option<Box<str>>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.line)?;
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        write!(f, " (record {}", self.record)?;
        if let Some(name) = &self.column_name {
            write!(f, ", column '{name}'")?;
        }
        write!(f, ")")
    }
}

/// Everything that can go wrong while reading, planning or writing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be opened, read or written.
    ///
    /// The operating system's message is part of this message, so `error` is not the
    /// `source()` (see the module docs).
    #[error("{action} {}: {error}", path.display())]
    Io {
        /// What was being done ("reading", "writing", "creating").
        action: &'static str,
        /// The file or folder concerned.
        path: PathBuf,
        /// The operating-system error.
        error: std::io::Error,
    },
    /// The CSV layer itself failed (malformed quoting, invalid UTF-8, uneven rows).
    #[error("{location}: {message}")]
    Csv {
        /// Where it happened.
        location: Location,
        /// What went wrong, in words.
        message: String,
    },
    /// The header lacks a required column.
    #[error("{}: no {what} column; expected one of {expected} in the header (found: {found})", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// What the column holds ("longitude").
        what: &'static str,
        /// Accepted names, comma separated.
        expected: String,
        /// The header as read.
        found: String,
    },
    /// The header names a column twice (for example both `lon` and `longitude`).
    #[error("{}:1: the header has two {what} columns ('{first}' and '{second}'); keep one", path.display())]
    DuplicateColumn {
        /// The file.
        path: PathBuf,
        /// What the columns hold.
        what: String,
        /// First name seen.
        first: String,
        /// Second name seen.
        second: String,
    },
    /// A field holds a value that is not allowed.
    #[error("{location}: {message}")]
    InvalidValue {
        /// Where it happened.
        location: Location,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The file has no data rows.
    #[error("{}: no data rows (the file is empty or has only a header)", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// With `--skip-invalid`, every data row was rejected.
    #[error(
        "{}: all {rejected} rows were rejected, nothing left to plan; the first: {first}",
        path.display()
    )]
    NothingValid {
        /// The file.
        path: PathBuf,
        /// Rows rejected.
        rejected: usize,
        /// The first row's reason.
        first: String,
    },
    /// Two rows carry the same household id.
    #[error(
        "{location}: household id '{id}' already appeared on line {first_line}; ids must be unique"
    )]
    DuplicateId {
        /// Where the second occurrence is.
        location: Location,
        /// The repeated id.
        id: String,
        /// Line of the first occurrence.
        first_line: u64,
    },
    /// Two rows of a centers file carry the same center id.
    #[error(
        "{location}: center id '{id}' already appeared on line {first_line}; each center must be listed once"
    )]
    DuplicateCenter {
        /// Where the second occurrence is.
        location: Location,
        /// The repeated id.
        id: String,
        /// Line of the first occurrence.
        first_line: u64,
    },
    /// A previous assignment names a center that the centers file does not list.
    #[error(
        "{location}: center '{id}' is not in {}; check the id, or add the center (with status closed if it no longer runs)",
        centers.display()
    )]
    UnknownCenter {
        /// Where the unknown id is.
        location: Location,
        /// The unknown center id.
        id: Box<str>,
        /// The centers file (or plan folder) that should list it.
        centers: Box<Path>,
    },
    /// A center's region is not a region of the households file.
    #[error(
        "{}:{line}: center '{id}' is in region '{region}', which has no households in this file (regions: {known}); check the region columns, or --by",
        path.display()
    )]
    CenterOutsideRegions {
        /// The centers file (or previous plan's catchments layer).
        path: PathBuf,
        /// The line (or feature number) of the center.
        line: u64,
        /// The center id.
        id: Box<str>,
        /// Its region as written.
        region: Box<str>,
        /// The households' regions, comma separated (the first few).
        known: Box<str>,
    },
    /// A previous plan folder cannot be used: missing, empty, or not written by siting.
    #[error("previous plan {}: {what}", path.display())]
    PreviousPlan {
        /// The folder (or the file in it that is wrong).
        path: PathBuf,
        /// What is wrong, and what to do.
        what: String,
    },
    /// A re-plan was asked with other regions than the previous plan was made with.
    #[error(
        "previous plan {} was planned with {parameter} {previous}, this run with {given}; re-plan with the same {parameter} (or plan from scratch)",
        path.display()
    )]
    PreviousParameters {
        /// The previous plan folder.
        path: PathBuf,
        /// The parameter (`--by`).
        parameter: &'static str,
        /// Its value in the previous plan.
        previous: String,
        /// Its value now.
        given: String,
    },
    /// A header cell is not allowed where it is (for example `site6_lon`: at most five
    /// sites per applicant).
    #[error("{}:1:{column} (header, column '{name}'): {message}", path.display())]
    InvalidHeader {
        /// The file.
        path: PathBuf,
        /// 1-based column number.
        column: usize,
        /// The column name as written.
        name: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// An applicant has two proposals with the same preference (or the same row twice).
    #[error("{location}: {}", duplicate_preference(.applicant, .preference, .first_line, .identical))]
    DuplicatePreference {
        /// Where the second proposal is.
        location: Location,
        /// The applicant's id.
        applicant: String,
        /// The repeated preference, 1 to 5.
        preference: u8,
        /// Line of the first proposal with this preference.
        first_line: u64,
        /// True when the second row repeats the first (same site and terms too).
        identical: bool,
    },
    /// An applicant has more than five proposals.
    #[error(
        "{location}: applicant '{applicant}' has more than 5 proposals (this is their row {count}; \
         the first is on line {first_line}); at most 5 are allowed, one for each preference 1 to 5: \
         remove the extra rows"
    )]
    TooManyProposals {
        /// Where the proposal over the limit is.
        location: Location,
        /// The applicant's id.
        applicant: String,
        /// Proposals of the applicant up to and including this one.
        count: usize,
        /// Line of the applicant's first row.
        first_line: u64,
    },
    /// In the wide applicants layout (one row per applicant), an applicant has two rows.
    #[error(
        "{location}: applicant '{applicant}' already has a row on line {first_line}; with site1_lon, \
         site1_lat, … columns each applicant has one row, so keep one of the two (was the form \
         submitted twice?)"
    )]
    DuplicateApplicant {
        /// Where the second row is.
        location: Location,
        /// The applicant's id.
        applicant: String,
        /// Line of the applicant's first row.
        first_line: u64,
    },
    /// A parameter is out of its range. The [`ConfigError`] is part of this message, so it
    /// is not the `source()` (see the module docs).
    #[error("invalid configuration: {0}")]
    InvalidConfig(ConfigError),
    /// There are no households to plan.
    #[error("no households to plan")]
    NoHouseholds,
    /// A fixed total of catchments is fewer than the regions, which need one each.
    #[error(
        "{catchments} catchments were asked for but there are {regions} regions; every region needs at least one"
    )]
    TooFewCatchments {
        /// Catchments asked for in all.
        catchments: usize,
        /// Regions in the file.
        regions: usize,
    },
    /// A region's households cannot form its catchments within the size bounds.
    #[error(
        "{}: {} households cannot form {catchments} catchments of {}–{} households; adjust the \
         target size, the size tolerance or the size bounds",
        region_label(region), thousands(*households), thousands(*min), thousands(*max)
    )]
    Infeasible {
        /// The region ("" for the whole file).
        region: String,
        /// Households in the region.
        households: u64,
        /// Catchments the region needs.
        catchments: usize,
        /// Smallest allowed catchment.
        min: u64,
        /// Largest allowed catchment.
        max: u64,
    },
    /// One location (rows at the same coordinates) holds more households than a catchment
    /// may.
    #[error(
        "{}: one location holds {} households (rows with the same coordinates count together), \
         more than the largest allowed catchment ({}); check the coordinates, or raise the size \
         bounds or the size tolerance",
        region_label(region), thousands(*households), thousands(*max)
    )]
    HeavyLocation {
        /// The region ("" for the whole file).
        region: String,
        /// Households at the location.
        households: u64,
        /// Largest allowed catchment.
        max: u64,
    },
    /// A region has fewer distinct household locations than catchments.
    #[error(
        "{}: {catchments} catchments requested but only {locations} distinct household locations",
        region_label(region)
    )]
    TooFewLocations {
        /// The region ("" for the whole file).
        region: String,
        /// Catchments the region needs.
        catchments: usize,
        /// Distinct household locations in the region.
        locations: usize,
    },
    /// Sites were to be awarded in a plan made from other households.
    #[error(
        "the plan was made from {planned} households rows but {given} were given; award sites \
         with the households the plan was made from"
    )]
    PlanMismatch {
        /// Rows the plan assigned.
        planned: usize,
        /// Rows given.
        given: usize,
    },
    /// An input that a plan folder's `summary.json` records cannot be opened (a plan being
    /// verified from another folder, or an input moved since).
    #[error("opening {}: {error}; {}", path.display(), recorded_input_hint(summary, path))]
    RecordedInputMissing {
        /// The `summary.json` that records the input.
        summary: PathBuf,
        /// The path as recorded.
        path: PathBuf,
        /// True when the plan had an applicants file too.
        with_applicants: bool,
        /// The operating-system error.
        error: std::io::Error,
    },
    /// A plan folder's `summary.json` is missing a part or is not a siting summary.
    #[error("{}: {what}; is this a plan folder written by siting?", path.display())]
    InvalidSummary {
        /// The `summary.json` file.
        path: PathBuf,
        /// What is wrong with it.
        what: String,
    },
    /// Input is in a projected CRS but the `proj` feature is not compiled in.
    #[error(
        "input in {crs} needs the 'proj' feature: rebuild with `cargo build --release --features proj` \
         (needs cmake and libsqlite3-dev), or convert the file to longitude/latitude (EPSG:4326)"
    )]
    ProjUnavailable {
        /// The requested CRS.
        crs: String,
    },
    /// The PROJ library rejected a CRS or a coordinate.
    #[error("projection {crs}: {message}")]
    Projection {
        /// The CRS involved.
        crs: String,
        /// What PROJ said.
        message: String,
    },
    /// The output folder exists and is not a siting plan.
    #[error(
        "{} exists and is not a siting plan (no summary.json); choose another output folder, or \
         replace it on purpose",
        path.display()
    )]
    OutputNotAPlan {
        /// The folder.
        path: PathBuf,
    },
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::InvalidConfig(e)
    }
}

/// A parameter out of its range: what was given and what is allowed. The command line
/// words each in terms of its own flags.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The target catchment size is 0.
    #[error("the target size must be at least 1 household")]
    TargetSize,
    /// The size tolerance is not a fraction in [0, 1).
    #[error("the size tolerance {value} must be a fraction in [0, 1), e.g. 0.1 for ±10 %")]
    Tolerance {
        /// The value given.
        value: f64,
    },
    /// A fixed catchment count of 0.
    #[error("the number of catchments must be at least 1")]
    Catchments,
    /// The smallest catchment size is larger than the largest.
    #[error("the smallest catchment size {min} is larger than the largest {max}")]
    SizeBounds {
        /// Smallest size given.
        min: u32,
        /// Largest size given.
        max: u32,
    },
    /// The largest catchment size is 0.
    #[error("the largest catchment size must be at least 1")]
    MaxSize,
    /// No balancing iterations allowed.
    #[error("max_iterations must be at least 1")]
    MaxIterations,
    /// No balancing starts allowed.
    #[error("restarts must be at least 1")]
    Restarts,
    /// The envelope buffer is not a positive distance.
    #[error("the envelope buffer {metres} m must be a positive number of metres")]
    EnvelopeBuffer {
        /// The value given, m.
        metres: f64,
    },
    /// The site reach is negative or not finite.
    #[error("the site reach {metres} m must be a distance of 0 m or more")]
    SiteReach {
        /// The value given, m.
        metres: f64,
    },
    /// The efficiency floor is outside [0, 1].
    #[error(
        "the minimum efficiency {value} must be in [0, 1] (1 = only sites as good as the ideal center)"
    )]
    MinEfficiency {
        /// The value given.
        value: f64,
    },
    /// The stickiness of a re-plan is negative or not a number.
    #[error(
        "stickiness must be a number at least 0 (0 = no preference for the previous catchment), got {value}"
    )]
    Stickiness {
        /// The value given.
        value: f64,
    },
    /// The access radii are not 1 to 8 positive distances.
    #[error(
        "the access radii {radii:?} must be 1 to 8 positive distances in metres, e.g. 1000, 3000"
    )]
    AccessRadii {
        /// The radii given, m.
        radii: Vec<f64>,
    },
    /// An award rule name that is not known.
    #[error("award rule '{name}': expected 'priority' or 'optimal'")]
    AwardRule {
        /// The name given.
        name: String,
    },
    /// A map narrower than the smallest legible width.
    #[error("the map must be at least {min_px} pixels wide (got {px})")]
    MapWidth {
        /// The width given.
        px: u32,
        /// The smallest width allowed.
        min_px: u32,
    },
    /// The generator was asked for no households.
    #[error("the number of households to generate must be at least 1")]
    GenerateNone,
    /// The generator does not know a province.
    #[error("unknown province '{name}'; known: {known}")]
    UnknownProvince {
        /// The name given.
        name: String,
        /// The known provinces, comma separated.
        known: String,
    },
}

/// Where the recorded path of [`Error::RecordedInputMissing`] is taken from, and what to do.
fn recorded_input_hint(summary: &std::path::Path, path: &std::path::Path) -> String {
    if path.is_relative() {
        format!(
            "{} records this path relative to the folder the plan was made in, and not which \
             folder that was: verify from there, or give the inputs' current paths",
            summary.display()
        )
    } else {
        format!(
            "{} records this path as it was when the plan was made (the file has moved or is \
             gone): give the inputs' current paths",
            summary.display()
        )
    }
}

/// "region 'X'", or "the file" for the unnamed region of a file planned whole.
fn region_label(name: &str) -> String {
    if name.is_empty() {
        "the file".to_string()
    } else {
        format!("region '{name}'")
    }
}

fn thousands(n: u64) -> String {
    crate::text::thousands(n)
}

/// The message of [`Error::DuplicatePreference`].
fn duplicate_preference(
    applicant: &str,
    preference: &u8,
    first_line: &u64,
    identical: &bool,
) -> String {
    if *identical {
        format!(
            "this row is a duplicate of line {first_line} (applicant '{applicant}', preference \
             {preference}, same site); delete one of the two rows"
        )
    } else {
        format!(
            "applicant '{applicant}' already has a proposal with preference {preference} on line \
             {first_line}; give each of an applicant's proposals a different preference from 1 to 5"
        )
    }
}

impl Error {
    /// A stable snake_case name for the kind of error (`invalid_value`, `missing_column`,
    /// …), for scripts and for `--json` output.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::Csv { .. } => "csv",
            Error::MissingColumn { .. } => "missing_column",
            Error::DuplicateColumn { .. } => "duplicate_column",
            Error::InvalidValue { .. } => "invalid_value",
            Error::Empty { .. } => "empty",
            Error::NothingValid { .. } => "nothing_valid",
            Error::DuplicateId { .. } => "duplicate_id",
            Error::DuplicateCenter { .. } => "duplicate_center",
            Error::UnknownCenter { .. } => "unknown_center",
            Error::CenterOutsideRegions { .. } => "center_outside_regions",
            Error::PreviousPlan { .. } => "previous_plan",
            Error::PreviousParameters { .. } => "previous_parameters",
            Error::InvalidHeader { .. } => "invalid_header",
            Error::DuplicatePreference { .. } => "duplicate_preference",
            Error::TooManyProposals { .. } => "too_many_proposals",
            Error::DuplicateApplicant { .. } => "duplicate_applicant",
            Error::InvalidConfig(_) => "invalid_config",
            Error::NoHouseholds => "no_households",
            Error::TooFewCatchments { .. } => "too_few_catchments",
            Error::Infeasible { .. } => "infeasible",
            Error::HeavyLocation { .. } => "heavy_location",
            Error::TooFewLocations { .. } => "too_few_locations",
            Error::PlanMismatch { .. } => "plan_mismatch",
            Error::RecordedInputMissing { .. } => "recorded_input_missing",
            Error::InvalidSummary { .. } => "invalid_summary",
            Error::ProjUnavailable { .. } => "proj_unavailable",
            Error::Projection { .. } => "projection",
            Error::OutputNotAPlan { .. } => "output_not_a_plan",
        }
    }

    /// The 1-based line the error points at, when it points at one.
    pub fn line(&self) -> Option<u64> {
        match self {
            Error::Csv { location, .. }
            | Error::InvalidValue { location, .. }
            | Error::DuplicateId { location, .. }
            | Error::DuplicateCenter { location, .. }
            | Error::UnknownCenter { location, .. }
            | Error::DuplicatePreference { location, .. }
            | Error::TooManyProposals { location, .. }
            | Error::DuplicateApplicant { location, .. } => Some(location.line),
            Error::InvalidHeader { .. } | Error::DuplicateColumn { .. } => Some(1),
            Error::CenterOutsideRegions { line, .. } => Some(*line),
            _ => None,
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        error: std::io::Error,
    ) -> Self {
        Error::Io {
            action,
            path: path.into(),
            error,
        }
    }
}
