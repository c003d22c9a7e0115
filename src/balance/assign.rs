//! The size-constrained assignment step: for fixed centers, the optimal transportation of
//! households to catchments with sizes in `[lo, hi]`, expressed as power-diagram weights.
//!
//! Household `i` belongs to the catchment minimising `‖x_i − c_j‖² − w_j`. The weights are
//! the dual prices (potentials) of the transportation problem. They are found by successive
//! shortest paths on the small *catchment graph*, not on the household graph: starting
//! from the plain Voronoi assignment (all weights 0, the unconstrained optimum), each
//! catchment above `hi` sends one household along the cheapest chain of moves
//! `a → b → … → (a catchment with room)`, and each catchment below `lo` pulls one along the
//! cheapest chain from a catchment that can spare one (searched backwards from the
//! catchment in need, so that only the catchments around it are visited). The cost of moving household `i`
//! from `a` to `b` is its increase in power distance; the cheapest household per arc
//! `(a, b)` comes from a lazily-updated heap keyed by `‖x_i − c_b‖² − ‖x_i − c_a‖²`, which
//! does not depend on the weights. After each Dijkstra search the weights are updated with
//! the search distances, which keeps every household power-nearest (reduced costs stay
//! non-negative). The search stops when the optimality conditions hold: every size within
//! `[lo, hi]`, catchments strictly inside their bounds at a common weight level, those
//! below it full (`hi`) and those above it at `lo`. Together these make the result the
//! optimum of the size-constrained problem (exactly, for unit weights), whether it started
//! cold (all weights 0) or warm from the previous iteration's weights, which is much less
//! work when the centers moved little. A warm start that fails falls back to a cold one.
//!
//! Only some centers are considered for each household: with many households per
//! catchment, the neighbours of its label's power cell (see `adjacency`, one clipping of
//! each cell per check instead of a query per household); with few, its `m`
//! power-nearest centers (found with a k-d tree over centers lifted to 3-D,
//! `(c_j, sqrt(M − w_j))`, where power distance becomes squared Euclidean distance). A
//! final exact check against all centers re-runs the ascent with a fresh graph if any
//! household's true power-nearest center was not among them (a wider one when that
//! keeps happening), so the result is always an exact power diagram.

use std::num::NonZero;

use kiddo::{ImmutableKdTree, SquaredEuclidean};

use super::adjacency::{Adjacency, power_adjacency};
use crate::geometry::dist2;
use rayon::prelude::*;

/// Nearest centers every center is linked to in the catchment graph, besides the
/// neighbours of its power cell.
pub(crate) const CANDIDATES: usize = 7;

/// Households per catchment from which exact assignments use the power cells' neighbours
/// instead of a k-d tree query per household.
const CELLS_ABOVE: usize = 64;

/// Steps along the power cells' neighbours that the catchment graph links.
const RINGS: usize = 1;

/// Outcome of one assignment.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AssignStats {
    /// Every catchment ended within its bounds and the ascent reached a fixed point.
    pub converged: bool,
    /// Shortest-path searches performed.
    pub evaluations: usize,
    /// A search could not reach a catchment with room (the candidate graph is too sparse).
    pub stuck: bool,
}

pub(crate) struct Problem<'a> {
    pub points: &'a [[f64; 2]],
    pub weights: &'a [u32],
    pub k: usize,
    pub lo: u64,
    pub hi: u64,
    pub eps: f64,
    /// The largest point weight (1 for one household per point).
    pub wmax: u64,
    /// Distance in metres within which a center's half-plane counts as touching a cell
    /// (see [`power_adjacency`]); far above rounding noise at this scale.
    pub slack: f64,
    /// Whether exact assignments work with the power cells' neighbours (many households
    /// per catchment) or with k-d tree queries per household (few).
    pub by_cells: bool,
}

impl<'a> Problem<'a> {
    /// A problem whose tolerance `eps` (m²) is far above rounding noise at this scale.
    pub(crate) fn new(
        points: &'a [[f64; 2]],
        weights: &'a [u32],
        k: usize,
        lo: u64,
        hi: u64,
    ) -> Self {
        let scale = points
            .iter()
            .map(|p| p[0].abs().max(p[1].abs()))
            .fold(1.0f64, f64::max);
        let slack = (scale * 1e-6).max(1e-3);
        Problem {
            points,
            weights,
            k,
            lo,
            hi,
            eps: (scale * scale * 1e-12).max(1e-3),
            wmax: weights.iter().copied().max().map_or(1, u64::from),
            slack,
            by_cells: points.len() >= CELLS_ABOVE * k,
        }
    }
}

