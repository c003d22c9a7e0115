//! How many catchments each region gets and how large they may be (SPEC §4.1), checked
//! for feasibility before any balancing.
//!
//! A region of W households gets k = max(1, round(W / target)) catchments (or its share of
//! a fixed total, in proportion to W), each of [⌊(1−tol)·W/k⌋, ⌈(1+tol)·W/k⌉] households;
//! explicit size bounds override the band and limit k. Rows at the same coordinates form one
//! location, which a polygon cannot split, so its total must fit in a catchment.

use rayon::prelude::*;

use crate::config::PlanConfig;
use crate::error::{Error, Result};
use crate::model::Households;

/// Catchment count and size bounds for one region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RegionBounds {
    /// Number of catchments.
    pub k: usize,
    /// Smallest allowed size.
    pub lo: u64,
    /// Largest allowed size.
    pub hi: u64,
}

/// What the bounds of each region depend on.
struct RegionFacts {
    /// Households (sum of weights).
    weight: Vec<u64>,
    /// The heaviest row (at least 1).
    heaviest_row: Vec<u64>,
    /// The heaviest location (rows at identical coordinates together).
    heaviest_location: Vec<u64>,
    /// Distinct locations.
    locations: Vec<usize>,
}

impl RegionFacts {
    fn new(households: &Households) -> Self {
        let nreg = households.regions.len();
        let mut weight = vec![0u64; nreg];
        let mut heaviest_row = vec![1u64; nreg];
        for h in &households.items {
            let r = h.region as usize;
            weight[r] += u64::from(h.weight);
            heaviest_row[r] = heaviest_row[r].max(u64::from(h.weight));
        }
        // Rows at identical coordinates are one location: they cannot be told apart by a
        // polygon, so their total is what must fit in a catchment.
        let mut keyed: Vec<(u32, u64, u64, u32)> = households
            .items
            .par_iter()
            .map(|h| {
                (
                    h.region,
                    h.position.lon.to_bits(),
                    h.position.lat.to_bits(),
                    h.weight,
                )
            })
            .collect();
        keyed.par_sort_unstable();
        let mut heaviest_location = vec![0u64; nreg];
        let mut locations = vec![0usize; nreg];
        for run in keyed.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1 && a.2 == b.2) {
            let r = run[0].0 as usize;
            let w: u64 = run.iter().map(|x| u64::from(x.3)).sum();
            heaviest_location[r] = heaviest_location[r].max(w);
            locations[r] += 1;
        }
        RegionFacts {
            weight,
            heaviest_row,
            heaviest_location,
            locations,
        }
    }
}

/// Each region's bounds, or why it cannot be planned.
///
/// # Errors
/// [`Error::TooFewCatchments`] when a fixed total of catchments is fewer than the regions.
pub(crate) fn region_checks(
    config: &PlanConfig,
    households: &Households,
) -> Result<Vec<Result<RegionBounds>>> {
    let facts = RegionFacts::new(households);
    let ks = catchment_counts(config, &facts.weight)?;
    Ok((0..households.regions.len())
        .map(|r| checked(config, households, &facts, r, ks[r]))
        .collect())
}

/// Re-plans: per region, the catchment count a fresh plan would give it, and the bounds for
/// the larger of that and its `existing` catchments (no center is closed automatically).
///
/// # Errors
/// As [`region_checks`], for the first region that cannot be planned.
pub(crate) fn replan_checks(
    config: &PlanConfig,
    households: &Households,
    existing: &[usize],
) -> Result<Vec<(RegionBounds, usize)>> {
    let facts = RegionFacts::new(households);
    let ks = catchment_counts(config, &facts.weight)?;
    (0..households.regions.len())
        .map(|r| {
            let k = ks[r].max(existing[r]);
            checked(config, households, &facts, r, k).map(|b| (b, ks[r]))
        })
        .collect()
}

/// The bounds of region `r` in `k` catchments, or why it cannot be planned so.
fn checked(
    config: &PlanConfig,
    households: &Households,
    facts: &RegionFacts,
    r: usize,
    k: usize,
) -> Result<RegionBounds> {
    let w = facts.weight[r];
    let (lo, hi) = size_band(config, w, k, facts.heaviest_row[r]);
    let region = || households.regions[r].clone();
    if (k as u64).saturating_mul(lo) > w || (k as u64).saturating_mul(hi) < w {
        return Err(Error::Infeasible {
            region: region(),
            households: w,
            catchments: k,
            min: lo,
            max: hi,
        });
    }
    if facts.heaviest_location[r] > hi {
        return Err(Error::HeavyLocation {
            region: region(),
            households: facts.heaviest_location[r],
            max: hi,
        });
    }
    if k > facts.locations[r] {
        return Err(Error::TooFewLocations {
            region: region(),
            catchments: k,
            locations: facts.locations[r],
        });
    }
    Ok(RegionBounds { k, lo, hi })
}

