//! Tables: a header and rows of cells, from a text (CSV) file or from a sheet of a workbook,
//! read the same way whatever the source, each cell with its place for messages.
//!
//! A reader of rows works on a [`Table`]: it finds its columns in [`Table::header`] (with
//! [`find_columns`], which also says where a sheet's header really is), then reads
//! [`TableRow`]s, reading cells as text through [`RowRef::text`] (which refuses a date or a
//! formula error where a value is expected, and text that is not UTF-8) and placing errors
//! with [`RowRef::at`]: `file:line:column` in a text file, `file: sheet 'S', row 12, column
//! C ('lat')` in a sheet. [`CsvTable`] is the text source; the sheet source is in `sheet`,
//! and `open` opens a file as either. The households reader keeps a faster parallel path
//! for text and reads workbooks (and its single pass) through this.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result, ValueProblem};
use crate::io::read::csv::CsvInput;
use crate::io::read::encoding::not_utf8;
use crate::lang::Lang;
use crate::model::Rejected;

/// Where a table's header is in its sheet, when the table is a sheet of a workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SheetPlace {
    /// The sheet's name (shared with the locations in the sheet).
    pub(crate) name: std::sync::Arc<String>,
    /// The header's row, 1-based (0 for an empty sheet).
    pub(crate) header_row: u64,
    /// The header's first column, 1-based (A = 1).
    pub(crate) first_column: usize,
    /// The workbook's other sheets, when this one was read for being the first.
    pub(crate) other_sheets: Vec<String>,
}

/// Where a table comes from: its file and, in a workbook, its sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    /// The file, as named in messages.
    pub(crate) path: PathBuf,
    /// The sheet, for a workbook.
    pub(crate) sheet: Option<SheetPlace>,
}

impl Origin {
    /// A text file's origin.
    pub(crate) fn text(path: &Path) -> Self {
        Origin {
            path: path.to_path_buf(),
            sheet: None,
        }
    }

    /// The location of the row at `line` (a sheet's row) and data record `record`, in
    /// `column` (0-based, of the header) if given.
    pub(crate) fn location(
        &self,
        header: &[String],
        line: u64,
        record: u64,
        column: Option<usize>,
    ) -> Location {
        let first_column = self.sheet.as_ref().map_or(1, |s| s.first_column);
        Location {
            path: self.path.clone(),
            line,
            record,
            column: column.map(|c| c + first_column),
            column_name: column.and_then(|c| header.get(c).map(|h| h.as_str().into())),
            sheet: self.sheet.as_ref().map(|s| s.name.clone()),
        }
    }

    /// `err` placed in the sheet ([`Error::InSheet`]) when it is about the table as a whole
    /// (its header, no rows) and the table is a sheet; otherwise `err` as it is.
    pub(crate) fn place(&self, err: Error) -> Error {
        let Some(sheet) = &self.sheet else {
            return err;
        };
        match err {
            Error::MissingColumn { .. }
            | Error::DuplicateColumn { .. }
            | Error::InvalidHeader { .. }
            | Error::Empty { .. }
            | Error::NothingValid { .. } => Error::InSheet {
                sheet: sheet.name.to_string(),
                header_row: sheet.header_row,
                first_column: sheet.first_column,
                other_sheets: sheet.other_sheets.clone(),
                error: Box::new(err),
            },
            other => other,
        }
    }
}

/// A cell that holds no plain value: a spreadsheet's date or formula error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mark {
    /// A date, time or duration, as shown.
    Date(String),
    /// A formula error such as `#REF!`.
    FormulaError(String),
}

impl Mark {
    /// Why the cell cannot be read.
    fn problem(&self) -> ValueProblem {
        match self {
            Mark::Date(shown) => ValueProblem::Date {
                shown: shown.clone(),
            },
            Mark::FormulaError(code) => ValueProblem::FormulaError { code: code.clone() },
        }
    }
}

/// One data row of a table.
#[derive(Debug, Clone, Default)]
pub(crate) struct TableRow {
    /// The cells as text (a sheet's numbers written out in full).
    pub(crate) cells: csv::ByteRecord,
    /// The cells that hold no plain value, by column (0-based); empty for text files.
    pub(crate) marks: Vec<(usize, Mark)>,
    /// 1-based physical line in a text file, or row in a sheet.
    pub(crate) line: u64,
    /// 1-based data record (the header and blank rows are not counted).
    pub(crate) record: u64,
}

/// A source of rows under a header.
pub(crate) trait Table {
    /// The header cells as written (without a byte-order mark).
    fn header(&self) -> &[String];

