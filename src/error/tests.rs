//! Every variant of [`Error`] and [`ConfigError`] in both languages: English exactly as
//! it has always read, Persian complete (no placeholder left, Persian script, Persian
//! digits, names isolated).

use std::path::PathBuf;
use std::sync::Arc;

use super::{
    ConfigError, CoordinateProblem, Error, HeaderProblem, IdProblem, Location, NumberField,
    NumberProblem, PreviousPlanProblem, SummaryProblem, TermDifference, ValueProblem,
};
use crate::lang::{FSI, Lang, PDI};

fn text_at(line: u64, column: Option<usize>, name: Option<&str>) -> Location {
    Location {
        path: "data/households.csv".into(),
        line,
        record: line - 1,
        column,
        column_name: name.map(Into::into),
        sheet: None,
    }
}

fn sheet_at(line: u64, column: Option<usize>, name: Option<&str>) -> Location {
    Location {
        path: "data/households.xlsx".into(),
        line,
        record: line - 1,
        column,
        column_name: name.map(Into::into),
        sheet: Some(Arc::new("خانوارها".to_string())),
    }
}

fn os(code: i32) -> std::io::Error {
    std::io::Error::from_raw_os_error(code)
}

/// Samples of reading files: I/O, CSV, columns and sheets.
fn file_samples() -> Vec<Error> {
    let mut all = file_samples_columns();
    all.extend(file_samples_sheets());
    all
}

/// First part of [`file_samples`].
fn file_samples_columns() -> Vec<Error> {
    let path = || PathBuf::from("data/households.csv");
    let xlsx = || PathBuf::from("data/households.xlsx");
    let missing = || Error::MissingColumn {
        path: xlsx(),
        what: "latitude",
        expected: "lat, latitude, y".into(),
        found: "id,lon,شهرستان".into(),
    };
    vec![
        Error::Io {
            action: "reading",
            path: path(),
            error: os(2),
        },
        Error::Io {
            action: "moving the new plan to",
            path: "plan/".into(),
            error: os(13),
        },
        Error::Io {
            action: "writing",
            path: "plan/map.svg".into(),
            error: std::io::Error::other("disk quota exceeded"),
        },
        Error::Csv {
            location: text_at(7, None, None),
            message: "found record with 4 fields, but the previous record has 3 fields".into(),
        },
        missing(),
        Error::MissingColumn {
            path: path(),
            what: "site 2 latitude",
            expected: "site2_lat".into(),
            found: "id,site1_lon,site1_lat,site2_lon".into(),
        },
        Error::DuplicateColumn {
            path: path(),
            what: "longitude".into(),
            first: "lon".into(),
            second: "longitude".into(),
        },
        Error::NotUtf8 {
            location: text_at(3, Some(4), Some("county")),
            windows_1256: Some("قزوین".into()),
        },
        Error::NotUtf8 {
            location: text_at(1, None, None),
            windows_1256: None,
        },
        Error::NoSuchSheet {
            path: xlsx(),
            sheet: "Sheet9".into(),
            sheets: vec!["households".into(), "خلاصه".into()],
        },
        Error::NoSuchSheet {
            path: path(),
            sheet: "Sheet1".into(),
            sheets: vec![],
        },
        Error::Spreadsheet {
            path: xlsx(),
            message: "the workbook is password protected".into(),
        },
        Error::InSheet {
            sheet: "households".into(),
            header_row: 3,
            first_column: 2,
            other_sheets: vec![],
            error: Box::new(missing()),
        },
        Error::InSheet {
            sheet: "households".into(),
            header_row: 1,
            first_column: 1,
            other_sheets: vec!["notes".into(), "data".into()],
            error: Box::new(Error::DuplicateColumn {
                path: xlsx(),
                what: "longitude".into(),
                first: "lon".into(),
                second: "طول جغرافیایی".into(),
            }),
        },
    ]
}

