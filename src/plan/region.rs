//! One region's catchments: project its households, balance them, place the ideal centers
//! and draw the cells (power cells; for the travel objective, additively weighted ones);
//! then, once every region is balanced, cut the cells where they
//! meet other regions' households.

use std::collections::HashMap;

use crate::balance::{
    BalanceParams, Balanced, Travel, additive_margins, balance, median_total, power_diagram,
    shorten_trips, squared_search, travel_balance,
};
use crate::center::{distance_stats, geometric_median};
use crate::config::{Objective, PlanConfig};
use crate::geometry::{closest_on_segment, crosses_odd, dist2, round7, segment_dist2, signed_area};
use crate::model::{Households, LonLat, Shape};
use crate::plan::bounds::RegionBounds;
use crate::plan::drawable::{drawable, drawable_travel, off_cells, outsiders};
use crate::plan::{Catchment, RegionPlan};
use crate::polygons::cells::{
    DENSIFY_M, Diagram, HalfPlane, PowerCells, clipped_cells, densify, envelope, hull,
    separating_cut,
};
use crate::projection::{AzimuthalEquidistant, Projection};

pub(super) struct RegionResult {
    pub(super) info: RegionPlan,
    pub(super) catchments: Vec<Catchment>,
    /// (household index, local catchment, distance m)
    pub(super) assigned: Vec<(usize, u32, f64)>,
    /// Re-plans: (local catchment, open center's building) that must lie in the polygon.
    pub(super) pins: Vec<(u32, LonLat)>,
}

/// A region after balancing, before its polygons are final.
pub(super) struct RegionWork {
    region: u32,
    bounds: RegionBounds,
    proj: AzimuthalEquidistant,
    /// (household index, planar position) in canonical order.
    order: Vec<(usize, [f64; 2])>,
    points: Vec<[f64; 2]>,
    pub(super) weights: Vec<u32>,
    result: crate::balance::Balanced,
    groups: Vec<Vec<usize>>,
    centers_m: Vec<[f64; 2]>,
    /// The power cells, before cross-region cuts.
    cells: PowerCells,
    /// Polygons without cross-region cuts (planar).
    rings: Vec<Vec<[f64; 2]>>,
    /// Per catchment: its households' convex hull in lon/lat, and its polygon's lon/lat box.
    hulls: Vec<Vec<LonLat>>,
    boxes: Vec<[f64; 4]>,
    /// Re-plans: per catchment, points its polygon must cover besides its power cell (its
    /// households kept by their stickiness, its open center's building); empty otherwise.
    extra: Vec<Vec<[f64; 2]>>,
    /// Re-plans: the catchments' ids, in local order (kept in that order); empty for a
    /// fresh plan (numbered from north-west to south-east).
    ids: Vec<String>,
    /// Re-plans: (local catchment, building) of each open center.
    pins: Vec<(u32, LonLat)>,
    /// The diagram the cells are drawn from.
    diagram: Diagram,
    /// Whether the cells tile the region's envelope (see [`tile`]); always for power
    /// cells.
    pub(super) tiles: bool,
}

/// A region projected: its projection and its households in canonical order.
pub(super) struct Projected {
    pub(super) proj: AzimuthalEquidistant,
    /// (household index, planar position) in canonical order.
    pub(super) order: Vec<(usize, [f64; 2])>,
}

impl Projected {
    pub(super) fn new(hh: &Households, idx: &[usize]) -> Self {
        let proj = AzimuthalEquidistant::centered_on(idx.iter().map(|&i| &hh.items[i].position));
        let order = canonical_order(hh, idx, &proj);
        Projected { proj, order }
    }

    pub(super) fn points(&self) -> Vec<[f64; 2]> {
        self.order.iter().map(|o| o.1).collect()
    }

    pub(super) fn weights(&self, hh: &Households) -> Vec<u32> {
        self.order.iter().map(|o| hh.items[o.0].weight).collect()
    }
}

/// What the drawing of a region's balanced catchments needs besides them (see
/// [`RegionWork`]): the points each polygon must cover beyond its cell (a re-plan's kept
/// households and buildings, places off their cells, the travel objective's households on
/// a border), a re-plan's ids and buildings, and the diagram the cells are drawn from.
#[derive(Default)]
pub(super) struct Kept {
    pub(super) extra: Vec<Vec<[f64; 2]>>,
    pub(super) ids: Vec<String>,
    pub(super) pins: Vec<(u32, LonLat)>,
    /// The diagram the cells are drawn from.
    pub(super) diagram: Diagram,
}

pub(super) fn partition_region(
    config: &PlanConfig,
    hh: &Households,
    region: u32,
    idx: &[usize],
    b: RegionBounds,
) -> RegionWork {
    let projected = Projected::new(hh, idx);
    let points = projected.points();
    let weights = projected.weights(hh);
    let params = balance_params(config, region, &b);
    if config.objective == Objective::Distance {
        return travel_region(config, region, b, projected, &points, weights, &params);
    }
    let mut result = balance(&points, &weights, &params);
    let kept = packed(&points, &weights, &mut result, b);
    RegionWork::new(config, region, b, projected, weights, result, kept)
}

