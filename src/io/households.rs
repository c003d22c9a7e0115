//! Streaming reader for `households.csv` (SPEC §3).
//!
//! Accepted header names (case-insensitive): `household_id`/`id`; `lon`/`lng`/`longitude`/`x`;
//! `lat`/`latitude`/`y`; optional `households`/`weight`; any other columns may be named as
//! region columns. UTF-8 with or without BOM, LF or CRLF, comma, semicolon or tab
//! delimited (detected from the header line), Persian/Arabic-Indic digits.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Location, Result};
use crate::io::number::{parse_count, parse_decimal};
use crate::model::{Household, Households, LonLat, Rejected};

/// Largest accepted household weight on one row.
pub const MAX_WEIGHT: u64 = 1_000_000;

/// Options for [`read_households`].
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
}

/// Longest accepted id, in bytes: an id longer than this is a sign of a broken file.
pub const MAX_ID_BYTES: usize = 256;

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

const ID_NAMES: &[&str] = &["household_id", "id"];
pub(crate) const LON_NAMES: &[&str] = &["lon", "lng", "longitude", "x"];
pub(crate) const LAT_NAMES: &[&str] = &["lat", "latitude", "y"];
const WEIGHT_NAMES: &[&str] = &["households", "weight"];

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

/// Reads a households file from disk, hashing it on the way.
///
/// # Errors
/// [`Error::Io`] if the file cannot be opened, otherwise as [`read_households`].
pub fn read_households_file(
    path: &Path,
    options: &ReadOptions,
) -> Result<(Households, InputDigest)> {
    let (households, sha256, bytes) = read_hashed(path, |r| read_households(r, path, options))?;
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
    let mut hashing = HashingReader {
        inner: file,
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

/// Normalises a header cell: strips a BOM, white space and case.
pub(crate) fn header_key(cell: &str) -> String {
    cell.trim_start_matches('\u{FEFF}').trim().to_lowercase()
}

/// Finds the single column whose name is in `names`.
pub(crate) fn find_column(
    header: &[String],
    names: &[&str],
    what: &str,
    path: &Path,
) -> Result<Option<usize>> {
    let mut found: Option<usize> = None;
    for (i, h) in header.iter().enumerate() {
        if names.contains(&header_key(h).as_str()) {
            if let Some(first) = found {
                return Err(Error::DuplicateColumn {
                    path: path.to_path_buf(),
                    what: what.to_string(),
                    first: header[first].clone(),
                    second: h.clone(),
                });
            }
            found = Some(i);
        }
    }
    Ok(found)
}

pub(crate) fn require_column(
    header: &[String],
    names: &[&str],
    what: &'static str,
    path: &Path,
) -> Result<usize> {
    find_column(header, names, what, path)?.ok_or_else(|| Error::MissingColumn {
        path: path.to_path_buf(),
        what,
        expected: names.join(", "),
        found: header.join(","),
    })
}

/// Converts a csv-crate error into a positioned [`Error::Csv`].
pub(crate) fn csv_error(err: csv::Error, path: &Path) -> Error {
    let (line, record) = err
        .position()
        .map(|p| (p.line(), p.record()))
        .unwrap_or((0, 0));
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
        },
        message,
    }
}

