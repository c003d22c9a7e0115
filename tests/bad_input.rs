//! The bad-input corpus (`tests/data/bad/`): every class of malformed input gets a typed,
//! positioned error (or, where the input is usable, a plan and a warning), never a panic.
//! Also: `--skip-invalid` conserves rows over randomly corrupted files. Workbook cases are
//! written by the test itself (`WORKBOOKS`), so no binary file is committed for them.

mod workbooks;

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use siting::read_applicants_file;
use siting::{PlanConfig, Planner};
use siting::{ReadOptions, read_households, read_households_file};
use workbooks::{Cell, Sheet};

const SAMPLE: &str = "data/qazvin_households.csv";

fn bad(name: &str) -> PathBuf {
    Path::new("tests/data/bad").join(name)
}

/// What a corpus file must give.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// An error of this kind ([`siting::Error::code`]) at this line (`None`: whole file).
    Error(&'static str, Option<u64>),
    /// A plan, with this many warnings.
    Plan { warnings: usize },
}
use Expect::{Error as E, Plan as P};

/// Households files: (file, --by column, expectation).
const HOUSEHOLDS: &[(&str, Option<&str>, Expect)] = &[
    ("hh_empty.csv", None, E("empty", None)),
    ("hh_header_only.csv", None, E("empty", None)),
    ("hh_missing_lon.csv", None, E("missing_column", None)),
    ("hh_missing_lat.csv", None, E("missing_column", None)),
    ("hh_single_column.csv", None, E("missing_column", None)),
    ("hh_html_page.csv", None, E("missing_column", None)),
    (
        "hh_missing_by_column.csv",
        Some("province"),
        E("missing_column", None),
    ),
    (
        "hh_duplicate_header.csv",
        None,
        E("duplicate_column", Some(1)),
    ),
    ("hh_ragged_short.csv", None, E("csv", Some(4))),
    ("hh_ragged_long.csv", None, E("csv", Some(4))),
    ("hh_unbalanced_quote.csv", None, E("csv", Some(3))),
    ("hh_non_numeric.csv", None, E("invalid_value", Some(4))),
    ("hh_nan.csv", None, E("invalid_value", Some(4))),
    ("hh_inf.csv", None, E("invalid_value", Some(4))),
    ("hh_empty_coordinate.csv", None, E("invalid_value", Some(4))),
    ("hh_lat_out_of_range.csv", None, E("invalid_value", Some(4))),
    ("hh_lon_out_of_range.csv", None, E("invalid_value", Some(4))),
    ("hh_swapped.csv", None, E("invalid_value", Some(2))),
    ("hh_zero_coordinates.csv", None, E("invalid_value", Some(4))),
    (
        "hh_coordinate_thousands.csv",
        None,
        E("invalid_value", Some(4)),
    ),
    ("hh_duplicate_id.csv", None, E("duplicate_id", Some(4))),
    ("hh_empty_id.csv", None, E("invalid_value", Some(4))),
    ("hh_weight_zero.csv", None, E("invalid_value", Some(4))),
    ("hh_weight_negative.csv", None, E("invalid_value", Some(4))),
    (
        "hh_weight_fractional.csv",
        None,
        E("invalid_value", Some(4)),
    ),
    ("hh_weight_huge.csv", None, E("invalid_value", Some(4))),
    ("hh_weight_empty.csv", None, E("invalid_value", Some(4))),
    ("hh_invalid_utf8_id.csv", None, E("not_utf8", Some(4))),
    (
        "hh_invalid_utf8_region.csv",
        Some("province"),
        E("not_utf8", Some(3)),
    ),
    // A CSV saved by older Persian Excel: read with `encoding` (see tests/spreadsheets.rs),
    // otherwise told what it most likely is.
    (
        "hh_windows1256.csv",
        Some("province"),
        E("not_utf8", Some(3)),
    ),
    // Excel's "Unicode Text" (UTF-16 with a byte-order mark, tab-separated): read, and a
    // bad row is placed on its line.
    ("hh_utf16le_bad_row.csv", None, E("invalid_value", Some(4))),
    ("hh_utf16be_bad_row.csv", None, E("invalid_value", Some(4))),
    ("hh_embedded_newline.csv", None, E("invalid_value", Some(5))),
    ("hh_crlf_bad_row.csv", None, E("invalid_value", Some(4))),
    ("hh_bom_bad_row.csv", None, E("invalid_value", Some(4))),
    (
        "hh_semicolon_bad_row.csv",
        None,
        E("invalid_value", Some(4)),
    ),
    ("hh_tab_bad_row.csv", None, E("invalid_value", Some(4))),
    // Readable, but no plan can be made: explained up front.
    ("hh_one_point.csv", None, E("heavy_location", None)),
    ("hh_heavy_point.csv", None, E("heavy_location", None)),
    // "۱٬۲۰۰" reads as 1,200 households (see below), too many for one catchment.
    ("hh_persian_thousands.csv", None, E("heavy_location", None)),
    // Usable: planned, with a warning naming the line.
    ("hh_outlier_1000km.csv", None, P { warnings: 1 }),
];

