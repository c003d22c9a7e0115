//! The size-constrained assignment step: for fixed centers, the optimal transportation of
//! households to catchments with sizes in `[lo, hi]`, expressed as power-diagram weights.
//!
//! Household `i` belongs to the catchment minimising `‖x_i − c_j‖² − w_j`. The weights are
//! the dual prices (potentials) of the transportation problem. They are found by successive
//! shortest paths on the small *catchment graph*, not on the household graph: starting
//! from the plain Voronoi assignment (all weights 0, the unconstrained optimum), each
//! catchment above `hi` sends one household along the cheapest chain of moves
//! `a → b → … → (a catchment with room)`, and each catchment below `lo` pulls one along the
//! cheapest chain from a catchment that can spare one. The cost of moving household `i`
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
//! Only the `m` power-nearest centers of each household are considered (found with a k-d
//! tree over centers lifted to 3-D, `(c_j, sqrt(M − w_j))`, where power distance becomes
//! squared Euclidean distance). A final exact check against all centers re-runs the ascent
//! with fresh candidates if any household's true power-nearest center was not among them,
//! so the result is always an exact power diagram.

use std::num::NonZero;

use kiddo::{ImmutableKdTree, SquaredEuclidean};
use rayon::prelude::*;

/// Candidate centers kept per household.
pub(crate) const CANDIDATES: usize = 7;

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
        Problem {
            points,
            weights,
            k,
            lo,
            hi,
            eps: (scale * scale * 1e-12).max(1e-3),
        }
    }
}

#[inline]
pub(crate) fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    dx * dx + dy * dy
}

/// Power-distance search structure over the current centers.
pub(crate) struct PowerIndex {
    tree: Option<ImmutableKdTree<f64, 3>>,
    lifted: Vec<[f64; 3]>,
}