/// A CSV input opened the way every reader of this crate opens it: the delimiter sniffed
/// from the header line, the header read (BOM removed), and line numbers corrected for
/// CRLF files.
pub(crate) struct CsvInput<R: Read> {
    csv: csv::Reader<BufReader<R>>,
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
    /// cannot be read.
    pub(crate) fn open(reader: R, path: &Path) -> Result<Self> {
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
        let header: Vec<String> = csv
            .byte_headers()
            .map_err(|e| csv_error(e, path))?
            .iter()
            .map(|f| {
                String::from_utf8_lossy(f)
                    .trim_start_matches('\u{FEFF}')
                    .to_string()
            })
            .collect();
        Ok(CsvInput {
            csv,
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
            Err(e) => return Err(csv_error(e, path)),
        }
        let mut pos = record
            .position()
            .cloned()
            .unwrap_or_else(csv::Position::new);
        pos.set_line(pos.line() + self.crlf_fix);
        Ok(Some(pos))
    }

    /// The row as text, re-joined with the file's delimiter (quoted where needed), for
    /// `rejected.csv`.
    pub(crate) fn raw(&self, record: &csv::ByteRecord) -> String {
        let mut w = csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let _ = w.write_byte_record(record);
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8_lossy(&bytes)
            .trim_end_matches('\n')
            .to_string()
    }

    /// Checks that a row has as many fields as the header.
    ///
    /// # Errors
    /// [`Error::Csv`] naming both counts.
    pub(crate) fn check_width(
        &self,
        record: &csv::ByteRecord,
        pos: &csv::Position,
        path: &Path,
    ) -> Result<()> {
        if record.len() != self.header.len() {
            let multiline = record.iter().any(|f| f.contains(&b'\n'));
            return Err(Error::Csv {
                location: location(path, &self.header, pos, None),
                message: format!(
                    "row has {} fields but the header has {}; {}",
                    record.len(),
                    self.header.len(),
                    if multiline {
                        "a field runs over several lines: is a closing quote (\") missing?"
                    } else {
                        "check for a missing or extra delimiter"
                    }
                ),
            });
        }
        Ok(())
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
    }
}

/// Field `column` of `record` as text; `at` positions the error when it is not UTF-8.
pub(crate) fn utf8_field(
    record: &csv::ByteRecord,
    column: usize,
    at: impl FnOnce() -> Location,
) -> Result<&str> {
    let bytes = record.get(column).unwrap_or_default();
    std::str::from_utf8(bytes).map_err(|_| Error::InvalidValue {
        location: at(),
        message: "is not valid UTF-8; save the file as UTF-8".into(),
    })
}

/// Checks that `lon`/`lat` are a longitude and latitude in degrees, hinting at swapped
/// columns; does nothing for `projected` (eastings/northings, `--crs`) coordinates.
/// `at(column)` positions an error at `lon_col` or `lat_col`.
///
/// # Errors
/// [`Error::InvalidValue`] when a value is out of range.
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
    if lon == 0.0 && lat == 0.0 {
        return Err(Error::InvalidValue {
            location: at(lon_col),
            message: "longitude and latitude are both 0 (a point in the Gulf of Guinea); \
                      this is usually an empty cell exported as zero: fill in the location"
                .into(),
        });
    }
    let lat_bad = !(-90.0..=90.0).contains(&lat);
    let lon_bad = !(-180.0..=180.0).contains(&lon);
    if lat_bad && (-90.0..=90.0).contains(&lon) {
        return Err(Error::InvalidValue {
            location: at(lat_col),
            message: format!(
                "latitude {lat} is outside [-90, 90] while longitude {lon} would fit; are the lon and lat columns swapped?"
            ),
        });
    }
    if lat_bad {
        return Err(Error::InvalidValue {
            location: at(lat_col),
            message: format!("latitude {lat} is outside [-90, 90]"),
        });
    }
    if lon_bad {
        return Err(Error::InvalidValue {
            location: at(lon_col),
            message: format!(
                "longitude {lon} is outside [-180, 180]; for projected coordinates pass --crs"
            ),
        });
    }
    Ok(())
}

