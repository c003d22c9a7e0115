//! The map drawn layer by layer, for the main map and the detail inset alike: background
//! and graticule, catchments, gaps, proposed sites, ideal centers, awarded sites, then the
//! labels ([`labels`](super::labels)).

use std::fmt::Write as _;

use svg::node::element::{Circle, Group, Path, Rectangle, Title};

use crate::lang::Args;
use crate::model::Shape;
use crate::plan::Change;
use crate::plan::{Catchment, Plan};
use crate::sites::SitePlan;

use super::colour::{CHANGE_INK, EXISTING_BLUE, GAP_RED, INK, PALETTE, SITE_BLUE};
use super::format::{push_xy, px, rect_element, ring_path};
use super::furniture::graticule;
use super::layout::{Panel, Rect, View};
use super::rings::{area_centroid, bbox, project, simplified};

/// Everything the drawing needs about a plan's sites.
pub(super) struct Status {
    /// Per catchment: awarded proposal, if any.
    pub(super) awarded: Vec<Option<usize>>,
    /// Per catchment: a gap (only when applicants were given).
    pub(super) gap: Vec<bool>,
    pub(super) has_sites: bool,
    /// Per catchment, in a re-plan: new or to re-tender (marked on the map).
    pub(super) change: Vec<Option<Change>>,
}

pub(super) fn status(plan: &Plan, sites: Option<&SitePlan>) -> Status {
    let change: Vec<Option<Change>> = match &plan.replan {
        Some(r) => r
            .catchments
            .iter()
            .map(|c| matches!(c.change, Change::New | Change::ReTender).then_some(c.change))
            .collect(),
        None => Vec::new(),
    };
    Status {
        change,
        ..site_status(plan, sites)
    }
}

fn site_status(plan: &Plan, sites: Option<&SitePlan>) -> Status {
    let k = plan.catchments.len();
    match sites {
        None => Status {
            awarded: vec![None; k],
            gap: vec![false; k],
            has_sites: false,
            change: Vec::new(),
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
                change: Vec::new(),
            }
        }
    }
}

/// The plan as drawn: statuses and colours, shared by the map and its detail inset.
pub(super) struct Scene<'a> {
    pub(super) plan: &'a Plan,
    pub(super) st: Status,
    /// Palette index per catchment.
    pub(super) fills: Vec<usize>,
}

/// What [`draw_map`] made, and the symbol sizes the legend repeats.
pub(super) struct Drawn {
    pub(super) group: Group,
    pub(super) symbol: f64,
    pub(super) cross_width: f64,
    pub(super) awarded: usize,
}

/// One panel being drawn: the scene, the catchments projected into the panel's view,
/// which of them it shows and the size of its symbols.
pub(super) struct Drawing<'a> {
    pub(super) scene: &'a Scene<'a>,
    pub(super) panel: &'a Panel,
    pub(super) rings: &'a [Vec<[f64; 2]>],
    /// The catchments drawn: every one on the main map, those in view in the inset.
    pub(super) shown: Vec<usize>,
    /// Area and centroid of every ring.
    pub(super) shapes: Vec<(f64, [f64; 2])>,
    /// Symbol size (half a cross arm).
    pub(super) s: f64,
}

/// Draws the catchments, gaps, proposals, ideal centers, awarded sites and labels of one
/// panel, clipped to its frame. `rings` are the catchments projected into the panel's view.
/// Catchment labels stay out of `reserved` (the inset's scale bar).
pub(super) fn draw_map(
    scene: &Scene,
    sites: Option<&SitePlan>,
    panel: &Panel,
    rings: &[Vec<[f64; 2]>],
    reserved: &[Rect],
) -> Drawn {
    let d = Drawing::new(scene, panel, rings);
    let mut map = Group::new()
        .set("id", panel.id("map"))
        .add(rect_element(panel.frame).set("fill", "#f4f6f8"));
    let (mut tick_labels, mut placed) = (None, Vec::new());
    if panel.main {
        let (lines, labels, taken) =
            graticule(panel.view, panel.frame, scene.plan.config.lang, panel.u);
        map = map.set("clip-path", "url(#map-clip)").add(lines);
        tick_labels = Some(labels);
        placed = taken;
    }
    map = map.add(d.catchments());
    if scene.st.has_sites {
        map = map.add(d.gaps());
    }
    if !scene.st.change.is_empty() {
        map = map.add(d.changes());
    }
    if let Some(dots) = d.proposals(sites) {
        map = map.add(dots);
    }
    let cross_width = (d.s * 0.42).max(panel.u);
    map = map.add(d.ideal_centers(cross_width));
    let mut awarded = 0;
    if let Some((group, n)) = d.awarded_sites(sites) {
        map = map.add(group);
        awarded = n;
    }
    if let Some(group) = d.existing_centers() {
        map = map.add(group);
    }
    map = map.add(d.labels(sites, placed, reserved));
    if let Some(t) = tick_labels {
        map = map.add(t);
    }
    Drawn {
        group: map,
        symbol: d.s,
        cross_width,
        awarded,
    }
}

