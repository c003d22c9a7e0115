//! The words of the errors: every [`Error`], [`ConfigError`] and [`Location`] rendered in a
//! [`Lang`] from the message catalogues (`locales/<lang>/errors.ftl`, ids `error-…`). The
//! English `Display` of each type is its [`Lang::En`] rendering, so the catalogue is the
//! only copy of the text.
//!
//! Figures (lines, rows, counts) are written in the language's digits; names, paths, ids
//! and sheet names are inserted as they are (and isolated in Persian, so that they keep
//! their own order inside right-to-left text). Free-text details (`message`, `what`,
//! `first`, a parser's words such as a JSON `detail`) and the operating system's message
//! for an unknown kind of I/O error are inserted as they are.
//!
//! Each error is a catalogue id with its arguments ([`Error::message_args`]), worded by the
//! function of its family (files, columns, fields, sheets, repeated rows, re-plans,
//! planning); the command line words some of them again, with its flags, from the same
//! arguments.

use std::fmt;
use std::path::Path;

use super::{
    ConfigError, CoordinateProblem, Error, HeaderProblem, IdProblem, Location, NumberProblem,
    PreviousPlanProblem, SummaryProblem, TermDifference, ValueProblem,
};
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

/// The arguments `location`, in `lang`.
fn at(lang: Lang, location: &Location) -> Args<'static> {
    Args::new().text("location", location.message(lang))
}

/// The argument `path`.
fn file(p: &Path) -> Args<'static> {
    Args::new().text("path", path(p))
}

/// The arguments of a row that repeats an earlier one: where it is, whether that is in a
/// sheet (for "row" or "line") and the earlier row's line.
fn repeat(lang: Lang, location: &Location, first_line: u64) -> Args<'static> {
    at(lang, location)
        .text("sheet", in_sheet(location))
        .text("first_line", fig(lang, first_line))
}

/// [`repeat`]'s arguments for a row of `applicant`.
fn by_applicant(
    lang: Lang,
    location: &Location,
    first_line: u64,
    applicant: &str,
) -> Args<'static> {
    repeat(lang, location, first_line).text("applicant", applicant.to_string())
}

/// A message: its catalogue id and its arguments.
type Parts = (&'static str, Args<'static>);

impl Error {
    /// The message in `lang`. [`Lang::En`] gives the `Display` text; [`Lang::Fa`] the same
    /// facts in Persian, with Persian digits and every name, path and id isolated.
    /// Free-text details found while reading (the `message` of [`Error::Csv`], for
    /// example) are inserted as they are.
    ///
    /// ```
    /// use siting::{lang::Lang, Error};
    /// let err = Error::TooFewCatchments { catchments: 2, regions: 3 };
    /// assert_eq!(err.message(Lang::En), err.to_string());
    /// assert!(err.message(Lang::Fa).contains("حوزه"));
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        let (id, args) = self.parts(lang);
        lang.format(id, &args)
    }

    /// The arguments of [`Error::message`] in `lang` (figures in its digits, names as
    /// written), for wording the same facts with another catalogue message: the command
    /// line names the flags that fix an error this way.
    ///
    /// ```
    /// use siting::{lang::Lang, Error};
    /// let err = Error::TooFewCatchments { catchments: 2, regions: 3 };
    /// let args = err.message_args(Lang::En);
    /// assert_eq!(Lang::En.format("error-too-few-catchments", &args), err.to_string());
    /// ```
    pub fn message_args(&self, lang: Lang) -> Args<'static> {
        self.parts(lang).1
    }

    /// The catalogue id and arguments of the message, from the family of the error.
    fn parts(&self, lang: Lang) -> Parts {
        let parts = match self {
            Error::Io { .. }
            | Error::Csv { .. }
            | Error::RowWidth { .. }
            | Error::NotUtf8 { .. }
            | Error::Empty { .. }
            | Error::NothingValid { .. }
            | Error::OutputNotAPlan { .. } => file_parts(self, lang),
            Error::MissingColumn { .. }
            | Error::DuplicateColumn { .. }
            | Error::InvalidHeader { .. } => column_parts(self, lang),
            Error::InvalidValue { .. }
            | Error::InvalidNumber { .. }
            | Error::InvalidId { .. }
            | Error::InvalidCoordinate { .. } => field_parts(self, lang),
            Error::NoSuchSheet { .. }
            | Error::Spreadsheet { .. }
            | Error::InSheet { .. }
            | Error::HeaderNotFirst { .. }
            | Error::MergedCells { .. } => sheet_parts(self, lang),
            Error::DuplicateId { .. }
            | Error::DuplicateCenter { .. }
            | Error::DuplicatePreference { .. }
            | Error::TooManyProposals { .. }
            | Error::DuplicateApplicant { .. } => repeat_parts(self, lang),
            Error::UnknownCenter { .. }
            | Error::CenterOutsideRegions { .. }
            | Error::PreviousPlan { .. }
            | Error::PreviousParameters { .. }
            | Error::PlanMismatch { .. }
            | Error::RecordedInputMissing { .. }
            | Error::InvalidSummary { .. } => replan_parts(self, lang),
            Error::InvalidConfig(_)
            | Error::NoHouseholds
            | Error::TooFewCatchments { .. }
            | Error::Infeasible { .. }
            | Error::HeavyLocation { .. }
            | Error::TooFewLocations { .. }
            | Error::ProjUnavailable { .. }
            | Error::Projection { .. } => planning_parts(self, lang),
        };
        parts.expect("invariant: each family words every variant sent to it")
    }
}

