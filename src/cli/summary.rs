//! The terminal summary `siting plan` prints on standard output after a plan: headline,
//! households, catchments, distances, applicants, award comparison, gaps, regions table.
//!
//! The applicants' results come in as `sites`, never from the plan itself: the caller reads
//! them in one place.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use unicode_width::UnicodeWidthStr;

use siting::Metrics;
use siting::lang::{Args, Lang};
use siting::{Households, Plan, Replan, SitePlan};

use super::columns::{pad_end, pad_start, truncate};

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

/// The compact terminal summary of a plan, in the plan's language.
pub(super) fn print_summary(
    out: &mut impl Write,
    plan: &Plan,
    sites: Option<&SitePlan>,
    households: &Households,
    written: &Written,
) -> Result<()> {
    let lang = plan.config.lang;
    print_headline(out, lang, written)?;
    print_households(out, plan, households)?;
    print_catchments(out, plan)?;
    print_distance(out, lang, &plan.metrics)?;
    if let Some(replan) = &plan.replan {
        print_churn(out, lang, replan)?;
    }
    if let Some(sites) = sites {
        print_applicants(out, lang, sites)?;
        print_award_comparison(out, lang, sites)?;
        print_gaps(out, plan, sites)?;
    }
    if plan.regions.len() > 1 {
        print_regions(out, plan, sites)?;
    }
    Ok(())
}

/// Width of the labels before each line's figures (`households  `).
const LABEL_WIDTH: usize = 12;

/// One line of the summary: its label (message `summary-label-…`), then `text`.
fn line(out: &mut impl Write, lang: Lang, label: &str, text: &str) -> Result<()> {
    let label = lang.tr(&format!("summary-label-{label}"));
    writeln!(out, "  {}{text}", pad_end(&label, LABEL_WIDTH))?;
    Ok(())
}

/// `plan written to DIR in S s (phase S, …)`.
fn print_headline(out: &mut impl Write, lang: Lang, written: &Written) -> Result<()> {
    let detail: Vec<String> = written
        .phases
        .iter()
        .map(|(name, secs)| {
            let phase = lang.tr(&format!("summary-phase-{name}"));
            format!("{phase} {}", lang.decimal(*secs, 2))
        })
        .collect();
    let args = Args::new()
        .text("dir", written.dir.display().to_string())
        .text("secs", lang.decimal(written.elapsed, 2))
        .text("phases", lang.list(&detail));
    writeln!(out, "{}", lang.format("summary-written", &args))?;
    Ok(())
}

/// Households, rows (and rows rejected), regions.
fn print_households(out: &mut impl Write, plan: &Plan, households: &Households) -> Result<()> {
    let (lang, m) = (plan.config.lang, &plan.metrics);
    let rejected = if households.rejected.is_empty() {
        String::new()
    } else {
        let rows = Args::new().count("rows", households.rejected.len() as u64);
        format!(" ({})", lang.format("summary-rows-rejected", &rows))
    };
    let args = Args::new()
        .count("households", m.households)
        .count("rows", m.rows as u64)
        .text("rejected", rejected)
        .count("regions", plan.regions.len() as u64);
    line(
        out,
        lang,
        "households",
        &lang.format("summary-households", &args),
    )
}

/// Catchments, their sizes and the widest bounds of any region.
fn print_catchments(out: &mut impl Write, plan: &Plan) -> Result<()> {
    let (lang, m) = (plan.config.lang, &plan.metrics);
    let (lo, hi) = plan.size_bounds();
    let args = Args::new()
        .count("catchments", m.catchments as u64)
        .count("smallest", m.smallest_catchment)
        .count("largest", m.largest_catchment)
        .count("min", lo)
        .count("max", hi);
    line(
        out,
        lang,
        "catchments",
        &lang.format("summary-catchments", &args),
    )
}

/// Distances from households to their catchment's ideal center.
fn print_distance(out: &mut impl Write, lang: Lang, m: &Metrics) -> Result<()> {
    let metres = |x: f64| x.round().max(0.0) as u64;
    let args = Args::new()
        .count("mean", metres(m.mean_distance_m))
        .count("p90", metres(m.p90_distance_m))
        .count("max", metres(m.max_distance_m));
    line(
        out,
        lang,
        "distance",
        &lang.format("summary-distance", &args),
    )
}

/// A re-plan's one line: "moved 812 of 23,280 households (3.5 %); 4 new catchments, 2 to
/// re-tender", with the households new and gone and the centers closed.
fn print_churn(out: &mut impl Write, lang: Lang, replan: &Replan) -> Result<()> {
    let t = &replan.total;
    let args = Args::new()
        .count("moved", t.moved)
        .count("total", t.moved + t.stayed)
        .text("share", lang.decimal(100.0 * t.moved_share(), 1))
        .count("new", replan.new_catchments() as u64)
        .count("retender", replan.re_tender() as u64);
    let mut text = lang.format("summary-replan", &args);
    if !replan.closed.is_empty() {
        let closed = Args::new().count("closed", replan.closed.len() as u64);
        text.push_str(&lang.list(&["", &lang.format("summary-replan-closed", &closed)]));
    }
    line(out, lang, "replan", &text)?;
    let args = Args::new().count("new", t.new).count("gone", t.left);
    writeln!(
        out,
        "  {}{}",
        " ".repeat(LABEL_WIDTH),
        lang.format("summary-replan-households", &args)
    )?;
    Ok(())
}