/// The centers lifted to 3-D, `(c_j, √(M − w_j))` with `M` the largest weight (returned
/// too): the squared distance from `(x, 0)` to a lifted center is its power distance
/// from `x` plus `M`.
pub(crate) fn lift(centers: &[[f64; 2]], power: &[f64]) -> (Vec<[f64; 3]>, f64) {
    let top = power.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lifted = centers
        .iter()
        .zip(power)
        .map(|(c, &w)| [c[0], c[1], (top - w).max(0.0).sqrt()])
        .collect();
    (lifted, top)
}

/// Power-distance search structure over the current centers.
pub(crate) struct PowerIndex {
    tree: Option<ImmutableKdTree<f64, 3>>,
    lifted: Vec<[f64; 3]>,
}

impl PowerIndex {
    pub(crate) fn new(centers: &[[f64; 2]], power: &[f64]) -> Self {
        let (lifted, _) = lift(centers, power);
        let tree = if lifted.len() > 16 {
            ImmutableKdTree::new_from_slice(&lifted).ok()
        } else {
            None
        };
        PowerIndex { tree, lifted }
    }

    /// The power-nearest center of `p`.
    pub(crate) fn nearest_one(&self, p: [f64; 2], buf: &mut Vec<u32>) -> u32 {
        match &self.tree {
            Some(tree) => {
                let q = [p[0], p[1], 0.0];
                let found = tree
                    .query(&q)
                    .nearest_one::<SquaredEuclidean<f64>>()
                    .execute();
                found.item
            }
            None => {
                self.nearest(p, 1, buf);
                buf[0]
            }
        }
    }

    /// The `m` power-nearest centers of `p`, nearest first (ties by index).
    pub(crate) fn nearest(&self, p: [f64; 2], m: usize, out: &mut Vec<u32>) {
        out.clear();
        let q = [p[0], p[1], 0.0];
        match (&self.tree, NonZero::new(m)) {
            (Some(tree), Some(m)) => {
                let found = tree
                    .query(&q)
                    .nearest_n::<SquaredEuclidean<f64>>(m)
                    .execute();
                out.extend(found.iter().map(|r| r.item));
            }
            _ => {
                let mut all: Vec<(f64, u32)> = self
                    .lifted
                    .iter()
                    .enumerate()
                    .map(|(j, c)| {
                        let d = (c[0] - q[0]).powi(2) + (c[1] - q[1]).powi(2) + c[2] * c[2];
                        (d, j as u32)
                    })
                    .collect();
                all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                out.extend(all.iter().take(m).map(|&(_, j)| j));
            }
        }
    }
}

/// The catchment graph: for every catchment, the catchments its households may move to
/// (sorted, without itself, symmetric). Built from the households' power-nearest centers
/// and reused between nearby iterations.
#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    nbrs: Vec<Vec<u32>>,
    /// `rev[a][t]`: the position of `a` among the neighbours of `nbrs[a][t]`, so that the
    /// arc into `a` from that neighbour can be found.
    rev: Vec<Vec<u32>>,
}

impl Graph {
    /// The graph of `m` candidates per household (`cand`, row `i` = household `i`), plus
    /// each center's `m` nearest centers.
    fn from_candidates(centers: &[[f64; 2]], labels: &[u32], cand: &[u32], m: usize) -> Self {
        let mut nbrs: Vec<Vec<u32>> = vec![Vec::new(); centers.len()];
        for (i, &a) in labels.iter().enumerate() {
            for &b in &cand[i * m..(i + 1) * m] {
                join(&mut nbrs, a, b);
            }
        }
        Self::linked(nbrs, centers, m)
    }

    /// The graph of the power cells' neighbours up to `rings` steps away (`adj`), plus
    /// each center's `m` nearest centers.
    fn from_adjacency(centers: &[[f64; 2]], adj: &Adjacency, m: usize, rings: usize) -> Self {
        let nbrs: Vec<Vec<u32>> = (0..centers.len())
            .into_par_iter()
            .map(|a| {
                let mut list = adj.nbrs[a].clone();
                let mut frontier = 0;
                for _ in 1..rings {
                    let end = list.len();
                    for t in frontier..end {
                        for &c in &adj.nbrs[list[t] as usize] {
                            if c as usize != a && !list.contains(&c) {
                                list.push(c);
                            }
                        }
                    }
                    frontier = end;
                }
                list
            })
            .collect();
        Self::linked(nbrs, centers, m)
    }

