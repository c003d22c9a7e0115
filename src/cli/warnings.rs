//! The notes and warnings `siting plan` prints on standard error: unused applicants
//! columns, the plan's warnings, each region's (out of bounds, not converged, polygons that
//! miss households or overlap) and one note for catchments interleaving across regions.
//!
//! The applicants' results come in as `sites`, never from the plan itself: the caller reads
//! them in one place.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use siting::RegionPlan;
use siting::lang::{Args, Lang};
use siting::{Plan, SitePlan};

/// Regions named in the interleave note; the rest are counted.
const INTERLEAVED_NAMED: usize = 5;

/// A note that the applicants file has columns the plan does not use.
pub(super) fn print_ignored_columns(
    err: &mut impl Write,
    lang: Lang,
    sites: Option<&SitePlan>,
) -> Result<()> {
    if let Some(sites) = sites
        && !sites.applicants.ignored_columns.is_empty()
    {
        let args = Args::new().text("columns", lang.list(&sites.applicants.ignored_columns));
        note(err, lang, &lang.format("note-ignored-columns", &args))?;
    }
    Ok(())
}

/// `note: text`, its first word in `lang`.
fn note(err: &mut impl Write, lang: Lang, text: &str) -> Result<()> {
    writeln!(err, "{}: {text}", lang.tr("note"))?;
    Ok(())
}

/// `warning: text`, its first word in `lang`.
fn warning(err: &mut impl Write, lang: Lang, text: &str) -> Result<()> {
    writeln!(err, "{}: {text}", lang.tr("warning"))?;
    Ok(())
}

/// The plan's warnings, then each region's, then (unless `quiet`) the interleave note.
pub(super) fn print_warnings(
    err: &mut impl Write,
    plan: &Plan,
    households: &Path,
    quiet: bool,
) -> Result<()> {
    let lang = plan.config.lang;
    for w in &plan.warnings {
        let text = format!("{}: {}", households.display(), w.describe(lang));
        warning(err, lang, &text)?;
    }
    for r in &plan.regions {
        print_region_warnings(err, lang, r)?;
    }
    for o in plan.replan.iter().flat_map(|r| &r.oversupply) {
        print_oversupply(err, lang, o, plan.config.target_size)?;
    }
    if !quiet && let Some(text) = interleave_note(lang, &plan.regions) {
        note(err, lang, &text)?;
    }
    Ok(())
}

/// A region with more centers than its households need: "Qazvin: 53 centers for 21,100
/// households, 6 more than the target of 450 needs", with the merge candidates.
fn print_oversupply(
    err: &mut impl Write,
    lang: Lang,
    o: &siting::Oversupply,
    target: u32,
) -> Result<()> {
    let name = if o.region.is_empty() {
        lang.tr("the-plan-area")
    } else {
        o.region.clone()
    };
    let pairs: Vec<String> = o
        .merge_candidates
        .iter()
        .map(|(a, b)| format!("{a} + {b}"))
        .collect();
    let args = Args::new()
        .text("region", name)
        .count("centers", o.centers as u64)
        .count("households", o.households)
        .count("extra", (o.centers - o.needed) as u64)
        .count("target", target.into())
        .text("pairs", lang.list(&pairs));
    note(err, lang, &lang.format("note-oversupply", &args))
}

/// Households outside their polygon, polygons still overlapping, a region out of bounds
/// or not converged.
fn print_region_warnings(err: &mut impl Write, lang: Lang, r: &RegionPlan) -> Result<()> {
    let region = || Args::new().text("region", r.name.clone());
    if r.households_outside > 0 {
        let args = region().count("households", r.households_outside as u64);
        warning(err, lang, &lang.format("warning-outside-polygon", &args))?;
    }
    if r.overlapping_pairs > 0 {
        let args = region().count("pairs", r.overlapping_pairs as u64);
        warning(err, lang, &lang.format("warning-overlap", &args))?;
    }
    if !r.balanced || !r.converged {
        let args = region()
            .count("iterations", r.iterations as u64)
            .count("smallest", r.smallest)
            .count("largest", r.largest)
            .count("min", r.min_size)
            .count("max", r.max_size);
        let id = if r.balanced {
            "warning-not-converged"
        } else {
            "warning-out-of-bounds"
        };
        warning(err, lang, &lang.format(id, &args))?;
    }
    Ok(())
}

/// One note for all regions whose catchments interleave with other regions' (the largest
/// counts named), or `None` when none do.
fn interleave_note(lang: Lang, regions: &[RegionPlan]) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = regions
        .iter()
        .filter(|r| r.unseparated_pairs > 0)
        .map(|r| (r.name.as_str(), r.unseparated_pairs))
        .collect();
    if counts.is_empty() {
        return None;
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let total: usize = counts.iter().map(|c| c.1).sum();
    let mut named: Vec<String> = counts
        .iter()
        .take(INTERLEAVED_NAMED)
        .map(|(name, n)| format!("{} {}", lang.embed(name), lang.count(*n as u64)))
        .collect();
    if counts.len() > INTERLEAVED_NAMED {
        let more = Args::new().count("regions", (counts.len() - INTERLEAVED_NAMED) as u64);
        named.push(lang.format("note-interleave-more", &more));
    }
    let args = Args::new()
        .count("catchments", total as u64)
        .count("regions", counts.len() as u64)
        .text("named", lang.list(&named));
    Some(lang.format("note-interleave", &args))
}
