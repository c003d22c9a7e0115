//! Writing a plan folder atomically: every file goes to a temporary folder beside `--out`,
//! which replaces the old plan only once everything is written.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::config::AwardRule;
use crate::error::{Error, Result};
use crate::io::read::households::InputDigest;
use crate::model::Households;
use crate::plan::Plan;
use crate::run::job::Job;
use crate::sites::award::{AwardTotals, ProposalStatus};

/// The files of every plan folder (SPEC §5). `assignments.csv` holds household ids and is
/// private to the office; the `.geojson` layers are public.
pub const FILES: &[&str] = &[
    "catchments.geojson",
    "catchments.qml",
    "centers.geojson",
    "centers.qml",
    "assignments.csv",
    "map.svg",
    "summary.json",
];

/// The file added when `--skip-invalid` set rows aside (private: raw rows).
pub const REJECTED_FILE: &str = "rejected.csv";

/// The files added when applicants are given.
pub const APPLICANT_FILES: &[&str] = &["proposals.geojson", "proposals.qml", "applicants.csv"];

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
    parameters: &'a Job,
    seed: u64,
    counts: Counts,
    metrics: &'a crate::plan::Metrics,
    warnings: &'a [crate::plan::Warning],
    #[serde(skip_serializing_if = "Option::is_none")]
    sites: Option<SitesSummary<'a>>,
    regions: &'a [crate::plan::RegionPlan],
}

#[derive(Debug, serde::Serialize)]
struct SitesSummary<'a> {
    rows_rejected: usize,
    applicants: usize,
    eligible: usize,
    proposals: usize,
    proposals_outside_plan_area: usize,
    award_rule: AwardRule,
    awarded: &'a AwardTotals,
    rules: std::collections::BTreeMap<&'static str, &'a AwardTotals>,
    gaps: Vec<GapSummary<'a>>,
}

#[derive(Debug, serde::Serialize)]
struct GapSummary<'a> {
    catchment_id: &'a str,
    region: &'a str,
    households: u64,
    ideal_center_lon: f64,
    ideal_center_lat: f64,
    proposals: usize,
    acceptable_proposals: usize,
}

fn sites_summary(plan: &Plan) -> Option<SitesSummary<'_>> {
    let sites = plan.sites.as_ref()?;
    let mut received = vec![(0usize, 0usize); plan.catchments.len()];
    for (s, status) in sites.proposals.iter().zip(&sites.award.proposal_status) {
        if let Some(c) = s.catchment() {
            received[c as usize].0 += 1;
            let acceptable = !matches!(
                status,
                ProposalStatus::BelowMinEfficiency | ProposalStatus::Ineligible
            );
            received[c as usize].1 += usize::from(acceptable);
        }
    }
    Some(SitesSummary {
        rows_rejected: sites.applicants.rejected.len(),
        applicants: sites.applicants.len(),
        eligible: sites.applicants.items.iter().filter(|a| a.eligible).count(),
        proposals: sites.proposals.len(),
        proposals_outside_plan_area: sites
            .proposals
            .iter()
            .filter(|s| s.catchment().is_none())
            .count(),
        award_rule: sites.award.rule,
        awarded: &sites.award.totals,
        rules: sites
            .comparison
            .iter()
            .map(|(rule, totals)| (rule.name(), totals))
            .collect(),
        gaps: sites
            .gaps
            .iter()
            .map(|&c| {
                let cat = &plan.catchments[c as usize];
                GapSummary {
                    catchment_id: &cat.id,
                    region: &plan.regions[cat.region as usize].name,
                    households: cat.households,
                    ideal_center_lon: cat.center.lon,
                    ideal_center_lat: cat.center.lat,
                    proposals: received[c as usize].0,
                    acceptable_proposals: received[c as usize].1,
                }
            })
            .collect(),
    })
}

#[derive(Debug, serde::Serialize)]
struct Counts {
    rows_read: usize,
    rows_rejected: usize,
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
    households: &Households,
    inputs: &[InputDigest],
    job: &Job,
    out: W,
) -> Result<()> {
    let summary = summary_json(plan, households, inputs, job);
    let mut out = out;
    serde_json::to_writer_pretty(&mut out, &summary)
        .map_err(|e| Error::io("writing", "summary.json", std::io::Error::other(e)))?;
    out.write_all(b"\n")
        .map_err(|e| Error::io("writing", "summary.json", e))
}

