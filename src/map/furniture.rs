//! Map furniture: the graticule with its degree labels, the scale bars (the legend's
//! four-segment bar and the inset's plain one) and the north arrow.

use std::fmt::Write as _;

use svg::node::element::{Element, Group, Path, Rectangle};

use crate::lang::Lang;
use crate::model::LonLat;

use super::colour::{INK, MUTED};
use super::format::text_width;
use super::format::{
    Set, degrees, halo, km_label, km_text, px, rect_element, round_length_km, text,
};
use super::layout::{Layout, Panel, Rect, View};

/// The scale bar's round length in km, its length in pixels, its baseline and the white
/// plate under it (see [`scale_bar`]).
pub(super) fn scale_layout(panel: &Panel, lang: Lang, max_len: f64) -> (f64, f64, [f64; 2], Rect) {
    let u = panel.u;
    let per_km = panel.view.px_per_km();
    let km = round_length_km(max_len / per_km);
    let bar = km * per_km;
    let label = km_text(lang, km);
    let (x, y) = (
        panel.frame.x + 10.0 * u,
        panel.frame.y + panel.frame.h - 12.0 * u,
    );
    let plate = Rect {
        x: x - 5.0 * u,
        y: y - 14.0 * u,
        w: bar + text_width(&label, 11.0 * u) + 18.0 * u,
        h: 21.0 * u,
    };
    (km, bar, [x, y], plate)
}

/// A scale bar of a round length at most `max_len` pixels long, in the bottom-left corner
/// of the panel, on a white plate, its label right of it in either direction.
pub(super) fn scale_bar(panel: &Panel, lang: Lang, max_len: f64, id: &str) -> Group {
    let u = panel.u;
    let (km, bar, [x, y], plate) = scale_layout(panel, lang, max_len);
    let label = text(x + bar + 5.0 * u, y, 11.0 * u, &km_text(lang, km));
    Group::new()
        .set("id", id)
        .add(
            rect_element(plate)
                .set("fill", "#ffffff")
                .set("fill-opacity", 0.85),
        )
        .add(
            rect_element(Rect {
                x,
                y: y - 6.0 * u,
                w: bar,
                h: 5.0 * u,
            })
            .set("fill", INK),
        )
        .add(left_anchored(lang, label).set("data-role", "scale"))
}

/// The legend's scale bar under its heading at `y`: a round length in four alternating
/// segments, from the panel's left (its right in a right-to-left language). `g` with it,
/// the bar's top and its labels' baseline.
pub(super) fn legend_scale(g: Group, lay: &Layout, lang: Lang, y: f64) -> (Group, f64, f64) {
    let (u, p) = (lay.u, lay.panel);
    let max_bar = p.w - 90.0 * u;
    let km = round_length_km(max_bar / lay.view.px_per_km());
    let bar = km * lay.view.px_per_km();
    // The bar starts at `x0` and runs towards `dir`.
    let (x0, dir) = if lang.is_rtl() {
        (p.x + p.w - 4.0 * u, -1.0)
    } else {
        (p.x + 4.0 * u, 1.0)
    };
    let heading = text(x0, y, 13.0 * u, &lang.tr("map-scale"));
    let mut g = g.add(heading.set("font-weight", "bold"));
    let bar_y = y + 22.0 * u;
    let seg = bar / 4.0;
    for i in 0..4 {
        let left = if dir > 0.0 {
            x0 + i as f64 * seg
        } else {
            x0 - (i + 1) as f64 * seg
        };
        g = g.add(
            Rectangle::new()
                .set("x", px(left))
                .set("y", px(bar_y))
                .set("width", px(seg))
                .set("height", px(6.0 * u))
                .set("fill", if i % 2 == 0 { INK } else { "#ffffff" })
                .set("stroke", INK)
                .set("stroke-width", px(0.8 * u)),
        );
    }
    let label_y = bar_y + 22.0 * u;
    let tick = |at: f64, label: &str| {
        text(x0 + dir * at, label_y, 11.0 * u, label).set("text-anchor", "middle")
    };
    let g = g
        .add(tick(0.0, &lang.digits("0")))
        .add(tick(bar / 2.0, &lang.digits(&km_label(km / 2.0))))
        .add(tick(bar, &km_text(lang, km)).set("data-role", "scale"));
    (g, bar_y, label_y)
}

/// `t` anchored at its left end whatever the page's direction (a right-to-left page
/// anchors text at its right end unless told otherwise).
pub(super) fn left_anchored(lang: Lang, t: Element) -> Element {
    if lang.is_rtl() {
        t.set("text-anchor", "end")
    } else {
        t
    }
}

