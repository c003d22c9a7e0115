//! An input file opened as a [`Table`], whatever its format (text in any supported
//! encoding, or a sheet of a workbook), with the SHA-256 and size of its bytes for the
//! audit.
//!
//! A reader that works on a [`Table`] reads every format through [`read_table_file`]:
//!
//! ```text
//! let ((rows, n), sha256, bytes) = read_table_file(path, options, |table| {
//!     let columns = find_columns(table, |header| Columns::find(header, path))?;
//!     let mut row = TableRow::default();
//!     while table.next_row(&mut row)? {
//!         let cells = RowRef::new(table, &row);
//!         // cells.text(columns.id)?, cells.at(column), …
//!     }
//!     Ok(…)
//! })?;
//! ```

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::io::read::csv::{ReadOptions, hash_through, hex};
use crate::io::read::encoding::{TextReader, sniff};
use crate::io::read::format::{Format, Workbook, open_file};
use crate::io::read::sheet::open_sheet;
use crate::io::read::table::{CsvTable, Table};

/// Reads the file at `path` as a table with `read`: a text file decoded as
/// [`ReadOptions::encoding`] says, or sheet [`ReadOptions::sheet`] of a workbook. Returns
/// `read`'s value, the file's lowercase-hex SHA-256 and its size in bytes. Errors about a
/// sheet's table as a whole come placed in the sheet ([`Error::InSheet`]).
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, [`Error::NoSuchSheet`] for a sheet named for
/// a text file, any error of opening the table, and `read`'s.
pub(crate) fn read_table_file<T>(
    path: &Path,
    options: &ReadOptions,
    read: impl FnOnce(&mut dyn Table) -> Result<T>,
) -> Result<(T, String, u64)> {
    let (format, file) = open_file(path)?;
    match format {
        Format::Text => {
            no_sheet_in_text(path, options)?;
            hash_through(file, path, |reader| {
                let (decode, reader) = sniff(reader, options.encoding.as_deref(), path)?;
                let mut table = CsvTable::open(TextReader::new(reader, decode), path)?;
                read(&mut table)
            })
        }
        Format::Workbook(kind) => read_workbook(file, path, kind, options, read),
    }
}

/// Reads sheet [`ReadOptions::sheet`] of the workbook of kind `kind` in `input` (read from
/// `path`) with `read`, as [`read_table_file`] does.
///
/// # Errors
/// As [`read_table_file`].
pub(crate) fn read_workbook<T>(
    mut input: impl Read,
    path: &Path,
    kind: Workbook,
    options: &ReadOptions,
    read: impl FnOnce(&mut dyn Table) -> Result<T>,
) -> Result<(T, String, u64)> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("reading", path, e))?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let size = bytes.len() as u64;
    let mut table = open_sheet(path, bytes, kind, options.sheet.as_deref())?;
    let value = read(&mut table).map_err(|e| table.origin().place(e))?;
    Ok((value, sha256, size))
}

/// Refuses a sheet named for a text file.
///
/// # Errors
/// [`Error::NoSuchSheet`] (with no sheets) when [`ReadOptions::sheet`] is set.
pub(crate) fn no_sheet_in_text(path: &Path, options: &ReadOptions) -> Result<()> {
    match &options.sheet {
        Some(sheet) => Err(Error::NoSuchSheet {
            path: path.to_path_buf(),
            sheet: sheet.clone(),
            sheets: Vec::new(),
        }),
        None => Ok(()),
    }
}