    /// The graph of the symmetric lists `nbrs`, with each center also linked to its `m`
    /// nearest centers, so that a catchment whose households are far from the others (a
    /// remote start) is still linked to its neighbours.
    fn linked(mut nbrs: Vec<Vec<u32>>, centers: &[[f64; 2]], m: usize) -> Self {
        let k = centers.len();
        let plain = PowerIndex::new(centers, &vec![0.0; k]);
        let mut buf = Vec::new();
        for (a, c) in centers.iter().enumerate() {
            plain.nearest(*c, (m + 1).min(k), &mut buf);
            for &b in &buf {
                join(&mut nbrs, a as u32, b);
            }
        }
        nbrs.par_iter_mut().for_each(|v| v.sort_unstable());
        let rev = nbrs
            .iter()
            .enumerate()
            .map(|(a, nb)| {
                nb.iter()
                    .map(|&b| {
                        let back = nbrs[b as usize].binary_search(&(a as u32));
                        back.expect("invariant: the catchment graph is symmetric") as u32
                    })
                    .collect()
            })
            .collect();
        Graph { nbrs, rev }
    }

    /// True before the first exact assignment.
    pub(crate) fn is_empty(&self) -> bool {
        self.nbrs.is_empty()
    }
}

/// Finds weights and labels such that labels are the power diagram of `(centers, power)`
/// and every catchment holds between `lo` and `hi` households. A `cold` start begins from
/// the Voronoi diagram (all weights 0); a warm one from the given weights, which is much
/// faster between nearby centers. Either way the result meets the optimality conditions,
/// checked against all centers. `graph` receives the catchment graph used.
pub(crate) fn assign(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &mut [f64],
    labels: &mut Vec<u32>,
    cold: bool,
    graph: &mut Graph,
) -> AssignStats {
    let mut stats = AssignStats::default();
    // A warm start first tries the catchment graph it already has.
    if !cold && !graph.is_empty() && labels.len() == prob.points.len() {
        let round = assign_within(prob, centers, power, labels, graph);
        stats.evaluations += round.evaluations;
        if round.converged && exact_check(prob, centers, power, labels) {
            stats.converged = true;
            return stats;
        }
    }
    // A warm start that fails falls back to a cold one.
    let starts: &[bool] = if cold { &[true] } else { &[false, true] };
    for &cold in starts {
        if cold {
            power.iter_mut().for_each(|w| *w = 0.0);
        }
        let mut m = CANDIDATES.min(prob.k);
        let mut rings = RINGS;
        for round_no in 0..8 {
            *graph = candidates(prob, centers, power, labels, m, rings);
            let round = ascent(prob, centers, power, labels, graph);
            stats.evaluations += round.evaluations;
            if round.stuck && !cold {
                // Weights far from this problem's (centers moved a lot): start cold.
                break;
            }
            if round.stuck && m < prob.k {
                // Some catchment could not reach one with room: widen the candidate graph.
                m = (m * 2).min(prob.k);
                rings += 1;
                continue;
            }
            if !round.converged {
                break;
            }
            if exact_check(prob, centers, power, labels) {
                stats.converged = true;
                return stats;
            }
            // Some household's power-nearest center was not a neighbour: retry with
            // candidates recomputed for the current weights, from the second retry on with
            // a wider graph (the weights may keep moving households beyond a narrow one).
            if round_no >= 1 {
                m = (m * 2).min(prob.k);
                rings += 1;
            }
        }
    }
    // Candidates kept missing the true power-nearest center: fall back to the exact power
    // diagram of the current weights (sizes may then be off, which diagnostics report).
    let index = PowerIndex::new(centers, power);
    let mut buf = Vec::new();
    for (i, p) in prob.points.iter().enumerate() {
        index.nearest(*p, 1, &mut buf);
        labels[i] = buf[0];
    }
    stats.converged = false;
    stats
}

/// The assignment restricted to `graph`, warm started from the current labels and
/// weights: exact for that graph, but not checked against all centers. Cheap between
/// nearby iterations (no k-d tree query); `converged` is false when the caller should fall
/// back to [`assign`].
pub(crate) fn assign_within(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &mut [f64],
    labels: &mut [u32],
    graph: &Graph,
) -> AssignStats {
    relabel(prob, centers, power, labels, graph);
    ascent(prob, centers, power, labels, graph)
}

/// The center reached from `start` by moving to the power-nearest of the current
/// center's neighbours (`nbrs`) while one is nearer for `p` (ties to the lower index).
fn walk(p: [f64; 2], start: u32, nbrs: &[Vec<u32>], centers: &[[f64; 2]], power: &[f64]) -> u32 {
    let pd = |j: u32| dist2(p, centers[j as usize]) - power[j as usize];
    let mut best = start;
    let mut bd = pd(best);
    loop {
        let cur = best;
        for &b in &nbrs[cur as usize] {
            let d = pd(b);
            if d < bd || (d == bd && b < best) {
                best = b;
                bd = d;
            }
        }
        if best == cur {
            return best;
        }
    }
}

