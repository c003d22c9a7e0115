//! Step 3b: the constrained Delaunay triangulation of a cluster's rings and cuts.
//!
//! Crossings are found here (an R-tree over the segments' boxes) and every segment is
//! split at them before it goes in, each crossing point computed once for both segments;
//! spade then only has to add constraints that do not cross (`presplit`). Left to spade,
//! nearly degenerate crossings may be moved to a nearby vertex or fail an assertion, so
//! that path (`!presplit`) is only the fallback, and a piece that still conflicts after the
//! split (by rounding) is added the same way.

use hashbrown::{HashMap, HashSet};
use std::cell::Cell;
use std::sync::Once;

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use spade::handles::FixedVertexHandle;
use spade::{Point2, Triangulation};

use super::Cdt;
use crate::model::LonLat;

/// A segment `[from, to]` in lon/lat.
type Segment = [[f64; 2]; 2];

/// A cluster's triangulation.
pub(super) struct Triangulated {
    /// The triangulation of the rings and cuts.
    pub(super) cdt: Cdt,
    /// The indices of the rings' vertices.
    pub(super) original: HashSet<usize>,
    /// Each ring's vertices in the triangulation.
    pub(super) rings: Vec<Vec<FixedVertexHandle>>,
}

/// The triangulation of `rings` and `cuts` with the first of `modes` (presplit or not)
/// for which spade does not panic. spade can fail an assertion on nearly degenerate
/// crossings, which presplitting avoids; should that still fail, spade splits them, and
/// should that fail too, `None` (the cluster is left as it was, its overlaps reported).
pub(super) fn first_that_works(
    rings: &[&[LonLat]],
    cuts: &[[LonLat; 2]],
    modes: &[bool],
) -> Option<Triangulated> {
    modes
        .iter()
        .find_map(|&presplit| quietly(|| triangulate(rings, cuts, presplit)))
}

thread_local! {
    /// Set while [`quietly`] runs on this thread.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// `f`'s result, or `None` if it panics, without the panic's message and backtrace on
/// standard error: a failed assertion in spade is handled here (another mode is tried),
/// so a planner should not read it as a crash. Panics elsewhere, on any thread, still go
/// to the hook that was in place (installed once, chained).
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.ok()
}

/// The constrained triangulation of the cluster's rings and cuts (see the module docs).
fn triangulate(rings: &[&[LonLat]], cuts: &[[LonLat; 2]], presplit: bool) -> Triangulated {
    let segments = segments(rings, cuts);
    let pieces = if presplit {
        split_at_crossings(&segments)
    } else {
        segments
    };
    let (mut cdt, rest) = bulk_loaded(rings, pieces, presplit);
    let (original, ring_handles) = ring_vertices(&mut cdt, rings);
    add_constraints(&mut cdt, rest, presplit);
    Triangulated {
        cdt,
        original,
        rings: ring_handles,
    }
}

/// Every distinct edge of the rings and every cut, each from its smaller end.
fn segments(rings: &[&[LonLat]], cuts: &[[LonLat; 2]]) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut known: HashSet<[u64; 4]> = HashSet::new();
    let mut push = |segments: &mut Vec<Segment>, p: [f64; 2], q: [f64; 2]| {
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
    segments
}

/// The bulk-loaded triangulation, and the pieces still to add as constraints.
///
/// Bulk loading is far faster than inserting one by one for rings of thousands of
/// vertices, as large catchments have: every distinct location once (the rings'
/// vertices, then the pieces' ends), with the pieces as constraints when they do not
/// cross. A constraint the bulk load cannot take, and every piece without `presplit`,
/// is added afterwards (see [`add_constraints`]).
fn bulk_loaded(rings: &[&[LonLat]], pieces: Vec<Segment>, presplit: bool) -> (Cdt, Vec<Segment>) {
    let (vertices, edges) = locations(rings, &pieces, presplit);
    let mut conflicts: Vec<[usize; 2]> = Vec::new();
    let loaded = if presplit {
        Cdt::try_bulk_load_cdt(vertices.clone(), edges, |e| {
            conflicts.push(e);
        })
    } else {
        Cdt::bulk_load(vertices.clone())
    };
    match loaded {
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
        Err(_) => (Cdt::new(), pieces),
    }
}

