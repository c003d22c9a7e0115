//! Where catchments overlap: splitting the overlap by nearest household.
//!
//! Regions are planned independently, so the cell of a catchment near a region's edge can
//! overlap the cell of a catchment of the neighbouring region. Where a straight line
//! separates the two catchments' households, [`mod@crate::plan`] has already cut both cells by
//! it. Where none does (the households interleave, as they do along a border drawn through
//! a town), no pair of convex polygons can hold each its own households without
//! overlapping, so this module gives up convexity for those catchments only:
//!
//! 1. Pairs whose polygons overlap are found on an R-tree of their boxes and confirmed by
//!    the area of their intersection (of the two polygons cut to the box where their
//!    extents meet, which holds any overlap and a sixth of their vertices). In a fresh
//!    plan most are of different regions; two catchments of one region can overlap by a
//!    sliver in degenerate inputs (a cut line ending on an edge one of them shares with
//!    the other, or coincident households, and the rounding of the vertices). In a
//!    re-plan most are within regions: a catchment grown over the households that its
//!    stickiness kept across a straight border overlaps its neighbours ([`pairs`]).
//! 2. The pairs within regions are split first, then those between regions, on the
//!    shapes the first pass made (a member can then have several parts and holes; each
//!    ring counts, even-odd). A split never grows a catchment beyond its old shape, so
//!    the first pass adds no overlap between regions. Each pair is put in a cluster with
//!    every catchment whose box meets either polygon's box (they may share an edge that
//!    the split crosses; in the first pass, the catchments of the same region);
//!    clusters that share a catchment are merged ([`clusters`]), and clusters are split
//!    side by side, the largest first. So a re-plan's overlaps, which join every
//!    catchment of a region into one cluster, are split region beside region rather
//!    than as one cluster of the whole country.
//! 3. Per cluster, a constrained Delaunay triangulation (spade) takes every member ring's
//!    edges and the cuts: the edges of the Voronoi diagram of the pairs' households (one
//!    Delaunay triangulation per cluster) between households of different catchments,
//!    each clipped to the overlaps of the pairs either catchment is in (a little beyond
//!    them) ([`cuts`]). Crossing edges are split here, each crossing point computed once
//!    for both edges (left to spade, nearly degenerate crossings can be moved to a nearby
//!    vertex), so no triangle straddles a ring or a cut ([`triangulate`]).
//! 4. A triangle belongs to the catchment whose ring holds it: each ring is walked piece by
//!    piece through the triangulation and its inside flooded up to it (testing triangle
//!    centroids fails on needle-thin triangles) ([`interiors`]). Inside an overlap it goes
//!    to the catchment owning the nearest household, decided once per zone of triangles
//!    that no constrained edge separates ([`owners`]). Slivers of a catchment under 1 m²
//!    that hold none of its households (between two nearly coincident edges) go to the
//!    neighbour they border most ([`slivers`]).
//! 5. Every triangulation vertex is rounded once to 7 decimals; where that would turn a
//!    triangle over, the two ends of its shortest edge are merged ([`rounding::unfold`];
//!    a long needle first has a vertex moved a grid unit or two instead, since merging
//!    would move it the length of that edge), so the rounded triangles still tile. Each catchment's boundary is traced around its
//!    triangles ([`trace`]; several parts or holes where the split needs them; rings
//!    touching themselves are cut into simple rings, needle-thin spikes dropped,
//!    [`parts`]). Neighbours' boundaries are made of the same triangle edges and the same
//!    rounded vertices, so they stay identical: no overlaps and no new gaps.
//!
//! 6. A new shape that GIS tools would call invalid (two of its rings sharing an edge; a
//!    hole touching its exterior twice, which cuts the interior in two) is rebuilt from
//!    its own edges, no vertex moved or added ([`valid`]).
//!
//! Households keep their own side of every Voronoi edge, so each stays inside its own
//! catchment unless it shares its exact location with a household of the other catchment
//! (then no boundary can separate them; [`Resolved::outside`] counts such households).
//! One left outside all the same (the face under it, its catchment's, ended in a needle
//! under 1 m² that the rounding dropped) gets a small square island of its own, cut as a
//! hole out of the catchment holding it ([`parts::islands`]).
//!
//! A hole whose edge lies on its own exterior's boundary (two nearly coincident edges
//! rounded onto one line) is cut out of the exterior by a boolean difference rather than
//! placed by a probe point, which falls on that boundary. Should spade still fail on a
//! cluster (it asserts on some degenerate inputs), or should two of the cluster's new
//! shapes still overlap ([`check`]), the cluster is triangulated again with spade splitting
//! the crossings. Should that fail too, new shapes whose only overlaps are crumbs (under
//! 1 m², a needle micrometres wide) are kept with those pairs reported; otherwise the
//! cluster is left as it was and its pairs are reported ([`Resolved::unresolved`]), never
//! silently.
//!
//! # Cost
//! Only catchments along region borders take part in a fresh plan; each cluster costs
//! about `O(m log m)` for its `m` ring vertices, households and cuts (the crossings are
//! found on an R-tree; the triangulation is bulk loaded). On the 1.1 M national file (84
//! interleaving pairs) it adds about 0.1 s; on small files, where one catchment covers a
//! province and its ring has thousands of vertices, it is most of the run. A national
//! re-plan after 5 % growth has about 5,000 overlapping pairs, nearly all within
//! regions: about 2.9 s of CPU (1.5 s on two threads), most of it the constrained
//! triangulations of the members' rings (about 300,000 vertices with edges densified every
//! 500 m; 5.9 s of CPU for 700,000 vertices every 200 m), its largest region's cluster
//! (Tehran's 496 catchments) the longest single piece.