/// Catchments per region: a fixed total shared in proportion to the households, or
/// round(W / target) limited by any explicit size bounds.
fn catchment_counts(config: &PlanConfig, weight: &[u64]) -> Result<Vec<usize>> {
    let c = config;
    if let Some(total) = c.catchments {
        return share(total, weight).ok_or(Error::TooFewCatchments {
            catchments: total,
            regions: weight.len(),
        });
    }
    Ok(weight
        .iter()
        .map(|&w| {
            let ideal = ((w as f64 / f64::from(c.target_size)) + 0.5)
                .floor()
                .max(1.0) as usize;
            match (c.min_size, c.max_size) {
                (min, max) if min.is_some() || max.is_some() => {
                    let fewest = max.map_or(1, |m| w.div_ceil(u64::from(m)).max(1) as usize);
                    let most =
                        min.map_or(usize::MAX, |m| (w / u64::from(m.max(1))).max(1) as usize);
                    ideal.clamp(fewest, most.max(fewest))
                }
                _ => ideal,
            }
        })
        .collect())
}

/// The size band `(lo, hi)` of a region of `w` households in `k` catchments whose heaviest
/// row is `wmax`.
fn size_band(c: &PlanConfig, w: u64, k: usize, wmax: u64) -> (u64, u64) {
    let mean = w as f64 / k as f64;
    let (mut lo, mut hi) = (
        ((1.0 - c.size_tolerance) * mean + 1e-9).floor() as u64,
        ((1.0 + c.size_tolerance) * mean - 1e-9).ceil() as u64,
    );
    // SPEC §4.1: with a tolerance of 0, sizes differ by at most the largest row weight (rows
    // are never split), so the band is that wide around the mean.
    if c.size_tolerance == 0.0 && wmax > 1 {
        let up = (mean - 1e-9).ceil() as u64;
        lo = up.saturating_sub(wmax.div_ceil(2));
        hi = lo + wmax;
    }
    (
        c.min_size.map_or(lo, u64::from),
        c.max_size.map_or(hi, u64::from),
    )
}

/// Splits `total` catchments over regions in proportion to `weight` (largest remainder,
/// each region at least one). `None` when `total` is smaller than the number of regions.
fn share(total: usize, weight: &[u64]) -> Option<Vec<usize>> {
    let n = weight.len();
    if total < n {
        return None;
    }
    let sum: u64 = weight.iter().sum();
    let spare = (total - n) as f64;
    let exact: Vec<f64> = weight
        .iter()
        .map(|&w| spare * w as f64 / sum.max(1) as f64)
        .collect();
    let mut k: Vec<usize> = exact.iter().map(|e| 1 + e.floor() as usize).collect();
    let mut left = total - k.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for &r in order.iter().cycle() {
        if left == 0 {
            break;
        }
        k[r] += 1;
        left -= 1;
    }
    Some(k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Planner;
    #[test]
    fn share_is_proportional() {
        assert_eq!(share(10, &[100, 100]), Some(vec![5, 5]));
        assert_eq!(share(3, &[1000, 1, 1]), Some(vec![1, 1, 1]));
        assert_eq!(share(2, &[1, 1, 1]), None);
        let k = share(53, &[500, 300, 200]).unwrap_or_default();
        assert_eq!(k.iter().sum::<usize>(), 53);
    }

    fn households_in_two_regions(a: usize, b: usize) -> Households {
        let mut hh = Households::from_points((0..a + b).map(|i| {
            (
                "x",
                50.0 + (i % 50) as f64 * 1e-3,
                36.0 + (i / 50) as f64 * 1e-3,
                1,
            )
        }));
        for (i, h) in hh.items.iter_mut().enumerate() {
            h.id = format!("h{i}");
            h.region = u32::from(i >= a);
        }
        hh.regions = vec!["A".into(), "B".into()];
        hh
    }

    #[test]
    fn bounds_follow_the_spec() -> Result<()> {
        let hh = households_in_two_regions(1000, 1130);
        let b = Planner::new(PlanConfig::default())?.region_bounds(&hh)?;
        // k = max(1, round(W/450)); bounds floor(0.9 W/k), ceil(1.1 W/k).
        assert_eq!(
            b[0],
            RegionBounds {
                k: 2,
                lo: 450,
                hi: 550
            }
        );
        assert_eq!(
            b[1],
            RegionBounds {
                k: 3,
                lo: 339,
                hi: 415
            }
        );
        let b = Planner::new(PlanConfig::default().catchments(10))?.region_bounds(&hh)?;
        assert_eq!(b.iter().map(|r| r.k).sum::<usize>(), 10);
        let b = Planner::new(PlanConfig::default().size_bounds(300, 400))?.region_bounds(&hh)?;
        assert_eq!((b[0].k, b[0].lo, b[0].hi), (3, 300, 400));
        assert!(b[1].k * 300 <= 1130 && b[1].k * 400 >= 1130);
        Ok(())
    }

    #[test]
    fn infeasible_regions_are_explained() -> Result<()> {
        let hh = households_in_two_regions(1000, 1130);
        let err = Planner::new(PlanConfig::default().size_bounds(400, 500))?
            .region_bounds(&hh)
            .err();
        assert!(
            matches!(
                &err,
                Some(Error::Infeasible { region, households: 1130, min: 400, max: 500, .. })
                    if region == "B"
            ),
            "{err:?}"
        );
        let text = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            text.contains("region 'B': 1,130 households cannot form") && text.contains("400–500"),
            "{text}"
        );
        Ok(())
    }
}
