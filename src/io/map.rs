//! `map.svg`: a picture of a plan that a planner can put in a report.
//!
//! The map shows the catchment polygons filled with a qualitative palette (neighbouring
//! catchments never share a colour), the gaps left without an awarded center (hatched, with
//! a red outline), the awarded sites, the ideal centers and the proposed sites, with a title
//! block, a legend, a scale bar in round kilometres, a north arrow and a light graticule.
//!
//! The projection is equirectangular with x scaled by the cosine of the middle latitude of
//! the plan: true to scale along that parallel and along the meridians, which is close
//! enough for a province or a country. The output is deterministic (the same plan gives the
//! same bytes), coordinates are rounded to a tenth of a pixel, and text uses the generic
//! `sans-serif` family, so no font files are needed. No household or applicant id appears
//! on the map; catchment ids label the catchments large enough to hold them, and every
//! catchment carries a `<title>` tooltip for viewers that show one.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write;

use geo::{Distance, Euclidean};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle as Envelope};
use svg::Document;
use svg::node::element::{
    Circle, ClipPath, Definitions, Group, Line, Path, Pattern, Rectangle, Text, Title,
};

use crate::error::{Error, Result};
use crate::model::LonLat;
use crate::plan::Plan;
use crate::projection::EARTH_RADIUS_M;

/// Options for the map.
///
/// ```
/// let options = siting::io::map::MapOptions {
///     title: "Qazvin province: welfare service centers".into(),
///     date: "2026-11-24".into(),
///     ..Default::default()
/// };
/// assert_eq!(options.width_px, 1200);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapOptions {
    /// Title shown at the top of the map.
    pub title: String,
    /// Date shown in the title block, e.g. `2026-11-24` (empty: none).
    pub date: String,
    /// Width of the picture in pixels (at least 400; default 1200). The height follows from
    /// the shape of the plan area.
    pub width_px: u32,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            title: "Welfare service centers plan".into(),
            date: String::new(),
            width_px: 1200,
        }
    }
}

/// Narrowest map accepted, in pixels.
const MIN_WIDTH_PX: u32 = 400;

/// Catchment fills: light qualitative colours (after ColorBrewer Paired/Set3, without reds,
/// which are kept for gaps), dark symbols stay readable on every one of them.
const PALETTE: [&str; 8] = [
    "#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6", "#ffed9e", "#8dd3c7", "#f6c6de", "#d9cfb8",
];
const GAP_RED: &str = "#c1121f";
const SITE_BLUE: &str = "#1d3557";
const INK: &str = "#1f2933";
const MUTED: &str = "#616e7c";
const FONT: &str = "sans-serif";

/// Catchments whose outlines come closer than this many pixels are neighbours for the
/// colouring: on the picture they look as if they touch.
const NEIGHBOUR_TOLERANCE_PX: f64 = 0.5;

/// Writes `map.svg`: the plan drawn as a map for a report (see the module docs).
///
/// ```
/// use siting::{PlanConfig, Planner};
/// use siting::io::map::{MapOptions, write_map_svg};
/// let households = siting::synth::households(2_000, 1);
/// let plan = Planner::new(PlanConfig::default())?.plan(&households)?;
/// let options = MapOptions { title: "Test plan".into(), date: "2026-11-24".into(), ..Default::default() };
/// let mut svg = Vec::new();
/// write_map_svg(&plan, &options, &mut svg)?;
/// let text = String::from_utf8(svg).unwrap();
/// assert!(text.contains("Test plan") && text.contains("2026-11-24"));
/// assert_eq!(text.matches("data-catchment=").count(), plan.catchments.len());
/// # Ok::<(), siting::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidConfig`] when `options.width_px` is below 400; [`Error::Io`] when writing
/// fails.
pub fn write_map_svg<W: Write>(plan: &Plan, options: &MapOptions, mut out: W) -> Result<()> {
    if options.width_px < MIN_WIDTH_PX {
        return Err(Error::InvalidConfig(format!(
            "the map must be at least {MIN_WIDTH_PX} pixels wide (got {})",
            options.width_px
        )));
    }
    let document = render(plan, options);
    let text = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{document}\n");
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("writing", "map.svg", e))
}

// ---------------------------------------------------------------------------------------
// Geometry: extent, projection, layout.

/// Kilometres per degree of latitude on the sphere the crate measures with.
fn km_per_degree() -> f64 {
    EARTH_RADIUS_M * std::f64::consts::PI / 180.0 / 1000.0
}

/// Equirectangular projection into pixels.
#[derive(Debug, Clone, Copy)]
struct View {
    min_lon: f64,
    max_lat: f64,
    /// cos of the middle latitude.
    cos: f64,
    /// Middle latitude, where the scale is true.
    lat0: f64,
    /// Pixels per degree of latitude.
    k: f64,
    /// Pixel of (`min_lon`, `max_lat`).
    origin: [f64; 2],
}

impl View {
    fn xy(&self, p: LonLat) -> [f64; 2] {
        [
            self.origin[0] + (p.lon - self.min_lon) * self.cos * self.k,
            self.origin[1] + (self.max_lat - p.lat) * self.k,
        ]
    }

    fn lon_at(&self, x: f64) -> f64 {
        self.min_lon + (x - self.origin[0]) / (self.cos * self.k)
    }

    fn lat_at(&self, y: f64) -> f64 {
        self.max_lat - (y - self.origin[1]) / self.k
    }

    fn px_per_km(&self) -> f64 {
        self.k / km_per_degree()
    }
}

#[derive(Debug, Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    fn corners(&self) -> [[f64; 2]; 4] {
        [
            [self.x, self.y],
            [self.x + self.w, self.y],
            [self.x + self.w, self.y + self.h],
            [self.x, self.y + self.h],
        ]
    }
}

/// Where everything goes on the page; every length scales with the width (`u` = 1 at
/// 1200 px).
#[derive(Debug, Clone, Copy)]
struct Layout {
    width: f64,
    height: f64,
    u: f64,
    margin: f64,
    frame: Rect,
    panel: Rect,
    view: View,
}

