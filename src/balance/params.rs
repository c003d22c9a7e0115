//! What the balancing takes besides the points ([`BalanceParams`]), what it returns
//! ([`Balanced`]), and which of two results is better.

/// Inputs of [`balance`](super::balance) besides the points.
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceParams {
    /// Number of catchments.
    pub k: usize,
    /// Smallest allowed catchment size (households).
    pub lo: u64,
    /// Largest allowed catchment size (households).
    pub hi: u64,
    /// Iteration cap.
    pub max_iterations: usize,
    /// Independent starts; the best objective wins.
    pub restarts: usize,
    /// Seed for the start orientation.
    pub seed: u64,
}

/// A balanced partition.
#[derive(Debug, Clone, PartialEq)]
pub struct Balanced {
    /// Catchment of each point, in `0..k`.
    pub labels: Vec<u32>,
    /// Centers the power diagram was computed for (planar metres).
    pub centers: Vec<[f64; 2]>,
    /// Power weights in m²; point `i` minimises `‖x_i − c_j‖² − power_j` (except with
    /// weighted points whose tight capacities needed places exchanged, see
    /// [`balance`](super::balance)).
    pub power: Vec<f64>,
    /// Households per catchment.
    pub sizes: Vec<u64>,
    /// Weighted sum of squared distances to the catchment centroids, in m².
    pub sse_m2: f64,
    /// Iterations run (of the winning start).
    pub iterations: usize,
    /// True when the iterations reached a fixed point within the cap.
    pub converged: bool,
    /// True when every catchment is within `[lo, hi]`.
    pub balanced: bool,
}

/// True when `a` beats `b`: balanced first, then the lower objective.
pub(super) fn better(a: &Balanced, b: &Balanced) -> bool {
    (a.balanced && !b.balanced) || (a.balanced == b.balanced && a.sse_m2 < b.sse_m2)
}
