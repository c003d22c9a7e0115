//! SVG formatting: coordinates rounded to a tenth of a pixel, ring paths, text elements
//! (inline, with a halo, cut to fit), rectangles, and the wording of lengths, counts and
//! degrees.

use std::fmt::Write as _;

use svg::Node;
use svg::node::element::{Element, Rectangle};

use crate::text::thousands;

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

/// Rough width of `text` in pixels at `size` (sans-serif averages about 0.56 em).
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.58
}

/// `text` cut with an ellipsis to fit `width` pixels at `size`.
pub(super) fn fit(text: &str, size: f64, width: f64) -> String {
    let max = (width / (size * 0.58)).floor().max(1.0) as usize;
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        thousands(n as u64),
        if n == 1 { one } else { many }
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

/// `v` in degrees with as many decimals as `step` needs and a hemisphere letter.
pub(super) fn degrees(v: f64, step: f64, pos: char, neg: char) -> String {
    let decimals = if step >= 1.0 {
        0
    } else if step >= 0.1 && (step * 10.0).fract().abs() < 1e-9 {
        1
    } else if step >= 0.01 && (step * 100.0).fract().abs() < 1e-9 {
        2
    } else {
        3
    };
    let hemisphere = if v < 0.0 { neg } else { pos };
    format!("{:.*}°{hemisphere}", decimals, v.abs())
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
        assert_eq!(degrees(36.25, 0.25, 'N', 'S'), "36.25°N");
        assert_eq!(degrees(-3.0, 1.0, 'E', 'W'), "3°W");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