/// A region planned for the travel objective: the rounds of `balance::travel_balance` from
/// the squared search, drawn as the additively weighted diagram of its centers and prices
/// (hyperbolic borders) when its cells tile the region. Otherwise, or when the rounds do
/// not shorten the trips of the search they start from, the squared plan (computed then),
/// drawn as exact power cells: the size-constrained power diagram of the diagram fitted
/// to the travel catchments when its households travel less than the squared plan's.
fn travel_region(
    config: &PlanConfig,
    region: u32,
    b: RegionBounds,
    mut projected: Projected,
    points: &[[f64; 2]],
    weights: Vec<u32>,
    params: &BalanceParams,
) -> RegionWork {
    let travel = travel_problem(config, points, &weights, b, params);
    let travel_total = |plan: &Balanced| median_total(&travel, &plan.labels, &plan.centers);
    let (start, mut squared) = travel_start(points, &weights, params);
    let hopeless = squared.is_some();
    let start_total = travel_total(&start);
    let squared_total = squared.as_ref().map_or(f64::INFINITY, travel_total);
    let travelled = travel_balance(&travel, start, hopeless)
        .filter(|t| travel_total(t) < start_total.min(squared_total));
    let mut result = None;
    if let Some(mut travelled) = travelled {
        let mut additive = travelled.clone();
        let extra = additive_margins(points, &mut additive);
        let kept = Kept {
            extra,
            diagram: Diagram::Additive,
            ..Kept::default()
        };
        let work = RegionWork::new(
            config,
            region,
            b,
            projected,
            weights.clone(),
            additive,
            kept,
        );
        if work.tiles {
            return work;
        }
        let RegionWork { order, proj, .. } = work;
        projected = Projected { proj, order };
        let squared = squared
            .take()
            .unwrap_or_else(|| for_travel(points, &weights, params));
        let squared_total = travel_total(&squared);
        drawable_travel(points, &weights, &mut travelled);
        result = power_diagram(points, &weights, b.lo, b.hi, &travelled)
            .filter(|drawn| travel_total(drawn) < squared_total)
            .or(Some(squared));
    }
    let mut result = result
        .or(squared)
        .unwrap_or_else(|| for_travel(points, &weights, params));
    let kept = packed(points, &weights, &mut result, b);
    RegionWork::new(config, region, b, projected, weights, result, kept)
}

/// The squared plan a travel plan falls back on, its trips shortened by exchanges of whole
/// places (`balance::shorten_trips`) when its places are weighted: their drawing covers
/// the places left outside their power cell ([`packed`]), which a plan of single
/// households, drawn as exact power cells, would not.
fn for_travel(points: &[[f64; 2]], weights: &[u32], params: &BalanceParams) -> Balanced {
    let plan = balance(points, weights, params);
    if weights.iter().any(|&w| w > 1) {
        shorten_trips(points, weights, params.lo, params.hi, plan)
    } else {
        plan
    }
}

/// The travel objective's problem of a region's households.
fn travel_problem<'a>(
    config: &PlanConfig,
    points: &'a [[f64; 2]],
    weights: &'a [u32],
    b: RegionBounds,
    params: &BalanceParams,
) -> Travel<'a> {
    Travel {
        points,
        weights,
        lo: b.lo,
        hi: b.hi,
        max_iterations: config.max_iterations,
        effort: config.effort,
        seed: params.seed,
    }
}

/// A region's catchments for the plan's objective, not yet drawn: the squared search's, or
/// for the travel objective the travel rounds from it where they shorten the trips. A
/// re-plan's region whose every center closed is planned afresh so.
pub(super) fn fresh_catchments(
    config: &PlanConfig,
    region: u32,
    b: RegionBounds,
    points: &[[f64; 2]],
    weights: &[u32],
) -> Balanced {
    let params = balance_params(config, region, &b);
    if config.objective == Objective::Squared {
        return balance(points, weights, &params);
    }
    let travel = travel_problem(config, points, weights, b, &params);
    let travel_total = |plan: &Balanced| median_total(&travel, &plan.labels, &plan.centers);
    let (start, squared) = travel_start(points, weights, &params);
    let least = travel_total(&start).min(squared.as_ref().map_or(f64::INFINITY, travel_total));
    travel_balance(&travel, start, squared.is_some())
        .filter(|t| travel_total(t) < least)
        .or(squared)
        .unwrap_or_else(|| for_travel(points, weights, &params))
}

