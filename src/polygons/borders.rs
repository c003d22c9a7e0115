//! Where catchments of different regions overlap: splitting the overlap by nearest household.
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
//!    extents meet, which holds any overlap and a sixth of their vertices). Most are of different regions; two catchments of
//!    one region can overlap by a sliver in degenerate inputs (a cut line ending on an edge
//!    one of them shares with the other, or coincident households, and the rounding of
//!    the vertices), and are split the same way.
//! 2. Each pair is put in a cluster with every catchment whose box meets either polygon's
//!    box (they may share an edge that the split crosses); clusters that share a catchment
//!    are merged.
//! 3. Per cluster, a constrained Delaunay triangulation (spade) takes every member ring's
//!    edges and, for every overlapping pair, the cuts: the Voronoi edges between one
//!    catchment's households and the other's, clipped to the two cells (a little beyond
//!    them). Crossing edges are split here, each crossing point computed once for both
//!    edges (left to spade, nearly degenerate crossings can be moved to a nearby vertex),
//!    so no triangle straddles a ring or a cut.
//! 4. A triangle belongs to the catchment whose ring holds it: each ring is walked piece by
//!    piece through the triangulation and its inside flooded up to it (testing triangle
//!    centroids fails on needle-thin triangles). Inside an overlap it goes to the catchment
//!    owning the nearest household, decided once per zone of triangles that no constrained
//!    edge separates. Slivers of a catchment under 1 m² that hold none of its households
//!    (between two nearly coincident edges) go to the neighbour they border most.
//! 5. Every triangulation vertex is rounded once to 7 decimals; where that would turn a
//!    triangle over, the two ends of its shortest edge are merged ([`unfold`]), so the
//!    rounded triangles still tile. Each catchment's boundary is traced around its
//!    triangles (several parts or holes where the split needs them; rings touching
//!    themselves are cut into simple rings, needle-thin spikes dropped). Neighbours'
//!    boundaries are made of the same triangle edges and the same rounded vertices, so
//!    they stay identical: no overlaps and no new gaps.
//!
//! Households keep their own side of every Voronoi edge, so each stays inside its own
//! catchment unless it shares its exact location with a household of the other catchment
//! (then no boundary can separate them; [`Resolved::outside`] counts such households).
//!
//! A hole whose edge lies on its own exterior's boundary (two nearly coincident edges
//! rounded onto one line) is cut out of the exterior by a boolean difference rather than
//! placed by a probe point, which falls on that boundary. Should spade still fail on a
//! cluster (it asserts on some degenerate inputs), or should two of the cluster's new
//! shapes still overlap, the cluster is triangulated again with spade splitting the
//! crossings; should that fail too, the cluster is left as it was and its pairs are
//! reported ([`Resolved::unresolved`]), never silently.
//!
//! # Cost
//! Only catchments along region borders take part; each cluster costs about
//! `O(m log m)` for its `m` ring vertices, households and cuts (the crossings are found on
//! an R-tree; the triangulation is bulk loaded). On the 1.1 M national file (84
//! interleaving pairs) it adds about 0.1 s; on small files, where one catchment covers a
//! province and its ring has thousands of vertices, it is most of the run.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use spade::handles::{FixedFaceHandle, FixedVertexHandle, PossiblyOuterTag};
use spade::{ConstrainedDelaunayTriangulation, DelaunayTriangulation, Point2, Triangulation};

use crate::geometry::{bbox, crosses_odd, dist2, round7, signed_area};
use crate::model::{LonLat, Part, Shape};

/// Metres per degree of latitude (mean Earth radius), for distances within a cluster.
const M_PER_DEG: f64 = 111_195.0;
/// A household this close (m) to its catchment's boundary counts as inside it.
const ON_EDGE_M: f64 = 0.02;
/// Patches of a catchment smaller than this (m²) without a household of its own are
/// slivers, given to a neighbour (see [`absorb_slivers`]).
const SLIVER_M2: f64 = 1.0;
/// One unit of the 7-decimal grid, in degrees.
const GRID: f64 = 1e-7;

/// What [`resolve`] changed.
#[derive(Debug, Default)]
pub(crate) struct Resolved {
    /// Catchments whose shape was replaced.
    pub changed: Vec<usize>,
    /// Per catchment, its households left outside its new shape (see the module docs).
    pub outside: Vec<(usize, usize)>,
    /// Overlapping pairs left as they were because their cluster could not be
    /// triangulated (normally none).
    pub unresolved: Vec<(usize, usize)>,
}

/// Splits every overlap between catchments (see the module docs). `shapes` are the
/// catchments' single-ring polygons; `homes(needed)` gives the households' locations of
/// the catchments marked in `needed` (empty lists for the others: only the catchments of
/// clusters around an overlap are looked at).
pub(crate) fn resolve(
    shapes: &mut [Shape],
    homes: impl FnOnce(&[bool]) -> Vec<Vec<LonLat>>,
) -> Resolved {
    let boxes: Vec<Option<[f64; 4]>> = shapes.iter().map(|s| bbox(s.main_ring())).collect();
    let tree = RTree::bulk_load(
        boxes
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.map(|b| GeomWithData::new(rect(b), i)))
            .collect(),
    );
    let pairs = overlapping_pairs(shapes, &boxes, &tree);
    if pairs.is_empty() {
        return Resolved::default();
    }

    // Clusters: the pairs and every catchment whose box meets one of theirs.
    let mut sets = UnionFind::new(shapes.len());
    for &(a, b) in &pairs {
        sets.union(a, b);
        for c in [a, b] {
            if let Some(bx) = boxes[c] {
                for n in tree.locate_in_envelope_intersecting(envelope(bx)) {
                    sets.union(c, n.data);
                }
            }
        }
    }
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    let mut slot = vec![usize::MAX; shapes.len()];
    for i in 0..shapes.len() {
        let root = sets.find(i);
        if sets.size[root] < 2 {
            continue;
        }
        if slot[root] == usize::MAX {
            slot[root] = clusters.len();
            clusters.push(Vec::new());
        }
        clusters[slot[root]].push(i);
    }
    let cluster_pairs: Vec<Vec<(usize, usize)>> = {
        let mut out = vec![Vec::new(); clusters.len()];
        for &(a, b) in &pairs {
            out[slot[sets.find(a)]].push((a, b));
        }
        out
    };

    let mut needed = vec![false; shapes.len()];
    for &c in clusters.iter().flatten() {
        needed[c] = true;
    }
    let homes = homes(&needed);
    let results: Vec<Option<Vec<(usize, Shape)>>> = clusters
        .par_iter()
        .zip(&cluster_pairs)
        .map(|(members, pairs)| {
            // The pieces are checked: should two members' new shapes still overlap (a
            // degenerate triangulation, found by fuzzing), spade's own splitting of the
            // crossings is tried instead, and failing that the cluster stays as it was and
            // its overlaps are reported.
            [&[true, false][..], &[false][..]]
                .into_iter()
                .filter_map(|modes| split_cluster(members, pairs, shapes, &homes, modes))
                .find(|pieces| !any_overlap(pieces))
        })
        .collect();

    let mut out = Resolved::default();
    for (result, pairs) in results.iter().zip(&cluster_pairs) {
        if result.is_none() {
            out.unresolved.extend(pairs);
        }
    }
    for (c, shape) in results.into_iter().flatten().flatten() {
        if same_single_ring(&shapes[c], &shape) {
            continue;
        }
        let outside = homes[c]
            .iter()
            .filter(|&&h| !shape.contains(h) && distance_to_boundary_m(&shape, h) > ON_EDGE_M)
            .count();
        if outside > 0 {
            out.outside.push((c, outside));
        }
        shapes[c] = shape;
        out.changed.push(c);
    }
    out.changed.sort_unstable();
    out
}