/// Files as a whole and their layout: I/O, CSV, widths, encodings, no rows.
fn file_parts(error: &Error, lang: Lang) -> Option<Parts> {
    Some(match error {
        Error::Io {
            action: what,
            path: p,
            error,
        } => (
            "error-io",
            file(p)
                .text("action", action(lang, what))
                .text("error", os_error(lang, error)),
        ),
        Error::Csv { location, message } => (
            "error-csv",
            at(lang, location).text("message", message.as_str()),
        ),
        Error::RowWidth {
            location,
            fields,
            header,
            multiline,
        } => (
            if *multiline {
                "error-row-width-multiline"
            } else {
                "error-row-width"
            },
            at(lang, location)
                .text("fields", fig(lang, fields))
                .text("header", fig(lang, header)),
        ),
        Error::NotUtf8 {
            location,
            windows_1256: Some(text),
        } => (
            "error-not-utf8-windows-1256",
            at(lang, location).text("text", text.as_str()),
        ),
        Error::NotUtf8 { location, .. } => ("error-not-utf8", at(lang, location)),
        Error::Empty { path: p } => ("error-empty", file(p)),
        Error::NothingValid {
            path: p,
            rejected,
            first,
        } => (
            "error-nothing-valid",
            file(p)
                .text("rejected", fig(lang, rejected))
                .text("first", first.as_str()),
        ),
        Error::OutputNotAPlan { path: p } => ("error-output-not-a-plan", file(p)),
        _ => return None,
    })
}

/// The header: a column missing, twice, or not allowed.
fn column_parts(error: &Error, lang: Lang) -> Option<Parts> {
    Some(match error {
        Error::MissingColumn {
            path: p,
            what,
            expected,
            found,
        } => (
            "error-missing-column",
            file(p)
                .text("what", column_what(lang, what))
                .text("expected", expected.as_str())
                .text("found", found.as_str()),
        ),
        Error::DuplicateColumn {
            path: p,
            what,
            first,
            second,
        } => (
            "error-duplicate-column",
            file(p)
                .text("what", column_what(lang, what))
                .text("first", first.as_str())
                .text("second", second.as_str()),
        ),
        Error::InvalidHeader {
            path: p,
            column,
            name,
            problem,
        } => (
            "error-invalid-header",
            file(p)
                .text("column", fig(lang, column))
                .text("name", name.as_str())
                .text("problem", problem.message(lang)),
        ),
        _ => return None,
    })
}

