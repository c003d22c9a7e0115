//! Dijkstra's search over the catchments and the sink, and the min-heap entry it (and the
//! arcs' shortlists) order by.

use super::problem::NONE;

/// A min-heap entry: (key, household or node).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Entry(pub(super) f64, pub(super) u32);
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Reversed for a min-heap; ties by household index for determinism.
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// Dijkstra state over the catchments and the sink, reset between searches by undoing only
/// what the last one touched.
pub(super) struct Search {
    pub(super) dist: Vec<f64>,
    pub(super) done: Vec<bool>,
    /// Per node: the node it is linked to on its shortest path (its predecessor for a
    /// forward search, its successor for a backward one) and the household moving along
    /// that arc (`NONE` for arcs to or from the sink).
    pub(super) link: Vec<(u32, u32)>,
    pub(super) touched: Vec<usize>,
    heap: std::collections::BinaryHeap<Entry>,
}

impl Search {
    pub(super) fn new(nodes: usize) -> Self {
        Search {
            dist: vec![f64::INFINITY; nodes],
            done: vec![false; nodes],
            link: vec![(NONE, NONE); nodes],
            touched: Vec::new(),
            heap: std::collections::BinaryHeap::new(),
        }
    }

    /// Clears the previous search and starts one from `from`.
    pub(super) fn start(&mut self, from: usize) {
        for &v in &self.touched {
            self.dist[v] = f64::INFINITY;
            self.done[v] = false;
            self.link[v] = (NONE, NONE);
        }
        self.touched.clear();
        self.heap.clear();
        self.dist[from] = 0.0;
        self.touched.push(from);
        self.heap.push(Entry(0.0, from as u32));
    }

    /// The nearest node not yet settled, now settled, with its distance.
    pub(super) fn next(&mut self) -> Option<(f64, usize)> {
        while let Some(Entry(d, v)) = self.heap.pop() {
            let v = v as usize;
            if !self.done[v] && d <= self.dist[v] {
                self.done[v] = true;
                return Some((d, v));
            }
        }
        None
    }

    pub(super) fn relax(&mut self, u: usize, nd: f64, link: (u32, u32)) {
        if !self.done[u] && nd < self.dist[u] {
            if self.dist[u] == f64::INFINITY {
                self.touched.push(u);
            }
            self.dist[u] = nd;
            self.link[u] = link;
            self.heap.push(Entry(nd, u as u32));
        }
    }

    /// Settled nodes closer than `limit`, with their distances.
    pub(super) fn settled_within(&self, limit: f64) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.touched
            .iter()
            .map(|&v| (v, self.dist[v]))
            .filter(move |&(v, d)| self.done[v] && d < limit)
    }
}
