//! The CSV plumbing the readers share: delimiter sniffing, a record reader that keeps line
//! numbers and raw rows (for positioned errors and rejects), hashing of the bytes read (for
//! the audit), and the longitude/latitude checks. Header lookup with aliases is in
//! `names` (re-exported here), reading any table (CSV or a sheet) in `table`.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{CoordinateProblem, Error, Location, Result};
use crate::io::read::encoding::not_utf8;

// Where the readers found these before `names` held them.
#[allow(unused_imports)]
pub(crate) use crate::io::read::names::{
    LAT_NAMES, LON_NAMES, find_column, header_key, require_column,
};

/// Options for [`crate::read_households`] and [`crate::read_applicants`] (and their
/// `_file` forms).
///
/// ```
/// let options = siting::ReadOptions {
///     by: vec!["استان".into()],
///     sheet: Some("households".into()),
///     ..Default::default()
/// };
/// assert_eq!(options.encoding, None); // UTF-8, or as a byte-order mark says
/// assert_eq!(options.lang, siting::lang::Lang::En); // rejected rows' reasons in English
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Region columns (`--by`); empty for one region covering the whole file.
    pub by: Vec<String>,
    /// Coordinates are projected eastings/northings (`--crs`), so the longitude/latitude
    /// range checks are skipped.
    pub projected: bool,
    /// Set bad rows aside (into `rejected`, with the reason) instead of stopping at the first
    /// one (`--skip-invalid`). Problems with the file as a whole (no such column, no rows)
    /// still stop the run.
    pub skip_invalid: bool,
    /// The sheet to read from a workbook (`.xlsx`, `.xls`, `.ods`; `--sheet`). Default: the
    /// first (visible) sheet. Naming a sheet for a text file is an error
    /// ([`crate::Error::NoSuchSheet`]).
    pub sheet: Option<String>,
    /// The encoding of a text file, as a WHATWG Encoding Standard label such as
    /// `windows-1256` (`--encoding`). Default: UTF-8. A UTF-16 or UTF-8 byte-order mark
    /// overrides it; workbooks carry their own encoding and ignore it.
    pub encoding: Option<String>,
    /// The language of the reasons given for the rows set aside with `skip_invalid`
    /// (`rejected.csv`'s `reason`; `--lang`). Default: English.
    pub lang: crate::lang::Lang,
}

/// What was read from an input file, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputDigest {
    /// Path as given.
    pub path: PathBuf,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// File size in bytes.
    pub bytes: u64,
    /// Data rows read.
    pub rows: u64,
}

/// A reader that hashes every byte passing through it.
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Opens `path`, runs `read` on its contents, then reads whatever `read` left so that the
/// returned lowercase-hex SHA-256 and byte count cover the whole file.
///
/// # Errors
/// [`Error::Io`] if the file cannot be opened or read, or whatever `read` returns.
pub(crate) fn read_hashed<T>(
    path: &Path,
    read: impl FnOnce(&mut dyn Read) -> Result<T>,
) -> Result<(T, String, u64)> {
    let file = std::fs::File::open(path).map_err(|e| Error::io("opening", path, e))?;
    hash_through(file, path, read)
}

/// Runs `read` on `input` (read from `path`), then reads whatever `read` left so that the
/// returned lowercase-hex SHA-256 and byte count cover the whole input.
///
/// # Errors
/// [`Error::Io`] if the input cannot be read, or whatever `read` returns.
pub(crate) fn hash_through<T>(
    input: impl Read,
    path: &Path,
    read: impl FnOnce(&mut dyn Read) -> Result<T>,
) -> Result<(T, String, u64)> {
    let mut hashing = HashingReader {
        inner: input,
        hasher: Sha256::new(),
        bytes: 0,
    };
    let value = read(&mut hashing)?;
    // Drain anything the CSV reader did not consume so the hash covers the whole file.
    std::io::copy(&mut hashing, &mut std::io::sink()).map_err(|e| Error::io("reading", path, e))?;
    Ok((value, hex(&hashing.hasher.finalize()), hashing.bytes))
}