    /// Where the table comes from.
    fn origin(&self) -> &Origin;

    /// Reads the next data row into `row`; false at the end. Blank lines and rows are
    /// skipped (but counted in [`TableRow::line`]).
    ///
    /// # Errors
    /// [`Error::Csv`] or [`Error::Io`] when the input cannot be read.
    fn next_row(&mut self, row: &mut TableRow) -> Result<bool>;

    /// The row as text, re-joined with the file's delimiter (a comma for a sheet) and
    /// quoted where needed, for `rejected.csv`.
    fn raw(&self, row: &TableRow) -> String;

    /// Up to `n` non-blank rows below the header, with their line numbers: where to look
    /// for a header that is not on the first row. Only sheets have them.
    fn rows_below_header(&self, _n: usize) -> Vec<(u64, Vec<String>)> {
        Vec::new()
    }

    /// Checks that `row` has as many cells as the header.
    ///
    /// # Errors
    /// [`Error::RowWidth`] naming both counts.
    fn check_width(&self, row: &TableRow) -> Result<()> {
        let header = self.header();
        if row.cells.len() == header.len() {
            return Ok(());
        }
        let multiline = row.cells.iter().any(|f| f.contains(&b'\n'));
        Err(Error::RowWidth {
            location: self.origin().location(header, row.line, row.record, None),
            fields: row.cells.len(),
            header: header.len(),
            multiline,
        })
    }
}

/// Rows searched below a sheet's first row for its real header.
const HEADER_SEARCH_ROWS: usize = 20;

/// The columns `find` finds in `table`'s header. In a sheet whose first row lacks a column
/// that a row below has (a title above the header), [`Error::HeaderNotFirst`] says where the
/// header is.
///
/// # Errors
/// `find`'s error, or [`Error::HeaderNotFirst`].
pub(crate) fn find_columns<C>(
    table: &dyn Table,
    find: impl Fn(&[String]) -> Result<C>,
) -> Result<C> {
    let err = match find(table.header()) {
        Ok(columns) => return Ok(columns),
        Err(err) => err,
    };
    let origin = table.origin();
    let (Error::MissingColumn { .. }, Some(sheet)) = (&err, &origin.sheet) else {
        return Err(err);
    };
    let cells = |row: &[String]| {
        row.iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (line, row) in table.rows_below_header(HEADER_SEARCH_ROWS) {
        if !matches!(find(&row), Err(Error::MissingColumn { .. })) {
            return Err(Error::HeaderNotFirst {
                path: origin.path.clone(),
                sheet: sheet.name.to_string(),
                header_row: line,
                found: cells(&row),
                first_row: sheet.header_row,
                above: cells(table.header()),
            });
        }
    }
    Err(err)
}

/// A row of a table with what placing its cells needs.
#[derive(Clone, Copy)]
pub(crate) struct RowRef<'a> {
    pub(crate) origin: &'a Origin,
    pub(crate) header: &'a [String],
    pub(crate) row: &'a TableRow,
}

impl<'a> RowRef<'a> {
    /// The row of `table`.
    pub(crate) fn new(table: &'a dyn Table, row: &'a TableRow) -> Self {
        RowRef {
            origin: table.origin(),
            header: table.header(),
            row,
        }
    }

    /// The row's line (a sheet's row).
    pub(crate) fn line(&self) -> u64 {
        self.row.line
    }

    /// The location of the row, in `column` (0-based).
    pub(crate) fn at(&self, column: usize) -> Location {
        self.origin
            .location(self.header, self.row.line, self.row.record, Some(column))
    }

    /// [`Error::InvalidValue`] at `column`.
    pub(crate) fn invalid(&self, column: usize, problem: ValueProblem) -> Error {
        Error::InvalidValue {
            location: self.at(column),
            problem: Box::new(problem),
        }
    }

    /// [`Error::InvalidNumber`] at `column`: `text`, which holds `what`, is not a number
    /// as wanted.
    pub(crate) fn invalid_number(
        &self,
        column: usize,
        what: &'static str,
        text: &str,
        problem: crate::error::NumberProblem,
    ) -> Error {
        Error::InvalidNumber {
            location: self.at(column),
            field: Box::new(crate::error::NumberField {
                what,
                text: text.trim().to_string(),
                problem,
            }),
        }
    }

