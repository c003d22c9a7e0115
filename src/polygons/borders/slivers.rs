//! Step 4c: slivers. A connected patch of faces of one catchment smaller than
//! [`SLIVER_M2`] that holds none of its owner's households is handed to the neighbour it
//! shares the longest boundary with.

use spade::Triangulation;

use super::{Cdt, Face, M_PER_DEG, SLIVER_M2, area2};
use crate::model::LonLat;

/// Hands every connected patch of faces of one catchment that is smaller than
/// [`SLIVER_M2`] and holds none of its owner's households to the neighbour it shares the
/// longest boundary with. Such patches are slivers between two nearly coincident edges
/// (say, two regions' cuts along the same border) that would otherwise become
/// needle-thin parts or holes. Faces of no catchment are left alone: they include the
/// dents between a polygon's nearly collinear vertices, which must stay where a
/// catchment outside the cluster shares that boundary.
pub(super) fn absorb_slivers<'h>(
    cdt: &Cdt,
    owner: &mut [Option<u32>],
    scale: f64,
    homes_of: &impl Fn(u32) -> &'h [LonLat],
) {
    for faces in &patches(cdt, owner) {
        let o = owner[faces[0].index()];
        let Some(m) = o else { continue };
        if !is_sliver(cdt, faces, scale, homes_of(m)) {
            continue;
        }
        if let Some(new) = longest_neighbour(cdt, faces, o, owner, scale) {
            for &f in faces {
                owner[f.index()] = new;
            }
        }
    }
}

/// The connected patches of faces with the same owner (faces of no owner left out).
fn patches(cdt: &Cdt, owner: &[Option<u32>]) -> Vec<Vec<Face>> {
    let mut patch = vec![usize::MAX; owner.len()];
    let mut patches: Vec<Vec<Face>> = Vec::new();
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
    patches
}

/// True when the patch `faces` is smaller than [`SLIVER_M2`] and holds none of `homes`.
fn is_sliver(cdt: &Cdt, faces: &[Face], scale: f64, homes: &[LonLat]) -> bool {
    let m2 = |f: Face| area2(&cdt.face(f)) / 2.0 * scale * M_PER_DEG * M_PER_DEG;
    let area: f64 = faces.iter().map(|&f| m2(f)).sum();
    if area >= SLIVER_M2 {
        return false;
    }
    let holds_home = homes.iter().any(|h| {
        faces.iter().any(|&f| {
            let [p, q, r] = cdt.face(f).positions();
            in_triangle([h.lon, h.lat], [p.x, p.y], [q.x, q.y], [r.x, r.y])
        })
    });
    !holds_home
}

/// The owner (`None` = no catchment) the patch `faces` of owner `o` shares the longest
/// boundary with (on a tie the lowest member, no catchment last); `None` when it has no
/// neighbour.
fn longest_neighbour(
    cdt: &Cdt,
    faces: &[Face],
    o: Option<u32>,
    owner: &[Option<u32>],
    scale: f64,
) -> Option<Option<u32>> {
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
    shared
        .iter()
        .max_by(|x, y| {
            x.1.total_cmp(&y.1).then(
                y.0.map_or(u32::MAX, |v| v)
                    .cmp(&x.0.map_or(u32::MAX, |v| v)),
            )
        })
        .map(|s| s.0)
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
