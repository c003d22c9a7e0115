//! A sheet of a workbook (`.xlsx`, `.xlsb`, `.xls`, `.ods`) as a [`Table`], read with
//! calamine.
//!
//! - **Which sheet:** the one named (exactly, or else as header cells are matched: case,
//!   Arabic/Persian yeh and kaf, spaces), or the workbook's first visible worksheet.
//! - **Where the table is:** its header is the first row with anything in it, and it starts
//!   at the first column with anything in it; rows and columns in messages are the sheet's.
//! - **Cells:** numbers are written out in full (the shortest text that reads back as the
//!   same number, so `51.4` typed as a number or as text reads alike), booleans as
//!   `true`/`false`, text as it is. Dates, times and formula errors (`#REF!`) are marked:
//!   reading one where a value is expected is an error. Blank rows are skipped (and
//!   counted in row numbers).
//! - **Merged cells** in the table (header or rows) are an error when they hold a value:
//!   only the first cell of a merged range keeps it, and the others read as empty. calamine
//!   reports them for `.xlsx` and `.xls`.
//! - The workbook is read whole into memory; a failure inside calamine (it parses untrusted
//!   bytes) is caught and reported as [`Error::Spreadsheet`].

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Dimensions, Ods, Range, Reader, SheetType, SheetVisible, Sheets};
use calamine::{Xls, Xlsb, Xlsx, XlsxError};

use crate::error::{Error, Result};
use crate::io::read::csv::csv_line;
use crate::io::read::format::Workbook;
use crate::io::read::names::header_key;
use crate::io::read::table::{Mark, Origin, SheetPlace, Table, TableRow};
use crate::text::column_letters;

/// A sheet's table.
pub(crate) struct SheetTable {
    origin: Origin,
    header: Vec<String>,
    /// The sheet's used range; its first row is the header.
    range: Range<Data>,
    /// The next row of `range` to read.
    next: usize,
    /// Data rows read.
    record: u64,
    /// The sheet row (1-based) of `range`'s first row.
    first_row: u64,
}

/// Opens sheet `sheet` (or the first) of the workbook `bytes` of kind `kind`, read from
/// `path`.
///
/// # Errors
/// [`Error::Spreadsheet`] when the workbook cannot be read, [`Error::NoSuchSheet`],
/// [`Error::InSheet`] with [`Error::Empty`] for an empty sheet, [`Error::MergedCells`].
pub(crate) fn open_sheet(
    path: &Path,
    bytes: Vec<u8>,
    kind: Workbook,
    sheet: Option<&str>,
) -> Result<SheetTable> {
    let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        open_caught(path, bytes, kind, sheet)
    }));
    opened.unwrap_or_else(|_| {
        Err(spreadsheet(
            path,
            format!(
                "cannot be read as a workbook ({}): the reader failed on it; is it damaged? \
                 Open it in Excel or LibreOffice and save it again",
                kind.extension()
            ),
        ))
    })
}

fn spreadsheet(path: &Path, message: String) -> Error {
    Error::Spreadsheet {
        path: path.to_path_buf(),
        message,
    }
}

/// [`open_sheet`], without catching a failure inside calamine.
fn open_caught(
    path: &Path,
    bytes: Vec<u8>,
    kind: Workbook,
    wanted: Option<&str>,
) -> Result<SheetTable> {
    let mut book = open_book(bytes, kind).map_err(|message| spreadsheet(path, message))?;
    let (name, other_sheets) = choose_sheet(&book, wanted, path)?;
    let range = book.worksheet_range(&name).map_err(|e| {
        spreadsheet(
            path,
            format!("sheet '{name}' cannot be read: {e}; is the workbook damaged?"),
        )
    })?;
    let merged = merged_cells(&mut book, &name);
    SheetTable::new(path, name, other_sheets, range, &merged)
}