impl<'a> Drawing<'a> {
    fn new(scene: &'a Scene<'a>, panel: &'a Panel, rings: &'a [Vec<[f64; 2]>]) -> Self {
        let boxes: Vec<Rect> = rings.iter().map(|r| bbox(r)).collect();
        let shown: Vec<usize> = (0..rings.len())
            .filter(|&i| !rings[i].is_empty() && (panel.main || boxes[i].overlaps(&panel.frame)))
            .collect();
        let shapes: Vec<(f64, [f64; 2])> = rings.iter().map(|r| area_centroid(r)).collect();
        let s = symbol_size(panel, &shown, &shapes);
        Drawing {
            scene,
            panel,
            rings,
            shown,
            shapes,
            s,
        }
    }

    /// The catchments filled from the palette; on the main map each with its id and a
    /// tooltip.
    fn catchments(&self) -> Group {
        let (plan, u) = (self.scene.plan, self.panel.u);
        let mut group = Group::new()
            .set("id", self.panel.id("catchments"))
            .set("stroke", "#ffffff")
            .set("stroke-linejoin", "round")
            .set("fill-rule", "evenodd");
        for &i in &self.shown {
            let c = &plan.catchments[i];
            // Thin outlines on small catchments so they do not turn white.
            let outline = (0.12 * self.shapes[i].0.sqrt()).clamp(0.15 * u, 0.9 * u);
            let mut path = Path::new()
                .set("d", shape_path(&c.shape, &self.rings[i], &self.panel.view))
                .set("fill", PALETTE[self.scene.fills[i] % PALETTE.len()])
                .set("stroke-width", px(outline));
            if self.panel.main {
                path = path
                    .set("data-catchment", c.id.as_str())
                    .add(Title::new(self.tooltip(i, c)));
            }
            group = group.add(path);
        }
        group
    }

    /// Catchment `c` (number `i`) in words: id, region, households and, with applicants,
    /// whether it is a gap.
    fn tooltip(&self, i: usize, c: &Catchment) -> String {
        let region = self
            .scene
            .plan
            .regions
            .get(c.region as usize)
            .map(|r| r.name.as_str())
            .unwrap_or("");
        let lang = self.scene.plan.config.lang;
        let households = Args::new().count("n", c.households);
        let mut parts = vec![lang.embed(&c.id)];
        if !region.is_empty() {
            parts.push(lang.embed(region));
        }
        parts.push(lang.format("map-tooltip-households", &households));
        if self.scene.st.has_sites {
            parts.push(lang.tr(if self.scene.st.gap[i] {
                "map-tooltip-gap"
            } else {
                "map-tooltip-awarded"
            }));
        }
        parts.join(lang.separator())
    }

    /// The gaps, hatched with a red outline.
    fn gaps(&self) -> Group {
        let (st, u) = (&self.scene.st, self.panel.u);
        let mut gaps = Group::new()
            .set("id", self.panel.id("gaps"))
            .set("stroke", GAP_RED)
            .set("stroke-linejoin", "round");
        for &i in self.shown.iter().filter(|&&i| st.gap[i]) {
            let width = (0.08 * self.shapes[i].0.sqrt()).clamp(0.6 * u, 2.0 * u);
            let d = ring_path(&self.rings[i]);
            let mut path = Path::new()
                .set("d", d)
                .set("fill", "url(#gap-hatch)")
                .set("stroke-width", px(width));
            if self.panel.main {
                path = path.set("data-gap", self.scene.plan.catchments[i].id.as_str());
            }
            gaps = gaps.add(path);
        }
        gaps
    }

    /// A re-plan's new catchments (dashed outline) and those to re-tender (dotted).
    fn changes(&self) -> Group {
        let u = self.panel.u;
        let mut group = Group::new()
            .set("id", self.panel.id("changes"))
            .set("fill", "none")
            .set("stroke", CHANGE_INK)
            .set("stroke-linejoin", "round");
        for &i in &self.shown {
            let Some(change) = self.scene.st.change.get(i).copied().flatten() else {
                continue;
            };
            let dash = match change {
                Change::New => format!("{} {}", px(6.0 * u), px(3.0 * u)),
                _ => format!("{} {}", px(1.5 * u), px(2.5 * u)),
            };
            let mut path = Path::new()
                .set("d", ring_path(&self.rings[i]))
                .set("stroke-width", px(2.2 * u))
                .set("stroke-dasharray", dash);
            if self.panel.main {
                path = path.set("data-change", change.name());
            }
            group = group.add(path);
        }
        group
    }

    /// Proposed sites: one path of round dots ("M x y h0" with round caps), duplicates
    /// merged; `None` without applicants or when no proposal is in view.
    fn proposals(&self, sites: Option<&SitePlan>) -> Option<Path> {
        let (panel, view) = (self.panel, self.panel.view);
        let mut dots: Vec<(i64, i64)> = sites?
            .proposals
            .iter()
            .map(|p| view.xy(p.position))
            .filter(|p| panel.main || panel.near(p))
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
        (!d.is_empty()).then(|| {
            Path::new()
                .set("id", panel.id("proposals"))
                .set("d", d)
                .set("stroke", "#334155")
                .set("stroke-opacity", 0.5)
                .set("stroke-width", px((self.s * 0.7).max(1.6 * panel.u)))
                .set("stroke-linecap", "round")
                .set("fill", "none")
        })
    }

