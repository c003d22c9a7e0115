//! Inputs as workbooks and in other encodings (issue 18): the bundled sample as `.xlsx`,
//! `.ods` and UTF-16 text plans to the same folder, byte for byte, as the CSV; Persian
//! headers; Windows-1256 with `encoding`; sheets chosen by name.
//!
//! What may differ between the plan folders of one table in two formats is only what names
//! or hashes the input file, in `summary.json`: `inputs[].path`, `inputs[].sha256`,
//! `inputs[].bytes`, and `parameters.households` / `parameters.applicants` (plus
//! `parameters.sheet`, `parameters.applicants_sheet` and `parameters.encoding` when they are
//! given). Every other file, and every other field, is identical.

mod workbooks;

use std::path::{Path, PathBuf};

use siting::{Job, PlanConfig, ReadOptions, WriteOptions};
use siting::{read_applicants_file, read_households_file};
use workbooks::{Cell, Sheet, cells_of_csv, utf16, write_ods, write_xlsx};

const HOUSEHOLDS: &str = "data/qazvin_households.csv";
const APPLICANTS: &str = "data/qazvin_applicants.csv";

fn text(path: &str) -> String {
    std::fs::read_to_string(path).expect("sample")
}

/// The sample households as one sheet (coordinates as numbers), after a first sheet of
/// notes when `notes_first`.
fn households_sheets(notes_first: bool) -> Vec<Sheet> {
    let mut sheets = Vec::new();
    if notes_first {
        sheets.push(Sheet::new(
            "notes",
            vec![vec![Cell::Text("Qazvin households, 1403".into())]],
        ));
    }
    sheets.push(Sheet::new(
        "households",
        cells_of_csv(&text(HOUSEHOLDS), &["lon", "lat"], &[]),
    ));
    sheets
}

fn applicants_sheets() -> Vec<Sheet> {
    let numeric = ["preference", "lon", "lat", "score", "max_centers"];
    vec![Sheet::new(
        "applicants",
        cells_of_csv(&text(APPLICANTS), &numeric, &["eligible"]),
    )]
}

/// Plans `job` into `out` with a fixed date.
fn plan(mut job: Job, out: &Path) {
    job.date = "2026-12-02".into();
    let output = job.run(&|_| {}).expect("plans");
    job.write(&output, out, &WriteOptions::default())
        .expect("writes");
}

/// `summary.json` without what names or hashes the input files.
fn summary_without_inputs(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("summary.json")).expect("summary");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    for input in v["inputs"].as_array_mut().expect("inputs") {
        for key in ["path", "sha256", "bytes"] {
            input.as_object_mut().expect("input").remove(key);
        }
    }
    let parameters = v["parameters"].as_object_mut().expect("parameters");
    for key in [
        "households",
        "applicants",
        "sheet",
        "applicants_sheet",
        "encoding",
    ] {
        parameters.remove(key);
    }
    v
}

