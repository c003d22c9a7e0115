//! Step 4b: the owner of every face. A face inside one member's ring is that member's;
//! inside several (an overlap), it goes to the one with the nearest household, judged once
//! per zone of faces that no constrained edge separates, at the zone's largest face.

use rstar::RTree;
use spade::Triangulation;
use spade::handles::FixedVertexHandle;

use super::interiors::ring_interiors;
use super::{Cdt, Face, area2, centroid};
use crate::geometry::dist2;
use crate::model::{LonLat, Shape};

/// Per face, the index in `members` of its owner (`None` for faces of no member).
/// `rings` are the members' rings in `cdt`, `ring_member` the member of each (see
/// [`ring_interiors`]); `scale` that of the cluster's local frame.
pub(super) fn owners(
    cdt: &Cdt,
    rings: &[Vec<FixedVertexHandle>],
    ring_member: &[u32],
    members: &[usize],
    shapes: &[Shape],
    homes: &[Vec<LonLat>],
    scale: f64,
) -> Vec<Option<u32>> {
    // The fallback tests the faces whose centroid lies in a member's box against its
    // shape. A cluster can hold thousands of members and over a million faces, and a
    // hundred members falling back: the centroids are listed once, when first needed,
    // and scanned by box (an R-tree of them cost more to build than all the scans).
    let mut centroids: Option<Vec<(LonLat, Face)>> = None;
    let inside = ring_interiors(cdt, rings, ring_member, |m| {
        let all = centroids.get_or_insert_with(|| {
            cdt.inner_faces()
                .map(|f| (centroid(cdt, f.fix()), f.fix()))
                .collect()
        });
        let shape = &shapes[members[m]];
        let b = shape_box(shape);
        all.iter()
            .filter(|(c, _)| {
                c.lon >= b[0]
                    && c.lat >= b[1]
                    && c.lon <= b[2]
                    && c.lat <= b[3]
                    && shape.contains(*c)
            })
            .map(|&(_, f)| f)
            .collect()
    });
    let (zone, representative) = zones(cdt);
    let mut nearest = Nearest {
        trees: vec![None; members.len()],
        members,
        homes,
        scale,
    };
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
                    zone_choice[z] = nearest.owner(many, centroid(cdt, representative[z]));
                }
                zone_choice[z]
            }
        };
    }
    owner
}

/// The members' households, each member's in an R-tree built when first needed.
struct Nearest<'a> {
    trees: Vec<Option<RTree<[f64; 2]>>>,
    members: &'a [usize],
    homes: &'a [Vec<LonLat>],
    scale: f64,
}

impl Nearest<'_> {
    /// Of the members `many`, the one with the household nearest `at` (the lower index on
    /// a tie).
    fn owner(&mut self, many: &[u32], at: LonLat) -> Option<u32> {
        let scale = self.scale;
        let to_xy = |p: LonLat| [p.lon * scale, p.lat];
        let at = to_xy(at);
        many.iter()
            .map(|&m| {
                let t = self.trees[m as usize].get_or_insert_with(|| {
                    RTree::bulk_load(
                        self.homes[self.members[m as usize]]
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
            .map(|(_, m)| m)
    }
}

/// Faces joined across unconstrained edges: the zone of every face (`usize::MAX` for the
/// outer face) and each zone's largest face.
fn zones(cdt: &Cdt) -> (Vec<usize>, Vec<Face>) {
    let mut zone = vec![usize::MAX; cdt.num_all_faces()];
    let mut best: Vec<(f64, Face)> = Vec::new();
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
            let area = area2(&handle);
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

/// The box `[lon min, lat min, lon max, lat max]` of every ring of `shape`.
fn shape_box(shape: &Shape) -> [f64; 4] {
    shape.rings().flatten().fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |b, p| {
            [
                b[0].min(p.lon),
                b[1].min(p.lat),
                b[2].max(p.lon),
                b[3].max(p.lat),
            ]
        },
    )
}
