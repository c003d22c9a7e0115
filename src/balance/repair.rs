//! The successive-shortest-path repair of a labelling under size bounds, for any cost of a
//! household in a catchment (re-planning's sticky cost, the travel objective's distance).
//!
//! Every household starts in its best catchment under prices `y` (reduced costs
//! `cost(i, j) − y_j` non-negative against its current one). An over-full catchment then
//! sends a household along the cheapest chain of moves (Dijkstra over reduced costs on the
//! catchment graph) to a catchment with room, an under-full one pulls one from the nearest
//! catchment that can spare one; after each search the prices move by the search
//! distances, so every household stays best off among the arcs searched.
//!
//! # Cost
//! Each repair is a Dijkstra search over the few catchments around a violation, with the
//! cheapest household per arc from a heap built when a search first needs that arc (a
//! search backwards needs one arc of each catchment it reaches; each household's cost
//! where it is computed once per catchment): `O(log n)` per household per arc. The number
//! of searches is about the number of households that must move.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// What a household costs in a catchment, and the problem's weights and bounds.
pub(super) trait Costs {
    /// Households per point.
    fn weights(&self) -> &[u32];
    /// The smallest and largest allowed catchment size.
    fn bounds(&self) -> (u64, u64);
    /// The cost of point `i` in catchment `j` whose generators are `g` (per household).
    fn cost(&self, i: usize, j: usize, g: &[[f64; 2]]) -> f64;
    /// Whether a catchment's price is a capacity's dual: a catchment priced down must be
    /// full and one priced up at its lower bound. Then a search ends where the move costs
    /// least including the end's price (a catchment priced down that can spare a household
    /// costs its price more), which keeps the repair a true successive-shortest-path
    /// method. Default: false (re-planning's fitted prices carry no such meaning).
    fn priced_ends(&self) -> bool {
        false
    }
}

/// Prices within this of 0 (m, or the cost's unit) count as 0 when the repair reads what a
/// price says of its catchment's size: the rounding of the price updates leaves such
/// crumbs on catchments whose price came back to 0.
const ZERO_PRICE: f64 = 1e-6;

/// The sign of a price, up to [`ZERO_PRICE`].
fn sign(y: f64) -> i8 {
    if y > ZERO_PRICE {
        1
    } else if y < -ZERO_PRICE {
        -1
    } else {
        0
    }
}

/// A household to move along an arc, keyed by its cost increase (min-heap order).
#[derive(Clone, Copy)]
struct Entry(f64, u32);

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// The successive-shortest-path repair of one labelling (step 4).
pub(super) struct Repair<'p, C: Costs> {
    prob: &'p C,
    g: &'p [[f64; 2]],
    graph: &'p [Vec<u32>],
    sizes: Vec<u64>,
    /// Households per catchment (may hold some that left since; filtered when used).
    members: Vec<Vec<u32>>,
    /// Per catchment, once one of its arcs is needed: its members' cost where they are
    /// (the first `own.len()` of `members`), and per graph neighbour, once needed, a heap
    /// of its households keyed by the cost of moving them there.
    arcs: Vec<Option<Arcs>>,
    /// Catchments whose violation no search could repair.
    stuck: Vec<bool>,
    /// Whether sizes are read against the prices (see [`Repair::excess`]): with priced
    /// ends and one household per point, where every catchment can reach its bound
    /// exactly.
    slack: bool,
}

/// The arcs out of one catchment (see [`Repair::arcs`]). A search backwards needs one arc
/// of each catchment it reaches, a search forward every arc of each it settles: each heap
/// is built when first needed.
struct Arcs {
    own: Vec<f64>,
    heaps: Vec<Option<BinaryHeap<Entry>>>,
}

/// What a search found: the settled catchments with their distances, the end reached, and
/// per catchment the arc it was reached by (catchment, household).
struct Found {
    settled: Vec<(usize, f64)>,
    end: usize,
    /// The cost of the path to the end, its price included with [`Costs::priced_ends`].
    end_d: f64,
    /// What ending there cost beyond the path: the end's price, brought back to 0.
    end_price: f64,
    link: Vec<(u32, u32)>,
}