/// Every distinct location once (the rings' vertices, then the pieces' ends), and with
/// `presplit` the pieces as edges between them (each once).
fn locations(
    rings: &[&[LonLat]],
    pieces: &[Segment],
    presplit: bool,
) -> (Vec<Point2<f64>>, Vec<[usize; 2]>) {
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
        for [p, q] in pieces {
            let (u, v) = (add(p[0], p[1]), add(q[0], q[1]));
            if u != v && seen.insert([u.min(v), u.max(v)]) {
                edges.push([u, v]);
            }
        }
    }
    (vertices, edges)
}

/// The indices of the rings' vertices in `cdt` (inserting any it lacks), and each ring's
/// vertex handles without consecutive repeats.
fn ring_vertices(
    cdt: &mut Cdt,
    rings: &[&[LonLat]],
) -> (HashSet<usize>, Vec<Vec<FixedVertexHandle>>) {
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
    (original, ring_handles)
}

/// Adds the pieces `rest` as constraints one by one: with `presplit` where they do not
/// cross an existing constraint, else (and then) splitting what they cross.
fn add_constraints(cdt: &mut Cdt, rest: Vec<Segment>, presplit: bool) {
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
}

/// `segments` cut at every point where they cross or touch each other, each such point
/// computed once and shared by both pieces.
fn split_at_crossings(segments: &[Segment]) -> Vec<Segment> {
    let tree = RTree::bulk_load(
        segments
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (lo, hi) = corners(s);
                GeomWithData::new(Rectangle::from_corners(lo, hi), i)
            })
            .collect(),
    );
    let cuts = crossing_points(segments, &tree);
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

/// The lower-left and upper-right corners of the box of `s`.
fn corners(s: &Segment) -> ([f64; 2], [f64; 2]) {
    (
        [s[0][0].min(s[1][0]), s[0][1].min(s[1][1])],
        [s[0][0].max(s[1][0]), s[0][1].max(s[1][1])],
    )
}

/// Per segment, the (t along it, point) of the crossings inside it.
fn crossing_points(
    segments: &[Segment],
    tree: &RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
) -> Vec<Vec<(f64, [f64; 2])>> {
    let mut cuts: Vec<Vec<(f64, [f64; 2])>> = vec![Vec::new(); segments.len()];
    for (i, s) in segments.iter().enumerate() {
        let (lo, hi) = corners(s);
        for n in tree.locate_in_envelope_intersecting(AABB::from_corners(lo, hi)) {
            let j = n.data;
            if j <= i {
                continue;
            }
            let o = segments[j];
            let Some((t, u, point)) = crossing(s, &o) else {
                continue;
            };
            if t > 0.0 && t < 1.0 && point != s[0] && point != s[1] {
                cuts[i].push((t, point));
            }
            if u > 0.0 && u < 1.0 && point != o[0] && point != o[1] {
                cuts[j].push((u, point));
            }
        }
    }
    cuts
}

/// Where segments `s` and `o` cross or touch: t along `s`, u along `o`, and the point (an
/// endpoint on the other segment is the point itself); `None` when they are parallel or
/// miss each other.
fn crossing(s: &Segment, o: &Segment) -> Option<(f64, f64, [f64; 2])> {
    let d = [s[1][0] - s[0][0], s[1][1] - s[0][1]];
    let e = [o[1][0] - o[0][0], o[1][1] - o[0][1]];
    let den = d[0] * e[1] - d[1] * e[0];
    if den == 0.0 {
        return None;
    }
    let f = [o[0][0] - s[0][0], o[0][1] - s[0][1]];
    let t = (f[0] * e[1] - f[1] * e[0]) / den;
    let u = (f[0] * d[1] - f[1] * d[0]) / den;
    if !(0.0..=1.0).contains(&t) || !(0.0..=1.0).contains(&u) {
        return None;
    }
    let point = if t == 0.0 || t == 1.0 {
        s[t as usize]
    } else if u == 0.0 || u == 1.0 {
        o[u as usize]
    } else {
        [s[0][0] + t * d[0], s[0][1] + t * d[1]]
    };
    Some((t, u, point))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_run_quietly_is_none_and_the_thread_carries_on() {
        assert_eq!(quietly(|| 7), Some(7));
        let failed: Option<u8> = quietly(|| panic!("a nearly degenerate crossing"));
        assert_eq!(failed, None);
        // The flag is cleared: a later panic on this thread goes to the usual hook again.
        assert!(!QUIET.with(Cell::get));
        assert_eq!(quietly(|| "again"), Some("again"));
    }
}