/// Applicants files, planned against the bundled sample households.
const APPLICANTS: &[(&str, Expect)] = &[
    ("ap_empty.csv", E("empty", None)),
    ("ap_header_only.csv", E("empty", None)),
    ("ap_missing_preference.csv", E("missing_column", None)),
    ("ap_six_proposals.csv", E("too_many_proposals", Some(7))),
    ("ap_preference_six.csv", E("invalid_value", Some(3))),
    (
        "ap_duplicate_preference.csv",
        E("duplicate_preference", Some(4)),
    ),
    ("ap_duplicate_row.csv", E("duplicate_preference", Some(3))),
    ("ap_bad_coordinate.csv", E("invalid_value", Some(3))),
    ("ap_lat_out_of_range.csv", E("invalid_value", Some(2))),
    ("ap_bad_eligible.csv", E("invalid_value", Some(2))),
    ("ap_bad_score.csv", E("invalid_value", Some(2))),
    ("ap_max_centers_zero.csv", E("invalid_value", Some(2))),
    ("ap_inconsistent_score.csv", E("invalid_value", Some(3))),
    ("ap_wide_half_pair.csv", E("invalid_value", Some(2))),
    ("ap_wide_site6.csv", E("invalid_header", Some(1))),
    (
        "ap_wide_duplicate_applicant.csv",
        E("duplicate_applicant", Some(3)),
    ),
    ("ap_empty_id.csv", E("invalid_value", Some(2))),
    ("ap_ragged.csv", E("csv", Some(2))),
    ("ap_invalid_utf8.csv", E("not_utf8", Some(2))),
    ("ap_unknown_columns.csv", P { warnings: 0 }),
];

/// Re-planning inputs (SPEC §8): (centers file, previous assignments, --by, expectation),
/// re-planning the sample.
const PREVIOUS: &[(&str, &str, Option<&str>, Expect)] = &[
    // Plans. PL-1's one household lies far from its building, whose surroundings a new
    // catchment took at first: it was reported outside its catchment until session 27;
    // the catchment around the building is PL-1's now.
    (
        "rp_centers_ok.csv",
        "rp_assign_ok.csv",
        None,
        P { warnings: 0 },
    ),
    (
        "rp_centers_duplicate_id.csv",
        "rp_assign_ok.csv",
        None,
        E("duplicate_center", Some(3)),
    ),
    (
        "rp_centers_bad_status.csv",
        "rp_assign_ok.csv",
        None,
        E("invalid_value", Some(2)),
    ),
    (
        "rp_centers_bad_lat.csv",
        "rp_assign_ok.csv",
        None,
        E("invalid_value", Some(3)),
    ),
    (
        "rp_centers_missing_lon.csv",
        "rp_assign_ok.csv",
        None,
        E("missing_column", None),
    ),
    (
        "rp_centers_empty.csv",
        "rp_assign_ok.csv",
        None,
        E("empty", None),
    ),
    (
        "rp_centers_outside_region.csv",
        "rp_assign_ok.csv",
        Some("province"),
        E("center_outside_regions", Some(3)),
    ),
    (
        "rp_centers_ok.csv",
        "rp_assign_unknown_center.csv",
        None,
        E("unknown_center", Some(3)),
    ),
    (
        "rp_centers_ok.csv",
        "rp_assign_duplicate_household.csv",
        None,
        E("duplicate_id", Some(3)),
    ),
    (
        "rp_centers_ok.csv",
        "rp_assign_missing_center_column.csv",
        None,
        E("missing_column", None),
    ),
];

