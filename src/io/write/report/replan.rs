//! A re-plan's section (SPEC §8): churn per region, moves counted by reason, the
//! catchments added or to re-tender, closed centers and regions with too many centers.
//! Moves appear only as counts: no household id and no household location.

use super::context::Context;
use super::html::{Cell, Table, esc};
use super::tables::{count, head};
use crate::lang::Args;
use crate::plan::{Change, Churn, MoveReason, Replan};

/// Every move reason, in the order the page lists them.
const REASONS: [MoveReason; 5] = [
    MoveReason::NewCatchment,
    MoveReason::Rebalanced,
    MoveReason::CenterClosed,
    MoveReason::NewHousehold,
    MoveReason::Left,
];

/// A row of the churn table: stayed, moved, the share moved, new and gone.
fn churn_row(ctx: &Context, name: String, c: &Churn) -> Vec<Cell> {
    vec![
        Cell::text(name),
        count(ctx, c.stayed),
        count(ctx, c.moved),
        Cell::number(ctx.lang.percent(c.moved_share(), 1), c.moved_share()),
        count(ctx, c.new),
        count(ctx, c.left),
    ]
}

/// A subheading and what it heads.
fn part(ctx: &Context, heading: &str, body: &str) -> String {
    format!("<h3>{}</h3>\n{body}", esc(&ctx.lang.tr(heading)))
}

/// The opening sentence: the previous plan, households moved, new and gone.
fn intro(ctx: &Context, r: &Replan) -> String {
    let (l, t) = (ctx.lang, &r.total);
    let args = Args::new()
        .text("source", r.source.clone())
        .count("moved", t.moved)
        .count("both", t.moved + t.stayed)
        .text("share", l.percent(t.moved_share(), 1))
        .count("new", t.new)
        .count("left", t.left);
    format!("<p>{}</p>\n", esc(&l.format("report-replan-intro", &args)))
}

/// Churn per region, with a total row when there are several regions.
fn churn_table(ctx: &Context, r: &Replan) -> String {
    let l = ctx.lang;
    let mut churn = Table::new(
        "churn-table",
        head(
            ctx,
            &[
                "report-col-region",
                "report-col-stayed",
                "report-col-moved",
                "report-col-moved-share",
                "report-col-new-households",
                "report-col-left",
            ],
        ),
    );
    for (i, c) in r.regions.iter().enumerate() {
        let planned = ctx.plan.regions.get(i).map_or("", |r| &r.name);
        let name = if planned.is_empty() {
            &c.region
        } else {
            planned
        };
        churn
            .rows
            .push((None, churn_row(ctx, ctx.region_label(name), c)));
    }
    if r.regions.len() > 1 {
        churn
            .rows
            .push((None, churn_row(ctx, l.tr("report-total"), &r.total)));
    }
    part(ctx, "report-churn", &churn.html())
}

/// Households moved, counted by reason (every reason listed, zero or not).
fn moves_table(ctx: &Context, r: &Replan) -> String {
    let l = ctx.lang;
    let mut by_reason = [0u64; REASONS.len()];
    for m in &r.moves {
        if let Some(k) = REASONS.iter().position(|&x| x == m.reason) {
            by_reason[k] += u64::from(m.weight);
        }
    }
    let mut moves = Table::new(
        "moves-table",
        head(ctx, &["report-col-reason", "report-col-reason-count"]),
    );
    for (reason, n) in REASONS.iter().zip(by_reason) {
        moves.rows.push((
            Some(format!("moves-{}", reason.name())),
            vec![
                Cell::text(l.tr(&format!("report-move-{}", reason.name()))),
                count(ctx, n),
            ],
        ));
    }
    part(ctx, "report-moves", &moves.html())
}

/// The catchments added or to re-tender ("none" when there are none).
fn changes_table(ctx: &Context, r: &Replan) -> String {
    let l = ctx.lang;
    let mut changes = Table::new(
        "changes-table",
        head(
            ctx,
            &[
                "report-col-catchment",
                "report-col-region",
                "report-col-change",
                "report-col-households",
            ],
        ),
    );
    for (c, change) in ctx.plan.catchments.iter().zip(&r.catchments) {
        if matches!(change.change, Change::New | Change::ReTender) {
            changes.rows.push((
                None,
                vec![
                    Cell::code(c.id.clone()),
                    Cell::text(ctx.region_name(c.region)),
                    Cell::text(l.tr(&format!("report-change-{}", change.change.name()))),
                    count(ctx, c.households),
                ],
            ));
        }
    }
    if changes.rows.is_empty() {
        part(
            ctx,
            "report-changes",
            &format!("<p>{}</p>\n", esc(&l.tr("report-none"))),
        )
    } else {
        part(ctx, "report-changes", &changes.html())
    }
}

/// Regions with more centers than needed and the pairs that could merge; `None` when
/// there are none.
fn oversupply_table(ctx: &Context, r: &Replan) -> Option<String> {
    if r.oversupply.is_empty() {
        return None;
    }
    let mut over = Table::new(
        "oversupply-table",
        head(
            ctx,
            &[
                "report-col-region",
                "report-col-centers",
                "report-col-needed",
                "report-col-households",
                "report-col-merge",
            ],
        ),
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
                Cell::text(ctx.region_label(&o.region)),
                count(ctx, o.centers as u64),
                count(ctx, o.needed as u64),
                count(ctx, o.households),
                Cell::code(pairs.join(", ")),
            ],
        ));
    }
    Some(part(ctx, "report-oversupply", &over.html()))
}

/// The re-plan section's body; `None` for a plan from scratch.
pub(super) fn replan(ctx: &Context) -> Option<String> {
    let r = ctx.plan.replan.as_ref()?;
    let mut out = intro(ctx, r);
    out.push_str(&churn_table(ctx, r));
    out.push_str(&moves_table(ctx, r));
    out.push_str(&changes_table(ctx, r));
    if !r.closed.is_empty() {
        out.push_str(&part(
            ctx,
            "report-closed",
            &format!(
                "<p class=\"code\" dir=\"ltr\">{}</p>\n",
                esc(&r.closed.join(", "))
            ),
        ));
    }
    if let Some(over) = oversupply_table(ctx, r) {
        out.push_str(&over);
    }
    Some(out)
}
