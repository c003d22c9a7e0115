//! Catchment polygons: the cells of the power diagram, clipped to a region envelope.
//!
//! # Algorithm
//! 1. The envelope is the convex hull of the region's households buffered by a margin
//!    (Minkowski sum with a 32-gon), so no envelope vertex is a household location.
//! 2. Each cell starts as the envelope and is clipped (Sutherland–Hodgman) by the power
//!    bisector half-plane `2(x − c_j)·(c_l − c_j) ≤ ‖c_l − c_j‖² − w_l + w_j` of every other
//!    center `l`, nearest first, stopping once no farther center can reach the cell.
//! 3. Vertices shared by neighbouring cells (bisector ∩ bisector, bisector ∩ envelope edge)
//!    are welded to one position by the lines that define them, so shared edges are
//!    identical in both polygons and cells tile the envelope without overlaps.
//!
//! # Complexity
//! The nearest other centers come from a k-d tree, the rest that can still reach the cell
//! from an R-tree over `(x, y, power)` that skips boxes too far for their largest power
//! (a bound with the region's largest power alone reached thousands of centers in a dense
//! city of a region with sparse parts, where powers differ by the square of kilometres).
//! So a cell costs `O(log k)` plus `O(v)` per clip, and the clips stay near the number of
//! neighbours: `O(k log k)` for all cells, not `O(k²)`. Cells are clipped in parallel.

use std::collections::HashMap;

use geo::{ConvexHull, MultiPoint, Point};

use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::{AABB, RTree, SelectionFunction};

use crate::geometry::{closest_on_segment, crosses_odd, dist2, signed_area};
use crate::polygons::hyperbola::{Branch, SAGITTA_M};
use crate::spatial::PowerIndex;

/// What a polygon edge lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Line {
    /// Edge `e` of the envelope.
    Envelope(u32),
    /// The bisector with cell `l`.
    Cell(u32),
    /// A line separating the cell from a catchment of another region.
    Cut(u32),
}

/// A half-plane `normal · x ≤ offset` that a cell must also respect (used to keep
/// catchments of different regions apart).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct HalfPlane {
    /// Outward normal.
    pub normal: [f64; 2],
    /// Offset along the normal.
    pub offset: f64,
}

/// The diagram whose cells are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Diagram {
    /// Power cells (`‖x − g_j‖² − w_j` least): straight borders, convex cells.
    #[default]
    Power,
    /// Additively weighted Voronoi cells (`‖x − g_j‖ − y_j` least), the travel objective's:
    /// hyperbolic borders ([`Branch`]), cells star-shaped around their center.
    Additive,
}

/// A polygon whose edge `i` runs from `pts[i]` to `pts[i+1]` along `lines[i]`: convex for
/// power cells; for additive cells a curved border is a run of short chords on one line.
#[derive(Debug, Clone)]
struct Clipped {
    pts: Vec<[f64; 2]>,
    lines: Vec<Line>,
}

