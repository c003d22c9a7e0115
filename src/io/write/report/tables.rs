//! The page's tables: catchments (sortable, the figures of `catchments.geojson`), gaps
//! (with the ideal center's coordinates, for the second call), applicants (outcome,
//! catchment, preference and reason; searchable by id), regions and warnings.

use super::context::{Context, SiteStatus};
use super::html::{Cell, Table, esc};
use crate::sites::ProposalStatus;

/// Headers from message ids.
pub(super) fn head(ctx: &Context, ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| ctx.lang.tr(id)).collect()
}

/// A whole number as a cell.
pub(super) fn count(ctx: &Context, n: u64) -> Cell {
    Cell::number(ctx.lang.count(n), n as f64)
}

/// A figure with `places` decimals as a cell.
fn decimal(ctx: &Context, x: f64, places: usize) -> Cell {
    Cell::number(ctx.lang.decimal(x, places), x)
}

/// A longitude or latitude with 6 decimals (about 10 cm), as the layers write it.
fn coordinate(x: f64) -> Cell {
    Cell {
        sort: Some(format!("{x}")),
        ..Cell::code(format!("{x:.6}"))
    }
}

/// True when the plan has more than one region (a region column is worth showing).
fn many_regions(ctx: &Context) -> bool {
    ctx.plan.regions.len() > 1
}

/// The catchments table: one row per catchment, with its figures and site.
pub(super) fn catchments(ctx: &Context) -> String {
    let l = ctx.lang;
    let mut ids = vec!["report-col-catchment"];
    if many_regions(ctx) {
        ids.push("report-col-region");
    }
    ids.extend([
        "report-col-households",
        "report-col-mean",
        "report-col-p90",
        "report-col-max",
        "report-col-area",
    ]);
    if ctx.has_site_status() {
        ids.extend(["report-col-status", "report-col-applicant"]);
    }
    if ctx.plan.replan.is_some() {
        ids.push("report-col-change");
    }
    let mut table = Table::new("catchments-table", head(ctx, &ids));
    table.sortable = true;
    for (c, s) in ctx.plan.catchments.iter().zip(&ctx.catchment_sites) {
        let mut cells = vec![Cell::code(c.id.clone())];
        if many_regions(ctx) {
            cells.push(Cell::text(ctx.region_name(c.region)));
        }
        cells.extend([
            count(ctx, c.households),
            decimal(ctx, c.distance.mean_m, 0),
            decimal(ctx, c.distance.p90_m, 0),
            decimal(ctx, c.distance.max_m, 0),
            decimal(ctx, c.area_km2, 1),
        ]);
        if ctx.has_site_status() {
            let status = match s.status {
                SiteStatus::Unknown => String::new(),
                st => l.tr(&format!("report-status-{}", st.name())),
            };
            cells.push(Cell::text(status));
            cells.push(Cell::code(s.applicant.unwrap_or("")));
        }
        if ctx.plan.replan.is_some() {
            cells.push(Cell::text(s.change.map_or(String::new(), |c| {
                l.tr(&format!("report-change-{}", c.name()))
            })));
        }
        table
            .rows
            .push((Some(format!("catchment-{}", c.id)), cells));
    }
    table.html()
}

/// The gaps table: catchments without a center, with the ideal center's longitude and
/// latitude and the proposals they received.
pub(super) fn gaps(ctx: &Context) -> String {
    let l = ctx.lang;
    let Some(sites) = ctx.sites else {
        return format!("<p>{}</p>\n", esc(&l.tr("report-gaps-no-applicants")));
    };
    if sites.gaps.is_empty() {
        return format!("<p>{}</p>\n", esc(&l.tr("report-gaps-none")));
    }
    let mut received = vec![(0u64, 0u64); ctx.plan.catchments.len()];
    for (s, status) in sites.proposals.iter().zip(&sites.award.proposal_status) {
        if let Some(r) = s.catchment().and_then(|c| received.get_mut(c as usize)) {
            r.0 += 1;
            let acceptable = !matches!(
                status,
                ProposalStatus::BelowMinEfficiency | ProposalStatus::Ineligible
            );
            r.1 += u64::from(acceptable);
        }
    }
    let mut ids = vec!["report-col-catchment"];
    if many_regions(ctx) {
        ids.push("report-col-region");
    }
    ids.extend([
        "report-col-households",
        "report-col-center-lon",
        "report-col-center-lat",
        "report-col-proposals",
        "report-col-acceptable",
    ]);
    let mut table = Table::new("gaps-table", head(ctx, &ids));
    table.sortable = true;
    for &g in &sites.gaps {
        let Some(c) = ctx.plan.catchments.get(g as usize) else {
            continue;
        };
        let mut cells = vec![Cell::code(c.id.clone())];
        if many_regions(ctx) {
            cells.push(Cell::text(ctx.region_name(c.region)));
        }
        let (n, ok) = received[g as usize];
        cells.extend([
            count(ctx, c.households),
            // Coordinates are for copying into a GIS or a call for applications: machine
            // values, in Latin digits like the layers.
            coordinate(c.center.lon),
            coordinate(c.center.lat),
            count(ctx, n),
            count(ctx, ok),
        ]);
        table.rows.push((Some(format!("gap-{}", c.id)), cells));
    }
    table.html()
}