/// Second part of [`file_samples`].
fn file_samples_sheets() -> Vec<Error> {
    let xlsx = || PathBuf::from("data/households.xlsx");
    vec![
        Error::InSheet {
            sheet: "applicants".into(),
            header_row: 2,
            first_column: 2,
            other_sheets: vec![],
            error: Box::new(Error::InvalidHeader {
                path: xlsx(),
                column: 3,
                name: "site6_lon".into(),
                problem: HeaderProblem::SiteOverMax { max: 5 },
            }),
        },
        Error::InSheet {
            sheet: "households".into(),
            header_row: 0,
            first_column: 1,
            other_sheets: vec![],
            error: Box::new(Error::Empty { path: xlsx() }),
        },
        Error::InSheet {
            sheet: "households".into(),
            header_row: 4,
            first_column: 1,
            other_sheets: vec![],
            error: Box::new(Error::Empty { path: xlsx() }),
        },
        Error::InSheet {
            sheet: "households".into(),
            header_row: 1,
            first_column: 1,
            other_sheets: vec![],
            error: Box::new(Error::NothingValid {
                path: xlsx(),
                rejected: 1200,
                first: "row 2: 'abc' is not a number".into(),
            }),
        },
        Error::InSheet {
            sheet: "households".into(),
            header_row: 1,
            first_column: 1,
            other_sheets: vec![],
            error: Box::new(Error::Spreadsheet {
                path: xlsx(),
                message: "the cell A1 holds #REF!".into(),
            }),
        },
        Error::HeaderNotFirst {
            path: xlsx(),
            sheet: "households".into(),
            header_row: 3,
            found: "id, lon, lat".into(),
            first_row: 1,
            above: "خانوارهای استان قزوین".into(),
        },
        Error::MergedCells {
            path: xlsx(),
            sheet: "households".into(),
            cells: "B1:C1".into(),
            row: 1,
            in_header: true,
        },
        Error::MergedCells {
            path: xlsx(),
            sheet: "households".into(),
            cells: "D5:D9".into(),
            row: 5,
            in_header: false,
        },
    ]
}

/// Samples of rows, ids, an office's records and a previous plan.
fn record_samples() -> Vec<Error> {
    let mut all = record_samples_rows();
    all.extend(record_samples_previous());
    all
}

/// First part of [`record_samples`].
fn record_samples_rows() -> Vec<Error> {
    let path = || PathBuf::from("data/households.csv");
    vec![
        Error::Empty { path: path() },
        Error::NothingValid {
            path: path(),
            rejected: 1200,
            first: "data/households.csv:2:2 (record 1): 'abc' is not a number".into(),
        },
        Error::DuplicateId {
            location: text_at(40, Some(1), Some("id")),
            id: "h-17".into(),
            first_line: 18,
        },
        Error::DuplicateId {
            location: sheet_at(40, Some(1), Some("id")),
            id: "h-17".into(),
            first_line: 18,
        },
        Error::DuplicateCenter {
            location: text_at(9, Some(1), None),
            id: "C-3".into(),
            first_line: 4,
        },
        Error::UnknownCenter {
            location: text_at(9, Some(2), Some("center_id")),
            id: "C-99".into(),
            centers: PathBuf::from("centers.csv").into_boxed_path(),
        },
        Error::CenterOutsideRegions {
            path: "centers.csv".into(),
            line: 5,
            id: "C-3".into(),
            region: "تاکستان".into(),
            known: "قزوین, البرز".into(),
        },
        Error::PreviousPlan {
            path: "old-plan/".into(),
            problem: PreviousPlanProblem::NoFolder,
        },
    ]
}