/// Pairs whose polygons overlap with a positive area.
fn overlapping_pairs(
    shapes: &[Shape],
    boxes: &[Option<[f64; 4]>],
    tree: &RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
) -> Vec<(usize, usize)> {
    let candidates: Vec<(usize, usize)> = boxes
        .iter()
        .enumerate()
        .filter_map(|(a, b)| b.map(|b| (a, b)))
        .flat_map(|(a, bx)| {
            tree.locate_in_envelope_intersecting(envelope(bx))
                .map(|n| n.data)
                .filter(move |&b| b > a)
                .map(move |b| (a, b))
                .collect::<Vec<_>>()
        })
        .collect();
    // Both shapes are first cut to the box where their extents meet, which holds any
    // overlap: the boolean operation then sees a sixth of the vertices (national file).
    let extents: Vec<Option<[f64; 4]>> = shapes.par_iter().map(|s| bbox(s.vertices())).collect();
    let mut pairs: Vec<(usize, usize)> = candidates
        .into_par_iter()
        .filter(|&(a, b)| {
            let (Some(ea), Some(eb)) = (extents[a], extents[b]) else {
                return false;
            };
            let meet = [
                ea[0].max(eb[0]),
                ea[1].max(eb[1]),
                ea[2].min(eb[2]),
                ea[3].min(eb[3]),
            ];
            overlap_within(&shapes[a], &shapes[b], meet)
        })
        .collect();
    pairs.sort_unstable();
    pairs
}

/// True when `a` and `b`, whose overlap (if any) lies in the box `meet`, overlap with a
/// positive area.
fn overlap_within(a: &Shape, b: &Shape, meet: [f64; 4]) -> bool {
    use geo::{Area, BooleanOps};
    if meet[0] > meet[2] || meet[1] > meet[3] {
        return false;
    }
    let (pa, pb) = (clipped(a, meet), clipped(b, meet));
    pa.intersection(&pb).unsigned_area() > 0.0
}

/// `shape` cut to the box `r` (`[min lon, min lat, max lon, max lat]`), ring by ring
/// (Sutherland–Hodgman: exact for a convex window, area-wise; a ring may come back with
/// edges doubled along the box, which enclose nothing). A point where an edge crosses the
/// box is computed from the edge's ends in a fixed order, so two shapes sharing that edge
/// get the same point and still share their border.
fn clipped(shape: &Shape, r: [f64; 4]) -> geo::MultiPolygon<f64> {
    let line = |ring: &[LonLat]| {
        let mut pts: Vec<LonLat> = ring.to_vec();
        for side in 0..4 {
            pts = clip_side(&pts, side, r);
        }
        (pts.len() >= 3).then(|| {
            let mut coords: Vec<(f64, f64)> = pts.iter().map(|q| (q.lon, q.lat)).collect();
            coords.push(coords[0]);
            geo::LineString::from(coords)
        })
    };
    geo::MultiPolygon::new(
        shape
            .parts
            .iter()
            .filter_map(|p| {
                let exterior = line(&p.exterior)?;
                Some(geo::Polygon::new(
                    exterior,
                    p.holes.iter().filter_map(|h| line(h)).collect(),
                ))
            })
            .collect(),
    )
}

/// One step of [`clipped`]: the ring `pts` (closing vertex optional) cut by one side of the
/// box `r` (0: west, 1: east, 2: south, 3: north), without its closing vertex.
fn clip_side(pts: &[LonLat], side: usize, r: [f64; 4]) -> Vec<LonLat> {
    let inside = |q: &LonLat| match side {
        0 => q.lon >= r[0],
        1 => q.lon <= r[2],
        2 => q.lat >= r[1],
        _ => q.lat <= r[3],
    };
    // Where the edge p–q crosses the side's line, from its ends in a fixed order.
    let cross = |p: &LonLat, q: &LonLat| {
        let (u, v) = if (p.lon, p.lat) <= (q.lon, q.lat) {
            (p, q)
        } else {
            (q, p)
        };
        if side < 2 {
            let x = if side == 0 { r[0] } else { r[2] };
            let t = (x - u.lon) / (v.lon - u.lon);
            LonLat::new(x, u.lat + t * (v.lat - u.lat))
        } else {
            let y = if side == 2 { r[1] } else { r[3] };
            let t = (y - u.lat) / (v.lat - u.lat);
            LonLat::new(u.lon + t * (v.lon - u.lon), y)
        }
    };
    let n = if pts.len() > 1 && pts.first() == pts.last() {
        pts.len() - 1
    } else {
        pts.len()
    };
    let mut out = Vec::with_capacity(n + 4);
    for i in 0..n {
        let (p, q) = (&pts[i], &pts[(i + 1) % n]);
        match (inside(p), inside(q)) {
            (true, true) => out.push(*q),
            (true, false) => out.push(cross(p, q)),
            (false, true) => {
                out.push(cross(p, q));
                out.push(*q);
            }
            (false, false) => {}
        }
    }
    out
}

/// True when two of `pieces` overlap by more than [`OVERLAP_M2`] (the boolean operation
/// itself leaves rounding crumbs far below it).
fn any_overlap(pieces: &[(usize, Shape)]) -> bool {
    use geo::{Area, BooleanOps, BoundingRect, Intersects};
    let geos: Vec<(Option<geo::Rect<f64>>, geo::MultiPolygon<f64>)> = pieces
        .iter()
        .map(|(_, s)| {
            let g = s.to_geo();
            (g.bounding_rect(), g)
        })
        .collect();
    (0..geos.len()).any(|i| {
        (i + 1..geos.len()).any(|j| {
            let close = match (geos[i].0, geos[j].0) {
                (Some(a), Some(b)) => a.intersects(&b),
                _ => false,
            };
            close && {
                let common = geos[i].1.intersection(&geos[j].1);
                let lat = geos[i].0.map_or(0.0, |r| r.center().y);
                common.unsigned_area() * M_PER_DEG * M_PER_DEG * lat.to_radians().cos() > OVERLAP_M2
            }
        })
    })
}

/// Overlap between a cluster's new shapes that counts as a failed split, in m².
const OVERLAP_M2: f64 = 1e-4;