/// One field of a row: a value, a number, an id or a coordinate that is not allowed.
fn field_parts(error: &Error, lang: Lang) -> Option<Parts> {
    Some(match error {
        Error::InvalidValue { location, problem } => {
            let (id, args) = value_parts(problem, lang);
            let args = args
                .text("location", location.message(lang))
                .text("sheet", in_sheet(location));
            (id, args)
        }
        Error::InvalidNumber { location, field } => (
            "error-invalid-number",
            at(lang, location)
                .text("what", column_what(lang, field.what))
                .text("text", field.text.as_str())
                .text("problem", field.problem.message(lang)),
        ),
        Error::InvalidId { location, problem } => match problem {
            IdProblem::HouseholdEmpty => ("error-household-id-empty", at(lang, location)),
            IdProblem::HouseholdTooLong { bytes, max } => (
                "error-household-id-too-long",
                at(lang, location)
                    .text("bytes", fig(lang, bytes))
                    .text("max", fig(lang, max)),
            ),
            IdProblem::ApplicantEmpty => ("error-applicant-id-empty", at(lang, location)),
        },
        Error::InvalidCoordinate {
            location,
            lon,
            lat,
            problem,
        } => (
            match problem {
                CoordinateProblem::BothZero => "error-coordinate-both-zero",
                CoordinateProblem::Swapped => "error-coordinate-swapped",
                CoordinateProblem::Latitude => "error-coordinate-latitude",
                CoordinateProblem::Longitude => "error-coordinate-longitude",
            },
            at(lang, location)
                .text("lon", fig(lang, lon))
                .text("lat", fig(lang, lat)),
        ),
        _ => return None,
    })
}

/// A value that is not allowed ([`Error::InvalidValue`]), without its location.
fn value_parts(problem: &ValueProblem, lang: Lang) -> Parts {
    let what = |what: &str| Args::new().text("what", column_what(lang, what));
    let text = |text: &str| Args::new().text("text", text.to_string());
    match problem {
        ValueProblem::Empty { what: w } => ("error-value-empty", what(w)),
        ValueProblem::EmptyId { what: w } => ("error-value-empty-id", what(w)),
        ValueProblem::Preference { text, problem, max } => (
            "error-value-preference",
            Args::new()
                .text("field", field(lang, "preference", text, *problem))
                .text("max", fig(lang, max)),
        ),
        ValueProblem::Score { text, problem } => (
            "error-value-score",
            Args::new().text("field", field(lang, "score", text, *problem)),
        ),
        ValueProblem::Eligible { text: t } => (
            "error-value-eligible",
            text(t).text("values", lang.tr("error-eligible-values")),
        ),
        ValueProblem::MaxCenters { text, problem, max } => (
            if *problem == NumberProblem::NotPositive {
                "error-value-max-centers-zero"
            } else {
                "error-value-max-centers"
            },
            Args::new()
                .text("field", field(lang, "max_centers", text, *problem))
                .text("max", fig(lang, max)),
        ),
        ValueProblem::TermsDiffer {
            applicant,
            first_line,
            difference,
        } => (
            "error-value-terms-differ",
            terms_args(lang, applicant, *first_line, difference),
        ),
        ValueProblem::SiteLatitudeEmpty { site } => (
            "error-value-site-latitude-empty",
            Args::new().text("site", fig(lang, site)),
        ),
        ValueProblem::SiteLongitudeEmpty { site } => (
            "error-value-site-longitude-empty",
            Args::new().text("site", fig(lang, site)),
        ),
        ValueProblem::Status { text: t } => ("error-value-status", text(t)),
        ValueProblem::Date { shown } => (
            "error-value-date",
            Args::new().text("shown", shown.as_str()),
        ),
        ValueProblem::FormulaError { code } => (
            "error-value-formula-error",
            Args::new().text("code", code.as_str()),
        ),
    }
}

/// A field that is not a number as wanted, as a message about it begins: `score 'high' is
/// not a number`, or `preference is empty`.
fn field(lang: Lang, what: &str, text: &str, problem: NumberProblem) -> String {
    let args = Args::new().text("what", column_what(lang, what));
    if problem == NumberProblem::Empty {
        return lang.format("error-field-empty", &args);
    }
    lang.format(
        "error-field-not-number",
        &args
            .text("text", text.to_string())
            .text("problem", problem.message(lang)),
    )
}

