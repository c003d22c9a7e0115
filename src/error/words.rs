//! The words of the errors: every [`Error`], [`ConfigError`] and [`Location`] rendered in a
//! [`Lang`] from the message catalogues (`locales/<lang>/errors.ftl`, ids `error-…`). The
//! English `Display` of each type is its [`Lang::En`] rendering, so the catalogue is the
//! only copy of the text.
//!
//! Figures (lines, rows, counts) are written in the language's digits; names, paths, ids
//! and sheet names are inserted as they are (and isolated in Persian, so that they keep
//! their own order inside right-to-left text). Free-text details that a reader builds as it
//! finds a problem (`message`, `what`, `first`) and the operating system's message for an
//! unknown kind of I/O error are inserted as they are.

use std::fmt;
use std::path::Path;

use super::{ConfigError, CoordinateProblem, Error, IdProblem, Location, NumberProblem};
use crate::lang::{Args, Lang};

/// A path as a message shows it.
fn path(p: &Path) -> String {
    p.display().to_string()
}

/// A figure (a line number, a count written without separators) in `lang`'s digits.
fn fig(lang: Lang, n: impl fmt::Display) -> String {
    lang.digits(&n.to_string())
}

/// `"yes"` when `location` is in a sheet, for the messages' choice of "row" or "line".
fn in_sheet(location: &Location) -> &'static str {
    if location.sheet.is_some() {
        "yes"
    } else {
        "no"
    }
}

/// Names quoted and listed: `'a', 'b'` / `«a»، «b»`.
fn quoted(lang: Lang, names: &[String]) -> String {
    let items: Vec<String> = names
        .iter()
        .map(|n| lang.format("error-quoted", &Args::new().text("name", n.as_str())))
        .collect();
    lang.list(&items)
}

/// "region 'X'", or "the file" for the unnamed region of a file planned whole.
pub(crate) fn region_label(lang: Lang, name: &str) -> String {
    if name.is_empty() {
        lang.tr("error-region-whole")
    } else {
        lang.format("error-region", &Args::new().text("name", name))
    }
}

/// What a column holds (`"longitude"`, `"site 2 latitude"`) in `lang`; a description the
/// catalogue does not know is kept as it is.
pub(crate) fn column_what(lang: Lang, what: &str) -> String {
    let id = match what {
        "longitude" => "error-column-longitude",
        "latitude" => "error-column-latitude",
        "household id" => "error-column-household-id",
        "household count" => "error-column-household-count",
        "applicant id" => "error-column-applicant-id",
        "score" => "error-column-score",
        "eligible" => "error-column-eligible",
        "max_centers" => "error-column-max-centers",
        "preference" => "error-column-preference",
        "center id" => "error-column-center-id",
        "status" => "error-column-status",
        "region" => "error-column-region",
        "region (--by)" => "error-column-region-by",
        _ => {
            let site = |axis: &str| {
                what.strip_prefix("site ")
                    .and_then(|rest| rest.strip_suffix(axis))
                    .and_then(|n| n.trim().parse::<u64>().ok())
            };
            return if let Some(n) = site(" longitude") {
                lang.format(
                    "error-column-site-longitude",
                    &Args::new().text("site", fig(lang, n)),
                )
            } else if let Some(n) = site(" latitude") {
                lang.format(
                    "error-column-site-latitude",
                    &Args::new().text("site", fig(lang, n)),
                )
            } else {
                what.to_string()
            };
        }
    };
    lang.tr(id)
}

/// What an I/O operation was doing (`"reading"`), in `lang`.
fn action(lang: Lang, action: &str) -> String {
    let id = match action {
        "reading" => "error-action-reading",
        "writing" => "error-action-writing",
        "creating" => "error-action-creating",
        "opening" => "error-action-opening",
        "recording" => "error-action-recording",
        "preparing" => "error-action-preparing",
        "creating a temporary folder in" => "error-action-creating-temporary-in",
        "creating a temporary folder" => "error-action-creating-temporary",
        "moving the previous plan from" => "error-action-moving-previous-from",
        "moving the new plan to" => "error-action-moving-new-to",
        other => return other.to_string(),
    };
    lang.tr(id)
}