/// Where the travel rounds start, the squared search, and the plan to fall back on when
/// that search gave up short of the bounds (weighted places under a capacity too tight
/// for any power diagram): the squared plan itself, whose places are exchanged until the
/// bounds hold (`balance::pack`), then to shorten trips ([`for_travel`]). `None` for a
/// start out of bounds that the search did not give up on (the coarse-to-fine search's
/// with weighted places, by a household or two: in 22 regions of the national file as
/// 654,711 places, where computing the squared plan as well took the travel plan from 30 s
/// to 158 s, for the same plan). The rounds' plan is kept only when its trips are shorter than that plan's too: from the search's
/// unbalanced start they could end within the bounds with longer trips than the squared
/// plan (3,038 weighted places, 600 catchments of at most 58 households: 136.4 m against
/// 131.9 m), and were then kept. (Starting the rounds from the squared plan instead gained
/// nothing on such capacities and took up to twice as long.)
fn travel_start(
    points: &[[f64; 2]],
    weights: &[u32],
    params: &BalanceParams,
) -> (Balanced, Option<Balanced>) {
    let (start, gave_up) = squared_search(points, weights, params);
    let squared = gave_up.then(|| for_travel(points, weights, params));
    (start, squared)
}

/// How far inside its catchment's power cell a place must lie to be left to the cell (a
/// place closer to a border is covered like one outside it): above the 7-decimal rounding
/// of the polygons, and half the margin the balancing keeps places off their cells' edges
/// by (`assign::widen_margins`, 2 cm). At the full 2 cm, every place the margins had put
/// exactly 2 cm inside counted as off its cell by rounding noise: hundreds of polygons
/// were grown over their neighbours, and the split of that one huge overlap left some.
pub(super) const MARGIN_M: f64 = 0.01;

/// What the polygons must cover when tight capacities with weighted places left some
/// places outside their catchment's power cell (see `balance::pack`): a power diagram
/// fitted to the labels, and the places still outside it, as for a re-plan. Nothing for
/// a plan of power cells.
fn packed(points: &[[f64; 2]], weights: &[u32], result: &mut Balanced, b: RegionBounds) -> Kept {
    if !weights.iter().any(|&w| w > 1) || outsiders(points, result).iter().all(Vec::is_empty) {
        return Kept::default();
    }
    let labels = result.labels.clone();
    // Without previous generators the drawing is of the cells; every place off them by
    // less than the margin is covered below all the same.
    let _ = drawable(points, weights, &labels, &[], result, b);
    Kept {
        extra: off_cells(points, result, MARGIN_M),
        ..Kept::default()
    }
}

impl RegionWork {
    /// A region's balanced catchments with their ideal centers and power cells.
    pub(super) fn new(
        config: &PlanConfig,
        region: u32,
        b: RegionBounds,
        projected: Projected,
        weights: Vec<u32>,
        result: crate::balance::Balanced,
        kept: Kept,
    ) -> Self {
        let Projected { proj, order } = projected;
        let points: Vec<[f64; 2]> = order.iter().map(|o| o.1).collect();
        let groups = members_of(&result.labels, b.k);
        let centers_m = ideal_centers(&groups, &points, &weights);
        // A re-plan's open centers' buildings are inside the envelope too (a building
        // whose nearby households all left may lie beyond the households' margin).
        let env = if kept.pins.is_empty() {
            envelope(&points, config.envelope_buffer_m)
        } else {
            let mut all = points.clone();
            all.extend(kept.pins.iter().map(|&(_, at)| proj.forward(at)));
            envelope(&all, config.envelope_buffer_m)
        };
        let (generators, power) = separate(&result.centers, &result.power);
        let cells = clipped_cells(&generators, &power, &env, kept.diagram);
        let mut rings = cells.rings(&[], &points, &result.labels);
        let tiles = kept.diagram == Diagram::Power || tile(&rings, &env, &groups);
        cover(&mut rings, &kept.extra, &points, &groups, kept.diagram);
        let hulls = lonlat_hulls(&groups, &points, &proj);
        let boxes: Vec<[f64; 4]> = rings.iter().map(|r| lonlat_box(r, &proj)).collect();
        RegionWork {
            region,
            bounds: b,
            proj,
            order,
            points,
            weights,
            result,
            groups,
            centers_m,
            cells,
            rings,
            hulls,
            boxes,
            extra: kept.extra,
            ids: kept.ids,
            pins: kept.pins,
            diagram: kept.diagram,
            tiles,
        }
    }
}

/// Whether the counter-clockwise `rings` tile the convex `envelope`: each catchment with
/// households (`members`) has a ring, each ring is counter-clockwise and their areas add
/// up to the envelope's (to a square metre per ten square kilometres). An additive cell
/// cut by a strongly curved border in several places can come out turned over, or empty,
/// which this catches.
fn tile(rings: &[Vec<[f64; 2]>], envelope: &[[f64; 2]], members: &[Vec<usize>]) -> bool {
    if rings
        .iter()
        .zip(members)
        .any(|(r, m)| r.len() < 3 && !m.is_empty())
    {
        return false;
    }
    let whole = signed_area(envelope);
    let mut sum = 0.0;
    for ring in rings.iter().filter(|r| r.len() >= 3) {
        let a = signed_area(ring);
        if a < 0.0 {
            return false;
        }
        sum += a;
    }
    (sum - whole).abs() <= 1e-7 * whole + 1.0
}