fn layout(plan: &Plan, width_px: u32) -> Layout {
    let width = f64::from(width_px);
    let u = width / 1200.0;
    let margin = 24.0 * u;
    let title_h = 96.0 * u;
    let panel_w = 300.0 * u;
    let gutter = 20.0 * u;
    let pad = 26.0 * u;

    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    let points = plan
        .catchments
        .iter()
        .flat_map(|c| c.polygon.iter().chain(std::iter::once(&c.center)));
    for p in points.filter(|p| p.lon.is_finite() && p.lat.is_finite()) {
        lo = [lo[0].min(p.lon), lo[1].min(p.lat)];
        hi = [hi[0].max(p.lon), hi[1].max(p.lat)];
    }
    if lo[0] > hi[0] {
        (lo, hi) = ([-0.05, -0.05], [0.05, 0.05]);
    }
    // At least about a kilometre across, so a single point still makes a map.
    for a in 0..2 {
        let short = 0.01 - (hi[a] - lo[a]);
        if short > 0.0 {
            lo[a] -= short / 2.0;
            hi[a] += short / 2.0;
        }
    }
    let lat0 = (lo[1] + hi[1]) / 2.0;
    let cos = lat0.to_radians().cos().max(0.05);
    let (ew, eh) = ((hi[0] - lo[0]) * cos, hi[1] - lo[1]);

    let frame_w = width - 2.0 * margin - panel_w - gutter;
    let inner_w = frame_w - 2.0 * pad;
    let frame_h = (inner_w * eh / ew + 2.0 * pad).clamp(500.0 * u, 1.4 * frame_w);
    let k = (inner_w / ew).min((frame_h - 2.0 * pad) / eh);
    let frame = Rect {
        x: margin,
        y: margin + title_h,
        w: frame_w,
        h: frame_h,
    };
    let view = View {
        min_lon: lo[0],
        max_lat: hi[1],
        cos,
        lat0,
        k,
        origin: [
            frame.x + (frame.w - ew * k) / 2.0,
            frame.y + (frame.h - eh * k) / 2.0,
        ],
    };
    let panel = Rect {
        x: frame.x + frame.w + gutter,
        y: frame.y,
        w: panel_w,
        h: frame.h,
    };
    Layout {
        width,
        height: frame.y + frame.h + 40.0 * u,
        u,
        margin,
        frame,
        panel,
        view,
    }
}

/// Area and centroid of a polygon in pixels (shoelace); the vertex mean when degenerate.
fn area_centroid(ring: &[[f64; 2]]) -> (f64, [f64; 2]) {
    let n = ring.len();
    if n == 0 {
        return (0.0, [0.0, 0.0]);
    }
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (p, q) = (ring[i], ring[(i + 1) % n]);
        let cross = p[0] * q[1] - q[0] * p[1];
        a += cross;
        cx += (p[0] + q[0]) * cross;
        cy += (p[1] + q[1]) * cross;
    }
    if a.abs() < 1e-9 {
        let m = ring
            .iter()
            .fold([0.0, 0.0], |s, p| [s[0] + p[0], s[1] + p[1]]);
        return (0.0, [m[0] / n as f64, m[1] / n as f64]);
    }
    (a.abs() / 2.0, [cx / (3.0 * a), cy / (3.0 * a)])
}

/// True when `p` is inside the convex `ring` (either orientation).
fn convex_contains(ring: &[[f64; 2]], p: [f64; 2]) -> bool {
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let (mut pos, mut neg) = (false, false);
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        let cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
        pos |= cross > 0.0;
        neg |= cross < 0.0;
    }
    !(pos && neg)
}

// ---------------------------------------------------------------------------------------
// Neighbours and colours.

/// Neighbour lists (sorted) of polygons that touch, overlap or come within `tolerance` of
/// each other: candidates from an R-tree over their bounding boxes, then the exact distance
/// between the two polygons. About O(k log k) for a plan's catchments.
fn neighbours(rings: &[Vec<[f64; 2]>], tolerance: f64) -> Vec<Vec<u32>> {
    let polygons: Vec<geo::Polygon<f64>> = rings
        .iter()
        .map(|r| {
            geo::Polygon::new(
                geo::LineString::from(r.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>()),
                vec![],
            )
        })
        .collect();
    let boxes: Vec<Option<([f64; 2], [f64; 2])>> = rings
        .iter()
        .map(|r| {
            let first = r.first()?;
            Some(r.iter().fold((*first, *first), |(lo, hi), p| {
                (
                    [lo[0].min(p[0]), lo[1].min(p[1])],
                    [hi[0].max(p[0]), hi[1].max(p[1])],
                )
            }))
        })
        .collect();
    let tree = RTree::bulk_load(
        boxes
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                b.map(|(lo, hi)| GeomWithData::new(Envelope::from_corners(lo, hi), i as u32))
            })
            .collect::<Vec<_>>(),
    );
    let mut lists = vec![Vec::new(); rings.len()];
    for (i, b) in boxes.iter().enumerate() {
        let Some((lo, hi)) = b else { continue };
        let query = AABB::from_corners(
            [lo[0] - tolerance, lo[1] - tolerance],
            [hi[0] + tolerance, hi[1] + tolerance],
        );
        for cand in tree.locate_in_envelope_intersecting(query) {
            let j = cand.data as usize;
            if j > i && Euclidean.distance(&polygons[i], &polygons[j]) <= tolerance {
                lists[i].push(j as u32);
                lists[j].push(i as u32);
            }
        }
    }
    for l in &mut lists {
        l.sort_unstable();
    }
    lists
}

/// A colour index per vertex such that neighbours differ whenever `colours` suffice: greedy
/// colouring in smallest-last (degeneracy) order, which needs at most one colour more than
/// the graph's degeneracy (at most 6 for a planar map); among the free colours the least
/// used so far, so the palette is spread evenly. Deterministic; O((V + E) log V).
fn colour(neighbours: &[Vec<u32>], colours: usize) -> Vec<usize> {
    let n = neighbours.len();
    let mut degree: Vec<usize> = neighbours.iter().map(Vec::len).collect();
    let mut queue: BTreeSet<(usize, usize)> = (0..n).map(|v| (degree[v], v)).collect();
    let mut removed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while let Some((_, v)) = queue.pop_first() {
        removed[v] = true;
        order.push(v);
        for &w in &neighbours[v] {
            let w = w as usize;
            if !removed[w] {
                queue.remove(&(degree[w], w));
                degree[w] -= 1;
                queue.insert((degree[w], w));
            }
        }
    }
    let mut colour = vec![usize::MAX; n];
    let mut used = vec![0usize; colours];
    let mut clashes = vec![0usize; colours];
    for &v in order.iter().rev() {
        clashes.iter_mut().for_each(|c| *c = 0);
        for &w in &neighbours[v] {
            if let Some(c) = clashes.get_mut(colour[w as usize]) {
                *c += 1;
            }
        }
        let c = (0..colours)
            .min_by_key(|&c| (clashes[c], used[c], c))
            .unwrap_or(0);
        colour[v] = c;
        used[c] += 1;
    }
    colour
}