/// The operating system's error: its own words in English, the catalogue's for the common
/// kinds in other languages (the system's words otherwise).
fn os_error(lang: Lang, error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    if lang == Lang::En {
        return error.to_string();
    }
    let id = match error.kind() {
        ErrorKind::NotFound => "error-os-not-found",
        ErrorKind::PermissionDenied => "error-os-permission-denied",
        ErrorKind::AlreadyExists => "error-os-already-exists",
        ErrorKind::NotADirectory => "error-os-not-a-directory",
        ErrorKind::IsADirectory => "error-os-is-a-directory",
        ErrorKind::StorageFull => "error-os-storage-full",
        ErrorKind::ReadOnlyFilesystem => "error-os-read-only",
        ErrorKind::DirectoryNotEmpty => "error-os-directory-not-empty",
        _ => return error.to_string(),
    };
    lang.tr(id)
}

impl Location {
    /// Where the value is, in `lang`: `households.csv:12:3 (record 11, column 'lat')` /
    /// `households.csv، خط ۱۲، ستون ۳ (ردیف دادهٔ ۱۱، ستون «lat»)`, or in a sheet
    /// `households.xlsx: sheet 'households', row 12, column C ('lat')`. The English form
    /// is the `Display`.
    ///
    /// ```
    /// use siting::{lang::Lang, Location};
    /// let at = Location {
    ///     path: "households.csv".into(),
    ///     line: 12,
    ///     record: 11,
    ///     column: Some(3),
    ///     ..Default::default()
    /// };
    /// assert_eq!(at.message(Lang::En), "households.csv:12:3 (record 11)");
    /// assert!(at.message(Lang::Fa).contains("خط \u{2068}۱۲\u{2069}"));
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        let name = self.column_name.as_deref().map(|n| n.to_string());
        if let Some(sheet) = &self.sheet {
            let args = Args::new()
                .text("path", path(&self.path))
                .text("sheet", sheet.as_str())
                .text("row", fig(lang, self.line));
            return match (self.column_letters(), name) {
                (None, _) => lang.format("error-at-sheet", &args),
                (Some(letters), None) => {
                    lang.format("error-at-sheet-column", &args.text("letters", letters))
                }
                (Some(letters), Some(name)) => lang.format(
                    "error-at-sheet-column-name",
                    &args.text("letters", letters).text("name", name),
                ),
            };
        }
        let args = Args::new()
            .text("path", path(&self.path))
            .text("line", fig(lang, self.line))
            .text("record", fig(lang, self.record));
        match (self.column, name) {
            (None, None) => lang.format("error-at-line", &args),
            (None, Some(name)) => lang.format("error-at-line-name", &args.text("name", name)),
            (Some(c), None) => {
                lang.format("error-at-line-column", &args.text("column", fig(lang, c)))
            }
            (Some(c), Some(name)) => lang.format(
                "error-at-line-column-name",
                &args.text("column", fig(lang, c)).text("name", name),
            ),
        }
    }

    /// What [`Location::line`] counts, in `lang`: a row in a sheet, a line in a text file.
    ///
    /// ```
    /// use siting::{lang::Lang, Location};
    /// assert_eq!(Location::default().line_word(Lang::En), "line");
    /// assert_eq!(Location::default().line_word(Lang::Fa), "خط");
    /// ```
    pub fn line_word(&self, lang: Lang) -> String {
        lang.format(
            "error-line-noun",
            &Args::new().text("sheet", in_sheet(self)),
        )
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl Error {
    /// The message in `lang`. [`Lang::En`] gives the `Display` text; [`Lang::Fa`] the same
    /// facts in Persian, with Persian digits and every name, path and id isolated.
    /// Free-text details found while reading (the `message` of [`Error::InvalidValue`],
    /// for example) are inserted as they are.
    ///
    /// ```
    /// use siting::{lang::Lang, Error};
    /// let err = Error::TooFewCatchments { catchments: 2, regions: 3 };
    /// assert_eq!(err.message(Lang::En), err.to_string());
    /// assert!(err.message(Lang::Fa).contains("حوزه"));
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        let at = |location: &Location| location.message(lang);
        match self {
            Error::Io {
                action: what,
                path: p,
                error,
            } => lang.format(
                "error-io",
                &Args::new()
                    .text("action", action(lang, what))
                    .text("path", path(p))
                    .text("error", os_error(lang, error)),
            ),
            Error::Csv { location, message } => lang.format(
                "error-csv",
                &Args::new()
                    .text("location", at(location))
                    .text("message", message.as_str()),
            ),
            Error::RowWidth {
                location,
                fields,
                header,
                multiline,
            } => lang.format(
                if *multiline {
                    "error-row-width-multiline"
                } else {
                    "error-row-width"
                },
                &Args::new()
                    .text("location", at(location))
                    .text("fields", fig(lang, fields))
                    .text("header", fig(lang, header)),
            ),
            Error::MissingColumn {
                path: p,
                what,
                expected,
                found,
            } => lang.format(
                "error-missing-column",
                &Args::new()
                    .text("path", path(p))
                    .text("what", column_what(lang, what))
                    .text("expected", expected.as_str())
                    .text("found", found.as_str()),
            ),
            Error::DuplicateColumn {
                path: p,
                what,
                first,
                second,
            } => lang.format(
                "error-duplicate-column",
                &Args::new()
                    .text("path", path(p))
                    .text("what", column_what(lang, what))
                    .text("first", first.as_str())
                    .text("second", second.as_str()),
            ),
            Error::InvalidValue { location, message } => lang.format(
                "error-invalid-value",
                &Args::new()
                    .text("location", at(location))
                    .text("message", message.as_str()),
            ),
            Error::InvalidNumber { location, field } => lang.format(
                "error-invalid-number",
                &Args::new()
                    .text("location", at(location))
                    .text("what", column_what(lang, field.what))
                    .text("text", field.text.as_str())
                    .text("problem", field.problem.message(lang)),
            ),
            Error::InvalidId { location, problem } => match problem {
                IdProblem::HouseholdEmpty => lang.format(
                    "error-household-id-empty",
                    &Args::new().text("location", at(location)),
                ),
                IdProblem::HouseholdTooLong { bytes, max } => lang.format(
                    "error-household-id-too-long",
                    &Args::new()
                        .text("location", at(location))
                        .text("bytes", fig(lang, bytes))
                        .text("max", fig(lang, max)),
                ),
                IdProblem::ApplicantEmpty => lang.format(
                    "error-applicant-id-empty",
                    &Args::new().text("location", at(location)),
                ),
            },
            Error::InvalidCoordinate {
                location,
                lon,
                lat,
                problem,
            } => lang.format(
                match problem {
                    CoordinateProblem::BothZero => "error-coordinate-both-zero",
                    CoordinateProblem::Swapped => "error-coordinate-swapped",
                    CoordinateProblem::Latitude => "error-coordinate-latitude",
                    CoordinateProblem::Longitude => "error-coordinate-longitude",
                },
                &Args::new()
                    .text("location", at(location))
                    .text("lon", fig(lang, lon))
                    .text("lat", fig(lang, lat)),
            ),
            Error::NotUtf8 {
                location,
                windows_1256,
            } => match windows_1256 {
                Some(text) => lang.format(
                    "error-not-utf8-windows-1256",
                    &Args::new()
                        .text("location", at(location))
                        .text("text", text.as_str()),
                ),
                None => lang.format(
                    "error-not-utf8",
                    &Args::new().text("location", at(location)),
                ),
            },
            Error::NoSuchSheet {
                path: p,
                sheet,
                sheets,
            } => {
                let args = Args::new()
                    .text("path", path(p))
                    .text("sheet", sheet.as_str());
                if sheets.is_empty() {
                    lang.format("error-no-such-sheet-text-file", &args)
                } else {
                    lang.format(
                        "error-no-such-sheet",
                        &args.text("sheets", quoted(lang, sheets)),
                    )
                }
            }
            Error::Spreadsheet { path: p, message } => lang.format(
                "error-spreadsheet",
                &Args::new()
                    .text("path", path(p))
                    .text("message", message.as_str()),
            ),
            Error::InSheet {
                sheet,
                header_row,
                first_column,
                other_sheets,
                error,
            } => {
                let message = in_sheet_message(lang, sheet, *header_row, *first_column, error);
                if other_sheets.is_empty() {
                    message
                } else {
                    lang.format(
                        "error-in-first-sheet",
                        &Args::new()
                            .text("message", message)
                            .text("sheets", quoted(lang, other_sheets)),
                    )
                }
            }
            Error::HeaderNotFirst {
                path: p,
                sheet,
                header_row,
                found,
                first_row,
                above,
            } => lang.format(
                "error-header-not-first",
                &Args::new()
                    .text("path", path(p))
                    .text("sheet", sheet.as_str())
                    .text("header_row", fig(lang, header_row))
                    .text("found", found.as_str())
                    .text("first_row", fig(lang, first_row))
                    .text("above", above.as_str()),
            ),
            Error::MergedCells {
                path: p,
                sheet,
                cells,
                row,
                in_header,
            } => lang.format(
                if *in_header {
                    "error-merged-header-cells"
                } else {
                    "error-merged-cells"
                },
                &Args::new()
                    .text("path", path(p))
                    .text("sheet", sheet.as_str())
                    .text("row", fig(lang, row))
                    .text("cells", cells.as_str()),
            ),
            Error::Empty { path: p } => {
                lang.format("error-empty", &Args::new().text("path", path(p)))
            }
            Error::NothingValid {
                path: p,
                rejected,
                first,
            } => lang.format(
                "error-nothing-valid",
                &Args::new()
                    .text("path", path(p))
                    .text("rejected", fig(lang, rejected))
                    .text("first", first.as_str()),
            ),
            Error::DuplicateId {
                location,
                id,
                first_line,
            } => lang.format(
                "error-duplicate-id",
                &Args::new()
                    .text("location", at(location))
                    .text("id", id.as_str())
                    .text("sheet", in_sheet(location))
                    .text("first_line", fig(lang, first_line)),
            ),
            Error::DuplicateCenter {
                location,
                id,
                first_line,
            } => lang.format(
                "error-duplicate-center",
                &Args::new()
                    .text("location", at(location))
                    .text("id", id.as_str())
                    .text("first_line", fig(lang, first_line)),
            ),
            Error::UnknownCenter {
                location,
                id,
                centers,
            } => lang.format(
                "error-unknown-center",
                &Args::new()
                    .text("location", at(location))
                    .text("id", id.to_string())
                    .text("centers", path(centers)),
            ),
            Error::CenterOutsideRegions {
                path: p,
                line,
                id,
                region,
                known,
            } => lang.format(
                "error-center-outside-regions",
                &Args::new()
                    .text("path", path(p))
                    .text("line", fig(lang, line))
                    .text("id", id.to_string())
                    .text("region", region.to_string())
                    .text("known", known.to_string()),
            ),
            Error::PreviousPlan { path: p, what } => lang.format(
                "error-previous-plan",
                &Args::new()
                    .text("path", path(p))
                    .text("what", what.as_str()),
            ),
            Error::PreviousParameters {
                path: p,
                parameter,
                previous,
                given,
            } => lang.format(
                "error-previous-parameters",
                &Args::new()
                    .text("path", path(p))
                    .text("parameter", *parameter)
                    .text("previous", previous.as_str())
                    .text("given", given.as_str()),
            ),
            Error::InvalidHeader {
                path: p,
                column,
                name,
                message,
            } => lang.format(
                "error-invalid-header",
                &Args::new()
                    .text("path", path(p))
                    .text("column", fig(lang, column))
                    .text("name", name.as_str())
                    .text("message", message.as_str()),
            ),
            Error::DuplicatePreference {
                location,
                applicant,
                preference,
                first_line,
                identical,
            } => lang.format(
                if *identical {
                    "error-duplicate-row"
                } else {
                    "error-duplicate-preference"
                },
                &Args::new()
                    .text("location", at(location))
                    .text("applicant", applicant.as_str())
                    .text("preference", fig(lang, preference))
                    .text("sheet", in_sheet(location))
                    .text("first_line", fig(lang, first_line)),
            ),
            Error::TooManyProposals {
                location,
                applicant,
                count,
                first_line,
            } => lang.format(
                "error-too-many-proposals",
                &Args::new()
                    .text("location", at(location))
                    .text("applicant", applicant.as_str())
                    .text("count", fig(lang, count))
                    .text("sheet", in_sheet(location))
                    .text("first_line", fig(lang, first_line)),
            ),
            Error::DuplicateApplicant {
                location,
                applicant,
                first_line,
            } => lang.format(
                "error-duplicate-applicant",
                &Args::new()
                    .text("location", at(location))
                    .text("applicant", applicant.as_str())
                    .text("sheet", in_sheet(location))
                    .text("first_line", fig(lang, first_line)),
            ),
            Error::InvalidConfig(c) => lang.format(
                "error-invalid-config",
                &Args::new().text("problem", c.message(lang)),
            ),
            Error::NoHouseholds => lang.tr("error-no-households"),
            Error::TooFewCatchments {
                catchments,
                regions,
            } => lang.format(
                "error-too-few-catchments",
                &Args::new()
                    .text("catchments", fig(lang, catchments))
                    .text("regions", fig(lang, regions)),
            ),
            Error::Infeasible {
                region,
                households,
                catchments,
                min,
                max,
            } => lang.format(
                "error-infeasible",
                &Args::new()
                    .text("region", region_label(lang, region))
                    .text("households", lang.count(*households))
                    .text("catchments", fig(lang, catchments))
                    .text("min", lang.count(*min))
                    .text("max", lang.count(*max)),
            ),
            Error::HeavyLocation {
                region,
                households,
                max,
            } => lang.format(
                "error-heavy-location",
                &Args::new()
                    .text("region", region_label(lang, region))
                    .text("households", lang.count(*households))
                    .text("max", lang.count(*max)),
            ),
            Error::TooFewLocations {
                region,
                catchments,
                locations,
            } => lang.format(
                "error-too-few-locations",
                &Args::new()
                    .text("region", region_label(lang, region))
                    .text("catchments", fig(lang, catchments))
                    .text("locations", fig(lang, locations)),
            ),
            Error::PlanMismatch { planned, given } => lang.format(
                "error-plan-mismatch",
                &Args::new()
                    .text("planned", fig(lang, planned))
                    .text("given", fig(lang, given)),
            ),
            Error::RecordedInputMissing {
                summary,
                path: p,
                error,
                ..
            } => lang.format(
                if p.is_relative() {
                    "error-recorded-input-relative"
                } else {
                    "error-recorded-input-absolute"
                },
                &Args::new()
                    .text("path", path(p))
                    .text("error", os_error(lang, error))
                    .text("summary", path(summary)),
            ),
            Error::InvalidSummary { path: p, what } => lang.format(
                "error-invalid-summary",
                &Args::new()
                    .text("path", path(p))
                    .text("what", what.as_str()),
            ),
            Error::ProjUnavailable { crs } => lang.format(
                "error-proj-unavailable",
                &Args::new().text("crs", crs.as_str()),
            ),
            Error::Projection { crs, message } => lang.format(
                "error-projection",
                &Args::new()
                    .text("crs", crs.as_str())
                    .text("message", message.as_str()),
            ),
            Error::OutputNotAPlan { path: p } => lang.format(
                "error-output-not-a-plan",
                &Args::new().text("path", path(p)),
            ),
        }
    }
}

