//! Reader for `applicants.csv` (SPEC §3): who applies to run a center, and where.
//!
//! Two layouts, told apart by the header (names case-insensitive):
//!
//! * **long**, one row per proposed site: `applicant_id`, `preference` (1 to 5, 1 = most
//!   preferred), `lon`/`lng`/`longitude`/`x` and `lat`/`latitude`/`y`. An applicant's rows
//!   need not be adjacent.
//! * **wide**, one row per applicant as an online form exports it: `applicant_id`,
//!   `site1_lon`, `site1_lat`, …, `site5_lon`, `site5_lat` (after `siteN_` the longitude and
//!   latitude names above are accepted too, and `Site 1 Lon` or `site-1-lon` as well). The
//!   site number is the preference; a site whose two cells are both empty is no proposal.
//!
//! Both layouts take the optional columns `score` (empty = no score), `eligible`
//! (true/false, yes/no, y/n, 1/0, بله/خیر; empty = eligible) and `max_centers` (empty = 1).
//! Any other column (names, national ids, phone numbers) is listed in
//! [`Applicants::ignored_columns`] and never read. Encodings, line ends, delimiters,
//! Persian/Arabic-Indic digits and workbooks (a sheet of an `.xlsx`, `.xls` or `.ods`) are
//! handled as for households; the rows are read through the generic table reader
//! (`table`).
//!
//! Persian header names are accepted too: `شناسه متقاضی` (applicant_id), `اولویت`
//! (preference), `امتیاز` (score), `واجد شرایط` (eligible), `حداکثر مراکز` (max_centers),
//! and the longitude and latitude names of households.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::error::{
    Error, HeaderProblem, IdProblem, Location, Result, TermDifference, ValueProblem,
};
use crate::io::read::csv::{InputDigest, ReadOptions, check_lon_lat};
use crate::io::read::encoding::{TextReader, sniff};
use crate::io::read::names::{LAT_NAMES, LON_NAMES, find_column, header_key, require_column};
use crate::io::read::number::{NumberError, parse_count, parse_decimal};
use crate::io::read::open::read_table_file;
use crate::io::read::table::{CsvTable, RowRef, Table, TableRow, find_columns, settle};
use crate::model::{Applicant, Applicants, LonLat, Proposal};

/// Most sites one applicant may propose (preferences 1 to 5).
pub const MAX_PROPOSALS: usize = 5;

/// Largest accepted `max_centers`.
pub const MAX_CENTERS: u64 = 10_000;

const ID_NAMES: &[&str] = &["applicant_id", "شناسه متقاضی"];
const PREFERENCE_NAMES: &[&str] = &["preference", "اولویت"];
const SCORE_NAMES: &[&str] = &["score", "امتیاز"];
const ELIGIBLE_NAMES: &[&str] = &["eligible", "واجد شرایط"];
const MAX_CENTERS_NAMES: &[&str] = &["max_centers", "حداکثر مراکز"];

const SITE_LON_WHAT: [&str; MAX_PROPOSALS] = [
    "site 1 longitude",
    "site 2 longitude",
    "site 3 longitude",
    "site 4 longitude",
    "site 5 longitude",
];
const SITE_LAT_WHAT: [&str; MAX_PROPOSALS] = [
    "site 1 latitude",
    "site 2 latitude",
    "site 3 latitude",
    "site 4 latitude",
    "site 5 latitude",
];

/// Reads an applicants file from disk, hashing it on the way: a text file, or sheet
/// [`ReadOptions::sheet`] (default: the first) of a workbook, as
/// [`crate::read_households_file`] reads them.
///
/// The digest's `rows` counts data rows: proposals in the long layout, applicants in the
/// wide one.
///
/// # Errors
/// [`Error::Io`] if the file cannot be opened or read, the workbook errors of
/// [`crate::read_households_file`], otherwise as [`read_applicants`].
pub fn read_applicants_file(
    path: &Path,
    options: &ReadOptions,
) -> Result<(Applicants, InputDigest)> {
    let ((applicants, rows), sha256, bytes) =
        read_table_file(path, options, |table| read_counted(table, options))?;
    Ok((
        applicants,
        InputDigest {
            path: path.to_path_buf(),
            sha256,
            bytes,
            rows,
        },
    ))
}

/// Reads applicants in the long or the wide layout from any reader of text (decoded as
/// [`ReadOptions::encoding`] or a byte-order mark says). `path` is only used in messages; `projected` means the coordinates are eastings/northings (`--crs`), so the
/// longitude/latitude range checks are skipped.
///
/// Applicants come in order of first appearance, each with its proposals sorted by
/// preference. Both layouts give the same applicants for the same data:
///
/// ```
/// use siting::{ReadOptions, read_applicants};
/// let long = "\u{FEFF}applicant_id,preference,lat,lon,score,name\r\n\
///             a1,2,35.71,51.41,80,Reza\r\n\
///             a2,1,35.72,51.42,,Sara\r\n\
///             a1,۱,۳۵٫۷,51.4,80,Reza\r\n";
/// let wide = "applicant_id;site1_lon;site1_lat;site2_lon;site2_lat;score;name\n\
///             a1;51.4;35.7;51.41;35.71;80;Reza\n\
///             a2;51.42;35.72;;;;Sara\n";
/// let a = read_applicants(long.as_bytes(), "long.csv".as_ref(), &ReadOptions::default())?;
/// let b = read_applicants(wide.as_bytes(), "wide.csv".as_ref(), &ReadOptions::default())?;
/// assert_eq!((a.len(), a.proposals()), (2, 3));
/// assert_eq!(a.items[0].id, "a1");
/// assert_eq!(a.items[0].proposals[0].preference, 1);
/// assert_eq!(a.items[0].proposals[0].position.lat, 35.7);
/// assert_eq!(a.items[0].proposals[0].line, 4);
/// assert_eq!(a.items[1].score, None);
/// assert_eq!(a.ignored_columns, ["name"]);
/// for (x, y) in a.items.iter().zip(&b.items) {
///     assert_eq!((&x.id, x.score, x.eligible, x.max_centers), (&y.id, y.score, y.eligible, y.max_centers));
///     let sites = |p: &[siting::Proposal]| p.iter().map(|p| (p.preference, p.position)).collect::<Vec<_>>();
///     assert_eq!(sites(&x.proposals), sites(&y.proposals));
/// }
/// # Ok::<(), siting::Error>(())
/// ```
///
/// # Errors
/// A positioned [`Error`] for the first problem: missing, duplicate or misplaced columns
/// ([`Error::MissingColumn`], [`Error::DuplicateColumn`], [`Error::InvalidHeader`]),
/// ragged rows or invalid UTF-8 ([`Error::RowWidth`], [`Error::Csv`],
/// [`Error::InvalidValue`]), an empty applicant id, a preference outside 1 to 5, a bad
/// coordinate, score, eligible or max_centers value, rows of one applicant that disagree on
/// those values ([`Error::InvalidValue`], [`Error::InvalidNumber`],
/// [`Error::InvalidCoordinate`]), two proposals with the same preference
/// ([`Error::DuplicatePreference`]), more than five proposals
/// ([`Error::TooManyProposals`]), two rows for one applicant in the wide layout
/// ([`Error::DuplicateApplicant`]), no data rows at all ([`Error::Empty`]), text that is
/// not UTF-8 ([`Error::NotUtf8`]), or a workbook given as a stream
/// ([`Error::Spreadsheet`]: read those with [`read_applicants_file`]).
pub fn read_applicants<R: Read>(
    reader: R,
    path: &Path,
    options: &ReadOptions,
) -> Result<Applicants> {
    let (decode, reader) = sniff(reader, options.encoding.as_deref(), path)?;
    let mut table = CsvTable::open(TextReader::new(reader, decode), path)?;
    read_counted(&mut table, options).map(|(applicants, _)| applicants)
}