/// The workbook in `bytes`, or why it cannot be read.
fn open_book(
    bytes: Vec<u8>,
    kind: Workbook,
) -> std::result::Result<Sheets<Cursor<Vec<u8>>>, String> {
    let damaged = |e: &dyn std::fmt::Display| {
        format!(
            "cannot be read as a workbook ({}): {e}; is it damaged, or another kind of file \
             with a spreadsheet's name? Open it in Excel or LibreOffice and save it again",
            kind.extension()
        )
    };
    match kind {
        Workbook::Xlsx => Xlsx::new(Cursor::new(bytes))
            .map(Sheets::Xlsx)
            .map_err(|e| match e {
                XlsxError::Password => password_message(),
                e => damaged(&e),
            }),
        Workbook::Xlsb => Xlsb::new(Cursor::new(bytes))
            .map(Sheets::Xlsb)
            .map_err(|e| damaged(&e)),
        Workbook::Ods => Ods::new(Cursor::new(bytes))
            .map(Sheets::Ods)
            .map_err(|e| damaged(&e)),
        // An OLE file is an .xls, or an encrypted .xlsx.
        Workbook::Xls => match Xls::new(Cursor::new(bytes.clone())) {
            Ok(book) => Ok(Sheets::Xls(book)),
            Err(e) => match Xlsx::new(Cursor::new(bytes)) {
                Err(XlsxError::Password) => Err(password_message()),
                _ => Err(damaged(&e)),
            },
        },
    }
}

fn password_message() -> String {
    "is protected by a password, which siting cannot open; save a copy without the password \
     (in Excel: File › Info › Protect Workbook › Encrypt with Password, then clear it)"
        .to_string()
}

/// The sheet to read: `wanted` (see the module docs) or the first visible worksheet; with
/// the workbook's other sheets when none was named.
fn choose_sheet(
    book: &Sheets<Cursor<Vec<u8>>>,
    wanted: Option<&str>,
    path: &Path,
) -> Result<(String, Vec<String>)> {
    let names = book.sheet_names();
    if let Some(wanted) = wanted {
        if names.iter().any(|n| n == wanted) {
            return Ok((wanted.to_string(), Vec::new()));
        }
        let key = header_key(wanted);
        let alike: Vec<&String> = names.iter().filter(|n| header_key(n) == key).collect();
        if let [one] = alike[..] {
            return Ok((one.clone(), Vec::new()));
        }
        return Err(Error::NoSuchSheet {
            path: path.to_path_buf(),
            sheet: wanted.to_string(),
            sheets: names,
        });
    }
    let first = book
        .sheets_metadata()
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .or_else(|| names.first().cloned())
        .ok_or_else(|| spreadsheet(path, "has no sheets".to_string()))?;
    let others = names.into_iter().filter(|n| *n != first).collect();
    Ok((first, others))
}

/// The merged ranges of sheet `name` (none where calamine does not report them).
fn merged_cells(book: &mut Sheets<Cursor<Vec<u8>>>, name: &str) -> Vec<Dimensions> {
    match book {
        Sheets::Xlsx(b) => b.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(b) => b.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    }
}

/// A cell's place as a spreadsheet names it (`C12`), from 0-based row and column.
fn cell_name(row: u32, column: u32) -> String {
    format!(
        "{}{}",
        column_letters(column as usize + 1),
        u64::from(row) + 1
    )
}

/// A cell as text, and its mark when it holds no plain value.
fn cell_text(cell: &Data) -> (String, Option<Mark>) {
    match cell {
        Data::Empty => (String::new(), None),
        Data::String(s) => (s.clone(), None),
        Data::Int(i) => (i.to_string(), None),
        // Display writes the shortest text that reads back as the same number, in full.
        Data::Float(f) => (f.to_string(), None),
        Data::Bool(b) => (b.to_string(), None),
        Data::DateTime(d) => {
            let shown = if d.is_duration() {
                format!("a duration of {} days", d.as_f64())
            } else {
                let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
                if (h, min, s) == (0, 0, 0) {
                    format!("{y:04}-{m:02}-{day:02}")
                } else {
                    format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{s:02}")
                }
            };
            (shown.clone(), Some(Mark::Date(shown)))
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => (s.clone(), Some(Mark::Date(s.clone()))),
        Data::Error(e) => (e.to_string(), Some(Mark::FormulaError(e.to_string()))),
    }
}

/// True when every cell of `row` is empty.
fn blank<'a>(mut row: impl Iterator<Item = &'a Data>) -> bool {
    row.all(|c| matches!(c, Data::Empty) || matches!(c, Data::String(s) if s.is_empty()))
}

