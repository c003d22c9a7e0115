//! Step 5b: tracing. The boundary of the faces a member owns, followed edge by edge into
//! rings of vertex indices; and a traced ring, once rounded, cut into simple rings where
//! it touches itself.

use spade::Triangulation;
use spade::handles::{FixedFaceHandle, PossiblyOuterTag};

use super::Cdt;
use crate::model::LonLat;

/// For each of the `members` members, the rings of vertex indices around the faces it owns
/// (each boundary edge once, the owned faces on its left), in the order of the faces.
///
/// One pass over the faces for all members: a boundary edge of `m` has a face of `m` on its
/// left, so the edges seen are never another member's, and one `seen` list serves all.
pub(super) fn boundary_rings(
    cdt: &Cdt,
    owner: &[Option<u32>],
    members: usize,
) -> Vec<Vec<Vec<usize>>> {
    let mut seen = vec![false; cdt.num_directed_edges()];
    let mut rings: Vec<Vec<Vec<usize>>> = vec![Vec::new(); members];
    for face in cdt.inner_faces() {
        let Some(m) = owner[face.fix().index()] else {
            continue;
        };
        let own = |f: FixedFaceHandle<PossiblyOuterTag>| owner[f.index()] == Some(m);
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
            rings[m as usize].push(ring);
        }
    }
    rings
}

/// A closed ring of rounded vertices cut into simple closed rings: without consecutive
/// repeats, split at every vertex it passes twice (a hole touching the exterior, or two
/// vertices rounded together), each starting at its smallest vertex; pieces with fewer
/// than three vertices are dropped.
pub(super) fn simple_pieces(points: impl Iterator<Item = LonLat>) -> Vec<Vec<LonLat>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::signed_area;

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
}
