//! The data the planner works on: households in, catchments out.

/// A longitude/latitude pair in degrees (WGS 84), in RFC 7946 order.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct LonLat {
    /// Longitude in degrees east, in [-180, 180].
    pub lon: f64,
    /// Latitude in degrees north, in [-90, 90].
    pub lat: f64,
}

impl crate::geometry::Xy for LonLat {
    #[inline]
    fn xy(self) -> [f64; 2] {
        [self.lon, self.lat]
    }
}

impl LonLat {
    /// Makes a point from longitude and latitude in degrees.
    pub fn new(lon: f64, lat: f64) -> Self {
        LonLat { lon, lat }
    }
}

/// One input row: a household, or a place holding `weight` households.
#[derive(Debug, Clone, PartialEq)]
pub struct Household {
    /// The id from the input (private: never written to a public layer).
    pub id: String,
    /// Location in WGS 84 degrees.
    pub position: LonLat,
    /// Number of households at this point (at least 1).
    pub weight: u32,
    /// Index into [`Households::regions`].
    pub region: u32,
    /// 1-based line in the input file, for messages.
    pub line: u64,
}

/// All households of an input file, grouped into regions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Households {
    /// Rows in input order.
    pub items: Vec<Household>,
    /// Region names; a single empty-string region when no `--by` columns are used.
    /// Multi-column regions are joined with " / ".
    pub regions: Vec<String>,
    /// The columns the regions were taken from (empty for the whole file).
    pub region_columns: Vec<String>,
    /// Rows set aside by `--skip-invalid` (empty otherwise: the first bad row is an error).
    pub rejected: Vec<Rejected>,
}

/// An input row set aside by `--skip-invalid`, with the reason; written to the plan's
/// private `rejected.csv` so that rows read = rows planned + rows rejected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejected {
    /// The file the row came from.
    pub file: String,
    /// 1-based physical line where the row starts.
    pub line: u64,
    /// The row as read, re-joined with the file's delimiter.
    pub raw: String,
    /// Why it was rejected: the positioned error the row would have stopped the run with.
    pub reason: String,
}

impl Households {
    /// Builds a single-region set from `(id, lon, lat, weight)` tuples; handy for embedding
    /// and tests.
    ///
    /// ```
    /// let hh = siting::Households::from_points([("a", 51.4, 35.7, 1), ("b", 51.41, 35.71, 2)]);
    /// assert_eq!(hh.total_weight(), 3);
    /// ```
    pub fn from_points<'a>(points: impl IntoIterator<Item = (&'a str, f64, f64, u32)>) -> Self {
        let items = points
            .into_iter()
            .enumerate()
            .map(|(i, (id, lon, lat, weight))| Household {
                id: id.to_string(),
                position: LonLat::new(lon, lat),
                weight,
                region: 0,
                line: i as u64 + 2,
            })
            .collect();
        Households {
            items,
            regions: vec![String::new()],
            region_columns: Vec::new(),
            rejected: Vec::new(),
        }
    }

    /// Total number of households (sum of weights).
    pub fn total_weight(&self) -> u64 {
        self.items.iter().map(|h| u64::from(h.weight)).sum()
    }

    /// Number of input rows.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// One site an applicant proposes.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// Preference rank, 1 (most preferred) to 5.
    pub preference: u8,
    /// The proposed site in WGS 84 degrees.
    pub position: LonLat,
    /// 1-based line in the input file, for messages.
    pub line: u64,
}

/// An applicant (a person, NGO or charity) with up to five proposed sites.
#[derive(Debug, Clone, PartialEq)]
pub struct Applicant {
    /// The applicant's id: the only applicant field ever written to an output.
    pub id: String,
    /// The organization's priority score after vetting (higher first); `None` when the
    /// file has no score for the applicant, which ranks after every scored applicant.
    pub score: Option<f64>,
    /// False when vetting found the applicant ineligible: reported, never awarded.
    pub eligible: bool,
    /// Most centers the applicant may run (1 for a person).
    pub max_centers: u32,
    /// Proposals sorted by preference (1 first); at most five, preferences unique.
    pub proposals: Vec<Proposal>,
    /// 1-based line of the applicant's first row.
    pub line: u64,
}

