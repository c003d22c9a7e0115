//! The legend in the side panel, entry by entry (catchment, gap, awarded site, ideal
//! center, proposed site), then the scale bar and the north arrow.

use svg::node::element::{Circle, Element, Group, Path, Rectangle};

use crate::lang::{Args, Lang};

use super::Counts;
use super::colour::{CHANGE_INK, EXISTING_BLUE, GAP_RED, INK, PALETTE, SITE_BLUE};
use super::format::{Set, fit, px, text};
use super::furniture::{legend_scale, north_arrow};
use super::layout::{Layout, Rect};

/// Vertical distance between legend entries, in `u`.
const ENTRY: f64 = 30.0;

/// The legend, scale bar and north arrow in the side panel, and the lowest y they use.
/// `s` and `cross_width` are the map's symbol size and cross stroke. In a right-to-left
/// language the legend is mirrored: symbols at the panel's right, labels left of them.
pub(super) fn legend(
    lay: &Layout,
    lang: Lang,
    n: &Counts,
    s: f64,
    cross_width: f64,
) -> (Group, f64) {
    let u = lay.u;
    let p = lay.panel;
    let e = Entries::new(p, lang, u);
    let mut y = p.y + 16.0 * u;
    let heading = text(e.heading_x, y, 15.0 * u, &lang.tr("map-legend"));
    let mut g = Group::new()
        .set("id", "legend")
        .add(heading.set("font-weight", "bold"));
    y += ENTRY * u;
    g = e.catchment(g, y, n);
    y += ENTRY * u;
    if n.has_sites {
        g = e.gap(g, y, n);
        y += ENTRY * u;
        g = e.awarded_site(g, y, n, s);
        y += ENTRY * u;
    }
    if n.existing > 0 {
        g = e.existing_center(g, y, n, s);
        y += ENTRY * u;
    }
    if let Some((new, re_tender)) = n.changes {
        g = e.change(g, y, "map-legend-new", new, true);
        y += ENTRY * u;
        g = e.change(g, y, "map-legend-re-tender", re_tender, false);
        y += ENTRY * u;
    }
    g = e.ideal_center(g, y, s, cross_width);
    y += ENTRY * u;
    if n.has_sites {
        g = e.proposed_site(g, y, n, s);
        y += ENTRY * u;
    }
    y += 14.0 * u;
    let (g, bar_y, label_y) = legend_scale(g, lay, lang, y);
    let (g, bottom) = north_arrow(g, p, lang, bar_y, u);
    (g, label_y.max(bottom))
}

/// Where the legend's entries go: symbols from `x` (32 `u` wide), labels starting at
/// `label_x` in font `size`, at most `text_w` wide, words in `lang`; the heading starts at
/// `heading_x`.
struct Entries {
    x: f64,
    label_x: f64,
    heading_x: f64,
    size: f64,
    text_w: f64,
    u: f64,
    lang: Lang,
}

impl Entries {
    /// The entries of the side panel `p`: symbols at the left and labels right of them, or
    /// mirrored in a right-to-left language (labels start at their right end there).
    fn new(p: Rect, lang: Lang, u: f64) -> Entries {
        let (left, right) = (p.x + 4.0 * u, p.x + p.w - 4.0 * u);
        let (x, label_x, heading_x, text_w) = if lang.is_rtl() {
            let label_x = right - 42.0 * u;
            (right - 32.0 * u, label_x, right, label_x - p.x)
        } else {
            let label_x = left + 42.0 * u;
            (left, label_x, left, right + 4.0 * u - label_x)
        };
        Entries {
            x,
            label_x,
            heading_x,
            size: 13.0 * u,
            text_w,
            u,
            lang,
        }
    }

    /// The message `id` with the count `n`.
    fn counted(&self, id: &str, n: u64) -> String {
        self.lang.format(id, &Args::new().count("n", n))
    }

    /// An entry's label with its baseline at `y`.
    fn label(&self, y: f64, label: &str) -> Element {
        text(
            self.label_x,
            y,
            self.size,
            &fit(label, self.size, self.text_w),
        )
    }

    /// A catchment: three palette swatches and the mean households per catchment.
    fn catchment(&self, g: Group, y: f64, n: &Counts) -> Group {
        let (x, u) = (self.x, self.u);
        let w = 32.0 * u / 3.0;
        let g = (0..3).fold(g, |g, i| {
            g.add(
                Rectangle::new()
                    .set("x", px(x + i as f64 * w))
                    .set("y", px(y - 13.0 * u))
                    .set("width", px(w))
                    .set("height", px(18.0 * u))
                    .set("fill", PALETTE[i])
                    .set("stroke", "#ffffff")
                    .set("stroke-width", px(u)),
            )
        });
        let mean = if n.catchments > 0 {
            n.households / n.catchments as u64
        } else {
            0
        };
        let args = Args::new().count("households", mean);
        g.add(self.label(y, &self.lang.format("map-legend-catchment", &args)))
    }