/// Lowercase hex SHA-256 of a whole file, as recorded in `summary.json`.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read.
pub fn sha256_file(path: &Path) -> Result<String> {
    let ((), sha, _) = read_hashed(path, |_| Ok(()))?;
    Ok(sha)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Guesses the delimiter from the header line: comma unless the line has none and has
/// semicolons or tabs instead.
pub(crate) fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let count = |d: u8| line.iter().filter(|&&b| b == d).count();
    let (commas, semis, tabs) = (count(b','), count(b';'), count(b'\t'));
    if commas > 0 {
        b','
    } else if tabs >= semis && tabs > 0 {
        b'\t'
    } else if semis > 0 {
        b';'
    } else {
        b','
    }
}

/// Converts a csv-crate error into a positioned [`Error::Csv`]. An error without a
/// position of its own (a read error, such as text that is not valid in its encoding) is
/// placed at `at`, where the reader stood.
pub(crate) fn csv_error(err: csv::Error, path: &Path, at: &csv::Position) -> Error {
    let (line, record) = err
        .position()
        .map_or((at.line().max(1), at.record()), |p| (p.line(), p.record()));
    let message = match err.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            format!(
                "field {} is not valid UTF-8; save the file as UTF-8",
                err.field() + 1
            )
        }
        csv::ErrorKind::Io(e) => format!("read error: {e}"),
        _ => err.to_string(),
    };
    Error::Csv {
        location: Location {
            path: path.to_path_buf(),
            line,
            record,
            column: None,
            column_name: None,
            sheet: None,
        },
        message,
    }
}

/// A CSV input opened the way every reader of this crate opens it: the delimiter sniffed
/// from the header line, the header read (BOM removed), and line numbers corrected for
/// CRLF files.
pub(crate) struct CsvInput<R: Read> {
    csv: csv::Reader<BufReader<Windowed<R>>>,
    /// The latest bytes read, to find where a record's text starts.
    window: std::rc::Rc<std::cell::RefCell<Window>>,
    /// The header cells as written, without a BOM.
    pub(crate) header: Vec<String>,
    /// The csv crate reports the line of a CRLF record one short; added back to each line.
    crlf_fix: u64,
    /// The delimiter in use.
    pub(crate) delimiter: u8,
}

impl<R: Read> CsvInput<R> {
    /// Opens `reader` and reads its header. `path` is only used in messages.
    ///
    /// # Errors
    /// [`Error::Empty`] for an empty input, [`Error::Io`] or [`Error::Csv`] if the header
    /// cannot be read, [`Error::NotUtf8`] if a header cell is not UTF-8.
    pub(crate) fn open(reader: R, path: &Path) -> Result<Self> {
        let window = std::rc::Rc::new(std::cell::RefCell::new(Window::default()));
        let reader = Windowed {
            inner: reader,
            window: window.clone(),
        };
        let mut buffered = BufReader::with_capacity(1 << 16, reader);
        let head = buffered
            .fill_buf()
            .map_err(|e| Error::io("reading", path, e))?;
        if head.is_empty() {
            return Err(Error::Empty {
                path: path.to_path_buf(),
            });
        }
        let delimiter = sniff_delimiter(head);
        let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
        let crlf_fix =
            u64::from(first_line.last() == Some(&b'\r') && first_line.len() < head.len());
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(buffered);
        let header = csv
            .byte_headers()
            .map_err(|e| csv_error(e, path, &csv::Position::new()))?
            .iter()
            .enumerate()
            .map(|(i, f)| header_cell(f, i, path))
            .collect::<Result<Vec<String>>>()?;
        Ok(CsvInput {
            csv,
            window,
            header,
            crlf_fix,
            delimiter,
        })
    }

    /// Reads the next data row into `record` without checking its width.
    ///
    /// # Errors
    /// [`Error::Csv`] when the input cannot be read.
    pub(crate) fn next_record(
        &mut self,
        record: &mut csv::ByteRecord,
        path: &Path,
    ) -> Result<Option<csv::Position>> {
        match self.csv.read_byte_record(record) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(e) => {
                let at = self.csv.position().clone();
                return Err(csv_error(e, path, &at));
            }
        }
        let mut pos = record
            .position()
            .cloned()
            .unwrap_or_else(csv::Position::new);
        // The csv crate places a record where its search started: at the line end
        // before it (after a carriage return) or at blank lines before it. The line ends
        // between there and the record's first character are counted on.
        let skipped = self.window.borrow().line_ends_at(pos.byte());
        pos.set_line(pos.line() + skipped.unwrap_or(self.crlf_fix));
        Ok(Some(pos))
    }

    /// The row as text, re-joined with the file's delimiter (quoted where needed), for
    /// `rejected.csv`.
    pub(crate) fn raw(&self, record: &csv::ByteRecord) -> String {
        csv_line(record, self.delimiter)
    }
}