mod check;
mod clusters;
mod cuts;
mod interiors;
mod owners;
mod pairs;
mod parts;
mod rounding;
mod slivers;
mod trace;
mod triangulate;
mod union_find;
mod valid;

use rayon::prelude::*;
use spade::handles::{FaceHandle, FixedFaceHandle, InnerTag};
use spade::{CdtEdge, ConstrainedDelaunayTriangulation, Point2, Triangulation};

use crate::geometry::bbox;
use crate::model::{LonLat, Shape};

/// Metres per degree of latitude (mean Earth radius), for distances within a cluster.
const M_PER_DEG: f64 = 111_195.0;
/// A household this close (m) to its catchment's boundary counts as inside it.
const ON_EDGE_M: f64 = 0.02;
/// Patches of a catchment smaller than this (m²) without a household of its own are
/// slivers, given to a neighbour (see [`slivers::absorb_slivers`]).
const SLIVER_M2: f64 = 1.0;
/// One unit of the 7-decimal grid, in degrees.
const GRID: f64 = 1e-7;

/// A cluster's constrained triangulation, in lon/lat.
type Cdt = ConstrainedDelaunayTriangulation<Point2<f64>>;
/// An inner face (triangle) of a [`Cdt`].
type Face = FixedFaceHandle<InnerTag>;
/// A borrowed inner face of a [`Cdt`].
type FaceRef<'a> = FaceHandle<'a, InnerTag, Point2<f64>, (), CdtEdge<()>, ()>;

/// What [`resolve`] changed.
#[derive(Debug, Default)]
pub(crate) struct Resolved {
    /// Catchments whose shape was replaced.
    pub changed: Vec<usize>,
    /// Per catchment, its households left outside its new shape (see the module docs).
    pub outside: Vec<(usize, usize)>,
    /// Pairs still overlapping: left as they were because their cluster could not be
    /// triangulated, or split with a crumb of overlap left (normally none).
    pub unresolved: Vec<(usize, usize)>,
}

/// Splits every overlap between catchments (see the module docs). `shapes` are the
/// catchments' polygons, `region` the region of each; `homes(needed)` gives the
/// households' locations of the catchments marked in `needed` (empty lists for the
/// others: only the catchments of clusters around an overlap are looked at).
///
/// The overlaps within each region are split first, every region's clusters on their own
/// (a re-plan's overlaps are nearly all within regions, and one region's clusters run
/// beside another's); then those left between regions, on the shapes the first pass made.
/// A catchment's new shape lies within its old one (faces go only to a member whose
/// shape holds them), so the first pass makes no new overlap between regions.
pub(crate) fn resolve(
    shapes: &mut [Shape],
    region: &[u32],
    homes: impl Fn(&[bool]) -> Vec<Vec<LonLat>>,
) -> Resolved {
    let boxes = shape_boxes(shapes);
    let tree = pairs::box_tree(&boxes);
    let pairs = pairs::overlapping_pairs(shapes, &boxes, &tree);
    if pairs.is_empty() {
        return Resolved::default();
    }
    let (within, between): (Vec<_>, Vec<_>) = pairs
        .into_iter()
        .partition(|&(a, b)| region[a] == region[b]);
    let same_region = |a: usize, b: usize| region[a] == region[b];
    let first = split_pairs(shapes, &within, &boxes, &tree, same_region, &homes);
    if between.is_empty() {
        return first;
    }
    let boxes = shape_boxes(shapes);
    let tree = pairs::box_tree(&boxes);
    let between = pairs::still_overlapping(shapes, between);
    let second = split_pairs(shapes, &between, &boxes, &tree, |_, _| true, &homes);
    first.then(second)
}

