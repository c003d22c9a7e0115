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
use svg::Node;
use svg::node::element::{
    Circle, ClipPath, Definitions, Element, Group, Line, Path, Pattern, Rectangle, Title,
};

use crate::error::{Error, Result};
use crate::model::LonLat;
use crate::plan::Plan;
use crate::projection::EARTH_RADIUS_M;
use crate::text::thousands;

/// Options for the map.
///
/// ```
/// let options = siting::map::MapOptions {
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
    /// Width of the picture in pixels (at least 600; default 1200). The height follows from
    /// the shape of the plan area; text and symbols scale with the width, but never below
    /// three quarters of their size at 1200 px.
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
const MIN_WIDTH_PX: u32 = 600;

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

/// Longest scale bar in the detail inset, as a share of its width.
const INSET_SCALE: f64 = 0.4;

/// Writes `map.svg`: the plan drawn as a map for a report (see the module docs).
///
/// ```
/// use siting::{PlanConfig, Planner};
/// use siting::map::{MapOptions, write_map_svg};
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
/// [`Error::InvalidConfig`] when `options.width_px` is below 600; [`Error::Io`] when writing
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

/// Where everything goes on the page; lengths scale with `u` (1 at 1200 px, at least 0.75).
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
    // Text and the side panel shrink with the width down to three quarters of their size
    // at 1200 px, and no further, so they stay legible on a narrow map.
    let u = (width / 1200.0).max(0.75);
    let margin = 24.0 * u;
    let title_h = 96.0 * u;
    let panel_w = 300.0 * u;
    let gutter = 20.0 * u;
    let pad = 26.0 * u;

    let points = plan
        .catchments
        .iter()
        .flat_map(|c| c.shape.vertices().chain(std::iter::once(&c.center)));
    let finite = points.filter(|p| p.lon.is_finite() && p.lat.is_finite());
    let (mut lo, mut hi) = match crate::geometry::bbox(finite) {
        Some([x0, y0, x1, y1]) => ([x0, y0], [x1, y1]),
        None => ([-0.05, -0.05], [0.05, 0.05]),
    };
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
    let a = crate::geometry::signed_area(ring);
    if a.abs() < 1e-9 {
        let m = ring
            .iter()
            .fold([0.0, 0.0], |s, p| [s[0] + p[0], s[1] + p[1]]);
        return (0.0, [m[0] / n as f64, m[1] / n as f64]);
    }
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..n {
        let (p, q) = (ring[i], ring[(i + 1) % n]);
        let cross = p[0] * q[1] - q[0] * p[1];
        cx += (p[0] + q[0]) * cross;
        cy += (p[1] + q[1]) * cross;
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
    let boxes: Vec<Option<[f64; 4]>> = rings
        .iter()
        .map(|r| crate::geometry::bbox(r.iter().copied()))
        .collect();
    let tree = RTree::bulk_load(
        boxes
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                b.map(|[x0, y0, x1, y1]| {
                    GeomWithData::new(Envelope::from_corners([x0, y0], [x1, y1]), i as u32)
                })
            })
            .collect::<Vec<_>>(),
    );
    let mut lists = vec![Vec::new(); rings.len()];
    for (i, b) in boxes.iter().enumerate() {
        let Some([x0, y0, x1, y1]) = *b else { continue };
        let query = AABB::from_corners(
            [x0 - tolerance, y0 - tolerance],
            [x1 + tolerance, y1 + tolerance],
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

/// The path of a catchment: `main` (its main ring, already projected) alone for a
/// one-part shape; every ring, drawn even-odd, otherwise.
fn shape_path(shape: &crate::model::Shape, main: &[[f64; 2]], view: &View) -> String {
    if shape.parts.len() == 1 && shape.parts[0].holes.is_empty() {
        return ring_path(main);
    }
    shape
        .rings()
        .map(|r| ring_path(&simplified(&project(r, view))))
        .collect::<Vec<_>>()
        .join(" ")
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

/// Builder-style attributes on a plain [`Element`].
trait Set {
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
fn text(x: f64, y: f64, size: f64, content: &str) -> Element {
    let mut t = Element::new("text")
        .set("x", px(x))
        .set("y", px(y))
        .set("font-size", px(size));
    t.append(svg::node::Text::new(content));
    t
}

/// Text with a white halo so it stays readable over the map.
fn halo(t: Element, u: f64) -> Element {
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

/// The plan as drawn: statuses and colours, shared by the map and its detail inset.
struct Scene<'a> {
    plan: &'a Plan,
    st: Status,
    /// Palette index per catchment.
    fills: Vec<usize>,
}

/// One map panel: the main map, or the detail inset.
struct Panel {
    view: View,
    frame: Rect,
    u: f64,
    /// The main map carries ids, tooltips, region labels and the graticule; the inset
    /// draws only what it shows, with `inset-` ids.
    main: bool,
}

/// What [`draw_map`] made, and the symbol sizes the legend repeats.
struct Drawn {
    group: Group,
    symbol: f64,
    cross_width: f64,
    awarded: usize,
}

/// A ring projected into a view, without its closing vertex.
fn project(polygon: &[LonLat], view: &View) -> Vec<[f64; 2]> {
    let mut r: Vec<[f64; 2]> = polygon.iter().map(|&p| view.xy(p)).collect();
    if r.len() > 1 && r.first() == r.last() {
        r.pop();
    }
    r
}

/// The ring with vertices that bend it by less than a fifth of a pixel dropped (the
/// polygons are densified for the round Earth, which a map at this scale cannot show).
fn simplified(ring: &[[f64; 2]]) -> Vec<[f64; 2]> {
    use geo::Simplify;
    if ring.len() < 4 {
        return ring.to_vec();
    }
    let mut closed: Vec<(f64, f64)> = ring.iter().map(|p| (p[0], p[1])).collect();
    closed.push(closed[0]);
    let line = geo::LineString::from(closed).simplify(0.2);
    let mut out: Vec<[f64; 2]> = line.points().map(|p| [p.x(), p.y()]).collect();
    out.pop();
    if out.len() < 3 { ring.to_vec() } else { out }
}

/// Every catchment's main ring (its largest part's exterior) projected into `view` and
/// simplified: what labels and symbols are placed by, and what the neighbours are found
/// on (the simplification moves no edge by more than a fifth of a pixel, less than
/// [`NEIGHBOUR_TOLERANCE_PX`] between two polygons). Other parts and holes are only drawn.
fn projected_rings(plan: &Plan, view: &View) -> Vec<Vec<[f64; 2]>> {
    plan.catchments
        .iter()
        .map(|c| simplified(&project(c.shape.main_ring(), view)))
        .collect()
}

fn bbox(ring: &[[f64; 2]]) -> Rect {
    let [x0, y0, x1, y1] = crate::geometry::bbox(ring.iter().copied()).unwrap_or([
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ]);
    Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    }
}

fn rect_element(r: Rect) -> Rectangle {
    Rectangle::new()
        .set("x", px(r.x))
        .set("y", px(r.y))
        .set("width", px(r.w))
        .set("height", px(r.h))
}

fn render(plan: &Plan, options: &MapOptions) -> Document {
    let lay = layout(plan, options.width_px);
    let (u, view, frame) = (lay.u, lay.view, lay.frame);
    let rings = projected_rings(plan, &view);
    let scene = Scene {
        plan,
        st: status(plan),
        fills: colour(&neighbours(&rings, NEIGHBOUR_TOLERANCE_PX), PALETTE.len()),
    };

    let hatch = px(7.0 * u);
    let defs = Definitions::new()
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
        );
    let main = Panel {
        view,
        frame,
        u,
        main: true,
    };
    let drawn = draw_map(&scene, &main, &rings, &[]);
    let counts = Counts {
        catchments: plan.catchments.len(),
        households: plan.metrics.households,
        awarded: drawn.awarded,
        gaps: scene.st.gap.iter().filter(|g| **g).count(),
        proposals: plan.sites.as_ref().map_or(0, |s| s.proposals.len()),
        has_sites: scene.st.has_sites,
    };
    let (legend, legend_bottom) = legend(&lay, &counts, drawn.symbol, drawn.cross_width);

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
        )
        .add(drawn.group);

    // Detail inset of the most crowded part of the map, under the legend.
    if let Some(inset) = inset_panel(&lay, &rings, legend_bottom) {
        let area = Rect {
            x: view.xy(LonLat::new(inset.view.lon_at(inset.frame.x), 0.0))[0],
            y: view.xy(LonLat::new(0.0, inset.view.lat_at(inset.frame.y)))[1],
            w: inset.frame.w * view.k / inset.view.k,
            h: inset.frame.h * view.k / inset.view.k,
        };
        let inset_rings = projected_rings(plan, &inset.view);
        let plate = scale_layout(&inset, INSET_SCALE * inset.frame.w).3;
        let detail = draw_map(&scene, &inset, &inset_rings, &[plate]);
        doc = doc
            .add(
                rect_element(area)
                    .set("id", "inset-area")
                    .set("clip-path", "url(#map-clip)")
                    .set("fill", "none")
                    .set("stroke", INK)
                    .set("stroke-width", px(1.4 * u)),
            )
            .add(
                text(
                    inset.frame.x,
                    inset.frame.y - 8.0 * u,
                    13.0 * u,
                    "Detail of the boxed area",
                )
                .set("font-weight", "bold"),
            )
            .add(
                ClipPath::new()
                    .set("id", "inset-clip")
                    .add(rect_element(inset.frame)),
            )
            .add(detail.group.set("clip-path", "url(#inset-clip)"))
            .add(scale_bar(
                &inset,
                INSET_SCALE * inset.frame.w,
                "inset-scale",
            ))
            .add(
                rect_element(inset.frame)
                    .set("fill", "none")
                    .set("stroke", "#9aa5b1")
                    .set("stroke-width", px(u)),
            );
    }

    doc = doc.add(
        rect_element(frame)
            .set("fill", "none")
            .set("stroke", "#9aa5b1")
            .set("stroke-width", px(u)),
    );
    doc = doc.add(title_block(plan, options, &lay, &counts));
    doc = doc.add(legend);
    let note = format!(
        "Equirectangular projection, true to scale at {} · WGS 84 · catchment colours only tell neighbours apart · siting {}",
        degrees(view.lat0, 0.1, 'N', 'S'),
        env!("CARGO_PKG_VERSION")
    );
    doc.add(
        text(
            frame.x,
            frame.y + frame.h + 22.0 * u,
            11.0 * u,
            &fit(&note, 11.0 * u, lay.width - 2.0 * lay.margin),
        )
        .set("fill", MUTED),
    )
}

/// The inset under the legend that zooms on the most crowded part of the map, where
/// catchments are too small to read: the small catchment with the most small catchments
/// around it, and the small catchments near it. `None` when nothing is crowded, when the
/// inset would not enlarge at least 2.5 times, or when there is no room.
fn inset_panel(lay: &Layout, rings: &[Vec<[f64; 2]>], top: f64) -> Option<Panel> {
    let u = lay.u;
    let small: Vec<(usize, [f64; 2])> = rings
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let (area, centroid) = area_centroid(r);
            (!r.is_empty() && area.sqrt() < 16.0 * u).then_some((i, centroid))
        })
        .collect();
    if small.len() < 6 {
        return None;
    }
    let tree = RTree::bulk_load(
        small
            .iter()
            .map(|&(i, c)| GeomWithData::new(c, i))
            .collect::<Vec<_>>(),
    );
    let radius = 50.0 * u;
    let (_, focus) = small
        .iter()
        .map(|&(i, c)| {
            (
                tree.locate_within_distance(c, radius * radius).count(),
                i,
                c,
            )
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(n, _, c)| (n, c))
        .filter(|(n, _)| *n >= 6)?;
    let mut members: Vec<usize> = tree
        .locate_within_distance(focus, 4.0 * radius * radius)
        .map(|p| p.data)
        .collect();
    members.sort_unstable();
    let area = members
        .iter()
        .map(|&i| bbox(&rings[i]))
        .fold(None, |acc: Option<Rect>, b| {
            Some(match acc {
                None => b,
                Some(a) => {
                    let (x0, y0) = (a.x.min(b.x), a.y.min(b.y));
                    let (x1, y1) = ((a.x + a.w).max(b.x + b.w), (a.y + a.h).max(b.y + b.h));
                    Rect {
                        x: x0,
                        y: y0,
                        w: x1 - x0,
                        h: y1 - y0,
                    }
                }
            })
        })?;
    let (w, h) = (area.w.max(2.0 * u), area.h.max(2.0 * u));

    let panel = lay.panel;
    let frame_y = top + 30.0 * u;
    let room = panel.y + panel.h - frame_y;
    let frame_h = room.min(1.2 * panel.w);
    if frame_h < 170.0 * u {
        return None;
    }
    let frame = Rect {
        x: panel.x,
        y: frame_y,
        w: panel.w,
        h: frame_h,
    };
    // Show the whole crowded area when that makes its small catchments (the lowest eighth)
    // readable, about 40 px across; otherwise zoom further on its middle.
    let pad = 8.0 * u;
    let fit = ((frame.w - 2.0 * pad) / w).min((frame.h - 2.0 * pad) / h);
    let mut sizes: Vec<f64> = members
        .iter()
        .map(|&i| area_centroid(&rings[i]).0.sqrt())
        .collect();
    sizes.sort_by(f64::total_cmp);
    let typical = sizes[sizes.len() / 8].max(0.5 * u);
    let needed = (40.0 * u / typical).min(30.0);
    let (zoom, center) = if fit >= needed {
        (fit, [area.x + area.w / 2.0, area.y + area.h / 2.0])
    } else {
        let n = members.len() as f64;
        let mean = members.iter().fold([0.0, 0.0], |m, &i| {
            let c = area_centroid(&rings[i]).1;
            [m[0] + c[0] / n, m[1] + c[1] / n]
        });
        (needed, mean)
    };
    if zoom < 2.5 {
        return None;
    }
    let main = lay.view;
    let k = main.k * zoom;
    // Centre the area in the inset frame.
    let center_lon = main.lon_at(center[0]);
    let center_lat = main.lat_at(center[1]);
    let min_lon = center_lon - (frame.w / 2.0) / (main.cos * k);
    let max_lat = center_lat + (frame.h / 2.0) / k;
    let view = View {
        min_lon,
        max_lat,
        cos: main.cos,
        lat0: main.lat0,
        k,
        origin: [frame.x, frame.y],
    };
    Some(Panel {
        view,
        frame,
        u,
        main: false,
    })
}