/// Second part of [`record_samples`].
fn record_samples_previous() -> Vec<Error> {
    vec![
        Error::PreviousPlan {
            path: "old-plan/summary.json".into(),
            problem: PreviousPlanProblem::NotSiting,
        },
        Error::PreviousPlan {
            path: "old-plan/summary.json".into(),
            problem: PreviousPlanProblem::FileMissing,
        },
        Error::PreviousPlan {
            path: "old-plan/assignments.csv".into(),
            problem: PreviousPlanProblem::AssignmentsMissing,
        },
        Error::PreviousPlan {
            path: "old-plan/catchments.geojson".into(),
            problem: PreviousPlanProblem::NotJson {
                detail: "EOF while parsing an object at line 3 column 0".into(),
            },
        },
        Error::PreviousPlan {
            path: "old-plan/centers.geojson".into(),
            problem: PreviousPlanProblem::NotFeatures,
        },
        Error::PreviousPlan {
            path: "old-plan/catchments.geojson".into(),
            problem: PreviousPlanProblem::NoCatchments,
        },
        Error::PreviousPlan {
            path: "old-plan/catchments.geojson".into(),
            problem: PreviousPlanProblem::FeatureIncomplete { feature: 12 },
        },
        Error::PreviousPlan {
            path: "old-plan/".into(),
            problem: PreviousPlanProblem::Sources,
        },
        Error::PreviousParameters {
            path: "old-plan/".into(),
            parameter: "--by",
            previous: "county".into(),
            given: "province".into(),
        },
        Error::PreviousParameters {
            path: "old-plan/".into(),
            parameter: "--by",
            previous: "province".into(),
            given: String::new(),
        },
    ]
}

/// Samples of headers, applicants, planning, summaries, projection and output.
fn header_and_plan_samples() -> Vec<Error> {
    let mut all = header_and_plan_samples_applicants();
    all.extend(header_and_plan_samples_plans());
    all
}

/// First part of [`header_and_plan_samples`].
fn header_and_plan_samples_applicants() -> Vec<Error> {
    vec![
        Error::InvalidHeader {
            path: "applicants.csv".into(),
            column: 14,
            name: "site6_lon".into(),
            problem: HeaderProblem::SiteOverMax { max: 5 },
        },
        Error::InvalidHeader {
            path: "applicants.csv".into(),
            column: 2,
            name: "site0_lat".into(),
            problem: HeaderProblem::SiteZero { max: 5 },
        },
        Error::InvalidHeader {
            path: "applicants.csv".into(),
            column: 3,
            name: "اولویت".into(),
            problem: HeaderProblem::PreferenceWithSites {
                site_column: "site1_lon".into(),
            },
        },
        Error::DuplicatePreference {
            location: text_at(8, Some(2), Some("preference")),
            applicant: "A-12".into(),
            preference: 2,
            first_line: 6,
            identical: false,
        },
        Error::DuplicatePreference {
            location: sheet_at(8, None, None),
            applicant: "A-12".into(),
            preference: 2,
            first_line: 6,
            identical: true,
        },
        Error::TooManyProposals {
            location: text_at(11, None, None),
            applicant: "A-12".into(),
            count: 6,
            first_line: 5,
        },
        Error::DuplicateApplicant {
            location: sheet_at(11, Some(1), Some("applicant_id")),
            applicant: "A-12".into(),
            first_line: 5,
        },
        Error::NoHouseholds,
        Error::TooFewCatchments {
            catchments: 3,
            regions: 6,
        },
        Error::Infeasible {
            region: "تاکستان".into(),
            households: 1130,
            catchments: 3,
            min: 400,
            max: 500,
        },
    ]
}

