//! Labels on a map panel: region names (main map, several regions) at their households'
//! centre, then catchment ids where they fit, each clear of the symbols and of every label
//! placed before it.

use svg::node::element::Group;

use crate::sites::SitePlan;

use super::format::{Set, halo, text, text_width};
use super::layers::Drawing;
use super::layout::Rect;
use super::rings::convex_contains;

impl Drawing<'_> {
    /// The labels group; labels stay off `placed` (the graticule's labels) and `reserved`.
    pub(super) fn labels(
        &self,
        sites: Option<&SitePlan>,
        mut placed: Vec<Rect>,
        reserved: &[Rect],
    ) -> Group {
        let (plan, panel, u) = (self.scene.plan, self.panel, self.panel.u);
        let mut labels = Group::new()
            .set("id", panel.id("labels"))
            .set("text-anchor", "middle");
        if panel.main && plan.regions.len() > 1 {
            labels = self.region_labels(labels, &mut placed);
        }
        let size = 10.0 * u;
        for &i in &self.shown {
            let c = &plan.catchments[i];
            let site = self.scene.st.awarded[i]
                .and_then(|p| sites.and_then(|s| s.proposals.get(p)))
                .map(|p| panel.view.xy(p.position));
            let Some((cx, rect)) = self.id_spot(i, site, size, &placed, reserved) else {
                continue;
            };
            placed.push(rect);
            labels = labels.add(halo(
                text(cx, rect.y + size * 0.88, size, &c.id).set("fill", "#3e4c59"),
                u,
            ));
        }
        labels
    }

    /// Region names, largest region first, each where it overlaps no label placed before.
    fn region_labels(&self, mut labels: Group, placed: &mut Vec<Rect>) -> Group {
        let u = self.panel.u;
        let size = 12.5 * u;
        for (_, r, [x, y]) in self.region_anchors() {
            let name = &self.scene.plan.regions[r].name;
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
        labels
    }

    /// Every region with a catchment shown: its households, index and the
    /// household-weighted mean of its catchments' centroids; most households first.
    fn region_anchors(&self) -> Vec<(u64, usize, [f64; 2])> {
        let plan = self.scene.plan;
        let mut regions: Vec<(u64, usize, [f64; 2])> = (0..plan.regions.len())
            .filter_map(|r| {
                let (mut w, mut x, mut y) = (0.0, 0.0, 0.0);
                let mut households = 0;
                for &i in &self.shown {
                    let c = &plan.catchments[i];
                    if c.region as usize == r {
                        let h = c.households.max(1) as f64;
                        w += h;
                        x += h * self.shapes[i].1[0];
                        y += h * self.shapes[i].1[1];
                        households += c.households;
                    }
                }
                (w > 0.0).then(|| (households, r, [x / w, y / w]))
            })
            .collect();
        regions.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        regions
    }

    /// Where catchment `i`'s id goes at font `size`: below its ideal center, above it, or
    /// at the polygon's centroid, whichever comes first inside the catchment and the frame,
    /// clear of the center and the awarded `site`, and off `placed` and `reserved`. The
    /// label's middle x and its box; `None` when no spot is free.
    fn id_spot(
        &self,
        i: usize,
        site: Option<[f64; 2]>,
        size: f64,
        placed: &[Rect],
        reserved: &[Rect],
    ) -> Option<(f64, Rect)> {
        let (panel, s, u) = (self.panel, self.s, self.panel.u);
        let c = &self.scene.plan.catchments[i];
        let w = text_width(&c.id, size);
        let anchor = panel.view.xy(c.center);
        let mut keep_clear = vec![anchor];
        keep_clear.extend(site);
        let centroid = self.shapes[i].1;
        let candidates = [
            [anchor[0], anchor[1] + s + 3.0 * u],
            [anchor[0], anchor[1] - s - 3.0 * u - size],
            [centroid[0], centroid[1] - size / 2.0],
        ];
        candidates.into_iter().find_map(|[cx, top]| {
            let rect = Rect {
                x: cx - w / 2.0 - 2.0 * u,
                y: top,
                w: w + 4.0 * u,
                h: size * 1.15,
            };
            let fits = rect
                .corners()
                .iter()
                .all(|&p| convex_contains(&self.rings[i], p) && panel.well_inside(&p));
            let clear = keep_clear
                .iter()
                .all(|&p| !symbol_box(p, s).overlaps(&rect));
            let free = !placed.iter().chain(reserved).any(|p| p.overlaps(&rect));
            (fits && clear && free).then_some((cx, rect))
        })
    }
}

/// The box a symbol of size `s` at `p` keeps labels out of.
fn symbol_box(p: [f64; 2], s: f64) -> Rect {
    Rect {
        x: p[0] - s * 1.3,
        y: p[1] - s * 1.3,
        w: s * 2.6,
        h: s * 2.6,
    }
}
