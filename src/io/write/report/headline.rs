//! The page's headline: households, catchments and their sizes, distances, awarded
//! catchments and gaps, applicants, and the two award rules side by side (as the terminal
//! summary shows them).

use std::fmt::Write as _;

use super::context::Context;
use super::html::{Cell, Table, esc};
use crate::config::AwardRule;
use crate::lang::Args;

/// One headline figure: a label, the figure, and a line of detail.
fn card(label: &str, value: &str, detail: &str, class: &str) -> String {
    format!(
        "<div class=\"card {class}\"><div class=\"label\">{}</div><div class=\"value\">{}</div>\
         <div class=\"detail\">{}</div></div>\n",
        esc(label),
        esc(value),
        esc(detail)
    )
}

/// The headline cards.
pub(super) fn headline(ctx: &Context) -> String {
    let (plan, l) = (ctx.plan, ctx.lang);
    let m = &plan.metrics;
    let mut out = String::from("<div class=\"cards\">\n");
    out.push_str(&card(
        &l.tr("report-households"),
        &l.count(m.households),
        &l.format(
            "report-households-detail",
            &Args::new()
                .count("rows", m.rows as u64)
                .count("regions", plan.regions.len() as u64),
        ),
        "",
    ));
    let (lo, hi) = plan.size_bounds();
    out.push_str(&card(
        &l.tr("report-catchments"),
        &l.count(m.catchments as u64),
        &l.format(
            "report-sizes",
            &Args::new()
                .count("smallest", m.smallest_catchment)
                .count("largest", m.largest_catchment)
                .count("min", lo)
                .count("max", hi),
        ),
        "",
    ));
    out.push_str(&card(
        &l.tr("report-distance"),
        &l.format(
            "report-metres",
            &Args::new().text("value", l.decimal(m.mean_distance_m, 0)),
        ),
        &l.format(
            "report-distance-detail",
            &Args::new()
                .text("mean", l.decimal(m.mean_distance_m, 0))
                .text("p90", l.decimal(m.p90_distance_m, 0))
                .text("max", l.decimal(m.max_distance_m, 0)),
        ),
        "",
    ));
    if let Some(sites) = ctx.sites {
        let t = &sites.award.totals;
        out.push_str(&card(
            &l.tr("report-awarded"),
            &l.count(t.catchments_awarded as u64),
            &l.format(
                "report-awarded-detail",
                &Args::new()
                    .count("awarded", t.catchments_awarded as u64)
                    .count("catchments", m.catchments as u64)
                    .count("served", t.households_served),
            ),
            "",
        ));
        out.push_str(&card(
            &l.tr("report-gaps-headline"),
            &l.count(sites.gaps.len() as u64),
            &l.tr("report-gaps-detail"),
            if sites.gaps.is_empty() { "" } else { "alert" },
        ));
        out.push_str(&card(
            &l.tr("report-applicants-headline"),
            &l.count(sites.applicants.len() as u64),
            &l.format(
                "report-applicants-detail",
                &Args::new()
                    .count("eligible", sites.eligible_applicants() as u64)
                    .count("proposals", sites.proposals.len() as u64)
                    .count("outside", sites.proposals_outside() as u64),
            ),
            "",
        ));
    }
    out.push_str("</div>\n");
    out
}

/// The rule's name in the page's language.
fn rule_name(ctx: &Context, rule: AwardRule) -> String {
    ctx.lang.tr(&format!("report-rule-{}", rule.name()))
}

/// The two award rules side by side, the rule used marked; empty without applicants.
pub(super) fn rules(ctx: &Context) -> String {
    let Some(sites) = ctx.sites else {
        return String::new();
    };
    let l = ctx.lang;
    let mut table = Table::new(
        "award-rules",
        [
            "report-rule",
            "report-rule-catchments",
            "report-rule-applicants",
            "report-rule-served",
            "report-rule-efficiency",
            "report-rule-access",
        ]
        .iter()
        .map(|id| l.tr(id))
        .collect(),
    );
    for (rule, t) in &sites.comparison {
        let mut name = rule_name(ctx, *rule);
        if *rule == sites.award.rule {
            let _ = write!(name, " {}", l.tr("report-rule-used"));
        }
        table.rows.push((
            None,
            vec![
                Cell::text(name),
                Cell::number(
                    l.count(t.catchments_awarded as u64),
                    t.catchments_awarded as f64,
                ),
                Cell::number(
                    l.count(t.applicants_awarded as u64),
                    t.applicants_awarded as f64,
                ),
                Cell::number(l.count(t.households_served), t.households_served as f64),
                Cell::number(l.decimal(t.mean_efficiency, 3), t.mean_efficiency),
                Cell::number(l.decimal(t.access, 0), t.access),
            ],
        ));
    }
    format!("<h3>{}</h3>\n{}", esc(&l.tr("report-rules")), table.html())
}