/// Second part of [`header_and_plan_samples`].
fn header_and_plan_samples_plans() -> Vec<Error> {
    vec![
        Error::Infeasible {
            region: String::new(),
            households: 24_000,
            catchments: 50,
            min: 405,
            max: 495,
        },
        Error::HeavyLocation {
            region: "Qazvin".into(),
            households: 2400,
            max: 495,
        },
        Error::TooFewLocations {
            region: String::new(),
            catchments: 4,
            locations: 3,
        },
        Error::PlanMismatch {
            planned: 24_000,
            given: 23_999,
        },
        Error::RecordedInputMissing {
            summary: "plan/summary.json".into(),
            path: "data/households.csv".into(),
            with_applicants: false,
            error: os(2),
        },
        Error::RecordedInputMissing {
            summary: "plan/summary.json".into(),
            path: "/srv/data/households.csv".into(),
            with_applicants: true,
            error: os(2),
        },
        Error::InvalidSummary {
            path: "plan/summary.json".into(),
            problem: SummaryProblem::NotJson {
                detail: "expected value at line 1 column 1".into(),
            },
        },
        Error::InvalidSummary {
            path: "plan/summary.json".into(),
            problem: SummaryProblem::NotSiting,
        },
        Error::InvalidSummary {
            path: "plan/summary.json".into(),
            problem: SummaryProblem::Parameters {
                detail: "missing field `households`".into(),
            },
        },
        Error::ProjUnavailable {
            crs: "EPSG:32639".into(),
        },
        Error::Projection {
            crs: "EPSG:32639".into(),
            message: "invalid coordinate".into(),
        },
        Error::OutputNotAPlan {
            path: "Documents/".into(),
        },
    ]
}

/// A representative instance of every variant and of every form of its message.
pub(super) fn samples() -> Vec<Error> {
    let mut all = file_samples();
    all.extend(record_samples());
    all.extend(header_and_plan_samples());
    all.extend(config_samples().into_iter().map(Error::InvalidConfig));
    all.extend(
        value_samples()
            .into_iter()
            .map(|(location, problem)| Error::InvalidValue {
                location,
                problem: Box::new(problem),
            }),
    );
    for (problem, text, what) in [
        (NumberProblem::Empty, "", "longitude"),
        (NumberProblem::NotANumber, "abc", "latitude"),
        (NumberProblem::NotFinite, "NaN", "longitude"),
        (NumberProblem::Separator, "35,7", "latitude"),
        (NumberProblem::Fractional, "2.5", "household count"),
        (NumberProblem::NotPositive, "0", "household count"),
        (
            NumberProblem::TooLarge(1_000_000),
            "2000000",
            "household count",
        ),
    ] {
        all.push(Error::InvalidNumber {
            location: text_at(5, Some(2), Some("lon")),
            field: Box::new(NumberField {
                what,
                text: text.into(),
                problem,
            }),
        });
    }
    for problem in [
        IdProblem::HouseholdEmpty,
        IdProblem::HouseholdTooLong {
            bytes: 3000,
            max: 256,
        },
        IdProblem::ApplicantEmpty,
    ] {
        all.push(Error::InvalidId {
            location: text_at(3, Some(1), Some("id")),
            problem,
        });
    }
    for multiline in [false, true] {
        all.push(Error::RowWidth {
            location: text_at(4, None, None),
            fields: 5,
            header: 4,
            multiline,
        });
    }
    for (problem, lon, lat) in [
        (CoordinateProblem::BothZero, 0.0, 0.0),
        (CoordinateProblem::Swapped, 36.27, 50.01),
        (CoordinateProblem::Latitude, 500.0, 95.5),
        (CoordinateProblem::Longitude, -181.25, 36.2),
    ] {
        all.push(Error::InvalidCoordinate {
            location: sheet_at(6, Some(3), None),
            lon,
            lat,
            problem,
        });
    }
    all
}

/// A value that is not allowed, in each form of its message, at locations of every shape
/// (the English as the readers worded it before the catalogue).
fn value_samples() -> Vec<(Location, ValueProblem)> {
    let mut all = applicant_value_samples();
    all.extend(record_value_samples());
    all
}

