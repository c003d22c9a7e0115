//! Workbooks written for the tests, so that no binary fixture is committed: `.xlsx` with
//! rust_xlsxwriter, `.ods` by hand (a zip archive of XML, as LibreOffice writes it), and
//! text files in other encodings.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{Format, Formula, Workbook};

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// A text cell.
    Text(String),
    /// A numeric cell.
    Number(f64),
    /// A boolean cell.
    Bool(bool),
    /// A number formatted as a date (an Excel serial day number).
    Date(f64),
    /// A formula whose cached result is this error, e.g. `#REF!`.
    Error(&'static str),
}

/// A sheet to write: its name, its rows from A1 on, and merged ranges
/// `(first_row, first_col, last_row, last_col)` (0-based) whose first cell holds its text.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    pub merged: Vec<(u32, u16, u32, u16)>,
    /// Rows left empty above the first row.
    pub skip_rows: u32,
}

impl Sheet {
    /// A sheet of `rows`.
    pub fn new(name: &str, rows: Vec<Vec<Cell>>) -> Self {
        Sheet {
            name: name.to_string(),
            rows,
            ..Sheet::default()
        }
    }
}

/// The rows of a CSV text as cells: cells of the columns named in `numeric` that parse as
/// numbers are numbers, `true`/`false` in columns named in `booleans` are booleans, the
/// rest text.
pub fn cells_of_csv(text: &str, numeric: &[&str], booleans: &[&str]) -> Vec<Vec<Cell>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut header: Vec<String> = Vec::new();
    for record in reader.records() {
        let record = record.expect("test CSV");
        if header.is_empty() {
            header = record.iter().map(str::to_string).collect();
            rows.push(header.iter().map(|h| Cell::Text(h.clone())).collect());
            continue;
        }
        let row = record
            .iter()
            .zip(&header)
            .map(|(v, h)| {
                if numeric.contains(&h.as_str())
                    && let Ok(x) = v.parse::<f64>()
                {
                    return Cell::Number(x);
                }
                if booleans.contains(&h.as_str()) && (v == "true" || v == "false") {
                    return Cell::Bool(v == "true");
                }
                if v.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(v.to_string())
                }
            })
            .collect();
        rows.push(row);
    }
    rows
}

/// Writes `sheets` as an `.xlsx` workbook at `path`.
pub fn write_xlsx(path: &Path, sheets: &[Sheet]) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let plain = Format::new();
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name).expect("sheet name");
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + sheet.skip_rows;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                let done = match cell {
                    Cell::Empty => continue,
                    Cell::Text(t) => ws.write_string(r, c, t).map(|_| ()),
                    Cell::Number(x) => ws.write_number(r, c, *x).map(|_| ()),
                    Cell::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                    Cell::Date(serial) => ws
                        .write_number_with_format(r, c, *serial, &date)
                        .map(|_| ()),
                    Cell::Error(code) => ws
                        .write_formula(r, c, Formula::new("=#REF!+1").set_result(*code))
                        .map(|_| ()),
                };
                done.expect("cell");
            }
        }
        for &(r1, c1, r2, c2) in &sheet.merged {
            let text = match sheet
                .rows
                .get(r1 as usize)
                .and_then(|row| row.get(c1 as usize))
            {
                Some(Cell::Text(t)) => t.clone(),
                _ => String::new(),
            };
            ws.merge_range(
                r1 + sheet.skip_rows,
                c1,
                r2 + sheet.skip_rows,
                c2,
                &text,
                &plain,
            )
            .expect("merge");
        }
    }
    book.save(path).expect("save xlsx");
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Writes `sheets` as an OpenDocument spreadsheet (`.ods`) at `path` (merged ranges and
/// skipped rows are not written).
pub fn write_ods(path: &Path, sheets: &[Sheet]) {
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    for sheet in sheets {
        content.push_str(&format!(
            r#"<table:table table:name="{}">"#,
            xml_escape(&sheet.name)
        ));
        for row in &sheet.rows {
            content.push_str("<table:table-row>");
            for cell in row {
                let xml = match cell {
                    Cell::Empty => "<table:table-cell/>".to_string(),
                    Cell::Text(t) => format!(
                        r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                        xml_escape(t)
                    ),
                    Cell::Number(x) => format!(
                        r#"<table:table-cell office:value-type="float" office:value="{x}"><text:p>{x}</text:p></table:table-cell>"#
                    ),
                    Cell::Bool(b) => format!(
                        r#"<table:table-cell office:value-type="boolean" office:boolean-value="{b}"><text:p>{b}</text:p></table:table-cell>"#
                    ),
                    Cell::Date(_) => r#"<table:table-cell office:value-type="date" office:date-value="1900-02-04"><text:p>1900-02-04</text:p></table:table-cell>"#.to_string(),
                    Cell::Error(code) => format!(
                        r#"<table:table-cell table:formula="of:=#REF!" office:value-type="string" office:string-value="" calcext:value-type="error"><text:p>{code}</text:p></table:table-cell>"#
                    ),
                };
                content.push_str(&xml);
            }
            content.push_str("</table:table-row>");
        }
        content.push_str("</table:table>");
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>");
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let file = std::fs::File::create(path).expect("create ods");
    let mut zip = zip::ZipWriter::new(file);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).expect("mimetype");
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("mimetype");
    zip.start_file("META-INF/manifest.xml", deflated)
        .expect("manifest");
    zip.write_all(manifest.as_bytes()).expect("manifest");
    zip.start_file("content.xml", deflated).expect("content");
    zip.write_all(content.as_bytes()).expect("content");
    zip.finish().expect("finish ods");
}

/// `text` as UTF-16 with a byte-order mark, little- or big-endian.
pub fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    bytes
}
