//! The border of two catchments of an additively weighted Voronoi diagram (the travel
//! objective's catchments): a branch of a hyperbola, drawn as a polyline.
//!
//! A household `x` goes to catchment `j` rather than `l` when `‖x − g_j‖ − y_j ≤
//! ‖x − g_l‖ − y_l` (`g` the centers, `y` the prices of the size bounds). The border is the
//! set where `‖x − g_j‖ − ‖x − g_l‖ = y_j − y_l`: one branch of the hyperbola with foci
//! `g_j` and `g_l`, or their bisector when the prices are equal. In the frame centred
//! between the foci, with `e1` from `g_j` towards `g_l`, the branch is
//! `a·cosh(s)·e1 + b·sinh(s)·e2` with `a = (y_j − y_l)/2`, `c` half the distance between the
//! foci and `b² = c² − a²`; `s` runs monotonically along it.
//!
//! Both catchments sharing a border must draw it with the very same points, or the
//! polygons would overlap by slivers. So the points depend only on the pair (taken in
//! index order): one subdivision of the whole branch's parameter, halved until every chord
//! lies within [`SAGITTA_M`] of the curve and is no longer than the given length, of
//! which each border takes the points between its two ends.

use crate::geometry::dist2;

/// How far (m) a chord of a border may stray from the curve: invisible at any map scale a
/// planner uses (half a millimetre on paper at 1:100), and below the margin households are
/// kept inside their cells by (`balance::additive`). At 1 cm the national layer was half as
/// large again (46.6 MB against 30.3 MB) and the plan 2.5 s slower.
pub(crate) const SAGITTA_M: f64 = 0.05;

/// The parameters subdivided: `[−ROOT, ROOT]` (a branch point beyond it lies `e^ROOT`
/// times the foci' distance away).
const ROOT: f64 = 64.0;
/// Halvings at most (pieces of the parameter down to `2·ROOT / 2^MAX_DEPTH`).
const MAX_DEPTH: u32 = 48;

/// One branch of a hyperbola (see the module docs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Branch {
    mid: [f64; 2],
    e1: [f64; 2],
    e2: [f64; 2],
    a: f64,
    b: f64,
}

impl Branch {
    /// The border between catchment `j` (center `gj`, price `yj`) and `l`, the pair taken in
    /// index order so that both draw the same curve. `None` when one catchment's price
    /// outweighs the distance between the centers (its catchment takes the whole plane from
    /// the other's) or the centers coincide.
    pub(crate) fn new(j: usize, l: usize, g: &[[f64; 2]], y: &[f64]) -> Option<Branch> {
        let (lo, hi) = if j < l { (j, l) } else { (l, j) };
        let d = [g[hi][0] - g[lo][0], g[hi][1] - g[lo][1]];
        let len = d[0].hypot(d[1]);
        let c = len / 2.0;
        let a = (y[lo] - y[hi]) / 2.0;
        if c <= 0.0 || c.is_nan() || a.abs() >= c {
            return None;
        }
        let e1 = [d[0] / len, d[1] / len];
        Some(Branch {
            mid: [g[lo][0] + d[0] / 2.0, g[lo][1] + d[1] / 2.0],
            e1,
            e2: [-e1[1], e1[0]],
            a,
            b: ((c - a) * (c + a)).sqrt(),
        })
    }

    /// The point of parameter `s`.
    pub(crate) fn at(&self, s: f64) -> [f64; 2] {
        let (u, v) = (self.a * s.cosh(), self.b * s.sinh());
        [
            self.mid[0] + u * self.e1[0] + v * self.e2[0],
            self.mid[1] + u * self.e1[1] + v * self.e2[1],
        ]
    }

    /// The parameter of the point of the branch level with `x` across the foci' axis.
    pub(crate) fn param(&self, x: [f64; 2]) -> f64 {
        let v = (x[0] - self.mid[0]) * self.e2[0] + (x[1] - self.mid[1]) * self.e2[1];
        (v / self.b).asinh()
    }