/// The box of every ring of each shape (`None` for an empty shape).
fn shape_boxes(shapes: &[Shape]) -> Vec<Option<[f64; 4]>> {
    shapes.iter().map(|s| bbox(s.vertices().copied())).collect()
}

/// Splits the overlapping `pairs` cluster by cluster, a cluster taking in the catchments
/// whose box meets a pair's when `joins(pair's catchment, other)`; the largest clusters
/// start first.
fn split_pairs(
    shapes: &mut [Shape],
    pairs: &[(usize, usize)],
    boxes: &[Option<[f64; 4]>],
    tree: &pairs::BoxTree,
    joins: impl Fn(usize, usize) -> bool,
    homes: &impl Fn(&[bool]) -> Vec<Vec<LonLat>>,
) -> Resolved {
    if pairs.is_empty() {
        return Resolved::default();
    }
    let clusters = clusters::Clusters::new(shapes.len(), pairs, boxes, tree, joins);
    let homes = homes(&clusters.needed(shapes.len()));
    let mut order: Vec<usize> = (0..clusters.members.len()).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(clusters.members[c].len()));
    let split: Vec<(usize, Option<Split>)> = order
        .par_iter()
        .map(|&c| {
            let result = split_checked(&clusters.members[c], &clusters.pairs[c], shapes, &homes);
            (c, result)
        })
        .collect();
    let mut results: Vec<Option<Split>> = (0..clusters.members.len()).map(|_| None).collect();
    for (c, result) in split {
        results[c] = result;
    }
    apply(shapes, results, &clusters.pairs, &homes)
}

impl Resolved {
    /// What `self` changed, then `later` (whose counts of households outside replace
    /// those of the catchments it changed again).
    fn then(mut self, later: Resolved) -> Resolved {
        self.outside
            .retain(|(c, _)| later.changed.binary_search(c).is_err());
        self.outside.extend(later.outside);
        self.changed.extend(later.changed);
        self.changed.sort_unstable();
        self.changed.dedup();
        self.unresolved.extend(later.unresolved);
        self
    }
}

/// A cluster's new shapes (catchment, shape), with the pairs still overlapping.
type Split = (Vec<(usize, Shape)>, Vec<(usize, usize)>);

/// The new shapes of a cluster's members, checked, with the pairs that still overlap.
/// Should two members' new shapes still overlap (a degenerate triangulation, found by
/// fuzzing), spade's own splitting of the crossings is tried instead. Failing that, shapes
/// whose every overlap is a crumb under [`SLIVER_M2`] (a needle a few micrometres wide
/// that the rounding leaves where two nearly collinear edges meet, found by the growth
/// property test of re-plans) are kept with those pairs reported: far better than the
/// unsplit cluster. Otherwise `None` (the cluster stays as it was and its overlaps are
/// reported).
fn split_checked(
    members: &[usize],
    pairs: &[(usize, usize)],
    shapes: &[Shape],
    homes: &[Vec<LonLat>],
) -> Option<Split> {
    let mut crumbs: Option<Split> = None;
    for modes in [&[true, false][..], &[false][..]] {
        let Some(pieces) = split_cluster(members, pairs, shapes, homes, modes) else {
            continue;
        };
        let mut areas = check::PairAreas::of(&pieces);
        let Some(left) = areas.overlapping(&pieces, SLIVER_M2) else {
            continue;
        };
        if left.is_empty() {
            return Some((pieces, left));
        }
        let mut pieces = pieces;
        let edited = check::close_junctions(&mut pieces, &left);
        areas.update(&pieces, &edited);
        let Some(left) = areas.overlapping(&pieces, SLIVER_M2) else {
            continue;
        };
        if left.is_empty() {
            return Some((pieces, left));
        }
        if crumbs.as_ref().is_none_or(|c| left.len() < c.1.len()) {
            crumbs = Some((pieces, left));
        }
    }
    crumbs
}

