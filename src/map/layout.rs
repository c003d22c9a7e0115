//! Page layout: where the title block, the map frame and the side panel go, the
//! equirectangular view that projects lon/lat into pixels, and the rectangles everything is
//! placed with.

use crate::geometry;
use crate::model::LonLat;
use crate::plan::Plan;
use crate::projection::EARTH_RADIUS_M;

/// Kilometres per degree of latitude on the sphere the crate measures with.
fn km_per_degree() -> f64 {
    EARTH_RADIUS_M * std::f64::consts::PI / 180.0 / 1000.0
}

/// Equirectangular projection into pixels.
#[derive(Debug, Clone, Copy)]
pub(super) struct View {
    pub(super) min_lon: f64,
    pub(super) max_lat: f64,
    /// cos of the middle latitude.
    pub(super) cos: f64,
    /// Middle latitude, where the scale is true.
    pub(super) lat0: f64,
    /// Pixels per degree of latitude.
    pub(super) k: f64,
    /// Pixel of (`min_lon`, `max_lat`).
    pub(super) origin: [f64; 2],
}

impl View {
    pub(super) fn xy(&self, p: LonLat) -> [f64; 2] {
        [
            self.origin[0] + (p.lon - self.min_lon) * self.cos * self.k,
            self.origin[1] + (self.max_lat - p.lat) * self.k,
        ]
    }

    pub(super) fn lon_at(&self, x: f64) -> f64 {
        self.min_lon + (x - self.origin[0]) / (self.cos * self.k)
    }

    pub(super) fn lat_at(&self, y: f64) -> f64 {
        self.max_lat - (y - self.origin[1]) / self.k
    }

    pub(super) fn px_per_km(&self) -> f64 {
        self.k / km_per_degree()
    }
}

/// An axis-aligned rectangle in pixels.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rect {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) h: f64,
}

impl Rect {
    pub(super) fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    pub(super) fn corners(&self) -> [[f64; 2]; 4] {
        [
            [self.x, self.y],
            [self.x + self.w, self.y],
            [self.x + self.w, self.y + self.h],
            [self.x, self.y + self.h],
        ]
    }

    /// The smallest rectangle holding both.
    pub(super) fn union(&self, b: &Rect) -> Rect {
        let (x0, y0) = (self.x.min(b.x), self.y.min(b.y));
        let (x1, y1) = (
            (self.x + self.w).max(b.x + b.w),
            (self.y + self.h).max(b.y + b.h),
        );
        Rect {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        }
    }
}

/// Where everything goes on the page; lengths scale with `u` (1 at 1200 px, at least 0.75).
#[derive(Debug, Clone, Copy)]
pub(super) struct Layout {
    pub(super) width: f64,
    pub(super) height: f64,
    pub(super) u: f64,
    pub(super) margin: f64,
    pub(super) frame: Rect,
    pub(super) panel: Rect,
    pub(super) view: View,
}

/// The page for a plan `width_px` wide: the map frame under the title block, as tall as
/// the plan area's shape asks (within limits), the side panel right of it, and the view
/// that centres the plan area in the frame.
pub(super) fn layout(plan: &Plan, width_px: u32) -> Layout {
    let width = f64::from(width_px);
    // Text and the side panel shrink with the width down to three quarters of their size
    // at 1200 px, and no further, so they stay legible on a narrow map.
    let u = (width / 1200.0).max(0.75);
    let margin = 24.0 * u;
    let title_h = 96.0 * u;
    let panel_w = 300.0 * u;
    let gutter = 20.0 * u;
    let pad = 26.0 * u;

    let (lo, hi) = extent(plan);
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

/// The lon/lat box (`lo`, `hi`) of every catchment's vertices and ideal center; ±0.05°
/// around (0, 0) when there are none.
fn extent(plan: &Plan) -> ([f64; 2], [f64; 2]) {
    let points = plan
        .catchments
        .iter()
        .flat_map(|c| c.shape.vertices().chain(std::iter::once(&c.center)));
    let finite = points.filter(|p| p.lon.is_finite() && p.lat.is_finite());
    let (mut lo, mut hi) = match geometry::bbox(finite) {
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
    (lo, hi)
}

/// One map panel: the main map, or the detail inset.
pub(super) struct Panel {
    pub(super) view: View,
    pub(super) frame: Rect,
    pub(super) u: f64,
    /// The main map carries ids, tooltips, region labels and the graticule; the inset
    /// draws only what it shows, with `inset-` ids.
    pub(super) main: bool,
}

impl Panel {
    /// The element id `name` on the main map, `inset-name` in the inset.
    pub(super) fn id(&self, name: &str) -> String {
        if self.main {
            name.to_string()
        } else {
            format!("inset-{name}")
        }
    }

    /// True when `p` is finite and within 5 px of the frame: a symbol the inset draws.
    pub(super) fn near(&self, p: &[f64; 2]) -> bool {
        let frame = self.frame;
        p[0].is_finite()
            && p[1].is_finite()
            && p[0] > frame.x - 5.0
            && p[0] < frame.x + frame.w + 5.0
            && p[1] > frame.y - 5.0
            && p[1] < frame.y + frame.h + 5.0
    }

    /// True when `p` is inside the frame by more than `2 u`: where a label may reach.
    pub(super) fn well_inside(&self, p: &[f64; 2]) -> bool {
        let (frame, margin) = (self.frame, 2.0 * self.u);
        p[0] > frame.x + margin
            && p[0] < frame.x + frame.w - margin
            && p[1] > frame.y + margin
            && p[1] < frame.y + frame.h - margin
    }
}
