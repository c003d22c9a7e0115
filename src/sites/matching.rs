//! Maximum-weight b-matching between applicants and catchments: the exact solver behind
//! the `optimal` award rule.
//!
//! Each applicant takes at most its capacity of arcs, each catchment at most one, and only
//! arcs with a positive gain are worth taking. The arcs are split into connected components
//! (solved independently, so in parallel), and each component is solved by successive
//! shortest paths with Dijkstra and potentials on its residual network, stopping when the
//! cheapest augmenting path no longer gains. Gains are integers, so the result is exact and
//! deterministic.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One applicant–catchment arc: the applicant's best acceptable proposal in the catchment
/// and what awarding it gains.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Arc {
    /// Index of the applicant.
    pub(crate) applicant: usize,
    /// Index of the catchment.
    pub(crate) catchment: usize,
    /// The proposal the arc stands for.
    pub(crate) proposal: usize,
    /// What the arc adds to the objective.
    pub(crate) gain: i128,
}

/// `arcs` grouped into connected components of the applicant–catchment graph (`n`
/// applicants, `k` catchments), in the order of each component's smallest applicant, arcs
/// in their input order.
pub(crate) fn components(arcs: &[Arc], n: usize, k: usize) -> Vec<Vec<Arc>> {
    // Union–find over applicants 0..n and catchments n..n+k.
    let mut parent: Vec<usize> = (0..n + k).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for arc in arcs {
        let (x, y) = (
            root(&mut parent, arc.applicant),
            root(&mut parent, n + arc.catchment),
        );
        if x != y {
            parent[x.max(y)] = x.min(y);
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, Vec<Arc>> = Default::default();
    for arc in arcs {
        let r = root(&mut parent, arc.applicant);
        by_root.entry(r).or_default().push(*arc);
    }
    by_root.into_values().collect()
}

/// One edge of the residual network (its reverse is the edge at index `e ^ 1`).
struct Edge {
    to: usize,
    cap: u32,
    cost: i128,
}

/// The flow network of one component. Nodes: 0 source, 1 sink, then the applicants, then
/// the catchments.
struct Network {
    edges: Vec<Edge>,
    out: Vec<Vec<usize>>,
    /// The edge of each arc, in arc order.
    arc_edges: Vec<usize>,
    /// Number of applicant nodes.
    applicants: usize,
}

impl Network {
    /// source → applicant (its capacity), applicant → catchment (capacity 1, cost −gain),
    /// catchment → sink (capacity 1).
    fn new(arcs: &[Arc], caps: &[u32]) -> Self {
        let mut applicants: Vec<usize> = arcs.iter().map(|a| a.applicant).collect();
        applicants.sort_unstable();
        applicants.dedup();
        let mut catchments: Vec<usize> = arcs.iter().map(|a| a.catchment).collect();
        catchments.sort_unstable();
        catchments.dedup();
        let node_a = |a: usize| 2 + applicants.binary_search(&a).unwrap_or(0);
        let node_c = |c: usize| 2 + applicants.len() + catchments.binary_search(&c).unwrap_or(0);
        let nodes = 2 + applicants.len() + catchments.len();
        let mut net = Network {
            edges: Vec::new(),
            out: vec![Vec::new(); nodes],
            arc_edges: Vec::with_capacity(arcs.len()),
            applicants: applicants.len(),
        };
        let mut cap_of = vec![0u32; applicants.len()];
        for (arc, &cap) in arcs.iter().zip(caps) {
            cap_of[node_a(arc.applicant) - 2] = cap;
        }
        for (i, &cap) in cap_of.iter().enumerate() {
            net.add(0, 2 + i, cap, 0);
        }
        for arc in arcs {
            let e = net.add(node_a(arc.applicant), node_c(arc.catchment), 1, -arc.gain);
            net.arc_edges.push(e);
        }
        for j in 0..catchments.len() {
            net.add(2 + applicants.len() + j, 1, 1, 0);
        }
        net
    }

    fn nodes(&self) -> usize {
        self.out.len()
    }

    /// Adds the edge `from → to` and its reverse; returns the forward edge's index.
    fn add(&mut self, from: usize, to: usize, cap: u32, cost: i128) -> usize {
        self.out[from].push(self.edges.len());
        self.edges.push(Edge { to, cap, cost });
        self.out[to].push(self.edges.len());
        self.edges.push(Edge {
            to: from,
            cap: 0,
            cost: -cost,
        });
        self.edges.len() - 2
    }

    /// Initial potentials: the network is acyclic with costs only on the middle layer.
    fn initial_potentials(&self) -> Vec<i128> {
        let nodes = self.nodes();
        let mut pot = vec![0i128; nodes];
        for &e in &self.arc_edges {
            let c = self.edges[e].to;
            pot[c] = pot[c].min(self.edges[e].cost);
        }
        pot[1] = (2 + self.applicants..nodes)
            .map(|c| pot[c])
            .min()
            .unwrap_or(0);
        pot
    }

    /// Dijkstra on reduced costs from the source: each node's distance and the edge it was
    /// reached by.
    fn shortest_paths(&self, pot: &[i128], dist: &mut [i128], via: &mut [usize]) {
        dist.fill(i128::MAX);
        via.fill(usize::MAX);
        dist[0] = 0;
        let mut heap = BinaryHeap::new();
        heap.push(Reverse((0i128, 0usize)));
        while let Some(Reverse((d, u))) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            for &e in &self.out[u] {
                let edge = &self.edges[e];
                if edge.cap == 0 {
                    continue;
                }
                let nd = d + edge.cost + pot[u] - pot[edge.to];
                if nd < dist[edge.to] {
                    dist[edge.to] = nd;
                    via[edge.to] = e;
                    heap.push(Reverse((nd, edge.to)));
                }
            }
        }
    }

    /// Pushes one unit along the path to the sink recorded in `via`.
    fn augment(&mut self, via: &[usize]) {
        let mut v = 1;
        while v != 0 {
            let e = via[v];
            self.edges[e].cap -= 1;
            self.edges[e ^ 1].cap += 1;
            v = self.edges[e ^ 1].to;
        }
    }
}

/// Maximum-weight b-matching on one component: each applicant at most its capacity
/// (`caps[i]` belongs to `arcs[i].applicant`), each catchment at most one, only positive
/// gains. Returns the chosen arcs in input order.
pub(crate) fn max_weight_b_matching(arcs: &[Arc], caps: &[u32]) -> Vec<Arc> {
    let mut net = Network::new(arcs, caps);
    let nodes = net.nodes();
    let mut pot = net.initial_potentials();
    let mut dist = vec![i128::MAX; nodes];
    let mut via = vec![usize::MAX; nodes];
    loop {
        net.shortest_paths(&pot, &mut dist, &mut via);
        if dist[1] == i128::MAX {
            break;
        }
        // Real cost of the path: reduced distance plus the potential difference.
        if dist[1] + pot[1] - pot[0] >= 0 {
            break;
        }
        for v in 0..nodes {
            if dist[v] != i128::MAX {
                pot[v] += dist[v];
            }
        }
        net.augment(&via);
    }
    arcs.iter()
        .zip(&net.arc_edges)
        .filter(|(_, e)| net.edges[**e].cap == 0)
        .map(|(a, _)| *a)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arc(applicant: usize, catchment: usize, gain: i128) -> Arc {
        Arc {
            applicant,
            catchment,
            proposal: applicant * 10 + catchment,
            gain,
        }
    }

    fn total(chosen: &[Arc]) -> i128 {
        chosen.iter().map(|a| a.gain).sum()
    }

    /// Brute force over all subsets of arcs.
    fn brute(arcs: &[Arc], cap: &dyn Fn(usize) -> u32) -> i128 {
        let mut best = 0;
        for mask in 0u32..(1 << arcs.len()) {
            let pick: Vec<Arc> = (0..arcs.len())
                .filter(|i| mask >> i & 1 == 1)
                .map(|i| arcs[i])
                .collect();
            let ok = pick.iter().all(|x| {
                pick.iter().filter(|y| y.catchment == x.catchment).count() == 1
                    && pick.iter().filter(|y| y.applicant == x.applicant).count() as u32
                        <= cap(x.applicant)
            });
            if ok {
                best = best.max(total(&pick));
            }
        }
        best
    }

    #[test]
    fn greedy_is_not_optimal_but_the_flow_is() {
        // Applicant 0 prefers catchment 0 (gain 10) and could take 1 (gain 9); applicant 1
        // can only take catchment 0 (gain 8). Greedy gives 10; the optimum is 9 + 8 = 17.
        let arcs = [arc(0, 0, 10), arc(0, 1, 9), arc(1, 0, 8)];
        let chosen = max_weight_b_matching(&arcs, &[1, 1, 1]);
        assert_eq!(total(&chosen), 17);
    }

    proptest::proptest! {
        #[test]
        fn flow_matches_brute_force(
            raw in proptest::collection::vec((0usize..4, 0usize..4, 1i128..50), 1..10),
            caps in proptest::collection::vec(1u32..3, 4),
        ) {
            let mut arcs: Vec<Arc> = Vec::new();
            for (a, c, g) in raw {
                if !arcs.iter().any(|x| x.applicant == a && x.catchment == c) {
                    arcs.push(arc(a, c, g));
                }
            }
            let cap_list: Vec<u32> = arcs.iter().map(|x| caps[x.applicant]).collect();
            let chosen = max_weight_b_matching(&arcs, &cap_list);
            let best = brute(&arcs, &|a| caps[a]);
            proptest::prop_assert_eq!(total(&chosen), best);
        }
    }

    #[test]
    fn components_split_disconnected_arcs() {
        let arcs = [arc(0, 0, 1), arc(1, 1, 1), arc(2, 0, 1)];
        let parts = components(&arcs, 3, 2);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].len(), 2);
        assert_eq!(parts[1][0].applicant, 1);
    }
}