impl<'p, C: Costs> Repair<'p, C> {
    pub(super) fn new(
        prob: &'p C,
        g: &'p [[f64; 2]],
        graph: &'p [Vec<u32>],
        labels: &[u32],
        k: usize,
    ) -> Self {
        let mut sizes = vec![0u64; k];
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); k];
        for (i, (&l, &w)) in labels.iter().zip(prob.weights()).enumerate() {
            sizes[l as usize] += u64::from(w);
            members[l as usize].push(i as u32);
        }
        let slack = prob.priced_ends() && prob.weights().iter().all(|&w| w == 1);
        Repair {
            prob,
            g,
            graph,
            sizes,
            members,
            arcs: (0..k).map(|_| None).collect(),
            stuck: vec![false; k],
            slack,
        }
    }

    /// How many households catchment `j` holds beyond (positive) or short of (negative)
    /// what its bounds allow. With [`Repair::slack`], what its price allows: a catchment
    /// priced up must be at its lower bound, one priced down at its upper bound, one at
    /// price 0 anywhere within the bounds. Prices from 0 keep that by themselves; prices
    /// carried over from other centers (a warm start) need not, and then a search may end
    /// where it starts, bringing the price back to 0.
    fn excess(&self, j: usize, y: &[f64]) -> i64 {
        let (lo, hi) = self.prob.bounds();
        let s = self.sizes[j] as i64;
        let (lo, hi) = (lo as i64, hi as i64);
        match (self.slack, sign(y[j])) {
            (true, 1) => s - lo,
            (true, -1) => s - hi,
            _ => (s - hi).max(0) + (s - lo).min(0),
        }
    }

    /// Repairs every violation it can; `y` and `labels` are updated in place.
    pub(super) fn run(&mut self, y: &mut [f64], labels: &mut [u32]) {
        let k = self.sizes.len();
        let cap = 4 * labels.len() + 64 * k;
        // With weighted points, searches can pass households round in circles when the
        // capacities need exchanges (see `pack`): stop when the bounds' total excess has
        // not reached a new low for as many searches as the exact assignment waits.
        let weighted = self.prob.weights().iter().any(|&w| w > 1);
        let patience = 100 + k / 50;
        let (mut lowest, mut since) = (u64::MAX, 0usize);
        for step in 0..cap {
            if weighted {
                let (lo, hi) = self.prob.bounds();
                let excess = super::moments::total_excess(&self.sizes, lo, hi);
                if excess < lowest {
                    (lowest, since) = (excess, step);
                } else if step - since > patience {
                    break;
                }
            }
            let over = (0..k)
                .filter(|&j| !self.stuck[j] && self.excess(j, y) > 0)
                .max_by_key(|&j| (self.sizes[j], std::cmp::Reverse(j)));
            if let Some(s) = over {
                match self.search(s, y, labels, true) {
                    Some(found) => self.apply(&found, s, y, labels, true),
                    None => self.stuck[s] = true,
                }
                continue;
            }
            let under = (0..k)
                .filter(|&j| !self.stuck[j] && self.excess(j, y) < 0)
                .min_by_key(|&j| (self.sizes[j], j));
            if let Some(t) = under {
                match self.search(t, y, labels, false) {
                    Some(found) => self.apply(&found, t, y, labels, false),
                    None => self.stuck[t] = true,
                }
                continue;
            }
            break;
        }
    }

    /// Readies catchment `u`'s arcs: its members as they are now (each once), with their
    /// costs where they are; no heap built yet.
    fn touch(&mut self, u: usize, labels: &[u32]) {
        if self.arcs[u].is_some() {
            return;
        }
        let mut list = std::mem::take(&mut self.members[u]);
        list.retain(|&i| labels[i as usize] as usize == u);
        list.sort_unstable();
        list.dedup();
        let own = list
            .iter()
            .map(|&i| self.prob.cost(i as usize, u, self.g))
            .collect();
        self.members[u] = list;
        self.arcs[u] = Some(Arcs {
            own,
            heaps: vec![None; self.graph[u].len()],
        });
    }

    /// Builds the heap of `u`'s `n`-th arc from its current members, if not built yet.
    fn build(&mut self, u: usize, n: usize, labels: &[u32]) {
        self.touch(u, labels);
        let Some(arcs) = self.arcs[u].as_ref() else {
            return;
        };
        if arcs.heaps[n].is_some() {
            return;
        }
        let v = self.graph[u][n] as usize;
        // Households that moved in since `touch` (after the first `own.len()`) may be
        // listed twice or have left again: the labels filter those that left, and a
        // household twice in a heap is the same entry twice.
        let entries: Vec<Entry> = self.members[u]
            .iter()
            .enumerate()
            .filter(|&(_, &i)| labels[i as usize] as usize == u)
            .map(|(at, &i)| {
                let here = match arcs.own.get(at) {
                    Some(&c) => c,
                    None => self.prob.cost(i as usize, u, self.g),
                };
                Entry(self.prob.cost(i as usize, v, self.g) - here, i)
            })
            .collect();
        if let Some(arcs) = self.arcs[u].as_mut() {
            arcs.heaps[n] = Some(BinaryHeap::from(entries));
        }
    }

    fn key(&self, i: usize, u: usize, v: usize) -> f64 {
        self.prob.cost(i, v, self.g) - self.prob.cost(i, u, self.g)
    }

    /// The cheapest household of `u` to move along its `n`-th arc (built when first
    /// needed).
    fn peek(&mut self, u: usize, n: usize, labels: &[u32]) -> Option<Entry> {
        self.build(u, n, labels);
        let heap = self.arcs[u].as_mut()?.heaps[n].as_mut()?;
        while let Some(&top) = heap.peek() {
            if labels[top.1 as usize] as usize == u {
                return Some(top);
            }
            heap.pop();
        }
        None
    }

    /// Dijkstra from `start` over reduced costs: forward (`push`) to the nearest catchment
    /// with room for the household arriving there, or backwards to the nearest catchment
    /// that can spare the household leaving it.
    fn search(&mut self, start: usize, y: &[f64], labels: &[u32], push: bool) -> Option<Found> {
        let k = self.sizes.len();
        let mut dist = vec![f64::INFINITY; k];
        let mut link = vec![(u32::MAX, u32::MAX); k];
        let mut done = vec![false; k];
        let mut heap = BinaryHeap::new();
        let mut settled = Vec::new();
        // With priced ends, the end's price is added to the path's cost (see
        // `Costs::priced_ends`); the search stops once no end can beat the best found.
        let priced = self.prob.priced_ends();
        let floor = self.least_end_price(y, push);
        let mut best: Option<(f64, usize, f64)> = None;
        dist[start] = 0.0;
        heap.push(Entry(0.0, start as u32));
        while let Some(Entry(d, u)) = heap.pop() {
            let u = u as usize;
            if done[u] || d > dist[u] {
                continue;
            }
            if best.is_some_and(|(b, _, _)| d + floor >= b) {
                break;
            }
            done[u] = true;
            settled.push((u, d));
            if let Some(price) = self.end_cost(u, start, link[u].1, y, push) {
                if !priced {
                    return Some(Found {
                        settled,
                        end: u,
                        end_d: d,
                        end_price: 0.0,
                        link,
                    });
                }
                let t = d + price;
                if best.is_none_or(|(b, _, _)| t < b) {
                    best = Some((t, u, if self.slack { price } else { 0.0 }));
                }
            }
            let graph = self.graph;
            for (n, &v) in graph[u].iter().enumerate() {
                let v = v as usize;
                if done[v] {
                    continue;
                }
                // Forward: a household of u moves to v. Backwards: one of v moves to u.
                let (from, to, arc) = if push {
                    (u, v, n)
                } else {
                    match graph[v].iter().position(|&x| x as usize == u) {
                        Some(m) => (v, u, m),
                        None => continue,
                    }
                };
                let Some(Entry(key, i)) = self.peek(from, arc, labels) else {
                    continue;
                };
                let reduced = (key - y[to] + y[from]).max(0.0);
                let nd = d + reduced;
                if nd < dist[v] {
                    dist[v] = nd;
                    link[v] = (u as u32, i);
                    heap.push(Entry(nd, v as u32));
                }
            }
        }
        best.map(|(end_d, end, end_price)| Found {
            settled,
            end,
            end_d,
            end_price,
            link,
        })
    }

    /// What ending a search at `u`, reached by point `arrived`, adds to the path's cost, if
    /// it can end there.
    fn end_cost(&self, u: usize, start: usize, arrived: u32, y: &[f64], push: bool) -> Option<f64> {
        if self.slack {
            return self.slack_end(u, start, y, push);
        }
        (u != start && self.can_end(u, arrived, push)).then(|| self.end_price(y, u, push))
    }

    /// With [`Repair::slack`], what ending a search at `u` adds to the path's cost, if it
    /// can end there. A push ends where a household can arrive: free where the catchment
    /// is short of what its price allows or at price 0, at its price where it is priced up
    /// (which then comes back to 0). A pull ends where one can leave, symmetrically. At the
    /// start itself, only by bringing its price back to 0 (a warm start's catchment priced
    /// up but above its lower bound, or priced down but below its upper bound).
    fn slack_end(&self, u: usize, start: usize, y: &[f64], push: bool) -> Option<f64> {
        let (lo, hi) = self.prob.bounds();
        let s = self.sizes[u];
        match (push, u == start, sign(y[u])) {
            (true, true, 1) => Some(y[u]),
            (false, true, -1) => Some(-y[u]),
            (_, true, _) => None,
            (true, false, p) if s < hi => Some(if p == 1 && s >= lo { y[u] } else { 0.0 }),
            (false, false, p) if s > lo => Some(if p == -1 && s <= hi { -y[u] } else { 0.0 }),
            _ => None,
        }
    }

    /// What ending a search at `j` adds to the path's cost: its price with priced ends
    /// (see [`Costs::priced_ends`]; a catchment priced down costs that much more to take a
    /// household from, one priced up that much more to send one to), else nothing.
    fn end_price(&self, y: &[f64], j: usize, push: bool) -> f64 {
        match (self.prob.priced_ends(), push) {
            (false, _) => 0.0,
            (true, true) => y[j],
            (true, false) => -y[j],
        }
    }

    /// The least [`Self::end_price`] of any catchment that could end a search (0 at most):
    /// once a search's distance plus this reaches the best end found, none can beat it.
    fn least_end_price(&self, y: &[f64], push: bool) -> f64 {
        // Reading sizes against prices, no end costs less than its path.
        if self.slack || !self.prob.priced_ends() {
            return 0.0;
        }
        let (lo, hi) = self.prob.bounds();
        (0..self.sizes.len())
            .filter(|&j| {
                if push {
                    self.sizes[j] < hi
                } else {
                    self.sizes[j] > lo
                }
            })
            .map(|j| self.end_price(y, j, push))
            .fold(0.0f64, f64::min)
    }

    /// Whether catchment `u`, reached by point `i`, can end a search: it has room for `i`
    /// (push) or can spare it (pull).
    fn can_end(&self, u: usize, i: u32, push: bool) -> bool {
        let w = u64::from(self.prob.weights()[i as usize]);
        let (lo, hi) = self.prob.bounds();
        if push {
            self.sizes[u] + w <= hi
        } else {
            self.sizes[u] >= lo + w
        }
    }

    /// Moves the households along the path found and updates the prices.
    fn apply(
        &mut self,
        found: &Found,
        start: usize,
        y: &mut [f64],
        labels: &mut [u32],
        push: bool,
    ) {
        let end_d = found.end_d;
        for &(u, d) in &found.settled {
            if d < end_d {
                if push {
                    y[u] -= end_d - d;
                } else {
                    y[u] += end_d - d;
                }
            }
        }
        if found.end_price > 0.0 {
            y[found.end] = 0.0;
        }
        let mut v = found.end;
        while v != start {
            let (u, i) = found.link[v];
            let u = u as usize;
            let (from, to) = if push { (u, v) } else { (v, u) };
            self.move_one(i, from, to, labels);
            v = u;
        }
    }

    fn move_one(&mut self, i: u32, from: usize, to: usize, labels: &mut [u32]) {
        let w = u64::from(self.prob.weights()[i as usize]);
        labels[i as usize] = to as u32;
        self.sizes[from] -= w;
        self.sizes[to] += w;
        self.members[to].push(i);
        if let Some(arcs) = &self.arcs[to] {
            let entries: Vec<(usize, Entry)> = self.graph[to]
                .iter()
                .enumerate()
                .filter(|&(n, _)| arcs.heaps[n].is_some())
                .map(|(n, &v)| (n, Entry(self.key(i as usize, to, v as usize), i)))
                .collect();
            if let Some(arcs) = self.arcs[to].as_mut() {
                for (n, e) in entries {
                    if let Some(heap) = arcs.heaps[n].as_mut() {
                        heap.push(e);
                    }
                }
            }
        }
    }
}
