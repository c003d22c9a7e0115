//! Step 5a: every triangulation vertex rounded once to the 7-decimal grid (a new vertex
//! never on a household), and triangles the rounding would turn over unfolded by merging
//! vertices, so the rounded triangles still tile.

use hashbrown::HashSet;

use spade::Triangulation;

use super::union_find::UnionFind;
use super::{Cdt, FaceRef, GRID};
use crate::geometry::round7;
use crate::model::LonLat;

/// The rounded position of every vertex of `cdt`: `original` (ring) vertices rounded, new
/// ones moved east along the grid off any household of the cluster's `members`; then
/// [`unfold`]ed.
pub(super) fn rounded_vertices(
    cdt: &Cdt,
    original: &HashSet<usize>,
    members: &[usize],
    homes: &[Vec<LonLat>],
) -> Vec<LonLat> {
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
    unfold(cdt, &mut rounded, original, &homes_here);
    rounded
}

/// Merges vertices until no triangle is turned over by the rounding of its vertices.
///
/// Rounding moves every vertex by up to 0.7 grid units, so a triangle less than about
/// 1.5 units high can come out with its vertices in the opposite order: the triangles
/// around it then overlap, and so would the rings built on them. Each such triangle has
/// the two vertices of its shortest edge merged into one rounded position (an original
/// ring vertex keeps its own, which neighbours outside the cluster share), until every
/// triangle has a positive or zero area, tested exactly on the integer grid.
///
/// A turned-over needle, whose shortest edge is longer than [`MERGE_AT_MOST`], first has
/// the vertex opposite its longest edge moved to a grid point nearby instead (see
/// [`nudge`]): merging there would move a vertex the length of that edge (138 m in one
/// plan, which took a household's square out of its catchment).
pub(super) fn unfold(
    cdt: &Cdt,
    rounded: &mut [LonLat],
    original: &HashSet<usize>,
    homes: &HashSet<(u64, u64)>,
) {
    let mut merged = UnionFind::new(rounded.len());
    let mut pinned: Vec<bool> = (0..rounded.len()).map(|i| original.contains(&i)).collect();
    for _ in 0..rounded.len() {
        let mut changed = false;
        for face in cdt.inner_faces() {
            changed |= merge_if_turned(&face, &mut merged, &mut pinned, rounded, homes);
        }
        if !changed {
            break;
        }
    }
    for i in 0..rounded.len() {
        rounded[i] = rounded[merged.find(i)];
    }
}

/// When `face`, with its vertices at their merged rounded positions, is turned over,
/// merges the ends of its shortest edge (that are not merged yet) and returns true.
fn merge_if_turned(
    face: &FaceRef<'_>,
    merged: &mut UnionFind,
    pinned: &mut [bool],
    rounded: &mut [LonLat],
    homes: &HashSet<(u64, u64)>,
) -> bool {
    let v = face.vertices().map(|v| v.fix().index());
    let r = v.map(|i| merged.find(i));
    if !turned(r.map(|i| on_grid(rounded[i]))) {
        return false;
    }
    let exact = face.positions();
    let len2 =
        |i: usize, j: usize| (exact[i].x - exact[j].x).powi(2) + (exact[i].y - exact[j].y).powi(2);
    let (i, j) = [(0, 1), (1, 2), (2, 0)]
        .into_iter()
        .filter(|&(i, j)| r[i] != r[j])
        .min_by(|&(a, b), &(c, d)| len2(a, b).total_cmp(&len2(c, d)))
        .unwrap_or((0, 1));
    if len2(i, j) > MERGE_AT_MOST * MERGE_AT_MOST && nudge(face, merged, pinned, rounded, homes) {
        return true;
    }
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
    true
}

/// The position of `p` on the integer grid of 7-decimal units.
pub(super) fn on_grid(p: LonLat) -> [i64; 2] {
    [(p.lon * 1e7).round() as i64, (p.lat * 1e7).round() as i64]
}

/// True when the triangle of grid points `[a, b, c]` is turned over (clockwise), tested
/// exactly.
fn turned([a, b, c]: [[i64; 2]; 3]) -> bool {
    i128::from(b[0] - a[0]) * i128::from(c[1] - a[1])
        - i128::from(c[0] - a[0]) * i128::from(b[1] - a[1])
        < 0
}

/// Shortest edges (degrees, about 5.5 cm) above which a turned-over triangle has a vertex
/// nudged rather than an edge merged, where it can.
const MERGE_AT_MOST: f64 = 5.0 * GRID;

