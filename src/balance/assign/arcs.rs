//! The arcs of the catchment graph: for each arc `(a, b)`, the households of `a` that are
//! cheapest to move to `b`, kept up to date as households move.

use super::dijkstra::Entry;
use super::graph::Graph;
use super::problem::Problem;
use crate::geometry::dist2;

/// Households of catchment `a` that could move to neighbour `b`, cheapest first, keyed by
/// `‖x_i − c_b‖² − ‖x_i − c_a‖²` (independent of the weights).
#[derive(Default)]
struct Arc {
    /// False until the shortlist is first needed (a backward search needs only one arc of
    /// each catchment it reaches, so the others are never filled).
    filled: bool,
    /// The `SHORTLIST` cheapest of the catchment's households when filled, ascending.
    best: Vec<Entry>,
    cursor: usize,
    /// False when `best` was cut short (rebuilt once used up).
    complete: bool,
    /// Households that arrived later.
    arrivals: std::collections::BinaryHeap<Entry>,
    /// The catchment's departure count when the heads of `best` and `arrivals` were last
    /// checked: while it is unchanged, both heads are still in the catchment.
    checked: u32,
}

/// Length of an arc's shortlist.
const SHORTLIST: usize = 12;

/// The arcs of the catchment graph. A catchment's arcs are set up the first time a
/// search reaches it and each arc's shortlist is filled the first time it is read; each
/// keeps only a short list of its cheapest households, so a warm start that needs few
/// moves touches little.
pub(super) struct Arcs<'g> {
    graph: &'g Graph,
    /// Households by label at the start of the ascent (CSR: `start[a]..start[a + 1]`).
    start: Vec<usize>,
    members: Vec<u32>,
    /// Households that arrived in a catchment whose arcs are not built yet.
    pending: Vec<Vec<u32>>,
    built: Vec<bool>,
    /// Per catchment, one arc per neighbour (aligned with `graph.nbrs[a]`).
    arcs: Vec<Vec<Arc>>,
    /// Households that left each catchment so far.
    departures: Vec<u32>,
    scratch: Vec<Entry>,
}

fn by_key(x: &Entry, y: &Entry) -> std::cmp::Ordering {
    x.0.total_cmp(&y.0).then(x.1.cmp(&y.1))
}

impl<'g> Arcs<'g> {
    pub(super) fn new(graph: &'g Graph, labels: &[u32], k: usize) -> Self {
        let mut start = vec![0usize; k + 1];
        for &l in labels {
            start[l as usize + 1] += 1;
        }
        for a in 0..k {
            start[a + 1] += start[a];
        }
        let mut fill = start.clone();
        let mut members = vec![0u32; labels.len()];
        for (i, &l) in labels.iter().enumerate() {
            members[fill[l as usize]] = i as u32;
            fill[l as usize] += 1;
        }
        Arcs {
            graph,
            start,
            members,
            pending: vec![Vec::new(); k],
            built: vec![false; k],
            arcs: (0..k).map(|_| Vec::new()).collect(),
            departures: vec![0; k],
            scratch: Vec::new(),
        }
    }

    fn key(prob: &Problem<'_>, centers: &[[f64; 2]], i: u32, a: usize, b: u32) -> Entry {
        let p = prob.points[i as usize];
        Entry(dist2(p, centers[b as usize]) - dist2(p, centers[a]), i)
    }

    /// (Re)builds the shortlist of arc `t` of catchment `a` from its original members.
    fn fill(
        &mut self,
        a: usize,
        t: usize,
        prob: &Problem<'_>,
        centers: &[[f64; 2]],
        labels: &[u32],
    ) {
        let b = self.graph.nbrs[a][t];
        self.scratch.clear();
        for &i in &self.members[self.start[a]..self.start[a + 1]] {
            if labels[i as usize] as usize == a {
                self.scratch.push(Self::key(prob, centers, i, a, b));
            }
        }
        let complete = self.scratch.len() <= SHORTLIST;
        if !complete {
            self.scratch.select_nth_unstable_by(SHORTLIST, by_key);
            self.scratch.truncate(SHORTLIST);
        }
        self.scratch.sort_unstable_by(by_key);
        let arc = &mut self.arcs[a][t];
        arc.filled = true;
        arc.best.clear();
        arc.best.extend_from_slice(&self.scratch);
        arc.cursor = 0;
        arc.complete = complete;
        arc.checked = u32::MAX;
    }

    pub(super) fn build(&mut self, a: usize, prob: &Problem<'_>, centers: &[[f64; 2]]) {
        if self.built[a] {
            return;
        }
        let nb = self.graph.nbrs[a].len();
        self.arcs[a] = (0..nb).map(|_| Arc::default()).collect();
        self.built[a] = true;
        for i in std::mem::take(&mut self.pending[a]) {
            self.arrive(i, a, prob, centers);
        }
    }

    /// Household `i` has moved into catchment `v`.
    pub(super) fn arrive(&mut self, i: u32, v: usize, prob: &Problem<'_>, centers: &[[f64; 2]]) {
        if !self.built[v] {
            self.pending[v].push(i);
            return;
        }
        for (arc, &b) in self.arcs[v].iter_mut().zip(&self.graph.nbrs[v]) {
            arc.arrivals.push(Self::key(prob, centers, i, v, b));
        }
    }

    /// Cheapest household still in `a` on its `t`-th arc.
    pub(super) fn peek(
        &mut self,
        a: usize,
        t: usize,
        prob: &Problem<'_>,
        centers: &[[f64; 2]],
        labels: &[u32],
    ) -> Option<Entry> {
        if !self.arcs[a][t].filled {
            self.fill(a, t, prob, centers, labels);
        }
        loop {
            let departed = self.departures[a];
            let arc = &mut self.arcs[a][t];
            if arc.checked == departed {
                let listed = arc.best.get(arc.cursor).copied();
                let arrived = arc.arrivals.peek().copied();
                return match (listed, arrived) {
                    (Some(x), Some(y)) => Some(if by_key(&x, &y).is_le() { x } else { y }),
                    (x, y) => x.or(y),
                };
            }
            while arc.cursor < arc.best.len()
                && labels[arc.best[arc.cursor].1 as usize] as usize != a
            {
                arc.cursor += 1;
            }
            while let Some(top) = arc.arrivals.peek() {
                if labels[top.1 as usize] as usize == a {
                    break;
                }
                arc.arrivals.pop();
            }
            if arc.cursor == arc.best.len() && !arc.complete {
                self.fill(a, t, prob, centers, labels);
                let arc = &mut self.arcs[a][t];
                if arc.best.is_empty() {
                    arc.complete = true;
                }
                continue;
            }
            arc.checked = departed;
        }
    }

    /// Household `i` has left catchment `u`.
    pub(super) fn depart(&mut self, u: usize) {
        self.departures[u] = self.departures[u].wrapping_add(1);
        if self.departures[u] == u32::MAX {
            self.departures[u] = 0;
        }
    }
}