/// Grows each ring over its `extra` points: a power cell's to its convex hull with them
/// ([`cover_convex`]); an additive cell's, which need not be convex, by a square around each
/// joined to it ([`cover_additive`]).
fn cover(
    rings: &mut [Vec<[f64; 2]>],
    extra: &[Vec<[f64; 2]>],
    points: &[[f64; 2]],
    members: &[Vec<usize>],
    diagram: Diagram,
) {
    match diagram {
        Diagram::Power => cover_convex(rings, extra, points, members),
        Diagram::Additive => {
            let left = bend_borders(rings, extra, points, members);
            cover_additive(rings, &left);
        }
    }
}

/// How far (m) a household may lie off its additive cell's ring for [`bend_borders`].
const BEND_REACH_M: f64 = 0.5;
/// How far beyond such a household (m) the bent border passes.
const BEND_M: f64 = 0.02;

/// Bends the border shared by two additive cells around each `extra` household lying on
/// or just off its own cell's ring: a vertex 2 cm beyond the household, outwards from its
/// cell, inserted into the shared edge of both rings, so the two stay identical and no
/// overlap is made. Kept only when the sliver moved holds no household of the
/// neighbour's and the household ends inside; the rest are returned for
/// [`cover_additive`].
fn bend_borders(
    rings: &mut [Vec<[f64; 2]>],
    extra: &[Vec<[f64; 2]>],
    points: &[[f64; 2]],
    members: &[Vec<usize>],
) -> Vec<Vec<[f64; 2]>> {
    let mut left: Vec<Vec<[f64; 2]>> = vec![Vec::new(); rings.len()];
    if extra.iter().all(Vec::is_empty) {
        return left;
    }
    let mut owner: HashMap<EdgeKey, usize> = HashMap::new();
    for (j, ring) in rings.iter().enumerate() {
        let n = ring.len();
        for e in 0..n {
            owner.insert(edge_key(ring[e], ring[(e + 1) % n]), j);
        }
    }
    for (j, outside) in extra.iter().enumerate() {
        for &p in outside {
            if well_inside(&rings[j], p) {
                continue;
            }
            let shared = (&*rings, &owner);
            match bend(shared, j, p, |l| members[l].iter().map(|&i| points[i])) {
                Some(b) => {
                    let (a, q, c) = (b.from, b.at, b.to);
                    rings[j] = b.grown;
                    rings[b.other] = b.shrunk;
                    owner.remove(&edge_key(a, c));
                    owner.remove(&edge_key(c, a));
                    owner.insert(edge_key(a, q), j);
                    owner.insert(edge_key(q, c), j);
                    owner.insert(edge_key(c, q), b.other);
                    owner.insert(edge_key(q, a), b.other);
                }
                None => left[j].push(p),
            }
        }
    }
    left
}

/// A directed ring edge, by the bits of its ends.
type EdgeKey = [u64; 4];

/// The key of the edge `a → b`.
fn edge_key(a: [f64; 2], b: [f64; 2]) -> EdgeKey {
    [
        a[0].to_bits(),
        a[1].to_bits(),
        b[0].to_bits(),
        b[1].to_bits(),
    ]
}

/// Whether `p` lies inside `ring` by more than a millimetre (the rounding keeps it inside,
/// `snap`).
fn well_inside(ring: &[[f64; 2]], p: [f64; 2]) -> bool {
    let n = ring.len();
    crosses_odd(ring, p) && (0..n).all(|e| segment_dist2(ring[e], ring[(e + 1) % n], p) > 1e-6)
}

/// A border bent around a household (see [`bend_borders`]): the vertex `at` inserted into
/// the edge `from → to` of the household's ring (now `grown`) and into the same edge,
/// reversed, of catchment `other`'s ring (now `shrunk`).
struct Bend {
    other: usize,
    grown: Vec<[f64; 2]>,
    shrunk: Vec<[f64; 2]>,
    from: [f64; 2],
    at: [f64; 2],
    to: [f64; 2],
}