/// Moves a vertex of the turned-over `face` (the one opposite its longest edge first, then
/// the others) to the grid point nearest its exact position, within two grid units, at
/// which none of its triangles is turned over and no household lies; false (nothing
/// moved) when no vertex can be, ring vertices and vertices merged with others staying.
fn nudge(
    face: &FaceRef<'_>,
    merged: &mut UnionFind,
    pinned: &[bool],
    rounded: &mut [LonLat],
    homes: &HashSet<(u64, u64)>,
) -> bool {
    let exact = face.positions();
    let len2 =
        |i: usize, j: usize| (exact[i].x - exact[j].x).powi(2) + (exact[i].y - exact[j].y).powi(2);
    let (i, j) = [(0, 1), (1, 2), (2, 0)]
        .into_iter()
        .max_by(|&(a, b), &(c, d)| len2(a, b).total_cmp(&len2(c, d)))
        .unwrap_or((0, 1));
    let k = 3 - i - j;
    [k, i, j]
        .into_iter()
        .any(|v| nudge_vertex(face, v, merged, pinned, rounded, homes))
}

/// Moves vertex `k` of `face` as [`nudge`] describes; false when it cannot.
fn nudge_vertex(
    face: &FaceRef<'_>,
    k: usize,
    merged: &mut UnionFind,
    pinned: &[bool],
    rounded: &mut [LonLat],
    homes: &HashSet<(u64, u64)>,
) -> bool {
    let exact = face.positions();
    let vertex = face.vertices()[k];
    let root = merged.find(vertex.fix().index());
    if pinned[root] || merged.size(root) > 1 {
        return false;
    }
    let triangles: Vec<[usize; 3]> = vertex
        .out_edges()
        .filter_map(|e| e.face().as_inner())
        .map(|f| f.vertices().map(|v| merged.find(v.fix().index())))
        .collect();
    let at = [exact[k].x * 1e7, exact[k].y * 1e7];
    let base = [at[0].round() as i64, at[1].round() as i64];
    let mut candidates: Vec<[i64; 2]> = (-2..=2)
        .flat_map(|dx| (-2..=2).map(move |dy| [base[0] + dx, base[1] + dy]))
        .collect();
    let off = |c: &[i64; 2]| (c[0] as f64 - at[0]).hypot(c[1] as f64 - at[1]);
    candidates.sort_by(|a, b| off(a).total_cmp(&off(b)).then(a.cmp(b)));
    for c in candidates {
        let q = LonLat::new(round7(c[0] as f64 / 1e7), round7(c[1] as f64 / 1e7));
        if homes.contains(&(q.lon.to_bits(), q.lat.to_bits())) {
            continue;
        }
        let pos = |r: usize| if r == root { c } else { on_grid(rounded[r]) };
        let upright = triangles.iter().all(|t| !turned(t.map(pos)));
        if upright && on_grid(rounded[root]) != c {
            rounded[root] = q;
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use spade::{ConstrainedDelaunayTriangulation, Point2};

    use super::*;

    #[test]
    fn a_long_needle_turned_over_by_rounding_is_unfolded_in_place() {
        // A and C on the grid; B 33 m from A, 0.15 grid units above the line AC: rounded
        // to the grid it falls below it and turns the thin triangle ABC over. Merging B's
        // shortest edge would move it 33 m; it is nudged by a grid unit instead.
        let mut cdt: Cdt = ConstrainedDelaunayTriangulation::new();
        let mut at = |x: f64, y: f64| cdt.insert(Point2::new(x, y)).expect("a finite point");
        let a = at(0.0, 0.0);
        let b = at(3e-4, 0.45e-7);
        let c = at(1e-3, 1e-7);
        at(5e-4, 1e-3);
        at(5e-4, -1e-3);
        for (p, q) in [(a, b), (b, c), (a, c)] {
            cdt.add_constraint(p, q);
        }
        let original: HashSet<usize> = [a.index(), c.index()].into();
        let rounded = rounded_vertices(&cdt, &original, &[], &[]);
        for v in cdt.vertices() {
            let p = v.position();
            let q = rounded[v.fix().index()];
            let moved = ((q.lon - p.x) / GRID).hypot((q.lat - p.y) / GRID);
            assert!(
                moved <= 2.5,
                "vertex {} moved {moved} grid units",
                v.fix().index()
            );
        }
        for face in cdt.inner_faces() {
            let t = face.vertices().map(|v| on_grid(rounded[v.fix().index()]));
            assert!(!turned(t), "a face is turned over: {t:?}");
        }
    }
}