/// The new shapes of a cluster's members, triangulated with the first of `modes` (presplit
/// or not, see [`triangulate`]) that works.
fn split_cluster(
    members: &[usize],
    pairs: &[(usize, usize)],
    shapes: &[Shape],
    homes: &[Vec<LonLat>],
    modes: &[bool],
) -> Option<Vec<(usize, Shape)>> {
    let boxes: Vec<[f64; 4]> = members
        .iter()
        .map(|&c| bbox(shapes[c].main_ring()).unwrap_or([0.0; 4]))
        .collect();
    // A local metric frame: x = lon·cos(lat₀), y = lat, in degrees of latitude.
    let lat0 = boxes.iter().map(|b| (b[1] + b[3]) / 2.0).sum::<f64>() / boxes.len() as f64;
    let scale = lat0.to_radians().cos().max(1e-6);
    let to_xy = |p: LonLat| [p.lon * scale, p.lat];

    // The cuts: Voronoi edges between each pair's households, inside their overlap.
    let mut cuts: Vec<[LonLat; 2]> = Vec::new();
    for &(a, b) in pairs {
        let (ra, rb) = (shapes[a].main_ring(), shapes[b].main_ring());
        let (ba, bb) = (bbox(ra).unwrap_or([0.0; 4]), bbox(rb).unwrap_or([0.0; 4]));
        let lon = [
            ba[0].max(bb[0]) - 10.0 * GRID,
            ba[2].min(bb[2]) + 10.0 * GRID,
        ];
        let lat = [
            ba[1].max(bb[1]) - 10.0 * GRID,
            ba[3].min(bb[3]) + 10.0 * GRID,
        ];
        let window = [lon[0] * scale, lat[0], lon[1] * scale, lat[1]];
        let (pa, pb): (Vec<[f64; 2]>, Vec<[f64; 2]>) = (
            ra.iter().map(|&p| to_xy(p)).collect(),
            rb.iter().map(|&p| to_xy(p)).collect(),
        );
        for s in voronoi_between(&homes[a], &homes[b], &to_xy, window) {
            // Only the part inside both cells, a little beyond them so that the cut
            // crosses their edges cleanly.
            let Some(s) =
                clip_to_ring(s, &pa, 3.0 * GRID).and_then(|s| clip_to_ring(s, &pb, 3.0 * GRID))
            else {
                continue;
            };
            let [p, q] = s.map(|p| LonLat::new(p[0] / scale, p[1]));
            if p != q {
                cuts.push([p, q]);
            }
        }
    }
    // spade can fail an assertion on nearly degenerate crossings, which `triangulate`
    // avoids by splitting the segments itself; should that still fail, spade splits them,
    // and should that fail too, the cluster is left as it was (its overlaps reported).
    let rings: Vec<&[LonLat]> = members.iter().map(|&c| shapes[c].main_ring()).collect();
    let built = modes.iter().find_map(|&presplit| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            triangulate(&rings, &cuts, presplit)
        }))
        .ok()
    });
    let (cdt, original, ring_handles) = built?;

    // Owner of every face: the member whose ring holds it (found by walking each ring's
    // edges in the triangulation, not by testing points, which fails on needle-thin
    // faces); in an overlap, the one with the nearest household, judged once per zone of
    // faces that no constrained edge separates, at the zone's largest face.
    let inside = ring_interiors(&cdt, &ring_handles, |f, m| {
        let [p, q, r] = cdt.face(f).positions();
        let c = LonLat::new((p.x + q.x + r.x) / 3.0, (p.y + q.y + r.y) / 3.0);
        shapes[members[m]].contains(c)
    });
    let (zone, representative) = zones(&cdt);
    let mut nearest: Vec<Option<RTree<[f64; 2]>>> = vec![None; members.len()];
    let mut zone_choice: Vec<Option<u32>> = vec![None; representative.len()];
    let mut owner: Vec<Option<u32>> = vec![None; cdt.num_all_faces()];
    for face in cdt.inner_faces() {
        let f = face.fix().index();
        owner[f] = match inside[f].as_slice() {
            [] => None,
            [m] => Some(*m),
            many => {
                let z = zone[f];
                if zone_choice[z].is_none() {
                    let [p, q, r] = cdt.face(representative[z]).positions();
                    let at = to_xy(LonLat::new(
                        (p.x + q.x + r.x) / 3.0,
                        (p.y + q.y + r.y) / 3.0,
                    ));
                    zone_choice[z] = many
                        .iter()
                        .map(|&m| {
                            let t = nearest[m as usize].get_or_insert_with(|| {
                                RTree::bulk_load(
                                    homes[members[m as usize]]
                                        .iter()
                                        .map(|&h| to_xy(h))
                                        .collect(),
                                )
                            });
                            let d = t
                                .nearest_neighbor(at)
                                .map_or(f64::INFINITY, |n| dist2(*n, at));
                            (d, m)
                        })
                        .min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)))
                        .map(|(_, m)| m);
                }
                zone_choice[z]
            }
        };
    }

    let homes_of = |m: u32| homes[members[m as usize]].as_slice();
    absorb_slivers(&cdt, &mut owner, scale, &homes_of);

    // Every vertex rounded once; a new vertex never lands on a household.
    let homes_here: HashSet<(u64, u64)> = members
        .iter()
        .flat_map(|&c| &homes[c])
        .map(|h| (h.lon.to_bits(), h.lat.to_bits()))
        .collect();
    let mut rounded: Vec<LonLat> = cdt
        .vertices()
        .map(|v| {
            let p = v.position();
            let mut q = LonLat::new(round7(p.x), round7(p.y));
            if !original.contains(&v.fix().index()) {
                while homes_here.contains(&(q.lon.to_bits(), q.lat.to_bits())) {
                    q.lon = round7(q.lon + GRID);
                }
            }
            q
        })
        .collect();
    unfold(&cdt, &mut rounded, &original);

    Some(
        members
            .iter()
            .enumerate()
            .map(|(m, &c)| (c, trace(&cdt, &owner, m as u32, &rounded, &homes[c])))
            .collect(),
    )
}

/// Merges vertices until no triangle is turned over by the rounding of its vertices.
///
/// Rounding moves every vertex by up to 0.7 grid units, so a triangle less than about
/// 1.5 units high can come out with its vertices in the opposite order: the triangles
/// around it then overlap, and so would the rings built on them. Each such triangle has
/// the two vertices of its shortest edge merged into one rounded position (an original
/// ring vertex keeps its own, which neighbours outside the cluster share), until every
/// triangle has a positive or zero area, tested exactly on the integer grid.
fn unfold(
    cdt: &ConstrainedDelaunayTriangulation<Point2<f64>>,
    rounded: &mut [LonLat],
    original: &HashSet<usize>,
) {
    let grid = |p: LonLat| [(p.lon * 1e7).round() as i64, (p.lat * 1e7).round() as i64];
    let mut merged = UnionFind::new(rounded.len());
    let mut pinned: Vec<bool> = (0..rounded.len()).map(|i| original.contains(&i)).collect();
    for _ in 0..rounded.len() {
        let mut changed = false;
        for face in cdt.inner_faces() {
            let v = face.vertices().map(|v| v.fix().index());
            let r = v.map(|i| merged.find(i));
            let [a, b, c] = r.map(|i| grid(rounded[i]));
            let cross = i128::from(b[0] - a[0]) * i128::from(c[1] - a[1])
                - i128::from(c[0] - a[0]) * i128::from(b[1] - a[1]);
            if cross >= 0 {
                continue;
            }
            let exact = face.positions();
            let len2 = |i: usize, j: usize| {
                (exact[i].x - exact[j].x).powi(2) + (exact[i].y - exact[j].y).powi(2)
            };
            let (i, j) = [(0, 1), (1, 2), (2, 0)]
                .into_iter()
                .filter(|&(i, j)| r[i] != r[j])
                .min_by(|&(a, b), &(c, d)| len2(a, b).total_cmp(&len2(c, d)))
                .unwrap_or((0, 1));
            let keep = if pinned[r[j]] && !pinned[r[i]] {
                r[j]
            } else {
                r[i]
            };
            let (at, pin) = (rounded[keep], pinned[r[i]] || pinned[r[j]]);
            merged.union(r[i], r[j]);
            let root = merged.find(r[i]);
            rounded[root] = at;
            pinned[root] = pin;
            changed = true;
        }
        if !changed {
            break;
        }
    }
    for i in 0..rounded.len() {
        rounded[i] = rounded[merged.find(i)];
    }
}

/// Faces joined across unconstrained edges: the zone of every face (`usize::MAX` for the
/// outer face) and each zone's largest face.
fn zones(
    cdt: &ConstrainedDelaunayTriangulation<Point2<f64>>,
) -> (Vec<usize>, Vec<FixedFaceHandle<spade::handles::InnerTag>>) {
    let mut zone = vec![usize::MAX; cdt.num_all_faces()];
    let mut best: Vec<(f64, FixedFaceHandle<spade::handles::InnerTag>)> = Vec::new();
    for face in cdt.inner_faces() {
        if zone[face.fix().index()] != usize::MAX {
            continue;
        }
        let id = best.len();
        zone[face.fix().index()] = id;
        best.push((f64::NEG_INFINITY, face.fix()));
        let mut stack = vec![face.fix()];
        while let Some(f) = stack.pop() {
            let handle = cdt.face(f);
            let [p, q, r] = handle.positions();
            let area = ((q.x - p.x) * (r.y - p.y) - (r.x - p.x) * (q.y - p.y)).abs();
            if area > best[id].0 || (area == best[id].0 && f.index() < best[id].1.index()) {
                best[id] = (area, f);
            }
            for e in handle.adjacent_edges() {
                if cdt.is_constraint_edge(e.as_undirected().fix()) {
                    continue;
                }
                if let Some(g) = e.rev().face().as_inner()
                    && zone[g.fix().index()] == usize::MAX
                {
                    zone[g.fix().index()] = id;
                    stack.push(g.fix());
                }
            }
        }
    }
    (zone, best.into_iter().map(|b| b.1).collect())
}

