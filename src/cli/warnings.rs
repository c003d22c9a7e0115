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
use siting::{Plan, SitePlan};

/// Regions named in the interleave note; the rest are counted.
const INTERLEAVED_NAMED: usize = 5;

/// A note that the applicants file has columns the plan does not use.
pub(super) fn print_ignored_columns(err: &mut impl Write, sites: Option<&SitePlan>) -> Result<()> {
    if let Some(sites) = sites
        && !sites.applicants.ignored_columns.is_empty()
    {
        writeln!(
            err,
            "note: applicants file columns not used (never written to the plan): {}",
            sites.applicants.ignored_columns.join(", ")
        )?;
    }
    Ok(())
}

/// The plan's warnings, then each region's, then (unless `quiet`) the interleave note.
pub(super) fn print_warnings(
    err: &mut impl Write,
    plan: &Plan,
    households: &Path,
    quiet: bool,
) -> Result<()> {
    for w in &plan.warnings {
        writeln!(err, "warning: {}: {w}", households.display())?;
    }
    for r in &plan.regions {
        print_region_warnings(err, r)?;
    }
    for o in plan.replan.iter().flat_map(|r| &r.oversupply) {
        print_oversupply(err, o, plan.config.target_size)?;
    }
    if !quiet && let Some(note) = interleave_note(&plan.regions) {
        writeln!(err, "{note}")?;
    }
    Ok(())
}

/// A region with more centers than its households need: "Qazvin: 53 centers for 21,100
/// households, 6 more than the target of 450 needs", with the merge candidates.
fn print_oversupply(err: &mut impl Write, o: &siting::Oversupply, target: u32) -> Result<()> {
    let name = if o.region.is_empty() {
        "the plan area"
    } else {
        o.region.as_str()
    };
    let pairs: Vec<String> = o
        .merge_candidates
        .iter()
        .map(|(a, b)| format!("{a} + {b}"))
        .collect();
    writeln!(
        err,
        "note: {name}: {} centers for {} households, {} more than the target of {target} needs; \
         none is closed automatically. Best merge candidates (smallest together): {}",
        o.centers,
        siting::text::thousands(o.households),
        o.centers - o.needed,
        pairs.join(", ")
    )?;
    Ok(())
}

/// Households outside their polygon, polygons still overlapping, a region out of bounds
/// or not converged.
fn print_region_warnings(err: &mut impl Write, r: &RegionPlan) -> Result<()> {
    if r.households_outside > 0 {
        writeln!(
            err,
            "warning: region '{}': {} household(s) lie outside their catchment's polygon \
             (within a centimetre, after rounding to 7 decimals; or at the very place of a \
             household of another region, which no boundary can separate)",
            r.name, r.households_outside
        )?;
    }
    if r.overlapping_pairs > 0 {
        writeln!(
            err,
            "warning: region '{}': {} catchment polygon(s) still overlap catchments of other \
             regions (their split by nearest household failed); please report this input",
            r.name, r.overlapping_pairs
        )?;
    }
    if !r.balanced || !r.converged {
        writeln!(
            err,
            "warning: region '{}' {} after {} iterations (sizes {}–{}, bounds {}–{})",
            r.name,
            if r.balanced {
                "did not converge"
            } else {
                "is out of its size bounds"
            },
            r.iterations,
            r.smallest,
            r.largest,
            r.min_size,
            r.max_size
        )?;
    }
    Ok(())
}

/// One note for all regions whose catchments interleave with other regions' (the largest
/// counts named), or `None` when none do.
fn interleave_note(regions: &[RegionPlan]) -> Option<String> {
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
        .map(|(name, n)| format!("{name} {n}"))
        .collect();
    if counts.len() > INTERLEAVED_NAMED {
        named.push(format!("{} more regions", counts.len() - INTERLEAVED_NAMED));
    }
    Some(format!(
        "note: {total} catchment(s) in {} region(s) interleave with catchments of other regions \
         (no straight line separates their households: {}); their overlaps are split by nearest \
         household, so those catchments are not convex (per region: unseparated_pairs in \
         summary.json)",
        counts.len(),
        named.join(", ")
    ))
}
