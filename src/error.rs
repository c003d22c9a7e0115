//! The library's error type.
//!
//! Every variant carries the facts a planner needs to fix the problem: which file, which
//! line and column, what value was found and what was expected. Display messages are
//! lowercase, have no trailing period, and end with a remedy where there is one. A cause is
//! shown once: in the message or as `source()`, never both (a report of the whole chain
//! would print it twice).
//!
//! The words live in the message catalogues (`locales/<lang>/errors.ftl`), not here:
//! [`Error::message`] renders an error in a [`Lang`](crate::lang::Lang), and `Display` is
//! its English.

use std::path::{Path, PathBuf};

#[cfg(test)]
mod tests;
mod words;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where a value came from in an input file: a line of a text file, or a row of a
/// spreadsheet's sheet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The file, or `<input>` when reading from a stream without a name.
    pub path: PathBuf,
    /// 1-based physical line number in a text file, or row number in a sheet.
    pub line: u64,
    /// 1-based data record number (the header is not counted).
    pub record: u64,
    /// 1-based column number, if the problem is in one field: the field's position in a
    /// text file's row, or the sheet's column (A = 1) in a spreadsheet.
    pub column: Option<usize>,
    /// Column name from the header, if known.
    pub column_name: Option<Box<str>>,
    /// The sheet, when the file is a spreadsheet (`.xlsx`, `.xls`, `.ods`); shared by the
    /// locations in one sheet (and a thin pointer, which keeps [`Error`] small).
    pub sheet: Option<std::sync::Arc<String>>,
}

impl Location {
    /// The column as a spreadsheet names it (`C` for column 3), if the location has one.
    ///
    /// ```
    /// let at = siting::Location { column: Some(28), ..Default::default() };
    /// assert_eq!(at.column_letters().as_deref(), Some("AB"));
    /// ```
    pub fn column_letters(&self) -> Option<String> {
        self.column.map(crate::text::column_letters)
    }

    /// What [`Location::line`] counts: `"row"` in a sheet, `"line"` in a text file.
    pub fn line_noun(&self) -> &'static str {
        if self.sheet.is_some() { "row" } else { "line" }
    }
}