/// Moves every household to its power-nearest center among its label's neighbours
/// (repeatedly, until no neighbour is nearer).
fn relabel(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &[f64],
    labels: &mut [u32],
    graph: &Graph,
) {
    labels
        .par_iter_mut()
        .zip(prob.points.par_iter())
        .for_each(|(l, p)| {
            *l = walk(*p, *l, &graph.nbrs, centers, power);
        });
}

/// Links `a` and `b` in the neighbour lists (once; lists stay short, tens, so a scan keeps
/// them free of repeats far more cheaply than collecting every pair and sorting them).
fn join(nbrs: &mut [Vec<u32>], a: u32, b: u32) {
    if a != b && !nbrs[a as usize].contains(&b) {
        nbrs[a as usize].push(b);
        nbrs[b as usize].push(a);
    }
}

/// The `m` power-nearest centers of every household, nearest first (row `i` = household
/// `i`).
fn nearest_centers(prob: &Problem<'_>, centers: &[[f64; 2]], power: &[f64], m: usize) -> Vec<u32> {
    let index = PowerIndex::new(centers, power);
    let mut cand = vec![0u32; prob.points.len() * m];
    cand.par_chunks_mut(m)
        .zip(prob.points.par_iter())
        .for_each_init(Vec::new, |buf, (slot, p)| {
            index.nearest(*p, m, buf);
            slot.copy_from_slice(&buf[..m]);
        });
    cand
}

/// The power cells' neighbours for these centers and weights, each cell inside the
/// bounding box of its center and households (by `labels`), widened by a tenth of its
/// size (and twice the slack) so that the households of a neighbour that move in on the
/// next assignment are mostly still inside.
fn adjacency(prob: &Problem<'_>, centers: &[[f64; 2]], power: &[f64], labels: &[u32]) -> Adjacency {
    let mut boxes: Vec<[f64; 4]> = centers.iter().map(|c| [c[0], c[1], c[0], c[1]]).collect();
    for (p, &l) in prob.points.iter().zip(labels) {
        let b = &mut boxes[l as usize];
        *b = [
            b[0].min(p[0]),
            b[1].min(p[1]),
            b[2].max(p[0]),
            b[3].max(p[1]),
        ];
    }
    for b in &mut boxes {
        let m = 0.1 * (b[2] - b[0]).max(b[3] - b[1]) + 2.0 * prob.slack;
        *b = [b[0] - m, b[1] - m, b[2] + m, b[3] + m];
    }
    power_adjacency(centers, power, boxes, prob.slack)
}

/// Labels become the power-nearest centers, by a k-d tree query each.
fn queried_labels(prob: &Problem<'_>, centers: &[[f64; 2]], power: &[f64], labels: &mut Vec<u32>) {
    let index = PowerIndex::new(centers, power);
    labels.clear();
    labels.resize(prob.points.len(), 0);
    labels
        .par_iter_mut()
        .zip(prob.points.par_iter())
        .for_each_init(Vec::new, |buf, (l, p)| *l = index.nearest_one(*p, buf));
}

/// Labels become the power-nearest centers: walked from each household's current label to
/// a power-nearer neighbour while there is one (see [`power_adjacency`]).
fn nearest_labels(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &[f64],
    labels: &mut [u32],
    adj: &Adjacency,
) {
    labels
        .par_iter_mut()
        .zip(prob.points.par_iter())
        .for_each(|(l, p)| {
            let best = walk(*p, *l, &adj.nbrs, centers, power);
            // The walk's answer is exact for a household inside the last cell's box; the
            // k-d tree answers below for the others.
            let b = best as usize;
            *l = if !adj.empty[b] && adj.in_box(b, *p) {
                best
            } else {
                NONE
            };
        });
    if labels.contains(&NONE) {
        let index = PowerIndex::new(centers, power);
        let mut buf = Vec::new();
        for (l, p) in labels.iter_mut().zip(prob.points) {
            if *l == NONE {
                *l = index.nearest_one(*p, &mut buf);
            }
        }
    }
}

