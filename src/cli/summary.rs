//! The terminal summary `siting plan` prints on standard output after a plan: headline,
//! households, catchments, distances, applicants, award comparison, gaps, regions table.
//!
//! The applicants' results come in as `sites`, never from the plan itself: the caller reads
//! them in one place.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use siting::Metrics;
use siting::text::thousands;
use siting::{Households, Plan, Replan, SitePlan};

/// Gaps named on the gaps line; the rest are counted.
const GAPS_SHOWN: usize = 12;
/// Rows of the regions table; the rest are counted.
const REGIONS_SHOWN: usize = 40;

/// Where and how fast a plan was written.
pub(super) struct Written<'a> {
    /// The plan folder.
    pub(super) dir: &'a Path,
    /// Seconds per phase (read, plan, award, write).
    pub(super) phases: &'a [(&'a str, f64)],
    /// Seconds in all.
    pub(super) elapsed: f64,
}

/// The compact terminal summary of a plan.
pub(super) fn print_summary(
    out: &mut impl Write,
    plan: &Plan,
    sites: Option<&SitePlan>,
    households: &Households,
    written: &Written,
) -> Result<()> {
    print_headline(out, written)?;
    print_households(out, plan, households)?;
    print_catchments(out, plan)?;
    print_distance(out, &plan.metrics)?;
    if let Some(replan) = &plan.replan {
        print_churn(out, replan)?;
    }
    if let Some(sites) = sites {
        print_applicants(out, sites)?;
        print_award_comparison(out, sites)?;
        print_gaps(out, plan, sites)?;
    }
    if plan.regions.len() > 1 {
        print_regions(out, plan, sites)?;
    }
    Ok(())
}

/// `plan written to DIR in S s (phase S, …)`.
fn print_headline(out: &mut impl Write, written: &Written) -> Result<()> {
    let detail: Vec<String> = written
        .phases
        .iter()
        .map(|(name, secs)| format!("{name} {secs:.2}"))
        .collect();
    writeln!(
        out,
        "plan written to {} in {:.2} s ({})",
        written.dir.display(),
        written.elapsed,
        detail.join(", ")
    )?;
    Ok(())
}

/// Households, rows (and rows rejected), regions.
fn print_households(out: &mut impl Write, plan: &Plan, households: &Households) -> Result<()> {
    let m = &plan.metrics;
    writeln!(
        out,
        "  households  {} in {} rows{}, {} region{}",
        thousands(m.households),
        thousands(m.rows as u64),
        if households.rejected.is_empty() {
            String::new()
        } else {
            format!(
                " ({} rows rejected: rejected.csv)",
                households.rejected.len()
            )
        },
        plan.regions.len(),
        if plan.regions.len() == 1 { "" } else { "s" }
    )?;
    Ok(())
}

/// Catchments, their sizes and the widest bounds of any region.
fn print_catchments(out: &mut impl Write, plan: &Plan) -> Result<()> {
    let m = &plan.metrics;
    let (lo, hi) = (
        plan.regions.iter().map(|r| r.min_size).min().unwrap_or(0),
        plan.regions.iter().map(|r| r.max_size).max().unwrap_or(0),
    );
    writeln!(
        out,
        "  catchments  {}, sizes {}–{} (bounds {}–{})",
        m.catchments, m.smallest_catchment, m.largest_catchment, lo, hi
    )?;
    Ok(())
}

/// Distances from households to their catchment's ideal center.
fn print_distance(out: &mut impl Write, m: &Metrics) -> Result<()> {
    writeln!(
        out,
        "  distance    to the ideal center: mean {} m, p90 {} m, max {} m",
        thousands(m.mean_distance_m.round() as u64),
        thousands(m.p90_distance_m.round() as u64),
        thousands(m.max_distance_m.round() as u64)
    )?;
    Ok(())
}

/// A re-plan's one line: "moved 812 of 23,280 households (3.5 %); 4 new catchments, 2 to
/// re-tender", with the households new and gone and the centers closed.
fn print_churn(out: &mut impl Write, replan: &Replan) -> Result<()> {
    let t = &replan.total;
    let plural = |n: usize, one: &str, many: &str| {
        format!(
            "{} {}",
            thousands(n as u64),
            if n == 1 { one } else { many }
        )
    };
    let mut line = format!(
        "  re-plan     moved {} of {} households ({:.1} %); {}, {} to re-tender",
        thousands(t.moved),
        thousands(t.moved + t.stayed),
        100.0 * t.moved_share(),
        plural(replan.new_catchments(), "new catchment", "new catchments"),
        thousands(replan.re_tender() as u64),
    );
    if !replan.closed.is_empty() {
        line.push_str(&format!(
            ", {} removed",
            plural(replan.closed.len(), "closed catchment", "closed catchments")
        ));
    }
    writeln!(out, "{line}")?;
    writeln!(
        out,
        "              {} households new, {} gone (moves.csv lists them all)",
        thousands(t.new),
        thousands(t.left)
    )?;
    Ok(())
}