/// Draws the catchments, gaps, proposals, ideal centers, awarded sites and labels of one
/// panel, clipped to its frame. `rings` are the catchments projected into the panel's view.
/// Catchment labels stay out of `reserved` (the inset's scale bar).
fn draw_map(scene: &Scene, panel: &Panel, rings: &[Vec<[f64; 2]>], reserved: &[Rect]) -> Drawn {
    let (plan, st, u, view, frame) = (scene.plan, &scene.st, panel.u, panel.view, panel.frame);
    let id = |name: &str| {
        if panel.main {
            name.to_string()
        } else {
            format!("inset-{name}")
        }
    };
    let visible = |r: &Rect| r.overlaps(&frame);
    let boxes: Vec<Rect> = rings.iter().map(|r| bbox(r)).collect();
    let shown: Vec<usize> = (0..rings.len())
        .filter(|&i| !rings[i].is_empty() && (panel.main || visible(&boxes[i])))
        .collect();
    let shapes: Vec<(f64, [f64; 2])> = rings.iter().map(|r| area_centroid(r)).collect();

    // Symbol size from the typical catchment's size on the page (the median on the main
    // map; the lower quartile in the inset, which shows the smallest ones).
    let mut sizes: Vec<f64> = shown.iter().map(|&i| shapes[i].0.sqrt()).collect();
    sizes.sort_by(f64::total_cmp);
    let quantile = if panel.main { 2 } else { 4 };
    let typical = sizes
        .get(sizes.len() / quantile)
        .copied()
        .unwrap_or(40.0 * u);
    let s = (typical * 0.09).clamp(1.6 * u, 4.5 * u);

    let mut map = Group::new()
        .set("id", id("map"))
        .add(rect_element(frame).set("fill", "#f4f6f8"));
    let mut tick_labels = None;
    let mut tick_rects = Vec::new();
    if panel.main {
        let (lines, labels, taken) = graticule(view, frame, u);
        map = map.set("clip-path", "url(#map-clip)").add(lines);
        tick_labels = Some(labels);
        tick_rects = taken;
    }

    let mut catchments = Group::new()
        .set("id", id("catchments"))
        .set("stroke", "#ffffff")
        .set("stroke-linejoin", "round")
        .set("fill-rule", "evenodd");
    for &i in &shown {
        let c = &plan.catchments[i];
        // Thin outlines on small catchments so they do not turn white.
        let outline = (0.12 * shapes[i].0.sqrt()).clamp(0.15 * u, 0.9 * u);
        let mut path = Path::new()
            .set("d", shape_path(&c.shape, &rings[i], &panel.view))
            .set("fill", PALETTE[scene.fills[i] % PALETTE.len()])
            .set("stroke-width", px(outline));
        if panel.main {
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
            path = path
                .set("data-catchment", c.id.as_str())
                .add(Title::new(tip));
        }
        catchments = catchments.add(path);
    }
    map = map.add(catchments);

    if st.has_sites {
        let mut gaps = Group::new()
            .set("id", id("gaps"))
            .set("stroke", GAP_RED)
            .set("stroke-linejoin", "round");
        for &i in shown.iter().filter(|&&i| st.gap[i]) {
            let width = (0.08 * shapes[i].0.sqrt()).clamp(0.6 * u, 2.0 * u);
            let d = ring_path(&rings[i]);
            let mut path = Path::new()
                .set("d", d)
                .set("fill", "url(#gap-hatch)")
                .set("stroke-width", px(width));
            if panel.main {
                path = path.set("data-gap", plan.catchments[i].id.as_str());
            }
            gaps = gaps.add(path);
        }
        map = map.add(gaps);
    }

    // Proposed sites: one path of round dots ("M x y h0" with round caps), duplicates merged.
    let sites = plan.sites.as_ref();
    let inside = |p: &[f64; 2]| {
        p[0].is_finite()
            && p[1].is_finite()
            && p[0] > frame.x - 5.0
            && p[0] < frame.x + frame.w + 5.0
            && p[1] > frame.y - 5.0
            && p[1] < frame.y + frame.h + 5.0
    };
    let margin = 2.0 * u;
    let within_frame = |p: &[f64; 2]| {
        p[0] > frame.x + margin
            && p[0] < frame.x + frame.w - margin
            && p[1] > frame.y + margin
            && p[1] < frame.y + frame.h - margin
    };
    if let Some(sites) = sites {
        let mut dots: Vec<(i64, i64)> = sites
            .proposals
            .iter()
            .map(|p| view.xy(p.position))
            .filter(|p| panel.main || inside(p))
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
                    .set("id", id("proposals"))
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
    let mut crosses = String::with_capacity(shown.len() * 40);
    for &i in &shown {
        let [x, y] = view.xy(plan.catchments[i].center);
        if !panel.main && !inside(&[x, y]) {
            continue;
        }
        crosses.push('M');
        push_xy(&mut crosses, [x - s, y]);
        let _ = write!(crosses, "h{}M", px(2.0 * s));
        push_xy(&mut crosses, [x, y - s]);
        let _ = write!(crosses, "v{}", px(2.0 * s));
    }
    let cross_width = (s * 0.42).max(u);
    map = map.add(
        Group::new()
            .set("id", id("ideal-centers"))
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
    let mut awarded = 0;
    if let Some(sites) = sites {
        let mut group = Group::new()
            .set("id", id("awarded-sites"))
            .set("fill", SITE_BLUE)
            .set("stroke", "#ffffff")
            .set("stroke-width", px(0.9 * u));
        for &i in &shown {
            let Some(site) = st.awarded[i].and_then(|p| sites.proposals.get(p)) else {
                continue;
            };
            let [x, y] = view.xy(site.position);
            if !panel.main && !inside(&[x, y]) {
                continue;
            }
            awarded += 1;
            let mut circle = Circle::new()
                .set("cx", px(x))
                .set("cy", px(y))
                .set("r", px(s * 1.15));
            if panel.main {
                circle = circle.set("data-catchment", plan.catchments[i].id.as_str());
            }
            group = group.add(circle);
        }
        map = map.add(group);
    }

    // Labels: region names (main map, several regions), then catchment ids where they fit.
    let mut placed: Vec<Rect> = tick_rects;
    let mut labels = Group::new()
        .set("id", id("labels"))
        .set("text-anchor", "middle");
    if panel.main && plan.regions.len() > 1 {
        let size = 12.5 * u;
        let mut regions: Vec<(u64, usize, [f64; 2])> = (0..plan.regions.len())
            .filter_map(|r| {
                let (mut w, mut x, mut y) = (0.0, 0.0, 0.0);
                let mut households = 0;
                for &i in &shown {
                    let c = &plan.catchments[i];
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
    for &i in &shown {
        let c = &plan.catchments[i];
        let w = text_width(&c.id, size);
        let anchor = view.xy(c.center);
        let site = st.awarded[i]
            .and_then(|p| sites.and_then(|s| s.proposals.get(p)))
            .map(|p| view.xy(p.position));
        let mut keep_clear = vec![anchor];
        keep_clear.extend(site);
        // Below the center, above it, or at the polygon's centroid.
        let centroid = shapes[i].1;
        let candidates = [
            [anchor[0], anchor[1] + s + 3.0 * u],
            [anchor[0], anchor[1] - s - 3.0 * u - size],
            [centroid[0], centroid[1] - size / 2.0],
        ];
        for [cx, top] in candidates {
            let rect = Rect {
                x: cx - w / 2.0 - 2.0 * u,
                y: top,
                w: w + 4.0 * u,
                h: size * 1.15,
            };
            let fits = rect
                .corners()
                .iter()
                .all(|&p| convex_contains(&rings[i], p) && within_frame(&p));
            let clear = keep_clear.iter().all(|p| {
                let grown = Rect {
                    x: p[0] - s * 1.3,
                    y: p[1] - s * 1.3,
                    w: s * 2.6,
                    h: s * 2.6,
                };
                !grown.overlaps(&rect)
            });
            if fits && clear && !placed.iter().chain(reserved).any(|p| p.overlaps(&rect)) {
                placed.push(rect);
                labels = labels.add(halo(
                    text(cx, rect.y + size * 0.88, size, &c.id).set("fill", "#3e4c59"),
                    u,
                ));
                break;
            }
        }
    }
    map = map.add(labels);
    if let Some(t) = tick_labels {
        map = map.add(t);
    }
    Drawn {
        group: map,
        symbol: s,
        cross_width,
        awarded,
    }
}

/// The scale bar's round length in km, its length in pixels, its baseline and the white
/// plate under it (see [`scale_bar`]).
fn scale_layout(panel: &Panel, max_len: f64) -> (f64, f64, [f64; 2], Rect) {
    let u = panel.u;
    let per_km = panel.view.px_per_km();
    let km = round_length_km(max_len / per_km);
    let bar = km * per_km;
    let label = format!("{} km", km_label(km));
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
/// of the panel, on a white plate.
fn scale_bar(panel: &Panel, max_len: f64, id: &str) -> Group {
    let u = panel.u;
    let (km, bar, [x, y], plate) = scale_layout(panel, max_len);
    let label = format!("{} km", km_label(km));
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
        .add(text(x + bar + 5.0 * u, y, 11.0 * u, &label).set("data-role", "scale"))
}

/// Light graticule lines (under the catchments), their labels along the bottom and left
/// edges of the frame, and where those labels are.
fn graticule(view: View, f: Rect, u: f64) -> (Group, Group, Vec<Rect>) {
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
    let mut taken = Vec::new();
    // A label with its baseline at (lx, ly), recorded where it is.
    let mut place = |label: String, lx: f64, ly: f64| {
        taken.push(Rect {
            x: lx,
            y: ly - size,
            w: text_width(&label, size),
            h: size * 1.2,
        });
        labels = std::mem::take(&mut labels).add(halo(text(lx, ly, size, &label), u));
    };
    let mut i = (lon_min / step).ceil() as i64;
    while (i as f64) * step <= lon_max {
        let lon = i as f64 * step;
        let x = view.xy(LonLat::new(lon, view.lat0))[0];
        let _ = write!(lines, "M{} {}V{}", px(x), px(f.y), px(f.y + f.h));
        if x - f.x > corner && f.x + f.w - x > 20.0 * u {
            place(
                degrees(lon, step, 'E', 'W'),
                x + 3.0 * u,
                f.y + f.h - 5.0 * u,
            );
        }
        i += 1;
    }
    let mut j = (lat_min / step).ceil() as i64;
    while (j as f64) * step <= lat_max {
        let lat = j as f64 * step;
        let y = view.xy(LonLat::new(view.min_lon, lat))[1];
        let _ = write!(lines, "M{} {}H{}", px(f.x), px(y), px(f.x + f.w));
        if f.y + f.h - y > corner / 2.0 && y - f.y > 20.0 * u {
            place(degrees(lat, step, 'N', 'S'), f.x + 4.0 * u, y - 3.0 * u);
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
    (group, labels, taken)
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

/// The legend, scale bar and north arrow in the side panel, and the lowest y they use.
fn legend(lay: &Layout, n: &Counts, s: f64, cross_width: f64) -> (Group, f64) {
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
    (g, label_y.max(bottom))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Applicant, Applicants, Households, PlanConfig, Planner, Proposal};
    use geo::Intersects;
    use std::path::Path;

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
        let polys: Vec<geo::MultiPolygon<f64>> =
            plan.catchments.iter().map(|c| c.shape.to_geo()).collect();
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
        // The renderer's own adjacency is symmetric, holds every touching pair, and the
        // fills drawn respect it.
        let view = layout(&plan, 1200).view;
        let adjacent = neighbours(&projected_rings(&plan, &view), NEIGHBOUR_TOLERANCE_PX);
        for (i, j) in touching_pairs(&plan) {
            assert!(adjacent[i].contains(&(j as u32)), "{i} and {j}");
        }
        for (v, list) in adjacent.iter().enumerate() {
            for &w in list {
                assert!(adjacent[w as usize].contains(&(v as u32)));
                assert_ne!(fills[v], fills[w as usize]);
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
        assert!(err.to_string().contains("at least 600"), "{err}");
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
    fn regions_are_named_in_the_title_and_labelled_on_the_map() {
        let mut hh = crate::synth::households(4_000, 2);
        let mut lons: Vec<f64> = hh.items.iter().map(|h| h.position.lon).collect();
        lons.sort_by(f64::total_cmp);
        let split = lons[lons.len() / 2];
        for h in &mut hh.items {
            h.region = u32::from(h.position.lon >= split);
        }
        hh.regions = vec!["Abyek & Alborz".into(), "Qazvin".into()];
        hh.region_columns = vec!["county".into()];
        let plan = Planner::new(PlanConfig::default())
            .unwrap()
            .plan(&hh)
            .unwrap();
        let svg = render_string(&plan, &options());
        let doc = roxmltree::Document::parse(&svg).unwrap();
        fills(&doc, &plan);
        let subtitle = doc
            .descendants()
            .find(|n| n.attribute("data-role") == Some("subtitle"))
            .and_then(|n| n.text())
            .unwrap();
        assert_eq!(subtitle, "Abyek & Alborz, Qazvin · 2026-11-24");
        let labelled: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("data-region"))
            .collect();
        assert_eq!(labelled.len(), 2, "{labelled:?}");
    }

    #[test]
    fn a_single_catchment_still_makes_a_map() {
        let (_, _, plan) = plan_of(450);
        assert_eq!(plan.catchments.len(), 1);
        let svg = render_string(&plan, &MapOptions::default());
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert_eq!(fills(&doc, &plan).len(), 1);
        assert!(texts(&doc).contains(&"Welfare service centers plan"));
        assert!(
            by_id(&doc, "inset-map").is_none(),
            "nothing crowded, no inset"
        );
    }

    #[test]
    fn a_crowded_city_gets_a_detail_inset_with_its_own_scale() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/qazvin_households.csv");
        let (hh, _) =
            crate::io::read::households::read_households_file(&path, &Default::default()).unwrap();
        let plan = Planner::new(PlanConfig::default())
            .unwrap()
            .plan(&hh)
            .unwrap();
        let svg = render_string(&plan, &options());
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let mut ids: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("id"))
            .collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "ids are unique");
        let shown = by_id(&doc, "inset-catchments")
            .unwrap()
            .children()
            .filter(|n| n.has_tag_name("path"))
            .count();
        assert!(shown >= 6 && shown < plan.catchments.len(), "{shown}");
        let number = |n: roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
        let area = by_id(&doc, "inset-area").unwrap();
        let frame = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("map-clip"))
            .unwrap()
            .first_element_child()
            .unwrap();
        assert!(number(area, "x") >= number(frame, "x") && number(area, "y") >= number(frame, "y"));
        assert!(number(area, "width") < number(frame, "width") / 4.0);
        let scale = by_id(&doc, "inset-scale")
            .unwrap()
            .descendants()
            .find(|n| n.has_tag_name("text"))
            .and_then(|n| n.text())
            .unwrap();
        assert!(scale.ends_with(" km"), "{scale}");
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

    /// Renders the bundled Qazvin sample, and a national file when `SITING_MAP_NATIONAL`
    /// names one (planned `--by province`, with `SITING_MAP_NATIONAL_APPLICANTS` if set), into
    /// the temporary folder for looking at, checking the colouring on the way:
    /// `cargo test --release --lib map::tests::render_samples -- --ignored --nocapture`.
    #[test]
    #[ignore = "writes pictures for a person to look at"]
    fn render_samples() {
        use crate::io::read::applicants::read_applicants_file;
        use crate::io::read::households::{ReadOptions, read_households_file};

        let save = |plan: &Plan, options: &MapOptions, name: &str| {
            let started = std::time::Instant::now();
            let svg = render_string(plan, options);
            let path = std::env::temp_dir().join(name);
            std::fs::write(&path, &svg).unwrap();
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let fills = fills(&doc, plan);
            let view = layout(plan, options.width_px).view;
            let adjacent = neighbours(&projected_rings(plan, &view), NEIGHBOUR_TOLERANCE_PX);
            for (v, list) in adjacent.iter().enumerate() {
                for &w in list {
                    assert_ne!(fills[v], fills[w as usize], "{v} and {w}");
                }
            }
            println!(
                "{}: {} bytes, {} catchments, {} neighbour pairs, {:?}",
                path.display(),
                svg.len(),
                plan.catchments.len(),
                adjacent.iter().map(Vec::len).sum::<usize>() / 2,
                started.elapsed()
            );
        };
        let planner = Planner::new(PlanConfig::default()).unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let read = ReadOptions::default();
        let (hh, _) = read_households_file(&root.join("qazvin_households.csv"), &read).unwrap();
        let mut plan = planner.plan(&hh).unwrap();
        let (apps, _) = read_applicants_file(&root.join("qazvin_applicants.csv"), &read).unwrap();
        planner.award_sites(&mut plan, &hh, &apps).unwrap();
        let mut options = MapOptions {
            title: "Qazvin province: welfare service centers".into(),
            date: "2026-11-24".into(),
            ..Default::default()
        };
        save(&plan, &options, "map_qazvin.svg");
        options.width_px = 600;
        save(&plan, &options, "map_qazvin_600.svg");
        options.width_px = 1200;
        plan.sites = None;
        save(&plan, &options, "map_qazvin_no_sites.svg");

        if let Ok(path) = std::env::var("SITING_MAP_NATIONAL") {
            let read = ReadOptions {
                by: vec!["province".into()],
                ..Default::default()
            };
            let (hh, _) = read_households_file(Path::new(&path), &read).unwrap();
            let mut plan = planner.plan(&hh).unwrap();
            if let Ok(path) = std::env::var("SITING_MAP_NATIONAL_APPLICANTS") {
                let (apps, _) = read_applicants_file(Path::new(&path), &read).unwrap();
                planner.award_sites(&mut plan, &hh, &apps).unwrap();
            }
            options.title = "Iran: welfare service centers".into();
            save(&plan, &options, "map_national.svg");
        }
    }
}