/// Reads the applicants of `table`, also returning the number of data rows.
fn read_counted(table: &mut dyn Table, options: &ReadOptions) -> Result<(Applicants, u64)> {
    let path = table.origin().path.clone();
    let columns = find_columns(table, |header| Columns::from_header(header, &path))?;
    let mut builder = Builder::default();
    let mut record = TableRow::default();
    let mut rows = 0u64;
    let mut rejected = Vec::new();
    while table.next_row(&mut record)? {
        rows += 1;
        let row = Row {
            cells: RowRef::new(table, &record),
            projected: options.projected,
        };
        let added = table
            .check_width(&record)
            .and_then(|()| match &columns.layout {
                Layout::Long {
                    preference,
                    lon,
                    lat,
                } => builder.add_long(&row, &columns, (*preference, *lon, *lat)),
                Layout::Wide { sites } => builder.add_wide(&row, &columns, sites),
            });
        settle(
            added,
            table,
            &record,
            options.skip_invalid,
            options.lang,
            &mut rejected,
        )?;
    }
    if rows == 0 {
        return Err(Error::Empty { path });
    }
    let mut items = builder.items;
    for applicant in &mut items {
        applicant.proposals.sort_by_key(|p| p.preference);
    }
    Ok((
        Applicants {
            items,
            ignored_columns: columns.ignored,
            rejected,
        },
        rows,
    ))
}

/// Longitude or latitude, in a wide-layout header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Axis {
    Lon,
    Lat,
}

/// Reads a normalised header key such as `site2_lon`, `site 2 longitude` or `site-2-y` as
/// `(2, Axis::Lon)`; a site number too large for `u64` becomes `u64::MAX`.
fn site_column(key: &str) -> Option<(u64, Axis)> {
    let key = key.replace([' ', '-'], "_");
    let rest = key.strip_prefix("site")?;
    let rest = rest.strip_prefix('_').unwrap_or(rest);
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let (number, axis) = rest.split_at(digits);
    let axis = axis.strip_prefix('_')?;
    let axis = if LON_NAMES.contains(&axis) {
        Axis::Lon
    } else if LAT_NAMES.contains(&axis) {
        Axis::Lat
    } else {
        return None;
    };
    Some((number.parse().unwrap_or(u64::MAX), axis))
}

/// One site of the wide layout: its preference and its two columns.
#[derive(Debug, Clone, Copy)]
struct Site {
    preference: u8,
    lon: usize,
    lat: usize,
}

/// The layout of the file and its proposal columns.
#[derive(Debug)]
enum Layout {
    /// One row per proposal.
    Long {
        preference: usize,
        lon: usize,
        lat: usize,
    },
    /// One row per applicant, sites in preference order.
    Wide { sites: Vec<Site> },
}

/// Where everything is in the header.
#[derive(Debug)]
struct Columns {
    id: usize,
    score: Option<usize>,
    eligible: Option<usize>,
    max_centers: Option<usize>,
    layout: Layout,
    /// Non-empty header cells the reader does not use, as written.
    ignored: Vec<String>,
}

impl Columns {
    fn from_header(header: &[String], path: &Path) -> Result<Self> {
        let id = require_column(header, ID_NAMES, "applicant id", path)?;
        let score = find_column(header, SCORE_NAMES, "score", path)?;
        let eligible = find_column(header, ELIGIBLE_NAMES, "eligible", path)?;
        let max_centers = find_column(header, MAX_CENTERS_NAMES, "max_centers", path)?;
        let mut used: Vec<usize> = [Some(id), score, eligible, max_centers]
            .into_iter()
            .flatten()
            .collect();
        let site_cells = site_cells(header);
        let layout = if site_cells.is_empty() {
            long_layout(header, path, &mut used)?
        } else {
            wide_layout(header, path, &site_cells, &mut used)?
        };
        Ok(Columns {
            id,
            score,
            eligible,
            max_centers,
            layout,
            ignored: ignored_columns(header, &used),
        })
    }
}

/// The site columns of `header` (see [`site_column`]): index, site number and axis.
fn site_cells(header: &[String]) -> Vec<(usize, u64, Axis)> {
    header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| site_column(&header_key(h)).map(|(n, axis)| (i, n, axis)))
        .collect()
}

/// The long layout's columns, added to `used`.
fn long_layout(header: &[String], path: &Path, used: &mut Vec<usize>) -> Result<Layout> {
    let preference = require_column(header, PREFERENCE_NAMES, "preference", path)?;
    let lon = require_column(header, LON_NAMES, "longitude", path)?;
    let lat = require_column(header, LAT_NAMES, "latitude", path)?;
    used.extend([preference, lon, lat]);
    Ok(Layout::Long {
        preference,
        lon,
        lat,
    })
}

/// The wide layout's sites, from its site columns `site_cells`; their columns are added
/// to `used`.
fn wide_layout(
    header: &[String],
    path: &Path,
    site_cells: &[(usize, u64, Axis)],
    used: &mut Vec<usize>,
) -> Result<Layout> {
    if let Some(p) = find_column(header, PREFERENCE_NAMES, "preference", path)? {
        return Err(invalid_header(
            header,
            path,
            p,
            HeaderProblem::PreferenceWithSites {
                site_column: header[site_cells[0].0].clone(),
            },
        ));
    }
    check_site_numbers(header, path, site_cells)?;
    let mut sites = Vec::new();
    for n in 1..=MAX_PROPOSALS {
        if let Some(site) = wide_site(header, path, site_cells, n)? {
            used.extend([site.lon, site.lat]);
            sites.push(site);
        }
    }
    Ok(Layout::Wide { sites })
}