    /// Where the segment `p → q` passes through the branch twice, the point midway between
    /// the two crossings (as a fraction of the way from `p`); `None` when it crosses once
    /// or not at all. The branch is `u²/a² − v²/b² = 1` on the side where `u` has the sign of
    /// `a`, in the frame of [`Branch`]; along the segment that is a quadratic in the
    /// fraction. A clip looking only at a segment's ends misses such a pair of crossings.
    pub(crate) fn double_crossing(&self, p: [f64; 2], q: [f64; 2]) -> Option<f64> {
        if self.a == 0.0 {
            return None;
        }
        let frame = |x: [f64; 2]| {
            let d = [x[0] - self.mid[0], x[1] - self.mid[1]];
            (
                (d[0] * self.e1[0] + d[1] * self.e1[1]) / self.a,
                (d[0] * self.e2[0] + d[1] * self.e2[1]) / self.b,
            )
        };
        // In units of a and b: u² − v² = 1 with u > 0.
        let (u0, v0) = frame(p);
        let (u1, v1) = frame(q);
        let (du, dv) = (u1 - u0, v1 - v0);
        let qa = du * du - dv * dv;
        let qb = 2.0 * (u0 * du - v0 * dv);
        let qc = u0 * u0 - v0 * v0 - 1.0;
        let disc = qb * qb - 4.0 * qa * qc;
        if qa == 0.0 || disc <= 0.0 || !disc.is_finite() {
            return None;
        }
        // The roots without cancellation: q = −(b + sign(b)·√disc)/2, t = q/a and c/q.
        let root = -0.5 * (qb + qb.signum() * disc.sqrt());
        let (t0, t1) = (root / qa, qc / root);
        let on = |t: f64| t > 0.0 && t < 1.0 && u0 + t * du > 0.0;
        (on(t0) && on(t1) && t0 != t1).then_some(0.5 * (t0 + t1))
    }

    /// Appends the points strictly between the border's ends `from` and `to` (points on or
    /// within centimetres of it), in that order: chords within `sagitta` metres of the
    /// curve and at most `max_len` long. The points are those of one subdivision of the
    /// whole branch, halved where a chord is too far from the curve or too long, that fall
    /// between the ends: the same, reversed, for `to → from`, and the same along any part
    /// two cells share even where their ends differ by rounding.
    pub(crate) fn fill(
        &self,
        from: [f64; 2],
        to: [f64; 2],
        sagitta: f64,
        max_len: f64,
        out: &mut Vec<[f64; 2]>,
    ) {
        let (s0, s1) = (self.param(from), self.param(to));
        if !(s0.is_finite() && s1.is_finite()) || s0 == s1 {
            return;
        }
        let start = out.len();
        let span = (s0.min(s1), s0.max(s1));
        let (lo, hi) = (-ROOT, ROOT);
        let limits = Limits {
            span,
            sagitta,
            max_len,
        };
        self.halve(lo, hi, self.at(lo), self.at(hi), &limits, 0, out);
        if s0 > s1 {
            out[start..].reverse();
        }
    }

    /// The subdivision's points strictly inside the span, within `[s0, s1]` (ends `p0`,
    /// `p1`), ascending.
    #[allow(clippy::too_many_arguments)]
    fn halve(
        &self,
        s0: f64,
        s1: f64,
        p0: [f64; 2],
        p1: [f64; 2],
        limits: &Limits,
        depth: u32,
        out: &mut Vec<[f64; 2]>,
    ) {
        let (a, b) = limits.span;
        if depth >= MAX_DEPTH || s1 <= a || s0 >= b {
            return;
        }
        let s = 0.5 * (s0 + s1);
        let pm = self.at(s);
        let chord = [p1[0] - p0[0], p1[1] - p0[1]];
        let len = (chord[0] * chord[0] + chord[1] * chord[1]).sqrt();
        let off = if len > 0.0 {
            ((pm[0] - p0[0]) * chord[1] - (pm[1] - p0[1]) * chord[0]).abs() / len
        } else {
            dist2(pm, p0).sqrt()
        };
        if off <= limits.sagitta && len <= limits.max_len {
            return;
        }
        self.halve(s0, s, p0, pm, limits, depth + 1, out);
        if s > a && s < b {
            out.push(pm);
        }
        self.halve(s, s1, pm, p1, limits, depth + 1, out);
    }
}

