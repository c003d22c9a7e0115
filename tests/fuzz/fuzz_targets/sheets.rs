//! Workbooks through the file readers: never a panic, and no row silently lost.
//!
//! The first byte chooses the mode:
//! - odd: the rest is a workbook's raw bytes (after the zip or OLE signature that makes the
//!   readers take it for `.xlsx` or `.xls`), for calamine's robustness (a failure inside it
//!   must come out as an error);
//! - even: the rest is a table (rows split at `\n`, cells at `,`; a cell that parses as a
//!   number is a number, `#…` a formula error, `D…` a date, anything else text) written as
//!   `.xlsx` with rust_xlsxwriter, for the sheet reader's own logic: with `skip_invalid`,
//!   every non-blank row below the header is either read or rejected.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rust_xlsxwriter::{Format, Formula, Workbook};
use siting::{ReadOptions, read_applicants_file, read_households_file};
use std::path::PathBuf;

/// One file per fuzzing process, rewritten for each input.
fn scratch(extension: &str) -> PathBuf {
    std::env::temp_dir().join(format!("siting-fuzz-{}.{extension}", std::process::id()))
}

/// Writes `table` as a workbook; returns the number of non-blank rows below the header (the
/// first non-blank row).
fn write_table(table: &[u8], path: &std::path::Path) -> Option<usize> {
    let text = String::from_utf8_lossy(table);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut non_blank = 0usize;
    for (r, line) in text.split('\n').take(200).enumerate() {
        let mut blank = true;
        for (c, cell) in line.split(',').take(50).enumerate() {
            let (r, c) = (r as u32, c as u16);
            if cell.is_empty() {
                continue;
            }
            blank = false;
            let written = if let Ok(x) = cell.parse::<f64>().map_err(|_| ()).and_then(|x| {
                if x.is_finite() { Ok(x) } else { Err(()) }
            }) {
                sheet.write_number(r, c, x).map(|_| ())
            } else if let Some(code) = cell.strip_prefix('#') {
                let code = if code.is_empty() { "#REF!" } else { "#N/A" };
                sheet
                    .write_formula(r, c, Formula::new("=1/0").set_result(code))
                    .map(|_| ())
            } else if cell.starts_with('D') {
                sheet
                    .write_number_with_format(r, c, cell.len() as f64 * 7.5, &date)
                    .map(|_| ())
            } else {
                sheet.write_string(r, c, cell).map(|_| ())
            };
            written.ok()?;
        }
        non_blank += usize::from(!blank);
    }
    book.save(path).ok()?;
    Some(non_blank.saturating_sub(1))
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let skip = ReadOptions {
        skip_invalid: true,
        ..ReadOptions::default()
    };
    if mode % 2 == 1 {
        let signature: &[u8] = if mode % 4 == 1 {
            b"PK\x03\x04"
        } else {
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
        };
        let path = scratch("xlsx");
        let mut bytes = signature.to_vec();
        bytes.extend_from_slice(rest);
        if std::fs::write(&path, &bytes).is_err() {
            return;
        }
        let _ = read_households_file(&path, &ReadOptions::default());
        let _ = read_applicants_file(&path, &skip);
        return;
    }
    let path = scratch("xlsx");
    let Some(data_rows) = write_table(rest, &path) else {
        return;
    };
    let _ = read_households_file(&path, &ReadOptions::default());
    let _ = read_applicants_file(&path, &ReadOptions::default());
    if let Ok((hh, digest)) = read_households_file(&path, &skip) {
        assert_eq!(hh.len() + hh.rejected.len(), data_rows);
        assert_eq!(digest.rows as usize, hh.len());
        assert!(hh.rejected.iter().all(|r| r.reason.contains("sheet 'Sheet1', row")));
    }
    if let Ok((a, digest)) = read_applicants_file(&path, &skip) {
        assert_eq!(digest.rows as usize, data_rows);
        assert!(a.items.iter().all(|x| x.proposals.len() <= 5));
    }
});
