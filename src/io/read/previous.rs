//! The records of an office that are not a siting plan: `centers.csv` (the existing centers
//! with their status) and the previous assignments (`household_id, center_id`, from the
//! case files). Both are read like the households: as text (header aliases, BOM, CRLF, any
//! of the three delimiters, `--encoding`) or as the first sheet of a workbook, Persian
//! digits, positioned errors, `--skip-invalid`.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result, ValueProblem};
use crate::io::read::csv::{InputDigest, ReadOptions, check_lon_lat};
use crate::io::read::encoding::{TextReader, sniff};
use crate::io::read::names::{
    HOUSEHOLD_ID_NAMES, LAT_NAMES, LON_NAMES, find_column, require_column, same_name,
};
use crate::io::read::number::parse_decimal;
use crate::io::read::open::read_table_file;
use crate::io::read::table::{CsvTable, RowRef, Table, TableRow, find_columns, settle};
use crate::model::{LonLat, Rejected};
use crate::network::{Assignment, CenterStatus, ExistingCenter, Previous};

/// Accepted names of the center id column.
pub(crate) const CENTER_ID_NAMES: &[&str] =
    &["center_id", "catchment_id", "id", "شناسه مرکز", "کد مرکز"];
/// Accepted names of the status column.
const STATUS_NAMES: &[&str] = &["status", "وضعیت"];
/// Accepted names of the center column of the previous assignments (the household column
/// takes the households file's names).
const ASSIGNED_NAMES: &[&str] = &["center_id", "catchment_id", "شناسه مرکز", "کد مرکز"];

/// Reads `centers.csv` and the previous assignments into a [`Previous`] network, with the
/// digests of both files.
///
/// # Errors
/// Positioned errors for bad rows (unless `options.skip_invalid`), [`Error::DuplicateCenter`],
/// [`Error::UnknownCenter`] for an assignment to a center the centers file does not list,
/// [`Error::Io`] when a file cannot be read.
pub fn read_previous_files(
    centers: &Path,
    assignments: &Path,
    options: &ReadOptions,
) -> Result<(Previous, Vec<InputDigest>)> {
    // Their own files: the first sheet of a workbook, whatever `--sheet` says.
    let options = ReadOptions {
        sheet: None,
        ..options.clone()
    };
    let ((list, rejected, rows), sha256, bytes) =
        read_table_file(centers, &options, |t| centers_of(t, &options))?;
    let mut previous = Previous::new(format!(
        "{} and {}",
        centers.display(),
        assignments.display()
    ));
    previous.centers = list;
    previous.rejected = rejected;
    let mut digests = vec![InputDigest {
        path: centers.to_path_buf(),
        sha256,
        bytes,
        rows,
    }];
    let ids = center_index(&previous.centers);
    let ((assignment, rejected, rows), sha256, bytes) =
        read_table_file(assignments, &options, |t| {
            read_assignments(t, &ids, centers, &options)
        })?;
    previous.assignment = assignment;
    previous.rejected.extend(rejected);
    previous.files = vec![centers.to_path_buf(), assignments.to_path_buf()];
    digests.push(InputDigest {
        path: assignments.to_path_buf(),
        sha256,
        bytes,
        rows,
    });
    Ok((previous, digests))
}

/// Center id → index, hashed with hashbrown's fast hasher (looked up once per previous
/// assignment: a million times for a national re-plan).
pub(crate) type CenterIndex = HashMap<String, u32, hashbrown::DefaultHashBuilder>;

/// Center id → index.
pub(crate) fn center_index(centers: &[ExistingCenter]) -> CenterIndex {
    centers
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i as u32))
        .collect()
}

/// A non-empty id in `column` of `row`.
fn id(row: &RowRef<'_>, column: usize, what: &'static str) -> Result<String> {
    id_text(row, column, what).map(str::to_string)
}

/// As [`id`], borrowed from the row.
fn id_text<'r>(row: &'r RowRef<'_>, column: usize, what: &'static str) -> Result<&'r str> {
    let id = row.text(column)?.trim();
    if id.is_empty() {
        return Err(row.invalid(column, ValueProblem::EmptyId { what }));
    }
    Ok(id)
}