/// For every face, the members whose ring holds it. Each ring is followed through the
/// triangulation edge by edge (its edges may have been split where other edges cross
/// them), and its interior flooded from the faces on the inner side without crossing the
/// ring. Should a ring not be followed to its end, or the flood escape, that member falls
/// back to `holds(face, member)`.
fn ring_interiors(
    cdt: &ConstrainedDelaunayTriangulation<Point2<f64>>,
    rings: &[Vec<FixedVertexHandle>],
    holds: impl Fn(FixedFaceHandle<spade::handles::InnerTag>, usize) -> bool,
) -> Vec<Vec<u32>> {
    let mut inside: Vec<Vec<u32>> = vec![Vec::new(); cdt.num_all_faces()];
    let mut seen = vec![false; cdt.num_all_faces()];
    let pos = |v: FixedVertexHandle| {
        let p = cdt.vertex(v).position();
        [p.x, p.y]
    };
    for (m, ring) in rings.iter().enumerate() {
        let pts: Vec<LonLat> = ring
            .iter()
            .map(|&v| {
                let [x, y] = pos(v);
                LonLat::new(x, y)
            })
            .collect();
        let ccw = signed_area(&pts) >= 0.0;
        let mut walls: HashSet<usize> = HashSet::new();
        let mut seeds = Vec::new();
        let mut followed = ring.len() >= 3;
        'ring: for (i, &from) in ring.iter().enumerate() {
            if !followed {
                break;
            }
            let to = ring[(i + 1) % ring.len()];
            let (start, goal) = (pos(from), pos(to));
            let line = [goal[0] - start[0], goal[1] - start[1]];
            let line_len = line[0].hypot(line[1]);
            let mut at = from;
            for _ in 0..100_000 {
                if at == to {
                    continue 'ring;
                }
                let here = pos(at);
                // The next piece of this edge: the constrained edge forward whose end lies
                // nearest the edge's line (a cut crossing at a shallow angle can point
                // almost the same way).
                let step = cdt
                    .vertex(at)
                    .out_edges()
                    .filter(|e| cdt.is_constraint_edge(e.as_undirected().fix()))
                    .filter_map(|e| {
                        if e.to().fix() == to {
                            return Some((-1.0, e));
                        }
                        let t = e.to().position();
                        let ahead = (t.x - here[0]) * line[0] + (t.y - here[1]) * line[1];
                        let off = ((t.x - start[0]) * line[1] - (t.y - start[1]) * line[0]).abs()
                            / line_len;
                        (ahead > 0.0).then_some((off, e))
                    })
                    .min_by(|a, b| a.0.total_cmp(&b.0));
                let Some((off, e)) = step else { break };
                if off > 1e-3 * line_len {
                    break;
                }
                walls.insert(e.as_undirected().fix().index());
                let side = if ccw { e.face() } else { e.rev().face() };
                if let Some(f) = side.as_inner() {
                    seeds.push(f.fix());
                }
                at = e.to().fix();
            }
            followed = false;
        }
        let mut flooded = Vec::new();
        if followed {
            let mut stack = seeds;
            while let Some(f) = stack.pop() {
                if seen[f.index()] {
                    continue;
                }
                seen[f.index()] = true;
                flooded.push(f);
                for e in cdt.face(f).adjacent_edges() {
                    if walls.contains(&e.as_undirected().fix().index()) {
                        continue;
                    }
                    match e.rev().face().as_inner() {
                        Some(g) => stack.push(g.fix()),
                        None => followed = false,
                    }
                }
                if !followed {
                    break;
                }
            }
            for f in &flooded {
                seen[f.index()] = false;
            }
        }
        if followed {
            for f in flooded {
                inside[f.index()].push(m as u32);
            }
        } else {
            for face in cdt.inner_faces() {
                if holds(face.fix(), m) {
                    inside[face.fix().index()].push(m as u32);
                }
            }
        }
    }
    inside
}

/// Hands every connected patch of faces of one catchment that is smaller than
/// [`SLIVER_M2`] and holds none of its owner's households to the neighbour it shares the
/// longest boundary with. Such patches are slivers between two nearly coincident edges
/// (say, two regions' cuts along the same border) that would otherwise become
/// needle-thin parts or holes. Faces of no catchment are left alone: they include the
/// dents between a polygon's nearly collinear vertices, which must stay where a
/// catchment outside the cluster shares that boundary.
fn absorb_slivers<'h>(
    cdt: &ConstrainedDelaunayTriangulation<Point2<f64>>,
    owner: &mut [Option<u32>],
    scale: f64,
    homes_of: &impl Fn(u32) -> &'h [LonLat],
) {
    let m2 = |f: &spade::handles::FaceHandle<
        '_,
        spade::handles::InnerTag,
        Point2<f64>,
        (),
        spade::CdtEdge<()>,
        (),
    >| {
        let [p, q, r] = f.positions();
        ((q.x - p.x) * (r.y - p.y) - (r.x - p.x) * (q.y - p.y)).abs() / 2.0
            * scale
            * M_PER_DEG
            * M_PER_DEG
    };
    let mut patch = vec![usize::MAX; owner.len()];
    let mut patches: Vec<Vec<FixedFaceHandle<spade::handles::InnerTag>>> = Vec::new();
    for face in cdt.inner_faces() {
        let Some(o) = owner[face.fix().index()] else {
            continue;
        };
        if patch[face.fix().index()] != usize::MAX {
            continue;
        }
        let id = patches.len();
        let mut faces = vec![face.fix()];
        patch[face.fix().index()] = id;
        let mut at = 0;
        while at < faces.len() {
            for e in cdt.face(faces[at]).adjacent_edges() {
                if let Some(g) = e.rev().face().as_inner()
                    && owner[g.fix().index()] == Some(o)
                    && patch[g.fix().index()] == usize::MAX
                {
                    patch[g.fix().index()] = id;
                    faces.push(g.fix());
                }
            }
            at += 1;
        }
        patches.push(faces);
    }
    for faces in &patches {
        let o = owner[faces[0].index()];
        let Some(m) = o else { continue };
        let area: f64 = faces.iter().map(|&f| m2(&cdt.face(f))).sum();
        if area >= SLIVER_M2 {
            continue;
        }
        let holds_home = homes_of(m).iter().any(|h| {
            faces.iter().any(|&f| {
                let [p, q, r] = cdt.face(f).positions();
                in_triangle([h.lon, h.lat], [p.x, p.y], [q.x, q.y], [r.x, r.y])
            })
        });
        if holds_home {
            continue;
        }
        // Shared boundary length per neighbouring owner (None = no catchment).
        let mut shared: Vec<(Option<u32>, f64)> = Vec::new();
        for &f in faces {
            for e in cdt.face(f).adjacent_edges() {
                let other = e
                    .rev()
                    .face()
                    .as_inner()
                    .and_then(|g| owner[g.fix().index()]);
                if other == o {
                    continue;
                }
                let [a, b] = e.positions();
                let len = ((b.x - a.x) * scale).hypot(b.y - a.y);
                match shared.iter_mut().find(|s| s.0 == other) {
                    Some(s) => s.1 += len,
                    None => shared.push((other, len)),
                }
            }
        }
        let best = shared
            .iter()
            .max_by(|x, y| {
                x.1.total_cmp(&y.1).then(
                    y.0.map_or(u32::MAX, |v| v)
                        .cmp(&x.0.map_or(u32::MAX, |v| v)),
                )
            })
            .map(|s| s.0);
        if let Some(new) = best {
            for &f in faces {
                owner[f.index()] = new;
            }
        }
    }
}