/// The content of `summary.json` as a JSON value (for `siting plan --json` and embedding).
pub fn summary_json(
    plan: &Plan,
    households: &Households,
    inputs: &[InputDigest],
    job: &Job,
) -> serde_json::Value {
    let rejected = &households.rejected;
    let summary = Summary {
        tool: "siting",
        version: env!("CARGO_PKG_VERSION"),
        inputs,
        parameters: job,
        seed: plan.config.seed,
        counts: Counts {
            rows_read: plan.metrics.rows + rejected.len(),
            rows_rejected: rejected.len(),
            rows: plan.metrics.rows,
            households: plan.metrics.households,
            regions: plan.regions.len(),
            catchments: plan.catchments.len(),
        },
        metrics: &plan.metrics,
        warnings: &plan.warnings,
        sites: sites_summary(plan),
        regions: &plan.regions,
    };
    serde_json::to_value(&summary).unwrap_or(serde_json::Value::Null)
}

/// Writes `assignments.csv` (`household_id,catchment_id,distance_m`) in input order.
///
/// The rows are formatted in parallel, some 32,000 to a piece and a few pieces at a time,
/// then written in order: the same bytes as one writer, with memory bounded by a batch.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_assignments<W: Write>(plan: &Plan, households: &Households, out: W) -> Result<()> {
    write_assignments_in(plan, households, out, ROWS_PER_PIECE)
}

/// [`write_assignments`] with pieces of `rows_per_piece` rows.
fn write_assignments_in<W: Write>(
    plan: &Plan,
    households: &Households,
    mut out: W,
    rows_per_piece: usize,
) -> Result<()> {
    use rayon::prelude::*;
    let rows_per_piece = rows_per_piece.max(1);
    let io_err = |e: std::io::Error| Error::io("writing", "assignments.csv", e);
    let csv_err = |e: csv::Error| io_err(std::io::Error::other(e));
    // Each piece is a complete CSV fragment from its own writer (quoting depends only on
    // a field's content, so pieces join into the file one writer would make).
    let piece = |rows: std::ops::Range<usize>| -> Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 32));
        let mut d = String::new();
        for i in rows {
            use std::fmt::Write as _;
            let c = &plan.catchments[plan.assignment[i] as usize];
            d.clear();
            // Writing to a String cannot fail.
            let _ = write!(d, "{:.1}", plan.distance_m[i]);
            w.write_record([households.items[i].id.as_str(), c.id.as_str(), d.as_str()])
                .map_err(csv_err)?;
        }
        w.into_inner().map_err(|e| io_err(e.into_error()))
    };
    let mut header = csv::Writer::from_writer(Vec::new());
    header
        .write_record(["household_id", "catchment_id", "distance_m"])
        .map_err(csv_err)?;
    out.write_all(&header.into_inner().map_err(|e| io_err(e.into_error()))?)
        .map_err(io_err)?;
    let n = households.items.len();
    let batch = rows_per_piece.saturating_mul(PIECES_PER_BATCH);
    for first in (0..n).step_by(batch) {
        let ranges: Vec<std::ops::Range<usize>> = (first..first.saturating_add(batch).min(n))
            .step_by(rows_per_piece)
            .map(|s| s..s.saturating_add(rows_per_piece).min(n))
            .collect();
        let pieces: Vec<Result<Vec<u8>>> = ranges.into_par_iter().map(piece).collect();
        for p in pieces {
            out.write_all(&p?).map_err(io_err)?;
        }
    }
    out.flush().map_err(io_err)
}

/// Rows of `assignments.csv` formatted together by [`write_assignments`].
const ROWS_PER_PIECE: usize = 32_768;
/// Pieces of [`write_assignments`] formatted at once (about 8 MB for national files).
const PIECES_PER_BATCH: usize = 8;

/// Writes the `applicants.csv` outcome table: one row per applicant with the outcome, the
/// awarded catchment(s) and preference(s), the awarded site's efficiency, the applicant's
/// position in the priority order and a reason a person can read. Writes only a header when
/// the plan has no applicants.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_applicants<W: Write>(plan: &Plan, out: W) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| Error::io("writing", "applicants.csv", std::io::Error::other(e));
    w.write_record([
        "applicant_id",
        "outcome",
        "catchment_id",
        "preference",
        "efficiency",
        "mean_distance_m",
        "priority_position",
        "reason",
    ])
    .map_err(err)?;
    if let Some(sites) = plan.sites.as_ref() {
        for (a, result) in sites.award.applicants.iter().enumerate() {
            let won = result.awarded.iter().map(|&i| &sites.proposals[i]);
            let join = |f: &dyn Fn(&crate::sites::score::ScoredProposal) -> String| {
                won.clone().map(f).collect::<Vec<_>>().join(";")
            };
            let catchments = join(&|s| {
                s.catchment()
                    .map_or(String::new(), |c| plan.catchments[c as usize].id.clone())
            });
            let preferences = join(&|s| s.preference.to_string());
            let efficiency = join(&|s| s.efficiency().map_or(String::new(), |e| format!("{e:.4}")));
            let mean = join(&|s| {
                s.access
                    .as_ref()
                    .map_or(String::new(), |x| format!("{:.1}", x.mean_distance_m))
            });
            let position = (sites.priority[a] + 1).to_string();
            w.write_record([
                sites.applicants.items[a].id.as_str(),
                result.outcome.name(),
                &catchments,
                &preferences,
                &efficiency,
                &mean,
                &position,
                &result.reason,
            ])
            .map_err(err)?;
        }
    }
    w.flush()
        .map_err(|e| Error::io("writing", "applicants.csv", e))
}

