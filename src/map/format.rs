//! SVG formatting: coordinates rounded to a tenth of a pixel, ring paths, text elements
//! (inline, with a halo, cut to fit), rectangles, and the wording of lengths, counts and
//! degrees.

use std::fmt::Write as _;

use svg::Node;
use svg::node::element::{Element, Rectangle};

use crate::lang::{Args, Lang, PDI};

use super::layout::Rect;

/// A coordinate rounded to a tenth of a pixel, without a negative zero.
pub(super) fn px(v: f64) -> f64 {
    (v * 10.0).round() / 10.0 + 0.0
}

pub(super) fn push_xy(d: &mut String, p: [f64; 2]) {
    let _ = write!(d, "{} {}", px(p[0]), px(p[1]));
}

/// `M x y L x y … Z` with consecutive duplicates (after rounding) dropped.
pub(super) fn ring_path(ring: &[[f64; 2]]) -> String {
    let mut d = String::with_capacity(ring.len() * 14);
    let mut last = None;
    for &p in ring {
        let q = [px(p[0]), px(p[1])];
        if last == Some(q) {
            continue;
        }
        d.push(if last.is_none() { 'M' } else { 'L' });
        push_xy(&mut d, q);
        last = Some(q);
    }
    d.push('Z');
    d
}

/// Builder-style attributes on a plain [`Element`].
pub(super) trait Set {
    fn set(self, name: &str, value: impl Into<svg::node::Value>) -> Self;
}

impl Set for Element {
    fn set(mut self, name: &str, value: impl Into<svg::node::Value>) -> Self {
        self.assign(name, value);
        self
    }
}

/// A `<text>` element whose content is written inline (the crate's own `Text` element puts
/// it on lines of its own).
pub(super) fn text(x: f64, y: f64, size: f64, content: &str) -> Element {
    let mut t = Element::new("text")
        .set("x", px(x))
        .set("y", px(y))
        .set("font-size", px(size));
    t.append(svg::node::Text::new(content));
    t
}

/// Where a line of text starts: at `left` in a left-to-right language, at `right` in a
/// right-to-left one (the page's `direction="rtl"` makes SVG anchor text at its right end).
pub(super) fn start_x(lang: Lang, left: f64, right: f64) -> f64 {
    if lang.is_rtl() { right } else { left }
}

/// Text with a white halo so it stays readable over the map.
pub(super) fn halo(t: Element, u: f64) -> Element {
    t.set("stroke", "#ffffff")
        .set("stroke-width", px(3.0 * u))
        .set("stroke-linejoin", "round")
        .set("paint-order", "stroke")
}

pub(super) fn rect_element(r: Rect) -> Rectangle {
    Rectangle::new()
        .set("x", px(r.x))
        .set("y", px(r.y))
        .set("width", px(r.w))
        .set("height", px(r.h))
}

/// The grey outline of a map panel's frame.
pub(super) fn frame_outline(r: Rect, u: f64) -> Rectangle {
    rect_element(r)
        .set("fill", "none")
        .set("stroke", "#9aa5b1")
        .set("stroke-width", px(u))
}

/// True for the invisible bidi isolate marks (U+2066 … U+2069), which take no width.
fn is_isolate_mark(c: char) -> bool {
    matches!(c, '\u{2066}'..='\u{2069}')
}

/// The characters of `text` that take width.
fn visible(text: &str) -> usize {
    text.chars().filter(|&c| !is_isolate_mark(c)).count()
}

/// Rough width of `text` in pixels at `size` (sans-serif averages about 0.56 em).
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    visible(text) as f64 * size * 0.58
}

/// `text` cut with an ellipsis to fit `width` pixels at `size`. A cut inside isolated spans
/// (U+2066 … U+2069) closes them before the ellipsis, so no isolate is left open.
pub(super) fn fit(text: &str, size: f64, width: f64) -> String {
    let max = (width / (size * 0.58)).floor().max(1.0) as usize;
    if visible(text) <= max {
        return text.to_string();
    }
    let (mut s, mut open, mut shown) = (String::new(), 0usize, 0usize);
    for c in text.chars() {
        match c {
            PDI if open > 0 => open -= 1,
            PDI => continue,
            c if is_isolate_mark(c) => open += 1,
            _ if shown + 1 >= max => break,
            _ => shown += 1,
        }
        s.push(c);
    }
    for _ in 0..open {
        s.push(PDI);
    }
    s.push('…');
    s
}