/// A coordinate in `column` of `row`.
fn coordinate(row: &RowRef<'_>, column: usize, what: &'static str) -> Result<f64> {
    let text = row.text(column)?;
    parse_decimal(text).map_err(|e| row.invalid_number(column, what, text, e))
}

/// The columns of `centers.csv`.
struct CenterColumns {
    id: usize,
    lon: usize,
    lat: usize,
    status: Option<usize>,
    /// The `--by` columns, when the file has all of them.
    regions: Option<Vec<usize>>,
}

impl CenterColumns {
    fn from_header(header: &[String], path: &Path, by: &[String]) -> Result<Self> {
        let regions: Option<Vec<usize>> = by
            .iter()
            .map(|name| header.iter().position(|h| same_name(h, name)))
            .collect();
        Ok(CenterColumns {
            id: require_column(header, CENTER_ID_NAMES, "center id", path)?,
            lon: require_column(header, LON_NAMES, "longitude", path)?,
            lat: require_column(header, LAT_NAMES, "latitude", path)?,
            status: find_column(header, STATUS_NAMES, "status", path)?,
            regions: regions.filter(|r| !r.is_empty()),
        })
    }
}

/// Reads the centers (`center_id, lon, lat [, status] [, region columns]`) from any
/// reader, with the rows set aside and the rows read. `path` is only used in messages.
///
/// ```
/// use siting::{CenterStatus, ReadOptions, read_centers};
/// let text = "center_id;lon;lat;status\nPL-1;50.0;36.27;open\nPL-2;۵۰٫۱;36.3;closed\n";
/// let (centers, _, rows) = read_centers(text.as_bytes(), "centers.csv".as_ref(), &ReadOptions::default())?;
/// assert_eq!(rows, 2);
/// assert_eq!(centers[1].status, CenterStatus::Closed);
/// assert_eq!(centers[1].position.lon, 50.1);
/// # Ok::<(), siting::Error>(())
/// ```
///
/// # Errors
/// Positioned errors for bad rows (unless `options.skip_invalid`), [`Error::DuplicateCenter`]
/// (always: a repeated center cannot be set aside safely), [`Error::Empty`].
pub fn read_centers<R: Read>(
    reader: R,
    path: &Path,
    options: &ReadOptions,
) -> Result<(Vec<ExistingCenter>, Vec<Rejected>, u64)> {
    let (decode, reader) = sniff(reader, options.encoding.as_deref(), path)?;
    let mut table = CsvTable::open(TextReader::new(reader, decode), path)?;
    centers_of(&mut table, options)
}

/// The centers of `table`, with the rows set aside and the rows read.
fn centers_of(
    table: &mut dyn Table,
    options: &ReadOptions,
) -> Result<(Vec<ExistingCenter>, Vec<Rejected>, u64)> {
    let path = table.origin().path.clone();
    let cols = find_columns(table, |h| CenterColumns::from_header(h, &path, &options.by))?;
    let mut centers: Vec<ExistingCenter> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut record = TableRow::default();
    let (mut rows, mut rejected) = (0u64, Vec::new());
    let (skip, lang) = (options.skip_invalid, options.lang);
    while table.next_row(&mut record)? {
        rows += 1;
        let row = RowRef::new(table, &record);
        let parsed = table
            .check_width(&record)
            .and_then(|()| center_row(&row, &cols, options.projected));
        match parsed {
            Ok(center) => {
                if let Some(&first_line) = seen.get(&center.id) {
                    return Err(Error::DuplicateCenter {
                        location: row.at(cols.id),
                        id: center.id,
                        first_line,
                    });
                }
                seen.insert(center.id.clone(), record.line);
                centers.push(center);
            }
            Err(e) => settle(Err(e), table, &record, skip, lang, &mut rejected)?,
        }
    }
    if rows == 0 {
        return Err(Error::Empty { path });
    }
    Ok((centers, rejected, rows))
}