/// The bend of ring `j`'s edge nearest the household `p` (within [`BEND_REACH_M`]) when
/// a neighbour's ring has the same edge reversed (`owner`), none of that neighbour's
/// households (`homes`) lies in the sliver moved, and `p` ends inside.
fn bend<I: Iterator<Item = [f64; 2]>>(
    (rings, owner): (&[Vec<[f64; 2]>], &HashMap<EdgeKey, usize>),
    j: usize,
    p: [f64; 2],
    homes: impl Fn(usize) -> I,
) -> Option<Bend> {
    let ring = &rings[j];
    let n = ring.len();
    let edge = |e: usize| segment_dist2(ring[e], ring[(e + 1) % n], p);
    let e = (0..n).min_by(|&x, &y| edge(x).total_cmp(&edge(y)))?;
    let (a, b) = (ring[e], ring[(e + 1) % n]);
    if edge(e) > BEND_REACH_M * BEND_REACH_M {
        return None;
    }
    let l = *owner.get(&edge_key(b, a))?;
    let d = [b[0] - a[0], b[1] - a[1]];
    let len = d[0].hypot(d[1]);
    if len <= 0.0 || l == j {
        return None;
    }
    // Outwards from a counter-clockwise ring: right of the edge.
    let out = [d[1] / len, -d[0] / len];
    let near = closest_on_segment(p, a, b);
    let beyond = ((p[0] - near[0]) * out[0] + (p[1] - near[1]) * out[1]).max(0.0);
    let q = [
        near[0] + (beyond + BEND_M) * out[0],
        near[1] + (beyond + BEND_M) * out[1],
    ];
    let sliver = [a, q, b];
    if homes(l).any(|h| crosses_odd(&sliver, h)) {
        return None;
    }
    let mut grown = ring.clone();
    grown.insert(e + 1, q);
    if !well_inside(&grown, p) {
        return None;
    }
    let theirs = &rings[l];
    let m = theirs.len();
    let f = (0..m).find(|&f| theirs[f] == b && theirs[(f + 1) % m] == a)?;
    let mut shrunk = theirs.clone();
    shrunk.insert(f + 1, q);
    Some(Bend {
        other: l,
        grown,
        shrunk,
        from: a,
        at: q,
        to: b,
    })
}

/// Grows each additive cell's ring over its `extra` points, each a square of 1 m around
/// it joined to the ring by the hull of that square and a square around the ring's nearest
/// point (nothing of the ring is lost, so its concave borders stay as they were); the
/// overlap with the neighbour is split by nearest household like a border between regions.
fn cover_additive(rings: &mut [Vec<[f64; 2]>], extra: &[Vec<[f64; 2]>]) {
    use geo::{Area, BooleanOps, Coord, LineString, Polygon};
    let polygon = |pts: &[[f64; 2]]| {
        Polygon::new(
            LineString::from(
                pts.iter()
                    .map(|p| Coord { x: p[0], y: p[1] })
                    .collect::<Vec<_>>(),
            ),
            vec![],
        )
    };
    let square = |p: [f64; 2], out: &mut Vec<[f64; 2]>| {
        for (dx, dy) in [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)] {
            out.push([p[0] + dx, p[1] + dy]);
        }
    };
    for (ring, outside) in rings.iter_mut().zip(extra) {
        if outside.is_empty() || ring.len() < 3 {
            continue;
        }
        let outside: Vec<[f64; 2]> = outside
            .iter()
            .copied()
            .filter(|&p| !well_inside(ring, p))
            .collect();
        if outside.is_empty() {
            continue;
        }
        let mut grown = geo::MultiPolygon::new(vec![polygon(ring)]);
        for &p in &outside {
            let n = ring.len();
            let near = (0..n)
                .map(|e| closest_on_segment(p, ring[e], ring[(e + 1) % n]))
                .min_by(|a, b| dist2(*a, p).total_cmp(&dist2(*b, p)))
                .unwrap_or(p);
            let mut corners = Vec::with_capacity(8);
            square(p, &mut corners);
            square(near, &mut corners);
            grown = grown.union(&polygon(&hull(&corners)));
        }
        let Some(largest) = grown
            .0
            .iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
        else {
            continue;
        };
        let mut out: Vec<[f64; 2]> = largest.exterior().0.iter().map(|c| [c.x, c.y]).collect();
        if out.len() > 1 && out.first() == out.last() {
            out.pop();
        }
        if signed_area(&out) < 0.0 {
            out.reverse();
        }
        *ring = out;
    }
}

