//! The title block above the map (title, area and date, the plan's counts) and the
//! footnote under it (projection, datum, version).

use svg::node::element::{Element, Group, Line};

use crate::lang::{Args, Lang, has_rtl, isolate};
use crate::plan::Plan;

use super::colour::MUTED;
use super::format::{Set, degrees, fit, px, start_x, text};
use super::layout::Layout;
use super::{Counts, MapOptions};

/// The title, the subtitle (the area planned and the date), the counts line and a rule
/// under them; right-aligned in a right-to-left language.
pub(super) fn title_block(plan: &Plan, options: &MapOptions, lay: &Layout, n: &Counts) -> Group {
    let (u, lang) = (lay.u, plan.config.lang);
    let width = lay.width - 2.0 * lay.margin;
    let x = start_x(lang, lay.margin, lay.width - lay.margin);
    let line = counts_line(lang, n);
    Group::new()
        .set("id", "title-block")
        .add(
            text(
                x,
                lay.margin + 26.0 * u,
                26.0 * u,
                &fit(&options.title_in(lang), 26.0 * u, width),
            )
            .set("font-weight", "bold"),
        )
        .add(
            text(
                x,
                lay.margin + 52.0 * u,
                15.0 * u,
                &fit(&subtitle(plan, &options.date), 15.0 * u, width),
            )
            .set("data-role", "subtitle"),
        )
        .add(
            text(
                x,
                lay.margin + 76.0 * u,
                14.0 * u,
                &fit(&line.join(lang.separator()), 14.0 * u, width),
            )
            .set("fill", MUTED)
            .set("data-role", "counts"),
        )
        .add(
            Line::new()
                .set("x1", px(lay.margin))
                .set("x2", px(lay.margin + width))
                .set("y1", px(lay.frame.y - 8.0 * u))
                .set("y2", px(lay.frame.y - 8.0 * u))
                .set("stroke", "#cbd2d9")
                .set("stroke-width", px(u)),
        )
}

/// The subtitle: the area planned and the `date` (ISO; either may be empty), joined by a
/// middle dot. When the line mixes directions (a Persian plan, or Persian names in an
/// English one) the names and the date are isolated, so no renderer reorders the date.
pub(super) fn subtitle(plan: &Plan, date: &str) -> String {
    let lang = plan.config.lang;
    let area = area_names(plan);
    let date = if date.is_empty() {
        String::new()
    } else if lang.is_rtl() || has_rtl(&area) {
        isolate(&lang.date(date))
    } else {
        date.to_string()
    };
    [area, date]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(lang.separator())
}

/// The regions' names: up to four listed, more summed up with the first three and the
/// last; empty when the regions have no names. Each name is isolated where the line mixes
/// directions ([`Lang::embed`]).
fn area_names(plan: &Plan) -> String {
    let lang = plan.config.lang;
    let names: Vec<String> = plan
        .regions
        .iter()
        .map(|r| r.name.as_str())
        .filter(|n| !n.is_empty())
        .map(|n| lang.embed(n))
        .collect();
    let by = plan.region_columns.join(" / ");
    match names.len() {
        0 => String::new(),
        1..=4 => lang.list(&names),
        k => {
            let more = Args::new()
                .text("first", lang.list(&names[..3]))
                .text("last", names[k - 1].clone());
            let args = Args::new()
                .count("regions", k as u64)
                .text("names", lang.format("map-area-more", &more));
            if by.is_empty() {
                lang.format("map-area-regions", &args)
            } else {
                lang.format("map-area-regions-by", &args.text("by", lang.embed(&by)))
            }
        }
    }
}

/// The counts line's parts: catchments, households and, with applicants, awarded sites
/// and gaps.
fn counts_line(lang: Lang, n: &Counts) -> Vec<String> {
    let count = |id: &str, k: u64| lang.format(id, &Args::new().count("n", k));
    let mut line = vec![
        count("map-count-catchments", n.catchments as u64),
        count("map-count-households", n.households),
    ];
    if n.existing > 0 {
        line.push(count("map-count-existing", n.existing as u64));
    }
    if n.has_sites {
        line.push(count("map-count-awarded", n.awarded as u64));
        line.push(count("map-count-gaps", n.gaps as u64));
    } else {
        line.push(lang.tr("map-count-no-applicants"));
    }
    line
}

/// The note under the map: projection, datum, what the colours mean, and the version.
pub(super) fn footnote(lang: Lang, lay: &Layout) -> Element {
    let (u, frame) = (lay.u, lay.frame);
    let args = Args::new()
        .text("lat", degrees(lang, lay.view.lat0, 0.1, true))
        .text("version", env!("CARGO_PKG_VERSION"));
    let note = lang.format("map-footnote", &args);
    text(
        start_x(lang, frame.x, lay.width - lay.margin),
        frame.y + frame.h + 22.0 * u,
        11.0 * u,
        &fit(&note, 11.0 * u, lay.width - 2.0 * lay.margin),
    )
    .set("fill", MUTED)
}