/// The values of an applicants file: coordinates, preferences, scores, eligibility,
/// `max_centers`, and terms that differ between an applicant's rows.
fn applicant_value_samples() -> Vec<(Location, ValueProblem)> {
    let text = |t: &str| t.to_string();
    let terms = |difference| ValueProblem::TermsDiffer {
        applicant: "A1".into(),
        first_line: 2,
        difference,
    };
    vec![
        (
            text_at(12, Some(3), Some("lon")),
            ValueProblem::Empty { what: "longitude" },
        ),
        (
            text_at(12, Some(3), None),
            ValueProblem::Preference {
                text: text(""),
                problem: NumberProblem::Empty,
                max: 5,
            },
        ),
        (
            text_at(12, None, Some("preference")),
            ValueProblem::Preference {
                text: text("x"),
                problem: NumberProblem::NotANumber,
                max: 5,
            },
        ),
        (
            sheet_at(12, Some(3), Some("preference")),
            ValueProblem::Preference {
                text: text("6"),
                problem: NumberProblem::TooLarge(5),
                max: 5,
            },
        ),
        (
            sheet_at(12, Some(3), None),
            ValueProblem::Score {
                text: text("high"),
                problem: NumberProblem::NotANumber,
            },
        ),
        (
            sheet_at(12, None, None),
            ValueProblem::Eligible {
                text: text("maybe"),
            },
        ),
        (
            text_at(2, Some(7), Some("max_centers")),
            ValueProblem::MaxCenters {
                text: text("0"),
                problem: NumberProblem::NotPositive,
                max: 10_000,
            },
        ),
        (
            text_at(2, Some(7), Some("max_centers")),
            ValueProblem::MaxCenters {
                text: text("10001"),
                problem: NumberProblem::TooLarge(10_000),
                max: 10_000,
            },
        ),
        (
            text_at(3, Some(5), Some("score")),
            terms(TermDifference::Score {
                here: None,
                first: Some(80.0),
            }),
        ),
        (
            sheet_at(3, Some(5), Some("score")),
            terms(TermDifference::Score {
                here: Some(72.5),
                first: Some(80.0),
            }),
        ),
        (
            text_at(3, Some(6), Some("eligible")),
            terms(TermDifference::Eligible {
                here: false,
                first: true,
            }),
        ),
        (
            text_at(3, Some(7), Some("max_centers")),
            terms(TermDifference::MaxCenters { here: 2, first: 1 }),
        ),
    ]
}

/// The values of the other records: wide-layout sites, ids, a center's status, and
/// workbook cells (a date, a formula error).
fn record_value_samples() -> Vec<(Location, ValueProblem)> {
    let text = |t: &str| t.to_string();
    vec![
        (
            text_at(2, Some(5), Some("site2_lat")),
            ValueProblem::SiteLatitudeEmpty { site: 2 },
        ),
        (
            text_at(2, Some(4), Some("site2_lon")),
            ValueProblem::SiteLongitudeEmpty { site: 2 },
        ),
        (
            text_at(2, Some(1), Some("center_id")),
            ValueProblem::EmptyId { what: "center id" },
        ),
        (
            text_at(2, Some(1), Some("household_id")),
            ValueProblem::EmptyId {
                what: "household id",
            },
        ),
        (
            text_at(2, Some(4), Some("status")),
            ValueProblem::Status { text: text("shut") },
        ),
        (
            sheet_at(5, Some(3), Some("lat")),
            ValueProblem::Date {
                shown: text("2023-03-15"),
            },
        ),
        (
            sheet_at(4, Some(2), Some("lon")),
            ValueProblem::FormulaError {
                code: text("#REF!"),
            },
        ),
    ]
}