fn check(name: &str, result: Result<usize, siting::Error>, expect: Expect) {
    match (result, expect) {
        (Err(e), E(code, line)) => {
            assert_eq!(e.code(), code, "{name}: {e}");
            assert_eq!(e.line(), line, "{name}: {e}");
            let text = e.to_string();
            // Errors about what a plan cannot do, not about a file's content, name no file.
            let about_the_plan = ["infeasible", "heavy_location", "too_few_locations"];
            if line.is_some() || !about_the_plan.contains(&code) {
                assert!(
                    text.contains(name),
                    "{name}: message must name the file: {text}"
                );
            }
            if let Some(l) = line {
                assert!(
                    text.contains(&format!(":{l}")),
                    "{name}: message must name line {l}: {text}"
                );
            }
        }
        (Ok(warnings), P { warnings: w }) => assert_eq!(warnings, w, "{name}"),
        (got, want) => panic!("{name}: expected {want:?}, got {got:?}"),
    }
}

#[test]
fn households_corpus() {
    let planner = Planner::new(PlanConfig::default()).expect("config");
    for &(name, by, expect) in HOUSEHOLDS {
        let options = ReadOptions {
            by: by.map(|b| vec![b.to_string()]).unwrap_or_default(),
            ..ReadOptions::default()
        };
        let result = read_households_file(&bad(name), &options)
            .and_then(|(hh, _)| planner.plan(&hh))
            .map(|plan| {
                for w in &plan.warnings {
                    assert!(w.line.is_some(), "{name}: warning without a line: {w}");
                }
                plan.warnings.len()
            });
        check(name, result, expect);
    }
}

#[test]
fn applicants_corpus() {
    let planner = Planner::new(PlanConfig::default()).expect("config");
    let (hh, _) = read_households_file(Path::new(SAMPLE), &ReadOptions::default()).expect("sample");
    let plan = planner.plan(&hh).expect("sample plan");
    for &(name, expect) in APPLICANTS {
        let result =
            read_applicants_file(&bad(name), &ReadOptions::default()).and_then(|(a, _)| {
                let sites = planner.award_sites(&plan, &hh, &a)?;
                Ok(sites.proposals.len() - a.proposals())
            });
        check(name, result, expect);
    }
}

#[test]
fn previous_network_corpus() {
    let planner = Planner::new(PlanConfig::default()).expect("config");
    for &(centers, assignments, by, expect) in PREVIOUS {
        let options = ReadOptions {
            by: by.map(|b| vec![b.to_string()]).unwrap_or_default(),
            ..ReadOptions::default()
        };
        let (hh, _) = read_households_file(Path::new(SAMPLE), &options).expect("sample");
        let result = siting::read_previous_files(&bad(centers), &bad(assignments), &options)
            .and_then(|(previous, _)| planner.replan(&hh, &previous))
            .map(|plan| plan.warnings.len());
        // The message names the file at fault: the assignments when the centers are fine.
        let name = if centers == "rp_centers_ok.csv" && assignments != "rp_assign_ok.csv" {
            assignments
        } else {
            centers
        };
        check(name, result, expect);
    }
}

/// An office's own records with Persian headers and statuses, as exported from its
/// spreadsheets: `کد مرکز` for the center id, `کد خانوار` for the household.
#[test]
fn office_records_with_persian_headers_are_read() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let centers = tmp.path().join("centers.csv");
    let assignments = tmp.path().join("case-files.csv");
    std::fs::write(
        &centers,
        "\u{FEFF}کد مرکز,طول جغرافیایی,عرض جغرافیایی,وضعیت\r\n\
         م-۱,۵۰٫۰,36.27,فعال\r\nم-۲,50.1,36.3,بسته\r\nم-۳,50.2,36.31,خالی\r\n",
    )
    .expect("write");
    std::fs::write(&assignments, "کد خانوار;کد مرکز\nH1;م-۲\nH2;م-۳\nH3;م-۱\n").expect("write");
    let (previous, digests) =
        siting::read_previous_files(&centers, &assignments, &ReadOptions::default())
            .expect("Persian headers are read");
    assert_eq!(digests.len(), 2);
    let statuses: Vec<_> = previous.centers.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [
            siting::CenterStatus::Open,
            siting::CenterStatus::Closed,
            siting::CenterStatus::Vacant
        ]
    );
    // Ids are kept as written (opaque strings); coordinates take Persian digits.
    assert_eq!(previous.centers[0].id, "م-۱");
    assert_eq!(previous.centers[0].position.lon, 50.0);
    let held = |h: &str| previous.centers[previous.assignment[h] as usize].id.clone();
    assert_eq!(
        (held("H1"), held("H2"), held("H3")),
        ("م-۲".into(), "م-۳".into(), "م-۱".into())
    );
}

