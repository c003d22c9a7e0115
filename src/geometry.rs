//! Planar helpers shared by every stage: squared distance, signed area, bounding box,
//! point in ring and the 7-decimal rounding of output coordinates.
//!
//! They work on planar metres (`[f64; 2]`) and on lon/lat (`LonLat`, x = longitude) alike,
//! through the [`Xy`] trait, so each rule is written once. This module depends on nothing
//! else in the crate.

/// A point with planar coordinates: `[x, y]` in metres, or a `LonLat` read as
/// (longitude, latitude).
pub(crate) trait Xy: Copy {
    /// The point as `[x, y]`.
    fn xy(self) -> [f64; 2];
}

impl Xy for [f64; 2] {
    #[inline]
    fn xy(self) -> [f64; 2] {
        self
    }
}

impl<P: Xy> Xy for &P {
    #[inline]
    fn xy(self) -> [f64; 2] {
        (*self).xy()
    }
}

/// Squared Euclidean distance between `a` and `b`.
#[inline]
pub(crate) fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    dx * dx + dy * dy
}

/// `v` rounded to 7 decimals: the grid every lon/lat written by a plan lies on (about 1 cm).
#[inline]
pub(crate) fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

/// Twice the signed area of an open or closed ring (positive counter-clockwise).
pub(crate) fn signed_area<P: Xy>(ring: &[P]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i].xy(), ring[(i + 1) % n].xy());
            a[0] * b[1] - b[0] * a[1]
        })
        .sum()
}

/// The bounding box `[min x, min y, max x, max y]` of `points`, `None` when there are none.
pub(crate) fn bbox<P: Xy>(points: impl IntoIterator<Item = P>) -> Option<[f64; 4]> {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for p in points {
        let p = p.xy();
        b = [
            b[0].min(p[0]),
            b[1].min(p[1]),
            b[2].max(p[0]),
            b[3].max(p[1]),
        ];
    }
    (b[0] <= b[2] && b[1] <= b[3]).then_some(b)
}

/// True when a ray from `p` towards +x crosses the open or closed `ring` an odd number of
/// times (the even-odd rule; a point exactly on an edge may go either way). XOR the results
/// of several rings for a polygon with holes.
pub(crate) fn crosses_odd<P: Xy>(ring: &[P], p: [f64; 2]) -> bool {
    let n = ring.len();
    let mut odd = false;
    for i in 0..n {
        let (a, b) = (ring[i].xy(), ring[(i + 1) % n].xy());
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0])
        {
            odd = !odd;
        }
    }
    odd
}

/// The edges of a closed ring bucketed by bands of y, so that a point-in-ring test looks
/// only at the edges whose y range holds the point's y: the only ones the crossing rule
/// counts and the only ones the point can lie on. [`crosses_odd`] in a few edge tests
/// instead of one per vertex, for the many households of a catchment whose ring has
/// hundreds of vertices.
pub(crate) struct RingBands {
    min: f64,
    max: f64,
    scale: f64,
    /// CSR: the edges of band `b` are `edges[start[b]..start[b + 1]]`.
    start: Vec<u32>,
    edges: Vec<u32>,
}

impl RingBands {
    /// The index of `ring` (open or closed), one band per vertex.
    pub(crate) fn new<P: Xy>(ring: &[P]) -> Self {
        let n = ring.len();
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for p in ring {
            min = min.min(p.xy()[1]);
            max = max.max(p.xy()[1]);
        }
        let bands = n.max(1);
        let scale = if max > min {
            bands as f64 / (max - min)
        } else {
            0.0
        };
        let mut index = RingBands {
            min,
            max,
            scale,
            start: vec![0; bands + 1],
            edges: Vec::new(),
        };
        let span = |i: usize, index: &RingBands| {
            let (a, b) = (ring[i].xy()[1], ring[(i + 1) % n].xy()[1]);
            (index.band(a.min(b)), index.band(a.max(b)))
        };
        for i in 0..n {
            let (lo, hi) = span(i, &index);
            for b in lo..=hi {
                index.start[b + 1] += 1;
            }
        }
        for b in 0..bands {
            index.start[b + 1] += index.start[b];
        }
        let mut fill: Vec<u32> = index.start[..bands].to_vec();
        index.edges = vec![0; index.start[bands] as usize];
        for i in 0..n {
            let (lo, hi) = span(i, &index);
            for f in &mut fill[lo..=hi] {
                index.edges[*f as usize] = i as u32;
                *f += 1;
            }
        }
        index
    }