/// The arguments of [`ValueProblem::TermsDiffer`].
fn terms_args(
    lang: Lang,
    applicant: &str,
    first_line: u64,
    difference: &TermDifference,
) -> Args<'static> {
    let (term, here, first) = term_values(lang, difference);
    Args::new()
        .text("applicant", applicant.to_string())
        .text("first_line", fig(lang, first_line))
        .text("what", column_what(lang, term))
        .text("here", here)
        .text("first", first)
}

/// The term that differs (as [`column_what`] knows it) and its two values, in `lang`.
fn term_values(lang: Lang, difference: &TermDifference) -> (&'static str, String, String) {
    let score = |s: &Option<f64>| match s {
        Some(v) => fig(lang, v),
        None => lang.tr("error-term-empty"),
    };
    let yes_no = |b: &bool| {
        lang.tr(if *b {
            "error-term-true"
        } else {
            "error-term-false"
        })
    };
    match difference {
        TermDifference::Score { here, first } => ("score", score(here), score(first)),
        TermDifference::Eligible { here, first } => ("eligible", yes_no(here), yes_no(first)),
        TermDifference::MaxCenters { here, first } => {
            ("max_centers", fig(lang, here), fig(lang, first))
        }
    }
}

/// Workbooks and their sheets.
fn sheet_parts(error: &Error, lang: Lang) -> Option<Parts> {
    Some(match error {
        Error::NoSuchSheet {
            path: p,
            sheet,
            sheets,
        } if sheets.is_empty() => (
            "error-no-such-sheet-text-file",
            file(p).text("sheet", sheet.as_str()),
        ),
        Error::NoSuchSheet {
            path: p,
            sheet,
            sheets,
        } => (
            "error-no-such-sheet",
            file(p)
                .text("sheet", sheet.as_str())
                .text("sheets", quoted(lang, sheets)),
        ),
        Error::Spreadsheet { path: p, message } => (
            "error-spreadsheet",
            file(p).text("message", message.as_str()),
        ),
        Error::InSheet {
            sheet,
            header_row,
            first_column,
            other_sheets,
            error,
        } => {
            let (id, args) = in_sheet_parts(lang, sheet, *header_row, *first_column, error);
            if other_sheets.is_empty() {
                return Some((id, args));
            }
            (
                "error-in-first-sheet",
                Args::new()
                    .text("message", lang.format(id, &args))
                    .text("sheets", quoted(lang, other_sheets)),
            )
        }
        _ => return layout_parts(error, lang),
    })
}

/// A sheet whose table is not laid out as a table: a title above the header, merged cells.
fn layout_parts(error: &Error, lang: Lang) -> Option<Parts> {
    Some(match error {
        Error::HeaderNotFirst {
            path: p,
            sheet,
            header_row,
            found,
            first_row,
            above,
        } => (
            "error-header-not-first",
            file(p)
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
        } => (
            if *in_header {
                "error-merged-header-cells"
            } else {
                "error-merged-cells"
            },
            file(p)
                .text("sheet", sheet.as_str())
                .text("row", fig(lang, row))
                .text("cells", cells.as_str()),
        ),
        _ => return None,
    })
}

/// The message of [`Error::InSheet`] (without its note on the other sheets): the table's
/// error `inner`, placed in `sheet`. Its arguments are `inner`'s with the sheet and the
/// header's row (and a column's letters).
fn in_sheet_parts(
    lang: Lang,
    sheet: &str,
    header_row: u64,
    first_column: usize,
    inner: &Error,
) -> Parts {
    let id = match inner {
        Error::MissingColumn { .. } => "error-in-sheet-missing-column",
        Error::DuplicateColumn { .. } => "error-in-sheet-duplicate-column",
        Error::InvalidHeader { .. } => "error-in-sheet-invalid-header",
        Error::Empty { .. } if header_row == 0 => "error-in-sheet-empty",
        Error::Empty { .. } => "error-in-sheet-no-data",
        Error::NothingValid { .. } => "error-in-sheet-nothing-valid",
        other => return other.parts(lang),
    };
    let mut args = inner
        .message_args(lang)
        .text("sheet", sheet.to_string())
        .text("row", fig(lang, header_row));
    if let Error::InvalidHeader { column, .. } = inner {
        let letters = crate::text::column_letters(first_column + column - 1);
        args = args.text("letters", letters);
    }
    (id, args)
}