/// What [`Branch::halve`] subdivides for: the span of parameters whose points are wanted,
/// the largest sagitta and chord length.
struct Limits {
    span: (f64, f64),
    sagitta: f64,
    max_len: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(x: [f64; 2], g: [f64; 2], y: f64) -> f64 {
        (x[0] - g[0]).hypot(x[1] - g[1]) - y
    }

    #[test]
    fn the_branch_is_the_border_and_both_sides_draw_the_same_points() {
        let g = [[0.0, 0.0], [1_000.0, 300.0]];
        let y = [120.0, -40.0];
        let branch = Branch::new(1, 0, &g, &y).unwrap();
        for s in [-2.0, -0.5, 0.0, 0.7, 1.9] {
            let x = branch.at(s);
            assert!((value(x, g[0], y[0]) - value(x, g[1], y[1])).abs() < 1e-6);
            assert!((branch.param(x) - s).abs() < 1e-9);
        }
        let (a, b) = (branch.at(-1.5), branch.at(1.2));
        let mut forward = Vec::new();
        branch.fill(a, b, SAGITTA_M, 200.0, &mut forward);
        let mut back = Vec::new();
        Branch::new(0, 1, &g, &y)
            .unwrap()
            .fill(b, a, SAGITTA_M, 200.0, &mut back);
        back.reverse();
        assert_eq!(forward, back);
        assert!(forward.len() > 10);
        // Every chord within the sagitta of the curve and at most 200 m long.
        let mut all = vec![a];
        all.extend(&forward);
        all.push(b);
        for w in all.windows(2) {
            let on = branch.at(0.5 * (branch.param(w[0]) + branch.param(w[1])));
            let chord = [w[1][0] - w[0][0], w[1][1] - w[0][1]];
            let len = chord[0].hypot(chord[1]);
            let off = ((on[0] - w[0][0]) * chord[1] - (on[1] - w[0][1]) * chord[0]).abs() / len;
            assert!(off <= SAGITTA_M + 1e-9, "{off}");
            assert!(len <= 200.0 + 1e-9);
        }
    }

    #[test]
    fn a_price_beyond_the_distance_has_no_border() {
        let g = [[0.0, 0.0], [100.0, 0.0]];
        assert!(Branch::new(0, 1, &g, &[150.0, 0.0]).is_none());
        assert!(Branch::new(0, 1, &g, &[0.0, 0.0]).is_some());
    }

    #[test]
    fn a_segment_through_the_cap_crosses_twice() {
        // Center 1's cap: the branch around it, its vertex 100 m from it towards center 0.
        let g = [[0.0, 0.0], [1_000.0, 0.0]];
        let y = [800.0, 0.0];
        let branch = Branch::new(0, 1, &g, &y).unwrap();
        let side = |x: [f64; 2]| value(x, g[0], y[0]) - value(x, g[1], y[1]);
        // Across the cap behind center 1: both ends outside, the middle inside.
        let (p, q) = ([4_000.0, -3_000.0], [4_000.0, 3_000.0]);
        assert!(side(p) < 0.0 && side(q) < 0.0);
        let t = branch.double_crossing(p, q).unwrap();
        let mid = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
        assert!(side(mid) > 0.0);
        // Once across the border, and beside the cap: no pair of crossings.
        assert!(
            branch
                .double_crossing([4_000.0, 0.0], [4_000.0, 3_000.0])
                .is_none()
        );
        assert!(
            branch
                .double_crossing([-500.0, -3_000.0], [-500.0, 3_000.0])
                .is_none()
        );
        // The other branch of the same hyperbola (around center 0) is no border.
        assert!(
            branch
                .double_crossing([-4_000.0, -3_000.0], [-4_000.0, 3_000.0])
                .is_none()
        );
    }
}