/// One center row.
fn center_row(row: &RowRef<'_>, cols: &CenterColumns, projected: bool) -> Result<ExistingCenter> {
    let id = id(row, cols.id, "center id")?;
    let lon = coordinate(row, cols.lon, "longitude")?;
    let lat = coordinate(row, cols.lat, "latitude")?;
    check_lon_lat(lon, lat, projected, (cols.lon, cols.lat), |c| row.at(c))?;
    let status = match cols.status {
        Some(c) => {
            let text = row.text(c)?;
            CenterStatus::parse(text).ok_or_else(|| {
                row.invalid(
                    c,
                    ValueProblem::Status {
                        text: text.trim().to_string(),
                    },
                )
            })?
        }
        None => CenterStatus::Open,
    };
    let region = match &cols.regions {
        Some(columns) => {
            let mut parts = Vec::with_capacity(columns.len());
            for &c in columns {
                parts.push(row.text(c)?.trim().to_string());
            }
            Some(parts.join(" / "))
        }
        None => None,
    };
    Ok(ExistingCenter {
        id,
        position: LonLat::new(lon, lat),
        status,
        region,
        line: row.line(),
        generator: None,
    })
}

/// About how many rows a table of previous assignments at `path` holds, judged by its
/// size (a national plan's `assignments.csv` has a million rows of about 20 bytes), so
/// that the index of a million ids is not grown and rehashed twenty times over. At most
/// 4 M: a larger file grows the index as it is read.
fn expected_rows(path: &Path) -> usize {
    const ROW_BYTES: u64 = 20;
    const MOST: u64 = 4 << 20;
    std::fs::metadata(path).map_or(0, |m| (m.len() / ROW_BYTES).min(MOST) as usize)
}

/// Reads the previous assignments (`household_id, center_id`) of `table`: household id →
/// index of its center in `centers` (the ids of `centers_file`), with the rows set aside
/// and the rows read.
///
/// # Errors
/// Positioned errors for bad rows (unless `options.skip_invalid`), [`Error::UnknownCenter`],
/// [`Error::DuplicateId`] for a household listed twice, [`Error::Empty`].
pub(crate) fn read_assignments(
    table: &mut dyn Table,
    centers: &CenterIndex,
    centers_file: &Path,
    options: &ReadOptions,
) -> Result<(Assignment, Vec<Rejected>, u64)> {
    let path = table.origin().path.clone();
    let (household, center) = find_columns(table, |h| {
        Ok((
            require_column(h, HOUSEHOLD_ID_NAMES, "household id", &path)?,
            require_column(h, ASSIGNED_NAMES, "center id", &path)?,
        ))
    })?;
    // Each id once, valued by its row's place in `rows_read` (center, line) while reading
    // (the line is needed only to report a duplicate), then by its center.
    let rows_expected = expected_rows(&path);
    let mut out = Assignment::with_capacity_and_hasher(rows_expected, Default::default());
    let mut rows_read: Vec<(u32, u64)> = Vec::with_capacity(rows_expected);
    let mut record = TableRow::default();
    let (mut rows, mut rejected) = (0u64, Vec::new());
    let (skip, lang) = (options.skip_invalid, options.lang);
    while table.next_row(&mut record)? {
        rows += 1;
        let row = RowRef::new(table, &record);
        let parsed = table.check_width(&record).and_then(|()| {
            let h = id(&row, household, "household id")?;
            let c = id_text(&row, center, "center id")?;
            let index = *centers.get(c).ok_or_else(|| Error::UnknownCenter {
                location: row.at(center),
                id: c.into(),
                centers: centers_file.into(),
            })?;
            Ok((h, index))
        });
        match parsed {
            Ok((h, index)) => match out.entry(h) {
                Entry::Occupied(first) => {
                    return Err(Error::DuplicateId {
                        location: row.at(household),
                        id: first.key().clone(),
                        first_line: rows_read[*first.get() as usize].1,
                    });
                }
                Entry::Vacant(slot) => {
                    slot.insert(rows_read.len() as u32);
                    rows_read.push((index, record.line));
                }
            },
            Err(e) => settle(Err(e), table, &record, skip, lang, &mut rejected)?,
        }
    }
    if rows == 0 {
        return Err(Error::Empty { path });
    }
    for at in out.values_mut() {
        *at = rows_read[*at as usize].0;
    }
    Ok((out, rejected, rows))
}