fn config_samples() -> Vec<ConfigError> {
    vec![
        ConfigError::TargetSize,
        ConfigError::Tolerance { value: 1.5 },
        ConfigError::Tolerance { value: -0.1 },
        ConfigError::Catchments,
        ConfigError::SizeBounds { min: 500, max: 400 },
        ConfigError::MaxSize,
        ConfigError::MaxIterations,
        ConfigError::Restarts,
        ConfigError::EnvelopeBuffer { metres: -5.0 },
        ConfigError::SiteReach { metres: -1.5 },
        ConfigError::MinEfficiency { value: 2.0 },
        ConfigError::Stickiness { value: f64::NAN },
        ConfigError::AccessRadii {
            radii: vec![1000.0, -3000.5],
        },
        ConfigError::Encoding {
            label: "latin-9x".into(),
        },
        ConfigError::AwardRule {
            name: "best".into(),
        },
        ConfigError::Objective {
            name: "time".into(),
        },
        ConfigError::Effort { value: -1.0 },
        ConfigError::MapWidth {
            px: 20,
            min_px: 320,
        },
        ConfigError::GenerateNone,
        ConfigError::UnknownProvince {
            name: "Atlantis".into(),
            known: "Qazvin, Ilam".into(),
        },
    ]
}

/// Every sample names a different form: no two messages are the same.
#[test]
fn samples_cover_every_form_once() {
    let texts: Vec<String> = samples().iter().map(|e| e.message(Lang::En)).collect();
    let mut sorted = texts.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), texts.len());
}

#[test]
fn english_is_the_display_text() {
    for e in samples() {
        assert_eq!(e.message(Lang::En), e.to_string(), "{e:?}");
    }
    for c in config_samples() {
        assert_eq!(c.message(Lang::En), c.to_string(), "{c:?}");
    }
}

/// The English of every sample as it read before the catalogue (one line each, in the
/// order of [`samples`]): English output stays byte for byte the same, but for the
/// isolates (U+2068 … U+2069) now set around right-to-left names in it.
#[test]
fn english_reads_as_before() {
    use crate::lang::{FSI, PDI, has_rtl};
    let before: Vec<&str> = include_str!("english.txt").lines().collect();
    let now: Vec<String> = samples().iter().map(|e| e.message(Lang::En)).collect();
    assert_eq!(before.len(), now.len());
    for (before, now) in before.iter().zip(&now) {
        let bare: String = now.chars().filter(|&c| c != FSI && c != PDI).collect();
        assert_eq!(*before, bare);
        if has_rtl(before) {
            assert!(now.contains(FSI), "a Persian name not isolated: {now}");
        } else {
            assert_eq!(before, now);
        }
        assert_eq!(now.matches(FSI).count(), now.matches(PDI).count(), "{now}");
    }
}

/// True for a letter of the Arabic script (Persian's).
fn persian_letter(c: char) -> bool {
    ('\u{0600}'..='\u{06FF}').contains(&c) && !('\u{06F0}'..='\u{06F9}').contains(&c)
}