/// Rows that repeat an earlier row: ids, centers, applicants and their proposals.
fn repeat_parts(error: &Error, lang: Lang) -> Option<Parts> {
    Some(match error {
        Error::DuplicateId {
            location,
            id,
            first_line,
        } => (
            "error-duplicate-id",
            repeat(lang, location, *first_line).text("id", id.as_str()),
        ),
        Error::DuplicateCenter {
            location,
            id,
            first_line,
        } => (
            "error-duplicate-center",
            repeat(lang, location, *first_line).text("id", id.as_str()),
        ),
        Error::DuplicatePreference {
            location,
            applicant,
            preference,
            first_line,
            identical,
        } => (
            if *identical {
                "error-duplicate-row"
            } else {
                "error-duplicate-preference"
            },
            by_applicant(lang, location, *first_line, applicant)
                .text("preference", fig(lang, preference)),
        ),
        Error::TooManyProposals {
            location,
            applicant,
            count,
            first_line,
        } => (
            "error-too-many-proposals",
            by_applicant(lang, location, *first_line, applicant).text("count", fig(lang, count)),
        ),
        Error::DuplicateApplicant {
            location,
            applicant,
            first_line,
        } => (
            "error-duplicate-applicant",
            by_applicant(lang, location, *first_line, applicant),
        ),
        _ => return None,
    })
}

/// A re-plan's previous network, and a plan folder's record of its inputs.
fn replan_parts(error: &Error, lang: Lang) -> Option<Parts> {
    Some(match error {
        Error::UnknownCenter {
            location,
            id,
            centers,
        } => (
            "error-unknown-center",
            at(lang, location)
                .text("id", id.to_string())
                .text("centers", path(centers)),
        ),
        Error::CenterOutsideRegions {
            path: p,
            line,
            id,
            region,
            known,
        } => (
            "error-center-outside-regions",
            file(p)
                .text("line", fig(lang, line))
                .text("id", id.to_string())
                .text("region", region.to_string())
                .text("known", known.to_string()),
        ),
        Error::PreviousPlan { path: p, problem } => (
            "error-previous-plan",
            file(p).text("problem", problem.message(lang)),
        ),
        Error::PreviousParameters {
            path: p,
            parameter,
            previous,
            given,
        } => {
            let setting = |value: &str| {
                let args = Args::new().text("parameter", *parameter);
                if value.is_empty() {
                    lang.format("error-parameter-absent", &args)
                } else {
                    lang.format("error-parameter-value", &args.text("value", value))
                }
            };
            (
                "error-previous-parameters",
                file(p)
                    .text("parameter", *parameter)
                    .text("previous", setting(previous))
                    .text("given", setting(given)),
            )
        }
        _ => return recorded_parts(error, lang),
    })
}

/// A plan folder's record of its inputs, and a plan used with other households.
fn recorded_parts(error: &Error, lang: Lang) -> Option<Parts> {
    Some(match error {
        Error::PlanMismatch { planned, given } => (
            "error-plan-mismatch",
            Args::new()
                .text("planned", fig(lang, planned))
                .text("given", fig(lang, given)),
        ),
        Error::RecordedInputMissing {
            summary,
            path: p,
            error,
            ..
        } => (
            if p.is_relative() {
                "error-recorded-input-relative"
            } else {
                "error-recorded-input-absolute"
            },
            file(p)
                .text("error", os_error(lang, error))
                .text("summary", path(summary)),
        ),
        Error::InvalidSummary { path: p, problem } => (
            "error-invalid-summary",
            file(p).text("problem", problem.message(lang)),
        ),
        _ => return None,
    })
}