/// Grows each power cell's ring to the convex hull of itself and its `extra` points (each a square of
/// 1 m around it, so a household on the hull lies inside), for re-plans.
///
/// The hull drops the ring's intermediate vertices, and a long planar edge bends once
/// drawn in longitude/latitude (by about 1.5–2 cm at the middle of a kilometre, growing
/// with the square of its length; see [`DENSIFY_M`]), which left a household near it
/// outside its catchment. So an edge longer
/// than [`DENSIFY_M`] with one of the catchment's own households (`members`, positions in
/// `points`) within its possible bend is densified like the cells' edges; the others are
/// left straight, since every added vertex is one more place for the border split to leave
/// a crumb.
fn cover_convex(
    rings: &mut [Vec<[f64; 2]>],
    extra: &[Vec<[f64; 2]>],
    points: &[[f64; 2]],
    members: &[Vec<usize>],
) {
    for ((ring, outside), own) in rings.iter_mut().zip(extra).zip(members) {
        if outside.is_empty() {
            continue;
        }
        let mut all = ring.clone();
        for p in outside {
            for (dx, dy) in [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)] {
                all.push([p[0] + dx, p[1] + dy]);
            }
        }
        let corners = hull(&all);
        let mut grown = Vec::with_capacity(corners.len() * 2);
        for (e, &a) in corners.iter().enumerate() {
            let b = corners[(e + 1) % corners.len()];
            let km = (b[0] - a[0]).hypot(b[1] - a[1]) / 1_000.0;
            // The bend with a wide margin (a hundred times the real one).
            let bend = 2.0 + 2.0 * km * km;
            let near = km * 1_000.0 > DENSIFY_M
                && own
                    .iter()
                    .any(|&i| segment_dist2(a, b, points[i]) < bend * bend);
            if near {
                grown.extend(
                    densify(&[a, b], DENSIFY_M)
                        .into_iter()
                        .take_while(|&q| q != b),
                );
            } else {
                grown.push(a);
            }
        }
        *ring = grown;
    }
}

/// The region's households as (household index, planar position), in canonical order: the
/// plan does not depend on the order of the input rows.
fn canonical_order(
    hh: &Households,
    idx: &[usize],
    proj: &AzimuthalEquidistant,
) -> Vec<(usize, [f64; 2])> {
    let mut order: Vec<(usize, [f64; 2])> = idx
        .iter()
        .map(|&i| (i, proj.forward(hh.items[i].position)))
        .collect();
    // The rows are looked at only for ties of location (rare), and the input index last
    // makes the order total, so an unstable sort gives the one order.
    order.sort_unstable_by(|a, b| {
        a.1[0]
            .total_cmp(&b.1[0])
            .then(a.1[1].total_cmp(&b.1[1]))
            .then_with(|| {
                let (ha, hb) = (&hh.items[a.0], &hh.items[b.0]);
                ha.weight
                    .cmp(&hb.weight)
                    .then_with(|| ha.id.cmp(&hb.id))
                    .then(a.0.cmp(&b.0))
            })
    });
    order
}

/// The balancing parameters of one region (its own seed).
pub(super) fn balance_params(config: &PlanConfig, region: u32, b: &RegionBounds) -> BalanceParams {
    BalanceParams {
        k: b.k,
        lo: b.lo,
        hi: b.hi,
        max_iterations: config.max_iterations,
        restarts: config.restarts,
        seed: config.seed ^ u64::from(region).wrapping_mul(0x9E37_79B9_7F4A_7C15),
    }
}

/// Members of each catchment (positions in canonical order).
fn members_of(labels: &[u32], k: usize) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (pos, &l) in labels.iter().enumerate() {
        groups[l as usize].push(pos);
    }
    groups
}

/// Each catchment's ideal center: the weighted geometric median of its households.
fn ideal_centers(groups: &[Vec<usize>], points: &[[f64; 2]], weights: &[u32]) -> Vec<[f64; 2]> {
    groups
        .iter()
        .map(|g| {
            let p: Vec<[f64; 2]> = g.iter().map(|&i| points[i]).collect();
            let w: Vec<u32> = g.iter().map(|&i| weights[i]).collect();
            geometric_median(&p, &w, 1e-3)
        })
        .collect()
}

/// Each catchment's households' convex hull, in lon/lat.
fn lonlat_hulls(
    groups: &[Vec<usize>],
    points: &[[f64; 2]],
    proj: &AzimuthalEquidistant,
) -> Vec<Vec<LonLat>> {
    groups
        .iter()
        .map(|g| {
            let p: Vec<[f64; 2]> = g.iter().map(|&i| points[i]).collect();
            hull(&p).into_iter().map(|q| proj.inverse(q)).collect()
        })
        .collect()
}

/// A planar ring's lon/lat box: `[lon_min, lat_min, lon_max, lat_max]`.
fn lonlat_box(ring: &[[f64; 2]], proj: &AzimuthalEquidistant) -> [f64; 4] {
    let mut bx = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for &q in ring {
        let ll = proj.inverse(q);
        bx = [
            bx[0].min(ll.lon),
            bx[1].min(ll.lat),
            bx[2].max(ll.lon),
            bx[3].max(ll.lat),
        ];
    }
    bx
}

