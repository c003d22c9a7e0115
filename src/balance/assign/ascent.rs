//! The ascent: successive shortest paths on the catchment graph, one household at a time,
//! from power-nearest labels to sizes within bounds and the optimality conditions.
//!
//! Each step repairs the worst violation: a catchment that must send a household out
//! pushes one forwards to the sink or to a catchment in need ([`Ascent::push`]); one that
//! must take a household in pulls one, searched backwards from it ([`Ascent::pull`]).
//! After each search the weights rise or fall by the search distances (which keeps every
//! household power-nearest) and the household moves along the path.

use super::arcs::Arcs;
use super::dijkstra::{Entry, Search};
use super::graph::Graph;
use super::problem::{AssignStats, NONE, Problem};
use super::violations::Violations;
use crate::balance::moments::{excess, total_excess};

/// Successive shortest paths from the given labels (power-nearest within `graph` for the
/// given weights) to sizes within bounds and the optimality conditions.
pub(super) fn ascent(
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
    let level = 0.0f64;
    let out = Violations::new(prob, &sizes, power, level);
    let mut run = Ascent {
        prob,
        centers,
        graph,
        power,
        labels,
        excess: total_excess(&sizes, prob.lo, prob.hi),
        sizes,
        level,
        search: Search::new(k + 1),
        out,
    };
    let mut stats = AssignStats::default();
    let budget = 4 * n + 1000;
    // With weighted points the searches can pass households round in circles without
    // getting any catchment within its bounds (tight capacities need exchanges, not
    // transfers): give up when the bounds' total excess has not reached a new low for
    // `patience` searches.
    let patience = 100 + k / 50;
    let (mut lowest, mut since) = (u64::MAX, 0usize);
    loop {
        let Some((source, target)) = run.next_violation() else {
            stats.converged = true;
            break;
        };
        let arcs = arcs.get_or_insert_with(|| Arcs::new(graph, run.labels, k));
        stats.evaluations += 1;
        if stats.evaluations > budget {
            break;
        }
        if prob.wmax > 1 {
            let excess = run.excess;
            if excess < lowest {
                (lowest, since) = (excess, stats.evaluations);
            } else if stats.evaluations - since > patience {
                stats.stalled = true;
                break;
            }
        }
        let moved = if source == sink {
            run.pull(arcs, target)
        } else {
            run.push(arcs, source, target)
        };
        if !moved {
            stats.stuck = true;
            break;
        }
    }
    // Express weights relative to the common level (interior catchments at 0).
    for w in run.power.iter_mut() {
        *w -= run.level;
    }
    stats
}

/// The state of one ascent. Node `k` of the searches is the sink T, whose weight is the
/// common level of catchments strictly inside their bounds.
struct Ascent<'a, 'p> {
    prob: &'a Problem<'p>,
    centers: &'a [[f64; 2]],
    graph: &'a Graph,
    power: &'a mut [f64],
    labels: &'a mut [u32],
    /// Households per catchment.
    sizes: Vec<u64>,
    /// The sink's weight.
    level: f64,
    /// Households above `hi` and below `lo`, summed over the catchments.
    excess: u64,
    search: Search,
    out: Violations,
}

impl Ascent<'_, '_> {
    /// The next violation to repair as `(source, target)`, one of them the sink; `None`
    /// when the optimality conditions hold.
    ///
    /// A catchment above `hi` (or above the common level with more than `lo`) sends a
    /// household out; one below `lo` (or below the level with less than `hi`) pulls one
    /// in. Bound violations first, largest first. The sink can supply a household only
    /// from a catchment at the level with one to spare; when none has, an
    /// over-full-for-its-weight catchment sends one instead.
    fn next_violation(&self) -> Option<(usize, usize)> {
        let sink = self.prob.k;
        match (self.out.worst_over(), self.out.worst_under()) {
            (Some(s), Some(t))
                if self.sizes[s] <= self.prob.hi
                    && self.sizes[t] < self.prob.lo
                    && self.out.suppliers > 0 =>
            {
                Some((sink, t))
            }
            (Some(s), _) => Some((s, sink)),
            (None, Some(t)) => Some((sink, t)),
            (None, None) => None,
        }
    }

    /// A pull: brings `target` one household along the cheapest path found by
    /// [`Ascent::search_back`]; false when there is none.
    fn pull(&mut self, arcs: &mut Arcs<'_>, target: usize) -> bool {
        let Some(origin) = self.search_back(arcs, target) else {
            return false;
        };
        // Potentials: every node settled closer to the target than the origin rises by
        // the difference, which keeps reduced costs non-negative and the path tight.
        let dt = self.search.dist[origin];
        for (v, dv) in self.search.settled_within(dt) {
            self.power[v] += dt - dv;
        }
        // Augment along the path, from the origin to the target.
        let mut u = origin;
        while u != target {
            let (v, i) = self.search.link[u];
            if i != NONE {
                self.move_one(arcs, i, u, v as usize);
            }
            u = v as usize;
        }
        let (prob, power, level) = (self.prob, &*self.power, self.level);
        self.out
            .refresh(prob, &self.search.touched, &self.sizes, power, level);
        true
    }

