//! The network as it stands before a re-plan (SPEC §8): the existing centers, their status,
//! and which center each household was assigned to.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::model::{LonLat, Rejected};

/// Household id → index of its center, hashed with hashbrown's fast hasher: a national
/// network holds a million ids, looked up once per household of the new file.
pub type Assignment = HashMap<String, u32, hashbrown::DefaultHashBuilder>;

/// The state of an existing center.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CenterStatus {
    /// Running: it keeps its id, its building and a catchment that contains the building.
    Open,
    /// Its operator is gone (or it was never awarded): the catchment is kept and its site
    /// re-tendered.
    Vacant,
    /// Shut: its catchment is removed and its households are re-planned.
    Closed,
}

impl CenterStatus {
    /// The machine name used in files: `open`, `vacant` or `closed`.
    pub fn name(self) -> &'static str {
        match self {
            CenterStatus::Open => "open",
            CenterStatus::Vacant => "vacant",
            CenterStatus::Closed => "closed",
        }
    }

    /// Parses a status cell: the English names in any case, or their Persian equivalents
    /// (باز/فعال, خالی, بسته). An empty cell is `open`.
    pub fn parse(cell: &str) -> Option<Self> {
        match cell.trim().to_lowercase().as_str() {
            "" | "open" | "active" | "فعال" | "باز" => Some(CenterStatus::Open),
            "vacant" | "خالی" | "بدون متصدی" => Some(CenterStatus::Vacant),
            "closed" | "بسته" | "تعطیل" => Some(CenterStatus::Closed),
            _ => None,
        }
    }
}

/// One existing center and the catchment it serves.
#[derive(Debug, Clone, PartialEq)]
pub struct ExistingCenter {
    /// The center's id, which its catchment keeps in a re-plan (a siting plan's
    /// `catchment_id`, or `center_id` of `centers.csv`).
    pub id: String,
    /// Where the center is: its building when open; otherwise only a hint for where its
    /// catchment lies.
    pub position: LonLat,
    /// Open, vacant or closed.
    pub status: CenterStatus,
    /// The region it belongs to (as the households' region names), when the source says;
    /// otherwise the region most of its previous households are in.
    pub region: Option<String>,
    /// 1-based line in the source file, for messages (0 when not from a file).
    pub line: u64,
    /// The generator of its catchment's power cell in the previous plan, when known (a
    /// siting plan keeps it): a re-plan redraws the same borders where nothing changed.
    pub generator: Option<LonLat>,
}

/// What a re-plan starts from: the existing centers and each household's previous center.
///
/// ```
/// use siting::{CenterStatus, ExistingCenter, LonLat, Previous};
/// let mut previous = Previous::new("office records");
/// previous.centers.push(ExistingCenter {
///     id: "PL-7".into(),
///     position: LonLat::new(50.0, 36.27),
///     status: CenterStatus::Open,
///     region: None,
///     line: 0,
///     generator: None,
/// });
/// previous.assign("H-1", 0);
/// assert_eq!(previous.center_of("H-1").map(|c| c.id.as_str()), Some("PL-7"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Previous {
    /// Where it was read from, for messages and `summary.json` (a plan folder, or the two
    /// files).
    pub source: String,
    /// The centers, in the order of the source.
    pub centers: Vec<ExistingCenter>,
    /// Household id → index into [`Previous::centers`].
    pub assignment: Assignment,
    /// The region columns the previous plan was made with, when it says (a siting plan's
    /// `--by`); a re-plan must use the same.
    pub region_columns: Option<Vec<String>>,
    /// How the previous plan sized its catchments, when it says (a siting plan's
    /// `summary.json`); a re-plan sized otherwise is warned of.
    pub sizing: Option<Sizing>,
    /// The files read, for `summary.json` and `siting verify`.
    pub files: Vec<PathBuf>,
    /// Rows set aside by `--skip-invalid` (written to the plan's private `rejected.csv`).
    pub rejected: Vec<Rejected>,
}

/// How a plan sized its catchments: the parameters that set a region's catchment count and
/// bounds ([`crate::PlanConfig::target_size`], [`crate::PlanConfig::size_tolerance`],
/// [`crate::PlanConfig::catchments`]).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Sizing {
    /// Households per catchment aimed at (`--target`).
    pub target_size: u32,
    /// Relative tolerance of catchment sizes (`--tolerance`).
    pub size_tolerance: f64,
    /// A fixed catchment count (`--catchments`), if one.
    pub catchments: Option<usize>,
}

impl Sizing {
    /// The sizing `config` plans with.
    pub fn of(config: &crate::PlanConfig) -> Self {
        Sizing {
            target_size: config.target_size,
            size_tolerance: config.size_tolerance,
            catchments: config.catchments,
        }
    }
}

impl Previous {
    /// An empty network read from `source`.
    pub fn new(source: impl Into<String>) -> Self {
        Previous {
            source: source.into(),
            ..Previous::default()
        }
    }

    /// Records that household `id` was assigned to center `center` (an index into
    /// [`Previous::centers`]).
    pub fn assign(&mut self, id: impl Into<String>, center: u32) {
        self.assignment.insert(id.into(), center);
    }

    /// The center household `id` was assigned to.
    pub fn center_of(&self, id: &str) -> Option<&ExistingCenter> {
        self.assignment
            .get(id)
            .and_then(|&c| self.centers.get(c as usize))
    }
}
