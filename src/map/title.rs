//! The title block above the map (title, area and date, the plan's counts) and the
//! footnote under it (projection, datum, version).

use svg::node::element::{Element, Group, Line};

use crate::plan::Plan;
use crate::text::thousands;

use super::colour::MUTED;
use super::format::{Set, degrees, fit, plural, px, text};
use super::layout::Layout;
use super::{Counts, MapOptions};

/// The title, the subtitle (the area planned and the date), the counts line and a rule
/// under them.
pub(super) fn title_block(plan: &Plan, options: &MapOptions, lay: &Layout, n: &Counts) -> Group {
    let u = lay.u;
    let x = lay.margin;
    let width = lay.width - 2.0 * lay.margin;
    let area = area_names(plan);
    let subtitle: Vec<&str> = [area.as_str(), options.date.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let line = counts_line(n);
    Group::new()
        .set("id", "title-block")
        .add(
            text(
                x,
                lay.margin + 26.0 * u,
                26.0 * u,
                &fit(&options.title, 26.0 * u, width),
            )
            .set("font-weight", "bold"),
        )
        .add(
            text(
                x,
                lay.margin + 52.0 * u,
                15.0 * u,
                &fit(&subtitle.join(" · "), 15.0 * u, width),
            )
            .set("data-role", "subtitle"),
        )
        .add(
            text(
                x,
                lay.margin + 76.0 * u,
                14.0 * u,
                &fit(&line.join(" · "), 14.0 * u, width),
            )
            .set("fill", MUTED)
            .set("data-role", "counts"),
        )
        .add(
            Line::new()
                .set("x1", px(x))
                .set("x2", px(x + width))
                .set("y1", px(lay.frame.y - 8.0 * u))
                .set("y2", px(lay.frame.y - 8.0 * u))
                .set("stroke", "#cbd2d9")
                .set("stroke-width", px(u)),
        )
}

/// The regions' names: up to four listed, more summed up with the first three and the
/// last; empty when the regions have no names.
fn area_names(plan: &Plan) -> String {
    let names: Vec<&str> = plan
        .regions
        .iter()
        .map(|r| r.name.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    let by = plan.region_columns.join(" / ");
    match names.len() {
        0 => String::new(),
        1..=4 => names.join(", "),
        k => {
            let what = if by.is_empty() {
                "regions".to_string()
            } else {
                format!("regions by {by}")
            };
            format!("{k} {what}: {}, … {}", names[..3].join(", "), names[k - 1])
        }
    }
}

/// The counts line's parts: catchments, households and, with applicants, awarded sites
/// and gaps.
fn counts_line(n: &Counts) -> Vec<String> {
    let mut line = vec![
        plural(n.catchments, "catchment", "catchments"),
        format!("{} households", thousands(n.households)),
    ];
    if n.existing > 0 {
        line.push(plural(n.existing, "existing center", "existing centers"));
    }
    if n.has_sites {
        line.push(format!("{} awarded", thousands(n.awarded as u64)));
        line.push(plural(n.gaps, "gap", "gaps"));
    } else {
        line.push("no applicants yet: ideal centers only".into());
    }
    line
}

/// The note under the map: projection, datum, what the colours mean, and the version.
pub(super) fn footnote(lay: &Layout) -> Element {
    let (u, frame) = (lay.u, lay.frame);
    let note = format!(
        "Equirectangular projection, true to scale at {} · WGS 84 · catchment colours only tell neighbours apart · siting {}",
        degrees(lay.view.lat0, 0.1, 'N', 'S'),
        env!("CARGO_PKG_VERSION")
    );
    text(
        frame.x,
        frame.y + frame.h + 22.0 * u,
        11.0 * u,
        &fit(&note, 11.0 * u, lay.width - 2.0 * lay.margin),
    )
    .set("fill", MUTED)
}
