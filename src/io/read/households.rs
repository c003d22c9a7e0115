//! Streaming reader for `households.csv` (SPEC §3), or the same table in a workbook.
//!
//! Accepted header names (matched as `names` says: case, Arabic/Persian letters, spaces):
//! `household_id`/`id`/`شناسه`/`شناسه خانوار`; `lon`/`lng`/`longitude`/`x`/`طول جغرافیایی`;
//! `lat`/`latitude`/`y`/`عرض جغرافیایی`; optional `households`/`weight`/`تعداد خانوار`;
//! any other columns may be named as region columns. Text in UTF-8 with or without BOM,
//! UTF-16 with a BOM, or the encoding named in [`ReadOptions::encoding`]; LF or CRLF,
//! comma, semicolon or tab delimited (detected from the header line), Persian/Arabic-Indic
//! digits. A workbook (`.xlsx`, `.xls`, `.ods`) is read a sheet at a time through the
//! generic table reader (`table`, `sheet`).
//!
//! Text input streams through in batches of a few pieces, each cut at a line end and parsed
//! on its own thread, then merged in file order: ids, line and record numbers and the first
//! error come out exactly as one pass would give them (a property test checks it). A file
//! with quote characters (where a line end may fall inside a cell) is read in one pass from
//! the first batch holding one, and so is every file read with `skip_invalid`.

use std::collections::HashMap;
use std::hash::BuildHasher;

use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, IdProblem, Location, Result};
use crate::io::read::csv::{InputDigest, ReadOptions, check_lon_lat, hex, location};
use crate::io::read::encoding::{Decode, Decoding, sniff};
use crate::io::read::format::{Format, open_file};
use crate::io::read::names::{
    HOUSEHOLD_ID_NAMES, LAT_NAMES, LON_NAMES, find_column, named_column, require_column,
};
use crate::io::read::number::{parse_count, parse_decimal};
use crate::io::read::open::{no_sheet_in_text, read_workbook};
use crate::io::read::table::{CsvTable, RowRef, Table, TableRow, find_columns, settle};
use crate::model::{Household, Households, LonLat, Rejected};

/// Largest accepted household weight on one row.
pub const MAX_WEIGHT: u64 = 1_000_000;

/// Longest accepted id, in bytes: an id longer than this is a sign of a broken file.
pub const MAX_ID_BYTES: usize = 256;

const WEIGHT_NAMES: &[&str] = &["households", "weight", "تعداد خانوار"];

/// Reads a households file from disk, hashing it on the way: a text file, or a sheet of a
/// workbook (`.xlsx`, `.xlsb`, `.xls`, `.ods`; told apart by their first bytes, not their
/// names) with the same header and rows.
///
/// In a workbook, the sheet is [`ReadOptions::sheet`] or the first; numeric cells are read
/// as numbers and text cells as text is; errors name the sheet, row and column letter:
/// `households.xlsx: sheet 'households', row 12, column C ('lat'): latitude 'abc' is not a
/// number`.
///
/// ```no_run
/// use siting::{ReadOptions, read_households_file};
/// let options = ReadOptions { sheet: Some("households".into()), ..ReadOptions::default() };
/// let (households, digest) = read_households_file("households.xlsx".as_ref(), &options)?;
/// println!("{} rows, sha256 {}", households.len(), digest.sha256);
/// # Ok::<(), siting::Error>(())
/// ```
///
/// # Errors
/// [`Error::Io`] if the file cannot be opened, [`Error::Spreadsheet`],
/// [`Error::NoSuchSheet`], [`Error::MergedCells`] or [`Error::HeaderNotFirst`] for a
/// workbook that cannot be read as a table, otherwise as [`read_households`] (errors about
/// a sheet's table as a whole come as [`Error::InSheet`]).
pub fn read_households_file(
    path: &Path,
    options: &ReadOptions,
) -> Result<(Households, InputDigest)> {
    let (format, file) = open_file(path)?;
    if let Format::Workbook(kind) = format {
        let (households, sha256, bytes) = read_workbook(file, path, kind, options, |table| {
            read_table(table, options)
        })?;
        let rows = households.len() as u64;
        return Ok((
            households,
            InputDigest {
                path: path.to_path_buf(),
                sha256,
                bytes,
                rows,
            },
        ));
    }
    no_sheet_in_text(path, options)?;
    let mut hasher = Sha256::new();
    let mut bytes = 0u64;
    let households = read_households_from(file, path, options, CHUNK_BYTES, &mut |b| {
        hasher.update(b);
        bytes += b.len() as u64;
    })?;
    let sha256 = hex(&hasher.finalize());
    let rows = households.len() as u64;
    Ok((
        households,
        InputDigest {
            path: path.to_path_buf(),
            sha256,
            bytes,
            rows,
        },
    ))
}

