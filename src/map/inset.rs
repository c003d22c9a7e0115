//! The detail inset under the legend: where the map is most crowded, how far to zoom, and
//! the inset drawn with its box on the map, its heading and its own scale bar.

use rstar::{RTree, primitives::GeomWithData};
use svg::Document;
use svg::node::element::ClipPath;

use crate::model::LonLat;
use crate::sites::SitePlan;

use super::colour::INK;
use super::format::{Set, frame_outline, px, rect_element, start_x, text};
use super::furniture::{scale_bar, scale_layout};
use super::layers::{Scene, draw_map};
use super::layout::{Layout, Panel, Rect, View};
use super::rings::{area_centroid, bbox, projected_rings};

/// Longest scale bar in the detail inset, as a share of its width.
const INSET_SCALE: f64 = 0.4;

/// The inset under the legend that zooms on the most crowded part of the map, where
/// catchments are too small to read: the small catchment with the most small catchments
/// around it, and the small catchments near it. `None` when nothing is crowded, when the
/// inset would not enlarge at least 2.5 times, or when there is no room.
pub(super) fn inset_panel(lay: &Layout, rings: &[Vec<[f64; 2]>], top: f64) -> Option<Panel> {
    let u = lay.u;
    let members = crowded(rings, u)?;
    let area = members
        .iter()
        .map(|&i| bbox(&rings[i]))
        .reduce(|a, b| a.union(&b))?;
    let frame = inset_frame(lay.panel, top, u)?;
    let (zoom, center) = zoom_and_center(frame, area, &members, rings, u);
    if zoom < 2.5 {
        return None;
    }
    Some(Panel {
        view: inset_view(&lay.view, frame, zoom, center),
        frame,
        u,
        main: false,
    })
}

/// The crowded catchments (sorted): the small ones (under 16 `u` across) within 100 `u`
/// of the small one with the most small ones within 50 `u`; `None` when fewer than six
/// small catchments crowd anywhere.
fn crowded(rings: &[Vec<[f64; 2]>], u: f64) -> Option<Vec<usize>> {
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
    Some(members)
}

/// The inset's frame: the side panel's width, 30 `u` under `top`, at most 1.2 times as
/// tall as wide; `None` when less than 170 `u` tall fits.
fn inset_frame(panel: Rect, top: f64, u: f64) -> Option<Rect> {
    let frame_y = top + 30.0 * u;
    let room = panel.y + panel.h - frame_y;
    let frame_h = room.min(1.2 * panel.w);
    if frame_h < 170.0 * u {
        return None;
    }
    Some(Rect {
        x: panel.x,
        y: frame_y,
        w: panel.w,
        h: frame_h,
    })
}

/// How much the inset enlarges the main map, and the main map pixel it centres on.
/// Shows the whole crowded `area` when that makes its small catchments (the lowest
/// eighth) readable, about 40 px across; otherwise zooms further on its middle.
fn zoom_and_center(
    frame: Rect,
    area: Rect,
    members: &[usize],
    rings: &[Vec<[f64; 2]>],
    u: f64,
) -> (f64, [f64; 2]) {
    let (w, h) = (area.w.max(2.0 * u), area.h.max(2.0 * u));
    let pad = 8.0 * u;
    let fit = ((frame.w - 2.0 * pad) / w).min((frame.h - 2.0 * pad) / h);
    let mut sizes: Vec<f64> = members
        .iter()
        .map(|&i| area_centroid(&rings[i]).0.sqrt())
        .collect();
    sizes.sort_by(f64::total_cmp);
    let typical = sizes[sizes.len() / 8].max(0.5 * u);
    let needed = (40.0 * u / typical).min(30.0);
    if fit >= needed {
        (fit, [area.x + area.w / 2.0, area.y + area.h / 2.0])
    } else {
        let n = members.len() as f64;
        let mean = members.iter().fold([0.0, 0.0], |m, &i| {
            let c = area_centroid(&rings[i]).1;
            [m[0] + c[0] / n, m[1] + c[1] / n]
        });
        (needed, mean)
    }
}

/// The main view enlarged `zoom` times with the main map's pixel `center` in the middle
/// of `frame`.
fn inset_view(main: &View, frame: Rect, zoom: f64, center: [f64; 2]) -> View {
    let k = main.k * zoom;
    let center_lon = main.lon_at(center[0]);
    let center_lat = main.lat_at(center[1]);
    let min_lon = center_lon - (frame.w / 2.0) / (main.cos * k);
    let max_lat = center_lat + (frame.h / 2.0) / k;
    View {
        min_lon,
        max_lat,
        cos: main.cos,
        lat0: main.lat0,
        k,
        origin: [frame.x, frame.y],
    }
}

/// `doc` with the inset added: the boxed area on the main map, the heading, the detail
/// clipped to the inset's frame, its scale bar and its frame.
pub(super) fn add_inset(
    doc: Document,
    scene: &Scene,
    sites: Option<&SitePlan>,
    lay: &Layout,
    inset: &Panel,
) -> Document {
    let (u, lang) = (lay.u, scene.plan.config.lang);
    let area = boxed_area(&lay.view, inset);
    let inset_rings = projected_rings(scene.plan, &inset.view);
    let plate = scale_layout(inset, lang, INSET_SCALE * inset.frame.w).3;
    let detail = draw_map(scene, sites, inset, &inset_rings, &[plate]);
    doc.add(
        rect_element(area)
            .set("id", "inset-area")
            .set("clip-path", "url(#map-clip)")
            .set("fill", "none")
            .set("stroke", INK)
            .set("stroke-width", px(1.4 * u)),
    )
    .add(
        text(
            start_x(lang, inset.frame.x, inset.frame.x + inset.frame.w),
            inset.frame.y - 8.0 * u,
            13.0 * u,
            &lang.tr("map-inset"),
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
        inset,
        lang,
        INSET_SCALE * inset.frame.w,
        "inset-scale",
    ))
    .add(frame_outline(inset.frame, u))
}

/// The part of the main map (in its `view`) that the `inset` shows.
fn boxed_area(view: &View, inset: &Panel) -> Rect {
    Rect {
        x: view.xy(LonLat::new(inset.view.lon_at(inset.frame.x), 0.0))[0],
        y: view.xy(LonLat::new(0.0, inset.view.lat_at(inset.frame.y)))[1],
        w: inset.frame.w * view.k / inset.view.k,
        h: inset.frame.h * view.k / inset.view.k,
    }
}
