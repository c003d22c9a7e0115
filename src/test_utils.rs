//! Helpers for tests and benchmarks (feature `test-utils`): checks and entry points into
//! the algorithms that integrators do not need, kept out of the main API.

/// True when `p` lies inside the convex counter-clockwise open `ring` (planar metres), or
/// within `tol` metres of it.
///
/// ```
/// let square = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]];
/// assert!(siting::test_utils::ring_contains(&square, [1.0, 1.0], 0.0));
/// assert!(!siting::test_utils::ring_contains(&square, [3.0, 1.0], 0.5));
/// ```
pub fn ring_contains(ring: &[[f64; 2]], p: [f64; 2], tol: f64) -> bool {
    crate::geometry::convex_contains(ring, p, tol)
}

/// The exact size-constrained assignment of [`constrained_assignment`].
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The center of each point.
    pub labels: Vec<u32>,
    /// The power (additive weight) of each center: point `i` goes to the center `j` that
    /// minimises `‖x_i − c_j‖² − power_j`.
    pub power: Vec<f64>,
    /// True when the assignment met its optimality conditions.
    pub converged: bool,
}

/// Assigns weighted planar `points` to fixed `centers` minimising the weighted sum of
/// squared distances, with every center's total weight in `[lo, hi]` (the assignment step
/// of the balancing, for oracle tests and benchmarks).
///
/// ```
/// use siting::test_utils::constrained_assignment;
/// let points = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [10.0, 0.0]];
/// let a = constrained_assignment(&points, &[1; 4], &[[0.0, 0.0], [10.0, 0.0]], 2, 2);
/// assert!(a.converged);
/// assert_eq!(a.labels, vec![0, 0, 1, 1]);
/// ```
pub fn constrained_assignment(
    points: &[[f64; 2]],
    weights: &[u32],
    centers: &[[f64; 2]],
    lo: u64,
    hi: u64,
) -> Assignment {
    let (labels, power, converged) =
        crate::balance::constrained_assignment(points, weights, centers, lo, hi);
    Assignment {
        labels,
        power,
        converged,
    }
}

/// Assigns weighted planar `points` to fixed `centers` minimising the weighted sum of
/// distances (the travel objective's assignment step), with every center's total weight in
/// `[lo, hi]`; `power` holds the prices (point `i` goes to the `j` minimising
/// `‖x_i − c_j‖ − power_j`, up to the catchment graph searched) and `converged` whether the
/// bounds were met.
///
/// ```
/// use siting::test_utils::travel_assignment;
/// let points = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [10.0, 0.0]];
/// let a = travel_assignment(&points, &[1; 4], &[[0.0, 0.0], [10.0, 0.0]], 2, 2);
/// assert!(a.converged);
/// assert_eq!(a.labels, vec![0, 0, 1, 1]);
/// ```
pub fn travel_assignment(
    points: &[[f64; 2]],
    weights: &[u32],
    centers: &[[f64; 2]],
    lo: u64,
    hi: u64,
) -> Assignment {
    let (labels, power, converged) =
        crate::balance::travel_assignment(points, weights, centers, lo, hi);
    Assignment {
        labels,
        power,
        converged,
    }
}