/// Reads households from any reader of text. `path` is only used in messages.
///
/// ```
/// use siting::{ReadOptions, read_households};
/// let csv = "\u{FEFF}household_id,lat,lon,households\r\nh1,۳۵٫۷,51.4,2\r\nh2,35.71,51.41,1\r\n";
/// let hh = read_households(csv.as_bytes(), "inline.csv".as_ref(), &ReadOptions::default())?;
/// assert_eq!(hh.len(), 2);
/// assert_eq!(hh.total_weight(), 3);
/// assert_eq!(hh.items[0].position.lat, 35.7);
/// # Ok::<(), siting::Error>(())
/// ```
///
/// # Errors
/// A positioned [`Error`] for the first bad row: missing or duplicate columns, ragged rows,
/// text that is not UTF-8 ([`Error::NotUtf8`]), unparsable or out-of-range numbers,
/// duplicate ids, or no rows at all; [`Error::Spreadsheet`] when the input is a workbook
/// (read those with [`read_households_file`]); [`Error::InvalidConfig`] for an unknown
/// [`ReadOptions::encoding`].
pub fn read_households<R: Read>(
    reader: R,
    path: &Path,
    options: &ReadOptions,
) -> Result<Households> {
    read_households_from(reader, path, options, CHUNK_BYTES, &mut |_| {})
}

/// Bytes of input parsed as one piece by one thread (cut at a line end).
const CHUNK_BYTES: usize = 1 << 21;
/// Pieces read ahead at a time: the memory the reader holds is this many pieces.
const CHUNKS_PER_BATCH: usize = 8;

/// Reads households from the text `reader`, handing every byte read to `seen` (alongside
/// the parsing): decoded first when a byte-order mark or [`ReadOptions::encoding`] says
/// (`seen` still sees the bytes as read), then as [`read_utf8`] says.
pub(crate) fn read_households_from<R: Read>(
    reader: R,
    path: &Path,
    options: &ReadOptions,
    chunk_bytes: usize,
    seen: &mut (dyn FnMut(&[u8]) + Send),
) -> Result<Households> {
    let (decode, reader) = sniff(reader, options.encoding.as_deref(), path)?;
    match decode {
        Decode::Utf8 => read_utf8(reader, path, options, chunk_bytes, seen),
        Decode::From(encoding) => {
            let raw = SeenReader {
                inner: reader,
                seen,
            };
            let text = Decoding::new(raw, encoding);
            read_utf8(text, path, options, chunk_bytes, &mut |_| {})
        }
    }
}

/// Reads households from the UTF-8 `reader`, handing every byte read to `seen`.
///
/// The input streams through in batches of [`CHUNKS_PER_BATCH`] pieces of `chunk_bytes`
/// (cut at line ends) whose rows are parsed in parallel and then merged in file order, so
/// ids are checked, rows numbered and the first error chosen exactly as one pass would.
/// From a batch holding a quote character or a lone carriage return on (where a line end
/// may not end a row), and throughout with `skip_invalid` or a `chunk_bytes` of 0, a
/// single pass reads the rest.
fn read_utf8<R: Read>(
    reader: R,
    path: &Path,
    options: &ReadOptions,
    chunk_bytes: usize,
    seen: &mut (dyn FnMut(&[u8]) + Send),
) -> Result<Households> {
    let batch = chunk_bytes.max(1).saturating_mul(CHUNKS_PER_BATCH);
    let (mut stream, header_ended) = Stream::open(reader, batch, path)?;
    let header_bytes = stream.buf[..stream.at].to_vec();
    let input = CsvTable::open(&header_bytes[..], path)?;
    let cols = Columns::find(input.header(), path, options)?;
    let hasher = hashbrown::DefaultHashBuilder::default();
    let mut rows = Collected::new(input.header().to_vec());
    seen(&header_bytes);
    let job = Job {
        header: &header_bytes,
        cols: &cols,
        path,
        options,
        hasher: &hasher,
        chunk_bytes,
    };
    // In parallel while each batch's line ends are row ends (no quotes) and every row
    // either counts or stops the reading (no skipping); without ids, rows are named by
    // their record number, which only a single pass knows.
    let parallel = header_ended
        && chunk_bytes > 0
        && !options.skip_invalid
        && cols.id.is_some()
        && !header_bytes.contains(&b'"');
    let all_read = parallel && read_parallel(&mut stream, &mut rows, &job, &mut *seen)?;
    if !all_read {
        let rest = &stream.buf[stream.at..];
        read_single_pass(&mut stream.reader, rest, &mut rows, &job, seen)?;
    }
    rows.finish(path, options)
}

/// What parsing a piece of the input needs.
struct Job<'a> {
    /// The header line, read again before each piece.
    header: &'a [u8],
    cols: &'a Columns,
    path: &'a Path,
    options: &'a ReadOptions,
    hasher: &'a hashbrown::DefaultHashBuilder,
    /// Bytes parsed as one piece.
    chunk_bytes: usize,
}

/// The input as read so far: `buf[at..]` is read but not parsed yet.
struct Stream<R> {
    reader: R,
    buf: Vec<u8>,
    at: usize,
    /// True once `reader` is at its end.
    eof: bool,
    /// Bytes read ahead at a time.
    batch: usize,
}