/// Everything that can go wrong while reading, planning or writing.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be opened, read or written.
    ///
    /// The operating system's message is part of this message, so `error` is not the
    /// `source()` (see the module docs).
    Io {
        /// What was being done ("reading", "writing", "creating").
        action: &'static str,
        /// The file or folder concerned.
        path: PathBuf,
        /// The operating-system error.
        error: std::io::Error,
    },
    /// The CSV layer itself failed (malformed quoting, invalid UTF-8, uneven rows).
    Csv {
        /// Where it happened.
        location: Location,
        /// What went wrong, in words.
        message: String,
    },
    /// A row has more or fewer fields than the header (code `csv`, as the other problems
    /// of a text file's layout).
    RowWidth {
        /// Where the row is.
        location: Location,
        /// Fields in the row.
        fields: usize,
        /// Columns in the header.
        header: usize,
        /// True when a field of the row holds a line break: a closing quote is likely
        /// missing.
        multiline: bool,
    },
    /// The header lacks a required column.
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
    InvalidValue {
        /// Where it happened.
        location: Location,
        /// What is wrong (boxed, which keeps [`Error`] small).
        problem: Box<ValueProblem>,
    },
    /// A field that should hold a number does not (empty, not a number, NaN, …).
    InvalidNumber {
        /// Where it is.
        location: Location,
        /// The field: what it holds, its text and what is wrong with it (boxed, which
        /// keeps [`Error`] small).
        field: Box<NumberField>,
    },
    /// An id field that is empty, or too long to be an id.
    InvalidId {
        /// Where it is.
        location: Location,
        /// What is wrong.
        problem: IdProblem,
    },
    /// A longitude/latitude pair that cannot be a place: out of range, or both 0.
    InvalidCoordinate {
        /// Where the wrong value is.
        location: Location,
        /// The longitude read.
        lon: f64,
        /// The latitude read.
        lat: f64,
        /// What is wrong.
        problem: CoordinateProblem,
    },
    /// A text cell is not valid UTF-8 (and no other encoding was named).
    NotUtf8 {
        /// Where it happened (the header is line 1, record 0).
        location: Location,
        /// The cell read as Windows-1256, when that reads as Persian or Arabic text: the
        /// file is then most likely a CSV saved by an older Persian Excel.
        windows_1256: Option<String>,
    },
    /// A spreadsheet has no sheet of the name asked for, or a sheet was asked of a text
    /// file.
    NoSuchSheet {
        /// The file.
        path: PathBuf,
        /// The sheet asked for.
        sheet: String,
        /// The workbook's sheets, in order; empty when the file is a text (CSV) file.
        sheets: Vec<String>,
    },
    /// A file that should be a spreadsheet cannot be read as one (damaged, password
    /// protected, a zip archive of something else), or a spreadsheet was given where only
    /// text is read.
    Spreadsheet {
        /// The file.
        path: PathBuf,
        /// What it is and what went wrong.
        message: String,
    },
    /// A problem with a sheet's table as a whole (its header, or no data rows), placed in
    /// the sheet: `error` is what the same table gives as a CSV file
    /// ([`Error::MissingColumn`], [`Error::DuplicateColumn`], [`Error::InvalidHeader`],
    /// [`Error::Empty`] or [`Error::NothingValid`]). [`Error::code`] is `error`'s.
    InSheet {
        /// The sheet.
        sheet: String,
        /// The header's row in the sheet, 1-based (0 when the sheet is empty).
        header_row: u64,
        /// The header's first column in the sheet, 1-based (A = 1).
        first_column: usize,
        /// The workbook's other sheets, when this one was read for being the first (no
        /// sheet was named): the table may be on one of them.
        other_sheets: Vec<String>,
        /// The error as for a CSV file.
        error: Box<Error>,
    },
    /// In a sheet, the header is below other rows (a title): the table must start with
    /// its header.
    HeaderNotFirst {
        /// The file.
        path: PathBuf,
        /// The sheet.
        sheet: String,
        /// The row that holds the header.
        header_row: u64,
        /// The header's cells there, comma separated.
        found: String,
        /// The first row with anything in it.
        first_row: u64,
        /// That row's cells, comma separated.
        above: String,
    },
    /// A sheet has merged cells in its table; only the first cell of a merged range keeps
    /// a value.
    MergedCells {
        /// The file.
        path: PathBuf,
        /// The sheet.
        sheet: String,
        /// The merged range, e.g. `B1:C1`.
        cells: String,
        /// The merged range's first row.
        row: u64,
        /// True when the range is in the header row.
        in_header: bool,
    },
    /// The file has no data rows.
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// With `--skip-invalid`, every data row was rejected.
    NothingValid {
        /// The file.
        path: PathBuf,
        /// Rows rejected.
        rejected: usize,
        /// The first row's reason.
        first: String,
    },
    /// Two rows carry the same household id.
    DuplicateId {
        /// Where the second occurrence is.
        location: Location,
        /// The repeated id.
        id: String,
        /// Line of the first occurrence.
        first_line: u64,
    },
    /// Two rows of a centers file carry the same center id.
    DuplicateCenter {
        /// Where the second occurrence is.
        location: Location,
        /// The repeated id.
        id: String,
        /// Line of the first occurrence.
        first_line: u64,
    },
    /// A previous assignment names a center that the centers file does not list.
    UnknownCenter {
        /// Where the unknown id is.
        location: Location,
        /// The unknown center id.
        id: Box<str>,
        /// The centers file (or plan folder) that should list it.
        centers: Box<Path>,
    },
    /// A center's region is not a region of the households file.
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
    PreviousPlan {
        /// The folder (or the file in it that is wrong).
        path: PathBuf,
        /// What is wrong (worded with what to do).
        problem: PreviousPlanProblem,
    },
    /// A re-plan was asked with other regions than the previous plan was made with.
    PreviousParameters {
        /// The previous plan folder.
        path: PathBuf,
        /// The parameter (`--by`).
        parameter: &'static str,
        /// Its value in the previous plan (empty: the parameter was not given).
        previous: String,
        /// Its value now (empty: not given).
        given: String,
    },
    /// A header cell is not allowed where it is (for example `site6_lon`: at most five
    /// sites per applicant).
    InvalidHeader {
        /// The file.
        path: PathBuf,
        /// 1-based column number.
        column: usize,
        /// The column name as written.
        name: String,
        /// What is wrong (worded with what to do).
        problem: HeaderProblem,
    },
    /// An applicant has two proposals with the same preference (or the same row twice).
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
    TooManyProposals {
        /// Where the proposal over the limit is.
        location: Location,
        /// The applicant's id.
        applicant: String,
        /// Proposals of the applicant up to and including this one.
        count: u32,
        /// Line of the applicant's first row.
        first_line: u64,
    },
    /// In the wide applicants layout (one row per applicant), an applicant has two rows.
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
    InvalidConfig(ConfigError),
    /// There are no households to plan.
    NoHouseholds,
    /// A fixed total of catchments is fewer than the regions, which need one each.
    TooFewCatchments {
        /// Catchments asked for in all.
        catchments: usize,
        /// Regions in the file.
        regions: usize,
    },
    /// A region's households cannot form its catchments within the size bounds.
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
    HeavyLocation {
        /// The region ("" for the whole file).
        region: String,
        /// Households at the location.
        households: u64,
        /// Largest allowed catchment.
        max: u64,
    },
    /// A region has fewer distinct household locations than catchments.
    TooFewLocations {
        /// The region ("" for the whole file).
        region: String,
        /// Catchments the region needs.
        catchments: usize,
        /// Distinct household locations in the region.
        locations: usize,
    },
    /// Sites were to be awarded in a plan made from other households.
    PlanMismatch {
        /// Rows the plan assigned.
        planned: usize,
        /// Rows given.
        given: usize,
    },
    /// An input that a plan folder's `summary.json` records cannot be opened (a plan being
    /// verified from another folder, or an input moved since).
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
    InvalidSummary {
        /// The `summary.json` file.
        path: PathBuf,
        /// What is wrong with it.
        problem: SummaryProblem,
    },
    /// Input is in a projected CRS but the `proj` feature is not compiled in.
    ProjUnavailable {
        /// The requested CRS.
        crs: String,
    },
    /// The PROJ library rejected a CRS or a coordinate.
    Projection {
        /// The CRS involved.
        crs: String,
        /// What PROJ said.
        message: String,
    },
    /// The output folder exists and is not a siting plan.
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

