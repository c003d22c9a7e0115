//! Reading inputs and writing plans.

pub mod applicants;
pub mod geojson;
pub mod households;
pub mod number;
pub mod output;