/// Writes `rejected.csv` (`file,line,raw,reason`): the rows `--skip-invalid` set aside.
/// **Private**: the raw rows hold household ids and locations.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_rejected<'a, W: Write>(
    rows: impl IntoIterator<Item = &'a crate::model::Rejected>,
    out: W,
) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| Error::io("writing", "rejected.csv", std::io::Error::other(e));
    w.write_record(["file", "line", "raw", "reason"])
        .map_err(err)?;
    for r in rows {
        w.write_record([
            r.file.as_str(),
            &r.line.to_string(),
            r.raw.as_str(),
            r.reason.as_str(),
        ])
        .map_err(err)?;
    }
    w.flush()
        .map_err(|e| Error::io("writing", "rejected.csv", e))
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
    job: &Job,
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

    // Each file: created in the temporary folder, written, flushed and synced.
    let write_one = |name: &str, body: &dyn Fn(&mut BufWriter<fs::File>) -> Result<()>| {
        let mut w = create(dir, name)?;
        body(&mut w)?;
        finish(w, dir, name)
    };
    // The three large files are written side by side; the first error in this order is
    // reported.
    let ((catchments, assignments), rest) = rayon::join(
        || {
            rayon::join(
                || {
                    write_one("catchments.geojson", &|w| {
                        crate::io::write::geojson::write_catchments(plan, w)
                    })
                },
                || {
                    write_one("assignments.csv", &|w| {
                        write_assignments(plan, households, w)
                    })
                },
            )
        },
        || {
            write_one("centers.geojson", &|w| {
                crate::io::write::geojson::write_centers(plan, w)
            })?;
            let map = crate::map::MapOptions {
                date: job.date.clone(),
                ..crate::map::MapOptions::default()
            };
            write_one("map.svg", &|w| crate::map::write_map_svg(plan, &map, w))
        },
    );
    catchments?;
    assignments?;
    rest?;
    // QGIS applies a same-named style file when the layer is opened.
    for (name, text) in crate::io::write::qml::styles(plan.sites.is_some()) {
        write_one(name, &|w| {
            w.write_all(text.as_bytes())
                .map_err(|e| Error::io("writing", dir.join(name), e))
        })?;
    }
    let applicants_rejected = plan
        .sites
        .as_ref()
        .map_or(&[][..], |s| &s.applicants.rejected[..]);
    if !households.rejected.is_empty() || !applicants_rejected.is_empty() {
        write_one("rejected.csv", &|w| {
            write_rejected(households.rejected.iter().chain(applicants_rejected), w)
        })?;
    }
    if plan.sites.is_some() {
        write_one("proposals.geojson", &|w| {
            crate::io::write::geojson::write_proposals(plan, w)
        })?;
        write_one("applicants.csv", &|w| write_applicants(plan, w))?;
    }
    write_one("summary.json", &|w| {
        write_summary(plan, households, inputs, job, w)
    })?;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The file one csv writer makes, row by row (the writer before pieces).
    fn one_writer(plan: &Plan, households: &Households) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["household_id", "catchment_id", "distance_m"])
            .unwrap();
        for (i, h) in households.items.iter().enumerate() {
            let c = &plan.catchments[plan.assignment[i] as usize];
            let d = format!("{:.1}", plan.distance_m[i]);
            w.write_record([h.id.as_str(), c.id.as_str(), d.as_str()])
                .unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn assignments_in_pieces_are_the_bytes_of_one_writer() {
        let mut households = crate::synth::households(2_000, 3);
        let plan = crate::Planner::new(crate::PlanConfig::default())
            .unwrap()
            .plan(&households)
            .unwrap();
        // Ids that need quoting, and non-ASCII ones.
        for (i, h) in households.items.iter_mut().enumerate().step_by(97) {
            h.id = match i % 4 {
                0 => format!("a,{i}"),
                1 => format!("say \"{i}\""),
                2 => format!("line\nbreak {i}"),
                _ => format!("خانوار {i}"),
            };
        }
        let expected = one_writer(&plan, &households);
        for rows in [1, 7, 64, 1_999, 2_000, ROWS_PER_PIECE] {
            let mut got = Vec::new();
            write_assignments_in(&plan, &households, &mut got, rows).unwrap();
            assert_eq!(got, expected, "{rows} rows per piece");
        }
    }
}
