//! Step 2: clusters. Each overlapping pair joins a cluster with every catchment whose box
//! meets either of the pair's boxes (they may share an edge that the split crosses; within
//! a region's own pass, only the catchments of that region); clusters that share a
//! catchment are merged.

use super::pairs::{BoxTree, envelope};
use super::union_find::UnionFind;

/// The clusters around the overlapping pairs.
pub(super) struct Clusters {
    /// Per cluster, its catchments in increasing order.
    pub(super) members: Vec<Vec<usize>>,
    /// Per cluster, its overlapping pairs.
    pub(super) pairs: Vec<Vec<(usize, usize)>>,
}

impl Clusters {
    /// The clusters of `n` catchments with boxes `boxes` (in `tree`) around `pairs`, a
    /// catchment `o` whose box meets that of a pair's catchment `c` joining when
    /// `joins(c, o)`.
    pub(super) fn new(
        n: usize,
        pairs: &[(usize, usize)],
        boxes: &[Option<[f64; 4]>],
        tree: &BoxTree,
        joins: impl Fn(usize, usize) -> bool,
    ) -> Clusters {
        let mut sets = joined(n, pairs, boxes, tree, joins);
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut slot = vec![usize::MAX; n];
        for i in 0..n {
            let root = sets.find(i);
            if sets.size(root) < 2 {
                continue;
            }
            if slot[root] == usize::MAX {
                slot[root] = members.len();
                members.push(Vec::new());
            }
            members[slot[root]].push(i);
        }
        let mut by_cluster = vec![Vec::new(); members.len()];
        for &(a, b) in pairs {
            by_cluster[slot[sets.find(a)]].push((a, b));
        }
        Clusters {
            members,
            pairs: by_cluster,
        }
    }

    /// Which of `n` catchments belong to a cluster.
    pub(super) fn needed(&self, n: usize) -> Vec<bool> {
        let mut needed = vec![false; n];
        for &c in self.members.iter().flatten() {
            needed[c] = true;
        }
        needed
    }
}

/// The pairs joined, each with every catchment whose box meets one of theirs and that
/// `joins` it.
fn joined(
    n: usize,
    pairs: &[(usize, usize)],
    boxes: &[Option<[f64; 4]>],
    tree: &BoxTree,
    joins: impl Fn(usize, usize) -> bool,
) -> UnionFind {
    let mut sets = UnionFind::new(n);
    for &(a, b) in pairs {
        sets.union(a, b);
        for c in [a, b] {
            if let Some(bx) = boxes[c] {
                for n in tree.locate_in_envelope_intersecting(envelope(bx)) {
                    if joins(c, n.data) {
                        sets.union(c, n.data);
                    }
                }
            }
        }
    }
    sets
}
