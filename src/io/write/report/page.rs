//! The page template: `<html lang dir>`, the head with every style inline, the title
//! block, the contents, each section in order, the map's data and the scripts.

use std::fmt::Write as _;

use super::assets::{leaflet_js, report_js, styles};
use super::audit::audit;
use super::context::{Context, SiteStatus};
use super::data::{MapData, script_json};
use super::headline::{headline, rules};
use super::html::esc;
use super::replan::replan;
use super::tables;
use crate::lang::{Args, Lang};
use crate::map::{CHANGE_INK, EXISTING_BLUE, GAP_INK, SITE_BLUE, TEXT_INK};
use crate::plan::Replan;

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

/// One section of the page: its anchor, heading, optional hint and body.
struct Section {
    id: &'static str,
    heading: String,
    hint: Option<String>,
    body: String,
}

impl Section {
    fn new(id: &'static str, heading: String, body: String) -> Self {
        Section {
            id,
            heading,
            hint: None,
            body,
        }
    }

    fn hint(mut self, hint: String) -> Self {
        self.hint = Some(hint);
        self
    }

    /// The section's HTML: its anchor, heading, hint and body.
    fn html(&self) -> String {
        let mut out = format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            self.id,
            esc(&self.heading)
        );
        if let Some(h) = &self.hint {
            let _ = writeln!(out, "<p class=\"hint no-print\">{}</p>", esc(h));
        }
        out.push_str(&self.body);
        out.push_str("</section>\n");
        out
    }
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

