//! Writing a plan folder atomically: every file goes to a temporary folder beside the
//! output folder, which replaces the old plan only once everything is written.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::write::geojson::{write_catchments, write_centers, write_proposals};
use crate::io::write::report::{COLOURING_WIDTH_PX, ReportOptions, write_report_coloured};
use crate::io::write::summary::{Audit, write_summary};
use crate::io::write::tables::{write_applicants, write_assignments, write_moves, write_rejected};
use crate::map::{MapOptions, palette_colours, write_map_svg_coloured};
use crate::model::{Households, Rejected};
use crate::plan::Plan;
use crate::sites::SitePlan;

/// The file added when `--skip-invalid` set rows aside (private: raw rows).
pub(crate) const REJECTED_FILE: &str = "rejected.csv";

/// Options for [`PlanFolder::write`].
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Replace a non-empty folder that is not a siting plan.
    pub force: bool,
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

/// Everything a plan folder is written from.
///
/// ```no_run
/// # fn demo(plan: &siting::Plan, households: &siting::Households) -> siting::Result<()> {
/// use siting::{Audit, PlanFolder, WriteOptions};
/// let audit = Audit::new(Vec::new(), &serde_json::json!({ "note": "embedded run" }))?;
/// let folder = PlanFolder::new(plan, households, &audit);
/// folder.write("plan".as_ref(), &WriteOptions::default())?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct PlanFolder<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// Sites and awards, when applicants were given.
    pub sites: Option<&'a SitePlan>,
    /// The households the plan was made from (ids for `assignments.csv`, rows set aside).
    pub households: &'a Households,
    /// Inputs and parameters, for `summary.json`.
    pub audit: &'a Audit,
    /// Options of `map.svg` (its date).
    pub map: MapOptions,
    /// Options of `report.html` (its date, a background map).
    pub report: ReportOptions,
    /// Rows of a re-plan's centers or previous assignments set aside by `--skip-invalid`.
    pub previous_rejected: &'a [Rejected],
}

impl<'a> PlanFolder<'a> {
    /// A folder for `plan` without sites, with the default map options.
    pub fn new(plan: &'a Plan, households: &'a Households, audit: &'a Audit) -> Self {
        PlanFolder {
            plan,
            sites: None,
            households,
            audit,
            map: MapOptions::default(),
            report: ReportOptions::default(),
            previous_rejected: &[],
        }
    }

    /// Writes every file of the plan into `out`, atomically: a failed run leaves any
    /// previous plan in `out` untouched. Returns the folder written.
    ///
    /// # Errors
    /// [`Error::OutputNotAPlan`] when `out` is a non-empty folder that is not a plan (unless
    /// `force`), [`Error::Io`] when writing fails.
    pub fn write(&self, out: &Path, options: &WriteOptions) -> Result<PathBuf> {
        let exists = out.exists();
        if exists && !is_empty_dir(out)? && !is_plan_dir(out) && !options.force {
            return Err(Error::OutputNotAPlan {
                path: out.to_path_buf(),
            });
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
        self.write_files(tmp.path())?;
        swap_in(tmp.keep(), out, &parent, exists)?;
        Ok(out.to_path_buf())
    }

    /// Writes every file into the (temporary) folder `dir`.
    fn write_files(&self, dir: &Path) -> Result<()> {
        let (plan, sites, households) = (self.plan, self.sites, self.households);
        // Each file: created in the temporary folder, written, flushed and synced.
        let write_one = |name: &str, body: &dyn Fn(&mut BufWriter<fs::File>) -> Result<()>| {
            let mut w = create(dir, name)?;
            body(&mut w)?;
            finish(w, dir, name)
        };
        // The map and the report colour the catchments alike: found once (with many
        // catchments it takes a second) when the map is drawn at the report's width.
        let colours = (self.map.width_px == COLOURING_WIDTH_PX)
            .then(|| palette_colours(plan, COLOURING_WIDTH_PX));
        let colours = colours.as_deref();
        // The large files are written side by side (with many catchments the map and the
        // report take longest); the first error in this order is reported.
        let ((catchments, assignments), (drawn, report)) = rayon::join(
            || {
                rayon::join(
                    || write_one("catchments.geojson", &|w| write_catchments(plan, sites, w)),
                    || {
                        write_one("assignments.csv", &|w| {
                            write_assignments(plan, households, w)
                        })
                    },
                )
            },
            || {
                rayon::join(
                    || {
                        write_one("centers.geojson", &|w| write_centers(plan, sites, w))?;
                        write_one("map.svg", &|w| {
                            write_map_svg_coloured(plan, sites, &self.map, colours, w)
                        })
                    },
                    || {
                        write_one("report.html", &|w| {
                            write_report_coloured(plan, sites, self.audit, &self.report, colours, w)
                        })
                    },
                )
            },
        );
        catchments?;
        assignments?;
        drawn?;
        report?;
        // QGIS applies a same-named style file when the layer is opened.
        for (name, text) in
            crate::io::write::qml::styles(sites.is_some(), plan.replan.is_some(), plan.config.lang)
        {
            write_one(name, &|w| {
                w.write_all(text.as_bytes())
                    .map_err(|e| Error::io("writing", dir.join(name), e))
            })?;
        }
        let applicants_rejected = sites.map_or(&[][..], |s| &s.applicants.rejected[..]);
        let previous_rejected = self.previous_rejected;
        if !households.rejected.is_empty()
            || !applicants_rejected.is_empty()
            || !previous_rejected.is_empty()
        {
            write_one(REJECTED_FILE, &|w| {
                let all = households.rejected.iter().chain(applicants_rejected);
                write_rejected(all.chain(previous_rejected), w)
            })?;
        }
        if plan.replan.is_some() {
            write_one("moves.csv", &|w| write_moves(plan, w))?;
        }
        if let Some(sites) = sites {
            write_one("proposals.geojson", &|w| write_proposals(plan, sites, w))?;
            write_one("applicants.csv", &|w| write_applicants(plan, sites, w))?;
        }
        write_one("summary.json", &|w| {
            write_summary(plan, sites, households, self.audit, w)
        })
    }
}

/// True when `dir` has no entries.
fn is_empty_dir(dir: &Path) -> Result<bool> {
    Ok(fs::read_dir(dir)
        .map_err(|e| Error::io("reading", dir, e))?
        .next()
        .is_none())
}

/// Moves the written folder `staged` to `out`: the old plan (if `exists`) is moved aside
/// first and deleted only once the new one is in place.
fn swap_in(staged: PathBuf, out: &Path, parent: &Path, exists: bool) -> Result<()> {
    if exists {
        let old = tempfile::Builder::new()
            .prefix(".siting-old-")
            .tempdir_in(parent)
            .map_err(|e| Error::io("creating a temporary folder in", parent, e))?
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
    Ok(())
}
