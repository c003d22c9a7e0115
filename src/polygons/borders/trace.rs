//! Step 5b: tracing. The boundary of the faces a member owns, followed edge by edge into
//! rings of vertex indices; and a traced ring, once rounded, cut into simple rings where
//! it touches itself.

use spade::Triangulation;
use spade::handles::{FixedFaceHandle, FixedVertexHandle, PossiblyOuterTag};

use super::Cdt;
use super::rounding::on_grid;
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

/// Puts into each traced ring (of `rings`, vertex indices) the vertices that its edges
/// pass through once rounded: a triangle the rounding made flat (its three vertices on
/// one grid line, which [`super::rounding`] allows) can hold a vertex strictly inside
/// the edge it shares with the boundary, and a chain of them can reach a vertex of the
/// same ring far along it. The ring then passes that vertex twice and is split there
/// ([`simple_pieces`]); without it GIS tools read the ring as crossing itself. Found by
/// the re-plan property test of interleaved regions: a spike whose tip the rounding made
/// two vertices, its way back passing exactly through its base; and a ring running down a
/// grid line, around a loop, and back up the same line past where it came down. Both
/// members along an edge insert the same vertices (both faces of the edge are looked
/// at), so their shared boundary stays the same; a ring without such a vertex is
/// unchanged.
pub(super) fn through_flat(cdt: &Cdt, rings: &mut [Vec<Vec<usize>>], rounded: &[LonLat]) {
    let g: Vec<[i64; 2]> = rounded.iter().map(|&p| on_grid(p)).collect();
    for ring in rings.iter_mut().flatten() {
        let n = ring.len();
        let mut out: Vec<usize> = Vec::with_capacity(n);
        for i in 0..n {
            out.push(ring[i]);
            between(cdt, &g, ring[i], ring[(i + 1) % n], &mut out, 0);
        }
        if out.len() > n {
            *ring = out;
        }
    }
}

/// Chains of flat triangles followed by [`through_flat`] at most.
const FLAT_CHAIN: usize = 64;

/// Appends the vertices strictly inside the edge `u → v` (grid positions `g`) that flat
/// triangles on either side of it put there, in order from `u`.
fn between(cdt: &Cdt, g: &[[i64; 2]], u: usize, v: usize, out: &mut Vec<usize>, depth: usize) {
    if depth >= FLAT_CHAIN {
        return;
    }
    let Some(e) = cdt.get_edge_from_neighbors(
        FixedVertexHandle::from_index(u),
        FixedVertexHandle::from_index(v),
    ) else {
        return;
    };
    for side in [e, e.rev()] {
        if side.face().is_outer() {
            continue;
        }
        let w = side.next().to().fix().index();
        if strictly_inside(g[u], g[v], g[w]) {
            between(cdt, g, u, w, out, depth + 1);
            out.push(w);
            between(cdt, g, w, v, out, depth + 1);
            return;
        }
    }
}

/// True when grid point `r` lies exactly on the segment `a → b`, strictly between its
/// ends.
fn strictly_inside(a: [i64; 2], b: [i64; 2], r: [i64; 2]) -> bool {
    let u = [i128::from(b[0] - a[0]), i128::from(b[1] - a[1])];
    let v = [i128::from(r[0] - a[0]), i128::from(r[1] - a[1])];
    let t = u[0] * v[0] + u[1] * v[1];
    u[0] * v[1] == u[1] * v[0] && t > 0 && t < u[0] * u[0] + u[1] * u[1]
}

