//! A re-plan's section (SPEC §8): churn per region, moves counted by reason, the
//! catchments added or to re-tender, closed centers and regions with too many centers.
//! Moves appear only as counts: no household id and no household location.

use super::context::Context;
use super::html::{Cell, Table, esc};
use crate::lang::Args;
use crate::plan::{Change, Churn, MoveReason};

/// Every move reason, in the order the page lists them.
const REASONS: [MoveReason; 5] = [
    MoveReason::NewCatchment,
    MoveReason::Rebalanced,
    MoveReason::CenterClosed,
    MoveReason::NewHousehold,
    MoveReason::Left,
];

fn churn_row(ctx: &Context, name: String, c: &Churn) -> Vec<Cell> {
    let l = ctx.lang;
    let n = |x: u64| Cell::number(l.count(x), x as f64);
    vec![
        Cell::text(name),
        n(c.stayed),
        n(c.moved),
        Cell::number(l.percent(c.moved_share(), 1), c.moved_share()),
        n(c.new),
        n(c.left),
    ]
}

/// The re-plan section's body; `None` for a plan from scratch.
pub(super) fn replan(ctx: &Context) -> Option<String> {
    let r = ctx.plan.replan.as_ref()?;
    let l = ctx.lang;
    let t = &r.total;
    let mut out = format!(
        "<p>{}</p>\n",
        esc(&l.format(
            "report-replan-intro",
            &Args::new()
                .text("source", r.source.clone())
                .count("moved", t.moved)
                .count("both", t.moved + t.stayed)
                .text("share", l.percent(t.moved_share(), 1))
                .count("new", t.new)
                .count("left", t.left),
        ))
    );

    let head = |ids: &[&str]| ids.iter().map(|id| l.tr(id)).collect::<Vec<_>>();
    let mut churn = Table::new(
        "churn-table",
        head(&[
            "report-col-region",
            "report-col-stayed",
            "report-col-moved",
            "report-col-moved-share",
            "report-col-new-households",
            "report-col-left",
        ]),
    );
    for (i, c) in r.regions.iter().enumerate() {
        let name = match ctx.plan.regions.get(i) {
            Some(info) if !info.name.is_empty() => info.name.clone(),
            _ if !c.region.is_empty() => c.region.clone(),
            _ => l.tr("report-region-all"),
        };
        churn.rows.push((None, churn_row(ctx, name, c)));
    }
    if r.regions.len() > 1 {
        churn
            .rows
            .push((None, churn_row(ctx, l.tr("report-total"), t)));
    }
    out.push_str(&format!("<h3>{}</h3>\n", esc(&l.tr("report-churn"))));
    out.push_str(&churn.html());

    let mut by_reason = [0u64; REASONS.len()];
    for m in &r.moves {
        if let Some(k) = REASONS.iter().position(|&x| x == m.reason) {
            by_reason[k] += u64::from(m.weight);
        }
    }
    let mut moves = Table::new(
        "moves-table",
        head(&["report-col-reason", "report-col-reason-count"]),
    );
    for (reason, n) in REASONS.iter().zip(by_reason) {
        moves.rows.push((
            Some(format!("moves-{}", reason.name())),
            vec![
                Cell::text(l.tr(&format!("report-move-{}", reason.name()))),
                Cell::number(l.count(n), n as f64),
            ],
        ));
    }
    out.push_str(&format!("<h3>{}</h3>\n", esc(&l.tr("report-moves"))));
    out.push_str(&moves.html());

    let mut changes = Table::new(
        "changes-table",
        head(&[
            "report-col-catchment",
            "report-col-region",
            "report-col-change",
            "report-col-households",
        ]),
    );
    for (c, change) in ctx.plan.catchments.iter().zip(&r.catchments) {
        if matches!(change.change, Change::New | Change::ReTender) {
            changes.rows.push((
                None,
                vec![
                    Cell::code(c.id.clone()),
                    Cell::text(ctx.region_name(c.region)),
                    Cell::text(l.tr(&format!("report-change-{}", change.change.name()))),
                    Cell::number(l.count(c.households), c.households as f64),
                ],
            ));
        }
    }
    out.push_str(&format!("<h3>{}</h3>\n", esc(&l.tr("report-changes"))));
    if changes.rows.is_empty() {
        out.push_str(&format!("<p>{}</p>\n", esc(&l.tr("report-none"))));
    } else {
        out.push_str(&changes.html());
    }

    if !r.closed.is_empty() {
        out.push_str(&format!(
            "<h3>{}</h3>\n<p class=\"code\" dir=\"ltr\">{}</p>\n",
            esc(&l.tr("report-closed")),
            esc(&r.closed.join(", "))
        ));
    }
    if !r.oversupply.is_empty() {
        let mut over = Table::new(
            "oversupply-table",
            head(&[
                "report-col-region",
                "report-col-centers",
                "report-col-needed",
                "report-col-households",
                "report-col-merge",
            ]),
        );
        for o in &r.oversupply {
            let pairs: Vec<String> = o
                .merge_candidates
                .iter()
                .map(|(a, b)| format!("{a} + {b}"))
                .collect();
            over.rows.push((
                None,
                vec![
                    Cell::text(if o.region.is_empty() {
                        l.tr("report-region-all")
                    } else {
                        o.region.clone()
                    }),
                    Cell::number(l.count(o.centers as u64), o.centers as f64),
                    Cell::number(l.count(o.needed as u64), o.needed as f64),
                    Cell::number(l.count(o.households), o.households as f64),
                    Cell::code(pairs.join(", ")),
                ],
            ));
        }
        out.push_str(&format!("<h3>{}</h3>\n", esc(&l.tr("report-oversupply"))));
        out.push_str(&over.html());
    }
    Some(out)
}