/// A length in km as `lang` writes it: `2 km`, `۰٫۵ کیلومتر`.
pub(super) fn km_text(lang: Lang, km: f64) -> String {
    lang.format(
        "map-km",
        &Args::new().text("km", lang.digits(&km_label(km))),
    )
}

/// A length in km without needless decimals: `0.5`, `2`, `250`.
pub(super) fn km_label(km: f64) -> String {
    let s = format!("{km:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The longest round length (1, 2 or 5 × 10ⁿ km) no longer than `max_km`.
pub(super) fn round_length_km(max_km: f64) -> f64 {
    let mut best = 0.001;
    let mut e = 1e-3;
    while e <= 1e5 {
        for m in [1.0, 2.0, 5.0] {
            if m * e <= max_km {
                best = m * e;
            }
        }
        e *= 10.0;
    }
    best
}

/// `v` in degrees with as many decimals as `step` needs and its hemisphere, as `lang`
/// writes it: `36.25°N`, `۳۶٫۲۵° شمالی`. `latitude` picks north/south over east/west.
pub(super) fn degrees(lang: Lang, v: f64, step: f64, latitude: bool) -> String {
    let id = match (latitude, v < 0.0) {
        (true, false) => "map-degrees-north",
        (true, true) => "map-degrees-south",
        (false, false) => "map-degrees-east",
        (false, true) => "map-degrees-west",
    };
    let figure = lang.digits(&degree_figure(v, step));
    lang.format(id, &Args::new().text("deg", figure))
}

/// `|v|` in degrees with as many decimals as `step` needs: `36.25°`.
fn degree_figure(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else if step >= 0.1 && (step * 10.0).fract().abs() < 1e-9 {
        1
    } else if step >= 0.01 && (step * 100.0).fract().abs() < 1e-9 {
        2
    } else {
        3
    };
    format!("{:.*}°", decimals, v.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_lengths_are_round() {
        assert_eq!(round_length_km(0.9), 0.5);
        assert_eq!(round_length_km(1.0), 1.0);
        assert_eq!(round_length_km(37.0), 20.0);
        assert_eq!(round_length_km(180.0), 100.0);
        assert_eq!(round_length_km(499.0), 200.0);
        assert_eq!(km_label(0.5), "0.5");
        assert_eq!(km_label(250.0), "250");
        assert_eq!(degrees(Lang::En, 36.25, 0.25, true), "36.25°N");
        assert_eq!(degrees(Lang::En, -3.0, 1.0, false), "3°W");
        assert_eq!(km_text(Lang::En, 0.5), "0.5 km");
        assert_eq!(km_text(Lang::Fa, 0.5), "\u{2068}۰٫۵\u{2069} کیلومتر");
    }

    #[test]
    fn fit_never_leaves_an_isolate_open() {
        let text = "6 regions by county: \u{2068}قزوین\u{2069}, \u{2068}زنجان\u{2069} · \u{2068}2026-12-02\u{2069}";
        assert_eq!(fit(text, 10.0, 1000.0), text);
        assert_eq!(
            text_width("\u{2068}ab\u{2069}", 10.0),
            text_width("ab", 10.0)
        );
        for width in 1..60 {
            let cut = fit(text, 10.0, 5.8 * width as f64 + 0.1);
            let opened = cut.matches('\u{2068}').count();
            assert_eq!(opened, cut.matches('\u{2069}').count(), "{cut}");
            assert!(visible(&cut) <= width.max(1), "{cut}");
            // Every PDI closes an FSI before it.
            let mut depth = 0i32;
            for c in cut.chars() {
                depth += match c {
                    '\u{2068}' => 1,
                    '\u{2069}' => -1,
                    _ => 0,
                };
                assert!(depth >= 0, "{cut}");
            }
        }
        assert_eq!(fit("abcdef", 10.0, 5.8 * 4.0 + 0.1), "abc…");
    }
}