/// A field of [`Error::InvalidNumber`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberField {
    /// What the column holds, as the readers name it (`"longitude"`, `"household count"`).
    pub what: &'static str,
    /// The field's text, trimmed.
    pub text: String,
    /// Why it is not a number as wanted.
    pub problem: NumberProblem,
}

/// Why a field could not be read as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NumberProblem {
    /// The field is empty.
    Empty,
    /// Not a number at all.
    NotANumber,
    /// NaN or infinity.
    NotFinite,
    /// Uses a comma or Arabic thousands separator, which is ambiguous in a coordinate.
    Separator,
    /// Has a fractional part where a whole number is required.
    Fractional,
    /// Negative or zero where at least 1 is required.
    NotPositive,
    /// Larger than the allowed maximum.
    TooLarge(u64),
}

/// What is wrong with a value ([`Error::InvalidValue`]). Each is worded with what to do.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ValueProblem {
    /// An applicant's coordinate cell is empty.
    Empty {
        /// What the column holds (`"longitude"`, `"latitude"`).
        what: &'static str,
    },
    /// An id of the centers file or of the previous assignments is empty.
    EmptyId {
        /// What the column holds (`"center id"`, `"household id"`).
        what: &'static str,
    },
    /// A preference that is not a whole number from 1 to `max`.
    Preference {
        /// The cell's text, trimmed.
        text: String,
        /// Why it is not a preference.
        problem: NumberProblem,
        /// The largest preference.
        max: usize,
    },
    /// A score that is not a number.
    Score {
        /// The cell's text, trimmed.
        text: String,
        /// Why it is not a number.
        problem: NumberProblem,
    },
    /// An `eligible` cell that is not one of the accepted yes/no values.
    Eligible {
        /// The cell's text, trimmed.
        text: String,
    },
    /// A `max_centers` that is not a whole number from 1 to `max`.
    MaxCenters {
        /// The cell's text, trimmed.
        text: String,
        /// Why it is not a number of centers.
        problem: NumberProblem,
        /// The largest allowed.
        max: u64,
    },
    /// A row of an applicant gives other terms than the applicant's first row.
    TermsDiffer {
        /// The applicant's id.
        applicant: String,
        /// The line (row) of the applicant's first row.
        first_line: u64,
        /// The term that differs, with both values.
        difference: TermDifference,
    },
    /// A site of the wide layout has a longitude but no latitude.
    SiteLatitudeEmpty {
        /// The site's number, 1 to 5.
        site: u8,
    },
    /// A site of the wide layout has a latitude but no longitude.
    SiteLongitudeEmpty {
        /// The site's number, 1 to 5.
        site: u8,
    },
    /// A center's status is not one of `open`, `vacant`, `closed`.
    Status {
        /// The cell's text, trimmed.
        text: String,
    },
    /// A spreadsheet cell holds a date where a number or text is expected.
    Date {
        /// The date as the spreadsheet shows it.
        shown: String,
    },
    /// A spreadsheet cell holds a formula error.
    FormulaError {
        /// The error, such as `#REF!`.
        code: String,
    },
}