/// The north arrow at the side panel `p`'s right (its left in a right-to-left language),
/// beside a scale bar whose top is at `bar_y`: `g` with it, and the arrow's lowest y.
pub(super) fn north_arrow(g: Group, p: Rect, lang: Lang, bar_y: f64, u: f64) -> (Group, f64) {
    let ax = if lang.is_rtl() {
        p.x + 24.0 * u
    } else {
        p.x + p.w - 24.0 * u
    };
    let (top, bottom) = (bar_y - 26.0 * u, bar_y + 22.0 * u);
    let half = 9.0 * u;
    let mid = bottom - 12.0 * u;
    let half_arrow = |[x0, y0, x1, y1, x2, y2]: [f64; 6], fill: &str| {
        Path::new()
            .set(
                "d",
                format!(
                    "M{} {}L{} {}L{} {}Z",
                    px(x0),
                    px(y0),
                    px(x1),
                    px(y1),
                    px(x2),
                    px(y2)
                ),
            )
            .set("fill", fill)
            .set("stroke", INK)
            .set("stroke-width", px(u))
            .set("stroke-linejoin", "round")
    };
    let g = g
        .add(half_arrow([ax, top, ax, mid, ax - half, bottom], "#ffffff"))
        .add(half_arrow([ax, top, ax + half, bottom, ax, mid], INK))
        .add(
            text(ax, top - 5.0 * u, 14.0 * u, &lang.tr("map-north"))
                .set("text-anchor", "middle")
                .set("font-weight", "bold"),
        );
    (g, bottom)
}

/// Graticule labels along the frame's edges, and where they are.
struct Ticks {
    group: Group,
    taken: Vec<Rect>,
    size: f64,
    u: f64,
}

impl Ticks {
    /// A label with its baseline at (`lx`, `ly`), recorded where it is.
    fn place(&mut self, label: String, lx: f64, ly: f64) {
        let size = self.size;
        self.taken.push(Rect {
            x: lx,
            y: ly - size,
            w: text_width(&label, size),
            h: size * 1.2,
        });
        self.group = std::mem::take(&mut self.group).add(halo(text(lx, ly, size, &label), self.u));
    }
}

/// Light graticule lines (under the catchments), their labels along the bottom and left
/// edges of the frame (left-anchored in either direction), and where those labels are.
pub(super) fn graticule(view: View, f: Rect, lang: Lang, u: f64) -> (Group, Group, Vec<Rect>) {
    let (lon_min, lon_max) = (view.lon_at(f.x), view.lon_at(f.x + f.w));
    let (lat_min, lat_max) = (view.lat_at(f.y + f.h), view.lat_at(f.y));
    let step = graticule_step((lon_max - lon_min).max(lat_max - lat_min));
    let mut lines = String::new();
    let mut ticks = Ticks {
        group: ticks_group(lang),
        taken: Vec::new(),
        size: 10.0 * u,
        u,
    };
    let corner = 60.0 * u;
    let mut i = (lon_min / step).ceil() as i64;
    while (i as f64) * step <= lon_max {
        let lon = i as f64 * step;
        let x = view.xy(LonLat::new(lon, view.lat0))[0];
        let _ = write!(lines, "M{} {}V{}", px(x), px(f.y), px(f.y + f.h));
        if x - f.x > corner && f.x + f.w - x > 20.0 * u {
            let label = degrees(lang, lon, step, false);
            ticks.place(label, x + 3.0 * u, f.y + f.h - 5.0 * u);
        }
        i += 1;
    }
    let mut j = (lat_min / step).ceil() as i64;
    while (j as f64) * step <= lat_max {
        let lat = j as f64 * step;
        let y = view.xy(LonLat::new(view.min_lon, lat))[1];
        let _ = write!(lines, "M{} {}H{}", px(f.x), px(y), px(f.x + f.w));
        if f.y + f.h - y > corner / 2.0 && y - f.y > 20.0 * u {
            ticks.place(degrees(lang, lat, step, true), f.x + 4.0 * u, y - 3.0 * u);
        }
        j += 1;
    }
    let group = Group::new().set("id", "graticule").add(
        Path::new()
            .set("d", lines)
            .set("stroke", "#d5dbe1")
            .set("stroke-width", px(0.8 * u))
            .set("fill", "none"),
    );
    (group, ticks.group, ticks.taken)
}

/// The graticule labels' group: muted, and anchored at the left in a right-to-left
/// language too, as their places are worked out for.
fn ticks_group(lang: Lang) -> Group {
    let g = Group::new()
        .set("id", "graticule-labels")
        .set("fill", MUTED);
    if lang.is_rtl() {
        g.set("text-anchor", "end")
    } else {
        g
    }
}

/// The graticule's step in degrees: the smallest round one giving at most 8 lines across
/// `span` degrees.
fn graticule_step(span: f64) -> f64 {
    [
        0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0,
    ]
    .into_iter()
    .find(|&st| span / st <= 8.0)
    .unwrap_or(30.0)
}