/// Checks that every site column's number is one of 1 to [`MAX_PROPOSALS`].
fn check_site_numbers(
    header: &[String],
    path: &Path,
    site_cells: &[(usize, u64, Axis)],
) -> Result<()> {
    for &(i, n, _) in site_cells {
        if n == 0 {
            return Err(invalid_header(
                header,
                path,
                i,
                HeaderProblem::SiteZero { max: MAX_PROPOSALS },
            ));
        }
        if n > MAX_PROPOSALS as u64 {
            return Err(invalid_header(
                header,
                path,
                i,
                HeaderProblem::SiteOverMax { max: MAX_PROPOSALS },
            ));
        }
    }
    Ok(())
}

/// Site `n` of the wide layout: none without columns, an error with only one of its two
/// columns (or a column twice).
fn wide_site(
    header: &[String],
    path: &Path,
    site_cells: &[(usize, u64, Axis)],
    n: usize,
) -> Result<Option<Site>> {
    let (mut lon, mut lat): (Option<usize>, Option<usize>) = (None, None);
    for &(i, m, axis) in site_cells {
        if m != n as u64 {
            continue;
        }
        let (slot, what) = match axis {
            Axis::Lon => (&mut lon, SITE_LON_WHAT[n - 1]),
            Axis::Lat => (&mut lat, SITE_LAT_WHAT[n - 1]),
        };
        if let Some(first) = *slot {
            return Err(Error::DuplicateColumn {
                path: path.to_path_buf(),
                what: what.to_string(),
                first: header[first].clone(),
                second: header[i].clone(),
            });
        }
        *slot = Some(i);
    }
    let missing = |what: &'static str, names: &[&str]| Error::MissingColumn {
        path: path.to_path_buf(),
        what,
        expected: names
            .iter()
            .filter(|name| name.is_ascii())
            .map(|name| format!("site{n}_{name}"))
            .collect::<Vec<_>>()
            .join(", "),
        found: header.join(","),
    };
    match (lon, lat) {
        (None, None) => Ok(None),
        (Some(lon), Some(lat)) => Ok(Some(Site {
            preference: n as u8,
            lon,
            lat,
        })),
        (Some(_), None) => Err(missing(SITE_LAT_WHAT[n - 1], LAT_NAMES)),
        (None, Some(_)) => Err(missing(SITE_LON_WHAT[n - 1], LON_NAMES)),
    }
}

/// [`Error::InvalidHeader`] for header cell `column` (0-based).
fn invalid_header(header: &[String], path: &Path, column: usize, problem: HeaderProblem) -> Error {
    Error::InvalidHeader {
        path: path.to_path_buf(),
        column: column + 1,
        name: header[column].clone(),
        problem,
    }
}

/// Non-empty header cells not in `used`, as written.
fn ignored_columns(header: &[String], used: &[usize]) -> Vec<String> {
    header
        .iter()
        .enumerate()
        .filter(|(i, h)| !used.contains(i) && !h.trim().is_empty())
        .map(|(_, h)| h.clone())
        .collect()
}

/// What an applicant's rows must agree on.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Terms {
    score: Option<f64>,
    eligible: bool,
    max_centers: u32,
}

impl Terms {
    fn of(applicant: &Applicant) -> Self {
        Terms {
            score: applicant.score,
            eligible: applicant.eligible,
            max_centers: applicant.max_centers,
        }
    }
}

/// Reads an `eligible` cell; `None` when the text is not an accepted value.
fn parse_eligible(text: &str) -> Option<bool> {
    let normalised: String = text
        .chars()
        .filter(|c| {
            !matches!(c, '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .map(|c| match c {
            // Arabic yeh as typed on an Arabic keyboard, Persian/Arabic-Indic one and zero.
            '\u{064A}' | '\u{0649}' => '\u{06CC}',
            '\u{06F1}' | '\u{0661}' => '1',
            '\u{06F0}' | '\u{0660}' => '0',
            c => c,
        })
        .collect();
    match normalised.trim().to_lowercase().as_str() {
        "" | "true" | "yes" | "y" | "1" | "بله" => Some(true),
        "false" | "no" | "n" | "0" | "خیر" => Some(false),
        _ => None,
    }
}

/// One data row with what is needed to read and position its fields.
struct Row<'a> {
    cells: RowRef<'a>,
    projected: bool,
}

impl<'a> Row<'a> {
    fn line(&self) -> u64 {
        self.cells.line()
    }

    fn at(&self, column: usize) -> Location {
        self.cells.at(column)
    }

    fn invalid(&self, column: usize, problem: ValueProblem) -> Error {
        self.cells.invalid(column, problem)
    }

    fn text(&self, column: usize) -> Result<&'a str> {
        self.cells.text(column)
    }

    fn id(&self, column: usize) -> Result<String> {
        let id = self.text(column)?.trim();
        if id.is_empty() {
            return Err(Error::InvalidId {
                location: self.cells.at(column),
                problem: IdProblem::ApplicantEmpty,
            });
        }
        Ok(id.to_string())
    }

    fn preference(&self, column: usize) -> Result<u8> {
        let text = self.text(column)?;
        match parse_count(text, MAX_PROPOSALS as u64) {
            Ok(p) => Ok(p as u8),
            Err(problem) => Err(self.invalid(
                column,
                ValueProblem::Preference {
                    text: text.trim().to_string(),
                    problem,
                    max: MAX_PROPOSALS,
                },
            )),
        }
    }

    fn coordinate(&self, column: usize, what: &'static str) -> Result<f64> {
        let text = self.text(column)?;
        parse_decimal(text).map_err(|e| match e {
            NumberError::Empty => self.invalid(column, ValueProblem::Empty { what }),
            e => self.cells.invalid_number(column, what, text, e),
        })
    }

    fn site(&self, lon: usize, lat: usize) -> Result<LonLat> {
        let x = self.coordinate(lon, "longitude")?;
        let y = self.coordinate(lat, "latitude")?;
        check_lon_lat(x, y, self.projected, (lon, lat), |c| self.at(c))?;
        Ok(LonLat::new(x, y))
    }

    /// True when the cell is empty as a number (white space and direction marks only).
    fn blank(&self, column: usize) -> Result<bool> {
        Ok(parse_decimal(self.text(column)?) == Err(NumberError::Empty))
    }

    fn terms(&self, columns: &Columns) -> Result<Terms> {
        Ok(Terms {
            score: self.score(columns.score)?,
            eligible: self.eligible(columns.eligible)?,
            max_centers: self.max_centers(columns.max_centers)?,
        })
    }

    /// The score in `column` (none without the column or in an empty cell).
    fn score(&self, column: Option<usize>) -> Result<Option<f64>> {
        let Some(c) = column else {
            return Ok(None);
        };
        let text = self.text(c)?;
        match parse_decimal(text) {
            Ok(v) => Ok(Some(v)),
            Err(NumberError::Empty) => Ok(None),
            Err(problem) => Err(self.invalid(
                c,
                ValueProblem::Score {
                    text: text.trim().to_string(),
                    problem,
                },
            )),
        }
    }

    /// Whether `column` says eligible (true without the column).
    fn eligible(&self, column: Option<usize>) -> Result<bool> {
        let Some(c) = column else {
            return Ok(true);
        };
        let text = self.text(c)?;
        parse_eligible(text).ok_or_else(|| {
            self.invalid(
                c,
                ValueProblem::Eligible {
                    text: text.trim().to_string(),
                },
            )
        })
    }

    /// The `max_centers` in `column` (1 without the column or in an empty cell).
    fn max_centers(&self, column: Option<usize>) -> Result<u32> {
        let Some(c) = column else {
            return Ok(1);
        };
        let text = self.text(c)?;
        match parse_count(text, MAX_CENTERS) {
            Ok(n) => Ok(n),
            Err(NumberError::Empty) => Ok(1),
            Err(problem) => Err(self.invalid(
                c,
                ValueProblem::MaxCenters {
                    text: text.trim().to_string(),
                    problem,
                    max: MAX_CENTERS,
                },
            )),
        }
    }

    /// Checks that this row's terms agree with those of the applicant's first row.
    fn check_same_terms(&self, columns: &Columns, terms: Terms, first: &Applicant) -> Result<()> {
        let differs = [
            (
                terms.score != first.score,
                columns.score,
                TermDifference::Score {
                    here: terms.score,
                    first: first.score,
                },
            ),
            (
                terms.eligible != first.eligible,
                columns.eligible,
                TermDifference::Eligible {
                    here: terms.eligible,
                    first: first.eligible,
                },
            ),
            (
                terms.max_centers != first.max_centers,
                columns.max_centers,
                TermDifference::MaxCenters {
                    here: terms.max_centers,
                    first: first.max_centers,
                },
            ),
        ];
        for (differ, column, difference) in differs {
            if differ {
                return Err(self.invalid(
                    column.unwrap_or(columns.id),
                    ValueProblem::TermsDiffer {
                        applicant: first.id.clone(),
                        first_line: first.line,
                        difference,
                    },
                ));
            }
        }
        Ok(())
    }
}