/// A term on which two rows of one applicant differ ([`ValueProblem::TermsDiffer`]): its
/// value on this row and on the applicant's first row.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum TermDifference {
    /// The score (`None`: empty).
    Score {
        /// On this row.
        here: Option<f64>,
        /// On the first row.
        first: Option<f64>,
    },
    /// Whether eligible.
    Eligible {
        /// On this row.
        here: bool,
        /// On the first row.
        first: bool,
    },
    /// The most centers the applicant may be awarded.
    MaxCenters {
        /// On this row.
        here: u32,
        /// On the first row.
        first: u32,
    },
}

/// What is wrong with an id ([`Error::InvalidId`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdProblem {
    /// A household's id is empty.
    HouseholdEmpty,
    /// A household's id is longer than an id may be: quotes that do not match run rows
    /// together.
    HouseholdTooLong {
        /// Its length, bytes.
        bytes: usize,
        /// The longest allowed, bytes.
        max: usize,
    },
    /// An applicant's id is empty.
    ApplicantEmpty,
}

/// What is wrong with a longitude/latitude pair ([`Error::InvalidCoordinate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CoordinateProblem {
    /// Both are 0: usually empty cells exported as zero.
    BothZero,
    /// The latitude is out of range but the longitude would fit: columns swapped?
    Swapped,
    /// The latitude is outside [-90, 90].
    Latitude,
    /// The longitude is outside [-180, 180].
    Longitude,
}

/// Why a previous plan cannot be used ([`Error::PreviousPlan`]). Each is worded with what
/// to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PreviousPlanProblem {
    /// The plan folder does not exist.
    NoFolder,
    /// `summary.json` was not written by siting.
    NotSiting,
    /// A file of the plan (`summary.json`, a GeoJSON layer) is missing.
    FileMissing,
    /// The plan's private `assignments.csv` is missing.
    AssignmentsMissing,
    /// A JSON file of the plan does not parse.
    NotJson {
        /// The JSON parser's words, as they are.
        detail: String,
    },
    /// A layer is not a GeoJSON feature collection.
    NotFeatures,
    /// The catchments layer has no catchments.
    NoCatchments,
    /// A feature of the catchments layer lacks its id or its center.
    FeatureIncomplete {
        /// The feature's number, 1-based.
        feature: usize,
    },
    /// The options name no single source of the previous network (a plan folder, or a
    /// centers file with previous assignments).
    Sources,
}

/// Why a plan folder's `summary.json` is not a siting summary ([`Error::InvalidSummary`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SummaryProblem {
    /// It is not JSON.
    NotJson {
        /// The JSON parser's words, as they are.
        detail: String,
    },
    /// It has no `"tool": "siting"`.
    NotSiting,
    /// Its parameters cannot be read as a job.
    Parameters {
        /// The JSON reader's words, as they are.
        detail: String,
    },
}

/// Why a header cell is not allowed where it is ([`Error::InvalidHeader`]). Each is worded
/// with what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderProblem {
    /// A preference column (the long layout) beside site columns (the wide layout).
    PreferenceWithSites {
        /// A site column of the header, as written.
        site_column: String,
    },
    /// A site column numbered 0.
    SiteZero {
        /// The largest site number.
        max: usize,
    },
    /// A site column numbered above the most proposals an applicant may make.
    SiteOverMax {
        /// The largest site number.
        max: usize,
    },
}

