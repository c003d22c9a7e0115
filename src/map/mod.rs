//! `map.svg`: a picture of a plan that a planner can put in a report.
//!
//! The map shows the catchment polygons filled with a qualitative palette (neighbouring
//! catchments never share a colour), the gaps left without an awarded center (hatched, with
//! a red outline), the awarded sites, the ideal centers and the proposed sites, with a title
//! block, a legend, a scale bar in round kilometres, a north arrow and a light graticule.
//! Where catchments are too small to read (a city on a province map, the capital on a
//! national one), a detail inset under the legend enlarges the most crowded area, which is
//! boxed on the map.
//!
//! The projection is equirectangular with x scaled by the cosine of the middle latitude of
//! the plan: true to scale along that parallel and along the meridians, which is close
//! enough for a province or a country. The output is deterministic (the same plan gives the
//! same bytes), coordinates are rounded to a tenth of a pixel, and English text uses the
//! generic `sans-serif` family, so no font files are needed. No household or applicant id
//! appears on the map; catchment ids label the catchments large enough to hold them, and
//! every catchment carries a `<title>` tooltip for viewers that show one.
//!
//! Every word on the map comes from the `map-` messages of the catalogues in the plan's
//! language (`PlanConfig::lang`). A Persian map is laid out right to left (`direction="rtl"`
//! on the page: the title block and the legend read from the right, the legend's symbols
//! stand right of their labels, the scale bar runs from the right), uses Persian digits
//! and the Solar Hijri date, and names fonts that cover Persian. Wherever a line mixes
//! directions, names, figures and the date are isolated (U+2068 … U+2069), so a Persian
//! county name never drags the date next to it out of order.

// The drawing, one concept a file: `layout` places the page and projects lon/lat into
// pixels, `rings` measures the projected catchments, `colour` holds the palette and the
// neighbour colouring, `layers` and `labels` draw a map panel layer by layer, `inset` picks
// and draws the detail inset, `legend`, `title` and `furniture` draw the legend, the title
// block and footnote, and the graticule, scale bars and north arrow, and `format` writes
// pixel coordinates, paths and text.
mod colour;
mod format;
mod furniture;
mod inset;
mod labels;
mod layers;
mod layout;
mod legend;
mod rings;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_lang;
mod title;

use std::io::Write;

use svg::Document;
use svg::node::element::{ClipPath, Definitions, Line, Pattern, Rectangle, Title};

use crate::error::{ConfigError, Error, Result};
use crate::lang::Lang;
use crate::plan::Plan;
use crate::sites::SitePlan;

use colour::{GAP_RED, INK, NEIGHBOUR_TOLERANCE_PX, PALETTE, colour, neighbours};
use format::{frame_outline, px, rect_element};
use inset::{add_inset, inset_panel};
use layers::{Scene, Status, draw_map, status};
use layout::{Layout, Panel, Rect, layout};
use legend::legend;
use rings::projected_rings;
use title::{footnote, title_block};

/// Options for the map.
///
/// ```
/// let options = siting::MapOptions {
///     title: "Qazvin province: welfare service centers".into(),
///     date: "2026-11-24".into(),
///     ..Default::default()
/// };
/// assert_eq!(options.width_px, 1200);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapOptions {
    /// Title shown at the top of the map (empty, the default: the catalogue's title in the
    /// plan's language, "Welfare service centers plan" in English).
    pub title: String,
    /// Date shown in the title block, e.g. `2026-11-24` (empty: none).
    pub date: String,
    /// Width of the picture in pixels (at least 600; default 1200). The height follows from
    /// the shape of the plan area; text and symbols scale with the width, but never below
    /// three quarters of their size at 1200 px.
    pub width_px: u32,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            title: String::new(),
            date: String::new(),
            width_px: 1200,
        }
    }
}

impl MapOptions {
    /// The title shown in `lang`: [`MapOptions::title`], or the catalogue's default title
    /// when it is empty.
    ///
    /// ```
    /// use siting::{MapOptions, lang::Lang};
    /// assert_eq!(MapOptions::default().title_in(Lang::En), "Welfare service centers plan");
    /// let mine = MapOptions { title: "Qazvin".into(), ..Default::default() };
    /// assert_eq!(mine.title_in(Lang::Fa), "Qazvin");
    /// ```
    pub fn title_in(&self, lang: Lang) -> String {
        if self.title.is_empty() {
            lang.tr("map-title")
        } else {
            self.title.clone()
        }
    }
}