/// A previous plan folder that is missing, empty, incomplete or made with other regions.
#[test]
fn previous_plan_folders_are_checked() {
    let planner = Planner::new(PlanConfig::default()).expect("config");
    let tmp = tempfile::tempdir().expect("temp dir");
    let missing = tmp.path().join("no-such-plan");
    let err = siting::read_previous_plan(&missing).expect_err("missing");
    assert_eq!(err.code(), "previous_plan");
    assert!(err.to_string().contains("no such folder"), "{err}");
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("dir");
    let err = siting::read_previous_plan(&empty).expect_err("empty");
    assert_eq!(err.code(), "previous_plan");
    assert!(err.to_string().contains("summary.json"), "{err}");
    // A real plan, then without its assignments.
    let (hh, digest) =
        read_households_file(Path::new(SAMPLE), &ReadOptions::default()).expect("sample");
    let plan = planner.plan(&hh).expect("plan");
    let audit = siting::Audit::new(vec![digest], &serde_json::json!({ "by": [] })).expect("audit");
    let dir = tmp.path().join("plan");
    siting::PlanFolder::new(&plan, &hh, &audit)
        .write(&dir, &siting::WriteOptions::default())
        .expect("written");
    let (previous, digests) = siting::read_previous_plan(&dir).expect("reads");
    assert_eq!(previous.centers.len(), plan.catchments.len());
    assert_eq!(digests.len(), 3);
    // Planned with no --by; re-planned by province: refused, saying both.
    let by = ReadOptions {
        by: vec!["province".into()],
        ..ReadOptions::default()
    };
    let (hh_by, _) = read_households_file(Path::new(SAMPLE), &by).expect("sample");
    let err = planner
        .replan(&hh_by, &previous)
        .expect_err("other regions");
    assert_eq!(err.code(), "previous_parameters");
    // A damaged catchments layer (read for its properties only): named, never a panic.
    let layer = dir.join("catchments.geojson");
    let good = std::fs::read(&layer).expect("read");
    for damaged in [
        &b"{\"features\": [{\"properties\": "[..],
        b"{\"type\": \"FeatureCollection\"}",
        b"{\"features\": 3}",
        b"{\"features\": [1, 2]}",
        b"{\"features\": [{\"geometry\": null}]}",
    ] {
        std::fs::write(&layer, damaged).expect("written");
        let err = siting::read_previous_plan(&dir).expect_err("damaged");
        assert_eq!(err.code(), "previous_plan");
        assert!(err.to_string().contains("catchments.geojson"), "{err}");
    }
    std::fs::write(&layer, good).expect("restored");
    std::fs::remove_file(dir.join("assignments.csv")).expect("removed");
    let err = siting::read_previous_plan(&dir).expect_err("no assignments");
    assert_eq!(err.code(), "previous_plan");
    assert!(err.to_string().contains("assignments.csv"), "{err}");
}

#[test]
fn persian_digits_with_thousands_separators_are_read() {
    let (hh, _) = read_households_file(&bad("hh_persian_thousands.csv"), &ReadOptions::default())
        .expect("reads");
    assert_eq!(hh.items[2].weight, 1200);
}

