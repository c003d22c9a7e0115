//! Embedding siting end to end with the re-exported API only: read households and
//! applicants, plan the catchments, award centers, and write the plan folder atomically.
//!
//! Run: `cargo run --release --example award -- data/qazvin_households.csv data/qazvin_applicants.csv plan/`

use std::path::PathBuf;

use siting::{
    Audit, AwardRule, MapOptions, PlanConfig, PlanFolder, Planner, ReadOptions, WriteOptions,
    read_applicants_file, read_households_file,
};

fn main() -> Result<(), siting::Error> {
    let mut args = std::env::args().skip(1).map(PathBuf::from);
    let households_path = args
        .next()
        .unwrap_or_else(|| "data/qazvin_households.csv".into());
    let applicants_path = args
        .next()
        .unwrap_or_else(|| "data/qazvin_applicants.csv".into());
    let out = args
        .next()
        .unwrap_or_else(|| std::env::temp_dir().join("siting-award-example"));

    let options = ReadOptions::default();
    let (households, households_digest) = read_households_file(&households_path, &options)?;
    let (applicants, applicants_digest) = read_applicants_file(&applicants_path, &options)?;

    let config = PlanConfig::default().award_rule(AwardRule::Optimal);
    let planner = Planner::new(config.clone())?;
    let plan = planner.plan(&households)?;
    let sites = planner.award_sites(&plan, &households, &applicants)?;

    // What summary.json records: the inputs' digests and whatever parameters made the plan.
    let audit = Audit::new(vec![households_digest, applicants_digest], &config)?;
    let folder = PlanFolder {
        plan: &plan,
        sites: Some(&sites),
        households: &households,
        audit: &audit,
        map: MapOptions {
            title: "Welfare service centers (example)".into(),
            ..MapOptions::default()
        },
        report: Default::default(),
        previous_rejected: &[],
    };
    folder.write(&out, &WriteOptions { force: false })?;

    let totals = &sites.award.totals;
    println!(
        "{} catchments, {} awarded ({} households served), {} gaps; plan in {}",
        plan.catchments.len(),
        totals.catchments_awarded,
        totals.households_served,
        sites.gaps.len(),
        out.display()
    );
    Ok(())
}
