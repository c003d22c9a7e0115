//! The page template: `<html lang dir>`, the head with every style inline, the title
//! block, the contents, each section in order, the map's data and the scripts.

use std::fmt::Write as _;

use super::assets::{leaflet_js, report_js, styles};
use super::audit::audit;
use super::context::Context;
use super::data::{MapData, script_json};
use super::headline::{headline, rules};
use super::html::esc;
use super::replan::replan;
use super::tables;
use crate::lang::Args;
use crate::map::{CHANGE_INK, EXISTING_BLUE, GAP_INK, SITE_BLUE, TEXT_INK};

/// The texts and colours the script needs besides the map data.
#[derive(Debug, serde::Serialize)]
struct Extras<'a> {
    #[serde(flatten)]
    map: MapData<'a>,
    labels: Labels,
    inks: Inks,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Labels {
    /// `… of … applicants shown`, with `{shown}` and `{total}` to fill in.
    search_count: String,
    /// A proposal's tooltip, with `{applicant}` and `{preference}`.
    proposal: String,
    /// The background map's credit line.
    basemap: String,
    /// Metres and kilometres, for the scale bar.
    m: String,
    km: String,
}

#[derive(Debug, serde::Serialize)]
struct Inks {
    gap: &'static str,
    change: &'static str,
    existing: &'static str,
    site: &'static str,
}

/// One section: its anchor, heading, optional hint and body.
fn section(id: &str, heading: &str, hint: Option<&str>, body: &str) -> String {
    let mut out = format!("<section id=\"{id}\">\n<h2>{}</h2>\n", esc(heading));
    if let Some(h) = hint {
        let _ = writeln!(out, "<p class=\"hint no-print\">{}</p>", esc(h));
    }
    out.push_str(body);
    out.push_str("</section>\n");
    out
}

/// A legend entry: a small swatch and its label, with a layer switch when `layer` is
/// given.
fn legend_entry(swatch: &str, label: &str, layer: Option<&str>) -> String {
    let svg = format!(
        "<svg width=\"22\" height=\"16\" viewBox=\"0 0 22 16\" aria-hidden=\"true\">{swatch}</svg>"
    );
    match layer {
        Some(layer) => format!(
            "<li><label><input type=\"checkbox\" class=\"no-print\" data-layer=\"{layer}\" checked>{svg}<span>{}</span></label></li>\n",
            esc(label)
        ),
        None => format!("<li>{svg}<span>{}</span></li>\n", esc(label)),
    }
}