/// For every catchment, the households' hulls of catchments of *other* regions whose
/// polygons' boxes meet its own (candidates for overlap).
pub(super) fn foreign_hulls(work: &[RegionWork]) -> Vec<Vec<Vec<Vec<LonLat>>>> {
    let mut out: Vec<Vec<Vec<Vec<LonLat>>>> = work
        .iter()
        .map(|w| vec![Vec::new(); w.boxes.len()])
        .collect();
    if work.len() < 2 {
        return out;
    }
    let pad = 1e-6;
    let mut all: Vec<(f64, usize, usize)> = Vec::new();
    for (r, w) in work.iter().enumerate() {
        for (j, b) in w.boxes.iter().enumerate() {
            all.push((b[0], r, j));
        }
    }
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (n, &(_, r1, j1)) in all.iter().enumerate() {
        let b1 = work[r1].boxes[j1];
        for &(lon_min, r2, j2) in &all[n + 1..] {
            if lon_min > b1[2] + pad {
                break;
            }
            if r1 == r2 {
                continue;
            }
            let b2 = work[r2].boxes[j2];
            if b2[1] > b1[3] + pad || b1[1] > b2[3] + pad {
                continue;
            }
            out[r1][j1].push(work[r2].hulls[j2].clone());
            out[r2][j2].push(work[r1].hulls[j1].clone());
        }
    }
    out
}

pub(super) fn finish_region(
    hh: &Households,
    mut work: RegionWork,
    foreign: &[Vec<Vec<LonLat>>],
) -> RegionResult {
    // Separate catchments from overlapping catchments of other regions by a line between
    // their households (when one exists), then rebuild this region's cells.
    let mut unseparated = 0usize;
    if foreign.iter().any(|f| !f.is_empty()) {
        let (cuts, n) = foreign_cuts(&work, foreign);
        unseparated = n;
        let (points, labels) = (&work.points, &work.result.labels);
        work.rings = work.cells.rings(&cuts, points, labels);
        cover(
            &mut work.rings,
            &work.extra,
            &work.points,
            &work.groups,
            work.diagram,
        );
    }
    let (local, rank) = if work.ids.is_empty() {
        north_west_order(&work.centers_m, work.bounds.k)
    } else {
        let k = work.bounds.k;
        ((0..k).collect(), (0..k as u32).collect())
    };
    // Rounded polygons that still hold every household (see `snap`).
    let members: Vec<Vec<LonLat>> = work
        .groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|&i| hh.items[work.order[i].0].position)
                .collect()
        })
        .collect();
    let proj = work.proj;
    let (rounded, outside) =
        crate::polygons::snap::round_rings(&work.rings, |xy| proj.inverse(xy), &members);
    let (catchments, assigned) = catchments_in_order(&work, &local, &rank, rounded);
    let info = region_info(hh, &work, unseparated, outside);
    let pins = work
        .pins
        .iter()
        .map(|&(j, at)| (rank[j as usize], at))
        .collect();
    RegionResult {
        info,
        catchments,
        assigned,
        pins,
    }
}

/// For each catchment, the half-planes separating its households from each overlapping
/// foreign catchment's, with how many pairs no line separates.
fn foreign_cuts(work: &RegionWork, foreign: &[Vec<Vec<LonLat>>]) -> (Vec<Vec<HalfPlane>>, usize) {
    let mut unseparated = 0usize;
    let cuts: Vec<Vec<HalfPlane>> = foreign
        .iter()
        .zip(&work.groups)
        .map(|(others, g)| {
            let own: Vec<[f64; 2]> = hull(&g.iter().map(|&i| work.points[i]).collect::<Vec<_>>());
            others
                .iter()
                .filter_map(|other| {
                    let theirs: Vec<[f64; 2]> =
                        other.iter().map(|&q| work.proj.forward(q)).collect();
                    let cut = separating_cut(&own, &theirs);
                    if cut.is_none() {
                        unseparated += 1;
                    }
                    cut
                })
                .collect()
        })
        .collect();
    (cuts, unseparated)
}

/// Catchments numbered from north-west to south-east by ideal center: the catchments in
/// that order, and each catchment's number.
fn north_west_order(centers_m: &[[f64; 2]], k: usize) -> (Vec<usize>, Vec<u32>) {
    let mut local: Vec<usize> = (0..k).collect();
    local.sort_by(|&a, &c| {
        centers_m[c][1]
            .total_cmp(&centers_m[a][1])
            .then(centers_m[a][0].total_cmp(&centers_m[c][0]))
            .then(a.cmp(&c))
    });
    let mut rank = vec![0u32; k];
    for (new, &old) in local.iter().enumerate() {
        rank[old] = new as u32;
    }
    (local, rank)
}

/// The catchments in `local` order with their rounded rings, and every household's
/// (household index, local catchment, distance m).
fn catchments_in_order(
    work: &RegionWork,
    local: &[usize],
    rank: &[u32],
    mut rounded: Vec<Vec<LonLat>>,
) -> (Vec<Catchment>, Vec<(usize, u32, f64)>) {
    let mut assigned = Vec::with_capacity(work.points.len());
    let mut catchments = Vec::with_capacity(work.bounds.k);
    for &j in local {
        for &i in &work.groups[j] {
            let d = crate::geometry::dist2(work.points[i], work.centers_m[j]).sqrt();
            assigned.push((work.order[i].0, rank[j], d));
        }
        let mut ring = std::mem::take(&mut rounded[j]);
        if let Some(&first) = ring.first() {
            ring.push(first);
        }
        let mut c = catchment(work, j, ring);
        if let Some(id) = work.ids.get(j) {
            c.id.clone_from(id);
        }
        catchments.push(c);
    }
    (catchments, assigned)
}