impl SheetTable {
    /// The table of sheet `name`, whose used range is `range`; `merged` are its merged
    /// ranges.
    fn new(
        path: &Path,
        name: String,
        other_sheets: Vec<String>,
        range: Range<Data>,
        merged: &[Dimensions],
    ) -> Result<Self> {
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let empty = range.is_empty() || range.rows().all(|r| blank(r.iter()));
        let origin = Origin {
            path: path.to_path_buf(),
            sheet: Some(SheetPlace {
                name: std::sync::Arc::new(name),
                header_row: if empty { 0 } else { u64::from(first_row) + 1 },
                first_column: first_column as usize + 1,
                other_sheets,
            }),
        };
        if empty {
            return Err(origin.place(Error::Empty {
                path: path.to_path_buf(),
            }));
        }
        let mut table = SheetTable {
            origin,
            header: Vec::new(),
            range,
            next: 1,
            record: 0,
            first_row: u64::from(first_row) + 1,
        };
        table.header = table.row_text(0);
        table.check_merged(merged)?;
        Ok(table)
    }

    /// Refuses merged ranges that reach into the table.
    fn check_merged(&self, merged: &[Dimensions]) -> Result<()> {
        let (Some((top, left)), Some((bottom, right))) = (self.range.start(), self.range.end())
        else {
            return Ok(());
        };
        // A merged range of empty cells (formatting left over) loses nothing.
        let holds_value = |d: &Dimensions| {
            self.range
                .get_value(d.start)
                .is_some_and(|c| !blank(std::iter::once(c)))
        };
        let mut inside: Vec<&Dimensions> = merged
            .iter()
            .filter(|d| d.end.0 >= top && d.start.0 <= bottom)
            .filter(|d| d.end.1 >= left && d.start.1 <= right)
            .filter(|d| holds_value(d))
            .collect();
        inside.sort();
        let Some(d) = inside.first() else {
            return Ok(());
        };
        Err(Error::MergedCells {
            path: self.origin.path.clone(),
            sheet: self
                .origin
                .sheet
                .as_ref()
                .map_or_else(String::new, |s| s.name.to_string()),
            cells: format!(
                "{}:{}",
                cell_name(d.start.0, d.start.1),
                cell_name(d.end.0, d.end.1)
            ),
            row: u64::from(d.start.0) + 1,
            in_header: d.start.0 <= top,
        })
    }

    /// The cells of row `i` of the range.
    fn cells(&self, i: usize) -> impl Iterator<Item = &Data> + Clone {
        (0..self.range.width()).filter_map(move |c| self.range.get((i, c)))
    }

    /// Row `i` of the range as text cells.
    fn row_text(&self, i: usize) -> Vec<String> {
        self.cells(i).map(|c| cell_text(c).0).collect()
    }
}

impl Table for SheetTable {
    fn header(&self) -> &[String] {
        &self.header
    }

    fn origin(&self) -> &Origin {
        &self.origin
    }

    fn next_row(&mut self, row: &mut TableRow) -> Result<bool> {
        while self.next < self.range.height() {
            let i = self.next;
            self.next += 1;
            if blank(self.cells(i)) {
                continue;
            }
            self.record += 1;
            let cells = self.cells(i);
            row.cells.clear();
            row.marks.clear();
            for (c, cell) in cells.enumerate() {
                let (text, mark) = cell_text(cell);
                row.cells.push_field(text.as_bytes());
                if let Some(mark) = mark {
                    row.marks.push((c, mark));
                }
            }
            row.line = self.first_row + i as u64;
            row.record = self.record;
            return Ok(true);
        }
        Ok(false)
    }

    fn raw(&self, row: &TableRow) -> String {
        csv_line(&row.cells, b',')
    }

    fn rows_below_header(&self, n: usize) -> Vec<(u64, Vec<String>)> {
        (1..self.range.height())
            .map(|i| (self.first_row + i as u64, self.row_text(i)))
            .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
            .take(n)
            .collect()
    }
}