    /// Cell `column` as text.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a date or a formula error, [`Error::NotUtf8`] for text
    /// that is not UTF-8.
    pub(crate) fn text(&self, column: usize) -> Result<&'a str> {
        if let Some((_, mark)) = self.row.marks.iter().find(|(c, _)| *c == column) {
            return Err(self.invalid(column, mark.problem()));
        }
        let bytes = self.row.cells.get(column).unwrap_or_default();
        std::str::from_utf8(bytes).map_err(|_| not_utf8(self.at(column), bytes))
    }
}

/// The outcome of one row of `table`: an error stops the reading, or with `skip_invalid`
/// sets the row aside in `rejected` (with its text and the reason, in `lang`).
///
/// # Errors
/// `outcome`'s error, unless `skip_invalid`.
pub(crate) fn settle<T: Table + ?Sized>(
    outcome: Result<()>,
    table: &T,
    row: &TableRow,
    skip_invalid: bool,
    lang: Lang,
    rejected: &mut Vec<Rejected>,
) -> Result<()> {
    match outcome {
        Ok(()) => Ok(()),
        Err(e) if skip_invalid => {
            rejected.push(Rejected {
                file: table.origin().path.display().to_string(),
                line: row.line,
                raw: table.raw(row),
                reason: e.message(lang),
            });
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// A text (delimited) input as a [`Table`]: see [`CsvInput`].
pub(crate) struct CsvTable<R: Read> {
    input: CsvInput<R>,
    origin: Origin,
}

impl<R: Read> CsvTable<R> {
    /// Opens `reader` (UTF-8) and reads its header. `path` is only used in messages.
    ///
    /// # Errors
    /// As [`CsvInput::open`].
    pub(crate) fn open(reader: R, path: &Path) -> Result<Self> {
        Ok(CsvTable {
            input: CsvInput::open(reader, path)?,
            origin: Origin::text(path),
        })
    }
}

impl<R: Read> Table for CsvTable<R> {
    fn header(&self) -> &[String] {
        &self.input.header
    }

    fn origin(&self) -> &Origin {
        &self.origin
    }

    fn next_row(&mut self, row: &mut TableRow) -> Result<bool> {
        match self.input.next_record(&mut row.cells, &self.origin.path)? {
            Some(pos) => {
                row.line = pos.line();
                row.record = pos.record();
                row.marks.clear();
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn raw(&self, row: &TableRow) -> String {
        self.input.raw(&row.cells)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_tables_place_cells_by_line() -> Result<()> {
        let text = "id,lon,lat\n\na,51,35\nb,x\n";
        let mut table = CsvTable::open(text.as_bytes(), Path::new("t.csv"))?;
        let mut row = TableRow::default();
        assert!(table.next_row(&mut row)?);
        assert_eq!((row.line, row.record), (3, 1));
        let r = RowRef::new(&table, &row);
        assert_eq!(r.text(1)?, "51");
        assert_eq!(r.at(2).to_string(), "t.csv:3:3 (record 1, column 'lat')");
        assert!(table.next_row(&mut row)?);
        let e = table.check_width(&row).map_err(|e| e.to_string());
        assert!(e.is_err_and(|e| e.contains("t.csv:4") && e.contains("2 fields")));
        assert_eq!(table.raw(&row), "b,x");
        assert!(!table.next_row(&mut row)?);
        Ok(())
    }

    #[test]
    fn sheets_place_cells_by_row_and_letter() {
        let origin = Origin {
            path: "h.xlsx".into(),
            sheet: Some(SheetPlace {
                name: std::sync::Arc::new("households".into()),
                header_row: 2,
                first_column: 2,
                other_sheets: Vec::new(),
            }),
        };
        let header = ["id", "lon", "lat"].map(String::from);
        let mut row = TableRow {
            line: 12,
            record: 10,
            ..TableRow::default()
        };
        row.cells.push_field(b"a");
        row.cells.push_field(b"51");
        row.cells.push_field(b"#REF!");
        row.marks.push((2, Mark::FormulaError("#REF!".to_string())));
        let r = RowRef {
            origin: &origin,
            header: &header,
            row: &row,
        };
        assert_eq!(
            r.at(2).to_string(),
            "h.xlsx: sheet 'households', row 12, column D ('lat')"
        );
        let e = r.text(2).map_err(|e| e.to_string());
        assert!(e.is_err_and(|e| {
            e.contains("column D ('lat'): the cell holds the formula error #REF!")
        }));
        let placed = origin.place(Error::Empty {
            path: "h.xlsx".into(),
        });
        assert_eq!(placed.code(), "empty");
        assert_eq!(
            placed.to_string(),
            "h.xlsx: sheet 'households' has no data rows below its header on row 2"
        );
    }
}