/// The text of `s` outside every isolated span (names, paths, ids, details).
fn outside_isolates(s: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for c in s.chars() {
        match c {
            FSI => depth += 1,
            PDI => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Codes that a Persian message writes as they are (flags, encodings, file names).
const CODES: [&str; 11] = [
    "UTF-8",
    "utf-8",
    "Windows-1256",
    "windows-1256",
    "windows-1252",
    "utf-16le",
    "EPSG:4326",
    "libsqlite3",
    "site1_lon",
    "site1_lat",
    "summary.json",
];

#[test]
fn persian_is_complete() {
    for e in samples() {
        let fa = e.message(Lang::Fa);
        let en = e.message(Lang::En);
        assert!(!fa.contains("{ $") && !fa.contains('$'), "{fa}");
        assert!(!fa.contains("error-"), "{fa}");
        assert_ne!(fa, en);
        assert_eq!(fa.matches(FSI).count(), fa.matches(PDI).count(), "{fa}");
        // Persian words, not only English ones around Persian names.
        let letters = |s: &str| s.chars().filter(|&c| persian_letter(c)).count();
        assert!(letters(&fa) >= letters(&en) + 5, "{fa}");
        let own = outside_isolates(&fa);
        // Figures in Persian digits.
        let mut bare = own.clone();
        for code in CODES {
            bare = bare.replace(code, "");
        }
        assert!(!bare.chars().any(|c| c.is_ascii_digit()), "{fa}");
        // Nor English words, except codes and flags.
        for word in [
            " the ", " of ", " and ", " line ", " row ", " column ", " sheet ",
        ] {
            assert!(!own.contains(word), "{word:?} in {fa}");
        }
    }
}

#[test]
fn persian_locations_read_line_and_column_in_persian_digits() {
    let at = text_at(12, Some(3), Some("lat"));
    let fa = at.message(Lang::Fa);
    assert!(fa.contains(&format!("خط {FSI}۱۲{PDI}")), "{fa}");
    assert!(fa.contains(&format!("ستون {FSI}۳{PDI}")), "{fa}");
    assert!(
        fa.contains(&format!("{FSI}data/households.csv{PDI}")),
        "{fa}"
    );
    let fa = sheet_at(12, Some(3), Some("lat")).message(Lang::Fa);
    assert!(fa.contains(&format!("ردیف {FSI}۱۲{PDI}")), "{fa}");
    assert!(fa.contains(&format!("ستون {FSI}C{PDI}")), "{fa}");
    assert!(fa.contains(&format!("«{FSI}خانوارها{PDI}»")), "{fa}");
}

/// The readers' problems with a value read in Persian: the problem's own words, the cell's
/// text and the figures isolated, the remedy too.
#[test]
fn persian_value_problems() {
    let fa = |i: usize| {
        let (location, problem) = value_samples().swap_remove(i);
        Error::InvalidValue {
            location,
            problem: Box::new(problem),
        }
        .message(Lang::Fa)
    };
    let iso = |s: &str| format!("{FSI}{s}{PDI}");
    let ends = format!("{} خالی است", iso("طول جغرافیایی"));
    assert!(fa(0).ends_with(&ends), "{}", fa(0));
    let wants: [(usize, Vec<String>); 15] = [
        (2, vec![format!("«{}»", iso("x")), iso("۵")]),
        (5, vec!["بله/خیر".into()]),
        (6, vec!["«خیر»".into()]),
        (7, vec![iso("۱۰۰۰۰")]),
        (8, vec![iso("خالی"), iso("۸۰")]),
        (
            9,
            vec![format!("{} {}", iso("ردیف"), iso("۲")), iso("۷۲٫۵")],
        ),
        (10, vec![iso("خیر"), iso("بله")]),
        (11, vec![format!("{} {}", iso("خط"), iso("۲"))]),
        (12, vec![format!("محل {}", iso("۲"))]),
        (13, vec!["طول جغرافیایی آن خالی است".into()]),
        (14, vec![iso("شناسهٔ مرکز")]),
        (15, vec![iso("شناسهٔ خانوار")]),
        (16, vec![iso("shut")]),
        (17, vec![iso("2023-03-15")]),
        (18, vec![iso("#REF!")]),
    ];
    for (i, wanted) in wants {
        let text = fa(i);
        for w in wanted {
            assert!(text.contains(&w), "{w:?} not in {text}");
        }
    }
}

/// The problems of a previous plan, a plan's summary and a header cell in Persian: Persian
/// words around codes and flags, counts in Persian digits, names and a parser's words
/// isolated, inside messages that isolate the path.
#[test]
fn persian_plan_summary_and_header_problems() {
    let iso = |s: &str| format!("{FSI}{s}{PDI}");
    let (previous, summary, header) = plan_summary_and_header_problems();
    let mut phrases: Vec<(String, String)> = previous
        .iter()
        .map(|p| (p.message(Lang::En), p.message(Lang::Fa)))
        .collect();
    phrases.extend(summary.iter().map(|p| (p.to_string(), p.message(Lang::Fa))));
    phrases.extend(header.iter().map(|p| (p.to_string(), p.message(Lang::Fa))));
    for (en, fa) in &phrases {
        reads_as_persian(en, fa);
    }
    let fa = |e: Error| e.message(Lang::Fa);
    let feature = fa(Error::PreviousPlan {
        path: "old-plan/catchments.geojson".into(),
        problem: previous[7].clone(),
    });
    assert!(feature.starts_with("طرح پیشین"), "{feature}");
    assert!(
        feature.contains(&iso("old-plan/catchments.geojson")),
        "{feature}"
    );
    assert!(
        feature.contains(&format!("عارضهٔ {}", iso("۱۲"))),
        "{feature}"
    );
    let json = previous[4].message(Lang::Fa);
    assert!(json.contains(&iso("EOF while parsing an object at line 3 column 0")));
    let not_json = fa(Error::InvalidSummary {
        path: "plan/summary.json".into(),
        problem: summary[0].clone(),
    });
    assert!(not_json.contains(&iso("expected value at line 1 column 1")));
    assert!(not_json.ends_with("آیا این پوشهٔ طرحی است که siting نوشته است؟"));
    let over = fa(Error::InvalidHeader {
        path: "applicants.csv".into(),
        column: 14,
        name: "site6_lon".into(),
        problem: header[2].clone(),
    });
    for w in [
        format!("ستون {}", iso("۱۴")),
        format!("«{}»", iso("site6_lon")),
        format!("دست‌بالا {} پیشنهاد", iso("۵")),
        format!("site1 تا {}", iso("site5")),
    ] {
        assert!(over.contains(&w), "{w:?} not in {over}");
    }
    let with_sites = header[0].message(Lang::Fa);
    assert!(
        with_sites.contains(&format!("«{}»", iso("site1_lon"))),
        "{with_sites}"
    );
}

/// A Persian phrase of a problem: no placeholder or key left, not the English one, at least
/// three Persian letters and no Latin digits or English words outside its isolates (codes
/// and file names aside).
fn reads_as_persian(en: &str, fa: &str) {
    assert!(!fa.contains('$') && !fa.contains("error-"), "{fa}");
    assert_ne!(en, fa);
    let mut own = outside_isolates(fa);
    for code in [
        "site1_lon",
        "site1",
        "PLAN_DIR",
        "assignments.csv",
        "GeoJSON",
    ] {
        own = own.replace(code, "");
    }
    assert!(
        own.chars().filter(|&c| persian_letter(c)).count() >= 3,
        "{fa}"
    );
    assert!(!own.chars().any(|c| c.is_ascii_digit()), "{fa}");
    for word in [" the ", " of ", " and ", " is ", " or ", " a "] {
        assert!(!own.contains(word), "{word:?} in {fa}");
    }
}

/// One sample of every problem of a previous plan, a plan's summary and a header cell.
fn plan_summary_and_header_problems() -> (
    [PreviousPlanProblem; 9],
    [SummaryProblem; 3],
    [HeaderProblem; 3],
) {
    let previous = [
        PreviousPlanProblem::NoFolder,
        PreviousPlanProblem::NotSiting,
        PreviousPlanProblem::FileMissing,
        PreviousPlanProblem::AssignmentsMissing,
        PreviousPlanProblem::NotJson {
            detail: "EOF while parsing an object at line 3 column 0".into(),
        },
        PreviousPlanProblem::NotFeatures,
        PreviousPlanProblem::NoCatchments,
        PreviousPlanProblem::FeatureIncomplete { feature: 12 },
        PreviousPlanProblem::Sources,
    ];
    let summary = [
        SummaryProblem::NotJson {
            detail: "expected value at line 1 column 1".into(),
        },
        SummaryProblem::NotSiting,
        SummaryProblem::Parameters {
            detail: "missing field `households`".into(),
        },
    ];
    let header = [
        HeaderProblem::PreferenceWithSites {
            site_column: "site1_lon".into(),
        },
        HeaderProblem::SiteZero { max: 5 },
        HeaderProblem::SiteOverMax { max: 5 },
    ];
    (previous, summary, header)
}