impl<R: Read> Stream<R> {
    /// Starts reading `reader`, on until the header line ends (the whole input read until
    /// its end is found); `at` is after the header line. Also returns whether a line end
    /// was found.
    fn open(mut reader: R, batch: usize, path: &Path) -> Result<(Self, bool)> {
        let mut buf = Vec::new();
        let mut eof = fill(&mut reader, &mut buf, batch, path)?;
        let mut newline = buf.iter().position(|&b| b == b'\n');
        while newline.is_none() && !eof {
            let target = buf.len().saturating_mul(2);
            eof = fill(&mut reader, &mut buf, target, path)?;
            newline = buf.iter().position(|&b| b == b'\n');
        }
        let at = newline.map_or(buf.len(), |at| at + 1);
        let stream = Stream {
            reader,
            buf,
            at,
            eof,
            batch,
        };
        Ok((stream, newline.is_some()))
    }

    /// Reads the next batch into the emptied buffer.
    fn next_batch(&mut self, path: &Path) -> Result<()> {
        self.buf.clear();
        self.at = 0;
        self.eof = fill(&mut self.reader, &mut self.buf, self.batch, path)?;
        Ok(())
    }

    /// Bytes after `at` up to the last line end (all of them at the end of the input).
    fn whole_lines(&self) -> usize {
        let data = &self.buf[self.at..];
        if self.eof {
            data.len()
        } else {
            data.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
        }
    }

    /// Drops the `end` bytes after `at` (parsed), then reads on to a full batch.
    fn consume(&mut self, end: usize, path: &Path) -> Result<()> {
        self.buf.drain(..self.at + end);
        self.at = 0;
        if !self.eof {
            self.eof = fill(&mut self.reader, &mut self.buf, self.batch, path)?;
        }
        Ok(())
    }
}

/// Reads `stream` batch by batch, each parsed in parallel pieces and merged into `rows`
/// while the next one is parsed, until the input ends (returns true) or a batch may hold
/// a line end inside a row (returns false, `stream.at` at that batch).
fn read_parallel<R: Read>(
    stream: &mut Stream<R>,
    rows: &mut Collected,
    job: &Job<'_>,
    seen: &mut (dyn FnMut(&[u8]) + Send),
) -> Result<bool> {
    // The pieces of the batch before, parsed but not merged yet: each batch is merged
    // while the next one is parsed.
    let mut pending: Vec<Chunk> = Vec::new();
    let all_read = loop {
        if stream.at == stream.buf.len() {
            if stream.eof {
                break true;
            }
            stream.next_batch(job.path)?;
            continue;
        }
        let end = stream.whole_lines();
        let data = &stream.buf[stream.at..stream.at + end];
        if end == 0 || data.contains(&b'"') || has_lone_cr(data) {
            break false;
        }
        pending = parse_batch(data, std::mem::take(&mut pending), rows, job, &mut *seen)?;
        if let Err(e) = stream.consume(end, job.path) {
            // The rows read before the failure come first.
            rows.merge_checked(pending, job.cols, job.path)?;
            return Err(e);
        }
    };
    rows.merge_checked(pending, job.cols, job.path)?;
    rows.check_merged(job.cols, job.path)?;
    Ok(all_read)
}

/// Shows `data` to `seen` and merges `pending` into `rows` while `data` is parsed in
/// pieces on other threads; returns the parsed pieces.
fn parse_batch(
    data: &[u8],
    pending: Vec<Chunk>,
    rows: &mut Collected,
    job: &Job<'_>,
    seen: &mut (dyn FnMut(&[u8]) + Send),
) -> Result<Vec<Chunk>> {
    let pieces = split_lines(data, job.chunk_bytes);
    let (merged, chunks) = rayon::join(
        || {
            seen(data);
            rows.merge_all(pending)
        },
        || {
            pieces
                .par_iter()
                .map(|piece| {
                    parse_chunk(
                        job.header,
                        piece,
                        job.cols,
                        job.path,
                        job.options,
                        job.hasher,
                    )
                })
                .collect::<Vec<Chunk>>()
        },
    );
    rows.settle_merge(merged, job.cols, job.path)?;
    Ok(chunks)
}

/// One pass over `rest` and then the rest of `reader`, numbered on from the rows merged
/// so far; every byte is shown to `seen`.
fn read_single_pass<R: Read>(
    reader: &mut R,
    rest: &[u8],
    rows: &mut Collected,
    job: &Job<'_>,
    seen: &mut (dyn FnMut(&[u8]) + Send),
) -> Result<()> {
    let path = job.path;
    seen(rest);
    let chained = job.header.chain(rest).chain(SeenReader {
        inner: &mut *reader,
        seen: &mut *seen,
    });
    let mut input = CsvTable::open(chained, path)?;
    let offsets = (rows.lines, rows.records);
    let mut rejected = std::mem::take(&mut rows.rejected);
    parse_rows(
        &mut input,
        job.cols,
        job.options,
        offsets,
        job.hasher,
        &mut rejected,
        |row, at| rows.admit(row, at),
    )?;
    rows.rejected = rejected;
    drop(input);
    // Whatever the CSV reader left unread is still seen (the whole input is hashed).
    let mut drain = SeenReader {
        inner: reader,
        seen,
    };
    std::io::copy(&mut drain, &mut std::io::sink()).map_err(|e| Error::io("reading", path, e))?;
    Ok(())
}