/// `cells` as one line of text separated by `delimiter`, quoted where needed.
pub(crate) fn csv_line(cells: &csv::ByteRecord, delimiter: u8) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_byte_record(cells);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string()
}

/// Header cell `i` (0-based) as text, without a byte-order mark.
///
/// # Errors
/// [`Error::NotUtf8`] when it is not UTF-8.
fn header_cell(cell: &[u8], i: usize, path: &Path) -> Result<String> {
    match std::str::from_utf8(cell) {
        Ok(text) => Ok(text.trim_start_matches('\u{FEFF}').to_string()),
        Err(_) => Err(not_utf8(
            Location {
                path: path.to_path_buf(),
                line: 1,
                record: 0,
                column: Some(i + 1),
                column_name: None,
                sheet: None,
            },
            cell,
        )),
    }
}

/// The latest bytes read from an input (at least [`WINDOW`] of them once there are).
#[derive(Default)]
struct Window {
    bytes: Vec<u8>,
    /// Offset in the input of `bytes[0]`.
    start: u64,
}

/// Bytes of input kept in a [`Window`].
const WINDOW: usize = 1 << 18;

impl Window {
    fn push(&mut self, read: &[u8]) {
        if self.bytes.len() + read.len() > 2 * WINDOW {
            let drop = (self.bytes.len() + read.len())
                .saturating_sub(WINDOW)
                .min(self.bytes.len());
            self.bytes.drain(..drop);
            self.start += drop as u64;
        }
        self.bytes.extend_from_slice(read);
    }

    /// Line feeds in the run of line-end characters at input offset `at`, if still held.
    fn line_ends_at(&self, at: u64) -> Option<u64> {
        let from = usize::try_from(at.checked_sub(self.start)?).ok()?;
        let run = self.bytes.get(from..)?;
        let ends = run.iter().take_while(|&&b| b == b'\r' || b == b'\n');
        Some(ends.filter(|&&b| b == b'\n').count() as u64)
    }
}

/// A reader that keeps the latest bytes it read in a [`Window`].
struct Windowed<R> {
    inner: R,
    window: std::rc::Rc<std::cell::RefCell<Window>>,
}

impl<R: Read> Read for Windowed<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.window.borrow_mut().push(&buf[..n]);
        Ok(n)
    }
}

/// The location of the row at `pos`, in `column` (0-based) if given.
pub(crate) fn location(
    path: &Path,
    header: &[String],
    pos: &csv::Position,
    column: Option<usize>,
) -> Location {
    Location {
        path: path.to_path_buf(),
        line: pos.line(),
        record: pos.record(),
        column: column.map(|c| c + 1),
        column_name: column.and_then(|c| header.get(c).map(|h| h.as_str().into())),
        sheet: None,
    }
}

/// Checks that `lon`/`lat` are a longitude and latitude in degrees, hinting at swapped
/// columns; does nothing for `projected` (eastings/northings, `--crs`) coordinates.
/// `at(column)` positions an error at `lon_col` or `lat_col`.
///
/// # Errors
/// [`Error::InvalidCoordinate`] when a value is out of range.
pub(crate) fn check_lon_lat(
    lon: f64,
    lat: f64,
    projected: bool,
    (lon_col, lat_col): (usize, usize),
    at: impl Fn(usize) -> Location,
) -> Result<()> {
    if projected {
        return Ok(());
    }
    let problem = |column: usize, problem: CoordinateProblem| Error::InvalidCoordinate {
        location: at(column),
        lon,
        lat,
        problem,
    };
    if lon == 0.0 && lat == 0.0 {
        return Err(problem(lon_col, CoordinateProblem::BothZero));
    }
    let lat_bad = !(-90.0..=90.0).contains(&lat);
    let lon_bad = !(-180.0..=180.0).contains(&lon);
    if lat_bad && (-90.0..=90.0).contains(&lon) {
        return Err(problem(lat_col, CoordinateProblem::Swapped));
    }
    if lat_bad {
        return Err(problem(lat_col, CoordinateProblem::Latitude));
    }
    if lon_bad {
        return Err(problem(lon_col, CoordinateProblem::Longitude));
    }
    Ok(())
}