/// The catchments' swatch: two neighbouring fills of the map's colouring.
fn catchment_swatch(fills: &[&'static str]) -> String {
    let first = fills.first().copied().unwrap_or("#a6cee3");
    let second = fills
        .iter()
        .find(|f| **f != first)
        .copied()
        .unwrap_or(first);
    format!(
        "<rect x=\"1\" y=\"1\" width=\"10\" height=\"14\" fill=\"{first}\" stroke=\"#fff\"/>\
         <rect x=\"11\" y=\"1\" width=\"10\" height=\"14\" fill=\"{second}\" stroke=\"#fff\"/>"
    )
}

/// A re-plan's legend entries: new catchments, catchments to re-tender and existing
/// centers, each only when the map shows one.
fn replan_entries(l: Lang, r: &Replan) -> String {
    let mut out = String::new();
    if r.new_catchments() > 0 {
        out.push_str(&legend_entry(
            &format!("<rect x=\"2\" y=\"2\" width=\"18\" height=\"12\" fill=\"none\" stroke=\"{CHANGE_INK}\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"),
            &l.tr("report-legend-new"),
            Some("changes"),
        ));
    }
    if r.re_tender() > 0 {
        out.push_str(&legend_entry(
            &format!("<rect x=\"2\" y=\"2\" width=\"18\" height=\"12\" fill=\"none\" stroke=\"{CHANGE_INK}\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>"),
            &l.tr("report-legend-re-tender"),
            if r.new_catchments() > 0 { None } else { Some("changes") },
        ));
    }
    if r.catchments.iter().any(|c| c.building.is_some()) {
        out.push_str(&legend_entry(
            &format!("<rect x=\"6\" y=\"3\" width=\"10\" height=\"10\" fill=\"{EXISTING_BLUE}\" stroke=\"#fff\"/>"),
            &l.tr("report-legend-existing"),
            None,
        ));
    }
    out
}

/// The legend entries of applicants' sites: awarded sites and proposals.
fn site_entries(l: Lang) -> String {
    let mut out = legend_entry(
        &format!("<circle cx=\"11\" cy=\"8\" r=\"5.5\" fill=\"{SITE_BLUE}\" stroke=\"#fff\"/>"),
        &l.tr("report-legend-awarded"),
        Some("sites"),
    );
    out.push_str(&legend_entry(
        "<circle cx=\"11\" cy=\"8\" r=\"3\" fill=\"#334155\" fill-opacity=\"0.55\"/>",
        &l.tr("report-legend-proposal"),
        Some("proposals"),
    ));
    out
}

/// The map's legend, an entry for each kind of thing the map shows.
fn legend(ctx: &Context, fills: &[&'static str]) -> String {
    let l = ctx.lang;
    let mut legend = String::from("<ul class=\"legend\">\n");
    legend.push_str(&legend_entry(
        &catchment_swatch(fills),
        &l.tr("report-legend-catchment"),
        Some("catchments"),
    ));
    if ctx
        .catchment_sites
        .iter()
        .any(|s| s.status == SiteStatus::Gap)
    {
        legend.push_str(&legend_entry(
            &format!(
                "<rect x=\"1\" y=\"1\" width=\"20\" height=\"14\" fill=\"url(#gap-hatch)\" stroke=\"{GAP_INK}\" stroke-width=\"1.5\"/>"
            ),
            &l.tr("report-legend-gap"),
            Some("gaps"),
        ));
    }
    if let Some(r) = &ctx.plan.replan {
        legend.push_str(&replan_entries(l, r));
    }
    if ctx.sites.is_some() {
        legend.push_str(&site_entries(l));
    }
    legend.push_str(&legend_entry(
        &format!("<path d=\"M6 8h10M11 3v10\" stroke=\"{TEXT_INK}\" stroke-width=\"2\"/>"),
        &l.tr("report-legend-ideal"),
        Some("ideal"),
    ));
    legend.push_str("</ul>\n");
    legend
}

/// The map section: the map's element, the reset button and the legend.
fn map_section(ctx: &Context, fills: &[&'static str]) -> Section {
    let l = ctx.lang;
    let mut body = format!(
        "<div id=\"map\" dir=\"ltr\" role=\"region\" aria-label=\"{}\"></div>\n\
         <div class=\"map-tools\"><button type=\"button\" id=\"map-reset\">{}</button></div>\n{}",
        esc(&l.tr("report-map")),
        esc(&l.tr("report-map-reset")),
        legend(ctx, fills)
    );
    if let Some(url) = ctx.basemap {
        let _ = writeln!(
            body,
            "<p class=\"hint\">{}</p>",
            esc(&l.format("report-map-basemap", &Args::new().text("url", url)))
        );
    }
    Section::new("map-section", l.tr("report-map"), body).hint(l.tr("report-map-hint"))
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

/// Every section in page order: the summary, the map, the tables a plan has, the audit.
fn sections(ctx: &Context, fills: &[&'static str]) -> Vec<Section> {
    let l = ctx.lang;
    let mut summary = headline(ctx);
    summary.push_str(&rules(ctx));
    let mut sections = vec![
        Section::new("summary", l.tr("report-summary"), summary),
        map_section(ctx, fills),
        Section::new(
            "catchments",
            l.tr("report-catchments-table"),
            tables::catchments(ctx),
        )
        .hint(l.tr("report-catchments-hint")),
    ];
    if ctx.sites.is_some() {
        sections.push(Section::new("gaps", l.tr("report-gaps"), tables::gaps(ctx)));
    }
    if let Some(body) = tables::applicants(ctx) {
        sections.push(Section::new("applicants", l.tr("report-applicants"), body));
    }
    if let Some(body) = replan(ctx) {
        sections.push(Section::new("replan", l.tr("report-replan"), body));
    }
    sections.push(Section::new(
        "regions",
        l.tr("report-regions"),
        tables::regions(ctx),
    ));
    sections.push(Section::new(
        "warnings",
        l.tr("report-warnings"),
        tables::warnings(ctx),
    ));
    sections.push(Section::new("audit", l.tr("report-audit"), audit(ctx)));
    sections
}

/// The contents: a link to each section.
fn nav(l: Lang, sections: &[Section]) -> String {
    let mut nav = format!(
        "<nav class=\"toc\" aria-label=\"{}\">",
        esc(&l.tr("report-nav"))
    );
    for s in sections {
        let _ = write!(nav, "<a href=\"#{}\">{}</a>", s.id, esc(&s.heading));
    }
    nav.push_str("</nav>\n");
    nav
}

/// The texts and colours the script needs besides the map data.
fn extras<'a>(ctx: &Context, map: MapData<'a>) -> Extras<'a> {
    let l = ctx.lang;
    Extras {
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
    }
}

/// The document's head: language, direction, title and the style sheet.
fn document_head(l: Lang, title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"siting {}\">\n<title>{}</title>\n<style>\n{}</style>\n</head>\n",
        l.code(),
        l.dir(),
        env!("CARGO_PKG_VERSION"),
        esc(title),
        styles(l)
    )
}

/// The title block: the title and a line of what the plan holds and when it was made.
fn title_block(ctx: &Context, title: &str) -> String {
    let (plan, l) = (ctx.plan, ctx.lang);
    let subtitle = l.format(
        "report-subtitle",
        &Args::new()
            .count("catchments", plan.catchments.len() as u64)
            .count("households", plan.metrics.households)
            .text("date", l.date(ctx.date)),
    );
    format!(
        "<header class=\"page\"><h1>{}</h1><p class=\"subtitle\">{}</p></header>\n",
        esc(title),
        esc(&subtitle)
    )
}

/// The whole page.
pub(super) fn page(ctx: &Context, fills: &[&'static str], map: MapData) -> String {
    let l = ctx.lang;
    let title = l.tr("report-title");
    let sections = sections(ctx, fills);
    let mut out = String::with_capacity(512 * 1024);
    out.push_str(&document_head(l, &title));
    out.push_str("<body data-ready=\"0\">\n");
    out.push_str(&hatch_definition());
    out.push_str(&title_block(ctx, &title));
    out.push_str(&nav(l, &sections));
    out.push_str("<main>\n");
    for s in &sections {
        out.push_str(&s.html());
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
        script_json(&extras(ctx, map))
    );
    let _ = write!(
        out,
        "<script>\n{}\n</script>\n<script>\n{}\n</script>\n</body>\n</html>\n",
        leaflet_js(),
        report_js()
    );
    out
}