/// A parameter out of its range: what was given and what is allowed. The command line
/// words each in terms of its own flags.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The target catchment size is 0.
    TargetSize,
    /// The size tolerance is not a fraction in [0, 1).
    Tolerance {
        /// The value given.
        value: f64,
    },
    /// A fixed catchment count of 0.
    Catchments,
    /// The smallest catchment size is larger than the largest.
    SizeBounds {
        /// Smallest size given.
        min: u32,
        /// Largest size given.
        max: u32,
    },
    /// The largest catchment size is 0.
    MaxSize,
    /// No balancing iterations allowed.
    MaxIterations,
    /// No balancing starts allowed.
    Restarts,
    /// The envelope buffer is not a positive distance.
    EnvelopeBuffer {
        /// The value given, m.
        metres: f64,
    },
    /// The site reach is negative or not finite.
    SiteReach {
        /// The value given, m.
        metres: f64,
    },
    /// The efficiency floor is outside [0, 1].
    MinEfficiency {
        /// The value given.
        value: f64,
    },
    /// The stickiness of a re-plan is negative or not a number.
    Stickiness {
        /// The value given.
        value: f64,
    },
    /// The access radii are not 1 to 8 positive distances.
    AccessRadii {
        /// The radii given, m.
        radii: Vec<f64>,
    },
    /// A text encoding label that is not known.
    Encoding {
        /// The label given.
        label: String,
    },
    /// An award rule name that is not known.
    AwardRule {
        /// The name given.
        name: String,
    },
    /// An objective name that is not known.
    Objective {
        /// The name given.
        name: String,
    },
    /// The effort of the improvement moves is not a number in [0, 1000].
    Effort {
        /// The value given.
        value: f64,
    },
    /// A map narrower than the smallest legible width.
    MapWidth {
        /// The width given.
        px: u32,
        /// The smallest width allowed.
        min_px: u32,
    },
    /// The generator was asked for no households.
    GenerateNone,
    /// The generator does not know a province.
    UnknownProvince {
        /// The name given.
        name: String,
        /// The known provinces, comma separated.
        known: String,
    },
}

impl Error {
    /// A stable snake_case name for the kind of error (`invalid_value`, `missing_column`,
    /// …), for scripts and for `--json` output.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::Csv { .. } | Error::RowWidth { .. } => "csv",
            Error::MissingColumn { .. } => "missing_column",
            Error::DuplicateColumn { .. } => "duplicate_column",
            Error::InvalidValue { .. }
            | Error::InvalidNumber { .. }
            | Error::InvalidId { .. }
            | Error::InvalidCoordinate { .. } => "invalid_value",
            Error::NotUtf8 { .. } => "not_utf8",
            Error::NoSuchSheet { .. } => "no_such_sheet",
            Error::Spreadsheet { .. } => "spreadsheet",
            Error::InSheet { error, .. } => error.code(),
            Error::HeaderNotFirst { .. } => "header_not_first",
            Error::MergedCells { .. } => "merged_cells",
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

    /// The 1-based line the error points at (the row, in a spreadsheet), when it points at
    /// one.
    pub fn line(&self) -> Option<u64> {
        match self {
            Error::Csv { location, .. }
            | Error::RowWidth { location, .. }
            | Error::InvalidValue { location, .. }
            | Error::InvalidNumber { location, .. }
            | Error::InvalidId { location, .. }
            | Error::InvalidCoordinate { location, .. }
            | Error::DuplicateId { location, .. }
            | Error::DuplicateCenter { location, .. }
            | Error::UnknownCenter { location, .. }
            | Error::DuplicatePreference { location, .. }
            | Error::TooManyProposals { location, .. }
            | Error::DuplicateApplicant { location, .. }
            | Error::NotUtf8 { location, .. } => Some(location.line),
            Error::InvalidHeader { .. } | Error::DuplicateColumn { .. } => Some(1),
            Error::CenterOutsideRegions { line, .. } => Some(*line),
            Error::InSheet {
                error, header_row, ..
            } => error.line().map(|_| *header_row),
            Error::HeaderNotFirst { header_row, .. } => Some(*header_row),
            Error::MergedCells { row, .. } => Some(*row),
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