/// Reads from `reader` until `buf` holds `target` bytes or the input ends (returns true
/// then).
fn fill(reader: &mut impl Read, buf: &mut Vec<u8>, target: usize, path: &Path) -> Result<bool> {
    let want = target.saturating_sub(buf.len()) as u64;
    let got = reader
        .take(want)
        .read_to_end(buf)
        .map_err(|e| Error::io("reading", path, e))?;
    Ok((got as u64) < want || want == 0 && target == 0)
}

/// True when `data` has a carriage return not followed by a line feed (a line end of its
/// own for the CSV reader).
fn has_lone_cr(data: &[u8]) -> bool {
    data.iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && data.get(i + 1) != Some(&b'\n'))
}

/// `data` cut into pieces of about `size` bytes, each ending at a line end (or the end).
fn split_lines(data: &[u8], size: usize) -> Vec<&[u8]> {
    let mut pieces = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let cut = match rest.get(size..) {
            Some(after) => after
                .iter()
                .position(|&b| b == b'\n')
                .map_or(rest.len(), |i| size + i + 1),
            None => rest.len(),
        };
        let (piece, tail) = rest.split_at(cut);
        pieces.push(piece);
        rest = tail;
    }
    pieces
}

/// A reader that shows every byte it reads to `seen`.
struct SeenReader<'a, R> {
    inner: R,
    seen: &'a mut (dyn FnMut(&[u8]) + Send),
}

impl<R: Read> Read for SeenReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.seen)(&buf[..n]);
        Ok(n)
    }
}

/// The columns a households file is read by.
struct Columns {
    id: Option<usize>,
    lon: usize,
    lat: usize,
    weight: Option<usize>,
    /// Region columns (`--by`), in order.
    by: Vec<usize>,
}

impl Columns {
    fn find(header: &[String], path: &Path, options: &ReadOptions) -> Result<Self> {
        let id = find_column(header, HOUSEHOLD_ID_NAMES, "household id", path)?;
        let lon = require_column(header, LON_NAMES, "longitude", path)?;
        let lat = require_column(header, LAT_NAMES, "latitude", path)?;
        let weight = find_column(header, WEIGHT_NAMES, "household count", path)?;
        let by = options
            .by
            .iter()
            .map(|name| named_column(header, name, "region (--by)", path))
            .collect::<Result<Vec<usize>>>()?;
        Ok(Columns {
            id,
            lon,
            lat,
            weight,
            by,
        })
    }
}

/// One valid row, before its id is checked against the rows before it.
struct Row<'a> {
    id: &'a str,
    hash: u64,
    position: LonLat,
    weight: u32,
    /// The region's name (the `--by` cells joined by " / ").
    region: &'a str,
    line: u64,
}

/// Reads the rows of `table`, its lines and records numbered on from `offsets`, handing
/// each valid one to `accept` (with its location for messages). A row that is invalid
/// (or that `accept` refuses) stops the reading, or with `skip_invalid` goes to
/// `rejected`.
fn parse_rows<T: Table + ?Sized>(
    table: &mut T,
    cols: &Columns,
    options: &ReadOptions,
    (lines, records): (u64, u64),
    hasher: &hashbrown::DefaultHashBuilder,
    rejected: &mut Vec<Rejected>,
    mut accept: impl FnMut(Row<'_>, &dyn Fn() -> Location) -> Result<()>,
) -> Result<()> {
    let mut scratch = Scratch::default();
    let mut row = TableRow::default();
    while table
        .next_row(&mut row)
        .map_err(|e| shifted(e, lines, records))?
    {
        row.line += lines;
        row.record += records;
        let outcome = table.check_width(&row).and_then(|()| {
            let cells = RowRef {
                origin: table.origin(),
                header: table.header(),
                row: &row,
            };
            let parsed = parse_row(&cells, cols, options, hasher, &mut scratch)?;
            let at = || {
                cells
                    .origin
                    .location(cells.header, row.line, row.record, cols.id)
            };
            accept(parsed, &at)
        });
        settle(
            outcome,
            table,
            &row,
            options.skip_invalid,
            options.lang,
            rejected,
        )?;
    }
    Ok(())
}

/// Text kept from row to row: the region name and a made-up id.
#[derive(Default)]
struct Scratch {
    key: String,
    auto_id: String,
}

/// Cell `c` of `cells` as a decimal number, named `what` in messages.
fn number(cells: &RowRef<'_>, c: usize, what: &'static str) -> Result<f64> {
    let text = cells.text(c)?;
    parse_decimal(text).map_err(|e| cells.invalid_number(c, what, text, e))
}

/// The row in `cells`, checked on its own.
fn parse_row<'a>(
    cells: &RowRef<'a>,
    cols: &Columns,
    options: &ReadOptions,
    hasher: &hashbrown::DefaultHashBuilder,
    scratch: &'a mut Scratch,
) -> Result<Row<'a>> {
    let lon = number(cells, cols.lon, "longitude")?;
    let lat = number(cells, cols.lat, "latitude")?;
    check_lon_lat(lon, lat, options.projected, (cols.lon, cols.lat), |c| {
        cells.at(c)
    })?;
    let weight = match cols.weight {
        Some(c) => {
            let text = cells.text(c)?;
            parse_count(text, MAX_WEIGHT)
                .map_err(|e| cells.invalid_number(c, "household count", text, e))?
        }
        None => 1,
    };
    let Scratch { key, auto_id } = scratch;
    let id = match cols.id {
        Some(c) => row_id(cells, c)?,
        None => {
            use std::fmt::Write as _;
            auto_id.clear();
            let _ = write!(auto_id, "row-{}", cells.row.record);
            auto_id
        }
    };
    region_name(cells, &cols.by, key)?;
    Ok(Row {
        id,
        hash: hasher.hash_one(id),
        position: LonLat::new(lon, lat),
        weight,
        region: key,
        line: cells.line(),
    })
}