/// Puts the clusters' new shapes in place (those that are not the old ring again) and
/// reports what changed, the households left outside and the pairs left overlapping.
fn apply(
    shapes: &mut [Shape],
    results: Vec<Option<Split>>,
    cluster_pairs: &[Vec<(usize, usize)>],
    homes: &[Vec<LonLat>],
) -> Resolved {
    let mut out = Resolved::default();
    for (result, pairs) in results.iter().zip(cluster_pairs) {
        match result {
            None => out.unresolved.extend(pairs),
            Some((_, left)) => out.unresolved.extend(left),
        }
    }
    // Each new shape checked (and repaired) on the worker pool, then put in place.
    let checked: Vec<(usize, Shape, usize)> = results
        .into_iter()
        .flatten()
        .flat_map(|r| r.0)
        .collect::<Vec<_>>()
        .into_par_iter()
        .filter(|(c, shape)| !check::same_single_ring(&shapes[*c], shape))
        .map(|(c, mut shape)| {
            let mut outside = check::households_outside(&shape, &homes[c]);
            if !valid::is_valid(&shape)
                && let Some(fixed) = valid::repaired(&shape)
            {
                let left = check::households_outside(&fixed, &homes[c]);
                if left <= outside {
                    (shape, outside) = (fixed, left);
                }
            }
            (c, shape, outside)
        })
        .collect();
    for (c, shape, outside) in checked {
        if outside > 0 {
            out.outside.push((c, outside));
        }
        shapes[c] = shape;
        out.changed.push(c);
    }
    out.changed.sort_unstable();
    out
}

/// The new shapes of a cluster's members, triangulated with the first of `modes` (presplit
/// or not, see [`triangulate`]) that works.
fn split_cluster(
    members: &[usize],
    pairs: &[(usize, usize)],
    shapes: &[Shape],
    homes: &[Vec<LonLat>],
    modes: &[bool],
) -> Option<Vec<(usize, Shape)>> {
    let scale = frame_scale(members, shapes);
    let cuts = cuts::cluster_cuts(pairs, shapes, homes, scale);
    // Every ring of every member (a shape the first pass split has several parts or
    // holes), each with its member.
    let (mut rings, mut ring_member): (Vec<&[LonLat]>, Vec<u32>) = (Vec::new(), Vec::new());
    for (m, &c) in members.iter().enumerate() {
        for ring in shapes[c].rings() {
            rings.push(ring);
            ring_member.push(m as u32);
        }
    }
    let t = triangulate::first_that_works(&rings, &cuts, modes)?;
    let mut owner = owners::owners(
        &t.cdt,
        &t.rings,
        &ring_member,
        members,
        shapes,
        homes,
        scale,
    );
    let homes_of = |m: u32| homes[members[m as usize]].as_slice();
    slivers::absorb_slivers(&t.cdt, &mut owner, scale, &homes_of);
    let rounded = rounding::rounded_vertices(&t.cdt, &t.original, members, homes);
    let mut rings = trace::boundary_rings(&t.cdt, &owner, members.len());
    trace::through_flat(&t.cdt, &mut rings, &rounded);
    // The cluster's households, indexed when a small hole first needs them.
    let all_homes: std::sync::OnceLock<rstar::RTree<[f64; 2]>> = std::sync::OnceLock::new();
    let holds_any = |ring: &Shape| {
        let tree = all_homes.get_or_init(|| {
            rstar::RTree::bulk_load(
                members
                    .iter()
                    .flat_map(|&c| homes[c].iter().map(|h| [h.lon, h.lat]))
                    .collect(),
            )
        });
        bbox(ring.vertices().copied()).is_some_and(|b| {
            tree.locate_in_envelope(rstar::AABB::from_corners([b[0], b[1]], [b[2], b[3]]))
                .any(|p| ring.contains(LonLat::new(p[0], p[1])))
        })
    };
    let mut pieces: Vec<(usize, Shape)> = members
        .par_iter()
        .zip(&rings)
        .map(|(&c, rings)| (c, parts::assemble(rings, &rounded, &homes[c], &holds_any)))
        .collect();
    // A shape outside the cluster that holds a point (islands are rare: a scan).
    let held_outside =
        |p: LonLat| (0..shapes.len()).any(|c| !members.contains(&c) && shapes[c].contains(p));
    parts::islands(&mut pieces, homes, &held_outside);
    Some(pieces)
}