/// Catchment `j` of the region, with its closed rounded ring (not yet numbered).
fn catchment(work: &RegionWork, j: usize, ring: Vec<LonLat>) -> Catchment {
    let g = &work.groups[j];
    let p: Vec<[f64; 2]> = g.iter().map(|&i| work.points[i]).collect();
    let w: Vec<u32> = g.iter().map(|&i| work.weights[i]).collect();
    let stats = distance_stats(&p, &w, work.centers_m[j]);
    let c = work.proj.inverse(work.centers_m[j]);
    let centroid = weighted_centroid(&p, &w);
    Catchment {
        id: String::new(),
        region: work.region,
        households: work.result.sizes[j],
        locations: g.len() as u32,
        center: LonLat::new(round7(c.lon), round7(c.lat)),
        generator: {
            let g = work.proj.inverse(work.result.centers[j]);
            LonLat::new(round7(g.lon), round7(g.lat))
        },
        distance: stats,
        sse_m2: p
            .iter()
            .zip(&w)
            .map(|(q, &x)| f64::from(x) * crate::geometry::dist2(*q, centroid))
            .sum(),
        shape: Shape::from_ring(ring),
        area_km2: 0.0,
    }
}

/// The weighted mean of planar points.
fn weighted_centroid(p: &[[f64; 2]], w: &[u32]) -> [f64; 2] {
    let tw: f64 = w.iter().map(|&x| f64::from(x)).sum();
    let cx = p
        .iter()
        .zip(w)
        .map(|(q, &x)| q[0] * f64::from(x))
        .sum::<f64>()
        / tw;
    let cy = p
        .iter()
        .zip(w)
        .map(|(q, &x)| q[1] * f64::from(x))
        .sum::<f64>()
        / tw;
    [cx, cy]
}

/// The region's figures.
fn region_info(
    hh: &Households,
    work: &RegionWork,
    unseparated: usize,
    outside: usize,
) -> RegionPlan {
    let (b, result) = (&work.bounds, &work.result);
    RegionPlan {
        name: hh.regions[work.region as usize].clone(),
        rows: work.points.len(),
        households: work.weights.iter().map(|&w| u64::from(w)).sum(),
        catchments: b.k,
        min_size: b.lo,
        max_size: b.hi,
        smallest: result.sizes.iter().copied().min().unwrap_or(0),
        largest: result.sizes.iter().copied().max().unwrap_or(0),
        iterations: result.iterations,
        // Balanced: every size within the bounds, as the sizes say. The balancing also
        // counts a run as unbalanced when its last exact assignment gave up (the labels
        // are then the power diagram of its weights, not proven optimal): that is
        // reported as not converged instead.
        converged: result.converged
            && (result.balanced || !result.sizes.iter().all(|&s| s >= b.lo && s <= b.hi)),
        balanced: result.sizes.iter().all(|&s| s >= b.lo && s <= b.hi),
        sse_m2: result.sse_m2,
        projection_center: work.proj.center(),
        unseparated_pairs: unseparated,
        overlapping_pairs: 0,
        households_outside: outside,
    }
}

/// Moves exactly coincident centers apart by a millimetre, with equal weights, so that
/// their power cells are well defined (wedges around the shared point) instead of identical.
fn separate(centers: &[[f64; 2]], power: &[f64]) -> (Vec<[f64; 2]>, Vec<f64>) {
    let mut out = centers.to_vec();
    let mut weights = power.to_vec();
    let mut order: Vec<usize> = (0..centers.len()).collect();
    order.sort_by(|&a, &b| {
        centers[a][0]
            .total_cmp(&centers[b][0])
            .then(centers[a][1].total_cmp(&centers[b][1]))
            .then(a.cmp(&b))
    });
    let mut s = 0;
    while s < order.len() {
        let mut e = s + 1;
        while e < order.len() && centers[order[e]] == centers[order[s]] {
            e += 1;
        }
        if e - s > 1 {
            let mean = order[s..e].iter().map(|&j| power[j]).sum::<f64>() / (e - s) as f64;
            for (n, &j) in order[s..e].iter().enumerate() {
                weights[j] = mean;
                let a = std::f64::consts::TAU * n as f64 / (e - s) as f64;
                out[j] = [
                    centers[j][0] + 1e-3 * a.cos(),
                    centers[j][1] + 1e-3 * a.sin(),
                ];
            }
        }
        s = e;
    }
    (out, weights)
}