/// The household id in cell `c`: not empty, at most [`MAX_ID_BYTES`] long.
fn row_id<'a>(cells: &RowRef<'a>, c: usize) -> Result<&'a str> {
    let id = cells.text(c)?.trim();
    if id.is_empty() {
        return Err(Error::InvalidId {
            location: cells.at(c),
            problem: IdProblem::HouseholdEmpty,
        });
    }
    if id.len() > MAX_ID_BYTES {
        return Err(Error::InvalidId {
            location: cells.at(c),
            problem: IdProblem::HouseholdTooLong {
                bytes: id.len(),
                max: MAX_ID_BYTES,
            },
        });
    }
    Ok(id)
}

/// Writes into `key` the region's name: the cells of columns `by` joined by " / ".
fn region_name(cells: &RowRef<'_>, by: &[usize], key: &mut String) -> Result<()> {
    key.clear();
    for (i, &c) in by.iter().enumerate() {
        if i > 0 {
            key.push_str(" / ");
        }
        key.push_str(cells.text(c)?.trim());
    }
    Ok(())
}

/// `err` with its location moved on by `lines` lines and `records` records (for a piece
/// of a file read on its own).
fn shifted(mut err: Error, lines: u64, records: u64) -> Error {
    if let Error::Csv { location, .. }
    | Error::RowWidth { location, .. }
    | Error::InvalidValue { location, .. }
    | Error::InvalidNumber { location, .. }
    | Error::InvalidId { location, .. }
    | Error::InvalidCoordinate { location, .. }
    | Error::NotUtf8 { location, .. } = &mut err
    {
        location.line += lines;
        location.record += records;
    }
    err
}

/// Region names in order of first appearance.
#[derive(Default)]
struct RegionNames {
    /// Looked up once per row: hashbrown's fast hasher.
    index: HashMap<String, u32, hashbrown::DefaultHashBuilder>,
    names: Vec<String>,
}

impl RegionNames {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&r) = self.index.get(name) {
            return r;
        }
        let r = self.names.len() as u32;
        self.index.insert(name.to_string(), r);
        self.names.push(name.to_string());
        r
    }
}

/// The valid rows of one piece of the input, read on its own (lines and records counted
/// from the piece's start), up to its first invalid row.
struct Chunk {
    items: Vec<Household>,
    hashes: Vec<u64>,
    /// Regions of the piece (`items[..].region` indexes these).
    regions: RegionNames,
    /// The first invalid row's error.
    error: Option<Error>,
    /// Line ends in the piece.
    lines: u64,
}

fn parse_chunk(
    header: &[u8],
    piece: &[u8],
    cols: &Columns,
    path: &Path,
    options: &ReadOptions,
    hasher: &hashbrown::DefaultHashBuilder,
) -> Chunk {
    let mut chunk = Chunk {
        items: Vec::new(),
        hashes: Vec::new(),
        regions: RegionNames::default(),
        error: None,
        lines: piece.iter().filter(|&&b| b == b'\n').count() as u64,
    };
    let read = CsvTable::open(header.chain(piece), path).and_then(|mut input| {
        parse_rows(
            &mut input,
            cols,
            options,
            (0, 0),
            hasher,
            &mut Vec::new(),
            |row, _| {
                chunk.items.push(Household {
                    id: row.id.to_string(),
                    position: row.position,
                    weight: row.weight,
                    region: chunk.regions.intern(row.region),
                    line: row.line,
                });
                chunk.hashes.push(row.hash);
                Ok(())
            },
        )
    });
    chunk.error = read.err();
    chunk
}

/// Reads the households of `table` in one pass (a sheet of a workbook).
fn read_table(table: &mut dyn Table, options: &ReadOptions) -> Result<Households> {
    let path = table.origin().path.clone();
    let cols = find_columns(table, |header| Columns::find(header, &path, options))?;
    let hasher = hashbrown::DefaultHashBuilder::default();
    let mut rows = Collected::new(table.header().to_vec());
    let mut rejected = Vec::new();
    parse_rows(
        table,
        &cols,
        options,
        (0, 0),
        &hasher,
        &mut rejected,
        |row, at| rows.admit(row, at),
    )?;
    rows.rejected = rejected;
    rows.finish(&path, options)
}