/// The scale of a cluster's local metric frame: x = lon·cos(lat₀), y = lat, in degrees of
/// latitude, lat₀ the mean latitude of the centres of its members' boxes.
fn frame_scale(members: &[usize], shapes: &[Shape]) -> f64 {
    let boxes: Vec<[f64; 4]> = members
        .iter()
        .map(|&c| bbox(shapes[c].vertices().copied()).unwrap_or([0.0; 4]))
        .collect();
    let lat0 = boxes.iter().map(|b| (b[1] + b[3]) / 2.0).sum::<f64>() / boxes.len() as f64;
    lat0.to_radians().cos().max(1e-6)
}

/// The centroid of the face `f`.
fn centroid(cdt: &Cdt, f: Face) -> LonLat {
    let [p, q, r] = cdt.face(f).positions();
    LonLat::new((p.x + q.x + r.x) / 3.0, (p.y + q.y + r.y) / 3.0)
}

/// Twice the area of `face`, in square degrees (unscaled).
fn area2(face: &FaceRef<'_>) -> f64 {
    let [p, q, r] = face.positions();
    ((q.x - p.x) * (r.y - p.y) - (r.x - p.x) * (q.y - p.y)).abs()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::round7;
    use geo::{Area, BooleanOps};

    /// A square of `side` degrees from `(x0, y0)`, its corners on the 7-decimal grid.
    pub(super) fn square(x0: f64, y0: f64, side: f64) -> Shape {
        let ring = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
            .map(|(x, y)| LonLat::new(round7(x0 + x * side), round7(y0 + y * side)));
        Shape::from_ring(ring.to_vec())
    }

    #[test]
    fn interleaved_overlap_is_split_by_nearest_household() {
        // Two catchments of different regions over the same 1 km square, households on a
        // checkerboard: each keeps its own households, and they do not overlap.
        let mut shapes = vec![square(51.0, 35.0, 0.01), square(51.002, 35.001, 0.01)];
        let mut homes = vec![Vec::new(), Vec::new()];
        for i in 0..8 {
            for j in 0..8 {
                let p = LonLat::new(
                    51.0025 + 0.001 * f64::from(i),
                    35.0015 + 0.001 * f64::from(j),
                );
                homes[((i + j) % 2) as usize].push(p);
            }
        }
        let all = homes.clone();
        let resolved = resolve(&mut shapes, &[0, 1], |_| all.clone());
        assert_eq!(resolved.changed, vec![0, 1]);
        assert!(resolved.outside.is_empty());
        for (shape, own) in shapes.iter().zip(&homes) {
            assert!(own.iter().all(|&h| shape.contains(h)));
        }
        let (a, b) = (shapes[0].to_geo(), shapes[1].to_geo());
        assert_eq!(a.intersection(&b).unsigned_area(), 0.0);
        // Nothing lost: the two still cover the union of the squares.
        let union = square(51.0, 35.0, 0.01)
            .to_geo()
            .union(&square(51.002, 35.001, 0.01).to_geo())
            .unsigned_area();
        let covered = a.unsigned_area() + b.unsigned_area();
        assert!((covered - union).abs() < 1e-12, "{covered} vs {union}");
        // A checkerboard needs islands: several parts.
        assert!(shapes.iter().any(|s| s.parts.len() > 1));
    }

    #[test]
    fn catchments_sharing_an_edge_are_left_alone() {
        let mut shapes = vec![square(51.0, 35.0, 0.01), square(51.01, 35.0, 0.01)];
        let before = shapes.clone();
        let resolved = resolve(&mut shapes, &[0, 1], |n| vec![Vec::new(); n.len()]);
        assert!(resolved.changed.is_empty());
        assert_eq!(shapes, before);
    }
}