/// `report.html` without its audit section (the inputs' names and hashes).
fn without_audit(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let start = text
        .find("<section id=\"audit\">")
        .expect("an audit section");
    let end = start + text[start..].find("</section>").expect("its end");
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

/// Asserts that two plan folders are identical but for the inputs' names and hashes.
fn assert_same_plan(a: &Path, b: &Path, what: &str) {
    let names = |d: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(d)
            .expect("plan folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(a), names(b), "{what}: files");
    for name in names(a) {
        if name == "summary.json" {
            continue;
        }
        let (mut x, mut y) = (
            std::fs::read(a.join(&name)).expect("file"),
            std::fs::read(b.join(&name)).expect("file"),
        );
        if name == "report.html" {
            // Its audit section names the inputs and their hashes, like summary.json.
            (x, y) = (without_audit(&x), without_audit(&y));
        }
        assert!(x == y, "{what}: {name} differs");
    }
    assert_eq!(
        summary_without_inputs(a),
        summary_without_inputs(b),
        "{what}: summary.json"
    );
}

#[test]
fn the_sample_as_xlsx_ods_and_utf16_plans_like_the_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let config = PlanConfig::default();
    let mut reference = Job::new(HOUSEHOLDS, config.clone());
    reference.applicants = Some(APPLICANTS.into());
    reference.by = vec!["county".into()];
    plan(reference.clone(), &d.join("csv"));

    // A workbook whose table is on its second sheet, named.
    let xlsx = d.join("households.xlsx");
    write_xlsx(&xlsx, &households_sheets(true));
    let applicants_xlsx = d.join("applicants.xlsx");
    write_xlsx(&applicants_xlsx, &applicants_sheets());
    let mut job = reference.clone();
    job.households = xlsx.clone();
    job.sheet = Some("households".into());
    job.applicants = Some(applicants_xlsx);
    plan(job, &d.join("xlsx"));
    assert_same_plan(&d.join("csv"), &d.join("xlsx"), "xlsx");

    let ods = d.join("households.ods");
    write_ods(&ods, &households_sheets(false));
    let mut job = reference.clone();
    job.households = ods;
    plan(job, &d.join("ods"));
    assert_same_plan(&d.join("csv"), &d.join("ods"), "ods");

    // Excel's "Unicode Text": UTF-16 with a byte-order mark, tab-separated, CRLF.
    for big_endian in [false, true] {
        let tsv = text(HOUSEHOLDS).replace(',', "\t").replace('\n', "\r\n");
        let path = d.join(format!("households-utf16-{big_endian}.txt"));
        std::fs::write(&path, utf16(&tsv, big_endian)).expect("write");
        let mut job = reference.clone();
        job.households = path;
        let out = d.join(format!("utf16-{big_endian}"));
        plan(job, &out);
        assert_same_plan(&d.join("csv"), &out, "utf-16");
    }

    // The digest is of the workbook's bytes, and `verify` reproduces the plan.
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(d.join("xlsx/summary.json")).expect("summary"),
    )
    .expect("json");
    let bytes = std::fs::read(&xlsx).expect("xlsx");
    assert_eq!(summary["inputs"][0]["bytes"], bytes.len());
    assert_eq!(summary["inputs"][0]["rows"], 24_000);
    assert_eq!(summary["parameters"]["sheet"], "households");
    let verification =
        siting::verify(&d.join("xlsx"), &siting::Overrides::default()).expect("verifies");
    assert!(verification.confirmed(), "{verification:?}");
}

#[test]
fn a_csv_plan_records_no_sheet_or_encoding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let job = Job::new(HOUSEHOLDS, PlanConfig::default());
    plan(job, dir.path());
    let text = std::fs::read_to_string(dir.path().join("summary.json")).expect("summary");
    for key in ["\"sheet\"", "\"applicants_sheet\"", "\"encoding\""] {
        assert!(!text.contains(key), "{key} in {text}");
    }
}

/// Rows of households with Persian headers (Arabic yeh and kaf, half-spaces), Persian
/// digits in text cells and numbers in numeric cells.
fn persian_rows() -> Vec<Vec<Cell>> {
    let t = |s: &str| Cell::Text(s.to_string());
    let n = Cell::Number;
    vec![
        vec![
            t("شناسه"),
            t("طول جغرافيايي"),
            t("عرض\u{200C}جغرافیایی"),
            t("تعداد خانوار"),
            t("استان"),
            t("شهرستان"),
        ],
        vec![t("h1"), n(50.0), n(36.2), n(2.0), t("قزوین"), t("البرز")],
        vec![
            t("h2"),
            t("۵۰٫۱"),
            t("۳۶٫۲۵"),
            t("۳"),
            t("قزوین"),
            t("تاکستان"),
        ],
        vec![n(3.0), n(49.9), n(36.1), n(1.0), t("زنجان"), t("ابهر")],
    ]
}