/// Applicants, eligible applicants, proposals (and those outside the plan area).
fn print_applicants(out: &mut impl Write, lang: Lang, sites: &SitePlan) -> Result<()> {
    let rejected = if sites.applicants.rejected.is_empty() {
        String::new()
    } else {
        let rows = Args::new().count("rows", sites.applicants.rejected.len() as u64);
        lang.list(&["", &lang.format("summary-applicants-rejected", &rows)])
    };
    let args = Args::new()
        .count("applicants", sites.applicants.len() as u64)
        .count("eligible", sites.eligible_applicants() as u64)
        .count("proposals", sites.proposals.len() as u64)
        .count("outside", sites.proposals_outside() as u64)
        .text("rejected", rejected);
    line(
        out,
        lang,
        "applicants",
        &lang.format("summary-applicants", &args),
    )
}

/// One row per award rule, the rule used marked `*`.
fn print_award_comparison(out: &mut impl Write, lang: Lang, sites: &SitePlan) -> Result<()> {
    let head = |id: &str| lang.tr(&format!("summary-award-{id}"));
    let widths = [
        head("rule").width().max(12),
        head("catchments").width().max(10),
        head("served").width().max(17),
        head("efficiency").width().max(15),
        head("access").width().max(12),
    ];
    writeln!(
        out,
        "  {} {}  {}  {}  {}",
        pad_end(&head("rule"), widths[0]),
        pad_start(&head("catchments"), widths[1]),
        pad_start(&head("served"), widths[2]),
        pad_start(&head("efficiency"), widths[3]),
        pad_start(&head("access"), widths[4]),
    )?;
    for (rule, t) in &sites.comparison {
        let mark = if *rule == sites.award.rule { "*" } else { " " };
        writeln!(
            out,
            "  {mark}{} {}  {}  {}  {}",
            pad_end(rule.name(), widths[0] - 1),
            pad_start(&lang.count(t.catchments_awarded as u64), widths[1]),
            pad_start(&lang.count(t.households_served), widths[2]),
            pad_start(&lang.decimal(t.mean_efficiency, 3), widths[3]),
            pad_start(&lang.count(t.access.round().max(0.0) as u64), widths[4]),
        )?;
    }
    Ok(())
}

/// Catchments without a center, the first few named.
fn print_gaps(out: &mut impl Write, plan: &Plan, sites: &SitePlan) -> Result<()> {
    let lang = plan.config.lang;
    let shown: Vec<&str> = sites
        .gaps
        .iter()
        .take(GAPS_SHOWN)
        .map(|&c| plan.catchments[c as usize].id.as_str())
        .collect();
    let args = Args::new()
        .count("gaps", sites.gaps.len() as u64)
        .count("catchments", plan.catchments.len() as u64);
    let mut text = lang.format("summary-gaps", &args);
    if !shown.is_empty() {
        text.push_str(": ");
        text.push_str(&lang.list(&shown));
    }
    if sites.gaps.len() > shown.len() {
        let more = Args::new().count("more", (sites.gaps.len() - shown.len()) as u64);
        text.push_str(&lang.list(&["", &lang.format("summary-gaps-more", &more)]));
    }
    line(out, lang, "gaps", &text)
}

/// One row per region (the first few): size, catchments, mean distance, and with
/// applicants the awarded catchments and gaps. Columns are measured by display width, so
/// names in any script line up.
fn print_regions(out: &mut impl Write, plan: &Plan, sites: Option<&SitePlan>) -> Result<()> {
    let lang = plan.config.lang;
    let awarded = sites.map(|s| {
        (
            plan.count_per_region(s.awarded_catchments()),
            plan.count_per_region(s.gaps.iter().copied()),
        )
    });
    let mean = plan.mean_distance_per_region();
    let head = |id: &str| lang.tr(&format!("summary-region{id}"));
    let w = [
        24,
        head("-households").width().max(10),
        head("-catchments").width().max(10),
        head("-sizes").width().max(9),
        head("-mean").width().max(8),
        head("-awarded").width().max(7),
        head("-gaps").width().max(4),
    ];
    let mut header = format!(
        "  {} {} {} {} {}",
        pad_end(&head(""), w[0]),
        pad_start(&head("-households"), w[1]),
        pad_start(&head("-catchments"), w[2]),
        pad_start(&head("-sizes"), w[3]),
        pad_start(&head("-mean"), w[4]),
    );
    if awarded.is_some() {
        header.push_str(&format!(
            "  {}  {}",
            pad_start(&head("-awarded"), w[5]),
            pad_start(&head("-gaps"), w[6])
        ));
    }
    writeln!(out, "{header}")?;
    for (r, info) in plan.regions.iter().enumerate().take(REGIONS_SHOWN) {
        let sizes = format!("{}–{}", lang.count(info.smallest), lang.count(info.largest));
        let mut row = format!(
            "  {} {} {} {} {}",
            pad_end(&truncate(&info.name, w[0]), w[0]),
            pad_start(&lang.count(info.households), w[1]),
            pad_start(&lang.count(info.catchments as u64), w[2]),
            pad_start(&sizes, w[3]),
            pad_start(&lang.count(mean[r].round().max(0.0) as u64), w[4]),
        );
        if let Some((a, gaps)) = &awarded {
            row.push_str(&format!(
                "  {}  {}",
                pad_start(&lang.count(a[r] as u64), w[5]),
                pad_start(&lang.count(gaps[r] as u64), w[6])
            ));
        }
        writeln!(out, "{row}")?;
    }
    if plan.regions.len() > REGIONS_SHOWN {
        let more = Args::new().count("more", (plan.regions.len() - REGIONS_SHOWN) as u64);
        writeln!(out, "  {}", lang.format("summary-regions-more", &more))?;
    }
    Ok(())
}