impl PowerIndex {
    pub(crate) fn new(centers: &[[f64; 2]], power: &[f64]) -> Self {
        let top = power.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lifted: Vec<[f64; 3]> = centers
            .iter()
            .zip(power)
            .map(|(c, &w)| [c[0], c[1], (top - w).max(0.0).sqrt()])
            .collect();
        let tree = if lifted.len() > 16 {
            ImmutableKdTree::new_from_slice(&lifted).ok()
        } else {
            None
        };
        PowerIndex { tree, lifted }
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

/// Finds weights and labels such that labels are the power diagram of `(centers, power)`
/// and every catchment holds between `lo` and `hi` households. A `cold` start begins from
/// the Voronoi diagram (all weights 0) and yields the optimum of the size-constrained
/// problem; a warm start begins from the given weights, which is much faster between
/// nearby centers and still yields a valid power diagram within the bounds.
pub(crate) fn assign(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &mut [f64],
    labels: &mut Vec<u32>,
    cold: bool,
) -> AssignStats {
    let mut stats = AssignStats::default();
    // A warm start that fails falls back to a cold one.
    let starts: &[bool] = if cold { &[true] } else { &[false, true] };
    for &cold in starts {
        if cold {
            power.iter_mut().for_each(|w| *w = 0.0);
        }
        let mut m = CANDIDATES.min(prob.k);
        for _round in 0..8 {
            let round = ascent(prob, centers, power, labels, m);
            stats.evaluations += round.evaluations;
            if round.stuck && m < prob.k {
                // Some catchment could not reach one with room: widen the candidate graph.
                m = (m * 2).min(prob.k);
                continue;
            }
            if !round.converged {
                break;
            }
            if exact_check(prob, centers, power, labels) {
                stats.converged = true;
                return stats;
            }
            // Some household's power-nearest center was not a candidate: retry with
            // candidates recomputed for the current weights.
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

/// True when every household's label is (within `eps`) its power-nearest center among all.
fn exact_check(prob: &Problem<'_>, centers: &[[f64; 2]], power: &[f64], labels: &[u32]) -> bool {
    let index = PowerIndex::new(centers, power);
    prob.points
        .par_iter()
        .zip(labels.par_iter())
        .map_init(Vec::new, |buf, (p, &l)| {
            index.nearest(*p, 1, buf);
            let best = buf[0] as usize;
            let own = dist2(*p, centers[l as usize]) - power[l as usize];
            let alt = dist2(*p, centers[best]) - power[best];
            own <= alt + prob.eps
        })
        .all(|ok| ok)
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

/// Arcs of the catchment graph with, per arc `(a, b)`, a heap of the households in `a`
/// that could move to `b`.
struct Arcs {
    adj: Vec<Vec<(u32, u32)>>,
    heaps: Vec<std::collections::BinaryHeap<Entry>>,
    index: std::collections::HashMap<(u32, u32), u32>,
}

impl Arcs {
    fn push(&mut self, a: u32, b: u32, e: Entry) {
        let next = self.heaps.len() as u32;
        let h = *self.index.entry((a, b)).or_insert(next);
        if h == next {
            self.heaps.push(std::collections::BinaryHeap::new());
            self.adj[a as usize].push((b, h));
        }
        self.heaps[h as usize].push(e);
    }

    /// Cheapest household still in `a` for arc `h`.
    fn peek(&mut self, h: u32, a: u32, labels: &[u32]) -> Option<Entry> {
        let heap = &mut self.heaps[h as usize];
        while let Some(&top) = heap.peek() {
            if labels[top.1 as usize] == a {
                return Some(top);
            }
            heap.pop();
        }
        None
    }
}

const NONE: u32 = u32::MAX;

fn ascent(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &mut [f64],
    labels: &mut Vec<u32>,
    m: usize,
) -> AssignStats {
    let n = prob.points.len();
    let k = prob.k;
    // 1. Candidates: the m power-nearest centers per household; label = the nearest.
    let index = PowerIndex::new(centers, power);
    let mut cand = vec![0u32; n * m];
    cand.par_chunks_mut(m)
        .zip(prob.points.par_iter())
        .for_each_init(Vec::new, |buf, (slot, p)| {
            index.nearest(*p, m, buf);
            slot.copy_from_slice(&buf[..m]);
        });
    labels.clear();
    labels.extend(cand.chunks(m).map(|c| c[0]));
    let mut sizes = vec![0u64; k];
    for (i, &l) in labels.iter().enumerate() {
        sizes[l as usize] += u64::from(prob.weights[i]);
    }
    let key = |i: usize, a: u32, b: u32| {
        let p = prob.points[i];
        dist2(p, centers[b as usize]) - dist2(p, centers[a as usize])
    };
    let mut arcs = Arcs {
        adj: vec![Vec::new(); k],
        heaps: Vec::new(),
        index: std::collections::HashMap::new(),
    };
    for i in 0..n {
        let a = labels[i];
        for &b in &cand[i * m + 1..(i + 1) * m] {
            arcs.push(a, b, Entry(key(i, a, b), i as u32));
        }
    }
    // 2. Successive shortest paths. Node k is the sink T whose weight is the common level
    //    of catchments strictly inside their bounds.
    let sink = k;
    let mut level = 0.0f64;
    let mut dist = vec![f64::INFINITY; k + 1];
    let mut done = vec![false; k + 1];
    let mut pred: Vec<(u32, u32)> = vec![(NONE, NONE); k + 1];
    let mut touched: Vec<usize> = Vec::new();
    let mut stats = AssignStats::default();
    let budget = 4 * n + 1000;
    // Weights this close to the common level count as on it.
    let tol = prob.eps;
    loop {
        // Next violation: a catchment above `hi` (or above the common level with more than
        // `lo`) sends a household out; one below `lo` (or below the level with less than
        // `hi`) pulls one in. Bound violations first, largest first.
        let below = |j: usize| power[j] < level - tol;
        let above = |j: usize| power[j] > level + tol;
        let over = (0..k)
            .filter(|&j| sizes[j] > prob.hi || (above(j) && sizes[j] > prob.lo))
            .max_by_key(|&j| (sizes[j] > prob.hi, sizes[j], std::cmp::Reverse(j)));
        let under = (0..k)
            .filter(|&j| sizes[j] < prob.lo || (below(j) && sizes[j] < prob.hi))
            .min_by_key(|&j| (sizes[j] >= prob.lo, sizes[j], j));
        let (source, mut target) = match (over, under) {
            (Some(s), Some(t)) if sizes[s] <= prob.hi && sizes[t] < prob.lo => (sink, t),
            (Some(s), _) => (s, sink),
            (None, Some(t)) => (sink, t),
            (None, None) => {
                stats.converged = true;
                break;
            }
        };
        // From a catchment, a path may also end in any catchment that needs households.
        let wants: Vec<bool> = if source == sink {
            Vec::new()
        } else {
            (0..k)
                .map(|j| j != source && (sizes[j] < prob.lo || (below(j) && sizes[j] < prob.hi)))
                .collect()
        };
        stats.evaluations += 1;
        if stats.evaluations > budget {
            break;
        }
        for &v in &touched {
            dist[v] = f64::INFINITY;
            done[v] = false;
            pred[v] = (NONE, NONE);
        }
        touched.clear();
        let mut heap = std::collections::BinaryHeap::new();
        dist[source] = 0.0;
        touched.push(source);
        heap.push(Entry(0.0, source as u32));
        let weight_of = |p: u32| {
            if p == NONE {
                0
            } else {
                u64::from(prob.weights[p as usize])
            }
        };
        let mut reached = false;
        while let Some(Entry(d, v)) = heap.pop() {
            let v = v as usize;
            if done[v] || d > dist[v] {
                continue;
            }
            done[v] = true;
            if v == target || wants.get(v).copied().unwrap_or(false) {
                target = v;
                reached = true;
                break;
            }
            let came_with = pred[v].1;
            let mut relax =
                |u: usize,
                 nd: f64,
                 via: (u32, u32),
                 heap: &mut std::collections::BinaryHeap<Entry>| {
                    if !done[u] && nd < dist[u] {
                        if dist[u] == f64::INFINITY {
                            touched.push(u);
                        }
                        dist[u] = nd;
                        pred[u] = via;
                        heap.push(Entry(nd, u as u32));
                    }
                };
            if v == sink {
                // T → a: take a household from a catchment that can spare one.
                for a in 0..k {
                    if sizes[a] > prob.lo && power[a] <= level + tol {
                        let r = (level - power[a]).max(0.0);
                        relax(a, d + r, (sink as u32, NONE), &mut heap);
                    }
                }
                continue;
            }
            // a → T: a catchment with room absorbs the household arriving on the path.
            let arriving = weight_of(came_with);
            if v != source && sizes[v] + arriving <= prob.hi && power[v] >= level - tol {
                let r = (power[v] - level).max(0.0);
                relax(sink, d + r, (v as u32, NONE), &mut heap);
            }
            // a → b: move a's cheapest household for that arc.
            for idx in 0..arcs.adj[v].len() {
                let (b, h) = arcs.adj[v][idx];
                if done[b as usize] {
                    continue;
                }
                if let Some(Entry(e, i)) = arcs.peek(h, v as u32, labels) {
                    if came_with == i {
                        continue;
                    }
                    let r = (e + power[v] - power[b as usize]).max(0.0);
                    relax(b as usize, d + r, (v as u32, i), &mut heap);
                }
            }
        }
        if !reached {
            stats.stuck = true;
            break;
        }
        // Potentials: every node settled closer than the target moves by its shortfall.
        let dt = dist[target];
        for &v in &touched {
            if done[v] && dist[v] < dt {
                let delta = dt - dist[v];
                if v == sink {
                    level -= delta;
                } else {
                    power[v] -= delta;
                }
            }
        }
        // Augment along the path.
        let mut v = target;
        while v != source {
            let (u, i) = pred[v];
            if i != NONE {
                let w = u64::from(prob.weights[i as usize]);
                sizes[u as usize] -= w;
                sizes[v] += w;
                labels[i as usize] = v as u32;
                let iu = i as usize;
                for &b in &cand[iu * m..(iu + 1) * m] {
                    if b as usize != v {
                        arcs.push(v as u32, b, Entry(key(iu, v as u32, b), i));
                    }
                }
            }
            v = u as usize;
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
/// a system of difference constraints. Asking for a geometric margin δ on the bisector of
/// `j` and `l` tightens `c_jl` by `2·δ·‖c_l − c_j‖`; Bellman–Ford finds weights meeting all
/// of them, or shows (a negative cycle) that δ must shrink. The labels never change.
pub(crate) fn widen_margins(
    prob: &Problem<'_>,
    centers: &[[f64; 2]],
    power: &mut [f64],
    labels: &[u32],
    margin_m: f64,
) {
    let k = prob.k;
    if k < 2 {
        return;
    }
    let m = CANDIDATES.min(k);
    let index = PowerIndex::new(centers, power);
    let mut arcs: std::collections::BTreeMap<(u32, u32), f64> = std::collections::BTreeMap::new();
    let mut buf = Vec::new();
    for (i, p) in prob.points.iter().enumerate() {
        let j = labels[i];
        index.nearest(*p, m, &mut buf);
        for &l in &buf {
            if l != j {
                let c = dist2(*p, centers[l as usize]) - dist2(*p, centers[j as usize]);
                let e = arcs.entry((j, l)).or_insert(f64::INFINITY);
                *e = e.min(c);
            }
        }
    }
    let arcs: Vec<(usize, usize, f64, f64)> = arcs
        .into_iter()
        .map(|((j, l), c)| {
            let (j, l) = (j as usize, l as usize);
            let gap = dist2(centers[j], centers[l]).sqrt();
            (j, l, c, 2.0 * gap)
        })
        .collect();
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
        delta /= 2.0;
    }
}