#[test]
fn persian_headers_numbers_and_regions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("خانوارها.xlsx");
    write_xlsx(&path, &[Sheet::new("خانوارها", persian_rows())]);
    let options = ReadOptions {
        by: vec!["استان".into()],
        ..ReadOptions::default()
    };
    let (hh, digest) = read_households_file(&path, &options).expect("reads");
    assert_eq!(digest.rows, 3);
    let ids: Vec<&str> = hh.items.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["h1", "h2", "3"]);
    assert_eq!(hh.items[1].position.lon, 50.1);
    assert_eq!(hh.items[1].weight, 3);
    assert_eq!(hh.items[2].line, 4);
    assert_eq!(hh.regions, ["زنجان", "قزوین"]);
    // The same table as CSV reads alike.
    let csv = "شناسه,طول جغرافیایی,عرض جغرافیایی,تعداد خانوار,استان,شهرستان\n\
               h1,50,36.2,2,قزوین,البرز\nh2,۵۰٫۱,۳۶٫۲۵,۳,قزوین,تاکستان\n3,49.9,36.1,1,زنجان,ابهر\n";
    let from_csv =
        siting::read_households(csv.as_bytes(), Path::new("h.csv"), &options).expect("reads csv");
    assert_eq!(from_csv.items, hh.items);
    assert_eq!(from_csv.regions, hh.regions);
}

#[test]
fn persian_applicant_headers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("applicants.ods");
    let t = |s: &str| Cell::Text(s.to_string());
    let n = Cell::Number;
    let rows = vec![
        vec![
            t("شناسه متقاضی"),
            t("اولويت"),
            t("طول جغرافیایی"),
            t("عرض جغرافیایی"),
            t("امتیاز"),
            t("واجد شرایط"),
            t("حداکثر مراکز"),
            t("نام"),
        ],
        vec![
            t("a1"),
            n(1.0),
            n(50.0),
            n(36.0),
            n(80.0),
            Cell::Bool(true),
            n(2.0),
            t("رضا"),
        ],
        vec![
            t("a1"),
            n(2.0),
            n(50.1),
            n(36.1),
            n(80.0),
            t("بله"),
            n(2.0),
            t("رضا"),
        ],
        vec![
            t("a2"),
            t("۱"),
            n(50.2),
            n(36.2),
            Cell::Empty,
            t("خیر"),
            Cell::Empty,
            t("سارا"),
        ],
    ];
    write_ods(&path, &[Sheet::new("متقاضیان", rows)]);
    let (a, digest) = read_applicants_file(&path, &ReadOptions::default()).expect("reads");
    assert_eq!(digest.rows, 3);
    assert_eq!((a.len(), a.proposals()), (2, 3));
    assert_eq!(a.items[0].score, Some(80.0));
    assert_eq!(a.items[0].max_centers, 2);
    assert!(!a.items[1].eligible);
    assert_eq!(a.ignored_columns, ["نام"]);
}

#[test]
fn windows_1256_needs_naming_and_is_then_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("households-1256.csv");
    // Windows-1256 has no Persian yeh: Persian Windows writes the Arabic one.
    let text = "household_id,lon,lat,province\r\nh1,50.0,36.2,قزوين\r\nh2,50.1,36.3,قزوين\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(text);
    assert!(!unmappable);
    std::fs::write(&path, &bytes).expect("write");
    let by = ReadOptions {
        by: vec!["province".into()],
        ..ReadOptions::default()
    };
    let e = read_households_file(&path, &by).expect_err("not UTF-8");
    assert_eq!(e.code(), "not_utf8");
    assert_eq!(e.line(), Some(2));
    // Without the isolates around the Persian text.
    let message = e.to_string().replace(['\u{2068}', '\u{2069}'], "");
    assert!(
        message.contains("households-1256.csv:2:4")
            && message.contains("reads as 'قزوين' in Windows-1256")
            && message.contains("windows-1256")
            && message.contains("CSV UTF-8"),
        "{message}"
    );
    let named = ReadOptions {
        encoding: Some("windows-1256".into()),
        ..by
    };
    let (hh, digest) = read_households_file(&path, &named).expect("reads");
    assert_eq!(hh.regions, ["قزوين"]);
    assert_eq!(digest.bytes, bytes.len() as u64);
}