/// Planning: parameters, regions that cannot be planned, projections.
fn planning_parts(error: &Error, lang: Lang) -> Option<Parts> {
    let region = |name: &str| Args::new().text("region", region_label(lang, name));
    Some(match error {
        Error::InvalidConfig(c) => (
            "error-invalid-config",
            Args::new().text("problem", c.message(lang)),
        ),
        Error::NoHouseholds => ("error-no-households", Args::new()),
        Error::TooFewCatchments {
            catchments,
            regions,
        } => (
            "error-too-few-catchments",
            Args::new()
                .text("catchments", fig(lang, catchments))
                .text("regions", fig(lang, regions)),
        ),
        Error::Infeasible {
            region: name,
            households,
            catchments,
            min,
            max,
        } => (
            "error-infeasible",
            region(name)
                .text("households", lang.count(*households))
                .text("catchments", fig(lang, catchments))
                .text("min", lang.count(*min))
                .text("max", lang.count(*max)),
        ),
        Error::HeavyLocation {
            region: name,
            households,
            max,
        } => (
            "error-heavy-location",
            region(name)
                .text("households", lang.count(*households))
                .text("max", lang.count(*max)),
        ),
        Error::TooFewLocations {
            region: name,
            catchments,
            locations,
        } => (
            "error-too-few-locations",
            region(name)
                .text("catchments", fig(lang, catchments))
                .text("locations", fig(lang, locations)),
        ),
        _ => return projection_parts(error),
    })
}

