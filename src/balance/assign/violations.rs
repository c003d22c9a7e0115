//! The catchments out of balance, in the order the ascent repairs them: bound violations
//! first, the largest first.

use super::problem::Problem;

/// Order of the catchments that must send households out: above `hi` first, then the
/// largest, then the lowest index.
type OverKey = (bool, u64, std::cmp::Reverse<u32>);
/// Order of the catchments that must take households in: below `lo` first, then the
/// smallest, then the lowest index.
type UnderKey = (bool, u64, u32);

/// The catchments out of balance, kept up to date as the searches change sizes and
/// weights (only the catchments a search touched can change), so that picking the next one
/// costs `O(log k)` instead of a scan of all `k`.
pub(super) struct Violations {
    /// Catchments that must send households out: the last is the next source.
    over: std::collections::BTreeSet<OverKey>,
    /// Catchments that must take households in: the first is the next target.
    under: std::collections::BTreeSet<UnderKey>,
    /// Each catchment's current entries in `over` and `under`, if any.
    keys: Vec<(Option<OverKey>, Option<UnderKey>)>,
    /// Whether each catchment is at (or below) the level with a household to spare.
    supplies: Vec<bool>,
    /// How many are.
    pub(super) suppliers: usize,
}

impl Violations {
    pub(super) fn new(prob: &Problem<'_>, sizes: &[u64], power: &[f64], level: f64) -> Self {
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
    pub(super) fn update(
        &mut self,
        prob: &Problem<'_>,
        j: usize,
        sizes: &[u64],
        power: &[f64],
        level: f64,
    ) {
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
    pub(super) fn refresh(
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

    pub(super) fn worst_over(&self) -> Option<usize> {
        self.over
            .last()
            .map(|&(_, _, std::cmp::Reverse(j))| j as usize)
    }

    pub(super) fn worst_under(&self) -> Option<usize> {
        self.under.first().map(|&(_, _, j)| j as usize)
    }

    pub(super) fn is_over(&self, j: usize) -> bool {
        self.keys[j].0.is_some()
    }

    pub(super) fn is_under(&self, j: usize) -> bool {
        self.keys[j].1.is_some()
    }
}