/// Labels become the power-nearest centers, and the catchment graph joins each center to
/// its `m` nearest centers and to the centers its households may move to: with many
/// households per catchment, the neighbours of its power cell up to `rings` steps away;
/// with few, the `m` power-nearest centers of each of its households (a k-d tree query
/// per household costs less there than the cells).
fn candidates(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &[f64],
    labels: &mut Vec<u32>,
    m: usize,
    rings: usize,
) -> Graph {
    if !prob.by_cells {
        let cand = nearest_centers(prob, centers, power, m);
        labels.clear();
        labels.extend(cand.chunks(m).map(|c| c[0]));
        return Graph::from_candidates(centers, labels, &cand, m);
    }
    if labels.len() != prob.points.len() {
        queried_labels(prob, centers, power, labels);
    }
    let adj = adjacency(prob, centers, power, labels);
    nearest_labels(prob, centers, power, labels, &adj);
    Graph::from_adjacency(centers, &adj, m, rings)
}

/// The catchment graph of these centers and weights, for the given labels (as
/// [`candidates`], leaving the labels as they are).
pub(crate) fn graph_around(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &[f64],
    labels: &[u32],
) -> Graph {
    let m = CANDIDATES.min(prob.k);
    if !prob.by_cells {
        let cand = nearest_centers(prob, centers, power, m);
        return Graph::from_candidates(centers, labels, &cand, m);
    }
    let adj = adjacency(prob, centers, power, labels);
    Graph::from_adjacency(centers, &adj, m, RINGS)
}

/// True when every household's label is (within `eps`) its power-nearest center among all:
/// no neighbour of its cell is nearer (see [`power_adjacency`]), or, with few households
/// per catchment, none is nearer than the k-d tree's nearest.
fn exact_check(prob: &Problem<'_>, centers: &[[f64; 2]], power: &[f64], labels: &[u32]) -> bool {
    let pd = |p: [f64; 2], j: usize| dist2(p, centers[j]) - power[j];
    if !prob.by_cells {
        let index = PowerIndex::new(centers, power);
        return prob
            .points
            .par_iter()
            .zip(labels.par_iter())
            .map_init(Vec::new, |buf, (p, &l)| {
                let best = index.nearest_one(*p, buf) as usize;
                pd(*p, l as usize) <= pd(*p, best) + prob.eps
            })
            .all(|ok| ok);
    }
    let adj = adjacency(prob, centers, power, labels);
    prob.points
        .par_iter()
        .zip(labels.par_iter())
        .all(|(p, &l)| {
            let l = l as usize;
            let own = pd(*p, l);
            !adj.empty[l]
                && adj.nbrs[l]
                    .iter()
                    .all(|&j| own <= pd(*p, j as usize) + prob.eps)
        })
}