/// Narrowest map accepted, in pixels.
const MIN_WIDTH_PX: u32 = 600;

/// Font family of every text on an English map: the generic family, so no font files are
/// needed. Persian maps list fonts that cover Persian ([`Lang::fonts`]).
const FONT: &str = "sans-serif";

/// Writes `map.svg`: the plan drawn as a map for a report (see the module docs).
///
/// ```
/// use siting::{Households, MapOptions, PlanConfig, Planner, write_map_svg};
/// let households = Households::from_points(
///     (0..2_000).map(|i| ("", 50.0 + (i % 40) as f64 * 1e-3, 36.0 + (i / 40) as f64 * 1e-3, 1)),
/// );
/// let plan = Planner::new(PlanConfig::default())?.plan(&households)?;
/// let options = MapOptions { title: "Test plan".into(), date: "2026-11-24".into(), ..Default::default() };
/// let mut svg = Vec::new();
/// write_map_svg(&plan, None, &options, &mut svg)?;
/// let text = String::from_utf8(svg).unwrap();
/// assert!(text.contains("Test plan") && text.contains("2026-11-24"));
/// assert_eq!(text.matches("data-catchment=").count(), plan.catchments.len());
/// # Ok::<(), siting::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidConfig`] when `options.width_px` is below 600; [`Error::Io`] when writing
/// fails.
pub fn write_map_svg<W: Write>(
    plan: &Plan,
    sites: Option<&SitePlan>,
    options: &MapOptions,
    out: W,
) -> Result<()> {
    write_map_svg_coloured(plan, sites, options, None, out)
}

/// [`write_map_svg`] with the catchments' palette colours at `options.width_px` given
/// ([`palette_colours`]), when the caller has them already (the report repeats them).
pub(crate) fn write_map_svg_coloured<W: Write>(
    plan: &Plan,
    sites: Option<&SitePlan>,
    options: &MapOptions,
    colours: Option<&[usize]>,
    mut out: W,
) -> Result<()> {
    if options.width_px < MIN_WIDTH_PX {
        return Err(Error::InvalidConfig(ConfigError::MapWidth {
            px: options.width_px,
            min_px: MIN_WIDTH_PX,
        }));
    }
    let document = render(plan, sites, options, colours);
    let text = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{document}\n");
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("writing", "map.svg", e))
}

/// The whole page, in drawing order: the main map, the detail inset, the map's frame, the
/// title block, the legend and the footnote.
fn render(
    plan: &Plan,
    sites: Option<&SitePlan>,
    options: &MapOptions,
    colours: Option<&[usize]>,
) -> Document {
    let lay = layout(plan, options.width_px);
    let rings = projected_rings(plan, &lay.view);
    let scene = Scene {
        plan,
        st: status(plan, sites),
        fills: colours.map_or_else(
            || colour(&neighbours(&rings, NEIGHBOUR_TOLERANCE_PX), PALETTE.len()),
            <[usize]>::to_vec,
        ),
    };
    let main = Panel {
        view: lay.view,
        frame: lay.frame,
        u: lay.u,
        main: true,
    };
    let drawn = draw_map(&scene, sites, &main, &rings, &[]);
    let counts = Counts::new(plan, sites, &scene.st, drawn.awarded);
    let lang = plan.config.lang;
    let (legend, legend_bottom) = legend(&lay, lang, &counts, drawn.symbol, drawn.cross_width);

    let mut doc = page(&lay, lang, options).add(drawn.group);
    // Detail inset of the most crowded part of the map, under the legend.
    if let Some(inset) = inset_panel(&lay, &rings, legend_bottom) {
        doc = add_inset(doc, &scene, sites, &lay, &inset);
    }
    doc.add(frame_outline(lay.frame, lay.u))
        .add(title_block(plan, options, &lay, &counts))
        .add(legend)
        .add(footnote(lang, &lay))
}