#[test]
fn sheets_are_chosen_by_name_or_the_first_visible() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("book.xlsx");
    let table = |lon: f64| {
        vec![
            vec![
                Cell::Text("id".into()),
                Cell::Text("lon".into()),
                Cell::Text("lat".into()),
            ],
            vec![
                Cell::Text("a".into()),
                Cell::Number(lon),
                Cell::Number(36.0),
            ],
        ]
    };
    write_xlsx(
        &path,
        &[
            Sheet::new("اول", table(50.0)),
            Sheet::new("دوم", table(51.0)),
        ],
    );
    let read = |sheet: Option<&str>| {
        let options = ReadOptions {
            sheet: sheet.map(str::to_string),
            ..ReadOptions::default()
        };
        read_households_file(&path, &options).map(|(hh, _)| hh.items[0].position.lon)
    };
    assert_eq!(read(None).ok(), Some(50.0));
    assert_eq!(read(Some("دوم")).ok(), Some(51.0));
    // Named with an Arabic yeh, or with spaces around.
    assert_eq!(read(Some(" دوم ")).ok(), Some(51.0));
    let e = read(Some("سوم")).expect_err("no such sheet");
    assert_eq!(e.code(), "no_such_sheet");
    let message = e.to_string().replace(['\u{2068}', '\u{2069}'], "");
    assert!(message.contains("'اول', 'دوم'"), "{e}");
    // A sheet named for a text file.
    let csv = PathBuf::from(HOUSEHOLDS);
    let options = ReadOptions {
        sheet: Some("households".into()),
        ..ReadOptions::default()
    };
    let e = read_households_file(&csv, &options).expect_err("text has no sheets");
    assert_eq!(e.code(), "no_such_sheet");
    assert!(e.to_string().contains("not a workbook"), "{e}");
}

#[test]
fn a_workbook_named_csv_is_read_as_a_workbook_and_refused_as_a_stream() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("households.csv");
    write_xlsx(&path, &households_sheets(false));
    let (hh, _) = read_households_file(&path, &ReadOptions::default()).expect("reads");
    assert_eq!(hh.len(), 24_000);
    let bytes = std::fs::read(&path).expect("read");
    let e =
        siting::read_households(&bytes[..], &path, &ReadOptions::default()).expect_err("not text");
    assert_eq!(e.code(), "spreadsheet");
    assert!(e.to_string().contains("workbook (.xlsx)"), "{e}");
    let e =
        siting::read_applicants(&bytes[..], &path, &ReadOptions::default()).expect_err("not text");
    assert_eq!(e.code(), "spreadsheet");
}

#[test]
fn skipped_rows_of_a_sheet_are_rejected_with_their_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("h.xlsx");
    let t = |s: &str| Cell::Text(s.to_string());
    let n = Cell::Number;
    let rows = vec![
        vec![t("id"), t("lon"), t("lat")],
        vec![t("a"), n(50.0), n(36.0)],
        vec![],
        vec![t("b"), t("abc"), n(36.0)],
        vec![t("c"), n(50.1), Cell::Date(45_000.0)],
        vec![t("d"), n(50.2), n(36.1)],
    ];
    write_xlsx(&path, &[Sheet::new("hh", rows)]);
    let options = ReadOptions {
        skip_invalid: true,
        ..ReadOptions::default()
    };
    let (hh, _) = read_households_file(&path, &options).expect("reads");
    assert_eq!(hh.len(), 2);
    let rejected: Vec<(u64, &str)> = hh
        .rejected
        .iter()
        .map(|r| (r.line, r.raw.as_str()))
        .collect();
    assert_eq!(rejected, [(4, "b,abc,36"), (5, "c,50.1,2023-03-15")]);
    assert!(
        hh.rejected[0].reason.contains(
            "h.xlsx: sheet 'hh', row 4, column B ('lon'): longitude 'abc' is not a number"
        ),
        "{}",
        hh.rejected[0].reason
    );
    assert!(
        hh.rejected[1]
            .reason
            .contains("row 5, column C ('lat'): the cell holds a date (2023-03-15)")
    );
}