/// All applicants of an input file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applicants {
    /// Applicants in order of first appearance in the file.
    pub items: Vec<Applicant>,
    /// Header columns the reader did not use (for example names or national ids); they are
    /// never written to any output.
    pub ignored_columns: Vec<String>,
    /// Rows set aside by `--skip-invalid` (empty otherwise).
    pub rejected: Vec<Rejected>,
}

impl Applicants {
    /// Number of applicants.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there are no applicants.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Number of proposals over all applicants.
    pub fn proposals(&self) -> usize {
        self.items.iter().map(|a| a.proposals.len()).sum()
    }
}

/// One polygon of a [`Shape`]: an exterior ring and any holes, in lon/lat degrees.
///
/// Rings are closed (the first vertex is repeated at the end); the exterior runs
/// counter-clockwise and holes clockwise, as RFC 7946 asks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Part {
    /// The outer boundary.
    pub exterior: Vec<LonLat>,
    /// Rings cut out of the exterior (another catchment's households inside this one).
    pub holes: Vec<Vec<LonLat>>,
}

/// The area of a catchment: usually one convex polygon (a power-diagram cell); several
/// parts, or parts with holes, where the catchment borders catchments of another region
/// whose households interleave with its own (see the crate docs).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shape {
    /// The polygons, largest first.
    pub parts: Vec<Part>,
}

impl Shape {
    /// A shape of one polygon without holes.
    ///
    /// ```
    /// use siting::{LonLat, Shape};
    /// let ring = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)].map(|(x, y)| LonLat::new(x, y));
    /// let shape = Shape::from_ring(ring.to_vec());
    /// assert!(shape.contains(LonLat::new(0.2, 0.2)));
    /// assert!(!shape.contains(LonLat::new(0.8, 0.8)));
    /// ```
    pub fn from_ring(exterior: Vec<LonLat>) -> Self {
        Shape {
            parts: vec![Part {
                exterior,
                holes: Vec::new(),
            }],
        }
    }

    /// Every ring: each part's exterior followed by its holes.
    pub fn rings(&self) -> impl Iterator<Item = &[LonLat]> {
        self.parts.iter().flat_map(|p| {
            std::iter::once(p.exterior.as_slice()).chain(p.holes.iter().map(Vec::as_slice))
        })
    }

    /// Every vertex of every ring (closing vertices included).
    pub fn vertices(&self) -> impl Iterator<Item = &LonLat> {
        self.rings().flatten()
    }

    /// The exterior of the largest part (empty for an empty shape).
    pub fn main_ring(&self) -> &[LonLat] {
        self.parts.first().map_or(&[], |p| p.exterior.as_slice())
    }

    /// True when `p` is inside the shape (even-odd rule over all rings; a point exactly on
    /// an edge may go either way).
    pub fn contains(&self, p: LonLat) -> bool {
        use crate::geometry::crosses_odd;
        self.rings().fold(false, |inside, ring| {
            inside ^ crosses_odd(ring, [p.lon, p.lat])
        })
    }

    /// The shape with a band index of each ring, for [`Shape::contains`] on many points
    /// (the same answers, in a few edge tests per point instead of one per vertex).
    pub(crate) fn indexed(&self) -> IndexedShape<'_> {
        IndexedShape {
            rings: self
                .rings()
                .map(|r| (r, crate::geometry::RingBands::new(r)))
                .collect(),
        }
    }

    /// The shape as a [`geo::MultiPolygon`] (x = longitude, y = latitude).
    pub fn to_geo(&self) -> geo::MultiPolygon<f64> {
        let line = |r: &[LonLat]| {
            geo::LineString::from(r.iter().map(|q| (q.lon, q.lat)).collect::<Vec<_>>())
        };
        geo::MultiPolygon::new(
            self.parts
                .iter()
                .map(|p| {
                    geo::Polygon::new(line(&p.exterior), p.holes.iter().map(|h| line(h)).collect())
                })
                .collect(),
        )
    }
}

/// A [`Shape`] with a band index of each ring (see [`Shape::indexed`]).
pub(crate) struct IndexedShape<'a> {
    rings: Vec<(&'a [LonLat], crate::geometry::RingBands)>,
}

impl IndexedShape<'_> {
    /// [`Shape::contains`].
    pub(crate) fn contains(&self, p: LonLat) -> bool {
        self.rings.iter().fold(false, |inside, (ring, bands)| {
            inside ^ bands.crosses_odd(ring, [p.lon, p.lat])
        })
    }
}