impl Error {
    /// The operating system's words for the I/O error this error carries
    /// ([`Error::Io`], [`Error::RecordedInputMissing`]), in `lang`: the system's own in
    /// English, the catalogue's for the common kinds (file not found, permission denied,
    /// …) in other languages. `None` for the other variants.
    ///
    /// ```
    /// use siting::{lang::Lang, Error};
    /// let err = Error::Io {
    ///     action: "reading",
    ///     path: "households.csv".into(),
    ///     error: std::io::ErrorKind::NotFound.into(),
    /// };
    /// assert_eq!(err.os_message(Lang::En).as_deref(), Some("entity not found"));
    /// assert_eq!(err.os_message(Lang::Fa).as_deref(), Some("چنین پرونده یا پوشه‌ای وجود ندارد"));
    /// assert_eq!(Error::NoHouseholds.os_message(Lang::En), None);
    /// ```
    pub fn os_message(&self, lang: Lang) -> Option<String> {
        match self {
            Error::Io { error, .. } | Error::RecordedInputMissing { error, .. } => {
                Some(os_error(lang, error))
            }
            _ => None,
        }
    }
}

/// The message of [`Error::InSheet`] (without its note on the other sheets): `error`'s,
/// placed in the sheet.
fn in_sheet_message(
    lang: Lang,
    sheet: &str,
    header_row: u64,
    first_column: usize,
    error: &Error,
) -> String {
    let place = |p: &Path| {
        Args::new()
            .text("path", path(p))
            .text("sheet", sheet.to_string())
            .text("row", fig(lang, header_row))
    };
    match error {
        Error::MissingColumn {
            path: p,
            what,
            expected,
            found,
        } => lang.format(
            "error-in-sheet-missing-column",
            &place(p)
                .text("what", column_what(lang, what))
                .text("expected", expected.as_str())
                .text("found", found.as_str()),
        ),
        Error::DuplicateColumn {
            path: p,
            what,
            first,
            second,
        } => lang.format(
            "error-in-sheet-duplicate-column",
            &place(p)
                .text("what", column_what(lang, what))
                .text("first", first.as_str())
                .text("second", second.as_str()),
        ),
        Error::InvalidHeader {
            path: p,
            column,
            name,
            message,
        } => lang.format(
            "error-in-sheet-invalid-header",
            &place(p)
                .text(
                    "letters",
                    crate::text::column_letters(first_column + column - 1),
                )
                .text("name", name.as_str())
                .text("message", message.as_str()),
        ),
        Error::Empty { path: p } if header_row == 0 => {
            lang.format("error-in-sheet-empty", &place(p))
        }
        Error::Empty { path: p } => lang.format("error-in-sheet-no-data", &place(p)),
        Error::NothingValid {
            path: p,
            rejected,
            first,
        } => lang.format(
            "error-in-sheet-nothing-valid",
            &place(p)
                .text("rejected", fig(lang, rejected))
                .text("first", first.as_str()),
        ),
        other => other.message(lang),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Error {}

impl ConfigError {
    /// The problem in `lang`; [`Lang::En`] gives the `Display` text.
    ///
    /// ```
    /// use siting::{lang::Lang, ConfigError};
    /// let err = ConfigError::SizeBounds { min: 500, max: 400 };
    /// assert_eq!(err.message(Lang::En), err.to_string());
    /// assert!(err.message(Lang::Fa).contains("۵۰۰"));
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        let value = |v: &f64| Args::new().text("value", fig(lang, v));
        let metres = |v: &f64| Args::new().text("metres", fig(lang, v));
        match self {
            ConfigError::TargetSize => lang.tr("error-config-target-size"),
            ConfigError::Tolerance { value: v } => lang.format("error-config-tolerance", &value(v)),
            ConfigError::Catchments => lang.tr("error-config-catchments"),
            ConfigError::SizeBounds { min, max } => lang.format(
                "error-config-size-bounds",
                &Args::new()
                    .text("min", fig(lang, min))
                    .text("max", fig(lang, max)),
            ),
            ConfigError::MaxSize => lang.tr("error-config-max-size"),
            ConfigError::MaxIterations => lang.tr("error-config-max-iterations"),
            ConfigError::Restarts => lang.tr("error-config-restarts"),
            ConfigError::EnvelopeBuffer { metres: m } => {
                lang.format("error-config-envelope-buffer", &metres(m))
            }
            ConfigError::SiteReach { metres: m } => {
                lang.format("error-config-site-reach", &metres(m))
            }
            ConfigError::MinEfficiency { value: v } => {
                lang.format("error-config-min-efficiency", &value(v))
            }
            ConfigError::Stickiness { value: v } => {
                lang.format("error-config-stickiness", &value(v))
            }
            ConfigError::AccessRadii { radii } => lang.format(
                "error-config-access-radii",
                &Args::new().text("radii", radii_list(lang, radii)),
            ),
            ConfigError::Encoding { label } => lang.format(
                "error-config-encoding",
                &Args::new().text("label", label.as_str()),
            ),
            ConfigError::AwardRule { name } => lang.format(
                "error-config-award-rule",
                &Args::new().text("name", name.as_str()),
            ),
            ConfigError::MapWidth { px, min_px } => lang.format(
                "error-config-map-width",
                &Args::new()
                    .text("px", fig(lang, px))
                    .text("min_px", fig(lang, min_px)),
            ),
            ConfigError::GenerateNone => lang.tr("error-config-generate-none"),
            ConfigError::UnknownProvince { name, known } => lang.format(
                "error-config-unknown-province",
                &Args::new()
                    .text("name", name.as_str())
                    .text("known", known.as_str()),
            ),
        }
    }
}

/// Access radii as given: `[1000.0, 3000.0]` in English (Rust's list), `۱۰۰۰، ۳۰۰۰` in
/// Persian.
pub(crate) fn radii_list(lang: Lang, radii: &[f64]) -> String {
    match lang {
        Lang::En => format!("{radii:?}"),
        _ => lang.list(&radii.iter().map(|r| fig(lang, r)).collect::<Vec<_>>()),
    }
}

impl NumberProblem {
    /// Why the field is not a number as wanted, in `lang`, as it follows the field's text:
    /// `is not a number` / `عدد نیست`. [`Lang::En`] gives the `Display` text.
    ///
    /// ```
    /// use siting::{lang::Lang, NumberProblem};
    /// assert_eq!(NumberProblem::NotANumber.message(Lang::En), "is not a number");
    /// assert_eq!(NumberProblem::NotANumber.message(Lang::Fa), "عدد نیست");
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        match self {
            NumberProblem::Empty => lang.tr("error-number-empty"),
            NumberProblem::NotANumber => lang.tr("error-number-not-a-number"),
            NumberProblem::NotFinite => lang.tr("error-number-not-finite"),
            NumberProblem::Separator => lang.tr("error-number-separator"),
            NumberProblem::Fractional => lang.tr("error-number-fractional"),
            NumberProblem::NotPositive => lang.tr("error-number-not-positive"),
            NumberProblem::TooLarge(max) => lang.format(
                "error-number-too-large",
                &Args::new().text("max", fig(lang, max)),
            ),
        }
    }
}

impl fmt::Display for NumberProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ConfigError {}