    /// Ideal centers: crosses with a white halo underneath.
    fn ideal_centers(&self, cross_width: f64) -> Group {
        let (panel, s) = (self.panel, self.s);
        let mut crosses = String::with_capacity(self.shown.len() * 40);
        for &i in &self.shown {
            let [x, y] = panel.view.xy(self.scene.plan.catchments[i].center);
            if !panel.main && !panel.near(&[x, y]) {
                continue;
            }
            crosses.push('M');
            push_xy(&mut crosses, [x - s, y]);
            let _ = write!(crosses, "h{}M", px(2.0 * s));
            push_xy(&mut crosses, [x, y - s]);
            let _ = write!(crosses, "v{}", px(2.0 * s));
        }
        Group::new()
            .set("id", panel.id("ideal-centers"))
            .set("fill", "none")
            .add(
                Path::new()
                    .set("d", crosses.clone())
                    .set("stroke", "#ffffff")
                    .set("stroke-width", px(cross_width + 2.0 * panel.u)),
            )
            .add(
                Path::new()
                    .set("d", crosses)
                    .set("stroke", INK)
                    .set("stroke-width", px(cross_width)),
            )
    }

    /// The awarded sites and how many of them the panel shows; `None` without applicants.
    /// A re-plan's open centers kept at their buildings: dark blue squares.
    fn existing_centers(&self) -> Option<Group> {
        let (panel, plan) = (self.panel, self.scene.plan);
        let changes = &plan.replan.as_ref()?.catchments;
        let mut group = Group::new()
            .set("id", panel.id("existing-centers"))
            .set("fill", EXISTING_BLUE)
            .set("stroke", "#ffffff")
            .set("stroke-width", px(0.9 * panel.u));
        let side = self.s * 2.0;
        for &i in &self.shown {
            let Some(at) = changes.get(i).and_then(|c| c.building) else {
                continue;
            };
            let [x, y] = panel.view.xy(at);
            if !panel.main && !panel.near(&[x, y]) {
                continue;
            }
            let mut square = Rectangle::new()
                .set("x", px(x - side / 2.0))
                .set("y", px(y - side / 2.0))
                .set("width", px(side))
                .set("height", px(side));
            if panel.main {
                square = square.set("data-existing", plan.catchments[i].id.as_str());
            }
            group = group.add(square);
        }
        Some(group)
    }

    fn awarded_sites(&self, sites: Option<&SitePlan>) -> Option<(Group, usize)> {
        let sites = sites?;
        let (panel, plan) = (self.panel, self.scene.plan);
        let mut awarded = 0;
        let mut group = Group::new()
            .set("id", panel.id("awarded-sites"))
            .set("fill", SITE_BLUE)
            .set("stroke", "#ffffff")
            .set("stroke-width", px(0.9 * panel.u));
        for &i in &self.shown {
            let Some(site) = self.scene.st.awarded[i].and_then(|p| sites.proposals.get(p)) else {
                continue;
            };
            let [x, y] = panel.view.xy(site.position);
            if !panel.main && !panel.near(&[x, y]) {
                continue;
            }
            awarded += 1;
            let mut circle = Circle::new()
                .set("cx", px(x))
                .set("cy", px(y))
                .set("r", px(self.s * 1.15));
            if panel.main {
                circle = circle.set("data-catchment", plan.catchments[i].id.as_str());
            }
            group = group.add(circle);
        }
        Some((group, awarded))
    }
}

/// Symbol size from the typical catchment's size on the page (the median on the main
/// map; the lower quartile in the inset, which shows the smallest ones).
fn symbol_size(panel: &Panel, shown: &[usize], shapes: &[(f64, [f64; 2])]) -> f64 {
    let u = panel.u;
    let mut sizes: Vec<f64> = shown.iter().map(|&i| shapes[i].0.sqrt()).collect();
    sizes.sort_by(f64::total_cmp);
    let quantile = if panel.main { 2 } else { 4 };
    let typical = sizes
        .get(sizes.len() / quantile)
        .copied()
        .unwrap_or(40.0 * u);
    (typical * 0.09).clamp(1.6 * u, 4.5 * u)
}

/// The path of a catchment: `main` (its main ring, already projected) alone for a
/// one-part shape; every ring, drawn even-odd, otherwise.
fn shape_path(shape: &Shape, main: &[[f64; 2]], view: &View) -> String {
    if shape.parts.len() == 1 && shape.parts[0].holes.is_empty() {
        return ring_path(main);
    }
    shape
        .rings()
        .map(|r| ring_path(&simplified(&project(r, view))))
        .collect::<Vec<_>>()
        .join(" ")
}