#[test]
fn corpus_covers_every_file_and_has_forty_classes() {
    let listed: Vec<&str> = HOUSEHOLDS
        .iter()
        .map(|h| h.0)
        .chain(APPLICANTS.iter().map(|a| a.0))
        .chain(PREVIOUS.iter().flat_map(|p| [p.0, p.1]))
        .collect();
    let mut files: Vec<String> = std::fs::read_dir("tests/data/bad")
        .expect("corpus folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    for f in &files {
        assert!(listed.contains(&f.as_str()), "{f} has no expectation");
    }
    assert!(files.len() >= 40, "only {} corpus files", files.len());
}

/// A workbook case: the file written, the sheet asked for, and what reading it must give.
struct SheetCase {
    file: &'static str,
    sheets: fn() -> Vec<Sheet>,
    sheet: Option<&'static str>,
    /// [`siting::Error::code`] and [`siting::Error::line`] (the sheet's row).
    code: &'static str,
    line: Option<u64>,
    /// What the message must say.
    says: &'static [&'static str],
}

fn t(text: &str) -> Cell {
    Cell::Text(text.to_string())
}

/// A households table with `bad` in place of the cell (row, column), 0-based from A1.
fn households_with(bad: Option<(usize, usize, Cell)>) -> Vec<Vec<Cell>> {
    let mut rows = vec![vec![t("household_id"), t("lon"), t("lat")]];
    for i in 1..6 {
        rows.push(vec![
            t(&format!("h{i}")),
            Cell::Number(50.0 + i as f64 * 0.01),
            Cell::Number(36.0 + i as f64 * 0.01),
        ]);
    }
    if let Some((r, c, cell)) = bad {
        rows[r][c] = cell;
    }
    rows
}

const WORKBOOKS: &[SheetCase] = &[
    SheetCase {
        file: "hh_empty_sheet.xlsx",
        sheets: || {
            vec![
                Sheet::new("households", Vec::new()),
                Sheet::new("notes", vec![vec![t("ask Reza")]]),
            ]
        },
        sheet: None,
        code: "empty",
        line: None,
        says: &["sheet 'households' is empty", "its other sheets: 'notes'"],
    },
    SheetCase {
        file: "hh_header_on_row_3.xlsx",
        sheets: || {
            let mut rows = vec![vec![t("Households of Qazvin, 1403")], Vec::new()];
            rows.extend(households_with(None));
            vec![Sheet::new("households", rows)]
        },
        sheet: None,
        code: "header_not_first",
        line: Some(3),
        says: &[
            "the header is on row 3 (household_id, lon, lat)",
            "row 1 above it holds 'Households of Qazvin, 1403'",
            "delete the rows above the header",
        ],
    },
    SheetCase {
        file: "hh_date_in_coordinate.xlsx",
        sheets: || {
            let bad = (4, 2, Cell::Date(36.25));
            vec![Sheet::new("households", households_with(Some(bad)))]
        },
        sheet: None,
        code: "invalid_value",
        line: Some(5),
        says: &[
            "sheet 'households', row 5, column C ('lat'): the cell holds a date (1900-02-05 06:00:00)",
            "format the column as Number",
        ],
    },
    SheetCase {
        file: "hh_formula_error.xlsx",
        sheets: || {
            let bad = (3, 1, Cell::Error("#REF!"));
            vec![Sheet::new("households", households_with(Some(bad)))]
        },
        sheet: None,
        code: "invalid_value",
        line: Some(4),
        says: &["row 4, column B ('lon'): the cell holds the formula error #REF!"],
    },
    SheetCase {
        file: "hh_merged_header.xlsx",
        sheets: || {
            let mut rows = households_with(None);
            rows[0].push(t("region"));
            for row in rows.iter_mut().skip(1) {
                row.extend([t("Qazvin"), t("Takestan")]);
            }
            let mut sheet = Sheet::new("households", rows);
            sheet.merged.push((0, 3, 0, 4));
            vec![sheet]
        },
        sheet: None,
        code: "merged_cells",
        line: Some(1),
        says: &["the header cells D1:E1 are merged", "one cell per column"],
    },
    SheetCase {
        file: "hh_no_such_sheet.xlsx",
        sheets: || {
            vec![
                Sheet::new("Sheet1", households_with(None)),
                Sheet::new("Sheet2", Vec::new()),
            ]
        },
        sheet: Some("households"),
        code: "no_such_sheet",
        line: None,
        says: &[
            "no sheet 'households'",
            "the workbook's sheets are 'Sheet1', 'Sheet2'",
        ],
    },
    SheetCase {
        file: "hh_missing_column.ods",
        sheets: || {
            let mut rows = households_with(None);
            rows[0][2] = t("lat2");
            vec![Sheet::new("households", rows)]
        },
        sheet: None,
        code: "missing_column",
        line: None,
        says: &[
            "sheet 'households': no latitude column",
            "in the header on row 1",
        ],
    },
    SheetCase {
        file: "hh_not_a_number.ods",
        sheets: || {
            let bad = (2, 1, t("abc"));
            vec![Sheet::new("households", households_with(Some(bad)))]
        },
        sheet: None,
        code: "invalid_value",
        line: Some(3),
        says: &["sheet 'households', row 3, column B ('lon'): longitude 'abc' is not a number"],
    },
    SheetCase {
        file: "ap_duplicate_preference.xlsx",
        sheets: || {
            let row = |id: &str, p: f64| {
                vec![
                    t(id),
                    Cell::Number(p),
                    Cell::Number(50.0),
                    Cell::Number(36.0),
                ]
            };
            let header = vec![t("applicant_id"), t("preference"), t("lon"), t("lat")];
            vec![Sheet::new(
                "applicants",
                vec![header, row("a", 1.0), row("a", 2.0), row("a", 2.0)],
            )]
        },
        sheet: None,
        code: "duplicate_preference",
        line: Some(4),
        says: &[
            "sheet 'applicants', row 4, column B ('preference')",
            "duplicate of row 3",
        ],
    },
];