/// The applicants table: outcome, awarded catchment(s) and preference(s), and the reason.
pub(super) fn applicants(ctx: &Context) -> Option<String> {
    let sites = ctx.sites?;
    let l = ctx.lang;
    let mut table = Table::new(
        "applicants-table",
        head(
            ctx,
            &[
                "report-col-applicant",
                "report-col-outcome",
                "report-col-catchment",
                "report-col-preference",
                "report-col-reason",
            ],
        ),
    );
    table.sortable = true;
    for (a, result) in sites.applicants.items.iter().zip(&sites.award.applicants) {
        let won: Vec<_> = result
            .awarded
            .iter()
            .filter_map(|&i| sites.proposals.get(i))
            .collect();
        let catchments: Vec<&str> = won
            .iter()
            .filter_map(|s| s.catchment())
            .filter_map(|c| ctx.plan.catchments.get(c as usize))
            .map(|c| c.id.as_str())
            .collect();
        let preferences: Vec<String> = won
            .iter()
            .map(|s| l.count(u64::from(s.preference)))
            .collect();
        let first_preference = won.first().map_or(0.0, |s| f64::from(s.preference));
        table.rows.push((
            Some(format!("applicant-{}", a.id)),
            vec![
                Cell::code(a.id.clone()),
                Cell::text(l.tr(&format!("report-outcome-{}", result.outcome.name()))),
                Cell::code(catchments.join(", ")),
                Cell::number(l.list(&preferences), first_preference),
                Cell::text(result.reason.clone()),
            ],
        ));
    }
    let total = sites.applicants.len() as u64;
    Some(format!(
        "<div class=\"search no-print\"><label><span>{}</span> \
         <input type=\"search\" id=\"applicant-search\" dir=\"ltr\" autocomplete=\"off\"></label> \
         <span id=\"applicant-count\" data-total=\"{total}\">{}</span></div>\n{}",
        esc(&l.tr("report-search")),
        esc(&l.format(
            "report-search-count",
            &crate::lang::Args::new()
                .count("shown", total)
                .count("total", total)
        )),
        table.html()
    ))
}

/// The regions table: size, catchments, bounds and sizes reached, mean distance, the
/// balancing diagnostics, and with applicants the gaps.
pub(super) fn regions(ctx: &Context) -> String {
    let l = ctx.lang;
    let plan = ctx.plan;
    let k = plan.regions.len();
    let mean = plan.mean_distance_per_region();
    let gaps = ctx
        .sites
        .map(|s| plan.count_per_region(s.gaps.iter().copied()));
    let mut ids = vec![
        "report-col-region",
        "report-col-households",
        "report-col-catchments",
        "report-col-bounds",
        "report-col-range",
        "report-col-mean",
        "report-col-iterations",
        "report-col-converged",
        "report-col-balanced",
    ];
    if ctx.sites.is_some() {
        ids.push("report-col-gaps");
    }
    let mut table = Table::new("regions-table", head(ctx, &ids));
    table.sortable = k > 1;
    let yes_no = |b: bool| Cell::text(l.tr(if b { "report-yes" } else { "report-no" }));
    for (r, info) in plan.regions.iter().enumerate() {
        let mut cells = vec![
            Cell::text(ctx.region_name(r as u32)),
            count(ctx, info.households),
            count(ctx, info.catchments as u64),
            Cell::number(
                format!("{}–{}", l.count(info.min_size), l.count(info.max_size)),
                info.min_size as f64,
            ),
            Cell::number(
                format!("{}–{}", l.count(info.smallest), l.count(info.largest)),
                info.smallest as f64,
            ),
            decimal(ctx, mean[r], 0),
            count(ctx, info.iterations as u64),
            yes_no(info.converged),
            yes_no(info.balanced),
        ];
        if let Some(gaps) = &gaps {
            cells.push(count(ctx, gaps[r] as u64));
        }
        table.rows.push((None, cells));
    }
    table.html()
}

/// The warnings: region, input line and what to check.
pub(super) fn warnings(ctx: &Context) -> String {
    let l = ctx.lang;
    if ctx.plan.warnings.is_empty() {
        return format!("<p>{}</p>\n", esc(&l.tr("report-warnings-none")));
    }
    let mut table = Table::new(
        "warnings-table",
        head(
            ctx,
            &["report-col-region", "report-col-line", "report-col-message"],
        ),
    );
    for w in &ctx.plan.warnings {
        table.rows.push((
            None,
            vec![
                Cell::text(ctx.region_label(&w.region)),
                w.line.map_or(Cell::text(""), |n| count(ctx, n)),
                Cell::text(w.message.clone()),
            ],
        ));
    }
    table.html()
}
