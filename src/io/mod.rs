//! Reading inputs and writing plans.

pub mod geojson;
pub mod households;
pub mod number;
pub mod output;