/// Applicants, eligible applicants, proposals (and those outside the plan area).
fn print_applicants(out: &mut impl Write, sites: &SitePlan) -> Result<()> {
    let eligible = sites.applicants.items.iter().filter(|a| a.eligible).count();
    let outside = sites
        .proposals
        .iter()
        .filter(|s| s.catchment().is_none())
        .count();
    writeln!(
        out,
        "  applicants  {} ({} eligible), {} proposals ({} outside the plan area){}",
        sites.applicants.len(),
        eligible,
        sites.proposals.len(),
        outside,
        if sites.applicants.rejected.is_empty() {
            String::new()
        } else {
            format!(", {} rows rejected", sites.applicants.rejected.len())
        }
    )?;
    Ok(())
}

/// One row per award rule, the rule used marked `*`.
fn print_award_comparison(out: &mut impl Write, sites: &SitePlan) -> Result<()> {
    writeln!(
        out,
        "  award rule   catchments  households served  mean efficiency  total access"
    )?;
    for (rule, t) in &sites.comparison {
        let mark = if *rule == sites.award.rule { "*" } else { " " };
        writeln!(
            out,
            "  {mark}{:<11} {:>10}  {:>17}  {:>15.3}  {:>12}",
            rule.name(),
            t.catchments_awarded,
            thousands(t.households_served),
            t.mean_efficiency,
            thousands(t.access.round() as u64)
        )?;
    }
    Ok(())
}

/// Catchments without a center, the first few named.
fn print_gaps(out: &mut impl Write, plan: &Plan, sites: &SitePlan) -> Result<()> {
    let shown: Vec<&str> = sites
        .gaps
        .iter()
        .take(GAPS_SHOWN)
        .map(|&c| plan.catchments[c as usize].id.as_str())
        .collect();
    let more = if sites.gaps.len() > shown.len() {
        format!(
            ", … ({} more in summary.json)",
            sites.gaps.len() - shown.len()
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "  gaps        {} of {} catchments without a center{}{}{}",
        sites.gaps.len(),
        plan.catchments.len(),
        if shown.is_empty() { "" } else { ": " },
        shown.join(", "),
        more
    )?;
    Ok(())
}

/// One row per region (the first few): size, catchments, mean distance, and with
/// applicants the awarded catchments and gaps.
fn print_regions(out: &mut impl Write, plan: &Plan, sites: Option<&SitePlan>) -> Result<()> {
    let awarded = sites.map(|s| awarded_per_region(plan, s));
    let mean = mean_distance_per_region(plan);
    writeln!(
        out,
        "  {:<24} {:>10} {:>10} {:>9} {:>8}{}",
        "region",
        "households",
        "catchments",
        "sizes",
        "mean m",
        if awarded.is_some() {
            "  awarded  gaps"
        } else {
            ""
        }
    )?;
    for (r, info) in plan.regions.iter().enumerate().take(REGIONS_SHOWN) {
        let name: String = info.name.chars().take(24).collect();
        writeln!(
            out,
            "  {name:<24} {:>10} {:>10} {:>9} {:>8}{}",
            thousands(info.households),
            info.catchments,
            format!("{}–{}", info.smallest, info.largest),
            thousands(mean[r].round() as u64),
            match &awarded {
                Some(a) => format!("  {:>7}  {:>4}", a[r], info.catchments - a[r]),
                None => String::new(),
            }
        )?;
    }
    if plan.regions.len() > REGIONS_SHOWN {
        writeln!(
            out,
            "  … {} more regions in summary.json",
            plan.regions.len() - REGIONS_SHOWN
        )?;
    }
    Ok(())
}

/// Catchments awarded a center, per region.
fn awarded_per_region(plan: &Plan, sites: &SitePlan) -> Vec<usize> {
    let mut awarded = vec![0usize; plan.regions.len()];
    for (c, site) in sites.award.catchment_site.iter().enumerate() {
        if site.is_some() {
            awarded[plan.catchments[c].region as usize] += 1;
        }
    }
    awarded
}

/// Mean distance to the ideal center per region, weighted by households, in metres.
fn mean_distance_per_region(plan: &Plan) -> Vec<f64> {
    let mut sums = vec![(0.0f64, 0u64); plan.regions.len()];
    for c in &plan.catchments {
        let slot = &mut sums[c.region as usize];
        slot.0 += c.distance.mean_m * c.households as f64;
        slot.1 += c.households;
    }
    sums.iter()
        .map(|(metres, households)| metres / (*households).max(1) as f64)
        .collect()
}