    /// A gap: a hatched swatch over the first palette colour, red outline.
    fn gap(&self, g: Group, y: f64, n: &Counts) -> Group {
        let (x, u) = (self.x, self.u);
        let swatch = || {
            Rectangle::new()
                .set("x", px(x))
                .set("y", px(y - 13.0 * u))
                .set("width", px(32.0 * u))
                .set("height", px(18.0 * u))
        };
        g.add(swatch().set("fill", PALETTE[0]))
            .add(
                swatch()
                    .set("fill", "url(#gap-hatch)")
                    .set("stroke", GAP_RED)
                    .set("stroke-width", px(2.0 * u)),
            )
            .add(self.label(y, &self.counted("map-legend-gap", n.gaps as u64)))
    }

    /// A re-plan's existing center: the map's dark blue square.
    fn existing_center(&self, g: Group, y: f64, n: &Counts, s: f64) -> Group {
        let u = self.u;
        let side = (s * 2.0).max(8.0 * u);
        g.add(
            Rectangle::new()
                .set("x", px(self.x + 16.0 * u - side / 2.0))
                .set("y", px(y - 4.0 * u - side / 2.0))
                .set("width", px(side))
                .set("height", px(side))
                .set("fill", EXISTING_BLUE)
                .set("stroke", "#ffffff")
                .set("stroke-width", px(0.9 * u)),
        )
        .add(self.label(y, &self.counted("map-legend-existing", n.existing as u64)))
    }

    /// A re-plan's new (dashed) or re-tender (dotted) outline, labelled with the message
    /// `id`.
    fn change(&self, g: Group, y: f64, id: &str, count: usize, new: bool) -> Group {
        let (x, u) = (self.x, self.u);
        let dash = if new {
            format!("{} {}", px(6.0 * u), px(3.0 * u))
        } else {
            format!("{} {}", px(1.5 * u), px(2.5 * u))
        };
        g.add(
            Rectangle::new()
                .set("x", px(x))
                .set("y", px(y - 13.0 * u))
                .set("width", px(32.0 * u))
                .set("height", px(18.0 * u))
                .set("fill", "none")
                .set("stroke", CHANGE_INK)
                .set("stroke-width", px(2.2 * u))
                .set("stroke-dasharray", dash),
        )
        .add(self.label(y, &self.counted(id, count as u64)))
    }

    /// An awarded site: the map's dot, at least 4 `u` in radius.
    fn awarded_site(&self, g: Group, y: f64, n: &Counts, s: f64) -> Group {
        let u = self.u;
        g.add(
            Circle::new()
                .set("cx", px(self.x + 16.0 * u))
                .set("cy", px(y - 4.0 * u))
                .set("r", px((s * 1.15).max(4.0 * u)))
                .set("fill", SITE_BLUE)
                .set("stroke", "#ffffff")
                .set("stroke-width", px(0.9 * u)),
        )
        .add(self.label(y, &self.counted("map-legend-awarded", n.awarded as u64)))
    }

    /// An ideal center: the map's cross, arms at least 4 `u` long.
    fn ideal_center(&self, g: Group, y: f64, s: f64, cross_width: f64) -> Group {
        let u = self.u;
        let arm = s.max(4.0 * u);
        let (cx, cy) = (self.x + 16.0 * u, y - 4.0 * u);
        g.add(
            Path::new()
                .set(
                    "d",
                    format!(
                        "M{} {}h{}M{} {}v{}",
                        px(cx - arm),
                        px(cy),
                        px(2.0 * arm),
                        px(cx),
                        px(cy - arm),
                        px(2.0 * arm)
                    ),
                )
                .set("stroke", INK)
                .set("stroke-width", px(cross_width.max(1.4 * u))),
        )
        .add(self.label(y, &self.lang.tr("map-legend-ideal")))
    }

    /// A proposed site: the map's translucent dot.
    fn proposed_site(&self, g: Group, y: f64, n: &Counts, s: f64) -> Group {
        let u = self.u;
        g.add(
            Circle::new()
                .set("cx", px(self.x + 16.0 * u))
                .set("cy", px(y - 4.0 * u))
                .set("r", px((s * 0.35).max(1.6 * u)))
                .set("fill", "#334155")
                .set("fill-opacity", 0.5),
        )
        .add(self.label(y, &self.counted("map-legend-proposal", n.proposals as u64)))
    }
}
