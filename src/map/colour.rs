//! Colours: the palette and inks, and the neighbour colouring that keeps catchments which
//! look as if they touch from sharing a fill.

use std::collections::BTreeSet;

use geo::{Distance, Euclidean};
use rayon::prelude::*;
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle as Envelope};

use crate::geometry;

/// Catchment fills: light qualitative colours (after ColorBrewer Paired/Set3, without reds,
/// which are kept for gaps), dark symbols stay readable on every one of them.
pub(crate) const PALETTE: [&str; 8] = [
    "#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6", "#ffed9e", "#8dd3c7", "#f6c6de", "#d9cfb8",
];
pub(crate) const GAP_RED: &str = "#c1121f";
/// Outline of a re-plan's new catchments (dashed) and of those to re-tender (dotted).
pub(crate) const CHANGE_INK: &str = "#3a0ca3";
/// A re-plan's existing centers (squares).
pub(crate) const EXISTING_BLUE: &str = "#08306b";
pub(crate) const SITE_BLUE: &str = "#1d3557";
pub(crate) const INK: &str = "#1f2933";
pub(super) const MUTED: &str = "#616e7c";

/// Catchments whose outlines come closer than this many pixels are neighbours for the
/// colouring: on the picture they look as if they touch.
pub(super) const NEIGHBOUR_TOLERANCE_PX: f64 = 0.5;

/// Neighbour lists (sorted) of polygons that touch, overlap or come within `tolerance` of
/// each other: candidates from an R-tree over their bounding boxes, then the exact distance
/// between the two polygons. About O(k log k) for a plan's catchments.
pub(super) fn neighbours(rings: &[Vec<[f64; 2]>], tolerance: f64) -> Vec<Vec<u32>> {
    let polygons: Vec<geo::Polygon<f64>> = rings
        .iter()
        .map(|r| {
            geo::Polygon::new(
                geo::LineString::from(r.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>()),
                vec![],
            )
        })
        .collect();
    let boxes: Vec<Option<[f64; 4]>> = rings
        .iter()
        .map(|r| geometry::bbox(r.iter().copied()))
        .collect();
    let tree = RTree::bulk_load(
        boxes
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                b.map(|[x0, y0, x1, y1]| {
                    GeomWithData::new(Envelope::from_corners([x0, y0], [x1, y1]), i as u32)
                })
            })
            .collect::<Vec<_>>(),
    );
    // The pairs (i, j), i < j, found from each polygon in parallel.
    let pairs: Vec<Vec<u32>> = boxes
        .par_iter()
        .enumerate()
        .map(|(i, b)| {
            let Some([x0, y0, x1, y1]) = *b else {
                return Vec::new();
            };
            let query = AABB::from_corners(
                [x0 - tolerance, y0 - tolerance],
                [x1 + tolerance, y1 + tolerance],
            );
            tree.locate_in_envelope_intersecting(query)
                .map(|cand| cand.data as usize)
                .filter(|&j| j > i && Euclidean.distance(&polygons[i], &polygons[j]) <= tolerance)
                .map(|j| j as u32)
                .collect()
        })
        .collect();
    let mut lists = vec![Vec::new(); rings.len()];
    for (i, found) in pairs.into_iter().enumerate() {
        for j in found {
            lists[i].push(j);
            lists[j as usize].push(i as u32);
        }
    }
    for l in &mut lists {
        l.sort_unstable();
    }
    lists
}

/// A colour index per vertex such that neighbours differ whenever `colours` suffice: greedy
/// colouring in smallest-last (degeneracy) order, which needs at most one colour more than
/// the graph's degeneracy (at most 6 for a planar map); among the free colours the least
/// used so far, so the palette is spread evenly. Deterministic; O((V + E) log V).
pub(super) fn colour(neighbours: &[Vec<u32>], colours: usize) -> Vec<usize> {
    let n = neighbours.len();
    let mut colour = vec![usize::MAX; n];
    let mut used = vec![0usize; colours];
    let mut clashes = vec![0usize; colours];
    for &v in smallest_last(neighbours).iter().rev() {
        clashes.iter_mut().for_each(|c| *c = 0);
        for &w in &neighbours[v] {
            if let Some(c) = clashes.get_mut(colour[w as usize]) {
                *c += 1;
            }
        }
        let c = (0..colours)
            .min_by_key(|&c| (clashes[c], used[c], c))
            .unwrap_or(0);
        colour[v] = c;
        used[c] += 1;
    }
    colour
}

/// The vertices in the order they are removed when each time the one of least remaining
/// degree goes (ties by index).
fn smallest_last(neighbours: &[Vec<u32>]) -> Vec<usize> {
    let n = neighbours.len();
    let mut degree: Vec<usize> = neighbours.iter().map(Vec::len).collect();
    let mut queue: BTreeSet<(usize, usize)> = (0..n).map(|v| (degree[v], v)).collect();
    let mut removed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while let Some((_, v)) = queue.pop_first() {
        removed[v] = true;
        order.push(v);
        for &w in &neighbours[v] {
            let w = w as usize;
            if !removed[w] {
                queue.remove(&(degree[w], w));
                degree[w] -= 1;
                queue.insert((degree[w], w));
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colouring_is_proper_on_dense_graphs_and_spreads_the_palette() {
        // A triangulated grid (degeneracy 3): greedy smallest-last needs at most 4 colours.
        let (w, h) = (30usize, 20usize);
        let mut adj = vec![Vec::new(); w * h];
        let mut link = |a: usize, b: usize| {
            adj[a].push(b as u32);
            adj[b].push(a as u32);
        };
        for y in 0..h {
            for x in 0..w {
                let v = y * w + x;
                if x + 1 < w {
                    link(v, v + 1);
                }
                if y + 1 < h {
                    link(v, v + w);
                    if x + 1 < w {
                        link(v, v + w + 1);
                    }
                }
            }
        }
        let colours = colour(&adj, PALETTE.len());
        for (v, list) in adj.iter().enumerate() {
            for &u in list {
                assert_ne!(colours[v], colours[u as usize]);
            }
        }
        let mut used = [0usize; PALETTE.len()];
        colours.iter().for_each(|&c| used[c] += 1);
        assert!(used.iter().all(|&n| n > 0), "{used:?}");
        assert_eq!(colours, colour(&adj, PALETTE.len()));
        // A complete graph larger than the palette still gets a colour each.
        let k = PALETTE.len() + 2;
        let complete: Vec<Vec<u32>> = (0..k)
            .map(|v| (0..k).filter(|&u| u != v).map(|u| u as u32).collect())
            .collect();
        assert!(
            colour(&complete, PALETTE.len())
                .iter()
                .all(|&c| c < PALETTE.len())
        );
    }
}