/// True when `x` is inside or on the triangle `p q r`.
fn in_triangle(x: [f64; 2], p: [f64; 2], q: [f64; 2], r: [f64; 2]) -> bool {
    let side =
        |a: [f64; 2], b: [f64; 2]| (b[0] - a[0]) * (x[1] - a[1]) - (b[1] - a[1]) * (x[0] - a[0]);
    let (d1, d2, d3) = (side(p, q), side(q, r), side(r, p));
    let neg = d1 < 0.0 || d2 < 0.0 || d3 < 0.0;
    let pos = d1 > 0.0 || d2 > 0.0 || d3 > 0.0;
    !(neg && pos)
}

/// The constrained triangulation of the cluster's rings and cuts, the vertices of the
/// rings, and each ring's vertices in the triangulation.
///
/// Crossings are found here (an R-tree over the segments' boxes) and every segment is
/// split at them before it goes in, each crossing point computed once for both segments;
/// spade then only has to add constraints that do not cross (`presplit`). Left to spade,
/// nearly degenerate crossings may be moved to a nearby vertex or fail an assertion, so
/// that path (`!presplit`) is only the fallback, and a piece that still conflicts after the
/// split (by rounding) is added the same way.
#[allow(clippy::type_complexity)]
fn triangulate(
    rings: &[&[LonLat]],
    cuts: &[[LonLat; 2]],
    presplit: bool,
) -> (
    ConstrainedDelaunayTriangulation<Point2<f64>>,
    HashSet<usize>,
    Vec<Vec<FixedVertexHandle>>,
) {
    let mut segments: Vec<[[f64; 2]; 2]> = Vec::new();
    let mut known: HashSet<[u64; 4]> = HashSet::new();
    let mut push = |segments: &mut Vec<[[f64; 2]; 2]>, p: [f64; 2], q: [f64; 2]| {
        let (a, b) = if (p[0], p[1]) <= (q[0], q[1]) {
            (p, q)
        } else {
            (q, p)
        };
        if a != b && known.insert([a[0], a[1], b[0], b[1]].map(f64::to_bits)) {
            segments.push([a, b]);
        }
    };
    for ring in rings {
        for w in ring.windows(2) {
            push(&mut segments, [w[0].lon, w[0].lat], [w[1].lon, w[1].lat]);
        }
    }
    for [p, q] in cuts {
        push(&mut segments, [p.lon, p.lat], [q.lon, q.lat]);
    }
    let pieces = if presplit {
        split_at_crossings(&segments)
    } else {
        segments
    };

    // Bulk loading is far faster than inserting one by one for rings of thousands of
    // vertices, as large catchments have: every distinct location once (the rings'
    // vertices, then the pieces' ends), with the pieces as constraints when they do not
    // cross. A constraint the bulk load cannot take, and every piece without `presplit`,
    // is added afterwards as before.
    let mut index: HashMap<[u64; 2], usize> = HashMap::new();
    let mut vertices: Vec<Point2<f64>> = Vec::new();
    let mut add = |x: f64, y: f64| -> usize {
        *index.entry([x.to_bits(), y.to_bits()]).or_insert_with(|| {
            vertices.push(Point2::new(x, y));
            vertices.len() - 1
        })
    };
    for p in rings.iter().flat_map(|ring| ring.iter()) {
        add(p.lon, p.lat);
    }
    let mut edges: Vec<[usize; 2]> = Vec::new();
    if presplit {
        let mut seen: HashSet<[usize; 2]> = HashSet::new();
        for [p, q] in &pieces {
            let (u, v) = (add(p[0], p[1]), add(q[0], q[1]));
            if u != v && seen.insert([u.min(v), u.max(v)]) {
                edges.push([u, v]);
            }
        }
    }
    let mut conflicts: Vec<[usize; 2]> = Vec::new();
    let loaded = if presplit {
        ConstrainedDelaunayTriangulation::try_bulk_load_cdt(vertices.clone(), edges, |e| {
            conflicts.push(e);
        })
    } else {
        ConstrainedDelaunayTriangulation::bulk_load(vertices.clone())
    };
    let (mut cdt, rest): (
        ConstrainedDelaunayTriangulation<Point2<f64>>,
        Vec<[[f64; 2]; 2]>,
    ) = match loaded {
        Ok(cdt) if presplit => {
            // Conflict indices refer to the loaded vertices, which are `vertices` in
            // order (each location was given once).
            let rest = conflicts
                .iter()
                .filter_map(|&[u, v]| {
                    let (p, q) = (vertices.get(u)?, vertices.get(v)?);
                    Some([[p.x, p.y], [q.x, q.y]])
                })
                .collect();
            (cdt, rest)
        }
        Ok(cdt) => (cdt, pieces),
        Err(_) => (ConstrainedDelaunayTriangulation::new(), pieces),
    };
    let mut at: HashMap<[u64; 2], FixedVertexHandle> = cdt
        .fixed_vertices()
        .map(|v| {
            let p = cdt.vertex(v).position();
            ([p.x.to_bits(), p.y.to_bits()], v)
        })
        .collect();
    let mut original: HashSet<usize> = HashSet::new();
    let mut ring_handles: Vec<Vec<FixedVertexHandle>> = Vec::with_capacity(rings.len());
    for ring in rings {
        let mut handles = Vec::with_capacity(ring.len());
        for p in *ring {
            let v = match at.get(&[p.lon.to_bits(), p.lat.to_bits()]) {
                Some(&v) => v,
                None => {
                    let Ok(v) = cdt.insert(Point2::new(p.lon, p.lat)) else {
                        continue;
                    };
                    at.insert([p.lon.to_bits(), p.lat.to_bits()], v);
                    v
                }
            };
            original.insert(v.index());
            if handles.last() != Some(&v) && handles.first() != Some(&v) {
                handles.push(v);
            }
        }
        ring_handles.push(handles);
    }
    for [p, q] in rest {
        let (Ok(u), Ok(v)) = (
            cdt.insert(Point2::new(p[0], p[1])),
            cdt.insert(Point2::new(q[0], q[1])),
        ) else {
            continue;
        };
        if u == v || cdt.exists_constraint(u, v) {
            continue;
        }
        if !presplit || cdt.try_add_constraint(u, v).is_empty() {
            cdt.add_constraint_and_split(u, v, |x| x);
        }
    }
    (cdt, original, ring_handles)
}

