//! Step 4a: ring interiors. Each member's ring is followed through the triangulation edge
//! by edge (its edges may have been split where other edges cross them), and its interior
//! flooded from the faces on its inner side without crossing it: testing face centroids
//! instead fails on needle-thin faces.

use hashbrown::HashSet;

use rayon::prelude::*;
use smallvec::SmallVec;

use spade::Triangulation;
use spade::handles::FixedVertexHandle;

use super::{Cdt, Face};
use crate::geometry::{bbox, signed_area};
use crate::model::LonLat;

/// The members holding one face: one, or two in an overlap, kept inline (a cluster has
/// up to a million faces).
pub(super) type Holders = SmallVec<[u32; 2]>;

/// For every face, the members whose shape holds it: `rings[r]` belongs to member
/// `ring_member[r]` (a member's rings consecutive, members in increasing order), and a
/// face is a member's when an odd number of its rings hold it (an exterior and not a hole
/// in it). Should a ring not be followed to its end, or its flood escape, that member
/// falls back to `held(member)`, the faces it holds by some other test.
pub(super) fn ring_interiors(
    cdt: &Cdt,
    rings: &[Vec<FixedVertexHandle>],
    ring_member: &[u32],
    mut held: impl FnMut(usize) -> Vec<Face>,
) -> Vec<Holders> {
    let mut inside: Vec<Holders> = vec![Holders::new(); cdt.num_all_faces()];
    // Each ring on the worker pool, each thread with its own marks (a re-plan's largest
    // cluster has thousands of rings over a million faces); then in the rings' order.
    let floods: Vec<Option<Vec<Face>>> = rings
        .par_iter()
        .map_init(
            || vec![false; cdt.num_all_faces()],
            |seen, ring| {
                walk(cdt, ring)
                    .and_then(|(walls, seeds, bounds)| flood(cdt, &walls, seeds, bounds, seen))
            },
        )
        .collect();
    let mut floods = floods.as_slice();
    for rings_of in ring_member.chunk_by(|a, b| a == b) {
        let m = rings_of[0];
        let own;
        (own, floods) = floods.split_at(rings_of.len());
        if own.iter().all(Option::is_some) {
            for f in own.iter().flatten().flatten() {
                // This member's rings come last so far: an entry of it is the list's last.
                let list = &mut inside[f.index()];
                if list.last() == Some(&m) {
                    list.pop();
                } else {
                    list.push(m);
                }
            }
        } else {
            for f in held(m as usize) {
                inside[f.index()].push(m);
            }
        }
    }
    inside
}

fn pos(cdt: &Cdt, v: FixedVertexHandle) -> [f64; 2] {
    let p = cdt.vertex(v).position();
    [p.x, p.y]
}

/// What [`walk`] finds along a ring: its walls, its seeds and its box.
type Walked = (HashSet<usize>, Vec<Face>, [f64; 4]);

/// The constrained edges along `ring` (the walls), the faces just inside them (the seeds)
/// and the ring's box `[x min, y min, x max, y max]`, a little widened; `None` when the
/// ring has fewer than three vertices or cannot be followed.
fn walk(cdt: &Cdt, ring: &[FixedVertexHandle]) -> Option<Walked> {
    if ring.len() < 3 {
        return None;
    }
    let pts: Vec<LonLat> = ring
        .iter()
        .map(|&v| {
            let [x, y] = pos(cdt, v);
            LonLat::new(x, y)
        })
        .collect();
    let ccw = signed_area(&pts) >= 0.0;
    let mut bounds = bbox(pts.iter().copied())?;
    // Points where cuts cross the ring's edges lie on them up to rounding.
    let slack = 1e-9 * (bounds[2] - bounds[0]).max(bounds[3] - bounds[1]) + 1e-12;
    bounds = [
        bounds[0] - slack,
        bounds[1] - slack,
        bounds[2] + slack,
        bounds[3] + slack,
    ];
    let mut walls: HashSet<usize> = HashSet::new();
    let mut seeds = Vec::new();
    for (i, &from) in ring.iter().enumerate() {
        let to = ring[(i + 1) % ring.len()];
        if !follow_edge(cdt, [from, to], ccw, &mut walls, &mut seeds) {
            return None;
        }
    }
    Some((walls, seeds, bounds))
}

/// Follows the ring's edge `from → to` piece by piece along constrained edges, adding each
/// piece to `walls` and the face on its inner side (left when `ccw`) to `seeds`; false
/// when the pieces stray from the edge's line or end before `to`.
fn follow_edge(
    cdt: &Cdt,
    [from, to]: [FixedVertexHandle; 2],
    ccw: bool,
    walls: &mut HashSet<usize>,
    seeds: &mut Vec<Face>,
) -> bool {
    let (start, goal) = (pos(cdt, from), pos(cdt, to));
    let line = [goal[0] - start[0], goal[1] - start[1]];
    let line_len = line[0].hypot(line[1]);
    let mut at = from;
    for _ in 0..100_000 {
        if at == to {
            return true;
        }
        let here = pos(cdt, at);
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
                let off =
                    ((t.x - start[0]) * line[1] - (t.y - start[1]) * line[0]).abs() / line_len;
                (ahead > 0.0).then_some((off, e))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let Some((off, e)) = step else { return false };
        if off > 1e-3 * line_len {
            return false;
        }
        walls.insert(e.as_undirected().fix().index());
        let side = if ccw { e.face() } else { e.rev().face() };
        if let Some(f) = side.as_inner() {
            seeds.push(f.fix());
        }
        at = e.to().fix();
    }
    false
}

/// The faces reached from `seeds` without crossing `walls`; `None` when the flood escapes
/// to the outer face or reaches a vertex outside `bounds`, the ring's box (a flood that
/// leaks through a gap in the walls would otherwise cover most of a cluster's million
/// faces before it meets the outer face). `seen` is all false before and after.
fn flood(
    cdt: &Cdt,
    walls: &HashSet<usize>,
    seeds: Vec<Face>,
    bounds: [f64; 4],
    seen: &mut [bool],
) -> Option<Vec<Face>> {
    let mut flooded = Vec::new();
    let mut escaped = false;
    let mut stack = seeds;
    while let Some(f) = stack.pop() {
        if seen[f.index()] {
            continue;
        }
        seen[f.index()] = true;
        flooded.push(f);
        let face = cdt.face(f);
        if face
            .positions()
            .iter()
            .any(|p| p.x < bounds[0] || p.y < bounds[1] || p.x > bounds[2] || p.y > bounds[3])
        {
            escaped = true;
            break;
        }
        for e in face.adjacent_edges() {
            if walls.contains(&e.as_undirected().fix().index()) {
                continue;
            }
            match e.rev().face().as_inner() {
                Some(g) => stack.push(g.fix()),
                None => escaped = true,
            }
        }
        if escaped {
            break;
        }
    }
    for f in &flooded {
        seen[f.index()] = false;
    }
    (!escaped).then_some(flooded)
}