/// Collects applicants in order of first appearance.
#[derive(Default)]
struct Builder {
    index: HashMap<String, usize>,
    items: Vec<Applicant>,
}

impl Builder {
    /// Adds a new applicant with its first row.
    fn push(&mut self, id: String, terms: Terms, proposals: Vec<Proposal>, line: u64) {
        self.index.insert(id.clone(), self.items.len());
        self.items.push(Applicant {
            id,
            score: terms.score,
            eligible: terms.eligible,
            max_centers: terms.max_centers,
            proposals,
            line,
        });
    }

    /// Adds one long-layout row: one proposal.
    fn add_long(
        &mut self,
        row: &Row<'_>,
        columns: &Columns,
        (preference_col, lon, lat): (usize, usize, usize),
    ) -> Result<()> {
        let id = row.id(columns.id)?;
        let preference = row.preference(preference_col)?;
        let position = row.site(lon, lat)?;
        let terms = row.terms(columns)?;
        let proposal = Proposal {
            preference,
            position,
            line: row.line(),
        };
        let Some(&i) = self.index.get(&id) else {
            self.push(id, terms, vec![proposal], row.line());
            return Ok(());
        };
        let applicant = &mut self.items[i];
        if applicant.proposals.len() >= MAX_PROPOSALS {
            return Err(Error::TooManyProposals {
                location: row.at(columns.id),
                applicant: id,
                count: applicant.proposals.len() as u32 + 1,
                first_line: applicant.line,
            });
        }
        if let Some(first) = applicant
            .proposals
            .iter()
            .find(|p| p.preference == preference)
        {
            return Err(Error::DuplicatePreference {
                location: row.at(preference_col),
                applicant: id,
                preference,
                first_line: first.line,
                identical: first.position == position && Terms::of(applicant) == terms,
            });
        }
        row.check_same_terms(columns, terms, applicant)?;
        applicant.proposals.push(proposal);
        Ok(())
    }

