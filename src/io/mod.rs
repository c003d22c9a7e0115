//! Reading inputs and writing plans.

pub mod applicants;
pub mod geojson;
pub mod households;
pub mod map;
pub mod number;
pub mod output;
pub mod qml;
