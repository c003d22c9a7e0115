//! The records of an office that are not a siting plan: `centers.csv` (the existing centers
//! with their status) and the previous assignments (`household_id, center_id`, from the
//! case files). Both are read like the households: header aliases, BOM, CRLF, any of the
//! three delimiters, Persian digits, positioned errors, `--skip-invalid`.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Location, Result};
use crate::io::read::csv::{
    CsvInput, InputDigest, LAT_NAMES, LON_NAMES, ReadOptions, check_lon_lat, find_column,
    header_key, location, read_hashed, require_column, utf8_field,
};
use crate::io::read::number::parse_decimal;
use crate::model::{LonLat, Rejected};
use crate::network::{CenterStatus, ExistingCenter, Previous};

/// Accepted names of the center id column.
pub(crate) const CENTER_ID_NAMES: &[&str] = &["center_id", "catchment_id", "id", "شناسه مرکز"];
/// Accepted names of the status column.
const STATUS_NAMES: &[&str] = &["status", "وضعیت"];
/// Accepted names of the household id column of the previous assignments.
const HOUSEHOLD_NAMES: &[&str] = &["household_id", "id", "شناسه"];
/// Accepted names of the center column of the previous assignments.
const ASSIGNED_NAMES: &[&str] = &["center_id", "catchment_id", "شناسه مرکز"];

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
    let ((list, rejected, rows), sha256, bytes) =
        read_hashed(centers, |r| read_centers(r, centers, options))?;
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
    let ((assignment, rejected, rows), sha256, bytes) = read_hashed(assignments, |r| {
        read_assignments(r, assignments, &ids, centers, options)
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

/// Center id → index.
pub(crate) fn center_index(centers: &[ExistingCenter]) -> HashMap<String, u32> {
    centers
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i as u32))
        .collect()
}

/// One data row of a CSV input being read, for positioned messages.
struct Row<'a> {
    path: &'a Path,
    header: &'a [String],
    record: &'a csv::ByteRecord,
    pos: &'a csv::Position,
}

impl<'a> Row<'a> {
    fn at(&self, column: usize) -> Location {
        location(self.path, self.header, self.pos, Some(column))
    }

    fn invalid(&self, column: usize, message: String) -> Error {
        Error::InvalidValue {
            location: self.at(column),
            message,
        }
    }

    fn text(&self, column: usize) -> Result<&'a str> {
        utf8_field(self.record, column, || self.at(column))
    }

    /// A non-empty id in `column`.
    fn id(&self, column: usize, what: &str) -> Result<String> {
        let id = self.text(column)?.trim();
        if id.is_empty() {
            return Err(self.invalid(
                column,
                format!("{what} is empty; fill it in, or delete the row"),
            ));
        }
        Ok(id.to_string())
    }

    fn coordinate(&self, column: usize, what: &str) -> Result<f64> {
        let text = self.text(column)?;
        parse_decimal(text)
            .map_err(|e| self.invalid(column, format!("{what} '{}' {e}", text.trim())))
    }
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
            .map(|name| {
                let key = header_key(name);
                header.iter().position(|h| header_key(h) == key)
            })
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
    let mut input = CsvInput::open(reader, path)?;
    let header = input.header.clone();
    let cols = CenterColumns::from_header(&header, path, &options.by)?;
    let mut centers: Vec<ExistingCenter> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut rejected) = (0u64, Vec::new());
    while let Some(pos) = input.next_record(&mut record, path)? {
        rows += 1;
        let row = Row {
            path,
            header: &header,
            record: &record,
            pos: &pos,
        };
        let parsed = input
            .check_width(&record, &pos, path)
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
                seen.insert(center.id.clone(), pos.line());
                centers.push(center);
            }
            Err(e) => input.settle(
                Err(e),
                &record,
                &pos,
                path,
                options.skip_invalid,
                &mut rejected,
            )?,
        }
    }
    if rows == 0 {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok((centers, rejected, rows))
}

/// One center row.
fn center_row(row: &Row<'_>, cols: &CenterColumns, projected: bool) -> Result<ExistingCenter> {
    let id = row.id(cols.id, "center id")?;
    let lon = row.coordinate(cols.lon, "longitude")?;
    let lat = row.coordinate(cols.lat, "latitude")?;
    check_lon_lat(lon, lat, projected, (cols.lon, cols.lat), |c| row.at(c))?;
    let status = match cols.status {
        Some(c) => {
            let text = row.text(c)?;
            CenterStatus::parse(text).ok_or_else(|| {
                row.invalid(
                    c,
                    format!(
                        "status '{}' is not one of open, vacant, closed (empty = open)",
                        text.trim()
                    ),
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
        line: row.pos.line(),
    })
}

/// Reads the previous assignments (`household_id, center_id`) from any reader: household id
/// → index of its center in `centers` (the ids of `centers_file`).
///
/// # Errors
/// Positioned errors for bad rows (unless `options.skip_invalid`), [`Error::UnknownCenter`],
/// [`Error::DuplicateId`] for a household listed twice, [`Error::Empty`].
pub(crate) fn read_assignments<R: Read>(
    reader: R,
    path: &Path,
    centers: &HashMap<String, u32>,
    centers_file: &Path,
    options: &ReadOptions,
) -> Result<(HashMap<String, u32>, Vec<Rejected>, u64)> {
    let mut input = CsvInput::open(reader, path)?;
    let header = input.header.clone();
    let household = require_column(&header, HOUSEHOLD_NAMES, "household id", path)?;
    let center = require_column(&header, ASSIGNED_NAMES, "center id", path)?;
    let mut out: HashMap<String, u32> = HashMap::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut rejected) = (0u64, Vec::new());
    while let Some(pos) = input.next_record(&mut record, path)? {
        rows += 1;
        let row = Row {
            path,
            header: &header,
            record: &record,
            pos: &pos,
        };
        let parsed = input.check_width(&record, &pos, path).and_then(|()| {
            let h = row.id(household, "household id")?;
            let c = row.id(center, "center id")?;
            let index = *centers.get(&c).ok_or_else(|| Error::UnknownCenter {
                location: row.at(center),
                id: c.as_str().into(),
                centers: centers_file.into(),
            })?;
            Ok((h, index))
        });
        match parsed {
            Ok((h, index)) => {
                if let Some(&first_line) = lines.get(&h) {
                    return Err(Error::DuplicateId {
                        location: row.at(household),
                        id: h,
                        first_line,
                    });
                }
                lines.insert(h.clone(), pos.line());
                out.insert(h, index);
            }
            Err(e) => input.settle(
                Err(e),
                &record,
                &pos,
                path,
                options.skip_invalid,
                &mut rejected,
            )?,
        }
    }
    if rows == 0 {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok((out, rejected, rows))
}
