//! Writing a plan folder atomically: every file goes to a temporary folder beside `--out`,
//! which replaces the old plan only once everything is written.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::households::InputDigest;
use crate::model::Households;
use crate::plan::Plan;

/// The files of a plan folder (SPEC §5). `assignments.csv` holds household ids and is
/// private to the office; the `.geojson` layers are public.
pub const FILES: &[&str] = &[
    "catchments.geojson",
    "centers.geojson",
    "assignments.csv",
    "summary.json",
];

/// Options for [`write_plan_dir`].
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Replace a non-empty folder that is not a siting plan.
    pub force: bool,
}

/// The audit record written as `summary.json`.
#[derive(Debug, serde::Serialize)]
struct Summary<'a> {
    tool: &'static str,
    version: &'static str,
    inputs: &'a [InputDigest],
    parameters: Parameters<'a>,
    seed: u64,
    counts: Counts,
    metrics: &'a crate::plan::Metrics,
    regions: &'a [crate::plan::RegionPlan],
}

#[derive(Debug, serde::Serialize)]
struct Parameters<'a> {
    #[serde(flatten)]
    config: &'a crate::config::PlanConfig,
    by: &'a [String],
    crs: &'a str,
}

#[derive(Debug, serde::Serialize)]
struct Counts {
    rows: usize,
    households: u64,
    regions: usize,
    catchments: usize,
}

/// Writes `summary.json` for `plan` made from `inputs`.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_summary<W: Write>(
    plan: &Plan,
    inputs: &[InputDigest],
    crs: &str,
    out: W,
) -> Result<()> {
    let summary = Summary {
        tool: "siting",
        version: env!("CARGO_PKG_VERSION"),
        inputs,
        parameters: Parameters {
            config: &plan.config,
            by: &plan.region_columns,
            crs,
        },
        seed: plan.config.seed,
        counts: Counts {
            rows: plan.metrics.rows,
            households: plan.metrics.households,
            regions: plan.regions.len(),
            catchments: plan.catchments.len(),
        },
        metrics: &plan.metrics,
        regions: &plan.regions,
    };
    let mut out = out;
    serde_json::to_writer_pretty(&mut out, &summary)
        .map_err(|e| Error::io("writing", "summary.json", std::io::Error::other(e)))?;
    out.write_all(b"\n")
        .map_err(|e| Error::io("writing", "summary.json", e))
}

/// Writes `assignments.csv` (`household_id,catchment_id,distance_m`) in input order.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_assignments<W: Write>(plan: &Plan, households: &Households, out: W) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| Error::io("writing", "assignments.csv", std::io::Error::other(e));
    w.write_record(["household_id", "catchment_id", "distance_m"])
        .map_err(err)?;
    for (i, h) in households.items.iter().enumerate() {
        let c = &plan.catchments[plan.assignment[i] as usize];
        let d = format!("{:.1}", plan.distance_m[i]);
        w.write_record([h.id.as_str(), c.id.as_str(), d.as_str()])
            .map_err(err)?;
    }
    w.flush()
        .map_err(|e| Error::io("writing", "assignments.csv", e))
}

fn create(dir: &Path, name: &str) -> Result<BufWriter<fs::File>> {
    let path = dir.join(name);
    fs::File::create(&path)
        .map(|f| BufWriter::with_capacity(1 << 16, f))
        .map_err(|e| Error::io("creating", path, e))
}

fn finish(mut w: BufWriter<fs::File>, dir: &Path, name: &str) -> Result<()> {
    w.flush()
        .map_err(|e| Error::io("writing", dir.join(name), e))?;
    let f = w
        .into_inner()
        .map_err(|e| Error::io("writing", dir.join(name), e.into_error()))?;
    f.sync_all()
        .map_err(|e| Error::io("writing", dir.join(name), e))
}

/// True when `dir` looks like a plan written by siting.
pub fn is_plan_dir(dir: &Path) -> bool {
    fs::read_to_string(dir.join("summary.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .is_some_and(|v| v.get("tool").and_then(|t| t.as_str()) == Some("siting"))
}

/// Writes every file of the plan into `out`, atomically: a failed run leaves any previous
/// plan in `out` untouched.
///
/// # Errors
/// [`Error::OutputNotAPlan`] when `out` is a non-empty folder that is not a plan (unless
/// `force`), [`Error::Io`] when writing fails.
pub fn write_plan_dir(
    plan: &Plan,
    households: &Households,
    inputs: &[InputDigest],
    crs: &str,
    out: &Path,
    options: &WriteOptions,
) -> Result<PathBuf> {
    let exists = out.exists();
    if exists {
        let empty = fs::read_dir(out)
            .map_err(|e| Error::io("reading", out, e))?
            .next()
            .is_none();
        if !empty && !is_plan_dir(out) && !options.force {
            return Err(Error::OutputNotAPlan {
                path: out.to_path_buf(),
            });
        }
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| Error::io("creating", &parent, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".siting-tmp-")
        .tempdir_in(&parent)
        .map_err(|e| Error::io("creating a temporary folder in", &parent, e))?;
    let dir = tmp.path();

    let w = create(dir, "catchments.geojson")?;
    let mut w = w;
    crate::io::geojson::write_catchments(plan, &mut w)?;
    finish(w, dir, "catchments.geojson")?;
    let mut w = create(dir, "centers.geojson")?;
    crate::io::geojson::write_centers(plan, &mut w)?;
    finish(w, dir, "centers.geojson")?;
    let mut w = create(dir, "assignments.csv")?;
    write_assignments(plan, households, &mut w)?;
    finish(w, dir, "assignments.csv")?;
    let mut w = create(dir, "summary.json")?;
    write_summary(plan, inputs, crs, &mut w)?;
    finish(w, dir, "summary.json")?;

    // Swap in: move the old plan aside, move the new one in, then delete the old one.
    let staged = tmp.keep();
    if exists {
        let old = tempfile::Builder::new()
            .prefix(".siting-old-")
            .tempdir_in(&parent)
            .map_err(|e| Error::io("creating a temporary folder in", &parent, e))?
            .keep();
        fs::remove_dir(&old).map_err(|e| Error::io("preparing", &old, e))?;
        fs::rename(out, &old).map_err(|e| Error::io("moving the previous plan from", out, e))?;
        if let Err(e) = fs::rename(&staged, out) {
            let _ = fs::rename(&old, out);
            let _ = fs::remove_dir_all(&staged);
            return Err(Error::io("moving the new plan to", out, e));
        }
        let _ = fs::remove_dir_all(&old);
    } else if let Err(e) = fs::rename(&staged, out) {
        let _ = fs::remove_dir_all(&staged);
        return Err(Error::io("moving the new plan to", out, e));
    }
    Ok(out.to_path_buf())
}