/// `segments` cut at every point where they cross or touch each other, each such point
/// computed once and shared by both pieces.
fn split_at_crossings(segments: &[[[f64; 2]; 2]]) -> Vec<[[f64; 2]; 2]> {
    let tree = RTree::bulk_load(
        segments
            .iter()
            .enumerate()
            .map(|(i, s)| {
                GeomWithData::new(
                    Rectangle::from_corners(
                        [s[0][0].min(s[1][0]), s[0][1].min(s[1][1])],
                        [s[0][0].max(s[1][0]), s[0][1].max(s[1][1])],
                    ),
                    i,
                )
            })
            .collect(),
    );
    // Per segment: (t along it, point) of its cuts.
    let mut cuts: Vec<Vec<(f64, [f64; 2])>> = vec![Vec::new(); segments.len()];
    for (i, s) in segments.iter().enumerate() {
        let d = [s[1][0] - s[0][0], s[1][1] - s[0][1]];
        let env = AABB::from_corners(
            [s[0][0].min(s[1][0]), s[0][1].min(s[1][1])],
            [s[0][0].max(s[1][0]), s[0][1].max(s[1][1])],
        );
        for n in tree.locate_in_envelope_intersecting(env) {
            let j = n.data;
            if j <= i {
                continue;
            }
            let o = segments[j];
            let e = [o[1][0] - o[0][0], o[1][1] - o[0][1]];
            let den = d[0] * e[1] - d[1] * e[0];
            if den == 0.0 {
                continue;
            }
            let f = [o[0][0] - s[0][0], o[0][1] - s[0][1]];
            let t = (f[0] * e[1] - f[1] * e[0]) / den;
            let u = (f[0] * d[1] - f[1] * d[0]) / den;
            if !(0.0..=1.0).contains(&t) || !(0.0..=1.0).contains(&u) {
                continue;
            }
            // An endpoint touching the other segment is the cut point itself.
            let point = if t == 0.0 || t == 1.0 {
                s[t as usize]
            } else if u == 0.0 || u == 1.0 {
                o[u as usize]
            } else {
                [s[0][0] + t * d[0], s[0][1] + t * d[1]]
            };
            if t > 0.0 && t < 1.0 && point != s[0] && point != s[1] {
                cuts[i].push((t, point));
            }
            if u > 0.0 && u < 1.0 && point != o[0] && point != o[1] {
                cuts[j].push((u, point));
            }
        }
    }
    let mut pieces = Vec::with_capacity(segments.len());
    for (s, mut c) in segments.iter().zip(cuts) {
        c.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut from = s[0];
        for (_, p) in c.into_iter().chain(std::iter::once((1.0, s[1]))) {
            if p != from {
                pieces.push([from, p]);
                from = p;
            }
        }
    }
    pieces
}

/// The part of segment `s` inside the ring `ring` (from its first to its last point
/// inside), extended at each end where it leaves the ring until it is about `margin`
/// beyond the edge it crossed (at least 10 cm, at most 10 m further along the segment);
/// `None` when it misses the ring.
fn clip_to_ring(s: [[f64; 2]; 2], ring: &[[f64; 2]], margin: f64) -> Option<[[f64; 2]; 2]> {
    let d = [s[1][0] - s[0][0], s[1][1] - s[0][1]];
    let len = d[0].hypot(d[1]);
    if len == 0.0 || ring.len() < 4 {
        return None;
    }
    let at = |t: f64| [s[0][0] + t * d[0], s[0][1] + t * d[1]];
    let inside = |p: [f64; 2]| crosses_odd(ring, p);
    // Crossings with the ring's edges: (t along the segment, sine of the angle).
    let mut cross: Vec<(f64, f64)> = Vec::new();
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        let e = [b[0] - a[0], b[1] - a[1]];
        let den = d[0] * e[1] - d[1] * e[0];
        if den == 0.0 {
            continue;
        }
        let f = [a[0] - s[0][0], a[1] - s[0][1]];
        let t = (f[0] * e[1] - f[1] * e[0]) / den;
        let u = (f[0] * d[1] - f[1] * d[0]) / den;
        if (0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u) {
            cross.push((t, den.abs() / (len * e[0].hypot(e[1]))));
        }
    }
    cross.sort_by(|x, y| x.0.total_cmp(&y.0));
    // (t, sine of the angle of the crossing there; none at the segment's own ends).
    type Stop = (f64, Option<f64>);
    let mut stops: Vec<Stop> = vec![(0.0, None)];
    stops.extend(cross.iter().map(|&(t, sin)| (t, Some(sin))));
    stops.push((1.0, None));
    let (mut first, mut last): (Option<Stop>, Option<Stop>) = (None, None);
    for w in stops.windows(2) {
        if w[1].0 > w[0].0 && inside(at((w[0].0 + w[1].0) / 2.0)) {
            first.get_or_insert(w[0]);
            last = Some(w[1]);
        }
    }
    let (Some((mut t0, sin0)), Some((mut t1, sin1))) = (first, last) else {
        return None;
    };
    let grow = |sin: f64| (margin / sin.max(1e-9)).clamp(1e-6, 1e-4) / len;
    if let Some(sin) = sin0 {
        t0 = (t0 - grow(sin)).max(0.0);
    }
    if let Some(sin) = sin1 {
        t1 = (t1 + grow(sin)).min(1.0);
    }
    // The segment's own ends exactly (`at(1.0)` may differ in the last bit), so that cuts
    // meeting at a Voronoi vertex still meet.
    let end = |t: f64| match t {
        0.0 => s[0],
        1.0 => s[1],
        _ => at(t),
    };
    Some([end(t0), end(t1)])
}

/// The Voronoi edges between households of `a` and households of `b` (in the frame of
/// `to_xy`), clipped to `window` = `[x0, y0, x1, y1]`.
fn voronoi_between(
    a: &[LonLat],
    b: &[LonLat],
    to_xy: &impl Fn(LonLat) -> [f64; 2],
    window: [f64; 4],
) -> Vec<[[f64; 2]; 2]> {
    let mut dt: DelaunayTriangulation<Point2<f64>> = DelaunayTriangulation::new();
    // 1 = a, 2 = b, 3 = both (a household of each at the same place).
    let mut side: Vec<u8> = Vec::new();
    for (flag, set) in [(1u8, a), (2u8, b)] {
        for &h in set {
            let [x, y] = to_xy(h);
            if let Ok(v) = dt.insert(Point2::new(x, y)) {
                if side.len() <= v.index() {
                    side.resize(v.index() + 1, 0);
                }
                side[v.index()] |= flag;
            }
        }
    }
    let reach = (window[2] - window[0]).hypot(window[3] - window[1]);
    let mut out = Vec::new();
    for e in dt.undirected_edges() {
        let [u, v] = e.vertices();
        if (side[u.fix().index()] | side[v.fix().index()]) != 3
            || side[u.fix().index()] == 3
            || side[v.fix().index()] == 3
        {
            continue;
        }
        let d = e.as_directed();
        let (p, q) = (d.from().position(), d.to().position());
        let mid = [(p.x + q.x) / 2.0, (p.y + q.y) / 2.0];
        // Right-hand normal of p → q.
        let n = {
            let (dx, dy) = (q.x - p.x, q.y - p.y);
            let len = dx.hypot(dy);
            [dy / len, -dx / len]
        };
        let left = d.face().as_inner().map(|f| f.circumcenter());
        let right = d.rev().face().as_inner().map(|f| f.circumcenter());
        let seg = match (left, right) {
            (Some(l), Some(r)) => [[l.x, l.y], [r.x, r.y]],
            (Some(l), None) => {
                let far = reach + (l.x - mid[0]).hypot(l.y - mid[1]);
                [[l.x, l.y], [l.x + n[0] * far, l.y + n[1] * far]]
            }
            (None, Some(r)) => {
                let far = reach + (r.x - mid[0]).hypot(r.y - mid[1]);
                [[r.x, r.y], [r.x - n[0] * far, r.y - n[1] * far]]
            }
            (None, None) => {
                let far = reach + (window[0] - mid[0]).hypot(window[1] - mid[1]);
                [
                    [mid[0] - n[0] * far, mid[1] - n[1] * far],
                    [mid[0] + n[0] * far, mid[1] + n[1] * far],
                ]
            }
        };
        if let Some(s) = clip(seg, window) {
            out.push(s);
        }
    }
    out
}

/// The part of segment `s` inside the box `w` (Liang–Barsky).
fn clip(s: [[f64; 2]; 2], w: [f64; 4]) -> Option<[[f64; 2]; 2]> {
    let d = [s[1][0] - s[0][0], s[1][1] - s[0][1]];
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-d[0], s[0][0] - w[0]),
        (d[0], w[2] - s[0][0]),
        (-d[1], s[0][1] - w[1]),
        (d[1], w[3] - s[0][1]),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 < t1).then(|| {
        // The segment's own ends exactly, so that cuts meeting at a vertex still meet.
        let at = |t: f64| match t {
            0.0 => s[0],
            1.0 => s[1],
            _ => [s[0][0] + t * d[0], s[0][1] + t * d[1]],
        };
        [at(t0), at(t1)]
    })
}