/// A min-heap entry: (key, household).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry(f64, u32);
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
struct Arcs<'g> {
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
    fn new(graph: &'g Graph, labels: &[u32], k: usize) -> Self {
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

    fn build(&mut self, a: usize, prob: &Problem<'_>, centers: &[[f64; 2]]) {
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
    fn arrive(&mut self, i: u32, v: usize, prob: &Problem<'_>, centers: &[[f64; 2]]) {
        if !self.built[v] {
            self.pending[v].push(i);
            return;
        }
        for (arc, &b) in self.arcs[v].iter_mut().zip(&self.graph.nbrs[v]) {
            arc.arrivals.push(Self::key(prob, centers, i, v, b));
        }
    }

    /// Cheapest household still in `a` on its `t`-th arc.
    fn peek(
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
    fn depart(&mut self, u: usize) {
        self.departures[u] = self.departures[u].wrapping_add(1);
        if self.departures[u] == u32::MAX {
            self.departures[u] = 0;
        }
    }
}

const NONE: u32 = u32::MAX;

/// Dijkstra state over the catchments and the sink, reset between searches by undoing only
/// what the last one touched.
struct Search {
    dist: Vec<f64>,
    done: Vec<bool>,
    /// Per node: the node it is linked to on its shortest path (its predecessor for a
    /// forward search, its successor for a backward one) and the household moving along
    /// that arc (`NONE` for arcs to or from the sink).
    link: Vec<(u32, u32)>,
    touched: Vec<usize>,
    heap: std::collections::BinaryHeap<Entry>,
}

impl Search {
    fn new(nodes: usize) -> Self {
        Search {
            dist: vec![f64::INFINITY; nodes],
            done: vec![false; nodes],
            link: vec![(NONE, NONE); nodes],
            touched: Vec::new(),
            heap: std::collections::BinaryHeap::new(),
        }
    }

    /// Clears the previous search and starts one from `from`.
    fn start(&mut self, from: usize) {
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
    fn next(&mut self) -> Option<(f64, usize)> {
        while let Some(Entry(d, v)) = self.heap.pop() {
            let v = v as usize;
            if !self.done[v] && d <= self.dist[v] {
                self.done[v] = true;
                return Some((d, v));
            }
        }
        None
    }

    fn relax(&mut self, u: usize, nd: f64, link: (u32, u32)) {
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
    fn settled_within(&self, limit: f64) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.touched
            .iter()
            .map(|&v| (v, self.dist[v]))
            .filter(move |&(v, d)| self.done[v] && d < limit)
    }
}

/// Moves household `i` from catchment `from` to `to`.
#[allow(clippy::too_many_arguments)]
fn move_one(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    i: u32,
    from: usize,
    to: usize,
    sizes: &mut [u64],
    labels: &mut [u32],
    arcs: &mut Arcs<'_>,
) {
    let w = u64::from(prob.weights[i as usize]);
    sizes[from] -= w;
    sizes[to] += w;
    labels[i as usize] = to as u32;
    arcs.depart(from);
    arcs.arrive(i, to, prob, centers);
}

/// Order of the catchments that must send households out: above `hi` first, then the
/// largest, then the lowest index.
type OverKey = (bool, u64, std::cmp::Reverse<u32>);
/// Order of the catchments that must take households in: below `lo` first, then the
/// smallest, then the lowest index.
type UnderKey = (bool, u64, u32);

/// The catchments out of balance, kept up to date as the searches change sizes and
/// weights (only the catchments a search touched can change), so that picking the next one
/// costs `O(log k)` instead of a scan of all `k`.
struct Violations {
    /// Catchments that must send households out: the last is the next source.
    over: std::collections::BTreeSet<OverKey>,
    /// Catchments that must take households in: the first is the next target.
    under: std::collections::BTreeSet<UnderKey>,
    /// Each catchment's current entries in `over` and `under`, if any.
    keys: Vec<(Option<OverKey>, Option<UnderKey>)>,
    /// Whether each catchment is at (or below) the level with a household to spare.
    supplies: Vec<bool>,
    /// How many are.
    suppliers: usize,
}

impl Violations {
    fn new(prob: &Problem<'_>, sizes: &[u64], power: &[f64], level: f64) -> Self {
        let mut out = Violations {
            over: std::collections::BTreeSet::new(),
            under: std::collections::BTreeSet::new(),
            keys: vec![(None, None); prob.k],
            supplies: vec![false; prob.k],
            suppliers: 0,
        };
        for j in 0..prob.k {
            out.update(prob, j, sizes, power, level);
        }
        out
    }

    /// Re-classifies catchment `j`.
    fn update(&mut self, prob: &Problem<'_>, j: usize, sizes: &[u64], power: &[f64], level: f64) {
        let tol = prob.eps;
        let s = sizes[j];
        // With weighted points a catchment off the level stops once the next point could
        // cross its bound (`wmax` = 1 gives the exact conditions).
        let over = s > prob.hi || (power[j] > level + tol && s >= prob.lo + prob.wmax);
        let under = s < prob.lo || (power[j] < level - tol && s + prob.wmax <= prob.hi);
        let (old_over, old_under) = self.keys[j];
        let new_over = over.then_some((s > prob.hi, s, std::cmp::Reverse(j as u32)));
        let new_under = under.then_some((s >= prob.lo, s, j as u32));
        if new_over != old_over {
            if let Some(key) = old_over {
                self.over.remove(&key);
            }
            if let Some(key) = new_over {
                self.over.insert(key);
            }
        }
        if new_under != old_under {
            if let Some(key) = old_under {
                self.under.remove(&key);
            }
            if let Some(key) = new_under {
                self.under.insert(key);
            }
        }
        self.keys[j] = (new_over, new_under);
        let supplies = s > prob.lo && power[j] <= level + tol;
        if supplies != self.supplies[j] {
            self.supplies[j] = supplies;
            if supplies {
                self.suppliers += 1;
            } else {
                self.suppliers -= 1;
            }
        }
    }

    /// Re-classifies the catchments among `touched` (the sink excluded).
    fn refresh(
        &mut self,
        prob: &Problem<'_>,
        touched: &[usize],
        sizes: &[u64],
        power: &[f64],
        level: f64,
    ) {
        for &j in touched {
            if j < prob.k {
                self.update(prob, j, sizes, power, level);
            }
        }
    }

    fn worst_over(&self) -> Option<usize> {
        self.over
            .last()
            .map(|&(_, _, std::cmp::Reverse(j))| j as usize)
    }

    fn worst_under(&self) -> Option<usize> {
        self.under.first().map(|&(_, _, j)| j as usize)
    }

    fn is_over(&self, j: usize) -> bool {
        self.keys[j].0.is_some()
    }

    fn is_under(&self, j: usize) -> bool {
        self.keys[j].1.is_some()
    }
}

/// Successive shortest paths from the given labels (power-nearest within `graph` for the
/// given weights) to sizes within bounds and the optimality conditions.
fn ascent(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &mut [f64],
    labels: &mut [u32],
    graph: &Graph,
) -> AssignStats {
    let n = prob.points.len();
    let k = prob.k;
    let mut sizes = vec![0u64; k];
    for (i, &l) in labels.iter().enumerate() {
        sizes[l as usize] += u64::from(prob.weights[i]);
    }
    let mut arcs: Option<Arcs<'_>> = None;
    // Node k is the sink T whose weight is the common level of catchments strictly inside
    // their bounds.
    let sink = k;
    let mut level = 0.0f64;
    let mut search = Search::new(k + 1);
    let mut stats = AssignStats::default();
    let budget = 4 * n + 1000;
    // Weights this close to the common level count as on it.
    let tol = prob.eps;
    let mut out = Violations::new(prob, &sizes, power, level);
    loop {
        // Next violation: a catchment above `hi` (or above the common level with more than
        // `lo`) sends a household out; one below `lo` (or below the level with less than
        // `hi`) pulls one in. Bound violations first, largest first. The sink can supply a
        // household only from a catchment at the level with one to spare; when none has,
        // an over-full-for-its-weight catchment sends one instead.
        let (source, mut target) = match (out.worst_over(), out.worst_under()) {
            (Some(s), Some(t))
                if sizes[s] <= prob.hi && sizes[t] < prob.lo && out.suppliers > 0 =>
            {
                (sink, t)
            }
            (Some(s), _) => (s, sink),
            (None, Some(t)) => (sink, t),
            (None, None) => {
                stats.converged = true;
                break;
            }
        };
        let arcs = arcs.get_or_insert_with(|| Arcs::new(graph, labels, k));
        stats.evaluations += 1;
        if stats.evaluations > budget {
            break;
        }
        if source == sink {
            // A pull: search backwards from the target for the cheapest way to bring it
            // one household, from the sink (a catchment at the level with one to spare)
            // or straight from a catchment that has one too many. Searching forwards from
            // the sink would settle nearly every catchment, since all those at the level
            // are equally close to it.
            let gives = |j: usize| j != target && j != sink && out.is_over(j);
            search.start(target);
            let mut origin = None;
            while let Some((d, v)) = search.next() {
                if v == sink || gives(v) {
                    origin = Some(v);
                    break;
                }
                // T → v, relaxed from every settled catchment with one to spare so that
                // none rises above the level (which would make it over-full); from the
                // target itself this lifts it to the level without a move.
                if sizes[v] > prob.lo {
                    let r = (level - power[v]).max(0.0);
                    search.relax(sink, d + r, (v as u32, NONE));
                }
                // u → v: u's cheapest household for its arc to v.
                for (t, &u) in graph.nbrs[v].iter().enumerate() {
                    let u = u as usize;
                    if search.done[u] {
                        continue;
                    }
                    arcs.build(u, prob, centers);
                    let back = graph.rev[v][t] as usize;
                    if let Some(Entry(e, i)) = arcs.peek(u, back, prob, centers, labels) {
                        let r = (e + power[u] - power[v]).max(0.0);
                        search.relax(u, d + r, (v as u32, i));
                    }
                }
            }
            let Some(origin) = origin else {
                stats.stuck = true;
                break;
            };
            // Potentials: every node settled closer to the target than the origin rises by
            // the difference, which keeps reduced costs non-negative and the path tight.
            let dt = search.dist[origin];
            for (v, dv) in search.settled_within(dt) {
                power[v] += dt - dv;
            }
            // Augment along the path, from the origin to the target.
            let mut u = origin;
            while u != target {
                let (v, i) = search.link[u];
                if i != NONE {
                    move_one(prob, centers, i, u, v as usize, &mut sizes, labels, arcs);
                }
                u = v as usize;
            }
            out.refresh(prob, &search.touched, &sizes, power, level);
            continue;
        }
        // A push: search forwards from the source to the sink (a catchment at the level
        // with room) or straight to a catchment that needs households.
        search.start(source);
        let mut reached = false;
        // From a catchment, a path may also end in any catchment that needs households.
        while let Some((d, v)) = search.next() {
            if v == target || (v != source && v != sink && out.is_under(v)) {
                target = v;
                reached = true;
                break;
            }
            let came_with = search.link[v].1;
            // a → T: a catchment with room absorbs the household arriving on the path.
            let arriving = if came_with == NONE {
                0
            } else {
                u64::from(prob.weights[came_with as usize])
            };
            if v != source && sizes[v] + arriving <= prob.hi && power[v] >= level - tol {
                let r = (power[v] - level).max(0.0);
                search.relax(sink, d + r, (v as u32, NONE));
            }
            // a → b: move a's cheapest household for that arc.
            arcs.build(v, prob, centers);
            for (t, &b) in graph.nbrs[v].iter().enumerate() {
                let b = b as usize;
                if search.done[b] {
                    continue;
                }
                if let Some(Entry(e, i)) = arcs.peek(v, t, prob, centers, labels)
                    && came_with != i
                {
                    let r = (e + power[v] - power[b]).max(0.0);
                    search.relax(b, d + r, (v as u32, i));
                }
            }
        }
        if !reached {
            stats.stuck = true;
            break;
        }
        // Potentials: every node settled closer than the target moves by its shortfall.
        let dt = search.dist[target];
        let level_before = level;
        for (v, dv) in search.settled_within(dt) {
            if v == sink {
                level -= dt - dv;
            } else {
                power[v] -= dt - dv;
            }
        }
        // Augment along the path.
        let mut v = target;
        while v != source {
            let (u, i) = search.link[v];
            if i != NONE {
                move_one(prob, centers, i, u as usize, v, &mut sizes, labels, arcs);
            }
            v = u as usize;
        }
        if level == level_before {
            out.refresh(prob, &search.touched, &sizes, power, level);
        } else {
            out = Violations::new(prob, &sizes, power, level);
        }
    }
    // Express weights relative to the common level (interior catchments at 0).
    for w in power.iter_mut() {
        *w -= level;
    }
    stats
}

/// Moves the power weights inside the set of weights that produce `labels`, so that every
/// household lies at least `margin_m` metres inside its own cell wherever that is possible
/// (households sharing a location with another catchment's household stay on the edge).
///
/// The labels are power-nearest for `w` exactly when `w_l − w_j ≤ c_jl` for every pair,
/// where `c_jl` is the smallest `‖x_i − c_l‖² − ‖x_i − c_j‖²` over households `i` of `j`:
/// a system of difference constraints over the arcs of `graph` (the final check covers
/// all pairs). Asking for a geometric margin δ on the bisector of `j` and `l` tightens
/// `c_jl` by `2·δ·‖c_l − c_j‖`; Bellman–Ford finds weights meeting all of them, or shows
/// (a negative cycle) that δ must shrink. The labels never change.
pub(crate) fn widen_margins(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &mut [f64],
    labels: &[u32],
    graph: &Graph,
    margin_m: f64,
) {
    let k = prob.k;
    if k < 2 || graph.is_empty() {
        return;
    }
    let mut tight: Vec<Vec<f64>> = graph
        .nbrs
        .iter()
        .map(|nb| vec![f64::INFINITY; nb.len()])
        .collect();
    for (i, p) in prob.points.iter().enumerate() {
        let j = labels[i] as usize;
        let dj = dist2(*p, centers[j]);
        for (t, &l) in graph.nbrs[j].iter().enumerate() {
            let c = dist2(*p, centers[l as usize]) - dj;
            if c < tight[j][t] {
                tight[j][t] = c;
            }
        }
    }
    let mut arcs: Vec<(usize, usize, f64, f64)> = Vec::new();
    for (j, nb) in graph.nbrs.iter().enumerate() {
        for (t, &l) in nb.iter().enumerate() {
            if tight[j][t].is_finite() {
                let l = l as usize;
                arcs.push((
                    j,
                    l,
                    tight[j][t],
                    2.0 * dist2(centers[j], centers[l]).sqrt(),
                ));
            }
        }
    }
    let mut delta = margin_m;
    while delta >= margin_m / 64.0 {
        // w_l ≤ w_j + c_jl − 2·δ·gap, from w = current weights as the starting bound.
        let mut w: Vec<f64> = power.to_vec();
        let mut feasible = false;
        for _ in 0..=k {
            let mut changed = false;
            for &(j, l, c, g) in &arcs {
                let bound = w[j] + c - delta * g;
                if w[l] > bound {
                    w[l] = bound;
                    changed = true;
                }
            }
            if !changed {
                feasible = true;
                break;
            }
        }
        if feasible {
            let before = power.to_vec();
            power.copy_from_slice(&w);
            if exact_check(prob, centers, power, labels) {
                return;
            }
            power.copy_from_slice(&before);
        }
        // Shrink slowly while the margin still exceeds the 7-decimal rounding of the
        // polygons (under 8 mm), then halve.
        delta *= if delta > 0.008 { 0.75 } else { 0.5 };
    }
}