/// Reads households from any reader. `path` is only used in messages.
///
/// ```
/// use siting::io::households::{read_households, ReadOptions};
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
/// invalid UTF-8, unparsable or out-of-range numbers, duplicate ids, or no rows at all.
pub fn read_households<R: Read>(
    reader: R,
    path: &Path,
    options: &ReadOptions,
) -> Result<Households> {
    let mut input = CsvInput::open(reader, path)?;
    let header = input.header.clone();

    let id_col = find_column(&header, ID_NAMES, "household id", path)?;
    let lon_col = require_column(&header, LON_NAMES, "longitude", path)?;
    let lat_col = require_column(&header, LAT_NAMES, "latitude", path)?;
    let weight_col = find_column(&header, WEIGHT_NAMES, "household count", path)?;
    let mut by_cols = Vec::with_capacity(options.by.len());
    for name in &options.by {
        let key = header_key(name);
        let col = header
            .iter()
            .position(|h| header_key(h) == key)
            .ok_or_else(|| Error::MissingColumn {
                path: path.to_path_buf(),
                what: "region (--by)",
                expected: name.clone(),
                found: header.join(","),
            })?;
        by_cols.push(col);
    }

    let mut items: Vec<Household> = Vec::new();
    let mut rejected = Vec::new();
    let mut region_index: HashMap<String, u32> = HashMap::new();
    let mut region_names: Vec<String> = Vec::new();
    // Ids seen so far, as their hashes and indices into `items` (no second copy of each
    // id; with the hash kept, growing the table never reads the ids again).
    let id_hasher = hashbrown::DefaultHashBuilder::default();
    let mut seen_ids: hashbrown::HashTable<(u64, u32)> = hashbrown::HashTable::new();
    let mut key = String::new();
    let mut record = csv::ByteRecord::new();
    while let Some(pos) = input.next_record(&mut record, path)? {
        let row = input.check_width(&record, &pos, path).and_then(|()| {
            let loc = |column: Option<usize>| location(path, &header, &pos, column);
            let field = |c: usize| -> Result<&str> { utf8_field(&record, c, || loc(Some(c))) };
            let number = |c: usize, what: &str| -> Result<f64> {
                let text = field(c)?;
                parse_decimal(text).map_err(|e| Error::InvalidValue {
                    location: loc(Some(c)),
                    message: format!("{what} '{}' {e}", text.trim()),
                })
            };
            let lon = number(lon_col, "longitude")?;
            let lat = number(lat_col, "latitude")?;
            check_lon_lat(lon, lat, options.projected, (lon_col, lat_col), |c| {
                loc(Some(c))
            })?;
            let weight = match weight_col {
                Some(c) => {
                    let text = field(c)?;
                    parse_count(text, MAX_WEIGHT).map_err(|e| Error::InvalidValue {
                        location: loc(Some(c)),
                        message: format!("household count '{}' {e}", text.trim()),
                    })?
                }
                None => 1,
            };
            let id = match id_col {
                Some(c) => {
                    let id = field(c)?.trim();
                    if id.is_empty() {
                        return Err(Error::InvalidValue {
                            location: loc(Some(c)),
                            message: "household id is empty".into(),
                        });
                    }
                    if id.len() > MAX_ID_BYTES {
                        return Err(Error::InvalidValue {
                            location: loc(Some(c)),
                            message: format!(
                                "household id is {} bytes long (at most {MAX_ID_BYTES}); \
                                 is a quote missing, so that many rows run together?",
                                id.len()
                            ),
                        });
                    }
                    id.to_string()
                }
                None => format!("row-{}", pos.record()),
            };
            let hash = id_hasher.hash_one(id.as_str());
            if let Some(&(_, first)) =
                seen_ids.find(hash, |&(h, j)| h == hash && items[j as usize].id == id)
            {
                return Err(Error::DuplicateId {
                    location: loc(id_col),
                    id,
                    first_line: items[first as usize].line,
                });
            }
            key.clear();
            for (i, &c) in by_cols.iter().enumerate() {
                if i > 0 {
                    key.push_str(" / ");
                }
                key.push_str(field(c)?.trim());
            }
            Ok((id, hash, LonLat::new(lon, lat), weight))
        });
        let (id, hash, position, weight) = match row {
            Ok(row) => row,
            Err(e) if options.skip_invalid => {
                rejected.push(Rejected {
                    file: path.display().to_string(),
                    line: pos.line(),
                    raw: input.raw(&record),
                    reason: e.to_string(),
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        seen_ids.insert_unique(hash, (hash, items.len() as u32), |&(h, _)| h);
        let region = if by_cols.is_empty() {
            0
        } else {
            match region_index.get(key.as_str()) {
                Some(&r) => r,
                None => {
                    let r = region_names.len() as u32;
                    region_index.insert(key.clone(), r);
                    region_names.push(key.clone());
                    r
                }
            }
        };
        items.push(Household {
            id,
            position,
            weight,
            region,
            line: pos.line(),
        });
    }
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
    if by_cols.is_empty() {
        region_names.push(String::new());
    } else {
        // Regions in name order, independent of row order.
        let mut order: Vec<u32> = (0..region_names.len() as u32).collect();
        order.sort_by(|&a, &b| region_names[a as usize].cmp(&region_names[b as usize]));
        let mut remap = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old as usize] = new as u32;
        }
        for h in &mut items {
            h.region = remap[h.region as usize];
        }
        region_names = order
            .iter()
            .map(|&o| region_names[o as usize].clone())
            .collect();
    }
    Ok(Households {
        items,
        regions: region_names,
        region_columns: options.by.clone(),
        rejected,
    })
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
}