/// The empty page: size, font, direction, the document's title, the definitions and a
/// white background. A right-to-left language sets `direction="rtl"` on the page, so text
/// is laid out and anchored from the right.
fn page(lay: &Layout, lang: Lang, options: &MapOptions) -> Document {
    let doc = if lang.is_rtl() {
        Document::new()
            .set("direction", lang.dir())
            .set("font-family", lang.fonts())
    } else {
        Document::new().set("font-family", FONT)
    };
    doc.set("width", px(lay.width))
        .set("height", px(lay.height))
        .set(
            "viewBox",
            format!("0 0 {} {}", px(lay.width), px(lay.height)),
        )
        .set("fill", INK)
        .add(Title::new(options.title_in(lang)))
        .add(definitions(lay.u, lay.frame))
        .add(
            Rectangle::new()
                .set("width", "100%")
                .set("height", "100%")
                .set("fill", "#ffffff"),
        )
}

/// The main map's clip path (its `frame`) and the gaps' red hatching.
fn definitions(u: f64, frame: Rect) -> Definitions {
    let hatch = px(7.0 * u);
    Definitions::new()
        .add(
            ClipPath::new()
                .set("id", "map-clip")
                .add(rect_element(frame)),
        )
        .add(
            Pattern::new()
                .set("id", "gap-hatch")
                .set("patternUnits", "userSpaceOnUse")
                .set("width", hatch)
                .set("height", hatch)
                .set("patternTransform", "rotate(45)")
                .add(
                    Line::new()
                        .set("x1", 0)
                        .set("y1", 0)
                        .set("x2", 0)
                        .set("y2", hatch)
                        .set("stroke", GAP_RED)
                        .set("stroke-width", px(2.2 * u))
                        .set("stroke-opacity", 0.8),
                ),
        )
}

/// The fill of each catchment as `map.svg` draws it at `width_px` (the palette colouring
/// that keeps neighbours apart), for the other views of the plan (`report.html`).
pub(crate) fn catchment_fills(plan: &Plan, width_px: u32) -> Vec<&'static str> {
    fill_names(&palette_colours(plan, width_px))
}

/// The palette colour of each catchment as `map.svg` draws it at `width_px`: neighbours
/// (within half a pixel there) differ.
pub(crate) fn palette_colours(plan: &Plan, width_px: u32) -> Vec<usize> {
    let lay = layout(plan, width_px.max(MIN_WIDTH_PX));
    let rings = projected_rings(plan, &lay.view);
    colour(&neighbours(&rings, NEIGHBOUR_TOLERANCE_PX), PALETTE.len())
}

/// The fills of palette colours `colours` ([`palette_colours`]).
pub(crate) fn fill_names(colours: &[usize]) -> Vec<&'static str> {
    colours
        .iter()
        .map(|&c| PALETTE[c % PALETTE.len()])
        .collect()
}

/// The inks of `map.svg` that other views of the plan repeat: gaps, a re-plan's changed
/// catchments, existing centers, awarded sites and text.
pub(crate) use colour::{
    CHANGE_INK, EXISTING_BLUE, GAP_RED as GAP_INK, INK as TEXT_INK, SITE_BLUE,
};

/// The plan's figures that the title block and the legend state.
struct Counts {
    catchments: usize,
    households: u64,
    awarded: usize,
    gaps: usize,
    proposals: usize,
    has_sites: bool,
    /// A re-plan's new catchments and those to re-tender (`None` for a plan from scratch).
    changes: Option<(usize, usize)>,
    /// A re-plan's open centers kept at their buildings.
    existing: usize,
}

impl Counts {
    /// The counts of `plan`, with `awarded` sites drawn on the main map.
    fn new(plan: &Plan, sites: Option<&SitePlan>, st: &Status, awarded: usize) -> Counts {
        Counts {
            catchments: plan.catchments.len(),
            households: plan.metrics.households,
            awarded,
            gaps: st.gap.iter().filter(|g| **g).count(),
            proposals: sites.map_or(0, |s| s.proposals.len()),
            has_sites: st.has_sites,
            changes: plan
                .replan
                .as_ref()
                .map(|r| (r.new_catchments(), r.re_tender())),
            existing: plan.replan.as_ref().map_or(0, |r| {
                r.catchments.iter().filter(|c| c.building.is_some()).count()
            }),
        }
    }
}
