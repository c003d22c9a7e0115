//! What a re-plan changed (SPEC §8): per catchment, per household and in figures.

use crate::model::LonLat;

/// How a catchment of a re-plan relates to the network before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// An open center's catchment, kept with its id and its building.
    Kept,
    /// A catchment added because the region's households need more than it had.
    New,
    /// A kept catchment without an open center (vacant, or never awarded): its site is to be
    /// tendered.
    ReTender,
    /// A kept catchment in a region with more centers than its households need: one of the
    /// pairs best merged (nothing is closed automatically).
    MergedCandidate,
}

impl Change {
    /// The machine name written to the layers: `kept`, `new`, `re_tender`,
    /// `merged_candidate`.
    pub fn name(self) -> &'static str {
        match self {
            Change::Kept => "kept",
            Change::New => "new",
            Change::ReTender => "re_tender",
            Change::MergedCandidate => "merged_candidate",
        }
    }
}

/// One catchment's part in a re-plan, in the order of [`crate::Plan::catchments`].
#[derive(Debug, Clone, PartialEq)]
pub struct CatchmentChange {
    /// Kept, new, to re-tender, or a merge candidate.
    pub change: Change,
    /// The open center's building, which stays (inside the catchment's polygon).
    pub building: Option<LonLat>,
    /// Households that stayed in the program and moved into this catchment.
    pub moved_in: u64,
    /// Households that stayed in the program and moved out of this catchment.
    pub moved_out: u64,
    /// Households new to the program in this catchment.
    pub new_households: u64,
}

/// Why a household appears in `moves.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveReason {
    /// It moved into a new catchment.
    NewCatchment,
    /// It moved between kept catchments, to keep sizes within bounds or (rarely) because
    /// its trip got much shorter.
    Rebalanced,
    /// Its center was closed.
    CenterClosed,
    /// It is new to the program (no previous center).
    NewHousehold,
    /// It left the program (in the previous assignment, not in the households file).
    Left,
}

impl MoveReason {
    /// The machine name written to `moves.csv`.
    pub fn name(self) -> &'static str {
        match self {
            MoveReason::NewCatchment => "new_catchment",
            MoveReason::Rebalanced => "rebalanced",
            MoveReason::CenterClosed => "center_closed",
            MoveReason::NewHousehold => "new_household",
            MoveReason::Left => "left",
        }
    }
}

/// One row of `moves.csv` (private: it names a household).
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    /// The household id.
    pub household: String,
    /// Its previous center (none for a new household).
    pub from: Option<String>,
    /// Its catchment now (none for a household that left).
    pub to: Option<String>,
    /// Why.
    pub reason: MoveReason,
    /// Households at this row (the input's `households` column).
    pub weight: u32,
}

/// Churn figures, in households, for one region or the whole plan.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Churn {
    /// The region ("" for the whole file or the total).
    pub region: String,
    /// Households in both files that kept their center.
    pub stayed: u64,
    /// Households in both files whose catchment changed.
    pub moved: u64,
    /// Households new to the program.
    pub new: u64,
    /// Households that left the program.
    pub left: u64,
}

impl Churn {
    /// Moved households as a share of those in both files (0 when there are none).
    pub fn moved_share(&self) -> f64 {
        let both = self.stayed + self.moved;
        if both == 0 {
            0.0
        } else {
            self.moved as f64 / both as f64
        }
    }

    pub(crate) fn add(&mut self, other: &Churn) {
        self.stayed += other.stayed;
        self.moved += other.moved;
        self.new += other.new;
        self.left += other.left;
    }
}

/// A region with more centers than its households need (nothing is closed automatically).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Oversupply {
    /// The region.
    pub region: String,
    /// Kept catchments (open or vacant centers).
    pub centers: usize,
    /// Households in the region.
    pub households: u64,
    /// Catchments the target size asks for, round(households / target).
    pub needed: usize,
    /// Pairs of neighbouring catchments whose merger costs least (smallest together),
    /// by catchment id, as many as there are centers too many.
    pub merge_candidates: Vec<(String, String)>,
}

/// Everything a re-plan changed ([`crate::Plan::replan`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Replan {
    /// Where the previous network was read from.
    pub source: String,
    /// Per catchment of the plan, in order.
    pub catchments: Vec<CatchmentChange>,
    /// Every household whose center changed, that is new, or that left; in households-file
    /// order, those that left last (in id order).
    pub moves: Vec<Move>,
    /// Churn per region of the plan, in region order.
    pub regions: Vec<Churn>,
    /// Churn over the whole plan.
    pub total: Churn,
    /// Ids of the closed centers, whose catchments were removed.
    pub closed: Vec<String>,
    /// Regions with more centers than needed.
    pub oversupply: Vec<Oversupply>,
    /// Per region, the price of a move that the stickiness gave (see
    /// [`crate::PlanConfig::stickiness`]): in m² for the squared objective, in m for the
    /// travel objective (`summary.json` names it `move_price_m2` or `move_price_m`).
    pub move_price_m2: Vec<f64>,
}

impl Replan {
    /// Catchments added.
    pub fn new_catchments(&self) -> usize {
        self.count(Change::New)
    }

    /// Catchments whose site is to be tendered.
    pub fn re_tender(&self) -> usize {
        self.count(Change::ReTender)
    }

    fn count(&self, change: Change) -> usize {
        self.catchments
            .iter()
            .filter(|c| c.change == change)
            .count()
    }
}
