//! Step 5a: every triangulation vertex rounded once to the 7-decimal grid (a new vertex
//! never on a household), and triangles the rounding would turn over unfolded by merging
//! vertices, so the rounded triangles still tile.

use std::collections::HashSet;

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
    unfold(cdt, &mut rounded, original);
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
pub(super) fn unfold(cdt: &Cdt, rounded: &mut [LonLat], original: &HashSet<usize>) {
    let mut merged = UnionFind::new(rounded.len());
    let mut pinned: Vec<bool> = (0..rounded.len()).map(|i| original.contains(&i)).collect();
    for _ in 0..rounded.len() {
        let mut changed = false;
        for face in cdt.inner_faces() {
            changed |= merge_if_turned(&face, &mut merged, &mut pinned, rounded);
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
) -> bool {
    let grid = |p: LonLat| [(p.lon * 1e7).round() as i64, (p.lat * 1e7).round() as i64];
    let v = face.vertices().map(|v| v.fix().index());
    let r = v.map(|i| merged.find(i));
    let [a, b, c] = r.map(|i| grid(rounded[i]));
    let cross = i128::from(b[0] - a[0]) * i128::from(c[1] - a[1])
        - i128::from(c[0] - a[0]) * i128::from(b[1] - a[1]);
    if cross >= 0 {
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
