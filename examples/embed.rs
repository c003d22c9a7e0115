//! Embedding siting: read a households CSV, plan, and write the catchments as GeoJSON.
//!
//! Run: `cargo run --release --example embed -- data/qazvin_households.csv > catchments.geojson`

use std::path::PathBuf;

use siting::{PlanConfig, Planner};
use siting::{ReadOptions, read_households_file};

fn main() -> Result<(), siting::Error> {
    let path = std::env::args().nth(1).map_or_else(
        || PathBuf::from("data/qazvin_households.csv"),
        PathBuf::from,
    );
    let (households, digest) = read_households_file(&path, &ReadOptions::default())?;
    let config = PlanConfig::default()
        .target_size(450)
        .size_tolerance(0.10)
        .seed(7);
    let plan = Planner::new(config)?.plan(&households)?;
    eprintln!(
        "{}: {} households (sha256 {}) -> {} catchments, sizes {}–{}, mean distance {:.0} m",
        path.display(),
        plan.metrics.households,
        &digest.sha256[..12],
        plan.catchments.len(),
        plan.metrics.smallest_catchment,
        plan.metrics.largest_catchment,
        plan.metrics.mean_distance_m
    );
    siting::write_catchments(&plan, None, std::io::stdout().lock())
}