/// The rows accepted so far, with what checking the next ones needs.
struct Collected {
    header: Vec<String>,
    items: Vec<Household>,
    rejected: Vec<Rejected>,
    regions: RegionNames,
    /// The hash of each item's id.
    hashes: Vec<u64>,
    /// Ids of the items before `indexed`, as their hashes and indices into `items` (no
    /// second copy of each id; with the hash kept, growing the table never reads the ids
    /// again). Rows merged in parallel are checked together instead
    /// ([`Collected::check_merged`]) and indexed only if a single pass follows.
    ids: hashbrown::HashTable<(u64, u32)>,
    indexed: usize,
    /// Lines after the header and data records read so far.
    lines: u64,
    records: u64,
}

impl Collected {
    fn new(header: Vec<String>) -> Self {
        Collected {
            header,
            items: Vec::new(),
            rejected: Vec::new(),
            regions: RegionNames::default(),
            hashes: Vec::new(),
            ids: hashbrown::HashTable::new(),
            indexed: 0,
            lines: 0,
            records: 0,
        }
    }

    /// Checks that no earlier row has the id `id` (hashed `hash`).
    fn check_unique(&self, id: &str, hash: u64, at: &dyn Fn() -> Location) -> Result<()> {
        let items = &self.items;
        match self
            .ids
            .find(hash, |&(h, j)| h == hash && items[j as usize].id == id)
        {
            Some(&(_, first)) => Err(Error::DuplicateId {
                location: at(),
                id: id.to_string(),
                first_line: items[first as usize].line,
            }),
            None => Ok(()),
        }
    }

    /// [`Collected::merge`] of each of `chunks` in turn, up to the first error.
    fn merge_all(&mut self, chunks: Vec<Chunk>) -> Result<()> {
        chunks.into_iter().try_for_each(|chunk| self.merge(chunk))
    }

    /// The outcome of merging: a repeated id before the invalid row is the first problem.
    fn settle_merge(&self, merged: Result<()>, cols: &Columns, path: &Path) -> Result<()> {
        if let Err(e) = merged {
            self.check_merged(cols, path)?;
            return Err(e);
        }
        Ok(())
    }

    /// [`Collected::merge_all`], then [`Collected::settle_merge`].
    fn merge_checked(&mut self, chunks: Vec<Chunk>, cols: &Columns, path: &Path) -> Result<()> {
        let merged = self.merge_all(chunks);
        self.settle_merge(merged, cols, path)
    }

    /// Indexes the ids of the items not indexed yet.
    fn index_all(&mut self) {
        for j in self.indexed..self.items.len() {
            let hash = self.hashes[j];
            self.ids.insert_unique(hash, (hash, j as u32), |&(h, _)| h);
        }
        self.indexed = self.items.len();
    }

    /// Accepts `row` unless its id was seen before.
    fn admit(&mut self, row: Row<'_>, at: &dyn Fn() -> Location) -> Result<()> {
        self.index_all();
        self.check_unique(row.id, row.hash, at)?;
        let region = self.regions.intern(row.region);
        let item = Household {
            id: row.id.to_string(),
            position: row.position,
            weight: row.weight,
            region,
            line: row.line,
        };
        self.items.push(item);
        self.hashes.push(row.hash);
        self.index_all();
        Ok(())
    }

    /// Accepts the rows of `chunk`, the piece after everything accepted so far (ids are
    /// checked later, by [`Collected::check_merged`]), then returns its error if it has
    /// one.
    fn merge(&mut self, chunk: Chunk) -> Result<()> {
        let lines = self.lines;
        let regions: Vec<u32> = chunk
            .regions
            .names
            .iter()
            .map(|name| self.regions.intern(name))
            .collect();
        let before = self.records;
        self.records += chunk.items.len() as u64;
        self.items.extend(chunk.items.into_iter().map(|mut item| {
            item.line += lines;
            item.region = regions[item.region as usize];
            item
        }));
        self.hashes.extend(chunk.hashes);
        if let Some(e) = chunk.error {
            return Err(shifted(e, lines, before));
        }
        self.lines += chunk.lines;
        Ok(())
    }