#[test]
fn workbook_corpus() {
    let dir = tempfile::tempdir().expect("tempdir");
    for case in WORKBOOKS {
        let path = dir.path().join(case.file);
        if case.file.ends_with(".ods") {
            workbooks::write_ods(&path, &(case.sheets)());
        } else {
            workbooks::write_xlsx(&path, &(case.sheets)());
        }
        let options = ReadOptions {
            sheet: case.sheet.map(str::to_string),
            ..ReadOptions::default()
        };
        let result = if case.file.starts_with("ap_") {
            read_applicants_file(&path, &options).map(|_| ())
        } else {
            read_households_file(&path, &options).map(|_| ())
        };
        let e = result.expect_err(case.file);
        let text = e.to_string();
        assert_eq!(e.code(), case.code, "{}: {text}", case.file);
        assert_eq!(e.line(), case.line, "{}: {text}", case.file);
        assert!(
            text.contains(case.file),
            "{}: names no file: {text}",
            case.file
        );
        if let Some(row) = case.line {
            assert!(
                text.contains(&format!("row {row}")),
                "{}: {text}",
                case.file
            );
        }
        for says in case.says {
            assert!(text.contains(says), "{}: lacks {says:?}: {text}", case.file);
        }
    }
}

fn siting() -> Command {
    Command::new(env!("CARGO_BIN_EXE_siting"))
}