/// The shape of the faces owned by `m`, traced along their boundary edges.
fn trace(
    cdt: &ConstrainedDelaunayTriangulation<Point2<f64>>,
    owner: &[Option<u32>],
    m: u32,
    rounded: &[LonLat],
    homes: &[LonLat],
) -> Shape {
    let own = |f: FixedFaceHandle<PossiblyOuterTag>| owner[f.index()] == Some(m);
    let mut seen = vec![false; cdt.num_directed_edges()];
    let mut rings: Vec<Vec<usize>> = Vec::new();
    for face in cdt.inner_faces() {
        if owner[face.fix().index()] != Some(m) {
            continue;
        }
        for start in face.adjacent_edges() {
            if seen[start.fix().index()] || own(start.rev().face().fix()) {
                continue;
            }
            let mut ring = Vec::new();
            let mut e = start;
            loop {
                seen[e.fix().index()] = true;
                ring.push(e.from().fix().index());
                // The next boundary edge around the same wedge of owned faces.
                let mut next = e.next();
                while own(next.rev().face().fix()) {
                    next = next.rev().next();
                }
                e = next;
                if e.fix() == start.fix() {
                    break;
                }
            }
            rings.push(ring);
        }
    }
    assemble(&rings, rounded, homes)
}

/// Rings of vertex indices → parts: the rings are rounded and split where they touch
/// themselves; counter-clockwise pieces are exteriors, clockwise ones holes of the
/// smallest exterior around them. Pieces of less than [`SLIVER_M2`] that hold none of
/// `homes` are dropped: they are needle-thin spikes left by rounding (the neighbour's ring
/// has the same spike as a notch, dropped the same way).
fn assemble(rings: &[Vec<usize>], rounded: &[LonLat], homes: &[LonLat]) -> Shape {
    let mut exteriors: Vec<(f64, Vec<LonLat>, Vec<Vec<LonLat>>)> = Vec::new();
    let mut holes: Vec<Vec<LonLat>> = Vec::new();
    for ring in rings {
        for piece in simple_pieces(ring.iter().map(|&i| rounded[i])) {
            let area = signed_area(&piece);
            let m2 = area.abs() / 2.0 * M_PER_DEG * M_PER_DEG * piece[0].lat.to_radians().cos();
            if m2 < SLIVER_M2 {
                let ring = Shape::from_ring(piece.clone());
                if area <= 0.0 || !homes.iter().any(|&h| ring.contains(h)) {
                    continue;
                }
            }
            if area > 0.0 {
                exteriors.push((area, piece, Vec::new()));
            } else if area < 0.0 {
                holes.push(piece);
            }
        }
    }
    exteriors.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut loose: Vec<Vec<LonLat>> = Vec::new();
    for hole in holes {
        // A point of the hole's first edge: on the owned side, inside its exterior.
        let probe = LonLat::new(
            (hole[0].lon + hole[1].lon) / 2.0,
            (hole[0].lat + hole[1].lat) / 2.0,
        );
        let around = exteriors
            .iter()
            .enumerate()
            .filter(|(_, e)| Shape::from_ring(e.1.clone()).contains(probe))
            .min_by(|a, b| a.1.0.total_cmp(&b.1.0))
            .map(|(i, _)| i);
        match around {
            Some(i) => exteriors[i].2.push(hole),
            None => loose.push(hole),
        }
    }
    let shape = Shape {
        parts: exteriors
            .into_iter()
            .map(|(_, exterior, holes)| Part { exterior, holes })
            .collect(),
    };
    if loose.is_empty() {
        shape
    } else {
        cut_out(&shape, &loose, homes)
    }
}

/// `shape` without the `holes` (clockwise rings) that no exterior holds strictly: a hole
/// whose first edge lies on its exterior's boundary (two nearly coincident edges rounded
/// onto one line) is cut out by a boolean difference, not dropped. The result is rounded
/// back to the grid, and parts of less than [`SLIVER_M2`] that hold none of `homes` are
/// dropped as in [`assemble`].
fn cut_out(shape: &Shape, holes: &[Vec<LonLat>], homes: &[LonLat]) -> Shape {
    use geo::BooleanOps;
    let ring = |r: &[LonLat]| -> geo::LineString<f64> {
        r.iter()
            .map(|p| geo::coord! { x: p.lon, y: p.lat })
            .collect()
    };
    let cut = geo::MultiPolygon(
        holes
            .iter()
            .map(|h| {
                let mut r = h.clone();
                r.reverse();
                geo::Polygon::new(ring(&r), Vec::new())
            })
            .collect(),
    );
    let rest = shape.to_geo().difference(&cut);
    let back = |ls: &geo::LineString<f64>, ccw: bool| -> Option<Vec<LonLat>> {
        let mut r: Vec<LonLat> =
            ls.0.iter()
                .map(|c| LonLat::new(round7(c.x), round7(c.y)))
                .collect();
        r.dedup();
        if r.len() > 1 && r.first() == r.last() {
            r.pop();
        }
        if r.len() < 3 {
            return None;
        }
        r.push(r[0]);
        let area = signed_area(&r);
        if area == 0.0 {
            return None;
        }
        if (area > 0.0) != ccw {
            r.reverse();
        }
        Some(r)
    };
    let parts = rest
        .0
        .iter()
        .filter_map(|p| {
            let exterior = back(p.exterior(), true)?;
            let m2 = signed_area(&exterior).abs() / 2.0
                * M_PER_DEG
                * M_PER_DEG
                * exterior[0].lat.to_radians().cos();
            let part = Part {
                exterior,
                holes: p
                    .interiors()
                    .iter()
                    .filter_map(|h| back(h, false))
                    .collect(),
            };
            let kept = m2 >= SLIVER_M2 || {
                let one = Shape {
                    parts: vec![part.clone()],
                };
                homes.iter().any(|&h| one.contains(h))
            };
            kept.then_some(part)
        })
        .collect();
    Shape { parts }
}

/// A closed ring of rounded vertices cut into simple closed rings: without consecutive
/// repeats, split at every vertex it passes twice (a hole touching the exterior, or two
/// vertices rounded together), each starting at its smallest vertex; pieces with fewer
/// than three vertices are dropped.
fn simple_pieces(points: impl Iterator<Item = LonLat>) -> Vec<Vec<LonLat>> {
    let mut pieces = Vec::new();
    let mut path: Vec<LonLat> = Vec::new();
    for p in points.chain(std::iter::once(LonLat::new(f64::NAN, f64::NAN))) {
        // The sentinel closes the ring back to its first vertex.
        let p = if p.lon.is_nan() {
            match path.first() {
                Some(&f) => f,
                None => break,
            }
        } else {
            p
        };
        if let Some(j) = path.iter().position(|&q| q == p) {
            let piece: Vec<LonLat> = path.drain(j..).collect();
            if piece.len() >= 3 {
                pieces.push(piece);
            }
        }
        path.push(p);
    }
    for r in &mut pieces {
        let first = (0..r.len())
            .min_by(|&a, &b| {
                r[a].lon
                    .total_cmp(&r[b].lon)
                    .then(r[a].lat.total_cmp(&r[b].lat))
            })
            .unwrap_or(0);
        r.rotate_left(first);
        r.push(r[0]);
    }
    pieces
}