    /// The band of `y` (monotonic in `y`, clamped to the bands).
    fn band(&self, y: f64) -> usize {
        let bands = self.start.len() - 1;
        (((y - self.min) * self.scale) as usize).min(bands - 1)
    }

    /// The edges (index of their first vertex) whose y range may hold `y`; none outside
    /// the ring's range.
    pub(crate) fn band_edges(&self, y: f64) -> &[u32] {
        if !(self.min..=self.max).contains(&y) {
            return &[];
        }
        let b = self.band(y);
        &self.edges[self.start[b] as usize..self.start[b + 1] as usize]
    }

    /// [`crosses_odd`] for `p` and the `ring` this index was built from.
    pub(crate) fn crosses_odd<P: Xy>(&self, ring: &[P], p: [f64; 2]) -> bool {
        let n = ring.len();
        let mut odd = false;
        for &i in self.band_edges(p[1]) {
            let (a, b) = (ring[i as usize].xy(), ring[(i as usize + 1) % n].xy());
            if (a[1] > p[1]) != (b[1] > p[1])
                && p[0] < a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0])
            {
                odd = !odd;
            }
        }
        odd
    }
}

/// True when `p` is inside, or within `tol` of, the convex counter-clockwise open `ring`.
#[cfg(any(test, feature = "test-utils"))]
pub(crate) fn convex_contains(ring: &[[f64; 2]], p: [f64; 2], tol: f64) -> bool {
    let n = ring.len();
    if n < 3 {
        return false;
    }
    (0..n).all(|i| {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        let ex = b[0] - a[0];
        let ey = b[1] - a[1];
        let len = ex.hypot(ey);
        if len == 0.0 {
            return true;
        }
        // Signed distance to the left of edge a→b (inside for a counter-clockwise ring).
        let cross = (ex * (p[1] - a[1]) - ey * (p[0] - a[0])) / len;
        cross >= -tol
    })
}

/// The point of the segment `a b` nearest `p` (`a` when the segment has no length).
pub(crate) fn closest_on_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return a;
    }
    let t = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0);
    [a[0] + t * dx, a[1] + t * dy]
}

/// Squared distance from `p` to the segment `a b`.
pub(crate) fn segment_dist2<P: Xy>(a: P, b: P, p: P) -> f64 {
    let p = p.xy();
    dist2(closest_on_segment(p, a.xy(), b.xy()), p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LonLat;

    const SQUARE: [[f64; 2]; 4] = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]];

    #[test]
    fn area_sign_follows_orientation() {
        assert_eq!(signed_area(&SQUARE), 8.0);
        let mut cw = SQUARE;
        cw.reverse();
        assert_eq!(signed_area(&cw), -8.0);
        let closed: Vec<LonLat> = SQUARE
            .iter()
            .chain(std::iter::once(&SQUARE[0]))
            .map(|p| LonLat::new(p[0], p[1]))
            .collect();
        assert_eq!(signed_area(&closed), 8.0);
    }

    #[test]
    fn crossing_rule_agrees_with_the_convex_test() {
        for i in 0..=40 {
            for j in 0..=40 {
                let p = [i as f64 * 0.1 - 1.0 + 0.013, j as f64 * 0.1 - 1.0 + 0.007];
                assert_eq!(
                    crosses_odd(&SQUARE, p),
                    convex_contains(&SQUARE, p, 0.0),
                    "{p:?}"
                );
            }
        }
    }

    #[test]
    fn bbox_of_nothing_is_none() {
        assert_eq!(bbox(std::iter::empty::<[f64; 2]>()), None);
        assert_eq!(bbox(SQUARE), Some([0.0, 0.0, 2.0, 2.0]));
        assert_eq!(dist2([0.0, 0.0], [3.0, 4.0]), 25.0);
        assert_eq!(round7(1.234_567_89), 1.234_567_9);
    }

    #[test]
    fn segment_distance_clamps_to_the_ends() {
        let (a, b) = ([0.0, 0.0], [4.0, 0.0]);
        assert_eq!(closest_on_segment([1.0, 3.0], a, b), [1.0, 0.0]);
        assert_eq!(closest_on_segment([-2.0, 1.0], a, b), a);
        assert_eq!(closest_on_segment([1.0, 1.0], a, a), a);
        assert_eq!(segment_dist2(a, b, [7.0, 4.0]), 25.0);
        assert_eq!(segment_dist2(a, b, [2.0, 0.0]), 0.0);
    }
}
