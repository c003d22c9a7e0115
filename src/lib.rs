//! # siting
//!
//! Plans where neighbourhood welfare service centers go. Household coordinates are grouped
//! into compact catchments of about 450 households each — the cells of a power diagram, so
//! catchment polygons never overlap and every household lies inside its own — and each
//! catchment gets the center that minimises its households' travel distance. Regions are
//! planned independently; where two regions' households interleave, the overlap of their
//! cells is split by nearest household, so those catchments may be non-convex [`Shape`]s.
//!
//! The pipeline: read households ([`io::read::households`]) → project each region to a local
//! metric plane ([`projection`]) → balanced k-means with exact size bounds ([`balance`]) →
//! ideal centers ([`center`]) → polygons → borders between regions → [`Plan`] →
//! GeoJSON/CSV/JSON ([`io`]).
//!
//! ```
//! use siting::{PlanConfig, Planner};
//! let households = siting::synth::households(2_000, 1);
//! let config = PlanConfig::default().target_size(450).size_tolerance(0.10).seed(7);
//! let plan = Planner::new(config)?.plan(&households)?;
//! assert_eq!(plan.catchments.len(), 4); // round(2000 / 450)
//! assert!(plan.catchments.iter().all(|c| (450..=550).contains(&c.households)));
//! siting::io::write::geojson::write_catchments(&plan, std::io::sink())?;
//! # Ok::<(), siting::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod balance;
pub mod center;
pub mod config;
pub mod error;
mod geometry;
pub mod io;
pub mod map;
pub mod model;
pub mod plan;
mod polygons;
pub mod projection;
pub mod run;
pub mod sites;
mod spatial;
pub mod synth;
pub mod text;

pub use config::{AwardRule, PlanConfig};
pub use error::{Error, Result};
pub use model::{
    Applicant, Applicants, Household, Households, LonLat, Part, Proposal, Rejected, Shape,
};
pub use plan::{Catchment, Plan, Planner, Progress, SitePlan, Warning, plan};

/// Geometry checks used by the test-suite and available to integrators who want to
/// verify a plan independently.
pub mod check {
    /// True when `p` lies inside the convex counter-clockwise `ring` or within `tol` of it.
    pub fn ring_contains(ring: &[[f64; 2]], p: [f64; 2], tol: f64) -> bool {
        crate::geometry::convex_contains(ring, p, tol)
    }
}

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