/// True when `new` is one ring without holes that is `old`'s ring, maybe from another start.
fn same_single_ring(old: &Shape, new: &Shape) -> bool {
    if old.parts.len() != 1 || new.parts.len() != 1 || !new.parts[0].holes.is_empty() {
        return false;
    }
    let (a, b) = (&old.parts[0].exterior, &new.parts[0].exterior);
    if a.len() != b.len() || a.len() < 2 {
        return false;
    }
    let n = a.len() - 1;
    (0..n).any(|s| (0..n).all(|i| a[(s + i) % n] == b[i]))
}

/// Distance in metres from `p` to the nearest edge of `shape` (planar at `p`'s latitude).
fn distance_to_boundary_m(shape: &Shape, p: LonLat) -> f64 {
    let s = p.lat.to_radians().cos();
    let xy = |q: LonLat| [(q.lon - p.lon) * s * M_PER_DEG, (q.lat - p.lat) * M_PER_DEG];
    shape
        .rings()
        .flat_map(|r| r.windows(2))
        .map(|w| {
            let (a, b) = (xy(w[0]), xy(w[1]));
            let d = [b[0] - a[0], b[1] - a[1]];
            let len2 = d[0] * d[0] + d[1] * d[1];
            let t = if len2 > 0.0 {
                (-(a[0] * d[0] + a[1] * d[1]) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            (a[0] + t * d[0]).hypot(a[1] + t * d[1])
        })
        .fold(f64::INFINITY, f64::min)
}

fn envelope(b: [f64; 4]) -> AABB<[f64; 2]> {
    AABB::from_corners([b[0], b[1]], [b[2], b[3]])
}

fn rect(b: [f64; 4]) -> Rectangle<[f64; 2]> {
    Rectangle::from_corners([b[0], b[1]], [b[2], b[3]])
}

/// Disjoint sets with union by size.
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, BooleanOps};

    fn square(x0: f64, y0: f64, side: f64) -> Shape {
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
        let resolved = resolve(&mut shapes, |_| all);
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
        let resolved = resolve(&mut shapes, |n| vec![Vec::new(); n.len()]);
        assert!(resolved.changed.is_empty());
        assert_eq!(shapes, before);
    }

    #[test]
    fn a_ring_touching_itself_is_cut_into_simple_rings() {
        // An exterior with a hole touching it at (2, 0): traced as one ring through (2, 0)
        // twice, it must come out as a counter-clockwise exterior and a clockwise hole.
        let pts = [
            (0.0, 0.0),
            (2.0, 0.0),
            (1.5, 1.0),
            (2.5, 1.0),
            (2.0, 0.0),
            (4.0, 0.0),
            (4.0, 3.0),
            (0.0, 3.0),
        ]
        .map(|(x, y)| LonLat::new(x, y));
        let pieces = simple_pieces(pts.into_iter());
        assert_eq!(pieces.len(), 2);
        let areas: Vec<f64> = pieces.iter().map(|p| signed_area(p)).collect();
        assert!(areas.iter().any(|&a| a > 0.0) && areas.iter().any(|&a| a < 0.0));
        assert!(pieces.iter().all(|p| p.first() == p.last()));
    }

    /// A star-shaped ring around `(cx, cy)` with the given radii (degrees), rounded to
    /// 7 decimals, counter-clockwise and closed.
    fn star(cx: f64, cy: f64, radii: &[f64]) -> Vec<LonLat> {
        let n = radii.len();
        let mut ring: Vec<LonLat> = radii
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let a = std::f64::consts::TAU * i as f64 / n as f64;
                LonLat::new(round7(cx + r * a.cos()), round7(cy + r * a.sin()))
            })
            .collect();
        ring.push(ring[0]);
        ring
    }

    /// `ring` cut by the vertical line `x = cut` into its west and east parts, both
    /// holding the same points on the cut (a shared border, as neighbouring catchments
    /// have), densified with `extra` rounded points along it.
    fn halves(ring: &[LonLat], cut: f64, extra: usize) -> Option<(Shape, Shape)> {
        let n = ring.len() - 1;
        let mut crossings = Vec::new();
        for i in 0..n {
            let (p, q) = (ring[i], ring[i + 1]);
            if (p.lon < cut) != (q.lon < cut) {
                let t = (cut - p.lon) / (q.lon - p.lon);
                crossings.push((i, LonLat::new(cut, round7(p.lat + t * (q.lat - p.lat)))));
            }
        }
        let [(i, s), (j, e)] = crossings[..] else {
            return None;
        };
        // The border from s to e, with points a few grid steps off the straight line.
        let border: Vec<LonLat> = (0..=extra + 1)
            .map(|m| {
                let t = m as f64 / (extra + 1) as f64;
                let wobble = if m % 2 == 1 { 2e-7 } else { -1e-7 };
                let lon = if m == 0 || m == extra + 1 {
                    cut
                } else {
                    round7(cut + wobble)
                };
                LonLat::new(lon, round7(s.lat + t * (e.lat - s.lat)))
            })
            .collect();
        // One half: s, ring[i+1..=j], e, then the border back to s; the other: e,
        // ring[j+1..] and ring[..=i], s, then the border forward to e.
        let mut one = vec![s];
        one.extend_from_slice(&ring[i + 1..=j]);
        one.push(e);
        one.extend(border.iter().rev().skip(1));
        let mut two = vec![e];
        two.extend_from_slice(&ring[j + 1..n]);
        two.extend_from_slice(&ring[..=i]);
        two.push(s);
        two.extend(border.iter().skip(1));
        Some((Shape::from_ring(one), Shape::from_ring(two)))
    }

    fn overlap_unclipped(a: &Shape, b: &Shape) -> bool {
        a.to_geo().intersection(&b.to_geo()).unsigned_area() > 0.0
    }

    fn overlap_clipped(a: &Shape, b: &Shape) -> bool {
        match (bbox(a.vertices()), bbox(b.vertices())) {
            (Some(ea), Some(eb)) => overlap_within(
                a,
                b,
                [
                    ea[0].max(eb[0]),
                    ea[1].max(eb[1]),
                    ea[2].min(eb[2]),
                    ea[3].min(eb[3]),
                ],
            ),
            _ => false,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Cutting both shapes to where their extents meet finds the same overlaps as the
        /// whole shapes do: halves sharing a border (none), a half against a shifted copy
        /// of the other or of itself (some), and independent stars.
        #[test]
        fn clipping_to_the_common_box_keeps_every_overlap(
            radii in proptest::collection::vec(0.005f64..0.02, 8..40),
            radii2 in proptest::collection::vec(0.005f64..0.02, 8..40),
            cut in -0.004f64..0.004,
            extra in 0usize..12,
            dx in -0.03f64..0.03,
            dy in -0.03f64..0.03,
            nudge in 0usize..4,
        ) {
            let ring = star(51.0, 35.0, &radii);
            if let Some((west, east)) = halves(&ring, 51.0 + cut, extra) {
                proptest::prop_assert!(!overlap_unclipped(&west, &east));
                proptest::prop_assert_eq!(overlap_clipped(&west, &east), overlap_unclipped(&west, &east));
                // The east half moved by 0 to 3 grid steps: touching, then overlapping.
                let step = nudge as f64 * 1e-7;
                let moved = Shape::from_ring(
                    east.main_ring()
                        .iter()
                        .map(|q| LonLat::new(round7(q.lon - step), q.lat))
                        .collect(),
                );
                proptest::prop_assert_eq!(overlap_clipped(&west, &moved), overlap_unclipped(&west, &moved));
                proptest::prop_assert_eq!(overlap_clipped(&west, &west), overlap_unclipped(&west, &west));
            }
            let other = Shape::from_ring(star(51.0 + dx, 35.0 + dy, &radii2));
            let whole = Shape::from_ring(ring.clone());
            proptest::prop_assert_eq!(overlap_clipped(&whole, &other), overlap_unclipped(&whole, &other));
        }
    }
}