/// Projected coordinates.
fn projection_parts(error: &Error) -> Option<Parts> {
    Some(match error {
        Error::ProjUnavailable { crs } => (
            "error-proj-unavailable",
            Args::new().text("crs", crs.as_str()),
        ),
        Error::Projection { crs, message } => (
            "error-projection",
            Args::new()
                .text("crs", crs.as_str())
                .text("message", message.as_str()),
        ),
        _ => return None,
    })
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
        let (id, args) = self.parts(lang);
        lang.format(id, &args)
    }

    /// The arguments of [`ConfigError::message`] in `lang`, for wording the same problem
    /// with another catalogue message (the command line's, which names the flag).
    ///
    /// ```
    /// use siting::{lang::Lang, ConfigError};
    /// let args = ConfigError::Tolerance { value: 1.5 }.message_args(Lang::Fa);
    /// assert!(Lang::Fa.format("error-config-tolerance", &args).contains("۱٫۵"));
    /// ```
    pub fn message_args(&self, lang: Lang) -> Args<'static> {
        self.parts(lang).1
    }

    /// The catalogue id and arguments of the message.
    fn parts(&self, lang: Lang) -> Parts {
        let value = |v: &f64| Args::new().text("value", fig(lang, v));
        let metres = |v: &f64| Args::new().text("metres", fig(lang, v));
        let name = |n: &str| Args::new().text("name", n.to_string());
        match self {
            ConfigError::TargetSize => ("error-config-target-size", Args::new()),
            ConfigError::Tolerance { value: v } => ("error-config-tolerance", value(v)),
            ConfigError::Catchments => ("error-config-catchments", Args::new()),
            ConfigError::SizeBounds { min, max } => (
                "error-config-size-bounds",
                Args::new()
                    .text("min", fig(lang, min))
                    .text("max", fig(lang, max)),
            ),
            ConfigError::MaxSize => ("error-config-max-size", Args::new()),
            ConfigError::MaxIterations => ("error-config-max-iterations", Args::new()),
            ConfigError::Restarts => ("error-config-restarts", Args::new()),
            ConfigError::EnvelopeBuffer { metres: m } => {
                ("error-config-envelope-buffer", metres(m))
            }
            ConfigError::SiteReach { metres: m } => ("error-config-site-reach", metres(m)),
            ConfigError::MinEfficiency { value: v } => ("error-config-min-efficiency", value(v)),
            ConfigError::Stickiness { value: v } => ("error-config-stickiness", value(v)),
            ConfigError::AccessRadii { radii } => (
                "error-config-access-radii",
                Args::new().text("radii", radii_list(lang, radii)),
            ),
            ConfigError::Encoding { label } => (
                "error-config-encoding",
                Args::new().text("label", label.as_str()),
            ),
            ConfigError::AwardRule { name: n } => ("error-config-award-rule", name(n)),
            ConfigError::Objective { name: n } => ("error-config-objective", name(n)),
            ConfigError::Effort { value: v } => ("error-config-effort", value(v)),
            ConfigError::MapWidth { px, min_px } => (
                "error-config-map-width",
                Args::new()
                    .text("px", fig(lang, px))
                    .text("min_px", fig(lang, min_px)),
            ),
            ConfigError::GenerateNone => ("error-config-generate-none", Args::new()),
            ConfigError::UnknownProvince { name: n, known } => (
                "error-config-unknown-province",
                name(n).text("known", known.as_str()),
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

impl PreviousPlanProblem {
    /// Why the previous plan cannot be used, in `lang`, as it follows the plan's path:
    /// `has no catchments; …` / `هیچ حوزه‌ای ندارد؛ …`. [`Lang::En`] gives the `Display`
    /// text.
    ///
    /// ```
    /// use siting::{lang::Lang, PreviousPlanProblem};
    /// let problem = PreviousPlanProblem::FeatureIncomplete { feature: 12 };
    /// assert!(problem.message(Lang::En).starts_with("feature 12 lacks"));
    /// assert!(problem.message(Lang::Fa).contains("۱۲"));
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        let detail = |d: &str| Args::new().text("detail", d.to_string());
        match self {
            PreviousPlanProblem::NoFolder => lang.tr("error-previous-plan-no-folder"),
            PreviousPlanProblem::NotSiting => lang.tr("error-previous-plan-not-siting"),
            PreviousPlanProblem::FileMissing => lang.tr("error-previous-plan-file-missing"),
            PreviousPlanProblem::AssignmentsMissing => {
                lang.tr("error-previous-plan-assignments-missing")
            }
            PreviousPlanProblem::NotJson { detail: d } => {
                lang.format("error-previous-plan-not-json", &detail(d))
            }
            PreviousPlanProblem::NotFeatures => lang.tr("error-previous-plan-not-features"),
            PreviousPlanProblem::NoCatchments => lang.tr("error-previous-plan-no-catchments"),
            PreviousPlanProblem::FeatureIncomplete { feature } => lang.format(
                "error-previous-plan-feature-incomplete",
                &Args::new().text("feature", fig(lang, feature)),
            ),
            PreviousPlanProblem::Sources => lang.tr("error-previous-plan-sources"),
        }
    }
}

impl SummaryProblem {
    /// Why `summary.json` is not a siting summary, in `lang`, as it follows the file's
    /// path. [`Lang::En`] gives the `Display` text.
    ///
    /// ```
    /// use siting::{lang::Lang, SummaryProblem};
    /// assert_eq!(SummaryProblem::NotSiting.message(Lang::En), "no \"tool\": \"siting\"");
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        let detail = |d: &str| Args::new().text("detail", d.to_string());
        match self {
            SummaryProblem::NotJson { detail: d } => {
                lang.format("error-summary-not-json", &detail(d))
            }
            SummaryProblem::NotSiting => lang.tr("error-summary-not-siting"),
            SummaryProblem::Parameters { detail: d } => {
                lang.format("error-summary-parameters", &detail(d))
            }
        }
    }
}

impl HeaderProblem {
    /// Why the header cell is not allowed, in `lang`, as it follows the cell's place.
    /// [`Lang::En`] gives the `Display` text. Column names (`site5`) are written as they
    /// are, the counts in the language's digits.
    ///
    /// ```
    /// use siting::{lang::Lang, HeaderProblem};
    /// let problem = HeaderProblem::SiteOverMax { max: 5 };
    /// assert!(problem.message(Lang::En).ends_with("from site1 to site5; remove this column"));
    /// assert!(problem.message(Lang::Fa).contains("۵"));
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        let sites = |max: &usize| {
            Args::new()
                .text("max", fig(lang, max))
                .text("last", format!("site{max}"))
        };
        match self {
            HeaderProblem::PreferenceWithSites { site_column } => lang.format(
                "error-header-preference-with-sites",
                &Args::new().text("site_column", site_column.as_str()),
            ),
            HeaderProblem::SiteZero { max } => lang.format("error-header-site-zero", &sites(max)),
            HeaderProblem::SiteOverMax { max } => {
                lang.format("error-header-site-over-max", &sites(max))
            }
        }
    }
}

/// `Display` as the English of `message(Lang::En)`, for problems worded by the catalogue.
macro_rules! english_display {
    ($($problem:ty),+) => {$(
        impl fmt::Display for $problem {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.message(Lang::En))
            }
        }
    )+};
}

english_display!(PreviousPlanProblem, SummaryProblem, HeaderProblem);

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