    /// Searches backwards from `target` for the cheapest way to bring it one household,
    /// from the sink (a catchment at the level with one to spare) or straight from a
    /// catchment that has one too many; returns where the path starts. Searching forwards
    /// from the sink would settle nearly every catchment, since all those at the level are
    /// equally close to it.
    fn search_back(&mut self, arcs: &mut Arcs<'_>, target: usize) -> Option<usize> {
        let (prob, centers, graph) = (self.prob, self.centers, self.graph);
        let sink = prob.k;
        let gives = |j: usize| j != target && j != sink && self.out.is_over(j);
        self.search.start(target);
        while let Some((d, v)) = self.search.next() {
            if v == sink || gives(v) {
                return Some(v);
            }
            // T → v, relaxed from every settled catchment with one to spare so that
            // none rises above the level (which would make it over-full); from the
            // target itself this lifts it to the level without a move.
            if self.sizes[v] > prob.lo {
                let r = (self.level - self.power[v]).max(0.0);
                self.search.relax(sink, d + r, (v as u32, NONE));
            }
            // u → v: u's cheapest household for its arc to v.
            for (t, &u) in graph.nbrs[v].iter().enumerate() {
                let u = u as usize;
                if self.search.done[u] {
                    continue;
                }
                arcs.build(u, prob, centers);
                let back = graph.rev[v][t] as usize;
                if let Some(Entry(e, i)) = arcs.peek(u, back, prob, centers, self.labels) {
                    let r = (e + self.power[u] - self.power[v]).max(0.0);
                    self.search.relax(u, d + r, (v as u32, i));
                }
            }
        }
        None
    }

    /// A push: sends one household out of `source` along the cheapest path found by
    /// [`Ascent::search_forward`]; false when there is none.
    fn push(&mut self, arcs: &mut Arcs<'_>, source: usize, target: usize) -> bool {
        let Some(target) = self.search_forward(arcs, source, target) else {
            return false;
        };
        let sink = self.prob.k;
        // Potentials: every node settled closer than the target moves by its shortfall.
        let dt = self.search.dist[target];
        let level_before = self.level;
        for (v, dv) in self.search.settled_within(dt) {
            if v == sink {
                self.level -= dt - dv;
            } else {
                self.power[v] -= dt - dv;
            }
        }
        // Augment along the path.
        let mut v = target;
        while v != source {
            let (u, i) = self.search.link[v];
            if i != NONE {
                self.move_one(arcs, i, u as usize, v);
            }
            v = u as usize;
        }
        let (prob, power, level) = (self.prob, &*self.power, self.level);
        if level == level_before {
            self.out
                .refresh(prob, &self.search.touched, &self.sizes, power, level);
        } else {
            self.out = Violations::new(prob, &self.sizes, power, level);
        }
        true
    }

    /// Searches forwards from `source` to `target` (the sink: a catchment at the level
    /// with room) or straight to a catchment that needs households; returns where the
    /// path ends.
    fn search_forward(
        &mut self,
        arcs: &mut Arcs<'_>,
        source: usize,
        target: usize,
    ) -> Option<usize> {
        let (prob, centers, graph) = (self.prob, self.centers, self.graph);
        let sink = prob.k;
        // Weights this close to the common level count as on it.
        let tol = prob.eps;
        self.search.start(source);
        while let Some((d, v)) = self.search.next() {
            // From a catchment, a path may also end in any catchment that needs households.
            if v == target || (v != source && v != sink && self.out.is_under(v)) {
                return Some(v);
            }
            let came_with = self.search.link[v].1;
            // a → T: a catchment with room absorbs the household arriving on the path.
            let arriving = if came_with == NONE {
                0
            } else {
                u64::from(prob.weights[came_with as usize])
            };
            if v != source && self.sizes[v] + arriving <= prob.hi {
                if self.power[v] >= self.level - tol {
                    let r = (self.power[v] - self.level).max(0.0);
                    self.search.relax(sink, d + r, (v as u32, NONE));
                } else if prob.wmax > 1 {
                    // With weighted points, a catchment below the level may still have
                    // room for this household though not for the heaviest one (so it is
                    // not in need): the path ends there, as cheap as any path to a
                    // catchment at the level still to be settled. Without this, a heavy
                    // household finds no catchment at the level with room when capacities
                    // are tight, however wide the graph.
                    return Some(v);
                }
            }
            // a → b: move a's cheapest household for that arc.
            arcs.build(v, prob, centers);
            for (t, &b) in graph.nbrs[v].iter().enumerate() {
                let b = b as usize;
                if self.search.done[b] {
                    continue;
                }
                if let Some(Entry(e, i)) = arcs.peek(v, t, prob, centers, self.labels)
                    && came_with != i
                {
                    let r = (e + self.power[v] - self.power[b]).max(0.0);
                    self.search.relax(b, d + r, (v as u32, i));
                }
            }
        }
        None
    }

    /// Moves household `i` from catchment `from` to `to`.
    fn move_one(&mut self, arcs: &mut Arcs<'_>, i: u32, from: usize, to: usize) {
        let w = u64::from(self.prob.weights[i as usize]);
        let (lo, hi) = (self.prob.lo, self.prob.hi);
        let out = |s: u64| excess(s, lo, hi);
        self.excess -= out(self.sizes[from]) + out(self.sizes[to]);
        self.sizes[from] -= w;
        self.sizes[to] += w;
        self.excess += out(self.sizes[from]) + out(self.sizes[to]);
        self.labels[i as usize] = to as u32;
        arcs.depart(from);
        arcs.arrive(i, to, self.prob, self.centers);
    }
}