    /// The first row whose id an earlier row has, among the rows merged since the last
    /// indexing (all of them records in a row, with nothing rejected): its error, as a
    /// single pass would have reported it.
    fn check_merged(&self, cols: &Columns, path: &Path) -> Result<()> {
        let from = self.indexed;
        let mut order: Vec<(u64, u32)> = self.hashes[from..]
            .iter()
            .enumerate()
            .map(|(j, &h)| (h, (from + j) as u32))
            .collect();
        order.par_sort_unstable();
        let items = &self.items;
        // Per run of equal hashes (indices ascending): each row after the first with the
        // id of an earlier one, paired with the earliest such.
        let first = order
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() > 1)
            .filter_map(|run| {
                run.iter().enumerate().skip(1).find_map(|(x, &(_, j))| {
                    let id = &items[j as usize].id;
                    run[..x]
                        .iter()
                        .find(|&&(_, i)| items[i as usize].id == *id)
                        .map(|&(_, i)| (j, i))
                })
            })
            .min();
        if let Some((j, i)) = first {
            let (j, i) = (j as usize, i as usize);
            let mut pos = csv::Position::new();
            pos.set_line(items[j].line);
            pos.set_record(self.records - (items.len() - j) as u64 + 1);
            return Err(Error::DuplicateId {
                location: location(path, &self.header, &pos, cols.id),
                id: items[j].id.clone(),
                first_line: items[i].line,
            });
        }
        Ok(())
    }

    /// The households read, regions in name order (independent of row order).
    fn finish(self, path: &Path, options: &ReadOptions) -> Result<Households> {
        let Collected {
            mut items,
            rejected,
            regions,
            ..
        } = self;
        if items.is_empty() && rejected.is_empty() {
            return Err(Error::Empty {
                path: path.to_path_buf(),
            });
        }
        if items.is_empty() {
            return Err(Error::NothingValid {
                path: path.to_path_buf(),
                rejected: rejected.len(),
                first: rejected
                    .first()
                    .map(|r| r.reason.clone())
                    .unwrap_or_default(),
            });
        }
        let mut names = regions.names;
        if options.by.is_empty() {
            names = vec![String::new()];
            items.iter_mut().for_each(|h| h.region = 0);
        } else {
            let mut order: Vec<u32> = (0..names.len() as u32).collect();
            order.sort_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
            let mut remap = vec![0u32; order.len()];
            for (new, &old) in order.iter().enumerate() {
                remap[old as usize] = new as u32;
            }
            for h in &mut items {
                h.region = remap[h.region as usize];
            }
            names = order.iter().map(|&o| names[o as usize].clone()).collect();
        }
        Ok(Households {
            items,
            regions: names,
            region_columns: options.by.clone(),
            rejected,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Households> {
        read_households(text.as_bytes(), Path::new("t.csv"), &ReadOptions::default())
    }

    #[test]
    fn aliases_bom_crlf_and_semicolons() -> Result<()> {
        let hh = read("\u{FEFF}ID;Latitude;Longitude\r\na;35.1;51.2\r\nb;35.2;51.3\r\n")?;
        assert_eq!(hh.len(), 2);
        assert_eq!(hh.items[1].position, LonLat::new(51.3, 35.2));
        assert_eq!(hh.items[1].line, 3);
        let hh = read("x\ty\n51\t35\n")?;
        assert_eq!(hh.items[0].id, "row-1");
        Ok(())
    }

    #[test]
    fn regions_are_sorted_by_name() -> Result<()> {
        let text =
            "id,lon,lat,province,county\na,51,35,تهران,ری\nb,50,36,قزوین,البرز\nc,51,35,تهران,ری\n";
        let options = ReadOptions {
            by: vec!["province".into(), "county".into()],
            ..ReadOptions::default()
        };
        let hh = read_households(text.as_bytes(), Path::new("t.csv"), &options)?;
        assert_eq!(
            hh.regions,
            vec!["تهران / ری".to_string(), "قزوین / البرز".to_string()]
        );
        assert_eq!(
            hh.items.iter().map(|h| h.region).collect::<Vec<_>>(),
            vec![0, 1, 0]
        );
        Ok(())
    }

    #[test]
    fn positioned_errors() {
        let e = read("id,lon,lat\na,51,35\nb,51,95\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("t.csv:3:3"), "{e}");
        assert!(e.contains("latitude 95"), "{e}");
        let e = read("id,lon,lat\na,35,120\n").unwrap_err().to_string();
        assert!(e.contains("swapped"), "{e}");
        let e = read("id,lon,lat\na,51\n").unwrap_err().to_string();
        assert!(e.contains("t.csv:2") && e.contains("2 fields"), "{e}");
        let e = read("id,lon,lat\na,51,35\na,51,35\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("t.csv:3"), "{e}");
        let e = read("id,lat\na,35\n").unwrap_err().to_string();
        assert!(e.contains("no longitude column"), "{e}");
        let e = read("id,lon,lon,lat\n").unwrap_err().to_string();
        assert!(e.contains("two longitude columns"), "{e}");
        let e = read("id,lon,lat,households\na,51,35,0\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("at least 1"), "{e}");
        assert!(matches!(read(""), Err(Error::Empty { .. })));
        assert!(matches!(read("id,lon,lat\n"), Err(Error::Empty { .. })));
        let bytes = b"id,lon,lat\na\xff,51,35\n";
        let e = read_households(&bytes[..], Path::new("t.csv"), &ReadOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("UTF-8") && e.contains(":2"), "{e}");
    }

    /// A households file from a list of row kinds (valid, repeated ids, invalid values,
    /// short rows, blank lines, quoted cells), LF or CRLF.
    fn random_file(rows: &[(u8, u8, u8)], crlf: bool, weights: bool, pad: usize) -> String {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = String::from(if weights {
            "household_id,lon,lat,households,province"
        } else {
            "id,lon,lat,province"
        });
        // A last column whose name varies the header's length (and so where the first
        // batch ends).
        let last = if pad > 0 { "," } else { "" };
        text.push_str(&format!("{last}{}", "n".repeat(pad)));
        text.push_str(end);
        let regions = ["A", "B", "تهران"];
        for &(kind, id, region) in rows {
            let r = regions[region as usize % regions.len()];
            let w = if weights { ",2" } else { "" };
            let line = match kind % 12 {
                0 => format!("h{id},51.{id},35.{region}{w},{r}{last}"),
                1 => format!("h{id},abc,35.1{w},{r}{last}"),
                2 => format!("h{id},51.1,95{w},{r}{last}"),
                3 => format!("h{id},51.1"),
                4 => String::new(),
                5 => format!("\"h{id}\",51.1,35.1{w},{r}{last}"),
                6 => format!(",51.1,35.1{w},{r}{last}"),
                _ => format!("u{}-{id},51.{id},35.{region}{w},{r}{last}", rows.len()),
            };
            text.push_str(&line);
            text.push_str(end);
        }
        text
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        /// Reading in pieces (in parallel) gives exactly what one pass gives: the same
        /// households, or the same first error, with the same line and record.
        #[test]
        fn pieces_read_like_one_pass(
            rows in proptest::collection::vec((0u8..40, 0u8..60, 0u8..3), 0..60),
            crlf: bool,
            weights: bool,
            by: bool,
            chunk in 1usize..40,
            pad in 0usize..12,
        ) {
            let mut kinds = rows.clone();
            // Mostly valid rows with unique ids, so that some files read through.
            for (n, row) in kinds.iter_mut().enumerate() {
                if row.0 >= 12 {
                    row.0 = 7;
                    row.1 = n as u8;
                }
            }
            let text = random_file(&kinds, crlf, weights, pad);
            let options = ReadOptions {
                by: if by { vec!["province".into()] } else { Vec::new() },
                ..ReadOptions::default()
            };
            let path = Path::new("p.csv");
            let read = |chunk: usize| {
                read_households_from(text.as_bytes(), path, &options, chunk, &mut |_| {})
                    .map_err(|e| e.to_string())
            };
            proptest::prop_assert_eq!(read(chunk), read(0));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(600))]

        /// The same for bodies of arbitrary characters that matter to the reader (quotes,
        /// carriage returns, delimiters, blank lines, digits, BOM-like bytes).
        #[test]
        fn pieces_read_like_one_pass_on_any_bytes(
            body in proptest::collection::vec(proptest::sample::select(vec![
                b'1', b'5', b'.', b',', b';', b'\n', b'\r', b'"', b'h', b'a', b'-', b' ', 0xEF,
            ]), 0..200),
            chunk in 1usize..16,
        ) {
            let mut text = b"id,lon,lat\n".to_vec();
            text.extend_from_slice(&body);
            let path = Path::new("p.csv");
            let options = ReadOptions::default();
            let read = |chunk: usize| {
                read_households_from(&text[..], path, &options, chunk, &mut |_| {})
                    .map_err(|e| e.to_string())
            };
            proptest::prop_assert_eq!(read(chunk), read(0));
        }
    }

    #[test]
    fn a_header_that_fills_the_first_batch_is_followed_by_the_rows() -> Result<()> {
        // 24 header bytes: exactly one batch of 8 pieces of 3 bytes.
        let text = "id,lon,lat,province,abc\na,51,35,A,x\nb,51.1,35,A,y\n";
        let read = |chunk: usize| {
            read_households_from(
                text.as_bytes(),
                Path::new("p.csv"),
                &ReadOptions::default(),
                chunk,
                &mut |_| {},
            )
        };
        assert_eq!(read(3)?.len(), 2);
        assert_eq!(read(3)?, read(0)?);
        Ok(())
    }

    #[test]
    fn text_that_is_not_utf8_is_placed_in_any_piece() {
        let mut text = b"id,lon,lat,province\n".to_vec();
        for i in 0..200 {
            text.extend_from_slice(format!("h{i},51.{i},35.1,A\n").as_bytes());
        }
        text.extend_from_slice(b"h\xff,51,35,A\n");
        let read = |chunk: usize| {
            read_households_from(
                &text[..],
                Path::new("p.csv"),
                &ReadOptions::default(),
                chunk,
                &mut |_| {},
            )
            .map_err(|e| (e.code(), e.line(), e.to_string()))
        };
        let one_pass = read(0);
        assert_eq!(
            one_pass.as_ref().err().map(|e| (e.0, e.1)),
            Some(("not_utf8", Some(202)))
        );
        for chunk in [7, 64, 1000] {
            assert_eq!(read(chunk), one_pass, "pieces of {chunk} bytes");
        }
    }

    #[test]
    fn pieces_see_every_byte_once() -> Result<()> {
        let text = random_file(
            &[(7, 1, 0), (7, 2, 1), (4, 0, 0), (7, 3, 2)],
            true,
            false,
            0,
        );
        for chunk in [0, 1, 5, 1 << 20] {
            let mut seen = Vec::new();
            let hh = read_households_from(
                text.as_bytes(),
                Path::new("p.csv"),
                &ReadOptions::default(),
                chunk,
                &mut |b| seen.extend_from_slice(b),
            )?;
            assert_eq!(hh.len(), 3);
            assert_eq!(hh.items[2].line, 5);
            assert_eq!(seen, text.as_bytes());
        }
        Ok(())
    }
}