    /// Adds one wide-layout row: an applicant with up to five sites.
    fn add_wide(&mut self, row: &Row<'_>, columns: &Columns, sites: &[Site]) -> Result<()> {
        let id = row.id(columns.id)?;
        if let Some(&i) = self.index.get(&id) {
            return Err(Error::DuplicateApplicant {
                location: row.at(columns.id),
                applicant: id,
                first_line: self.items[i].line,
            });
        }
        let mut proposals = Vec::with_capacity(sites.len());
        for site in sites {
            let n = site.preference;
            match (row.blank(site.lon)?, row.blank(site.lat)?) {
                (true, true) => continue,
                (false, true) => {
                    return Err(row.invalid(site.lat, ValueProblem::SiteLatitudeEmpty { site: n }));
                }
                (true, false) => {
                    return Err(row.invalid(site.lon, ValueProblem::SiteLongitudeEmpty { site: n }));
                }
                (false, false) => proposals.push(Proposal {
                    preference: n,
                    position: row.site(site.lon, site.lat)?,
                    line: row.line(),
                }),
            }
        }
        let terms = row.terms(columns)?;
        self.push(id, terms, proposals, row.line());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PROJECTED: ReadOptions = ReadOptions {
        by: Vec::new(),
        projected: true,
        skip_invalid: false,
        sheet: None,
        encoding: None,
        lang: crate::lang::Lang::En,
    };

    /// What any read of `input` must satisfy: an error points at a line of the input (or
    /// just past its end); applicants read have 1 to 5 proposals with distinct preferences
    /// from 1 to 5, on lines of the input.
    fn sane(input: &[u8], result: &Result<Applicants>) -> Result<(), TestCaseError> {
        let lines = input.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64 + 1;
        match result {
            Err(e) => {
                if let Some(line) = e.line() {
                    prop_assert!(
                        (1..=lines + 1).contains(&line),
                        "line {line} of {lines}: {e}"
                    );
                }
                prop_assert!(!e.to_string().is_empty());
            }
            Ok(a) => {
                for app in &a.items {
                    let mut prefs: Vec<u8> = app.proposals.iter().map(|p| p.preference).collect();
                    prop_assert!((1..=MAX_PROPOSALS).contains(&prefs.len()), "{app:?}");
                    prefs.sort_unstable();
                    prefs.dedup();
                    prop_assert_eq!(prefs.len(), app.proposals.len());
                    prop_assert!(prefs.iter().all(|p| (1..=5).contains(p)));
                    prop_assert!((2..=lines).contains(&app.line), "{app:?}");
                }
            }
        }
        Ok(())
    }

    fn read(text: &str) -> Result<Applicants> {
        read_applicants(text.as_bytes(), Path::new("t.csv"), &ReadOptions::default())
    }

    fn err(text: &str) -> Error {
        match read(text) {
            Ok(a) => panic!("expected an error, read {a:?}"),
            Err(e) => e,
        }
    }

    /// The error's display text, checked to contain each of `needles`.
    fn err_text(text: &str, needles: &[&str]) -> String {
        let e = err(text).to_string();
        for needle in needles {
            assert!(e.contains(needle), "'{needle}' not in: {e}");
        }
        e
    }

    /// What both layouts must agree on: everything but line numbers.
    type Essence = Vec<(String, Option<f64>, bool, u32, Vec<(u8, LonLat)>)>;

    fn essence(a: &Applicants) -> Essence {
        a.items
            .iter()
            .map(|x| {
                (
                    x.id.clone(),
                    x.score,
                    x.eligible,
                    x.max_centers,
                    x.proposals
                        .iter()
                        .map(|p| (p.preference, p.position))
                        .collect(),
                )
            })
            .collect()
    }

    const LONG: &str = "applicant_id,preference,lon,lat,score,eligible,max_centers\n\
                        a1,1,51.40,35.70,80,yes,1\n\
                        a1,2,51.41,35.71,80,yes,1\n\
                        a1,3,51.42,35.72,80,yes,1\n\
                        n2,1,51.50,35.80,72.5,no,3\n\
                        p3,2,51.60,35.90,,,\n";
    const WIDE: &str = "applicant_id,site1_lon,site1_lat,site2_lon,site2_lat,site3_lon,site3_lat,\
                        site4_lon,site4_lat,site5_lon,site5_lat,score,eligible,max_centers\n\
                        a1,51.40,35.70,51.41,35.71,51.42,35.72,,,,,80,yes,1\n\
                        n2,51.50,35.80,,,,,,,,,72.5,no,3\n\
                        p3,,,51.60,35.90,,,,,,,,,\n";

    #[test]
    fn long_and_wide_agree() -> Result<()> {
        let long = read(LONG)?;
        let wide = read(WIDE)?;
        assert_eq!(essence(&long), essence(&wide));
        assert_eq!(long.len(), 3);
        assert_eq!(long.proposals(), 5);
        let a1 = &long.items[0];
        assert_eq!(
            (
                a1.id.as_str(),
                a1.score,
                a1.eligible,
                a1.max_centers,
                a1.line
            ),
            ("a1", Some(80.0), true, 1, 2)
        );
        assert_eq!(
            a1.proposals
                .iter()
                .map(|p| (p.preference, p.line))
                .collect::<Vec<_>>(),
            vec![(1, 2), (2, 3), (3, 4)]
        );
        assert_eq!(a1.proposals[2].position, LonLat::new(51.42, 35.72));
        let n2 = &long.items[1];
        assert_eq!(
            (n2.score, n2.eligible, n2.max_centers),
            (Some(72.5), false, 3)
        );
        let p3 = &wide.items[2];
        assert_eq!((p3.score, p3.eligible, p3.max_centers), (None, true, 1));
        assert_eq!(p3.proposals.len(), 1);
        assert_eq!(p3.proposals[0].preference, 2);
        assert_eq!((p3.line, p3.proposals[0].line), (4, 4));
        assert!(long.ignored_columns.is_empty() && wide.ignored_columns.is_empty());
        Ok(())
    }

    #[test]
    fn optional_columns_default() -> Result<()> {
        let a = read("applicant_id,preference,lon,lat\nx,1,51,35\n")?;
        let x = &a.items[0];
        assert_eq!((x.score, x.eligible, x.max_centers), (None, true, 1));
        Ok(())
    }

    #[test]
    fn bom_crlf_persian_digits_and_semicolons() -> Result<()> {
        let text = "\u{FEFF}Applicant_ID;Preference;Latitude;Longitude;Score;Eligible;Max_Centers\r\n\
                    علی;۲;۳۵٫۷۱;۵۱٫۴۱;۷۲٫۵;بله;۲\r\n\
                    علی;١;٣٥.٧;٥١.٤;۷۲٫۵;بله;2\r\n\
                    مهر;۱;35.8;51.5;;خير;\r\n";
        let a = read(text)?;
        assert_eq!(a.len(), 2);
        let ali = &a.items[0];
        assert_eq!(ali.id, "علی");
        assert_eq!(
            (ali.score, ali.eligible, ali.max_centers),
            (Some(72.5), true, 2)
        );
        assert_eq!(ali.line, 2);
        assert_eq!(
            ali.proposals
                .iter()
                .map(|p| (p.preference, p.position, p.line))
                .collect::<Vec<_>>(),
            vec![
                (1, LonLat::new(51.4, 35.7), 3),
                (2, LonLat::new(51.41, 35.71), 2)
            ]
        );
        // خير with an Arabic yeh is accepted as خیر.
        assert!(!a.items[1].eligible);
        assert_eq!(a.items[1].line, 4);
        // Errors in CRLF files point at the right line.
        let e = err_text(
            "\u{FEFF}applicant_id,preference,lon,lat\r\na,1,51,35\r\nb,۹,51,35\r\n",
            &["t.csv:3:2", "preference '۹'", "1 (most preferred) to 5"],
        );
        assert!(e.contains("column 'preference'"), "{e}");
        Ok(())
    }

    #[test]
    fn tab_delimited_wide() -> Result<()> {
        let a = read("applicant_id\tSite 1 Longitude\tSite 1 Latitude\nx\t51\t35\n")?;
        assert_eq!(a.items[0].proposals[0].position, LonLat::new(51.0, 35.0));
        let a = read("applicant_id,site-2-x,site-2-y,site_1_lng,site_1_latitude\nx,51,35,52,36\n")?;
        assert_eq!(
            a.items[0]
                .proposals
                .iter()
                .map(|p| (p.preference, p.position))
                .collect::<Vec<_>>(),
            vec![(1, LonLat::new(52.0, 36.0)), (2, LonLat::new(51.0, 35.0))]
        );
        Ok(())
    }

    #[test]
    fn empty_applicant_id() {
        let e = err("applicant_id,preference,lon,lat\na,1,51,35\n  ,1,51,35\n");
        assert!(
            matches!(&e, Error::InvalidId { location, .. } if location.line == 3 && location.column == Some(1))
        );
        let e = e.to_string();
        assert!(
            e.contains("t.csv:3:1") && e.contains("applicant id is empty"),
            "{e}"
        );
        err_text(
            "applicant_id,site1_lon,site1_lat\n,51,35\n",
            &["t.csv:2:1", "applicant id is empty"],
        );
    }

    #[test]
    fn bad_preferences() -> Result<()> {
        let head = "applicant_id,lon,lat,preference\n";
        for (value, why) in [
            ("0", "must be at least 1"),
            ("6", "larger than the allowed 5"),
            ("1.5", "whole number"),
            ("first", "not a number"),
            ("-1", "at least 1"),
            ("", "preference is empty"),
        ] {
            let e = err_text(&format!("{head}a,51,35,{value}\n"), &["t.csv:2:4", why]);
            assert!(e.contains("from 1 (most preferred) to 5"), "{e}");
        }
        let a = read(&format!("{head}a,51,35,۵\na,51,35,4.0\n"))?;
        assert_eq!(a.items[0].proposals[0].preference, 4);
        assert_eq!(a.items[0].proposals[1].preference, 5);
        Ok(())
    }

    #[test]
    fn six_proposals() {
        let mut text = String::from("applicant_id,preference,lon,lat\n");
        for p in 1..=5 {
            text.push_str(&format!("a,{p},51.{p},35\nb,{p},51,35\n"));
        }
        assert_eq!(read(&text).map(|a| a.proposals()).ok(), Some(10));
        text.push_str("a,3,52,35\n");
        let e = err(&text);
        match &e {
            Error::TooManyProposals {
                location,
                applicant,
                count,
                first_line,
            } => {
                assert_eq!((location.line, location.column), (12, Some(1)));
                assert_eq!((applicant.as_str(), *count, *first_line), ("a", 6, 2));
            }
            other => panic!("{other:?}"),
        }
        let e = e.to_string();
        assert!(
            e.contains("t.csv:12:1") && e.contains("more than 5") && e.contains("'a'"),
            "{e}"
        );
    }

    #[test]
    fn duplicate_preferences() {
        let head = "applicant_id,preference,lon,lat,score\n";
        let e = err(&format!("{head}a,1,51,35,9\nb,1,51,35,9\na,1,51.1,35,9\n"));
        match &e {
            Error::DuplicatePreference {
                location,
                applicant,
                preference,
                first_line: first,
                identical: same,
            } => {
                assert_eq!((location.line, location.column), (4, Some(2)));
                assert_eq!(
                    (applicant.as_str(), *preference, *first, *same),
                    ("a", 1, 2, false)
                );
            }
            other => panic!("{other:?}"),
        }
        let e = e.to_string();
        assert!(
            e.contains("t.csv:4:2") && e.contains("preference 1 on line 2"),
            "{e}"
        );
        // The same row twice (written differently) is reported as a duplicate row.
        let e = err(&format!(
            "{head}a,2,51,35,9\nb,1,51,35,9\na,۲,51.0,35,9.0\n"
        ));
        assert!(matches!(
            &e,
            Error::DuplicatePreference {
                identical: true,
                first_line: 2,
                ..
            }
        ));
        let e = e.to_string();
        assert!(
            e.contains("t.csv:4:2") && e.contains("duplicate of line 2"),
            "{e}"
        );
    }

    #[test]
    fn bad_coordinates() -> Result<()> {
        let head = "applicant_id,preference,lon,lat\n";
        err_text(
            &format!("{head}a,1,51,95\n"),
            &["t.csv:2:4", "latitude 95 is outside"],
        );
        err_text(&format!("{head}a,1,35,120\n"), &["t.csv:2:4", "swapped"]);
        err_text(&format!("{head}a,1,200,35\n"), &["t.csv:2:3", "--crs"]);
        err_text(
            &format!("{head}a,1,NaN,35\n"),
            &["t.csv:2:3", "not a finite number"],
        );
        err_text(
            &format!("{head}a,1,51,\n"),
            &["t.csv:2:4", "latitude is empty"],
        );
        err_text(
            &format!("{head}a,1,\"51,4\",35\n"),
            &["t.csv:2:3", "separator"],
        );
        // Projected coordinates skip the range checks but must still be numbers.
        let text = format!("{head}a,1,538000,3950000\n");
        let a = read_applicants(text.as_bytes(), Path::new("t.csv"), &PROJECTED)?;
        assert_eq!(
            a.items[0].proposals[0].position,
            LonLat::new(538000.0, 3950000.0)
        );
        let text = format!("{head}a,1,inf,3950000\n");
        assert!(read_applicants(text.as_bytes(), Path::new("t.csv"), &PROJECTED).is_err());
        Ok(())
    }

    #[test]
    fn scores() -> Result<()> {
        let head = "applicant_id,preference,lon,lat,score\n";
        let a = read(&format!(
            "{head}a,1,51,35,۷۲٫۵\nb,1,51,35, \nc,1,51,35,-3e1\n"
        ))?;
        assert_eq!(
            a.items.iter().map(|x| x.score).collect::<Vec<_>>(),
            vec![Some(72.5), None, Some(-30.0)]
        );
        err_text(
            &format!("{head}a,1,51,35,high\n"),
            &[
                "t.csv:2:5",
                "score 'high' is not a number",
                "empty for no score",
            ],
        );
        err_text(
            &format!("{head}a,1,51,35,inf\n"),
            &["t.csv:2:5", "not a finite number"],
        );
        Ok(())
    }

    #[test]
    fn eligible_values() -> Result<()> {
        let head = "applicant_id,preference,lon,lat,eligible\n";
        let values = [
            ("true", true),
            ("FALSE", false),
            (" Yes ", true),
            ("no", false),
            ("Y", true),
            ("n", false),
            ("1", true),
            ("0", false),
            ("۱", true),
            ("٠", false),
            ("بله", true),
            ("\u{200F}خیر", false),
            ("", true),
        ];
        let mut text = String::from(head);
        for (i, (value, _)) in values.iter().enumerate() {
            text.push_str(&format!("a{i},1,51,35,{value}\n"));
        }
        let a = read(&text)?;
        assert_eq!(
            a.items.iter().map(|x| x.eligible).collect::<Vec<_>>(),
            values.iter().map(|v| v.1).collect::<Vec<_>>()
        );
        err_text(
            &format!("{head}a,1,51,35,maybe\n"),
            &[
                "t.csv:2:5",
                "eligible 'maybe'",
                "true/false, yes/no, y/n, 1/0 or بله/خیر",
            ],
        );
        Ok(())
    }

    #[test]
    fn max_centers_values() -> Result<()> {
        let head = "applicant_id,preference,lon,lat,max_centers\n";
        let a = read(&format!(
            "{head}a,1,51,35,\nb,1,51,35,۱۲\nc,1,51,35,10000\n"
        ))?;
        assert_eq!(
            a.items.iter().map(|x| x.max_centers).collect::<Vec<_>>(),
            vec![1, 12, 10_000]
        );
        err_text(
            &format!("{head}a,1,51,35,0\n"),
            &[
                "t.csv:2:5",
                "max_centers '0' must be at least 1",
                "eligible to false",
            ],
        );
        err_text(
            &format!("{head}a,1,51,35,10001\n"),
            &["t.csv:2:5", "larger than the allowed 10000"],
        );
        err_text(
            &format!("{head}a,1,51,35,1.5\n"),
            &["t.csv:2:5", "whole number from 1 to 10000"],
        );
        err_text(
            &format!("{head}a,1,51,35,two\n"),
            &["t.csv:2:5", "not a number"],
        );
        Ok(())
    }

    #[test]
    fn rows_of_an_applicant_must_agree() {
        let head = "applicant_id,preference,lon,lat,score,eligible,max_centers\n";
        err_text(
            &format!("{head}a,1,51,35,80,yes,1\nb,1,51,35,,,\na,2,51,35,81,yes,1\n"),
            &["t.csv:4:5", "score here is 81 but 80 on line 2", "'a'"],
        );
        err_text(
            &format!("{head}a,1,51,35,80,yes,1\na,2,51,35,,yes,1\n"),
            &["t.csv:3:5", "score here is empty but 80 on line 2"],
        );
        err_text(
            &format!("{head}a,1,51,35,80,yes,1\na,2,51,35,80,n,1\n"),
            &["t.csv:3:6", "eligible here is false but true on line 2"],
        );
        err_text(
            &format!("{head}a,1,51,35,80,yes,\na,2,51,35,80,yes,2\n"),
            &["t.csv:3:7", "max_centers here is 2 but 1 on line 2"],
        );
        // The same values written differently agree.
        let text = format!("{head}a,1,51,35,80,yes,\na,2,51,35,۸۰٫۰,TRUE,1\n");
        assert_eq!(read(&text).map(|a| a.proposals()).ok(), Some(2));
    }

    #[test]
    fn rows_need_not_be_adjacent() -> Result<()> {
        let a = read(
            "applicant_id,preference,lon,lat\nb,3,51.3,35\na,2,50.2,35\nb,1,51.1,35\na,1,50.1,35\nb,2,51.2,35\n",
        )?;
        assert_eq!(
            a.items
                .iter()
                .map(|x| (x.id.as_str(), x.line))
                .collect::<Vec<_>>(),
            vec![("b", 2), ("a", 3)]
        );
        assert_eq!(
            a.items[0]
                .proposals
                .iter()
                .map(|p| (p.preference, p.position.lon, p.line))
                .collect::<Vec<_>>(),
            vec![(1, 51.1, 4), (2, 51.2, 6), (3, 51.3, 2)]
        );
        assert_eq!(
            a.items[1]
                .proposals
                .iter()
                .map(|p| p.preference)
                .collect::<Vec<_>>(),
            vec![1, 2]
        );
        Ok(())
    }

    #[test]
    fn unknown_columns_are_ignored() -> Result<()> {
        let a = read(
            "name,applicant_id,National_ID,preference,lon,lat,phone,\nرضا,a,0012345678,1,51,35,0912,\n",
        )?;
        assert_eq!(a.ignored_columns, vec!["name", "National_ID", "phone"]);
        assert_eq!(a.items[0].id, "a");
        // Ignored cells are never read, not even for UTF-8.
        let bytes = b"applicant_id,site1_lon,site1_lat,lon,lat,name\na,51,35,x,y,\xff\n";
        let a = read_applicants(&bytes[..], Path::new("t.csv"), &ReadOptions::default())?;
        assert_eq!(a.ignored_columns, vec!["lon", "lat", "name"]);
        assert_eq!(a.items[0].proposals[0].position, LonLat::new(51.0, 35.0));
        Ok(())
    }

    #[test]
    fn wide_later_sites_empty_and_no_sites() -> Result<()> {
        let a = read(
            "applicant_id,site1_lon,site1_lat,site2_lon,site2_lat,site3_lon,site3_lat\n\
             a,51,35,52,36,,\n\
             b,, ,,,,\n\
             c,,,,,53,37\n",
        )?;
        assert_eq!(a.len(), 3);
        assert_eq!(
            a.items
                .iter()
                .map(|x| x.proposals.iter().map(|p| p.preference).collect::<Vec<_>>())
                .collect::<Vec<_>>(),
            vec![vec![1, 2], vec![], vec![3]]
        );
        assert_eq!(a.items[1].line, 3);
        assert_eq!(a.proposals(), 3);
        Ok(())
    }

    #[test]
    fn wide_half_empty_pair() {
        let head = "applicant_id,site1_lon,site1_lat,site2_lon,site2_lat\n";
        let e = err(&format!("{head}a,51,35,52,\n"));
        assert!(matches!(&e, Error::InvalidValue { location, .. }
            if location.line == 2 && location.column == Some(5)
                && location.column_name.as_deref() == Some("site2_lat")));
        let e = e.to_string();
        assert!(
            e.contains("t.csv:2:5")
                && e.contains("site 2 has a longitude but its latitude is empty"),
            "{e}"
        );
        err_text(
            &format!("{head}a,51,35,52,36\nb,,35,,\n"),
            &[
                "t.csv:3:2",
                "site 1 has a latitude but its longitude is empty",
            ],
        );
        err_text(&format!("{head}a,51,95,,\n"), &["t.csv:2:3", "latitude 95"]);
    }

    #[test]
    fn a_read_error_names_a_line_of_the_file() {
        // Found by `arbitrary_bytes_never_panic`: a UTF-16 file cut in the middle of a
        // character fails inside the csv reader, which gives no position of its own; the
        // error named line 0.
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(
            b"applicant_id,site1_lon,site1_lat"
                .iter()
                .flat_map(|&b| [0, b]),
        );
        bytes.push(0);
        for options in [&ReadOptions::default(), &PROJECTED] {
            let e = read_applicants(&bytes[..], Path::new("t.csv"), options)
                .expect_err("a cut UTF-16 file is an error");
            assert_eq!(e.line(), Some(1), "{e}");
            assert!(e.to_string().contains("UTF-16BE"), "{e}");
        }
    }

    #[test]
    fn wide_header_errors() {
        let e = err("applicant_id,site1_lon,site1_lat,site6_lon,site6_lat\na,51,35,52,36\n");
        assert!(matches!(&e, Error::InvalidHeader { column: 4, .. }));
        let e = e.to_string();
        assert!(
            e.contains("t.csv:1:4") && e.contains("site6_lon") && e.contains("at most 5 proposals"),
            "{e}"
        );
        err_text(
            "applicant_id,site0_lon,site0_lat\n",
            &["t.csv:1:2", "start at 1"],
        );
        err_text(
            "applicant_id,site99999999999999999999999_lon\n",
            &["at most 5 proposals"],
        );
        err_text(
            "applicant_id,preference,site1_lon,site1_lat\n",
            &["t.csv:1:2", "one of the two layouts"],
        );
        let e = err("applicant_id,site1_lon,site1_lat,site2_lon\n");
        assert!(
            matches!(
                &e,
                Error::MissingColumn {
                    what: "site 2 latitude",
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("site2_lat, site2_latitude"), "{e}");
        let e = err("applicant_id,site1_lon,site1_longitude,site1_lat\n");
        assert!(matches!(&e, Error::DuplicateColumn { .. }), "{e}");
        assert!(
            e.to_string().contains("two site 1 longitude columns"),
            "{e}"
        );
    }

    #[test]
    fn wide_duplicate_applicant() {
        let e = err("applicant_id,site1_lon,site1_lat\na,51,35\nb,51,35\n a ,51,35\n");
        assert!(
            matches!(&e, Error::DuplicateApplicant { first_line: 2, .. }),
            "{e}"
        );
        let e = e.to_string();
        assert!(
            e.contains("t.csv:4:1") && e.contains("already has a row on line 2"),
            "{e}"
        );
    }

    #[test]
    fn header_and_file_errors() {
        assert!(matches!(err(""), Error::Empty { .. }));
        assert!(matches!(
            err("applicant_id,preference,lon,lat\n"),
            Error::Empty { .. }
        ));
        assert!(matches!(
            err("applicant_id,preference,lon,lat"),
            Error::Empty { .. }
        ));
        let e = err("preference,lon,lat\n1,51,35\n");
        assert!(
            matches!(
                &e,
                Error::MissingColumn {
                    what: "applicant id",
                    ..
                }
            ),
            "{e}"
        );
        let e = err("applicant_id,lon,lat\na,51,35\n");
        assert!(
            matches!(
                &e,
                Error::MissingColumn {
                    what: "preference",
                    ..
                }
            ),
            "{e}"
        );
        let e = err("applicant_id,preference,lon,lng,lat\n");
        assert!(matches!(&e, Error::DuplicateColumn { .. }), "{e}");
        err_text(
            "applicant_id,preference,lon,lat\na,1,51,35\nb,1,51\n",
            &["t.csv:3", "3 fields but the header has 4"],
        );
        let bytes = b"applicant_id,preference,lon,lat\na\xff,1,51,35\n";
        let e = read_applicants(&bytes[..], Path::new("t.csv"), &ReadOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("t.csv:2:1") && e.contains("UTF-8"), "{e}");
    }

    #[test]
    fn file_digest() -> Result<()> {
        use sha2::{Digest, Sha256};
        let dir = tempfile::tempdir().map_err(|e| Error::io("creating", "tmp", e))?;
        let path = dir.path().join("applicants.csv");
        std::fs::write(&path, LONG).map_err(|e| Error::io("writing", &path, e))?;
        let (a, digest) = read_applicants_file(&path, &ReadOptions::default())?;
        assert_eq!(essence(&a), essence(&read(LONG)?));
        assert_eq!(digest.rows, 5);
        assert_eq!(digest.bytes, LONG.len() as u64);
        assert_eq!(
            digest.sha256,
            crate::io::read::csv::hex(&Sha256::digest(LONG))
        );
        std::fs::write(&path, WIDE).map_err(|e| Error::io("writing", &path, e))?;
        assert_eq!(
            read_applicants_file(&path, &ReadOptions::default())?.1.rows,
            3
        );
        let missing = dir.path().join("missing.csv");
        assert!(matches!(
            read_applicants_file(&missing, &ReadOptions::default()),
            Err(Error::Io { .. })
        ));
        Ok(())
    }

    /// Generated applicants: score, eligible, max_centers and (preference, lon, lat) sites.
    type Generated = Vec<(Option<f64>, bool, u32, Vec<(u8, f64, f64)>)>;

    /// Random applicants, each with a non-empty set of distinct preferences.
    fn applicants_strategy() -> impl Strategy<Value = Generated> {
        let sites =
            proptest::collection::btree_map(1u8..=5, (-180.0f64..=180.0, -90.0f64..=90.0), 1..=5)
                .prop_map(|m| {
                    m.into_iter()
                        .map(|(p, (x, y))| (p, x, y))
                        .collect::<Vec<_>>()
                });
        proptest::collection::vec(
            (
                proptest::option::of(-1e6f64..1e6),
                any::<bool>(),
                1u32..=10_000,
                sites,
            ),
            1..12,
        )
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            for options in [&ReadOptions::default(), &PROJECTED] {
                let result = read_applicants(&bytes[..], Path::new("t.csv"), options);
                sane(&bytes, &result)?;
            }
        }

        #[test]
        fn arbitrary_strings_never_panic(text in "\\PC*") {
            sane(text.as_bytes(), &read(&text))?;
        }

        #[test]
        fn arbitrary_bodies_never_panic(
            header in prop_oneof![
                Just("applicant_id,preference,lon,lat,score,eligible,max_centers\n"),
                Just("applicant_id,site1_lon,site1_lat,site2_lon,site2_lat,score,eligible,max_centers\n"),
                Just("\u{FEFF}applicant_id;preference;lat;lon\r\n"),
            ],
            body in "([a-c0-9۰-۹٫.,;\"\r\n -]|yes|بله|nan|1e9){0,120}",
        ) {
            let text = format!("{header}{body}");
            sane(text.as_bytes(), &read(&text))?;
        }

        /// Random applicants written in both layouts (long rows shuffled) read back alike.
        #[test]
        fn layouts_read_back_alike(applicants in applicants_strategy(), rotate in 0usize..64) {
            let cell = |s: Option<f64>| s.map(|v| v.to_string()).unwrap_or_default();
            let mut long_rows = Vec::new();
            let mut wide = String::from("applicant_id,score,eligible,max_centers");
            for n in 1..=5 {
                wide.push_str(&format!(",site{n}_lon,site{n}_lat"));
            }
            wide.push('\n');
            for (i, (score, eligible, max, sites)) in applicants.iter().enumerate() {
                let terms = format!("{},{eligible},{max}", cell(*score));
                wide.push_str(&format!("id{i},{terms}"));
                for n in 1..=5u8 {
                    match sites.iter().find(|s| s.0 == n) {
                        Some((_, x, y)) => wide.push_str(&format!(",{x},{y}")),
                        None => wide.push_str(",,"),
                    }
                }
                wide.push('\n');
                for (p, x, y) in sites {
                    long_rows.push(format!("id{i},{p},{x},{y},{terms}\n"));
                }
            }
            let n_rows = long_rows.len();
            long_rows.rotate_left(rotate % n_rows);
            let long = format!("applicant_id,preference,lon,lat,score,eligible,max_centers\n{}", long_rows.concat());
            let from_long = read(&long).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let from_wide = read(&wide).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut expected: Essence = applicants
                .iter()
                .enumerate()
                .map(|(i, (score, eligible, max, sites))| {
                    (
                        format!("id{i}"),
                        *score,
                        *eligible,
                        *max,
                        sites.iter().map(|&(p, x, y)| (p, LonLat::new(x, y))).collect(),
                    )
                })
                .collect();
            prop_assert_eq!(essence(&from_wide), expected.clone());
            let mut got = essence(&from_long);
            got.sort_by(|a, b| a.0.cmp(&b.0));
            expected.sort_by(|a, b| a.0.cmp(&b.0));
            prop_assert_eq!(got, expected);
            prop_assert!(from_long.items.iter().all(|a| a.proposals.windows(2).all(|w| w[0].preference < w[1].preference)));
        }
    }
}
