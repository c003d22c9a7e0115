//! One size-constrained assignment problem (points, weights, `k` and the size bounds,
//! with the tolerances derived from its scale) and the outcome of solving it.

/// Households per catchment from which exact assignments use the power cells' neighbours
/// instead of a k-d tree query per household.
const CELLS_ABOVE: usize = 64;

/// No household (an arc to or from the sink) or no label yet.
pub(super) const NONE: u32 = u32::MAX;

/// Outcome of one assignment.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AssignStats {
    /// Every catchment ended within its bounds and the ascent reached a fixed point.
    pub converged: bool,
    /// Shortest-path searches performed.
    pub evaluations: usize,
    /// A search could not reach a catchment with room (the candidate graph is too sparse).
    pub stuck: bool,
    /// With weighted points: the searches stopped getting catchments closer to their
    /// bounds (exchanges are needed, see `balance::pack`).
    pub stalled: bool,
}

/// Weighted points to assign to `k` catchments with sizes in `[lo, hi]`.
pub(crate) struct Problem<'a> {
    pub points: &'a [[f64; 2]],
    pub weights: &'a [u32],
    pub k: usize,
    pub lo: u64,
    pub hi: u64,
    /// Power distances this close (m²) count as equal.
    pub eps: f64,
    /// The largest point weight (1 for one household per point).
    pub wmax: u64,
    /// Distance in metres within which a center's half-plane counts as touching a cell
    /// (see [`power_adjacency`](super::adjacency::power_adjacency)); far above rounding
    /// noise at this scale.
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