// ---------------------------------------------------------------------------------------
// Formatting.

/// A coordinate rounded to a tenth of a pixel, without a negative zero.
fn px(v: f64) -> f64 {
    (v * 10.0).round() / 10.0 + 0.0
}

fn push_xy(d: &mut String, p: [f64; 2]) {
    let _ = write!(d, "{} {}", px(p[0]), px(p[1]));
}

/// `M x y L x y … Z` with consecutive duplicates (after rounding) dropped.
fn ring_path(ring: &[[f64; 2]]) -> String {
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

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        thousands(n as u64),
        if n == 1 { one } else { many }
    )
}

/// Rough width of `text` in pixels at `size` (sans-serif averages about 0.56 em).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.58
}

/// `text` cut with an ellipsis to fit `width` pixels at `size`.
fn fit(text: &str, size: f64, width: f64) -> String {
    let max = (width / (size * 0.58)).floor().max(1.0) as usize;
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// A length in km without needless decimals: `0.5`, `2`, `250`.
fn km_label(km: f64) -> String {
    let s = format!("{km:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The longest round length (1, 2 or 5 × 10ⁿ km) no longer than `max_km`.
fn round_length_km(max_km: f64) -> f64 {
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

fn text(x: f64, y: f64, size: f64, content: &str) -> Text {
    Text::new(content)
        .set("x", px(x))
        .set("y", px(y))
        .set("font-size", px(size))
}

/// Text with a white halo so it stays readable over the map.
fn halo(t: Text, u: f64) -> Text {
    t.set("stroke", "#ffffff")
        .set("stroke-width", px(3.0 * u))
        .set("stroke-linejoin", "round")
        .set("paint-order", "stroke")
}

fn degrees(v: f64, step: f64, pos: char, neg: char) -> String {
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

// ---------------------------------------------------------------------------------------
// The picture.

/// Everything the drawing needs about a plan's sites.
struct Status {
    /// Per catchment: awarded proposal, if any.
    awarded: Vec<Option<usize>>,
    /// Per catchment: a gap (only when applicants were given).
    gap: Vec<bool>,
    has_sites: bool,
}

fn status(plan: &Plan) -> Status {
    let k = plan.catchments.len();
    match plan.sites.as_ref() {
        None => Status {
            awarded: vec![None; k],
            gap: vec![false; k],
            has_sites: false,
        },
        Some(sites) => {
            let awarded: Vec<Option<usize>> = (0..k)
                .map(|c| sites.award.catchment_site.get(c).copied().flatten())
                .collect();
            let mut gap = vec![false; k];
            for &g in &sites.gaps {
                if let Some(slot) = gap.get_mut(g as usize) {
                    *slot = true;
                }
            }
            Status {
                awarded,
                gap,
                has_sites: true,
            }
        }
    }
}

fn render(plan: &Plan, options: &MapOptions) -> Document {
    let lay = layout(plan, options.width_px);
    let (u, view, frame) = (lay.u, lay.view, lay.frame);
    let st = status(plan);

    let rings: Vec<Vec<[f64; 2]>> = plan
        .catchments
        .iter()
        .map(|c| {
            let mut r: Vec<[f64; 2]> = c.polygon.iter().map(|&p| view.xy(p)).collect();
            if r.len() > 1 && r.first() == r.last() {
                r.pop();
            }
            r
        })
        .collect();
    let fills = colour(&neighbours(&rings, NEIGHBOUR_TOLERANCE_PX), PALETTE.len());
    let shapes: Vec<(f64, [f64; 2])> = rings.iter().map(|r| area_centroid(r)).collect();

    // Symbol size from the typical catchment's size on the page.
    let mut sizes: Vec<f64> = shapes.iter().map(|s| s.0.sqrt()).collect();
    sizes.sort_by(f64::total_cmp);
    let typical = sizes.get(sizes.len() / 2).copied().unwrap_or(40.0 * u);
    let s = (typical * 0.09).clamp(1.6 * u, 4.5 * u);

    let mut defs = Definitions::new().add(
        ClipPath::new().set("id", "map-clip").add(
            Rectangle::new()
                .set("x", px(frame.x))
                .set("y", px(frame.y))
                .set("width", px(frame.w))
                .set("height", px(frame.h)),
        ),
    );
    let hatch = px(7.0 * u);
    defs = defs.add(
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
                    .set("stroke-opacity", 0.75),
            ),
    );

    let mut doc = Document::new()
        .set("width", px(lay.width))
        .set("height", px(lay.height))
        .set(
            "viewBox",
            format!("0 0 {} {}", px(lay.width), px(lay.height)),
        )
        .set("font-family", FONT)
        .set("fill", INK)
        .add(Title::new(options.title.as_str()))
        .add(defs)
        .add(
            Rectangle::new()
                .set("width", "100%")
                .set("height", "100%")
                .set("fill", "#ffffff"),
        );

    // The map itself, clipped to its frame.
    let mut map = Group::new()
        .set("id", "map")
        .set("clip-path", "url(#map-clip)")
        .add(
            Rectangle::new()
                .set("x", px(frame.x))
                .set("y", px(frame.y))
                .set("width", px(frame.w))
                .set("height", px(frame.h))
                .set("fill", "#f4f6f8"),
        );
    let (graticule, tick_labels) = graticule(&lay);
    map = map.add(graticule);

    let mut catchments = Group::new()
        .set("id", "catchments")
        .set("stroke", "#ffffff")
        .set("stroke-linejoin", "round");
    for (i, c) in plan.catchments.iter().enumerate() {
        let region = plan
            .regions
            .get(c.region as usize)
            .map(|r| r.name.as_str())
            .unwrap_or("");
        let mut tip = c.id.clone();
        if !region.is_empty() {
            let _ = write!(tip, " · {region}");
        }
        let _ = write!(tip, " · {} households", thousands(c.households));
        if st.has_sites {
            tip.push_str(if st.gap[i] { " · gap" } else { " · awarded" });
        }
        // Thin outlines on small catchments so they do not turn white.
        let outline = (0.12 * shapes[i].0.sqrt()).clamp(0.15 * u, 0.9 * u);
        catchments = catchments.add(
            Path::new()
                .set("data-catchment", c.id.as_str())
                .set("d", ring_path(&rings[i]))
                .set("fill", PALETTE[fills[i] % PALETTE.len()])
                .set("stroke-width", px(outline))
                .add(Title::new(tip)),
        );
    }
    map = map.add(catchments);

    if st.has_sites {
        let mut gaps = Group::new()
            .set("id", "gaps")
            .set("fill", "url(#gap-hatch)")
            .set("stroke", GAP_RED)
            .set("stroke-linejoin", "round");
        for (i, c) in plan
            .catchments
            .iter()
            .enumerate()
            .filter(|(i, _)| st.gap[*i])
        {
            let width = (0.08 * shapes[i].0.sqrt()).clamp(0.6 * u, 2.0 * u);
            gaps = gaps.add(
                Path::new()
                    .set("data-gap", c.id.as_str())
                    .set("d", ring_path(&rings[i]))
                    .set("stroke-width", px(width)),
            );
        }
        map = map.add(gaps);
    }

    // Proposed sites: one path of round dots ("M x y h0" with round caps), duplicates merged.
    let sites = plan.sites.as_ref();
    let proposal_count = sites.map_or(0, |s| s.proposals.len());
    if let Some(sites) = sites {
        let mut dots: Vec<(i64, i64)> = sites
            .proposals
            .iter()
            .map(|p| view.xy(p.position))
            .filter(|p| p[0].is_finite() && p[1].is_finite())
            .map(|p| ((p[0] * 10.0).round() as i64, (p[1] * 10.0).round() as i64))
            .collect();
        dots.sort_unstable();
        dots.dedup();
        let mut d = String::with_capacity(dots.len() * 16);
        for (x, y) in dots {
            d.push('M');
            push_xy(&mut d, [x as f64 / 10.0, y as f64 / 10.0]);
            d.push_str("h0");
        }
        if !d.is_empty() {
            map = map.add(
                Path::new()
                    .set("id", "proposals")
                    .set("d", d)
                    .set("stroke", "#334155")
                    .set("stroke-opacity", 0.5)
                    .set("stroke-width", px((s * 0.7).max(1.6 * u)))
                    .set("stroke-linecap", "round")
                    .set("fill", "none"),
            );
        }
    }

    // Ideal centers: crosses with a white halo underneath.
    let mut crosses = String::with_capacity(plan.catchments.len() * 40);
    for c in &plan.catchments {
        let [x, y] = view.xy(c.center);
        crosses.push('M');
        push_xy(&mut crosses, [x - s, y]);
        let _ = write!(crosses, "h{}M", px(2.0 * s));
        push_xy(&mut crosses, [x, y - s]);
        let _ = write!(crosses, "v{}", px(2.0 * s));
    }
    let cross_width = (s * 0.42).max(1.0 * u);
    map = map.add(
        Group::new()
            .set("id", "ideal-centers")
            .set("fill", "none")
            .add(
                Path::new()
                    .set("d", crosses.clone())
                    .set("stroke", "#ffffff")
                    .set("stroke-width", px(cross_width + 2.0 * u)),
            )
            .add(
                Path::new()
                    .set("d", crosses)
                    .set("stroke", INK)
                    .set("stroke-width", px(cross_width)),
            ),
    );

    // Awarded sites.
    let mut awarded_count = 0;
    if let Some(sites) = sites {
        let mut group = Group::new()
            .set("id", "awarded-sites")
            .set("fill", SITE_BLUE)
            .set("stroke", "#ffffff")
            .set("stroke-width", px(0.9 * u));
        for (i, c) in plan.catchments.iter().enumerate() {
            let Some(site) = st.awarded[i].and_then(|p| sites.proposals.get(p)) else {
                continue;
            };
            awarded_count += 1;
            let [x, y] = view.xy(site.position);
            group = group.add(
                Circle::new()
                    .set("data-catchment", c.id.as_str())
                    .set("cx", px(x))
                    .set("cy", px(y))
                    .set("r", px(s * 1.15)),
            );
        }
        map = map.add(group);
    }

    // Labels: region names (several regions), then catchment ids where they fit.
    let mut placed: Vec<Rect> = Vec::new();
    let mut labels = Group::new()
        .set("id", "labels")
        .set("text-anchor", "middle");
    if plan.regions.len() > 1 {
        let size = 12.5 * u;
        let mut regions: Vec<(u64, usize, [f64; 2])> = plan
            .regions
            .iter()
            .enumerate()
            .filter_map(|(r, _)| {
                let (mut w, mut x, mut y) = (0.0, 0.0, 0.0);
                let mut households = 0;
                for (i, c) in plan.catchments.iter().enumerate() {
                    if c.region as usize == r {
                        let h = c.households.max(1) as f64;
                        w += h;
                        x += h * shapes[i].1[0];
                        y += h * shapes[i].1[1];
                        households += c.households;
                    }
                }
                (w > 0.0).then(|| (households, r, [x / w, y / w]))
            })
            .collect();
        regions.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, r, [x, y]) in regions {
            let name = &plan.regions[r].name;
            let w = text_width(name, size);
            let rect = Rect {
                x: x - w / 2.0,
                y: y - size,
                w,
                h: size * 1.3,
            };
            if name.is_empty() || placed.iter().any(|p| p.overlaps(&rect)) {
                continue;
            }
            placed.push(rect);
            labels = labels.add(halo(
                text(x, y, size, name)
                    .set("font-weight", "bold")
                    .set("fill", "#3e4c59")
                    .set("data-region", name.as_str()),
                u,
            ));
        }
    }
    let size = 10.0 * u;
    for (i, c) in plan.catchments.iter().enumerate() {
        let w = text_width(&c.id, size);
        let anchor = view.xy(c.center);
        let site = st.awarded[i]
            .and_then(|p| sites.and_then(|s| s.proposals.get(p)))
            .map(|p| view.xy(p.position));
        let mut keep_clear = vec![anchor];
        keep_clear.extend(site);
        for dy in [s + 3.0 * u, -(s + 3.0 * u + size)] {
            let rect = Rect {
                x: anchor[0] - w / 2.0 - 2.0 * u,
                y: anchor[1] + dy,
                w: w + 4.0 * u,
                h: size * 1.15,
            };
            let inside = rect
                .corners()
                .iter()
                .all(|&p| convex_contains(&rings[i], p));
            let clear = keep_clear.iter().all(|p| {
                let grown = Rect {
                    x: p[0] - s * 1.3,
                    y: p[1] - s * 1.3,
                    w: s * 2.6,
                    h: s * 2.6,
                };
                !grown.overlaps(&rect)
            });
            if inside && clear && !placed.iter().any(|p| p.overlaps(&rect)) {
                placed.push(rect);
                labels = labels.add(halo(
                    text(anchor[0], rect.y + size * 0.88, size, &c.id).set("fill", "#3e4c59"),
                    u,
                ));
                break;
            }
        }
    }
    map = map.add(labels).add(tick_labels);
    doc = doc.add(map).add(
        Rectangle::new()
            .set("x", px(frame.x))
            .set("y", px(frame.y))
            .set("width", px(frame.w))
            .set("height", px(frame.h))
            .set("fill", "none")
            .set("stroke", "#9aa5b1")
            .set("stroke-width", px(u)),
    );

    let counts = Counts {
        catchments: plan.catchments.len(),
        households: plan.metrics.households,
        awarded: awarded_count,
        gaps: st.gap.iter().filter(|g| **g).count(),
        proposals: proposal_count,
        has_sites: st.has_sites,
    };
    doc = doc.add(title_block(plan, options, &lay, &counts));
    doc = doc.add(legend(&lay, &counts, s, cross_width));
    doc.add(
        text(
            lay.frame.x,
            lay.frame.y + lay.frame.h + 22.0 * u,
            11.0 * u,
            &format!(
                "Equirectangular projection, true to scale at {} · WGS 84 · catchment colours only tell neighbours apart · siting {}",
                degrees(view.lat0, 0.1, 'N', 'S'),
                env!("CARGO_PKG_VERSION")
            ),
        )
        .set("fill", MUTED),
    )
}

/// Light graticule lines (under the catchments) and their labels along the bottom and left
/// edges of the frame.
fn graticule(lay: &Layout) -> (Group, Group) {
    let (u, view, f) = (lay.u, lay.view, lay.frame);
    let (lon_min, lon_max) = (view.lon_at(f.x), view.lon_at(f.x + f.w));
    let (lat_min, lat_max) = (view.lat_at(f.y + f.h), view.lat_at(f.y));
    let span = (lon_max - lon_min).max(lat_max - lat_min);
    let step = [
        0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0,
    ]
    .into_iter()
    .find(|&st| span / st <= 8.0)
    .unwrap_or(30.0);
    let mut lines = String::new();
    let size = 10.0 * u;
    let mut labels = Group::new()
        .set("id", "graticule-labels")
        .set("fill", MUTED);
    let corner = 60.0 * u;
    let mut i = (lon_min / step).ceil() as i64;
    while (i as f64) * step <= lon_max {
        let lon = i as f64 * step;
        let x = view.xy(LonLat::new(lon, view.lat0))[0];
        let _ = write!(lines, "M{} {}V{}", px(x), px(f.y), px(f.y + f.h));
        if x - f.x > corner && f.x + f.w - x > 20.0 * u {
            labels = labels.add(halo(
                text(
                    x + 3.0 * u,
                    f.y + f.h - 5.0 * u,
                    size,
                    &degrees(lon, step, 'E', 'W'),
                ),
                u,
            ));
        }
        i += 1;
    }
    let mut j = (lat_min / step).ceil() as i64;
    while (j as f64) * step <= lat_max {
        let lat = j as f64 * step;
        let y = view.xy(LonLat::new(view.min_lon, lat))[1];
        let _ = write!(lines, "M{} {}H{}", px(f.x), px(y), px(f.x + f.w));
        if f.y + f.h - y > corner / 2.0 && y - f.y > 20.0 * u {
            labels = labels.add(halo(
                text(
                    f.x + 4.0 * u,
                    y - 3.0 * u,
                    size,
                    &degrees(lat, step, 'N', 'S'),
                ),
                u,
            ));
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
    (group, labels)
}

struct Counts {
    catchments: usize,
    households: u64,
    awarded: usize,
    gaps: usize,
    proposals: usize,
    has_sites: bool,
}

fn title_block(plan: &Plan, options: &MapOptions, lay: &Layout, n: &Counts) -> Group {
    let u = lay.u;
    let x = lay.margin;
    let width = lay.width - 2.0 * lay.margin;
    let names: Vec<&str> = plan
        .regions
        .iter()
        .map(|r| r.name.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    let by = plan.region_columns.join(" / ");
    let area = match names.len() {
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
    };
    let subtitle: Vec<&str> = [area.as_str(), options.date.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let mut line = vec![
        plural(n.catchments, "catchment", "catchments"),
        format!("{} households", thousands(n.households)),
    ];
    if n.has_sites {
        line.push(format!("{} awarded", thousands(n.awarded as u64)));
        line.push(plural(n.gaps, "gap", "gaps"));
    } else {
        line.push("no applicants yet: ideal centers only".into());
    }
    let mut g = Group::new()
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
        );
    g = g.add(
        Line::new()
            .set("x1", px(x))
            .set("x2", px(x + width))
            .set("y1", px(lay.frame.y - 8.0 * u))
            .set("y2", px(lay.frame.y - 8.0 * u))
            .set("stroke", "#cbd2d9")
            .set("stroke-width", px(u)),
    );
    g
}

fn legend(lay: &Layout, n: &Counts, s: f64, cross_width: f64) -> Group {
    let u = lay.u;
    let p = lay.panel;
    let x = p.x + 4.0 * u;
    let label_x = x + 42.0 * u;
    let size = 13.0 * u;
    let text_w = p.x + p.w - label_x;
    let mut y = p.y + 16.0 * u;
    let mut g = Group::new()
        .set("id", "legend")
        .add(text(x, y, 15.0 * u, "Legend").set("font-weight", "bold"));
    y += 30.0 * u;
    let swatch = |g: Group, y: f64| -> Group {
        let w = 32.0 * u / 3.0;
        (0..3).fold(g, |g, i| {
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
        })
    };
    let mean = if n.catchments > 0 {
        n.households / n.catchments as u64
    } else {
        0
    };
    g = swatch(g, y).add(text(
        label_x,
        y,
        size,
        &fit(
            &format!("Catchment (about {} households)", thousands(mean)),
            size,
            text_w,
        ),
    ));
    y += 30.0 * u;
    if n.has_sites {
        g = g
            .add(
                Rectangle::new()
                    .set("x", px(x))
                    .set("y", px(y - 13.0 * u))
                    .set("width", px(32.0 * u))
                    .set("height", px(18.0 * u))
                    .set("fill", PALETTE[0]),
            )
            .add(
                Rectangle::new()
                    .set("x", px(x))
                    .set("y", px(y - 13.0 * u))
                    .set("width", px(32.0 * u))
                    .set("height", px(18.0 * u))
                    .set("fill", "url(#gap-hatch)")
                    .set("stroke", GAP_RED)
                    .set("stroke-width", px(2.0 * u)),
            )
            .add(text(
                label_x,
                y,
                size,
                &fit(
                    &format!("Gap: no center awarded ({})", thousands(n.gaps as u64)),
                    size,
                    text_w,
                ),
            ));
        y += 30.0 * u;
        g = g
            .add(
                Circle::new()
                    .set("cx", px(x + 16.0 * u))
                    .set("cy", px(y - 4.0 * u))
                    .set("r", px((s * 1.15).max(4.0 * u)))
                    .set("fill", SITE_BLUE)
                    .set("stroke", "#ffffff")
                    .set("stroke-width", px(0.9 * u)),
            )
            .add(text(
                label_x,
                y,
                size,
                &fit(
                    &format!("Awarded site ({})", thousands(n.awarded as u64)),
                    size,
                    text_w,
                ),
            ));
        y += 30.0 * u;
    }
    let arm = s.max(4.0 * u);
    let (cx, cy) = (x + 16.0 * u, y - 4.0 * u);
    g = g
        .add(
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
        .add(text(
            label_x,
            y,
            size,
            &fit("Ideal center (least travel)", size, text_w),
        ));
    y += 30.0 * u;
    if n.has_sites {
        g = g
            .add(
                Circle::new()
                    .set("cx", px(x + 16.0 * u))
                    .set("cy", px(y - 4.0 * u))
                    .set("r", px((s * 0.35).max(1.6 * u)))
                    .set("fill", "#334155")
                    .set("fill-opacity", 0.5),
            )
            .add(text(
                label_x,
                y,
                size,
                &fit(
                    &format!("Proposed site ({})", thousands(n.proposals as u64)),
                    size,
                    text_w,
                ),
            ));
        y += 30.0 * u;
    }

    // Scale bar: a round length, four alternating segments.
    y += 14.0 * u;
    let max_bar = p.w - 90.0 * u;
    let km = round_length_km(max_bar / lay.view.px_per_km());
    let bar = km * lay.view.px_per_km();
    g = g.add(text(x, y, 13.0 * u, "Scale").set("font-weight", "bold"));
    y += 22.0 * u;
    let bar_y = y;
    let seg = bar / 4.0;
    for i in 0..4 {
        g = g.add(
            Rectangle::new()
                .set("x", px(x + i as f64 * seg))
                .set("y", px(bar_y))
                .set("width", px(seg))
                .set("height", px(6.0 * u))
                .set("fill", if i % 2 == 0 { INK } else { "#ffffff" })
                .set("stroke", INK)
                .set("stroke-width", px(0.8 * u)),
        );
    }
    let label_y = bar_y + 22.0 * u;
    g = g
        .add(text(x, label_y, 11.0 * u, "0").set("text-anchor", "middle"))
        .add(
            text(x + bar / 2.0, label_y, 11.0 * u, &km_label(km / 2.0))
                .set("text-anchor", "middle"),
        )
        .add(
            text(x + bar, label_y, 11.0 * u, &format!("{} km", km_label(km)))
                .set("text-anchor", "middle")
                .set("data-role", "scale"),
        );

    // North arrow, right of the scale bar.
    let ax = p.x + p.w - 24.0 * u;
    let (top, bottom) = (bar_y - 26.0 * u, bar_y + 22.0 * u);
    let half = 9.0 * u;
    let mid = bottom - 12.0 * u;
    g = g
        .add(
            Path::new()
                .set(
                    "d",
                    format!(
                        "M{} {}L{} {}L{} {}Z",
                        px(ax),
                        px(top),
                        px(ax),
                        px(mid),
                        px(ax - half),
                        px(bottom)
                    ),
                )
                .set("fill", "#ffffff")
                .set("stroke", INK)
                .set("stroke-width", px(u))
                .set("stroke-linejoin", "round"),
        )
        .add(
            Path::new()
                .set(
                    "d",
                    format!(
                        "M{} {}L{} {}L{} {}Z",
                        px(ax),
                        px(top),
                        px(ax + half),
                        px(bottom),
                        px(ax),
                        px(mid)
                    ),
                )
                .set("fill", INK)
                .set("stroke", INK)
                .set("stroke-width", px(u))
                .set("stroke-linejoin", "round"),
        )
        .add(
            text(ax, top - 5.0 * u, 14.0 * u, "N")
                .set("text-anchor", "middle")
                .set("font-weight", "bold"),
        );
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Applicant, Applicants, Households, PlanConfig, Planner, Proposal};
    use geo::Intersects;

    fn plan_of(n: usize) -> (Planner, Households, Plan) {
        let hh = crate::synth::households(n, 1);
        let planner = Planner::new(PlanConfig::default()).unwrap();
        let plan = planner.plan(&hh).unwrap();
        (planner, hh, plan)
    }

    /// A plan of `n` synthetic households where every third catchment gets no proposal
    /// (a gap) and the others get one applicant proposing the ideal center, plus an
    /// applicant proposing a site far outside the plan area.
    fn awarded_plan(n: usize) -> Plan {
        let (planner, hh, mut plan) = plan_of(n);
        let mut items: Vec<Applicant> = plan
            .catchments
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 1)
            .map(|(i, c)| Applicant {
                id: format!("A-{i:03}"),
                score: Some(50.0),
                eligible: true,
                max_centers: 1,
                proposals: vec![Proposal {
                    preference: 1,
                    position: c.center,
                    line: 2,
                }],
                line: 2,
            })
            .collect();
        let c0 = plan.catchments[0].center;
        items.push(Applicant {
            id: "A-far".into(),
            score: None,
            eligible: true,
            max_centers: 1,
            proposals: vec![Proposal {
                preference: 1,
                position: LonLat::new(c0.lon + 3.0, c0.lat),
                line: 3,
            }],
            line: 3,
        });
        let applicants = Applicants {
            items,
            ..Default::default()
        };
        planner.award_sites(&mut plan, &hh, &applicants).unwrap();
        plan
    }

    fn options() -> MapOptions {
        MapOptions {
            title: "Synthetic <test> plan & centers".into(),
            date: "2026-11-24".into(),
            ..Default::default()
        }
    }

    fn render_string(plan: &Plan, options: &MapOptions) -> String {
        let mut out = Vec::new();
        write_map_svg(plan, options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn texts<'a>(doc: &'a roxmltree::Document) -> Vec<&'a str> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect()
    }

    fn by_id<'a, 'i>(
        doc: &'a roxmltree::Document<'i>,
        id: &str,
    ) -> Option<roxmltree::Node<'a, 'i>> {
        doc.descendants().find(|n| n.attribute("id") == Some(id))
    }

    /// Fill of each catchment's path, in plan order.
    fn fills(doc: &roxmltree::Document, plan: &Plan) -> Vec<String> {
        let group = by_id(doc, "catchments").expect("catchments group");
        let paths: Vec<_> = group
            .children()
            .filter(|n| n.has_tag_name("path"))
            .collect();
        assert_eq!(paths.len(), plan.catchments.len(), "one path per catchment");
        paths
            .iter()
            .zip(&plan.catchments)
            .map(|(p, c)| {
                assert_eq!(p.attribute("data-catchment"), Some(c.id.as_str()));
                p.attribute("fill").unwrap().to_string()
            })
            .collect()
    }

    /// Touching catchments, found by brute force on the lon/lat polygons.
    fn touching_pairs(plan: &Plan) -> Vec<(usize, usize)> {
        let polys: Vec<geo::Polygon<f64>> = plan
            .catchments
            .iter()
            .map(|c| {
                geo::Polygon::new(
                    c.polygon
                        .iter()
                        .map(|p| (p.lon, p.lat))
                        .collect::<Vec<_>>()
                        .into(),
                    vec![],
                )
            })
            .collect();
        let mut pairs = Vec::new();
        for i in 0..polys.len() {
            for j in i + 1..polys.len() {
                if polys[i].intersects(&polys[j]) {
                    pairs.push((i, j));
                }
            }
        }
        pairs
    }

    #[test]
    fn a_plan_without_applicants_is_a_map_of_catchments_and_ideal_centers() {
        let (_, _, plan) = plan_of(2_000);
        let svg = render_string(&plan, &options());
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("width"), Some("1200"));
        assert_eq!(fills(&doc, &plan).len(), plan.catchments.len());
        assert!(
            by_id(&doc, "gaps").is_none(),
            "no gap styling without applicants"
        );
        assert!(by_id(&doc, "awarded-sites").is_none());
        assert!(
            !svg.contains("gap-hatch)\" stroke"),
            "no hatched legend entry"
        );
        let crosses = by_id(&doc, "ideal-centers").unwrap();
        let d = crosses.children().find(|n| n.has_tag_name("path")).unwrap();
        assert_eq!(
            d.attribute("d").unwrap().matches('h').count(),
            plan.catchments.len(),
            "one cross per ideal center"
        );
        let all = texts(&doc);
        assert!(all.contains(&"Synthetic <test> plan & centers"), "{all:?}");
        assert!(all.iter().any(|t| t.contains("2026-11-24")));
        assert!(
            all.iter()
                .any(|t| t.starts_with("4 catchments · 2,000 households")),
            "{all:?}"
        );
        let scale = by_id(&doc, "legend")
            .unwrap()
            .descendants()
            .find(|n| n.attribute("data-role") == Some("scale"))
            .and_then(|n| n.text())
            .unwrap();
        assert!(scale.ends_with(" km"), "{scale}");
        let km: f64 = scale.trim_end_matches(" km").parse().unwrap();
        let mantissa = km / 10f64.powf(km.log10().floor());
        assert!(
            [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9),
            "round length: {km}"
        );
    }

    #[test]
    fn gaps_awarded_sites_and_proposals_are_drawn_and_counted() {
        let plan = awarded_plan(6_000);
        let sites = plan.sites.as_ref().unwrap();
        assert!(!sites.gaps.is_empty());
        let awarded = sites.award.catchment_site.iter().flatten().count();
        assert!(awarded > 0);
        let svg = render_string(&plan, &options());
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        fills(&doc, &plan);
        let gaps: Vec<&str> = by_id(&doc, "gaps")
            .unwrap()
            .children()
            .filter_map(|n| n.attribute("data-gap"))
            .collect();
        let expected: Vec<&str> = sites
            .gaps
            .iter()
            .map(|&g| plan.catchments[g as usize].id.as_str())
            .collect();
        assert_eq!(gaps, expected);
        let circles = by_id(&doc, "awarded-sites")
            .unwrap()
            .children()
            .filter(|n| n.has_tag_name("circle"))
            .count();
        assert_eq!(circles, awarded);
        let dots = by_id(&doc, "proposals").unwrap().attribute("d").unwrap();
        assert_eq!(dots.matches('M').count(), sites.proposals.len());
        let all = texts(&doc);
        let counts = format!(
            "{} catchments · 6,000 households · {awarded} awarded · {} gaps",
            plan.catchments.len(),
            sites.gaps.len()
        );
        assert!(all.contains(&counts.as_str()), "{all:?}");
        assert!(all.iter().any(|t| t.starts_with("Gap: no center awarded")));
        assert!(all.iter().any(|t| t.starts_with("Awarded site")));
        assert!(all.iter().any(|t| t.starts_with("Proposed site")));
        assert!(!svg.contains("A-0"), "no applicant ids on the map");
        assert_eq!(svg, render_string(&plan, &options()), "deterministic bytes");
    }

    #[test]
    fn touching_catchments_never_share_a_fill() {
        let plan = awarded_plan(12_000);
        let svg = render_string(&plan, &options());
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let fills = fills(&doc, &plan);
        let pairs = touching_pairs(&plan);
        assert!(pairs.len() >= plan.catchments.len(), "{pairs:?}");
        for (i, j) in pairs {
            assert_ne!(fills[i], fills[j], "catchments {i} and {j} touch");
        }
        // The colouring's own adjacency is symmetric and proper.
        let view = layout(&plan, 1200).view;
        let rings: Vec<Vec<[f64; 2]>> = plan
            .catchments
            .iter()
            .map(|c| c.polygon.iter().map(|&p| view.xy(p)).collect())
            .collect();
        let adjacent = neighbours(&rings, NEIGHBOUR_TOLERANCE_PX);
        let colours = colour(&adjacent, PALETTE.len());
        for (v, list) in adjacent.iter().enumerate() {
            for &w in list {
                assert!(adjacent[w as usize].contains(&(v as u32)));
                assert_ne!(colours[v], colours[w as usize]);
            }
        }
    }

    #[test]
    fn the_same_plan_gives_the_same_bytes_and_a_narrower_map_scales_down() {
        let (_, _, plan) = plan_of(2_000);
        let a = render_string(&plan, &options());
        assert_eq!(a, render_string(&plan, &options()));
        let narrow = MapOptions {
            width_px: 600,
            ..options()
        };
        let b = render_string(&plan, &narrow);
        roxmltree::Document::parse(&b).unwrap();
        assert!(b.contains("width=\"600\""));
        let err = write_map_svg(
            &plan,
            &MapOptions {
                width_px: 100,
                ..options()
            },
            Vec::new(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("at least 400"), "{err}");
    }

    #[test]
    fn colouring_is_proper_on_dense_graphs_and_spreads_the_palette() {
        // A triangulated grid (degeneracy 3): greedy smallest-last needs at most 4 colours.
        let (w, h) = (30usize, 20usize);
        let mut adj = vec![Vec::new(); w * h];
        let mut link = |a: usize, b: usize| {
            adj[a].push(b as u32);
            adj[b].push(a as u32);
        };
        for y in 0..h {
            for x in 0..w {
                let v = y * w + x;
                if x + 1 < w {
                    link(v, v + 1);
                }
                if y + 1 < h {
                    link(v, v + w);
                    if x + 1 < w {
                        link(v, v + w + 1);
                    }
                }
            }
        }
        let colours = colour(&adj, PALETTE.len());
        for (v, list) in adj.iter().enumerate() {
            for &u in list {
                assert_ne!(colours[v], colours[u as usize]);
            }
        }
        let mut used = [0usize; PALETTE.len()];
        colours.iter().for_each(|&c| used[c] += 1);
        assert!(used.iter().all(|&n| n > 0), "{used:?}");
        assert_eq!(colours, colour(&adj, PALETTE.len()));
        // A complete graph larger than the palette still gets a colour each.
        let k = PALETTE.len() + 2;
        let complete: Vec<Vec<u32>> = (0..k)
            .map(|v| (0..k).filter(|&u| u != v).map(|u| u as u32).collect())
            .collect();
        assert!(
            colour(&complete, PALETTE.len())
                .iter()
                .all(|&c| c < PALETTE.len())
        );
    }

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

    /// Renders the bundled Qazvin sample (and the national file when `SITING_MAP_NATIONAL`
    /// names it) to /tmp for looking at: `cargo test --release --lib io::map -- --ignored`.
    #[test]
    #[ignore]
    fn render_samples() {
        use crate::io::{
            applicants::read_applicants_file,
            households::{ReadOptions, read_households_file},
        };
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (hh, _) = read_households_file(
            &root.join("data/qazvin_households.csv"),
            &ReadOptions::default(),
        )
        .unwrap();
        let planner = Planner::new(PlanConfig::default()).unwrap();
        let mut plan = planner.plan(&hh).unwrap();
        let (apps, _) = read_applicants_file(
            &root.join("data/qazvin_applicants.csv"),
            &ReadOptions::default(),
        )
        .unwrap();
        planner.award_sites(&mut plan, &hh, &apps).unwrap();
        let o = MapOptions {
            title: "Qazvin province: welfare service centers".into(),
            date: "2026-11-24".into(),
            ..Default::default()
        };
        write_map_svg(
            &plan,
            &o,
            std::fs::File::create("/tmp/map_check.svg").unwrap(),
        )
        .unwrap();
        plan.sites = None;
        write_map_svg(
            &plan,
            &o,
            std::fs::File::create("/tmp/map_nosites.svg").unwrap(),
        )
        .unwrap();
        if let Ok(path) = std::env::var("SITING_MAP_NATIONAL") {
            let opts = ReadOptions {
                by: vec!["province".into()],
                ..Default::default()
            };
            let (hh, _) = read_households_file(std::path::Path::new(&path), &opts).unwrap();
            let mut plan = planner.plan(&hh).unwrap();
            if let Ok(apath) = std::env::var("SITING_MAP_NATIONAL_APPLICANTS") {
                let (apps, _) = read_applicants_file(std::path::Path::new(&apath), &opts).unwrap();
                planner.award_sites(&mut plan, &hh, &apps).unwrap();
            }
            let o = MapOptions {
                title: "Iran: welfare service centers".into(),
                date: "2026-11-24".into(),
                ..Default::default()
            };
            write_map_svg(
                &plan,
                &o,
                std::fs::File::create("/tmp/map_national.svg").unwrap(),
            )
            .unwrap();
        }
    }
}