#[test]
fn reads_an_excel_97_workbook() {
    // Written by tests/data/sheets/make_xls.py (xlwt).
    let path = Path::new("tests/data/sheets/households.xls");
    let options = ReadOptions {
        by: vec!["استان".into()],
        ..ReadOptions::default()
    };
    let (hh, digest) = read_households_file(path, &options).expect("reads");
    assert_eq!(digest.rows, 4);
    let ids: Vec<&str> = hh.items.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["h1", "h2", "3", "h4"]);
    let weights: Vec<u32> = hh.items.iter().map(|h| h.weight).collect();
    assert_eq!(weights, [1, 2, 1, 1]);
    assert_eq!(hh.items[3].position.lon, 50.004);
    assert_eq!(hh.regions, ["زنجان", "قزوین"]);
    let merged = ReadOptions {
        sheet: Some("merged".into()),
        ..ReadOptions::default()
    };
    let e = read_households_file(path, &merged).expect_err("merged cells");
    assert_eq!(e.code(), "merged_cells");
    assert_eq!(e.line(), Some(2));
    assert!(
        e.to_string()
            .contains("sheet 'merged', row 2: cells E2:E3 are merged"),
        "{e}"
    );
}

/// Runs `siting` and returns (exit code, stderr).
fn run(args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_siting"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn command_line_sheets_and_encodings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    let out = out.to_str().expect("utf-8 path");
    let xls = "tests/data/sheets/households.xls";
    let (code, err) = run(&["plan", xls, "--sheet", "nope", "--out", out, "-q"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no sheet 'nope'; the workbook's sheets are 'households', 'merged'")
            && err.contains("--sheet"),
        "{err}"
    );
    let (code, err) = run(&["check", xls, "--sheet", "merged"]);
    assert_eq!(code, 2, "{err}");
    let (code, err) = run(&["plan", HOUSEHOLDS, "--encoding", "klingon", "--out", out]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--encoding klingon: unknown encoding"),
        "{err}"
    );
    let (code, err) = run(&["plan", HOUSEHOLDS, "--sheet", "households", "--out", out]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a workbook"), "{err}");
    let bad = "tests/data/bad/hh_windows1256.csv";
    let (code, err) = run(&["plan", bad, "--by", "province", "--out", out, "-q"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--encoding windows-1256"), "{err}");
    let (code, err) = run(&[
        "plan",
        bad,
        "--by",
        "province",
        "--encoding",
        "windows-1256",
        "--out",
        out,
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let summary = std::fs::read_to_string(Path::new(out).join("summary.json")).expect("summary");
    assert!(
        summary.contains("\"encoding\": \"windows-1256\""),
        "{summary}"
    );
    let (code, err) = run(&["verify", out]);
    assert_eq!(code, 0, "{err}");
}

/// A cell of a random table: mostly valid coordinates, with damage.
fn cell_strategy() -> impl proptest::strategy::Strategy<Value = Cell> {
    use proptest::prelude::*;
    prop_oneof![
        4 => (49.0f64..51.0).prop_map(Cell::Number),
        1 => Just(Cell::Empty),
        1 => "[a-c۰-۹٫., ]{0,6}".prop_map(Cell::Text),
        1 => (0.0f64..60_000.0).prop_map(Cell::Date),
        1 => Just(Cell::Error("#REF!")),
        1 => any::<bool>().prop_map(Cell::Bool),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// With `skip_invalid`, every non-blank row of a sheet is read or rejected (with its
    /// row), never lost; without it, the first bad row stops the reading at its row.
    #[test]
    fn no_row_of_a_sheet_is_lost(
        rows in proptest::collection::vec(
            (cell_strategy(), cell_strategy(), proptest::bool::ANY),
            1..40,
        ),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("random.xlsx");
        let mut table = vec![vec![
            Cell::Text("household_id".into()),
            Cell::Text("lon".into()),
            Cell::Text("lat".into()),
        ]];
        let mut expected = Vec::new();
        for (i, (lon, lat, blank)) in rows.iter().enumerate() {
            if *blank {
                table.push(Vec::new());
            } else {
                table.push(vec![Cell::Text(format!("h{i}")), lon.clone(), lat.clone()]);
                expected.push(table.len() as u64);
            }
        }
        write_xlsx(&path, &[Sheet::new("hh", table)]);
        let skip = ReadOptions { skip_invalid: true, ..ReadOptions::default() };
        match read_households_file(&path, &skip) {
            Ok((hh, _)) => {
                let mut lines: Vec<u64> = hh.items.iter().map(|h| h.line)
                    .chain(hh.rejected.iter().map(|r| r.line))
                    .collect();
                lines.sort_unstable();
                proptest::prop_assert_eq!(lines, expected.clone());
                for r in &hh.rejected {
                    let at = format!("sheet 'hh', row {}, column ", r.line);
                    proptest::prop_assert!(r.reason.contains(&at), "{}", r.reason);
                }
            }
            Err(e) => proptest::prop_assert!(
                matches!(e.code(), "nothing_valid" | "empty"),
                "{e}"
            ),
        }
        if let Err(e) = read_households_file(&path, &ReadOptions::default()) {
            let row = e.line().unwrap_or(0);
            proptest::prop_assert!(
                expected.contains(&row) || e.code() == "empty",
                "{e}"
            );
        }
    }

    /// Any bytes after a zip or OLE signature (taken for a workbook): an error, never a
    /// panic.
    #[test]
    fn damaged_workbooks_are_errors(
        zip in proptest::bool::ANY,
        body in proptest::collection::vec(proptest::num::u8::ANY, 0..600),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("damaged.xlsx");
        let mut bytes = if zip { b"PK\x03\x04".to_vec() } else { b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec() };
        bytes.extend_from_slice(&body);
        std::fs::write(&path, &bytes).expect("write");
        let e = read_households_file(&path, &ReadOptions::default()).expect_err("damaged");
        proptest::prop_assert_eq!(e.code(), "spreadsheet");
        proptest::prop_assert!(e.to_string().contains("damaged.xlsx"));
    }
}

/// An input file is opened once: a pipe (`/dev/stdin`) is read whole, as text or as a
/// workbook, with none of the bytes read to tell which lost.
#[cfg(target_os = "linux")]
#[test]
fn a_pipe_is_read_whole() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = dir.path().join("h.xlsx");
    write_xlsx(&xlsx, &households_sheets(false));
    for input in [std::fs::read(HOUSEHOLDS), std::fs::read(&xlsx)] {
        let input = input.expect("input");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_siting"))
            .args(["check", "/dev/stdin", "--json"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        let mut stdin = child.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let out = child.wait_with_output().expect("output");
        writer.join().expect("writer").expect("written");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(report["rows"], 24_000, "{report}");
    }
}

#[test]
fn merged_empty_cells_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("h.xlsx");
    let t = |s: &str| Cell::Text(s.to_string());
    let mut rows = vec![
        vec![t("id"), t("lon"), t("lat"), t("note")],
        vec![t("a"), Cell::Number(50.0), Cell::Number(36.0)],
        vec![t("b"), Cell::Number(50.1), Cell::Number(36.1)],
    ];
    rows.resize(8, Vec::new());
    let mut sheet = Sheet::new("hh", rows);
    // Formatting left over: empty merged cells beside and below the table.
    sheet.merged.push((1, 3, 2, 3));
    sheet.merged.push((6, 0, 7, 2));
    write_xlsx(&path, &[sheet]);
    let (hh, _) = read_households_file(&path, &ReadOptions::default()).expect("reads");
    assert_eq!(hh.len(), 2);
}