/// A closed ring of rounded vertices cut into simple closed rings: without consecutive
/// repeats or spikes folding back along their own line (see [`without_spikes`]), split at
/// every vertex it passes twice (a hole touching the exterior, or two vertices rounded
/// together), each starting at its smallest vertex; pieces with fewer than three vertices
/// are dropped.
pub(super) fn simple_pieces(points: impl Iterator<Item = LonLat>) -> Vec<Vec<LonLat>> {
    let mut pieces = Vec::new();
    let mut path: Vec<LonLat> = Vec::new();
    let points = without_spikes(points.collect());
    for p in points
        .into_iter()
        .chain(std::iter::once(LonLat::new(f64::NAN, f64::NAN)))
    {
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
    // A piece split off at a vertex the ring passed twice can fold back at that vertex,
    // where the whole ring did not (…P2 → P3, then P3 → P4 back between them).
    let mut pieces: Vec<Vec<LonLat>> = pieces
        .into_iter()
        .map(without_spikes)
        .filter(|r| r.len() >= 3)
        .collect();
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

/// The closed ring `points` (its last vertex may repeat its first) without consecutive
/// repeats and without spikes: a vertex where the ring turns back along the line it came
/// on. Three vertices rounded onto one grid line can make one (…408 → …407 → …409): its
/// way back passes through the vertex before it, which GIS tools read as the ring
/// crossing itself. Dropping the tip changes no area, and its neighbour's ring, which
/// runs along the same edges, keeps the same area too.
fn without_spikes(mut points: Vec<LonLat>) -> Vec<LonLat> {
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    let mut out: Vec<LonLat> = Vec::with_capacity(points.len());
    for p in points {
        while out.len() >= 2 && folds_back(out[out.len() - 2], out[out.len() - 1], p) {
            out.pop();
        }
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    // Around the ring's start: its last vertex before its first, and its first two.
    loop {
        let n = out.len();
        if n >= 3 && (out[n - 1] == out[0] || folds_back(out[n - 2], out[n - 1], out[0])) {
            out.pop();
        } else if n >= 3 && folds_back(out[n - 1], out[0], out[1]) {
            out.remove(0);
        } else {
            break;
        }
    }
    out
}

/// True when `b` is the tip of a spike: `a → b → c` on one line, `c` back towards `a`
/// (on the 7-decimal grid, exactly).
fn folds_back(a: LonLat, b: LonLat, c: LonLat) -> bool {
    let (a, b, c) = (on_grid(a), on_grid(b), on_grid(c));
    let (u, v) = (
        [i128::from(b[0] - a[0]), i128::from(b[1] - a[1])],
        [i128::from(c[0] - b[0]), i128::from(c[1] - b[1])],
    );
    u[0] * v[1] == u[1] * v[0] && u[0] * v[0] + u[1] * v[1] < 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::signed_area;

    #[test]
    fn a_spike_folding_back_along_its_line_is_dropped() {
        // Found by the re-plan property test of interleaved regions: three vertices
        // rounded onto one grid line, the ring going one unit west and then two east. The
        // tip goes; the vertex left on the straight edge is harmless.
        let g = |x: i64, y: i64| LonLat::new(x as f64 * 1e-7, y as f64 * 1e-7);
        let pts = [
            g(0, 0),
            g(408, 0),
            g(407, 0),
            g(409, 0),
            g(500, 300),
            g(0, 300),
        ];
        let pieces = simple_pieces(pts.into_iter());
        assert_eq!(
            pieces,
            vec![vec![
                g(0, 0),
                g(407, 0),
                g(409, 0),
                g(500, 300),
                g(0, 300),
                g(0, 0)
            ]]
        );
        // A spike near the ring's start (west to (0, 0), back east past where it came
        // from), and one that returns to the vertex before it: both tips go.
        let pts = [
            g(5, 0),
            g(0, 0),
            g(10, 0),
            g(10, 10),
            g(3, 3),
            g(4, 4),
            g(3, 3),
        ];
        let pieces = simple_pieces(pts.into_iter());
        assert_eq!(
            pieces,
            vec![vec![
                g(3, 3),
                g(5, 0),
                g(10, 0),
                g(10, 10),
                g(4, 4),
                g(3, 3)
            ]]
        );
    }

    #[test]
    fn a_vertex_that_rounding_puts_on_a_boundary_edge_joins_the_ring() {
        use spade::{ConstrainedDelaunayTriangulation, Point2};
        // u → v a boundary edge; w 0.3 grid units above it, rounded onto it (a flat
        // triangle u v w); x below. The ring u → v → x passes through w once rounded.
        let unit = 1e-7;
        let mut cdt: Cdt = ConstrainedDelaunayTriangulation::new();
        let mut at = |x: f64, y: f64| {
            cdt.insert(Point2::new(x * unit, y * unit))
                .expect("a finite point")
        };
        let (u, v, w, x) = (at(0.0, 0.0), at(10.0, 0.0), at(5.0, 0.3), at(5.0, -5.0));
        cdt.add_constraint(u, v);
        let mut rounded = vec![LonLat::new(0.0, 0.0); 4];
        for (h, (px, py)) in [(u, (0, 0)), (v, (10, 0)), (w, (5, 0)), (x, (5, -5))] {
            rounded[h.index()] = LonLat::new(f64::from(px) * unit, f64::from(py) * unit);
        }
        let ring = vec![u.index(), v.index(), x.index()];
        let mut rings = vec![vec![ring.clone()]];
        through_flat(&cdt, &mut rings, &rounded);
        assert_eq!(
            rings[0][0],
            vec![u.index(), w.index(), v.index(), x.index()]
        );
        // The neighbour along the same edge, the other way round, gets the same vertex.
        let mut other = vec![vec![vec![v.index(), u.index(), w.index()]]];
        through_flat(&cdt, &mut other, &rounded);
        assert_eq!(
            other[0][0],
            vec![v.index(), w.index(), u.index(), w.index()]
        );
        // Not flat once rounded (w a grid unit above the edge): nothing changes.
        rounded[w.index()] = LonLat::new(5.0 * unit, unit);
        let mut rings = vec![vec![ring.clone()]];
        through_flat(&cdt, &mut rings, &rounded);
        assert_eq!(rings[0][0], ring);
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
}