/// The map section: the map's element, the reset button and the legend.
fn map_section(ctx: &Context, fills: &[&'static str]) -> String {
    let l = ctx.lang;
    let first = fills.first().copied().unwrap_or("#a6cee3");
    let second = fills
        .iter()
        .find(|f| **f != first)
        .copied()
        .unwrap_or(first);
    let mut legend = String::from("<ul class=\"legend\">\n");
    legend.push_str(&legend_entry(
        &format!(
            "<rect x=\"1\" y=\"1\" width=\"10\" height=\"14\" fill=\"{first}\" stroke=\"#fff\"/>\
             <rect x=\"11\" y=\"1\" width=\"10\" height=\"14\" fill=\"{second}\" stroke=\"#fff\"/>"
        ),
        &l.tr("report-legend-catchment"),
        Some("catchments"),
    ));
    let has_gaps = ctx
        .catchment_sites
        .iter()
        .any(|s| s.status == super::context::SiteStatus::Gap);
    if has_gaps {
        legend.push_str(&legend_entry(
            &format!(
                "<rect x=\"1\" y=\"1\" width=\"20\" height=\"14\" fill=\"url(#gap-hatch)\" stroke=\"{GAP_INK}\" stroke-width=\"1.5\"/>"
            ),
            &l.tr("report-legend-gap"),
            Some("gaps"),
        ));
    }
    if let Some(r) = &ctx.plan.replan {
        if r.new_catchments() > 0 {
            legend.push_str(&legend_entry(
                &format!("<rect x=\"2\" y=\"2\" width=\"18\" height=\"12\" fill=\"none\" stroke=\"{CHANGE_INK}\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"),
                &l.tr("report-legend-new"),
                Some("changes"),
            ));
        }
        if r.re_tender() > 0 {
            legend.push_str(&legend_entry(
                &format!("<rect x=\"2\" y=\"2\" width=\"18\" height=\"12\" fill=\"none\" stroke=\"{CHANGE_INK}\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>"),
                &l.tr("report-legend-re-tender"),
                if r.new_catchments() > 0 { None } else { Some("changes") },
            ));
        }
        if r.catchments.iter().any(|c| c.building.is_some()) {
            legend.push_str(&legend_entry(
                &format!("<rect x=\"6\" y=\"3\" width=\"10\" height=\"10\" fill=\"{EXISTING_BLUE}\" stroke=\"#fff\"/>"),
                &l.tr("report-legend-existing"),
                None,
            ));
        }
    }
    if ctx.sites.is_some() {
        legend.push_str(&legend_entry(
            &format!("<circle cx=\"11\" cy=\"8\" r=\"5.5\" fill=\"{SITE_BLUE}\" stroke=\"#fff\"/>"),
            &l.tr("report-legend-awarded"),
            Some("sites"),
        ));
        legend.push_str(&legend_entry(
            "<circle cx=\"11\" cy=\"8\" r=\"3\" fill=\"#334155\" fill-opacity=\"0.55\"/>",
            &l.tr("report-legend-proposal"),
            Some("proposals"),
        ));
    }
    legend.push_str(&legend_entry(
        &format!("<path d=\"M6 8h10M11 3v10\" stroke=\"{TEXT_INK}\" stroke-width=\"2\"/>"),
        &l.tr("report-legend-ideal"),
        Some("ideal"),
    ));
    legend.push_str("</ul>\n");
    let mut body = format!(
        "<div id=\"map\" dir=\"ltr\" role=\"region\" aria-label=\"{}\"></div>\n",
        esc(&l.tr("report-map"))
    );
    let _ = write!(
        body,
        "<div class=\"map-tools\"><button type=\"button\" id=\"map-reset\">{}</button></div>\n{legend}",
        esc(&l.tr("report-map-reset"))
    );
    if let Some(url) = ctx.basemap {
        let _ = writeln!(
            body,
            "<p class=\"hint\">{}</p>",
            esc(&l.format("report-map-basemap", &Args::new().text("url", url)))
        );
    }
    section(
        "map-section",
        &l.tr("report-map"),
        Some(&l.tr("report-map-hint")),
        &body,
    )
}

/// The hatching of gaps, defined once for the map and the legend (a pattern in a hidden
/// but rendered SVG: `display: none` would disable it).
fn hatch_definition() -> String {
    format!(
        "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>\
         <pattern id=\"gap-hatch\" patternUnits=\"userSpaceOnUse\" width=\"7\" height=\"7\" \
         patternTransform=\"rotate(45)\"><rect width=\"7\" height=\"7\" fill=\"#ffffff\" fill-opacity=\"0.35\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"7\" stroke=\"{GAP_INK}\" stroke-width=\"2.2\" stroke-opacity=\"0.8\"/>\
         </pattern></defs></svg>\n"
    )
}

/// The whole page.
pub(super) fn page(ctx: &Context, fills: &[&'static str], map: MapData) -> String {
    let (plan, l) = (ctx.plan, ctx.lang);
    let title = l.tr("report-title");
    let date = l.date(ctx.date);
    let subtitle = l.format(
        "report-subtitle",
        &Args::new()
            .count("catchments", plan.catchments.len() as u64)
            .count("households", plan.metrics.households)
            .text("date", date),
    );
    let mut sections: Vec<(&str, String, Option<String>, String)> = Vec::new();
    let mut summary = headline(ctx);
    summary.push_str(&rules(ctx));
    sections.push(("summary", l.tr("report-summary"), None, summary));
    let map_html = map_section(ctx, fills);
    sections.push((
        "catchments",
        l.tr("report-catchments-table"),
        Some(l.tr("report-catchments-hint")),
        tables::catchments(ctx),
    ));
    if ctx.sites.is_some() {
        sections.push(("gaps", l.tr("report-gaps"), None, tables::gaps(ctx)));
    }
    if let Some(body) = tables::applicants(ctx) {
        sections.push(("applicants", l.tr("report-applicants"), None, body));
    }
    if let Some(body) = replan(ctx) {
        sections.push(("replan", l.tr("report-replan"), None, body));
    }
    sections.push((
        "regions",
        l.tr("report-regions"),
        None,
        tables::regions(ctx),
    ));
    sections.push((
        "warnings",
        l.tr("report-warnings"),
        None,
        tables::warnings(ctx),
    ));
    sections.push(("audit", l.tr("report-audit"), None, audit(ctx)));

    let mut nav = format!(
        "<nav class=\"toc\" aria-label=\"{}\">",
        esc(&l.tr("report-nav"))
    );
    let _ = write!(
        nav,
        "<a href=\"#summary\">{}</a>",
        esc(&l.tr("report-summary"))
    );
    let _ = write!(
        nav,
        "<a href=\"#map-section\">{}</a>",
        esc(&l.tr("report-map"))
    );
    for (id, heading, _, _) in sections.iter().skip(1) {
        let _ = write!(nav, "<a href=\"#{id}\">{}</a>", esc(heading));
    }
    nav.push_str("</nav>\n");

    let extras = Extras {
        map,
        labels: Labels {
            search_count: l.format(
                "report-search-count",
                &Args::new()
                    .text("shown", "{shown}")
                    .text("total", "{total}"),
            ),
            proposal: l.format(
                "report-map-proposal",
                &Args::new()
                    .text("applicant", "{applicant}")
                    .text("preference", "{preference}"),
            ),
            basemap: ctx.basemap.map_or(String::new(), |u| {
                l.format("report-map-basemap", &Args::new().text("url", u))
            }),
            m: l.tr("report-unit-m"),
            km: l.tr("report-unit-km"),
        },
        inks: Inks {
            gap: GAP_INK,
            change: CHANGE_INK,
            existing: EXISTING_BLUE,
            site: SITE_BLUE,
        },
    };

    let mut out = String::with_capacity(512 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"siting {}\">\n<title>{}</title>\n<style>\n{}</style>\n</head>\n",
        l.code(),
        l.dir(),
        env!("CARGO_PKG_VERSION"),
        esc(&title),
        styles(l)
    );
    out.push_str("<body data-ready=\"0\">\n");
    out.push_str(&hatch_definition());
    let _ = write!(
        out,
        "<header class=\"page\"><h1>{}</h1><p class=\"subtitle\">{}</p></header>\n{nav}<main>\n",
        esc(&title),
        esc(&subtitle)
    );
    for (i, (id, heading, hint, body)) in sections.iter().enumerate() {
        out.push_str(&section(id, heading, hint.as_deref(), body));
        if i == 0 {
            out.push_str(&map_html);
        }
    }
    let _ = write!(
        out,
        "</main>\n<footer class=\"page\">{}</footer>\n",
        esc(&l.format(
            "report-footer",
            &Args::new().text("version", env!("CARGO_PKG_VERSION"))
        ))
    );
    let _ = writeln!(
        out,
        "<script type=\"application/json\" id=\"report-data\">{}</script>",
        script_json(&extras)
    );
    let _ = write!(
        out,
        "<script>\n{}\n</script>\n<script>\n{}\n</script>\n</body>\n</html>\n",
        leaflet_js(),
        report_js()
    );
    out
}