impl Clipped {
    /// Keeps the part where `h(x) ≤ 0`, `h` affine, marking the new edge with `line`.
    fn clip(&self, h: impl Fn([f64; 2]) -> f64, line: Line) -> Clipped {
        self.clip_with(&h, line, |a, b, ha, hb| {
            let t = ha / (ha - hb);
            [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
        })
    }

    /// Keeps the part where `h(x) ≤ 0` (Sutherland–Hodgman), the crossing of an edge
    /// `a → b` (values `ha`, `hb` of opposite signs) at `cross(a, b, ha, hb)`, marking the new
    /// edges with `line`.
    fn clip_with(
        &self,
        h: &impl Fn([f64; 2]) -> f64,
        line: Line,
        cross: impl Fn([f64; 2], [f64; 2], f64, f64) -> [f64; 2],
    ) -> Clipped {
        let vals: Vec<f64> = self.pts.iter().map(|&p| h(p)).collect();
        self.clip_values(&vals, line, cross)
    }

    /// [`Clipped::clip_with`] given the values `vals` of `h` at the vertices.
    fn clip_values(
        &self,
        vals: &[f64],
        line: Line,
        cross: impl Fn([f64; 2], [f64; 2], f64, f64) -> [f64; 2],
    ) -> Clipped {
        let n = self.pts.len();
        let mut out = Clipped {
            pts: Vec::with_capacity(n + 1),
            lines: Vec::with_capacity(n + 1),
        };
        for i in 0..n {
            let j = (i + 1) % n;
            let (a, b) = (self.pts[i], self.pts[j]);
            let (ha, hb) = (vals[i], vals[j]);
            let a_in = ha <= 0.0;
            let b_in = hb <= 0.0;
            if a_in {
                out.pts.push(a);
                out.lines.push(self.lines[i]);
            }
            if a_in != b_in {
                out.pts.push(cross(a, b, ha, hb));
                out.lines.push(if a_in { line } else { self.lines[i] });
            }
        }
        out
    }

    /// The cell with a vertex inserted on every edge that the border `h = 0` (the branch
    /// `branch`, between centers `gj` and `gl`) crosses twice between its ends, which a
    /// clip looking at the ends only would miss (a narrow cell around a center priced far
    /// below its neighbour's took no vertex at all; a neighbour's cap poking through an
    /// edge of a large cell was kept by it): midway between the two crossings, or where
    /// the edge passes closest to either center, when that is on the other side from its
    /// ends. `hs` holds the values of `h` at the vertices; `None` when no vertex is
    /// inserted.
    fn split_double_crossings(
        &self,
        h: &impl Fn([f64; 2]) -> f64,
        hs: &[f64],
        branch: Option<Branch>,
        gj: [f64; 2],
        gl: [f64; 2],
    ) -> Option<Clipped> {
        let n = self.pts.len();
        let mut refined = Clipped {
            pts: Vec::new(),
            lines: Vec::new(),
        };
        for i in 0..n {
            let (a, b) = (self.pts[i], self.pts[(i + 1) % n]);
            let (ha, hb) = (hs[i], hs[(i + 1) % n]);
            if !refined.pts.is_empty() {
                refined.pts.push(a);
                refined.lines.push(self.lines[i]);
            }
            let inside = ha <= 0.0;
            // `h` changes at most twice as fast as a point moves along the edge: an edge
            // whose ends lie farther from the border, on average, than its length cannot
            // reach it.
            if inside != (hb <= 0.0) || 0.5 * (ha + hb).abs() > dist2(a, b).sqrt() {
                continue;
            }
            let twice = branch
                .and_then(|br| br.double_crossing(a, b))
                .map(|t| [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
            let mut extra = [closest_on_segment(gj, a, b), closest_on_segment(gl, a, b)];
            if let Some(p) = twice {
                extra = [p, p];
            }
            if dist2(extra[0], a) > dist2(extra[1], a) {
                extra.swap(0, 1);
            }
            let mut last = a;
            for p in extra {
                if p == last {
                    continue;
                }
                last = p;
                if p != a && p != b && (h(p) <= 0.0) != inside {
                    if refined.pts.is_empty() {
                        // The first vertex inserted: the cell up to this edge's start.
                        refined.pts.reserve(n + 4);
                        refined.lines.reserve(n + 4);
                        refined.pts.extend_from_slice(&self.pts[..=i]);
                        refined.lines.extend_from_slice(&self.lines[..=i]);
                    }
                    refined.pts.push(p);
                    refined.lines.push(self.lines[i]);
                }
            }
        }
        (!refined.pts.is_empty()).then_some(refined)
    }

    /// Keeps the part of additive cell `j` that catchment `l` does not take (see
    /// [`Diagram::Additive`]): the crossings found by bisection along the edges, the new
    /// borders filled with points of the hyperbola so that later clips meet the curve.
    ///
    /// Most clips leave the cell as it is (83 % on the national file, of cells of about
    /// 1,000 vertices): the values at its vertices are found once, and a cell with every
    /// vertex inside and no edge crossed twice is returned unchanged.
    fn clip_additive(self, j: usize, l: usize, g: &[[f64; 2]], y: &[f64]) -> Clipped {
        let (gj, gl) = (g[j], g[l]);
        let delta = y[j] - y[l];
        if delta >= dist2(gl, gj).sqrt() || self.pts.is_empty() {
            return self;
        }
        let h = |x: [f64; 2]| dist2(x, gj).sqrt() - dist2(x, gl).sqrt() - delta;
        let line = Line::Cell(l as u32);
        let branch = Branch::new(j, l, g, y);
        let hs: Vec<f64> = self.pts.iter().map(|&p| h(p)).collect();
        let bisect = |a: [f64; 2], b: [f64; 2], ha: f64, _| {
            // Bisection keeps `a`'s side at `lo`; 60 halvings reach the last bit.
            let (mut lo, mut hi) = (0.0f64, 1.0f64);
            let at = |t: f64| [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                if (h(at(mid)) <= 0.0) == (ha <= 0.0) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            at(0.5 * (lo + hi))
        };
        let cut = match self.split_double_crossings(&h, &hs, branch, gj, gl) {
            Some(refined) => refined.clip_with(&h, line, bisect),
            None if hs.iter().all(|&v| v <= 0.0) => return self,
            None => self.clip_values(&hs, line, bisect),
        };
        let Some(branch) = branch else {
            return cut;
        };
        let n = cut.pts.len();
        if !cut.lines.contains(&line) {
            return cut;
        }
        let mut out = Clipped {
            pts: Vec::with_capacity(n + 16),
            lines: Vec::with_capacity(n + 16),
        };
        let mut fill = Vec::new();
        for i in 0..n {
            out.pts.push(cut.pts[i]);
            out.lines.push(cut.lines[i]);
            if cut.lines[i] == line {
                fill.clear();
                branch.fill(
                    cut.pts[i],
                    cut.pts[(i + 1) % n],
                    SAGITTA_M,
                    DENSIFY_M,
                    &mut fill,
                );
                out.pts.extend(&fill);
                out.lines.extend(std::iter::repeat_n(line, fill.len()));
            }
        }
        out
    }

    fn radius2_from(&self, c: [f64; 2]) -> f64 {
        self.pts
            .iter()
            .map(|p| (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2))
            .fold(0.0, f64::max)
    }
}

/// The region envelope: convex hull of `points` buffered by `margin` metres,
/// counter-clockwise, without repeating the first vertex.
pub(crate) fn envelope(points: &[[f64; 2]], margin: f64) -> Vec<[f64; 2]> {
    const SIDES: usize = 32;
    let corners = hull(points);
    let mut grown = Vec::with_capacity(corners.len() * SIDES);
    for c in &corners {
        for s in 0..SIDES {
            let a = std::f64::consts::TAU * (s as f64 + 0.5) / SIDES as f64;
            grown.push(Point::new(c[0] + margin * a.cos(), c[1] + margin * a.sin()));
        }
    }
    let hull = MultiPoint::from(grown).convex_hull();
    let mut ring: Vec<[f64; 2]> = hull.exterior().0.iter().map(|c| [c.x, c.y]).collect();
    if ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    if signed_area(&ring) < 0.0 {
        ring.reverse();
    }
    ring
}

/// Power cells of `(centers, power)` inside the convex counter-clockwise `envelope`.
/// Returns one open ring (counter-clockwise, first vertex not repeated) per center.
///
/// `households` and their `labels` are used only to keep vertices off household locations.
#[cfg(test)]
pub(crate) fn power_cells(
    centers: &[[f64; 2]],
    power: &[f64],
    envelope: &[[f64; 2]],
    households: &[[f64; 2]],
    labels: &[u32],
    cuts: &[Vec<HalfPlane>],
) -> Vec<Vec<[f64; 2]>> {
    clipped_cells(centers, power, envelope, Diagram::Power).rings(cuts, households, labels)
}

/// The cells of some centers before they are cut apart from other regions and welded into
/// rings, so that cuts found later cost only the cut cells ([`PowerCells::rings`]).
pub(crate) struct PowerCells {
    cells: Vec<Clipped>,
    centers: Vec<[f64; 2]>,
    power: Vec<f64>,
    diagram: Diagram,
}

/// The cells of `(centers, power)` in `diagram` inside the convex counter-clockwise
/// `envelope` (for [`Diagram::Additive`], `power` holds the prices).
pub(crate) fn clipped_cells(
    centers: &[[f64; 2]],
    power: &[f64],
    envelope: &[[f64; 2]],
    diagram: Diagram,
) -> PowerCells {
    let k = centers.len();
    let base = Clipped {
        pts: envelope.to_vec(),
        lines: (0..envelope.len() as u32).map(Line::Envelope).collect(),
    };
    let wmax = power.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let index = PowerIndex::new(centers, &vec![0.0; k]);
    let weighted = Weighted::new(centers, power);
    let cells = (0..k)
        .into_par_iter()
        .map_init(Vec::new, |found, j| {
            let around = (centers, power, wmax);
            match diagram {
                Diagram::Power => power_cell(j, around, &base, (&index, &weighted), found),
                Diagram::Additive => additive_cell(j, around, &base, (&index, &weighted), found),
            }
        })
        .collect();
    PowerCells {
        cells,
        centers: centers.to_vec(),
        power: power.to_vec(),
        diagram,
    }
}

impl PowerCells {
    /// One open ring (counter-clockwise, first vertex not repeated) per center: its cell
    /// cut by its half-planes `cuts` (none for a center beyond them), with the vertices
    /// neighbouring cells share welded and kept off the `households` (labelled `labels`).
    pub(crate) fn rings(
        &self,
        cuts: &[Vec<HalfPlane>],
        households: &[[f64; 2]],
        labels: &[u32],
    ) -> Vec<Vec<[f64; 2]>> {
        let cells = self
            .cells
            .iter()
            .enumerate()
            .map(|(j, cell)| match cuts.get(j) {
                Some(cuts) if !cuts.is_empty() => cut_cell(cell.clone(), cuts),
                _ => cell.clone(),
            })
            .collect();
        let diagram = (&self.centers[..], &self.power[..], self.diagram);
        weld(cells, diagram, households, labels)
    }
}

/// Centers fetched from the k-d tree for a cell's first clips.
const FIRST_NEIGHBOURS: usize = 16;

/// The centers in an R-tree over `(x, y, power)`, so that a search can skip every part of
/// the plane whose centers are too far, for their largest power, to reach a cell.
struct Weighted {
    tree: RTree<GeomWithData<[f64; 3], u32>>,
}

impl Weighted {
    fn new(centers: &[[f64; 2]], power: &[f64]) -> Self {
        let points = centers
            .iter()
            .zip(power)
            .enumerate()
            .map(|(l, (c, &w))| GeomWithData::new([c[0], c[1], w], l as u32))
            .collect();
        Weighted {
            tree: RTree::bulk_load(points),
        }
    }

    /// Every center whose power bisector with center `cj` (power `wj`) can cross the disc
    /// of radius `r` around `cj`, in no particular order (a few more may come).
    ///
    /// A point `x` of the disc has power distance at most `r² − wj` to `cj`, and at least
    /// `(d − r)² − w` to a center at distance `d > r` with power `w`; a center for which
    /// the second is not below the first cannot take any of the disc. Both bounds are
    /// taken on a disc a hair wider, against rounding.
    fn reaching(&self, cj: [f64; 2], wj: f64, r: f64, out: &mut Vec<u32>) {
        let r = r * (1.0 + 1e-9) + 1e-6;
        let within = r * r - wj;
        self.select(
            cj,
            |d, w| {
                let gap = (d - r).max(0.0);
                gap * gap - w < within
            },
            out,
        );
    }

    /// Every center whose additive border with center `cj` (price `yj`) can cross the disc
    /// of radius `r` around `cj`: a point of the disc is worth at most `r − yj` to `cj` and
    /// at least `d − r − y` to a center at distance `d` with price `y`.
    fn reaching_additive(&self, cj: [f64; 2], yj: f64, r: f64, out: &mut Vec<u32>) {
        let r = r * (1.0 + 1e-9) + 1e-6;
        self.select(cj, |d, y| d - r - y < r - yj, out);
    }

    /// The centers `reaches(distance from cj, price)` may keep, boxes opened with their
    /// nearest point and largest price.
    fn select(&self, cj: [f64; 2], reaches: impl Fn(f64, f64) -> bool, out: &mut Vec<u32>) {
        out.clear();
        out.extend(
            self.tree
                .locate_with_selection_function(Reaching { cj, reaches })
                .map(|p| p.data),
        );
    }
}

/// The R-tree selection of [`Weighted::reaching`]: a box is opened when its nearest point
/// with its largest power could reach the disc.
struct Reaching<F> {
    cj: [f64; 2],
    reaches: F,
}

impl<F: Fn(f64, f64) -> bool> SelectionFunction<GeomWithData<[f64; 3], u32>> for Reaching<F> {
    fn should_unpack_parent(&self, envelope: &AABB<[f64; 3]>) -> bool {
        let (lo, hi) = (envelope.lower(), envelope.upper());
        let dx = (lo[0] - self.cj[0]).max(self.cj[0] - hi[0]).max(0.0);
        let dy = (lo[1] - self.cj[1]).max(self.cj[1] - hi[1]).max(0.0);
        (self.reaches)((dx * dx + dy * dy).sqrt(), hi[2])
    }

    fn should_unpack_leaf(&self, leaf: &GeomWithData<[f64; 3], u32>) -> bool {
        let p = leaf.geom();
        (self.reaches)(dist2([p[0], p[1]], self.cj).sqrt(), p[2])
    }
}

/// The [`FIRST_NEIGHBOURS`] centers nearest center `j` (itself left out) with their
/// distances, nearest first (ties by index), cut below `limit`: every center nearer than
/// `limit` is in this batch (a hair below its farthest, against rounding between the
/// tree's distances and these). `every` when the batch holds every center.
fn first_batch(
    j: usize,
    centers: &[[f64; 2]],
    index: &PowerIndex,
    found: &mut Vec<u32>,
) -> (Vec<(f64, u32)>, bool, f64) {
    let k = centers.len();
    let m = FIRST_NEIGHBOURS.min(k);
    index.nearest(centers[j], m, found);
    let mut order = by_distance(j, centers, found);
    let every = m >= k;
    let limit = if every {
        f64::INFINITY
    } else {
        order.last().map_or(f64::INFINITY, |x| x.0 * (1.0 - 1e-12))
    };
    order.retain(|x| x.0 < limit);
    (order, every, limit)
}

/// The centers `found` beyond the first batch (at `limit` or farther from center `j`),
/// nearest first (ties by index).
fn the_rest(j: usize, centers: &[[f64; 2]], found: &[u32], limit: f64) -> Vec<(f64, u32)> {
    let mut rest = by_distance(j, centers, found);
    rest.retain(|x| x.0 >= limit);
    rest
}

/// The centers `found` other than `j`, with their distances from it, nearest first (ties
/// by index).
fn by_distance(j: usize, centers: &[[f64; 2]], found: &[u32]) -> Vec<(f64, u32)> {
    let cj = centers[j];
    let mut order: Vec<(f64, u32)> = found
        .iter()
        .filter(|&&l| l as usize != j)
        .map(|&l| {
            let c = centers[l as usize];
            ((c[0] - cj[0]).hypot(c[1] - cj[1]), l)
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    order
}

/// The power cell of center `j` (of `centers` with `power`, the largest `wmax`): `base`
/// (the envelope) clipped by the bisector with every other center that can reach it,
/// nearest first (ties by index). The nearest [`FIRST_NEIGHBOURS`] come from `index` (all
/// centers, unweighted) and are clipped while a center of power `wmax` as near could
/// still reach the cell; the rest that can reach what is left of it come from
/// `weighted`, so a cell costs about its neighbours, not `k`, however the powers vary
/// across the region.
fn power_cell(
    j: usize,
    (centers, power, wmax): (&[[f64; 2]], &[f64], f64),
    base: &Clipped,
    (index, weighted): (&PowerIndex, &Weighted),
    found: &mut Vec<u32>,
) -> Clipped {
    let cj = centers[j];
    let mut cell = base.clone();
    let mut r2 = cell.radius2_from(cj);
    let (order, every, limit) = first_batch(j, centers, index, found);
    let clip = |cell: &Clipped, l: u32| {
        let cl = centers[l as usize];
        let dvec = [cl[0] - cj[0], cl[1] - cj[1]];
        let rhs = dvec[0] * dvec[0] + dvec[1] * dvec[1] - power[l as usize] + power[j];
        let h = |x: [f64; 2]| 2.0 * ((x[0] - cj[0]) * dvec[0] + (x[1] - cj[1]) * dvec[1]) - rhs;
        cell.clip(h, Line::Cell(l))
    };
    for &(d, l) in &order {
        let r = r2.sqrt();
        if d > r && (d - r).powi(2) - wmax >= r2 - power[j] {
            return cell;
        }
        cell = clip(&cell, l);
        if cell.pts.is_empty() {
            return cell;
        }
        r2 = cell.radius2_from(cj);
    }
    if every {
        return cell;
    }
    weighted.reaching(cj, power[j], r2.sqrt(), found);
    for (_, l) in the_rest(j, centers, found, limit) {
        cell = clip(&cell, l);
        if cell.pts.is_empty() {
            return cell;
        }
    }
    cell
}

/// The additive cell of center `j` (of `centers` with prices `y`, the largest `ymax`):
/// `base` clipped by the border with every other center that can reach it, nearest first
/// (ties by index), as [`power_cell`] does for power cells. A center at distance `d` with
/// price `y_l` can take part of a cell within `r` of `c_j` only when `d < 2r + y_l − y_j`.
fn additive_cell(
    j: usize,
    (centers, y, ymax): (&[[f64; 2]], &[f64], f64),
    base: &Clipped,
    (index, weighted): (&PowerIndex, &Weighted),
    found: &mut Vec<u32>,
) -> Clipped {
    let cj = centers[j];
    let mut cell = base.clone();
    let mut r = cell.radius2_from(cj).sqrt();
    let (order, every, limit) = first_batch(j, centers, index, found);
    let reaches = |d: f64, yl: f64, r: f64| d < (2.0 * r + yl - y[j]) * (1.0 + 1e-9) + 1e-6;
    for &(d, l) in &order {
        if !reaches(d, ymax, r) {
            return cell;
        }
        if reaches(d, y[l as usize], r) {
            cell = cell.clip_additive(j, l as usize, centers, y);
            if cell.pts.is_empty() {
                return cell;
            }
            r = cell.radius2_from(cj).sqrt();
        }
    }
    if every {
        return cell;
    }
    weighted.reaching_additive(cj, y[j], r, found);
    for (_, l) in the_rest(j, centers, found, limit) {
        cell = cell.clip_additive(j, l as usize, centers, y);
        if cell.pts.is_empty() {
            return cell;
        }
    }
    cell
}

/// `cell` clipped by the half-planes `cuts` that keep it apart from other regions.
fn cut_cell(mut cell: Clipped, cuts: &[HalfPlane]) -> Clipped {
    for (c, cut) in cuts.iter().enumerate() {
        let h = |x: [f64; 2]| cut.normal[0] * x[0] + cut.normal[1] * x[1] - cut.offset;
        cell = cell.clip(h, Line::Cut(c as u32));
    }
    cell
}

/// The lines a vertex lies on, the lowest cell first, and which place with those lines it
/// is (see [`weld_keys`]; 0 where the lines meet once).
type Key = (u32, Line, Line, u8);

/// The weld key of the vertex of cell `j` between edges on lines `a` and `b`.
fn vertex_key(j: u32, a: Line, b: Line) -> Option<Key> {
    // Between two chords of one curved border: a point of the curve, not a vertex.
    if a == b {
        return None;
    }
    let mut ids = [Line::Cell(j), a, b];
    ids.sort();
    match ids {
        [Line::Envelope(e), Line::Cell(x), Line::Cell(y)] => {
            Some((e | 0x8000_0000, Line::Cell(x), Line::Cell(y), 0))
        }
        [Line::Cell(x), Line::Cell(y), Line::Cell(z)] => Some((x, Line::Cell(y), Line::Cell(z), 0)),
        _ => None,
    }
}

/// Gives vertices defined by the same lines one position (the lowest cell's), moves any
/// vertex that sits on a household 10 cm away from that household's cell (so no vertex
/// reveals a household and the household stays inside), and drops repeated vertices.
fn weld(
    cells: Vec<Clipped>,
    (centers, power, diagram): (&[[f64; 2]], &[f64], Diagram),
    households: &[[f64; 2]],
    labels: &[u32],
) -> Vec<Vec<[f64; 2]>> {
    let keys = weld_keys(&cells);
    let (mut seen, order) = first_positions(&cells, &keys);
    if !households.is_empty() && !order.is_empty() {
        move_off_households(&mut seen, &order, &cells, &keys, households, labels);
    }
    cells
        .iter()
        .zip(&keys)
        .enumerate()
        .map(|(j, (cell, ks))| {
            let verts = welded_vertices(j, cell, ks, &seen, centers);
            cell_ring(j, cell, &verts, (centers, power, diagram))
        })
        .collect()
}

/// How far (m) a vertex may lie from the first vertex with the same lines to be welded to
/// it. Where two of the borders run nearly together, the chords that stand in for them
/// cross metres apart along them (a 5 cm sagitta on borders 2 cm apart over 40 m).
const TWIN_M: f64 = 100.0;

/// Per cell, the weld key of each vertex (`None` for a vertex no other cell shares).
///
/// Three additive cells can meet at two points (a cell shaped like a lens between two
/// others): the lines alone cannot tell the two apart, each cell finds them by its own
/// clips, centimetres apart where its chords stand in for the curves, and a cell cut by
/// another region's catchments may keep only one of them. So the vertices with the same
/// lines are numbered by place: each takes the number of the nearest place within
/// [`TWIN_M`] that an earlier vertex with those lines (in cell and ring order) opened,
/// or opens one. A cell with two vertices of the same number leaves both unwelded.
/// Unwelded, three cells' borders overlapped or left gaps of up to a few square metres
/// near such a point (on the national file the border split re-cut 48 such overlaps);
/// welded to the other point, a cell was turned over.
fn weld_keys(cells: &[Clipped]) -> Vec<Vec<Option<Key>>> {
    let mut places: HashMap<Key, Vec<[f64; 2]>> = HashMap::new();
    cells
        .iter()
        .enumerate()
        .map(|(j, cell)| {
            let n = cell.lines.len();
            let mut keys: Vec<Option<Key>> = (0..n)
                .map(|i| {
                    let k = vertex_key(j as u32, cell.lines[(i + n - 1) % n], cell.lines[i])?;
                    let p = cell.pts[i];
                    let seen = places.entry(k).or_default();
                    let near = seen
                        .iter()
                        .enumerate()
                        .map(|(at, q)| (dist2(p, *q), at))
                        .filter(|&(d, _)| d <= TWIN_M * TWIN_M)
                        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    let at = near.map_or_else(
                        || {
                            seen.push(p);
                            seen.len() - 1
                        },
                        |(_, at)| at,
                    );
                    Some((k.0, k.1, k.2, u8::try_from(at).unwrap_or(u8::MAX)))
                })
                .collect();
            let twice = repeated(&keys);
            if !twice.is_empty() {
                for k in &mut keys {
                    if k.is_some_and(|k| twice.binary_search(&k).is_ok()) {
                        *k = None;
                    }
                }
            }
            keys
        })
        .collect()
}

/// The keys `keys` holds more than once, sorted.
fn repeated(keys: &[Option<Key>]) -> Vec<Key> {
    let mut sorted: Vec<Key> = keys.iter().flatten().copied().collect();
    sorted.sort_unstable();
    let mut twice: Vec<Key> = sorted
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    twice.dedup();
    twice
}

/// The position of each weld key in the first cell that has it, and the keys in that
/// order.
fn first_positions(
    cells: &[Clipped],
    keys: &[Vec<Option<Key>>],
) -> (HashMap<Key, [f64; 2]>, Vec<Key>) {
    let mut seen: HashMap<Key, [f64; 2]> = HashMap::new();
    let mut order: Vec<Key> = Vec::new();
    for (cell, ks) in cells.iter().zip(keys) {
        for (p, k) in cell.pts.iter().zip(ks) {
            if let Some(k) = k {
                seen.entry(*k).or_insert_with(|| {
                    order.push(*k);
                    *p
                });
            }
        }
    }
    (seen, order)
}

/// Moves every welded vertex on (or within 5 cm of) a household 10 cm away, so that no
/// vertex reveals a household. The first direction tried is away from the centroid of that
/// household's cell; a move that would leave some household of a cell sharing the vertex
/// outside that cell (an edge swung across a household near it) is replaced by the first
/// of the other directions that leaves every one inside: along each edge meeting at the
/// vertex, either way (that edge keeps its line), away from the household, then the eight
/// compass points.
fn move_off_households(
    seen: &mut HashMap<Key, [f64; 2]>,
    order: &[Key],
    cells: &[Clipped],
    keys: &[Vec<Option<Key>>],
    households: &[[f64; 2]],
    labels: &[u32],
) {
    let Ok(tree) = kiddo::ImmutableKdTree::<f64, 2>::new_from_slice(households) else {
        return;
    };
    let nearest = |v: &[f64; 2]| {
        tree.query(v)
            .nearest_one::<kiddo::SquaredEuclidean<f64>>()
            .execute()
    };
    let close: Vec<(Key, usize)> = order
        .iter()
        .filter_map(|k| {
            let near = nearest(&seen[k]);
            (near.distance < OFF_HOUSEHOLD_M * OFF_HOUSEHOLD_M).then_some((*k, near.item as usize))
        })
        .collect();
    if close.is_empty() {
        return;
    }
    let users = key_users(keys);
    let members = members_of_cells(labels, cells.len());
    let centroid = |j: usize| {
        let pts = &cells[j].pts;
        let n = pts.len().max(1) as f64;
        let sx: f64 = pts.iter().map(|p| p[0]).sum();
        let sy: f64 = pts.iter().map(|p| p[1]).sum();
        [sx / n, sy / n]
    };
    for (k, h) in close {
        let v = seen[&k];
        let own = centroid(labels[h] as usize);
        let mut moves = vec![unit(v, own)];
        // Along the edges that meet at the vertex: the edge keeps its line.
        for &u in &users[&k] {
            let ring = cell_at(cells, keys, seen, u, k, v);
            if let Some(t) = keys[u].iter().position(|key| *key == Some(k)) {
                let n = ring.len();
                for d in [unit(ring[(t + 1) % n], v), unit(ring[(t + n - 1) % n], v)] {
                    moves.extend([d, [-d[0], -d[1]]]);
                }
            }
        }
        moves.push(unit(v, households[h]));
        moves.extend((0..8).map(|a| {
            let a = std::f64::consts::FRAC_PI_4 * f64::from(a);
            [a.cos(), a.sin()]
        }));
        let to = |d: [f64; 2]| [v[0] + MOVE_OFF_M * d[0], v[1] + MOVE_OFF_M * d[1]];
        let safe = |w: [f64; 2]| {
            nearest(&w).distance >= OFF_HOUSEHOLD_M * OFF_HOUSEHOLD_M
                && users[&k].iter().all(|&u| {
                    let ring = |at: [f64; 2]| cell_at(cells, keys, seen, u, k, at);
                    let (before, after) = (ring(v), ring(w));
                    members[u].iter().all(|&i| {
                        let p = households[i];
                        crosses_odd(&after, p) || !crosses_odd(&before, p)
                    })
                })
        };
        let chosen = moves.iter().map(|&d| to(d)).find(|&w| safe(w));
        seen.insert(k, chosen.unwrap_or_else(|| to(moves[0])));
    }
}

/// Households closer than this (m) to a vertex are moved off ([`move_off_households`]).
const OFF_HOUSEHOLD_M: f64 = 0.05;

/// How far such a vertex moves (m).
const MOVE_OFF_M: f64 = 0.1;

/// The unit vector from `from` towards `v` (east when they coincide).
fn unit(v: [f64; 2], from: [f64; 2]) -> [f64; 2] {
    let (dx, dy) = (v[0] - from[0], v[1] - from[1]);
    let len = dx.hypot(dy);
    if len > 1e-9 {
        [dx / len, dy / len]
    } else {
        [1.0, 0.0]
    }
}

/// The cells that have each weld key.
fn key_users(keys: &[Vec<Option<Key>>]) -> HashMap<Key, Vec<usize>> {
    let mut users: HashMap<Key, Vec<usize>> = HashMap::new();
    for (j, ks) in keys.iter().enumerate() {
        for k in ks.iter().flatten() {
            let list = users.entry(*k).or_default();
            if list.last() != Some(&j) {
                list.push(j);
            }
        }
    }
    users
}

/// The households of each cell.
fn members_of_cells(labels: &[u32], k: usize) -> Vec<Vec<usize>> {
    let mut members = vec![Vec::new(); k];
    for (i, &l) in labels.iter().enumerate() {
        if let Some(m) = members.get_mut(l as usize) {
            m.push(i);
        }
    }
    members
}

/// Cell `u`'s vertices at their welded positions, with the vertex of key `k` at `at`.
fn cell_at(
    cells: &[Clipped],
    keys: &[Vec<Option<Key>>],
    seen: &HashMap<Key, [f64; 2]>,
    u: usize,
    k: Key,
    at: [f64; 2],
) -> Vec<[f64; 2]> {
    cells[u]
        .pts
        .iter()
        .zip(&keys[u])
        .map(|(&p, key)| match key {
            Some(key) if *key == k => at,
            Some(key) => seen[key],
            None => p,
        })
        .collect()
}

/// The vertices of cell `j` at their welded positions.
fn welded_vertices(
    j: usize,
    cell: &Clipped,
    ks: &[Option<Key>],
    seen: &HashMap<Key, [f64; 2]>,
    centers: &[[f64; 2]],
) -> Vec<[f64; 2]> {
    let n = cell.pts.len();
    let mut verts = Vec::with_capacity(n);
    for (i, (p, k)) in cell.pts.iter().zip(ks).enumerate() {
        let mut p = k.map_or(*p, |k| seen[&k]);
        // A cut ending on an edge shared with a neighbour of the same region: move it
        // 1.5 cm into this cell so rounding cannot make it overlap the neighbour.
        let pair = (cell.lines[(i + n - 1) % n], cell.lines[i]);
        if let (Line::Cell(l), Line::Cut(_)) | (Line::Cut(_), Line::Cell(l)) = pair {
            let d = [
                centers[l as usize][0] - centers[j][0],
                centers[l as usize][1] - centers[j][1],
            ];
            let len = d[0].hypot(d[1]).max(1e-12);
            p = [p[0] - 0.015 * d[0] / len, p[1] - 0.015 * d[1] / len];
        }
        verts.push(p);
    }
    verts
}

/// The ring of cell `j` through its welded vertices `verts`, with the intermediate points
/// of every edge (see [`bisector_points`], [`Branch::fill`] and [`densify`]), without
/// repeated vertices. The chords an additive cell's clips left along a curved border are
/// dropped: the border is drawn again from its welded ends, the same for both cells.
fn cell_ring(
    j: usize,
    cell: &Clipped,
    verts: &[[f64; 2]],
    (centers, power, diagram): (&[[f64; 2]], &[f64], Diagram),
) -> Vec<[f64; 2]> {
    let n = cell.pts.len();
    let curve_point = |i: usize| {
        diagram == Diagram::Additive
            && matches!(cell.lines[i], Line::Cell(_))
            && cell.lines[(i + n - 1) % n] == cell.lines[i]
    };
    let corners: Vec<usize> = (0..n).filter(|&i| !curve_point(i)).collect();
    let corners: Vec<usize> = if corners.is_empty() {
        (0..n).collect()
    } else {
        corners
    };
    let mut ring = Vec::with_capacity(n * 4);
    for (c, &i) in corners.iter().enumerate() {
        let next = corners[(c + 1) % corners.len()];
        let (a, b) = (verts[i], verts[next]);
        ring.push(a);
        match (cell.lines[i], diagram) {
            (Line::Cell(l), Diagram::Power) => {
                bisector_points(j, l as usize, centers, power, a, b, &mut ring);
            }
            (Line::Cell(l), Diagram::Additive) => {
                if let Some(branch) = Branch::new(j, l as usize, centers, power) {
                    branch.fill(a, b, SAGITTA_M, DENSIFY_M, &mut ring);
                }
            }
            _ => ring.extend(
                densify(&[a, b], DENSIFY_M)
                    .into_iter()
                    .skip(1)
                    .take_while(|&q| q != b),
            ),
        }
    }
    ring.dedup();
    while ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    ring
}

/// Longest polygon edge in metres; longer edges get intermediate vertices so that they stay
/// straight once converted to longitude/latitude.
///
/// A straight planar edge drawn as a straight longitude/latitude segment bends away from
/// the true line by about `c·L²` at its middle, `c` ≈ 1.5 cm/km² at 35° N and 2 cm/km² at
/// 40° N (growing with the tangent of the latitude; hardly with the distance from the
/// projection's centre): measured on the national plan, the middle of a 2 km chain of
/// edges lay 4.7 cm (median) to 7 cm (p99) off its chord. Edges of 500 m bend by at
/// most 5 mm, half the output grid (10⁻⁷°, about 1 cm), which the rounding moves every
/// vertex by anyway. At 200 m (0.8 mm) the national layer had 2.4 times the vertices
/// (742,000 against 307,000; 18.7 MB against 8.3 MB), and the national re-plan, whose
/// border split triangulates every vertex of the catchments it splits, took 8.1 s
/// instead of 6.3 s (session 26, six alternating rounds).
pub(crate) const DENSIFY_M: f64 = 500.0;

/// Appends the intermediate vertices of the edge `a → b` lying on the bisector of cells
/// `j` and `l`: the points of a fixed grid of [`DENSIFY_M`] along that line (anchored where the
/// line passes closest to the origin), so both cells sharing any part of the line use the
/// very same points.
fn bisector_points(
    j: usize,
    l: usize,
    centers: &[[f64; 2]],
    power: &[f64],
    a: [f64; 2],
    b: [f64; 2],
    out: &mut Vec<[f64; 2]>,
) {
    let (lo, hi) = (j.min(l), j.max(l));
    let d = [
        centers[hi][0] - centers[lo][0],
        centers[hi][1] - centers[lo][1],
    ];
    let len = d[0].hypot(d[1]);
    if len == 0.0 {
        return;
    }
    let nrm = [d[0] / len, d[1] / len];
    let t0 = (len * len - power[hi] + power[lo]) / (2.0 * len);
    let anchor = [centers[lo][0] + nrm[0] * t0, centers[lo][1] + nrm[1] * t0];
    let u = [-nrm[1], nrm[0]];
    let s = |p: [f64; 2]| (p[0] - anchor[0]) * u[0] + (p[1] - anchor[1]) * u[1];
    let (sa, sb) = (s(a), s(b));
    let step = DENSIFY_M;
    let (first, last) = if sa < sb {
        (
            (sa / step).floor() as i64 + 1,
            (sb / step).ceil() as i64 - 1,
        )
    } else {
        (
            (sa / step).ceil() as i64 - 1,
            (sb / step).floor() as i64 + 1,
        )
    };
    let dir: i64 = if sa < sb { 1 } else { -1 };
    let mut m = first;
    while (m - last) * dir <= 0 {
        let t = m as f64 * step;
        if (t - sa).abs() > 1.0 && (t - sb).abs() > 1.0 {
            out.push([anchor[0] + t * u[0], anchor[1] + t * u[1]]);
        }
        m += dir;
    }
}

/// Convex hull of `points` as an open counter-clockwise ring (a single point or a segment
/// gives a degenerate ring of 1–2 vertices).
pub(crate) fn hull(points: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let hull = MultiPoint::from(
        points
            .iter()
            .map(|p| Point::new(p[0], p[1]))
            .collect::<Vec<_>>(),
    )
    .convex_hull();
    let mut ring: Vec<[f64; 2]> = hull.exterior().0.iter().map(|c| [c.x, c.y]).collect();
    if ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    ring.dedup();
    ring
}

/// Hulls closer than this (m) count as not separated: the cut would pass a quarter of the
/// gap from a household, and under 1.25 cm the rounding of the polygons to 7 decimals
/// (about a centimetre) can put the household on the wrong side of it. Such pairs are
/// split by nearest household instead, like interleaving ones. (Two households of
/// different regions 5 mm apart were left 1.5 cm outside their catchment.)
const SEPARATION_M: f64 = 0.05;

/// The half-plane keeping convex hull `own` away from convex hull `other`: the
/// perpendicular bisector of their closest points, moved towards `own` by a quarter of the
/// gap (at most 5 m). `None` when the hulls touch, overlap or lie within
/// [`SEPARATION_M`], so no line separates them safely.
pub(crate) fn separating_cut(own: &[[f64; 2]], other: &[[f64; 2]]) -> Option<HalfPlane> {
    if own.is_empty() || other.is_empty() {
        return None;
    }
    let mut best: Option<(f64, [f64; 2], [f64; 2])> = None;
    let mut consider = |p: [f64; 2], q: [f64; 2]| {
        let d = (p[0] - q[0]).hypot(p[1] - q[1]);
        if best.is_none_or(|b| d < b.0) {
            best = Some((d, p, q));
        }
    };
    for (ring_a, ring_b, flip) in [(own, other, false), (other, own, true)] {
        for &p in ring_a {
            for e in 0..ring_b.len() {
                let q = closest_on_segment(p, ring_b[e], ring_b[(e + 1) % ring_b.len()]);
                if flip {
                    consider(q, p);
                } else {
                    consider(p, q);
                }
            }
        }
    }
    let (gap, p, q) = best?;
    if gap <= SEPARATION_M {
        return None;
    }
    let normal = [(q[0] - p[0]) / gap, (q[1] - p[1]) / gap];
    // Separating requires every vertex of `own` on the near side and of `other` beyond.
    let mid = [(p[0] + q[0]) / 2.0, (p[1] + q[1]) / 2.0];
    let side = |x: [f64; 2]| normal[0] * (x[0] - mid[0]) + normal[1] * (x[1] - mid[1]);
    if own.iter().any(|&x| side(x) >= 0.0) || other.iter().any(|&x| side(x) <= 0.0) {
        return None;
    }
    let margin = (gap / 4.0).min(5.0);
    Some(HalfPlane {
        normal,
        offset: normal[0] * mid[0] + normal[1] * mid[1] - margin,
    })
}

/// Inserts vertices so that no edge is longer than `max_len` metres, so that edges stay
/// straight enough after conversion to longitude/latitude. Shared edges are split at the
/// same points in both cells (interpolation always runs from the smaller endpoint).
pub(crate) fn densify(ring: &[[f64; 2]], max_len: f64) -> Vec<[f64; 2]> {
    let n = ring.len();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        out.push(a);
        let len = (b[0] - a[0]).hypot(b[1] - a[1]);
        let pieces = (len / max_len).ceil() as usize;
        if pieces < 2 {
            continue;
        }
        let forward = (a[0], a[1]) <= (b[0], b[1]);
        let (p, q) = if forward { (a, b) } else { (b, a) };
        for s in 1..pieces {
            let s = if forward { s } else { pieces - s };
            let t = s as f64 / pieces as f64;
            out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::convex_contains;

    #[test]
    fn equal_weights_give_voronoi_halves() {
        let env = vec![[-10.0, -10.0], [10.0, -10.0], [10.0, 10.0], [-10.0, 10.0]];
        let cells = power_cells(&[[-5.0, 0.0], [5.0, 0.0]], &[0.0, 0.0], &env, &[], &[], &[]);
        assert_eq!(cells.len(), 2);
        let a0 = signed_area(&cells[0]) / 2.0;
        let a1 = signed_area(&cells[1]) / 2.0;
        assert!(
            (a0 - 200.0).abs() < 1e-9 && (a1 - 200.0).abs() < 1e-9,
            "{a0} {a1}"
        );
        assert!(convex_contains(&cells[0], [-9.0, 0.0], 0.0));
        assert!(!convex_contains(&cells[0], [1.0, 0.0], 0.0));
    }

    #[test]
    fn weight_moves_the_boundary() {
        let env = vec![[-10.0, -10.0], [10.0, -10.0], [10.0, 10.0], [-10.0, 10.0]];
        // w0 - w1 = 40 moves the bisector x = (|D|^2 - w1 + w0) / (2 |D|) - 5 = (100+40)/20 - 5 = 2.
        let cells = power_cells(
            &[[-5.0, 0.0], [5.0, 0.0]],
            &[40.0, 0.0],
            &env,
            &[],
            &[],
            &[],
        );
        assert!(convex_contains(&cells[0], [1.9, 5.0], 1e-9));
        assert!(!convex_contains(&cells[0], [2.1, 5.0], 0.0));
    }

    #[test]
    fn separating_cut_keeps_both_sides() {
        let a = hull(&[[0.0, 0.0], [10.0, 0.0], [5.0, 8.0]]);
        let b = hull(&[[30.0, 0.0], [40.0, 5.0], [32.0, 9.0]]);
        let cut = separating_cut(&a, &b).expect("disjoint hulls separate");
        let side = |x: [f64; 2]| cut.normal[0] * x[0] + cut.normal[1] * x[1] - cut.offset;
        assert!(a.iter().all(|&p| side(p) < 0.0));
        assert!(b.iter().all(|&p| side(p) > 0.0));
        // Hulls 5 mm apart: a cut 1.25 mm from a household would not survive the
        // rounding of the polygons, so they count as not separated.
        let near = hull(&[[10.005, 0.0], [20.0, 0.0], [15.0, 8.0]]);
        assert!(separating_cut(&a, &near).is_none());
        let c = hull(&[[5.0, 1.0], [20.0, 1.0], [6.0, 3.0]]);
        assert!(separating_cut(&a, &c).is_none());
    }

    #[test]
    fn envelope_contains_points_with_margin() {
        let pts = vec![[0.0, 0.0], [100.0, 0.0], [50.0, 80.0]];
        let env = envelope(&pts, 10.0);
        assert!(signed_area(&env) > 0.0);
        for p in &pts {
            assert!(convex_contains(&env, *p, -9.0), "{p:?}");
        }
        // A single point still gives a proper polygon.
        let env = envelope(&[[5.0, 5.0]], 1.0);
        assert!(env.len() >= 3 && convex_contains(&env, [5.0, 5.0], -0.9));
    }

    /// Every cell clipped by every other center, nearest first: what the pruned search
    /// must reproduce.
    fn every_clip_cells(centers: &[[f64; 2]], power: &[f64], env: &[[f64; 2]]) -> Vec<Clipped> {
        let base = Clipped {
            pts: env.to_vec(),
            lines: (0..env.len() as u32).map(Line::Envelope).collect(),
        };
        (0..centers.len())
            .map(|j| {
                let cj = centers[j];
                let mut order: Vec<(f64, u32)> = (0..centers.len() as u32)
                    .filter(|&l| l as usize != j)
                    .map(|l| {
                        let c = centers[l as usize];
                        ((c[0] - cj[0]).hypot(c[1] - cj[1]), l)
                    })
                    .collect();
                order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let mut cell = base.clone();
                for (_, l) in order {
                    let cl = centers[l as usize];
                    let d = [cl[0] - cj[0], cl[1] - cj[1]];
                    let rhs = d[0] * d[0] + d[1] * d[1] - power[l as usize] + power[j];
                    let h =
                        |x: [f64; 2]| 2.0 * ((x[0] - cj[0]) * d[0] + (x[1] - cj[1]) * d[1]) - rhs;
                    cell = cell.clip(h, Line::Cell(l));
                }
                cell
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// A dense cluster of small cells beside sparse large ones (powers that differ by
        /// the square of the region's size): the cells found by the pruned search are
        /// those of clipping by every center.
        #[test]
        fn pruned_cells_are_every_clip_cells(
            dense in proptest::collection::vec((0.0..1_000.0f64, 0.0..1_000.0f64, 0.0..2e4f64), 20..120),
            sparse in proptest::collection::vec((0.0..50_000.0f64, 0.0..50_000.0f64, 0.0..4e8f64), 1..30),
        ) {
            let (centers, power): (Vec<[f64; 2]>, Vec<f64>) = dense
                .iter()
                .chain(&sparse)
                .map(|&(x, y, w)| ([x, y], w))
                .unzip();
            let env = envelope(&centers, 500.0);
            let base = Clipped {
                pts: env.clone(),
                lines: (0..env.len() as u32).map(Line::Envelope).collect(),
            };
            let wmax = power.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let index = PowerIndex::new(&centers, &vec![0.0; centers.len()]);
            let weighted = Weighted::new(&centers, &power);
            let every = every_clip_cells(&centers, &power, &env);
            let mut found = Vec::new();
            for (j, want) in every.iter().enumerate() {
                let got = power_cell(j, (&centers, &power, wmax), &base, (&index, &weighted), &mut found);
                proptest::prop_assert_eq!(&got.pts, &want.pts, "cell {}", j);
                proptest::prop_assert_eq!(&got.lines, &want.lines, "cell {}", j);
            }
        }
    }
}

#[cfg(test)]
mod containment_tests {
    use super::*;
    use crate::balance::{BalanceParams, balance};
    use crate::geometry::{convex_contains, dist2};
    use crate::projection::{AzimuthalEquidistant, Projection};

    #[test]
    fn households_inside_their_power_cells() {
        let hh = crate::synth::households(4500, 2);
        let proj = AzimuthalEquidistant::centered_on(hh.items.iter().map(|h| &h.position));
        let pts: Vec<[f64; 2]> = hh.items.iter().map(|h| proj.forward(h.position)).collect();
        let w = vec![1u32; pts.len()];
        let params = BalanceParams {
            k: 10,
            lo: 450,
            hi: 450,
            max_iterations: 100,
            restarts: 1,
            seed: 0,
        };
        let b = balance(&pts, &w, &params);
        let env = envelope(&pts, 500.0);
        let cells = power_cells(&b.centers, &b.power, &env, &pts, &b.labels, &[]);
        let mut bad = 0;
        for (i, p) in pts.iter().enumerate() {
            let l = b.labels[i] as usize;
            if !convex_contains(&cells[l], *p, 1e-6) {
                bad += 1;
                let pd = |j: usize| dist2(*p, b.centers[j]) - b.power[j];
                eprintln!(
                    "point {i} label {l} pd own {} others {:?}",
                    pd(l),
                    (0..10).map(pd).collect::<Vec<_>>()
                );
            }
        }
        assert_eq!(bad, 0);
    }

    #[test]
    fn additive_cells_tile_and_hold_their_points() {
        // Centers on a jittered grid with prices up to ±150 m: curved borders.
        let mut centers = Vec::new();
        let mut prices = Vec::new();
        for a in 0..5 {
            for b in 0..4 {
                let n = (a * 4 + b) as f64;
                centers.push([
                    a as f64 * 900.0 + (n * 37.0) % 200.0,
                    b as f64 * 1_000.0 + (n * 53.0) % 250.0,
                ]);
                prices.push(((n * 71.0) % 300.0) - 150.0);
            }
        }
        let env = vec![
            [-600.0, -600.0],
            [4_400.0, -600.0],
            [4_400.0, 3_800.0],
            [-600.0, 3_800.0],
        ];
        let rings = clipped_cells(&centers, &prices, &env, Diagram::Additive).rings(&[], &[], &[]);
        let total: f64 = rings.iter().map(|r| signed_area(r)).sum();
        assert!(rings.iter().all(|r| signed_area(r) >= 0.0));
        assert!((total - signed_area(&env)).abs() < 1.0, "{total}");
        let value = |p: [f64; 2], j: usize| dist2(p, centers[j]).sqrt() - prices[j];
        for x in 0..50 {
            for y in 0..44 {
                let p = [-580.0 + x as f64 * 99.7, -580.0 + y as f64 * 99.3];
                let best = (0..centers.len())
                    .min_by(|&a, &b| value(p, a).total_cmp(&value(p, b)))
                    .unwrap();
                let second = (0..centers.len())
                    .filter(|&j| j != best)
                    .map(|j| value(p, j))
                    .fold(f64::INFINITY, f64::min);
                if second - value(p, best) > 0.05 {
                    assert!(crosses_odd(&rings[best], p), "{p:?} not in its cell {best}");
                }
            }
        }
    }

    #[test]
    fn a_lens_cell_shares_both_its_corners() {
        // Center 2, priced 300 m below its neighbours midway between them, takes a lens
        // whose curved borders meet the straight border of 0 and 1 at two points with the
        // same three lines: both must be one vertex in all three rings.
        let centers = [[0.0, 0.0], [1_000.0, 37.0], [500.0, 11.0], [480.0, 1_700.0]];
        let prices = [0.0, 0.0, -300.0, 25.0];
        let env = vec![
            [-2_000.0, -2_000.0],
            [3_000.0, -2_000.0],
            [3_000.0, 2_500.0],
            [-2_000.0, 2_500.0],
        ];
        let rings = clipped_cells(&centers, &prices, &env, Diagram::Additive).rings(&[], &[], &[]);
        let shared = rings[2]
            .iter()
            .filter(|p| rings[0].contains(p) && rings[1].contains(p))
            .count();
        assert_eq!(shared, 2, "{:?}", rings[2]);
        let total: f64 = rings.iter().map(|r| signed_area(r)).sum();
        assert!((total - signed_area(&env)).abs() < 1e-3, "{total}");
    }

    #[test]
    fn additive_cells_with_far_apart_prices_tile() {
        // Prices up to ±4 km between centers a few km apart: sharply curved borders, caps
        // poking through the edges of cells far larger than themselves.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let env = vec![
            [-1_000.0, -1_000.0],
            [11_000.0, -1_000.0],
            [11_000.0, 11_000.0],
            [-1_000.0, 11_000.0],
        ];
        for trial in 0..300 {
            let k = 3 + trial % 14;
            let centers: Vec<[f64; 2]> = (0..k)
                .map(|_| [next() * 10_000.0, next() * 10_000.0])
                .collect();
            let spread = 500.0 + next() * 3_500.0;
            let prices: Vec<f64> = (0..k).map(|_| (next() - 0.5) * 2.0 * spread).collect();
            let rings =
                clipped_cells(&centers, &prices, &env, Diagram::Additive).rings(&[], &[], &[]);
            let areas: Vec<f64> = rings
                .iter()
                .map(|r| if r.len() >= 3 { signed_area(r) } else { 0.0 })
                .collect();
            let total: f64 = areas.iter().sum();
            assert!(areas.iter().all(|&a| a >= 0.0), "trial {trial}: {areas:?}");
            assert!(
                (total - signed_area(&env)).abs() < 1.0,
                "trial {trial}: {total} against {}",
                signed_area(&env)
            );
            let value = |p: [f64; 2], j: usize| dist2(p, centers[j]).sqrt() - prices[j];
            for x in 0..24 {
                for y in 0..24 {
                    let p = [-990.0 + x as f64 * 519.7, -990.0 + y as f64 * 519.3];
                    let mut order: Vec<(f64, usize)> = (0..k).map(|j| (value(p, j), j)).collect();
                    order.sort_by(|a, b| a.0.total_cmp(&b.0));
                    if order[1].0 - order[0].0 > 0.05 {
                        let best = order[0].1;
                        assert!(
                            crosses_odd(&rings[best], p),
                            "trial {trial}: {p:?} not in {best}"
                        );
                    }
                }
            }
        }
    }
}