/// Runs `siting` and returns (exit code, stderr).
fn run(args: &[&str]) -> (i32, String) {
    let out = siting().args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_exit_codes_and_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    let out = out.to_str().expect("utf-8 path");
    // A bad row: exit 2, file:line:column in the message, no plan written.
    let (code, err) = run(&["plan", "tests/data/bad/hh_nan.csv", "--out", out, "-q"]);
    assert_eq!(code, 2);
    assert!(err.contains("hh_nan.csv:4:2"), "{err}");
    assert!(
        !Path::new(out).exists(),
        "a failed run must not leave a plan"
    );
    // Parameters out of range.
    for bad_args in [
        &["--target", "0"][..],
        &["--tolerance", "-0.1"],
        &["--min-size", "500", "--max-size", "400"],
        &["--catchments", "30000"],
        &["--min-efficiency", "2"],
    ] {
        let mut args = vec!["plan", SAMPLE, "--out", out, "-q"];
        args.extend_from_slice(bad_args);
        let (code, err) = run(&args);
        assert_eq!(code, 2, "{bad_args:?}: {err}");
        assert!(err.starts_with("error: "), "{bad_args:?}: {err}");
    }
    // A region smaller than the lower bound.
    let (code, err) = run(&["plan", SAMPLE, "--out", out, "-q", "--min-size", "30000"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot form"), "{err}");
    // Missing input file.
    let (code, err) = run(&["plan", "no/such/file.csv", "--out", out, "-q"]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/file.csv"), "{err}");
    // Unwritable output folder: a path under a regular file.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").expect("write");
    let inside = blocker.join("plan");
    let (code, err) = run(&[
        "plan",
        SAMPLE,
        "--out",
        inside.to_str().expect("utf-8"),
        "-q",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("file"), "{err}");
}

/// `--lang fa`: the error is in Persian and still names the file, the line and the column
/// (in Persian digits, isolated so that they keep their order in right-to-left text); the
/// exit status is the same as in English.
#[test]
fn persian_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    let out = out.to_str().expect("utf-8 path");
    let bad = "tests/data/bad/hh_nan.csv";
    let (code, err) = run(&["plan", bad, "--out", out, "-q", "--lang", "fa"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("خطا: "), "{err}");
    assert!(err.contains(&format!("\u{2068}{bad}\u{2069}")), "{err}");
    assert!(err.contains("خط \u{2068}۴\u{2069}"), "{err}");
    assert!(err.contains("ستون \u{2068}۲\u{2069}"), "{err}");
    assert!(
        !Path::new(out).exists(),
        "a failed run must not leave a plan"
    );
    // English is unchanged.
    let (code, err) = run(&["plan", bad, "--out", out, "-q"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: tests/data/bad/hh_nan.csv:4:2 (record 3, column 'lon'): "));
    // A parameter out of range, worded with its flag, in Persian.
    let (code, err) = run(&[
        "plan", SAMPLE, "--out", out, "-q", "--lang", "fa", "--target", "0",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--target باید دست‌کم ۱ خانوار باشد"), "{err}");
    // A missing file: the operating system's words in Persian too.
    let (code, err) = run(&[
        "plan",
        "no/such/file.csv",
        "--out",
        out,
        "-q",
        "--lang",
        "fa",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no/such/file.csv") && err.contains("وجود ندارد"),
        "{err}"
    );
    // `check` speaks the same language, and exits as in English.
    let out = siting()
        .args(["check", bad, "--lang", "fa"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("درست نیست"), "{text}");
}

/// `siting verify` has no `--lang`: its errors are in the language the plan was made in.
#[test]
fn verify_errors_are_in_the_plans_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let households = dir.path().join("households.csv");
    std::fs::copy(SAMPLE, &households).expect("copy");
    let out = dir.path().join("plan");
    let (h, o) = (
        households.to_str().expect("utf-8"),
        out.to_str().expect("utf-8"),
    );
    let (code, err) = run(&["plan", h, "--out", o, "-q", "--lang", "fa"]);
    assert_eq!(code, 0, "{err}");
    std::fs::remove_file(&households).expect("remove");
    let (code, err) = run(&["verify", o]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("خطا: باز کردن"), "{err}");
    assert!(
        err.contains(h) && err.contains("--households FILE"),
        "{err}"
    );
}

#[test]
fn a_ten_megabyte_line_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("long.csv");
    let mut text = String::from("household_id,lon,lat\nh1,50.01,36.27\n");
    text.push_str(&"x".repeat(10 << 20));
    text.push_str(",50.02,36.28\n");
    std::fs::write(&path, text).expect("write");
    let e = read_households_file(&path, &ReadOptions::default()).expect_err("too long an id");
    assert_eq!(e.code(), "invalid_value");
    assert_eq!(e.line(), Some(3));
    // With --skip-invalid the row is set aside and the rest is planned.
    let options = ReadOptions {
        skip_invalid: true,
        ..ReadOptions::default()
    };
    let (hh, _) = read_households_file(&path, &options).expect("skips");
    assert_eq!((hh.len(), hh.rejected.len()), (1, 1));
}

/// A valid row, or one of several kinds of damage.
fn row_strategy() -> impl Strategy<Value = (String, bool)> {
    let lon = 49.0f64..51.0;
    let lat = 35.5f64..36.5;
    (lon, lat, 1u32..5, 0u8..12).prop_map(|(x, y, w, damage)| match damage {
        1 => (format!("{x:.5},abc,{w}"), false),
        2 => (format!("{x:.5},{y:.5}"), false),
        3 => (format!("{x:.5},{y:.5},{w},extra"), false),
        4 => (format!("{x:.5},{y:.5},0"), false),
        5 => (format!("{y:.5},{:.5},{w}", x + 100.0), false),
        6 => (format!("NaN,{y:.5},{w}"), false),
        7 => ("0,0,1".to_string(), false),
        _ => (format!("{x:.5},{y:.5},{w}"), true),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// rows in = rows kept + rows rejected, and every kept row is one of the good ones.
    #[test]
    fn skip_invalid_conserves_rows(rows in prop::collection::vec(row_strategy(), 1..80)) {
        let mut text = String::from("household_id,lon,lat,households\n");
        for (i, (row, _)) in rows.iter().enumerate() {
            text.push_str(&format!("h{i},{row}\n"));
        }
        let options = ReadOptions { skip_invalid: true, ..ReadOptions::default() };
        match read_households(text.as_bytes(), Path::new("random.csv"), &options) {
            Ok(hh) => {
                prop_assert_eq!(hh.len() + hh.rejected.len(), rows.len());
                let good = rows.iter().filter(|(_, ok)| *ok).count();
                prop_assert_eq!(hh.len(), good);
                for r in &hh.rejected {
                    let at = format!("random.csv:{}", r.line);
                    prop_assert!(r.reason.contains(&at), "{} lacks {}", r.reason, at);
                }
            }
            Err(e) => {
                // Only when nothing was valid.
                prop_assert_eq!(e.code(), "nothing_valid");
                prop_assert!(rows.iter().all(|(_, ok)| !*ok));
            }
        }
    }
}

/// `--skip-invalid --lang fa`: `rejected.csv` gives its reasons in Persian (its header and
/// other columns unchanged); in English as before.
#[test]
fn rejected_reasons_follow_the_plans_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let households = dir.path().join("households.csv");
    let mut text = std::fs::read_to_string(SAMPLE).expect("sample");
    text.push_str("H-bad,abc,36.27,Qazvin,Takestan\n");
    std::fs::write(&households, &text).expect("write");
    let line = text.lines().count();
    let h = households.to_str().expect("utf-8");
    for (lang, says) in [
        ("fa", format!("خط \u{2068}{}\u{2069}", persian_digits(line))),
        ("en", "longitude 'abc' is not a number".to_string()),
    ] {
        let out = dir.path().join(format!("plan-{lang}"));
        let o = out.to_str().expect("utf-8");
        let (code, err) = run(&[
            "plan",
            h,
            "--out",
            o,
            "-q",
            "--skip-invalid",
            "--lang",
            lang,
        ]);
        assert_eq!(code, 0, "{err}");
        let rejected = std::fs::read_to_string(out.join("rejected.csv")).expect("rejected.csv");
        let mut rows = rejected.lines();
        assert_eq!(rows.next(), Some("file,line,raw,reason"));
        let row = rows.next().expect("one rejected row");
        assert!(row.contains(&format!(",{line},")), "{row}");
        assert!(row.contains(&says), "{lang}: {row}");
        if lang == "fa" {
            assert!(
                row.contains("عدد نیست") && !row.contains("not a number"),
                "{row}"
            );
        }
    }
}

/// The applicants reader's reasons for a rejected row in Persian.
#[test]
fn rejected_applicants_in_persian() {
    let text =
        "applicant_id,preference,lon,lat,max_centers\nA1,1,50.0,36.27,0\nA2,1,50.0,36.27,1\n";
    let options = ReadOptions {
        skip_invalid: true,
        lang: siting::lang::Lang::Fa,
        ..ReadOptions::default()
    };
    let applicants = siting::read_applicants(text.as_bytes(), Path::new("a.csv"), &options)
        .expect("one applicant is valid");
    assert_eq!(applicants.rejected.len(), 1);
    let reason = &applicants.rejected[0].reason;
    assert!(
        reason.contains("بیشینهٔ مراکز") && reason.contains("«خیر»"),
        "{reason}"
    );
    assert!(!reason.contains("max_centers '0'"), "{reason}");
}

/// `n` in Persian digits.
fn persian_digits(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + 0x06F0).unwrap_or(c))
        .collect()
}
